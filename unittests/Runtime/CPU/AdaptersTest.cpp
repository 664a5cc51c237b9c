//===- AdaptersTest.cpp - 16-bit and NHWC steps on the CPU kernels --------===//
//
// The CPU runs the f16 and bf16 steps of --precision fp16|bf16 plans on its
// f32 kernels (CPU/Adapters.h), and their channels_last steps on its
// channels-last kernels. The expected values here are worked out by hand:
// sums that only come out right when they accumulate in f32 and round once,
// to nearest even, at the end; NHWC images whose channels only add up right
// when they are read from the right places.
//
//===----------------------------------------------------------------------===//

#include "CPU/ElementwiseSupport.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

/// A 1x1 convolution of C ones with `weights` (C values) and a zero bias:
/// the bits of its one output.
uint16_t convOfOnes(DType dtype, uint16_t one, std::vector<uint16_t> weights,
                    uint16_t zero = 0) {
  int64_t C = static_cast<int64_t>(weights.size());
  Tensor x = make<uint16_t>(dtype, {1, C, 1, 1},
                            std::vector<uint16_t>(weights.size(), one));
  Tensor w = make<uint16_t>(dtype, {1, C, 1, 1}, weights);
  Tensor b = make<uint16_t>(dtype, {1}, {zero});
  Tensor y(dtype, {1, 1, 1, 1});
  Status status = run("intr.conv2d", {&x, &w, &b}, {&y});
  EXPECT_TRUE(status.isOk()) << status.error().message();
  return read<uint16_t>(y)[0];
}

// bf16: 1.0 = 0x3F80, 2^-9 = 0x3B00; its step at 1 is 2^-7.
constexpr uint16_t kBf16One = 0x3F80, kBf16TwoToMinus9 = 0x3B00;
// f16: 1.0 = 0x3C00, 2^-12 = 0x0C00; its step at 1 is 2^-10.
constexpr uint16_t kF16One = 0x3C00, kF16TwoToMinus12 = 0x0C00;

// Tests that the products are summed in f32: 1 + 8 quarter-steps is two
// whole steps (2^-6 above 1 in bf16, 2^-9 in f16), where a 16-bit running
// sum would have stayed at 1 after each addition.
TEST(WidenedConv2D, SumsInF32) {
  std::vector<uint16_t> bf16(9, kBf16TwoToMinus9), f16(9, kF16TwoToMinus12);
  bf16[0] = kBf16One;
  f16[0] = kF16One;
  EXPECT_EQ(convOfOnes(DType::BF16, kBf16One, bf16), 0x3F82); // 1 + 2^-6
  EXPECT_EQ(convOfOnes(DType::F16, kF16One, f16), 0x3C02);    // 1 + 2^-9
}

// Tests the one rounding at the end, to nearest even: 1 + 2^-8 is halfway
// between bf16's 1 and 1 + 2^-7 and goes to the even 1; 1 + 3·2^-9 is past
// halfway and goes up.
TEST(WidenedConv2D, RoundsOnceToNearestEven) {
  EXPECT_EQ(convOfOnes(DType::BF16, kBf16One,
                       {kBf16One, kBf16TwoToMinus9, kBf16TwoToMinus9}),
            kBf16One);
  EXPECT_EQ(convOfOnes(DType::BF16, kBf16One,
                       {kBf16One, kBf16TwoToMinus9, kBf16TwoToMinus9,
                        kBf16TwoToMinus9}),
            0x3F81); // 1 + 2^-7
}

