//===- Passes.td - Passes of the onnx dialect --------------*- tablegen -*-===//

#ifndef INTR_DIALECT_ONNX_TRANSFORMS_PASSES_TD
#define INTR_DIALECT_ONNX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXInferShapesPass : Pass<"onnx-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Refine onnx result types from their operands";
  let description = [{
    Re-runs the type inference of every onnx operation, in order, and
    replaces a result type by the inferred one where the inferred type knows
    more (a rank where the result was unranked, a size where it was dynamic).
    Run it after folding has turned shape arithmetic into constants, or after
    the input shapes were specialized. The function's result types follow
    the values it returns.

    ```mlir
    %0 = onnx.Relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
    // becomes
    %0 = onnx.Relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def ONNXDecomposePass : Pass<"onnx-decompose", "mlir::func::FuncOp"> {
  let summary = "Expand composite onnx ops into the ops that kernels run, "
                "and run 1-D windows and 3-D pooling as 2-D ones";
  let description = [{
    Rewrites every composite op (trait ONNX_Composite: the activations,
    comparisons and predicates, the variadic Sum, Mean, Max and Min,
    LogSoftmax, Hardmax, ArgMax and ArgMin, the composite reductions,
    AveragePool, LpPool, ConvTranspose, Col2Im, LRN, Attention, Einsum,
    GridSample, Trilu, DepthToSpace, SpaceToDepth, EyeLike, OneHot, the
    global poolings and the normalizations) as the ops that its description
    names, following its formula, so that no backend needs a kernel for it,
    and a Clip of integers as Less and Where (a kernel runs float ones). Runs a 1-D Conv or MaxPool as the 2-D one over a
    height-1 image (X unsqueezed at axis 2, the results squeezed back), a
    3-D MaxPool (whose Indices are unused), AveragePool or LpPool as a 2-D pool of
    each depth slice followed by one along the depth, an int8 or uint8
    MaxPool on f32 values (the kernels and raising know 2-D f32 pooling),
    and a Pad in wrap mode as the Slices (and a Tile) of its data that it
    repeats, concatenated along each padded axis.
    Fails on an op it must expand and cannot: an unranked input or
    parameter, an ArgMax, ArgMin or Hardmax axis of unknown size, a
    GroupNormalization, AveragePool or Einsum of dynamic shape, an
    AveragePool over more than 3 dimensions, a wrap Pad of pads, axes or
    padded sizes unknown at compile time or around an empty axis, or
    ReduceLogSumExp's axes not
    constant where they must be dropped.
    `intr-opt compile` runs it right before `onnx-compute-in-f32`.

    ```mlir
    %1 = onnx.LeakyRelu %0 {alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    // becomes
    %zero = onnx.Constant dense<0.0> : tensor<f32>
    %alpha = onnx.Constant dense<0.1> : tensor<f32>
    %negative = onnx.Less %0, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
    %scaled = onnx.Mul %0, %alpha : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    %1 = onnx.Where %negative, %scaled, %0
        : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def ONNXComputeInF32Pass : Pass<"onnx-compute-in-f32", "mlir::func::FuncOp"> {
  let summary = "Compute a model exported in f16, bf16 or f64 in f32";
  let description = [{
    A model exported in half precision (PyTorch's `model.half()`) has f16
    (or bf16) weights, inputs, outputs and intermediate values; one
    exported in double (`model.double()`) has f64 ones. This pass computes
    either in f32, the type every kernel of the attention, convolution and
    matrix ops takes: the constants are converted at compile time (exactly
    from f16 and bf16, every value of which is an f32 value; rounded to
    nearest from f64), every such result of an op becomes f32, a Cast or
    ConstantOfShape that makes such values makes f32 ones, and the
    function keeps its signature: an argument is cast to f32 where the
    body starts, and a result is cast back from f32 just before it is
    returned. A half model's results then differ only where f32 rounds
    less than f16 or bf16 would have; a double model's where f32 rounds
    more than f64 (a remark says so; constants beyond f32's range become
    its largest or smallest value, as `torch.finfo` would have given). A
    model counts as double when its floating inputs and outputs are all
    f64: f64 values in a model of f32 inputs or outputs (a positional
    embedding computed in double, an f64 input beside an f32 one) stay
    f64, but for the ops that no kernel computes in f64 (trait
    `ONNX_F32Kernels`: Conv, MatMul, Gemm, Softmax, MaxPool and the
    normalizations; a softmax taken in double for its precision, say):
    each of those computes in f32 between a Cast of its f64 operands to f32
    and one of its results back to f64, with a remark, and Cast's folding
    then merges those casts with the ones the model has around them.
    `intr-opt compile` runs it right after `onnx-decompose`, before
    raising; `--precision` then applies as to any model.

    ```mlir
    func.func @main(%x: tensor<1x8xf16>) -> tensor<1x8xf16> {
      %w = onnx.Constant dense<5.000000e-01> : tensor<8xf16>
      %y = onnx.Mul %x, %w : (tensor<1x8xf16>, tensor<8xf16>) -> tensor<1x8xf16>
      return %y : tensor<1x8xf16>
    }
    // becomes
    func.func @main(%x: tensor<1x8xf16>) -> tensor<1x8xf16> {
      %x32 = onnx.Cast %x {to = 1 : si64} : (tensor<1x8xf16>) -> tensor<1x8xf32>
      %w = onnx.Constant dense<5.000000e-01> : tensor<8xf32>
      %y = onnx.Mul %x32, %w : (tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
      %y16 = onnx.Cast %y {to = 10 : si64} : (tensor<1x8xf32>) -> tensor<1x8xf16>
      return %y16 : tensor<1x8xf16>
    }
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

#endif // INTR_DIALECT_ONNX_TRANSFORMS_PASSES_TD
