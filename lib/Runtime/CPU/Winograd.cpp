//===- Winograd.cpp - 3x3 convolutions by Winograd's F(2x2, 3x3) ----------===//
//
// Output tile (ty, tx) is the 2x2 block at rows 2ty, 2ty + 1 and columns
// 2tx, 2tx + 1; it comes from the 4x4 input tile at (2ty - top, 2tx - left),
// zeros outside the image. A thread takes a block of tile rows of one image
// at a time (whole rows, or equal parts of them where a row alone would
// pass the scratch budget): it transforms their input tiles into V
// [16][C][tiles], runs the 16 GEMMs into M [16][O][tiles] and transforms M
// back into the output with the bias, residual and ReLU, all in its own
// scratch.
//
// In NCHW both transforms run a row of tiles at a time, so that their
// loops are over tiles, contiguous and branch-free: the input's rows are
// first copied into a zero-padded row, and Bᵀ d B is taken as its
// horizontal half (on each of a tile's 4 rows) and then its vertical half.
// Channels last, they run tile by tile with loops over the channels, which
// are contiguous there; V and M are then [16][tiles][C] and [16][tiles][O].
//
//===----------------------------------------------------------------------===//

#include "Winograd.h"
#include "Gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace intr::cpu::nn {
namespace {

/// Below this many channels in or out, im2col and one GEMM are faster: the
/// transforms cost per channel about what the products save per pair.
constexpr int64_t kMinChannels = 32;
/// A block of tile rows holds at least this many tiles where it can, and
/// twice as many as input channels: each of its GEMMs packs a whole U[ξ]
/// (O x C), which more tiles amortize (measured on ResNet-50's shapes at
/// 800x1216: the 256- and 512-channel layers ran a third faster with
/// blocks of 2C tiles than of 128, the 64-channel ones best at about 128,
/// their V and M then within L2) ...
constexpr int64_t kBlockTiles = 128;
constexpr int64_t kTilesPerChannel = 2;
/// ... but its V and M at most this many floats (16 MiB; each thread keeps
/// its scratch from one convolution to the next), in blocks of part of a
/// tile row where one whole row would pass that.
constexpr int64_t kBlockFloats = int64_t(1) << 22;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// One block's work: image n, tile rows [ty0, ty1), tile columns [tx0,
/// tx0 + tw).
struct Block {
  int64_t n, ty0, ty1, tx0, tw;
  int64_t tiles() const { return (ty1 - ty0) * tw; }
};

/// Bᵀ across four rows of n values each (a tile's rows or columns, for n
/// tiles or channels at once): o0 = d0 - d2, o1 = d1 + d2, o2 = d2 - d1,
/// o3 = d1 - d3. Inlined into each vector clone that calls it.
inline void inputRows(const float *__restrict d0, const float *__restrict d1,
                      const float *__restrict d2, const float *__restrict d3,
                      float *__restrict o0, float *__restrict o1,
                      float *__restrict o2, float *__restrict o3, int64_t n) {
  for (int64_t e = 0; e < n; ++e) {
    o0[e] = d0[e] - d2[e];
    o1[e] = d1[e] + d2[e];
    o2[e] = d2[e] - d1[e];
    o3[e] = d1[e] - d3[e];
  }
}

/// Aᵀ across four rows of n values each: o0 = m0 + m1 + m2, o1 = m1 - m2 -
/// m3.
inline void outputRows(const float *__restrict m0, const float *__restrict m1,
                       const float *__restrict m2, const float *__restrict m3,
                       float *__restrict o0, float *__restrict o1, int64_t n) {
  for (int64_t e = 0; e < n; ++e) {
    o0[e] = m0[e] + m1[e] + m2[e];
    o1[e] = m1[e] - m2[e] - m3[e];
  }
}

/// V[ξ][c][t] for every channel c and tile t of the block. `work` holds
/// 2 tw + 2 + 16 tw floats.
INTR_VECTOR_CLONES
void transformInputs(const Conv &conv, const float *in, const Block &block,
                     float *V, float *work) {
  const int64_t C = conv.C, H = conv.H, W = conv.W, tw = block.tw;
  const int64_t tiles = block.tiles(), planeStride = C * tiles;
  // padded[u] is input column first + u: the row under the block's tiles,
  // [lo, hi) inside the image.
  const int64_t span = 2 * tw + 2, first = 2 * block.tx0 - conv.left;
  const int64_t lo = std::clamp<int64_t>(-first, 0, span);
  const int64_t hi = std::clamp(W - first, lo, span);
  float *padded = work;
  float *h = work + span; // [4 input rows][4 columns of the half][tw]
  const float *image = in + block.n * C * H * W;
  for (int64_t c = 0; c < C; ++c) {
    const float *plane = image + c * H * W;
    for (int64_t ty = block.ty0; ty < block.ty1; ++ty) {
      // The horizontal half, d B, on each of the tiles' 4 input rows.
      for (int64_t i = 0; i < 4; ++i) {
        float *__restrict hi0 = h + 4 * i * tw, *__restrict hi1 = hi0 + tw,
                          *__restrict hi2 = hi1 + tw,
                          *__restrict hi3 = hi2 + tw;
        int64_t iy = 2 * ty + i - conv.top;
        if (iy < 0 || iy >= H) {
          std::fill(hi0, hi0 + 4 * tw, 0.0f);
          continue;
        }
        std::fill(padded, padded + lo, 0.0f);
        if (hi > lo)
          std::memcpy(padded + lo, plane + iy * W + first + lo,
                      (hi - lo) * sizeof(float));
        std::fill(padded + hi, padded + span, 0.0f);
        const float *__restrict p = padded;
        for (int64_t tx = 0; tx < tw; ++tx) {
          float d0 = p[2 * tx], d1 = p[2 * tx + 1], d2 = p[2 * tx + 2],
                d3 = p[2 * tx + 3];
          hi0[tx] = d0 - d2;
          hi1[tx] = d1 + d2;
          hi2[tx] = d2 - d1;
          hi3[tx] = d1 - d3;
        }
      }
      // The vertical half, Bᵀ (d B), into V's 16 planes.
      float *v = V + c * tiles + (ty - block.ty0) * tw;
      for (int64_t j = 0; j < 4; ++j) {
        const float *r = h + j * tw; // column j of the half, row by row
        inputRows(r, r + 4 * tw, r + 8 * tw, r + 12 * tw, v + j * planeStride,
                  v + (4 + j) * planeStride, v + (8 + j) * planeStride,
                  v + (12 + j) * planeStride, tw);
      }
    }
  }
}

/// The block's outputs, Aᵀ M A + bias + residual, then the ReLU. `work`
/// holds 12 tw floats.
INTR_VECTOR_CLONES
void transformOutputs(const Conv &conv, const ConvOperands &op,
                      const Block &block, const float *M, float *work) {
  const int64_t O = conv.O, Ho = conv.Ho, Wo = conv.Wo, tw = block.tw;
  const int64_t tiles = block.tiles(), planeStride = O * tiles;
  float *s = work;             // Aᵀ M: [2 output rows][4 columns][tw]
  float *rows = work + 8 * tw; // (Aᵀ M) A: [2 output rows][2 tw]
  // The block's output columns: [x0, x0 + width).
  const int64_t x0 = 2 * block.tx0, width = std::min(2 * tw, Wo - x0);
  for (int64_t o = 0; o < O; ++o) {
    const float b = op.bias ? op.bias[o] : 0.0f;
    for (int64_t ty = block.ty0; ty < block.ty1; ++ty) {
      const float *m = M + o * tiles + (ty - block.ty0) * tw;
      for (int64_t j = 0; j < 4; ++j)
        outputRows(m + j * planeStride, m + (4 + j) * planeStride,
                   m + (8 + j) * planeStride, m + (12 + j) * planeStride,
                   s + j * tw, s + (4 + j) * tw, tw);
      for (int64_t r = 0; r < 2; ++r) {
        const float *__restrict c0 = s + 4 * r * tw, *__restrict c1 = c0 + tw,
                                *__restrict c2 = c1 + tw,
                                *__restrict c3 = c2 + tw;
        float *__restrict y = rows + 2 * r * tw;
        for (int64_t tx = 0; tx < tw; ++tx) {
          y[2 * tx] = c0[tx] + c1[tx] + c2[tx];
          y[2 * tx + 1] = c1[tx] - c2[tx] - c3[tx];
        }
      }
      for (int64_t r = 0; r < 2 && 2 * ty + r < Ho; ++r) {
        int64_t at = ((block.n * O + o) * Ho + 2 * ty + r) * Wo + x0;
        const float *__restrict y = rows + 2 * r * tw;
        float *__restrict out = op.out + at;
        if (op.residual) {
          const float *__restrict res = op.residual + at;
          for (int64_t x = 0; x < width; ++x)
            out[x] = y[x] + b + res[x];
        } else {
          for (int64_t x = 0; x < width; ++x)
            out[x] = y[x] + b;
        }
        if (op.relu)
          for (int64_t x = 0; x < width; ++x)
            out[x] = std::max(out[x], 0.0f);
      }
    }
  }
}

/// transformInputs for channels-last images [N, H, W, C], into V
/// [16][tiles][C]: tile by tile, each step a loop over the channels. `work`
/// holds 17 C floats.
INTR_VECTOR_CLONES
void transformInputsChannelsLast(const Conv &conv, const float *in,
                                 const Block &block, float *V, float *work) {
  const int64_t C = conv.C, H = conv.H, W = conv.W, tw = block.tw;
  const int64_t tiles = block.tiles();
  float *zeros = work; // the pixels outside the image
  float *h = work + C; // d B: [4 input rows][4 columns][C]
  std::fill(zeros, zeros + C, 0.0f);
  const float *image = in + block.n * H * W * C;
  for (int64_t ty = block.ty0; ty < block.ty1; ++ty)
    for (int64_t tx = 0; tx < tw; ++tx) {
      for (int64_t i = 0; i < 4; ++i) {
        int64_t iy = 2 * ty + i - conv.top;
        const float *d[4];
        for (int64_t j = 0; j < 4; ++j) {
          int64_t ix = 2 * (block.tx0 + tx) + j - conv.left;
          bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
          d[j] = inside ? image + (iy * W + ix) * C : zeros;
        }
        float *row = h + 4 * i * C;
        inputRows(d[0], d[1], d[2], d[3], row, row + C, row + 2 * C,
                  row + 3 * C, C);
      }
      int64_t t = (ty - block.ty0) * tw + tx;
      for (int64_t k = 0; k < 4; ++k) {
        const float *r = h + k * C; // column k of the half, row by row
        inputRows(r, r + 4 * C, r + 8 * C, r + 12 * C, V + (k * tiles + t) * C,
                  V + ((4 + k) * tiles + t) * C, V + ((8 + k) * tiles + t) * C,
                  V + ((12 + k) * tiles + t) * C, C);
      }
    }
}

/// transformOutputs for channels-last images, from M [16][tiles][O]: tile
/// by tile, each step a loop over the output channels. `work` holds 8 O
/// floats.
INTR_VECTOR_CLONES
void transformOutputsChannelsLast(const Conv &conv, const ConvOperands &op,
                                  const Block &block, const float *M,
                                  float *work) {
  const int64_t O = conv.O, Ho = conv.Ho, Wo = conv.Wo, tw = block.tw;
  const int64_t tiles = block.tiles();
  float *s = work; // Aᵀ M: [2 output rows][4 columns][O]
  for (int64_t ty = block.ty0; ty < block.ty1; ++ty)
    for (int64_t tx = 0; tx < tw; ++tx) {
      int64_t t = (ty - block.ty0) * tw + tx;
      for (int64_t k = 0; k < 4; ++k)
        outputRows(M + (k * tiles + t) * O, M + ((4 + k) * tiles + t) * O,
                   M + ((8 + k) * tiles + t) * O,
                   M + ((12 + k) * tiles + t) * O, s + k * O, s + (4 + k) * O,
                   O);
      for (int64_t r = 0; r < 2 && 2 * ty + r < Ho; ++r)
        for (int64_t q = 0; q < 2 && 2 * (block.tx0 + tx) + q < Wo; ++q) {
          const float *__restrict c0 = s + 4 * r * O, *__restrict c1 = c0 + O,
                                  *__restrict c2 = c1 + O,
                                  *__restrict c3 = c2 + O;
          int64_t at =
              ((block.n * Ho + 2 * ty + r) * Wo + 2 * (block.tx0 + tx) + q) * O;
          float *__restrict out = op.out + at;
          const float *__restrict res =
              op.residual ? op.residual + at : nullptr;
          // (Aᵀ M) A's column q, then the epilogue, one branch-free loop
          // per step.
          if (q == 0)
            for (int64_t o = 0; o < O; ++o)
              out[o] = c0[o] + c1[o] + c2[o];
          else
            for (int64_t o = 0; o < O; ++o)
              out[o] = c1[o] - c2[o] - c3[o];
          if (op.bias)
            for (int64_t o = 0; o < O; ++o)
              out[o] += op.bias[o];
          if (res)
            for (int64_t o = 0; o < O; ++o)
              out[o] += res[o];
          if (op.relu)
            for (int64_t o = 0; o < O; ++o)
              out[o] = std::max(out[o], 0.0f);
        }
    }
}

} // namespace

