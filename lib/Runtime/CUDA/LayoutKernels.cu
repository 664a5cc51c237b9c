//===- LayoutKernels.cu - ONNX shape and data movement ops on CUDA --------===//
//
// The CUDA twins of CPU/LayoutKernels.cpp: the same kernel names, operands,
// attributes and element types. Shapes are static, so the host checks every
// result's shape against its operands' shapes and the attributes before
// anything is launched, and refuses a step that does not fit.
//
// Small integer operands live in device memory (usually among the uploaded
// weights), so the host never reads their values: a step must neither
// synchronize nor copy to the host while a CUDA Graph is captured.
//  - Operands that only restate the static result are not read at all:
//    Reshape's and Expand's shape, Tile's repeats, Split's split, Resize's
//    sizes and ConstantOfShape's shape. Their dtype, rank and length are
//    checked; their values are not checked against the result.
//  - Operands that carry more than the result's shape are read by the
//    kernel itself: Slice's starts, ends, axes and steps, Pad's pads, axes
//    and constant_value, Gather's indices, Resize's scales and Range's
//    start, limit and delta. Slice, Pad and Resize check them as the CPU
//    does, in a short prologue of every block, before touching the input.
// A value the CPU refuses at run time (a zero step, pads or scales that do
// not give the result's shape, a zero delta) cannot become an Error from
// inside a kernel; the kernel writes zeros to the whole result instead.
// Gather zeroes only the slices of an out-of-range index. No value ever
// leads to a read or write out of bounds.
//
// The views (Reshape, Flatten, Squeeze, Unsqueeze) are one device-to-device
// copy. Transpose, Expand and Tile are one strided gather, after merging
// the axes that walk memory together and widening elements to 16 bytes
// where the innermost axis is contiguous; a transpose of the last two axes
// goes through shared-memory tiles instead. Every kernel loops grid-stride
// over its output; the copies use 32-bit index arithmetic when every
// offset fits.
//
//===----------------------------------------------------------------------===//

#include "../CPU/Broadcast.h"
#include "../CPU/ElementwiseSupport.h"
#include "../CPU/LayoutSupport.h"
#include "../CPU/SliceSupport.h"
#include "CudaKernel.h"
#include "Launch.cuh"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

