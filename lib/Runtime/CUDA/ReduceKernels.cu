//===- ReduceKernels.cu - ONNX reductions, CumSum and TopK on the GPU -----===//
//
// The CUDA twins of CPU/ReduceKernels.cpp: the same names, operand checks,
// element types and numerics. ReduceSum, ReduceMean and ReduceMax view the
// input as groups of adjacent axes that are all reduced or all kept, then
// either give each result one thread (few reduced elements, or an innermost
// kept axis, where neighbouring threads read neighbouring elements) or one
// block that splits the reduced elements and combines them in shared
// memory. Float sums accumulate in double, integer sums wrap around.
// CumSum gives each line along its axis one thread that adds in the element
// type in order, exactly as the CPU does. TopK gives each line one thread
// that picks its k elements in TopK's order (CPU/TopKSupport.h), the same
// elements the CPU's partial sort picks.
//
// Axes given as an operand (opset 18) and CumSum's axis live in device
// memory, which the host cannot read without synchronizing: the host checks
// what their shapes and the result's shape tell, and the kernel reads the
// values and checks them (a reduction once per block, CumSum in each
// thread, as it is one load). Values that the CPU would refuse
// (out of range, repeated, or not matching the result's shape) cannot become
// an Error from inside a kernel; the kernel writes zeros to the whole result
// instead, as the layout kernels do. No value leads to a read or write out
// of bounds.
//
//===----------------------------------------------------------------------===//

#include "../CPU/ElementwiseSupport.h"
#include "../CPU/TopKSupport.h"
#include "CudaKernel.h"
#include "Launch.cuh"

#include <cuda/std/limits>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace intr::cuda {
namespace {

using cpu::Bool8;
using cpu::TypeList;
using cpu::Wrap;

/// The most dimensions of an input whose axes come from device memory, and
/// the most groups of reduced or kept axes.
constexpr int kMaxRank = 8;
/// Threads per block of the one-thread-per-result kernels and the most of
/// the one-block-per-result kernel (a power of two, for its tree).
constexpr int kThreads = 256;

/// Returns fn(T{}) for the T of the list whose dtype is `dtype`, or an
/// "unsupported operand element type" error. (Kernels return Statuses
/// rather than assign them: nvcc warns on every assignment of a
/// [[nodiscard]] class.)
template <typename Fn>
Status dispatch(TypeList<>, DType dtype, const char *name, Fn &&) {
  return cpu::dtypeError(name, "operand", dtype);
}
template <typename T, typename... Ts, typename Fn>
Status dispatch(TypeList<T, Ts...>, DType dtype, const char *name, Fn &&fn) {
  if (dtype == cpu::dtypeOf<T>())
    return fn(T{});
  return dispatch(TypeList<Ts...>{}, dtype, name, std::forward<Fn>(fn));
}

/// What a kernel writes for a step whose device-side axes are invalid.
template <typename T> __device__ T invalidResult() { return T{}; }

//===----------------------------------------------------------------------===//
// Reduction policies
//===----------------------------------------------------------------------===//

/// Floats sum in double; integers in uint64, where overflow wraps.
template <typename T>
using SumAcc =
    std::conditional_t<std::is_floating_point_v<T>, double, uint64_t>;

struct SumPolicy {
  static constexpr const char *name = "onnx.ReduceSum";
  using Types = TypeList<float, double, int64_t, int32_t>;
  template <typename T> using Acc = SumAcc<T>;
  template <typename T> __device__ static Acc<T> init() { return 0; }
  template <typename T> __device__ static void add(Acc<T> &acc, T x) {
    acc += static_cast<Acc<T>>(x);
  }
  template <typename T> __device__ static void merge(Acc<T> &acc, Acc<T> x) {
    acc += x;
  }
  template <typename T> __device__ static T finish(Acc<T> acc, int64_t) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(acc);
    else
      return static_cast<T>(static_cast<int64_t>(acc));
  }
};

struct MeanPolicy : SumPolicy {
  static constexpr const char *name = "onnx.ReduceMean";
  template <typename T>
  __device__ static T finish(SumAcc<T> acc, int64_t count) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(acc / static_cast<double>(count)); // 0/0 is NaN.
    else
      // Truncates toward zero, as C does; an empty mean is 0.
      return count == 0 ? T(0)
                        : static_cast<T>(static_cast<int64_t>(acc) / count);
  }
};

