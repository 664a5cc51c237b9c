//===- ConvKernels.cu - Convolutions on cuDNN, or im2col and cuBLASLt -----===//
//
// The CUDA kernels of intr.conv2d and onnx.Conv, with the checks and
// semantics of the CPU kernels (CPU/NNKernels.cpp): NCHW f32, OIHW weights,
// groups, strides, dilations, padding, and conv2d's epilogue (bias,
// residual, ReLU). intr.conv2d also takes f16 or bf16 (every operand and
// the result of one type, from --precision fp16|bf16), and channels_last
// images (NHWC, weights OHWI): cuDNN runs those, on tensor cores with f32
// sums for 16 bits, and they need its path.
//
// With cuDNN, its convolution runs (the legacy cudnnConvolutionForward API
// of cuDNN 9, FMA math so that fp32 stays exact, the algorithm chosen once
// per shape and kept in Context::tuned: for f32, by timing the candidates of
// cuDNN's heuristic on the step's own operands; for 16 bits, the heuristic's
// first). A bias with a ReLU, and a residual with them, is fused with
// cudnnConvolutionBiasActivationForward (the residual is its z operand), and
// so are they without the ReLU when the algorithm is the implicit
// precomputed GEMM, the one algorithm that call takes with the identity
// activation (and the one cuDNN's heuristic ranks first for every 16-bit
// convolution of ResNet-50); any other epilogue is a small kernel after the
// convolution. An f32 NCHW convolution that is a plain GEMM (1x1, stride 1,
// no padding, one group) may run as one instead (below), when the first
// run times that faster. cuDNN's descriptors take one padding per axis, so
// asymmetric padding (ONNX's SAME_*) and sizes beyond its int32 indexing
// take the path below. With Context::smallChannelConv, a 16-bit
// channels-last convolution over a few input channels (the stem) runs on
// SmallChannelConv.cu's kernel instead of either; with
// Context::convGraphs, other 16-bit channels-last ones that cuDNN's
// descriptors can say run as operation graphs (CudnnGraphConv.cu).
//
// Without cuDNN, im2col writes each chunk of output positions' input
// windows into the scratch and the Gemm.h helper multiplies them with the
// weights, a strided batch over the images (or over the groups, whichever
// is longer) per call; then the epilogue kernel adds the bias and the
// residual and applies the ReLU. A 1x1, stride 1 convolution without
// padding multiplies the input itself.
//
//===----------------------------------------------------------------------===//

#include "ConvKernels.h"
#include "Float16.cuh"
#include "Gemm.h"
#include "Launch.cuh"

#include <algorithm>
#include <climits>
#include <functional>
#include <string>
#include <vector>

