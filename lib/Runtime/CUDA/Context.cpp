//===- Context.cpp - What the steps of one CUDA session share -------------===//

#include "CudaKernel.h"

#include <algorithm>

namespace intr::cuda {

Expected<std::unique_ptr<Context>> Context::create(int device) {
  std::unique_ptr<Context> context(new Context());
  context->device = device;
  // Say "no device" in so many words: without a driver, CUDA's own error
  // is about driver versions.
  int count = 0;
  if (cudaError_t code = cudaGetDeviceCount(&count); code != cudaSuccess) {
    cudaGetLastError();
    return cudaError("no usable CUDA device on this machine", code);
  }
  if (device < 0 || device >= count)
    return Error("there is no CUDA device " + std::to_string(device) +
                 " (this machine has " + std::to_string(count) + ")");
  if (Status status = check(cudaSetDevice(device),
                            "selecting CUDA device " + std::to_string(device));
      !status)
    return status.error();
  if (Status status = check(cudaDeviceGetAttribute(
                                &context->multiprocessors,
                                cudaDevAttrMultiProcessorCount, device),
                            "querying the device");
      !status)
    return status.error();
  // Non-blocking: the legacy default stream, which other libraries in the
  // process may use, never serializes with our runs.
  if (Status status =
          check(cudaStreamCreateWithFlags(&context->stream,
                                          cudaStreamNonBlocking),
                "creating the session's stream");
      !status)
    return status.error();
  if (Status status = check(cublasLtCreate(&context->blasLt),
                            "creating the cuBLASLt handle");
      !status)
    return status.error();
#if INTR_HAVE_CUDNN
  if (Status status = check(cudnnCreate(&context->dnn),
                            "creating the cuDNN handle (is libcudnn.so.9 "
                            "on the library path?)");
      !status)
    return status.error();
  if (Status status = check(cudnnSetStream(context->dnn, context->stream),
                            "binding cuDNN to the session's stream");
      !status)
    return status.error();
#endif
  return context;
}

Context::~Context() {
  // Nothing may still be running on memory we free.
  if (stream)
    cudaStreamSynchronize(stream);
  cudaFree(scratchMemory);
  // Built plans may refer to the library handles.
  builtPlans.clear();
#if INTR_HAVE_CUDNN
  if (dnn)
    cudnnDestroy(dnn);
#endif
  if (blasLt)
    cublasLtDestroy(blasLt);
  if (stream)
    cudaStreamDestroy(stream);
}

Expected<void *> Context::scratch(size_t bytes) {
  if (bytes <= scratchBytes)
    return scratchMemory;
  if (capturing)
    return Error("a step asked for " + std::to_string(bytes) +
                 " bytes of scratch while the run was being captured, more "
                 "than the eager run needed (" +
                 std::to_string(scratchBytes) + ")");
  // Steps queued before this one may still use the old buffer.
  if (Status status = check(cudaStreamSynchronize(stream),
                            "waiting before growing the scratch buffer");
      !status)
    return status.error();
  cudaFree(scratchMemory);
  scratchMemory = nullptr;
  scratchBytes = 0;
  // Round up, so that slowly growing requests do not reallocate each time.
  size_t rounded = std::max<size_t>(bytes, 1 << 20);
  rounded = (rounded + (1 << 20) - 1) / (1 << 20) * (1 << 20);
  if (Status status = check(cudaMalloc(&scratchMemory, rounded),
                            "allocating " + std::to_string(rounded) +
                                " bytes of scratch");
      !status) {
    cudaGetLastError();
    return status.error();
  }
  scratchBytes = rounded;
  return scratchMemory;
}

const KernelRegistry &KernelRegistry::cuda() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    registerElementwiseKernels(r);
    registerReduceKernels(r);
    registerLayoutKernels(r);
    registerGemmKernels(r);
    registerConvKernels(r);
    registerNormKernels(r);
    registerAttentionKernels(r);
    return r;
  }();
  return registry;
}

} // namespace intr::cuda
