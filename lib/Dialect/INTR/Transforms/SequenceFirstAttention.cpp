//===- SequenceFirstAttention.cpp - mha without its layout transposes -----===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRSEQUENCEFIRSTATTENTIONPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// The [L, B, D] tensor that `value` transposes to [B, L, D], or null.
Value sequenceFirstSource(Value value) {
  auto transpose = value.getDefiningOp<onnx::TransposeOp>();
  if (!transpose || !transpose.getPerm() ||
      *transpose.getPerm() != ArrayRef<int64_t>{1, 0, 2})
    return nullptr;
  return transpose.getData();
}

onnx::TransposeOp swapLeadingAxes(PatternRewriter &rewriter, Location loc,
                                  Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[0], shape[1]);
  return rewriter.create<onnx::TransposeOp>(
      loc, type.clone(shape), value, rewriter.getDenseI64ArrayAttr({1, 0, 2}));
}

struct SequenceFirstMHA : public OpRewritePattern<MHAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MHAOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getSequenceFirst())
      return rewriter.notifyMatchFailure(op, "already sequence first");
    // A shared [S, D] query has no batch axis and stays as it is.
    Value query = op.getQuery();
    if (cast<RankedTensorType>(query.getType()).getRank() == 3)
      query = sequenceFirstSource(query);
    Value key = sequenceFirstSource(op.getKey());
    Value value = sequenceFirstSource(op.getValue());
    if (!query || !key || !value)
      return rewriter.notifyMatchFailure(
          op, "a batched operand is not a transpose of a sequence-first one");
    auto fused = rewriter.create<MHAOp>(
        op.getLoc(), query, key, value, op.getQWeight(), op.getQBias(),
        op.getKWeight(), op.getKBias(), op.getVWeight(), op.getVBias(),
        op.getOutWeight(), op.getOutBias(), op.getKeyPaddingMask(),
        op.getNumHeadsAttr(), op.getScaleAttr(), rewriter.getBoolAttr(true));
    // The readers that transpose the result back then read the op's own.
    rewriter.replaceOp(op, swapLeadingAxes(rewriter, op.getLoc(), fused));
    return success();
  }
};

struct INTRSequenceFirstAttentionPass
    : public intr::impl::INTRSequenceFirstAttentionPassBase<
          INTRSequenceFirstAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SequenceFirstMHA>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
