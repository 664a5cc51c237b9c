// RUN: intr-opt %s --onnx-infer-shapes --split-input-file | FileCheck %s

// Tests that an unranked result becomes the inferred type, that the refined
// type flows to the next op, and that the function returns the new type.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: -> tensor<2x3xf32>
// CHECK: %[[A:.*]] = onnx.Identity %arg0 : tensor<2x3xf32>
// CHECK: %[[B:.*]] = onnx.Identity %[[A]] : tensor<2x3xf32>
// CHECK: return %[[B]] : tensor<2x3xf32>
func.func @chain(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = "onnx.Identity"(%x) : (tensor<2x3xf32>) -> tensor<*xf32>
  %1 = "onnx.Identity"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// Tests that dynamic sizes are refined one by one and known ones are kept.
// CHECK-LABEL: func.func @partial
// CHECK-SAME: -> tensor<4x?xf32>
// CHECK: onnx.Identity %arg0 : tensor<4x?xf32>
func.func @partial(%x: tensor<4x?xf32>) -> tensor<?x?xf32> {
  %0 = "onnx.Identity"(%x) : (tensor<4x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
