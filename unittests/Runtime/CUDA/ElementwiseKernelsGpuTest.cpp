//===- ElementwiseKernelsGpuTest.cpp - CUDA elementwise kernels vs CPU ----===//
//
// Every elementwise CUDA kernel against its CPU twin: every element type
// each one supports, sizes that are not multiples of a block, numpy
// broadcasting up to four dimensions and scalars, empty tensors, the
// special values of Cast; plus the malformed steps that must be refused.
//
//===----------------------------------------------------------------------===//

#include "CUDA/CudaKernel.h"
#include "GpuKernelCase.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

using Shape = std::vector<int64_t>;

cpu::TensorArg viewOf(Tensor &t) {
  return cpu::TensorArg{t.rawData(), t.dtype(), t.shape()};
}

/// Runs a CPU kernel directly; for preparing inputs and for references
/// that KernelCase's tolerance cannot compare.
Tensor runOnCpu(const std::string &kernel, std::vector<Tensor> inputs,
                DType dtype, const Shape &shape, const cpu::AttrMap &attrs) {
  Tensor out(dtype, shape);
  std::vector<cpu::TensorArg> ins, outs{viewOf(out)};
  for (Tensor &t : inputs)
    ins.push_back(viewOf(t));
  cpu::Kernel fn = cpu::KernelRegistry::cpu().find(kernel);
  EXPECT_NE(fn, nullptr) << kernel;
  if (fn) {
    Status s = fn(cpu::KernelArgs{ins, outs, attrs, 1});
    EXPECT_TRUE(s.isOk()) << s.error().message();
  }
  return out;
}

/// ONNX's number for each element type, as Cast's `to` takes it.
int64_t onnxCode(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return 1;
  case DType::F16:
    return 10;
  case DType::BF16:
    return 16;
  case DType::F64:
    return 11;
  case DType::I64:
    return 7;
  case DType::I32:
    return 6;
  case DType::I8:
    return 3;
  case DType::U8:
    return 2;
  case DType::Bool:
    return 9;
  }
  return 0;
}

cpu::AttrMap castAttrs(DType to) {
  cpu::AttrMap attrs;
  attrs.set("to", ints({onnxCode(to)}));
  attrs.set("saturate", ints({1}));
  return attrs;
}

Tensor castOnCpu(const Tensor &in, DType to) {
  return runOnCpu("onnx.Cast", {in}, to, in.shape(), castAttrs(to));
}

/// Random values in [lo, hi) of any element type: f64, f16 and bf16 from
/// f32 values through the CPU's Cast (so never integers only); integer
/// ranges are clipped to the type's.
Tensor randomOf(DType dtype, Shape shape, float lo, float hi) {
  if (dtype == DType::F64 || dtype == DType::F16 || dtype == DType::BF16)
    return castOnCpu(randomTensor(shape, lo, hi), dtype);
  if (dtype == DType::I8) {
    lo = std::max(lo, -128.0f);
    hi = std::min(hi, 127.0f);
  } else if (dtype == DType::U8) {
    lo = std::max(lo, 0.0f);
    hi = std::min(hi, 255.0f);
  }
  return randomTensor(std::move(shape), lo, hi, dtype);
}

/// Runs the step on both backends and expects results that are the same
/// value (both NaN counts as the same) for f32 and f64, and the same bytes
/// for every other type: for infinities, NaNs and rounding edges.
void expectExactlyAsCpu(const std::string &kernel,
                        const std::vector<Tensor> &inputs, DType dtype,
                        const Shape &shape, const cpu::AttrMap &attrs) {
  KernelCase step(kernel);
  for (const Tensor &t : inputs)
    step.input(t);
  step.output(dtype, shape);
  for (const auto &[name, value] : attrs.all())
    step.attr(name, value);
  Status s = step.runOnGpu();
  ASSERT_TRUE(s.isOk()) << s.error().message();
  ASSERT_EQ(step.gpuOutputs().size(), 1u);
  const Tensor &gpu = step.gpuOutputs()[0];
  Tensor reference = runOnCpu(kernel, inputs, dtype, shape, attrs);
  ASSERT_EQ(gpu.sizeInBytes(), reference.sizeInBytes());
  for (int64_t i = 0; i < reference.numElements(); ++i) {
    if (dtype == DType::F32) {
      float g = gpu.data<float>()[i], c = reference.data<float>()[i];
      EXPECT_TRUE(g == c || (std::isnan(g) && std::isnan(c)))
          << kernel << " element " << i << ": " << g << " vs " << c;
    } else if (dtype == DType::F64) {
      double g = gpu.data<double>()[i], c = reference.data<double>()[i];
      EXPECT_TRUE(g == c || (std::isnan(g) && std::isnan(c)))
          << kernel << " element " << i << ": " << g << " vs " << c;
    } else {
      size_t size = dtypeSize(dtype);
      EXPECT_EQ(
          std::memcmp(static_cast<const char *>(gpu.rawData()) + i * size,
                      static_cast<const char *>(reference.rawData()) + i * size,
                      size),
          0)
          << kernel << " element " << i << " of " << dtypeName(dtype);
    }
  }
}

struct BinaryShapes {
  Shape a, b, out;
};

/// Same shapes of 1, 7 and 1037 elements, scalars, rows, columns, outer
/// products, a 4-D broadcast and an empty result.
const BinaryShapes kBinaryShapes[] = {
    {{1}, {1}, {1}},
    {{7}, {7}, {7}},
    {{1037}, {1037}, {1037}},
    {{2, 1, 5, 1}, {3, 1, 7}, {2, 3, 5, 7}},
    {{1037}, {}, {1037}},
    {{}, {3, 1037}, {3, 1037}},
    {{3, 1037}, {1037}, {3, 1037}},
    {{3, 1}, {1, 1037}, {3, 1037}},
    {{4, 1, 3}, {5, 1}, {4, 5, 3}},
    {{2, 3, 4}, {2, 1, 4}, {2, 3, 4}},
    {{0, 3}, {3}, {0, 3}},
};

struct TypeRange {
  DType dtype;
  float lo, hi;
};

const TypeRange kArithTypes[] = {
    {DType::F32, -2, 2},       {DType::F64, -100, 100},
    {DType::I64, -1000, 1000}, {DType::I32, -1000, 1000},
    {DType::I8, -128, 127},    {DType::U8, 0, 255},
};

