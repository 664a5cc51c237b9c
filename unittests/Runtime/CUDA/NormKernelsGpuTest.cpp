//===- NormKernelsGpuTest.cpp - CUDA norm, softmax and pooling kernels ----===//
//
// Each CUDA kernel of NormKernels.cu runs next to its CPU twin on the same
// inputs: row lengths on both sides of the warp and block limits (1, 7, 33,
// 256, 1000, 1025, 5000), strided and contiguous softmax axes, every pooling
// attribute, and batches of 1 and 3. Malformed steps must be refused on the
// host with an Error.
//
//===----------------------------------------------------------------------===//

#include "CPU/ElementwiseSupport.h"
#include "GpuKernelCase.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

/// Expects the CUDA kernel to refuse the step with a message naming `what`.
//===----------------------------------------------------------------------===//
// intr.layer_norm
//===----------------------------------------------------------------------===//

/// intr.layer_norm of `shape` with offset activations, with or without a
/// residual, the sum result and an addend (with the shifted result).
KernelCase layerNormCase(const std::vector<int64_t> &shape, bool residual,
                         bool sum, double epsilon = 1e-5, bool addend = false) {
  int64_t D = shape.back();
  KernelCase c("intr.layer_norm");
  // An offset mean, as activations have: a one-pass variance would suffer.
  c.input(randomTensor(shape, 2.0f, 4.0f))
      .input(randomTensor({D}))
      .input(randomTensor({D}));
  if (residual)
    c.input(randomTensor(shape));
  else if (addend)
    c.noInput();
  if (addend)
    c.input(randomTensor(shape, -3.0f, 3.0f));
  c.output(DType::F32, shape);
  if (sum)
    c.output(DType::F32, shape);
  else if (addend)
    c.noOutput();
  if (addend)
    c.output(DType::F32, shape);
  c.attr("epsilon", real(epsilon));
  return c;
}

// Tests that rows of every length, in the warp path (D <= 1024) and the
// block path, with and without a residual, match the CPU.
TEST(CudaLayerNorm, MatchesCpuForRowLengths) {
  for (int64_t D : {1, 7, 32, 33, 100, 256, 1000, 1024, 1025, 2000, 4100}) {
    for (bool residual : {false, true}) {
      SCOPED_TRACE("D=" + std::to_string(D) +
                   " residual=" + std::to_string(residual));
      layerNormCase({3, 5, D}, residual, true).check();
    }
  }
}

// Tests that the typical encoder shape (950 rows of 256) matches, with the
// residual, the sum and a smaller epsilon, and with batch 3.
TEST(CudaLayerNorm, MatchesCpuForEncoderShapes) {
  layerNormCase({1, 950, 256}, true, true, 1e-6).check();
  layerNormCase({3, 37, 256}, true, true).check();
  layerNormCase({3, 37, 256}, false, false).check();
}

// Tests that a single output (no sum) and a rank-1 input are accepted.
TEST(CudaLayerNorm, OptionalSumAndRankOne) {
  layerNormCase({4, 64}, true, false).check();
  layerNormCase({3}, false, true, 1e-3).check();
  layerNormCase({1, 1, 1}, true, true).check();
}

// Tests that the shifted result (output + addend) matches the CPU in the
// warp and block paths, with and without the residual and the sum.
TEST(CudaLayerNorm, AddendGivesShiftedOutput) {
  for (int64_t D : {33, 256, 2000})
    for (bool residual : {false, true})
      for (bool sum : {false, true}) {
        SCOPED_TRACE("D=" + std::to_string(D) + " residual=" +
                     std::to_string(residual) + " sum=" + std::to_string(sum));
        layerNormCase({3, 5, D}, residual, sum, 1e-5, /*addend=*/true).check();
      }
}

// Tests that the statistics are those of the centered values: a row with a
// large mean and a tiny spread still normalizes to the CPU's values.
TEST(CudaLayerNorm, LargeMeanSmallSpread) {
  std::vector<float> values;
  for (int i = 0; i < 2 * 300; ++i)
    values.push_back(100.0f + 0.05f * static_cast<float>(i % 17));
  KernelCase("intr.layer_norm")
      .input(tensorOf({2, 300}, values))
      .input(randomTensor({300}))
      .input(randomTensor({300}))
      .output(DType::F32, {2, 300})
      .output(DType::F32, {2, 300})
      .attr("epsilon", real(1e-5))
      .tolerance(2e-4, 1e-4)
      .check();
}

