//===- ElementwiseKernelsTest.cpp - Elementwise kernels vs references -----===//
//
// Arithmetic, comparisons, logic, unary math, Cast, Where and Identity
// against hand-computed values from the ONNX spec and naive references with
// broadcasting; plus the errors a corrupted step must give.
//
//===----------------------------------------------------------------------===//

#include "CPU/Kernel.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <random>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::vector<float> randomFloats(size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(n);
  for (float &v : values)
    v = dist(rng);
  return values;
}

/// An ulp of the float nearest `value`: the gap from its magnitude to the
/// next float up.
float ulpOf(double value) {
  float magnitude = std::fabs(static_cast<float>(value));
  return std::nextafter(magnitude, INFINITY) - magnitude;
}

/// The flat index in `in` (broadcast to `out`) of output element `index`.
int64_t broadcastIndex(int64_t index, const std::vector<int64_t> &out,
                       const std::vector<int64_t> &in) {
  int64_t result = 0, stride = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t coord = index % out[out.size() - 1 - i];
    index /= out[out.size() - 1 - i];
    if (i < in.size()) {
      int64_t size = in[in.size() - 1 - i];
      result += (size == 1 ? 0 : coord) * stride;
      stride *= size;
    }
  }
  return result;
}


//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

TEST(ElementwiseKernels, RegistersEveryOp) {
  for (const char *op :
       {"Add",   "Sub",       "Mul",      "Div",     "Pow",         "Equal",
        "Less",  "Greater",   "And",      "Or",      "Not",         "Sqrt",
        "Relu",  "Sin",       "Cos",      "Erf",     "Exp",         "Log",
        "Neg",   "Abs",       "Tanh",     "Sigmoid", "Reciprocal",  "Gelu",
        "Cast",  "Where",     "Identity", "Clip",    "HardSigmoid", "HardSwish",
        "Swish", "LeakyRelu", "PRelu"})
    EXPECT_NE(KernelRegistry::cpu().find(std::string("onnx.") + op), nullptr)
        << op;
}

TEST(ElementwiseKernels, ArithmeticBroadcastMatchesNaive) {
  struct Case {
    std::vector<int64_t> a, b, c;
  };
  const Case cases[] = {{{2, 1, 3}, {4, 1}, {2, 4, 3}},
                        {{3}, {2, 3}, {2, 3}},
                        {{}, {2, 2}, {2, 2}},
                        {{5, 1, 4, 1}, {1, 3, 1, 2}, {5, 3, 4, 2}},
                        {{2, 3}, {2, 3}, {2, 3}},
                        {{2, 3}, {}, {2, 3}},
                        {{1, 1}, {1}, {1, 1}}};
  const char *ops[] = {"onnx.Add", "onnx.Sub", "onnx.Mul", "onnx.Div"};
  unsigned seed = 1;
  for (const Case &c : cases) {
    Tensor a =
        make(DType::F32, c.a, randomFloats(elementCount(c.a), -2, 2, seed++));
    Tensor b =
        make(DType::F32, c.b, randomFloats(elementCount(c.b), 0.5, 3, seed++));
    std::vector<float> va = read<float>(a), vb = read<float>(b);
    for (int op = 0; op < 4; ++op) {
      Tensor out(DType::F32, c.c);
      EXPECT_OK(run(ops[op], {&a, &b}, {&out}));
      std::vector<float> got = read<float>(out);
      for (int64_t i = 0; i < elementCount(c.c); ++i) {
        float x = va[broadcastIndex(i, c.c, c.a)];
        float y = vb[broadcastIndex(i, c.c, c.b)];
        float want = op == 0   ? x + y
                     : op == 1 ? x - y
                     : op == 2 ? x * y
                               : x / y;
        ASSERT_EQ(got[i], want) << ops[op] << " element " << i;
      }
    }
  }
}

TEST(ElementwiseKernels, ArithmeticOnManyThreads) {
  std::vector<int64_t> sa = {64, 1, 1024}, sb = {1, 32, 1}, sc = {64, 32, 1024};
  Tensor a = make(DType::F64, sa, std::vector<double>(elementCount(sa)));
  Tensor b = make(DType::F64, sb, std::vector<double>(elementCount(sb)));
  for (int64_t i = 0; i < a.numElements(); ++i)
    a.data<double>()[i] = i * 0.5;
  for (int64_t i = 0; i < b.numElements(); ++i)
    b.data<double>()[i] = i + 1;
  Tensor out(DType::F64, sc);
  EXPECT_OK(run("onnx.Mul", {&a, &b}, {&out}, AttrMap(), 4));
  for (int64_t i = 0; i < out.numElements(); i += 997)
    ASSERT_EQ(out.data<double>()[i],
              a.data<double>()[broadcastIndex(i, sc, sa)] *
                  b.data<double>()[broadcastIndex(i, sc, sb)]);
}

/// Tensors whose loops merge into one long row (one shape, or a scalar and
/// a tensor), or into fewer rows than threads, are cut into runs that the
/// threads share: every element still comes out right, at odd lengths.
TEST(ElementwiseKernels, LongRowsAreSharedAmongThreads) {
  struct Case {
    std::vector<int64_t> a, b, c;
  };
  const Case cases[] = {{{100003}, {100003}, {100003}},
                        {{}, {7, 14291}, {7, 14291}},
                        {{2, 70001}, {2, 1}, {2, 70001}},
                        {{3, 1, 40009}, {1, 2, 40009}, {3, 2, 40009}}};
  unsigned seed = 11;
  for (const Case &c : cases)
    for (int threads : {2, 3, 8}) {
      Tensor a =
          make(DType::F32, c.a, randomFloats(elementCount(c.a), -2, 2, seed++));
      Tensor b =
          make(DType::F32, c.b, randomFloats(elementCount(c.b), -2, 2, seed++));
      Tensor out(DType::F32, c.c);
      EXPECT_OK(run("onnx.Sub", {&a, &b}, {&out}, AttrMap(), threads));
      std::vector<float> va = read<float>(a), vb = read<float>(b),
                         got = read<float>(out);
      for (int64_t i = 0; i < elementCount(c.c); ++i)
        ASSERT_EQ(got[i], va[broadcastIndex(i, c.c, c.a)] -
                              vb[broadcastIndex(i, c.c, c.b)])
            << formatShape(c.c) << " on " << threads << " threads, element "
            << i;
    }
}

TEST(ElementwiseKernels, IntegerArithmetic) {
  // Integer Div truncates toward zero.
  Tensor a = make<int64_t>(DType::I64, {4}, {7, -7, 7, -7});
  Tensor b = make<int64_t>(DType::I64, {4}, {2, 2, -2, -2});
  Tensor q(DType::I64, {4});
  EXPECT_OK(run("onnx.Div", {&a, &b}, {&q}));
  EXPECT_EQ(read<int64_t>(q), (std::vector<int64_t>{3, -3, -3, 3}));

  // Integers wrap around, INT_MIN / -1 included.
  const int32_t lo = std::numeric_limits<int32_t>::min();
  const int32_t hi = std::numeric_limits<int32_t>::max();
  Tensor x = make<int32_t>(DType::I32, {3}, {hi, lo, 6});
  Tensor one = make<int32_t>(DType::I32, {}, {1});
  Tensor minusOne = make<int32_t>(DType::I32, {}, {-1});
  Tensor sum(DType::I32, {3}), quotient(DType::I32, {3});
  EXPECT_OK(run("onnx.Add", {&x, &one}, {&sum}));
  EXPECT_EQ(read<int32_t>(sum), (std::vector<int32_t>{lo, lo + 1, 7}));
  EXPECT_OK(run("onnx.Div", {&x, &minusOne}, {&quotient}));
  EXPECT_EQ(read<int32_t>(quotient), (std::vector<int32_t>{-hi, lo, -6}));

  Tensor zero = make<int32_t>(DType::I32, {2}, {1, 0});
  Tensor row = make<int32_t>(DType::I32, {2, 1}, {4, 5});
  Tensor out(DType::I32, {2, 2});
  EXPECT_ERROR(run("onnx.Div", {&row, &zero}, {&out}), "division by zero");
}

TEST(ElementwiseKernels, Pow) {
  Tensor base = make<float>(DType::F32, {3}, {2.0f, 4.0f, -3.0f});
  Tensor exponent = make<int64_t>(DType::I64, {3}, {3, -1, 2});
  Tensor out(DType::F32, {3});
  EXPECT_OK(run("onnx.Pow", {&base, &exponent}, {&out}));
  EXPECT_EQ(read<float>(out), (std::vector<float>{8.0f, 0.25f, 9.0f}));

  Tensor half = make<float>(DType::F32, {}, {0.5f});
  EXPECT_OK(run("onnx.Pow", {&base, &half}, {&out}));
  std::vector<float> roots = read<float>(out);
  EXPECT_FLOAT_EQ(roots[0], std::sqrt(2.0f));
  EXPECT_FLOAT_EQ(roots[1], 2.0f);
  EXPECT_TRUE(std::isnan(roots[2]));

  Tensor ib = make<int64_t>(DType::I64, {4}, {2, 3, -2, 5});
  Tensor ie = make<int32_t>(DType::I32, {4}, {10, 3, 3, -1});
  Tensor iout(DType::I64, {4});
  EXPECT_OK(run("onnx.Pow", {&ib, &ie}, {&iout}));
  EXPECT_EQ(read<int64_t>(iout), (std::vector<int64_t>{1024, 27, -8, 0}));
}

