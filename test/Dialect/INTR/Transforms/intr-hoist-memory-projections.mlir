// RUN: intr-opt %s -split-input-file --intr-hoist-memory-projections | FileCheck %s

// Tests that two layers over one memory share one linear whose weight
// stacks K and V of layer 0, then K and V of layer 1 (D = 2: rows of 1s,
// 2s, 3s, 4s), and that each layer reads its slices at offsets 0/2 and 4/6
// after a linear of its own queries.
// CHECK-LABEL: func.func @two_layers
// CHECK:      %[[W:.*]] = onnx.Constant dense<{{\[\[}}1.000000e+00, 1.000000e+00], [1.000000e+00, 1.000000e+00], [2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00], [3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00], [4.000000e+00, 4.000000e+00], [4.000000e+00, 4.000000e+00]]> : tensor<8x2xf32>
// CHECK:      %[[B:.*]] = onnx.Constant dense<[5.000000e+00, 5.000000e+00, 6.000000e+00, 6.000000e+00, 7.000000e+00, 7.000000e+00, 8.000000e+00, 8.000000e+00]> : tensor<8xf32>
// CHECK:      %[[KV:.*]] = intr.linear %arg1, %[[W]], %[[B]] : (tensor<1x4x2xf32>, tensor<8x2xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
// CHECK:      %[[Q0:.*]] = intr.linear %arg0, %arg2, %arg3
// CHECK:      %[[O0:.*]], %{{.*}}, %{{.*}} = intr.class_attention_kv %[[Q0]], %[[KV]] out(%arg2, %arg3) {feature_map = array<i64: 2, 2>, key_offset = 0 : i64, num_heads = 1 : i64, value_offset = 2 : i64}
// CHECK:      %[[Q1:.*]] = intr.linear %[[O0]], %arg2, %arg3
// CHECK:      intr.class_attention_kv %[[Q1]], %[[KV]] out(%arg2, %arg3) {feature_map = array<i64: 2, 2>, key_offset = 4 : i64, num_heads = 1 : i64, value_offset = 6 : i64}
// CHECK-NOT:  intr.class_attention %
func.func @two_layers(%q: tensor<1x3x2xf32>, %mem: tensor<1x4x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>)
    -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x1x3x4xf32>) {
  %k0 = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %v0 = onnx.Constant dense<2.0> : tensor<2x2xf32>
  %k1 = onnx.Constant dense<3.0> : tensor<2x2xf32>
  %v1 = onnx.Constant dense<4.0> : tensor<2x2xf32>
  %bk0 = onnx.Constant dense<5.0> : tensor<2xf32>
  %bv0 = onnx.Constant dense<6.0> : tensor<2xf32>
  %bk1 = onnx.Constant dense<7.0> : tensor<2xf32>
  %bv1 = onnx.Constant dense<8.0> : tensor<2xf32>
  %o0, %p0, %m0 = intr.class_attention %q, %mem q(%w, %b) k(%k0, %bk0) v(%v0, %bv0) out(%w, %b)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  %o1, %p1, %m1 = intr.class_attention %o0, %mem q(%w, %b) k(%k1, %bk1) v(%v1, %bv1) out(%w, %b)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %o1, %p0, %p1 : tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x1x3x4xf32>
}

// -----

// Tests that layers over different memories get a linear each.
// CHECK-LABEL: func.func @two_memories
// CHECK-COUNT-2: intr.linear %arg{{[12]}}, %{{.*}} -> tensor<1x4x4xf32>
// CHECK-NOT:     -> tensor<1x4x4xf32>
// CHECK-COUNT-2: intr.class_attention_kv
func.func @two_memories(%q: tensor<3x2xf32>, %mem0: tensor<1x4x2xf32>, %mem1: tensor<1x4x2xf32>)
    -> (tensor<1x3x2xf32>, tensor<1x3x2xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %mask0 = onnx.Constant dense<false> : tensor<1x4xi1>
  %mask1 = onnx.Constant dense<false> : tensor<1x4xi1>
  %o0, %p0, %m0 = intr.class_attention %q, %mem0 q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask0)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x4xi1>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  %o1, %p1, %m1 = intr.class_attention %q, %mem1 q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask1)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x4xi1>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %o0, %o1 : tensor<1x3x2xf32>, tensor<1x3x2xf32>
}

// -----

