//===- NNKernelsTest.cpp - NN kernels against naive references ------------===//
//
// Each kernel runs on random inputs of several shapes and is compared with a
// plain-loop reference that accumulates in double. Malformed steps (operand
// counts, dtypes, shapes, attributes) must give an Error, not a crash.
//
//===----------------------------------------------------------------------===//

#include "CPU/Kernel.h"
#include "CPU/NNSupport.h"
#include "CPU/Winograd.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Runs a kernel that must succeed.
void runOk(const char *name, const std::vector<TensorArg> &inputs,
           const std::vector<TensorArg> &outputs, const AttrMap &attrs,
           int threads = 2) {
  Status status = runViews(name, inputs, outputs, attrs, threads);
  ASSERT_TRUE(status.isOk()) << status.error().message();
}

const float *floats(const Tensor &tensor) { return tensor.data<float>(); }

/// The values of a rank-4 [A, B, C, D] array (NCHW images, OIHW weights)
/// in the order [A, C, D, B] (NHWC, OHWI).
template <typename T>
std::vector<T> toChannelsLast(const T *values,
                              const std::vector<int64_t> &shape) {
  int64_t A = shape[0], B = shape[1], C = shape[2], D = shape[3];
  std::vector<T> out(static_cast<size_t>(A * B * C * D));
  for (int64_t a = 0; a < A; ++a)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t d = 0; d < D; ++d)
          out[((a * C + c) * D + d) * B + b] =
              values[((a * B + b) * C + c) * D + d];
  return out;
}

/// `tensor` (rank 4) permuted to channels last.
Tensor toChannelsLast(const Tensor &tensor) {
  const std::vector<int64_t> &s = tensor.shape();
  return make<float>(DType::F32, {s[0], s[2], s[3], s[1]},
                     toChannelsLast(floats(tensor), s));
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

struct ConvCase {
  int64_t N, C, H, W, O, kh, kw;
  std::vector<int64_t> strides, pads, dilations;
  int64_t groups;
  bool relu;

  int64_t outH() const {
    return (H + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] +
           1;
  }
  int64_t outW() const {
    return (W + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] +
           1;
  }
};

/// The convolution in double; `residual` (the output's shape) is added
/// before the ReLU when given.
std::vector<double> convReference(const ConvCase &c, const Tensor &x,
                                  const Tensor &w, const float *bias,
                                  const float *residual = nullptr) {
  int64_t Ho = c.outH(), Wo = c.outW();
  int64_t Cg = c.C / c.groups, Og = c.O / c.groups;
  std::vector<double> out(c.N * c.O * Ho * Wo);
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t o = 0; o < c.O; ++o)
      for (int64_t y = 0; y < Ho; ++y)
        for (int64_t xo = 0; xo < Wo; ++xo) {
          double acc = bias ? bias[o] : 0.0;
          int64_t g = o / Og;
          for (int64_t ci = 0; ci < Cg; ++ci)
            for (int64_t i = 0; i < c.kh; ++i)
              for (int64_t j = 0; j < c.kw; ++j) {
                int64_t iy = y * c.strides[0] + i * c.dilations[0] - c.pads[0];
                int64_t ix = xo * c.strides[1] + j * c.dilations[1] - c.pads[1];
                if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W)
                  continue;
                acc +=
                    double(floats(
                        x)[((n * c.C + g * Cg + ci) * c.H + iy) * c.W + ix]) *
                    floats(w)[((o * Cg + ci) * c.kh + i) * c.kw + j];
              }
          int64_t at = ((n * c.O + o) * Ho + y) * Wo + xo;
          if (residual)
            acc += residual[at];
          if (c.relu)
            acc = std::max(acc, 0.0);
          out[at] = acc;
        }
  return out;
}

std::vector<ConvCase> convCases() {
  return {
      // 1x1, stride 1, no padding: the direct GEMM path.
      {2, 5, 7, 6, 3, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1, false},
      {1, 3, 9, 11, 4, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, true},
      // The ResNet stem's shape, small and odd.
      {1, 3, 13, 11, 8, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1, false},
      // Asymmetric padding and strides.
      {2, 4, 8, 9, 6, 3, 2, {2, 1}, {1, 0, 2, 1}, {1, 1}, 1, true},
      // Groups with dilation.
      {2, 6, 10, 9, 4, 3, 3, {1, 2}, {2, 1, 2, 1}, {2, 2}, 2, false},
      // Depthwise.
      {1, 5, 7, 7, 5, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 5, true},
      // A 1x1 with stride 2 takes the im2col path.
      {1, 8, 9, 7, 5, 1, 1, {2, 2}, {0, 0, 0, 0}, {1, 1}, 1, false},
      // Stride 2 over rows long enough for the vector loops of im2col's
      // stride-2 copy, with padding on both sides.
      {1, 3, 9, 83, 5, 3, 3, {2, 2}, {1, 1, 1, 2}, {1, 1}, 1, false},
      // Large enough for several tiles of output positions.
      {1, 64, 90, 90, 3, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, true},
      // Grouped 1x1 (the direct path reads each group's channels out of
      // every pixel), and grouped in several tiles.
      {2, 6, 5, 7, 4, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 2, false},
      {1, 128, 90, 90, 4, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 2, true},
      // 3x3, stride 1, channels enough for Winograd (winogradFits): odd
      // output sizes (partial tiles), asymmetric and wide padding, a 1x1
      // output, several blocks of tile rows over two images.
      {1, 32, 9, 11, 32, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, true},
      {2, 40, 6, 5, 33, 3, 3, {1, 1}, {0, 2, 1, 0}, {1, 1}, 1, false},
      {1, 32, 4, 3, 36, 3, 3, {1, 1}, {3, 5, 2, 4}, {1, 1}, 1, true},
      {1, 32, 1, 1, 32, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, false},
      {2, 64, 40, 50, 48, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, true},
      // A tile row too long for one block's scratch: parts of it.
      {1, 32, 1, 8300, 32, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, false},
      // Depthwise (depthwiseFits), at stride 1 on padded rows, else row
      // by row: ConvNeXt's 7x7 over two images; channel multipliers (3
      // at stride 1 with dilations and asymmetric padding, 2 with
      // strides); strides and dilations; padding wider than the image,
      // whose edge outputs see no tap; two planes in blocks of rows; rows
      // too long for one chunk of sums.
      {2, 8, 11, 13, 8, 7, 7, {1, 1}, {3, 3, 3, 3}, {1, 1}, 8, false},
      {2, 4, 9, 10, 12, 3, 2, {1, 1}, {0, 1, 2, 0}, {1, 2}, 4, false},
      {1, 4, 9, 8, 8, 3, 3, {2, 2}, {1, 0, 1, 2}, {1, 1}, 4, true},
      {1, 6, 12, 10, 6, 3, 3, {2, 1}, {2, 2, 2, 2}, {2, 2}, 6, false},
      {1, 3, 2, 3, 3, 5, 5, {1, 1}, {4, 4, 4, 4}, {1, 1}, 3, true},
      {1, 2, 40, 33, 2, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 2, false},
      {1, 3, 60, 300, 3, 3, 3, {1, 1}, {1, 1, 1, 1}, {2, 1}, 3, true},
      // Depthwise channels last in blocks of pixels and 16 channels, the
      // interior apart: 16 and more channels with a tail, strides,
      // dilations, asymmetric padding, and an image with no interior.
      {2, 40, 9, 11, 40, 7, 7, {1, 1}, {3, 3, 3, 3}, {1, 1}, 40, true},
      {1, 32, 13, 15, 32, 3, 3, {2, 2}, {1, 0, 1, 2}, {1, 1}, 32, false},
      {1, 48, 10, 17, 48, 3, 3, {1, 1}, {2, 2, 2, 2}, {2, 2}, 48, true},
      {1, 16, 4, 3, 16, 5, 5, {1, 1}, {2, 2, 2, 2}, {1, 1}, 16, false},
      // Dilations and padding of 2^19 and more (a malformed plan's): the
      // padded rows would take 2^40 floats, so the rows go one by one.
      {1,
       2,
       2,
       2,
       2,
       2,
       2,
       {1, 1},
       {1 << 19, 1 << 19, 1 << 19, 1 << 19},
       {1 << 20, 1 << 20},
       2,
       false},
  };
}

/// intr.conv2d's attributes for `c`.
AttrMap convAttrs(const ConvCase &c) {
  AttrMap attrs;
  attrs.set("strides", ints(c.strides));
  attrs.set("padding", ints(c.pads));
  attrs.set("dilations", ints(c.dilations));
  attrs.set("groups", ints({c.groups}));
  attrs.set("activation", str(c.relu ? "relu" : "none"));
  return attrs;
}

TEST(NNKernels, AllRegistered) {
  for (const char *name :
       {"intr.conv2d", "intr.max_pool2d", "intr.linear", "intr.layer_norm",
        "onnx.Conv", "onnx.MaxPool", "onnx.MatMul", "onnx.Gemm", "onnx.Softmax",
        "onnx.LayerNormalization", "onnx.BatchNormalization"})
    EXPECT_NE(KernelRegistry::cpu().find(name), nullptr) << name;
}

