//===- INTRDialect.h - The intr dialect -------------------------*- C++ -*-===//

#ifndef INTR_DIALECT_INTR_IR_INTRDIALECT_H
#define INTR_DIALECT_INTR_IR_INTRDIALECT_H

#include "mlir/IR/Dialect.h"

#include "intr/Dialect/INTR/IR/INTROpsDialect.h.inc"

#endif // INTR_DIALECT_INTR_IR_INTRDIALECT_H
