// RUN: intr-opt %s -split-input-file --convert-onnx-to-intr | FileCheck %s
// RUN: intr-opt %s -split-input-file --intr-report-raising 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT

// The report before raising: each attention but the near misses matches.
// REPORT-LABEL: raising report for @legacy_cross_attention
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @dynamo_cross_attention
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @self_attention_without_maps
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @packed_self_attention_without_biases
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @key_padding_mask
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @runtime_key_padding_mask
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @runtime_mask_per_head_is_kept
// REPORT: onnx.Softmax {{.*}} left: the run-time mask's condition is not one [B, S] mask for the batch's images
// REPORT-LABEL: raising report for @runtime_bias_is_kept
// REPORT: onnx.Softmax {{.*}} left: the run-time mask's Where does not choose between 0 and a masking -inf
// REPORT-LABEL: raising report for @runtime_mask_shuffled_by_heads_is_kept
// REPORT: onnx.Softmax {{.*}} left: the run-time mask is not the same for every head and query of an image (not a key padding mask)
// REPORT-LABEL: raising report for @runtime_mask_through_dynamic_shape_is_kept
// REPORT: onnx.Softmax {{.*}} left: the run-time mask is broadcast to a shape too large or not static
// REPORT-LABEL: raising report for @mask_per_query_is_kept
// REPORT: onnx.Softmax {{.*}} left: the additive mask differs between heads or queries of one image (not a key padding mask)
// REPORT-LABEL: raising report for @maps_of_two_memories_are_kept
// REPORT: onnx.Softmax {{.*}} left: the probabilities are used but keys and values come from different inputs
// REPORT-LABEL: raising report for @finite_mask_of_every_key_is_kept
// REPORT: onnx.Softmax {{.*}} left: a finite value masks an image's every key
// REPORT-LABEL: raising report for @packed_keys_by_negative_bounds
// REPORT: onnx.Softmax {{.*}} left: matches; run --convert-onnx-to-intr
// REPORT-LABEL: raising report for @memory_of_another_width_is_kept
// REPORT: onnx.Softmax {{.*}} left: a projection's input is not D wide
// REPORT-LABEL: raising report for @negative_factor_after_mask_is_kept
// REPORT: onnx.Softmax {{.*}} left: the scores' scale is not positive and finite

