//===- ResizeSampling.h - Where Resize reads, for the CPU and CUDA -*- C++
//-*-===//
//
// Resize maps each output index of a resized axis to a source coordinate x
// (its coordinate_transformation_mode), then reads a window of input taps
// around x: nearest one, linear two, cubic four (Keys' kernel with
// coefficient A); with antialias, when it downsamples, the kernel stretched
// by 1 / scale, so more taps, their weights normalized. A tap outside the
// input reads the edge, or with exclude_outside weighs nothing (the others
// renormalized). The CPU plans each axis from these functions and the CUDA
// kernel evaluates them per element, so that both sample alike, in f32.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_RESIZESAMPLING_H
#define INTR_LIB_RUNTIME_CPU_RESIZESAMPLING_H

#include "HostDevice.h"

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace intr::cpu::layout {

/// Resize's mode, coordinate_transformation_mode and nearest_mode, in the
/// order of their spellings in LayoutSupport.cpp.
enum class ResizeMode : int { Nearest, Linear, Cubic };
enum class ResizeTransform : int {
  HalfPixel,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  HalfPixelSymmetric,
  TfCropAndResize
};
enum class ResizeNearest : int {
  RoundPreferFloor,
  RoundPreferCeil,
  Floor,
  Ceil
};

/// The attributes that decide where and how every axis samples.
struct ResizeSampling {
  ResizeMode mode = ResizeMode::Nearest;
  ResizeTransform transform = ResizeTransform::HalfPixel;
  ResizeNearest nearest = ResizeNearest::RoundPreferFloor;
  bool antialias = false, excludeOutside = false;
  float cubicA = -0.75f, extrapolation = 0.0f;
};

/// One axis: its sizes; its scale; the resized length, in * scale where
/// the scales operand gives the scale, else the output size; and for
/// tf_crop_and_resize the region [roiStart, roiEnd] of it that the output
/// covers, in fractions of in - 1.
struct ResizeAxis {
  int64_t inSize = 1, outSize = 1;
  float scale = 1.0f, length = 1.0f, roiStart = 0.0f, roiEnd = 1.0f;
};

/// a * b rounded on its own: nvcc would fuse it with an addition that
/// follows (one rounding fewer), which the host does not do.
INTR_HOST_DEVICE inline float roundedProduct(float a, float b) {
#ifdef __CUDA_ARCH__
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}

/// The source coordinate of output index j. `outside` tells where
/// tf_crop_and_resize maps j outside the input: its output is the
/// extrapolation value.
INTR_HOST_DEVICE inline float resizeSource(ResizeTransform transform,
                                           const ResizeAxis &a, int64_t j,
                                           bool &outside) {
  outside = false;
  const float x = static_cast<float>(j), in = static_cast<float>(a.inSize);
  switch (transform) {
  case ResizeTransform::HalfPixel:
    return (x + 0.5f) / a.scale - 0.5f;
  case ResizeTransform::PytorchHalfPixel:
    return a.length > 1.0f ? (x + 0.5f) / a.scale - 0.5f : 0.0f;
  case ResizeTransform::AlignCorners:
    return a.length == 1.0f ? 0.0f : x * (in - 1.0f) / (a.length - 1.0f);
  case ResizeTransform::Asymmetric:
    break;
  case ResizeTransform::HalfPixelSymmetric: {
    // The output's centre on the input's where the output size was rounded
    // down from the resized length.
    float adjustment = static_cast<float>(a.outSize) / a.length;
    float offset = roundedProduct(in / 2.0f, 1.0f - adjustment);
    return offset + ((x + 0.5f) / a.scale - 0.5f);
  }
  case ResizeTransform::TfCropAndResize: {
    float span = roundedProduct(a.roiEnd - a.roiStart, in - 1.0f);
    float start = roundedProduct(a.roiStart, in - 1.0f);
    float source = a.length == 1.0f
                       ? span / 2.0f
                       : roundedProduct(x, span) / (a.length - 1.0f);
    source = source + start;
    outside = !(source >= 0.0f && source <= in - 1.0f);
    return source;
  }
  }
  return x / a.scale;
}

/// The input index that nearest mode reads at source coordinate x, within
/// the input.
INTR_HOST_DEVICE inline int64_t resizeNearestIndex(float x, int64_t inSize,
                                                   ResizeNearest mode) {
  float f = floorf(x), r;
  if (mode == ResizeNearest::Floor)
    r = f;
  else if (mode == ResizeNearest::Ceil)
    r = ceilf(x);
  else if (x - f == 0.5f)
    r = mode == ResizeNearest::RoundPreferFloor ? f : f + 1.0f;
  else
    r = roundf(x);
  // Clamped as integers: float(inSize - 1) may round up past the last
  // index on an axis longer than 2^24.
  if (!(r > 0.0f))
    return 0;
  if (r >= static_cast<float>(inSize - 1))
    return inSize - 1;
  int64_t index = static_cast<int64_t>(r);
  return index < inSize - 1 ? index : inSize - 1;
}

/// tf_crop_and_resize's extrapolation value in the element type T:
/// integers saturate, and NaN is 0 (a plain conversion of an out-of-range
/// float is undefined, and the host and the device would differ).
template <typename T> INTR_HOST_DEVICE T resizeExtrapolation(float value) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(value);
  } else {
    constexpr int bits = 8 * static_cast<int>(sizeof(T));
    // The bounds as doubles: the least value, and one past the greatest.
    const double low = std::is_signed_v<T> ? -ldexp(1.0, bits - 1) : 0.0;
    const double high =
        std::is_signed_v<T> ? ldexp(1.0, bits - 1) : ldexp(1.0, bits);
    const double v = value;
    if (!(v == v))
      return T(0);
    if (v <= low)
      return static_cast<T>(low);
    if (v >= high) {
      using Unsigned = std::make_unsigned_t<T>;
      Unsigned greatest = static_cast<Unsigned>(~Unsigned(0));
      if constexpr (std::is_signed_v<T>)
        greatest >>= 1;
      return static_cast<T>(greatest);
    }
    return static_cast<T>(v);
  }
}

