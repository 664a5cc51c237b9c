//===- CudaBackend.cpp - Runs a plan's steps on a CUDA device -------------===//
//
// One device allocation holds the arena the plan sized; the weights are
// uploaded once through pinned staging, and shared by every session of the
// same loaded file on the device (its variants, or several sessions of one
// plan). The first run enqueues the steps
// eagerly, which sizes the scratch buffer and tunes the libraries'
// algorithms, and then records the same steps into a CUDA Graph; later runs
// replay the graph, so a forward pass costs one launch instead of a few
// hundred. A profiled run after the first replays each step's own graph
// between timing events instead, with an event between every two of its
// device operations too (TimedGraph.h). Inputs and outputs travel through
// pinned host buffers, in pieces whose host copies overlap the transfers.
//
// Environment variables for when something goes wrong on a device, or to
// compare choices:
//   INTR_CUDA_GRAPHS=0      never capture; every run enqueues the steps.
//   INTR_CUDA_SYNC_STEPS=1  no graph, and a synchronization after every
//                           step, so that a fault names its step.
//   INTR_CUDNN_FIND=0       f32 convolution algorithms from cuDNN's
//                           heuristic instead of timing them in the first
//                           run (16-bit ones always are).
//   INTR_CONV_PATH=cudnn|gemm  how 1x1 convolutions run, instead of the
//                           faster of the two in the first run.
//   INTR_ATTENTION_TF32=0|1 both fused attention kernels in f32 FMAs, or
//                           both on TF32 tensor cores where the plan
//                           allows TF32 (by default the flash
//                           self-attention on tensor cores, the class
//                           attention's statistics there, and its maps too
//                           where its scores fill the SMs, as from batch 3
//                           of the full-size model).
//   INTR_FLASH_SPLIT=0      the tensor-core flash self-attention never
//                           slices the keys (by default it does where its
//                           query tiles alone would leave SMs idle, as at
//                           batch 1, and combines the slices).
//   INTR_SMALL_CHANNEL_CONV=0  16-bit convolutions over at most 8 input
//                           channels (the stem) on cuDNN instead of our
//                           tensor-core kernel.
//   INTR_CUDNN_GRAPH=0|always  16-bit channels-last convolutions on cuDNN's
//                           legacy calls, or as operation graphs of its
//                           graph API (which fuses the bias, residual and
//                           ReLU) wherever it has an engine; by default
//                           (1) as graphs where the first run times them
//                           faster than the legacy calls.
//   INTR_GEMM_TUNE=0        every GEMM takes the first algorithm of
//                           cuBLASLt's heuristic (by default the first run
//                           times its first eight on the device alone and
//                           keeps the fastest).
//   INTR_PDL=1              our kernels launch as programmatic dependent
//                           launches (Hopper and later, where they run as
//                           sm_90 code): each starts while the one before
//                           it ends and waits for it on the device.
//
//===----------------------------------------------------------------------===//

#include "../SessionBackend.h"
#include "CudaKernel.h"
#include "TimedGraph.h"
#include "intr/runtime/Device.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>