/// The sum's types and accumulators, multiplied: floats in double,
/// integers in uint64, where overflow wraps.
struct ProdPolicy : SumPolicy {
  static constexpr const char *name = "onnx.ReduceProd";
  template <typename T> __device__ static Acc<T> init() { return 1; }
  template <typename T> __device__ static void add(Acc<T> &acc, T x) {
    acc *= static_cast<Acc<T>>(x);
  }
  template <typename T> __device__ static void merge(Acc<T> &acc, Acc<T> x) {
    acc *= x;
  }
};

struct MaxPolicy {
  static constexpr const char *name = "onnx.ReduceMax";
  using Types =
      TypeList<float, double, int64_t, int32_t, int8_t, uint8_t, Bool8>;
  template <typename T> using Acc = T;
  template <typename T> __device__ static T init() {
    if constexpr (std::is_same_v<T, Bool8>)
      return Bool8{0};
    else if constexpr (std::is_floating_point_v<T>)
      return -::cuda::std::numeric_limits<T>::infinity();
    else
      return ::cuda::std::numeric_limits<T>::lowest();
  }
  template <typename T> __device__ static void add(T &acc, T x) {
    if constexpr (std::is_same_v<T, Bool8>) {
      acc.value = acc.value || x.value;
    } else if constexpr (std::is_floating_point_v<T>) {
      // NaN wins: once acc is NaN it stays, and a NaN x replaces acc.
      if (!(acc != acc) && (x != x || x > acc))
        acc = x;
    } else {
      if (x > acc)
        acc = x;
    }
  }
  template <typename T> __device__ static void merge(T &acc, T x) {
    add(acc, x);
  }
  template <typename T> __device__ static T finish(T acc, int64_t) {
    return acc;
  }
};

//===----------------------------------------------------------------------===//
// Reduction layouts
//===----------------------------------------------------------------------===//

/// The input as groups of adjacent axes, size-1 axes dropped, each group
/// all reduced or all kept, with its element count and its stride (that of
/// its innermost axis). Results are the kept groups in row-major order.
struct ReduceLayout {
  int keptRank;
  int reducedRank;
  /// Whether the innermost group is reduced (contiguous reduced runs).
  bool innerReduced;
  int64_t keptSizes[kMaxRank];
  int64_t keptStrides[kMaxRank];
  int64_t reducedSizes[kMaxRank];
  int64_t reducedStrides[kMaxRank];
};

/// Groups the axes of `shape` by `reduced`; false when there are more than
/// kMaxRank groups of either kind.
__host__ __device__ bool groupAxes(const int64_t *shape, int rank,
                                   const uint8_t *reduced,
                                   ReduceLayout &layout) {
  // Innermost first, so that strides come out of one pass; the groups are
  // reversed into row-major order at the end.
  int64_t sizes[2][kMaxRank], strides[2][kMaxRank];
  int counts[2] = {0, 0};
  int last = -1; // The kind of the group being extended, -1 before any.
  int64_t stride = 1;
  layout.innerReduced = false;
  for (int d = rank - 1; d >= 0; --d) {
    int64_t size = shape[d];
    if (size == 1)
      continue;
    int kind = reduced[d] ? 1 : 0;
    if (last < 0)
      layout.innerReduced = kind == 1;
    if (kind == last) {
      sizes[kind][counts[kind] - 1] *= size;
    } else {
      if (counts[kind] == kMaxRank)
        return false;
      sizes[kind][counts[kind]] = size;
      strides[kind][counts[kind]] = stride;
      ++counts[kind];
      last = kind;
    }
    stride *= size;
  }
  layout.keptRank = counts[0];
  layout.reducedRank = counts[1];
  for (int g = 0; g < counts[0]; ++g) {
    layout.keptSizes[g] = sizes[0][counts[0] - 1 - g];
    layout.keptStrides[g] = strides[0][counts[0] - 1 - g];
  }
  for (int g = 0; g < counts[1]; ++g) {
    layout.reducedSizes[g] = sizes[1][counts[1] - 1 - g];
    layout.reducedStrides[g] = strides[1][counts[1] - 1 - g];
  }
  return true;
}

/// Everything a reduction kernel needs to find its layout: the layout
/// itself when the host knows the axes, else the input's and the result's
/// shapes and the device-side axes to resolve and check them.
struct ReduceParams {
  ReduceLayout layout;
  /// Null when `layout` is final.
  const void *axes;
  int axesCount;
  bool axes64;
  bool keepdims;
  int rank;
  int outRank;
  int64_t shape[kMaxRank];
  int64_t outShape[kMaxRank];
};