// Tests Mod of floats: numpy's mod (B's sign, a zero signed as B, -1 mod
// inf is inf) and C's fmod with fmod = 1, broadcast; division by zero is
// NaN; integers are refused (the compiler expands them).
TEST(ElementwiseKernels, ModOfFloats) {
  const float inf = std::numeric_limits<float>::infinity();
  Tensor a = make<float>(DType::F32, {2, 3}, {5.5f, -5.5f, 4, -1, 1, 3});
  Tensor b = make<float>(DType::F32, {2, 3}, {2, 2, -2, inf, -inf, 0});
  Tensor out(DType::F32, {2, 3});
  EXPECT_OK(run("onnx.Mod", {&a, &b}, {&out}));
  std::vector<float> floor = read<float>(out);
  EXPECT_EQ(std::vector<float>(floor.begin(), floor.begin() + 5),
            (std::vector<float>{1.5f, 0.5f, -0.0f, inf, -inf}));
  EXPECT_TRUE(std::signbit(floor[2])) << "a zero remainder takes B's sign";
  EXPECT_TRUE(std::isnan(floor[5]));
  AttrMap truncating;
  truncating.set("fmod", ints({1}));
  EXPECT_OK(run("onnx.Mod", {&a, &b}, {&out}, truncating));
  std::vector<float> truncated = read<float>(out);
  EXPECT_EQ(std::vector<float>(truncated.begin(), truncated.begin() + 5),
            (std::vector<float>{1.5f, -1.5f, 0, -1, 1}));
  EXPECT_TRUE(std::isnan(truncated[5]));

  Tensor d = make<double>(DType::F64, {3}, {7, -7, 7});
  Tensor three = make<double>(DType::F64, {}, {-3});
  Tensor dout(DType::F64, {3});
  EXPECT_OK(run("onnx.Mod", {&d, &three}, {&dout}));
  EXPECT_EQ(read<double>(dout), (std::vector<double>{-2, -1, -2}));

  Tensor i = make<int32_t>(DType::I32, {2}, {7, -7});
  Tensor iout(DType::I32, {2});
  EXPECT_ERROR(run("onnx.Mod", {&i, &i}, {&iout}),
               "unsupported operand element type i32");
}

TEST(ElementwiseKernels, Comparisons) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor a = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, nan, 6});
  Tensor b = make<float>(DType::F32, {3}, {1, nan, 4});
  Tensor out(DType::Bool, {2, 3});
  EXPECT_OK(run("onnx.Equal", {&a, &b}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{1, 0, 0, 0, 0, 0}));
  EXPECT_OK(run("onnx.Less", {&a, &b}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{0, 0, 1, 0, 0, 0}));
  EXPECT_OK(run("onnx.Greater", {&a, &b}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{0, 0, 0, 1, 0, 1}));

  Tensor i = make<int64_t>(DType::I64, {4}, {-1, 0, 1, 2});
  Tensor zero = make<int64_t>(DType::I64, {}, {0});
  Tensor bools(DType::Bool, {4});
  EXPECT_OK(run("onnx.Greater", {&i, &zero}, {&bools}));
  EXPECT_EQ(read<uint8_t>(bools), (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_OK(run("onnx.Equal", {&i, &zero}, {&bools}));
  EXPECT_EQ(read<uint8_t>(bools), (std::vector<uint8_t>{0, 1, 0, 0}));
}

TEST(ElementwiseKernels, Logic) {
  Tensor a = make<uint8_t>(DType::Bool, {2, 2}, {0, 0, 1, 1});
  Tensor b = make<uint8_t>(DType::Bool, {2}, {0, 1});
  Tensor out(DType::Bool, {2, 2});
  EXPECT_OK(run("onnx.And", {&a, &b}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{0, 0, 0, 1}));
  EXPECT_OK(run("onnx.Or", {&a, &b}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{0, 1, 1, 1}));
  EXPECT_OK(run("onnx.Not", {&a}, {&out}));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{1, 1, 0, 0}));
  Tensor eq(DType::Bool, {2, 2});
  EXPECT_OK(run("onnx.Equal", {&a, &b}, {&eq}));
  EXPECT_EQ(read<uint8_t>(eq), (std::vector<uint8_t>{1, 0, 0, 1}));
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

