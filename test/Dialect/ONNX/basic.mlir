// RUN: intr-opt %s | intr-opt | FileCheck %s

// Tests that the onnx operations round-trip in their custom form, the
// default Softmax axis elided.
// CHECK-LABEL: func.func @attention_scores
// CHECK: onnx.Constant dense<1.250000e-01> : tensor<f32>
// CHECK: onnx.Identity %arg0 : tensor<8x5x32xf32>
// CHECK: onnx.MatMul %{{.*}}, %arg1 : (tensor<8x5x32xf32>, tensor<8x32x12xf32>) -> tensor<8x5x12xf32>
// CHECK: onnx.Add %{{.*}}, %{{.*}} : (tensor<8x5x12xf32>, tensor<f32>) -> tensor<8x5x12xf32>
// CHECK: onnx.Softmax %{{.*}} : tensor<8x5x12xf32>
// CHECK: onnx.Softmax %{{.*}} {axis = 1 : si64} : tensor<8x5x12xf32>
func.func @attention_scores(%q: tensor<8x5x32xf32>, %kt: tensor<8x32x12xf32>) -> tensor<8x5x12xf32> {
  %bias = onnx.Constant dense<0.125> : tensor<f32>
  %q2 = onnx.Identity %q : tensor<8x5x32xf32>
  %s = onnx.MatMul %q2, %kt : (tensor<8x5x32xf32>, tensor<8x32x12xf32>) -> tensor<8x5x12xf32>
  %b = onnx.Add %s, %bias : (tensor<8x5x12xf32>, tensor<f32>) -> tensor<8x5x12xf32>
  %p = onnx.Softmax %b {axis = -1 : si64} : tensor<8x5x12xf32>
  %p1 = onnx.Softmax %p {axis = 1 : si64} : tensor<8x5x12xf32>
  return %p1 : tensor<8x5x12xf32>
}

// Tests that MatMul accepts vectors and broadcast batch dimensions.
// CHECK-LABEL: func.func @matmul_shapes
// CHECK: onnx.MatMul %arg0, %arg1 : (tensor<32xf32>, tensor<4x32x6xf32>) -> tensor<4x6xf32>
// CHECK: onnx.MatMul %arg2, %arg3 : (tensor<?x5x32xf32>, tensor<32x7xf32>) -> tensor<?x5x7xf32>
func.func @matmul_shapes(%v: tensor<32xf32>, %m: tensor<4x32x6xf32>,
    %a: tensor<?x5x32xf32>, %b: tensor<32x7xf32>) -> (tensor<4x6xf32>, tensor<?x5x7xf32>) {
  %0 = onnx.MatMul %v, %m : (tensor<32xf32>, tensor<4x32x6xf32>) -> tensor<4x6xf32>
  %1 = onnx.MatMul %a, %b : (tensor<?x5x32xf32>, tensor<32x7xf32>) -> tensor<?x5x7xf32>
  return %0, %1 : tensor<4x6xf32>, tensor<?x5x7xf32>
}