/// Runs every case without and with the residual operand, which is added to
/// the sums before the ReLU on every path (direct GEMM, im2col, tiles,
/// groups), on 2 and 3 threads (tiles shared evenly and not), in one
/// layout: NCHW, or channels last (images [N, H, W, C], weights [O, kh, kw,
/// C/groups]), whose output is the reference's, permuted.
void expectConvCasesMatch(bool channelsLast) {
  auto inLayout = [&](const Tensor &t) {
    return channelsLast ? toChannelsLast(t) : t;
  };
  for (const ConvCase &c : convCases())
    for (auto [residual, threads] :
         {std::pair{false, 2}, std::pair{true, 2}, std::pair{true, 3}}) {
      SCOPED_TRACE("C=" + std::to_string(c.C) + " k=" + std::to_string(c.kh) +
                   " groups=" + std::to_string(c.groups) +
                   " residual=" + std::to_string(residual) +
                   " threads=" + std::to_string(threads));
      Tensor x = randomTensor({c.N, c.C, c.H, c.W});
      Tensor w = randomTensor({c.O, c.C / c.groups, c.kh, c.kw});
      Tensor b = randomTensor({c.O});
      std::vector<int64_t> outShape = {c.N, c.O, c.outH(), c.outW()};
      Tensor r = randomTensor(outShape);
      Tensor xIn = inLayout(x), wIn = inLayout(w), rIn = inLayout(r);
      Tensor y(DType::F32,
               channelsLast ? std::vector<int64_t>{c.N, c.outH(), c.outW(), c.O}
                            : outShape);
      AttrMap attrs = convAttrs(c);
      attrs.set("channels_last", ints({channelsLast}));
      std::vector<TensorArg> inputs = {arg(xIn), arg(wIn), arg(b)};
      if (residual)
        inputs.push_back(arg(rIn));
      runOk("intr.conv2d", inputs, {arg(y)}, attrs, threads);
      std::vector<double> expected =
          convReference(c, x, w, floats(b), residual ? floats(r) : nullptr);
      expectClose(y, channelsLast ? toChannelsLast(expected.data(), outShape)
                                  : expected);
    }
}

TEST(NNConv2D, MatchesReference) { expectConvCasesMatch(false); }

TEST(NNConv2D, WinogradTakesStrideOneThreeByThrees) {
  nn::Conv conv;
  conv.kh = conv.kw = 3;
  conv.C = conv.O = 64;
  EXPECT_TRUE(nn::winogradFits(conv));
  auto fitsWith = [&](auto change) {
    nn::Conv other = conv;
    change(other);
    return nn::winogradFits(other);
  };
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.sh = 2; }));
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.dw = 2; }));
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.kh = c.kw = 1; }));
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.groups = 2; }));
  EXPECT_TRUE(fitsWith([](nn::Conv &c) { c.channelsLast = true; }));
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.C = 3; }));
  EXPECT_FALSE(fitsWith([](nn::Conv &c) { c.O = 8; }));
}

/// A session keeps the transformed filters of a constant weight in the
/// step's cache, and computes those of any other weight on each call. (A
/// constant weight never changes; the test changes it to see which
/// filters the second call used.)
TEST(NNConv2D, WinogradKeepsFiltersOfConstantWeightsOnly) {
  ConvCase c{1, 32, 7, 6, 40, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, true};
  Tensor x = randomTensor({c.N, c.C, c.H, c.W});
  Tensor b = randomTensor({c.O});
  Tensor y(DType::F32, {c.N, c.O, c.outH(), c.outW()});
  AttrMap attrs = convAttrs(c);
  Kernel kernel = KernelRegistry::cpu().find("intr.conv2d");
  for (bool constant : {true, false}) {
    SCOPED_TRACE(constant ? "constant weight" : "weight computed in the run");
    StepCache cache;
    Tensor first = randomTensor({c.O, c.C, c.kh, c.kw});
    Tensor second = randomTensor({c.O, c.C, c.kh, c.kw});
    for (Tensor *w : {&first, &second}) {
      TensorArg weight = arg(*w);
      weight.constant = constant;
      std::vector<TensorArg> inputs = {arg(x), weight, arg(b)};
      std::vector<TensorArg> outputs = {arg(y)};
      ASSERT_TRUE(kernel({inputs, outputs, attrs, 2, &cache}).isOk());
      EXPECT_EQ(cache.floats.size(), constant ? size_t(16 * c.O * c.C) : 0u);
      expectClose(y, convReference(c, x, constant ? first : *w, floats(b)));
    }
  }
}

/// A convolution of integer weights (a ConvInteger's, expanded) sums
/// directly, in every order exact while the sums stay below 2^24, where
/// Winograd's transformed domain would round them (by a few units here,
/// with 48 channels and sums of millions); the constant weights' answer
/// is kept in the step's cache. Against sums in int64.
TEST(NNConv2D, IntegerWeightsSumExactly) {
  ConvCase c{1, 48, 14, 14, 32, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1, false};
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> byte(0, 255), weight(-127, 127);
  std::vector<float> xs(c.N * c.C * c.H * c.W), ws(c.O * c.C * c.kh * c.kw);
  for (float &v : xs)
    v = static_cast<float>(byte(rng));
  for (float &v : ws)
    v = static_cast<float>(weight(rng));
  Tensor x = make(DType::F32, {c.N, c.C, c.H, c.W}, xs);
  Tensor w = make(DType::F32, {c.O, c.C, c.kh, c.kw}, ws);
  Tensor b = make(DType::F32, {c.O}, std::vector<float>(c.O, 0.0f));
  Tensor y(DType::F32, {c.N, c.O, c.outH(), c.outW()});
  AttrMap attrs = convAttrs(c);
  Kernel kernel = KernelRegistry::cpu().find("intr.conv2d");
  StepCache cache;
  TensorArg weightArg = arg(w);
  weightArg.constant = true;
  for (int call = 0; call < 2; ++call) {
    std::vector<TensorArg> inputs = {arg(x), weightArg, arg(b)};
    std::vector<TensorArg> outputs = {arg(y)};
    ASSERT_TRUE(kernel({inputs, outputs, attrs, 2, &cache}).isOk());
    EXPECT_EQ(cache.integerWeights, std::optional<bool>(true));
    EXPECT_TRUE(cache.floats.empty()); // no Winograd filters
    const float *got = floats(y);
    for (int64_t o = 0, at = 0; o < c.O; ++o)
      for (int64_t oy = 0; oy < c.outH(); ++oy)
        for (int64_t ox = 0; ox < c.outW(); ++ox, ++at) {
          int64_t sum = 0;
          for (int64_t ci = 0; ci < c.C; ++ci)
            for (int64_t i = 0; i < 3; ++i)
              for (int64_t j = 0; j < 3; ++j) {
                int64_t iy = oy + i - 1, ix = ox + j - 1;
                if (iy >= 0 && iy < c.H && ix >= 0 && ix < c.W)
                  sum += int64_t(xs[(ci * c.H + iy) * c.W + ix]) *
                         int64_t(ws[((o * c.C + ci) * 3 + i) * 3 + j]);
              }
          ASSERT_LT(std::llabs(sum), int64_t(1) << 24);
          ASSERT_EQ(got[at], float(sum)) << "output " << at;
        }
  }
  // One weight off an integer: Winograd again.
  ws[7] += 0.5f;
  Tensor half = make(DType::F32, {c.O, c.C, c.kh, c.kw}, ws);
  StepCache other;
  TensorArg halfArg = arg(half);
  halfArg.constant = true;
  std::vector<TensorArg> inputs = {arg(x), halfArg, arg(b)};
  std::vector<TensorArg> outputs = {arg(y)};
  ASSERT_TRUE(kernel({inputs, outputs, attrs, 2, &other}).isOk());
  EXPECT_EQ(other.integerWeights, std::optional<bool>(false));
  EXPECT_EQ(other.floats.size(), size_t(16 * c.O * c.C));
}

TEST(NNConv2D, ChannelsLastMatchesReference) { expectConvCasesMatch(true); }

TEST(NNConv2D, RejectsMalformedSteps) {
  Tensor x = randomTensor({1, 4, 6, 6}), w = randomTensor({2, 4, 3, 3});
  Tensor b = randomTensor({2}), y(DType::F32, {1, 2, 4, 4});
  Tensor wrongY(DType::F32, {1, 2, 6, 6}), longBias = randomTensor({3});
  Tensor intWeight(DType::I64, {2, 4, 3, 3});
  AttrMap attrs;
  const char *k = "intr.conv2d";
  expectError(k, {arg(x), arg(w)}, {arg(y)}, attrs, "operands");
  expectError(k, {arg(x), arg(w), arg(b)}, {}, attrs, "results");
  expectError(k, {arg(x), arg(intWeight), arg(b)}, {arg(y)}, attrs, "f32");
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(wrongY)}, attrs, "output");
  expectError(k, {arg(x), arg(w), arg(longBias)}, {arg(y)}, attrs, "bias");
  Tensor w3 = randomTensor({2, 3, 3, 3});
  expectError(k, {arg(x), arg(w3), arg(b)}, {arg(y)}, attrs, "C/groups");
  expectError(k, {arg(b), arg(w), arg(b)}, {arg(y)}, attrs, "input");
  Tensor wrongResidual = randomTensor({1, 2, 4, 3});
  expectError(k, {arg(x), arg(w), arg(b), arg(wrongResidual)}, {arg(y)}, attrs,
              "residual");
  expectError(k, {arg(x), arg(w), arg(b), arg(y), arg(y)}, {arg(y)}, attrs,
              "operands");

  AttrMap groups;
  groups.set("groups", ints({3}));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, groups, "groups");
  AttrMap activation;
  activation.set("activation", str("gelu"));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, activation, "gelu");
  AttrMap padding;
  padding.set("padding", ints({1, 1}));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, padding, "padding");
  AttrMap stride;
  stride.set("strides", ints({0, 1}));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, stride, "strides");
  AttrMap dilation;
  dilation.set("dilations", ints({4, 4}));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, dilation, "window");
}

