//===- Passes.h - Passes of the onnx dialect --------------------*- C++ -*-===//

#ifndef INTR_DIALECT_ONNX_TRANSFORMS_PASSES_H
#define INTR_DIALECT_ONNX_TRANSFORMS_PASSES_H

#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace intr::onnx {

#define GEN_PASS_DECL
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"

} // namespace intr::onnx

#endif // INTR_DIALECT_ONNX_TRANSFORMS_PASSES_H