/// The taps of linear or cubic mode around source coordinate x: input
/// indices base + k for k in [first, first + count), which the reader
/// clamps to the input (the edge). base = ceil(x) - 1, so that t = x - base
/// is in (0, 1]: ONNX prefers the tap left of x. `stretch` scales the
/// distances: the scale where antialias downsamples, else 1.
struct ResizeWindow {
  int64_t base = 0, first = 0, count = 0;
  float t = 1.0f, stretch = 1.0f;
};

INTR_HOST_DEVICE inline ResizeWindow resizeWindow(const ResizeSampling &s,
                                                  float scale, float x) {
  ResizeWindow w;
  float base = ceilf(x) - 1.0f;
  w.base = static_cast<int64_t>(base);
  w.t = x - base;
  w.stretch = s.antialias && scale < 1.0f ? scale : 1.0f;
  // The kernel reaches 1 (linear) or 2 (cubic) from x, 1 / stretch taps.
  float reach = s.mode == ResizeMode::Cubic ? 2.0f : 1.0f;
  w.first = static_cast<int64_t>(floorf(-reach / w.stretch)) + 1;
  w.count = 2 - 2 * w.first;
  return w;
}

/// The weight of tap k of a window, before any normalization.
INTR_HOST_DEVICE inline float
resizeTapWeight(const ResizeSampling &s, const ResizeWindow &w, int64_t k) {
  float d = fabsf(w.stretch * (static_cast<float>(k) - w.t));
  if (s.mode == ResizeMode::Linear)
    return d < 1.0f ? 1.0f - d : 0.0f;
  // Every product rounded on its own (roundedProduct): nvcc would fuse
  // them with the additions, and the device's weights would differ from
  // the host's by an ulp of 1, which the sum over many taps magnifies.
  const float A = s.cubicA;
  if (d <= 1.0f)
    return roundedProduct(
               roundedProduct(roundedProduct(A + 2.0f, d) - (A + 3.0f), d), d) +
           1.0f;
  if (d < 2.0f)
    return roundedProduct(
               roundedProduct(roundedProduct(A, d) - roundedProduct(5.0f, A),
                              d) +
                   roundedProduct(8.0f, A),
               d) -
           roundedProduct(4.0f, A);
  return 0.0f;
}

