//===- ONNXMathOps.td - Arithmetic and neural network ops --*- tablegen -*-===//
//
// Elementwise arithmetic, logic and unary math, reductions, matrix products,
// normalization, convolution and pooling.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD
#define INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD

include "intr/Dialect/ONNX/IR/ONNXDialect.td"

//===----------------------------------------------------------------------===//
// Add
//===----------------------------------------------------------------------===//

def ONNX_AddOp : ONNX_Op<"Add", [Pure, Commutative,
    ResultsBroadcastableShape, SameOperandsAndResultElementType]> {
  let summary = "elementwise addition with multidirectional broadcasting";
  let description = [{
    ONNX `Add` (opset 14): `C = A + B`, broadcast as numpy does.

    ```mlir
    %2 = onnx.Add %0, %1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
  let assemblyFormat =
      "$A `,` $B attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

def ONNX_MatMulOp : ONNX_Op<"MatMul", [Pure,
    SameOperandsAndResultElementType]> {
  let summary = "matrix product with batch broadcasting";
  let description = [{
    ONNX `MatMul` (opset 13): the matrix product of the last two dimensions
    of `A` and `B`, leading dimensions broadcast as numpy.matmul does. The
    verifier checks that the contracted sizes agree when they are known.

    ```mlir
    %2 = onnx.MatMul %0, %1
        : (tensor<8x950x32xf32>, tensor<8x32x950xf32>) -> tensor<8x950x950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "$A `,` $B attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

def ONNX_SoftmaxOp : ONNX_Op<"Softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    ONNX `Softmax` (opset 13): `exp(x) / sum(exp(x))` along `axis` (default
    -1, counted from the end when negative).

    ```mlir
    %1 = onnx.Softmax %0 {axis = -1 : si64} : tensor<8x200x950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

#endif // INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD
