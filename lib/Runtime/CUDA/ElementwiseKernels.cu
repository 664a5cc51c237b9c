//===- ElementwiseKernels.cu - Elementwise ONNX ops on the GPU ------------===//
//
// The CUDA twins of CPU/ElementwiseKernels.cpp: the same kernel names,
// operand checks, element types and numerics. Every op is a functor over
// elements, and one kernel template maps it over the result: straight
// through when every operand has the result's element count, otherwise with
// numpy broadcasting through per-operand strides (0 where an operand is
// broadcast). Integer arithmetic wraps around as on the CPU.
//
// Two differences: the CPU refuses an integer division by zero after
// scanning the divisor, which lives in device memory here and cannot be
// read without synchronizing, so such a quotient is 0 instead; and a
// broadcast must have at most kMaxRank dimensions once size-1 dimensions
// are dropped and neighbours merged (any the model has do).
//
//===----------------------------------------------------------------------===//

#include "../CPU/Broadcast.h"
#include "../CPU/ElementwiseSupport.h"
#include "CudaKernel.h"
#include "Launch.cuh"

#include <cuda/std/limits>

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace intr::cuda {
namespace {

using cpu::BFloat16;
using cpu::Bool8;
using cpu::Half;
using cpu::TypeList;
using cpu::Wrap;

/// Threads per block of every kernel here.
constexpr int kThreads = 256;
/// Dimensions a broadcast may have after merging (the CPU has no limit;
/// merging brings every shape of the model far below this).
constexpr int kMaxRank = 8;

/// Returns fn(T{}) for the T of the list whose dtype is `dtype`, or an
/// "unsupported <what> element type" error. (The kernels return Statuses
/// rather than assign them: nvcc warns on every assignment of a
/// [[nodiscard]] class.)
template <typename Fn>
Status dispatch(TypeList<>, DType dtype, const char *name, const char *what,
                Fn &&) {
  return cpu::dtypeError(name, what, dtype);
}
template <typename T, typename... Ts, typename Fn>
Status dispatch(TypeList<T, Ts...>, DType dtype, const char *name,
                const char *what, Fn &&fn) {
  if (dtype == cpu::dtypeOf<T>())
    return fn(T{});
  return dispatch(TypeList<Ts...>{}, dtype, name, what, std::forward<Fn>(fn));
}

/// Returns fn(U{}) for an unsigned integer type U of the element's size,
/// for ops that only move elements.
template <typename Fn>
Status dispatchBits(DType dtype, const char *name, const char *what, Fn &&fn) {
  switch (dtypeSize(dtype)) {
  case 1:
    return fn(uint8_t{});
  case 2:
    return fn(uint16_t{});
  case 4:
    return fn(uint32_t{});
  case 8:
    return fn(uint64_t{});
  }
  return cpu::dtypeError(name, what, dtype);
}

//===----------------------------------------------------------------------===//
// The map kernel
//===----------------------------------------------------------------------===//

/// Broadcasting as a thread evaluates it: the result's sizes (size-1
/// dimensions dropped, neighbours that every operand walks alike merged)
/// and each operand's stride per dimension, 0 where it is broadcast. Passed
/// by value, so that a captured graph holds its own copy.
template <int N> struct Layout {
  int rank;
  int64_t sizes[kMaxRank];
  int64_t strides[N][kMaxRank];
};

/// The offsets into each operand of result element `index`.
template <int N>
__device__ void offsetsOf(const Layout<N> &layout, int64_t index,
                          int64_t (&offsets)[N]) {
  // Loops unrolled with constant indices, so that the layout stays in the
  // parameter bank instead of being copied to local memory.
#pragma unroll
  for (int k = 0; k < N; ++k)
    offsets[k] = 0;
#pragma unroll
  for (int j = 0; j < kMaxRank; ++j) {
    int d = kMaxRank - 1 - j;
    if (d < layout.rank) {
      int64_t size = layout.sizes[d];
      int64_t coord = index % size;
      index /= size;
#pragma unroll
      for (int k = 0; k < N; ++k)
        offsets[k] += coord * layout.strides[k][d];
    }
  }
}

/// out[i] = op(operand offsets of i) for every i < count, in a grid-stride
/// loop. Contiguous: every operand is laid out as the result, so operand
/// offsets are i itself.
template <bool Contiguous, typename Op>
__global__ void __launch_bounds__(kThreads)
    mapKernel(Op op, typename Op::Result *out, int64_t count,
              Layout<Op::kArity> layout) {
  awaitPredecessors();
  int64_t step = int64_t(blockDim.x) * gridDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += step) {
    int64_t offsets[Op::kArity];
    if constexpr (Contiguous) {
#pragma unroll
      for (int k = 0; k < Op::kArity; ++k)
        offsets[k] = i;
    } else {
      offsetsOf(layout, i, offsets);
    }
    out[i] = op(offsets);
  }
}

/// The layout of `ins` broadcast to `outShape`, which checkBroadcast has
/// accepted (so no operand has more dimensions than the result).
template <int N>
Status broadcastLayout(const char *name, const std::vector<int64_t> &outShape,
                       const std::array<const TensorArg *, N> &ins,
                       Layout<N> &layout) {
  std::array<const std::vector<int64_t> *, N> shapes;
  for (int k = 0; k < N; ++k)
    shapes[k] = &ins[k]->shape;
  cpu::BroadcastLoops<N> loops = cpu::broadcastLoops<N>(outShape, shapes);
  const std::vector<int64_t> &sizes = loops.sizes;
  const std::vector<std::array<int64_t, N>> &merged = loops.strides;
  if (sizes.size() > static_cast<size_t>(kMaxRank))
    return kernelError(name, "the broadcast to " + formatShape(outShape) +
                                 " has " + std::to_string(sizes.size()) +
                                 " dimensions after merging; at most " +
                                 std::to_string(kMaxRank) +
                                 " are supported on CUDA");
  layout.rank = static_cast<int>(sizes.size());
  for (size_t d = 0; d < sizes.size(); ++d) {
    layout.sizes[d] = sizes[d];
    for (int k = 0; k < N; ++k)
      layout.strides[k][d] = merged[d][k];
  }
  return Status::ok();
}

/// Enqueues op over the result of shape `outShape` with operands `ins`.
template <typename Op>
Status launchMap(const char *name, const KernelCall &call, const Op &op,
                 void *out, const std::vector<int64_t> &outShape,
                 const std::array<const TensorArg *, Op::kArity> &ins) {
  constexpr int N = Op::kArity;
  int64_t count = elementCount(outShape);
  if (count == 0)
    return Status::ok();
  // An operand that broadcasts to the result with as many elements has
  // the result's layout (its missing or size-1 dimensions are size 1 there).
  bool contiguous = true;
  for (const TensorArg *in : ins)
    contiguous &= in->numElements() == count;
  using Result = typename Op::Result;
  Result *result = static_cast<Result *>(out);
  unsigned blocks = gridFor(count, call.context, kThreads);
  Layout<N> layout{};
  if (contiguous) {
    launch(call.context, mapKernel<true, Op>, blocks, kThreads, 0, op, result,
           count, layout);
  } else {
    if (Status s = broadcastLayout<N>(name, outShape, ins, layout); !s)
      return s;
    launch(call.context, mapKernel<false, Op>, blocks, kThreads, 0, op, result,
           count, layout);
  }
  return checkLaunch(name);
}

/// Operand gatherers: each holds its operands' pointers and applies a
/// stateless functor F to the elements at the given offsets.
template <typename F, typename R, typename A> struct Unary {
  static constexpr int kArity = 1;
  using Result = R;
  const A *a;
  __device__ R operator()(const int64_t (&at)[1]) const {
    return F()(a[at[0]]);
  }
};
template <typename F, typename R, typename A, typename B> struct Binary {
  static constexpr int kArity = 2;
  using Result = R;
  const A *a;
  const B *b;
  __device__ R operator()(const int64_t (&at)[2]) const {
    return F()(a[at[0]], b[at[1]]);
  }
};
/// Where: any element type, moved as an unsigned integer of its size.
template <typename T> struct Select {
  static constexpr int kArity = 3;
  using Result = T;
  const uint8_t *condition;
  const T *x;
  const T *y;
  __device__ T operator()(const int64_t (&at)[3]) const {
    return condition[at[0]] ? x[at[1]] : y[at[2]];
  }
};

//===----------------------------------------------------------------------===//
// Element conversions (ONNX Cast, as convertElement on the CPU)
//===----------------------------------------------------------------------===//

template <typename T>
constexpr bool isFloatLike =
    std::is_floating_point_v<T> || std::is_same_v<T, Half> ||
    std::is_same_v<T, BFloat16>;

/// Rounds to a binary float with `mantBits` stored mantissa bits and
/// `expBits` exponent bits, to nearest even, from the exact double: the
/// CPU's encodeSmallFloat step for step (every operation in it is exact).
/// The sign comes separately because the GPU's conversions may drop a
/// NaN's sign, which the CPU keeps.
template <int mantBits, int expBits>
__device__ uint16_t encodeSmallFloat(double value, bool negative) {
  constexpr int bias = (1 << (expBits - 1)) - 1;
  constexpr uint32_t expMask = (1u << expBits) - 1;
  uint32_t sign = negative ? 1u << (mantBits + expBits) : 0u;
  if (value != value)
    return static_cast<uint16_t>(sign | (expMask << mantBits) |
                                 (1u << (mantBits - 1)));
  double magnitude = fabs(value);
  // Halfway between the largest finite value and the next power of two.
  const double overflow = ldexp(2.0 - ldexp(1.0, -mantBits - 1), bias);
  if (magnitude >= overflow)
    return static_cast<uint16_t>(sign | (expMask << mantBits));
  if (magnitude < ldexp(1.0, 1 - bias)) {
    // Subnormal; rounding up to the smallest normal carries into the
    // exponent field by itself.
    double q = rint(ldexp(magnitude, bias - 1 + mantBits));
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(q));
  }
  int exponent;
  frexp(magnitude, &exponent);
  --exponent; // magnitude = 1.f * 2^exponent
  double q = rint(ldexp(magnitude, mantBits - exponent));
  // q is in [2^mantBits, 2^(mantBits+1)]; a carry bumps the exponent.
  uint32_t bits = (static_cast<uint32_t>(exponent + bias) << mantBits) +
                  (static_cast<uint32_t>(q) - (1u << mantBits));
  return static_cast<uint16_t>(sign | bits);
}