/// Whether tap k counts: with exclude_outside, only taps inside the input.
INTR_HOST_DEVICE inline bool resizeTapCounts(const ResizeSampling &s,
                                             const ResizeWindow &w, int64_t k,
                                             int64_t inSize) {
  int64_t index = w.base + k;
  return !s.excludeOutside || (index >= 0 && index < inSize);
}

/// What the window's weights are divided by: their sum where antialias or
/// exclude_outside makes it differ from 1 (1 where it is 0), else 1.
INTR_HOST_DEVICE inline float resizeWindowNorm(const ResizeSampling &s,
                                               const ResizeWindow &w,
                                               int64_t inSize) {
  if (!s.antialias && !s.excludeOutside)
    return 1.0f;
  float sum = 0.0f;
  for (int64_t k = w.first; k < w.first + w.count; ++k)
    if (resizeTapCounts(s, w, k, inSize))
      sum += resizeTapWeight(s, w, k);
  return sum == 0.0f ? 1.0f : sum;
}

/// The element at output index i of a Resize of `rank` axes, computed on
/// its own, as the CUDA kernel does: per axis, the source coordinate (axes
/// marked `identity` read index j as it is) and its window; then the sum
/// over every combination of the axes' taps of the product of their
/// weights, or the extrapolation value where tf_crop_and_resize maps an
/// axis outside the input. The CPU resamples one axis at a time instead;
/// the two differ by rounding only.
template <int MaxRank, typename T>
INTR_HOST_DEVICE T resizeElement(const T *src, const ResizeSampling &s,
                                 int rank, const ResizeAxis *geometry,
                                 const int64_t *inStrides, const bool *identity,
                                 int64_t i) {
  int64_t offset = 0, rest = i;
  int active = 0;
  ResizeWindow windows[MaxRank];
  float norms[MaxRank];
  int64_t strides[MaxRank], sizes[MaxRank];
  for (int d = rank - 1; d >= 0; --d) {
    const ResizeAxis &axis = geometry[d];
    int64_t j = rest % axis.outSize;
    rest /= axis.outSize;
    if (identity[d]) {
      offset += j * inStrides[d];
      continue;
    }
    bool outside;
    float x = resizeSource(s.transform, axis, j, outside);
    if (outside) {
      // Only tf_crop_and_resize, run on the element's own type, gets here.
      if constexpr (std::is_arithmetic_v<T>)
        return resizeExtrapolation<T>(s.extrapolation);
      else
        return T{};
    }
    if (s.mode == ResizeMode::Nearest) {
      offset += resizeNearestIndex(x, axis.inSize, s.nearest) * inStrides[d];
      continue;
    }
    windows[active] = resizeWindow(s, axis.scale, x);
    norms[active] = resizeWindowNorm(s, windows[active], axis.inSize);
    strides[active] = inStrides[d];
    sizes[active] = axis.inSize;
    ++active;
  }
  // Nearest mode moves the element itself (-0 and NaN payloads too).
  if constexpr (!std::is_floating_point_v<T>) {
    return src[offset];
  } else {
    if (active == 0)
      return src[offset];
    // The taps of the active axes as one mixed-radix counter.
    int64_t tap[MaxRank];
    for (int a = 0; a < active; ++a)
      tap[a] = windows[a].first;
    T sum = 0;
    for (;;) {
      T weight = 1;
      int64_t at = offset;
      for (int a = 0; a < active; ++a) {
        const ResizeWindow &w = windows[a];
        if (!resizeTapCounts(s, w, tap[a], sizes[a])) {
          weight = 0;
          break;
        }
        weight *= static_cast<T>(resizeTapWeight(s, w, tap[a]) / norms[a]);
        int64_t index = w.base + tap[a];
        index = index < 0 ? 0 : (index >= sizes[a] ? sizes[a] - 1 : index);
        at += index * strides[a];
      }
      if (weight != T(0))
        sum += weight * src[at];
      int a = 0;
      for (; a < active; ++a) {
        if (++tap[a] < windows[a].first + windows[a].count)
          break;
        tap[a] = windows[a].first;
      }
      if (a == active)
        return sum;
    }
  }
}

} // namespace intr::cpu::layout

#endif // INTR_LIB_RUNTIME_CPU_RESIZESAMPLING_H
