//===- NormKernels.cu - Normalization, softmax and pooling kernels --------===//
//
// The CUDA kernels of intr.layer_norm, onnx.LayerNormalization,
// onnx.BatchNormalization, onnx.Softmax, intr.max_pool2d and onnx.MaxPool:
// the twins of those in CPU/NNKernels.cpp, with the same operand checks and
// the same results up to rounding.
//
// A row reduction (layer norm, softmax over a contiguous axis) gives each
// row a warp, whose lanes keep the row in registers, or a whole block when
// the row is longer than kWarpRowLimit. Sums accumulate in f32: first per
// thread, then by shuffles. Layer norm takes the mean first and then the
// variance of the centered values, as the CPU does. Softmax over a strided
// axis, batch norm and pooling give each lane or element a thread.
//
// Every row or element is read and written by one thread, and read before
// it is written, so a result may alias its input element for element, as on
// the CPU.
//
//===----------------------------------------------------------------------===//

#include "../CPU/NNSupport.h"
#include "CudaKernel.h"
#include "Float16.cuh"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace intr::cuda {

namespace {

namespace nn = cpu::nn;

constexpr int kWarp = 32;
constexpr unsigned kFullMask = 0xffffffffu;
/// The longest row a warp reduces from registers (32 values per lane).
constexpr int64_t kWarpRowLimit = 32 * kWarp;
/// Threads per block of the warp-per-row kernels (four rows at a time).
constexpr int kRowBlock = 128;
/// Threads per block of the element-wise kernels.
constexpr int kElementBlock = 256;

/// Requires between minIn and maxIn inputs and between minOut and maxOut
/// outputs (nn::checkArity's words, for a KernelCall).
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

/// Checks an epsilon attribute: finite and non-negative.
Status checkEpsilon(const char *kernel, double epsilon) {
  if (!(std::isfinite(epsilon) && epsilon >= 0.0))
    return kernelError(kernel, "epsilon must be non-negative and finite, "
                               "got " +
                                   std::to_string(epsilon));
  return Status::ok();
}

/// `bytes` rounded up to the 256-byte pieces scratch is cut into.
size_t scratchPiece(int64_t bytes) {
  return (static_cast<size_t>(bytes) + 255) / 256 * 256;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

struct SumOp {
  __device__ float operator()(float a, float b) const { return a + b; }
};

/// fmaxf ignores a NaN operand as std::max(maximum, x) does on the CPU.
struct MaxOp {
  __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

/// Combines `value` over the 32 lanes of a warp; every lane gets the result.
/// All lanes must take part.
template <typename Op> __device__ float warpReduce(float value, Op op) {
#pragma unroll
  for (int offset = kWarp / 2; offset > 0; offset /= 2)
    value = op(value, __shfl_xor_sync(kFullMask, value, offset));
  return value;
}

/// Combines `value` over the block; every thread gets the result. All
/// threads must take part, blockDim.x must be a multiple of 32 (at most
/// 1024), and `partials` is the block's shared [32] array.
template <typename Op>
__device__ float blockReduce(float value, Op op, float identity,
                             float *partials) {
  int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  int warps = blockDim.x / kWarp;
  value = warpReduce(value, op);
  // The previous reduction may still be reading the partials.
  __syncthreads();
  if (lane == 0)
    partials[warp] = value;
  __syncthreads();
  // Each warp combines the partials, so no broadcast is needed.
  value = lane < warps ? partials[lane] : identity;
  return warpReduce(value, op);
}

//===----------------------------------------------------------------------===//
// Layer normalization
//===----------------------------------------------------------------------===//

/// Normalizes `rows` rows of D: y = (s - mean) * inv * scale + bias with
/// s = x (+ residual) and inv = 1 / sqrt(var + epsilon). Writes s, the means
/// and the inverse deviations where their pointers are set.
struct NormParams {
  const float *x = nullptr, *residual = nullptr;
  const float *scale = nullptr, *bias = nullptr;
  float *y = nullptr, *sum = nullptr, *mean = nullptr, *invStdDev = nullptr;
  int64_t rows = 0, D = 0;
  double epsilon = 1e-5;
};

/// The row's inverse deviation from its f32 sum of squares, in double like
/// the CPU (one division per row).
__device__ float inverseDeviation(float squares, int64_t D, double epsilon) {
  return static_cast<float>(
      1.0 /
      sqrt(static_cast<double>(squares) / static_cast<double>(D) + epsilon));
}

__device__ void writeRowStats(const NormParams &p, int64_t row, float mean,
                              float inv) {
  if (p.mean)
    p.mean[row] = mean;
  if (p.invStdDev)
    p.invStdDev[row] = inv;
}

/// One warp per row, kPerLane values per lane in registers (D <= 32 *
/// kPerLane). Lane l holds elements l, l + 32, ...: coalesced.
template <int kPerLane> __global__ void layerNormWarpKernel(NormParams p) {
  int lane = threadIdx.x % kWarp;
  int64_t warp = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  int64_t warps = int64_t(gridDim.x) * blockDim.x / kWarp;
  // `row` is the same for the whole warp, so every lane reaches the
  // shuffles.
  for (int64_t row = warp; row < p.rows; row += warps) {
    int64_t base = row * p.D;
    float s[kPerLane];
    float total = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t d = lane + int64_t(i) * kWarp;
      float v = 0.0f;
      if (d < p.D) {
        v = p.x[base + d];
        if (p.residual)
          v += p.residual[base + d];
      }
      s[i] = v;
      total += v;
    }
    total = warpReduce(total, SumOp());
    float mean = static_cast<float>(static_cast<double>(total) /
                                    static_cast<double>(p.D));
    float squares = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t d = lane + int64_t(i) * kWarp;
      if (d < p.D) {
        float centered = s[i] - mean;
        squares += centered * centered;
      }
    }
    squares = warpReduce(squares, SumOp());
    float inv = inverseDeviation(squares, p.D, p.epsilon);
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t d = lane + int64_t(i) * kWarp;
      if (d < p.D) {
        p.y[base + d] =
            (s[i] - mean) * inv * p.scale[d] + (p.bias ? p.bias[d] : 0.0f);
        if (p.sum)
          p.sum[base + d] = s[i];
      }
    }
    if (lane == 0)
      writeRowStats(p, row, mean, inv);
  }
}

