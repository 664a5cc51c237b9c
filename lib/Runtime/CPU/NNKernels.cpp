//===- NNKernels.cpp - Convolution, pooling, matmul and norm kernels ------===//
//
// The CPU kernels of intr.conv2d, intr.max_pool2d, intr.linear and
// intr.layer_norm, and of the ONNX ops they are raised from (Conv, MaxPool,
// MatMul, Gemm, LayerNormalization, BatchNormalization, Softmax) for graphs
// that are not raised. Convolutions and matrix products go through sgemm
// (OpenBLAS); the memory-bound loops are parallel with OpenMP.
//
//===----------------------------------------------------------------------===//

#include "Adapters.h"
#include "Depthwise.h"
#include "ElementwiseSupport.h"
#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"
#include "Winograd.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace intr::cpu {

namespace {

using namespace nn;

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Output positions [p0, p0 + count) of the im2col matrix of one group:
/// row (c, i, j) holds the input element that kernel tap (i, j) of channel c
/// sees at each position, zero in the padding. Serial: each tile's thread
/// fills its own. Cloned, and stride 2 (ResNets' stems and downsampling)
/// spelled out, so that the strided copy vectorizes: in the baseline's SSE2
/// with a stride known only at run time it was element by element.
INTR_VECTOR_CLONES
void im2col(const Window &w, int64_t channels, const float *in, int64_t p0,
            int64_t count, float *col) {
  int64_t rows = channels * w.kh * w.kw;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t c = r / (w.kh * w.kw), i = (r / w.kw) % w.kh, j = r % w.kw;
    const float *plane = in + c * w.H * w.W;
    float *dst = col + r * count;
    // Input column of output column x: x * sw + offset.
    int64_t offset = j * w.dw - w.left;
    OutputRange valid = validOutputs(offset, w.sw, w.W, w.Wo);
    for (int64_t q = 0; q < count;) {
      int64_t y = (p0 + q) / w.Wo, x0 = (p0 + q) % w.Wo;
      int64_t x1 = std::min(w.Wo, x0 + count - q);
      int64_t iy = y * w.sh + i * w.dh - w.top;
      float *row = dst + q - x0; // row[x] for x in [x0, x1)
      if (iy < 0 || iy >= w.H) {
        std::fill(row + x0, row + x1, 0.0f);
      } else {
        const float *src = plane + iy * w.W + offset;
        int64_t lo = std::clamp(valid.first, x0, x1);
        int64_t hi = std::clamp(valid.end, lo, x1);
        std::fill(row + x0, row + lo, 0.0f);
        if (w.sw == 1)
          std::memcpy(row + lo, src + lo, (hi - lo) * sizeof(float));
        else if (w.sw == 2)
          for (int64_t x = lo; x < hi; ++x)
            row[x] = src[x * 2];
        else
          for (int64_t x = lo; x < hi; ++x)
            row[x] = src[x * w.sw];
        std::fill(row + hi, row + x1, 0.0f);
      }
      q += x1 - x0;
    }
  }
}

/// Output positions [p0, p0 + count) of one image's channels-last im2col
/// matrix for one group: row q holds, tap (i, j) after tap, the Cg channels
/// that tap sees at position p0 + q (contiguous in the image, whose pixels
/// are w.C apart), zero in the padding. Serial, as im2col.
void im2colChannelsLast(const Window &w, int64_t Cg, const float *in,
                        int64_t p0, int64_t count, float *col) {
  int64_t CKK = Cg * w.kh * w.kw;
  if (CKK == 0) // No channels: an empty matrix (and maybe no buffer).
    return;
  for (int64_t q = 0; q < count; ++q) {
    int64_t y = (p0 + q) / w.Wo, x = (p0 + q) % w.Wo;
    float *row = col + q * CKK;
    for (int64_t i = 0; i < w.kh; ++i) {
      int64_t iy = y * w.sh + i * w.dh - w.top;
      for (int64_t j = 0; j < w.kw; ++j, row += Cg) {
        int64_t ix = x * w.sw + j * w.dw - w.left;
        if (iy < 0 || iy >= w.H || ix < 0 || ix >= w.W)
          std::fill(row, row + Cg, 0.0f);
        else
          std::memcpy(row, in + (iy * w.W + ix) * w.C, Cg * sizeof(float));
      }
    }
  }
}

/// Whether a convolution is a GEMM on its input: 1x1, stride 1, no padding.
bool isDirect(const Window &w) {
  return w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1 && w.top == 0 &&
         w.left == 0 && w.bottom == 0 && w.right == 0;
}