namespace intr::cuda {

namespace {

// The CPU kernels' operand checks and geometry, so that both say the same.
using cpu::nn::Conv;
using cpu::nn::ConvStep;

/// The floats of one im2col buffer at most (128 MiB): larger problems are
/// cut into chunks of output positions.
constexpr int64_t kColumnBudget = int64_t(1) << 25;

//===----------------------------------------------------------------------===//
// Device kernels
//===----------------------------------------------------------------------===//

/// y[n, o, p] = act((overwrite ? 0 : y[n, o, p]) + bias[o] + residual[n, o,
/// p]) over `total` elements of [N, O, P] (or [N, P, O] channelsLast),
/// summed in f32 and stored as T.
template <typename T>
__global__ void epilogueKernel(T *y, int64_t total, int64_t O, int64_t P,
                               ConvEpilogue epilogue, bool channelsLast,
                               bool overwrite) {
  awaitPredecessors();
  const bool relu = epilogue.relu;
  const T *bias = static_cast<const T *>(epilogue.bias);
  const T *residual = static_cast<const T *>(epilogue.residual);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    float value = overwrite ? 0.0f : load(y[i]);
    if (bias)
      value += load(bias[channelsLast ? i % O : (i / P) % O]);
    if (residual)
      value += load(residual[i]);
    // max(v, 0) as the CPU's std::max writes it: NaN stays NaN.
    if (relu && value < 0.0f)
      value = 0.0f;
    y[i] = store<T>(value);
  }
}

/// The output positions [p0, p0 + count) of every image's im2col matrix:
/// col[n][c][i][j][q] = x[n, c, y·sh + i·dh − top, x·sw + j·dw − left] for
/// position p0 + q = (y, x), zero in the padding. Channel c = g·Cg + c' and
/// tap (i, j) make row (c'·kh + i)·kw + j of group g's [Cg·kh·kw, count]
/// matrix, as the weight's [O, Cg, kh, kw] columns are ordered.
__global__ void im2colKernel(const float *x, Conv conv, int64_t p0,
                             int64_t count, float *col) {
  awaitPredecessors();
  int64_t taps = conv.kh * conv.kw;
  int64_t total = conv.N * conv.C * taps * count;
  for (int64_t e = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; e < total;
       e += int64_t(gridDim.x) * blockDim.x) {
    int64_t q = e % count, row = e / count;
    int64_t tap = row % taps, plane = row / taps; // plane = n·C + c
    int64_t i = tap / conv.kw, j = tap % conv.kw;
    int64_t p = p0 + q;
    int64_t iy = (p / conv.Wo) * conv.sh + i * conv.dh - conv.top;
    int64_t ix = (p % conv.Wo) * conv.sw + j * conv.dw - conv.left;
    bool inside = iy >= 0 && iy < conv.H && ix >= 0 && ix < conv.W;
    col[e] = inside ? x[(plane * conv.H + iy) * conv.W + ix] : 0.0f;
  }
}

/// Applies the epilogue to the convolution's output, or with `overwrite`
/// writes it without reading the output.
Status launchEpilogue(Context &context, const Conv &conv, void *y,
                      const ConvEpilogue &epilogue, bool overwrite,
                      const char *kernel) {
  int64_t P = conv.Ho * conv.Wo, total = conv.N * conv.O * P;
  visitFloatStorage(conv.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch(context, epilogueKernel<T>, gridFor(total, context), 256, 0,
           static_cast<T *>(y), total, conv.O, P, epilogue, conv.channelsLast,
           overwrite);
  });
  return checkLaunch(kernel);
}

//===----------------------------------------------------------------------===//
// im2col and cuBLASLt
//===----------------------------------------------------------------------===//

/// Runs a checked convolution as GEMMs of the weights with the im2col
/// matrices (or the input itself for a 1x1, stride 1 one without padding).
Status runIm2col(Context &context, const Conv &conv, const float *x,
                 const float *w, const ConvEpilogue &epilogue, float *y,
                 const char *kernel) {
  int64_t G = conv.groups, Cg = conv.C / G, Og = conv.O / G;
  int64_t P = conv.Ho * conv.Wo, HW = conv.H * conv.W;
  int64_t CKK = Cg * conv.kh * conv.kw;
  bool direct = conv.kh == 1 && conv.kw == 1 && conv.sh == 1 && conv.sw == 1 &&
                conv.top == 0 && conv.left == 0 && conv.bottom == 0 &&
                conv.right == 0;
  // The strided batch runs over images or groups, whichever is longer, and
  // the other is a loop of calls.
  bool batchGroups = G > conv.N;
  int64_t calls = batchGroups ? conv.N : G;

  int64_t chunk = P;
  float *col = nullptr;
  void *workspace = nullptr;
  if (direct) {
    if (calls > 1) {
      Expected<void *> scratch = context.scratch(kGemmWorkspaceLimit);
      if (!scratch)
        return scratch.error();
      workspace = *scratch;
    }
  } else {
    // Rows of all images' im2col matrices; far beyond any buffer when the
    // attributes are absurd, which the scratch then refuses.
    double rows =
        double(conv.N) * double(conv.C) * double(conv.kh) * double(conv.kw);
    if (rows * double(std::min<int64_t>(P, 64)) > double(int64_t(1) << 40))
      return kernelError(
          kernel, "the im2col buffer of a " + std::to_string(conv.kh) + "x" +
                      std::to_string(conv.kw) + " convolution over " +
                      std::to_string(conv.C) + " channels is too large");
    auto rowCount = static_cast<int64_t>(rows);
    chunk = std::clamp<int64_t>(kColumnBudget / rowCount,
                                std::min<int64_t>(P, 64), P);
    // The column buffer, then the GEMMs' workspace 256-byte aligned.
    size_t colBytes = size_t(rowCount * chunk) * sizeof(float);
    colBytes = (colBytes + 255) / 256 * 256;
    Expected<void *> scratch = context.scratch(colBytes + kGemmWorkspaceLimit);
    if (!scratch)
      return scratch.error();
    col = static_cast<float *>(*scratch);
    workspace = static_cast<char *>(*scratch) + colBytes;
  }

  for (int64_t p0 = 0; p0 < P; p0 += chunk) {
    int64_t count = std::min(chunk, P - p0);
    if (!direct) {
      int64_t total = conv.N * conv.C * conv.kh * conv.kw * count;
      launch(context, im2colKernel, gridFor(total, context), 256, 0, x, conv,
             p0, count, col);
      if (Status s = checkLaunch(kernel); !s)
        return s;
    }
    // Group g of image n is the [CKK, count] matrix at (n·G + g)·S of the
    // source, with row stride ldb.
    const float *source = direct ? x : col;
    int64_t S = direct ? Cg * HW : CKK * count;
    GemmDesc desc;
    desc.M = Og;
    desc.N = count;
    desc.K = CKK;
    desc.lda = CKK;
    desc.ldb = direct ? HW : count;
    desc.ldc = P;
    for (int64_t c = 0; c < calls; ++c) {
      if (batchGroups) { // Image c, all groups.
        desc.batch = G;
        desc.A = w;
        desc.strideA = Og * CKK;
        desc.B = source + c * G * S;
        desc.strideB = S;
        desc.C = y + c * conv.O * P + p0;
        desc.strideC = Og * P;
      } else { // Group c, all images.
        desc.batch = conv.N;
        desc.A = w + c * Og * CKK;
        desc.strideA = 0;
        desc.B = source + c * S;
        desc.strideB = G * S;
        desc.C = y + c * Og * P + p0;
        desc.strideC = conv.O * P;
      }
      if (Status s = gemm(context, desc, kernel, workspace); !s)
        return s;
    }
  }
  if (epilogue.empty())
    return Status::ok();
  return launchEpilogue(context, conv, y, epilogue, /*overwrite=*/false,
                        kernel);
}

