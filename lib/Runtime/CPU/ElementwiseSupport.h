//===- ElementwiseSupport.h - Shared ONNX kernel helpers --------*- C++ -*-===//
//
// What the elementwise, reduction and layout kernels share: operand checks,
// dispatch on the element type, conversions between element types (IEEE
// half and bfloat16 included) and reading small integer operands such as
// axes. Header-only; the CUDA kernels use its operand checks and element
// types too.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_ELEMENTWISESUPPORT_H
#define INTR_LIB_RUNTIME_CPU_ELEMENTWISESUPPORT_H

#include "HostDevice.h"
#include "Kernel.h"
#include "intr/Support/RoundFloat.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

/// The unary ops that are one C math function of a float, as X(ONNX name,
/// the function's double name): both backends make their kernels and
/// register them from this one list (CUDA adds the f suffix for f32).
/// Round is rint, which takes halves to even in the default rounding mode.
#define INTR_MATH_FUNCTIONS(X)                                                 \
  X(Sqrt, sqrt)                                                                \
  X(Sin, sin)                                                                  \
  X(Cos, cos)                                                                  \
  X(Tan, tan)                                                                  \
  X(Asin, asin)                                                                \
  X(Acos, acos)                                                                \
  X(Atan, atan)                                                                \
  X(Sinh, sinh)                                                                \
  X(Cosh, cosh)                                                                \
  X(Tanh, tanh)                                                                \
  X(Asinh, asinh)                                                              \
  X(Acosh, acosh)                                                              \
  X(Atanh, atanh)                                                              \
  X(Erf, erf)                                                                  \
  X(Exp, exp)                                                                  \
  X(Log, log)                                                                  \
  X(Floor, floor)                                                              \
  X(Ceil, ceil)                                                                \
  X(Round, rint)

