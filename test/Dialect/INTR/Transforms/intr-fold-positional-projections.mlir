// RUN: intr-opt %s -split-input-file --intr-fold-positional-projections --canonicalize | FileCheck %s

// Tests the fold on a sequence-first self-attention whose queries and keys
// are a layer norm's shifted result: two positions, two images, D = 2.
// pos rows (1, 2) and (3, 4); Wq is the identity and bq 0.5, so the query
// columns of the bias are pos + 0.5; Wk swaps the features and bk is 1, so
// the key columns are (3, 2) and (5, 4); the value columns are bv = (7, 8).
// The layer norm loses its addend, which nobody reads any more.
// CHECK-LABEL: func.func @layer_norm_shift
// CHECK-DAG: %[[W:.*]] = onnx.Constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00], [0.000000e+00, 1.000000e+00], [1.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00], [0.000000e+00, 2.000000e+00]]> : tensor<6x2xf32>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<{{\[}}{{\[}}[1.500000e+00, 2.500000e+00, 3.000000e+00, 2.000000e+00, 7.000000e+00, 8.000000e+00]], {{\[}}[3.500000e+00, 4.500000e+00, 5.000000e+00, 4.000000e+00, 7.000000e+00, 8.000000e+00]]]> : tensor<2x1x6xf32>
// CHECK: %[[N:.*]], %{{.*}} = intr.layer_norm %arg0, %arg1, %arg2 : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>)
// CHECK: %[[QKV:.*]] = intr.linear %[[N]], %[[W]], %[[C]] : (tensor<2x2x2xf32>, tensor<6x2xf32>, tensor<2x1x6xf32>) -> tensor<2x2x6xf32>
// CHECK: %[[A:.*]] = intr.mha_qkv %[[QKV]] out(%arg3, %arg4) {num_heads = 1 : i64, sequence_first = true} : (tensor<2x2x6xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2x2xf32>
// CHECK: return %[[A]]
func.func @layer_norm_shift(%x: tensor<2x2x2xf32>, %g: tensor<2xf32>, %b: tensor<2xf32>, %wo: tensor<2x2xf32>, %bo: tensor<2xf32>) -> tensor<2x2x2xf32> {
  %pos = onnx.Constant dense<[[[1.0, 2.0], [1.0, 2.0]], [[3.0, 4.0], [3.0, 4.0]]]> : tensor<2x2x2xf32>
  %wq = onnx.Constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %bq = onnx.Constant dense<0.5> : tensor<2xf32>
  %wk = onnx.Constant dense<[[0.0, 1.0], [1.0, 0.0]]> : tensor<2x2xf32>
  %bk = onnx.Constant dense<1.0> : tensor<2xf32>
  %wv = onnx.Constant dense<[[2.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32>
  %bv = onnx.Constant dense<[7.0, 8.0]> : tensor<2xf32>
  %out, %sum, %qk = intr.layer_norm %x, %g, %b addend(%pos)
      : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2x2xf32>)
  %a = intr.mha %qk, %qk, %out q(%wq, %bq) k(%wk, %bk) v(%wv, %bv) out(%wo, %bo) {num_heads = 1 : i64, sequence_first = true}
      : (tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2x2xf32>
  return %a : tensor<2x2x2xf32>
}

// -----

// Tests the fold of an add of the value and a constant (a first encoder
// layer, whose input is no layer norm's), batch first: the bias is then
// [1, S, 3D]. The mask and the scale carry over.
// CHECK-LABEL: func.func @add_batch_first
// CHECK-NOT: onnx.Add
// CHECK: %[[QKV:.*]] = intr.linear %arg0, %{{.*}}, %{{.*}} : (tensor<1x2x2xf32>, tensor<6x2xf32>, tensor<1x2x6xf32>) -> tensor<1x2x6xf32>
// CHECK: intr.mha_qkv %[[QKV]] out(%arg1, %arg2) mask(%arg3) {num_heads = 2 : i64, scale = 2.500000e-01 : f64}
func.func @add_batch_first(%x: tensor<1x2x2xf32>, %wo: tensor<2x2xf32>, %bo: tensor<2xf32>, %mask: tensor<1x2xi1>) -> tensor<1x2x2xf32> {
  %pos = onnx.Constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %w = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %bias = onnx.Constant dense<0.0> : tensor<2xf32>
  %qk = onnx.Add %x, %pos : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %a = intr.mha %qk, %qk, %x q(%w, %bias) k(%w, %bias) v(%w, %bias) out(%wo, %bo) mask(%mask) {num_heads = 2 : i64, scale = 0.25 : f64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xi1>) -> tensor<1x2x2xf32>
  return %a : tensor<1x2x2xf32>
}

// -----

// Tests that a positional term that differs between the images, one that
// is not a constant, and projections that are not constants all leave the
// attention as it is.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: intr.mha %
// CHECK-NOT: intr.mha_qkv
func.func @left_alone(%x: tensor<1x2x2xf32>, %p: tensor<1x2x2xf32>, %wq: tensor<2x2xf32>) -> (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>) {
  %pos = onnx.Constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %w = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %bias = onnx.Constant dense<0.0> : tensor<2xf32>
  %y = onnx.Transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<1x2x2xf32>) -> tensor<2x1x2xf32>
  %qk0 = onnx.Add %y, %pos : (tensor<2x1x2xf32>, tensor<2x1x2xf32>) -> tensor<2x1x2xf32>
  %a0 = intr.mha %qk0, %qk0, %y q(%w, %bias) k(%w, %bias) v(%w, %bias) out(%w, %bias) {num_heads = 1 : i64}
      : (tensor<2x1x2xf32>, tensor<2x1x2xf32>, tensor<2x1x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x1x2xf32>
  %a = onnx.Transpose %a0 {perm = array<i64: 1, 0, 2>} : (tensor<2x1x2xf32>) -> tensor<1x2x2xf32>
  %qk1 = onnx.Add %x, %p : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %b = intr.mha %qk1, %qk1, %x q(%w, %bias) k(%w, %bias) v(%w, %bias) out(%w, %bias) {num_heads = 1 : i64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  %pos2 = onnx.Constant dense<1.0> : tensor<1x2x2xf32>
  %qk2 = onnx.Add %x, %pos2 : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %c = intr.mha %qk2, %qk2, %x q(%wq, %bias) k(%w, %bias) v(%w, %bias) out(%w, %bias) {num_heads = 1 : i64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  return %a, %b, %c : tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>
}

// -----

// Tests that a cross-attention (the key is not the query) is left alone.
// CHECK-LABEL: func.func @cross_attention
// CHECK: intr.mha %
// CHECK-NOT: intr.mha_qkv
func.func @cross_attention(%x: tensor<1x2x2xf32>, %m: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %pos = onnx.Constant dense<1.0> : tensor<1x2x2xf32>
  %w = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %bias = onnx.Constant dense<0.0> : tensor<2xf32>
  %q = onnx.Add %x, %pos : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %a = intr.mha %q, %m, %x q(%w, %bias) k(%w, %bias) v(%w, %bias) out(%w, %bias) {num_heads = 1 : i64}
      : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  return %a : tensor<1x2x2xf32>
}

// -----

// Tests the fold into a linear that reads a layer norm's shifted result
// through a transpose of the two leading axes (a decoder's cross-attention
// queries, batch 2): pos rows (1, 2) and (3, 4) per query, the same for
// both images, become rows of the bias after the transpose ([1, 2, N]):
// with W = [[1, 1], [0, 1]] and b = (0.5, 0), pos·Wᵀ + b is (3.5, 2) and
// (7.5, 4). The linear then reads the transposed plain output.
// CHECK-LABEL: func.func @linear_through_transpose
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<{{\[\[\[}}3.500000e+00, 2.000000e+00], [7.500000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// CHECK: %[[N:.*]], %{{.*}} = intr.layer_norm %arg0, %arg1, %arg2 : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>)
// CHECK: %[[T:.*]] = onnx.Transpose %[[N]] {perm = array<i64: 1, 0, 2>}
// CHECK: %[[Y:.*]] = intr.linear %[[T]], %{{.*}}, %[[C]] : (tensor<2x2x2xf32>, tensor<2x2xf32>, tensor<1x2x2xf32>) -> tensor<2x2x2xf32>
// CHECK: return %[[N]], %[[Y]]
func.func @linear_through_transpose(%x: tensor<2x2x2xf32>, %g: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>) {
  %pos = onnx.Constant dense<[[[1.0, 2.0], [1.0, 2.0]], [[3.0, 4.0], [3.0, 4.0]]]> : tensor<2x2x2xf32>
  %w = onnx.Constant dense<[[1.0, 1.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %bias = onnx.Constant dense<[0.5, 0.0]> : tensor<2xf32>
  %out, %sum, %q = intr.layer_norm %x, %g, %b addend(%pos)
      : (tensor<2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<2x2x2xf32>)
  %t = onnx.Transpose %q {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %y = intr.linear %t, %w, %bias : (tensor<2x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2x2xf32>
  return %out, %y : tensor<2x2x2xf32>, tensor<2x2x2xf32>
}

// -----

// Tests an add of a constant the same everywhere (a bias [N] results, here
// with a [K, N] weight: (1, 1)·[[1, 2], [3, 4]] = (4, 6)), and that a
// constant varying along two axes, or a linear whose bias is positional
// already, is left alone.
// CHECK-LABEL: func.func @linear_of_add
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[4.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK: %[[A:.*]] = intr.linear %arg0, %{{.*}}, %[[C]] {transpose_weight = false} : (tensor<2x3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
// CHECK: %[[S:.*]] = onnx.Add %arg0
// CHECK: intr.linear %[[S]]
// CHECK: %[[S2:.*]] = onnx.Add %arg0
// CHECK: intr.linear %[[S2]]
func.func @linear_of_add(%x: tensor<2x3x2xf32>) -> (tensor<2x3x2xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>) {
  %ones = onnx.Constant dense<1.0> : tensor<2x3x2xf32>
  %w = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s0 = onnx.Add %x, %ones : (tensor<2x3x2xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %a = intr.linear %s0, %w {transpose_weight = false} : (tensor<2x3x2xf32>, tensor<2x2xf32>) -> tensor<2x3x2xf32>
  %varied = onnx.Constant dense<[[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], [[4.0, 4.0], [5.0, 5.0], [6.0, 6.0]]]> : tensor<2x3x2xf32>
  %s1 = onnx.Add %x, %varied : (tensor<2x3x2xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %b = intr.linear %s1, %w : (tensor<2x3x2xf32>, tensor<2x2xf32>) -> tensor<2x3x2xf32>
  %positional = onnx.Constant dense<1.0> : tensor<1x3x2xf32>
  %s2 = onnx.Add %x, %ones : (tensor<2x3x2xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %c = intr.linear %s2, %w, %positional : (tensor<2x3x2xf32>, tensor<2x2xf32>, tensor<1x3x2xf32>) -> tensor<2x3x2xf32>
  return %a, %b, %c : tensor<2x3x2xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>
}
