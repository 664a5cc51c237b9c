//===- ElementwiseKernels.cpp - CPU kernels -------------------------------------------===//

#include "Kernel.h"

namespace intr::cpu {

void registerElementwiseKernels(KernelRegistry &registry) { (void)registry; }

} // namespace intr::cpu
