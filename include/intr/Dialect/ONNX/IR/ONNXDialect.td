//===- ONNXDialect.td - The onnx dialect -------------------*- tablegen -*-===//
//
// The onnx dialect mirrors ONNX: one operation per ONNX node, named as its
// op_type, with ONNX's attribute names and semantics.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD
#define INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD

include "intr/Dialect/ONNX/IR/ONNXTraits.td"
include "mlir/IR/OpBase.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators, one operation per node";
  let description = [{
    The importer turns every node of an ONNX graph into one operation of this
    dialect, with the node's name as its location. Operations are named after
    their ONNX `op_type` and follow the semantics of the ONNX operator
    specification for opsets 13 to 28 (the importer reads a node of opset 11
    or 12 in its opset-13 form). Folders and canonicalizations reduce the
    exporters' shape arithmetic to constants before raising to `intr`.
  }];
  let cppNamespace = "::intr::onnx";
  let hasConstantMaterializer = 1;
}

include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, traits>;

/// An operation whose result types follow from its operands (and the values
/// of constant operands, such as Reshape's shape): it implements
///   static LogicalResult inferReturnTypes(MLIRContext *,
///       std::optional<Location>, Adaptor, SmallVectorImpl<Type> &);
/// Inferred and declared types are compatible when their element types are
/// equal and their shapes agree where both are known, so that a result type
/// may be more precise than what inference knew when the op was built.
class ONNX_InferredOp<string mnemonic, list<Trait> traits = []>
    : ONNX_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptorWithIsCompatible],
                                    traits)> {
  let extraClassDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::intr::onnx::areCompatibleResultTypes(inferred, actual);
    }
  }];
}

/// A composite op, inferred as the ops it expands into would be.
class ONNX_CompositeOp<string mnemonic, list<Trait> traits = []>
    : ONNX_InferredOp<mnemonic, !listconcat([ONNX_Composite], traits)>;

/// A tensor operand, or `none` for an optional ONNX input left out (an empty
/// input name in the model), produced by onnx.NoValue.
def ONNX_TensorOrNone : AnyTypeOf<[AnyTensor, NoneType]>;

#endif // INTR_DIALECT_ONNX_IR_ONNXDIALECT_TD
