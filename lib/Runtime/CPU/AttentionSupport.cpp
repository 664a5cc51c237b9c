//===- AttentionSupport.cpp - Checks of the attention kernels -------------===//
//
// Part of the CPU backend; the CUDA attention kernels call it too.
//
//===----------------------------------------------------------------------===//

#include "AttentionSupport.h"
#include "NNSupport.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace intr::cpu {
namespace {

using nn::checkShape;
using nn::checkTensor;

/// Checks the weight [D, D] and bias [D] of projection `which` (0 q, 1 k,
/// 2 v, 3 out) at inputs `at` and `at + 1`.
Status checkProjection(const char *kernel, const KernelArgs &args, size_t at,
                       int which, AttentionOperands &a) {
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

/// Checks the optional key_padding_mask at input `at` ([B, L], bool, or f32
/// where `floatMaskAllowed`). a.B and a.L must be set.
Status checkMask(const char *kernel, const KernelArgs &args, size_t at,
                 bool floatMaskAllowed, AttentionOperands &a) {
  const TensorArg *mask = optionalArg(args.inputs, at);
  if (!mask)
    return Status::ok();
  DType dtype = mask->dtype == DType::Bool || !floatMaskAllowed ? DType::Bool
                                                                : DType::F32;
  if (Status s =
          checkShape(kernel, *mask, "key_padding_mask", {a.B, a.L}, dtype);
      !s)
    return s;
  a.mask = mask;
  return Status::ok();
}

/// Checks num_heads and scale. a.D must be set.
Status checkHeads(const char *kernel, const AttrMap &attrs,
                  AttentionOperands &a) {
  a.H = attrs.getInt("num_heads", 0);
  if (a.D <= 0)
    return kernelError(kernel, "feature size D must be positive");
  if (a.H <= 0 || a.D % a.H != 0)
    return kernelError(
        kernel, "num_heads = " + std::to_string(a.H) +
                    " must be positive and divide D = " + std::to_string(a.D));
  double scale = 1.0 / std::sqrt(static_cast<double>(a.D / a.H));
  if (attrs.has("scale"))
    scale = attrs.getFloat("scale", scale);
  if (!(std::isfinite(scale) && scale > 0.0))
    return kernelError(kernel, "scale must be positive and finite, got " +
                                   std::to_string(scale));
  a.scale = static_cast<float>(scale);
  return Status::ok();
}

/// Checks a query operand, [S, D] or [B, S, D] ([S, B, D] sequence first)
/// with B = a.B, and sets S.
Status checkQuery(const char *kernel, const TensorArg &query, const char *name,
                  AttentionOperands &a) {
  if (Status s = checkTensor(kernel, query, name); !s)
    return s;
  bool shared = query.rank() == 2;
  int batchAxis = a.sequenceFirst ? 1 : 0;
  if (!(shared || query.rank() == 3) || query.shape.back() != a.D ||
      (!shared && query.shape[batchAxis] != a.B))
    return kernelError(kernel,
                       std::string(name) + " must be [S, D] or " +
                           (a.sequenceFirst ? "[S, B, D]" : "[B, S, D]") +
                           " with B = " + std::to_string(a.B) +
                           ", D = " + std::to_string(a.D) + ", got " +
                           formatShape(query.shape));
  a.sharedQuery = shared;
  a.S = query.shape[shared ? 0 : 1 - batchAxis];
  a.query = query.as<float>();
  return Status::ok();
}

/// Checks a [B, L, D] operand ([L, B, D] when `sequenceFirst`).
Status checkSequence(const char *kernel, const TensorArg &tensor,
                     const char *name, bool sequenceFirst = false) {
  if (Status s = checkTensor(kernel, tensor, name); !s)
    return s;
  if (tensor.rank() != 3)
    return kernelError(kernel, std::string(name) + " must be " +
                                   (sequenceFirst ? "[L, B, D]" : "[B, L, D]") +
                                   ", got " + formatShape(tensor.shape));
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

/// Checks the results out [B, S, D] ([S, B, D] sequence first) and, where
/// given, probs [B, H, S, L] and mean_probs [B, S, L] (f32).
Status checkResults(const char *kernel, const KernelArgs &args,
                    AttentionOperands &a) {
  std::vector<int64_t> out = {a.B, a.S, a.D};
  if (a.sequenceFirst)
    std::swap(out[0], out[1]);
  if (Status s = checkShape(kernel, args.outputs[0], "out", out); !s)
    return s;
  a.out = args.outputs[0].as<float>();
  const TensorArg *probs = optionalArg(args.outputs, 1);
  const TensorArg *meanProbs = optionalArg(args.outputs, 2);
  for (auto [map, name] :
       {std::pair{probs, "probs"}, std::pair{meanProbs, "mean_probs"}})
    if (map && map->dtype != DType::F32)
      return kernelError(kernel, std::string(name) + " must be f32, got " +
                                     dtypeName(map->dtype));
  if (probs)
    if (Status s = checkShape(kernel, *probs, "probs", {a.B, a.H, a.S, a.L});
        !s)
      return s;
  if (meanProbs)
    if (Status s =
            checkShape(kernel, *meanProbs, "mean_probs", {a.B, a.S, a.L});
        !s)
      return s;
  a.probs = probs ? probs->as<float>() : nullptr;
  a.meanProbs = meanProbs ? meanProbs->as<float>() : nullptr;
  return Status::ok();
}

/// What mha and class_attention share once a.B, a.L and a.D are set: the
/// query at input 0, the q/k/v/out weights and biases from input
/// `firstWeight` on, the optional mask after them, num_heads and scale.
Status checkProjected(const char *kernel, const KernelArgs &args,
                      const char *queryName, size_t firstWeight,
                      AttentionOperands &a) {
  if (Status s = checkQuery(kernel, args.inputs[0], queryName, a); !s)
    return s;
  for (int which = 0; which < 4; ++which)
    if (Status s =
            checkProjection(kernel, args, firstWeight + 2 * which, which, a);
        !s)
      return s;
  if (Status s = checkMask(kernel, args, firstWeight + 8,
                           /*floatMaskAllowed=*/true, a);
      !s)
    return s;
  return checkHeads(kernel, args.attrs, a);
}

} // namespace

Status checkMha(const KernelArgs &args, AttentionOperands &a) {
  const char *kernel = "intr.mha";
  a.kernel = kernel;
  if (Status s = checkArity(kernel, args, 11, 12, 1, 1); !s)
    return s;
  const TensorArg &key = args.inputs[1], &value = args.inputs[2];
  a.sequenceFirst = args.attrs.getInt("sequence_first", 0) != 0;
  if (Status s = checkSequence(kernel, key, "key", a.sequenceFirst); !s)
    return s;
  a.B = key.shape[a.sequenceFirst ? 1 : 0];
  a.L = key.shape[a.sequenceFirst ? 0 : 1];
  a.D = key.shape[2];
  if (Status s = checkShape(kernel, value, "value", key.shape); !s)
    return s;
  if (Status s = checkProjected(kernel, args, "query", 3, a); !s)
    return s;
  if (Status s = checkResults(kernel, args, a); !s)
    return s;
  a.key = key.as<float>();
  a.value = value.as<float>();
  return Status::ok();
}

Status checkMhaQKV(const KernelArgs &args, AttentionOperands &a) {
  const char *kernel = "intr.mha_qkv";
  a.kernel = kernel;
  if (Status s = checkArity(kernel, args, 3, 4, 1, 1); !s)
    return s;
  const TensorArg &qkv = args.inputs[0];
  a.sequenceFirst = args.attrs.getInt("sequence_first", 0) != 0;
  if (Status s = checkTensor(kernel, qkv, "qkv"); !s)
    return s;
  if (qkv.rank() != 3 || qkv.shape[2] % 3 != 0)
    return kernelError(kernel,
                       std::string("qkv must be ") +
                           (a.sequenceFirst ? "[S, B, 3D]" : "[B, S, 3D]") +
                           ", got " + formatShape(qkv.shape));
  a.B = qkv.shape[a.sequenceFirst ? 1 : 0];
  a.S = a.L = qkv.shape[a.sequenceFirst ? 0 : 1];
  a.D = qkv.shape[2] / 3;
  if (Status s = checkProjection(kernel, args, 1, /*which=*/3, a); !s)
    return s;
  if (Status s = checkMask(kernel, args, 3, /*floatMaskAllowed=*/true, a); !s)
    return s;
  if (Status s = checkHeads(kernel, args.attrs, a); !s)
    return s;
  if (Status s = checkResults(kernel, args, a); !s)
    return s;
  // An empty qkv may have no memory behind it; the kernels then read none.
  const float *base = qkv.as<float>();
  a.query = base;
  a.key = base ? base + a.D : nullptr;
  a.value = base ? base + 2 * a.D : nullptr;
  a.queryRowStride = a.keyRowStride = a.valueRowStride = 3 * a.D;
  return Status::ok();
}

Status checkClassAttention(const KernelArgs &args, AttentionOperands &a) {
  const char *kernel = "intr.class_attention";
  a.kernel = kernel;
  if (Status s = checkArity(kernel, args, 10, 11, 1, 3); !s)
    return s;
  const TensorArg &memory = args.inputs[1];
  if (Status s = checkSequence(kernel, memory, "memory"); !s)
    return s;
  a.B = memory.shape[0], a.L = memory.shape[1], a.D = memory.shape[2];
  if (Status s = checkProjected(kernel, args, "queries", 2, a); !s)
    return s;
  if (Status s = checkFeatureMap(kernel, args.attrs, a.L); !s)
    return s;
  if (Status s = checkResults(kernel, args, a); !s)
    return s;
  a.key = a.value = memory.as<float>();
  return Status::ok();
}

Status checkClassAttentionKV(const KernelArgs &args, AttentionOperands &a) {
  const char *kernel = "intr.class_attention_kv";
  a.kernel = kernel;
  if (Status s = checkArity(kernel, args, 4, 5, 1, 3); !s)
    return s;
  const TensorArg &queries = args.inputs[0], &kv = args.inputs[1];
  if (Status s = checkTensor(kernel, kv, "kv"); !s)
    return s;
  if (kv.rank() != 3)
    return kernelError(kernel,
                       "kv must be [B, T, N], got " + formatShape(kv.shape));
  a.B = kv.shape[0], a.L = kv.shape[1];
  const int64_t N = kv.shape[2];
  if (Status s = checkTensor(kernel, queries, "queries"); !s)
    return s;
  bool shared = queries.rank() == 2;
  if (!shared && !(queries.rank() == 3 && queries.shape[0] == a.B))
    return kernelError(kernel, "queries must be [C, D] or [B, C, D] with B = " +
                                   std::to_string(a.B) + ", got " +
                                   formatShape(queries.shape));
  a.D = queries.shape.back();
  a.H = args.attrs.getInt("num_heads", 0);
  if (a.D <= 0 || a.H <= 0 || a.D % a.H != 0)
    return kernelError(
        kernel, "num_heads = " + std::to_string(a.H) +
                    " must be positive and divide D = " + std::to_string(a.D));
  int64_t keyOffset = args.attrs.getInt("key_offset", -1);
  int64_t valueOffset = args.attrs.getInt("value_offset", -1);
  for (int64_t offset : {keyOffset, valueOffset})
    if (offset < 0 || offset > N - a.D)
      return kernelError(
          kernel,
          "key_offset and value_offset must leave D = " + std::to_string(a.D) +
              " features inside kv's N = " + std::to_string(N) + ", got " +
              std::to_string(offset));
  double scale = args.attrs.getFloat(
      "scale", 1.0 / std::sqrt(static_cast<double>(a.D / a.H)));
  if (!(std::isfinite(scale) && scale > 0))
    return kernelError(kernel, "scale must be positive and finite");
  a.scale = static_cast<float>(scale);
  a.S = queries.shape[queries.rank() - 2];
  a.sharedQuery = shared;
  if (Status s = checkProjection(kernel, args, 2, /*which=*/3, a); !s)
    return s;
  if (Status s = checkMask(kernel, args, 4, /*floatMaskAllowed=*/false, a); !s)
    return s;
  // feature_map goes unchecked: the kernels never read it, and the verifier
  // checks it.
  if (Status s = checkResults(kernel, args, a); !s)
    return s;

  a.query = queries.as<float>();
  // An empty kv may have no memory behind it; the kernels then read none.
  const float *base = kv.as<float>();
  a.key = base ? base + keyOffset : nullptr;
  a.value = base ? base + valueOffset : nullptr;
  a.keyRowStride = a.valueRowStride = N;
  return Status::ok();
}

} // namespace intr::cpu
