//===- Device.h - The devices a session can run on --------------*- C++ -*-===//

#ifndef INTR_RUNTIME_DEVICE_H
#define INTR_RUNTIME_DEVICE_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Export.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intr {

/// A CUDA device as the driver reports it.
struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  int computeMajor = 0;
  int computeMinor = 0;
  uint64_t memoryBytes = 0;
};

/// True when the runtime was built with its CUDA backend.
INTR_API bool builtWithCuda();

/// The CUDA devices usable now. Empty without a CUDA build, without a driver
/// or without a device: none of these is an error for a CPU-only user.
INTR_API std::vector<CudaDeviceInfo> listCudaDevices();

/// The threads a session on Device::cpu() takes when not told how many:
/// one per CPU this process may run on (its affinity mask, as taskset or a
/// cpuset sets it), fewer where its cgroup's CPU quota, as a container
/// sees it (`docker run --cpus`), keeps fewer busy. At least 1.
INTR_API int defaultCpuThreads();

/// What runs the CPU backend's matrix products, in words: the library and
/// the kernels it chose for this CPU. The first call, or the process's
/// first CPU run, sets OpenBLAS up once: single-threaded inside our
/// threads, and where it fell back to its slow SSE3 kernels for a CPU
/// model it does not know, its kernels chosen again by the CPU's features
/// (setting OPENBLAS_CORETYPE in the environment meanwhile). Call it before
/// other threads use OpenBLAS or the environment (getenv, setenv).
INTR_API std::string cpuGemmLibrary();

/// Runs a small kernel of ours on `device` and checks its result, which
/// proves that the runtime's compiled code matches the device.
INTR_API Status cudaSelfTest(int device);

} // namespace intr

#endif // INTR_RUNTIME_DEVICE_H
