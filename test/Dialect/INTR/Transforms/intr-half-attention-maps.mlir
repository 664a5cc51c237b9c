// RUN: intr-opt %s -split-input-file --intr-half-attention-maps | FileCheck %s

// Tests that the f32 results named attention and avg_attention go through
// a Cast to f16 before the return, the function's type following, and
// that the logits stay f32.
// CHECK-LABEL: func.func @maps
// CHECK-SAME: -> (tensor<1x4xf32> {onnx.name = "logits"}, tensor<1x1x2x4x6xf16> {onnx.name = "attention"}, tensor<1x1x4x6xf16> {onnx.name = "avg_attention"})
// CHECK: %[[P:.*]] = onnx.Cast %arg1 {to = 10 : si64} : (tensor<1x1x2x4x6xf32>) -> tensor<1x1x2x4x6xf16>
// CHECK: %[[M:.*]] = onnx.Cast %arg2 {to = 10 : si64} : (tensor<1x1x4x6xf32>) -> tensor<1x1x4x6xf16>
// CHECK: return %arg0, %[[P]], %[[M]]
func.func @maps(%logits: tensor<1x4xf32>, %probs: tensor<1x1x2x4x6xf32>, %mean: tensor<1x1x4x6xf32>) -> (tensor<1x4xf32> {onnx.name = "logits"}, tensor<1x1x2x4x6xf32> {onnx.name = "attention"}, tensor<1x1x4x6xf32> {onnx.name = "avg_attention"}) {
  return %logits, %probs, %mean : tensor<1x4xf32>, tensor<1x1x2x4x6xf32>, tensor<1x1x4x6xf32>
}

// -----

// Tests that a double model's maps, f32 values cast to f64 for the
// return (onnx-compute-in-f32), are stored in f16 from their f32 values.
// CHECK-LABEL: func.func @double_maps
// CHECK-SAME: tensor<1x1x4x6xf16> {onnx.name = "avg_attention"}
// CHECK: %[[M:.*]] = onnx.Cast %arg1 {to = 10 : si64} : (tensor<1x1x4x6xf32>) -> tensor<1x1x4x6xf16>
// CHECK: return %{{.*}}, %[[M]]
func.func @double_maps(%logits: tensor<1x4xf32>, %mean: tensor<1x1x4x6xf32>) -> (tensor<1x4xf64> {onnx.name = "logits"}, tensor<1x1x4x6xf64> {onnx.name = "avg_attention"}) {
  %l = onnx.Cast %logits {to = 11 : si64} : (tensor<1x4xf32>) -> tensor<1x4xf64>
  %m = onnx.Cast %mean {to = 11 : si64} : (tensor<1x1x4x6xf32>) -> tensor<1x1x4x6xf64>
  return %l, %m : tensor<1x4xf64>, tensor<1x1x4x6xf64>
}