namespace intr::cpu {

/// ONNX Mod of floats (float or double), as both backends compute it: with
/// `truncated` (fmod = 1) C's fmod, A's sign; without, numpy's mod: B's
/// sign, B added where fmod's remainder has the other sign (so -1 mod inf
/// is inf), a zero remainder signed as B. Division by zero gives NaN.
template <typename T>
INTR_HOST_DEVICE inline T floatMod(T a, T b, bool truncated) {
  T r;
  if constexpr (std::is_same_v<T, float>)
    r = fmodf(a, b);
  else
    r = fmod(a, b);
  if (truncated || r != r)
    return r;
  if (r == T(0)) {
    if constexpr (std::is_same_v<T, float>)
      return copysignf(T(0), b);
    else
      return copysign(T(0), b);
  }
  return (r < T(0)) != (b < T(0)) ? r + b : r;
}

/// HardSigmoid, max(0, min(1, alpha x + beta)), clamped as Clip does (a NaN
/// stays); HardSwish is x times it with alpha 1/6 and beta 1/2.
template <typename T>
INTR_HOST_DEVICE inline T hardSigmoidOf(T x, T alpha, T beta) {
  const T v = alpha * x + beta;
  const T low = v < T(0) ? T(0) : v;
  return T(1) < low ? T(1) : low;
}

/// Mish's tanh(ln(1 + e^x)), which is n / (n + 2) for n = e^x (e^x + 2),
/// from u = e^-|x| <= 1: (1 + 2u) / (1 + 2u + 2u^2) for x >= 0, u (u + 2) /
/// (u (u + 2) + 2) below, which neither overflow nor cancel; one division,
/// of the numerator and denominator selected first (a loop of it
/// vectorizes). NaN stays NaN.
template <typename T> INTR_HOST_DEVICE inline T mishGateOf(T x, T u) {
  const T n = u * (u + T(2));
  const T above = T(1) + T(2) * u;
  const T numerator = x >= T(0) ? above : n;
  const T denominator = x >= T(0) ? above + T(2) * u * u : n + T(2);
  return numerator / denominator;
}

/// Loops over fewer elements than this run on one thread: most ONNX steps
/// are shape arithmetic on a handful of elements.
constexpr int64_t kParallelGrain = 1 << 15;

/// piece(begin, count) over [0, count) in pieces of kParallelGrain, one
/// thread's share at a time, on up to `threads` threads.
template <typename Piece>
void inPieces(int64_t count, [[maybe_unused]] int threads, Piece piece) {
  const int64_t grain = kParallelGrain;
  int64_t pieces = (count + grain - 1) / grain;
  // Tests that include this header build without OpenMP.
#ifdef _OPENMP
#pragma omp parallel for num_threads(threads) if (pieces > 1)
#endif
  for (int64_t k = 0; k < pieces; ++k)
    piece(k * grain, std::min(grain, count - k * grain));
}

//===----------------------------------------------------------------------===//
// Operand checks
//===----------------------------------------------------------------------===//

/// Checks that the step has [minIn, maxIn] operands and [minOut, maxOut]
/// results (SIZE_MAX: no limit), that every shape is valid (non-negative
/// sizes whose non-zero product fits in int64, so that no partial product
/// overflows either) and that the first minIn operands and every result
/// have data.
inline Status checkOperands(const char *name, const KernelArgs &args,
                            size_t minIn, size_t maxIn, size_t minOut,
                            size_t maxOut) {
  if (Status s = checkArity(name, args, minIn, maxIn, minOut, maxOut); !s)
    return s;
  auto checkShape = [&](const TensorArg &t, const char *what,
                        size_t i) -> Status {
    int64_t count = 1;
    for (int64_t size : t.shape) {
      if (size < 0)
        return kernelError(name,
                           std::string(what) + " " + std::to_string(i) +
                               " has a negative size: " + formatShape(t.shape));
      if (size == 0)
        continue;
      if (count > std::numeric_limits<int64_t>::max() / size)
        return kernelError(name, std::string(what) + " " + std::to_string(i) +
                                     " is too large: " + formatShape(t.shape));
      count *= size;
    }
    return Status::ok();
  };
  for (size_t i = 0; i < args.inputs.size(); ++i) {
    const TensorArg &t = args.inputs[i];
    if (Status s = checkShape(t, "operand", i); !s)
      return s;
    if (i < minIn && !t.present() && t.numElements() != 0)
      return kernelError(name, "operand " + std::to_string(i) +
                                   " is required but missing");
  }
  for (size_t i = 0; i < args.outputs.size(); ++i) {
    const TensorArg &t = args.outputs[i];
    if (Status s = checkShape(t, "result", i); !s)
      return s;
    if (!t.present() && t.numElements() != 0)
      return kernelError(name, "result " + std::to_string(i) + " has no data");
  }
  return Status::ok();
}

inline Status dtypeError(const char *name, const char *what, DType dtype) {
  return kernelError(name, std::string("unsupported ") + what +
                               " element type " + dtypeName(dtype));
}

inline Status expectDType(const char *name, const char *what,
                          const TensorArg &t, DType dtype) {
  if (t.dtype != dtype)
    return kernelError(name, std::string(what) + " must be " +
                                 dtypeName(dtype) + ", got " +
                                 dtypeName(t.dtype));
  return Status::ok();
}

inline Status expectShape(const char *name, const char *what,
                          const TensorArg &t,
                          const std::vector<int64_t> &shape) {
  if (t.shape != shape)
    return kernelError(name, std::string(what) + " has shape " +
                                 formatShape(t.shape) + ", expected " +
                                 formatShape(shape));
  return Status::ok();
}

/// Checks a small integer operand without reading it: i64 or i32, 1-D or a
/// scalar unless `anyRank` (for kernels that read it on the device).
inline Status checkIntOperand(const char *name, const char *what,
                              const TensorArg &t, bool anyRank = false) {
  if (!anyRank && t.rank() > 1)
    return kernelError(name, std::string(what) + " must be 1-D, got shape " +
                                 formatShape(t.shape));
  if (t.numElements() > 0 && !t.present())
    return kernelError(name, std::string(what) + " has no data");
  if (t.dtype != DType::I64 && t.dtype != DType::I32)
    return kernelError(name, std::string(what) + " must be i64 or i32, got " +
                                 dtypeName(t.dtype));
  return Status::ok();
}

/// Reads a scalar or 1-D i64/i32 operand (axes, pads, starts, a shape), or
/// one of any rank (Gather's indices).
inline Status readInts(const char *name, const char *what, const TensorArg &t,
                       std::vector<int64_t> &values, bool anyRank = false) {
  values.clear();
  if (Status s = checkIntOperand(name, what, t, anyRank); !s)
    return s;
  int64_t count = t.numElements();
  if (t.dtype == DType::I64)
    values.assign(t.as<const int64_t>(), t.as<const int64_t>() + count);
  else
    values.assign(t.as<const int32_t>(), t.as<const int32_t>() + count);
  return Status::ok();
}

/// Maps a possibly negative axis into [0, rank); false when out of range.
inline bool normalizeAxis(int64_t &axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return false;
  if (axis < 0)
    axis += rank;
  return true;
}

/// Normalizes every axis, rejecting duplicates and out-of-range ones.
inline Status normalizeAxes(const char *name, std::vector<int64_t> &axes,
                            int64_t rank) {
  std::vector<bool> seen(rank, false);
  for (int64_t &axis : axes) {
    int64_t given = axis;
    if (!normalizeAxis(axis, rank))
      return kernelError(name, "axis " + std::to_string(given) +
                                   " is out of range for rank " +
                                   std::to_string(rank));
    if (seen[axis])
      return kernelError(name,
                         "axis " + std::to_string(given) + " appears twice");
    seen[axis] = true;
  }
  return Status::ok();
}

/// Row-major strides, in elements.
inline std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i)
    strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

