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
#include "Launch.cuh"

#include <algorithm>
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

/// The rows to normalize, as the CPU's: passed to the device by value.
using NormParams = nn::NormRows;

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
  awaitPredecessors();
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
        float y =
            (s[i] - mean) * inv * p.scale[d] + (p.bias ? p.bias[d] : 0.0f);
        // The addend is read before y is written: they may alias.
        if (p.shifted)
          p.shifted[base + d] = y + p.addend[base + d];
        p.y[base + d] = y;
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
  awaitPredecessors();
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
      float y = (s - mean) * inv * p.scale[d] + (p.bias ? p.bias[d] : 0.0f);
      if (p.shifted)
        p.shifted[base + d] = y + p.addend[base + d];
      p.y[base + d] = y;
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
    launch(context, layerNormBlockKernel,
           gridFor(p.rows * threads, context, threads), threads, 0, p);
    return checkLaunch(kernel);
  }
  unsigned blocks = gridFor(p.rows * kWarp, context, kRowBlock);
  switch (valuesPerLane(p.D)) {
  case 1:
    launch(context, layerNormWarpKernel<1>, blocks, kRowBlock, 0, p);
    break;
  case 2:
    launch(context, layerNormWarpKernel<2>, blocks, kRowBlock, 0, p);
    break;
  case 4:
    launch(context, layerNormWarpKernel<4>, blocks, kRowBlock, 0, p);
    break;
  case 8:
    launch(context, layerNormWarpKernel<8>, blocks, kRowBlock, 0, p);
    break;
  case 16:
    launch(context, layerNormWarpKernel<16>, blocks, kRowBlock, 0, p);
    break;
  default:
    launch(context, layerNormWarpKernel<32>, blocks, kRowBlock, 0, p);
    break;
  }
  return checkLaunch(kernel);
}

/// intr.layer_norm: input [..., D], scale [D], bias [D], optional residual
/// and addend (input's shape); epsilon. Results output, the optional sum
/// and, with the addend, shifted (output + addend).
Status layerNorm(const KernelCall &call) {
  const char *kernel = "intr.layer_norm";
  Expected<NormParams> p = nn::checkLayerNorm(kernel, call.cpuArgs());
  if (!p)
    return p.error();
  return launchLayerNorm(kernel, *p, call.context);
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

/// The map of `source` (as checkOnnxLayerNorm checked it) onto `target`;
/// false when it needs more than kMaxBroadcastDims dimensions after merging.
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
  awaitPredecessors();
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
  Expected<nn::OnnxLayerNorm> n =
      nn::checkOnnxLayerNorm(kernel, call.cpuArgs());
  if (!n)
    return n.error();
  const TensorArg &X = call.inputs[0], &scale = *n->scale;
  const TensorArg *bias = n->bias;
  const std::vector<int64_t> &inner = n->inner;
  int64_t D = n->rows.D;
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
      launch(call.context, broadcastKernel,
             gridFor(D, call.context, kElementBlock), kElementBlock, 0,
             operands[i]->as<float>(), target, D, maps[i]);
      if (Status s = checkLaunch(kernel); !s)
        return s;
      dense[i] = target;
    }
  }

  NormParams p = n->rows;
  p.scale = dense[0];
  p.bias = dense[1];
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
  awaitPredecessors();
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
  awaitPredecessors();
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
  Expected<double> epsilon = nn::checkBatchNorm(kernel, call.cpuArgs());
  if (!epsilon)
    return epsilon.error();
  const TensorArg &X = call.inputs[0];
  int64_t C = X.shape[1];
  const char *statNames[] = {"Y", "running_mean", "running_var"};
  if (C == 0)
    return Status::ok();

  cudaStream_t stream = call.context.stream;
  for (size_t i = 1; i < call.outputs.size(); ++i) {
    const TensorArg *stat = cpu::optionalArg(call.outputs, i);
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
  launch(call.context, foldBatchNormKernel,
         gridFor(C, call.context, kElementBlock), kElementBlock, 0,
         call.inputs[1].as<float>(), call.inputs[2].as<float>(),
         call.inputs[3].as<float>(), call.inputs[4].as<float>(), *epsilon, C, a,
         b);
  if (Status s = checkLaunch(kernel); !s)
    return s;
  int64_t size = count / (X.shape[0] * C);
  launch(call.context, batchNormKernel,
         gridFor(count, call.context, kElementBlock), kElementBlock, 0,
         X.as<float>(), a, b, call.outputs[0].as<float>(), count, C, size);
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
  awaitPredecessors();
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
  awaitPredecessors();
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
  awaitPredecessors();
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
  Expected<nn::SoftmaxLanes> l = nn::checkSoftmax(kernel, call.cpuArgs());
  if (!l)
    return l.error();
  const TensorArg &input = call.inputs[0];
  if (input.numElements() == 0)
    return Status::ok();
  int64_t n = l->n, inner = l->inner, lanes = l->lanes;
  const float *x = input.as<float>();
  float *y = call.outputs[0].as<float>();
  Context &context = call.context;

  if (inner != 1) {
    launch(context, softmaxStridedKernel,
           gridFor(lanes, context, kElementBlock), kElementBlock, 0, x, y,
           lanes, n, inner);
    return checkLaunch(kernel);
  }
  if (n > kWarpRowLimit) {
    int threads = n > 4096 ? 1024 : 256;
    launch(context, softmaxBlockKernel,
           gridFor(lanes * threads, context, threads), threads, 0, x, y, lanes,
           n);
    return checkLaunch(kernel);
  }
  unsigned blocks = gridFor(lanes * kWarp, context, kRowBlock);
  switch (valuesPerLane(n)) {
  case 1:
    launch(context, softmaxWarpKernel<1>, blocks, kRowBlock, 0, x, y, lanes, n);
    break;
  case 2:
    launch(context, softmaxWarpKernel<2>, blocks, kRowBlock, 0, x, y, lanes, n);
    break;
  case 4:
    launch(context, softmaxWarpKernel<4>, blocks, kRowBlock, 0, x, y, lanes, n);
    break;
  case 8:
    launch(context, softmaxWarpKernel<8>, blocks, kRowBlock, 0, x, y, lanes, n);
    break;
  case 16:
    launch(context, softmaxWarpKernel<16>, blocks, kRowBlock, 0, x, y, lanes,
           n);
    break;
  default:
    launch(context, softmaxWarpKernel<32>, blocks, kRowBlock, 0, x, y, lanes,
           n);
    break;
  }
  return checkLaunch(kernel);
}

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

