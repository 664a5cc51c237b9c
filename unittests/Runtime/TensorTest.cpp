//===- TensorTest.cpp - Element types and host tensors --------------------===//

#include "intr/runtime/Tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

using namespace intr;

namespace {

/// A tensor of 16-bit elements with these bit patterns.
Tensor bitsTensor(DType dtype, const std::vector<uint16_t> &bits) {
  Tensor tensor(dtype, {static_cast<int64_t>(bits.size())});
  for (size_t i = 0; i < bits.size(); ++i)
    tensor.data<uint16_t>()[i] = bits[i];
  return tensor;
}

// Tests that f16 widens exactly: normal numbers, the smallest subnormal
// (2^-24), signed zero, infinity and NaN, by their IEEE bit patterns.
// Tests that a shape whose element count does not fit is an allocation
// that fails, not a product that wraps around to a small buffer.
TEST(Tensor, ShapesTooLargeToCountFailToAllocate) {
  const std::vector<int64_t> huge = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_EQ(elementCount(huge), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(elementCount({int64_t(1) << 31, int64_t(1) << 31}), int64_t(1)
                                                                    << 62);
  EXPECT_THROW(Tensor(DType::F32, huge), std::bad_alloc);
  // The count fits, its bytes do not.
  EXPECT_THROW(Tensor(DType::F64, {int64_t(1) << 62}), std::bad_alloc);
}

TEST(Tensor, ToFloat32WidensHalf) {
  Tensor half = bitsTensor(DType::F16, {0x3c00, 0xc000, 0x3555, 0x0001, 0x8000,
                                        0x7c00, 0x7e00, 0x7bff});
  Tensor wide = toFloat32(half);
  ASSERT_EQ(wide.dtype(), DType::F32);
  ASSERT_EQ(wide.shape(), half.shape());
  const float *v = wide.data<float>();
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.0f);
  EXPECT_EQ(v[2], 0.25f * (1.0f + 0x155 / 1024.0f)); // 0.333251953125
  EXPECT_EQ(v[3], std::ldexp(1.0f, -24));
  EXPECT_EQ(v[4], 0.0f);
  EXPECT_TRUE(std::signbit(v[4]));
  EXPECT_EQ(v[5], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(v[6]));
  EXPECT_EQ(v[7], 65504.0f); // the largest f16
}

// Tests that bf16 widens to the f32 with the same upper 16 bits.
TEST(Tensor, ToFloat32WidensBFloat16) {
  Tensor bf = bitsTensor(DType::BF16, {0x3f80, 0xc040, 0x0000, 0x7f80});
  Tensor wide = toFloat32(bf);
  ASSERT_EQ(wide.dtype(), DType::F32);
  const float *v = wide.data<float>();
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -3.0f);
  EXPECT_EQ(v[2], 0.0f);
  EXPECT_EQ(v[3], std::numeric_limits<float>::infinity());
}

// Tests that f32 narrows to f16 and bf16 rounding to nearest even (ties
// to the even neighbour), overflowing f16 to infinity, and that other
// pairs of dtypes are not converted.
TEST(Tensor, FromFloat32Narrows) {
  Tensor f(DType::F32, {5});
  float *v = f.data<float>();
  v[0] = 1.0f;
  v[1] = 1.0f + std::ldexp(1.0f, -11);     // halfway between two f16: to 1
  v[2] = 1.0f + 3 * std::ldexp(1.0f, -11); // halfway: up to the even one
  v[3] = 1.0e6f;                           // beyond f16's 65504
  v[4] = -2.0f;
  Tensor half = fromFloat32(f, DType::F16);
  ASSERT_EQ(half.dtype(), DType::F16);
  const auto *h = half.data<uint16_t>();
  EXPECT_EQ(h[0], 0x3c00);
  EXPECT_EQ(h[1], 0x3c00);
  EXPECT_EQ(h[2], 0x3c02);
  EXPECT_EQ(h[3], 0x7c00);
  EXPECT_EQ(h[4], 0xc000);
  Tensor brain = fromFloat32(f, DType::BF16);
  ASSERT_EQ(brain.dtype(), DType::BF16);
  EXPECT_EQ(brain.data<uint16_t>()[0], 0x3f80);
  EXPECT_EQ(brain.data<uint16_t>()[3], 0x4974); // 1e6 to 8 bits: 999424
  EXPECT_EQ(brain.data<uint16_t>()[4], 0xc000);
  EXPECT_EQ(fromFloat32(f, DType::F32).data<float>()[1], v[1]);
  EXPECT_EQ(fromFloat32(f, DType::I32).sizeInBytes(), 0u);
  EXPECT_EQ(fromFloat32(half, DType::F16).sizeInBytes(), 0u);
}

// Tests that f32 is copied as it is, f64 (a model exported in double)
// rounded to f32 and back, and that integer dtypes are not converted (an
// empty tensor comes back).
TEST(Tensor, ToFloat32OfOtherDtypes) {
  Tensor f(DType::F32, {2, 2});
  f.data<float>()[3] = 7.5f;
  Tensor copy = toFloat32(f);
  EXPECT_EQ(copy.shape(), f.shape());
  EXPECT_EQ(copy.data<float>()[3], 7.5f);
  EXPECT_EQ(toFloat32(Tensor(DType::I32, {3})).sizeInBytes(), 0u);
  EXPECT_EQ(toFloat32(Tensor(DType::I64, {3})).sizeInBytes(), 0u);
  Tensor d(DType::F64, {3});
  d.data<double>()[0] = 0.1;
  d.data<double>()[2] = -2.5;
  Tensor narrowed = toFloat32(d);
  ASSERT_EQ(narrowed.dtype(), DType::F32);
  EXPECT_EQ(narrowed.data<float>()[0], 0.1f);
  EXPECT_EQ(narrowed.data<float>()[2], -2.5f);
  Tensor back = fromFloat32(narrowed, DType::F64);
  ASSERT_EQ(back.dtype(), DType::F64);
  EXPECT_EQ(back.data<double>()[0], double(0.1f));
  EXPECT_EQ(back.data<double>()[2], -2.5);
}

} // namespace
