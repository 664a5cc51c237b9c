//===- ReduceKernelsTest.cpp - Reductions, CumSum and TopK vs references --===//
//
// ReduceSum, ReduceMean and ReduceMax over every axis subset against a
// naive reference, the attribute and operand forms of `axes`, integer and
// NaN semantics, CumSum against the ONNX spec's examples, TopK's order
// (ties, NaN, both directions) against hand-written results and a full
// sort, and the errors a corrupted step must give.
//
//===----------------------------------------------------------------------===//

#include "CPU/Kernel.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

AttrMap reduceAttrs(int64_t keepdims, int64_t noop = 0) {
  AttrMap attrs;
  attrs.set("keepdims", ints({keepdims}));
  attrs.set("noop_with_empty_axes", ints({noop}));
  return attrs;
}

std::vector<float> randomFloats(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> values(n);
  for (float &v : values)
    v = dist(rng);
  return values;
}

enum class Kind { Sum, Mean, Max };

/// Reduces `data` of `shape` over the flagged axes, in double.
std::vector<double> naiveReduce(const std::vector<float> &data,
                                const std::vector<int64_t> &shape,
                                const std::vector<bool> &reduced, Kind kind) {
  std::vector<int64_t> outShape;
  for (size_t d = 0; d < shape.size(); ++d)
    outShape.push_back(reduced[d] ? 1 : shape[d]);
  int64_t outCount = elementCount(outShape);
  std::vector<double> acc(outCount, kind == Kind::Max ? -INFINITY : 0.0);
  std::vector<int64_t> count(outCount, 0);
  for (int64_t i = 0; i < static_cast<int64_t>(data.size()); ++i) {
    int64_t rest = i, o = 0, stride = 1;
    for (size_t k = shape.size(); k-- > 0;) {
      int64_t coord = rest % shape[k];
      rest /= shape[k];
      o += (reduced[k] ? 0 : coord) * stride;
      stride *= outShape[k];
    }
    acc[o] = kind == Kind::Max ? std::max(acc[o], double(data[i]))
                               : acc[o] + data[i];
    ++count[o];
  }
  if (kind == Kind::Mean)
    for (int64_t o = 0; o < outCount; ++o)
      acc[o] /= count[o];
  return acc;
}


//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

TEST(ReduceKernels, EveryAxisSubsetMatchesNaive) {
  const std::vector<int64_t> shape = {3, 4, 5, 2};
  std::vector<float> data = randomFloats(elementCount(shape), 11);
  Tensor in = make(DType::F32, shape, data);
  const std::pair<const char *, Kind> ops[] = {{"onnx.ReduceSum", Kind::Sum},
                                               {"onnx.ReduceMean", Kind::Mean},
                                               {"onnx.ReduceMax", Kind::Max}};
  for (auto [op, kind] : ops) {
    for (int mask = 0; mask < 16; ++mask) {
      for (int64_t keepdims : {0, 1}) {
        std::vector<int64_t> axes, outShape;
        std::vector<bool> reduced(4);
        for (int d = 0; d < 4; ++d) {
          // Empty axes reduce everything.
          reduced[d] = mask == 0 || (mask >> d & 1);
          if (mask >> d & 1)
            axes.push_back(d % 2 ? d - 4 : d); // Some negative axes too.
          if (!reduced[d])
            outShape.push_back(shape[d]);
          else if (keepdims)
            outShape.push_back(1);
        }
        Tensor axesTensor = make(DType::I64, {int64_t(axes.size())}, axes);
        Tensor out(DType::F32, outShape);
        EXPECT_OK(run(op, {&in, &axesTensor}, {&out}, reduceAttrs(keepdims)));
        std::vector<double> want = naiveReduce(data, shape, reduced, kind);
        std::vector<float> got = read<float>(out);
        ASSERT_EQ(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i)
          ASSERT_NEAR(got[i], want[i], 1e-5)
              << op << " mask " << mask << " element " << i;
      }
    }
  }
}