/// One pooling problem, as the CPU's: passed to the device by value.
using nn::Window;

/// The taps [first, end) of a window starting at `start` (kernel taps
/// `kernel`, spaced `dilation`) that fall inside [0, size).
template <typename I>
__device__ void validTaps(I start, I kernel, I dilation, I size, I &first,
                          I &end) {
  first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  I last = size - 1 - start;
  end = last < 0 ? 0 : min(kernel, last / dilation + 1);
  end = max(first, end);
}

/// out = the maximum of each window, padding never winning and NaN
/// propagating; with kIndices also the flat index of the first maximum
/// (-1 for a window entirely in the padding), row- or column-major within
/// the image. One thread per output element; T is the storage type (f32,
/// or f16 or bf16 for intr.max_pool2d), the maximum is one of its values.
/// Channels last (no indices then), element (y, x) of channel c of image n
/// is at ((n·H + y)·W + x)·C + c, and threads run along the channels. I is
/// the signed type of the coordinates and offsets: int32_t when every
/// offset fits, as 64-bit divisions cost several times more on the device.
template <typename T, typename I, bool kIndices>
__global__ void maxPoolKernel(const T *in, T *out, int64_t *indices, Window w,
                              bool columnMajor) {
  awaitPredecessors();
  const I C = I(w.C), H = I(w.H), W = I(w.W), Ho = I(w.Ho), Wo = I(w.Wo);
  const I kh = I(w.kh), kw = I(w.kw), sh = I(w.sh), sw = I(w.sw);
  const I dh = I(w.dh), dw = I(w.dw), padTop = I(w.top), padLeft = I(w.left);
  int64_t count = w.N * w.C * w.Ho * w.Wo;
  for (int64_t o64 = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       o64 < count; o64 += int64_t(gridDim.x) * blockDim.x) {
    I o = I(o64);
    // plane = n·C + c; the image's element (iy, ix) is at
    // base + (iy·W + ix)·step.
    I x, y, plane, base, step;
    if (w.channelsLast) {
      I c = o % C, rest = o / C;
      x = rest % Wo, rest /= Wo;
      y = rest % Ho;
      I n = rest / Ho;
      plane = n * C + c;
      base = n * H * W * C + c;
      step = C;
    } else {
      I rest = o / Wo;
      x = o % Wo, y = rest % Ho, plane = rest / Ho;
      base = plane * H * W;
      step = 1;
    }
    I top = y * sh - padTop, left = x * sw - padLeft;
    I i0, i1, j0, j1;
    validTaps(top, kh, dh, H, i0, i1);
    validTaps(left, kw, dw, W, j0, j1);
    const T *image = in + base;
    float best = -INFINITY;
    I bestIy = -1, bestIx = -1;
    for (I i = i0; i < i1; ++i) {
      I iy = top + i * dh;
      const T *row = image + iy * W * step;
      for (I j = j0; j < j1; ++j) {
        I ix = left + j * dw;
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
    out[o64] = store<T>(best);
    if (kIndices)
      indices[o64] = bestIy < 0
                         ? -1
                         : int64_t(plane) * w.H * w.W +
                               (columnMajor ? int64_t(bestIx) * w.H + bestIy
                                            : int64_t(bestIy) * w.W + bestIx);
  }
}

/// Channels last without indices, when the channels come in whole groups
/// of 16 bytes (8 for f16 and bf16, 4 for f32) and the images are aligned
/// to them: one thread per output pixel and group, so that the window
/// arithmetic serves a whole group and each tap is one 16-byte load. The
/// maxima are maxPoolKernel's, channel by channel.
template <typename T, typename I>
__global__ void maxPoolGroupsKernel(const T *in, T *out, Window w) {
  awaitPredecessors();
  constexpr int V = 16 / sizeof(T);
  const I groups = I(w.C / V), C = I(w.C), H = I(w.H), W = I(w.W);
  const I Ho = I(w.Ho), Wo = I(w.Wo), kh = I(w.kh), kw = I(w.kw);
  const I sh = I(w.sh), sw = I(w.sw), dh = I(w.dh), dw = I(w.dw);
  const I padTop = I(w.top), padLeft = I(w.left);
  int64_t count = w.N * w.Ho * w.Wo * (w.C / V);
  for (int64_t o64 = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       o64 < count; o64 += int64_t(gridDim.x) * blockDim.x) {
    I o = I(o64);
    I g = o % groups, rest = o / groups;
    I x = rest % Wo;
    rest /= Wo;
    I y = rest % Ho, n = rest / Ho;
    I top = y * sh - padTop, left = x * sw - padLeft;
    I i0, i1, j0, j1;
    validTaps(top, kh, dh, H, i0, i1);
    validTaps(left, kw, dw, W, j0, j1);
    const T *image = in + n * H * W * C + g * V;
    float best[V];
#pragma unroll
    for (int k = 0; k < V; ++k)
      best[k] = -INFINITY;
    for (I i = i0; i < i1; ++i) {
      const T *row = image + (top + i * dh) * W * C;
      for (I j = j0; j < j1; ++j) {
        uint4 raw = *reinterpret_cast<const uint4 *>(row + (left + j * dw) * C);
        T values[V];
        memcpy(values, &raw, sizeof raw);
#pragma unroll
        for (int k = 0; k < V; ++k) {
          float v = load(values[k]);
          if (v > best[k] || isnan(v))
            best[k] = v;
        }
      }
    }
    T results[V];
#pragma unroll
    for (int k = 0; k < V; ++k)
      results[k] = store<T>(best[k]);
    uint4 raw;
    memcpy(&raw, results, sizeof raw);
    *reinterpret_cast<uint4 *>(out + ((n * Ho + y) * Wo + x) * C + g * V) = raw;
  }
}

template <typename T>
Status launchMaxPool(const char *kernel, const Window &w, const T *in, T *out,
                     int64_t *indices, bool columnMajor, Context &context) {
  int64_t count = w.N * w.C * w.Ho * w.Wo;
  if (count == 0)
    return Status::ok();
  constexpr int64_t kGroup = 16 / sizeof(T);
  const bool grouped = w.channelsLast && !indices && w.C % kGroup == 0 &&
                       reinterpret_cast<uintptr_t>(in) % 16 == 0 &&
                       reinterpret_cast<uintptr_t>(out) % 16 == 0;
  unsigned blocks =
      gridFor(grouped ? count / kGroup : count, context, kElementBlock);
  // 32-bit coordinates when every offset, and every window position with
  // its padding, stays below 2^31.
  int64_t bound = std::max({w.N * w.C * w.H * w.W, count,
                            (w.H + w.top + w.bottom + w.kh * w.dh) *
                                (w.W + w.left + w.right + w.kw * w.dw) * w.C});
  auto launchWith = [&](auto index) {
    using I = decltype(index);
    if (grouped)
      launch(context, maxPoolGroupsKernel<T, I>, blocks, kElementBlock, 0, in,
             out, w);
    else if (indices)
      launch(context, maxPoolKernel<T, I, true>, blocks, kElementBlock, 0, in,
             out, indices, w, columnMajor);
    else
      launch(context, maxPoolKernel<T, I, false>, blocks, kElementBlock, 0, in,
             out, nullptr, w, columnMajor);
  };
  if (bound < (int64_t(1) << 31))
    launchWith(int32_t{});
  else
    launchWith(int64_t{});
  return checkLaunch(kernel);
}

/// intr.max_pool2d: input (f32, or f16 or bf16 in fp16 and bf16 plans);
/// kernel, strides, padding, ceil_mode, channels_last.
Status maxPool2d(const KernelCall &call) {
  const char *kernel = "intr.max_pool2d";
  Expected<nn::MaxPool> pool =
      nn::checkMaxPool2d(kernel, call.cpuArgs(), /*sixteenBit=*/true,
                         call.attrs.getInt("channels_last", 0) != 0);
  if (!pool)
    return pool.error();
  const Window &w = pool->w;
  DType dtype = pool->dtype;
  const TensorArg &output = call.outputs[0];
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
  Expected<nn::MaxPool> pool = nn::checkOnnxMaxPool(kernel, call.cpuArgs());
  if (!pool)
    return pool.error();
  const Window &w = pool->w;
  const TensorArg *indices = pool->indices;
  return launchMaxPool(kernel, w, call.inputs[0].as<const float>(),
                       call.outputs[0].as<float>(),
                       indices ? indices->as<int64_t>() : nullptr,
                       pool->columnMajor, call.context);
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
