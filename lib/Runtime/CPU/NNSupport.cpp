//===- NNSupport.cpp - Shared by the NN and attention kernels -------------===//
//
// Part of the CPU backend; the CUDA NN kernels call it too.
//
//===----------------------------------------------------------------------===//

#include "NNSupport.h"
#include "Broadcast.h"
#include "FastMath.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace intr::cpu::nn {

/// In-place softmax of `row` (n floats); see NNSupport.h. The maximum
/// ignores NaN or not (a vectorized max reduction may do either): a NaN
/// makes the whole row NaN all the same.
INTR_VECTOR_CLONES
void softmaxRow(float *row, int64_t n) {
  float maximum = -INFINITY;
#pragma omp simd reduction(max : maximum)
  for (int64_t i = 0; i < n; ++i)
    maximum = row[i] > maximum ? row[i] : maximum;
  if (maximum == -INFINITY) {
    std::fill(row, row + n, NAN);
    return;
  }
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) {
    row[i] = expOfNonPositive(row[i] - maximum);
    sum += row[i];
  }
  float inverse = 1.0f / sum;
#pragma omp simd
  for (int64_t i = 0; i < n; ++i)
    row[i] *= inverse;
}

Status checkTensor(const char *kernel, const TensorArg &tensor,
                   const char *name, DType dtype) {
  for (int64_t size : tensor.shape)
    if (size < 0)
      return kernelError(kernel, std::string(name) + " has a negative size " +
                                     formatShape(tensor.shape));
  if (!tensor.present() && tensor.numElements() != 0)
    return kernelError(kernel, std::string(name) + " is missing");
  if (tensor.dtype != dtype)
    return kernelError(kernel, std::string(name) + " must be " +
                                   dtypeName(dtype) + ", got " +
                                   dtypeName(tensor.dtype));
  return Status::ok();
}

Status checkShape(const char *kernel, const TensorArg &tensor, const char *name,
                  const std::vector<int64_t> &expected, DType dtype) {
  if (Status s = checkTensor(kernel, tensor, name, dtype); !s)
    return s;
  if (tensor.shape != expected)
    return kernelError(kernel, std::string(name) + " must be " +
                                   formatShape(expected) + ", got " +
                                   formatShape(tensor.shape));
  return Status::ok();
}

namespace {

/// A list attribute of `count` values in [minimum, kMaxWindowAttr].
Status checkWindowAttr(const char *kernel, const std::vector<int64_t> &values,
                       const char *name, size_t count, int64_t minimum) {
  if (values.size() != count)
    return kernelError(kernel, std::string(name) + " must have " +
                                   std::to_string(count) + " values, got " +
                                   std::to_string(values.size()));
  for (int64_t v : values)
    if (v < minimum || v > kMaxWindowAttr)
      return kernelError(kernel, std::string(name) + " value " +
                                     std::to_string(v) + " is out of range");
  return Status::ok();
}

/// The "activation" attribute of conv2d and linear: whether it is "relu".
Status parseActivation(const char *kernel, const AttrMap &attrs, bool &relu) {
  std::string name = attrs.getString("activation", "none");
  if (name != "none" && name != "relu")
    return kernelError(kernel, "activation must be \"none\" or \"relu\", got "
                               "\"" +
                                   name + "\"");
  relu = name == "relu";
  return Status::ok();
}

} // namespace

void addBiasByColumn(float *data, int64_t rows, int64_t cols, const float *bias,
                     bool relu, int threads, int64_t biasRows,
                     int64_t rowsPerBiasRow) {
  (void)threads; // Unused without OpenMP.
  if (!bias && !relu)
    return;
#pragma omp parallel for num_threads(threads)
  for (int64_t r = 0; r < rows; ++r) {
    float *row = data + r * cols;
    const float *biasRow =
        bias ? bias + (r / rowsPerBiasRow) % biasRows * cols : nullptr;
    if (biasRow)
      for (int64_t c = 0; c < cols; ++c)
        row[c] += biasRow[c];
    if (relu)
      for (int64_t c = 0; c < cols; ++c)
        row[c] = std::max(row[c], 0.0f);
  }
}

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

