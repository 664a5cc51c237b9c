//===- FusedAttention.cu - Fused attention kernels for CUDA ---------------===//
//
// The decoder's class attention and the encoder's self-attention without
// materializing the scores, in f32 (see FusedAttention.h for the operands).
//
// Both are built from the same warp-level pieces. A block has 8 warps; a
// warp owns RPW rows (classes or queries) of the block's row tile, and
// within a tile of 64 keys lane l owns keys l and l + 32. So a warp's store
// of one row's probabilities covers 32 consecutive tokens (coalesced), the
// row maxima and sums are warp reductions (shuffles, no shared memory), and
// the probabilities that P·V needs were produced by the same warp (only a
// __syncwarp between them). Keys are kept transposed in shared memory with
// an XOR swizzle, so the lanes' reads along the keys and the transposing
// stores are both free of bank conflicts; the query rows are read as
// broadcast float4s. Scores live in the log2 domain: the queries are
// pre-multiplied by scale * log2(e) when they are staged, so exp2f applies
// directly. The next tile's operands are fetched into registers while the
// current one is computed on, which hides the global memory latency with
// one block per SM.
//
// Class attention (B images, C classes, T tokens, H heads) runs as two
// kernels over tiles of 32 classes, each block owning every head of its
// tile:
//
//  1. classStatsKernel, one block per (image, class tile, slice of tokens,
//     group of heads): per head, an online softmax over the slice's key
//     tiles gives each row's maximum m and sum l, and (when the attended
//     values are wanted) O = sum of exp2(s - m) v over the slice. Slicing
//     the tokens is what fills the device at batch 1 (7 class tiles for
//     200 classes); the launcher sizes the slices for about two blocks per
//     SM, at most 32 slices (a lane each when they are combined) and at
//     most one per key tile, and splits the heads into groups when that
//     is still too few blocks (950 tokens make 15 key tiles).
//  2. classMapsKernel, one block per (image, class tile, tile of 64 tokens):
//     combines the slices' (m, l) into each row's maximum and sum,
//     recomputes the tile's scores for every head, writes P = exp2(s - m) /
//     l once per head and the head mean once (accumulated in registers
//     across the heads: no atomics, no read-back). Further blocks of the
//     same grid, H per class tile, combine the slices' attended values into
//     `out`, one warp per (head, class) row; they run beside the map blocks.
//
// The scores are computed twice (Q·Kᵀ is a third of the arithmetic); what
// that buys is that the 4 * H * C * T bytes of probabilities are written
// exactly once and never read back, which is the cost that matters at
// these sizes.
//
// With allowTensorCores (sm_80 on) Q·Kᵀ and P·V run on tensor cores in TF32
// instead, as mma.sync instructions whose scores stay in registers:
// flashAttentionMmaKernel for the self-attention, which with slices of the
// keys is also the class attention's first pass, and classMapsMmaKernel for
// its maps (see there). The layout above then gives way to the fragments'.
// Where the scores leave SMs short of work the maps stay on the f32 kernel
// after the tensor-core first pass (ClassAttentionParams::tensorCoreMaps):
// they are then normalized by statistics of TF32 scores, so that a row
// sums to 1 only within TF32's error.
//
//===----------------------------------------------------------------------===//

#include "FusedAttention.h"
#include "Launch.cuh"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace intr::cuda {

namespace {

constexpr int kWarps = 8;
constexpr int kThreads = 32 * kWarps;
constexpr unsigned kFullMask = 0xffffffffu;
/// Keys per tile: two per lane.
constexpr int kKeyTile = 64;
/// Class rows per warp in the class attention, and so its class tile.
constexpr int kClassRowsPerWarp = 4;
constexpr int kClassTile = kWarps * kClassRowsPerWarp;
/// The class attention's token slices: about this many blocks per SM in
/// the stats pass, and at most one slice per lane.
constexpr int kBlocksPerMultiprocessor = 2;
constexpr int kMaxSlices = 32;
/// Rows ((head, class) pairs) per block of the combining blocks: four per
/// warp, so a class tile needs H of them.
constexpr int kCombineRowsPerWarp = kClassTile / kWarps;
constexpr float kLog2e = 1.4426950408889634f;

__host__ __device__ inline int minInt(int a, int b) { return a < b ? a : b; }

/// Image b's row of a key padding mask of `keys` per image (bool or f32);
/// null without that mask.
template <typename T>
__device__ __forceinline__ const T *maskRow(const T *mask, int b, int keys) {
  return mask ? mask + int64_t(b) * keys : nullptr;
}

//===----------------------------------------------------------------------===//
// Warp-level pieces
//===----------------------------------------------------------------------===//

__device__ __forceinline__ float warpMax(float value) {
  for (int offset = 16; offset > 0; offset /= 2)
    value = fmaxf(value, __shfl_xor_sync(kFullMask, value, offset));
  return value;
}

__device__ __forceinline__ float warpSum(float value) {
  for (int offset = 16; offset > 0; offset /= 2)
    value += __shfl_xor_sync(kFullMask, value, offset);
  return value;
}

/// Component i of x; i is a constant once the loops around it unroll.
__device__ __forceinline__ float component(const float4 &x, int i) {
  return i == 0 ? x.x : i == 1 ? x.y : i == 2 ? x.z : x.w;
}

/// Where feature d of key t (t < kKeyTile) sits in its row of the
/// transposed key tile. Lanes read keys lane and lane + 32 of one feature
/// (a permutation of a 32-float run: no conflicts); the staging stores
/// write 32 features of one key (distinct banks through the XOR).
__device__ __forceinline__ int keyColumn(int t, int d) { return t ^ (d & 31); }

/// x rounded to TF32 (to nearest, ties away from zero), as the bit pattern
/// the tensor cores take.
__device__ __forceinline__ uint32_t toTf32(float x) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  uint32_t bits;
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(bits) : "f"(x));
  return bits;
#else
  return __float_as_uint(x);
#endif
}

/// A tile of ROWS rows of DH features on its way from a strided matrix in
/// global memory to shared memory, through registers: fetch() issues the
/// loads (rows from `valid` on read as zero), stage() stores them, shared
/// among a block of THREADS threads. Fetching the next tile before
/// computing on the current one hides the latency.
template <int DH, int ROWS, int THREADS = kThreads> struct TileFetch {
  static constexpr int kVectorsPerRow = DH / 4;
  static constexpr int kPerThread = ROWS * kVectorsPerRow / THREADS;
  static_assert(ROWS * kVectorsPerRow % THREADS == 0,
                "every thread fetches the same number of float4s");
  float4 x[kPerThread];

  /// `vec4`: src and rowStride allow float4 loads.
  __device__ __forceinline__ void fetch(const float *src, int64_t rowStride,
                                        int valid, bool vec4) {
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
      const int e = threadIdx.x + i * THREADS;
      const int r = e / kVectorsPerRow, d = 4 * (e % kVectorsPerRow);
      const float *p = src + r * rowStride + d;
      if (r >= valid)
        x[i] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
      else if (vec4)
        x[i] = *reinterpret_cast<const float4 *>(p);
      else
        x[i] = make_float4(p[0], p[1], p[2], p[3]);
    }
  }

  /// Row r of the tile * factor to dst + r * ld (ld a multiple of 4).
  __device__ __forceinline__ void stage(float *dst, int ld,
                                        float factor) const {
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
      const int e = threadIdx.x + i * THREADS;
      const int r = e / kVectorsPerRow, d = 4 * (e % kVectorsPerRow);
      *reinterpret_cast<float4 *>(dst + r * ld + d) = make_float4(
          x[i].x * factor, x[i].y * factor, x[i].z * factor, x[i].w * factor);
    }
  }

  /// Row r of the tile rounded to TF32 (as bit patterns) to dst + r * ld
  /// (ld a multiple of 4): the tensor-core operands, rounded once.
  __device__ __forceinline__ void stageTf32(uint32_t *dst, int ld) const {
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
      const int e = threadIdx.x + i * THREADS;
      const int r = e / kVectorsPerRow, d = 4 * (e % kVectorsPerRow);
      *reinterpret_cast<uint4 *>(dst + r * ld + d) = make_uint4(
          toTf32(x[i].x), toTf32(x[i].y), toTf32(x[i].z), toTf32(x[i].w));
    }
  }

  /// Keys, transposed: feature d of key r goes to
  /// kT[d * kKeyTile + keyColumn(r, d)].
  __device__ __forceinline__ void stageTransposed(float *kT) const {
    static_assert(ROWS == kKeyTile, "a key tile");
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
      const int e = threadIdx.x + i * THREADS;
      const int r = e / kVectorsPerRow, d = 4 * (e % kVectorsPerRow);
#pragma unroll
      for (int c = 0; c < 4; ++c)
        kT[(d + c) * kKeyTile + keyColumn(r, d + c)] = component(x[i], c);
    }
  }
};

/// s[i][j] = (row i of this warp's rows of qs) . (key lane + 32 j of kT).
template <int DH, int RPW>
__device__ __forceinline__ void tileScores(const float *qs, const float *kT,
                                           float (&s)[RPW][2]) {
  const int lane = threadIdx.x % 32;
  const float *rows = qs + (threadIdx.x / 32) * RPW * DH;
#pragma unroll
  for (int i = 0; i < RPW; ++i)
    s[i][0] = s[i][1] = 0.0f;
#pragma unroll
  for (int d0 = 0; d0 < DH; d0 += 4) {
    // The same address in every lane: broadcast.
    float4 q[RPW];
#pragma unroll
    for (int i = 0; i < RPW; ++i)
      q[i] = *reinterpret_cast<const float4 *>(rows + i * DH + d0);
#pragma unroll
    for (int dd = 0; dd < 4; ++dd) {
      const int d = d0 + dd;
      const float k0 = kT[d * kKeyTile + keyColumn(lane, d)];
      const float k1 = kT[d * kKeyTile + keyColumn(lane + 32, d)];
#pragma unroll
      for (int i = 0; i < RPW; ++i) {
        const float x = component(q[i], dd);
        s[i][0] = fmaf(x, k0, s[i][0]);
        s[i][1] = fmaf(x, k1, s[i][1]);
      }
    }
  }
}