TEST(ReduceKernels, LargeReductionsOnManyThreads) {
  // The head mean of attention maps (a middle axis) and a row mean.
  struct Case {
    std::vector<int64_t> shape;
    std::vector<bool> reduced;
  };
  const Case cases[] = {{{2, 8, 50, 300}, {false, true, false, false}},
                        {{600, 700}, {false, true}},
                        {{3, 200, 1000}, {true, false, true}}};
  for (const Case &c : cases) {
    std::vector<float> data = randomFloats(elementCount(c.shape), 3);
    Tensor in = make(DType::F32, c.shape, data);
    std::vector<int64_t> axes, outShape;
    for (size_t d = 0; d < c.shape.size(); ++d) {
      if (c.reduced[d])
        axes.push_back(d);
      outShape.push_back(c.reduced[d] ? 1 : c.shape[d]);
    }
    Tensor axesTensor = make(DType::I64, {int64_t(axes.size())}, axes);
    Tensor out(DType::F32, outShape);
    EXPECT_OK(
        run("onnx.ReduceMean", {&in, &axesTensor}, {&out}, reduceAttrs(1), 4));
    std::vector<double> want =
        naiveReduce(data, c.shape, c.reduced, Kind::Mean);
    std::vector<float> got = read<float>(out);
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], 1e-6) << i;
  }
}

TEST(ReduceKernels, AxesAsAttributeOrOperand) {
  Tensor in = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor out(DType::F32, {2});
  // Opset 13 ReduceMean: an attribute, no operand.
  AttrMap attrs = reduceAttrs(0);
  attrs.set("axes", ints({-1}));
  EXPECT_OK(run("onnx.ReduceMean", {&in, nullptr}, {&out}, attrs));
  EXPECT_EQ(read<float>(out), (std::vector<float>{2, 5}));
  EXPECT_OK(run("onnx.ReduceMax", {&in}, {&out}, attrs));
  EXPECT_EQ(read<float>(out), (std::vector<float>{3, 6}));
  // Both forms at once are contradictory.
  Tensor axes = make<int64_t>(DType::I64, {1}, {0});
  EXPECT_ERROR(run("onnx.ReduceMean", {&in, &axes}, {&out}, attrs), "both");
  // An i32 axes operand works too.
  Tensor axes32 = make<int32_t>(DType::I32, {1}, {1});
  EXPECT_OK(run("onnx.ReduceSum", {&in, &axes32}, {&out}, reduceAttrs(0)));
  EXPECT_EQ(read<float>(out), (std::vector<float>{6, 15}));
}

TEST(ReduceKernels, EmptyAxes) {
  Tensor in = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor empty(DType::I64, {0});
  // noop_with_empty_axes makes the op the identity.
  Tensor same(DType::F32, {2, 3});
  EXPECT_OK(run("onnx.ReduceSum", {&in, &empty}, {&same}, reduceAttrs(1, 1)));
  EXPECT_EQ(read<float>(same), read<float>(in));
  // Otherwise everything is reduced.
  Tensor all(DType::F32, {1, 1}), scalar(DType::F32, {});
  EXPECT_OK(run("onnx.ReduceSum", {&in, &empty}, {&all}, reduceAttrs(1)));
  EXPECT_EQ(read<float>(all)[0], 21.0f);
  EXPECT_OK(run("onnx.ReduceMax", {&in, nullptr}, {&scalar}, reduceAttrs(0)));
  EXPECT_EQ(read<float>(scalar)[0], 6.0f);
}

TEST(ReduceKernels, Integers) {
  Tensor in = make<int64_t>(DType::I64, {2, 2}, {1, 2, -1, -2});
  Tensor axes = make<int64_t>(DType::I64, {1}, {1});
  Tensor out(DType::I64, {2, 1});
  EXPECT_OK(run("onnx.ReduceSum", {&in, &axes}, {&out}, reduceAttrs(1)));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{3, -3}));
  // Integer means truncate toward zero.
  EXPECT_OK(run("onnx.ReduceMean", {&in, &axes}, {&out}, reduceAttrs(1)));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{1, -1}));
  EXPECT_OK(run("onnx.ReduceMax", {&in, &axes}, {&out}, reduceAttrs(1)));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{2, -1}));

  Tensor i32 = make<int32_t>(DType::I32, {3},
                             {std::numeric_limits<int32_t>::max(), 1, 0});
  Tensor sum32(DType::I32, {});
  EXPECT_OK(run("onnx.ReduceSum", {&i32, nullptr}, {&sum32}, reduceAttrs(0)));
  EXPECT_EQ(read<int32_t>(sum32)[0], std::numeric_limits<int32_t>::min());
}

