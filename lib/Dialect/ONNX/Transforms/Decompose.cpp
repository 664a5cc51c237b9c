//===- Decompose.cpp - Composite onnx ops as the ops kernels run ----------===//
//
// ONNX defines many ops as compositions of others. Expanding them here, once,
// gives every backend those ops without a kernel of their own; a model's
// activations are rarely where its time goes. For the same reason a 1-D
// convolution or max pooling runs as the 2-D one over a height-1 image. Each
// expansion follows the formula in the op's description, with Where selecting
// between branches so that NaN goes where the formula sends it.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/ONNX/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"

namespace intr::onnx {
#define GEN_PASS_DEF_ONNXDECOMPOSEPASS
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace intr::onnx

using namespace mlir;
using namespace intr::onnx;

namespace {

/// Builds the expansions: every value made has the element type of `like`.
struct Expander {
  PatternRewriter &rewriter;
  Location loc;
  Type element;

  Expander(PatternRewriter &rewriter, Operation *op, Value like)
      : rewriter(rewriter), loc(op->getLoc()),
        element(cast<TensorType>(like.getType()).getElementType()) {}

  /// A rank-0 constant of the element type.
  Value scalar(double value) {
    auto type = RankedTensorType::get({}, element);
    Attribute attr =
        isa<FloatType>(element)
            ? Attribute(rewriter.getFloatAttr(element, value))
            : Attribute(rewriter.getIntegerAttr(element, int64_t(value)));
    return rewriter.create<ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<Attribute>(attr)));
  }
  Value add(Value a, Value b) { return rewriter.create<AddOp>(loc, a, b); }
  Value sub(Value a, Value b) { return rewriter.create<SubOp>(loc, a, b); }
  Value mul(Value a, Value b) { return rewriter.create<MulOp>(loc, a, b); }
  Value div(Value a, Value b) { return rewriter.create<DivOp>(loc, a, b); }
  Value less(Value a, Value b) { return rewriter.create<LessOp>(loc, a, b); }
  Value greater(Value a, Value b) {
    return rewriter.create<GreaterOp>(loc, a, b);
  }
  Value where(Value c, Value x, Value y) {
    return rewriter.create<WhereOp>(loc, c, x, y);
  }
  Value equal(Value a, Value b) { return rewriter.create<EqualOp>(loc, a, b); }
  Value either(Value a, Value b) { return rewriter.create<OrOp>(loc, a, b); }
  Value exp(Value x) { return rewriter.create<ExpOp>(loc, x); }
  Value log(Value x) { return rewriter.create<LogOp>(loc, x); }
  Value abs(Value x) { return rewriter.create<AbsOp>(loc, x); }
  Value neg(Value x) { return rewriter.create<NegOp>(loc, x); }
  Value relu(Value x) { return rewriter.create<ReluOp>(loc, x); }

  /// `condition`, or also where the float `v` is NaN (v != v); integers
  /// have no NaN. Constant `v` folds the test away.
  Value orNaN(Value condition, Value v) {
    if (!isa<FloatType>(getElementTypeOrSelf(v.getType())))
      return condition;
    return either(condition, rewriter.create<NotOp>(loc, equal(v, v)));
  }

  /// The maximum (minimum) of the inputs, pair by pair from the left: b
  /// where a < b (b < a) or b is NaN, else a; so NaN wins.
  Value extremum(ValueRange inputs, bool maximum) {
    Value result = inputs.front();
    for (Value b : inputs.drop_front()) {
      Value a = result;
      result = where(orNaN(maximum ? less(a, b) : less(b, a), b), b, a);
    }
    return result;
  }

  /// The inputs added left to right.
  Value sum(ValueRange inputs) {
    Value sum = inputs.front();
    for (Value input : inputs.drop_front())
      sum = add(sum, input);
    return sum;
  }