const char *const kAllKernels[] = {"onnx.Add",
                                   "onnx.Sub",
                                   "onnx.Mul",
                                   "onnx.Div",
                                   "onnx.Pow",
                                   "onnx.Equal",
                                   "onnx.Less",
                                   "onnx.Greater",
                                   "onnx.And",
                                   "onnx.Or",
                                   "onnx.Not",
                                   "onnx.Sqrt",
                                   "onnx.Relu",
                                   "onnx.Sin",
                                   "onnx.Cos",
                                   "onnx.Erf",
                                   "onnx.Exp",
                                   "onnx.Log",
                                   "onnx.Neg",
                                   "onnx.Abs",
                                   "onnx.Tanh",
                                   "onnx.Sigmoid",
                                   "onnx.Reciprocal",
                                   "onnx.Gelu",
                                   "onnx.Cast",
                                   "onnx.Where",
                                   "onnx.Identity",
                                   "onnx.Floor",
                                   "onnx.Ceil",
                                   "onnx.Round",
                                   "onnx.Tan",
                                   "onnx.Asin",
                                   "onnx.Acos",
                                   "onnx.Atan",
                                   "onnx.Sinh",
                                   "onnx.Cosh",
                                   "onnx.Asinh",
                                   "onnx.Acosh",
                                   "onnx.Atanh",
                                   "onnx.Mod",
                                   "onnx.Clip",
                                   "onnx.HardSigmoid",
                                   "onnx.HardSwish",
                                   "onnx.Swish",
                                   "onnx.LeakyRelu",
                                   "onnx.PRelu",
                                   "intr.channel_affine",
                                   "intr.fake_quantize",
                                   "onnx.Elu",
                                   "onnx.Selu",
                                   "onnx.Celu",
                                   "onnx.Softplus",
                                   "onnx.Mish"};

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