TEST(ElementwiseKernels, UnaryFloatMatchesStd) {
  struct Case {
    const char *op;
    double (*ref)(double);
    float lo, hi;
  };
  const Case cases[] = {
      {"onnx.Sqrt", [](double x) { return std::sqrt(x); }, 0, 10},
      {"onnx.Relu", [](double x) { return x < 0 ? 0.0 : x; }, -3, 3},
      {"onnx.Sin", [](double x) { return std::sin(x); }, -5, 5},
      {"onnx.Cos", [](double x) { return std::cos(x); }, -5, 5},
      {"onnx.Erf", [](double x) { return std::erf(x); }, -3, 3},
      {"onnx.Exp", [](double x) { return std::exp(x); }, -5, 5},
      {"onnx.Log", [](double x) { return std::log(x); }, 0.01f, 10},
      {"onnx.Neg", [](double x) { return -x; }, -3, 3},
      {"onnx.Abs", [](double x) { return std::fabs(x); }, -3, 3},
      {"onnx.Tanh", [](double x) { return std::tanh(x); }, -4, 4},
      {"onnx.Sigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }, -8, 8},
      {"onnx.Reciprocal", [](double x) { return 1 / x; }, 0.1f, 4},
  };
  unsigned seed = 7;
  for (const Case &c : cases) {
    std::vector<float> values = randomFloats(1000, c.lo, c.hi, seed++);
    Tensor in = make(DType::F32, {10, 100}, values);
    Tensor out(DType::F32, {10, 100});
    EXPECT_OK(run(c.op, {&in}, {&out}));
    std::vector<float> got = read<float>(out);
    for (size_t i = 0; i < values.size(); ++i)
      ASSERT_NEAR(got[i], c.ref(values[i]), 1e-6 * (1 + std::fabs(got[i])))
          << c.op << " of " << values[i];
    // F64 too.
    Tensor in64(DType::F64, {3}), out64(DType::F64, {3});
    for (int i = 0; i < 3; ++i)
      in64.data<double>()[i] = values[i];
    EXPECT_OK(run(c.op, {&in64}, {&out64}));
    for (int i = 0; i < 3; ++i)
      EXPECT_NEAR(out64.data<double>()[i], c.ref(values[i]), 1e-12) << c.op;
  }
  // Sigmoid neither overflows nor gives NaN far out.
  Tensor far = make<float>(DType::F32, {2}, {-1000.0f, 1000.0f});
  Tensor out(DType::F32, {2});
  EXPECT_OK(run("onnx.Sigmoid", {&far}, {&out}));
  EXPECT_EQ(read<float>(out), (std::vector<float>{0.0f, 1.0f}));
}

/// numpy's clip, as onnx-decompose expanded Clip before it had a kernel:
/// below min takes min, then above max takes max; NaN x stays, a NaN bound
/// is taken, and an absent bound (null) clips nothing.
double clipReference(double x, const double *lo, const double *hi) {
  if (lo && (x < *lo || std::isnan(*lo)))
    x = *lo;
  if (hi && (*hi < x || std::isnan(*hi)))
    x = *hi;
  return x;
}

/// Whether a and b are the same double, NaN equal to NaN.
bool sameValue(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         (a == b && std::signbit(a) == std::signbit(b));
}

TEST(ElementwiseKernels, ClipMatchesNumpysClip) {
  const double nan = std::nan(""), inf = INFINITY;
  // Values below, inside and above the bounds, the bounds themselves,
  // signed zeros, infinities and NaN; then enough random ones that three
  // threads take a piece each.
  std::vector<float> values = {-7, -6, -0.0f,     0,        0.5f,
                               6,  7,  -INFINITY, INFINITY, NAN};
  std::vector<float> random = randomFloats(100000, -10, 10, 31);
  values.insert(values.end(), random.begin(), random.end());
  const int64_t n = static_cast<int64_t>(values.size());
  struct Bounds {
    std::optional<double> lo, hi;
  };
  const Bounds cases[] = {{0.0, 6.0},          {std::nullopt, 6.0},
                          {0.0, std::nullopt}, {std::nullopt, std::nullopt},
                          {6.0, 0.0},          {-inf, inf},
                          {nan, 6.0},          {0.0, nan},
                          {-0.0, 0.0},         {2.5, 2.5}};
  for (const Bounds &c : cases)
    for (int threads : {1, 3}) {
      Tensor in = make(DType::F32, {n}, values), out(DType::F32, {n});
      Tensor lo = make<float>(DType::F32, {}, {float(c.lo.value_or(0))});
      // A bound may be any one-element shape.
      Tensor hi = make<float>(DType::F32, {1, 1}, {float(c.hi.value_or(0))});
      Status s =
          run("onnx.Clip", {&in, c.lo ? &lo : nullptr, c.hi ? &hi : nullptr},
              {&out}, AttrMap(), threads);
      ASSERT_TRUE(s.isOk()) << s.error().message();
      std::vector<float> got = read<float>(out);
      for (int64_t i = 0; i < n; ++i) {
        double want = clipReference(values[i], c.lo ? &*c.lo : nullptr,
                                    c.hi ? &*c.hi : nullptr);
        ASSERT_TRUE(sameValue(got[i], static_cast<float>(want)))
            << "clip(" << values[i] << ", " << c.lo.value_or(-inf) << ", "
            << c.hi.value_or(inf) << ") gave " << got[i] << ", expected "
            << want << " (" << threads << " threads)";
      }
    }

  // f64, with the maximum left out of the operands altogether, and in place.
  Tensor x64 = make<double>(DType::F64, {4}, {-2, 0.25, 1e300, nan});
  Tensor lo64 = make<double>(DType::F64, {1}, {-1});
  EXPECT_OK(run("onnx.Clip", {&x64, &lo64}, {&x64}));
  std::vector<double> got = read<double>(x64);
  EXPECT_EQ(got[0], -1);
  EXPECT_EQ(got[1], 0.25);
  EXPECT_EQ(got[2], 1e300);
  EXPECT_TRUE(std::isnan(got[3]));

  // An empty input.
  Tensor empty(DType::F32, {0, 3}), emptyOut(DType::F32, {0, 3});
  EXPECT_OK(run("onnx.Clip", {&empty}, {&emptyOut}));
}

// Tests HardSigmoid (default and given alpha and beta) and HardSwish
// against their formulas in double, within 2 ulp of the result (or 1e-7
// near 0): across the ramp, the clamped ends, the corners, signed zeros,
// infinities and NaN; f64 too, and refusals.
TEST(ElementwiseKernels, HardSigmoidAndHardSwishMatchTheirFormulas) {
  std::vector<float> values = randomFloats(100000, -8, 8, 71);
  for (float v : {-3.0f, 3.0f, -2.5f, 2.5f, 0.0f, -0.0f, INFINITY, -INFINITY,
                  NAN, 1e30f, -1e30f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  auto gate = [](double x, double alpha, double beta) {
    double v = alpha * x + beta;
    if (std::isnan(v))
      return v;
    return std::min(1.0, std::max(0.0, v));
  };
  struct Case {
    const char *op;
    double alpha, beta;
    bool swish;
    AttrMap attrs;
  };
  AttrMap given;
  given.set("alpha", real(0.5));
  given.set("beta", real(0.25));
  const Case cases[] = {{"onnx.HardSigmoid", 0.2, 0.5, false, AttrMap()},
                        {"onnx.HardSigmoid", 0.5, 0.25, false, given},
                        {"onnx.HardSwish", 1.0 / 6, 0.5, true, AttrMap()}};
  for (const Case &c : cases) {
    Tensor in = make(DType::F32, {n}, values), out(DType::F32, {n});
    EXPECT_OK(run(c.op, {&in}, {&out}, c.attrs, 3));
    std::vector<float> got = read<float>(out);
    for (int64_t i = 0; i < n; ++i) {
      double x = values[i];
      double want =
          c.swish ? x * gate(x, c.alpha, c.beta) : gate(x, c.alpha, c.beta);
      if (std::isnan(want) || std::isinf(want)) {
        ASSERT_TRUE(got[i] == want || (std::isnan(got[i]) && std::isnan(want)))
            << c.op << "(" << x << ") gave " << got[i];
        continue;
      }
      ASSERT_NEAR(got[i], want, std::max(1e-7, 2.0 * ulpOf(want)))
          << c.op << "(" << x << ")";
    }
    Tensor in64 = make<double>(DType::F64, {3}, {-4, 0.75, 9});
    Tensor out64(DType::F64, {3});
    EXPECT_OK(run(c.op, {&in64}, {&out64}, c.attrs));
    for (int i = 0; i < 3; ++i) {
      double x = in64.data<double>()[i];
      double want =
          c.swish ? x * gate(x, c.alpha, c.beta) : gate(x, c.alpha, c.beta);
      EXPECT_NEAR(out64.data<double>()[i], want, 1e-15) << c.op;
    }
  }
  Tensor i64(DType::I64, {2}), f(DType::F32, {2}), g(DType::F32, {3});
  EXPECT_ERROR(run("onnx.HardSwish", {&i64}, {&i64}), "unsupported operand");
  EXPECT_ERROR(run("onnx.HardSigmoid", {&f}, {&g}), "shape");
}

// Tests Swish: with alpha = 1 (the SiLU that raising forms from x *
// sigmoid(x)) the bits of the Sigmoid kernel and the Mul kernel, f32 over
// the range where the sigmoid saturates, signed zeros, infinities and NaN
// on 3 threads, and f64; with alpha = 2, x sigmoid(2 x) in double within
// 6 ulp (the sigmoid's 4, the products' roundings), or 1e-36 below -43.6;
// refusals.
TEST(ElementwiseKernels, SwishIsSigmoidTimesX) {
  std::vector<float> values = randomFloats(100000, -100, 100, 72);
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 87.0f, -87.0f, 89.0f, -89.0f,
                  INFINITY, -INFINITY, NAN, 3e38f, -3e38f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  Tensor x = make(DType::F32, {n}, values), silu(DType::F32, {n});
  Tensor gate(DType::F32, {n}), product(DType::F32, {n});
  EXPECT_OK(run("onnx.Swish", {&x}, {&silu}, AttrMap(), 3));
  EXPECT_OK(run("onnx.Sigmoid", {&x}, {&gate}));
  EXPECT_OK(run("onnx.Mul", {&x, &gate}, {&product}));
  for (int64_t i = 0; i < n; ++i) {
    float a = silu.data<float>()[i], b = product.data<float>()[i];
    // Which NaN a product of two gives (its sign) is the instruction's.
    ASSERT_TRUE(std::memcmp(&a, &b, 4) == 0 || (std::isnan(a) && std::isnan(b)))
        << "Swish(" << values[i] << ") gave " << a << ", x * Sigmoid(x) " << b;
  }

  AttrMap two;
  two.set("alpha", real(2.0));
  Tensor swish(DType::F32, {n});
  EXPECT_OK(run("onnx.Swish", {&x}, {&swish}, two, 3));
  std::vector<float> got = read<float>(swish);
  for (int64_t i = 0; i < n; ++i) {
    double v = values[i];
    double want = v / (1 + std::exp(-2 * v));
    if (std::isnan(v) || std::isinf(v)) {
      // -inf sigmoid(-inf) is -inf * 0: NaN, as the formula says.
      double formula = v < 0 ? NAN : v;
      ASSERT_TRUE(got[i] == formula ||
                  (std::isnan(got[i]) && std::isnan(formula)))
          << "Swish(" << v << ") gave " << got[i];
      continue;
    }
    // Where e^(2 x) leaves the normal floats the sigmoid is 0 (FastMath.h).
    ASSERT_NEAR(got[i], want, std::max(1e-36, 6.0 * ulpOf(want)))
        << "Swish(" << v << ")";
  }

  Tensor x64 = make<double>(DType::F64, {4}, {-40, -0.5, 0.25, 30});
  Tensor silu64(DType::F64, {4}), gate64(DType::F64, {4}),
      product64(DType::F64, {4});
  EXPECT_OK(run("onnx.Swish", {&x64}, {&silu64}));
  EXPECT_OK(run("onnx.Sigmoid", {&x64}, {&gate64}));
  EXPECT_OK(run("onnx.Mul", {&x64, &gate64}, {&product64}));
  EXPECT_EQ(std::memcmp(silu64.data<double>(), product64.data<double>(),
                        4 * sizeof(double)),
            0);

  Tensor i64(DType::I64, {2}), f(DType::F32, {2}), g(DType::F32, {3});
  EXPECT_ERROR(run("onnx.Swish", {&i64}, {&i64}), "unsupported operand");
  EXPECT_ERROR(run("onnx.Swish", {&f}, {&g}), "shape");
}

// Tests LeakyRelu (its default alpha and another) bit for bit against x < 0
// ? alpha x : x in f32 over 100k values, signed zeros, infinities and NaN,
// on 3 threads; f64; refusals.
TEST(ElementwiseKernels, LeakyReluScalesTheNegatives) {
  std::vector<float> values = randomFloats(100000, -50, 50, 74);
  for (float v :
       {0.0f, -0.0f, 1e-40f, -1e-40f, INFINITY, -INFINITY, NAN, -3e38f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  for (double alpha : {0.01, 0.1}) {
    AttrMap attrs;
    if (alpha != 0.01)
      attrs.set("alpha", real(alpha));
    Tensor x = make(DType::F32, {n}, values), y(DType::F32, {n});
    EXPECT_OK(run("onnx.LeakyRelu", {&x}, {&y}, attrs, 3));
    std::vector<float> got = read<float>(y);
    const float a = static_cast<float>(alpha);
    for (int64_t i = 0; i < n; ++i) {
      float want = values[i] < 0 ? a * values[i] : values[i];
      ASSERT_TRUE(std::memcmp(&got[i], &want, 4) == 0 ||
                  (std::isnan(got[i]) && std::isnan(want)))
          << "LeakyRelu(" << values[i] << ") gave " << got[i];
    }
    Tensor x64 = make<double>(DType::F64, {3}, {-4, 0.5, -1e300});
    Tensor y64(DType::F64, {3});
    EXPECT_OK(run("onnx.LeakyRelu", {&x64}, {&y64}, attrs));
    EXPECT_EQ(read<double>(y64),
              (std::vector<double>{-4 * alpha, 0.5, -1e300 * alpha}));
  }
  Tensor i64(DType::I64, {2}), f(DType::F32, {2}), g(DType::F32, {3});
  EXPECT_ERROR(run("onnx.LeakyRelu", {&i64}, {&i64}), "unsupported operand");
  EXPECT_ERROR(run("onnx.LeakyRelu", {&f}, {&g}), "shape");
}

/// Elu, Selu, Celu, Softplus and Mish in double, as ONNX defines them, with
/// e^x - 1 and ln(1 + y) taken where they do not cancel; the parameters are
/// the float attributes' values.
double activationInDouble(const std::string &op, double v, double alpha,
                          double gamma) {
  const double softplus =
      std::max(v, 0.0) + std::log1p(std::exp(-std::fabs(v)));
  if (op == "onnx.Elu")
    return v > 0 ? v : alpha * std::expm1(v);
  if (op == "onnx.Selu")
    return v > 0 ? gamma * v : gamma * alpha * std::expm1(v);
  if (op == "onnx.Celu")
    return v > 0 ? v : alpha * std::expm1(v / alpha);
  if (op == "onnx.Softplus")
    return softplus;
  return v * std::tanh(softplus); // Mish
}

// Tests Elu, Selu and Celu (default parameters and others), Softplus and
// Mish against their formulas in double over 200k values in [-100, 100]
// and [-4, 4], near 0 (where e^x - 1 cancels), signed zeros, infinities
// and NaN, on 3 threads: within 4 ulp of the result, or 1e-37 where the
// result leaves the normal floats (e^x is 0 below -87.3, FastMath.h); f64
// within 2 ulp of double; refusals (a Celu of alpha <= 0 among them).
TEST(ElementwiseKernels, ExponentialActivationsMatchTheirFormulas) {
  std::vector<float> values = randomFloats(100000, -100, 100, 76);
  std::vector<float> near = randomFloats(100000, -4, 4, 77);
  values.insert(values.end(), near.begin(), near.end());
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-6f, -1e-6f, -0.3465f,
                  -0.3466f, 20.0f, -20.0f, 87.0f, -87.0f, 3e38f, -3e38f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  struct Case {
    const char *op;
    double alpha, gamma;
    bool given;
  } cases[] = {{"onnx.Elu", 1.0, 0, false},
               {"onnx.Elu", 0.25, 0, true},
               {"onnx.Selu", 1.67326319217681884765625,
                1.05070102214813232421875, false},
               {"onnx.Selu", 2.0, 0.5, true},
               {"onnx.Celu", 1.0, 0, false},
               {"onnx.Celu", 0.5, 0, true},
               {"onnx.Softplus", 0, 0, false},
               {"onnx.Mish", 0, 0, false}};
  Tensor x = make(DType::F32, {n}, values);
  for (const Case &c : cases) {
    AttrMap attrs;
    if (c.given) {
      attrs.set("alpha", real(c.alpha));
      if (c.gamma != 0)
        attrs.set("gamma", real(c.gamma));
    }
    Tensor y(DType::F32, {n});
    EXPECT_OK(run(c.op, {&x}, {&y}, attrs, 3));
    std::vector<float> got = read<float>(y);
    const double ulps = std::strcmp(c.op, "onnx.Mish") == 0 ? 5 : 4;
    for (int64_t i = 0; i < n; ++i) {
      double want = activationInDouble(c.op, values[i], c.alpha, c.gamma);
      if (std::isnan(want)) {
        ASSERT_TRUE(std::isnan(got[i])) << c.op << "(" << values[i] << ")";
        continue;
      }
      ASSERT_NEAR(got[i], want, std::max(2e-36, ulps * ulpOf(want)))
          << c.op << " alpha " << c.alpha << " (" << values[i] << ")";
    }

    Tensor x64 = make<double>(DType::F64, {5}, {-30, -1e-9, 0.75, 2, -700});
    Tensor y64(DType::F64, {5});
    EXPECT_OK(run(c.op, {&x64}, {&y64}, attrs));
    std::vector<double> got64 = read<double>(y64);
    for (int i = 0; i < 5; ++i) {
      double v = x64.data<double>()[i];
      double want = activationInDouble(c.op, v, c.alpha, c.gamma);
      EXPECT_NEAR(got64[i], want, 2 * std::fabs(want) * DBL_EPSILON)
          << c.op << "(" << v << ") in f64";
    }
  }

  AttrMap zero, negative;
  zero.set("alpha", real(0.0));
  negative.set("alpha", real(-1.0));
  Tensor y(DType::F32, {n}), i64(DType::I64, {2}), g(DType::F32, {3});
  EXPECT_ERROR(run("onnx.Celu", {&x}, {&y}, zero), "alpha must be positive");
  EXPECT_ERROR(run("onnx.Celu", {&x}, {&y}, negative),
               "alpha must be positive");
  for (const char *op :
       {"onnx.Elu", "onnx.Selu", "onnx.Celu", "onnx.Softplus", "onnx.Mish"}) {
    EXPECT_ERROR(run(op, {&i64}, {&i64}), "unsupported operand");
    EXPECT_ERROR(run(op, {&x}, {&g}), "shape");
  }
}

// Tests that Softplus gives x itself from x = 15 on (every float in [15,
// 16], then 100k up to 1e30, and infinity): what lets raising drop the
// x > 20 ? x : softplus(x) that the dynamo exporter writes.
TEST(ElementwiseKernels, SoftplusAboveFifteenIsX) {
  std::vector<float> values;
  for (float v = 15.0f; v <= 16.0f; v = std::nextafter(v, INFINITY))
    values.push_back(v);
  std::vector<float> large = randomFloats(100000, 16, 1e6f, 78);
  values.insert(values.end(), large.begin(), large.end());
  values.push_back(1e30f);
  values.push_back(INFINITY);
  const int64_t n = static_cast<int64_t>(values.size());
  Tensor x = make(DType::F32, {n}, values), y(DType::F32, {n});
  EXPECT_OK(run("onnx.Softplus", {&x}, {&y}, AttrMap(), 3));
  std::vector<float> got = read<float>(y);
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(got[i], values[i]) << "softplus(" << values[i] << ")";
}

// Tests PRelu bit for bit against x < 0 ? slope x : x with its slope per
// channel ([C, 1, 1]), one value and of X's shape, on 1 and 3 threads,
// NaN and signed zeros included; integers wrap as Mul does, unsigned ones
// are never negative; a slope that would grow X is refused.
TEST(ElementwiseKernels, PReluScalesTheNegativesBySlope) {
  const std::vector<int64_t> shape = {2, 3, 5, 7};
  std::vector<float> values = randomFloats(210, -4, 4, 75);
  values[3] = NAN, values[4] = -0.0f, values[5] = -INFINITY;
  Tensor x = make(DType::F32, shape, values);
  const std::vector<std::vector<int64_t>> slopeShapes = {{3, 1, 1}, {}, shape};
  for (const std::vector<int64_t> &slopeShape : slopeShapes)
    for (int threads : {1, 3}) {
      int64_t count = elementCount(slopeShape);
      std::vector<float> slopes = randomFloats(count, -1, 1, 76);
      Tensor slope = make(DType::F32, slopeShape, slopes), y(DType::F32, shape);
      EXPECT_OK(run("onnx.PRelu", {&x, &slope}, {&y}, AttrMap(), threads));
      std::vector<float> got = read<float>(y);
      for (int64_t i = 0; i < 210; ++i) {
        float s = slopes[count == 1 ? 0 : count == 3 ? i / 35 % 3 : i];
        float want = values[i] < 0 ? values[i] * s : values[i];
        ASSERT_TRUE(std::memcmp(&got[i], &want, 4) == 0 ||
                    (std::isnan(got[i]) && std::isnan(want)))
            << "element " << i << ", slope " << formatShape(slopeShape);
      }
    }
  Tensor i8 = make<int8_t>(DType::I8, {4}, {-128, -3, 5, 0});
  Tensor minusOne = make<int8_t>(DType::I8, {}, {-1}), i8Out(DType::I8, {4});
  EXPECT_OK(run("onnx.PRelu", {&i8, &minusOne}, {&i8Out}));
  EXPECT_EQ(read<int8_t>(i8Out), (std::vector<int8_t>{-128, 3, 5, 0}));
  Tensor u8 = make<uint8_t>(DType::U8, {2}, {200, 0});
  Tensor two = make<uint8_t>(DType::U8, {}, {2}), u8Out(DType::U8, {2});
  EXPECT_OK(run("onnx.PRelu", {&u8, &two}, {&u8Out}));
  EXPECT_EQ(read<uint8_t>(u8Out), (std::vector<uint8_t>{200, 0}));
  Tensor small(DType::F32, {3}), wide(DType::F32, {2, 3}),
      out(DType::F32, {2, 3});
  EXPECT_ERROR(run("onnx.PRelu", {&small, &wide}, {&out}), "shape");
}

TEST(ElementwiseKernels, ClipRejectsMalformedBounds) {
  Tensor x(DType::F32, {2, 3}), y(DType::F32, {2, 3});
  Tensor two(DType::F32, {2}), f64(DType::F64, {}), i64(DType::I64, {2, 3});
  Tensor wrongShape(DType::F32, {3, 2});
  EXPECT_ERROR(run("onnx.Clip", {&x, &two}, {&y}), "min must have one element");
  EXPECT_ERROR(run("onnx.Clip", {&x, nullptr, &f64}, {&y}), "max must be f32");
  EXPECT_ERROR(run("onnx.Clip", {&x}, {&wrongShape}), "shape");
  EXPECT_ERROR(run("onnx.Clip", {&i64}, {&i64}), "unsupported operand");
  EXPECT_ERROR(run("onnx.Clip", {&x, &f64, &f64, &f64}, {&y}), "operands");
}

TEST(ElementwiseKernels, UnaryIntegers) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  Tensor in = make<int64_t>(DType::I64, {4}, {-3, 0, 5, lo});
  Tensor out(DType::I64, {4});
  EXPECT_OK(run("onnx.Neg", {&in}, {&out}));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{3, 0, -5, lo}));
  EXPECT_OK(run("onnx.Abs", {&in}, {&out}));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{3, 0, 5, lo}));
  EXPECT_OK(run("onnx.Relu", {&in}, {&out}));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{0, 0, 5, 0}));
  Tensor i32 = make<int32_t>(DType::I32, {2}, {-7, 7}), o32(DType::I32, {2});
  EXPECT_OK(run("onnx.Abs", {&i32}, {&o32}));
  EXPECT_EQ(read<int32_t>(o32), (std::vector<int32_t>{7, 7}));
}

