// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Tests that MatMul rejects contracted sizes that differ.
func.func @f(%a: tensor<8x5x32xf32>, %b: tensor<8x16x12xf32>) {
  // expected-error @+2 {{'onnx.MatMul' op failed to infer returned types}}
  // expected-error @+1 {{contracted sizes differ: A has 32 columns, B has 16 rows}}
  %0 = onnx.MatMul %a, %b : (tensor<8x5x32xf32>, tensor<8x16x12xf32>) -> tensor<8x5x12xf32>
  return
}

// -----

// Tests that MatMul rejects scalars.
func.func @f(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.MatMul' op failed to infer returned types}}
  // expected-error @+1 {{A and B must have rank 1 or more, got ranks 0 and 1}}
  %0 = onnx.MatMul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// Tests that Softmax rejects an axis beyond the rank (while parsing, which
// infers its result type).
func.func @f(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for input of rank 2}}
  %0 = onnx.Softmax %a {axis = 2 : si64} : tensor<2x3xf32>
  return
}

// -----

// Tests that Softmax rejects a negative axis beyond the rank.
func.func @f(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -3 is out of range for input of rank 2}}
  %0 = onnx.Softmax %a {axis = -3 : si64} : tensor<2x3xf32>
  return
}

// -----

// Tests that Add rejects shapes that do not broadcast.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.Add' op failed to infer returned types}}
  // expected-error @+1 {{shapes do not broadcast: A [2, 3], B [4]}}
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a Constant's result type is its value's type.
func.func @f() {
  // expected-error @+1 {{'onnx.Constant' op failed to verify that all of {value, output} have same type}}
  %0 = "onnx.Constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}
