//===- INTRDialect.td - The intr dialect -------------------*- tablegen -*-===//
//
// The intr dialect holds the semantic operations of an INTR model: fused
// convolutions, linear layers, normalizations and the two kinds of attention.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_INTR_IR_INTRDIALECT_TD
#define INTR_DIALECT_INTR_IR_INTRDIALECT_TD

include "mlir/IR/OpBase.td"

def INTR_Dialect : Dialect {
  let name = "intr";
  let summary = "Semantic operations of the interpretable transformer INTR";
  let description = [{
    The `intr` dialect is the level at which the compiler understands an INTR
    model: an ONNX graph is raised into it (`--convert-onnx-to-intr`), INTR
    specific optimizations run on it, and it is lowered to the `plan` dialect.

    Its central operation is `intr.class_attention`, class-query
    cross-attention that returns the attention probabilities, per head and
    averaged over the heads, as first-class results: they are the model's
    explanation of its prediction and are never dropped by fusion.
  }];
  let cppNamespace = "::intr";
}

class INTR_Op<string mnemonic, list<Trait> traits = []>
    : Op<INTR_Dialect, mnemonic, traits>;

#endif // INTR_DIALECT_INTR_IR_INTRDIALECT_TD