/// What token t adds to a score in the log2 domain: -inf for a padded
/// token or one past `count`, the float mask's value, or 0. The masks are
/// the image's row. A finite mask stays finite: float32's lowest value (a
/// common "padded" mark) times log2(e) would overflow to -inf and make a
/// fully padded row NaN, where the CPU's sum in natural units stays
/// finite and gives a uniform row.
__device__ __forceinline__ float
keyBias(int t, int count, const uint8_t *boolMask, const float *floatMask) {
  if (t >= count || (boolMask && boolMask[t]))
    return -INFINITY;
  if (!floatMask)
    return 0.0f;
  const float m = floatMask[t], limit = FLT_MAX / kLog2e;
  if (isfinite(m) && !(m > -limit && m < limit))
    return copysignf(FLT_MAX, m);
  return m * kLog2e;
}

/// Folds a tile's scores s (log2 domain, -inf for masked keys) into the
/// running maxima m (the same in every lane) and the lanes' shares l of the
/// sums relative to m. With values: rescales o and leaves exp2(s - m) in
/// the warp's rows of ps (rows of kKeyTile floats) for the values step.
template <int RPW, int DV, bool WithValues>
__device__ __forceinline__ void
onlineSoftmaxStep(const float (&s)[RPW][2], float (&m)[RPW], float (&l)[RPW],
                  float (&o)[RPW][DV], float *ps) {
  const int lane = threadIdx.x % 32;
  float *rows = ps + (threadIdx.x / 32) * RPW * kKeyTile;
#pragma unroll
  for (int i = 0; i < RPW; ++i) {
    const float newMax = fmaxf(m[i], warpMax(fmaxf(s[i][0], s[i][1])));
    // While every key of a row so far is masked its maximum is -inf;
    // subtracting 0 instead keeps exp2f from seeing -inf - -inf.
    const float base = newMax == -INFINITY ? 0.0f : newMax;
    const float alpha = exp2f(m[i] - base);
    const float p0 = exp2f(s[i][0] - base), p1 = exp2f(s[i][1] - base);
    l[i] = fmaf(l[i], alpha, p0 + p1);
    m[i] = newMax;
    if (WithValues) {
#pragma unroll
      for (int dd = 0; dd < DV; ++dd)
        o[i][dd] *= alpha;
      rows[i * kKeyTile + lane] = p0;
      rows[i * kKeyTile + lane + 32] = p1;
    }
  }
}