/// The floats' erf and GELU (plain arithmetic, FastMath.h) against double:
/// erf within 3 ulp (2.55 at worst over every float in [0, 5]); GELU
/// within 2e-7 or an ulp of the result, and its CDF for negative x (where 1 +
/// erf(v) cancels, so std::erf's form loses every digit near x = -5.5) within
/// 4e-6 relative down to x = -5.6; the special values as std::erf gives
/// them.
TEST(ElementwiseKernels, FloatErfAndGeluMatchDouble) {
  std::vector<float> values = randomFloats(200000, -6, 6, 41);
  for (float tiny : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-40f, 0.999f, 1.0f,
                     1.0001f, 3.999f, 4.0f, 4.001f, -5.6f})
    values.push_back(tiny);
  const int64_t n = static_cast<int64_t>(values.size());
  Tensor in = make(DType::F32, {n}, values);
  Tensor out(DType::F32, {n});
  EXPECT_OK(run("onnx.Erf", {&in}, {&out}, AttrMap(), 3));
  std::vector<float> got = read<float>(out);
  for (int64_t i = 0; i < n; ++i) {
    double want = std::erf(double(values[i]));
    ASSERT_LE(std::fabs(double(got[i]) - want), 3.0 * ulpOf(want))
        << "erf(" << values[i] << ")";
  }

  AttrMap exact;
  exact.set("approximate", str("none"));
  EXPECT_OK(run("onnx.Gelu", {&in}, {&out}, exact, 3));
  got = read<float>(out);
  for (int64_t i = 0; i < n; ++i) {
    double x = values[i];
    double cdf = 0.5 * std::erfc(-x / std::sqrt(2.0));
    ASSERT_NEAR(got[i], x * cdf, std::max(2e-7, double(ulpOf(x * cdf))))
        << "gelu(" << x << ")";
    if (x < 0 && x > -5.6) {
      ASSERT_NEAR(got[i] / x, cdf, 4e-6 * cdf) << "gelu(" << x << ")";
    }
  }

  Tensor special =
      make<float>(DType::F32, {4}, {NAN, INFINITY, -INFINITY, -0.0f});
  Tensor specialOut(DType::F32, {4});
  EXPECT_OK(run("onnx.Erf", {&special}, {&specialOut}));
  std::vector<float> erfs = read<float>(specialOut);
  EXPECT_TRUE(std::isnan(erfs[0]));
  EXPECT_EQ(erfs[1], 1.0f);
  EXPECT_EQ(erfs[2], -1.0f);
  EXPECT_TRUE(erfs[3] == 0.0f && std::signbit(erfs[3]));
  EXPECT_OK(run("onnx.Gelu", {&special}, {&specialOut}, exact));
  std::vector<float> gelus = read<float>(specialOut);
  EXPECT_TRUE(std::isnan(gelus[0]));
  EXPECT_EQ(gelus[1], INFINITY);
  EXPECT_TRUE(std::isnan(gelus[2])); // -inf times 0, as 0.5 x (1 + erf)
}

