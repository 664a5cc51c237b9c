//===- CudaKernel.h - The CUDA backend's kernel interface -------*- C++ -*-===//
//
// The CUDA twin of CPU/Kernel.h. A plan step names its kernel by the op it
// came from; the CUDA backend looks the name up in cuda::KernelRegistry and
// calls the kernel with views of device memory (the session's arena or its
// uploaded weights). A kernel checks the operand counts, dtypes, shapes and
// attributes it relies on on the host, then enqueues its work on the
// context's stream and returns. It never synchronizes and never allocates
// while the context is capturing a CUDA Graph: everything a run needs is
// found out in the first, eager run (scratch sizes, tuned algorithms).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_CUDAKERNEL_H
#define INTR_LIB_RUNTIME_CUDA_CUDAKERNEL_H

#include "../CPU/Kernel.h"
#include "CudaCheck.h"

#include <cublasLt.h>
#include <cuda_runtime.h>
#if INTR_HAVE_CUDNN
#include <cudnn.h>
#endif

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace intr::cuda {

// Operands and attributes are the CPU backend's types; here `data` points
// to device memory.
using cpu::AttrMap;
using cpu::AttrValue;
using cpu::TensorArg;

/// What the steps of one session share: the device, its stream, library
/// handles, one scratch buffer and the algorithm choices made so far.
class Context {
public:
  /// Selects `device` and creates the stream and handles.
  static Expected<std::unique_ptr<Context>> create(int device);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  int device = 0;
  /// Streaming multiprocessors: for sizing grids.
  int multiprocessors = 1;
  cudaStream_t stream = nullptr;
  cublasLtHandle_t blasLt = nullptr;
#if INTR_HAVE_CUDNN
  cudnnHandle_t dnn = nullptr;
#endif

  /// Let cuBLASLt, cuDNN and the fused attention use TF32 tensor cores (the
  /// executable was compiled with --precision tf32, fp16 or bf16; the
  /// 16-bit convolutions use tensor cores anyway); off: exact fp32 FMA,
  /// within 1e-4 of the CPU backend. Fixed for the context's life, so the
  /// tuned algorithms need not record it.
  bool allowTF32 = false;
  /// The fused attention kernels' share of allowTF32, their products on
  /// TF32 tensor cores or in f32 FMAs: by default the flash self-attention
  /// takes tensor cores (its mma.sync kernel, which keeps the scores in
  /// registers, took 0.23 ms off the bf16 plan at batch 1 and 1.46 ms at
  /// batch 8 on an H200), and the class attention its statistics, and
  /// its maps too where its scores fill the SMs (BySize; see
  /// classMapsPreferTensorCores: in the whole bf16 plan, all on tensor
  /// cores was 0.10 ms slower than all in FMAs at batch 1 and 0.56 ms
  /// faster at batch 8); INTR_ATTENTION_TF32=0 or 1 sets both kernels all
  /// in FMAs or all on tensor cores.
  bool flashTF32 = false;
  enum class ClassAttentionCores { Fma, TensorCores, BySize };
  ClassAttentionCores classAttentionCores = ClassAttentionCores::Fma;
  //
  // The next four are off in a bare context (the kernel tests' plain
  // paths) and on in a session unless the environment turns them off: in
  // the full-size bf16 plan on an H200 each took 0.04 to 0.09 ms off batch
  // 1, and the small-channel kernel and the cuDNN graphs 0.67 and 0.24 ms
  // off batch 8 (the key slices and the timed GEMMs change nothing there).
  //
  /// Whether the tensor-core flash self-attention slices the keys where its
  /// query tiles alone would leave SMs idle (the encoder at batch 1):
  /// INTR_FLASH_SPLIT=0 turns it off.
  bool flashKeySplits = false;
  /// Whether 16-bit channels-last convolutions over at most 8 input
  /// channels (ResNet's stem) run on our tensor-core kernel
  /// (SmallChannelConv.cu) rather than cuDNN's: INTR_SMALL_CHANNEL_CONV=0
  /// turns it off.
  bool smallChannelConv = false;
  /// How 16-bit channels-last convolutions run on cuDNN: on its legacy
  /// calls; as operation graphs of its graph API (CudnnGraphConv.cu, which
  /// fuses every epilogue) wherever it has an engine; or as whichever of
  /// the two the first run times faster per problem (a session's default).
  /// INTR_CUDNN_GRAPH=0, always or 1.
  enum class ConvGraphs { Never, Always, Faster };
  ConvGraphs convGraphs = ConvGraphs::Never;
  /// Whether the first run times the first eight algorithms of cuBLASLt's
  /// heuristic for each GEMM on the device alone and keeps the fastest,
  /// rather than taking its first: INTR_GEMM_TUNE=0 turns it off.
  bool measureGemmAlgorithms = false;

  /// Whether a GEMM's addend (a linear's positional bias) is always copied
  /// into its output for an in-place product, as where cuBLASLt offers no
  /// algorithm that reads it apart: for the tests of that way.
  bool copyGemmAddends = false;
  /// Whether our kernels launch as programmatic dependent launches
  /// (Launch.cuh): each is launched while the kernel before it runs, and
  /// waits for it on the device before touching memory, so that the gaps
  /// between short kernels (batch 1) shrink. Hopper and later, with the
  /// kernels built for them (kernelsAwaitPredecessors): INTR_PDL=1, off
  /// until timed in a whole plan on a GPU.
  bool programmaticLaunch = false;
  /// Choose each f32 convolution's cuDNN algorithm, and whether a 1x1 one
  /// runs as a GEMM, by timing the candidates once on the step's own
  /// operands (as PyTorch's cudnn.benchmark times its candidates), not by
  /// cuDNN's heuristic alone (ConvKernels.cu says why 16-bit ones do not).
  /// INTR_CUDNN_FIND=0 turns it off for a session.
  bool measureConvAlgorithms = true;

  /// How a convolution that both can run (1x1, stride 1, no padding, one
  /// group) runs: cuDNN, or a cuBLASLt GEMM over the NCHW input and the
  /// epilogue kernel. Fastest times both in the first run when
  /// measureConvAlgorithms is set (cuDNN otherwise); the others force one
  /// (tests, INTR_CONV_PATH=cudnn|gemm).
  enum class ConvPath { Fastest, Cudnn, Gemm };
  ConvPath convPath = ConvPath::Fastest;

  /// True while the run is recorded into a CUDA Graph: no synchronization,
  /// no allocation and no algorithm search are allowed then.
  bool capturing = false;

  /// Device memory of at least `bytes` for the duration of one step (steps
  /// run one after another on the stream, so they share it). It grows only
  /// outside a capture; a capture asking for more than the eager run did is
  /// an error. A step that needs several scratch areas asks once for their
  /// sum, 256-byte aligned pieces.
  Expected<void *> scratch(size_t bytes);
  size_t scratchSize() const { return scratchBytes; }

  /// Algorithm choices (a cuDNN algorithm and its workspace, a cuBLASLt
  /// algorithm's bytes) by a key that spells the kernel and its shapes, so
  /// that steps of the same shape tune once.
  std::unordered_map<std::string, std::vector<int64_t>> tuned;
  /// What a library built for a problem and runs every time (cuDNN's
  /// execution plans), by the same kind of key, each of its owner's type.
  std::unordered_map<std::string, std::shared_ptr<void>> builtPlans;

private:
  Context() = default;
  void *scratchMemory = nullptr;
  size_t scratchBytes = 0;
};

/// Whether the backend's kernels run on the current device as code built
/// for sm_90 or later, where awaitPredecessors() (Launch.cuh) waits:
/// programmatic launches are safe only then. A build for older devices
/// alone runs on Hopper from their PTX, without the wait.
Expected<bool> kernelsAwaitPredecessors();

/// What a kernel gets: its operands in the op's operand order, its results
/// (in the arena, with their static shapes), the op's attributes, and the
/// session's context.
struct KernelCall {
  const std::vector<TensorArg> &inputs;
  const std::vector<TensorArg> &outputs;
  const AttrMap &attrs;
  Context &context;

  /// The call as the CPU kernels' arguments: both backends check a step's
  /// operands with the CPU's checks, so that they refuse it alike.
  cpu::KernelArgs cpuArgs() const { return {inputs, outputs, attrs, 1}; }
};

using Kernel = Status (*)(const KernelCall &call);

/// Every CUDA kernel, by step name.
class KernelRegistry : public KernelTable<Kernel> {
public:
  /// The registry with every CUDA kernel.
  static const KernelRegistry &cuda();
};

// Each kernel file registers its kernels here; KernelRegistry::cuda()
// calls them all once.
void registerElementwiseKernels(KernelRegistry &registry);
void registerReduceKernels(KernelRegistry &registry);
void registerLayoutKernels(KernelRegistry &registry);
void registerGemmKernels(KernelRegistry &registry);
void registerConvKernels(KernelRegistry &registry);
void registerNormKernels(KernelRegistry &registry);
void registerAttentionKernels(KernelRegistry &registry);

/// An Error that names the step's kernel: "onnx.Add: <what>".
inline Error kernelError(const char *kernel, const std::string &what) {
  return Error(std::string(kernel) + ": " + what);
}

/// Checks the launch that was just enqueued (bad configurations show here;
/// faults inside a kernel show at the run's synchronization).
inline Status checkLaunch(const char *kernel) {
  cudaError_t code = cudaGetLastError();
  if (code != cudaSuccess)
    return cudaError(std::string(kernel) + ": launching", code);
  return Status::ok();
}

/// Blocks for a grid-stride loop over `count` elements with `threads` per
/// block: enough to fill the device, never more than the work.
inline unsigned gridFor(int64_t count, const Context &context,
                        int threads = 256) {
  int64_t blocks = (count + threads - 1) / threads;
  int64_t cap = int64_t(context.multiprocessors) * 32;
  if (blocks > cap)
    blocks = cap;
  return static_cast<unsigned>(blocks < 1 ? 1 : blocks);
}

/// The time of one call of `run`, in ms: one untimed call, then `calls`
/// calls timed together. With `deviceAlone` they are enqueued behind a spin
/// kernel that holds the stream meanwhile, so that the host's work, which
/// a CUDA Graph replay skips, is not counted; without, it is
/// (DeviceTiming.cu). Outside a capture; `run` must give the same result
/// each time (its output is not its input).
Expected<float> timeCalls(Context &context, const std::function<Status()> &run,
                          int calls, bool deviceAlone, const std::string &what);

/// Whether `kernel` runs on this device as code compiled for sm_80 or
/// later, so that its tensor-core instructions are in it: a build only for
/// older architectures, JIT-compiled for a newer device, has them compiled
/// out (they trap). Asked of the driver once per session, in the eager run,
/// and kept in Context::tuned under `name`: no query runs in a capture.
inline bool compiledForSm80(Context &context, const std::string &name,
                            const void *kernel) {
  auto [entry, inserted] = context.tuned.try_emplace("sm80:" + name);
  if (inserted) {
    cudaFuncAttributes attributes{};
    bool sm80 = false;
    if (cudaFuncGetAttributes(&attributes, kernel) == cudaSuccess) {
      sm80 = attributes.ptxVersion >= 80;
    } else {
      cudaGetLastError(); // Not sticky: forget it.
      // Without the kernel's attributes, the device's architecture
      // decides (as it does for the default build, for sm_80 and sm_90).
      int major = 0;
      sm80 = cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor,
                                    context.device) == cudaSuccess &&
             major >= 8;
    }
    entry->second = {int64_t(sm80)};
  }
  return !entry->second.empty() && entry->second[0] != 0;
}

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_CUDAKERNEL_H