/// One block per row, for rows too long for a warp's registers: three
/// passes over the row (mean, variance, output), each element owned by one
/// thread in all of them.
__global__ void layerNormBlockKernel(NormParams p) {
  __shared__ float partials[kWarp];
  for (int64_t row = blockIdx.x; row < p.rows; row += gridDim.x) {
    int64_t base = row * p.D;
    auto element = [&](int64_t d) {
      float v = p.x[base + d];
      return p.residual ? v + p.residual[base + d] : v;
    };
    float total = 0.0f;
    for (int64_t d = threadIdx.x; d < p.D; d += blockDim.x)
      total += element(d);
    total = blockReduce(total, SumOp(), 0.0f, partials);
    float mean = static_cast<float>(static_cast<double>(total) /
                                    static_cast<double>(p.D));
    float squares = 0.0f;
    for (int64_t d = threadIdx.x; d < p.D; d += blockDim.x) {
      float centered = element(d) - mean;
      squares += centered * centered;
    }
    squares = blockReduce(squares, SumOp(), 0.0f, partials);
    float inv = inverseDeviation(squares, p.D, p.epsilon);
    for (int64_t d = threadIdx.x; d < p.D; d += blockDim.x) {
      float s = element(d);
      p.y[base + d] =
          (s - mean) * inv * p.scale[d] + (p.bias ? p.bias[d] : 0.0f);
      if (p.sum)
        p.sum[base + d] = s;
    }
    if (threadIdx.x == 0)
      writeRowStats(p, row, mean, inv);
  }
}

/// The smallest of 1, 2, 4, ..., 32 values per lane that holds a row of n.
int valuesPerLane(int64_t n) {
  int perLane = 1;
  while (int64_t(perLane) * kWarp < n)
    perLane *= 2;
  return perLane;
}

Status launchLayerNorm(const char *kernel, const NormParams &p,
                       Context &context) {
  if (p.rows == 0)
    return Status::ok();
  if (p.D > kWarpRowLimit) {
    int threads = p.D > 4096 ? 1024 : 256;
    layerNormBlockKernel<<<gridFor(p.rows * threads, context, threads), threads,
                           0, context.stream>>>(p);
    return checkLaunch(kernel);
  }
  unsigned blocks = gridFor(p.rows * kWarp, context, kRowBlock);
  cudaStream_t stream = context.stream;
  switch (valuesPerLane(p.D)) {
  case 1:
    layerNormWarpKernel<1><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  case 2:
    layerNormWarpKernel<2><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  case 4:
    layerNormWarpKernel<4><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  case 8:
    layerNormWarpKernel<8><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  case 16:
    layerNormWarpKernel<16><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  default:
    layerNormWarpKernel<32><<<blocks, kRowBlock, 0, stream>>>(p);
    break;
  }
  return checkLaunch(kernel);
}

/// intr.layer_norm: input [..., D], scale [D], bias [D], optional residual
/// (input's shape); epsilon. Results output and the optional sum.
Status layerNorm(const KernelCall &call) {
  const char *kernel = "intr.layer_norm";
  if (Status s = checkArity(kernel, call, 3, 4, 1, 2); !s)
    return s;
  const TensorArg &input = call.inputs[0];
  const TensorArg *residual = nn::optionalArg(call.inputs, 3);
  const TensorArg *sum = nn::optionalArg(call.outputs, 1);
  double epsilon = call.attrs.getFloat("epsilon", 1e-5);
  if (Status s = nn::checkTensor(kernel, input, "input"); !s)
    return s;
  if (input.rank() < 1 || input.shape.back() == 0)
    return kernelError(kernel, "input must be [..., D] with D > 0, got " +
                                   formatShape(input.shape));
  int64_t D = input.shape.back();
  if (Status s = nn::checkShape(kernel, call.inputs[1], "scale", {D}); !s)
    return s;
  if (Status s = nn::checkShape(kernel, call.inputs[2], "bias", {D}); !s)
    return s;
  if (residual) {
    if (Status s = nn::checkShape(kernel, *residual, "residual", input.shape);
        !s)
      return s;
  }
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s;
  if (Status s = nn::checkShape(kernel, call.outputs[0], "output", input.shape);
      !s)
    return s;
  if (sum) {
    if (Status s = nn::checkShape(kernel, *sum, "sum", input.shape); !s)
      return s;
  }
  NormParams p;
  p.x = input.as<float>();
  p.residual = residual ? residual->as<float>() : nullptr;
  p.scale = call.inputs[1].as<float>();
  p.bias = call.inputs[2].as<float>();
  p.y = call.outputs[0].as<float>();
  p.sum = sum ? sum->as<float>() : nullptr;
  p.rows = input.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  return launchLayerNorm(kernel, p, call.context);
}