  /// numpy's clip: min(max(x, lo), hi), either bound optional (null). A
  /// NaN x fails both comparisons and stays; a NaN bound is taken.
  Value clamp(Value x, Value lo, Value hi) {
    if (lo)
      x = where(orNaN(less(x, lo), lo), lo, x);
    if (hi)
      x = where(orNaN(less(hi, x), hi), hi, x);
    return x;
  }
};

/// Whether `op`'s result types are the ones its operands give. The dialect
/// lets a declared type be more or less precise than the inferred one, but
/// an expansion's values have the inferred types, and a user such as
/// func.return needs the declared one exactly.
bool hasInferredResultTypes(Operation *op) {
  SmallVector<Type> types;
  return succeeded(inferResultTypes(cast<InferTypeOpInterface>(op), types)) &&
         TypeRange(types) == op->getResultTypes();
}

/// Rewrites `Op` with `expand(op, expander)`, which returns the value that
/// replaces the op's one result (null when it cannot, before building any
/// op).
template <typename Op> struct ExpandPattern : public OpRewritePattern<Op> {
  using Expand = Value (*)(Op, Expander &);
  ExpandPattern(MLIRContext *context, Expand expand)
      : OpRewritePattern<Op>(context), expand(expand) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    Expander expander(rewriter, op, op->getOperand(0));
    Value replacement = expand(op, expander);
    if (!replacement)
      return rewriter.notifyMatchFailure(op, "cannot expand");
    rewriter.replaceOp(op, replacement);
    return success();
  }

  Expand expand;
};

/// A 1-D window attribute (kernel size, stride, dilation) as the 2-D one of
/// a height-1 image: 1 before the width's value. Pads [begin, end] become
/// [0, begin, 0, end]. Null stays null (the default).
DenseI64ArrayAttr liftWindow(Builder &builder, DenseI64ArrayAttr attr) {
  if (!attr || attr.size() != 1)
    return attr;
  return builder.getDenseI64ArrayAttr({1, attr[0]});
}
DenseI64ArrayAttr liftPads(Builder &builder, DenseI64ArrayAttr pads) {
  if (!pads || pads.size() != 2)
    return pads;
  return builder.getDenseI64ArrayAttr({0, pads[0], 0, pads[1]});
}

/// Runs a 1-D Conv or MaxPool (X of rank 3) as the 2-D one over a height-1
/// image, which the kernels and raising know: X (and Conv's W) unsqueezed
/// at axis 2, each result squeezed back. A flat index into a row of height
/// 1 is the 1-D index, so MaxPool's Indices are unchanged.
template <typename Op> struct LiftWindowTo2D : public OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getX().getType());
    if (!type || type.getRank() != 3)
      return rewriter.notifyMatchFailure(op, "not 1-D");
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    Location loc = op.getLoc();
    Value axis = intr::createI64Constant(rewriter, loc, {2});
    Value x = rewriter.create<UnsqueezeOp>(loc, op.getX(), axis);
    Operation *lifted;
    if constexpr (std::is_same_v<Op, ConvOp>) {
      Value w = rewriter.create<UnsqueezeOp>(loc, op.getW(), axis);
      lifted = rewriter.create<ConvOp>(
          loc, x, w, op.getB(), op.getAutoPadAttr(),
          liftWindow(rewriter, op.getDilationsAttr()), op.getGroupAttr(),
          liftWindow(rewriter, op.getKernelShapeAttr()),
          liftPads(rewriter, op.getPadsAttr()),
          liftWindow(rewriter, op.getStridesAttr()));
    } else {
      lifted = rewriter.create<MaxPoolOp>(
          loc, x, op.getAutoPadAttr(), op.getCeilModeAttr(),
          liftWindow(rewriter, op.getDilationsAttr()),
          liftWindow(rewriter, op.getKernelShapeAttr()),
          liftPads(rewriter, op.getPadsAttr()), op.getStorageOrderAttr(),
          liftWindow(rewriter, op.getStridesAttr()));
    }
    SmallVector<Value> results;
    for (Value result : lifted->getResults())
      results.push_back(rewriter.create<SqueezeOp>(loc, result, axis));
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// GlobalAveragePool or GlobalMaxPool as the Reduce op over the spatial axes,
/// keeping them; null when X's rank is unknown.
template <typename Op, typename Reduce> Value globalPool(Op op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!type)
    return Value();
  DenseI64ArrayAttr axes = e.rewriter.getDenseI64ArrayAttr(
      llvm::to_vector(llvm::seq<int64_t>(2, type.getRank())));
  Value none = e.rewriter.create<NoValueOp>(e.loc);
  return e.rewriter.create<Reduce>(e.loc, op.getX(), none, axes,
                                   /*keepdims=*/1, /*noop_with_empty_axes=*/0);
}

