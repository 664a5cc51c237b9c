// The cross-attention of one INTR decoder layer as the reference PyTorch
// code computes it: the same class-query cross-attention called twice, once
// for the per-head maps and once for the head-averaged maps, with the
// exporter's Identity renames in between.
//
//   intr-opt examples/decoder-cross-attention.mlir --canonicalize --cse
//
// folds the Identity ops and merges the two calls into one
// intr.class_attention that yields the output and both maps.

func.func @decoder_cross_attention(
    %tgt: tensor<1x200x256xf32>, %query_pos: tensor<200x256xf32>,
    %memory: tensor<1x950x256xf32>,
    %wq: tensor<256x256xf32>, %bq: tensor<256xf32>,
    %wk: tensor<256x256xf32>, %bk: tensor<256xf32>,
    %wv: tensor<256x256xf32>, %bv: tensor<256xf32>,
    %wo: tensor<256x256xf32>, %bo: tensor<256xf32>)
    -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>) {
  %queries = onnx.Add %tgt, %query_pos
      : (tensor<1x200x256xf32>, tensor<200x256xf32>) -> tensor<1x200x256xf32>
  %mem = onnx.Identity %memory : tensor<1x950x256xf32>

  // need_weights=True, average_attn_weights=False: per-head maps.
  %out, %probs, %unused_mean = intr.class_attention %queries, %mem
      q(%wq, %bq) k(%wk, %bk) v(%wv, %bv) out(%wo, %bo)
      {feature_map = array<i64: 25, 38>, num_heads = 8 : i64}
      : (tensor<1x200x256xf32>, tensor<1x950x256xf32>,
         tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>,
         tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>,
         tensor<256x256xf32>, tensor<256xf32>)
      -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>)

  // average_attn_weights=True: the same computation, head-averaged maps.
  %out2, %unused_probs, %mean = intr.class_attention %queries, %memory
      q(%wq, %bq) k(%wk, %bk) v(%wv, %bv) out(%wo, %bo)
      {feature_map = array<i64: 25, 38>, num_heads = 8 : i64}
      : (tensor<1x200x256xf32>, tensor<1x950x256xf32>,
         tensor<256x256xf32>, tensor<256xf32>, tensor<256x256xf32>,
         tensor<256xf32>, tensor<256x256xf32>, tensor<256xf32>,
         tensor<256x256xf32>, tensor<256xf32>)
      -> (tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>)

  return %out, %probs, %mean
      : tensor<1x200x256xf32>, tensor<1x8x200x950xf32>, tensor<1x200x950xf32>
}
