//===- LayoutSupport.cpp - Checks shared by the layout kernels ------------===//
//
// Part of the CPU backend; the CUDA layout kernels call it too.
//
//===----------------------------------------------------------------------===//

#include "LayoutSupport.h"
#include "ElementwiseSupport.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace intr::cpu::layout {
namespace {

/// The "axis" attribute (default 0), normalized into [0, rank).
Expected<int64_t> axisAttr(const char *name, const AttrMap &attrs,
                           int64_t rank) {
  int64_t axis = attrs.getInt("axis", 0);
  if (!normalizeAxis(axis, rank))
    return kernelError(name, "axis " + std::to_string(axis) +
                                 " is out of range for rank " +
                                 std::to_string(rank));
  return axis;
}

/// The index of `value` in `names` (an enum's spellings), or -1.
template <size_t N>
int indexIn(const std::string &value, const char *const (&names)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (value == names[i])
      return static_cast<int>(i);
  return -1;
}

const char *const kPadModeNames[] = {"constant", "reflect", "edge", "wrap"};
const char *const kResizeModeNames[] = {"nearest", "linear", "cubic"};
const char *const kResizeTransformNames[] = {
    "half_pixel", "pytorch_half_pixel",   "align_corners",
    "asymmetric", "half_pixel_symmetric", "tf_crop_and_resize"};
const char *const kResizeNearestNames[] = {
    "round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

AxisRows axisRows(const std::vector<int64_t> &shape, int64_t axis,
                  DType dtype) {
  int64_t outer = 1, inner = static_cast<int64_t>(dtypeSize(dtype));
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return {axis, outer, inner};
}

} // namespace

//===----------------------------------------------------------------------===//
// Common checks
//===----------------------------------------------------------------------===//

Status checkView(const char *name, const TensorArg &in, const TensorArg &out) {
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  if (in.numElements() != out.numElements())
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " does not have the element count of " +
                                 formatShape(in.shape));
  return Status::ok();
}

Status checkResult(const char *name, const TensorArg &out, DType dtype,
                   const std::vector<int64_t> &shape) {
  if (Status s = expectDType(name, "the result", out, dtype); !s)
    return s;
  return expectShape(name, "the result", out, shape);
}

//===----------------------------------------------------------------------===//
// Views, Shape, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

Status checkFlatten(const KernelArgs &args) {
  const char *name = "onnx.Flatten";
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t axis = args.attrs.getInt("axis", 1);
  if (axis < -in.rank() || axis > in.rank())
    return kernelError(name, "axis " + std::to_string(axis) +
                                 " is out of range for rank " +
                                 std::to_string(in.rank()));
  if (axis < 0)
    axis += in.rank();
  int64_t rows = 1, cols = 1;
  for (int64_t d = 0; d < in.rank(); ++d)
    (d < axis ? rows : cols) *= in.shape[d];
  return checkResult(name, out, in.dtype, {rows, cols});
}