// Tests that an input with no rows runs as a no-op.
TEST(CudaLayerNorm, EmptyInput) {
  KernelCase c("intr.layer_norm");
  c.input(Tensor(DType::F32, {0, 8}))
      .input(randomTensor({8}))
      .input(randomTensor({8}))
      .output(DType::F32, {0, 8})
      .output(DType::F32, {0, 8});
  Status status = c.runOnGpu();
  EXPECT_TRUE(status.isOk()) << status.error().message();
}

// Tests that malformed layer_norm steps are refused before any launch.
TEST(CudaLayerNorm, RejectsMalformedSteps) {
  auto base = [] { return KernelCase("intr.layer_norm"); };
  // input [3, 8], scale and bias [8]: the operands every other case keeps.
  auto normOf = [&](Tensor input) {
    int64_t D = input.shape().back();
    KernelCase c = base();
    c.input(std::move(input)).input(randomTensor({D})).input(randomTensor({D}));
    return c;
  };
  auto wellFormed = [&] { return normOf(randomTensor({3, 8})); };
  expectRefused(base()
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}))
                    .output(DType::F32, {3, 8}),
                "operands");
  expectRefused(base()
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({7}))
                    .input(randomTensor({8}))
                    .output(DType::F32, {3, 8}),
                "scale");
  expectRefused(
      wellFormed().input(randomTensor({2, 8})).output(DType::F32, {3, 8}),
      "residual");
  expectRefused(
      wellFormed().output(DType::F32, {3, 8}).output(DType::F32, {3, 7}),
      "sum");
  expectRefused(
      wellFormed().output(DType::F32, {3, 8}).attr("epsilon", real(-1.0)),
      "epsilon");
  expectRefused(normOf(randomTensor({3, 8}, -5, 5, DType::I64))
                    .output(DType::F32, {3, 8}),
                "f32");
  expectRefused(normOf(randomTensor({3, 0})).output(DType::F32, {3, 0}),
                "D > 0");
  KernelCase fourResults = wellFormed();
  for (int i = 0; i < 4; ++i)
    fourResults.output(DType::F32, {3, 8});
  expectRefused(fourResults, "results");
  KernelCase shiftedAlone = wellFormed();
  for (int i = 0; i < 3; ++i)
    shiftedAlone.output(DType::F32, {3, 8});
  expectRefused(shiftedAlone, "the shifted result needs an addend");
  expectRefused(wellFormed()
                    .noInput()
                    .input(randomTensor({3, 8}))
                    .output(DType::F32, {3, 8})
                    .output(DType::F32, {3, 8}),
                "an addend needs the shifted result");
  KernelCase shortAddend = wellFormed();
  shortAddend.noInput().input(randomTensor({2, 8}));
  for (int i = 0; i < 3; ++i)
    shortAddend.output(DType::F32, {3, 8});
  expectRefused(shortAddend, "addend must be");
}

//===----------------------------------------------------------------------===//
// onnx.LayerNormalization
//===----------------------------------------------------------------------===//

// Tests that every axis, broadcast Scale and B shapes (one value too), an
// omitted B and the optional Mean and InvStdDev results match the CPU.
TEST(CudaOnnxLayerNorm, MatchesCpu) {
  struct Case {
    std::vector<int64_t> shape, scaleShape;
    int64_t axis;
    bool bias, stats;
  } cases[] = {
      {{6, 32}, {32}, -1, true, true},
      {{2, 4, 5}, {4, 5}, 1, true, true},
      {{2, 4, 5}, {1, 5}, -2, false, false},
      {{2, 4, 5}, {4, 1}, 1, true, true},
      {{3, 7, 9}, {9}, 2, false, true},
      {{3, 7, 9}, {7, 9}, 0, true, true},
      {{1, 1, 3, 700}, {3, 700}, 2, true, true},
      {{3, 2, 3, 700}, {1, 1, 700}, -2, true, true},
      {{3, 6, 2, 5}, {6, 1, 5}, 1, true, true},
      {{3, 33}, {1, 33}, -1, true, true},
      {{3, 1000}, {1000}, 1, true, false},
      // An instance norm and a group norm as onnx-decompose writes them:
      // a one-value scale, no B, rows of a channel or a group (long rows
      // take the kernel of a block per row).
      {{2, 8, 40, 40}, {}, 2, false, false},
      {{1, 32, 25088}, {}, 2, false, false},
  };
  for (const Case &c : cases) {
    int64_t rank = c.shape.size(), axis = c.axis < 0 ? c.axis + rank : c.axis;
    std::vector<int64_t> statsShape(c.shape.begin(), c.shape.begin() + axis);
    statsShape.resize(rank, 1);
    SCOPED_TRACE(formatShape(c.shape) + " axis " + std::to_string(c.axis) +
                 " scale " + formatShape(c.scaleShape));
    KernelCase k("onnx.LayerNormalization");
    k.input(randomTensor(c.shape, -3.0f, 1.0f))
        .input(randomTensor(c.scaleShape));
    if (c.bias)
      k.input(randomTensor(c.scaleShape));
    else
      k.noInput();
    k.output(DType::F32, c.shape);
    if (c.stats)
      k.output(DType::F32, statsShape).output(DType::F32, statsShape);
    else
      k.noOutput().noOutput();
    k.attr("axis", ints({c.axis})).attr("epsilon", real(1e-5)).check();
  }
}

