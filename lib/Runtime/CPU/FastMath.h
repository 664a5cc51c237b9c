//===- FastMath.h - Float functions that vectorize -------------*- C++ -*-===//
//
// e^x, e^x - 1, ln(1 + y), erf, tanh, the sigmoid, softplus and the
// normal distribution's CDF for the kernels' loops over
// floats: in plain arithmetic (polynomials, comparisons, bit operations),
// so that a loop of them vectorizes where the standard library's are a
// call per element (with -fno-trapping-math, which lib/Runtime sets: else
// GCC keeps their selects scalar but under AVX-512). e^x is within an ulp
// of std::exp, erf within 2.55 ulp of erf in double (every float in
// [0, 5] checked), tanh within 1.6 ulp (every float in (0, 10]), the
// sigmoid within 4 ulp; e^x - 1 within 1.5 ulp and softplus within 3.7
// (every fifth float in [-100, 100], but where the result leaves the
// normal floats); the CDF as normalCdfOf says.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_FASTMATH_H
#define INTR_LIB_RUNTIME_CPU_FASTMATH_H

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace intr::cpu {

namespace detail {

/// c[0] x^(N-1) + c[1] x^(N-2) + ... + c[N-1], by Horner's rule (the loop
/// unrolls: N is a constant).
template <size_t N>
__attribute__((always_inline)) inline float polynomial(float x,
                                                       const float (&c)[N]) {
  float p = c[0];
  for (size_t i = 1; i < N; ++i)
    p = p * x + c[i];
  return p;
}

/// e^r for |r| <= ln 2 / 2 by its Taylor polynomial to r^7.
inline constexpr float kExpTaylor[] = {
    1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f,
    1.0f / 6.0f,    0.5f,          1.0f,          1.0f};

/// erf(a) / a for a in [0, 1], as a polynomial in s = a^2 (a least-squares
/// fit of relative error, 1.2e-9 before its coefficients were rounded to
/// float).
inline constexpr float kErfOverArgument[] = {
    7.861815538490191e-05f, -0.0008012730395421386f, 0.005188636481761932f,
    -0.02685398980975151f,  0.11283589899539948f,    -0.3761262595653534f,
    1.1283791065216064f};

/// ln erfc(a) for a in [1, 4], as a polynomial in t = a - 1 (a fit of
/// absolute error 5e-9, before rounding); outside, whatever it gives.
inline constexpr float kLogErfc[] = {
    -5.71486431510948e-08f, 2.386323330938467e-06f, -3.7026911741122603e-05f,
    0.0003320368705317378f, -0.002074004616588354f, 0.010096785612404346f,
    -0.041585709899663925f, -0.8431022763252258f,   -2.638967990875244f,
    -1.8496055603027344f};

/// tanh(a) / a for a in [0, 0.625], as a polynomial in s = a^2 (a fit of
/// relative error 7.5e-9 with its coefficients rounded to float).
inline constexpr float kTanhOverArgument[] = {
    -0.005665565375238657f, 0.020596716552972794f, -0.05372317135334015f,
    0.13331159949302673f,   -0.3333326280117035f,  1.0f};

/// (e^r - 1) / r for |r| <= ln 2 / 2 by its Taylor polynomial to r^7
/// (truncated below 6e-10 relative).
inline constexpr float kExpm1OverArgument[] = {
    1.0f / 40320.0f, 1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f,
    1.0f / 24.0f,    1.0f / 6.0f,    0.5f,          1.0f};

/// atanh(s) / s = 1 + s^2 / 3 + s^4 / 5 + ... for s in [0, 1/3], as its
/// series in s^2 to s^14 (truncated below 2e-9 relative).
inline constexpr float kAtanhOverArgument[] = {
    1.0f / 15.0f, 1.0f / 13.0f, 1.0f / 11.0f, 1.0f / 9.0f,
    1.0f / 7.0f,  1.0f / 5.0f,  1.0f / 3.0f,  1.0f};

} // namespace detail

/// e^x for x <= 0 (a softmax's scores less their maximum), within an ulp
/// of std::exp, in plain arithmetic so that a loop of it vectorizes
/// (std::exp is a call per element). x = n ln 2 + r with |r| <= ln 2 / 2;
/// e^r by its Taylor polynomial to r^7, times 2^n from its exponent bits.
/// Below -87.3, where e^x leaves the normal floats, it gives 0; NaN stays
/// NaN. Always inlined: a call per element is what it is here to avoid.
__attribute__((always_inline)) inline float expOfNonPositive(float x) {
  // Within [-88, 0] (NaN too), so that n converts to an int32 and its
  // exponent bits cannot overflow.
  const float xc = x > -88.0f ? (x < 0.0f ? x : 0.0f) : -88.0f;
  // Rounded to the nearest integer by adding and subtracting 1.5 * 2^23
  // (std::floor is a call where SSE4.1 is not given).
  const float round = 12582912.0f;
  const float n = (xc * 1.44269504f + round) - round;
  // ln 2 in two parts, so that n ln 2 is exact to well below an ulp of r.
  const float r = (xc - n * 0.693145752f) - n * 1.42860677e-6f;
  const float p = detail::polynomial(r, detail::kExpTaylor);
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  // Every value computed before one is selected: a select of two values
  // vectorizes, a product on one side only may not (it might trap).
  const float scaled = p * scale;
  const float y = x < -87.3f ? 0.0f : scaled;
  return std::isnan(x) ? x : y;
}

/// e^x - 1 for x <= 0 (ELU's negative side): near 0, where e^x - 1
/// cancels, x times the Taylor polynomial of (e^x - 1) / x; from x = -ln 2
/// / 2 down, e^x - 1, which no longer cancels (e^x <= 0.71); -1 below
/// -87.3. NaN stays NaN.
__attribute__((always_inline)) inline float expm1OfNonPositive(float x) {
  const float small = x * detail::polynomial(x, detail::kExpm1OverArgument);
  const float large = expOfNonPositive(x) - 1.0f;
  return x > -0.346573591f ? small : large;
}

/// ln(1 + y) for y in [0, 1] (softplus's ln(1 + e^-|x|)): 2 atanh(s) for s
/// = y / (2 + y) <= 1/3, from y itself, so that a tiny y keeps its digits
/// (1 + y would round them away). NaN stays NaN.
__attribute__((always_inline)) inline float log1pOfUnit(float y) {
  const float s = y / (2.0f + y);
  return 2.0f * s * detail::polynomial(s * s, detail::kAtanhOverArgument);
}

/// ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|), which neither overflows nor
/// loses the small values of very negative x. NaN stays NaN.
__attribute__((always_inline)) inline float softplusOf(float x) {
  const float positive = x > 0.0f ? x : 0.0f;
  return positive + log1pOfUnit(expOfNonPositive(-std::fabs(x)));
}

/// erf(x): x P(x^2) below |x| = 1, 1 - e^(ln erfc |x|) from there to 4,
/// and 1 beyond (erfc(4) = 1.5e-8 is below half an ulp of 1); odd. NaN
/// stays NaN.
__attribute__((always_inline)) inline float erfOf(float x) {
  const float a = std::fabs(x);
  const float small = a * detail::polynomial(a * a, detail::kErfOverArgument);
  // Both sides computed, then one selected (as in expOfNonPositive).
  const float t = (a < 4.0f ? a : 4.0f) - 1.0f;
  const float oneLessErfc =
      1.0f - expOfNonPositive(detail::polynomial(t, detail::kLogErfc));
  const float large = a < 4.0f ? oneLessErfc : 1.0f;
  const float y = std::copysign(a < 1.0f ? small : large, x);
  return std::isnan(x) ? x : y;
}

/// Φ(x), the standard normal distribution's CDF, as GELU wants it:
/// 0.5 (1 + erf(v)) for v = x / sqrt(2). For v below -1, 1 + erf(v) is
/// erfc(-v), taken from its logarithm rather than by a sum that cancels
/// (within 3.5e-6 relative down to x = -5.6); beyond |v| = 4 it is 0 or 1.
/// NaN stays NaN.
__attribute__((always_inline)) inline float normalCdfOf(float x) {
  const float v = x * 0.707106781f;
  const float a = std::fabs(v);
  const float small =
      0.5f +
      0.5f * std::copysign(
                 a * detail::polynomial(a * a, detail::kErfOverArgument), v);
  const float t = (a < 4.0f ? a : 4.0f) - 1.0f;
  const float halfErfc =
      0.5f * expOfNonPositive(detail::polynomial(t, detail::kLogErfc));
  const float tail = a < 4.0f ? halfErfc : 0.0f;
  const float oneLessTail = 1.0f - tail;
  const float large = v > 0.0f ? oneLessTail : tail;
  const float y = a < 1.0f ? small : large;
  return std::isnan(x) ? x : y;
}

/// 1 / (1 + e^-x) from e = e^-|x| <= 1, so that nothing overflows: 1 / (1 +
/// e) for x >= 0, e / (1 + e) below (within 4 ulp); 0 below -87.3, where
/// e^x leaves the normal floats. NaN stays NaN.
__attribute__((always_inline)) inline float sigmoidOf(float x) {
  const float e = expOfNonPositive(-std::fabs(x));
  const float inverse = 1.0f / (1.0f + e);
  const float below = e * inverse;
  return x >= 0.0f ? inverse : below;
}

/// tanh(x), within 1.6 ulp (every float in (0, 10] checked): x P(x^2)
/// below |x| = 0.625; above, from e = e^(-2|x|), (1 - e) / (1 + e), which
/// does not cancel there (e < 0.29); odd. NaN stays NaN.
__attribute__((always_inline)) inline float tanhOf(float x) {
  const float a = std::fabs(x);
  const float small = a * detail::polynomial(a * a, detail::kTanhOverArgument);
  const float e = expOfNonPositive(-2.0f * a);
  const float large = (1.0f - e) / (1.0f + e);
  const float y = std::copysign(a < 0.625f ? small : large, x);
  return std::isnan(x) ? x : y;
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_FASTMATH_H