/// Whether `shape` broadcasts to `target` one way (numpy rules, `shape`
/// right-aligned, extra leading sizes of `shape` all 1), as on the CPU.
bool broadcastsTo(const std::vector<int64_t> &shape,
                  const std::vector<int64_t> &target) {
  size_t extra =
      shape.size() > target.size() ? shape.size() - target.size() : 0;
  for (size_t i = 0; i < extra; ++i)
    if (shape[i] != 1)
      return false;
  for (size_t i = extra; i < shape.size(); ++i) {
    int64_t t = target[target.size() - (shape.size() - i)];
    if (shape[i] != 1 && shape[i] != t)
      return false;
  }
  return true;
}

/// A broadcast read of a source into a dense target: per target dimension
/// its size and the source's stride (0 where the source broadcasts), with
/// size-1 dimensions dropped and contiguous runs merged.
constexpr int kMaxBroadcastDims = 8;
struct BroadcastMap {
  int rank = 0;
  int64_t sizes[kMaxBroadcastDims] = {};
  int64_t strides[kMaxBroadcastDims] = {};
};

/// The map of `source` (checked with broadcastsTo) onto `target`; false when
/// it needs more than kMaxBroadcastDims dimensions after merging.
bool broadcastMap(const std::vector<int64_t> &source,
                  const std::vector<int64_t> &target, BroadcastMap &map) {
  size_t rank = target.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < std::min(rank, source.size()); ++i) {
    int64_t size = source[source.size() - 1 - i];
    strides[rank - 1 - i] = size == 1 ? 0 : stride;
    stride *= size;
  }
  std::vector<std::pair<int64_t, int64_t>> dims; // (size, stride)
  for (size_t d = 0; d < rank; ++d) {
    if (target[d] == 1)
      continue;
    // d joins the dimension outside it when that one's stride is d's run
    // (d's stride times its size): one run of the source either way.
    if (!dims.empty() && dims.back().second == strides[d] * target[d]) {
      dims.back().first *= target[d];
      dims.back().second = strides[d];
      continue;
    }
    dims.emplace_back(target[d], strides[d]);
  }
  if (dims.size() > kMaxBroadcastDims)
    return false;
  map.rank = static_cast<int>(dims.size());
  for (int d = 0; d < map.rank; ++d) {
    map.sizes[d] = dims[d].first;
    map.strides[d] = dims[d].second;
  }
  return true;
}

/// dest[e] = source at the broadcast position of target element e.
__global__ void broadcastKernel(const float *source, float *dest, int64_t count,
                                BroadcastMap map) {
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < count;
       e += int64_t(gridDim.x) * blockDim.x) {
    int64_t rest = e, offset = 0;
    for (int d = map.rank - 1; d >= 0; --d) {
      offset += (rest % map.sizes[d]) * map.strides[d];
      rest /= map.sizes[d];
    }
    dest[e] = source[offset];
  }
}