namespace intr::cuda {
namespace {

using cpu::checkIntOperand;
using cpu::expectDType;
using cpu::expectShape;
using cpu::stridesOf;
using cpu::layout::checkView;
using cpu::layout::PadMode;
using cpu::layout::ResizeAxis;
using cpu::layout::ResizeMode;
using cpu::layout::ResizeSampling;
using cpu::layout::ResizeTransform;

/// Threads per block of the grid-stride kernels.
constexpr int kThreads = 256;
/// The largest rank of Slice, Pad and Resize (their kernels keep per-axis
/// parameters in fixed arrays).
constexpr int kMaxRank = 8;
/// Axes of a strided gather after merging (Tile doubles the rank).
constexpr int kMaxDims = 2 * kMaxRank;
/// Side of the shared-memory tiles of the last-two-axes transpose, and the
/// rows of a tile each thread row copies per step.
constexpr int kTile = 32;
constexpr int kTileRows = 8;

//===----------------------------------------------------------------------===//
// Host-side checks
//===----------------------------------------------------------------------===//

Status checkOperands(const char *name, const KernelCall &call, size_t minIn,
                     size_t maxIn, size_t minOut, size_t maxOut) {
  return cpu::checkOperands(name, call.cpuArgs(), minIn, maxIn, minOut, maxOut);
}

Status checkMaxRank(const char *name, int64_t rank) {
  if (rank > kMaxRank)
    return kernelError(name, "rank " + std::to_string(rank) + " is above the " +
                                 std::to_string(kMaxRank) +
                                 " the CUDA backend supports");
  return Status::ok();
}

/// Whether `shorter` is `longer` with `dropped` entries of size 1 removed:
/// what Squeeze and Unsqueeze do to a shape, whatever the axes are.
bool dropsOnes(const std::vector<int64_t> &longer,
               const std::vector<int64_t> &shorter, int64_t dropped) {
  if (static_cast<int64_t>(longer.size()) !=
      static_cast<int64_t>(shorter.size()) + dropped)
    return false;
  // Greedy matching is exact: a size that differs must be a dropped 1, and
  // matching a 1 now or a later one leaves the same choices.
  size_t j = 0;
  for (int64_t size : longer) {
    if (j < shorter.size() && shorter[j] == size)
      ++j;
    else if (size != 1)
      return false;
  }
  return j == shorter.size();
}

//===----------------------------------------------------------------------===//
// Launch helpers
//===----------------------------------------------------------------------===//

/// Calls fn with an unsigned type of `bytes` bytes (16: uint4), for kernels
/// that only move elements.
template <typename Fn> Status visitUnit(size_t bytes, Fn &&fn) {
  switch (bytes) {
  case 1:
    return fn(uint8_t{});
  case 2:
    return fn(uint16_t{});
  case 4:
    return fn(uint32_t{});
  case 8:
    return fn(uint64_t{});
  case 16:
    return fn(uint4{});
  }
  return Error("unsupported element size " + std::to_string(bytes));
}

/// Calls fn with uint32_t when every index and offset below `bound` fits
/// 31 bits (so that a grid-stride step cannot wrap), else with int64_t:
/// 64-bit divisions are several times slower on the device.
template <typename Fn> Status visitIndex(int64_t bound, Fn &&fn) {
  if (bound < (int64_t(1) << 31))
    return fn(uint32_t{});
  return fn(int64_t{});
}

/// The largest power of two up to 16 that divides every byte count and
/// every address, so that rows can move in wide units.
size_t widestUnit(std::initializer_list<int64_t> bytes,
                  std::initializer_list<const void *> pointers) {
  for (size_t unit = 16; unit > 1; unit /= 2) {
    bool fits = true;
    for (int64_t count : bytes)
      fits = fits && count % static_cast<int64_t>(unit) == 0;
    for (const void *pointer : pointers)
      fits = fits && reinterpret_cast<uintptr_t>(pointer) % unit == 0;
    if (fits)
      return unit;
  }
  return 1;
}

/// The element `i` of a small integer operand on the device.
struct IntOperand {
  const void *data = nullptr;
  bool wide = true;
};

IntOperand intOperand(const TensorArg *t) {
  IntOperand operand;
  if (t) {
    operand.data = t->data;
    operand.wide = t->dtype == DType::I64;
  }
  return operand;
}

__device__ int64_t loadInt(IntOperand operand, int64_t i) {
  return operand.wide ? static_cast<const int64_t *>(operand.data)[i]
                      : static_cast<const int32_t *>(operand.data)[i];
}

//===----------------------------------------------------------------------===//
// Views: Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Copies in to out, a view with another shape; nothing when they alias.
Status copyView(const char *name, const KernelCall &call, const TensorArg &in,
                const TensorArg &out) {
  if (in.data == out.data || in.sizeInBytes() == 0)
    return Status::ok();
  return check(cudaMemcpyAsync(out.data, in.data, in.sizeInBytes(),
                               cudaMemcpyDeviceToDevice, call.context.stream),
               std::string(name) + ": copying");
}

Status reshapeKernel(const KernelCall &call) {
  const char *name = "onnx.Reshape";
  if (Status s = checkOperands(name, call, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  if (Status s = checkView(name, in, out); !s)
    return s;
  // The shape's values (0 copies, -1 infers) only restate the static
  // result; its length must still be the result's rank.
  const TensorArg &shape = call.inputs[1];
  if (Status s = checkIntOperand(name, "shape", shape); !s)
    return s;
  if (shape.numElements() != out.rank())
    return kernelError(name, "shape has " +
                                 std::to_string(shape.numElements()) +
                                 " entries, which does not describe the "
                                 "result " +
                                 formatShape(out.shape));
  return copyView(name, call, in, out);
}

Status flattenKernel(const KernelCall &call) {
  const char *name = "onnx.Flatten";
  if (Status s = cpu::layout::checkFlatten(call.cpuArgs()); !s)
    return s;
  return copyView(name, call, call.inputs[0], call.outputs[0]);
}

Status squeezeKernel(const KernelCall &call) {
  const char *name = "onnx.Squeeze";
  if (Status s = checkOperands(name, call, 1, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  // An empty axes tensor counts as absent, as in ONNX Runtime.
  const TensorArg *axes = cpu::optionalArg(call.inputs, 1);
  if (axes && axes->numElements() == 0)
    axes = nullptr;
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  if (axes) {
    // Which axes go is in device memory; the result must be the input
    // less that many axes of size 1.
    if (Status s = checkIntOperand(name, "axes", *axes); !s)
      return s;
    if (!dropsOnes(in.shape, out.shape, axes->numElements()))
      return kernelError(
          name, "the result " + formatShape(out.shape) + " is not " +
                    formatShape(in.shape) + " less " +
                    std::to_string(axes->numElements()) + " axes of size 1");
  } else {
    std::vector<int64_t> expected;
    for (int64_t size : in.shape)
      if (size != 1)
        expected.push_back(size);
    if (Status s = expectShape(name, "the result", out, expected); !s)
      return s;
  }
  return copyView(name, call, in, out);
}

Status unsqueezeKernel(const KernelCall &call) {
  const char *name = "onnx.Unsqueeze";
  if (Status s = checkOperands(name, call, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  const TensorArg &axes = call.inputs[1];
  if (Status s = checkIntOperand(name, "axes", axes); !s)
    return s;
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  if (!dropsOnes(out.shape, in.shape, axes.numElements()))
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " is not " + formatShape(in.shape) + " with " +
                                 std::to_string(axes.numElements()) +
                                 " axes of size 1 inserted");
  return copyView(name, call, in, out);
}

//===----------------------------------------------------------------------===//
// Shape, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

/// Up to eight int64 values, passed by value: a capture may not copy from
/// pageable host memory, which would not outlive it anyway.
constexpr int kValuesPerLaunch = 8;
struct Int64Values {
  int64_t values[kValuesPerLaunch];
};

__global__ void writeValuesKernel(int64_t *dst,
                                  const __grid_constant__ Int64Values values,
                                  int count) {
  awaitPredecessors();
  int i = threadIdx.x;
  if (i < count)
    dst[i] = values.values[i];
}

template <typename T>
__global__ void fillKernel(T *__restrict__ dst, T value, int64_t count) {
  awaitPredecessors();
  int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += step)
    dst[i] = value;
}

Status shapeKernel(const KernelCall &call) {
  const char *name = "onnx.Shape";
  Expected<cpu::layout::ShapeRange> range =
      cpu::layout::checkShapeOp(call.cpuArgs());
  if (!range)
    return range.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  int64_t start = range->start, end = range->end;
  for (int64_t first = start; first < end; first += kValuesPerLaunch) {
    int count =
        static_cast<int>(std::min<int64_t>(end - first, kValuesPerLaunch));
    Int64Values values = {};
    for (int i = 0; i < count; ++i)
      values.values[i] = in.shape[first + i];
    launch(call.context, writeValuesKernel, 1, kValuesPerLaunch, 0,
           out.as<int64_t>() + (first - start), values, count);
    if (Status s = checkLaunch(name); !s)
      return s;
  }
  return Status::ok();
}

Status constantOfShapeKernel(const KernelCall &call) {
  const char *name = "onnx.ConstantOfShape";
  if (Status s = checkOperands(name, call, 1, 1, 1, 1); !s)
    return s;
  const TensorArg &shape = call.inputs[0], &out = call.outputs[0];
  // The shape's values are in device memory and restate the static result;
  // its length must be the result's rank.
  if (Status s = checkIntOperand(name, "shape", shape); !s)
    return s;
  if (shape.numElements() != out.rank())
    return kernelError(name, "shape has " +
                                 std::to_string(shape.numElements()) +
                                 " entries but the result has shape " +
                                 formatShape(out.shape));
  Expected<uint64_t> element =
      cpu::layout::constantOfShapeValue(name, call.attrs, out.dtype);
  if (!element)
    return element.error();
  int64_t count = out.numElements();
  if (count == 0)
    return Status::ok();
  return visitUnit(dtypeSize(out.dtype), [&](auto tag) -> Status {
    using T = decltype(tag);
    T fill;
    std::memcpy(&fill, &*element, sizeof(T));
    launch(call.context, fillKernel<T>, gridFor(count, call.context, kThreads),
           kThreads, 0, out.as<T>(), fill, count);
    return checkLaunch(name);
  });
}

/// start + i * delta as the CPU computes it: in T, floats without a fused
/// multiply-add, integers wrapping.
template <typename T> __device__ T rangeValue(T start, T delta, int64_t i) {
  if constexpr (std::is_same_v<T, float>) {
    return __fadd_rn(start, __fmul_rn(static_cast<float>(i), delta));
  } else if constexpr (std::is_same_v<T, double>) {
    return __dadd_rn(start, __dmul_rn(static_cast<double>(i), delta));
  } else {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(start) +
                          static_cast<U>(static_cast<T>(i)) *
                              static_cast<U>(delta));
  }
}

template <typename T>
__global__ void rangeKernelOnDevice(const T *start, const T *limit,
                                    const T *delta, T *__restrict__ dst,
                                    int64_t count) {
  awaitPredecessors();
  T first = *start, last = *limit, by = *delta;
  // The CPU's check that the range has the result's length; zeros when it
  // does not or the delta is zero.
  bool valid = by != T(0);
  if (valid) {
    double length =
        ceil((static_cast<double>(last) - static_cast<double>(first)) /
             static_cast<double>(by));
    if (!(length >= 0))
      length = 0; // Also NaN.
    valid = length == static_cast<double>(count);
  }
  int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += step)
    dst[i] = valid ? rangeValue(first, by, i) : T(0);
}

template <typename T>
Status launchRange(const char *name, const KernelCall &call, int64_t count) {
  // Zero elements: the CPU still checks the operands' values; here there
  // is nothing to write, so nothing is launched.
  if (count == 0)
    return Status::ok();
  launch(call.context, rangeKernelOnDevice<T>,
         gridFor(count, call.context, kThreads), kThreads, 0,
         call.inputs[0].as<const T>(), call.inputs[1].as<const T>(),
         call.inputs[2].as<const T>(), call.outputs[0].as<T>(), count);
  return checkLaunch(name);
}

Status rangeKernel(const KernelCall &call) {
  const char *name = "onnx.Range";
  if (Status s = cpu::layout::checkRange(call.cpuArgs()); !s)
    return s;
  const TensorArg &out = call.outputs[0];
  int64_t count = out.numElements();
  switch (out.dtype) {
  case DType::F32:
    return launchRange<float>(name, call, count);
  case DType::F64:
    return launchRange<double>(name, call, count);
  case DType::I64:
    return launchRange<int64_t>(name, call, count);
  case DType::I32:
    return launchRange<int32_t>(name, call, count);
  default:
    return cpu::dtypeError(name, "operand", out.dtype);
  }
}

//===----------------------------------------------------------------------===//
// Strided gathers: Transpose, Expand, Tile
//===----------------------------------------------------------------------===//

/// Output element (i0, ..., in) reads input offset sum(i_d * strides[d]).
struct StridedMap {
  int rank;
  int64_t sizes[kMaxDims];
  int64_t strides[kMaxDims];
};

template <typename T, typename Index>
__global__ void
stridedGatherKernel(const T *__restrict__ src, T *__restrict__ dst,
                    const __grid_constant__ StridedMap map, Index count) {
  awaitPredecessors();
  Index step = static_cast<Index>(gridDim.x) * blockDim.x;
  for (Index i = static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
       i < count; i += step) {
    Index rest = i, offset = 0;
    // Unrolled over the fixed bound so that the parameters are read with
    // constant indices.
#pragma unroll
    for (int d = kMaxDims - 1; d >= 0; --d) {
      if (d < map.rank) {
        Index size = static_cast<Index>(map.sizes[d]);
        offset += rest % size * static_cast<Index>(map.strides[d]);
        rest /= size;
      }
    }
    dst[i] = src[offset];
  }
}

/// dst[b][r][c] = src[b][c][r]: dst is batch x rows x cols. Each block
/// moves 32x32 tiles through shared memory, so that reads and writes are
/// both coalesced.
template <typename T>
__global__ void transposeTilesKernel(const T *__restrict__ src,
                                     T *__restrict__ dst, int64_t batch,
                                     int64_t rows, int64_t cols) {
  awaitPredecessors();
  // One column of padding keeps the column reads free of bank conflicts.
  __shared__ T tile[kTile][kTile + 1];
  int64_t tilesDown = (rows + kTile - 1) / kTile;
  int64_t tilesAcross = (cols + kTile - 1) / kTile;
  int64_t perMatrix = tilesDown * tilesAcross;
  int64_t tiles = batch * perMatrix;
  int x = threadIdx.x, y = threadIdx.y;
  for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
    int64_t b = t / perMatrix, rest = t % perMatrix;
    int64_t r0 = rest / tilesAcross * kTile, c0 = rest % tilesAcross * kTile;
    const T *in = src + b * rows * cols; // cols x rows
    T *out = dst + b * rows * cols;      // rows x cols
    for (int k = y; k < kTile; k += kTileRows) {
      int64_t c = c0 + k, r = r0 + x;
      if (c < cols && r < rows)
        tile[k][x] = in[c * rows + r];
    }
    __syncthreads();
    for (int k = y; k < kTile; k += kTileRows) {
      int64_t r = r0 + k, c = c0 + x;
      if (r < rows && c < cols)
        out[r * cols + c] = tile[x][k];
    }
    // The next tile overwrites what this one still reads.
    __syncthreads();
  }
}

/// Copies the gather with output `sizes` that reads the input at
/// sum(i_d * strides[d]) (in elements of `elementSize` bytes, non-negative
/// strides that stay inside the input). The output must not be empty.
Status launchStridedGather(const char *name, const Context &context,
                           const void *src, void *dst, size_t elementSize,
                           const std::vector<int64_t> &sizes,
                           const std::vector<int64_t> &strides) {
  // Merge axes that walk the input as one and drop axes of size 1, as the
  // CPU does, so that a transpose keeping the last axis copies long runs.
  cpu::layout::StridedView merged = cpu::layout::mergeAxes(sizes, strides);
  std::vector<int64_t> &shape = merged.sizes, &steps = merged.strides;
  int rank = static_cast<int>(shape.size());
  if (rank > kMaxDims)
    return kernelError(name, "the layout needs " + std::to_string(rank) +
                                 " axes after merging, more than the " +
                                 std::to_string(kMaxDims) +
                                 " the CUDA backend supports");

  // A transpose of the last two axes, possibly batched: dst[b][r][c] =
  // src[b][c][r], through tiles when both are at least a tile wide. A
  // narrow one (an image's 3 colours moved last) would leave most of each
  // tile's threads idle: the gather below does it (on an H200 the tiles
  // took 0.09 ms for the 800x1216 image).
  if (elementSize <= 8 && (rank == 2 || rank == 3)) {
    int64_t rows = shape[rank - 2], cols = shape[rank - 1];
    bool swap = steps[rank - 2] == 1 && steps[rank - 1] == rows &&
                (rank == 2 || steps[0] == rows * cols) && rows >= kTile &&
                cols >= kTile;
    if (swap) {
      int64_t batch = rank == 3 ? shape[0] : 1;
      int64_t tiles =
          batch * ((rows + kTile - 1) / kTile) * ((cols + kTile - 1) / kTile);
      int64_t cap = std::max<int64_t>(int64_t(context.multiprocessors) * 32, 1);
      unsigned blocks = static_cast<unsigned>(std::min(tiles, cap));
      dim3 block(kTile, kTileRows);
      return visitUnit(elementSize, [&](auto tag) -> Status {
        using T = decltype(tag);
        launch(context, transposeTilesKernel<T>, blocks, block, 0,
               static_cast<const T *>(src), static_cast<T *>(dst), batch, rows,
               cols);
        return checkLaunch(name);
      });
    }
  }

  // Widen the elements while the innermost axis is contiguous and every
  // other stride, the run length and both addresses allow it.
  size_t unit = elementSize;
  if (rank > 0 && steps[rank - 1] == 1) {
    while (unit < 16) {
      int64_t factor = static_cast<int64_t>(2 * unit / elementSize);
      bool fits = shape[rank - 1] % factor == 0 &&
                  reinterpret_cast<uintptr_t>(src) % (2 * unit) == 0 &&
                  reinterpret_cast<uintptr_t>(dst) % (2 * unit) == 0;
      for (int d = 0; d + 1 < rank && fits; ++d)
        fits = steps[d] % factor == 0;
      if (!fits)
        break;
      unit *= 2;
    }
    int64_t factor = static_cast<int64_t>(unit / elementSize);
    shape[rank - 1] /= factor;
    for (int d = 0; d + 1 < rank; ++d)
      steps[d] /= factor;
  }

  StridedMap map = {};
  map.rank = rank;
  int64_t count = 1, lastOffset = 0;
  for (int d = 0; d < rank; ++d) {
    map.sizes[d] = shape[d];
    map.strides[d] = steps[d];
    count *= shape[d];
    lastOffset += (shape[d] - 1) * steps[d];
  }
  return visitIndex(std::max(count, lastOffset + 1), [&](auto indexTag) {
    using Index = decltype(indexTag);
    return visitUnit(unit, [&](auto tag) -> Status {
      using T = decltype(tag);
      launch(context, stridedGatherKernel<T, Index>,
             gridFor(count, context, kThreads), kThreads, 0,
             static_cast<const T *>(src), static_cast<T *>(dst), map,
             static_cast<Index>(count));
      return checkLaunch(name);
    });
  });
}

Status transposeKernel(const KernelCall &call) {
  const char *name = "onnx.Transpose";
  Expected<cpu::layout::StridedView> view =
      cpu::layout::checkTranspose(call.cpuArgs());
  if (!view)
    return view.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  if (out.numElements() == 0)
    return Status::ok();
  return launchStridedGather(name, call.context, in.data, out.data,
                             dtypeSize(in.dtype), view->sizes, view->strides);
}

Status expandKernel(const KernelCall &call) {
  const char *name = "onnx.Expand";
  if (Status s = checkOperands(name, call, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  // The shape's values are in device memory. The result is their broadcast
  // with the input's shape, so it has rank max(input rank, shape length)
  // and the input must broadcast to it: that is all a kernel relies on.
  const TensorArg &shape = call.inputs[1];
  if (Status s = checkIntOperand(name, "shape", shape); !s)
    return s;
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  if (out.rank() != std::max(in.rank(), shape.numElements()) ||
      !cpu::broadcastsTo(in.shape, out.shape))
    return kernelError(
        name, "cannot expand " + formatShape(in.shape) + " to the result " +
                  formatShape(out.shape) + " with a shape of " +
                  std::to_string(shape.numElements()) + " entries");
  if (out.numElements() == 0)
    return Status::ok();
  return launchStridedGather(
      name, call.context, in.data, out.data, dtypeSize(in.dtype), out.shape,
      cpu::layout::broadcastStrides(in.shape, out.rank()));
}

Status tileKernel(const KernelCall &call) {
  const char *name = "onnx.Tile";
  if (Status s = checkOperands(name, call, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  // The repeats are in device memory; the result's sizes, multiples of the
  // input's, give them.
  const TensorArg &repeats = call.inputs[1];
  if (Status s = checkIntOperand(name, "repeats", repeats); !s)
    return s;
  if (repeats.numElements() != in.rank())
    return kernelError(name, "repeats has " +
                                 std::to_string(repeats.numElements()) +
                                 " entries, which does not match rank " +
                                 std::to_string(in.rank()));
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  bool tiles = out.rank() == in.rank();
  for (int64_t d = 0; tiles && d < in.rank(); ++d)
    tiles =
        in.shape[d] == 0 ? out.shape[d] == 0 : out.shape[d] % in.shape[d] == 0;
  if (!tiles)
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " is not a tiling of " +
                                 formatShape(in.shape));
  if (out.numElements() == 0)
    return Status::ok();
  // Output axis d of size r * n is the pair (r, n) with strides (0, the
  // input's stride): a tile is an expand of a reshaped view.
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  std::vector<int64_t> sizes, strides;
  for (int64_t d = 0; d < in.rank(); ++d) {
    sizes.push_back(out.shape[d] / in.shape[d]);
    strides.push_back(0);
    sizes.push_back(in.shape[d]);
    strides.push_back(inStrides[d]);
  }
  return launchStridedGather(name, call.context, in.data, out.data,
                             dtypeSize(in.dtype), sizes, strides);
}

//===----------------------------------------------------------------------===//
// Slice, Pad
//===----------------------------------------------------------------------===//

/// A tensor's per-axis sizes and strides, for the per-axis kernels.
struct AxisShapes {
  int rank;
  int64_t inShape[kMaxRank];
  int64_t outShape[kMaxRank];
  int64_t inStrides[kMaxRank];
};

AxisShapes axisShapesOf(const TensorArg &in, const TensorArg &out) {
  AxisShapes shapes = {};
  shapes.rank = static_cast<int>(in.rank());
  std::vector<int64_t> inStrides = stridesOf(in.shape);
  for (int64_t d = 0; d < in.rank(); ++d) {
    shapes.inShape[d] = in.shape[d];
    shapes.outShape[d] = out.shape[d];
    shapes.inStrides[d] = inStrides[d];
  }
  return shapes;
}

/// Slice's operands; axes.data and steps.data are null when omitted.
struct SliceParams {
  AxisShapes shapes;
  int count; // entries of starts, ends, axes and steps
  IntOperand starts, ends, axes, steps;
};

template <typename T>
__global__ void sliceKernel(const T *__restrict__ src, T *__restrict__ dst,
                            const __grid_constant__ SliceParams p,
                            int64_t total) {
  awaitPredecessors();
  __shared__ int64_t base;
  __shared__ int64_t steps[kMaxRank];
  __shared__ bool valid;
  const AxisShapes &s = p.shapes;
  if (threadIdx.x == 0) {
    // The CPU's rules, for every block: per axis the first index and the
    // step; axes not sliced take everything.
    int64_t first[kMaxRank], by[kMaxRank], length[kMaxRank];
    for (int d = 0; d < s.rank; ++d) {
      first[d] = 0;
      by[d] = 1;
      length[d] = s.inShape[d];
    }
    bool ok = true;
    unsigned seen = 0;
    for (int i = 0; i < p.count && ok; ++i) {
      int64_t axis = p.axes.data ? loadInt(p.axes, i) : i;
      if (axis < 0)
        axis += s.rank;
      if (axis < 0 || axis >= s.rank || (seen >> axis & 1u)) {
        ok = false;
        break;
      }
      seen |= 1u << axis;
      int64_t size = s.inShape[axis];
      int64_t start = loadInt(p.starts, i), end = loadInt(p.ends, i);
      int64_t step = p.steps.data ? loadInt(p.steps, i) : 1;
      if (step == 0) {
        ok = false;
        break;
      }
      cpu::layout::SliceAxis taken =
          cpu::layout::sliceAxis(start, end, step, size);
      first[axis] = taken.first;
      by[axis] = taken.step;
      length[axis] = taken.length;
    }
    int64_t offset = 0;
    for (int d = 0; d < s.rank; ++d) {
      ok = ok && length[d] == s.outShape[d];
      offset += first[d] * s.inStrides[d];
      steps[d] = by[d] * s.inStrides[d];
    }
    base = offset;
    valid = ok;
  }
  __syncthreads();
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride) {
    if (!valid) {
      dst[i] = T{};
      continue;
    }
    int64_t rest = i, offset = base;
#pragma unroll
    for (int d = kMaxRank - 1; d >= 0; --d) {
      if (d < s.rank) {
        int64_t size = s.outShape[d];
        offset += rest % size * steps[d];
        rest /= size;
      }
    }
    dst[i] = src[offset];
  }
}

Status sliceKernelHost(const KernelCall &call) {
  const char *name = "onnx.Slice";
  if (Status s = checkOperands(name, call, 3, 5, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  int64_t rank = in.rank();
  const TensorArg &starts = call.inputs[1], &ends = call.inputs[2];
  const TensorArg *axes = cpu::optionalArg(call.inputs, 3);
  const TensorArg *steps = cpu::optionalArg(call.inputs, 4);
  if (Status s = checkIntOperand(name, "starts", starts); !s)
    return s;
  if (Status s = checkIntOperand(name, "ends", ends); !s)
    return s;
  if (axes)
    if (Status s = checkIntOperand(name, "axes", *axes); !s)
      return s;
  if (steps)
    if (Status s = checkIntOperand(name, "steps", *steps); !s)
      return s;
  int64_t n = starts.numElements();
  if (ends.numElements() != n || (axes && axes->numElements() != n) ||
      (steps && steps->numElements() != n))
    return kernelError(name, "starts, ends, axes and steps differ in length");
  // Distinct axes in range, whatever their values.
  if (n > rank)
    return kernelError(name, "slices " + std::to_string(n) +
                                 " axes of a rank-" + std::to_string(rank) +
                                 " input");
  if (Status s = checkMaxRank(name, rank); !s)
    return s;
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  bool fits = out.rank() == rank;
  for (int64_t d = 0; fits && d < rank; ++d)
    fits = out.shape[d] <= in.shape[d];
  if (!fits)
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " is not a slice of " + formatShape(in.shape));
  int64_t total = out.numElements();
  if (total == 0)
    return Status::ok();
  SliceParams params = {};
  params.shapes = axisShapesOf(in, out);
  params.count = static_cast<int>(n);
  params.starts = intOperand(&starts);
  params.ends = intOperand(&ends);
  params.axes = intOperand(axes);
  params.steps = intOperand(steps);
  return visitUnit(dtypeSize(in.dtype), [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, sliceKernel<T>, gridFor(total, call.context, kThreads),
           kThreads, 0, in.as<const T>(), out.as<T>(), params, total);
    return checkLaunch(name);
  });
}

/// Pad's operands; axes.data is null when omitted (every axis in order),
/// and so is the fill value (zeros).
struct PadParams {
  AxisShapes shapes;
  PadMode mode;
  int axisCount; // entries of axes, or the rank
  IntOperand pads, axes;
};

template <typename T>
__global__ void padKernel(const T *__restrict__ src, T *__restrict__ dst,
                          const T *fillValue,
                          const __grid_constant__ PadParams p, int64_t total) {
  awaitPredecessors();
  __shared__ int64_t begin[kMaxRank];
  __shared__ bool valid;
  const AxisShapes &s = p.shapes;
  if (threadIdx.x == 0) {
    // The CPU's checks, for every block: distinct axes in range, pads in
    // bounds that give the result's shape.
    int64_t expected[kMaxRank];
    for (int d = 0; d < s.rank; ++d) {
      begin[d] = 0;
      expected[d] = s.inShape[d];
    }
    bool ok = true;
    unsigned seen = 0;
    const int64_t kLimit = int64_t(1) << 48;
    for (int i = 0; i < p.axisCount && ok; ++i) {
      int64_t axis = p.axes.data ? loadInt(p.axes, i) : i;
      if (axis < 0)
        axis += s.rank;
      if (axis < 0 || axis >= s.rank || (seen >> axis & 1u)) {
        ok = false;
        break;
      }
      seen |= 1u << axis;
      int64_t lo = loadInt(p.pads, i), hi = loadInt(p.pads, i + p.axisCount);
      if (lo < -kLimit || lo > kLimit || hi < -kLimit || hi > kLimit ||
          s.inShape[axis] + lo + hi < 0) {
        ok = false;
        break;
      }
      begin[axis] = lo;
      expected[axis] = s.inShape[axis] + lo + hi;
    }
    for (int d = 0; d < s.rank; ++d)
      ok = ok && expected[d] == s.outShape[d];
    valid = ok;
  }
  __syncthreads();
  T fill = fillValue ? *fillValue : T{};
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride) {
    if (!valid) {
      dst[i] = T{};
      continue;
    }
    int64_t rest = i, offset = 0;
    bool filled = false;
#pragma unroll
    for (int d = kMaxRank - 1; d >= 0; --d) {
      if (d < s.rank) {
        int64_t outSize = s.outShape[d], size = s.inShape[d];
        int64_t k = rest % outSize - begin[d];
        rest /= outSize;
        if (k < 0 || k >= size) {
          // The host refused empty axes in the other modes.
          if (p.mode == PadMode::Constant) {
            // The fill value, whatever the other axes say.
            filled = true;
            break;
          } else if (p.mode == PadMode::Edge) {
            k = k < 0 ? 0 : size - 1;
          } else if (p.mode == PadMode::Wrap) {
            k = ((k % size) + size) % size;
          } else if (size == 1) {
            k = 0;
          } else {
            // Mirror without repeating the edge; repeats if the pad is
            // wider than the axis, as numpy does.
            int64_t period = 2 * (size - 1);
            k = ((k % period) + period) % period;
            if (k >= size)
              k = period - k;
          }
        }
        offset += k * s.inStrides[d];
      }
    }
    dst[i] = filled ? fill : src[offset];
  }
}

Status padKernelHost(const KernelCall &call) {
  const char *name = "onnx.Pad";
  if (Status s = checkOperands(name, call, 2, 4, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  int64_t rank = in.rank();
  Expected<PadMode> padMode = cpu::layout::padModeOf(name, call.attrs);
  if (!padMode)
    return padMode.error();
  const TensorArg &pads = call.inputs[1];
  if (Status s = checkIntOperand(name, "pads", pads); !s)
    return s;
  const TensorArg *value = cpu::optionalArg(call.inputs, 2);
  if (Status s = cpu::layout::checkPadValue(name, value, in.dtype); !s)
    return s;
  const TensorArg *axes = cpu::optionalArg(call.inputs, 3);
  if (axes)
    if (Status s = checkIntOperand(name, "axes", *axes); !s)
      return s;
  int64_t axisCount = axes ? axes->numElements() : rank;
  if (axisCount > rank)
    return kernelError(name, "pads " + std::to_string(axisCount) +
                                 " axes of a rank-" + std::to_string(rank) +
                                 " input");
  if (pads.numElements() != 2 * axisCount)
    return kernelError(name, "pads has " + std::to_string(pads.numElements()) +
                                 " entries, it should have " +
                                 std::to_string(2 * axisCount));
  if (Status s = checkMaxRank(name, rank); !s)
    return s;
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  if (out.rank() != rank)
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " does not have the rank of " +
                                 formatShape(in.shape));
  int64_t total = out.numElements();
  if (total == 0)
    return Status::ok();
  if (Status s = cpu::layout::checkPadEmptyAxes(name, in, *padMode); !s)
    return s;
  PadParams params = {};
  params.shapes = axisShapesOf(in, out);
  params.mode = *padMode;
  params.axisCount = static_cast<int>(axisCount);
  params.pads = intOperand(&pads);
  params.axes = intOperand(axes);
  return visitUnit(dtypeSize(in.dtype), [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, padKernel<T>, gridFor(total, call.context, kThreads),
           kThreads, 0, in.as<const T>(), out.as<T>(),
           value ? value->as<const T>() : nullptr, params, total);
    return checkLaunch(name);
  });
}

//===----------------------------------------------------------------------===//
// Concat, Split, Gather
//===----------------------------------------------------------------------===//

/// dst row r, element j = src row r, element j, for `count` = rows * width
/// elements; rows are srcStride and dstStride elements apart.
template <typename T, typename Index>
__global__ void copyRowsKernel(const T *__restrict__ src, Index srcStride,
                               T *__restrict__ dst, Index dstStride,
                               Index width, Index count) {
  awaitPredecessors();
  Index step = static_cast<Index>(gridDim.x) * blockDim.x;
  for (Index i = static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
       i < count; i += step) {
    Index row = i / width, j = i - row * width;
    dst[row * dstStride + j] = src[row * srcStride + j];
  }
}

/// Copies `rows` rows of `width` bytes between rows `srcStride` and
/// `dstStride` bytes apart, in the widest units they allow.
Status launchCopyRows(const char *name, const Context &context, const void *src,
                      int64_t srcStride, void *dst, int64_t dstStride,
                      int64_t rows, int64_t width) {
  if (rows == 0 || width == 0)
    return Status::ok();
  size_t unit = widestUnit({srcStride, dstStride, width}, {src, dst});
  int64_t u = static_cast<int64_t>(unit);
  int64_t count = rows * (width / u);
  // Past the last offset either side touches.
  int64_t bound = std::max(
      (rows - 1) * std::max(srcStride, dstStride) / u + width / u, count);
  return visitIndex(bound, [&](auto indexTag) {
    using Index = decltype(indexTag);
    return visitUnit(unit, [&](auto tag) -> Status {
      using T = decltype(tag);
      launch(context, copyRowsKernel<T, Index>,
             gridFor(count, context, kThreads), kThreads, 0,
             static_cast<const T *>(src), static_cast<Index>(srcStride / u),
             static_cast<T *>(dst), static_cast<Index>(dstStride / u),
             static_cast<Index>(width / u), static_cast<Index>(count));
      return checkLaunch(name);
    });
  });
}

/// Up to this many operands of a Concat share a launch: the kernel's
/// parameters hold their addresses and columns (about 0.5 KiB).
constexpr int kConcatOperandsPerLaunch = 32;

/// A band of the result's columns and the operands that fill it: operand p
/// fills columns [begin[p], begin[p + 1]) of the band, in units of T.
template <typename T, typename Index> struct ConcatBand {
  const T *src[kConcatOperandsPerLaunch];
  Index begin[kConcatOperandsPerLaunch + 1];
  int count;
};

/// dst row r, column j of the band = its operand's row r, column j - begin:
/// every operand of the band in one launch (DenseNet-121 concatenates up to
/// 25 images at a time, 593 in all).
template <typename T, typename Index>
__global__ void concatRowsKernel(ConcatBand<T, Index> band, T *__restrict__ dst,
                                 Index dstStride, Index rows) {
  awaitPredecessors();
  Index width = band.begin[band.count], count = rows * width;
  Index step = static_cast<Index>(gridDim.x) * blockDim.x;
  for (Index i = static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
       i < count; i += step) {
    Index row = i / width, j = i - row * width;
    // The last operand that begins at or before column j (none is empty).
    int lo = 0, hi = band.count - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (band.begin[mid] <= j)
        lo = mid;
      else
        hi = mid - 1;
    }
    Index own = band.begin[lo + 1] - band.begin[lo];
    dst[row * dstStride + j] = band.src[lo][row * own + (j - band.begin[lo])];
  }
}

Status concatKernel(const KernelCall &call) {
  const char *name = "onnx.Concat";
  Expected<cpu::layout::ConcatLayout> layout =
      cpu::layout::checkConcat(call.cpuArgs());
  if (!layout)
    return layout.error();
  const TensorArg &out = call.outputs[0];
  // Each operand's rows go to a column band of the result's rows.
  const auto &pieces = layout->pieces;
  int64_t outer = layout->outer, outRow = layout->rowBytes;
  size_t unit = widestUnit({outRow}, {out.data});
  for (const cpu::layout::ConcatLayout::Piece &piece : pieces)
    unit = std::min(unit, widestUnit({piece.offset, piece.width}, {piece.src}));
  if (outer == 0 || pieces.empty())
    return Status::ok();
  int64_t u = static_cast<int64_t>(unit);
  return visitIndex(outer * (outRow / u), [&](auto indexTag) {
    using Index = decltype(indexTag);
    return visitUnit(unit, [&](auto tag) -> Status {
      using T = decltype(tag);
      for (size_t first = 0; first < pieces.size();
           first += kConcatOperandsPerLaunch) {
        size_t last =
            std::min(pieces.size(), first + size_t(kConcatOperandsPerLaunch));
        ConcatBand<T, Index> band{};
        band.count = static_cast<int>(last - first);
        int64_t start = pieces[first].offset;
        for (size_t p = first; p < last; ++p) {
          band.src[p - first] = static_cast<const T *>(pieces[p].src);
          band.begin[p - first] =
              static_cast<Index>((pieces[p].offset - start) / u);
        }
        int64_t width =
            pieces[last - 1].offset + pieces[last - 1].width - start;
        band.begin[band.count] = static_cast<Index>(width / u);
        launch(call.context, concatRowsKernel<T, Index>,
               gridFor(outer * (width / u), call.context, kThreads), kThreads,
               0, band, reinterpret_cast<T *>(out.as<char>() + start),
               static_cast<Index>(outRow / u), static_cast<Index>(outer));
        if (Status s = checkLaunch(name); !s)
          return s;
      }
      return Status::ok();
    });
  });
}

/// Split's lengths are in device memory and restate the results' sizes
/// along the axis: takes those, and checks that they add up.
Status takeSplit(const char *name, const cpu::KernelArgs &args, int64_t axis,
                 const TensorArg &split, std::vector<int64_t> &lengths) {
  const TensorArg &in = args.inputs[0];
  int64_t size = in.shape[axis];
  int64_t parts = static_cast<int64_t>(args.outputs.size());
  if (Status s = checkIntOperand(name, "split", split); !s)
    return s;
  if (split.numElements() != parts)
    return kernelError(
        name, "split has " + std::to_string(split.numElements()) +
                  " parts but there are " + std::to_string(parts) + " results");
  int64_t sum = 0;
  for (const TensorArg &t : args.outputs) {
    if (t.rank() != in.rank())
      return kernelError(name, "a result has shape " + formatShape(t.shape) +
                                   ", which does not have the rank of " +
                                   formatShape(in.shape));
    int64_t length = t.shape[axis];
    if (length > size - sum)
      return kernelError(
          name, "the results' sizes along axis " + std::to_string(axis) +
                    " add up to more than " + std::to_string(size));
    sum += length;
    lengths.push_back(length);
  }
  if (sum != size)
    return kernelError(name, "the results' sizes along axis " +
                                 std::to_string(axis) + " do not sum to " +
                                 std::to_string(size));
  return Status::ok();
}

Status splitKernel(const KernelCall &call) {
  const char *name = "onnx.Split";
  Expected<cpu::layout::SplitLayout> split =
      cpu::layout::checkSplit(call.cpuArgs(), takeSplit);
  if (!split)
    return split.error();
  const TensorArg &in = call.inputs[0];
  // One copy per result: a column band of the input's rows.
  int64_t outer = split->rows.outer, inner = split->rows.inner;
  int64_t inRow = in.shape[split->rows.axis] * inner, offset = 0;
  for (size_t i = 0; i < call.outputs.size(); ++i) {
    int64_t width = split->lengths[i] * inner;
    if (outer != 0 && width != 0)
      if (Status s =
              launchCopyRows(name, call.context, in.as<const char>() + offset,
                             inRow, call.outputs[i].data, width, outer, width);
          !s)
        return s;
    offset += width;
  }
  return Status::ok();
}

/// out[o, k, j] = data[o, indices[k], j] with rows of `width` units;
/// indices may count from the end, and an index out of range zeroes its
/// rows (the CPU refuses the step; a kernel cannot).
template <typename T, typename Index>
__global__ void gatherRowsKernel(const T *__restrict__ src, T *__restrict__ dst,
                                 IntOperand indices, Index count, Index size,
                                 Index width, Index total) {
  awaitPredecessors();
  Index step = static_cast<Index>(gridDim.x) * blockDim.x;
  for (Index i = static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
       i < total; i += step) {
    Index row = i / width, j = i - row * width;
    Index o = row / count, k = row - o * count;
    int64_t index = loadInt(indices, static_cast<int64_t>(k));
    if (index < 0)
      index += static_cast<int64_t>(size);
    if (index < 0 || index >= static_cast<int64_t>(size))
      dst[i] = T{};
    else
      dst[i] = src[(o * size + static_cast<Index>(index)) * width + j];
  }
}

/// out[p] = data[p with p[axis] = indices[p]], p in the indices' shape
/// (shapes.outShape; shapes.inStrides: data's); an index out of range
/// zeroes its element (the CPU refuses the step; a kernel cannot).
template <typename T>
__global__ void
gatherElementsKernel(const T *__restrict__ src, T *__restrict__ dst,
                     const __grid_constant__ AxisShapes s, IntOperand indices,
                     int axis, int64_t total) {
  awaitPredecessors();
  const int64_t size = s.inShape[axis];
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t index = loadInt(indices, i);
    if (index < 0)
      index += size;
    if (index < 0 || index >= size) {
      dst[i] = T{};
      continue;
    }
    int64_t rest = i, offset = 0;
#pragma unroll
    for (int d = kMaxRank - 1; d >= 0; --d) {
      if (d < s.rank) {
        int64_t p = rest % s.outShape[d];
        rest /= s.outShape[d];
        offset += (d == axis ? index : p) * s.inStrides[d];
      }
    }
    dst[i] = src[offset];
  }
}

Status gatherElementsKernel(const KernelCall &call) {
  const char *name = "onnx.GatherElements";
  // The indices stay on the device: only their type and shape are checked.
  Expected<int64_t> axis = cpu::layout::checkGatherElements(call.cpuArgs());
  if (!axis)
    return axis.error();
  const TensorArg &data = call.inputs[0], &indices = call.inputs[1];
  const TensorArg &out = call.outputs[0];
  if (Status s = checkMaxRank(name, data.rank()); !s)
    return s;
  const int64_t total = out.numElements();
  if (total == 0)
    return Status::ok();
  if (data.shape[*axis] == 0)
    return kernelError(name, "every index is out of range for axis " +
                                 std::to_string(*axis) + " of size 0");
  const AxisShapes shapes = axisShapesOf(data, out);
  return visitUnit(dtypeSize(data.dtype), [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, gatherElementsKernel<T>,
           gridFor(total, call.context, kThreads), kThreads, 0,
           data.as<const T>(), out.as<T>(), shapes, intOperand(&indices),
           static_cast<int>(*axis), total);
    return checkLaunch(name);
  });
}

//===----------------------------------------------------------------------===//
// GatherND
//===----------------------------------------------------------------------===//

/// GatherND's walk on the device (cpu::layout::GatherNDLayout), with data's
/// sizes and strides for the indexed axes.
struct GatherNDWalk {
  int batchDims, tupleLength;
  int64_t perBatch, batchStride, slice;
  int64_t shape[kMaxRank], strides[kMaxRank];
};

/// Element i of the result: element i % slice of the slice that tuple
/// i / slice names; a tuple out of range gives zeros (the CPU refuses the
/// step; a kernel cannot).
template <typename T>
__global__ void gatherNDKernel(const T *__restrict__ src, T *__restrict__ dst,
                               const __grid_constant__ GatherNDWalk w,
                               IntOperand indices, int64_t total) {
  awaitPredecessors();
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t t = i / w.slice;
    int64_t offset = (t / w.perBatch) * w.batchStride + (i - t * w.slice);
    bool inRange = true;
    for (int j = 0; j < w.tupleLength; ++j) {
      const int axis = w.batchDims + j;
      int64_t index = loadInt(indices, t * w.tupleLength + j);
      if (index < 0)
        index += w.shape[axis];
      inRange &= index >= 0 && index < w.shape[axis];
      offset += index * w.strides[axis];
    }
    dst[i] = inRange ? src[offset] : T{};
  }
}

