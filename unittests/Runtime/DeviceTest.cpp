//===- DeviceTest.cpp - Device queries without a device -------------------===//

#include "intr/runtime/Device.h"

#include <gtest/gtest.h>

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

} // namespace
