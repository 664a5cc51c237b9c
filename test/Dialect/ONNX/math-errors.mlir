// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Tests that a binary op rejects operands of different element types.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{'onnx.Sub' op failed to infer returned types}}
  // expected-error @+1 {{element types differ: A is 'f32', B is 'f16'}}
  %0 = onnx.Sub %a, %b : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a comparison rejects shapes that do not broadcast.
func.func @f(%a: tensor<2x3xi64>, %b: tensor<2xi64>) {
  // expected-error @+2 {{'onnx.Less' op failed to infer returned types}}
  // expected-error @+1 {{shapes do not broadcast: A [2, 3], B [2]}}
  %0 = onnx.Less %a, %b : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<2x3xi1>
  return
}

// -----

// Tests that a comparison's result must be bool.
func.func @f(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Equal' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.Equal' op inferred type(s) 'tensor<3xi1>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  %0 = onnx.Equal %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that a result shape contradicting the broadcast is rejected.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Mul' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.Mul' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  %0 = onnx.Mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that Where rejects a condition that is not bool.
func.func @f(%c: tensor<3xf32>, %x: tensor<3xf32>, %y: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Where' op failed to infer returned types}}
  // expected-error @+1 {{condition must be bool (i1), got 'f32'}}
  %0 = onnx.Where %c, %x, %y : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Where rejects X and Y of different element types.
func.func @f(%c: tensor<3xi1>, %x: tensor<3xf32>, %y: tensor<3xi64>) {
  // expected-error @+2 {{'onnx.Where' op failed to infer returned types}}
  // expected-error @+1 {{element types differ: X is 'f32', Y is 'i64'}}
  %0 = onnx.Where %c, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// Tests that Where rejects three shapes that do not broadcast.
func.func @f(%c: tensor<2x1xi1>, %x: tensor<3xf32>, %y: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.Where' op failed to infer returned types}}
  // expected-error @+1 {{shapes do not broadcast: condition [2, 1], X [3], Y [4]}}
  %0 = onnx.Where %c, %x, %y : (tensor<2x1xi1>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that Cast rejects a data type the dialect does not represent.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Cast' op failed to infer returned types}}
  // expected-error @+1 {{to = 8 is not a supported data type (1 f32, 10 f16, 16 bf16, 11 f64, 7 i64, 6 i32, 5 i16, 3 i8, 2 ui8, 4 ui16, 12 ui32, 13 ui64, 9 bool)}}
  %0 = onnx.Cast %x {to = 8 : si64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Cast's result element type must be the one `to` names.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Cast' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.Cast' op inferred type(s) 'tensor<3xi64>' are incompatible with return type(s) of operation 'tensor<3xi32>'}}
  %0 = onnx.Cast %x {to = 7 : si64} : (tensor<3xf32>) -> tensor<3xi32>
  return
}

// -----

// Tests that Cast requires `to`.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+1 {{'onnx.Cast' op requires attribute 'to'}}
  %0 = onnx.Cast %x : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Gelu rejects an unknown approximation.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+1 {{'onnx.Gelu' op approximate 'erf' is not supported (none, tanh)}}
  %0 = onnx.Gelu %x {approximate = "erf"} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that a unary op's result keeps its input's type.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Sqrt' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.Sqrt' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<3xf16>'}}
  %0 = onnx.Sqrt %x : (tensor<3xf32>) -> tensor<3xf16>
  return
}

// -----

// Tests that MatMul rejects batch dimensions that do not broadcast.
func.func @f(%a: tensor<8x5x32xf32>, %b: tensor<4x32x12xf32>) {
  // expected-error @+2 {{'onnx.MatMul' op failed to infer returned types}}
  // expected-error @+1 {{batch dimensions do not broadcast: A [8], B [4]}}
  %0 = onnx.MatMul %a, %b : (tensor<8x5x32xf32>, tensor<4x32x12xf32>) -> tensor<8x5x12xf32>
  return
}

// -----

// Tests that MatMul rejects a 1-D B whose size is not A's columns.
func.func @f(%a: tensor<5x32xf32>, %b: tensor<16xf32>) {
  // expected-error @+2 {{'onnx.MatMul' op failed to infer returned types}}
  // expected-error @+1 {{contracted sizes differ: A has 32 columns, B has 16 rows}}
  %0 = onnx.MatMul %a, %b : (tensor<5x32xf32>, tensor<16xf32>) -> tensor<5xf32>
  return
}

// -----

// Tests that Gemm rejects an operand that is not 2-D.
func.func @f(%a: tensor<2x4x8xf32>, %b: tensor<8x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Gemm' op failed to infer returned types}}
  // expected-error @+1 {{A must be 2-D, got rank 3}}
  %0 = onnx.Gemm %a, %b, %none : (tensor<2x4x8xf32>, tensor<8x3xf32>, none) -> tensor<4x3xf32>
  return
}

// -----

// Tests that Gemm contracts op(A) with op(B), transposition included.
func.func @f(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Gemm' op failed to infer returned types}}
  // expected-error @+1 {{contracted sizes differ: op(A) has 8 columns, op(B) has 3 rows}}
  %0 = onnx.Gemm %a, %b, %none {transB = 1 : si64} : (tensor<4x8xf32>, tensor<8x3xf32>, none) -> tensor<4x8xf32>
  return
}

// -----

// Tests that Gemm rejects a C that does not broadcast to M x N.
func.func @f(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x4xf32>) {
  // expected-error @+2 {{'onnx.Gemm' op failed to infer returned types}}
  // expected-error @+1 {{C has shape [4, 4], which does not broadcast to the result shape [4, 3]}}
  %0 = onnx.Gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x3xf32>, tensor<4x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that Softmax on an unranked input cannot have its axis checked
// until the rank is known, and that a known rank is checked.
func.func @f(%x: tensor<*xf32>, %y: tensor<4xf32>) {
  %0 = onnx.Softmax %x {axis = 5 : si64} : tensor<*xf32>
  // expected-error @+1 {{axis 1 is out of range for input of rank 1}}
  %1 = onnx.Softmax %y {axis = 1 : si64} : tensor<4xf32>
  return
}

// -----

// Tests that a reduction rejects an axes attribute beyond the rank.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ReduceMean' op failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for data of rank 2}}
  %0 = onnx.ReduceMean %x, %none {axes = array<i64: 2>} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a reduction rejects a constant axes input beyond the rank.
func.func @f(%x: tensor<2x3xf32>) {
  %axes = onnx.Constant dense<[-3]> : tensor<1xi64>
  // expected-error @+2 {{'onnx.ReduceSum' op failed to infer returned types}}
  // expected-error @+1 {{axis -3 is out of range for data of rank 2}}
  %0 = onnx.ReduceSum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that a reduction rejects axes given both as attribute and input.
func.func @f(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) {
  // expected-error @+1 {{'onnx.ReduceMax' op axes are given both as an attribute and as an input}}
  %0 = onnx.ReduceMax %x, %axes {axes = array<i64: 0>} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that keepdims = 0 removes the reduced dimensions.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ReduceMean' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.ReduceMean' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  %0 = onnx.ReduceMean %x, %none {axes = array<i64: 1>, keepdims = 0 : si64} : (tensor<2x3xf32>, none) -> tensor<2x1xf32>
  return
}

// -----

// Tests that CumSum rejects an axis input with more than one element.
func.func @f(%x: tensor<2x3xf32>, %axis: tensor<2xi64>) {
  // expected-error @+2 {{'onnx.CumSum' op failed to infer returned types}}
  // expected-error @+1 {{axis must be a scalar or a 1-element tensor, got shape [2]}}
  %0 = onnx.CumSum %x, %axis : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that CumSum rejects a constant axis beyond the rank.
func.func @f(%x: tensor<2x3xf32>) {
  %axis = onnx.Constant dense<2> : tensor<i64>
  // expected-error @+2 {{'onnx.CumSum' op failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for x of rank 2}}
  %0 = onnx.CumSum %x, %axis : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that LayerNormalization rejects an axis beyond the rank.
func.func @f(%x: tensor<4x8xf32>, %s: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.LayerNormalization' op failed to infer returned types}}
  // expected-error @+1 {{axis -3 is out of range for X of rank 2}}
  %0:3 = onnx.LayerNormalization %x, %s, %none {axis = -3 : si64} : (tensor<4x8xf32>, tensor<8xf32>, none) -> (tensor<4x8xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  return
}

// -----

// Tests that LayerNormalization rejects a Scale that does not broadcast.
func.func @f(%x: tensor<4x8xf32>, %s: tensor<4xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.LayerNormalization' op failed to infer returned types}}
  // expected-error @+1 {{Scale has shape [4], which does not broadcast to X's shape [4, 8]}}
  %0:3 = onnx.LayerNormalization %x, %s, %none : (tensor<4x8xf32>, tensor<4xf32>, none) -> (tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
  return
}

// -----

// Tests that LayerNormalization rejects a stash_type that is not a float.
func.func @f(%x: tensor<4x8xf32>, %s: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.LayerNormalization' op failed to infer returned types}}
  // expected-error @+1 {{stash_type 7 is not a float type (1 f32, 10 f16, 11 f64, 16 bf16)}}
  %0:3 = onnx.LayerNormalization %x, %s, %none {stash_type = 7 : si64} : (tensor<4x8xf32>, tensor<8xf32>, none) -> (tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
  return
}

// -----

// Tests that LayerNormalization's Mean has the stash type.
func.func @f(%x: tensor<4x8xf16>, %s: tensor<8xf16>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.LayerNormalization' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.LayerNormalization' op inferred type(s) 'tensor<4x8xf16>', 'tensor<4x1xf32>', 'tensor<4x1xf32>' are incompatible with return type(s) of operation 'tensor<4x8xf16>', 'tensor<4x1xf16>', 'tensor<4x1xf16>'}}
  %0:3 = onnx.LayerNormalization %x, %s, %none : (tensor<4x8xf16>, tensor<8xf16>, none) -> (tensor<4x8xf16>, tensor<4x1xf16>, tensor<4x1xf16>)
  return
}

// -----

// Tests that BatchNormalization rejects training mode.
func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'onnx.BatchNormalization' op training_mode = 1 is not supported (only inference, training_mode = 0)}}
  %0:3 = onnx.BatchNormalization %x, %s, %s, %s, %s {training_mode = 1 : si64} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that BatchNormalization rejects statistics of another channel count.
func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.BatchNormalization' op failed to infer returned types}}
  // expected-error @+1 {{input_mean has 3 elements but X has 4 channels}}
  %0:3 = onnx.BatchNormalization %x, %s, %s, %m, %s : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

// Tests that BatchNormalization rejects statistics that are not 1-D.
func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+2 {{'onnx.BatchNormalization' op failed to infer returned types}}
  // expected-error @+1 {{B must be 1-D, got shape [1, 4]}}
  %0:3 = onnx.BatchNormalization %x, %s, %b, %s, %s : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that BatchNormalization rejects an X without a channel dimension.
func.func @f(%x: tensor<4xf32>, %s: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.BatchNormalization' op failed to infer returned types}}
  // expected-error @+1 {{X must have rank 2 or more (N, C, ...), got rank 1}}
  %0:3 = onnx.BatchNormalization %x, %s, %s, %s, %s : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that Conv rejects an unknown auto_pad.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op auto_pad 'SAME' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)}}
  %0 = onnx.Conv %x, %w, %none {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x?x?xf32>
  return
}

// -----

// Tests that Conv rejects an X without spatial dimensions.
func.func @f(%x: tensor<1x3xf32>, %w: tensor<4x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{X must have rank 3 or more (N, C, D1, ...), got rank 2}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3xf32>, tensor<4x3xf32>, none) -> tensor<1x4xf32>
  return
}

// -----

// Tests that Conv rejects W of another rank than X.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{W has rank 3 but X has rank 4}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that Conv rejects X channels that W's filters do not take.
func.func @f(%x: tensor<1x6x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{X has 6 channels but W expects 4 (2 per group, group = 2)}}
  %0 = onnx.Conv %x, %w, %none {group = 2 : si64} : (tensor<1x6x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that Conv rejects a filter count that group does not divide.
func.func @f(%x: tensor<1x6x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{W has 5 filters, which group = 3 does not divide}}
  %0 = onnx.Conv %x, %w, %none {group = 3 : si64} : (tensor<1x6x8x8xf32>, tensor<5x2x3x3xf32>, none) -> tensor<1x5x6x6xf32>
  return
}

// -----

// Tests that Conv rejects a group below 1.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{group 0 must be 1 or more}}
  %0 = onnx.Conv %x, %w, %none {group = 0 : si64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that Conv rejects a kernel_shape other than W's spatial sizes.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{kernel_shape [5, 5] differs from W's spatial sizes [3, 3]}}
  %0 = onnx.Conv %x, %w, %none {kernel_shape = array<i64: 5, 5>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  return
}

// -----

// Tests that Conv rejects pads of the wrong length.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{pads has 2 values, expected 4 for 2 spatial dimensions}}
  %0 = onnx.Conv %x, %w, %none {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Tests that Conv rejects a zero stride.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{strides [1, 0] must be 1 or more}}
  %0 = onnx.Conv %x, %w, %none {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that Conv rejects a bias of another size than the filter count.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{B has shape [3] but W has 4 filters}}
  %0 = onnx.Conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that Conv rejects a dilated kernel larger than the padded input.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{the window of spatial dimension 0 (extent 9) is larger than the padded input (8)}}
  %0 = onnx.Conv %x, %w, %none {dilations = array<i64: 4, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x?x6xf32>
  return
}

// -----

// Tests that Conv's output sizes follow the explicit pads and strides.
func.func @f(%x: tensor<1x3x9x9xf32>, %w: tensor<4x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.Conv' op inferred type(s) 'tensor<1x4x5x4xf32>' are incompatible with return type(s) of operation 'tensor<1x4x4x4xf32>'}}
  %0 = onnx.Conv %x, %w, %none {pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x9x9xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  return
}

// -----

// Tests that MaxPool requires kernel_shape.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'onnx.MaxPool' op requires attribute 'kernel_shape'}}
  %0:2 = onnx.MaxPool %x : (tensor<1x3x8x8xf32>) -> (tensor<1x3x?x?xf32>, tensor<1x3x?x?xi64>)
  return
}

// -----

// Tests that MaxPool rejects an unknown auto_pad.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'onnx.MaxPool' op auto_pad 'same_upper' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)}}
  %0:2 = onnx.MaxPool %x {auto_pad = "same_upper", kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x?x?xf32>, tensor<1x3x?x?xi64>)
  return
}

// -----

// Tests that MaxPool rejects a ceil_mode other than 0 or 1.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'onnx.MaxPool' op ceil_mode 2 must be 0 or 1}}
  %0:2 = onnx.MaxPool %x {ceil_mode = 2 : si64, kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>)
  return
}