__device__ float decodeHalf(Half h) {
  uint32_t sign = (h.bits & 0x8000u) << 16;
  uint32_t exponent = (h.bits >> 10) & 0x1f;
  uint32_t mantissa = h.bits & 0x3ff;
  if (exponent == 0) {
    float magnitude = ldexpf(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  uint32_t bits = exponent == 31
                      ? sign | 0x7f800000u | (mantissa << 13)
                      : sign | ((exponent + 112) << 23) | (mantissa << 13);
  return __uint_as_float(bits);
}

__device__ float decodeBFloat16(BFloat16 b) {
  return __uint_as_float(static_cast<uint32_t>(b.bits) << 16);
}

/// A float-like element as the float or double it stands for (16-bit ones
/// as floats, exactly).
template <typename S> __device__ auto widened(S s) {
  if constexpr (std::is_same_v<S, Half>)
    return decodeHalf(s);
  else if constexpr (std::is_same_v<S, BFloat16>)
    return decodeBFloat16(s);
  else
    return s;
}

/// The sign bit of a float-like element, NaNs included.
template <typename S> __device__ bool signOf(S s) {
  if constexpr (std::is_same_v<S, Half> || std::is_same_v<S, BFloat16>)
    return (s.bits & 0x8000u) != 0;
  else if constexpr (std::is_same_v<S, float>)
    return (__float_as_uint(s) >> 31) != 0;
  else
    return __double_as_longlong(s) < 0;
}

/// A double converted to D: floats round to nearest even, integers
/// truncate and saturate (NaN gives 0), anything non-zero is true.
/// `negative` is v's sign as the source had it.
template <typename D> __device__ D fromDouble(double v, bool negative) {
  if constexpr (std::is_floating_point_v<D>) {
    return static_cast<D>(v);
  } else if constexpr (std::is_same_v<D, Half>) {
    return Half{encodeSmallFloat<10, 5>(v, negative)};
  } else if constexpr (std::is_same_v<D, BFloat16>) {
    return BFloat16{encodeSmallFloat<7, 8>(v, negative)};
  } else if constexpr (std::is_same_v<D, Bool8>) {
    return Bool8{static_cast<uint8_t>(v != 0)};
  } else {
    if (v != v)
      return D(0);
    constexpr D lo = ::cuda::std::numeric_limits<D>::min();
    constexpr D hi = ::cuda::std::numeric_limits<D>::max();
    // Out-of-range conversions are undefined.
    if (v <= static_cast<double>(lo))
      return lo;
    if (v >= static_cast<double>(hi))
      return hi;
    return static_cast<D>(v);
  }
}

/// An integer converted to D: integers wrap, floats round to nearest even.
template <typename D> __device__ D fromInteger(int64_t v) {
  if constexpr (std::is_floating_point_v<D>)
    return static_cast<D>(v);
  else if constexpr (std::is_same_v<D, Half>)
    return Half{encodeSmallFloat<10, 5>(static_cast<double>(v), v < 0)};
  else if constexpr (std::is_same_v<D, BFloat16>)
    return BFloat16{encodeSmallFloat<7, 8>(static_cast<double>(v), v < 0)};
  else if constexpr (std::is_same_v<D, Bool8>)
    return Bool8{static_cast<uint8_t>(v != 0)};
  else
    return static_cast<D>(v);
}

template <typename D, typename S> __device__ D castElement(S s) {
  if constexpr (isFloatLike<S>) {
    return fromDouble<D>(widened(s), signOf(s));
  } else {
    int64_t v;
    if constexpr (std::is_same_v<S, Bool8>)
      v = s.value != 0;
    else
      v = static_cast<int64_t>(s);
    return fromInteger<D>(v);
  }
}

//===----------------------------------------------------------------------===//
// Scalar operations
//===----------------------------------------------------------------------===//

using ArithTypes = TypeList<float, double, int64_t, int32_t, int8_t, uint8_t>;
using FloatTypes = TypeList<float, double>;
using SignedTypes = TypeList<float, double, int64_t, int32_t, int8_t>;

template <typename T> __device__ T negate(T x) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(Wrap<T>(0) - static_cast<Wrap<T>>(x));
  else
    return -x;
}

struct AddOp {
  static constexpr const char *name = "onnx.Add";
  template <typename T> __device__ T operator()(T a, T b) const {
    return static_cast<T>(static_cast<Wrap<T>>(a) + static_cast<Wrap<T>>(b));
  }
};
struct SubOp {
  static constexpr const char *name = "onnx.Sub";
  template <typename T> __device__ T operator()(T a, T b) const {
    return static_cast<T>(static_cast<Wrap<T>>(a) - static_cast<Wrap<T>>(b));
  }
};
struct MulOp {
  static constexpr const char *name = "onnx.Mul";
  template <typename T> __device__ T operator()(T a, T b) const {
    return static_cast<T>(static_cast<Wrap<T>>(a) * static_cast<Wrap<T>>(b));
  }
};
struct DivOp {
  static constexpr const char *name = "onnx.Div";
  template <typename T> __device__ T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      // Defined results where the hardware's are not: see the file header.
      if (b == T(0))
        return T(0);
      if constexpr (std::is_signed_v<T>)
        if (b == T(-1))
          return negate(a); // INT_MIN / -1 overflows.
      return static_cast<T>(a / b);
    } else {
      return a / b;
    }
  }
};

