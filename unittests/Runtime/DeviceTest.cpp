//===- DeviceTest.cpp - Device queries without a device -------------------===//

#include "intr/runtime/Device.h"

#include "CpuThreads.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#if defined(__linux__)
#include <sched.h>
#endif

using namespace intr;

namespace {

// Tests that listing devices never fails, with or without CUDA or a GPU.
TEST(Device, ListingReportsSaneDevices) {
  for (const CudaDeviceInfo &device : listCudaDevices()) {
    EXPECT_FALSE(device.name.empty());
    EXPECT_GT(device.computeMajor, 0);
    EXPECT_GT(device.memoryBytes, 0u);
  }
  if (!builtWithCuda()) {
    EXPECT_TRUE(listCudaDevices().empty());
  }
}

// Tests that a bad device index is an error value with a message, whether or
// not CUDA and a driver are present.
TEST(Device, SelfTestOnInvalidDeviceIsAnError) {
  Status status = cudaSelfTest(-1);
  ASSERT_FALSE(status.isOk());
  EXPECT_FALSE(status.error().message().empty());
}

// Tests that the CPU's matrix products run on kernels that use its vector
// units: OpenBLAS before 0.3.25 (Debian 12's is 0.3.21) falls back to its
// SSE3 "Prescott" kernels on an x86 CPU whose model it does not know, 4 to
// 5 times slower than its AVX-512 ones; the runtime has it choose by the
// CPU's features instead.
TEST(Device, CpuMatrixProductsUseTheCpusVectorUnits) {
  std::string gemm = cpuGemmLibrary();
  ASSERT_FALSE(gemm.empty());
  if (gemm.rfind("OpenBLAS", 0) != 0)
    GTEST_SKIP() << "not OpenBLAS: " << gemm;
  if (std::getenv("OPENBLAS_CORETYPE"))
    GTEST_SKIP() << "OPENBLAS_CORETYPE chose the kernels: " << gemm;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
    GTEST_SKIP() << "no AVX2 and FMA here: " << gemm;
  EXPECT_EQ(gemm.find(", Prescott kernels"), std::string::npos) << gemm;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512cd") &&
      gemm.find("chosen by the CPU's features") != std::string::npos) {
    EXPECT_NE(gemm.find(", SkylakeX kernels"), std::string::npos) << gemm;
  }
#else
  GTEST_SKIP() << "not x86-64: " << gemm;
#endif
}

// Tests that a session's default threads are the CPUs this process may run
// on, not all those online: threads beyond them only wait for each other
// (ConvNeXt-T on 16 threads of 2 CPUs took 134 ms, on 2 threads 60).
TEST(Device, DefaultCpuThreadsFollowTheAffinityMask) {
  int threads = defaultCpuThreads();
  EXPECT_GE(threads, 1);
#if defined(__linux__)
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  EXPECT_LE(threads, CPU_COUNT(&allowed));
  if (CPU_COUNT(&allowed) < 2)
    GTEST_SKIP() << "this process may run on one CPU only";
  // This thread alone on the first CPU it may use, as taskset would put it.
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) {
      CPU_SET(cpu, &one);
      break;
    }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  int narrowed = defaultCpuThreads();
  ASSERT_EQ(sched_setaffinity(0, sizeof allowed, &allowed), 0);
  EXPECT_EQ(narrowed, 1);
#endif
}

// Tests reading a cgroup's CPU quota: CPUs rounded up, no limit as nothing.
TEST(Device, CgroupQuotaGivesCpusRoundedUp) {
  EXPECT_EQ(detail::cpusOfQuota("200000", "100000"), 2);
  EXPECT_EQ(detail::cpusOfQuota("150000", "100000"), 2);
  EXPECT_EQ(detail::cpusOfQuota("50000", "100000"), 1);
  EXPECT_EQ(detail::cpusOfQuota("1600000", "100000"), 16);
  EXPECT_EQ(detail::cpusOfQuota("max", "100000"), std::nullopt);
  EXPECT_EQ(detail::cpusOfQuota("-1", "100000"), std::nullopt);
  EXPECT_EQ(detail::cpusOfQuota("", "100000"), std::nullopt);
  EXPECT_EQ(detail::cpusOfQuota("200000", "0"), std::nullopt);
  EXPECT_EQ(detail::cpusOfQuota("200000", "x"), std::nullopt);
}

} // namespace