// -----

// Tests that MaxPool rejects a storage_order other than 0 or 1.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'onnx.MaxPool' op storage_order 2 must be 0 (row major) or 1 (column major)}}
  %0:2 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, storage_order = 2 : si64} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>)
  return
}

// -----

// Tests that MaxPool rejects a kernel_shape of the wrong length.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'onnx.MaxPool' op failed to infer returned types}}
  // expected-error @+1 {{kernel_shape has 1 values, expected 2 for 2 spatial dimensions}}
  %0:2 = onnx.MaxPool %x {kernel_shape = array<i64: 2>} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>)
  return
}

// -----

// Tests that MaxPool rejects an X without spatial dimensions.
func.func @f(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'onnx.MaxPool' op failed to infer returned types}}
  // expected-error @+1 {{X must have rank 3 or more (N, C, D1, ...), got rank 2}}
  %0:2 = onnx.MaxPool %x {kernel_shape = array<i64: 2>} : (tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
  return
}

// -----

// Tests that MaxPool's Indices are i64.
func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'onnx.MaxPool' op failed to infer returned types}}
  // expected-error @+1 {{'onnx.MaxPool' op inferred type(s) 'tensor<1x3x4x4xf32>', 'tensor<1x3x4x4xi64>' are incompatible with return type(s) of operation 'tensor<1x3x4x4xf32>', 'tensor<1x3x4x4xi32>'}}
  %0:2 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xi32>)
  return
}

