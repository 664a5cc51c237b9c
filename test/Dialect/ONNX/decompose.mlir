// RUN: intr-opt %s -split-input-file --onnx-decompose | FileCheck %s

// The expansions' numbers are tested against ONNX's reference outputs by the
// node tests (test/conformance); these tests pin their structure.

// Tests that GreaterOrEqual is Greater or Equal, broadcast as they are.
// CHECK-LABEL: func.func @greater_or_equal
// CHECK-DAG: %[[G:.*]] = onnx.Greater %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-DAG: %[[E:.*]] = onnx.Equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[R:.*]] = onnx.Or %[[G]], %[[E]]
// CHECK: return %[[R]]
func.func @greater_or_equal(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xi1> {
  %0 = onnx.GreaterOrEqual %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// Tests that LessOrEqual is Less or Equal.
// CHECK-LABEL: func.func @less_or_equal
// CHECK-DAG: %[[L:.*]] = onnx.Less %arg0, %arg1
// CHECK-DAG: %[[E:.*]] = onnx.Equal %arg0, %arg1
// CHECK: onnx.Or %[[L]], %[[E]]
func.func @less_or_equal(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi1> {
  %0 = onnx.LessOrEqual %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Tests that Clip takes the lower bound where the input is below it, then
// the upper bound where that is below the result: NaN fails both tests.
// CHECK-LABEL: func.func @clip
// CHECK: %[[BELOW:.*]] = onnx.Less %arg0, %arg1 : (tensor<3x4xi8>, tensor<i8>) -> tensor<3x4xi1>
// CHECK: %[[LOW:.*]] = onnx.Where %[[BELOW]], %arg1, %arg0 : (tensor<3x4xi1>, tensor<i8>, tensor<3x4xi8>) -> tensor<3x4xi8>
// CHECK: %[[ABOVE:.*]] = onnx.Less %arg2, %[[LOW]]
// CHECK: %[[R:.*]] = onnx.Where %[[ABOVE]], %arg2, %[[LOW]]
// CHECK: return %[[R]]
func.func @clip(%x: tensor<3x4xi8>, %lo: tensor<i8>, %hi: tensor<i8>) -> tensor<3x4xi8> {
  %0 = onnx.Clip %x, %lo, %hi : (tensor<3x4xi8>, tensor<i8>, tensor<i8>) -> tensor<3x4xi8>
  return %0 : tensor<3x4xi8>
}

// -----

// Tests that Clip without bounds is its input.
// CHECK-LABEL: func.func @clip_unbounded
// CHECK-NEXT: return %arg0
func.func @clip_unbounded(%x: tensor<3xf32>) -> tensor<3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip %x, %none, %none : (tensor<3xf32>, none, none) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that LeakyRelu selects alpha * x where x < 0, with constants of the
// input's element type.
// CHECK-LABEL: func.func @leaky_relu
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ALPHA:.*]] = onnx.Constant dense<1.000000e-01> : tensor<f32>
// CHECK-DAG: %[[NEG:.*]] = onnx.Less %arg0, %[[ZERO]]
// CHECK-DAG: %[[SCALED:.*]] = onnx.Mul %arg0, %[[ALPHA]]
// CHECK: %[[R:.*]] = onnx.Where %[[NEG]], %[[SCALED]], %arg0 : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[R]]
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.LeakyRelu %x {alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that PRelu multiplies by its slope tensor where x < 0.
// CHECK-LABEL: func.func @prelu
// CHECK-DAG: %[[NEG:.*]] = onnx.Less %arg0
// CHECK-DAG: %[[SCALED:.*]] = onnx.Mul %arg0, %arg1 : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK: onnx.Where %[[NEG]], %[[SCALED]], %arg0
func.func @prelu(%x: tensor<1x4x2x2xf32>, %slope: tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.PRelu %x, %slope : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Tests that HardSwish is x * clip(x / 6 + 0.5, 0, 1).
// CHECK-LABEL: func.func @hard_swish
// CHECK: %[[LINE:.*]] = onnx.Add
// CHECK: %[[LOW:.*]] = onnx.Where
// CHECK: %[[HIGH:.*]] = onnx.Where
// CHECK: %[[R:.*]] = onnx.Mul %arg0, %[[HIGH]]
// CHECK: return %[[R]]
func.func @hard_swish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.HardSwish %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that Softplus is ln(exp(x) + 1) computed as max(x, 0) +
// ln(1 + exp(-|x|)), which does not overflow.
// CHECK-LABEL: func.func @softplus
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ABS:.*]] = onnx.Abs %arg0
// CHECK: %[[NEG:.*]] = onnx.Neg %[[ABS]]
// CHECK: %[[E:.*]] = onnx.Exp %[[NEG]]
// CHECK: %[[S:.*]] = onnx.Add %[[E]], %[[ONE]]
// CHECK: %[[L:.*]] = onnx.Log %[[S]]
// CHECK: %[[RELU:.*]] = onnx.Relu %arg0
// CHECK: %[[R:.*]] = onnx.Add %[[RELU]], %[[L]]
// CHECK: return %[[R]]
func.func @softplus(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Softplus %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that Mean adds its inputs left to right, broadcasting, and divides
// by their count.
// CHECK-LABEL: func.func @mean
// CHECK-DAG: %[[THREE:.*]] = onnx.Constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: %[[AB:.*]] = onnx.Add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[ABC:.*]] = onnx.Add %[[AB]], %arg2 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: %[[R:.*]] = onnx.Div %[[ABC]], %[[THREE]]
// CHECK: return %[[R]]
func.func @mean(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<f32>) -> tensor<2x3xf32> {
  %0 = onnx.Mean %a, %b, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that Sum of one input is that input.
// CHECK-LABEL: func.func @sum_one
// CHECK-NEXT: return %arg0
func.func @sum_one(%a: tensor<2xi32>) -> tensor<2xi32> {
  %0 = onnx.Sum %a : (tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Tests that the global poolings reduce every spatial axis, keeping them.
// CHECK-LABEL: func.func @global_pools
// CHECK: onnx.ReduceMean %arg0, %{{.*}} {axes = array<i64: 2, 3>} : (tensor<1x8x5x7xf32>, none) -> tensor<1x8x1x1xf32>
// CHECK: onnx.ReduceMax %arg0, %{{.*}} {axes = array<i64: 2, 3>} : (tensor<1x8x5x7xf32>, none) -> tensor<1x8x1x1xf32>
func.func @global_pools(%x: tensor<1x8x5x7xf32>) -> (tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>) {
  %0 = onnx.GlobalAveragePool %x : (tensor<1x8x5x7xf32>) -> tensor<1x8x1x1xf32>
  %1 = onnx.GlobalMaxPool %x : (tensor<1x8x5x7xf32>) -> tensor<1x8x1x1xf32>
  return %0, %1 : tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>
}

// -----

// Tests that CastLike is the Cast to its target's element type.
// CHECK-LABEL: func.func @cast_like
// CHECK-NEXT: %[[R:.*]] = onnx.Cast %arg0 {to = 10 : si64} : (tensor<3xf32>) -> tensor<3xf16>
// CHECK-NEXT: return %[[R]]
func.func @cast_like(%x: tensor<3xf32>, %like: tensor<2x2xf16>) -> tensor<3xf16> {
  %0 = onnx.CastLike %x, %like : (tensor<3xf32>, tensor<2x2xf16>) -> tensor<3xf16>
  return %0 : tensor<3xf16>
}

// -----

// Tests that a float Max takes b where a < b or b is NaN, pair by pair from
// the left, so that NaN wins.
// CHECK-LABEL: func.func @max_float
// CHECK: %[[LT:.*]] = onnx.Less %arg0, %arg1 : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
// CHECK: %[[SELF:.*]] = onnx.Equal %arg1, %arg1
// CHECK: %[[NAN:.*]] = onnx.Not %[[SELF]]
// CHECK: %[[TAKE:.*]] = onnx.Or %[[LT]], %[[NAN]]
// CHECK: %[[AB:.*]] = onnx.Where %[[TAKE]], %arg1, %arg0
// CHECK: onnx.Less %[[AB]], %arg2
// CHECK: %[[R:.*]] = onnx.Where %{{.*}}, %arg2, %[[AB]]
// CHECK: return %[[R]]
func.func @max_float(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  %0 = onnx.Max %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that an integer Min takes b where b < a, with no NaN test.
// CHECK-LABEL: func.func @min_int
// CHECK-NOT: onnx.Equal
// CHECK: %[[LT:.*]] = onnx.Less %arg1, %arg0 : (tensor<3xi32>, tensor<i32>) -> tensor<3xi1>
// CHECK: %[[R:.*]] = onnx.Where %[[LT]], %arg1, %arg0 : (tensor<3xi1>, tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
// CHECK: return %[[R]]
func.func @min_int(%a: tensor<i32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  %0 = onnx.Min %a, %b : (tensor<i32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// Tests that a 1-D Conv runs as the 2-D one over a height-1 image: X and W
// unsqueezed at axis 2, the window attributes given a first dimension of 1
// (pads of 0), the result squeezed back.
// CHECK-LABEL: func.func @conv_1d
// CHECK: %[[AXIS:.*]] = onnx.Constant dense<2> : tensor<1xi64>
// CHECK: %[[X:.*]] = onnx.Unsqueeze %arg0, %[[AXIS]] : (tensor<1x4x10xf32>, tensor<1xi64>) -> tensor<1x4x1x10xf32>
// CHECK: %[[W:.*]] = onnx.Unsqueeze %arg1, %[[AXIS]] : (tensor<8x2x3xf32>, tensor<1xi64>) -> tensor<8x2x1x3xf32>
// CHECK: %[[Y:.*]] = onnx.Conv %[[X]], %[[W]], %arg2 {dilations = array<i64: 1, 2>, group = 2 : si64, kernel_shape = array<i64: 1, 3>, pads = array<i64: 0, 1, 0, 2>, strides = array<i64: 1, 2>} : (tensor<1x4x1x10xf32>, tensor<8x2x1x3xf32>, tensor<8xf32>) -> tensor<1x8x1x5xf32>
// CHECK: %[[R:.*]] = onnx.Squeeze %[[Y]], %[[AXIS]] : (tensor<1x8x1x5xf32>, tensor<1xi64>) -> tensor<1x8x5xf32>
// CHECK: return %[[R]]
func.func @conv_1d(%x: tensor<1x4x10xf32>, %w: tensor<8x2x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x5xf32> {
  %0 = onnx.Conv %x, %w, %b {dilations = array<i64: 2>, group = 2 : si64, kernel_shape = array<i64: 3>, pads = array<i64: 1, 2>, strides = array<i64: 2>} : (tensor<1x4x10xf32>, tensor<8x2x3xf32>, tensor<8xf32>) -> tensor<1x8x5xf32>
  return %0 : tensor<1x8x5xf32>
}

// -----

// Tests that a 1-D MaxPool with Indices squeezes both results back.
// CHECK-LABEL: func.func @max_pool_1d
// CHECK: %[[Y:.*]], %[[I:.*]] = onnx.MaxPool %{{.*}} {kernel_shape = array<i64: 1, 2>, strides = array<i64: 1, 2>} : (tensor<1x3x1x8xf32>) -> (tensor<1x3x1x4xf32>, tensor<1x3x1x4xi64>)
// CHECK-DAG: %[[YS:.*]] = onnx.Squeeze %[[Y]]
// CHECK-DAG: %[[IS:.*]] = onnx.Squeeze %[[I]]
// CHECK: return %[[YS]], %[[IS]]
func.func @max_pool_1d(%x: tensor<1x3x8xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xi64>) {
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x3x8xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xi64>)
  return %0, %1 : tensor<1x3x4xf32>, tensor<1x3x4xi64>
}

// -----

// Tests that a float Clip also takes a bound that is NaN, as numpy's clip.
// CHECK-LABEL: func.func @clip_nan_bound
// CHECK: %[[BELOW:.*]] = onnx.Less %arg0, %arg1
// CHECK: %[[SELF:.*]] = onnx.Equal %arg1, %arg1
// CHECK: %[[NAN:.*]] = onnx.Not %[[SELF]]
// CHECK: %[[TAKE:.*]] = onnx.Or %[[BELOW]], %[[NAN]]
// CHECK: %[[R:.*]] = onnx.Where %[[TAKE]], %arg1, %arg0
// CHECK: return %[[R]]
func.func @clip_nan_bound(%x: tensor<3xf32>, %lo: tensor<f32>) -> tensor<3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip %x, %lo, %none : (tensor<3xf32>, tensor<f32>, none) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that Dropout, which its fold cannot remove while its shape is
// dynamic, goes when its mask is unused.
// CHECK-LABEL: func.func @dropout_dynamic
// CHECK-NOT: onnx.Dropout
// CHECK: return %arg0
func.func @dropout_dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %none = onnx.NoValue
  %0, %1 = onnx.Dropout %x, %none, %none : (tensor<?xf32>, none, none) -> (tensor<?xf32>, tensor<?xi1>)
  return %0 : tensor<?xf32>
}

// -----

// Tests that an integer PRelu compares with an integer zero.
// CHECK-LABEL: func.func @prelu_int
// CHECK: %[[ZERO:.*]] = onnx.Constant dense<0> : tensor<i32>
// CHECK: onnx.Less %arg0, %[[ZERO]]
func.func @prelu_int(%x: tensor<4xi32>, %slope: tensor<i32>) -> tensor<4xi32> {
  %0 = onnx.PRelu %x, %slope : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
