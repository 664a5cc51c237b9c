//===- ReduceKernelsGpuTest.cpp - CUDA reductions, CumSum, TopK vs CPU ----===//
//
// ReduceSum, ReduceMean, ReduceMax, CumSum and TopK on the GPU against their
// CPU twins: every subset of axes, axes as an attribute or as an operand,
// both kernel shapes (a thread or a block per result), every element type,
// empty reductions, TopK's ties and NaN; plus the malformed steps that must
// be refused.
//
//===----------------------------------------------------------------------===//

#include "CUDA/CudaKernel.h"
#include "GpuKernelCase.h"

#include <gtest/gtest.h>

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

const char *const kReductions[] = {"onnx.ReduceSum", "onnx.ReduceMean",
                                   "onnx.ReduceMax", "onnx.ReduceProd"};

/// The result shape of reducing `shape` over `reduced`.
Shape reducedShape(const Shape &shape, const std::vector<bool> &reduced,
                   bool keepdims) {
  Shape out;
  for (size_t d = 0; d < shape.size(); ++d)
    if (!reduced[d])
      out.push_back(shape[d]);
    else if (keepdims)
      out.push_back(1);
  return out;
}

/// Random f32 values for `kernel` to reduce: in [-1, 1), or for a product
/// near 1 with either sign, so that products of thousands neither vanish
/// within the tolerance (of [-1, 1) they would all be about 0) nor
/// overflow.
Tensor reductionInput(const char *kernel, const Shape &shape) {
  if (std::strcmp(kernel, "onnx.ReduceProd") != 0)
    return randomTensor(shape, -1, 1);
  Tensor in = randomTensor(shape, 0.99f, 1.01f);
  float *values = in.data<float>();
  for (int64_t i = 0; i < in.numElements(); i += 3)
    values[i] = -values[i];
  return in;
}

