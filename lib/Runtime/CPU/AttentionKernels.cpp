//===- AttentionKernels.cpp - Multi-head attention kernels ----------------===//
//
// intr.mha, intr.mha_qkv, intr.class_attention and intr.class_attention_kv
// on the CPU. mha and class_attention project with y = x·Wᵀ + b
// (torch.nn.MultiheadAttention's convention); mha_qkv and
// class_attention_kv read their projections in place, as column slices of
// packed rows. All split the features into num_heads contiguous slices, and
// per head compute softmax(scale · Q_h K_hᵀ + mask) · V_h with sgemm. The
// class attentions write the per-head probabilities straight into their
// `probs` result and accumulate their head mean.
//
//===----------------------------------------------------------------------===//

#include "AttentionSupport.h"
#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace intr::cpu {

namespace {

using namespace nn;

/// y[rows, N] = x[rows, K] · w[N, K]ᵀ + b.
void project(const float *x, int64_t rows, int64_t K, int64_t N, const float *w,
             const float *b, float *y, int threads) {
  sgemm(false, true, rows, N, K, 1.0f, x, K, w, K, 0.0f, y, N, threads);
  addBiasByColumn(y, rows, N, b, /*relu=*/false, threads);
}

/// Projected queries, keys and values: image b's row s of Q is at
/// q + b * qBatch + s * qRow, and alike for K and V.
struct Projected {
  const float *q, *k, *v;
  int64_t qRow, qBatch, kRow, kBatch, vRow, vBatch;
};

/// A block's scores of one head hold about this many floats (1 MiB), so
/// that the softmax and the value product find them in L2, in blocks of
/// queries tall enough for the two GEMMs per head (measured at 800x1216:
/// 950 tokens in blocks of 238 queries took the encoder's self-attention
/// from 8.3 to 7.0 ms a layer against blocks of 68; 2 MiB gained nothing).
constexpr int64_t kScoreBlockFloats = int64_t(1) << 18;

/// Queries per block: within kScoreBlockFloats (at least 16), balanced
/// over the threads (balancedPiece).
int64_t queryBlockRows(int64_t B, int64_t S, int64_t L, int threads) {
  int64_t rows = std::clamp<int64_t>(
      kScoreBlockFloats / std::max<int64_t>(L, 1), std::min<int64_t>(16, S), S);
  return balancedPiece(S, rows, B, threads);
}

/// Queries [s0, s0 + rows) of image b, every head: the scores, masked,
/// their softmax (into probs and its head mean when they are results) and
/// the product with V_h, into the context's columns of head h. `scratch`
/// holds one head's scores where the probabilities are not a result.
INTR_VECTOR_CLONES
void attendBlock(const AttentionOperands &a, const Projected &p, int64_t b,
                 int64_t s0, int64_t rows, float *context, int64_t contextRow,
                 std::vector<float> &scratch) {
  const int64_t S = a.S, L = a.L, H = a.H, dh = a.D / H;
  const float *Qb = p.q + b * p.qBatch + s0 * p.qRow, *Kb = p.k + b * p.kBatch,
              *Vb = p.v + b * p.vBatch;
  const uint8_t *boolMask = nullptr;
  const float *floatMask = nullptr;
  if (a.mask && a.mask->dtype == DType::Bool)
    boolMask = a.mask->as<uint8_t>() + b * L;
  else if (a.mask)
    floatMask = a.mask->as<float>() + b * L;
  float *mean = a.meanProbs ? a.meanProbs + (b * S + s0) * L : nullptr;
  const float inverseHeads = 1.0f / static_cast<float>(H);
  if (!a.probs && scratch.size() < static_cast<size_t>(rows * L))
    scratch.resize(static_cast<size_t>(rows * L));
  for (int64_t h = 0; h < H; ++h) {
    float *P = a.probs ? a.probs + ((b * H + h) * S + s0) * L : scratch.data();
    sgemm(false, true, rows, L, dh, a.scale, Qb + h * dh, p.qRow, Kb + h * dh,
          p.kRow, 0.0f, P, L, /*threads=*/1);
    for (int64_t s = 0; s < rows; ++s) {
      float *row = P + s * L;
      if (boolMask)
        for (int64_t l = 0; l < L; ++l)
          if (boolMask[l])
            row[l] = -std::numeric_limits<float>::infinity();
      if (floatMask)
        for (int64_t l = 0; l < L; ++l)
          row[l] += floatMask[l];
      softmaxRow(row, L);
      if (!mean)
        continue;
      float *meanRow = mean + s * L;
      for (int64_t l = 0; l < L; ++l) {
        float term = row[l] * inverseHeads;
        meanRow[l] = h == 0 ? term : meanRow[l] + term;
      }
    }
    sgemm(false, false, rows, dh, L, 1.0f, P, L, Vb + h * dh, p.vRow, 0.0f,
          context + s0 * contextRow + h * dh, contextRow, /*threads=*/1);
  }
}

/// The attention of projected operands and its out projection: per image
/// and block of queries, one thread at a time, every head's
/// softmax(scale · Q_h K_hᵀ + mask) · V_h (attendBlock), then out =
/// context · Woᵀ + bo.
void attend(const AttentionOperands &a, const Projected &p, int threads) {
  const int64_t B = a.B, S = a.S, L = a.L, D = a.D;
  // The context keeps the query's row order: image b's rows are
  // consecutive, or B rows apart (sequence first).
  const int64_t contextRow = a.sequenceFirst ? B * D : D;
  const int64_t contextBatch = a.sequenceFirst ? D : S * D;
  std::vector<float> context(B * S * D);
  if (B * S > 0) {
    const int64_t rows = queryBlockRows(B, S, L, threads);
    const int64_t blocks = (S + rows - 1) / rows;
#pragma omp parallel num_threads(threads)
    {
      std::vector<float> scratch;
#pragma omp for schedule(static)
      for (int64_t item = 0; item < B * blocks; ++item) {
        int64_t b = item / blocks, s0 = (item % blocks) * rows;
        attendBlock(a, p, b, s0, std::min(rows, S - s0),
                    context.data() + b * contextBatch, contextRow, scratch);
      }
    }
  }
  project(context.data(), B * S, D, D, a.weights[3], a.biases[3], a.out,
          threads);
}

/// Rows of `width` floats in the operands' order: image b's rows are
/// consecutive, or B rows apart (sequence first).
void setStrides(const AttentionOperands &a, int64_t width, int64_t rows,
                int64_t &rowStride, int64_t &batchStride) {
  rowStride = a.sequenceFirst ? a.B * width : width;
  batchStride = a.sequenceFirst ? width : rows * width;
}

void runAttention(const AttentionOperands &a, int threads) {
  const int64_t B = a.B, S = a.S, L = a.L, D = a.D;
  int64_t queryRows = a.sharedQuery ? S : B * S;
  // A self-attention may project Q and K with one GEMM into rows of 2D:
  // Q the first D columns, K the rest.
  const bool together = projectsQueryAndKeyTogether(a);
  const int64_t qkWidth = together ? 2 * D : D;
  std::vector<float> projections((queryRows + 2 * B * L) * D);
  float *Q = projections.data(), *K = Q + (together ? D : queryRows * D),
        *V = Q + (queryRows + B * L) * D;
  if (together) {
    project(a.query, queryRows, D, 2 * D, a.weights[0], a.biases[0], Q,
            threads);
  } else {
    project(a.query, queryRows, D, D, a.weights[0], a.biases[0], Q, threads);
    project(a.key, B * L, D, D, a.weights[1], a.biases[1], K, threads);
  }
  project(a.value, B * L, D, D, a.weights[2], a.biases[2], V, threads);

  // The projections keep their operands' row order.
  Projected p{Q, K, V, 0, 0, 0, 0, 0, 0};
  setStrides(a, qkWidth, S, p.qRow, p.qBatch);
  if (a.sharedQuery)
    p.qRow = D, p.qBatch = 0;
  setStrides(a, qkWidth, L, p.kRow, p.kBatch);
  setStrides(a, D, L, p.vRow, p.vBatch);
  attend(a, p, threads);
}

/// The attention of operands that arrive projected, read in place: column
/// slices of rows a.queryRowStride (or D), a.keyRowStride and
/// a.valueRowStride wide, as the checks of class_attention_kv and mha_qkv
/// set them.
void attendInPlace(const AttentionOperands &a, int threads) {
  Projected p{a.query, a.key, a.value, 0, 0, 0, 0, 0, 0};
  setStrides(a, a.queryRowStride ? a.queryRowStride : a.D, a.S, p.qRow,
             p.qBatch);
  if (a.sharedQuery)
    p.qRow = a.D, p.qBatch = 0;
  setStrides(a, a.keyRowStride, a.L, p.kRow, p.kBatch);
  setStrides(a, a.valueRowStride, a.L, p.vRow, p.vBatch);
  attend(a, p, threads);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// A step of an attention op: its operands checked (AttentionSupport.h
/// documents each op's), then `run`.
template <Status (*check)(const KernelArgs &, AttentionOperands &),
          void (*run)(const AttentionOperands &, int)>
Status attentionKernel(const KernelArgs &args) {
  AttentionOperands a;
  if (Status s = check(args, a); !s)
    return s;
  run(a, args.threads);
  return Status::ok();
}

} // namespace

void registerAttentionKernels(KernelRegistry &registry) {
  registry.add("intr.mha", attentionKernel<checkMha, runAttention>);
  registry.add("intr.mha_qkv", attentionKernel<checkMhaQKV, attendInPlace>);
  registry.add("intr.class_attention",
               attentionKernel<checkClassAttention, runAttention>);
  registry.add("intr.class_attention_kv",
               attentionKernel<checkClassAttentionKV, attendInPlace>);
}

} // namespace intr::cpu
