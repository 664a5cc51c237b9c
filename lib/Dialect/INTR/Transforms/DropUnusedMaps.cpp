//===- DropUnusedMaps.cpp - class_attention without readers of its maps ---===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRDROPUNUSEDMAPSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct ClassAttentionWithoutMaps : public OpRewritePattern<ClassAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ClassAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getProbs().use_empty() || !op.getMeanProbs().use_empty())
      return rewriter.notifyMatchFailure(op, "its maps are read");
    Value memory = op.getMemory();
    auto mha = rewriter.create<MHAOp>(
        op.getLoc(), op.getQueries(), memory, memory, op.getQWeight(),
        op.getQBias(), op.getKWeight(), op.getKBias(), op.getVWeight(),
        op.getVBias(), op.getOutWeight(), op.getOutBias(),
        op.getKeyPaddingMask(), op.getNumHeadsAttr(), op.getScaleAttr(),
        /*sequence_first=*/BoolAttr());
    rewriter.replaceAllUsesWith(op.getOut(), mha.getOut());
    rewriter.eraseOp(op);
    return success();
  }
};

struct INTRDropUnusedMapsPass
    : public intr::impl::INTRDropUnusedMapsPassBase<INTRDropUnusedMapsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ClassAttentionWithoutMaps>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