/// A tile's output holds about this many floats (1 MiB), but at least
/// kMinTilePositions output positions, for the GEMM's sake (measured on
/// ResNet-50's shapes: smaller tiles made OpenBLAS's GEMMs slower); its
/// im2col columns hold at most kColumnBudget floats (4 MiB) unless that
/// leaves fewer than kFewestTilePositions.
constexpr int64_t kTileOutputFloats = int64_t(1) << 18;
constexpr int64_t kMinTilePositions = 256;
constexpr int64_t kColumnBudget = int64_t(1) << 20;
constexpr int64_t kFewestTilePositions = 16;

/// Output positions per tile: within the budgets above, balanced over the
/// threads (balancedPiece).
int64_t tilePositions(const Conv &conv, int64_t Og, int64_t CKK, int threads) {
  int64_t P = conv.Ho * conv.Wo, images = conv.N * conv.groups;
  int64_t count = std::min(
      std::max(kTileOutputFloats / std::max<int64_t>(Og, 1), kMinTilePositions),
      std::max(kColumnBudget / std::max<int64_t>(CKK, 1),
               kFewestTilePositions));
  return balancedPiece(P, std::clamp<int64_t>(count, 1, P), images, threads);
}

/// Computes output positions [p0, p0 + count) of image n, group g. The
/// output starts as bias + residual and the GEMM adds the convolution to it
/// (beta = 1); then only the ReLU is left, on a tile still in cache, rather
/// than a pass of its own over the whole output. `col` holds the tile's
/// im2col columns (it grows as needed).
INTR_VECTOR_CLONES
void runConvTile(const Conv &conv, const ConvOperands &op, int64_t n, int64_t g,
                 int64_t p0, int64_t count, std::vector<float> &col) {
  const Window &w = conv;
  const bool last = conv.channelsLast;
  int64_t Cg = w.C / conv.groups, Og = conv.O / conv.groups;
  int64_t HW = w.H * w.W, P = w.Ho * w.Wo, CKK = Cg * w.kh * w.kw;
  // The tile's output: `count` pixels of Og channels, O apart (NHWC), or
  // Og channels of `count` positions, P apart (NCHW).
  int64_t rows = last ? count : Og, length = last ? Og : count;
  int64_t stride = last ? conv.O : P;
  int64_t offset =
      last ? (n * P + p0) * conv.O + g * Og : (n * conv.O + g * Og) * P + p0;
  float *y = op.out + offset;
  const float *r = op.residual ? op.residual + offset : nullptr;
  const float *bias = op.bias ? op.bias + g * Og : nullptr;

  const bool accumulate = bias || r;
  for (int64_t i = 0; accumulate && i < rows; ++i) {
    float *yi = y + i * stride;
    const float *ri = r ? r + i * stride : nullptr;
    if (last && bias)
      startRow(yi, ri, length, [bias](int64_t e) { return bias[e]; });
    else {
      float b = bias ? bias[i] : 0.0f;
      startRow(yi, ri, length, [b](int64_t) { return b; });
    }
  }

  const bool direct = isDirect(w);
  if (!direct && col.size() < static_cast<size_t>(CKK * count))
    col.resize(static_cast<size_t>(CKK * count));
  const float *wg = op.weight + g * Og * CKK;
  const float beta = accumulate ? 1.0f : 0.0f;
  if (last) {
    // [count, CKK] x [Og, CKK]ᵀ: im2col rows, or the pixels themselves.
    const float *x = op.in + n * HW * w.C + g * Cg;
    if (direct) {
      sgemm(false, true, count, Og, CKK, 1.0f, x + p0 * w.C, w.C, wg, CKK, beta,
            y, stride, /*threads=*/1);
    } else {
      im2colChannelsLast(w, Cg, x, p0, count, col.data());
      sgemm(false, true, count, Og, CKK, 1.0f, col.data(), CKK, wg, CKK, beta,
            y, stride, /*threads=*/1);
    }
  } else {
    // [Og, CKK] x [CKK, count]: im2col columns, or the planes themselves.
    const float *x = op.in + (n * w.C + g * Cg) * HW;
    if (direct) {
      sgemm(false, false, Og, count, CKK, 1.0f, wg, CKK, x + p0, HW, beta, y,
            stride, /*threads=*/1);
    } else {
      im2col(w, Cg, x, p0, count, col.data());
      sgemm(false, false, Og, count, CKK, 1.0f, wg, CKK, col.data(), count,
            beta, y, stride, /*threads=*/1);
    }
  }

  if (op.relu)
    for (int64_t i = 0; i < rows; ++i)
      reluRow(y + i * stride, length);
}

