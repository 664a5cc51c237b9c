// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Every message of the intr.conv2d, intr.max_pool2d, intr.channel_affine,
// intr.fake_quantize, intr.linear and intr.layer_norm verifiers.

//===----------------------------------------------------------------------===//
// intr.conv2d
//===----------------------------------------------------------------------===//

// -----

// Tests that an input of rank 3 is rejected.
func.func @f(%input: tensor<8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op input must be [N, C, H, W], got rank 3 [8, 10, 10]}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a weight of rank 2 is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x72xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op weight must be [O, C/groups, kh, kw], got rank 2 [16, 72]}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x72xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that an f64 input is rejected.
func.func @f(%input: tensor<1x8x10x10xf64>, %weight: tensor<16x8x3x3xf64>, %bias: tensor<16xf64>) {
  // expected-error @+1 {{'intr.conv2d' op element type of input (f64) must be f32, f16 or bf16}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf64>, tensor<16x8x3x3xf64>, tensor<16xf64>) -> tensor<1x16x8x8xf64>
  return
}

// -----

// Tests that a weight in another element type is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf16>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op element type of weight (f16) differs from input (f32)}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf16>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a bias in another element type is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xbf16>) {
  // expected-error @+1 {{'intr.conv2d' op element type of bias (bf16) differs from input (f32)}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xbf16>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that an unknown activation is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op activation must be "none" or "relu", got "gelu"}}
  %0 = intr.conv2d %input, %weight, %bias {activation = "gelu"}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that strides with 3 values are rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op strides must have 2 values [h, w], got 3}}
  %0 = intr.conv2d %input, %weight, %bias {strides = array<i64: 1, 1, 1>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a zero stride is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op strides must be positive, got [1, 0]}}
  %0 = intr.conv2d %input, %weight, %bias {strides = array<i64: 1, 0>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that dilations with 1 value are rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op dilations must have 2 values [h, w], got 1}}
  %0 = intr.conv2d %input, %weight, %bias {dilations = array<i64: 2>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a negative dilation is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op dilations must be positive, got [1, -1]}}
  %0 = intr.conv2d %input, %weight, %bias {dilations = array<i64: 1, -1>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that padding with 2 values is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op padding must have 4 values [top, left, bottom, right], got 2}}
  %0 = intr.conv2d %input, %weight, %bias {padding = array<i64: 1, 1>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a negative padding is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op padding must be non-negative, got [0, 0, -1, 0]}}
  %0 = intr.conv2d %input, %weight, %bias {padding = array<i64: 0, 0, -1, 0>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that zero groups are rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op groups must be positive, got 0}}
  %0 = intr.conv2d %input, %weight, %bias {groups = 0 : i64}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that groups that do not divide the input channels are rejected.
func.func @f(%input: tensor<1x64x10x10xf32>, %weight: tensor<66x21x3x3xf32>, %bias: tensor<66xf32>) {
  // expected-error @+1 {{'intr.conv2d' op groups = 3 does not divide C = 64}}
  %0 = intr.conv2d %input, %weight, %bias {groups = 3 : i64}
      : (tensor<1x64x10x10xf32>, tensor<66x21x3x3xf32>, tensor<66xf32>) -> tensor<1x66x8x8xf32>
  return
}

// -----

// Tests that groups that do not divide the output channels are rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<18x2x3x3xf32>, %bias: tensor<18xf32>) {
  // expected-error @+1 {{'intr.conv2d' op groups = 4 does not divide O = 18}}
  %0 = intr.conv2d %input, %weight, %bias {groups = 4 : i64}
      : (tensor<1x8x10x10xf32>, tensor<18x2x3x3xf32>, tensor<18xf32>) -> tensor<1x18x8x8xf32>
  return
}

// -----

