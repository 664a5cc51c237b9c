//===- AttentionKernels.cu - Multi-head attention kernels on CUDA ---------===//
//
// intr.mha, intr.mha_qkv, intr.class_attention and intr.class_attention_kv
// on the device, with the CPU kernels' semantics: y = x·Wᵀ + b projections
// (or projections packed into one operand, read in place), heads as
// contiguous feature slices, P = softmax(scale · Q_h K_hᵀ + mask) per head,
// O_h = P V_h, out = concat_h(O_h) · out_weightᵀ + out_bias.
//
// The projections run on cuBLASLt (Gemm.h). The attention core
// runs on the fused kernels of FusedAttention.cu when they take the head
// size (32 or 64): the class attention kernel when probabilities are
// wanted, the flash kernel when not (the encoder). Any other head size runs
// on the plain kernel here: one thread block per (image, query row) that
// owns every head of that row, so that it can write the per-head
// probabilities as it goes and the head mean exactly once, without atomics;
// the scores of the row live in shared memory when they fit and in the
// step's scratch otherwise.
//
//===----------------------------------------------------------------------===//

#include "../CPU/AttentionSupport.h"
#include "CudaKernel.h"
#include "FusedAttention.h"
#include "Gemm.h"
#include "Launch.cuh"

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace intr::cuda {

namespace {

//===----------------------------------------------------------------------===//
// Device code
//===----------------------------------------------------------------------===//

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
static_assert(kThreads % 32 == 0, "the reductions use whole warps");

/// The dynamic shared memory an attention block may use: the default limit
/// of 48 KiB (no opt-in needed) less the kernel's static arrays.
constexpr size_t kSharedBudget =
    48 * 1024 - (kThreads + kWarps) * sizeof(float);

/// Everything one attention launch reads and writes, by value (a graph
/// captures the parameters).
struct AttentionParams {
  /// Row (b, s) of Q is q + b * qBatchStride + s * qRowStride.
  const float *q = nullptr;
  int64_t qBatchStride = 0, qRowStride = 0;
  /// Key t of image b is k + b * kBatchStride + t * kRowStride; its head h
  /// starts headDim * h further. The same for v.
  const float *k = nullptr;
  int64_t kBatchStride = 0, kRowStride = 0;
  const float *v = nullptr;
  int64_t vBatchStride = 0, vRowStride = 0;
  /// [B, T]: bool (nonzero = padded) or f32 (added to the scores); or null.
  const uint8_t *boolMask = nullptr;
  const float *floatMask = nullptr;
  /// [B, H, S, T] and [B, S, T], or null.
  float *probs = nullptr;
  float *meanProbs = nullptr;
  /// The heads' outputs, concatenated: row (b, s) at context +
  /// b * contextBatchStride + s * contextRowStride.
  float *context = nullptr;
  int64_t contextBatchStride = 0, contextRowStride = 0;
  /// Null: the block's scores (and running mean, and query row) are in
  /// dynamic shared memory. Else workFloats floats per block here.
  float *globalWork = nullptr;
  int64_t workFloats = 0;
  int S = 0, T = 0, D = 0, H = 1, headDim = 1;
  float scale = 1.0f;
  float inverseHeads = 1.0f;
};

__device__ float warpMax(float value) {
  for (int offset = 16; offset > 0; offset /= 2)
    value = fmaxf(value, __shfl_xor_sync(0xffffffffu, value, offset));
  return value;
}

__device__ float warpSum(float value) {
  for (int offset = 16; offset > 0; offset /= 2)
    value += __shfl_xor_sync(0xffffffffu, value, offset);
  return value;
}

/// The maximum (or sum) of `value` over the block. Every thread of the
/// block must call it, and every thread gets the same result; `buffer`
/// holds kWarps floats and is free again when it returns.
template <bool IsMax> __device__ float blockReduce(float value, float *buffer) {
  value = IsMax ? warpMax(value) : warpSum(value);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0)
    buffer[warp] = value;
  __syncthreads();
  // Every thread combines the warps' results in the same order.
  float result = buffer[0];
  for (int i = 1; i < kWarps; ++i)
    result = IsMax ? fmaxf(result, buffer[i]) : result + buffer[i];
  // No thread may write `buffer` again before all have read it.
  __syncthreads();
  return result;
}

/// One block per query row (b, s), for every head in turn: scores, softmax
/// (written to probs), the running head mean, and the row of P·V_h.
__global__ void __launch_bounds__(kThreads)
    attentionRowKernel(AttentionParams p) {
  awaitPredecessors();
  extern __shared__ float dynamicShared[];
  __shared__ float partial[kThreads];
  __shared__ float reduceBuffer[kWarps];

  const int tid = threadIdx.x;
  const int64_t row = blockIdx.x; // b * S + s
  const int64_t b = row / p.S, s = row % p.S;
  const int T = p.T, dh = p.headDim;
  const bool wantMean = p.meanProbs != nullptr;

  const float *query = p.q + b * p.qBatchStride + s * p.qRowStride;
  float *scores;
  const float *queryRow;
  if (p.globalWork) {
    scores = p.globalWork + row * p.workFloats;
    queryRow = query;
  } else {
    scores = dynamicShared;
    float *sharedQuery = dynamicShared + (wantMean ? 2 * T : T);
    for (int d = tid; d < p.D; d += kThreads)
      sharedQuery[d] = query[d];
    queryRow = sharedQuery;
    __syncthreads();
  }
  // The running head mean of the row; each element stays with the thread
  // that owns key t, so it needs no synchronization of its own.
  float *meanRow = scores + T;

  const uint8_t *boolMask = p.boolMask ? p.boolMask + b * T : nullptr;
  const float *floatMask = p.floatMask ? p.floatMask + b * T : nullptr;
  const float *keys = p.k + b * p.kBatchStride;
  const float *values = p.v + b * p.vBatchStride;

  for (int h = 0; h < p.H; ++h) {
    const float *queryHead = queryRow + h * dh;
    const float *keyHead = keys + h * dh;

    float localMax = -INFINITY;
    for (int t = tid; t < T; t += kThreads) {
      const float *key = keyHead + t * p.kRowStride;
      float dot = 0.0f;
      for (int d = 0; d < dh; ++d)
        dot = fmaf(queryHead[d], key[d], dot);
      float score = dot * p.scale;
      if (boolMask && boolMask[t])
        score = -INFINITY;
      if (floatMask)
        score += floatMask[t];
      scores[t] = score;
      localMax = fmaxf(localMax, score);
    }
    const float rowMax = blockReduce<true>(localMax, reduceBuffer);

    // A row whose keys are all masked has no softmax: NaN, as on the CPU
    // and in PyTorch.
    const bool undefined = rowMax == -INFINITY;
    float localSum = 0.0f;
    for (int t = tid; t < T; t += kThreads) {
      float e = undefined ? NAN : expf(scores[t] - rowMax);
      scores[t] = e;
      localSum += e;
    }
    const float inverse = 1.0f / blockReduce<false>(localSum, reduceBuffer);

    float *probRow =
        p.probs ? p.probs + ((b * p.H + h) * p.S + s) * T : nullptr;
    for (int t = tid; t < T; t += kThreads) {
      float prob = scores[t] * inverse;
      scores[t] = prob;
      if (probRow)
        probRow[t] = prob;
      if (wantMean) {
        float term = prob * p.inverseHeads;
        meanRow[t] = h == 0 ? term : meanRow[t] + term;
      }
    }
    // P·V_h reads every thread's probabilities.
    __syncthreads();

    // O_h[d] = sum over t of P[t] V[t, h * dh + d]. Threads split the keys
    // into `parts` interleaved ranges per feature; consecutive threads read
    // consecutive features of a value row.
    float *contextHead =
        p.context + b * p.contextBatchStride + s * p.contextRowStride + h * dh;
    const float *valueHead = values + h * dh;
    const int parts = dh < kThreads ? kThreads / dh : 1;
    if (parts == 1) {
      for (int d = tid; d < dh; d += kThreads) {
        float acc = 0.0f;
        for (int t = 0; t < T; ++t)
          acc = fmaf(scores[t], valueHead[t * p.vRowStride + d], acc);
        contextHead[d] = acc;
      }
    } else {
      // parts * dh <= kThreads: one (feature, part) per thread.
      if (tid < parts * dh) {
        const int d = tid % dh, part = tid / dh;
        float acc = 0.0f;
        for (int t = part; t < T; t += parts)
          acc = fmaf(scores[t], valueHead[t * p.vRowStride + d], acc);
        partial[tid] = acc;
      }
      __syncthreads();
      for (int d = tid; d < dh; d += kThreads) {
        float acc = 0.0f;
        for (int part = 0; part < parts; ++part)
          acc += partial[part * dh + d];
        contextHead[d] = acc;
      }
    }
    // The next head overwrites the scores and the partial sums.
    __syncthreads();
  }

  if (wantMean) {
    float *mean = p.meanProbs + row * T;
    for (int t = tid; t < T; t += kThreads)
      mean[t] = meanRow[t];
  }
}

//===----------------------------------------------------------------------===//
// Host side
//===----------------------------------------------------------------------===//

/// One attention problem, its operands checked (by the CPU kernels'
/// checks, so that both backends refuse a step alike).
using Attention = cpu::AttentionOperands;

/// a * b into `product`; false when it overflows int64.
bool multiply(int64_t a, int64_t b, int64_t &product) {
  return !__builtin_mul_overflow(a, b, &product);
}

/// Sizes the pieces of the step's one scratch request: each starts at a
/// 256-byte boundary.
class ScratchPlan {
public:
  /// Adds a piece of `floats` floats and returns its byte offset.
  size_t add(int64_t floats) {
    size_t at = total;
    int64_t bytes;
    if (floats < 0 || !multiply(floats, int64_t(sizeof(float)), bytes) ||
        bytes > kLimit - int64_t(total)) {
      overflow = true;
      return 0;
    }
    total += (static_cast<size_t>(bytes) + 255) / 256 * 256;
    if (total > size_t(kLimit))
      overflow = true;
    return at;
  }
  size_t total = 0;
  bool overflow = false;

private:
  /// Far beyond any device, far below overflow.
  static constexpr int64_t kLimit = int64_t(1) << 50;
};

/// The cuBLASLt workspace the projections share: plenty for products of
/// D x D weights, and small enough to live in the step's scratch.
constexpr size_t kProjectionWorkspace = size_t(4) << 20;

/// y[M, N] = x[M, D] · w[N, D]ᵀ + bias through cuBLASLt (TF32 when the
/// plan allows it), with `workspace` from the step's scratch plan: asking
/// the scratch again could move the buffers this step already holds there.
Status project(const char *kernel, const float *x, const float *w,
               const float *bias, float *y, int64_t M, int64_t D, int64_t N,
               Context &context, void *workspace) {
  if (M == 0 || D == 0)
    return Status::ok();
  GemmDesc desc;
  desc.transB = true;
  desc.M = M;
  desc.N = N;
  desc.K = D;
  desc.A = x;
  desc.lda = D;
  desc.B = w;
  desc.ldb = D;
  desc.C = y;
  desc.ldc = N;
  desc.bias = bias;
  desc.workspaceLimit = kProjectionWorkspace;
  return gemm(context, desc, kernel, workspace);
}

/// Projects (where needed), attends and projects out, all on the stream.
Status runAttention(const Attention &a, Context &context) {
  const char *kernel = a.kernel;
  const int64_t B = a.B, S = a.S, L = a.L, D = a.D, H = a.H;
  int64_t rows, queryRows, keyRows, workFloats;
  // rows = B * S is the grid; the GEMMs and the kernel index with int.
  if (!multiply(B, S, rows) || !multiply(B, L, keyRows) || rows > INT_MAX ||
      keyRows > INT_MAX || L > INT_MAX || D > INT_MAX)
    return kernelError(kernel, "B = " + std::to_string(B) +
                                   ", S = " + std::to_string(S) +
                                   ", L = " + std::to_string(L) +
                                   " are too large for one launch");
  queryRows = a.sharedQuery ? S : rows;
  // Query, key and value still need their projections, unless the check
  // found them packed, to be read in place (class_attention_kv, mha_qkv:
  // it then sets their row widths).
  const bool unprojected = a.keyRowStride == 0;
  // Every output is empty: nothing to compute.
  if (rows == 0)
    return Status::ok();
  // A self-attention may project Q and K with one GEMM into rows of 2D:
  // Q the first D columns, K the rest.
  const bool together = unprojected && !a.probs && !a.meanProbs &&
                        cpu::projectsQueryAndKeyTogether(a);
  const int64_t qkWidth = together ? 2 * D : D;
  // The projections keep their operands' row order, and so does the
  // context: image b's rows (of `width` floats) are consecutive, or B rows
  // apart (sequence first, where mha wants no maps).
  auto rowStrideOf = [&](int64_t width) {
    return a.sequenceFirst ? B * width : width;
  };
  const int64_t rowStride = rowStrideOf(D);
  auto batchStride = [&](int64_t rowsPerImage, int64_t stride, int64_t width) {
    return a.sequenceFirst ? width : rowsPerImage * stride;
  };
  if (a.sequenceFirst && (a.probs || a.meanProbs))
    return kernelError(kernel, "a sequence-first attention returns no maps");

  workFloats = a.meanProbs ? 2 * L : L;
  const size_t sharedBytes = size_t(workFloats + D) * sizeof(float);
  const bool inShared = sharedBytes <= kSharedBudget;

  ScratchPlan plan;
  int64_t queryFloats = 0, keyFloats = 0, rowFloats = 0, workTotal = 0;
  bool fits = multiply(queryRows, D, queryFloats) &&
              multiply(keyRows, D, keyFloats) && multiply(rows, D, rowFloats) &&
              multiply(rows, inShared ? 0 : workFloats, workTotal);
  if (!fits)
    return kernelError(kernel, "the attention's temporaries are too large");
  size_t queryAt = 0, keyAt = 0, valueAt = 0;
  if (unprojected) {
    queryAt = plan.add(together ? 2 * queryFloats : queryFloats);
    keyAt = together ? queryAt : plan.add(keyFloats);
    valueAt = plan.add(keyFloats);
  }
  // The fused kernels take heads of 32 or 64 features: the class attention
  // kernel when maps are wanted, the flash kernel when not. Both size
  // their scratch (the flash kernel's only with slices of the keys) here.
  const int64_t headDim = D / H;
  const bool wantsMaps = a.probs || a.meanProbs;
  // The key padding mask: bool (true = padded) or f32 (added), or none.
  const bool maskIsBool = a.mask && a.mask->dtype == DType::Bool;
  const uint8_t *boolMask = maskIsBool ? a.mask->as<uint8_t>() : nullptr;
  const float *floatMask =
      a.mask && !maskIsBool ? a.mask->as<float>() : nullptr;
  const bool fused = fusedAttentionSupportsHeadDim(headDim);
  ClassAttentionParams classParams;
  FlashAttentionParams flash;
  size_t workspaceAt = 0, workspaceBytes = 0;
  if (fused && wantsMaps) {
    // Sized on the operands' own geometry (the projected copies, where
    // there are any, have the same shapes and a row stride of D).
    classParams.q = a.query;
    classParams.qBatchStride = a.sharedQuery ? 0 : S * D;
    classParams.qRowStride = D;
    classParams.k = a.key;
    classParams.kRowStride = unprojected ? D : a.keyRowStride;
    classParams.kBatchStride = L * classParams.kRowStride;
    classParams.v = a.value;
    classParams.vRowStride = unprojected ? D : a.valueRowStride;
    classParams.vBatchStride = L * classParams.vRowStride;
    classParams.boolMask = boolMask;
    classParams.floatMask = floatMask;
    classParams.probs = a.probs;
    classParams.meanProbs = a.meanProbs;
    classParams.out = a.out;
    classParams.outRowStride = D;
    classParams.batch = B;
    classParams.classes = S;
    classParams.tokens = L;
    classParams.heads = H;
    classParams.headDim = headDim;
    classParams.scale = a.scale;
    using Cores = Context::ClassAttentionCores;
    classParams.allowTensorCores = context.classAttentionCores != Cores::Fma;
    classParams.tensorCoreMaps =
        context.classAttentionCores == Cores::TensorCores ||
        classMapsPreferTensorCores(B, S, L, H, context.multiprocessors);
    workspaceBytes =
        fusedClassAttentionScratchBytes(classParams, context.multiprocessors);
  } else if (fused) {
    flash.batch = B;
    flash.queries = S;
    flash.keys = L;
    flash.heads = H;
    flash.headDim = headDim;
    flash.scale = a.scale;
    flash.allowTensorCores = context.flashTF32;
    flash.keySplits = context.flashKeySplits ? 0 : 1;
    workspaceBytes =
        flashSelfAttentionScratchBytes(flash, context.multiprocessors);
  }
  if (workspaceBytes > 0)
    workspaceAt = plan.add(static_cast<int64_t>((workspaceBytes + 3) / 4));
  size_t contextAt = plan.add(rowFloats);
  size_t gemmWorkspaceAt =
      plan.add(static_cast<int64_t>(kProjectionWorkspace / sizeof(float)));
  size_t workAt = plan.add(fused ? 0 : workTotal);
  if (plan.overflow)
    return kernelError(kernel, "the attention's temporaries are too large");
  Expected<void *> scratch = context.scratch(plan.total);
  if (!scratch)
    return scratch.error();
  auto piece = [&](size_t at) {
    return reinterpret_cast<float *>(static_cast<char *>(*scratch) + at);
  };
  void *gemmWorkspace = piece(gemmWorkspaceAt);

  // The widths of the rows that hold Q, K and V: the projections', or the
  // packed operands' that are read in place (class_attention_kv's kv,
  // mha_qkv's qkv).
  const int64_t qWidth =
      unprojected || a.queryRowStride == 0 ? qkWidth : a.queryRowStride;
  const int64_t kWidth = unprojected ? qkWidth : a.keyRowStride;
  const int64_t vWidth = unprojected ? D : a.valueRowStride;
  AttentionParams p;
  p.q = a.query;
  p.k = a.key;
  p.v = a.value;
  p.qRowStride = a.sharedQuery ? D : rowStrideOf(qWidth);
  p.kRowStride = rowStrideOf(kWidth);
  p.vRowStride = rowStrideOf(vWidth);
  if (unprojected) {
    float *Q = piece(queryAt), *V = piece(valueAt);
    float *K = together ? Q + D : piece(keyAt);
    // Together: one GEMM of width 2D, the key's weight and bias after the
    // query's.
    if (Status s = project(kernel, a.query, a.weights[0], a.biases[0], Q,
                           queryRows, D, qkWidth, context, gemmWorkspace);
        !s)
      return s;
    if (!together)
      if (Status s = project(kernel, a.key, a.weights[1], a.biases[1], K,
                             keyRows, D, D, context, gemmWorkspace);
          !s)
        return s;
    if (Status s = project(kernel, a.value, a.weights[2], a.biases[2], V,
                           keyRows, D, D, context, gemmWorkspace);
        !s)
      return s;
    p.q = Q;
    p.k = K;
    p.v = V;
  }
  p.qBatchStride = a.sharedQuery ? 0 : batchStride(S, p.qRowStride, qWidth);
  p.kBatchStride = batchStride(L, p.kRowStride, kWidth);
  p.vBatchStride = batchStride(L, p.vRowStride, vWidth);
  p.boolMask = boolMask;
  p.floatMask = floatMask;
  p.probs = a.probs;
  p.meanProbs = a.meanProbs;
  p.context = piece(contextAt);
  p.contextBatchStride = batchStride(S, rowStride, D);
  p.contextRowStride = rowStride;
  if (fused && wantsMaps) {
    classParams.q = p.q;
    classParams.k = p.k;
    classParams.v = p.v;
    classParams.out = p.context;
    classParams.workspace = workspaceBytes > 0 ? piece(workspaceAt) : nullptr;
    if (Status s = launchFusedClassAttention(context, classParams); !s)
      return kernelError(kernel, s.error().message());
  } else if (fused) {
    flash.q = p.q;
    flash.qBatchStride = p.qBatchStride;
    flash.qRowStride = p.qRowStride;
    flash.qHeadStride = headDim;
    flash.k = p.k;
    flash.kBatchStride = p.kBatchStride;
    flash.kRowStride = p.kRowStride;
    flash.kHeadStride = headDim;
    flash.v = p.v;
    flash.vBatchStride = p.vBatchStride;
    flash.vRowStride = p.vRowStride;
    flash.vHeadStride = headDim;
    flash.o = p.context;
    flash.oBatchStride = p.contextBatchStride;
    flash.oRowStride = p.contextRowStride;
    flash.oHeadStride = headDim;
    flash.boolMask = p.boolMask;
    flash.floatMask = p.floatMask;
    flash.workspace = workspaceBytes > 0 ? piece(workspaceAt) : nullptr;
    if (Status s = launchFlashSelfAttention(context, flash); !s)
      return kernelError(kernel, s.error().message());
  }
  if (fused)
    return project(kernel, p.context, a.weights[3], a.biases[3], a.out, rows, D,
                   D, context, gemmWorkspace);
  p.globalWork = inShared ? nullptr : piece(workAt);
  p.workFloats = workFloats;
  p.S = static_cast<int>(S);
  p.T = static_cast<int>(L);
  p.D = static_cast<int>(D);
  p.H = static_cast<int>(H);
  p.headDim = static_cast<int>(D / H);
  p.scale = a.scale;
  p.inverseHeads = 1.0f / static_cast<float>(H);
  launch(context, attentionRowKernel, static_cast<unsigned>(rows), kThreads,
         inShared ? sharedBytes : 0, p);
  if (Status s = checkLaunch(kernel); !s)
    return s;

  return project(kernel, p.context, a.weights[3], a.biases[3], a.out, rows, D,
                 D, context, gemmWorkspace);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// A step of an attention op: its operands checked as the CPU checks them
/// (AttentionSupport.h documents each op's), then run.
template <Status (*check)(const cpu::KernelArgs &, Attention &)>
Status attentionKernel(const KernelCall &call) {
  Attention a;
  if (Status s = check(call.cpuArgs(), a); !s)
    return s;
  return runAttention(a, call.context);
}

} // namespace

void registerAttentionKernels(KernelRegistry &registry) {
  registry.add("intr.mha", attentionKernel<cpu::checkMha>);
  registry.add("intr.mha_qkv", attentionKernel<cpu::checkMhaQKV>);
  registry.add("intr.class_attention",
               attentionKernel<cpu::checkClassAttention>);
  registry.add("intr.class_attention_kv",
               attentionKernel<cpu::checkClassAttentionKV>);
}

} // namespace intr::cuda
