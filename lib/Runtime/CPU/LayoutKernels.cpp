//===- LayoutKernels.cpp - ONNX shape and data movement ops on the CPU ----===//
//
// These kernels move elements without looking at them, so they work for
// every element type (only Range, ConstantOfShape and linear Resize compute
// values). Most of them are one "gather by axis tables" loop: output element
// (i0, ..., in) reads input offset table0[i0] + ... + tablen[in], or a fill
// value where a table says -1; Transpose, Expand, Tile, Slice and Pad only
// differ in how they build the tables. Views (Reshape, Flatten, Squeeze,
// Unsqueeze) are a copy; shapes are static, so every kernel checks the
// result's shape against its operands instead of computing it.
//
//===----------------------------------------------------------------------===//

#include "Broadcast.h"
#include "ElementwiseSupport.h"
#include "Kernel.h"
#include "LayoutSupport.h"
#include "SliceSupport.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <type_traits>

namespace intr::cpu {
namespace {

using layout::checkResult;
using layout::checkView;
using layout::PadMode;
using layout::ResizeAxis;
using layout::ResizeMode;
using layout::ResizeSampling;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Per-output-axis input offsets (in elements); -1 means "the fill value".
using AxisTables = std::vector<std::vector<int64_t>>;

template <typename T>
void gatherTablesTyped(const T *src, T *dst, const std::vector<int64_t> &shape,
                       const AxisTables &tables, T fill,
                       [[maybe_unused]] int threads) {
  int64_t total = elementCount(shape);
  if (total == 0)
    return;
  if (shape.empty()) {
    dst[0] = src[0];
    return;
  }
  const std::vector<int64_t> &last = tables.back();
  int64_t inner = shape.back(), rows = total / inner;
  int64_t outer = static_cast<int64_t>(shape.size()) - 1;
  bool contiguous = last[0] >= 0;
  for (int64_t j = 1; j < inner && contiguous; ++j)
    contiguous = last[j] == last[0] + j;
#pragma omp parallel for num_threads(threads) if (total >= kParallelGrain)
  for (int64_t row = 0; row < rows; ++row) {
    int64_t base = 0, rest = row;
    bool filled = false;
    for (int64_t d = outer - 1; d >= 0; --d) {
      int64_t offset = tables[d][rest % shape[d]];
      rest /= shape[d];
      filled |= offset < 0;
      base += offset;
    }
    T *out = dst + row * inner;
    if (filled) {
      std::fill(out, out + inner, fill);
    } else if (contiguous) {
      std::memcpy(out, src + base + last[0], inner * sizeof(T));
    } else {
      for (int64_t j = 0; j < inner; ++j)
        out[j] = last[j] < 0 ? fill : src[base + last[j]];
    }
  }
}

/// Fills `out` (whose shape has one entry per table) from `in` through the
/// tables; `fill` (one element, or null for zero) goes where they say -1.
void gatherTables(const TensorArg &in, const TensorArg &out,
                  const std::vector<int64_t> &shape, const AxisTables &tables,
                  const void *fill, int threads) {
  visitElementBits(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    T fillValue = 0;
    if (fill)
      std::memcpy(&fillValue, fill, sizeof(T));
    gatherTablesTyped(in.as<const T>(), out.as<T>(), shape, tables, fillValue,
                      threads);
  });
}

/// Tables for an output of `sizes` that reads the input at `base` +
/// sum(i_d * strides[d]); merges axes that walk memory as one first, so
/// that inner runs are long (a transpose that keeps the last axis copies
/// whole rows).
void stridedCopy(const TensorArg &in, const TensorArg &out,
                 const std::vector<int64_t> &sizes,
                 const std::vector<int64_t> &strides, int threads) {
  layout::StridedView merged = layout::mergeAxes(sizes, strides);
  const std::vector<int64_t> &shape = merged.sizes, &steps = merged.strides;
  AxisTables tables(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    tables[d].resize(shape[d]);
    for (int64_t i = 0; i < shape[d]; ++i)
      tables[d][i] = i * steps[d];
  }
  gatherTables(in, out, shape, tables, nullptr, threads);
}

/// Copies in to out (a view with another shape); they may alias.
void copyView(const TensorArg &in, const TensorArg &out) {
  if (in.data != out.data && in.sizeInBytes() != 0)
    std::memmove(out.data, in.data, in.sizeInBytes());
}

std::string formatInts(const std::vector<int64_t> &values) {
  return formatShape(values);
}

//===----------------------------------------------------------------------===//
// Views: Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

Status reshapeKernel(const KernelArgs &args) {
  const char *name = "onnx.Reshape";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  if (Status s = checkView(name, in, out); !s)
    return s;
  // The result's shape is static; still check that the shape operand
  // describes it, with ONNX's 0 (copy) and -1 (infer) entries.
  std::vector<int64_t> shape;
  if (Status s = readInts(name, "shape", args.inputs[1], shape); !s)
    return s;
  bool allowZero = args.attrs.getInt("allowzero", 0) != 0;
  if (shape.size() != out.shape.size())
    return kernelError(name, "shape " + formatInts(shape) +
                                 " does not describe the result " +
                                 formatShape(out.shape));
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t want = shape[i];
    if (want == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= in.rank())
        return kernelError(name, "shape " + formatInts(shape) +
                                     " copies a size the input lacks");
      want = in.shape[i];
    }
    if (want < -1 || (want >= 0 && want != out.shape[i]))
      return kernelError(name, "shape " + formatInts(shape) +
                                   " does not describe the result " +
                                   formatShape(out.shape));
  }
  if (std::count(shape.begin(), shape.end(), -1) > 1)
    return kernelError(name,
                       "shape " + formatInts(shape) + " has more than one -1");
  copyView(in, out);
  return Status::ok();
}

