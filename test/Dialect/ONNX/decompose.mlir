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

// Tests that LeakyRelu stays: a kernel runs it.
// CHECK-LABEL: func.func @leaky_relu
// CHECK: %[[R:.*]] = onnx.LeakyRelu %arg0 {alpha = 1.000000e-01 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[R]]
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.LeakyRelu %x {alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that PRelu stays, on floats and integers: kernels run it.
// CHECK-LABEL: func.func @prelu
// CHECK: onnx.PRelu %arg0, %arg1 : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
func.func @prelu(%x: tensor<1x4x2x2xf32>, %slope: tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.PRelu %x, %slope : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Tests that HardSwish and HardSigmoid stay: kernels run them.
// CHECK-LABEL: func.func @hard_swish
// CHECK: %[[S:.*]] = onnx.HardSwish %arg0
// CHECK: %[[G:.*]] = onnx.HardSigmoid %arg0 {alpha = 2.500000e-01 : f32}
// CHECK: return %[[S]], %[[G]]
func.func @hard_swish(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = onnx.HardSwish %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.HardSigmoid %x {alpha = 0.25 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that Elu, Selu, Celu of a positive alpha, Softplus and Mish stay:
// kernels run them.
// CHECK-LABEL: func.func @exponential_activations
// CHECK: %[[ELU:.*]] = onnx.Elu %arg0 {alpha = 5.000000e-01 : f32}
// CHECK: %[[SELU:.*]] = onnx.Selu %arg0
// CHECK: %[[CELU:.*]] = onnx.Celu %arg0 {alpha = 2.000000e+00 : f32}
// CHECK: %[[SOFTPLUS:.*]] = onnx.Softplus %arg0
// CHECK: %[[MISH:.*]] = onnx.Mish %arg0
// CHECK: return %[[ELU]], %[[SELU]], %[[CELU]], %[[SOFTPLUS]], %[[MISH]]
func.func @exponential_activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = onnx.Elu %x {alpha = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Selu %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = onnx.Celu %x {alpha = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %3 = onnx.Softplus %x : (tensor<4xf32>) -> tensor<4xf32>
  %4 = onnx.Mish %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that a Celu of a negative alpha, which the kernels refuse, is its
// formula: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
// CHECK-LABEL: func.func @celu_negative_alpha
// CHECK-NOT: onnx.Celu
// CHECK-DAG: %[[ALPHA:.*]] = onnx.Constant dense<-2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[SCALED:.*]] = onnx.Div %arg0, %[[ALPHA]]
// CHECK: %[[E:.*]] = onnx.Exp %[[SCALED]]
// CHECK: %[[EM1:.*]] = onnx.Sub %[[E]], %[[ONE]]
// CHECK: %[[NEGATIVE:.*]] = onnx.Mul %[[EM1]], %[[ALPHA]]
// CHECK: %[[BELOW:.*]] = onnx.Less %[[NEGATIVE]], %[[ZERO]]
// CHECK: %[[MIN:.*]] = onnx.Where %[[BELOW]], %[[NEGATIVE]], %[[ZERO]]
// CHECK: %[[RELU:.*]] = onnx.Relu %arg0
// CHECK: %[[R:.*]] = onnx.Add %[[RELU]], %[[MIN]]
// CHECK: return %[[R]]
func.func @celu_negative_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Celu %x {alpha = -2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
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

// Tests that a float Clip stays: a kernel runs it.
// CHECK-LABEL: func.func @clip_float
// CHECK: %[[R:.*]] = onnx.Clip %arg0, %arg1, %{{.*}} : (tensor<3xf32>, tensor<f32>, none) -> tensor<3xf32>
// CHECK: return %[[R]]
func.func @clip_float(%x: tensor<3xf32>, %lo: tensor<f32>) -> tensor<3xf32> {
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

// CHECK-LABEL: func.func @prelu_int
// CHECK: onnx.PRelu %arg0, %arg1 : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
func.func @prelu_int(%x: tensor<4xi32>, %slope: tensor<i32>) -> tensor<4xi32> {
  %0 = onnx.PRelu %x, %slope : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Tests that ArgMax marks where the data reaches its maximum (or is NaN)
// and finds the first mark as the largest distance to the end.
// CHECK-LABEL: func.func @arg_max
// CHECK-DAG: %[[SIZE:.*]] = onnx.Constant dense<5> : tensor<i64>
// CHECK-DAG: %[[DIST:.*]] = onnx.Constant dense<{{\[\[}}5, 4, 3, 2, 1]]> : tensor<1x5xi64>
// CHECK-DAG: %[[AXIS:.*]] = onnx.Constant dense<1> : tensor<1xi64>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %arg0, %[[AXIS]] : (tensor<2x5xf32>, tensor<1xi64>) -> tensor<2x1xf32>
// CHECK: %[[HIT:.*]] = onnx.Equal %arg0, %[[MAX]]
// CHECK: %[[SELF:.*]] = onnx.Equal %arg0, %arg0
// CHECK: %[[NAN:.*]] = onnx.Not %[[SELF]]
// CHECK: %[[MARK:.*]] = onnx.Or %[[HIT]], %[[NAN]]
// CHECK: %[[MARKED:.*]] = onnx.Where %[[MARK]], %[[DIST]], %{{.*}} : (tensor<2x5xi1>, tensor<1x5xi64>, tensor<i64>) -> tensor<2x5xi64>
// CHECK: %[[FOUND:.*]] = onnx.ReduceMax %[[MARKED]], %[[AXIS]] {keepdims = 0 : si64} : (tensor<2x5xi64>, tensor<1xi64>) -> tensor<2xi64>
// CHECK: %[[R:.*]] = onnx.Sub %[[SIZE]], %[[FOUND]]
// CHECK: return %[[R]]
func.func @arg_max(%x: tensor<2x5xf32>) -> tensor<2xi64> {
  %0 = onnx.ArgMax %x {axis = 1 : si64, keepdims = 0 : si64} : (tensor<2x5xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that ArgMin of integers turns them around as -1 - x (no overflow)
// and that select_last_index takes the largest marked position.
// CHECK-LABEL: func.func @arg_min_last
// CHECK-DAG: %[[POS:.*]] = onnx.Constant dense<{{\[\[}}0], [1], [2]]> : tensor<3x1xi64>
// CHECK-DAG: %[[NONE:.*]] = onnx.Constant dense<-1> : tensor<i64>
// CHECK-DAG: %[[ONES:.*]] = onnx.Constant dense<-1> : tensor<i8>
// CHECK: %[[TURNED:.*]] = onnx.Sub %[[ONES]], %arg0 : (tensor<i8>, tensor<3x2xi8>) -> tensor<3x2xi8>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %[[TURNED]]
// CHECK: %[[HIT:.*]] = onnx.Equal %[[TURNED]], %[[MAX]]
// CHECK-NEXT: %[[MARKED:.*]] = onnx.Where %[[HIT]], %[[POS]], %[[NONE]]
// CHECK-NEXT: %[[R:.*]] = onnx.ReduceMax %[[MARKED]], %{{.*}} : (tensor<3x2xi64>, tensor<1xi64>) -> tensor<1x2xi64>
// CHECK-NEXT: return %[[R]]
func.func @arg_min_last(%x: tensor<3x2xi8>) -> tensor<1x2xi64> {
  %0 = onnx.ArgMin %x {select_last_index = 1 : si64} : (tensor<3x2xi8>) -> tensor<1x2xi64>
  return %0 : tensor<1x2xi64>
}

// -----

// Tests that ReduceMin of unsigned integers is the ReduceMax of 255 - x,
// turned back, its attribute axes made the input.
// CHECK-LABEL: func.func @reduce_min
// CHECK-DAG: %[[AXES:.*]] = onnx.Constant dense<1> : tensor<1xi64>
// CHECK-DAG: %[[ONES:.*]] = onnx.Constant dense<255> : tensor<ui8>
// CHECK: %[[TURNED:.*]] = onnx.Sub %[[ONES]], %arg0
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %[[TURNED]], %[[AXES]] {keepdims = 0 : si64} : (tensor<2x3xui8>, tensor<1xi64>) -> tensor<2xui8>
// CHECK: %[[R:.*]] = onnx.Sub %[[ONES]], %[[MAX]]
// CHECK: return %[[R]]
func.func @reduce_min(%x: tensor<2x3xui8>) -> tensor<2xui8> {
  %none = onnx.NoValue
  %0 = onnx.ReduceMin %x, %none {axes = array<i64: 1>, keepdims = 0 : si64} : (tensor<2x3xui8>, none) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// Tests that ReduceMin of floats negates, and of bool inverts.
// CHECK-LABEL: func.func @reduce_min_float_bool
// CHECK: %[[NEG:.*]] = onnx.Neg %arg0
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %[[NEG]]
// CHECK: onnx.Neg %[[MAX]]
// CHECK: %[[NOT:.*]] = onnx.Not %arg1
// CHECK: %[[ANY:.*]] = onnx.ReduceMax %[[NOT]]
// CHECK: onnx.Not %[[ANY]]
func.func @reduce_min_float_bool(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<1xf32>, tensor<1xi1>) {
  %none = onnx.NoValue
  %0 = onnx.ReduceMin %x, %none : (tensor<4xf32>, none) -> tensor<1xf32>
  %1 = onnx.ReduceMin %b, %none : (tensor<4xi1>, none) -> tensor<1xi1>
  return %0, %1 : tensor<1xf32>, tensor<1xi1>
}

// -----

// Tests the sum-based reductions: L1, L2, sum of squares, log of the sum.
// CHECK-LABEL: func.func @sum_reductions
// CHECK: %[[ABS:.*]] = onnx.Abs %arg0
// CHECK: %[[L1:.*]] = onnx.ReduceSum %[[ABS]], %arg1 {keepdims = 0 : si64}
// CHECK: %[[SQ:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[SUM:.*]] = onnx.ReduceSum %[[SQ]], %arg1
// CHECK: %[[L2:.*]] = onnx.Sqrt %[[SUM]]
// CHECK: %[[SQ2:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[SS:.*]] = onnx.ReduceSum %[[SQ2]], %arg1 {noop_with_empty_axes = 1 : si64}
// CHECK: %[[S:.*]] = onnx.ReduceSum %arg0, %arg1
// CHECK: %[[LS:.*]] = onnx.Log %[[S]]
// CHECK: return %[[L1]], %[[L2]], %[[SS]], %[[LS]]
func.func @sum_reductions(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> (tensor<*xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = onnx.ReduceL1 %x, %axes {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  %1 = onnx.ReduceL2 %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %2 = onnx.ReduceSumSquare %x, %axes {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %3 = onnx.ReduceLogSum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Tests that ReduceLogSumExp shifts by the maximum, 0 where it is infinite,
// keeps the axes until the end, then squeezes them.
// CHECK-LABEL: func.func @log_sum_exp
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[INF:.*]] = onnx.Constant dense<0x7F800000> : tensor<f32>
// CHECK-DAG: %[[AXES:.*]] = onnx.Constant dense<-1> : tensor<1xi64>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %arg0, %[[AXES]] : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
// CHECK: %[[ABS:.*]] = onnx.Abs %[[MAX]]
// CHECK: %[[INFINITE:.*]] = onnx.Equal %[[ABS]], %[[INF]]
// CHECK: %[[SHIFT:.*]] = onnx.Where %[[INFINITE]], %[[ZERO]], %[[MAX]]
// CHECK: %[[D:.*]] = onnx.Sub %arg0, %[[SHIFT]]
// CHECK: %[[E:.*]] = onnx.Exp %[[D]]
// CHECK: %[[S:.*]] = onnx.ReduceSum %[[E]], %[[AXES]] : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
// CHECK: %[[L:.*]] = onnx.Log %[[S]]
// CHECK: %[[R:.*]] = onnx.Add %[[L]], %[[SHIFT]]
// CHECK: %[[SQ:.*]] = onnx.Squeeze %[[R]], %[[AXES]] : (tensor<2x1xf32>, tensor<1xi64>) -> tensor<2xf32>
// CHECK: return %[[SQ]]
func.func @log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %axes = onnx.Constant dense<[-1]> : tensor<1xi64>
  %0 = onnx.ReduceLogSumExp %x, %axes {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Tests that ReduceLogSumExp over every axis without keeping them squeezes
// every dimension.
// CHECK-LABEL: func.func @log_sum_exp_all
// CHECK: onnx.ReduceSum %{{.*}}, %{{.*}} : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK-NEXT: onnx.Squeeze %{{.*}}, %[[NONE]] : (tensor<1x1xf32>, none) -> tensor<f32>
func.func @log_sum_exp_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %none = onnx.NoValue
  %0 = onnx.ReduceLogSumExp %x, %none {keepdims = 0 : si64} : (tensor<2x3xf32>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Tests that LogSoftmax subtracts the maximum, then the log of the sum of
// the exponentials of the difference.
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[AXIS:.*]] = onnx.Constant dense<1> : tensor<1xi64>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %arg0, %[[AXIS]]
// CHECK: %[[D:.*]] = onnx.Sub %arg0, %[[MAX]]
// CHECK: %[[E:.*]] = onnx.Exp %[[D]]
// CHECK: %[[S:.*]] = onnx.ReduceSum %[[E]], %[[AXIS]]
// CHECK: %[[L:.*]] = onnx.Log %[[S]]
// CHECK: %[[R:.*]] = onnx.Sub %[[D]], %[[L]] : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.LogSoftmax %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that Hardmax compares each position with the first maximum's.
// CHECK-LABEL: func.func @hardmax
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[POS:.*]] = onnx.Constant dense<{{\[\[}}0], [1]]> : tensor<2x1xi64>
// CHECK: %[[FIRST:.*]] = onnx.Sub %{{.*}} : (tensor<i64>, tensor<1x3xi64>) -> tensor<1x3xi64>
// CHECK: %[[AT:.*]] = onnx.Equal %[[FIRST]], %[[POS]] : (tensor<1x3xi64>, tensor<2x1xi64>) -> tensor<2x3xi1>
// CHECK: %[[R:.*]] = onnx.Where %[[AT]], %[[ONE]], %[[ZERO]]
// CHECK: return %[[R]]
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Hardmax %x {axis = 0 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests the predicates: IsNaN, IsInf each way, Xor.
// CHECK-LABEL: func.func @predicates
// CHECK-DAG: %[[MINUS:.*]] = onnx.Constant dense<0xFF800000> : tensor<f32>
// CHECK-DAG: %[[INF:.*]] = onnx.Constant dense<0x7F800000> : tensor<f32>
// CHECK: %[[SELF:.*]] = onnx.Equal %arg0, %arg0
// CHECK: %[[NAN:.*]] = onnx.Not %[[SELF]]
// CHECK: %[[ABS:.*]] = onnx.Abs %arg0
// CHECK: %[[BOTH:.*]] = onnx.Equal %[[ABS]], %[[INF]]
// CHECK: %[[NEG:.*]] = onnx.Equal %arg0, %[[MINUS]]
// CHECK: %[[NEITHER:.*]] = onnx.Less %arg0, %arg0
// CHECK: %[[SAME:.*]] = onnx.Equal %arg1, %arg2
// CHECK: %[[XOR:.*]] = onnx.Not %[[SAME]]
// CHECK: return %[[NAN]], %[[BOTH]], %[[NEG]], %[[NEITHER]], %[[XOR]]
func.func @predicates(%x: tensor<4xf32>, %a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = onnx.IsNaN %x : (tensor<4xf32>) -> tensor<4xi1>
  %1 = onnx.IsInf %x : (tensor<4xf32>) -> tensor<4xi1>
  %2 = onnx.IsInf %x {detect_positive = 0 : si64} : (tensor<4xf32>) -> tensor<4xi1>
  %3 = onnx.IsInf %x {detect_positive = 0 : si64, detect_negative = 0 : si64} : (tensor<4xf32>) -> tensor<4xi1>
  %4 = onnx.Xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Tests Sign: 1 above zero, -1 below, else the input (0 or NaN); unsigned
// inputs skip the test below zero.
// CHECK-LABEL: func.func @sign
// CHECK: %[[BELOW:.*]] = onnx.Less %arg0
// CHECK: %[[REST:.*]] = onnx.Where %[[BELOW]], %{{.*}}, %arg0
// CHECK: %[[ABOVE:.*]] = onnx.Greater %arg0
// CHECK: onnx.Where %[[ABOVE]], %{{.*}}, %[[REST]]
// CHECK: %[[UABOVE:.*]] = onnx.Greater %arg1
// CHECK-NEXT: onnx.Where %[[UABOVE]], %{{.*}}, %arg1
func.func @sign(%x: tensor<4xf32>, %u: tensor<4xui8>) -> (tensor<4xf32>, tensor<4xui8>) {
  %0 = onnx.Sign %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Sign %u : (tensor<4xui8>) -> tensor<4xui8>
  return %0, %1 : tensor<4xf32>, tensor<4xui8>
}

// -----

// Tests Shrink, and that Mish and Swish stay: kernels run them.
// CHECK-LABEL: func.func @activations
// CHECK-DAG: %[[MINUS_LAMBD:.*]] = onnx.Constant dense<-1.500000e+00> : tensor<f32>
// CHECK-DAG: %[[LAMBD:.*]] = onnx.Constant dense<1.500000e+00> : tensor<f32>
// CHECK-DAG: %[[BIAS:.*]] = onnx.Constant dense<2.500000e-01> : tensor<f32>
// CHECK-DAG: %[[MISH:.*]] = onnx.Mish %arg0
// CHECK-DAG: %[[SWISH:.*]] = onnx.Swish %arg0 {alpha = 2.000000e+00 : f32}
// CHECK-DAG: %[[DOWN:.*]] = onnx.Sub %arg0, %[[BIAS]]
// CHECK-DAG: %[[ABOVE:.*]] = onnx.Greater %arg0, %[[LAMBD]]
// CHECK-DAG: %[[INNER:.*]] = onnx.Where %[[ABOVE]], %[[DOWN]]
// CHECK-DAG: %[[UP:.*]] = onnx.Add %arg0, %[[BIAS]]
// CHECK-DAG: %[[BELOW:.*]] = onnx.Less %arg0, %[[MINUS_LAMBD]]
// CHECK: %[[SHRINK:.*]] = onnx.Where %[[BELOW]], %[[UP]], %[[INNER]]
// CHECK: return %[[MISH]], %[[SWISH]], %[[SHRINK]]
func.func @activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = onnx.Mish %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Swish %x {alpha = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = onnx.Shrink %x {bias = 0.25 : f32, lambd = 1.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that LpNormalization divides by the norm, 0 where the norm is 0.
// CHECK-LABEL: func.func @lp_normalization
// CHECK: %[[SQ:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[SUM:.*]] = onnx.ReduceSum %[[SQ]]
// CHECK: %[[NORM:.*]] = onnx.Sqrt %[[SUM]]
// CHECK-DAG: %[[ZERO_NORM:.*]] = onnx.Equal %[[NORM]]
// CHECK-DAG: %[[Q:.*]] = onnx.Div %arg0, %[[NORM]]
// CHECK: onnx.Where %[[ZERO_NORM]], %{{.*}}, %[[Q]]
func.func @lp_normalization(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.LpNormalization %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that InstanceNormalization normalizes over the spatial axes, as
// one LayerNormalization from axis 2 of unit scale (which a kernel runs in
// one step), and applies its per-channel parameters as C x 1 x 1.
// CHECK-LABEL: func.func @instance_normalization
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[NONE:.*]] = onnx.NoValue
// CHECK: %[[N:.*]], %{{.*}}, %{{.*}} = onnx.LayerNormalization %arg0, %[[ONE]], %[[NONE]] {axis = 2 : si64, epsilon = 1.000000e-03 : f32}
// CHECK-DAG: %[[S:.*]] = onnx.Unsqueeze %arg1, %{{.*}} : (tensor<3xf32>, tensor<2xi64>) -> tensor<3x1x1xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Unsqueeze %arg2
// CHECK: %[[SCALED:.*]] = onnx.Mul %[[N]], %[[S]]
// CHECK: onnx.Add %[[SCALED]], %[[B]]
func.func @instance_normalization(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = onnx.InstanceNormalization %x, %s, %b {epsilon = 1.0e-3 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// Tests that an InstanceNormalization of unit scale and zero shift (as both
// exporters write a group norm) is the LayerNormalization alone, whose
// kernel adds the +0 shift itself; and that one of f64, which that kernel
// would compute in f32, stays ops of f64.
// CHECK-LABEL: func.func @instance_normalization_unit
// CHECK: %[[N:.*]], %{{.*}}, %{{.*}} = onnx.LayerNormalization %arg0
// CHECK-NOT: onnx.Mul
// CHECK-NOT: onnx.Add
// CHECK: %[[MEAN:.*]] = onnx.ReduceMean %arg1
// CHECK: onnx.Div
// CHECK: %[[WIDE:.*]] = onnx.Add
// CHECK: return %[[N]], %[[WIDE]]
func.func @instance_normalization_unit(%x: tensor<1x2x3x3xf32>, %y: tensor<1x2x3x3xf64>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf64>) {
  %one = onnx.Constant dense<1.0> : tensor<2xf32>
  %zero = onnx.Constant dense<0.0> : tensor<2xf32>
  %0 = onnx.InstanceNormalization %x, %one, %zero : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %one64 = onnx.Constant dense<1.0> : tensor<2xf64>
  %zero64 = onnx.Constant dense<0.0> : tensor<2xf64>
  %1 = onnx.InstanceNormalization %y, %one64, %zero64 : (tensor<1x2x3x3xf64>, tensor<2xf64>, tensor<2xf64>) -> tensor<1x2x3x3xf64>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf64>
}

// -----

// Tests that GroupNormalization normalizes X viewed as N x G x rest and
// scales per group when its parameters have one value per group (opset 18).
// CHECK-LABEL: func.func @group_normalization_per_group
// CHECK-DAG: %[[GROUPED_SHAPE:.*]] = onnx.Constant dense<[1, 2, 8]> : tensor<3xi64>
// CHECK: %[[G:.*]] = onnx.Reshape %arg0, %[[GROUPED_SHAPE]] {allowzero = 1 : si64} : (tensor<1x4x2x2xf32>, tensor<3xi64>) -> tensor<1x2x8xf32>
// CHECK: %[[N:.*]], %{{.*}}, %{{.*}} = onnx.LayerNormalization %[[G]], %{{.*}}, %{{.*}} {axis = 2 : si64}
// CHECK-DAG: %[[B:.*]] = onnx.Reshape %arg2, %{{.*}} -> tensor<2x1xf32>
// CHECK-DAG: %[[S:.*]] = onnx.Reshape %arg1, %{{.*}} -> tensor<2x1xf32>
// CHECK: %[[SCALED:.*]] = onnx.Mul %[[N]], %[[S]]
// CHECK: %[[Y:.*]] = onnx.Add %[[SCALED]], %[[B]]
// CHECK: onnx.Reshape %[[Y]], %{{.*}} : (tensor<1x2x8xf32>, tensor<4xi64>) -> tensor<1x4x2x2xf32>
func.func @group_normalization_per_group(%x: tensor<1x4x2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.GroupNormalization %x, %s, %b {num_groups = 2 : si64} : (tensor<1x4x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Tests that GroupNormalization scales per channel when its parameters have
// one value per channel (opset 21).
// CHECK-LABEL: func.func @group_normalization_per_channel
// CHECK: %[[N:.*]], %{{.*}}, %{{.*}} = onnx.LayerNormalization
// CHECK: %[[Y:.*]] = onnx.Reshape %[[N]], %{{.*}} : (tensor<1x2x8xf32>, tensor<4xi64>) -> tensor<1x4x2x2xf32>
// CHECK: %[[S:.*]] = onnx.Unsqueeze %arg1, %{{.*}} : (tensor<4xf32>, tensor<2xi64>) -> tensor<4x1x1xf32>
// CHECK: onnx.Mul %[[Y]], %[[S]]
func.func @group_normalization_per_channel(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.GroupNormalization %x, %s, %b {num_groups = 2 : si64} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Tests MeanVarianceNormalization (the deviation plus 1e-9 divides) and
// RMSNormalization (mean of squares from the axis on).
// CHECK-LABEL: func.func @mvn_rms
// CHECK-DAG: %[[MVN_AXES:.*]] = onnx.Constant dense<[0, 2, 3]> : tensor<3xi64>
// CHECK-DAG: %[[TINY:.*]] = onnx.Constant dense<9.99999971E-10> : tensor<f32>
// CHECK-DAG: %[[RMS_AXES:.*]] = onnx.Constant dense<[2, 3]> : tensor<2xi64>
// CHECK: %[[MEAN:.*]] = onnx.ReduceMean %arg0, %[[MVN_AXES]]
// CHECK: %[[D:.*]] = onnx.Sub %arg0, %[[MEAN]]
// CHECK: %[[DEV:.*]] = onnx.Sqrt
// CHECK: %[[DIV:.*]] = onnx.Add %[[DEV]], %[[TINY]]
// CHECK: %[[MVN:.*]] = onnx.Div %[[D]], %[[DIV]]
// CHECK: %[[SQ:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[MS:.*]] = onnx.ReduceMean %[[SQ]], %[[RMS_AXES]]
// CHECK: %[[RMS:.*]] = onnx.Sqrt
// CHECK: %[[N:.*]] = onnx.Div %arg0, %[[RMS]]
// CHECK: %[[R:.*]] = onnx.Mul %[[N]], %arg1
// CHECK: return %[[MVN]], %[[R]]
func.func @mvn_rms(%x: tensor<2x3x4x5xf32>, %s: tensor<4x5xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  %0 = onnx.MeanVarianceNormalization %x : (tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32>
  %1 = onnx.RMSNormalization %x, %s {axis = 2 : si64} : (tensor<2x3x4x5xf32>, tensor<4x5xf32>) -> tensor<2x3x4x5xf32>
  return %0, %1 : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// Tests that a 3-D MaxPool runs as a 2-D pool of each depth slice, then a
// pool along the depth with a window of width 1; uint8 data is cast to f32
// once around both.
// CHECK-LABEL: func.func @max_pool_3d
// CHECK: %[[F:.*]] = onnx.Cast %arg0 {to = 1 : si64} : (tensor<1x2x4x5x6xui8>) -> tensor<1x2x4x5x6xf32>
// CHECK: %[[SLICES:.*]] = onnx.Reshape %[[F]], %{{.*}} -> tensor<1x8x5x6xf32>
// CHECK: %[[PLANE:.*]], %{{.*}} = onnx.MaxPool %[[SLICES]] {kernel_shape = array<i64: 3, 2>, pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x5x6xf32>) -> (tensor<1x8x3x3xf32>, tensor<1x8x3x3xi64>)
// CHECK-NOT: onnx.Cast
// CHECK: %[[COLUMNS:.*]] = onnx.Reshape %[[PLANE]], %{{.*}} -> tensor<1x2x4x9xf32>
// CHECK-NOT: onnx.Cast
// CHECK: %[[DEPTH:.*]], %{{.*}} = onnx.MaxPool %[[COLUMNS]] {kernel_shape = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 1>} : (tensor<1x2x4x9xf32>) -> (tensor<1x2x2x9xf32>, tensor<1x2x2x9xi64>)
// CHECK: %[[Y:.*]] = onnx.Reshape %[[DEPTH]], %{{.*}} -> tensor<1x2x2x3x3xf32>
// CHECK: %[[R:.*]] = onnx.Cast %[[Y]] {to = 2 : si64}
// CHECK: return %[[R]]
func.func @max_pool_3d(%x: tensor<1x2x4x5x6xui8>) -> tensor<1x2x2x3x3xui8> {
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 2, 3, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 1, 0, 0, 1, 0>} : (tensor<1x2x4x5x6xui8>) -> (tensor<1x2x2x3x3xui8>, tensor<1x2x2x3x3xi64>)
  return %y : tensor<1x2x2x3x3xui8>
}


// -----

// Tests that an 8-bit MaxPool whose declared result type is not the inferred
// one stays (its users may need that type).
// CHECK-LABEL: func.func @max_pool_int8_declared
// CHECK: onnx.MaxPool %arg0 {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xi8>) -> (tensor<1x1x?x?xi8>, tensor<1x1x?x?xi64>)
func.func @max_pool_int8_declared(%x: tensor<1x1x4x4xi8>) -> tensor<1x1x?x?xi8> {
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xi8>) -> (tensor<1x1x?x?xi8>, tensor<1x1x?x?xi64>)
  return %y : tensor<1x1x?x?xi8>
}

// -----

// Tests that InstanceNormalization takes the channel count its input leaves
// unknown from its parameters, as its expansion's broadcasts do.
// CHECK-LABEL: func.func @instance_normalization_channels
// CHECK: %[[R:.*]] = onnx.Add %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: return %[[R]] : tensor<2x3x4xf32>
func.func @instance_normalization_channels(%x: tensor<2x?x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.InstanceNormalization %x, %s, %b : (tensor<2x?x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tests that ReduceLogSumExp keeping its axes expands with axes known only
// at run time.
// CHECK-LABEL: func.func @log_sum_exp_runtime_axes
// CHECK: onnx.ReduceMax %arg0, %arg1
// CHECK: onnx.ReduceSum %{{.*}}, %arg1
// CHECK-NOT: onnx.Squeeze
func.func @log_sum_exp_runtime_axes(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = onnx.ReduceLogSumExp %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that AveragePool sums its windows with a depthwise Conv of ones,
// its end pads grown by what ceil mode adds (none counted), and divides by
// each window's count: here the pads do not count, so corner windows hold
// 2 x 2 elements, edge ones 2 x 3 and the middle one 3 x 3.
// CHECK-LABEL: func.func @average_pool
// CHECK-DAG: %[[COUNTS:.*]] = onnx.Constant dense<{{\[\[\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]]]> : tensor<1x1x3x3xf32>
// CHECK-DAG: %[[ONES:.*]] = onnx.Constant dense<1.000000e+00> : tensor<2x1x3x3xf32>
// CHECK: %[[SUMS:.*]] = onnx.Conv %arg0, %[[ONES]], %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x2x3x3xf32>
// CHECK: %[[R:.*]] = onnx.Div %[[SUMS]], %[[COUNTS]]
// CHECK: return %[[R]]
func.func @average_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = 1 : si64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Tests that a 3-D AveragePool is separated as a 3-D MaxPool is (its plane
// windows of one element averaging nothing), counting the pads along the
// depth when asked: every window then counts 2, so the Conv sums halves
// and nothing divides.
// CHECK-LABEL: func.func @average_pool_3d
// CHECK-DAG: %[[HALVES:.*]] = onnx.Constant dense<5.000000e-01> : tensor<2x1x2x1xf32>
// CHECK: %[[SLICES:.*]] = onnx.Reshape %arg0, %{{.*}} : (tensor<1x2x4x5x6xf32>, tensor<4xi64>) -> tensor<1x8x5x6xf32>
// CHECK-NOT: onnx.Conv
// CHECK: %[[COLUMNS:.*]] = onnx.Reshape %[[SLICES]], %{{.*}} : (tensor<1x8x5x6xf32>, tensor<4xi64>) -> tensor<1x2x4x30xf32>
// CHECK: %[[MEAN:.*]] = onnx.Conv %[[COLUMNS]], %[[HALVES]], %{{.*}} {{{.*}}group = 2 : si64, kernel_shape = array<i64: 2, 1>, pads = array<i64: 1, 0, 1, 0>{{.*}}} : (tensor<1x2x4x30xf32>, tensor<2x1x2x1xf32>, none) -> tensor<1x2x5x30xf32>
// CHECK-NOT: onnx.Div
// CHECK: onnx.Reshape %[[MEAN]], %{{.*}} -> tensor<1x2x5x5x6xf32>
func.func @average_pool_3d(%x: tensor<1x2x4x5x6xf32>) -> tensor<1x2x5x5x6xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 1, 1>, pads = array<i64: 1, 0, 0, 1, 0, 0>, count_include_pad = 1 : si64} : (tensor<1x2x4x5x6xf32>) -> tensor<1x2x5x5x6xf32>
  return %0 : tensor<1x2x5x5x6xf32>
}

// -----

// Tests that an AveragePool of one-element windows is its input only when
// nothing pads it: with pads, windows on the pads count (here, as zeros;
// every window holds one element, so nothing divides). The windows
// start at -1 and 1, so the Conv needs no end pad.
// CHECK-LABEL: func.func @average_pool_one_element
// CHECK: %[[SUMS:.*]] = onnx.Conv %arg0, %{{.*}}, %{{.*}} {{{.*}}pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, none) -> tensor<1x1x2x2xf32>
// CHECK: return %[[SUMS]], %arg0
func.func @average_pool_one_element(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = 1 : si64} : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %1 = onnx.AveragePool %x {kernel_shape = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// Tests that an AveragePool whose windows all count the same (DenseNet's
// transitions: 2x2, stride 2, no padding) is one Conv of quarters.
// CHECK-LABEL: func.func @average_pool_uniform
// CHECK: %[[QUARTERS:.*]] = onnx.Constant dense<2.500000e-01> : tensor<3x1x2x2xf32>
// CHECK: %[[MEAN:.*]] = onnx.Conv %arg0, %[[QUARTERS]], %{{.*}} {{{.*}}group = 3 : si64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x6xf32>, tensor<3x1x2x2xf32>, none) -> tensor<1x3x2x3xf32>
// CHECK-NEXT: return %[[MEAN]]
func.func @average_pool_uniform(%x: tensor<1x3x4x6xf32>) -> tensor<1x3x2x3xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x4x6xf32>) -> tensor<1x3x2x3xf32>
  return %0 : tensor<1x3x2x3xf32>
}

// -----

// Tests that Einsum's attention scores are a MatMul by the keys transposed:
// b and h batch, q and k free, d contracted.
// CHECK-LABEL: func.func @einsum_scores
// CHECK: %[[KT:.*]] = onnx.Transpose %arg1 {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x4x6x8xf32>) -> tensor<2x4x8x6xf32>
// CHECK: %[[S:.*]] = onnx.MatMul %arg0, %[[KT]] : (tensor<2x4x5x8xf32>, tensor<2x4x8x6xf32>) -> tensor<2x4x5x6xf32>
// CHECK: return %[[S]]
func.func @einsum_scores(%q: tensor<2x4x5x8xf32>, %k: tensor<2x4x6x8xf32>) -> tensor<2x4x5x6xf32> {
  %0 = onnx.Einsum %q, %k {equation = "bhqd,bhkd->bhqk"} : (tensor<2x4x5x8xf32>, tensor<2x4x6x8xf32>) -> tensor<2x4x5x6xf32>
  return %0 : tensor<2x4x5x6xf32>
}

// -----

// Tests that one input's missing labels are summed, then the rest is put
// in the output's order.
// CHECK-LABEL: func.func @einsum_one
// CHECK: %[[I:.*]] = onnx.Constant dense<1> : tensor<1xi64>
// CHECK: %[[S:.*]] = onnx.ReduceSum %arg0, %[[I]] {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
// CHECK: %[[T:.*]] = onnx.Transpose %[[S]] {perm = array<i64: 1, 0>}
// CHECK: return %[[T]]
func.func @einsum_one(%x: tensor<2x3x4xf32>) -> tensor<4x2xf32> {
  %0 = onnx.Einsum %x {equation = "bij->jb"} : (tensor<2x3x4xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Tests that a label only one input has, and the output lacks (z), is summed
// there first, and that an implicit output is the labels that appear once,
// sorted: "ij,jk" is a plain MatMul.
// CHECK-LABEL: func.func @einsum_private_and_implicit
// CHECK: %[[Z:.*]] = onnx.ReduceSum %arg0, %{{.*}} {keepdims = 0 : si64} : (tensor<3x4x7xf32>, tensor<1xi64>) -> tensor<3x4xf32>
// CHECK: %[[P:.*]] = onnx.MatMul %[[Z]], %arg1 : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK: %[[T:.*]] = onnx.Transpose %[[P]] {perm = array<i64: 1, 0>} : (tensor<3x5xf32>) -> tensor<5x3xf32>
// CHECK: %[[M:.*]] = onnx.MatMul %arg2, %arg1 : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK: return %[[T]], %[[M]]
func.func @einsum_private_and_implicit(%a: tensor<3x4x7xf32>, %b: tensor<4x5xf32>, %c: tensor<3x4xf32>) -> (tensor<5x3xf32>, tensor<3x5xf32>) {
  %0 = onnx.Einsum %a, %b {equation = "ijz,jk->ki"} : (tensor<3x4x7xf32>, tensor<4x5xf32>) -> tensor<5x3xf32>
  %1 = onnx.Einsum %c, %b {equation = "ij,jk"} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<5x3xf32>, tensor<3x5xf32>
}

// -----

// Tests that `...` stands for the leading dimensions, which batch the
// product: an outer product of two vectors per batch element reshapes
// them to columns and rows.
// CHECK-LABEL: func.func @einsum_ellipsis_outer
// CHECK-DAG: %[[COLUMNS:.*]] = onnx.Reshape %arg0, %{{.*}} : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3x1xf32>
// CHECK-DAG: %[[ROWS:.*]] = onnx.Reshape %arg1, %{{.*}} : (tensor<2x4xf32>, tensor<3xi64>) -> tensor<2x1x4xf32>
// CHECK: onnx.MatMul %[[COLUMNS]], %[[ROWS]] : (tensor<2x3x1xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
func.func @einsum_ellipsis_outer(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.Einsum %a, %b {equation = "...i,...j->...ij"} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Tests that ceil mode's dropped window (one that would start in the end
// padding) shrinks the Conv's end pad so that the sizes agree: found by
// intr-fuzz-compile, the Conv had 4 rows where the pool has 3. Rows: pads
// 1 (begin) and 3 (end); windows start at -1, 1 and 3 and the one at 5 is
// dropped, so the Conv pads the end by 1; columns need no end pad.
// CHECK-LABEL: func.func @average_pool_dropped_window
// CHECK: onnx.Conv %arg0, {{.*}}pads = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x6xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x2x3x3xf32>
func.func @average_pool_dropped_window(%x: tensor<1x2x5x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = onnx.AveragePool %x {ceil_mode = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 3, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x6xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Tests that a plain 4-D Attention scales Q and K by the root of its scale
// (0.25: 0.5 each), multiplies by the keys transposed, takes the softmax
// without a bias, zeros a query whose scores are all -inf, and multiplies
// by V.
// CHECK-LABEL: func.func @attention_plain
// CHECK: %[[ROOT:.*]] = onnx.Constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[Q:.*]] = onnx.Mul %arg0, %[[ROOT]]
// CHECK: %[[K:.*]] = onnx.Mul %arg1, %[[ROOT]]
// CHECK: %[[KT:.*]] = onnx.Transpose %[[K]] {perm = array<i64: 0, 1, 3, 2>}
// CHECK: %[[S:.*]] = onnx.MatMul %[[Q]], %[[KT]] : (tensor<1x2x3x4xf32>, tensor<1x2x4x5xf32>) -> tensor<1x2x3x5xf32>
// CHECK: %[[P:.*]] = onnx.Softmax %[[S]] : tensor<1x2x3x5xf32>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %[[S]]
// CHECK: %[[NONE:.*]] = onnx.Equal %[[MAX]]
// CHECK: %[[GUARDED:.*]] = onnx.Where %[[NONE]], %{{.*}}, %[[P]]
// CHECK: %[[Y:.*]] = onnx.MatMul %[[GUARDED]], %arg2 : (tensor<1x2x3x5xf32>, tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32>
// CHECK: return %[[Y]]
func.func @attention_plain(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32> {
  %none = onnx.NoValue
  %y, %pk, %pv, %qk = onnx.Attention %q, %k, %v, %none, %none, %none, %none {scale = 0.25 : f32} : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>, none, none, none, none) -> (tensor<1x2x3x6xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>, tensor<1x2x3x5xf32>)
  return %y : tensor<1x2x3x6xf32>
}

// -----

// Tests the 3-D form with grouped queries, a bool mask and the causal
// frontier: the heads split by Reshape and Transpose, each of the 2 key
// heads expanded to 2 query heads, the mask as 0 or -inf plus the causal
// frontier (folded to a constant), zeros for a query whose scores are all
// -inf or whose keys the bias all masks, and the heads joined again.
// CHECK-LABEL: func.func @attention_grouped_causal
// CHECK-DAG: %[[FRONTIER:.*]] = onnx.Constant dense<{{\[\[}}0.000000e+00, 0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00, 0xFF800000], [0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<3x3xf32>
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[NEGINF:.*]] = onnx.Constant dense<0xFF800000> : tensor<f32>
// CHECK: %[[Q:.*]] = onnx.Reshape %arg0, %{{.*}} : (tensor<1x3x8xf32>, tensor<4xi64>) -> tensor<1x3x4x2xf32>
// CHECK: onnx.Transpose %[[Q]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x3x2xf32>
// CHECK: onnx.Expand %{{.*}}, %{{.*}} : (tensor<1x2x1x3x2xf32>, tensor<5xi64>) -> tensor<1x2x2x3x2xf32>
// CHECK: %[[MASK:.*]] = onnx.Where %arg3, %[[ZERO]], %[[NEGINF]] : (tensor<3xi1>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
// CHECK: %[[BIAS:.*]] = onnx.Add %[[MASK]], %[[FRONTIER]]
// CHECK: %[[BIASED:.*]] = onnx.Add %{{.*}}, %[[BIAS]] : (tensor<1x4x3x3xf32>, tensor<3x3xf32>) -> tensor<1x4x3x3xf32>
// CHECK: %[[P:.*]] = onnx.Softmax %[[BIASED]]
// CHECK: %[[SMAX:.*]] = onnx.ReduceMax %[[BIASED]]
// CHECK: %[[SNONE:.*]] = onnx.Equal %[[SMAX]], %[[NEGINF]]
// CHECK: %[[BMAX:.*]] = onnx.ReduceMax %[[BIAS]]
// CHECK: %[[BNONE:.*]] = onnx.Equal %[[BMAX]], %[[NEGINF]]
// CHECK: %[[NONE:.*]] = onnx.Or %[[SNONE]], %[[BNONE]]
// CHECK: %[[GUARDED:.*]] = onnx.Where %[[NONE]], %[[ZERO]], %[[P]]
// CHECK: %[[Y:.*]] = onnx.MatMul %[[GUARDED]]
// CHECK: onnx.Transpose %[[Y]] {perm = array<i64: 0, 2, 1, 3>}
// CHECK: onnx.Reshape {{.*}} -> tensor<1x3x8xf32>
func.func @attention_grouped_causal(%q: tensor<1x3x8xf32>, %k: tensor<1x3x4xf32>, %v: tensor<1x3x4xf32>, %m: tensor<3xi1>) -> tensor<1x3x8xf32> {
  %none = onnx.NoValue
  %y, %pk, %pv, %qk = onnx.Attention %q, %k, %v, %m, %none, %none, %none {is_causal = 1 : si64, q_num_heads = 4 : si64, kv_num_heads = 2 : si64} : (tensor<1x3x8xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<3xi1>, none, none, none) -> (tensor<1x3x8xf32>, tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>, tensor<1x4x3x3xf32>)
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that an integer Mod is A - B * Div(A, B) (A's sign), plus B where
// that remainder is not zero and its sign differs from B's (fmod = 0).
// CHECK-LABEL: func.func @mod_python
// CHECK: %[[Q:.*]] = onnx.Div %arg0, %arg1
// CHECK: %[[M:.*]] = onnx.Mul %[[Q]], %arg1
// CHECK: %[[R:.*]] = onnx.Sub %arg0, %[[M]]
// CHECK: %[[FIX:.*]] = onnx.Add %[[R]], %arg1
// CHECK: %[[Y:.*]] = onnx.Where %{{.*}}, %[[FIX]], %[[R]]
// CHECK: %[[C:.*]] = onnx.Sub %arg0, %{{.*}}
// CHECK: return %[[Y]], %[[C]]
func.func @mod_python(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  %0 = onnx.Mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = onnx.Mod %a, %b {fmod = 1 : si64} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

// -----

// Tests that a Mod of floats stays as it is: kernels run it.
// CHECK-LABEL: func.func @mod_of_floats
// CHECK: %[[M:.*]] = onnx.Mod %arg0, %arg1 {fmod = 1 : si64}
// CHECK: return %[[M]]
func.func @mod_of_floats(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Mod %a, %b {fmod = 1 : si64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that DepthToSpace splits the channels as [b, b, C/b²] (DCR) or
// [C/b², b, b] (CRD) and moves the blocks after H and W, that SpaceToDepth
// does the inverse in either mode, and that EyeLike is a constant of its
// dtype.
// CHECK-LABEL: func.func @block_moves
// CHECK-DAG: %[[EYE:.*]] = onnx.Constant dense<{{\[\[}}0, 1, 0], [0, 0, 1]]> : tensor<2x3xi64>
// CHECK: %[[D:.*]] = onnx.Reshape %arg0, %{{.*}} -> tensor<1x2x2x3x2x3xf32>
// CHECK: %[[DT:.*]] = onnx.Transpose %[[D]] {perm = array<i64: 0, 3, 4, 1, 5, 2>}
// CHECK: %[[DCR:.*]] = onnx.Reshape %[[DT]], %{{.*}} -> tensor<1x3x4x6xf32>
// CHECK: %[[C:.*]] = onnx.Reshape %arg0, %{{.*}} -> tensor<1x3x2x2x2x3xf32>
// CHECK: onnx.Transpose %[[C]] {perm = array<i64: 0, 1, 4, 2, 5, 3>}
// CHECK: %[[S:.*]] = onnx.Reshape %[[DCR]], %{{.*}} -> tensor<1x3x2x2x3x2xf32>
// CHECK: onnx.Transpose %[[S]] {perm = array<i64: 0, 3, 5, 1, 2, 4>}
// CHECK: onnx.Transpose %{{.*}} {perm = array<i64: 0, 1, 3, 5, 2, 4>}
// CHECK: return {{.*}}, %[[EYE]]
func.func @block_moves(%x: tensor<1x12x2x3xf32>, %m: tensor<2x3xf32>) -> (tensor<1x3x4x6xf32>, tensor<1x3x4x6xf32>, tensor<1x12x2x3xf32>, tensor<1x12x2x3xf32>, tensor<2x3xi64>) {
  %0 = onnx.DepthToSpace %x {blocksize = 2 : si64} : (tensor<1x12x2x3xf32>) -> tensor<1x3x4x6xf32>
  %1 = onnx.DepthToSpace %x {blocksize = 2 : si64, mode = "CRD"} : (tensor<1x12x2x3xf32>) -> tensor<1x3x4x6xf32>
  %2 = onnx.SpaceToDepth %0 {blocksize = 2 : si64} : (tensor<1x3x4x6xf32>) -> tensor<1x12x2x3xf32>
  %3 = onnx.EyeLike %m {dtype = 7 : si64, k = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  %4 = onnx.SpaceToDepth %1 {blocksize = 2 : si64, mode = "CRD"} : (tensor<1x3x4x6xf32>) -> tensor<1x12x2x3xf32>
  return %0, %1, %2, %4, %3 : tensor<1x3x4x6xf32>, tensor<1x3x4x6xf32>, tensor<1x12x2x3xf32>, tensor<1x12x2x3xf32>, tensor<2x3xi64>
}

// -----

// Tests that OneHot compares the indices (negative ones moved up by the
// depth), unsqueezed at the axis, with the positions along it, and picks
// the values' on or off entry.
// CHECK-LABEL: func.func @one_hot
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1> : tensor<i64>
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0> : tensor<i64>
// CHECK: %[[MOVED:.*]] = onnx.Where %{{.*}}, %{{.*}}, %arg0
// CHECK: %[[U:.*]] = onnx.Reshape %[[MOVED]], %{{.*}} -> tensor<2x1x3xi64>
// CHECK: %[[HOT:.*]] = onnx.Equal %[[U]], %{{.*}} : (tensor<2x1x3xi64>, tensor<1x4x1xi64>) -> tensor<2x4x3xi1>
// CHECK: %[[OFF:.*]] = onnx.Gather %arg1, %[[ZERO]] : (tensor<2xf32>, tensor<i64>) -> tensor<f32>
// CHECK: %[[ON:.*]] = onnx.Gather %arg1, %[[ONE]] : (tensor<2xf32>, tensor<i64>) -> tensor<f32>
// CHECK: %[[Y:.*]] = onnx.Where %[[HOT]], %[[ON]], %[[OFF]]
// CHECK: return %[[Y]]
func.func @one_hot(%i: tensor<2x3xi64>, %v: tensor<2xf32>) -> tensor<2x4x3xf32> {
  %depth = onnx.Constant dense<4.0> : tensor<f32>
  %0 = onnx.OneHot %i, %depth, %v {axis = 1 : si64} : (tensor<2x3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// Tests that Trilu keeps where column - row is at least k (upper) or at
// most k (lower) with a Where of a mask from two Ranges; with known sizes
// and k the mask folds to a constant.
// CHECK-LABEL: func.func @trilu
// CHECK-DAG: %[[UPPER:.*]] = onnx.Constant dense<{{\[\[}}false, true, true], [false, false, true]]> : tensor<2x3xi1>
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[U:.*]] = onnx.Where %[[UPPER]], %arg0, %[[ZERO]]
// CHECK: %[[NEAR:.*]] = onnx.Greater %{{.*}}, %arg1
// CHECK: %[[KEPT:.*]] = onnx.Not %[[NEAR]]
// CHECK: %[[L:.*]] = onnx.Where %[[KEPT]], %arg0, %[[ZERO]]
// CHECK: return %[[U]], %[[L]]
func.func @trilu(%x: tensor<4x2x3xf32>, %k: tensor<i64>) -> (tensor<4x2x3xf32>, tensor<4x2x3xf32>) {
  %one = onnx.Constant dense<1> : tensor<i64>
  %0 = onnx.Trilu %x, %one : (tensor<4x2x3xf32>, tensor<i64>) -> tensor<4x2x3xf32>
  %1 = onnx.Trilu %x, %k {upper = 0 : si64} : (tensor<4x2x3xf32>, tensor<i64>) -> tensor<4x2x3xf32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<4x2x3xf32>
}

// -----

// Tests that ConvTranspose becomes a Conv of stride 1: X with a zero after
// each element (Reshape, Pad of the unit axes to the stride, Reshape), W
// [C, M/g, k, k] regrouped to [M, C/g, k, k] and flipped (Slice of steps
// -1), and pads of extent - 1 - pad at the beginning and, at the end, also
// the output padding, less the zeros after X's last element.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[SPLIT:.*]] = onnx.Reshape %arg0, {{.*}} -> tensor<1x2x3x1x4x1xf32>
// CHECK: %[[PADDED:.*]] = onnx.Pad %[[SPLIT]], {{.*}} -> tensor<1x2x3x2x4x2xf32>
// CHECK: %[[X:.*]] = onnx.Reshape %[[PADDED]], {{.*}} -> tensor<1x2x6x8xf32>
// CHECK: %[[GROUPS:.*]] = onnx.Reshape %arg1, {{.*}} -> tensor<1x2x3x3x3xf32>
// CHECK: %[[SWAPPED:.*]] = onnx.Transpose %[[GROUPS]] {perm = array<i64: 0, 2, 1, 3, 4>} {{.*}} -> tensor<1x3x2x3x3xf32>
// CHECK: %[[REGROUPED:.*]] = onnx.Reshape %[[SWAPPED]], {{.*}} -> tensor<3x2x3x3xf32>
// CHECK: %[[W:.*]] = onnx.Slice %[[REGROUPED]], {{.*}} -> tensor<3x2x3x3xf32>
// CHECK: %[[Y:.*]] = onnx.Conv %[[X]], %[[W]], %arg2 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x6x8xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x8xf32>
// CHECK: return %[[Y]]
func.func @conv_transpose(%x: tensor<1x2x3x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x6x8xf32> {
  %0 = onnx.ConvTranspose %x, %w, %b {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x3x4xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x8xf32>
  return %0 : tensor<1x3x6x8xf32>
}

// -----

// Tests that a ConvTranspose pad beyond the kernel extent cuts X instead
// (a Slice of its first row), without zeros to insert at stride 1.
// CHECK-LABEL: func.func @conv_transpose_cut
// CHECK-NOT: onnx.Pad
// CHECK: %[[X:.*]] = onnx.Slice %arg0, {{.*}} -> tensor<1x1x4x5xf32>
// CHECK: onnx.Conv %[[X]], {{.*}}pads = array<i64: 0, 2, 2, 2>{{.*}} -> tensor<1x1x4x7xf32>
func.func @conv_transpose_cut(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x7xf32> {
  %none = onnx.NoValue
  %0 = onnx.ConvTranspose %x, %w, %none {pads = array<i64: 3, 0, 0, 0>} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x4x7xf32>
  return %0 : tensor<1x1x4x7xf32>
}

// -----

// Tests that a ConvTranspose whose begin pad passes every element X reaches
// (a dilated kernel's, into the output padding) is its bias alone, and
// zeros without one (an Expand to B's own shape folds away here).
// CHECK-LABEL: func.func @conv_transpose_bias_only
// CHECK-NOT: onnx.Conv
// CHECK-DAG: %[[ZEROS:.*]] = onnx.Constant dense<0.000000e+00> : tensor<1x2x1xf32>
// CHECK-DAG: %[[Y:.*]] = onnx.Reshape %arg2, {{.*}} -> tensor<1x2x1xf32>
// CHECK: return %[[Y]], %[[ZEROS]]
func.func @conv_transpose_bias_only(%x: tensor<1x1x1xf32>, %w: tensor<1x2x2xf32>, %b: tensor<2xf32>) -> (tensor<1x2x1xf32>, tensor<1x2x1xf32>) {
  %none = onnx.NoValue
  %0 = onnx.ConvTranspose %x, %w, %b {dilations = array<i64: 3>, output_padding = array<i64: 2>, pads = array<i64: 5, 0>} : (tensor<1x1x1xf32>, tensor<1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x1xf32>
  %1 = onnx.ConvTranspose %x, %w, %none {dilations = array<i64: 3>, output_padding = array<i64: 2>, pads = array<i64: 5, 0>} : (tensor<1x1x1xf32>, tensor<1x2x2xf32>, none) -> tensor<1x2x1xf32>
  return %0, %1 : tensor<1x2x1xf32>, tensor<1x2x1xf32>
}

// -----

// Tests that LpPool sums |x|^p over its windows with a depthwise Conv of
// ones (as AveragePool does, its end pads grown by what ceil mode adds) and
// takes the power 1/p: x * x and the square root for p = 2, Abs alone for
// p = 1, Pow of |x| and of the sums otherwise.
// CHECK-LABEL: func.func @lp_pool
// CHECK: %[[SQUARES:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[SUMS:.*]] = onnx.Conv %[[SQUARES]], %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x2x3x3xf32>
// CHECK: %[[NORMS:.*]] = onnx.Sqrt %[[SUMS]]
// CHECK: %[[ABS:.*]] = onnx.Abs %arg0
// CHECK: %[[L1:.*]] = onnx.Conv %[[ABS]]
// CHECK: %[[ABS3:.*]] = onnx.Abs %arg0
// CHECK: %[[CUBES:.*]] = onnx.Pow %[[ABS3]]
// CHECK: %[[SUMS3:.*]] = onnx.Conv %[[CUBES]]
// CHECK: %[[L3:.*]] = onnx.Pow %[[SUMS3]]
// CHECK: return %[[NORMS]], %[[L1]], %[[L3]]
func.func @lp_pool(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %0 = onnx.LpPool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = 1 : si64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %1 = onnx.LpPool %x {kernel_shape = array<i64: 3, 3>, p = 1 : si64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = 1 : si64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %2 = onnx.LpPool %x {kernel_shape = array<i64: 3, 3>, p = 3 : si64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = 1 : si64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0, %1, %2 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Tests that LRN sums the squares of each channel's window with a Conv of
// ones over X squared viewed as N x 1 x C x (H * W), the window of 5
// padded by 2 channels on each side, then divides by (bias + alpha / size *
// sums)^beta; and that a window of 9 over 3 channels reaches only the 2 on
// each side that exist.
// CHECK-LABEL: func.func @lrn
// CHECK: %[[SQUARES:.*]] = onnx.Mul %arg0, %arg0
// CHECK: %[[VIEW:.*]] = onnx.Reshape %[[SQUARES]], {{.*}} -> tensor<1x1x6x20xf32>
// CHECK: %[[SUMS:.*]] = onnx.Conv %[[VIEW]], %{{.*}}, %{{.*}} {{{.*}}kernel_shape = array<i64: 5, 1>, pads = array<i64: 2, 0, 2, 0>{{.*}}} : (tensor<1x1x6x20xf32>, tensor<1x1x5x1xf32>, none) -> tensor<1x1x6x20xf32>
// CHECK: onnx.Reshape %[[SUMS]], {{.*}} -> tensor<1x6x4x5xf32>
// CHECK: onnx.Pow
// CHECK: onnx.Div %arg0
// CHECK: onnx.Conv {{.*}}kernel_shape = array<i64: 5, 1>, pads = array<i64: 2, 0, 2, 0>{{.*}} : (tensor<2x1x3x4xf32>, tensor<1x1x5x1xf32>, none) -> tensor<2x1x3x4xf32>
func.func @lrn(%x: tensor<1x6x4x5xf32>, %y: tensor<2x3x4xf32>) -> (tensor<1x6x4x5xf32>, tensor<2x3x4xf32>) {
  %0 = onnx.LRN %x {size = 5 : si64} : (tensor<1x6x4x5xf32>) -> tensor<1x6x4x5xf32>
  %1 = onnx.LRN %y {size = 9 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0, %1 : tensor<1x6x4x5xf32>, tensor<2x3x4xf32>
}

// -----

// Tests that a Pad in wrap mode (torch's circular padding) becomes the
// pieces of the data it repeats: on H by 1 and 2, the last row, the data,
// the first two rows; on W by 2 and 1, the last two columns, the data, the
// first column.
// CHECK-LABEL: func.func @wrap_pad
// CHECK-NOT: mode = "wrap"
// CHECK: %[[LAST:.*]] = onnx.Slice %arg0, %{{.*}} : (tensor<1x2x3x4xf32>, {{.*}}) -> tensor<1x2x1x4xf32>
// CHECK: %[[FIRST:.*]] = onnx.Slice %arg0, %{{.*}} : (tensor<1x2x3x4xf32>, {{.*}}) -> tensor<1x2x2x4xf32>
// CHECK: %[[H:.*]] = onnx.Concat %[[LAST]], %arg0, %[[FIRST]] {axis = 2 : si64} : (tensor<1x2x1x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x6x4xf32>
// CHECK: %[[RIGHT:.*]] = onnx.Slice %[[H]], {{.*}} -> tensor<1x2x6x2xf32>
// CHECK: %[[LEFT:.*]] = onnx.Slice %[[H]], {{.*}} -> tensor<1x2x6x1xf32>
// CHECK: %[[W:.*]] = onnx.Concat %[[RIGHT]], %[[H]], %[[LEFT]] {axis = 3 : si64} {{.*}} -> tensor<1x2x6x7xf32>
// CHECK: return %[[W]]
func.func @wrap_pad(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x6x7xf32> {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[0, 0, 1, 2, 0, 0, 2, 1]> : tensor<8xi64>
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "wrap"} : (tensor<1x2x3x4xf32>, tensor<8xi64>, none, none) -> tensor<1x2x6x7xf32>
  return %0 : tensor<1x2x6x7xf32>
}

// -----

// Tests wrap padding by more than the axis' size (whole copies as one
// Tile: 8 = 1 + 2 x 3 + 1 rows after the one from the start) and a crop
// with padding (-1 at the start, 2 at the end): the crop first, rows 1 and
// 2, then the padding repeats those (rows 1, 2, 1, 2), as onnxruntime does.
// CHECK-LABEL: func.func @wrap_pad_far
// CHECK: %[[HEAD:.*]] = onnx.Slice %arg0, {{.*}} -> tensor<1x2xf32>
// CHECK: %[[TILED:.*]] = onnx.Tile %arg0, {{.*}} -> tensor<6x2xf32>
// CHECK: %[[TAIL:.*]] = onnx.Slice %arg0, {{.*}} -> tensor<1x2xf32>
// CHECK: onnx.Concat %[[HEAD]], %[[TILED]], %[[TAIL]] {axis = 0 : si64} {{.*}} -> tensor<8x2xf32>
// CHECK: %[[CUT:.*]] = onnx.Slice %arg0, {{.*}} -> tensor<2x2xf32>
// CHECK: onnx.Concat %[[CUT]], %[[CUT]] {axis = 0 : si64} {{.*}} -> tensor<4x2xf32>
func.func @wrap_pad_far(%x: tensor<3x2xf32>) -> (tensor<8x2xf32>, tensor<4x2xf32>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[0]> : tensor<1xi64>
  %far = onnx.Constant dense<[1, 4]> : tensor<2xi64>
  %crop = onnx.Constant dense<[-1, 2]> : tensor<2xi64>
  %0 = onnx.Pad %x, %far, %none, %axes {mode = "wrap"} : (tensor<3x2xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<8x2xf32>
  %1 = onnx.Pad %x, %crop, %none, %axes {mode = "wrap"} : (tensor<3x2xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<4x2xf32>
  return %0, %1 : tensor<8x2xf32>, tensor<4x2xf32>
}

// -----

// Tests GridSample's expansion, bilinear: the grid's x and y, unnormalized
// (corners' outer edges: ((g + 1) * size - 1) / 2), floored, their two taps
// each; the four taps' flat indices y * W + x, zero where a tap is outside
// X; one GatherElements over X's pixels; the weighted taps summed.
// CHECK-LABEL: func.func @grid_sample_bilinear
// CHECK-NOT: onnx.GridSample
// CHECK-DAG: onnx.Slice %arg1, {{.*}} -> tensor<1x3x5x1xf32>
// CHECK-DAG: onnx.Floor
// CHECK: onnx.Cast {{.*}} -> tensor<1x3x5x2x2xi64>
// CHECK-DAG: %[[I:.*]] = onnx.Expand {{.*}} -> tensor<1x2x60xi64>
// CHECK-DAG: %[[X:.*]] = onnx.Reshape %arg0, {{.*}} -> tensor<1x2x24xf32>
// CHECK: onnx.GatherElements %[[X]], %[[I]] {axis = 2 : si64} {{.*}} -> tensor<1x2x60xf32>
// CHECK: onnx.Where {{.*}} -> tensor<1x2x3x5x4xf32>
// CHECK: onnx.ReduceSum {{.*}} -> tensor<1x2x3x5xf32>
func.func @grid_sample_bilinear(%x: tensor<1x2x4x6xf32>, %g: tensor<1x3x5x2xf32>) -> tensor<1x2x3x5xf32> {
  %0 = onnx.GridSample %x, %g : (tensor<1x2x4x6xf32>, tensor<1x3x5x2xf32>) -> tensor<1x2x3x5xf32>
  return %0 : tensor<1x2x3x5xf32>
}

// -----

// Tests GridSample's expansion in 3-D, nearest (half to even): one tap per
// output, its index (z * H + y) * W + x, no weights.
// CHECK-LABEL: func.func @grid_sample_nearest_3d
// CHECK-NOT: onnx.GridSample
// CHECK: onnx.Round
// CHECK: onnx.GatherElements {{.*}} -> tensor<1x2x12xf32>
// CHECK-NOT: onnx.ReduceSum
// CHECK: onnx.Reshape {{.*}} -> tensor<1x2x2x2x3xf32>
func.func @grid_sample_nearest_3d(%x: tensor<1x2x3x4x5xf32>, %g: tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x2x3xf32> {
  %0 = onnx.GridSample %x, %g {mode = "nearest", padding_mode = "border", align_corners = 1 : si64} : (tensor<1x2x3x4x5xf32>, tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x2x3xf32>
  return %0 : tensor<1x2x2x2x3xf32>
}

// -----

// Tests Col2Im's expansion as a ConvTranspose of one-hot filters (here
// expanded in turn): the columns as 2 x 3 blocks of 18 values, zeros
// stuffed for stride 2, a Conv of 2 groups of 9 flipped one-hot filters.
// CHECK-LABEL: func.func @col2im
// CHECK-NOT: onnx.Col2Im
// CHECK-NOT: onnx.ConvTranspose
// CHECK: onnx.Reshape %arg0, {{.*}} -> tensor<1x18x2x3xf32>
// CHECK: onnx.Conv {{.*}}group = 2 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 0>{{.*}} : (tensor<1x18x4x6xf32>, tensor<2x9x3x3xf32>, none) -> tensor<1x2x4x5xf32>
func.func @col2im(%x: tensor<1x18x6xf32>) -> tensor<1x2x4x5xf32> {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  %0 = onnx.Col2Im %x, %image, %block {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x18x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x2x4x5xf32>
  return %0 : tensor<1x2x4x5xf32>
}

// -----

// Tests that a reflect Pad that crops one side and pads the other becomes
// the Slice that crops and the Pad that pads, so that the kernels, which
// pad only, reflect the cropped data.
// CHECK-LABEL: func.func @reflect_pad_crop
// CHECK: %[[CUT:.*]] = onnx.Slice %arg0, {{.*}} -> tensor<2x4xf32>
// CHECK: onnx.Pad %[[CUT]], {{.*}} {mode = "reflect"} {{.*}} -> tensor<2x6xf32>
func.func @reflect_pad_crop(%x: tensor<2x5xf32>) -> tensor<2x6xf32> {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[0, -1, 0, 2]> : tensor<4xi64>
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "reflect"} : (tensor<2x5xf32>, tensor<4xi64>, none, none) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Tests Col2Im of blocks that tile the image (stride = block: ViT's and
// MAE's patches) as a Transpose of the columns, with no arithmetic; the
// padding's rows and columns cut off.
// CHECK-LABEL: func.func @col2im_tiles
// CHECK-NOT: onnx.Conv
// CHECK: onnx.Transpose {{.*}}perm = array<i64: 0, 1, 4, 2, 5, 3>{{.*}} -> tensor<1x3x2x4x3x4xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<1x3x8x12xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<1x3x7x10xf32>
func.func @col2im_tiles(%x: tensor<1x48x6xf32>) -> tensor<1x3x7x10xf32> {
  %image = onnx.Constant dense<[7, 10]> : tensor<2xi64>
  %block = onnx.Constant dense<[4, 4]> : tensor<2xi64>
  %0 = onnx.Col2Im %x, %image, %block {pads = array<i64: 1, 1, 0, 1>, strides = array<i64: 4, 4>} : (tensor<1x48x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x3x7x10xf32>
  return %0 : tensor<1x3x7x10xf32>
}

// -----

// Tests that a bf16 GridSample samples in f32 (bf16 has no 300.5 for an
// axis of 301 pixels) and casts its result back.
// CHECK-LABEL: func.func @grid_sample_bf16
// CHECK-DAG: onnx.Cast %arg0 {to = 1 : si64} : (tensor<1x1x2x301xbf16>) -> tensor<1x1x2x301xf32>
// CHECK-DAG: onnx.Cast %arg1 {to = 1 : si64} : (tensor<1x1x2x2xbf16>) -> tensor<1x1x2x2xf32>
// CHECK-DAG: onnx.Constant dense<3.005000e+02> : tensor<f32>
// CHECK: %[[Y:.*]] = onnx.Cast {{.*}} {to = 16 : si64} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xbf16>
// CHECK: return %[[Y]]
func.func @grid_sample_bf16(%x: tensor<1x1x2x301xbf16>, %g: tensor<1x1x2x2xbf16>) -> tensor<1x1x1x2xbf16> {
  %0 = onnx.GridSample %x, %g {padding_mode = "border"} : (tensor<1x1x2x301xbf16>, tensor<1x1x2x2xbf16>) -> tensor<1x1x1x2xbf16>
  return %0 : tensor<1x1x1x2xbf16>
}

// -----

// Tests that an EyeLike larger than folds make (2^20 elements) compares
// column - row with k where it runs (the rows' and columns' ranges fold),
// with ones and zeros of its dtype, rather than becoming a constant built
// element by element.
// CHECK-LABEL: func.func @large_eye_like
// CHECK-DAG: %[[FALSE:.*]] = onnx.Constant dense<false> : tensor<i1>
// CHECK-DAG: %[[TRUE:.*]] = onnx.Constant dense<true> : tensor<i1>
// CHECK-DAG: %[[K:.*]] = onnx.Constant dense<-2> : tensor<i64>
// CHECK-DAG: %[[R:.*]] = onnx.Constant dense<"0x0000000000000000010000000000000002{{.*}}"> : tensor<1025x1xi64>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<"0x0000000000000000010000000000000002{{.*}}"> : tensor<1x1024xi64>
// CHECK: %[[OFFSET:.*]] = onnx.Sub %[[C]], %[[R]] : (tensor<1x1024xi64>, tensor<1025x1xi64>) -> tensor<1025x1024xi64>
// CHECK: %[[ON:.*]] = onnx.Equal %[[OFFSET]], %[[K]]
// CHECK: %[[EYE:.*]] = onnx.Where %[[ON]], %[[TRUE]], %[[FALSE]] : (tensor<1025x1024xi1>, tensor<i1>, tensor<i1>) -> tensor<1025x1024xi1>
// CHECK: return %[[EYE]]
func.func @large_eye_like(%m: tensor<1025x1024xf32>) -> tensor<1025x1024xi1> {
  %0 = onnx.EyeLike %m {dtype = 9 : si64, k = -2 : si64} : (tensor<1025x1024xf32>) -> tensor<1025x1024xi1>
  return %0 : tensor<1025x1024xi1>
}

// -----

// Tests QuantizeLinear per axis: x / scale (the scale along axis 1), rounded
// (halves to even), plus the zero point, clipped to int8's range and cast.
// CHECK-LABEL: func.func @quantize_linear
// CHECK-DAG: %[[LO:.*]] = onnx.Constant dense<-1.280000e+02> : tensor<f32>
// CHECK-DAG: %[[HI:.*]] = onnx.Constant dense<1.270000e+02> : tensor<f32>
// CHECK-DAG: %[[S:.*]] = onnx.Reshape %arg1, %{{.*}} : (tensor<3xf32>, tensor<4xi64>) -> tensor<1x3x1x1xf32>
// CHECK-DAG: %[[Z:.*]] = onnx.Reshape %arg2, %{{.*}} : (tensor<3xi8>, tensor<4xi64>) -> tensor<1x3x1x1xi8>
// CHECK: %[[D:.*]] = onnx.Div %arg0, %[[S]]
// CHECK: %[[R:.*]] = onnx.Round %[[D]]
// CHECK: %[[ZF:.*]] = onnx.Cast %[[Z]] {to = 1 : si64} : (tensor<1x3x1x1xi8>) -> tensor<1x3x1x1xf32>
// CHECK: %[[A:.*]] = onnx.Add %[[R]], %[[ZF]]
// CHECK: %[[C:.*]] = onnx.Clip %[[A]], %[[LO]], %[[HI]]
// CHECK: %[[Q:.*]] = onnx.Cast %[[C]] {to = 3 : si64} : (tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xi8>
// CHECK: return %[[Q]]
func.func @quantize_linear(%x: tensor<2x3x4x5xf32>, %scale: tensor<3xf32>, %zero: tensor<3xi8>) -> tensor<2x3x4x5xi8> {
  %0 = onnx.QuantizeLinear %x, %scale, %zero : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3x4x5xi8>
  return %0 : tensor<2x3x4x5xi8>
}

// -----

// Tests DequantizeLinear per block of 2 along axis 1 (5 columns: the last
// block short): the scale's values repeated over their blocks and cut to
// x's size, times x cast to f32 (no zero point).
// CHECK-LABEL: func.func @dequantize_linear_blocked
// CHECK: %[[U:.*]] = onnx.Reshape %arg1, %{{.*}} : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3x1xf32>
// CHECK: %[[E:.*]] = onnx.Expand %[[U]], %{{.*}} : (tensor<4x3x1xf32>, tensor<3xi64>) -> tensor<4x3x2xf32>
// CHECK: %[[M:.*]] = onnx.Reshape %[[E]], %{{.*}} : (tensor<4x3x2xf32>, tensor<2xi64>) -> tensor<4x6xf32>
// CHECK: %[[S:.*]] = onnx.Slice %[[M]], {{.*}} -> tensor<4x5xf32>
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {to = 1 : si64} : (tensor<4x5xui8>) -> tensor<4x5xf32>
// CHECK: %[[Y:.*]] = onnx.Mul %[[X]], %[[S]]
// CHECK: return %[[Y]]
func.func @dequantize_linear_blocked(%x: tensor<4x5xui8>, %scale: tensor<4x3xf32>) -> tensor<4x5xf32> {
  %none = onnx.NoValue
  %0 = onnx.DequantizeLinear %x, %scale, %none {block_size = 2 : si64} : (tensor<4x5xui8>, tensor<4x3xf32>, none) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Tests that an int32 x (a quantized bias) and its zero point are cast to
// f32 before their difference, as ONNX's reference casts them, and the
// result given in f16, the scale's type.
// CHECK-LABEL: func.func @dequantize_linear_int32
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {{.*}} -> tensor<8xf32>
// CHECK: %[[Z:.*]] = onnx.Cast %arg2 {{.*}} -> tensor<f32>
// CHECK: %[[D:.*]] = onnx.Sub %[[X]], %[[Z]]
// CHECK: %[[S:.*]] = onnx.Cast %arg1 {{.*}} : (tensor<f16>) -> tensor<f32>
// CHECK: %[[Y:.*]] = onnx.Mul %[[D]], %[[S]]
// CHECK: %[[H:.*]] = onnx.Cast %[[Y]] {{.*}} -> tensor<8xf16>
// CHECK: return %[[H]]
func.func @dequantize_linear_int32(%x: tensor<8xi32>, %scale: tensor<f16>, %zero: tensor<i32>) -> tensor<8xf16> {
  %0 = onnx.DequantizeLinear %x, %scale, %zero : (tensor<8xi32>, tensor<f16>, tensor<i32>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// Tests a quantization's round trip, as QDQ models put it on activations:
// with one scale and zero point (uint8, 128) it is (round(clip(x / scale,
// -128, 127)) + 0) * scale, without casts (the + 0 makes a rounded -0 the
// integers' +0); a second DequantizeLinear of the same QuantizeLinear is
// another round trip, so the QuantizeLinear goes.
// CHECK-LABEL: func.func @quantization_round_trip
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[S:.*]] = onnx.Constant dense<5.000000e-02> : tensor<f32>
// CHECK-DAG: %[[LO:.*]] = onnx.Constant dense<-1.280000e+02> : tensor<f32>
// CHECK-DAG: %[[HI:.*]] = onnx.Constant dense<1.270000e+02> : tensor<f32>
// CHECK: %[[D:.*]] = onnx.Div %arg0, %[[S]]
// CHECK: %[[C:.*]] = onnx.Clip %[[D]], %[[LO]], %[[HI]]
// CHECK: %[[R:.*]] = onnx.Round %[[C]]
// CHECK: %[[P:.*]] = onnx.Add %[[R]], %[[ZERO]]
// CHECK: %[[Y:.*]] = onnx.Mul %[[P]], %[[S]]
// CHECK-NOT: onnx.Cast
// CHECK: return %[[Y]], %{{.*}}
func.func @quantization_round_trip(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %zero = onnx.Constant dense<128> : tensor<ui8>
  %q = onnx.QuantizeLinear %x, %scale, %zero : (tensor<2x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  %0 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  %1 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Tests that a QuantizeLinear whose quotient is rounded to f16 (opset 25's
// precision) is no round trip: both expand, the quotient through f16.
// CHECK-LABEL: func.func @round_trip_of_half_quotient
// CHECK: onnx.Cast %{{.*}} -> tensor<2x8xf16>
// CHECK: onnx.Cast %{{.*}} -> tensor<2x8xui8>
func.func @round_trip_of_half_quotient(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %zero = onnx.Constant dense<128> : tensor<ui8>
  %q = onnx.QuantizeLinear %x, %scale, %zero {precision = 10 : si64} : (tensor<2x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  %0 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Tests that a DequantizeLinear of another scale than its QuantizeLinear's
// is no round trip: both expand, through the uint8 tensor.
// CHECK-LABEL: func.func @requantization
// CHECK: onnx.Cast %{{.*}} -> tensor<2x8xui8>
// CHECK: onnx.Cast %{{.*}} : (tensor<2x8xui8>) -> tensor<2x8xf32>
func.func @requantization(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %other = onnx.Constant dense<0.1> : tensor<f32>
  %none = onnx.NoValue
  %q = onnx.QuantizeLinear %x, %scale, %none : (tensor<2x8xf32>, tensor<f32>, none) -> tensor<2x8xui8>
  %0 = onnx.DequantizeLinear %q, %other, %none : (tensor<2x8xui8>, tensor<f32>, none) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Tests that a per-tensor scale ignores the axis, even one out of range
// (a fuzzer's case: the expansion read the axis of a rank-2 x anyway).
// CHECK-LABEL: func.func @dequantize_linear_per_tensor_axis
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {{.*}} -> tensor<2x3xf32>
// CHECK: %[[Y:.*]] = onnx.Mul %[[X]], %arg1
// CHECK: return %[[Y]]
func.func @dequantize_linear_per_tensor_axis(%x: tensor<2x3xi8>, %scale: tensor<f32>) -> tensor<2x3xf32> {
  %none = onnx.NoValue
  %0 = onnx.DequantizeLinear %x, %scale, %none {axis = 5 : si64} : (tensor<2x3xi8>, tensor<f32>, none) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests DynamicQuantizeLinear: the range from the extremes (Clip keeps
// 0 in it), the scale (1 where the range is empty) over 255, the zero
// point clamped with Python's min and max (Less, Greater and Where: NaN
// goes to 255) and rounded, and x quantized with it.
// CHECK-LABEL: func.func @dynamic_quantize_linear
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[TOP:.*]] = onnx.Constant dense<2.550000e+02> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %arg0, %{{.*}} {keepdims = 0 : si64} : (tensor<2x8xf32>, none) -> tensor<f32>
// CHECK: %[[MIN:.*]] = onnx.Neg %{{.*}} : (tensor<f32>) -> tensor<f32>
// CHECK: %[[HI:.*]] = onnx.Clip %[[MAX]], %[[ZERO]], %{{.*}}
// CHECK: %[[LO:.*]] = onnx.Clip %[[MIN]], %{{.*}}, %[[ZERO]]
// CHECK: %[[RANGE:.*]] = onnx.Sub %[[HI]], %[[LO]]
// CHECK: %[[SAME:.*]] = onnx.Equal %[[HI]], %[[LO]]
// CHECK: %[[SPAN:.*]] = onnx.Where %[[SAME]], %[[ONE]], %[[RANGE]]
// CHECK: %[[SCALE:.*]] = onnx.Div %[[SPAN]], %[[TOP]]
// CHECK: %[[Q:.*]] = onnx.Div %[[LO]], %[[SCALE]]
// CHECK: %[[START:.*]] = onnx.Sub %[[ZERO]], %[[Q]]
// CHECK: onnx.Less %[[START]], %[[TOP]]
// CHECK: onnx.Greater
// CHECK: %[[ZP:.*]] = onnx.Round
// CHECK: %[[X:.*]] = onnx.Div %arg0, %[[SCALE]]
// CHECK: %[[R:.*]] = onnx.Round %[[X]]
// CHECK: %[[S:.*]] = onnx.Add %[[R]], %[[ZP]]
// CHECK: %[[C:.*]] = onnx.Clip %[[S]], %[[ZERO]], %[[TOP]]
// CHECK: %[[Y:.*]] = onnx.Cast %[[C]] {to = 2 : si64} : (tensor<2x8xf32>) -> tensor<2x8xui8>
// CHECK: %[[Z:.*]] = onnx.Cast %[[ZP]] {to = 2 : si64} : (tensor<f32>) -> tensor<ui8>
// CHECK: return %[[Y]], %[[SCALE]], %[[Z]]
func.func @dynamic_quantize_linear(%x: tensor<2x8xf32>) -> (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = onnx.DynamicQuantizeLinear %x : (tensor<2x8xf32>) -> (tensor<2x8xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<2x8xui8>, tensor<f32>, tensor<ui8>
}

// -----

// Tests MatMulInteger of a B given at run time: the differences in f32
// (A's zero point per row, as [M, 1]), and the contraction of 600 in
// parts of 258, 258 and 84, each product cast to int32 and added.
// CHECK-LABEL: func.func @matmul_integer_split
// CHECK: %[[ZA:.*]] = onnx.Reshape %{{.*}} : (tensor<2xf32>, tensor<2xi64>) -> tensor<2x1xf32>
// CHECK: %[[A:.*]] = onnx.Sub %{{.*}}, %[[ZA]] : (tensor<2x600xf32>, tensor<2x1xf32>) -> tensor<2x600xf32>
// CHECK: %[[B:.*]] = onnx.Sub %{{.*}} : (tensor<600x4xf32>, tensor<f32>) -> tensor<600x4xf32>
// CHECK: onnx.MatMul %{{.*}} : (tensor<2x258xf32>, tensor<258x4xf32>) -> tensor<2x4xf32>
// CHECK: onnx.MatMul %{{.*}} : (tensor<2x258xf32>, tensor<258x4xf32>) -> tensor<2x4xf32>
// CHECK: onnx.MatMul %{{.*}} : (tensor<2x84xf32>, tensor<84x4xf32>) -> tensor<2x4xf32>
// CHECK: %[[S:.*]] = onnx.Add %{{.*}} : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
// CHECK: return %[[S]]
func.func @matmul_integer_split(%a: tensor<2x600xui8>, %b: tensor<600x4xi8>, %za: tensor<2xui8>, %zb: tensor<i8>) -> tensor<2x4xi32> {
  %0 = onnx.MatMulInteger %a, %b, %za, %zb : (tensor<2x600xui8>, tensor<600x4xi8>, tensor<2xui8>, tensor<i8>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Tests MatMulInteger of a constant B (a quantized weight): B less its
// zero points folds to an f32 constant, one product where its columns'
// sums of |B - zero point| stay within 2^24 / 255.
// CHECK-LABEL: func.func @matmul_integer_constant
// CHECK: %[[W:.*]] = onnx.Constant dense<{{\[\[}}-4.000000e+00, 6.000000e+00], [3.000000e+00, -5.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[P:.*]] = onnx.MatMul %{{.*}}, %[[W]]
// CHECK: %[[Y:.*]] = onnx.Cast %[[P]] {to = 6 : si64} : (tensor<3x2xf32>) -> tensor<3x2xi32>
// CHECK-NOT: onnx.MatMul
// CHECK: return %[[Y]]
func.func @matmul_integer_constant(%a: tensor<3x2xui8>) -> tensor<3x2xi32> {
  %w = onnx.Constant dense<[[-3, 4], [4, -7]]> : tensor<2x2xi8>
  %zw = onnx.Constant dense<[1, -2]> : tensor<2xi8>
  %none = onnx.NoValue
  %0 = onnx.MatMulInteger %a, %w, %none, %zw : (tensor<3x2xui8>, tensor<2x2xi8>, none, tensor<2xi8>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// Tests ConvInteger: the f32 Conv of the differences (w's zero points per
// filter folded into the constant), rounded, cast to int32.
// CHECK-LABEL: func.func @conv_integer
// CHECK-DAG: %[[W:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}-2.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK: %[[X:.*]] = onnx.Sub
// CHECK: %[[C:.*]] = onnx.Conv %[[X]], %[[W]], %{{.*}} {strides = array<i64: 2, 2>}
// CHECK: %[[R:.*]] = onnx.Round %[[C]]
// CHECK: %[[Y:.*]] = onnx.Cast %[[R]] {to = 6 : si64} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xi32>
// CHECK: return %[[Y]]
func.func @conv_integer(%x: tensor<1x1x4x4xui8>, %zx: tensor<ui8>) -> tensor<1x2x2x2xi32> {
  %w = onnx.Constant dense<[[[[3]]], [[[-1]]]]> : tensor<2x1x1x1xi8>
  %zw = onnx.Constant dense<[2, 1]> : tensor<2xi8>
  %0 = onnx.ConvInteger %x, %w, %zx, %zw {strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>, tensor<2x1x1x1xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

// Tests ConvInteger with w given at run time and 17x17 taps (289 channels'
// worth past 2^24 / 255^2): its channels split one by one, from the first
// (no empty part before it), each part's Conv rounded, cast and added.
// CHECK-LABEL: func.func @conv_integer_long_kernel
// CHECK-NOT: x0x
// CHECK-COUNT-2: onnx.Conv {{.*}} : (tensor<1x1x17x17xf32>, tensor<1x1x17x17xf32>, none) -> tensor<1x1x1x1xf32>
// CHECK-NOT: onnx.Conv
// CHECK: onnx.Add
// CHECK-NOT: x0x
func.func @conv_integer_long_kernel(%x: tensor<1x2x17x17xui8>, %w: tensor<1x2x17x17xi8>) -> tensor<1x1x1x1xi32> {
  %none = onnx.NoValue
  %0 = onnx.ConvInteger %x, %w, %none, %none : (tensor<1x2x17x17xui8>, tensor<1x2x17x17xi8>, none, none) -> tensor<1x1x1x1xi32>
  return %0 : tensor<1x1x1x1xi32>
}
