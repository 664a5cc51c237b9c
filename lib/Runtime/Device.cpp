//===- Device.cpp - The devices a session can run on ----------------------===//

#include "intr/runtime/Device.h"

#include "CPU/Gemm.h"

#if INTR_HAVE_CUDA
#include "CUDA/CudaCheck.h"
#include <cuda_runtime.h>
#endif

namespace intr {

bool builtWithCuda() { return INTR_HAVE_CUDA != 0; }

std::string cpuGemmLibrary() { return cpu::gemmLibrary(); }

std::vector<CudaDeviceInfo> listCudaDevices() {
  std::vector<CudaDeviceInfo> devices;
#if INTR_HAVE_CUDA
  int count = 0;
  // No driver or no device both mean "nothing to run on", not an error.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return devices;
  }
  for (int index = 0; index < count; ++index) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, index) != cudaSuccess)
      continue;
    devices.push_back({index, prop.name, prop.major, prop.minor,
                       static_cast<uint64_t>(prop.totalGlobalMem)});
  }
#endif
  return devices;
}

Status cudaSelfTest(int device) {
#if INTR_HAVE_CUDA
  return cuda::selfTest(device);
#else
  (void)device;
  return Error("the runtime was built without CUDA (INTR_ENABLE_CUDA=OFF)");
#endif
}

} // namespace intr
