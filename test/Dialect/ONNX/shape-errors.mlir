// RUN: intr-opt %s -split-input-file -verify-diagnostics

// Every message of the shape ops' verifiers and type inference. When
// inference fails, MLIR adds "failed to infer returned types" on the op.

//===----------------------------------------------------------------------===//
// Shared checks of list operands
//===----------------------------------------------------------------------===//

// Tests that a shape operand of rank 2 is rejected.
func.func @f(%x: tensor<2x3xf32>, %shape: tensor<2x2xi64>) {
  // expected-error @+2 {{shape must be a 1-D integer tensor, got 'tensor<2x2xi64>'}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that a float list operand is rejected.
func.func @f(%x: tensor<4xf32>, %starts: tensor<1xf32>, %ends: tensor<1xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{starts must be a 1-D integer tensor, got 'tensor<1xf32>'}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %ends, %none, %none : (tensor<4xf32>, tensor<1xf32>, tensor<1xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that the result type must agree with the inferred one.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[3, 2]> : tensor<2xi64>
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'onnx.Reshape' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<6xf32>'}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

// -----

// Tests that Concat needs an input.
func.func @f() {
  // expected-error @+2 {{needs at least one input}}
  // expected-error @+1 {{'onnx.Concat' op failed to infer returned types}}
  %0 = onnx.Concat {axis = 0 : si64} : () -> tensor<*xf32>
  return
}

// -----

// Tests that Concat rejects inputs of different element types.
func.func @f(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+2 {{input 1 has element type 'f16' but input 0 has 'f32'}}
  // expected-error @+1 {{'onnx.Concat' op failed to infer returned types}}
  %0 = onnx.Concat %a, %b {axis = 0 : si64} : (tensor<2xf32>, tensor<2xf16>) -> tensor<*xf32>
  return
}

// -----

// Tests that Concat rejects inputs of different ranks.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @+2 {{input 1 has rank 3 but input 0 has rank 2}}
  // expected-error @+1 {{'onnx.Concat' op failed to infer returned types}}
  %0 = onnx.Concat %a, %b {axis = 0 : si64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that Concat rejects sizes that differ outside the axis.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+2 {{input 2 has size 4 in dimension 1 but input 0 has 3}}
  // expected-error @+1 {{'onnx.Concat' op failed to infer returned types}}
  %0 = onnx.Concat %a, %b, %c {axis = 0 : si64} : (tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x4xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that Concat rejects an axis beyond the rank.
func.func @f(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Concat' op failed to infer returned types}}
  %0 = onnx.Concat %a, %a {axis = -3 : si64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// ConstantOfShape
//===----------------------------------------------------------------------===//

// -----

// Tests that ConstantOfShape rejects a value of two elements.
func.func @f(%shape: tensor<2xi64>) {
  // expected-error @+1 {{'onnx.ConstantOfShape' op value must have exactly one element, got 2}}
  %0 = onnx.ConstantOfShape %shape {value = dense<[1, 2]> : tensor<2xi64>} : (tensor<2xi64>) -> tensor<?x?xi64>
  return
}

// -----

// Tests that ConstantOfShape rejects a negative size.
func.func @f() {
  %shape = onnx.Constant dense<[2, -1]> : tensor<2xi64>
  // expected-error @+2 {{input entry -1 at index 1 is negative}}
  // expected-error @+1 {{'onnx.ConstantOfShape' op failed to infer returned types}}
  %0 = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that ConstantOfShape rejects a shape of rank 2.
func.func @f(%shape: tensor<1x2xi64>) {
  // expected-error @+2 {{input must be a 1-D integer tensor, got 'tensor<1x2xi64>'}}
  // expected-error @+1 {{'onnx.ConstantOfShape' op failed to infer returned types}}
  %0 = onnx.ConstantOfShape %shape : (tensor<1x2xi64>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Expand
//===----------------------------------------------------------------------===//

// -----

// Tests that Expand rejects a shape that the input does not broadcast to.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[4, 4]> : tensor<2xi64>
  // expected-error @+2 {{cannot broadcast input of shape [2, 3] to [4, 4]}}
  // expected-error @+1 {{'onnx.Expand' op failed to infer returned types}}
  %0 = onnx.Expand %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Expand rejects a negative size.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[-1, 3]> : tensor<2xi64>
  // expected-error @+2 {{shape entry -1 at index 0 is negative}}
  // expected-error @+1 {{'onnx.Expand' op failed to infer returned types}}
  %0 = onnx.Expand %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

// -----

// Tests that Flatten rejects an axis beyond [-rank, rank].
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 3 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Flatten' op failed to infer returned types}}
  %0 = onnx.Flatten %x {axis = 3 : si64} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

// -----

// Tests that Gather rejects float indices.
func.func @f(%x: tensor<4xf32>, %i: tensor<2xf32>) {
  // expected-error @+2 {{indices must be an integer tensor, got 'tensor<2xf32>'}}
  // expected-error @+1 {{'onnx.Gather' op failed to infer returned types}}
  %0 = onnx.Gather %x, %i : (tensor<4xf32>, tensor<2xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that Gather rejects scalar data.
func.func @f(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+2 {{data must have rank 1 or more}}
  // expected-error @+1 {{'onnx.Gather' op failed to infer returned types}}
  %0 = onnx.Gather %x, %i : (tensor<f32>, tensor<i64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Gather rejects an axis beyond the rank.
func.func @f(%x: tensor<4x5xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Gather' op failed to infer returned types}}
  %0 = onnx.Gather %x, %i {axis = 2 : si64} : (tensor<4x5xf32>, tensor<i64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Gather rejects a constant index beyond the axis size.
func.func @f(%x: tensor<4x5xf32>) {
  %i = onnx.Constant dense<[0, -6]> : tensor<2xi64>
  // expected-error @+2 {{index -6 is out of range for axis 1 of size 5}}
  // expected-error @+1 {{'onnx.Gather' op failed to infer returned types}}
  %0 = onnx.Gather %x, %i {axis = -1 : si64} : (tensor<4x5xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

// -----

// Tests that Pad rejects a mode ONNX does not have.
func.func @f(%x: tensor<2x3xf32>, %pads: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Pad' op mode 'circular' is not supported (constant, reflect, edge, wrap)}}
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "circular"} : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<?x?xf32>
  return
}

// -----

// Tests that Pad rejects pads whose length is not twice the padded axes.
func.func @f(%x: tensor<2x3xf32>, %pads: tensor<3xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{pads has 3 entries, expected 4 (2 padded axes)}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<3xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad checks pads against opset 18's axes.
func.func @f(%x: tensor<2x3xf32>, %pads: tensor<4xi64>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  // expected-error @+2 {{pads has 4 entries, expected 2 (1 padded axes)}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %axes : (tensor<2x3xf32>, tensor<4xi64>, none, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects an axis beyond the rank.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[1, 1]> : tensor<2xi64>
  %axes = onnx.Constant dense<[2]> : tensor<1xi64>
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %axes : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects an axis named twice.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[1, 1, 1, 1]> : tensor<4xi64>
  %axes = onnx.Constant dense<[1, -1]> : tensor<2xi64>
  // expected-error @+2 {{axes [1, -1] name axis 1 twice}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %axes : (tensor<2x3xf32>, tensor<4xi64>, none, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects cropping below size 0.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[0, -4, 0, 0]> : tensor<4xi64>
  // expected-error @+2 {{padding axis 1 of size 3 by -4 and 0 gives a negative size}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects pads whose sum overflows.
func.func @f(%x: tensor<2x3xf32>) {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[0, 9223372036854775807, 0, 1]> : tensor<4xi64>
  // expected-error @+2 {{padding axis 1 by 9223372036854775807 and 1 overflows}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects a constant_value of another element type.
func.func @f(%x: tensor<2x3xf32>, %pads: tensor<4xi64>, %value: tensor<f16>) {
  %none = onnx.NoValue
  // expected-error @+2 {{constant_value has element type 'f16' but data has 'f32'}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %value, %none : (tensor<2x3xf32>, tensor<4xi64>, tensor<f16>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Pad rejects a constant_value of two elements.
func.func @f(%x: tensor<2x3xf32>, %pads: tensor<4xi64>, %value: tensor<2xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{constant_value must be a scalar, got 'tensor<2xf32>'}}
  // expected-error @+1 {{'onnx.Pad' op failed to infer returned types}}
  %0 = onnx.Pad %x, %pads, %value, %none : (tensor<2x3xf32>, tensor<4xi64>, tensor<2xf32>, none) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

// -----

// Tests that Range rejects operands of different element types.
func.func @f(%a: tensor<i64>, %b: tensor<i32>) {
  // expected-error @+2 {{start, limit and delta must have one element type, got 'i64', 'i32' and 'i64'}}
  // expected-error @+1 {{'onnx.Range' op failed to infer returned types}}
  %0 = onnx.Range %a, %b, %a : (tensor<i64>, tensor<i32>, tensor<i64>) -> tensor<?xi64>
  return
}

// -----

// Tests that Range rejects a limit of two elements.
func.func @f(%a: tensor<i64>, %b: tensor<2xi64>) {
  // expected-error @+2 {{limit must be a scalar, got 'tensor<2xi64>'}}
  // expected-error @+1 {{'onnx.Range' op failed to infer returned types}}
  %0 = onnx.Range %a, %b, %a : (tensor<i64>, tensor<2xi64>, tensor<i64>) -> tensor<?xi64>
  return
}

// -----

// Tests that Range rejects a zero integer delta.
func.func @f(%a: tensor<i64>) {
  %zero = onnx.Constant dense<0> : tensor<i64>
  // expected-error @+2 {{delta must not be 0}}
  // expected-error @+1 {{'onnx.Range' op failed to infer returned types}}
  %0 = onnx.Range %a, %a, %zero : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return
}

// -----

// Tests that Range rejects a zero float delta.
func.func @f(%a: tensor<f32>) {
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  // expected-error @+2 {{delta must not be 0}}
  // expected-error @+1 {{'onnx.Range' op failed to infer returned types}}
  %0 = onnx.Range %a, %a, %zero : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

// -----

// Tests that Reshape rejects a size below -1.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[2, -2]> : tensor<2xi64>
  // expected-error @+2 {{shape entry -2 at index 1 is invalid (sizes are >= -1)}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects two -1.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[-1, 3, -1]> : tensor<3xi64>
  // expected-error @+2 {{shape [-1, 3, -1] has more than one -1}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects 0 next to -1 under allowzero = 1.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  // expected-error @+2 {{shape [0, -1] has both 0 and -1, which allowzero = 1 forbids}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape {allowzero = 1 : si64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects a 0 that copies a dimension the data lacks.
func.func @f(%x: tensor<6xf32>) {
  %shape = onnx.Constant dense<[6, 0]> : tensor<2xi64>
  // expected-error @+2 {{shape entry 0 at index 1 copies a dimension that data of rank 1 does not have}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<6xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects a -1 that does not divide the element count.
func.func @f(%x: tensor<2x3xf32>) {
  %shape = onnx.Constant dense<[4, -1]> : tensor<2xi64>
  // expected-error @+2 {{cannot reshape data of shape [2, 3] into [4, -1]}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects another element count, a copied dynamic size
// cancelling out.
func.func @f(%x: tensor<?x2x3xf32>) {
  %shape = onnx.Constant dense<[0, 4, 2]> : tensor<3xi64>
  // expected-error @+2 {{cannot reshape data of shape [?, 2, 3] into [0, 4, 2]}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<?x2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Reshape rejects sizes whose product passes 2^63, which
// wrapped around to the data's 24 elements (found by intr-fuzz-compile),
// and that a zero among huge sizes makes an empty shape.
func.func @f(%x: tensor<3x2x4xf32>, %e: tensor<0x5xf32>) {
  %shape = onnx.Constant dense<[1099511627523, 117440765, 8589934594]> : tensor<3xi64>
  // expected-error @+2 {{cannot reshape data of shape [3, 2, 4] into [1099511627523, 117440765, 8589934594] (its element count passes 2^63)}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<3x2x4xf32>, tensor<3xi64>) -> tensor<*xf32>
  %empty = onnx.Constant dense<[4611686018427387904, 4, 0]> : tensor<3xi64>
  %1 = onnx.Reshape %e, %empty {allowzero = 1 : si64} : (tensor<0x5xf32>, tensor<3xi64>) -> tensor<4611686018427387904x4x0xf32>
  return
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

// -----

// Tests that Resize rejects a mode ONNX does not define.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op mode 'bicubic' is not supported (nearest, linear, cubic)}}
  %0 = onnx.Resize %x, %none, %none, %sizes {mode = "bicubic"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize's tf_crop_and_resize needs its region of interest.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op tf_crop_and_resize needs roi}}
  %0 = onnx.Resize %x, %none, %none, %sizes {coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize rejects a coordinate_transformation_mode ONNX does not
// define.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op coordinate_transformation_mode 'center' is not supported (half_pixel, asymmetric, align_corners, pytorch_half_pixel, half_pixel_symmetric, tf_crop_and_resize)}}
  %0 = onnx.Resize %x, %none, %none, %sizes {coordinate_transformation_mode = "center"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize rejects an unknown nearest_mode.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op nearest_mode 'round' is not supported (round_prefer_floor, round_prefer_ceil, floor, ceil)}}
  %0 = onnx.Resize %x, %none, %none, %sizes {nearest_mode = "round"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize rejects an unknown keep_aspect_ratio_policy.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op keep_aspect_ratio_policy 'fill' is not supported (stretch, not_larger, not_smaller)}}
  %0 = onnx.Resize %x, %none, %none, %sizes {keep_aspect_ratio_policy = "fill"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize rejects antialiasing in nearest mode.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Resize' op antialias needs mode linear or cubic}}
  %0 = onnx.Resize %x, %none, %none, %sizes {antialias = 1 : si64} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Tests that Resize rejects both scales and sizes.
func.func @f(%x: tensor<1x1x4x4xf32>, %scales: tensor<4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{scales and sizes are both given; only one may be}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %scales, %sizes : (tensor<1x1x4x4xf32>, none, tensor<4xf32>, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize needs scales or sizes, an empty scales counting as
// absent.
func.func @f(%x: tensor<1x1x4x4xf32>, %scales: tensor<0xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{one of scales and sizes must be given}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %scales, %none : (tensor<1x1x4x4xf32>, none, tensor<0xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects integer scales.
func.func @f(%x: tensor<1x1x4x4xf32>, %scales: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{scales must be a 1-D float tensor, got 'tensor<4xi64>'}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %scales, %none : (tensor<1x1x4x4xf32>, none, tensor<4xi64>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects sizes of another length than the axes.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{sizes has 4 entries, expected 2 (one per resized axis)}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %none, %sizes {axes = array<i64: 2, 3>} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects scales of another length than the rank.
func.func @f(%x: tensor<1x1x4x4xf32>) {
  %none = onnx.NoValue
  %scales = onnx.Constant dense<2.0> : tensor<2xf32>
  // expected-error @+2 {{scales has 2 entries, expected 4 (one per resized axis)}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %scales, %none : (tensor<1x1x4x4xf32>, none, tensor<2xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects a zero scale.
func.func @f(%x: tensor<1x1x4x4xf32>) {
  %none = onnx.NoValue
  %scales = onnx.Constant dense<[1.0, 1.0, 0.0, 2.0]> : tensor<4xf32>
  // expected-error @+2 {{scales entry 0.000000e+00 for axis 2 is not positive}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %scales, %none : (tensor<1x1x4x4xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects a negative size.
func.func @f(%x: tensor<1x1x4x4xf32>) {
  %none = onnx.NoValue
  %sizes = onnx.Constant dense<[1, 1, -8, 8]> : tensor<4xi64>
  // expected-error @+2 {{sizes entry -8 at index 2 is negative}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %none, %sizes : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Resize rejects an axis named twice.
func.func @f(%x: tensor<1x1x4x4xf32>, %sizes: tensor<2xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{axes [3, -1] name axis 3 twice}}
  // expected-error @+1 {{'onnx.Resize' op failed to infer returned types}}
  %0 = onnx.Resize %x, %none, %none, %sizes {axes = array<i64: 3, -1>} : (tensor<1x1x4x4xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

// -----

// Tests that Slice rejects starts and ends of different lengths.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<1xi64>, %ends: tensor<2xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{ends has 2 entries but starts has 1}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %ends, %none, %none : (tensor<4x6xf32>, tensor<1xi64>, tensor<2xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Slice rejects steps of another length than the axes.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<1xi64>, %steps: tensor<2xi64>) {
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  // expected-error @+2 {{steps has 2 entries but axes has 1}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %starts, %axes, %steps : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Slice rejects a step of 0.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<2xi64>) {
  %none = onnx.NoValue
  %steps = onnx.Constant dense<[1, 0]> : tensor<2xi64>
  // expected-error @+2 {{steps entry at index 1 is 0}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %starts, %none, %steps : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, none, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Slice rejects an axis beyond the rank.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<1xi64>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[-3]> : tensor<1xi64>
  // expected-error @+2 {{axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %starts, %axes, %none : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Slice without axes rejects more starts than the rank.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<3xi64>) {
  %none = onnx.NoValue
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %starts, %none, %none : (tensor<4x6xf32>, tensor<3xi64>, tensor<3xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Slice rejects an axis named twice.
func.func @f(%x: tensor<4x6xf32>, %starts: tensor<2xi64>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[0, -2]> : tensor<2xi64>
  // expected-error @+2 {{axes [0, -2] name axis 0 twice}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = onnx.Slice %x, %starts, %starts, %axes, %none : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, none) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

// -----

// Tests that Split needs num_outputs without split.
func.func @f(%x: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{num_outputs must be set when split is absent}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %none : (tensor<8xf32>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split rejects num_outputs of 0.
func.func @f(%x: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{num_outputs must be positive, got 0}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0 = onnx.Split %x, %none {num_outputs = 0 : si64} : (tensor<8xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Split rejects a num_outputs beyond what it supports.
func.func @f(%x: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{cannot split into 100000 outputs (at most 65536)}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0 = onnx.Split %x, %none {num_outputs = 100000 : si64} : (tensor<8xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that Split rejects a split whose length differs from num_outputs.
func.func @f(%x: tensor<8xf32>, %split: tensor<3xi64>) {
  // expected-error @+2 {{split has 3 entries but num_outputs is 2}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %split {num_outputs = 2 : si64} : (tensor<8xf32>, tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split needs to know its number of outputs.
func.func @f(%x: tensor<8xf32>, %split: tensor<?xi64>) {
  // expected-error @+2 {{the number of outputs is unknown: split has no static length and num_outputs is not set}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %split : (tensor<8xf32>, tensor<?xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split rejects a negative part.
func.func @f(%x: tensor<8xf32>) {
  %split = onnx.Constant dense<[9, -1]> : tensor<2xi64>
  // expected-error @+2 {{split entry -1 at index 1 is negative}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %split : (tensor<8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split rejects parts that do not sum to the axis size.
func.func @f(%x: tensor<2x8xf32>) {
  %split = onnx.Constant dense<[3, 4]> : tensor<2xi64>
  // expected-error @+2 {{split [3, 4] sums to 7 but axis 1 has size 8}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %split {axis = -1 : si64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split reports parts whose sum overflows.
func.func @f(%x: tensor<8xf32>) {
  %split = onnx.Constant dense<[9223372036854775807, 9]> : tensor<2xi64>
  // expected-error @+2 {{split [9223372036854775807, 9] sums to more than INT64_MAX but axis 0 has size 8}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %split : (tensor<8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split rejects num_outputs that leave nothing for the last
// part (5 into 4: parts of 2 leave -1).
func.func @f(%x: tensor<5xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{axis 0 of size 5 cannot be split into 4 parts of at most 2}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:4 = onnx.Split %x, %none {num_outputs = 4 : si64} : (tensor<5xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// Tests that Split rejects an axis beyond the rank.
func.func @f(%x: tensor<8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{axis 1 is out of range for rank 1}}
  // expected-error @+1 {{'onnx.Split' op failed to infer returned types}}
  %0:2 = onnx.Split %x, %none {axis = 1 : si64, num_outputs = 2 : si64} : (tensor<8xf32>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

//===----------------------------------------------------------------------===//
// Squeeze and Unsqueeze
//===----------------------------------------------------------------------===//

// -----

// Tests that Squeeze rejects an axis of size other than 1.
func.func @f(%x: tensor<1x3xf32>) {
  %axes = onnx.Constant dense<[1]> : tensor<1xi64>
  // expected-error @+2 {{cannot squeeze axis 1 of size 3}}
  // expected-error @+1 {{'onnx.Squeeze' op failed to infer returned types}}
  %0 = onnx.Squeeze %x, %axes : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Squeeze rejects more axes than the rank.
func.func @f(%x: tensor<1x3xf32>, %axes: tensor<3xi64>) {
  // expected-error @+2 {{axes has 3 entries but data has rank 2}}
  // expected-error @+1 {{'onnx.Squeeze' op failed to infer returned types}}
  %0 = onnx.Squeeze %x, %axes : (tensor<1x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Squeeze rejects an axis beyond the rank.
func.func @f(%x: tensor<1x3xf32>) {
  %axes = onnx.Constant dense<[2]> : tensor<1xi64>
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'onnx.Squeeze' op failed to infer returned types}}
  %0 = onnx.Squeeze %x, %axes : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Squeeze rejects an axis named twice.
func.func @f(%x: tensor<1x3xf32>) {
  %axes = onnx.Constant dense<[0, -2]> : tensor<2xi64>
  // expected-error @+2 {{axes [0, -2] name axis 0 twice}}
  // expected-error @+1 {{'onnx.Squeeze' op failed to infer returned types}}
  %0 = onnx.Squeeze %x, %axes : (tensor<1x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Unsqueeze rejects an axis beyond the output rank.
func.func @f(%x: tensor<3xf32>) {
  %axes = onnx.Constant dense<[2]> : tensor<1xi64>
  // expected-error @+2 {{axis 2 is out of range for output rank 2}}
  // expected-error @+1 {{'onnx.Unsqueeze' op failed to infer returned types}}
  %0 = onnx.Unsqueeze %x, %axes : (tensor<3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Unsqueeze rejects an axis named twice.
func.func @f(%x: tensor<3xf32>) {
  %axes = onnx.Constant dense<[0, -3]> : tensor<2xi64>
  // expected-error @+2 {{axes [0, -3] name axis 0 twice}}
  // expected-error @+1 {{'onnx.Unsqueeze' op failed to infer returned types}}
  %0 = onnx.Unsqueeze %x, %axes : (tensor<3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Unsqueeze requires its axes input.
func.func @f(%x: tensor<3xf32>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Unsqueeze' op operand #1 must be tensor of any type values, but got 'none'}}
  %0 = onnx.Unsqueeze %x, %none : (tensor<3xf32>, none) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Tile and Transpose
//===----------------------------------------------------------------------===//

// -----

// Tests that Tile rejects repeats of another length than the rank.
func.func @f(%x: tensor<2x3xf32>, %repeats: tensor<3xi64>) {
  // expected-error @+2 {{repeats has 3 entries but input has rank 2}}
  // expected-error @+1 {{'onnx.Tile' op failed to infer returned types}}
  %0 = onnx.Tile %x, %repeats : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Tile rejects a negative repeat.
func.func @f(%x: tensor<2x3xf32>) {
  %repeats = onnx.Constant dense<[1, -2]> : tensor<2xi64>
  // expected-error @+2 {{repeats entry -2 at index 1 is negative}}
  // expected-error @+1 {{'onnx.Tile' op failed to infer returned types}}
  %0 = onnx.Tile %x, %repeats : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Transpose rejects a perm that is not a permutation.
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm [0, 0] is not a permutation of [0, 2)}}
  // expected-error @+1 {{'onnx.Transpose' op failed to infer returned types}}
  %0 = onnx.Transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that Transpose rejects a perm of another length than the rank.
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm has 3 entries but data has rank 2}}
  // expected-error @+1 {{'onnx.Transpose' op failed to infer returned types}}
  %0 = onnx.Transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

// Tests that GatherElements' indices may not exceed data off the axis.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<3x3xi64>) {
  // expected-error @+2 {{'onnx.GatherElements' op failed to infer returned types}}
  // expected-error @+1 {{indices [3, 3] exceed data [2, 3] along axis 0}}
  %0 = onnx.GatherElements %d, %i {axis = 1 : si64} : (tensor<2x3xf32>, tensor<3x3xi64>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that GatherElements' data and indices share one rank.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'onnx.GatherElements' op failed to infer returned types}}
  // expected-error @+1 {{data and indices must have one rank of 1 or more, got [2, 3] and [3]}}
  %0 = onnx.GatherElements %d, %i : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// Tests that ScatterElements' updates have the indices' shape.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2x3xf32>) {
  // expected-error @+2 {{'onnx.ScatterElements' op failed to infer returned types}}
  // expected-error @+1 {{updates have shape [2, 3], expected [2, 2]}}
  %0 = onnx.ScatterElements %d, %i, %u : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the Scatters take the reductions ONNX has.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf32>) {
  // expected-error @+2 {{'onnx.ScatterElements' op failed to infer returned types}}
  // expected-error @+1 {{reduction must be none, add, mul, max or min, got "mean"}}
  %0 = onnx.ScatterElements %d, %i, %u {reduction = "mean"} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that ScatterElements' updates have data's element type.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xi64>) {
  // expected-error @+2 {{'onnx.ScatterElements' op failed to infer returned types}}
  // expected-error @+1 {{updates must have data's element type 'f32', got 'i64'}}
  %0 = onnx.ScatterElements %d, %i, %u : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that ScatterND's index tuples are no longer than data's rank.
func.func @f(%d: tensor<2x3xf32>, %i: tensor<4x3xi64>, %u: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.ScatterND' op failed to infer returned types}}
  // expected-error @+1 {{indices [4, 3] must end in a known size of at most data's rank (data [2, 3])}}
  %0 = onnx.ScatterND %d, %i, %u : (tensor<2x3xf32>, tensor<4x3xi64>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that ScatterND's updates are indices.shape[:-1] + data.shape[k:].
func.func @f(%d: tensor<2x3xf32>, %i: tensor<4x1xi64>, %u: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.ScatterND' op failed to infer returned types}}
  // expected-error @+1 {{updates have shape [4], expected [4, 3]}}
  %0 = onnx.ScatterND %d, %i, %u : (tensor<2x3xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that GatherND's batch dimensions agree.
func.func @f(%d: tensor<3x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+2 {{'onnx.GatherND' op failed to infer returned types}}
  // expected-error @+1 {{data [3, 4] and indices [2, 1] differ in batch dimension 0}}
  %0 = onnx.GatherND %d, %i {batch_dims = 1 : si64} : (tensor<3x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that GatherND's tuples fit data's rank.
func.func @f(%d: tensor<3x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{'onnx.GatherND' op failed to infer returned types}}
  // expected-error @+1 {{indices [2, 3] must end in a known size of at most data's rank after batch_dims (data [3, 4])}}
  %0 = onnx.GatherND %d, %i : (tensor<3x4xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that Pad refuses a crop larger than the axis, even where the other
// side's padding would make up the size.
func.func @f(%x: tensor<5xf32>) {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[-6, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Pad' op failed to infer returned types}}
  // expected-error @+1 {{padding axis 0 of size 5 by -6 and 3 gives a negative size}}
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "wrap"} : (tensor<5xf32>, tensor<2xi64>, none, none) -> tensor<2xf32>
  return
}
