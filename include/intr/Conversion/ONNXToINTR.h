//===- ONNXToINTR.h - Raising onnx to intr ----------------------*- C++ -*-===//

#ifndef INTR_CONVERSION_ONNXTOINTR_H
#define INTR_CONVERSION_ONNXTOINTR_H

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

namespace intr {

/// Adds the patterns that raise onnx subgraphs to intr ops.
void populateONNXToINTRPatterns(mlir::RewritePatternSet &patterns);

/// Why the attention rooted at `softmax` cannot be raised, or "" when it
/// can: the value and the check that failed.
std::string explainAttentionMismatch(onnx::SoftmaxOp softmax);

} // namespace intr

#endif // INTR_CONVERSION_ONNXTOINTR_H
