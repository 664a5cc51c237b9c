//===- AttentionKernels.cpp - CPU kernels -------------------------------------------===//

#include "Kernel.h"

namespace intr::cpu {

void registerAttentionKernels(KernelRegistry &registry) { (void)registry; }

} // namespace intr::cpu
