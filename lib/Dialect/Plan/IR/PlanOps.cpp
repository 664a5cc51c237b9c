//===- PlanOps.cpp - Operations of the plan dialect -----------------------===//

#include "intr/Dialect/Plan/IR/PlanOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace intr::plan;

int64_t BufferOp::getSizeInBytes() {
  // Every element takes whole bytes: an i1 is one byte, as in the runtime.
  MemRefType type = getBuffer().getType();
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

LogicalResult BufferOp::verify() {
  int64_t offset = getOffset();
  if (offset < 0)
    return emitOpError("offset must be non-negative, got ") << offset;
  if (offset % kAlignment != 0)
    return emitOpError("offset ")
           << offset << " is not a multiple of " << kAlignment << " bytes";
  MemRefType type = getBuffer().getType();
  if (!type.getLayout().isIdentity())
    return emitOpError("buffer must have the identity layout, got ") << type;
  if (!type.getElementType().isIntOrFloat())
    return emitOpError("element type must be an integer or a float, got ")
           << type.getElementType();
  return success();
}

LogicalResult ConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  MemRefType type = getBuffer().getType();
  if (valueType.getShape() != type.getShape() ||
      valueType.getElementType() != type.getElementType())
    return emitOpError("value of type ")
           << valueType << " does not match the buffer type " << type;
  return success();
}

#define GET_OP_CLASSES
#include "intr/Dialect/Plan/IR/PlanOps.cpp.inc"