// Tests that a channels-last weight is read as [O, kh, kw, C/groups]: an
// OIHW one is rejected, naming the layout.
func.func @f(%input: tensor<1x10x10x64xf32>, %weight: tensor<64x64x3x3xf32>, %bias: tensor<64xf32>) {
  // expected-error @+1 {{'intr.conv2d' op weight must be [O, kh, kw, C/groups] with C/groups = 64, got [64, 64, 3, 3]}}
  %0 = intr.conv2d %input, %weight, %bias {channels_last = true}
      : (tensor<1x10x10x64xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x8x8x64xf32>
  return
}

// -----

// Tests that a channels-last input must be [N, H, W, C].
func.func @f(%input: tensor<10x10x64xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op input must be [N, H, W, C], got rank 3 [10, 10, 64]}}
  %0 = intr.max_pool2d %input {channels_last = true, kernel = array<i64: 2, 2>}
      : (tensor<10x10x64xf32>) -> tensor<5x5x64xf32>
  return
}

// -----

// Tests that a weight whose input channels are not C/groups is rejected.
func.func @f(%input: tensor<1x64x10x10xf32>, %weight: tensor<64x32x3x3xf32>, %bias: tensor<64xf32>) {
  // expected-error @+1 {{'intr.conv2d' op weight must be [O, C/groups, kh, kw] with C/groups = 16, got [64, 32, 3, 3]}}
  %0 = intr.conv2d %input, %weight, %bias {groups = 4 : i64}
      : (tensor<1x64x10x10xf32>, tensor<64x32x3x3xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  return
}

// -----

// Tests that a bias of the wrong length is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<8xf32>) {
  // expected-error @+1 {{'intr.conv2d' op bias must be [O] = [16], got [8]}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a bias of rank 2 is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<1x16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op bias must be [O] = [16], got [1, 16]}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<1x16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that an empty kernel is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x0x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op kernel size must be positive, got weight [16, 8, 0, 3]}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x10x10xf32>, tensor<16x8x0x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a kernel taller than the padded input is rejected.
func.func @f(%input: tensor<1x8x5x10xf32>, %weight: tensor<16x8x7x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op output size is not positive: H = 5 with kernel 7, dilation 1, padding 0+0}}
  %0 = intr.conv2d %input, %weight, %bias
      : (tensor<1x8x5x10xf32>, tensor<16x8x7x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a dilated kernel wider than the padded input is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op output size is not positive: W = 10 with kernel 3, dilation 6, padding 1+0}}
  %0 = intr.conv2d %input, %weight, %bias {dilations = array<i64: 1, 6>, padding = array<i64: 0, 1, 0, 0>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a dilated kernel larger than int64 is rejected as not fitting.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op output size is not positive: H = 10 with kernel 3, dilation 4611686018427387904, padding 0+0}}
  %0 = intr.conv2d %input, %weight, %bias {dilations = array<i64: 4611686018427387904, 1>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that an output size that overflows is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.conv2d' op output size overflows: H = 10 with kernel 3, dilation 1, padding 4611686018427387904+4611686018427387904}}
  %0 = intr.conv2d %input, %weight, %bias {padding = array<i64: 4611686018427387904, 0, 4611686018427387904, 0>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a result of the wrong spatial size is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.conv2d' op inferred type(s) 'tensor<1x16x10x10xf32>' are incompatible with return type(s) of operation 'tensor<1x16x8x8xf32>'}}
  %0 = intr.conv2d %input, %weight, %bias {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a residual of another shape than the result is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>, %residual: tensor<1x16x8x9xf32>) {
  // expected-error @+1 {{'intr.conv2d' op residual must have the result's shape [1, 16, 8, 8], got [1, 16, 8, 9]}}
  %0 = intr.conv2d %input, %weight, %bias residual(%residual)
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<1x16x8x9xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

// Tests that a residual in another element type is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>, %weight: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>, %residual: tensor<1x16x8x8xf16>) {
  // expected-error @+1 {{'intr.conv2d' op element type of residual (f16) differs from input (f32)}}
  %0 = intr.conv2d %input, %weight, %bias residual(%residual)
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<1x16x8x8xf16>) -> tensor<1x16x8x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// intr.max_pool2d
//===----------------------------------------------------------------------===//

// -----

// Tests that an input of rank 2 is rejected.
func.func @f(%input: tensor<10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op input must be [N, C, H, W], got rank 2 [10, 10]}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>}
      : (tensor<10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that an f64 input is rejected.
func.func @f(%input: tensor<1x8x10x10xf64>) {
  // expected-error @+1 {{'intr.max_pool2d' op element type of input (f64) must be f32, f16 or bf16}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>}
      : (tensor<1x8x10x10xf64>) -> tensor<1x8x8x8xf64>
  return
}

// -----

// Tests that a kernel with 3 values is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op kernel must have 2 values [kh, kw], got 3}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3, 3>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a zero kernel size is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op kernel must be positive, got [0, 3]}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 0, 3>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that strides with 1 value are rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op strides must have 2 values [h, w], got 1}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>, strides = array<i64: 2>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a negative stride is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op strides must be positive, got [-2, 2]}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>, strides = array<i64: -2, 2>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that padding with 3 values is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op padding must have 4 values [top, left, bottom, right], got 3}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a negative padding is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op padding must be non-negative, got [-1, 0, 0, 0]}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>, padding = array<i64: -1, 0, 0, 0>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a padding as large as the kernel is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op padding [0, 0, 0, 2] must be smaller than kernel [3, 2] along each axis}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 2>, padding = array<i64: 0, 0, 0, 2>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that an input without rows is rejected.
func.func @f(%input: tensor<1x8x0x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op input must have positive H and W, got [1, 8, 0, 10]}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 3>, padding = array<i64: 2, 1, 2, 1>}
      : (tensor<1x8x0x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a kernel wider than the padded input is rejected.
func.func @f(%input: tensor<1x8x10x4xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op output size is not positive: W = 4 with kernel 7, padding 1+1}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 3, 7>, padding = array<i64: 0, 1, 0, 1>}
      : (tensor<1x8x10x4xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that an output size that overflows is rejected.
func.func @f(%input: tensor<1x8x10x10xf32>) {
  // expected-error @+1 {{'intr.max_pool2d' op output size overflows: H = 10 with kernel 4611686018427387905, padding 4611686018427387904+4611686018427387904}}
  %0 = intr.max_pool2d %input {kernel = array<i64: 4611686018427387905, 3>, padding = array<i64: 4611686018427387904, 0, 4611686018427387904, 0>}
      : (tensor<1x8x10x10xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

// Tests that a result that ignores ceil mode is rejected.
func.func @f(%input: tensor<1x8x6x6xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.max_pool2d' op inferred type(s) 'tensor<1x8x3x3xf32>' are incompatible with return type(s) of operation 'tensor<1x8x2x2xf32>'}}
  %0 = intr.max_pool2d %input {ceil_mode = true, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x8x6x6xf32>) -> tensor<1x8x2x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// intr.linear
//===----------------------------------------------------------------------===//

// -----

// Tests that a bias varying along two axes of the result is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<2x5x16xf32>) {
  // expected-error @+1 {{'intr.linear' op bias must be [N] or vary along one axis of the result [2, 5, 16] (1 at the others), got [2, 5, 16]}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a positional bias must have the result's size where it varies.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<1x4x16xf32>) {
  // expected-error @+1 {{'intr.linear' op bias must be [N] or vary along one axis of the result [2, 5, 16] (1 at the others), got [1, 4, 16]}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<1x4x16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a rank-0 input is rejected.
func.func @f(%input: tensor<f32>, %weight: tensor<16x32xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op input must be [..., K], got rank 0 []}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<f32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a weight of rank 3 is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<1x16x32xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op weight must be [N, K], got rank 3 [1, 16, 32]}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<1x16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that an f64 input is rejected.
func.func @f(%input: tensor<2x5x32xf64>, %weight: tensor<16x32xf64>, %bias: tensor<16xf64>) {
  // expected-error @+1 {{'intr.linear' op element type of input (f64) must be f32, f16 or bf16}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf64>, tensor<16x32xf64>, tensor<16xf64>) -> tensor<2x5x16xf64>
  return
}

// -----

// Tests that a weight in another element type is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xbf16>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op element type of weight (bf16) differs from input (f32)}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x32xbf16>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a bias in another element type is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<16xf16>) {
  // expected-error @+1 {{'intr.linear' op element type of bias (f16) differs from input (f32)}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<16xf16>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that an unknown activation is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op activation must be "none" or "relu", got "sigmoid"}}
  %0 = intr.linear %input, %weight, %bias {activation = "sigmoid"}
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that an [N, K] weight with another K is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x64xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op weight must be [N, K] with K = 32, got [16, 64]}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a [K, N] weight with another K is rejected (transpose_weight = false).
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.linear' op weight must be [K, N] with K = 32, got [16, 32]}}
  %0 = intr.linear %input, %weight, %bias {transpose_weight = false}
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a bias of the wrong length is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.linear' op bias must be [N] = [16], got [32]}}
  %0 = intr.linear %input, %weight, %bias
      : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

// Tests that a result with the wrong N is rejected.
func.func @f(%input: tensor<2x5x32xf32>, %weight: tensor<16x32xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.linear' op inferred type(s) 'tensor<2x5x16xf32>' are incompatible with return type(s) of operation 'tensor<2x5x32xf32>'}}
  %0 = intr.linear %input, %weight
      : (tensor<2x5x32xf32>, tensor<16x32xf32>) -> tensor<2x5x32xf32>
  return
}

//===----------------------------------------------------------------------===//
// intr.layer_norm
//===----------------------------------------------------------------------===//

// -----

// Tests that a rank-0 input is rejected.
func.func @f(%input: tensor<f32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op input must be [..., D], got rank 0 []}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<f32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<f32>, tensor<f32>)
  return
}

// -----

// Tests that an f64 input is rejected.
func.func @f(%input: tensor<2x6x32xf64>, %scale: tensor<32xf64>, %bias: tensor<32xf64>) {
  // expected-error @+1 {{'intr.layer_norm' op element type of input (f64) must be f32, f16 or bf16}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf64>, tensor<32xf64>, tensor<32xf64>) -> (tensor<2x6x32xf64>, tensor<2x6x32xf64>)
  return
}

// -----

// Tests that a scale in another element type is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf16>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op element type of scale (f16) differs from input (f32)}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf32>, tensor<32xf16>, tensor<32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a residual in another element type is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>, %residual: tensor<2x6x32xbf16>) {
  // expected-error @+1 {{'intr.layer_norm' op element type of residual (bf16) differs from input (f32)}}
  %0:2 = intr.layer_norm %input, %scale, %bias residual(%residual)
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x6x32xbf16>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that an addend of another shape is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>, %addend: tensor<1x6x32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op addend must have the shape of input [2, 6, 32], got [1, 6, 32]}}
  %0:3 = intr.layer_norm %input, %scale, %bias addend(%addend)
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<1x6x32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that an addend in another element type is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>, %addend: tensor<2x6x32xf16>) {
  // expected-error @+1 {{'intr.layer_norm' op element type of addend (f16) differs from input (f32)}}
  %0:3 = intr.layer_norm %input, %scale, %bias addend(%addend)
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x6x32xf16>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that the shifted result comes only with an addend.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+2 {{'intr.layer_norm' op inferred type(s) 'tensor<2x6x32xf32>', 'tensor<2x6x32xf32>' are incompatible}}
  // expected-error @+1 {{'intr.layer_norm' op failed to infer returned types}}
  %0:3 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a negative epsilon is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op epsilon must be non-negative and finite, got -0.000010}}
  %0:2 = intr.layer_norm %input, %scale, %bias {epsilon = -1.0e-5 : f64}
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that an infinite epsilon is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op epsilon must be non-negative and finite, got inf}}
  %0:2 = intr.layer_norm %input, %scale, %bias {epsilon = 0x7FF0000000000000 : f64}
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a residual of another shape is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>, %residual: tensor<2x6x16xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op residual must have the shape of input [2, 6, 32], got [2, 6, 16]}}
  %0:2 = intr.layer_norm %input, %scale, %bias residual(%residual)
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x6x16xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a residual of another rank is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>, %residual: tensor<12x32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op residual must have the shape of input [2, 6, 32], got [12, 32]}}
  %0:2 = intr.layer_norm %input, %scale, %bias residual(%residual)
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<12x32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a scale of the wrong length is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<16xf32>, %bias: tensor<32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op scale must be [D] = [32], got [16]}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf32>, tensor<16xf32>, tensor<32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a bias of the wrong length is rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<1x32xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op bias must be [D] = [32], got [1, 32]}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<1x32xf32>) -> (tensor<2x6x32xf32>, tensor<2x6x32xf32>)
  return
}