/// Checks that the result `out` has the element type and shape of the
/// input `in`.
inline Status expectLikeInput(const char *name, const TensorArg &out,
                              const TensorArg &in) {
  if (Status s = expectDType(name, "the result", out, in.dtype); !s)
    return s;
  return expectShape(name, "the result", out, in.shape);
}

/// Checks one operand and one result of the same type and shape.
inline Status checkUnary(const char *name, const KernelArgs &args) {
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s;
  return expectLikeInput(name, args.outputs[0], args.inputs[0]);
}

/// Elu, Selu and Celu as both backends compute them: x > 0 ? scale x :
/// negativeScale (e^(x / divisor) - 1).
struct ExponentialLinear {
  double scale = 1, negativeScale = 1, divisor = 1;
};

/// Checks an Elu, Selu or Celu step (`name`: "onnx.Elu", ...) and reads
/// its parameters (alpha, gamma; ONNX's defaults, the values of the float
/// attributes). A Celu's alpha must be positive (onnx-decompose expands
/// another).
inline Expected<ExponentialLinear>
checkExponentialLinear(const char *name, const KernelArgs &args) {
  if (Status s = checkUnary(name, args); !s)
    return s.error();
  const bool selu = std::strcmp(name, "onnx.Selu") == 0;
  const double alpha =
      args.attrs.getFloat("alpha", selu ? 1.67326319217681884765625 : 1.0);
  ExponentialLinear p;
  p.scale = selu ? args.attrs.getFloat("gamma", 1.05070102214813232421875) : 1;
  p.negativeScale = p.scale * alpha;
  p.divisor = std::strcmp(name, "onnx.Celu") == 0 ? alpha : 1;
  if (!(p.divisor > 0))
    return Error(std::string(name) + ": alpha must be positive, got " +
                 std::to_string(alpha));
  return p;
}

/// Checks Clip: an input, optional bounds `min` and `max` of one element
/// each (none where absent), a result like the input.
inline Status checkClip(const KernelArgs &args) {
  const char *name = "onnx.Clip";
  if (Status s = checkOperands(name, args, 1, 3, 1, 1); !s)
    return s;
  const TensorArg &in = args.inputs[0];
  if (Status s = expectLikeInput(name, args.outputs[0], in); !s)
    return s;
  for (size_t i = 1; i < args.inputs.size(); ++i) {
    const TensorArg *bound = optionalArg(args.inputs, i);
    if (!bound)
      continue;
    const char *what = i == 1 ? "min" : "max";
    if (bound->numElements() != 1)
      return kernelError(name, std::string(what) +
                                   " must have one element, got shape " +
                                   formatShape(bound->shape));
    if (Status s = expectDType(name, what, *bound, in.dtype); !s)
      return s;
  }
  return Status::ok();
}

/// Checks Gelu and returns whether its approximate attribute is "tanh".
inline Expected<bool> checkGelu(const KernelArgs &args) {
  const char *name = "onnx.Gelu";
  if (Status s = checkUnary(name, args); !s)
    return s.error();
  std::string approximate = args.attrs.getString("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return kernelError(name, "unsupported approximate \"" + approximate +
                                 "\" (expected \"none\" or \"tanh\")");
  return approximate == "tanh";
}

/// intr.fake_quantize, as checked: (round(clip(x / scale, low, high)) +
/// 0) * scale.
struct FakeQuantize {
  float scale = 1, low = 0, high = 0;
};

