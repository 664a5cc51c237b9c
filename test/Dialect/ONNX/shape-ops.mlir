// RUN: intr-opt %s -split-input-file | intr-opt -split-input-file | FileCheck %s

// Round-trip of the shape and data movement ops in their custom form, with
// onnx.NoValue where an optional input is left out.

// Tests that Shape round-trips with and without opset 15's start and end.
// CHECK-LABEL: func.func @shape
// CHECK: onnx.Shape %arg0 : (tensor<1x256x25x38xf32>) -> tensor<4xi64>
// CHECK: onnx.Shape %arg0 {end = -1 : si64, start = 1 : si64} : (tensor<1x256x25x38xf32>) -> tensor<2xi64>
// CHECK: onnx.Shape %arg1 : (tensor<*xf32>) -> tensor<?xi64>
func.func @shape(%x: tensor<1x256x25x38xf32>, %u: tensor<*xf32>) -> (tensor<4xi64>, tensor<2xi64>, tensor<?xi64>) {
  %0 = onnx.Shape %x : (tensor<1x256x25x38xf32>) -> tensor<4xi64>
  %1 = onnx.Shape %x {start = 1 : si64, end = -1 : si64} : (tensor<1x256x25x38xf32>) -> tensor<2xi64>
  %2 = onnx.Shape %u : (tensor<*xf32>) -> tensor<?xi64>
  return %0, %1, %2 : tensor<4xi64>, tensor<2xi64>, tensor<?xi64>
}

// -----

