//===- ConvKernelsGpuTest.cpp - CUDA convolution kernels ------------------===//
//
// intr.conv2d and onnx.Conv on the CUDA backend next to their CPU twins:
// 1x1, 3x3 and 7x7 kernels, strides of 2, symmetric and asymmetric
// padding, dilation, groups up to depthwise, batches of 1 and 3, with and
// without the bias and the ReLU. Asymmetric padding (ONNX's SAME_*) takes
// the im2col path even with cuDNN, and one case is large enough for that
// path to cut its column buffer into chunks. The f16 and bf16 convolutions
// of --precision fp16|bf16 plans run on cuDNN's tensor cores and must match
// the CPU (which sums in f32 too) within two steps of their rounding.
// Malformed steps must be refused on the host with an Error.
//
//===----------------------------------------------------------------------===//

#include "GpuKernelCase.h"

#include "CUDA/ConvKernels.h"
#include "CUDA/CudaKernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

/// One convolution problem: input [N, C, H, W], O output channels, a kh x kw
/// kernel, strides, padding, dilations and groups.
struct ConvCase {
  int64_t N, C, H, W, O, kh, kw;
  std::vector<int64_t> strides, pads,
      dilations; // pads: top, left, bottom, right
  int64_t groups;

  int64_t outH() const {
    return (H + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] +
           1;
  }
  int64_t outW() const {
    return (W + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] +
           1;
  }
  /// fp32 sums of C/groups·kh·kw products in another order than the CPU's:
  /// looser for long ones.
  double tolerance() const { return C / groups * kh * kw > 64 ? 1e-3 : 1e-4; }
  std::string name() const {
    return "N=" + std::to_string(N) + " C=" + std::to_string(C) +
           " O=" + std::to_string(O) + " k=" + std::to_string(kh) + "x" +
           std::to_string(kw) + " strides=" + formatShape(strides) +
           " pads=" + formatShape(pads) +
           " dilations=" + formatShape(dilations) +
           " groups=" + std::to_string(groups);
  }
};