namespace intr {
namespace {

bool environmentFlag(const char *name, bool fallback) {
  const char *value = std::getenv(name);
  if (!value || !*value)
    return fallback;
  return std::strcmp(value, "0") != 0;
}

struct BoundStep {
  cuda::Kernel kernel;
  std::vector<cuda::TensorArg> inputs, outputs;
};

/// Copies `bytes` between host buffers, with a few threads when it is large:
/// one core's memcpy moves about 6 GB/s, so copying a batch-1 run's 41 MiB
/// of attention maps out of the pinned staging (7 ms) took longer than the
/// tf32 run itself (4.6 ms on an H200); a few cores go several times
/// faster.
void hostCopy(void *to, const void *from, size_t bytes) {
  constexpr size_t kBlock = size_t(1) << 20;
  const auto blocks = static_cast<int64_t>((bytes + kBlock - 1) / kBlock);
  // Once per process: each run copies in pieces, and the count reads the
  // affinity mask and the cgroup's files.
  static const int threads = std::min(8, defaultCpuThreads());
  if (blocks < 4 || threads == 1) {
    std::memcpy(to, from, bytes);
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t block = 0; block < blocks; ++block) {
    size_t begin = static_cast<size_t>(block) * kBlock;
    std::memcpy(static_cast<std::byte *>(to) + begin,
                static_cast<const std::byte *>(from) + begin,
                std::min(kBlock, bytes - begin));
  }
}

/// The pieces in which the weights, inputs and outputs travel between host
/// memory, the pinned staging and the device: the host copy of one piece
/// overlaps the transfer of the next.
constexpr uint64_t kTransferPiece = uint64_t(8) << 20;

/// Creates `count` events at `events` with `flags`; on failure none of
/// them is left created.
Status createEvents(cudaEvent_t *events, size_t count, unsigned flags,
                    const char *what) {
  for (size_t i = 0; i < count; ++i)
    if (Status status =
            cuda::check(cudaEventCreateWithFlags(&events[i], flags), what);
        !status) {
      for (size_t j = 0; j < i; ++j)
        cudaEventDestroy(std::exchange(events[j], nullptr));
      return status;
    }
  return Status::ok();
}

/// Pinned host memory, freed with the backend.
struct PinnedBuffer {
  std::byte *data = nullptr;
  ~PinnedBuffer() { cudaFreeHost(data); }
};

/// Device memory, freed with the backend.
struct DeviceBuffer {
  std::byte *data = nullptr;
  ~DeviceBuffer() { cudaFree(data); }
};

/// The device copies of loaded weights, by the address and size of the
/// weights in host memory (a file's mapping, which its sessions keep
/// alive) and the device: each held by the sessions that read it, freed
/// with the last (whose destructor has made its device current).
std::mutex sharedWeightsMutex;
std::map<std::tuple<const std::byte *, uint64_t, int>,
         std::weak_ptr<DeviceBuffer>>
    sharedWeights;

class CudaBackend final : public Session::Backend {
public:
  explicit CudaBackend(Executable executable) : exe(std::move(executable)) {}
  ~CudaBackend() override;

  Status prepare(int device);
  Status start(const std::vector<TensorView> *inputs,
               const RunOptions &options) override;
  Status finish(Outputs &outputs) override;
  std::vector<double> stepMilliseconds() const override { return stepTimes; }
  std::vector<std::vector<OperationTime>> stepOperations() const override {
    return operationTimes;
  }
  void *address(int32_t index) override {
    return arena.data + exe.impl().tensors[index].offset;
  }
  uint64_t memoryBytes() const override {
    return exe.impl().arenaSize + exe.impl().weightsSize +
           context->scratchSize();
  }

private:
  cuda::TensorArg argFor(int32_t index) const;
  Status uploadWeights();
  /// Enqueues step `index` (or records it while capturing); its errors
  /// name the step.
  Status enqueueStep(size_t index);
  /// The events around the steps of profiled runs, created once.
  Status createStepEvents();
  /// Enqueues every step on the stream (or records them while capturing),
  /// with an event before each step and after the last when timing.
  Status enqueueSteps(bool timed = false);
  /// Records what `enqueue` puts on the stream into a graph.
  Expected<cudaGraph_t> record(const std::function<Status()> &enqueue);
  /// The same, instantiated.
  Expected<cudaGraphExec_t> capture(const std::function<Status()> &enqueue);
  Status captureGraph();
  /// A profiled run after the first: each step's own graph (recorded once,
  /// with events between its operations) launched between timing events,
  /// so that a step's kernels run back to back, without the host's
  /// enqueueing between them (still with a graph launch and an event
  /// record between steps).
  Status launchStepGraphs();