/// out = act(conv(in, weight) + bias + residual), shapes already checked:
/// tiles of output positions, one thread each at a time, every tile its own
/// im2col, GEMM and epilogue.
void runConv(const Conv &conv, const ConvOperands &op, int threads) {
  const Window &w = conv;
  int64_t Cg = w.C / conv.groups, Og = conv.O / conv.groups;
  int64_t P = w.Ho * w.Wo, CKK = Cg * w.kh * w.kw;
  // Nothing to compute; and with O = 0, CKK is not bounded by any buffer.
  if (w.N * conv.O * P == 0)
    return;
  int64_t count = tilePositions(conv, Og, CKK, threads);
  int64_t tiles = (P + count - 1) / count;
  int64_t items = w.N * conv.groups * tiles;
#pragma omp parallel num_threads(threads)
  {
    // Each thread's im2col columns, kept from one convolution to the next
    // (at most kColumnBudget floats, or kFewestTilePositions columns):
    // allocating and clearing them for each call cost a pass over them.
    thread_local std::vector<float> col;
#pragma omp for schedule(static)
    for (int64_t item = 0; item < items; ++item) {
      int64_t tile = item % tiles, image = item / tiles;
      int64_t p0 = tile * count;
      runConvTile(conv, op, image / conv.groups, image % conv.groups, p0,
                  std::min(count, P - p0), col);
    }
  }
}

/// Whether every weight of `conv` is an integer, as ConvInteger's expand
/// to: their sums are exact in f32 up to 2^24 when summed directly, and
/// Winograd's transformed domain would round them.
bool integerWeights(const Conv &conv, const float *weight) {
  const int64_t count = conv.O * (conv.C / conv.groups) * conv.kh * conv.kw;
  for (int64_t i = 0; i < count; ++i)
    if (weight[i] != std::nearbyint(weight[i]))
      return false;
  return true;
}

/// Whether a convolution sums directly rather than by Winograd: a shape
/// Winograd does not take, or integer weights (looked at once when
/// constant).
bool sumsDirectly(const KernelArgs &args, const Conv &conv,
                  const float *weight) {
  if (!winogradFits(conv))
    return true;
  StepCache *cache = args.inputs[1].constant ? args.cache : nullptr;
  if (cache && cache->integerWeights)
    return *cache->integerWeights;
  const bool integers = integerWeights(conv, weight);
  if (cache)
    cache->integerWeights = integers;
  return integers;
}

/// Runs a checked convolution step.
Status finishConv(const KernelArgs &args, const ConvStep &step) {
  ConvOperands operands{args.inputs[0].as<float>(),
                        args.inputs[1].as<float>(),
                        step.bias ? step.bias->as<float>() : nullptr,
                        step.residual ? step.residual->as<float>() : nullptr,
                        step.relu,
                        args.outputs[0].as<float>()};
  if (depthwiseFits(step.conv)) {
    runDepthwise(step.conv, operands, args.threads);
    return Status::ok();
  }
  if (sumsDirectly(args, step.conv, operands.weight)) {
    runConv(step.conv, operands, args.threads);
    return Status::ok();
  }
  // The transformed filters of constant weights are kept for the session's
  // later runs; those of other weights are computed for this call.
  std::vector<float> ownFilters;
  std::vector<float> &filters =
      args.cache && args.inputs[1].constant ? args.cache->floats : ownFilters;
  size_t count = static_cast<size_t>(winogradFilterFloats(step.conv));
  if (filters.size() != count) {
    filters.resize(count);
    winogradFilters(step.conv, operands.weight, filters.data(), args.threads);
  }
  runWinograd(step.conv, operands, filters.data(), args.threads);
  return Status::ok();
}

/// intr.conv2d: input, weight, bias, optional residual; strides, padding
/// [top, left, bottom, right], dilations, groups, activation,
/// channels_last.
Status conv2d(const KernelArgs &args) {
  Expected<ConvStep> step =
      checkConv2d("intr.conv2d", args, /*sixteenBit=*/false,
                  args.attrs.getInt("channels_last", 0) != 0);
  if (!step)
    return step.error();
  return finishConv(args, *step);
}

/// onnx.Conv: X, W, optional B; auto_pad, dilations, group, kernel_shape,
/// pads [x1_begin, x2_begin, x1_end, x2_end], strides. 2-D only.
Status onnxConv(const KernelArgs &args) {
  Expected<ConvStep> step = checkOnnxConv("onnx.Conv", args);
  if (!step)
    return step.error();
  return finishConv(args, *step);
}

//===----------------------------------------------------------------------===//
// Max pooling
//===----------------------------------------------------------------------===//

/// The taps [first, end) of a window starting at `start` (kernel taps
/// `kernel`, spaced `dilation`) that fall inside [0, size).
std::pair<int64_t, int64_t> validTaps(int64_t start, int64_t kernel,
                                      int64_t dilation, int64_t size) {
  int64_t first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  int64_t last = size - 1 - start;
  int64_t end = last < 0 ? 0 : std::min(kernel, last / dilation + 1);
  return {first, std::max(first, end)};
}

/// max(best, v) where NaN wins, as in PyTorch; branch-free.
inline float maxWithNaN(float best, float v) {
  return v > best || std::isnan(v) ? v : best;
}

