//===- ReduceKernelsTest.cpp - CPU kernels against naive references ----------------===//

#include "CPU/Kernel.h"

#include <gtest/gtest.h>
