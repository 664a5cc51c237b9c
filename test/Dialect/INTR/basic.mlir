// RUN: intr-opt %s | intr-opt | FileCheck %s
// RUN: intr-opt %s --mlir-print-op-generic | intr-opt | FileCheck %s

// Tests that class_attention round-trips with batched queries, the full-size
// model's shapes and the default scale.
// CHECK-LABEL: func.func @class_attention_full_size
// CHECK: %out, %probs, %mean_probs = intr.class_attention %arg0, %arg1 q(%arg2, %arg3) k(%arg2, %arg3) v(%arg2, %arg3) out(%arg2, %arg3)
// CHECK-SAME: feature_map = array<i64: 25, 38>
// CHECK-SAME: num_heads = 8 : i64
// CHECK-SAME: -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>)
func.func @class_attention_full_size(%q: tensor<1x200x256xf32>, %mem: tensor<1x950x256xf32>,
    %w: tensor<256x256xf32>, %b: tensor<256xf32>)
    -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>) {
  %out, %probs, %mean = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 25, 38>, num_heads = 8 : i64}
      : (tensor<1x200x256xf32>, tensor<1x950x256xf32>, tensor<256x256xf32>, tensor<256xf32>,
         tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>,
         tensor<256x256xf32>, tensor<256xf32>)
      -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>)
  return %out, %probs, %mean : tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>
}

// Tests rank-2 queries broadcast over a batch of 2, a key-padding mask, an
// explicit scale, and f32 maps of an f16 computation.
// CHECK-LABEL: func.func @class_attention_broadcast_masked
// CHECK: intr.class_attention %arg0, %arg1 q(%arg2, %arg3) k(%arg2, %arg3) v(%arg2, %arg3) out(%arg2, %arg3) mask(%arg4)
// CHECK-SAME: scale = 1.250000e-01 : f64
// CHECK-SAME: -> (tensor<2x5x32xf16>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
func.func @class_attention_broadcast_masked(%q: tensor<5x32xf16>, %mem: tensor<2x12x32xf16>,
    %w: tensor<32x32xf16>, %b: tensor<32xf16>, %mask: tensor<2x12xi1>)
    -> (tensor<2x5x32xf16>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>) {
  %out, %probs, %mean = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64, scale = 0.125 : f64}
      : (tensor<5x32xf16>, tensor<2x12x32xf16>, tensor<32x32xf16>, tensor<32xf16>,
         tensor<32x32xf16>, tensor<32xf16>, tensor<32x32xf16>, tensor<32xf16>,
         tensor<32x32xf16>, tensor<32xf16>, tensor<2x12xi1>)
      -> (tensor<2x5x32xf16>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return %out, %probs, %mean : tensor<2x5x32xf16>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>
}

// Tests that dynamic sizes are accepted before shapes are specialized.
// CHECK-LABEL: func.func @class_attention_dynamic
// CHECK: intr.class_attention
// CHECK-SAME: -> (tensor<?x7x16xf32>, tensor<?x2x7x?xf32>, tensor<?x7x?xf32>)
func.func @class_attention_dynamic(%q: tensor<7x16xf32>, %mem: tensor<?x?x16xf32>,
    %w: tensor<16x16xf32>, %b: tensor<16xf32>)
    -> (tensor<?x7x16xf32>, tensor<?x2x7x?xf32>, tensor<?x7x?xf32>) {
  %out, %probs, %mean = intr.class_attention %q, %mem q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 3>, num_heads = 2 : i64}
      : (tensor<7x16xf32>, tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<16x16xf32>, tensor<16xf32>)
      -> (tensor<?x7x16xf32>, tensor<?x2x7x?xf32>, tensor<?x7x?xf32>)
  return %out, %probs, %mean : tensor<?x7x16xf32>, tensor<?x2x7x?xf32>, tensor<?x7x?xf32>
}

// Tests the encoder's self-attention form of mha (q = k, separate v).
// CHECK-LABEL: func.func @mha_encoder
// CHECK: intr.mha %arg0, %arg0, %arg1 q(%arg2, %arg3) k(%arg2, %arg3) v(%arg2, %arg3) out(%arg2, %arg3)
// CHECK-SAME: {num_heads = 8 : i64}
// CHECK-SAME: -> tensor<1x950x256xf32>
func.func @mha_encoder(%qk: tensor<1x950x256xf32>, %src: tensor<1x950x256xf32>,
    %w: tensor<256x256xf32>, %b: tensor<256xf32>) -> tensor<1x950x256xf32> {
  %out = intr.mha %qk, %qk, %src q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) {num_heads = 8 : i64}
      : (tensor<1x950x256xf32>, tensor<1x950x256xf32>, tensor<1x950x256xf32>,
         tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>,
         tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>)
      -> tensor<1x950x256xf32>
  return %out : tensor<1x950x256xf32>
}