/// Output row r of runMaxPool: the column maxima of its window's input rows
/// first, then the maxima along the row, tap after tap over the windows
/// that lie inside the row and window by window over the others, all in
/// the order of the taps (the same NaN wins).
INTR_VECTOR_CLONES
void maxPoolRow(const Window &w, const float *in, int64_t r,
                float *__restrict columns, float *__restrict out) {
  int64_t plane = r / w.Ho, y = r % w.Ho;
  int64_t top = y * w.sh - w.top;
  auto [i0, i1] = validTaps(top, w.kh, w.dh, w.H);
  std::fill(columns, columns + w.W, -std::numeric_limits<float>::infinity());
  for (int64_t i = i0; i < i1; ++i) {
    const float *__restrict src = in + (plane * w.H + top + i * w.dh) * w.W;
    for (int64_t x = 0; x < w.W; ++x)
      columns[x] = maxWithNaN(columns[x], src[x]);
  }
  // Windows [inside0, inside1) start at or after column 0 and end before W.
  int64_t span = (w.kw - 1) * w.dw;
  int64_t inside0 = std::min(w.Wo, (w.left + w.sw - 1) / w.sw);
  int64_t lastStart = w.W - 1 - span + w.left;
  int64_t inside1 = lastStart < 0 ? 0 : std::min(w.Wo, lastStart / w.sw + 1);
  inside1 = std::max(inside0, inside1);
  for (int64_t x = inside0; x < inside1; ++x)
    out[x] = columns[x * w.sw - w.left];
  for (int64_t j = 1; j < w.kw && inside0 < inside1; ++j) {
    int64_t tap = j * w.dw - w.left; // a column of the row for these x
    for (int64_t x = inside0; x < inside1; ++x)
      out[x] = maxWithNaN(out[x], columns[x * w.sw + tap]);
  }
  auto windowByWindow = [&](int64_t x0, int64_t x1) {
    for (int64_t x = x0; x < x1; ++x) {
      int64_t left = x * w.sw - w.left;
      auto [j0, j1] = validTaps(left, w.kw, w.dw, w.W);
      float best = -std::numeric_limits<float>::infinity();
      for (int64_t j = j0; j < j1; ++j)
        best = maxWithNaN(best, columns[left + j * w.dw]);
      out[x] = best;
    }
  };
  windowByWindow(0, inside0);
  windowByWindow(inside1, w.Wo);
}

/// out = max over each window, padding never winning and NaN propagating,
/// a row of the output at a time (maxPoolRow).
void runMaxPool(const Window &w, const float *in, float *out, int threads) {
  (void)threads; // Unused without OpenMP.
  int64_t rows = w.N * w.C * w.Ho;
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> columns(static_cast<size_t>(w.W));
#pragma omp for
    for (int64_t r = 0; r < rows; ++r)
      maxPoolRow(w, in, r, columns.data(), out + r * w.Wo);
  }
}

/// runMaxPool for channels-last images [N, H, W, C]: each output pixel
/// takes the maxima of its window's pixels, channel by channel (contiguous,
/// vectorizable).
void runMaxPoolChannelsLast(const Window &w, const float *in, float *out,
                            int threads) {
  (void)threads; // Unused without OpenMP.
  int64_t rows = w.N * w.Ho;
#pragma omp parallel for num_threads(threads)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t n = r / w.Ho, top = (r % w.Ho) * w.sh - w.top;
    auto [i0, i1] = validTaps(top, w.kh, w.dh, w.H);
    for (int64_t x = 0; x < w.Wo; ++x) {
      int64_t left = x * w.sw - w.left;
      auto [j0, j1] = validTaps(left, w.kw, w.dw, w.W);
      float *best = out + (r * w.Wo + x) * w.C;
      std::fill(best, best + w.C, -std::numeric_limits<float>::infinity());
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t j = j0; j < j1; ++j) {
          const float *pixel =
              in + ((n * w.H + top + i * w.dh) * w.W + left + j * w.dw) * w.C;
          for (int64_t c = 0; c < w.C; ++c)
            best[c] = maxWithNaN(best[c], pixel[c]);
        }
    }
  }
}