// Tests that the epilogue's residual and ReLU apply to 16-bit operands:
// relu(1·1 + bias 1 + residual -3) = 0, relu(... + residual 2) = 4.
TEST(WidenedConv2D, ResidualAndRelu) {
  const uint16_t one = 0x3F80, minusThree = 0xC040, two = 0x4000, four = 0x4080;
  Tensor x = make<uint16_t>(DType::BF16, {1, 1, 1, 2}, {one, one});
  Tensor w = make<uint16_t>(DType::BF16, {1, 1, 1, 1}, {one});
  Tensor b = make<uint16_t>(DType::BF16, {1}, {one});
  Tensor r = make<uint16_t>(DType::BF16, {1, 1, 1, 2}, {minusThree, two});
  Tensor y(DType::BF16, {1, 1, 1, 2});
  AttrMap attrs;
  attrs.set("activation", str("relu"));
  Status status = run("intr.conv2d", {&x, &w, &b, &r}, {&y}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<uint16_t>(y), (std::vector<uint16_t>{0x0000, four}));
}

// Tests a bf16 3x3 convolution of 32 channels in and out, the shape the
// CPU runs by Winograd's algorithm (CPU/Winograd.h), in both layouts: with
// small whole numbers every sum and transform is exact in f32, so each
// output must be the exact sum rounded once to bf16.
TEST(WidenedConv2D, WinogradSumsExactlyAndRoundsOnce) {
  const int64_t C = 32, O = 32, H = 5, W = 6;
  std::vector<uint16_t> x(C * H * W), w(O * C * 9);
  std::vector<int> xs(x.size()), ws(w.size());
  for (size_t i = 0; i < x.size(); ++i) {
    xs[i] = int(i * 7 % 5) - 2; // -2 to 2
    x[i] = bfloat16FromDouble(xs[i]).bits;
  }
  for (size_t i = 0; i < w.size(); ++i) {
    ws[i] = int(i * 11 % 7) - 3; // -3 to 3
    w[i] = bfloat16FromDouble(ws[i]).bits;
  }
  // [O, C, 3, 3] and [C, H, W] as stored, padding 1: the exact sums.
  std::vector<uint16_t> expected(O * H * W);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t y = 0; y < H; ++y)
      for (int64_t xo = 0; xo < W; ++xo) {
        int sum = 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 3; ++j) {
              int64_t iy = y + i - 1, ix = xo + j - 1;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                sum += xs[(c * H + iy) * W + ix] *
                       ws[((o * C + c) * 3 + i) * 3 + j];
            }
        expected[(o * H + y) * W + xo] = bfloat16FromDouble(sum).bits;
      }
  // The same values permuted to channels last: images [H, W, C], weights
  // [O, 3, 3, C], the output [H, W, O].
  auto lastOf = [](const std::vector<uint16_t> &v, int64_t A, int64_t B,
                   int64_t P) { // [A, B, P] -> [A, P, B]
    std::vector<uint16_t> out(v.size());
    for (int64_t a = 0; a < A; ++a)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t p = 0; p < P; ++p)
          out[(a * P + p) * B + b] = v[(a * B + b) * P + p];
    return out;
  };
  for (bool channelsLast : {false, true}) {
    SCOPED_TRACE(channelsLast ? "NHWC" : "NCHW");
    Tensor input =
        make<uint16_t>(DType::BF16,
                       channelsLast ? std::vector<int64_t>{1, H, W, C}
                                    : std::vector<int64_t>{1, C, H, W},
                       channelsLast ? lastOf(x, 1, C, H * W) : x);
    Tensor weight =
        make<uint16_t>(DType::BF16,
                       channelsLast ? std::vector<int64_t>{O, 3, 3, C}
                                    : std::vector<int64_t>{O, C, 3, 3},
                       channelsLast ? lastOf(w, O, C, 9) : w);
    Tensor bias = make<uint16_t>(DType::BF16, {O}, std::vector<uint16_t>(O, 0));
    Tensor y(DType::BF16, channelsLast ? std::vector<int64_t>{1, H, W, O}
                                       : std::vector<int64_t>{1, O, H, W});
    AttrMap attrs;
    attrs.set("padding", ints({1, 1, 1, 1}));
    attrs.set("channels_last", ints({channelsLast}));
    Status status = run("intr.conv2d", {&input, &weight, &bias}, {&y}, attrs);
    ASSERT_TRUE(status.isOk()) << status.error().message();
    EXPECT_EQ(read<uint16_t>(y),
              channelsLast ? lastOf(expected, 1, O, H * W) : expected);
  }
}

