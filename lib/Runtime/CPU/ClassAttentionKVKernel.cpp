//===- ClassAttentionKVKernel.cpp - Class attention over projected K, V ---===//
//
// intr.class_attention_kv: the queries arrive projected and this layer's
// keys and values are column slices of the stacked projection kv [B, T, N],
// read in place with a row stride of N. Per head: P = softmax(scale · Q_h
// K_hᵀ + mask) written straight into `probs`, its head mean accumulated into
// `mean_probs`, then O_h = P V_h; finally out = O · out_weightᵀ + out_bias.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"

#include <cmath>
#include <limits>

namespace intr::cpu {

namespace {

using namespace nn;

Status classAttentionKV(const KernelArgs &args) {
  const char *kernel = "intr.class_attention_kv";
  if (Status s = checkArity(kernel, args, 4, 5, 3, 3); !s)
    return s;
  const TensorArg &queries = args.inputs[0], &kv = args.inputs[1];
  if (Status s = checkTensor(kernel, kv, "kv"); !s)
    return s;
  if (kv.rank() != 3)
    return kernelError(kernel, "kv must be [B, T, N], got " +
                                   formatShape(kv.shape));
  const int64_t B = kv.shape[0], T = kv.shape[1], N = kv.shape[2];
  if (Status s = checkTensor(kernel, queries, "queries"); !s)
    return s;
  bool shared = queries.rank() == 2;
  if (!shared && !(queries.rank() == 3 && queries.shape[0] == B))
    return kernelError(kernel, "queries must be [C, D] or [B, C, D] with B = " +
                                   std::to_string(B) + ", got " +
                                   formatShape(queries.shape));
  const int64_t C = queries.shape[queries.rank() - 2];
  const int64_t D = queries.shape.back();
  const int64_t H = args.attrs.getInt("num_heads", 0);
  if (D <= 0 || H <= 0 || D % H != 0)
    return kernelError(kernel, "num_heads = " + std::to_string(H) +
                                   " must be positive and divide D = " +
                                   std::to_string(D));
  const int64_t dh = D / H;
  int64_t keyOffset = args.attrs.getInt("key_offset", -1);
  int64_t valueOffset = args.attrs.getInt("value_offset", -1);
  for (int64_t offset : {keyOffset, valueOffset})
    if (offset < 0 || offset > N - D)
      return kernelError(kernel, "key_offset and value_offset must leave D = " +
                                     std::to_string(D) +
                                     " features inside kv's N = " +
                                     std::to_string(N) + ", got " +
                                     std::to_string(offset));
  double scale = args.attrs.getFloat("scale", 1.0 / std::sqrt(double(dh)));
  if (!(std::isfinite(scale) && scale > 0))
    return kernelError(kernel, "scale must be positive and finite");
  if (Status s = checkShape(kernel, args.inputs[2], "out_weight", {D, D}); !s)
    return s;
  if (Status s = checkShape(kernel, args.inputs[3], "out_bias", {D}); !s)
    return s;
  const TensorArg *mask = optionalArg(args.inputs, 4);
  if (mask)
    if (Status s = checkShape(kernel, *mask, "key_padding_mask", {B, T},
                              DType::Bool);
        !s)
      return s;
  if (Status s = checkShape(kernel, args.outputs[0], "out", {B, C, D}); !s)
    return s;
  if (Status s = checkShape(kernel, args.outputs[1], "probs", {B, H, C, T});
      !s)
    return s;
  if (Status s = checkShape(kernel, args.outputs[2], "mean_probs", {B, C, T});
      !s)
    return s;

  const float *Q = queries.as<float>();
  const float *KV = kv.as<float>();
  float *probs = args.outputs[1].as<float>();
  float *mean = args.outputs[2].as<float>();
  std::vector<float> context(B * C * D);
  const float inverseHeads = 1.0f / static_cast<float>(H);
  const int threads = args.threads;
  for (int64_t b = 0; b < B; ++b) {
    const float *Qb = Q + (shared ? 0 : b * C * D);
    const float *Kb = KV + b * T * N + keyOffset;
    const float *Vb = KV + b * T * N + valueOffset;
    const uint8_t *padded = mask ? mask->as<uint8_t>() + b * T : nullptr;
    float *meanB = mean + b * C * T;
    for (int64_t h = 0; h < H; ++h) {
      float *P = probs + (b * H + h) * C * T;
      sgemm(false, true, C, T, dh, static_cast<float>(scale), Qb + h * dh, D,
            Kb + h * dh, N, 0.0f, P, T, threads);
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
  float *out = args.outputs[0].as<float>();
  sgemm(false, true, B * C, D, D, 1.0f, context.data(), D,
        args.inputs[2].as<float>(), D, 0.0f, out, D, threads);
  addBiasByColumn(out, B * C, D, args.inputs[3].as<float>(), false, threads);
  return Status::ok();
}

} // namespace

void registerClassAttentionKVKernel(KernelRegistry &registry) {
  registry.add("intr.class_attention_kv", classAttentionKV);
}

} // namespace intr::cpu