/// onnx.LayerNormalization (opset 17): X, Scale, optional B; axis, epsilon.
/// Results Y and the optional Mean and InvStdDev (f32).
Status onnxLayerNorm(const KernelCall &call) {
  const char *kernel = "onnx.LayerNormalization";
  if (Status s = checkArity(kernel, call, 2, 3, 1, 3); !s)
    return s;
  const TensorArg &X = call.inputs[0], &scale = call.inputs[1];
  const TensorArg *bias = nn::optionalArg(call.inputs, 2);
  double epsilon = call.attrs.getFloat("epsilon", 1e-5);
  if (Status s = nn::checkTensor(kernel, X, "X"); !s)
    return s;
  int64_t rank = X.rank(), axis = call.attrs.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return kernelError(kernel, "axis " + std::to_string(axis) +
                                   " is out of range for X " +
                                   formatShape(X.shape));
  if (axis < 0)
    axis += rank;
  std::vector<int64_t> inner(X.shape.begin() + axis, X.shape.end());
  std::vector<int64_t> statsShape(X.shape.begin(), X.shape.begin() + axis);
  statsShape.resize(rank, 1);
  int64_t D = elementCount(inner);
  if (D == 0)
    return kernelError(kernel,
                       "the normalized size is 0 in X " + formatShape(X.shape));
  // Scale and B must not vary along the leading (row) dimensions.
  for (auto [tensor, name] :
       {std::pair{&scale, "Scale"}, std::pair{bias, "B"}}) {
    if (!tensor)
      continue;
    if (Status s = nn::checkTensor(kernel, *tensor, name); !s)
      return s;
    if (!broadcastsTo(tensor->shape, inner))
      return kernelError(kernel, std::string(name) + " " +
                                     formatShape(tensor->shape) +
                                     " does not broadcast to the normalized "
                                     "dimensions " +
                                     formatShape(inner));
  }
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s;
  if (Status s = nn::checkShape(kernel, call.outputs[0], "Y", X.shape); !s)
    return s;
  const TensorArg *mean = nn::optionalArg(call.outputs, 1);
  const TensorArg *invStdDev = nn::optionalArg(call.outputs, 2);
  if (mean) {
    if (Status s = nn::checkShape(kernel, *mean, "Mean", statsShape); !s)
      return s;
  }
  if (invStdDev) {
    if (Status s = nn::checkShape(kernel, *invStdDev, "InvStdDev", statsShape);
        !s)
      return s;
  }
  // An empty X's D need not be bounded by any buffer.
  if (X.numElements() == 0)
    return Status::ok();

  // Scale and B as dense [D] vectors: as they are when they have D elements
  // (then nothing broadcasts), else expanded into scratch.
  const TensorArg *operands[2] = {&scale, bias};
  BroadcastMap maps[2];
  bool expand[2] = {false, false};
  size_t bytes = 0;
  for (int i = 0; i < 2; ++i) {
    if (!operands[i] || operands[i]->numElements() == D)
      continue;
    if (!broadcastMap(operands[i]->shape, inner, maps[i]))
      return kernelError(kernel, std::string(i == 0 ? "Scale" : "B") + " " +
                                     formatShape(operands[i]->shape) +
                                     " broadcasts to " + formatShape(inner) +
                                     " in more than " +
                                     std::to_string(kMaxBroadcastDims) +
                                     " runs of dimensions");
    expand[i] = true;
    bytes += scratchPiece(D * int64_t(sizeof(float)));
  }
  const float *dense[2] = {scale.as<float>(),
                           bias ? bias->as<float>() : nullptr};
  if (bytes != 0) {
    Expected<void *> memory = call.context.scratch(bytes);
    if (!memory)
      return memory.error();
    auto *piece = static_cast<char *>(*memory);
    for (int i = 0; i < 2; ++i) {
      if (!expand[i])
        continue;
      auto *target = reinterpret_cast<float *>(piece);
      piece += scratchPiece(D * int64_t(sizeof(float)));
      broadcastKernel<<<gridFor(D, call.context, kElementBlock), kElementBlock,
                        0, call.context.stream>>>(operands[i]->as<float>(),
                                                  target, D, maps[i]);
      if (Status s = checkLaunch(kernel); !s)
        return s;
      dense[i] = target;
    }
  }

  NormParams p;
  p.x = X.as<float>();
  p.scale = dense[0];
  p.bias = dense[1];
  p.y = call.outputs[0].as<float>();
  p.mean = mean ? mean->as<float>() : nullptr;
  p.invStdDev = invStdDev ? invStdDev->as<float>() : nullptr;
  p.rows = X.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  return launchLayerNorm(kernel, p, call.context);
}

//===----------------------------------------------------------------------===//
// Batch normalization
//===----------------------------------------------------------------------===//

/// a[c] = scale[c] / sqrt(var[c] + epsilon), b[c] = shift[c] - mean[c] *
/// a[c], folded in double like the CPU.
__global__ void foldBatchNormKernel(const float *scale, const float *shift,
                                    const float *mean, const float *var,
                                    double epsilon, int64_t C, float *a,
                                    float *b) {
  for (int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; c < C;
       c += int64_t(gridDim.x) * blockDim.x) {
    double factor = scale[c] / sqrt(static_cast<double>(var[c]) + epsilon);
    a[c] = static_cast<float>(factor);
    b[c] = static_cast<float>(shift[c] - mean[c] * factor);
  }
}

/// y = x * a[c] + b[c] over [N, C, size].
__global__ void batchNormKernel(const float *x, const float *a, const float *b,
                                float *y, int64_t count, int64_t C,
                                int64_t size) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t c = (i / size) % C;
    y[i] = x[i] * a[c] + b[c];
  }
}

