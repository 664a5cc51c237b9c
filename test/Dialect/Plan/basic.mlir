// RUN: intr-opt %s | intr-opt | FileCheck %s

// Tests that arena buffers round-trip.
// CHECK-LABEL: func.func @buffers
// CHECK: plan.buffer offset(0) : memref<8x200x950xf32>
// CHECK: plan.buffer offset(6080000) : memref<1x200xf16>
// CHECK: plan.buffer offset(6080512) : memref<2x12xi1>
func.func @buffers() {
  %scores = plan.buffer offset(0) : memref<8x200x950xf32>
  %logits = plan.buffer offset(6080000) : memref<1x200xf16>
  %mask = plan.buffer offset(6080512) : memref<2x12xi1>
  return
}
