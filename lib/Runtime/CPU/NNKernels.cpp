//===- NNKernels.cpp - Convolution, pooling, matmul and norm kernels ------===//
//
// The CPU kernels of intr.conv2d, intr.max_pool2d, intr.linear and
// intr.layer_norm, and of the ONNX ops they are raised from (Conv, MaxPool,
// MatMul, Gemm, LayerNormalization, BatchNormalization, Softmax) for graphs
// that are not raised. Convolutions and matrix products go through sgemm
// (OpenBLAS); the memory-bound loops are parallel with OpenMP.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"
#include "Kernel.h"
#include "NNSupport.h"
#include "Adapters.h"

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
// Sliding windows
//===----------------------------------------------------------------------===//

/// One NCHW sliding window problem: a convolution or a pooling.
struct Window {
  int64_t N = 0, C = 0, H = 0, W = 0;
  int64_t kh = 1, kw = 1;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  int64_t Ho = 0, Wo = 0;
};

/// The number of windows along one axis: floor(reach / stride) + 1, or with
/// ceilMode ceil(reach / stride) + 1 less a last window that would start in
/// the end padding (PyTorch's rule). 0 when no window fits. The operands are
/// bounded by kMaxWindowAttr, so nothing overflows.
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

/// Reads N, C, H, W of an input [N, C, H, W], bounding H and W so that the
/// window arithmetic cannot overflow.
Status setWindowInput(const char *kernel, const TensorArg &input, Window &w) {
  w.N = input.shape[0], w.C = input.shape[1];
  w.H = input.shape[2], w.W = input.shape[3];
  if (w.H > kMaxWindowAttr || w.W > kMaxWindowAttr)
    return kernelError(kernel, "input H and W are too large in " +
                                   formatShape(input.shape));
  return Status::ok();
}

/// Fills the window's attributes from lists already checked for length and
/// range, checks the input's spatial sizes and computes Ho and Wo.
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
    return checkWindowAttr(kernel, pads, "pads", 4, 0);
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

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A convolution: the window, the groups and the output channels O.
struct Conv {
  Window w;
  int64_t O = 0, groups = 1;
};

/// The floats of one im2col buffer at most (16 MiB): larger problems are
/// cut into column chunks, each one GEMM.
constexpr int64_t kColumnBudget = int64_t(1) << 22;

/// Output positions [p0, p0 + count) of the im2col matrix of one group:
/// row (c, i, j) holds the input element that kernel tap (i, j) of channel c
/// sees at each position, zero in the padding.
void im2col(const Window &w, int64_t channels, const float *in, int64_t p0,
            int64_t count, float *col, int threads) {
  (void)threads; // Unused without OpenMP.
  int64_t rows = channels * w.kh * w.kw;
#pragma omp parallel for num_threads(threads)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t c = r / (w.kh * w.kw), i = (r / w.kw) % w.kh, j = r % w.kw;
    const float *plane = in + c * w.H * w.W;
    float *dst = col + r * count;
    // Input column of output column x: x * sw + offset.
    int64_t offset = j * w.dw - w.left;
    int64_t firstValid = offset >= 0 ? 0 : (-offset + w.sw - 1) / w.sw;
    int64_t endValid =
        w.W - 1 - offset >= 0 ? (w.W - 1 - offset) / w.sw + 1 : 0;
    for (int64_t q = 0; q < count;) {
      int64_t y = (p0 + q) / w.Wo, x0 = (p0 + q) % w.Wo;
      int64_t x1 = std::min(w.Wo, x0 + count - q);
      int64_t iy = y * w.sh + i * w.dh - w.top;
      float *row = dst + q - x0; // row[x] for x in [x0, x1)
      if (iy < 0 || iy >= w.H) {
        std::fill(row + x0, row + x1, 0.0f);
      } else {
        const float *src = plane + iy * w.W + offset;
        int64_t lo = std::clamp(firstValid, x0, x1);
        int64_t hi = std::clamp(endValid, lo, x1);
        std::fill(row + x0, row + lo, 0.0f);
        if (w.sw == 1)
          std::memcpy(row + lo, src + lo, (hi - lo) * sizeof(float));
        else
          for (int64_t x = lo; x < hi; ++x)
            row[x] = src[x * w.sw];
        std::fill(row + hi, row + x1, 0.0f);
      }
      q += x1 - x0;
    }
  }
}