namespace {

/// The number of windows along one axis: floor(reach / stride) + 1, or with
/// ceilMode ceil(reach / stride) + 1 less a last window that would start in
/// the end padding (PyTorch's rule). 0 when no window fits. The operands are
/// bounded by kMaxWindowAttr, so nothing overflows.
int64_t windowCount(int64_t size, int64_t kernel, int64_t stride,
                    int64_t dilation, int64_t padBefore, int64_t padAfter,
                    bool ceilMode) {
  int64_t reach = size + padBefore + padAfter - dilation * (kernel - 1) - 1;
  if (reach < 0)
    return 0;
  int64_t steps = reach / stride;
  if (ceilMode) {
    if (reach % stride != 0)
      ++steps;
    if (steps * stride >= size + padBefore)
      --steps;
  }
  return steps + 1;
}

/// Reads N, C, H, W of a rank-4 input in the window's layout, bounding H and
/// W so that the window arithmetic cannot overflow.
Status setWindowInput(const char *kernel, const TensorArg &input, Window &w) {
  const bool last = w.channelsLast;
  w.N = input.shape[0], w.C = input.shape[last ? 3 : 1];
  w.H = input.shape[last ? 1 : 2], w.W = input.shape[last ? 2 : 3];
  if (w.H > kMaxWindowAttr || w.W > kMaxWindowAttr)
    return kernelError(kernel, "input H and W are too large in " +
                                   formatShape(input.shape));
  return Status::ok();
}

/// Fills the window's attributes from lists already checked for length and
/// range, checks the input's spatial sizes and computes Ho and Wo.
Status setWindow(const char *kernel, Window &w,
                 const std::vector<int64_t> &strides,
                 const std::vector<int64_t> &dilations,
                 const std::vector<int64_t> &pads, bool ceilMode) {
  w.sh = strides[0], w.sw = strides[1];
  w.dh = dilations[0], w.dw = dilations[1];
  w.top = pads[0], w.left = pads[1], w.bottom = pads[2], w.right = pads[3];
  w.Ho = windowCount(w.H, w.kh, w.sh, w.dh, w.top, w.bottom, ceilMode);
  w.Wo = windowCount(w.W, w.kw, w.sw, w.dw, w.left, w.right, ceilMode);
  if (w.Ho <= 0 || w.Wo <= 0)
    return kernelError(kernel, "no window of " + std::to_string(w.kh) + "x" +
                                   std::to_string(w.kw) + " fits the input " +
                                   std::to_string(w.H) + "x" +
                                   std::to_string(w.W) + " with its padding");
  return Status::ok();
}

/// ONNX's pads for `auto_pad` (NOTSET: the `pads` attribute, default zeros).
/// The window's H, W, kh, kw must be set, and strides and dilations checked.
Status onnxPads(const char *kernel, const AttrMap &attrs, const Window &w,
                const std::vector<int64_t> &strides,
                const std::vector<int64_t> &dilations,
                std::vector<int64_t> &pads) {
  std::string autoPad = attrs.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    pads = attrs.getInts("pads", {0, 0, 0, 0});
    return checkWindowAttr(kernel, pads, "pads", 4, 0);
  }
  pads = {0, 0, 0, 0};
  if (autoPad == "VALID")
    return Status::ok();
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return kernelError(kernel, "unknown auto_pad \"" + autoPad + "\"");
  // SAME: ceil(size / stride) outputs; the odd padding goes to the end for
  // SAME_UPPER, to the beginning for SAME_LOWER.
  const int64_t sizes[2] = {w.H, w.W}, kernels[2] = {w.kh, w.kw};
  bool upper = autoPad == "SAME_UPPER";
  for (int axis = 0; axis < 2; ++axis) {
    int64_t out = (sizes[axis] + strides[axis] - 1) / strides[axis];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[axis] + (kernels[axis] - 1) * dilations[axis] +
               1 - sizes[axis]);
    int64_t small = total / 2, large = total - small;
    pads[axis] = upper ? small : large;
    pads[axis + 2] = upper ? large : small;
  }
  return Status::ok();
}

} // namespace

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

