//===- Constants.h - Reading and making constants while raising -*- C++ -*-===//
//
// Raising reads weights (to fold batch norm, to recognize a mask of zeros)
// whether the importer kept them dense or as resources, and writes new
// weights the way the importer does.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_CONVERSION_ONNXTOINTR_CONSTANTS_H
#define INTR_LIB_CONVERSION_ONNXTOINTR_CONSTANTS_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace intr {

/// The elements of a constant f32 tensor, dense or resource-backed.
std::optional<llvm::SmallVector<float>> readConstantFloats(mlir::Value value);

/// An onnx.Constant f32 tensor of `shape`: dense when small, a resource like
/// the importer's weights otherwise.
mlir::Value createFloatConstant(mlir::PatternRewriter &rewriter,
                                mlir::Location loc,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::ArrayRef<float> values);

} // namespace intr

#endif // INTR_LIB_CONVERSION_ONNXTOINTR_CONSTANTS_H