// Tests that Y alone (no optional results listed, no B operand) works.
TEST(CudaOnnxLayerNorm, OnlyRequiredOperands) {
  KernelCase("onnx.LayerNormalization")
      .input(randomTensor({3, 5, 256}))
      .input(randomTensor({256}))
      .output(DType::F32, {3, 5, 256})
      .check();
}

// Tests that malformed LayerNormalization steps are refused.
TEST(CudaOnnxLayerNorm, RejectsMalformedSteps) {
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}))
                    .output(DType::F32, {3, 8})
                    .output(DType::F32, {3}),
                "Mean");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({3, 8}))
                    .output(DType::F32, {3, 8}),
                "Scale");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}))
                    .input(randomTensor({5}))
                    .output(DType::F32, {3, 8}),
                "B");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}))
                    .output(DType::F32, {3, 8})
                    .attr("axis", ints({-3})),
                "axis");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .output(DType::F32, {3, 8}),
                "operands");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}, -1, 1, DType::I32))
                    .output(DType::F32, {3, 8}),
                "Scale");
  expectRefused(KernelCase("onnx.LayerNormalization")
                    .input(randomTensor({3, 8}))
                    .input(randomTensor({8}))
                    .output(DType::F32, {8, 3}),
                "Y");
}

//===----------------------------------------------------------------------===//
// onnx.BatchNormalization
//===----------------------------------------------------------------------===//

/// Inference batch norm of X with random statistics (positive variances).
KernelCase batchNormCase(const std::vector<int64_t> &shape) {
  int64_t C = shape[1];
  KernelCase c("onnx.BatchNormalization");
  c.input(randomTensor(shape))
      .input(randomTensor({C}))
      .input(randomTensor({C}))
      .input(randomTensor({C}))
      .input(randomTensor({C}, 0.1f, 2.0f))
      .attr("epsilon", real(1e-3));
  return c;
}

// Tests that batch norm matches the CPU for several ranks, channel counts
// and batches, with and without the running statistics results.
TEST(CudaBatchNorm, MatchesCpu) {
  for (std::vector<int64_t> shape : {std::vector<int64_t>{2, 3, 4, 5},
                                     {5, 7},
                                     {1, 64, 9, 11},
                                     {3, 17, 33},
                                     {3, 5, 2, 3, 4}}) {
    SCOPED_TRACE(formatShape(shape));
    int64_t C = shape[1];
    batchNormCase(shape).output(DType::F32, shape).check();
    batchNormCase(shape)
        .output(DType::F32, shape)
        .output(DType::F32, {C})
        .noOutput()
        .check();
    batchNormCase(shape)
        .output(DType::F32, shape)
        .output(DType::F32, {C})
        .output(DType::F32, {C})
        .check();
  }
}

// Tests that an empty batch still copies the statistics and writes no Y.
TEST(CudaBatchNorm, EmptyBatch) {
  batchNormCase({0, 4, 3})
      .output(DType::F32, {0, 4, 3})
      .output(DType::F32, {4})
      .output(DType::F32, {4})
      .check();
}