Expected<ShapeRange> checkShapeOp(const KernelArgs &args) {
  const char *name = "onnx.Shape";
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  int64_t start = args.attrs.getInt("start", 0);
  int64_t end = args.attrs.getInt("end", rank);
  auto clampIndex = [rank](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  start = clampIndex(start);
  end = std::max(start, clampIndex(end));
  if (Status s = checkResult(name, out, DType::I64, {end - start}); !s)
    return s.error();
  return ShapeRange{start, end};
}

Expected<uint64_t> constantOfShapeValue(const char *name, const AttrMap &attrs,
                                        DType dtype) {
  // `value` is a one-element tensor attribute: integers arrive as ints,
  // floats as floats; absent means a zero.
  const AttrValue *value = attrs.find("value");
  bool isInt = !value || value->floats.empty();
  int64_t asInt = value && !value->ints.empty() ? value->ints[0] : 0;
  double asFloat = value && !value->floats.empty() ? value->floats[0] : 0.0;
  if (value && value->ints.size() + value->floats.size() > 1)
    return kernelError(name, "value must have one element");
  uint64_t element = 0;
  if (!storeScalar(dtype, &element, asFloat, asInt, isInt))
    return dtypeError(name, "result", dtype).error();
  return element;
}

Status checkRange(const KernelArgs &args) {
  const char *name = "onnx.Range";
  if (Status s = checkOperands(name, args, 3, 3, 1, 1); !s)
    return s;
  const TensorArg &out = args.outputs[0];
  const char *names[] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    const TensorArg &t = args.inputs[i];
    if (t.numElements() != 1 || t.rank() > 1)
      return kernelError(name, std::string(names[i]) +
                                   " must be a scalar, got shape " +
                                   formatShape(t.shape));
    if (Status s = expectDType(name, names[i], t, out.dtype); !s)
      return s;
  }
  if (out.rank() != 1)
    return kernelError(name,
                       "the result must be 1-D, got " + formatShape(out.shape));
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Transpose, Expand, Pad
//===----------------------------------------------------------------------===//

Expected<StridedView> checkTranspose(const KernelArgs &args) {
  const char *name = "onnx.Transpose";
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  std::vector<int64_t> perm = args.attrs.getInts("perm");
  if (perm.empty())
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  if (static_cast<int64_t>(perm.size()) != rank)
    return kernelError(name, "perm " + formatShape(perm) +
                                 " does not match rank " +
                                 std::to_string(rank));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t d = 0; d < rank; ++d)
    if (sorted[d] != d)
      return kernelError(name,
                         "perm " + formatShape(perm) + " is not a permutation");
  StridedView view{std::vector<int64_t>(rank), std::vector<int64_t>(rank)};
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  for (int64_t d = 0; d < rank; ++d) {
    view.sizes[d] = in.shape[perm[d]];
    view.strides[d] = inStrides[perm[d]];
  }
  if (Status s = checkResult(name, out, in.dtype, view.sizes); !s)
    return s.error();
  return view;
}

StridedView mergeAxes(const std::vector<int64_t> &sizes,
                      const std::vector<int64_t> &strides) {
  StridedView merged;
  std::vector<int64_t> &shape = merged.sizes, &steps = merged.strides;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1)
      continue;
    if (!shape.empty() && steps.back() == strides[d] * sizes[d]) {
      shape.back() *= sizes[d];
      steps.back() = strides[d];
      continue;
    }
    shape.push_back(sizes[d]);
    steps.push_back(strides[d]);
  }
  return merged;
}

std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &inShape,
                                      int64_t outRank) {
  int64_t rank = static_cast<int64_t>(inShape.size());
  std::vector<int64_t> strides(outRank, 0);
  std::vector<int64_t> inStrides = stridesOf(inShape);
  int64_t offset = outRank - rank;
  for (int64_t d = 0; d < rank; ++d)
    strides[offset + d] = inShape[d] == 1 ? 0 : inStrides[d];
  return strides;
}

Expected<PadMode> padModeOf(const char *name, const AttrMap &attrs) {
  std::string mode = attrs.getString("mode", "constant");
  int index = indexIn(mode, kPadModeNames);
  if (index < 0)
    return kernelError(name, "unsupported mode \"" + mode + "\"");
  return static_cast<PadMode>(index);
}

Status checkPadValue(const char *name, const TensorArg *value, DType dtype) {
  if (!value)
    return Status::ok();
  if (value->numElements() != 1)
    return kernelError(name, "constant_value must have one element, got " +
                                 formatShape(value->shape));
  return expectDType(name, "constant_value", *value, dtype);
}