Status gatherNDKernel(const KernelCall &call) {
  const char *name = "onnx.GatherND";
  // The indices stay on the device: only their type and shape are checked.
  Expected<cpu::layout::GatherNDLayout> layout =
      cpu::layout::checkGatherND(call.cpuArgs());
  if (!layout)
    return layout.error();
  const TensorArg &data = call.inputs[0], &indices = call.inputs[1];
  const TensorArg &out = call.outputs[0];
  if (Status s = checkMaxRank(name, data.rank()); !s)
    return s;
  const int64_t total = out.numElements();
  if (total == 0)
    return Status::ok();
  GatherNDWalk walk = {};
  walk.batchDims = static_cast<int>(layout->batchDims);
  walk.tupleLength = static_cast<int>(layout->tupleLength);
  walk.perBatch = layout->tuples / layout->batches;
  walk.batchStride = layout->batchStride;
  walk.slice = layout->sliceElements;
  std::vector<int64_t> strides = stridesOf(data.shape);
  for (int64_t d = 0; d < data.rank(); ++d) {
    walk.shape[d] = data.shape[d];
    walk.strides[d] = strides[d];
  }
  return visitUnit(dtypeSize(data.dtype), [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, gatherNDKernel<T>,
           gridFor(total, call.context, kThreads), kThreads, 0,
           data.as<const T>(), out.as<T>(), walk, intOperand(&indices), total);
    return checkLaunch(name);
  });
}