// Tests that malformed BatchNormalization steps are refused.
TEST(CudaBatchNorm, RejectsMalformedSteps) {
  expectRefused(KernelCase("onnx.BatchNormalization")
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .input(randomTensor({4}))
                    .input(randomTensor({3}))
                    .output(DType::F32, {2, 3, 4}),
                "input_mean");
  expectRefused(KernelCase("onnx.BatchNormalization")
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .output(DType::F32, {2, 3, 4}),
                "operands");
  expectRefused(batchNormCase({2, 3, 4})
                    .output(DType::F32, {2, 3, 4})
                    .attr("training_mode", ints({1})),
                "training_mode");
  expectRefused(batchNormCase({2, 3, 4}).output(DType::F32, {2, 3, 5}), "Y");
  expectRefused(batchNormCase({2, 3, 4})
                    .output(DType::F32, {2, 3, 4})
                    .output(DType::F32, {2}),
                "running_mean");
  expectRefused(batchNormCase({2, 3, 4})
                    .output(DType::F32, {2, 3, 4})
                    .attr("epsilon", real(std::nan(""))),
                "epsilon");
  expectRefused(KernelCase("onnx.BatchNormalization")
                    .input(randomTensor({2, 3, 4}, -3, 3, DType::I64))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .input(randomTensor({3}))
                    .output(DType::F32, {2, 3, 4}),
                "f32");
  expectRefused(KernelCase("onnx.BatchNormalization")
                    .input(randomTensor({6}))
                    .input(randomTensor({6}))
                    .input(randomTensor({6}))
                    .input(randomTensor({6}))
                    .input(randomTensor({6}))
                    .output(DType::F32, {6}),
                "[N, C, ...]");
}

//===----------------------------------------------------------------------===//
// onnx.Softmax
//===----------------------------------------------------------------------===//

KernelCase softmaxCase(Tensor x, int64_t axis) {
  std::vector<int64_t> shape = x.shape();
  KernelCase c("onnx.Softmax");
  c.input(std::move(x)).output(DType::F32, shape).attr("axis", ints({axis}));
  return c;
}

// Tests that softmax over the last axis matches for row lengths in the warp
// path (<= 1024) and the block path, with large logits.
TEST(CudaSoftmax, MatchesCpuForRowLengths) {
  for (int64_t n : {1, 7, 32, 33, 256, 950, 1000, 1024, 1025, 4100, 5000}) {
    SCOPED_TRACE("n=" + std::to_string(n));
    // Large logits: the maximum must be subtracted.
    softmaxCase(randomTensor({3, 4, n}, -60.0f, 60.0f), -1)
        .tolerance(1e-6, 1e-4)
        .check();
  }
}

// Tests that softmax along a leading or middle axis (a strided lane per
// thread) matches, for batches of 1 and 3.
TEST(CudaSoftmax, MatchesCpuAlongOtherAxes) {
  struct Case {
    std::vector<int64_t> shape;
    int64_t axis;
  } cases[] = {{{3, 5, 7}, 1},    {{3, 5, 7}, 0},     {{2, 1, 3}, -2},
               {{1, 8, 300}, 1},  {{3, 1500, 2}, 1},  {{13}, 0},
               {{3, 4, 5, 6}, 2}, {{3, 4, 5, 6}, -4}, {{1, 1, 1}, 1}};
  for (const Case &c : cases) {
    SCOPED_TRACE(formatShape(c.shape) + " axis " + std::to_string(c.axis));
    softmaxCase(randomTensor(c.shape, -60.0f, 60.0f), c.axis)
        .tolerance(1e-6, 1e-4)
        .check();
  }
}

// Tests that -inf logits get probability 0 and that a row of only -inf
// becomes NaN, as on the CPU, along both the contiguous and a strided axis.
TEST(CudaSoftmax, NegativeInfinityRows) {
  std::vector<float> values = {
      -kInf, 0.0f,  0.0f,  -kInf, // two live logits
      -kInf, -kInf, -kInf, -kInf, // fully masked: NaN
      1.0f,  2.0f,  3.0f,  -kInf, // the last masked
  };
  for (int64_t axis : {1, 0}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    KernelCase c = softmaxCase(tensorOf({3, 4}, values), axis);
    c.check();
    if (axis == 1) {
      const float *y = c.gpuOutputs()[0].data<float>();
      EXPECT_EQ(y[0], 0.0f);
      EXPECT_FLOAT_EQ(y[1], 0.5f);
      for (int i = 4; i < 8; ++i)
        EXPECT_TRUE(std::isnan(y[i])) << "element " << i;
    }
  }
  // A masked row in the block path (n > 1024).
  std::vector<float> masked(2 * 2000, -kInf);
  for (int i = 2000; i < 4000; ++i)
    masked[i] = static_cast<float>(i % 13);
  softmaxCase(tensorOf({2, 2000}, masked), -1).check();
}

