//===- FoldZeroTarget.cpp - The decoder's first layer, where tgt = 0 ------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace intr {
#define GEN_PASS_DEF_INTRFOLDZEROTARGETPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// mha whose values are, for each image, one row repeated (zeros for
/// post-norm, LayerNorm(0) = bias for pre-norm): every query averages equal
/// rows, so out = (r · Wvᵀ + bv) · Woᵀ + bo for each query of the image.
struct MHAOverRepeatedValues : public OpRewritePattern<MHAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MHAOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getOut().getType());
    auto valueType = cast<RankedTensorType>(op.getValue().getType());
    std::optional<SmallVector<float>> values =
        readConstantFloats(op.getValue());
    if (!values || !type.hasStaticShape() || !valueType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "values are not a constant");
    int64_t batch = valueType.getDimSize(0), keys = valueType.getDimSize(1),
            features = valueType.getDimSize(2);
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t k = 1; k < keys; ++k)
        for (int64_t d = 0; d < features; ++d)
          if ((*values)[(b * keys + k) * features + d] !=
              (*values)[b * keys * features + d])
            return rewriter.notifyMatchFailure(op, "value rows differ");
    bool zeros = llvm::all_of(*values, [](float v) { return v == 0.0f; });
    std::optional<SmallVector<float>> valueWeight =
        zeros ? SmallVector<float>() : readConstantFloats(op.getVWeight());
    std::optional<SmallVector<float>> valueBias =
        readConstantFloats(op.getVBias());
    std::optional<SmallVector<float>> outWeight =
        readConstantFloats(op.getOutWeight());
    std::optional<SmallVector<float>> outBias =
        readConstantFloats(op.getOutBias());
    if (!valueWeight || !valueBias || !outWeight || !outBias)
      return rewriter.notifyMatchFailure(op, "the projections that the "
                                             "result needs are not constants");

    int64_t queries = type.getDimSize(1);
    SmallVector<float> result;
    result.reserve(type.getNumElements());
    for (int64_t b = 0; b < batch; ++b) {
      // v = r · Wvᵀ + bv, then out = v · Woᵀ + bo.
      ArrayRef<float> row(values->data() + b * keys * features, features);
      SmallVector<float> projected =
          zeros ? *valueBias
                : denseRow(row, *valueWeight, *valueBias, features,
                           /*transposed=*/true, /*relu=*/false);
      SmallVector<float> out =
          denseRow(projected, *outWeight, *outBias, features,
                   /*transposed=*/true, /*relu=*/false);
      for (int64_t q = 0; q < queries; ++q)
        result.append(out.begin(), out.end());
    }
    rewriter.replaceOp(op, createFloatConstant(rewriter, op.getLoc(),
                                               type.getShape(), result));
    return success();
  }
};

/// layer_norm of constants (the pre-norm decoder's LayerNorm(tgt = 0)).
struct LayerNormOfConstants : public OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    std::optional<SmallVector<float>> sum = readConstantFloats(op.getInput());
    std::optional<SmallVector<float>> scale = readConstantFloats(op.getScale());
    std::optional<SmallVector<float>> bias = readConstantFloats(op.getBias());
    if (!sum || !scale || !bias || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "operands are not constants");
    std::optional<SmallVector<float>> addend;
    if (Value value = op.getAddend())
      if (!(addend = readConstantFloats(value)))
        return rewriter.notifyMatchFailure(op, "addend is not a constant");
    if (Value residual = op.getResidual()) {
      std::optional<SmallVector<float>> r = readConstantFloats(residual);
      if (!r)
        return rewriter.notifyMatchFailure(op, "residual is not a constant");
      for (auto [s, v] : llvm::zip(*sum, *r))
        s += v;
    }
    int64_t features = type.getShape().back();
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<float> output(sum->size());
    for (size_t start = 0; start < sum->size(); start += features) {
      double mean = 0, variance = 0;
      for (int64_t i = 0; i < features; ++i)
        mean += (*sum)[start + i];
      mean /= features;
      for (int64_t i = 0; i < features; ++i)
        variance += ((*sum)[start + i] - mean) * ((*sum)[start + i] - mean);
      variance /= features;
      double inverse = 1.0 / std::sqrt(variance + epsilon);
      for (int64_t i = 0; i < features; ++i)
        output[start + i] = static_cast<float>(
            ((*sum)[start + i] - mean) * inverse * (*scale)[i] + (*bias)[i]);
    }
    Location loc = op.getLoc();
    SmallVector<Value> results = {
        createFloatConstant(rewriter, loc, type.getShape(), output),
        createFloatConstant(rewriter, loc, type.getShape(), *sum)};
    if (addend) {
      for (auto [a, o] : llvm::zip(*addend, output))
        a += o;
      results.push_back(
          createFloatConstant(rewriter, loc, type.getShape(), *addend));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// linear of constants (the first decoder layer's query projection, once
/// its queries are constants).
struct LinearOfConstants : public OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    // The input first: where it is not a constant (nearly always), the
    // weights are not read (VGG-11's 400 MiB of them took 0.5 s).
    std::optional<SmallVector<float>> input = readConstantFloats(op.getInput());
    if (!input || !type.hasStaticShape() || !weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "operands are not constants");
    std::optional<SmallVector<float>> weight =
        readConstantFloats(op.getWeight());
    std::optional<SmallVector<float>> bias;
    if (op.getBias())
      bias = readConstantFloats(op.getBias());
    if (!weight || (op.getBias() && !bias))
      return rewriter.notifyMatchFailure(op, "operands are not constants");
    // A positional bias has a row per position: not the [N] read below.
    if (bias && bias->size() != static_cast<size_t>(type.getShape().back()))
      return rewriter.notifyMatchFailure(op, "the bias is positional");
    bool transposed = op.getTransposeWeight();
    int64_t outFeatures = weightType.getDimSize(transposed ? 0 : 1);
    int64_t inFeatures = weightType.getDimSize(transposed ? 1 : 0);
    int64_t rows = static_cast<int64_t>(input->size()) / inFeatures;
    bool relu = op.getActivation() == "relu";
    ArrayRef<float> inputs = *input;
    ArrayRef<float> biases = bias ? ArrayRef<float>(*bias) : ArrayRef<float>();
    SmallVector<float> output;
    output.reserve(rows * outFeatures);
    for (int64_t r = 0; r < rows; ++r)
      llvm::append_range(
          output, denseRow(inputs.slice(r * inFeatures, inFeatures), *weight,
                           biases, outFeatures, transposed, relu));
    rewriter.replaceOp(
        op, createFloatConstant(rewriter, op.getLoc(), type.getShape(), output));
    return success();
  }
};

struct INTRFoldZeroTargetPass
    : public intr::impl::INTRFoldZeroTargetPassBase<INTRFoldZeroTargetPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LayerNormOfConstants, LinearOfConstants, MHAOverRepeatedValues>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