namespace {

/// Checks input [N, C, H, W], weight [O, C / groups, kh, kw] (with
/// conv.channelsLast: [N, H, W, C] and [O, kh, kw, C / groups]) and bias
/// [O] (when given), all f32 or, with `sixteenBit`, all f16 or all bf16
/// (the input's type), and fills `conv` but for the window's attributes.
Status checkConvOperands(const char *kernel, const TensorArg &input,
                         const TensorArg &weight, const TensorArg *bias,
                         int64_t groups, bool sixteenBit, Conv &conv) {
  conv.dtype =
      sixteenBit && (input.dtype == DType::F16 || input.dtype == DType::BF16)
          ? input.dtype
          : DType::F32;
  if (Status s = checkTensor(kernel, input, "input", conv.dtype); !s)
    return s;
  if (Status s = checkTensor(kernel, weight, "weight", conv.dtype); !s)
    return s;
  const bool last = conv.channelsLast;
  const std::string weightLayout =
      last ? "[O, kh, kw, C/groups]" : "[O, C/groups, kh, kw]";
  if (input.rank() != 4)
    return kernelError(kernel, std::string("input must be ") +
                                   (last ? "[N, H, W, C]" : "[N, C, H, W]") +
                                   ", got " + formatShape(input.shape));
  if (weight.rank() != 4)
    return kernelError(kernel, "weight must be " + weightLayout + ", got " +
                                   formatShape(weight.shape));
  if (Status s = setWindowInput(kernel, input, conv); !s)
    return s;
  conv.O = weight.shape[0];
  conv.kh = weight.shape[last ? 1 : 2], conv.kw = weight.shape[last ? 2 : 3];
  int64_t weightChannels = weight.shape[last ? 3 : 1];
  if (groups <= 0 || conv.C % groups != 0 || conv.O % groups != 0)
    return kernelError(kernel, "groups = " + std::to_string(groups) +
                                   " must be positive and divide C = " +
                                   std::to_string(conv.C) +
                                   " and O = " + std::to_string(conv.O));
  conv.groups = groups;
  if (weightChannels != conv.C / groups)
    return kernelError(
        kernel, "weight must be " + weightLayout +
                    " with C/groups = " + std::to_string(conv.C / groups) +
                    ", got " + formatShape(weight.shape));
  if (conv.kh <= 0 || conv.kw <= 0 || conv.kh > kMaxWindowAttr ||
      conv.kw > kMaxWindowAttr)
    return kernelError(kernel, "kernel size out of range in weight " +
                                   formatShape(weight.shape));
  if (bias)
    return checkShape(kernel, *bias, "bias", {conv.O}, conv.dtype);
  return Status::ok();
}

/// Checks the output (and the residual, when given: the output's shape).
Status checkConvOutput(const char *kernel, const KernelArgs &args,
                       const ConvStep &step) {
  const Conv &conv = step.conv;
  std::vector<int64_t> shape = {conv.N, conv.O, conv.Ho, conv.Wo};
  if (conv.channelsLast)
    shape = {conv.N, conv.Ho, conv.Wo, conv.O};
  if (Status s =
          checkShape(kernel, args.outputs[0], "output", shape, conv.dtype);
      !s)
    return s;
  if (step.residual)
    if (Status s =
            checkShape(kernel, *step.residual, "residual", shape, conv.dtype);
        !s)
      return s;
  return Status::ok();
}

} // namespace

Expected<ConvStep> checkConv2d(const char *kernel, const KernelArgs &args,
                               bool sixteenBit, bool channelsLast) {
  if (Status s = checkArity(kernel, args, 3, 4, 1, 1); !s)
    return s.error();
  ConvStep step;
  step.conv.channelsLast = channelsLast;
  if (Status s = checkConvOperands(
          kernel, args.inputs[0], args.inputs[1], &args.inputs[2],
          args.attrs.getInt("groups", 1), sixteenBit, step.conv);
      !s)
    return s.error();
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> padding = args.attrs.getInts("padding", {0, 0, 0, 0});
  if (Status s = parseActivation(kernel, args.attrs, step.relu); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, padding, "padding", 4, 0); !s)
    return s.error();
  if (Status s = setWindow(kernel, step.conv, strides, dilations, padding,
                           /*ceilMode=*/false);
      !s)
    return s.error();
  // The bias is a required operand; an empty one (O = 0) may be null.
  step.bias = optionalArg(args.inputs, 2);
  step.residual = optionalArg(args.inputs, 3);
  if (Status s = checkConvOutput(kernel, args, step); !s)
    return s.error();
  return step;
}

