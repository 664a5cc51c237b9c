//===- PlanOps.h - Operations of the plan dialect ---------------*- C++ -*-===//

#ifndef INTR_DIALECT_PLAN_IR_PLANOPS_H
#define INTR_DIALECT_PLAN_IR_PLANOPS_H

#include "intr/Dialect/Plan/IR/PlanDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "intr/Dialect/Plan/IR/PlanOps.h.inc"

#endif // INTR_DIALECT_PLAN_IR_PLANOPS_H
