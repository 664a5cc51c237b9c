//===- ClassAttentionKVKernel.cpp - Class attention over projected K, V ---===//
//
// intr.class_attention_kv: the queries arrive projected and this layer's
// keys and values are column slices of the stacked projection kv [B, T, N],
// read in place with a row stride of N. Per head: P = softmax(scale · Q_h
// K_hᵀ + mask) written straight into `probs`, its head mean accumulated into
// `mean_probs`, then O_h = P V_h; finally out = O · out_weightᵀ + out_bias.
//
//===----------------------------------------------------------------------===//

#include "AttentionSupport.h"
#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"

#include <cmath>
#include <limits>

namespace intr::cpu {

namespace {

using namespace nn;

Status classAttentionKV(const KernelArgs &args) {
  AttentionOperands a;
  if (Status s = checkClassAttentionKV(args, a); !s)
    return s;
  const int64_t B = a.B, C = a.S, T = a.L, D = a.D, H = a.H, dh = D / H;
  const int64_t N = a.keyRowStride;
  float *probs = a.probs, *mean = a.meanProbs;
  std::vector<float> context(B * C * D);
  const float inverseHeads = 1.0f / static_cast<float>(H);
  const int threads = args.threads;
  for (int64_t b = 0; b < B; ++b) {
    const float *Qb = a.query + (a.sharedQuery ? 0 : b * C * D);
    const float *Kb = a.key + b * T * N, *Vb = a.value + b * T * N;
    const uint8_t *padded = a.mask ? a.mask->as<uint8_t>() + b * T : nullptr;
    float *meanB = mean + b * C * T;
    for (int64_t h = 0; h < H; ++h) {
      float *P = probs + (b * H + h) * C * T;
      sgemm(false, true, C, T, dh, a.scale, Qb + h * dh, D, Kb + h * dh, N,
            0.0f, P, T, threads);
#pragma omp parallel for num_threads(threads)
      for (int64_t c = 0; c < C; ++c) {
        float *row = P + c * T;
        if (padded)
          for (int64_t t = 0; t < T; ++t)
            if (padded[t])
              row[t] = -std::numeric_limits<float>::infinity();
        softmaxRow(row, T);
        float *meanRow = meanB + c * T;
        for (int64_t t = 0; t < T; ++t)
          meanRow[t] = (h == 0 ? 0.0f : meanRow[t]) + row[t] * inverseHeads;
      }
      sgemm(false, false, C, dh, T, 1.0f, P, T, Vb + h * dh, N, 0.0f,
            context.data() + b * C * D + h * dh, D, threads);
    }
  }
  sgemm(false, true, B * C, D, D, 1.0f, context.data(), D, a.weights[3], D,
        0.0f, a.out, D, threads);
  addBiasByColumn(a.out, B * C, D, a.biases[3], false, threads);
  return Status::ok();
}

} // namespace

void registerClassAttentionKVKernel(KernelRegistry &registry) {
  registry.add("intr.class_attention_kv", classAttentionKV);
}

} // namespace intr::cpu
