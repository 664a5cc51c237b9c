//===- FusedAttention.h - Fused attention kernels for CUDA ------*- C++ -*-===//
//
// Two fused attention launchers that work on views of device memory, below
// the level of plan steps (a step kernel checks its operands, then fills in
// one of these parameter blocks):
//
//  * launchFusedClassAttention: the decoder's class attention over keys and
//    values already projected (intr.class_attention_kv). It writes the
//    per-head probabilities [B, H, C, T], their head mean [B, C, T] (each
//    element exactly once, no atomics) and the heads' attended values,
//    without ever materializing the scores.
//  * launchFlashSelfAttention: the encoder's self-attention (the core of
//    intr.mha between the projections) with an online softmax over tiles
//    of keys; no probabilities are written.
//
// By default both compute in f32 with f32 accumulation and agree with the
// CPU kernels within 1e-4 absolute / 1e-3 relative; allowTensorCores trades
// that for TF32 tensor cores. They support head sizes 32 and 64;
// for any other head size they return an error before launching anything,
// so that a caller can fall back to the plain kernels of
// AttentionKernels.cu. They only enqueue work on the context's stream:
// they never synchronize, and the only memory they ask for is the context's
// scratch (see fusedClassAttentionScratchBytes and
// flashSelfAttentionScratchBytes).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_FUSEDATTENTION_H
#define INTR_LIB_RUNTIME_CUDA_FUSEDATTENTION_H

#include "CudaKernel.h"

#include <cstddef>
#include <cstdint>

