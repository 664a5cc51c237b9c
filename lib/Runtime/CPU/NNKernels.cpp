//===- NNKernels.cpp - CPU kernels -------------------------------------------===//

#include "Kernel.h"

namespace intr::cpu {

void registerNNKernels(KernelRegistry &registry) { (void)registry; }

} // namespace intr::cpu