/// onnx.BatchNormalization, inference form: X [N, C, ...], scale, B,
/// input_mean, input_var [C]; epsilon. The optional outputs running_mean and
/// running_var, which inference leaves unchanged, get the input statistics.
Status onnxBatchNorm(const KernelCall &call) {
  const char *kernel = "onnx.BatchNormalization";
  if (Status s = checkArity(kernel, call, 5, 5, 1, 3); !s)
    return s;
  const TensorArg &X = call.inputs[0];
  double epsilon = call.attrs.getFloat("epsilon", 1e-5);
  if (call.attrs.getInt("training_mode", 0) != 0)
    return kernelError(kernel, "training_mode is not supported");
  if (Status s = nn::checkTensor(kernel, X, "X"); !s)
    return s;
  if (X.rank() < 2)
    return kernelError(kernel,
                       "X must be [N, C, ...], got " + formatShape(X.shape));
  int64_t C = X.shape[1];
  const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  for (int i = 1; i < 5; ++i)
    if (Status s = nn::checkShape(kernel, call.inputs[i], names[i], {C}); !s)
      return s;
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s;
  if (Status s = nn::checkShape(kernel, call.outputs[0], "Y", X.shape); !s)
    return s;
  const char *statNames[] = {"Y", "running_mean", "running_var"};
  for (size_t i = 1; i < call.outputs.size(); ++i)
    if (const TensorArg *stat = nn::optionalArg(call.outputs, i))
      if (Status s = nn::checkShape(kernel, *stat, statNames[i], {C}); !s)
        return s;
  if (C == 0)
    return Status::ok();

  cudaStream_t stream = call.context.stream;
  for (size_t i = 1; i < call.outputs.size(); ++i) {
    const TensorArg *stat = nn::optionalArg(call.outputs, i);
    const TensorArg &source = call.inputs[i + 2];
    if (!stat || stat->data == source.data)
      continue;
    if (Status s =
            check(cudaMemcpyAsync(stat->data, source.data, C * sizeof(float),
                                  cudaMemcpyDeviceToDevice, stream),
                  std::string(kernel) + ": copying " + statNames[i]);
        !s)
      return s;
  }
  int64_t count = X.numElements();
  if (count == 0)
    return Status::ok();

  size_t piece = scratchPiece(C * int64_t(sizeof(float)));
  Expected<void *> memory = call.context.scratch(2 * piece);
  if (!memory)
    return memory.error();
  auto *a = static_cast<float *>(*memory);
  auto *b = reinterpret_cast<float *>(static_cast<char *>(*memory) + piece);
  foldBatchNormKernel<<<gridFor(C, call.context, kElementBlock), kElementBlock,
                        0, stream>>>(
      call.inputs[1].as<float>(), call.inputs[2].as<float>(),
      call.inputs[3].as<float>(), call.inputs[4].as<float>(), epsilon, C, a, b);
  if (Status s = checkLaunch(kernel); !s)
    return s;
  int64_t size = count / (X.shape[0] * C);
  batchNormKernel<<<gridFor(count, call.context, kElementBlock), kElementBlock,
                    0, stream>>>(X.as<float>(), a, b,
                                 call.outputs[0].as<float>(), count, C, size);
  return checkLaunch(kernel);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

// An all -inf row has no softmax: its maximum is -inf, exp(-inf - -inf) is
// NaN and so is the whole row, as on the CPU. A NaN in a row makes the row
// NaN through the sum.

/// Softmax of contiguous rows of n <= 32 * kPerLane, one warp per row.
template <int kPerLane>
__global__ void softmaxWarpKernel(const float *x, float *y, int64_t rows,
                                  int64_t n) {
  int lane = threadIdx.x % kWarp;
  int64_t warp = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  int64_t warps = int64_t(gridDim.x) * blockDim.x / kWarp;
  for (int64_t row = warp; row < rows; row += warps) {
    int64_t base = row * n;
    float v[kPerLane];
    float maximum = -INFINITY;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t k = lane + int64_t(i) * kWarp;
      v[i] = k < n ? x[base + k] : -INFINITY;
      maximum = fmaxf(maximum, v[i]);
    }
    maximum = warpReduce(maximum, MaxOp());
    float sum = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t k = lane + int64_t(i) * kWarp;
      if (k < n) {
        v[i] = expf(v[i] - maximum);
        sum += v[i];
      }
    }
    float inverse = 1.0f / warpReduce(sum, SumOp());
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      int64_t k = lane + int64_t(i) * kWarp;
      if (k < n)
        y[base + k] = v[i] * inverse;
    }
  }
}

/// Softmax of long contiguous rows, one block per row: maximum, sum of
/// exponentials, then the exponentials again, scaled.
__global__ void softmaxBlockKernel(const float *x, float *y, int64_t rows,
                                   int64_t n) {
  __shared__ float partials[kWarp];
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    int64_t base = row * n;
    float maximum = -INFINITY;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x)
      maximum = fmaxf(maximum, x[base + k]);
    maximum = blockReduce(maximum, MaxOp(), -INFINITY, partials);
    float sum = 0.0f;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x)
      sum += expf(x[base + k] - maximum);
    float inverse = 1.0f / blockReduce(sum, SumOp(), 0.0f, partials);
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x)
      y[base + k] = expf(x[base + k] - maximum) * inverse;
  }
}

/// Softmax along a strided axis: lane (o, i) of `lanes` holds elements
/// (o * n + k) * inner + i; one thread per lane, neighbours coalesced.
__global__ void softmaxStridedKernel(const float *x, float *y, int64_t lanes,
                                     int64_t n, int64_t inner) {
  for (int64_t lane = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       lane < lanes; lane += int64_t(gridDim.x) * blockDim.x) {
    int64_t base = (lane / inner) * n * inner + lane % inner;
    float maximum = -INFINITY;
    for (int64_t k = 0; k < n; ++k)
      maximum = fmaxf(maximum, x[base + k * inner]);
    float sum = 0.0f;
    for (int64_t k = 0; k < n; ++k)
      sum += expf(x[base + k * inner] - maximum);
    float inverse = 1.0f / sum;
    for (int64_t k = 0; k < n; ++k)
      y[base + k * inner] = expf(x[base + k * inner] - maximum) * inverse;
  }
}

