//===- InitAllDialects.h - Register every dialect intr-opt uses -*- C++ -*-===//

#ifndef INTR_INITALLDIALECTS_H
#define INTR_INITALLDIALECTS_H

#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Dialect/Plan/IR/PlanDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

namespace intr {

/// Our dialects and the upstream ones our pipeline produces or consumes.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<intr::INTRDialect, intr::onnx::ONNXDialect,
                  intr::plan::PlanDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
}

} // namespace intr

#endif // INTR_INITALLDIALECTS_H
