//===- ReduceKernels.cpp - CPU kernels -------------------------------------------===//

#include "Kernel.h"

namespace intr::cpu {

void registerReduceKernels(KernelRegistry &registry) { (void)registry; }

} // namespace intr::cpu
