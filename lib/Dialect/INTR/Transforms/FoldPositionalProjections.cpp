//===- FoldPositionalProjections.cpp - One GEMM for Q, K and V ------------===//
//
// A DETR-style self-attention projects q = k = x + pos and v = x. With pos
// a constant that every image shares, (x + pos) · Wᵀ + b = x · Wᵀ +
// (pos · Wᵀ + b): the positional part of the query and key projections is
// a constant [S, D] each, and the three projections become one linear of x
// whose bias varies along the sequence. The attention then reads Q, K and V
// from that linear's packed rows. A linear of x + pos alone (a decoder's
// cross-attention queries) takes pos into its bias the same way.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/Matchers.h"
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

/// `value` and the constant `pos` when `sum` is value + pos: the shifted
/// result of a layer norm whose output is `value`, or an add of whole
/// tensors, one of them a constant. Nulls otherwise.
std::pair<Value, Value> splitPositional(Value sum) {
  if (auto norm = sum.getDefiningOp<LayerNormOp>())
    return sum == norm.getShifted()
               ? std::pair(norm.getOutput(), norm.getAddend())
               : std::pair(Value(), Value());
  auto add = sum.getDefiningOp<onnx::AddOp>();
  if (!add || add.getA().getType() != add.getC().getType() ||
      add.getB().getType() != add.getC().getType())
    return {};
  for (auto [value, pos] :
       {std::pair(add.getA(), add.getB()), std::pair(add.getB(), add.getA())})
    if (matchPattern(pos, m_Constant()))
      return {value, pos};
  return {};
}

/// The rows of `pos` (shape [..., K], row-major) along leading axis
/// `axis`, [shape[axis], K], when it is the same along every other leading
/// axis; with `axis` = -1, its one row when it is the same along all.
/// Nothing when it varies elsewhere.
std::optional<SmallVector<float>>
rowsAlong(ArrayRef<float> pos, ArrayRef<int64_t> shape, int64_t axis) {
  const int64_t K = shape.back();
  const int64_t length = axis < 0 ? 1 : shape[axis];
  int64_t inner = 1; // rows between two positions along `axis`
  for (size_t d = axis + 1; d + 1 < shape.size(); ++d)
    inner *= shape[d];
  const int64_t rows = static_cast<int64_t>(pos.size()) / K;
  for (int64_t r = 0; r < rows; ++r) {
    // The row with every other leading coordinate 0.
    const int64_t canonical = axis < 0 ? 0 : (r / inner) % length * inner;
    if (pos.slice(r * K, K) != pos.slice(canonical * K, K))
      return std::nullopt;
  }
  SmallVector<float> result;
  result.reserve(length * K);
  for (int64_t l = 0; l < length; ++l)
    llvm::append_range(result, pos.slice(l * inner * K, K));
  return result;
}

/// denseRow (no relu) of each row of `rows` [L, K], in parallel: [L, N].
SmallVector<float> project(MLIRContext *context, ArrayRef<float> rows,
                           int64_t K, ArrayRef<float> weight, int64_t N,
                           bool transposed, ArrayRef<float> bias) {
  const int64_t L = static_cast<int64_t>(rows.size()) / K;
  SmallVector<float> out(L * N);
  parallelFor(context, 0, L, [&](int64_t l) {
    SmallVector<float> row = denseRow(rows.slice(l * K, K), weight, bias, N,
                                      transposed, /*relu=*/false);
    std::copy(row.begin(), row.end(), out.begin() + l * N);
  });
  return out;
}

