//===- FoldZeroTarget.cpp - Attention over zero values --------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRFOLDZEROTARGETPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct MHAOverZeroValues : public OpRewritePattern<MHAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MHAOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<float>> values =
        readConstantFloats(op.getValue());
    if (!values || llvm::any_of(*values, [](float v) { return v != 0.0f; }))
      return rewriter.notifyMatchFailure(op, "values are not zeros");
    auto type = cast<RankedTensorType>(op.getOut().getType());
    int64_t features = type.getShape().back();
    std::optional<SmallVector<float>> valueBias =
        readConstantFloats(op.getVBias());
    std::optional<SmallVector<float>> outWeight =
        readConstantFloats(op.getOutWeight());
    std::optional<SmallVector<float>> outBias =
        readConstantFloats(op.getOutBias());
    if (!type.hasStaticShape() || !valueBias || !outWeight || !outBias)
      return rewriter.notifyMatchFailure(op, "the value bias and output "
                                             "projection are not constants");
    // Every query averages rows equal to bv, then projects: bv · Woᵀ + bo.
    SmallVector<float> row(features);
    for (int64_t n = 0; n < features; ++n) {
      double sum = (*outBias)[n];
      for (int64_t k = 0; k < features; ++k)
        sum += double((*valueBias)[k]) * (*outWeight)[n * features + k];
      row[n] = static_cast<float>(sum);
    }
    SmallVector<float> result;
    result.reserve(type.getNumElements());
    for (int64_t i = 0, e = type.getNumElements() / features; i < e; ++i)
      result.append(row.begin(), row.end());
    rewriter.replaceOp(op, createFloatConstant(rewriter, op.getLoc(),
                                               type.getShape(), result));
    return success();
  }
};

struct INTRFoldZeroTargetPass
    : public intr::impl::INTRFoldZeroTargetPassBase<INTRFoldZeroTargetPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MHAOverZeroValues>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