/// Reads and checks device-side axes as the CPU does (range, repeats, the
/// result's shape) and groups the input's axes; false when invalid.
__device__ bool resolveLayout(const ReduceParams &p, ReduceLayout &layout) {
  if (!p.axes) {
    layout = p.layout;
    return true;
  }
  uint8_t reduced[kMaxRank] = {};
  for (int i = 0; i < p.axesCount; ++i) {
    int64_t axis = p.axes64 ? static_cast<const int64_t *>(p.axes)[i]
                            : static_cast<const int32_t *>(p.axes)[i];
    if (axis < -p.rank || axis >= p.rank)
      return false;
    if (axis < 0)
      axis += p.rank;
    if (reduced[axis])
      return false;
    reduced[axis] = true;
  }
  int j = 0;
  for (int d = 0; d < p.rank; ++d) {
    if (reduced[d] && !p.keepdims)
      continue;
    int64_t want = reduced[d] ? 1 : p.shape[d];
    if (j >= p.outRank || p.outShape[j] != want)
      return false;
    ++j;
  }
  if (j != p.outRank)
    return false;
  return groupAxes(p.shape, p.rank, reduced, layout);
}

/// The offset of the first input element of result `index`.
__device__ int64_t keptOffset(const ReduceLayout &layout, int64_t index) {
  int64_t offset = 0;
  for (int g = layout.keptRank - 1; g >= 0; --g) {
    int64_t size = layout.keptSizes[g];
    offset += (index % size) * layout.keptStrides[g];
    index /= size;
  }
  return offset;
}

/// The offset of reduced element `index` from its result's first element.
__device__ int64_t reducedOffset(const ReduceLayout &layout, int64_t index) {
  if (layout.reducedRank == 1)
    return index * layout.reducedStrides[0];
  int64_t offset = 0;
  for (int g = layout.reducedRank - 1; g >= 0; --g) {
    int64_t size = layout.reducedSizes[g];
    offset += (index % size) * layout.reducedStrides[g];
    index /= size;
  }
  return offset;
}

//===----------------------------------------------------------------------===//
// Reduction kernels
//===----------------------------------------------------------------------===//

/// One thread per result: adds the `count` reduced elements in order.
template <typename P, typename T>
__global__ void __launch_bounds__(kThreads)
    reducePerThread(const T *in, T *out, int64_t outCount, int64_t count,
                    ReduceParams params) {
  awaitPredecessors();
  using Acc = typename P::template Acc<T>;
  __shared__ ReduceLayout layout;
  __shared__ bool valid;
  if (threadIdx.x == 0)
    valid = resolveLayout(params, layout);
  __syncthreads();
  int64_t step = int64_t(blockDim.x) * gridDim.x;
  for (int64_t o = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; o < outCount;
       o += step) {
    if (!valid) {
      out[o] = invalidResult<T>();
      continue;
    }
    const T *base = in + keptOffset(layout, o);
    Acc acc = P::template init<T>();
    for (int64_t r = 0; r < count; ++r)
      P::template add<T>(acc, base[reducedOffset(layout, r)]);
    out[o] = P::template finish<T>(acc, count);
  }
}

/// One block per result: its threads split the reduced elements, then
/// combine their partial results in a tree (blockDim.x a power of two).
template <typename P, typename T>
__global__ void __launch_bounds__(kThreads)
    reducePerBlock(const T *in, T *out, int64_t outCount, int64_t count,
                   ReduceParams params) {
  awaitPredecessors();
  using Acc = typename P::template Acc<T>;
  __shared__ ReduceLayout layout;
  __shared__ bool valid;
  __shared__ Acc partial[kThreads];
  unsigned tid = threadIdx.x;
  if (tid == 0)
    valid = resolveLayout(params, layout);
  __syncthreads();
  // `valid` and the loop bounds are the same for the whole block, so every
  // thread reaches every barrier.
  for (int64_t o = blockIdx.x; o < outCount; o += gridDim.x) {
    if (!valid) {
      if (tid == 0)
        out[o] = invalidResult<T>();
      continue;
    }
    const T *base = in + keptOffset(layout, o);
    Acc acc = P::template init<T>();
    for (int64_t r = tid; r < count; r += blockDim.x)
      P::template add<T>(acc, base[reducedOffset(layout, r)]);
    partial[tid] = acc;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
      if (tid < half)
        P::template merge<T>(partial[tid], partial[tid + half]);
      __syncthreads();
    }
    if (tid == 0)
      out[o] = P::template finish<T>(partial[0], count);
    // partial[0] is read before the next result overwrites it.
    __syncthreads();
  }
}

