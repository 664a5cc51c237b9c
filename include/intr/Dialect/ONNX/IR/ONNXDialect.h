//===- ONNXDialect.h - The onnx dialect -------------------------*- C++ -*-===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXDIALECT_H
#define INTR_DIALECT_ONNX_IR_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "intr/Dialect/ONNX/IR/ONNXOpsDialect.h.inc"

#endif // INTR_DIALECT_ONNX_IR_ONNXDIALECT_H