//===----------------------------------------------------------------------===//
// cuDNN
//===----------------------------------------------------------------------===//

#if INTR_HAVE_CUDNN

/// Calls timed per candidate when choosing by timing (with the host's work
/// included: see tunedAlgorithm).
constexpr int kTimedRuns = 3;

/// A tuned entry: the algorithm, its workspace, and whether the fused
/// bias + activation call works with it: from kFusedSlot on, ReLU without
/// and with a residual, then the identity without and with one (cuDNN may
/// take one and refuse another; kFusedUntried until a step tries).
constexpr size_t kAlgoSlot = 0, kWorkspaceSlot = 1, kFusedSlot = 2;
constexpr size_t kEntrySize = 6;
constexpr int64_t kFusedUntried = 0, kFusedWorks = 1, kFusedFails = -1;

/// Owners of cuDNN's descriptors (host objects only).
struct TensorDesc {
  cudnnTensorDescriptor_t handle = nullptr;
  ~TensorDesc() {
    if (handle)
      cudnnDestroyTensorDescriptor(handle);
  }
};
struct FilterDesc {
  cudnnFilterDescriptor_t handle = nullptr;
  ~FilterDesc() {
    if (handle)
      cudnnDestroyFilterDescriptor(handle);
  }
};
struct ConvDesc {
  cudnnConvolutionDescriptor_t handle = nullptr;
  ~ConvDesc() {
    if (handle)
      cudnnDestroyConvolutionDescriptor(handle);
  }
};
struct ActivationDesc {
  cudnnActivationDescriptor_t handle = nullptr;
  ~ActivationDesc() {
    if (handle)
      cudnnDestroyActivationDescriptor(handle);
  }
};

struct Descriptors {
  TensorDesc x, y, bias;
  FilterDesc w;
  ConvDesc conv;
};

/// Whether cuDNN's descriptors can say this convolution: one padding per
/// axis, and sizes within its int32 indexing.
bool cudnnFits(const Conv &conv) {
  if (conv.top != conv.bottom || conv.left != conv.right)
    return false;
  auto small = [](double v) { return v <= double(INT_MAX); };
  double N = double(conv.N), O = double(conv.O);
  return small(N) && small(conv.C) && small(O) &&
         small(N * conv.C * conv.H * conv.W) &&
         small(N * O * conv.Ho * conv.Wo) &&
         small(O * double(conv.C / conv.groups) * conv.kh * conv.kw);
}