TEST(NNOnnxConv, MatchesReference) {
  for (const ConvCase &c : convCases()) {
    if (c.relu)
      continue;
    for (bool withBias : {false, true}) {
      Tensor x = randomTensor({c.N, c.C, c.H, c.W});
      Tensor w = randomTensor({c.O, c.C / c.groups, c.kh, c.kw});
      Tensor b = randomTensor({c.O});
      Tensor y(DType::F32, {c.N, c.O, c.outH(), c.outW()});
      AttrMap attrs;
      attrs.set("strides", ints(c.strides));
      attrs.set("pads", ints(c.pads));
      attrs.set("dilations", ints(c.dilations));
      attrs.set("group", ints({c.groups}));
      attrs.set("kernel_shape", ints({c.kh, c.kw}));
      attrs.set("auto_pad", str("NOTSET"));
      std::vector<TensorArg> inputs = {arg(x), arg(w)};
      if (withBias)
        inputs.push_back(arg(b));
      else if (c.groups > 1) // An omitted B given as a null operand.
        inputs.push_back(none());
      runOk("onnx.Conv", inputs, {arg(y)}, attrs);
      expectClose(y, convReference(c, x, w, withBias ? floats(b) : nullptr));
    }
  }
}

TEST(NNOnnxConv, AutoPad) {
  // 3x3, stride 2 over 9x8: SAME gives ceil(size / 2) outputs, the odd
  // padding at the end (UPPER) or the beginning (LOWER).
  Tensor x = randomTensor({1, 2, 9, 8}), w = randomTensor({3, 2, 3, 3});
  struct {
    const char *mode;
    std::vector<int64_t> pads;
  } cases[] = {{"SAME_UPPER", {1, 0, 1, 1}},
               {"SAME_LOWER", {1, 1, 1, 0}},
               {"VALID", {0, 0, 0, 0}}};
  for (const auto &test : cases) {
    SCOPED_TRACE(test.mode);
    ConvCase c{1, 2, 9, 8, 3, 3, 3, {2, 2}, test.pads, {1, 1}, 1, false};
    Tensor y(DType::F32, {1, 3, c.outH(), c.outW()});
    AttrMap attrs;
    attrs.set("auto_pad", str(test.mode));
    attrs.set("strides", ints({2, 2}));
    runOk("onnx.Conv", {arg(x), arg(w), none()}, {arg(y)}, attrs);
    expectClose(y, convReference(c, x, w, nullptr));
  }
}

TEST(NNOnnxConv, RejectsMalformedSteps) {
  Tensor x = randomTensor({1, 4, 6, 6}), w = randomTensor({2, 4, 3, 3});
  Tensor y(DType::F32, {1, 2, 4, 4});
  Tensor x1d = randomTensor({1, 4, 6}), w1d = randomTensor({2, 4, 3});
  Tensor y1d(DType::F32, {1, 2, 4});
  const char *k = "onnx.Conv";
  expectError(k, {arg(x1d), arg(w1d)}, {arg(y1d)}, AttrMap(), "2-D");
  AttrMap kernelShape;
  kernelShape.set("kernel_shape", ints({5, 5}));
  expectError(k, {arg(x), arg(w)}, {arg(y)}, kernelShape, "kernel_shape");
  AttrMap autoPad;
  autoPad.set("auto_pad", str("SAME_MIDDLE"));
  expectError(k, {arg(x), arg(w)}, {arg(y)}, autoPad, "auto_pad");
  expectError(k, {arg(x)}, {arg(y)}, AttrMap(), "operands");
}

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

struct PoolCase {
  int64_t N, C, H, W, kh, kw;
  std::vector<int64_t> strides, pads, dilations;
  bool ceil;

  int64_t outSize(int64_t size, int64_t k, int64_t s, int64_t d, int64_t pb,
                  int64_t pa) const {
    double span = double(size + pb + pa - d * (k - 1) - 1) / double(s);
    auto out = static_cast<int64_t>(ceil ? std::ceil(span) : std::floor(span));
    // PyTorch: no window may start in the end padding.
    if (ceil && out * s >= size + pb)
      --out;
    return out + 1;
  }
  int64_t outH() const {
    return outSize(H, kh, strides[0], dilations[0], pads[0], pads[2]);
  }
  int64_t outW() const {
    return outSize(W, kw, strides[1], dilations[1], pads[1], pads[3]);
  }
};

/// The maxima and their flat row-major indices.
void poolReference(const PoolCase &c, const Tensor &x, std::vector<double> &out,
                   std::vector<int64_t> &indices) {
  int64_t Ho = c.outH(), Wo = c.outW();
  out.assign(c.N * c.C * Ho * Wo, 0.0);
  indices.assign(out.size(), -1);
  for (int64_t plane = 0; plane < c.N * c.C; ++plane)
    for (int64_t y = 0; y < Ho; ++y)
      for (int64_t xo = 0; xo < Wo; ++xo) {
        double best = -INFINITY;
        int64_t bestIndex = -1;
        for (int64_t i = 0; i < c.kh; ++i)
          for (int64_t j = 0; j < c.kw; ++j) {
            int64_t iy = y * c.strides[0] + i * c.dilations[0] - c.pads[0];
            int64_t ix = xo * c.strides[1] + j * c.dilations[1] - c.pads[1];
            if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W)
              continue;
            int64_t index = (plane * c.H + iy) * c.W + ix;
            if (floats(x)[index] > best) {
              best = floats(x)[index];
              bestIndex = index;
            }
          }
        out[(plane * Ho + y) * Wo + xo] = best;
        indices[(plane * Ho + y) * Wo + xo] = bestIndex;
      }
}

std::vector<PoolCase> poolCases() {
  return {
      // The ResNet stem's pooling.
      {1, 4, 16, 13, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false},
      {2, 3, 8, 8, 2, 2, {2, 2}, {0, 0, 0, 0}, {1, 1}, false},
      // ceil_mode adds a partial last window (8 -> 4 rows, not 3).
      {1, 2, 8, 9, 3, 3, {2, 2}, {0, 0, 0, 0}, {1, 1}, true},
      // ceil_mode whose last window would start in the padding: dropped.
      {1, 2, 5, 5, 2, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true},
      // Asymmetric kernel, strides and padding.
      {2, 3, 11, 7, 3, 2, {1, 2}, {1, 0, 2, 1}, {1, 1}, false},
      // Long rows (most windows inside the row), and a window wider than
      // the row (none inside).
      {1, 2, 5, 40, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false},
      {1, 2, 6, 3, 3, 5, {1, 1}, {1, 2, 1, 2}, {1, 1}, false},
  };
}

/// intr.max_pool2d's attributes for `c`.
AttrMap poolAttrs(const PoolCase &c) {
  AttrMap attrs;
  attrs.set("kernel", ints({c.kh, c.kw}));
  attrs.set("strides", ints(c.strides));
  attrs.set("padding", ints(c.pads));
  attrs.set("ceil_mode", ints({c.ceil}));
  return attrs;
}

/// Runs every case in one layout, NCHW or channels last ([N, H, W, C]),
/// whose maxima are the reference's, permuted.
void expectPoolCasesMatch(bool channelsLast) {
  for (const PoolCase &c : poolCases()) {
    SCOPED_TRACE("H=" + std::to_string(c.H) +
                 " ceil=" + std::to_string(c.ceil));
    Tensor x = randomTensor({c.N, c.C, c.H, c.W});
    Tensor xIn = channelsLast ? toChannelsLast(x) : x;
    std::vector<int64_t> outShape = {c.N, c.C, c.outH(), c.outW()};
    Tensor y(DType::F32,
             channelsLast ? std::vector<int64_t>{c.N, c.outH(), c.outW(), c.C}
                          : outShape);
    AttrMap attrs = poolAttrs(c);
    attrs.set("channels_last", ints({channelsLast}));
    runOk("intr.max_pool2d", {arg(xIn)}, {arg(y)}, attrs);
    std::vector<double> expected;
    std::vector<int64_t> indices;
    poolReference(c, x, expected, indices);
    expectClose(
        y, channelsLast ? toChannelsLast(expected.data(), outShape) : expected,
        0.0);
  }
}

