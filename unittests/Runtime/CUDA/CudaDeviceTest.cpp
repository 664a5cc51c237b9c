//===- CudaDeviceTest.cpp - Our kernels run on every CUDA device ----------===//
//
// Needs a CUDA device: without one the binary exits with 77, which ctest
// reports as skipped.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Device.h"

#include <gtest/gtest.h>

#include <iostream>

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

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (!::testing::GTEST_FLAG(list_tests)) {
    if (!builtWithCuda()) {
      std::cout << "SKIPPED: the runtime was built without CUDA\n";
      return 77;
    }
    if (listCudaDevices().empty()) {
      std::cout << "SKIPPED: no CUDA device\n";
      return 77;
    }
  }
  return RUN_ALL_TESTS();
}
