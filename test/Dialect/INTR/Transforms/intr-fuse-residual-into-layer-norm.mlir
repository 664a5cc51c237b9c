// RUN: intr-opt %s -split-input-file --intr-fuse-residual-into-layer-norm | FileCheck %s

// Tests that a post-norm residual add moves into the layer norm.
// CHECK-LABEL: func.func @post_norm
// CHECK: %[[N:.*]], %{{.*}} = intr.layer_norm %arg0, %arg2, %arg3 residual(%arg1) :
// CHECK-NOT: onnx.Add
// CHECK: return %[[N]]
func.func @post_norm(%x: tensor<6x1x32xf32>, %r: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<6x1x32xf32> {
  %sum = onnx.Add %x, %r : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %y, %unused = intr.layer_norm %sum, %s, %b {epsilon = 1.0e-05 : f64}
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  return %y : tensor<6x1x32xf32>
}

// -----

// Tests that in a pre-norm layer the other reader of the sum reads the
// layer norm's sum result.
// CHECK-LABEL: func.func @pre_norm
// CHECK: %[[N:.*]], %[[S:.*]] = intr.layer_norm %arg0, %arg2, %arg3 residual(%arg1)
// CHECK: return %[[N]], %[[S]]
func.func @pre_norm(%x: tensor<6x1x32xf32>, %r: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>) {
  %sum = onnx.Add %x, %r : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %y, %unused = intr.layer_norm %sum, %s, %b
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  return %y, %sum : tensor<6x1x32xf32>, tensor<6x1x32xf32>
}

// -----

// Tests that a broadcasting add (a bias, not a residual) stays outside.
// CHECK-LABEL: func.func @broadcast_add_stays
// CHECK: onnx.Add
// CHECK-NOT: residual(
func.func @broadcast_add_stays(%x: tensor<6x1x32xf32>, %r: tensor<32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<6x1x32xf32> {
  %sum = onnx.Add %x, %r : (tensor<6x1x32xf32>, tensor<32xf32>) -> tensor<6x1x32xf32>
  %y, %unused = intr.layer_norm %sum, %s, %b
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  return %y : tensor<6x1x32xf32>
}
