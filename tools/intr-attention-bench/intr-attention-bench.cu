//===- intr-attention-bench.cu - Times the fused attention kernels --------===//
//
// Times launchFusedClassAttention on the decoder's shapes (by default one
// image, 200 classes, 950 tokens, 8 heads of 32 features: one decoder layer
// of the full-size model) with CUDA events, after a warm-up, and prints one
// line of JSON: the minimum and median time, the bytes of the per-head
// probabilities and their mean (what the kernel must write), the bandwidth
// those writes achieve and the device's peak memory bandwidth.
//
//   intr-attention-bench [--batch B] [--classes C] [--tokens T]
//       [--heads H] [--head-dim dh] [--iterations N] [--warmup N]
//       [--graph] [--tensor-cores [--fma-maps]] [--no-plain]
//       [--self [--key-splits N]]
//
// With --self it times launchFlashSelfAttention instead, on the encoder's
// shapes (T queries over the same T keys, --classes unused), and prints its
// time and arithmetic rate (4 B H T² dh flops); --key-splits sets
// FlashAttentionParams::keySplits (1, the default: none; 0: the launcher's
// choice), which the tensor-core path takes.
//
// Keys and values are read in place from a stacked projection of width
// 12 D (six layers' keys and values, as after the memory projections are
// hoisted). --graph replays one captured launch per iteration (as a session
// replays its runs); --tensor-cores sets allowTensorCores (TF32), and with
// --fma-maps the maps are recomputed in FMAs (tensorCoreMaps off). Unless
// --no-plain, the plain intr.class_attention_kv
// kernel of AttentionKernels.cu is timed too on the same operands (it also
// applies the output projection).
//
//===----------------------------------------------------------------------===//

#include "CUDA/FusedAttention.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::cuda;

namespace {

struct Options {
  int64_t batch = 1, classes = 200, tokens = 950, heads = 8, headDim = 32;
  int64_t keySplits = 1;
  int iterations = 100, warmup = 10;
  bool graph = false, tensorCores = false, fmaMaps = false, plain = true,
       self = false;
};

[[noreturn]] void usage(const char *message) {
  std::fprintf(stderr,
               "error: %s\nusage: intr-attention-bench [--batch B] "
               "[--classes C] [--tokens T] [--heads H] [--head-dim dh] "
               "[--iterations N] [--warmup N] [--graph] [--tensor-cores "
               "[--fma-maps]] [--no-plain] [--self [--key-splits N]]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--graph") {
      options.graph = true;
      continue;
    }
    if (flag == "--tensor-cores") {
      options.tensorCores = true;
      continue;
    }
    if (flag == "--fma-maps") {
      options.fmaMaps = true;
      continue;
    }
    if (flag == "--no-plain") {
      options.plain = false;
      continue;
    }
    if (flag == "--self") {
      options.self = true;
      continue;
    }
    // The numeric options: an unknown flag is named as such, before its
    // value is looked for.
    int64_t *size = flag == "--batch"        ? &options.batch
                    : flag == "--classes"    ? &options.classes
                    : flag == "--tokens"     ? &options.tokens
                    : flag == "--heads"      ? &options.heads
                    : flag == "--head-dim"   ? &options.headDim
                    : flag == "--key-splits" ? &options.keySplits
                                             : nullptr;
    int *count = flag == "--iterations" ? &options.iterations
                 : flag == "--warmup"   ? &options.warmup
                                        : nullptr;
    if (!size && !count)
      usage(("unknown option " + flag).c_str());
    if (i + 1 >= argc)
      usage(("missing value after " + flag).c_str());
    const char *text = argv[++i];
    char *end = nullptr;
    long long value = std::strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < 0 || value > (1ll << 30))
      usage(("bad value for " + flag).c_str());
    if (size)
      *size = value;
    else
      *count = static_cast<int>(value);
  }
  if (options.batch < 1 || options.classes < 1 || options.tokens < 1 ||
      options.heads < 1 || options.iterations < 1)
    usage("sizes and iterations must be positive");
  if (options.fmaMaps && (!options.tensorCores || options.self))
    usage("--fma-maps goes with --tensor-cores, in the class attention");
  return options;
}

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::exit(1);
}