// Tests that an empty input runs as a no-op.
TEST(CudaSoftmax, EmptyInput) {
  KernelCase c = softmaxCase(Tensor(DType::F32, {3, 0}), -1);
  Status status = c.runOnGpu();
  EXPECT_TRUE(status.isOk()) << status.error().message();
}

// Tests that malformed Softmax steps are refused.
TEST(CudaSoftmax, RejectsMalformedSteps) {
  expectRefused(softmaxCase(randomTensor({3, 4}), 2), "axis");
  expectRefused(softmaxCase(randomTensor({3, 4}), -3), "axis");
  expectRefused(KernelCase("onnx.Softmax")
                    .input(randomTensor({3, 4}))
                    .output(DType::F32, {4, 3}),
                "output");
  expectRefused(KernelCase("onnx.Softmax")
                    .input(randomTensor({3, 4}, -3, 3, DType::I64))
                    .output(DType::F32, {3, 4}),
                "f32");
  expectRefused(KernelCase("onnx.Softmax")
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({3, 4}))
                    .output(DType::F32, {3, 4}),
                "operands");
  expectRefused(KernelCase("onnx.Softmax").input(randomTensor({3, 4})),
                "results");
}

//===----------------------------------------------------------------------===//
// intr.max_pool2d and onnx.MaxPool
//===----------------------------------------------------------------------===//

struct PoolCase {
  int64_t N, C, H, W, kh, kw;
  std::vector<int64_t> strides, pads, dilations;
  bool ceil;

  /// The window count along one axis (PyTorch's rule with ceil_mode).
  int64_t outSize(int64_t size, int64_t k, int64_t s, int64_t d, int64_t pb,
                  int64_t pa) const {
    double span = double(size + pb + pa - d * (k - 1) - 1) / double(s);
    auto out = static_cast<int64_t>(ceil ? std::ceil(span) : std::floor(span));
    if (ceil && out * s >= size + pb)
      --out;
    return out + 1;
  }
  std::vector<int64_t> outShape() const {
    return {N, C, outSize(H, kh, strides[0], dilations[0], pads[0], pads[2]),
            outSize(W, kw, strides[1], dilations[1], pads[1], pads[3])};
  }
  std::string name() const {
    return "N=" + std::to_string(N) + " H=" + std::to_string(H) +
           " W=" + std::to_string(W) + " k=" + std::to_string(kh) + "x" +
           std::to_string(kw) + " strides " + formatShape(strides) + " pads " +
           formatShape(pads) + " dilations " + formatShape(dilations) +
           " ceil " + std::to_string(ceil);
  }
};

/// Cases without dilation, which intr.max_pool2d can express.
std::vector<PoolCase> poolCases() {
  return {
      // The ResNet stem's pooling.
      {1, 4, 16, 13, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false},
      {3, 4, 16, 13, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false},
      {2, 3, 8, 8, 2, 2, {2, 2}, {0, 0, 0, 0}, {1, 1}, false},
      // ceil_mode adds a partial last window.
      {1, 2, 8, 9, 3, 3, {2, 2}, {0, 0, 0, 0}, {1, 1}, true},
      // ceil_mode whose last window would start in the padding: dropped.
      {1, 2, 5, 5, 2, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true},
      {3, 5, 17, 23, 3, 3, {3, 2}, {1, 2, 1, 0}, {1, 1}, true},
      // Asymmetric kernel, strides and padding.
      {2, 3, 11, 7, 3, 2, {1, 2}, {1, 0, 2, 1}, {1, 1}, false},
      // Enough outputs for several blocks, not a multiple of 256.
      {3, 7, 37, 41, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, false},
      {1, 1, 1, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false},
      // Channels in whole 16-byte groups (8 of f16 and bf16, 4 of f32),
      // which channels-last images pool a group per thread: the stem's
      // 64, asymmetric padding, ceil_mode, padding on one side.
      {2, 64, 17, 14, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false},
      {1, 8, 12, 11, 3, 2, {1, 2}, {2, 0, 1, 1}, {1, 1}, false},
      {3, 16, 9, 10, 2, 3, {2, 2}, {0, 1, 0, 0}, {1, 1}, true},
  };
}