// Tests that every elementwise kernel of the CPU backend has a CUDA twin.
TEST(ElementwiseKernelsGpu, RegistersEveryCpuKernel) {
  for (const char *kernel : kAllKernels) {
    EXPECT_NE(cpu::KernelRegistry::cpu().find(kernel), nullptr) << kernel;
    EXPECT_NE(cuda::KernelRegistry::cuda().find(kernel), nullptr) << kernel;
  }
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

// Tests that Add, Sub, Mul and Div agree with the CPU for every arithmetic
// type and every broadcast shape, integer wrap-around included.
TEST(ElementwiseKernelsGpu, ArithmeticMatchesCpu) {
  for (const char *kernel : {"onnx.Add", "onnx.Sub", "onnx.Mul", "onnx.Div"}) {
    bool div = std::string(kernel) == "onnx.Div";
    for (const TypeRange &type : kArithTypes) {
      bool integer = type.dtype != DType::F32 && type.dtype != DType::F64;
      // Divisors away from zero: integer division by zero is refused on
      // the CPU only.
      float blo = div ? (integer ? 1.0f : 0.5f) : type.lo;
      float bhi = div ? (integer ? 9.0f : 3.0f) : type.hi;
      for (const BinaryShapes &shapes : kBinaryShapes) {
        SCOPED_TRACE(std::string(kernel) + " " + dtypeName(type.dtype) + " " +
                     formatShape(shapes.a) + " " + formatShape(shapes.b));
        KernelCase(kernel)
            .input(randomOf(type.dtype, shapes.a, type.lo, type.hi))
            .input(randomOf(type.dtype, shapes.b, blo, bhi))
            .output(type.dtype, shapes.out)
            .check();
      }
    }
  }
}

// Tests Mod of floats against the CPU, both signs' conventions, f32 and f64,
// every broadcast shape, and the edge cases: zero and infinite divisors,
// zero remainders.
TEST(ElementwiseKernelsGpu, ModMatchesCpu) {
  for (int64_t fmod : {0, 1})
    for (DType dtype : {DType::F32, DType::F64})
      for (const BinaryShapes &shapes : kBinaryShapes) {
        SCOPED_TRACE(std::to_string(fmod) + " " + dtypeName(dtype) + " " +
                     formatShape(shapes.a) + " " + formatShape(shapes.b));
        KernelCase("onnx.Mod")
            .input(randomOf(dtype, shapes.a, -20, 20))
            .input(randomOf(dtype, shapes.b, -3, 3))
            .output(dtype, shapes.out)
            .attr("fmod", ints({fmod}))
            .check();
      }
  const float inf = std::numeric_limits<float>::infinity();
  for (int64_t fmod : {0, 1})
    KernelCase("onnx.Mod")
        .input(tensorOf({6}, {5.5f, -5.5f, 4, -1, 1, 3}))
        .input(tensorOf({6}, {2, 2, -2, inf, -inf, 0}))
        .output(DType::F32, {6})
        .attr("fmod", ints({fmod}))
        .check();
}

// Tests that integer Div truncates toward zero, negative divisors included,
// and that INT_MIN / -1 wraps instead of trapping.
TEST(ElementwiseKernelsGpu, IntegerDivisionTruncatesAndWraps) {
  const int64_t lo64 = std::numeric_limits<int64_t>::min();
  KernelCase("onnx.Div")
      .input(int64TensorOf({6}, {7, -7, 7, -7, lo64, 5}))
      .input(int64TensorOf({6}, {2, 2, -2, -2, -1, -1}))
      .output(DType::I64, {6})
      .check();
  const int32_t lo32 = std::numeric_limits<int32_t>::min();
  const int32_t hi32 = std::numeric_limits<int32_t>::max();
  KernelCase("onnx.Div")
      .input(typedTensorOf<int32_t>(DType::I32, {4}, {hi32, lo32, 6, -9}))
      .input(typedTensorOf<int32_t>(DType::I32, {}, {-1}))
      .output(DType::I32, {4})
      .check();
  KernelCase("onnx.Div")
      .input(typedTensorOf<int8_t>(DType::I8, {3}, {-128, 127, -7}))
      .input(typedTensorOf<int8_t>(DType::I8, {3}, {-1, -1, 2}))
      .output(DType::I8, {3})
      .check();
  KernelCase("onnx.Add")
      .input(typedTensorOf<int32_t>(DType::I32, {2}, {hi32, lo32}))
      .input(typedTensorOf<int32_t>(DType::I32, {2}, {1, -1}))
      .output(DType::I32, {2})
      .check();
}

// Tests that an integer division by zero, which the CPU refuses after
// scanning the divisor, gives 0 on the GPU (its divisor is in device
// memory) and never faults.
TEST(ElementwiseKernelsGpu, IntegerDivisionByZeroGivesZero) {
  KernelCase step("onnx.Div");
  step.input(int64TensorOf({2, 2}, {4, 5, 6, 7}))
      .input(int64TensorOf({2}, {0, 2}))
      .output(DType::I64, {2, 2});
  Status s = step.runOnGpu();
  ASSERT_TRUE(s.isOk()) << s.error().message();
  const Tensor &out = step.gpuOutputs()[0];
  EXPECT_EQ(out.data<int64_t>()[0], 0);
  EXPECT_EQ(out.data<int64_t>()[1], 2);
  EXPECT_EQ(out.data<int64_t>()[2], 0);
  EXPECT_EQ(out.data<int64_t>()[3], 3);
}

// Tests that Pow agrees with the CPU for every pair of base and exponent
// types, with broadcasting.
TEST(ElementwiseKernelsGpu, PowMatchesCpuForEveryTypePair) {
  struct Case {
    DType base, exponent;
    float baseLo, baseHi, expLo, expHi;
  };
  const Case cases[] = {
      {DType::F32, DType::F32, 0.5f, 2, -2, 2},
      {DType::F32, DType::F64, 0.5f, 2, -2, 2},
      {DType::F32, DType::I64, -2, 2, 0, 4},
      {DType::F32, DType::I32, 0.5f, 2, -3, 3},
      {DType::F64, DType::F64, 0.5f, 2, -2, 2},
      {DType::F64, DType::F32, 0.5f, 2, -2, 2},
      {DType::F64, DType::I32, 1, 3, -3, 3},
      {DType::F64, DType::I64, -3, 3, 0, 5},
      {DType::I64, DType::I64, -3, 3, -2, 12},
      {DType::I64, DType::I32, -5, 5, 0, 30},
      {DType::I32, DType::I64, -3, 3, -2, 10},
      {DType::I32, DType::I32, -2, 2, 0, 40},
  };
  const BinaryShapes shapes[] = {{{7}, {7}, {7}},
                                 {{1037}, {}, {1037}},
                                 {{2, 1, 5, 1}, {3, 1, 7}, {2, 3, 5, 7}}};
  for (const Case &c : cases)
    for (const BinaryShapes &s : shapes) {
      SCOPED_TRACE(std::string(dtypeName(c.base)) + " ^ " +
                   dtypeName(c.exponent) + " " + formatShape(s.out));
      KernelCase("onnx.Pow")
          .input(randomOf(c.base, s.a, c.baseLo, c.baseHi))
          .input(randomOf(c.exponent, s.b, c.expLo, c.expHi))
          .output(c.base, s.out)
          .check();
    }
  // Integer bases with float exponents truncate the power; the exponents
  // are chosen so that no result lies within rounding of an integer.
  KernelCase("onnx.Pow")
      .input(int64TensorOf({2, 1}, {3, 10}))
      .input(tensorOf({4}, {0.5f, 1.5f, 2.5f, 0.25f}))
      .output(DType::I64, {2, 4})
      .check();
  KernelCase("onnx.Pow")
      .input(typedTensorOf<int32_t>(DType::I32, {3}, {2, 7, 5}))
      .input(typedTensorOf<double>(DType::F64, {3}, {0.5, 1.5, 1.5}))
      .output(DType::I32, {3})
      .check();
  // Negative integer exponents: only 1 and -1 stay non-zero.
  KernelCase("onnx.Pow")
      .input(int64TensorOf({5}, {1, -1, -1, 2, -3}))
      .input(int64TensorOf({5}, {-3, -3, -2, -1, -2}))
      .output(DType::I64, {5})
      .check();
}

// Tests that Equal, Less and Greater agree with the CPU for every type
// they support, with ties, broadcasting and NaNs (which compare false).
TEST(ElementwiseKernelsGpu, ComparisonsMatchCpu) {
  // Narrow integer ranges, so that many elements tie.
  const TypeRange types[] = {{DType::F32, -2, 2}, {DType::F64, -2, 2},
                             {DType::I64, -2, 2}, {DType::I32, -2, 2},
                             {DType::I8, -2, 2},  {DType::U8, 0, 3}};
  for (const char *kernel : {"onnx.Equal", "onnx.Less", "onnx.Greater"})
    for (const TypeRange &type : types)
      for (const BinaryShapes &shapes : kBinaryShapes) {
        SCOPED_TRACE(std::string(kernel) + " " + dtypeName(type.dtype) + " " +
                     formatShape(shapes.out));
        KernelCase(kernel)
            .input(randomOf(type.dtype, shapes.a, type.lo, type.hi))
            .input(randomOf(type.dtype, shapes.b, type.lo, type.hi))
            .output(DType::Bool, shapes.out)
            .check();
      }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const char *kernel : {"onnx.Equal", "onnx.Less", "onnx.Greater"})
    KernelCase(kernel)
        .input(tensorOf({2, 3}, {1, 2, 3, 4, nan, 6}))
        .input(tensorOf({3}, {1, nan, 4}))
        .output(DType::Bool, {2, 3})
        .check();
  // Equal on bools compares truth values.
  for (const BinaryShapes &shapes : kBinaryShapes)
    KernelCase("onnx.Equal")
        .input(randomTensor(shapes.a, 0, 1, DType::Bool))
        .input(randomTensor(shapes.b, 0, 1, DType::Bool))
        .output(DType::Bool, shapes.out)
        .check();
}