/// ONNX comparisons give bool; NaN compares false (unequal to itself).
template <typename T> __device__ auto valueOf(T x) {
  if constexpr (std::is_same_v<T, Bool8>)
    return x.value != 0;
  else
    return x;
}
struct EqualOp {
  static constexpr const char *name = "onnx.Equal";
  using Types =
      TypeList<float, double, int64_t, int32_t, int8_t, uint8_t, Bool8>;
  template <typename T> __device__ uint8_t operator()(T a, T b) const {
    return valueOf(a) == valueOf(b);
  }
};
struct LessOp {
  static constexpr const char *name = "onnx.Less";
  using Types = ArithTypes;
  template <typename T> __device__ uint8_t operator()(T a, T b) const {
    return a < b;
  }
};
struct GreaterOp {
  static constexpr const char *name = "onnx.Greater";
  using Types = ArithTypes;
  template <typename T> __device__ uint8_t operator()(T a, T b) const {
    return a > b;
  }
};
struct AndOp {
  static constexpr const char *name = "onnx.And";
  using Types = TypeList<Bool8>;
  __device__ uint8_t operator()(Bool8 a, Bool8 b) const {
    return a.value && b.value;
  }
};
struct OrOp {
  static constexpr const char *name = "onnx.Or";
  using Types = TypeList<Bool8>;
  __device__ uint8_t operator()(Bool8 a, Bool8 b) const {
    return a.value || b.value;
  }
};

