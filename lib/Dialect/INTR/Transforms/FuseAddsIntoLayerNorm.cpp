//===- FuseAddsIntoLayerNorm.cpp - Adds around layer_norm inside it -------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRFUSEADDSINTOLAYERNORMPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// Whether `add` adds two tensors of its own type: no broadcasting inside.
bool addsWholeTensors(onnx::AddOp add) {
  return add.getA().getType() == add.getC().getType() &&
         add.getB().getType() == add.getC().getType();
}

/// Whether `value` can be read by `op`: defined before it in its block, or
/// an argument of a block around it.
bool availableAt(Value value, Operation *op) {
  if (Operation *def = value.getDefiningOp())
    return def->getBlock() == op->getBlock() && def->isBeforeInBlock(op);
  return cast<BlockArgument>(value).getOwner()->getParentOp()->isAncestor(op);
}

/// layer_norm(x + r) -> layer_norm(x) residual(r).
struct ResidualIntoLayerNorm : public OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    auto add = op.getInput().getDefiningOp<onnx::AddOp>();
    if (op.getResidual() || !add || !addsWholeTensors(add))
      return rewriter.notifyMatchFailure(op, "not a layer norm of a residual "
                                             "sum");
    auto fused = rewriter.create<LayerNormOp>(
        op.getLoc(), add.getA(), op.getScale(), op.getBias(), add.getB(),
        op.getAddend(), op.getEpsilonAttr());
    rewriter.replaceOp(op, fused.getResults());
    // Other readers of the sum (a pre-norm layer's next residual) read the
    // one the layer norm computes.
    rewriter.replaceAllUsesWith(add.getC(), fused.getSum());
    rewriter.eraseOp(add);
    return success();
  }
};

/// layer_norm(...) + pos -> the shifted result of layer_norm(...) addend(pos).
struct AddendIntoLayerNorm : public OpRewritePattern<onnx::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::AddOp add,
                                PatternRewriter &rewriter) const override {
    if (!addsWholeTensors(add))
      return rewriter.notifyMatchFailure(add, "broadcasts");
    for (auto [normed, addend] : {std::pair(add.getA(), add.getB()),
                                  std::pair(add.getB(), add.getA())}) {
      auto norm = normed.getDefiningOp<LayerNormOp>();
      if (!norm || norm.getAddend() || normed != norm.getOutput() ||
          !availableAt(addend, norm))
        continue;
      rewriter.setInsertionPoint(norm);
      auto fused = rewriter.create<LayerNormOp>(
          norm.getLoc(), norm.getInput(), norm.getScale(), norm.getBias(),
          norm.getResidual(), addend, norm.getEpsilonAttr());
      rewriter.replaceOp(add, fused.getShifted());
      rewriter.replaceOp(norm, {fused.getOutput(), fused.getSum()});
      return success();
    }
    return rewriter.notifyMatchFailure(add, "not a layer norm's output plus "
                                            "a value defined before it");
  }
};

struct INTRFuseAddsIntoLayerNormPass
    : public intr::impl::INTRFuseAddsIntoLayerNormPassBase<
          INTRFuseAddsIntoLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ResidualIntoLayerNorm, AddendIntoLayerNorm>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
