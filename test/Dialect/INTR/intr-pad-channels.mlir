// RUN: intr-opt %s -split-input-file --intr-pad-channels | FileCheck %s
// RUN: intr-opt %s -split-input-file --intr-pad-channels=multiple=4 | FileCheck %s --check-prefix=FOUR
// RUN: not intr-opt %s -split-input-file --intr-pad-channels=multiple=0 2>&1 | FileCheck %s --check-prefix=ZERO

// ZERO: multiple must be at least 1, got 0

// Tests the stem: a bf16 NHWC image of 3 channels is padded with 5 zero
// channels by one onnx.Pad of the last axis, and the weight [O, kh, kw, 3]
// gets 5 zeros after each run of 3, element by element.
// CHECK-LABEL: func.func @stem
// CHECK:      %[[B:.*]] = onnx.Constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xbf16>
// CHECK:      %[[PADS:.*]] = onnx.Constant dense<[0, 0, 0, 0, 0, 0, 0, 5]> : tensor<8xi64>
// CHECK:      %[[X:.*]] = onnx.Pad %arg0, %[[PADS]], %{{.*}}, %{{.*}} : (tensor<1x4x4x3xbf16>, tensor<8xi64>, none, none) -> tensor<1x4x4x8xbf16>
// CHECK:      %[[W:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]], {{\[\[\[}}4.000000e+00, 5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]]> : tensor<2x1x1x8xbf16>
// CHECK:      intr.conv2d %[[X]], %[[W]], %[[B]] {channels_last = true} : (tensor<1x4x4x8xbf16>, tensor<2x1x1x8xbf16>, tensor<2xbf16>) -> tensor<1x4x4x2xbf16>
// CHECK-NOT:  tensor<2x1x1x3xbf16>
// FOUR-LABEL: func.func @stem
// FOUR:       onnx.Constant dense<[0, 0, 0, 0, 0, 0, 0, 1]> : tensor<8xi64>
// FOUR:       -> tensor<1x4x4x4xbf16>
// FOUR:       tensor<2x1x1x4xbf16>
func.func @stem(%x: tensor<1x4x4x3xbf16>) -> tensor<1x4x4x2xbf16> {
  %w = onnx.Constant dense<[[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]]> : tensor<2x1x1x3xbf16>
  %b = onnx.Constant dense<[1.0, 2.0]> : tensor<2xbf16>
  %c = intr.conv2d %x, %w, %b {channels_last = true}
      : (tensor<1x4x4x3xbf16>, tensor<2x1x1x3xbf16>, tensor<2xbf16>) -> tensor<1x4x4x2xbf16>
  return %c : tensor<1x4x4x2xbf16>
}

// -----

// Tests a splat weight: every run of 3 becomes the value 3 times and 5
// zeros.
// CHECK-LABEL: func.func @splat
// CHECK: onnx.Constant dense<{{\[\[\[\[}}5.000000e-01, 5.000000e-01, 5.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]]> : tensor<1x1x1x8xf32>
func.func @splat(%x: tensor<1x2x2x3xf32>) -> tensor<1x2x2x1xf32> {
  %w = onnx.Constant dense<0.5> : tensor<1x1x1x3xf32>
  %b = onnx.Constant dense<0.0> : tensor<1xf32>
  %c = intr.conv2d %x, %w, %b {channels_last = true}
      : (tensor<1x2x2x3xf32>, tensor<1x1x1x3xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  return %c : tensor<1x2x2x1xf32>
}

// -----

// Tests what stays: channels first, channels already a multiple of 8,
// groups (whose channels per group the pad would not reach), and a weight
// that is not a constant.
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT:   onnx.Pad
// CHECK:       return
func.func @unchanged(%x: tensor<1x3x4x4xf32>, %y: tensor<1x4x4x16xf32>, %z: tensor<1x4x4x6xf32>,
                     %v: tensor<1x4x4x3xf32>, %wv: tensor<2x1x1x3xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x3x1x1xf32>
  %w16 = onnx.Constant dense<1.0> : tensor<2x1x1x16xf32>
  %w3 = onnx.Constant dense<1.0> : tensor<2x1x1x3xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x3x4x4xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %d = intr.conv2d %y, %w16, %b {channels_last = true}
      : (tensor<1x4x4x16xf32>, tensor<2x1x1x16xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %e = intr.conv2d %z, %w3, %b {channels_last = true, groups = 2}
      : (tensor<1x4x4x6xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %f = intr.conv2d %v, %wv, %b {channels_last = true}
      : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %c, %d, %e, %f : tensor<1x2x4x4xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}
