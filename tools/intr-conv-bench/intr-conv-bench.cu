//===- intr-conv-bench.cu - Each way cuDNN runs the backbone's convs ------===//
//===//
//
// Times every convolution shape of the full-size ResNet-50 backbone (800x1216
// images, the 25 shapes of the plans with how often each occurs), NHWC, with
// the epilogue the plans fuse (bias, residual, ReLU), in the ways cuDNN can
// run them, and prints per shape and in total (weighted by count):
//
//   first   the legacy API's call (cudnnConvolutionBiasActivationForward
//           with a ReLU, cudnnConvolutionForward without) on the first
//           algorithm of cuDNN's heuristic, as 16-bit plans run now;
//   best    the fastest algorithm the heuristic offers, on the device alone;
//   picked  the algorithm that timing with the host's work included picks
//           (as the runtime's first run times f32 candidates), and its time
//           on the device alone;
//   graph   the same operations (convolution, bias add, residual add, ReLU)
//           as one operation graph of cuDNN's graph API: the fastest of
//           the first few engine configurations its heuristic (mode A)
//           offers, on the device alone.
//
// "On the device alone" is what a CUDA Graph replay pays: a spin kernel
// holds the device while the host enqueues the timed calls, so their time
// is the GPU's. Each time is the mean of --iterations calls after one
// warm-up call.
//
//   intr-conv-bench [--batch N] [--dtype bf16|fp16|fp32] [--iterations N]
//       [--graph-configs N] [--graph-seconds S] [--no-graph]
//
// fp32 runs with tensor-core math allowed (TF32), as tf32 plans do. A
// legacy algorithm that the fused call refuses is timed as a plain
// convolution (marked *; the runtime adds an epilogue kernel then), and the
// convolutions without a ReLU are timed without their bias both ways (the
// runtime adds it with a kernel). The operands are random; nothing is
// checked but that cuDNN accepts each call.
//
//===----------------------------------------------------------------------===//

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// The graph API's handle attributes are deprecated in recent cuDNN 9
// headers (a device property may stand in), but older 9.x need them.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace {

/// One convolution of the backbone: input channels and size, output
/// channels, a square kernel, its stride and padding, the epilogue, and how
/// many of the backbone's convolutions have this shape.
struct Shape {
  int64_t C, H, W, O, k, stride, pad;
  bool relu, residual;
  int count;
};

// From the full-size plans (intr-opt compile --dump-plan), batch 1.
const Shape kShapes[] = {
    {3, 800, 1216, 64, 7, 2, 3, true, false, 1},
    {64, 200, 304, 256, 1, 1, 0, false, false, 1},
    {64, 200, 304, 64, 1, 1, 0, true, false, 1},
    {64, 200, 304, 64, 3, 1, 1, true, false, 3},
    {64, 200, 304, 256, 1, 1, 0, true, true, 3},
    {256, 200, 304, 64, 1, 1, 0, true, false, 2},
    {256, 200, 304, 512, 1, 2, 0, false, false, 1},
    {256, 200, 304, 128, 1, 1, 0, true, false, 1},
    {128, 200, 304, 128, 3, 2, 1, true, false, 1},
    {128, 100, 152, 512, 1, 1, 0, true, true, 4},
    {512, 100, 152, 128, 1, 1, 0, true, false, 3},
    {128, 100, 152, 128, 3, 1, 1, true, false, 3},
    {512, 100, 152, 1024, 1, 2, 0, false, false, 1},
    {512, 100, 152, 256, 1, 1, 0, true, false, 1},
    {256, 100, 152, 256, 3, 2, 1, true, false, 1},
    {256, 50, 76, 1024, 1, 1, 0, true, true, 6},
    {1024, 50, 76, 256, 1, 1, 0, true, false, 5},
    {256, 50, 76, 256, 3, 1, 1, true, false, 5},
    {1024, 50, 76, 2048, 1, 2, 0, false, false, 1},
    {1024, 50, 76, 512, 1, 1, 0, true, false, 1},
    {512, 50, 76, 512, 3, 2, 1, true, false, 1},
    {512, 25, 38, 2048, 1, 1, 0, true, true, 3},
    {2048, 25, 38, 512, 1, 1, 0, true, false, 2},
    {512, 25, 38, 512, 3, 1, 1, true, false, 2},
    {2048, 25, 38, 256, 1, 1, 0, false, false, 1},
};