/// o[i][dd] += sum over the tile's keys t of ps[row i][t] * vs[t][lane +
/// 32 dd], for the warp's rows (of kKeyTile floats). ps rows come from
/// this warp only.
template <int DH, int RPW>
__device__ __forceinline__ void tileValues(const float *ps, const float *vs,
                                           float (&o)[RPW][DH / 32]) {
  const int lane = threadIdx.x % 32;
  const float *rows = ps + (threadIdx.x / 32) * RPW * kKeyTile;
#pragma unroll 4
  for (int t0 = 0; t0 < kKeyTile; t0 += 4) {
    float4 p[RPW];
#pragma unroll
    for (int i = 0; i < RPW; ++i)
      p[i] = *reinterpret_cast<const float4 *>(rows + i * kKeyTile + t0);
#pragma unroll
    for (int tt = 0; tt < 4; ++tt) {
#pragma unroll
      for (int dd = 0; dd < DH / 32; ++dd) {
        const float value = vs[(t0 + tt) * DH + lane + 32 * dd];
#pragma unroll
        for (int i = 0; i < RPW; ++i)
          o[i][dd] = fmaf(component(p[i], tt), value, o[i][dd]);
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Class attention
//===----------------------------------------------------------------------===//

/// The class attention's operands and plan, by value (a graph captures the
/// parameters).
struct ClassKernelArgs {
  const float *q;
  int64_t qBatchStride, qRowStride;
  const float *k;
  int64_t kBatchStride, kRowStride;
  const float *v;
  int64_t vBatchStride, vRowStride;
  const uint8_t *boolMask;
  const float *floatMask;
  float *probs, *meanProbs, *out;
  int64_t outRowStride;
  /// [slices][B][H][C]: each slice's row maximum (log2 domain) and sum of
  /// exp2(s - maximum).
  float2 *stats;
  /// [slices][B][C][H * DH]: each slice's sum of exp2(s - maximum) v, when
  /// `out` is wanted.
  float *partial;
  int B, C, T, H;
  /// The stats kernel's slices of the tokens, tilesPerSlice key tiles each
  /// (slices <= kMaxSlices), and its groups of headsPerGroup heads.
  int slices, tilesPerSlice;
  int headGroups, headsPerGroup;
  /// The maps kernel's blocks [0, mapTiles) write the maps of a token tile
  /// each (0 when no map is wanted, and in the combining launch of the
  /// tensor-core path); the H blocks after them combine `out`.
  int mapTiles;
  /// scale * log2(e): what the staged queries are multiplied by.
  float queryFactor;
  float inverseHeads;
  bool vecQ, vecK, vecV;
  /// Rows of probabilities and mean start 8-byte aligned (T even): the
  /// tensor-core maps kernel stores pairs.
  bool vecMaps;
};

/// Pass 1: per head, the softmax statistics (and attended values) of
/// every row of a class tile over one slice of the tokens. Grid: (slices,
/// class tiles, B * head groups).
template <int DH, bool WithValues>
__global__ void __launch_bounds__(kThreads)
    classStatsKernel(const ClassKernelArgs a) {
  awaitPredecessors();
  constexpr int RPW = kClassRowsPerWarp, DV = DH / 32;
  __shared__ __align__(16) float qs[kClassTile * DH];
  __shared__ __align__(16) float kT[DH * kKeyTile];
  __shared__ __align__(16) float vs[WithValues ? kKeyTile * DH : 4];
  __shared__ __align__(16) float ps[WithValues ? kClassTile * kKeyTile : 4];

  const int slice = blockIdx.x, b = blockIdx.z / a.headGroups;
  const int hBegin = blockIdx.z % a.headGroups * a.headsPerGroup;
  const int hEnd = minInt(a.H, hBegin + a.headsPerGroup);
  const int c0 = blockIdx.y * kClassTile;
  const int rows = minInt(kClassTile, a.C - c0);
  const int tBegin = slice * a.tilesPerSlice * kKeyTile;
  const int tEnd = minInt(a.T, tBegin + a.tilesPerSlice * kKeyTile);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  const int64_t D = int64_t(a.H) * DH;
  const float *queries = a.q + b * a.qBatchStride + c0 * a.qRowStride;
  const float *keys = a.k + b * a.kBatchStride;
  const float *values = WithValues ? a.v + b * a.vBatchStride : nullptr;
  const uint8_t *boolMask = maskRow(a.boolMask, b, a.T);
  const float *floatMask = maskRow(a.floatMask, b, a.T);

  TileFetch<DH, kClassTile> queryFetch;
  TileFetch<DH, kKeyTile> keyFetch, valueFetch;
  auto fetchKeys = [&](int h, int t0) {
    keyFetch.fetch(keys + t0 * a.kRowStride + h * DH, a.kRowStride,
                   minInt(kKeyTile, tEnd - t0), a.vecK);
  };
  auto fetchValues = [&](int h, int t0) {
    valueFetch.fetch(values + t0 * a.vRowStride + h * DH, a.vRowStride,
                     minInt(kKeyTile, tEnd - t0), a.vecV);
  };
  if (tBegin < tEnd) {
    queryFetch.fetch(queries + hBegin * DH, a.qRowStride, rows, a.vecQ);
    fetchKeys(hBegin, tBegin);
    if (WithValues)
      fetchValues(hBegin, tBegin);
  }

  for (int h = hBegin; h < hEnd; ++h) {
    float m[RPW], l[RPW], o[RPW][DV];
#pragma unroll
    for (int i = 0; i < RPW; ++i) {
      m[i] = -INFINITY;
      l[i] = 0.0f;
#pragma unroll
      for (int dd = 0; dd < DV; ++dd)
        o[i][dd] = 0.0f;
    }
    for (int t0 = tBegin; t0 < tEnd; t0 += kKeyTile) {
      // The tile after this one, of this head or the next.
      int nextH = h, nextT0 = t0 + kKeyTile;
      if (nextT0 >= tEnd) {
        nextH = h + 1;
        nextT0 = tBegin;
      }
      const bool hasNext = nextH < hEnd;

      // Every warp is done with the previous tile (and head).
      __syncthreads();
      if (t0 == tBegin)
        queryFetch.stage(qs, DH, a.queryFactor);
      keyFetch.stageTransposed(kT);
      if (WithValues)
        valueFetch.stage(vs, DH, 1.0f);
      __syncthreads();
      // The next tile's operands are in flight during the compute.
      if (hasNext) {
        if (nextH != h)
          queryFetch.fetch(queries + nextH * DH, a.qRowStride, rows, a.vecQ);
        fetchKeys(nextH, nextT0);
        if (WithValues)
          fetchValues(nextH, nextT0);
      }

      float s[RPW][2];
      tileScores<DH, RPW>(qs, kT, s);
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const float bias =
            keyBias(t0 + lane + 32 * j, tEnd, boolMask, floatMask);
#pragma unroll
        for (int i = 0; i < RPW; ++i)
          s[i][j] += bias;
      }
      onlineSoftmaxStep<RPW, DV, WithValues>(s, m, l, o, ps);
      if constexpr (WithValues) {
        // The warp's probabilities, written by all its lanes.
        __syncwarp();
        tileValues<DH, RPW>(ps, vs, o);
      }
    }

#pragma unroll
    for (int i = 0; i < RPW; ++i) {
      const float sum = warpSum(l[i]);
      const int r = warp * RPW + i;
      if (r >= rows)
        continue;
      const int64_t c = c0 + r;
      if (lane == 0)
        a.stats[((int64_t(slice) * a.B + b) * a.H + h) * a.C + c] =
            make_float2(m[i], sum);
      if (WithValues) {
        float *partial =
            a.partial + ((int64_t(slice) * a.B + b) * a.C + c) * D + h * DH;
#pragma unroll
        for (int dd = 0; dd < DV; ++dd)
          partial[lane + 32 * dd] = o[i][dd];
      }
    }
  }
}

/// Lane k's share of combining the slices' statistics of row (b, h, c):
/// slice k's (maximum, sum), or (-inf, 0) past the slices.
__device__ __forceinline__ float2 sliceStats(const ClassKernelArgs &a, int b,
                                             int h, int64_t c) {
  const int lane = threadIdx.x % 32;
  if (lane >= a.slices)
    return make_float2(-INFINITY, 0.0f);
  return a.stats[((int64_t(lane) * a.B + b) * a.H + h) * a.C + c];
}

/// From the lanes' sliceStats: the row's maximum over all tokens and the
/// weight exp2(slice maximum - maximum) of the lane's slice (0 for a slice
/// without an unmasked token). `inverse` is 1 / the row's sum; both are
/// NaN for a row without an unmasked token (no softmax, NaN as on the CPU).
__device__ __forceinline__ float combineStats(float2 part, float &maximum,
                                              float &inverse) {
  maximum = warpMax(part.x);
  const bool undefined = maximum == -INFINITY;
  const float weight = undefined ? 0.0f : exp2f(part.x - maximum);
  const float sum = warpSum(part.y * weight);
  if (undefined)
    maximum = inverse = NAN;
  else
    inverse = 1.0f / sum;
  return weight;
}

/// Pass 2. Blocks [0, mapTiles): the probabilities of one tile of tokens
/// for every head and their mean. The H blocks after them: the attended
/// values of kClassTile (head, class) rows each, combined from the slices.
/// Grid: (mapTiles + H or mapTiles, class tiles, B); after the tensor-core
/// maps (mapTiles 0) the combining blocks alone.
template <int DH>
__global__ void __launch_bounds__(kThreads)
    classMapsKernel(const ClassKernelArgs a) {
  awaitPredecessors();
  constexpr int RPW = kClassRowsPerWarp, DV = DH / 32;
  __shared__ __align__(16) float qs[kClassTile * DH];
  __shared__ __align__(16) float kT[DH * kKeyTile];

  const int b = blockIdx.z, c0 = blockIdx.y * kClassTile;
  const int rows = minInt(kClassTile, a.C - c0);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;

  if (int(blockIdx.x) >= a.mapTiles) {
    // Combining block: warp w takes rows (h, r) with r = w * 4 + i.
    const int h = blockIdx.x - a.mapTiles;
    const int64_t D = int64_t(a.H) * DH;
    const int64_t partialStride = int64_t(a.B) * a.C * D;
#pragma unroll
    for (int i = 0; i < kCombineRowsPerWarp; ++i) {
      const int r = warp * kCombineRowsPerWarp + i;
      if (r >= rows)
        break;
      const int64_t c = c0 + r;
      float maximum, inverse;
      const float weight =
          combineStats(sliceStats(a, b, h, c), maximum, inverse);
      const float *partial =
          a.partial + (int64_t(b) * a.C + c) * D + h * DH + lane;
      float sum[DV] = {};
#pragma unroll 8
      for (int k = 0; k < a.slices; ++k) {
        const float w = __shfl_sync(kFullMask, weight, k);
#pragma unroll
        for (int dd = 0; dd < DV; ++dd)
          sum[dd] = fmaf(w, partial[k * partialStride + 32 * dd], sum[dd]);
      }
      float *out =
          a.out + (int64_t(b) * a.C + c) * a.outRowStride + h * DH + lane;
#pragma unroll
      for (int dd = 0; dd < DV; ++dd)
        out[32 * dd] = sum[dd] * inverse;
    }
    return;
  }

  const int t0 = blockIdx.x * kKeyTile;
  const int valid = minInt(kKeyTile, a.T - t0);
  const float *queries = a.q + b * a.qBatchStride + c0 * a.qRowStride;
  const float *keys = a.k + b * a.kBatchStride + t0 * a.kRowStride;
  float bias[2];
#pragma unroll
  for (int j = 0; j < 2; ++j)
    bias[j] = keyBias(t0 + lane + 32 * j, a.T, maskRow(a.boolMask, b, a.T),
                      maskRow(a.floatMask, b, a.T));

  // The next head's operands: query rows, keys, and lane k's share of the
  // statistics of the warp's rows.
  TileFetch<DH, kClassTile> queryFetch;
  TileFetch<DH, kKeyTile> keyFetch;
  float2 rowStats[RPW];
  auto fetchHead = [&](int h) {
    queryFetch.fetch(queries + h * DH, a.qRowStride, rows, a.vecQ);
    keyFetch.fetch(keys + h * DH, a.kRowStride, valid, a.vecK);
#pragma unroll
    for (int i = 0; i < RPW; ++i) {
      const int r = warp * RPW + i;
      rowStats[i] =
          r < rows ? sliceStats(a, b, h, c0 + r) : make_float2(-INFINITY, 0.0f);
    }
  };
  fetchHead(0);

  float mean[RPW][2] = {};
  for (int h = 0; h < a.H; ++h) {
    // Every warp is done with the previous head's rows, keys and scores.
    __syncthreads();
    queryFetch.stage(qs, DH, a.queryFactor);
    keyFetch.stageTransposed(kT);
    float shift[RPW], inverse[RPW];
#pragma unroll
    for (int i = 0; i < RPW; ++i)
      combineStats(rowStats[i], shift[i], inverse[i]);
    __syncthreads();
    if (h + 1 < a.H)
      fetchHead(h + 1);

    float s[RPW][2];
    tileScores<DH, RPW>(qs, kT, s);
    float *probs =
        a.probs ? a.probs + ((int64_t(b) * a.H + h) * a.C + c0) * a.T + t0
                : nullptr;
#pragma unroll
    for (int i = 0; i < RPW; ++i) {
      const int r = warp * RPW + i;
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const float p = exp2f(s[i][j] + bias[j] - shift[i]) * inverse[i];
        const int t = lane + 32 * j;
        if (probs && r < rows && t < valid)
          probs[int64_t(r) * a.T + t] = p;
        mean[i][j] = fmaf(p, a.inverseHeads, mean[i][j]);
      }
    }
  }

  if (a.meanProbs) {
    float *meanProbs = a.meanProbs + (int64_t(b) * a.C + c0) * a.T + t0;
#pragma unroll
    for (int i = 0; i < RPW; ++i) {
      const int r = warp * RPW + i;
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const int t = lane + 32 * j;
        if (r < rows && t < valid)
          meanProbs[int64_t(r) * a.T + t] = mean[i][j];
      }
    }
  }
}

/// out rows with no tokens to attend to: zero, as on the CPU.
__global__ void __launch_bounds__(kThreads)
    zeroRowsKernel(float *out, int64_t rows, int64_t rowStride, int columns) {
  awaitPredecessors();
  const int64_t count = rows * columns;
  for (int64_t e = blockIdx.x * int64_t(kThreads) + threadIdx.x; e < count;
       e += int64_t(gridDim.x) * kThreads)
    out[(e / columns) * rowStride + e % columns] = 0.0f;
}

//===----------------------------------------------------------------------===//
// Flash self-attention
//===----------------------------------------------------------------------===//

struct FlashKernelArgs {
  const float *q;
  int64_t qBatchStride, qRowStride, qHeadStride;
  const float *k;
  int64_t kBatchStride, kRowStride, kHeadStride;
  const float *v;
  int64_t vBatchStride, vRowStride, vHeadStride;
  float *o;
  int64_t oBatchStride, oRowStride, oHeadStride;
  const uint8_t *boolMask;
  const float *floatMask;
  int B, H, S, L;
  float queryFactor;
  bool vecQ, vecK, vecV;
  /// The tensor-core kernel's slices of the keys (1: none), tilesPerSplit
  /// key tiles each. With partialStats it leaves, per (slice, image, head,
  /// query) row, the row's maximum and sum in partialStats
  /// ([splits][B][H][S]) and, with partialO, the unnormalized O there
  /// ([splits][B][H][S][DH], or with partialByRow [splits][B][S][H][DH],
  /// the class attention's), for flashCombineKernel or the class
  /// attention's maps; o is not written.
  int splits, tilesPerSplit;
  float *partialO;
  float2 *partialStats;
  bool partialByRow;
};

/// One block per (tile of 8 * RPW queries, head, image): an online softmax
/// over every tile of keys, then O / sum, in f32 FMAs. Grid: (query tiles,
/// H, B).
template <int DH, int RPW>
__global__ void __launch_bounds__(kThreads)
    flashAttentionKernel(const FlashKernelArgs a) {
  awaitPredecessors();
  constexpr int kRows = kWarps * RPW, DV = DH / 32;
  __shared__ __align__(16) float qs[kRows * DH];
  __shared__ __align__(16) float kT[DH * kKeyTile];
  __shared__ __align__(16) float vs[kKeyTile * DH];
  __shared__ __align__(16) float ps[kRows * kKeyTile];

  const int s0 = blockIdx.x * kRows, h = blockIdx.y, b = blockIdx.z;
  const int rows = minInt(kRows, a.S - s0);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  const float *keys = a.k + b * a.kBatchStride + h * a.kHeadStride;
  const float *values = a.v + b * a.vBatchStride + h * a.vHeadStride;
  const uint8_t *boolMask = maskRow(a.boolMask, b, a.L);
  const float *floatMask = maskRow(a.floatMask, b, a.L);

  TileFetch<DH, kKeyTile> keyFetch, valueFetch;
  auto fetchTile = [&](int t0) {
    const int valid = minInt(kKeyTile, a.L - t0);
    keyFetch.fetch(keys + t0 * a.kRowStride, a.kRowStride, valid, a.vecK);
    valueFetch.fetch(values + t0 * a.vRowStride, a.vRowStride, valid, a.vecV);
  };
  if (a.L > 0)
    fetchTile(0);
  {
    TileFetch<DH, kRows> queryFetch;
    queryFetch.fetch(a.q + b * a.qBatchStride + s0 * a.qRowStride +
                         h * a.qHeadStride,
                     a.qRowStride, rows, a.vecQ);
    // Complete once the first tile's barrier has passed.
    queryFetch.stage(qs, DH, a.queryFactor);
  }

  float m[RPW], l[RPW], o[RPW][DV];
#pragma unroll
  for (int i = 0; i < RPW; ++i) {
    m[i] = -INFINITY;
    l[i] = 0.0f;
#pragma unroll
    for (int dd = 0; dd < DV; ++dd)
      o[i][dd] = 0.0f;
  }
  for (int t0 = 0; t0 < a.L; t0 += kKeyTile) {
    // Every warp is done with the previous tile.
    __syncthreads();
    keyFetch.stageTransposed(kT);
    valueFetch.stage(vs, DH, 1.0f);
    __syncthreads();
    // The next tile is in flight during the compute.
    if (t0 + kKeyTile < a.L)
      fetchTile(t0 + kKeyTile);

    float s[RPW][2];
    tileScores<DH, RPW>(qs, kT, s);
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const float bias = keyBias(t0 + lane + 32 * j, a.L, boolMask, floatMask);
#pragma unroll
      for (int i = 0; i < RPW; ++i)
        s[i][j] += bias;
    }
    onlineSoftmaxStep<RPW, DV, true>(s, m, l, o, ps);
    __syncwarp();
    tileValues<DH, RPW>(ps, vs, o);
  }

#pragma unroll
  for (int i = 0; i < RPW; ++i) {
    const float sum = warpSum(l[i]);
    const int r = warp * RPW + i;
    if (r >= rows)
      continue;
    // No keys: an empty sum, 0 as on the CPU. All keys masked: NaN.
    const float inverse = a.L == 0            ? 0.0f
                          : m[i] == -INFINITY ? NAN
                                              : 1.0f / sum;
    float *out =
        a.o + b * a.oBatchStride + (s0 + r) * a.oRowStride + h * a.oHeadStride;
#pragma unroll
    for (int dd = 0; dd < DV; ++dd)
      out[lane + 32 * dd] = o[i][dd] * inverse;
  }
}