// Tests that And, Or and Not agree with the CPU, with broadcasting.
TEST(ElementwiseKernelsGpu, LogicMatchesCpu) {
  for (const char *kernel : {"onnx.And", "onnx.Or"})
    for (const BinaryShapes &shapes : kBinaryShapes)
      KernelCase(kernel)
          .input(randomTensor(shapes.a, 0, 1, DType::Bool))
          .input(randomTensor(shapes.b, 0, 1, DType::Bool))
          .output(DType::Bool, shapes.out)
          .check();
  for (const Shape &shape : {Shape{1}, Shape{7}, Shape{1037}, Shape{3, 5, 7}})
    KernelCase("onnx.Not")
        .input(randomTensor(shape, 0, 1, DType::Bool))
        .output(DType::Bool, shape)
        .check();
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

const Shape kUnaryShapes[] = {{1}, {7}, {1037}, {3, 5, 7}, {0, 4}};

// Tests that every unary math op agrees with the CPU on f32 and f64 over
// its domain.
TEST(ElementwiseKernelsGpu, UnaryFloatOpsMatchCpu) {
  struct Case {
    const char *kernel;
    float lo, hi;
  };
  const Case cases[] = {
      {"onnx.Sqrt", 0, 10},    {"onnx.Relu", -3, 3},
      {"onnx.Sin", -5, 5},     {"onnx.Cos", -5, 5},
      {"onnx.Erf", -3, 3},     {"onnx.Exp", -5, 5},
      {"onnx.Log", 0.01f, 10}, {"onnx.Neg", -3, 3},
      {"onnx.Abs", -3, 3},     {"onnx.Tanh", -4, 4},
      {"onnx.Sigmoid", -8, 8}, {"onnx.Reciprocal", 0.1f, 4},
      {"onnx.Floor", -9, 9},   {"onnx.Ceil", -9, 9},
      {"onnx.Round", -9, 9},   {"onnx.Tan", -1.4f, 1.4f},
      {"onnx.Asin", -1, 1},    {"onnx.Acos", -1, 1},
      {"onnx.Atan", -5, 5},    {"onnx.Sinh", -5, 5},
      {"onnx.Cosh", -5, 5},    {"onnx.Asinh", -5, 5},
      {"onnx.Acosh", 1, 10},   {"onnx.Atanh", -0.99f, 0.99f},
  };
  for (const Case &c : cases)
    for (DType dtype : {DType::F32, DType::F64})
      for (const Shape &shape : kUnaryShapes) {
        SCOPED_TRACE(std::string(c.kernel) + " " + dtypeName(dtype) + " " +
                     formatShape(shape));
        KernelCase(c.kernel)
            .input(randomOf(dtype, shape, c.lo, c.hi))
            .output(dtype, shape)
            .check();
      }
  // The values random ones miss: halves (Round goes to even), signed
  // zeros, NaN, infinities, the domains' edges (+-1 for Asin, Acos and
  // Atanh; Acosh's 1 and below), and one far out.
  const std::vector<double> specials = {
      -2.5,
      -1.5,
      -0.5,
      0.5,
      1.5,
      2.5,
      -0.0,
      0.0,
      1.0,
      -1.0,
      1.5,
      -1.5,
      0.75,
      1e30,
      -1e30,
      std::nan(""),
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity()};
  const std::vector<float> specialFloats(specials.begin(), specials.end());
  const Shape specialShape = {int64_t(specials.size())};
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.kernel) + " on special values");
    KernelCase(c.kernel)
        .input(typedTensorOf(DType::F32, specialShape, specialFloats))
        .output(DType::F32, specialShape)
        .check();
    KernelCase(c.kernel)
        .input(typedTensorOf(DType::F64, specialShape, specials))
        .output(DType::F64, specialShape)
        .check();
  }
  // Sigmoid neither overflows nor gives NaN far out.
  KernelCase("onnx.Sigmoid")
      .input(tensorOf({4}, {-1000.0f, 1000.0f, -88.0f, 88.0f}))
      .output(DType::F32, {4})
      .check();
}

// Tests that Neg, Abs and Relu agree with the CPU on integers, the most
// negative value included (which wraps to itself).
TEST(ElementwiseKernelsGpu, UnaryIntegerOpsMatchCpu) {
  for (const char *kernel : {"onnx.Neg", "onnx.Abs", "onnx.Relu"})
    for (DType dtype : {DType::I64, DType::I32, DType::I8})
      for (const Shape &shape : kUnaryShapes)
        KernelCase(kernel)
            .input(randomOf(dtype, shape, -128, 127))
            .output(dtype, shape)
            .check();
  for (const Shape &shape : kUnaryShapes)
    KernelCase("onnx.Abs")
        .input(randomOf(DType::U8, shape, 0, 255))
        .output(DType::U8, shape)
        .check();
  const int64_t lo = std::numeric_limits<int64_t>::min();
  for (const char *kernel : {"onnx.Neg", "onnx.Abs", "onnx.Relu"})
    KernelCase(kernel)
        .input(int64TensorOf({4}, {-3, 0, 5, lo}))
        .output(DType::I64, {4})
        .check();
}

// Tests that Gelu agrees with the CPU in both approximations (and the
// default, none) on f32 and f64.
TEST(ElementwiseKernelsGpu, GeluMatchesCpu) {
  for (DType dtype : {DType::F32, DType::F64})
    for (const Shape &shape : kUnaryShapes) {
      KernelCase("onnx.Gelu")
          .input(randomOf(dtype, shape, -4, 4))
          .output(dtype, shape)
          .check();
      for (const char *mode : {"none", "tanh"})
        KernelCase("onnx.Gelu")
            .input(randomOf(dtype, shape, -4, 4))
            .output(dtype, shape)
            .attr("approximate", str(mode))
            .check();
    }
}

// Tests that Clip gives the CPU's values exactly on f32, f64, f16 and
// bf16: both bounds, either, none, crossed bounds (every element the
// maximum) and NaN bounds (taken), over random values and the special
// ones.
TEST(ElementwiseKernelsGpu, ClipMatchesCpu) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Bounds {
    bool hasLo, hasHi;
    float lo, hi;
  };
  const Bounds cases[] = {{true, true, -1, 2},    {false, true, 0, 6},
                          {true, false, 0.5f, 0}, {false, false, 0, 0},
                          {true, true, 2, -1},    {true, true, nan, 1},
                          {true, true, 0, nan}};
  for (DType dtype : {DType::F32, DType::F64, DType::F16, DType::BF16})
    for (const Bounds &b : cases) {
      std::vector<Tensor> inputs;
      for (const Shape &shape : kUnaryShapes)
        inputs.push_back(randomOf(dtype, shape, -4, 4));
      Tensor special =
          tensorOf({6}, {nan, INFINITY, -INFINITY, -0.0f, 0.0f, 1e30f});
      inputs.push_back(dtype == DType::F32 ? special
                                           : castOnCpu(special, dtype));
      for (const Tensor &x : inputs) {
        SCOPED_TRACE(std::string(dtypeName(dtype)) + " " +
                     formatShape(x.shape()) + " lo " +
                     (b.hasLo ? std::to_string(b.lo) : "none") + " hi " +
                     (b.hasHi ? std::to_string(b.hi) : "none"));
        KernelCase step("onnx.Clip");
        step.input(x);
        auto bound = [&](float value) {
          Tensor t = tensorOf({}, {value});
          return dtype == DType::F32 ? t : castOnCpu(t, dtype);
        };
        if (b.hasLo)
          step.input(bound(b.lo));
        else
          step.noInput();
        if (b.hasHi)
          step.input(bound(b.hi));
        step.output(dtype, x.shape()).tolerance(0, 0).check();
      }
    }
}