// -----

// Tests that an omitted required input (none) is reported by name.
func.func @f(%x: tensor<4x8xf32>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.LayerNormalization' op operand #1 must be tensor of any type values, but got 'none'}}
  %0:3 = onnx.LayerNormalization %x, %none, %none : (tensor<4x8xf32>, none, none) -> (tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
  return
}

// -----

// Tests that TopK refuses a K larger than its axis.
func.func @f(%x: tensor<2x4xf32>) {
  %k = onnx.Constant dense<5> : tensor<1xi64>
  // expected-error @+2 {{'onnx.TopK' op failed to infer returned types}}
  // expected-error @+1 {{K = 5 is out of range for 4 elements along axis 1}}
  %0, %1 = onnx.TopK %x, %k : (tensor<2x4xf32>, tensor<1xi64>) -> (tensor<2x5xf32>, tensor<2x5xi64>)
  return
}

// -----

// Tests that TopK's K is a 1-element i64 tensor.
func.func @f(%x: tensor<2x4xf32>, %k: tensor<2xi64>) {
  // expected-error @+2 {{'onnx.TopK' op failed to infer returned types}}
  // expected-error @+1 {{K must be a 1-element i64 tensor, got 'tensor<2xi64>'}}
  %0, %1 = onnx.TopK %x, %k : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

// Tests that TopK's largest is 0 or 1.
func.func @f(%x: tensor<2x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'onnx.TopK' op largest 2 must be 0 or 1}}
  %0, %1 = onnx.TopK %x, %k {largest = 2 : si64} : (tensor<2x4xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

// Tests that TopK's axis is one of X's.
func.func @f(%x: tensor<2x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+2 {{'onnx.TopK' op failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for X of rank 2}}
  %0, %1 = onnx.TopK %x, %k {axis = 2 : si64} : (tensor<2x4xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

// Tests that TopK's sorted is 0 or 1.
func.func @f(%x: tensor<2x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'onnx.TopK' op sorted 3 must be 0 or 1}}
  %0, %1 = onnx.TopK %x, %k {sorted = 3 : si64} : (tensor<2x4xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

// Tests that ConvTranspose rejects an unknown auto_pad.
func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<3x4x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op auto_pad 'SAME' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)}}
  %0 = onnx.ConvTranspose %x, %w, %none {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>, none) -> tensor<1x4x?x?xf32>
  return
}