Expected<ConvStep> checkOnnxConv(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s.error();
  if (args.inputs[0].rank() != 4)
    return kernelError(kernel, "only 2-D convolutions (X of rank 4) are "
                               "supported, got X " +
                                   formatShape(args.inputs[0].shape));
  ConvStep step;
  step.bias = optionalArg(args.inputs, 2);
  Conv &conv = step.conv;
  if (Status s = checkConvOperands(kernel, args.inputs[0], args.inputs[1],
                                   step.bias, args.attrs.getInt("group", 1),
                                   /*sixteenBit=*/false, conv);
      !s)
    return s.error();
  std::vector<int64_t> kernelShape =
      args.attrs.getInts("kernel_shape", {conv.kh, conv.kw});
  if (kernelShape != std::vector<int64_t>{conv.kh, conv.kw})
    return kernelError(kernel, "kernel_shape " + formatShape(kernelShape) +
                                   " differs from W " +
                                   formatShape(args.inputs[1].shape));
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> pads;
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s.error();
  if (Status s = onnxPads(kernel, args.attrs, conv, strides, dilations, pads);
      !s)
    return s.error();
  if (Status s = setWindow(kernel, conv, strides, dilations, pads,
                           /*ceilMode=*/false);
      !s)
    return s.error();
  if (Status s = checkConvOutput(kernel, args, step); !s)
    return s.error();
  return step;
}

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

namespace {

/// Checks input [N, C, H, W] (w.channelsLast: [N, H, W, C]) of `dtype` and
/// the kernel size, and fills them in.
Status checkPoolInput(const char *kernel, const TensorArg &input,
                      const std::vector<int64_t> &kernelShape, Window &w,
                      DType dtype = DType::F32) {
  if (Status s = checkTensor(kernel, input, "input", dtype); !s)
    return s;
  if (input.rank() != 4)
    return kernelError(kernel,
                       std::string("only 2-D pooling (input ") +
                           (w.channelsLast ? "[N, H, W, C]" : "[N, C, H, W]") +
                           ") is supported, got " + formatShape(input.shape));
  if (Status s = setWindowInput(kernel, input, w); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, kernelShape, "kernel", 2, 1); !s)
    return s;
  w.kh = kernelShape[0], w.kw = kernelShape[1];
  return Status::ok();
}

} // namespace

Expected<MaxPool> checkMaxPool2d(const char *kernel, const KernelArgs &args,
                                 bool sixteenBit, bool channelsLast) {
  if (Status s = checkArity(kernel, args, 1, 1, 1, 1); !s)
    return s.error();
  MaxPool pool;
  Window &w = pool.w;
  std::vector<int64_t> kernelShape = args.attrs.getInts("kernel");
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> padding = args.attrs.getInts("padding", {0, 0, 0, 0});
  DType dtype = args.inputs[0].dtype;
  pool.dtype = sixteenBit && (dtype == DType::F16 || dtype == DType::BF16)
                   ? dtype
                   : DType::F32;
  w.channelsLast = channelsLast;
  if (Status s =
          checkPoolInput(kernel, args.inputs[0], kernelShape, w, pool.dtype);
      !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, padding, "padding", 4, 0); !s)
    return s.error();
  // Every window must see an element of the input.
  if (padding[0] >= w.kh || padding[2] >= w.kh || padding[1] >= w.kw ||
      padding[3] >= w.kw)
    return kernelError(kernel, "padding " + formatShape(padding) +
                                   " must be smaller than kernel " +
                                   formatShape(kernelShape));
  if (Status s = setWindow(kernel, w, strides, {1, 1}, padding,
                           args.attrs.getInt("ceil_mode", 0) != 0);
      !s)
    return s.error();
  if (Status s = checkShape(kernel, args.outputs[0], "output",
                            w.channelsLast
                                ? std::vector<int64_t>{w.N, w.Ho, w.Wo, w.C}
                                : std::vector<int64_t>{w.N, w.C, w.Ho, w.Wo},
                            pool.dtype);
      !s)
    return s.error();
  return pool;
}