// Tests sequence-first mha: [S, B, D] queries, [L, B, D] keys and values,
// an [S, B, D] result and a [B, L] mask.
// CHECK-LABEL: func.func @mha_sequence_first
// CHECK: intr.mha %arg0, %arg1, %arg1 {{.*}} mask(%arg4) {num_heads = 2 : i64, sequence_first = true}
// CHECK-SAME: -> tensor<5x3x8xf32>
func.func @mha_sequence_first(%q: tensor<5x3x8xf32>, %kv: tensor<6x3x8xf32>,
    %w: tensor<8x8xf32>, %b: tensor<8xf32>, %mask: tensor<3x6xi1>) -> tensor<5x3x8xf32> {
  %out = intr.mha %q, %kv, %kv q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask)
      {num_heads = 2 : i64, sequence_first = true}
      : (tensor<5x3x8xf32>, tensor<6x3x8xf32>, tensor<6x3x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<3x6xi1>)
      -> tensor<5x3x8xf32>
  return %out : tensor<5x3x8xf32>
}

// Tests mha with rank-2 queries broadcast over a batch of 3 and a mask.
// CHECK-LABEL: func.func @mha_broadcast_masked
// CHECK: intr.mha %arg0, %arg1, %arg1 {{.*}} mask(%arg4) {num_heads = 2 : i64, scale = 5.000000e-01 : f64}
// CHECK-SAME: -> tensor<3x5x8xf32>
func.func @mha_broadcast_masked(%q: tensor<5x8xf32>, %kv: tensor<3x6x8xf32>,
    %w: tensor<8x8xf32>, %b: tensor<8xf32>, %mask: tensor<3x6xi1>) -> tensor<3x5x8xf32> {
  %out = intr.mha %q, %kv, %kv q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b) mask(%mask)
      {num_heads = 2 : i64, scale = 0.5 : f64}
      : (tensor<5x8xf32>, tensor<3x6x8xf32>, tensor<3x6x8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<3x6xi1>)
      -> tensor<3x5x8xf32>
  return %out : tensor<3x5x8xf32>
}

// Tests that mha_qkv round-trips, sequence first, with a mask, and that a
// linear takes a positional bias (varying along the sequence).
// CHECK-LABEL: func.func @mha_qkv
// CHECK: %[[QKV:.*]] = intr.linear %arg0, %arg1, %arg2 : (tensor<950x2x256xf32>, tensor<768x256xf32>, tensor<950x1x768xf32>) -> tensor<950x2x768xf32>
// CHECK: intr.mha_qkv %[[QKV]] out(%arg3, %arg4) mask(%arg5) {num_heads = 8 : i64, sequence_first = true}
func.func @mha_qkv(%x: tensor<950x2x256xf32>, %w: tensor<768x256xf32>,
    %c: tensor<950x1x768xf32>, %wo: tensor<256x256xf32>, %bo: tensor<256xf32>,
    %mask: tensor<2x950xi1>) -> tensor<950x2x256xf32> {
  %qkv = intr.linear %x, %w, %c
      : (tensor<950x2x256xf32>, tensor<768x256xf32>, tensor<950x1x768xf32>) -> tensor<950x2x768xf32>
  %out = intr.mha_qkv %qkv out(%wo, %bo) mask(%mask) {num_heads = 8 : i64, sequence_first = true}
      : (tensor<950x2x768xf32>, tensor<256x256xf32>, tensor<256xf32>, tensor<2x950xi1>) -> tensor<950x2x256xf32>
  return %out : tensor<950x2x256xf32>
}

// Tests that class_attention_kv round-trips with shared queries and a mask.
// CHECK-LABEL: func.func @class_attention_kv
// CHECK: intr.class_attention_kv %arg0, %arg1 out(%arg2, %arg3) mask(%arg4) {feature_map = array<i64: 25, 38>, key_offset = 512 : i64, num_heads = 8 : i64, value_offset = 768 : i64}
func.func @class_attention_kv(%q: tensor<200x256xf32>, %kv: tensor<2x950x3072xf32>,
    %w: tensor<256x256xf32>, %b: tensor<256xf32>, %mask: tensor<2x950xi1>)
    -> (tensor<2x200x256xf32>, tensor<2x8x200x950xf32>, tensor<2x200x950xf32>) {
  %out, %probs, %mean = intr.class_attention_kv %q, %kv out(%w, %b) mask(%mask)
      {feature_map = array<i64: 25, 38>, key_offset = 512 : i64, num_heads = 8 : i64, value_offset = 768 : i64}
      : (tensor<200x256xf32>, tensor<2x950x3072xf32>, tensor<256x256xf32>, tensor<256xf32>, tensor<2x950xi1>)
      -> (tensor<2x200x256xf32>, tensor<2x8x200x950xf32>, tensor<2x200x950xf32>)
  return %out, %probs, %mean : tensor<2x200x256xf32>, tensor<2x8x200x950xf32>, tensor<2x200x950xf32>
}
