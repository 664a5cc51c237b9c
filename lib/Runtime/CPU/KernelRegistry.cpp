//===- KernelRegistry.cpp - Every CPU kernel, by step name ----------------===//

#include "Kernel.h"

namespace intr::cpu {

const KernelRegistry &KernelRegistry::cpu() {
  // A function-local static: built once, thread-safe, no static-init order
  // issues in the static library.
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    registerNNKernels(r);
    registerAttentionKernels(r);
    registerElementwiseKernels(r);
    registerReduceKernels(r);
    registerLayoutKernels(r);
    return r;
  }();
  return registry;
}

} // namespace intr::cpu
