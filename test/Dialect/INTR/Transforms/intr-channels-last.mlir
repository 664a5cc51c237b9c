// RUN: intr-opt %s -split-input-file --intr-channels-last | FileCheck %s

// Tests a backbone-like chain: the image is transposed to NHWC once, the
// convolutions and the max pool between them read and write NHWC (the
// weights permuted to [O, kh, kw, C] at compile time, the bias left), and
// one transpose brings the feature map back to NCHW.
// CHECK-LABEL: func.func @chain
// CHECK:      %[[IN:.*]] = onnx.Transpose %arg0 {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x16x16xf32>) -> tensor<1x16x16x3xf32>
// CHECK:      %[[C1:.*]] = intr.conv2d %[[IN]], %{{.*}}, %{{.*}} {activation = "relu", channels_last = true, {{.*}}} : (tensor<1x16x16x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
// CHECK:      %[[P:.*]] = intr.max_pool2d %[[C1]] {channels_last = true, {{.*}}} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK:      %[[C2:.*]] = intr.conv2d %[[P]], %{{.*}}, %{{.*}} residual(%{{.*}}) {{.*}}channels_last = true{{.*}} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
// CHECK-NEXT: %[[OUT:.*]] = onnx.Transpose %[[C2]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NOT:  onnx.Transpose
// CHECK:      return %[[OUT]]
func.func @chain(%image: tensor<1x3x16x16xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = onnx.Constant dense<0.5> : tensor<4x3x3x3xf32>
  %b1 = onnx.Constant dense<0.25> : tensor<4xf32>
  %w2 = onnx.Constant dense<0.125> : tensor<8x4x1x1xf32>
  %b2 = onnx.Constant dense<0.25> : tensor<8xf32>
  %c1 = intr.conv2d %image, %w1, %b1 {activation = "relu", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x3x16x16xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %p = intr.max_pool2d %c1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %r = onnx.Constant dense<1.0> : tensor<1x8x4x4xf32>
  %c2 = intr.conv2d %p, %w2, %b2 residual(%r) {activation = "relu"}
      : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %c2 : tensor<1x8x4x4xf32>
}

// -----

// Tests the weight's permutation, element by element: OIHW [2, 2, 1, 2]
// holding 0..7 becomes OHWI [2, 1, 2, 2]: w'[o, 0, j, c] = w[o, c, 0, j].
// CHECK-LABEL: func.func @weight
// CHECK: onnx.Constant dense<{{\[\[\[\[}}0.000000e+00, 2.000000e+00], [1.000000e+00, 3.000000e+00]]], {{\[\[\[}}4.000000e+00, 6.000000e+00], [5.000000e+00, 7.000000e+00]]]]> : tensor<2x1x2x2xf32>
// CHECK-NOT: tensor<2x2x1x2xf32>
func.func @weight(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = onnx.Constant dense<[[[[0.0, 1.0]], [[2.0, 3.0]]], [[[4.0, 5.0]], [[6.0, 7.0]]]]> : tensor<2x2x1x2xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x3x4xf32>, tensor<2x2x1x2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %c : tensor<1x2x3x3xf32>
}

// -----

// Tests that a convolution padded differently at the two ends of an axis
// (ONNX's SAME_UPPER), which a GPU runs without cuDNN, stays NCHW.
// CHECK-LABEL: func.func @asymmetric_padding
// CHECK-NOT:   onnx.Transpose
// CHECK:       intr.conv2d {{.*}} -> tensor<1x2x2x2xf32>
func.func @asymmetric_padding(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = onnx.Constant dense<1.0> : tensor<2x1x2x2xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b {padding = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// Tests the way into a transformer at batch 1: back to NCHW, cast to f32,
// flattened into [N, C, H * W] and transposed into a sequence [H * W, N, C].
// In NHWC the pixels are already the sequence: a cast and a reshape.
// CHECK-LABEL: func.func @into_sequence
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}} -> tensor<1x3x4x8xbf16>
// CHECK-NEXT: %[[F:.*]] = onnx.Cast %[[C]] {to = 1 : si64} : (tensor<1x3x4x8xbf16>) -> tensor<1x3x4x8xf32>
// CHECK:      %[[S:.*]] = onnx.Reshape %[[F]], %{{.*}} : (tensor<1x3x4x8xf32>, tensor<3xi64>) -> tensor<12x1x8xf32>
// CHECK-NOT:  onnx.Transpose
// CHECK:      return %[[S]]
func.func @into_sequence(%x: tensor<1x4x3x4xbf16>) -> tensor<12x1x8xf32> {
  %w = onnx.Constant dense<1.0> : tensor<8x4x1x1xbf16>
  %b = onnx.Constant dense<0.0> : tensor<8xbf16>
  %c = intr.conv2d %x, %w, %b : (tensor<1x4x3x4xbf16>, tensor<8x4x1x1xbf16>, tensor<8xbf16>) -> tensor<1x8x3x4xbf16>
  %f = onnx.Cast %c {to = 1 : si64} : (tensor<1x8x3x4xbf16>) -> tensor<1x8x3x4xf32>
  %shape = onnx.Constant dense<[1, 8, 12]> : tensor<3xi64>
  %flat = onnx.Reshape %f, %shape : (tensor<1x8x3x4xf32>, tensor<3xi64>) -> tensor<1x8x12xf32>
  %seq = onnx.Transpose %flat {perm = array<i64: 2, 0, 1>} : (tensor<1x8x12xf32>) -> tensor<12x1x8xf32>
  return %seq : tensor<12x1x8xf32>
}

// -----

// Tests the same at batch 2: one transpose of [N, H * W, C], not two.
// CHECK-LABEL: func.func @into_sequence_batched
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}} -> tensor<2x3x4x8xf32>
// CHECK-NEXT: %{{.*}} = onnx.Constant dense<[2, 12, 8]> : tensor<3xi64>
// CHECK-NEXT: %[[M:.*]] = onnx.Reshape %[[C]], %{{.*}} : (tensor<2x3x4x8xf32>, tensor<3xi64>) -> tensor<2x12x8xf32>
// CHECK-NEXT: %[[S:.*]] = onnx.Transpose %[[M]] {perm = array<i64: 1, 0, 2>} : (tensor<2x12x8xf32>) -> tensor<12x2x8xf32>
// CHECK-NOT:  onnx.Transpose
// CHECK:      return %[[S]]
func.func @into_sequence_batched(%x: tensor<2x4x3x4xf32>) -> tensor<12x2x8xf32> {
  %w = onnx.Constant dense<1.0> : tensor<8x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<8xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<2x4x3x4xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<2x8x3x4xf32>
  %shape = onnx.Constant dense<[2, 8, 12]> : tensor<3xi64>
  %flat = onnx.Reshape %c, %shape : (tensor<2x8x3x4xf32>, tensor<3xi64>) -> tensor<2x8x12xf32>
  %seq = onnx.Transpose %flat {perm = array<i64: 2, 0, 1>} : (tensor<2x8x12xf32>) -> tensor<12x2x8xf32>
  return %seq : tensor<12x2x8xf32>
}