bool winogradFits(const Conv &conv) {
  return conv.kh == 3 && conv.kw == 3 && conv.sh == 1 && conv.sw == 1 &&
         conv.dh == 1 && conv.dw == 1 && conv.groups == 1 &&
         conv.dtype == DType::F32 && conv.C >= kMinChannels &&
         conv.O >= kMinChannels;
}

int64_t winogradFilterFloats(const Conv &conv) { return 16 * conv.O * conv.C; }

void winogradFilters(const Conv &conv, const float *weight, float *filters,
                     int threads) {
  (void)threads; // Unused without OpenMP.
  const int64_t O = conv.O, C = conv.C;
  // Tap (i, j) of filter (o, c) is g[3 i + j]: 1 apart in [O, C, 3, 3], C
  // apart in channels-last [O, 3, 3, C].
  const int64_t tapStride = conv.channelsLast ? C : 1;
#pragma omp parallel for num_threads(threads)
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < C; ++c) {
      const float *base =
          conv.channelsLast ? weight + o * 9 * C + c : weight + (o * C + c) * 9;
      float g[9];
      for (int k = 0; k < 9; ++k)
        g[k] = base[k * tapStride];
      float t[4][3]; // G g
      for (int k = 0; k < 3; ++k) {
        t[0][k] = g[k];
        t[1][k] = 0.5f * (g[k] + g[3 + k] + g[6 + k]);
        t[2][k] = 0.5f * (g[k] - g[3 + k] + g[6 + k]);
        t[3][k] = g[6 + k];
      }
      for (int a = 0; a < 4; ++a) { // (G g) Gᵀ
        float u[4] = {t[a][0], 0.5f * (t[a][0] + t[a][1] + t[a][2]),
                      0.5f * (t[a][0] - t[a][1] + t[a][2]), t[a][2]};
        for (int j = 0; j < 4; ++j)
          filters[((4 * a + j) * O + o) * C + c] = u[j];
      }
    }
}