TEST(NNMaxPool2D, MatchesReference) { expectPoolCasesMatch(false); }

TEST(NNMaxPool2D, ChannelsLastMatchesReference) { expectPoolCasesMatch(true); }

// Tests that a NaN in a window wins, as in PyTorch, in both layouts: two
// channels over one 2x2 window, the first with a NaN among 1, 7, 3, the
// second 4, 2, 9, 0.
TEST(NNMaxPool2D, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor first =
      make<float>(DType::F32, {1, 2, 2, 2}, {1, nan, 7, 3, 4, 2, 9, 0}); // NCHW
  for (bool channelsLast : {false, true}) {
    SCOPED_TRACE(channelsLast ? "NHWC" : "NCHW");
    Tensor x = channelsLast ? toChannelsLast(first) : first;
    Tensor y(DType::F32, {1, channelsLast ? 1 : 2, 1, channelsLast ? 2 : 1});
    AttrMap attrs;
    attrs.set("kernel", ints({2, 2}));
    attrs.set("channels_last", ints({channelsLast}));
    runOk("intr.max_pool2d", {arg(x)}, {arg(y)}, attrs);
    EXPECT_TRUE(std::isnan(floats(y)[0]));
    EXPECT_EQ(floats(y)[1], 9.0f);
  }
}

TEST(NNMaxPool2D, CeilModeShapes) {
  PoolCase grows{1, 1, 8, 8, 3, 3, {2, 2}, {0, 0, 0, 0}, {1, 1}, true};
  EXPECT_EQ(grows.outH(), 4);
  PoolCase dropped{1, 1, 5, 5, 2, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true};
  EXPECT_EQ(dropped.outH(), 3);
  // The kernel agrees: the output of the other size is rejected.
  Tensor x = randomTensor({1, 1, 5, 5}), y(DType::F32, {1, 1, 4, 4});
  AttrMap attrs;
  attrs.set("kernel", ints({2, 2}));
  attrs.set("strides", ints({2, 2}));
  attrs.set("padding", ints({1, 1, 1, 1}));
  attrs.set("ceil_mode", ints({1}));
  expectError("intr.max_pool2d", {arg(x)}, {arg(y)}, attrs, "output");
}

TEST(NNMaxPool2D, RejectsMalformedSteps) {
  Tensor x = randomTensor({1, 2, 6, 6}), y(DType::F32, {1, 2, 3, 3});
  const char *k = "intr.max_pool2d";
  AttrMap attrs;
  attrs.set("kernel", ints({2, 2}));
  attrs.set("strides", ints({2, 2}));
  runOk(k, {arg(x)}, {arg(y)}, attrs);
  expectError(k, {arg(x)}, {arg(y)}, AttrMap(), "kernel");
  expectError(k, {arg(x), arg(x)}, {arg(y)}, attrs, "operands");
  Tensor wrongY(DType::F32, {1, 2, 3, 4});
  expectError(k, {arg(x)}, {arg(wrongY)}, attrs, "output");
  Tensor x3 = randomTensor({2, 6, 6});
  expectError(k, {arg(x3)}, {arg(y)}, attrs, "2-D");
  AttrMap padding = attrs;
  padding.set("padding", ints({2, 0, 0, 0}));
  expectError(k, {arg(x)}, {arg(y)}, padding, "smaller than kernel");
  Tensor half(DType::F16, {1, 2, 6, 6});
  expectError(k, {arg(half)}, {arg(y)}, attrs, "f32");
}

TEST(NNOnnxMaxPool, MatchesReferenceWithIndices) {
  std::vector<PoolCase> cases = poolCases();
  // Dilations, which intr.max_pool2d does not have.
  cases.push_back({1, 3, 10, 9, 3, 2, {1, 2}, {1, 1, 1, 1}, {2, 3}, false});
  cases.push_back({1, 2, 9, 10, 2, 3, {2, 2}, {0, 1, 1, 0}, {2, 2}, true});
  for (const PoolCase &c : cases)
    for (int64_t storageOrder : {0, 1}) {
      Tensor x = randomTensor({c.N, c.C, c.H, c.W});
      std::vector<int64_t> shape = {c.N, c.C, c.outH(), c.outW()};
      Tensor y(DType::F32, shape), indices(DType::I64, shape);
      AttrMap attrs;
      attrs.set("kernel_shape", ints({c.kh, c.kw}));
      attrs.set("strides", ints(c.strides));
      attrs.set("pads", ints(c.pads));
      attrs.set("dilations", ints(c.dilations));
      attrs.set("ceil_mode", ints({c.ceil}));
      attrs.set("storage_order", ints({storageOrder}));
      attrs.set("auto_pad", str("NOTSET"));
      runOk("onnx.MaxPool", {arg(x)}, {arg(y), arg(indices)}, attrs);
      std::vector<double> expected;
      std::vector<int64_t> expectedIndices;
      poolReference(c, x, expected, expectedIndices);
      expectClose(y, expected, 0.0);
      for (size_t i = 0; i < expectedIndices.size(); ++i) {
        int64_t index = expectedIndices[i];
        if (storageOrder == 1) {
          // Column-major within the image.
          int64_t plane = index / (c.H * c.W), rest = index % (c.H * c.W);
          index = plane * c.H * c.W + (rest % c.W) * c.H + rest / c.W;
        }
        ASSERT_EQ(indices.data<int64_t>()[i], index) << "element " << i;
      }

      // Without Indices: a single result, or a null one.
      Tensor y2(DType::F32, shape), y3(DType::F32, shape);
      runOk("onnx.MaxPool", {arg(x)}, {arg(y2)}, attrs);
      runOk("onnx.MaxPool", {arg(x)}, {arg(y3), none()}, attrs);
      expectClose(y2, expected, 0.0);
      expectClose(y3, expected, 0.0);
    }
}

TEST(NNOnnxMaxPool, RejectsMalformedSteps) {
  Tensor x = randomTensor({1, 2, 6, 6}), y(DType::F32, {1, 2, 3, 3});
  const char *k = "onnx.MaxPool";
  AttrMap attrs;
  attrs.set("kernel_shape", ints({2, 2}));
  attrs.set("strides", ints({2, 2}));
  runOk(k, {arg(x)}, {arg(y)}, attrs);
  Tensor f32Indices(DType::F32, {1, 2, 3, 3});
  expectError(k, {arg(x)}, {arg(y), arg(f32Indices)}, attrs, "Indices");
  Tensor shortIndices(DType::I64, {1, 2, 3});
  expectError(k, {arg(x)}, {arg(y), arg(shortIndices)}, attrs, "Indices");
  AttrMap order = attrs;
  order.set("storage_order", ints({2}));
  expectError(k, {arg(x)}, {arg(y)}, order, "storage_order");
  AttrMap pads = attrs;
  pads.set("pads", ints({1, 1, 1}));
  expectError(k, {arg(x)}, {arg(y)}, pads, "pads");
  Tensor x5 = randomTensor({1, 2, 6, 6, 6});
  expectError(k, {arg(x5)}, {arg(y)}, attrs, "2-D");
}

//===----------------------------------------------------------------------===//
// Linear, MatMul, Gemm
//===----------------------------------------------------------------------===//

TEST(NNLinear, MatchesReference) {
  struct Case {
    std::vector<int64_t> inputShape;
    int64_t N;
    bool transposed, bias, relu;
  } cases[] = {
      {{2, 3, 5}, 7, true, true, false}, {{4, 9}, 6, false, true, true},
      {{11}, 3, true, false, false},     {{2, 1, 3, 8}, 5, false, false, true},
      {{37, 64}, 129, true, true, true},
  };
  for (const Case &c : cases) {
    int64_t K = c.inputShape.back();
    int64_t M = elementCount(c.inputShape) / K;
    Tensor x = randomTensor(c.inputShape);
    Tensor w = randomTensor(c.transposed ? std::vector<int64_t>{c.N, K}
                                         : std::vector<int64_t>{K, c.N});
    Tensor b = randomTensor({c.N});
    std::vector<int64_t> outShape = c.inputShape;
    outShape.back() = c.N;
    Tensor y(DType::F32, outShape);
    AttrMap attrs;
    attrs.set("transpose_weight", ints({c.transposed}));
    attrs.set("activation", str(c.relu ? "relu" : "none"));
    std::vector<TensorArg> inputs = {arg(x), arg(w)};
    if (c.bias)
      inputs.push_back(arg(b));
    runOk("intr.linear", inputs, {arg(y)}, attrs);

    std::vector<double> expected(M * c.N);
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < c.N; ++n) {
        double acc = c.bias ? floats(b)[n] : 0.0;
        for (int64_t k = 0; k < K; ++k)
          acc += double(floats(x)[m * K + k]) *
                 floats(w)[c.transposed ? n * K + k : k * c.N + n];
        expected[m * c.N + n] = c.relu ? std::max(acc, 0.0) : acc;
      }
    expectClose(y, expected);
  }
}