// -----

// Tests that a reshape merging dimensions that are not neighbours in NHWC
// (C and H), or splitting one, keeps the transpose back to NCHW.
// CHECK-LABEL: func.func @not_neighbours
// CHECK:      onnx.Transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>}
// CHECK:      onnx.Reshape {{.*}} -> tensor<1x24x4xf32>
// CHECK:      onnx.Transpose %{{.*}} {perm = array<i64: 0, 2, 1>}
// CHECK-LABEL: func.func @split
// CHECK:      onnx.Transpose %{{.*}} {perm = array<i64: 0, 3, 1, 2>}
// CHECK:      onnx.Reshape {{.*}} -> tensor<1x2x4x12xf32>
// CHECK:      onnx.Transpose %{{.*}} {perm = array<i64: 0, 1, 3, 2>}
func.func @not_neighbours(%x: tensor<1x4x3x4xf32>) -> tensor<1x4x24xf32> {
  %w = onnx.Constant dense<1.0> : tensor<8x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<8xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x4x3x4xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<1x8x3x4xf32>
  %shape = onnx.Constant dense<[1, 24, 4]> : tensor<3xi64>
  %flat = onnx.Reshape %c, %shape : (tensor<1x8x3x4xf32>, tensor<3xi64>) -> tensor<1x24x4xf32>
  %t = onnx.Transpose %flat {perm = array<i64: 0, 2, 1>} : (tensor<1x24x4xf32>) -> tensor<1x4x24xf32>
  return %t : tensor<1x4x24xf32>
}
func.func @split(%x: tensor<1x4x3x4xf32>) -> tensor<1x2x12x4xf32> {
  %w = onnx.Constant dense<1.0> : tensor<8x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<8xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x4x3x4xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<1x8x3x4xf32>
  %shape = onnx.Constant dense<[1, 2, 4, 12]> : tensor<4xi64>
  %flat = onnx.Reshape %c, %shape : (tensor<1x8x3x4xf32>, tensor<4xi64>) -> tensor<1x2x4x12xf32>
  %t = onnx.Transpose %flat {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x4x12xf32>) -> tensor<1x2x12x4xf32>
  return %t : tensor<1x2x12x4xf32>
}

