//===- INTROps.h - Operations of the intr dialect ---------------*- C++ -*-===//

#ifndef INTR_DIALECT_INTR_IR_INTROPS_H
#define INTR_DIALECT_INTR_IR_INTROPS_H

#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXTraits.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "intr/Dialect/INTR/IR/INTROps.h.inc"

#endif // INTR_DIALECT_INTR_IR_INTROPS_H