// Tests that equal constant masks, one copy per layer, count as the same
// mask: one linear serves both layers.
// CHECK-LABEL: func.func @equal_masks
// CHECK:       intr.linear %arg1, %{{.*}} -> tensor<1x4x8xf32>
// CHECK-NOT:   -> tensor<1x4x8xf32>
// CHECK-COUNT-2: intr.class_attention_kv
func.func @equal_masks(%q: tensor<3x2xf32>, %mem: tensor<1x4x2xf32>)
    -> (tensor<1x3x2xf32>, tensor<1x3x2xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %mask0 = onnx.Constant dense<[[false, false, true, true]]> : tensor<1x4xi1>
  %mask1 = onnx.Constant dense<[[false, false, true, true]]> : tensor<1x4xi1>
  %o0, %p0, %m0 = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask0)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x4xi1>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  %o1, %p1, %m1 = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask1)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x4xi1>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %o0, %o1 : tensor<1x3x2xf32>, tensor<1x3x2xf32>
}

// -----

// Tests that a key weight that is not a constant leaves the layers alone.
// CHECK-LABEL: func.func @weights_not_constant
// CHECK-NOT:   intr.class_attention_kv
// CHECK:       intr.class_attention %
func.func @weights_not_constant(%q: tensor<1x3x2xf32>, %mem: tensor<1x4x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>)
    -> tensor<1x3x2xf32> {
  %o, %p, %m = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %o : tensor<1x3x2xf32>
}

// -----

// Tests that an mha over the same memory as a class attention (a layer
// whose maps are not returned, raised as mha) joins it: one linear stacks
// both layers' K and V, and the mha becomes a class_attention_kv with the
// class attention's feature map and its scale, whose maps nobody reads.
// CHECK-LABEL: func.func @mha_joins
// CHECK:      %[[KV:.*]] = intr.linear %arg1, %{{.*}} -> tensor<1x4x8xf32>
// CHECK:      %[[Q0:.*]] = intr.linear %arg0, %arg2, %arg3
// CHECK:      %[[O0:.*]], %{{.*}}, %{{.*}} = intr.class_attention_kv %[[Q0]], %[[KV]] out(%arg2, %arg3) {feature_map = array<i64: 2, 2>, key_offset = 0 : i64, num_heads = 1 : i64, scale = 2.500000e-01 : f64, value_offset = 2 : i64} : {{.*}} -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
// CHECK:      %[[Q1:.*]] = intr.linear %[[O0]], %arg2, %arg3
// CHECK:      %[[O1:.*]], %[[P1:.*]], %{{.*}} = intr.class_attention_kv %[[Q1]], %[[KV]] out(%arg2, %arg3) {feature_map = array<i64: 2, 2>, key_offset = 4 : i64
// CHECK-NOT:  intr.mha
// CHECK:      return %[[O1]], %[[P1]]
func.func @mha_joins(%q: tensor<1x3x2xf32>, %mem: tensor<1x4x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>)
    -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>) {
  %k = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %bk = onnx.Constant dense<5.0> : tensor<2xf32>
  %o0 = intr.mha %q, %mem, %mem q(%w, %b) k(%k, %bk) v(%k, %bk) out(%w, %b)
      {num_heads = 1 : i64, scale = 0.25 : f64}
      : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x3x2xf32>
  %o1, %p1, %m1 = intr.class_attention %o0, %mem q(%w, %b) k(%k, %bk) v(%k, %bk) out(%w, %b)
      {feature_map = array<i64: 2, 2>, num_heads = 1 : i64}
      : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> (tensor<1x3x2xf32>, tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %o1, %p1 : tensor<1x3x2xf32>, tensor<1x1x3x4xf32>
}

// -----

// Tests the mhas left alone: a self-attention (its keys are its queries,
// not the memory), a sequence-first one (class_attention_kv is batch
// first), and a group of mhas with no class attention to give them a
// feature map.
// CHECK-LABEL: func.func @mha_left_alone
// CHECK-COUNT-3: intr.mha
// CHECK-NOT:     intr.class_attention_kv
func.func @mha_left_alone(%q: tensor<1x4x2xf32>, %mem: tensor<1x4x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>, %mem2: tensor<4x1x2xf32>)
    -> (tensor<1x4x2xf32>, tensor<4x1x2xf32>, tensor<1x4x2xf32>) {
  %k = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %self = intr.mha %q, %q, %mem q(%w, %b) k(%k, %b) v(%k, %b) out(%w, %b)
      {num_heads = 1 : i64}
      : (tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x4x2xf32>
  %first = intr.mha %mem2, %mem2, %mem2 q(%w, %b) k(%k, %b) v(%k, %b) out(%w, %b)
      {num_heads = 1 : i64, sequence_first = true}
      : (tensor<4x1x2xf32>, tensor<4x1x2xf32>, tensor<4x1x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<4x1x2xf32>
  %alone = intr.mha %q, %mem, %mem q(%w, %b) k(%k, %b) v(%k, %b) out(%w, %b)
      {num_heads = 1 : i64}
      : (tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<1x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>,
         tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>)
      -> tensor<1x4x2xf32>
  return %self, %first, %alone : tensor<1x4x2xf32>, tensor<4x1x2xf32>, tensor<1x4x2xf32>
}
