//===- ElementwiseKernels.cpp - Elementwise ONNX ops on the CPU -----------===//
//
// Arithmetic, comparison and logic with numpy broadcasting, unary math,
// Clip, HardSigmoid, HardSwish, Swish, LeakyRelu, PRelu, Elu, Selu, Celu,
// Softplus and Mish, Cast, Where and Identity, and
// intr.channel_affine (a per-channel scale and shift) and
// intr.fake_quantize (a quantization round trip). Binary
// and ternary ops share the broadcasting iterator of Broadcast.h; unary ops
// share one parallel map. Integer arithmetic wraps around (computed in the
// unsigned type, where C++ defines overflow) and integer division by zero is
// an error, not a crash.
//
//===----------------------------------------------------------------------===//

#include "Broadcast.h"
#include "ElementwiseSupport.h"
#include "FastMath.h"
#include "Kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace intr::cpu {
namespace {

//===----------------------------------------------------------------------===//
// Scalar operations
//===----------------------------------------------------------------------===//

/// Element types of the arithmetic ops.
using ArithTypes = TypeList<float, double, int64_t, int32_t, int8_t, uint8_t>;
using FloatTypes = TypeList<float, double>;
using SignedTypes = TypeList<float, double, int64_t, int32_t, int8_t>;

struct AddOp {
  static constexpr const char *name = "onnx.Add";
  template <typename T> static T apply(T a, T b) {
    return static_cast<T>(static_cast<Wrap<T>>(a) + static_cast<Wrap<T>>(b));
  }
};
struct SubOp {
  static constexpr const char *name = "onnx.Sub";
  template <typename T> static T apply(T a, T b) {
    return static_cast<T>(static_cast<Wrap<T>>(a) - static_cast<Wrap<T>>(b));
  }
};
struct MulOp {
  static constexpr const char *name = "onnx.Mul";
  template <typename T> static T apply(T a, T b) {
    return static_cast<T>(static_cast<Wrap<T>>(a) * static_cast<Wrap<T>>(b));
  }
};
struct DivOp {
  static constexpr const char *name = "onnx.Div";
  // The kernel has rejected integer division by zero before it runs.
  template <typename T> static T apply(T a, T b) {
    if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
      if (b == T(-1))
        return negate(a); // INT_MIN / -1 overflows (and traps on x86).
    return a / b;
  }
};

/// ONNX comparisons give bool; NaN compares false (unequal to itself).
template <typename T> auto valueOf(T x) {
  if constexpr (std::is_same_v<T, Bool8>)
    return x.value != 0;
  else
    return x;
}
struct EqualOp {
  static constexpr const char *name = "onnx.Equal";
  using Types =
      TypeList<float, double, int64_t, int32_t, int8_t, uint8_t, Bool8>;
  template <typename T> static Bool8 apply(T a, T b) {
    return Bool8{valueOf(a) == valueOf(b)};
  }
};
struct LessOp {
  static constexpr const char *name = "onnx.Less";
  using Types = ArithTypes;
  template <typename T> static Bool8 apply(T a, T b) { return Bool8{a < b}; }
};
struct GreaterOp {
  static constexpr const char *name = "onnx.Greater";
  using Types = ArithTypes;
  template <typename T> static Bool8 apply(T a, T b) { return Bool8{a > b}; }
};
struct AndOp {
  static constexpr const char *name = "onnx.And";
  using Types = TypeList<Bool8>;
  template <typename T> static Bool8 apply(T a, T b) {
    return Bool8{a.value && b.value};
  }
};
struct OrOp {
  static constexpr const char *name = "onnx.Or";
  using Types = TypeList<Bool8>;
  template <typename T> static Bool8 apply(T a, T b) {
    return Bool8{a.value || b.value};
  }
};

//===----------------------------------------------------------------------===//
// Binary kernels
//===----------------------------------------------------------------------===//

/// C = op(A, B) over the broadcast of A and B; A is T, B is U, C is R.
template <typename T, typename U, typename R, typename Fn>
void mapBinary(const KernelArgs &args, Fn op) {
  const TensorArg &a = args.inputs[0], &b = args.inputs[1];
  const TensorArg &c = args.outputs[0];
  const T *pa = a.as<const T>();
  const U *pb = b.as<const U>();
  R *pc = c.as<R>();
  forEachBroadcastRun<2>(c.shape, {&a.shape, &b.shape}, args.threads,
                         [&](int64_t out, const std::array<int64_t, 2> &in,
                             int64_t count,
                             const std::array<int64_t, 2> &step) {
                           const T *x = pa + in[0];
                           const U *y = pb + in[1];
                           R *z = pc + out;
                           // Loops without strides, so that the compiler
                           // vectorizes them.
                           if (step[0] && step[1]) {
                             for (int64_t i = 0; i < count; ++i)
                               z[i] = op(x[i], y[i]);
                           } else if (step[0]) {
                             U yv = *y;
                             for (int64_t i = 0; i < count; ++i)
                               z[i] = op(x[i], yv);
                           } else if (step[1]) {
                             T xv = *x;
                             for (int64_t i = 0; i < count; ++i)
                               z[i] = op(xv, y[i]);
                           } else {
                             R value = op(*x, *y);
                             for (int64_t i = 0; i < count; ++i)
                               z[i] = value;
                           }
                         });
}

/// Add, Sub, Mul, Div: A, B and C of one element type.
template <typename Op> Status arithmeticKernel(const KernelArgs &args) {
  const char *name = Op::name;
  if (Status s = checkBinaryOfOneType(name, args, /*boolResult=*/false); !s)
    return s;
  DType dtype = args.inputs[0].dtype;
  Status status;
  bool known = visitTypes(ArithTypes{}, dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<Op, DivOp> && std::is_integral_v<T>) {
      // Every element of B meets some element of A (unless the result is
      // empty), so a zero anywhere in B is a division by zero.
      const TensorArg &b = args.inputs[1];
      if (args.outputs[0].numElements() != 0)
        for (int64_t i = 0, e = b.numElements(); i < e; ++i)
          if (b.as<const T>()[i] == 0) {
            status = kernelError(name, "integer division by zero");
            return;
          }
    }
    mapBinary<T, T, T>(args, [](T a, T b) { return Op::apply(a, b); });
  });
  if (!known)
    return dtypeError(name, "operand", dtype);
  return status;
}