/// Checks intr.fake_quantize: an f32 input, a result like it, a float
/// `scale`, and integers `low` <= `high` of magnitude at most 2^24 (as the
/// compiler's FakeQuantizeOp::kLargestBound: exact in f32).
inline Expected<FakeQuantize> checkFakeQuantize(const KernelArgs &args) {
  const char *name = "intr.fake_quantize";
  if (Status s = checkUnary(name, args); !s)
    return s.error();
  if (args.inputs[0].dtype != DType::F32)
    return dtypeError(name, "input", args.inputs[0].dtype).error();
  const AttrValue *scale = args.attrs.find("scale");
  const AttrValue *low = args.attrs.find("low");
  const AttrValue *high = args.attrs.find("high");
  if (!scale || scale->floats.size() != 1)
    return kernelError(name, "needs one float scale attribute");
  if (!low || !high || low->ints.size() != 1 || high->ints.size() != 1)
    return kernelError(name, "needs one integer low and one integer high "
                             "attribute");
  constexpr int64_t kLargest = int64_t(1) << 24;
  const int64_t lo = low->ints[0], hi = high->ints[0];
  if (lo > hi || lo < -kLargest || hi > kLargest)
    return kernelError(name, "low and high must be integers with low <= "
                             "high of magnitude at most 2^24, got " +
                                 std::to_string(lo) + " and " +
                                 std::to_string(hi));
  FakeQuantize q;
  q.scale = static_cast<float>(scale->floats[0]);
  q.low = static_cast<float>(lo);
  q.high = static_cast<float>(hi);
  return q;
}

/// intr.channel_affine, as checked: `channels` scale and shift values, a
/// channel's run of `inner` elements (NCHW: a plane; NHWC: 1) and whether
/// a ReLU follows.
struct ChannelAffine {
  int64_t channels = 0, inner = 0;
  bool channelsLast = false, relu = false;
};

/// Checks intr.channel_affine: an f32, f16 or bf16 image [N, C, H, W] (or
/// [N, H, W, C] with channels_last), f32 scale and shift [C], a result
/// like the input, activation "none" or "relu".
inline Expected<ChannelAffine> checkChannelAffine(const KernelArgs &args) {
  const char *name = "intr.channel_affine";
  if (Status s = checkOperands(name, args, 3, 3, 1, 1); !s)
    return s.error();
  const TensorArg &in = args.inputs[0];
  if (Status s = expectLikeInput(name, args.outputs[0], in); !s)
    return s.error();
  if (in.dtype != DType::F32 && in.dtype != DType::F16 &&
      in.dtype != DType::BF16)
    return dtypeError(name, "input", in.dtype).error();
  if (in.rank() != 4)
    return kernelError(name, "input must be an image of rank 4, got shape " +
                                 formatShape(in.shape));
  ChannelAffine affine;
  affine.channelsLast = args.attrs.getInt("channels_last", 0) != 0;
  affine.channels = in.shape[affine.channelsLast ? 3 : 1];
  affine.inner = affine.channelsLast ? 1 : in.shape[2] * in.shape[3];
  for (size_t i : {1, 2}) {
    const char *what = i == 1 ? "scale" : "shift";
    if (Status s = expectDType(name, what, args.inputs[i], DType::F32); !s)
      return s.error();
    if (Status s = expectShape(name, what, args.inputs[i], {affine.channels});
        !s)
      return s.error();
  }
  std::string activation = args.attrs.getString("activation", "none");
  if (activation != "none" && activation != "relu")
    return kernelError(name, "unsupported activation \"" + activation + "\"");
  affine.relu = activation == "relu";
  return affine;
}

/// ONNX TensorProto.DataType numbers of the element types we have.
inline bool dtypeFromOnnx(int64_t code, DType &dtype) {
  static constexpr std::pair<int64_t, DType> kCodes[] = {
      {1, DType::F32},  {10, DType::F16}, {16, DType::BF16},
      {11, DType::F64}, {7, DType::I64},  {6, DType::I32},
      {3, DType::I8},   {2, DType::U8},   {9, DType::Bool}};
  for (auto [onnx, ours] : kCodes)
    if (onnx == code) {
      dtype = ours;
      return true;
    }
  return false;
}