// Tests a single row (a batch-1 classifier, which runs as matrix-vector
// products over bands of the columns) in both weight layouts, with and
// without bias and ReLU, on 1 and 2 threads: a result that held NaNs
// before is overwritten.
TEST(NNLinear, SingleRowMatchesReference) {
  const int64_t K = 300, N = 2003;
  Tensor x = randomTensor({1, K});
  Tensor b = randomTensor({N});
  for (bool transposed : {true, false})
    for (bool biasAndRelu : {false, true})
      for (int threads : {1, 2}) {
        Tensor w = randomTensor(transposed ? std::vector<int64_t>{N, K}
                                           : std::vector<int64_t>{K, N});
        Tensor y(DType::F32, {1, N});
        std::fill(y.data<float>(), y.data<float>() + N, NAN);
        AttrMap attrs;
        attrs.set("transpose_weight", ints({transposed}));
        attrs.set("activation", str(biasAndRelu ? "relu" : "none"));
        std::vector<TensorArg> inputs = {arg(x), arg(w)};
        if (biasAndRelu)
          inputs.push_back(arg(b));
        runOk("intr.linear", inputs, {arg(y)}, attrs, threads);
        std::vector<double> expected(N);
        for (int64_t n = 0; n < N; ++n) {
          double acc = biasAndRelu ? floats(b)[n] : 0.0;
          for (int64_t k = 0; k < K; ++k)
            acc += double(floats(x)[k]) *
                   floats(w)[transposed ? n * K + k : k * N + n];
          expected[n] = biasAndRelu ? std::max(acc, 0.0) : acc;
        }
        expectClose(y, expected);
      }
}

// Tests a positional bias, varying along one leading axis of the result:
// sequence first ([S, B, K] with [S, 1, N]), batch first ([B, S, K] with
// [1, S, N]), an inner axis ([2, 3, 4, K] with [1, 3, 1, N]), with a ReLU.
TEST(NNLinear, PositionalBias) {
  struct Case {
    std::vector<int64_t> inputShape, biasShape;
    bool relu;
  };
  const Case cases[] = {{{5, 2, 8}, {5, 1, 6}, false},
                        {{2, 5, 8}, {1, 5, 6}, true},
                        {{2, 3, 4, 7}, {1, 3, 1, 5}, false},
                        {{4, 3}, {4, 2}, false}};
  for (const Case &c : cases) {
    const int64_t K = c.inputShape.back(), N = c.biasShape.back();
    std::vector<int64_t> outShape = c.inputShape;
    outShape.back() = N;
    SCOPED_TRACE(formatShape(c.inputShape) + " bias " +
                 formatShape(c.biasShape));
    Tensor x = randomTensor(c.inputShape), w = randomTensor({N, K});
    Tensor bias = randomTensor(c.biasShape), y(DType::F32, outShape);
    AttrMap attrs;
    attrs.set("activation", str(c.relu ? "relu" : "none"));
    runOk("intr.linear", {arg(x), arg(w), arg(bias)}, {arg(y)}, attrs);

    // Row r's index along each leading axis; the bias reads index 0 where
    // its size is 1.
    const int64_t M = elementCount(c.inputShape) / K;
    std::vector<double> expected(M * N);
    for (int64_t r = 0; r < M; ++r) {
      int64_t rest = r, biasRow = 0, biasStride = 1;
      for (size_t axis = outShape.size() - 1; axis-- > 0;) {
        int64_t index = rest % outShape[axis];
        rest /= outShape[axis];
        if (c.biasShape[axis] != 1)
          biasRow += index * biasStride;
        biasStride *= c.biasShape[axis];
      }
      for (int64_t n = 0; n < N; ++n) {
        double acc = floats(bias)[biasRow * N + n];
        for (int64_t k = 0; k < K; ++k)
          acc += double(floats(x)[r * K + k]) * floats(w)[n * K + k];
        expected[r * N + n] = c.relu ? std::max(acc, 0.0) : acc;
      }
    }
    expectClose(y, expected);
  }
  // Two varying axes, or a size that is not the result's, are refused.
  Tensor x = randomTensor({2, 3, 4}), w = randomTensor({5, 4});
  Tensor y(DType::F32, {2, 3, 5});
  for (const std::vector<int64_t> &shape :
       {std::vector<int64_t>{2, 3, 5}, std::vector<int64_t>{1, 2, 5},
        std::vector<int64_t>{3, 5}}) {
    Tensor bias = randomTensor(shape);
    expectError("intr.linear", {arg(x), arg(w), arg(bias)}, {arg(y)}, AttrMap(),
                "bias must be [N] or vary along one axis");
  }
}

TEST(NNLinear, RejectsMalformedSteps) {
  Tensor x = randomTensor({3, 4}), w = randomTensor({5, 4});
  Tensor b = randomTensor({5}), y(DType::F32, {3, 5});
  const char *k = "intr.linear";
  runOk(k, {arg(x), arg(w), arg(b)}, {arg(y)}, AttrMap());
  AttrMap untransposed;
  untransposed.set("transpose_weight", ints({0}));
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(y)}, untransposed, "[K, N]");
  Tensor shortBias = randomTensor({4});
  expectError(k, {arg(x), arg(w), arg(shortBias)}, {arg(y)}, AttrMap(), "bias");
  Tensor wrongY(DType::F32, {3, 4});
  expectError(k, {arg(x), arg(w), arg(b)}, {arg(wrongY)}, AttrMap(), "output");
  expectError(k, {arg(x)}, {arg(y)}, AttrMap(), "operands");
  Tensor intX(DType::I32, {3, 4});
  expectError(k, {arg(intX), arg(w), arg(b)}, {arg(y)}, AttrMap(), "f32");
}

/// numpy.matmul in double, for shapes already padded to rank >= 2 with
/// batch dimensions of equal rank.
std::vector<double> matmulReference(const Tensor &a, std::vector<int64_t> as,
                                    const Tensor &b, std::vector<int64_t> bs) {
  size_t rank = std::max(as.size(), bs.size());
  as.insert(as.begin(), rank - as.size(), 1);
  bs.insert(bs.begin(), rank - bs.size(), 1);
  int64_t M = as[rank - 2], K = as[rank - 1], N = bs[rank - 1];
  std::vector<int64_t> batch(rank - 2);
  for (size_t i = 0; i + 2 < rank; ++i)
    batch[i] = std::max(as[i], bs[i]);
  int64_t batches = elementCount(batch);
  std::vector<double> out(batches * M * N);
  for (int64_t e = 0; e < batches; ++e) {
    // Row-major batch index -> operand batch offsets.
    int64_t rest = e, offsetA = 0, offsetB = 0, strideA = 1, strideB = 1;
    for (size_t i = batch.size(); i-- > 0;) {
      int64_t index = rest % batch[i];
      rest /= batch[i];
      offsetA += (as[i] == 1 ? 0 : index) * strideA;
      offsetB += (bs[i] == 1 ? 0 : index) * strideB;
      strideA *= as[i];
      strideB *= bs[i];
    }
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        double acc = 0.0;
        for (int64_t k = 0; k < K; ++k)
          acc += double(floats(a)[(offsetA * M + m) * K + k]) *
                 floats(b)[(offsetB * K + k) * N + n];
        out[(e * M + m) * N + n] = acc;
      }
  }
  return out;
}

TEST(NNMatMul, MatchesReference) {
  struct Case {
    std::vector<int64_t> a, b, y;
  } cases[] = {
      {{2, 3, 4}, {4, 5}, {2, 3, 5}},
      {{3, 4}, {2, 4, 5}, {2, 3, 5}},
      {{2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5}},
      {{8, 19, 16}, {8, 16, 19}, {8, 19, 19}},
      {{1, 7, 6}, {6, 9}, {1, 7, 9}},
      {{4}, {4, 5}, {5}},
      {{3, 4}, {4}, {3}},
      {{2, 3, 4}, {4}, {2, 3}},
      {{4}, {2, 4, 3}, {2, 3}},
      {{6}, {6}, {}},
      // Batches shared among threads, a product each: small ones (batch
      // matrices broadcast both ways), and larger ones many enough; and
      // larger ones too few, each on every thread.
      {{4, 1, 5, 7}, {3, 7, 6}, {4, 3, 5, 6}},
      {{9, 70, 64}, {9, 64, 90}, {9, 70, 90}},
      {{3, 70, 64}, {3, 64, 90}, {3, 70, 90}},
  };
  for (const Case &c : cases)
    for (int threads : {2, 3}) {
      SCOPED_TRACE(formatShape(c.a) + " x " + formatShape(c.b) + " on " +
                   std::to_string(threads) + " threads");
      Tensor a = randomTensor(c.a), b = randomTensor(c.b);
      Tensor y(DType::F32, c.y);
      runOk("onnx.MatMul", {arg(a), arg(b)}, {arg(y)}, AttrMap(), threads);
      std::vector<int64_t> as = c.a, bs = c.b;
      if (as.size() == 1)
        as.insert(as.begin(), 1);
      if (bs.size() == 1)
        bs.push_back(1);
      expectClose(y, matmulReference(a, as, b, bs));
    }
}