/// Mod of floats (the compiler expands integer Mod): see floatMod.
Status modKernel(const KernelArgs &args) {
  const char *name = "onnx.Mod";
  if (Status s = checkBinaryOfOneType(name, args, /*boolResult=*/false); !s)
    return s;
  const bool truncated = args.attrs.getInt("fmod", 0) != 0;
  DType dtype = args.inputs[0].dtype;
  bool known = visitTypes(FloatTypes{}, dtype, [&](auto tag) {
    using T = decltype(tag);
    mapBinary<T, T, T>(
        args, [truncated](T a, T b) { return floatMod(a, b, truncated); });
  });
  if (!known)
    return dtypeError(name, "operand", dtype);
  return Status::ok();
}

/// PRelu: x < 0 ? slope x : x, the slope broadcast to X (per channel, as a
/// rule), the product as Mul's; one pass instead of Less, Mul and Where.
Status preluKernel(const KernelArgs &args) {
  const char *name = "onnx.PRelu";
  if (Status s = checkBinaryOfOneType(name, args, /*boolResult=*/false); !s)
    return s;
  if (Status s = expectLikeInput(name, args.outputs[0], args.inputs[0]); !s)
    return s;
  DType dtype = args.inputs[0].dtype;
  bool known = visitTypes(ArithTypes{}, dtype, [&](auto tag) {
    using T = decltype(tag);
    mapBinary<T, T, T>(args, [](T x, T slope) {
      if constexpr (std::is_unsigned_v<T>)
        return x; // never negative
      else
        return x < T(0) ? MulOp::apply(x, slope) : x;
    });
  });
  if (!known)
    return dtypeError(name, "operand", dtype);
  return Status::ok();
}

/// Equal, Less, Greater, And, Or: A and B of one type, a bool result.
template <typename Op> Status predicateKernel(const KernelArgs &args) {
  const char *name = Op::name;
  if (Status s = checkBinaryOfOneType(name, args, /*boolResult=*/true); !s)
    return s;
  DType dtype = args.inputs[0].dtype;
  bool known = visitTypes(typename Op::Types{}, dtype, [&](auto tag) {
    using T = decltype(tag);
    mapBinary<T, T, Bool8>(args, [](T a, T b) { return Op::apply(a, b); });
  });
  if (!known)
    return dtypeError(name, "operand", dtype);
  return Status::ok();
}

