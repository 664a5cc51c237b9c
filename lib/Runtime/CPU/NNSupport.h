//===- NNSupport.h - Shared by the NN and attention kernels -----*- C++ -*-===//
//
// Operand checks that turn a malformed step into an Error naming the kernel,
// the operand and the sizes at fault, and the epilogue and softmax that the
// GEMM-based kernels share. The NN kernels' checks and geometry (windows,
// convolutions, pooling, matrix products, normalizations) are here too, so
// that the CPU kernels and their CUDA twins accept the same steps and say
// the same.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_NNSUPPORT_H
#define INTR_LIB_RUNTIME_CPU_NNSUPPORT_H

#include "Kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace intr::cpu::nn {

/// The largest window attribute (kernel, stride, dilation, padding) the
/// kernels accept: far beyond any model, small enough that the window
/// arithmetic cannot overflow int64.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 30;

/// The tensor is there (or empty), has non-negative sizes and is `dtype`.
Status checkTensor(const char *kernel, const TensorArg &tensor,
                   const char *name, DType dtype = DType::F32);

/// The tensor is `dtype` with exactly the shape `expected`.
Status checkShape(const char *kernel, const TensorArg &tensor, const char *name,
                  const std::vector<int64_t> &expected,
                  DType dtype = DType::F32);

/// rows x cols of `data`: adds bias[col] (when given) and applies a ReLU
/// (when `relu`). With several bias rows (a positional bias, [biasRows,
/// cols]), row r adds bias row (r / rowsPerBiasRow) % biasRows.
void addBiasByColumn(float *data, int64_t rows, int64_t cols, const float *bias,
                     bool relu, int threads, int64_t biasRows = 1,
                     int64_t rowsPerBiasRow = 1);

/// How long the pieces are that split each of `groups` runs of `length`
/// (> 0) into pieces of at most `piece` (in [1, length]) elements, the work
/// of one thread at a time: as many pieces in all as a multiple of the
/// threads where that can be (3 pieces on 2 threads would leave one thread
/// idle for a third of the time). The convolutions' tiles of output
/// positions and the attention's blocks of queries.
inline int64_t balancedPiece(int64_t length, int64_t piece, int64_t groups,
                             int threads) {
  auto ceilDiv = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  int64_t items = groups * ceilDiv(length, piece);
  int64_t balanced = ceilDiv(items, threads) * threads;
  int64_t pieces = std::min(ceilDiv(balanced, groups), length);
  return ceilDiv(length, pieces);
}

/// In-place softmax of `row` (n floats), with the maximum subtracted. A row
/// whose values are all -inf (every key masked) has no softmax: NaN, as
/// PyTorch gives. Vectorized (expOfNonPositive), within a few ulp of
/// std::exp's softmax.
void softmaxRow(float *row, int64_t n);

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

/// A range of outputs, [first, end). (A plain aggregate: Clang leaves the
/// constructor of a std::pair built in a function of several clones
/// undefined at link time.)
struct OutputRange {
  int64_t first, end;
};

/// The outputs of [0, outSize) whose input, x * stride + offset, lies in
/// [0, size): a tap's valid output columns.
inline OutputRange validOutputs(int64_t offset, int64_t stride, int64_t size,
                                int64_t outSize) {
  int64_t first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  int64_t end = size - 1 - offset >= 0 ? (size - 1 - offset) / stride + 1 : 0;
  first = std::min(first, outSize);
  return {first, std::clamp(end, first, outSize)};
}

/// One sliding window problem over [N, C, H, W] images: a convolution or a
/// pooling.
struct Window {
  int64_t N = 0, C = 0, H = 0, W = 0;
  /// Images [N, H, W, C] rather than [N, C, H, W] (channels_last).
  bool channelsLast = false;
  int64_t kh = 1, kw = 1;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  int64_t Ho = 0, Wo = 0;
};

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A convolution: its window, the output channels O and the groups, over
/// weights [O, C / groups, kh, kw] ([O, kh, kw, C / groups] channels last).
struct Conv : Window {
  /// Of every operand and the result: F32, or F16 or BF16 (CUDA's cuDNN
  /// path only).
  DType dtype = DType::F32;
  int64_t O = 0, groups = 1;
};

