//===- ReduceKernels.cpp - ONNX reductions, CumSum and TopK on the CPU ----===//
//
// ReduceSum, ReduceMean and ReduceMax share one driver: it merges adjacent
// axes that are all reduced or all kept, then either sums contiguous runs
// (the innermost axis is reduced, as in LayerNorm-style means) or adds whole
// rows (the innermost axis is kept, as in the head mean over [B, H, C, T]).
// Float sums accumulate in double; integer sums wrap around.
//
//===----------------------------------------------------------------------===//

#include "ElementwiseSupport.h"
#include "Kernel.h"
#include "TopKSupport.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace intr::cpu {
namespace {

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
  template <typename T> static Acc<T> init() { return 0; }
  template <typename T> static void add(Acc<T> &acc, T x) {
    acc += static_cast<Acc<T>>(x);
  }
  template <typename T> static T finish(Acc<T> acc, int64_t) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(acc);
    else
      return static_cast<T>(static_cast<int64_t>(acc));
  }
};

struct MeanPolicy : SumPolicy {
  static constexpr const char *name = "onnx.ReduceMean";
  template <typename T> static T finish(SumAcc<T> acc, int64_t count) {
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
  template <typename T> static Acc<T> init() { return 1; }
  template <typename T> static void add(Acc<T> &acc, T x) {
    acc *= static_cast<Acc<T>>(x);
  }
};

struct MaxPolicy {
  static constexpr const char *name = "onnx.ReduceMax";
  using Types =
      TypeList<float, double, int64_t, int32_t, int8_t, uint8_t, Bool8>;
  template <typename T> using Acc = T;
  template <typename T> static T init() {
    if constexpr (std::is_same_v<T, Bool8>)
      return Bool8{0};
    else if constexpr (std::is_floating_point_v<T>)
      return -std::numeric_limits<T>::infinity();
    else
      return std::numeric_limits<T>::lowest();
  }
  template <typename T> static void add(T &acc, T x) {
    if constexpr (std::is_same_v<T, Bool8>) {
      acc.value = acc.value || x.value;
    } else if constexpr (std::is_floating_point_v<T>) {
      // NaN wins: once acc is NaN it stays, and a NaN x replaces acc.
      if (!(acc != acc) && (x != x || x > acc))
        acc = x;
    } else {
      acc = std::max(acc, x);
    }
  }
  template <typename T> static T finish(T acc, int64_t) { return acc; }
};

/// Sixteen floats: one AVX-512 register, two AVX2 ones (as Depthwise.cpp's).
typedef float FloatLanes __attribute__((vector_size(64)));
typedef int32_t MaskLanes __attribute__((vector_size(64)));

/// The largest of n floats as MaxPolicy takes them one at a time, 16
/// lanes side by side: their largest value, or, where that could differ
/// in its bits, the first NaN (NaN wins) or the first zero (of the sign
/// that came first; the minimum of a ReLU's output is one).
INTR_VECTOR_CLONES
float laneMax(const float *x, int64_t n) {
  constexpr int64_t kLanes = 16;
  const float lowest = -std::numeric_limits<float>::infinity();
  FloatLanes lanes = {lowest, lowest, lowest, lowest, lowest, lowest,
                      lowest, lowest, lowest, lowest, lowest, lowest,
                      lowest, lowest, lowest, lowest};
  MaskLanes nan = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    FloatLanes v;
    std::memcpy(&v, x + i, sizeof v);
    lanes = lanes < v ? v : lanes;
    nan |= v != v;
  }
  float largest = lowest;
  bool anyNaN = false;
  for (int64_t j = 0; j < kLanes; ++j) {
    largest = lanes[j] > largest ? lanes[j] : largest;
    anyNaN |= nan[j] != 0;
  }
  for (; i < n; ++i) {
    largest = x[i] > largest ? x[i] : largest;
    anyNaN |= x[i] != x[i];
  }
  if (anyNaN || largest == 0.0f)
    for (i = 0; i < n; ++i)
      if (x[i] != x[i] || (x[i] == 0.0f && !anyNaN))
        return x[i];
  return largest;
}

//===----------------------------------------------------------------------===//
// The reduction driver
//===----------------------------------------------------------------------===//