TEST(ReduceKernels, MaxOfNaNAndBool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor in = make<float>(DType::F32, {2, 3}, {1, nan, 3, nan, 5, 6});
  Tensor out(DType::F32, {3});
  Tensor axes = make<int64_t>(DType::I64, {1}, {0});
  EXPECT_OK(run("onnx.ReduceMax", {&in, &axes}, {&out}, reduceAttrs(0)));
  std::vector<float> got = read<float>(out);
  EXPECT_TRUE(std::isnan(got[0]));
  EXPECT_TRUE(std::isnan(got[1]));
  EXPECT_EQ(got[2], 6.0f);

  Tensor bools = make<uint8_t>(DType::Bool, {2, 2}, {0, 1, 0, 0});
  Tensor any(DType::Bool, {2});
  Tensor last = make<int64_t>(DType::I64, {1}, {1});
  EXPECT_OK(run("onnx.ReduceMax", {&bools, &last}, {&any}, reduceAttrs(0)));
  EXPECT_EQ(read<uint8_t>(any), (std::vector<uint8_t>{1, 0}));
}

// Tests that a float maximum over long runs (16 lanes side by side, then
// the rest) keeps the bits of taking the elements one at a time: the
// first NaN (its payload) wins wherever it lies, the first zero's sign
// where the largest is a zero (a ReLU's minimum, negated), the largest
// value otherwise, -inf of all -inf; over runs that leave 0 to 15
// elements after the lanes, whole or along the last axis.
TEST(ReduceKernels, LongFloatMaximaKeepTheFirstNaNAndZero) {
  auto withPayload = [](uint32_t payload) {
    uint32_t bits = 0x7fc00000u | payload;
    float v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  };
  auto bitsOf = [](float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
  };
  for (int64_t n : {16, 17, 31, 47, 100, 4099}) {
    std::vector<std::pair<std::vector<float>, float>> cases;
    std::vector<float> values = randomFloats(static_cast<size_t>(n), 11);
    float largest = *std::max_element(values.begin(), values.end());
    cases.push_back({values, largest});
    // Two NaNs: the first one's payload.
    std::vector<float> nans = values;
    nans[n / 3] = withPayload(5);
    nans[n - 1] = withPayload(9);
    cases.push_back({nans, withPayload(5)});
    // Zeros and negatives: the first zero's sign, -0 first or +0 first.
    std::vector<float> zeros(static_cast<size_t>(n), -1.5f);
    zeros[n / 2] = -0.0f;
    zeros[n - 1] = 0.0f;
    cases.push_back({zeros, -0.0f});
    zeros[n / 4] = 0.0f;
    cases.push_back({zeros, 0.0f});
    // A NaN after the zeros still wins.
    std::vector<float> zerosThenNaN = zeros;
    zerosThenNaN[n - 2] = withPayload(7);
    cases.push_back({zerosThenNaN, withPayload(7)});
    cases.push_back(
        {std::vector<float>(static_cast<size_t>(n),
                            -std::numeric_limits<float>::infinity()),
         -std::numeric_limits<float>::infinity()});
    for (const auto &[data, want] : cases) {
      Tensor in = make<float>(DType::F32, {1, n}, data);
      Tensor all(DType::F32, {});
      EXPECT_OK(run("onnx.ReduceMax", {&in, nullptr}, {&all}, reduceAttrs(0)));
      EXPECT_EQ(bitsOf(read<float>(all)[0]), bitsOf(want)) << n << " elements";
      // Along the last axis of two rows: each row its own run.
      std::vector<float> twice = data;
      twice.insert(twice.end(), data.begin(), data.end());
      Tensor rows = make<float>(DType::F32, {2, n}, twice);
      Tensor last = make<int64_t>(DType::I64, {1}, {1});
      Tensor both(DType::F32, {2});
      EXPECT_OK(run("onnx.ReduceMax", {&rows, &last}, {&both}, reduceAttrs(0)));
      for (float got : read<float>(both))
        EXPECT_EQ(bitsOf(got), bitsOf(want)) << n << " elements, by rows";
    }
  }
}