/// x^y for an integer base: exact repeated squaring, wrapping around.
template <typename T> __device__ T integerPower(T base, int64_t exponent) {
  if (exponent < 0) {
    // Only 1 and -1 have integer reciprocals; the rest truncate to 0.
    if (base == 1)
      return 1;
    if constexpr (std::is_signed_v<T>)
      if (base == -1)
        return (exponent & 1) ? T(-1) : T(1);
    return 0;
  }
  Wrap<T> result = 1, factor = static_cast<Wrap<T>>(base);
  for (; exponent; exponent >>= 1) {
    if (exponent & 1)
      result = static_cast<Wrap<T>>(result * factor);
    factor = static_cast<Wrap<T>>(factor * factor);
  }
  return static_cast<T>(result);
}

struct PowOp {
  template <typename T, typename U> __device__ T operator()(T x, U y) const {
    if constexpr (std::is_same_v<T, float>)
      return powf(x, static_cast<float>(y));
    else if constexpr (std::is_same_v<T, double>)
      return pow(x, static_cast<double>(y));
    else if constexpr (std::is_integral_v<U>)
      return integerPower(x, static_cast<int64_t>(y));
    else
      // T is an integer: the sign only matters for half results.
      return fromDouble<T>(pow(static_cast<double>(x), static_cast<double>(y)),
                           false);
  }
};

// The math library's float and double overloads, by one name each.
#define INTR_DEVICE_MATH(NAME, F32, F64)                                       \
  __device__ inline float NAME(float x) { return F32(x); }                     \
  __device__ inline double NAME(double x) { return F64(x); }
INTR_DEVICE_MATH(deviceFabs, fabsf, fabs)
INTR_DEVICE_MATH(deviceExpm1, expm1f, expm1)
INTR_DEVICE_MATH(deviceLog1p, log1pf, log1p)
#define INTR_DEVICE_FUNCTION(NAME, FN) INTR_DEVICE_MATH(device##NAME, FN##f, FN)
INTR_MATH_FUNCTIONS(INTR_DEVICE_FUNCTION)
#undef INTR_DEVICE_FUNCTION
#undef INTR_DEVICE_MATH

#define INTR_FLOAT_UNARY(NAME, EXPR)                                           \
  struct NAME##Op {                                                            \
    static constexpr const char *name = "onnx." #NAME;                         \
    using Types = FloatTypes;                                                  \
    template <typename T> __device__ T operator()(T x) const { return EXPR; }  \
  };
#define INTR_MATH_OP(NAME, FN) INTR_FLOAT_UNARY(NAME, device##NAME(x))
INTR_MATH_FUNCTIONS(INTR_MATH_OP)
#undef INTR_MATH_OP
INTR_FLOAT_UNARY(Reciprocal, T(1) / x)
// exp of a positive argument only: no overflow to inf / inf for large |x|.
INTR_FLOAT_UNARY(Sigmoid, x >= 0 ? T(1) / (T(1) + deviceExp(-x))
                                 : deviceExp(x) / (T(1) + deviceExp(x)))
#undef INTR_FLOAT_UNARY

struct NegOp {
  static constexpr const char *name = "onnx.Neg";
  using Types = SignedTypes;
  template <typename T> __device__ T operator()(T x) const { return negate(x); }
};
struct AbsOp {
  static constexpr const char *name = "onnx.Abs";
  using Types = TypeList<float, double, int64_t, int32_t, int8_t, uint8_t>;
  template <typename T> __device__ T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return deviceFabs(x);
    else if constexpr (std::is_signed_v<T>)
      return x < 0 ? negate(x) : x;
    else
      return x;
  }
};
struct ReluOp {
  static constexpr const char *name = "onnx.Relu";
  using Types = SignedTypes;
  // Written so that NaN stays NaN.
  template <typename T> __device__ T operator()(T x) const {
    return x < 0 ? T(0) : x;
  }
};
struct NotOp {
  static constexpr const char *name = "onnx.Not";
  using Types = TypeList<Bool8>;
  __device__ uint8_t operator()(Bool8 x) const { return x.value == 0; }
};