/// runMaxPool that also writes the flat index of each maximum (the first
/// one; -1 for a window entirely in the padding), row- or column-major
/// within the image, as ONNX MaxPool's Indices.
void runMaxPoolWithIndices(const Window &w, const float *in, float *out,
                           int64_t *indices, bool columnMajor, int threads) {
  (void)threads; // Unused without OpenMP.
  int64_t rows = w.N * w.C * w.Ho;
#pragma omp parallel for num_threads(threads)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t plane = r / w.Ho, y = r % w.Ho;
    int64_t top = y * w.sh - w.top;
    auto [i0, i1] = validTaps(top, w.kh, w.dh, w.H);
    for (int64_t x = 0; x < w.Wo; ++x) {
      int64_t left = x * w.sw - w.left;
      auto [j0, j1] = validTaps(left, w.kw, w.dw, w.W);
      float best = -std::numeric_limits<float>::infinity();
      int64_t bestIy = -1, bestIx = -1;
      for (int64_t i = i0; i < i1; ++i) {
        int64_t iy = top + i * w.dh;
        const float *row = in + (plane * w.H + iy) * w.W;
        for (int64_t j = j0; j < j1; ++j) {
          int64_t ix = left + j * w.dw;
          float v = row[ix];
          if (bestIy < 0 || v > best || (std::isnan(v) && !std::isnan(best))) {
            best = v;
            bestIy = iy, bestIx = ix;
          }
        }
      }
      int64_t o = r * w.Wo + x;
      out[o] = best;
      indices[o] = bestIy < 0 ? -1
                              : plane * w.H * w.W +
                                    (columnMajor ? bestIx * w.H + bestIy
                                                 : bestIy * w.W + bestIx);
    }
  }
}

/// intr.max_pool2d: input; kernel, strides, padding, ceil_mode,
/// channels_last.
Status maxPool2d(const KernelArgs &args) {
  Expected<MaxPool> pool =
      checkMaxPool2d("intr.max_pool2d", args, /*sixteenBit=*/false,
                     args.attrs.getInt("channels_last", 0) != 0);
  if (!pool)
    return pool.error();
  if (pool->w.channelsLast)
    runMaxPoolChannelsLast(pool->w, args.inputs[0].as<float>(),
                           args.outputs[0].as<float>(), args.threads);
  else
    runMaxPool(pool->w, args.inputs[0].as<float>(), args.outputs[0].as<float>(),
               args.threads);
  return Status::ok();
}

/// onnx.MaxPool: X; auto_pad, ceil_mode, dilations, kernel_shape, pads,
/// storage_order, strides. Results Y and the optional Indices (i64).
Status onnxMaxPool(const KernelArgs &args) {
  Expected<MaxPool> pool = checkOnnxMaxPool("onnx.MaxPool", args);
  if (!pool)
    return pool.error();
  if (pool->indices)
    runMaxPoolWithIndices(
        pool->w, args.inputs[0].as<float>(), args.outputs[0].as<float>(),
        pool->indices->as<int64_t>(), pool->columnMajor, args.threads);
  else
    runMaxPool(pool->w, args.inputs[0].as<float>(), args.outputs[0].as<float>(),
               args.threads);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// intr.linear: input [..., K], weight [N, K] (transpose_weight) or [K, N],
/// optional bias [N] or positional; activation.
Status linear(const KernelArgs &args) {
  Expected<LinearShape> l = checkLinear("intr.linear", args);
  if (!l)
    return l.error();
  const TensorArg &output = args.outputs[0];
  sgemm(false, l->transposed, l->M, l->N, l->K, 1.0f,
        args.inputs[0].as<float>(), l->K, args.inputs[1].as<float>(),
        l->transposed ? l->K : l->N, 0.0f, output.as<float>(), l->N,
        args.threads);
  addBiasByColumn(output.as<float>(), l->M, l->N,
                  l->bias ? l->bias->as<float>() : nullptr, l->relu,
                  args.threads, l->biasRows, l->rowsPerBiasRow);
  return Status::ok();
}

/// Writes `source` broadcast to `target` (as checkGemm and
/// checkOnnxLayerNorm check it) into the dense `dest`.
void broadcastCopy(const TensorArg &source, const std::vector<int64_t> &target,
                   float *dest) {
  // Source strides per target dimension, 0 where the source broadcasts.
  size_t rank = target.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < std::min(rank, source.shape.size()); ++i) {
    int64_t size = source.shape[source.shape.size() - 1 - i];
    strides[rank - 1 - i] = size == 1 ? 0 : stride;
    stride *= size;
  }
  const float *src = source.as<float>();
  int64_t count = elementCount(target);
  std::vector<int64_t> index(rank, 0);
  int64_t offset = 0;
  for (int64_t e = 0; e < count; ++e) {
    dest[e] = src[offset];
    for (size_t d = rank; d-- > 0;) {
      offset += strides[d];
      if (++index[d] < target[d])
        break;
      offset -= strides[d] * target[d];
      index[d] = 0;
    }
  }
}

/// For each batch of `batch`, the index of the matching matrix of an
/// operand with batch shape `own` (broadcast).
std::vector<int64_t> batchOffsets(const std::vector<int64_t> &own,
                                  const std::vector<int64_t> &batch) {
  size_t rank = batch.size();
  std::vector<int64_t> strides = matrixStrides(own, batch);
  int64_t count = elementCount(batch);
  std::vector<int64_t> offsets(count), index(rank, 0);
  int64_t offset = 0;
  for (int64_t e = 0; e < count; ++e) {
    offsets[e] = offset;
    for (size_t d = rank; d-- > 0;) {
      offset += strides[d];
      if (++index[d] < batch[d])
        break;
      offset -= strides[d] * batch[d];
      index[d] = 0;
    }
  }
  return offsets;
}