/// x^y for an integer base: exact repeated squaring, wrapping around.
template <typename T> T integerPower(T base, int64_t exponent) {
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

template <typename T, typename U> T power(T x, U y) {
  if constexpr (std::is_floating_point_v<T>)
    return std::pow(x, static_cast<T>(y));
  else if constexpr (std::is_integral_v<U>)
    return integerPower(x, static_cast<int64_t>(y));
  else
    return convertElement<T>(
        std::pow(static_cast<double>(x), static_cast<double>(y)));
}

/// Pow: the exponent may have another element type than the base.
Status powKernel(const KernelArgs &args) {
  const char *name = "onnx.Pow";
  if (Status s = checkPow(args); !s)
    return s;
  DType dtype = args.inputs[0].dtype;
  using PowTypes = TypeList<float, double, int64_t, int32_t>;
  bool knownY = true;
  bool knownX = visitTypes(PowTypes{}, dtype, [&](auto xTag) {
    using T = decltype(xTag);
    knownY = visitTypes(PowTypes{}, args.inputs[1].dtype, [&](auto yTag) {
      using U = decltype(yTag);
      mapBinary<T, U, T>(args, [](T x, U y) { return power(x, y); });
    });
  });
  if (!knownX)
    return dtypeError(name, "base", dtype);
  if (!knownY)
    return dtypeError(name, "exponent", args.inputs[1].dtype);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Unary kernels
//===----------------------------------------------------------------------===//

/// out[i] = op(in[i]) on up to `threads` threads; in may alias out.
template <typename T, typename R, typename Fn>
void mapUnary(const T *in, R *out, int64_t count, [[maybe_unused]] int threads,
              Fn op) {
#pragma omp parallel for num_threads(threads) if (count >= kParallelGrain)
  for (int64_t i = 0; i < count; ++i)
    out[i] = op(in[i]);
}

template <typename Op> Status unaryKernel(const KernelArgs &args) {
  const char *name = Op::name;
  if (Status s = checkUnary(name, args); !s)
    return s;
  const TensorArg &in = args.inputs[0];
  bool known = visitTypes(typename Op::Types{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    mapUnary(in.as<const T>(), args.outputs[0].as<T>(), in.numElements(),
             args.threads, [](T x) { return Op::apply(x); });
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

#define INTR_FLOAT_UNARY(NAME, EXPR)                                           \
  struct NAME##Op {                                                            \
    static constexpr const char *name = "onnx." #NAME;                         \
    using Types = FloatTypes;                                                  \
    template <typename T> static T apply(T x) { return EXPR; }                 \
  };
#define INTR_MATH_OP(NAME, FN) INTR_FLOAT_UNARY(NAME, std::FN(x))
INTR_MATH_FUNCTIONS(INTR_MATH_OP)
#undef INTR_MATH_OP
INTR_FLOAT_UNARY(Reciprocal, T(1) / x)
// exp of a positive argument only: no overflow to inf / inf for large |x|.
INTR_FLOAT_UNARY(Sigmoid, x >= 0 ? T(1) / (T(1) + std::exp(-x))
                                 : std::exp(x) / (T(1) + std::exp(x)))
#undef INTR_FLOAT_UNARY

struct NegOp {
  static constexpr const char *name = "onnx.Neg";
  using Types = SignedTypes;
  template <typename T> static T apply(T x) { return negate(x); }
};
struct AbsOp {
  static constexpr const char *name = "onnx.Abs";
  using Types = TypeList<float, double, int64_t, int32_t, int8_t, uint8_t>;
  template <typename T> static T apply(T x) {
    if constexpr (std::is_floating_point_v<T>)
      return std::fabs(x);
    else
      return x < 0 ? negate(x) : x;
  }
};
struct ReluOp {
  static constexpr const char *name = "onnx.Relu";
  using Types = SignedTypes;
  // Written so that NaN stays NaN.
  template <typename T> static T apply(T x) { return x < 0 ? T(0) : x; }
};
struct NotOp {
  static constexpr const char *name = "onnx.Not";
  using Types = TypeList<Bool8>;
  static Bool8 apply(Bool8 x) { return Bool8{x.value == 0}; }
};

/// Round (rint: halves to even), Floor and Ceil, which vectorize where the
/// instruction set rounds (SSE4.1 on): dynamic quantization rounds every
/// activation.
INTR_VECTOR_CLONES
void roundFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = std::rint(x[i]);
}
INTR_VECTOR_CLONES
void floorFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = std::floor(x[i]);
}
INTR_VECTOR_CLONES
void ceilFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = std::ceil(x[i]);
}

/// y = erf(x), x Φ(x) (GELU), sigmoid(x) and tanh(x) over floats in plain
/// arithmetic (FastMath.h), which the clones vectorize, where std::erf,
/// std::exp and std::tanh are a call per element. In place allowed. One
/// function each, not a template: Clang takes no function templates of
/// several clones.
INTR_VECTOR_CLONES
void erfFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = erfOf(x[i]);
}

INTR_VECTOR_CLONES
void geluFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] * normalCdfOf(x[i]);
}

INTR_VECTOR_CLONES
void sigmoidFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = sigmoidOf(x[i]);
}

INTR_VECTOR_CLONES
void tanhFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = tanhOf(x[i]);
}