/// onnx.Softmax (opset 13): softmax along `axis`, the maximum subtracted.
Status onnxSoftmax(const KernelCall &call) {
  const char *kernel = "onnx.Softmax";
  if (Status s = checkArity(kernel, call, 1, 1, 1, 1); !s)
    return s;
  const TensorArg &input = call.inputs[0];
  if (Status s = nn::checkTensor(kernel, input, "input"); !s)
    return s;
  int64_t rank = input.rank(), axis = call.attrs.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return kernelError(kernel, "axis " + std::to_string(axis) +
                                   " is out of range for input " +
                                   formatShape(input.shape));
  if (axis < 0)
    axis += rank;
  if (Status s = nn::checkShape(kernel, call.outputs[0], "output", input.shape);
      !s)
    return s;
  if (input.numElements() == 0)
    return Status::ok();
  int64_t n = input.shape[axis], inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= input.shape[d];
  int64_t lanes = input.numElements() / n;
  const float *x = input.as<float>();
  float *y = call.outputs[0].as<float>();
  Context &context = call.context;
  cudaStream_t stream = context.stream;

  if (inner != 1) {
    softmaxStridedKernel<<<gridFor(lanes, context, kElementBlock),
                           kElementBlock, 0, stream>>>(x, y, lanes, n, inner);
    return checkLaunch(kernel);
  }
  if (n > kWarpRowLimit) {
    int threads = n > 4096 ? 1024 : 256;
    softmaxBlockKernel<<<gridFor(lanes * threads, context, threads), threads, 0,
                         stream>>>(x, y, lanes, n);
    return checkLaunch(kernel);
  }
  unsigned blocks = gridFor(lanes * kWarp, context, kRowBlock);
  switch (valuesPerLane(n)) {
  case 1:
    softmaxWarpKernel<1><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  case 2:
    softmaxWarpKernel<2><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  case 4:
    softmaxWarpKernel<4><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  case 8:
    softmaxWarpKernel<8><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  case 16:
    softmaxWarpKernel<16><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  default:
    softmaxWarpKernel<32><<<blocks, kRowBlock, 0, stream>>>(x, y, lanes, n);
    break;
  }
  return checkLaunch(kernel);
}

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

/// One NCHW pooling problem, passed to the device by value.
struct Window {
  int64_t N = 0, C = 0, H = 0, W = 0;
  /// Images [N, H, W, C] rather than [N, C, H, W] (intr.max_pool2d's
  /// channels_last).
  bool channelsLast = false;
  int64_t kh = 1, kw = 1;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  int64_t Ho = 0, Wo = 0;
};

/// The number of windows along one axis: floor(reach / stride) + 1, or with
/// ceilMode ceil(reach / stride) + 1 less a last window that would start in
/// the end padding (PyTorch's rule); 0 when no window fits. The operands
/// are bounded by kMaxWindowAttr, so nothing overflows.
int64_t windowCount(int64_t size, int64_t kernel, int64_t stride,
                    int64_t dilation, int64_t padBefore, int64_t padAfter,
                    bool ceilMode) {
  int64_t reach = size + padBefore + padAfter - dilation * (kernel - 1) - 1;
  if (reach < 0)
    return 0;
  int64_t steps = reach / stride;
  if (ceilMode) {
    if (reach % stride != 0)
      ++steps;
    if (steps * stride >= size + padBefore)
      --steps;
  }
  return steps + 1;
}

/// Checks input [N, C, H, W] and the kernel size, and fills them in.
Status checkPoolInput(const char *kernel, const TensorArg &input,
                      const std::vector<int64_t> &kernelShape, Window &w,
                      DType dtype = DType::F32) {
  if (Status s = nn::checkTensor(kernel, input, "input", dtype); !s)
    return s;
  const bool last = w.channelsLast;
  if (input.rank() != 4)
    return kernelError(kernel, std::string("only 2-D pooling (input ") +
                                   (last ? "[N, H, W, C]" : "[N, C, H, W]") +
                                   ") is supported, got " +
                                   formatShape(input.shape));
  w.N = input.shape[0], w.C = input.shape[last ? 3 : 1];
  w.H = input.shape[last ? 1 : 2], w.W = input.shape[last ? 2 : 3];
  if (w.H > nn::kMaxWindowAttr || w.W > nn::kMaxWindowAttr)
    return kernelError(kernel, "input H and W are too large in " +
                                   formatShape(input.shape));
  if (Status s = nn::checkWindowAttr(kernel, kernelShape, "kernel", 2, 1); !s)
    return s;
  w.kh = kernelShape[0], w.kw = kernelShape[1];
  return Status::ok();
}

/// Fills the window's attributes from lists already checked for length and
/// range and computes Ho and Wo.
Status setWindow(const char *kernel, Window &w,
                 const std::vector<int64_t> &strides,
                 const std::vector<int64_t> &dilations,
                 const std::vector<int64_t> &pads, bool ceilMode) {
  w.sh = strides[0], w.sw = strides[1];
  w.dh = dilations[0], w.dw = dilations[1];
  w.top = pads[0], w.left = pads[1], w.bottom = pads[2], w.right = pads[3];
  w.Ho = windowCount(w.H, w.kh, w.sh, w.dh, w.top, w.bottom, ceilMode);
  w.Wo = windowCount(w.W, w.kw, w.sw, w.dw, w.left, w.right, ceilMode);
  if (w.Ho <= 0 || w.Wo <= 0)
    return kernelError(kernel, "no window of " + std::to_string(w.kh) + "x" +
                                   std::to_string(w.kw) + " fits the input " +
                                   std::to_string(w.H) + "x" +
                                   std::to_string(w.W) + " with its padding");
  return Status::ok();
}

