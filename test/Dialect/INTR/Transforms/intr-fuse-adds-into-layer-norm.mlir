// RUN: intr-opt %s -split-input-file --intr-fuse-adds-into-layer-norm | FileCheck %s

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

// -----

// Tests that the positional embedding added to a layer norm's output (an
// encoder layer's queries and keys) becomes its shifted result, while the
// values read the plain output.
// CHECK-LABEL: func.func @positional_addend
// CHECK: %[[P:.*]] = onnx.Constant
// CHECK: %[[N:.*]], %{{.*}}, %[[S:.*]] = intr.layer_norm %arg0, %arg2, %arg3 residual(%arg1) addend(%[[P]]) :
// CHECK-NOT: onnx.Add
// CHECK: return %[[N]], %[[S]]
func.func @positional_addend(%x: tensor<6x1x32xf32>, %r: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>) {
  %pos = onnx.Constant dense<0.5> : tensor<6x1x32xf32>
  %sum = onnx.Add %x, %r : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %y, %unused = intr.layer_norm %sum, %s, %b
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  %q = onnx.Add %pos, %y : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  return %y, %q : tensor<6x1x32xf32>, tensor<6x1x32xf32>
}

// -----

// Tests that an addend computed before the layer norm (a batch's positional
// embedding) is taken, and that one computed after it is not: the layer
// norm cannot read it.
// CHECK-LABEL: func.func @addend_defined_before
// CHECK: %[[P:.*]] = onnx.Relu %arg3
// CHECK: %{{.*}}, %{{.*}}, %[[S:.*]] = intr.layer_norm %arg0, %arg1, %arg2 addend(%[[P]])
// CHECK: %[[N2:.*]], %{{.*}} = intr.layer_norm %arg0, %arg2, %arg1 :
// CHECK: %[[L:.*]] = onnx.Relu %[[N2]]
// CHECK: %[[Q:.*]] = onnx.Add %[[N2]], %[[L]]
// CHECK: return %[[S]], %[[Q]]
func.func @addend_defined_before(%x: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>, %p: tensor<6x1x32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>) {
  %pos = onnx.Relu %p : (tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %y, %unused = intr.layer_norm %x, %s, %b
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  %q = onnx.Add %y, %pos : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %y2, %unused2 = intr.layer_norm %x, %b, %s
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  %late = onnx.Relu %y2 : (tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %q2 = onnx.Add %y2, %late : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  return %q, %q2 : tensor<6x1x32xf32>, tensor<6x1x32xf32>
}

// -----

// Tests the adds that stay: one that broadcasts, one of the sum result, and
// a second addend of a layer norm that already has one.
// CHECK-LABEL: func.func @addends_that_stay
// CHECK: %[[N:.*]], %[[SUM:.*]], %{{.*}} = intr.layer_norm %arg0, %arg1, %arg2 addend(%arg{{3|4}})
// CHECK-DAG: onnx.Add %[[N]], %arg1
// CHECK-DAG: onnx.Add %[[SUM]], %arg3
// CHECK-DAG: onnx.Add %[[N]], %arg{{3|4}}
func.func @addends_that_stay(%x: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>, %p: tensor<6x1x32xf32>, %p2: tensor<6x1x32xf32>)
    -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>, tensor<6x1x32xf32>, tensor<6x1x32xf32>) {
  %y, %sum = intr.layer_norm %x, %s, %b
      : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x32xf32>)
  %q = onnx.Add %y, %p : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %wide = onnx.Add %y, %s : (tensor<6x1x32xf32>, tensor<32xf32>) -> tensor<6x1x32xf32>
  %ofsum = onnx.Add %sum, %p : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  %second = onnx.Add %y, %p2 : (tensor<6x1x32xf32>, tensor<6x1x32xf32>) -> tensor<6x1x32xf32>
  return %q, %wide, %ofsum, %second : tensor<6x1x32xf32>, tensor<6x1x32xf32>, tensor<6x1x32xf32>, tensor<6x1x32xf32>
}