TEST(ReduceKernels, RejectsCorruptSteps) {
  Tensor in(DType::F32, {2, 3});
  Tensor axes = make<int64_t>(DType::I64, {1}, {2});
  Tensor twice = make<int64_t>(DType::I64, {2}, {1, -1});
  Tensor floats = make<float>(DType::F32, {1}, {1});
  Tensor out(DType::F32, {2, 1}), wrong(DType::F32, {2}),
      ints64(DType::I64, {2, 1});
  Tensor ok = make<int64_t>(DType::I64, {1}, {1});
  EXPECT_ERROR(run("onnx.ReduceSum", {&in, &axes}, {&out}, reduceAttrs(1)),
               "out of range");
  EXPECT_ERROR(run("onnx.ReduceSum", {&in, &twice}, {&out}, reduceAttrs(1)),
               "twice");
  EXPECT_ERROR(run("onnx.ReduceSum", {&in, &floats}, {&out}, reduceAttrs(1)),
               "i64 or i32");
  EXPECT_ERROR(run("onnx.ReduceSum", {&in, &ok}, {&wrong}, reduceAttrs(1)),
               "shape");
  EXPECT_ERROR(run("onnx.ReduceSum", {&in, &ok}, {&ints64}, reduceAttrs(1)),
               "must be f32");
  EXPECT_ERROR(run("onnx.ReduceSum", {}, {&out}, reduceAttrs(1)), "operands");
  Tensor bools(DType::Bool, {2, 3}), boolOut(DType::Bool, {2, 1});
  EXPECT_ERROR(run("onnx.ReduceSum", {&bools, &ok}, {&boolOut}, reduceAttrs(1)),
               "unsupported");
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

AttrMap cumSumAttrs(int64_t exclusive, int64_t reverse) {
  AttrMap attrs;
  attrs.set("exclusive", ints({exclusive}));
  attrs.set("reverse", ints({reverse}));
  return attrs;
}

TEST(ReduceKernels, CumSumSpecExamples) {
  Tensor x = make<double>(DType::F64, {5}, {1, 2, 3, 4, 5});
  Tensor axis = make<int32_t>(DType::I32, {}, {0});
  Tensor y(DType::F64, {5});
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(0, 0)));
  EXPECT_EQ(read<double>(y), (std::vector<double>{1, 3, 6, 10, 15}));
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(1, 0)));
  EXPECT_EQ(read<double>(y), (std::vector<double>{0, 1, 3, 6, 10}));
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(0, 1)));
  EXPECT_EQ(read<double>(y), (std::vector<double>{15, 14, 12, 9, 5}));
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(1, 1)));
  EXPECT_EQ(read<double>(y), (std::vector<double>{14, 12, 9, 5, 0}));

  Tensor m = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor out(DType::F32, {2, 3});
  Tensor axis0 = make<int64_t>(DType::I64, {1}, {0});
  Tensor axisLast = make<int64_t>(DType::I64, {}, {-1});
  EXPECT_OK(run("onnx.CumSum", {&m, &axis0}, {&out}, cumSumAttrs(0, 0)));
  EXPECT_EQ(read<float>(out), (std::vector<float>{1, 2, 3, 5, 7, 9}));
  EXPECT_OK(run("onnx.CumSum", {&m, &axisLast}, {&out}, cumSumAttrs(0, 0)));
  EXPECT_EQ(read<float>(out), (std::vector<float>{1, 3, 6, 4, 9, 15}));

  // In place, as a planner may alias the result with the operand.
  Tensor alias = make<int64_t>(DType::I64, {4}, {1, 1, 1, 1});
  EXPECT_OK(run("onnx.CumSum", {&alias, &axis0}, {&alias}, cumSumAttrs(1, 0)));
  EXPECT_EQ(read<int64_t>(alias), (std::vector<int64_t>{0, 1, 2, 3}));
}

