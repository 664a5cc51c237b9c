//===- Passes.h - Conversions between our dialects --------------*- C++ -*-===//

#ifndef INTR_CONVERSION_PASSES_H
#define INTR_CONVERSION_PASSES_H

#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Dialect/Plan/IR/PlanDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace intr {

#define GEN_PASS_DECL
#include "intr/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "intr/Conversion/Passes.h.inc"

} // namespace intr

#endif // INTR_CONVERSION_PASSES_H
