//===- RoundFloat.h - f32 to f16 and bf16 and back --------------*- C++ -*-===//
//
// The one rounding of f32 values to f16 and bf16 bits that the compiler
// (the weights of --precision fp16|bf16 plans) and the runtime (the CPU's
// Cast and 16-bit steps) share, and its inverse, the exact widening of
// those bits to f32 (the compiler's half models, the runtime's 16-bit
// operands, the conformance tests' data). Plain C++ on the bits: the
// runtime does not depend on LLVM. The rounding is exact: it matches
// rounding the value itself to nearest even, with infinities past the
// largest finite value and one quiet NaN per sign.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_SUPPORT_ROUNDFLOAT_H
#define INTR_SUPPORT_ROUNDFLOAT_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace intr {

/// The f16 nearest to `value` (ties to even), as bits.
inline uint16_t roundToHalfBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000u, magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) // NaN
    return static_cast<uint16_t>(sign | 0x7e00u);
  if (magnitude >= 0x477ff000u) // from 65520, halfway past the largest
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (magnitude < 0x38800000u) { // below 2^-14: a subnormal step count
    float small;
    std::memcpy(&small, &magnitude, sizeof(small));
    // Scaling by 2^24 is exact; nearbyint rounds to nearest even.
    auto steps = static_cast<uint32_t>(std::nearbyint(small * 16777216.0f));
    return static_cast<uint16_t>(sign | steps);
  }
  // Rebias the exponent (127 -> 15) and round 23 mantissa bits to 10, to
  // nearest even; a carry moves into the exponent as it should.
  uint32_t rebased = magnitude - 0x38000000u;
  rebased += 0xfffu + ((rebased >> 13) & 1u);
  return static_cast<uint16_t>(sign | (rebased >> 13));
}

/// The bf16 nearest to `value` (ties to even), as bits. Branch-free, so
/// that loops over it vectorize.
inline uint16_t roundToBFloat16Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint32_t quietNaN = ((bits >> 16) & 0x8000u) | 0x7fc0u;
  // bf16 is f32's top half: round the low half away, to nearest even.
  uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  bool isNaN = (bits & 0x7fffffffu) > 0x7f800000u;
  return static_cast<uint16_t>(isNaN ? quietNaN : rounded);
}

/// The f32 of an f16's bits, exactly: its fields move into an f32's.
inline float widenHalfBits(uint16_t bits) {
  const uint32_t sign = uint32_t(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1fu, mantissa = bits & 0x3ffu;
  float value;
  if (exponent == 0) { // zero or subnormal: mantissa · 2^-24
    value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  const uint32_t wide = exponent == 31
                            ? sign | 0x7f800000u | mantissa << 13 // inf, NaN
                            : sign | (exponent + 112) << 23 | mantissa << 13;
  std::memcpy(&value, &wide, sizeof(value));
  return value;
}

/// The f32 of a bf16's bits, exactly: a bf16 is an f32's upper half.
inline float widenBFloat16Bits(uint16_t bits) {
  const uint32_t wide = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof(value));
  return value;
}

} // namespace intr

#endif // INTR_SUPPORT_ROUNDFLOAT_H