/// Y = A x B of `m` in T, row by row: f64, and integers wrapping around as
/// numpy's do (sgemm takes the f32 products).
template <typename T>
void matMulLoop(const MatMulShape &m, const T *a, const T *b, T *y,
                int threads) {
  (void)threads; // Unused without OpenMP.
  const int64_t M = m.M, N = m.N, K = m.K;
  const int64_t batches = elementCount(m.batch);
  std::vector<int64_t> offsetsA = batchOffsets(m.batchA, m.batch);
  std::vector<int64_t> offsetsB = batchOffsets(m.batchB, m.batch);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t row = 0; row < batches * M; ++row) {
    const int64_t e = row / M, i = row % M;
    const T *ai = a + (offsetsA[e] * M + i) * K;
    const T *be = b + offsetsB[e] * K * N;
    T *yi = y + row * N;
    std::fill(yi, yi + N, T(0));
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < N; ++j)
        yi[j] = static_cast<T>(static_cast<Wrap<T>>(yi[j]) +
                               static_cast<Wrap<T>>(ai[k]) *
                                   static_cast<Wrap<T>>(be[k * N + j]));
  }
}

/// onnx.MatMul: numpy.matmul of A and B, batch dimensions broadcast, a 1-D
/// A a row vector and a 1-D B a column vector whose dimension is dropped.
/// f32 on sgemm; f64, i32 and i64 on matMulLoop.
Status onnxMatMul(const KernelArgs &args) {
  // f32 unless the operands are of a type the loop takes (any other is
  // refused as not f32).
  const DType given = args.inputs.empty() ? DType::F32 : args.inputs[0].dtype;
  const bool onLoop =
      given == DType::F64 || given == DType::I32 || given == DType::I64;
  Expected<MatMulShape> m =
      checkMatMul("onnx.MatMul", args, onLoop ? given : DType::F32);
  if (!m)
    return m.error();
  const TensorArg &Y = args.outputs[0];
  // An empty Y's batch count need not be bounded by any buffer.
  if (Y.numElements() == 0)
    return Status::ok();
  if (onLoop) {
    visitTypes<double, int32_t, int64_t>(given, [&](auto tag) {
      using T = decltype(tag);
      matMulLoop(*m, args.inputs[0].as<const T>(), args.inputs[1].as<const T>(),
                 Y.as<T>(), args.threads);
    });
    return Status::ok();
  }
  int64_t M = m->M, N = m->N, K = m->K;
  const float *pa = args.inputs[0].as<float>(),
              *pb = args.inputs[1].as<float>();
  float *py = Y.as<float>();
  int64_t batches = elementCount(m->batch);
  // A single B for every batch: one GEMM over all the rows of A.
  if (elementCount(m->batchB) == 1 && elementCount(m->batchA) == batches) {
    sgemm(false, false, batches * M, N, K, 1.0f, pa, K, pb, N, 0.0f, py, N,
          args.threads);
    return Status::ok();
  }
  std::vector<int64_t> offsetsA = batchOffsets(m->batchA, m->batch);
  std::vector<int64_t> offsetsB = batchOffsets(m->batchB, m->batch);
  // Products too small for sgemm to share among threads (a windowed
  // attention's: Swin's hundreds of 49x32 by 32x49), or batches enough to
  // keep every thread busy, go a whole product to a thread; else one
  // product at a time on all of them.
  const bool byBatch = batches > 1 && (M * N * K < kSmallGemmWork ||
                                       batches >= 4 * int64_t(args.threads));
#pragma omp parallel for num_threads(args.threads) schedule(static) if (byBatch)
  for (int64_t e = 0; e < batches; ++e)
    sgemm(false, false, M, N, K, 1.0f, pa + offsetsA[e] * M * K, K,
          pb + offsetsB[e] * K * N, N, 0.0f, py + e * M * N, N,
          byBatch ? 1 : args.threads);
  return Status::ok();
}