// -----

// Tests that a bias that differs from the scale is rejected when the input does not know D.
func.func @f(%input: tensor<2x?xf32>, %scale: tensor<32xf32>, %bias: tensor<16xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op bias must be [D] = [32], got [16]}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x?xf32>, tensor<32xf32>, tensor<16xf32>) -> (tensor<2x32xf32>, tensor<2x32xf32>)
  return
}

// -----

// Tests that an empty normalized dimension is rejected.
func.func @f(%input: tensor<2x0xf32>, %scale: tensor<0xf32>, %bias: tensor<0xf32>) {
  // expected-error @+1 {{'intr.layer_norm' op normalized size D must be positive, got 0}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x0xf32>, tensor<0xf32>, tensor<0xf32>) -> (tensor<2x0xf32>, tensor<2x0xf32>)
  return
}

// -----

// Tests that results in another element type are rejected.
func.func @f(%input: tensor<2x6x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'intr.layer_norm' op inferred type(s) 'tensor<2x6x32xf32>', 'tensor<2x6x32xf32>' are incompatible with return type(s) of operation 'tensor<2x6x32xf16>', 'tensor<2x6x32xf16>'}}
  %0:2 = intr.layer_norm %input, %scale, %bias
      : (tensor<2x6x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x6x32xf16>, tensor<2x6x32xf16>)
  return
}

