//===- Passes.td - Conversions between our dialects --------*- tablegen -*-===//

#ifndef INTR_CONVERSION_PASSES_TD
#define INTR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// INTRToPlan
//===----------------------------------------------------------------------===//

def ConvertINTRToPlanPass
    : Pass<"convert-intr-to-plan", "mlir::func::FuncOp"> {
  let summary = "Lower intr and onnx ops to plan steps over one arena";
  let description = [{
    Turns the function into the executable's plan: every intr or onnx op
    becomes one `plan.step` that names its kernel, every constant a
    `plan.constant`, and every other tensor a `plan.buffer` of one arena.
    Buffers whose lifetimes do not overlap share memory: the largest are
    placed first, each at the lowest 256-byte aligned offset that no buffer
    live at the same time occupies. An op that keeps its data's bytes in
    order (Reshape, Squeeze, Unsqueeze, Flatten, Identity, and a Transpose
    that moves only dimensions of size 1) becomes no step: its result is a
    buffer at its data's offset, which stays live as long as the view is
    read. A Concat whose inputs are contiguous blocks of its result (every
    dimension before the axis is 1), each (a view of) a step's own result
    that no output or other such Concat takes, and each starting 256-byte
    aligned, is no step either: the inputs' producers write into its buffer
    in place (the decoder layers' stacked attention maps). An output is
    returned where its step (or the step it is a view of) wrote it; a
    constant, an input, or a buffer that an earlier output returns already
    is copied into a buffer of its own by an `onnx.Identity` step, so that
    each output owns its bytes. A class attention's map that nobody reads
    gets no buffer: its step has a `plan.none` in that result's place, and
    the kernels do not store it. Inputs and
    outputs become `plan.input` and `plan.output` bindings named after the
    function's `onnx.name` argument and result attributes; the function
    ends up with neither arguments nor results. The function gets
    `plan.arena_size` (bytes) and `plan.tensor_bytes` (the sum of all
    buffer sizes, what the arena would need without sharing).

    ```mlir
    // before
    func.func @main(%x: tensor<4xf32> {onnx.name = "x"})
        -> (tensor<4xf32> {onnx.name = "y"}) {
      %y = onnx.Relu %x : (tensor<4xf32>) -> tensor<4xf32>
      return %y : tensor<4xf32>
    }
    // after
    func.func @main() attributes {plan.arena_size = 512 : i64, ...} {
      %0 = plan.buffer offset(0) : memref<4xf32>
      plan.input "x" %0 : memref<4xf32>
      %1 = plan.buffer offset(256) : memref<4xf32>
      plan.step "onnx.Relu" ins(%0 : memref<4xf32>)
          outs(%1 : memref<4xf32>) params {}
      plan.output "y" %1 : memref<4xf32>
      return
    }
    ```
  }];
  let dependentDialects = ["intr::plan::PlanDialect"];
}

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
    head mean feed the values the model computed them into. A quantized
    model's round trip (DequantizeLinear of QuantizeLinear, as
    onnx-decompose expands it) becomes `intr.fake_quantize`. What no pattern
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
