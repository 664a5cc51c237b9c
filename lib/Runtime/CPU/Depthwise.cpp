//===- Depthwise.cpp - Convolutions of one input channel per group --------===//
//
// NCHW: a thread takes rows of one output plane at a time and adds each
// tap's input row, scaled by the tap's weight, to the output row: the
// loop runs over output columns (contiguous at stride 1). Channels last: a
// thread takes an output row of pixels, and sums blocks of 6 pixels by 16
// channels in registers over every tap, each tap's 16 weights loaded once
// for the 6 pixels (ConvNeXt's 7x7 went from 18 to 43 GFLOP/s on one
// core). Either way an output row stays in cache while its kh * kw taps
// are added, and the bias, residual and ReLU are applied to it there.
//
//===----------------------------------------------------------------------===//

#include "Depthwise.h"
#include "Kernel.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace intr::cpu::nn {
namespace {

/// y[e] += t * x[e * stride + shift] for e in [lo, hi), where each such
/// index of x is in range: one output row of a plane and one tap. A loop
/// of its own for stride 1, which vectorizes. Inlined into each of
/// planeRows' clones.
inline void addTapRow(float *__restrict y, const float *__restrict x,
                      int64_t shift, float t, int64_t stride, int64_t lo,
                      int64_t hi) {
  if (stride == 1) {
    const float *from = x + lo + shift;
    float *to = y + lo;
    for (int64_t e = 0; e < hi - lo; ++e)
      to[e] += t * from[e];
  } else {
    for (int64_t e = lo; e < hi; ++e)
      y[e] += t * x[e * stride + shift];
  }
}

/// Rows [y0, y1) of output plane o of image n, NCHW. (Buffers are the
/// callers' to allocate: Clang leaves the std::vector members that a
/// function of several clones calls undefined.)
INTR_VECTOR_CLONES
void planeRows(const Conv &conv, const ConvOperands &op,
               const OutputRange *columns, int64_t n, int64_t o, int64_t y0,
               int64_t y1) {
  const int64_t Og = conv.O / conv.C, taps = conv.kh * conv.kw;
  const float *plane = op.in + (n * conv.C + o / Og) * conv.H * conv.W;
  const float *weight = op.weight + o * taps;
  const int64_t planeOffset = (n * conv.O + o) * conv.Ho * conv.Wo;
  const float bias = op.bias ? op.bias[o] : 0.0f;
  for (int64_t y = y0; y < y1; ++y) {
    int64_t offset = planeOffset + y * conv.Wo;
    float *row = op.out + offset;
    startRow(row, op.residual ? op.residual + offset : nullptr, conv.Wo,
             [bias](int64_t) { return bias; });
    for (int64_t i = 0; i < conv.kh; ++i) {
      int64_t iy = y * conv.sh + i * conv.dh - conv.top;
      if (iy < 0 || iy >= conv.H)
        continue;
      for (int64_t j = 0; j < conv.kw; ++j) {
        addTapRow(row, plane + iy * conv.W, j * conv.dw - conv.left,
                  weight[i * conv.kw + j], conv.sw, columns[j].first,
                  columns[j].end);
      }
    }
    if (op.relu)
      reluRow(row, conv.Wo);
  }
}

/// An output chunk's floats in paddedPlaneRows: about 8 KiB, so that it
/// stays in L1 while its taps are added.
constexpr int64_t kChunkFloats = 2048;

/// At most this many floats (16 MiB) of padded rows per thread; a window
/// that would need more (huge dilations and padding, which only a
/// malformed plan has) takes the row-by-row path, which needs none.
constexpr double kPaddedFloats = double(int64_t(1) << 22);

/// A padded input row's floats: left + W + right.
int64_t paddedWidth(const Conv &conv) {
  return conv.left + conv.W + conv.right;
}

/// The output rows of one chunk of paddedPlaneRows' sums.
int64_t chunkRows(const Conv &conv) {
  return std::max<int64_t>(1, kChunkFloats / paddedWidth(conv));
}

/// Rows [y0, y1) of output plane o of image n, NCHW, at stride 1. The
/// input rows they read are copied with their zero padding into `padded`,
/// Wp = left + W + right floats a row; output row y's element x is then
/// padded[(y - y0 + i dh) Wp + x + j dw] summed over the taps, and so are
/// the elements of consecutive rows, Wp apart (with Wp - Wo columns
/// between them that are summed and dropped). So each tap is one loop over
/// a chunk of rows rather than one short loop per row, which matters where
/// rows are short (ConvNeXt's 7x7 over planes of 5 to 40 columns).
INTR_VECTOR_CLONES
void paddedPlaneRows(const Conv &conv, const ConvOperands &op, int64_t n,
                     int64_t o, int64_t y0, int64_t y1, float *padded,
                     float *sums) {
  const int64_t Og = conv.O / conv.C, W = conv.W, Wo = conv.Wo;
  const int64_t Wp = paddedWidth(conv);
  const int64_t reach = (conv.kh - 1) * conv.dh;
  const float *plane = op.in + (n * conv.C + o / Og) * conv.H * W;
  const float *weight = op.weight + o * conv.kh * conv.kw;
  const int64_t planeOffset = (n * conv.O + o) * conv.Ho * Wo;
  const float bias = op.bias ? op.bias[o] : 0.0f;

  // Padded rows y0 .. y1 - 1 + reach: input rows less `top`.
  const int64_t paddedRows = y1 - y0 + reach;
  std::fill(padded, padded + paddedRows * Wp, 0.0f);
  for (int64_t r = 0; r < paddedRows; ++r) {
    int64_t iy = y0 + r - conv.top;
    if (iy >= 0 && iy < conv.H)
      std::copy(plane + iy * W, plane + (iy + 1) * W,
                padded + r * Wp + conv.left);
  }

  const int64_t chunk = chunkRows(conv);
  for (int64_t c0 = y0; c0 < y1; c0 += chunk) {
    const int64_t rows = std::min(chunk, y1 - c0);
    const int64_t length = (rows - 1) * Wp + Wo;
    float *__restrict acc = sums;
    for (int64_t r = 0; r < rows; ++r) {
      float *row = acc + r * Wp;
      startRow(row,
               op.residual ? op.residual + planeOffset + (c0 + r) * Wo
                           : nullptr,
               Wo, [bias](int64_t) { return bias; });
      // The columns between rows are summed and dropped: zeros, rather
      // than whatever the buffer held, keep NaNs and subnormals, which
      // are slow, out of those sums.
      if (r + 1 < rows)
        std::fill(row + Wo, row + Wp, 0.0f);
    }
    for (int64_t i = 0; i < conv.kh; ++i)
      for (int64_t j = 0; j < conv.kw; ++j) {
        const float *__restrict from =
            padded + (c0 - y0 + i * conv.dh) * Wp + j * conv.dw;
        const float t = weight[i * conv.kw + j];
        for (int64_t q = 0; q < length; ++q)
          acc[q] += t * from[q];
      }
    for (int64_t r = 0; r < rows; ++r) {
      float *out = op.out + planeOffset + (c0 + r) * Wo;
      const float *row = acc + r * Wp;
      if (op.relu)
        for (int64_t x = 0; x < Wo; ++x)
          out[x] = std::max(row[x], 0.0f);
      else
        std::copy(row, row + Wo, out);
    }
  }
}

/// Sixteen channels' floats: one AVX-512 register, two AVX2 ones.
typedef float ChannelLanes __attribute__((vector_size(64)));
constexpr int64_t kLanes = 16;

/// Output pixels summed side by side in registers, so that each tap's
/// weights are loaded once for all of them: with the weights, 7 of
/// AVX-512's 32 registers, 14 of AVX2's 16.
constexpr int64_t kPixels = 6;

/// v = p[0, 16), which need not be aligned. (Not returned: a 64-byte
/// vector is returned in memory without AVX-512, which GCC warns of.)
__attribute__((always_inline)) inline void loadLanes(ChannelLanes &v,
                                                     const float *p) {
  std::memcpy(&v, p, sizeof v);
}

/// Sixteen channels [c0, c0 + 16) of the P output pixels from x0 of row y,
/// channels last with one channel per group: each pixel's sums stay in a
/// register over all the taps (adding each tap's input pixel, scaled, in
/// the taps' order, as the pixel-by-pixel loop does), then go out once. In
/// the image's interior every tap is inside; elsewhere the taps outside
/// it are skipped.
template <int64_t P, bool Interior>
__attribute__((always_inline)) inline void
pixelBlock(const Conv &conv, const ConvOperands &op, const float *tapWeights,
           int64_t n, int64_t y, int64_t x0, int64_t c0) {
  const int64_t O = conv.O;
  const int64_t first = ((n * conv.Ho + y) * conv.Wo + x0) * O + c0;
  ChannelLanes bias = {}, acc[P];
  if (op.bias)
    loadLanes(bias, op.bias + c0);
  for (int64_t p = 0; p < P; ++p) {
    acc[p] = bias;
    if (op.residual) {
      ChannelLanes r;
      loadLanes(r, op.residual + first + p * O);
      acc[p] += r;
    }
  }
  for (int64_t i = 0; i < conv.kh; ++i) {
    int64_t iy = y * conv.sh + i * conv.dh - conv.top;
    if (iy < 0 || iy >= conv.H)
      continue;
    const float *row = op.in + (n * conv.H + iy) * conv.W * O + c0;
    for (int64_t j = 0; j < conv.kw; ++j) {
      ChannelLanes t;
      loadLanes(t, tapWeights + (i * conv.kw + j) * O + c0);
      for (int64_t p = 0; p < P; ++p) {
        int64_t ix = (x0 + p) * conv.sw + j * conv.dw - conv.left;
        if (Interior || (ix >= 0 && ix < conv.W)) {
          ChannelLanes x;
          loadLanes(x, row + ix * O);
          acc[p] += t * x;
        }
      }
    }
  }
  for (int64_t p = 0; p < P; ++p)
    std::memcpy(op.out + first + p * O, &acc[p], sizeof acc[p]);
}

/// pixelBlock for the count of pixels left, 1 to kPixels.
template <bool Interior>
__attribute__((always_inline)) inline void
pixelBlockOf(int64_t count, const Conv &conv, const ConvOperands &op,
             const float *tapWeights, int64_t n, int64_t y, int64_t x0,
             int64_t c0) {
  switch (count) {
  case 6:
    return pixelBlock<6, Interior>(conv, op, tapWeights, n, y, x0, c0);
  case 5:
    return pixelBlock<5, Interior>(conv, op, tapWeights, n, y, x0, c0);
  case 4:
    return pixelBlock<4, Interior>(conv, op, tapWeights, n, y, x0, c0);
  case 3:
    return pixelBlock<3, Interior>(conv, op, tapWeights, n, y, x0, c0);
  case 2:
    return pixelBlock<2, Interior>(conv, op, tapWeights, n, y, x0, c0);
  default:
    return pixelBlock<1, Interior>(conv, op, tapWeights, n, y, x0, c0);
  }
}
static_assert(kPixels == 6, "pixelBlockOf's cases");

/// Channels [c0, c1) of output pixel x of row y of image n, channels last,
/// one tap after another over the channels.
__attribute__((always_inline)) inline void
pixelChannels(const Conv &conv, const ConvOperands &op, const float *tapWeights,
              int64_t n, int64_t y, int64_t x, int64_t c0, int64_t c1) {
  const int64_t O = conv.O, C = conv.C, Og = O / C;
  int64_t offset = ((n * conv.Ho + y) * conv.Wo + x) * O;
  float *__restrict out = op.out + offset;
  const float *r = op.residual ? op.residual + offset : nullptr;
  for (int64_t o = c0; o < c1; ++o)
    out[o] = (op.bias ? op.bias[o] : 0.0f) + (r ? r[o] : 0.0f);
  for (int64_t i = 0; i < conv.kh; ++i) {
    int64_t iy = y * conv.sh + i * conv.dh - conv.top;
    if (iy < 0 || iy >= conv.H)
      continue;
    for (int64_t j = 0; j < conv.kw; ++j) {
      int64_t ix = x * conv.sw + j * conv.dw - conv.left;
      if (ix < 0 || ix >= conv.W)
        continue;
      const float *__restrict in =
          op.in + ((n * conv.H + iy) * conv.W + ix) * C;
      const float *__restrict t = tapWeights + (i * conv.kw + j) * O;
      if (Og == 1)
        for (int64_t o = c0; o < c1; ++o)
          out[o] += t[o] * in[o];
      else // c0 = 0 and c1 = O: depth multipliers go pixel by pixel.
        for (int64_t c = 0; c < C; ++c)
          for (int64_t m = 0; m < Og; ++m)
            out[c * Og + m] += t[c * Og + m] * in[c];
    }
  }
}

/// Output row y of image n, channels last; `tapWeights` is [kh * kw][O].
/// With one channel per group, blocks of kPixels pixels and 16 channels
/// (pixelBlock), the pixels whose taps are all inside the image apart from
/// the others; the channels past the last multiple of 16, and every
/// channel of a depth multiplier above 1, pixel by pixel.
INTR_VECTOR_CLONES
void pixelRow(const Conv &conv, const ConvOperands &op, const float *tapWeights,
              int64_t n, int64_t y) {
  const int64_t O = conv.O, Wo = conv.Wo;
  const int64_t blocked = O == conv.C ? O / kLanes * kLanes : 0;
  // Pixels [inside0, inside1) read only inside the row.
  const OutputRange first = validOutputs(-conv.left, conv.sw, conv.W, Wo);
  const OutputRange last =
      validOutputs((conv.kw - 1) * conv.dw - conv.left, conv.sw, conv.W, Wo);
  const int64_t inside0 = first.first;
  const int64_t inside1 = std::max(inside0, std::min(first.end, last.end));
  for (int64_t c0 = 0; c0 < blocked; c0 += kLanes)
    for (int64_t x0 = 0; x0 < Wo;) {
      // Up to kPixels pixels, all inside or all not.
      const bool interior = x0 >= inside0 && x0 < inside1;
      const int64_t end = interior ? inside1 : x0 < inside0 ? inside0 : Wo;
      const int64_t count = std::min(kPixels, end - x0);
      if (interior)
        pixelBlockOf<true>(count, conv, op, tapWeights, n, y, x0, c0);
      else
        pixelBlockOf<false>(count, conv, op, tapWeights, n, y, x0, c0);
      x0 += count;
    }
  for (int64_t x = 0; x < Wo && blocked < O; ++x)
    pixelChannels(conv, op, tapWeights, n, y, x, blocked, O);
  if (op.relu)
    reluRow(op.out + (n * conv.Ho + y) * Wo * O, Wo * O);
}

} // namespace