template <typename Op>
void addPattern(RewritePatternSet &patterns,
                typename ExpandPattern<Op>::Expand expand) {
  patterns.add<ExpandPattern<Op>>(patterns.getContext(), expand);
}

void populateDecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<LiftWindowTo2D<ConvOp>, LiftWindowTo2D<MaxPoolOp>>(
      patterns.getContext());
  addPattern<GreaterOrEqualOp>(patterns, [](GreaterOrEqualOp op, Expander &e) {
    return e.either(e.greater(op.getA(), op.getB()),
                    e.equal(op.getA(), op.getB()));
  });
  addPattern<LessOrEqualOp>(patterns, [](LessOrEqualOp op, Expander &e) {
    return e.either(e.less(op.getA(), op.getB()),
                    e.equal(op.getA(), op.getB()));
  });
  addPattern<ClipOp>(patterns, [](ClipOp op, Expander &e) {
    auto bound = [](Value v) {
      return isa<NoneType>(v.getType()) ? Value() : v;
    };
    return e.clamp(op.getInput(), bound(op.getMin()), bound(op.getMax()));
  });
  addPattern<LeakyReluOp>(patterns, [](LeakyReluOp op, Expander &e) {
    Value x = op.getX();
    return e.where(e.less(x, e.scalar(0)),
                   e.mul(x, e.scalar(op.getAlpha().convertToFloat())), x);
  });
  addPattern<PReluOp>(patterns, [](PReluOp op, Expander &e) {
    Value x = op.getX();
    return e.where(e.less(x, e.scalar(0)), e.mul(x, op.getSlope()), x);
  });
  addPattern<ThresholdedReluOp>(
      patterns, [](ThresholdedReluOp op, Expander &e) {
        Value x = op.getX();
        return e.where(e.greater(x, e.scalar(op.getAlpha().convertToFloat())),
                       x, e.scalar(0));
      });
  addPattern<EluOp>(patterns, [](EluOp op, Expander &e) {
    Value x = op.getX();
    Value alpha = e.scalar(op.getAlpha().convertToFloat());
    return e.where(e.less(x, e.scalar(0)),
                   e.mul(alpha, e.sub(e.exp(x), e.scalar(1))), x);
  });
  addPattern<SeluOp>(patterns, [](SeluOp op, Expander &e) {
    Value x = op.getX();
    Value alpha = e.scalar(op.getAlpha().convertToFloat());
    Value gamma = e.scalar(op.getGamma().convertToFloat());
    return e.where(e.greater(x, e.scalar(0)), e.mul(gamma, x),
                   e.mul(gamma, e.sub(e.mul(alpha, e.exp(x)), alpha)));
  });
  addPattern<CeluOp>(patterns, [](CeluOp op, Expander &e) {
    Value x = op.getX();
    Value alpha = e.scalar(op.getAlpha().convertToFloat());
    Value negative = e.mul(alpha, e.sub(e.exp(e.div(x, alpha)), e.scalar(1)));
    Value zero = e.scalar(0);
    return e.add(e.relu(x), e.where(e.less(negative, zero), negative, zero));
  });
  addPattern<HardSigmoidOp>(patterns, [](HardSigmoidOp op, Expander &e) {
    Value x = op.getX();
    Value line = e.add(e.mul(e.scalar(op.getAlpha().convertToFloat()), x),
                       e.scalar(op.getBeta().convertToFloat()));
    return e.clamp(line, e.scalar(0), e.scalar(1));
  });
  addPattern<HardSwishOp>(patterns, [](HardSwishOp op, Expander &e) {
    Value x = op.getX();
    Value line = e.add(e.mul(e.scalar(1.0 / 6), x), e.scalar(0.5));
    return e.mul(x, e.clamp(line, e.scalar(0), e.scalar(1)));
  });
  addPattern<SoftplusOp>(patterns, [](SoftplusOp op, Expander &e) {
    // ln(exp(x) + 1) = max(x, 0) + ln(1 + exp(-|x|)), which cannot overflow.
    Value x = op.getX();
    return e.add(e.relu(x), e.log(e.add(e.exp(e.neg(e.abs(x))), e.scalar(1))));
  });
  addPattern<SoftsignOp>(patterns, [](SoftsignOp op, Expander &e) {
    Value x = op.getInput();
    return e.div(x, e.add(e.abs(x), e.scalar(1)));
  });
  addPattern<MaxOp>(patterns, [](MaxOp op, Expander &e) {
    return e.extremum(op.getData_0(), /*maximum=*/true);
  });
  addPattern<MinOp>(patterns, [](MinOp op, Expander &e) {
    return e.extremum(op.getData_0(), /*maximum=*/false);
  });
  addPattern<CastLikeOp>(patterns, [](CastLikeOp op, Expander &e) {
    return intr::createCast(e.rewriter, e.loc, op.getInput(),
                            op.getType().getElementType());
  });
  addPattern<SumOp>(
      patterns, [](SumOp op, Expander &e) { return e.sum(op.getData_0()); });
  addPattern<MeanOp>(patterns, [](MeanOp op, Expander &e) {
    return e.div(e.sum(op.getData_0()), e.scalar(op.getData_0().size()));
  });
  addPattern<GlobalAveragePoolOp>(
      patterns, globalPool<GlobalAveragePoolOp, ReduceMeanOp>);
  addPattern<GlobalMaxPoolOp>(patterns,
                              globalPool<GlobalMaxPoolOp, ReduceMaxOp>);
}

