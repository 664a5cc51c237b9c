// RUN: intr-opt %s -split-input-file --convert-onnx-to-intr | FileCheck %s
// RUN: intr-opt %s -split-input-file --intr-report-raising 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT

// Self-attention as torch 2.x exports scaled_dot_product_attention, in four
// dimensions: [S, B, D] = [3, 2, 4] in 2 heads of 2.

// REPORT-LABEL: raising report for @attention_node_expanded
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @decomposed_below_opset_23
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @keys_split_twice
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @image_without_keys_is_kept
// REPORT: onnx.Softmax {{.*}} left: an image's keys are all masked, and the Where after the Softmax gives its queries zeros, not NaN
// REPORT-LABEL: raising report for @runtime_mask_under_guard_is_kept
// REPORT: onnx.Softmax {{.*}} left: a run-time mask may mask an image's every key, and the Where after the Softmax gives its queries zeros, not NaN
// REPORT-LABEL: raising report for @cross_attention_maps
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @shared_keys_are_kept
// REPORT: onnx.Softmax {{.*}} left: the keys or values are not split into the queries' heads over [S, B, D]

// Tests onnx.Attention as onnx-decompose expands it: the heads split to
// [B, H, S, dh], the root of the scale on q and k, kᵀ by a rank-4 Transpose,
// a key padding mask [B, 1, 1, S] added to the scores, and the Where that
// gives a query whose scores are all -inf zeros. It becomes one intr.mha
// with the mask as [B, S].
// CHECK-LABEL: func.func @attention_node_expanded
// CHECK: %[[MASK:.*]] = onnx.Constant dense<{{\[\[}}false, false, false], [false, false, true]]> : tensor<2x3xi1>
// CHECK: intr.mha {{.*}} mask(%[[MASK]])
// CHECK-SAME: {num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
// CHECK-NOT: onnx.Where
func.func @attention_node_expanded(%x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %k4 = onnx.Reshape %kt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %root = onnx.Constant dense<0.840896427> : tensor<f32>
  %qs = onnx.Mul %q4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %ks = onnx.Mul %k4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %kT = onnx.Transpose %ks {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x3x2xf32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %qs, %kT : (tensor<2x2x3x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x3x3xf32>
  %mask = onnx.Constant dense<[[[[0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0xFF800000]]]]> : tensor<2x1x1x3xf32>
  %biased = onnx.Add %s, %mask : (tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %biased : tensor<2x2x3x3xf32>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %max = onnx.ReduceMax %biased, %last : (tensor<2x2x3x3xf32>, tensor<1xi64>) -> tensor<2x2x3x1xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %none_kept = onnx.Equal %max, %ninf : (tensor<2x2x3x1xf32>, tensor<f32>) -> tensor<2x2x3x1xi1>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %guarded = onnx.Where %none_kept, %zero, %p : (tensor<2x2x3x1xi1>, tensor<f32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %o = onnx.MatMul %guarded, %v4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}

// -----

// Tests the form torch writes itself below opset 23: kᵀ transposed in three
// dimensions before the split to [B, H, dh, S], no mask and no Where.
// CHECK-LABEL: func.func @decomposed_below_opset_23
// CHECK: intr.mha {{.*}} out(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
func.func @decomposed_below_opset_23(%x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %keys_by_image = onnx.Constant dense<[2, 2, 2, 3]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %kT = onnx.Transpose %kt {perm = array<i64: 0, 2, 1>} : (tensor<4x3x2xf32>) -> tensor<4x2x3xf32>
  %k4 = onnx.Reshape %kT, %keys_by_image : (tensor<4x2x3xf32>, tensor<4xi64>) -> tensor<2x2x2x3xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %root = onnx.Constant dense<0.840896427> : tensor<f32>
  %qs = onnx.Mul %q4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %ks = onnx.Mul %k4, %root : (tensor<2x2x2x3xf32>, tensor<f32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %qs, %ks : (tensor<2x2x3x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %s {axis = 3 : si64} : tensor<2x2x3x3xf32>
  %o = onnx.MatMul %p, %v4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}

// -----

// Tests the form torch writes for an export of dynamic sizes: the keys split
// to [B, H, S, dh], merged back to [B*H, S, dh] for the transpose, and split
// again.
// CHECK-LABEL: func.func @keys_split_twice
// CHECK: intr.mha {{.*}} out(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}) {num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
func.func @keys_split_twice(%x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %keys_by_image = onnx.Constant dense<[2, 2, 2, 3]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %k_split = onnx.Reshape %kt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %merge_heads = onnx.Constant dense<[4, 3, 2]> : tensor<3xi64>
  %k_merged = onnx.Reshape %k_split, %merge_heads : (tensor<2x2x3x2xf32>, tensor<3xi64>) -> tensor<4x3x2xf32>
  %kT = onnx.Transpose %k_merged {perm = array<i64: 0, 2, 1>} : (tensor<4x3x2xf32>) -> tensor<4x2x3xf32>
  %k4 = onnx.Reshape %kT, %keys_by_image : (tensor<4x2x3xf32>, tensor<4xi64>) -> tensor<2x2x2x3xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %root = onnx.Constant dense<0.840896427> : tensor<f32>
  %qs = onnx.Mul %q4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %ks = onnx.Mul %k4, %root : (tensor<2x2x2x3xf32>, tensor<f32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %qs, %ks : (tensor<2x2x3x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %s {axis = 3 : si64} : tensor<2x2x3x3xf32>
  %o = onnx.MatMul %p, %v4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}

// -----

// Tests that the expansion is kept where its mask hides every key of an
// image: its Where gives those queries zeros, intr.mha would give NaN.
// CHECK-LABEL: func.func @image_without_keys_is_kept
// CHECK-NOT: intr.mha
// CHECK: onnx.Softmax
// CHECK: onnx.Where
func.func @image_without_keys_is_kept(%x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %k4 = onnx.Reshape %kt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %root = onnx.Constant dense<0.840896427> : tensor<f32>
  %qs = onnx.Mul %q4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %ks = onnx.Mul %k4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %kT = onnx.Transpose %ks {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x3x2xf32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %qs, %kT : (tensor<2x2x3x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x3x3xf32>
  %mask = onnx.Constant dense<[[[[0.0, 0.0, 0.0]]], [[[0xFF800000, 0xFF800000, 0xFF800000]]]]> : tensor<2x1x1x3xf32>
  %biased = onnx.Add %s, %mask : (tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %biased : tensor<2x2x3x3xf32>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %max = onnx.ReduceMax %biased, %last : (tensor<2x2x3x3xf32>, tensor<1xi64>) -> tensor<2x2x3x1xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %none_kept = onnx.Equal %max, %ninf : (tensor<2x2x3x1xf32>, tensor<f32>) -> tensor<2x2x3x1xi1>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %guarded = onnx.Where %none_kept, %zero, %p : (tensor<2x2x3x1xi1>, tensor<f32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %o = onnx.MatMul %guarded, %v4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}

// -----

// Tests that the expansion is kept where a run-time mask may hide every key
// of an image: the compiler cannot tell, and its Where would give those
// queries zeros where intr.mha gives NaN.
// CHECK-LABEL: func.func @runtime_mask_under_guard_is_kept
// CHECK-NOT: intr.mha
// CHECK: onnx.Softmax
// CHECK: onnx.Where
func.func @runtime_mask_under_guard_is_kept(%pad: tensor<2x3xi1>, %x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %k4 = onnx.Reshape %kt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %root = onnx.Constant dense<0.840896427> : tensor<f32>
  %qs = onnx.Mul %q4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %ks = onnx.Mul %k4, %root : (tensor<2x2x3x2xf32>, tensor<f32>) -> tensor<2x2x3x2xf32>
  %kT = onnx.Transpose %ks {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x3x2xf32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %qs, %kT : (tensor<2x2x3x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x3x3xf32>
  %minf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<2x3xf32>
  %where = onnx.Where %pad, %minf, %zeros : (tensor<2x3xi1>, tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %per_image = onnx.Constant dense<[2, 1, 1, 3]> : tensor<4xi64>
  %mask = onnx.Reshape %where, %per_image : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x1x1x3xf32>
  %biased = onnx.Add %s, %mask : (tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %biased : tensor<2x2x3x3xf32>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %max = onnx.ReduceMax %biased, %last : (tensor<2x2x3x3xf32>, tensor<1xi64>) -> tensor<2x2x3x1xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %none_kept = onnx.Equal %max, %ninf : (tensor<2x2x3x1xf32>, tensor<f32>) -> tensor<2x2x3x1xi1>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %guarded = onnx.Where %none_kept, %zero, %p : (tensor<2x2x3x1xi1>, tensor<f32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %o = onnx.MatMul %guarded, %v4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}

// -----

// Tests the 4-D form of a cross-attention whose maps the model returns:
// P [B, H, L, S] itself is the per-head maps and its ReduceMean over the
// heads the mean, so it becomes one intr.class_attention.
// CHECK-LABEL: func.func @cross_attention_maps
// CHECK: %[[OUT:.*]], %[[PROBS:.*]], %[[MEAN:.*]] = intr.class_attention
// CHECK-SAME: num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
// CHECK: return %{{.*}}, %[[PROBS]], %[[MEAN]]
func.func @cross_attention_maps(%t: tensor<2x2x4xf32>, %m: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x4xf32>, %bk: tensor<4xf32>, %wv: tensor<4x4xf32>, %bv: tensor<4xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x2x3xf32>, tensor<2x2x3xf32>) {
  %qm = onnx.MatMul %t, %wq : (tensor<2x2x4xf32>, tensor<4x4xf32>) -> tensor<2x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x2x4xf32>, tensor<4xf32>) -> tensor<2x2x4xf32>
  %km = onnx.MatMul %m, %wk : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %vm = onnx.MatMul %m, %wv : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %split_q = onnx.Constant dense<[2, 4, 2]> : tensor<3xi64>
  %split_m = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %q_images = onnx.Constant dense<[2, 2, 2, 2]> : tensor<4xi64>
  %m_images = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x2x4xf32>, tensor<3xi64>) -> tensor<2x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x4x2xf32>) -> tensor<4x2x2xf32>
  %q4 = onnx.Reshape %qt, %q_images : (tensor<4x2x2xf32>, tensor<4xi64>) -> tensor<2x2x2x2xf32>
  %kr = onnx.Reshape %k, %split_m : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %k4 = onnx.Reshape %kt, %m_images : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %vr = onnx.Reshape %v, %split_m : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %v4 = onnx.Reshape %vt, %m_images : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kT = onnx.Transpose %k4 {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x3x2xf32>) -> tensor<2x2x2x3xf32>
  %s = onnx.MatMul %q4, %kT : (tensor<2x2x2x2xf32>, tensor<2x2x2x3xf32>) -> tensor<2x2x2x3xf32>
  %scale = onnx.Constant dense<0.707106769> : tensor<f32>
  %ss = onnx.Mul %s, %scale : (tensor<2x2x2x3xf32>, tensor<f32>) -> tensor<2x2x2x3xf32>
  %p = onnx.Softmax %ss : tensor<2x2x2x3xf32>
  %o = onnx.MatMul %p, %v4 : (tensor<2x2x2x3xf32>, tensor<2x2x3x2xf32>) -> tensor<2x2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x2x2xf32>) -> tensor<2x2x2x2xf32>
  %merge = onnx.Constant dense<[4, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2x2xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %unmerge = onnx.Constant dense<[2, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<4x4xf32>, tensor<3xi64>) -> tensor<2x2x4xf32>
  %heads = onnx.Constant dense<1> : tensor<1xi64>
  %mean = onnx.ReduceMean %p, %heads {keepdims = 0 : si64} : (tensor<2x2x2x3xf32>, tensor<1xi64>) -> tensor<2x2x3xf32>
  return %out, %p, %mean : tensor<2x2x4xf32>, tensor<2x2x2x3xf32>, tensor<2x2x3xf32>
}

// -----

// Tests that keys shared by the heads (one head of keys and values, which
// the 4-D products broadcast) are kept: intr.mha splits keys and values
// into the queries' heads.
// CHECK-LABEL: func.func @shared_keys_are_kept
// CHECK-NOT: intr.mha
// CHECK: onnx.Softmax
func.func @shared_keys_are_kept(%x: tensor<3x2x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wk: tensor<4x2xf32>, %bk: tensor<2xf32>, %wv: tensor<4x2xf32>, %bv: tensor<2xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> tensor<3x2x4xf32> {
  %qm = onnx.MatMul %x, %wq : (tensor<3x2x4xf32>, tensor<4x4xf32>) -> tensor<3x2x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<3x2x4xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %km = onnx.MatMul %x, %wk : (tensor<3x2x4xf32>, tensor<4x2xf32>) -> tensor<3x2x2xf32>
  %k = onnx.Add %km, %bk : (tensor<3x2x2xf32>, tensor<2xf32>) -> tensor<3x2x2xf32>
  %vm = onnx.MatMul %x, %wv : (tensor<3x2x4xf32>, tensor<4x2xf32>) -> tensor<3x2x2xf32>
  %v = onnx.Add %vm, %bv : (tensor<3x2x2xf32>, tensor<2xf32>) -> tensor<3x2x2xf32>
  %split = onnx.Constant dense<[3, 4, 2]> : tensor<3xi64>
  %shared_split = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %by_image = onnx.Constant dense<[2, 2, 3, 2]> : tensor<4xi64>
  %shared_by_image = onnx.Constant dense<[2, 1, 3, 2]> : tensor<4xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<3x4x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  %q4 = onnx.Reshape %qt, %by_image : (tensor<4x3x2xf32>, tensor<4xi64>) -> tensor<2x2x3x2xf32>
  %kr = onnx.Reshape %k, %shared_split : (tensor<3x2x2xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %k4 = onnx.Reshape %kt, %shared_by_image : (tensor<2x3x2xf32>, tensor<4xi64>) -> tensor<2x1x3x2xf32>
  %vr = onnx.Reshape %v, %shared_split : (tensor<3x2x2xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %v4 = onnx.Reshape %vt, %shared_by_image : (tensor<2x3x2xf32>, tensor<4xi64>) -> tensor<2x1x3x2xf32>
  %kT = onnx.Transpose %k4 {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x1x3x2xf32>) -> tensor<2x1x2x3xf32>
  %s = onnx.MatMul %q4, %kT : (tensor<2x2x3x2xf32>, tensor<2x1x2x3xf32>) -> tensor<2x2x3x3xf32>
  %p = onnx.Softmax %s : tensor<2x2x3x3xf32>
  %o = onnx.MatMul %p, %v4 : (tensor<2x2x3x3xf32>, tensor<2x1x3x2xf32>) -> tensor<2x2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 2, 0, 1, 3>} : (tensor<2x2x3x2xf32>) -> tensor<3x2x2x2xf32>
  %merge = onnx.Constant dense<[6, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2x2xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<6x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<6x4xf32>
  %unmerge = onnx.Constant dense<[3, 2, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x2x4xf32>
  return %out : tensor<3x2x4xf32>
}