// -----

// Tests that channel_affine's scale has one value per channel (the last
// dimension, channels last).
func.func @f(%x: tensor<1x4x4x8xf32>, %s: tensor<4xf32>, %t: tensor<8xf32>) {
  // expected-error @+1 {{'intr.channel_affine' op scale must be [C] = [8], got [4]}}
  %0 = intr.channel_affine %x, %s, %t {channels_last = true}
      : (tensor<1x4x4x8xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

// Tests that channel_affine's shift has one value per channel.
func.func @f(%x: tensor<1x4x4x8xf32>, %s: tensor<4xf32>, %t: tensor<8xf32>) {
  // expected-error @+1 {{'intr.channel_affine' op shift must be [C] = [4], got [8]}}
  %0 = intr.channel_affine %x, %s, %t
      : (tensor<1x4x4x8xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

// Tests that channel_affine's input is an image and its activation known.
func.func @f(%x: tensor<4x8xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'intr.channel_affine' op input must be [N, C, H, W], got rank 2 [4, 8]}}
  %0 = intr.channel_affine %x, %s, %s : (tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'intr.channel_affine' op activation must be "none" or "relu", got "gelu"}}
  %0 = intr.channel_affine %x, %s, %s {activation = "gelu"} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that channel_affine's scale and shift are f32 (ODS).
func.func @f(%x: tensor<1x4x2x2xbf16>, %s: tensor<4xbf16>) {
  // expected-error @+1 {{'intr.channel_affine' op operand #1 must be ranked tensor of 32-bit float values}}
  %0 = intr.channel_affine %x, %s, %s : (tensor<1x4x2x2xbf16>, tensor<4xbf16>, tensor<4xbf16>) -> tensor<1x4x2x2xbf16>
  return
}

//===----------------------------------------------------------------------===//
// intr.fake_quantize
//===----------------------------------------------------------------------===//

// -----

// Tests that the bounds must be in order.
func.func @f(%x: tensor<4xf32>) {
  // expected-error @+1 {{'intr.fake_quantize' op low and high must be integers with low <= high of magnitude at most 2^24, got 3 and -4}}
  %0 = intr.fake_quantize %x {scale = 0.5 : f32, low = 3, high = -4} : tensor<4xf32>
  return
}

// -----

// Tests that the bounds must be within 2^24, the integers every one of
// which is an f32.
func.func @f(%x: tensor<4xf32>) {
  // expected-error @+1 {{'intr.fake_quantize' op low and high must be integers with low <= high of magnitude at most 2^24, got 0 and 16777217}}
  %0 = intr.fake_quantize %x {scale = 0.5 : f32, low = 0, high = 16777217} : tensor<4xf32>
  return
}

// -----

// Tests that the input is f32.
func.func @f(%x: tensor<4xbf16>) {
  // expected-error @+1 {{'intr.fake_quantize' op operand #0 must be ranked tensor of 32-bit float values}}
  %0 = intr.fake_quantize %x {scale = 0.5 : f32, low = 0, high = 255} : tensor<4xbf16>
  return
}