struct GeluErf {
  template <typename T> __device__ T operator()(T v) const {
    const T k = static_cast<T>(0.7071067811865476); // 1 / sqrt(2)
    return T(0.5) * v * (T(1) + deviceErf(v * k));
  }
};
struct GeluTanh {
  template <typename T> __device__ T operator()(T v) const {
    const T k = static_cast<T>(0.7978845608028654); // sqrt(2 / pi)
    return T(0.5) * v * (T(1) + deviceTanh(k * (v + T(0.044715) * v * v * v)));
  }
};

template <typename D> struct CastTo {
  template <typename S> __device__ D operator()(S x) const {
    return castElement<D>(x);
  }
};

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// Add, Sub, Mul, Div: A, B and C of one element type.
template <typename Op> Status arithmeticKernel(const KernelCall &call) {
  const char *name = Op::name;
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkBinaryOfOneType(name, args, /*boolResult=*/false);
      !s)
    return s;
  const TensorArg &a = call.inputs[0], &b = call.inputs[1];
  const TensorArg &c = call.outputs[0];
  DType dtype = a.dtype;
  return dispatch(ArithTypes{}, dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    Binary<Op, T, T, T> op{a.as<const T>(), b.as<const T>()};
    return launchMap(name, call, op, c.data, c.shape, {&a, &b});
  });
}

/// Equal, Less, Greater, And, Or: A and B of one type, a bool result.
template <typename Op> Status predicateKernel(const KernelCall &call) {
  const char *name = Op::name;
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkBinaryOfOneType(name, args, /*boolResult=*/true); !s)
    return s;
  const TensorArg &a = call.inputs[0], &b = call.inputs[1];
  const TensorArg &c = call.outputs[0];
  DType dtype = a.dtype;
  return dispatch(typename Op::Types{}, dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    Binary<Op, uint8_t, T, T> op{a.as<const T>(), b.as<const T>()};
    return launchMap(name, call, op, c.data, c.shape, {&a, &b});
  });
}

/// Mod of floats (the compiler expands integer Mod), with A's sign
/// (fmod = 1) or B's: see cpu::floatMod.
template <bool kTruncated> struct ModOp {
  template <typename T> __device__ T operator()(T a, T b) const {
    return cpu::floatMod(a, b, kTruncated);
  }
};

Status modKernel(const KernelCall &call) {
  const char *name = "onnx.Mod";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkBinaryOfOneType(name, args, /*boolResult=*/false);
      !s)
    return s;
  const bool truncated = args.attrs.getInt("fmod", 0) != 0;
  const TensorArg &a = call.inputs[0], &b = call.inputs[1];
  const TensorArg &c = call.outputs[0];
  return dispatch(FloatTypes{}, a.dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    if (truncated) {
      Binary<ModOp<true>, T, T, T> op{a.as<const T>(), b.as<const T>()};
      return launchMap(name, call, op, c.data, c.shape, {&a, &b});
    }
    Binary<ModOp<false>, T, T, T> op{a.as<const T>(), b.as<const T>()};
    return launchMap(name, call, op, c.data, c.shape, {&a, &b});
  });
}

/// PRelu: x < 0 ? slope x : x, the product as Mul's.
struct PReluOp {
  template <typename T> __device__ T operator()(T x, T slope) const {
    if constexpr (std::is_unsigned_v<T>)
      return x; // never negative
    else
      return x < T(0) ? MulOp()(x, slope) : x;
  }
};

/// PRelu: X and the slope broadcast to it, of one element type.
Status preluKernel(const KernelCall &call) {
  const char *name = "onnx.PRelu";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkBinaryOfOneType(name, args, /*boolResult=*/false);
      !s)
    return s;
  const TensorArg &x = call.inputs[0], &slope = call.inputs[1];
  const TensorArg &y = call.outputs[0];
  if (Status s = cpu::expectLikeInput(name, y, x); !s)
    return s;
  return dispatch(ArithTypes{}, x.dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    Binary<PReluOp, T, T, T> op{x.as<const T>(), slope.as<const T>()};
    return launchMap(name, call, op, y.data, y.shape, {&x, &slope});
  });
}

/// Pow: the exponent may have another element type than the base.
Status powKernel(const KernelCall &call) {
  const char *name = "onnx.Pow";
  if (Status s = cpu::checkPow(call.cpuArgs()); !s)
    return s;
  const TensorArg &x = call.inputs[0], &y = call.inputs[1];
  const TensorArg &z = call.outputs[0];
  using PowTypes = TypeList<float, double, int64_t, int32_t>;
  return dispatch(PowTypes{}, x.dtype, name, "base", [&](auto xTag) {
    using T = decltype(xTag);
    return dispatch(PowTypes{}, y.dtype, name, "exponent", [&](auto yTag) {
      using U = decltype(yTag);
      Binary<PowOp, T, T, U> op{x.as<const T>(), y.as<const U>()};
      return launchMap(name, call, op, z.data, z.shape, {&x, &y});
    });
  });
}