/// Checks Cast and returns the element type of its `to` attribute.
inline Expected<DType> checkCast(const KernelArgs &args) {
  const char *name = "onnx.Cast";
  if (Status s = checkOperands(name, args, 1, 1, 1, 1); !s)
    return s.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  if (Status s = expectShape(name, "the result", out, in.shape); !s)
    return s.error();
  int64_t to = args.attrs.getInt("to", -1);
  DType target;
  if (!dtypeFromOnnx(to, target))
    return kernelError(name,
                       "unsupported target type to = " + std::to_string(to));
  if (Status s = expectDType(name, "the result", out, target); !s)
    return s.error();
  return target;
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// Storage of the element types that have no C++ arithmetic type; Bool gets
/// its own type so that dispatch tells it apart from U8.
struct Half {
  uint16_t bits;
};
struct BFloat16 {
  uint16_t bits;
};
struct Bool8 {
  uint8_t value;
};

template <typename T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<float>() { return DType::F32; }
template <> constexpr DType dtypeOf<double>() { return DType::F64; }
template <> constexpr DType dtypeOf<Half>() { return DType::F16; }
template <> constexpr DType dtypeOf<BFloat16>() { return DType::BF16; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::I64; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::I32; }
template <> constexpr DType dtypeOf<int8_t>() { return DType::I8; }
template <> constexpr DType dtypeOf<uint8_t>() { return DType::U8; }
template <> constexpr DType dtypeOf<Bool8>() { return DType::Bool; }

/// Calls fn(T{}) for the one T of Ts whose dtype is `dtype`; false if none.
template <typename... Ts, typename Fn> bool visitTypes(DType dtype, Fn &&fn) {
  return ((dtype == dtypeOf<Ts>() ? (fn(Ts{}), true) : false) || ...);
}

/// A list of element types, as kernels declare the ones they support.
template <typename... Ts> struct TypeList {};
template <typename... Ts, typename Fn>
bool visitTypes(TypeList<Ts...>, DType dtype, Fn &&fn) {
  return visitTypes<Ts...>(dtype, std::forward<Fn>(fn));
}

/// Calls fn with an unsigned integer type of the element's size, for kernels
/// that only move elements.
template <typename Fn> bool visitElementBits(DType dtype, Fn &&fn) {
  switch (dtypeSize(dtype)) {
  case 1:
    fn(uint8_t{});
    return true;
  case 2:
    fn(uint16_t{});
    return true;
  case 4:
    fn(uint32_t{});
    return true;
  case 8:
    fn(uint64_t{});
    return true;
  }
  return false;
}

/// Rounds to a binary float with `mantBits` stored mantissa bits and
/// `expBits` exponent bits (half: 10, 5; bfloat16: 7, 8), to nearest even.
/// Works on the exact double, so converting from f64 rounds only once.
template <int mantBits, int expBits> uint16_t encodeSmallFloat(double value) {
  constexpr int bias = (1 << (expBits - 1)) - 1;
  constexpr uint32_t expMask = (1u << expBits) - 1;
  uint32_t sign = std::signbit(value) ? 1u << (mantBits + expBits) : 0u;
  if (std::isnan(value))
    return static_cast<uint16_t>(sign | (expMask << mantBits) |
                                 (1u << (mantBits - 1)));
  double magnitude = std::fabs(value);
  // Halfway between the largest finite value and the next power of two.
  const double overflow =
      std::ldexp(2.0 - std::ldexp(1.0, -mantBits - 1), bias);
  if (magnitude >= overflow)
    return static_cast<uint16_t>(sign | (expMask << mantBits));
  if (magnitude < std::ldexp(1.0, 1 - bias)) {
    // Subnormal; rounding up to the smallest normal carries into the
    // exponent field by itself.
    double q = std::nearbyint(std::ldexp(magnitude, bias - 1 + mantBits));
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(q));
  }
  int exponent;
  std::frexp(magnitude, &exponent);
  --exponent; // magnitude = 1.f * 2^exponent
  double q = std::nearbyint(std::ldexp(magnitude, mantBits - exponent));
  // q is in [2^mantBits, 2^(mantBits+1)]; a carry bumps the exponent.
  uint32_t bits = (static_cast<uint32_t>(exponent + bias) << mantBits) +
                  (static_cast<uint32_t>(q) - (1u << mantBits));
  return static_cast<uint16_t>(sign | bits);
}

inline Half halfFromDouble(double value) {
  return Half{encodeSmallFloat<10, 5>(value)};
}

inline float halfToFloat(Half h) { return widenHalfBits(h.bits); }

inline BFloat16 bfloat16FromDouble(double value) {
  return BFloat16{encodeSmallFloat<7, 8>(value)};
}

/// halfFromDouble(value) for a float, on its bits alone (the CPU's 16-bit
/// steps round every result through it).
inline Half halfFromFloat(float value) { return Half{roundToHalfBits(value)}; }

/// bfloat16FromDouble(value) for a float, on its bits alone.
inline BFloat16 bfloat16FromFloat(float value) {
  return BFloat16{roundToBFloat16Bits(value)};
}

