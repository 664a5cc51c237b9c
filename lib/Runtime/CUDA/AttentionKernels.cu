//===- AttentionKernels.cu - Multi-head attention kernels on CUDA ---------===//
//
// intr.mha, intr.class_attention and intr.class_attention_kv on the device,
// with the CPU kernels' semantics: y = x·Wᵀ + b projections, heads as
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

#include "CudaKernel.h"
#include "FusedAttention.h"
#include "Gemm.h"

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
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
  /// Row (b, s) of Q is q + b * qBatchStride + s * D.
  const float *q = nullptr;
  int64_t qBatchStride = 0;
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
  /// [B * S, D]: the heads' outputs, concatenated.
  float *context = nullptr;
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
  extern __shared__ float dynamicShared[];
  __shared__ float partial[kThreads];
  __shared__ float reduceBuffer[kWarps];

  const int tid = threadIdx.x;
  const int64_t row = blockIdx.x; // b * S + s
  const int64_t b = row / p.S, s = row % p.S;
  const int T = p.T, dh = p.headDim;
  const bool wantMean = p.meanProbs != nullptr;

  const float *query = p.q + b * p.qBatchStride + s * p.D;
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
    float *contextHead = p.context + row * p.D + h * dh;
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

/// One attention problem, its operands checked.
struct Attention {
  int64_t B = 0, S = 0, L = 0, D = 0, H = 1;
  /// The query is [S, D], the same for every image.
  bool sharedQuery = false;
  /// Query, key and value still need their projections (not so for
  /// class_attention_kv, whose keys and values are read in place).
  bool project = true;
  float scale = 1.0f;
  const float *query = nullptr, *key = nullptr, *value = nullptr;
  /// Row strides of key and value (D, or kv's N).
  int64_t keyRowStride = 0, valueRowStride = 0;
  /// q, k, v, out weights [D, D] and biases [D].
  const float *weights[4] = {}, *biases[4] = {};
  /// [B, L]: bool or f32; or null.
  const TensorArg *mask = nullptr;
  float *out = nullptr;
  /// [B, H, S, L] and [B, S, L], or null.
  float *probs = nullptr, *meanProbs = nullptr;
};

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

/// Entry `index` if it was given, else null (an omitted optional one).
const TensorArg *optionalArg(const std::vector<TensorArg> &list, size_t index) {
  return index < list.size() && list[index].present() ? &list[index] : nullptr;
}

/// The tensor is there (or empty), has non-negative sizes and is `dtype`.
/// (The CPU kernels' checks, word for word, so both backends refuse a step
/// alike.)
Status checkTensor(const char *kernel, const TensorArg &tensor,
                   const char *name, DType dtype = DType::F32) {
  for (int64_t size : tensor.shape)
    if (size < 0)
      return kernelError(kernel, std::string(name) + " has a negative size " +
                                     formatShape(tensor.shape));
  if (!tensor.present() && tensor.numElements() != 0)
    return kernelError(kernel, std::string(name) + " is missing");
  if (tensor.dtype != dtype)
    return kernelError(kernel, std::string(name) + " must be " +
                                   dtypeName(dtype) + ", got " +
                                   dtypeName(tensor.dtype));
  return Status::ok();
}

/// The tensor is `dtype` with exactly the shape `expected`.
Status checkShape(const char *kernel, const TensorArg &tensor, const char *name,
                  const std::vector<int64_t> &expected,
                  DType dtype = DType::F32) {
  if (Status s = checkTensor(kernel, tensor, name, dtype); !s)
    return s;
  if (tensor.shape != expected)
    return kernelError(kernel, std::string(name) + " must be " +
                                   formatShape(expected) + ", got " +
                                   formatShape(tensor.shape));
  return Status::ok();
}

Status checkArity(const char *kernel, const KernelCall &call, size_t minIn,
                  size_t maxIn, size_t minOut, size_t maxOut) {
  auto range = [](size_t lo, size_t hi) {
    return lo == hi ? std::to_string(lo)
                    : std::to_string(lo) + " to " + std::to_string(hi);
  };
  if (call.inputs.size() < minIn || call.inputs.size() > maxIn)
    return kernelError(kernel, "expects " + range(minIn, maxIn) +
                                   " operands, got " +
                                   std::to_string(call.inputs.size()));
  if (call.outputs.size() < minOut || call.outputs.size() > maxOut)
    return kernelError(kernel, "expects " + range(minOut, maxOut) +
                                   " results, got " +
                                   std::to_string(call.outputs.size()));
  return Status::ok();
}