struct FoldPositionIntoProjections : public OpRewritePattern<MHAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MHAOp op,
                                PatternRewriter &rewriter) const override {
    Value value = op.getValue();
    if (op.getQuery() != op.getKey())
      return rewriter.notifyMatchFailure(op, "not a self-attention");
    auto [summand, addend] = splitPositional(op.getQuery());
    if (!addend || summand != value)
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
        rowsAlong(*pos, type.getShape(), sequenceFirst ? 0 : 1);
    if (!rows)
      return rewriter.notifyMatchFailure(op, "the positional term differs "
                                             "between images");

    const int64_t S = type.getDimSize(sequenceFirst ? 0 : 1);
    const int64_t D = type.getDimSize(2);
    // bias[s] = [pos[s] · Wqᵀ + bq | pos[s] · Wkᵀ + bk | bv].
    SmallVector<float> parts[2] = {
        project(getContext(), *rows, D, *weights[0], D, true, *biases[0]),
        project(getContext(), *rows, D, *weights[1], D, true, *biases[1])};
    SmallVector<float> bias;
    bias.reserve(S * 3 * D);
    for (int64_t s = 0; s < S; ++s) {
      for (int i = 0; i < 2; ++i)
        llvm::append_range(bias, ArrayRef<float>(parts[i]).slice(s * D, D));
      llvm::append_range(bias, *biases[2]);
    }
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

/// linear(x + pos) -> linear(x) with bias pos · Wᵀ + b, positional, for a
/// constant pos that varies along one leading axis at most (a decoder's
/// query embedding, added for its cross-attention's queries), also read
/// through a transpose of the two leading axes.
struct FoldPositionIntoLinear : public OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    auto transpose = input.getDefiningOp<onnx::TransposeOp>();
    const bool swapped = transpose && transpose.getPerm() &&
                         *transpose.getPerm() == ArrayRef<int64_t>{1, 0, 2};
    auto [value, addend] =
        splitPositional(swapped ? transpose.getData() : input);
    if (!addend)
      return rewriter.notifyMatchFailure(op, "the input is not a value plus "
                                             "a positional term");
    auto type = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    std::optional<SmallVector<float>> pos = readConstantFloats(addend);
    std::optional<SmallVector<float>> weight =
        readConstantFloats(op.getWeight());
    std::optional<SmallVector<float>> bias;
    if (op.getBias())
      bias = readConstantFloats(op.getBias());
    if (!pos || !weight || (op.getBias() && !bias) || !type.hasStaticShape() ||
        !weightType.hasStaticShape() || type.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "not static f32 constants");
    const int64_t N = cast<RankedTensorType>(op.getType()).getShape().back();
    if (bias && static_cast<int64_t>(bias->size()) != N)
      return rewriter.notifyMatchFailure(op, "the bias is positional already");

    // pos as the linear reads it.
    ArrayRef<int64_t> shape = type.getShape();
    const int64_t K = shape.back();
    if (swapped) {
      SmallVector<float> permuted(pos->size());
      const int64_t A = shape[1], B = shape[0]; // pos is [A, B, K]
      for (int64_t a = 0; a < A; ++a)
        for (int64_t b = 0; b < B; ++b)
          std::copy_n(pos->data() + (a * B + b) * K, K,
                      permuted.data() + (b * A + a) * K);
      pos = std::move(permuted);
    }
    // The one leading axis pos varies along (none: a bias [N]).
    std::optional<SmallVector<float>> rows;
    int64_t axis = -1;
    for (int64_t candidate = -1;
         !rows && candidate + 1 < static_cast<int64_t>(shape.size());
         ++candidate)
      if ((rows = rowsAlong(*pos, shape, candidate)))
        axis = candidate;
    if (!rows)
      return rewriter.notifyMatchFailure(op, "the positional term varies "
                                             "along two axes");

    SmallVector<float> folded =
        project(getContext(), *rows, K, *weight, N, op.getTransposeWeight(),
                bias ? ArrayRef<float>(*bias) : ArrayRef<float>());
    SmallVector<int64_t> biasShape = {N};
    if (axis >= 0) {
      biasShape.assign(shape.size(), 1);
      biasShape[axis] = shape[axis];
      biasShape.back() = N;
    }
    Location loc = op.getLoc();
    Value source = value;
    if (swapped)
      source = rewriter.create<onnx::TransposeOp>(
          loc, type, value, rewriter.getDenseI64ArrayAttr({1, 0, 2}));
    rewriter.replaceOpWithNewOp<LinearOp>(
        op, op.getType(), source, op.getWeight(),
        createFloatConstant(rewriter, loc, biasShape, folded),
        op.getTransposeWeightAttr(), op.getActivationAttr());
    return success();
  }
};

struct INTRFoldPositionalProjectionsPass
    : public intr::impl::INTRFoldPositionalProjectionsPassBase<
          INTRFoldPositionalProjectionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldPositionIntoProjections, FoldPositionIntoLinear>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