Status checkPadEmptyAxes(const char *name, const TensorArg &in, PadMode mode) {
  for (int64_t size : in.shape)
    if (size == 0 && mode != PadMode::Constant)
      return kernelError(name,
                         std::string("cannot pad an empty axis in mode ") +
                             kPadModeNames[static_cast<int>(mode)]);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Concat, Split, Gather
//===----------------------------------------------------------------------===//

Expected<ConcatLayout> checkConcat(const KernelArgs &args) {
  const char *name = "onnx.Concat";
  if (Status s = checkOperands(name, args, 1, SIZE_MAX, 1, 1); !s)
    return s.error();
  const TensorArg &first = args.inputs[0], &out = args.outputs[0];
  Expected<int64_t> axisOr = axisAttr(name, args.attrs, first.rank());
  if (!axisOr)
    return axisOr.error();
  int64_t axis = *axisOr;
  std::vector<int64_t> expected = first.shape;
  expected[axis] = 0;
  for (const TensorArg &t : args.inputs) {
    if (Status s = expectDType(name, "every operand", t, first.dtype); !s)
      return s.error();
    bool alike = t.rank() == first.rank();
    for (int64_t d = 0; alike && d < t.rank(); ++d)
      alike = d == axis || t.shape[d] == first.shape[d];
    if (!alike)
      return kernelError(name, "cannot concatenate " + formatShape(t.shape) +
                                   " with " + formatShape(first.shape) +
                                   " along axis " + std::to_string(axis));
    if (t.shape[axis] > std::numeric_limits<int64_t>::max() - expected[axis])
      return kernelError(name, "the result is too large");
    expected[axis] += t.shape[axis];
  }
  if (Status s = checkResult(name, out, first.dtype, expected); !s)
    return s.error();
  AxisRows rows = axisRows(expected, axis, first.dtype);
  ConcatLayout layout{rows.outer, expected[axis] * rows.inner, {}};
  int64_t offset = 0;
  for (const TensorArg &t : args.inputs) {
    int64_t width = t.shape[axis] * rows.inner;
    if (width != 0)
      layout.pieces.push_back({t.data, offset, width});
    offset += width;
  }
  return layout;
}

Expected<SplitLayout> checkSplit(const KernelArgs &args,
                                 SplitLengths splitLengths) {
  const char *name = "onnx.Split";
  if (Status s = checkOperands(name, args, 1, 2, 1, SIZE_MAX); !s)
    return s.error();
  const TensorArg &in = args.inputs[0];
  Expected<int64_t> axisOr = axisAttr(name, args.attrs, in.rank());
  if (!axisOr)
    return axisOr.error();
  int64_t axis = *axisOr;
  int64_t size = in.shape[axis];
  int64_t parts = static_cast<int64_t>(args.outputs.size());
  std::vector<int64_t> lengths;
  if (const TensorArg *split = optionalArg(args.inputs, 1)) {
    if (Status s = splitLengths(name, args, axis, *split, lengths); !s)
      return s.error();
  } else {
    int64_t num = args.attrs.getInt("num_outputs", parts);
    if (num != parts)
      return kernelError(name, "num_outputs is " + std::to_string(num) +
                                   " but there are " + std::to_string(parts) +
                                   " results");
    // ceil(size / num) each; the last part takes what is left.
    int64_t chunk = (size + num - 1) / num;
    for (int64_t i = 0; i < num; ++i)
      lengths.push_back(std::clamp<int64_t>(size - i * chunk, 0, chunk));
    if (num > 0 && lengths.back() != size - (num - 1) * chunk)
      return kernelError(name, "cannot split " + std::to_string(size) +
                                   " into " + std::to_string(num) + " parts");
  }
  if (static_cast<int64_t>(lengths.size()) != parts)
    return kernelError(name, "split has " + std::to_string(lengths.size()) +
                                 " parts but there are " +
                                 std::to_string(parts) + " results");
  for (int64_t i = 0; i < parts; ++i) {
    std::vector<int64_t> expected = in.shape;
    expected[axis] = lengths[i];
    if (Status s = expectDType(name, "every result", args.outputs[i], in.dtype);
        !s)
      return s.error();
    if (Status s = expectShape(name, "a result", args.outputs[i], expected); !s)
      return s.error();
  }
  return SplitLayout{axisRows(in.shape, axis, in.dtype), std::move(lengths)};
}

Expected<AxisRows> checkGather(const KernelArgs &args,
                               std::vector<int64_t> *indices) {
  const char *name = "onnx.Gather";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s.error();
  const TensorArg &data = args.inputs[0], &indexArg = args.inputs[1];
  const TensorArg &out = args.outputs[0];
  Expected<int64_t> axisOr = axisAttr(name, args.attrs, data.rank());
  if (!axisOr)
    return axisOr.error();
  int64_t axis = *axisOr;
  Status read =
      indices ? readInts(name, "indices", indexArg, *indices, /*anyRank=*/true)
              : checkIntOperand(name, "indices", indexArg, /*anyRank=*/true);
  if (!read)
    return read.error();
  std::vector<int64_t> expected(data.shape.begin(), data.shape.begin() + axis);
  expected.insert(expected.end(), indexArg.shape.begin(), indexArg.shape.end());
  expected.insert(expected.end(), data.shape.begin() + axis + 1,
                  data.shape.end());
  if (Status s = checkResult(name, out, data.dtype, expected); !s)
    return s.error();
  return axisRows(data.shape, axis, data.dtype);
}

namespace {
/// GatherElements' and ScatterElements' indices: data's rank (1 or more),
/// no larger than data off the axis, whose normalized value it returns.
Expected<int64_t> checkElementIndices(const char *name, const KernelArgs &args,
                                      const TensorArg &data,
                                      const TensorArg &indices) {
  if (data.rank() == 0 || indices.rank() != data.rank())
    return kernelError(name, "data and indices must have one rank of 1 or "
                             "more, got " +
                                 formatShape(data.shape) + " and " +
                                 formatShape(indices.shape));
  Expected<int64_t> axis = axisAttr(name, args.attrs, data.rank());
  if (!axis)
    return axis.error();
  for (int64_t d = 0; d < data.rank(); ++d)
    if (d != *axis && indices.shape[d] > data.shape[d])
      return kernelError(name, "indices " + formatShape(indices.shape) +
                                   " exceed data " + formatShape(data.shape) +
                                   " along axis " + std::to_string(d));
  return axis;
}
} // namespace

Expected<int64_t> checkGatherElements(const KernelArgs &args) {
  const char *name = "onnx.GatherElements";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s.error();
  const TensorArg &data = args.inputs[0], &indices = args.inputs[1];
  if (Status s = checkIntOperand(name, "indices", indices, /*anyRank=*/true);
      !s)
    return s.error();
  Expected<int64_t> axis = checkElementIndices(name, args, data, indices);
  if (!axis)
    return axis.error();
  if (Status s = checkResult(name, args.outputs[0], data.dtype, indices.shape);
      !s)
    return s.error();
  return *axis;
}

Expected<GatherNDLayout> checkGatherND(const KernelArgs &args) {
  const char *name = "onnx.GatherND";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s.error();
  const TensorArg &data = args.inputs[0], &indices = args.inputs[1];
  if (Status s = checkIntOperand(name, "indices", indices, /*anyRank=*/true);
      !s)
    return s.error();
  GatherNDLayout layout;
  layout.batchDims = args.attrs.getInt("batch_dims", 0);
  const int64_t b = layout.batchDims;
  if (data.rank() == 0 || indices.rank() == 0 || b < 0 ||
      b >= std::min(data.rank(), indices.rank()))
    return kernelError(name, "batch_dims " + std::to_string(b) +
                                 " must be below the ranks of data " +
                                 formatShape(data.shape) + " and indices " +
                                 formatShape(indices.shape));
  layout.tupleLength = indices.shape.back();
  if (b + layout.tupleLength > data.rank())
    return kernelError(name, "indices " + formatShape(indices.shape) +
                                 " must end in a size of at most data's "
                                 "rank after batch_dims (data " +
                                 formatShape(data.shape) + ")");
  for (int64_t d = 0; d < b; ++d) {
    if (data.shape[d] != indices.shape[d])
      return kernelError(name,
                         "data " + formatShape(data.shape) + " and indices " +
                             formatShape(indices.shape) +
                             " differ in batch dimension " + std::to_string(d));
    layout.batches *= data.shape[d];
  }
  std::vector<int64_t> shape(indices.shape.begin(), indices.shape.end() - 1);
  shape.insert(shape.end(), data.shape.begin() + b + layout.tupleLength,
               data.shape.end());
  if (Status s = checkResult(name, args.outputs[0], data.dtype, shape); !s)
    return s.error();
  layout.tuples = elementCount(
      std::vector<int64_t>(indices.shape.begin(), indices.shape.end() - 1));
  layout.batchStride = elementCount(
      std::vector<int64_t>(data.shape.begin() + b, data.shape.end()));
  for (int64_t d = b + layout.tupleLength; d < data.rank(); ++d)
    layout.sliceElements *= data.shape[d];
  return layout;
}

//===----------------------------------------------------------------------===//
// ScatterElements and ScatterND
//===----------------------------------------------------------------------===//

namespace {
const char *const kScatterReductionNames[] = {"none", "add", "mul", "max",
                                              "min"};

/// The checks both Scatters share: three operands, updates and result of
/// data's type, a known reduction that the data's type can compute.
Expected<ScatterReduction> checkScatter(const char *name,
                                        const KernelArgs &args) {
  if (Status s = checkOperands(name, args, 3, 3, 1, 1); !s)
    return s.error();
  const TensorArg &data = args.inputs[0], &updates = args.inputs[2];
  if (Status s = checkIntOperand(name, "indices", args.inputs[1],
                                 /*anyRank=*/true);
      !s)
    return s.error();
  if (Status s = expectDType(name, "updates", updates, data.dtype); !s)
    return s.error();
  if (Status s = checkResult(name, args.outputs[0], data.dtype, data.shape); !s)
    return s.error();
  std::string reduction = args.attrs.getString("reduction", "none");
  int index = indexIn(reduction, kScatterReductionNames);
  if (index < 0)
    return kernelError(name, "unsupported reduction \"" + reduction + "\"");
  bool arithmetic = data.dtype == DType::F32 || data.dtype == DType::F64 ||
                    data.dtype == DType::I32 || data.dtype == DType::I64;
  if (index != 0 && !arithmetic)
    return kernelError(name, "reduction \"" + reduction +
                                 "\" takes f32, f64, i32 or i64 data, got " +
                                 dtypeName(data.dtype));
  return static_cast<ScatterReduction>(index);
}
} // namespace

Expected<ScatterLayout> checkScatterElements(const KernelArgs &args) {
  const char *name = "onnx.ScatterElements";
  Expected<ScatterReduction> reduction = checkScatter(name, args);
  if (!reduction)
    return reduction.error();
  const TensorArg &data = args.inputs[0], &indices = args.inputs[1];
  Expected<int64_t> axis = checkElementIndices(name, args, data, indices);
  if (!axis)
    return axis.error();
  if (Status s = expectShape(name, "updates", args.inputs[2], indices.shape);
      !s)
    return s.error();
  ScatterLayout layout{*reduction};
  layout.axis = *axis;
  return layout;
}

Expected<ScatterLayout> checkScatterND(const KernelArgs &args) {
  const char *name = "onnx.ScatterND";
  Expected<ScatterReduction> reduction = checkScatter(name, args);
  if (!reduction)
    return reduction.error();
  const TensorArg &data = args.inputs[0], &indices = args.inputs[1];
  if (data.rank() == 0 || indices.rank() == 0 ||
      indices.shape.back() > data.rank())
    return kernelError(name, "indices " + formatShape(indices.shape) +
                                 " must end in a size of at most data's "
                                 "rank (data " +
                                 formatShape(data.shape) + ")");
  ScatterLayout layout{*reduction};
  layout.tupleLength = indices.shape.back();
  std::vector<int64_t> expected(indices.shape.begin(), indices.shape.end() - 1);
  expected.insert(expected.end(), data.shape.begin() + layout.tupleLength,
                  data.shape.end());
  if (Status s = expectShape(name, "updates", args.inputs[2], expected); !s)
    return s.error();
  layout.tuples = elementCount(
      std::vector<int64_t>(indices.shape.begin(), indices.shape.end() - 1));
  for (int64_t d = layout.tupleLength; d < data.rank(); ++d)
    layout.sliceElements *= data.shape[d];
  return layout;
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

Expected<ResizeAttrs> checkResize(const KernelArgs &args) {
  const char *name = "onnx.Resize";
  if (Status s = checkOperands(name, args, 1, 4, 1, 1); !s)
    return s.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  const AttrMap &attrs = args.attrs;
  std::string mode = attrs.getString("mode", "nearest");
  std::string transform =
      attrs.getString("coordinate_transformation_mode", "half_pixel");
  std::string nearestMode =
      attrs.getString("nearest_mode", "round_prefer_floor");
  std::string policy = attrs.getString("keep_aspect_ratio_policy", "stretch");
  int modeIndex = indexIn(mode, kResizeModeNames);
  if (modeIndex < 0)
    return kernelError(name, "unsupported mode \"" + mode + "\"");
  int transformIndex = indexIn(transform, kResizeTransformNames);
  if (transformIndex < 0)
    return kernelError(name, "unsupported coordinate_transformation_mode \"" +
                                 transform + "\"");
  int nearestIndex = indexIn(nearestMode, kResizeNearestNames);
  if (nearestIndex < 0)
    return kernelError(name,
                       "unsupported nearest_mode \"" + nearestMode + "\"");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return kernelError(name, "unsupported keep_aspect_ratio_policy \"" +
                                 policy + "\"");
  ResizeAttrs result = {};
  ResizeSampling &sampling = result.sampling;
  sampling.mode = static_cast<ResizeMode>(modeIndex);
  sampling.transform = static_cast<ResizeTransform>(transformIndex);
  sampling.nearest = static_cast<ResizeNearest>(nearestIndex);
  sampling.antialias = attrs.getInt("antialias", 0) != 0;
  sampling.excludeOutside = attrs.getInt("exclude_outside", 0) != 0;
  sampling.cubicA = static_cast<float>(attrs.getFloat("cubic_coeff_a", -0.75));
  sampling.extrapolation =
      static_cast<float>(attrs.getFloat("extrapolation_value", 0.0));
  if (sampling.antialias && sampling.mode == ResizeMode::Nearest)
    return kernelError(name, "antialias needs mode linear or cubic");
  result.keepAspect = policy != "stretch";
  result.notLarger = policy == "not_larger";
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s.error();
  if (sampling.mode != ResizeMode::Nearest && in.dtype != DType::F32 &&
      in.dtype != DType::F64)
    return dtypeError(name, "linear- or cubic-mode operand", in.dtype).error();
  if (sampling.transform == ResizeTransform::TfCropAndResize &&
      (in.dtype == DType::F16 || in.dtype == DType::BF16 ||
       in.dtype == DType::Bool))
    return dtypeError(name, "tf_crop_and_resize operand", in.dtype).error();

  std::vector<int64_t> &axes = result.axes;
  axes = attrs.getInts("axes");
  if (axes.empty()) {
    axes.resize(rank);
    std::iota(axes.begin(), axes.end(), 0);
  }
  if (Status s = normalizeAxes(name, axes, rank); !s)
    return s.error();
  // An empty scales or sizes tensor counts as absent.
  result.scales = optionalArg(args.inputs, 2);
  result.sizes = optionalArg(args.inputs, 3);
  if (result.scales && result.scales->numElements() == 0)
    result.scales = nullptr;
  if (result.sizes && result.sizes->numElements() == 0)
    result.sizes = nullptr;
  if (!result.scales == !result.sizes)
    return kernelError(name, "exactly one of scales and sizes must be given");
  // ONNX: the policy does not apply to scales.
  if (!result.sizes)
    result.keepAspect = false;
  // An empty axis resizes only to an empty result (an empty batch).
  if (out.numElements() > 0 && out.rank() == rank)
    for (int64_t axis : axes)
      if (in.shape[axis] == 0)
        return kernelError(name, "cannot resize the empty axis " +
                                     std::to_string(axis) + " to " +
                                     std::to_string(out.shape[axis]));
  result.roi = nullptr;
  if (sampling.transform == ResizeTransform::TfCropAndResize) {
    result.roi = optionalArg(args.inputs, 1);
    if (!result.roi || result.roi->numElements() == 0)
      return kernelError(name, "tf_crop_and_resize needs roi");
    if (Status s = expectDType(name, "roi", *result.roi, DType::F32); !s)
      return s.error();
    if (result.roi->rank() != 1 ||
        result.roi->numElements() != 2 * static_cast<int64_t>(axes.size()))
      return kernelError(name, "roi must have two entries per axis, got " +
                                   formatShape(result.roi->shape));
  }
  if (const TensorArg *scales = result.scales) {
    if (Status s = expectDType(name, "scales", *scales, DType::F32); !s)
      return s.error();
    if (scales->rank() != 1 ||
        scales->numElements() != static_cast<int64_t>(axes.size()))
      return kernelError(name, "scales must have one entry per axis, got " +
                                   formatShape(scales->shape));
  }
  return result;
}

} // namespace intr::cpu::layout
