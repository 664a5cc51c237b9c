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

/// The attention of projected operands and its out projection: per image
/// and head, softmax(scale · Q_h K_hᵀ + mask) (into probs and its head mean
/// when they are results) times V_h, then out = context · Woᵀ + bo.
void attend(const AttentionOperands &a, const Projected &p, int threads) {
  const int64_t B = a.B, S = a.S, L = a.L, D = a.D, H = a.H, dh = D / H;
  // The context keeps the query's row order: image b's rows are
  // consecutive, or B rows apart (sequence first).
  const int64_t contextRow = a.sequenceFirst ? B * D : D;
  const int64_t contextBatch = a.sequenceFirst ? D : S * D;
  std::vector<float> context(B * S * D);
  // The scores of an image's heads when the probabilities are not a result.
  std::vector<float> scratch(a.probs ? 0 : H * S * L);
  const float inverseHeads = 1.0f / static_cast<float>(H);
  for (int64_t b = 0; b < B; ++b) {
    const float *Qb = p.q + b * p.qBatch, *Kb = p.k + b * p.kBatch,
                *Vb = p.v + b * p.vBatch;
    float *contextB = context.data() + b * contextBatch;
    const uint8_t *boolMask = nullptr;
    const float *floatMask = nullptr;
    if (a.mask && a.mask->dtype == DType::Bool)
      boolMask = a.mask->as<uint8_t>() + b * L;
    else if (a.mask)
      floatMask = a.mask->as<float>() + b * L;
    float *mean = a.meanProbs ? a.meanProbs + b * S * L : nullptr;
    // [H, S, L]: every head's scores, then probabilities.
    float *P = a.probs ? a.probs + b * H * S * L : scratch.data();

    // Every head's scores first, so that one parallel loop over the queries
    // does all the softmaxes (and sums a query's head mean in one thread).
    for (int64_t h = 0; h < H; ++h)
      sgemm(false, true, S, L, dh, a.scale, Qb + h * dh, p.qRow, Kb + h * dh,
            p.kRow, 0.0f, P + h * S * L, L, threads);
#pragma omp parallel for num_threads(threads)
    for (int64_t s = 0; s < S; ++s)
      for (int64_t h = 0; h < H; ++h) {
        float *row = P + (h * S + s) * L;
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
    for (int64_t h = 0; h < H; ++h)
      sgemm(false, false, S, dh, L, 1.0f, P + h * S * L, L, Vb + h * dh, p.vRow,
            0.0f, contextB + h * dh, contextRow, threads);
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