/// A unary op whose result has the operand's element type, except for
/// Not, whose bool result is stored as bytes.
template <typename Op> Status unaryKernel(const KernelCall &call) {
  const char *name = Op::name;
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkUnary(name, args); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  return dispatch(
      typename Op::Types{}, in.dtype, name, "operand", [&](auto tag) {
        using T = decltype(tag);
        using R = std::conditional_t<std::is_same_v<T, Bool8>, uint8_t, T>;
        Unary<Op, R, T> op{in.as<const T>()};
        return launchMap(name, call, op, out.data, out.shape, {&in});
      });
}

Status geluKernel(const KernelCall &call) {
  const char *name = "onnx.Gelu";
  Expected<bool> checked = cpu::checkGelu(call.cpuArgs());
  if (!checked)
    return checked.error();
  bool useTanh = *checked;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  return dispatch(FloatTypes{}, in.dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    if (useTanh)
      return launchMap(name, call, Unary<GeluTanh, T, T>{in.as<const T>()},
                       out.data, out.shape, {&in});
    return launchMap(name, call, Unary<GeluErf, T, T>{in.as<const T>()},
                     out.data, out.shape, {&in});
  });
}

/// Clip as on the CPU: x below min takes min, then x above max takes max;
/// a NaN bound is taken; each result an element of x or a bound as stored.
/// The bounds are one element each in device memory, read by every thread
/// (from cache); null where absent.
template <typename T> struct Clip {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  const T *lo;
  const T *hi;
  __device__ T operator()(const int64_t (&at)[1]) const {
    T v = x[at[0]];
    auto w = widened(v);
    if (lo) {
      const auto bound = widened(*lo);
      if (w < bound || bound != bound) {
        v = *lo;
        w = bound;
      }
    }
    if (hi) {
      const auto bound = widened(*hi);
      if (bound < w || bound != bound)
        v = *hi;
    }
    return v;
  }
};

Status clipKernel(const KernelCall &call) {
  const char *name = "onnx.Clip";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkClip(args); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  const TensorArg *lo = cpu::optionalArg(call.inputs, 1);
  const TensorArg *hi = cpu::optionalArg(call.inputs, 2);
  using ClipTypes = TypeList<float, double, Half, BFloat16>;
  return dispatch(ClipTypes{}, in.dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    Clip<T> op{in.as<const T>(), lo ? lo->as<const T>() : nullptr,
               hi ? hi->as<const T>() : nullptr};
    return launchMap(name, call, op, out.data, out.shape, {&in});
  });
}

/// What HardSigmoid, HardSwish, Swish and LeakyRelu compute in: f64 for f64
/// elements, f32 for f32, f16 and bf16 ones, whose result rounds once, as
/// a Cast would round it (intr-lower-precision counts on it).
template <typename T>
using WideOf = std::conditional_t<std::is_same_v<T, double>, double, float>;

template <typename T, typename W> __device__ T narrowed(W y) {
  if constexpr (std::is_same_v<T, W>)
    return y;
  else
    return castElement<T>(y);
}

/// The float types of HardSigmoid, HardSwish, Swish and LeakyRelu.
using FloatAndHalfTypes = TypeList<float, double, Half, BFloat16>;

/// Launches an activation, checked, over the elements of its one operand:
/// `opOf(T())` makes its functor for the operand's element type T, one of
/// FloatAndHalfTypes.
template <typename OpOf>
Status launchActivation(const char *name, const KernelCall &call, OpOf opOf) {
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  return dispatch(
      FloatAndHalfTypes{}, in.dtype, name, "operand", [&](auto tag) {
        return launchMap(name, call, opOf(tag), out.data, out.shape, {&in});
      });
}

/// HardSigmoid or HardSwish, with the CPU's cpu::hardSigmoidOf.
template <typename T, bool kSwish> struct HardSigmoid {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  WideOf<T> alpha;
  WideOf<T> beta;
  __device__ T operator()(const int64_t (&at)[1]) const {
    const WideOf<T> v = widened(x[at[0]]);
    const WideOf<T> gate = cpu::hardSigmoidOf(v, alpha, beta);
    return narrowed<T>(kSwish ? v * gate : gate);
  }
};

template <bool kSwish> Status hardSigmoidKernel(const KernelCall &call) {
  const char *name = kSwish ? "onnx.HardSwish" : "onnx.HardSigmoid";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkUnary(name, args); !s)
    return s;
  const double alpha = kSwish ? 1.0 / 6 : args.attrs.getFloat("alpha", 0.2);
  const double beta = kSwish ? 0.5 : args.attrs.getFloat("beta", 0.5);
  return launchActivation(name, call, [&](auto tag) {
    using T = decltype(tag);
    return HardSigmoid<T, kSwish>{call.inputs[0].as<const T>(),
                                  static_cast<WideOf<T>>(alpha),
                                  static_cast<WideOf<T>>(beta)};
  });
}

/// Swish, x sigmoid(alpha x), with the Sigmoid kernel's sigmoid: with
/// alpha = 1 (the SiLU) the bits of the Sigmoid and the Mul.
template <typename T> struct Swish {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  WideOf<T> alpha;
  __device__ T operator()(const int64_t (&at)[1]) const {
    const WideOf<T> v = widened(x[at[0]]);
    return narrowed<T>(v * SigmoidOp()(alpha * v));
  }
};