/// GELU's tanh form, x (1 + tanh(z)) / 2 for z = sqrt(2 / pi) (x + 0.044715
/// x^3), as x sigmoid(2 z), which it equals and which does not cancel for
/// negative x.
INTR_VECTOR_CLONES
void geluTanhFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float z = 0.7978845608f * (v + 0.044715f * v * v * v);
    y[i] = v * sigmoidOf(2.0f * z);
  }
}

/// A math op whose floats take the vectorized loop `floats`, and other
/// types the generic one: Erf and Tanh (GELU as a model may write it out,
/// x / 2 (1 + Erf(x / sqrt 2)) or with Tanh), Sigmoid (SiLU,
/// EfficientNet's activation), Round, Floor and Ceil.
template <typename Op, void (*floats)(const float *, float *, int64_t)>
Status vectorizedFloatKernel(const KernelArgs &args) {
  if (Status s = checkUnary(Op::name, args); !s)
    return s;
  const TensorArg &in = args.inputs[0];
  if (in.dtype != DType::F32 || args.outputs[0].dtype != DType::F32)
    return unaryKernel<Op>(args);
  inPieces(in.numElements(), args.threads, [&](int64_t begin, int64_t count) {
    floats(in.as<const float>() + begin, args.outputs[0].as<float>() + begin,
           count);
  });
  return Status::ok();
}

Status geluKernel(const KernelArgs &args) {
  const char *name = "onnx.Gelu";
  Expected<bool> useTanh = checkGelu(args);
  if (!useTanh)
    return useTanh.error();
  const TensorArg &in = args.inputs[0];
  bool known = visitTypes(FloatTypes{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T *x = in.as<const T>();
    T *y = args.outputs[0].as<T>();
    int64_t n = in.numElements();
    if constexpr (std::is_same_v<T, float>) {
      // Vectorized, and for negative x without cancelling.
      auto floats = *useTanh ? geluTanhFloats : geluFloats;
      inPieces(n, args.threads, [&](int64_t begin, int64_t count) {
        floats(x + begin, y + begin, count);
      });
    } else if (*useTanh) {
      const T k = static_cast<T>(0.7978845608028654); // sqrt(2 / pi)
      mapUnary(x, y, n, args.threads, [k](T v) {
        return T(0.5) * v *
               (T(1) + std::tanh(k * (v + T(0.044715) * v * v * v)));
      });
    } else {
      const T k = static_cast<T>(0.7071067811865476); // 1 / sqrt(2)
      mapUnary(x, y, n, args.threads,
               [k](T v) { return T(0.5) * v * (T(1) + std::erf(v * k)); });
    }
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

INTR_VECTOR_CLONES
void clipFloats(const float *x, float *y, int64_t n, float lo, float hi) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] < lo ? lo : x[i];
    y[i] = hi < v ? hi : v;
  }
}

/// HardSigmoid and HardSwish (hardSigmoidOf): MobileNetV3's activations,
/// one pass each instead of the Mul, Add, Clip (and Mul) they are made of.
INTR_VECTOR_CLONES
void hardSigmoidFloats(const float *x, float *y, int64_t n, float alpha,
                       float beta) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = hardSigmoidOf(x[i], alpha, beta);
}

INTR_VECTOR_CLONES
void hardSwishFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] * hardSigmoidOf(x[i], 1.0f / 6, 0.5f);
}

/// Runs `floats(from, to, count, first)` (a loop over a piece of f32
/// elements, the first of them element `first` of x) over f32 elements as
/// they are, and over f16 or bf16 ones widened in blocks, each result
/// rounded once, so that the 16-bit op gives the f32 one's result rounded
/// (intr-lower-precision counts on it).
template <typename T, typename Floats>
void throughFloats(const T *x, T *y, int64_t n, int threads, Floats floats) {
  inPieces(n, threads, [&](int64_t begin, int64_t count) {
    if constexpr (std::is_same_v<T, float>) {
      floats(x + begin, y + begin, count, begin);
    } else {
      constexpr int64_t kBlock = 1024;
      float block[kBlock];
      for (int64_t b = begin; b < begin + count; b += kBlock) {
        const int64_t m = std::min(kBlock, begin + count - b);
        for (int64_t i = 0; i < m; ++i)
          block[i] = floatValueOf(x[b + i]);
        floats(block, block, m, b);
        for (int64_t i = 0; i < m; ++i)
          if constexpr (std::is_same_v<T, Half>)
            y[b + i] = halfFromFloat(block[i]);
          else
            y[b + i] = bfloat16FromFloat(block[i]);
      }
    }
  });
}