// Tests that Gather round-trips with scalar and tensor indices.
// CHECK-LABEL: func.func @gather
// CHECK: onnx.Gather %arg0, %arg1 : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
// CHECK: onnx.Gather %arg2, %arg3 {axis = -1 : si64} : (tensor<2x5x7xf32>, tensor<3x2xi32>) -> tensor<2x5x3x2xf32>
func.func @gather(%s: tensor<4xi64>, %i: tensor<i64>, %x: tensor<2x5x7xf32>, %j: tensor<3x2xi32>) -> (tensor<i64>, tensor<2x5x3x2xf32>) {
  %0 = onnx.Gather %s, %i {axis = 0 : si64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %1 = onnx.Gather %x, %j {axis = -1 : si64} : (tensor<2x5x7xf32>, tensor<3x2xi32>) -> tensor<2x5x3x2xf32>
  return %0, %1 : tensor<i64>, tensor<2x5x3x2xf32>
}

// -----

// Tests that Slice round-trips with axes and steps given or left out.
// CHECK-LABEL: func.func @slice
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Slice %arg0, %arg1, %arg2, %[[NONE]], %[[NONE]] : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?x6xf32>
// CHECK: onnx.Slice %arg0, %arg1, %arg2, %arg3, %arg4 : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x?xf32>
func.func @slice(%x: tensor<4x6xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>, %axes: tensor<1xi64>, %steps: tensor<1xi64>) -> (tensor<?x6xf32>, tensor<4x?xf32>) {
  %none = onnx.NoValue
  %0 = onnx.Slice %x, %starts, %ends, %none, %none : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?x6xf32>
  %1 = onnx.Slice %x, %starts, %ends, %axes, %steps : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x?xf32>
  return %0, %1 : tensor<?x6xf32>, tensor<4x?xf32>
}

// -----

// Tests that Concat round-trips with one and with several inputs.
// CHECK-LABEL: func.func @concat
// CHECK: onnx.Concat %arg0, %arg1, %arg0 {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<2x?xf32>
// CHECK: onnx.Concat %arg0 {axis = -1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x?xf32>) -> (tensor<2x?xf32>, tensor<2x3xf32>) {
  %0 = onnx.Concat %a, %b, %a {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<2x?xf32>
  %1 = onnx.Concat %a {axis = -1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x?xf32>, tensor<2x3xf32>
}

// -----

// Tests that Unsqueeze and Squeeze round-trip, Squeeze with and without axes.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK: onnx.Unsqueeze %arg0, %arg1 : (tensor<3xf32>, tensor<2xi64>) -> tensor<?x?x?xf32>
// CHECK: onnx.Squeeze %arg2, %arg3 : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<?x?xf32>
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Squeeze %arg2, %[[NONE]] : (tensor<1x3x1xf32>, none) -> tensor<3xf32>
func.func @squeeze_unsqueeze(%x: tensor<3xf32>, %axes: tensor<2xi64>, %y: tensor<1x3x1xf32>, %axis: tensor<1xi64>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<3xf32>) {
  %0 = onnx.Unsqueeze %x, %axes : (tensor<3xf32>, tensor<2xi64>) -> tensor<?x?x?xf32>
  %1 = onnx.Squeeze %y, %axis : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %none = onnx.NoValue
  %2 = onnx.Squeeze %y, %none : (tensor<1x3x1xf32>, none) -> tensor<3xf32>
  return %0, %1, %2 : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<3xf32>
}

// -----

// Tests that Reshape round-trips with the default and an explicit allowzero.
// CHECK-LABEL: func.func @reshape
// CHECK: onnx.Reshape %arg0, %arg1 : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
// CHECK: onnx.Reshape %arg0, %arg1 {allowzero = 1 : si64} : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
func.func @reshape(%x: tensor<2x950x256xf32>, %shape: tensor<4xi64>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %0 = onnx.Reshape %x, %shape : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %1 = onnx.Reshape %x, %shape {allowzero = 1 : si64} : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %0, %1 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Tests that Transpose round-trips with and without perm, and Flatten with
// the default and an explicit axis.
// CHECK-LABEL: func.func @transpose_flatten
// CHECK: onnx.Transpose %arg0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x950x8x32xf32>) -> tensor<2x8x950x32xf32>
// CHECK: onnx.Transpose %arg0 : (tensor<2x950x8x32xf32>) -> tensor<32x8x950x2xf32>
// CHECK: onnx.Flatten %arg0 : (tensor<2x950x8x32xf32>) -> tensor<2x243200xf32>
// CHECK: onnx.Flatten %arg0 {axis = -1 : si64} : (tensor<2x950x8x32xf32>) -> tensor<15200x32xf32>
func.func @transpose_flatten(%x: tensor<2x950x8x32xf32>) -> (tensor<2x8x950x32xf32>, tensor<32x8x950x2xf32>, tensor<2x243200xf32>, tensor<15200x32xf32>) {
  %0 = onnx.Transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x950x8x32xf32>) -> tensor<2x8x950x32xf32>
  %1 = onnx.Transpose %x : (tensor<2x950x8x32xf32>) -> tensor<32x8x950x2xf32>
  %2 = onnx.Flatten %x : (tensor<2x950x8x32xf32>) -> tensor<2x243200xf32>
  %3 = onnx.Flatten %x {axis = -1 : si64} : (tensor<2x950x8x32xf32>) -> tensor<15200x32xf32>
  return %0, %1, %2, %3 : tensor<2x8x950x32xf32>, tensor<32x8x950x2xf32>, tensor<2x243200xf32>, tensor<15200x32xf32>
}

// -----

// Tests that Expand, Tile and ConstantOfShape round-trip, ConstantOfShape
// with and without value.
// CHECK-LABEL: func.func @expand_tile_constant_of_shape
// CHECK: onnx.Expand %arg0, %arg1 : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x?xf32>
// CHECK: onnx.Tile %arg0, %arg1 : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: onnx.ConstantOfShape %arg1 : (tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: onnx.ConstantOfShape %arg1 {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<?x?xi1>
func.func @expand_tile_constant_of_shape(%x: tensor<3x1xf32>, %shape: tensor<2xi64>) -> (tensor<3x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xi1>) {
  %0 = onnx.Expand %x, %shape : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x?xf32>
  %1 = onnx.Tile %x, %shape : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %2 = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<?x?xf32>
  %3 = onnx.ConstantOfShape %shape {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<?x?xi1>
  return %0, %1, %2, %3 : tensor<3x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xi1>
}

// -----

// Tests that Range round-trips on integer and float scalars.
// CHECK-LABEL: func.func @range
// CHECK: onnx.Range %arg0, %arg1, %arg2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK: onnx.Range %arg3, %arg3, %arg3 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
func.func @range(%a: tensor<i64>, %b: tensor<i64>, %c: tensor<i64>, %f: tensor<f32>) -> (tensor<?xi64>, tensor<?xf32>) {
  %0 = onnx.Range %a, %b, %c : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %1 = onnx.Range %f, %f, %f : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0, %1 : tensor<?xi64>, tensor<?xf32>
}

// -----

// Tests that Split round-trips with a split input and with num_outputs.
// CHECK-LABEL: func.func @split
// CHECK: onnx.Split %arg0, %arg1 {axis = 1 : si64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Split %arg0, %[[NONE]] {axis = 1 : si64, num_outputs = 3 : si64} : (tensor<2x8xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>)
func.func @split(%x: tensor<2x8xf32>, %split: tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x3xf32>) {
  %0:2 = onnx.Split %x, %split {axis = 1 : si64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  %none = onnx.NoValue
  %1:3 = onnx.Split %x, %none {axis = 1 : si64, num_outputs = 3 : si64} : (tensor<2x8xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>)
  return %0#0, %1#0 : tensor<2x?xf32>, tensor<2x3xf32>
}

// -----

// Tests that Pad round-trips in every mode, with constant_value and axes
// given or left out; the default mode is elided.
// CHECK-LABEL: func.func @pad
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Pad %arg0, %arg1, %[[NONE]], %[[NONE]] : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<?x?xf32>
// CHECK: onnx.Pad %arg0, %arg1, %arg2, %[[NONE]] : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<?x?xf32>
// CHECK: onnx.Pad %arg0, %arg3, %[[NONE]], %arg4 {mode = "reflect"} : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<?x?xf32>
// CHECK: onnx.Pad %arg0, %arg3, %[[NONE]], %arg4 {mode = "edge"} : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<?x?xf32>
func.func @pad(%x: tensor<2x3xf32>, %pads: tensor<4xi64>, %value: tensor<f32>, %pads1: tensor<2xi64>, %axes: tensor<1xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %none = onnx.NoValue
  %0 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<?x?xf32>
  %1 = onnx.Pad %x, %pads, %value, %none {mode = "constant"} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<?x?xf32>
  %2 = onnx.Pad %x, %pads1, %none, %axes {mode = "reflect"} : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<?x?xf32>
  %3 = onnx.Pad %x, %pads1, %none, %axes {mode = "edge"} : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Tests that Resize round-trips with sizes, with scales and an empty roi
// (as opset 13 exports pass), and with every opset 18 attribute, those
// equal to their defaults elided.
// CHECK-LABEL: func.func @resize
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: onnx.Resize %arg0, %[[NONE]], %[[NONE]], %arg1 : (tensor<1x1x800x1216xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
// CHECK: onnx.Resize %arg0, %arg2, %arg3, %[[NONE]] {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x1x800x1216xf32>, tensor<0xf32>, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
// CHECK: onnx.Resize %arg0, %[[NONE]], %[[NONE]], %arg4 {axes = array<i64: 2, 3>, coordinate_transformation_mode = "align_corners", cubic_coeff_a = -5.000000e-01 : f32, mode = "linear"} : (tensor<1x1x800x1216xf32>, none, none, tensor<2xi64>) -> tensor<1x1x?x?xf32>
func.func @resize(%x: tensor<1x1x800x1216xf32>, %sizes: tensor<4xi64>, %roi: tensor<0xf32>, %scales: tensor<4xf32>, %sizes2: tensor<2xi64>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<1x1x?x?xf32>) {
  %none = onnx.NoValue
  %0 = onnx.Resize %x, %none, %none, %sizes : (tensor<1x1x800x1216xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %1 = onnx.Resize %x, %roi, %scales, %none {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor"} : (tensor<1x1x800x1216xf32>, tensor<0xf32>, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  %2 = onnx.Resize %x, %none, %none, %sizes2 {antialias = 0 : si64, axes = array<i64: 2, 3>, coordinate_transformation_mode = "align_corners", cubic_coeff_a = -0.5 : f32, exclude_outside = 0 : si64, extrapolation_value = 0.0 : f32, keep_aspect_ratio_policy = "stretch", mode = "linear"} : (tensor<1x1x800x1216xf32>, none, none, tensor<2xi64>) -> tensor<1x1x?x?xf32>
  return %0, %1, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<1x1x?x?xf32>
}
