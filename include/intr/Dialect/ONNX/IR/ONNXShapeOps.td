//===- ONNXShapeOps.td - Shape and data movement ops -------*- tablegen -*-===//
//
// Operations on shapes and on the layout of data: Shape, Reshape, Gather,
// Slice, Concat, Transpose, padding, resizing and their kin.
//
// Exporters compute shapes in the graph (Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape); the folders of these ops turn that arithmetic into
// constants, and their type inference reads constant shape operands so that
// results get static shapes even when the data itself is not constant.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
#define INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD

include "intr/Dialect/ONNX/IR/ONNXDialect.td"

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

def ONNX_ConcatOp : ONNX_InferredOp<"Concat"> {
  let summary = "concatenation along one axis";
  let description = [{
    ONNX `Concat` (opset 13): joins its inputs along `axis` (counted from the
    end when negative). All inputs have the same rank and the same sizes
    outside `axis`. Folds when every input is constant, and to its input when
    there is only one.

    ```mlir
    %2 = onnx.Concat %0, %1 {axis = 0 : si64}
        : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs, SI64Attr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// ConstantOfShape
//===----------------------------------------------------------------------===//

def ONNX_ConstantOfShapeOp : ONNX_InferredOp<"ConstantOfShape"> {
  let summary = "a tensor of a given shape filled with one value";
  let description = [{
    ONNX `ConstantOfShape` (opsets 9, 20, 21 differ only in element types):
    `input` is a 1-D i64 tensor holding the output shape; every element of
    the output is the single element of `value` (default: f32 zero), whose
    element type is the output's. Folds to a splat when `input` is constant.

    ```mlir
    %1 = onnx.ConstantOfShape %0 {value = dense<1> : tensor<1xi64>}
        : (tensor<2xi64>) -> tensor<25x38xi64>
    ```
  }];
  let arguments = (ins AnyTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Expand
//===----------------------------------------------------------------------===//

def ONNX_ExpandOp : ONNX_InferredOp<"Expand"> {
  let summary = "broadcast to a shape";
  let description = [{
    ONNX `Expand` (opset 13): broadcasts `input` and the 1-D i64 `shape`
    against each other as numpy does (bidirectionally: a 1 in `shape` keeps
    the input's size, and the output rank is the larger one). Folds on a
    constant input, and to its input when the result has its type.

    ```mlir
    %2 = onnx.Expand %0, %1
        : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$shape);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

def ONNX_FlattenOp : ONNX_InferredOp<"Flatten"> {
  let summary = "reshape to a matrix around one axis";
  let description = [{
    ONNX `Flatten` (opsets 13, 21): the output is 2-D, its first size the
    product of the input sizes before `axis` (default 1, in [-rank, rank])
    and its second the product of the rest. Folds on a constant input.

    ```mlir
    %1 = onnx.Flatten %0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

def ONNX_GatherOp : ONNX_InferredOp<"Gather"> {
  let summary = "take entries along one axis";
  let description = [{
    ONNX `Gather` (opset 13): picks the entries of `data` along `axis`
    (default 0) at `indices` (i32 or i64, negative ones counted from the
    end). The output shape is `data.shape[:axis] + indices.shape +
    data.shape[axis+1:]`, so scalar indices drop the axis. Folds when both
    operands are constant.

    ```mlir
    %2 = onnx.Gather %0, %1 {axis = 0
        : si64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_GatherElementsOp : ONNX_InferredOp<"GatherElements"> {
  let summary = "take one entry along an axis per index";
  let description = [{
    ONNX `GatherElements` (opsets 11, 13; what `torch.gather` exports): the
    output has the shape of `indices` (i32 or i64, negative ones counted
    from the end, of `data`'s rank and no larger than `data` along the
    other axes), and its element at position p is `data`'s at p with
    p[axis] replaced by the index there.

    ```mlir
    %2 = onnx.GatherElements %0, %1 {axis = 1 : si64}
        : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_GatherNDOp : ONNX_InferredOp<"GatherND"> {
  let summary = "take slices at index tuples";
  let description = [{
    ONNX `GatherND` (opsets 11, 12, 13; what indexing with several index
    tensors exports): `indices` [..., k] (i64; negative entries counted
    from the end) holds tuples that each name a slice of `data` after its
    first `batch_dims` axes, which `data` and `indices` share. The output
    is indices.shape[:-1] + data.shape[batch_dims + k:], the slices one
    after another. k must be known. Folds on constants.

    ```mlir
    %2 = onnx.GatherND %0, %1
        : (tensor<4x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<SI64Attr, "0">:$batch_dims);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_ScatterElementsOp : ONNX_InferredOp<"ScatterElements"> {
  let summary = "write one entry along an axis per index";
  let description = [{
    ONNX `ScatterElements` (opsets 11, 13, 16, 18; what `Tensor.scatter`,
    `scatter_add` and `select_scatter` export): the output is `data` with
    each element of `updates` written at its own position p in `updates`
    with p[axis] replaced by the index there. `indices` (i32 or i64,
    negative ones counted from the end) has the shape of `updates` and
    `data`'s rank, and is no larger than `data` along the other axes.
    `reduction` combines the update with what is there: `none` (replace;
    with repeated indices the last one wins here, ONNX leaves it open),
    `add`, `mul`, `max` or `min`. Folds with `none` on constants.

    ```mlir
    %3 = onnx.ScatterElements %0, %1, %2 {axis = 1 : si64}
        : (tensor<2x5xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       AnyTensor:$updates,
                       DefaultValuedAttr<SI64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_ScatterNDOp : ONNX_InferredOp<"ScatterND"> {
  let summary = "write slices at index tuples";
  let description = [{
    ONNX `ScatterND` (opsets 11, 13, 16, 18; what slice assignments and
    `index_put` export): `indices` [..., k] (i64; negative entries counted
    from the end) holds tuples that each name a slice data[i0, ..., ik-1]
    of `data`, and `updates` (shape indices.shape[:-1] + data.shape[k:])
    holds what is written there, combined by `reduction` as in
    ScatterElements. k must be known and at most `data`'s rank. Folds with
    `none` on constants.

    ```mlir
    %3 = onnx.ScatterND %0, %1, %2
        : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       AnyTensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

def ONNX_PadOp : ONNX_InferredOp<"Pad"> {
  let summary = "pad (or crop) the borders of a tensor";
  let description = [{
    ONNX `Pad` (opsets 13, 18, 19, 21): `pads` (1-D i64) holds the begin
    amounts of the padded axes then their end amounts; negative amounts
    crop. `axes` (opset 18, optional) names the padded axes, all of them
    when absent. `constant_value` (optional, a scalar of the data's type,
    default zero) fills the border in `constant` mode; `reflect` mirrors the
    data without repeating the edge, `edge` repeats it, `wrap` (opset 19,
    and what torch's dynamo exporter writes for circular padding at any
    opset) continues it periodically, as if the data were a torus; no
    kernel runs `wrap`, which `onnx-decompose` rewrites as slices of the
    data. Folds when all operands are constant.

    ```mlir
    %2 = onnx.Pad %0, %1, %none, %none {mode = "constant"}
        : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<3x6xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$pads,
                       ONNX_TensorOrNone:$constant_value,
                       ONNX_TensorOrNone:$axes,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

def ONNX_RangeOp : ONNX_InferredOp<"Range"> {
  let summary = "an arithmetic sequence";
  let description = [{
    ONNX `Range` (opset 11): the 1-D sequence `start + i * delta` for `i` in
    `[0, max(ceil((limit - start) / delta), 0))`. The three operands are
    scalars of one element type, which is the output's. Folds when all three
    are constant.

    ```mlir
    %3 = onnx.Range %0, %1, %2
        : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<5xi64>
    ```
  }];
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

def ONNX_ReshapeOp : ONNX_InferredOp<"Reshape"> {
  let summary = "give the elements another shape";
  let description = [{
    ONNX `Reshape` (opsets 14, 19, 21): `shape` (1-D i64) is the output
    shape, in which one entry may be -1 (inferred from the element count)
    and, unless `allowzero` is 1, a 0 copies the input size at the same
    index. With `allowzero` = 1 a 0 is a size of zero and may not appear
    together with -1. Folds on a constant input, and to its input when the
    result has its type.

    ```mlir
    %2 = onnx.Reshape %0, %1
        : (tensor<2x950x256xf32>, tensor<4xi64>) -> tensor<2x950x8x32xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$shape,
                       DefaultValuedAttr<SI64Attr, "0">:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

def ONNX_ResizeOp : ONNX_InferredOp<"Resize"> {
  let summary = "resample a tensor by nearest, linear or cubic interpolation";
  let description = [{
    ONNX `Resize` (opsets 13, 18, 19) as `F.interpolate` exports it. The
    output size of each resized axis is `sizes`, or `floor(size * scale)`
    from `scales` (computed in f32, as ONNX shape inference does); exactly
    one of the two is given, an empty tensor counting as absent. With
    `keep_aspect_ratio_policy` not_larger or not_smaller (opset 18; sizes
    only), every resized axis takes one scale, the least or the greatest of
    sizes / input size, and its size is that scale times the input size
    rounded half up. `axes` (opset 18) names the axes that `scales`/`sizes`
    (and `roi`) describe.

    Every `mode` (nearest, linear, cubic with `cubic_coeff_a` and
    `exclude_outside`), every `coordinate_transformation_mode`
    (tf_crop_and_resize reads `roi` and writes `extrapolation_value`
    outside it), every `nearest_mode`, and `antialias` (opset 18; linear or
    cubic: when downsampling, the kernel stretched by 1 / scale). Linear and
    cubic modes need f32 or f64. Folds to its input when the result has its
    type and every scale is 1, but for tf_crop_and_resize.

    ```mlir
    %3 = onnx.Resize %0, %none, %none, %1 {mode = "nearest"}
        : (tensor<1x1x800x1216xf32>, none, none, tensor<4xi64>)
        -> tensor<1x1x25x38xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X,
                       ONNX_TensorOrNone:$roi,
                       ONNX_TensorOrNone:$scales,
                       ONNX_TensorOrNone:$sizes,
                       DefaultValuedAttr<SI64Attr, "0">:$antialias,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:
                           $coordinate_transformation_mode,
                       DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<SI64Attr, "0">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                       DefaultValuedStrAttr<StrAttr, "stretch">:
                           $keep_aspect_ratio_policy,
                       DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:
                           $nearest_mode);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

def ONNX_ShapeOp : ONNX_InferredOp<"Shape"> {
  let summary = "the shape of a tensor, as a 1-D i64 tensor";
  let description = [{
    ONNX `Shape` (opsets 13, 15, 19, 21). Opset 15's `start` (default 0) and
    `end` (default: the rank) select the dimensions `[start, end)`; negative
    values count from the end and both are clamped to `[0, rank]`. Folds to
    a constant whenever the selected sizes are static, even though the input
    itself is not constant.

    ```mlir
    %1 = onnx.Shape %0 {start = -2
        : si64} : (tensor<1x256x25x38xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins AnyTensor:$data,
                       DefaultValuedAttr<SI64Attr, "0">:$start,
                       OptionalAttr<SI64Attr>:$end);
  let results = (outs AnyTensor:$shape);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Size
//===----------------------------------------------------------------------===//

def ONNX_SizeOp : ONNX_InferredOp<"Size"> {
  let summary = "the number of elements of a tensor, as an i64 scalar";
  let description = [{
    ONNX `Size` (opsets 13, 19; 19 only widens the types). Folds to a
    constant whenever the input's shape is static, even though the input
    itself is not constant.

    ```mlir
    %1 = onnx.Size %0 : (tensor<2x3x4xf32>) -> tensor<i64>
    ```
  }];
  let arguments = (ins AnyTensor:$data);
  let results = (outs AnyTensor:$size);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

def ONNX_SliceOp : ONNX_InferredOp<"Slice"> {
  let summary = "a strided window of a tensor";
  let description = [{
    ONNX `Slice` (opset 13): for each axis in `axes` (optional, default
    `[0, len(starts))`, negative ones counted from the end), takes the
    elements from `starts` towards `ends` (exclusive) by `steps` (optional,
    default 1, never 0). Negative starts and ends count from the end; they
    are then clamped to `[0, size]` for positive steps and to `[0, size-1]`
    (start) and `[-1, size-1]` (end) for negative ones, so out-of-range
    values such as INT64_MAX mean "to the end". Folds when all operands are
    constant, to its input when it takes everything, and to one input of an
    `onnx.Concat` when it takes exactly that input (by 1 along the
    concatenation axis, whole along the others).

    ```mlir
    %4 = onnx.Slice %0, %1, %2, %3, %none
        : (tensor<4x6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none)
        -> tensor<4x2xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$starts, AnyTensor:$ends,
                       ONNX_TensorOrNone:$axes, ONNX_TensorOrNone:$steps);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

def ONNX_SplitOp : ONNX_InferredOp<"Split"> {
  let summary = "split a tensor into parts along one axis";
  let description = [{
    ONNX `Split` (opsets 13, 18): cuts `input` along `axis` (default 0) into
    parts of the lengths in `split` (optional input, 1-D i64, summing to the
    axis size). Without `split`, opset 18's `num_outputs` gives the number of
    parts (the importer sets it for older opsets too): each part has
    `ceil(size / num_outputs)` entries and the last one gets what is left,
    so it may be smaller. The ONNX input `split` is the operand
    `split_input`, since opsets before 13 had an attribute of that name.
    Folds when the input is constant.

    ```mlir
    %1:2 = onnx.Split %0, %none {axis = 1 : si64, num_outputs = 2 : si64}
        : (tensor<2x8xf32>, none) -> (tensor<2x4xf32>, tensor<2x4xf32>)
    ```
  }];
  let arguments = (ins AnyTensor:$input, ONNX_TensorOrNone:$split_input,
                       DefaultValuedAttr<SI64Attr, "0">:$axis,
                       OptionalAttr<SI64Attr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Squeeze
//===----------------------------------------------------------------------===//

def ONNX_SqueezeOp : ONNX_InferredOp<"Squeeze"> {
  let summary = "remove dimensions of size 1";
  let description = [{
    ONNX `Squeeze` (opsets 13, 21): removes the dimensions listed in the
    optional 1-D i64 `axes` input (negative ones counted from the end), each
    of which must have size 1; without it, removes every dimension of size
    1. The ONNX input `axes` is the operand `axes_input`, since opsets
    before 13 had an attribute of that name. Folds on a constant input, and
    to its input when the result has its type.

    ```mlir
    %2 = onnx.Squeeze %0, %1
        : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<3x1xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes_input);
  let results = (outs AnyTensor:$squeezed);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Tile
//===----------------------------------------------------------------------===//

def ONNX_TileOp : ONNX_InferredOp<"Tile"> {
  let summary = "repeat a tensor along each axis";
  let description = [{
    ONNX `Tile` (opset 13): output size `i` is `input.shape[i] *
    repeats[i]`, where `repeats` is a 1-D i64 tensor with one non-negative
    entry per input dimension. Folds on a constant input.

    ```mlir
    %2 = onnx.Tile %0, %1
        : (tensor<1x256xf32>, tensor<2xi64>) -> tensor<200x256xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$repeats);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

def ONNX_TransposeOp : ONNX_InferredOp<"Transpose"> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    ONNX `Transpose` (opsets 13, 21): output dimension `i` is input
    dimension `perm[i]`; without `perm` the dimensions are reversed. Folds
    on a constant input, and to its input when `perm` is the identity.

    ```mlir
    %1 = onnx.Transpose %0 {perm = array<i64: 0, 2, 1, 3>}
        : (tensor<2x950x8x32xf32>) -> tensor<2x8x950x32xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data,
                       OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Unsqueeze
//===----------------------------------------------------------------------===//

def ONNX_UnsqueezeOp : ONNX_InferredOp<"Unsqueeze"> {
  let summary = "insert dimensions of size 1";
  let description = [{
    ONNX `Unsqueeze` (opsets 13, 21): inserts a dimension of size 1 at each
    position of the 1-D i64 `axes` input (or of a scalar one, as torch's
    dynamo exporter may write and onnxruntime takes), positions being
    indices of the output (negative ones counted from its end) and
    distinct. The ONNX input
    `axes` is the operand `axes_input`, since opsets before 13 had an
    attribute of that name. Folds on a constant input, and to its input when
    the result has its type.

    ```mlir
    %2 = onnx.Unsqueeze %0, %1 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
    ```
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$axes_input);
  let results = (outs AnyTensor:$expanded);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

#endif // INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
