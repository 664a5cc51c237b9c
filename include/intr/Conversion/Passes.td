//===- Passes.td - Conversions between our dialects --------*- tablegen -*-===//

#ifndef INTR_CONVERSION_PASSES_TD
#define INTR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// ONNXToINTR
//===----------------------------------------------------------------------===//

def ConvertONNXToINTRPass
    : Pass<"convert-onnx-to-intr", "mlir::func::FuncOp"> {
  let summary = "Raise onnx subgraphs to the semantic ops of the intr dialect";
  let description = [{
    Finds the subgraphs that the exporters produce for INTR's building blocks
    and replaces each by one `intr` op with the same math. Each attention
    (MatMul, scale, zero mask, Softmax, MatMul, with the projections and the
    head split and merge around them) becomes `intr.class_attention` when its
    probabilities are used and its keys and values come from the same
    memory, and `intr.mha` otherwise; the per-head probabilities and their
    head mean feed the values the model computed them into. What no pattern
    matches stays as onnx ops, which remain correct; `--intr-report-raising`
    says why a Softmax was left.
  }];
  let dependentDialects = ["intr::INTRDialect", "intr::onnx::ONNXDialect"];
}

def INTRReportRaisingPass : Pass<"intr-report-raising", "mlir::func::FuncOp"> {
  let summary = "Report what was raised to intr and why the rest was not";
  let description = [{
    Prints, to stderr, the number of ops of each `intr` kind in the function
    and, for every `onnx.Softmax` still there, the reason the attention
    pattern rejected it: which value and which check. The IR is unchanged.
  }];
}

#endif // INTR_CONVERSION_PASSES_TD