// Tests that a 16-bit max pool gives the largest element's own bits.
TEST(WidenedMaxPool2D, KeepsTheMaximum) {
  // f16 values 1, -2, 0.5, 3 (3 is 0x4200) and one of 3's neighbours in
  // the next window, 65504 (0x7BFF, f16's largest).
  Tensor x = make<uint16_t>(DType::F16, {1, 1, 2, 4},
                            {0x3C00, 0xC000, 0x3800, 0x4200, //
                             0x3800, 0x3C00, 0x7BFF, 0x3C00});
  Tensor y(DType::F16, {1, 1, 1, 2});
  AttrMap attrs;
  attrs.set("kernel", ints({2, 2}));
  attrs.set("strides", ints({2, 2}));
  Status status = run("intr.max_pool2d", {&x}, {&y}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<uint16_t>(y), (std::vector<uint16_t>{0x3C00, 0x7BFF}));
}

// Tests that mixing 16-bit and f32 operands is refused by the kernel, in
// its own words, instead of being read as the wrong type.
TEST(WidenedConv2D, RefusesMixedTypes) {
  Tensor x = make<uint16_t>(DType::F16, {1, 1, 1, 1}, {kF16One});
  Tensor w = make<float>(DType::F32, {1, 1, 1, 1}, {1.0f});
  Tensor b = make<float>(DType::F32, {1}, {0.0f});
  Tensor y(DType::F16, {1, 1, 1, 1});
  Status status = run("intr.conv2d", {&x, &w, &b}, {&y});
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.error().message().find("intr.conv2d: input must be f32, "
                                          "got f16"),
            std::string::npos)
      << status.error().message();
}