/// onnx.Gemm: Y = alpha * op(A) * op(B) + beta * C; A and B 2-D, C optional
/// and broadcast to [M, N]; alpha, beta, transA, transB.
Status onnxGemm(const KernelArgs &args) {
  Expected<GemmShape> g = checkGemm("onnx.Gemm", args);
  if (!g)
    return g.error();
  const TensorArg &A = args.inputs[0], &B = args.inputs[1];
  const TensorArg &Y = args.outputs[0];
  bool withC = g->C && g->beta != 0.0f;
  if (withC)
    broadcastCopy(*g->C, {g->M, g->N}, Y.as<float>());
  sgemm(g->transA, g->transB, g->M, g->N, g->K, g->alpha, A.as<float>(),
        A.shape[1], B.as<float>(), B.shape[1], withC ? g->beta : 0.0f,
        Y.as<float>(), g->N, args.threads);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

/// onnx.Softmax (opset 13): softmax along `axis`, the maximum subtracted.
Status onnxSoftmax(const KernelArgs &args) {
  Expected<SoftmaxLanes> l = checkSoftmax("onnx.Softmax", args);
  if (!l)
    return l.error();
  int64_t n = l->n, inner = l->inner, lanes = l->lanes;
  const float *in = args.inputs[0].as<float>();
  float *out = args.outputs[0].as<float>();
  if (inner == 1) {
    // Rows of contiguous elements (a softmax over the last axis, as in
    // attention): the vectorized row, whose e^x also gives 0 rather than
    // subnormals below -87.3, which would slow down the products that
    // read them (Swin's masked windows, whose masked scores are -100).
#pragma omp parallel for num_threads(args.threads)
    for (int64_t lane = 0; lane < lanes; ++lane) {
      if (in != out)
        std::copy(in + lane * n, in + (lane + 1) * n, out + lane * n);
      softmaxRow(out + lane * n, n);
    }
    return Status::ok();
  }
#pragma omp parallel for num_threads(args.threads)
  for (int64_t lane = 0; lane < lanes; ++lane) {
    // Lane (o, i) holds elements (o * n + k) * inner + i.
    int64_t base = (lane / inner) * n * inner + lane % inner;
    const float *x = in + base;
    float *y = out + base;
    float maximum = -std::numeric_limits<float>::infinity();
    for (int64_t k = 0; k < n; ++k)
      maximum = std::max(maximum, x[k * inner]);
    float sum = 0.0f;
    for (int64_t k = 0; k < n; ++k) {
      // exp(-inf - -inf) is NaN: an all -inf lane has no softmax.
      y[k * inner] = std::exp(x[k * inner] - maximum);
      sum += y[k * inner];
    }
    float inverse = 1.0f / sum;
    for (int64_t k = 0; k < n; ++k)
      y[k * inner] *= inverse;
  }
  return Status::ok();
}

/// Sums f(s[d]) over a row in double, in 8 lanes of which each is its own
/// chain of additions: the compiler vectorizes them, where one chain of
/// dependent double additions ran at its latency (the statistics of a
/// 96-wide row took as long as the rest of its normalization thrice).
template <typename F> inline double laneSum(const float *s, int64_t D, F f) {
  constexpr int kLanes = 8;
  double lanes[kLanes] = {};
  int64_t d = 0;
  for (; d + kLanes <= D; d += kLanes)
    for (int j = 0; j < kLanes; ++j)
      lanes[j] += f(static_cast<double>(s[d + j]));
  double total = 0.0;
  for (; d < D; ++d)
    total += f(static_cast<double>(s[d]));
  for (double lane : lanes)
    total += lane;
  return total;
}

/// Normalizes row r of `p` through `s`, a row of scratch: the row
/// statistics in double.
INTR_VECTOR_CLONES
void normalizeRow(const NormRows &p, int64_t r, float *__restrict s) {
  const int64_t D = p.D;
  // s is a copy, so outputs may alias the inputs row for row.
  const float *x = p.x + r * D;
  if (p.residual)
    for (int64_t d = 0; d < D; ++d)
      s[d] = x[d] + p.residual[r * D + d];
  else
    std::copy(x, x + D, s);
  double mean =
      laneSum(s, D, [](double v) { return v; }) / static_cast<double>(D);
  double squares = laneSum(s, D, [mean](double v) {
    double centered = v - mean;
    return centered * centered;
  });
  double inv = 1.0 / std::sqrt(squares / static_cast<double>(D) + p.epsilon);
  auto m = static_cast<float>(mean), k = static_cast<float>(inv);
  float *y = p.y + r * D;
  const float *scale = p.scale, *bias = p.bias;
  if (p.shifted) {
    // The addend is read before y is written: they may alias.
    float *shifted = p.shifted + r * D;
    const float *addend = p.addend + r * D;
    for (int64_t d = 0; d < D; ++d) {
      float out = (s[d] - m) * k * scale[d] + (bias ? bias[d] : 0.0f);
      shifted[d] = out + addend[d];
      y[d] = out;
    }
  } else if (bias) {
    for (int64_t d = 0; d < D; ++d)
      y[d] = (s[d] - m) * k * scale[d] + bias[d];
  } else {
    for (int64_t d = 0; d < D; ++d)
      y[d] = (s[d] - m) * k * scale[d] + 0.0f;
  }
  if (p.sum)
    std::copy(s, s + D, p.sum + r * D);
  if (p.mean)
    p.mean[r] = m;
  if (p.invStdDev)
    p.invStdDev[r] = k;
}

/// Normalizes the rows of `p`, the row statistics in double.
void normalizeRows(const NormRows &p, int threads) {
  (void)threads; // Unused without OpenMP.
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> s(static_cast<size_t>(p.D));
#pragma omp for
    for (int64_t r = 0; r < p.rows; ++r)
      normalizeRow(p, r, s.data());
  }
}