/// out = act(conv(in, weight) + bias + residual), shapes already checked;
/// bias and residual may be null.
void runConv(const Conv &conv, const float *in, const float *weight,
             const float *bias, const float *residual, bool relu, float *out,
             int threads) {
  const Window &w = conv.w;
  int64_t Cg = w.C / conv.groups, Og = conv.O / conv.groups;
  int64_t HW = w.H * w.W, P = w.Ho * w.Wo, CKK = Cg * w.kh * w.kw;
  // Nothing to compute; and with O = 0, CKK is not bounded by any buffer.
  if (w.N * conv.O * P == 0)
    return;
  // A 1x1, stride 1 convolution without padding is a GEMM on the input.
  bool direct = w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1 &&
                w.top == 0 && w.left == 0 && w.bottom == 0 && w.right == 0;
  int64_t chunk = P;
  std::vector<float> col;
  if (!direct) {
    chunk = std::clamp<int64_t>(kColumnBudget / std::max<int64_t>(CKK, 1),
                                std::min<int64_t>(P, 64), P);
    col.resize(static_cast<size_t>(CKK * chunk));
  }
  for (int64_t n = 0; n < w.N; ++n)
    for (int64_t g = 0; g < conv.groups; ++g) {
      const float *x = in + (n * w.C + g * Cg) * HW;
      const float *wg = weight + g * Og * CKK;
      float *y = out + (n * conv.O + g * Og) * P;
      if (direct) {
        sgemm(false, false, Og, P, Cg, 1.0f, wg, CKK, x, HW, 0.0f, y, P,
              threads);
        continue;
      }
      for (int64_t p0 = 0; p0 < P; p0 += chunk) {
        int64_t count = std::min(chunk, P - p0);
        im2col(w, Cg, x, p0, count, col.data(), threads);
        sgemm(false, false, Og, count, CKK, 1.0f, wg, CKK, col.data(), count,
              0.0f, y + p0, P, threads);
      }
    }
  if (!bias && !residual && !relu)
    return;
#pragma omp parallel for num_threads(threads)
  for (int64_t plane = 0; plane < w.N * conv.O; ++plane) {
    float *y = out + plane * P;
    const float *r = residual ? residual + plane * P : nullptr;
    float b = bias ? bias[plane % conv.O] : 0.0f;
    for (int64_t p = 0; p < P; ++p) {
      float v = y[p] + b;
      if (r)
        v += r[p];
      y[p] = relu ? std::max(v, 0.0f) : v;
    }
  }
}

/// Checks input [N, C, H, W], weight [O, C / groups, kh, kw] and bias [O]
/// (when given), and fills `conv` but for the window's attributes.
Status checkConvOperands(const char *kernel, const TensorArg &input,
                         const TensorArg &weight, const TensorArg *bias,
                         int64_t groups, Conv &conv) {
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  if (Status s = checkTensor(kernel, weight, "weight"); !s)
    return s;
  if (input.rank() != 4)
    return kernelError(kernel, "input must be [N, C, H, W], got " +
                                   formatShape(input.shape));
  if (weight.rank() != 4)
    return kernelError(kernel, "weight must be [O, C/groups, kh, kw], got " +
                                   formatShape(weight.shape));
  Window &w = conv.w;
  if (Status s = setWindowInput(kernel, input, w); !s)
    return s;
  conv.O = weight.shape[0];
  w.kh = weight.shape[2], w.kw = weight.shape[3];
  if (groups <= 0 || w.C % groups != 0 || conv.O % groups != 0)
    return kernelError(
        kernel, "groups = " + std::to_string(groups) +
                    " must be positive and divide C = " + std::to_string(w.C) +
                    " and O = " + std::to_string(conv.O));
  conv.groups = groups;
  if (weight.shape[1] != w.C / groups)
    return kernelError(kernel, "weight must be [O, C/groups, kh, kw] with "
                               "C/groups = " +
                                   std::to_string(w.C / groups) + ", got " +
                                   formatShape(weight.shape));
  if (w.kh <= 0 || w.kw <= 0 || w.kh > kMaxWindowAttr || w.kw > kMaxWindowAttr)
    return kernelError(kernel, "kernel size out of range in weight " +
                                   formatShape(weight.shape));
  if (bias)
    return checkShape(kernel, *bias, "bias", {conv.O});
  return Status::ok();
}