void require(Status status) {
  if (!status)
    fail(status.error().message());
}

void require(cudaError_t code, const char *what) { require(check(code, what)); }

/// Device memory of `count` floats (or bytes), freed at exit.
template <typename T> T *deviceArray(size_t count) {
  void *memory = nullptr;
  require(cudaMalloc(&memory, std::max<size_t>(count, 1) * sizeof(T)),
          "cudaMalloc");
  return static_cast<T *>(memory);
}

/// Fills `data` with values in [-2, 2) from a fixed-seed generator.
void fillRandom(float *data, size_t count, uint32_t seed) {
  std::vector<float> host(count);
  uint32_t state = seed * 2654435761u + 1u;
  for (float &value : host) {
    state = state * 1664525u + 1013904223u;
    value = static_cast<float>(state >> 8) / float(1u << 24) * 4.0f - 2.0f;
  }
  require(cudaMemcpy(data, host.data(), count * sizeof(float),
                     cudaMemcpyHostToDevice),
          "uploading the operands");
}

struct Timing {
  double minimum = 0, median = 0;
};

/// Times `run` (which enqueues on `stream`) `iterations` times after
/// `warmup` untimed runs, each between two events.
Timing timeRuns(const std::function<void()> &run, cudaStream_t stream,
                int iterations, int warmup) {
  cudaEvent_t start, stop;
  require(cudaEventCreate(&start), "cudaEventCreate");
  require(cudaEventCreate(&stop), "cudaEventCreate");
  for (int i = 0; i < warmup; ++i)
    run();
  require(cudaStreamSynchronize(stream), "warm-up");
  std::vector<double> times;
  for (int i = 0; i < iterations; ++i) {
    require(cudaEventRecord(start, stream), "cudaEventRecord");
    run();
    require(cudaEventRecord(stop, stream), "cudaEventRecord");
    require(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float ms = 0;
    require(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    times.push_back(ms * 1e3);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  std::sort(times.begin(), times.end());
  Timing timing;
  timing.minimum = times.front();
  size_t n = times.size();
  timing.median =
      n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  return timing;
}

/// The device's peak DRAM bandwidth in GB/s from its memory clock (kHz)
/// and bus width (bits), double data rate; 0 when the device does not say.
double peakBandwidth(int device) {
  int clockKHz = 0, busBits = 0;
  if (cudaDeviceGetAttribute(&clockKHz, cudaDevAttrMemoryClockRate, device) !=
      cudaSuccess)
    clockKHz = 0;
  if (cudaDeviceGetAttribute(&busBits, cudaDevAttrGlobalMemoryBusWidth,
                             device) != cudaSuccess) {
    cudaDeviceProp properties;
    if (cudaGetDeviceProperties(&properties, device) == cudaSuccess)
      busBits = properties.memoryBusWidth;
  }
  cudaGetLastError();
  return 2.0 * double(clockKHz) * 1e3 * (busBits / 8.0) / 1e9;
}

/// Times `launch` (which enqueues on context.stream): eagerly, or with
/// `graph` as one captured launch replayed per iteration. A first eager run
/// sizes the context's scratch before any capture.
Timing timeLaunch(Context &context, const Options &options,
                  const std::function<Status()> &launch) {
  require(launch());
  require(cudaStreamSynchronize(context.stream), "the first run");
  if (!options.graph)
    return timeRuns([&] { require(launch()); }, context.stream,
                    options.iterations, options.warmup);
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  context.capturing = true;
  require(
      cudaStreamBeginCapture(context.stream, cudaStreamCaptureModeThreadLocal),
      "cudaStreamBeginCapture");
  Status captured = launch();
  require(cudaStreamEndCapture(context.stream, &graph), "cudaStreamEndCapture");
  context.capturing = false;
  require(captured);
  require(cudaGraphInstantiate(&exec, graph, 0), "cudaGraphInstantiate");
  Timing timing = timeRuns(
      [&] { require(cudaGraphLaunch(exec, context.stream), "replay"); },
      context.stream, options.iterations, options.warmup);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  return timing;
}

/// The encoder's self-attention: T queries over T keys, q, k and v column
/// slices of one [B, T, 3D] projection, the output [B, T, D].
void benchSelfAttention(const Options &options, Context &context,
                        const char *device) {
  const int64_t B = options.batch, T = options.tokens, H = options.heads,
                dh = options.headDim, D = H * dh;
  float *qkv = deviceArray<float>(B * T * 3 * D);
  float *out = deviceArray<float>(B * T * D);
  fillRandom(qkv, B * T * 3 * D, 5);

  FlashAttentionParams params;
  params.q = qkv;
  params.k = qkv + D;
  params.v = qkv + 2 * D;
  params.qBatchStride = params.kBatchStride = params.vBatchStride = T * 3 * D;
  params.qRowStride = params.kRowStride = params.vRowStride = 3 * D;
  params.qHeadStride = params.kHeadStride = params.vHeadStride = dh;
  params.o = out;
  params.oBatchStride = T * D;
  params.oRowStride = D;
  params.oHeadStride = dh;
  params.batch = B;
  params.queries = params.keys = T;
  params.heads = H;
  params.headDim = dh;
  params.scale = static_cast<float>(1.0 / std::sqrt(double(dh)));
  params.allowTensorCores = options.tensorCores;
  params.keySplits = options.keySplits;

  const Timing timing = timeLaunch(context, options, [&] {
    return launchFlashSelfAttention(context, params);
  });
  require(cudaGetLastError(), "the runs");
  const double flops = 4.0 * double(B * H) * double(T) * double(T) * dh;
  std::printf("{\"device\": \"%s\", \"kernel\": \"flash\", \"batch\": %lld, "
              "\"tokens\": %lld, \"heads\": %lld, \"head_dim\": %lld, "
              "\"iterations\": %d, \"graph\": %s, \"tensor_cores\": %s, "
              "\"key_splits\": %lld, \"min_us\": %.3f, \"median_us\": %.3f, "
              "\"tflops\": %.2f, \"scratch_bytes\": %zu}\n",
              device, (long long)B, (long long)T, (long long)H, (long long)dh,
              options.iterations, options.graph ? "true" : "false",
              options.tensorCores ? "true" : "false",
              (long long)options.keySplits, timing.minimum, timing.median,
              flops / (timing.minimum * 1e-6) / 1e12,
              flashSelfAttentionScratchBytes(params, context.multiprocessors));
}

} // namespace

int main(int argc, char **argv) {
  const Options options = parse(argc, argv);
  const int64_t B = options.batch, C = options.classes, T = options.tokens,
                H = options.heads, dh = options.headDim, D = H * dh;
  if (!fusedAttentionSupportsHeadDim(dh))
    fail("head size " + std::to_string(dh) + " is not supported (32 or 64)");
  // Six layers' keys and values side by side; this layer's at 2D and 3D.
  const int64_t N = 12 * D, keyOffset = 2 * D, valueOffset = 3 * D;

  Expected<std::unique_ptr<Context>> created = Context::create(0);
  if (!created)
    fail(created.error().message());
  Context &context = **created;
  cudaDeviceProp properties;
  require(cudaGetDeviceProperties(&properties, context.device),
          "cudaGetDeviceProperties");
  if (options.self) {
    benchSelfAttention(options, context, properties.name);
    return 0;
  }

  float *queries = deviceArray<float>(B * C * D);
  float *kv = deviceArray<float>(B * T * N);
  float *probs = deviceArray<float>(B * H * C * T);
  float *mean = deviceArray<float>(B * C * T);
  float *out = deviceArray<float>(B * C * D);
  fillRandom(queries, B * C * D, 1);
  fillRandom(kv, B * T * N, 2);

  ClassAttentionParams params;
  params.q = queries;
  params.qBatchStride = C * D;
  params.qRowStride = D;
  params.k = kv + keyOffset;
  params.v = kv + valueOffset;
  params.kBatchStride = params.vBatchStride = T * N;
  params.kRowStride = params.vRowStride = N;
  params.probs = probs;
  params.meanProbs = mean;
  params.out = out;
  params.outRowStride = D;
  params.batch = B;
  params.classes = C;
  params.tokens = T;
  params.heads = H;
  params.headDim = dh;
  params.scale = static_cast<float>(1.0 / std::sqrt(double(dh)));
  params.allowTensorCores = options.tensorCores;
  params.tensorCoreMaps = !options.fmaMaps;

  const Timing fused = timeLaunch(context, options, [&] {
    return launchFusedClassAttention(context, params);
  });

  // The plain kernel through the registry, on the same operands.
  Timing plain;
  bool plainTimed = false;
  if (options.plain) {
    if (Kernel kernel =
            KernelRegistry::cuda().find("intr.class_attention_kv")) {
      float *outWeight = deviceArray<float>(D * D);
      float *outBias = deviceArray<float>(D);
      fillRandom(outWeight, D * D, 3);
      fillRandom(outBias, D, 4);
      std::vector<TensorArg> inputs = {{queries, DType::F32, {B, C, D}},
                                       {kv, DType::F32, {B, T, N}},
                                       {outWeight, DType::F32, {D, D}},
                                       {outBias, DType::F32, {D}}};
      std::vector<TensorArg> outputs = {{out, DType::F32, {B, C, D}},
                                        {probs, DType::F32, {B, H, C, T}},
                                        {mean, DType::F32, {B, C, T}}};
      AttrMap attrs;
      attrs.set("num_heads", AttrValue{{H}, {}, {}});
      attrs.set("key_offset", AttrValue{{keyOffset}, {}, {}});
      attrs.set("value_offset", AttrValue{{valueOffset}, {}, {}});
      attrs.set("feature_map", AttrValue{{1, T}, {}, {}});
      KernelCall call{inputs, outputs, attrs, context};
      require(kernel(call));
      require(cudaStreamSynchronize(context.stream), "the plain kernel");
      plain = timeRuns([&] { require(kernel(call)); }, context.stream,
                       options.iterations, options.warmup);
      plainTimed = true;
    }
  }
  require(cudaGetLastError(), "the runs");

  const double mapBytes = 4.0 * double(B * H * C * T + B * C * T);
  const double peak = peakBandwidth(context.device);
  auto gbps = [&](double microseconds) {
    return mapBytes / (microseconds * 1e-6) / 1e9;
  };
  std::printf("{\"device\": \"%s\", \"batch\": %lld, \"classes\": %lld, "
              "\"tokens\": %lld, \"heads\": %lld, \"head_dim\": %lld, "
              "\"iterations\": %d, \"graph\": %s, \"tensor_cores\": %s, "
              "\"fma_maps\": %s, "
              "\"min_us\": %.3f, \"median_us\": %.3f, "
              "\"map_bytes\": %.0f, \"map_write_gbps\": %.1f, "
              "\"map_write_gbps_median\": %.1f, \"peak_gbps\": %.1f, "
              "\"fraction_of_peak\": %.4f, \"scratch_bytes\": %zu",
              properties.name, (long long)B, (long long)C, (long long)T,
              (long long)H, (long long)dh, options.iterations,
              options.graph ? "true" : "false",
              options.tensorCores ? "true" : "false",
              options.fmaMaps ? "true" : "false", fused.minimum, fused.median,
              mapBytes, gbps(fused.minimum), gbps(fused.median), peak,
              peak > 0 ? gbps(fused.minimum) / peak : 0.0,
              fusedClassAttentionScratchBytes(params, context.multiprocessors));
  if (plainTimed)
    std::printf(", \"plain_min_us\": %.3f, \"plain_median_us\": %.3f",
                plain.minimum, plain.median);
  std::printf("}\n");
  return 0;
}