// Tests that HardSigmoid (default and given alpha and beta) and HardSwish
// agree with the CPU on f32 and f64, the clamped ends and the corners
// included, and on f16 and bf16.
TEST(ElementwiseKernelsGpu, HardSigmoidAndHardSwishMatchCpu) {
  for (DType dtype : {DType::F32, DType::F64})
    for (const Shape &shape : kUnaryShapes) {
      Tensor x = randomOf(dtype, shape, -8, 8);
      KernelCase("onnx.HardSwish").input(x).output(dtype, shape).check();
      KernelCase("onnx.HardSigmoid").input(x).output(dtype, shape).check();
      KernelCase("onnx.HardSigmoid")
          .input(x)
          .output(dtype, shape)
          .attr("alpha", real(0.5))
          .attr("beta", real(0.25))
          .check();
    }
  Tensor corners = tensorOf({6}, {-3.0f, 3.0f, -2.5f, 2.5f, NAN, -INFINITY});
  for (const char *kernel : {"onnx.HardSwish", "onnx.HardSigmoid"})
    KernelCase(kernel).input(corners).output(DType::F32, {6}).check();
  // f16 and bf16 compute in f32 and round once, as the CPU does: within a
  // rounding of it (a fused multiply-add on one side may move the f32
  // result by an ulp).
  for (auto [dtype, rtol] : {std::pair(DType::F16, 1e-3), {DType::BF16, 8e-3}})
    for (const char *kernel : {"onnx.HardSwish", "onnx.HardSigmoid"}) {
      Tensor x = randomOf(dtype, {4099}, -8, 8);
      KernelCase(kernel)
          .input(x)
          .output(dtype, {4099})
          .tolerance(1e-6, rtol)
          .check();
    }
}

// Tests that LeakyRelu (its default alpha and another) gives the CPU's
// bits on f32, f64, f16 and bf16, signed zeros, infinities and NaN too.
TEST(ElementwiseKernelsGpu, LeakyReluMatchesCpu) {
  for (DType dtype : {DType::F32, DType::F64, DType::F16, DType::BF16})
    for (const Shape &shape : kUnaryShapes) {
      Tensor x = randomOf(dtype, shape, -8, 8);
      KernelCase("onnx.LeakyRelu")
          .input(x)
          .output(dtype, shape)
          .tolerance(0, 0)
          .check();
      KernelCase("onnx.LeakyRelu")
          .input(x)
          .output(dtype, shape)
          .attr("alpha", real(0.2))
          .tolerance(0, 0)
          .check();
    }
  KernelCase("onnx.LeakyRelu")
      .input(tensorOf({5}, {-0.0f, 0.0f, -INFINITY, INFINITY, NAN}))
      .output(DType::F32, {5})
      .tolerance(0, 0)
      .check();
}

// Tests that Elu, Selu and Celu (default parameters and others), Softplus
// and Mish agree with the CPU on f32 and f64, where e^x saturates and near
// 0 (where e^x - 1 cancels) too, signed zeros, infinities and NaN: the CUDA
// math library's expm1, log1p and exp against the CPU's polynomials, within
// a few ulp (1e-6 relative, 1e-30 absolute where e^x leaves the normal
// floats); on f16 and bf16 within a rounding of the CPU.
TEST(ElementwiseKernelsGpu, ExponentialActivationsMatchCpu) {
  cpu::AttrMap alpha, seluParameters;
  alpha.set("alpha", real(0.5));
  seluParameters.set("alpha", real(2.0));
  seluParameters.set("gamma", real(0.5));
  const std::pair<const char *, cpu::AttrMap> cases[] = {
      {"onnx.Elu", cpu::AttrMap()},      {"onnx.Elu", alpha},
      {"onnx.Selu", cpu::AttrMap()},     {"onnx.Selu", seluParameters},
      {"onnx.Celu", cpu::AttrMap()},     {"onnx.Celu", alpha},
      {"onnx.Softplus", cpu::AttrMap()}, {"onnx.Mish", cpu::AttrMap()}};
  Tensor specials = tensorOf({10}, {-0.0f, 0.0f, -INFINITY, INFINITY, NAN,
                                    -1e-6f, 1e-6f, -90.0f, 90.0f, -0.3f});
  for (const auto &[kernel, attrs] : cases) {
    SCOPED_TRACE(kernel);
    auto check = [&, kernel = kernel, attrs = attrs](const Tensor &x,
                                                     double atol, double rtol) {
      KernelCase step(kernel);
      step.input(x).output(x.dtype(), x.shape()).tolerance(atol, rtol);
      for (const auto &[name, value] : attrs.all())
        step.attr(name, value);
      step.check();
    };
    for (DType dtype : {DType::F32, DType::F64})
      for (const Shape &shape : kUnaryShapes) {
        check(randomOf(dtype, shape, -100, 100), 1e-30, 1e-6);
        check(randomOf(dtype, shape, -4, 4), 1e-30, 1e-6);
      }
    check(specials, 1e-30, 1e-6);
    for (auto [dtype, rtol] :
         {std::pair(DType::F16, 1e-3), {DType::BF16, 8e-3}})
      check(randomOf(dtype, {4099}, -8, 8), 1e-6, rtol);
  }
}

