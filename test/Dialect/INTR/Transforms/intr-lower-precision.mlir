// RUN: intr-opt %s -split-input-file --intr-lower-precision=element-type=bf16 | FileCheck %s
// RUN: intr-opt %s -split-input-file --intr-lower-precision=element-type=f16 | FileCheck %s --check-prefix=F16
// RUN: not intr-opt %s -split-input-file --intr-lower-precision=element-type=f8 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: intr-opt %s -split-input-file --intr-lower-precision=element-type=bf16 -verify-diagnostics -o /dev/null

// BAD: element-type must be f16 or bf16, got 'f8'

// Tests a backbone-like chain: the image is cast once on the way in, the
// convolutions and the max pool between them run in bf16, and one cast
// brings the feature map back to f32 for the rest of the model.
// CHECK-LABEL: func.func @chain
// CHECK:      %[[IN:.*]] = onnx.Cast %arg0 {to = 16 : si64} : (tensor<1x3x16x16xf32>) -> tensor<1x3x16x16xbf16>
// CHECK:      %[[C1:.*]] = intr.conv2d %[[IN]], %{{.*}}, %{{.*}} {{.*}} -> tensor<1x4x8x8xbf16>
// CHECK:      %[[P:.*]] = intr.max_pool2d %[[C1]] {{.*}} -> tensor<1x4x4x4xbf16>
// CHECK:      %[[C2:.*]] = intr.conv2d %[[P]], %{{.*}}, %{{.*}} residual(%[[P]]) {{.*}} -> tensor<1x4x4x4xbf16>
// CHECK-NEXT: %[[OUT:.*]] = onnx.Cast %[[C2]] {to = 1 : si64} : (tensor<1x4x4x4xbf16>) -> tensor<1x4x4x4xf32>
// CHECK-NOT:  onnx.Cast
// CHECK:      return %[[OUT]]
func.func @chain(%image: tensor<1x3x16x16xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = onnx.Constant dense<0.5> : tensor<4x3x3x3xf32>
  %b1 = onnx.Constant dense<0.25> : tensor<4xf32>
  %w2 = onnx.Constant dense<0.125> : tensor<4x4x1x1xf32>
  %c1 = intr.conv2d %image, %w1, %b1 {activation = "relu", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x3x16x16xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %p = intr.max_pool2d %c1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %c2 = intr.conv2d %p, %w2, %b1 residual(%p) {activation = "relu"}
      : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %c2 : tensor<1x4x4x4xf32>
}

// -----

// Tests that a max pool of an f32 value that no convolution made stays f32.
// CHECK-LABEL: func.func @lone_pool
// CHECK-NOT:  onnx.Cast
// CHECK:      intr.max_pool2d %arg0 {{.*}} -> tensor<1x4x4x4xf32>
func.func @lone_pool(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %p = intr.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %p : tensor<1x4x4x4xf32>
}

// -----

// Tests that a result read by a convolution and by an f32 op is cast back
// once, for the f32 op alone.
// CHECK-LABEL: func.func @two_readers
// CHECK:      %[[C1:.*]] = intr.conv2d
// CHECK-NEXT: %[[BACK:.*]] = onnx.Cast %[[C1]] {to = 1 : si64
// CHECK:      %[[C2:.*]] = intr.conv2d %[[C1]],
// CHECK:      onnx.Relu %[[BACK]]
func.func @two_readers(%x: tensor<1x4x4x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<4x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<4xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %c2 = intr.conv2d %c1, %w, %b : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %r = onnx.Relu %c1 : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %c2, %r : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}

// -----

// Tests the rounding of the weights, to nearest even: in bf16 (steps of
// 2^-7 at 1) 1 + 2^-8 is a tie that goes to the even 1, and 1 + 3·2^-8 a
// tie that goes to the even 1 + 2^-6 (truncation would give 1 + 2^-7);
// f16 (steps of 2^-10) holds both exactly. The f32 weights are dropped.
// CHECK-LABEL: func.func @rounding
// CHECK-NOT:  onnx.Constant {{.*}}xf32>
// CHECK:      onnx.Constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}1.015630e+00]]]]> : tensor<2x1x1x1xbf16>
// CHECK-NOT:  onnx.Constant {{.*}}xf32>
// F16-LABEL:  func.func @rounding
// F16:        onnx.Constant dense<{{\[\[\[\[}}1.003910e+00]]], {{\[\[\[}}1.011720e+00]]]]> : tensor<2x1x1x1xf16>
func.func @rounding(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xbf16> {
  %w = onnx.Constant dense<[[[[1.00390625]]], [[[1.01171875]]]]> : tensor<2x1x1x1xf32>
  %b = onnx.Constant dense<[0.0, 0.0]> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %h = onnx.Cast %c {to = 16 : si64} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xbf16>
  return %h : tensor<1x2x2x2xbf16>
}

// -----

// Tests that a convolution padded differently at the two ends of an axis
// (ONNX's SAME_UPPER), which a GPU runs without cuDNN, stays f32.
// CHECK-LABEL: func.func @asymmetric_padding
// CHECK-NOT:   onnx.Cast
// CHECK:       intr.conv2d {{.*}} -> tensor<1x2x2x2xf32>
func.func @asymmetric_padding(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x1x2x2xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b {padding = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// Tests that a convolution whose images have more elements than cuDNN's
// int32 descriptors can say stays f32.
// CHECK-LABEL: func.func @huge_images
// CHECK-NOT:   onnx.Cast
// CHECK:       intr.conv2d {{.*}} -> tensor<40000x64x40x40xf32>
func.func @huge_images(%x: tensor<40000x64x40x40xf32>) -> tensor<40000x64x40x40xf32> {
  %w = onnx.Constant dense<0.5> : tensor<64x64x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<64xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<40000x64x40x40xf32>, tensor<64x64x1x1xf32>, tensor<64xf32>) -> tensor<40000x64x40x40xf32>
  return %c : tensor<40000x64x40x40xf32>
}

// -----

// Tests that ReLU6 between convolutions (a Clip) runs in bf16 with its
// bound rounded at compile time (0.1 to 0.10009765625 in bf16), its absent
// bound left none; a Clip of an f32 value that no convolution made stays
// f32.
// CHECK-LABEL: func.func @clip_between_convolutions
// CHECK-DAG:  %[[LO:.*]] = onnx.Constant dense<1.000980e-01> : tensor<bf16>
// CHECK-DAG:  %[[NONE:.*]] = onnx.NoValue
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[CLIP:.*]] = onnx.Clip %[[C1]], %[[LO]], %[[NONE]] : (tensor<1x2x4x4xbf16>, tensor<bf16>, none) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[C2:.*]] = intr.conv2d %[[CLIP]], {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK:      onnx.Clip %arg1, %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<f32>, none) -> tensor<3xf32>
func.func @clip_between_convolutions(%x: tensor<1x2x4x4xf32>, %y: tensor<3xf32>) -> (tensor<1x2x4x4xf32>, tensor<3xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %lo = onnx.Constant dense<0.1> : tensor<f32>
  %none = onnx.NoValue
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %clip = onnx.Clip %c1, %lo, %none : (tensor<1x2x4x4xf32>, tensor<f32>, none) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %clip, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %lone = onnx.Clip %y, %lo, %none : (tensor<3xf32>, tensor<f32>, none) -> tensor<3xf32>
  return %c2, %lone : tensor<1x2x4x4xf32>, tensor<3xf32>
}

// -----

// Tests that a SiLU between convolutions (a Swish) runs in bf16, and that
// one whose result an f32 op reads too (a squeeze-and-excitation's mean)
// stays f32, so that the mean reads it unrounded; a Swish of an f32 value
// that no convolution made stays f32.
// CHECK-LABEL: func.func @swish_between_convolutions
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[S:.*]] = onnx.Swish %[[C1]] : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[C2:.*]] = intr.conv2d %[[S]], {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[WIDE:.*]] = onnx.Cast %[[C2]] {to = 1 : si64} : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[T:.*]] = onnx.Swish %[[WIDE]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[NARROW:.*]] = onnx.Cast %[[T]] {to = 16 : si64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xbf16>
// CHECK:      intr.conv2d %[[NARROW]], {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK:      onnx.ReduceMean %[[T]]
// CHECK:      onnx.Swish %arg1 {alpha = 2.000000e+00 : f32} : (tensor<3xf32>) -> tensor<3xf32>
func.func @swish_between_convolutions(%x: tensor<1x2x4x4xf32>, %y: tensor<3xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, tensor<3xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %axes = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = onnx.Swish %c1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %s, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %t = onnx.Swish %c2 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c3 = intr.conv2d %t, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %m = onnx.ReduceMean %t, %axes : (tensor<1x2x4x4xf32>, tensor<2xi64>) -> tensor<1x2x1x1xf32>
  %lone = onnx.Swish %y {alpha = 2.0 : f32} : (tensor<3xf32>) -> tensor<3xf32>
  return %c3, %m, %lone : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, tensor<3xf32>
}

// -----

// Tests that MobileNetV3's hard swish between convolutions runs in bf16,
// and that its squeeze-and-excitation gate (a HardSigmoid of a convolution
// that an f32 Mul reads) stays f32.
// CHECK-LABEL: func.func @hard_swish_between_convolutions
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[S:.*]] = onnx.HardSwish %[[C1]] : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[C2:.*]] = intr.conv2d %[[S]], {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[WIDE:.*]] = onnx.Cast %[[C2]] {to = 1 : si64} : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[G:.*]] = onnx.HardSigmoid %[[WIDE]] {alpha = 1.666670e-01 : f32} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK:      onnx.Mul %{{.*}}, %[[G]] : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
func.func @hard_swish_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = onnx.HardSwish %c1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %s, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %g = onnx.HardSigmoid %c2 {alpha = 0.166667 : f32} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %m = onnx.Mul %x, %g : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %m : tensor<1x2x4x4xf32>
}

