//===- CudaDeviceTest.cpp - Our kernels run on every CUDA device ----------===//
//
// Part of RuntimeGpuTests, which exits with 77 (ctest: skipped) without a
// CUDA device.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Device.h"

#include <gtest/gtest.h>

using namespace intr;

namespace {

// Tests that the self-test kernel runs and computes right on every device.
TEST(CudaDevice, SelfTestPassesOnEveryDevice) {
  std::vector<CudaDeviceInfo> devices = listCudaDevices();
  ASSERT_FALSE(devices.empty());
  for (const CudaDeviceInfo &device : devices) {
    Status status = cudaSelfTest(device.index);
    EXPECT_TRUE(status.isOk())
        << device.name << ": " << status.error().message();
  }
}

} // namespace
