// RUN: intr-opt %s | intr-opt | FileCheck %s
// RUN: intr-opt %s --mlir-print-op-generic | intr-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// intr.conv2d
//===----------------------------------------------------------------------===//

// Tests that the ResNet-50 stem convolution (7x7, stride 2, padding 3, ReLU)
// round-trips and gives 400x608 at 800x1216.
// CHECK-LABEL: func.func @conv2d_stem
// CHECK: intr.conv2d %arg0, %arg1, %arg2 {activation = "relu", padding = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x400x608xf32>
func.func @conv2d_stem(%x: tensor<1x3x800x1216xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>)
    -> tensor<1x64x400x608xf32> {
  %0 = intr.conv2d %x, %w, %b
      {activation = "relu", padding = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x400x608xf32>
  return %0 : tensor<1x64x400x608xf32>
}

// Tests that the stem channels last (NHWC images, [O, kh, kw, C] weight) in
// bf16 round-trips and gives [1, 400, 608, 64].
// CHECK-LABEL: func.func @conv2d_stem_channels_last
// CHECK: intr.conv2d %arg0, %arg1, %arg2 {activation = "relu", channels_last = true, padding = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x800x1216x3xbf16>, tensor<64x7x7x3xbf16>, tensor<64xbf16>) -> tensor<1x400x608x64xbf16>
func.func @conv2d_stem_channels_last(%x: tensor<1x800x1216x3xbf16>, %w: tensor<64x7x7x3xbf16>, %b: tensor<64xbf16>)
    -> tensor<1x400x608x64xbf16> {
  %0 = intr.conv2d %x, %w, %b
      {activation = "relu", channels_last = true, padding = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x800x1216x3xbf16>, tensor<64x7x7x3xbf16>, tensor<64xbf16>) -> tensor<1x400x608x64xbf16>
  return %0 : tensor<1x400x608x64xbf16>
}

// Tests the stem's max pool channels last: [1, 200, 304, 64].
// CHECK-LABEL: func.func @max_pool2d_channels_last
// CHECK: intr.max_pool2d %arg0 {channels_last = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x400x608x64xbf16>) -> tensor<1x200x304x64xbf16>
func.func @max_pool2d_channels_last(%x: tensor<1x400x608x64xbf16>) -> tensor<1x200x304x64xbf16> {
  %0 = intr.max_pool2d %x {channels_last = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x400x608x64xbf16>) -> tensor<1x200x304x64xbf16>
  return %0 : tensor<1x200x304x64xbf16>
}

// Tests DenseNet's batch norm and ReLU before a convolution, channels last
// in a bf16 plan (its scale and shift f32).
// CHECK-LABEL: func.func @channel_affine
// CHECK: intr.channel_affine %arg0, %arg1, %arg2 {activation = "relu", channels_last = true}
// CHECK-SAME: : (tensor<1x56x56x96xbf16>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x56x56x96xbf16>
func.func @channel_affine(%x: tensor<1x56x56x96xbf16>, %s: tensor<96xf32>, %t: tensor<96xf32>) -> tensor<1x56x56x96xbf16> {
  %0 = intr.channel_affine %x, %s, %t {activation = "relu", channels_last = true}
      : (tensor<1x56x56x96xbf16>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x56x56x96xbf16>
  return %0 : tensor<1x56x56x96xbf16>
}

// Tests that a bottleneck's last 1x1 with its identity residual and ReLU
// round-trips.
// CHECK-LABEL: func.func @conv2d_residual
// CHECK: intr.conv2d %arg0, %arg1, %arg2 residual(%arg3) {activation = "relu"}
// CHECK-SAME: : (tensor<1x64x200x304xf32>, tensor<256x64x1x1xf32>, tensor<256xf32>, tensor<1x256x200x304xf32>) -> tensor<1x256x200x304xf32>
func.func @conv2d_residual(%x: tensor<1x64x200x304xf32>, %w: tensor<256x64x1x1xf32>,
                           %b: tensor<256xf32>, %r: tensor<1x256x200x304xf32>)
    -> tensor<1x256x200x304xf32> {
  %0 = intr.conv2d %x, %w, %b residual(%r) {activation = "relu"}
      : (tensor<1x64x200x304xf32>, tensor<256x64x1x1xf32>, tensor<256xf32>, tensor<1x256x200x304xf32>) -> tensor<1x256x200x304xf32>
  return %0 : tensor<1x256x200x304xf32>
}

// Tests that attributes spelled with their default values are not printed
// (the 1x1 input projection 2048 -> 256).
// CHECK-LABEL: func.func @conv2d_defaults
// CHECK: intr.conv2d %arg0, %arg1, %arg2 : (tensor<1x2048x25x38xf32>, tensor<256x2048x1x1xf32>, tensor<256xf32>) -> tensor<1x256x25x38xf32>
func.func @conv2d_defaults(%x: tensor<1x2048x25x38xf32>, %w: tensor<256x2048x1x1xf32>, %b: tensor<256xf32>)
    -> tensor<1x256x25x38xf32> {
  %0 = intr.conv2d %x, %w, %b
      {activation = "none", dilations = array<i64: 1, 1>, groups = 1 : i64,
       padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x2048x25x38xf32>, tensor<256x2048x1x1xf32>, tensor<256xf32>) -> tensor<1x256x25x38xf32>
  return %0 : tensor<1x256x25x38xf32>
}

// Tests that groups, dilations, asymmetric padding and strides give, in f16,
// Ho = (10 + 1 + 2 - 2*2 - 1) / 2 + 1 = 5, Wo = (12 + 0 + 1 - 3*2 - 1) / 1 + 1 = 7.
// CHECK-LABEL: func.func @conv2d_grouped_dilated
// CHECK: intr.conv2d %arg0, %arg1, %arg2 {dilations = array<i64: 2, 3>, groups = 4 : i64, padding = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 1>}
// CHECK-SAME: -> tensor<2x8x5x7xf16>
func.func @conv2d_grouped_dilated(%x: tensor<2x8x10x12xf16>, %w: tensor<8x2x3x3xf16>, %b: tensor<8xf16>)
    -> tensor<2x8x5x7xf16> {
  %0 = intr.conv2d %x, %w, %b
      {dilations = array<i64: 2, 3>, groups = 4 : i64, padding = array<i64: 1, 0, 2, 1>,
       strides = array<i64: 2, 1>}
      : (tensor<2x8x10x12xf16>, tensor<8x2x3x3xf16>, tensor<8xf16>) -> tensor<2x8x5x7xf16>
  return %0 : tensor<2x8x5x7xf16>
}

// Tests that unknown sizes stay dynamic and that O comes from the bias when
// the weight does not know it.
// CHECK-LABEL: func.func @conv2d_dynamic
// CHECK: intr.conv2d %arg0, %arg1, %arg2 {padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: : (tensor<?x3x?x32xbf16>, tensor<?x3x3x3xbf16>, tensor<16xbf16>) -> tensor<?x16x?x32xbf16>
func.func @conv2d_dynamic(%x: tensor<?x3x?x32xbf16>, %w: tensor<?x3x3x3xbf16>, %b: tensor<16xbf16>)
    -> tensor<?x16x?x32xbf16> {
  %0 = intr.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x3x?x32xbf16>, tensor<?x3x3x3xbf16>, tensor<16xbf16>) -> tensor<?x16x?x32xbf16>
  return %0 : tensor<?x16x?x32xbf16>
}

//===----------------------------------------------------------------------===//
// intr.max_pool2d
//===----------------------------------------------------------------------===//

// Tests that the ResNet-50 stem pooling (3x3, stride 2, padding 1) halves
// 400x608.
// CHECK-LABEL: func.func @max_pool2d_stem
// CHECK: intr.max_pool2d %arg0 {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x64x400x608xf32>) -> tensor<1x64x200x304xf32>
func.func @max_pool2d_stem(%x: tensor<1x64x400x608xf32>) -> tensor<1x64x200x304xf32> {
  %0 = intr.max_pool2d %x
      {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x64x400x608xf32>) -> tensor<1x64x200x304xf32>
  return %0 : tensor<1x64x200x304xf32>
}

// Tests that in ceil mode, along H, ceil((6 - 3) / 2) + 1 = 3 windows (floor would
// give 2); along W, ceil((5 + 1 + 1 - 2) / 2) + 1 = 4, less the last window,
// which would start at 6 >= W + left = 6, in the right padding: 3.
// CHECK-LABEL: func.func @max_pool2d_ceil
// CHECK: intr.max_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 3, 2>, padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x1x3x3xf32>
func.func @max_pool2d_ceil(%x: tensor<1x1x6x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = intr.max_pool2d %x
      {ceil_mode = true, kernel = array<i64: 3, 2>, padding = array<i64: 0, 1, 0, 1>,
       strides = array<i64: 2, 2>}
      : (tensor<1x1x6x5xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// Tests that the same pooling without ceil mode, spelled with its default,
// floors: 2x3.
// CHECK-LABEL: func.func @max_pool2d_floor
// CHECK: intr.max_pool2d %arg0 {kernel = array<i64: 3, 2>, padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x1x2x3xf32>
func.func @max_pool2d_floor(%x: tensor<1x1x6x5xf32>) -> tensor<1x1x2x3xf32> {
  %0 = intr.max_pool2d %x
      {ceil_mode = false, kernel = array<i64: 3, 2>, padding = array<i64: 0, 1, 0, 1>,
       strides = array<i64: 2, 2>}
      : (tensor<1x1x6x5xf32>) -> tensor<1x1x2x3xf32>
  return %0 : tensor<1x1x2x3xf32>
}

// Tests that in ceil mode a stride longer than the input gives one window
// per axis, without overflowing where the second window would start.
// CHECK-LABEL: func.func @max_pool2d_ceil_long_stride
// CHECK: intr.max_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 3, 3>, strides = array<i64: 9223372036854775807, 9223372036854775807>}
// CHECK-SAME: -> tensor<1x2x1x1xf32>
func.func @max_pool2d_ceil_long_stride(%x: tensor<1x2x10x10xf32>) -> tensor<1x2x1x1xf32> {
  %0 = intr.max_pool2d %x
      {ceil_mode = true, kernel = array<i64: 3, 3>,
       strides = array<i64: 9223372036854775807, 9223372036854775807>}
      : (tensor<1x2x10x10xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// Tests that strides default to [1, 1] and that dynamic sizes stay dynamic,
// in bf16.
// CHECK-LABEL: func.func @max_pool2d_dynamic
// CHECK: intr.max_pool2d %arg0 {kernel = array<i64: 2, 2>} : (tensor<?x4x?x9xbf16>) -> tensor<?x4x?x8xbf16>
func.func @max_pool2d_dynamic(%x: tensor<?x4x?x9xbf16>) -> tensor<?x4x?x8xbf16> {
  %0 = intr.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<?x4x?x9xbf16>) -> tensor<?x4x?x8xbf16>
  return %0 : tensor<?x4x?x8xbf16>
}

//===----------------------------------------------------------------------===//
// intr.linear
//===----------------------------------------------------------------------===//

// Tests that the first layer of an encoder FFN (PyTorch weight layout, bias,
// ReLU) round-trips.
// CHECK-LABEL: func.func @linear_ffn
// CHECK: intr.linear %arg0, %arg1, %arg2 {activation = "relu"}
// CHECK-SAME: : (tensor<1x950x256xf32>, tensor<2048x256xf32>, tensor<2048xf32>) -> tensor<1x950x2048xf32>
func.func @linear_ffn(%x: tensor<1x950x256xf32>, %w: tensor<2048x256xf32>, %b: tensor<2048xf32>)
    -> tensor<1x950x2048xf32> {
  %0 = intr.linear %x, %w, %b {activation = "relu"}
      : (tensor<1x950x256xf32>, tensor<2048x256xf32>, tensor<2048xf32>) -> tensor<1x950x2048xf32>
  return %0 : tensor<1x950x2048xf32>
}

// Tests that the presence head, Linear(256 -> 1) on every class query, keeps
// the leading dimensions; the default transpose_weight is not printed.
// CHECK-LABEL: func.func @linear_presence_head
// CHECK: intr.linear %arg0, %arg1, %arg2 : (tensor<1x200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<1x200x1xf32>
func.func @linear_presence_head(%x: tensor<1x200x256xf32>, %w: tensor<1x256xf32>, %b: tensor<1xf32>)
    -> tensor<1x200x1xf32> {
  %0 = intr.linear %x, %w, %b {activation = "none", transpose_weight = true}
      : (tensor<1x200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<1x200x1xf32>
  return %0 : tensor<1x200x1xf32>
}

// Tests that a [K, N] weight (ONNX MatMul) without bias round-trips in f16.
// CHECK-LABEL: func.func @linear_matmul_no_bias
// CHECK: intr.linear %arg0, %arg1 {transpose_weight = false} : (tensor<5x256xf16>, tensor<256x10xf16>) -> tensor<5x10xf16>
func.func @linear_matmul_no_bias(%x: tensor<5x256xf16>, %w: tensor<256x10xf16>) -> tensor<5x10xf16> {
  %0 = intr.linear %x, %w {transpose_weight = false}
      : (tensor<5x256xf16>, tensor<256x10xf16>) -> tensor<5x10xf16>
  return %0 : tensor<5x10xf16>
}

// Tests that dynamic leading sizes stay dynamic, that a rank-1 input works, and
// that N comes from the bias when the weight does not know it.
// CHECK-LABEL: func.func @linear_dynamic
// CHECK: intr.linear %arg0, %arg1 : (tensor<?x?x64xbf16>, tensor<32x64xbf16>) -> tensor<?x?x32xbf16>
// CHECK: intr.linear %arg2, %arg3, %arg4 : (tensor<64xbf16>, tensor<?x64xbf16>, tensor<32xbf16>) -> tensor<32xbf16>
func.func @linear_dynamic(%x: tensor<?x?x64xbf16>, %w: tensor<32x64xbf16>, %v: tensor<64xbf16>,
    %wd: tensor<?x64xbf16>, %b: tensor<32xbf16>) -> (tensor<?x?x32xbf16>, tensor<32xbf16>) {
  %0 = intr.linear %x, %w : (tensor<?x?x64xbf16>, tensor<32x64xbf16>) -> tensor<?x?x32xbf16>
  %1 = intr.linear %v, %wd, %b : (tensor<64xbf16>, tensor<?x64xbf16>, tensor<32xbf16>) -> tensor<32xbf16>
  return %0, %1 : tensor<?x?x32xbf16>, tensor<32xbf16>
}

//===----------------------------------------------------------------------===//
// intr.layer_norm
//===----------------------------------------------------------------------===//

// Tests that a layer norm without residual round-trips, its default epsilon
// not printed.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK: %output, %sum = intr.layer_norm %arg0, %arg1, %arg2 : (tensor<1x200x256xf32>, tensor<256xf32>, tensor<256xf32>) -> (tensor<1x200x256xf32>, tensor<1x200x256xf32>)
func.func @layer_norm_plain(%x: tensor<1x200x256xf32>, %scale: tensor<256xf32>, %bias: tensor<256xf32>)
    -> tensor<1x200x256xf32> {
  %out, %sum = intr.layer_norm %x, %scale, %bias {epsilon = 1.0e-5 : f64}
      : (tensor<1x200x256xf32>, tensor<256xf32>, tensor<256xf32>)
      -> (tensor<1x200x256xf32>, tensor<1x200x256xf32>)
  return %out : tensor<1x200x256xf32>
}

// Tests that the fused residual add of a post-norm layer round-trips with an
// explicit epsilon in f16.
// CHECK-LABEL: func.func @layer_norm_residual
// CHECK: intr.layer_norm %arg0, %arg1, %arg2 residual(%arg3) {epsilon = 9.9999999999999995E-7 : f64}
// CHECK-SAME: : (tensor<1x950x256xf16>, tensor<256xf16>, tensor<256xf16>, tensor<1x950x256xf16>) -> (tensor<1x950x256xf16>, tensor<1x950x256xf16>)
func.func @layer_norm_residual(%x: tensor<1x950x256xf16>, %scale: tensor<256xf16>,
    %bias: tensor<256xf16>, %res: tensor<1x950x256xf16>)
    -> (tensor<1x950x256xf16>, tensor<1x950x256xf16>) {
  %out, %sum = intr.layer_norm %x, %scale, %bias residual(%res) {epsilon = 1.0e-6 : f64}
      : (tensor<1x950x256xf16>, tensor<256xf16>, tensor<256xf16>, tensor<1x950x256xf16>)
      -> (tensor<1x950x256xf16>, tensor<1x950x256xf16>)
  return %out, %sum : tensor<1x950x256xf16>, tensor<1x950x256xf16>
}

// Tests that an addend, with or without a residual, round-trips and adds
// the shifted result.
// CHECK-LABEL: func.func @layer_norm_addend
// CHECK: %output, %sum, %shifted = intr.layer_norm %arg0, %arg1, %arg2 addend(%arg3) :
// CHECK-SAME: (tensor<950x1x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<950x1x256xf32>) -> (tensor<950x1x256xf32>, tensor<950x1x256xf32>, tensor<950x1x256xf32>)
// CHECK: intr.layer_norm %arg0, %arg1, %arg2 residual(%arg4) addend(%arg3) :
func.func @layer_norm_addend(%x: tensor<950x1x256xf32>, %scale: tensor<256xf32>,
    %bias: tensor<256xf32>, %pos: tensor<950x1x256xf32>, %res: tensor<950x1x256xf32>)
    -> (tensor<950x1x256xf32>, tensor<950x1x256xf32>) {
  %out, %sum, %shifted = intr.layer_norm %x, %scale, %bias addend(%pos)
      : (tensor<950x1x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<950x1x256xf32>)
      -> (tensor<950x1x256xf32>, tensor<950x1x256xf32>, tensor<950x1x256xf32>)
  %out2, %sum2, %shifted2 = intr.layer_norm %x, %scale, %bias residual(%res) addend(%pos)
      : (tensor<950x1x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<950x1x256xf32>, tensor<950x1x256xf32>)
      -> (tensor<950x1x256xf32>, tensor<950x1x256xf32>, tensor<950x1x256xf32>)
  return %shifted, %shifted2 : tensor<950x1x256xf32>, tensor<950x1x256xf32>
}

// Tests that each result size comes from whichever operand knows it.
// CHECK-LABEL: func.func @layer_norm_dynamic
// CHECK: intr.layer_norm %arg0, %arg1, %arg2 residual(%arg3)
// CHECK-SAME: : (tensor<?x?xbf16>, tensor<?xbf16>, tensor<256xbf16>, tensor<4x?xbf16>) -> (tensor<4x256xbf16>, tensor<4x256xbf16>)
func.func @layer_norm_dynamic(%x: tensor<?x?xbf16>, %scale: tensor<?xbf16>, %bias: tensor<256xbf16>,
    %res: tensor<4x?xbf16>) -> (tensor<4x256xbf16>, tensor<4x256xbf16>) {
  %out, %sum = intr.layer_norm %x, %scale, %bias residual(%res)
      : (tensor<?x?xbf16>, tensor<?xbf16>, tensor<256xbf16>, tensor<4x?xbf16>)
      -> (tensor<4x256xbf16>, tensor<4x256xbf16>)
  return %out, %sum : tensor<4x256xbf16>, tensor<4x256xbf16>
}

// Tests that fake_quantize prints as it parses.
// CHECK-LABEL: func.func @fake_quantize
// CHECK: intr.fake_quantize %arg0 {high = 124 : i64, low = -131 : i64, scale = 2.350000e-02 : f32} : tensor<1x64x56x56xf32>
func.func @fake_quantize(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %0 = intr.fake_quantize %x {scale = 0.0235 : f32, low = -131, high = 124} : tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}
