//===- KernelRegistry.cpp - Every CPU kernel, by step name ----------------===//

#include "Kernel.h"

#include <algorithm>

namespace intr::cpu {

std::vector<std::string> KernelRegistry::names() const {
  std::vector<std::string> result;
  for (const auto &entry : kernels)
    result.push_back(entry.first);
  std::sort(result.begin(), result.end());
  return result;
}

const KernelRegistry &KernelRegistry::cpu() {
  // A function-local static: built once, thread-safe, no static-init order
  // issues in the static library.
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    registerNNKernels(r);
    registerAttentionKernels(r);
    registerClassAttentionKVKernel(r);
    registerElementwiseKernels(r);
    registerReduceKernels(r);
    registerLayoutKernels(r);
    return r;
  }();
  return registry;
}

} // namespace intr::cpu