// Tests that PRelu gives the CPU's bits with its slope per channel, one
// value and of X's shape, on floats and integers.
TEST(ElementwiseKernelsGpu, PReluMatchesCpu) {
  const Shape shape = {2, 3, 5, 7};
  for (const TypeRange &t : kArithTypes)
    for (const Shape &slopeShape : {Shape{3, 1, 1}, Shape{}, shape}) {
      SCOPED_TRACE(std::string(dtypeName(t.dtype)) + " slope " +
                   formatShape(slopeShape));
      KernelCase("onnx.PRelu")
          .input(randomOf(t.dtype, shape, t.lo, t.hi))
          .input(randomOf(t.dtype, slopeShape, t.lo, t.hi))
          .output(t.dtype, shape)
          .tolerance(0, 0)
          .check();
    }
}

// Tests that channel_affine (DenseNet's batch norm and ReLU) agrees with the
// CPU, NCHW and channels last, with and without the ReLU, on f32 and on f16
// and bf16 images (in f32, rounded once: within a rounding of the CPU).
TEST(ElementwiseKernelsGpu, ChannelAffineMatchesCpu) {
  const std::pair<Shape, bool> layouts[] = {{{2, 5, 7, 9}, false},
                                            {{2, 7, 9, 5}, true}};
  const std::tuple<DType, double> types[] = {
      {DType::F32, 1e-5}, {DType::F16, 1e-3}, {DType::BF16, 8e-3}};
  Tensor scale = randomTensor({5}, -2, 2), shift = randomTensor({5}, -1, 1);
  for (auto [shape, last] : layouts)
    for (auto [dtype, rtol] : types)
      for (const char *activation : {"none", "relu"}) {
        SCOPED_TRACE(std::string(dtypeName(dtype)) + " " + activation +
                     (last ? " channels last" : ""));
        KernelCase("intr.channel_affine")
            .input(randomOf(dtype, shape, -4, 4))
            .input(scale)
            .input(shift)
            .output(dtype, shape)
            .attr("activation", str(activation))
            .attr("channels_last", ints({last ? 1 : 0}))
            .tolerance(1e-6, rtol)
            .check();
      }
}

// Tests that fake_quantize (a quantization round trip) gives the CPU's
// bits: random values, both bounds, halves, quotients rounding to -0,
// zeros of either sign, infinities, NaN and subnormals; int8 and uint8
// ranges with zero points; scales of either sign, zero, infinite, NaN,
// subnormal.
TEST(ElementwiseKernelsGpu, FakeQuantizeMatchesCpu) {
  for (auto [scale, low, high] :
       {std::tuple<float, int64_t, int64_t>(0.0235f, -131, 124),
        {0.5f, -128, 127},
        {3e-3f, -200, 55},
        {-0.25f, -128, 127},
        {0.0f, 0, 255},
        {INFINITY, -5, 9},
        {NAN, -128, 127},
        {1e-40f, -128, 127}}) {
    const float spread =
        std::isfinite(scale) && scale != 0.0f ? 400 * std::fabs(scale) : 400.0f;
    Tensor x = randomOf(DType::F32, {4099}, -spread, spread);
    Tensor specials =
        tensorOf({14}, {-2.5f * scale, -1.5f * scale, -0.5f * scale,
                        -0.25f * scale, 0.5f * scale, 1.5f * scale,
                        (low - 0.5f) * scale, (high + 0.5f) * scale, 0.0f,
                        -0.0f, INFINITY, -INFINITY, NAN, 1e-45f});
    for (const Tensor &input : {x, specials})
      KernelCase("intr.fake_quantize")
          .input(input)
          .output(DType::F32, input.shape())
          .attr("scale", real(scale))
          .attr("low", ints({low}))
          .attr("high", ints({high}))
          .tolerance(0, 0)
          .check();
  }
}

// Tests that Swish (the SiLU, and alpha given) agrees with the CPU on f32
// and f64, and far out, where the sigmoid saturates, as the Sigmoid does;
// on f16 and bf16 (widened, rounded once) within a rounding of it.
TEST(ElementwiseKernelsGpu, SwishMatchesCpu) {
  for (DType dtype : {DType::F32, DType::F64})
    for (const Shape &shape : kUnaryShapes) {
      Tensor x = randomOf(dtype, shape, -8, 8);
      KernelCase("onnx.Swish").input(x).output(dtype, shape).check();
      KernelCase("onnx.Swish")
          .input(x)
          .output(dtype, shape)
          .attr("alpha", real(1.702))
          .check();
    }
  KernelCase("onnx.Swish")
      .input(tensorOf({5}, {-1000.0f, 1000.0f, -88.0f, 88.0f, NAN}))
      .output(DType::F32, {5})
      .check();
  for (auto [dtype, rtol] : {std::pair(DType::F16, 1e-3), {DType::BF16, 8e-3}})
    for (const Shape &shape : kUnaryShapes)
      KernelCase("onnx.Swish")
          .input(randomOf(dtype, shape, -8, 8))
          .output(dtype, shape)
          .tolerance(1e-6, rtol)
          .check();
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

const DType kAllTypes[] = {DType::F32,  DType::F64, DType::F16,
                           DType::BF16, DType::I64, DType::I32,
                           DType::I8,   DType::U8,  DType::Bool};

/// Source values that leave every target's range now and then.
Tensor castSource(DType dtype, const Shape &shape) {
  if (dtype == DType::Bool)
    return randomTensor(shape, 0, 1, DType::Bool);
  return randomOf(dtype, shape, -300, 300);
}

// Tests that Cast between every pair of element types gives the CPU's
// exact results: rounding to nearest even, truncation and saturation,
// wrapping, truth values.
TEST(ElementwiseKernelsGpu, CastMatchesCpuForEveryTypePair) {
  for (DType from : kAllTypes)
    for (DType to : kAllTypes)
      for (const Shape &shape : {Shape{7}, Shape{1037}, Shape{2, 3, 5, 7}}) {
        SCOPED_TRACE(std::string(dtypeName(from)) + " -> " + dtypeName(to) +
                     " " + formatShape(shape));
        expectExactlyAsCpu("onnx.Cast", {castSource(from, shape)}, to, shape,
                           castAttrs(to));
      }
}

// Tests that the edges of Cast match the CPU exactly: half's overflow,
// subnormals and ties, one rounding from f64, every half and bfloat16 bit
// pattern, infinities and NaN into integers and bools.
TEST(ElementwiseKernelsGpu, CastSpecialValuesMatchCpu) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> values = {1.0f,
                               -2.0f,
                               0.0f,
                               -0.0f,
                               65504.0f,
                               65519.0f,
                               65520.0f,
                               inf,
                               -inf,
                               nan,
                               std::ldexp(1.0f, -24),
                               std::ldexp(1.0f, -26),
                               std::ldexp(3.0f, -26),
                               1.0f + std::ldexp(1.0f, -11),
                               1.0f + std::ldexp(3.0f, -11),
                               1.0f + std::ldexp(1.0f, -8),
                               1.0f + std::ldexp(3.0f, -8),
                               0.1f,
                               std::ldexp(1023.0f, -24),
                               3.0e38,
                               1e20,
                               -1e20,
                               -1.7f,
                               2.9f,
                               255.5f,
                               -128.9f};
  int64_t n = static_cast<int64_t>(values.size());
  Tensor f32 = tensorOf({n}, values);
  for (DType to : kAllTypes) {
    SCOPED_TRACE(std::string("f32 -> ") + dtypeName(to));
    expectExactlyAsCpu("onnx.Cast", {f32}, to, {n}, castAttrs(to));
  }
  // F64 rounds once, straight to half.
  Tensor f64 = typedTensorOf<double>(
      DType::F64, {3},
      {1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40), 1e300, -1e-300});
  for (DType to : kAllTypes)
    expectExactlyAsCpu("onnx.Cast", {f64}, to, {3}, castAttrs(to));
  // Every half and bfloat16 bit pattern widens and narrows back as on the
  // CPU, NaNs and subnormals included.
  std::vector<uint16_t> all(0x10000);
  for (uint32_t bits = 0; bits < 0x10000; ++bits)
    all[bits] = static_cast<uint16_t>(bits);
  for (DType small : {DType::F16, DType::BF16}) {
    Tensor every = typedTensorOf<uint16_t>(small, {0x10000}, all);
    for (DType to : kAllTypes)
      expectExactlyAsCpu("onnx.Cast", {every}, to, {0x10000}, castAttrs(to));
  }
  // Wide integers wrap into narrow ones.
  Tensor big = int64TensorOf({4}, {(int64_t(1) << 32) + 5, -1, 300, -129});
  for (DType to : kAllTypes)
    expectExactlyAsCpu("onnx.Cast", {big}, to, {4}, castAttrs(to));
}

