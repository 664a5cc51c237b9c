// RUN: intr-opt %s --onnx-infer-shapes --split-input-file | FileCheck %s

// Tests that binary ops infer the numpy broadcast, comparisons bool, Pow
// the base's type, and that unknown sizes broadcast against known ones.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: -> (tensor<4x2x3xf32>, tensor<2x3xi1>, tensor<?x3xf32>, tensor<2x3xf32>, tensor<*xf32>)
// CHECK: onnx.Add {{.*}} -> tensor<4x2x3xf32>
// CHECK: onnx.Less {{.*}} -> tensor<2x3xi1>
// CHECK: onnx.Mul {{.*}} -> tensor<?x3xf32>
// CHECK: onnx.Pow {{.*}} -> tensor<2x1xf32>
// CHECK: onnx.Add {{.*}} -> tensor<2x3xf32>
// CHECK: onnx.Sub {{.*}} -> tensor<*xf32>
func.func @binary(%a: tensor<4x1x3xf32>, %b: tensor<2x1xf32>, %c: tensor<?x1xf32>, %d: tensor<3xf32>, %e: tensor<i64>, %u: tensor<*xf32>)
    -> (tensor<*xf32>, tensor<*xi1>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Add %a, %b : (tensor<4x1x3xf32>, tensor<2x1xf32>) -> tensor<*xf32>
  %1 = onnx.Less %b, %d : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<*xi1>
  %2 = onnx.Mul %c, %d : (tensor<?x1xf32>, tensor<3xf32>) -> tensor<*xf32>
  %4 = onnx.Pow %b, %e : (tensor<2x1xf32>, tensor<i64>) -> tensor<*xf32>
  %5 = onnx.Add %4, %d : (tensor<*xf32>, tensor<3xf32>) -> tensor<*xf32>
  %6 = onnx.Sub %u, %d : (tensor<*xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0, %1, %2, %5, %6 : tensor<*xf32>, tensor<*xi1>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that unary ops, Gelu, Softmax, Cast and Where infer their shapes.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xf16>, tensor<4x2x3xf32>)
// CHECK: onnx.Relu {{.*}} -> tensor<2x3xf32>
// CHECK: onnx.Gelu {{.*}} -> tensor<2x3xf32>
// CHECK: onnx.Not {{.*}} -> tensor<2x3xi1>
// CHECK: onnx.Cast {{.*}} -> tensor<2x3xf16>
// CHECK: onnx.Where {{.*}} -> tensor<4x2x3xf32>
func.func @elementwise(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>, %y: tensor<4x1x1xf32>)
    -> (tensor<*xf32>, tensor<*xi1>, tensor<*xf16>, tensor<*xf32>) {
  %0 = onnx.Relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  %1 = onnx.Gelu %0 : (tensor<*xf32>) -> tensor<*xf32>
  %2 = onnx.Not %b : (tensor<2x3xi1>) -> tensor<*xi1>
  %3 = onnx.Cast %1 {to = 10 : si64} : (tensor<*xf32>) -> tensor<*xf16>
  %4 = onnx.Where %2, %1, %y : (tensor<*xi1>, tensor<*xf32>, tensor<4x1x1xf32>) -> tensor<*xf32>
  return %1, %2, %3, %4 : tensor<*xf32>, tensor<*xi1>, tensor<*xf16>, tensor<*xf32>
}

// -----

// Tests that MatMul infers batch broadcasting and drops the dimension of a
// 1-D operand.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: -> (tensor<8x5x12xf32>, tensor<4x6xf32>, tensor<5xf32>, tensor<?x5x7xf32>)
func.func @matmul(%a: tensor<1x5x32xf32>, %b: tensor<8x32x12xf32>, %v: tensor<32xf32>, %m: tensor<4x32x6xf32>,
    %w: tensor<5x32xf32>, %d: tensor<?x5x32xf32>, %e: tensor<32x7xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.MatMul %a, %b : (tensor<1x5x32xf32>, tensor<8x32x12xf32>) -> tensor<*xf32>
  %1 = onnx.MatMul %v, %m : (tensor<32xf32>, tensor<4x32x6xf32>) -> tensor<*xf32>
  %2 = onnx.MatMul %w, %v : (tensor<5x32xf32>, tensor<32xf32>) -> tensor<*xf32>
  %3 = onnx.MatMul %d, %e : (tensor<?x5x32xf32>, tensor<32x7xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Gemm infers M x N after transposition.
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: -> (tensor<200x1xf32>, tensor<256x256xf32>)
func.func @gemm(%a: tensor<200x256xf32>, %b: tensor<1x256xf32>, %c: tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Gemm %a, %b, %c {transB = 1 : si64} : (tensor<200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<*xf32>
  %none = onnx.NoValue
  %1 = onnx.Gemm %a, %a, %none {transA = 1 : si64} : (tensor<200x256xf32>, tensor<200x256xf32>, none) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that reductions infer from the axes attribute, a constant axes
// input, omitted axes (all, or the identity with noop_with_empty_axes) and
// a computed axes input (rank kept with keepdims, else unknown).
// CHECK-LABEL: func.func @reductions
// CHECK-SAME: -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<?x?x?xf32>, tensor<*xf32>, tensor<1x1x1xf32>)
func.func @reductions(%x: tensor<2x3x4xf32>, %computed: tensor<1xi64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %0 = onnx.ReduceMean %x, %none {axes = array<i64: 1>} : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  %1 = onnx.ReduceSum %x, %axes {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  %2 = onnx.ReduceMax %x, %none {keepdims = 0 : si64} : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  %3 = onnx.ReduceSum %x, %none {noop_with_empty_axes = 1 : si64} : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  %4 = onnx.ReduceMean %x, %computed : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  %5 = onnx.ReduceMax %x, %computed {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  %6 = onnx.ReduceSum %x, %none : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that CumSum keeps x's type.
// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: -> tensor<1x25x38xf32>
func.func @cumsum(%x: tensor<1x25x38xf32>, %axis: tensor<i64>) -> tensor<*xf32> {
  %0 = onnx.CumSum %x, %axis : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Tests that LayerNormalization's Mean and InvStdDev have X's shape with
// the normalized dimensions set to 1, in the stash type.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: -> (tensor<2x5x8xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x5x1xf64>)
func.func @layer_norm(%x: tensor<2x5x8xf16>, %s: tensor<5x8xf16>, %s1: tensor<8xf16>)
    -> (tensor<*xf16>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  %none = onnx.NoValue
  %y, %mean, %inv = onnx.LayerNormalization %x, %s, %none {axis = 1 : si64}
      : (tensor<2x5x8xf16>, tensor<5x8xf16>, none) -> (tensor<*xf16>, tensor<*xf32>, tensor<*xf32>)
  %y2:3 = onnx.LayerNormalization %x, %s1, %s1 {stash_type = 11 : si64}
      : (tensor<2x5x8xf16>, tensor<8xf16>, tensor<8xf16>) -> (tensor<*xf16>, tensor<*xf64>, tensor<*xf64>)
  return %y, %mean, %inv, %y2#1 : tensor<*xf16>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// -----

// Tests that BatchNormalization infers Y like X and the running statistics
// with the channel count.
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: -> (tensor<1x64x20x30xf32>, tensor<64xf32>)
func.func @batch_norm(%x: tensor<1x64x20x30xf32>, %s: tensor<64xf32>, %m: tensor<?xf32>)
    -> (tensor<*xf32>, tensor<*xf32>) {
  %y:3 = onnx.BatchNormalization %x, %s, %s, %m, %m
      : (tensor<1x64x20x30xf32>, tensor<64xf32>, tensor<64xf32>, tensor<?xf32>, tensor<?xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y#0, %y#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests Conv's output sizes: explicit pads and strides (the ResNet stem),
// SAME_UPPER and SAME_LOWER (ceil(D / stride)), VALID, dilations, groups,
// 1-D and 3-D, a kernel taken from W, and unknown spatial sizes.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: -> (tensor<1x64x400x608xf32>, tensor<1x64x400x608xf32>, tensor<1x64x400x608xf32>, tensor<1x64x397x605xf32>, tensor<1x64x394x602xf32>, tensor<1x8x10xf32>, tensor<2x4x3x3x3xf32>, tensor<?x64x?x304xf32>)
func.func @conv(%x: tensor<1x3x800x1216xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>,
    %x1: tensor<1x4x12xf32>, %w1: tensor<8x2x3xf32>, %x3: tensor<2x2x5x5x5xf32>, %w3: tensor<4x2x3x3x3xf32>,
    %xd: tensor<?x3x?x608xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %b {kernel_shape = array<i64: 7, 7>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<*xf32>
  %1 = onnx.Conv %x, %w, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, none) -> tensor<*xf32>
  %2 = onnx.Conv %x, %w, %none {auto_pad = "SAME_LOWER", strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, none) -> tensor<*xf32>
  %3 = onnx.Conv %x, %w, %none {auto_pad = "VALID", strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, none) -> tensor<*xf32>
  %4 = onnx.Conv %x, %w, %none {dilations = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, none) -> tensor<*xf32>
  %5 = onnx.Conv %x1, %w1, %none {group = 2 : si64}
      : (tensor<1x4x12xf32>, tensor<8x2x3xf32>, none) -> tensor<*xf32>
  %6 = onnx.Conv %x3, %w3, %none {pads = array<i64: 0, 0, 0, 0, 0, 0>}
      : (tensor<2x2x5x5x5xf32>, tensor<4x2x3x3x3xf32>, none) -> tensor<*xf32>
  %7 = onnx.Conv %xd, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<?x3x?x608xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests LpPool's output sizes, windows placed as MaxPool places them:
// strides with pads, ceil mode, SAME_UPPER and 1-D with a dilation.
// CHECK-LABEL: func.func @lp_pool
// CHECK-SAME: -> (tensor<1x4x3x3xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x5xf32>)
func.func @lp_pool(%x: tensor<1x4x7x7xf32>, %x1: tensor<1x4x9xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.LpPool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 3, 3>} : (tensor<1x4x7x7xf32>) -> tensor<*xf32>
  %1 = onnx.LpPool %x {ceil_mode = 1 : si64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x7x7xf32>) -> tensor<*xf32>
  %2 = onnx.LpPool %x {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, p = 3 : si64, strides = array<i64: 2, 2>} : (tensor<1x4x7x7xf32>) -> tensor<*xf32>
  %3 = onnx.LpPool %x1 {dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : (tensor<1x4x9xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests ConvTranspose's output sizes: explicit pads and strides (an
// upsampling by 2), SAME_UPPER (D * stride), VALID, output_shape (spatial,
// and with N and C), groups with dilations, 1-D with output_padding, and
// unknown spatial sizes, without and with output_shape.
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: -> (tensor<1x32x100x152xf32>, tensor<1x32x100x152xf32>, tensor<1x32x102x154xf32>, tensor<1x32x101x153xf32>, tensor<1x32x99x150xf32>, tensor<1x6x9x9xf32>, tensor<1x2x17xf32>, tensor<?x32x?x152xf32>, tensor<1x32x100x152xf32>)
func.func @conv_transpose(%x: tensor<1x64x50x76xf32>, %w: tensor<64x32x4x4xf32>, %b: tensor<32xf32>,
    %xg: tensor<1x4x5x5xf32>, %wg: tensor<4x3x3x3xf32>, %x1: tensor<1x4x7xf32>, %w1: tensor<4x2x5xf32>,
    %xd: tensor<?x64x?x76xf32>, %xu: tensor<1x64x?x?xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %0 = onnx.ConvTranspose %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, tensor<32xf32>) -> tensor<*xf32>
  %1 = onnx.ConvTranspose %x, %w, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>}
      : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, none) -> tensor<*xf32>
  %2 = onnx.ConvTranspose %x, %w, %none {auto_pad = "VALID", strides = array<i64: 2, 2>}
      : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, none) -> tensor<*xf32>
  %3 = onnx.ConvTranspose %x, %w, %none {output_shape = array<i64: 101, 153>, pads = array<i64: 9, 9, 9, 9>, strides = array<i64: 2, 2>}
      : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, none) -> tensor<*xf32>
  %4 = onnx.ConvTranspose %x, %w, %none {output_shape = array<i64: 1, 32, 99, 150>, strides = array<i64: 2, 2>}
      : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, none) -> tensor<*xf32>
  %5 = onnx.ConvTranspose %xg, %wg, %none {dilations = array<i64: 2, 2>, group = 2 : si64}
      : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, none) -> tensor<*xf32>
  %6 = onnx.ConvTranspose %x1, %w1, %none {output_padding = array<i64: 2>, pads = array<i64: 4, 4>, strides = array<i64: 3>}
      : (tensor<1x4x7xf32>, tensor<4x2x5xf32>, none) -> tensor<*xf32>
  %7 = onnx.ConvTranspose %xd, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<?x64x?x76xf32>, tensor<64x32x4x4xf32>, tensor<32xf32>) -> tensor<*xf32>
  %8 = onnx.ConvTranspose %xu, %w, %b {output_shape = array<i64: 100, 152>, strides = array<i64: 2, 2>}
      : (tensor<1x64x?x?xf32>, tensor<64x32x4x4xf32>, tensor<32xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests MaxPool's output sizes: the ResNet stem pool, ceil_mode (dropping
// a last window that would start in the padding), SAME_UPPER and
// dilations, with i64 Indices.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: -> (tensor<1x64x200x304xf32>, tensor<1x64x200x304xi64>, tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1x1x3x2xf32>)
func.func @max_pool(%x: tensor<1x64x400x608xf32>, %s: tensor<1x1x5x5xf32>, %t: tensor<1x1x4x4xf32>)
    -> (tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x64x400x608xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  // ceil((5 - 2) / 2) + 1 = 3.
  %c:2 = onnx.MaxPool %s {ceil_mode = 1 : si64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x1x5x5xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  // ceil((4 + 1 - 2) / 2) + 1 = 3; the third window would start at 4, in
  // the end padding, so 2 remain.
  %d:2 = onnx.MaxPool %t {ceil_mode = 1 : si64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x1x4x4xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  %e:2 = onnx.MaxPool %s {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x1x5x5xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  %f:2 = onnx.MaxPool %s {dilations = array<i64: 1, 3>, kernel_shape = array<i64: 3, 2>}
      : (tensor<1x1x5x5xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  return %y, %i, %c#0, %e#0, %d#0, %f#0 : tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that TopK sizes its results along the axis by a constant K, and
// leaves that size unknown for a K known only at run time.
// CHECK-LABEL: func.func @top_k
// CHECK: onnx.TopK %arg0, %{{.*}} : (tensor<3x10x4xf32>, tensor<1xi64>) -> (tensor<3x10x2xf32>, tensor<3x10x2xi64>)
// CHECK: onnx.TopK %arg0, %arg1 {axis = 1 : si64} : (tensor<3x10x4xf32>, tensor<1xi64>) -> (tensor<3x?x4xf32>, tensor<3x?x4xi64>)
func.func @top_k(%x: tensor<3x10x4xf32>, %k: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %two = onnx.Constant dense<2> : tensor<1xi64>
  %0, %1 = onnx.TopK %x, %two : (tensor<3x10x4xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  %2, %3 = onnx.TopK %x, %k {axis = 1 : si64} : (tensor<3x10x4xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  return %0, %2 : tensor<*xf32>, tensor<*xf32>
}