struct Options {
  int64_t batch = 1;
  std::string dtype = "bf16";
  int iterations = 20, graphConfigs = 3, graphSeconds = 60;
  bool graph = true;
};

/// The most workspace any way may use, as in the runtime.
constexpr size_t kWorkspaceLimit = size_t(256) << 20;

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::exit(1);
}

void require(cudaError_t status, const char *what) {
  if (status != cudaSuccess)
    fail(std::string(what) + ": " + cudaGetErrorString(status));
}

void require(cudnnStatus_t status, const char *what) {
  if (status != CUDNN_STATUS_SUCCESS)
    fail(std::string(what) + ": " + cudnnGetErrorString(status));
}

[[noreturn]] void usage(const char *message) {
  std::fprintf(stderr,
               "error: %s\nusage: intr-conv-bench [--batch N] "
               "[--dtype bf16|fp16|fp32] [--iterations N] "
               "[--graph-configs N] [--graph-seconds S] [--no-graph]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage((arg + " needs a value").c_str());
      return argv[++i];
    };
    auto positive = [&]() {
      std::string text = value();
      char *end = nullptr;
      long long number = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end || number <= 0 || number > 1000000)
        usage((arg + " needs a positive integer, got '" + text + "'").c_str());
      return number;
    };
    if (arg == "--batch")
      options.batch = positive();
    else if (arg == "--iterations")
      options.iterations = int(positive());
    else if (arg == "--graph-configs")
      options.graphConfigs = int(positive());
    else if (arg == "--graph-seconds")
      options.graphSeconds = int(positive());
    else if (arg == "--dtype") {
      options.dtype = value();
      if (options.dtype != "bf16" && options.dtype != "fp16" &&
          options.dtype != "fp32")
        usage("--dtype takes bf16, fp16 or fp32");
    } else if (arg == "--no-graph")
      options.graph = false;
    else
      usage(("unknown argument '" + arg + "'").c_str());
  }
  return options;
}

/// Keeps one thread of the device busy for `cycles` clock ticks.
__global__ void holdDevice(long long cycles) {
  long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

/// Fills `count` elements of `bytes` each (2 or 4) with values in [-1, 1)
/// from a hash of their index.
__global__ void fillRandom(void *data, int64_t count, int bytes, bool brain,
                           uint32_t seed) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count;
       i += int64_t(gridDim.x) * blockDim.x) {
    uint32_t h = uint32_t(i) * 2654435761u ^ seed;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    float value = float(h & 0xffffu) / 32768.0f - 1.0f;
    if (bytes == 4)
      static_cast<float *>(data)[i] = value;
    else
      static_cast<uint16_t *>(data)[i] =
          brain ? uint16_t(__float_as_uint(value) >> 16)
                : __half_as_ushort(__float2half(value));
  }
}

/// Device memory freed on every way out.
struct DeviceBuffer {
  void *data = nullptr;
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes) {
    if (bytes)
      require(cudaMalloc(&data, bytes), "cudaMalloc");
  }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer() {
    if (data)
      cudaFree(data);
  }
};

/// Set when a spin kernel ended before the host had enqueued the calls it
/// was to hide: those times include some of the host's work.
bool holdTooShort = false;