/// An activation of f32, f64, f16 and bf16 elements: `ofDouble` maps each
/// f64 element, `floats` runs over pieces of the others (throughFloats).
template <typename OfDouble, typename Floats>
Status activationKernel(const char *name, const KernelArgs &args,
                        OfDouble ofDouble, Floats floats) {
  if (Status s = checkUnary(name, args); !s)
    return s;
  const TensorArg &in = args.inputs[0];
  using Types = TypeList<float, double, Half, BFloat16>;
  bool known = visitTypes(Types{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T *x = in.as<const T>();
    T *y = args.outputs[0].as<T>();
    if constexpr (std::is_same_v<T, double>)
      mapUnary(x, y, in.numElements(), args.threads, ofDouble);
    else
      throughFloats(x, y, in.numElements(), args.threads, floats);
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

/// HardSigmoid (its alpha and beta attributes) or HardSwish.
template <bool kSwish> Status hardSigmoidKernel(const KernelArgs &args) {
  const double alpha = kSwish ? 1.0 / 6 : args.attrs.getFloat("alpha", 0.2);
  const double beta = kSwish ? 0.5 : args.attrs.getFloat("beta", 0.5);
  const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
  return activationKernel(
      kSwish ? "onnx.HardSwish" : "onnx.HardSigmoid", args,
      [alpha, beta](double v) {
        return kSwish ? v * hardSigmoidOf(v, alpha, beta)
                      : hardSigmoidOf(v, alpha, beta);
      },
      [a, b](const float *x, float *y, int64_t n, int64_t) {
        if (kSwish)
          hardSwishFloats(x, y, n);
        else
          hardSigmoidFloats(x, y, n, a, b);
      });
}

/// LeakyRelu, x < 0 ? alpha x : x (a NaN stays), one pass instead of a
/// Less, a Mul and a Where.
INTR_VECTOR_CLONES
void leakyReluFloats(const float *x, float *y, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] < 0.0f ? alpha * x[i] : x[i];
}

Status leakyReluKernel(const KernelArgs &args) {
  const double alpha = args.attrs.getFloat("alpha", 0.01);
  const float a = static_cast<float>(alpha);
  return activationKernel(
      "onnx.LeakyRelu", args,
      [alpha](double v) { return v < 0 ? alpha * v : v; },
      [a](const float *x, float *y, int64_t n, int64_t) {
        leakyReluFloats(x, y, n, a);
      });
}

/// Swish, x sigmoid(alpha x): the SiLU of EfficientNet (alpha = 1), one
/// pass instead of the Sigmoid and the Mul, with their sigmoid, so that it
/// gives their bits.
INTR_VECTOR_CLONES
void swishFloats(const float *x, float *y, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] * sigmoidOf(alpha * x[i]);
}

Status swishKernel(const KernelArgs &args) {
  const double alpha = args.attrs.getFloat("alpha", 1.0);
  const float a = static_cast<float>(alpha);
  return activationKernel(
      "onnx.Swish", args,
      [alpha](double v) { return v * SigmoidOp::apply(alpha * v); },
      [a](const float *x, float *y, int64_t n, int64_t) {
        swishFloats(x, y, n, a);
      });
}

/// ELU, SELU and CELU: x > 0 ? scale x : negativeScale (e^(x / divisor) -
/// 1), with e^x - 1 that does not cancel near 0 (expm1OfNonPositive); one
/// pass instead of the Less, Exp, Sub, Mul and Where they expand into.
INTR_VECTOR_CLONES
void exponentialLinearFloats(const float *x, float *y, int64_t n, float scale,
                             float negativeScale, float divisor) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float negative = negativeScale * expm1OfNonPositive(v / divisor);
    y[i] = v > 0.0f ? scale * v : negative;
  }
}

/// Elu (alpha), Selu (alpha, gamma) or Celu (alpha > 0; onnx-decompose
/// expands another), `name` saying which.
Status exponentialLinearKernel(const char *name, const KernelArgs &args) {
  Expected<ExponentialLinear> p = checkExponentialLinear(name, args);
  if (!p)
    return p.error();
  const ExponentialLinear d = *p;
  const auto scale = static_cast<float>(d.scale),
             negativeScale = static_cast<float>(d.negativeScale),
             divisor = static_cast<float>(d.divisor);
  return activationKernel(
      name, args,
      [d](double v) {
        return v > 0 ? d.scale * v
                     : d.negativeScale * std::expm1(v / d.divisor);
      },
      [=](const float *x, float *y, int64_t n, int64_t) {
        exponentialLinearFloats(x, y, n, scale, negativeScale, divisor);
      });
}

/// Softplus, ln(1 + e^x) (softplusOf), and Mish, x tanh(softplus(x))
/// (mishGateOf; within 4.4 ulp of double over every fifth float in [-100,
/// 100], but where the result leaves the normal floats, and -inf gives NaN,
/// -inf times 0, as the formula does): one pass each instead of the dozen
/// ops they expand into.
INTR_VECTOR_CLONES
void softplusFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = softplusOf(x[i]);
}

