//===- SliceSupport.h - What a Slice takes along an axis -------*- C++ -*-===//
//
// ONNX's rule for one axis of a Slice, which the CPU kernel runs on the
// host and the CUDA kernel on the device (it reads starts, ends and steps
// there), so that both take the same elements.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_SLICESUPPORT_H
#define INTR_LIB_RUNTIME_CPU_SLICESUPPORT_H

#include "HostDevice.h"

#include <cstdint>

namespace intr::cpu::layout {

/// The elements a Slice takes along one axis: `length` of them, from
/// index `first`, `step` apart.
struct SliceAxis {
  int64_t first, step, length;
};

INTR_HOST_DEVICE inline int64_t clampIndex(int64_t value, int64_t lo,
                                           int64_t hi) {
  return value < lo ? lo : (hi < value ? hi : value);
}

/// Slice's start, end and non-zero step on an axis of `size` elements:
/// negative ones count from the end, and out-of-range ones are clamped.
INTR_HOST_DEVICE inline SliceAxis sliceAxis(int64_t start, int64_t end,
                                            int64_t step, int64_t size) {
  // An empty axis stays empty (the clamps below need size >= 1, as a
  // reversal x[::-1] of one would not have).
  if (size == 0)
    return {0, step, 0};
  // A step longer than the axis takes one element at most; bounding it
  // keeps the arithmetic below from overflowing.
  step = clampIndex(step, -(size + 1), size + 1);
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  if (step > 0) {
    start = clampIndex(start, 0, size);
    end = clampIndex(end, 0, size);
    return {start, step, end > start ? (end - start - 1) / step + 1 : 0};
  }
  start = clampIndex(start, 0, size - 1);
  end = clampIndex(end, -1, size - 1);
  return {start, step, start > end ? (start - end - 1) / -step + 1 : 0};
}

} // namespace intr::cpu::layout

#endif // INTR_LIB_RUNTIME_CPU_SLICESUPPORT_H