// -----

// Tests that elementwise ops between convolutions compute on NHWC images:
// ReLU6 as a Clip (its bounds, single elements, left as they are), a cast,
// and a product with a constant image (permuted at compile time) and a
// per-channel [N, C, 1, 1] scale that an NHWC op made; no transpose
// between the convolutions.
// CHECK-LABEL: func.func @elementwise_between_convolutions
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[CLIP:.*]] = onnx.Clip %[[C1]], %{{.*}}, %{{.*}} : (tensor<1x4x4x2xf32>, tensor<f32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
// CHECK:      %[[S:.*]] = intr.conv2d {{.*}} -> tensor<1x1x1x2xf32>
// CHECK-NEXT: %[[SCALED:.*]] = onnx.Mul %[[CLIP]], %[[S]] : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[BIAS:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.000000e+00, 5.000000e+00], [2.000000e+00, 6.000000e+00], [3.000000e+00, 7.000000e+00], [4.000000e+00, 8.000000e+00]], {{.*}} : tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[SUM:.*]] = onnx.Add %[[SCALED]], %[[BIAS]] : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[HALF:.*]] = onnx.Cast %[[SUM]] {{.*}} -> tensor<1x4x4x2xf16>
// CHECK-NEXT: %[[WIDE:.*]] = onnx.Cast %[[HALF]] {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[C2:.*]] = intr.conv2d %[[WIDE]], {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[OUT:.*]] = onnx.Transpose %[[C2]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NOT:  onnx.Transpose
// CHECK:      return %[[OUT]]
func.func @elementwise_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %six = onnx.Constant dense<6.0> : tensor<1xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %clip = onnx.Clip %c1, %zero, %six : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %pool = onnx.Constant dense<1.0> : tensor<1x2x1x1xf32>
  %s = intr.conv2d %pool, %w, %b : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %scaled = onnx.Mul %clip, %s : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %bias = onnx.Constant dense<[[[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], [[5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0]]]]> : tensor<1x2x4x4xf32>
  %sum = onnx.Add %scaled, %bias : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %half = onnx.Cast %sum {to = 10 : si64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf16>
  %wide = onnx.Cast %half {to = 1 : si64} : (tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %wide, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c2 : tensor<1x2x4x4xf32>
}

// -----

// Tests that elementwise ops stay NCHW where NHWC would cost transposes
// (one that also reads an NCHW image that is not a constant, one that
// reads no NHWC image), and that a constant [W] row broadcasts in NHWC as
// the [1, 1, W, 1] it is in NCHW's [1, 1, 1, W].
// CHECK-LABEL: func.func @elementwise_left_nchw
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[BACK:.*]] = onnx.Transpose %[[C]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-DAG:  onnx.Add %[[BACK]], %arg1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-DAG:  %[[ROW:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.000000e+00], [2.000000e+00], [3.000000e+00], [4.000000e+00]]]]> : tensor<1x1x4x1xf32>
// CHECK-DAG:  onnx.Mul %[[C]], %[[ROW]] : (tensor<1x4x4x2xf32>, tensor<1x1x4x1xf32>) -> tensor<1x4x4x2xf32>
// CHECK-DAG:  onnx.Relu %arg1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
func.func @elementwise_left_nchw(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %sum = onnx.Add %c, %y : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %row = onnx.Constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %scaled = onnx.Mul %c, %row : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x4x4xf32>
  %relu = onnx.Relu %y : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %sum, %scaled, %relu : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Tests that a concatenation along the channels, and means over the pixels
// that keep their dimensions (squeeze-and-excitation's), compute on NHWC
// images with their axes moved there: a constant axes input replaced, an
// axes attribute rewritten; a mean that drops its dimensions stays NCHW.
// CHECK-LABEL: func.func @axes_move_to_nhwc
// CHECK:      %[[A:.*]] = intr.conv2d {{.*}} -> tensor<1x4x4x2xf32>
// CHECK:      %[[B:.*]] = intr.conv2d {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[CAT:.*]] = onnx.Concat %[[A]], %[[B]] {axis = 3 : si64} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: %[[BACK:.*]] = onnx.Transpose %[[CAT]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK:      %[[AXES:.*]] = onnx.Constant dense<[1, 2]> : tensor<2xi64>
// CHECK-NEXT: %[[MEAN:.*]] = onnx.ReduceMean %[[CAT]], %[[AXES]] : (tensor<1x4x4x4xf32>, tensor<2xi64>) -> tensor<1x1x1x4xf32>
// CHECK:      %[[MAX:.*]] = onnx.ReduceMax %[[CAT]], %{{.*}} {axes = array<i64: 3>} : (tensor<1x4x4x4xf32>, none) -> tensor<1x4x4x1xf32>
// CHECK:      onnx.ReduceMean %[[BACK]], %{{.*}} {keepdims = 0 : si64} : (tensor<1x4x4x4xf32>, tensor<2xi64>) -> tensor<1x4xf32>
func.func @axes_move_to_nhwc(%x: tensor<1x2x4x4xf32>) -> (tensor<1x4x1x1xf32>, tensor<1x1x4x4xf32>, tensor<1x4xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %a = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c = intr.conv2d %a, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %cat = onnx.Concat %a, %c {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %pixels = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %mean = onnx.ReduceMean %cat, %pixels : (tensor<1x4x4x4xf32>, tensor<2xi64>) -> tensor<1x4x1x1xf32>
  %none = onnx.NoValue
  %max = onnx.ReduceMax %cat, %none {axes = array<i64: -3>} : (tensor<1x4x4x4xf32>, none) -> tensor<1x1x4x4xf32>
  %flat = onnx.ReduceMean %cat, %pixels {keepdims = 0 : si64} : (tensor<1x4x4x4xf32>, tensor<2xi64>) -> tensor<1x4xf32>
  return %mean, %max, %flat : tensor<1x4x1x1xf32>, tensor<1x1x4x4xf32>, tensor<1x4xf32>
}

// -----

// Tests a block written channels last, as ConvNeXt's: the model permutes
// its NHWC linear's result back to NCHW itself, scales it per channel
// ([C, 1, 1], which becomes [1, 1, 1, C] at compile time) and adds the
// residual; all of it reads the NHWC linear's result, so no transpose is
// left after the linear, the model's own gone too. (The model's permute to
// NHWC of the first convolution's result meets the way back to NCHW, a
// pair that canonicalization folds.)
// CHECK-LABEL: func.func @model_written_channels_last
// CHECK:      %[[C1:.*]] = intr.conv2d {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[BACK:.*]] = onnx.Transpose %[[C1]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NEXT: %[[NHWC:.*]] = onnx.Transpose %[[BACK]] {perm = array<i64: 0, 2, 3, 1>}
// CHECK:      %[[L:.*]] = intr.linear %[[NHWC]], {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[SCALE:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-NEXT: %[[SCALED:.*]] = onnx.Mul %[[L]], %[[SCALE]] : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[SUM:.*]] = onnx.Add %[[SCALED]], %[[C1]] : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[C2:.*]] = intr.conv2d %[[SUM]], {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[OUT:.*]] = onnx.Transpose %[[C2]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NOT:  onnx.Transpose
// CHECK:      return %[[OUT]]
func.func @model_written_channels_last(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c1 = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %nhwc = onnx.Transpose %c1 {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
  %lw = onnx.Constant dense<0.25> : tensor<2x2xf32>
  %l = intr.linear %nhwc, %lw, %b : (tensor<1x4x4x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %nchw = onnx.Transpose %l {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x4x4xf32>
  %gamma = onnx.Constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %scaled = onnx.Mul %nchw, %gamma : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %sum = onnx.Add %scaled, %c1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = intr.conv2d %sum, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c2 : tensor<1x2x4x4xf32>
}

// -----

// Tests that a permute to [0, 3, 1, 2] of a convolution's NCHW result is
// not taken for a way back from NHWC: the convolution moves to NHWC, so
// the permute reads it through a transpose back.
// CHECK-LABEL: func.func @permute_of_convolution
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}} -> tensor<1x5x4x2xf32>
// CHECK-NEXT: %[[BACK:.*]] = onnx.Transpose %[[C]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x5x4x2xf32>) -> tensor<1x2x5x4xf32>
// CHECK-NEXT: %[[P:.*]] = onnx.Transpose %[[BACK]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x2x5x4xf32>) -> tensor<1x4x2x5xf32>
// CHECK-NEXT: onnx.Relu %[[P]] : (tensor<1x4x2x5xf32>) -> tensor<1x4x2x5xf32>
func.func @permute_of_convolution(%x: tensor<1x2x5x4xf32>) -> tensor<1x4x2x5xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x5x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x5x4xf32>
  %p = onnx.Transpose %c {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x2x5x4xf32>) -> tensor<1x4x2x5xf32>
  %r = onnx.Relu %p : (tensor<1x4x2x5xf32>) -> tensor<1x4x2x5xf32>
  return %r : tensor<1x4x2x5xf32>
}

// -----

// Tests that DenseNet's raised batch norm and ReLU (a channel_affine) of a
// concatenation of NHWC images computes channels last, its scale and shift
// as they are; one of an NCHW value stays NCHW.
// CHECK-LABEL: func.func @channel_affine_between_convolutions
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}}channels_last = true{{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[J:.*]] = onnx.Concat %[[C]], %[[C]] {axis = 3 : si64} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: %[[A:.*]] = intr.channel_affine %[[J]], %{{.*}}, %{{.*}} {activation = "relu", channels_last = true} : (tensor<1x4x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: intr.conv2d %[[A]], {{.*}}channels_last = true
// CHECK:      intr.channel_affine %arg1, %{{.*}}, %{{.*}} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
func.func @channel_affine_between_convolutions(%x: tensor<1x2x4x4xf32>, %y: tensor<1x4x2x2xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x4x2x2xf32>) {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %w2 = onnx.Constant dense<0.25> : tensor<2x4x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %s = onnx.Constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %t = onnx.Constant dense<[0.5, 0.0, -0.5, 1.0]> : tensor<4xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %j = onnx.Concat %c, %c {axis = 1 : si64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %a = intr.channel_affine %j, %s, %t {activation = "relu"} : (tensor<1x4x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %d = intr.conv2d %a, %w2, %b : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %e = intr.channel_affine %y, %s, %t : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %d, %e : tensor<1x2x4x4xf32>, tensor<1x4x2x2xf32>
}

// -----

// Tests that a PRelu between convolutions, its slope per channel ([C, 1,
// 1], permuted at compile time as the [1, 1, 1, C] it broadcasts as),
// computes on NHWC images.
// CHECK-LABEL: func.func @prelu_between_convolutions
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}}channels_last = true{{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[P:.*]] = onnx.PRelu %[[C]], %{{.*}} : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: intr.conv2d %[[P]], {{.*}}channels_last = true
func.func @prelu_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %slope = onnx.Constant dense<[[[0.25]], [[-0.5]]]> : tensor<2x1x1xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %p = onnx.PRelu %c, %slope : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %d = intr.conv2d %p, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %d : tensor<1x2x4x4xf32>
}

// -----

// Tests that a quantized model's round trip (a fake_quantize, elementwise)
// between convolutions computes on NHWC images.
// CHECK-LABEL: func.func @fake_quantize_between_convolutions
// CHECK:      %[[C:.*]] = intr.conv2d {{.*}}channels_last = true{{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[F:.*]] = intr.fake_quantize %[[C]] {high = 127 : i64, low = -128 : i64, scale = 2.500000e-01 : f32} : tensor<1x4x4x2xf32>
// CHECK-NEXT: intr.conv2d %[[F]], {{.*}}channels_last = true
func.func @fake_quantize_between_convolutions(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<0.0> : tensor<2xf32>
  %c = intr.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %f = intr.fake_quantize %c {scale = 0.25 : f32, low = -128, high = 127} : tensor<1x2x4x4xf32>
  %d = intr.conv2d %f, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %d : tensor<1x2x4x4xf32>
}
