// RUN: intr-opt %s --onnx-infer-shapes --split-input-file | FileCheck %s

// Type inference of the shape ops: results written as tensor<*x...> are
// refined from the operand types and from the values of constant shape
// operands, also when the data operand is not constant.

// Tests that Shape gives a static length from the rank and start/end, and a
// dynamic one for an unranked input.
// CHECK-LABEL: func.func @shape
// CHECK-SAME: -> (tensor<4xi64>, tensor<2xi64>, tensor<?xi64>)
// CHECK: onnx.Shape %arg0 : (tensor<?x256x?x38xf32>) -> tensor<4xi64>
// CHECK: onnx.Shape %arg0 {end = -1 : si64, start = -3 : si64} : (tensor<?x256x?x38xf32>) -> tensor<2xi64>
// CHECK: onnx.Shape %arg1 : (tensor<*xf32>) -> tensor<?xi64>
func.func @shape(%x: tensor<?x256x?x38xf32>, %u: tensor<*xf32>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>) {
  %0 = onnx.Shape %x : (tensor<?x256x?x38xf32>) -> tensor<*xi64>
  %1 = onnx.Shape %x {start = -3 : si64, end = -1 : si64} : (tensor<?x256x?x38xf32>) -> tensor<*xi64>
  %2 = onnx.Shape %u : (tensor<*xf32>) -> tensor<*xi64>
  return %0, %1, %2 : tensor<*xi64>, tensor<*xi64>, tensor<*xi64>
}

// -----