//===----------------------------------------------------------------------===//
// Flash self-attention on tensor cores
//===----------------------------------------------------------------------===//
//
// The same online softmax with Q·Kᵀ and P·V as TF32 mma.sync instructions
// (m16n8k8, f32 accumulation), the scores never leaving registers: a warp
// owns 16 query rows, and a block of kMmaWarps warps shares each tile of
// 64 keys and values, staged in shared memory already rounded to TF32.
//
// In the m16n8k8 layouts, with g = lane / 4 and t = lane % 4, a thread
// holds A (16 x 8) at rows g, g + 8 and columns t, t + 4; B (8 x 8) at rows
// t, t + 4 and column g; C (16 x 8) at rows g, g + 8 and columns 2t, 2t + 1.
// The scores' C fragments become P·V's A fragments without shuffles by
// numbering each 8 keys' reduction index differently: index t is key 2t and
// index t + 4 key 2t + 1, so a thread's own scores are exactly its A
// elements, and it reads the value rows 2t and 2t + 1 for B. Shared rows of
// DH + 4 words make every fragment read conflict-free: key rows g at word
// 4g + t (mod 32), value rows 2t and 2t + 1 at 8t + g.

constexpr int kMmaWarps = 4;
constexpr int kMmaThreads = 32 * kMmaWarps;
constexpr int kMmaRows = 16 * kMmaWarps;

/// d += a · b in TF32 with f32 accumulation (m16n8k8).
__device__ __forceinline__ void mmaTf32(float (&d)[4], const uint32_t (&a)[4],
                                        uint32_t b0, uint32_t b1) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%0, %1, %2, %3};"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#else
  __trap(); // TF32 needs sm_80; the launcher never picks this path below.
#endif
}

/// The A fragments of this thread's query rows, `row` and 8 rows below it
/// (zero where has0 or has1 is false), times `factor`, rounded to TF32.
template <int DH>
__device__ __forceinline__ void loadQueries(const float *row, int64_t rowStride,
                                            bool has0, bool has1, float factor,
                                            uint32_t (&q)[DH / 8][4]) {
  const int t = threadIdx.x % 4;
  const float *lower = row + 8 * rowStride;
#pragma unroll
  for (int k = 0; k < DH / 8; ++k) {
    const int d = 8 * k + t;
    q[k][0] = toTf32(has0 ? row[d] * factor : 0.0f);
    q[k][1] = toTf32(has1 ? lower[d] * factor : 0.0f);
    q[k][2] = toTf32(has0 ? row[d + 4] * factor : 0.0f);
    q[k][3] = toTf32(has1 ? lower[d + 4] * factor : 0.0f);
  }
}

/// S = Q·Kᵀ over a staged key tile (rows of DH + 4 words): n-tile j holds
/// keys 8j + 2t and 8j + 2t + 1 of this thread's two rows.
template <int DH>
__device__ __forceinline__ void tileScoresMma(const uint32_t (&q)[DH / 8][4],
                                              const uint32_t *ks,
                                              float (&s)[kKeyTile / 8][4]) {
  const int lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
#pragma unroll
  for (int j = 0; j < kKeyTile / 8; ++j) {
    s[j][0] = s[j][1] = s[j][2] = s[j][3] = 0.0f;
    const uint32_t *key = ks + (8 * j + g) * (DH + 4) + t;
#pragma unroll
    for (int k = 0; k < DH / 8; ++k)
      mmaTf32(s[j], q[k], key[8 * k], key[8 * k + 4]);
  }
}

/// One block per (tile of kMmaRows queries, head, image, slice of the
/// keys). Grid: (query tiles, H, B * splits).
template <int DH>
__global__ void __launch_bounds__(kMmaThreads)
    flashAttentionMmaKernel(const FlashKernelArgs a) {
  awaitPredecessors();
  constexpr int kStride = DH + 4, kSteps = DH / 8, kKeyGroups = kKeyTile / 8;
  __shared__ __align__(16) uint32_t ks[kKeyTile * kStride];
  __shared__ __align__(16) uint32_t vs[kKeyTile * kStride];

  const int h = blockIdx.y, b = blockIdx.z / a.splits;
  const int split = blockIdx.z % a.splits;
  // The slice's keys [tBegin, tEnd); all of them without slices.
  const int tBegin = split * a.tilesPerSplit * kKeyTile;
  const int tEnd = tBegin + minInt(a.tilesPerSplit * kKeyTile, a.L - tBegin);
  const int lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
  // The thread's two rows: g and g + 8 of its warp's 16.
  const int row0 = blockIdx.x * kMmaRows + threadIdx.x / 32 * 16 + g;
  const float *keys = a.k + b * a.kBatchStride + h * a.kHeadStride;
  const float *values = a.v + b * a.vBatchStride + h * a.vHeadStride;
  const uint8_t *boolMask = maskRow(a.boolMask, b, a.L);
  const float *floatMask = maskRow(a.floatMask, b, a.L);

  TileFetch<DH, kKeyTile, kMmaThreads> keyFetch, valueFetch;
  auto fetchTile = [&](int t0) {
    const int valid = minInt(kKeyTile, tEnd - t0);
    keyFetch.fetch(keys + t0 * a.kRowStride, a.kRowStride, valid, a.vecK);
    valueFetch.fetch(values + t0 * a.vRowStride, a.vRowStride, valid, a.vecV);
  };
  if (tBegin < tEnd)
    fetchTile(tBegin);

  // The queries' A fragments, scaled into the log2 domain: rows past S
  // read as zero (their results are never stored).
  uint32_t q[kSteps][4];
  loadQueries<DH>(a.q + b * a.qBatchStride + int64_t(row0) * a.qRowStride +
                      h * a.qHeadStride,
                  a.qRowStride, row0 < a.S, row0 + 8 < a.S, a.queryFactor, q);

  // Per row (g, g + 8): the running maximum (the same in the 4 threads of
  // a row), this thread's share of the sum, and O's columns 2t, 2t + 1 of
  // every 8, as C fragments.
  float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.0f, 0.0f};
  float o[kSteps][4] = {};
  for (int t0 = tBegin; t0 < tEnd; t0 += kKeyTile) {
    // Every warp is done with the previous tile.
    __syncthreads();
    keyFetch.stageTf32(ks, kStride);
    valueFetch.stageTf32(vs, kStride);
    __syncthreads();
    // The next tile is in flight during the compute.
    if (t0 + kKeyTile < tEnd)
      fetchTile(t0 + kKeyTile);

    float s[kKeyGroups][4];
    tileScoresMma<DH>(q, ks, s);

    // The online softmax of the thread's two rows over the tile.
    float tileMax[2] = {-INFINITY, -INFINITY};
#pragma unroll
    for (int j = 0; j < kKeyGroups; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const float bias =
            keyBias(t0 + 8 * j + 2 * t + e, tEnd, boolMask, floatMask);
        s[j][e] += bias;
        s[j][2 + e] += bias;
        tileMax[0] = fmaxf(tileMax[0], s[j][e]);
        tileMax[1] = fmaxf(tileMax[1], s[j][2 + e]);
      }
    float base[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      tileMax[r] = fmaxf(tileMax[r], __shfl_xor_sync(kFullMask, tileMax[r], 1));
      tileMax[r] = fmaxf(tileMax[r], __shfl_xor_sync(kFullMask, tileMax[r], 2));
      const float newMax = fmaxf(m[r], tileMax[r]);
      // While every key of a row so far is masked its maximum is -inf;
      // subtracting 0 instead keeps exp2f from seeing -inf - -inf.
      base[r] = newMax == -INFINITY ? 0.0f : newMax;
      const float alpha = exp2f(m[r] - base[r]);
      m[r] = newMax;
      l[r] *= alpha;
#pragma unroll
      for (int k = 0; k < kSteps; ++k) {
        o[k][2 * r] *= alpha;
        o[k][2 * r + 1] *= alpha;
      }
    }

    // O += P·V, 8 keys at a time: the scores' C fragment is the A operand.
#pragma unroll
    for (int j = 0; j < kKeyGroups; ++j) {
      // The sums add the probabilities as P·V multiplies them: rounded.
      uint32_t p[4];
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        p[e] = toTf32(exp2f(s[j][e] - base[e / 2]));
        l[e / 2] += __uint_as_float(p[e]);
      }
      const uint32_t pa[4] = {p[0], p[2], p[1], p[3]};
      const uint32_t *value = vs + (8 * j + 2 * t) * kStride + g;
#pragma unroll
      for (int k = 0; k < kSteps; ++k)
        mmaTf32(o[k], pa, value[8 * k], value[kStride + 8 * k]);
    }
  }