/// ONNX's pads for `auto_pad` (NOTSET: the `pads` attribute, default zeros).
/// The window's H, W, kh, kw must be set, and strides and dilations checked.
Status onnxPads(const char *kernel, const AttrMap &attrs, const Window &w,
                const std::vector<int64_t> &strides,
                const std::vector<int64_t> &dilations,
                std::vector<int64_t> &pads) {
  std::string autoPad = attrs.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    pads = attrs.getInts("pads", {0, 0, 0, 0});
    return nn::checkWindowAttr(kernel, pads, "pads", 4, 0);
  }
  pads = {0, 0, 0, 0};
  if (autoPad == "VALID")
    return Status::ok();
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return kernelError(kernel, "unknown auto_pad \"" + autoPad + "\"");
  // SAME: ceil(size / stride) outputs; the odd padding goes to the end for
  // SAME_UPPER, to the beginning for SAME_LOWER.
  const int64_t sizes[2] = {w.H, w.W}, kernels[2] = {w.kh, w.kw};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t out = (sizes[axis] + strides[axis] - 1) / strides[axis];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[axis] + (kernels[axis] - 1) * dilations[axis] +
               1 - sizes[axis]);
    int64_t small = total / 2, large = total - small;
    bool upper = autoPad == "SAME_UPPER";
    pads[axis] = upper ? small : large;
    pads[axis + 2] = upper ? large : small;
  }
  return Status::ok();
}

/// The taps [first, end) of a window starting at `start` (kernel taps
/// `kernel`, spaced `dilation`) that fall inside [0, size).
__device__ void validTaps(int64_t start, int64_t kernel, int64_t dilation,
                          int64_t size, int64_t &first, int64_t &end) {
  first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  int64_t last = size - 1 - start;
  end = last < 0 ? 0 : min(kernel, last / dilation + 1);
  end = max(first, end);
}

/// out = the maximum of each window, padding never winning and NaN
/// propagating; with kIndices also the flat index of the first maximum
/// (-1 for a window entirely in the padding), row- or column-major within
/// the image. One thread per output element; T is the storage type (f32,
/// or f16 or bf16 for intr.max_pool2d), the maximum is one of its values.
/// Channels last (no indices then), element (y, x) of channel c of image n
/// is at ((n·H + y)·W + x)·C + c, and threads run along the channels.
template <typename T, bool kIndices>
__global__ void maxPoolKernel(const T *in, T *out, int64_t *indices, Window w,
                              bool columnMajor) {
  int64_t count = w.N * w.C * w.Ho * w.Wo;
  for (int64_t o = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; o < count;
       o += int64_t(gridDim.x) * blockDim.x) {
    // plane = n·C + c; the image's element (iy, ix) is at
    // base + (iy·W + ix)·step.
    int64_t x, y, plane, base, step;
    if (w.channelsLast) {
      int64_t c = o % w.C, rest = o / w.C;
      x = rest % w.Wo, rest /= w.Wo;
      y = rest % w.Ho;
      int64_t n = rest / w.Ho;
      plane = n * w.C + c;
      base = n * w.H * w.W * w.C + c;
      step = w.C;
    } else {
      int64_t rest = o / w.Wo;
      x = o % w.Wo, y = rest % w.Ho, plane = rest / w.Ho;
      base = plane * w.H * w.W;
      step = 1;
    }
    int64_t top = y * w.sh - w.top, left = x * w.sw - w.left;
    int64_t i0, i1, j0, j1;
    validTaps(top, w.kh, w.dh, w.H, i0, i1);
    validTaps(left, w.kw, w.dw, w.W, j0, j1);
    const T *image = in + base;
    float best = -INFINITY;
    int64_t bestIy = -1, bestIx = -1;
    for (int64_t i = i0; i < i1; ++i) {
      int64_t iy = top + i * w.dh;
      const T *row = image + iy * w.W * step;
      for (int64_t j = j0; j < j1; ++j) {
        int64_t ix = left + j * w.dw;
        float v = load(row[ix * step]);
        if (kIndices) {
          // The first maximum; the first NaN beats any number.
          if (bestIy < 0 || v > best || (isnan(v) && !isnan(best))) {
            best = v;
            bestIy = iy, bestIx = ix;
          }
        } else if (v > best || isnan(v)) {
          best = v;
        }
      }
    }
    out[o] = store<T>(best);
    if (kIndices)
      indices[o] = bestIy < 0 ? -1
                              : plane * w.H * w.W +
                                    (columnMajor ? bestIx * w.H + bestIy
                                                 : bestIy * w.W + bestIx);
  }
}

