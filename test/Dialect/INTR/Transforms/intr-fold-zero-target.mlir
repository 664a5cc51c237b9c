// RUN: intr-opt %s -split-input-file --intr-fold-zero-target | FileCheck %s

// Tests that mha over zero values folds to bv · Woᵀ + bo for every query:
// bv = [1, 2], Wo = [[1, 2], [3, 4]], bo = [0.5, -0.5] give [5.5, 10.5].
// CHECK-LABEL: func.func @zero_values
// CHECK: %[[C:.*]] = onnx.Constant dense<{{\[\[}}[5.500000e+00, 1.050000e+01], [5.500000e+00, 1.050000e+01], [5.500000e+00, 1.050000e+01]]]> : tensor<1x3x2xf32>
// CHECK-NOT: intr.mha
// CHECK: return %[[C]]
func.func @zero_values(%q: tensor<1x3x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x3x2xf32> {
  %zeros = onnx.Constant dense<0.0> : tensor<1x3x2xf32>
  %bv = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  %wo = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bo = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %out = intr.mha %q, %q, %zeros q(%w, %b) k(%w, %b) v(%w, %bv) out(%wo, %bo) {num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x3x2xf32>
  return %out : tensor<1x3x2xf32>
}

// -----

// Tests that the output weight is read through the transpose raising puts
// on a [K, N] weight.
// CHECK-LABEL: func.func @transposed_output_weight
// CHECK: onnx.Constant dense<{{\[\[}}[5.500000e+00, 1.050000e+01]]]> : tensor<1x1x2xf32>
// CHECK-NOT: intr.mha
func.func @transposed_output_weight(%q: tensor<1x1x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x1x2xf32> {
  %zeros = onnx.Constant dense<0.0> : tensor<1x1x2xf32>
  %bv = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  %wo_kn = onnx.Constant dense<[[1.0, 3.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %wo = onnx.Transpose %wo_kn {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %bo = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %out = intr.mha %q, %q, %zeros q(%w, %b) k(%w, %b) v(%w, %bv) out(%wo, %bo) {num_heads = 1 : i64}
      : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x1x2xf32>
  return %out : tensor<1x1x2xf32>
}

// -----

// Tests that repeated nonzero value rows need the value weight as a
// constant: with a weight that is an argument, the mha stays (near miss).
// CHECK-LABEL: func.func @nonzero_values
// CHECK: intr.mha
func.func @nonzero_values(%q: tensor<1x3x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x3x2xf32> {
  %values = onnx.Constant dense<1.0> : tensor<1x3x2xf32>
  %out = intr.mha %q, %q, %values q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x3x2xf32>
  return %out : tensor<1x3x2xf32>
}

// -----

// Tests the pre-norm first layer: the values are LayerNorm(0), the layer
// norm's bias in every row, so both fold. With r = bias = [1, 0],
// v = r · Wvᵀ + bv with Wv = [[1, 1], [0, 2]], bv = [0, 1] is [1, 1]; then
// out = v · Woᵀ + bo with Wo = [[1, 2], [3, 4]], bo = [0.5, -0.5] is
// [3.5, 6.5].
// CHECK-LABEL: func.func @pre_norm
// CHECK: %[[C:.*]] = onnx.Constant dense<{{\[\[}}[3.500000e+00, 6.500000e+00], [3.500000e+00, 6.500000e+00]]]> : tensor<1x2x2xf32>
// CHECK-NOT: intr.
// CHECK: return %[[C]]
func.func @pre_norm(%q: tensor<1x2x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x2xf32> {
  %zeros = onnx.Constant dense<0.0> : tensor<1x2x2xf32>
  %ones = onnx.Constant dense<1.0> : tensor<2xf32>
  %lnb = onnx.Constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v, %sum = intr.layer_norm %zeros, %ones, %lnb : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x2xf32>, tensor<1x2x2xf32>)
  %wv = onnx.Constant dense<[[1.0, 1.0], [0.0, 2.0]]> : tensor<2x2xf32>
  %bv = onnx.Constant dense<[0.0, 1.0]> : tensor<2xf32>
  %wo = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bo = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %out = intr.mha %q, %q, %v q(%w, %b) k(%w, %b) v(%wv, %bv) out(%wo, %bo) {num_heads = 1 : i64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x2x2xf32>
  return %out : tensor<1x2x2xf32>
}

// -----

// Tests that values whose rows differ keep the mha (near miss).
// CHECK-LABEL: func.func @differing_rows
// CHECK: intr.mha
func.func @differing_rows(%q: tensor<1x2x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x2xf32> {
  %values = onnx.Constant dense<[[[1.0, 0.0], [0.0, 1.0]]]> : tensor<1x2x2xf32>
  %out = intr.mha %q, %q, %values q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 1 : i64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x2x2xf32>
  return %out : tensor<1x2x2xf32>
}

// -----

// Tests that zeros kept as a resource (as the importer keeps large
// constants) and transposed from [L, B, D] to [B, L, D] still fold.
// CHECK-LABEL: func.func @resource_zeros
// CHECK: onnx.Constant dense<{{\[\[}}[5.500000e+00, 1.050000e+01], [5.500000e+00, 1.050000e+01], [5.500000e+00, 1.050000e+01]]]> : tensor<1x3x2xf32>
// CHECK-NOT: intr.mha
func.func @resource_zeros(%q: tensor<1x3x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x3x2xf32> {
  %tgt = onnx.Constant dense_resource<tgt_zeros> : tensor<3x1x2xf32>
  %zeros = onnx.Transpose %tgt {perm = array<i64: 1, 0, 2>} : (tensor<3x1x2xf32>) -> tensor<1x3x2xf32>
  %bv = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  %wo = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bo = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %out = intr.mha %q, %q, %zeros q(%w, %b) k(%w, %b) v(%w, %bv) out(%wo, %bo) {num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x3x2xf32>
  return %out : tensor<1x3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      tgt_zeros: "0x04000000000000000000000000000000000000000000000000000000"
    }
  }
#-}

// -----

// Tests that a linear of constants folds: [1, 2] · [[1, 2], [3, 4]]ᵀ + [1, 1]
// = [6, 12], and with the [K, N] weight [1, 2] · [[1, 2], [3, 4]] = [7, 10],
// through a relu.
// CHECK-LABEL: func.func @linear_of_constants
// CHECK-DAG: %[[A:.*]] = onnx.Constant dense<{{\[\[}}6.000000e+00, 1.200000e+01]]> : tensor<1x2xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<{{\[\[}}7.000000e+00, 1.000000e+01]]> : tensor<1x2xf32>
// CHECK-NOT: intr.linear
// CHECK: return %[[A]], %[[B]]
func.func @linear_of_constants() -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %x = onnx.Constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %w = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = onnx.Constant dense<1.0> : tensor<2xf32>
  %a = intr.linear %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %c = intr.linear %x, %w {transpose_weight = false, activation = "relu"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %a, %c : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Tests that a linear of constants with a positional bias (one row per
// position) stays: the fold reads a bias [N].
// CHECK-LABEL: func.func @linear_positional_bias
// CHECK: intr.linear
func.func @linear_positional_bias() -> tensor<2x1x2xf32> {
  %x = onnx.Constant dense<1.0> : tensor<2x1x2xf32>
  %w = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = onnx.Constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %a = intr.linear %x, %w, %b : (tensor<2x1x2xf32>, tensor<2x2xf32>, tensor<2x1x2xf32>) -> tensor<2x1x2xf32>
  return %a : tensor<2x1x2xf32>
}

// -----

// Tests that a linear of a value that is not a constant stays.
// CHECK-LABEL: func.func @linear_of_argument
// CHECK: intr.linear %arg0
func.func @linear_of_argument(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = intr.linear %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %a : tensor<1x2xf32>
}

// -----

// Tests that a layer norm of constants with a constant addend folds its
// shifted result too: zeros normalize to the bias [1, 0], plus the addend
// [[0.5, 2], [-1, 0]] gives [[1.5, 2], [0, 0]].
// CHECK-LABEL: func.func @layer_norm_addend
// CHECK: %[[S:.*]] = onnx.Constant dense<{{\[\[}}1.500000e+00, 2.000000e+00], [0.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: intr.layer_norm
// CHECK: return %[[S]]
func.func @layer_norm_addend() -> tensor<2x2xf32> {
  %zeros = onnx.Constant dense<0.0> : tensor<2x2xf32>
  %ones = onnx.Constant dense<1.0> : tensor<2xf32>
  %lnb = onnx.Constant dense<[1.0, 0.0]> : tensor<2xf32>
  %pos = onnx.Constant dense<[[0.5, 2.0], [-1.0, 0.0]]> : tensor<2x2xf32>
  %v, %sum, %shifted = intr.layer_norm %zeros, %ones, %lnb addend(%pos)
      : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)
  return %shifted : tensor<2x2xf32>
}