/// Each sum starts with its first element as it is, as ONNX's reference
/// (numpy.cumsum) and the compiler's fold do: a lone -0.0 stays -0.0 (0 +
/// -0.0 would be +0.0), inclusive and exclusive, forward and reversed.
TEST(ReduceKernels, CumSumStartsWithTheFirstElement) {
  Tensor x = make<float>(DType::F32, {2, 2}, {-0.0f, 1.0f, 2.0f, -0.0f});
  Tensor axis = make<int64_t>(DType::I64, {}, {1});
  Tensor y(DType::F32, {2, 2});
  auto signs = [&] {
    std::vector<bool> negative;
    for (float v : read<float>(y))
      negative.push_back(std::signbit(v));
    return negative;
  };
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(0, 0)));
  EXPECT_EQ(read<float>(y), (std::vector<float>{0, 1, 2, 2}));
  EXPECT_EQ(signs(), (std::vector<bool>{true, false, false, false}));
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(1, 0)));
  EXPECT_EQ(read<float>(y), (std::vector<float>{0, 0, 0, 2}));
  EXPECT_EQ(signs(), (std::vector<bool>{false, true, false, false}));
  EXPECT_OK(run("onnx.CumSum", {&x, &axis}, {&y}, cumSumAttrs(0, 1)));
  EXPECT_EQ(read<float>(y), (std::vector<float>{1, 1, 2, 0}));
  EXPECT_EQ(signs(), (std::vector<bool>{false, false, false, true}));
}

TEST(ReduceKernels, CumSumMatchesNaiveOnManyThreads) {
  const std::vector<int64_t> shape = {64, 25, 38};
  std::vector<float> data = randomFloats(elementCount(shape), 5);
  Tensor in = make(DType::F32, shape, data);
  Tensor axis = make<int64_t>(DType::I64, {}, {1});
  Tensor out(DType::F32, shape);
  EXPECT_OK(run("onnx.CumSum", {&in, &axis}, {&out}, cumSumAttrs(0, 1), 4));
  std::vector<float> got = read<float>(out);
  for (int64_t o = 0; o < 64; ++o)
    for (int64_t j = 0; j < 38; ++j) {
      float acc = 0;
      for (int64_t i = 24; i >= 0; --i) {
        acc += data[(o * 25 + i) * 38 + j];
        ASSERT_EQ(got[(o * 25 + i) * 38 + j], acc);
      }
    }
}

TEST(ReduceKernels, CumSumRejectsCorruptSteps) {
  Tensor x(DType::F32, {2, 3}), y(DType::F32, {2, 3}),
      wrong(DType::F32, {3, 2});
  Tensor two = make<int64_t>(DType::I64, {2}, {0, 1});
  Tensor far = make<int64_t>(DType::I64, {}, {2});
  Tensor ok = make<int64_t>(DType::I64, {}, {1});
  EXPECT_ERROR(run("onnx.CumSum", {&x, &two}, {&y}), "one value");
  EXPECT_ERROR(run("onnx.CumSum", {&x, &far}, {&y}), "out of range");
  EXPECT_ERROR(run("onnx.CumSum", {&x, &ok}, {&wrong}), "shape");
  EXPECT_ERROR(run("onnx.CumSum", {&x}, {&y}), "operands");
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

AttrMap topKAttrs(int64_t axis, int64_t largest) {
  AttrMap attrs;
  attrs.set("axis", ints({axis}));
  attrs.set("largest", ints({largest}));
  return attrs;
}

// Tests TopK's order on one row: NaN above every number, the lower index
// first among equals, the largest or the smallest first.
TEST(ReduceKernels, TopKOrdersTiesAndNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Tensor x = make<float>(DType::F32, {7}, {3, nan, 5, 5, -inf, nan, 1});
  Tensor k4 = make<int64_t>(DType::I64, {1}, {4});
  Tensor values(DType::F32, {4}), indices(DType::I64, {4});
  EXPECT_OK(run("onnx.TopK", {&x, &k4}, {&values, &indices}, topKAttrs(0, 1)));
  std::vector<float> got = read<float>(values);
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]));
  EXPECT_EQ(got[2], 5);
  EXPECT_EQ(got[3], 5);
  EXPECT_EQ(read<int64_t>(indices), (std::vector<int64_t>{1, 5, 2, 3}));

  Tensor k3 = make<int64_t>(DType::I64, {1}, {3});
  Tensor smallest(DType::F32, {3}), at(DType::I64, {3});
  EXPECT_OK(run("onnx.TopK", {&x, &k3}, {&smallest, &at}, topKAttrs(-1, 0)));
  EXPECT_EQ(read<float>(smallest), (std::vector<float>{-inf, 1, 3}));
  EXPECT_EQ(read<int64_t>(at), (std::vector<int64_t>{4, 6, 0}));
}