/// The smallest power of two >= n, within [32, kThreads].
int blockSizeFor(int64_t n) {
  int threads = 32;
  while (threads < kThreads && threads < n)
    threads *= 2;
  return threads;
}

template <typename P, typename T>
Status launchReduce(const char *name, const KernelCall &call,
                    const ReduceParams &params, bool layoutKnown,
                    int64_t outCount, int64_t count) {
  const T *in = call.inputs[0].as<const T>();
  T *out = call.outputs[0].as<T>();
  const Context &context = call.context;
  // Neighbouring threads read neighbouring elements when the innermost
  // kept group is innermost of all; short reductions waste a block.
  constexpr int64_t kShort = 16, kManyResults = 16384;
  bool perThread =
      count <= kShort ||
      (layoutKnown && !params.layout.innerReduced && outCount >= kManyResults);
  if (perThread) {
    launch(context, reducePerThread<P, T>, gridFor(outCount, context, kThreads),
           kThreads, 0, in, out, outCount, count, params);
  } else {
    int threads = blockSizeFor(count);
    int64_t cap = int64_t(context.multiprocessors) * 32;
    unsigned blocks = static_cast<unsigned>(outCount < cap ? outCount : cap);
    launch(context, reducePerBlock<P, T>, blocks, threads, 0, in, out, outCount,
           count, params);
  }
  return checkLaunch(name);
}