/// cuDNN's name of an F32, F16 or BF16 dtype.
cudnnDataType_t cudnnType(DType dtype) {
  return dtype == DType::F16    ? CUDNN_DATA_HALF
         : dtype == DType::BF16 ? CUDNN_DATA_BFLOAT16
                                : CUDNN_DATA_FLOAT;
}

Status tensor4d(TensorDesc &out, cudnnTensorFormat_t format,
                cudnnDataType_t type, int64_t n, int64_t c, int64_t h,
                int64_t w, const std::string &what) {
  if (Status s = check(cudnnCreateTensorDescriptor(&out.handle), what); !s)
    return s;
  return check(cudnnSetTensor4dDescriptor(out.handle, format, type, int(n),
                                          int(c), int(h), int(w)),
               what);
}

/// Describes a convolution that cudnnFits. Sums are f32 whatever the
/// data's type (cuDNN's "pseudo half" configurations for f16 and bf16).
Status describe(const Conv &conv, bool allowTF32, Descriptors &d,
                const std::string &what) {
  cudnnDataType_t type = cudnnType(conv.dtype);
  // NHWC also makes the filter [O, kh, kw, C/groups].
  cudnnTensorFormat_t format =
      conv.channelsLast ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW;
  if (Status s =
          tensor4d(d.x, format, type, conv.N, conv.C, conv.H, conv.W, what);
      !s)
    return s;
  if (Status s =
          tensor4d(d.y, format, type, conv.N, conv.O, conv.Ho, conv.Wo, what);
      !s)
    return s;
  // [1, O, 1, 1] is the same bytes in either format; the output's format
  // keeps cuDNN from refusing a mix for the fused call.
  if (Status s = tensor4d(d.bias, format, type, 1, conv.O, 1, 1, what); !s)
    return s;
  if (Status s = check(cudnnCreateFilterDescriptor(&d.w.handle), what); !s)
    return s;
  if (Status s = check(cudnnSetFilter4dDescriptor(
                           d.w.handle, type, format,
                           int(conv.O), int(conv.C / conv.groups), int(conv.kh),
                           int(conv.kw)),
                       what);
      !s)
    return s;
  if (Status s = check(cudnnCreateConvolutionDescriptor(&d.conv.handle), what);
      !s)
    return s;
  // Cross-correlation is what deep learning calls convolution.
  if (Status s =
          check(cudnnSetConvolution2dDescriptor(
                    d.conv.handle, int(conv.top), int(conv.left), int(conv.sh),
                    int(conv.sw), int(conv.dh), int(conv.dw),
                    CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                what);
      !s)
    return s;
  if (Status s = check(
          cudnnSetConvolutionGroupCount(d.conv.handle, int(conv.groups)), what);
      !s)
    return s;
  // f32 data: FMA only, unless the plan asked for TF32 (CUDNN_DEFAULT_MATH
  // allows TF32 tensor cores on Ampere and later, about 1e-3 off the CPU
  // backend). 16-bit data: tensor cores, which is what it is for.
  cudnnMathType_t math = conv.dtype != DType::F32 ? CUDNN_TENSOR_OP_MATH
                         : allowTF32              ? CUDNN_DEFAULT_MATH
                                                  : CUDNN_FMA_MATH;
  if (Status s = check(cudnnSetConvolutionMathType(d.conv.handle, math), what);
      !s)
    return s;
  // cuDNN must see the output the checks computed.
  int n = 0, c = 0, h = 0, w = 0;
  if (Status s =
          check(cudnnGetConvolution2dForwardOutputDim(
                    d.conv.handle, d.x.handle, d.w.handle, &n, &c, &h, &w),
                what);
      !s)
    return s;
  if (n != conv.N || c != conv.O || h != conv.Ho || w != conv.Wo)
    return Error(what + ": cuDNN computes an output of [" + std::to_string(n) +
                 ", " + std::to_string(c) + ", " + std::to_string(h) + ", " +
                 std::to_string(w) + "]");
  return Status::ok();
}

/// What cuDNN's choice depends on.
std::string tuneKey(const Conv &conv) {
  std::string key = std::string("cudnn-conv:") + dtypeName(conv.dtype) +
                    (conv.channelsLast ? ":nhwc" : ":nchw");
  for (int64_t value :
       {conv.N, conv.C, conv.H, conv.W, conv.O, conv.groups, conv.kh, conv.kw,
        conv.sh, conv.sw, conv.dh, conv.dw, conv.top, conv.left}) {
    key += ':';
    key += std::to_string(value);
  }
  return key;
}

/// The error of a convolution that no cuDNN algorithm runs.
Error noAlgorithm(const Conv &conv, const std::string &what) {
  // 16-bit NHWC kernels want channels in multiples of 8, which
  // --pad-channels gives the input of an ungrouped convolution.
  bool oddChannels = conv.channelsLast && conv.dtype != DType::F32 &&
                     conv.groups == 1 && conv.C % 8 != 0;
  return Error(what + ": cuDNN has no algorithm for this convolution" +
               (oddChannels ? " (" + std::to_string(conv.C) +
                                  " input channels; intr-opt compile "
                                  "--pad-channels 8 pads them)"
                            : std::string()));
}

/// The tuned entry of `conv`, choosing its algorithm first if need be.
/// The candidates are the algorithms cuDNN's heuristic ranks as supported
/// with the plan's math within the workspace limit, and implicit GEMM, which
/// needs no workspace. For f32 data, measuring
/// (Context::measureConvAlgorithms) times each with cudnnConvolutionForward
/// on the step's own x, w and y (y is never an input here, and the step
/// writes all of it afterwards) and keeps the fastest; otherwise, and for
/// 16-bit data, the heuristic's first wins.
///
/// Why, in numbers from the full-size plans on an H200 (cuDNN 9.14):
/// cudnnFind's ranking made the bf16 plan 6.9 ms at batch 1, these timings
/// 5.4 ms and the heuristic's first 2.6 ms (fp16: 5.8, 2.5); at batch 8 all
/// three gave the same 12.6 ms. The timings include what each call costs
/// the host, which the CUDA Graph replay does not pay, and the 16-bit
/// kernels of a batch-1 backbone are short enough for that to decide. For
/// f32 the timings win: 8.05 against 8.42 ms (fp32, batch 1), 47.1 against
/// 49.7 (batch 8), and tf32 is even.
Expected<std::vector<int64_t> *>
tunedAlgorithm(Context &context, const Conv &conv, const Descriptors &d,
               const void *x, const void *w, void *y, const std::string &what) {
  std::string key = tuneKey(conv);
  auto found = context.tuned.find(key);
  if (found != context.tuned.end()) {
    if (found->second.size() != kEntrySize)
      return Error(what + ": the tuned entry " + key + " is malformed");
    return &found->second;
  }
  if (context.capturing)
    return Error(what + ": no algorithm was chosen for this convolution "
                        "before the CUDA Graph capture (the eager run must "
                        "come first)");
  int maxCount = 0;
  if (Status s = check(
          cudnnGetConvolutionForwardAlgorithmMaxCount(context.dnn, &maxCount),
          what);
      !s)
    return s.error();
  std::vector<cudnnConvolutionFwdAlgoPerf_t> perf(
      static_cast<size_t>(std::max(maxCount, 1)));
  int returned = 0;
  if (Status s =
          check(cudnnGetConvolutionForwardAlgorithm_v7(
                    context.dnn, d.x.handle, d.w.handle, d.conv.handle,
                    d.y.handle, int(perf.size()), &returned, perf.data()),
                what);
      !s)
    return s.error();
  std::vector<cudnnConvolutionFwdAlgo_t> ranked;
  for (int i = 0; i < std::min<int>(returned, int(perf.size())); ++i)
    if (perf[i].status == CUDNN_STATUS_SUCCESS &&
        (context.allowTF32 || conv.dtype != DType::F32 ||
         (perf[i].mathType != CUDNN_TENSOR_OP_MATH &&
          perf[i].mathType != CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION)))
      ranked.push_back(perf[i].algo);
  ranked.push_back(CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM);
  // The workspace query also says whether the algorithm supports this
  // convolution with the descriptor's math.
  std::vector<std::vector<int64_t>> candidates;
  for (cudnnConvolutionFwdAlgo_t algo : ranked) {
    size_t bytes = 0;
    bool seen = std::any_of(
        candidates.begin(), candidates.end(),
        [&](const std::vector<int64_t> &c) { return c[kAlgoSlot] == algo; });
    if (seen ||
        cudnnGetConvolutionForwardWorkspaceSize(
            context.dnn, d.x.handle, d.w.handle, d.conv.handle, d.y.handle,
            algo, &bytes) != CUDNN_STATUS_SUCCESS ||
        bytes > kConvWorkspaceLimit)
      continue;
    candidates.push_back({int64_t(algo), int64_t(bytes), kFusedUntried,
                          kFusedUntried, kFusedUntried, kFusedUntried});
    if (!context.measureConvAlgorithms || conv.dtype != DType::F32)
      break;
  }
  if (candidates.empty())
    return noAlgorithm(conv, what);
  if (candidates.size() == 1)
    return &(context.tuned[key] = std::move(candidates.front()));

  // One workspace for the trials, the largest any candidate needs, freed
  // after, so the step's scratch grows only to the winner's. Without the
  // memory for it, the heuristic's first is the choice.
  size_t largest = 0;
  for (const std::vector<int64_t> &c : candidates)
    largest = std::max(largest, size_t(c[kWorkspaceSlot]));
  TrialWorkspace workspace{context.stream};
  if (largest > 0 && cudaMalloc(&workspace.data, largest) != cudaSuccess) {
    cudaGetLastError(); // An allocation failure is not sticky: forget it.
    return &(context.tuned[key] = std::move(candidates.front()));
  }
  const float one = 1.0f, zero = 0.0f;
  auto forward = [&](const std::vector<int64_t> &c) {
    return cudnnConvolutionForward(
        context.dnn, &one, d.x.handle, x, d.w.handle, w, d.conv.handle,
        static_cast<cudnnConvolutionFwdAlgo_t>(c[kAlgoSlot]), workspace.data,
        size_t(c[kWorkspaceSlot]), &zero, d.y.handle, y);
  };
  // cuDNN refuses some of its heuristic's candidates only when asked to
  // run them, before launching anything: those drop out. Any failure while
  // timing the others is the step's.
  std::vector<std::vector<int64_t>> runnable;
  for (std::vector<int64_t> &c : candidates)
    if (forward(c) == CUDNN_STATUS_SUCCESS)
      runnable.push_back(std::move(c));
  if (runnable.empty())
    return noAlgorithm(conv, what);
  size_t best = 0;
  float fastest = 0;
  for (size_t i = 0; i < runnable.size(); ++i) {
    Expected<float> milliseconds = timeCalls(
        context, [&] { return check(forward(runnable[i]), what); }, kTimedRuns,
        /*deviceAlone=*/false, what);
    if (!milliseconds)
      return milliseconds.error();
    if (i == 0 || *milliseconds < fastest) {
      fastest = *milliseconds;
      best = i;
    }
  }
  return &(context.tuned[key] = std::move(runnable[best]));
}

/// Runs a convolution that cudnnFits. The scaling factors are f32 for
/// every data type cuDNN has here.
Status runCudnn(Context &context, const Conv &conv, const void *x,
                const void *w, const ConvEpilogue &epilogue, void *y,
                const char *kernel) {
  std::string what = std::string(kernel) + ": cuDNN convolution";
  Descriptors d;
  if (Status s = describe(conv, context.allowTF32, d, what); !s)
    return s;
  Expected<std::vector<int64_t> *> entry =
      tunedAlgorithm(context, conv, d, x, w, y, what);
  if (!entry)
    return entry.error();
  std::vector<int64_t> &tuned = **entry;
  auto algo = static_cast<cudnnConvolutionFwdAlgo_t>(tuned[kAlgoSlot]);
  auto workspaceBytes = static_cast<size_t>(tuned[kWorkspaceSlot]);
  void *workspace = nullptr;
  if (workspaceBytes > 0) {
    Expected<void *> scratch = context.scratch(workspaceBytes);
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  const float one = 1.0f, zero = 0.0f;

  // y = relu(conv(x) + residual + bias), or without the relu, in one call:
  // z is the residual with alpha2 = 1. z must name a tensor even with
  // alpha2 = 0; without a residual y serves, as the output it is about to
  // overwrite.
  int64_t &fused =
      tuned[kFusedSlot + (epilogue.residual ? 1 : 0) + (epilogue.relu ? 0 : 2)];
  const bool fusable =
      epilogue.relu || algo == CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM;
  if (epilogue.bias && fusable && fused != kFusedFails) {
    ActivationDesc activation;
    if (Status s =
            check(cudnnCreateActivationDescriptor(&activation.handle), what);
        !s)
      return s;
    if (Status s = check(cudnnSetActivationDescriptor(
                             activation.handle,
                             epilogue.relu ? CUDNN_ACTIVATION_RELU
                                           : CUDNN_ACTIVATION_IDENTITY,
                             CUDNN_PROPAGATE_NAN, 0.0),
                         what);
        !s)
      return s;
    const void *z = epilogue.residual ? epilogue.residual : y;
    cudnnStatus_t status = cudnnConvolutionBiasActivationForward(
        context.dnn, &one, d.x.handle, x, d.w.handle, w, d.conv.handle, algo,
        workspace, workspaceBytes, epilogue.residual ? &one : &zero,
        d.y.handle, z, d.bias.handle, epilogue.bias, activation.handle,
        d.y.handle, y);
    if (status == CUDNN_STATUS_SUCCESS) {
      fused = kFusedWorks;
      return Status::ok();
    }
    // A fused call that worked before failing now is a real failure; the
    // first refusal only means this algorithm has no fused variant, and
    // the unfused path below writes all of y anyway.
    if (fused == kFusedWorks)
      return check(status, what);
    fused = kFusedFails;
  }

  // beta = 0: cuDNN does not read y.
  if (Status s = check(cudnnConvolutionForward(context.dnn, &one, d.x.handle, x,
                                               d.w.handle, w, d.conv.handle,
                                               algo, workspace, workspaceBytes,
                                               &zero, d.y.handle, y),
                       what);
      !s)
    return s;
  if (epilogue.empty())
    return Status::ok();
  return launchEpilogue(context, conv, y, epilogue, /*overwrite=*/false,
                        kernel);
}

#endif // INTR_HAVE_CUDNN

//===----------------------------------------------------------------------===//
// The kernels
//===----------------------------------------------------------------------===//

#if INTR_HAVE_CUDNN

/// Whether a convolution is a plain GEMM over its NCHW input: 1x1, stride
/// 1, no padding, one group (the bottlenecks' 1x1 layers).
bool isPointwise(const Conv &conv) {
  return conv.kh == 1 && conv.kw == 1 && conv.sh == 1 && conv.sw == 1 &&
         conv.top == 0 && conv.left == 0 && conv.bottom == 0 &&
         conv.right == 0 && conv.groups == 1;
}

/// Whether a pointwise convolution runs as a GEMM rather than on cuDNN:
/// forced by Context::convPath, or chosen once per shape and epilogue by
/// timing both on the step's own operands (outside a capture; both write
/// all of y from x, w and the epilogue's operands, so the trials leave the
/// same result). Without measuring (INTR_CUDNN_FIND=0), cuDNN.
Expected<bool> prefersGemm(Context &context, const Conv &conv, const float *x,
                           const float *w, const ConvEpilogue &epilogue,
                           float *y, const char *kernel) {
  if (context.convPath != Context::ConvPath::Fastest)
    return context.convPath == Context::ConvPath::Gemm;
  if (!context.measureConvAlgorithms)
    return false;
  std::string key = "conv-path:" + tuneKey(conv) + ":" +
                    std::to_string(epilogue.bias != nullptr) +
                    std::to_string(epilogue.residual != nullptr) +
                    std::to_string(epilogue.relu);
  if (auto found = context.tuned.find(key); found != context.tuned.end())
    return found->second.at(0) != 0;
  std::string what = std::string(kernel) + ": timing the convolution paths";
  if (context.capturing)
    return Error(what + ": no path was chosen before the CUDA Graph capture "
                        "(the eager run must come first)");
  float best[2] = {0, 0};
  for (int gemmPath = 0; gemmPath < 2; ++gemmPath) {
    Expected<float> milliseconds = timeCalls(
        context,
        [&] {
          return gemmPath ? runIm2col(context, conv, x, w, epilogue, y, kernel)
                          : runCudnn(context, conv, x, w, epilogue, y, kernel);
        },
        kTimedRuns, /*deviceAlone=*/false, what);
    if (!milliseconds)
      return milliseconds.error();
    best[gemmPath] = *milliseconds;
  }
  bool gemm = best[1] < best[0];
  context.tuned[key] = {int64_t(gemm)};
  return gemm;
}

#endif // INTR_HAVE_CUDNN

/// Runs a checked convolution into a checked output.
Status runConv(Context &context, const Conv &conv, const void *x, const void *w,
               const ConvEpilogue &epilogue, void *y, const char *kernel) {
  // Nothing to compute; and with O = 0 no operand bounds the rest.
  if (conv.N * conv.O * conv.Ho * conv.Wo == 0)
    return Status::ok();
  // No input channels: every sum is empty, the output is the epilogue's.
  if (conv.C == 0)
    return launchEpilogue(context, conv, y, epilogue, /*overwrite=*/true,
                          kernel);
  auto f32 = [](const void *p) { return static_cast<const float *>(p); };
  if (context.smallChannelConv && smallChannelConvFits(context, conv, y))
    return runSmallChannelConv(context, conv, x, w, epilogue, y, kernel);
#if INTR_HAVE_CUDNN
  if (cudnnFits(conv)) {
    if (isPointwise(conv) && conv.dtype == DType::F32 && !conv.channelsLast) {
      Expected<bool> gemm =
          prefersGemm(context, conv, f32(x), f32(w), epilogue,
                      static_cast<float *>(y), kernel);
      if (!gemm)
        return gemm.error();
      if (*gemm)
        return runIm2col(context, conv, f32(x), f32(w), epilogue,
                         static_cast<float *>(y), kernel);
    }
    if (context.convGraphs != Context::ConvGraphs::Never &&
        conv.dtype != DType::F32 && conv.channelsLast) {
      Expected<bool> ran = runCudnnGraphConv(
          context, conv, x, w, epilogue, y,
          [&] { return runCudnn(context, conv, x, w, epilogue, y, kernel); },
          kernel);
      if (!ran)
        return ran.error();
      if (*ran)
        return Status::ok();
    }
    return runCudnn(context, conv, x, w, epilogue, y, kernel);
  }
#endif
  if (conv.dtype != DType::F32 || conv.channelsLast)
    return kernelError(kernel,
                       std::string("a convolution in ") +
                           dtypeName(conv.dtype) +
                           (conv.channelsLast ? ", channels last," : "") +
                           " needs cuDNN and the same padding on both sides "
                           "of each axis");
  return runIm2col(context, conv, f32(x), f32(w), epilogue,
                   static_cast<float *>(y), kernel);
}

/// Runs a checked convolution step.
Status finishConv(const char *kernel, const KernelCall &call,
                  const ConvStep &step) {
  ConvEpilogue epilogue;
  epilogue.bias = step.bias ? step.bias->data : nullptr;
  epilogue.residual = step.residual ? step.residual->data : nullptr;
  epilogue.relu = step.relu;
  return runConv(call.context, step.conv, call.inputs[0].data,
                 call.inputs[1].data, epilogue, call.outputs[0].data, kernel);
}

/// intr.conv2d: input, weight, bias, optional residual; strides, padding
/// [top, left, bottom, right], dilations, groups, activation, channels_last.
Status conv2d(const KernelCall &call) {
  const char *kernel = "intr.conv2d";
  Expected<ConvStep> step =
      cpu::nn::checkConv2d(kernel, call.cpuArgs(), /*sixteenBit=*/true,
                           call.attrs.getInt("channels_last", 0) != 0);
  if (!step)
    return step.error();
  return finishConv(kernel, call, *step);
}

/// onnx.Conv: X, W, optional B; auto_pad, dilations, group, kernel_shape,
/// pads [x1_begin, x2_begin, x1_end, x2_end], strides. 2-D only.
Status onnxConv(const KernelCall &call) {
  const char *kernel = "onnx.Conv";
  Expected<ConvStep> step = cpu::nn::checkOnnxConv(kernel, call.cpuArgs());
  if (!step)
    return step.error();
  return finishConv(kernel, call, *step);
}

} // namespace

void registerConvKernels(KernelRegistry &registry) {
  registry.add("intr.conv2d", conv2d);
  registry.add("onnx.Conv", onnxConv);
}

} // namespace intr::cuda
