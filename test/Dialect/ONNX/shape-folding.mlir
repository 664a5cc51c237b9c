// RUN: intr-opt %s --canonicalize --split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

// Tests that Shape of a statically shaped, non-constant input folds.
// CHECK-LABEL: func.func @shape_static
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<[1, 256, 25, 38]> : tensor<4xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_static(%x: tensor<1x256x25x38xf32>) -> tensor<4xi64> {
  %0 = onnx.Shape %x : (tensor<1x256x25x38xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Tests that Shape's start and end count from the end when negative and are
// clamped to [0, rank], an empty range giving an empty shape.
// CHECK-LABEL: func.func @shape_start_end
// CHECK-DAG: %[[LAST2:.*]] = onnx.Constant dense<[25, 38]> : tensor<2xi64>
// CHECK-DAG: %[[MID:.*]] = onnx.Constant dense<[256, 25]> : tensor<2xi64>
// CHECK-DAG: %[[ALL:.*]] = onnx.Constant dense<[1, 256, 25, 38]> : tensor<4xi64>
// CHECK-DAG: %[[NONE:.*]] = onnx.Constant dense<> : tensor<0xi64>
// CHECK: return %[[LAST2]], %[[MID]], %[[ALL]], %[[NONE]]
func.func @shape_start_end(%x: tensor<1x256x25x38xf32>) -> (tensor<2xi64>, tensor<2xi64>, tensor<4xi64>, tensor<0xi64>) {
  %0 = onnx.Shape %x {start = -2 : si64} : (tensor<1x256x25x38xf32>) -> tensor<2xi64>
  %1 = onnx.Shape %x {start = 1 : si64, end = -1 : si64} : (tensor<1x256x25x38xf32>) -> tensor<2xi64>
  %2 = onnx.Shape %x {start = -10 : si64, end = 10 : si64} : (tensor<1x256x25x38xf32>) -> tensor<4xi64>
  %3 = onnx.Shape %x {start = 3 : si64, end = 1 : si64} : (tensor<1x256x25x38xf32>) -> tensor<0xi64>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2xi64>, tensor<4xi64>, tensor<0xi64>
}

// -----

// Tests that Shape folds when the sizes it selects are static, and stays
// when one of them is dynamic.
// CHECK-LABEL: func.func @shape_partly_dynamic
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[25, 38]> : tensor<2xi64>
// CHECK-DAG: %[[S:.*]] = onnx.Shape %arg0 : (tensor<?x256x25x38xf32>) -> tensor<4xi64>
// CHECK: return %[[C]], %[[S]]
func.func @shape_partly_dynamic(%x: tensor<?x256x25x38xf32>) -> (tensor<2xi64>, tensor<4xi64>) {
  %0 = onnx.Shape %x {start = 2 : si64} : (tensor<?x256x25x38xf32>) -> tensor<2xi64>
  %1 = onnx.Shape %x : (tensor<?x256x25x38xf32>) -> tensor<4xi64>
  return %0, %1 : tensor<2xi64>, tensor<4xi64>
}

// -----

// Tests that Gather and Slice of a Shape fold when the sizes they read are
// static, although the Shape itself (dynamic batch) does not.
// CHECK-LABEL: func.func @shape_then_pick
// CHECK-DAG: %[[H:.*]] = onnx.Constant dense<25> : tensor<i64>
// CHECK-DAG: %[[HW:.*]] = onnx.Constant dense<[25, 38]> : tensor<2xi64>
// CHECK-DAG: %[[S:.*]] = onnx.Shape %arg0
// CHECK-DAG: %[[B:.*]] = onnx.Gather %[[S]]
// CHECK: return %[[H]], %[[HW]], %[[B]]
func.func @shape_then_pick(%x: tensor<?x256x25x38xf32>) -> (tensor<i64>, tensor<2xi64>, tensor<i64>) {
  %none = onnx.NoValue
  %s = onnx.Shape %x : (tensor<?x256x25x38xf32>) -> tensor<4xi64>
  %two = onnx.Constant dense<2> : tensor<i64>
  %zero = onnx.Constant dense<0> : tensor<i64>
  %h = onnx.Gather %s, %two {axis = 0 : si64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %start = onnx.Constant dense<[-2]> : tensor<1xi64>
  %end = onnx.Constant dense<[9223372036854775807]> : tensor<1xi64>
  %hw = onnx.Slice %s, %start, %end, %none, %none : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi64>
  %b = onnx.Gather %s, %zero {axis = 0 : si64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  return %h, %hw, %b : tensor<i64>, tensor<2xi64>, tensor<i64>
}

// -----

// Tests the exporters' shape arithmetic end to end: Shape, Gather,
// Unsqueeze, Concat and Mul-free reshaping to heads fold to a constant
// Reshape shape although the data is not constant.
// CHECK-LABEL: func.func @exporter_shape_chain
// CHECK-DAG: %[[SHAPE:.*]] = onnx.Constant dense<[2, 950, 8, 32]> : tensor<4xi64>
// CHECK: %[[R:.*]] = onnx.Reshape %arg0, %[[SHAPE]] : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<2x950x8x32xf32>
// CHECK-NEXT: return %[[R]]
func.func @exporter_shape_chain(%x: tensor<2x950x256xf32>) -> tensor<2x950x8x32xf32> {
  %s = onnx.Shape %x : (tensor<2x950x256xf32>) -> tensor<3xi64>
  %i0 = onnx.Constant dense<0> : tensor<i64>
  %i1 = onnx.Constant dense<1> : tensor<i64>
  %axes = onnx.Constant dense<[0]> : tensor<1xi64>
  %b = onnx.Gather %s, %i0 {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %t = onnx.Gather %s, %i1 {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %b1 = onnx.Unsqueeze %b, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %t1 = onnx.Unsqueeze %t, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %heads = onnx.Constant dense<[8, 32]> : tensor<2xi64>
  %shape = onnx.Concat %b1, %t1, %heads {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
  %r = onnx.Reshape %x, %shape : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<2x950x8x32xf32>
  return %r : tensor<2x950x8x32xf32>
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

// -----

// Tests that Gather folds along an inner axis with negative indices.
// CHECK-LABEL: func.func @gather_axis1
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<{{\[}}[3, 2], [6, 5]]> : tensor<2x2xi64>
// CHECK-NEXT: return %[[C]]
func.func @gather_axis1() -> tensor<2x2xi64> {
  %data = onnx.Constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %indices = onnx.Constant dense<[-1, 1]> : tensor<2xi64>
  %0 = onnx.Gather %data, %indices {axis = -1 : si64} : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// Tests that Gather with a scalar index drops the axis, and that 2-D
// indices insert their shape, on f32 data with i32 indices.
// CHECK-LABEL: func.func @gather_index_shapes
// CHECK-DAG: %[[ROW:.*]] = onnx.Constant dense<[4.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[GRID:.*]] = onnx.Constant dense<{{\[}}{{\[}}[4.000000e+00, 5.000000e+00, 6.000000e+00], [1.000000e+00, 2.000000e+00, 3.000000e+00]], {{\[}}[4.000000e+00, 5.000000e+00, 6.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]]> : tensor<2x2x3xf32>
// CHECK: return %[[ROW]], %[[GRID]]
func.func @gather_index_shapes() -> (tensor<3xf32>, tensor<2x2x3xf32>) {
  %data = onnx.Constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %scalar = onnx.Constant dense<1> : tensor<i32>
  %grid = onnx.Constant dense<[[1, 0], [-1, 1]]> : tensor<2x2xi32>
  %0 = onnx.Gather %data, %scalar : (tensor<2x3xf32>, tensor<i32>) -> tensor<3xf32>
  %1 = onnx.Gather %data, %grid : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<2x2x3xf32>
  return %0, %1 : tensor<3xf32>, tensor<2x2x3xf32>
}

// -----

// Tests that Gather folds i1 data.
// CHECK-LABEL: func.func @gather_bool
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-NEXT: return %[[C]]
func.func @gather_bool() -> tensor<3xi1> {
  %data = onnx.Constant dense<[false, true]> : tensor<2xi1>
  %indices = onnx.Constant dense<[1, 0, 1]> : tensor<3xi64>
  %0 = onnx.Gather %data, %indices : (tensor<2xi1>, tensor<3xi64>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

// -----

// Tests that Slice folds with axes and steps left out.
// CHECK-LABEL: func.func @slice_default_axes
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<[2, 3]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @slice_default_axes() -> tensor<2xi64> {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %starts = onnx.Constant dense<[1]> : tensor<1xi64>
  %ends = onnx.Constant dense<[3]> : tensor<1xi64>
  %0 = onnx.Slice %data, %starts, %ends, %none, %none : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests Slice's clamping: a negative start counts from the end, an end of
// INT64_MAX or beyond the size means the end, a start before the beginning
// is clamped to 0, and an end before the start gives nothing.
// CHECK-LABEL: func.func @slice_clamping
// CHECK-DAG: %[[TAIL:.*]] = onnx.Constant dense<[4, 5]> : tensor<2xi64>
// CHECK-DAG: %[[ALL:.*]] = onnx.Constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
// CHECK-DAG: %[[EMPTY:.*]] = onnx.Constant dense<> : tensor<0xi64>
// CHECK: return %[[TAIL]], %[[ALL]], %[[EMPTY]]
func.func @slice_clamping() -> (tensor<2xi64>, tensor<5xi64>, tensor<0xi64>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
  %m2 = onnx.Constant dense<[-2]> : tensor<1xi64>
  %max = onnx.Constant dense<[9223372036854775807]> : tensor<1xi64>
  %m100 = onnx.Constant dense<[-100]> : tensor<1xi64>
  %p100 = onnx.Constant dense<[100]> : tensor<1xi64>
  %three = onnx.Constant dense<[3]> : tensor<1xi64>
  %one = onnx.Constant dense<[1]> : tensor<1xi64>
  %0 = onnx.Slice %data, %m2, %max, %none, %none : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi64>
  %1 = onnx.Slice %data, %m100, %p100, %none, %none : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<5xi64>
  %2 = onnx.Slice %data, %three, %one, %none, %none : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<0xi64>
  return %0, %1, %2 : tensor<2xi64>, tensor<5xi64>, tensor<0xi64>
}

// -----

// Tests Slice with negative steps: reversing everything (start -1, end
// INT64_MIN), a start beyond the size clamped to the last element, and an
// end of -1 after counting from the end (which stops at position size-1).
// CHECK-LABEL: func.func @slice_negative_steps
// CHECK-DAG: %[[REV:.*]] = onnx.Constant dense<[5, 4, 3, 2, 1]> : tensor<5xi64>
// CHECK-DAG: %[[ODD:.*]] = onnx.Constant dense<[5, 3]> : tensor<2xi64>
// CHECK-DAG: %[[EMPTY:.*]] = onnx.Constant dense<> : tensor<0xi64>
// CHECK: return %[[REV]], %[[ODD]], %[[EMPTY]]
func.func @slice_negative_steps() -> (tensor<5xi64>, tensor<2xi64>, tensor<0xi64>) {
  %none = onnx.NoValue
  %axes = onnx.Constant dense<[0]> : tensor<1xi64>
  %data = onnx.Constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
  %m1 = onnx.Constant dense<[-1]> : tensor<1xi64>
  %min = onnx.Constant dense<[-9223372036854775808]> : tensor<1xi64>
  %p100 = onnx.Constant dense<[100]> : tensor<1xi64>
  %zero = onnx.Constant dense<[0]> : tensor<1xi64>
  %m2 = onnx.Constant dense<[-2]> : tensor<1xi64>
  %0 = onnx.Slice %data, %m1, %min, %axes, %m1 : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<5xi64>
  %1 = onnx.Slice %data, %p100, %zero, %axes, %m2 : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %2 = onnx.Slice %data, %p100, %m1, %axes, %m1 : (tensor<5xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xi64>
  return %0, %1, %2 : tensor<5xi64>, tensor<2xi64>, tensor<0xi64>
}

// -----

// Tests that Slice folds on a 2-D f32 constant with a negative axis and a
// step of 2.
// CHECK-LABEL: func.func @slice_axes_steps
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<{{\[}}[0.000000e+00, 2.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @slice_axes_steps() -> tensor<2x2xf32> {
  %data = onnx.Constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>
  %starts = onnx.Constant dense<[0]> : tensor<1xi64>
  %ends = onnx.Constant dense<[4]> : tensor<1xi64>
  %axes = onnx.Constant dense<[-1]> : tensor<1xi64>
  %steps = onnx.Constant dense<[2]> : tensor<1xi64>
  %0 = onnx.Slice %data, %starts, %ends, %axes, %steps : (tensor<2x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Tests that a Slice taking everything folds to its (non-constant) input,
// with static and dynamic sizes, and that a reversal does not.
// CHECK-LABEL: func.func @slice_everything
// CHECK: %[[REV:.*]] = onnx.Slice %arg0
// CHECK: return %arg0, %arg1, %[[REV]]
func.func @slice_everything(%x: tensor<4x6xf32>, %y: tensor<?x6xf32>) -> (tensor<4x6xf32>, tensor<?x6xf32>, tensor<4x6xf32>) {
  %none = onnx.NoValue
  %zero = onnx.Constant dense<[0, 0]> : tensor<2xi64>
  %big = onnx.Constant dense<[4, 100]> : tensor<2xi64>
  %max = onnx.Constant dense<[9223372036854775807]> : tensor<1xi64>
  %zero1 = onnx.Constant dense<[0]> : tensor<1xi64>
  %m1 = onnx.Constant dense<[-1]> : tensor<1xi64>
  %min = onnx.Constant dense<[-9223372036854775808]> : tensor<1xi64>
  %0 = onnx.Slice %x, %zero, %big, %none, %none : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, none, none) -> tensor<4x6xf32>
  %1 = onnx.Slice %y, %zero1, %max, %none, %none : (tensor<?x6xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?x6xf32>
  %2 = onnx.Slice %x, %m1, %min, %zero1, %m1 : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x6xf32>
  return %0, %1, %2 : tensor<4x6xf32>, tensor<?x6xf32>, tensor<4x6xf32>
}

// -----

// Tests that a Slice taking exactly one input of a Concat along its axis
// folds to that input: the last of three inputs (its start counted from
// the end, its end past the size, through the Concat's negative axis) and
// the middle one; a Slice spanning two inputs, one taking part of an
// input, one by 2, and one that also narrows another axis do not.
// CHECK-LABEL: func.func @slice_of_concat
// CHECK-COUNT-4: onnx.Slice %{{[0-9]+}},
// CHECK: return %arg2, %arg1,
func.func @slice_of_concat(%a: tensor<1x2x3xf32>, %b: tensor<2x2x3xf32>, %c: tensor<1x2x3xf32>) -> (tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<2x1x3xf32>) {
  %none = onnx.NoValue
  %cat = onnx.Concat %a, %b, %c {axis = -3 : si64} : (tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<1x2x3xf32>) -> tensor<4x2x3xf32>
  %m1 = onnx.Constant dense<[-1]> : tensor<1xi64>
  %max = onnx.Constant dense<[9223372036854775807]> : tensor<1xi64>
  %zero = onnx.Constant dense<[0]> : tensor<1xi64>
  %one = onnx.Constant dense<[1]> : tensor<1xi64>
  %two = onnx.Constant dense<[2]> : tensor<1xi64>
  %three = onnx.Constant dense<[3]> : tensor<1xi64>
  %four = onnx.Constant dense<[4]> : tensor<1xi64>
  %s01 = onnx.Constant dense<[1, 0]> : tensor<2xi64>
  %e01 = onnx.Constant dense<[3, 1]> : tensor<2xi64>
  %ax01 = onnx.Constant dense<[0, 1]> : tensor<2xi64>
  %last = onnx.Slice %cat, %m1, %max, %zero, %none : (tensor<4x2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<1x2x3xf32>
  %middle = onnx.Slice %cat, %one, %three, %none, %none : (tensor<4x2x3xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2x2x3xf32>
  %span = onnx.Slice %cat, %two, %four, %zero, %none : (tensor<4x2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<2x2x3xf32>
  %part = onnx.Slice %cat, %two, %three, %zero, %none : (tensor<4x2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<1x2x3xf32>
  %strided = onnx.Slice %cat, %zero, %four, %zero, %two : (tensor<4x2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2x3xf32>
  %narrow = onnx.Slice %cat, %s01, %e01, %ax01, %none : (tensor<4x2x3xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, none) -> tensor<2x1x3xf32>
  return %last, %middle, %span, %part, %strided, %narrow : tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<2x1x3xf32>
}

// -----

// Tests that the data movement folders handle other element types: bf16
// Slice, ui8 Transpose, f16 Tile.
// CHECK-LABEL: func.func @other_element_types
// CHECK-DAG: %[[BF16:.*]] = onnx.Constant dense<[3.000000e+00, 2.000000e+00]> : tensor<2xbf16>
// CHECK-DAG: %[[UI8:.*]] = onnx.Constant dense<{{\[}}[1, 255], [2, 0]]> : tensor<2x2xui8>
// CHECK-DAG: %[[F16:.*]] = onnx.Constant dense<[5.000000e-01, 1.500000e+00, 5.000000e-01, 1.500000e+00]> : tensor<4xf16>
// CHECK: return %[[BF16]], %[[UI8]], %[[F16]]
func.func @other_element_types() -> (tensor<2xbf16>, tensor<2x2xui8>, tensor<4xf16>) {
  %none = onnx.NoValue
  %b = onnx.Constant dense<[1.0, 2.0, 3.0]> : tensor<3xbf16>
  %start = onnx.Constant dense<[2]> : tensor<1xi64>
  %end = onnx.Constant dense<[0]> : tensor<1xi64>
  %step = onnx.Constant dense<[-1]> : tensor<1xi64>
  %0 = onnx.Slice %b, %start, %end, %none, %step : (tensor<3xbf16>, tensor<1xi64>, tensor<1xi64>, none, tensor<1xi64>) -> tensor<2xbf16>
  %u = onnx.Constant dense<[[1, 2], [255, 0]]> : tensor<2x2xui8>
  %1 = onnx.Transpose %u : (tensor<2x2xui8>) -> tensor<2x2xui8>
  %h = onnx.Constant dense<[0.5, 1.5]> : tensor<2xf16>
  %repeats = onnx.Constant dense<[2]> : tensor<1xi64>
  %2 = onnx.Tile %h, %repeats : (tensor<2xf16>, tensor<1xi64>) -> tensor<4xf16>
  return %0, %1, %2 : tensor<2xbf16>, tensor<2x2xui8>, tensor<4xf16>
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

// -----

// Tests that Concat folds 1-D shapes and 2-D f32 data along axis -1.
// CHECK-LABEL: func.func @concat
// CHECK-DAG: %[[SHAPE:.*]] = onnx.Constant dense<[1, 2, 3]> : tensor<3xi64>
// CHECK-DAG: %[[DATA:.*]] = onnx.Constant dense<{{\[}}[1.000000e+00, 5.000000e+00, 6.000000e+00], [2.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<2x3xf32>
// CHECK: return %[[SHAPE]], %[[DATA]]
func.func @concat() -> (tensor<3xi64>, tensor<2x3xf32>) {
  %a = onnx.Constant dense<[1]> : tensor<1xi64>
  %b = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %0 = onnx.Concat %a, %b {axis = 0 : si64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %c = onnx.Constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %d = onnx.Constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  %1 = onnx.Concat %c, %d {axis = -1 : si64} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<3xi64>, tensor<2x3xf32>
}

// -----

// Tests that Concat folds i1 constants and that Concat of one input is its
// input.
// CHECK-LABEL: func.func @concat_bool_single
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[true, false, false]> : tensor<3xi1>
// CHECK: return %[[C]], %arg0
func.func @concat_bool_single(%x: tensor<2x3xf32>) -> (tensor<3xi1>, tensor<2x3xf32>) {
  %a = onnx.Constant dense<true> : tensor<1xi1>
  %b = onnx.Constant dense<false> : tensor<2xi1>
  %0 = onnx.Concat %a, %b {axis = 0 : si64} : (tensor<1xi1>, tensor<2xi1>) -> tensor<3xi1>
  %1 = onnx.Concat %x {axis = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<3xi1>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Unsqueeze, Squeeze, Reshape, Flatten
//===----------------------------------------------------------------------===//

// -----

// Tests that Unsqueeze folds a constant scalar and a matrix at a negative
// axis.
// CHECK-LABEL: func.func @unsqueeze
// CHECK-DAG: %[[S:.*]] = onnx.Constant dense<7> : tensor<1xi64>
// CHECK-DAG: %[[M:.*]] = onnx.Constant dense<{{\[}}{{\[}}[1.000000e+00], [2.000000e+00]]]> : tensor<1x2x1xf32>
// CHECK: return %[[S]], %[[M]]
func.func @unsqueeze() -> (tensor<1xi64>, tensor<1x2x1xf32>) {
  %scalar = onnx.Constant dense<7> : tensor<i64>
  %axes0 = onnx.Constant dense<[0]> : tensor<1xi64>
  %0 = onnx.Unsqueeze %scalar, %axes0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %m = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  %axes = onnx.Constant dense<[0, -1]> : tensor<2xi64>
  %1 = onnx.Unsqueeze %m, %axes : (tensor<2xf32>, tensor<2xi64>) -> tensor<1x2x1xf32>
  return %0, %1 : tensor<1xi64>, tensor<1x2x1xf32>
}

// -----

// Tests that Squeeze folds with axes and without (all size-1 dimensions).
// CHECK-LABEL: func.func @squeeze
// CHECK-DAG: %[[A:.*]] = onnx.Constant dense<[1, 2]> : tensor<2xi64>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<{{\[}}[1, 2]]> : tensor<1x2xi64>
// CHECK: return %[[A]], %[[B]]
func.func @squeeze() -> (tensor<2xi64>, tensor<1x2xi64>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[[[1, 2]]]> : tensor<1x1x2xi64>
  %0 = onnx.Squeeze %data, %none : (tensor<1x1x2xi64>, none) -> tensor<2xi64>
  %axes = onnx.Constant dense<[-3]> : tensor<1xi64>
  %1 = onnx.Squeeze %data, %axes : (tensor<1x1x2xi64>, tensor<1xi64>) -> tensor<1x2xi64>
  return %0, %1 : tensor<2xi64>, tensor<1x2xi64>
}

// -----

// Tests that Squeeze and Unsqueeze with empty axes fold to their input,
// dynamic sizes included.
// CHECK-LABEL: func.func @squeeze_unsqueeze_identity
// CHECK-NOT: onnx.Squeeze
// CHECK-NOT: onnx.Unsqueeze
// CHECK: return %arg0, %arg0
func.func @squeeze_unsqueeze_identity(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %axes = onnx.Constant dense<> : tensor<0xi64>
  %0 = onnx.Squeeze %x, %axes : (tensor<?x3xf32>, tensor<0xi64>) -> tensor<?x3xf32>
  %1 = onnx.Unsqueeze %x, %axes : (tensor<?x3xf32>, tensor<0xi64>) -> tensor<?x3xf32>
  return %0, %1 : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

// Tests that Reshape folds a constant (with 0 and -1 in the shape) and
// that Reshape to the input's type is its input.
// CHECK-LABEL: func.func @reshape
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK: return %[[C]], %arg0
func.func @reshape(%x: tensor<2x3xf32>) -> (tensor<2x3xi64>, tensor<2x3xf32>) {
  %data = onnx.Constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
  %shape = onnx.Constant dense<[2, -1]> : tensor<2xi64>
  %0 = onnx.Reshape %data, %shape : (tensor<3x2xi64>, tensor<2xi64>) -> tensor<2x3xi64>
  %same = onnx.Constant dense<[0, 3]> : tensor<2xi64>
  %1 = onnx.Reshape %x, %same : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xi64>, tensor<2x3xf32>
}

// -----

// Tests that Flatten folds a constant and that Flatten of a matrix at axis 1
// is its input.
// CHECK-LABEL: func.func @flatten
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]]> : tensor<1x4xf32>
// CHECK: return %[[C]], %arg0
func.func @flatten(%x: tensor<2x3xf32>) -> (tensor<1x4xf32>, tensor<2x3xf32>) {
  %data = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = onnx.Flatten %data {axis = 0 : si64} : (tensor<2x2xf32>) -> tensor<1x4xf32>
  %1 = onnx.Flatten %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<1x4xf32>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

// -----

// Tests that Transpose folds with an explicit perm and with the default
// (reversed) one.
// CHECK-LABEL: func.func @transpose
// CHECK-DAG: %[[T:.*]] = onnx.Constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi64>
// CHECK-DAG: %[[R:.*]] = onnx.Constant dense<{{\[}}{{\[}}[0.000000e+00, 4.000000e+00], [2.000000e+00, 6.000000e+00]], {{\[}}[1.000000e+00, 5.000000e+00], [3.000000e+00, 7.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK: return %[[T]], %[[R]]
func.func @transpose() -> (tensor<3x2xi64>, tensor<2x2x2xf32>) {
  %a = onnx.Constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = onnx.Transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xi64>) -> tensor<3x2xi64>
  %b = onnx.Constant dense<[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]> : tensor<2x2x2xf32>
  %1 = onnx.Transpose %b : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  return %0, %1 : tensor<3x2xi64>, tensor<2x2x2xf32>
}

// -----

// Tests that Transpose with the identity perm is its input.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-NOT: onnx.Transpose
// CHECK: return %arg0
func.func @transpose_identity(%x: tensor<2x?x4xf32>) -> tensor<2x?x4xf32> {
  %0 = onnx.Transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x?x4xf32>) -> tensor<2x?x4xf32>
  return %0 : tensor<2x?x4xf32>
}

//===----------------------------------------------------------------------===//
// Expand, Tile, ConstantOfShape
//===----------------------------------------------------------------------===//

// -----

// Tests that Expand folds with bidirectional broadcasting (a 1 in the shape
// keeps the input's size), and that Expand to the input's type is its input.
// CHECK-LABEL: func.func @expand
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<{{\[}}{{\[}}[1, 1, 1], [2, 2, 2]], {{\[}}[1, 1, 1], [2, 2, 2]]]> : tensor<2x2x3xi64>
// CHECK: return %[[C]], %arg0
func.func @expand(%x: tensor<2x3xf32>) -> (tensor<2x2x3xi64>, tensor<2x3xf32>) {
  %data = onnx.Constant dense<[[1], [2]]> : tensor<2x1xi64>
  %shape = onnx.Constant dense<[2, 1, 3]> : tensor<3xi64>
  %0 = onnx.Expand %data, %shape : (tensor<2x1xi64>, tensor<3xi64>) -> tensor<2x2x3xi64>
  %ones = onnx.Constant dense<[1, 1]> : tensor<2xi64>
  %1 = onnx.Expand %x, %ones : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x2x3xi64>, tensor<2x3xf32>
}

// -----

// Tests that Tile folds, repeating each axis.
// CHECK-LABEL: func.func @tile
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<{{\[}}[1, 2, 1, 2], [3, 4, 3, 4], [1, 2, 1, 2], [3, 4, 3, 4]]> : tensor<4x4xi32>
// CHECK-NEXT: return %[[C]]
func.func @tile() -> tensor<4x4xi32> {
  %data = onnx.Constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %repeats = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %0 = onnx.Tile %data, %repeats : (tensor<2x2xi32>, tensor<2xi64>) -> tensor<4x4xi32>
  return %0 : tensor<4x4xi32>
}

// -----

// Tests that ConstantOfShape folds to splats: f32 zero by default, i64 and
// i1 values, and a scalar for an empty shape; Expand keeps a splat a splat.
// CHECK-LABEL: func.func @constant_of_shape
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[ONE:.*]] = onnx.Constant dense<1> : tensor<2x3xi64>
// CHECK-DAG: %[[TRUE:.*]] = onnx.Constant dense<true> : tensor<2x3xi1>
// CHECK-DAG: %[[SCALAR:.*]] = onnx.Constant dense<5> : tensor<i32>
// CHECK-DAG: %[[WIDE:.*]] = onnx.Constant dense<1> : tensor<4x2x3xi64>
// CHECK: return %[[ZERO]], %[[ONE]], %[[TRUE]], %[[SCALAR]], %[[WIDE]]
func.func @constant_of_shape() -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x3xi1>, tensor<i32>, tensor<4x2x3xi64>) {
  %shape = onnx.Constant dense<[2, 3]> : tensor<2xi64>
  %0 = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<2x3xf32>
  %1 = onnx.ConstantOfShape %shape {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<2x3xi64>
  %2 = onnx.ConstantOfShape %shape {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<2x3xi1>
  %empty = onnx.Constant dense<> : tensor<0xi64>
  %3 = onnx.ConstantOfShape %empty {value = dense<5> : tensor<1xi32>} : (tensor<0xi64>) -> tensor<i32>
  %wide = onnx.Constant dense<[4, 1, 1]> : tensor<3xi64>
  %4 = onnx.Expand %1, %wide : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<4x2x3xi64>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x3xi1>, tensor<i32>, tensor<4x2x3xi64>
}

// -----

// Tests that no result of more than 1<<20 elements is folded.
// CHECK-LABEL: func.func @fold_cap
// CHECK: onnx.ConstantOfShape
// CHECK: onnx.Tile
func.func @fold_cap() -> (tensor<1025x1024xf32>, tensor<2048x1024xi64>) {
  %shape = onnx.Constant dense<[1025, 1024]> : tensor<2xi64>
  %0 = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<1025x1024xf32>
  %data = onnx.Constant dense<[[1, 2]]> : tensor<1x2xi64>
  %repeats = onnx.Constant dense<[2048, 512]> : tensor<2xi64>
  %1 = onnx.Tile %data, %repeats : (tensor<1x2xi64>, tensor<2xi64>) -> tensor<2048x1024xi64>
  return %0, %1 : tensor<1025x1024xf32>, tensor<2048x1024xi64>
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

// -----

// Tests that Range folds on i64 (positive and negative delta, an empty
// range) and i32 scalars.
// CHECK-LABEL: func.func @range_int
// CHECK-DAG: %[[UP:.*]] = onnx.Constant dense<[0, 1, 2, 3, 4]> : tensor<5xi64>
// CHECK-DAG: %[[DOWN:.*]] = onnx.Constant dense<[10, 8, 6]> : tensor<3xi64>
// CHECK-DAG: %[[EMPTY:.*]] = onnx.Constant dense<> : tensor<0xi64>
// CHECK-DAG: %[[I32:.*]] = onnx.Constant dense<[1, 4, 7]> : tensor<3xi32>
// CHECK: return %[[UP]], %[[DOWN]], %[[EMPTY]], %[[I32]]
func.func @range_int() -> (tensor<5xi64>, tensor<3xi64>, tensor<0xi64>, tensor<3xi32>) {
  %c0 = onnx.Constant dense<0> : tensor<i64>
  %c1 = onnx.Constant dense<1> : tensor<i64>
  %c4 = onnx.Constant dense<4> : tensor<i64>
  %c5 = onnx.Constant dense<5> : tensor<i64>
  %c10 = onnx.Constant dense<10> : tensor<i64>
  %cm2 = onnx.Constant dense<-2> : tensor<i64>
  %0 = onnx.Range %c0, %c5, %c1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<5xi64>
  %1 = onnx.Range %c10, %c4, %cm2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<3xi64>
  %2 = onnx.Range %c5, %c0, %c1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<0xi64>
  %s = onnx.Constant dense<1> : tensor<i32>
  %l = onnx.Constant dense<8> : tensor<i32>
  %d = onnx.Constant dense<3> : tensor<i32>
  %3 = onnx.Range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<3xi32>
  return %0, %1, %2, %3 : tensor<5xi64>, tensor<3xi64>, tensor<0xi64>, tensor<3xi32>
}

// -----

// Tests that Range folds on f32 scalars with a fractional delta, the length
// rounded up.
// CHECK-LABEL: func.func @range_float
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<[0.000000e+00, 2.500000e-01, 5.000000e-01, 7.500000e-01, 1.000000e+00]> : tensor<5xf32>
// CHECK-NEXT: return %[[C]]
func.func @range_float() -> tensor<5xf32> {
  %start = onnx.Constant dense<0.0> : tensor<f32>
  %limit = onnx.Constant dense<1.1> : tensor<f32>
  %delta = onnx.Constant dense<0.25> : tensor<f32>
  %0 = onnx.Range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

// -----

// Tests that Split folds with a split input.
// CHECK-LABEL: func.func @split_input
// CHECK-DAG: %[[A:.*]] = onnx.Constant dense<{{\[}}[1.000000e+00], [5.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<{{\[}}[2.000000e+00, 3.000000e+00, 4.000000e+00], [6.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<2x3xf32>
// CHECK: return %[[A]], %[[B]]
func.func @split_input() -> (tensor<2x1xf32>, tensor<2x3xf32>) {
  %data = onnx.Constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %split = onnx.Constant dense<[1, 3]> : tensor<2xi64>
  %0:2 = onnx.Split %data, %split {axis = -1 : si64} : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<2x1xf32>, tensor<2x3xf32>)
  return %0#0, %0#1 : tensor<2x1xf32>, tensor<2x3xf32>
}

// -----

// Tests that Split folds with num_outputs and an uneven size, the last part
// smaller (opset 18).
// CHECK-LABEL: func.func @split_num_outputs
// CHECK-DAG: %[[A:.*]] = onnx.Constant dense<[1, 2, 3]> : tensor<3xi64>
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<[4, 5, 6]> : tensor<3xi64>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[7, 8]> : tensor<2xi64>
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @split_num_outputs() -> (tensor<3xi64>, tensor<3xi64>, tensor<2xi64>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi64>
  %0:3 = onnx.Split %data, %none {num_outputs = 3 : si64} : (tensor<8xi64>, none) -> (tensor<3xi64>, tensor<3xi64>, tensor<2xi64>)
  return %0#0, %0#1, %0#2 : tensor<3xi64>, tensor<3xi64>, tensor<2xi64>
}

// -----

// Tests that Split into one part is its input.
// CHECK-LABEL: func.func @split_single
// CHECK-NOT: onnx.Split
// CHECK: return %arg0
func.func @split_single(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %none = onnx.NoValue
  %0 = onnx.Split %x, %none {num_outputs = 1 : si64} : (tensor<2x4xf32>, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

// -----

// Tests that Pad folds in constant mode, with the default zero and with a
// constant_value.
// CHECK-LABEL: func.func @pad_constant
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant dense<{{\[}}[0, 0, 0, 0], [0, 1, 2, 0]]> : tensor<2x4xi64>
// CHECK-DAG: %[[NINE:.*]] = onnx.Constant dense<{{\[}}[9, 9, 9, 9], [9, 1, 2, 9]]> : tensor<2x4xi64>
// CHECK: return %[[ZERO]], %[[NINE]]
func.func @pad_constant() -> (tensor<2x4xi64>, tensor<2x4xi64>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[[1, 2]]> : tensor<1x2xi64>
  %pads = onnx.Constant dense<[1, 1, 0, 1]> : tensor<4xi64>
  %nine = onnx.Constant dense<9> : tensor<i64>
  %0 = onnx.Pad %data, %pads, %none, %none : (tensor<1x2xi64>, tensor<4xi64>, none, none) -> tensor<2x4xi64>
  %1 = onnx.Pad %data, %pads, %nine, %none : (tensor<1x2xi64>, tensor<4xi64>, tensor<i64>, none) -> tensor<2x4xi64>
  return %0, %1 : tensor<2x4xi64>, tensor<2x4xi64>
}

// -----

// Tests that Pad folds i1 data (default fill false) and takes a one-element
// constant_value.
// CHECK-LABEL: func.func @pad_bool_value
// CHECK-DAG: %[[B:.*]] = onnx.Constant dense<[false, true, false, false]> : tensor<4xi1>
// CHECK-DAG: %[[F:.*]] = onnx.Constant dense<[1.000000e+00, 7.000000e+00, 7.000000e+00]> : tensor<3xf32>
// CHECK: return %[[B]], %[[F]]
func.func @pad_bool_value() -> (tensor<4xi1>, tensor<3xf32>) {
  %none = onnx.NoValue
  %d = onnx.Constant dense<[true, false]> : tensor<2xi1>
  %p = onnx.Constant dense<[1, 1]> : tensor<2xi64>
  %0 = onnx.Pad %d, %p, %none, %none : (tensor<2xi1>, tensor<2xi64>, none, none) -> tensor<4xi1>
  %f = onnx.Constant dense<[1.0]> : tensor<1xf32>
  %v = onnx.Constant dense<[7.0]> : tensor<1xf32>
  %p2 = onnx.Constant dense<[0, 2]> : tensor<2xi64>
  %1 = onnx.Pad %f, %p2, %v, %none : (tensor<1xf32>, tensor<2xi64>, tensor<1xf32>, none) -> tensor<3xf32>
  return %0, %1 : tensor<4xi1>, tensor<3xf32>
}

// -----

// Tests that Pad folds in reflect, edge and wrap modes on the axes of
// opset 18 (a negative one), and crops with negative amounts; wrap also
// by more than the data's size.
// CHECK-LABEL: func.func @pad_modes_axes
// CHECK-DAG: %[[REFLECT:.*]] = onnx.Constant dense<[3.000000e+00, 2.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<6xf32>
// CHECK-DAG: %[[EDGE:.*]] = onnx.Constant dense<[1.000000e+00, 1.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 3.000000e+00]> : tensor<6xf32>
// CHECK-DAG: %[[CROP:.*]] = onnx.Constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-DAG: %[[WRAP:.*]] = onnx.Constant dense<[2.000000e+00, 3.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 1.000000e+00]> : tensor<6xf32>
// CHECK-DAG: %[[FAR:.*]] = onnx.Constant dense<[3.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 1.000000e+00]> : tensor<8xf32>
// CHECK: return %[[REFLECT]], %[[EDGE]], %[[CROP]], %[[WRAP]], %[[FAR]]
func.func @pad_modes_axes() -> (tensor<6xf32>, tensor<6xf32>, tensor<1xf32>, tensor<6xf32>, tensor<8xf32>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %axes = onnx.Constant dense<[-1]> : tensor<1xi64>
  %pads = onnx.Constant dense<[2, 1]> : tensor<2xi64>
  %crop = onnx.Constant dense<[-1, -1]> : tensor<2xi64>
  %0 = onnx.Pad %data, %pads, %none, %axes {mode = "reflect"} : (tensor<3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<6xf32>
  %1 = onnx.Pad %data, %pads, %none, %axes {mode = "edge"} : (tensor<3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<6xf32>
  %2 = onnx.Pad %data, %crop, %none, %axes : (tensor<3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<1xf32>
  %3 = onnx.Pad %data, %pads, %none, %axes {mode = "wrap"} : (tensor<3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<6xf32>
  %far = onnx.Constant dense<[4, 1]> : tensor<2xi64>
  %4 = onnx.Pad %data, %far, %none, %axes {mode = "wrap"} : (tensor<3xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<8xf32>
  return %0, %1, %2, %3, %4 : tensor<6xf32>, tensor<6xf32>, tensor<1xf32>, tensor<6xf32>, tensor<8xf32>
}

// -----

// Tests that Pad by zero is its input.
// CHECK-LABEL: func.func @pad_zero
// CHECK-NOT: onnx.Pad
// CHECK: return %arg0
func.func @pad_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<0> : tensor<4xi64>
  %0 = onnx.Pad %x, %pads, %none, %none : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

// -----

// Tests that Resize to the input's sizes, or by scales of exactly 1, is its
// input, and that Resize by 2 stays.
// CHECK-LABEL: func.func @resize_identity
// CHECK: %[[UP:.*]] = onnx.Resize
// CHECK: return %arg0, %arg0, %[[UP]]
func.func @resize_identity(%x: tensor<1x1x25x38xf32>) -> (tensor<1x1x25x38xf32>, tensor<1x1x25x38xf32>, tensor<1x1x50x76xf32>) {
  %none = onnx.NoValue
  %sizes = onnx.Constant dense<[1, 1, 25, 38]> : tensor<4xi64>
  %ones = onnx.Constant dense<1.0> : tensor<4xf32>
  %twos = onnx.Constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = onnx.Resize %x, %none, %none, %sizes : (tensor<1x1x25x38xf32>, none, none, tensor<4xi64>) -> tensor<1x1x25x38xf32>
  %1 = onnx.Resize %x, %none, %ones, %none {mode = "linear"} : (tensor<1x1x25x38xf32>, none, tensor<4xf32>, none) -> tensor<1x1x25x38xf32>
  %2 = onnx.Resize %x, %none, %twos, %none : (tensor<1x1x25x38xf32>, none, tensor<4xf32>, none) -> tensor<1x1x50x76xf32>
  return %0, %1, %2 : tensor<1x1x25x38xf32>, tensor<1x1x25x38xf32>, tensor<1x1x50x76xf32>
}

// -----

// Tests that tf_crop_and_resize to the input's sizes stays: its region of
// interest moves the samples.
// CHECK-LABEL: func.func @resize_crop_stays
// CHECK: %[[CROP:.*]] = onnx.Resize
// CHECK: return %[[CROP]]
func.func @resize_crop_stays(%x: tensor<1x1x25x38xf32>) -> tensor<1x1x25x38xf32> {
  %none = onnx.NoValue
  %roi = onnx.Constant dense<[0.0, 0.0, 0.1, 0.1, 1.0, 1.0, 0.9, 0.9]> : tensor<8xf32>
  %sizes = onnx.Constant dense<[1, 1, 25, 38]> : tensor<4xi64>
  %0 = onnx.Resize %x, %roi, %none, %sizes {coordinate_transformation_mode = "tf_crop_and_resize", mode = "linear"} : (tensor<1x1x25x38xf32>, tensor<8xf32>, none, tensor<4xi64>) -> tensor<1x1x25x38xf32>
  return %0 : tensor<1x1x25x38xf32>
}

// -----

// Tests that a transpose undone by another folds to the original value.
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-NEXT: return %arg0
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.Transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = onnx.Transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// Tests that two transposes that do not cancel stay.
// CHECK-LABEL: func.func @transpose_of_transpose_kept
// CHECK: onnx.Transpose
// CHECK: onnx.Transpose
func.func @transpose_of_transpose_kept(%x: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  %0 = onnx.Transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %1 = onnx.Transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  return %1 : tensor<2x2x2xf32>
}

// -----

// Tests the fold cap of 2^20 elements: a transpose and a concatenation of
// constants may go beyond it (they only move elements that are constants
// already: the batch-8 positional embedding), an expand may not (its
// result would add 2^20 + 1024 elements to the weights).
// CHECK-LABEL: func.func @moves_beyond_the_cap
// CHECK-DAG: %[[T:.*]] = onnx.Constant dense<1.000000e+00> : tensor<1025x1024xf32>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<2.000000e+00> : tensor<2049x1024xf32>
// CHECK-DAG: %[[E:.*]] = onnx.Expand
// CHECK: return %[[T]], %[[C]], %[[E]]
func.func @moves_beyond_the_cap() -> (tensor<1025x1024xf32>, tensor<2049x1024xf32>, tensor<1025x1024xf32>) {
  %a = onnx.Constant dense<1.0> : tensor<1024x1025xf32>
  %t = onnx.Transpose %a {perm = array<i64: 1, 0>} : (tensor<1024x1025xf32>) -> tensor<1025x1024xf32>
  %b = onnx.Constant dense<2.0> : tensor<1024x1024xf32>
  %c = onnx.Constant dense<2.0> : tensor<1025x1024xf32>
  %cat = onnx.Concat %b, %c {axis = 0 : si64} : (tensor<1024x1024xf32>, tensor<1025x1024xf32>) -> tensor<2049x1024xf32>
  %row = onnx.Constant dense<3.0> : tensor<1x1024xf32>
  %shape = onnx.Constant dense<[1025, 1024]> : tensor<2xi64>
  %e = onnx.Expand %row, %shape : (tensor<1x1024xf32>, tensor<2xi64>) -> tensor<1025x1024xf32>
  return %t, %cat, %e : tensor<1025x1024xf32>, tensor<2049x1024xf32>, tensor<1025x1024xf32>
}

// -----

// Tests that Size of a statically shaped, non-constant input folds, and
// that of a dynamic one does not.
// CHECK-LABEL: func.func @size
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<24> : tensor<i64>
// CHECK-DAG: %[[D:.*]] = onnx.Size %arg1 : (tensor<?x4xf32>) -> tensor<i64>
// CHECK: return %[[C]], %[[D]]
func.func @size(%x: tensor<2x3x4xf32>, %y: tensor<?x4xf32>) -> (tensor<i64>, tensor<i64>) {
  %0 = onnx.Size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  %1 = onnx.Size %y : (tensor<?x4xf32>) -> tensor<i64>
  return %0, %1 : tensor<i64>, tensor<i64>
}

// -----

// Tests that the Scatters fold on constants without a reduction (negative
// indices counted from the end; with ScatterElements' repeated index the
// last update wins), and not with one or with an index out of range.
// CHECK-LABEL: func.func @scatter
// CHECK-DAG: %[[E:.*]] = onnx.Constant dense<{{\[\[}}2.000000e+01, 2.000000e+00, 1.000000e+01], [4.000000e+00, 4.000000e+01, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[N:.*]] = onnx.Constant dense<{{\[\[}}3.000000e+01, 4.000000e+01], [3.000000e+00, 4.000000e+00], [1.000000e+01, 2.000000e+01]]> : tensor<3x2xf32>
// CHECK-DAG: %[[ADD:.*]] = onnx.ScatterElements {{.*}} reduction = "add"
// CHECK-DAG: %[[OUT:.*]] = onnx.ScatterND {{.*}} : (tensor<3x2xf32>, tensor<1x1xi64>, tensor<1x2xf32>)
// CHECK: return %[[E]], %[[ADD]], %[[N]], %[[OUT]]
func.func @scatter() -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %data = onnx.Constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %indices = onnx.Constant dense<[[2, -3], [1, 1]]> : tensor<2x2xi64>
  %updates = onnx.Constant dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>
  %0 = onnx.ScatterElements %data, %indices, %updates {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  %1 = onnx.ScatterElements %data, %indices, %updates {axis = 1 : si64, reduction = "add"} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  %rows = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %tuples = onnx.Constant dense<[[-1], [0]]> : tensor<2x1xi64>
  %2 = onnx.ScatterND %rows, %tuples, %updates : (tensor<3x2xf32>, tensor<2x1xi64>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %outside = onnx.Constant dense<[[3]]> : tensor<1x1xi64>
  %row = onnx.Constant dense<[[7.0, 8.0]]> : tensor<1x2xf32>
  %3 = onnx.ScatterND %rows, %outside, %row : (tensor<3x2xf32>, tensor<1x1xi64>, tensor<1x2xf32>) -> tensor<3x2xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Tests that GatherND folds on constants: rows, with batch_dims 1, and not
// with a tuple out of range.
// CHECK-LABEL: func.func @gather_nd
// CHECK-DAG: %[[ROWS:.*]] = onnx.Constant dense<{{\[\[}}5.000000e+00, 6.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[PICKED:.*]] = onnx.Constant dense<[2.000000e+00, 3.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[KEPT:.*]] = onnx.GatherND
// CHECK: return %[[ROWS]], %[[PICKED]], %[[KEPT]]
func.func @gather_nd() -> (tensor<2x2xf32>, tensor<3xf32>, tensor<1x2xf32>) {
  %data = onnx.Constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %rows = onnx.Constant dense<[[-1], [0]]> : tensor<2x1xi64>
  %0 = onnx.GatherND %data, %rows : (tensor<3x2xf32>, tensor<2x1xi64>) -> tensor<2x2xf32>
  %per_row = onnx.Constant dense<[[1], [0], [1]]> : tensor<3x1xi64>
  %1 = onnx.GatherND %data, %per_row {batch_dims = 1 : si64} : (tensor<3x2xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  %outside = onnx.Constant dense<[[3]]> : tensor<1x1xi64>
  %2 = onnx.GatherND %data, %outside : (tensor<3x2xf32>, tensor<1x1xi64>) -> tensor<1x2xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<3xf32>, tensor<1x2xf32>
}

// -----

// Tests that Pad folds a crop with padding as onnxruntime computes it: the
// crop first, then the padding repeats what is left (wrap: 1 2 3 4 1 2;
// reflect: 1 2 3 4 3 2; edge: 1 2 3 4 4 4).
// CHECK-LABEL: func.func @pad_crop_then_pad
// CHECK-DAG: %[[WRAP:.*]] = onnx.Constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<6xf32>
// CHECK-DAG: %[[REFLECT:.*]] = onnx.Constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<6xf32>
// CHECK-DAG: %[[EDGE:.*]] = onnx.Constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 4.000000e+00, 4.000000e+00]> : tensor<6xf32>
// CHECK: return %[[WRAP]], %[[REFLECT]], %[[EDGE]]
func.func @pad_crop_then_pad() -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) {
  %none = onnx.NoValue
  %data = onnx.Constant dense<[0.0, 1.0, 2.0, 3.0, 4.0]> : tensor<5xf32>
  %pads = onnx.Constant dense<[-1, 2]> : tensor<2xi64>
  %0 = onnx.Pad %data, %pads, %none, %none {mode = "wrap"} : (tensor<5xf32>, tensor<2xi64>, none, none) -> tensor<6xf32>
  %1 = onnx.Pad %data, %pads, %none, %none {mode = "reflect"} : (tensor<5xf32>, tensor<2xi64>, none, none) -> tensor<6xf32>
  %2 = onnx.Pad %data, %pads, %none, %none {mode = "edge"} : (tensor<5xf32>, tensor<2xi64>, none, none) -> tensor<6xf32>
  return %0, %1, %2 : tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
}

// -----

// Tests that folds copying whole-byte elements as bytes read a splat
// source's one element at each of its places (a Concat of a splat and
// other elements; a Pad's fill value), and that a result whose elements
// are all equal is a splat as the typed path makes it (a Slice of equal
// elements of a non-splat constant, f64 and i16).
// CHECK-LABEL: func.func @bytes_with_splats
// CHECK-DAG: %[[CAT:.*]] = onnx.Constant dense<[7.000000e+00, 7.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[PAD:.*]] = onnx.Constant dense<[9, 1, 2, 9, 9]> : tensor<5xi32>
// CHECK-DAG: %[[F64:.*]] = onnx.Constant dense<2.000000e+00> : tensor<2xf64>
// CHECK-DAG: %[[I16:.*]] = onnx.Constant dense<-3> : tensor<2xi16>
// CHECK: return %[[CAT]], %[[PAD]], %[[F64]], %[[I16]]
func.func @bytes_with_splats() -> (tensor<4xf32>, tensor<5xi32>, tensor<2xf64>, tensor<2xi16>) {
  %none = onnx.NoValue
  %sevens = onnx.Constant dense<7.0> : tensor<2xf32>
  %pair = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = onnx.Concat %sevens, %pair {axis = 0 : si64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  %ints = onnx.Constant dense<[1, 2]> : tensor<2xi32>
  %pads = onnx.Constant dense<[1, 2]> : tensor<2xi64>
  %nine = onnx.Constant dense<9> : tensor<i32>
  %1 = onnx.Pad %ints, %pads, %nine, %none : (tensor<2xi32>, tensor<2xi64>, tensor<i32>, none) -> tensor<5xi32>
  %start = onnx.Constant dense<[1]> : tensor<1xi64>
  %end = onnx.Constant dense<[3]> : tensor<1xi64>
  %f = onnx.Constant dense<[1.0, 2.0, 2.0]> : tensor<3xf64>
  %2 = onnx.Slice %f, %start, %end, %none, %none : (tensor<3xf64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xf64>
  %s = onnx.Constant dense<[5, -3, -3]> : tensor<3xi16>
  %3 = onnx.Slice %s, %start, %end, %none, %none : (tensor<3xi16>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi16>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<5xi32>, tensor<2xf64>, tensor<2xi16>
}