// Tests that Gather drops the axis for a scalar index and inserts the shape
// of tensor indices.
// CHECK-LABEL: func.func @gather
// CHECK: -> tensor<2x7xf32>
// CHECK: -> tensor<2x3x4x7xf32>
func.func @gather(%x: tensor<2x5x7xf32>, %i: tensor<i64>, %j: tensor<3x4xi32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Gather %x, %i {axis = 1 : si64} : (tensor<2x5x7xf32>, tensor<i64>) -> tensor<*xf32>
  %1 = onnx.Gather %x, %j {axis = -2 : si64} : (tensor<2x5x7xf32>, tensor<3x4xi32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Slice of non-constant data is static when its parameters are
// constant: clamped ends, negative steps, negative axes, dynamic sizes kept
// where the axis is not sliced.
// CHECK-LABEL: func.func @slice_constant_parameters
// CHECK: -> tensor<?x2xf32>
// CHECK: -> tensor<4x3xf32>
// CHECK: -> tensor<?x0xf32>
func.func @slice_constant_parameters(%x: tensor<?x6xf32>, %y: tensor<4x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %m2 = onnx.Constant dense<[-2]> : tensor<1xi64>
  %max = onnx.Constant dense<[9223372036854775807]> : tensor<1xi64>
  %axis = onnx.Constant dense<[-1]> : tensor<1xi64>
  %0 = onnx.Slice %x, %m2, %max, %axis, %none : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  %m1 = onnx.Constant dense<[-1]> : tensor<1xi64>
  %min = onnx.Constant dense<[-9223372036854775808]> : tensor<1xi64>
  %step = onnx.Constant dense<[-2]> : tensor<1xi64>
  %1 = onnx.Slice %y, %m1, %min, %axis, %step : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  %three = onnx.Constant dense<[3]> : tensor<1xi64>
  %one = onnx.Constant dense<[1]> : tensor<1xi64>
  %2 = onnx.Slice %x, %three, %one, %axis, %none : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Slice keeps what it knows when parameters are not constant:
// only the sliced axis is dynamic for constant axes, every axis for
// non-constant axes, and the rank of unranked data stays unknown.
// CHECK-LABEL: func.func @slice_unknown_parameters
// CHECK: -> tensor<4x?xf32>
// CHECK: -> tensor<?x?xf32>
// CHECK: -> tensor<*xf32>
func.func @slice_unknown_parameters(%x: tensor<4x6xf32>, %u: tensor<*xf32>, %starts: tensor<1xi64>, %axes: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %axis = onnx.Constant dense<[1]> : tensor<1xi64>
  %0 = onnx.Slice %x, %starts, %starts, %axis, %none : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  %1 = onnx.Slice %x, %starts, %starts, %axes, %none : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  %2 = onnx.Slice %u, %starts, %starts, %axis, %none : (tensor<*xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Concat sums the axis sizes, takes the other sizes from any
// input that knows them, and gives a dynamic axis when one input's is.
// CHECK-LABEL: func.func @concat
// CHECK: -> tensor<2x7xf32>
// CHECK: -> tensor<2x?xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<?x4xf32>, %c: tensor<2x?xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Concat %a, %b {axis = 1 : si64} : (tensor<2x3xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  %1 = onnx.Concat %b, %c, %a {axis = -1 : si64} : (tensor<?x4xf32>, tensor<2x?xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Unsqueeze inserts ones at constant axes (negative ones index
// the output), and knows only the rank for non-constant axes.
// CHECK-LABEL: func.func @unsqueeze
// CHECK: -> tensor<1x?x3x1xf32>
// CHECK: -> tensor<?x?x?x?xf32>
func.func @unsqueeze(%x: tensor<?x3xf32>, %axes: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %0 = onnx.Unsqueeze %x, %c : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = onnx.Unsqueeze %x, %axes : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Unsqueeze takes one axis given as a scalar, as torch's dynamo
// exporter may write it (constant or not).
// CHECK-LABEL: func.func @unsqueeze_scalar_axis
// CHECK: -> tensor<?x1x3xf32>
// CHECK: -> tensor<?x?x?xf32>
func.func @unsqueeze_scalar_axis(%x: tensor<?x3xf32>, %axis: tensor<i64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Constant dense<1> : tensor<i64>
  %0 = onnx.Unsqueeze %x, %c : (tensor<?x3xf32>, tensor<i64>) -> tensor<*xf32>
  %1 = onnx.Unsqueeze %x, %axis : (tensor<?x3xf32>, tensor<i64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Squeeze removes constant axes (a dynamic one assumed 1), every
// size-1 dimension without axes, and stays unranked without axes when a
// size is dynamic.
// CHECK-LABEL: func.func @squeeze
// CHECK: -> tensor<3x1xf32>
// CHECK: -> tensor<3xf32>
// CHECK: -> tensor<*xf32>
// CHECK: -> tensor<?xf32>
func.func @squeeze(%x: tensor<?x3x1xf32>, %y: tensor<1x3x1xf32>, %axes: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %c = onnx.Constant dense<[0]> : tensor<1xi64>
  %0 = onnx.Squeeze %x, %c : (tensor<?x3x1xf32>, tensor<1xi64>) -> tensor<*xf32>
  %1 = onnx.Squeeze %y, %none : (tensor<1x3x1xf32>, none) -> tensor<*xf32>
  %2 = onnx.Squeeze %x, %none : (tensor<?x3x1xf32>, none) -> tensor<*xf32>
  %3 = onnx.Squeeze %x, %axes : (tensor<?x3x1xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Reshape resolves 0 (copy) and -1 from a constant shape, also
// next to a copied dynamic size; with allowzero = 1 a 0 is a size; a
// non-constant shape gives the rank.
// CHECK-LABEL: func.func @reshape
// CHECK: -> tensor<2x950x8x32xf32>
// CHECK: -> tensor<?x243200xf32>
// CHECK: -> tensor<0x4xf32>
// CHECK: -> tensor<?x?x?xf32>
func.func @reshape(%x: tensor<2x950x256xf32>, %y: tensor<?x950x256xf32>, %z: tensor<0x2x2xf32>, %shape: tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %heads = onnx.Constant dense<[0, 0, 8, -1]> : tensor<4xi64>
  %0 = onnx.Reshape %x, %heads : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<*xf32>
  %flat = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %1 = onnx.Reshape %y, %flat : (tensor<?x950x256xf32>, tensor<2xi64>) -> tensor<*xf32>
  %zero = onnx.Constant dense<[0, 4]> : tensor<2xi64>
  %2 = onnx.Reshape %z, %zero {allowzero = 1 : si64} : (tensor<0x2x2xf32>, tensor<2xi64>) -> tensor<*xf32>
  %3 = onnx.Reshape %x, %shape : (tensor<2x950x256xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Transpose permutes the sizes, reverses them by default, and
// takes the rank of unranked data from perm.
// CHECK-LABEL: func.func @transpose
// CHECK: -> tensor<2x8x950x32xf32>
// CHECK: -> tensor<32x8x950x2xf32>
// CHECK: -> tensor<?x?x?xf32>
func.func @transpose(%x: tensor<2x950x8x32xf32>, %u: tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x950x8x32xf32>) -> tensor<*xf32>
  %1 = onnx.Transpose %x : (tensor<2x950x8x32xf32>) -> tensor<*xf32>
  %2 = onnx.Transpose %u {perm = array<i64: 1, 2, 0>} : (tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Flatten multiplies the sizes around the axis (0 and the rank
// included), dynamic where a size is.
// CHECK-LABEL: func.func @flatten
// CHECK: -> tensor<1x24xf32>
// CHECK: -> tensor<24x1xf32>
// CHECK: -> tensor<?x12xf32>
// CHECK: -> tensor<?x?xf32>
func.func @flatten(%x: tensor<2x3x4xf32>, %y: tensor<?x3x4xf32>, %u: tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.Flatten %x {axis = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %1 = onnx.Flatten %x {axis = 3 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %2 = onnx.Flatten %y : (tensor<?x3x4xf32>) -> tensor<*xf32>
  %3 = onnx.Flatten %u : (tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Expand broadcasts both ways from a constant shape, and keeps
// the input's sizes other than 1 for a non-constant one.
// CHECK-LABEL: func.func @expand
// CHECK: -> tensor<2x3x4xf32>
// CHECK: -> tensor<?x3x?xf32>
func.func @expand(%x: tensor<3x1xf32>, %shape: tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = onnx.Expand %x, %c : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<*xf32>
  %1 = onnx.Expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Tile multiplies by constant repeats (0 gives 0 even for a
// dynamic size) and knows only the rank otherwise.
// CHECK-LABEL: func.func @tile
// CHECK: -> tensor<200x0xf32>
// CHECK: -> tensor<?x?xf32>
func.func @tile(%x: tensor<1x?xf32>, %repeats: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Constant dense<[200, 0]> : tensor<2xi64>
  %0 = onnx.Tile %x, %c : (tensor<1x?xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = onnx.Tile %x, %repeats : (tensor<1x?xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that ConstantOfShape takes its shape from a constant input and its
// element type from value, f32 by default.
// CHECK-LABEL: func.func @constant_of_shape
// CHECK: -> tensor<25x38xi1>
// CHECK: -> tensor<?x?xf32>
func.func @constant_of_shape(%shape: tensor<2xi64>) -> (tensor<*xi1>, tensor<*xf32>) {
  %c = onnx.Constant dense<[25, 38]> : tensor<2xi64>
  %0 = onnx.ConstantOfShape %c {value = dense<false> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<*xi1>
  %1 = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xi1>, tensor<*xf32>
}

// -----

// Tests that Range's length is max(ceil((limit - start) / delta), 0) for
// constant operands and dynamic otherwise.
// CHECK-LABEL: func.func @range
// CHECK: -> tensor<4xi64>
// CHECK: -> tensor<0xi64>
// CHECK: -> tensor<128xf32>
// CHECK: -> tensor<?xi64>
func.func @range(%n: tensor<i64>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xf32>, tensor<*xi64>) {
  %c0 = onnx.Constant dense<0> : tensor<i64>
  %c7 = onnx.Constant dense<7> : tensor<i64>
  %c2 = onnx.Constant dense<2> : tensor<i64>
  %0 = onnx.Range %c0, %c7, %c2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  %1 = onnx.Range %c7, %c0, %c2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  %f0 = onnx.Constant dense<0.0> : tensor<f32>
  %f128 = onnx.Constant dense<128.0> : tensor<f32>
  %f1 = onnx.Constant dense<1.0> : tensor<f32>
  %2 = onnx.Range %f0, %f128, %f1 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %3 = onnx.Range %c0, %n, %c2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  return %0, %1, %2, %3 : tensor<*xi64>, tensor<*xi64>, tensor<*xf32>, tensor<*xi64>
}

// -----

// Tests that Split takes the parts from a constant split input, from
// num_outputs (the last part smaller), and leaves them dynamic for a
// non-constant split.
// CHECK-LABEL: func.func @split
// CHECK: -> (tensor<2x1xf32>, tensor<2x7xf32>)
// CHECK: -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>)
// CHECK: -> (tensor<2x?xf32>, tensor<2x?xf32>)
func.func @split(%x: tensor<2x8xf32>, %split: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %c = onnx.Constant dense<[1, 7]> : tensor<2xi64>
  %0:2 = onnx.Split %x, %c {axis = 1 : si64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  %1:3 = onnx.Split %x, %none {axis = -1 : si64, num_outputs = 3 : si64} : (tensor<2x8xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %2:2 = onnx.Split %x, %split {axis = 1 : si64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %0#0, %1#2, %2#1 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Pad adds constant pads, on opset 18's axes too, and leaves
// every size dynamic for non-constant pads.
// CHECK-LABEL: func.func @pad
// CHECK: -> tensor<3x6xf32>
// CHECK: -> tensor<2x1xf32>
// CHECK: -> tensor<?x?xf32>
func.func @pad(%x: tensor<2x3xf32>, %pads: tensor<4xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %c = onnx.Constant dense<[1, 2, 0, 1]> : tensor<4xi64>
  %0 = onnx.Pad %x, %c, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<*xf32>
  %crop = onnx.Constant dense<[-1, -1]> : tensor<2xi64>
  %axes = onnx.Constant dense<[-1]> : tensor<1xi64>
  %1 = onnx.Pad %x, %crop, %none, %axes {mode = "edge"} : (tensor<2x3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<*xf32>
  %2 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that Resize takes constant sizes, floors size * scale (in f32), uses
// opset 18's axes, and leaves only resized sizes dynamic when they are not
// constant.
// CHECK-LABEL: func.func @resize
// CHECK: -> tensor<1x1x25x38xf32>
// CHECK: -> tensor<1x1x8x12xf32>
// CHECK: -> tensor<1x1x50x76xf32>
// CHECK: -> tensor<1x1x?x?xf32>
func.func @resize(%x: tensor<1x1x800x1216xf32>, %y: tensor<1x1x25x38xf32>, %sizes: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %c = onnx.Constant dense<[1, 1, 25, 38]> : tensor<4xi64>
  %0 = onnx.Resize %x, %none, %none, %c : (tensor<1x1x800x1216xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  %roi = onnx.Constant dense<> : tensor<0xf32>
  %scales = onnx.Constant dense<[1.0, 1.0, 0.32, 0.33]> : tensor<4xf32>
  %1 = onnx.Resize %y, %roi, %scales, %none : (tensor<1x1x25x38xf32>, tensor<0xf32>, tensor<4xf32>, none) -> tensor<*xf32>
  %two = onnx.Constant dense<2.0> : tensor<2xf32>
  %2 = onnx.Resize %y, %none, %two, %none {axes = array<i64: 2, -1>, mode = "linear"} : (tensor<1x1x25x38xf32>, none, tensor<2xf32>, none) -> tensor<*xf32>
  %3 = onnx.Resize %y, %none, %none, %sizes {axes = array<i64: 2, 3>} : (tensor<1x1x25x38xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Tests that keep_aspect_ratio_policy takes one scale for the resized axes,
// the least (not_larger: 4 / 7) or greatest (not_smaller: 20 / 9) of the
// sizes' ratios, and rounds the sizes half up from it (7 * 4/7 = 4,
// 9 * 4/7 = 5.14 to 5; 7 * 20/9 = 15.6 to 16, 9 * 20/9 = 20).
// CHECK-LABEL: func.func @resize_keep_aspect
// CHECK: -> tensor<1x2x4x5xf32>
// CHECK: -> tensor<1x2x16x20xf32>
// CHECK: -> tensor<1x2x4x20xf32>
func.func @resize_keep_aspect(%x: tensor<1x2x7x9xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue
  %sizes = onnx.Constant dense<[4, 20]> : tensor<2xi64>
  %0 = onnx.Resize %x, %none, %none, %sizes {axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger"} : (tensor<1x2x7x9xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  %1 = onnx.Resize %x, %none, %none, %sizes {axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_smaller", mode = "cubic"} : (tensor<1x2x7x9xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  %2 = onnx.Resize %x, %none, %none, %sizes {axes = array<i64: 2, 3>, mode = "linear", antialias = 1 : si64} : (tensor<1x2x7x9xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @scatter
// CHECK: onnx.ScatterElements {{.*}} -> tensor<2x5xf32>
// CHECK: onnx.ScatterND {{.*}} -> tensor<4x3x2xf32>
func.func @scatter(%d: tensor<2x5xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xf32>, %n: tensor<4x3x2xf32>, %t: tensor<5x2xi64>, %v: tensor<5x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.ScatterElements %d, %i, %u {axis = -1 : si64, reduction = "max"} : (tensor<2x5xf32>, tensor<2x3xi32>, tensor<2x3xf32>) -> tensor<*xf32>
  %1 = onnx.ScatterND %n, %t, %v {reduction = "mul"} : (tensor<4x3x2xf32>, tensor<5x2xi64>, tensor<5x2xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @gather_nd
// CHECK: onnx.GatherND {{.*}} -> tensor<5x7x6xf32>
// CHECK: onnx.GatherND {{.*}} -> tensor<3x7x5xf32>
func.func @gather_nd(%d: tensor<4x5x6xf32>, %i: tensor<5x7x2xi64>, %b: tensor<3x4x5xf32>, %j: tensor<3x7x1xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = onnx.GatherND %d, %i : (tensor<4x5x6xf32>, tensor<5x7x2xi64>) -> tensor<*xf32>
  %1 = onnx.GatherND %b, %j {batch_dims = 1 : si64} : (tensor<3x4x5xf32>, tensor<3x7x1xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}
