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

// -----

// Tests that a cumulative sum of a resource-backed mask folds (the sine
// positional encoding's not-mask of a batch-8 export): [1, 2, 3, 4] summed.
// CHECK-LABEL: func.func @cumsum_resource_mask
// CHECK-NEXT: %[[S:.*]] = onnx.Constant dense<[1.000000e+00, 3.000000e+00, 6.000000e+00, 1.000000e+01]> : tensor<4xf32>
// CHECK-NEXT: return %[[S]]
func.func @cumsum_resource_mask() -> tensor<4xf32> {
  %m = onnx.Constant dense_resource<mask> : tensor<4xf32>
  %axis = onnx.Constant dense<0> : tensor<i32>
  %s = onnx.CumSum %m, %axis : (tensor<4xf32>, tensor<i32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      mask: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Tests that an expansion and a padding of resource-backed tensors fold:
// [1, 2] repeated over 2 rows, and [1, 2] padded with a zero on the left.
// CHECK-LABEL: func.func @expand_and_pad_resources
// CHECK-DAG: onnx.Constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: onnx.Constant dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-NOT: onnx.Expand
// CHECK-NOT: onnx.Pad
func.func @expand_and_pad_resources() -> (tensor<2x2xf32>, tensor<3xf32>) {
  %v = onnx.Constant dense_resource<pair> : tensor<2xf32>
  %shape = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %e = onnx.Expand %v, %shape : (tensor<2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %pads = onnx.Constant dense<[1, 0]> : tensor<2xi64>
  %none = onnx.NoValue
  %p = onnx.Pad %v, %pads, %none, %none : (tensor<2xf32>, tensor<2xi64>, none, none) -> tensor<3xf32>
  return %e, %p : tensor<2x2xf32>, tensor<3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      pair: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Tests that elementwise math on resource-backed weights folds: the first
// decoder layer adds its query embedding (a weight) to the folded output of
// its self-attention, [1, 2, 3, 4] + 1. An add of a resource of -0.0 (the
// additive identity of floats) is the other operand itself.
// CHECK-LABEL: func.func @add_resource_weight
// CHECK-NEXT: %[[S:.*]] = onnx.Constant dense<{{\[\[}}2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[S]], %arg0
func.func @add_resource_weight(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = onnx.Constant dense_resource<embedding> : tensor<2x2xf32>
  %one = onnx.Constant dense<1.0> : tensor<2x2xf32>
  %s = onnx.Add %w, %one : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zeros = onnx.Constant dense_resource<zeros> : tensor<2x2xf32>
  %same = onnx.Add %x, %zeros : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %s, %same : tensor<2x2xf32>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      embedding: "0x040000000000803F000000400000404000008040",
      zeros: "0x0400000000000080000000800000008000000080"
    }
  }
#-}

// -----

// Tests that a reshape and a concatenation of resource-backed weights fold
// like those of dense constants: [1, 2, 3, 4] as [2, 2], and after [5, 6].
// CHECK-LABEL: func.func @reshape_and_concat_resources
// CHECK-DAG: %[[R:.*]] = onnx.Constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<6xf32>
// CHECK: return %[[R]], %[[C]]
func.func @reshape_and_concat_resources() -> (tensor<2x2xf32>, tensor<6xf32>) {
  %a = onnx.Constant dense_resource<four> : tensor<4xf32>
  %shape = onnx.Constant dense<[2, 2]> : tensor<2xi64>
  %r = onnx.Reshape %a, %shape : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %b = onnx.Constant dense_resource<two> : tensor<2xf32>
  %c = onnx.Concat %a, %b {axis = 0 : si64} : (tensor<4xf32>, tensor<2xf32>) -> tensor<6xf32>
  return %r, %c : tensor<2x2xf32>, tensor<6xf32>
}

{-#
  dialect_resources: {
    builtin: {
      four: "0x040000000000803F000000400000404000008040",
      two: "0x040000000000A0400000C040"
    }
  }
#-}
