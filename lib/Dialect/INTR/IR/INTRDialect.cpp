//===- INTRDialect.cpp - The intr dialect ---------------------------------===//

#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "intr/Dialect/INTR/IR/INTROps.h"

using namespace mlir;
using namespace intr;

#include "intr/Dialect/INTR/IR/INTROpsDialect.cpp.inc"

void INTRDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "intr/Dialect/INTR/IR/INTROps.cpp.inc"
      >();
}