//===----------------------------------------------------------------------===//
// ScatterElements and ScatterND
//===----------------------------------------------------------------------===//

using cpu::layout::ScatterReduction;

/// Whether x is NaN; never for integers.
template <typename T> __device__ bool isNaN(T x) {
  if constexpr (std::is_floating_point_v<T>)
    return isnan(x);
  else
    return false;
}

/// `current` combined with `update` by the reduction (not None).
template <typename T>
__device__ T combineScatter(T current, T update, ScatterReduction reduction) {
  switch (reduction) {
  case ScatterReduction::Add:
    return current + update;
  case ScatterReduction::Mul:
    return current * update;
  // NaN wins, as on the CPU.
  case ScatterReduction::Max:
    return isNaN(update) || update > current ? update : current;
  default:
    return isNaN(update) || update < current ? update : current;
  }
}

/// Combines `update` into *address atomically, since several updates may
/// land on one element: a compare-and-swap of the element's bits.
template <typename T, typename Bits>
__device__ void atomicCombine(T *address, T update,
                              ScatterReduction reduction) {
  static_assert(sizeof(T) == sizeof(Bits), "the bits must hold a T");
  Bits *bits = reinterpret_cast<Bits *>(address);
  Bits old = *bits, assumed;
  do {
    assumed = old;
    T current;
    memcpy(&current, &assumed, sizeof(T));
    T next = combineScatter(current, update, reduction);
    Bits nextBits;
    memcpy(&nextBits, &next, sizeof(T));
    old = atomicCAS(bits, assumed, nextBits);
  } while (old != assumed);
}

/// One update into out at `offset`: replaced (the last writer wins, as
/// ONNX allows) or combined atomically.
template <typename T>
__device__ void scatterOne(T *out, int64_t offset, T update,
                           ScatterReduction reduction) {
  if (reduction == ScatterReduction::None) {
    out[offset] = update;
  } else if constexpr (sizeof(T) == 4) {
    atomicCombine<T, unsigned int>(out + offset, update, reduction);
  } else if constexpr (sizeof(T) == 8) {
    atomicCombine<T, unsigned long long>(out + offset, update, reduction);
  }
}

/// Update i goes to its position p in the indices' shape (s.outShape; data's
/// strides s.inStrides) with p[axis] = indices[i]; an index out of range
/// skips it (the CPU refuses the step; a kernel cannot).
template <typename T>
__global__ void
scatterElementsKernel(T *__restrict__ out, const T *__restrict__ updates,
                      const __grid_constant__ AxisShapes s, IntOperand indices,
                      int axis, int64_t total, ScatterReduction reduction) {
  awaitPredecessors();
  const int64_t size = s.inShape[axis];
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t index = loadInt(indices, i);
    if (index < 0)
      index += size;
    if (index < 0 || index >= size)
      continue;
    int64_t rest = i, offset = 0;
#pragma unroll
    for (int d = kMaxRank - 1; d >= 0; --d) {
      if (d < s.rank) {
        int64_t p = rest % s.outShape[d];
        rest /= s.outShape[d];
        offset += (d == axis ? index : p) * s.inStrides[d];
      }
    }
    scatterOne(out, offset, updates[i], reduction);
  }
}

/// Update i (of `total` = tuples x slice) goes to element i % slice of the
/// slice that tuple i / slice of `k` indices names (data's sizes and
/// strides in s.inShape, s.inStrides); a tuple out of range skips it.
template <typename T>
__global__ void
scatterNDKernel(T *__restrict__ out, const T *__restrict__ updates,
                const __grid_constant__ AxisShapes s, IntOperand indices, int k,
                int64_t slice, int64_t total, ScatterReduction reduction) {
  awaitPredecessors();
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t t = i / slice;
    int64_t offset = i - t * slice;
    bool inRange = true;
    for (int j = 0; j < k; ++j) {
      int64_t index = loadInt(indices, t * k + j);
      if (index < 0)
        index += s.inShape[j];
      inRange &= index >= 0 && index < s.inShape[j];
      offset += index * s.inStrides[j];
    }
    if (inRange)
      scatterOne(out, offset, updates[i], reduction);
  }
}

/// Copies data into out, then launches `launchUpdates` with the element
/// type: any of data's size without a reduction, its arithmetic type with
/// one.
template <typename Launch>
Status scatter(const char *name, const KernelCall &call,
               ScatterReduction reduction, int64_t updates,
               Launch launchUpdates) {
  const TensorArg &data = call.inputs[0];
  if (Status s = copyView(name, call, data, call.outputs[0]); !s)
    return s;
  if (updates == 0)
    return Status::ok();
  if (reduction == ScatterReduction::None)
    return visitUnit(dtypeSize(data.dtype), launchUpdates);
  switch (data.dtype) {
  case DType::F32:
    return launchUpdates(float());
  case DType::F64:
    return launchUpdates(double());
  case DType::I32:
    return launchUpdates(int32_t());
  case DType::I64:
    return launchUpdates(int64_t());
  default:
    return kernelError(name, std::string("unsupported data element type ") +
                                 dtypeName(data.dtype));
  }
}