  Executable exe;
  // Declared first, destroyed last: the destructor below synchronizes the
  // stream before any memory goes.
  std::unique_ptr<cuda::Context> context;
  DeviceBuffer arena;
  std::shared_ptr<DeviceBuffer> weights; // shared (sharedWeights)
  PinnedBuffer stagedInputs, stagedOutputs;
  std::vector<uint64_t> inputOffsets, outputOffsets; // into the staging
  std::vector<BoundStep> steps;
  cudaGraphExec_t graph = nullptr;
  std::vector<cuda::TimedGraph> stepGraphs; // for profiled runs
  cudaEvent_t finished = nullptr, callerWrites = nullptr;
  // One per kTransferPiece of the outputs, in order: that piece has been
  // downloaded into the staging.
  std::vector<cudaEvent_t> downloaded;
  bool useGraph = true, syncEachStep = false;
  bool copyOutputs = true;
  std::vector<cudaEvent_t> stepEvents; // a profiled run's, created on demand
  std::vector<double> stepTimes;
  std::vector<std::vector<OperationTime>> operationTimes;
  bool profiled = false;
  bool stepGraphsLaunched = false; // by the run being finished
};

CudaBackend::~CudaBackend() {
  if (context) {
    cudaSetDevice(context->device);
    cudaStreamSynchronize(context->stream);
  }
  if (graph)
    cudaGraphExecDestroy(graph);
  stepGraphs.clear();
  if (finished)
    cudaEventDestroy(finished);
  if (callerWrites)
    cudaEventDestroy(callerWrites);
  for (cudaEvent_t event : stepEvents)
    cudaEventDestroy(event);
  for (cudaEvent_t event : downloaded)
    if (event)
      cudaEventDestroy(event);
}

cuda::TensorArg CudaBackend::argFor(int32_t index) const {
  if (index < 0)
    return {};
  const PlannedTensor &tensor = exe.impl().tensors[index];
  std::byte *base = tensor.isWeight ? weights->data : arena.data;
  return {base + tensor.offset, tensor.dtype, tensor.shape};
}

Status CudaBackend::prepare(int device) {
  const Executable::Impl &plan = exe.impl();
  syncEachStep = environmentFlag("INTR_CUDA_SYNC_STEPS", false);
  useGraph = environmentFlag("INTR_CUDA_GRAPHS", true) && !syncEachStep;

  Expected<std::unique_ptr<cuda::Context>> created =
      cuda::Context::create(device);
  if (!created)
    return created.error();
  context = std::move(*created);
  // fp16 and bf16 plans run their f32 ops (the transformer) as tf32 does.
  context->allowTF32 = plan.precision != "fp32";
  context->flashTF32 =
      context->allowTF32 && environmentFlag("INTR_ATTENTION_TF32", true);
  // The flash kernel is off tensor cores only where TF32 is: then so is
  // the class attention; INTR_ATTENTION_TF32=1 puts it on them everywhere.
  using Cores = cuda::Context::ClassAttentionCores;
  const char *attentionTF32 = std::getenv("INTR_ATTENTION_TF32");
  context->classAttentionCores = !context->flashTF32 ? Cores::Fma
                                 : attentionTF32 && *attentionTF32
                                     ? Cores::TensorCores
                                     : Cores::BySize;
  context->flashKeySplits = environmentFlag("INTR_FLASH_SPLIT", true);
  context->smallChannelConv = environmentFlag("INTR_SMALL_CHANNEL_CONV", true);
  context->convGraphs = cuda::Context::ConvGraphs::Faster;
  if (const char *graphs = std::getenv("INTR_CUDNN_GRAPH"); graphs && *graphs) {
    if (std::strcmp(graphs, "0") == 0)
      context->convGraphs = cuda::Context::ConvGraphs::Never;
    else if (std::strcmp(graphs, "always") == 0)
      context->convGraphs = cuda::Context::ConvGraphs::Always;
    else if (std::strcmp(graphs, "1") != 0)
      return Error(std::string("INTR_CUDNN_GRAPH must be 0, 1 or always, "
                               "got '") +
                   graphs + "'");
  }
  context->measureGemmAlgorithms = environmentFlag("INTR_GEMM_TUNE", true);
  if (environmentFlag("INTR_PDL", false)) {
    // Elsewhere the kernels would not wait for the launches to overlap.
    Expected<bool> awaits = cuda::kernelsAwaitPredecessors();
    if (!awaits)
      return awaits.error();
    context->programmaticLaunch = *awaits;
  }
  context->measureConvAlgorithms = environmentFlag("INTR_CUDNN_FIND", true);
  if (const char *path = std::getenv("INTR_CONV_PATH")) {
    if (std::strcmp(path, "cudnn") == 0)
      context->convPath = cuda::Context::ConvPath::Cudnn;
    else if (std::strcmp(path, "gemm") == 0)
      context->convPath = cuda::Context::ConvPath::Gemm;
    else if (*path && std::strcmp(path, "fastest") != 0)
      return Error(std::string("INTR_CONV_PATH must be cudnn, gemm or "
                               "fastest, got '") +
                   path + "'");
  }

  // Every step must have a kernel before anything big is allocated.
  const cuda::KernelRegistry &registry = cuda::KernelRegistry::cuda();
  for (size_t index = 0; index < plan.steps.size(); ++index) {
    const PlannedStep &step = plan.steps[index];
    if (!registry.find(step.kernel))
      return Error(plan.source + ": " + step.describe(index) +
                   ": the CUDA backend has no kernel for " + step.kernel);
  }

  auto allocate = [](DeviceBuffer &buffer, uint64_t bytes,
                     const std::string &what) -> Status {
    if (bytes == 0)
      return Status::ok();
    cudaError_t code = cudaMalloc(&buffer.data, bytes);
    if (code != cudaSuccess) {
      cudaGetLastError();
      return cuda::cudaError("allocating " + std::to_string(bytes) +
                                 " bytes of device memory for the " + what,
                             code);
    }
    return Status::ok();
  };
  if (Status status = allocate(arena, plan.arenaSize, "arena"); !status)
    return status;
  // A zeroed arena: runs are deterministic even if a kernel reads a
  // tensor before any step wrote it.
  if (plan.arenaSize)
    if (Status status = cuda::check(
            cudaMemsetAsync(arena.data, 0, plan.arenaSize, context->stream),
            "clearing the arena");
        !status)
      return status;
  {
    // Another session of this file on this device may have uploaded them;
    // the lock keeps a second from uploading them again meanwhile.
    std::lock_guard<std::mutex> lock(sharedWeightsMutex);
    for (auto it = sharedWeights.begin(); it != sharedWeights.end();)
      it = it->second.expired() ? sharedWeights.erase(it) : std::next(it);
    std::weak_ptr<DeviceBuffer> &shared =
        sharedWeights[{plan.weights, plan.weightsSize, device}];
    weights = shared.lock();
    if (!weights) {
      weights = std::make_shared<DeviceBuffer>();
      if (Status status = allocate(*weights, plan.weightsSize, "weights");
          !status)
        return status;
      if (Status status = uploadWeights(); !status)
        return status;
      shared = weights;
    }
  }

  uint64_t inputBytes = 0, outputBytes = 0;
  for (const Binding &binding : plan.inputBindings) {
    inputOffsets.push_back(inputBytes);
    inputBytes += (plan.tensors[binding.tensor].size + 255) / 256 * 256;
  }
  for (const Binding &binding : plan.outputBindings) {
    outputOffsets.push_back(outputBytes);
    outputBytes += (plan.tensors[binding.tensor].size + 255) / 256 * 256;
  }
  if (Status status =
          cuda::check(cudaHostAlloc(&stagedInputs.data,
                                    std::max<uint64_t>(inputBytes, 1),
                                    cudaHostAllocDefault),
                      "allocating pinned memory for the inputs");
      !status)
    return status;
  if (Status status =
          cuda::check(cudaHostAlloc(&stagedOutputs.data,
                                    std::max<uint64_t>(outputBytes, 1),
                                    cudaHostAllocDefault),
                      "allocating pinned memory for the outputs");
      !status)
    return status;
  for (cudaEvent_t *event : {&finished, &callerWrites})
    if (Status status = cuda::check(
            cudaEventCreateWithFlags(event, cudaEventDisableTiming),
            "creating an event");
        !status)
      return status;
  size_t pieces = 0;
  for (const Binding &binding : plan.outputBindings)
    pieces += (plan.tensors[binding.tensor].size + kTransferPiece - 1) /
              kTransferPiece;
  downloaded.assign(pieces, nullptr);
  if (Status status = createEvents(downloaded.data(), downloaded.size(),
                                   cudaEventDisableTiming, "creating an event");
      !status)
    return status;

  for (const PlannedStep &step : plan.steps) {
    BoundStep bound{registry.find(step.kernel), {}, {}};
    for (int32_t input : step.inputs)
      bound.inputs.push_back(argFor(input));
    for (int32_t output : step.outputs)
      bound.outputs.push_back(argFor(output));
    steps.push_back(std::move(bound));
  }
  return cuda::check(cudaStreamSynchronize(context->stream),
                     "preparing the session");
}

Status CudaBackend::uploadWeights() {
  const Executable::Impl &plan = exe.impl();
  if (plan.weightsSize == 0)
    return Status::ok();
  // Mapped file pages are not pinned: copy them through a pinned buffer in
  // pieces, two halves alternating so that copying and uploading overlap.
  PinnedBuffer staging;
  if (Status status =
          cuda::check(cudaHostAlloc(&staging.data, 2 * kTransferPiece,
                                    cudaHostAllocDefault),
                      "allocating pinned staging for the weights");
      !status)
    return status;
  cudaEvent_t halfFree[2] = {nullptr, nullptr};
  if (Status status = createEvents(halfFree, 2, cudaEventDisableTiming,
                                   "creating an event");
      !status)
    return status;
  Status status = Status::ok();
  for (uint64_t offset = 0, chunk = 0; offset < plan.weightsSize && status;
       offset += kTransferPiece, ++chunk) {
    uint64_t bytes = std::min(kTransferPiece, plan.weightsSize - offset);
    std::byte *half = staging.data + (chunk % 2) * kTransferPiece;
    status = cuda::check(cudaEventSynchronize(halfFree[chunk % 2]),
                         "uploading the weights");
    if (!status)
      break;
    hostCopy(half, plan.weights + offset, bytes);
    status =
        cuda::check(cudaMemcpyAsync(weights->data + offset, half, bytes,
                                    cudaMemcpyHostToDevice, context->stream),
                    "uploading the weights");
    if (status)
      status = cuda::check(cudaEventRecord(halfFree[chunk % 2],
                                           context->stream),
                           "uploading the weights");
  }
  if (status)
    status = cuda::check(cudaStreamSynchronize(context->stream),
                         "uploading the weights");
  for (cudaEvent_t event : halfFree)
    cudaEventDestroy(event);
  return status;
}

Status CudaBackend::createStepEvents() {
  if (!stepEvents.empty())
    return Status::ok();
  stepEvents.resize(steps.size() + 1, nullptr);
  Status status = createEvents(stepEvents.data(), stepEvents.size(),
                               cudaEventDefault, "creating a timing event");
  if (!status)
    stepEvents.clear();
  return status;
}

Status CudaBackend::enqueueStep(size_t index) {
  const PlannedStep &planned = exe.impl().steps[index];
  cuda::KernelCall call{steps[index].inputs, steps[index].outputs,
                        planned.attrs, *context};
  Status status = steps[index].kernel(call);
  if (status && syncEachStep)
    status = cuda::check(cudaStreamSynchronize(context->stream), "running");
  if (!status)
    return Error(planned.describe(index) + ": " + status.error().message());
  return status;
}

Status CudaBackend::enqueueSteps(bool timed) {
  if (timed)
    if (Status status = createStepEvents(); !status)
      return status;
  for (size_t index = 0; index < steps.size(); ++index) {
    if (timed)
      if (Status status = cuda::check(
              cudaEventRecord(stepEvents[index], context->stream), "timing");
          !status)
        return status;
    if (Status status = enqueueStep(index); !status)
      return status;
  }
  if (timed)
    return cuda::check(cudaEventRecord(stepEvents.back(), context->stream),
                       "timing");
  return Status::ok();
}

Expected<cudaGraph_t>
CudaBackend::record(const std::function<Status()> &enqueue) {
  cudaGraph_t recorded = nullptr;
  if (Status status = cuda::check(
          cudaStreamBeginCapture(context->stream,
                                 cudaStreamCaptureModeThreadLocal),
          "starting the CUDA Graph capture");
      !status)
    return status.error();
  context->capturing = true;
  Status enqueued = enqueue();
  context->capturing = false;
  Status ended = cuda::check(cudaStreamEndCapture(context->stream, &recorded),
                             "ending the CUDA Graph capture");
  Status status = !enqueued ? enqueued : ended;
  if (!status) {
    if (recorded)
      cudaGraphDestroy(recorded);
    cudaGetLastError();
    return status.error();
  }
  return recorded;
}

Expected<cudaGraphExec_t>
CudaBackend::capture(const std::function<Status()> &enqueue) {
  Expected<cudaGraph_t> recorded = record(enqueue);
  if (!recorded)
    return recorded.error();
  cudaGraphExec_t executable = nullptr;
  Status status = cuda::check(cudaGraphInstantiate(&executable, *recorded, 0),
                              "instantiating the CUDA Graph");
  cudaGraphDestroy(*recorded);
  if (!status) {
    cudaGetLastError();
    return status.error();
  }
  return executable;
}

Status CudaBackend::captureGraph() {
  Expected<cudaGraphExec_t> captured = capture([&] { return enqueueSteps(); });
  if (!captured)
    return Error("capturing the run into a CUDA Graph (INTR_CUDA_GRAPHS=0 "
                 "runs without one): " +
                 captured.error().message());
  graph = *captured;
  return Status::ok();
}

Status CudaBackend::launchStepGraphs() {
  const Executable::Impl &plan = exe.impl();
  if (Status status = createStepEvents(); !status)
    return status;
  if (stepGraphs.empty()) {
    for (size_t index = 0; index < steps.size(); ++index) {
      Expected<cudaGraph_t> recorded =
          record([&] { return enqueueStep(index); });
      Expected<cuda::TimedGraph> timed =
          recorded ? cuda::TimedGraph::create(*recorded)
                   : Expected<cuda::TimedGraph>(recorded.error());
      if (recorded)
        cudaGraphDestroy(*recorded);
      // Uploaded now, so that no step's time includes its graph's upload.
      Status uploaded = timed ? cuda::check(cudaGraphUpload(timed->executable(),
                                                            context->stream),
                                            "uploading the graph")
                              : Status(timed.error());
      if (timed)
        stepGraphs.push_back(std::move(*timed));
      if (!uploaded) {
        cudaGetLastError();
        stepGraphs.clear();
        return Error("capturing each step for the profile (INTR_CUDA_GRAPHS=0 "
                     "profiles without graphs): " +
                     uploaded.error().message());
      }
    }
  }
  for (size_t index = 0; index < steps.size(); ++index) {
    if (Status status = cuda::check(
            cudaEventRecord(stepEvents[index], context->stream), "timing");
        !status)
      return status;
    if (Status status = cuda::check(
            cudaGraphLaunch(stepGraphs[index].executable(), context->stream),
            "launching " + plan.steps[index].describe(index));
        !status)
      return status;
  }
  return cuda::check(cudaEventRecord(stepEvents.back(), context->stream),
                     "timing");
}

Status CudaBackend::start(const std::vector<TensorView> *inputs,
                          const RunOptions &options) {
  const Executable::Impl &plan = exe.impl();
  copyOutputs = options.copyOutputs;
  profiled = options.profile;
  stepGraphsLaunched = false;
  if (Status status = cuda::check(cudaSetDevice(context->device),
                                  "selecting the session's device");
      !status)
    return status;
  for (size_t i = 0; inputs && i < inputs->size(); ++i) {
    const PlannedTensor &tensor = plan.tensors[plan.inputBindings[i].tensor];
    if (!tensor.size)
      continue;
    // The caller may reuse its memory as soon as start returns. Each
    // piece uploads while the next is copied into the staging.
    std::byte *staged = stagedInputs.data + inputOffsets[i];
    const auto *from = static_cast<const std::byte *>((*inputs)[i].data);
    for (uint64_t at = 0; at < tensor.size; at += kTransferPiece) {
      uint64_t bytes = std::min(kTransferPiece, tensor.size - at);
      hostCopy(staged + at, from + at, bytes);
      if (Status status = cuda::check(
              cudaMemcpyAsync(arena.data + tensor.offset + at, staged + at,
                              bytes, cudaMemcpyHostToDevice, context->stream),
              "uploading input '" + plan.inputBindings[i].info.name + "'");
          !status)
        return status;
    }
  }

  if (!inputs) {
    // In place: the caller wrote the inputs, most likely with cudaMemcpy or
    // a kernel on the legacy default stream, which our non-blocking stream
    // does not wait for by itself.
    if (Status status = cuda::check(
            cudaEventRecord(callerWrites, cudaStreamLegacy),
            "ordering the run after the caller's writes");
        !status)
      return status;
    if (Status status = cuda::check(
            cudaStreamWaitEvent(context->stream, callerWrites, 0),
            "ordering the run after the caller's writes");
        !status)
      return status;
  }

  if (graph && !profiled) {
    if (Status status = cuda::check(cudaGraphLaunch(graph, context->stream),
                                    "launching the CUDA Graph");
        !status)
      return status;
  } else if (graph) {
    if (Status status = launchStepGraphs(); !status)
      return status;
    stepGraphsLaunched = true;
  } else {
    if (Status status = enqueueSteps(profiled); !status)
      return status;
    // Captured after an eager run: that one sized the scratch and tuned
    // the algorithms, which a capture may not do.
    if (useGraph && !graph)
      if (Status status = captureGraph(); !status)
        return status;
  }

  // Piece by piece, each with its event, so that finish() copies each
  // piece out while the next downloads.
  size_t piece = 0;
  for (size_t i = 0; copyOutputs && i < plan.outputBindings.size(); ++i) {
    const PlannedTensor &tensor = plan.tensors[plan.outputBindings[i].tensor];
    for (uint64_t at = 0; at < tensor.size; at += kTransferPiece) {
      uint64_t bytes = std::min(kTransferPiece, tensor.size - at);
      if (Status status = cuda::check(
              cudaMemcpyAsync(stagedOutputs.data + outputOffsets[i] + at,
                              arena.data + tensor.offset + at, bytes,
                              cudaMemcpyDeviceToHost, context->stream),
              "downloading output '" + plan.outputBindings[i].info.name + "'");
          !status)
        return status;
      if (Status status =
              cuda::check(cudaEventRecord(downloaded[piece++], context->stream),
                          "recording a download");
          !status)
        return status;
    }
  }
  return cuda::check(cudaEventRecord(finished, context->stream),
                     "recording the end of the run");
}

Status CudaBackend::finish(Outputs &outputs) {
  const Executable::Impl &plan = exe.impl();
  auto waitFor = [&](cudaEvent_t event) {
    return cuda::check(cudaEventSynchronize(event),
                       "running on " + Device::cuda(context->device).name() +
                           " (INTR_CUDA_SYNC_STEPS=1 names the failing step)");
  };
  // Each piece is copied out of the staging as soon as it has landed. The
  // first comes after every step: a failed step is reported before any
  // output is touched.
  if (copyOutputs && !downloaded.empty())
    if (Status status = waitFor(downloaded.front()); !status)
      return status;
  size_t piece = 0;
  for (size_t i = 0; copyOutputs && i < plan.outputBindings.size(); ++i) {
    const Binding &binding = plan.outputBindings[i];
    const PlannedTensor &tensor = plan.tensors[binding.tensor];
    Tensor &result = outputs.reuse(binding.info.name, binding.info.role,
                                   tensor.dtype, tensor.shape);
    for (uint64_t at = 0; at < tensor.size; at += kTransferPiece) {
      if (Status status = waitFor(downloaded[piece++]); !status)
        return status;
      hostCopy(static_cast<std::byte *>(result.rawData()) + at,
               stagedOutputs.data + outputOffsets[i] + at,
               std::min(kTransferPiece, tensor.size - at));
    }
  }
  if (Status status = waitFor(finished); !status)
    return status;
  if (profiled) {
    stepTimes.assign(steps.size(), 0.0);
    for (size_t index = 0; index < steps.size(); ++index) {
      float milliseconds = 0;
      if (Status status = cuda::check(
              cudaEventElapsedTime(&milliseconds, stepEvents[index],
                                   stepEvents[index + 1]),
              "reading the step times");
          !status)
        return status;
      stepTimes[index] = milliseconds;
    }
    operationTimes.clear();
    for (size_t index = 0; stepGraphsLaunched && index < steps.size();
         ++index) {
      Expected<std::vector<OperationTime>> times = stepGraphs[index].read();
      if (!times)
        return times.error();
      operationTimes.push_back(std::move(*times));
    }
  }
  return Status::ok();
}

} // namespace

Expected<std::unique_ptr<Session::Backend>>
createCudaBackend(const Executable &executable, int device) {
  auto backend = std::make_unique<CudaBackend>(executable);
  if (Status status = backend->prepare(device); !status)
    return status.error();
  return std::unique_ptr<Session::Backend>(std::move(backend));
}

} // namespace intr
