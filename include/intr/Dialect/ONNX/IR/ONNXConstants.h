//===- ONNXConstants.h - Reading and making constants -----------*- C++ -*-===//
//
// Passes that compute with weights at compile time (folding batch norm,
// recognizing a mask, folding a layer whose input is zero) read them whether
// the importer kept them dense or as resources, and write new weights the way
// the importer does. (Transposes of constants fold before these passes look.)
// Passes that build onnx ops make their i64 operands (shapes, axes, pads)
// here too.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXCONSTANTS_H
#define INTR_DIALECT_ONNX_IR_ONNXCONSTANTS_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace intr {

/// The elements of a constant f32 tensor, dense or resource-backed.
std::optional<llvm::SmallVector<float>> readConstantFloats(mlir::Value value);

/// The elements of a constant integer tensor (any width), dense or
/// resource-backed (a quantized weight).
std::optional<llvm::SmallVector<int64_t>> readConstantInts(mlir::Value value);

/// The value of a constant f32 tensor of one element, dense or
/// resource-backed.
std::optional<float> readConstantFloat(mlir::Value value);

/// An onnx.Constant f32 tensor of `shape`: dense when small, a resource like
/// the importer's weights otherwise.
mlir::Value createFloatConstant(mlir::OpBuilder &rewriter,
                                mlir::Location loc,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::ArrayRef<float> values);

/// row · W + bias for one row of K inputs and a weight W [K, N] (or
/// row · Wᵀ for W [N, K] when `transposed`), with an optional relu: a
/// linear layer of constants. Each output is summed in double from its bias
/// (0 when `bias` is empty) and rounded to float once.
llvm::SmallVector<float> denseRow(llvm::ArrayRef<float> row,
                                  llvm::ArrayRef<float> weight,
                                  llvm::ArrayRef<float> bias,
                                  int64_t outFeatures, bool transposed,
                                  bool relu);

/// The element type numbered `number` in ONNX's TensorProto.DataType; null
/// for the types the dialect lacks (strings, complex, float8, int4, ...).
mlir::Type onnxDataType(mlir::MLIRContext *context, int64_t number);

/// The inverse of onnxDataType: `type`'s number, nullopt for other types.
std::optional<int64_t> onnxDataTypeNumber(mlir::Type type);

/// An onnx.Cast of the tensor `value` to element type `to` (one that
/// onnxDataTypeNumber knows).
mlir::Value createCast(mlir::OpBuilder &builder, mlir::Location loc,
                       mlir::Value value, mlir::Type to);

/// A 1-D i64 onnx.Constant holding `values`.
mlir::Value createI64Constant(mlir::OpBuilder &builder, mlir::Location loc,
                              llvm::ArrayRef<int64_t> values);

/// `value` reshaped to the static `shape` (an onnx.Reshape of a constant
/// shape, with allowzero: a 0 in `shape` is an empty dimension, not a copy
/// of the data's), or `value` itself when it has that shape.
mlir::Value createReshape(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value value, llvm::ArrayRef<int64_t> shape);

} // namespace intr

#endif // INTR_DIALECT_ONNX_IR_ONNXCONSTANTS_H