Status flattenKernel(const KernelArgs &args) {
  if (Status s = layout::checkFlatten(args); !s)
    return s;
  copyView(args.inputs[0], args.outputs[0]);
  return Status::ok();
}

Status squeezeKernel(const KernelArgs &args) {
  const char *name = "onnx.Squeeze";
  if (Status s = checkOperands(name, args, 1, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> axes;
  // An empty axes tensor counts as absent, as in ONNX Runtime.
  const TensorArg *axesArg = optionalArg(args.inputs, 1);
  if (axesArg && axesArg->numElements() == 0)
    axesArg = nullptr;
  if (axesArg) {
    if (Status s = readInts(name, "axes", *axesArg, axes); !s)
      return s;
    if (Status s = normalizeAxes(name, axes, in.rank()); !s)
      return s;
  }
  std::vector<bool> drop(in.rank(), false);
  if (axesArg) {
    for (int64_t axis : axes) {
      if (in.shape[axis] != 1)
        return kernelError(name, "cannot squeeze axis " + std::to_string(axis) +
                                     " of size " +
                                     std::to_string(in.shape[axis]));
      drop[axis] = true;
    }
  } else {
    for (int64_t d = 0; d < in.rank(); ++d)
      drop[d] = in.shape[d] == 1;
  }
  std::vector<int64_t> expected;
  for (int64_t d = 0; d < in.rank(); ++d)
    if (!drop[d])
      expected.push_back(in.shape[d]);
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  copyView(in, out);
  return Status::ok();
}

Status unsqueezeKernel(const KernelArgs &args) {
  const char *name = "onnx.Unsqueeze";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> axes;
  if (Status s = readInts(name, "axes", args.inputs[1], axes); !s)
    return s;
  int64_t rank = in.rank() + static_cast<int64_t>(axes.size());
  if (Status s = normalizeAxes(name, axes, rank); !s)
    return s;
  std::vector<int64_t> expected(rank, 1);
  std::vector<bool> inserted(rank, false);
  for (int64_t axis : axes)
    inserted[axis] = true;
  for (int64_t d = 0, i = 0; d < rank; ++d)
    if (!inserted[d])
      expected[d] = in.shape[i++];
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  copyView(in, out);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Shape, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

Status shapeKernel(const KernelArgs &args) {
  Expected<layout::ShapeRange> range = layout::checkShapeOp(args);
  if (!range)
    return range.error();
  const std::vector<int64_t> &shape = args.inputs[0].shape;
  std::copy(shape.begin() + range->start, shape.begin() + range->end,
            args.outputs[0].as<int64_t>());
  return Status::ok();
}

Status constantOfShapeKernel(const KernelArgs &args) {
  const char *name = "onnx.ConstantOfShape";
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s;
  const TensorArg &out = args.outputs[0];
  std::vector<int64_t> shape;
  if (Status s = readInts(name, "shape", args.inputs[0], shape); !s)
    return s;
  if (Status s = expectShape(name, "the result", out, shape); !s)
    return s;
  Expected<uint64_t> element =
      layout::constantOfShapeValue(name, args.attrs, out.dtype);
  if (!element)
    return element.error();
  visitElementBits(out.dtype, [&](auto tag) {
    using T = decltype(tag);
    T fill;
    std::memcpy(&fill, &*element, sizeof(T));
    std::fill(out.as<T>(), out.as<T>() + out.numElements(), fill);
  });
  return Status::ok();
}

Status rangeKernel(const KernelArgs &args) {
  const char *name = "onnx.Range";
  if (Status s = layout::checkRange(args); !s)
    return s;
  const TensorArg &out = args.outputs[0];
  Status status;
  bool known =
      visitTypes<float, double, int64_t, int32_t>(out.dtype, [&](auto tag) {
        using T = decltype(tag);
        T start = *args.inputs[0].as<const T>();
        T limit = *args.inputs[1].as<const T>();
        T delta = *args.inputs[2].as<const T>();
        if (delta == T(0)) {
          status = kernelError(name, "delta is zero");
          return;
        }
        double count = std::ceil(
            (static_cast<double>(limit) - static_cast<double>(start)) /
            static_cast<double>(delta));
        if (!(count >= 0))
          count = 0; // Also NaN.
        if (count != static_cast<double>(out.shape[0])) {
          status = kernelError(
              name, "the result has " + std::to_string(out.shape[0]) +
                        " elements, the range " + std::to_string(count));
          return;
        }
        T *dst = out.as<T>();
        for (int64_t i = 0; i < out.shape[0]; ++i)
          dst[i] = static_cast<T>(start + static_cast<T>(i) * delta);
      });
  if (!known)
    return dtypeError(name, "operand", out.dtype);
  return status;
}

//===----------------------------------------------------------------------===//
// Transpose, Expand, Tile, Slice, Pad
//===----------------------------------------------------------------------===//

/// A transpose whose output rows run across the input's rows (NCHW to
/// NHWC and back): `shape` and `steps` are its merged view, whose last axis
/// is not the input's contiguous one, axis `a` is. Row by row, every
/// element of an output row would come from another cache line; in tiles
/// of kTile x kTile elements (of axes a and last) each line read is used
/// kTile times while it is in cache, and each line written is whole.
template <typename T>
void transposeTiles(const T *src, T *dst, const std::vector<int64_t> &shape,
                    const std::vector<int64_t> &steps, size_t a,
                    [[maybe_unused]] int threads) {
  constexpr int64_t kTile = 32;
  const size_t last = shape.size() - 1;
  const std::vector<int64_t> outSteps = stridesOf(shape);
  const int64_t rowsA = shape[a], rowsLast = shape[last];
  const int64_t tilesA = (rowsA + kTile - 1) / kTile;
  const int64_t tilesLast = (rowsLast + kTile - 1) / kTile;
  const int64_t outer = elementCount(shape) / (rowsA * rowsLast);
  const int64_t items = outer * tilesA * tilesLast;
#pragma omp parallel for num_threads(                                          \
    threads) if (items > 1 && elementCount(shape) >= kParallelGrain)
  for (int64_t item = 0; item < items; ++item) {
    const int64_t tileLast = item % tilesLast;
    const int64_t tileA = item / tilesLast % tilesA;
    // The other axes' offsets, the last of them varying fastest.
    int64_t rest = item / (tilesLast * tilesA), from = 0, to = 0;
    for (size_t d = last; d-- > 0;) {
      if (d == a)
        continue;
      int64_t index = rest % shape[d];
      rest /= shape[d];
      from += index * steps[d];
      to += index * outSteps[d];
    }
    const int64_t a0 = tileA * kTile, a1 = std::min(rowsA, a0 + kTile);
    const int64_t l0 = tileLast * kTile, l1 = std::min(rowsLast, l0 + kTile);
    for (int64_t i = a0; i < a1; ++i) {
      const T *in = src + from + i;
      T *out = dst + to + i * outSteps[a];
      for (int64_t j = l0; j < l1; ++j)
        out[j] = in[j * steps[last]];
    }
  }
}

Status transposeKernel(const KernelArgs &args) {
  Expected<layout::StridedView> view = layout::checkTranspose(args);
  if (!view)
    return view.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  // Nothing to copy; and the tiles' counts would divide by a size of 0.
  if (out.numElements() == 0)
    return Status::ok();
  layout::StridedView merged = layout::mergeAxes(view->sizes, view->strides);
  const std::vector<int64_t> &steps = merged.strides;
  auto contiguous = std::find(steps.begin(), steps.end(), int64_t(1));
  if (steps.size() >= 2 && steps.back() != 1 && contiguous != steps.end()) {
    visitElementBits(in.dtype, [&](auto tag) {
      using T = decltype(tag);
      transposeTiles(in.as<const T>(), out.as<T>(), merged.sizes, steps,
                     size_t(contiguous - steps.begin()), args.threads);
    });
    return Status::ok();
  }
  stridedCopy(in, out, view->sizes, view->strides, args.threads);
  return Status::ok();
}

Status expandKernel(const KernelArgs &args) {
  const char *name = "onnx.Expand";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> shape, expected;
  if (Status s = readInts(name, "shape", args.inputs[1], shape); !s)
    return s;
  if (!broadcastShapes(in.shape, shape, expected))
    return kernelError(name, "cannot expand " + formatShape(in.shape) + " to " +
                                 formatInts(shape));
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  stridedCopy(in, out, out.shape,
              layout::broadcastStrides(in.shape, out.rank()), args.threads);
  return Status::ok();
}

Status tileKernel(const KernelArgs &args) {
  const char *name = "onnx.Tile";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> repeats;
  if (Status s = readInts(name, "repeats", args.inputs[1], repeats); !s)
    return s;
  if (static_cast<int64_t>(repeats.size()) != in.rank())
    return kernelError(name, "repeats " + formatInts(repeats) +
                                 " does not match rank " +
                                 std::to_string(in.rank()));
  std::vector<int64_t> expected(in.rank());
  for (int64_t d = 0; d < in.rank(); ++d) {
    if (repeats[d] < 0)
      return kernelError(name, "repeats " + formatInts(repeats) +
                                   " has a negative entry");
    if (repeats[d] > 0 &&
        in.shape[d] > std::numeric_limits<int64_t>::max() / repeats[d])
      return kernelError(name, "repeats " + formatInts(repeats) +
                                   " make the result too large");
    expected[d] = in.shape[d] * repeats[d];
  }
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  if (out.numElements() == 0)
    return Status::ok();
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  AxisTables tables(in.rank());
  for (int64_t d = 0; d < in.rank(); ++d)
    for (int64_t i = 0; i < expected[d]; ++i)
      tables[d].push_back((i % in.shape[d]) * inStrides[d]);
  gatherTables(in, out, out.shape, tables, nullptr, args.threads);
  return Status::ok();
}

Status sliceKernel(const KernelArgs &args) {
  const char *name = "onnx.Slice";
  if (Status s = checkOperands(name, args, 3, 5, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  std::vector<int64_t> starts, ends, axes, steps;
  if (Status s = readInts(name, "starts", args.inputs[1], starts); !s)
    return s;
  if (Status s = readInts(name, "ends", args.inputs[2], ends); !s)
    return s;
  size_t n = starts.size();
  if (const TensorArg *t = optionalArg(args.inputs, 3)) {
    if (Status s = readInts(name, "axes", *t, axes); !s)
      return s;
  } else {
    axes.resize(n);
    std::iota(axes.begin(), axes.end(), 0);
  }
  if (const TensorArg *t = optionalArg(args.inputs, 4)) {
    if (Status s = readInts(name, "steps", *t, steps); !s)
      return s;
  } else {
    steps.assign(n, 1);
  }
  if (ends.size() != n || axes.size() != n || steps.size() != n)
    return kernelError(name, "starts, ends, axes and steps differ in length");
  if (Status s = normalizeAxes(name, axes, rank); !s)
    return s;
  // Per axis: first index and step; axes not sliced take everything.
  std::vector<int64_t> first(rank, 0), step(rank, 1), expected = in.shape;
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = axes[i], size = in.shape[axis];
    if (steps[i] == 0)
      return kernelError(name, "step is zero on axis " + std::to_string(axis));
    layout::SliceAxis taken =
        layout::sliceAxis(starts[i], ends[i], steps[i], size);
    first[axis] = taken.first;
    step[axis] = taken.step;
    expected[axis] = taken.length;
  }
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  if (out.numElements() == 0)
    return Status::ok();
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  AxisTables tables(rank);
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < expected[d]; ++i)
      tables[d].push_back((first[d] + i * step[d]) * inStrides[d]);
  gatherTables(in, out, out.shape, tables, nullptr, args.threads);
  return Status::ok();
}

Status padKernel(const KernelArgs &args) {
  const char *name = "onnx.Pad";
  if (Status s = checkOperands(name, args, 2, 4, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  Expected<PadMode> mode = layout::padModeOf(name, args.attrs);
  if (!mode)
    return mode.error();
  std::vector<int64_t> pads, axes;
  if (Status s = readInts(name, "pads", args.inputs[1], pads); !s)
    return s;
  const TensorArg *value = optionalArg(args.inputs, 2);
  if (Status s = layout::checkPadValue(name, value, in.dtype); !s)
    return s;
  const void *fill = value ? value->data : nullptr;
  if (const TensorArg *t = optionalArg(args.inputs, 3)) {
    if (Status s = readInts(name, "axes", *t, axes); !s)
      return s;
    if (Status s = normalizeAxes(name, axes, rank); !s)
      return s;
  } else {
    axes.resize(rank);
    std::iota(axes.begin(), axes.end(), 0);
  }
  if (pads.size() != 2 * axes.size())
    return kernelError(name, "pads " + formatInts(pads) + " should have " +
                                 std::to_string(2 * axes.size()) + " entries");
  std::vector<int64_t> begin(rank, 0), expected = in.shape;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    int64_t lo = pads[i], hi = pads[i + axes.size()];
    // Bounds keep the sums below from overflowing.
    const int64_t kLimit = int64_t(1) << 48;
    if (lo < -kLimit || lo > kLimit || hi < -kLimit || hi > kLimit ||
        in.shape[axis] + lo + hi < 0)
      return kernelError(name, "pads " + formatInts(pads) +
                                   " do not fit the input " +
                                   formatShape(in.shape));
    begin[axis] = lo;
    expected[axis] = in.shape[axis] + lo + hi;
  }
  if (Status s = checkResult(name, out, in.dtype, expected); !s)
    return s;
  if (out.numElements() == 0)
    return Status::ok();
  if (Status s = layout::checkPadEmptyAxes(name, in, *mode); !s)
    return s;
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  AxisTables tables(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = in.shape[d];
    for (int64_t i = 0; i < expected[d]; ++i) {
      int64_t k = i - begin[d];
      if (k < 0 || k >= size) {
        if (*mode == PadMode::Constant) {
          k = -1;
        } else if (*mode == PadMode::Edge) {
          k = std::clamp<int64_t>(k, 0, size - 1);
        } else if (*mode == PadMode::Wrap) {
          k = ((k % size) + size) % size;
        } else if (size == 1) {
          k = 0;
        } else {
          // Mirror without repeating the edge; repeats if the pad is wider
          // than the axis, as numpy does.
          int64_t period = 2 * (size - 1);
          k = ((k % period) + period) % period;
          if (k >= size)
            k = period - k;
        }
      }
      tables[d].push_back(k < 0 ? -1 : k * inStrides[d]);
    }
  }
  gatherTables(in, out, out.shape, tables, fill, args.threads);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Concat, Split, Gather
//===----------------------------------------------------------------------===//

/// Copies `rows` rows of `width` bytes between strided rows.
void copyRows(const char *src, int64_t srcStride, char *dst, int64_t dstStride,
              int64_t rows, int64_t width, [[maybe_unused]] int threads) {
  if (rows == 0 || width == 0)
    return;
#pragma omp parallel for num_threads(threads) if (rows * width >=              \
                                                  4 * kParallelGrain)
  for (int64_t r = 0; r < rows; ++r)
    std::memcpy(dst + r * dstStride, src + r * srcStride, width);
}

/// Each output row gathers its pieces from every input in turn, so that
/// it is written once, in order, by one thread: a channels-last
/// concatenation along the channels has a row per pixel, and a short piece
/// of each input in it (DenseNet's blocks join up to 32 inputs).
Status concatKernel(const KernelArgs &args) {
  Expected<layout::ConcatLayout> layout = layout::checkConcat(args);
  if (!layout)
    return layout.error();
  const int64_t outer = layout->outer, rowBytes = layout->rowBytes;
  char *dst = args.outputs[0].as<char>();
  [[maybe_unused]] const int threads = args.threads;
#pragma omp parallel for num_threads(threads) if (outer * rowBytes >=          \
                                                  4 * kParallelGrain)
  for (int64_t r = 0; r < outer; ++r)
    for (const layout::ConcatLayout::Piece &piece : layout->pieces)
      std::memcpy(dst + r * rowBytes + piece.offset,
                  static_cast<const char *>(piece.src) + r * piece.width,
                  piece.width);
  return Status::ok();
}

/// Reads Split's lengths, which must add up to the axis.
Status readSplit(const char *name, const KernelArgs &args, int64_t axis,
                 const TensorArg &split, std::vector<int64_t> &lengths) {
  int64_t size = args.inputs[0].shape[axis];
  if (Status s = readInts(name, "split", split, lengths); !s)
    return s;
  int64_t sum = 0;
  for (int64_t length : lengths) {
    if (length < 0 || length > size)
      return kernelError(name, "split " + formatInts(lengths) +
                                   " has an entry out of range");
    sum += length;
  }
  if (sum != size)
    return kernelError(name, "split " + formatInts(lengths) +
                                 " does not sum to " + std::to_string(size));
  return Status::ok();
}

Status splitKernel(const KernelArgs &args) {
  Expected<layout::SplitLayout> split = layout::checkSplit(args, readSplit);
  if (!split)
    return split.error();
  const TensorArg &in = args.inputs[0];
  int64_t inner = split->rows.inner;
  int64_t inRow = in.shape[split->rows.axis] * inner, offset = 0;
  for (size_t i = 0; i < args.outputs.size(); ++i) {
    int64_t width = split->lengths[i] * inner;
    copyRows(in.as<const char>() + offset, inRow, args.outputs[i].as<char>(),
             width, split->rows.outer, width, args.threads);
    offset += width;
  }
  return Status::ok();
}

/// Moves Gather's and GatherElements' indices along an axis of `size` into
/// [0, size), counting negative ones from the end; one outside
/// [-size, size) is an error.
Status normalizeIndices(const char *name, std::vector<int64_t> &indices,
                        int64_t axis, int64_t size) {
  for (int64_t &index : indices) {
    if (index < -size || index >= size)
      return kernelError(name, "index " + std::to_string(index) +
                                   " is out of range for axis " +
                                   std::to_string(axis) + " of size " +
                                   std::to_string(size));
    if (index < 0)
      index += size;
  }
  return Status::ok();
}

Status gatherKernel(const KernelArgs &args) {
  const char *name = "onnx.Gather";
  std::vector<int64_t> indices;
  Expected<layout::AxisRows> rows = layout::checkGather(args, &indices);
  if (!rows)
    return rows.error();
  const TensorArg &data = args.inputs[0], &out = args.outputs[0];
  int64_t axis = rows->axis, outer = rows->outer, inner = rows->inner;
  int64_t size = data.shape[axis];
  if (Status s = normalizeIndices(name, indices, axis, size); !s)
    return s;
  int64_t count = static_cast<int64_t>(indices.size());
  const char *src = data.as<const char>();
  char *dst = out.as<char>();
  if (inner == 0 || count == 0 || outer == 0)
    return Status::ok();
#pragma omp parallel for num_threads(                                          \
    args.threads) if (outer * count * inner >= 4 * kParallelGrain)
  for (int64_t task = 0; task < outer * count; ++task) {
    int64_t o = task / count, k = task % count;
    std::memcpy(dst + task * inner, src + (o * size + indices[k]) * inner,
                inner);
  }
  return Status::ok();
}

/// Turns GatherElements' and ScatterElements' `indices` (of `indicesShape`,
/// along `axis` of data's `dataShape`) into the offsets of the data elements
/// they name: position p of the indices with p[axis] = indices[p].
Status elementOffsets(const char *name, std::vector<int64_t> &indices,
                      const std::vector<int64_t> &indicesShape,
                      const std::vector<int64_t> &dataShape, int64_t axis) {
  if (Status s = normalizeIndices(name, indices, axis, dataShape[axis]); !s)
    return s;
  const int64_t rank = static_cast<int64_t>(dataShape.size());
  const std::vector<int64_t> strides = stridesOf(dataShape);
  std::vector<int64_t> position(rank, 0);
  for (int64_t &index : indices) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += (d == axis ? index : position[d]) * strides[d];
    index = offset;
    // The next position in the indices' row-major order.
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++position[d] < indicesShape[d])
        break;
      position[d] = 0;
    }
  }
  return Status::ok();
}

