//===- FuseResidualIntoLayerNorm.cpp - Residual add inside layer_norm -----===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRFUSERESIDUALINTOLAYERNORMPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct ResidualIntoLayerNorm : public OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    auto add = op.getInput().getDefiningOp<onnx::AddOp>();
    // Both summands must have the sum's type: no broadcasting inside.
    if (op.getResidual() || !add ||
        add.getA().getType() != add.getC().getType() ||
        add.getB().getType() != add.getC().getType())
      return rewriter.notifyMatchFailure(op, "not a layer norm of a residual "
                                             "sum");
    auto fused = rewriter.create<LayerNormOp>(op.getLoc(), add.getA(),
                                              op.getScale(), op.getBias(),
                                              add.getB(), op.getEpsilonAttr());
    rewriter.replaceOp(op, fused.getResults());
    // Other readers of the sum (a pre-norm layer's next residual) read the
    // one the layer norm computes.
    rewriter.replaceAllUsesWith(add.getC(), fused.getSum());
    rewriter.eraseOp(add);
    return success();
  }
};

struct INTRFuseResidualIntoLayerNormPass
    : public intr::impl::INTRFuseResidualIntoLayerNormPassBase<
          INTRFuseResidualIntoLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ResidualIntoLayerNorm>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