/// intr.max_pool2d of `c` in `dtype`, over NHWC images with `channelsLast`;
/// exact against the CPU, since the maximum is one of the inputs.
KernelCase maxPool2dCase(const PoolCase &c, DType dtype, bool channelsLast) {
  std::vector<int64_t> in = {c.N, c.C, c.H, c.W}, out = c.outShape();
  if (channelsLast) {
    in = {c.N, c.H, c.W, c.C};
    out = {out[0], out[2], out[3], out[1]};
  }
  KernelCase k("intr.max_pool2d");
  k.input(randomTensor(in, -1.0f, 1.0f, dtype))
      .output(dtype, out)
      .attr("kernel", ints({c.kh, c.kw}))
      .attr("strides", ints(c.strides))
      .attr("padding", ints(c.pads))
      .attr("ceil_mode", ints({c.ceil}))
      .tolerance(0.0, 0.0);
  if (channelsLast)
    k.attr("channels_last", ints({1}));
  return k;
}

// Tests that intr.max_pool2d matches the CPU for strides, padding and
// ceil_mode, batches of 1 and 3, in f32 and in the f16 and bf16 of fp16
// and bf16 plans, over NCHW and NHWC (--channels-last) images.
TEST(CudaMaxPool2D, MatchesCpu) {
  for (DType dtype : {DType::F32, DType::F16, DType::BF16})
    for (bool channelsLast : {false, true})
      for (const PoolCase &c : poolCases()) {
        SCOPED_TRACE(c.name() + " " + dtypeName(dtype) +
                     (channelsLast ? " channels last" : ""));
        maxPool2dCase(c, dtype, channelsLast).check();
      }
}

// Tests that NaN wins a window and that -inf inputs are kept, as on the CPU.
TEST(CudaMaxPool2D, PropagatesNaN) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> values = {1.0f,  nan,   3.0f,  4.0f,  //
                               -kInf, -kInf, 0.5f,  -1.0f, //
                               -kInf, -kInf, -2.0f, 7.0f,  //
                               -kInf, -kInf, 9.0f,  nan};
  KernelCase("intr.max_pool2d")
      .input(tensorOf({1, 1, 4, 4}, values))
      .output(DType::F32, {1, 1, 2, 2})
      .attr("kernel", ints({2, 2}))
      .attr("strides", ints({2, 2}))
      .tolerance(0.0, 0.0)
      .check();
}

/// `values` stored as `dtype`: f32, or rounded to f16 or bf16.
Tensor floatsAs(DType dtype, std::vector<int64_t> shape,
                const std::vector<float> &values) {
  Tensor tensor(dtype, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::F16)
      tensor.data<cpu::Half>()[i] = cpu::halfFromFloat(values[i]);
    else if (dtype == DType::BF16)
      tensor.data<cpu::BFloat16>()[i] = cpu::bfloat16FromFloat(values[i]);
    else
      tensor.data<float>()[i] = values[i];
  }
  return tensor;
}

// Tests NaN and -inf in channels-last images whose channels pool in
// groups (8 channels of bf16 and f16, 4 of f32 per thread): each channel
// keeps its own maximum, a NaN only its own channel's.
TEST(CudaMaxPool2D, GroupedChannelsPropagateNaN) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  for (DType dtype : {DType::F32, DType::F16, DType::BF16}) {
    SCOPED_TRACE(dtypeName(dtype));
    // [1, 4, 4, 8]: channel c of pixel p is p + c, with a NaN in channel 3
    // of pixel 5, -inf in every channel of pixel 10, and a NaN in channel
    // 6 of pixel 15.
    std::vector<float> values(4 * 4 * 8);
    for (int p = 0; p < 16; ++p)
      for (int c = 0; c < 8; ++c)
        values[p * 8 + c] = float(p + c) * (c % 2 ? -1.0f : 1.0f);
    values[5 * 8 + 3] = nan;
    for (int c = 0; c < 8; ++c)
      values[10 * 8 + c] = -kInf;
    values[15 * 8 + 6] = nan;
    KernelCase("intr.max_pool2d")
        .input(floatsAs(dtype, {1, 4, 4, 8}, values))
        .output(dtype, {1, 2, 2, 8})
        .attr("kernel", ints({2, 2}))
        .attr("strides", ints({2, 2}))
        .attr("channels_last", ints({1}))
        .tolerance(0.0, 0.0)
        .check();
  }
}

