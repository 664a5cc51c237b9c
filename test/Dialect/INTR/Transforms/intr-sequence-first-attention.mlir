// RUN: intr-opt %s -split-input-file --intr-sequence-first-attention | FileCheck %s

// Tests that an encoder layer's mha between transposes (q = k, batch 2)
// reads the sequence-first tensors itself, and that the transpose back of
// its result cancels with the one the pass puts after the op.
// CHECK-LABEL: func.func @encoder_layer
// CHECK-NOT: onnx.Transpose
// CHECK: %[[M:.*]] = intr.mha %arg0, %arg0, %arg1 {{.*}} {num_heads = 2 : i64, sequence_first = true}
// CHECK-SAME: -> tensor<6x2x8xf32>
// CHECK-NOT: onnx.Transpose
// CHECK: return %[[M]]
func.func @encoder_layer(%qk: tensor<6x2x8xf32>, %src: tensor<6x2x8xf32>,
    %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<6x2x8xf32> {
  %q = onnx.Transpose %qk {perm = array<i64: 1, 0, 2>} : (tensor<6x2x8xf32>) -> tensor<2x6x8xf32>
  %v = onnx.Transpose %src {perm = array<i64: 1, 0, 2>} : (tensor<6x2x8xf32>) -> tensor<2x6x8xf32>
  %out = intr.mha %q, %q, %v q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 2 : i64}
      : (tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> tensor<2x6x8xf32>
  %back = onnx.Transpose %out {perm = array<i64: 1, 0, 2>} : (tensor<2x6x8xf32>) -> tensor<6x2x8xf32>
  return %back : tensor<6x2x8xf32>
}

// -----

// Tests that a shared [S, D] query stays as it is while the keys and values
// are read sequence first, with the mask, and that a reader of the result
// that is not a transpose reads it transposed to [B, S, D].
// CHECK-LABEL: func.func @shared_query
// CHECK: %[[M:.*]] = intr.mha %arg0, %arg1, %arg1 {{.*}} mask(%arg4) {num_heads = 2 : i64, sequence_first = true}
// CHECK-SAME: -> tensor<5x3x8xf32>
// CHECK: %[[T:.*]] = onnx.Transpose %[[M]] {perm = array<i64: 1, 0, 2>} : (tensor<5x3x8xf32>) -> tensor<3x5x8xf32>
// CHECK: onnx.Relu %[[T]]
func.func @shared_query(%q: tensor<5x8xf32>, %memory: tensor<6x3x8xf32>,
    %w: tensor<8x8xf32>, %b: tensor<8xf32>, %mask: tensor<3x6xi1>) -> tensor<3x5x8xf32> {
  %kv = onnx.Transpose %memory {perm = array<i64: 1, 0, 2>} : (tensor<6x3x8xf32>) -> tensor<3x6x8xf32>
  %out = intr.mha %q, %kv, %kv q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask) {num_heads = 2 : i64}
      : (tensor<5x8xf32>, tensor<3x6x8xf32>, tensor<3x6x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<3x6xi1>)
      -> tensor<3x5x8xf32>
  %r = onnx.Relu %out : (tensor<3x5x8xf32>) -> tensor<3x5x8xf32>
  return %r : tensor<3x5x8xf32>
}

// -----

// Tests the mha left as it is: a value that is not a transpose, and a
// transpose with another permutation.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: sequence_first
// CHECK: return
func.func @left_alone(%qk: tensor<6x2x8xf32>, %src: tensor<2x6x8xf32>, %other: tensor<2x8x6xf32>,
    %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> (tensor<2x6x8xf32>, tensor<2x6x8xf32>) {
  %q = onnx.Transpose %qk {perm = array<i64: 1, 0, 2>} : (tensor<6x2x8xf32>) -> tensor<2x6x8xf32>
  %out = intr.mha %q, %q, %src q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 2 : i64}
      : (tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> tensor<2x6x8xf32>
  %v = onnx.Transpose %other {perm = array<i64: 0, 2, 1>} : (tensor<2x8x6xf32>) -> tensor<2x6x8xf32>
  %out2 = intr.mha %q, %q, %v q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 2 : i64}
      : (tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> tensor<2x6x8xf32>
  return %out, %out2 : tensor<2x6x8xf32>, tensor<2x6x8xf32>
}