INTR_VECTOR_CLONES
void mishFloats(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] * mishGateOf(x[i], expOfNonPositive(-std::fabs(x[i])));
}

double softplusOfDouble(double v) {
  return (v > 0 ? v : 0.0) + std::log1p(std::exp(-std::fabs(v)));
}

Status softplusKernel(const KernelArgs &args) {
  return activationKernel("onnx.Softplus", args, softplusOfDouble,
                          [](const float *x, float *y, int64_t n, int64_t) {
                            softplusFloats(x, y, n);
                          });
}

Status mishKernel(const KernelArgs &args) {
  return activationKernel(
      "onnx.Mish", args,
      [](double v) { return v * std::tanh(softplusOfDouble(v)); },
      [](const float *x, float *y, int64_t n, int64_t) {
        mishFloats(x, y, n);
      });
}

/// intr.fake_quantize: (round(clip(x / scale, low, high)) + 0) * scale,
/// as the Div, Clip, Round (rint), Add and Mul it replaces compute it (a
/// NaN stays NaN), in one pass.
INTR_VECTOR_CLONES
void fakeQuantizeFloats(const float *x, float *y, int64_t n, float scale,
                        float low, float high) {
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i] / scale;
    v = v < low ? low : v;
    v = high < v ? high : v;
    y[i] = (std::rint(v) + 0.0f) * scale;
  }
}

Status fakeQuantizeKernel(const KernelArgs &args) {
  Expected<FakeQuantize> checked = checkFakeQuantize(args);
  if (!checked)
    return checked.error();
  const FakeQuantize q = *checked;
  throughFloats(args.inputs[0].as<const float>(), args.outputs[0].as<float>(),
                args.inputs[0].numElements(), args.threads,
                [q](const float *x, float *y, int64_t n, int64_t) {
                  fakeQuantizeFloats(x, y, n, q.scale, q.low, q.high);
                });
  return Status::ok();
}

/// intr.channel_affine's y = x * a + b over n elements of one channel,
/// then the ReLU (written so that NaN stays NaN).
INTR_VECTOR_CLONES
void affineRun(const float *x, float *y, int64_t n, float a, float b,
               bool relu) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] * a + b;
    y[i] = relu && v < 0.0f ? 0.0f : v;
  }
}

/// The same over n consecutive channels of one pixel (channels last).
INTR_VECTOR_CLONES
void affineChannels(const float *x, float *y, int64_t n, const float *a,
                    const float *b, bool relu) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] * a[i] + b[i];
    y[i] = relu && v < 0.0f ? 0.0f : v;
  }
}

/// intr.channel_affine: a batch norm folded to a scale and a shift per
/// channel, and the ReLU after it; 16-bit images through throughFloats.
Status channelAffineKernel(const KernelArgs &args) {
  const char *name = "intr.channel_affine";
  Expected<ChannelAffine> checked = checkChannelAffine(args);
  if (!checked)
    return checked.error();
  const ChannelAffine affine = *checked;
  const float *a = args.inputs[1].as<const float>();
  const float *b = args.inputs[2].as<const float>();
  // A piece of elements, cut where the channel changes.
  auto pieceOf = [&](const float *from, float *to, int64_t count,
                     int64_t first) {
    const int64_t C = affine.channels, inner = affine.inner;
    while (count > 0) {
      int64_t n;
      if (affine.channelsLast) {
        const int64_t c = first % C;
        n = std::min(count, C - c);
        affineChannels(from, to, n, a + c, b + c, affine.relu);
      } else {
        const int64_t c = first / inner % C;
        n = std::min(count, inner - first % inner);
        affineRun(from, to, n, a[c], b[c], affine.relu);
      }
      from += n, to += n, first += n, count -= n;
    }
  };
  const TensorArg &in = args.inputs[0];
  using Types = TypeList<float, Half, BFloat16>;
  bool known = visitTypes(Types{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    throughFloats(in.as<const T>(), args.outputs[0].as<T>(), in.numElements(),
                  args.threads, pieceOf);
  });
  if (!known)
    return dtypeError(name, "input", in.dtype);
  return Status::ok();
}

