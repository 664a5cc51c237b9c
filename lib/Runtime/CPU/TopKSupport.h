//===- TopKSupport.h - The order and checks of onnx.TopK -------*- C++ -*-===//
//
// What the CPU and CUDA TopK kernels share, so that both pick the same
// elements and refuse a step alike: the operand check, and the order in
// which elements rank (the largest or smallest first, NaN above every
// number, the lower index first among equals), which is a strict total
// order on (value, index) pairs.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_TOPKSUPPORT_H
#define INTR_LIB_RUNTIME_CPU_TOPKSUPPORT_H

#include "HostDevice.h"
#include "Kernel.h"

#include <cstdint>

namespace intr::cpu {

/// A TopK step, its operands checked: X viewed as [outer, length, inner]
/// around the axis, `k` results along it.
struct TopKOperands {
  int64_t outer = 1, length = 0, inner = 1, k = 0;
  bool largest = true;
};

/// Checks X, K's shape and type (not its value, which may be in device
/// memory), the results' types and shapes, and the attributes. `k` is the
/// results' size along the axis.
Status checkTopK(const KernelArgs &args, TopKOperands &t);

/// Whether (a, at) ranks before (b, bt) in TopK's order.
template <typename T>
INTR_HOST_DEVICE inline bool ranksBefore(T a, int64_t at, T b, int64_t bt,
                                         bool largest) {
  bool aNaN = a != a, bNaN = b != b;
  if (aNaN || bNaN) {
    if (aNaN && bNaN)
      return at < bt;
    return largest ? aNaN : bNaN;
  }
  if (a != b)
    return largest ? b < a : a < b;
  return at < bt;
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_TOPKSUPPORT_H
