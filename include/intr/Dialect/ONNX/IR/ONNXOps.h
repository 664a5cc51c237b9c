//===- ONNXOps.h - Operations of the onnx dialect ---------------*- C++ -*-===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXOPS_H
#define INTR_DIALECT_ONNX_IR_ONNXOPS_H

#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "intr/Dialect/ONNX/IR/ONNXTraits.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "intr/Dialect/ONNX/IR/ONNXOps.h.inc"

namespace intr::onnx {

/// One spatial dimension of a ConvTranspose: its window, the pads that
/// auto_pad and output_shape resolve to (negative where the output reaches
/// past the full transposed convolution), and the output size.
struct TransposedAxis {
  int64_t kernel, stride, dilation, outputPadding, padBegin, padEnd, output;
};

/// The spatial dimensions of `op`; fails unless its X and W have static
/// shapes.
mlir::FailureOr<llvm::SmallVector<TransposedAxis>>
getTransposedAxes(ConvTransposeOp op);

/// One spatial dimension of a Col2Im: the image's size, the block's
/// extent, stride, dilation and pads, the blocks that fit along it, and
/// what the last of them leaves of the padded size (less than the stride).
struct Col2ImAxis {
  int64_t size, block, stride, dilation, padBegin, padEnd, positions, remainder;
};

/// The spatial dimensions of `op`; fails unless its image_shape and
/// block_shape are constant.
mlir::FailureOr<llvm::SmallVector<Col2ImAxis>> getCol2ImAxes(Col2ImOp op);

} // namespace intr::onnx

#endif // INTR_DIALECT_ONNX_IR_ONNXOPS_H
