// RUN: intr-opt %s --split-input-file | intr-opt --split-input-file | FileCheck %s

// Tests that the binary arithmetic ops round-trip with broadcasting shapes.
// CHECK-LABEL: func.func @arithmetic
// CHECK: onnx.Add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Sub %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Mul %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Div %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Pow %arg0, %arg2 : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
func.func @arithmetic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %e: tensor<i64>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = onnx.Sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = onnx.Mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = onnx.Div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = onnx.Pow %a, %e : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that comparisons give bool and that the logic ops round-trip.
// CHECK-LABEL: func.func @comparisons
// CHECK: onnx.Equal %arg0, %arg1 : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
// CHECK: onnx.Less %arg0, %arg1 : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
// CHECK: onnx.Greater %arg0, %arg1 : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
// CHECK: onnx.And %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK: onnx.Or %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK: onnx.Not %{{.*}} : (tensor<4xi1>) -> tensor<4xi1>
func.func @comparisons(%a: tensor<4xi64>, %b: tensor<i64>) -> tensor<4xi1> {
  %0 = onnx.Equal %a, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
  %1 = onnx.Less %a, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
  %2 = onnx.Greater %a, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
  %3 = onnx.And %0, %1 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %4 = onnx.Or %3, %2 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %5 = onnx.Not %4 : (tensor<4xi1>) -> tensor<4xi1>
  return %5 : tensor<4xi1>
}

// -----

// Tests that the unary math ops round-trip.
// CHECK-LABEL: func.func @unary
// CHECK: onnx.Sqrt %arg0 : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Relu %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Sin %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Cos %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Erf %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Exp %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Log %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Neg %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Abs %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Tanh %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Sigmoid %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
// CHECK: onnx.Reciprocal %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
func.func @unary(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = onnx.Sqrt %x : (tensor<5xf32>) -> tensor<5xf32>
  %1 = onnx.Relu %0 : (tensor<5xf32>) -> tensor<5xf32>
  %2 = onnx.Sin %1 : (tensor<5xf32>) -> tensor<5xf32>
  %3 = onnx.Cos %2 : (tensor<5xf32>) -> tensor<5xf32>
  %4 = onnx.Erf %3 : (tensor<5xf32>) -> tensor<5xf32>
  %5 = onnx.Exp %4 : (tensor<5xf32>) -> tensor<5xf32>
  %6 = onnx.Log %5 : (tensor<5xf32>) -> tensor<5xf32>
  %7 = onnx.Neg %6 : (tensor<5xf32>) -> tensor<5xf32>
  %8 = onnx.Abs %7 : (tensor<5xf32>) -> tensor<5xf32>
  %9 = onnx.Tanh %8 : (tensor<5xf32>) -> tensor<5xf32>
  %10 = onnx.Sigmoid %9 : (tensor<5xf32>) -> tensor<5xf32>
  %11 = onnx.Reciprocal %10 : (tensor<5xf32>) -> tensor<5xf32>
  return %11 : tensor<5xf32>
}

// -----