/// Checks the output (and the residual, when given: the output's shape)
/// and runs the convolution.
Status finishConv(const char *kernel, const KernelArgs &args, const Conv &conv,
                  const TensorArg *bias, const TensorArg *residual, bool relu) {
  const Window &w = conv.w;
  const TensorArg &output = args.outputs[0];
  std::vector<int64_t> shape = {w.N, conv.O, w.Ho, w.Wo};
  if (Status s = checkShape(kernel, output, "output", shape); !s)
    return s;
  if (residual)
    if (Status s = checkShape(kernel, *residual, "residual", shape); !s)
      return s;
  runConv(conv, args.inputs[0].as<float>(), args.inputs[1].as<float>(),
          bias ? bias->as<float>() : nullptr,
          residual ? residual->as<float>() : nullptr, relu, output.as<float>(),
          args.threads);
  return Status::ok();
}

/// intr.conv2d: input, weight, bias, optional residual; strides, padding
/// [top, left, bottom, right], dilations, groups, activation.
Status conv2d(const KernelArgs &args) {
  const char *kernel = "intr.conv2d";
  if (Status s = checkArity(kernel, args, 3, 4, 1, 1); !s)
    return s;
  Conv conv;
  if (Status s = checkConvOperands(kernel, args.inputs[0], args.inputs[1],
                                   &args.inputs[2],
                                   args.attrs.getInt("groups", 1), conv);
      !s)
    return s;
  bool relu = false;
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> padding = args.attrs.getInts("padding", {0, 0, 0, 0});
  if (Status s = parseActivation(kernel, args.attrs, relu); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, padding, "padding", 4, 0); !s)
    return s;
  if (Status s = setWindow(kernel, conv.w, strides, dilations, padding,
                           /*ceilMode=*/false);
      !s)
    return s;
  return finishConv(kernel, args, conv, &args.inputs[2],
                    optionalArg(args.inputs, 3), relu);
}