// -----

// Tests that ConvTranspose rejects X channels other than W's first size.
func.func @f(%x: tensor<1x3x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{X has 3 channels but W has 4}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x3x5x5xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x2x7x7xf32>
  return
}

// -----

// Tests that ConvTranspose rejects input channels that its groups do not
// divide.
func.func @f(%x: tensor<1x3x5x5xf32>, %w: tensor<3x2x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{W has 3 input channels, which group = 2 does not divide}}
  %0 = onnx.ConvTranspose %x, %w, %none {group = 2 : si64} : (tensor<1x3x5x5xf32>, tensor<3x2x3x3xf32>, none) -> tensor<1x4x7x7xf32>
  return
}

// -----

// Tests that ConvTranspose rejects pads that leave no output.
func.func @f(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{spatial dimension 0 would have output size -2: X is empty there, or the pads take more than the transposed convolution gives}}
  %0 = onnx.ConvTranspose %x, %w, %none {pads = array<i64: 3, 3, 3, 3>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x1x1xf32>
  return
}

// -----

// Tests that ConvTranspose rejects an output_shape of neither the spatial
// sizes nor all of them.
func.func @f(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{output_shape has 3 values, expected 2 or 4}}
  %0 = onnx.ConvTranspose %x, %w, %none {output_shape = array<i64: 1, 4, 4>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that ConvTranspose rejects a bias of another size than its output
// channels.
func.func @f(%x: tensor<1x4x2x2xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{B has shape [3] but the output has 6 channels}}
  %0 = onnx.ConvTranspose %x, %w, %b {group = 2 : si64} : (tensor<1x4x2x2xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x6x4x4xf32>
  return
}

// -----

// Tests that ConvTranspose rejects a stride beyond its bound (its size
// arithmetic must not overflow).
func.func @f(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{strides [4611686018427387904, 1] must be in [1, 1073741824]}}
  %0 = onnx.ConvTranspose %x, %w, %none {strides = array<i64: 4611686018427387904, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects W with an empty kernel dimension.
func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x0x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{W's kernel sizes [0, 3] must be in [1, 1073741824]}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x1x3x3xf32>, tensor<1x1x0x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects an empty input that SAME_UPPER would
// make an empty output.
func.func @f(%x: tensor<1x1x0xf32>, %w: tensor<1x1x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{spatial dimension 0 would have output size 0: X is empty there, or the pads take more than the transposed convolution gives}}
  %0 = onnx.ConvTranspose %x, %w, %none {auto_pad = "SAME_UPPER"} : (tensor<1x1x0xf32>, tensor<1x1x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects output channels that overflow.
func.func @f(%x: tensor<1x0x3x3xf32>, %w: tensor<0x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{W's 3 output channels per group times group = 4611686018427387904 overflow}}
  %0 = onnx.ConvTranspose %x, %w, %none {group = 4611686018427387904 : si64} : (tensor<1x0x3x3xf32>, tensor<0x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects an output padding as large as both the
// stride and the dilation (PyTorch's and onnxruntime's rule).
func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{output_padding [0, 2] must be less than the stride or the dilation of its dimension}}
  %0 = onnx.ConvTranspose %x, %w, %none {output_padding = array<i64: 0, 2>, strides = array<i64: 1, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Conv rejects channels per group times group that overflow.
func.func @f(%x: tensor<1x4x5x5xf32>, %w: tensor<0x3x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Conv' op failed to infer returned types}}
  // expected-error @+1 {{W's 3 channels per group times group = 4611686018427387904 overflow}}
  %0 = onnx.Conv %x, %w, %none {group = 4611686018427387904 : si64} : (tensor<1x4x5x5xf32>, tensor<0x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects a kernel_shape other than W's.
func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{kernel_shape [3, 2] differs from W's spatial sizes [3, 3]}}
  %0 = onnx.ConvTranspose %x, %w, %none {kernel_shape = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects an output_padding of another length
// than its spatial dimensions.
func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{output_padding has 1 values, expected 2}}
  %0 = onnx.ConvTranspose %x, %w, %none {output_padding = array<i64: 1>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that ConvTranspose rejects a spatial size beyond its bound (its
// size arithmetic must not overflow).
func.func @f(%x: tensor<1x1x2147483648xf32>, %w: tensor<1x1x3xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvTranspose' op failed to infer returned types}}
  // expected-error @+1 {{X's spatial size 2147483648 is too large}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x1x2147483648xf32>, tensor<1x1x3xf32>, none) -> tensor<*xf32>
  return
}