namespace intr::cuda {

/// The operands of one class attention: for image b, class c, head h and
/// token t (all pointers are device pointers, all strides in elements):
///
///   query  q[b * qBatchStride + c * qRowStride + h * headDim + i]
///   key    k[b * kBatchStride + t * kRowStride + h * headDim + i]
///   value  v[b * vBatchStride + t * vRowStride + h * headDim + i]
///
/// for i < headDim. For intr.class_attention_kv, k and v point at
/// kv + key_offset and kv + value_offset, their row stride is kv's N and
/// their batch stride T * N; qBatchStride is 0 when the queries are the
/// same for every image. Then, with D = heads * headDim:
///
///   probs[b, h, c, t] = softmax_t(scale * q_h . k_h + mask[b, t])
///   meanProbs[b, c, t] = mean over h of probs[b, h, c, t]
///   out[b * C * outRowStride + c * outRowStride + h * headDim + i]
///       = sum over t of probs[b, h, c, t] * v_h[t, i]
///
/// probs is dense [B, H, C, T] and meanProbs dense [B, C, T], as the CPU
/// kernels lay them out. Each of probs, meanProbs and out may be null (not
/// wanted). A masked token gets probability 0; a row whose tokens are all
/// masked has no softmax and gets NaN in all three outputs, as on the CPU.
struct ClassAttentionParams {
  const float *q = nullptr;
  int64_t qBatchStride = 0, qRowStride = 0;
  const float *k = nullptr;
  int64_t kBatchStride = 0, kRowStride = 0;
  const float *v = nullptr;
  int64_t vBatchStride = 0, vRowStride = 0;
  /// The key padding mask, [B, T] dense, or null: at most one of them.
  /// boolMask: nonzero bytes mark padded tokens (the bool tensors of the
  /// runtime, which the CPU kernel of class_attention_kv takes). floatMask:
  /// added to the scaled scores (what intr.class_attention also takes).
  const uint8_t *boolMask = nullptr;
  const float *floatMask = nullptr;
  float *probs = nullptr;
  float *meanProbs = nullptr;
  float *out = nullptr;
  int64_t outRowStride = 0;
  int64_t batch = 0, classes = 0, tokens = 0, heads = 0, headDim = 0;
  float scale = 1.0f;
  /// Computes Q·Kᵀ and P·V on tensor cores with TF32 operands (10 mantissa
  /// bits) and f32 accumulation, on sm_80 and later (ignored before). Much
  /// less arithmetic to issue, but the scores carry a relative error of
  /// about 1e-3, so the probabilities agree with f32 only to about 1e-2
  /// relative: for plans that accept that (f16 or bf16 ones), never for
  /// f32 plans, which must match the CPU. Off: plain f32 FMA.
  bool allowTensorCores = false;
  /// With allowTensorCores, whether the maps are computed on tensor cores
  /// too (classMapsMmaKernel), or recomputed in f32 FMAs and normalized by
  /// the tensor-core statistics (the faster at batch 1 of the decoder: see
  /// classMapsPreferTensorCores).
  bool tensorCoreMaps = true;
  /// fusedClassAttentionScratchBytes() bytes of device memory (256-byte
  /// aligned) for the launcher's temporaries, or null to take the context's
  /// scratch. A step that keeps its own temporaries in the scratch passes a
  /// piece of it, so that the launcher cannot reallocate it under them.
  void *workspace = nullptr;
};

/// The operands of one self-attention (or any attention without maps) over
/// [B, S, H, dh] queries and [B, L, H, dh] keys and values, all strided:
///
///   query  q[b * qBatchStride + s * qRowStride + h * qHeadStride + i]
///   key    k[b * kBatchStride + l * kRowStride + h * kHeadStride + i]
///   value  v[b * vBatchStride + l * vRowStride + h * vHeadStride + i]
///   out    o[b * oBatchStride + s * oRowStride + h * oHeadStride + i]
///        = sum over l of softmax_l(scale * q_h . k_h + mask[b, l]) v_h[l, i]
///
/// For the encoder's projected [B, T, D] tensors: row stride D (or the
/// stacked projection's width), head stride headDim, batch stride T * row
/// stride. A query whose keys are all masked gets NaN (as on the CPU); with
/// no keys at all (L = 0) the output is 0.
struct FlashAttentionParams {
  const float *q = nullptr;
  int64_t qBatchStride = 0, qRowStride = 0, qHeadStride = 0;
  const float *k = nullptr;
  int64_t kBatchStride = 0, kRowStride = 0, kHeadStride = 0;
  const float *v = nullptr;
  int64_t vBatchStride = 0, vRowStride = 0, vHeadStride = 0;
  float *o = nullptr;
  int64_t oBatchStride = 0, oRowStride = 0, oHeadStride = 0;
  /// [B, L] dense, or null; at most one (as in ClassAttentionParams).
  const uint8_t *boolMask = nullptr;
  const float *floatMask = nullptr;
  int64_t batch = 0, queries = 0, keys = 0, heads = 0, headDim = 0;
  float scale = 1.0f;
  /// As in ClassAttentionParams: TF32 tensor cores, opt-in.
  bool allowTensorCores = false;
  /// On tensor cores, how many slices of the keys the work is split into,
  /// each slice's blocks attending on their own before a second kernel
  /// combines them: 1 (the default) none, 0 enough to fill one wave of
  /// resident blocks when the query tiles alone fill at most half of
  /// one, or that many (at most one per tile of 64 keys, 32, and
  /// 65535 / batch; none where the partial results would pass 4 GiB).
  int64_t keySplits = 1;
  /// flashSelfAttentionScratchBytes() bytes of device memory (256-byte
  /// aligned) for the slices' partial results, or null to take the
  /// context's scratch; as in ClassAttentionParams.
  void *workspace = nullptr;
};

/// True when the fused kernels handle heads of `headDim` features.
bool fusedAttentionSupportsHeadDim(int64_t headDim);

/// Whether the class attention of these sizes should compute its maps on
/// tensor cores where its statistics are (ClassAttentionParams::
/// tensorCoreMaps), on a device with `multiprocessors` SMs: the f32 maps
/// kernel is the faster while the scores leave SMs short of work.
bool classMapsPreferTensorCores(int64_t batch, int64_t classes, int64_t tokens,
                                int64_t heads, int multiprocessors);

/// The scratch bytes launchFusedClassAttention asks the context for with
/// these sizes on a device with `multiprocessors` SMs (0 when it needs none
/// or refuses the parameters), so that a planner can reserve it before a
/// capture: Context::scratch synchronizes the stream when it has to grow.
size_t fusedClassAttentionScratchBytes(const ClassAttentionParams &params,
                                       int multiprocessors);

/// Enqueues the class attention on context.stream: two kernels, the first
/// computing each (image, head, class) row's softmax statistics and the
/// attended values over slices of the tokens, the second writing the
/// probabilities and their mean and combining the slices' values.
Status launchFusedClassAttention(Context &context,
                                 const ClassAttentionParams &params);

/// The scratch bytes launchFlashSelfAttention asks for with these sizes,
/// keySplits and allowTensorCores on a device with `multiprocessors` SMs
/// (0 without slices of the keys, or when it refuses the sizes).
size_t flashSelfAttentionScratchBytes(const FlashAttentionParams &params,
                                      int multiprocessors);

/// Enqueues the attention on context.stream: one kernel, and a second that
/// combines the slices of the keys where there are any.
Status launchFlashSelfAttention(Context &context,
                                const FlashAttentionParams &params);

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_FUSEDATTENTION_H
