//===- Device.cpp - The devices a session can run on ----------------------===//

#include "intr/runtime/Device.h"

#include "CPU/Gemm.h"
#include "CpuThreads.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#if INTR_HAVE_CUDA
#include "CUDA/CudaCheck.h"
#include <cuda_runtime.h>
#endif

namespace intr {

bool builtWithCuda() { return INTR_HAVE_CUDA != 0; }

std::string cpuGemmLibrary() { return cpu::gemmLibrary(); }

namespace detail {

std::optional<int> cpusOfQuota(const std::string &quota,
                               const std::string &period) {
  char *end = nullptr;
  long long q = std::strtoll(quota.c_str(), &end, 10);
  if (end == quota.c_str() || q <= 0) // "max", -1, or not a number
    return std::nullopt;
  long long p = std::strtoll(period.c_str(), &end, 10);
  if (end == period.c_str() || p <= 0)
    return std::nullopt;
  return static_cast<int>(std::min<long long>((q + p - 1) / p, 1 << 20));
}

} // namespace detail

namespace {

/// The CPU quota of the cgroup this process sees as its root, as a
/// container sees its own: cgroup v2's cpu.max, else cgroup v1's.
std::optional<int> cgroupCpus() {
  std::string quota, period;
  if (std::ifstream v2("/sys/fs/cgroup/cpu.max"); v2 >> quota >> period)
    return detail::cpusOfQuota(quota, period);
  std::ifstream v1Quota("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  std::ifstream v1Period("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  if (v1Quota >> quota && v1Period >> period)
    return detail::cpusOfQuota(quota, period);
  return std::nullopt;
}

} // namespace

int defaultCpuThreads() {
  // The CPUs online, which may be more than this process may use:
  // threads beyond those it may use only wait for each other.
  int cpus = static_cast<int>(std::thread::hardware_concurrency());
#if defined(__linux__)
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
    cpus = CPU_COUNT(&allowed);
  if (std::optional<int> quota = cgroupCpus())
    cpus = std::min(cpus, *quota);
#endif
  return std::max(cpus, 1);
}

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