/// The floats' sigmoid (from e^-|x|, vectorized) against double: within 4
/// ulp, but 0 below x = -87.3, where e^x leaves the normal floats; the
/// special values as 1 / (1 + e^-x) gives them.
TEST(ElementwiseKernels, FloatSigmoidMatchesDouble) {
  std::vector<float> values = randomFloats(100000, -100, 100, 43);
  std::vector<float> near = randomFloats(100000, -4, 4, 44);
  values.insert(values.end(), near.begin(), near.end());
  for (float v : {0.0f, -0.0f, -87.0f, -87.5f, -88.0f, 88.0f, 1e-30f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  Tensor in = make(DType::F32, {n}, values);
  Tensor out(DType::F32, {n});
  EXPECT_OK(run("onnx.Sigmoid", {&in}, {&out}, AttrMap(), 3));
  std::vector<float> got = read<float>(out);
  for (int64_t i = 0; i < n; ++i) {
    double want = 1.0 / (1.0 + std::exp(-double(values[i])));
    if (values[i] < -87.3f) {
      ASSERT_EQ(got[i], 0.0f) << "sigmoid(" << values[i] << ")";
      continue;
    }
    ASSERT_NEAR(got[i], want, 4.0 * ulpOf(want))
        << "sigmoid(" << values[i] << ")";
  }
  Tensor special = make<float>(DType::F32, {3}, {NAN, INFINITY, -INFINITY});
  Tensor specialOut(DType::F32, {3});
  EXPECT_OK(run("onnx.Sigmoid", {&special}, {&specialOut}));
  std::vector<float> s = read<float>(specialOut);
  EXPECT_TRUE(std::isnan(s[0]));
  EXPECT_EQ(s[1], 1.0f);
  EXPECT_EQ(s[2], 0.0f);
}

/// The floats' tanh (vectorized) within 2 ulp of double (1.57 at worst
/// over every float in (0, 10]), tiny values included; and GELU's tanh
/// form as x sigmoid(2 z), which keeps its relative accuracy for negative
/// x, where x (1 + tanh(z)) / 2 cancels.
TEST(ElementwiseKernels, FloatTanhAndTanhGeluMatchDouble) {
  std::vector<float> values = randomFloats(100000, -20, 20, 45);
  std::vector<float> near = randomFloats(100000, -1, 1, 46);
  values.insert(values.end(), near.begin(), near.end());
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 0.625f, -0.625f, 44.0f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  Tensor in = make(DType::F32, {n}, values);
  Tensor out(DType::F32, {n});
  EXPECT_OK(run("onnx.Tanh", {&in}, {&out}, AttrMap(), 3));
  std::vector<float> got = read<float>(out);
  for (int64_t i = 0; i < n; ++i) {
    double want = std::tanh(double(values[i]));
    ASSERT_NEAR(got[i], want, 2.0 * ulpOf(want)) << "tanh(" << values[i] << ")";
  }

  AttrMap tanhForm;
  tanhForm.set("approximate", str("tanh"));
  EXPECT_OK(run("onnx.Gelu", {&in}, {&out}, tanhForm, 3));
  got = read<float>(out);
  for (int64_t i = 0; i < n; ++i) {
    double x = values[i];
    double z =
        std::sqrt(2 / 3.14159265358979323846) * (x + 0.044715 * x * x * x);
    double half = 0.5 * (1 + std::tanh(z)); // exact enough in double here
    ASSERT_NEAR(got[i], x * half, 2e-7 * std::max(1.0, std::fabs(x)))
        << "gelu(" << x << ")";
    if (x < 0 && x > -5) {
      ASSERT_NEAR(got[i] / x, half, 1e-5 * half) << "gelu(" << x << ")";
    }
  }
}

TEST(ElementwiseKernels, Gelu) {
  std::vector<float> values = randomFloats(200, -4, 4, 3);
  Tensor in = make(DType::F32, {200}, values);
  Tensor out(DType::F32, {200});
  AttrMap exact, tanhApprox, bad;
  exact.set("approximate", str("none"));
  tanhApprox.set("approximate", str("tanh"));
  bad.set("approximate", str("sigmoid"));
  EXPECT_OK(run("onnx.Gelu", {&in}, {&out}, exact));
  for (size_t i = 0; i < values.size(); ++i) {
    double x = values[i];
    ASSERT_NEAR(out.data<float>()[i],
                0.5 * x * (1 + std::erf(x / std::sqrt(2.0))), 1e-6);
  }
  EXPECT_OK(run("onnx.Gelu", {&in}, {&out}, tanhApprox));
  for (size_t i = 0; i < values.size(); ++i) {
    double x = values[i];
    double want = 0.5 * x *
                  (1 + std::tanh(std::sqrt(2 / 3.14159265358979323846) *
                                 (x + 0.044715 * x * x * x)));
    ASSERT_NEAR(out.data<float>()[i], want, 1e-6);
  }
  EXPECT_ERROR(run("onnx.Gelu", {&in}, {&out}, bad), "approximate");
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

AttrMap castTo(int64_t to) {
  AttrMap attrs;
  attrs.set("to", ints({to}));
  attrs.set("saturate", ints({1}));
  return attrs;
}

TEST(ElementwiseKernels, CastToHalfRoundsToNearestEven) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> values = {1.0f,
                               -2.0f,
                               0.0f,
                               -0.0f,
                               65504.0f,
                               65519.0f, // Rounds down to the largest half.
                               65520.0f, // Halfway to 65536: infinity.
                               inf,
                               -inf,
                               std::ldexp(1.0f, -24), // Smallest subnormal.
                               std::ldexp(1.0f, -26), // Rounds to zero.
                               std::ldexp(3.0f, -26), // Rounds up to 2^-24.
                               1.0f + std::ldexp(1.0f, -11), // Tie: to even.
                               1.0f + std::ldexp(3.0f, -11), // Tie: up.
                               0.1f,
                               std::ldexp(1023.0f, -24)}; // Largest subnormal.
  const std::vector<uint16_t> want = {
      0x3C00, 0xC000, 0x0000, 0x8000, 0x7BFF, 0x7BFF, 0x7C00, 0x7C00,
      0xFC00, 0x0001, 0x0000, 0x0001, 0x3C00, 0x3C02, 0x2E66, 0x03FF};
  int64_t n = static_cast<int64_t>(values.size());
  Tensor in = make(DType::F32, {n}, values);
  Tensor half(DType::F16, {n});
  EXPECT_OK(run("onnx.Cast", {&in}, {&half}, castTo(10)));
  EXPECT_EQ(read<uint16_t>(half), want);

  // F64 rounds once, straight to half.
  Tensor in64(DType::F64, {1}), half64(DType::F16, {1});
  in64.data<double>()[0] = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_OK(run("onnx.Cast", {&in64}, {&half64}, castTo(10)));
  EXPECT_EQ(read<uint16_t>(half64)[0], 0x3C01);

  Tensor nan = make<float>(DType::F32, {1}, {std::nanf("")});
  Tensor nanHalf(DType::F16, {1});
  EXPECT_OK(run("onnx.Cast", {&nan}, {&nanHalf}, castTo(10)));
  EXPECT_EQ(read<uint16_t>(nanHalf)[0] & 0x7C00, 0x7C00);
  EXPECT_NE(read<uint16_t>(nanHalf)[0] & 0x03FF, 0);
}

TEST(ElementwiseKernels, CastHalfRoundTripsThroughF32AndF64) {
  // Every half except NaNs survives f16 -> f32 -> f16 and f16 -> f64 -> f16.
  std::vector<uint16_t> all;
  for (uint32_t bits = 0; bits < 0x10000; ++bits)
    if ((bits & 0x7C00) != 0x7C00 || (bits & 0x03FF) == 0)
      all.push_back(static_cast<uint16_t>(bits));
  int64_t n = static_cast<int64_t>(all.size());
  Tensor half = make(DType::F16, {n}, all);
  Tensor f32(DType::F32, {n}), f64(DType::F64, {n}), back(DType::F16, {n});
  EXPECT_OK(run("onnx.Cast", {&half}, {&f32}, castTo(1), 4));
  EXPECT_OK(run("onnx.Cast", {&f32}, {&back}, castTo(10), 4));
  EXPECT_EQ(read<uint16_t>(back), all);
  EXPECT_OK(run("onnx.Cast", {&half}, {&f64}, castTo(11)));
  EXPECT_OK(run("onnx.Cast", {&f64}, {&back}, castTo(10)));
  EXPECT_EQ(read<uint16_t>(back), all);
  // Spot values of the widening.
  EXPECT_EQ(f32.data<float>()[0x3C00], 1.0f);
  EXPECT_EQ(f32.data<float>()[0x0001], std::ldexp(1.0f, -24));
  EXPECT_EQ(f32.data<float>()[0x7BFF], 65504.0f);
}

TEST(ElementwiseKernels, CastBetweenNumbersAndBool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor f = make<float>(DType::F32, {5}, {-1.7f, 2.9f, 0.0f, -0.0f, nan});
  Tensor i32(DType::I32, {5}), b(DType::Bool, {5}), i64(DType::I64, {5});
  EXPECT_OK(run("onnx.Cast", {&f}, {&i32}, castTo(6)));
  EXPECT_EQ(read<int32_t>(i32), (std::vector<int32_t>{-1, 2, 0, 0, 0}));
  EXPECT_OK(run("onnx.Cast", {&f}, {&b}, castTo(9)));
  EXPECT_EQ(read<uint8_t>(b), (std::vector<uint8_t>{1, 1, 0, 0, 1}));
  EXPECT_OK(run("onnx.Cast", {&b}, {&i64}, castTo(7)));
  EXPECT_EQ(read<int64_t>(i64), (std::vector<int64_t>{1, 1, 0, 0, 1}));

  Tensor big = make<int64_t>(DType::I64, {2}, {(int64_t(1) << 32) + 5, -1});
  Tensor narrow(DType::I32, {2}), bytes(DType::U8, {2}),
      signedBytes(DType::I8, {2});
  EXPECT_OK(run("onnx.Cast", {&big}, {&narrow}, castTo(6)));
  EXPECT_EQ(read<int32_t>(narrow), (std::vector<int32_t>{5, -1}));
  EXPECT_OK(run("onnx.Cast", {&big}, {&bytes}, castTo(2)));
  EXPECT_EQ(read<uint8_t>(bytes), (std::vector<uint8_t>{5, 255}));
  EXPECT_OK(run("onnx.Cast", {&bytes}, {&signedBytes}, castTo(3)));
  EXPECT_EQ(read<int8_t>(signedBytes), (std::vector<int8_t>{5, -1}));

  // Floats out of an integer's range saturate instead of being undefined.
  Tensor huge = make<float>(DType::F32, {2}, {1e20f, -1e20f});
  Tensor clamped(DType::I32, {2});
  EXPECT_OK(run("onnx.Cast", {&huge}, {&clamped}, castTo(6)));
  EXPECT_EQ(read<int32_t>(clamped),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::max(),
                                  std::numeric_limits<int32_t>::min()}));

  Tensor d = make<double>(DType::F64, {1}, {0.1});
  Tensor f1(DType::F32, {1}), bf(DType::BF16, {1});
  EXPECT_OK(run("onnx.Cast", {&d}, {&f1}, castTo(1)));
  EXPECT_EQ(read<float>(f1)[0], 0.1f);
  Tensor one = make<float>(DType::F32, {1}, {1.0f});
  EXPECT_OK(run("onnx.Cast", {&one}, {&bf}, castTo(16)));
  EXPECT_EQ(read<uint16_t>(bf)[0], 0x3F80);
}

