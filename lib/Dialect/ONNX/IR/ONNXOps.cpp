//===- ONNXOps.cpp - Operations of the onnx dialect -----------------------===//

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"

using namespace mlir;
using namespace intr::onnx;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }

LogicalResult IdentityOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

#define GET_OP_CLASSES
#include "intr/Dialect/ONNX/IR/ONNXOps.cpp.inc"