/// onnx.Conv: X, W, optional B; auto_pad, dilations, group, kernel_shape,
/// pads [x1_begin, x2_begin, x1_end, x2_end], strides. 2-D only.
Status onnxConv(const KernelArgs &args) {
  const char *kernel = "onnx.Conv";
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s;
  if (args.inputs[0].rank() != 4)
    return kernelError(kernel, "only 2-D convolutions (X of rank 4) are "
                               "supported, got X " +
                                   formatShape(args.inputs[0].shape));
  const TensorArg *bias = optionalArg(args.inputs, 2);
  Conv conv;
  if (Status s = checkConvOperands(kernel, args.inputs[0], args.inputs[1], bias,
                                   args.attrs.getInt("group", 1), conv);
      !s)
    return s;
  std::vector<int64_t> kernelShape =
      args.attrs.getInts("kernel_shape", {conv.w.kh, conv.w.kw});
  if (kernelShape != std::vector<int64_t>{conv.w.kh, conv.w.kw})
    return kernelError(kernel, "kernel_shape " + formatShape(kernelShape) +
                                   " differs from W " +
                                   formatShape(args.inputs[1].shape));
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> pads;
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s;
  if (Status s = onnxPads(kernel, args.attrs, conv.w, strides, dilations, pads);
      !s)
    return s;
  if (Status s = setWindow(kernel, conv.w, strides, dilations, pads,
                           /*ceilMode=*/false);
      !s)
    return s;
  return finishConv(kernel, args, conv, bias, /*residual=*/nullptr,
                    /*relu=*/false);
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

/// out = max over each window, padding never winning and NaN propagating.
/// Each output row takes the column maxima of its window's input rows
/// first (contiguous, vectorizable), then the maxima along the row.
void runMaxPool(const Window &w, const float *in, float *out, int threads) {
  (void)threads; // Unused without OpenMP.
  int64_t rows = w.N * w.C * w.Ho;
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> columns(static_cast<size_t>(w.W));
#pragma omp for
    for (int64_t r = 0; r < rows; ++r) {
      int64_t plane = r / w.Ho, y = r % w.Ho;
      int64_t top = y * w.sh - w.top;
      auto [i0, i1] = validTaps(top, w.kh, w.dh, w.H);
      std::fill(columns.begin(), columns.end(),
                -std::numeric_limits<float>::infinity());
      for (int64_t i = i0; i < i1; ++i) {
        const float *src = in + (plane * w.H + top + i * w.dh) * w.W;
        for (int64_t x = 0; x < w.W; ++x)
          columns[x] = maxWithNaN(columns[x], src[x]);
      }
      for (int64_t x = 0; x < w.Wo; ++x) {
        int64_t left = x * w.sw - w.left;
        auto [j0, j1] = validTaps(left, w.kw, w.dw, w.W);
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t j = j0; j < j1; ++j)
          best = maxWithNaN(best, columns[left + j * w.dw]);
        out[r * w.Wo + x] = best;
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

/// Checks input [N, C, H, W] and fills the window's input sizes.
Status checkPoolInput(const char *kernel, const TensorArg &input,
                      const std::vector<int64_t> &kernelShape, Window &w) {
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  if (input.rank() != 4)
    return kernelError(kernel, "only 2-D pooling (input [N, C, H, W]) is "
                               "supported, got " +
                                   formatShape(input.shape));
  if (Status s = setWindowInput(kernel, input, w); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, kernelShape, "kernel", 2, 1); !s)
    return s;
  w.kh = kernelShape[0], w.kw = kernelShape[1];
  return Status::ok();
}

/// intr.max_pool2d: input; kernel, strides, padding, ceil_mode.
Status maxPool2d(const KernelArgs &args) {
  const char *kernel = "intr.max_pool2d";
  if (Status s = checkArity(kernel, args, 1, 1, 1, 1); !s)
    return s;
  Window w;
  std::vector<int64_t> kernelShape = args.attrs.getInts("kernel");
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> padding = args.attrs.getInts("padding", {0, 0, 0, 0});
  if (Status s = checkPoolInput(kernel, args.inputs[0], kernelShape, w); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, padding, "padding", 4, 0); !s)
    return s;
  // Every window must see an element of the input.
  if (padding[0] >= w.kh || padding[2] >= w.kh || padding[1] >= w.kw ||
      padding[3] >= w.kw)
    return kernelError(kernel, "padding " + formatShape(padding) +
                                   " must be smaller than kernel " +
                                   formatShape(kernelShape));
  if (Status s = setWindow(kernel, w, strides, {1, 1}, padding,
                           args.attrs.getInt("ceil_mode", 0) != 0);
      !s)
    return s;
  const TensorArg &output = args.outputs[0];
  if (Status s = checkShape(kernel, output, "output", {w.N, w.C, w.Ho, w.Wo});
      !s)
    return s;
  runMaxPool(w, args.inputs[0].as<float>(), output.as<float>(), args.threads);
  return Status::ok();
}

/// onnx.MaxPool: X; auto_pad, ceil_mode, dilations, kernel_shape, pads,
/// storage_order, strides. Results Y and the optional Indices (i64).
Status onnxMaxPool(const KernelArgs &args) {
  const char *kernel = "onnx.MaxPool";
  if (Status s = checkArity(kernel, args, 1, 1, 1, 2); !s)
    return s;
  Window w;
  std::vector<int64_t> kernelShape = args.attrs.getInts("kernel_shape");
  std::vector<int64_t> strides = args.attrs.getInts("strides", {1, 1});
  std::vector<int64_t> dilations = args.attrs.getInts("dilations", {1, 1});
  std::vector<int64_t> pads;
  int64_t ceilMode = args.attrs.getInt("ceil_mode", 0);
  int64_t storageOrder = args.attrs.getInt("storage_order", 0);
  if (Status s = checkPoolInput(kernel, args.inputs[0], kernelShape, w); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, strides, "strides", 2, 1); !s)
    return s;
  if (Status s = checkWindowAttr(kernel, dilations, "dilations", 2, 1); !s)
    return s;
  if (ceilMode != 0 && ceilMode != 1)
    return kernelError(kernel, "ceil_mode must be 0 or 1");
  if (storageOrder != 0 && storageOrder != 1)
    return kernelError(kernel, "storage_order must be 0 or 1");
  if (Status s = onnxPads(kernel, args.attrs, w, strides, dilations, pads); !s)
    return s;
  if (Status s = setWindow(kernel, w, strides, dilations, pads, ceilMode); !s)
    return s;
  std::vector<int64_t> shape = {w.N, w.C, w.Ho, w.Wo};
  if (Status s = checkShape(kernel, args.outputs[0], "Y", shape); !s)
    return s;
  const TensorArg *indices = optionalArg(args.outputs, 1);
  if (indices) {
    if (Status s = checkShape(kernel, *indices, "Indices", shape, DType::I64);
        !s)
      return s;
  }
  if (indices)
    runMaxPoolWithIndices(w, args.inputs[0].as<float>(),
                          args.outputs[0].as<float>(), indices->as<int64_t>(),
                          storageOrder == 1, args.threads);
  else
    runMaxPool(w, args.inputs[0].as<float>(), args.outputs[0].as<float>(),
               args.threads);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// intr.linear: input [..., K], weight [N, K] (transpose_weight) or [K, N],
/// optional bias [N]; activation.
Status linear(const KernelArgs &args) {
  const char *kernel = "intr.linear";
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s;
  const TensorArg &input = args.inputs[0], &weight = args.inputs[1];
  const TensorArg *bias = optionalArg(args.inputs, 2);
  bool transposed = args.attrs.getInt("transpose_weight", 1) != 0;
  bool relu = false;
  if (Status s = parseActivation(kernel, args.attrs, relu); !s)
    return s;
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  if (Status s = checkTensor(kernel, weight, "weight"); !s)
    return s;
  if (input.rank() < 1)
    return kernelError(kernel, "input must be [..., K], got a scalar");
  int64_t K = input.shape.back();
  int64_t N = weight.rank() == 2 ? weight.shape[transposed ? 0 : 1] : -1;
  std::vector<int64_t> expected =
      transposed ? std::vector<int64_t>{N, K} : std::vector<int64_t>{K, N};
  if (weight.rank() != 2 || weight.shape != expected)
    return kernelError(kernel, std::string("weight must be ") +
                                   (transposed ? "[N, K]" : "[K, N]") +
                                   " with K = " + std::to_string(K) + ", got " +
                                   formatShape(weight.shape));
  if (bias) {
    if (Status s = checkShape(kernel, *bias, "bias", {N}); !s)
      return s;
  }
  std::vector<int64_t> outShape = input.shape;
  outShape.back() = N;
  const TensorArg &output = args.outputs[0];
  if (Status s = checkShape(kernel, output, "output", outShape); !s)
    return s;
  int64_t M = elementCount({input.shape.begin(), input.shape.end() - 1});
  sgemm(false, transposed, M, N, K, 1.0f, input.as<float>(), K,
        weight.as<float>(), transposed ? K : N, 0.0f, output.as<float>(), N,
        args.threads);
  addBiasByColumn(output.as<float>(), M, N, bias ? bias->as<float>() : nullptr,
                  relu, args.threads);
  return Status::ok();
}

/// Whether `shape` broadcasts to `target` one way (numpy rules, `shape`
/// right-aligned, extra leading sizes of `shape` all 1).
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

/// Writes `source` broadcast to `target` (checked with broadcastsTo) into
/// the dense `dest`.
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

/// The numpy broadcast of two batch shapes, or false when they do not
/// broadcast.
bool broadcastShapes(const std::vector<int64_t> &a,
                     const std::vector<int64_t> &b,
                     std::vector<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x != y && x != 1 && y != 1)
      return false;
    result[i] = x == 1 ? y : x;
  }
  return true;
}

