//===- ONNXOps.td - Operations of the onnx dialect ---------*- tablegen -*-===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXOPS_TD
#define INTR_DIALECT_ONNX_IR_ONNXOPS_TD

include "intr/Dialect/ONNX/IR/ONNXDialect.td"

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

def ONNX_ConstantOp : ONNX_Op<"Constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor";
  let description = [{
    ONNX `Constant`, and every initializer of the graph: a tensor whose
    elements are known at compile time.

    ```mlir
    %0 = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Identity
//===----------------------------------------------------------------------===//

def ONNX_IdentityOp : ONNX_InferredOp<"Identity"> {
  let summary = "returns its input";
  let description = [{
    ONNX `Identity`. Exporters emit it to give a value a second name; it
    folds away.

    ```mlir
    %1 = onnx.Identity %0 : tensor<2xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

def ONNX_DropoutOp : ONNX_InferredOp<"Dropout"> {
  let summary = "dropout, which inference runs as the identity";
  let description = [{
    ONNX `Dropout` (opset 13). In inference mode (`training_mode` left out
    or false) `output` is `data` and the optional `mask` is all true. In
    training mode it zeroes a random fraction `ratio` of the elements, which
    a compiled model cannot reproduce: the verifier accepts training mode
    only with a constant `ratio` of 0, which is the identity too, and
    rejects a `training_mode` that is not a constant. `seed` has no effect.

    Folds to `data` and a constant `mask` (when the shape is static).

    ```mlir
    %1, %2 = onnx.Dropout %0, %none, %none
        : (tensor<2x8xf32>, none, none) -> (tensor<2x8xf32>, tensor<2x8xi1>)
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$ratio,
                       ONNX_TensorOrNone:$training_mode,
                       OptionalAttr<SI64Attr>:$seed);
  let results = (outs AnyTensor:$output, AnyTensor:$mask);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// NoValue
//===----------------------------------------------------------------------===//

def ONNX_NoValueOp : ONNX_Op<"NoValue", [Pure]> {
  let summary = "an optional input that the model leaves out";
  let description = [{
    ONNX marks an optional input as absent with an empty name (Resize's
    `roi`, Clip's `min`). The importer passes the result of this operation in
    its place, so that operands keep ONNX's positions.

    ```mlir
    %none = onnx.NoValue
    ```
  }];
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
  let builders = [OpBuilder<(ins), [{
    build($_builder, $_state, $_builder.getNoneType());
  }]>];
}

include "intr/Dialect/ONNX/IR/ONNXMathOps.td"
include "intr/Dialect/ONNX/IR/ONNXShapeOps.td"

#endif // INTR_DIALECT_ONNX_IR_ONNXOPS_TD
