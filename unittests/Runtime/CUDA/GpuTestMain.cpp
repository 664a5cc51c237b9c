//===- GpuTestMain.cpp - Skips the GPU tests without a CUDA device --------===//
//
// Every test of RuntimeGpuTests needs a CUDA device. Without one (no CUDA
// build, no driver, no device) the binary prints why and exits with 77,
// which ctest reports as skipped: never as passed.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Device.h"

#include <gtest/gtest.h>

#include <iostream>

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (!::testing::GTEST_FLAG(list_tests)) {
    if (!intr::builtWithCuda()) {
      std::cout << "SKIPPED: the runtime was built without CUDA\n";
      return 77;
    }
    if (intr::listCudaDevices().empty()) {
      std::cout << "SKIPPED: no CUDA device\n";
      return 77;
    }
  }
  return RUN_ALL_TESTS();
}
