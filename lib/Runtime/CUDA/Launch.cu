//===- Launch.cu - Whether programmatic launches are safe here ------------===//

#include "Launch.cuh"

namespace intr::cuda {

namespace {

/// Built like every kernel of the backend, so that its attributes say how
/// they all run on the device.
__global__ void probeKernel() { awaitPredecessors(); }

} // namespace

Expected<bool> kernelsAwaitPredecessors() {
  cudaFuncAttributes attributes = {};
  if (Status s = check(cudaFuncGetAttributes(&attributes, probeKernel),
                       "reading the kernels' PTX version");
      !s)
    return s.error();
  // The wait is compiled in for sm_90 and later. The PTX version says what
  // the code was compiled for; the binary version would say 90 for sm_80
  // PTX that the driver compiled for an H100, whose kernels do not wait.
  return attributes.ptxVersion >= 90;
}

} // namespace intr::cuda