/// LeakyRelu, x < 0 ? alpha x : x (a NaN stays).
template <typename T> struct LeakyRelu {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  WideOf<T> alpha;
  __device__ T operator()(const int64_t (&at)[1]) const {
    const WideOf<T> v = widened(x[at[0]]);
    return narrowed<T>(v < 0 ? alpha * v : v);
  }
};

/// Swish or LeakyRelu: one float operand and an `alpha` attribute.
template <template <typename> class Op>
Status alphaActivationKernel(const char *name, double defaultAlpha,
                             const KernelCall &call) {
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkUnary(name, args); !s)
    return s;
  const double alpha = args.attrs.getFloat("alpha", defaultAlpha);
  return launchActivation(name, call, [&](auto tag) {
    using T = decltype(tag);
    return Op<T>{call.inputs[0].as<const T>(), static_cast<WideOf<T>>(alpha)};
  });
}

Status swishKernel(const KernelCall &call) {
  return alphaActivationKernel<Swish>("onnx.Swish", 1.0, call);
}

Status leakyReluKernel(const KernelCall &call) {
  return alphaActivationKernel<LeakyRelu>("onnx.LeakyRelu", 0.01, call);
}

/// Elu, Selu and Celu: x > 0 ? scale x : negativeScale (e^(x / divisor) -
/// 1), as the CPU's exponentialLinearFloats.
template <typename T> struct ExponentialLinearOp {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  WideOf<T> scale, negativeScale, divisor;
  __device__ T operator()(const int64_t (&at)[1]) const {
    const WideOf<T> v = widened(x[at[0]]);
    return narrowed<T>(v > 0 ? scale * v
                             : negativeScale * deviceExpm1(v / divisor));
  }
};

/// Elu (alpha), Selu (alpha, gamma) or Celu (alpha > 0), with the
/// parameters the CPU kernel takes.
Status exponentialLinearKernel(const char *name, const KernelCall &call) {
  Expected<cpu::ExponentialLinear> p =
      cpu::checkExponentialLinear(name, call.cpuArgs());
  if (!p)
    return p.error();
  return launchActivation(name, call, [&](auto tag) {
    using T = decltype(tag);
    using W = WideOf<T>;
    return ExponentialLinearOp<T>{
        call.inputs[0].as<const T>(), static_cast<W>(p->scale),
        static_cast<W>(p->negativeScale), static_cast<W>(p->divisor)};
  });
}

/// Softplus, max(x, 0) + ln(1 + e^-|x|), or Mish, x tanh(softplus(x)) from
/// u = e^-|x| (cpu::mishGateOf, as the CPU computes it): neither overflows.
template <typename T, bool kMish> struct SoftplusOrMish {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  __device__ T operator()(const int64_t (&at)[1]) const {
    using W = WideOf<T>;
    const W v = widened(x[at[0]]);
    const W u = deviceExp(-deviceFabs(v));
    if constexpr (kMish)
      return narrowed<T>(v * cpu::mishGateOf(v, u));
    else
      return narrowed<T>((v > 0 ? v : W(0)) + deviceLog1p(u));
  }
};

template <bool kMish> Status softplusOrMishKernel(const KernelCall &call) {
  const char *name = kMish ? "onnx.Mish" : "onnx.Softplus";
  if (Status s = cpu::checkUnary(name, call.cpuArgs()); !s)
    return s;
  return launchActivation(name, call, [&](auto tag) {
    using T = decltype(tag);
    return SoftplusOrMish<T, kMish>{call.inputs[0].as<const T>()};
  });
}

/// intr.channel_affine: x * a[c] + b[c] per channel c, then the ReLU
/// (NaN stays NaN); f16 and bf16 images in f32, rounded once.
template <typename T> struct ChannelAffine {
  static constexpr int kArity = 1;
  using Result = T;
  const T *x;
  const float *a, *b;
  int64_t channels, inner;
  bool relu;
  __device__ T operator()(const int64_t (&at)[1]) const {
    const int64_t c = at[0] / inner % channels;
    const float v = widened(x[at[0]]) * a[c] + b[c];
    return narrowed<T>(relu && v < 0.0f ? 0.0f : v);
  }
};

Status channelAffineKernel(const KernelCall &call) {
  const char *name = "intr.channel_affine";
  Expected<cpu::ChannelAffine> affine = cpu::checkChannelAffine(call.cpuArgs());
  if (!affine)
    return affine.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  using Types = TypeList<float, Half, BFloat16>;
  return dispatch(Types{}, in.dtype, name, "input", [&](auto tag) {
    using T = decltype(tag);
    ChannelAffine<T> op{in.as<const T>(),
                        call.inputs[1].as<const float>(),
                        call.inputs[2].as<const float>(),
                        affine->channels,
                        affine->inner,
                        affine->relu};
    return launchMap(name, call, op, out.data, out.shape, {&in});
  });
}

/// intr.fake_quantize as on the CPU and as the onnx.Div, Clip, Round, Add
/// and Mul it replaces: (round(clip(x / scale, low, high)) + 0) * scale, a
/// NaN staying NaN; rintf takes halves to even; __fadd_rn and __fmul_rn
/// round each step as the chain's Add and Mul do.
struct FakeQuantize {
  static constexpr int kArity = 1;
  using Result = float;
  const float *x;
  float scale, low, high;
  __device__ float operator()(const int64_t (&at)[1]) const {
    float v = x[at[0]] / scale;
    v = v < low ? low : v;
    v = high < v ? high : v;
    return __fmul_rn(__fadd_rn(rintf(v), 0.0f), scale);
  }
};

