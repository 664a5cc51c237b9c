// RUN: intr-opt %s -split-input-file --convert-onnx-to-intr | FileCheck %s
// RUN: intr-opt %s -split-input-file --convert-onnx-to-intr --intr-report-raising 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT

// The report after raising says why the MatMul of two activations was left.
// REPORT: raising report for @matmul_of_activations_is_kept:
// REPORT: onnx.MatMul left: 1
// REPORT-NEXT: onnx.MatMul at {{.*}} left: the right operand is neither a constant weight nor followed by the Add of a 1-D bias

// Tests that a Conv followed by frozen batch norm as per-channel Mul and Add
// (torch 1.13's FrozenBatchNorm2d) and a Relu becomes one conv2d whose
// weights and bias carry the scale and shift: W' = W * s, b' = b * s + t.
// CHECK-LABEL: func.func @conv_frozen_bn_relu
// CHECK-DAG: %[[W:.*]] = onnx.Constant dense<[{{\[\[}}[3.000000e+00]]], {{\[\[}}[8.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<[5.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = intr.conv2d %arg0, %[[W]], %[[B]] {activation = "relu", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT: onnx.
// CHECK: return %[[C]]
func.func @conv_frozen_bn_relu(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = onnx.Constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %s = onnx.Constant dense<[[[[3.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %m = onnx.Mul %c, %s : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %t = onnx.Constant dense<[[[[5.0]], [[6.0]]]]> : tensor<1x2x1x1xf32>
  %a = onnx.Add %m, %t : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %r = onnx.Relu %a : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// Tests that BatchNormalization after a Conv folds into its weights:
// s = gamma / sqrt(var + eps) = [1, 0.25], t = beta - mean * s = [0.5, 0].
// CHECK-LABEL: func.func @conv_batchnorm
// CHECK-DAG: %[[W:.*]] = onnx.Constant dense<[{{\[\[}}[1.000000e+00]]], {{\[\[}}[5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<[1.000000e+00, -1.250000e-01]> : tensor<2xf32>
// CHECK: intr.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NOT: onnx.BatchNormalization
func.func @conv_batchnorm(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = onnx.Constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = onnx.Constant dense<[0.5, -0.5]> : tensor<2xf32>
  %c = onnx.Conv %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %gamma = onnx.Constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = onnx.Constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = onnx.Constant dense<[0.5, 0.0]> : tensor<2xf32>
  %var = onnx.Constant dense<[3.0, 15.0]> : tensor<2xf32>
  %y, %rm, %rv = onnx.BatchNormalization %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Tests that a batch norm that no convolution takes in becomes one
// channel_affine (s and t as above) with the ReLU after it (DenseNet's,
// after a concatenation), and one of a convolution that something else
// reads too becomes one as well, and so does one of a conv2d whose weights
// are not constants; the near miss, a batch norm whose running statistics
// are read, stays.
// CHECK-LABEL: func.func @batchnorm_without_conv
// CHECK-DAG: %[[S:.*]] = onnx.Constant dense<[1.000000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[T:.*]] = onnx.Constant dense<[5.000000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[J:.*]] = onnx.Concat
// CHECK: %[[A:.*]] = intr.channel_affine %[[J]], %[[S]], %[[T]] {activation = "relu"} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK: %[[C:.*]] = intr.conv2d
// CHECK: %[[B:.*]] = intr.channel_affine %[[C]], %[[S]], %[[T]] : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK: %[[Z:.*]] = onnx.Concat %arg0, %arg0
// CHECK: %{{.*}}, %[[RM:.*]], %{{.*}} = onnx.BatchNormalization %[[Z]]
// CHECK: %[[V:.*]] = intr.conv2d %arg0, %arg2, %{{.*}} :
// CHECK: %[[D:.*]] = intr.channel_affine %[[V]], %[[S]], %[[T]] :
// CHECK: return %[[A]], %[[C]], %[[B]], %[[RM]], %[[D]]
func.func @batchnorm_without_conv(%x: tensor<1x1x3x3xf32>, %y: tensor<1x1x3x3xf32>, %wv: tensor<2x1x1x1xf32>)
    -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<1x2x3x3xf32>) {
  %gamma = onnx.Constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = onnx.Constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = onnx.Constant dense<[0.5, 0.0]> : tensor<2xf32>
  %var = onnx.Constant dense<[3.0, 15.0]> : tensor<2xf32>
  %j = onnx.Concat %x, %y {axis = 1 : si64} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %n, %rm0, %rv0 = onnx.BatchNormalization %j, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  %r = onnx.Relu %n : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %w = onnx.Constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %m, %rm1, %rv1 = onnx.BatchNormalization %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  %z = onnx.Concat %x, %x {axis = 1 : si64} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %k, %rm2, %rv2 = onnx.BatchNormalization %z, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  %v = onnx.Conv %x, %wv, %none : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %d, %rm3, %rv3 = onnx.BatchNormalization %v, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>)
  return %r, %c, %m, %rm2, %d : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<1x2x3x3xf32>
}

// -----

// Tests that a Conv with SAME padding is left as it is (near miss).
// CHECK-LABEL: func.func @conv_same_padding_is_kept
// CHECK: onnx.Conv
// CHECK-NOT: intr.conv2d
func.func @conv_same_padding_is_kept(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none {auto_pad = "SAME_UPPER"} : (tensor<1x1x3x3xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x2x3x3xf32>
  return %c : tensor<1x2x3x3xf32>
}

// -----

// Tests that a Conv whose W, given at run time, has no static shape is
// left as it is (near miss; its zero bias needs the filters' count).
// CHECK-LABEL: func.func @conv_dynamic_weights_is_kept
// CHECK: onnx.Conv
// CHECK-NOT: intr.conv2d
func.func @conv_dynamic_weights_is_kept(%x: tensor<1x4x3x3xf32>, %w: tensor<?x4x3x3xf32>) -> tensor<1x?x1x1xf32> {
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x4x3x3xf32>, tensor<?x4x3x3xf32>, none) -> tensor<1x?x1x1xf32>
  return %c : tensor<1x?x1x1xf32>
}

// -----

// Tests that the ResNet stem's MaxPool becomes max_pool2d.
// CHECK-LABEL: func.func @max_pool
// CHECK: intr.max_pool2d %arg0 {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
func.func @max_pool(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xi64>)
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Tests a residual block's relu(conv(x) + conv(y)) and relu(conv(x) + y):
// the sum moves into a conv2d as its residual (of two convs, either one
// takes the other) and the ReLU follows it; the fused conv moves down to
// the sum, after its residual's producer.
// CHECK-LABEL: func.func @conv_residual_relu
// CHECK: %[[D:.*]] = intr.conv2d %arg{{[01]}}, %{{.*}}, %{{.*}} :
// CHECK: %[[A:.*]] = intr.conv2d %arg{{[01]}}, %{{.*}}, %{{.*}} residual(%[[D]]) {activation = "relu"} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK: %[[B:.*]] = intr.conv2d %[[A]], %{{.*}}, %{{.*}} residual(%[[A]]) {activation = "relu"}
// CHECK-NOT: onnx.
// CHECK: return %[[B]]
func.func @conv_residual_relu(%x: tensor<1x1x2x2xf32>, %y: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = onnx.Constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %w2 = onnx.Constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %d = onnx.Conv %y, %w, %none : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %a = onnx.Add %c, %d : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %r = onnx.Relu %a : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %e = onnx.Conv %r, %w2, %none : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %a2 = onnx.Add %r, %e : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %r2 = onnx.Relu %a2 : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %r2 : tensor<1x2x2x2xf32>
}

// -----

// Tests the near misses: a conv read twice, a conv with its ReLU already,
// and a broadcasting sum keep their Add.
// CHECK-LABEL: func.func @conv_residual_near_misses
// CHECK-NOT: residual(
// CHECK-COUNT-3: onnx.Add
// CHECK-NOT: residual(
func.func @conv_residual_near_misses(%x: tensor<1x1x2x2xf32>, %y: tensor<1x2x2x2xf32>, %z: tensor<1x2x1x2xf32>)
    -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = onnx.Constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %a = onnx.Add %c, %y : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %d = onnx.Conv %x, %w, %none : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %rd = onnx.Relu %d : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %b = onnx.Add %rd, %y : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %e = onnx.Conv %x, %w, %none : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %f = onnx.Add %e, %z : (tensor<1x2x2x2xf32>, tensor<1x2x1x2xf32>) -> tensor<1x2x2x2xf32>
  return %a, %c, %b, %f : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Tests that Gemm(transB = 1) becomes a linear in PyTorch's weight layout
// (the presence head's form) and MatMul + Add + Relu one in [K, N] layout.
// CHECK-LABEL: func.func @linears
// CHECK: %[[A:.*]] = intr.linear %arg0, %arg1, %arg2 : (tensor<5x8xf32>, tensor<1x8xf32>, tensor<1xf32>) -> tensor<5x1xf32>
// CHECK: %[[B:.*]] = intr.linear %arg3, %arg4, %arg5 {activation = "relu", transpose_weight = false} : (tensor<2x5x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
// CHECK-NOT: onnx.
// CHECK: return %[[A]], %[[B]]
func.func @linears(%x: tensor<5x8xf32>, %w: tensor<1x8xf32>, %b: tensor<1xf32>,
                   %y: tensor<2x5x8xf32>, %w2: tensor<8x16xf32>, %b2: tensor<16xf32>)
    -> (tensor<5x1xf32>, tensor<2x5x16xf32>) {
  %g = onnx.Gemm %x, %w, %b {transB = 1 : si64} : (tensor<5x8xf32>, tensor<1x8xf32>, tensor<1xf32>) -> tensor<5x1xf32>
  %m = onnx.MatMul %y, %w2 : (tensor<2x5x8xf32>, tensor<8x16xf32>) -> tensor<2x5x16xf32>
  %a = onnx.Add %m, %b2 : (tensor<2x5x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %r = onnx.Relu %a : (tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  return %g, %r : tensor<5x1xf32>, tensor<2x5x16xf32>
}

// -----

// Tests that a Gemm whose bias of [1] broadcasts over its columns is kept:
// intr.linear takes a bias of [N] (found by intr-conformance --raise on
// test_gemm_default_single_elem_vector_bias).
// CHECK-LABEL: func.func @gemm_with_broadcast_bias_is_kept
// CHECK: onnx.Gemm
// CHECK-NOT: intr.linear
func.func @gemm_with_broadcast_bias_is_kept(%x: tensor<3x5xf32>, %w: tensor<5x4xf32>, %b: tensor<1xf32>) -> tensor<3x4xf32> {
  %g = onnx.Gemm %x, %w, %b : (tensor<3x5xf32>, tensor<5x4xf32>, tensor<1xf32>) -> tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// Tests that a MatMul of two activations is not a linear layer (near miss).
// CHECK-LABEL: func.func @matmul_of_activations_is_kept
// CHECK: onnx.MatMul
// CHECK-NOT: intr.linear
func.func @matmul_of_activations_is_kept(%x: tensor<2x5x8xf32>, %y: tensor<8x16xf32>) -> tensor<2x5x16xf32> {
  %m = onnx.MatMul %x, %y : (tensor<2x5x8xf32>, tensor<8x16xf32>) -> tensor<2x5x16xf32>
  return %m : tensor<2x5x16xf32>
}

// -----

// Tests that LayerNormalization over the last axis becomes layer_norm.
// CHECK-LABEL: func.func @layer_normalization
// CHECK: intr.layer_norm %arg0, %arg1, %arg2 {epsilon = 9.99999974{{[0-9]*}}E-6 : f64}
func.func @layer_normalization(%x: tensor<6x1x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<6x1x32xf32> {
  %y, %mean, %inv = onnx.LayerNormalization %x, %s, %b {epsilon = 1.0e-05 : f32} : (tensor<6x1x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<6x1x32xf32>, tensor<6x1x1xf32>, tensor<6x1x1xf32>)
  return %y : tensor<6x1x32xf32>
}

// -----

// Tests that a LayerNormalization without a bias whose normalized size is
// unknown stays (raising would need a zero bias of that size); compiling
// then refuses the dynamic shape.
// CHECK-LABEL: func.func @layer_normalization_dynamic_size
// CHECK: onnx.LayerNormalization
// CHECK-NOT: intr.layer_norm
func.func @layer_normalization_dynamic_size(%x: tensor<2x?xf32>, %s: tensor<4xf32>) -> tensor<2x?xf32> {
  %none = onnx.NoValue
  %y, %mean, %inv = onnx.LayerNormalization %x, %s, %none : (tensor<2x?xf32>, tensor<4xf32>, none) -> (tensor<2x?xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y : tensor<2x?xf32>
}

// -----

// Tests that torch 1.13's decomposition (ReduceMean, Sub, Pow 2, ReduceMean,
// Add eps, Sqrt, Div, Mul scale, Add bias) becomes one layer_norm.
// CHECK-LABEL: func.func @decomposed_layer_norm
// CHECK: %[[N:.*]], %{{.*}} = intr.layer_norm %arg0, %arg1, %arg2 {epsilon = 9.99999974{{[0-9]*}}E-6 : f64}
// CHECK-NOT: onnx.
// CHECK: return %[[N]]
func.func @decomposed_layer_norm(%x: tensor<6x1x32xf32>, %scale: tensor<32xf32>, %bias: tensor<32xf32>) -> tensor<6x1x32xf32> {
  %none = onnx.NoValue
  %mean = onnx.ReduceMean %x, %none {axes = array<i64: -1>} : (tensor<6x1x32xf32>, none) -> tensor<6x1x1xf32>
  %d = onnx.Sub %x, %mean : (tensor<6x1x32xf32>, tensor<6x1x1xf32>) -> tensor<6x1x32xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %sq = onnx.Pow %d, %two : (tensor<6x1x32xf32>, tensor<f32>) -> tensor<6x1x32xf32>
  %var = onnx.ReduceMean %sq, %none {axes = array<i64: -1>} : (tensor<6x1x32xf32>, none) -> tensor<6x1x1xf32>
  %eps = onnx.Constant dense<1.0e-05> : tensor<f32>
  %ve = onnx.Add %var, %eps : (tensor<6x1x1xf32>, tensor<f32>) -> tensor<6x1x1xf32>
  %std = onnx.Sqrt %ve : (tensor<6x1x1xf32>) -> tensor<6x1x1xf32>
  %n = onnx.Div %d, %std : (tensor<6x1x32xf32>, tensor<6x1x1xf32>) -> tensor<6x1x32xf32>
  %ns = onnx.Mul %n, %scale : (tensor<6x1x32xf32>, tensor<32xf32>) -> tensor<6x1x32xf32>
  %y = onnx.Add %ns, %bias : (tensor<6x1x32xf32>, tensor<32xf32>) -> tensor<6x1x32xf32>
  return %y : tensor<6x1x32xf32>
}

// -----

// Tests that a decomposition with another exponent is kept (near miss).
// CHECK-LABEL: func.func @cubed_variance_is_kept
// CHECK-NOT: intr.layer_norm
// CHECK: onnx.Div
func.func @cubed_variance_is_kept(%x: tensor<6x1x32xf32>) -> tensor<6x1x32xf32> {
  %none = onnx.NoValue
  %mean = onnx.ReduceMean %x, %none {axes = array<i64: -1>} : (tensor<6x1x32xf32>, none) -> tensor<6x1x1xf32>
  %d = onnx.Sub %x, %mean : (tensor<6x1x32xf32>, tensor<6x1x1xf32>) -> tensor<6x1x32xf32>
  %three = onnx.Constant dense<3.0> : tensor<f32>
  %sq = onnx.Pow %d, %three : (tensor<6x1x32xf32>, tensor<f32>) -> tensor<6x1x32xf32>
  %var = onnx.ReduceMean %sq, %none {axes = array<i64: -1>} : (tensor<6x1x32xf32>, none) -> tensor<6x1x1xf32>
  %eps = onnx.Constant dense<1.0e-05> : tensor<f32>
  %ve = onnx.Add %var, %eps : (tensor<6x1x1xf32>, tensor<f32>) -> tensor<6x1x1xf32>
  %std = onnx.Sqrt %ve : (tensor<6x1x1xf32>) -> tensor<6x1x1xf32>
  %n = onnx.Div %d, %std : (tensor<6x1x32xf32>, tensor<6x1x1xf32>) -> tensor<6x1x32xf32>
  return %n : tensor<6x1x32xf32>
}

// -----

// Tests that x * sigmoid(x) (the SiLU as exporters write it), either way
// round, becomes one Swish, and that the near misses keep their Sigmoid
// and Mul: a sigmoid that the function returns too, one that two Muls
// read, and a sigmoid of another tensor (a squeeze-and-excitation gate).
// CHECK-LABEL: func.func @silu
// CHECK: %[[A:.*]] = onnx.Swish %arg0 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[B:.*]] = onnx.Swish %arg0 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[S:.*]] = onnx.Sigmoid %arg1
// CHECK: %[[C:.*]] = onnx.Mul %arg1, %[[S]]
// CHECK: %[[G:.*]] = onnx.Sigmoid %arg2
// CHECK: %[[D:.*]] = onnx.Mul %arg0, %[[G]]
// CHECK: %[[E:.*]] = onnx.Mul %[[G]], %arg2
// CHECK: return %[[A]], %[[B]], %[[C]], %[[S]], %[[D]], %[[E]]
func.func @silu(%x: tensor<1x4x2x2xf32>, %y: tensor<1x4x2x2xf32>, %g: tensor<1x4x1x1xf32>)
    -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) {
  %s = onnx.Sigmoid %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %a = onnx.Mul %x, %s : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t = onnx.Sigmoid %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %b = onnx.Mul %t, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %u = onnx.Sigmoid %y : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %c = onnx.Mul %y, %u : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %v = onnx.Sigmoid %g : (tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %d = onnx.Mul %x, %v : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %e = onnx.Mul %v, %g : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  return %a, %b, %c, %u, %d, %e : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>
}

// -----

// Tests that x * tanh(softplus(x)) (Mish as the TorchScript exporter writes
// it), either way round, becomes one Mish, and that the near misses keep
// their ops: a softplus of another tensor, a tanh that the function
// returns too, and a softplus that two tanhs read.
// CHECK-LABEL: func.func @mish
// CHECK: %[[A:.*]] = onnx.Mish %arg0 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[B:.*]] = onnx.Mish %arg0 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[SY:.*]] = onnx.Softplus %arg1
// CHECK: %[[TY:.*]] = onnx.Tanh %[[SY]]
// CHECK: %[[C:.*]] = onnx.Mul %arg0, %[[TY]]
// CHECK: %[[SX:.*]] = onnx.Softplus %arg0
// CHECK: %[[TX:.*]] = onnx.Tanh %[[SX]]
// CHECK: %[[D:.*]] = onnx.Mul %arg0, %[[TX]]
// CHECK: %[[SS:.*]] = onnx.Softplus %arg0
// CHECK: %[[T1:.*]] = onnx.Tanh %[[SS]]
// CHECK: %[[T2:.*]] = onnx.Tanh %[[SS]]
// CHECK: %[[E:.*]] = onnx.Mul %arg0, %[[T1]]
// CHECK: %[[F:.*]] = onnx.Mul %arg0, %[[T2]]
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]], %[[TX]], %[[E]], %[[F]]
func.func @mish(%x: tensor<1x4x2x2xf32>, %y: tensor<1x4x2x2xf32>)
    -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) {
  %s = onnx.Softplus %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t = onnx.Tanh %s : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %a = onnx.Mul %x, %t : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %s2 = onnx.Softplus %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t2 = onnx.Tanh %s2 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %b = onnx.Mul %t2, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %sy = onnx.Softplus %y : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %ty = onnx.Tanh %sy : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %c = onnx.Mul %x, %ty : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %sx = onnx.Softplus %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %tx = onnx.Tanh %sx : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %d = onnx.Mul %x, %tx : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %ss = onnx.Softplus %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t3 = onnx.Tanh %ss : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t4 = onnx.Tanh %ss : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %e = onnx.Mul %x, %t3 : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %f = onnx.Mul %x, %t4 : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %a, %b, %c, %d, %tx, %e, %f : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>
}

// -----

// Tests that an image times a per-channel constant plus another (a group
// norm's scale and shift after its normalization) becomes one
// channel_affine, which takes the ReLU after it; and that the near misses
// keep their ops: a scale that is not a constant, a product that something
// else reads too, and a 3-D tensor.
// CHECK-LABEL: func.func @per_channel_affine
// CHECK-DAG: %[[A:.*]] = onnx.Constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = intr.channel_affine %arg0, %[[A]], %[[B]] {activation = "relu"}
// CHECK: %[[M2:.*]] = onnx.Mul %arg0, %arg1
// CHECK: %[[T2:.*]] = onnx.Add %[[M2]]
// CHECK: %[[M3:.*]] = onnx.Mul %arg0
// CHECK: %[[T3:.*]] = onnx.Add %[[M3]]
// CHECK: %[[M4:.*]] = onnx.Mul %arg2
// CHECK: %[[T4:.*]] = onnx.Add %[[M4]]
// CHECK: return %[[R]], %[[T2]], %[[T3]], %[[M3]], %[[T4]]
func.func @per_channel_affine(%x: tensor<1x2x3x3xf32>, %s: tensor<2x1x1xf32>, %y: tensor<2x3x3xf32>)
    -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2x3x3xf32>) {
  %a = onnx.Constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %b = onnx.Constant dense<[[[0.5]], [[-1.0]]]> : tensor<2x1x1xf32>
  %m = onnx.Mul %x, %a : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %t = onnx.Add %m, %b : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %r = onnx.Relu %t : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %m2 = onnx.Mul %x, %s : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %t2 = onnx.Add %m2, %b : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %m3 = onnx.Mul %x, %a : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %t3 = onnx.Add %m3, %b : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %m4 = onnx.Mul %y, %a : (tensor<2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<2x3x3xf32>
  %t4 = onnx.Add %m4, %b : (tensor<2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<2x3x3xf32>
  return %r, %t2, %t3, %m3, %t4 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2x3x3xf32>
}

// -----

// Tests that a LayerNormalization over the last axis whose scale is one
// constant value (a group norm's unit scale) and that has no bias becomes
// intr.layer_norm with [D] parameters spread from that value and zero; and
// that one whose scale is neither [D] nor a constant stays as it is (its
// kernel broadcasts it).
// CHECK-LABEL: func.func @layer_norm_scalar_scale
// CHECK-DAG: %[[ONES:.*]] = onnx.Constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[ZEROS:.*]] = onnx.Constant dense<0.000000e+00> : tensor<8xf32>
// CHECK: %[[N:[^,]*]], %{{.*}} = intr.layer_norm %arg0, %[[ONES]], %[[ZEROS]]
// CHECK: %[[K:.*]], %{{.*}}, %{{.*}} = onnx.LayerNormalization %arg0, %arg1
// CHECK: return %[[N]], %[[K]]
func.func @layer_norm_scalar_scale(%x: tensor<1x2x8xf32>, %s: tensor<1xf32>) -> (tensor<1x2x8xf32>, tensor<1x2x8xf32>) {
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %none = onnx.NoValue
  %y, %m, %i = onnx.LayerNormalization %x, %one, %none {axis = 2 : si64} : (tensor<1x2x8xf32>, tensor<f32>, none) -> (tensor<1x2x8xf32>, tensor<1x2x1xf32>, tensor<1x2x1xf32>)
  %z, %m2, %i2 = onnx.LayerNormalization %x, %s, %none {axis = 2 : si64} : (tensor<1x2x8xf32>, tensor<1xf32>, none) -> (tensor<1x2x8xf32>, tensor<1x2x1xf32>, tensor<1x2x1xf32>)
  return %y, %z : tensor<1x2x8xf32>, tensor<1x2x8xf32>
}

// -----

// Tests that x > 20 ? x : softplus(x) (PyTorch's softplus as the dynamo
// exporter writes it) is the Softplus alone, and that a threshold below 15,
// where softplus(x) is not yet x in f32, keeps the Where.
// CHECK-LABEL: func.func @softplus_threshold
// CHECK: %[[S:.*]] = onnx.Softplus %arg0
// CHECK: %[[G:.*]] = onnx.Greater %arg0
// CHECK: %[[W:.*]] = onnx.Where %[[G]], %arg0, %[[S]]
// CHECK: return %[[S]], %[[W]]
func.func @softplus_threshold(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %t = onnx.Constant dense<20.0> : tensor<f32>
  %s = onnx.Softplus %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %g = onnx.Greater %x, %t : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %w = onnx.Where %g, %x, %s : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %low = onnx.Constant dense<10.0> : tensor<f32>
  %g2 = onnx.Greater %x, %low : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %w2 = onnx.Where %g2, %x, %s : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %w, %w2 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that integer products with constant weights and a bias stay onnx
// ops: intr.linear is a product of floats (they failed its verifier).
// CHECK-LABEL: func.func @integer_products_are_kept
// CHECK-NOT: intr.linear
// CHECK: onnx.MatMul
// CHECK: onnx.Add
// CHECK: onnx.Gemm
func.func @integer_products_are_kept(%x: tensor<2x3xi32>) -> (tensor<2x4xi32>, tensor<2x4xi32>) {
  %w = onnx.Constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]> : tensor<3x4xi32>
  %b = onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %m = onnx.MatMul %x, %w : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  %y = onnx.Add %m, %b : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  %g = onnx.Gemm %x, %w, %b : (tensor<2x3xi32>, tensor<3x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  return %y, %g : tensor<2x4xi32>, tensor<2x4xi32>
}