#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float sum = l[r];
    sum += __shfl_xor_sync(kFullMask, sum, 1);
    sum += __shfl_xor_sync(kFullMask, sum, 2);
    const int row = row0 + 8 * r;
    if (row >= a.S)
      continue;
    if (a.partialStats) {
      // The slice's share, for flashCombineKernel or the class maps.
      const int64_t slot = ((int64_t(split) * a.B + b) * a.H + h) * a.S + row;
      if (t == 0)
        a.partialStats[slot] = make_float2(m[r], sum);
      if (!a.partialO)
        continue;
      const int64_t at =
          a.partialByRow
              ? (((int64_t(split) * a.B + b) * a.S + row) * a.H + h) * DH
              : slot * DH;
      float *partial = a.partialO + at + 2 * t;
#pragma unroll
      for (int k = 0; k < kSteps; ++k)
        *reinterpret_cast<float2 *>(partial + 8 * k) =
            make_float2(o[k][2 * r], o[k][2 * r + 1]);
      continue;
    }
    // No keys: an empty sum, 0 as on the CPU. All keys masked: NaN.
    const float inverse = a.L == 0            ? 0.0f
                          : m[r] == -INFINITY ? NAN
                                              : 1.0f / sum;
    float *out = a.o + b * a.oBatchStride + int64_t(row) * a.oRowStride +
                 h * a.oHeadStride + 2 * t;
#pragma unroll
    for (int k = 0; k < kSteps; ++k) {
      out[8 * k] = o[k][2 * r] * inverse;
      out[8 * k + 1] = o[k][2 * r + 1] * inverse;
    }
  }
}

/// Combines the key slices of flashAttentionMmaKernel: one warp per
/// (image, head, query) row, each slice's O and sum weighted by
/// exp2(its maximum - the row's). Grid: rows / kWarps.
template <int DH>
__global__ void __launch_bounds__(kThreads)
    flashCombineKernel(const FlashKernelArgs a) {
  awaitPredecessors();
  constexpr int DV = DH / 32;
  const int64_t rows = int64_t(a.B) * a.H * a.S;
  const int64_t row = int64_t(blockIdx.x) * kWarps + threadIdx.x / 32;
  if (row >= rows)
    return;
  const int lane = threadIdx.x % 32;
  float maximum = -INFINITY;
  for (int i = 0; i < a.splits; ++i)
    maximum = fmaxf(maximum, a.partialStats[i * rows + row].x);
  float sum = 0.0f, acc[DV] = {};
  // Every key masked: NaN, as without slices.
  if (maximum != -INFINITY)
    for (int i = 0; i < a.splits; ++i) {
      const float2 stats = a.partialStats[i * rows + row];
      const float weight = exp2f(stats.x - maximum);
      sum = fmaf(weight, stats.y, sum);
      const float *partial = a.partialO + (i * rows + row) * DH;
#pragma unroll
      for (int dd = 0; dd < DV; ++dd)
        acc[dd] = fmaf(weight, partial[lane + 32 * dd], acc[dd]);
    }
  const float inverse = maximum == -INFINITY ? NAN : 1.0f / sum;
  const int s = static_cast<int>(row % a.S);
  const int h = static_cast<int>(row / a.S % a.H);
  const int b = static_cast<int>(row / (int64_t(a.S) * a.H));
  float *out =
      a.o + b * a.oBatchStride + int64_t(s) * a.oRowStride + h * a.oHeadStride;
#pragma unroll
  for (int dd = 0; dd < DV; ++dd)
    out[lane + 32 * dd] = acc[dd] * inverse;
}

//===----------------------------------------------------------------------===//
// Class attention on tensor cores
//===----------------------------------------------------------------------===//
//
// With tensor cores the class attention's first pass is
// flashAttentionMmaKernel itself, the token slices as its key slices, its
// partial results in the class attention's layout; the second writes the
// maps with the same fragments (classMapsMmaKernel), and classMapsKernel's
// combining blocks still combine the attended values in f32.

/// (maximum, sum of exp2(s - maximum)) of two sets of scores, merged: a set
/// without an unmasked score is (-inf, 0).
__device__ __forceinline__ float2 mergeStats(float2 x, float2 y) {
  const float maximum = fmaxf(x.x, y.x);
  if (maximum == -INFINITY)
    return x;
  return make_float2(maximum,
                     x.y * exp2f(x.x - maximum) + y.y * exp2f(y.x - maximum));
}

/// Stores a C fragment's columns `column` and `column + 1` (of the tile at
/// token t0, `valid` tokens) of rows row0 and row0 + 8 of a [rows][T] map:
/// v[0], v[1] and v[2], v[3]; as pairs where `pairs` (T even, rows 8-byte
/// aligned, and so `valid` even too).
__device__ __forceinline__ void storePairs(float *map, int T, int row0,
                                           const bool (&has)[2], int t0,
                                           int column, int valid,
                                           const float (&v)[4], bool pairs) {
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    if (!has[r] || column >= valid)
      continue;
    float *at = map + int64_t(row0 + 8 * r) * T + t0 + column;
    if (pairs) {
      *reinterpret_cast<float2 *>(at) = make_float2(v[2 * r], v[2 * r + 1]);
    } else {
      at[0] = v[2 * r];
      if (column + 1 < valid)
        at[1] = v[2 * r + 1];
    }
  }
}

/// The maps kernel's warps: two, so that a block takes kClassTile classes
/// and the decoder at batch 1 (200 classes, 15 token tiles) gets 105 blocks.
constexpr int kMapsWarps = kClassTile / 16;
constexpr int kMapsThreads = 32 * kMapsWarps;

/// The probabilities of one tile of tokens for every head, and their mean,
/// for kClassTile classes: per head, the scores again on TF32 tensor cores
/// and each row's maximum and sum merged from the slices' statistics.
/// Grid: (token tiles, class tiles, B).
template <int DH>
__global__ void __launch_bounds__(kMapsThreads)
    classMapsMmaKernel(const ClassKernelArgs a) {
  awaitPredecessors();
  constexpr int kSteps = DH / 8, kKeyGroups = kKeyTile / 8;
  __shared__ __align__(16) uint32_t ks[kKeyTile * (DH + 4)];

  const int b = blockIdx.z, t0 = blockIdx.x * kKeyTile;
  const int valid = minInt(kKeyTile, a.T - t0);
  const int lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
  // The thread's two class rows: g and g + 8 of its warp's 16.
  const int row0 = blockIdx.y * kClassTile + threadIdx.x / 32 * 16 + g;
  const bool has[2] = {row0 < a.C, row0 + 8 < a.C};
  const float *queries =
      a.q + b * a.qBatchStride + int64_t(row0) * a.qRowStride;
  const float *keys = a.k + b * a.kBatchStride + int64_t(t0) * a.kRowStride;
  const uint8_t *boolMask = maskRow(a.boolMask, b, a.T);
  const float *floatMask = maskRow(a.floatMask, b, a.T);
  // The thread's tokens, 8j + 2t + e of the tile, and what they add.
  float bias[kKeyGroups][2];
#pragma unroll
  for (int j = 0; j < kKeyGroups; ++j)
#pragma unroll
    for (int e = 0; e < 2; ++e)
      bias[j][e] = keyBias(t0 + 8 * j + 2 * t + e, a.T, boolMask, floatMask);

  TileFetch<DH, kKeyTile, kMapsThreads> keyFetch;
  keyFetch.fetch(keys, a.kRowStride, valid, a.vecK);
  uint32_t q[kSteps][4];
  loadQueries<DH>(queries, a.qRowStride, has[0], has[1], a.queryFactor, q);

  float mean[kKeyGroups][4] = {};
  for (int h = 0; h < a.H; ++h) {
    // Every warp is done with the previous head's keys.
    __syncthreads();
    keyFetch.stageTf32(ks, DH + 4);
    __syncthreads();
    if (h + 1 < a.H)
      keyFetch.fetch(keys + (h + 1) * DH, a.kRowStride, valid, a.vecK);

    // Each row's maximum and sum over the slices, in one pass: the 4
    // threads of a row merge every fourth slice, then each other's. NaN
    // for a row without an unmasked token.
    float shift[2], inverse[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const float2 *stats =
          a.stats + (int64_t(b) * a.H + h) * a.C + row0 + 8 * r;
      const int64_t sliceStride = int64_t(a.B) * a.H * a.C;
      float2 merged = make_float2(-INFINITY, 0.0f);
      if (has[r])
        for (int i = t; i < a.slices; i += 4)
          merged = mergeStats(merged, stats[i * sliceStride]);
#pragma unroll
      for (int offset = 1; offset < 4; offset *= 2)
        merged = mergeStats(
            merged, make_float2(__shfl_xor_sync(kFullMask, merged.x, offset),
                                __shfl_xor_sync(kFullMask, merged.y, offset)));
      const bool undefined = merged.x == -INFINITY;
      shift[r] = undefined ? NAN : merged.x;
      inverse[r] = undefined ? NAN : 1.0f / merged.y;
    }

    float s[kKeyGroups][4];
    tileScoresMma<DH>(q, ks, s);
    // The next head's queries are in flight while this one's maps go out.
    if (h + 1 < a.H)
      loadQueries<DH>(queries + (h + 1) * DH, a.qRowStride, has[0], has[1],
                      a.queryFactor, q);
    float *probs =
        a.probs ? a.probs + (int64_t(b) * a.H + h) * a.C * a.T : nullptr;
#pragma unroll
    for (int j = 0; j < kKeyGroups; ++j) {
      float p[4];
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        p[e] = exp2f(s[j][e] + bias[j][e % 2] - shift[e / 2]) * inverse[e / 2];
        mean[j][e] = fmaf(p[e], a.inverseHeads, mean[j][e]);
      }
      if (probs)
        storePairs(probs, a.T, row0, has, t0, 8 * j + 2 * t, valid, p,
                   a.vecMaps);
    }
  }

  if (a.meanProbs)