// Tests TopK along a middle axis (lines strided by the inner size), for
// integers, whose extremes must not overflow anything.
TEST(ReduceKernels, TopKAlongMiddleAxis) {
  // x[o][i][j], shape [2, 3, 2]; along i.
  Tensor x = make<int32_t>(DType::I32, {2, 3, 2},
                           {7, -2147483647 - 1, 7, 2147483647, 1, 0, //
                            -1, 4, -1, 4, -5, 4});
  Tensor k = make<int64_t>(DType::I64, {1}, {2});
  Tensor values(DType::I32, {2, 2, 2}), indices(DType::I64, {2, 2, 2});
  EXPECT_OK(run("onnx.TopK", {&x, &k}, {&values, &indices}, topKAttrs(1, 1)));
  EXPECT_EQ(read<int32_t>(values), (std::vector<int32_t>{7, 2147483647, 7, 0, //
                                                         -1, 4, -1, 4}));
  EXPECT_EQ(read<int64_t>(indices), (std::vector<int64_t>{0, 1, 1, 2, //
                                                          0, 0, 1, 1}));
  EXPECT_OK(run("onnx.TopK", {&x, &k}, {&values, &indices}, topKAttrs(1, 0)));
  EXPECT_EQ(read<int32_t>(values),
            (std::vector<int32_t>{1, -2147483647 - 1, 7, 0, //
                                  -5, 4, -1, 4}));
  EXPECT_EQ(read<int64_t>(indices), (std::vector<int64_t>{2, 0, 0, 2, //
                                                          2, 0, 0, 1}));

  Tensor u = make<uint8_t>(DType::U8, {5}, {9, 255, 0, 255, 3});
  Tensor two(DType::U8, {2}), where(DType::I64, {2});
  EXPECT_OK(run("onnx.TopK", {&u, &k}, {&two, &where}, topKAttrs(0, 1)));
  EXPECT_EQ(read<uint8_t>(two), (std::vector<uint8_t>{255, 255}));
  EXPECT_EQ(read<int64_t>(where), (std::vector<int64_t>{1, 3}));
}

// Tests TopK of many lines on several threads against a full stable sort,
// with repeated values, k from 0 to the whole line.
TEST(ReduceKernels, TopKMatchesStableSort) {
  const std::vector<int64_t> shape = {3, 50, 7};
  std::mt19937 rng(11);
  std::vector<float> data(elementCount(shape));
  for (float &v : data)
    v = static_cast<float>(rng() % 20); // many ties
  Tensor in = make(DType::F32, shape, data);
  for (int64_t k : {0, 1, 5, 50})
    for (int64_t largest : {0, 1}) {
      SCOPED_TRACE("k " + std::to_string(k) + " largest " +
                   std::to_string(largest));
      Tensor kt = make<int64_t>(DType::I64, {1}, {k});
      Tensor values(DType::F32, {3, k, 7}), indices(DType::I64, {3, k, 7});
      EXPECT_OK(run("onnx.TopK", {&in, &kt}, {&values, &indices},
                    topKAttrs(1, largest), 4));
      std::vector<float> gotValues = read<float>(values);
      std::vector<int64_t> gotIndices = read<int64_t>(indices);
      for (int64_t o = 0; o < 3; ++o)
        for (int64_t j = 0; j < 7; ++j) {
          std::vector<int64_t> order(50);
          for (int64_t i = 0; i < 50; ++i)
            order[i] = i;
          auto at = [&](int64_t i) { return data[(o * 50 + i) * 7 + j]; };
          std::stable_sort(order.begin(), order.end(),
                           [&](int64_t a, int64_t b) {
                             return largest ? at(a) > at(b) : at(a) < at(b);
                           });
          for (int64_t i = 0; i < k; ++i) {
            ASSERT_EQ(gotIndices[(o * k + i) * 7 + j], order[i]);
            ASSERT_EQ(gotValues[(o * k + i) * 7 + j], at(order[i]));
          }
        }
    }
}