Status fakeQuantizeKernel(const KernelCall &call) {
  Expected<cpu::FakeQuantize> q = cpu::checkFakeQuantize(call.cpuArgs());
  if (!q)
    return q.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  FakeQuantize op{in.as<const float>(), q->scale, q->low, q->high};
  return launchMap("intr.fake_quantize", call, op, out.data, out.shape, {&in});
}

Status castKernel(const KernelCall &call) {
  const char *name = "onnx.Cast";
  Expected<DType> checked = cpu::checkCast(call.cpuArgs());
  if (!checked)
    return checked.error();
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  DType target = *checked;
  using AllTypes = TypeList<INTR_ALL_DTYPES>;
  return dispatch(AllTypes{}, in.dtype, name, "operand", [&](auto sTag) {
    using S = decltype(sTag);
    return dispatch(AllTypes{}, target, name, "target", [&](auto dTag) {
      using D = decltype(dTag);
      return launchMap(name, call, Unary<CastTo<D>, D, S>{in.as<const S>()},
                       out.data, out.shape, {&in});
    });
  });
}

Status whereKernel(const KernelCall &call) {
  const char *name = "onnx.Where";
  if (Status s = cpu::checkWhere(call.cpuArgs()); !s)
    return s;
  const TensorArg &cond = call.inputs[0], &x = call.inputs[1],
                  &y = call.inputs[2], &out = call.outputs[0];
  // Selection only moves elements: dispatch on their size.
  return dispatchBits(x.dtype, name, "operand", [&](auto tag) {
    using T = decltype(tag);
    Select<T> op{cond.as<const uint8_t>(), x.as<const T>(), y.as<const T>()};
    return launchMap(name, call, op, out.data, out.shape, {&cond, &x, &y});
  });
}

Status identityKernel(const KernelCall &call) {
  const char *name = "onnx.Identity";
  cpu::KernelArgs args = call.cpuArgs();
  if (Status s = cpu::checkUnary(name, args); !s)
    return s;
  const TensorArg &in = call.inputs[0], &out = call.outputs[0];
  if (in.data == out.data || in.sizeInBytes() == 0)
    return Status::ok();
  return check(cudaMemcpyAsync(out.data, in.data, in.sizeInBytes(),
                               cudaMemcpyDeviceToDevice, call.context.stream),
               std::string(name) + ": copying");
}

} // namespace

void registerElementwiseKernels(KernelRegistry &registry) {
  registry.add("onnx.Add", arithmeticKernel<AddOp>);
  registry.add("onnx.Sub", arithmeticKernel<SubOp>);
  registry.add("onnx.Mul", arithmeticKernel<MulOp>);
  registry.add("onnx.Div", arithmeticKernel<DivOp>);
  registry.add("onnx.Pow", powKernel);
  registry.add("onnx.Mod", modKernel);
  registry.add("onnx.Equal", predicateKernel<EqualOp>);
  registry.add("onnx.Less", predicateKernel<LessOp>);
  registry.add("onnx.Greater", predicateKernel<GreaterOp>);
  registry.add("onnx.And", predicateKernel<AndOp>);
  registry.add("onnx.Or", predicateKernel<OrOp>);
  registry.add("onnx.Not", unaryKernel<NotOp>);
  registry.add("onnx.Relu", unaryKernel<ReluOp>);
#define INTR_REGISTER_MATH(NAME, FN)                                           \
  registry.add("onnx." #NAME, unaryKernel<NAME##Op>);
  INTR_MATH_FUNCTIONS(INTR_REGISTER_MATH)
#undef INTR_REGISTER_MATH
  registry.add("onnx.Neg", unaryKernel<NegOp>);
  registry.add("onnx.Abs", unaryKernel<AbsOp>);
  registry.add("onnx.Sigmoid", unaryKernel<SigmoidOp>);
  registry.add("onnx.Reciprocal", unaryKernel<ReciprocalOp>);
  registry.add("onnx.Gelu", geluKernel);
  registry.add("onnx.Clip", clipKernel);
  registry.add("onnx.HardSigmoid", hardSigmoidKernel<false>);
  registry.add("onnx.HardSwish", hardSigmoidKernel<true>);
  registry.add("onnx.Swish", swishKernel);
  registry.add("onnx.LeakyRelu", leakyReluKernel);
  registry.add("onnx.Elu", [](const KernelCall &call) {
    return exponentialLinearKernel("onnx.Elu", call);
  });
  registry.add("onnx.Selu", [](const KernelCall &call) {
    return exponentialLinearKernel("onnx.Selu", call);
  });
  registry.add("onnx.Celu", [](const KernelCall &call) {
    return exponentialLinearKernel("onnx.Celu", call);
  });
  registry.add("onnx.Softplus", softplusOrMishKernel<false>);
  registry.add("onnx.Mish", softplusOrMishKernel<true>);
  registry.add("onnx.PRelu", preluKernel);
  registry.add("intr.channel_affine", channelAffineKernel);
  registry.add("intr.fake_quantize", fakeQuantizeKernel);
  registry.add("onnx.Cast", castKernel);
  registry.add("onnx.Where", whereKernel);
  registry.add("onnx.Identity", identityKernel);
}

} // namespace intr::cuda