/// `t` cast by the Cast kernel to ONNX type number `to` (of element type
/// `dtype`).
Tensor castOf(Tensor &t, int64_t to, DType dtype) {
  Tensor out(dtype, t.shape());
  EXPECT_OK(run("onnx.Cast", {&t}, {&out}, castTo(to)));
  return out;
}

// Tests that a Clip of f16 or bf16 values with bounds rounded alike gives,
// bit for bit, the f32 Clip of the same values with the exact bounds,
// rounded: what lets intr-lower-precision run ReLU6 in 16 bits. Bounds
// between 16-bit values, beyond f16's range, crossed, NaN, signed zeros.
TEST(ElementwiseKernels, HalfClipIsTheRoundedFloatClip) {
  std::vector<float> values = randomFloats(4000, -8, 8, 61);
  for (float v : {NAN, INFINITY, -INFINITY, -0.0f, 0.0f, 0.1f, 5.99f, 6.0f,
                  70000.0f, -70000.0f})
    values.push_back(v);
  const int64_t n = static_cast<int64_t>(values.size());
  const std::pair<float, float> bounds[] = {
      {0.1f, 5.99f}, {0, 6},  {-1e6f, 1e6f}, {NAN, 1},
      {0, NAN},      {3, -3}, {-0.0f, 0.0f}, {-70000.0f, 65519.0f}};
  for (auto [code, dtype] : {std::pair(10, DType::F16), {16, DType::BF16}})
    for (auto [loValue, hiValue] : bounds) {
      Tensor wide = make(DType::F32, {n}, values);
      Tensor x = castOf(wide, code, dtype);
      Tensor xWide = castOf(x, 1, DType::F32);
      Tensor lo = make<float>(DType::F32, {}, {loValue});
      Tensor hi = make<float>(DType::F32, {}, {hiValue});
      Tensor lo16 = castOf(lo, code, dtype), hi16 = castOf(hi, code, dtype);
      Tensor y32(DType::F32, {n}), y16(dtype, {n});
      EXPECT_OK(run("onnx.Clip", {&xWide, &lo, &hi}, {&y32}));
      EXPECT_OK(run("onnx.Clip", {&x, &lo16, &hi16}, {&y16}, AttrMap(), 3));
      std::vector<uint16_t> want = read<uint16_t>(castOf(y32, code, dtype));
      std::vector<uint16_t> got = read<uint16_t>(y16);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(got[i], want[i]) << dtypeName(dtype) << " clip(" << values[i]
                                   << ", " << loValue << ", " << hiValue << ")";
    }
}

// Tests that Swish, HardSwish, HardSigmoid, LeakyRelu, Elu, Selu, Celu,
// Softplus and Mish of f16 or bf16 values give, bit for bit, the f32 op of the
// widened values rounded, for every one of the 65536 bit patterns (NaNs as
// NaNs), with the default attributes and others: what lets intr-lower-precision
// run a 16-bit convolution's SiLU or hard swish in 16 bits.
TEST(ElementwiseKernels, HalfActivationsAreTheRoundedFloatOnes) {
  std::vector<uint16_t> all(0x10000);
  for (uint32_t bits = 0; bits < 0x10000; ++bits)
    all[bits] = static_cast<uint16_t>(bits);
  const int64_t n = static_cast<int64_t>(all.size());
  AttrMap alpha, alphaBeta;
  alpha.set("alpha", real(1.702));
  alphaBeta.set("alpha", real(0.5));
  alphaBeta.set("beta", real(0.25));
  const std::pair<const char *, AttrMap> cases[] = {
      {"onnx.Swish", AttrMap()},       {"onnx.Swish", alpha},
      {"onnx.HardSwish", AttrMap()},   {"onnx.HardSigmoid", AttrMap()},
      {"onnx.HardSigmoid", alphaBeta}, {"onnx.LeakyRelu", AttrMap()},
      {"onnx.LeakyRelu", alpha},       {"onnx.Elu", AttrMap()},
      {"onnx.Selu", AttrMap()},        {"onnx.Celu", alpha},
      {"onnx.Softplus", AttrMap()},    {"onnx.Mish", AttrMap()}};
  for (auto [code, dtype] : {std::pair(10, DType::F16), {16, DType::BF16}})
    for (const auto &[op, attrs] : cases) {
      Tensor x = make(dtype, {n}, all);
      Tensor xWide = castOf(x, 1, DType::F32);
      Tensor y32(DType::F32, {n}), y16(dtype, {n});
      EXPECT_OK(run(op, {&xWide}, {&y32}, attrs));
      EXPECT_OK(run(op, {&x}, {&y16}, attrs, 3));
      Tensor want16 = castOf(y32, code, dtype);
      std::vector<uint16_t> want = read<uint16_t>(want16);
      std::vector<uint16_t> got = read<uint16_t>(y16);
      std::vector<float> gotWide = read<float>(castOf(y16, 1, DType::F32));
      std::vector<float> wantWide = read<float>(castOf(want16, 1, DType::F32));
      for (int64_t i = 0; i < n; ++i)
        ASSERT_TRUE(got[i] == want[i] ||
                    (std::isnan(gotWide[i]) && std::isnan(wantWide[i])))
            << dtypeName(dtype) << " " << op << " of bits " << all[i];
    }
}

// Tests intr.channel_affine (DenseNet's batch norm and ReLU) against x * a
// + b per channel in double, NCHW and channels last, with and without the
// ReLU, on 1 and 3 threads: within 2 ulp of |x a| + |b| (a fused
// multiply-add or two roundings), NaN staying NaN through the ReLU. On f16
// and bf16 images, for every one of the 65536 bit patterns, the f32 op of
// the widened image rounded, bit for bit. Refusals.
TEST(ElementwiseKernels, ChannelAffineScalesAndShiftsEachChannel) {
  const int64_t C = 5;
  std::vector<float> scale = {1.5f, -0.25f, 3.0f, 0.0f, -2.0f};
  std::vector<float> shift = {0.5f, -1.0f, 0.0f, 2.0f, 1e-3f};
  Tensor s = make(DType::F32, {C}, scale), t = make(DType::F32, {C}, shift);
  for (bool last : {false, true})
    for (bool relu : {false, true}) {
      std::vector<int64_t> shape = last ? std::vector<int64_t>{2, 13, 11, C}
                                        : std::vector<int64_t>{2, C, 13, 11};
      const int64_t n = 2 * C * 13 * 11, inner = last ? 1 : 13 * 11;
      std::vector<float> values = randomFloats(n, -8, 8, 73);
      values[7] = NAN;
      Tensor x = make(DType::F32, shape, values);
      AttrMap attrs;
      attrs.set("channels_last", ints({last ? 1 : 0}));
      attrs.set("activation", str(relu ? "relu" : "none"));
      for (int threads : {1, 3}) {
        Tensor y(DType::F32, shape);
        EXPECT_OK(
            run("intr.channel_affine", {&x, &s, &t}, {&y}, attrs, threads));
        std::vector<float> got = read<float>(y);
        for (int64_t i = 0; i < n; ++i) {
          int64_t c = i / inner % C;
          double v = double(values[i]) * scale[c] + shift[c];
          if (std::isnan(v)) {
            ASSERT_TRUE(std::isnan(got[i])) << i;
            continue;
          }
          double want = relu && v < 0 ? 0.0 : v;
          double size = std::fabs(double(values[i]) * scale[c]) +
                        std::fabs(double(shift[c]));
          ASSERT_NEAR(got[i], want, 2 * ulpOf(size) + 1e-30)
              << "element " << i << (last ? " channels last" : "")
              << (relu ? " relu" : "") << ", " << threads << " threads";
        }
      }
    }

  std::vector<uint16_t> all(0x10000);
  for (uint32_t bits = 0; bits < 0x10000; ++bits)
    all[bits] = static_cast<uint16_t>(bits);
  AttrMap relu;
  relu.set("activation", str("relu"));
  Tensor s4 = make(DType::F32, {4}, std::vector<float>{1.5f, -0.3f, 7.0f, 1}),
         t4 = make(DType::F32, {4}, std::vector<float>{0.1f, 2.0f, -3.0f, 0});
  for (auto [code, dtype] : {std::pair(10, DType::F16), {16, DType::BF16}}) {
    Tensor x = make(dtype, {1, 4, 128, 128}, all);
    Tensor xWide = castOf(x, 1, DType::F32);
    Tensor y32(DType::F32, {1, 4, 128, 128}), y16(dtype, {1, 4, 128, 128});
    EXPECT_OK(run("intr.channel_affine", {&xWide, &s4, &t4}, {&y32}, relu));
    EXPECT_OK(run("intr.channel_affine", {&x, &s4, &t4}, {&y16}, relu, 3));
    Tensor want16 = castOf(y32, code, dtype);
    std::vector<uint16_t> want = read<uint16_t>(want16),
                          got = read<uint16_t>(y16);
    std::vector<float> wantWide = read<float>(castOf(want16, 1, DType::F32));
    std::vector<float> gotWide = read<float>(castOf(y16, 1, DType::F32));
    for (int64_t i = 0; i < 0x10000; ++i)
      ASSERT_TRUE(got[i] == want[i] ||
                  (std::isnan(gotWide[i]) && std::isnan(wantWide[i])))
          << dtypeName(dtype) << " of bits " << all[i];
  }

  Tensor x(DType::F32, {1, C, 2, 2}), y(DType::F32, {1, C, 2, 2});
  Tensor short4(DType::F32, {4}), half5(DType::F16, {C}),
      flat(DType::F32, {C, 4}), flatOut(DType::F32, {C, 4}),
      i64(DType::I64, {1, C, 2, 2});
  EXPECT_ERROR(run("intr.channel_affine", {&x, &short4, &t}, {&y}), "scale");
  EXPECT_ERROR(run("intr.channel_affine", {&x, &s, &half5}, {&y}), "shift");
  EXPECT_ERROR(run("intr.channel_affine", {&flat, &s, &t}, {&flatOut}),
               "rank 4");
  EXPECT_ERROR(run("intr.channel_affine", {&i64, &s, &t}, {&i64}),
               "unsupported input");
  AttrMap gelu;
  gelu.set("activation", str("gelu"));
  EXPECT_ERROR(run("intr.channel_affine", {&x, &s, &t}, {&y}, gelu),
               "activation");
}