// Tests that Gelu round-trips with its default approximation elided.
// CHECK-LABEL: func.func @gelu
// CHECK: onnx.Gelu %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: onnx.Gelu %{{.*}} {approximate = "tanh"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @gelu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = onnx.Gelu %x {approximate = "none"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = onnx.Gelu %0 {approximate = "tanh"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// Tests that Cast round-trips with and without saturate (opset 19).
// CHECK-LABEL: func.func @cast
// CHECK: onnx.Cast %arg0 {to = 1 : si64} : (tensor<2x3xi1>) -> tensor<2x3xf32>
// CHECK: onnx.Cast %{{.*}} {saturate = 0 : si64, to = 10 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
func.func @cast(%x: tensor<2x3xi1>) -> tensor<2x3xf16> {
  %0 = onnx.Cast %x {to = 1 : si64} : (tensor<2x3xi1>) -> tensor<2x3xf32>
  %1 = onnx.Cast %0 {to = 10 : si64, saturate = 0 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  return %1 : tensor<2x3xf16>
}

// -----

// Tests that Where round-trips with three-way broadcasting.
// CHECK-LABEL: func.func @where
// CHECK: onnx.Where %arg0, %arg1, %arg2 : (tensor<1x1x5x12xi1>, tensor<f32>, tensor<8x1x5x12xf32>) -> tensor<8x1x5x12xf32>
func.func @where(%c: tensor<1x1x5x12xi1>, %x: tensor<f32>, %y: tensor<8x1x5x12xf32>) -> tensor<8x1x5x12xf32> {
  %0 = onnx.Where %c, %x, %y : (tensor<1x1x5x12xi1>, tensor<f32>, tensor<8x1x5x12xf32>) -> tensor<8x1x5x12xf32>
  return %0 : tensor<8x1x5x12xf32>
}

// -----

// Tests that Softmax keeps its short form, the default axis elided.
// CHECK-LABEL: func.func @softmax
// CHECK: onnx.Softmax %arg0 : tensor<8x5x12xf32>
// CHECK: onnx.Softmax %{{.*}} {axis = 0 : si64} : tensor<8x5x12xf32>
func.func @softmax(%x: tensor<8x5x12xf32>) -> tensor<8x5x12xf32> {
  %0 = onnx.Softmax %x {axis = -1 : si64} : tensor<8x5x12xf32>
  %1 = onnx.Softmax %0 {axis = 0 : si64} : tensor<8x5x12xf32>
  return %1 : tensor<8x5x12xf32>
}

// -----

// Tests that Gemm round-trips with a bias and with C omitted.
// CHECK-LABEL: func.func @gemm
// CHECK: onnx.Gemm %arg0, %arg1, %arg2 {alpha = 5.000000e-01 : f32, transB = 1 : si64} : (tensor<200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<200x1xf32>
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Gemm %arg0, %arg0, %[[NONE]] {transA = 1 : si64} : (tensor<200x256xf32>, tensor<200x256xf32>, none) -> tensor<256x256xf32>
func.func @gemm(%a: tensor<200x256xf32>, %b: tensor<1x256xf32>, %c: tensor<1xf32>) -> (tensor<200x1xf32>, tensor<256x256xf32>) {
  %0 = onnx.Gemm %a, %b, %c {alpha = 0.5 : f32, transB = 1 : si64} : (tensor<200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<200x1xf32>
  %none = onnx.NoValue
  %1 = onnx.Gemm %a, %a, %none {transA = 1 : si64, transB = 0 : si64} : (tensor<200x256xf32>, tensor<200x256xf32>, none) -> tensor<256x256xf32>
  return %0, %1 : tensor<200x1xf32>, tensor<256x256xf32>
}

// -----

// Tests that the reductions round-trip with the axes attribute (opsets up to
// 17), an axes input (opset 18) and an omitted axes input, defaults elided.
// CHECK-LABEL: func.func @reductions
// CHECK: onnx.ReduceMean %arg0, %{{.*}} {axes = array<i64: -1>} : (tensor<6x4xf32>, none) -> tensor<6x1xf32>
// CHECK: onnx.ReduceMean %arg0, %arg1 {keepdims = 0 : si64} : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?xf32>
// CHECK: onnx.ReduceSum %arg0, %arg1 : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
// CHECK: onnx.ReduceSum %arg0, %{{.*}} {keepdims = 0 : si64} : (tensor<6x4xf32>, none) -> tensor<f32>
// CHECK: onnx.ReduceMax %arg0, %{{.*}} {axes = array<i64: 0>} : (tensor<6x4xf32>, none) -> tensor<1x4xf32>
// CHECK: onnx.ReduceMax %arg0, %arg1 {noop_with_empty_axes = 1 : si64} : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
func.func @reductions(%x: tensor<6x4xf32>, %axes: tensor<1xi64>) {
  %none = onnx.NoValue
  %0 = onnx.ReduceMean %x, %none {axes = array<i64: -1>} : (tensor<6x4xf32>, none) -> tensor<6x1xf32>
  %1 = onnx.ReduceMean %x, %axes {keepdims = 0 : si64} : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?xf32>
  %2 = onnx.ReduceSum %x, %axes : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %3 = onnx.ReduceSum %x, %none {keepdims = 0 : si64, noop_with_empty_axes = 0 : si64} : (tensor<6x4xf32>, none) -> tensor<f32>
  %4 = onnx.ReduceMax %x, %none {axes = array<i64: 0>} : (tensor<6x4xf32>, none) -> tensor<1x4xf32>
  %5 = onnx.ReduceMax %x, %axes {noop_with_empty_axes = 1 : si64} : (tensor<6x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return
}

// -----

// Tests that CumSum round-trips with its attributes.
// CHECK-LABEL: func.func @cumsum
// CHECK: onnx.CumSum %arg0, %arg1 : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<1x25x38xf32>
// CHECK: onnx.CumSum %arg0, %arg1 {exclusive = 1 : si64, reverse = 1 : si64} : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<1x25x38xf32>
func.func @cumsum(%x: tensor<1x25x38xf32>, %axis: tensor<i64>) -> (tensor<1x25x38xf32>, tensor<1x25x38xf32>) {
  %0 = onnx.CumSum %x, %axis : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<1x25x38xf32>
  %1 = onnx.CumSum %x, %axis {exclusive = 1 : si64, reverse = 1 : si64} : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<1x25x38xf32>
  return %0, %1 : tensor<1x25x38xf32>, tensor<1x25x38xf32>
}

// -----

// Tests that LayerNormalization round-trips with three results, with and
// without the bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK: onnx.LayerNormalization %arg0, %arg1, %arg2 {epsilon = 9.99999997E-7 : f32} : (tensor<950x256xf32>, tensor<256xf32>, tensor<256xf32>) -> (tensor<950x256xf32>, tensor<950x1xf32>, tensor<950x1xf32>)
// CHECK: onnx.LayerNormalization %arg0, %arg1, %{{.*}} {axis = 0 : si64} : (tensor<950x256xf32>, tensor<256xf32>, none) -> (tensor<950x256xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
func.func @layer_norm(%x: tensor<950x256xf32>, %scale: tensor<256xf32>, %b: tensor<256xf32>) -> tensor<950x256xf32> {
  %y, %mean, %inv = onnx.LayerNormalization %x, %scale, %b {epsilon = 1.0e-6 : f32}
      : (tensor<950x256xf32>, tensor<256xf32>, tensor<256xf32>) -> (tensor<950x256xf32>, tensor<950x1xf32>, tensor<950x1xf32>)
  %none = onnx.NoValue
  %y2:3 = onnx.LayerNormalization %x, %scale, %none {axis = 0 : si64}
      : (tensor<950x256xf32>, tensor<256xf32>, none) -> (tensor<950x256xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  return %y : tensor<950x256xf32>
}

// -----

// Tests that BatchNormalization round-trips in its inference form, the
// default attributes elided.
// CHECK-LABEL: func.func @batch_norm
// CHECK: onnx.BatchNormalization %arg0, %arg1, %arg2, %arg3, %arg4 : (tensor<1x64x20x30xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<1x64x20x30xf32>, tensor<64xf32>, tensor<64xf32>)
func.func @batch_norm(%x: tensor<1x64x20x30xf32>, %scale: tensor<64xf32>, %b: tensor<64xf32>, %mean: tensor<64xf32>, %var: tensor<64xf32>) -> tensor<1x64x20x30xf32> {
  %y:3 = onnx.BatchNormalization %x, %scale, %b, %mean, %var {epsilon = 1.0e-5 : f32, momentum = 0.9 : f32, training_mode = 0 : si64}
      : (tensor<1x64x20x30xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<1x64x20x30xf32>, tensor<64xf32>, tensor<64xf32>)
  return %y#0 : tensor<1x64x20x30xf32>
}

// -----

// Tests that Conv round-trips with explicit pads, with auto_pad and without
// a bias.
// CHECK-LABEL: func.func @conv
// CHECK: onnx.Conv %arg0, %arg1, %arg2 {kernel_shape = array<i64: 7, 7>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x64x96xf32>, tensor<16x3x7x7xf32>, tensor<16xf32>) -> tensor<1x16x32x48xf32>
// CHECK: onnx.Conv %arg0, %arg1, %{{.*}} {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>} : (tensor<1x3x64x96xf32>, tensor<16x3x7x7xf32>, none) -> tensor<1x16x64x96xf32>
func.func @conv(%x: tensor<1x3x64x96xf32>, %w: tensor<16x3x7x7xf32>, %b: tensor<16xf32>) -> (tensor<1x16x32x48xf32>, tensor<1x16x64x96xf32>) {
  %0 = onnx.Conv %x, %w, %b {kernel_shape = array<i64: 7, 7>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x3x64x96xf32>, tensor<16x3x7x7xf32>, tensor<16xf32>) -> tensor<1x16x32x48xf32>
  %none = onnx.NoValue
  %1 = onnx.Conv %x, %w, %none {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>, group = 1 : si64}
      : (tensor<1x3x64x96xf32>, tensor<16x3x7x7xf32>, none) -> tensor<1x16x64x96xf32>
  return %0, %1 : tensor<1x16x32x48xf32>, tensor<1x16x64x96xf32>
}

// -----

// Tests that MaxPool round-trips with its two results.
// CHECK-LABEL: func.func @max_pool
// CHECK: onnx.MaxPool %arg0 {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x32x48xf32>) -> (tensor<1x64x16x24xf32>, tensor<1x64x16x24xi64>)
// CHECK: onnx.MaxPool %arg0 {ceil_mode = 1 : si64, kernel_shape = array<i64: 2, 2>, storage_order = 1 : si64} : (tensor<1x64x32x48xf32>) -> (tensor<1x64x31x47xf32>, tensor<1x64x31x47xi64>)
func.func @max_pool(%x: tensor<1x64x32x48xf32>) -> tensor<1x64x16x24xf32> {
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x64x32x48xf32>) -> (tensor<1x64x16x24xf32>, tensor<1x64x16x24xi64>)
  %y2:2 = onnx.MaxPool %x {ceil_mode = 1 : si64, kernel_shape = array<i64: 2, 2>, storage_order = 1 : si64}
      : (tensor<1x64x32x48xf32>) -> (tensor<1x64x31x47xf32>, tensor<1x64x31x47xi64>)
  return %y : tensor<1x64x16x24xf32>
}

// -----

// Tests that ops whose shapes are unknown keep the types they were given.
// CHECK-LABEL: func.func @unknown_shapes
// CHECK: onnx.MatMul %arg0, %arg1 : (tensor<*xf32>, tensor<?x?xf32>) -> tensor<*xf32>
// CHECK: onnx.Add %{{.*}}, %arg1 : (tensor<*xf32>, tensor<?x?xf32>) -> tensor<*xf32>
func.func @unknown_shapes(%a: tensor<*xf32>, %b: tensor<?x?xf32>) -> tensor<*xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<*xf32>, tensor<?x?xf32>) -> tensor<*xf32>
  %1 = onnx.Add %0, %b : (tensor<*xf32>, tensor<?x?xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
