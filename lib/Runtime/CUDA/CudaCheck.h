//===- CudaCheck.h - CUDA errors as runtime errors --------------*- C++ -*-===//

#ifndef INTR_LIB_RUNTIME_CUDA_CUDACHECK_H
#define INTR_LIB_RUNTIME_CUDA_CUDACHECK_H

#include "intr/runtime/Error.h"

#include <cuda_runtime.h>
#include <string>

namespace intr::cuda {

/// An Error naming what was being done and CUDA's own words for the failure.
inline Error cudaError(const std::string &what, cudaError_t code) {
  return Error(what + ": " + cudaGetErrorName(code) + ": " +
               cudaGetErrorString(code));
}

/// Runs a small kernel on `device` and checks every element it wrote.
Status selfTest(int device);

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_CUDACHECK_H
