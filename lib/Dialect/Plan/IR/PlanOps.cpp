//===- PlanOps.cpp - Operations of the plan dialect -----------------------===//

#include "intr/Dialect/Plan/IR/PlanOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace intr::plan;

int64_t BufferOp::getSizeInBytes() {
  MemRefType type = getBuffer().getType();
  int64_t bits = type.getNumElements() * type.getElementTypeBitWidth();
  return (bits + 7) / 8;
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

#define GET_OP_CLASSES
#include "intr/Dialect/Plan/IR/PlanOps.cpp.inc"
