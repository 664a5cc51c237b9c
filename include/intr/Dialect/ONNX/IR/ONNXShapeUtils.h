//===- ONNXShapeUtils.h - Shapes and constants of onnx ops ------*- C++ -*-===//
//
// Helpers that type inference, verifiers and folders of the onnx dialect
// share: numpy broadcasting, axis normalization, and reading the values of
// constant operands (Reshape's shape, Slice's starts, ...).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXSHAPEUTILS_H
#define INTR_DIALECT_ONNX_IR_ONNXSHAPEUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace intr::onnx {

/// Folding is for shape arithmetic and small tables: folders give up on
/// results of more elements than this, and expansions make no larger
/// constants.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 20;

/// The compatibility rule of every onnx op's InferTypeOpInterface: same count,
/// same element types, shapes that agree where both are known (an unranked
/// type agrees with any shape).
bool areCompatibleResultTypes(mlir::TypeRange inferred, mlir::TypeRange actual);

/// The result types that `op`'s inference gives from its current operands,
/// attributes and properties. Fails where inference fails or gives another
/// number of types than `op` has results.
mlir::LogicalResult inferResultTypes(mlir::InferTypeOpInterface op,
                                     llvm::SmallVectorImpl<mlir::Type> &types);

/// Numpy (multidirectional) broadcasting of two shapes; a dynamic size
/// broadcast against a size other than 1 gives that size. Fails when two
/// known sizes differ and neither is 1.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The shape of a ranked tensor value; empty for anything else (unranked,
/// `none`), which callers comparing against an expected shape reject.
llvm::ArrayRef<int64_t> shapeOf(mlir::Value value);

/// `axis` in [-rank, rank) made non-negative; nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The elements of `value` when it is produced by a constant op (folded or
/// onnx.Constant) and held as DenseElementsAttr, else null. Resource-backed
/// weights are not read here: shape arithmetic never involves them.
mlir::DenseElementsAttr getConstantElements(mlir::Value value);

/// `attr` as dense elements: itself when it is DenseElementsAttr, the bytes
/// of a resource-backed weight otherwise (so that layout folders, Transpose,
/// Slice and Split, apply to weights at compile time), else null.
mlir::DenseElementsAttr asDenseElements(mlir::Attribute attr);

/// The integer elements of a constant `value` (any integer width), else
/// nullopt. For Reshape's shape, Slice's starts, Unsqueeze's axes, ...
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value value);

/// The elements of an integer `elements` (any width, unsigned ones
/// zero-extended), else nullopt (null or not of integers).
std::optional<llvm::SmallVector<int64_t>>
integerElements(mlir::DenseElementsAttr elements);

/// The value of a constant `value` of one element, of any integer or float
/// type, as a double (Range's bounds, an attention's scale); else nullopt.
std::optional<double> getConstantScalar(mlir::Value value);

/// A reduction's axes as the model gives them: the attribute `attr` (opsets
/// up to 17), else the values of the constant `input`; an omitted input,
/// or one of shape [0], is empty. nullopt when the input is computed at run
/// time.
std::optional<llvm::SmallVector<int64_t>>
getReduceAxes(std::optional<llvm::ArrayRef<int64_t>> attr, mlir::Value input);

/// A ranked tensor type, or an unranked one when `shape` is nullopt.
mlir::TensorType makeTensorType(std::optional<llvm::ArrayRef<int64_t>> shape,
                                mlir::Type elementType);

} // namespace intr::onnx

#endif // INTR_DIALECT_ONNX_IR_ONNXSHAPEUTILS_H