template <typename T>
Status launchMaxPool(const char *kernel, const Window &w, const T *in, T *out,
                     int64_t *indices, bool columnMajor, Context &context) {
  int64_t count = w.N * w.C * w.Ho * w.Wo;
  if (count == 0)
    return Status::ok();
  unsigned blocks = gridFor(count, context, kElementBlock);
  if (indices)
    maxPoolKernel<T, true><<<blocks, kElementBlock, 0, context.stream>>>(
        in, out, indices, w, columnMajor);
  else
    maxPoolKernel<T, false><<<blocks, kElementBlock, 0, context.stream>>>(
        in, out, nullptr, w, columnMajor);
  return checkLaunch(kernel);
}

/// intr.max_pool2d: input (f32, or f16 or bf16 in fp16 and bf16 plans);
/// kernel, strides, padding, ceil_mode, channels_last.
Status maxPool2d(const KernelCall &call) {
  const char *kernel = "intr.max_pool2d";
  if (Status s = checkArity(kernel, call, 1, 1, 1, 1); !s)
    return s;
  Window w;
  std::vector<int64_t> kernelShape = call.attrs.getInts("kernel");
  std::vector<int64_t> strides = call.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> padding = call.attrs.getInts("padding", {0, 0, 0, 0});
  DType dtype = call.inputs[0].dtype;
  if (dtype != DType::F16 && dtype != DType::BF16)
    dtype = DType::F32;
  w.channelsLast = call.attrs.getInt("channels_last", 0) != 0;
  if (Status s =
          checkPoolInput(kernel, call.inputs[0], kernelShape, w, dtype);
      !s)
    return s;
  if (Status s = nn::checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = nn::checkWindowAttr(kernel, padding, "padding", 4, 0); !s)
    return s;
  // Every window must see an element of the input.
  if (padding[0] >= w.kh || padding[2] >= w.kh || padding[1] >= w.kw ||
      padding[3] >= w.kw)
    return kernelError(kernel, "padding " + formatShape(padding) +
                                   " must be smaller than kernel " +
                                   formatShape(kernelShape));
  if (Status s = setWindow(kernel, w, strides, {1, 1}, padding,
                           call.attrs.getInt("ceil_mode", 0) != 0);
      !s)
    return s;
  const TensorArg &output = call.outputs[0];
  if (Status s = nn::checkShape(
          kernel, output, "output",
          w.channelsLast ? std::vector<int64_t>{w.N, w.Ho, w.Wo, w.C}
                         : std::vector<int64_t>{w.N, w.C, w.Ho, w.Wo},
          dtype);
      !s)
    return s;
  return visitFloatStorage(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return launchMaxPool(kernel, w, call.inputs[0].as<const T>(),
                         output.as<T>(), nullptr, false, call.context);
  });
}

/// onnx.MaxPool: X; auto_pad, ceil_mode, dilations, kernel_shape, pads,
/// storage_order, strides. Results Y and the optional Indices (i64).
Status onnxMaxPool(const KernelCall &call) {
  const char *kernel = "onnx.MaxPool";
  if (Status s = checkArity(kernel, call, 1, 1, 1, 2); !s)
    return s;
  Window w;
  std::vector<int64_t> kernelShape = call.attrs.getInts("kernel_shape");
  std::vector<int64_t> strides = call.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = call.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> pads;
  int64_t ceilMode = call.attrs.getInt("ceil_mode", 0);
  int64_t storageOrder = call.attrs.getInt("storage_order", 0);
  if (Status s = checkPoolInput(kernel, call.inputs[0], kernelShape, w); !s)
    return s;
  if (Status s = nn::checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = nn::checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s;
  if (ceilMode != 0 && ceilMode != 1)
    return kernelError(kernel, "ceil_mode must be 0 or 1");
  if (storageOrder != 0 && storageOrder != 1)
    return kernelError(kernel, "storage_order must be 0 or 1");
  if (Status s = onnxPads(kernel, call.attrs, w, strides, dilations, pads); !s)
    return s;
  if (Status s = setWindow(kernel, w, strides, dilations, pads, ceilMode != 0);
      !s)
    return s;
  std::vector<int64_t> shape = {w.N, w.C, w.Ho, w.Wo};
  if (Status s = nn::checkShape(kernel, call.outputs[0], "Y", shape); !s)
    return s;
  const TensorArg *indices = nn::optionalArg(call.outputs, 1);
  if (indices) {
    if (Status s =
            nn::checkShape(kernel, *indices, "Indices", shape, DType::I64);
        !s)
      return s;
  }
  return launchMaxPool(kernel, w, call.inputs[0].as<const float>(),
                       call.outputs[0].as<float>(),
                       indices ? indices->as<int64_t>() : nullptr,
                       storageOrder == 1, call.context);
}

} // namespace

void registerNormKernels(KernelRegistry &registry) {
  registry.add("intr.layer_norm", layerNorm);
  registry.add("onnx.LayerNormalization", onnxLayerNorm);
  registry.add("onnx.BatchNormalization", onnxBatchNorm);
  registry.add("onnx.Softmax", onnxSoftmax);
  registry.add("intr.max_pool2d", maxPool2d);
  registry.add("onnx.MaxPool", onnxMaxPool);
}

} // namespace intr::cuda
