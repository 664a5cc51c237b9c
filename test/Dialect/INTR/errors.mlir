// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Every message of the intr.class_attention, intr.mha and intr.mha_qkv
// verifiers.

//===----------------------------------------------------------------------===//
// intr.class_attention
//===----------------------------------------------------------------------===//

// -----

// Tests that queries of rank 4 are rejected.
func.func @f(%queries: tensor<1x2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op queries must be [C, D] or [B, C, D], got rank 4 [1, 2, 5, 32]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<1x2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that memory of rank 2 is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op memory must be [B, T, D], got rank 2 [12, 32]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that memory in another element type is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf16>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op element type of memory (f16) differs from queries (f32)}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf16>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a weight in another element type is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xbf16>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op element type of v_weight (bf16) differs from queries (f32)}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xbf16>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that memory with another feature size is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x16xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op feature size of memory (16) differs from queries (32)}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x16xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that memory with another batch is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<3x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op batch of memory (3) differs from queries (2)}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<3x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that zero heads are rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op num_heads must be positive, got 0}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 0 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a feature size not divisible by the heads is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op feature size D = 32 is not divisible by num_heads = 3}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 3 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a negative scale is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op scale must be positive and finite, got -0.125000}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64, scale = -0.125 : f64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that an infinite scale is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op scale must be positive and finite, got inf}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64, scale = 0x7FF0000000000000 : f64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a projection weight of the wrong shape is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x16xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op q_weight must be [D, D] = [32, 32], got [32, 16]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that the output projection's weight is checked too.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op out_weight must be [D, D] = [32, 32], got [32]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a projection bias of the wrong shape is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<64xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op k_bias must be [D] = [32], got [64]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<64xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a mask of rank 1 is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>, %mask: tensor<12xi1>) {
  // expected-error @+1 {{'intr.class_attention' op key_padding_mask must be [B, L], got rank 1 [12]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb) mask(%mask)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<12xi1>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a mask over another number of tokens is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>, %mask: tensor<2x13xi1>) {
  // expected-error @+1 {{'intr.class_attention' op key_padding_mask must be [B, L] = [2, 12], got [2, 13]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb) mask(%mask)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<2x13xi1>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a mask of another element type fails the operand constraint.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>, %mask: tensor<2x12xf32>) {
  // expected-error @+1 {{operand #10 must be ranked tensor of 1-bit signless integer values}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb) mask(%mask)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<2x12xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a feature map of three sizes is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op feature_map must be [h, w], got 3 sizes}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 2, 2>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a feature map with a zero size is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op feature_map sizes must be positive, got [0, 12]}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 0, 12>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a feature map that does not cover T tokens is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.class_attention' op feature_map 3x5 has 15 tokens but memory has T = 12}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 5>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that a probs result with the wrong number of heads is rejected.
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.class_attention' op inferred type(s) 'tensor<2x5x32xf32>', 'tensor<2x4x5x12xf32>', 'tensor<2x5x12xf32>' are incompatible with return type(s) of operation 'tensor<2x5x32xf32>', 'tensor<2x8x5x12xf32>', 'tensor<2x5x12xf32>'}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf32>, tensor<2x8x5x12xf32>, tensor<2x5x12xf32>)
  return
}

// -----