inline float bfloat16ToFloat(BFloat16 b) { return widenBFloat16Bits(b.bits); }

/// A float-like element as the float or double it stands for (16-bit ones
/// as floats, exactly).
template <typename T> auto floatValueOf(T x) {
  if constexpr (std::is_same_v<T, Half>)
    return halfToFloat(x);
  else if constexpr (std::is_same_v<T, BFloat16>)
    return bfloat16ToFloat(x);
  else
    return x;
}

template <typename T>
constexpr bool isFloatLike =
    std::is_floating_point_v<T> || std::is_same_v<T, Half> ||
    std::is_same_v<T, BFloat16>;

/// The type integer arithmetic wraps in; floats compute as themselves.
template <typename T, bool = std::is_integral_v<T>> struct WrapType {
  using type = T;
};
template <typename T> struct WrapType<T, true> {
  using type = std::make_unsigned_t<T>;
};
template <typename T> using Wrap = typename WrapType<T>::type;

template <typename T> T negate(T x) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(Wrap<T>(0) - static_cast<Wrap<T>>(x));
  else
    return -x;
}

/// A float (f32 or f64) converted to the integer type D as Cast converts
/// it: NaN to 0, saturated at D's ends, otherwise truncated toward zero
/// (an out-of-range conversion is undefined behaviour in C++). The limits
/// in F: f32's nearest to int32's largest is 2^31, which saturates.
template <typename D, typename F> D floatToInteger(F v) {
  constexpr F lo = static_cast<F>(std::numeric_limits<D>::min());
  constexpr F hi = static_cast<F>(std::numeric_limits<D>::max());
  if (v != v)
    return D(0);
  if (v <= lo)
    return std::numeric_limits<D>::min();
  if (v >= hi)
    return std::numeric_limits<D>::max();
  return static_cast<D>(v);
}

/// Converts one element as ONNX Cast does: floats round to nearest even,
/// floats convert to integers by truncation (saturating, NaN to 0, where
/// ONNX leaves it undefined), integers wrap, anything non-zero is true.
template <typename D, typename S> D convertElement(S s) {
  // The same roundings from a float, on its bits (the 16-bit plans' casts).
  if constexpr (std::is_same_v<S, float> && std::is_same_v<D, Half>)
    return halfFromFloat(s);
  else if constexpr (std::is_same_v<S, float> && std::is_same_v<D, BFloat16>)
    return bfloat16FromFloat(s);
  else if constexpr (isFloatLike<S>) {
    double v = floatValueOf(s);
    if constexpr (std::is_floating_point_v<D>) {
      return static_cast<D>(v);
    } else if constexpr (std::is_same_v<D, Half>) {
      return halfFromDouble(v);
    } else if constexpr (std::is_same_v<D, BFloat16>) {
      return bfloat16FromDouble(v);
    } else if constexpr (std::is_same_v<D, Bool8>) {
      return Bool8{static_cast<uint8_t>(v != 0)};
    } else {
      return floatToInteger<D>(v);
    }
  } else {
    int64_t v;
    if constexpr (std::is_same_v<S, Bool8>)
      v = s.value != 0;
    else
      v = static_cast<int64_t>(s);
    if constexpr (std::is_floating_point_v<D>)
      return static_cast<D>(v);
    else if constexpr (std::is_same_v<D, Half>)
      return halfFromDouble(static_cast<double>(v));
    else if constexpr (std::is_same_v<D, BFloat16>)
      return bfloat16FromDouble(static_cast<double>(v));
    else if constexpr (std::is_same_v<D, Bool8>)
      return Bool8{static_cast<uint8_t>(v != 0)};
    else
      return static_cast<D>(v);
  }
}

/// Every element type, for visitTypes.
#define INTR_ALL_DTYPES                                                        \
  float, double, Half, BFloat16, int64_t, int32_t, int8_t, uint8_t, Bool8

/// Writes `value` (given as a double or, exactly, as an int64) converted to
/// `dtype` at `out`; false for an unknown dtype.
inline bool storeScalar(DType dtype, void *out, double asFloat, int64_t asInt,
                        bool isInt) {
  return visitTypes<INTR_ALL_DTYPES>(dtype, [&](auto tag) {
    using T = decltype(tag);
    T v = isInt ? convertElement<T>(asInt) : convertElement<T>(asFloat);
    std::memcpy(out, &v, sizeof(T));
  });
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_ELEMENTWISESUPPORT_H