Status scatterElementsKernel(const KernelCall &call) {
  const char *name = "onnx.ScatterElements";
  // The indices stay on the device: only their type and shape are checked.
  Expected<cpu::layout::ScatterLayout> layout =
      cpu::layout::checkScatterElements(call.cpuArgs());
  if (!layout)
    return layout.error();
  const TensorArg &data = call.inputs[0], &indices = call.inputs[1];
  const TensorArg &updates = call.inputs[2], &out = call.outputs[0];
  if (Status s = checkMaxRank(name, data.rank()); !s)
    return s;
  const int64_t total = indices.numElements();
  const AxisShapes shapes = axisShapesOf(data, indices);
  return scatter(name, call, layout->reduction, total, [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, scatterElementsKernel<T>,
           gridFor(total, call.context, kThreads), kThreads, 0, out.as<T>(),
           updates.as<const T>(), shapes, intOperand(&indices),
           static_cast<int>(layout->axis), total, layout->reduction);
    return checkLaunch(name);
  });
}

Status scatterNDKernel(const KernelCall &call) {
  const char *name = "onnx.ScatterND";
  Expected<cpu::layout::ScatterLayout> layout =
      cpu::layout::checkScatterND(call.cpuArgs());
  if (!layout)
    return layout.error();
  const TensorArg &data = call.inputs[0], &indices = call.inputs[1];
  const TensorArg &updates = call.inputs[2], &out = call.outputs[0];
  if (Status s = checkMaxRank(name, data.rank()); !s)
    return s;
  const int64_t total = updates.numElements();
  const AxisShapes shapes = axisShapesOf(data, data);
  return scatter(name, call, layout->reduction, total, [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, scatterNDKernel<T>,
           gridFor(total, call.context, kThreads), kThreads, 0, out.as<T>(),
           updates.as<const T>(), shapes, intOperand(&indices),
           static_cast<int>(layout->tupleLength), layout->sliceElements, total,
           layout->reduction);
    return checkLaunch(name);
  });
}

