//===- ONNXDialect.cpp - The onnx dialect ---------------------------------===//

#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace intr::onnx;

#include "intr/Dialect/ONNX/IR/ONNXOpsDialect.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "intr/Dialect/ONNX/IR/ONNXOps.cpp.inc"
      >();
}

/// Folded values become onnx.Constant, so that folding stays in the dialect.
Operation *ONNXDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}