Expected<MaxPool> checkOnnxMaxPool(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 1, 1, 1, 2); !s)
    return s.error();
  MaxPool pool;
  Window &w = pool.w;
  std::vector<int64_t> kernelShape = args.attrs.getInts("kernel_shape");
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> pads;
  int64_t ceilMode = args.attrs.getInt("ceil_mode", 0);
  int64_t storageOrder = args.attrs.getInt("storage_order", 0);
  if (Status s = checkPoolInput(kernel, args.inputs[0], kernelShape, w); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s.error();
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s.error();
  if (ceilMode != 0 && ceilMode != 1)
    return kernelError(kernel, "ceil_mode must be 0 or 1");
  if (storageOrder != 0 && storageOrder != 1)
    return kernelError(kernel, "storage_order must be 0 or 1");
  if (Status s = onnxPads(kernel, args.attrs, w, strides, dilations, pads); !s)
    return s.error();
  if (Status s = setWindow(kernel, w, strides, dilations, pads, ceilMode != 0);
      !s)
    return s.error();
  std::vector<int64_t> shape = {w.N, w.C, w.Ho, w.Wo};
  if (Status s = checkShape(kernel, args.outputs[0], "Y", shape); !s)
    return s.error();
  pool.indices = optionalArg(args.outputs, 1);
  if (pool.indices) {
    if (Status s =
            checkShape(kernel, *pool.indices, "Indices", shape, DType::I64);
        !s)
      return s.error();
  }
  pool.columnMajor = storageOrder == 1;
  return pool;
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

namespace {

/// Whether `shape` broadcasts to `target` one way (numpy rules, `shape`
/// right-aligned, extra leading sizes of `shape` all 1). Unlike
/// cpu::broadcastsTo, `shape` may have more dimensions than `target`.
bool broadcastsToIgnoringLeadingOnes(const std::vector<int64_t> &shape,
                                     const std::vector<int64_t> &target) {
  size_t extra =
      shape.size() > target.size() ? shape.size() - target.size() : 0;
  for (size_t i = 0; i < extra; ++i)
    if (shape[i] != 1)
      return false;
  for (size_t i = extra; i < shape.size(); ++i) {
    int64_t t = target[target.size() - (shape.size() - i)];
    if (shape[i] != 1 && shape[i] != t)
      return false;
  }
  return true;
}

} // namespace

std::vector<int64_t> matrixStrides(const std::vector<int64_t> &own,
                                   const std::vector<int64_t> &batch) {
  size_t rank = batch.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < own.size(); ++i) {
    int64_t size = own[own.size() - 1 - i];
    strides[rank - 1 - i] = size == 1 ? 0 : stride;
    stride *= size;
  }
  return strides;
}

namespace {

/// A bias of the result's rank that varies along one leading axis at most
/// (1 at the others; N last): sets how the product's rows read it.
Status checkPositionalBias(const char *kernel, const TensorArg &bias,
                           const std::vector<int64_t> &outShape,
                           LinearShape &l) {
  if (Status s = checkTensor(kernel, bias, "bias"); !s)
    return s;
  const size_t rank = outShape.size();
  bool fits = bias.rank() == rank && bias.shape.back() == outShape.back();
  int varying = 0;
  for (size_t axis = 0; fits && axis + 1 < rank; ++axis) {
    if (bias.shape[axis] == 1)
      continue;
    fits = bias.shape[axis] == outShape[axis] && ++varying == 1;
    l.biasRows = outShape[axis];
    l.rowsPerBiasRow =
        elementCount({outShape.begin() + static_cast<std::ptrdiff_t>(axis) + 1,
                      outShape.end() - 1});
  }
  if (!fits)
    return kernelError(kernel, "bias must be [N] or vary along one axis of "
                               "the result " +
                                   formatShape(outShape) +
                                   " (1 at the others), got " +
                                   formatShape(bias.shape));
  return Status::ok();
}

} // namespace