Status gatherKernel(const KernelCall &call) {
  const char *name = "onnx.Gather";
  // The indices stay on the device: only their type and rank are checked.
  Expected<cpu::layout::AxisRows> rows =
      cpu::layout::checkGather(call.cpuArgs(), nullptr);
  if (!rows)
    return rows.error();
  const TensorArg &data = call.inputs[0], &indices = call.inputs[1];
  const TensorArg &out = call.outputs[0];
  int64_t axis = rows->axis, outer = rows->outer, inner = rows->inner;
  int64_t size = data.shape[axis];
  int64_t count = indices.numElements();
  // Every index is out of range for an empty axis: known without reading.
  if (size == 0 && count > 0)
    return kernelError(name, "every index is out of range for axis " +
                                 std::to_string(axis) + " of size 0");
  if (inner == 0 || count == 0 || outer == 0)
    return Status::ok();
  size_t unit = widestUnit({inner}, {data.data, out.data});
  int64_t width = inner / static_cast<int64_t>(unit);
  int64_t total = outer * count * width;
  int64_t bound = std::max(outer * size * width, total);
  IntOperand indexOperand = intOperand(&indices);
  return visitIndex(bound, [&](auto indexTag) {
    using Index = decltype(indexTag);
    return visitUnit(unit, [&](auto tag) -> Status {
      using T = decltype(tag);
      launch(call.context, gatherRowsKernel<T, Index>,
             gridFor(total, call.context, kThreads), kThreads, 0,
             data.as<const T>(), out.as<T>(), indexOperand,
             static_cast<Index>(count), static_cast<Index>(size),
             static_cast<Index>(width), static_cast<Index>(total));
      return checkLaunch(name);
    });
  });
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// Resize's plan. Each axis's geometry (ResizeSampling.h) is known on the
/// host except what device operands give: the scales (entry scaleSlot[d]),
/// the sizes under keep_aspect_ratio_policy, and the roi (entries slot and
/// slot + axes); the kernel's first thread reads those.
struct ResizeParams {
  AxisShapes shapes;
  ResizeSampling sampling;
  ResizeAxis geometry[kMaxRank];
  int scaleSlot[kMaxRank]; // entry of scalesData, sizesData and roiData, or -1
  int resizedAxes;
  bool keepAspect, notLarger;
  const float *scalesData, *roiData;
  const int64_t *sizesData; // only under keep_aspect_ratio_policy
};

template <typename T>
__global__ void resizeKernel(const T *__restrict__ src, T *__restrict__ dst,
                             const __grid_constant__ ResizeParams p,
                             int64_t total) {
  awaitPredecessors();
  __shared__ ResizeAxis geometry[kMaxRank];
  __shared__ bool identity[kMaxRank];
  __shared__ bool valid;
  const AxisShapes &s = p.shapes;
  if (threadIdx.x == 0) {
    // The CPU's checks and geometry of what device operands give: scales
    // positive and finite, and the result's sizes from them (floor(size *
    // scale) in f32; under keep_aspect_ratio_policy the one scale of the
    // sizes, the sizes rounded half up from it).
    bool ok = true, first = true;
    double kept = 0.0;
    if (p.keepAspect)
      for (int d = 0; d < s.rank; ++d) {
        int slot = p.scaleSlot[d];
        if (slot < 0)
          continue;
        double ratio = double(p.sizesData[slot]) / double(s.inShape[d]);
        ok = ok && p.sizesData[slot] >= 0;
        if (first || (p.notLarger ? ratio < kept : ratio > kept))
          kept = ratio;
        first = false;
      }
    for (int d = 0; d < s.rank; ++d) {
      ResizeAxis g = p.geometry[d];
      int slot = p.scaleSlot[d];
      if (slot >= 0 && p.scalesData) {
        float factor = p.scalesData[slot];
        if (!(factor > 0) || !isfinite(factor)) {
          ok = false;
          factor = 1;
        }
        g.scale = factor;
        g.length = __fmul_rn(static_cast<float>(g.inSize), factor);
        float size = floorf(g.length);
        ok = ok && size < 9.0e18f && static_cast<int64_t>(size) == g.outSize;
      } else if (slot >= 0 && p.keepAspect) {
        double size = kept * double(g.inSize) + 0.5;
        ok = ok && size < 9.0e18 && static_cast<int64_t>(size) == g.outSize;
        g.scale = static_cast<float>(kept);
        g.length = __fmul_rn(static_cast<float>(g.inSize), g.scale);
      }
      if (slot >= 0 && p.roiData) {
        g.roiStart = p.roiData[slot];
        g.roiEnd = p.roiData[slot + p.resizedAxes];
      }
      geometry[d] = g;
      // Scale 1 reads every index as it is, but for the roi's crop.
      identity[d] =
          slot < 0 || (g.scale == 1.0f && g.outSize == g.inSize && !p.roiData);
    }
    valid = ok;
  }
  __syncthreads();
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride)
    dst[i] =
        valid ? cpu::layout::resizeElement<kMaxRank>(
                    src, p.sampling, s.rank, geometry, s.inStrides, identity, i)
              : T{};
}

Status resizeKernelHost(const KernelCall &call) {
  const char *name = "onnx.Resize";
  Expected<cpu::layout::ResizeAttrs> attrs =
      cpu::layout::checkResize(call.cpuArgs());
  if (!attrs)
    return attrs.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  int64_t rank = in.rank();
  ResizeParams params = {};
  params.sampling = attrs->sampling;
  params.keepAspect = attrs->keepAspect;
  params.notLarger = attrs->notLarger;
  const std::vector<int64_t> &axes = attrs->axes;
  const TensorArg *scalesArg = attrs->scales, *sizesArg = attrs->sizes;
  if (!scalesArg) {
    if (Status s = checkIntOperand(name, "sizes", *sizesArg); !s)
      return s;
    if (sizesArg->numElements() != static_cast<int64_t>(axes.size()))
      return kernelError(name, "sizes must have one entry per axis, got " +
                                   formatShape(sizesArg->shape));
    if (attrs->keepAspect && sizesArg->dtype != DType::I64)
      return kernelError(name, "sizes must be i64");
  }
  if (out.rank() != rank)
    return kernelError(name, "the result " + formatShape(out.shape) +
                                 " does not have the rank of " +
                                 formatShape(in.shape));
  // Axes not resized keep their size; the sizes restate the result's.
  std::vector<bool> resized(rank, false);
  for (int64_t axis : axes)
    resized[axis] = true;
  for (int64_t d = 0; d < rank; ++d)
    if (!resized[d] && out.shape[d] != in.shape[d])
      return kernelError(name, "the result has shape " +
                                   formatShape(out.shape) + ", expected " +
                                   std::to_string(in.shape[d]) + " on axis " +
                                   std::to_string(d));
  if (out.numElements() == 0)
    return Status::ok();
  if (Status s = checkMaxRank(name, rank); !s)
    return s;

  params.shapes = axisShapesOf(in, out);
  params.scalesData = scalesArg ? scalesArg->as<const float>() : nullptr;
  params.sizesData =
      attrs->keepAspect ? sizesArg->as<const int64_t>() : nullptr;
  params.roiData = attrs->roi ? attrs->roi->as<const float>() : nullptr;
  params.resizedAxes = static_cast<int>(axes.size());
  for (int64_t d = 0; d < rank; ++d) {
    ResizeAxis &g = params.geometry[d];
    g.inSize = in.shape[d];
    g.outSize = out.shape[d];
    g.scale = 1.0f;
    g.length = static_cast<float>(in.shape[d]);
    params.scaleSlot[d] = -1;
  }
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    params.scaleSlot[axis] = static_cast<int>(i);
    // Sizes that the result restates: the scale is out / in.
    ResizeAxis &g = params.geometry[axis];
    g.scale = static_cast<float>(g.outSize) / static_cast<float>(g.inSize);
    g.length = static_cast<float>(g.outSize);
  }
  int64_t total = out.numElements();
  unsigned blocks = gridFor(total, call.context, kThreads);
  auto run = [&](auto tag) -> Status {
    using T = decltype(tag);
    launch(call.context, resizeKernel<T>, blocks, kThreads, 0, in.as<const T>(),
           out.as<T>(), params, total);
    return checkLaunch(name);
  };
  if (params.sampling.mode != ResizeMode::Nearest)
    return in.dtype == DType::F32 ? run(float{}) : run(double{});
  // The extrapolation value is written in the element's own type.
  if (params.sampling.transform == ResizeTransform::TfCropAndResize) {
    switch (in.dtype) {
    case DType::F32:
      return run(float{});
    case DType::F64:
      return run(double{});
    case DType::I64:
      return run(int64_t{});
    case DType::I32:
      return run(int32_t{});
    case DType::I8:
      return run(int8_t{});
    default:
      return run(uint8_t{});
    }
  }
  return visitUnit(dtypeSize(in.dtype), run);
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
  registry.add("onnx.Pad", padKernelHost);
  registry.add("onnx.Range", rangeKernel);
  registry.add("onnx.Reshape", reshapeKernel);
  registry.add("onnx.Resize", resizeKernelHost);
  registry.add("onnx.Shape", shapeKernel);
  registry.add("onnx.Slice", sliceKernelHost);
  registry.add("onnx.Split", splitKernel);
  registry.add("onnx.Squeeze", squeezeKernel);
  registry.add("onnx.Tile", tileKernel);
  registry.add("onnx.Transpose", transposeKernel);
  registry.add("onnx.Unsqueeze", unsqueezeKernel);
}

} // namespace intr::cuda