/// A checked convolution step: the convolution and its epilogue, y =
/// act(conv + bias + residual), bias and residual null when not given.
struct ConvStep {
  Conv conv;
  const TensorArg *bias = nullptr, *residual = nullptr;
  bool relu = false;
};

/// A checked f32 convolution's operands; bias and residual may be null.
struct ConvOperands {
  const float *in, *weight, *bias, *residual;
  bool relu;
  float *out;
};

/// y[e] = bias(e) + r[e] over one row of n elements, r optional: where a
/// convolution's sums start. One branch-free loop per case, so that each
/// vectorizes.
template <typename Bias>
void startRow(float *__restrict y, const float *__restrict r, int64_t n,
              Bias bias) {
  if (r)
    for (int64_t e = 0; e < n; ++e)
      y[e] = bias(e) + r[e];
  else
    for (int64_t e = 0; e < n; ++e)
      y[e] = bias(e);
}

/// y[e] = max(y[e], 0) over one row of n elements: the ReLU of an
/// epilogue, on a row still in cache.
inline void reluRow(float *y, int64_t n) {
  for (int64_t e = 0; e < n; ++e)
    y[e] = std::max(y[e], 0.0f);
}

/// intr.conv2d: input, weight, bias, optional residual; strides, padding
/// [top, left, bottom, right], dilations, groups, activation. With
/// `sixteenBit` the operands may be f16 or bf16; with `channelsLast` the
/// images are [N, H, W, C] (conv.channelsLast).
Expected<ConvStep> checkConv2d(const char *kernel, const KernelArgs &args,
                               bool sixteenBit, bool channelsLast);

/// onnx.Conv: X, W, optional B; auto_pad, dilations, group, kernel_shape,
/// pads [x1_begin, x2_begin, x1_end, x2_end], strides. 2-D, f32 only.
Expected<ConvStep> checkOnnxConv(const char *kernel, const KernelArgs &args);

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

/// A checked max pooling: its window, the storage type of the input and
/// the output, and onnx.MaxPool's optional Indices (i64, row- or
/// column-major within the image).
struct MaxPool {
  Window w;
  DType dtype = DType::F32;
  const TensorArg *indices = nullptr;
  bool columnMajor = false;
};

/// intr.max_pool2d: input; kernel, strides, padding, ceil_mode. f32, or
/// with `sixteenBit` also f16 or bf16; with `channelsLast` the images are
/// [N, H, W, C].
Expected<MaxPool> checkMaxPool2d(const char *kernel, const KernelArgs &args,
                                 bool sixteenBit, bool channelsLast);

/// onnx.MaxPool: X; auto_pad, ceil_mode, dilations, kernel_shape, pads,
/// storage_order, strides. Results Y and the optional Indices (i64).
Expected<MaxPool> checkOnnxMaxPool(const char *kernel, const KernelArgs &args);

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// For each dimension of `batch`, how many matrices an operand with batch
/// shape `own` (right-aligned, broadcast) advances by along it: 0 where it
/// broadcasts.
std::vector<int64_t> matrixStrides(const std::vector<int64_t> &own,
                                   const std::vector<int64_t> &batch);

/// A checked intr.linear: output [M, N] = act(input [M, K] x weight + bias),
/// the weight [N, K] when `transposed`, else [K, N].
struct LinearShape {
  int64_t M = 0, N = 0, K = 0;
  bool transposed = true, relu = false;
  const TensorArg *bias = nullptr;
  /// A positional bias varies along one leading axis of the result, of
  /// `biasRows` positions: row r of the product (of M) reads bias row
  /// (r / rowsPerBiasRow) % biasRows. 1 and 1 for a bias [N].
  int64_t biasRows = 1, rowsPerBiasRow = 1;
};

