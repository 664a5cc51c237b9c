//===- AttentionSupport.h - Checks of the attention kernels -----*- C++ -*-===//
//
// The operand checks of intr.mha, intr.mha_qkv, intr.class_attention and
// intr.class_attention_kv, shared by the CPU and CUDA kernels so that both
// backends refuse a step alike. Each fills an AttentionOperands with the
// checked sizes, attributes and data pointers.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_ATTENTIONSUPPORT_H
#define INTR_LIB_RUNTIME_CPU_ATTENTIONSUPPORT_H

#include "Kernel.h"

#include <cstdint>

namespace intr::cpu {

/// One attention problem, its operands checked.
struct AttentionOperands {
  /// The step's kernel ("intr.mha", ...), for messages.
  const char *kernel = "";
  int64_t B = 0, S = 0, L = 0, D = 0, H = 1;
  /// The query is [S, D], the same for every batch.
  bool sharedQuery = false;
  /// intr.mha's sequence_first: query [S, B, D] (unless shared), key and
  /// value [L, B, D] and out [S, B, D], so that one image's rows are B * D
  /// apart. Only mha, which returns no maps, sets it.
  bool sequenceFirst = false;
  float scale = 1.0f;
  const float *query = nullptr, *key = nullptr, *value = nullptr;
  /// Row widths of the tensors that hold query, key and value as column
  /// slices, read in place: class_attention_kv's keys and values (kv's N)
  /// and mha_qkv's three (3D). Sequence first, image b's rows are B such
  /// rows apart. Unset (0) where the operands are projected first.
  int64_t queryRowStride = 0, keyRowStride = 0, valueRowStride = 0;
  /// q, k, v, out weights [D, D] and biases [D].
  const float *weights[4] = {}, *biases[4] = {};
  /// [B, L]: bool (true = padded) or f32 (added to the scores); or null.
  const TensorArg *mask = nullptr;
  float *out = nullptr;
  /// [B, H, S, L] and [B, S, L], or null.
  float *probs = nullptr, *meanProbs = nullptr;
};

/// Whether one projection of twice the width gives Q and K: a
/// self-attention (query and key the same rows) whose key weight and bias
/// lie right after the query's, as the executable writer lays them out.
inline bool projectsQueryAndKeyTogether(const AttentionOperands &a) {
  return a.query == a.key && !a.sharedQuery && a.S == a.L && a.weights[0] &&
         a.biases[0] && a.weights[1] == a.weights[0] + a.D * a.D &&
         a.biases[1] == a.biases[0] + a.D;
}

/// intr.mha: query, key, value, q/k/v/out weights and biases, optional
/// key_padding_mask (bool or f32); num_heads, scale, sequence_first. Result
/// out [B, S, D] ([S, B, D] sequence first).
Status checkMha(const KernelArgs &args, AttentionOperands &a);

/// intr.mha_qkv: qkv [B, S, 3D] ([S, B, 3D] sequence first), out weight
/// and bias, optional key_padding_mask (bool or f32); num_heads, scale,
/// sequence_first. Result out [B, S, D] ([S, B, D]). Sets query, key and
/// value to qkv's three column slices, with row strides of 3D; only the out
/// projection's weights are set.
Status checkMhaQKV(const KernelArgs &args, AttentionOperands &a);

/// intr.class_attention: queries, memory, q/k/v/out weights and biases,
/// optional key_padding_mask (bool or f32); num_heads, scale, feature_map.
/// Results out [B, C, D] and the optional f32 probs [B, H, C, T] and
/// mean_probs [B, C, T].
Status checkClassAttention(const KernelArgs &args, AttentionOperands &a);

/// intr.class_attention_kv: projected queries [C, D] or [B, C, D], kv
/// [B, T, N] holding the keys at columns key_offset.. and the values at
/// value_offset.., out weight and bias, optional bool key_padding_mask;
/// num_heads, scale, key_offset, value_offset. Results out and the
/// optional probs and mean_probs. Sets key and value to kv's slices, with row
/// strides of N; only the out projection's weights are set.
Status checkClassAttentionKV(const KernelArgs &args, AttentionOperands &a);

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_ATTENTIONSUPPORT_H