void runWinograd(const Conv &conv, const ConvOperands &op, const float *filters,
                 int threads) {
  const int64_t C = conv.C, O = conv.O;
  const int64_t th = ceilDiv(conv.Ho, 2), tw = ceilDiv(conv.Wo, 2);
  if (conv.N * th * tw * O == 0)
    return;
  // Tile columns per block: a whole tile row where its V and M fit the
  // budget, else as many equal parts of it as they need.
  const int64_t floatsPerTile = 16 * (C + O);
  const int64_t columnBlocks =
      ceilDiv(tw, std::clamp<int64_t>(kBlockFloats / floatsPerTile, 1, tw));
  const int64_t columns = ceilDiv(tw, columnBlocks);
  int64_t rows = std::clamp<int64_t>(
      ceilDiv(std::max(kBlockTiles, kTilesPerChannel * C), columns), 1, th);
  rows = std::clamp<int64_t>(kBlockFloats / (floatsPerTile * columns), 1, rows);
  rows = balancedPiece(th, rows, conv.N * columnBlocks, threads);
  const int64_t rowBlocks = ceilDiv(th, rows);
  const int64_t items = conv.N * rowBlocks * columnBlocks;
#pragma omp parallel num_threads(threads)
  {
    // Each thread's V, M and row work space, kept from one convolution to
    // the next, as im2col's columns are.
    thread_local std::vector<float> scratch;
#pragma omp for schedule(static)
    for (int64_t item = 0; item < items; ++item) {
      int64_t ty0 = item / columnBlocks % rowBlocks * rows;
      int64_t tx0 = item % columnBlocks * columns;
      Block block{item / (columnBlocks * rowBlocks), ty0,
                  std::min(th, ty0 + rows), tx0, std::min(columns, tw - tx0)};
      int64_t tiles = block.tiles();
      size_t needed = floatsPerTile * tiles +
                      std::max(18 * block.tw + 2, 17 * std::max(C, O));
      if (scratch.size() < needed)
        scratch.resize(needed);
      float *V = scratch.data(), *M = V + 16 * C * tiles,
            *work = M + 16 * O * tiles;
      const float *U = filters;
      if (conv.channelsLast) {
        // M[ξ] [tiles, O] = V[ξ] [tiles, C] U[ξ]ᵀ.
        transformInputsChannelsLast(conv, op.in, block, V, work);
        for (int64_t xi = 0; xi < 16; ++xi)
          sgemm(false, true, tiles, O, C, 1.0f, V + xi * C * tiles, C,
                U + xi * O * C, C, 0.0f, M + xi * O * tiles, O,
                /*threads=*/1);
        transformOutputsChannelsLast(conv, op, block, M, work);
      } else {
        // M[ξ] [O, tiles] = U[ξ] V[ξ] [C, tiles].
        transformInputs(conv, op.in, block, V, work);
        for (int64_t xi = 0; xi < 16; ++xi)
          sgemm(false, false, O, tiles, C, 1.0f, U + xi * O * C, C,
                V + xi * C * tiles, tiles, 0.0f, M + xi * O * tiles, tiles,
                /*threads=*/1);
        transformOutputs(conv, op, block, M, work);
      }
    }
  }
}

} // namespace intr::cpu::nn
