//===- CudaCheck.h - CUDA errors as runtime errors --------------*- C++ -*-===//

#ifndef INTR_LIB_RUNTIME_CUDA_CUDACHECK_H
#define INTR_LIB_RUNTIME_CUDA_CUDACHECK_H

#include "intr/runtime/Error.h"

#include <cublasLt.h>
#include <cuda_runtime.h>
#if INTR_HAVE_CUDNN
#include <cudnn.h>
#endif
#include <string>

namespace intr::cuda {

/// An Error naming what was being done and CUDA's own words for the failure.
inline Error cudaError(const std::string &what, cudaError_t code) {
  return Error(what + ": " + cudaGetErrorName(code) + ": " +
               cudaGetErrorString(code));
}

/// Status::ok() on success, else an Error naming `what` and the library's
/// own words; one overload per library, so call sites read the same.
inline Status check(cudaError_t code, const std::string &what) {
  if (code == cudaSuccess)
    return Status::ok();
  return cudaError(what, code);
}
inline Status check(cublasStatus_t code, const std::string &what) {
  if (code == CUBLAS_STATUS_SUCCESS)
    return Status::ok();
  return Error(what + ": cuBLAS: " + cublasLtGetStatusName(code) + ": " +
               cublasLtGetStatusString(code));
}
#if INTR_HAVE_CUDNN
inline Status check(cudnnStatus_t code, const std::string &what) {
  if (code == CUDNN_STATUS_SUCCESS)
    return Status::ok();
  return Error(what + ": cuDNN: " + cudnnGetErrorString(code));
}
#endif

/// Runs a small kernel on `device` and checks every element it wrote.
Status selfTest(int device);

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_CUDACHECK_H