// Tests that malformed max_pool2d steps are refused.
TEST(CudaMaxPool2D, RejectsMalformedSteps) {
  auto pool = [](Tensor x, std::vector<int64_t> yShape) {
    KernelCase c("intr.max_pool2d");
    c.input(std::move(x))
        .output(DType::F32, std::move(yShape))
        .attr("kernel", ints({2, 2}))
        .attr("strides", ints({2, 2}));
    return c;
  };
  Status ok = pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 3}).runOnGpu();
  EXPECT_TRUE(ok.isOk()) << ok.error().message();
  expectRefused(KernelCase("intr.max_pool2d")
                    .input(randomTensor({1, 2, 6, 6}))
                    .output(DType::F32, {1, 2, 3, 3}),
                "kernel");
  expectRefused(pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 3})
                    .input(randomTensor({1, 2, 6, 6})),
                "operands");
  expectRefused(pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 4}), "output");
  // ceil_mode gives 4x4 here, not 3x3.
  expectRefused(pool(randomTensor({1, 2, 7, 7}), {1, 2, 3, 3})
                    .attr("ceil_mode", ints({1})),
                "output");
  expectRefused(pool(randomTensor({2, 6, 6}), {1, 2, 3, 3}), "2-D");
  expectRefused(pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 3})
                    .attr("padding", ints({2, 0, 0, 0})),
                "smaller than kernel");
  expectRefused(pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 3})
                    .attr("strides", ints({0, 2})),
                "strides");
  expectRefused(pool(randomTensor({1, 2, 6, 6}), {1, 2, 3, 3})
                    .attr("kernel", ints({2, 2, 2})),
                "kernel");
  expectRefused(
      pool(randomTensor({1, 2, 6, 6}, -3, 3, DType::I32), {1, 2, 3, 3}), "f32");
  expectRefused(pool(randomTensor({1, 2, 1, 1}), {1, 2, 1, 1}), "no window");
}

/// onnx.MaxPool of case `c` with NOTSET padding.
KernelCase onnxPoolCase(const PoolCase &c, int64_t storageOrder, bool indices) {
  std::vector<int64_t> shape = c.outShape();
  KernelCase k("onnx.MaxPool");
  k.input(randomTensor({c.N, c.C, c.H, c.W})).output(DType::F32, shape);
  if (indices)
    k.output(DType::I64, shape);
  k.attr("kernel_shape", ints({c.kh, c.kw}))
      .attr("strides", ints(c.strides))
      .attr("pads", ints(c.pads))
      .attr("dilations", ints(c.dilations))
      .attr("ceil_mode", ints({c.ceil}))
      .attr("storage_order", ints({storageOrder}))
      .attr("auto_pad", str("NOTSET"))
      .tolerance(0.0, 0.0);
  return k;
}

// Tests that onnx.MaxPool matches the CPU, Indices included in both storage
// orders, with dilations and ceil_mode.
TEST(CudaOnnxMaxPool, MatchesCpuWithIndices) {
  std::vector<PoolCase> cases = poolCases();
  cases.push_back({1, 3, 10, 9, 3, 2, {1, 2}, {1, 1, 1, 1}, {2, 3}, false});
  cases.push_back({3, 2, 9, 10, 2, 3, {2, 2}, {0, 1, 1, 0}, {2, 2}, true});
  cases.push_back({3, 4, 20, 19, 3, 3, {2, 3}, {2, 2, 2, 2}, {3, 2}, true});
  for (const PoolCase &c : cases) {
    SCOPED_TRACE(c.name());
    for (int64_t storageOrder : {0, 1}) {
      onnxPoolCase(c, storageOrder, true).check();
      onnxPoolCase(c, storageOrder, false).check();
    }
  }
}

// Tests that an omitted (null) Indices result is accepted.
TEST(CudaOnnxMaxPool, OmittedIndices) {
  KernelCase("onnx.MaxPool")
      .input(randomTensor({3, 2, 6, 6}))
      .output(DType::F32, {3, 2, 3, 3})
      .noOutput()
      .attr("kernel_shape", ints({2, 2}))
      .attr("strides", ints({2, 2}))
      .tolerance(0.0, 0.0)
      .check();
}