#pragma unroll
    for (int j = 0; j < kKeyGroups; ++j)
      storePairs(a.meanProbs + int64_t(b) * a.C * a.T, a.T, row0, has, t0,
                 8 * j + 2 * t, valid, mean[j], a.vecMaps);
}

//===----------------------------------------------------------------------===//
// Host side
//===----------------------------------------------------------------------===//

bool aligned(const void *pointer, size_t bytes) {
  return reinterpret_cast<uintptr_t>(pointer) % bytes == 0;
}

/// float4 loads of a head's features work at every row and image.
bool vectorizable(const float *pointer, int64_t batchStride, int64_t rowStride,
                  int64_t headStride) {
  return aligned(pointer, 16) && batchStride % 4 == 0 && rowStride % 4 == 0 &&
         headStride % 4 == 0;
}

/// a * b into `product`; false when it overflows int64.
bool multiply(int64_t a, int64_t b, int64_t &product) {
  return !__builtin_mul_overflow(a, b, &product);
}

/// Whether the elements of a strided view are all distinct (each written
/// once): `inner` contiguous elements, then dimensions of (count, stride)
/// in any order. Sufficient, not necessary: ordered by stride, each
/// dimension must step past everything inside it.
bool disjoint(int64_t inner,
              std::vector<std::pair<int64_t, int64_t>> dimensions) {
  std::sort(dimensions.begin(), dimensions.end(),
            [](const auto &a, const auto &b) { return a.second < b.second; });
  int64_t extent = inner;
  for (auto [count, stride] : dimensions) {
    if (count <= 1)
      continue;
    int64_t span;
    if (stride < extent || !multiply(count - 1, stride, span) ||
        span > INT64_MAX - extent)
      return false;
    extent += span;
  }
  return true;
}

/// `ceil(a / b)` for a >= 0, b > 0.
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

constexpr int64_t kMaxGridY = 65535, kMaxGridZ = 65535;
/// At most this many slices of the keys in the flash kernel.
constexpr int64_t kMaxFlashSplits = 32;
/// Sizes the kernels index with int, with room for a tile past the end.
constexpr int64_t kMaxSize = INT_MAX / 2;

/// How launchFusedClassAttention splits the work, and the scratch it uses.
struct ClassPlan {
  int64_t classTiles = 0, keyTiles = 0, slices = 0, tilesPerSlice = 0;
  int64_t headGroups = 1, headsPerGroup = 1;
  /// The maps kernel's blocks per class tile: map tiles, then combiners.
  int64_t mapTiles = 0, mapsBlocks = 0;
  size_t statsBytes = 0, partialBytes = 0;
};

size_t roundUp256(size_t bytes) { return (bytes + 255) / 256 * 256; }

/// Checks the operands; on success fills `plan` (sizes already known to fit
/// in int, and the grids in their limits).
Status checkClassAttention(const char *kernel, const ClassAttentionParams &p,
                           int multiprocessors, ClassPlan &plan) {
  const int64_t B = p.batch, C = p.classes, T = p.tokens, H = p.heads;
  for (auto [size, name] : {std::pair{B, "batch"}, std::pair{C, "classes"},
                            std::pair{T, "tokens"}, std::pair{H, "heads"}})
    if (size < 0 || size > kMaxSize)
      return kernelError(kernel, std::string(name) + " = " +
                                     std::to_string(size) + " is out of range");
  if (H == 0)
    return kernelError(kernel, "heads must be positive");
  if (!fusedAttentionSupportsHeadDim(p.headDim))
    return kernelError(kernel, "head size " + std::to_string(p.headDim) +
                                   " is not supported (32 or 64)");
  const int64_t D = H * p.headDim;
  if (D > INT_MAX)
    return kernelError(kernel, "feature size " + std::to_string(D) +
                                   " is out of range");
  if (!std::isfinite(p.scale))
    return kernelError(kernel, "scale must be finite");
  if (p.boolMask && p.floatMask)
    return kernelError(kernel, "takes one key padding mask, got two");
  // The values (and their strides) matter only when `out` is wanted.
  for (auto [stride, name, used] :
       {std::tuple{p.qBatchStride, "query batch stride", true},
        std::tuple{p.kBatchStride, "key batch stride", true},
        std::tuple{p.vBatchStride, "value batch stride", p.out != nullptr}})
    if (used && stride < 0)
      return kernelError(kernel, std::string(name) + " must not be negative");
  for (auto [stride, name, used] :
       {std::tuple{p.qRowStride, "query row stride", true},
        std::tuple{p.kRowStride, "key row stride", true},
        std::tuple{p.vRowStride, "value row stride", p.out != nullptr}})
    if (used && stride < D)
      return kernelError(
          kernel, std::string(name) + " " + std::to_string(stride) +
                      " is less than the feature size " + std::to_string(D));
  if (p.out && p.outRowStride < D)
    return kernelError(
        kernel, "out row stride " + std::to_string(p.outRowStride) +
                    " is less than the feature size " + std::to_string(D));
  for (auto [pointer, name] :
       {std::pair<const void *, const char *>{p.q, "queries"},
        {p.k, "keys"},
        {p.v, "values"},
        {p.floatMask, "mask"},
        {p.probs, "probs"},
        {p.meanProbs, "mean_probs"},
        {p.out, "out"}})
    if (!aligned(pointer, alignof(float)))
      return kernelError(kernel, std::string(name) + " is misaligned");
  if (!aligned(p.workspace, 256))
    return kernelError(kernel, "workspace is misaligned");

  plan = ClassPlan();
  const bool anything = p.probs || p.meanProbs || p.out;
  if (!anything || B == 0 || C == 0 || T == 0)
    return Status::ok();
  if (!p.q || !p.k || (p.out && !p.v))
    return kernelError(kernel, "queries, keys or values are missing");
  int64_t total;
  if (!multiply(B * H, C, total) || !multiply(total, T, total))
    return kernelError(kernel, "the probabilities are too large");
  plan.classTiles = ceilDiv(C, kClassTile);
  plan.keyTiles = ceilDiv(T, kKeyTile);
  if (plan.classTiles > kMaxGridY || B > kMaxGridZ)
    return kernelError(kernel, std::to_string(B) + " images of " +
                                   std::to_string(C) +
                                   " classes are too many for one launch");
  // Enough slices of the tokens for about kBlocksPerMultiprocessor blocks
  // per SM in the stats pass, at most kMaxSlices, never an empty one.
  const int64_t target = int64_t(multiprocessors > 0 ? multiprocessors : 1) *
                         kBlocksPerMultiprocessor;
  int64_t slices = ceilDiv(target, B * plan.classTiles);
  slices = std::min<int64_t>({slices, plan.keyTiles, kMaxSlices});
  plan.tilesPerSlice = ceilDiv(plan.keyTiles, slices);
  plan.slices = ceilDiv(plan.keyTiles, plan.tilesPerSlice);
  // Where the slices fall short of that target, groups of heads make up
  // the rest (so B * groups <= target, well within the grid's limit).
  const int64_t groups =
      std::clamp<int64_t>(target / (plan.slices * plan.classTiles * B), 1, H);
  plan.headsPerGroup = ceilDiv(H, groups);
  plan.headGroups = ceilDiv(H, plan.headsPerGroup);
  plan.mapTiles = p.probs || p.meanProbs ? plan.keyTiles : 0;
  plan.mapsBlocks = plan.mapTiles + (p.out ? H : 0);

  // B * H * C fits (checked above); slices * B * C may not.
  int64_t statsCount, partialCount = 0;
  if (!multiply(plan.slices, B * H * C, statsCount) ||
      (p.out && (!multiply(plan.slices, B * C, partialCount) ||
                 !multiply(partialCount, D, partialCount))) ||
      statsCount > (int64_t(1) << 40) || partialCount > (int64_t(1) << 40))
    return kernelError(kernel, "the scratch is too large");
  plan.statsBytes = roundUp256(size_t(statsCount) * sizeof(float2));
  plan.partialBytes = roundUp256(size_t(partialCount) * sizeof(float));
  return Status::ok();
}

/// The class attention's first pass as flashAttentionMmaKernel sees it:
/// the classes as queries, the token slices as key slices, the statistics
/// and attended values left in the class attention's scratch.
template <int DH> FlashKernelArgs classStatsAsFlash(const ClassKernelArgs &c) {
  FlashKernelArgs f;
  f.q = c.q;
  f.qBatchStride = c.qBatchStride;
  f.qRowStride = c.qRowStride;
  f.qHeadStride = DH;
  f.k = c.k;
  f.kBatchStride = c.kBatchStride;
  f.kRowStride = c.kRowStride;
  f.kHeadStride = DH;
  // Without `out` the values go unused and unchecked (they may be stale
  // or absent): the keys stand in for them.
  const bool values = c.out != nullptr;
  f.v = values ? c.v : c.k;
  f.vBatchStride = values ? c.vBatchStride : c.kBatchStride;
  f.vRowStride = values ? c.vRowStride : c.kRowStride;
  f.vHeadStride = DH;
  f.o = nullptr;
  f.oBatchStride = f.oRowStride = f.oHeadStride = 0;
  f.boolMask = c.boolMask;
  f.floatMask = c.floatMask;
  f.B = c.B;
  f.H = c.H;
  f.S = c.C;
  f.L = c.T;
  f.queryFactor = c.queryFactor;
  f.vecQ = c.vecQ;
  f.vecK = c.vecK;
  f.vecV = values ? c.vecV : c.vecK;
  f.splits = c.slices;
  f.tilesPerSplit = c.tilesPerSlice;
  f.partialO = c.partial;
  f.partialStats = c.stats;
  f.partialByRow = true;
  return f;
}