template <typename P> Status reduceKernel(const KernelCall &call) {
  const char *name = P::name;
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkOperands(name, args, 1, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  if (Status s = cpu::expectDType(name, "the result", out, in.dtype); !s)
    return s;
  int64_t rank = in.rank();
  bool keepdims = call.attrs.getInt("keepdims", 1) != 0;
  // Opset 18 takes the axes as an operand, older opsets as an attribute.
  std::vector<int64_t> axes = call.attrs.getInts("axes");
  const TensorArg *axesArg = cpu::optionalArg(args.inputs, 1);
  int64_t deviceAxes = 0;
  if (axesArg) {
    // The axes stay on the device: only their type and rank are checked.
    if (Status s = cpu::checkIntOperand(name, "axes", *axesArg); !s)
      return s;
    deviceAxes = axesArg->numElements();
    if (deviceAxes != 0 && !axes.empty())
      return kernelError(name, "axes given both as operand and attribute");
  }

  ReduceParams params{};
  bool layoutKnown = deviceAxes == 0;
  int64_t outCount = out.numElements(), count = 0;
  if (layoutKnown) {
    if (Status s = cpu::normalizeAxes(name, axes, rank); !s)
      return s;
    if (axes.empty() && call.attrs.getInt("noop_with_empty_axes", 0)) {
      if (Status s = cpu::expectShape(name, "the result", out, in.shape); !s)
        return s;
      if (in.data == out.data || in.sizeInBytes() == 0)
        return Status::ok();
      return check(cudaMemcpyAsync(out.data, in.data, in.sizeInBytes(),
                                   cudaMemcpyDeviceToDevice,
                                   call.context.stream),
                   std::string(name) + ": copying");
    }
    std::vector<uint8_t> reduced(rank, axes.empty());
    for (int64_t axis : axes)
      reduced[axis] = true;
    std::vector<int64_t> expected;
    count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (reduced[d])
        count *= in.shape[d];
      if (!reduced[d])
        expected.push_back(in.shape[d]);
      else if (keepdims)
        expected.push_back(1);
    }
    if (Status s = cpu::expectShape(name, "the result", out, expected); !s)
      return s;
    // Any rank works here as long as the groups fit.
    if (!groupAxes(in.shape.data(), static_cast<int>(rank), reduced.data(),
                   params.layout))
      return kernelError(name, "the reduction of " + formatShape(in.shape) +
                                   " has more than " +
                                   std::to_string(kMaxRank) +
                                   " groups of axes; not supported on CUDA");
  } else {
    // The values are on the device; check what the shapes tell.
    if (rank > kMaxRank)
      return kernelError(name, "an input of rank " + std::to_string(rank) +
                                   " with axes as an operand is not "
                                   "supported on CUDA (at most " +
                                   std::to_string(kMaxRank) + ")");
    if (deviceAxes > rank)
      return kernelError(name, std::to_string(deviceAxes) +
                                   " axes are more than the rank " +
                                   std::to_string(rank));
    int64_t outRank = keepdims ? rank : rank - deviceAxes;
    if (out.rank() != outRank)
      return kernelError(name, "the result has shape " +
                                   formatShape(out.shape) + ", expected rank " +
                                   std::to_string(outRank));
    int64_t inCount = in.numElements();
    count = outCount == 0 ? 0 : inCount / outCount;
    if (outCount != 0 && count * outCount != inCount)
      return kernelError(name,
                         "the result has shape " + formatShape(out.shape) +
                             ", not a reduction of " + formatShape(in.shape));
    params.axes = axesArg->data;
    params.axesCount = static_cast<int>(deviceAxes);
    params.axes64 = axesArg->dtype == DType::I64;
    params.keepdims = keepdims;
    params.rank = static_cast<int>(rank);
    params.outRank = static_cast<int>(outRank);
    for (int64_t d = 0; d < rank; ++d)
      params.shape[d] = in.shape[d];
    for (int64_t d = 0; d < outRank; ++d)
      params.outShape[d] = out.shape[d];
  }
  return dispatch(typename P::Types{}, in.dtype, name, [&](auto tag) {
    using T = decltype(tag);
    if (outCount == 0)
      return Status::ok();
    return launchReduce<P, T>(name, call, params, layoutKnown, outCount, count);
  });
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

struct CumSumParams {
  int rank;
  int64_t shape[kMaxRank];
  /// The axis operand, one i64 or i32 in device memory.
  const void *axis;
  bool axis64;
  bool exclusive;
  bool reverse;
};

/// One thread per line along the axis, adding in the element type in the
/// order the CPU does; each element is read before its result is written,
/// so in and out may alias.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    cumSumLines(const T *in, T *out, int64_t total, CumSumParams p) {
  awaitPredecessors();
  int64_t axis = p.axis64 ? *static_cast<const int64_t *>(p.axis)
                          : *static_cast<const int32_t *>(p.axis);
  int64_t step = int64_t(blockDim.x) * gridDim.x;
  int64_t first = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (axis < -p.rank || axis >= p.rank) {
    for (int64_t i = first; i < total; i += step)
      out[i] = invalidResult<T>();
    return;
  }
  if (axis < 0)
    axis += p.rank;
  int64_t length = p.shape[axis], inner = 1;
  for (int d = static_cast<int>(axis) + 1; d < p.rank; ++d)
    inner *= p.shape[d];
  // total > 0, so length and inner are too.
  int64_t lines = total / length;
  for (int64_t line = first; line < lines; line += step) {
    int64_t o = line / inner, j = line % inner;
    int64_t start = o * length * inner + j;
    Wrap<T> acc = 0;
    for (int64_t s = 0; s < length; ++s) {
      int64_t i = p.reverse ? length - 1 - s : s;
      int64_t at = start + i * inner;
      Wrap<T> v = static_cast<Wrap<T>>(in[at]);
      if (p.exclusive)
        out[at] = static_cast<T>(acc);
      // The first element starts the sum as it is, as on the CPU.
      acc = s == 0 ? v : static_cast<Wrap<T>>(acc + v);
      if (!p.exclusive)
        out[at] = static_cast<T>(acc);
    }
  }
}