/// Checks a reduction of `in` over `axes`, given as an i64 operand.
void checkReduction(const char *kernel, const Tensor &in,
                    const std::vector<int64_t> &axes, bool keepdims) {
  std::vector<bool> reduced(in.rank(), axes.empty());
  for (int64_t axis : axes)
    reduced[axis < 0 ? axis + in.rank() : axis] = true;
  SCOPED_TRACE(std::string(kernel) + " of " + formatShape(in.shape()) +
               " over " + formatShape(axes) + (keepdims ? " keepdims" : ""));
  KernelCase(kernel)
      .input(in)
      .input(int64TensorOf({int64_t(axes.size())}, axes))
      .output(in.dtype(), reducedShape(in.shape(), reduced, keepdims))
      .attr("keepdims", ints({keepdims}))
      .attr("noop_with_empty_axes", ints({0}))
      .check();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

// Tests that every reduction kernel of the CPU backend has a CUDA twin.
TEST(ReduceKernelsGpu, RegistersEveryCpuKernel) {
  for (const char *kernel :
       {"onnx.ReduceSum", "onnx.ReduceMean", "onnx.ReduceMax",
        "onnx.ReduceProd", "onnx.CumSum", "onnx.TopK"}) {
    EXPECT_NE(cpu::KernelRegistry::cpu().find(kernel), nullptr) << kernel;
    EXPECT_NE(cuda::KernelRegistry::cuda().find(kernel), nullptr) << kernel;
  }
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// Tests that reducing every subset of the axes of a 4-D input agrees with
// the CPU, with and without keepdims, with axes as an operand (some
// negative) and as an attribute.
TEST(ReduceKernelsGpu, EveryAxisSubsetMatchesCpu) {
  const Shape shape = {3, 4, 5, 2};
  for (const char *kernel : kReductions) {
    Tensor in = reductionInput(kernel, shape);
    for (int mask = 0; mask < 16; ++mask)
      for (bool keepdims : {false, true}) {
        std::vector<int64_t> axes;
        std::vector<bool> reduced(4);
        for (int d = 0; d < 4; ++d) {
          // Empty axes reduce everything.
          reduced[d] = mask == 0 || (mask >> d & 1);
          if (mask >> d & 1)
            axes.push_back(d % 2 ? d - 4 : d);
        }
        checkReduction(kernel, in, axes, keepdims);
        // Opset 13: an attribute and no operand.
        Shape out = reducedShape(shape, reduced, keepdims);
        KernelCase step(kernel);
        step.input(in)
            .noInput()
            .output(DType::F32, out)
            .attr("keepdims", ints({keepdims}));
        if (!axes.empty())
          step.attr("axes", ints(axes));
        step.check();
      }
  }
}

// Tests that reductions large enough for every kernel shape agree with the
// CPU: the head mean of attention maps (a middle axis), row means, a
// reduction of everything, reductions over an outer axis with few and with
// many results, and a squeeze-and-excitation's mean over the pixels of an
// NHWC image (the middle axes, the channels innermost).
TEST(ReduceKernelsGpu, LargeReductionsMatchCpu) {
  struct Case {
    Shape shape;
    std::vector<int64_t> axes;
  };
  const Case cases[] = {
      {{2, 8, 50, 300}, {1}},
      {{600, 700}, {1}},
      {{3, 200, 1000}, {0, 2}},
      {{1037}, {0}},
      {{1, 1037, 7}, {1}},
      {{7, 1037}, {0}},
      {{40000, 3}, {1}},
      {{64, 40000}, {0}},
      {{300, 3, 50}, {0, 2}},
      {{5, 6, 7, 8, 9}, {1, 3}},
      {{2, 3, 4, 5, 6}, {0, 2, 4}},
      {{1, 56, 56, 96}, {1, 2}},
      {{2, 7, 7, 1152}, {1, 2}},
  };
  for (const Case &c : cases)
    for (const char *kernel : kReductions) {
      Tensor in = reductionInput(kernel, c.shape);
      for (bool keepdims : {false, true})
        checkReduction(kernel, in, c.axes, keepdims);
    }
}

// Tests that every element type of each reduction agrees with the CPU:
// sums and means of f64, i64 and i32 (means truncate toward zero), maxima
// of every type including bool.
TEST(ReduceKernelsGpu, EveryElementTypeMatchesCpu) {
  struct Case {
    Shape shape;
    std::vector<int64_t> axes;
  };
  const Case cases[] = {
      {{4, 1037}, {1}}, {{4, 1037}, {0}}, {{2, 3, 5, 7}, {1, 3}}, {{7}, {0}}};
  for (const Case &c : cases) {
    for (DType dtype : {DType::F64, DType::I64, DType::I32})
      for (const char *kernel : {"onnx.ReduceSum", "onnx.ReduceMean"})
        checkReduction(kernel, randomTensor(c.shape, -1000, 1000, dtype),
                       c.axes, true);
    // Integer products wrap around (modulo 2^64, then narrowed): of odd
    // factors, which neither a zero nor 64 factors of two make 0.
    Tensor random = randomTensor(c.shape, -3, 3, DType::I64);
    std::vector<int64_t> odd64(random.numElements());
    std::vector<int32_t> odd32(odd64.size());
    for (size_t i = 0; i < odd64.size(); ++i)
      odd32[i] = int32_t(odd64[i] = 2 * random.data<int64_t>()[i] + 1);
    checkReduction("onnx.ReduceProd", typedTensorOf(DType::I64, c.shape, odd64),
                   c.axes, false);
    checkReduction("onnx.ReduceProd", int32TensorOf(c.shape, odd32), c.axes,
                   false);
    for (DType dtype : {DType::F64, DType::I64, DType::I32})
      checkReduction("onnx.ReduceMax",
                     randomTensor(c.shape, -1000, 1000, dtype), c.axes, false);
    checkReduction("onnx.ReduceMax",
                   randomTensor(c.shape, -128, 127, DType::I8), c.axes, false);
    checkReduction("onnx.ReduceMax", randomTensor(c.shape, 0, 255, DType::U8),
                   c.axes, false);
    checkReduction("onnx.ReduceMax", randomTensor(c.shape, 0, 1, DType::Bool),
                   c.axes, false);
  }
  // Integer sums wrap around.
  const int32_t hi = std::numeric_limits<int32_t>::max();
  KernelCase("onnx.ReduceSum")
      .input(int32TensorOf({3}, {hi, 1, 0}))
      .noInput()
      .output(DType::I32, {})
      .attr("keepdims", ints({0}))
      .check();
  // Sparse bools: a block's maximum comes from a single true.
  std::vector<uint8_t> bools(4 * 1037, 0);
  bools[1036] = 1;
  bools[2 * 1037 + 5] = 1;
  KernelCase("onnx.ReduceMax")
      .input(typedTensorOf(DType::Bool, {4, 1037}, bools))
      .input(int64TensorOf({1}, {1}))
      .output(DType::Bool, {4})
      .attr("keepdims", ints({0}))
      .check();
}

// Tests that every form axes take agrees with the CPU: an omitted operand,
// an empty operand beside an attribute, an i32 operand, and empty axes with
// and without noop_with_empty_axes.
TEST(ReduceKernelsGpu, AxesFormsMatchCpu) {
  for (const char *kernel : kReductions) {
    Tensor in = reductionInput(kernel, {2, 3, 1037});
    // Only the data operand.
    KernelCase(kernel)
        .input(in)
        .output(DType::F32, {2, 3})
        .attr("axes", ints({-1}))
        .attr("keepdims", ints({0}))
        .check();
    // An empty operand leaves the attribute in charge.
    KernelCase(kernel)
        .input(in)
        .input(int64TensorOf({0}, {}))
        .output(DType::F32, {2, 1, 1037})
        .attr("axes", ints({1}))
        .check();
    KernelCase(kernel)
        .input(in)
        .input(int32TensorOf({2}, {2, 0}))
        .output(DType::F32, {3})
        .attr("keepdims", ints({0}))
        .check();
    // Empty axes: the identity with noop_with_empty_axes, else everything.
    KernelCase(kernel)
        .input(in)
        .input(int64TensorOf({0}, {}))
        .output(DType::F32, {2, 3, 1037})
        .attr("noop_with_empty_axes", ints({1}))
        .check();
    KernelCase(kernel)
        .input(in)
        .noInput()
        .output(DType::F32, {2, 3, 1037})
        .attr("noop_with_empty_axes", ints({1}))
        .check();
    KernelCase(kernel)
        .input(in)
        .input(int64TensorOf({0}, {}))
        .output(DType::F32, {1, 1, 1})
        .check();
    KernelCase(kernel)
        .input(in)
        .output(DType::F32, {})
        .attr("keepdims", ints({0}))
        .check();
  }
}

// Tests that reductions with nothing to reduce or nothing to produce agree
// with the CPU: an empty sum is 0, an empty integer mean 0, an empty integer
// maximum the lowest value; reducing size-1 axes copies.
TEST(ReduceKernelsGpu, EmptyAndTrivialReductionsMatchCpu) {
  KernelCase("onnx.ReduceSum")
      .input(randomTensor({0, 3}))
      .input(int64TensorOf({1}, {0}))
      .output(DType::F32, {3})
      .attr("keepdims", ints({0}))
      .check();
  KernelCase("onnx.ReduceMean")
      .input(randomTensor({0, 3}, -5, 5, DType::I64))
      .input(int64TensorOf({1}, {0}))
      .output(DType::I64, {1, 3})
      .check();
  KernelCase("onnx.ReduceMax")
      .input(randomTensor({3, 0}, -5, 5, DType::I32))
      .input(int64TensorOf({1}, {1}))
      .output(DType::I32, {3, 1})
      .check();
  // An empty product is 1.
  KernelCase("onnx.ReduceProd")
      .input(randomTensor({0, 3}))
      .input(int64TensorOf({1}, {0}))
      .output(DType::F32, {3})
      .attr("keepdims", ints({0}))
      .check();
  KernelCase("onnx.ReduceProd")
      .input(randomTensor({0, 3}, -5, 5, DType::I64))
      .input(int64TensorOf({1}, {0}))
      .output(DType::I64, {3})
      .attr("keepdims", ints({0}))
      .check();
  // Nothing to produce.
  KernelCase("onnx.ReduceSum")
      .input(randomTensor({3, 0}))
      .input(int64TensorOf({1}, {0}))
      .output(DType::F32, {0})
      .attr("keepdims", ints({0}))
      .check();
  // Size-1 axes only.
  for (const char *kernel : kReductions)
    KernelCase(kernel)
        .input(randomTensor({1, 1037, 1}))
        .input(int64TensorOf({2}, {0, 2}))
        .output(DType::F32, {1037})
        .attr("keepdims", ints({0}))
        .check();
}

// Tests that ReduceMax propagates NaN as the CPU does, checked by hand
// since NaN never compares equal.
TEST(ReduceKernelsGpu, MaxPropagatesNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> values(2 * 300, 0.5f);
  values[0] = nan;       // First element of column 0.
  values[300 + 1] = nan; // Second row of column 1.
  values[2] = 7.0f;
  for (int64_t axis : {0, 1}) {
    KernelCase step("onnx.ReduceMax");
    step.input(tensorOf({2, 300}, values))
        .input(int64TensorOf({1}, {axis}))
        .output(DType::F32, {axis == 0 ? 300 : 2})
        .attr("keepdims", ints({0}));
    Status s = step.runOnGpu();
    ASSERT_TRUE(s.isOk()) << s.error().message();
    const float *got = step.gpuOutputs()[0].data<float>();
    if (axis == 0) {
      EXPECT_TRUE(std::isnan(got[0]));
      EXPECT_TRUE(std::isnan(got[1]));
      EXPECT_EQ(got[2], 7.0f);
      for (int i = 3; i < 300; ++i)
        ASSERT_EQ(got[i], 0.5f) << i;
    } else {
      EXPECT_TRUE(std::isnan(got[0]));
      EXPECT_TRUE(std::isnan(got[1]));
    }
  }
}

// Tests that axes in device memory that the CPU would refuse (out of range,
// repeated, or not matching the result's shape), which the host cannot
// read, give a result of zeros (the harness fills results with NaN first)
// instead of reads out of bounds.
TEST(ReduceKernelsGpu, InvalidDeviceAxesGiveZeros) {
  Tensor in = randomTensor({2, 3});
  struct Case {
    std::vector<int64_t> axes;
    Shape out;
    bool keepdims;
  };
  const Case cases[] = {{{2}, {2, 1}, true},
                        {{-3}, {2, 1}, true},
                        {{1, -1}, {}, false},
                        {{0}, {2}, false},
                        {{0}, {2, 1}, true}};
  for (const Case &c : cases) {
    KernelCase step("onnx.ReduceSum");
    step.input(in)
        .input(int64TensorOf({int64_t(c.axes.size())}, c.axes))
        .output(DType::F32, c.out)
        .attr("keepdims", ints({c.keepdims}));
    Status s = step.runOnGpu();
    ASSERT_TRUE(s.isOk()) << s.error().message();
    const Tensor &out = step.gpuOutputs()[0];
    for (int64_t i = 0; i < out.numElements(); ++i)
      EXPECT_EQ(out.data<float>()[i], 0.0f)
          << formatShape(c.axes) << " element " << i;
  }
}

// Tests that reductions refuse wrong operand counts, mismatched types,
// unsupported types, bad axes and wrong result shapes.
TEST(ReduceKernelsGpu, RefusesMalformedSteps) {
  Tensor in = randomTensor({2, 3});
  Tensor axis1 = int64TensorOf({1}, {1});
  expectSomeError(KernelCase("onnx.ReduceSum").output(DType::F32, {2, 1}),
                  "no operands");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(axis1)
                      .input(axis1)
                      .output(DType::F32, {2, 1}),
                  "three operands");
  expectSomeError(KernelCase("onnx.ReduceSum").input(in).input(axis1),
                  "no result");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(axis1)
                      .output(DType::I64, {2, 1}),
                  "a result of another type");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(tensorOf({1}, {1}))
                      .output(DType::F32, {2, 1}),
                  "float axes");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(int64TensorOf({1, 1}, {1}))
                      .output(DType::F32, {2, 1}),
                  "2-D axes");
  expectSomeError(KernelCase("onnx.ReduceMean")
                      .input(in)
                      .input(axis1)
                      .output(DType::F32, {2, 1})
                      .attr("axes", ints({0})),
                  "axes as operand and attribute");
  expectSomeError(KernelCase("onnx.ReduceMean")
                      .input(in)
                      .output(DType::F32, {2, 1})
                      .attr("axes", ints({2})),
                  "an attribute axis out of range");
  expectSomeError(KernelCase("onnx.ReduceMean")
                      .input(in)
                      .output(DType::F32, {2, 1})
                      .attr("axes", ints({1, -1})),
                  "a repeated attribute axis");
  expectSomeError(KernelCase("onnx.ReduceMax")
                      .input(in)
                      .output(DType::F32, {2})
                      .attr("axes", ints({1})),
                  "an attribute reduction to the wrong shape");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(axis1)
                      .output(DType::F32, {2}),
                  "an operand reduction to the wrong rank");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(axis1)
                      .output(DType::F32, {2, 2}),
                  "an operand reduction to the wrong element count");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(int64TensorOf({3}, {0, 1, 1}))
                      .output(DType::F32, {1, 1}),
                  "more axes than the rank");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(in)
                      .input(int64TensorOf({0}, {}))
                      .output(DType::F32, {2, 1})
                      .attr("noop_with_empty_axes", ints({1})),
                  "a no-op to another shape");
  expectSomeError(KernelCase("onnx.ReduceSum")
                      .input(randomTensor({2, 3}, 0, 1, DType::Bool))
                      .input(axis1)
                      .output(DType::Bool, {2, 1}),
                  "a sum of bools");
  expectSomeError(KernelCase("onnx.ReduceMean")
                      .input(randomTensor({2, 3}, 0, 9, DType::U8))
                      .input(axis1)
                      .output(DType::U8, {2, 1}),
                  "a mean of u8");
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