// Tests that torch 1.13's cross-attention (scale as Div on q, keys and values
// sliced from one packed projection, a mask folded to zeros, Gemm output
// projection, head mean as ReduceSum / H) becomes one class_attention whose
// maps and mean are returned.
// CHECK-LABEL: func.func @legacy_cross_attention
// CHECK-DAG: %[[WQ:.*]] = onnx.Transpose %arg2 {perm = array<i64: 1, 0>}
// CHECK-DAG: %[[Q:.*]] = onnx.Transpose %arg0 {perm = array<i64: 1, 0, 2>} : (tensor<2x1x4xf32>) -> tensor<1x2x4xf32>
// CHECK-DAG: %[[M:.*]] = onnx.Transpose %arg1 {perm = array<i64: 1, 0, 2>} : (tensor<3x1x4xf32>) -> tensor<1x3x4xf32>
// CHECK: %[[OUT:.*]], %[[PROBS:.*]], %[[MEAN:.*]] = intr.class_attention %[[Q]], %[[M]] q(%[[WQ]], %arg3)
// CHECK-SAME: out(%arg6, %arg7) {feature_map = array<i64: 1, 3>, num_heads = 2 : i64, scale = 0.70710
// CHECK: %[[BACK:.*]] = onnx.Transpose %[[OUT]] {perm = array<i64: 1, 0, 2>}
// CHECK-NOT: onnx.Softmax
// CHECK: return %[[BACK]], %[[PROBS]], %[[MEAN]]
func.func @legacy_cross_attention(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<0.0> : tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that torch 2.x's cross-attention (scale as Mul on q, keys and values
// unpacked by Reshape, Unsqueeze, Transpose, Squeeze and Gather, MatMul + Add
// output projection) becomes one class_attention.
// CHECK-LABEL: func.func @dynamo_cross_attention
// CHECK: %[[OUT:.*]], %[[PROBS:.*]], %[[MEAN:.*]] = intr.class_attention
// CHECK-SAME: num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
// CHECK: return {{.*}}, %[[PROBS]], %[[MEAN]]
func.func @dynamo_cross_attention(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %unflat = onnx.Constant dense<[3, 1, 2, 4]> : tensor<4xi64>
  %kv4 = onnx.Reshape %kv, %unflat : (tensor<3x1x8xf32>, tensor<4xi64>) -> tensor<3x1x2x4xf32>
  %ax0 = onnx.Constant dense<0> : tensor<1xi64>
  %kv5 = onnx.Unsqueeze %kv4, %ax0 : (tensor<3x1x2x4xf32>, tensor<1xi64>) -> tensor<1x3x1x2x4xf32>
  %kvt = onnx.Transpose %kv5 {perm = array<i64: 3, 1, 2, 0, 4>} : (tensor<1x3x1x2x4xf32>) -> tensor<2x3x1x1x4xf32>
  %ax3 = onnx.Constant dense<3> : tensor<1xi64>
  %kvs = onnx.Squeeze %kvt, %ax3 : (tensor<2x3x1x1x4xf32>, tensor<1xi64>) -> tensor<2x3x1x4xf32>
  %i0 = onnx.Constant dense<0> : tensor<i64>
  %i1 = onnx.Constant dense<1> : tensor<i64>
  %k = onnx.Gather %kvs, %i0 : (tensor<2x3x1x4xf32>, tensor<i64>) -> tensor<3x1x4xf32>
  %v = onnx.Gather %kvs, %i1 : (tensor<2x3x1x4xf32>, tensor<i64>) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %rsqrt = onnx.Constant dense<0.707106769> : tensor<f32>
  %qs = onnx.Mul %qt, %rsqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<0.0> : tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %projm = onnx.MatMul %om, %wo : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %out = onnx.Add %projm, %bo : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that an attention whose probabilities are not read (scale on the
// scores) becomes an intr.mha.
// CHECK-LABEL: func.func @self_attention_without_maps
// CHECK: %[[OUT:.*]] = intr.mha
// CHECK-SAME: {num_heads = 2 : i64, scale = 0.70710
// CHECK-NOT: onnx.Softmax
// CHECK-NOT: intr.class_attention
func.func @self_attention_without_maps(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qt, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %rsqrt = onnx.Constant dense<0.707106769> : tensor<f32>
  %ss = onnx.Mul %rsqrt, %s : (tensor<f32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<0.0> : tensor<2x1x3xf32>
  %sm = onnx.Add %ss, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  return %out : tensor<2x1x4xf32>
}

// -----

// Tests that a self-attention without biases (nn.MultiheadAttention with
// bias=False, or zero biases that torch 2.x's optimizer dropped) whose q, k
// and v are one packed projection (query, key and value the same tensor)
// becomes one mha: bare MatMuls, a Gemm without C, and a residual Add after
// the projection that is not taken for its bias; the biases are zeros.
// CHECK-LABEL: func.func @packed_self_attention_without_biases
// CHECK-DAG: %[[ZEROS:.*]] = onnx.Constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: %[[OUT:.*]] = intr.mha {{.*}} q(%{{.*}}, %[[ZEROS]]) k(%{{.*}}, %[[ZEROS]]) v(%{{.*}}, %[[ZEROS]]) out(%arg2, %[[ZEROS]])
// CHECK-SAME: num_heads = 2 : i64
// CHECK-NOT: onnx.Softmax
// CHECK: %[[BACK:.*]] = onnx.Transpose %[[OUT]]
// CHECK: onnx.Add %[[BACK]], %arg0
func.func @packed_self_attention_without_biases(%x: tensor<3x1x4xf32>, %wqkv: tensor<4x12xf32>, %wo: tensor<4x4xf32>) -> tensor<3x1x4xf32> {
  %qkv = onnx.MatMul %x, %wqkv : (tensor<3x1x4xf32>, tensor<4x12xf32>) -> tensor<3x1x12xf32>
  %unflat = onnx.Constant dense<[3, 1, 3, 4]> : tensor<4xi64>
  %qkv4 = onnx.Reshape %qkv, %unflat : (tensor<3x1x12xf32>, tensor<4xi64>) -> tensor<3x1x3x4xf32>
  %ax0 = onnx.Constant dense<0> : tensor<1xi64>
  %qkv5 = onnx.Unsqueeze %qkv4, %ax0 : (tensor<3x1x3x4xf32>, tensor<1xi64>) -> tensor<1x3x1x3x4xf32>
  %qkvt = onnx.Transpose %qkv5 {perm = array<i64: 3, 1, 2, 0, 4>} : (tensor<1x3x1x3x4xf32>) -> tensor<3x3x1x1x4xf32>
  %ax3 = onnx.Constant dense<3> : tensor<1xi64>
  %qkvs = onnx.Squeeze %qkvt, %ax3 : (tensor<3x3x1x1x4xf32>, tensor<1xi64>) -> tensor<3x3x1x4xf32>
  %i0 = onnx.Constant dense<0> : tensor<i64>
  %i1 = onnx.Constant dense<1> : tensor<i64>
  %i2 = onnx.Constant dense<2> : tensor<i64>
  %q = onnx.Gather %qkvs, %i0 : (tensor<3x3x1x4xf32>, tensor<i64>) -> tensor<3x1x4xf32>
  %k = onnx.Gather %qkvs, %i1 : (tensor<3x3x1x4xf32>, tensor<i64>) -> tensor<3x1x4xf32>
  %v = onnx.Gather %qkvs, %i2 : (tensor<3x3x1x4xf32>, tensor<i64>) -> tensor<3x1x4xf32>
  %split = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %rsqrt = onnx.Constant dense<0.707106769> : tensor<f32>
  %qs = onnx.Mul %qt, %rsqrt : (tensor<2x3x2xf32>, tensor<f32>) -> tensor<2x3x2xf32>
  %kr = onnx.Reshape %k, %split : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x3x2xf32>, tensor<2x2x3xf32>) -> tensor<2x3x3xf32>
  %p = onnx.Softmax %s : tensor<2x3x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x3x3xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x3x2xf32>) -> tensor<3x2x2xf32>
  %merge = onnx.Constant dense<[3, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<3x2x2xf32>, tensor<2xi64>) -> tensor<3x4xf32>
  %none = onnx.NoValue
  %proj = onnx.Gemm %om, %wo, %none {transB = 1 : si64} : (tensor<3x4xf32>, tensor<4x4xf32>, none) -> tensor<3x4xf32>
  %unmerge = onnx.Constant dense<[3, 1, 4]> : tensor<3xi64>
  %attn = onnx.Reshape %proj, %unmerge : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x4xf32>
  %out = onnx.Add %attn, %x : (tensor<3x1x4xf32>, tensor<3x1x4xf32>) -> tensor<3x1x4xf32>
  return %out : tensor<3x1x4xf32>
}

// -----

// Tests that an Add of a [1] offset after a projection without bias stays
// an Add after the mha rather than becoming its bias, and that the zero
// biases take the weights' element type (f16 here).
// CHECK-LABEL: func.func @offset_after_an_unbiased_projection
// CHECK-DAG: %[[ZEROS:.*]] = onnx.Constant dense<0.000000e+00> : tensor<4xf16>
// CHECK: %[[OUT:.*]] = intr.mha {{.*}} out(%{{.*}}, %[[ZEROS]])
// CHECK: %[[BACK:.*]] = onnx.Transpose %[[OUT]]
// CHECK: onnx.Add %[[BACK]], %{{.*}} : (tensor<3x1x4xf16>, tensor<1xf16>)
func.func @offset_after_an_unbiased_projection(%x: tensor<3x1x4xf16>, %wqkv: tensor<4x12xf16>, %wo: tensor<4x4xf16>) -> tensor<3x1x4xf16> {
  %qkv = onnx.MatMul %x, %wqkv : (tensor<3x1x4xf16>, tensor<4x12xf16>) -> tensor<3x1x12xf16>
  %unflat = onnx.Constant dense<[3, 1, 3, 4]> : tensor<4xi64>
  %qkv4 = onnx.Reshape %qkv, %unflat : (tensor<3x1x12xf16>, tensor<4xi64>) -> tensor<3x1x3x4xf16>
  %ax0 = onnx.Constant dense<0> : tensor<1xi64>
  %qkv5 = onnx.Unsqueeze %qkv4, %ax0 : (tensor<3x1x3x4xf16>, tensor<1xi64>) -> tensor<1x3x1x3x4xf16>
  %qkvt = onnx.Transpose %qkv5 {perm = array<i64: 3, 1, 2, 0, 4>} : (tensor<1x3x1x3x4xf16>) -> tensor<3x3x1x1x4xf16>
  %ax3 = onnx.Constant dense<3> : tensor<1xi64>
  %qkvs = onnx.Squeeze %qkvt, %ax3 : (tensor<3x3x1x1x4xf16>, tensor<1xi64>) -> tensor<3x3x1x4xf16>
  %i0 = onnx.Constant dense<0> : tensor<i64>
  %i1 = onnx.Constant dense<1> : tensor<i64>
  %i2 = onnx.Constant dense<2> : tensor<i64>
  %q = onnx.Gather %qkvs, %i0 : (tensor<3x3x1x4xf16>, tensor<i64>) -> tensor<3x1x4xf16>
  %k = onnx.Gather %qkvs, %i1 : (tensor<3x3x1x4xf16>, tensor<i64>) -> tensor<3x1x4xf16>
  %v = onnx.Gather %qkvs, %i2 : (tensor<3x3x1x4xf16>, tensor<i64>) -> tensor<3x1x4xf16>
  %split = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split : (tensor<3x1x4xf16>, tensor<3xi64>) -> tensor<3x2x2xf16>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf16>) -> tensor<2x3x2xf16>
  %rsqrt = onnx.Constant dense<0.707106769> : tensor<f16>
  %qs = onnx.Mul %qt, %rsqrt : (tensor<2x3x2xf16>, tensor<f16>) -> tensor<2x3x2xf16>
  %kr = onnx.Reshape %k, %split : (tensor<3x1x4xf16>, tensor<3xi64>) -> tensor<3x2x2xf16>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf16>) -> tensor<2x2x3xf16>
  %vr = onnx.Reshape %v, %split : (tensor<3x1x4xf16>, tensor<3xi64>) -> tensor<3x2x2xf16>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf16>) -> tensor<2x3x2xf16>
  %s = onnx.MatMul %qs, %kt : (tensor<2x3x2xf16>, tensor<2x2x3xf16>) -> tensor<2x3x3xf16>
  %p = onnx.Softmax %s : tensor<2x3x3xf16>
  %o = onnx.MatMul %p, %vt : (tensor<2x3x3xf16>, tensor<2x3x2xf16>) -> tensor<2x3x2xf16>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x3x2xf16>) -> tensor<3x2x2xf16>
  %merge3 = onnx.Constant dense<[3, 1, 4]> : tensor<3xi64>
  %om3 = onnx.Reshape %ot, %merge3 : (tensor<3x2x2xf16>, tensor<3xi64>) -> tensor<3x1x4xf16>
  %proj = onnx.MatMul %om3, %wo : (tensor<3x1x4xf16>, tensor<4x4xf16>) -> tensor<3x1x4xf16>
  %offset = onnx.Constant dense<[2.0]> : tensor<1xf16>
  %out = onnx.Add %proj, %offset : (tensor<3x1x4xf16>, tensor<1xf16>) -> tensor<3x1x4xf16>
  return %out : tensor<3x1x4xf16>
}

