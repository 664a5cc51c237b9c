// RUN: intr-opt %s -split-input-file --convert-intr-to-plan | FileCheck %s

// Tests that a transpose moving only a dimension of size 1 (the batch-1
// layout change around attention) and an unsqueeze become no steps: their
// results are buffers at their data's offset, which stays live while the
// views are read, so the Relu's output goes elsewhere.
// CHECK-LABEL: func.func @views
// CHECK: %[[X:.*]] = plan.buffer offset(0) : memref<950x1x4xf32>
// CHECK-NEXT: plan.input "x" %[[X]]
// CHECK-NEXT: %[[T:.*]] = plan.buffer offset(0) : memref<1x950x4xf32>
// CHECK-NEXT: plan.constant
// CHECK-NEXT: %[[U:.*]] = plan.buffer offset(0) : memref<1x1x950x4xf32>
// CHECK-NEXT: %[[Y:.*]] = plan.buffer offset(15360) : memref<1x1x950x4xf32>
// CHECK-NEXT: plan.step "onnx.Relu" ins(%[[U]] : memref<1x1x950x4xf32>) outs(%[[Y]] : memref<1x1x950x4xf32>)
// CHECK-NEXT: plan.output "y" %[[Y]]
func.func @views(%x: tensor<950x1x4xf32> {onnx.name = "x"}) -> (tensor<1x1x950x4xf32> {onnx.name = "y"}) {
  %t = onnx.Transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<950x1x4xf32>) -> tensor<1x950x4xf32>
  %axes = onnx.Constant dense<0> : tensor<1xi64>
  %u = onnx.Unsqueeze %t, %axes : (tensor<1x950x4xf32>, tensor<1xi64>) -> tensor<1x1x950x4xf32>
  %y = onnx.Relu %u : (tensor<1x1x950x4xf32>) -> tensor<1x1x950x4xf32>
  return %y : tensor<1x1x950x4xf32>
}

// -----

// Tests the near misses: a transpose that reorders two longer dimensions
// and a reshape of a constant stay steps.
// CHECK-LABEL: func.func @not_views
// CHECK: plan.step "onnx.Transpose"
// CHECK: plan.step "onnx.Reshape"
// CHECK: plan.output "t"
// CHECK: plan.output "c"
func.func @not_views(%x: tensor<2x3xf32> {onnx.name = "x"})
    -> (tensor<3x2xf32> {onnx.name = "t"}, tensor<6xf32> {onnx.name = "c"}) {
  %t = onnx.Transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %k = onnx.Constant dense<1.0> : tensor<2x3xf32>
  %shape = onnx.Constant dense<6> : tensor<1xi64>
  %c = onnx.Reshape %k, %shape : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<6xf32>
  return %t, %c : tensor<3x2xf32>, tensor<6xf32>
}

// -----

