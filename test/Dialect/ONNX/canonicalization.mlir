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

// -----

// Tests that Dropout in inference mode (training_mode left out, or false)
// folds to its input and an all-true mask, whatever the ratio.
// CHECK-LABEL: func.func @dropout_inference
// CHECK-NEXT: %[[MASK:.*]] = onnx.Constant dense<true> : tensor<2x3xi1>
// CHECK-NEXT: return %arg0, %[[MASK]], %arg0
func.func @dropout_inference(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xf32>) {
  %none = onnx.NoValue
  %ratio = onnx.Constant dense<0.75> : tensor<f32>
  %false = onnx.Constant dense<false> : tensor<i1>
  %0, %1 = onnx.Dropout %x, %none, %none : (tensor<2x3xf32>, none, none) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  %2, %3 = onnx.Dropout %x, %ratio, %false : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xf32>
}

// -----

// Tests that Dropout in training mode with a ratio of 0 folds too.
// CHECK-LABEL: func.func @dropout_zero_ratio
// CHECK-NOT: onnx.Dropout
// CHECK: return %arg0
func.func @dropout_zero_ratio(%x: tensor<4xf32>) -> tensor<4xf32> {
  %ratio = onnx.Constant dense<0.0> : tensor<f32>
  %true = onnx.Constant dense<true> : tensor<i1>
  %0, %1 = onnx.Dropout %x, %ratio, %true : (tensor<4xf32>, tensor<f32>, tensor<i1>) -> (tensor<4xf32>, tensor<4xi1>)
  return %0 : tensor<4xf32>
}

// -----

// Tests that CastLike of a constant folds as Cast does, and that a CastLike
// to the input's own type is its input.
// CHECK-LABEL: func.func @cast_like_folds
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<[1, -2]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]], %arg0
func.func @cast_like_folds(%x: tensor<2xf32>, %like: tensor<4xi64>) -> (tensor<2xi64>, tensor<2xf32>) {
  %c = onnx.Constant dense<[1.5, -2.5]> : tensor<2xf32>
  %0 = onnx.CastLike %c, %like : (tensor<2xf32>, tensor<4xi64>) -> tensor<2xi64>
  %1 = onnx.CastLike %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xi64>, tensor<2xf32>
}
