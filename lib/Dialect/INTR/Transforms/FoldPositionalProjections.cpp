//===- FoldPositionalProjections.cpp - One GEMM for Q, K and V ------------===//
//
// A DETR-style self-attention projects q = k = x + pos and v = x. With pos
// a constant that every image shares, (x + pos) · Wᵀ + b = x · Wᵀ +
// (pos · Wᵀ + b): the positional part of the query and key projections is
// a constant [S, D] each, and the three projections become one linear of x
// whose bias varies along the sequence. The attention then reads Q, K and V
// from that linear's packed rows.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Threading.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intr {
#define GEN_PASS_DEF_INTRFOLDPOSITIONALPROJECTIONSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// The constant `pos` when `shifted` is `value + pos`: the shifted result
/// of a layer norm whose output is `value`, or an add of whole tensors.
Value positionalAddend(Value shifted, Value value) {
  if (auto norm = shifted.getDefiningOp<LayerNormOp>())
    return shifted == norm.getShifted() && value == norm.getOutput()
               ? norm.getAddend()
               : Value();
  auto add = shifted.getDefiningOp<onnx::AddOp>();
  if (!add || add.getA().getType() != add.getC().getType() ||
      add.getB().getType() != add.getC().getType())
    return {};
  if (add.getA() == value)
    return add.getB();
  return add.getB() == value ? add.getA() : Value();
}

/// The [S, D] rows of a [S, B, D] (sequence first) or [B, S, D] constant
/// that is the same for every image b, or nothing.
std::optional<SmallVector<float>>
sharedRows(ArrayRef<float> pos, ArrayRef<int64_t> shape, bool sequenceFirst) {
  int64_t S = shape[sequenceFirst ? 0 : 1], B = shape[sequenceFirst ? 1 : 0];
  int64_t D = shape[2];
  auto row = [&](int64_t s, int64_t b) {
    int64_t index = sequenceFirst ? s * B + b : b * S + s;
    return pos.slice(index * D, D);
  };
  SmallVector<float> rows;
  rows.reserve(S * D);
  for (int64_t s = 0; s < S; ++s) {
    ArrayRef<float> first = row(s, 0);
    for (int64_t b = 1; b < B; ++b)
      if (row(s, b) != first)
        return std::nullopt;
    rows.append(first.begin(), first.end());
  }
  return rows;
}

struct FoldPositionIntoProjections : public OpRewritePattern<MHAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MHAOp op,
                                PatternRewriter &rewriter) const override {
    Value value = op.getValue();
    if (op.getQuery() != op.getKey())
      return rewriter.notifyMatchFailure(op, "not a self-attention");
    Value addend = positionalAddend(op.getQuery(), value);
    if (!addend)
      return rewriter.notifyMatchFailure(op, "the query is not the value plus "
                                             "a positional term");
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not a static f32 attention");
    std::optional<SmallVector<float>> pos = readConstantFloats(addend);
    std::optional<SmallVector<float>> weights[3], biases[3];
    Value weightValues[3] = {op.getQWeight(), op.getKWeight(), op.getVWeight()};
    Value biasValues[3] = {op.getQBias(), op.getKBias(), op.getVBias()};
    for (int i = 0; i < 3; ++i) {
      weights[i] = readConstantFloats(weightValues[i]);
      biases[i] = readConstantFloats(biasValues[i]);
      if (!weights[i] || !biases[i])
        return rewriter.notifyMatchFailure(op, "a projection is not an f32 "
                                               "constant");
    }
    if (!pos)
      return rewriter.notifyMatchFailure(op, "the positional term is not an "
                                             "f32 constant");
    const bool sequenceFirst = op.getSequenceFirst();
    if (type.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "an empty attention");
    std::optional<SmallVector<float>> rows =
        sharedRows(*pos, type.getShape(), sequenceFirst);
    if (!rows)
      return rewriter.notifyMatchFailure(op, "the positional term differs "
                                             "between images");

    const int64_t S = type.getDimSize(sequenceFirst ? 0 : 1);
    const int64_t D = type.getDimSize(2);
    // bias[s] = [pos[s] · Wqᵀ + bq | pos[s] · Wkᵀ + bk | bv], in double.
    SmallVector<float> bias(S * 3 * D);
    parallelFor(getContext(), 0, S, [&](int64_t s) {
      const float *p = rows->data() + s * D;
      float *out = bias.data() + s * 3 * D;
      for (int i = 0; i < 3; ++i)
        for (int64_t n = 0; n < D; ++n) {
          double sum = (*biases[i])[n];
          const float *w = weights[i]->data() + n * D;
          if (i < 2)
            for (int64_t k = 0; k < D; ++k)
              sum += double(p[k]) * double(w[k]);
          out[i * D + n] = static_cast<float>(sum);
        }
    });
    SmallVector<float> stacked;
    stacked.reserve(3 * D * D);
    for (const std::optional<SmallVector<float>> &w : weights)
      stacked.append(w->begin(), w->end());

    Location loc = op.getLoc();
    SmallVector<int64_t> biasShape = {1, S, 3 * D};
    if (sequenceFirst)
      std::swap(biasShape[0], biasShape[1]);
    Value weight = createFloatConstant(rewriter, loc, {3 * D, D}, stacked);
    Value positional = createFloatConstant(rewriter, loc, biasShape, bias);
    Value qkv = rewriter.create<LinearOp>(loc, value, weight, positional,
                                          rewriter.getBoolAttr(true),
                                          rewriter.getStringAttr("none"));
    rewriter.replaceOpWithNewOp<MHAQKVOp>(
        op, op.getType(), qkv, op.getOutWeight(), op.getOutBias(),
        op.getKeyPaddingMask(), op.getNumHeadsAttr(), op.getScaleAttr(),
        op.getSequenceFirstAttr());
    return success();
  }
};

struct INTRFoldPositionalProjectionsPass
    : public intr::impl::INTRFoldPositionalProjectionsPassBase<
          INTRFoldPositionalProjectionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldPositionIntoProjections>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