// Tests that fake_quantize gives the bits of the Div, Clip, Round, Add of
// +0 and Mul it replaces, run by their kernels: on random values, values
// clipped at either bound, halves (to even), quotients that round to -0
// (+0 after the round trip), zeros of either sign, infinities, NaN and
// subnormals, for int8 and uint8 ranges with zero points and scales
// quantizers do not write (zeros, negative, infinite, NaN, subnormal,
// huge); a few values worked by hand; and the refusal of malformed steps.
TEST(ElementwiseKernels, FakeQuantizeIsTheRoundTripsOps) {
  struct Range {
    float scale;
    int64_t low, high;
  };
  for (Range r :
       {Range{0.0235f, -131, 124}, Range{0.5f, -128, 127},
        Range{3e-3f, -200, 55}, Range{7.0f, 0, 0}, Range{-0.25f, -128, 127},
        Range{0.0f, 0, 255}, Range{-0.0f, -128, 127}, Range{INFINITY, -5, 9},
        Range{-INFINITY, 0, 255}, Range{NAN, -128, 127},
        Range{1e-40f, -128, 127}, Range{3e38f, -128, 127},
        Range{1.0f, -(1 << 24), 1 << 24}}) {
    const float spread = std::isfinite(r.scale) && r.scale != 0.0f
                             ? 400 * std::fabs(r.scale)
                             : 400.0f;
    std::vector<float> values = randomFloats(4099, -spread, spread, 29);
    for (float q : {-300.5f, -2.5f, -1.5f, -0.5f, -0.25f, 0.5f, 1.5f, 2.5f,
                    float(r.low) - 0.5f, float(r.high) + 0.5f, 1e30f})
      values.push_back(q * r.scale);
    for (float v :
         {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-45f, -1e-45f, 1e-38f})
      values.push_back(v);
    const std::vector<int64_t> shape = {int64_t(values.size())};
    Tensor x = make(DType::F32, shape, values);
    Tensor s = make(DType::F32, {}, std::vector<float>{r.scale});
    Tensor lo = make(DType::F32, {}, std::vector<float>{float(r.low)});
    Tensor hi = make(DType::F32, {}, std::vector<float>{float(r.high)});
    Tensor zero = make(DType::F32, {}, std::vector<float>{0.0f});
    Tensor quotient(DType::F32, shape), clipped(DType::F32, shape),
        rounded(DType::F32, shape), sum(DType::F32, shape),
        want(DType::F32, shape);
    EXPECT_OK(run("onnx.Div", {&x, &s}, {&quotient}));
    EXPECT_OK(run("onnx.Clip", {&quotient, &lo, &hi}, {&clipped}));
    EXPECT_OK(run("onnx.Round", {&clipped}, {&rounded}));
    EXPECT_OK(run("onnx.Add", {&rounded, &zero}, {&sum}));
    EXPECT_OK(run("onnx.Mul", {&sum, &s}, {&want}));
    AttrMap attrs;
    attrs.set("scale", real(r.scale));
    attrs.set("low", ints({r.low}));
    attrs.set("high", ints({r.high}));
    for (int threads : {1, 3}) {
      Tensor y(DType::F32, shape);
      EXPECT_OK(run("intr.fake_quantize", {&x}, {&y}, attrs, threads));
      std::vector<uint32_t> got = read<uint32_t>(y),
                            expected = read<uint32_t>(want);
      for (size_t i = 0; i < values.size(); ++i)
        ASSERT_EQ(got[i], expected[i])
            << "x = " << values[i] << ", scale " << r.scale << ", " << threads
            << " threads";
    }
  }

  // scale 0.5 in [-4, 3]: 1.25 -> 2.5 -> 2 (to even) -> 1; 1.75 -> 3.5
  // -> 3 (clipped) -> 1.5; -0.1 -> -0.2 -> +0; -9 -> -4 -> -2.
  Tensor x = make(DType::F32, {6},
                  std::vector<float>{1.25f, 1.75f, -0.1f, -9.0f, 0.75f, NAN});
  Tensor y(DType::F32, {6});
  AttrMap attrs;
  attrs.set("scale", real(0.5));
  attrs.set("low", ints({-4}));
  attrs.set("high", ints({3}));
  EXPECT_OK(run("intr.fake_quantize", {&x}, {&y}, attrs));
  std::vector<float> got = read<float>(y);
  EXPECT_EQ(got[0], 1.0f);
  EXPECT_EQ(got[1], 1.5f);
  EXPECT_EQ(got[2], 0.0f);
  EXPECT_FALSE(std::signbit(got[2]));
  EXPECT_EQ(got[3], -2.0f);
  EXPECT_EQ(got[4], 1.0f);
  EXPECT_TRUE(std::isnan(got[5]));

  Tensor i32(DType::I32, {6}), short5(DType::F32, {5});
  EXPECT_ERROR(run("intr.fake_quantize", {&i32}, {&i32}, attrs),
               "unsupported input");
  EXPECT_ERROR(run("intr.fake_quantize", {&x}, {&short5}, attrs), "shape");
  // Attributes missing or of another kind.
  for (std::string name : {"scale", "low", "high"}) {
    AttrMap missing, mistyped;
    for (std::string other : {"scale", "low", "high"}) {
      AttrValue right =
          other == "scale" ? real(0.5) : ints({other == "low" ? -4 : 3});
      AttrValue wrong = other == "scale" ? ints({2}) : real(3.0);
      if (other != name)
        missing.set(other, right);
      mistyped.set(other, other == name ? wrong : right);
    }
    EXPECT_ERROR(run("intr.fake_quantize", {&x}, {&y}, missing), "needs one");
    EXPECT_ERROR(run("intr.fake_quantize", {&x}, {&y}, mistyped), "needs one");
  }
  AttrMap twoLows = attrs;
  twoLows.set("low", ints({-4, -3}));
  EXPECT_ERROR(run("intr.fake_quantize", {&x}, {&y}, twoLows), "needs one");
  for (auto [low, high] : {std::pair<int64_t, int64_t>(3, -4),
                           {-(int64_t(1) << 24) - 1, 0},
                           {0, int64_t(1) << 40}}) {
    AttrMap bad;
    bad.set("scale", real(0.5));
    bad.set("low", ints({low}));
    bad.set("high", ints({high}));
    EXPECT_ERROR(run("intr.fake_quantize", {&x}, {&y}, bad), "low and high");
  }
}

// Tests the casts of dynamic quantization (f32 to and from uint8, int8
// and int32, on vectorized loops): NaN to 0, saturation at both ends
// (int32's largest f32 below 2^31 converts exactly), truncation toward
// zero, signed zeros and subnormals to 0; integers to the nearest f32.
TEST(ElementwiseKernels, QuantizationCastsSaturateAndTruncate) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {NAN,
                                inf,
                                -inf,
                                -0.0f,
                                1e-45f,
                                0.99f,
                                -0.99f,
                                254.99f,
                                255.0f,
                                256.0f,
                                -128.5f,
                                127.9f,
                                -1.0f,
                                2147483520.0f,
                                2147483648.0f,
                                -2147483648.0f,
                                -2147483904.0f,
                                1e10f};
  const int64_t n = static_cast<int64_t>(x.size());
  Tensor in = make(DType::F32, {n}, x);
  Tensor u8(DType::U8, {n}), i8(DType::I8, {n}), i32(DType::I32, {n});
  EXPECT_OK(run("onnx.Cast", {&in}, {&u8}, castTo(2)));
  EXPECT_OK(run("onnx.Cast", {&in}, {&i8}, castTo(3)));
  EXPECT_OK(run("onnx.Cast", {&in}, {&i32}, castTo(6)));
  EXPECT_EQ(read<uint8_t>(u8),
            (std::vector<uint8_t>{0, 255, 0, 0, 0, 0, 0, 254, 255, 255, 0, 127,
                                  0, 255, 255, 0, 0, 255}));
  EXPECT_EQ(read<int8_t>(i8),
            (std::vector<int8_t>{0, 127, -128, 0, 0, 0, 0, 127, 127, 127, -128,
                                 127, -1, 127, 127, -128, -128, 127}));
  EXPECT_EQ(read<int32_t>(i32),
            (std::vector<int32_t>{0, INT32_MAX, INT32_MIN, 0, 0, 0, 0, 254, 255,
                                  256, -128, 127, -1, 2147483520, INT32_MAX,
                                  INT32_MIN, INT32_MIN, INT32_MAX}));
  // Back to f32: int32 beyond 2^24 rounds to nearest even.
  Tensor ints = make<int32_t>(DType::I32, {4},
                              {16777217, -16777219, INT32_MAX, INT32_MIN});
  Tensor bytes = make<uint8_t>(DType::U8, {3}, {0, 128, 255});
  Tensor signedBytes = make<int8_t>(DType::I8, {3}, {-128, -1, 127});
  Tensor f4(DType::F32, {4}), f3(DType::F32, {3}), g3(DType::F32, {3});
  EXPECT_OK(run("onnx.Cast", {&ints}, {&f4}, castTo(1)));
  EXPECT_OK(run("onnx.Cast", {&bytes}, {&f3}, castTo(1)));
  EXPECT_OK(run("onnx.Cast", {&signedBytes}, {&g3}, castTo(1)));
  EXPECT_EQ(read<float>(f4),
            (std::vector<float>{16777216.0f, -16777220.0f, 2147483648.0f,
                                -2147483648.0f}));
  EXPECT_EQ(read<float>(f3), (std::vector<float>{0.0f, 128.0f, 255.0f}));
  EXPECT_EQ(read<float>(g3), (std::vector<float>{-128.0f, -1.0f, 127.0f}));
  // Long enough for the vector loops and their remainders, on 3 threads:
  // the same as element by element.
  std::vector<float> many = randomFloats(4099, -300, 300, 41);
  Tensor wide = make(DType::F32, {4099}, many);
  Tensor bytesOut(DType::U8, {4099});
  EXPECT_OK(run("onnx.Cast", {&wide}, {&bytesOut}, castTo(2), 3));
  std::vector<uint8_t> got = read<uint8_t>(bytesOut);
  for (size_t i = 0; i < many.size(); ++i)
    ASSERT_EQ(got[i], many[i] <= 0     ? 0
                      : many[i] >= 255 ? 255
                                       : uint8_t(many[i]))
        << many[i];
}

