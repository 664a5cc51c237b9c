//===- LayoutKernels.cpp - CPU kernels -------------------------------------------===//

#include "Kernel.h"

namespace intr::cpu {

void registerLayoutKernels(KernelRegistry &registry) { (void)registry; }

} // namespace intr::cpu