Expected<LinearShape> checkLinear(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s.error();
  const TensorArg &input = args.inputs[0], &weight = args.inputs[1];
  LinearShape l;
  l.bias = optionalArg(args.inputs, 2);
  l.transposed = args.attrs.getInt("transpose_weight", 1) != 0;
  if (Status s = parseActivation(kernel, args.attrs, l.relu); !s)
    return s.error();
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s.error();
  if (Status s = checkTensor(kernel, weight, "weight"); !s)
    return s.error();
  if (input.rank() < 1)
    return kernelError(kernel, "input must be [..., K], got a scalar");
  int64_t K = input.shape.back();
  int64_t N = weight.rank() == 2 ? weight.shape[l.transposed ? 0 : 1] : -1;
  std::vector<int64_t> expected =
      l.transposed ? std::vector<int64_t>{N, K} : std::vector<int64_t>{K, N};
  if (weight.rank() != 2 || weight.shape != expected)
    return kernelError(kernel, std::string("weight must be ") +
                                   (l.transposed ? "[N, K]" : "[K, N]") +
                                   " with K = " + std::to_string(K) + ", got " +
                                   formatShape(weight.shape));
  std::vector<int64_t> outShape = input.shape;
  outShape.back() = N;
  if (l.bias && l.bias->rank() <= 1) {
    if (Status s = checkShape(kernel, *l.bias, "bias", {N}); !s)
      return s.error();
  } else if (l.bias) {
    if (Status s = checkPositionalBias(kernel, *l.bias, outShape, l); !s)
      return s.error();
  }
  if (Status s = checkShape(kernel, args.outputs[0], "output", outShape); !s)
    return s.error();
  // Every leading dimension of the input is a row of one product.
  l.M = elementCount({input.shape.begin(), input.shape.end() - 1});
  l.N = N;
  l.K = K;
  return l;
}

