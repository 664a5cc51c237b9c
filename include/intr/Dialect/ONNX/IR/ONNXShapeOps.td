//===- ONNXShapeOps.td - Shape and data movement ops -------*- tablegen -*-===//
//
// Operations on shapes and on the layout of data: Shape, Reshape, Gather,
// Slice, Concat, Transpose, padding, resizing and their kin.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
#define INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD

include "intr/Dialect/ONNX/IR/ONNXDialect.td"

#endif // INTR_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