//===----------------------------------------------------------------------===//
// Where and Identity
//===----------------------------------------------------------------------===//

// Tests that Where agrees with the CPU with three-way broadcasting, for
// element types of every size.
TEST(ElementwiseKernelsGpu, WhereMatchesCpu) {
  struct Case {
    Shape condition, x, y, out;
  };
  const Case cases[] = {
      {{1037}, {1037}, {1037}, {1037}},
      {{7}, {1}, {7}, {7}},
      {{2, 1, 5, 1}, {3, 1, 7}, {}, {2, 3, 5, 7}},
      {{3, 1}, {1, 1037}, {3, 1037}, {3, 1037}},
      {{2, 1, 1}, {}, {1, 3, 4}, {2, 3, 4}},
      {{1}, {1}, {1}, {1}},
      {{0, 2}, {2}, {1}, {0, 2}},
  };
  for (DType dtype : {DType::F32, DType::F64, DType::F16, DType::I64,
                      DType::I32, DType::I8, DType::Bool})
    for (const Case &c : cases) {
      SCOPED_TRACE(std::string(dtypeName(dtype)) + " " + formatShape(c.out));
      Tensor x = dtype == DType::Bool ? randomTensor(c.x, 0, 1, dtype)
                                      : randomOf(dtype, c.x, -100, 100);
      Tensor y = dtype == DType::Bool ? randomTensor(c.y, 0, 1, dtype)
                                      : randomOf(dtype, c.y, -100, 100);
      KernelCase("onnx.Where")
          .input(randomTensor(c.condition, 0, 1, DType::Bool))
          .input(x)
          .input(y)
          .output(dtype, c.out)
          .check();
    }
}

// Tests that Identity copies every element type and size, empty included.
TEST(ElementwiseKernelsGpu, IdentityCopies) {
  for (DType dtype :
       {DType::F32, DType::F64, DType::F16, DType::I64, DType::I8, DType::Bool})
    for (const Shape &shape : kUnaryShapes) {
      Tensor in = dtype == DType::Bool ? randomTensor(shape, 0, 1, dtype)
                                       : randomOf(dtype, shape, -100, 100);
      KernelCase("onnx.Identity").input(in).output(dtype, shape).check();
    }
}

// Tests that a broadcast of many dimensions works when merging neighbours
// brings it within the supported rank.
TEST(ElementwiseKernelsGpu, HighRankBroadcastThatMerges) {
  Shape a = {1, 2, 1, 3, 1, 4, 1, 5, 1, 6}, b = {5, 1, 6};
  KernelCase("onnx.Mul")
      .input(randomTensor(a))
      .input(randomTensor(b))
      .output(DType::F32, a)
      .check();
  Shape same = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
  KernelCase("onnx.Add")
      .input(randomTensor(same))
      .input(randomTensor(same))
      .output(DType::F32, same)
      .check();
}

//===----------------------------------------------------------------------===//
// Malformed steps
//===----------------------------------------------------------------------===//