/// intr.linear: input [..., K], weight [N, K] (transpose_weight) or [K, N],
/// optional bias [N] or positional ([..., N] of the result's rank, 1 at
/// every leading axis but at most one, where it is the result's size);
/// activation.
Expected<LinearShape> checkLinear(const char *kernel, const KernelArgs &args);

/// A checked onnx.MatMul: Y's matrices [M, N] = A's [M, K] x B's [K, N],
/// over the broadcast `batch` of A's and B's batch shapes.
struct MatMulShape {
  int64_t M = 0, N = 0, K = 0;
  std::vector<int64_t> batchA, batchB, batch;
};

/// onnx.MatMul: numpy.matmul of A and B, batch dimensions broadcast, a 1-D
/// A a row vector and a 1-D B a column vector whose dimension is dropped;
/// A, B and Y of `dtype`.
Expected<MatMulShape> checkMatMul(const char *kernel, const KernelArgs &args,
                                  DType dtype = DType::F32);

/// A checked onnx.Gemm: Y [M, N] = alpha * op(A) [M, K] x op(B) [K, N] +
/// beta * C (null when not given).
struct GemmShape {
  int64_t M = 0, N = 0, K = 0;
  bool transA = false, transB = false;
  float alpha = 1.0f, beta = 1.0f;
  const TensorArg *C = nullptr;
};

/// onnx.Gemm: Y = alpha * op(A) * op(B) + beta * C; A and B 2-D, C optional
/// and broadcast to [M, N]; alpha, beta, transA, transB.
Expected<GemmShape> checkGemm(const char *kernel, const KernelArgs &args);

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

/// A checked onnx.Softmax: `lanes` lanes of n elements along the axis, the
/// elements of lane (o, i) at (o * n + k) * inner + i.
struct SoftmaxLanes {
  int64_t n = 0, inner = 1, lanes = 0;
};

/// onnx.Softmax (opset 13): input and output of one shape; axis.
Expected<SoftmaxLanes> checkSoftmax(const char *kernel, const KernelArgs &args);

/// Normalizes each of `rows` rows of D elements: y = (s - mean) /
/// sqrt(var + epsilon) * scale + bias, with s = x (+ residual); scale and
/// bias [D]. Writes the sums, means and inverse deviations where their
/// pointers are set.
struct NormRows {
  const float *x = nullptr, *residual = nullptr, *addend = nullptr;
  const float *scale = nullptr, *bias = nullptr;
  float *y = nullptr, *sum = nullptr, *mean = nullptr, *invStdDev = nullptr;
  /// y + addend, when both are given.
  float *shifted = nullptr;
  int64_t rows = 0, D = 0;
  double epsilon = 1e-5;
};

/// intr.layer_norm: input [..., D], scale [D], bias [D], optional residual
/// and addend (input's shape); epsilon. Results output, the optional sum
/// (input + residual) and shifted (output + addend), there exactly when the
/// addend is.
Expected<NormRows> checkLayerNorm(const char *kernel, const KernelArgs &args);

/// A checked onnx.LayerNormalization: its rows, but for scale and bias,
/// which the kernel makes dense [D] from Scale and B (null when not given),
/// both broadcast to `inner`, the normalized dimensions.
struct OnnxLayerNorm {
  NormRows rows;
  const TensorArg *scale = nullptr, *bias = nullptr;
  std::vector<int64_t> inner;
};

/// onnx.LayerNormalization (opset 17): X, Scale, optional B; axis, epsilon.
/// Results Y and the optional Mean and InvStdDev (f32).
Expected<OnnxLayerNorm> checkOnnxLayerNorm(const char *kernel,
                                           const KernelArgs &args);

/// onnx.BatchNormalization, inference form: X [N, C, ...], scale, B,
/// input_mean, input_var [C]; epsilon. Results Y and the optional
/// running_mean and running_var [C]. Returns epsilon.
Expected<double> checkBatchNorm(const char *kernel, const KernelArgs &args);

} // namespace intr::cpu::nn

#endif // INTR_LIB_RUNTIME_CPU_NNSUPPORT_H