// Tests that Round takes halves to even, Floor and Ceil round down and up,
// on f32 (vectorized loops) as on f64, signed zeros and specials kept.
TEST(ElementwiseKernels, RoundingOps) {
  const std::vector<float> x = {-2.5f, -1.5f, -0.5f, -0.25f,     0.5f, 1.5f,
                                2.5f,  3.7f,  -3.7f, 8388609.0f, NAN,  -0.0f};
  const int64_t n = static_cast<int64_t>(x.size());
  struct Case {
    const char *op;
    std::vector<float> want;
  };
  const Case cases[] = {
      {"onnx.Round",
       {-2, -2, -0.0f, -0.0f, 0, 2, 2, 4, -4, 8388609.0f, NAN, -0.0f}},
      {"onnx.Floor", {-3, -2, -1, -1, 0, 1, 2, 3, -4, 8388609.0f, NAN, -0.0f}},
      {"onnx.Ceil",
       {-2, -1, -0.0f, -0.0f, 1, 2, 3, 4, -3, 8388609.0f, NAN, -0.0f}}};
  for (const Case &c : cases)
    for (int repeat : {1, 400}) {
      std::vector<float> values, want;
      for (int r = 0; r < repeat; ++r) {
        values.insert(values.end(), x.begin(), x.end());
        want.insert(want.end(), c.want.begin(), c.want.end());
      }
      Tensor in = make(DType::F32, {n * repeat}, values);
      Tensor out(DType::F32, {n * repeat});
      EXPECT_OK(run(c.op, {&in}, {&out}, AttrMap(), 2));
      std::vector<float> got = read<float>(out);
      for (size_t i = 0; i < got.size(); ++i)
        ASSERT_TRUE(sameValue(got[i], want[i]))
            << c.op << " of " << values[i] << " gave " << got[i];
    }
}

TEST(ElementwiseKernels, CastRejectsMismatchedTarget) {
  Tensor f = make<float>(DType::F32, {2}, {1, 2});
  Tensor i32(DType::I32, {2}), shorter(DType::I64, {1});
  EXPECT_ERROR(run("onnx.Cast", {&f}, {&i32}, castTo(7)), "must be i64");
  EXPECT_ERROR(run("onnx.Cast", {&f}, {&i32}, castTo(8)), "unsupported");
  EXPECT_ERROR(run("onnx.Cast", {&f}, {&shorter}, castTo(7)), "shape");
}

//===----------------------------------------------------------------------===//
// Where, Identity
//===----------------------------------------------------------------------===//

TEST(ElementwiseKernels, WhereBroadcastsThreeOperands) {
  std::vector<int64_t> sc = {2, 1, 1}, sx = {}, sy = {1, 3, 4}, so = {2, 3, 4};
  Tensor cond = make<uint8_t>(DType::Bool, sc, {1, 0});
  Tensor x = make<float>(DType::F32, sx, {-1.0f});
  Tensor y = make(DType::F32, sy, randomFloats(12, 0, 1, 5));
  Tensor out(DType::F32, so);
  EXPECT_OK(run("onnx.Where", {&cond, &x, &y}, {&out}));
  for (int64_t i = 0; i < 24; ++i) {
    bool c = cond.data<uint8_t>()[broadcastIndex(i, so, sc)];
    float want = c ? -1.0f : y.data<float>()[broadcastIndex(i, so, sy)];
    ASSERT_EQ(out.data<float>()[i], want) << i;
  }
  Tensor xi = make<int64_t>(DType::I64, {2}, {1, 2});
  Tensor yi = make<int64_t>(DType::I64, {2}, {10, 20});
  Tensor ci = make<uint8_t>(DType::Bool, {2}, {0, 1});
  Tensor oi(DType::I64, {2});
  EXPECT_OK(run("onnx.Where", {&ci, &xi, &yi}, {&oi}));
  EXPECT_EQ(read<int64_t>(oi), (std::vector<int64_t>{10, 2}));

  Tensor badCond = make<float>(DType::F32, {2}, {0, 1});
  EXPECT_ERROR(run("onnx.Where", {&badCond, &xi, &yi}, {&oi}), "condition");
}

/// Each operand of Where whole, broadcast along rows or along columns, or
/// a scalar, in every combination that broadcasts to the result: every
/// loop of the selection (one per mix of contiguous and broadcast
/// operands) against the naive one, in runs long enough to be split among
/// threads.
TEST(ElementwiseKernels, WhereTakesEveryMixOfBroadcastOperands) {
  const std::vector<int64_t> so = {5, 9001};
  const std::vector<std::vector<int64_t>> shapes = {so, {5, 1}, {1, 9001}, {}};
  unsigned seed = 21;
  for (const auto &sc : shapes)
    for (const auto &sx : shapes)
      for (const auto &sy : shapes) {
        auto spans = [&](size_t axis) {
          for (const auto *shape : {&sc, &sx, &sy})
            if (!shape->empty() && (*shape)[axis] == so[axis])
              return true;
          return false;
        };
        if (!spans(0) || !spans(1))
          continue;
        std::vector<float> bits = randomFloats(elementCount(sc), 0, 1, seed++);
        std::vector<uint8_t> flags;
        for (float v : bits)
          flags.push_back(v < 0.5f);
        Tensor cond = make<uint8_t>(DType::Bool, sc, flags);
        Tensor x =
            make(DType::F32, sx, randomFloats(elementCount(sx), -2, 2, seed++));
        Tensor y =
            make(DType::F32, sy, randomFloats(elementCount(sy), -2, 2, seed++));
        Tensor out(DType::F32, so);
        EXPECT_OK(run("onnx.Where", {&cond, &x, &y}, {&out}, AttrMap(), 3));
        std::vector<float> vx = read<float>(x), vy = read<float>(y),
                           got = read<float>(out);
        for (int64_t i = 0; i < elementCount(so); ++i) {
          float want = flags[broadcastIndex(i, so, sc)]
                           ? vx[broadcastIndex(i, so, sx)]
                           : vy[broadcastIndex(i, so, sy)];
          ASSERT_EQ(got[i], want)
              << formatShape(sc) << " " << formatShape(sx) << " "
              << formatShape(sy) << ", element " << i;
        }
      }
}

TEST(ElementwiseKernels, Identity) {
  Tensor in = make<int64_t>(DType::I64, {2, 2}, {1, 2, 3, 4});
  Tensor out(DType::I64, {2, 2});
  EXPECT_OK(run("onnx.Identity", {&in}, {&out}));
  EXPECT_EQ(read<int64_t>(out), read<int64_t>(in));
  Tensor wrong(DType::I64, {4});
  EXPECT_ERROR(run("onnx.Identity", {&in}, {&wrong}), "shape");
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST(ElementwiseKernels, RejectsCorruptSteps) {
  Tensor a(DType::F32, {2, 3}), b(DType::F32, {4}), c(DType::F32, {2, 3});
  Tensor i(DType::I64, {2, 3}), wrongOut(DType::F32, {3, 2});
  EXPECT_ERROR(run("onnx.Add", {&a, &b}, {&c}), "broadcast");
  EXPECT_ERROR(run("onnx.Add", {&a, &a}, {&wrongOut}), "shape");
  EXPECT_ERROR(run("onnx.Add", {&a}, {&c}), "operands");
  EXPECT_ERROR(run("onnx.Add", {&a, &a}, {}), "results");
  EXPECT_ERROR(run("onnx.Add", {&a, &i}, {&c}), "must be f32");
  EXPECT_ERROR(run("onnx.Add", {&a, &a}, {&i}), "must be f32");
  EXPECT_ERROR(run("onnx.Sqrt", {&i}, {&i}), "unsupported");
  EXPECT_ERROR(run("onnx.Less", {&a, &a}, {&c}), "must be bool");
  Tensor bools(DType::Bool, {2, 3});
  EXPECT_ERROR(run("onnx.And", {&a, &a}, {&bools}), "unsupported");
  EXPECT_ERROR(run("onnx.Not", {&a}, {&a}), "unsupported");

  // A negative size or a required operand without data.
  Kernel add = KernelRegistry::cpu().find("onnx.Add");
  std::vector<TensorArg> ins = {view(&a), view(&a)}, outs = {view(&c)};
  ins[1].shape = {2, -3};
  AttrMap none;
  Status s = add(KernelArgs{ins, outs, none, 1});
  EXPECT_FALSE(s.isOk());
  ins[1] = view(&a);
  ins[1].data = nullptr;
  s = add(KernelArgs{ins, outs, none, 1});
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("missing"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// Corrupted steps
//===----------------------------------------------------------------------===//

TEST(ElementwiseKernels, RandomCorruptStepsFailCleanly) {
  const std::pair<const char *, size_t> ops[] = {
      {"Add", 2},       {"Sub", 2},         {"Mul", 2},       {"Div", 2},
      {"Pow", 2},       {"Equal", 2},       {"Less", 2},      {"Greater", 2},
      {"And", 2},       {"Or", 2},          {"Not", 1},       {"Sqrt", 1},
      {"Relu", 1},      {"Neg", 1},         {"Abs", 1},       {"Sigmoid", 1},
      {"Gelu", 1},      {"Cast", 1},        {"Where", 3},     {"Identity", 1},
      {"Clip", 3},      {"HardSigmoid", 1}, {"HardSwish", 1}, {"Swish", 1},
      {"LeakyRelu", 1}, {"PRelu", 2}};
  unsigned seed = 1;
  for (auto [op, numIn] : ops)
    fuzzCorruptSteps(std::string("onnx.") + op, numIn, 1, seed++);
  fuzzCorruptSteps("intr.channel_affine", 3, 1, seed++);
  fuzzCorruptSteps("intr.fake_quantize", 1, 1, seed++);
}

} // namespace