// Tests that out must keep the computation's element type (only the maps may differ).
func.func @f(%queries: tensor<2x5x32xf32>, %memory: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.class_attention' op inferred type(s) 'tensor<2x5x32xf32>', 'tensor<2x4x5x12xf32>', 'tensor<2x5x12xf32>' are incompatible with return type(s) of operation 'tensor<2x5x32xf16>', 'tensor<2x4x5x12xf32>', 'tensor<2x5x12xf32>'}}
  %0:3 = intr.class_attention %queries, %memory q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {feature_map = array<i64: 3, 4>, num_heads = 4 : i64}
      : (tensor<2x5x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> (tensor<2x5x32xf16>, tensor<2x4x5x12xf32>, tensor<2x5x12xf32>)
  return
}

//===----------------------------------------------------------------------===//
// intr.mha
//===----------------------------------------------------------------------===//

// -----

// Tests that a query of rank 1 is rejected.
func.func @f(%query: tensor<32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op query must be [S, D] or [B, S, D], got rank 1 [32]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that sequence first, the batch is read from the keys' second axis:
// a batch-first query no longer agrees, and the layouts are spelled
// sequence first.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<12x2x32xf32>, %value: tensor<12x2x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op batch of key (2) differs from query (6)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64, sequence_first = true}
      : (tensor<2x6x32xf32>, tensor<12x2x32xf32>, tensor<12x2x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a sequence-first key of rank 2 is rejected in its layout.
func.func @f(%query: tensor<6x2x32xf32>, %key: tensor<12x32xf32>, %value: tensor<12x2x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op key must be [L, B, D], got rank 2 [12, 32]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64, sequence_first = true}
      : (tensor<6x2x32xf32>, tensor<12x32xf32>, tensor<12x2x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<6x2x32xf32>
  return
}

// -----

// Tests that a key of rank 2 is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op key must be [B, L, D], got rank 2 [12, 32]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a value of rank 4 is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<1x2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op value must be [B, L, D], got rank 4 [1, 2, 12, 32]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<1x2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a key in another element type is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf16>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op element type of key (f16) differs from query (f32)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf16>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a key with another feature size is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x16xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op feature size of key (16) differs from query (32)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x16xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a value with another feature size is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x64xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op feature size of value (64) differs from query (32)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x64xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that keys and values of different lengths are rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x13x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op length of value (13) differs from key (12)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x13x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that keys and values of different batches are rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<1x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op batch of value (1) differs from key (2)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<1x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a query batch that differs from the keys' is rejected.
func.func @f(%query: tensor<3x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op batch of key (2) differs from query (3)}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<3x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a feature size not divisible by the heads is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op feature size D = 32 is not divisible by num_heads = 5}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 5 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a zero scale is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+1 {{'intr.mha' op scale must be positive and finite, got 0.000000}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64, scale = 0.0 : f64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that an output bias of the wrong shape is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<1x32xf32>) {
  // expected-error @+1 {{'intr.mha' op out_bias must be [D] = [32], got [1, 32]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<1x32xf32>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a mask over the queries instead of the keys is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>, %mask: tensor<2x6xi1>) {
  // expected-error @+1 {{'intr.mha' op key_padding_mask must be [B, L] = [2, 12], got [2, 6]}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb) mask(%mask)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<2x6xi1>)
      -> tensor<2x6x32xf32>
  return
}

// -----

// Tests that a result of the wrong length is rejected.
func.func @f(%query: tensor<2x6x32xf32>, %key: tensor<2x12x32xf32>, %value: tensor<2x12x32xf32>, %qw: tensor<32x32xf32>, %kw: tensor<32x32xf32>, %vw: tensor<32x32xf32>, %outw: tensor<32x32xf32>, %qb: tensor<32xf32>, %kb: tensor<32xf32>, %vb: tensor<32xf32>, %outb: tensor<32xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.mha' op inferred type(s) 'tensor<2x6x32xf32>' are incompatible with return type(s) of operation 'tensor<2x12x32xf32>'}}
  %0 = intr.mha %query, %key, %value q(%qw, %qb) k(%kw, %kb) v(%vw, %vb) out(%outw, %outb)
      {num_heads = 4 : i64}
      : (tensor<2x6x32xf32>, tensor<2x12x32xf32>, tensor<2x12x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>)
      -> tensor<2x12x32xf32>
  return
}

// -----

// Tests that class_attention_kv's value slice must lie inside kv.
func.func @kv_value_offset_outside(%q: tensor<1x3x4xf32>, %kv: tensor<1x6x8xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{value_offset 6 puts 4 features outside kv's last dimension of 8}}
  %o, %p, %m = intr.class_attention_kv %q, %kv out(%w, %b)
      {feature_map = array<i64: 2, 3>, key_offset = 0 : i64, num_heads = 2 : i64, value_offset = 6 : i64}
      : (tensor<1x3x4xf32>, tensor<1x6x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> (tensor<1x3x4xf32>, tensor<1x2x3x6xf32>, tensor<1x3x6xf32>)
  return
}

// -----

// Tests that class_attention_kv checks its feature map against kv's tokens.
func.func @kv_feature_map(%q: tensor<1x3x4xf32>, %kv: tensor<1x6x8xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{feature_map 2x2 has 4 tokens but kv has T = 6}}
  %o, %p, %m = intr.class_attention_kv %q, %kv out(%w, %b)
      {feature_map = array<i64: 2, 2>, key_offset = 0 : i64, num_heads = 2 : i64, value_offset = 4 : i64}
      : (tensor<1x3x4xf32>, tensor<1x6x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> (tensor<1x3x4xf32>, tensor<1x2x3x6xf32>, tensor<1x3x6xf32>)
  return
}

// -----

// Tests that class_attention_kv's output projection must be [D, D].
func.func @kv_out_weight(%q: tensor<1x3x4xf32>, %kv: tensor<1x6x8xf32>, %w: tensor<4x2xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{out_weight must be [D, D] = [4, 4], got [4, 2]}}
  %o, %p, %m = intr.class_attention_kv %q, %kv out(%w, %b)
      {feature_map = array<i64: 2, 3>, key_offset = 0 : i64, num_heads = 2 : i64, value_offset = 4 : i64}
      : (tensor<1x3x4xf32>, tensor<1x6x8xf32>, tensor<4x2xf32>, tensor<4xf32>)
      -> (tensor<1x3x4xf32>, tensor<1x2x3x6xf32>, tensor<1x3x6xf32>)
  return
}

// -----

// Tests that a negative key offset is refused, not wrapped around.
func.func @kv_negative_key_offset(%q: tensor<1x3x4xf32>, %kv: tensor<1x6x8xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{key_offset -1 puts 4 features outside kv's last dimension of 8}}
  %o, %p, %m = intr.class_attention_kv %q, %kv out(%w, %b)
      {feature_map = array<i64: 2, 3>, key_offset = -1 : i64, num_heads = 2 : i64, value_offset = 4 : i64}
      : (tensor<1x3x4xf32>, tensor<1x6x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> (tensor<1x3x4xf32>, tensor<1x2x3x6xf32>, tensor<1x3x6xf32>)
  return
}

//===----------------------------------------------------------------------===//
// intr.mha_qkv
//===----------------------------------------------------------------------===//

// -----

// Tests that qkv must be rank 3.
func.func @f(%qkv: tensor<950x768xf32>, %w: tensor<256x256xf32>, %b: tensor<256xf32>) {
  // expected-error @+1 {{'intr.mha_qkv' op qkv must be [B, S, 3D], got rank 2 [950, 768]}}
  %0 = intr.mha_qkv %qkv out(%w, %b) {num_heads = 8 : i64}
      : (tensor<950x768xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x950x256xf32>
  return
}

// -----

// Tests that qkv's last dimension must be 3D.
func.func @f(%qkv: tensor<950x1x512xf32>, %w: tensor<256x256xf32>, %b: tensor<256xf32>) {
  // expected-error @+1 {{'intr.mha_qkv' op qkv's last dimension (512) must be 3D, with D = 256 from out_bias}}
  %0 = intr.mha_qkv %qkv out(%w, %b) {num_heads = 8 : i64, sequence_first = true}
      : (tensor<950x1x512xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<950x1x256xf32>
  return
}

// -----

// Tests that the mask is [B, S]: sequence first, B is qkv's second size.
func.func @f(%qkv: tensor<950x2x768xf32>, %w: tensor<256x256xf32>, %b: tensor<256xf32>, %mask: tensor<950x2xi1>) {
  // expected-error @+1 {{'intr.mha_qkv' op key_padding_mask must be [B, L] = [2, 950], got [950, 2]}}
  %0 = intr.mha_qkv %qkv out(%w, %b) mask(%mask) {num_heads = 8 : i64, sequence_first = true}
      : (tensor<950x2x768xf32>, tensor<256x256xf32>, tensor<256xf32>, tensor<950x2xi1>) -> tensor<950x2x256xf32>
  return
}

// -----

// Tests that num_heads must divide D.
func.func @f(%qkv: tensor<1x950x768xf32>, %w: tensor<256x256xf32>, %b: tensor<256xf32>) {
  // expected-error @+1 {{'intr.mha_qkv' op feature size D = 256 is not divisible by num_heads = 3}}
  %0 = intr.mha_qkv %qkv out(%w, %b) {num_heads = 3 : i64}
      : (tensor<1x950x768xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x950x256xf32>
  return
}

// -----

// Tests that qkv's last dimension must be a multiple of 3 when out_bias
// does not give D.
func.func @f(%qkv: tensor<1x950x700xf32>, %w: tensor<?x?xf32>, %b: tensor<?xf32>) {
  // expected-error @+1 {{'intr.mha_qkv' op qkv's last dimension (700) must be 3D}}
  %0 = intr.mha_qkv %qkv out(%w, %b) {num_heads = 8 : i64}
      : (tensor<1x950x700xf32>, tensor<?x?xf32>, tensor<?xf32>) -> tensor<1x950x?xf32>
  return
}