/// Times `call` on `stream`: one warm-up call, then `iterations` calls
/// between two events, in milliseconds per call; with `hold`, behind a
/// spin kernel that keeps the device busy while the host enqueues them.
/// Negative when a call fails.
double timeCalls(cudaStream_t stream, const std::function<bool()> &call,
                 int iterations, bool hold) {
  if (!call())
    return -1;
  cudaEvent_t start, stop;
  require(cudaEventCreate(&start), "cudaEventCreate");
  require(cudaEventCreate(&stop), "cudaEventCreate");
  require(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  if (hold) {
    // About 10 ms and 1 ms a call at 2 GHz: more than the host needs to
    // enqueue them (a legacy call takes it a fraction of a millisecond).
    holdDevice<<<1, 1, 0, stream>>>(20'000'000LL + 2'000'000LL * iterations);
    require(cudaGetLastError(), "launching the spin kernel");
  }
  require(cudaEventRecord(start, stream), "cudaEventRecord");
  bool ok = true;
  for (int i = 0; i < iterations && ok; ++i)
    ok = call();
  if (hold && cudaEventQuery(start) != cudaErrorNotReady)
    holdTooShort = true;
  require(cudaEventRecord(stop, stream), "cudaEventRecord");
  require(cudaEventSynchronize(stop), "cudaEventSynchronize");
  float milliseconds = 0;
  require(cudaEventElapsedTime(&milliseconds, start, stop),
          "cudaEventElapsedTime");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ok ? milliseconds / iterations : -1;
}

//===----------------------------------------------------------------------===//
// The operands
//===----------------------------------------------------------------------===//

struct Problem {
  Shape shape;
  int64_t N, Ho, Wo;
  cudnnDataType_t type;
  size_t elementBytes;
  DeviceBuffer x, w, bias, residual, y;

  Problem(const Shape &s, int64_t batch, cudnnDataType_t dataType,
          cudaStream_t stream)
      : shape(s), N(batch), Ho((s.H + 2 * s.pad - s.k) / s.stride + 1),
        Wo((s.W + 2 * s.pad - s.k) / s.stride + 1), type(dataType),
        elementBytes(dataType == CUDNN_DATA_FLOAT ? 4 : 2),
        x(elements(N * s.C * s.H * s.W)), w(elements(s.O * s.C * s.k * s.k)),
        bias(elements(s.O)), residual(elements(N * s.O * Ho * Wo)),
        y(elements(N * s.O * Ho * Wo)) {
    uint32_t seed = 1;
    for (auto [buffer, count] :
         {std::pair{&x, N * s.C * s.H * s.W},
          std::pair{&w, s.O * s.C * s.k * s.k}, std::pair{&bias, s.O},
          std::pair{&residual, N * s.O * Ho * Wo}}) {
      fillRandom<<<1024, 256, 0, stream>>>(buffer->data, count,
                                           int(elementBytes),
                                           type == CUDNN_DATA_BFLOAT16, seed++);
      require(cudaGetLastError(), "filling the operands");
    }
  }

  size_t elements(int64_t count) const { return size_t(count) * elementBytes; }
};

//===----------------------------------------------------------------------===//
// The legacy API
//===----------------------------------------------------------------------===//

struct Legacy {
  cudnnTensorDescriptor_t x = nullptr, y = nullptr, bias = nullptr;
  cudnnFilterDescriptor_t w = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;
  cudnnActivationDescriptor_t relu = nullptr;

  explicit Legacy(const Problem &p) {
    const Shape &s = p.shape;
    require(cudnnCreateTensorDescriptor(&x), "descriptor");
    require(cudnnCreateTensorDescriptor(&y), "descriptor");
    require(cudnnCreateTensorDescriptor(&bias), "descriptor");
    require(cudnnCreateFilterDescriptor(&w), "descriptor");
    require(cudnnCreateConvolutionDescriptor(&conv), "descriptor");
    require(cudnnCreateActivationDescriptor(&relu), "descriptor");
    require(cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NHWC, p.type, int(p.N),
                                       int(s.C), int(s.H), int(s.W)),
            "x");
    require(cudnnSetTensor4dDescriptor(y, CUDNN_TENSOR_NHWC, p.type, int(p.N),
                                       int(s.O), int(p.Ho), int(p.Wo)),
            "y");
    require(cudnnSetTensor4dDescriptor(bias, CUDNN_TENSOR_NHWC, p.type, 1,
                                       int(s.O), 1, 1),
            "bias");
    require(cudnnSetFilter4dDescriptor(w, p.type, CUDNN_TENSOR_NHWC, int(s.O),
                                       int(s.C), int(s.k), int(s.k)),
            "w");
    require(cudnnSetConvolution2dDescriptor(
                conv, int(s.pad), int(s.pad), int(s.stride), int(s.stride), 1,
                1, CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
            "conv");
    // As the runtime: tensor cores for 16 bits, TF32 allowed for f32.
    require(cudnnSetConvolutionMathType(conv, p.type == CUDNN_DATA_FLOAT
                                                  ? CUDNN_DEFAULT_MATH
                                                  : CUDNN_TENSOR_OP_MATH),
            "math");
    require(cudnnSetActivationDescriptor(relu, CUDNN_ACTIVATION_RELU,
                                         CUDNN_PROPAGATE_NAN, 0.0),
            "relu");
  }
  ~Legacy() {
    cudnnDestroyTensorDescriptor(x);
    cudnnDestroyTensorDescriptor(y);
    cudnnDestroyTensorDescriptor(bias);
    cudnnDestroyFilterDescriptor(w);
    cudnnDestroyConvolutionDescriptor(conv);
    cudnnDestroyActivationDescriptor(relu);
  }

  /// The heuristic's algorithms that it says run, within the workspace
  /// limit, in its order, with their workspace.
  std::vector<std::pair<cudnnConvolutionFwdAlgo_t, size_t>>
  candidates(cudnnHandle_t handle) const {
    int count = 0;
    require(cudnnGetConvolutionForwardAlgorithmMaxCount(handle, &count),
            "algorithm count");
    std::vector<cudnnConvolutionFwdAlgoPerf_t> perf(size_t(std::max(count, 1)));
    int returned = 0;
    require(cudnnGetConvolutionForwardAlgorithm_v7(handle, x, w, conv, y,
                                                   int(perf.size()), &returned,
                                                   perf.data()),
            "heuristic");
    std::vector<std::pair<cudnnConvolutionFwdAlgo_t, size_t>> result;
    for (int i = 0; i < returned; ++i) {
      size_t bytes = 0;
      bool seen = std::any_of(result.begin(), result.end(),
                              [&](auto &c) { return c.first == perf[i].algo; });
      if (seen || perf[i].status != CUDNN_STATUS_SUCCESS ||
          cudnnGetConvolutionForwardWorkspaceSize(handle, x, w, conv, y,
                                                  perf[i].algo, &bytes) !=
              CUDNN_STATUS_SUCCESS ||
          bytes > kWorkspaceLimit)
        continue;
      result.push_back({perf[i].algo, bytes});
    }
    return result;
  }

  /// The runtime's call: fused with a ReLU, plain without, and plain when
  /// cuDNN refuses `algo` the fused call (`unfused` is set then: the
  /// runtime adds an epilogue kernel this does not time).
  bool run(cudnnHandle_t handle, Problem &p, cudnnConvolutionFwdAlgo_t algo,
           void *workspace, size_t bytes, bool &unfused) const {
    const float one = 1.0f, zero = 0.0f;
    if (p.shape.relu && !unfused) {
      const void *z = p.shape.residual ? p.residual.data : p.y.data;
      if (cudnnConvolutionBiasActivationForward(
              handle, &one, x, p.x.data, w, p.w.data, conv, algo, workspace,
              bytes, p.shape.residual ? &one : &zero, y, z, bias, p.bias.data,
              relu, y, p.y.data) == CUDNN_STATUS_SUCCESS)
        return true;
      unfused = true;
    }
    return cudnnConvolutionForward(handle, &one, x, p.x.data, w, p.w.data, conv,
                                   algo, workspace, bytes, &zero, y,
                                   p.y.data) == CUDNN_STATUS_SUCCESS;
  }
};

//===----------------------------------------------------------------------===//
// The graph API
//===----------------------------------------------------------------------===//

/// A backend descriptor, destroyed with its owner.
struct Desc {
  cudnnBackendDescriptor_t d = nullptr;
  explicit Desc(cudnnBackendDescriptorType_t type) {
    require(cudnnBackendCreateDescriptor(type, &d), "creating a descriptor");
  }
  Desc(const Desc &) = delete;
  Desc &operator=(const Desc &) = delete;
  ~Desc() {
    if (d)
      cudnnBackendDestroyDescriptor(d);
  }
  template <typename T>
  cudnnStatus_t set(cudnnBackendAttributeName_t name,
                    cudnnBackendAttributeType_t type, int64_t count,
                    const T *values) {
    return cudnnBackendSetAttribute(d, name, type, count, values);
  }
};

/// Why the graph way failed for a shape, when it did.
struct GraphFailure {
  std::string what;
};

#define GRAPH_CHECK(call)                                                      \
  do {                                                                         \
    cudnnStatus_t status_ = (call);                                            \
    if (status_ != CUDNN_STATUS_SUCCESS)                                       \
      return GraphFailure{std::string(#call).substr(0, 60) + ": " +            \
                          cudnnGetErrorString(status_)};                       \
  } while (0)

struct GraphResult {
  double milliseconds = -1;
  int configs = 0;
  std::string failure;
};

/// A tensor of dims [n, c, h, w] stored NHWC (weights: [O, C, k, k] stored
/// O, k, k, C), `uid` its variant-pack name.
GraphFailure tensorDesc(Desc &t, int64_t uid, cudnnDataType_t type,
                        const int64_t (&dims)[4], bool isVirtual) {
  int64_t c = dims[1], h = dims[2], w = dims[3];
  const int64_t strides[4] = {h * w * c, 1, w * c, c};
  const int64_t alignment = 16;
  GRAPH_CHECK(
      t.set(CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type));
  GRAPH_CHECK(t.set(CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, dims));
  GRAPH_CHECK(t.set(CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, strides));
  GRAPH_CHECK(t.set(CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid));
  GRAPH_CHECK(
      t.set(CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &alignment));
  GRAPH_CHECK(
      t.set(CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &isVirtual));
  GRAPH_CHECK(cudnnBackendFinalize(t.d));
  return {};
}

/// A pointwise operation y = mode(x[, b]).
GraphFailure pointwiseOp(Desc &op, Desc &mode, cudnnPointwiseMode_t kind,
                         Desc &in, Desc *other, Desc &out) {
  const cudnnDataType_t precision = CUDNN_DATA_FLOAT;
  GRAPH_CHECK(
      mode.set(CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &kind));
  GRAPH_CHECK(mode.set(CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1,
                       &precision));
  GRAPH_CHECK(cudnnBackendFinalize(mode.d));
  GRAPH_CHECK(op.set(CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR,
                     CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mode.d));
  GRAPH_CHECK(op.set(CUDNN_ATTR_OPERATION_POINTWISE_XDESC,
                     CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &in.d));
  if (other)
    GRAPH_CHECK(op.set(CUDNN_ATTR_OPERATION_POINTWISE_BDESC,
                       CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &other->d));
  GRAPH_CHECK(op.set(CUDNN_ATTR_OPERATION_POINTWISE_YDESC,
                     CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &out.d));
  GRAPH_CHECK(cudnnBackendFinalize(op.d));
  return {};
}

/// Builds conv (+ bias) (+ residual) (+ ReLU) as one operation graph, asks
/// the heuristic (mode A) for engine configurations and times the first
/// `maxConfigs` that finalize within the workspace limit.
GraphFailure timeGraph(cudnnHandle_t handle, cudaStream_t stream, Problem &p,
                       int maxConfigs, int iterations, GraphResult &result) {
  const Shape &s = p.shape;
  enum : int64_t { kX = 1, kW, kBias, kResidual, kY, kConv, kBiased, kSum };
  const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
  // The plain convolution writes y; a fused epilogue makes it virtual.
  bool epilogue = s.relu || s.residual;
  Desc x(CUDNN_BACKEND_TENSOR_DESCRIPTOR), w(CUDNN_BACKEND_TENSOR_DESCRIPTOR),
      b(CUDNN_BACKEND_TENSOR_DESCRIPTOR), z(CUDNN_BACKEND_TENSOR_DESCRIPTOR),
      y(CUDNN_BACKEND_TENSOR_DESCRIPTOR),
      convOut(CUDNN_BACKEND_TENSOR_DESCRIPTOR),
      biased(CUDNN_BACKEND_TENSOR_DESCRIPTOR),
      summed(CUDNN_BACKEND_TENSOR_DESCRIPTOR);
  const int64_t xDims[4] = {p.N, s.C, s.H, s.W};
  const int64_t wDims[4] = {s.O, s.C, s.k, s.k};
  const int64_t bDims[4] = {1, s.O, 1, 1};
  const int64_t yDims[4] = {p.N, s.O, p.Ho, p.Wo};
  std::vector<GraphFailure> built = {tensorDesc(x, kX, p.type, xDims, false),
                                     tensorDesc(w, kW, p.type, wDims, false),
                                     tensorDesc(y, kY, p.type, yDims, false)};
  if (epilogue) {
    built.push_back(tensorDesc(b, kBias, p.type, bDims, false));
    built.push_back(tensorDesc(convOut, kConv, f32, yDims, true));
    built.push_back(tensorDesc(biased, kBiased, f32, yDims, true));
    built.push_back(tensorDesc(z, kResidual, p.type, yDims, false));
    built.push_back(tensorDesc(summed, kSum, f32, yDims, true));
  }
  for (const GraphFailure &failure : built)
    if (!failure.what.empty())
      return failure;

  Desc conv(CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR);
  const int64_t spatial = 2;
  const int64_t pads[2] = {s.pad, s.pad}, strides[2] = {s.stride, s.stride},
                dilations[2] = {1, 1};
  const cudnnConvolutionMode_t mode = CUDNN_CROSS_CORRELATION;
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_SPATIAL_DIMS, CUDNN_TYPE_INT64, 1,
                       &spatial));
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE,
                       1, &f32));
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_CONV_MODE,
                       CUDNN_TYPE_CONVOLUTION_MODE, 1, &mode));
  GRAPH_CHECK(
      conv.set(CUDNN_ATTR_CONVOLUTION_PRE_PADDINGS, CUDNN_TYPE_INT64, 2, pads));
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_POST_PADDINGS, CUDNN_TYPE_INT64,
                       2, pads));
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_DILATIONS, CUDNN_TYPE_INT64, 2,
                       dilations));
  GRAPH_CHECK(conv.set(CUDNN_ATTR_CONVOLUTION_FILTER_STRIDES, CUDNN_TYPE_INT64,
                       2, strides));
  GRAPH_CHECK(cudnnBackendFinalize(conv.d));

  Desc convOp(CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR);
  const float alpha = 1.0f, beta = 0.0f;
  Desc &convTarget = epilogue ? convOut : y;
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_X,
                         CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x.d));
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_W,
                         CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &w.d));
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_Y,
                         CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &convTarget.d));
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_CONV_DESC,
                         CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &conv.d));
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_ALPHA,
                         CUDNN_TYPE_FLOAT, 1, &alpha));
  GRAPH_CHECK(convOp.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_BETA,
                         CUDNN_TYPE_FLOAT, 1, &beta));
  GRAPH_CHECK(cudnnBackendFinalize(convOp.d));

  // The epilogue: biased = conv + bias, summed = biased + residual,
  // y = relu(last); the last one writes y.
  Desc addBias(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR),
      addBiasMode(CUDNN_BACKEND_POINTWISE_DESCRIPTOR),
      addResidual(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR),
      addResidualMode(CUDNN_BACKEND_POINTWISE_DESCRIPTOR),
      relu(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR),
      reluMode(CUDNN_BACKEND_POINTWISE_DESCRIPTOR);
  std::vector<cudnnBackendDescriptor_t> ops = {convOp.d};
  if (epilogue) {
    Desc &afterBias = s.residual || s.relu ? biased : y;
    GraphFailure failure = pointwiseOp(
        addBias, addBiasMode, CUDNN_POINTWISE_ADD, convOut, &b, afterBias);
    if (!failure.what.empty())
      return failure;
    ops.push_back(addBias.d);
    Desc *last = &biased;
    if (s.residual) {
      Desc &afterSum = s.relu ? summed : y;
      failure = pointwiseOp(addResidual, addResidualMode, CUDNN_POINTWISE_ADD,
                            biased, &z, afterSum);
      if (!failure.what.empty())
        return failure;
      ops.push_back(addResidual.d);
      last = &summed;
    }
    if (s.relu) {
      failure = pointwiseOp(relu, reluMode, CUDNN_POINTWISE_RELU_FWD, *last,
                            nullptr, y);
      if (!failure.what.empty())
        return failure;
      ops.push_back(relu.d);
    }
  }

  Desc graph(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
  GRAPH_CHECK(graph.set(CUDNN_ATTR_OPERATIONGRAPH_OPS,
                        CUDNN_TYPE_BACKEND_DESCRIPTOR, int64_t(ops.size()),
                        ops.data()));
  GRAPH_CHECK(graph.set(CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1,
                        &handle));
  GRAPH_CHECK(cudnnBackendFinalize(graph.d));

  Desc heuristic(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
  const cudnnBackendHeurMode_t heurMode = CUDNN_HEUR_MODE_A;
  GRAPH_CHECK(heuristic.set(CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH,
                            CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &graph.d));
  GRAPH_CHECK(heuristic.set(CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1,
                            &heurMode));
  GRAPH_CHECK(cudnnBackendFinalize(heuristic.d));
  int64_t available = 0;
  GRAPH_CHECK(cudnnBackendGetAttribute(
      heuristic.d, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
      0, &available, nullptr));
  if (available <= 0)
    return GraphFailure{"the heuristic offers no engine configuration"};
  std::vector<std::unique_ptr<Desc>> configs;
  std::vector<cudnnBackendDescriptor_t> handles;
  for (int64_t i = 0; i < available; ++i) {
    configs.push_back(
        std::make_unique<Desc>(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR));
    handles.push_back(configs.back()->d);
  }
  int64_t returned = 0;
  GRAPH_CHECK(cudnnBackendGetAttribute(
      heuristic.d, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
      available, &returned, handles.data()));

  for (int64_t i = 0; i < returned && result.configs < maxConfigs; ++i) {
    Desc plan(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR);
    if (plan.set(CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1,
                 &handle) != CUDNN_STATUS_SUCCESS ||
        plan.set(CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG,
                 CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
                 &handles[i]) != CUDNN_STATUS_SUCCESS ||
        cudnnBackendFinalize(plan.d) != CUDNN_STATUS_SUCCESS)
      continue;
    int64_t workspaceBytes = 0;
    if (cudnnBackendGetAttribute(
            plan.d, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64,
            1, nullptr, &workspaceBytes) != CUDNN_STATUS_SUCCESS ||
        workspaceBytes < 0 || size_t(workspaceBytes) > kWorkspaceLimit)
      continue;
    DeviceBuffer workspace{size_t(workspaceBytes)};
    std::vector<int64_t> uids = {kX, kW, kY};
    std::vector<void *> pointers = {p.x.data, p.w.data, p.y.data};
    if (epilogue) {
      uids.push_back(kBias);
      pointers.push_back(p.bias.data);
    }
    if (s.residual) {
      uids.push_back(kResidual);
      pointers.push_back(p.residual.data);
    }
    Desc pack(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR);
    if (pack.set(CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR,
                 int64_t(pointers.size()),
                 pointers.data()) != CUDNN_STATUS_SUCCESS ||
        pack.set(CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64,
                 int64_t(uids.size()), uids.data()) != CUDNN_STATUS_SUCCESS ||
        pack.set(CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1,
                 &workspace.data) != CUDNN_STATUS_SUCCESS ||
        cudnnBackendFinalize(pack.d) != CUDNN_STATUS_SUCCESS)
      continue;
    ++result.configs;
    double milliseconds = timeCalls(
        stream,
        [&] {
          return cudnnBackendExecute(handle, plan.d, pack.d) ==
                 CUDNN_STATUS_SUCCESS;
        },
        iterations, /*hold=*/true);
    if (milliseconds >= 0 &&
        (result.milliseconds < 0 || milliseconds < result.milliseconds))
      result.milliseconds = milliseconds;
  }
  if (result.milliseconds < 0)
    return GraphFailure{"none of the first " + std::to_string(maxConfigs) +
                        " engine configurations ran"};
  return {};
}

const char *algorithmName(cudnnConvolutionFwdAlgo_t algo) {
  switch (algo) {
  case CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM:
    return "implicit";
  case CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM:
    return "precomp";
  case CUDNN_CONVOLUTION_FWD_ALGO_GEMM:
    return "gemm";
  case CUDNN_CONVOLUTION_FWD_ALGO_DIRECT:
    return "direct";
  case CUDNN_CONVOLUTION_FWD_ALGO_FFT:
    return "fft";
  case CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING:
    return "fft-tiling";
  case CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD:
    return "winograd";
  case CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED:
    return "winograd-nf";
  default:
    return "?";
  }
}

} // namespace