/// Checks the weight [D, D] and bias [D] of projection `which` (0 q, 1 k,
/// 2 v, 3 out) at inputs `at` and `at + 1`.
Status checkProjection(const char *kernel, const KernelCall &call, size_t at,
                       int which, Attention &a) {
  const char *weightNames[] = {"q_weight", "k_weight", "v_weight",
                               "out_weight"};
  const char *biasNames[] = {"q_bias", "k_bias", "v_bias", "out_bias"};
  const TensorArg &weight = call.inputs[at], &bias = call.inputs[at + 1];
  if (Status s = checkShape(kernel, weight, weightNames[which], {a.D, a.D}); !s)
    return s;
  if (Status s = checkShape(kernel, bias, biasNames[which], {a.D}); !s)
    return s;
  a.weights[which] = weight.as<float>();
  a.biases[which] = bias.as<float>();
  return Status::ok();
}

/// Checks the optional key_padding_mask at input `at` ([B, L], bool, or f32
/// where `floatMaskAllowed`).
Status checkMask(const char *kernel, const KernelCall &call, size_t at,
                 bool floatMaskAllowed, Attention &a) {
  const TensorArg *mask = optionalArg(call.inputs, at);
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
Status checkHeads(const char *kernel, const AttrMap &attrs, Attention &a) {
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

/// Checks the results out [B, S, D] and, when `mapsRequired` or given,
/// probs [B, H, S, L] and mean_probs [B, S, L] (f32).
Status checkResults(const char *kernel, const KernelCall &call,
                    bool mapsRequired, Attention &a) {
  if (Status s = checkShape(kernel, call.outputs[0], "out", {a.B, a.S, a.D});
      !s)
    return s;
  a.out = call.outputs[0].as<float>();
  const TensorArg *probs = optionalArg(call.outputs, 1);
  const TensorArg *meanProbs = optionalArg(call.outputs, 2);
  if (mapsRequired) {
    // As on the CPU: a missing map is an error, not an omission.
    if (Status s =
            checkShape(kernel, call.outputs[1], "probs", {a.B, a.H, a.S, a.L});
        !s)
      return s;
    if (Status s =
            checkShape(kernel, call.outputs[2], "mean_probs", {a.B, a.S, a.L});
        !s)
      return s;
  } else {
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
  }
  a.probs = probs ? probs->as<float>() : nullptr;
  a.meanProbs = meanProbs ? meanProbs->as<float>() : nullptr;
  return Status::ok();
}

/// The cuBLASLt workspace the projections share: plenty for products of
/// D x D weights, and small enough to live in the step's scratch.
constexpr size_t kProjectionWorkspace = size_t(4) << 20;

/// y[M, D] = x[M, D] · w[D, D]ᵀ + bias through cuBLASLt (TF32 when the plan
/// allows it), with `workspace` from the step's scratch plan: asking the
/// scratch again could move the buffers this step already holds there.
Status project(const char *kernel, const float *x, const float *w,
               const float *bias, float *y, int64_t M, int64_t D,
               Context &context, void *workspace) {
  if (M == 0 || D == 0)
    return Status::ok();
  GemmDesc desc;
  desc.transB = true;
  desc.M = M;
  desc.N = D;
  desc.K = D;
  desc.A = x;
  desc.lda = D;
  desc.B = w;
  desc.ldb = D;
  desc.C = y;
  desc.ldc = D;
  desc.bias = bias;
  desc.workspaceLimit = kProjectionWorkspace;
  return gemm(context, desc, kernel, workspace);
}

/// Projects (where needed), attends and projects out, all on the stream.
Status runAttention(const char *kernel, const Attention &a, Context &context) {
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
  // Every output is empty: nothing to compute.
  if (rows == 0)
    return Status::ok();

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
  if (a.project) {
    queryAt = plan.add(queryFloats);
    keyAt = plan.add(keyFloats);
    valueAt = plan.add(keyFloats);
  }
  // The fused kernels take heads of 32 or 64 features: the class attention
  // kernel when maps are wanted, the flash kernel (no scratch) when not.
  const int64_t headDim = D / H;
  const bool wantsMaps = a.probs || a.meanProbs;
  const bool fused = fusedAttentionSupportsHeadDim(headDim);
  ClassAttentionParams classParams;
  size_t workspaceAt = 0;
  if (fused && wantsMaps) {
    // Sized on the operands' own geometry (the projected copies, where
    // there are any, have the same shapes and a row stride of D).
    classParams.q = a.query;
    classParams.qBatchStride = a.sharedQuery ? 0 : S * D;
    classParams.qRowStride = D;
    classParams.k = a.key;
    classParams.kRowStride = a.project ? D : a.keyRowStride;
    classParams.kBatchStride = L * classParams.kRowStride;
    classParams.v = a.value;
    classParams.vRowStride = a.project ? D : a.valueRowStride;
    classParams.vBatchStride = L * classParams.vRowStride;
    if (a.mask && a.mask->dtype == DType::Bool)
      classParams.boolMask = a.mask->as<uint8_t>();
    else if (a.mask)
      classParams.floatMask = a.mask->as<float>();
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
    classParams.allowTensorCores = context.allowTF32;
    size_t bytes =
        fusedClassAttentionScratchBytes(classParams, context.multiprocessors);
    workspaceAt = plan.add(static_cast<int64_t>((bytes + 3) / 4));
  }
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
  cudaStream_t stream = context.stream;
  void *gemmWorkspace = piece(gemmWorkspaceAt);

  AttentionParams p;
  p.q = a.query;
  p.k = a.key;
  p.v = a.value;
  p.kRowStride = a.keyRowStride;
  p.vRowStride = a.valueRowStride;
  if (a.project) {
    float *Q = piece(queryAt), *K = piece(keyAt), *V = piece(valueAt);
    if (Status s = project(kernel, a.query, a.weights[0], a.biases[0], Q,
                           queryRows, D, context, gemmWorkspace);
        !s)
      return s;
    if (Status s = project(kernel, a.key, a.weights[1], a.biases[1], K,
                           keyRows, D, context, gemmWorkspace);
        !s)
      return s;
    if (Status s = project(kernel, a.value, a.weights[2], a.biases[2], V,
                           keyRows, D, context, gemmWorkspace);
        !s)
      return s;
    p.q = Q;
    p.k = K;
    p.v = V;
    p.kRowStride = p.vRowStride = D;
  }
  p.qBatchStride = a.sharedQuery ? 0 : S * D;
  p.kBatchStride = L * p.kRowStride;
  p.vBatchStride = L * p.vRowStride;
  if (a.mask && a.mask->dtype == DType::Bool)
    p.boolMask = a.mask->as<uint8_t>();
  else if (a.mask)
    p.floatMask = a.mask->as<float>();
  p.probs = a.probs;
  p.meanProbs = a.meanProbs;
  p.context = piece(contextAt);
  if (fused && wantsMaps) {
    classParams.q = p.q;
    classParams.k = p.k;
    classParams.v = p.v;
    classParams.out = p.context;
    classParams.workspace = piece(workspaceAt);
    if (Status s = launchFusedClassAttention(context, classParams); !s)
      return kernelError(kernel, s.error().message());
  } else if (fused) {
    FlashAttentionParams flash;
    flash.q = p.q;
    flash.qBatchStride = p.qBatchStride;
    flash.qRowStride = D;
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
    flash.oBatchStride = S * D;
    flash.oRowStride = D;
    flash.oHeadStride = headDim;
    flash.boolMask = p.boolMask;
    flash.floatMask = p.floatMask;
    flash.batch = B;
    flash.queries = S;
    flash.keys = L;
    flash.heads = H;
    flash.headDim = headDim;
    flash.scale = a.scale;
    flash.allowTensorCores = context.allowTF32;
    if (Status s = launchFlashSelfAttention(context, flash); !s)
      return kernelError(kernel, s.error().message());
  }
  if (fused)
    return project(kernel, p.context, a.weights[3], a.biases[3], a.out, rows,
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
  attentionRowKernel<<<static_cast<unsigned>(rows), kThreads,
                       inShared ? sharedBytes : 0, stream>>>(p);
  if (Status s = checkLaunch(kernel); !s)
    return s;

  return project(kernel, p.context, a.weights[3], a.biases[3], a.out, rows, D,
                 context, gemmWorkspace);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// intr.mha: query, key, value, q/k/v/out weights and biases, optional
/// key_padding_mask (bool or f32); num_heads, scale. Result out [B, S, D].
Status mha(const KernelCall &call) {
  const char *kernel = "intr.mha";
  if (Status s = checkArity(kernel, call, 11, 12, 1, 1); !s)
    return s;
  const TensorArg &key = call.inputs[1], &value = call.inputs[2];
  if (Status s = checkSequence(kernel, key, "key"); !s)
    return s;
  Attention a;
  a.B = key.shape[0], a.L = key.shape[1], a.D = key.shape[2];
  if (Status s = checkShape(kernel, value, "value", key.shape); !s)
    return s;
  if (Status s = checkQuery(kernel, call.inputs[0], "query", a); !s)
    return s;
  for (int which = 0; which < 4; ++which)
    if (Status s = checkProjection(kernel, call, 3 + 2 * which, which, a); !s)
      return s;
  if (Status s = checkMask(kernel, call, 11, /*floatMaskAllowed=*/true, a); !s)
    return s;
  if (Status s = checkHeads(kernel, call.attrs, a); !s)
    return s;
  if (Status s = checkResults(kernel, call, /*mapsRequired=*/false, a); !s)
    return s;
  a.key = key.as<float>();
  a.value = value.as<float>();
  return runAttention(kernel, a, call.context);
}

/// intr.class_attention: queries, memory, q/k/v/out weights and biases,
/// optional key_padding_mask (bool or f32); num_heads, scale, feature_map.
/// Results out [B, C, D] and the optional probs [B, H, C, T] and
/// mean_probs [B, C, T].
Status classAttention(const KernelCall &call) {
  const char *kernel = "intr.class_attention";
  if (Status s = checkArity(kernel, call, 10, 11, 1, 3); !s)
    return s;
  const TensorArg &memory = call.inputs[1];
  if (Status s = checkSequence(kernel, memory, "memory"); !s)
    return s;
  Attention a;
  a.B = memory.shape[0], a.L = memory.shape[1], a.D = memory.shape[2];
  if (Status s = checkQuery(kernel, call.inputs[0], "queries", a); !s)
    return s;
  for (int which = 0; which < 4; ++which)
    if (Status s = checkProjection(kernel, call, 2 + 2 * which, which, a); !s)
      return s;
  if (Status s = checkMask(kernel, call, 10, /*floatMaskAllowed=*/true, a); !s)
    return s;
  if (Status s = checkHeads(kernel, call.attrs, a); !s)
    return s;
  if (Status s = checkFeatureMap(kernel, call.attrs, a.L); !s)
    return s;
  if (Status s = checkResults(kernel, call, /*mapsRequired=*/false, a); !s)
    return s;
  a.key = a.value = memory.as<float>();
  return runAttention(kernel, a, call.context);
}

/// intr.class_attention_kv: projected queries [C, D] or [B, C, D], kv
/// [B, T, N] holding the keys at columns key_offset.. and the values at
/// value_offset.., out weight and bias, optional bool key_padding_mask;
/// num_heads, scale, key_offset, value_offset. Results out,
/// probs and mean_probs, all required.
Status classAttentionKV(const KernelCall &call) {
  const char *kernel = "intr.class_attention_kv";
  if (Status s = checkArity(kernel, call, 4, 5, 3, 3); !s)
    return s;
  const TensorArg &queries = call.inputs[0], &kv = call.inputs[1];
  if (Status s = checkTensor(kernel, kv, "kv"); !s)
    return s;
  if (kv.rank() != 3)
    return kernelError(kernel,
                       "kv must be [B, T, N], got " + formatShape(kv.shape));
  Attention a;
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
  a.H = call.attrs.getInt("num_heads", 0);
  if (a.D <= 0 || a.H <= 0 || a.D % a.H != 0)
    return kernelError(
        kernel, "num_heads = " + std::to_string(a.H) +
                    " must be positive and divide D = " + std::to_string(a.D));
  int64_t keyOffset = call.attrs.getInt("key_offset", -1);
  int64_t valueOffset = call.attrs.getInt("value_offset", -1);
  for (int64_t offset : {keyOffset, valueOffset})
    if (offset < 0 || offset > N - a.D)
      return kernelError(
          kernel,
          "key_offset and value_offset must leave D = " + std::to_string(a.D) +
              " features inside kv's N = " + std::to_string(N) + ", got " +
              std::to_string(offset));
  double scale = call.attrs.getFloat(
      "scale", 1.0 / std::sqrt(static_cast<double>(a.D / a.H)));
  if (!(std::isfinite(scale) && scale > 0))
    return kernelError(kernel, "scale must be positive and finite");
  a.scale = static_cast<float>(scale);
  a.S = queries.shape[queries.rank() - 2];
  a.sharedQuery = shared;
  if (Status s = checkProjection(kernel, call, 2, /*which=*/3, a); !s)
    return s;
  if (Status s = checkMask(kernel, call, 4, /*floatMaskAllowed=*/false, a); !s)
    return s;
  // feature_map goes unchecked here, as on the CPU: the kernel never reads
  // it, and the verifier checks it.
  if (Status s = checkResults(kernel, call, /*mapsRequired=*/true, a); !s)
    return s;

  a.project = false;
  a.query = queries.as<float>();
  // An empty kv may have no memory behind it; the kernel then reads none.
  const float *base = kv.as<float>();
  a.key = base ? base + keyOffset : nullptr;
  a.value = base ? base + valueOffset : nullptr;
  a.keyRowStride = a.valueRowStride = N;
  return runAttention(kernel, a, call.context);
}

} // namespace

void registerAttentionKernels(KernelRegistry &registry) {
  registry.add("intr.mha", mha);
  registry.add("intr.class_attention", classAttention);
  registry.add("intr.class_attention_kv", classAttentionKV);
}

} // namespace intr::cuda
