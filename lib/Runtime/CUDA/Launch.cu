//===- Launch.cu - Whether programmatic launches are safe here ------------===//

#include "Launch.cuh"

namespace intr::cuda {

namespace {

/// Built like every kernel of the backend, so that its binary says how
/// they all run on the device.
__global__ void probeKernel() { awaitPredecessors(); }

} // namespace

Expected<bool> kernelsAwaitPredecessors() {
  cudaFuncAttributes attributes = {};
  if (Status s = check(cudaFuncGetAttributes(&attributes, probeKernel),
                       "reading the kernels' binary version");
      !s)
    return s.error();
  // sm_90 code and later (or PTX of it, compiled for a newer device).
  return attributes.binaryVersion >= 90;
}

} // namespace intr::cuda