// Tests that an empty X whose other sizes are huge (a hostile file may say
// so) allocates nothing per line: TopK and CumSum sized a scratch vector by
// the line before checking that there was any line, and threw bad_alloc.
TEST(ReduceKernels, EmptyInputsWithHugeSizesRunCleanly) {
  const int64_t huge = int64_t(1) << 40;
  Tensor x(DType::F32, {0, huge});
  for (int64_t k : {0, 3}) {
    Tensor kt = make<int64_t>(DType::I64, {1}, {k});
    Tensor values(DType::F32, {0, k}), indices(DType::I64, {0, k});
    EXPECT_OK(
        run("onnx.TopK", {&x, &kt}, {&values, &indices}, topKAttrs(1, 1)));
  }
  Tensor axis0 = make<int64_t>(DType::I64, {}, {0});
  Tensor y(DType::F32, {0, huge});
  EXPECT_OK(run("onnx.CumSum", {&x, &axis0}, {&y}, cumSumAttrs(0, 0)));
}

TEST(ReduceKernels, TopKRejectsCorruptSteps) {
  Tensor x(DType::F32, {2, 5}), values(DType::F32, {2, 3}),
      indices(DType::I64, {2, 3}), wrongIndices(DType::I32, {2, 3}),
      tooMany(DType::F32, {2, 6}), tooManyIndices(DType::I64, {2, 6});
  Tensor three = make<int64_t>(DType::I64, {1}, {3});
  Tensor four = make<int64_t>(DType::I64, {1}, {4});
  Tensor pair = make<int64_t>(DType::I64, {2}, {3, 3});
  Tensor six = make<int64_t>(DType::I64, {1}, {6});
  EXPECT_ERROR(run("onnx.TopK", {&x, &four}, {&values, &indices}),
               "does not match");
  EXPECT_ERROR(run("onnx.TopK", {&x, &pair}, {&values, &indices}), "one value");
  EXPECT_ERROR(run("onnx.TopK", {&x, &three}, {&values, &wrongIndices}),
               "Indices");
  EXPECT_ERROR(run("onnx.TopK", {&x, &six}, {&tooMany, &tooManyIndices}),
               "does not fit");
  EXPECT_ERROR(
      run("onnx.TopK", {&x, &three}, {&values, &indices}, topKAttrs(2, 1)),
      "out of range");
  EXPECT_ERROR(
      run("onnx.TopK", {&x, &three}, {&values, &indices}, topKAttrs(1, 2)),
      "largest");
  EXPECT_ERROR(run("onnx.TopK", {&x, &three}, {&values}), "results");
}

//===----------------------------------------------------------------------===//
// Corrupted steps
//===----------------------------------------------------------------------===//

TEST(ReduceKernels, RandomCorruptStepsFailCleanly) {
  const std::pair<const char *, size_t> ops[] = {
      {"ReduceSum", 2}, {"ReduceMean", 2}, {"ReduceMax", 2}, {"CumSum", 2}};
  unsigned seed = 1;
  for (auto [op, numIn] : ops)
    fuzzCorruptSteps(std::string("onnx.") + op, numIn, 1, seed++);
  fuzzCorruptSteps("onnx.TopK", 2, 2, seed++);
}

} // namespace