int main(int argc, char **argv) {
  Options options = parse(argc, argv);
  cudnnDataType_t type = options.dtype == "bf16"   ? CUDNN_DATA_BFLOAT16
                         : options.dtype == "fp16" ? CUDNN_DATA_HALF
                                                   : CUDNN_DATA_FLOAT;
  cudaStream_t stream;
  require(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking),
          "creating a stream");
  cudnnHandle_t handle;
  require(cudnnCreate(&handle), "cudnnCreate");
  require(cudnnSetStream(handle, stream), "cudnnSetStream");
  DeviceBuffer workspace(kWorkspaceLimit);

  std::printf("NHWC %s convolutions of the full-size backbone, batch %lld; "
              "ms per call (the device alone unless said), %d calls each\n",
              options.dtype.c_str(), static_cast<long long>(options.batch),
              options.iterations);
  std::printf("%-34s %5s %9s %9s %-11s %9s %-11s %9s\n",
              "shape (C HxW -> O, k/s)", "count", "first", "best",
              "(algorithm)", "picked", "(host-timed)", "graph");
  double totals[4] = {0, 0, 0, 0};
  bool legacyComplete = true, graphComplete = options.graph;
  double graphSpent = 0; // seconds
  for (const Shape &s : kShapes) {
    Problem p(s, options.batch, type, stream);
    Legacy legacy(p);
    auto candidates = legacy.candidates(handle);
    char label[64];
    std::snprintf(label, sizeof label, "%lld %lldx%lld -> %lld, %lld/%lld%s%s",
                  (long long)s.C, (long long)s.H, (long long)s.W,
                  (long long)s.O, (long long)s.k, (long long)s.stride,
                  s.residual ? " +z" : "", s.relu ? " relu" : "");
    double first = -1, best = -1, hostBest = -1, picked = -1;
    cudnnConvolutionFwdAlgo_t bestAlgo{}, pickedAlgo{};
    bool firstUnfused = false;
    for (auto [algo, bytes] : candidates) {
      bool unfused = false;
      auto call = [&, algo = algo, bytes = bytes] {
        return legacy.run(handle, p, algo, workspace.data, bytes, unfused);
      };
      double device = timeCalls(stream, call, options.iterations, true);
      double withHost = timeCalls(stream, call, options.iterations, false);
      if (device < 0 || withHost < 0)
        continue;
      if (first < 0)
        first = device, firstUnfused = unfused;
      if (best < 0 || device < best)
        best = device, bestAlgo = algo;
      if (hostBest < 0 || withHost < hostBest)
        hostBest = withHost, picked = device, pickedAlgo = algo;
    }
    GraphResult graph;
    // Runtime-compiled engines can take seconds each to finalize: the
    // graph way stops when its time is spent.
    if (options.graph && graphSpent > options.graphSeconds) {
      graph.failure = "skipped: --graph-seconds " +
                      std::to_string(options.graphSeconds) + " spent";
    } else if (options.graph) {
      auto began = std::chrono::steady_clock::now();
      GraphFailure failure = timeGraph(handle, stream, p, options.graphConfigs,
                                       options.iterations, graph);
      graph.failure = failure.what;
      graphSpent += std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - began)
                        .count();
    }
    char graphText[32] = "-";
    if (graph.milliseconds >= 0)
      std::snprintf(graphText, sizeof graphText, "%.4f/%d", graph.milliseconds,
                    graph.configs);
    if (first < 0) {
      std::printf("%-34s %5d  no legacy algorithm ran %9s\n", label, s.count,
                  graphText);
      legacyComplete = graphComplete = false;
    } else {
      std::printf("%-34s %5d %8.4f%s %9.4f %-11s %9.4f %-11s %9s\n", label,
                  s.count, first, firstUnfused ? "*" : " ", best,
                  algorithmName(bestAlgo), picked, algorithmName(pickedAlgo),
                  graphText);
    }
    if (!graph.failure.empty())
      std::printf("    graph API: %s\n", graph.failure.c_str());
    if (first < 0)
      continue;
    totals[0] += s.count * first;
    totals[1] += s.count * best;
    totals[2] += s.count * picked;
    if (graph.milliseconds >= 0)
      totals[3] += s.count * std::min(graph.milliseconds, first);
    else
      graphComplete = false;
  }
  std::printf("total over the backbone's 54 convolutions: first %.3f ms, "
              "best %.3f ms, host-timed pick %.3f ms%s",
              totals[0], totals[1], totals[2],
              legacyComplete ? "" : " (some shapes left out)");
  if (options.graph)
    std::printf(", graph API where it is faster than first %.3f ms%s",
                totals[3],
                graphComplete ? "" : " (some shapes without a graph time)");
  std::printf("\n* the fused call refused the algorithm: a plain convolution, "
              "to which the runtime adds an epilogue kernel not timed here; "
              "graph: ms/configurations timed. Convolutions without a ReLU "
              "are timed without their bias on every side (the runtime adds "
              "it with a kernel).\n");
  if (holdTooShort)
    std::printf("warning: a spin kernel ended before the host had enqueued "
                "the calls it was to hide; some times include host work\n");
  cudnnDestroy(handle);
  cudaStreamDestroy(stream);
  return 0;
}
