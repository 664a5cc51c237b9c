//===- PlanDialect.h - The plan dialect -------------------------*- C++ -*-===//

#ifndef INTR_DIALECT_PLAN_IR_PLANDIALECT_H
#define INTR_DIALECT_PLAN_IR_PLANDIALECT_H

#include "mlir/IR/Dialect.h"

#include "intr/Dialect/Plan/IR/PlanOpsDialect.h.inc"

#endif // INTR_DIALECT_PLAN_IR_PLANDIALECT_H
