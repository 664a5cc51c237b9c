//===- ONNXMathOps.td - Arithmetic and neural network ops --*- tablegen -*-===//
//
// Elementwise arithmetic, logic and unary math, reductions, matrix products,
// normalization, convolution and pooling.
//
// Every op infers its result types (ONNX_InferredOp); inference, verifiers and
// folders live in lib/Dialect/ONNX/IR/ONNXMathOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD
#define INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD

include "intr/Dialect/ONNX/IR/ONNXDialect.td"

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

/// `C = A op B` with numpy (multidirectional) broadcasting; the result has
/// A's element type. Folds on constants.
class ONNX_BinaryOp<string mnemonic, list<Trait> traits = []>
    : ONNX_InferredOp<mnemonic, !listconcat([ONNX_Elementwise], traits)> {
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_AddOp : ONNX_BinaryOp<"Add", [Commutative]> {
  let summary = "elementwise addition with multidirectional broadcasting";
  let description = [{
    ONNX `Add` (opsets 13, 14): `C = A + B`, broadcast as numpy does. Integers
    wrap around. Opset 14 only widens the element types.

    Folds on constants, and `x + 0` to `x` for integers (for floats only
    `x + -0.0` is exact: `-0.0 + 0.0` is `+0.0`).

    ```mlir
    %2 = onnx.Add %0, %1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  // The format of the first version of the dialect, kept as it was.
  let assemblyFormat =
      "$A `,` $B attr-dict `:` functional-type(operands, results)";
}

def ONNX_SubOp : ONNX_BinaryOp<"Sub"> {
  let summary = "elementwise subtraction with multidirectional broadcasting";
  let description = [{
    ONNX `Sub` (opsets 13, 14): `C = A - B`, broadcast as numpy does.
    Integers wrap around.

    Folds on constants, and `x - 0` to `x` (for floats, `x - +0.0`).

    ```mlir
    %2 = onnx.Sub %0, %1 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
}

def ONNX_MulOp : ONNX_BinaryOp<"Mul", [Commutative]> {
  let summary = "elementwise multiplication with multidirectional broadcasting";
  let description = [{
    ONNX `Mul` (opsets 13, 14): `C = A * B`, broadcast as numpy does.
    Integers wrap around.

    Folds on constants, and `x * 1` to `x` (exact for floats too, `-0.0` and
    NaN included).

    ```mlir
    %2 = onnx.Mul %0, %1 : (tensor<8x5x32xf32>, tensor<f32>) -> tensor<8x5x32xf32>
    ```
  }];
}

def ONNX_DivOp : ONNX_BinaryOp<"Div"> {
  let summary = "elementwise division with multidirectional broadcasting";
  let description = [{
    ONNX `Div` (opsets 13, 14): `C = A / B`, broadcast as numpy does. Integer
    division truncates toward zero, as in C.

    Folds on constants (not an integer division by zero, nor the overflowing
    `INT_MIN / -1`), and `x / 1` to `x`.

    ```mlir
    %2 = onnx.Div %0, %1 : (tensor<1x25x38xf32>, tensor<1x1x38xf32>) -> tensor<1x25x38xf32>
    ```
  }];
}

def ONNX_PowOp : ONNX_InferredOp<"Pow", [ONNX_Elementwise]> {
  let summary = "elementwise power with multidirectional broadcasting";
  let description = [{
    ONNX `Pow` (opsets 13, 15): `Z = X ^ Y`, broadcast as numpy does. The
    result has X's element type; Y may have another (a float base with an
    integer exponent, an integer base with an integer exponent). Opset 15
    adds bfloat16.

    Folds on constants: float bases as C's `pow`, integer bases with
    non-negative integer exponents by repeated multiplication.

    ```mlir
    %2 = onnx.Pow %0, %1 : (tensor<128xf32>, tensor<i64>) -> tensor<128xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$Z);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_EqualOp : ONNX_BinaryOp<"Equal", [Commutative]> {
  let summary = "elementwise equality with multidirectional broadcasting";
  let description = [{
    ONNX `Equal` (opsets 13, 19): `C = (A == B)` as bool (`i1`), broadcast
    as numpy does; NaN equals nothing. Opset 19 adds strings, which the
    dialect does not represent. Folds on constants.

    ```mlir
    %2 = onnx.Equal %0, %1 : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>
    ```
  }];
}

def ONNX_LessOp : ONNX_BinaryOp<"Less"> {
  let summary = "elementwise less-than with multidirectional broadcasting";
  let description = [{
    ONNX `Less` (opset 13): `C = (A < B)` as bool (`i1`), broadcast as numpy
    does. Folds on constants.

    ```mlir
    %2 = onnx.Less %0, %1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
    ```
  }];
}

def ONNX_GreaterOp : ONNX_BinaryOp<"Greater"> {
  let summary = "elementwise greater-than with multidirectional broadcasting";
  let description = [{
    ONNX `Greater` (opset 13): `C = (A > B)` as bool (`i1`), broadcast as
    numpy does. Folds on constants.

    ```mlir
    %2 = onnx.Greater %0, %1 : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
    ```
  }];
}

def ONNX_AndOp : ONNX_BinaryOp<"And", [Commutative]> {
  let summary = "elementwise logical and with multidirectional broadcasting";
  let description = [{
    ONNX `And` (opset 7, unchanged through 21): `C = A and B` on bool
    tensors, broadcast as numpy does. Folds on constants, and `x and true`
    to `x`.

    ```mlir
    %2 = onnx.And %0, %1 : (tensor<1x25x38xi1>, tensor<1x25x38xi1>) -> tensor<1x25x38xi1>
    ```
  }];
}

def ONNX_OrOp : ONNX_BinaryOp<"Or", [Commutative]> {
  let summary = "elementwise logical or with multidirectional broadcasting";
  let description = [{
    ONNX `Or` (opset 7, unchanged through 21): `C = A or B` on bool tensors,
    broadcast as numpy does. Folds on constants, and `x or false` to `x`.

    ```mlir
    %2 = onnx.Or %0, %1 : (tensor<1x25x38xi1>, tensor<i1>) -> tensor<1x25x38xi1>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Unary elementwise ops
//===----------------------------------------------------------------------===//

/// `Y = f(X)` elementwise; the result has the input's type. Folds on
/// constants.
class ONNX_UnaryOp<string mnemonic, list<Trait> traits = []>
    : ONNX_InferredOp<mnemonic, !listconcat([ONNX_Elementwise], traits)> {
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

/// A unary op whose ONNX input and output are named `input` and `output`.
class ONNX_UnaryIOOp<string mnemonic, list<Trait> traits = []>
    : ONNX_UnaryOp<mnemonic, traits> {
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
}

def ONNX_SqrtOp : ONNX_UnaryOp<"Sqrt"> {
  let summary = "elementwise square root";
  let description = [{
    ONNX `Sqrt` (opset 13): `Y = sqrt(X)`; NaN for negative inputs. Folds on
    constants.

    ```mlir
    %1 = onnx.Sqrt %0 : (tensor<1x5x1xf32>) -> tensor<1x5x1xf32>
    ```
  }];
}

def ONNX_FloorOp : ONNX_UnaryOp<"Floor"> {
  let summary = "elementwise rounding down";
  let description = [{
    ONNX `Floor` (opset 13): `Y = floor(X)`, the largest integer not above
    X (floats). Folds on constants.
  }];
}

def ONNX_CeilOp : ONNX_UnaryOp<"Ceil"> {
  let summary = "elementwise rounding up";
  let description = [{
    ONNX `Ceil` (opset 13): `Y = ceil(X)`, the smallest integer not below
    X (floats). Folds on constants.
  }];
}

def ONNX_RoundOp : ONNX_UnaryOp<"Round"> {
  let summary = "elementwise rounding to the nearest integer, halves to even";
  let description = [{
    ONNX `Round` (opset 11): `Y` the integer nearest X (floats), a half to
    the even one, as numpy's `round`. Folds on constants.
  }];
}

def ONNX_ReluOp : ONNX_UnaryOp<"Relu"> {
  let summary = "elementwise rectified linear unit";
  let description = [{
    ONNX `Relu` (opsets 13, 14): `Y = max(X, 0)`; NaN stays NaN. Opset 14
    adds signed integers. Folds on constants.

    ```mlir
    %1 = onnx.Relu %0 : (tensor<950x2048xf32>) -> tensor<950x2048xf32>
    ```
  }];
}

def ONNX_TanOp : ONNX_UnaryIOOp<"Tan"> {
  let summary = "elementwise tangent";
  let description = [{
    ONNX `Tan` (opset 7, and 22 with more types): `output = tan(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AsinOp : ONNX_UnaryIOOp<"Asin"> {
  let summary = "elementwise arcsine";
  let description = [{
    ONNX `Asin` (opset 7, and 22 with more types): `output = asin(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AcosOp : ONNX_UnaryIOOp<"Acos"> {
  let summary = "elementwise arccosine";
  let description = [{
    ONNX `Acos` (opset 7, and 22 with more types): `output = acos(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AtanOp : ONNX_UnaryIOOp<"Atan"> {
  let summary = "elementwise arctangent";
  let description = [{
    ONNX `Atan` (opset 7, and 22 with more types): `output = atan(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_SinhOp : ONNX_UnaryIOOp<"Sinh"> {
  let summary = "elementwise hyperbolic sine";
  let description = [{
    ONNX `Sinh` (opset 7, and 22 with more types): `output = sinh(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_CoshOp : ONNX_UnaryIOOp<"Cosh"> {
  let summary = "elementwise hyperbolic cosine";
  let description = [{
    ONNX `Cosh` (opset 7, and 22 with more types): `output = cosh(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AsinhOp : ONNX_UnaryIOOp<"Asinh"> {
  let summary = "elementwise inverse hyperbolic sine";
  let description = [{
    ONNX `Asinh` (opset 7, and 22 with more types): `output = asinh(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AcoshOp : ONNX_UnaryIOOp<"Acosh"> {
  let summary = "elementwise inverse hyperbolic cosine";
  let description = [{
    ONNX `Acosh` (opset 7, and 22 with more types): `output = acosh(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_AtanhOp : ONNX_UnaryIOOp<"Atanh"> {
  let summary = "elementwise inverse hyperbolic tangent";
  let description = [{
    ONNX `Atanh` (opset 7, and 22 with more types): `output = atanh(input)`, NaN
    outside its domain. Folds on constants.
  }];
}

def ONNX_SinOp : ONNX_UnaryIOOp<"Sin"> {
  let summary = "elementwise sine";
  let description = [{
    ONNX `Sin` (opset 7, unchanged through 21): `output = sin(input)`. Folds
    on constants (the sine positional encoding).

    ```mlir
    %1 = onnx.Sin %0 : (tensor<1x25x38x64xf32>) -> tensor<1x25x38x64xf32>
    ```
  }];
}

def ONNX_CosOp : ONNX_UnaryIOOp<"Cos"> {
  let summary = "elementwise cosine";
  let description = [{
    ONNX `Cos` (opset 7, unchanged through 21): `output = cos(input)`. Folds
    on constants (the sine positional encoding).

    ```mlir
    %1 = onnx.Cos %0 : (tensor<1x25x38x64xf32>) -> tensor<1x25x38x64xf32>
    ```
  }];
}

def ONNX_ErfOp : ONNX_UnaryIOOp<"Erf"> {
  let summary = "elementwise error function";
  let description = [{
    ONNX `Erf` (opset 13): `output = erf(input)`, as the exact GELU of older
    exporters uses it. Folds on constants.

    ```mlir
    %1 = onnx.Erf %0 : (tensor<950x2048xf32>) -> tensor<950x2048xf32>
    ```
  }];
}

def ONNX_ExpOp : ONNX_UnaryIOOp<"Exp"> {
  let summary = "elementwise exponential";
  let description = [{
    ONNX `Exp` (opset 13): `output = e ^ input`. Folds on constants.

    ```mlir
    %1 = onnx.Exp %0 : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def ONNX_LogOp : ONNX_UnaryIOOp<"Log"> {
  let summary = "elementwise natural logarithm";
  let description = [{
    ONNX `Log` (opset 13): `output = ln(input)`; `-inf` for 0 and NaN for
    negative inputs. Folds on constants.

    ```mlir
    %1 = onnx.Log %0 : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def ONNX_NegOp : ONNX_UnaryOp<"Neg"> {
  let summary = "elementwise negation";
  let description = [{
    ONNX `Neg` (opset 13): `Y = -X`; signed integers wrap around. Folds on
    constants.

    ```mlir
    %1 = onnx.Neg %0 : (tensor<4xi64>) -> tensor<4xi64>
    ```
  }];
}

def ONNX_AbsOp : ONNX_UnaryOp<"Abs"> {
  let summary = "elementwise absolute value";
  let description = [{
    ONNX `Abs` (opset 13): `Y = |X|`. Folds on constants.

    ```mlir
    %1 = onnx.Abs %0 : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def ONNX_TanhOp : ONNX_UnaryIOOp<"Tanh"> {
  let summary = "elementwise hyperbolic tangent";
  let description = [{
    ONNX `Tanh` (opset 13): `output = tanh(input)`. Folds on constants.

    ```mlir
    %1 = onnx.Tanh %0 : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def ONNX_SigmoidOp : ONNX_UnaryOp<"Sigmoid"> {
  let summary = "elementwise logistic sigmoid";
  let description = [{
    ONNX `Sigmoid` (opset 13): `Y = 1 / (1 + exp(-X))`. Folds on constants.

    ```mlir
    %1 = onnx.Sigmoid %0 : (tensor<1x200x4xf32>) -> tensor<1x200x4xf32>
    ```
  }];
}

def ONNX_ReciprocalOp : ONNX_UnaryOp<"Reciprocal"> {
  let summary = "elementwise reciprocal";
  let description = [{
    ONNX `Reciprocal` (opset 13): `Y = 1 / X`. Folds on constants.

    ```mlir
    %1 = onnx.Reciprocal %0 : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def ONNX_NotOp : ONNX_UnaryOp<"Not"> {
  let summary = "elementwise logical not";
  let description = [{
    ONNX `Not` (opset 1, unchanged through 21): `Y = not X` on a bool
    tensor. Folds on constants.

    ```mlir
    %1 = onnx.Not %0 : (tensor<1x25x38xi1>) -> tensor<1x25x38xi1>
    ```
  }];
}

def ONNX_GeluOp : ONNX_UnaryOp<"Gelu"> {
  let summary = "elementwise Gaussian error linear unit";
  let description = [{
    ONNX `Gelu` (opset 20): `Y = 0.5 * X * (1 + erf(X / sqrt(2)))`, or with
    `approximate = "tanh"`, `Y = 0.5 * X * (1 + tanh(sqrt(2 / pi) *
    (X + 0.044715 * X^3)))`. The verifier rejects other `approximate`
    values. Folds on constants.

    ```mlir
    %1 = onnx.Gelu %0 {approximate = "tanh"} : (tensor<950x2048xf32>) -> tensor<950x2048xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}

def ONNX_CastOp : ONNX_InferredOp<"Cast", [ONNX_Elementwise]> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    ONNX `Cast` (opsets 13, 19, 21): converts every element to the type
    numbered `to` in ONNX's TensorProto.DataType: 1 f32, 10 f16, 16 bf16,
    11 f64, 7 i64, 6 i32, 5 i16, 3 i8, 2 ui8, 4 ui16, 12 ui32, 13 ui64,
    9 bool (`i1`). Floats round to nearest even, floats convert to integers
    by truncation toward zero, anything converts to bool by testing for
    non-zero. `saturate` (opset 19) only affects float8 targets, which the
    dialect does not have; it is accepted and has no effect. Other `to`
    values (strings, complex, float8, int4) are rejected.

    Folds on constants (not float values outside the target integer range,
    which ONNX leaves undefined), and to its input when the types are equal.

    ```mlir
    %1 = onnx.Cast %0 {to = 1 : si64} : (tensor<1x25x38xi1>) -> tensor<1x25x38xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, SI64Attr:$to,
                       DefaultValuedAttr<SI64Attr, "1">:$saturate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_CastLikeOp : ONNX_CompositeOp<"CastLike"> {
  let summary = "elementwise conversion to the element type of another tensor";
  let description = [{
    ONNX `CastLike` (opsets 15, 19, 21): `input` converted as Cast converts
    it, to the element type of `target_type` (whose values are not read).
    Function bodies and the exporters' library functions use it to type
    their constants. Folds as Cast does; `onnx-decompose` makes it the Cast
    it stands for.

    ```mlir
    %2 = onnx.CastLike %0, %1 : (tensor<f64>, tensor<3x4xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                       DefaultValuedAttr<SI64Attr, "1">:$saturate);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// ONNX's TensorProto.DataType number of the result's element type.
    int64_t getTargetTypeNumber();
  }];
}

def ONNX_ClipOp : ONNX_InferredOp<"Clip", [ONNX_Elementwise]> {
  let summary = "elementwise clamp to [min, max]";
  let description = [{
    ONNX `Clip` (opset 13): `output = min(max(input, min), max)`, with the
    scalar inputs `min` and `max` each optional (no bound when left out), as
    numpy's `clip`: a NaN input or bound gives NaN, and with `min > max`
    every element is `max`. A kernel runs it on floats (ReLU6);
    `onnx-decompose` expands it on integers, the shape arithmetic of
    exported models, into `Where(Less(input, min), min, input)` and the same
    against `max`, which fold. Folds on constants, and to its input when it
    has no bound.

    ```mlir
    %3 = onnx.Clip %0, %1, %2 : (tensor<3x4xf32>, tensor<f32>, tensor<f32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, ONNX_TensorOrNone:$min,
                       ONNX_TensorOrNone:$max);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_HardSigmoidOp : ONNX_InferredOp<"HardSigmoid", [ONNX_Elementwise]> {
  let summary = "elementwise hard sigmoid";
  let description = [{
    ONNX `HardSigmoid` (opsets 6, 22): `Y = max(0, min(1, alpha * X +
    beta))`, on floats, clamped as Clip does (a NaN stays). Kernels run it
    in one pass (MobileNetV3's squeeze-and-excitation gates).
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5">:$beta);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_HardSwishOp : ONNX_InferredOp<"HardSwish", [ONNX_Elementwise]> {
  let summary = "elementwise hard swish";
  let description = [{
    ONNX `HardSwish` (opsets 14, 22): `Y = X * HardSigmoid(X)` with
    `alpha = 1/6`, `beta = 0.5`, on floats. Kernels run it in one pass
    (MobileNetV3's activation).
  }];
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_LeakyReluOp : ONNX_InferredOp<"LeakyRelu", [ONNX_Elementwise]> {
  let summary = "elementwise leaky ReLU";
  let description = [{
    ONNX `LeakyRelu` (opsets 6, 16): `Y = X < 0 ? alpha * X : X`, on
    floats (a NaN stays). Kernels run it in one pass (DarkNet's and
    CSPNet's activation).
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_SwishOp : ONNX_InferredOp<"Swish", [ONNX_Elementwise]> {
  let summary = "elementwise swish";
  let description = [{
    ONNX `Swish` (opset 24): `Y = X * Sigmoid(alpha * X)`, on floats; with
    `alpha = 1`, the SiLU of EfficientNet, which raising forms from
    `Mul(X, Sigmoid(X))`. Kernels run it in one pass, with the sigmoid of
    the Sigmoid kernel: the bits of the Sigmoid and the Mul.
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_WhereOp : ONNX_InferredOp<"Where", [ONNX_Elementwise]> {
  let summary = "elementwise selection with multidirectional broadcasting";
  let description = [{
    ONNX `Where` (opsets 9, 16): `output = condition ? X : Y`, the three
    operands broadcast as numpy does; `condition` is bool (`i1`). Opset 16
    only widens the element types.

    Folds on constants, and to X (Y) when the condition is a constant that
    is all true (false) and X (Y) already has the result's type.

    ```mlir
    %3 = onnx.Where %0, %1, %2
        : (tensor<1x1x5x12xi1>, tensor<f32>, tensor<8x1x5x12xf32>) -> tensor<8x1x5x12xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$condition, AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

def ONNX_SoftmaxOp : ONNX_InferredOp<"Softmax", [ONNX_F32Kernels]> {
  let summary = "softmax along one axis";
  let description = [{
    ONNX `Softmax` (opset 13): `exp(x) / sum(exp(x))` along `axis` (default
    -1, counted from the end when negative). Opsets before 13 flattened the
    input to 2-D at `axis`; the importer reads such a node as opset 13's
    when the sizes after `axis` are all 1, and refuses it otherwise.

    ```mlir
    %1 = onnx.Softmax %0 {axis = -1 : si64} : tensor<8x200x950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  // The text of the first version of the dialect; the result type, equal to
  // the input's, is inferred.
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

def ONNX_TopKOp : ONNX_InferredOp<"TopK"> {
  let summary = "the k largest (or smallest) elements along one axis";
  let description = [{
    ONNX `TopK` (opsets 11, 24): the `K` largest elements of `X` along
    `axis` (default -1), or the smallest with `largest = 0`, and their
    int64 indices, in order: the largest (smallest) first, the lower index
    first among equal values. NaN counts as larger than any number, as in
    ONNX's reference and PyTorch. `K` is a 1-element int64 tensor; a
    compiled model needs it constant (it sizes the results). Results are
    always sorted, which `sorted = 0` allows. The kernels take f32, f64,
    i64, i32, i8 and u8.

    ```mlir
    %values, %indices = onnx.TopK %logits, %k {axis = -1 : si64}
        : (tensor<1x200xf32>, tensor<1xi64>) -> (tensor<1x5xf32>, tensor<1x5xi64>)
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$K,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis,
                       DefaultValuedAttr<SI64Attr, "1">:$largest,
                       DefaultValuedAttr<SI64Attr, "1">:$sorted);
  let results = (outs AnyTensor:$Values, AnyTensor:$Indices);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

def ONNX_MatMulOp : ONNX_InferredOp<"MatMul", [ONNX_F32Kernels]> {
  let summary = "matrix product with batch broadcasting";
  let description = [{
    ONNX `MatMul` (opset 13): the matrix product of the last two dimensions
    of `A` and `B`, leading dimensions broadcast as numpy.matmul does. A 1-D
    `A` is a row vector and a 1-D `B` a column vector, whose dimension the
    result drops. Inference rejects contracted sizes that differ and batch
    dimensions that do not broadcast.

    ```mlir
    %2 = onnx.MatMul %0, %1
        : (tensor<8x950x32xf32>, tensor<8x32x950xf32>) -> tensor<8x950x950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "$A `,` $B attr-dict `:` functional-type(operands, results)";
}

def ONNX_GemmOp : ONNX_InferredOp<"Gemm", [ONNX_F32Kernels]> {
  let summary = "general matrix multiplication";
  let description = [{
    ONNX `Gemm` (opset 13): `Y = alpha * op(A) * op(B) + beta * C`, where
    `op` transposes its 2-D operand when `transA` (`transB`) is non-zero.
    `C` is optional (`none`) and unidirectionally broadcastable to the
    `M x N` result.

    ```mlir
    %3 = onnx.Gemm %0, %1, %2 {transB = 1 : si64}
        : (tensor<200x256xf32>, tensor<1x256xf32>, tensor<1xf32>) -> tensor<200x1xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, ONNX_TensorOrNone:$C,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<SI64Attr, "0">:$transA,
                       DefaultValuedAttr<SI64Attr, "0">:$transB);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def ONNX_ReduceMeanOp : ONNX_InferredOp<"ReduceMean"> {
  let summary = "mean over the given axes";
  let description = [{
    ONNX `ReduceMean` (opsets 13, 18): the mean of `data` over `axes`,
    keeping them as size-1 dimensions when `keepdims` is non-zero. Up to
    opset 17 the axes are the attribute `axes`; from opset 18 they are the
    optional input `axes_input` (`none` when omitted). Empty axes reduce
    every dimension, unless `noop_with_empty_axes` (opset 18) is non-zero,
    which makes the op the identity. Integer means truncate toward zero.

    Folds small constants (computed in double, rounded once), and the
    identity case to its input.

    ```mlir
    %1 = onnx.ReduceMean %0 {axes = array<i64: -1>} : (tensor<950x256xf32>) -> tensor<950x1xf32>
    %3 = onnx.ReduceMean %0, %2 {keepdims = 0 : si64}
        : (tensor<950x256xf32>, tensor<1xi64>) -> tensor<950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes_input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def ONNX_ReduceSumOp : ONNX_InferredOp<"ReduceSum"> {
  let summary = "sum over the given axes";
  let description = [{
    ONNX `ReduceSum` (opset 13): the sum of `data` over the optional input
    `axes` (`none` when omitted; the attribute of earlier opsets is gone),
    keeping them as size-1 dimensions when `keepdims` is non-zero. Empty
    axes reduce every dimension, unless `noop_with_empty_axes` is non-zero,
    which makes the op the identity. Integers wrap around.

    Folds small constants (computed in double, rounded once), and the
    identity case to its input.

    ```mlir
    %2 = onnx.ReduceSum %0, %1 : (tensor<1x8x200x950xf32>, tensor<1xi64>) -> tensor<1x1x200x950xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def ONNX_ReduceMaxOp : ONNX_InferredOp<"ReduceMax"> {
  let summary = "maximum over the given axes";
  let description = [{
    ONNX `ReduceMax` (opsets 13, 18, 20): the maximum of `data` over `axes`,
    keeping them as size-1 dimensions when `keepdims` is non-zero; NaN wins.
    Up to opset 17 the axes are the attribute `axes`; from opset 18 they are
    the optional input `axes_input`. Empty axes reduce every dimension,
    unless `noop_with_empty_axes` (opset 18) is non-zero, which makes the op
    the identity. Opset 20 adds bool data (the maximum is `or`).

    Folds small constants, and the identity case to its input.

    ```mlir
    %2 = onnx.ReduceMax %0, %1 : (tensor<1x25x38xf32>, tensor<2xi64>) -> tensor<1x1x1xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes_input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def ONNX_ReduceProdOp : ONNX_InferredOp<"ReduceProd"> {
  let summary = "product over the given axes";
  let description = [{
    ONNX `ReduceProd` (opsets 13, 18): the product of `data` over `axes`,
    keeping them as size-1 dimensions when `keepdims` is non-zero; the
    axes are given as ReduceMax's are. The kernels multiply floats in f64
    and integers modulo 2^64 (so that they wrap as the element type does).
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes_input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

def ONNX_CumSumOp : ONNX_InferredOp<"CumSum"> {
  let summary = "cumulative sum along one axis";
  let description = [{
    ONNX `CumSum` (opsets 11, 14): running sums of `x` along the axis given
    by the input `axis` (a scalar or a 1-element integer tensor, negative
    counted from the end). `exclusive` leaves the current element out of
    its sum; `reverse` sums from the end. Opset 14 adds float16 and
    bfloat16.

    Folds on constants, summing in the element type one step at a time as
    ONNX Runtime does (the padding-mask positional encoding).

    ```mlir
    %2 = onnx.CumSum %0, %1 : (tensor<1x25x38xf32>, tensor<i64>) -> tensor<1x25x38xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$axis,
                       DefaultValuedAttr<SI64Attr, "0">:$exclusive,
                       DefaultValuedAttr<SI64Attr, "0">:$reverse);
  let results = (outs AnyTensor:$y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def ONNX_LayerNormalizationOp : ONNX_InferredOp<"LayerNormalization", [ONNX_F32Kernels]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    ONNX `LayerNormalization` (opset 17): normalizes `X` over the
    dimensions from `axis` (default -1) to the last, `Y = (X - mean) /
    sqrt(var + epsilon) * Scale + B`; `B` is optional (`none`). `Scale` and
    `B` broadcast unidirectionally to X. The optional outputs `Mean` and
    `InvStdDev` have X's shape with the normalized dimensions set to 1, and
    the float type numbered `stash_type` (1 f32, 10 f16, 11 f64, 16 bf16).

    ```mlir
    %y, %mean, %inv = onnx.LayerNormalization %0, %1, %2 {epsilon = 9.99999974E-6 : f32}
        : (tensor<950x256xf32>, tensor<256xf32>, tensor<256xf32>)
        -> (tensor<950x256xf32>, tensor<950x1xf32>, tensor<950x1xf32>)
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Scale, ONNX_TensorOrNone:$B,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y, AnyTensor:$Mean, AnyTensor:$InvStdDev);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_BatchNormalizationOp : ONNX_InferredOp<"BatchNormalization", [ONNX_F32Kernels]> {
  let summary = "batch normalization with running statistics (inference)";
  let description = [{
    ONNX `BatchNormalization` (opsets 9, 14, 15), inference form: per channel
    (dimension 1 of `X`), `Y = (X - input_mean) / sqrt(input_var + epsilon)
    * scale + B`. `scale`, `B`, `input_mean` and `input_var` are 1-D of the
    channel count. `momentum` only matters in training; `training_mode`
    (opset 14) must be 0, the verifier rejects 1. The optional outputs
    `running_mean` and `running_var` (opset 14 names) are the input
    statistics' shapes; in inference mode models do not use them. Opset 9's
    training-only outputs `saved_mean`/`saved_var` are not represented.

    ```mlir
    %y, %rm, %rv = onnx.BatchNormalization %0, %1, %2, %3, %4
        : (tensor<1x64x200x304xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
        -> (tensor<1x64x200x304xf32>, tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$B,
                       AnyTensor:$input_mean, AnyTensor:$input_var,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                       DefaultValuedAttr<SI64Attr, "0">:$training_mode);
  let results = (outs AnyTensor:$Y, AnyTensor:$running_mean,
                      AnyTensor:$running_var);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The per-channel `Y = X * a + b` that the op is where its parameters
    /// are f32 constants and its statistics outputs unused, `a` and `b`
    /// folded in double and rounded to f32 (as the kernels fold them);
    /// else nullopt.
    std::optional<std::pair<llvm::SmallVector<float>,
                            llvm::SmallVector<float>>> getConstantAffine();
  }];
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

def ONNX_ConvOp : ONNX_InferredOp<"Conv", [ONNX_F32Kernels]> {
  let summary = "N-D convolution (NCHW)";
  let description = [{
    ONNX `Conv` (opsets 11, unchanged through 21): the cross-correlation of
    `X` (N x C x D1 x ... x Dn) with the filters `W` (M x C/group x k1 x
    ... x kn), plus the optional bias `B` (M, or `none`). Each spatial
    output size is `floor((D + pad_begin + pad_end - ((k - 1) * dilation +
    1)) / stride) + 1` with `auto_pad = "NOTSET"` (explicit `pads`, ordered
    [x1_begin, x2_begin, ..., x1_end, x2_end, ...]), `ceil(D / stride)` with
    SAME_UPPER and SAME_LOWER, and the formula with zero pads with VALID.
    `kernel_shape`, `strides`, `dilations` and `pads` default to W's spatial
    sizes, ones, ones and zeros. The verifier rejects other `auto_pad`
    values.

    ```mlir
    %3 = onnx.Conv %0, %1, %2 {kernel_shape = array<i64: 7, 7>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
        : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x400x608xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, ONNX_TensorOrNone:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DefaultValuedAttr<SI64Attr, "1">:$group,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_Col2ImOp : ONNX_CompositeOp<"Col2Im"> {
  let summary = "image blocks from columns, overlaps summed";
  let description = [{
    ONNX `Col2Im` (opset 18), PyTorch's `F.fold`: `input` (N x (C *
    prod(block_shape)) x L) holds, for each of the L positions of a block
    sliding over an image of `image_shape` (padded by `pads`, begins then
    ends, with `strides` and `dilations`), the block's C x block_shape
    values, row-major; the result (N x C x image_shape) sums them back where
    blocks overlap. `image_shape` and `block_shape` are 1-D i64 constants.
    Float elements. Expands, in 2-D, into a ConvTranspose with C groups
    of one-hot filters, which places each value at its position in its
    block; other ranks are refused.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$image_shape,
                       AnyTensor:$block_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_ConvTransposeOp : ONNX_CompositeOp<"ConvTranspose"> {
  let summary = "N-D transposed convolution (NCHW)";
  let description = [{
    ONNX `ConvTranspose` (opsets 11, unchanged through 21): the gradient of
    Conv with respect to its input, as used for learned upsampling. `X` (N x
    C x D1 x ... x Dn) and the filters `W` (C x M/group x k1 x ... x kn) give
    M output channels, plus the optional bias `B` (M, or `none`). Each
    spatial output size is `stride * (D - 1) + output_padding + ((k - 1) *
    dilation + 1) - pad_begin - pad_end`. With `output_shape` (the spatial
    sizes, or N, C and them) the pads are what makes that size, split as
    auto_pad says: the odd one at the end with SAME_UPPER, else at the
    beginning; SAME_UPPER and SAME_LOWER without `output_shape` ask for `D *
    stride`; VALID means zero pads. onnx-decompose rewrites it as a Conv
    over X with `stride - 1` zeros between its elements, the flipped filters
    and the pads the kernel extent leaves.

    ```mlir
    %3 = onnx.ConvTranspose %0, %1, %2 {kernel_shape = array<i64: 4, 4>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
        : (tensor<1x64x50x76xf32>, tensor<64x32x4x4xf32>, tensor<32xf32>) -> tensor<1x32x100x152xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, ONNX_TensorOrNone:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DefaultValuedAttr<SI64Attr, "1">:$group,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                       OptionalAttr<DenseI64ArrayAttr>:$output_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_MaxPoolOp : ONNX_InferredOp<"MaxPool", [ONNX_F32Kernels]> {
  let summary = "N-D max pooling (NCHW)";
  let description = [{
    ONNX `MaxPool` (opsets 12, unchanged through 21): the maximum of each
    `kernel_shape` window of `X` (N x C x D1 x ... x Dn), with `strides`,
    `dilations` and `pads` as in Conv. With `ceil_mode` the output sizes
    round up, dropping a last window that would start in the end padding
    (as PyTorch and ONNX Runtime do). The optional output `Indices` (i64)
    holds the flat index of each maximum, row-major (`storage_order = 0`)
    or column-major (1). The verifier rejects other `auto_pad`,
    `ceil_mode` and `storage_order` values.

    ```mlir
    %y, %i = onnx.MaxPool %0 {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
        : (tensor<1x64x400x608xf32>) -> (tensor<1x64x200x304xf32>, tensor<1x64x200x304xi64>)
    ```
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       DefaultValuedAttr<SI64Attr, "0">:$storage_order,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y, AnyTensor:$Indices);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Composite ops
//===----------------------------------------------------------------------===//
//
// Ops that are compositions of the ones above (ONNX defines most of them as
// functions; trait ONNX_Composite). No kernel runs them: `onnx-decompose`
// expands each into the ops its description names, exactly as the formula
// says, NaN included.

/// A comparison that onnx-decompose expands to `Or(op(A, B), Equal(A, B))`.
class ONNX_OrEqualOp<string mnemonic, string op>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "elementwise " # op # " with multidirectional broadcasting";
  let description = [{
    ONNX `}] # mnemonic # [{` (opsets 12, 16): `C = (A }] # op # [{ B)` as
    bool (`i1`), broadcast as numpy does; false when either is NaN.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_GreaterOrEqualOp : ONNX_OrEqualOp<"GreaterOrEqual", ">=">;
def ONNX_LessOrEqualOp : ONNX_OrEqualOp<"LessOrEqual", "<=">;

/// An elementwise float activation `Y = f(X)`, `alpha` (and `beta`,
/// `gamma`) its parameters.
class ONNX_ActivationOp<string mnemonic, string formula,
                        dag parameters = (ins)>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "elementwise " # mnemonic # " activation";
  let description = [{
    ONNX `}] # mnemonic # [{` (every version up to opset 28, unless said):
    }] # formula # [{
  }];
  let arguments = !con((ins AnyTensor:$X), parameters);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

/// An elementwise float activation that kernels run in one pass (f32, f64,
/// and f16 and bf16 in f32 rounded once), not composite.
class ONNX_KernelActivationOp<string mnemonic, string formula,
                              dag parameters = (ins)>
    : ONNX_InferredOp<mnemonic, [ONNX_Elementwise]> {
  let summary = "elementwise " # mnemonic # " activation";
  let description = [{
    ONNX `}] # mnemonic # [{` (every version up to opset 28, unless said):
    }] # formula # [{ Kernels run it in one pass.
  }];
  let arguments = !con((ins AnyTensor:$X), parameters);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_ThresholdedReluOp : ONNX_ActivationOp<"ThresholdedRelu",
    "`Y = X > alpha ? X : 0`.",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_EluOp : ONNX_KernelActivationOp<"Elu",
    "`Y = X < 0 ? alpha * (exp(X) - 1) : X`, `exp(X) - 1` computed so that "
    "it does not cancel near 0.",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_SeluOp : ONNX_KernelActivationOp<"Selu",
    "`Y = X > 0 ? gamma * X : gamma * (alpha * exp(X) - alpha)`, computed as "
    "`gamma * alpha * (exp(X) - 1)`, as Elu.",
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def ONNX_CeluOp : ONNX_KernelActivationOp<"Celu",
    "`Y = max(0, X) + min(0, alpha * (exp(X / alpha) - 1))`, for `alpha > 0` "
    "`X > 0 ? X : alpha * (exp(X / alpha) - 1)`, as Elu; `onnx-decompose` "
    "expands one of another alpha into the ops of the formula.",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def ONNX_SoftplusOp : ONNX_KernelActivationOp<"Softplus",
    "`Y = ln(exp(X) + 1)`, computed as `max(X, 0) + ln(1 + exp(-|X|))`, "
    "which is equal, does not overflow for large X and keeps the small "
    "values of very negative X.">;
def ONNX_SoftsignOp : ONNX_ActivationOp<"Softsign",
    "`output = input / (1 + |input|)`."> {
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
}

def ONNX_PReluOp : ONNX_InferredOp<"PRelu", [ONNX_Elementwise]> {
  let summary = "elementwise leaky ReLU with a slope tensor";
  let description = [{
    ONNX `PRelu` (opset 16): `Y = X < 0 ? slope * X : X`, where `slope`
    broadcasts to `X` one way (numpy rules, X's shape kept); the product
    wraps around on integers, as Mul's. Kernels run it in one pass (the
    per-channel slopes of face recognition's ResNets).

    ```mlir
    %2 = onnx.PRelu %0, %1 : (tensor<1x64x8x8xf32>, tensor<64x1x1xf32>) -> tensor<1x64x8x8xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$slope);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

/// A variadic maximum or minimum: onnx-decompose expands it to Where
/// selections, pair by pair from the left.
class ONNX_ExtremumOp<string mnemonic, string result, string comparison>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "elementwise " # result # "imum of its inputs";
  let description = [{
    ONNX `}] # mnemonic # [{` (opset 13): the }] # result # [{imum of one
    or more inputs of one element type, broadcast together as numpy does;
    NaN wins. Each pair `(a, b)` from the left expands to
    `Where(Or(}] # comparison # [{, Not(Equal(b, b))), b, a)` (integers
    without the NaN test).
  }];
  let arguments = (ins Variadic<AnyTensor>:$data_0);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_MaxOp : ONNX_ExtremumOp<"Max", "max", "Less(a, b)"> {
  let results = (outs AnyTensor:$max);
}
def ONNX_MinOp : ONNX_ExtremumOp<"Min", "min", "Less(b, a)"> {
  let results = (outs AnyTensor:$min);
}

def ONNX_SumOp : ONNX_CompositeOp<"Sum"> {
  let summary = "elementwise sum of its inputs";
  let description = [{
    ONNX `Sum` (opset 13): the sum of one or more inputs, broadcast together
    as numpy does. Expands to Adds, left to right.

    ```mlir
    %2 = onnx.Sum %0, %1 : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$data_0);
  let results = (outs AnyTensor:$sum);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_MeanOp : ONNX_CompositeOp<"Mean"> {
  let summary = "elementwise mean of its inputs";
  let description = [{
    ONNX `Mean` (opset 13): the mean of one or more float inputs, broadcast
    together as numpy does. Expands to Adds, left to right, then a Div by
    their count.

    ```mlir
    %2 = onnx.Mean %0, %1 : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$data_0);
  let results = (outs AnyTensor:$mean);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

/// A pooling over all spatial dimensions of X (N x C x D1 x ... x Dn), to
/// Y (N x C x 1 x ... x 1).
class ONNX_GlobalPoolOp<string mnemonic, string reduction>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "the " # reduction # " of each channel over its spatial "
                "dimensions";
  let description = [{
    ONNX `}] # mnemonic # [{` (opset 1, unchanged through 21): `X` is
    N x C x D1 x ... x Dn (n >= 1), `Y` is N x C x 1 x ... x 1. Expands to
    a }] # reduction # [{ over axes 2 to n + 1, keeping them.
  }];
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_GlobalAveragePoolOp
    : ONNX_GlobalPoolOp<"GlobalAveragePool", "ReduceMean">;

def ONNX_AveragePoolOp : ONNX_CompositeOp<"AveragePool"> {
  let summary = "1-D to 3-D average pooling (NCHW)";
  let description = [{
    ONNX `AveragePool` (opsets 11, 19 with dilations, 22): the mean of each
    `kernel_shape` window of `X` (N x C x D1 x ... x Dn), windows placed as
    MaxPool places them (ceil mode included). Without `count_include_pad`
    the mean is over the window's elements inside X; with it, over those
    inside X and its `pads`, not the extra end that ceil mode adds (as
    PyTorch's `avg_pool2d` counts).

    Expands, for 1-D and 2-D pooling of a static shape, to a depthwise
    Conv with a window of ones (its end pads set so that it has the pool's
    windows, which ceil mode may add to or drop from), the window sums,
    divided by a constant holding each window's count; a
    3-D one is first separated into a 2-D pool of each depth slice and one
    along the depth, as a 3-D MaxPool is.

    ```mlir
    %y = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : (tensor<1x256x50x76xf32>) -> tensor<1x256x25x38xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                       DefaultValuedAttr<SI64Attr, "0">:$count_include_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def ONNX_LpPoolOp : ONNX_CompositeOp<"LpPool"> {
  let summary = "1-D to 3-D Lp pooling (NCHW)";
  let description = [{
    ONNX `LpPool` (opsets 11, 18 with ceil_mode and dilations, 22): the p-norm
    `(sum |x|^p)^(1/p)` of each `kernel_shape` window of `X` (N x C x D1 x
    ... x Dn), windows placed as MaxPool places them (ceil mode included);
    the pads add nothing to the sums. `p` is 1 or more (2 by default).

    Expands, for 1-D and 2-D pooling of a static shape, to the window sums
    of `|x|^p` by a depthwise Conv with a window of ones (as AveragePool's
    expansion sums) and their power `1/p`; a 3-D one is first separated
    into a 2-D pool of each depth slice and one along the depth, exact
    since the norm of a box is the norm of its planes' norms.

    ```mlir
    %y = onnx.LpPool %x {kernel_shape = array<i64: 3, 3>, p = 2 : si64, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<SI64Attr, "2">:$p,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def ONNX_GlobalMaxPoolOp : ONNX_GlobalPoolOp<"GlobalMaxPool", "ReduceMax">;

def ONNX_MishOp : ONNX_KernelActivationOp<"Mish",
    "`Y = X * tanh(Softplus(X))` (opset 18), `tanh(Softplus(X))` computed "
    "from `exp(-|X|)` so that it neither overflows nor cancels.">;
def ONNX_ShrinkOp : ONNX_CompositeOp<"Shrink"> {
  let summary = "elementwise shrinkage towards zero";
  let description = [{
    ONNX `Shrink` (opset 9): `output = input < -lambd ? input + bias :
    input > lambd ? input - bias : 0`, for float inputs.
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.0">:$bias,
                       DefaultValuedAttr<F32Attr, "0.5">:$lambd);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_SignOp : ONNX_CompositeOp<"Sign"> {
  let summary = "elementwise sign";
  let description = [{
    ONNX `Sign` (opset 13): 1 where `input > 0`, -1 where `input < 0`, else
    the input itself (0, or NaN). Expands to two Wheres.
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_IsNaNOp : ONNX_CompositeOp<"IsNaN"> {
  let summary = "elementwise test for NaN";
  let description = [{
    ONNX `IsNaN` (opsets 13, 20): bool `Y`, true where `X` is NaN. Expands
    to `Not(Equal(X, X))`.
  }];
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_IsInfOp : ONNX_CompositeOp<"IsInf"> {
  let summary = "elementwise test for infinity";
  let description = [{
    ONNX `IsInf` (opsets 10, 20): bool `Y`, true where `X` is +inf (unless
    `detect_positive` is 0) or -inf (unless `detect_negative` is 0).
    Expands to Equal against the infinities it detects.
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<SI64Attr, "1">:$detect_negative,
                       DefaultValuedAttr<SI64Attr, "1">:$detect_positive);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_XorOp : ONNX_CompositeOp<"Xor"> {
  let summary = "elementwise exclusive or";
  let description = [{
    ONNX `Xor` (opset 7): bool `C = A xor B`, broadcast as numpy does.
    Expands to `Not(Equal(A, B))`.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_ModOp : ONNX_InferredOp<"Mod", [ONNX_Elementwise]> {
  let summary = "elementwise remainder with multidirectional broadcasting";
  let description = [{
    ONNX `Mod` (opsets 10, 13): `C = A mod B`, broadcast as numpy does.
    With `fmod = 0` the remainder has B's sign, as Python's `%` and
    numpy's `mod`; with `fmod = 1` A's, as C's `fmod`. Folds on constants (not a
    division by zero), which is where exporters put it (shape arithmetic).
    `onnx-decompose` expands integers to `A - B * Div(A, B)` (Div
    truncates), plus B where that has the wrong sign for `fmod = 0`; floats
    run as they are, on kernels of their own.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                       DefaultValuedAttr<SI64Attr, "0">:$fmod);
  let results = (outs AnyTensor:$C);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def ONNX_LogSoftmaxOp : ONNX_CompositeOp<"LogSoftmax"> {
  let summary = "logarithm of the softmax along one axis";
  let description = [{
    ONNX `LogSoftmax` (opset 13; before 13, as Softmax, read in its opset-13
    form): `log(softmax(input))` along `axis` (default -1), computed as
    `d - log(ReduceSum(exp(d)))` with `d = input - ReduceMax(input)`, which
    neither overflows nor loses the small probabilities.
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_HardmaxOp : ONNX_CompositeOp<"Hardmax"> {
  let summary = "one-hot of the first maximum along one axis";
  let description = [{
    ONNX `Hardmax` (opset 13): 1 at the first position of the maximum along
    `axis` (default -1), 0 elsewhere. Expands as ArgMax does, then compares
    each position with the index found.
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

/// ArgMax or ArgMin: the int64 index of the extremum along one axis.
class ONNX_ArgOp<string mnemonic, string extremum>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "index of the " # extremum # " along one axis";
  let description = [{
    ONNX `}] # mnemonic # [{` (opset 13): the int64 index along `axis` of the
    }] # extremum # [{ of `data`, the first one (the last with
    `select_last_index`), keeping the axis as size 1 when `keepdims` is
    non-zero; NaN counts as the }] # extremum # [{, as in numpy. The axis
    must have a known size. Expands to a ReduceMax of the data (ArgMin's
    turned around: `-x`, `-1 - x` or `max - x`), an Equal that marks where
    it is reached, and a ReduceMax over the marked positions' indices.
  }];
  let arguments = (ins AnyTensor:$data,
                       DefaultValuedAttr<SI64Attr, "0">:$axis,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$select_last_index);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_ArgMaxOp : ONNX_ArgOp<"ArgMax", "maximum">;
def ONNX_ArgMinOp : ONNX_ArgOp<"ArgMin", "minimum">;

/// A reduction that onnx-decompose expands into ReduceSum or ReduceMax and
/// elementwise ops; its axes come as ReduceMax's do.
class ONNX_CompositeReduceOp<string mnemonic, string formula>
    : ONNX_CompositeOp<mnemonic> {
  let summary = "composite reduction over the given axes";
  let description = [{
    ONNX `}] # mnemonic # [{` (opsets 13, 18): }] # formula # [{ over
    `axes`, keeping them as size-1 dimensions when `keepdims` is non-zero.
    The axes are given as ReduceMax's are: the attribute `axes` up to opset
    17, the optional input `axes_input` from 18; empty axes reduce every
    dimension unless `noop_with_empty_axes` is non-zero.
  }];
  let arguments = (ins AnyTensor:$data, ONNX_TensorOrNone:$axes_input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                       DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ReduceMinOp : ONNX_CompositeReduceOp<"ReduceMin",
    "the minimum (NaN wins; bool from opset 20, the minimum being `and`), "
    "expanded as the ReduceMax of the data turned around (`-x`, `-1 - x`, "
    "`max - x` or `not x`), turned back">;
def ONNX_ReduceL1Op : ONNX_CompositeReduceOp<"ReduceL1",
    "the sum of absolute values, `ReduceSum(Abs(data))`,">;
def ONNX_ReduceL2Op : ONNX_CompositeReduceOp<"ReduceL2",
    "the Euclidean norm, `Sqrt(ReduceSum(data * data))`,">;
def ONNX_ReduceSumSquareOp : ONNX_CompositeReduceOp<"ReduceSumSquare",
    "the sum of squares, `ReduceSum(data * data)`,">;
def ONNX_ReduceLogSumOp : ONNX_CompositeReduceOp<"ReduceLogSum",
    "the logarithm of the sum, `Log(ReduceSum(data))`,">;
def ONNX_ReduceLogSumExpOp : ONNX_CompositeReduceOp<"ReduceLogSumExp",
    "`log(sum(exp(data)))`, computed as `m + Log(ReduceSum(Exp(data - m)))` "
    "with `m` the maximum (0 where that is infinite), which does not "
    "overflow,">;

def ONNX_EinsumOp : ONNX_CompositeOp<"Einsum"> {
  let summary = "Einstein summation of one or two tensors";
  let description = [{
    ONNX `Einsum` (opset 12): `equation` names each input's dimensions by
    letters (`...` for the leading ones), optionally followed by `->` and the
    output's (implicitly: `...`, then the letters that appear once, in
    alphabetical order); letters missing from the output are summed over.

    With one input, expands to a ReduceSum of the summed letters and a
    Transpose. With two, each input first sums the letters that only it
    has and the output lacks; then both are transposed and reshaped to
    batch x M x K and batch x K x N (batch: the letters of both and of the
    output, K: those of both only), multiplied by a MatMul and brought to
    the output's order. Needs static shapes, the same size for a letter
    wherever it appears, and no letter twice in one input (a diagonal).
  }];
  let arguments = (ins Variadic<AnyTensor>:$Inputs, StrAttr:$equation);
  let results = (outs AnyTensor:$Output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// The equation as dimension labels: a letter's character code, or
    /// kEllipsis + k for the k-th of the dimensions `...` stands for (the
    /// last ones of each input, aligned to the right as numpy does).
    static constexpr int kEllipsis = 256;
    struct Subscripts {
      ::llvm::SmallVector<::llvm::SmallVector<int>> inputs;
      ::llvm::SmallVector<int> output;
    };
    /// Parses `equation` for inputs of `ranks`; an error says what is
    /// malformed or unsupported (more than two inputs, a diagonal).
    static ::mlir::FailureOr<Subscripts>
    parseSubscripts(std::optional<::mlir::Location> loc,
                    ::llvm::StringRef equation,
                    ::llvm::ArrayRef<int64_t> ranks);
  }];
}

def ONNX_AttentionOp : ONNX_CompositeOp<"Attention"> {
  let summary = "scaled dot-product attention, with masks and key caches";
  let description = [{
    ONNX `Attention` (opsets 23, 24, 25): `Y = softmax(Q Kᵀ scale + bias) V`
    per head, with Q [B, Hq, S, E], K [B, Hkv, L, E] and V [B, Hkv, L, Ev]
    (or 3-D [B, S, heads * size], split by `q_num_heads` and `kv_num_heads`;
    Y is then [B, S, Hq * Ev]). `scale` defaults to 1/sqrt(E); Q and K are
    each multiplied by its square root, as the reference does. With fewer
    key heads than query heads (grouped queries), key head h serves query
    heads h * Hq/Hkv to (h + 1) * Hq/Hkv - 1. `past_key` and `past_value`
    are prepended to K and V, which `present_key` and `present_value`
    return. A positive `softcap` maps the scores s to softcap *
    tanh(s / softcap). The bias sums `attn_mask` (a bool mask, false
    masking a key out, or floats added; a mask shorter than the keys is
    padded with masked keys), the causal mask of `is_causal` (query i sees
    key j <= i + the past's length) and opset 25's sliding window (key j
    within `left_window_size` before and `right_window_size` after that
    frontier, -1 unbounded); a query whose scores are all -inf, or whose
    keys are all masked out, gets zeros. `qk_matmul_output` returns the scores after the product and
    softcap (mode 0 or 1), with the bias (2) or after the softmax (3).

    Expands to Reshape, Transpose, Concat, Expand, MatMul, Tanh, Add,
    Softmax and Where (and Range and compares for the frontier, which fold
    to a constant unless it is large). Needs static shapes; the softmax runs in the
    inputs' type (f32 after `onnx-compute-in-f32`) whatever
    `softmax_precision` says; `nonpad_kv_seqlen` (opset 24) is refused.
  }];
  let arguments = (ins AnyTensor:$Q, AnyTensor:$K, AnyTensor:$V,
                       ONNX_TensorOrNone:$attn_mask,
                       ONNX_TensorOrNone:$past_key,
                       ONNX_TensorOrNone:$past_value,
                       ONNX_TensorOrNone:$nonpad_kv_seqlen,
                       DefaultValuedAttr<SI64Attr, "0">:$is_causal,
                       OptionalAttr<SI64Attr>:$kv_num_heads,
                       OptionalAttr<SI64Attr>:$q_num_heads,
                       DefaultValuedAttr<SI64Attr, "0">:$qk_matmul_output_mode,
                       OptionalAttr<F32Attr>:$scale,
                       DefaultValuedAttr<F32Attr, "0.0">:$softcap,
                       OptionalAttr<SI64Attr>:$softmax_precision,
                       DefaultValuedAttr<SI64Attr, "-1">:$left_window_size,
                       DefaultValuedAttr<SI64Attr, "-1">:$right_window_size);
  let results = (outs AnyTensor:$Y, AnyTensor:$present_key,
                      AnyTensor:$present_value, AnyTensor:$qk_matmul_output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The sizes of the 4-D form: batch, query and key heads, query and
    /// key lengths (the past's included), head sizes of Q and K and of V,
    /// and the past's length.
    struct Sizes {
      int64_t batch, queryHeads, keyHeads, queries, keys, headSize,
          valueHeadSize, past;
    };
    /// The sizes that static operand shapes give, or an error naming what
    /// is inconsistent; failure without an error when a shape is unknown.
    static ::mlir::FailureOr<Sizes>
    getSizes(std::optional<::mlir::Location> loc, ::mlir::Value q,
             ::mlir::Value k, ::mlir::Value v, ::mlir::Value pastKey,
             ::mlir::Value pastValue, std::optional<int64_t> qNumHeads,
             std::optional<int64_t> kvNumHeads);
  }];
}


def ONNX_DepthToSpaceOp : ONNX_CompositeOp<"DepthToSpace"> {
  let summary = "move channels into spatial blocks";
  let description = [{
    ONNX `DepthToSpace` (opsets 11, 13): `input` [N, C, H, W] becomes
    [N, C / b², H * b, W * b] with b = `blocksize`, each b x b block read
    from the channels in `mode` DCR (depth, column, row: the block's
    position varies slowest) or CRD. Expands to Reshape, Transpose,
    Reshape; needs a static shape.
  }];
  let arguments = (ins AnyTensor:$input, SI64Attr:$blocksize,
                       DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_SpaceToDepthOp : ONNX_CompositeOp<"SpaceToDepth"> {
  let summary = "move spatial blocks into channels";
  let description = [{
    ONNX `SpaceToDepth` (opsets 1, 13, 28): `input` [N, C, H, W] becomes
    [N, C * b², H / b, W / b] with b = `blocksize`, the inverse of
    DepthToSpace in the same `mode` (opset 28; before, DCR). Expands to
    Reshape, Transpose, Reshape; needs a static shape.
  }];
  let arguments = (ins AnyTensor:$input, SI64Attr:$blocksize,
                       DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_OneHotOp : ONNX_CompositeOp<"OneHot"> {
  let summary = "one-hot encoding of indices";
  let description = [{
    ONNX `OneHot` (opset 11): `values` [off, on] at every position of
    `indices` with a new dimension of size `depth` (a constant scalar)
    inserted at `axis` (default -1): on where the position along it equals
    the index (negative ones counted from `depth`), off elsewhere, so that
    an index out of [-depth, depth) is all off. Expands to Unsqueeze,
    Equal with a Range, Gather of the two values and Where.
  }];
  let arguments = (ins AnyTensor:$indices, AnyTensor:$depth,
                       AnyTensor:$values,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_EyeLikeOp : ONNX_CompositeOp<"EyeLike"> {
  let summary = "a matrix of ones on one diagonal";
  let description = [{
    ONNX `EyeLike` (opsets 9, 22): zeros of `input`'s 2-D shape, ones where
    column - row = `k`, of element type `dtype` (an ONNX type number;
    `input`'s by default). Expands to a constant; needs a static shape.
  }];
  let arguments = (ins AnyTensor:$input, OptionalAttr<SI64Attr>:$dtype,
                       DefaultValuedAttr<SI64Attr, "0">:$k);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_TriluOp : ONNX_CompositeOp<"Trilu"> {
  let summary = "the upper or lower triangle of the last two axes";
  let description = [{
    ONNX `Trilu` (opset 14; what `torch.triu` and `torch.tril` export, as
    for causal masks): `input` (rank 2 or more, any element type) with
    each matrix of its last two axes zeroed off its upper (`upper = 1`, the
    default) or lower triangle: where column - row is below `k` (upper) or
    above it (lower). `k` is an optional i64 scalar, 0 when omitted.
    Expands to a Where of a mask from two Ranges, which folds to a constant
    when the last two sizes and `k` are known; needs those sizes.
  }];
  let arguments = (ins AnyTensor:$input, ONNX_TensorOrNone:$k,
                       DefaultValuedAttr<SI64Attr, "1">:$upper);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_LpNormalizationOp : ONNX_CompositeOp<"LpNormalization"> {
  let summary = "division by the L1 or L2 norm along one axis";
  let description = [{
    ONNX `LpNormalization` (opset 1, and 22 with more types): `input`
    divided by its norm along `axis` (default -1): `ReduceSum(Abs(input))`
    for `p = 1`, `Sqrt(ReduceSum(input * input))` for `p = 2`; 0 where the
    norm is 0, as in ONNX's reference implementation.
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis,
                       DefaultValuedAttr<SI64Attr, "2">:$p);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_GridSampleOp : ONNX_CompositeOp<"GridSample"> {
  let summary = "an image sampled at the positions of a grid";
  let description = [{
    ONNX `GridSample` (opsets 16, 20, 22), as PyTorch's `grid_sample`: `X`
    (N x C x H x W) sampled at the positions of `grid` (N x Ho x Wo x 2,
    each an x then a y from -1 to 1), giving N x C x Ho x Wo. `mode` is
    `bilinear` (opset 20: `linear`), `nearest` (half to even) or `bicubic`
    (`cubic`, A = -0.75); `padding_mode` gives the pixels outside X:
    `zeros`, `border` (the nearest edge pixel) or `reflection` (X mirrored
    at its borders); with `align_corners` -1 and 1 are the centers of the
    corner pixels, else their outer edges. X and grid are floats of one
    element type. Expands, for static shapes, into the gathers of each
    output's taps (GatherElements over X's flattened pixels) weighted and
    summed; the volumetric form of opset 20 (5-D X) is refused.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$grid,
                       DefaultValuedAttr<SI64Attr, "0">:$align_corners,
                       DefaultValuedStrAttr<StrAttr, "bilinear">:$mode,
                       DefaultValuedStrAttr<StrAttr, "zeros">:$padding_mode);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_LRNOp : ONNX_CompositeOp<"LRN"> {
  let summary = "local response normalization across channels";
  let description = [{
    ONNX `LRN` (opset 1, and 13 with bf16): each element of `X` (N x C x D1
    x ... x Dn) divided by `(bias + alpha / size * S)^beta`, where S is the
    sum of the squares of the `size` channels around its own, from `c -
    floor((size - 1) / 2)` to `c + ceil((size - 1) / 2)`, those inside X.
    `size` is 1 or more. Expands, for a static shape, to a Conv of ones
    along the channels of X squared, viewed as N x 1 x C x (D1 * ... * Dn).
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.75">:$beta,
                       DefaultValuedAttr<F32Attr, "1.0">:$bias,
                       SI64Attr:$size);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_InstanceNormalizationOp : ONNX_CompositeOp<"InstanceNormalization"> {
  let summary = "normalization of each channel of each image";
  let description = [{
    ONNX `InstanceNormalization` (opset 6, and 22 with more types): `input`
    is N x C x D1 x ... x Dn; each channel of each image is normalized over
    its spatial dimensions, `(x - mean) / sqrt(var + epsilon)`, then scaled
    by `scale` and shifted by `B` (both of size C). The variance is the mean
    of squared differences from the mean.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$scale, AnyTensor:$B,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon);
  let results = (outs AnyTensor:$output);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_GroupNormalizationOp : ONNX_CompositeOp<"GroupNormalization"> {
  let summary = "normalization over groups of channels";
  let description = [{
    ONNX `GroupNormalization` (opsets 18, 21): `X` is N x C x D1 x ... x Dn,
    its C channels split into `num_groups` groups; each group of each image
    is normalized over its channels and spatial dimensions as
    InstanceNormalization normalizes a channel, then scaled and shifted.
    Opset 21's `scale` and `bias` have one value per channel (C), opset
    18's one per group: the size tells which (the two agree when
    `num_groups` is C); `scale` and `bias` have the same size. The
    expansion needs X's shape and the parameters' sizes. Computed in X's
    element type whatever `stash_type` says: f32 in `intr-opt compile`,
    whose `onnx-compute-in-f32` widens 16-bit models first.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$bias,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       SI64Attr:$num_groups,
                       DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_MeanVarianceNormalizationOp
    : ONNX_CompositeOp<"MeanVarianceNormalization"> {
  let summary = "normalization to zero mean and unit variance over axes";
  let description = [{
    ONNX `MeanVarianceNormalization` (opset 13): `(X - mean) / (std + 1e-9)`
    with the mean and standard deviation over `axes` (default [0, 2, 3]),
    the variance computed as the mean of squared differences.
  }];
  let arguments = (ins AnyTensor:$X,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 2, 3}">:$axes);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_RMSNormalizationOp : ONNX_CompositeOp<"RMSNormalization"> {
  let summary = "division by the root mean square over the last axes";
  let description = [{
    ONNX `RMSNormalization` (opset 23): `X / sqrt(mean(X * X) + epsilon) *
    scale`, the mean over the dimensions from `axis` (default -1) on;
    `scale` broadcasts to those dimensions. Computed in X's element type
    whatever `stash_type` says (f32 in `intr-opt compile`, as for
    GroupNormalization).
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_QuantizeLinearOp : ONNX_CompositeOp<"QuantizeLinear"> {
  let summary = "linear quantization to 8-bit integers";
  let description = [{
    ONNX `QuantizeLinear` (opsets 10, 13, 19, 21): `y = saturate(round(x /
    y_scale) + y_zero_point)`, rounding halves to even and saturating to
    the range of y's type: the zero point's, else `output_dtype` (opset
    21), else uint8. int8 and uint8 only (the dialect has no int4, int16 or
    float8 tensors, and `saturate` concerns float8). `y_scale` and
    `y_zero_point` are one value (per tensor), 1-D of x's size along `axis`
    (per axis), or, with `block_size` (opset 21), of x's shape but along
    `axis`, where each covers `block_size` elements. The quotient `x /
    y_scale` is rounded to `precision`'s float type (opset 25), else to the
    wider of x's and the scale's (the scale's for an integer x), as numpy
    divides them. Expands to Div, Round, Add, Clip and Cast, which fold on
    constants.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$y_scale,
                       ONNX_TensorOrNone:$y_zero_point,
                       DefaultValuedAttr<SI64Attr, "1">:$axis,
                       DefaultValuedAttr<SI64Attr, "1">:$saturate,
                       DefaultValuedAttr<SI64Attr, "0">:$block_size,
                       DefaultValuedAttr<SI64Attr, "0">:$output_dtype,
                       DefaultValuedAttr<SI64Attr, "0">:$precision);
  let results = (outs AnyTensor:$y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_DequantizeLinearOp : ONNX_CompositeOp<"DequantizeLinear"> {
  let summary = "linear dequantization of 8- and 32-bit integers";
  let description = [{
    ONNX `DequantizeLinear` (opsets 10, 13, 19, 21, 23): `y = (x -
    x_zero_point) * x_scale` of an int8, uint8 or int32 x (the zero point
    of x's type), computed in f32 and given in the scale's type, or
    `output_dtype`'s (opset 23). The scale and zero point are per tensor,
    per axis or per block as QuantizeLinear's. Expands to Cast, Sub and
    Mul, which fold on constants: the weights of a quantized model become
    float weights at compile time.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale,
                       ONNX_TensorOrNone:$x_zero_point,
                       DefaultValuedAttr<SI64Attr, "1">:$axis,
                       DefaultValuedAttr<SI64Attr, "0">:$block_size,
                       DefaultValuedAttr<SI64Attr, "0">:$output_dtype);
  let results = (outs AnyTensor:$y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_DynamicQuantizeLinearOp
    : ONNX_CompositeOp<"DynamicQuantizeLinear"> {
  let summary = "quantization to uint8 by the tensor's own range";
  let description = [{
    ONNX `DynamicQuantizeLinear` (opset 11), what onnxruntime's
    `quantize_dynamic` puts before each quantized product: an f32 `x`
    quantized to uint8 with a scale and zero point computed from x's
    range, as ONNX's reference computes them. With lo = min(0, min(x)) and
    hi = max(0, max(x)): `y_scale = (hi - lo) / 255` (1 / 255 where hi =
    lo), `y_zero_point = round(clamp(0 - lo / y_scale, 0, 255))` and `y =
    clip(round(x / y_scale) + y_zero_point, 0, 255)`, rounding halves to
    even. Expands to ReduceMax, ReduceMin, Div, Round, Add, Clip and Cast.
  }];
  let arguments = (ins AnyTensor:$x);
  let results = (outs AnyTensor:$y, AnyTensor:$y_scale,
                      AnyTensor:$y_zero_point);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_MatMulIntegerOp : ONNX_CompositeOp<"MatMulInteger"> {
  let summary = "matrix product of 8-bit integers, in int32";
  let description = [{
    ONNX `MatMulInteger` (opset 10): `(A - a_zero_point) · (B -
    b_zero_point)` in int32, A and B int8 or uint8 (each zero point of its
    operand's type), batch dimensions broadcast as MatMul's. The zero
    points are one value, or one per row of A ([M], or A's rank with K's
    size 1) and one per column of B ([N], or B's rank with K's size 1).
    Expands to f32 MatMuls whose every partial sum is an integer below
    2^24, so exact whatever order a kernel sums in: the contraction is
    split where B's constant values would pass that bound (with B not
    constant, every 258 rows), each part cast to int32 and added.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                       ONNX_TensorOrNone:$a_zero_point,
                       ONNX_TensorOrNone:$b_zero_point);
  let results = (outs AnyTensor:$Y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def ONNX_ConvIntegerOp : ONNX_CompositeOp<"ConvInteger"> {
  let summary = "convolution of 8-bit integers, in int32";
  let description = [{
    ONNX `ConvInteger` (opset 10): Conv of `x - x_zero_point` with `w -
    w_zero_point` in int32, x and w int8 or uint8 (each zero point of its
    operand's type; x's one value, w's one value or one per filter), with
    Conv's attributes. Expands to f32 Convs, rounded, cast to int32 and
    added: the input channels (each group's alike, given x's shape) split
    into parts whose partial sums stay integers of at most 2^24 (where a
    constant w's filters need it, every 258 / taps channels for a w given
    at run time), which f32 holds exactly when the kernel sums them
    directly, as the CPU's does for integer weights (im2col and a GEMM, not
    Winograd); a channel of over 258 taps alone may still round. A
    Winograd or FFT algorithm
    (cuDNN's may be) sums in a transformed domain, whose f32 roundings can
    move a result by a few units even well below 2^24.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$w,
                       ONNX_TensorOrNone:$x_zero_point,
                       ONNX_TensorOrNone:$w_zero_point,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DefaultValuedAttr<SI64Attr, "1">:$group,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // INTR_DIALECT_ONNX_IR_ONNXMATHOPS_TD
