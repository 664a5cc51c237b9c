//===- PlanDialect.cpp - The plan dialect ---------------------------------===//

#include "intr/Dialect/Plan/IR/PlanDialect.h"
#include "intr/Dialect/Plan/IR/PlanOps.h"

using namespace mlir;
using namespace intr::plan;

#include "intr/Dialect/Plan/IR/PlanOpsDialect.cpp.inc"

void PlanDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "intr/Dialect/Plan/IR/PlanOps.cpp.inc"
      >();
}