/// Clip as numpy's clip (and as onnx-decompose expands integer ones): x
/// below min takes min, then x above max takes max, so a NaN x stays, and
/// with min > max every element is max. A NaN bound is taken by every
/// element; an absent one is an infinity, which no x passes. Each result
/// is an element of x or a bound, as stored: a 16-bit Clip of 16-bit
/// values gives what the f32 one rounded would (rounding keeps order).
Status clipKernel(const KernelArgs &args) {
  const char *name = "onnx.Clip";
  if (Status s = checkClip(args); !s)
    return s;
  const TensorArg &in = args.inputs[0];
  const TensorArg *minArg = optionalArg(args.inputs, 1);
  const TensorArg *maxArg = optionalArg(args.inputs, 2);
  using ClipTypes = TypeList<float, double, Half, BFloat16>;
  bool known = visitTypes(ClipTypes{}, in.dtype, [&](auto tag) {
    using T = decltype(tag);
    using W = decltype(floatValueOf(T{}));
    constexpr W infinity = std::numeric_limits<W>::infinity();
    const T *lo = minArg ? minArg->as<const T>() : nullptr;
    const T *hi = maxArg ? maxArg->as<const T>() : nullptr;
    const W loValue = lo ? floatValueOf(*lo) : -infinity;
    const W hiValue = hi ? floatValueOf(*hi) : infinity;
    const T *x = in.as<const T>();
    T *y = args.outputs[0].as<T>();
    const int64_t n = in.numElements();
    if (std::isnan(loValue) || std::isnan(hiValue)) {
      std::fill(y, y + n, std::isnan(hiValue) ? *hi : *lo);
    } else if constexpr (std::is_same_v<T, float>) {
      inPieces(n, args.threads, [&](int64_t begin, int64_t count) {
        clipFloats(x + begin, y + begin, count, loValue, hiValue);
      });
    } else {
      mapUnary(x, y, n, args.threads, [&](T v) {
        W w = floatValueOf(v);
        if (w < loValue) {
          v = *lo;
          w = loValue;
        }
        return hiValue < w ? *hi : v;
      });
    }
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

/// The casts of dynamic quantization (f32 to and from uint8, int8 and
/// int32) in loops that vectorize, with convertElement's results: through
/// floatToInteger in f32 (the same comparisons as in f64, the limits being
/// f32s); integers rounded to the nearest f32. One
/// function per pair, as Clang clones no template for the instruction
/// sets (INTR_VECTOR_CLONES).
INTR_VECTOR_CLONES
void floatsToU8(const float *x, uint8_t *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = floatToInteger<uint8_t>(x[i]);
}
INTR_VECTOR_CLONES
void floatsToI8(const float *x, int8_t *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = floatToInteger<int8_t>(x[i]);
}
INTR_VECTOR_CLONES
void floatsToI32(const float *x, int32_t *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = floatToInteger<int32_t>(x[i]);
}
INTR_VECTOR_CLONES
void u8ToFloats(const uint8_t *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(x[i]);
}
INTR_VECTOR_CLONES
void i8ToFloats(const int8_t *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(x[i]);
}
INTR_VECTOR_CLONES
void i32ToFloats(const int32_t *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(x[i]);
}

/// Runs `loop` over the elements of a cast in pieces, on the threads.
template <typename S, typename D>
void castInPieces(const TensorArg &in, const TensorArg &out, int threads,
                  void (*loop)(const S *, D *, int64_t)) {
  inPieces(in.numElements(), threads, [&](int64_t begin, int64_t count) {
    loop(in.as<const S>() + begin, out.as<D>() + begin, count);
  });
}

/// Whether a vectorized loop did the cast (one of floatsToU8, ...).
bool vectorizedCast(const TensorArg &in, const TensorArg &out, int threads) {
  const DType from = in.dtype, to = out.dtype;
  if (from == DType::F32 && to == DType::U8)
    castInPieces(in, out, threads, floatsToU8);
  else if (from == DType::F32 && to == DType::I8)
    castInPieces(in, out, threads, floatsToI8);
  else if (from == DType::F32 && to == DType::I32)
    castInPieces(in, out, threads, floatsToI32);
  else if (from == DType::U8 && to == DType::F32)
    castInPieces(in, out, threads, u8ToFloats);
  else if (from == DType::I8 && to == DType::F32)
    castInPieces(in, out, threads, i8ToFloats);
  else if (from == DType::I32 && to == DType::F32)
    castInPieces(in, out, threads, i32ToFloats);
  else
    return false;
  return true;
}

Status castKernel(const KernelArgs &args) {
  const char *name = "onnx.Cast";
  Expected<DType> checked = checkCast(args);
  if (!checked)
    return checked.error();
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  DType target = *checked;
  if (vectorizedCast(in, out, args.threads))
    return Status::ok();
  bool known = visitTypes<INTR_ALL_DTYPES>(in.dtype, [&](auto sTag) {
    using S = decltype(sTag);
    visitTypes<INTR_ALL_DTYPES>(target, [&](auto dTag) {
      using D = decltype(dTag);
      mapUnary(in.as<const S>(), out.as<D>(), in.numElements(), args.threads,
               [](S x) { return convertElement<D>(x); });
    });
  });
  if (!known)
    return dtypeError(name, "operand", in.dtype);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Where and Identity
//===----------------------------------------------------------------------===//

/// out[i] = cond[i] ? x[i] : y[i] for i in [0, count), where an operand
/// whose flag is false is broadcast (its element 0 throughout): a loop
/// without strides for each combination, so that each vectorizes.
template <bool C, bool X, bool Y, typename T>
void selectRun(T *out, const uint8_t *cond, const T *x, const T *y,
               int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    out[i] = cond[C ? i : 0] ? x[X ? i : 0] : y[Y ? i : 0];
}

template <typename T>
void selectRun(T *out, const uint8_t *cond, const T *x, const T *y,
               int64_t count, const std::array<int64_t, 3> &step) {
  using Run = void (*)(T *, const uint8_t *, const T *, const T *, int64_t);
  static constexpr Run runs[8] = {
      selectRun<false, false, false, T>, selectRun<false, false, true, T>,
      selectRun<false, true, false, T>,  selectRun<false, true, true, T>,
      selectRun<true, false, false, T>,  selectRun<true, false, true, T>,
      selectRun<true, true, false, T>,   selectRun<true, true, true, T>};
  runs[(step[0] != 0) * 4 + (step[1] != 0) * 2 + (step[2] != 0)](out, cond, x,
                                                                 y, count);
}

Status whereKernel(const KernelArgs &args) {
  if (Status s = checkWhere(args); !s)
    return s;
  const TensorArg &cond = args.inputs[0], &x = args.inputs[1],
                  &y = args.inputs[2], &out = args.outputs[0];
  // Selection only moves elements: dispatch on their size.
  visitElementBits(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    const uint8_t *pc = cond.as<const uint8_t>();
    const T *px = x.as<const T>(), *py = y.as<const T>();
    T *po = out.as<T>();
    forEachBroadcastRun<3>(
        out.shape, {&cond.shape, &x.shape, &y.shape}, args.threads,
        [&](int64_t o, const std::array<int64_t, 3> &in, int64_t count,
            const std::array<int64_t, 3> &step) {
          selectRun(po + o, pc + in[0], px + in[1], py + in[2], count, step);
        });
  });
  return Status::ok();
}

Status identityKernel(const KernelArgs &args) {
  const char *name = "onnx.Identity";
  if (Status s = checkUnary(name, args); !s)
    return s;
  const TensorArg &in = args.inputs[0], &out = args.outputs[0];
  if (in.data != out.data && in.sizeInBytes() != 0)
    std::memmove(out.data, in.data, in.sizeInBytes());
  return Status::ok();
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
  // In place of the generic ones.
  registry.add("onnx.Erf", vectorizedFloatKernel<ErfOp, erfFloats>);
  registry.add("onnx.Round", vectorizedFloatKernel<RoundOp, roundFloats>);
  registry.add("onnx.Floor", vectorizedFloatKernel<FloorOp, floorFloats>);
  registry.add("onnx.Ceil", vectorizedFloatKernel<CeilOp, ceilFloats>);
  registry.add("onnx.Tanh", vectorizedFloatKernel<TanhOp, tanhFloats>);
  registry.add("onnx.Neg", unaryKernel<NegOp>);
  registry.add("onnx.Abs", unaryKernel<AbsOp>);
  registry.add("onnx.Sigmoid", vectorizedFloatKernel<SigmoidOp, sigmoidFloats>);
  registry.add("onnx.Reciprocal", unaryKernel<ReciprocalOp>);
  registry.add("onnx.Gelu", geluKernel);
  registry.add("onnx.Clip", clipKernel);
  registry.add("onnx.HardSigmoid", hardSigmoidKernel<false>);
  registry.add("onnx.HardSwish", hardSigmoidKernel<true>);
  registry.add("onnx.Swish", swishKernel);
  registry.add("onnx.Elu", [](const KernelArgs &args) {
    return exponentialLinearKernel("onnx.Elu", args);
  });
  registry.add("onnx.Selu", [](const KernelArgs &args) {
    return exponentialLinearKernel("onnx.Selu", args);
  });
  registry.add("onnx.Celu", [](const KernelArgs &args) {
    return exponentialLinearKernel("onnx.Celu", args);
  });
  registry.add("onnx.Softplus", softplusKernel);
  registry.add("onnx.Mish", mishKernel);
  registry.add("onnx.LeakyRelu", leakyReluKernel);
  registry.add("onnx.PRelu", preluKernel);
  registry.add("intr.channel_affine", channelAffineKernel);
  registry.add("intr.fake_quantize", fakeQuantizeKernel);
  registry.add("onnx.Cast", castKernel);
  registry.add("onnx.Where", whereKernel);
  registry.add("onnx.Identity", identityKernel);
}

} // namespace intr::cpu