/// The class attention's two passes: the statistics (and attended values)
/// on tensor cores or in FMAs, then the maps on tensor cores
/// (tensorCoreMaps, after tensor-core statistics only) or in FMAs, which
/// also combine the slices' attended values.
template <int DH>
Status launchClass(const char *kernel, const ClassKernelArgs &args,
                   const ClassPlan &plan, bool tensorCores, bool tensorCoreMaps,
                   const Context &context) {
  const dim3 mapsGrid(static_cast<unsigned>(plan.mapsBlocks),
                      static_cast<unsigned>(plan.classTiles),
                      static_cast<unsigned>(args.B));
  if (tensorCores) {
    const unsigned mmaTiles = static_cast<unsigned>(ceilDiv(args.C, kMmaRows));
    launch(context, flashAttentionMmaKernel<DH>,
           dim3(mmaTiles, static_cast<unsigned>(args.H),
                static_cast<unsigned>(args.B * args.slices)),
           kMmaThreads, 0, classStatsAsFlash<DH>(args));
    if (Status s = checkLaunch(kernel); !s)
      return s;
    if (!tensorCoreMaps) {
      launch(context, classMapsKernel<DH>, mapsGrid, kThreads, 0, args);
      return checkLaunch(kernel);
    }
    if (plan.mapTiles > 0) {
      launch(context, classMapsMmaKernel<DH>,
             dim3(static_cast<unsigned>(plan.mapTiles),
                  static_cast<unsigned>(plan.classTiles),
                  static_cast<unsigned>(args.B)),
             kMapsThreads, 0, args);
      if (Status s = checkLaunch(kernel); !s)
        return s;
    }
    if (!args.out)
      return Status::ok();
    // classMapsKernel's combining blocks alone.
    ClassKernelArgs combine = args;
    combine.mapTiles = 0;
    launch(context, classMapsKernel<DH>,
           dim3(static_cast<unsigned>(args.H),
                static_cast<unsigned>(plan.classTiles),
                static_cast<unsigned>(args.B)),
           kThreads, 0, combine);
    return checkLaunch(kernel);
  }
  const dim3 statsGrid(static_cast<unsigned>(plan.slices),
                       static_cast<unsigned>(plan.classTiles),
                       static_cast<unsigned>(args.B * plan.headGroups));
  if (args.out)
    launch(context, classStatsKernel<DH, true>, statsGrid, kThreads, 0, args);
  else
    launch(context, classStatsKernel<DH, false>, statsGrid, kThreads, 0, args);
  if (Status s = checkLaunch(kernel); !s)
    return s;
  launch(context, classMapsKernel<DH>, mapsGrid, kThreads, 0, args);
  return checkLaunch(kernel);
}

template <int DH, int RPW>
Status launchFlash(const char *kernel, const FlashKernelArgs &args, int64_t H,
                   int64_t B, const Context &context) {
  constexpr int kRows = kWarps * RPW;
  const dim3 grid(static_cast<unsigned>(ceilDiv(args.S, kRows)),
                  static_cast<unsigned>(H), static_cast<unsigned>(B));
  launch(context, flashAttentionKernel<DH, RPW>, grid, kThreads, 0, args);
  return checkLaunch(kernel);
}

template <int DH>
Status launchFlashMma(const char *kernel, const FlashKernelArgs &args,
                      const Context &context) {
  const dim3 grid(static_cast<unsigned>(ceilDiv(args.S, kMmaRows)),
                  static_cast<unsigned>(args.H),
                  static_cast<unsigned>(args.B * args.splits));
  launch(context, flashAttentionMmaKernel<DH>, grid, kMmaThreads, 0, args);
  if (Status s = checkLaunch(kernel); !s || args.splits == 1)
    return s;
  const int64_t rows = int64_t(args.B) * args.H * args.S;
  launch(context, flashCombineKernel<DH>,
         static_cast<unsigned>(ceilDiv(rows, kWarps)), kThreads, 0, args);
  return checkLaunch(kernel);
}

/// How the tensor-core flash kernel slices the keys, and the scratch the
/// slices take.
struct FlashPlan {
  int64_t splits = 1, tilesPerSplit = 0;
  size_t statsBytes = 0, partialBytes = 0;
};

/// The slices for p (its sizes within kMaxSize, heads within kMaxGridY and
/// images within kMaxGridZ): p.keySplits of them, or with 0 enough to fill
/// one wave of resident blocks where the query tiles alone fill at most
/// half of one; at most one per key tile, kMaxFlashSplits and what the
/// grid takes; none without tensor cores.
FlashPlan planFlash(const FlashAttentionParams &p, bool tensorCores,
                    int multiprocessors) {
  FlashPlan plan;
  const int64_t B = p.batch, S = p.queries, L = p.keys, H = p.heads;
  plan.tilesPerSplit = ceilDiv(L, kKeyTile);
  if (!tensorCores || B == 0 || S == 0 || L == 0 || p.keySplits == 1)
    return plan;
  // Below 2^47: each factor is within its limit.
  const int64_t blocks = ceilDiv(S, kMmaRows) * H * B;
  const int64_t sms = multiprocessors > 0 ? multiprocessors : 1;
  int64_t splits = p.keySplits;
  if (splits == 0) {
    // The blocks an SM holds at once: registers limit them (128 to 147 per
    // thread for 32 features, 255 for 64, by ptxas on sm_90 and sm_80).
    const int64_t wave = sms * (p.headDim == 32 ? 3 : 2);
    // Where a wave holds at least twice the blocks, rounded up: at 950
    // tokens, 8 heads and one image (120 query tiles for 396 resident
    // blocks on an H200) 4 slices took 24.3 us, 3 (rounded down) 26.0.
    // Where it holds fewer, none: 2 slices would pass a wave and add the
    // combining kernel, untimed.
    const int64_t quotient = wave / blocks;
    splits = blocks >= 2 * sms || quotient < 2 ? 1 : ceilDiv(wave, blocks);
  }
  splits =
      std::min({splits, plan.tilesPerSplit, kMaxFlashSplits, kMaxGridZ / B});
  const int64_t tilesPerSplit = ceilDiv(plan.tilesPerSplit, splits);
  splits = ceilDiv(plan.tilesPerSplit, tilesPerSplit);
  // Slices whose partial results would pass 4 GiB are not worth it.
  int64_t rows, floats;
  if (splits <= 1 || !multiply(splits * B, H, rows) ||
      !multiply(rows, S, rows) || !multiply(rows, p.headDim, floats) ||
      floats > (int64_t(1) << 30))
    return plan;
  plan.splits = splits;
  plan.tilesPerSplit = tilesPerSplit;
  plan.statsBytes = roundUp256(size_t(rows) * sizeof(float2));
  plan.partialBytes = roundUp256(size_t(floats) * sizeof(float));
  return plan;
}

/// The launchers' temporaries: the caller's workspace, or else `bytes` of
/// the context's scratch.
Expected<void *> workspaceOrScratch(Context &context, void *workspace,
                                    size_t bytes) {
  if (workspace)
    return workspace;
  return context.scratch(bytes);
}

/// Whether to take the TF32 path: asked for, and this file's kernels run
/// as code for sm_80 or later (TF32 tensor cores). They are all compiled
/// alike, so the flash mma kernel answers for the class maps one too.
bool useTensorCores(bool allowed, Context &context) {
  return allowed && compiledForSm80(context, "fused-attention",
                                    reinterpret_cast<const void *>(
                                        flashAttentionMmaKernel<32>));
}

} // namespace

bool fusedAttentionSupportsHeadDim(int64_t headDim) {
  return headDim == 32 || headDim == 64;
}

size_t fusedClassAttentionScratchBytes(const ClassAttentionParams &params,
                                       int multiprocessors) {
  ClassPlan plan;
  if (!checkClassAttention("fused class attention", params, multiprocessors,
                           plan))
    return 0;
  return plan.statsBytes + plan.partialBytes;
}