/// Products of f64, i32 and i64 (a plain loop; integers wrap around as
/// numpy's do): batch broadcast against a loop in int64 here, one that
/// wraps, and operands of two types refused.
TEST(NNMatMul, IntegersAndDoubles) {
  // A [2, 1, 2, 3] x B [3, 3, 2]: Y [2, 3, 2, 2].
  std::vector<int64_t> as = {2, 1, 2, 3}, bs = {3, 3, 2}, ys = {2, 3, 2, 2};
  std::vector<int64_t> av(12), bv(18);
  for (size_t i = 0; i < av.size(); ++i)
    av[i] = int64_t(i * 7 % 11) - 5;
  for (size_t i = 0; i < bv.size(); ++i)
    bv[i] = int64_t(i * 5 % 13) - 6;
  std::vector<int64_t> want(24);
  for (int64_t e0 = 0; e0 < 2; ++e0)
    for (int64_t e1 = 0; e1 < 3; ++e1)
      for (int64_t m = 0; m < 2; ++m)
        for (int64_t n = 0; n < 2; ++n) {
          int64_t acc = 0;
          for (int64_t k = 0; k < 3; ++k)
            acc += av[(e0 * 2 + m) * 3 + k] * bv[(e1 * 3 + k) * 2 + n];
          want[((e0 * 3 + e1) * 2 + m) * 2 + n] = acc;
        }
  Tensor a32 = make<int32_t>(DType::I32, as, {av.begin(), av.end()});
  Tensor b32 = make<int32_t>(DType::I32, bs, {bv.begin(), bv.end()});
  Tensor y32(DType::I32, ys);
  runOk("onnx.MatMul", {arg(a32), arg(b32)}, {arg(y32)}, AttrMap(), 3);
  EXPECT_EQ(read<int32_t>(y32), std::vector<int32_t>(want.begin(), want.end()));
  Tensor a64 = make<int64_t>(DType::I64, as, av);
  Tensor b64 = make<int64_t>(DType::I64, bs, bv);
  Tensor y64(DType::I64, ys);
  runOk("onnx.MatMul", {arg(a64), arg(b64)}, {arg(y64)}, AttrMap(), 2);
  EXPECT_EQ(read<int64_t>(y64), want);
  Tensor ad = make<double>(DType::F64, as, {av.begin(), av.end()});
  Tensor bd = make<double>(DType::F64, bs, {bv.begin(), bv.end()});
  Tensor yd(DType::F64, ys);
  runOk("onnx.MatMul", {arg(ad), arg(bd)}, {arg(yd)}, AttrMap(), 2);
  EXPECT_EQ(read<double>(yd), std::vector<double>(want.begin(), want.end()));

  // 2 (2^31 - 1) + 2 = 2^32: 0 in int32.
  Tensor big = make<int32_t>(DType::I32, {1, 2}, {2147483647, 2});
  Tensor col = make<int32_t>(DType::I32, {2, 1}, {2, 1});
  Tensor wrapped(DType::I32, {1, 1});
  runOk("onnx.MatMul", {arg(big), arg(col)}, {arg(wrapped)}, AttrMap());
  EXPECT_EQ(read<int32_t>(wrapped), std::vector<int32_t>{0});

  expectError("onnx.MatMul", {arg(a32), arg(b64)}, {arg(y32)}, AttrMap(), "B");
}

TEST(NNMatMul, RejectsMalformedSteps) {
  Tensor a = randomTensor({2, 3, 4}), b = randomTensor({4, 5});
  const char *k = "onnx.MatMul";
  Tensor y(DType::F32, {2, 3, 5});
  runOk(k, {arg(a), arg(b)}, {arg(y)}, AttrMap());
  Tensor b6 = randomTensor({6, 5});
  expectError(k, {arg(a), arg(b6)}, {arg(y)}, AttrMap(), "contracted");
  Tensor b3 = randomTensor({3, 4, 5});
  expectError(k, {arg(a), arg(b3)}, {arg(y)}, AttrMap(), "broadcast");
  Tensor wrongY(DType::F32, {3, 5});
  expectError(k, {arg(a), arg(b)}, {arg(wrongY)}, AttrMap(), "Y");
  Tensor scalar(DType::F32, {});
  expectError(k, {arg(scalar), arg(b)}, {arg(y)}, AttrMap(), "rank");
  expectError(k, {arg(a)}, {arg(y)}, AttrMap(), "operands");
}

TEST(NNGemm, MatchesReference) {
  struct Case {
    int64_t M, N, K;
    bool transA, transB;
    float alpha, beta;
    std::vector<int64_t> c; // empty vector with hasC false: no C
    bool hasC;
  } cases[] = {
      {5, 7, 3, false, false, 1.0f, 1.0f, {7}, true},
      {6, 4, 9, true, false, 0.5f, 2.0f, {6, 1}, true},
      {3, 8, 5, false, true, 1.0f, 1.0f, {3, 8}, true},
      {7, 5, 6, true, true, -1.5f, 0.25f, {}, true},
      {4, 4, 4, false, true, 1.0f, 1.0f, {}, false},
      {33, 65, 130, true, true, 1.0f, 0.0f, {65}, true},
      // One row, as matrix-vector products: A transposed, C broadcast.
      {1, 700, 400, true, false, 0.5f, 2.0f, {1}, true},
      {1, 700, 400, false, true, -1.0f, 1.0f, {1, 700}, true},
  };
  for (const Case &c : cases) {
    Tensor a = randomTensor(c.transA ? std::vector<int64_t>{c.K, c.M}
                                     : std::vector<int64_t>{c.M, c.K});
    Tensor b = randomTensor(c.transB ? std::vector<int64_t>{c.N, c.K}
                                     : std::vector<int64_t>{c.K, c.N});
    Tensor bias = randomTensor(c.c);
    Tensor y(DType::F32, {c.M, c.N});
    AttrMap attrs;
    attrs.set("transA", ints({c.transA}));
    attrs.set("transB", ints({c.transB}));
    attrs.set("alpha", real(c.alpha));
    attrs.set("beta", real(c.beta));
    runOk("onnx.Gemm", {arg(a), arg(b), c.hasC ? arg(bias) : none()}, {arg(y)},
          attrs);
    std::vector<double> expected(c.M * c.N);
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t n = 0; n < c.N; ++n) {
        double acc = 0.0;
        for (int64_t k = 0; k < c.K; ++k)
          acc += double(floats(a)[c.transA ? k * c.M + m : m * c.K + k]) *
                 floats(b)[c.transB ? n * c.K + k : k * c.N + n];
        double term = 0.0;
        if (c.hasC) {
          // C broadcast: a size-1 dimension repeats.
          std::vector<int64_t> cs = c.c;
          cs.insert(cs.begin(), 2 - cs.size(), 1);
          term =
              floats(bias)[(cs[0] == 1 ? 0 : m) * cs[1] + (cs[1] == 1 ? 0 : n)];
        }
        expected[m * c.N + n] = c.alpha * acc + c.beta * term;
      }
    expectClose(y, expected);
  }
}

TEST(NNGemm, RejectsMalformedSteps) {
  Tensor a = randomTensor({3, 4}), b = randomTensor({4, 5});
  Tensor y(DType::F32, {3, 5});
  const char *k = "onnx.Gemm";
  runOk(k, {arg(a), arg(b)}, {arg(y)}, AttrMap());
  Tensor badC = randomTensor({3});
  expectError(k, {arg(a), arg(b), arg(badC)}, {arg(y)}, AttrMap(), "broadcast");
  AttrMap transB;
  transB.set("transB", ints({1}));
  expectError(k, {arg(a), arg(b)}, {arg(y)}, transB, "contracted");
  Tensor a3 = randomTensor({1, 3, 4});
  expectError(k, {arg(a3), arg(b)}, {arg(y)}, AttrMap(), "2-D");
  Tensor wrongY(DType::F32, {5, 3});
  expectError(k, {arg(a), arg(b)}, {arg(wrongY)}, AttrMap(), "Y");
}

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

TEST(NNSoftmax, MatchesReference) {
  struct Case {
    std::vector<int64_t> shape;
    int64_t axis;
  } cases[] = {{{4, 9}, -1},     {{3, 5, 7}, 1}, {{3, 5, 7}, 0},
               {{2, 3, 950}, 2}, {{13}, 0},      {{2, 1, 3}, -2}};
  for (const Case &c : cases) {
    // Large logits: the maximum must be subtracted.
    Tensor x = randomTensor(c.shape, -60.0f, 60.0f);
    Tensor y(DType::F32, c.shape);
    AttrMap attrs;
    attrs.set("axis", ints({c.axis}));
    runOk("onnx.Softmax", {arg(x)}, {arg(y)}, attrs);
    int64_t rank = c.shape.size(), axis = c.axis < 0 ? c.axis + rank : c.axis;
    int64_t n = c.shape[axis], inner = 1;
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= c.shape[d];
    std::vector<double> expected(x.numElements());
    for (int64_t outer = 0; outer < x.numElements() / (n * inner); ++outer)
      for (int64_t i = 0; i < inner; ++i) {
        auto at = [&](int64_t k) { return (outer * n + k) * inner + i; };
        double maximum = -INFINITY, sum = 0.0;
        for (int64_t k = 0; k < n; ++k)
          maximum = std::max(maximum, double(floats(x)[at(k)]));
        for (int64_t k = 0; k < n; ++k)
          sum += std::exp(floats(x)[at(k)] - maximum);
        for (int64_t k = 0; k < n; ++k)
          expected[at(k)] = std::exp(floats(x)[at(k)] - maximum) / sum;
      }
    expectClose(y, expected, 1e-5);
  }
}