/// Offsets of every position of the index space `sizes` (row-major) whose
/// axes advance by `strides`.
std::vector<int64_t> offsetsOf(const std::vector<int64_t> &sizes,
                               const std::vector<int64_t> &strides) {
  std::vector<int64_t> offsets{0};
  for (size_t d = 0; d < sizes.size(); ++d) {
    std::vector<int64_t> next;
    next.reserve(offsets.size() * sizes[d]);
    for (int64_t base : offsets)
      for (int64_t i = 0; i < sizes[d]; ++i)
        next.push_back(base + i * strides[d]);
    offsets = std::move(next);
  }
  return offsets;
}

/// Reduces `in` of shape `shape` over the axes flagged in `reduced` into
/// `out`, whose element count is that of the kept axes.
template <typename P, typename T>
void reduce(const T *in, T *out, const std::vector<int64_t> &shape,
            const std::vector<bool> &reduced, [[maybe_unused]] int threads) {
  using Acc = typename P::template Acc<T>;
  int64_t count = 1, outCount = 1;
  for (size_t d = 0; d < shape.size(); ++d)
    (reduced[d] ? count : outCount) *= shape[d];
  if (outCount == 0)
    return;
  if (count == 0) {
    for (int64_t i = 0; i < outCount; ++i)
      out[i] = P::template finish<T>(P::template init<T>(), 0);
    return;
  }
  // Merge neighbours alike (size-1 axes go either way); the innermost
  // group always exists so that the loops below have one.
  std::vector<int64_t> sizes, strides;
  std::vector<bool> flags;
  std::vector<int64_t> inStrides = stridesOf(shape);
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1)
      continue;
    if (!flags.empty() && flags.back() == reduced[d]) {
      sizes.back() *= shape[d];
      strides.back() = inStrides[d];
      continue;
    }
    sizes.push_back(shape[d]);
    strides.push_back(inStrides[d]);
    flags.push_back(reduced[d]);
  }
  bool innerReduced = !flags.empty() && flags.back();
  int64_t inner = flags.empty() ? 1 : sizes.back();
  if (!flags.empty()) {
    sizes.pop_back();
    strides.pop_back();
    flags.pop_back();
  }
  std::vector<int64_t> keptSizes, keptStrides, redSizes, redStrides;
  for (size_t g = 0; g < sizes.size(); ++g) {
    (flags[g] ? redSizes : keptSizes).push_back(sizes[g]);
    (flags[g] ? redStrides : keptStrides).push_back(strides[g]);
  }
  std::vector<int64_t> kept = offsetsOf(keptSizes, keptStrides);
  std::vector<int64_t> red = offsetsOf(redSizes, redStrides);
  int64_t numKept = static_cast<int64_t>(kept.size());
  int64_t numRed = static_cast<int64_t>(red.size());
  [[maybe_unused]] int64_t work = outCount * count;

  if (innerReduced) {
    // Each result sums numRed contiguous runs of `inner` elements.
#pragma omp parallel for num_threads(threads) if (work >= kParallelGrain)
    for (int64_t o = 0; o < numKept; ++o) {
      Acc acc = P::template init<T>();
      for (int64_t r = 0; r < numRed; ++r) {
        const T *run = in + kept[o] + red[r];
        // A float maximum in lanes, with MaxPolicy's bits.
        if constexpr (std::is_same_v<P, MaxPolicy> &&
                      std::is_same_v<T, float>) {
          P::template add<T>(acc, laneMax(run, inner));
          continue;
        }
        for (int64_t j = 0; j < inner; ++j)
          P::template add<T>(acc, run[j]);
      }
      out[o] = P::template finish<T>(acc, count);
    }
    return;
  }
  // The innermost axis is kept: add whole rows, in column blocks so that
  // one result row still spreads over threads.
  constexpr int64_t kBlock = 512;
  int64_t blocks = (inner + kBlock - 1) / kBlock;
#pragma omp parallel for num_threads(threads) if (work >= kParallelGrain)
  for (int64_t task = 0; task < numKept * blocks; ++task) {
    int64_t o = task / blocks, begin = (task % blocks) * kBlock;
    int64_t width = std::min(kBlock, inner - begin);
    Acc acc[kBlock];
    for (int64_t j = 0; j < width; ++j)
      acc[j] = P::template init<T>();
    for (int64_t r = 0; r < numRed; ++r) {
      const T *row = in + kept[o] + red[r] + begin;
      for (int64_t j = 0; j < width; ++j)
        P::template add<T>(acc[j], row[j]);
    }
    T *dst = out + o * inner + begin;
    for (int64_t j = 0; j < width; ++j)
      dst[j] = P::template finish<T>(acc[j], count);
  }
}

