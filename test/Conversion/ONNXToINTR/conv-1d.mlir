// RUN: intr-opt %s --onnx-decompose --canonicalize --convert-onnx-to-intr | FileCheck %s

// Tests that a 1-D convolution, which onnx-decompose runs as a 2-D one over
// a height-1 image, raises to intr.conv2d like any other (the ReLU after the
// Squeeze stays an onnx.Relu).
// CHECK-LABEL: func.func @conv_1d_relu
// CHECK-NOT: onnx.Conv
// CHECK: intr.conv2d %{{.*}} {padding = array<i64: 0, 1, 0, 1>} : (tensor<1x4x1x10xf32>, tensor<8x4x1x3xf32>, tensor<8xf32>) -> tensor<1x8x1x10xf32>
// CHECK: onnx.Squeeze
// CHECK: onnx.Relu
func.func @conv_1d_relu(%x: tensor<1x4x10xf32>) -> tensor<1x8x10xf32> {
  %w = onnx.Constant dense<0.5> : tensor<8x4x3xf32>
  %b = onnx.Constant dense<0.25> : tensor<8xf32>
  %0 = onnx.Conv %x, %w, %b {pads = array<i64: 1, 1>} : (tensor<1x4x10xf32>, tensor<8x4x3xf32>, tensor<8xf32>) -> tensor<1x8x10xf32>
  %1 = onnx.Relu %0 : (tensor<1x8x10xf32>) -> tensor<1x8x10xf32>
  return %1 : tensor<1x8x10xf32>
}
