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

#endif // INTR_DIALECT_ONNX_TRANSFORMS_PASSES_TD