// Tests that CumSum agrees with the CPU along every axis, forward and
// reversed, inclusive and exclusive, for every element type, with i64 and
// i32 axis operands.
TEST(ReduceKernelsGpu, CumSumMatchesCpu) {
  struct Case {
    Shape shape;
    int64_t axis;
  };
  const Case cases[] = {
      {{1037}, 0},        {{1}, 0},          {{7}, -1},
      {{64, 25, 38}, 0},  {{64, 25, 38}, 1}, {{64, 25, 38}, 2},
      {{64, 25, 38}, -1}, {{2, 3}, -2},      {{3, 1037}, 1}};
  for (const Case &c : cases)
    for (DType dtype : {DType::F32, DType::F64, DType::I64, DType::I32})
      for (int64_t exclusive : {0, 1})
        for (int64_t reverse : {0, 1}) {
          SCOPED_TRACE(std::string(dtypeName(dtype)) + " " +
                       formatShape(c.shape) + " axis " +
                       std::to_string(c.axis) + " exclusive " +
                       std::to_string(exclusive) + " reverse " +
                       std::to_string(reverse));
          Tensor axis = dtype == DType::I32
                            ? int32TensorOf({}, {int32_t(c.axis)})
                            : int64TensorOf({1}, {c.axis});
          KernelCase("onnx.CumSum")
              .input(randomTensor(c.shape, -100, 100, dtype))
              .input(axis)
              .output(dtype, c.shape)
              .attr("exclusive", ints({exclusive}))
              .attr("reverse", ints({reverse}))
              .check();
        }
  // Without attributes: inclusive and forward.
  KernelCase("onnx.CumSum")
      .input(randomTensor({5, 7}))
      .input(int64TensorOf({}, {1}))
      .output(DType::F32, {5, 7})
      .check();
  // Empty tensors have nothing to add.
  KernelCase("onnx.CumSum")
      .input(randomTensor({0, 7}))
      .input(int64TensorOf({}, {1}))
      .output(DType::F32, {0, 7})
      .check();
}