Status launchFusedClassAttention(Context &context,
                                 const ClassAttentionParams &p) {
  const char *kernel = "fused class attention";
  ClassPlan plan;
  if (Status s = checkClassAttention(kernel, p, context.multiprocessors, plan);
      !s)
    return s;
  const bool anything = p.probs || p.meanProbs || p.out;
  if (!anything || p.batch == 0 || p.classes == 0)
    return Status::ok();
  if (p.tokens == 0) {
    // Empty probabilities; the attended values are empty sums.
    if (!p.out)
      return Status::ok();
    const int64_t rows = p.batch * p.classes;
    const int64_t count = rows * p.heads * p.headDim;
    const unsigned blocks = gridFor(count, context, kThreads);
    launch(context, zeroRowsKernel, blocks, kThreads, 0, p.out, rows,
           p.outRowStride, static_cast<int>(p.heads * p.headDim));
    return checkLaunch(kernel);
  }

  Expected<void *> workspace = workspaceOrScratch(
      context, p.workspace, plan.statsBytes + plan.partialBytes);
  if (!workspace)
    return workspace.error();
  char *base = static_cast<char *>(*workspace);

  ClassKernelArgs args;
  args.q = p.q;
  args.qBatchStride = p.qBatchStride;
  args.qRowStride = p.qRowStride;
  args.k = p.k;
  args.kBatchStride = p.kBatchStride;
  args.kRowStride = p.kRowStride;
  args.v = p.v;
  args.vBatchStride = p.vBatchStride;
  args.vRowStride = p.vRowStride;
  args.boolMask = p.boolMask;
  args.floatMask = p.floatMask;
  args.probs = p.probs;
  args.meanProbs = p.meanProbs;
  args.out = p.out;
  args.outRowStride = p.outRowStride;
  args.stats = reinterpret_cast<float2 *>(base);
  args.partial =
      p.out ? reinterpret_cast<float *>(base + plan.statsBytes) : nullptr;
  args.B = static_cast<int>(p.batch);
  args.C = static_cast<int>(p.classes);
  args.T = static_cast<int>(p.tokens);
  args.H = static_cast<int>(p.heads);
  args.slices = static_cast<int>(plan.slices);
  args.headGroups = static_cast<int>(plan.headGroups);
  args.headsPerGroup = static_cast<int>(plan.headsPerGroup);
  args.tilesPerSlice = static_cast<int>(plan.tilesPerSlice);
  args.mapTiles = static_cast<int>(plan.mapTiles);
  args.queryFactor = p.scale * kLog2e;
  args.inverseHeads = 1.0f / static_cast<float>(p.heads);
  args.vecQ = vectorizable(p.q, p.qBatchStride, p.qRowStride, 0);
  args.vecK = vectorizable(p.k, p.kBatchStride, p.kRowStride, 0);
  args.vecV = p.v && vectorizable(p.v, p.vBatchStride, p.vRowStride, 0);
  args.vecMaps =
      p.tokens % 2 == 0 && aligned(p.probs, 8) && aligned(p.meanProbs, 8);
  // The tensor-core statistics pass lays the heads along the grid's y and
  // the slices along its z with the images.
  const bool tensorCores = useTensorCores(p.allowTensorCores, context) &&
                           p.heads <= kMaxGridY &&
                           p.batch * plan.slices <= kMaxGridZ;
  return p.headDim == 32 ? launchClass<32>(kernel, args, plan, tensorCores,
                                           p.tensorCoreMaps, context)
                         : launchClass<64>(kernel, args, plan, tensorCores,
                                           p.tensorCoreMaps, context);
}

bool classMapsPreferTensorCores(int64_t batch, int64_t classes, int64_t tokens,
                                int64_t heads, int multiprocessors) {
  // One decoder layer (200 classes, 950 tokens, 8 heads) on an H200 (132
  // SMs), graph replay: 47.6 us all in FMAs and 65.6 us all on tensor cores
  // at batch 1, 239.9 and 149.4 us at batch 8. Each time linear in the
  // batch, they cross near batch 2.2, about 25,000 scores per SM: from
  // 28,000 on, the maps on tensor cores too (batch 3 of that layer). At
  // batch 1 the whole plan's profile split them: statistics 22.2 us in
  // FMAs, 10.1 on tensor cores; maps (with the combining blocks) 28.3 us in
  // FMAs, 46.8 + 12.7 on tensor cores. Where the crossing of the FMA maps
  // after tensor-core statistics lies has not been measured.
  constexpr double kScoresPerMultiprocessor = 28000;
  const double scores = static_cast<double>(batch) * classes * tokens * heads;
  return scores >= kScoresPerMultiprocessor * std::max(multiprocessors, 1);
}

size_t flashSelfAttentionScratchBytes(const FlashAttentionParams &params,
                                      int multiprocessors) {
  if (!fusedAttentionSupportsHeadDim(params.headDim))
    return 0;
  for (int64_t size : {params.batch, params.queries, params.keys, params.heads})
    if (size < 0 || size > kMaxSize)
      return 0;
  if (params.heads == 0 || params.heads > kMaxGridY ||
      params.batch > kMaxGridZ || params.keySplits < 0)
    return 0;
  const FlashPlan plan =
      planFlash(params, params.allowTensorCores, multiprocessors);
  return plan.statsBytes + plan.partialBytes;
}

Status launchFlashSelfAttention(Context &context,
                                const FlashAttentionParams &p) {
  const char *kernel = "flash self-attention";
  const int64_t B = p.batch, S = p.queries, L = p.keys, H = p.heads;
  for (auto [size, name] : {std::pair{B, "batch"}, std::pair{S, "queries"},
                            std::pair{L, "keys"}, std::pair{H, "heads"}})
    if (size < 0 || size > kMaxSize)
      return kernelError(kernel, std::string(name) + " = " +
                                     std::to_string(size) + " is out of range");
  if (H == 0)
    return kernelError(kernel, "heads must be positive");
  if (!fusedAttentionSupportsHeadDim(p.headDim))
    return kernelError(kernel, "head size " + std::to_string(p.headDim) +
                                   " is not supported (32 or 64)");
  if (!std::isfinite(p.scale))
    return kernelError(kernel, "scale must be finite");
  if (p.boolMask && p.floatMask)
    return kernelError(kernel, "takes one key padding mask, got two");
  for (auto [stride, name] : {std::pair{p.qBatchStride, "query batch stride"},
                              std::pair{p.kBatchStride, "key batch stride"},
                              std::pair{p.vBatchStride, "value batch stride"},
                              std::pair{p.oBatchStride, "output batch stride"},
                              std::pair{p.qRowStride, "query row stride"},
                              std::pair{p.kRowStride, "key row stride"},
                              std::pair{p.vRowStride, "value row stride"},
                              std::pair{p.oRowStride, "output row stride"},
                              std::pair{p.qHeadStride, "query head stride"},
                              std::pair{p.kHeadStride, "key head stride"},
                              std::pair{p.vHeadStride, "value head stride"},
                              std::pair{p.oHeadStride, "output head stride"}})
    if (stride < 0)
      return kernelError(kernel, std::string(name) + " must not be negative");
  if (!disjoint(p.headDim,
                {{S, p.oRowStride}, {H, p.oHeadStride}, {B, p.oBatchStride}}))
    return kernelError(kernel, "the output's strides overlap its elements");
  if (p.keySplits < 0)
    return kernelError(kernel, "key splits must not be negative");
  if (!aligned(p.workspace, 256))
    return kernelError(kernel, "workspace is misaligned");
  for (auto [pointer, name] :
       {std::pair<const void *, const char *>{p.q, "queries"},
        {p.k, "keys"},
        {p.v, "values"},
        {p.o, "output"},
        {p.floatMask, "mask"}})
    if (!aligned(pointer, alignof(float)))
      return kernelError(kernel, std::string(name) + " is misaligned");
  if (B == 0 || S == 0)
    return Status::ok();
  if (!p.q || !p.o || (L > 0 && (!p.k || !p.v)))
    return kernelError(kernel, "queries, keys, values or output are missing");
  if (H > kMaxGridY || B > kMaxGridZ)
    return kernelError(kernel, std::to_string(B) + " images of " +
                                   std::to_string(H) +
                                   " heads are too many for one launch");

  FlashKernelArgs args;
  args.q = p.q;
  args.qBatchStride = p.qBatchStride;
  args.qRowStride = p.qRowStride;
  args.qHeadStride = p.qHeadStride;
  args.k = p.k;
  args.kBatchStride = p.kBatchStride;
  args.kRowStride = p.kRowStride;
  args.kHeadStride = p.kHeadStride;
  args.v = p.v;
  args.vBatchStride = p.vBatchStride;
  args.vRowStride = p.vRowStride;
  args.vHeadStride = p.vHeadStride;
  args.o = p.o;
  args.oBatchStride = p.oBatchStride;
  args.oRowStride = p.oRowStride;
  args.oHeadStride = p.oHeadStride;
  args.boolMask = p.boolMask;
  args.floatMask = p.floatMask;
  args.S = static_cast<int>(S);
  args.L = static_cast<int>(L);
  args.queryFactor = p.scale * kLog2e;
  args.vecQ = vectorizable(p.q, p.qBatchStride, p.qRowStride, p.qHeadStride);
  args.vecK =
      p.k && vectorizable(p.k, p.kBatchStride, p.kRowStride, p.kHeadStride);
  args.vecV =
      p.v && vectorizable(p.v, p.vBatchStride, p.vRowStride, p.vHeadStride);
  args.B = static_cast<int>(B);
  args.H = static_cast<int>(H);
  args.splits = 1;
  args.tilesPerSplit = 0;
  args.partialO = nullptr;
  args.partialStats = nullptr;
  args.partialByRow = false;
  if (useTensorCores(p.allowTensorCores, context)) {
    const FlashPlan plan = planFlash(p, true, context.multiprocessors);
    args.splits = static_cast<int>(plan.splits);
    args.tilesPerSplit = static_cast<int>(plan.tilesPerSplit);
    if (plan.splits > 1) {
      Expected<void *> workspace = workspaceOrScratch(
          context, p.workspace, plan.statsBytes + plan.partialBytes);
      if (!workspace)
        return workspace.error();
      char *base = static_cast<char *>(*workspace);
      args.partialStats = reinterpret_cast<float2 *>(base);
      args.partialO = reinterpret_cast<float *>(base + plan.statsBytes);
    }
    return p.headDim == 32 ? launchFlashMma<32>(kernel, args, context)
                           : launchFlashMma<64>(kernel, args, context);
  }
  // In f32: 64 query rows per block for 32 features, 32 for 64 (48 KiB of
  // static shared memory either way), or half that when those blocks would
  // not give every SM two (the encoder at batch 1: 120 blocks of 64 rows on
  // 132 SMs), since a block walks all the keys on its own.
  const int64_t fullRows = p.headDim == 32 ? 8 * kWarps : 4 * kWarps;
  const bool halfRows =
      ceilDiv(S, fullRows) * H * B < 2 * int64_t(context.multiprocessors);
  if (p.headDim == 32)
    return halfRows ? launchFlash<32, 4>(kernel, args, H, B, context)
                    : launchFlash<32, 8>(kernel, args, H, B, context);
  return halfRows ? launchFlash<64, 2>(kernel, args, H, B, context)
                  : launchFlash<64, 4>(kernel, args, H, B, context);
}

} // namespace intr::cuda
