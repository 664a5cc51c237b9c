// RUN: intr-opt %s -split-input-file -verify-diagnostics --intr-select-attention-maps="last-layer head-mean"

// Tests that maps without the layer axis the options speak of are refused
// rather than cut along another axis: a head mean of [B, C, T].
// expected-error @+1 {{the result 'avg_attention' is 'tensor<2x5x6xf32>', not maps stacked by decoder layer (rank 4, the layer count static)}}
func.func @no_layer_axis(%a: tensor<2x5x6xf32>) -> (tensor<2x5x6xf32> {onnx.name = "avg_attention"}) {
  return %a : tensor<2x5x6xf32>
}

// -----

// Tests that a layer count unknown at compile time is refused.
// expected-error @+1 {{the result 'attention' is 'tensor<?x1x2x5x6xf32>', not maps stacked by decoder layer (rank 5, the layer count static)}}
func.func @dynamic_layers(%a: tensor<?x1x2x5x6xf32>, %m: tensor<2x1x5x6xf32>)
    -> (tensor<?x1x2x5x6xf32> {onnx.name = "attention"}, tensor<2x1x5x6xf32> {onnx.name = "avg_attention"}) {
  return %a, %m : tensor<?x1x2x5x6xf32>, tensor<2x1x5x6xf32>
}

// -----

// Tests that the heads' maps are not dropped when there is no head mean to
// return instead.
// expected-error @+1 {{the function returns no head mean ('avg_attention') to keep in place of every head's maps}}
func.func @no_mean(%a: tensor<2x1x2x5x6xf32>) -> (tensor<2x1x2x5x6xf32> {onnx.name = "attention"}) {
  return %a : tensor<2x1x2x5x6xf32>
}
