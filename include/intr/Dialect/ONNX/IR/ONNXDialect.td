//===- ONNXDialect.td - The onnx dialect -------------------*- tablegen -*-===//
//
// The onnx dialect mirrors ONNX: one operation per ONNX node, named as its
// op_type, with ONNX's attribute names and semantics.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD
#define INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD

include "mlir/IR/OpBase.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators, one operation per node";
  let description = [{
    The importer turns every node of an ONNX graph into one operation of this
    dialect, with the node's name as its location. Operations are named after
    their ONNX `op_type` and follow the semantics of the ONNX operator
    specification for opsets 13 to 21. Folders and canonicalizations reduce
    the exporters' shape arithmetic to constants before raising to `intr`.
  }];
  let cppNamespace = "::intr::onnx";
  let hasConstantMaterializer = 1;
}

class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, traits>;

#endif // INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD
