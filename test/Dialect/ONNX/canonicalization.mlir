// RUN: intr-opt %s --canonicalize --split-input-file | FileCheck %s

// Tests that Identity folds to its input.
// CHECK-LABEL: func.func @identity_folds
// CHECK-NOT: onnx.Identity
// CHECK: return %arg0
func.func @identity_folds(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Identity %x : tensor<2x3xf32>
  %1 = onnx.Identity %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Tests that an unused Constant is erased and a used one stays.
// CHECK-LABEL: func.func @constants
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-NEXT: return %[[C]]
func.func @constants() -> tensor<3xf32> {
  %unused = onnx.Constant dense<1.0> : tensor<4xf32>
  %c = onnx.Constant dense<2.0> : tensor<3xf32>
  %i = onnx.Identity %c : tensor<3xf32>
  return %i : tensor<3xf32>
}
