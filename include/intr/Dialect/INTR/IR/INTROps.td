//===- INTROps.td - Operations of the intr dialect ---------*- tablegen -*-===//
//
// Attention operations. Both follow torch.nn.MultiheadAttention: projection
// weights are [out_features, in_features] (y = x W^T + b), heads split the
// feature dimension into num_heads contiguous slices of D / num_heads.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_INTR_IR_INTROPS_TD
#define INTR_DIALECT_INTR_IR_INTROPS_TD

include "intr/Dialect/INTR/IR/INTRDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def INTR_FloatTensor : RankedTensorOf<[AnyFloat]>;
def INTR_MaskTensor : RankedTensorOf<[I1]>;

//===----------------------------------------------------------------------===//
// ClassAttentionOp
//===----------------------------------------------------------------------===//

def INTR_ClassAttentionOp : INTR_Op<"class_attention", [
    Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "class-query cross-attention that returns its probabilities";
  let description = [{
    Multi-head cross-attention from C learned class queries to the T tokens of
    an image's feature map, as in every decoder layer of INTR. With
    D = feature size, H = `num_heads`, dh = D / H:

    ```
    Q = queries · q_weightᵀ + q_bias        [B, C, D] -> H heads of [C, dh]
    K = memory  · k_weightᵀ + k_bias        [B, T, D] -> H heads of [T, dh]
    V = memory  · v_weightᵀ + v_bias        [B, T, D] -> H heads of [T, dh]
    probs[b, h]   = softmax_T(scale · Q_h K_hᵀ + mask)           [B, H, C, T]
    mean_probs    = mean over h of probs                          [B, C, T]
    out           = concat_h(probs[b, h] · V_h) · out_weightᵀ + out_bias
    ```

    `queries` is [B, C, D], or [C, D] when the same queries serve every image
    of the batch. `key_padding_mask`, when present, is [B, T] and true marks a
    padded token, which gets probability zero (a row whose tokens are all
    padded has no defined softmax, as in PyTorch). `scale` defaults to
    1 / sqrt(dh). `feature_map` = [h, w] is the feature map's size, h * w = T,
    so that a probability row can be drawn as an h x w image.

    `probs` and `mean_probs` may be stored in a float type other than the
    computation's (for example f32 maps of an f16 model); their shapes are
    inferred. A map that nobody reads is not stored: the plan gives that
    result no buffer (`plan.none`), and the kernels compute the head mean
    without writing the heads' maps (`intr-drop-unused-maps` makes an
    `intr.mha` of one whose maps nobody reads at all).

    Example (a decoder layer of the full-size model, 200 classes, 800x1216):

    ```mlir
    %out, %probs, %mean = intr.class_attention %queries, %memory
        q(%wq, %bq) k(%wk, %bk) v(%wv, %bv) out(%wo, %bo)
        {feature_map = array<i64: 25, 38>, num_heads = 8 : i64}
        : (tensor<1x200x256xf32>, tensor<1x950x256xf32>,
           tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>,
           tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>,
           tensor<256x256xf32>, tensor<256xf32>)
        -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>,
            tensor<1x200x950xf32>)
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$queries,
    INTR_FloatTensor:$memory,
    INTR_FloatTensor:$q_weight, INTR_FloatTensor:$q_bias,
    INTR_FloatTensor:$k_weight, INTR_FloatTensor:$k_bias,
    INTR_FloatTensor:$v_weight, INTR_FloatTensor:$v_bias,
    INTR_FloatTensor:$out_weight, INTR_FloatTensor:$out_bias,
    Optional<INTR_MaskTensor>:$key_padding_mask,
    I64Attr:$num_heads,
    OptionalAttr<F64Attr>:$scale,
    DenseI64ArrayAttr:$feature_map
  );

  let results = (outs
    INTR_FloatTensor:$out,
    INTR_FloatTensor:$probs,
    INTR_FloatTensor:$mean_probs
  );

  let assemblyFormat = [{
    $queries `,` $memory
    `q` `(` $q_weight `,` $q_bias `)`
    `k` `(` $k_weight `,` $k_bias `)`
    `v` `(` $v_weight `,` $v_bias `)`
    `out` `(` $out_weight `,` $out_bias `)`
    (`mask` `(` $key_padding_mask^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The scale applied to Q·Kᵀ: the attribute, or 1 / sqrt(D / num_heads).
    double getEffectiveScale();
  }];
}

//===----------------------------------------------------------------------===//
// ClassAttentionKVOp
//===----------------------------------------------------------------------===//

def INTR_ClassAttentionKVOp : INTR_Op<"class_attention_kv", [
    Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "class attention over queries, keys and values already "
                "projected";
  let description = [{
    `intr.class_attention` after `--intr-hoist-memory-projections`: the
    projection of the memory into keys and values has moved out, into one
    `intr.linear` that serves every decoder layer, and so has the
    projection of the queries. `kv` is [B, T, N]; this layer's keys are
    `kv[:, :, key_offset : key_offset + D]` and its values
    `kv[:, :, value_offset : value_offset + D]`, so that a kernel reads them
    in place with a row stride of N. With H = `num_heads`, dh = D / H:

    ```
    probs[b, h]   = softmax_T(scale · Q_h K_hᵀ + mask)           [B, H, C, T]
    mean_probs    = mean over h of probs                          [B, C, T]
    out           = concat_h(probs[b, h] · V_h) · out_weightᵀ + out_bias
    ```

    `queries` is [B, C, D], or [C, D] when the same for every image (the
    first decoder layer's, which are constants). `scale` defaults to
    1 / sqrt(dh); the mask and `feature_map` are as in
    `intr.class_attention`, and so is a map that nobody reads: the plan
    gives it no buffer, and the kernels do not store it.

    ```mlir
    %out, %probs, %mean = intr.class_attention_kv %q, %kv
        out(%wo, %bo)
        {feature_map = array<i64: 25, 38>, key_offset = 512 : i64,
         num_heads = 8 : i64, value_offset = 768 : i64}
        : (tensor<200x256xf32>, tensor<1x950x3072xf32>,
           tensor<256x256xf32>, tensor<256xf32>)
        -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>,
            tensor<1x200x950xf32>)
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$queries,
    INTR_FloatTensor:$kv,
    INTR_FloatTensor:$out_weight, INTR_FloatTensor:$out_bias,
    Optional<INTR_MaskTensor>:$key_padding_mask,
    I64Attr:$num_heads,
    OptionalAttr<F64Attr>:$scale,
    DenseI64ArrayAttr:$feature_map,
    I64Attr:$key_offset,
    I64Attr:$value_offset
  );

  let results = (outs
    INTR_FloatTensor:$out,
    INTR_FloatTensor:$probs,
    INTR_FloatTensor:$mean_probs
  );

  let assemblyFormat = [{
    $queries `,` $kv
    `out` `(` $out_weight `,` $out_bias `)`
    (`mask` `(` $key_padding_mask^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The scale applied to Q·Kᵀ: the attribute, or 1 / sqrt(D / num_heads).
    double getEffectiveScale();
  }];
}

//===----------------------------------------------------------------------===//
// MHAOp
//===----------------------------------------------------------------------===//

def INTR_MHAOp : INTR_Op<"mha", [Pure, InferTypeOpAdaptor]> {
  let summary = "multi-head attention";
  let description = [{
    Generic multi-head attention, used for the self-attention of the encoder
    (q = k = src + pos, v = src) and of the decoder (among class queries).
    With D = feature size, H = `num_heads`, dh = D / H:

    ```
    Q = query · q_weightᵀ + q_bias          [B, S, D] -> H heads of [S, dh]
    K = key   · k_weightᵀ + k_bias          [B, L, D] -> H heads of [L, dh]
    V = value · v_weightᵀ + v_bias          [B, L, D] -> H heads of [L, dh]
    out = concat_h(softmax_L(scale · Q_h K_hᵀ + mask) · V_h) · out_weightᵀ
          + out_bias                                               [B, S, D]
    ```

    `query` is [B, S, D], or [S, D] when it is the same for every image of the
    batch; `key` and `value` are [B, L, D]. `key_padding_mask`, when present,
    is [B, L] and true marks a padded position. `scale` defaults to
    1 / sqrt(dh). The probabilities are not a result: use
    `intr.class_attention` where they are needed.

    With `sequence_first`, the batched operands and the result keep the
    sequence first, as a DETR-style transformer carries them (and
    torch.nn.MultiheadAttention takes them by default): `query` [S, B, D]
    (or [S, D]), `key` and `value` [L, B, D], `out` [S, B, D]; the mask is
    still [B, L]. The math is the same: the attention then reads and writes
    its rows with strides instead of through transposes, which are copies
    when B > 1 (`--intr-sequence-first-attention` moves them in).

    Example (an encoder layer of the full-size model):

    ```mlir
    %out = intr.mha %qk, %qk, %src
        q(%wq, %bq) k(%wk, %bk) v(%wv, %bv) out(%wo, %bo)
        {num_heads = 8 : i64}
        : (tensor<1x950x256xf32>, tensor<1x950x256xf32>,
           tensor<1x950x256xf32>, tensor<256x256xf32>, tensor<256xf32>,
           tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>,
           tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>)
        -> tensor<1x950x256xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$query,
    INTR_FloatTensor:$key,
    INTR_FloatTensor:$value,
    INTR_FloatTensor:$q_weight, INTR_FloatTensor:$q_bias,
    INTR_FloatTensor:$k_weight, INTR_FloatTensor:$k_bias,
    INTR_FloatTensor:$v_weight, INTR_FloatTensor:$v_bias,
    INTR_FloatTensor:$out_weight, INTR_FloatTensor:$out_bias,
    Optional<INTR_MaskTensor>:$key_padding_mask,
    I64Attr:$num_heads,
    OptionalAttr<F64Attr>:$scale,
    DefaultValuedAttr<BoolAttr, "false">:$sequence_first
  );

  let results = (outs INTR_FloatTensor:$out);

  let assemblyFormat = [{
    $query `,` $key `,` $value
    `q` `(` $q_weight `,` $q_bias `)`
    `k` `(` $k_weight `,` $k_bias `)`
    `v` `(` $v_weight `,` $v_bias `)`
    `out` `(` $out_weight `,` $out_bias `)`
    (`mask` `(` $key_padding_mask^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The scale applied to Q·Kᵀ: the attribute, or 1 / sqrt(D / num_heads).
    double getEffectiveScale();
  }];
}

//===----------------------------------------------------------------------===//
// MHAQKVOp
//===----------------------------------------------------------------------===//

def INTR_MHAQKVOp : INTR_Op<"mha_qkv", [Pure, InferTypeOpAdaptor]> {
  let summary = "multi-head self-attention over queries, keys and values "
                "already projected";
  let description = [{
    `intr.mha` after `--intr-fold-positional-projections`: the three
    projections of a self-attention have moved out, into one `intr.linear`
    whose positional bias carries the positional embedding, and arrive
    packed. `qkv` is [B, S, 3D] ([S, B, 3D] with `sequence_first`); row
    (b, s) holds that position's query, key and value, D features each:

    ```
    Q, K, V = qkv[..., 0:D], qkv[..., D:2D], qkv[..., 2D:3D]
    out     = concat_h(softmax_S(scale · Q_h K_hᵀ + mask) · V_h) · out_weightᵀ
              + out_bias                           [B, S, D] ([S, B, D])
    ```

    with H = `num_heads` heads of dh = D / H features and `scale` 1 /
    sqrt(dh) by default; the mask and `sequence_first` are as in `intr.mha`.
    A kernel reads the three slices in place, with a row stride of 3D.

    ```mlir
    %out = intr.mha_qkv %qkv out(%wo, %bo)
        {num_heads = 8 : i64, sequence_first = true}
        : (tensor<950x1x768xf32>, tensor<256x256xf32>, tensor<256xf32>)
        -> tensor<950x1x256xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$qkv,
    INTR_FloatTensor:$out_weight, INTR_FloatTensor:$out_bias,
    Optional<INTR_MaskTensor>:$key_padding_mask,
    I64Attr:$num_heads,
    OptionalAttr<F64Attr>:$scale,
    DefaultValuedAttr<BoolAttr, "false">:$sequence_first
  );

  let results = (outs INTR_FloatTensor:$out);

  let assemblyFormat = [{
    $qkv
    `out` `(` $out_weight `,` $out_bias `)`
    (`mask` `(` $key_padding_mask^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The scale applied to Q·Kᵀ: the attribute, or 1 / sqrt(D / num_heads).
    double getEffectiveScale();
  }];
}

include "intr/Dialect/INTR/IR/INTRNNOps.td"

#endif // INTR_DIALECT_INTR_IR_INTROPS_TD
