//===- ONNXToINTR.h - Raising onnx to intr ----------------------*- C++ -*-===//

#ifndef INTR_CONVERSION_ONNXTOINTR_H
#define INTR_CONVERSION_ONNXTOINTR_H

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

namespace intr {

/// Adds the patterns that raise quantization round trips (as
/// onnx-decompose expands them) to intr.fake_quantize. They run first:
/// the layer patterns could take a round trip's Mul into another op.
void populateONNXToINTRQuantizationPatterns(mlir::RewritePatternSet &patterns);

/// Adds the patterns that raise attention subgraphs to intr.class_attention
/// and intr.mha. They run before the layer patterns, which would otherwise
/// turn the attention's projections into intr.linear first.
void populateONNXToINTRAttentionPatterns(mlir::RewritePatternSet &patterns);

/// Adds the patterns that raise convolutions (batch norm folded), pooling,
/// linear layers and layer norms.
void populateONNXToINTRLayerPatterns(mlir::RewritePatternSet &patterns);

/// Why the attention rooted at `softmax` cannot be raised, or "" when it
/// can: the value and the check that failed.
std::string explainAttentionMismatch(onnx::SoftmaxOp softmax);

/// Why the linear-layer pattern rejects `matmul`, or "" when it matches.
std::string explainLinearMismatch(onnx::MatMulOp matmul);

} // namespace intr

#endif // INTR_CONVERSION_ONNXTOINTR_H
