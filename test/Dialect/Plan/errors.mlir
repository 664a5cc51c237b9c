// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Tests that an offset off the 256-byte grid is rejected.
func.func @f() {
  // expected-error @+1 {{'plan.buffer' op offset 100 is not a multiple of 256 bytes}}
  %0 = plan.buffer offset(100) : memref<4xf32>
  return
}

// -----

// Tests that a negative offset is rejected.
func.func @f() {
  // expected-error @+1 {{'plan.buffer' op offset must be non-negative, got -256}}
  %0 = plan.buffer offset(-256) : memref<4xf32>
  return
}

// -----

// Tests that a strided view is rejected: buffers are contiguous.
func.func @f() {
  // expected-error @+1 {{'plan.buffer' op buffer must have the identity layout}}
  %0 = plan.buffer offset(0) : memref<4x4xf32, strided<[8, 1]>>
  return
}

// -----

// Tests that index elements, whose size is target-dependent, are rejected.
func.func @f() {
  // expected-error @+1 {{'plan.buffer' op element type must be an integer or a float, got 'index'}}
  %0 = plan.buffer offset(0) : memref<4xindex>
  return
}

// -----

// Tests that dynamic shapes are rejected: the arena is planned statically.
func.func @f() {
  // expected-error @+1 {{'plan.buffer' op result #0 must be statically shaped memref of any type values}}
  %0 = plan.buffer offset(0) : memref<?xf32>
  return
}