// Tests that an axis in device memory that is out of range, which the host
// cannot read, gives a result of zeros instead of reads out of bounds.
TEST(ReduceKernelsGpu, CumSumInvalidDeviceAxisGivesZeros) {
  for (int64_t axis : {2, -3, 1000}) {
    KernelCase step("onnx.CumSum");
    step.input(randomTensor({2, 3}))
        .input(int64TensorOf({}, {axis}))
        .output(DType::F32, {2, 3});
    Status s = step.runOnGpu();
    ASSERT_TRUE(s.isOk()) << s.error().message();
    const Tensor &out = step.gpuOutputs()[0];
    for (int64_t i = 0; i < out.numElements(); ++i)
      EXPECT_EQ(out.data<float>()[i], 0.0f) << axis << " " << i;
  }
}

// Tests that CumSum refuses wrong operand counts, axes that are not one
// integer, unsupported types and wrong result shapes.
TEST(ReduceKernelsGpu, CumSumRefusesMalformedSteps) {
  Tensor x = randomTensor({2, 3});
  Tensor axis = int64TensorOf({}, {1});
  expectSomeError(KernelCase("onnx.CumSum").input(x).output(DType::F32, {2, 3}),
                  "no axis");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(x)
                      .input(axis)
                      .input(axis)
                      .output(DType::F32, {2, 3}),
                  "three operands");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(x)
                      .input(int64TensorOf({2}, {0, 1}))
                      .output(DType::F32, {2, 3}),
                  "two axes");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(x)
                      .input(int64TensorOf({0}, {}))
                      .output(DType::F32, {2, 3}),
                  "no axis value");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(x)
                      .input(int64TensorOf({1, 1}, {1}))
                      .output(DType::F32, {2, 3}),
                  "a 2-D axis");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(x)
                      .input(tensorOf({}, {1}))
                      .output(DType::F32, {2, 3}),
                  "a float axis");
  expectSomeError(
      KernelCase("onnx.CumSum").input(x).input(axis).output(DType::F32, {3, 2}),
      "a result of another shape");
  expectSomeError(
      KernelCase("onnx.CumSum").input(x).input(axis).output(DType::F64, {2, 3}),
      "a result of another type");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(randomTensor({2, 3}, -5, 5, DType::I8))
                      .input(axis)
                      .output(DType::I8, {2, 3}),
                  "a sum of i8");
  expectSomeError(KernelCase("onnx.CumSum")
                      .input(tensorOf({}, {1}))
                      .input(int64TensorOf({}, {0}))
                      .output(DType::F32, {}),
                  "a scalar");
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