Status cumSumKernel(const KernelCall &call) {
  const char *name = "onnx.CumSum";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = call.inputs[0], &axis = call.inputs[1],
                  &out = call.outputs[0];
  if (Status s = cpu::expectLikeInput(name, out, in); !s)
    return s;
  if (axis.rank() > 1)
    return kernelError(name, "axis must be 1-D, got shape " +
                                 formatShape(axis.shape));
  if (axis.dtype != DType::I64 && axis.dtype != DType::I32)
    return kernelError(name, std::string("axis must be i64 or i32, got ") +
                                 dtypeName(axis.dtype));
  if (axis.numElements() != 1)
    return kernelError(name, "axis must hold one value, got " +
                                 std::to_string(axis.numElements()));
  if (!axis.present())
    return kernelError(name, "axis has no data");
  // The axis value is on the device; its range is known already.
  if (in.rank() == 0)
    return kernelError(name, "axis is out of range for rank 0");
  if (in.rank() > kMaxRank)
    return kernelError(name, "an operand of rank " + std::to_string(in.rank()) +
                                 " is not supported on CUDA (at most " +
                                 std::to_string(kMaxRank) + ")");
  CumSumParams params{};
  params.rank = static_cast<int>(in.rank());
  for (int64_t d = 0; d < in.rank(); ++d)
    params.shape[d] = in.shape[d];
  params.axis = axis.data;
  params.axis64 = axis.dtype == DType::I64;
  params.exclusive = call.attrs.getInt("exclusive", 0) != 0;
  params.reverse = call.attrs.getInt("reverse", 0) != 0;
  int64_t total = in.numElements();
  using Types = TypeList<float, double, int64_t, int32_t>;
  return dispatch(Types{}, in.dtype, name, [&](auto tag) {
    using T = decltype(tag);
    if (total == 0)
      return Status::ok();
    // Lines are total / length, not known here: size the grid for every
    // element and let the grid-stride loop stop at the lines.
    launch(call.context, cumSumLines<T>, gridFor(total, call.context, kThreads),
           kThreads, 0, in.as<const T>(), out.as<T>(), total, params);
    return checkLaunch(name);
  });
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// One thread per line along the axis: pick after pick, the element that
/// ranks first among those ranking after the last pick. The order is total,
/// so the picks are distinct and in order without any scratch memory: k
/// passes over the line, made for a classifier head's small k. A K in
/// device memory that differs from the results' size, which the CPU
/// refuses, gives zeros; so do the picks after one that finds nothing,
/// which only results overlapping X could cause (the loader refuses such
/// steps; the guard keeps the reads in bounds whatever the plan).
template <typename T>
__global__ void __launch_bounds__(kThreads)
    topKLines(const T *in, const void *kValue, bool k64, T *values,
              int64_t *indices, cpu::TopKOperands t) {
  awaitPredecessors();
  int64_t k = k64 ? *static_cast<const int64_t *>(kValue)
                  : *static_cast<const int32_t *>(kValue);
  int64_t lines = t.outer * t.inner;
  int64_t step = int64_t(blockDim.x) * gridDim.x;
  for (int64_t line = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       line < lines; line += step) {
    int64_t o = line / t.inner, j = line % t.inner;
    const T *row = in + o * t.length * t.inner + j;
    int64_t base = o * t.k * t.inner + j, last = -1;
    bool valid = k == t.k;
    for (int64_t i = 0; i < t.k; ++i) {
      int64_t best = -1;
      for (int64_t c = 0; valid && c < t.length; ++c) {
        T v = row[c * t.inner];
        bool after = last < 0 || cpu::ranksBefore(row[last * t.inner], last, v,
                                                  c, t.largest);
        if (after && (best < 0 || cpu::ranksBefore(v, c, row[best * t.inner],
                                                   best, t.largest)))
          best = c;
      }
      valid = best >= 0;
      values[base + i * t.inner] =
          valid ? row[best * t.inner] : invalidResult<T>();
      indices[base + i * t.inner] = valid ? best : 0;
      last = best;
    }
  }
}

Status topKKernel(const KernelCall &call) {
  const char *name = "onnx.TopK";
  cpu::KernelArgs args = call.cpuArgs();
  cpu::TopKOperands t;
  // K's value is in device memory: the results' shape, which the compiler
  // made from it, gives k, and the kernel compares the two.
  if (Status s = cpu::checkTopK(args, t); !s)
    return s;
  const TensorArg &x = call.inputs[0];
  using Types = TypeList<float, double, int64_t, int32_t, int8_t, uint8_t>;
  return dispatch(Types{}, x.dtype, name, [&](auto tag) {
    using T = decltype(tag);
    int64_t lines = t.outer * t.inner;
    if (lines == 0 || t.k == 0)
      return Status::ok();
    launch(call.context, topKLines<T>, gridFor(lines, call.context, kThreads),
           kThreads, 0, x.as<const T>(), call.inputs[1].data,
           call.inputs[1].dtype == DType::I64, call.outputs[0].as<T>(),
           call.outputs[1].as<int64_t>(), t);
    return checkLaunch(name);
  });
}

} // namespace

void registerReduceKernels(KernelRegistry &registry) {
  registry.add("onnx.ReduceSum", reduceKernel<SumPolicy>);
  registry.add("onnx.ReduceMean", reduceKernel<MeanPolicy>);
  registry.add("onnx.ReduceMax", reduceKernel<MaxPolicy>);
  registry.add("onnx.ReduceProd", reduceKernel<ProdPolicy>);
  registry.add("onnx.CumSum", cumSumKernel);
  registry.add("onnx.TopK", topKKernel);
}

} // namespace intr::cuda