// Tests that a returned view of a step's result is returned where the step
// wrote it, with no copy, and that the step's buffer then lives to the end
// (the Exp after it goes elsewhere); an output whose buffer an earlier one
// returns already (the Relu's, returned itself and through a view) and a
// returned input get copies of their own.
// CHECK-LABEL: func.func @returned_views
// CHECK: %[[E:.*]] = plan.buffer offset(256) : memref<2x3xf32>
// CHECK-NEXT: plan.step "onnx.Relu" ins(%{{.*}}) outs(%[[E]] : memref<2x3xf32>)
// CHECK: %[[R:.*]] = plan.buffer offset(256) : memref<3x2xf32>
// CHECK: %[[Y:.*]] = plan.buffer offset(512) : memref<3x2xf32>
// CHECK-NEXT: plan.step "onnx.Exp" ins(%[[R]] : memref<3x2xf32>) outs(%[[Y]] : memref<3x2xf32>)
// CHECK-NEXT: plan.output "r" %[[R]]
// CHECK-NEXT: plan.output "y" %[[Y]]
// CHECK-NEXT: %[[E2:.*]] = plan.buffer offset({{[0-9]+}}) : memref<2x3xf32>
// CHECK-NEXT: plan.step "onnx.Identity" ins(%[[E]] : memref<2x3xf32>) outs(%[[E2]] : memref<2x3xf32>)
// CHECK-NEXT: plan.output "e" %[[E2]]
// CHECK-NEXT: %[[X2:.*]] = plan.buffer offset({{[0-9]+}}) : memref<2x3xf32>
// CHECK-NEXT: plan.step "onnx.Identity" ins(%{{.*}} : memref<2x3xf32>) outs(%[[X2]] : memref<2x3xf32>)
// CHECK-NEXT: plan.output "x2" %[[X2]]
func.func @returned_views(%x: tensor<2x3xf32> {onnx.name = "x"})
    -> (tensor<3x2xf32> {onnx.name = "r"}, tensor<3x2xf32> {onnx.name = "y"},
        tensor<2x3xf32> {onnx.name = "e"}, tensor<2x3xf32> {onnx.name = "x2"}) {
  %e = onnx.Relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %shape = onnx.Constant dense<[3, 2]> : tensor<2xi64>
  %r = onnx.Reshape %e, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %y = onnx.Exp %r : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r, %y, %e, %x : tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that an omitted optional operand before a given one (a layer norm's
// residual before its addend) is a none, so that kernels find operands by
// position, and that the segment sizes are not a parameter.
// CHECK-LABEL: func.func @omitted_operand_is_none
// CHECK: %[[NONE:.*]] = plan.none
// CHECK: plan.step "intr.layer_norm" ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[NONE]], %{{.*}} : memref<2x4xf32>, memref<4xf32>, memref<4xf32>, none, memref<2x4xf32>)
// CHECK-SAME: params {epsilon = 9.9999999999999995E-7 : f64}
// CHECK-NOT: operandSegmentSizes
func.func @omitted_operand_is_none(%x: tensor<2x4xf32> {onnx.name = "x"}, %p: tensor<2x4xf32> {onnx.name = "p"})
    -> (tensor<2x4xf32> {onnx.name = "y"}) {
  %s = onnx.Constant dense<1.0> : tensor<4xf32>
  %b = onnx.Constant dense<0.0> : tensor<4xf32>
  %y, %sum, %shifted = intr.layer_norm %x, %s, %b addend(%p) {epsilon = 1.0e-6 : f64}
      : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>)
      -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return %shifted : tensor<2x4xf32>
}

// -----

// Tests that a class attention's map that nobody reads gets no buffer: the
// step has none in its place (its kernels then do not store it), while
// the maps read keep theirs: the tensors add up to the inputs' 32 + 96
// bytes, out's 32 and the mean's 24, without the probabilities' 48.
// CHECK-LABEL: func.func @omitted_maps
// CHECK-SAME: plan.tensor_bytes = 184
// CHECK: %[[NONE:.*]] = plan.none
// CHECK: plan.step "intr.class_attention_kv" ins({{.*}}) outs(%{{[0-9]+}}, %[[NONE]], %{{[0-9]+}} : memref<1x2x4xf32>, none, memref<1x2x3xf32>)
func.func @omitted_maps(%q: tensor<2x4xf32> {onnx.name = "q"}, %kv: tensor<1x3x8xf32> {onnx.name = "kv"})
    -> (tensor<1x2x4xf32> {onnx.name = "out"}, tensor<1x2x3xf32> {onnx.name = "avg_attention"}) {
  %w = onnx.Constant dense<0.5> : tensor<4x4xf32>
  %b = onnx.Constant dense<0.0> : tensor<4xf32>
  %out, %probs, %mean = intr.class_attention_kv %q, %kv out(%w, %b)
      {feature_map = array<i64: 3, 1>, key_offset = 0 : i64, num_heads = 2 : i64, value_offset = 4 : i64}
      : (tensor<2x4xf32>, tensor<1x3x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> (tensor<1x2x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>)
  return %out, %mean : tensor<1x2x4xf32>, tensor<1x2x3xf32>
}