// Tests that TopK picks what the CPU picks, along every axis, largest and
// smallest, for every element type, with many ties (small integers) and,
// in f32, NaN; k from 0 to the whole line.
TEST(ReduceKernelsGpu, TopKMatchesCpu) {
  struct Case {
    Shape shape;
    int64_t axis;
  };
  const Case cases[] = {{{200}, 0},      {{8, 200}, -1}, {{3, 50, 7}, 1},
                        {{3, 50, 7}, 0}, {{1, 1}, 1},    {{0, 5}, 1},
                        {{5, 0}, 1}};
  for (const Case &c : cases) {
    int64_t axis = c.axis < 0 ? c.axis + int64_t(c.shape.size()) : c.axis;
    int64_t length = c.shape[axis];
    for (DType dtype :
         {DType::F32, DType::F64, DType::I64, DType::I32, DType::I8, DType::U8})
      for (int64_t k : {int64_t(0), std::min<int64_t>(5, length), length})
        for (int64_t largest : {0, 1}) {
          SCOPED_TRACE(std::string(dtypeName(dtype)) + " " +
                       formatShape(c.shape) + " axis " +
                       std::to_string(c.axis) + " k " + std::to_string(k) +
                       " largest " + std::to_string(largest));
          Tensor x = randomTensor(c.shape, 0, 9, dtype);
          if (dtype == DType::F32) {
            // Whole numbers, for ties, and two NaNs.
            for (int64_t i = 0; i < x.numElements(); ++i)
              x.data<float>()[i] = std::round(x.data<float>()[i]);
            if (x.numElements() > 3) {
              x.data<float>()[1] = std::numeric_limits<float>::quiet_NaN();
              x.data<float>()[3] = std::numeric_limits<float>::quiet_NaN();
            }
          }
          Shape out = c.shape;
          out[axis] = k;
          KernelCase("onnx.TopK")
              .input(x)
              .input(int64TensorOf({1}, {k}))
              .output(dtype, out)
              .output(DType::I64, out)
              .attr("axis", ints({c.axis}))
              .attr("largest", ints({largest}))
              .tolerance(0, 0)
              .check();
        }
  }
}

// Tests that a K in device memory that differs from the results' size,
// which the CPU refuses and the host cannot read, gives zeros.
TEST(ReduceKernelsGpu, TopKMismatchedDeviceKGivesZeros) {
  for (int64_t k : {2, 4, 1000}) {
    KernelCase step("onnx.TopK");
    step.input(randomTensor({2, 6}, 1, 2))
        .input(int64TensorOf({1}, {k}))
        .output(DType::F32, {2, 3})
        .output(DType::I64, {2, 3});
    Status s = step.runOnGpu();
    ASSERT_TRUE(s.isOk()) << s.error().message();
    const Tensor &values = step.gpuOutputs()[0];
    const Tensor &indices = step.gpuOutputs()[1];
    for (int64_t i = 0; i < values.numElements(); ++i) {
      EXPECT_EQ(values.data<float>()[i], 0.0f) << k << " " << i;
      EXPECT_EQ(indices.data<int64_t>()[i], 0) << k << " " << i;
    }
  }
}

} // namespace