// -----

// Tests that an Inception block's Concat of 16-bit convolutions that only
// 16-bit convolutions read runs in bf16, and that the near misses stay
// f32: a Concat with an f32 operand, and one that an f32 op reads.
// CHECK-LABEL: func.func @concat_of_convolutions
// CHECK:      %[[A:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[B:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[J:.*]] = onnx.Concat %[[A]], %[[B]] {axis = 1 : si64} : (tensor<1x2x4x4xbf16>, tensor<1x2x4x4xbf16>) -> tensor<1x4x4x4xbf16>
// CHECK-NEXT: intr.conv2d %[[J]], {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK:      onnx.Concat %{{.*}}, %arg1 {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK:      %[[K:.*]] = onnx.Concat %{{.*}}, %{{.*}} {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK:      onnx.Relu %[[K]]
func.func @concat_of_convolutions(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %w2 = onnx.Constant dense<0.25> : tensor<2x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %a = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %j = onnx.Concat %a, %c {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %d = intr.conv2d %j, %w2, %b : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %mixed = onnx.Concat %d, %y {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %e = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %k = onnx.Concat %d, %e {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %r = onnx.Relu %k : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %d, %mixed, %r : tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}

// -----

// Tests that DenseNet's chain runs in bf16: the concatenation of 16-bit
// convolutions, the batch norm and ReLU (a channel_affine, its scale and
// shift kept f32), the next convolution.
// CHECK-LABEL: func.func @channel_affine_between_convolutions
// CHECK:      %[[J:.*]] = onnx.Concat %{{.*}}, %{{.*}} {axis = 1 : si64} : (tensor<1x2x4x4xbf16>, tensor<1x2x4x4xbf16>) -> tensor<1x4x4x4xbf16>
// CHECK-NEXT: %[[A:.*]] = intr.channel_affine %[[J]], %{{.*}}, %{{.*}} {activation = "relu"} : (tensor<1x4x4x4xbf16>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xbf16>
// CHECK-NEXT: intr.conv2d %[[A]], {{.*}} -> tensor<1x2x4x4xbf16>
func.func @channel_affine_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %w2 = onnx.Constant dense<0.25> : tensor<2x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %s = onnx.Constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %t = onnx.Constant dense<[0.5, 0.0, -0.5, 1.0]> : tensor<4xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %x, %w, %b {padding = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %j = onnx.Concat %c1, %c2 {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %a = intr.channel_affine %j, %s, %t {activation = "relu"} : (tensor<1x4x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %d = intr.conv2d %a, %w2, %b : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %d : tensor<1x2x4x4xf32>
}

// -----

// Tests that a leaky ReLU between convolutions (DarkNet's) runs in bf16.
// CHECK-LABEL: func.func @leaky_relu_between_convolutions
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[L:.*]] = onnx.LeakyRelu %[[C1]] {alpha = 1.000000e-01 : f32} : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: intr.conv2d %[[L]], {{.*}} -> tensor<1x2x4x4xbf16>
func.func @leaky_relu_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %l = onnx.LeakyRelu %c1 {alpha = 0.1 : f32} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %l, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c2 : tensor<1x2x4x4xf32>
}

// -----

// Tests that Mish, Elu, Selu, Celu and Softplus between convolutions
// (CSPDarknet's Mish) run in bf16.
// CHECK-LABEL: func.func @exponential_activations_between_convolutions
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[M:.*]] = onnx.Mish %[[C1]] : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[E:.*]] = onnx.Elu %[[M]] {{.*}}: (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[S:.*]] = onnx.Selu %[[E]] {{.*}}: (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[CE:.*]] = onnx.Celu %[[S]] {{.*}}: (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: %[[SP:.*]] = onnx.Softplus %[[CE]] : (tensor<1x2x4x4xbf16>) -> tensor<1x2x4x4xbf16>
// CHECK-NEXT: intr.conv2d %[[SP]], {{.*}} -> tensor<1x2x4x4xbf16>
func.func @exponential_activations_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %m = onnx.Mish %c1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %e = onnx.Elu %m : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %s = onnx.Selu %e : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %ce = onnx.Celu %s : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %sp = onnx.Softplus %ce : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %sp, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c2 : tensor<1x2x4x4xf32>
}

// -----

// Tests that a convolution of integer weights (a ConvInteger's, expanded:
// sums of 8-bit integers, past f16's range) stays f32; one of other
// weights does not.
// CHECK-LABEL: func.func @integer_weights_stay_f32
// CHECK:      intr.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK:      intr.conv2d %{{.*}} : (tensor<1x8x4x4xbf16>, tensor<8x8x3x3xbf16>, tensor<8xbf16>) -> tensor<1x8x4x4xbf16>
// F16-LABEL: func.func @integer_weights_stay_f32
// F16:      intr.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// F16:      intr.conv2d %{{.*}} : (tensor<1x8x4x4xf16>, tensor<8x8x3x3xf16>, tensor<8xf16>) -> tensor<1x8x4x4xf16>
func.func @integer_weights_stay_f32(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %w = onnx.Constant dense<-127.0> : tensor<8x8x3x3xf32>
  %v = onnx.Constant dense<0.25> : tensor<8x8x3x3xf32>
  %b = onnx.Constant dense<0.0> : tensor<8xf32>
  %0 = intr.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = intr.conv2d %x, %v, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// Tests that a convolution whose weights are integers by construction (a
// ConvInteger's w given at run time, cast to f32 less its zero point, a
// slice of it; a 1-D one's lifted to 2-D; moved by Transpose and Reshape)
// stays f32; one of other run-time weights does not.
// CHECK-LABEL: func.func @integer_weights_at_run_time_stay_f32
// CHECK:      intr.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK:      intr.conv2d %{{.*}} : (tensor<1x8x4x4xbf16>, tensor<8x8x1x1xbf16>, tensor<8xbf16>) -> tensor<1x8x4x4xbf16>
// CHECK:      intr.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK:      intr.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
func.func @integer_weights_at_run_time_stay_f32(%x: tensor<1x8x4x4xf32>, %w: tensor<8x16x1x1xi8>, %v: tensor<8x8x1x1xf32>, %u: tensor<8x8x1xi8>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %zero = onnx.Constant dense<3.0> : tensor<f32>
  %b = onnx.Constant dense<0.0> : tensor<8xf32>
  %starts = onnx.Constant dense<0> : tensor<1xi64>
  %ends = onnx.Constant dense<8> : tensor<1xi64>
  %axes = onnx.Constant dense<1> : tensor<1xi64>
  %none = onnx.NoValue
  %f = onnx.Cast %w {to = 1 : si64} : (tensor<8x16x1x1xi8>) -> tensor<8x16x1x1xf32>
  %d = onnx.Sub %f, %zero : (tensor<8x16x1x1xf32>, tensor<f32>) -> tensor<8x16x1x1xf32>
  %s = onnx.Slice %d, %starts, %ends, %axes, %none : (tensor<8x16x1x1xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<8x8x1x1xf32>
  %0 = intr.conv2d %x, %s, %b : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = intr.conv2d %x, %v, %b : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %g = onnx.Cast %u {to = 1 : si64} : (tensor<8x8x1xi8>) -> tensor<8x8x1xf32>
  %last = onnx.Constant dense<3> : tensor<1xi64>
  %lifted = onnx.Unsqueeze %g, %last : (tensor<8x8x1xf32>, tensor<1xi64>) -> tensor<8x8x1x1xf32>
  %2 = intr.conv2d %x, %lifted, %b : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %shape = onnx.Constant dense<[8, 8, 1, 1]> : tensor<4xi64>
  %t = onnx.Transpose %g {perm = array<i64: 1, 0, 2>} : (tensor<8x8x1xf32>) -> tensor<8x8x1xf32>
  %reshaped = onnx.Reshape %t, %shape : (tensor<8x8x1xf32>, tensor<4xi64>) -> tensor<8x8x1x1xf32>
  %3 = intr.conv2d %x, %reshaped, %b : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1, %2, %3 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// Tests that a convolution whose result a quantization's round trip reads,
// directly or through a max pool or a Clip, stays f32 (in 16 bits its
// roundings would land on the other side of quantization steps), with a
// remark counting those this rule keeps (not one of integer weights, kept
// anyway); the ops between stay f32 too, and a convolution read by no
// round trip is lowered.
// CHECK-LABEL: func.func @round_trips_read_f32
// CHECK:      %[[C0:.*]] = intr.conv2d %arg0, {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: intr.fake_quantize %[[C0]]
// CHECK:      %[[C1:.*]] = intr.conv2d %arg0, {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[P:.*]] = intr.max_pool2d %[[C1]] {{.*}} -> tensor<1x2x2x2xf32>
// CHECK-NEXT: intr.fake_quantize %[[P]]
// CHECK:      %[[C3:.*]] = intr.conv2d %arg0, {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %[[R:.*]] = onnx.Clip %[[C3]], {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: intr.fake_quantize %[[R]]
// CHECK:      %[[C4:.*]] = intr.conv2d %arg0, {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NEXT: intr.fake_quantize %[[C4]]
// CHECK:      intr.conv2d %{{.*}} -> tensor<1x2x4x4xbf16>
// F16-LABEL: func.func @round_trips_read_f32
// F16:      intr.conv2d %arg0, {{.*}} -> tensor<1x2x4x4xf32>
func.func @round_trips_read_f32(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = onnx.Constant dense<0.25> : tensor<2x2x1x1xf32>
  %integers = onnx.Constant dense<3.0> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.5> : tensor<2xf32>
  %lo = onnx.Constant dense<0.0> : tensor<f32>
  %hi = onnx.Constant dense<6.0> : tensor<f32>
  // expected-remark @+1 {{3 convolution(s) stay f32, as quantization round trips read their results}}
  %c0 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %q0 = intr.fake_quantize %c0 {scale = 0.25 : f32, low = -128, high = 127} : tensor<1x2x4x4xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %p = intr.max_pool2d %c1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %q1 = intr.fake_quantize %p {scale = 0.25 : f32, low = -128, high = 127} : tensor<1x2x2x2xf32>
  %c3 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = onnx.Clip %c3, %lo, %hi : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %q3 = intr.fake_quantize %r {scale = 0.25 : f32, low = -128, high = 127} : tensor<1x2x4x4xf32>
  %c4 = intr.conv2d %x, %integers, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %q4 = intr.fake_quantize %c4 {scale = 0.25 : f32, low = -128, high = 127} : tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %q0, %q1, %q3, %q4, %c2 : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
