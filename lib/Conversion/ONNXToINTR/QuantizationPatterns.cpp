//===- QuantizationPatterns.cpp - Raise quantization round trips ---------===//
//
// A quantized model's DequantizeLinear(QuantizeLinear(x)) on an activation
// reaches raising as onnx-decompose expands it: (round(clip(x / s, lo,
// hi)) + 0) * s, five elementwise passes over the tensor. One
// intr.fake_quantize computes the same bits in one.
//
//===----------------------------------------------------------------------===//

#include "intr/Conversion/ONNXToINTR.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace intr;

namespace {

/// The one value of a constant f32 tensor when it is an integer that
/// fake_quantize's bounds can be, or nullopt.
std::optional<int64_t> constantBound(Value value) {
  std::optional<float> bound = readConstantFloat(value);
  if (!bound || std::trunc(*bound) != *bound ||
      std::fabs(*bound) > float(FakeQuantizeOp::kLargestBound))
    return std::nullopt;
  return static_cast<int64_t>(*bound);
}

/// The op of type Op that defines `value` for the chain alone: `value`
/// has no other reader and the type `type`, so that the op can go.
template <typename Op> Op chainLink(Value value, Type type) {
  auto op = value.getDefiningOp<Op>();
  return op && value.hasOneUse() && value.getType() == type ? op : nullptr;
}

/// (round(clip(x / s, lo, hi)) + 0) * s on a ranked f32 x, with one
/// constant scale s (the same bits in the Div and the Mul), integer bounds
/// and +0: one fake_quantize. The Div may have other readers (a
/// QuantizeLinear that something else reads shares it after CSE), which
/// keep it; a later link that another op reads keeps the chain.
struct FakeQuantizePattern : public OpRewritePattern<onnx::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MulOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getC().getType());
    if (!type || !type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not a ranked f32 tensor");
    for (auto [product, scale] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      auto add = chainLink<onnx::AddOp>(product, type);
      std::optional<float> zero =
          add ? readConstantFloat(add.getB()) : std::nullopt;
      if (!zero || *zero != 0.0f || std::signbit(*zero))
        continue;
      auto round = chainLink<onnx::RoundOp>(add.getA(), type);
      auto clip = round ? chainLink<onnx::ClipOp>(round.getX(), type) : nullptr;
      auto div = clip ? clip.getInput().getDefiningOp<onnx::DivOp>() : nullptr;
      if (!div || div.getC().getType() != type || div.getA().getType() != type)
        continue;
      std::optional<float> s = readConstantFloat(scale);
      std::optional<float> divisor = readConstantFloat(div.getB());
      std::optional<int64_t> low = constantBound(clip.getMin());
      std::optional<int64_t> high = constantBound(clip.getMax());
      if (!s || !divisor || std::memcmp(&*s, &*divisor, sizeof(float)) != 0 ||
          !low || !high || *low > *high)
        continue;
      rewriter.replaceOpWithNewOp<FakeQuantizeOp>(
          op, type, div.getA(), rewriter.getF32FloatAttr(*s),
          rewriter.getI64IntegerAttr(*low), rewriter.getI64IntegerAttr(*high));
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "not (round(clip(x / s, lo, hi)) + 0) * s");
  }
};

} // namespace

void intr::populateONNXToINTRQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<FakeQuantizePattern>(patterns.getContext());
}