/// out[p] = data[p with p[axis] = indices[p]], element by element.
Status gatherElementsKernel(const KernelArgs &args) {
  const char *name = "onnx.GatherElements";
  Expected<int64_t> axisOr = layout::checkGatherElements(args);
  if (!axisOr)
    return axisOr.error();
  const int64_t axis = *axisOr;
  const TensorArg &data = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> indices;
  if (Status s = readInts(name, "indices", args.inputs[1], indices,
                          /*anyRank=*/true);
      !s)
    return s;
  if (Status s =
          elementOffsets(name, indices, args.inputs[1].shape, data.shape, axis);
      !s)
    return s;
  const size_t unit = dtypeSize(data.dtype);
  const char *src = data.as<const char>();
  char *dst = out.as<char>();
  for (size_t e = 0; e < indices.size(); ++e)
    std::memcpy(dst + e * unit, src + indices[e] * unit, unit);
  return Status::ok();
}

/// Each index tuple's slice of data, one after another; tuple t of a
/// batch reads that batch's block.
Status gatherNDKernel(const KernelArgs &args) {
  const char *name = "onnx.GatherND";
  Expected<layout::GatherNDLayout> layoutOr = layout::checkGatherND(args);
  if (!layoutOr)
    return layoutOr.error();
  const layout::GatherNDLayout &l = *layoutOr;
  const TensorArg &data = args.inputs[0], &out = args.outputs[0];
  std::vector<int64_t> tuples;
  if (Status s =
          readInts(name, "indices", args.inputs[1], tuples, /*anyRank=*/true);
      !s)
    return s;
  const std::vector<int64_t> strides = stridesOf(data.shape);
  const size_t unit = dtypeSize(data.dtype);
  const int64_t perBatch = l.batches == 0 ? 0 : l.tuples / l.batches;
  const char *src = data.as<const char>();
  char *dst = out.as<char>();
  for (int64_t t = 0; t < l.tuples; ++t) {
    int64_t offset = (t / perBatch) * l.batchStride;
    for (int64_t j = 0; j < l.tupleLength; ++j) {
      const int64_t axis = l.batchDims + j;
      std::vector<int64_t> index = {tuples[t * l.tupleLength + j]};
      if (Status s = normalizeIndices(name, index, axis, data.shape[axis]); !s)
        return s;
      offset += index[0] * strides[axis];
    }
    std::memcpy(dst + t * l.sliceElements * unit, src + offset * unit,
                l.sliceElements * unit);
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// ScatterElements and ScatterND
//===----------------------------------------------------------------------===//

/// Whether x is NaN; never for integers.
template <typename T> bool isNaN(T x) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(x);
  else
    return false;
}

/// out = data, then each update u written at `targets[u]` (element offsets
/// into out), combined with what is there by the reduction, in order.
Status scatterUpdates(const char *name, const KernelArgs &args,
                      layout::ScatterReduction reduction,
                      const std::vector<int64_t> &targets) {
  using layout::ScatterReduction;
  const TensorArg &data = args.inputs[0], &updates = args.inputs[2];
  const TensorArg &out = args.outputs[0];
  const size_t unit = dtypeSize(data.dtype);
  if (out.data != data.data && data.numElements() > 0)
    std::memmove(out.data, data.data, data.numElements() * unit);
  if (reduction == ScatterReduction::None) {
    const char *src = updates.as<const char>();
    char *dst = out.as<char>();
    for (size_t u = 0; u < targets.size(); ++u)
      std::memcpy(dst + targets[u] * unit, src + u * unit, unit);
    return Status::ok();
  }
  auto apply = [&](auto tag) {
    using T = decltype(tag);
    const T *src = updates.as<const T>();
    T *dst = out.as<T>();
    for (size_t u = 0; u < targets.size(); ++u) {
      T &to = dst[targets[u]];
      const T from = src[u];
      switch (reduction) {
      case ScatterReduction::Add:
        to = to + from;
        break;
      case ScatterReduction::Mul:
        to = to * from;
        break;
      // NaN wins, as in numpy's maximum and minimum.
      case ScatterReduction::Max:
        to = isNaN(from) || from > to ? from : to;
        break;
      default:
        to = isNaN(from) || from < to ? from : to;
        break;
      }
    }
  };
  switch (data.dtype) {
  case DType::F32:
    apply(float());
    break;
  case DType::F64:
    apply(double());
    break;
  case DType::I32:
    apply(int32_t());
    break;
  case DType::I64:
    apply(int64_t());
    break;
  default:
    return dtypeError(name, "data", data.dtype);
  }
  return Status::ok();
}

/// out[p with p[axis] = indices[p]] = updates[p], p in the indices' shape.
Status scatterElementsKernel(const KernelArgs &args) {
  const char *name = "onnx.ScatterElements";
  Expected<layout::ScatterLayout> layoutOr = layout::checkScatterElements(args);
  if (!layoutOr)
    return layoutOr.error();
  const int64_t axis = layoutOr->axis;
  const TensorArg &data = args.inputs[0], &indices = args.inputs[1];
  std::vector<int64_t> targets;
  if (Status s = readInts(name, "indices", indices, targets, /*anyRank=*/true);
      !s)
    return s;
  if (Status s = elementOffsets(name, targets, indices.shape, data.shape, axis);
      !s)
    return s;
  return scatterUpdates(name, args, layoutOr->reduction, targets);
}

/// The slice data[t0, ..., tk-1] of each index tuple t gets the updates
/// under t.
Status scatterNDKernel(const KernelArgs &args) {
  const char *name = "onnx.ScatterND";
  Expected<layout::ScatterLayout> layoutOr = layout::checkScatterND(args);
  if (!layoutOr)
    return layoutOr.error();
  const TensorArg &data = args.inputs[0];
  const int64_t k = layoutOr->tupleLength, slice = layoutOr->sliceElements;
  std::vector<int64_t> tuples;
  if (Status s =
          readInts(name, "indices", args.inputs[1], tuples, /*anyRank=*/true);
      !s)
    return s;
  const std::vector<int64_t> strides = stridesOf(data.shape);
  std::vector<int64_t> targets;
  targets.reserve(layoutOr->tuples * slice);
  for (int64_t t = 0; t < layoutOr->tuples; ++t) {
    int64_t base = 0;
    for (int64_t j = 0; j < k; ++j) {
      std::vector<int64_t> index = {tuples[t * k + j]};
      if (Status s = normalizeIndices(name, index, j, data.shape[j]); !s)
        return s;
      base += index[0] * strides[j];
    }
    for (int64_t s = 0; s < slice; ++s)
      targets.push_back(base + s);
  }
  return scatterUpdates(name, args, layoutOr->reduction, targets);
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// How one axis resamples: output index j is the sum of taps
/// [tapBegin[j], tapBegin[j + 1]) of `index` times `weight` (for nearest,
/// one tap of weight 1); where outside[j] it has none, and the result there
/// is the extrapolation value (fillOutside).
struct AxisResample {
  std::vector<int64_t> tapBegin = {0}, index;
  std::vector<float> weight;
  std::vector<char> outside;
  bool identity = true;
};

/// The taps of every output index of one axis (ResizeSampling.h): clamped
/// to the input, those that weigh nothing dropped, and those that the
/// clamping makes read the same index merged, so that a window at the edge
/// reads the edge exactly.
AxisResample planAxis(const ResizeSampling &s, const ResizeAxis &axis) {
  AxisResample plan;
  const int64_t inSize = axis.inSize;
  for (int64_t j = 0; j < axis.outSize; ++j) {
    bool outside;
    float x = layout::resizeSource(s.transform, axis, j, outside);
    size_t first = plan.index.size();
    if (!outside && s.mode == ResizeMode::Nearest) {
      plan.index.push_back(layout::resizeNearestIndex(x, inSize, s.nearest));
      plan.weight.push_back(1.0f);
    } else if (!outside) {
      layout::ResizeWindow w = layout::resizeWindow(s, axis.scale, x);
      float norm = layout::resizeWindowNorm(s, w, inSize);
      for (int64_t k = w.first; k < w.first + w.count; ++k) {
        float weight = layout::resizeTapWeight(s, w, k) / norm;
        if (!layout::resizeTapCounts(s, w, k, inSize) || weight == 0.0f)
          continue;
        int64_t index = std::clamp<int64_t>(w.base + k, 0, inSize - 1);
        if (plan.index.size() > first && plan.index.back() == index) {
          plan.weight.back() += weight;
        } else {
          plan.index.push_back(index);
          plan.weight.push_back(weight);
        }
      }
      // One tap left: the window's weights sum to 1, so it is that tap.
      if (plan.index.size() == first + 1)
        plan.weight.back() = 1.0f;
    }
    plan.outside.push_back(outside);
    plan.tapBegin.push_back(static_cast<int64_t>(plan.index.size()));
    plan.identity &= !outside && plan.index.size() == first + 1 &&
                     plan.index.back() == j && plan.weight.back() == 1.0f;
  }
  plan.identity &= axis.outSize == inSize;
  return plan;
}

/// Resamples `axis` of a row-major buffer of `shape`: out[o, j, i] is the
/// sum over j's taps of weight * in[o, index, i] (0 without taps).
template <typename T>
void resampleAxis(const T *src, T *dst, const std::vector<int64_t> &shape,
                  int64_t axis, int64_t outSize, const AxisResample &plan,
                  [[maybe_unused]] int threads) {
  int64_t outer = 1, inner = 1, inSize = shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t rows = outer * outSize;
#pragma omp parallel for num_threads(threads) if (rows * inner >=              \
                                                  kParallelGrain)
  for (int64_t row = 0; row < rows; ++row) {
    int64_t o = row / outSize, j = row % outSize;
    T *to = dst + row * inner;
    int64_t begin = plan.tapBegin[j], end = plan.tapBegin[j + 1];
    if (end == begin) {
      std::fill(to, to + inner, T{});
    } else if (end - begin == 1 && plan.weight[begin] == 1.0f) {
      std::memcpy(to, src + (o * inSize + plan.index[begin]) * inner,
                  inner * sizeof(T));
    } else if constexpr (std::is_floating_point_v<T>) {
      // Only linear and cubic modes, of floats, have several taps.
      std::fill(to, to + inner, T(0));
      for (int64_t tap = begin; tap < end; ++tap) {
        const T *from = src + (o * inSize + plan.index[tap]) * inner;
        T w = plan.weight[tap];
        for (int64_t i = 0; i < inner; ++i)
          to[i] += w * from[i];
      }
    }
  }
}

/// Writes `value` wherever an axis's plan maps the output index outside the
/// input (tf_crop_and_resize), walking the output in row-major order.
template <typename T>
void fillOutside(T *out, const std::vector<int64_t> &shape,
                 const std::vector<AxisResample> &plans, T value) {
  const size_t rank = shape.size();
  std::vector<int64_t> index(rank, 0);
  int64_t total = elementCount(shape);
  auto outside = [&](size_t d) {
    return !plans[d].outside.empty() && plans[d].outside[index[d]];
  };
  for (int64_t i = 0; i < total; ++i) {
    for (size_t d = 0; d < rank; ++d)
      if (outside(d)) {
        out[i] = value;
        break;
      }
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

Status resizeKernel(const KernelArgs &args) {
  const char *name = "onnx.Resize";
  Expected<layout::ResizeAttrs> attrs = layout::checkResize(args);
  if (!attrs)
    return attrs.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  int64_t rank = in.rank();
  const ResizeSampling &sampling = attrs->sampling;
  const std::vector<int64_t> &axes = attrs->axes;
  const TensorArg *scalesArg = attrs->scales, *sizesArg = attrs->sizes;
  // Every axis, resized or not: sizes, scale, resized length and roi.
  std::vector<ResizeAxis> geometry(rank);
  for (int64_t d = 0; d < rank; ++d) {
    geometry[d].inSize = geometry[d].outSize = in.shape[d];
    geometry[d].length = static_cast<float>(in.shape[d]);
  }
  if (scalesArg) {
    for (size_t i = 0; i < axes.size(); ++i) {
      float scale = scalesArg->as<const float>()[i];
      if (!(scale > 0) || !std::isfinite(scale))
        return kernelError(name, "scales must be positive and finite");
      ResizeAxis &g = geometry[axes[i]];
      // ONNX shape inference: floor(size * scale) in f32.
      g.length = static_cast<float>(g.inSize) * scale;
      float size = std::floor(g.length);
      if (!(size < 9.0e18f))
        return kernelError(name, "scales make the result too large");
      g.scale = scale;
      g.outSize = static_cast<int64_t>(size);
    }
  } else {
    std::vector<int64_t> sizes;
    if (Status s = readInts(name, "sizes", *sizesArg, sizes); !s)
      return s;
    if (sizes.size() != axes.size())
      return kernelError(name, "sizes must have one entry per axis, got " +
                                   formatInts(sizes));
    for (int64_t size : sizes)
      if (size < 0)
        return kernelError(name, "sizes " + formatInts(sizes) +
                                     " has a negative entry");
    // keep_aspect_ratio_policy: one scale for every axis, and sizes
    // rounded half up from it, as ONNX's reference computes them (an
    // empty axis stays empty and has no say).
    double kept = 0.0;
    bool first = true;
    for (size_t i = 0; i < axes.size(); ++i) {
      if (in.shape[axes[i]] == 0)
        continue;
      double ratio = double(sizes[i]) / double(in.shape[axes[i]]);
      if (first || (attrs->notLarger ? ratio < kept : ratio > kept))
        kept = ratio;
      first = false;
    }
    for (size_t i = 0; i < axes.size(); ++i) {
      ResizeAxis &g = geometry[axes[i]];
      if (attrs->keepAspect) {
        double size = kept * double(g.inSize) + 0.5;
        if (!(size < 9.0e18))
          return kernelError(name, "sizes make the result too large");
        g.outSize = static_cast<int64_t>(size);
        g.scale = static_cast<float>(kept);
        g.length = static_cast<float>(g.inSize) * g.scale;
      } else {
        g.outSize = sizes[i];
        g.scale = g.inSize > 0 ? static_cast<float>(sizes[i]) /
                                     static_cast<float>(g.inSize)
                               : 1.0f;
        g.length = static_cast<float>(sizes[i]);
      }
    }
  }
  if (attrs->roi)
    for (size_t i = 0; i < axes.size(); ++i) {
      geometry[axes[i]].roiStart = attrs->roi->as<const float>()[i];
      geometry[axes[i]].roiEnd = attrs->roi->as<const float>()[i + axes.size()];
    }
  std::vector<int64_t> expected(rank);
  for (int64_t d = 0; d < rank; ++d)
    expected[d] = geometry[d].outSize;
  if (Status s = expectShape(name, "the result", out, expected); !s)
    return s;
  if (out.numElements() == 0)
    return Status::ok();

  // Separable: resample one resized axis at a time, in order, through
  // scratch buffers, skipping those that read every index as it is.
  std::vector<bool> resized(rank, false);
  for (int64_t axis : axes)
    resized[axis] = true;
  std::vector<AxisResample> plans(rank);
  std::vector<int64_t> todo;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resized[d])
      continue;
    plans[d] = planAxis(sampling, geometry[d]);
    if (!plans[d].identity)
      todo.push_back(d);
  }
  if (todo.empty()) {
    copyView(in, out);
    return Status::ok();
  }
  const bool crop =
      sampling.transform == layout::ResizeTransform::TfCropAndResize;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    std::vector<int64_t> shape = in.shape;
    std::vector<T> buffers[2];
    const T *src = in.as<const T>();
    for (size_t step = 0; step < todo.size(); ++step) {
      int64_t axis = todo[step];
      std::vector<int64_t> next = shape;
      next[axis] = expected[axis];
      T *dst;
      if (step + 1 == todo.size()) {
        dst = out.as<T>();
      } else {
        buffers[step % 2].resize(elementCount(next));
        dst = buffers[step % 2].data();
      }
      resampleAxis(src, dst, shape, axis, expected[axis], plans[axis],
                   args.threads);
      src = dst;
      shape = std::move(next);
    }
    // An element outside the crop on any axis is the extrapolation value
    // itself, written once at the end (blended by later axes, a large one
    // could even overflow to inf). Only tf_crop_and_resize runs on typed
    // elements and extrapolates.
    if constexpr (std::is_arithmetic_v<T>)
      if (crop)
        fillOutside(out.as<T>(), expected, plans,
                    layout::resizeExtrapolation<T>(sampling.extrapolation));
  };
  // The extrapolation value is written in the element's own type.
  if (sampling.mode != ResizeMode::Nearest)
    visitTypes<float, double>(in.dtype, run);
  else if (sampling.transform == layout::ResizeTransform::TfCropAndResize)
    visitTypes<float, double, int64_t, int32_t, int8_t, uint8_t>(in.dtype, run);
  else
    visitElementBits(in.dtype, run);
  return Status::ok();
}

} // namespace

void registerLayoutKernels(KernelRegistry &registry) {
  registry.add("onnx.Concat", concatKernel);
  registry.add("onnx.ConstantOfShape", constantOfShapeKernel);
  registry.add("onnx.Expand", expandKernel);
  registry.add("onnx.Flatten", flattenKernel);
  registry.add("onnx.Gather", gatherKernel);
  registry.add("onnx.GatherElements", gatherElementsKernel);
  registry.add("onnx.GatherND", gatherNDKernel);
  registry.add("onnx.ScatterElements", scatterElementsKernel);
  registry.add("onnx.ScatterND", scatterNDKernel);
  registry.add("onnx.Pad", padKernel);
  registry.add("onnx.Range", rangeKernel);
  registry.add("onnx.Reshape", reshapeKernel);
  registry.add("onnx.Resize", resizeKernel);
  registry.add("onnx.Shape", shapeKernel);
  registry.add("onnx.Slice", sliceKernel);
  registry.add("onnx.Split", splitKernel);
  registry.add("onnx.Squeeze", squeezeKernel);
  registry.add("onnx.Tile", tileKernel);
  registry.add("onnx.Transpose", transposeKernel);
  registry.add("onnx.Unsqueeze", unsqueezeKernel);
}

} // namespace intr::cpu