/// For each batch of `batch`, the index of the matching matrix of an
/// operand with batch shape `own` (broadcast).
std::vector<int64_t> batchOffsets(const std::vector<int64_t> &own,
                                  const std::vector<int64_t> &batch) {
  size_t rank = batch.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < own.size(); ++i) {
    int64_t size = own[own.size() - 1 - i];
    strides[rank - 1 - i] = size == 1 ? 0 : stride;
    stride *= size;
  }
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

/// onnx.MatMul: numpy.matmul of A and B, batch dimensions broadcast, a 1-D
/// A a row vector and a 1-D B a column vector whose dimension is dropped.
Status onnxMatMul(const KernelArgs &args) {
  const char *kernel = "onnx.MatMul";
  if (Status s = checkArity(kernel, args, 2, 2, 1, 1); !s)
    return s;
  const TensorArg &A = args.inputs[0], &B = args.inputs[1];
  if (Status s = checkTensor(kernel, A, "A"); !s)
    return s;
  if (Status s = checkTensor(kernel, B, "B"); !s)
    return s;
  if (A.rank() < 1 || B.rank() < 1)
    return kernelError(kernel, "operands must have rank 1 or more, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  std::vector<int64_t> a = A.shape, b = B.shape;
  if (A.rank() == 1)
    a.insert(a.begin(), 1);
  if (B.rank() == 1)
    b.push_back(1);
  int64_t M = a[a.size() - 2], K = a.back(), N = b.back();
  if (b[b.size() - 2] != K)
    return kernelError(kernel, "contracted sizes differ: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  std::vector<int64_t> batchA(a.begin(), a.end() - 2);
  std::vector<int64_t> batchB(b.begin(), b.end() - 2), batch;
  if (!broadcastShapes(batchA, batchB, batch))
    return kernelError(kernel, "batch dimensions do not broadcast: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  std::vector<int64_t> outShape = batch;
  if (A.rank() > 1)
    outShape.push_back(M);
  if (B.rank() > 1)
    outShape.push_back(N);
  const TensorArg &Y = args.outputs[0];
  if (Status s = checkShape(kernel, Y, "Y", outShape); !s)
    return s;

  const float *pa = A.as<float>(), *pb = B.as<float>();
  float *py = Y.as<float>();
  int64_t batches = elementCount(batch);
  // An empty Y's batch count need not be bounded by any buffer.
  if (Y.numElements() == 0)
    return Status::ok();
  // A single B for every batch: one GEMM over all the rows of A.
  if (elementCount(batchB) == 1 && elementCount(batchA) == batches) {
    sgemm(false, false, batches * M, N, K, 1.0f, pa, K, pb, N, 0.0f, py, N,
          args.threads);
    return Status::ok();
  }
  std::vector<int64_t> offsetsA = batchOffsets(batchA, batch);
  std::vector<int64_t> offsetsB = batchOffsets(batchB, batch);
  for (int64_t e = 0; e < batches; ++e)
    sgemm(false, false, M, N, K, 1.0f, pa + offsetsA[e] * M * K, K,
          pb + offsetsB[e] * K * N, N, 0.0f, py + e * M * N, N, args.threads);
  return Status::ok();
}

/// onnx.Gemm: Y = alpha * op(A) * op(B) + beta * C; A and B 2-D, C optional
/// and broadcast to [M, N]; alpha, beta, transA, transB.
Status onnxGemm(const KernelArgs &args) {
  const char *kernel = "onnx.Gemm";
  if (Status s = checkArity(kernel, args, 2, 3, 1, 1); !s)
    return s;
  const TensorArg &A = args.inputs[0], &B = args.inputs[1];
  const TensorArg *C = optionalArg(args.inputs, 2);
  if (Status s = checkTensor(kernel, A, "A"); !s)
    return s;
  if (Status s = checkTensor(kernel, B, "B"); !s)
    return s;
  if (A.rank() != 2 || B.rank() != 2)
    return kernelError(kernel, "A and B must be 2-D, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  bool transA = args.attrs.getInt("transA", 0) != 0;
  bool transB = args.attrs.getInt("transB", 0) != 0;
  auto alpha = static_cast<float>(args.attrs.getFloat("alpha", 1.0));
  auto beta = static_cast<float>(args.attrs.getFloat("beta", 1.0));
  int64_t M = A.shape[transA ? 1 : 0], K = A.shape[transA ? 0 : 1];
  int64_t N = B.shape[transB ? 0 : 1];
  if (B.shape[transB ? 1 : 0] != K)
    return kernelError(kernel,
                       "contracted sizes differ: A " + formatShape(A.shape) +
                           ", B " + formatShape(B.shape) +
                           " (transA = " + std::to_string(transA) +
                           ", transB = " + std::to_string(transB) + ")");
  std::vector<int64_t> outShape = {M, N};
  if (C) {
    if (Status s = checkTensor(kernel, *C, "C"); !s)
      return s;
    if (!broadcastsTo(C->shape, outShape))
      return kernelError(kernel, "C " + formatShape(C->shape) +
                                     " does not broadcast to " +
                                     formatShape(outShape));
  }
  const TensorArg &Y = args.outputs[0];
  if (Status s = checkShape(kernel, Y, "Y", outShape); !s)
    return s;
  bool withC = C && beta != 0.0f;
  if (withC)
    broadcastCopy(*C, outShape, Y.as<float>());
  sgemm(transA, transB, M, N, K, alpha, A.as<float>(), A.shape[1],
        B.as<float>(), B.shape[1], withC ? beta : 0.0f, Y.as<float>(), N,
        args.threads);
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

/// onnx.Softmax (opset 13): softmax along `axis`, the maximum subtracted.
Status onnxSoftmax(const KernelArgs &args) {
  const char *kernel = "onnx.Softmax";
  if (Status s = checkArity(kernel, args, 1, 1, 1, 1); !s)
    return s;
  const TensorArg &input = args.inputs[0];
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  int64_t rank = input.rank(), axis = args.attrs.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return kernelError(kernel, "axis " + std::to_string(axis) +
                                   " is out of range for input " +
                                   formatShape(input.shape));
  if (axis < 0)
    axis += rank;
  if (Status s = checkShape(kernel, args.outputs[0], "output", input.shape); !s)
    return s;
  int64_t n = input.shape[axis], inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= input.shape[d];
  int64_t lanes = n == 0 ? 0 : input.numElements() / n;
  const float *in = input.as<float>();
  float *out = args.outputs[0].as<float>();
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

/// Normalizes each of `rows` rows of D elements: y = (s - mean) /
/// sqrt(var + epsilon) * scale + bias, with s = x (+ residual). Writes the
/// sums, means and inverse deviations where asked. Row statistics in double.
struct NormRows {
  const float *x = nullptr, *residual = nullptr;
  const float *scale = nullptr, *bias = nullptr;
  float *y = nullptr, *sum = nullptr, *mean = nullptr, *invStdDev = nullptr;
  int64_t rows = 0, D = 0;
  double epsilon = 1e-5;
};

void normalizeRows(const NormRows &p, int threads) {
  (void)threads; // Unused without OpenMP.
#pragma omp parallel num_threads(threads)
  {
    // s is a copy, so outputs may alias the inputs row for row.
    std::vector<float> s(static_cast<size_t>(p.D));
#pragma omp for
    for (int64_t r = 0; r < p.rows; ++r) {
      const float *x = p.x + r * p.D;
      double total = 0.0;
      for (int64_t d = 0; d < p.D; ++d) {
        s[d] = p.residual ? x[d] + p.residual[r * p.D + d] : x[d];
        total += s[d];
      }
      double mean = total / static_cast<double>(p.D);
      double squares = 0.0;
      for (int64_t d = 0; d < p.D; ++d) {
        double centered = s[d] - mean;
        squares += centered * centered;
      }
      double inv =
          1.0 / std::sqrt(squares / static_cast<double>(p.D) + p.epsilon);
      auto m = static_cast<float>(mean), k = static_cast<float>(inv);
      float *y = p.y + r * p.D;
      for (int64_t d = 0; d < p.D; ++d)
        y[d] = (s[d] - m) * k * p.scale[d] + (p.bias ? p.bias[d] : 0.0f);
      if (p.sum)
        std::copy(s.begin(), s.end(), p.sum + r * p.D);
      if (p.mean)
        p.mean[r] = m;
      if (p.invStdDev)
        p.invStdDev[r] = k;
    }
  }
}

/// Checks an epsilon attribute: finite and non-negative.
Status checkEpsilon(const char *kernel, double epsilon) {
  if (!(std::isfinite(epsilon) && epsilon >= 0.0))
    return kernelError(kernel, "epsilon must be non-negative and finite, "
                               "got " +
                                   std::to_string(epsilon));
  return Status::ok();
}

/// intr.layer_norm: input [..., D], scale [D], bias [D], optional residual
/// (input's shape); epsilon. Results output and sum (input + residual).
Status layerNorm(const KernelArgs &args) {
  const char *kernel = "intr.layer_norm";
  if (Status s = checkArity(kernel, args, 3, 4, 1, 2); !s)
    return s;
  const TensorArg &input = args.inputs[0];
  const TensorArg *residual = optionalArg(args.inputs, 3);
  const TensorArg *sum = optionalArg(args.outputs, 1);
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  if (input.rank() < 1 || input.shape.back() == 0)
    return kernelError(kernel, "input must be [..., D] with D > 0, got " +
                                   formatShape(input.shape));
  int64_t D = input.shape.back();
  if (Status s = checkShape(kernel, args.inputs[1], "scale", {D}); !s)
    return s;
  if (Status s = checkShape(kernel, args.inputs[2], "bias", {D}); !s)
    return s;
  if (residual) {
    if (Status s = checkShape(kernel, *residual, "residual", input.shape); !s)
      return s;
  }
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s;
  if (Status s = checkShape(kernel, args.outputs[0], "output", input.shape); !s)
    return s;
  if (sum) {
    if (Status s = checkShape(kernel, *sum, "sum", input.shape); !s)
      return s;
  }
  NormRows p;
  p.x = input.as<float>();
  p.residual = residual ? residual->as<float>() : nullptr;
  p.scale = args.inputs[1].as<float>();
  p.bias = args.inputs[2].as<float>();
  p.y = args.outputs[0].as<float>();
  p.sum = sum ? sum->as<float>() : nullptr;
  p.rows = input.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  normalizeRows(p, args.threads);
  return Status::ok();
}

/// onnx.LayerNormalization (opset 17): X, Scale, optional B; axis, epsilon.
/// Results Y and the optional Mean and InvStdDev (f32).
Status onnxLayerNorm(const KernelArgs &args) {
  const char *kernel = "onnx.LayerNormalization";
  if (Status s = checkArity(kernel, args, 2, 3, 1, 3); !s)
    return s;
  const TensorArg &X = args.inputs[0], &scale = args.inputs[1];
  const TensorArg *bias = optionalArg(args.inputs, 2);
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (Status s = checkTensor(kernel, X, "X"); !s)
    return s;
  int64_t rank = X.rank(), axis = args.attrs.getInt("axis", -1);
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
    if (Status s = checkTensor(kernel, *tensor, name); !s)
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
  if (Status s = checkShape(kernel, args.outputs[0], "Y", X.shape); !s)
    return s;
  const TensorArg *mean = optionalArg(args.outputs, 1);
  const TensorArg *invStdDev = optionalArg(args.outputs, 2);
  if (mean) {
    if (Status s = checkShape(kernel, *mean, "Mean", statsShape); !s)
      return s;
  }
  if (invStdDev) {
    if (Status s = checkShape(kernel, *invStdDev, "InvStdDev", statsShape); !s)
      return s;
  }
  // An empty X's D need not be bounded by any buffer.
  if (X.numElements() == 0)
    return Status::ok();
  // Scale and B as dense [D] vectors.
  std::vector<float> denseScale(D), denseBias;
  broadcastCopy(scale, inner, denseScale.data());
  if (bias) {
    denseBias.resize(D);
    broadcastCopy(*bias, inner, denseBias.data());
  }
  NormRows p;
  p.x = X.as<float>();
  p.scale = denseScale.data();
  p.bias = bias ? denseBias.data() : nullptr;
  p.y = args.outputs[0].as<float>();
  p.mean = mean ? mean->as<float>() : nullptr;
  p.invStdDev = invStdDev ? invStdDev->as<float>() : nullptr;
  p.rows = X.numElements() / D;
  p.D = D;
  p.epsilon = epsilon;
  normalizeRows(p, args.threads);
  return Status::ok();
}

/// onnx.BatchNormalization, inference form: X [N, C, ...], scale, B,
/// input_mean, input_var [C]; epsilon. The optional outputs running_mean and
/// running_var, which inference leaves unchanged, get the input statistics.
Status onnxBatchNorm(const KernelArgs &args) {
  const char *kernel = "onnx.BatchNormalization";
  if (Status s = checkArity(kernel, args, 5, 5, 1, 3); !s)
    return s;
  const TensorArg &X = args.inputs[0];
  double epsilon = args.attrs.getFloat("epsilon", 1e-5);
  if (args.attrs.getInt("training_mode", 0) != 0)
    return kernelError(kernel, "training_mode is not supported");
  if (Status s = checkTensor(kernel, X, "X"); !s)
    return s;
  if (X.rank() < 2)
    return kernelError(kernel,
                       "X must be [N, C, ...], got " + formatShape(X.shape));
  int64_t C = X.shape[1];
  const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  for (int i = 1; i < 5; ++i)
    if (Status s = checkShape(kernel, args.inputs[i], names[i], {C}); !s)
      return s;
  if (Status s = checkEpsilon(kernel, epsilon); !s)
    return s;
  if (Status s = checkShape(kernel, args.outputs[0], "Y", X.shape); !s)
    return s;
  const char *statNames[] = {"Y", "running_mean", "running_var"};
  for (size_t i = 1; i < args.outputs.size(); ++i)
    if (const TensorArg *stat = optionalArg(args.outputs, i))
      if (Status s = checkShape(kernel, *stat, statNames[i], {C}); !s)
        return s;
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
    double factor = scale[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
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
  // The convolutions and max pools of fp16 and bf16 plans (Adapters.h).
  registry.add("intr.conv2d", widened<channelsFirst<conv2d>>);
  registry.add("intr.max_pool2d", widened<channelsFirst<maxPool2d>>);
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