/// A softmax over the last axis gives 0 where e^x is below the normal
/// floats (scores 100 below the row's maximum, as a window mask makes
/// them), not the subnormals that would slow down the products reading
/// them; the other probabilities are as before.
TEST(NNSoftmax, LastAxisGivesNoSubnormals) {
  Tensor x =
      make<float>(DType::F32, {2, 4},
                  {0.0f, -100.0f, -1.0f, -90.0f, 3.0f, 2.0f, -97.0f, -150.0f});
  Tensor y(DType::F32, {2, 4});
  AttrMap attrs;
  attrs.set("axis", ints({-1}));
  runOk("onnx.Softmax", {arg(x)}, {arg(y)}, attrs);
  const float *p = floats(y);
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_NE(std::fpclassify(p[i]), FP_SUBNORMAL) << i;
  EXPECT_EQ(p[1], 0.0f);
  EXPECT_EQ(p[3], 0.0f);
  EXPECT_EQ(p[6], 0.0f);
  EXPECT_NEAR(p[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(p[4], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
}

// Tests that the attention kernels' softmax, on its own polynomial e^x,
// is within a few ulp of the softmax in double: over scores that span
// e^x's whole normal range and beyond (-inf, masked keys, underflow to 0),
// on rows of every length modulo the vector width; that a row of -inf
// only gives NaN, and that a NaN makes its row NaN.
TEST(NNSoftmaxRow, WithinUlpsOfDouble) {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> spread(-100.0f, 5.0f);
  for (int64_t n : {1, 7, 16, 17, 33, 950}) {
    std::vector<float> row(n);
    for (float &v : row)
      v = spread(random);
    if (n > 1)
      row[n / 2] = -INFINITY;
    std::vector<float> x = row;
    nn::softmaxRow(row.data(), n);
    // The scores less their maximum are rounded to float, as in the
    // kernel: e^x in double of the same x.
    float maximum = *std::max_element(x.begin(), x.end());
    double sum = 0.0;
    for (float v : x)
      sum += std::exp(double(v - maximum));
    for (int64_t i = 0; i < n; ++i) {
      double expected = std::exp(double(x[i] - maximum)) / sum;
      // Below the normal floats the polynomial gives 0.
      double tolerance = std::max(8e-7 * expected, 1.2e-38);
      EXPECT_NEAR(row[i], expected, tolerance) << "n=" << n << " i=" << i;
    }
  }
  std::vector<float> masked(5, -INFINITY);
  nn::softmaxRow(masked.data(), 5);
  for (float v : masked)
    EXPECT_TRUE(std::isnan(v));
  std::vector<float> withNaN = {0.5f, NAN, -1.0f};
  nn::softmaxRow(withNaN.data(), 3);
  for (float v : withNaN)
    EXPECT_TRUE(std::isnan(v));
}

TEST(NNSoftmax, RejectsMalformedSteps) {
  Tensor x = randomTensor({3, 4}), y(DType::F32, {3, 4});
  AttrMap axis;
  axis.set("axis", ints({2}));
  expectError("onnx.Softmax", {arg(x)}, {arg(y)}, axis, "axis");
  Tensor wrongY(DType::F32, {4, 3});
  expectError("onnx.Softmax", {arg(x)}, {arg(wrongY)}, AttrMap(), "output");
  Tensor ints64(DType::I64, {3, 4});
  expectError("onnx.Softmax", {arg(ints64)}, {arg(y)}, AttrMap(), "f32");
}

/// Layer norm of rows of D in double: y, and the rows' means and inverse
/// deviations.
std::vector<double> layerNormReference(const std::vector<double> &s, int64_t D,
                                       const float *scale, const float *bias,
                                       double epsilon,
                                       std::vector<double> *means = nullptr,
                                       std::vector<double> *invs = nullptr) {
  int64_t rows = s.size() / D;
  std::vector<double> out(s.size());
  for (int64_t r = 0; r < rows; ++r) {
    double mean = 0.0, var = 0.0;
    for (int64_t d = 0; d < D; ++d)
      mean += s[r * D + d] / D;
    for (int64_t d = 0; d < D; ++d)
      var += (s[r * D + d] - mean) * (s[r * D + d] - mean) / D;
    double inv = 1.0 / std::sqrt(var + epsilon);
    for (int64_t d = 0; d < D; ++d)
      out[r * D + d] =
          (s[r * D + d] - mean) * inv * scale[d] + (bias ? bias[d] : 0.0);
    if (means)
      means->push_back(mean);
    if (invs)
      invs->push_back(inv);
  }
  return out;
}

TEST(NNLayerNorm, MatchesReference) {
  struct Case {
    std::vector<int64_t> shape;
    bool residual;
    double epsilon;
  } cases[] = {{{2, 5, 16}, true, 1e-5},
               {{7, 33}, false, 1e-5},
               {{1, 950, 256}, true, 1e-6},
               {{3}, false, 1e-3}};
  for (const Case &c : cases) {
    int64_t D = c.shape.back();
    // An offset mean, as activations have.
    Tensor x = randomTensor(c.shape, 2.0f, 4.0f);
    Tensor res = randomTensor(c.shape), scale = randomTensor({D});
    Tensor bias = randomTensor({D});
    Tensor y(DType::F32, c.shape), sum(DType::F32, c.shape);
    AttrMap attrs;
    attrs.set("epsilon", real(c.epsilon));
    std::vector<TensorArg> inputs = {arg(x), arg(scale), arg(bias)};
    if (c.residual)
      inputs.push_back(arg(res));
    runOk("intr.layer_norm", inputs, {arg(y), arg(sum)}, attrs);
    std::vector<double> s(x.numElements());
    for (size_t i = 0; i < s.size(); ++i)
      s[i] = double(floats(x)[i]) + (c.residual ? floats(res)[i] : 0.0);
    expectClose(sum, s, 1e-6);
    expectClose(
        y, layerNormReference(s, D, floats(scale), floats(bias), c.epsilon));

    // In place, as a plan may run it: the output over the input and the sum
    // over the residual give the same bits.
    Tensor xInPlace = x, resInPlace = res;
    std::vector<TensorArg> overInputs = {arg(xInPlace), arg(scale), arg(bias)};
    if (c.residual)
      overInputs.push_back(arg(resInPlace));
    runOk("intr.layer_norm", overInputs,
          {arg(xInPlace), c.residual ? arg(resInPlace) : none()}, attrs);
    EXPECT_EQ(std::memcmp(xInPlace.rawData(), y.rawData(), y.sizeInBytes()), 0);
    if (c.residual) {
      EXPECT_EQ(
          std::memcmp(resInPlace.rawData(), sum.rawData(), sum.sizeInBytes()),
          0);
    }
  }
}

// Tests that the shifted result is the output plus the addend, with and
// without a residual (an omitted residual is a none before the addend).
TEST(NNLayerNorm, AddendGivesShiftedOutput) {
  for (bool residual : {false, true}) {
    SCOPED_TRACE(residual ? "residual" : "no residual");
    std::vector<int64_t> shape = {2, 7, 33};
    Tensor x = randomTensor(shape, 2.0f, 4.0f), res = randomTensor(shape);
    Tensor addend = randomTensor(shape, -3.0f, 3.0f);
    Tensor scale = randomTensor({33}), bias = randomTensor({33});
    Tensor y(DType::F32, shape), sum(DType::F32, shape);
    Tensor shifted(DType::F32, shape);
    runOk("intr.layer_norm",
          {arg(x), arg(scale), arg(bias), residual ? arg(res) : none(),
           arg(addend)},
          {arg(y), arg(sum), arg(shifted)}, AttrMap());
    std::vector<double> s(x.numElements()), expected(x.numElements());
    for (size_t i = 0; i < s.size(); ++i)
      s[i] = double(floats(x)[i]) + (residual ? floats(res)[i] : 0.0);
    std::vector<double> out =
        layerNormReference(s, 33, floats(scale), floats(bias), 1e-5);
    for (size_t i = 0; i < out.size(); ++i)
      expected[i] = out[i] + floats(addend)[i];
    expectClose(y, out);
    expectClose(sum, s, 1e-6);
    expectClose(shifted, expected);
  }
}

TEST(NNLayerNorm, RejectsMalformedSteps) {
  Tensor x = randomTensor({3, 8}), scale = randomTensor({8});
  Tensor bias = randomTensor({8}), y(DType::F32, {3, 8});
  Tensor sum(DType::F32, {3, 8});
  const char *k = "intr.layer_norm";
  runOk(k, {arg(x), arg(scale), arg(bias)}, {arg(y), arg(sum)}, AttrMap());
  Tensor shortScale = randomTensor({7});
  expectError(k, {arg(x), arg(shortScale), arg(bias)}, {arg(y), arg(sum)},
              AttrMap(), "scale");
  Tensor badResidual = randomTensor({2, 8});
  expectError(k, {arg(x), arg(scale), arg(bias), arg(badResidual)},
              {arg(y), arg(sum)}, AttrMap(), "residual");
  Tensor wrongSum(DType::F32, {3, 7});
  expectError(k, {arg(x), arg(scale), arg(bias)}, {arg(y), arg(wrongSum)},
              AttrMap(), "sum");
  AttrMap epsilon;
  epsilon.set("epsilon", real(-1.0));
  expectError(k, {arg(x), arg(scale), arg(bias)}, {arg(y), arg(sum)}, epsilon,
              "epsilon");
  expectError(k, {arg(x), arg(scale)}, {arg(y), arg(sum)}, AttrMap(),
              "operands");
  Tensor addend = randomTensor({3, 8}), shifted(DType::F32, {3, 8});
  expectError(k, {arg(x), arg(scale), arg(bias), none(), arg(addend)},
              {arg(y), arg(sum)}, AttrMap(), "needs the shifted result");
  expectError(k, {arg(x), arg(scale), arg(bias)},
              {arg(y), arg(sum), arg(shifted)}, AttrMap(), "needs an addend");
  expectError(k, {arg(x), arg(scale), arg(bias), none(), arg(badResidual)},
              {arg(y), arg(sum), arg(shifted)}, AttrMap(), "addend");
  Tensor wrongShifted(DType::F32, {3, 7});
  expectError(k, {arg(x), arg(scale), arg(bias), none(), arg(addend)},
              {arg(y), arg(sum), arg(wrongShifted)}, AttrMap(), "shifted");
}

TEST(NNOnnxLayerNorm, MatchesReference) {
  struct Case {
    std::vector<int64_t> shape, scaleShape;
    int64_t axis;
    bool bias, stats;
  } cases[] = {
      {{6, 32}, {32}, -1, true, true},
      {{2, 4, 5}, {4, 5}, 1, true, true},
      {{2, 4, 5}, {1, 5}, -2, false, false},
      {{3, 7, 9}, {9}, 2, false, true},
      // An instance norm as onnx-decompose writes it: one scale value.
      {{2, 3, 6, 7}, {}, 2, false, true},
  };
  for (const Case &c : cases) {
    int64_t rank = c.shape.size(), axis = c.axis < 0 ? c.axis + rank : c.axis;
    std::vector<int64_t> inner(c.shape.begin() + axis, c.shape.end());
    std::vector<int64_t> statsShape(c.shape.begin(), c.shape.begin() + axis);
    statsShape.resize(rank, 1);
    int64_t D = elementCount(inner);
    Tensor x = randomTensor(c.shape, -3.0f, 1.0f);
    Tensor scale = randomTensor(c.scaleShape),
           bias = randomTensor(c.scaleShape);
    Tensor y(DType::F32, c.shape), mean(DType::F32, statsShape),
        inv(DType::F32, statsShape);
    AttrMap attrs;
    attrs.set("axis", ints({c.axis}));
    attrs.set("epsilon", real(1e-5));
    runOk("onnx.LayerNormalization",
          {arg(x), arg(scale), c.bias ? arg(bias) : none()},
          c.stats ? std::vector<TensorArg>{arg(y), arg(mean), arg(inv)}
                  : std::vector<TensorArg>{arg(y), none(), none()},
          attrs);
    // Scale and B expanded to the normalized size.
    std::vector<float> denseScale(D), denseBias(D);
    int64_t scaleSize = elementCount(c.scaleShape);
    for (int64_t d = 0; d < D; ++d) {
      denseScale[d] = floats(scale)[d % scaleSize];
      denseBias[d] = floats(bias)[d % scaleSize];
    }
    std::vector<double> s(floats(x), floats(x) + x.numElements()), means, invs;
    expectClose(y, layerNormReference(s, D, denseScale.data(),
                                      c.bias ? denseBias.data() : nullptr, 1e-5,
                                      &means, &invs));
    if (c.stats) {
      expectClose(mean, means);
      expectClose(inv, invs);
    }
  }
}

TEST(NNOnnxLayerNorm, RejectsMalformedSteps) {
  Tensor x = randomTensor({3, 8}), scale = randomTensor({8});
  Tensor y(DType::F32, {3, 8}), mean(DType::F32, {3});
  const char *k = "onnx.LayerNormalization";
  runOk(k, {arg(x), arg(scale)}, {arg(y)}, AttrMap());
  expectError(k, {arg(x), arg(scale)}, {arg(y), arg(mean)}, AttrMap(), "Mean");
  Tensor rowScale = randomTensor({3, 8});
  expectError(k, {arg(x), arg(rowScale)}, {arg(y)}, AttrMap(), "Scale");
  AttrMap axis;
  axis.set("axis", ints({-3}));
  expectError(k, {arg(x), arg(scale)}, {arg(y)}, axis, "axis");
}

TEST(NNBatchNorm, MatchesReference) {
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{2, 3, 4, 5}, {5, 7}, {1, 64, 9, 11}}) {
    int64_t C = shape[1], size = elementCount(shape) / (shape[0] * C);
    Tensor x = randomTensor(shape), scale = randomTensor({C});
    Tensor b = randomTensor({C}), mean = randomTensor({C});
    Tensor var = randomTensor({C}, 0.1f, 2.0f);
    Tensor y(DType::F32, shape), runningMean(DType::F32, {C});
    AttrMap attrs;
    attrs.set("epsilon", real(1e-3));
    runOk("onnx.BatchNormalization",
          {arg(x), arg(scale), arg(b), arg(mean), arg(var)},
          {arg(y), arg(runningMean), none()}, attrs);
    std::vector<double> expected(x.numElements());
    for (int64_t i = 0; i < x.numElements(); ++i) {
      int64_t c = (i / size) % C;
      expected[i] = (floats(x)[i] - double(floats(mean)[c])) /
                        std::sqrt(floats(var)[c] + 1e-3) * floats(scale)[c] +
                    floats(b)[c];
    }
    expectClose(y, expected);
    expectClose(runningMean,
                std::vector<double>(floats(mean), floats(mean) + C), 0.0);
  }
}

TEST(NNBatchNorm, RejectsMalformedSteps) {
  Tensor x = randomTensor({2, 3, 4}), p = randomTensor({3});
  Tensor p4 = randomTensor({4}), y(DType::F32, {2, 3, 4});
  const char *k = "onnx.BatchNormalization";
  runOk(k, {arg(x), arg(p), arg(p), arg(p), arg(p)}, {arg(y)}, AttrMap());
  expectError(k, {arg(x), arg(p), arg(p), arg(p4), arg(p)}, {arg(y)}, AttrMap(),
              "input_mean");
  expectError(k, {arg(x), arg(p), arg(p), arg(p)}, {arg(y)}, AttrMap(),
              "operands");
  AttrMap training;
  training.set("training_mode", ints({1}));
  expectError(k, {arg(x), arg(p), arg(p), arg(p), arg(p)}, {arg(y)}, training,
              "training_mode");
  Tensor wrongY(DType::F32, {2, 3, 5});
  expectError(k, {arg(x), arg(p), arg(p), arg(p), arg(p)}, {arg(wrongY)},
              AttrMap(), "Y");
}

TEST(NNKernels, EmptyTensors) {
  // Zero-size operands (a null data pointer is allowed then) run as no-ops
  // or give the bias alone, with the attributes' defaults.
  Tensor x0(DType::F32, {0, 3, 5, 5}), w = randomTensor({2, 3, 3, 3});
  Tensor b = randomTensor({2}), y0(DType::F32, {0, 2, 3, 3});
  runOk("intr.conv2d", {arg(x0), arg(w), arg(b)}, {arg(y0)}, AttrMap());

  Tensor xk(DType::F32, {4, 0}), wk(DType::F32, {3, 0});
  Tensor bias = randomTensor({3}), y(DType::F32, {4, 3});
  runOk("intr.linear", {arg(xk), arg(wk), arg(bias)}, {arg(y)}, AttrMap());
  std::vector<double> expected;
  for (int r = 0; r < 4; ++r)
    for (int n = 0; n < 3; ++n)
      expected.push_back(floats(bias)[n]);
  expectClose(y, expected, 0.0);

  Tensor a(DType::F32, {2, 0, 3}), m = randomTensor({3, 4});
  Tensor empty(DType::F32, {2, 0, 4});
  TensorArg nullA = arg(a), nullY = arg(empty);
  nullA.data = nullptr;
  nullY.data = nullptr;
  runOk("onnx.MatMul", {nullA, arg(m)}, {nullY}, AttrMap());

  Tensor rows(DType::F32, {0, 8}), scale = randomTensor({8});
  Tensor out(DType::F32, {0, 8}), sum(DType::F32, {0, 8});
  runOk("intr.layer_norm", {arg(rows), arg(scale), arg(scale)},
        {arg(out), arg(sum)}, AttrMap());
}

} // namespace