// -----

// Tests that an additive mask of 0 and -1e9 per key, the same for every head
// and query, becomes the key padding mask [B, S] (true = padded).
// CHECK-LABEL: func.func @key_padding_mask
// CHECK: %[[MASK:.*]] = onnx.Constant dense<{{\[\[}}false, false, true]]> : tensor<1x3xi1>
// CHECK: intr.class_attention {{.*}} mask(%[[MASK]])
// CHECK-NOT: onnx.Softmax
func.func @key_padding_mask(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<[[[0.0, 0.0, -1.0e+09]], [[0.0, 0.0, -1.0e+09]]]> : tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a key padding mask given at run time, as torch exports
// nn.MultiheadAttention's key_padding_mask input (Where(pad, -inf, 0)
// broadcast over heads and queries by Reshape and Expand), becomes the op's
// mask operand: the condition itself.
// CHECK-LABEL: func.func @runtime_key_padding_mask
// CHECK-SAME: %[[PAD:[^:]*]]: tensor<1x3xi1>
// CHECK: intr.class_attention {{.*}} mask(%[[PAD]])
// CHECK-NOT: onnx.Softmax
func.func @runtime_key_padding_mask(%pad: tensor<1x3xi1>, %q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<1x3xf32>
  %where = onnx.Where %pad, %ninf, %zeros : (tensor<1x3xi1>, tensor<f32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  %to4d = onnx.Constant dense<[1, 1, 1, 3]> : tensor<4xi64>
  %m4 = onnx.Reshape %where, %to4d : (tensor<1x3xf32>, tensor<4xi64>) -> tensor<1x1x1x3xf32>
  %heads2 = onnx.Constant dense<[1, 2, 1, 1]> : tensor<4xi64>
  %mh = onnx.Expand %m4, %heads2 : (tensor<1x1x1x3xf32>, tensor<4xi64>) -> tensor<1x2x1x3xf32>
  %to3d = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %mask = onnx.Reshape %mh, %to3d : (tensor<1x2x1x3xf32>, tensor<3xi64>) -> tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a run-time mask with one row per head is kept (near miss: not
// one key padding mask per image).
// CHECK-LABEL: func.func @runtime_mask_per_head_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @runtime_mask_per_head_is_kept(%pad: tensor<2x3xi1>, %q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<2x3xf32>
  %where = onnx.Where %pad, %ninf, %zeros : (tensor<2x3xi1>, tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %to3d = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %mask = onnx.Reshape %where, %to3d : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a run-time Where between 0 and a finite bias is kept (near
// miss: not a mask; softmax does not turn 1.0 into 0).
// CHECK-LABEL: func.func @runtime_bias_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @runtime_bias_is_kept(%pad: tensor<2x3xi1>, %q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %ninf = onnx.Constant dense<1.0> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<2x3xf32>
  %where = onnx.Where %pad, %ninf, %zeros : (tensor<2x3xi1>, tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %to3d = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %mask = onnx.Reshape %where, %to3d : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a run-time mask whose broadcast gives heads different keys'
// conditions is kept (near miss: [1, 3] to [3, 1], expanded to [3, 2] and
// read as [2, 1, 3], so that head 0 gets keys 0, 0, 1 and head 1 keys 1,
// 2, 2): each key is followed through the chain, not only the shapes.
// CHECK-LABEL: func.func @runtime_mask_shuffled_by_heads_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @runtime_mask_shuffled_by_heads_is_kept(%pad: tensor<1x3xi1>, %q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<1x3xf32>
  %where = onnx.Where %pad, %ninf, %zeros : (tensor<1x3xi1>, tensor<f32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  %column = onnx.Constant dense<[3, 1]> : tensor<2xi64>
  %mc = onnx.Reshape %where, %column : (tensor<1x3xf32>, tensor<2xi64>) -> tensor<3x1xf32>
  %twice = onnx.Constant dense<[3, 2]> : tensor<2xi64>
  %m2 = onnx.Expand %mc, %twice : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %to3d = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %mask = onnx.Reshape %m2, %to3d : (tensor<3x2xf32>, tensor<3xi64>) -> tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a run-time mask broadcast through a shape not known at compile
// time is kept (near miss: its keys cannot be followed).
// CHECK-LABEL: func.func @runtime_mask_through_dynamic_shape_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @runtime_mask_through_dynamic_shape_is_kept(%pad: tensor<1x3xi1>, %q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %ninf = onnx.Constant dense<0xFF800000> : tensor<f32>
  %zeros = onnx.Constant dense<0.0> : tensor<1x3xf32>
  %where = onnx.Where %pad, %ninf, %zeros : (tensor<1x3xi1>, tensor<f32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  %flat = onnx.Constant dense<[-1]> : tensor<1xi64>
  %md = onnx.Reshape %where, %flat : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<?xf32>
  %to3d = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %mask = onnx.Reshape %md, %to3d : (tensor<?xf32>, tensor<3xi64>) -> tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a mask that differs between queries is kept (near miss: not a key
// padding mask).
// CHECK-LABEL: func.func @mask_per_query_is_kept
// CHECK-NOT: intr.class_attention
// CHECK-NOT: intr.mha
// CHECK: onnx.Softmax
func.func @mask_per_query_is_kept(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<[[[0.0, 0.0, -1.0e+09], [0.0, 0.0, 0.0]], [[0.0, 0.0, -1.0e+09], [0.0, 0.0, 0.0]]]> : tensor<2x2x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that an attention whose maps are read but whose keys and values come
// from different inputs is kept (near miss: not class attention).
// CHECK-LABEL: func.func @maps_of_two_memories_are_kept
// CHECK-NOT: intr.class_attention
// CHECK-NOT: intr.mha
// CHECK: onnx.Softmax
func.func @maps_of_two_memories_are_kept(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>, %mem2: tensor<3x1x4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %kvm2 = onnx.MatMul %mem2, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv2 = onnx.Add %kvm2, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv2, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<0.0> : tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a finite mask of every key of an image is kept (near miss:
// softmax averages such keys, a key padding mask gives NaN).
// CHECK-LABEL: func.func @finite_mask_of_every_key_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @finite_mask_of_every_key_is_kept(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<-1.0e+09> : tensor<2x1x3xf32>
  %sm = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that keys and values sliced from the packed projection by negative
// bounds (kv[..., -8:-4] and kv[..., -4:]) are its first and last D columns.
// CHECK-LABEL: func.func @packed_keys_by_negative_bounds
// CHECK: intr.class_attention
// CHECK-NOT: onnx.Softmax
func.func @packed_keys_by_negative_bounds(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<-8> : tensor<1xi64>
  %c4 = onnx.Constant dense<-4> : tensor<1xi64>
  %c8 = onnx.Constant dense<9223372036854775807> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %s : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that keys and values projected from memory of another feature size
// (nn.MultiheadAttention's kdim and vdim) are kept (near miss).
// CHECK-LABEL: func.func @memory_of_another_width_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @memory_of_another_width_is_kept(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x6xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<6x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x6xf32>, tensor<6x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %s : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}

// -----

// Tests that a negative factor after the mask, which turns it around, is not
// taken for the scores' scale (near miss).
// CHECK-LABEL: func.func @negative_factor_after_mask_is_kept
// CHECK-NOT: intr.class_attention
// CHECK: onnx.Softmax
func.func @negative_factor_after_mask_is_kept(%q_in: tensor<2x1x4xf32>, %mem: tensor<3x1x4xf32>, %wq: tensor<4x4xf32>, %bq: tensor<4xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<8xf32>, %wo: tensor<4x4xf32>, %bo: tensor<4xf32>) -> (tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>) {
  %qm = onnx.MatMul %q_in, %wq : (tensor<2x1x4xf32>, tensor<4x4xf32>) -> tensor<2x1x4xf32>
  %q = onnx.Add %qm, %bq : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %kvm = onnx.MatMul %mem, %wkv : (tensor<3x1x4xf32>, tensor<4x8xf32>) -> tensor<3x1x8xf32>
  %kv = onnx.Add %kvm, %bkv : (tensor<3x1x8xf32>, tensor<8xf32>) -> tensor<3x1x8xf32>
  %c0 = onnx.Constant dense<0> : tensor<1xi64>
  %c4 = onnx.Constant dense<4> : tensor<1xi64>
  %c8 = onnx.Constant dense<8> : tensor<1xi64>
  %last = onnx.Constant dense<-1> : tensor<1xi64>
  %none = onnx.NoValue
  %k = onnx.Slice %kv, %c0, %c4, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %v = onnx.Slice %kv, %c4, %c8, %last, %none : (tensor<3x1x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<3x1x4xf32>
  %split_q = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  %split_k = onnx.Constant dense<[3, 2, 2]> : tensor<3xi64>
  %qr = onnx.Reshape %q, %split_q : (tensor<2x1x4xf32>, tensor<3xi64>) -> tensor<2x2x2xf32>
  %qt = onnx.Transpose %qr {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sqrt = onnx.Constant dense<1.41421354> : tensor<f32>
  %qs = onnx.Div %qt, %sqrt : (tensor<2x2x2xf32>, tensor<f32>) -> tensor<2x2x2xf32>
  %kr = onnx.Reshape %k, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %kt = onnx.Transpose %kr {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xf32>) -> tensor<2x2x3xf32>
  %vr = onnx.Reshape %v, %split_k : (tensor<3x1x4xf32>, tensor<3xi64>) -> tensor<3x2x2xf32>
  %vt = onnx.Transpose %vr {perm = array<i64: 1, 0, 2>} : (tensor<3x2x2xf32>) -> tensor<2x3x2xf32>
  %s = onnx.MatMul %qs, %kt : (tensor<2x2x2xf32>, tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %mask = onnx.Constant dense<[[[0.0, 0.0, -1.0e+09]], [[0.0, 0.0, -1.0e+09]]]> : tensor<2x1x3xf32>
  %masked = onnx.Add %s, %mask : (tensor<2x2x3xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  %minus = onnx.Constant dense<-1.0> : tensor<f32>
  %sm = onnx.Mul %masked, %minus : (tensor<2x2x3xf32>, tensor<f32>) -> tensor<2x2x3xf32>
  %p = onnx.Softmax %sm : tensor<2x2x3xf32>
  %o = onnx.MatMul %p, %vt : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %ot = onnx.Transpose %o {perm = array<i64: 1, 0, 2>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %merge = onnx.Constant dense<[2, 4]> : tensor<2xi64>
  %om = onnx.Reshape %ot, %merge : (tensor<2x2x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %proj = onnx.Gemm %om, %wo, %bo {transB = 1 : si64} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %unmerge = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %out = onnx.Reshape %proj, %unmerge : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
  %split_maps = onnx.Constant dense<[1, 2, 2, 3]> : tensor<4xi64>
  %maps = onnx.Reshape %p, %split_maps : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<1x2x2x3xf32>
  %heads_axis = onnx.Constant dense<1> : tensor<1xi64>
  %sum = onnx.ReduceSum %maps, %heads_axis {keepdims = 0 : si64} : (tensor<1x2x2x3xf32>, tensor<1xi64>) -> tensor<1x2x3xf32>
  %heads = onnx.Constant dense<2.0> : tensor<f32>
  %mean = onnx.Div %sum, %heads : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  return %out, %maps, %mean : tensor<2x1x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xf32>
}