Expected<MatMulShape> checkMatMul(const char *kernel, const KernelArgs &args,
                                  DType dtype) {
  if (Status s = checkArity(kernel, args, 2, 2, 1, 1); !s)
    return s.error();
  const TensorArg &A = args.inputs[0], &B = args.inputs[1];
  if (Status s = checkTensor(kernel, A, "A", dtype); !s)
    return s.error();
  if (Status s = checkTensor(kernel, B, "B", dtype); !s)
    return s.error();
  if (A.rank() < 1 || B.rank() < 1)
    return kernelError(kernel, "operands must have rank 1 or more, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  std::vector<int64_t> a = A.shape, b = B.shape;
  if (A.rank() == 1)
    a.insert(a.begin(), 1);
  if (B.rank() == 1)
    b.push_back(1);
  MatMulShape m;
  m.M = a[a.size() - 2], m.K = a.back(), m.N = b.back();
  if (b[b.size() - 2] != m.K)
    return kernelError(kernel, "contracted sizes differ: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  m.batchA.assign(a.begin(), a.end() - 2);
  m.batchB.assign(b.begin(), b.end() - 2);
  if (!cpu::broadcastShapes(m.batchA, m.batchB, m.batch))
    return kernelError(kernel, "batch dimensions do not broadcast: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  std::vector<int64_t> outShape = m.batch;
  if (A.rank() > 1)
    outShape.push_back(m.M);
  if (B.rank() > 1)
    outShape.push_back(m.N);
  if (Status s = checkShape(kernel, args.outputs[0], "Y", outShape, dtype); !s)
    return s.error();
  return m;
}

Expected<GemmShape> checkGemm(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s.error();
  const TensorArg &A = args.inputs[0], &B = args.inputs[1];
  GemmShape g;
  g.C = optionalArg(args.inputs, 2);
  if (Status s = checkTensor(kernel, A, "A"); !s)
    return s.error();
  if (Status s = checkTensor(kernel, B, "B"); !s)
    return s.error();
  if (A.rank() != 2 || B.rank() != 2)
    return kernelError(kernel, "A and B must be 2-D, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  g.transA = args.attrs.getInt("transA", 0) != 0;
  g.transB = args.attrs.getInt("transB", 0) != 0;
  g.alpha = static_cast<float>(args.attrs.getFloat("alpha", 1.0));
  g.beta = static_cast<float>(args.attrs.getFloat("beta", 1.0));
  g.M = A.shape[g.transA ? 1 : 0], g.K = A.shape[g.transA ? 0 : 1];
  g.N = B.shape[g.transB ? 0 : 1];
  if (B.shape[g.transB ? 1 : 0] != g.K)
    return kernelError(kernel,
                       "contracted sizes differ: A " + formatShape(A.shape) +
                           ", B " + formatShape(B.shape) +
                           " (transA = " + std::to_string(g.transA) +
                           ", transB = " + std::to_string(g.transB) + ")");
  std::vector<int64_t> outShape = {g.M, g.N};
  if (g.C) {
    if (Status s = checkTensor(kernel, *g.C, "C"); !s)
      return s.error();
    if (!broadcastsToIgnoringLeadingOnes(g.C->shape, outShape))
      return kernelError(kernel, "C " + formatShape(g.C->shape) +
                                     " does not broadcast to " +
                                     formatShape(outShape));
  }
  if (Status s = checkShape(kernel, args.outputs[0], "Y", outShape); !s)
    return s.error();
  return g;
}

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

Expected<SoftmaxLanes> checkSoftmax(const char *kernel,
                                    const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 1, 1, 1, 1); !s)
    return s.error();
  const TensorArg &input = args.inputs[0];
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s.error();
  int64_t rank = input.rank(), axis = args.attrs.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return kernelError(kernel, "axis " + std::to_string(axis) +
                                   " is out of range for input " +
                                   formatShape(input.shape));
  if (axis < 0)
    axis += rank;
  if (Status s = checkShape(kernel, args.outputs[0], "output", input.shape); !s)
    return s.error();
  SoftmaxLanes l;
  l.n = input.shape[axis];
  for (int64_t d = axis + 1; d < rank; ++d)
    l.inner *= input.shape[d];
  l.lanes = l.n == 0 ? 0 : input.numElements() / l.n;
  return l;
}

namespace {

/// Checks an epsilon attribute: finite and non-negative.
Status checkEpsilon(const char *kernel, double epsilon) {
  if (!(std::isfinite(epsilon) && epsilon >= 0.0))
    return kernelError(kernel, "epsilon must be non-negative and finite, "
                               "got " +
                                   std::to_string(epsilon));
  return Status::ok();
}

} // namespace

Expected<NormRows> checkLayerNorm(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 3, 5, 1, 3); !s)
    return s.error();
  const TensorArg &input = args.inputs[0];
  const TensorArg *residual = optionalArg(args.inputs, 3);
  const TensorArg *addend = optionalArg(args.inputs, 4);
  const TensorArg *sum = optionalArg(args.outputs, 1);
  const TensorArg *shifted = optionalArg(args.outputs, 2);
  if (!addend != !shifted)
    return kernelError(kernel, addend ? "an addend needs the shifted result"
                                      : "the shifted result needs an addend");
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s.error();
  if (input.rank() < 1 || input.shape.back() == 0)
    return kernelError(kernel, "input must be [..., D] with D > 0, got " +
                                   formatShape(input.shape));
  int64_t D = input.shape.back();
  if (Status s = checkShape(kernel, args.inputs[1], "scale", {D}); !s)
    return s.error();
  if (Status s = checkShape(kernel, args.inputs[2], "bias", {D}); !s)
    return s.error();
  for (auto [operand, name] :
       {std::pair(residual, "residual"), std::pair(addend, "addend")})
    if (operand)
      if (Status s = checkShape(kernel, *operand, name, input.shape); !s)
        return s.error();
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s.error();
  if (Status s = checkShape(kernel, args.outputs[0], "output", input.shape); !s)
    return s.error();
  for (auto [result, name] :
       {std::pair(sum, "sum"), std::pair(shifted, "shifted")})
    if (result)
      if (Status s = checkShape(kernel, *result, name, input.shape); !s)
        return s.error();
  NormRows p;
  p.x = input.as<float>();
  p.residual = residual ? residual->as<float>() : nullptr;
  p.addend = addend ? addend->as<float>() : nullptr;
  p.shifted = shifted ? shifted->as<float>() : nullptr;
  p.scale = args.inputs[1].as<float>();
  p.bias = args.inputs[2].as<float>();
  p.y = args.outputs[0].as<float>();
  p.sum = sum ? sum->as<float>() : nullptr;
  p.rows = input.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  return p;
}

