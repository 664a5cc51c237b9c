//===- Launch.cuh - How the CUDA backend launches its kernels ---*- C++ -*-===//
//
// Every kernel of the backend starts with awaitPredecessors() and is
// launched with launch(), so that a context may launch them as
// programmatic dependent launches (Context::programmaticLaunch, Hopper and
// later): the next kernel on the stream is then launched while this one
// runs, and waits on the device, before it touches memory, for this one
// to finish. At batch 1 a plan is hundreds of short kernels, and what
// overlaps is the gap between them. Without it (the default), launch() is
// a plain launch and awaitPredecessors() returns at once.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_LAUNCH_CUH
#define INTR_LIB_RUNTIME_CUDA_LAUNCH_CUH

#include "CudaKernel.h"

#include <cuda_runtime.h>

#include <utility>

namespace intr::cuda {

/// The first statement of every kernel: waits until the kernels before it
/// on the stream have finished and their writes are visible (at once
/// unless this grid was launched programmatically), then lets the next
/// kernel launch. No kernel reads or writes memory before it.
__device__ __forceinline__ void awaitPredecessors() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

/// Launches `kernel` on context.stream, as a programmatic dependent launch
/// when the context says so. Errors reach cudaGetLastError, as a <<<>>>
/// launch's do (the callers' checkLaunch reads them).
template <typename... Params, typename... Args>
void launch(const Context &context, void (*kernel)(Params...), dim3 grid,
            dim3 block, size_t sharedBytes, Args &&...args) {
  cudaLaunchAttribute programmatic = {};
  programmatic.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  programmatic.val.programmaticStreamSerializationAllowed = 1;
  cudaLaunchConfig_t config = {};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = sharedBytes;
  config.stream = context.stream;
  config.attrs = &programmatic;
  config.numAttrs = context.programmaticLaunch ? 1 : 0;
  (void)cudaLaunchKernelEx(&config, kernel, std::forward<Args>(args)...);
}

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_LAUNCH_CUH