// Tests that the SAME and VALID auto_pad modes match the CPU.
TEST(CudaOnnxMaxPool, AutoPad) {
  struct Case {
    const char *mode;
    std::vector<int64_t> outShape;
  } cases[] = {{"SAME_UPPER", {3, 2, 4, 3}},
               {"SAME_LOWER", {3, 2, 4, 3}},
               {"VALID", {3, 2, 3, 2}}};
  // 3x3 windows, strides 2 over 7x6: SAME pads H by 1 + 1 and W by 1,
  // before or after.
  for (const Case &c : cases) {
    SCOPED_TRACE(c.mode);
    KernelCase("onnx.MaxPool")
        .input(randomTensor({3, 2, 7, 6}))
        .output(DType::F32, c.outShape)
        .output(DType::I64, c.outShape)
        .attr("kernel_shape", ints({3, 3}))
        .attr("strides", ints({2, 2}))
        .attr("auto_pad", str(c.mode))
        .tolerance(0.0, 0.0)
        .check();
  }
}

// Tests that windows entirely in the padding give -inf and index -1, and
// that NaN wins with the index of the first NaN.
TEST(CudaOnnxMaxPool, PaddingOnlyWindowsAndNaN) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  // A 1x1 kernel with padding 1: the border windows see only padding.
  KernelCase("onnx.MaxPool")
      .input(randomTensor({1, 2, 3, 3}))
      .output(DType::F32, {1, 2, 5, 5})
      .output(DType::I64, {1, 2, 5, 5})
      .attr("kernel_shape", ints({1, 1}))
      .attr("pads", ints({1, 1, 1, 1}))
      .tolerance(0.0, 0.0)
      .check();
  KernelCase("onnx.MaxPool")
      .input(tensorOf({1, 1, 2, 4}, {1.0f, nan, 5.0f, 6.0f, //
                                     nan, 2.0f, -kInf, -kInf}))
      .output(DType::F32, {1, 1, 1, 2})
      .output(DType::I64, {1, 1, 1, 2})
      .attr("kernel_shape", ints({2, 2}))
      .attr("strides", ints({2, 2}))
      .tolerance(0.0, 0.0)
      .check();
}

// Tests that malformed onnx.MaxPool steps are refused.
TEST(CudaOnnxMaxPool, RejectsMalformedSteps) {
  auto pool = [] {
    KernelCase c("onnx.MaxPool");
    c.input(randomTensor({1, 2, 6, 6}))
        .output(DType::F32, {1, 2, 3, 3})
        .attr("kernel_shape", ints({2, 2}))
        .attr("strides", ints({2, 2}));
    return c;
  };
  Status ok = pool().runOnGpu();
  EXPECT_TRUE(ok.isOk()) << ok.error().message();
  expectRefused(pool().output(DType::F32, {1, 2, 3, 3}), "Indices");
  expectRefused(pool().output(DType::I64, {1, 2, 3}), "Indices");
  expectRefused(pool().attr("storage_order", ints({2})), "storage_order");
  expectRefused(pool().attr("ceil_mode", ints({3})), "ceil_mode");
  expectRefused(pool().attr("pads", ints({1, 1, 1})), "pads");
  expectRefused(pool().attr("pads", ints({-1, 0, 0, 0})), "pads");
  expectRefused(pool().attr("dilations", ints({0, 1})), "dilations");
  expectRefused(pool().attr("auto_pad", str("SAME_MIDDLE")), "auto_pad");
  expectRefused(pool().attr("kernel_shape", ints({7, 7})), "no window");
  expectRefused(
      pool().output(DType::I64, {1, 2, 3, 3}).output(DType::I64, {1, 2, 3, 3}),
      "results");
  expectRefused(KernelCase("onnx.MaxPool")
                    .input(randomTensor({1, 2, 6, 6, 6}))
                    .output(DType::F32, {1, 2, 3, 3})
                    .attr("kernel_shape", ints({2, 2})),
                "2-D");
  expectRefused(KernelCase("onnx.MaxPool")
                    .input(randomTensor({1, 2, 6, 6}))
                    .output(DType::F32, {1, 2, 3, 3})
                    .attr("kernel_shape", ints({1 << 20, int64_t(1) << 40})),
                "kernel");
}

} // namespace