bool depthwiseFits(const Conv &conv) {
  // One group of one channel is a GEMM of O rows: left to runConv.
  return conv.dtype == DType::F32 && conv.groups > 1 && conv.groups == conv.C;
}

void runDepthwise(const Conv &conv, const ConvOperands &op, int threads) {
  (void)threads; // Unused without OpenMP.
  const int64_t N = conv.N, O = conv.O, Ho = conv.Ho;
  if (N * O * Ho * conv.Wo == 0)
    return;
  if (conv.channelsLast) {
    // The weights [O, kh, kw, 1] as [kh * kw][O], so that a tap's weights
    // are contiguous over the channels.
    const int64_t taps = conv.kh * conv.kw;
    std::vector<float> tapWeights(static_cast<size_t>(taps * O));
    for (int64_t o = 0; o < O; ++o)
      for (int64_t t = 0; t < taps; ++t)
        tapWeights[t * O + o] = op.weight[o * taps + t];
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t item = 0; item < N * Ho; ++item)
      pixelRow(conv, op, tapWeights.data(), item / Ho, item % Ho);
    return;
  }
  // Whole planes, unless there are too few of them to share among the
  // threads: then equal blocks of rows.
  const int64_t planes = N * O;
  int64_t blocks =
      std::clamp<int64_t>((4 * threads + planes - 1) / planes, 1, Ho);
  const int64_t rows = (Ho + blocks - 1) / blocks;
  blocks = (Ho + rows - 1) / rows;
  // The floats of a block's padded rows, in double: a malformed plan's
  // dilations and padding would overflow int64_t.
  const double paddedFloats = (double(rows) + double(conv.kh - 1) * conv.dh) *
                              double(paddedWidth(conv));
  const bool onPaddedRows =
      conv.sh == 1 && conv.sw == 1 && paddedFloats <= kPaddedFloats;
  const int64_t paddedSize = onPaddedRows ? int64_t(paddedFloats) : 0;
  const int64_t sumsSize =
      onPaddedRows ? (chunkRows(conv) - 1) * paddedWidth(conv) + conv.Wo : 0;
  // Else the row path: each tap column's valid output columns.
  std::vector<OutputRange> columns(onPaddedRows ? 0 : conv.kw);
  for (int64_t j = 0; j < int64_t(columns.size()); ++j)
    columns[j] =
        validOutputs(j * conv.dw - conv.left, conv.sw, conv.W, conv.Wo);
#pragma omp parallel num_threads(threads)
  {
    // Each thread's padded rows and chunk of sums.
    std::vector<float> buffer(static_cast<size_t>(paddedSize + sumsSize));
#pragma omp for schedule(static)
    for (int64_t item = 0; item < planes * blocks; ++item) {
      int64_t plane = item / blocks, y0 = item % blocks * rows;
      int64_t y1 = std::min(Ho, y0 + rows);
      if (onPaddedRows)
        paddedPlaneRows(conv, op, plane / O, plane % O, y0, y1, buffer.data(),
                        buffer.data() + paddedSize);
      else
        planeRows(conv, op, columns.data(), plane / O, plane % O, y0, y1);
    }
  }
}

} // namespace intr::cpu::nn
