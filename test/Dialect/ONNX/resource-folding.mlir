// RUN: intr-opt %s -split-input-file --canonicalize | FileCheck %s

// Tests that a transpose of a weight kept as a resource (as the importer
// keeps large initializers) folds at compile time: [[1, 2, 3], [4, 5, 6]]
// transposed.
// CHECK-LABEL: func.func @transpose_resource_weight
// CHECK-NEXT: %[[W:.*]] = onnx.Constant dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT: return %[[W]]
func.func @transpose_resource_weight() -> tensor<3x2xf32> {
  %w = onnx.Constant dense_resource<weight> : tensor<2x3xf32>
  %t = onnx.Transpose %w {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// Tests that a slice of a resource-backed packed bias folds (keys and
// values sliced apart): elements 2 and 3 of [1, 2, 3, 4].
// CHECK-LABEL: func.func @slice_resource_bias
// CHECK-NEXT: %[[B:.*]] = onnx.Constant dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[B]]
func.func @slice_resource_bias() -> tensor<2xf32> {
  %b = onnx.Constant dense_resource<bias> : tensor<4xf32>
  %start = onnx.Constant dense<2> : tensor<1xi64>
  %end = onnx.Constant dense<4> : tensor<1xi64>
  %axis = onnx.Constant dense<0> : tensor<1xi64>
  %none = onnx.NoValue
  %s = onnx.Slice %b, %start, %end, %axis, %none : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<2xf32>
  return %s : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bias: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Tests that a tile of resource-backed class queries folds (the decoder's
// query embedding repeated over the batch): [1, 2] twice along dim 1.
// CHECK-LABEL: func.func @tile_resource_queries
// CHECK-NEXT: %[[Q:.*]] = onnx.Constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]]> : tensor<1x2x2xf32>
// CHECK-NEXT: return %[[Q]]
func.func @tile_resource_queries() -> tensor<1x2x2xf32> {
  %q = onnx.Constant dense_resource<queries> : tensor<1x1x2xf32>
  %repeats = onnx.Constant dense<[1, 2, 1]> : tensor<3xi64>
  %t = onnx.Tile %q, %repeats : (tensor<1x1x2xf32>, tensor<3xi64>) -> tensor<1x2x2xf32>
  return %t : tensor<1x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      queries: "0x040000000000803F00000040"
    }
  }
#-}