template <typename P> Status reduceKernel(const KernelArgs &args) {
  const char *name = P::name;
  if (Status s = checkOperands(name, args, 1, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  // Opset 18 takes the axes as an operand, older opsets as an attribute.
  std::vector<int64_t> axes = args.attrs.getInts("axes");
  if (const TensorArg *axesArg = optionalArg(args.inputs, 1)) {
    std::vector<int64_t> fromOperand;
    if (Status s = readInts(name, "axes", *axesArg, fromOperand); !s)
      return s;
    if (!fromOperand.empty() && !axes.empty())
      return kernelError(name, "axes given both as operand and attribute");
    if (!fromOperand.empty())
      axes = std::move(fromOperand);
  }
  if (Status s = normalizeAxes(name, axes, in.rank()); !s)
    return s;
  if (axes.empty() && args.attrs.getInt("noop_with_empty_axes", 0)) {
    if (Status s = expectShape(name, "the result", out, in.shape); !s)
      return s;
    if (in.data != out.data && in.sizeInBytes() != 0)
      std::memmove(out.data, in.data, in.sizeInBytes());
    return Status::ok();
  }
  std::vector<bool> reduced(in.rank(), axes.empty());
  for (int64_t axis : axes)
    reduced[axis] = true;
  bool keepdims = args.attrs.getInt("keepdims", 1) != 0;
  std::vector<int64_t> expected;
  for (int64_t d = 0; d < in.rank(); ++d)
    if (!reduced[d])
      expected.push_back(in.shape[d]);
    else if (keepdims)
      expected.push_back(1);
  if (Status s = expectShape(name, "the result", out, expected); !s)
    return s;
  bool known = visitTypes(typename P::Types{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    reduce<P, T>(in.as<const T>(), out.as<T>(), in.shape, reduced,
                 args.threads);
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

Status cumSumKernel(const KernelArgs &args) {
  const char *name = "onnx.CumSum";
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  if (Status s = expectLikeInput(name, out, in); !s)
    return s;
  std::vector<int64_t> axisValues;
  if (Status s = readInts(name, "axis", args.inputs[1], axisValues); !s)
    return s;
  if (axisValues.size() != 1)
    return kernelError(name, "axis must hold one value, got " +
                                 std::to_string(axisValues.size()));
  int64_t axis = axisValues[0];
  if (!normalizeAxis(axis, in.rank()))
    return kernelError(name, "axis " + std::to_string(axisValues[0]) +
                                 " is out of range for rank " +
                                 std::to_string(in.rank()));
  bool exclusive = args.attrs.getInt("exclusive", 0) != 0;
  bool reverse = args.attrs.getInt("reverse", 0) != 0;
  int64_t outer = 1, inner = 1, length = in.shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= in.shape[d];
  for (int64_t d = axis + 1; d < in.rank(); ++d)
    inner *= in.shape[d];
  int64_t total = in.numElements();
  bool known =
      visitTypes<float, double, int64_t, int32_t>(in.dtype, [&](auto tag) {
        using T = decltype(tag);
        // An empty input's sizes need not fit in memory: `inner` may be
        // 2^40 when another size is 0.
        if (total == 0)
          return;
        const T *src = in.as<const T>();
        T *dst = out.as<T>();
    // Sums in the element type, one step at a time, like ONNX Runtime;
    // each element is read before its result is written, so in and out
    // may alias.
#pragma omp parallel num_threads(args.threads) if (total >= kParallelGrain)
        {
          std::vector<Wrap<T>> acc(inner);
#pragma omp for
          for (int64_t o = 0; o < outer; ++o) {
            std::fill(acc.begin(), acc.end(), Wrap<T>(0));
            for (int64_t step = 0; step < length; ++step) {
              int64_t i = reverse ? length - 1 - step : step;
              int64_t base = (o * length + i) * inner;
              for (int64_t j = 0; j < inner; ++j) {
                Wrap<T> v = static_cast<Wrap<T>>(src[base + j]);
                if (exclusive)
                  dst[base + j] = static_cast<T>(acc[j]);
                // The first element starts the sum as it is (0 + -0.0
                // would be +0.0), as in ONNX's reference and the folder.
                acc[j] = step == 0 ? v : static_cast<Wrap<T>>(acc[j] + v);
                if (!exclusive)
                  dst[base + j] = static_cast<T>(acc[j]);
              }
            }
          }
        }
      });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// Each line along the axis: its indices partially sorted in TopK's order,
/// the first k written out.
Status topKKernel(const KernelArgs &args) {
  const char *name = "onnx.TopK";
  TopKOperands t;
  if (Status s = checkTopK(args, t); !s)
    return s;
  std::vector<int64_t> k;
  if (Status s = readInts(name, "K", args.inputs[1], k); !s)
    return s;
  if (k.size() != 1 || k[0] != t.k)
    return kernelError(name, "K does not match the results' size " +
                                 std::to_string(t.k) + " along the axis");
  const TensorArg &x = args.inputs[0];
  int64_t *indices = args.outputs[1].as<int64_t>();
  int64_t lines = t.outer * t.inner;
  bool known = visitTypes<float, double, int64_t, int32_t, int8_t, uint8_t>(
      x.dtype, [&](auto tag) {
        using T = decltype(tag);
        // Nothing to pick; an empty X's line length need not fit in memory.
        if (lines == 0 || t.k == 0)
          return;
        const T *in = x.as<const T>();
        T *values = args.outputs[0].as<T>();
#pragma omp parallel num_threads(args.threads) if (lines * t.length >=         \
                                                   kParallelGrain)
        {
          std::vector<int64_t> order(t.length);
#pragma omp for
          for (int64_t line = 0; line < lines; ++line) {
            int64_t o = line / t.inner, j = line % t.inner;
            const T *row = in + o * t.length * t.inner + j;
            for (int64_t i = 0; i < t.length; ++i)
              order[i] = i;
            std::partial_sort(order.begin(), order.begin() + t.k, order.end(),
                              [&](int64_t a, int64_t b) {
                                return ranksBefore(row[a * t.inner], a,
                                                   row[b * t.inner], b,
                                                   t.largest);
                              });
            int64_t base = o * t.k * t.inner + j;
            for (int64_t i = 0; i < t.k; ++i) {
              values[base + i * t.inner] = row[order[i] * t.inner];
              indices[base + i * t.inner] = order[i];
            }
          }
        }
      });
  if (!known)
    return dtypeError(name, "operand", x.dtype);
  return Status::ok();
}

} // namespace

Status checkTopK(const KernelArgs &args, TopKOperands &t) {
  const char *name = "onnx.TopK";
  if (Status s = checkOperands(name, args, 2, 2, 2, 2); !s)
    return s;
  const TensorArg &x = args.inputs[0], &k = args.inputs[1];
  const TensorArg &values = args.outputs[0], &indices = args.outputs[1];
  if (Status s = checkIntOperand(name, "K", k); !s)
    return s;
  if (k.numElements() != 1)
    return kernelError(name, "K must hold one value, got " +
                                 std::to_string(k.numElements()));
  int64_t axis = args.attrs.getInt("axis", -1);
  if (!normalizeAxis(axis, x.rank()))
    return kernelError(
        name, "axis " + std::to_string(args.attrs.getInt("axis", -1)) +
                  " is out of range for rank " + std::to_string(x.rank()));
  std::vector<int64_t> shape = x.shape;
  t.k = values.rank() == x.rank() ? values.shape[axis] : -1;
  if (t.k < 0 || t.k > x.shape[axis])
    return kernelError(name, "the results' shape " + formatShape(values.shape) +
                                 " does not fit X's " + formatShape(x.shape));
  shape[axis] = t.k;
  if (Status s = expectDType(name, "Values", values, x.dtype); !s)
    return s;
  if (Status s = expectShape(name, "Values", values, shape); !s)
    return s;
  if (Status s = expectDType(name, "Indices", indices, DType::I64); !s)
    return s;
  if (Status s = expectShape(name, "Indices", indices, shape); !s)
    return s;
  int64_t largest = args.attrs.getInt("largest", 1);
  if (largest != 0 && largest != 1)
    return kernelError(name, "largest must be 0 or 1, got " +
                                 std::to_string(largest));
  t.largest = largest != 0;
  t.length = x.shape[axis];
  t.outer = t.inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    t.outer *= x.shape[d];
  for (int64_t d = axis + 1; d < x.rank(); ++d)
    t.inner *= x.shape[d];
  return Status::ok();
}

void registerReduceKernels(KernelRegistry &registry) {
  registry.add("onnx.ReduceSum", reduceKernel<SumPolicy>);
  registry.add("onnx.ReduceMean", reduceKernel<MeanPolicy>);
  registry.add("onnx.ReduceMax", reduceKernel<MaxPolicy>);
  registry.add("onnx.ReduceProd", reduceKernel<ProdPolicy>);
  registry.add("onnx.CumSum", cumSumKernel);
  registry.add("onnx.TopK", topKKernel);
}

} // namespace intr::cpu