/// intr.layer_norm: input [..., D], scale [D], bias [D], optional residual
/// and addend (input's shape); epsilon. Results output, sum (input +
/// residual) and, with the addend, shifted (output + addend).
Status layerNorm(const KernelArgs &args) {
  Expected<NormRows> p = checkLayerNorm("intr.layer_norm", args);
  if (!p)
    return p.error();
  normalizeRows(*p, args.threads);
  return Status::ok();
}

/// onnx.LayerNormalization (opset 17): X, Scale, optional B; axis, epsilon.
/// Results Y and the optional Mean and InvStdDev (f32).
Status onnxLayerNorm(const KernelArgs &args) {
  Expected<OnnxLayerNorm> n =
      checkOnnxLayerNorm("onnx.LayerNormalization", args);
  if (!n)
    return n.error();
  const TensorArg &X = args.inputs[0];
  const TensorArg *bias = n->bias;
  int64_t D = n->rows.D;
  // An empty X's D need not be bounded by any buffer.
  if (X.numElements() == 0)
    return Status::ok();
  // Scale and B as dense [D] vectors.
  std::vector<float> denseScale(D), denseBias;
  broadcastCopy(*n->scale, n->inner, denseScale.data());
  if (bias) {
    denseBias.resize(D);
    broadcastCopy(*bias, n->inner, denseBias.data());
  }
  NormRows p = n->rows;
  p.scale = denseScale.data();
  p.bias = bias ? denseBias.data() : nullptr;
  normalizeRows(p, args.threads);
  return Status::ok();
}

/// onnx.BatchNormalization, inference form: X [N, C, ...], scale, B,
/// input_mean, input_var [C]; epsilon. The optional outputs running_mean and
/// running_var, which inference leaves unchanged, get the input statistics.
Status onnxBatchNorm(const KernelArgs &args) {
  Expected<double> epsilon = checkBatchNorm("onnx.BatchNormalization", args);
  if (!epsilon)
    return epsilon.error();
  const TensorArg &X = args.inputs[0];
  int64_t C = X.shape[1];
  for (size_t i = 1; i < args.outputs.size(); ++i)
    if (const TensorArg *stat = optionalArg(args.outputs, i))
      std::copy_n(args.inputs[i + 2].as<float>(), C, stat->as<float>());

  // y = x * a + b per channel, a and b folded in double.
  std::vector<float> a(C), b(C);
  const float *scale = args.inputs[1].as<float>(),
              *shift = args.inputs[2].as<float>();
  const float *mean = args.inputs[3].as<float>(),
              *var = args.inputs[4].as<float>();
  for (int64_t c = 0; c < C; ++c) {
    double factor =
        scale[c] / std::sqrt(static_cast<double>(var[c]) + *epsilon);
    a[c] = static_cast<float>(factor);
    b[c] = static_cast<float>(shift[c] - mean[c] * factor);
  }
  int64_t planes = X.shape[0] * C;
  int64_t size = planes == 0 ? 0 : X.numElements() / planes;
  const float *x = X.as<float>();
  float *y = args.outputs[0].as<float>();
#pragma omp parallel for num_threads(args.threads)
  for (int64_t plane = 0; plane < planes; ++plane) {
    float ac = a[plane % C], bc = b[plane % C];
    for (int64_t i = 0; i < size; ++i)
      y[plane * size + i] = x[plane * size + i] * ac + bc;
  }
  return Status::ok();
}

} // namespace

void registerNNKernels(KernelRegistry &registry) {
  // The convolutions and max pools of fp16 and bf16 plans run widened
  // (Adapters.h).
  registry.add("intr.conv2d", widened<conv2d>);
  registry.add("intr.max_pool2d", widened<maxPool2d>);
  registry.add("intr.linear", linear);
  registry.add("intr.layer_norm", layerNorm);
  registry.add("onnx.Conv", onnxConv);
  registry.add("onnx.MaxPool", onnxMaxPool);
  registry.add("onnx.MatMul", onnxMatMul);
  registry.add("onnx.Gemm", onnxGemm);
  registry.add("onnx.Softmax", onnxSoftmax);
  registry.add("onnx.LayerNormalization", onnxLayerNorm);
  registry.add("onnx.BatchNormalization", onnxBatchNorm);
}

} // namespace intr::cpu