// Tests that binary ops refuse wrong operand and result counts, mixed
// element types, shapes that do not broadcast and wrong result shapes.
TEST(ElementwiseKernelsGpu, BinaryOpsRefuseMalformedSteps) {
  Tensor a = randomTensor({2, 3}), b = randomTensor({4});
  Tensor i = randomTensor({2, 3}, -5, 5, DType::I64);
  expectSomeError(KernelCase("onnx.Add").input(a).output(DType::F32, {2, 3}),
                  "one operand");
  expectSomeError(KernelCase("onnx.Add")
                      .input(a)
                      .input(a)
                      .input(a)
                      .output(DType::F32, {2, 3}),
                  "three operands");
  expectSomeError(KernelCase("onnx.Add").input(a).input(a), "no result");
  expectSomeError(KernelCase("onnx.Add")
                      .input(a)
                      .input(a)
                      .output(DType::F32, {2, 3})
                      .output(DType::F32, {2, 3}),
                  "two results");
  expectSomeError(
      KernelCase("onnx.Add").input(a).input(b).output(DType::F32, {2, 3}),
      "shapes that do not broadcast");
  expectSomeError(
      KernelCase("onnx.Add").input(a).input(a).output(DType::F32, {3, 2}),
      "wrong result shape");
  expectSomeError(
      KernelCase("onnx.Add").input(a).input(a).output(DType::F32, {1, 2, 3}),
      "result of a higher rank");
  expectSomeError(
      KernelCase("onnx.Sub").input(a).input(i).output(DType::F32, {2, 3}),
      "mixed operand types");
  expectSomeError(
      KernelCase("onnx.Mul").input(a).input(a).output(DType::I64, {2, 3}),
      "wrong result type");
  expectSomeError(KernelCase("onnx.Div")
                      .input(randomTensor({2}, 0, 1, DType::Bool))
                      .input(randomTensor({2}, 0, 1, DType::Bool))
                      .output(DType::Bool, {2}),
                  "bool arithmetic");
  expectSomeError(
      KernelCase("onnx.Less").input(a).input(a).output(DType::F32, {2, 3}),
      "comparison with a non-bool result");
  expectSomeError(
      KernelCase("onnx.And").input(a).input(a).output(DType::Bool, {2, 3}),
      "And on floats");
  expectSomeError(
      KernelCase("onnx.Equal").input(a).input(b).output(DType::Bool, {2, 3}),
      "comparison of shapes that do not broadcast");
  expectSomeError(KernelCase("onnx.Pow")
                      .input(randomTensor({3}, -3, 3, DType::I8))
                      .input(randomTensor({3}, 0, 3, DType::I8))
                      .output(DType::I8, {3}),
                  "Pow of i8");
  expectSomeError(KernelCase("onnx.Pow")
                      .input(a)
                      .input(randomTensor({2, 3}, 0, 3, DType::U8))
                      .output(DType::F32, {2, 3}),
                  "Pow with a u8 exponent");
  expectSomeError(
      KernelCase("onnx.Pow").input(a).input(a).output(DType::F64, {2, 3}),
      "Pow with a result of another type");
}

// Tests that a broadcast with more dimensions after merging than the CUDA
// kernels index is refused rather than mis-indexed.
TEST(ElementwiseKernelsGpu, RefusesBroadcastBeyondSupportedRank) {
  Shape a = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1}, b = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
  Shape out(10, 2);
  expectSomeError(KernelCase("onnx.Add")
                      .input(randomTensor(a))
                      .input(randomTensor(b))
                      .output(DType::F32, out),
                  "ten alternating broadcast dimensions");
}

// Tests that unary ops, Gelu, Cast, Where and Identity refuse unsupported
// types, wrong shapes and bad attributes.
TEST(ElementwiseKernelsGpu, UnaryOpsRefuseMalformedSteps) {
  Tensor a = randomTensor({2, 3});
  Tensor i = randomTensor({2, 3}, -5, 5, DType::I64);
  expectSomeError(KernelCase("onnx.Sqrt").input(i).output(DType::I64, {2, 3}),
                  "Sqrt of i64");
  expectSomeError(KernelCase("onnx.Neg")
                      .input(randomTensor({2}, 0, 9, DType::U8))
                      .output(DType::U8, {2}),
                  "Neg of u8");
  expectSomeError(KernelCase("onnx.Not").input(a).output(DType::F32, {2, 3}),
                  "Not of f32");
  expectSomeError(KernelCase("onnx.Exp").input(a).output(DType::F32, {3, 2}),
                  "wrong result shape");
  expectSomeError(KernelCase("onnx.Exp").input(a).output(DType::F64, {2, 3}),
                  "wrong result type");
  expectSomeError(KernelCase("onnx.Exp").output(DType::F32, {2, 3}),
                  "no operand");
  expectSomeError(
      KernelCase("onnx.Exp").input(a).input(a).output(DType::F32, {2, 3}),
      "two operands");
  expectSomeError(KernelCase("onnx.Gelu")
                      .input(a)
                      .output(DType::F32, {2, 3})
                      .attr("approximate", str("sigmoid")),
                  "unknown Gelu approximation");
  expectSomeError(KernelCase("onnx.Gelu").input(i).output(DType::I64, {2, 3}),
                  "Gelu of i64");
  expectSomeError(KernelCase("onnx.Clip").input(i).output(DType::I64, {2, 3}),
                  "Clip of i64");
  expectSomeError(KernelCase("onnx.Clip")
                      .input(a)
                      .input(randomTensor({2}))
                      .output(DType::F32, {2, 3}),
                  "Clip with a min of two elements");
  expectSomeError(KernelCase("onnx.Cast")
                      .input(a)
                      .output(DType::I32, {2, 3})
                      .attr("to", ints({7})),
                  "Cast whose result is not its target");
  expectSomeError(KernelCase("onnx.Cast")
                      .input(a)
                      .output(DType::I32, {2, 3})
                      .attr("to", ints({8})),
                  "Cast to strings");
  expectSomeError(KernelCase("onnx.Cast").input(a).output(DType::I32, {2, 3}),
                  "Cast without a target");
  expectSomeError(KernelCase("onnx.Cast")
                      .input(a)
                      .output(DType::I64, {6})
                      .attr("to", ints({7})),
                  "Cast to another shape");
  expectSomeError(KernelCase("onnx.Identity").input(i).output(DType::I64, {6}),
                  "Identity to another shape");
  expectSomeError(
      KernelCase("onnx.Identity").input(i).output(DType::F64, {2, 3}),
      "Identity to another type");
  Tensor condition = randomTensor({2, 3}, 0, 1, DType::Bool);
  expectSomeError(KernelCase("onnx.Where")
                      .input(a)
                      .input(a)
                      .input(a)
                      .output(DType::F32, {2, 3}),
                  "Where with a float condition");
  expectSomeError(KernelCase("onnx.Where")
                      .input(condition)
                      .input(a)
                      .input(i)
                      .output(DType::F32, {2, 3}),
                  "Where of mixed types");
  expectSomeError(KernelCase("onnx.Where")
                      .input(condition)
                      .input(a)
                      .input(randomTensor({4}))
                      .output(DType::F32, {2, 3}),
                  "Where of shapes that do not broadcast");
  expectSomeError(KernelCase("onnx.Where")
                      .input(condition)
                      .input(a)
                      .output(DType::F32, {2, 3}),
                  "Where with two operands");
}

} // namespace