/// Dropout, which its verifier allows only where it is the identity, when
/// its fold cannot (a used mask of dynamic shape aside): the output is the
/// data, an unused mask needs nothing.
struct DropDropout : public OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DropoutOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getMask().use_empty() ||
        op.getData().getType() != op.getOutput().getType())
      return rewriter.notifyMatchFailure(op, "its mask is used");
    rewriter.replaceAllUsesWith(op.getOutput(), op.getData());
    rewriter.eraseOp(op);
    return success();
  }
};

/// Why the pass could not expand `op`, a composite op or a Dropout.
std::string whyLeft(Operation *op) {
  if (isa<DropoutOp>(op))
    return "cannot be removed: its mask is used and has a dynamic shape";
  if (!hasInferredResultTypes(op))
    return "cannot be expanded: a result type differs from the one its "
           "operands give (--onnx-infer-shapes refines it)";
  return "cannot be expanded: its input's rank is unknown";
}

struct ONNXDecomposePass
    : public intr::onnx::impl::ONNXDecomposePassBase<ONNXDecomposePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposePatterns(patterns);
    patterns.add<DropDropout>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns)))) {
      getOperation().emitError("onnx-decompose did not converge");
      return signalPassFailure();
    }
    WalkResult left = getOperation().walk([](Operation *op) {
      if (!op->hasTrait<intr::onnx::OpTrait::Composite>() &&
          !isa<DropoutOp>(op))
        return WalkResult::advance();
      op->emitOpError(whyLeft(op));
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
