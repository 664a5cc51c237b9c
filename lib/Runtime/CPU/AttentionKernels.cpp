//===- AttentionKernels.cpp - Multi-head attention kernels ----------------===//
//
// intr.mha and intr.class_attention on the CPU. Both project with
// y = x·Wᵀ + b (torch.nn.MultiheadAttention's convention), split the
// features into num_heads contiguous slices, and per head compute
// softmax(scale · Q_h K_hᵀ + mask) · V_h with sgemm. class_attention writes
// the per-head probabilities straight into its `probs` result and
// accumulates their head mean.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace intr::cpu {

namespace {

using namespace nn;

/// One attention problem, its operands checked.
struct Attention {
  int64_t B = 0, S = 0, L = 0, D = 0, H = 1;
  /// The query is [S, D], the same for every batch.
  bool sharedQuery = false;
  float scale = 1.0f;
  const float *query = nullptr, *key = nullptr, *value = nullptr;
  /// q, k, v, out weights [D, D] and biases [D].
  const float *weights[4] = {}, *biases[4] = {};
  /// [B, L]: bool (true = padded) or f32 (added to the scores); or null.
  const TensorArg *mask = nullptr;
  float *out = nullptr;
  /// [B, H, S, L] and [B, S, L], or null.
  float *probs = nullptr, *meanProbs = nullptr;
};

/// y[rows, D] = x · wᵀ + b.
void project(const float *x, int64_t rows, int64_t D, const float *w,
             const float *b, float *y, int threads) {
  sgemm(false, true, rows, D, D, 1.0f, x, D, w, D, 0.0f, y, D, threads);
  addBiasByColumn(y, rows, D, b, /*relu=*/false, threads);
}

void runAttention(const Attention &a, int threads) {
  const int64_t B = a.B, S = a.S, L = a.L, D = a.D, H = a.H, dh = D / H;
  int64_t queryRows = a.sharedQuery ? S : B * S;
  std::vector<float> projections((queryRows + 2 * B * L) * D);
  float *Q = projections.data(), *K = Q + queryRows * D, *V = K + B * L * D;
  project(a.query, queryRows, D, a.weights[0], a.biases[0], Q, threads);
  project(a.key, B * L, D, a.weights[1], a.biases[1], K, threads);
  project(a.value, B * L, D, a.weights[2], a.biases[2], V, threads);

  std::vector<float> context(B * S * D);
  // The scores of an image's heads when the probabilities are not a result.
  std::vector<float> scratch(a.probs ? 0 : H * S * L);
  const float inverseHeads = 1.0f / static_cast<float>(H);
  for (int64_t b = 0; b < B; ++b) {
    const float *Qb = Q + (a.sharedQuery ? 0 : b * S * D);
    const float *Kb = K + b * L * D, *Vb = V + b * L * D;
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
      sgemm(false, true, S, L, dh, a.scale, Qb + h * dh, D, Kb + h * dh, D,
            0.0f, P + h * S * L, L, threads);
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
      sgemm(false, false, S, dh, L, 1.0f, P + h * S * L, L, Vb + h * dh, D,
            0.0f, context.data() + b * S * D + h * dh, D, threads);
  }
  project(context.data(), B * S, D, a.weights[3], a.biases[3], a.out, threads);
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

/// Checks the weight [D, D] and bias [D] of projection `which` (0 q, 1 k,
/// 2 v, 3 out) at inputs `at` and `at + 1`.
Status checkProjection(const char *kernel, const KernelArgs &args, size_t at,
                       int which, Attention &a) {
  const char *weightNames[] = {"q_weight", "k_weight", "v_weight",
                               "out_weight"};
  const char *biasNames[] = {"q_bias", "k_bias", "v_bias", "out_bias"};
  const TensorArg &weight = args.inputs[at], &bias = args.inputs[at + 1];
  if (Status s = checkShape(kernel, weight, weightNames[which], {a.D, a.D}); !s)
    return s;
  if (Status s = checkShape(kernel, bias, biasNames[which], {a.D}); !s)
    return s;
  a.weights[which] = weight.as<float>();
  a.biases[which] = bias.as<float>();
  return Status::ok();
}

/// Checks the optional key_padding_mask at input `at` ([B, L], bool or f32)
/// and the attributes num_heads and scale. a.B, a.L and a.D must be set.
Status checkMaskAndHeads(const char *kernel, const KernelArgs &args, size_t at,
                         Attention &a) {
  if (const TensorArg *mask = optionalArg(args.inputs, at)) {
    DType dtype = mask->dtype == DType::Bool ? DType::Bool : DType::F32;
    if (Status s =
            checkShape(kernel, *mask, "key_padding_mask", {a.B, a.L}, dtype);
        !s)
      return s;
    a.mask = mask;
  }

  a.H = args.attrs.getInt("num_heads", 0);
  if (a.D <= 0)
    return kernelError(kernel, "feature size D must be positive");
  if (a.H <= 0 || a.D % a.H != 0)
    return kernelError(
        kernel, "num_heads = " + std::to_string(a.H) +
                    " must be positive and divide D = " + std::to_string(a.D));
  double scale = 1.0 / std::sqrt(static_cast<double>(a.D / a.H));
  if (args.attrs.has("scale"))
    scale = args.attrs.getFloat("scale", scale);
  if (!(std::isfinite(scale) && scale > 0.0))
    return kernelError(kernel, "scale must be positive and finite, got " +
                                   std::to_string(scale));
  a.scale = static_cast<float>(scale);
  return Status::ok();
}

/// Checks a query operand, [S, D] or [B, S, D] with B = a.B, and sets S.
Status checkQuery(const char *kernel, const TensorArg &query, const char *name,
                  Attention &a) {
  if (Status s = checkTensor(kernel, query, name); !s)
    return s;
  bool shared = query.rank() == 2;
  if (!(shared || query.rank() == 3) || query.shape.back() != a.D ||
      (!shared && query.shape[0] != a.B))
    return kernelError(
        kernel, std::string(name) + " must be [S, D] or [B, S, D] with B = " +
                    std::to_string(a.B) + ", D = " + std::to_string(a.D) +
                    ", got " + formatShape(query.shape));
  a.sharedQuery = shared;
  a.S = query.shape[query.rank() - 2];
  a.query = query.as<float>();
  return Status::ok();
}

/// Checks a [B, L, D] operand.
Status checkSequence(const char *kernel, const TensorArg &tensor,
                     const char *name) {
  if (Status s = checkTensor(kernel, tensor, name); !s)
    return s;
  if (tensor.rank() != 3)
    return kernelError(kernel, std::string(name) + " must be [B, L, D], got " +
                                   formatShape(tensor.shape));
  return Status::ok();
}

/// Checks the feature_map attribute, when set: [h, w] with h * w = T.
Status checkFeatureMap(const char *kernel, const AttrMap &attrs, int64_t T) {
  if (!attrs.has("feature_map"))
    return Status::ok();
  std::vector<int64_t> map = attrs.getInts("feature_map");
  if (map.size() != 2 || map[0] <= 0 || map[1] <= 0 || T % map[0] != 0 ||
      T / map[0] != map[1])
    return kernelError(
        kernel, "feature_map " + formatShape(map) +
                    " must be [h, w] with h * w = T = " + std::to_string(T));
  return Status::ok();
}

/// Checks the class attentions' results: out [B, C, D], and the optional
/// probs [B, H, C, T] and mean_probs [B, C, T] (f32 only on the CPU).
Status checkClassResults(const char *kernel, const KernelArgs &args,
                         Attention &a) {
  if (Status s = checkShape(kernel, args.outputs[0], "out", {a.B, a.S, a.D});
      !s)
    return s;
  const TensorArg *probs = optionalArg(args.outputs, 1);
  const TensorArg *meanProbs = optionalArg(args.outputs, 2);
  for (auto [map, name] :
       {std::pair{probs, "probs"}, std::pair{meanProbs, "mean_probs"}})
    if (map && map->dtype != DType::F32)
      return kernelError(kernel, std::string(name) +
                                     " must be f32 on the CPU, got " +
                                     dtypeName(map->dtype));
  if (probs) {
    if (Status s = checkShape(kernel, *probs, "probs", {a.B, a.H, a.S, a.L});
        !s)
      return s;
    a.probs = probs->as<float>();
  }
  if (meanProbs) {
    if (Status s =
            checkShape(kernel, *meanProbs, "mean_probs", {a.B, a.S, a.L});
        !s)
      return s;
    a.meanProbs = meanProbs->as<float>();
  }
  a.out = args.outputs[0].as<float>();
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// intr.mha: query, key, value, q/k/v/out weights and biases, optional
/// key_padding_mask; num_heads, scale. Result out [B, S, D].
Status mha(const KernelArgs &args) {
  const char *kernel = "intr.mha";
  if (Status s = checkArity(kernel, args, 11, 12, 1, 1); !s)
    return s;
  const TensorArg &key = args.inputs[1], &value = args.inputs[2];
  if (Status s = checkSequence(kernel, key, "key"); !s)
    return s;
  Attention a;
  a.B = key.shape[0], a.L = key.shape[1], a.D = key.shape[2];
  if (Status s = checkShape(kernel, value, "value", key.shape); !s)
    return s;
  if (Status s = checkQuery(kernel, args.inputs[0], "query", a); !s)
    return s;
  for (int which = 0; which < 4; ++which)
    if (Status s = checkProjection(kernel, args, 3 + 2 * which, which, a); !s)
      return s;
  if (Status s = checkMaskAndHeads(kernel, args, 11, a); !s)
    return s;
  if (Status s = checkShape(kernel, args.outputs[0], "out", {a.B, a.S, a.D});
      !s)
    return s;
  a.key = key.as<float>();
  a.value = value.as<float>();
  a.out = args.outputs[0].as<float>();
  runAttention(a, args.threads);
  return Status::ok();
}

/// intr.class_attention: queries, memory, q/k/v/out weights and biases,
/// optional key_padding_mask; num_heads, scale, feature_map. Results out
/// [B, C, D], probs [B, H, C, T] and mean_probs [B, C, T].
Status classAttention(const KernelArgs &args) {
  const char *kernel = "intr.class_attention";
  if (Status s = checkArity(kernel, args, 10, 11, 1, 3); !s)
    return s;
  const TensorArg &memory = args.inputs[1];
  if (Status s = checkSequence(kernel, memory, "memory"); !s)
    return s;
  Attention a;
  a.B = memory.shape[0], a.L = memory.shape[1], a.D = memory.shape[2];
  if (Status s = checkQuery(kernel, args.inputs[0], "queries", a); !s)
    return s;
  for (int which = 0; which < 4; ++which)
    if (Status s = checkProjection(kernel, args, 2 + 2 * which, which, a); !s)
      return s;
  if (Status s = checkMaskAndHeads(kernel, args, 10, a); !s)
    return s;
  if (Status s = checkFeatureMap(kernel, args.attrs, a.L); !s)
    return s;
  if (Status s = checkClassResults(kernel, args, a); !s)
    return s;
  a.key = a.value = memory.as<float>();
  runAttention(a, args.threads);
  return Status::ok();
}

} // namespace

void registerAttentionKernels(KernelRegistry &registry) {
  registry.add("intr.mha", mha);
  registry.add("intr.class_attention", classAttention);
}

} // namespace intr::cpu