std::vector<ConvCase> convCases() {
  return {
      // 1x1, stride 1, no padding: a plain GEMM on the input.
      {1, 64, 13, 17, 33, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
      {3, 7, 5, 6, 9, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
      // 1x1, stride 2: ResNet's downsampling shortcut.
      {3, 32, 14, 15, 64, 1, 1, {2, 2}, {0, 0, 0, 0}, {1, 1}, 1},
      // 3x3, padding 1, stride 1 and 2.
      {3, 16, 17, 19, 33, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
      {1, 16, 20, 23, 32, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, 1},
      // 7x7, stride 2, padding 3: ResNet's stem.
      {1, 3, 64, 70, 64, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1},
      {3, 3, 33, 31, 16, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1},
      // Dilation.
      {2, 8, 15, 16, 12, 3, 3, {1, 1}, {2, 2, 2, 2}, {2, 2}, 1},
      {1, 4, 19, 17, 5, 3, 2, {2, 1}, {1, 0, 1, 0}, {3, 2}, 1},
      // Groups, batched over the images (groups <= N) or over the groups.
      {3, 16, 9, 10, 8, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 2},
      {1, 16, 9, 10, 8, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 4},
      {1, 8, 7, 7, 8, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 4},
      // Depthwise, stride 2.
      {2, 12, 11, 9, 12, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, 12},
      // Asymmetric padding and a non-square kernel.
      {2, 5, 9, 8, 7, 3, 3, {2, 2}, {0, 1, 2, 1}, {1, 1}, 1},
      {1, 6, 12, 10, 5, 3, 1, {2, 1}, {1, 0, 0, 0}, {1, 1}, 1},
      // A long reduction: 256 channels of 3x3.
      {1, 256, 10, 12, 33, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
      // A window as large as the padded input: one output position.
      {2, 3, 5, 5, 4, 7, 7, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
  };
}

/// Two steps of a 16-bit type's rounding, relative (f16 keeps 11
/// significant bits, bf16 8): what a different order of the f32 sums can
/// change in the rounded result.
double sixteenBitTolerance(DType dtype) {
  return dtype == DType::F16 ? std::ldexp(1.0, -9) : std::ldexp(1.0, -6);
}

/// intr.conv2d of `c` (its bias always present, as raising makes it),
/// with a residual of the output's shape when asked; every operand and the
/// result in `dtype`; NHWC images and an OHWI weight with `channelsLast`.
KernelCase conv2dCase(const ConvCase &c, bool relu, bool residual = false,
                      DType dtype = DType::F32, bool channelsLast = false) {
  auto image = [&](int64_t n, int64_t ch, int64_t h, int64_t w) {
    return channelsLast ? std::vector<int64_t>{n, h, w, ch}
                        : std::vector<int64_t>{n, ch, h, w};
  };
  KernelCase k("intr.conv2d");
  k.input(randomTensor(image(c.N, c.C, c.H, c.W), -1.0f, 1.0f, dtype))
      .input(randomTensor(image(c.O, c.C / c.groups, c.kh, c.kw), -1.0f, 1.0f,
                          dtype))
      .input(randomTensor({c.O}, -1.0f, 1.0f, dtype));
  if (residual)
    k.input(randomTensor(image(c.N, c.O, c.outH(), c.outW()), -1.0f, 1.0f,
                         dtype));
  double tolerance =
      dtype == DType::F32 ? c.tolerance() : sixteenBitTolerance(dtype);
  if (channelsLast)
    k.attr("channels_last", ints({1}));
  k.output(dtype, image(c.N, c.O, c.outH(), c.outW()))
      .attr("strides", ints(c.strides))
      .attr("padding", ints(c.pads))
      .attr("dilations", ints(c.dilations))
      .attr("groups", ints({c.groups}))
      .attr("activation", str(relu ? "relu" : "none"))
      .tolerance(tolerance, tolerance);
  return k;
}

/// onnx.Conv of `c`; without a bias, B is omitted (a trailing operand left
/// out) or given as a null operand.
KernelCase onnxConvCase(const ConvCase &c, bool bias, bool nullBias = false) {
  KernelCase k("onnx.Conv");
  k.input(randomTensor({c.N, c.C, c.H, c.W}))
      .input(randomTensor({c.O, c.C / c.groups, c.kh, c.kw}));
  if (bias)
    k.input(randomTensor({c.O}));
  else if (nullBias)
    k.noInput();
  k.output(DType::F32, {c.N, c.O, c.outH(), c.outW()})
      .attr("strides", ints(c.strides))
      .attr("pads", ints(c.pads))
      .attr("dilations", ints(c.dilations))
      .attr("group", ints({c.groups}))
      .attr("kernel_shape", ints({c.kh, c.kw}))
      .attr("auto_pad", str("NOTSET"))
      .tolerance(c.tolerance(), c.tolerance());
  return k;
}

// Tests that the backend registers every kernel of ConvKernels.cu.
TEST(CudaConvKernels, AllRegistered) {
  for (const char *name : {"intr.conv2d", "onnx.Conv"})
    EXPECT_NE(cuda::KernelRegistry::cuda().find(name), nullptr) << name;
}

//===----------------------------------------------------------------------===//
// intr.conv2d
//===----------------------------------------------------------------------===//

// Tests that every case, with the bias alone and with the ReLU after it,
// matches the CPU.
TEST(CudaConv2D, MatchesCpu) {
  for (const ConvCase &c : convCases())
    for (bool relu : {false, true}) {
      SCOPED_TRACE(c.name() + " relu=" + std::to_string(relu));
      conv2dCase(c, relu).check();
    }
}

// Tests the residual in the epilogue, with and without the ReLU: cuDNN's
// fused call takes it as z (with the identity activation where the
// algorithm is the implicit precomputed GEMM), the epilogue kernel adds it
// otherwise, and the im2col path (asymmetric padding) adds it after its
// GEMMs.
TEST(CudaConv2D, ResidualMatchesCpu) {
  for (const ConvCase &c : convCases())
    for (bool relu : {false, true}) {
      SCOPED_TRACE(c.name() + " relu=" + std::to_string(relu));
      conv2dCase(c, relu, /*residual=*/true).check();
    }
  // A bottleneck's 1x1 expansion with its identity, as the backbone has it.
  conv2dCase({1, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
             true, true)
      .check();
}

// Tests the pointwise convolutions (1x1, stride 1) on each path forced,
// cuDNN and the GEMM over the NCHW input, and on the faster one: the same
// results, with every epilogue.
TEST(CudaConv2D, PointwiseOnEveryPath) {
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  const std::vector<ConvCase> cases = {
      {2, 5, 7, 6, 3, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
      {1, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
      {3, 256, 13, 19, 64, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
  };
  for (auto path : {cuda::Context::ConvPath::Cudnn,
                    cuda::Context::ConvPath::Gemm,
                    cuda::Context::ConvPath::Fastest}) {
    context->convPath = path;
    for (const ConvCase &c : cases)
      for (bool relu : {false, true})
        for (bool residual : {false, true}) {
          SCOPED_TRACE(c.name() + " path=" + std::to_string(int(path)) +
                       " relu=" + std::to_string(relu) +
                       " residual=" + std::to_string(residual));
          conv2dCase(c, relu, residual).check();
        }
  }
  context->convPath = cuda::Context::ConvPath::Fastest;
}

// Tests the forms only cuDNN runs, with every epilogue, against the CPU:
// f16 and bf16 (fp16 and bf16 plans, on its tensor cores) over NCHW, and
// channels last (NHWC images, OHWI weights: --channels-last) in f32, f16
// and bf16. Cases with padding cuDNN cannot say (asymmetric) are refused,
// as is every case without cuDNN.
TEST(CudaConv2D, CudnnOnlyFormsMatchCpu) {
  const std::pair<DType, bool> forms[] = {{DType::F16, false},
                                          {DType::BF16, false},
                                          {DType::F32, true},
                                          {DType::F16, true},
                                          {DType::BF16, true}};
  for (auto [dtype, channelsLast] : forms)
    for (const ConvCase &c : convCases()) {
      bool symmetric = c.pads[0] == c.pads[2] && c.pads[1] == c.pads[3];
      for (bool relu : {false, true})
        for (bool residual : {false, true}) {
          SCOPED_TRACE(c.name() + " " + dtypeName(dtype) +
                       (channelsLast ? " channels last" : "") +
                       " relu=" + std::to_string(relu) +
                       " residual=" + std::to_string(residual));
          KernelCase k = conv2dCase(c, relu, residual, dtype, channelsLast);
          if (INTR_HAVE_CUDNN && symmetric)
            k.check();
          else
            expectRefused(k, "needs cuDNN and the same padding");
        }
    }
}

// Tests our tensor-core kernel for 16-bit channels-last convolutions over
// at most 8 input channels (Context::smallChannelConv, SmallChannelConv.cu)
// against the CPU, in f16 and bf16, with every epilogue: the stem at a
// reduced resolution (two column tiles, the second partial), 1 to 8
// channels, dilation, 1x1 with stride 2, output channels in several tiles
// of 64 and fewer than 8, a window as large as the padded input, more
// tasks than blocks, and asymmetric padding, which cuDNN's descriptors
// cannot say: those run only on this kernel (and are refused without it),
// so they show it is taken (the stem among them).
// A case past its limits (8 channels of 7x7: 392 products) still runs on
// cuDNN.
TEST(CudaConv2D, SmallChannelKernelMatchesCpu) {
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  ScopedSetting restore(context->smallChannelConv, false);
  const std::vector<ConvCase> cases = {
      {1, 3, 200, 304, 64, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1},
      {2, 3, 33, 31, 64, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1},
      {2, 1, 9, 140, 8, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
      {1, 4, 21, 23, 72, 5, 5, {1, 1}, {4, 4, 4, 4}, {2, 2}, 1},
      {1, 8, 10, 12, 130, 1, 1, {2, 2}, {0, 0, 0, 0}, {1, 1}, 1},
      {2, 3, 5, 5, 4, 7, 7, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
      {2, 3, 17, 19, 16, 3, 3, {2, 2}, {0, 1, 2, 1}, {1, 1}, 1},
      {1, 2, 12, 260, 6, 7, 1, {2, 1}, {1, 0, 3, 0}, {1, 1}, 1},
      // The stem with ONNX's SAME_UPPER padding, and 256 products (8x8
      // over 4 channels), the most the kernel takes.
      {1, 3, 64, 70, 64, 7, 7, {2, 2}, {2, 2, 3, 3}, {1, 1}, 1},
      {1, 4, 10, 10, 2, 8, 8, {1, 1}, {3, 3, 4, 4}, {1, 1}, 1},
      // More tasks than one wave of blocks: each block stages its weights
      // once and takes several rows (with 3 channel tiles in the second).
      {2, 1, 1200, 8, 8, 3, 3, {1, 1}, {0, 1, 2, 1}, {1, 1}, 1},
      {1, 2, 600, 20, 130, 3, 3, {1, 1}, {1, 0, 1, 2}, {1, 1}, 1},
      {1, 8, 20, 22, 16, 7, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, 1},
  };
  for (DType dtype : {DType::BF16, DType::F16})
    for (const ConvCase &c : cases) {
      bool symmetric = c.pads[0] == c.pads[2] && c.pads[1] == c.pads[3];
      for (auto [relu, residual] :
           {std::pair{true, false}, std::pair{false, false},
            std::pair{true, true}}) {
        SCOPED_TRACE(c.name() + " " + dtypeName(dtype) +
                     " relu=" + std::to_string(relu) +
                     " residual=" + std::to_string(residual));
        KernelCase k =
            conv2dCase(c, relu, residual, dtype, /*channelsLast=*/true);
        context->smallChannelConv = true;
        if (symmetric && c.C * c.kh * c.kw > 256 && !INTR_HAVE_CUDNN)
          expectRefused(k, "needs cuDNN");
        else
          k.check();
        if (!symmetric) {
          context->smallChannelConv = false;
          expectRefused(k, "needs cuDNN and the same padding");
        }
      }
    }
}

// Tests that the small-channel kernel's launcher itself refuses, naming
// itself, what it does not take (f32, 16 channels, an odd O), before
// touching any operand: the dispatcher asks smallChannelConvFits first,
// but the launcher does not rely on it.
TEST(CudaConv2D, SmallChannelKernelRefusesWhatItDoesNotTake) {
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  cpu::nn::Conv base;
  base.N = 1;
  base.C = 3;
  base.H = base.W = 8;
  base.channelsLast = true;
  base.kh = base.kw = 3;
  base.Ho = base.Wo = 6;
  base.O = 8;
  base.dtype = DType::BF16;
  cpu::nn::Conv f32 = base, wide = base, odd = base;
  f32.dtype = DType::F32;
  wide.C = 16;
  odd.O = 7;
  // Never dereferenced; 4-byte aligned so that only the shape refuses.
  void *y = reinterpret_cast<void *>(uintptr_t(256));
  for (const cpu::nn::Conv &conv : {f32, wide, odd}) {
    Status status = cuda::runSmallChannelConv(*context, conv, nullptr, nullptr,
                                              {}, y, "intr.conv2d");
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message().find(
                  "intr.conv2d: the small-channel convolution kernel does "
                  "not take this convolution"),
              std::string::npos)
        << status.error().message();
  }
}

/// The problems that run as cuDNN operation graphs so far.
size_t graphPlans(const cuda::Context &context) {
  size_t count = 0;
  for (const auto &[key, plan] : context.builtPlans)
    count += key.rfind("cudnn-graph-conv:", 0) == 0 && plan != nullptr;
  return count;
}

// Tests 16-bit channels-last convolutions as operation graphs of cuDNN's
// graph API wherever it has an engine (ConvGraphs::Always,
// CudnnGraphConv.cu) against the CPU: every case cuDNN's descriptors can
// say (symmetric padding; groups, dilation and 7x7 windows included; those
// cuDNN has no engine for run on its legacy call) in bf16 with the whole
// epilogue and in f16 without one. A bottleneck's layers at a reduced
// resolution, whose shapes intr-conv-bench ran as graphs on an H200, must
// run as graphs with every epilogue: one new plan for each dtype and
// epilogue. (Each new problem builds and times up to three plans, which
// takes cuDNN a while: the cases are few.)
TEST(CudaConv2D, CudnnGraphMatchesCpu) {
  if (!INTR_HAVE_CUDNN)
    GTEST_SKIP() << "the graph API is cuDNN's";
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  ScopedSetting graphs(context->convGraphs, cuda::Context::ConvGraphs::Always);
  // Plans from before (a repeated run of the tests) would be reused.
  for (auto it = context->builtPlans.begin(); it != context->builtPlans.end();)
    it = it->first.rfind("cudnn-graph-conv:", 0) == 0
             ? context->builtPlans.erase(it)
             : std::next(it);
  auto check = [](const ConvCase &c, DType dtype, bool relu, bool residual) {
    SCOPED_TRACE(c.name() + " " + dtypeName(dtype) +
                 " relu=" + std::to_string(relu) +
                 " residual=" + std::to_string(residual));
    conv2dCase(c, relu, residual, dtype, /*channelsLast=*/true).check();
  };
  for (const ConvCase &c : convCases())
    if (c.pads[0] == c.pads[2] && c.pads[1] == c.pads[3]) {
      check(c, DType::BF16, true, true);
      check(c, DType::F16, false, false);
    }
  // New problems: 2 shapes, 2 dtypes, 4 epilogues.
  const size_t before = graphPlans(*context);
  for (const ConvCase &c :
       {ConvCase{1, 64, 50, 76, 64, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
        ConvCase{1, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1}})
    for (DType dtype : {DType::BF16, DType::F16})
      for (bool relu : {false, true})
        for (bool residual : {false, true})
          check(c, dtype, relu, residual);
  EXPECT_EQ(graphPlans(*context), before + 16);
}

// Tests the choice of the faster of a graph and the legacy call per
// problem (ConvGraphs::Faster: both timed in the first run), against the
// CPU, on a bottleneck's layers at batch 2.
TEST(CudaConv2D, FasterOfGraphAndLegacyMatchesCpu) {
  if (!INTR_HAVE_CUDNN)
    GTEST_SKIP() << "the graph API is cuDNN's";
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  ScopedSetting graphs(context->convGraphs, cuda::Context::ConvGraphs::Faster);
  for (const ConvCase &c :
       {ConvCase{2, 64, 50, 76, 64, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
        ConvCase{2, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1}})
    for (bool residual : {false, true}) {
      SCOPED_TRACE(c.name() + " residual=" + std::to_string(residual));
      conv2dCase(c, true, residual, DType::BF16, /*channelsLast=*/true).check();
    }
}

// Tests the bf16 layers of ResNet-50 at a reduced resolution (a
// bottleneck's 3x3 and its 1x1 expansion with the identity), batch 1 and
// 3, on cuDNN's tensor cores.
TEST(CudaConv2D, SixteenBitResNetLayers) {
  if (!INTR_HAVE_CUDNN)
    GTEST_SKIP() << "16-bit convolutions need cuDNN";
  for (int64_t N : {1, 3}) {
    SCOPED_TRACE("N=" + std::to_string(N));
    conv2dCase({N, 64, 50, 76, 64, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1}, true,
               false, DType::BF16)
        .check();
    conv2dCase({N, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
               true, true, DType::BF16)
        .check();
    // Channels last, as bf16 plans run them.
    conv2dCase({N, 64, 50, 76, 64, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1}, true,
               false, DType::BF16, true)
        .check();
    conv2dCase({N, 128, 25, 38, 512, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
               true, true, DType::BF16, true)
        .check();
  }
}

// Tests that a 16-bit convolution with an operand of another type is
// refused, naming it.
TEST(CudaConv2D, SixteenBitRefusesMixedTypes) {
  KernelCase k("intr.conv2d");
  k.input(randomTensor({1, 4, 6, 6}, -1.0f, 1.0f, DType::F16))
      .input(randomTensor({8, 4, 3, 3}))
      .input(randomTensor({8}, -1.0f, 1.0f, DType::F16))
      .output(DType::F16, {1, 8, 4, 4});
  expectRefused(k, "weight must be f16, got f32");
}

// Tests that a zero bias with a ReLU (a model without biases, as raising
// writes it) clamps exactly the negative sums.
TEST(CudaConv2D, ZeroBiasWithReLU) {
  ConvCase c{3, 8, 11, 12, 16, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1};
  KernelCase("intr.conv2d")
      .input(randomTensor({c.N, c.C, c.H, c.W}))
      .input(randomTensor({c.O, c.C, c.kh, c.kw}))
      .input(tensorOf({c.O}, std::vector<float>(16, 0.0f)))
      .output(DType::F32, {c.N, c.O, c.outH(), c.outW()})
      .attr("padding", ints(c.pads))
      .attr("activation", str("relu"))
      .tolerance(c.tolerance(), c.tolerance())
      .check();
}

// Tests ResNet-sized layers at a reduced resolution: a bottleneck's 3x3 and
// its 1x1 expansion, batch 1 and 3.
TEST(CudaConv2D, ResNetLayers) {
  for (int64_t N : {1, 3}) {
    SCOPED_TRACE("N=" + std::to_string(N));
    conv2dCase({N, 64, 50, 76, 64, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1}, true)
        .check();
    conv2dCase({N, 64, 50, 76, 256, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
               false)
        .check();
    conv2dCase({N, 128, 25, 38, 128, 3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, 1},
               true)
        .check();
  }
}

// Tests a convolution whose im2col matrix exceeds the column budget, so
// that the im2col path runs it in chunks of output positions (asymmetric
// padding sends it there with cuDNN too).
TEST(CudaConv2D, ChunkedIm2col) {
  conv2dCase({1, 64, 250, 250, 8, 3, 3, {1, 1}, {1, 1, 2, 2}, {1, 1}, 1}, true)
      .check();
}

// Tests that no input channels give the bias (through the ReLU), and that
// an empty batch runs as a no-op.
TEST(CudaConv2D, EmptyDimensions) {
  KernelCase("intr.conv2d")
      .input(Tensor(DType::F32, {2, 0, 5, 5}))
      .input(Tensor(DType::F32, {4, 0, 3, 3}))
      .input(randomTensor({4}))
      .output(DType::F32, {2, 4, 3, 3})
      .attr("activation", str("relu"))
      .check();
  KernelCase empty("intr.conv2d");
  empty.input(Tensor(DType::F32, {0, 3, 5, 5}))
      .input(randomTensor({2, 3, 3, 3}))
      .input(randomTensor({2}))
      .output(DType::F32, {0, 2, 3, 3});
  Status status = empty.runOnGpu();
  EXPECT_TRUE(status.isOk()) << status.error().message();
}

// Tests that malformed conv2d steps are refused before any launch.
TEST(CudaConv2D, RejectsMalformedSteps) {
  auto base = [](std::vector<int64_t> weight, std::vector<int64_t> bias,
                 std::vector<int64_t> output) {
    KernelCase c("intr.conv2d");
    c.input(randomTensor({1, 4, 6, 6}))
        .input(randomTensor(weight))
        .input(randomTensor(bias))
        .output(DType::F32, output);
    return c;
  };
  const std::vector<int64_t> w = {2, 4, 3, 3}, b = {2}, y = {1, 2, 4, 4};
  expectRefused(KernelCase("intr.conv2d")
                    .input(randomTensor({1, 4, 6, 6}))
                    .input(randomTensor(w))
                    .output(DType::F32, y),
                "operands");
  expectRefused(KernelCase("intr.conv2d")
                    .input(randomTensor({1, 4, 6, 6}))
                    .input(randomTensor(w))
                    .input(randomTensor(b)),
                "results");
  expectRefused(KernelCase("intr.conv2d")
                    .input(randomTensor({1, 4, 6, 6}))
                    .input(randomTensor(w, 0, 3, DType::I64))
                    .input(randomTensor(b))
                    .output(DType::F32, y),
                "f32");
  expectRefused(KernelCase("intr.conv2d")
                    .input(randomTensor({4, 6, 6}))
                    .input(randomTensor(w))
                    .input(randomTensor(b))
                    .output(DType::F32, y),
                "input");
  expectRefused(base(w, b, {1, 2, 6, 6}), "output");
  expectRefused(base(w, b, y).input(randomTensor({1, 2, 4, 3})), "residual");
  expectRefused(base(w, b, y)
                    .input(randomTensor(y))
                    .input(randomTensor(y)),
                "operands");
  expectRefused(base(w, {3}, y), "bias");
  expectRefused(base({2, 3, 3, 3}, b, y), "C/groups");
  expectRefused(base(w, b, y).attr("groups", ints({3})), "groups");
  expectRefused(base(w, b, y).attr("groups", ints({0})), "groups");
  expectRefused(base(w, b, y).attr("activation", str("gelu")), "gelu");
  expectRefused(base(w, b, y).attr("padding", ints({1, 1})), "padding");
  expectRefused(base(w, b, y).attr("padding", ints({-1, 0, 0, 0})), "padding");
  expectRefused(base(w, b, y).attr("strides", ints({0, 1})), "strides");
  expectRefused(base(w, b, y).attr("dilations", ints({4, 4})), "window");
  expectRefused(base(w, b, y).attr("dilations", ints({1})), "dilations");
}

//===----------------------------------------------------------------------===//
// onnx.Conv
//===----------------------------------------------------------------------===//

// Tests that every case, with a bias, without one and with a null one,
// matches the CPU.
TEST(CudaOnnxConv, MatchesCpu) {
  for (const ConvCase &c : convCases()) {
    SCOPED_TRACE(c.name());
    onnxConvCase(c, /*bias=*/true).check();
    onnxConvCase(c, /*bias=*/false).check();
    onnxConvCase(c, /*bias=*/false, /*nullBias=*/true).check();
  }
}

// Tests auto_pad: SAME_UPPER and SAME_LOWER put the odd padding at the end
// or the beginning (asymmetric: the im2col path), VALID pads nothing; batch
// 1 and 3.
TEST(CudaOnnxConv, AutoPad) {
  for (int64_t N : {1, 3})
    for (const char *mode : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
      SCOPED_TRACE(std::string(mode) + " N=" + std::to_string(N));
      // 3x3, stride 2 over 9x8: SAME gives 5x4 outputs, VALID 4x3.
      bool valid = std::string(mode) == "VALID";
      KernelCase("onnx.Conv")
          .input(randomTensor({N, 2, 9, 8}))
          .input(randomTensor({3, 2, 3, 3}))
          .input(randomTensor({3}))
          .output(DType::F32, {N, 3, valid ? 4 : 5, valid ? 3 : 4})
          .attr("auto_pad", str(mode))
          .attr("strides", ints({2, 2}))
          .check();
    }
}

// Tests that malformed Conv steps are refused before any launch.
TEST(CudaOnnxConv, RejectsMalformedSteps) {
  auto base = [] {
    KernelCase c("onnx.Conv");
    c.input(randomTensor({1, 4, 6, 6})).input(randomTensor({2, 4, 3, 3}));
    return c;
  };
  expectRefused(KernelCase("onnx.Conv")
                    .input(randomTensor({1, 4, 6}))
                    .input(randomTensor({2, 4, 3}))
                    .output(DType::F32, {1, 2, 4}),
                "2-D");
  expectRefused(base()
                    .output(DType::F32, {1, 2, 4, 4})
                    .attr("kernel_shape", ints({5, 5})),
                "kernel_shape");
  expectRefused(base()
                    .output(DType::F32, {1, 2, 4, 4})
                    .attr("auto_pad", str("SAME_MIDDLE")),
                "auto_pad");
  expectRefused(
      base().output(DType::F32, {1, 2, 4, 4}).attr("pads", ints({1, 1})),
      "pads");
  expectRefused(
      base().input(randomTensor({3})).output(DType::F32, {1, 2, 4, 4}), "bias");
  expectRefused(base().output(DType::F32, {1, 2, 6, 6}), "output");
  expectRefused(KernelCase("onnx.Conv")
                    .input(randomTensor({1, 4, 6, 6}))
                    .output(DType::F32, {1, 2, 4, 4}),
                "operands");
}

} // namespace
