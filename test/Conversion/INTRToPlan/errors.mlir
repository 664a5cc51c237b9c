// RUN: intr-opt %s -split-input-file --convert-intr-to-plan -verify-diagnostics

// Tests that an input of more dimensions than an executable holds is
// refused when the plan is made, not when the runtime loads it.
// expected-error @+1 {{input 'x' has type 'tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32>': an executable holds tensors of at most 16 dimensions, each of at most 2^40 elements, and of at most 16 TiB}}
func.func @rank(%x: tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32> {onnx.name = "x"}) -> (tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32> {onnx.name = "y"}) {
  %y = onnx.Relu %x : (tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32>) -> tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32>
  return %y : tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x2xf32>
}

// -----

// Tests that an input the export left dynamic is refused with the flag
// that fixes it, ? where a size is open.
// expected-error @+1 {{input 'image' has the dynamic type 'tensor<?x3x?x8xf32>', and an executable has one shape: give its sizes with --input-shape image=?x3x?x8, each ? replaced by the size to compile for}}
func.func @dynamic(%x: tensor<?x3x?x8xf32> {onnx.name = "image"}) -> (tensor<?x3x?x8xf32> {onnx.name = "y"}) {
  %y = onnx.Relu %x : (tensor<?x3x?x8xf32>) -> tensor<?x3x?x8xf32>
  return %y : tensor<?x3x?x8xf32>
}

// -----

// Tests that an input with a dimension beyond 2^40 (as a huge
// --input-shape makes it, whose byte size wraps around 64 bits) is refused
// instead of planned into a wrapped arena size.
// expected-error @+1 {{input 'x' has type 'tensor<1x3x4611686018427387904x4xf32>': an executable holds}}
func.func @overflow(%x: tensor<1x3x4611686018427387904x4xf32> {onnx.name = "x"}) -> (tensor<1x3x4611686018427387904x4xf32> {onnx.name = "y"}) {
  %y = onnx.Relu %x : (tensor<1x3x4611686018427387904x4xf32>) -> tensor<1x3x4611686018427387904x4xf32>
  return %y : tensor<1x3x4611686018427387904x4xf32>
}

// -----

// Tests that dimensions each within the limits whose byte size overflows
// 64 bits are refused.
// expected-error @+1 {{input 'x' has type 'tensor<1099511627776x1099511627776xf32>': an executable holds}}
func.func @product(%x: tensor<1099511627776x1099511627776xf32> {onnx.name = "x"}) -> (tensor<1099511627776x1099511627776xf32> {onnx.name = "y"}) {
  %y = onnx.Relu %x : (tensor<1099511627776x1099511627776xf32>) -> tensor<1099511627776x1099511627776xf32>
  return %y : tensor<1099511627776x1099511627776xf32>
}

// -----

// Tests that a computed tensor beyond the limits is refused at the op that
// computes it.
func.func @result(%x: tensor<1x2xf32> {onnx.name = "x"}) -> (tensor<2199023255552x2xf32> {onnx.name = "y"}) {
  %shape = onnx.Constant dense<[2199023255552, 2]> : tensor<2xi64>
  // expected-error @+1 {{'onnx.Expand' op result 0 has type 'tensor<2199023255552x2xf32>': an executable holds}}
  %y = onnx.Expand %x, %shape : (tensor<1x2xf32>, tensor<2xi64>) -> tensor<2199023255552x2xf32>
  return %y : tensor<2199023255552x2xf32>
}

// -----

// Tests that tensors each within the limits whose arena is not (two of
// 16 TiB alive at once) are refused.
// expected-error @+1 {{'func.func' op needs an arena of 35184372088832 bytes: an executable holds at most 16 TiB}}
func.func @arena(%x: tensor<1099511627776x4xf32> {onnx.name = "x"}) -> (tensor<1099511627776x4xf32> {onnx.name = "y"}) {
  %y = onnx.Relu %x : (tensor<1099511627776x4xf32>) -> tensor<1099511627776x4xf32>
  return %y : tensor<1099511627776x4xf32>
}

// -----

// Tests that a shape set by a value computed at run time (the inputs being
// static) is refused as such, not with advice to give input shapes.
func.func @runtime_shape(%x: tensor<2x6xf32> {onnx.name = "x"}, %s: tensor<2xi64> {onnx.name = "s"}) -> (tensor<?x?xf32> {onnx.name = "y"}) {
  // expected-error @+1 {{'onnx.Reshape' op has a result of type 'tensor<?x?xf32>': a plan needs static shapes, and this one depends on values not known at compile time (an operand that is not a constant sets it)}}
  %y = onnx.Reshape %x, %s : (tensor<2x6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