// Tests an NHWC convolution: two 1x1 filters, (1, 10, 100) and (2, 0, 0),
// over two pixels whose channels are (1, 2, 3) and (4, 5, 6), stored pixel
// by pixel, give pixel by pixel (321, 2) and (654, 8) (read as NCHW, the
// same bytes make no valid convolution); and a 3x3 filter, stored [O, kh,
// kw, C], whose only non-zero tap is the centre's second channel, gives
// that channel back.
TEST(ChannelsLastConv2D, ReadsPixelsChannelByChannel) {
  AttrMap attrs;
  attrs.set("channels_last", ints({1}));
  Tensor x = make<float>(DType::F32, {1, 1, 2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor w = make<float>(DType::F32, {2, 1, 1, 3}, {1, 10, 100, 2, 0, 0});
  Tensor b2 = make<float>(DType::F32, {2}, {0, 0});
  Tensor y(DType::F32, {1, 1, 2, 2});
  Status status = run("intr.conv2d", {&x, &w, &b2}, {&y}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<float>(y), (std::vector<float>{321, 2, 654, 8}));
  Tensor b = make<float>(DType::F32, {1}, {0});

  std::vector<float> taps(9 * 3, 0.0f);
  taps[(1 * 3 + 1) * 3 + 1] = 1.0f; // [0, 1, 1, 1]: centre, channel 1
  Tensor w3 = make<float>(DType::F32, {1, 3, 3, 3}, taps);
  Tensor y3(DType::F32, {1, 1, 2, 1});
  attrs.set("padding", ints({1, 1, 1, 1}));
  status = run("intr.conv2d", {&x, &w3, &b}, {&y3}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<float>(y3), (std::vector<float>{2, 5}));
}

// Tests both adapters at once, as a bf16 plan's steps need them: an NHWC
// bf16 convolution of the pixels (1, 2) and (3, 4) with the filter (1, 1)
// and bias 0.5 gives 3.5 and 7.5, exact in bf16 (0x4060, 0x40F0).
TEST(ChannelsLastConv2D, SixteenBit) {
  AttrMap attrs;
  attrs.set("channels_last", ints({1}));
  // bf16: 1 = 0x3F80, 2 = 0x4000, 3 = 0x4040, 4 = 0x4080, 0.5 = 0x3F00.
  Tensor x = make<uint16_t>(DType::BF16, {1, 1, 2, 2},
                            {0x3F80, 0x4000, 0x4040, 0x4080});
  Tensor w = make<uint16_t>(DType::BF16, {1, 1, 1, 2}, {0x3F80, 0x3F80});
  Tensor b = make<uint16_t>(DType::BF16, {1}, {0x3F00});
  Tensor y(DType::BF16, {1, 1, 2, 1});
  Status status = run("intr.conv2d", {&x, &w, &b}, {&y}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<uint16_t>(y), (std::vector<uint16_t>{0x4060, 0x40F0}));
}

// Tests the float-to-16-bit roundings the adapters use against the
// double-based ones of the Cast kernel, on a million float bit patterns
// spread over all of them and on every edge: zeros, subnormals of both
// types, the overflow thresholds, infinities and NaNs.
TEST(WidenedConv2D, RoundsLikeCast) {
  std::vector<uint32_t> patterns = {
      0x00000000u, 0x80000000u, 0x00000001u, 0x33000000u, 0x33000001u,
      0x387fe000u, 0x387ff000u, 0x38800000u, 0x477fefffu, 0x477ff000u,
      0x477fffffu, 0x7f7f7fffu, 0x7f7f8000u, 0x7f7fffffu, 0x7f800000u,
      0xff800000u, 0x7fc00000u, 0xffc00001u, 0x7f800001u};
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += 4099)
    patterns.push_back(static_cast<uint32_t>(bits));
  for (uint32_t bits : patterns) {
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    ASSERT_EQ(halfFromFloat(value).bits, halfFromDouble(value).bits)
        << std::hex << "f16 of 0x" << bits;
    ASSERT_EQ(bfloat16FromFloat(value).bits, bfloat16FromDouble(value).bits)
        << std::hex << "bf16 of 0x" << bits;
  }
}

// Tests that corrupted convolution and max pool steps, 16-bit and channels
// last among them, return an Error or succeed without touching anything
// else (the sanitizer build checks the accesses).
TEST(Adapters, SurviveCorruptSteps) {
  fuzzCorruptSteps("intr.conv2d", 4, 1, 11);
  fuzzCorruptSteps("intr.max_pool2d", 1, 1, 12);
}

// Tests that a channels-last step with a negative size is refused before
// anything is copied.
TEST(ChannelsLastConv2D, RefusesNegativeSizes) {
  AttrMap attrs;
  attrs.set("channels_last", ints({1}));
  TensorArg x{nullptr, DType::F32, {1, -2, 2, 2}};
  Tensor w = make<float>(DType::F32, {1, 1, 1, 2}, {1, 1});
  Tensor b = make<float>(DType::F32, {1}, {0});
  Tensor y(DType::F32, {1, 1, 2, 1});
  std::vector<TensorArg> ins = {x, view(&w), view(&b)}, outs = {view(&y)};
  Kernel kernel = KernelRegistry::cpu().find("intr.conv2d");
  ASSERT_NE(kernel, nullptr);
  Status status = kernel({ins, outs, attrs, 1});
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.error().message().find("negative"), std::string::npos)
      << status.error().message();
}

// Tests an NHWC max pool over a 2x2 image of two channels, (1, 5, 3, 2)
// and (8, 0, 4, 9) stored pixel by pixel: one window, maxima 5 and 9.
TEST(ChannelsLastMaxPool2D, PoolsEachChannel) {
  AttrMap attrs;
  attrs.set("channels_last", ints({1}));
  attrs.set("kernel", ints({2, 2}));
  Tensor x = make<float>(DType::F32, {1, 2, 2, 2}, {1, 8, 5, 0, 3, 4, 2, 9});
  Tensor y(DType::F32, {1, 1, 1, 2});
  Status status = run("intr.max_pool2d", {&x}, {&y}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  EXPECT_EQ(read<float>(y), (std::vector<float>{5, 9}));
}

} // namespace