Expected<OnnxLayerNorm> checkOnnxLayerNorm(const char *kernel,
                                           const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 2, 3, 1, 3); !s)
    return s.error();
  const TensorArg &X = args.inputs[0], &scale = args.inputs[1];
  const TensorArg *bias = optionalArg(args.inputs, 2);
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (Status s = checkTensor(kernel, X, "X"); !s)
    return s.error();
  int64_t rank = X.rank(), axis = args.attrs.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return kernelError(kernel, "axis " + std::to_string(axis) +
                                   " is out of range for X " +
                                   formatShape(X.shape));
  if (axis < 0)
    axis += rank;
  std::vector<int64_t> inner(X.shape.begin() + axis, X.shape.end());
  std::vector<int64_t> statsShape(X.shape.begin(), X.shape.begin() + axis);
  statsShape.resize(rank, 1);
  int64_t D = elementCount(inner);
  if (D == 0)
    return kernelError(kernel,
                       "the normalized size is 0 in X " + formatShape(X.shape));
  // Scale and B must not vary along the leading (row) dimensions.
  for (auto [tensor, name] :
       {std::pair{&scale, "Scale"}, std::pair{bias, "B"}}) {
    if (!tensor)
      continue;
    if (Status s = checkTensor(kernel, *tensor, name); !s)
      return s.error();
    if (!broadcastsToIgnoringLeadingOnes(tensor->shape, inner))
      return kernelError(kernel, std::string(name) + " " +
                                     formatShape(tensor->shape) +
                                     " does not broadcast to the normalized "
                                     "dimensions " +
                                     formatShape(inner));
  }
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s.error();
  if (Status s = checkShape(kernel, args.outputs[0], "Y", X.shape); !s)
    return s.error();
  const TensorArg *mean = optionalArg(args.outputs, 1);
  const TensorArg *invStdDev = optionalArg(args.outputs, 2);
  if (mean) {
    if (Status s = checkShape(kernel, *mean, "Mean", statsShape); !s)
      return s.error();
  }
  if (invStdDev) {
    if (Status s = checkShape(kernel, *invStdDev, "InvStdDev", statsShape); !s)
      return s.error();
  }
  OnnxLayerNorm n;
  n.scale = &scale;
  n.bias = bias;
  n.inner = std::move(inner);
  NormRows &p = n.rows;
  p.x = X.as<float>();
  p.y = args.outputs[0].as<float>();
  p.mean = mean ? mean->as<float>() : nullptr;
  p.invStdDev = invStdDev ? invStdDev->as<float>() : nullptr;
  p.rows = X.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  return n;
}

Expected<double> checkBatchNorm(const char *kernel, const KernelArgs &args) {
  if (Status s = checkArity(kernel, args, 5, 5, 1, 3); !s)
    return s.error();
  const TensorArg &X = args.inputs[0];
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (args.attrs.getInt("training_mode", 0) != 0)
    return kernelError(kernel, "training_mode is not supported");
  if (Status s = checkTensor(kernel, X, "X"); !s)
    return s.error();
  if (X.rank() < 2)
    return kernelError(kernel,
                       "X must be [N, C, ...], got " + formatShape(X.shape));
  int64_t C = X.shape[1];
  const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  for (int i = 1; i < 5; ++i)
    if (Status s = checkShape(kernel, args.inputs[i], names[i], {C}); !s)
      return s.error();
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s.error();
  if (Status s = checkShape(kernel, args.outputs[0], "Y", X.shape); !s)
    return s.error();
  const char *statNames[] = {"Y", "running_mean", "running_var"};
  for (size_t i = 1; i < args.outputs.size(); ++i)
    if (const TensorArg *stat = optionalArg(args.outputs, i))
      if (Status s = checkShape(kernel, *stat, statNames[i], {C}); !s)
        return s.error();
  return epsilon;
}

} // namespace intr::cpu::nn
