//===- DeviceTest.cpp - Device queries without a device -------------------===//

#include "intr/runtime/Device.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

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

} // namespace
