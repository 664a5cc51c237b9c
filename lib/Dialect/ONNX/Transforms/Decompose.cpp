//===- Decompose.cpp - Composite onnx ops as the ops kernels run ----------===//
//
// ONNX defines many ops as compositions of others. Expanding them here, once,
// gives every backend those ops without a kernel of their own; a model's
// activations are rarely where its time goes. For the same reason a 1-D
// convolution or max pooling runs as the 2-D one over a height-1 image, a 3-D
// pooling as two 2-D ones, and an 8-bit max pooling on f32 values. Each
// expansion follows the formula in the op's description, with Where selecting
// between branches so that NaN goes where the formula sends it.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/ONNX/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstring>
#include <limits>

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
  Value sqrt(Value x) { return rewriter.create<SqrtOp>(loc, x); }
  Value tanh(Value x) { return rewriter.create<TanhOp>(loc, x); }
  Value logicalNot(Value x) { return rewriter.create<NotOp>(loc, x); }

  /// An i64 constant of `shape` holding `values`.
  Value i64s(ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get(shape, rewriter.getI64Type());
    return rewriter.create<ConstantOp>(loc,
                                       DenseElementsAttr::get(type, values));
  }
  Value i64(int64_t value) { return i64s({}, {value}); }

  Value reduceSum(Value x, Value axes, bool keepdims, int64_t noop = 0) {
    return rewriter.create<ReduceSumOp>(loc, x, axes, keepdims, noop);
  }
  /// The mean over `axes`, kept.
  Value reduceMean(Value x, Value axes) {
    return rewriter.create<ReduceMeanOp>(loc, x, axes, DenseI64ArrayAttr(),
                                         /*keepdims=*/1, /*noop=*/0);
  }
  Value reduceMax(Value x, Value axes, bool keepdims, int64_t noop = 0) {
    return rewriter.create<ReduceMaxOp>(loc, x, axes, DenseI64ArrayAttr(),
                                        keepdims, noop);
  }

  /// `x` with its order reversed, exactly and without overflow: -x for
  /// floats, not x for bool, ~x = all-ones - x for integers (signed or
  /// not). Its own inverse.
  Value turnAround(Value x) {
    if (isa<FloatType>(element))
      return neg(x);
    if (element.isInteger(1))
      return logicalNot(x);
    auto type = RankedTensorType::get({}, element);
    APInt ones = APInt::getAllOnes(element.getIntOrFloatBitWidth());
    Value allOnes = rewriter.create<ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<APInt>(ones)));
    return sub(allOnes, x);
  }

  /// The sum of squares over `axes`.
  Value sumOfSquares(Value x, Value axes, bool keepdims, int64_t noop = 0) {
    return reduceSum(mul(x, x), axes, keepdims, noop);
  }

  /// x - mean and the variance over `axes` (kept): the mean of squared
  /// differences from the mean, more accurate than E[x^2] - E[x]^2.
  std::pair<Value, Value> centerAndVariance(Value x, Value axes) {
    Value centered = sub(x, reduceMean(x, axes));
    return {centered, reduceMean(mul(centered, centered), axes)};
  }

  /// (x - mean) / sqrt(var + epsilon) over `axes` (kept).
  Value normalize(Value x, Value axes, double epsilon) {
    auto [centered, variance] = centerAndVariance(x, axes);
    return div(centered, sqrt(add(variance, scalar(epsilon))));
  }

  /// Where `v` is NaN: v != v.
  Value isNaN(Value v) { return logicalNot(equal(v, v)); }

  /// `condition`, or also where the float `v` is NaN; integers have no NaN.
  /// Constant `v` folds the test away.
  Value orNaN(Value condition, Value v) {
    if (!isa<FloatType>(getElementTypeOrSelf(v.getType())))
      return condition;
    return either(condition, isNaN(v));
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
  /// NaN x fails both comparisons and stays; a NaN bound is taken. A Clip
  /// for floats, which a kernel runs in one pass; Less and Where for
  /// integers, which fold in shape arithmetic.
  /// `x` in elements of `type`: itself when it has them, else a Cast.
  Value castTo(Value x, Type type) {
    return cast<TensorType>(x.getType()).getElementType() == type
               ? x
               : intr::createCast(rewriter, loc, x, type);
  }
  Value clamp(Value x, Value lo, Value hi) {
    if (isa<FloatType>(element)) {
      Value none = rewriter.create<NoValueOp>(loc);
      return rewriter.create<ClipOp>(loc, x, lo ? lo : none, hi ? hi : none);
    }
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

/// A composite reduction's axes as one operand: its attribute (opsets up to
/// 17) made a constant, else its input (or none).
template <typename Op> Value axesOperand(Op op, Expander &e) {
  if (std::optional<ArrayRef<int64_t>> axes = op.getAxes())
    return intr::createI64Constant(e.rewriter, e.loc, *axes);
  return op.getAxesInput();
}

/// ReduceLogSumExp: m + log(sum(exp(x - m))) with m the maximum, or 0 where
/// that is infinite (x - m would be NaN; exp(x) is then exact enough). The
/// axes stay until the end, then go unless kept: then they must be constant.
Value logSumExp(ReduceLogSumExpOp op, Expander &e) {
  std::optional<SmallVector<int64_t>> axesValues =
      getReduceAxes(op.getAxes(), op.getAxesInput());
  if (!op.getKeepdims() && !axesValues)
    return Value();
  Value x = op.getData(), axes = axesOperand(op, e);
  int64_t noop = op.getNoopWithEmptyAxes();
  Value max = e.reduceMax(x, axes, /*keepdims=*/true, noop);
  Value inf = e.scalar(std::numeric_limits<double>::infinity());
  Value shift = e.where(e.equal(e.abs(max), inf), e.scalar(0), max);
  Value sum =
      e.reduceSum(e.exp(e.sub(x, shift)), axes, /*keepdims=*/true, noop);
  Value result = e.add(e.log(sum), shift);
  if (op.getKeepdims() || (axesValues->empty() && noop))
    return result;
  // No axes: every dimension was reduced to 1, and Squeeze drops them all.
  return e.rewriter.create<SqueezeOp>(
      e.loc, result,
      axesValues->empty() ? Value(e.rewriter.create<NoValueOp>(e.loc)) : axes);
}

bool hasRank(Value value) { return isa<RankedTensorType>(value.getType()); }

/// The normalized `axis` of `value` and its rank; nullopt when the rank is
/// unknown or 0.
std::optional<std::pair<int64_t, int64_t>> rankAndAxis(Value value,
                                                       int64_t axis) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0)
    return std::nullopt;
  std::optional<int64_t> dim = normalizeAxis(axis, type.getRank());
  if (!dim)
    return std::nullopt;
  return std::pair(type.getRank(), *dim);
}

/// The index along `axis` of the maximum of `data` (of the minimum when
/// `minimum`): the first, or the last when `last`; NaN counts as the
/// extremum. Null when the axis' size is unknown.
Value indexOfExtremum(Value data, int64_t axis, bool keepdims, bool minimum,
                      bool last, Expander &e) {
  auto type = cast<RankedTensorType>(data.getType());
  int64_t size = type.getDimSize(axis);
  if (ShapedType::isDynamic(size))
    return Value();
  Value values = minimum ? e.turnAround(data) : data;
  Value axes = intr::createI64Constant(e.rewriter, e.loc, {axis});
  Value hit = e.orNaN(
      e.equal(values, e.reduceMax(values, axes, /*keepdims=*/true)), values);
  // Positions along the axis, shaped to broadcast against the data; the
  // first hit is the one with the largest distance to the end.
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[axis] = size;
  SmallVector<int64_t> positions;
  for (int64_t i = 0; i < size; ++i)
    positions.push_back(last ? i : size - i);
  Value marked = e.where(hit, e.i64s(shape, positions), e.i64(last ? -1 : 0));
  Value found = e.reduceMax(marked, axes, keepdims);
  return last ? found : e.sub(e.i64(size), found);
}

template <typename Op> Value argExtremum(Op op, Expander &e) {
  auto dims = rankAndAxis(op.getData(), op.getAxis());
  if (!dims)
    return Value();
  return indexOfExtremum(op.getData(), dims->second, op.getKeepdims() != 0,
                         std::is_same_v<Op, ArgMinOp>,
                         op.getSelectLastIndex() != 0, e);
}

/// Hardmax: 1 where the position along the axis is the first maximum's.
Value hardmax(HardmaxOp op, Expander &e) {
  Value x = op.getInput();
  auto dims = rankAndAxis(x, op.getAxis());
  if (!dims)
    return Value();
  auto [rank, axis] = *dims;
  Value first = indexOfExtremum(x, axis, /*keepdims=*/true, /*minimum=*/false,
                                /*last=*/false, e);
  if (!first)
    return Value();
  int64_t size = cast<RankedTensorType>(x.getType()).getDimSize(axis);
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  Value positions = e.i64s(shape, llvm::to_vector(llvm::seq<int64_t>(0, size)));
  return e.where(e.equal(positions, first), e.scalar(1), e.scalar(0));
}

/// LogSoftmax: d - log(sum(exp(d))) with d = x - max(x) along the axis.
Value logSoftmax(LogSoftmaxOp op, Expander &e) {
  Value x = op.getInput();
  auto dims = rankAndAxis(x, op.getAxis());
  if (!dims)
    return Value();
  Value axes = intr::createI64Constant(e.rewriter, e.loc, {dims->second});
  Value shifted = e.sub(x, e.reduceMax(x, axes, /*keepdims=*/true));
  return e.sub(shifted,
               e.log(e.reduceSum(e.exp(shifted), axes, /*keepdims=*/true)));
}

/// The axes from `first` to `rank - 1` as a constant.
Value axesFrom(int64_t first, int64_t rank, Expander &e) {
  return intr::createI64Constant(
      e.rewriter, e.loc, llvm::to_vector(llvm::seq<int64_t>(first, rank)));
}

/// A per-channel parameter of size C made C x 1 x ... x 1, to broadcast
/// against N x C x D1 x ... x Dn of rank `rank`.
Value perChannel(Value parameter, int64_t rank, Expander &e) {
  return e.rewriter.create<UnsqueezeOp>(e.loc, parameter,
                                        axesFrom(1, rank - 1, e));
}

/// (x - mean) / sqrt(var + epsilon) over the axes from `first` to the last
/// of x's `rank`, as one onnx.LayerNormalization of unit scale, which a
/// kernel runs in one step with its statistics in double, where the
/// separate ops took eight passes; but for f64, which that kernel computes
/// in f32.
Value normalizeTrailing(Value x, int64_t first, int64_t rank, double epsilon,
                        Expander &e) {
  if (e.element.isF64())
    return e.normalize(x, axesFrom(first, rank, e), epsilon);
  IntegerType i64 = e.rewriter.getIntegerType(64, /*isSigned=*/true);
  auto norm = e.rewriter.create<LayerNormalizationOp>(
      e.loc, x, e.scalar(1), e.rewriter.create<NoValueOp>(e.loc),
      e.rewriter.getIntegerAttr(i64, first),
      e.rewriter.getF32FloatAttr(static_cast<float>(epsilon)),
      e.rewriter.getIntegerAttr(i64, 1));
  return norm.getY();
}

/// Whether `value` is a constant of f32 elements all equal to `expected`.
bool isConstantOf(Value value, float expected) {
  std::optional<SmallVector<float>> values = intr::readConstantFloats(value);
  return values && llvm::all_of(*values, [&](float v) {
           return std::memcmp(&v, &expected, sizeof v) == 0;
         });
}

Value instanceNormalization(InstanceNormalizationOp op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
  if (!type || !hasRank(op.getScale()) || !hasRank(op.getB()))
    return Value();
  int64_t rank = type.getRank();
  Value normalized = normalizeTrailing(op.getInput(), 2, rank,
                                       op.getEpsilon().convertToDouble(), e);
  // A unit scale and a zero shift (how both exporters write a group norm,
  // its own scale and shift after): the layer norm alone, whose kernel adds
  // the +0 shift itself (so that -0 becomes +0 as the Add would make it).
  if (!e.element.isF64() && isConstantOf(op.getScale(), 1.0f) &&
      isConstantOf(op.getB(), 0.0f))
    return normalized;
  return e.add(e.mul(normalized, perChannel(op.getScale(), rank, e)),
               perChannel(op.getB(), rank, e));
}

/// GroupNormalization over X viewed as N x G x (C / G * D1 * ... * Dn),
/// scaled per group (opset 18) or per channel (21) by the parameters' size,
/// which must be known, as X's shape must be.
Value groupNormalization(GroupNormalizationOp op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getX().getType());
  auto scaleType = dyn_cast<RankedTensorType>(op.getScale().getType());
  auto biasType = dyn_cast<RankedTensorType>(op.getBias().getType());
  if (!type || !type.hasStaticShape() || !scaleType ||
      !scaleType.hasStaticShape() || !biasType || !biasType.hasStaticShape())
    return Value();
  if (type.getNumElements() == 0)
    return op.getX(); // nothing to normalize; Y has X's (empty) shape
  int64_t rank = type.getRank(), groups = op.getNumGroups();
  int64_t batch = type.getDimSize(0), channels = type.getDimSize(1);
  int64_t perGroup = channels / groups;
  for (int64_t size : type.getShape().drop_front(2))
    perGroup *= size;
  Value grouped = intr::createReshape(e.rewriter, e.loc, op.getX(),
                                      {batch, groups, perGroup});
  Value normalized =
      normalizeTrailing(grouped, 2, 3, op.getEpsilon().convertToDouble(), e);
  Value scale = op.getScale(), bias = op.getBias();
  if (scaleType.getDimSize(0) != channels) {
    normalized =
        e.add(e.mul(normalized,
                    intr::createReshape(e.rewriter, e.loc, scale, {groups, 1})),
              intr::createReshape(e.rewriter, e.loc, bias, {groups, 1}));
    return intr::createReshape(e.rewriter, e.loc, normalized, type.getShape());
  }
  Value y = intr::createReshape(e.rewriter, e.loc, normalized, type.getShape());
  return e.add(e.mul(y, perChannel(scale, rank, e)), perChannel(bias, rank, e));
}

/// A 3-D MaxPool, AveragePool or LpPool (X of rank 5, N x C x D x H x W) as
/// two 2-D ones, which the kernels and expansions know: the maximum over a
/// box is the maximum over its depth of the maxima over its H x W windows,
/// its mean the mean over its depth of the means over its windows (a
/// window's count is the product of its counts along each dimension, with
/// or without the pads), and its p-norm the p-norm of its windows'. Padding,
/// strides, dilations and ceil mode act on each dimension alone. The first
/// pools each depth slice, X viewed as N x (C * D) x H x W; the second pools
/// along the depth, the result viewed as N x C x D x (H' * W'), with a window
/// of width 1. Needs a static shape, and MaxPool's Indices unused (they would
/// index the intermediate views).
template <typename Op> struct SeparatePool3D : public OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  /// The 2-D pool of `x` like `op` with the given window attributes.
  static Value pool2D(PatternRewriter &rewriter, Op op, Value x,
                      DenseI64ArrayAttr dilations, DenseI64ArrayAttr kernel,
                      DenseI64ArrayAttr pads, DenseI64ArrayAttr strides) {
    Location loc = op.getLoc();
    if constexpr (std::is_same_v<Op, MaxPoolOp>)
      return rewriter
          .create<MaxPoolOp>(loc, x, op.getAutoPadAttr(), op.getCeilModeAttr(),
                             dilations, kernel, pads, op.getStorageOrderAttr(),
                             strides)
          .getY();
    else if constexpr (std::is_same_v<Op, LpPoolOp>)
      return rewriter.create<LpPoolOp>(loc, x, op.getAutoPadAttr(),
                                       op.getCeilModeAttr(), dilations, kernel,
                                       op.getPAttr(), pads, strides);
    else
      return rewriter.create<AveragePoolOp>(
          loc, x, op.getAutoPadAttr(), op.getCeilModeAttr(),
          op.getCountIncludePadAttr(), dilations, kernel, pads, strides);
  }

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getX().getType());
    if (!type || type.getRank() != 5 || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not 3-D of static shape");
    if constexpr (std::is_same_v<Op, MaxPoolOp>)
      if (!op.getIndices().use_empty())
        return rewriter.notifyMatchFailure(op, "its Indices are used");
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    auto resultType = cast<RankedTensorType>(op.getY().getType());
    ArrayRef<int64_t> x = type.getShape(), y = resultType.getShape();
    // Window attributes per dimension (D, H, W); pads are begins then ends.
    DenseI64ArrayAttr kernel = op.getKernelShapeAttr(),
                      strides = op.getStridesAttr(),
                      dilations = op.getDilationsAttr(),
                      pads = op.getPadsAttr();
    // The 2-D pool's kernel, strides or dilations over dimensions `first`
    // and `second` of the 3-D one (-1: the width-1 dimension); a missing
    // attribute stays missing, its default being the same.
    auto window = [&](DenseI64ArrayAttr attr, int64_t first,
                      int64_t second) -> DenseI64ArrayAttr {
      if (!attr)
        return attr;
      auto at = [&](int64_t dim) { return dim < 0 ? 1 : attr[dim]; };
      return rewriter.getDenseI64ArrayAttr({at(first), at(second)});
    };
    auto padsOf = [&](int64_t first, int64_t second) -> DenseI64ArrayAttr {
      if (!pads)
        return pads;
      auto pad = [&](int64_t dim, int64_t end) {
        return dim < 0 ? 0 : pads[dim + 3 * end];
      };
      return rewriter.getDenseI64ArrayAttr(
          {pad(first, 0), pad(second, 0), pad(first, 1), pad(second, 1)});
    };
    Location loc = op.getLoc();
    Value slices = intr::createReshape(rewriter, loc, op.getX(),
                                       {x[0], x[1] * x[2], x[3], x[4]});
    Value plane =
        pool2D(rewriter, op, slices, window(dilations, 1, 2),
               window(kernel, 1, 2), padsOf(1, 2), window(strides, 1, 2));
    Value columns = intr::createReshape(rewriter, loc, plane,
                                        {x[0], x[1], x[2], y[3] * y[4]});
    Value depth =
        pool2D(rewriter, op, columns, window(dilations, 0, -1),
               window(kernel, 0, -1), padsOf(0, -1), window(strides, 0, -1));
    Value result = intr::createReshape(rewriter, loc, depth, y);
    rewriter.replaceAllUsesWith(op.getY(), result);
    rewriter.eraseOp(op);
    return success();
  }
};

/// ConvTranspose as the Conv it is the transpose of: along each spatial
/// axis X with stride - 1 zeros after each element (a Reshape that adds a
/// unit axis after it, a Pad of that axis to the stride, a Reshape back),
/// the filters [C, M/g, k...] regrouped to [M, C/g, k...] and flipped, and
/// a Conv of stride 1 with the transposed one's dilations and groups. That
/// Conv's pads are what the kernel extent leaves of the transposed pads:
/// extent - 1 - pad at the beginning, and at the end also the output
/// padding, less the zeros after X's last element; where one is negative,
/// the zero-stuffed X is cut instead. Needs static shapes.
struct ExpandConvTranspose : public OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  /// The output when no element of X reaches it: B along the channels, or
  /// zeros.
  static Value biasOnly(ConvTransposeOp op, PatternRewriter &rewriter) {
    auto type = cast<RankedTensorType>(op.getY().getType());
    Location loc = op.getLoc();
    if (isa<NoneType>(op.getB().getType()))
      return rewriter.create<ConstantOp>(
          loc, DenseElementsAttr::get(
                   type, rewriter.getZeroAttr(type.getElementType())));
    SmallVector<int64_t> channels(type.getRank(), 1);
    channels[1] = type.getDimSize(1);
    return rewriter.create<ExpandOp>(
        loc, intr::createReshape(rewriter, loc, op.getB(), channels),
        intr::createI64Constant(rewriter, loc, type.getShape()));
  }

  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    FailureOr<SmallVector<TransposedAxis>> axes = getTransposedAxes(op);
    if (failed(axes))
      return rewriter.notifyMatchFailure(op, "shapes are not static");
    if (axes->size() > 2)
      return rewriter.notifyMatchFailure(op, "convolutions run in 1-D or 2-D");
    Location loc = op.getLoc();
    ArrayRef<int64_t> x =
        cast<RankedTensorType>(op.getX().getType()).getShape();
    ArrayRef<int64_t> w =
        cast<RankedTensorType>(op.getW().getType()).getShape();
    const int64_t spatial = static_cast<int64_t>(axes->size());
    const int64_t group = op.getGroup();

    // Per axis, X with stride - 1 zeros after each element is stride times
    // as long; the Conv's pads, and the cuts of that X where one would be
    // negative.
    SmallVector<int64_t> stuffed = {x[0], x[1]}, convPads(2 * spatial, 0);
    SmallVector<int64_t> cutAxes, cutStarts, cutEnds, kernel, dilations;
    for (int64_t d = 0; d < spatial; ++d) {
      const TransposedAxis &axis = (*axes)[d];
      stuffed.push_back(x[2 + d] * axis.stride);
      int64_t extent = (axis.kernel - 1) * axis.dilation + 1;
      int64_t begin = extent - 1 - axis.padBegin;
      int64_t end =
          extent - 1 - axis.padEnd + axis.outputPadding - (axis.stride - 1);
      convPads[d] = std::max<int64_t>(begin, 0);
      convPads[d + spatial] = std::max<int64_t>(end, 0);
      int64_t cutStart = std::max<int64_t>(-begin, 0);
      int64_t cutEnd = stuffed[2 + d] - std::max<int64_t>(-end, 0);
      // Pads that cut away every element X reaches along an axis (a
      // dilated kernel's pad taken from the output padding) leave only the
      // bias.
      if (cutEnd - cutStart < 1) {
        rewriter.replaceOp(op, biasOnly(op, rewriter));
        return success();
      }
      if (begin < 0 || end < 0) {
        cutAxes.push_back(2 + d);
        cutStarts.push_back(cutStart);
        cutEnds.push_back(cutEnd);
      }
      kernel.push_back(axis.kernel);
      dilations.push_back(axis.dilation);
    }

    // The zeros: a unit axis after each spatial one, padded to the stride.
    Value input = op.getX();
    if (llvm::any_of(*axes, [](const TransposedAxis &axis) {
          return axis.stride > 1;
        })) {
      SmallVector<int64_t> split = {x[0], x[1]}, pads(2 + 2 * spatial, 0);
      pads.append({0, 0});
      for (int64_t d = 0; d < spatial; ++d) {
        split.append({x[2 + d], 1});
        pads.append({0, (*axes)[d].stride - 1});
      }
      Value none = rewriter.create<NoValueOp>(loc);
      Value spread = rewriter.create<PadOp>(
          loc, intr::createReshape(rewriter, loc, input, split),
          intr::createI64Constant(rewriter, loc, pads), none, none,
          rewriter.getStringAttr("constant"));
      input = intr::createReshape(rewriter, loc, spread, stuffed);
    }
    if (!cutAxes.empty())
      input = rewriter.create<SliceOp>(
          loc, input, intr::createI64Constant(rewriter, loc, cutStarts),
          intr::createI64Constant(rewriter, loc, cutEnds),
          intr::createI64Constant(rewriter, loc, cutAxes),
          rewriter.create<NoValueOp>(loc));

    // W [C, M/g, k...] as [M, C/g, k...], each filter flipped.
    SmallVector<int64_t> grouped = {group, w[0] / group, w[1]};
    grouped.append(w.begin() + 2, w.end());
    SmallVector<int64_t> perm = {0, 2, 1};
    for (int64_t d = 0; d < spatial; ++d)
      perm.push_back(3 + d);
    SmallVector<int64_t> regrouped = {w[1] * group, w[0] / group};
    regrouped.append(w.begin() + 2, w.end());
    Value filters = intr::createReshape(
        rewriter, loc,
        rewriter.create<TransposeOp>(
            loc, intr::createReshape(rewriter, loc, op.getW(), grouped),
            rewriter.getDenseI64ArrayAttr(perm)),
        regrouped);
    SmallVector<int64_t> flipAxes, minusOnes(spatial, -1),
        lowest(spatial, std::numeric_limits<int64_t>::min());
    for (int64_t d = 0; d < spatial; ++d)
      flipAxes.push_back(2 + d);
    filters = rewriter.create<SliceOp>(
        loc, filters, intr::createI64Constant(rewriter, loc, minusOnes),
        intr::createI64Constant(rewriter, loc, lowest),
        intr::createI64Constant(rewriter, loc, flipAxes),
        intr::createI64Constant(rewriter, loc, minusOnes));

    Value conv = rewriter.create<ConvOp>(
        loc, input, filters, op.getB(), rewriter.getStringAttr("NOTSET"),
        rewriter.getDenseI64ArrayAttr(dilations), op.getGroupAttr(),
        rewriter.getDenseI64ArrayAttr(kernel),
        rewriter.getDenseI64ArrayAttr(convPads),
        rewriter.getDenseI64ArrayAttr(SmallVector<int64_t>(spatial, 1)));
    rewriter.replaceOp(op, conv);
    return success();
  }
};

/// A MaxPool of 8-bit integers (ONNX allows int8 and uint8) run on their
/// f32 values, which hold them exactly; the maximum is cast back. Taken
/// before SeparatePool3D, so that a 3-D pool is cast once.
struct WidenIntegerMaxPool : public OpRewritePattern<MaxPoolOp> {
  WidenIntegerMaxPool(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    Type element = getElementTypeOrSelf(op.getX().getType());
    if (!element.isInteger(8))
      return rewriter.notifyMatchFailure(op, "not 8-bit integers");
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    Location loc = op.getLoc();
    Value x = intr::createCast(rewriter, loc, op.getX(), rewriter.getF32Type());
    auto pooled = rewriter.create<MaxPoolOp>(
        loc, x, op.getAutoPadAttr(), op.getCeilModeAttr(),
        op.getDilationsAttr(), op.getKernelShapeAttr(), op.getPadsAttr(),
        op.getStorageOrderAttr(), op.getStridesAttr());
    rewriter.replaceOp(op,
                       {intr::createCast(rewriter, loc, pooled.getY(), element),
                        pooled.getIndices()});
    return success();
  }
};

/// One padded axis of a Pad: its (non-negative) index, its size and the
/// amounts at its begin and end.
struct PaddedAxis {
  int64_t axis, size, begin, end;
};

/// Pad's padded axes when its pads and axes are constant and those axes'
/// sizes known, else nullopt.
std::optional<SmallVector<PaddedAxis>> paddedAxes(PadOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getData().getType());
  if (!type)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> pads = getConstantInts(op.getPads());
  std::optional<SmallVector<int64_t>> axes =
      isa<NoneType>(op.getAxes().getType())
          ? std::optional<SmallVector<int64_t>>(
                llvm::to_vector(llvm::seq<int64_t>(0, type.getRank())))
          : getConstantInts(op.getAxes());
  if (!pads || !axes || pads->size() != 2 * axes->size())
    return std::nullopt;
  SmallVector<PaddedAxis> padded;
  for (auto [index, axis] : llvm::enumerate(*axes)) {
    std::optional<int64_t> normalized = normalizeAxis(axis, type.getRank());
    if (!normalized || type.isDynamicDim(*normalized))
      return std::nullopt;
    padded.push_back({*normalized, type.getDimSize(*normalized), (*pads)[index],
                      (*pads)[axes->size() + index]});
  }
  return padded;
}

/// Whether Pad wraps around an empty axis, which has nothing to repeat.
bool wrapsEmptyAxis(ArrayRef<PaddedAxis> axes) {
  return llvm::any_of(axes, [](const PaddedAxis &a) {
    return a.size == 0 && a.begin + a.end > 0;
  });
}

/// A Pad in reflect, edge or wrap mode that crops an axis (a negative
/// amount) as the Slice that crops and the Pad that pads what is left (with
/// the negative amounts 0), so that the padding repeats the cropped data,
/// as onnxruntime's does; the kernels pad only.
struct CropBeforePad : public OpRewritePattern<PadOp> {
  CropBeforePad(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getMode() == "constant")
      return rewriter.notifyMatchFailure(op, "crops and pads alike");
    std::optional<SmallVector<PaddedAxis>> axes = paddedAxes(op);
    if (!axes || !hasInferredResultTypes(op) ||
        llvm::none_of(*axes, [](const PaddedAxis &a) {
          return a.begin < 0 || a.end < 0;
        }))
      return rewriter.notifyMatchFailure(op, "nothing cropped, or unknown");
    Location loc = op.getLoc();
    SmallVector<int64_t> starts, ends, axisList, pads(2 * axes->size());
    for (auto [index, a] : llvm::enumerate(*axes)) {
      if (a.begin < 0 || a.end < 0) {
        starts.push_back(std::max<int64_t>(-a.begin, 0));
        ends.push_back(a.size - std::max<int64_t>(-a.end, 0));
        axisList.push_back(a.axis);
      }
      pads[index] = std::max<int64_t>(a.begin, 0);
      pads[axes->size() + index] = std::max<int64_t>(a.end, 0);
    }
    Value cropped = rewriter.create<SliceOp>(
        loc, op.getData(), intr::createI64Constant(rewriter, loc, starts),
        intr::createI64Constant(rewriter, loc, ends),
        intr::createI64Constant(rewriter, loc, axisList),
        rewriter.create<NoValueOp>(loc));
    SmallVector<int64_t> padAxes;
    for (const PaddedAxis &a : *axes)
      padAxes.push_back(a.axis);
    rewriter.replaceOpWithNewOp<PadOp>(
        op, cropped, intr::createI64Constant(rewriter, loc, pads),
        op.getConstantValue(), intr::createI64Constant(rewriter, loc, padAxes),
        op.getModeAttr());
    return success();
  }
};

/// A Pad in wrap mode as the pieces of its data it repeats, axis by axis:
/// output position i of an axis of size n reads (i - begin) mod n, which
/// is a run from (-begin) mod n to the end of the data (or fewer), then
/// whole copies of it (one Tile), then a run from its start; a Concat puts
/// them together (CropBeforePad has taken the crops out first). Needs
/// constant pads and axes and the padded axes' sizes.
struct ExpandWrapPad : public OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getMode() != "wrap")
      return rewriter.notifyMatchFailure(op, "not wrap mode");
    std::optional<SmallVector<PaddedAxis>> axes = paddedAxes(op);
    if (!axes || wrapsEmptyAxis(*axes) || !hasInferredResultTypes(op) ||
        llvm::any_of(*axes, [](const PaddedAxis &a) {
          return a.begin < 0 || a.end < 0;
        }))
      return rewriter.notifyMatchFailure(op, "cannot be expanded");
    Location loc = op.getLoc();
    Value result = op.getData();
    for (const PaddedAxis &a : *axes) {
      if (a.begin == 0 && a.end == 0)
        continue;
      auto slice = [&](int64_t from, int64_t to) -> Value {
        return rewriter.create<SliceOp>(
            loc, result, intr::createI64Constant(rewriter, loc, {from}),
            intr::createI64Constant(rewriter, loc, {to}),
            intr::createI64Constant(rewriter, loc, {a.axis}),
            rewriter.create<NoValueOp>(loc));
      };
      // The pads are not negative and the axis not empty (refused above),
      // so the run from the wrapped-around start reaches the data's end.
      // Inference checked that the padded size is below 2^63.
      const int64_t n = a.size, first = (n - a.begin % n) % n;
      SmallVector<Value> pieces = {first == 0 ? result : slice(first, n)};
      // What follows that run: n + begin + end rows less its n - first.
      const int64_t rest = a.begin + a.end + first;
      if (int64_t copies = rest / n; copies > 0) {
        auto rank = cast<RankedTensorType>(result.getType()).getRank();
        SmallVector<int64_t> repeats(rank, 1);
        repeats[a.axis] = copies;
        pieces.push_back(
            copies == 1 ? result
                        : rewriter.create<TileOp>(
                              loc, result,
                              intr::createI64Constant(rewriter, loc, repeats)));
      }
      if (int64_t tail = rest % n; tail > 0)
        pieces.push_back(slice(0, tail));
      result = pieces.size() == 1
                   ? pieces.front()
                   : rewriter.create<ConcatOp>(loc, pieces, a.axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Einsum of one or two inputs of static shapes (see the op's description).
/// Works on (value, labels) pairs: each step keeps the labels of its
/// result's dimensions.
Value einsum(EinsumOp op, Expander &e) {
  SmallVector<int64_t> ranks;
  for (Value input : op.getInputs()) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !type.hasStaticShape())
      return Value();
    ranks.push_back(type.getRank());
  }
  FailureOr<EinsumOp::Subscripts> subscripts =
      EinsumOp::parseSubscripts(std::nullopt, op.getEquation(), ranks);
  if (failed(subscripts))
    return Value();
  const SmallVector<int> &output = subscripts->output;
  llvm::DenseMap<int, int64_t> sizes;
  for (auto [labels, input] : llvm::zip(subscripts->inputs, op.getInputs()))
    for (auto [label, size] :
         llvm::zip(labels, cast<RankedTensorType>(input.getType()).getShape()))
      sizes[label] = size;

  struct Term {
    Value value;
    SmallVector<int> labels;
  };
  auto has = [](ArrayRef<int> labels, int label) {
    return llvm::is_contained(labels, label);
  };
  // Sums the dimensions whose labels `keep` rejects.
  auto sumOut = [&](Term term, function_ref<bool(int)> keep) {
    SmallVector<int64_t> axes;
    SmallVector<int> kept;
    for (auto [axis, label] : llvm::enumerate(term.labels))
      (keep(label) ? kept.push_back(label)
                   : axes.push_back(static_cast<int64_t>(axis)));
    if (axes.empty())
      return term;
    Value axesValue = intr::createI64Constant(e.rewriter, e.loc, axes);
    return Term{e.reduceSum(term.value, axesValue, /*keepdims=*/false), kept};
  };
  // Reorders `term`'s dimensions to `labels` (a permutation of its own).
  auto permute = [&](Term term, ArrayRef<int> labels) {
    SmallVector<int64_t> perm;
    for (int label : labels)
      perm.push_back(llvm::find(term.labels, label) - term.labels.begin());
    if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
      return term;
    return Term{e.rewriter.create<TransposeOp>(
                    e.loc, term.value, e.rewriter.getDenseI64ArrayAttr(perm)),
                SmallVector<int>(labels)};
  };
  auto product = [&](ArrayRef<int> labels) {
    int64_t n = 1;
    for (int label : labels)
      n *= sizes[label];
    return n;
  };
  auto sizesOf = [&](ArrayRef<int> labels) {
    SmallVector<int64_t> shape;
    for (int label : labels)
      shape.push_back(sizes[label]);
    return shape;
  };

  Term a{op.getInputs()[0], subscripts->inputs[0]};
  if (op.getInputs().size() == 1)
    return permute(sumOut(a, [&](int l) { return has(output, l); }), output)
        .value;
  Term b{op.getInputs()[1], subscripts->inputs[1]};
  // A label only one input has, and the output lacks, is summed there.
  a = sumOut(a, [&](int l) { return has(output, l) || has(b.labels, l); });
  b = sumOut(b, [&](int l) { return has(output, l) || has(a.labels, l); });
  SmallVector<int> batch, contracted, aFree, bFree;
  for (int label : output)
    if (has(a.labels, label) && has(b.labels, label))
      batch.push_back(label);
  for (int label : a.labels) {
    if (!has(b.labels, label))
      aFree.push_back(label);
    else if (!has(output, label))
      contracted.push_back(label);
  }
  for (int label : b.labels)
    if (!has(a.labels, label))
      bFree.push_back(label);
  // A as batch x M x K, B as batch x K x N, their product batch x M x N.
  auto concat = [](std::initializer_list<ArrayRef<int>> parts) {
    SmallVector<int> all;
    for (ArrayRef<int> part : parts)
      all.append(part.begin(), part.end());
    return all;
  };
  SmallVector<int64_t> batchShape = sizesOf(batch);
  auto matrix = [&](Term term, ArrayRef<int> rows, ArrayRef<int> columns) {
    Term ordered = permute(term, concat({batch, rows, columns}));
    SmallVector<int64_t> shape(batchShape);
    shape.append({product(rows), product(columns)});
    return intr::createReshape(e.rewriter, e.loc, ordered.value, shape);
  };
  Value lhs = matrix(a, aFree, contracted), rhs = matrix(b, contracted, bFree);
  Value result = e.rewriter.create<MatMulOp>(e.loc, lhs, rhs);
  SmallVector<int> labels = concat({batch, aFree, bFree});
  Term c{intr::createReshape(e.rewriter, e.loc, result, sizesOf(labels)),
         labels};
  return permute(c, output).value;
}

/// DepthToSpace of a static [N, C, H, W]: the channels as [b, b, C / b²]
/// (DCR) or [C / b², b, b] (CRD), the two b moved after H and W.
Value depthToSpace(DepthToSpaceOp op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
  if (!type || !type.hasStaticShape())
    return Value();
  ArrayRef<int64_t> s = type.getShape();
  const int64_t b = op.getBlocksize(), c = s[1] / (b * b);
  const bool dcr = op.getMode() == "DCR";
  SmallVector<int64_t> blocks =
      dcr ? SmallVector<int64_t>{s[0], b, b, c, s[2], s[3]}
          : SmallVector<int64_t>{s[0], c, b, b, s[2], s[3]};
  SmallVector<int64_t> perm = dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2}
                                  : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
  Value moved = e.rewriter.create<TransposeOp>(
      e.loc, intr::createReshape(e.rewriter, e.loc, op.getInput(), blocks),
      e.rewriter.getDenseI64ArrayAttr(perm));
  return intr::createReshape(e.rewriter, e.loc, moved,
                             {s[0], c, s[2] * b, s[3] * b});
}

/// SpaceToDepth of a static [N, C, H, W]: H and W as [H / b, b] and
/// [W / b, b], the two b moved before the channels (DCR) or after them
/// (CRD).
Value spaceToDepth(SpaceToDepthOp op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
  if (!type || !type.hasStaticShape())
    return Value();
  ArrayRef<int64_t> s = type.getShape();
  const int64_t b = op.getBlocksize(), h = s[2] / b, w = s[3] / b;
  const bool dcr = op.getMode() == "DCR";
  Value moved = e.rewriter.create<TransposeOp>(
      e.loc,
      intr::createReshape(e.rewriter, e.loc, op.getInput(),
                          {s[0], s[1], h, b, w, b}),
      e.rewriter.getDenseI64ArrayAttr(
          dcr ? ArrayRef<int64_t>{0, 3, 5, 1, 2, 4}
              : ArrayRef<int64_t>{0, 1, 3, 5, 2, 4}));
  return intr::createReshape(e.rewriter, e.loc, moved,
                             {s[0], s[1] * b * b, h, w});
}

/// Whether `value` is none or a tensor of static shape.
bool noneOrStatic(Value value) {
  if (isa<NoneType>(value.getType()))
    return true;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape();
}

/// Attention as ONNX's reference computes it (see AttentionOp), in the 4-D
/// form: every result is built, the unused ones left to dead-code removal.
struct ExpandAttention : public OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasInferredResultTypes(op))
      return rewriter.notifyMatchFailure(op, "result type is not inferred");
    for (Value operand : op->getOperands())
      if (!noneOrStatic(operand))
        return rewriter.notifyMatchFailure(op, "a shape is not static");
    FailureOr<AttentionOp::Sizes> sizes = AttentionOp::getSizes(
        std::nullopt, op.getQ(), op.getK(), op.getV(), op.getPastKey(),
        op.getPastValue(), op.getQNumHeads(), op.getKvNumHeads());
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "inconsistent sizes");
    const AttentionOp::Sizes &s = *sizes;
    Expander e(rewriter, op, op.getQ());
    Location loc = op.getLoc();
    auto transpose = [&](Value x, ArrayRef<int64_t> perm) -> Value {
      return rewriter.create<TransposeOp>(loc, x,
                                          rewriter.getDenseI64ArrayAttr(perm));
    };
    auto reshape = [&](Value x, ArrayRef<int64_t> shape) {
      return intr::createReshape(rewriter, loc, x, shape);
    };
    auto concat = [&](ValueRange parts, int64_t axis) -> Value {
      return rewriter.create<ConcatOp>(loc, parts, axis);
    };

    // [B, length, heads * size] as [B, heads, length, size].
    bool flat = cast<RankedTensorType>(op.getQ().getType()).getRank() == 3;
    auto byHead = [&](Value x, int64_t heads) {
      if (!flat)
        return x;
      ArrayRef<int64_t> shape = cast<RankedTensorType>(x.getType()).getShape();
      return transpose(
          reshape(x, {shape[0], shape[1], heads, shape[2] / heads}),
          {0, 2, 1, 3});
    };
    Value q = byHead(op.getQ(), s.queryHeads);
    Value k = byHead(op.getK(), s.keyHeads);
    Value v = byHead(op.getV(), s.keyHeads);
    if (!isa<NoneType>(op.getPastKey().getType())) {
      k = concat({op.getPastKey(), k}, 2);
      v = concat({op.getPastValue(), v}, 2);
    }
    Value presentKey = k, presentValue = v;

    // Q and K each scaled by the square root of the scale, rounded to the
    // element type, as the reference does.
    double scale = op.getScale() ? double(op.getScale()->convertToFloat())
                                 : 1.0 / std::sqrt(double(s.headSize));
    Value root = e.scalar(std::sqrt(scale));
    q = e.mul(q, root);
    k = e.mul(k, root);
    // Grouped queries: key head h repeated for query heads h * g to
    // h * g + g - 1.
    if (s.queryHeads != s.keyHeads) {
      int64_t group = s.queryHeads / s.keyHeads;
      auto repeat = [&](Value x, int64_t size) {
        Value wide = reshape(x, {s.batch, s.keyHeads, 1, s.keys, size});
        Value shape = e.i64s({5}, {s.batch, s.keyHeads, group, s.keys, size});
        return reshape(rewriter.create<ExpandOp>(loc, wide, shape),
                       {s.batch, s.queryHeads, s.keys, size});
      };
      k = repeat(k, s.headSize);
      v = repeat(v, s.valueHeadSize);
    }
    Value scores =
        rewriter.create<MatMulOp>(loc, q, transpose(k, {0, 1, 3, 2}));
    if (float softcap = op.getSoftcap().convertToFloat(); softcap > 0) {
      Value cap = e.scalar(softcap);
      scores = e.mul(e.tanh(e.div(scores, cap)), cap);
    }

    // The bias: the mask (padded to the keys with masked keys; a bool one
    // as 0 or -inf), plus the causal and window frontiers.
    const double inf = std::numeric_limits<double>::infinity();
    Value bias;
    if (auto maskType =
            dyn_cast<RankedTensorType>(op.getAttnMask().getType())) {
      Value mask = op.getAttnMask();
      bool boolean = maskType.getElementType().isInteger(1);
      if (int64_t missing = s.keys - maskType.getShape().back(); missing > 0) {
        SmallVector<int64_t> shape(maskType.getShape());
        shape.back() = missing;
        auto type = RankedTensorType::get(shape, maskType.getElementType());
        Attribute fill = boolean ? Attribute(rewriter.getBoolAttr(false))
                                 : Attribute(rewriter.getFloatAttr(
                                       maskType.getElementType(), -inf));
        Value padding = rewriter.create<ConstantOp>(
            loc, DenseElementsAttr::get(type, fill));
        mask = concat({mask, padding}, maskType.getRank() - 1);
      }
      bias = boolean ? e.where(mask, e.scalar(0), e.scalar(-inf)) : mask;
    }
    int64_t left = op.getLeftWindowSize(), right = op.getRightWindowSize();
    if (op.getIsCausal() || left >= 0 || right >= 0) {
      // Query i's frontier is key i + past: causal keeps the keys up to
      // it, the window those within left before and right after it. Built
      // of ops, which fold to a constant unless it is large.
      auto range = [&](int64_t count, int64_t first, ArrayRef<int64_t> shape) {
        Value r = rewriter.create<RangeOp>(loc, e.i64(first),
                                           e.i64(first + count), e.i64(1));
        return reshape(r, shape);
      };
      Value after =
          rewriter.create<SubOp>(loc, range(s.keys, 0, {1, s.keys}),
                                 range(s.queries, s.past, {s.queries, 1}));
      Value kept;
      auto keep = [&](Value condition) {
        kept = kept ? rewriter.create<AndOp>(loc, kept, condition) : condition;
      };
      if (op.getIsCausal())
        keep(e.logicalNot(e.greater(after, e.i64(0))));
      if (left >= 0)
        keep(e.logicalNot(e.less(after, e.i64(-left))));
      if (right >= 0)
        keep(e.logicalNot(e.greater(after, e.i64(right))));
      Value frontier = e.where(kept, e.scalar(0), e.scalar(-inf));
      bias = bias ? e.add(bias, frontier) : frontier;
    }
    Value biased = bias ? e.add(scores, bias) : scores;
    Value probs = rewriter.create<SoftmaxOp>(loc, biased, /*axis=*/-1);
    // As the reference: zeros for a query whose scores are all -inf (the
    // softmax would give NaN) or whose keys the bias all masks out.
    Value last = intr::createI64Constant(rewriter, loc, {-1});
    auto allMasked = [&](Value x) {
      return e.equal(e.reduceMax(x, last, /*keepdims=*/true), e.scalar(-inf));
    };
    Value masked = allMasked(biased);
    if (bias)
      masked = e.either(masked, allMasked(bias));
    probs = e.where(masked, e.scalar(0), probs);
    Value y = rewriter.create<MatMulOp>(loc, probs, v);
    if (flat)
      y = reshape(transpose(y, {0, 2, 1, 3}),
                  {s.batch, s.queries, s.queryHeads * s.valueHeadSize});
    // Mode 0 and 1 are the scores after the softcap: the reference gives
    // mode 0 that value too, though the spec's text says the raw product.
    Value qk = op.getQkMatmulOutputMode() == 2   ? biased
               : op.getQkMatmulOutputMode() == 3 ? probs
                                                 : scores;
    rewriter.replaceOp(op, {y, presentKey, presentValue, qk});
    return success();
  }
};

/// The windows of a 1-D or 2-D AveragePool or LpPool: per spatial
/// dimension its kernel size, stride, dilation and pads, and the end pad
/// that gives a depthwise Conv the pool's output size: more than the pool's
/// where ceil mode adds a window, less where it drops one that would start
/// in the end padding (found by intr-fuzz-compile: the sizes then
/// differed); what it adds is zeros.
struct PoolWindows {
  SmallVector<int64_t> kernel, strides, dilations, begins, ends, convEnds;
  int64_t channels;
};

/// The windows of `op`; nullopt for other ranks or dynamic shapes.
template <typename Op> std::optional<PoolWindows> poolWindows(Op op) {
  auto type = dyn_cast<RankedTensorType>(op.getX().getType());
  auto resultType = dyn_cast<RankedTensorType>(op.getY().getType());
  if (!type || !type.hasStaticShape() || !resultType ||
      !resultType.hasStaticShape() ||
      (type.getRank() != 3 && type.getRank() != 4))
    return std::nullopt;
  int64_t spatial = type.getRank() - 2;
  PoolWindows w;
  w.channels = type.getDimSize(1);
  w.kernel.assign(op.getKernelShape().begin(), op.getKernelShape().end());
  auto valueOr = [](std::optional<ArrayRef<int64_t>> attr, int64_t i,
                    int64_t fallback) { return attr ? (*attr)[i] : fallback; };
  StringRef autoPad = op.getAutoPad();
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t input = type.getDimSize(2 + i);
    int64_t output = resultType.getDimSize(2 + i);
    int64_t stride = valueOr(op.getStrides(), i, 1);
    int64_t dilation = valueOr(op.getDilations(), i, 1);
    int64_t extent = (w.kernel[i] - 1) * dilation + 1;
    int64_t begin = 0, end = 0;
    if (autoPad == "NOTSET") {
      begin = valueOr(op.getPads(), i, 0);
      end = valueOr(op.getPads(), i + spatial, 0);
    } else if (autoPad != "VALID") { // SAME_UPPER or SAME_LOWER
      int64_t total =
          std::max<int64_t>((output - 1) * stride + extent - input, 0);
      begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    }
    w.strides.push_back(stride);
    w.dilations.push_back(dilation);
    w.begins.push_back(begin);
    w.ends.push_back(end);
    w.convEnds.push_back(
        std::max<int64_t>((output - 1) * stride + extent - (input + begin), 0));
  }
  return w;
}

/// The sums of `x` over windows `w`, each term times `weight`: a depthwise
/// Conv with a window of `weight`s.
Value windowSums(Value x, const PoolWindows &w, Expander &e,
                 double weight = 1) {
  OpBuilder &b = e.rewriter;
  SmallVector<int64_t> weightShape = {w.channels, 1};
  weightShape.append(w.kernel.begin(), w.kernel.end());
  auto weightType = RankedTensorType::get(weightShape, e.element);
  Value weights = b.create<ConstantOp>(
      e.loc,
      DenseElementsAttr::get(weightType, b.getFloatAttr(e.element, weight)));
  SmallVector<int64_t> pads(w.begins);
  pads.append(w.convEnds);
  Value none = b.create<NoValueOp>(e.loc);
  return b.create<ConvOp>(
      e.loc, x, weights, none, b.getStringAttr("NOTSET"),
      b.getDenseI64ArrayAttr(w.dilations),
      b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), w.channels),
      b.getDenseI64ArrayAttr(w.kernel), b.getDenseI64ArrayAttr(pads),
      b.getDenseI64ArrayAttr(w.strides));
}

/// AveragePool over 1 or 2 spatial dimensions of a static shape: the window
/// sums divided by each window's count (a constant); where every window
/// counts the same (no padding, or padding counted), the sums of the terms
/// divided by it, one Conv (DenseNet's transitions; exact for a count that
/// is a power of two, as 2x2 windows have). Null for other ranks or dynamic
/// shapes.
Value averagePool(AveragePoolOp op, Expander &e) {
  std::optional<PoolWindows> w = poolWindows(op);
  if (!w)
    return Value();
  auto type = cast<RankedTensorType>(op.getX().getType());
  auto resultType = cast<RankedTensorType>(op.getY().getType());
  int64_t spatial = type.getRank() - 2;
  // Windows of one element at every position, unpadded (as a separated 3-D
  // pool's may be), average nothing.
  auto isOne = [](int64_t v) { return v == 1; };
  auto isZero = [](int64_t v) { return v == 0; };
  if (llvm::all_of(w->kernel, isOne) && llvm::all_of(w->strides, isOne) &&
      llvm::all_of(w->begins, isZero) && llvm::all_of(w->convEnds, isZero))
    return op.getX();

  // The count of each window, a product over the dimensions of the taps
  // that land in X (and in its pads, with count_include_pad).
  bool includePad = op.getCountIncludePad() != 0;
  SmallVector<SmallVector<int64_t>> counts(spatial);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t input = type.getDimSize(2 + i);
    int64_t low = includePad ? -w->begins[i] : 0;
    int64_t high = includePad ? input + w->ends[i] : input;
    for (int64_t j = 0; j < resultType.getDimSize(2 + i); ++j) {
      int64_t count = 0;
      for (int64_t t = 0; t < w->kernel[i]; ++t) {
        int64_t position =
            j * w->strides[i] - w->begins[i] + t * w->dilations[i];
        count += position >= low && position < high;
      }
      counts[i].push_back(count);
    }
  }
  SmallVector<float> divisor;
  SmallVector<int64_t> divisorShape = {1, 1};
  for (int64_t i = 0; i < spatial; ++i)
    divisorShape.push_back(resultType.getDimSize(2 + i));
  if (spatial == 1) {
    for (int64_t c : counts[0])
      divisor.push_back(c);
  } else {
    for (int64_t row : counts[0])
      for (int64_t column : counts[1])
        divisor.push_back(row * column);
  }
  if (llvm::all_equal(divisor))
    return windowSums(op.getX(), *w, e, 1.0 / divisor.front());
  OpBuilder &b = e.rewriter;
  auto divisorType = RankedTensorType::get(divisorShape, b.getF32Type());
  Value divisorValue = intr::createCast(
      b, e.loc,
      b.create<ConstantOp>(
          e.loc, DenseElementsAttr::get(divisorType, ArrayRef<float>(divisor))),
      e.element);
  return e.div(windowSums(op.getX(), *w, e), divisorValue);
}

/// LRN of a static shape: the sums of squares over each channel's window
/// by a Conv of ones over X squared viewed as N x 1 x C x (D1 * ... * Dn),
/// padded by floor((size - 1) / 2) channels before and ceil((size - 1) / 2)
/// after (at most C - 1); then x / (bias + alpha / size * sums)^beta. Null
/// for a dynamic shape.
/// Col2Im in 2-D (static shapes): blocks that tile the image without
/// overlap or gaps (stride = block, no dilation) rearranged by a Transpose;
/// others as the transposed convolution it is: the input viewed as N x (C
/// kh kw) x Lh x Lw, a ConvTranspose of C groups whose filter for value (c,
/// i, j) is one at (i, j), zero elsewhere, and the output padding that the
/// blocks' floor leaves (less than the stride). That multiplies kh kw
/// zeros per value, which overlapping blocks (small ones, as a rule) can
/// afford.
Value col2Im(Col2ImOp op, Expander &e) {
  auto inputType = dyn_cast<RankedTensorType>(op.getInput().getType());
  auto resultType = dyn_cast<RankedTensorType>(op.getType());
  FailureOr<SmallVector<Col2ImAxis>> axes = getCol2ImAxes(op);
  if (!inputType || !resultType || !inputType.hasStaticShape() ||
      !resultType.hasStaticShape() || failed(axes) || axes->size() != 2)
    return Value();
  const Col2ImAxis &rows = (*axes)[0], &columns = (*axes)[1];
  const int64_t N = resultType.getDimSize(0), C = resultType.getDimSize(1);
  const int64_t kh = rows.block, kw = columns.block, taps = kh * kw;
  PatternRewriter &rewriter = e.rewriter;
  // Blocks that tile the padded image (stride = block, no dilation, as in
  // ViT's and MAE's patches): the columns rearranged, no arithmetic.
  if (llvm::all_of(*axes, [](const Col2ImAxis &a) {
        return a.stride == a.block && a.dilation == 1;
      })) {
    Value blocks =
        intr::createReshape(rewriter, e.loc, op.getInput(),
                            {N, C, kh, kw, rows.positions, columns.positions});
    Value tiled = intr::createReshape(
        rewriter, e.loc,
        rewriter.create<TransposeOp>(
            e.loc, blocks, rewriter.getDenseI64ArrayAttr({0, 1, 4, 2, 5, 3})),
        {N, C, rows.positions * kh, columns.positions * kw});
    // The tiles cover the padded image's first rows and columns; the image
    // is rows [top, top + H) of it, zero where no tile reaches.
    auto uncovered = [](const Col2ImAxis &a) {
      return std::max<int64_t>(a.size + a.padBegin - a.positions * a.block, 0);
    };
    if (uncovered(rows) || uncovered(columns))
      tiled = rewriter.create<PadOp>(
          e.loc, tiled,
          intr::createI64Constant(
              rewriter, e.loc,
              {0, 0, 0, 0, 0, 0, uncovered(rows), uncovered(columns)}),
          rewriter.create<NoValueOp>(e.loc), rewriter.create<NoValueOp>(e.loc),
          rewriter.getStringAttr("constant"));
    if (rows.padBegin || columns.padBegin ||
        cast<RankedTensorType>(tiled.getType()).getShape() !=
            resultType.getShape())
      tiled = rewriter.create<SliceOp>(
          e.loc, tiled,
          intr::createI64Constant(rewriter, e.loc,
                                  {rows.padBegin, columns.padBegin}),
          intr::createI64Constant(
              rewriter, e.loc,
              {rows.padBegin + rows.size, columns.padBegin + columns.size}),
          intr::createI64Constant(rewriter, e.loc, {2, 3}),
          rewriter.create<NoValueOp>(e.loc));
    return tiled;
  }
  // Filters [C kh kw, 1, kh, kw]: value (c, i, j) goes to tap (i, j).
  SmallVector<float> oneHot(C * taps * taps, 0.0f);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t t = 0; t < taps; ++t)
      oneHot[(c * taps + t) * taps + t] = 1.0f;
  Value filters = intr::createCast(
      rewriter, e.loc,
      intr::createFloatConstant(rewriter, e.loc, {C * taps, 1, kh, kw}, oneHot),
      e.element);
  Value x =
      intr::createReshape(rewriter, e.loc, op.getInput(),
                          {N, C * taps, rows.positions, columns.positions});
  return rewriter.create<ConvTransposeOp>(
      e.loc, x, filters, rewriter.create<NoValueOp>(e.loc),
      rewriter.getStringAttr("NOTSET"),
      rewriter.getDenseI64ArrayAttr({rows.dilation, columns.dilation}), C,
      rewriter.getDenseI64ArrayAttr({kh, kw}),
      rewriter.getDenseI64ArrayAttr({rows.remainder, columns.remainder}),
      DenseI64ArrayAttr(),
      rewriter.getDenseI64ArrayAttr(
          {rows.padBegin, columns.padBegin, rows.padEnd, columns.padEnd}),
      rewriter.getDenseI64ArrayAttr({rows.stride, columns.stride}));
}

/// GridSample's source coordinate along an axis of `size` pixels, from the
/// grid's g in [-1, 1] (PyTorch's grid_sampler_unnormalize).
Value unnormalize(Value g, int64_t size, bool alignCorners, Expander &e) {
  if (alignCorners)
    return e.mul(e.div(e.add(g, e.scalar(1)), e.scalar(2)),
                 e.scalar(double(size - 1)));
  return e.div(
      e.sub(e.mul(e.add(g, e.scalar(1)), e.scalar(double(size))), e.scalar(1)),
      e.scalar(2));
}

/// A coordinate moved inside [0, size - 1] by GridSample's padding mode:
/// clipped (border), or mirrored at the borders and then clipped
/// (reflection; PyTorch's reflect_coordinates, about the corner pixels'
/// centers with align_corners, else about their outer edges), NaN to the
/// first pixel as PyTorch's clipping does; as is for zeros.
Value padCoordinate(Value c, int64_t size, StringRef padding, bool alignCorners,
                    Expander &e) {
  if (padding == "zeros")
    return c;
  if (padding == "reflection") {
    int64_t twiceLow = alignCorners ? 0 : -1;
    int64_t twiceHigh = alignCorners ? 2 * (size - 1) : 2 * size - 1;
    if (twiceLow == twiceHigh) { // One pixel: every coordinate is 0.
      c = e.mul(c, e.scalar(0));
      c = e.where(e.isNaN(c), e.scalar(0), c);
    } else {
      Value low = e.scalar(twiceLow / 2.0);
      Value span = e.scalar((twiceHigh - twiceLow) / 2.0);
      Value in = e.abs(e.sub(c, low));
      Value extra = e.rewriter.create<ModOp>(e.loc, in, span, /*fmod=*/1);
      Value flips = e.rewriter.create<FloorOp>(e.loc, e.div(in, span));
      Value even = e.equal(
          e.rewriter.create<ModOp>(e.loc, flips, e.scalar(2), /*fmod=*/1),
          e.scalar(0));
      c = e.where(even, e.add(extra, low), e.add(e.sub(span, extra), low));
    }
  }
  // PyTorch's clip_coordinates takes a NaN to the first pixel (its max
  // with 0 drops NaN, on the CPU's vectors and in CUDA's fmaxf).
  Value first = e.scalar(0);
  return e.where(e.isNaN(c), first,
                 e.clamp(c, first, e.scalar(double(size - 1))));
}

/// GridSample for static shapes, as PyTorch's grid_sampler_2d and 3d: per
/// spatial axis, each output's taps (integer coordinates, [N, out..., k])
/// and their weights; the k^S taps of the S axes read from X's flattened
/// pixels by one GatherElements, zero where they fall outside X, weighted
/// and summed. Bicubic is 2-D only, as in ONNX and PyTorch.
Value sampleGrid(GridSampleOp op, Value x, Value grid, Expander &e) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto gridType = dyn_cast<RankedTensorType>(grid.getType());
  const StringRef mode = op.getMode(), padding = op.getPaddingMode();
  const bool cubic = mode == "bicubic" || mode == "cubic";
  const bool nearest = mode == "nearest";
  if (!xType || !gridType || !xType.hasStaticShape() ||
      !gridType.hasStaticShape() || xType.getRank() < 4 ||
      xType.getRank() > 5 || (cubic && xType.getRank() != 4))
    return Value();
  const int64_t S = xType.getRank() - 2, N = xType.getDimSize(0),
                C = xType.getDimSize(1);
  ArrayRef<int64_t> sizes = xType.getShape().drop_front(2);
  ArrayRef<int64_t> outSizes = gridType.getShape().slice(1, S);
  if (llvm::is_contained(sizes, 0))
    return Value();
  const bool align = op.getAlignCorners() != 0;
  PatternRewriter &rewriter = e.rewriter;
  Location loc = e.loc;
  const int64_t tapAxis = S + 1; // the grid's last axis
  auto floatsOf = [&](ArrayRef<double> values) -> Value {
    SmallVector<Attribute> attrs;
    for (double v : values)
      attrs.push_back(rewriter.getFloatAttr(e.element, v));
    auto type = RankedTensorType::get({int64_t(values.size())}, e.element);
    return rewriter.create<ConstantOp>(loc,
                                       DenseElementsAttr::get(type, attrs));
  };
  auto concat = [&](ValueRange parts) -> Value {
    return rewriter.create<ConcatOp>(loc, parts, tapAxis);
  };
  auto reshape = [&](Value x, ArrayRef<int64_t> shape) {
    return intr::createReshape(rewriter, loc, x, shape);
  };

  // One axis: grid component `component`, an axis of `size` pixels. The
  // taps' coordinates and weights, [N, out..., k] (no weights for nearest).
  auto taps = [&](int64_t component, int64_t size) -> std::pair<Value, Value> {
    Value g = rewriter.create<SliceOp>(
        loc, grid, intr::createI64Constant(rewriter, loc, {component}),
        intr::createI64Constant(rewriter, loc, {component + 1}),
        intr::createI64Constant(rewriter, loc, {tapAxis}),
        rewriter.create<NoValueOp>(loc));
    Value c = unnormalize(g, size, align, e);
    if (nearest) {
      c = padCoordinate(c, size, padding, align, e);
      return {rewriter.create<RoundOp>(loc, c), Value()};
    }
    if (!cubic) {
      c = padCoordinate(c, size, padding, align, e);
      Value base = rewriter.create<FloorOp>(loc, c);
      Value next = e.add(base, e.scalar(1));
      return {concat({base, next}), concat({e.sub(next, c), e.sub(c, base)})};
    }
    // Bicubic: taps base - 1 .. base + 2, each padded on its own, weighed
    // by PyTorch's get_cubic_upsample_coefficients (A = -0.75).
    Value base = rewriter.create<FloorOp>(loc, c);
    Value t = e.sub(c, base);
    const double A = -0.75;
    auto near = [&](Value x) { // |x| <= 1
      return e.add(
          e.mul(e.mul(e.sub(e.mul(e.scalar(A + 2), x), e.scalar(A + 3)), x), x),
          e.scalar(1));
    };
    auto far = [&](Value x) { // 1 < |x| < 2
      return e.sub(
          e.mul(e.add(e.mul(e.sub(e.mul(e.scalar(A), x), e.scalar(5 * A)), x),
                      e.scalar(8 * A)),
                x),
          e.scalar(4 * A));
    };
    Value u = e.sub(e.scalar(1), t);
    Value weights = concat({far(e.add(t, e.scalar(1))), near(t), near(u),
                            far(e.add(u, e.scalar(1)))});
    Value coordinates = e.add(base, floatsOf({-1, 0, 1, 2}));
    return {padCoordinate(coordinates, size, padding, align, e), weights};
  };

  const int64_t k = nearest ? 1 : cubic ? 4 : 2;
  int64_t outputs = 1, tapCount = 1;
  for (int64_t size : outSizes)
    outputs *= size;
  for (int64_t d = 0; d < S; ++d)
    tapCount *= k;
  // Axis d's taps as [N, out..., 1, .., k, .., 1], k at tap dimension d.
  auto alongAxis = [&](Value v, int64_t d) {
    SmallVector<int64_t> shape = {N};
    llvm::append_range(shape, outSizes);
    for (int64_t t = 0; t < S; ++t)
      shape.push_back(t == d ? k : 1);
    return reshape(v, shape);
  };
  Value valid, weights, index;
  Type i64 = rewriter.getI64Type();
  Value zero = e.scalar(0);
  SmallVector<Value> coordinates;
  int64_t stride = 1;
  for (int64_t d = S - 1; d >= 0; --d) { // x (the grid's first) innermost
    auto [c, w] = taps(S - 1 - d, sizes[d]);
    c = alongAxis(c, d);
    // Integer-valued coordinates inside X (NaN is not).
    Value inside =
        rewriter.create<AndOp>(loc, e.greater(c, e.scalar(-0.5)),
                               e.less(c, e.scalar(double(sizes[d]) - 0.5)));
    valid = valid ? Value(rewriter.create<AndOp>(loc, valid, inside)) : inside;
    coordinates.push_back(c);
    if (w)
      weights = weights ? e.mul(weights, alongAxis(w, d)) : alongAxis(w, d);
  }
  for (int64_t d = S - 1; d >= 0; --d) {
    Value c = coordinates[S - 1 - d];
    Value term = intr::createCast(rewriter, loc, e.where(valid, c, zero), i64);
    if (stride != 1)
      term = e.mul(term, e.i64(stride));
    index = index ? e.add(index, term) : term;
    stride *= sizes[d];
  }
  SmallVector<int64_t> flat = {N, C, stride};
  Value gathered = rewriter.create<GatherElementsOp>(
      loc, reshape(x, flat),
      rewriter.create<ExpandOp>(
          loc, reshape(index, {N, 1, outputs * tapCount}),
          intr::createI64Constant(rewriter, loc, {N, C, outputs * tapCount})),
      /*axis=*/2);
  SmallVector<int64_t> byTap = {N, C}, validShape = {N, 1};
  llvm::append_range(byTap, outSizes);
  llvm::append_range(validShape, outSizes);
  byTap.push_back(tapCount);
  validShape.push_back(tapCount);
  Value values = reshape(gathered, byTap);
  Value validTaps = reshape(valid, validShape);
  if (nearest) {
    SmallVector<int64_t> result = {N, C};
    llvm::append_range(result, outSizes);
    return reshape(e.where(validTaps, values, zero), result);
  }
  return e.reduceSum(
      e.where(validTaps, e.mul(values, reshape(weights, validShape)), zero),
      intr::createI64Constant(rewriter, loc, {2 + S}), /*keepdims=*/false);
}

/// GridSample; in f32 for f16 and bf16, whose coordinates would round (an
/// axis of 301 pixels has no bf16 300.5), as onnx-compute-in-f32 would
/// compute them anyway, the result cast back.
Value gridSample(GridSampleOp op, Expander &e) {
  if (!isa<Float16Type, BFloat16Type>(e.element))
    return sampleGrid(op, op.getX(), op.getGrid(), e);
  Type f32 = e.rewriter.getF32Type();
  Value x = intr::createCast(e.rewriter, e.loc, op.getX(), f32);
  Expander wide(e.rewriter, op, x);
  Value y = sampleGrid(
      op, x, intr::createCast(e.rewriter, e.loc, op.getGrid(), f32), wide);
  return y ? intr::createCast(e.rewriter, e.loc, y, e.element) : Value();
}

Value localResponseNormalization(LRNOp op, Expander &e) {
  auto type = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!type || !type.hasStaticShape())
    return Value();
  if (type.getNumElements() == 0)
    return op.getX();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[1], pixels = 1;
  for (int64_t d : shape.drop_front(2))
    pixels *= d;
  // Channels outside X add nothing: a window reaches at most C - 1 channels
  // on either side.
  int64_t before = std::min((op.getSize() - 1) / 2, channels - 1);
  int64_t after =
      std::min(op.getSize() - 1 - (op.getSize() - 1) / 2, channels - 1);
  int64_t size = before + after + 1;
  OpBuilder &b = e.rewriter;
  Value x = op.getX();
  Value squares = intr::createReshape(b, e.loc, e.mul(x, x),
                                      {shape[0], 1, channels, pixels});
  auto weightType = RankedTensorType::get({1, 1, size, 1}, e.element);
  Value ones = b.create<ConstantOp>(
      e.loc, DenseElementsAttr::get(weightType, b.getFloatAttr(e.element, 1)));
  Value none = b.create<NoValueOp>(e.loc);
  Value sums = b.create<ConvOp>(
      e.loc, squares, ones, none, b.getStringAttr("NOTSET"),
      b.getDenseI64ArrayAttr({1, 1}),
      b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), 1),
      b.getDenseI64ArrayAttr({size, 1}),
      b.getDenseI64ArrayAttr({before, 0, after, 0}),
      b.getDenseI64ArrayAttr({1, 1}));
  sums = intr::createReshape(b, e.loc, sums, shape);
  Value scale = e.scalar(op.getAlpha().convertToDouble() / op.getSize());
  Value base =
      e.add(e.scalar(op.getBias().convertToDouble()), e.mul(scale, sums));
  Value denominator =
      b.create<PowOp>(e.loc, base, e.scalar(op.getBeta().convertToDouble()));
  return e.div(x, denominator);
}

/// LpPool over 1 or 2 spatial dimensions of a static shape: the window sums
/// of |x|^p, to the power 1/p (x * x and the square root for p = 2). Null
/// for other ranks or dynamic shapes.
Value lpPool(LpPoolOp op, Expander &e) {
  std::optional<PoolWindows> w = poolWindows(op);
  if (!w)
    return Value();
  Value x = op.getX();
  int64_t p = op.getP();
  Value powers =
      p == 1   ? e.abs(x)
      : p == 2 ? e.mul(x, x)
               : e.rewriter.create<PowOp>(e.loc, e.abs(x), e.scalar(double(p)));
  Value sums = windowSums(powers, *w, e);
  if (p == 1)
    return sums;
  if (p == 2)
    return e.sqrt(sums);
  return e.rewriter.create<PowOp>(e.loc, sums, e.scalar(1.0 / double(p)));
}

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

/// column - row of each element of a matrix [rows, cols], i64: which
/// diagonal it lies on (Trilu's and EyeLike's k).
Value diagonalOffsets(Expander &e, int64_t rows, int64_t cols) {
  auto range = [&](int64_t count, ArrayRef<int64_t> shape) {
    Value r =
        e.rewriter.create<RangeOp>(e.loc, e.i64(0), e.i64(count), e.i64(1));
    return intr::createReshape(e.rewriter, e.loc, r, shape);
  };
  return e.sub(range(cols, {1, cols}), range(rows, {rows, 1}));
}

/// Whether `value` is a tensor of one value: of rank 0, or of a static
/// shape of one element.
bool isOneValue(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getNumElements() == 1;
}

/// Whether quantParameter can broadcast `parameter` against an x of type
/// `x`: a static parameter, and a static x unless the parameter is one
/// value.
bool canBroadcastParameter(Value parameter, Type x) {
  auto type = dyn_cast<RankedTensorType>(parameter.getType());
  auto xType = dyn_cast<RankedTensorType>(x);
  return type && type.hasStaticShape() &&
         (isOneValue(parameter) || (xType && xType.hasStaticShape()));
}

/// A QuantizeLinear's or DequantizeLinear's scale or zero point (as
/// inference checked it; canBroadcastParameter holds) made to broadcast
/// against x of type `x`: a scalar when one value, reshaped along `axis`,
/// or each value repeated over its block of `blockSize` along `axis`.
Value quantParameter(Expander &e, Value parameter, Type x, int64_t axis,
                     int64_t blockSize) {
  if (isOneValue(parameter))
    return intr::createReshape(e.rewriter, e.loc, parameter, {});
  auto type = cast<RankedTensorType>(parameter.getType());
  ArrayRef<int64_t> shape = cast<RankedTensorType>(x).getShape();
  axis = *normalizeAxis(axis, shape.size());
  if (blockSize == 0) {
    SmallVector<int64_t> along(shape.size(), 1);
    along[axis] = type.getDimSize(0);
    return intr::createReshape(e.rewriter, e.loc, parameter, along);
  }
  // [.., n, ..] to [.., n, 1, ..], [.., n, b, ..] and [.., n * b, ..], cut
  // to x's size along the axis (the last block may be short).
  SmallVector<int64_t> unsqueezed(type.getShape());
  unsqueezed.insert(unsqueezed.begin() + axis + 1, 1);
  SmallVector<int64_t> repeated = unsqueezed;
  repeated[axis + 1] = blockSize;
  SmallVector<int64_t> merged(type.getShape());
  merged[axis] *= blockSize;
  Value blocks = e.rewriter.create<ExpandOp>(
      e.loc, intr::createReshape(e.rewriter, e.loc, parameter, unsqueezed),
      intr::createI64Constant(e.rewriter, e.loc, repeated));
  Value each = intr::createReshape(e.rewriter, e.loc, blocks, merged);
  if (merged[axis] == shape[axis])
    return each;
  return e.rewriter.create<SliceOp>(
      e.loc, each, intr::createI64Constant(e.rewriter, e.loc, {0}),
      intr::createI64Constant(e.rewriter, e.loc, {shape[axis]}),
      intr::createI64Constant(e.rewriter, e.loc, {axis}),
      e.rewriter.create<NoValueOp>(e.loc));
}

/// The scale and zero point (null when none) of a QuantizeLinear or
/// DequantizeLinear, broadcast against its x; nullopt where they cannot
/// be, before any op is built.
template <typename Op>
std::optional<std::pair<Value, Value>>
broadcastParameters(Op op, Value scale, Value zeroPoint, Expander &e) {
  Type x = op.getX().getType();
  bool hasZeroPoint = !isa<NoneType>(zeroPoint.getType());
  if (!canBroadcastParameter(scale, x) ||
      (hasZeroPoint && !canBroadcastParameter(zeroPoint, x)))
    return std::nullopt;
  auto broadcast = [&](Value v) {
    return quantParameter(e, v, x, op.getAxis(), op.getBlockSize());
  };
  return std::pair(broadcast(scale),
                   hasZeroPoint ? broadcast(zeroPoint) : Value());
}

/// `a` and `b` are one value: the same, or equal constants.
bool sameValue(Value a, Value b) {
  if (a == b)
    return true;
  auto first = a.getDefiningOp<ConstantOp>();
  auto second = b.getDefiningOp<ConstantOp>();
  return first && second && first.getValue() == second.getValue();
}

/// The one integer of a constant, or nullopt.
std::optional<int64_t> constantInteger(Value value) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(value);
  if (!values || values->size() != 1)
    return std::nullopt;
  return values->front();
}

/// The range of a quantized type: int8's or uint8's.
std::pair<int64_t, int64_t> quantizedRange(Type element) {
  return element.isUnsignedInteger() ? std::pair<int64_t, int64_t>(0, 255)
                                     : std::pair<int64_t, int64_t>(-128, 127);
}

bool isF32Tensor(Value value) {
  return cast<TensorType>(value.getType()).getElementType().isF32();
}

/// The QuantizeLinear whose result `op` dequantizes at once, when the two
/// are a round trip on an f32 tensor, as QDQ models put on activations:
/// one f32 scale and one constant zero point for the tensor, the same for
/// both, and the quotient in f32 (no 16-bit `precision`). Null otherwise.
QuantizeLinearOp roundTripOf(DequantizeLinearOp op) {
  constexpr int64_t kFloat = 1; // TensorProto.FLOAT
  auto quantize = op.getX().getDefiningOp<QuantizeLinearOp>();
  if (!quantize || !hasInferredResultTypes(op) ||
      (quantize.getPrecision() != 0 && quantize.getPrecision() != kFloat) ||
      !isF32Tensor(quantize.getX()) || !isF32Tensor(op.getY()) ||
      !isF32Tensor(op.getXScale()) || !isOneValue(op.getXScale()) ||
      !sameValue(quantize.getYScale(), op.getXScale()))
    return nullptr;
  Value zero = op.getXZeroPoint(), quantizeZero = quantize.getYZeroPoint();
  if (isa<NoneType>(zero.getType()) != isa<NoneType>(quantizeZero.getType()))
    return nullptr;
  if (!isa<NoneType>(zero.getType()) &&
      (!constantInteger(zero) || !sameValue(quantizeZero, zero)))
    return nullptr;
  return quantize;
}

/// A round trip (roundTripOf) is round(clip(x / scale, lo - zero_point,
/// hi - zero_point)) + 0 times scale: the bits of the two expansions (the
/// bounds are integers, so clipping and rounding commute; adding +0 makes
/// a rounded -0 the +0 that the integers give) in 5 ops instead of 8. A
/// NaN stays NaN, where the integer conversion makes it a number.
Value quantizationRoundTrip(DequantizeLinearOp op, QuantizeLinearOp quantize,
                            Expander &e) {
  int64_t zero = isa<NoneType>(op.getXZeroPoint().getType())
                     ? 0
                     : *constantInteger(op.getXZeroPoint());
  auto [lo, hi] =
      quantizedRange(cast<TensorType>(op.getX().getType()).getElementType());
  e.element = e.rewriter.getF32Type();
  Value scale = intr::createReshape(e.rewriter, e.loc, op.getXScale(), {});
  Value scaled = e.clamp(e.div(quantize.getX(), scale), e.scalar(lo - zero),
                         e.scalar(hi - zero));
  Value rounded = e.add(e.rewriter.create<RoundOp>(e.loc, scaled), e.scalar(0));
  return e.mul(rounded, scale);
}

/// The wider of two float types, f32 for f16 and bf16.
Type widerFloat(Type a, Type b) {
  if (a == b)
    return a;
  unsigned widthA = a.getIntOrFloatBitWidth(),
           widthB = b.getIntOrFloatBitWidth();
  if (widthA == widthB)
    return Float32Type::get(a.getContext());
  return widthA > widthB ? a : b;
}

/// QuantizeLinear: y = saturate(round(x / scale) + zero_point), rounding
/// halves to even. The quotient is rounded to `precision`'s type, else to
/// the wider of x's and the scale's float types (the scale's for an
/// integer x), as numpy divides them: computed in f32 (as a 16-bit
/// division is) and rounded to a 16-bit type once.
Value quantizeLinear(QuantizeLinearOp op, Expander &e) {
  // Its round trips first: once they are rewritten, it is expanded for
  // its other users, if any are left.
  if (llvm::any_of(op->getUsers(), [](Operation *user) {
        auto dequantize = dyn_cast<DequantizeLinearOp>(user);
        return dequantize && roundTripOf(dequantize);
      }))
    return Value();
  std::optional<std::pair<Value, Value>> parameters =
      broadcastParameters(op, op.getYScale(), op.getYZeroPoint(), e);
  if (!parameters)
    return Value();
  auto [scale, zero] = *parameters;
  Value x = op.getX();
  Type xElement = cast<TensorType>(x.getType()).getElementType();
  Type scaleElement = cast<TensorType>(scale.getType()).getElementType();
  Type quotient = isa<FloatType>(xElement) ? widerFloat(xElement, scaleElement)
                                           : scaleElement;
  if (int64_t precision = op.getPrecision())
    quotient = intr::onnxDataType(e.rewriter.getContext(), precision);
  Type f32 = e.rewriter.getF32Type();
  e.element = f32;
  Value y = e.div(e.castTo(x, f32), e.castTo(scale, f32));
  if (quotient.getIntOrFloatBitWidth() < 32)
    y = e.castTo(e.castTo(y, quotient), f32);
  y = e.rewriter.create<RoundOp>(e.loc, y);
  if (zero)
    y = e.add(y, e.castTo(zero, f32));
  Type quantized = cast<TensorType>(op.getY().getType()).getElementType();
  auto [lo, hi] = quantizedRange(quantized);
  y = e.clamp(y, e.scalar(lo), e.scalar(hi));
  return intr::createCast(e.rewriter, e.loc, y, quantized);
}

/// DequantizeLinear: y = (x - zero_point) * scale in f32, x and the zero
/// point cast to f32 first as ONNX's reference casts them, then in y's
/// type.
Value dequantizeLinear(DequantizeLinearOp op, Expander &e) {
  if (QuantizeLinearOp quantize = roundTripOf(op))
    return quantizationRoundTrip(op, quantize, e);
  std::optional<std::pair<Value, Value>> parameters =
      broadcastParameters(op, op.getXScale(), op.getXZeroPoint(), e);
  if (!parameters)
    return Value();
  auto [scale, zero] = *parameters;
  Type f32 = e.rewriter.getF32Type();
  Value difference = e.castTo(op.getX(), f32);
  if (zero)
    difference = e.sub(difference, e.castTo(zero, f32));
  Value y = e.mul(difference, e.castTo(scale, f32));
  return e.castTo(y, cast<TensorType>(op.getY().getType()).getElementType());
}

//===----------------------------------------------------------------------===//
// Dynamic quantization: DynamicQuantizeLinear, MatMulInteger, ConvInteger
//===----------------------------------------------------------------------===//

/// DynamicQuantizeLinear as ONNX's reference computes it, in f32: lo =
/// min(0, min(x)) and hi = max(0, max(x)) (NaN wins, as numpy's; Clips,
/// as the sign of a zero changes nothing after); scale = (hi - lo) / 255,
/// or 1 / 255 where hi = lo; zero point = round(max(0, min(255, 0 - lo /
/// scale))), with Python's min and max (a NaN start, of an infinite x,
/// gives 255); y = clip(round(x / scale) + zero point, 0, 255).
struct ExpandDynamicQuantizeLinear
    : public OpRewritePattern<DynamicQuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DynamicQuantizeLinearOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasInferredResultTypes(op) || !hasRank(op.getX()))
      return rewriter.notifyMatchFailure(op, "x is unranked or a result "
                                             "type is not inferred");
    Expander e(rewriter, op, op.getX());
    Value x = op.getX();
    Value all = rewriter.create<NoValueOp>(e.loc);
    Value zero = e.scalar(0), top = e.scalar(255);
    Value largest = e.reduceMax(x, all, /*keepdims=*/false);
    Value smallest = rewriter.create<ReduceMinOp>(
        e.loc, x, all, DenseI64ArrayAttr(), /*keepdims=*/0, /*noop=*/0);
    Value hi = e.clamp(largest, zero, Value());
    Value lo = e.clamp(smallest, Value(), zero);
    Value scale =
        e.div(e.where(e.equal(hi, lo), e.scalar(1), e.sub(hi, lo)), top);
    Value start = e.sub(zero, e.div(lo, scale));
    Value belowTop = e.where(e.less(start, top), start, top);
    Value zeroPoint = rewriter.create<RoundOp>(
        e.loc, e.where(e.greater(belowTop, zero), belowTop, zero));
    Value rounded = rewriter.create<RoundOp>(e.loc, e.div(x, scale));
    Value y = e.clamp(e.add(rounded, zeroPoint), zero, top);
    Type uint8 = cast<TensorType>(op.getY().getType()).getElementType();
    rewriter.replaceOp(op,
                       {e.castTo(y, uint8), scale, e.castTo(zeroPoint, uint8)});
    return success();
  }
};

/// The shape an integer product's zero point broadcasts as against its
/// operand of rank `rank`: none or one value as a scalar, a 1-D one (one
/// per index along `along`) with size-1 dimensions after it, else its
/// own; nullopt unless its shape is static.
std::optional<SmallVector<int64_t>>
zeroPointShape(Value zeroPoint, int64_t rank, int64_t along) {
  if (isa<NoneType>(zeroPoint.getType()))
    return SmallVector<int64_t>();
  auto type = dyn_cast<RankedTensorType>(zeroPoint.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  if (type.getNumElements() == 1)
    return SmallVector<int64_t>();
  if (shape.size() == 1 && along >= 0) {
    SmallVector<int64_t> spread(rank - along, 1);
    spread.front() = shape.front();
    return spread;
  }
  return SmallVector<int64_t>(shape);
}

/// The values of the constant integer tensor `x` (dense or a weight held
/// as a resource, as a long zero point may be too) less its constant zero
/// point of shape `zeroShape`
/// (broadcast as numpy's subtraction), or nullopt unless both are
/// constants.
std::optional<SmallVector<float>>
constantDifference(Value x, Value zeroPoint, ArrayRef<int64_t> zeroShape) {
  std::optional<SmallVector<int64_t>> values = intr::readConstantInts(x);
  if (!values)
    return std::nullopt;
  SmallVector<int64_t> zeros = {0};
  if (!isa<NoneType>(zeroPoint.getType())) {
    std::optional<SmallVector<int64_t>> read =
        intr::readConstantInts(zeroPoint);
    if (!read)
      return std::nullopt;
    zeros = *read;
  }
  ArrayRef<int64_t> shape = shapeOf(x);
  // The zero point's stride along each of x's dimensions (0 where it
  // broadcasts), its dimensions aligned to x's last ones.
  SmallVector<int64_t> strides(shape.size(), 0);
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(zeroShape.size()) - 1; d >= 0; --d) {
    int64_t xd = static_cast<int64_t>(shape.size() - zeroShape.size()) + d;
    if (zeroShape[d] != 1)
      strides[xd] = stride;
    stride *= zeroShape[d];
  }
  SmallVector<float> result(values->size());
  SmallVector<int64_t> index(shape.size(), 0);
  for (size_t i = 0; i < values->size(); ++i) {
    int64_t at = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      at += index[d] * strides[d];
    result[i] = static_cast<float>((*values)[i] - zeros[at]);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

/// An integer product's operand less its zero point, in f32: a constant
/// where both are, else Cast and Sub.
Value lessZeroPoint(Value x, Value zeroPoint, ArrayRef<int64_t> zeroShape,
                    Expander &e) {
  if (std::optional<SmallVector<float>> values =
          constantDifference(x, zeroPoint, zeroShape))
    return intr::createFloatConstant(e.rewriter, e.loc, shapeOf(x), *values);
  Type f32 = e.rewriter.getF32Type();
  Value difference = e.castTo(x, f32);
  if (isa<NoneType>(zeroPoint.getType()))
    return difference;
  return e.sub(difference,
               intr::createReshape(e.rewriter, e.loc, e.castTo(zeroPoint, f32),
                                   zeroShape));
}

/// Where an f32 product of 8-bit integers less their zero points (each
/// difference at most 255 in magnitude) must split its contraction so that
/// every partial sum is an integer of at most 2^24, which f32 holds
/// exactly whatever the order of the additions: the first index of each
/// part after the first. `b` holds B's differences ([..., K, N], or [K]),
/// when constant; without them, every 258 rows (258 * 255 * 255 < 2^24).
SmallVector<int64_t>
contractionSplits(int64_t K, ArrayRef<int64_t> bShape,
                  const std::optional<SmallVector<float>> &b) {
  constexpr double kLimit = double(1 << 24) / 255;
  SmallVector<int64_t> splits;
  if (!b) {
    for (int64_t k = 258; k < K; k += 258)
      splits.push_back(k);
    return splits;
  }
  int64_t N = bShape.size() >= 2 ? bShape.back() : 1;
  int64_t batches = K * N == 0 ? 0 : static_cast<int64_t>(b->size()) / (K * N);
  // Each column's sum of |b| within the current part.
  std::vector<double> sums(batches * N, 0.0);
  for (int64_t k = 0; k < K; ++k) {
    bool fits = true;
    for (int64_t c = 0; fits && c < batches * N; ++c)
      fits = sums[c] + std::fabs((*b)[(c / N * K + k) * N + c % N]) <= kLimit;
    // A first row past the bound alone (a channel of over 258 taps) starts
    // no empty part.
    if (!fits && k > 0) {
      splits.push_back(k);
      std::fill(sums.begin(), sums.end(), 0.0);
    }
    for (int64_t c = 0; c < batches * N; ++c)
      sums[c] += std::fabs((*b)[(c / N * K + k) * N + c % N]);
  }
  return splits;
}

/// x[begin:end] along `axis` (an onnx.Slice): a part of an integer
/// product's operand.
Value slice(Value x, int64_t axis, int64_t begin, int64_t end, Expander &e) {
  return e.rewriter.create<SliceOp>(
      e.loc, x, intr::createI64Constant(e.rewriter, e.loc, {begin}),
      intr::createI64Constant(e.rewriter, e.loc, {end}),
      intr::createI64Constant(e.rewriter, e.loc, {axis}),
      e.rewriter.create<NoValueOp>(e.loc));
}

/// values[begin:end] along `axis` of a constant of `shape`, as a constant
/// of its own: a part of an integer product's constant operand.
Value constantSlice(ArrayRef<float> values, ArrayRef<int64_t> shape,
                    int64_t axis, int64_t begin, int64_t end, Expander &e) {
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(axis + 1))
    inner *= size;
  const int64_t block = shape[axis] * inner;
  SmallVector<float> part;
  for (int64_t at = 0; block > 0 && at < static_cast<int64_t>(values.size());
       at += block)
    part.append(values.begin() + at + begin * inner,
                values.begin() + at + end * inner);
  SmallVector<int64_t> partShape(shape);
  partShape[axis] = end - begin;
  return intr::createFloatConstant(e.rewriter, e.loc, partShape, part);
}

/// MatMulInteger: (A - a_zero_point) · (B - b_zero_point) in int32, as f32
/// MatMuls of the differences whose partial sums f32 holds exactly
/// (contractionSplits), each cast to int32, added. A constant B (a
/// quantized weight) folds to f32 differences at compile time.
Value matMulInteger(MatMulIntegerOp op, Expander &e) {
  Value a = op.getA(), b = op.getB();
  // Static shapes: a zero point per row must meet A's rows.
  auto aType = dyn_cast<RankedTensorType>(a.getType());
  auto bType = dyn_cast<RankedTensorType>(b.getType());
  if (!aType || !bType || !aType.hasStaticShape() || !bType.hasStaticShape())
    return Value();
  ArrayRef<int64_t> aShape = shapeOf(a), bShape = shapeOf(b);
  int64_t K = aShape.back();
  int64_t aRank = aShape.size(), bRank = bShape.size();
  std::optional<SmallVector<int64_t>> aZeroShape =
      zeroPointShape(op.getAZeroPoint(), aRank, aRank >= 2 ? aRank - 2 : -1);
  std::optional<SmallVector<int64_t>> bZeroShape =
      zeroPointShape(op.getBZeroPoint(), bRank, bRank >= 2 ? bRank - 1 : -1);
  if (!aZeroShape || !bZeroShape)
    return Value();
  e.element = e.rewriter.getF32Type();
  Value aDiff = lessZeroPoint(a, op.getAZeroPoint(), *aZeroShape, e);
  std::optional<SmallVector<float>> bValues =
      constantDifference(b, op.getBZeroPoint(), *bZeroShape);
  SmallVector<int64_t> splits = contractionSplits(K, bShape, bValues);
  splits.push_back(K);
  Type i32 = e.rewriter.getI32Type();
  int64_t bAxis = bRank >= 2 ? bRank - 2 : 0;
  Value bDiff =
      bValues ? Value() : lessZeroPoint(b, op.getBZeroPoint(), *bZeroShape, e);
  Value sum;
  int64_t begin = 0;
  for (int64_t end : splits) {
    bool whole = begin == 0 && end == K;
    Value aPart = whole ? aDiff : slice(aDiff, aRank - 1, begin, end, e);
    // The part's rows of each batch of B.
    Value bPart = bValues
                      ? constantSlice(*bValues, bShape, bAxis, begin, end, e)
                  : whole ? bDiff
                          : slice(bDiff, bAxis, begin, end, e);
    Value product = e.castTo(
        e.rewriter.create<MatMulOp>(e.loc, aPart, bPart).getResult(), i32);
    sum = sum ? e.rewriter.create<AddOp>(e.loc, sum, product).getResult()
              : product;
    begin = end;
  }
  return sum;
}

/// Where ConvInteger's f32 convolution must split its input channels so
/// that every partial sum is an integer of at most 2^24 (contractionSplits,
/// a channel's taps making one row): each filter's sum of |w| over a
/// channel's taps from `w`, w's differences [M, C, taps...] when constant,
/// else the most that taps of 8-bit differences make.
SmallVector<int64_t> channelSplits(ArrayRef<int64_t> wShape,
                                   const std::optional<SmallVector<float>> &w) {
  int64_t M = wShape[0], C = wShape[1], taps = 1;
  for (int64_t size : wShape.drop_front(2))
    taps *= size;
  // Row c, column m: filter m's sum over channel c's taps.
  SmallVector<float> sums(C * M, static_cast<float>(taps * 255));
  if (w)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t c = 0; c < C; ++c) {
        const float *tap = w->data() + (m * C + c) * taps;
        float sum = 0;
        for (int64_t t = 0; t < taps; ++t)
          sum += std::fabs(tap[t]);
        sums[c * M + m] = sum;
      }
  return contractionSplits(C, {C, M}, sums);
}

/// ConvInteger: Conv of x - x_zero_point with w - w_zero_point (one per
/// filter, or one) in f32, rounded and cast to int32 (the ODS description
/// says when that is exact). A constant w folds to f32 differences. The
/// input channels (each group's alike) split where an output's partial sums
/// could pass 2^24 (channelSplits), each part's int32 result added.
Value convInteger(ConvIntegerOp op, Expander &e) {
  Value x = op.getX(), w = op.getW();
  Value xZero = op.getXZeroPoint(), wZero = op.getWZeroPoint();
  if (!hasRank(w) || shapeOf(w).size() < 3) // [M, C / group, k...]
    return Value();
  ArrayRef<int64_t> wShape = shapeOf(w);
  std::optional<SmallVector<int64_t>> xZeroShape = zeroPointShape(xZero, 0, -1);
  std::optional<SmallVector<int64_t>> wZeroShape =
      zeroPointShape(wZero, wShape.size(), 0);
  if (!xZeroShape || !wZeroShape)
    return Value();
  e.element = e.rewriter.getF32Type();
  Value xDiff = lessZeroPoint(x, xZero, *xZeroShape, e);
  std::optional<SmallVector<float>> wValues =
      constantDifference(w, wZero, *wZeroShape);
  // Parts [begin, end) of each group's input channels: one part, the
  // whole, unless the channels split. Groups need x's shape to take their
  // parts apart.
  const int64_t groups = op.getGroup();
  ArrayRef<int64_t> xShape = shapeOf(x);
  SmallVector<int64_t> splits;
  if (!ShapedType::isDynamicShape(wShape) &&
      (groups == 1 ||
       (xShape.size() == wShape.size() && !ShapedType::isDynamicShape(xShape))))
    splits = channelSplits(wShape, wValues);
  const bool split = !splits.empty();
  splits.push_back(wShape[1]); // the last part's end
  Type i32 = e.rewriter.getI32Type();
  Value wDiff = wValues ? Value() : lessZeroPoint(w, wZero, *wZeroShape, e);
  // Group g's channels g * Cg + [begin, end) of x: [N, G, Cg, ...] sliced
  // along Cg, the groups' parts side by side again.
  auto inputChannels = [&](int64_t begin, int64_t end) -> Value {
    if (groups == 1)
      return slice(xDiff, 1, begin, end, e);
    SmallVector<int64_t> grouped = {xShape[0], groups, wShape[1]};
    grouped.append(xShape.begin() + 2, xShape.end());
    Value parts = slice(intr::createReshape(e.rewriter, e.loc, xDiff, grouped),
                        2, begin, end, e);
    SmallVector<int64_t> merged(xShape);
    merged[1] = groups * (end - begin);
    return intr::createReshape(e.rewriter, e.loc, parts, merged);
  };
  Value sum;
  int64_t begin = 0;
  for (int64_t end : splits) {
    Value xPart = split ? inputChannels(begin, end) : xDiff;
    // The part's channels of each filter.
    Value wPart = wValues ? constantSlice(*wValues, wShape, 1, begin, end, e)
                  : split ? slice(wDiff, 1, begin, end, e)
                          : wDiff;
    Value conv = e.rewriter.create<ConvOp>(
        e.loc, xPart, wPart, e.rewriter.create<NoValueOp>(e.loc),
        op.getAutoPadAttr(), op.getDilationsAttr(), op.getGroupAttr(),
        op.getKernelShapeAttr(), op.getPadsAttr(), op.getStridesAttr());
    Value part = e.castTo(e.rewriter.create<RoundOp>(e.loc, conv), i32);
    sum = sum ? e.rewriter.create<AddOp>(e.loc, sum, part).getResult() : part;
    begin = end;
  }
  return sum;
}

template <typename Op>
void addPattern(RewritePatternSet &patterns,
                typename ExpandPattern<Op>::Expand expand) {
  patterns.add<ExpandPattern<Op>>(patterns.getContext(), expand);
}

void populateDecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<LiftWindowTo2D<ConvOp>, LiftWindowTo2D<MaxPoolOp>,
               SeparatePool3D<MaxPoolOp>, SeparatePool3D<AveragePoolOp>,
               SeparatePool3D<LpPoolOp>, WidenIntegerMaxPool, ExpandAttention,
               ExpandConvTranspose, CropBeforePad, ExpandWrapPad>(
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
    if (isa<FloatType>(e.element))
      return Value(); // A kernel runs it.
    auto bound = [](Value v) {
      return isa<NoneType>(v.getType()) ? Value() : v;
    };
    return e.clamp(op.getInput(), bound(op.getMin()), bound(op.getMax()));
  });
  addPattern<ThresholdedReluOp>(
      patterns, [](ThresholdedReluOp op, Expander &e) {
        Value x = op.getX();
        return e.where(e.greater(x, e.scalar(op.getAlpha().convertToFloat())),
                       x, e.scalar(0));
      });
  addPattern<CeluOp>(patterns, [](CeluOp op, Expander &e) {
    if (op.getAlpha().convertToFloat() > 0)
      return Value(); // A kernel runs it.
    Value x = op.getX();
    Value alpha = e.scalar(op.getAlpha().convertToFloat());
    Value negative = e.mul(alpha, e.sub(e.exp(e.div(x, alpha)), e.scalar(1)));
    Value zero = e.scalar(0);
    return e.add(e.relu(x), e.where(e.less(negative, zero), negative, zero));
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
  addPattern<ShrinkOp>(patterns, [](ShrinkOp op, Expander &e) {
    Value x = op.getInput();
    double lambd = op.getLambd().convertToDouble();
    Value bias = e.scalar(op.getBias().convertToDouble());
    return e.where(
        e.less(x, e.scalar(-lambd)), e.add(x, bias),
        e.where(e.greater(x, e.scalar(lambd)), e.sub(x, bias), e.scalar(0)));
  });
  addPattern<SignOp>(patterns, [](SignOp op, Expander &e) {
    Value x = op.getInput();
    Value zero = e.scalar(0);
    Value rest = e.element.isUnsignedInteger()
                     ? x
                     : e.where(e.less(x, zero), e.scalar(-1), x);
    return e.where(e.greater(x, zero), e.scalar(1), rest);
  });
  addPattern<IsNaNOp>(
      patterns, [](IsNaNOp op, Expander &e) { return e.isNaN(op.getX()); });
  addPattern<IsInfOp>(patterns, [](IsInfOp op, Expander &e) {
    Value x = op.getX();
    Value inf = e.scalar(std::numeric_limits<double>::infinity());
    bool negative = op.getDetectNegative(), positive = op.getDetectPositive();
    if (negative && positive)
      return e.equal(e.abs(x), inf);
    if (negative || positive)
      return e.equal(x, negative ? e.neg(inf) : inf);
    return e.less(x, x); // false everywhere, NaN included
  });
  addPattern<XorOp>(patterns, [](XorOp op, Expander &e) {
    return e.logicalNot(e.equal(op.getA(), op.getB()));
  });
  addPattern<LogSoftmaxOp>(patterns, logSoftmax);
  addPattern<HardmaxOp>(patterns, hardmax);
  addPattern<ArgMaxOp>(patterns, argExtremum<ArgMaxOp>);
  addPattern<ArgMinOp>(patterns, argExtremum<ArgMinOp>);
  addPattern<ReduceMinOp>(patterns, [](ReduceMinOp op, Expander &e) {
    return e.turnAround(e.reduceMax(e.turnAround(op.getData()),
                                    axesOperand(op, e), op.getKeepdims(),
                                    op.getNoopWithEmptyAxes()));
  });
  addPattern<ReduceL1Op>(patterns, [](ReduceL1Op op, Expander &e) {
    Value x = op.getData();
    return e.reduceSum(e.element.isUnsignedInteger() ? x : e.abs(x),
                       axesOperand(op, e), op.getKeepdims(),
                       op.getNoopWithEmptyAxes());
  });
  addPattern<ReduceL2Op>(patterns, [](ReduceL2Op op, Expander &e) {
    return e.sqrt(e.sumOfSquares(op.getData(), axesOperand(op, e),
                                 op.getKeepdims(), op.getNoopWithEmptyAxes()));
  });
  addPattern<ReduceSumSquareOp>(
      patterns, [](ReduceSumSquareOp op, Expander &e) {
        return e.sumOfSquares(op.getData(), axesOperand(op, e),
                              op.getKeepdims(), op.getNoopWithEmptyAxes());
      });
  addPattern<ReduceLogSumOp>(patterns, [](ReduceLogSumOp op, Expander &e) {
    return e.log(e.reduceSum(op.getData(), axesOperand(op, e), op.getKeepdims(),
                             op.getNoopWithEmptyAxes()));
  });
  addPattern<ReduceLogSumExpOp>(patterns, logSumExp);
  addPattern<LpNormalizationOp>(
      patterns, [](LpNormalizationOp op, Expander &e) -> Value {
        Value x = op.getInput();
        auto dims = rankAndAxis(x, op.getAxis());
        if (!dims)
          return Value();
        Value axes = intr::createI64Constant(e.rewriter, e.loc, {dims->second});
        Value norm = op.getP() == 1
                         ? e.reduceSum(e.abs(x), axes, /*keepdims=*/true)
                         : e.sqrt(e.sumOfSquares(x, axes, /*keepdims=*/true));
        // A zero norm gives 0, not 0 / 0 (as ONNX's reference does).
        Value zero = e.scalar(0);
        return e.where(e.equal(norm, zero), zero, e.div(x, norm));
      });
  addPattern<LRNOp>(patterns, localResponseNormalization);
  addPattern<GridSampleOp>(patterns, gridSample);
  addPattern<Col2ImOp>(patterns, col2Im);
  addPattern<InstanceNormalizationOp>(patterns, instanceNormalization);
  addPattern<GroupNormalizationOp>(patterns, groupNormalization);
  addPattern<MeanVarianceNormalizationOp>(
      patterns, [](MeanVarianceNormalizationOp op, Expander &e) {
        Value x = op.getX();
        Value axes = intr::createI64Constant(e.rewriter, e.loc, op.getAxes());
        auto [centered, variance] = e.centerAndVariance(x, axes);
        return e.div(centered, e.add(e.sqrt(variance), e.scalar(1e-9)));
      });
  addPattern<QuantizeLinearOp>(patterns, quantizeLinear);
  addPattern<DequantizeLinearOp>(patterns, dequantizeLinear);
  patterns.add<ExpandDynamicQuantizeLinear>(patterns.getContext());
  addPattern<MatMulIntegerOp>(patterns, matMulInteger);
  addPattern<ConvIntegerOp>(patterns, convInteger);
  addPattern<RMSNormalizationOp>(
      patterns, [](RMSNormalizationOp op, Expander &e) -> Value {
        Value x = op.getX();
        auto dims = rankAndAxis(x, op.getAxis());
        if (!dims || !hasRank(op.getScale()))
          return Value();
        Value meanSquare =
            e.reduceMean(e.mul(x, x), axesFrom(dims->second, dims->first, e));
        Value rms = e.sqrt(
            e.add(meanSquare, e.scalar(op.getEpsilon().convertToDouble())));
        return e.mul(e.div(x, rms), op.getScale());
      });
  addPattern<ModOp>(patterns, [](ModOp op, Expander &e) -> Value {
    if (!isa<IntegerType>(e.element))
      return Value();
    Value a = op.getA(), b = op.getB();
    Value r = e.sub(a, e.mul(e.div(a, b), b)); // A's sign
    if (op.getFmod() != 0 || e.element.isUnsignedInteger())
      return r;
    Value zero = e.scalar(0);
    Value wrongSign = e.rewriter.create<AndOp>(
        e.loc, e.logicalNot(e.equal(r, zero)),
        e.logicalNot(e.equal(e.less(r, zero), e.less(b, zero))));
    return e.where(wrongSign, e.add(r, b), r);
  });
  addPattern<OneHotOp>(patterns, [](OneHotOp op, Expander &e) -> Value {
    auto type = dyn_cast<RankedTensorType>(op.getOutput().getType());
    auto indicesType = dyn_cast<RankedTensorType>(op.getIndices().getType());
    if (!type || !type.hasStaticShape() || !indicesType)
      return Value();
    int64_t axis =
        op.getAxis() < 0 ? op.getAxis() + type.getRank() : op.getAxis();
    int64_t depth = type.getDimSize(axis);
    // The positions below are a constant of `depth` entries: past this many
    // it would outweigh any model (a depth of 2^32 asked for 34 GB).
    constexpr int64_t kMaxDepth = int64_t(1) << 24;
    if (depth > kMaxDepth)
      return Value();
    // Positions along the new axis, in the indices' type, to compare with
    // the indices (negative ones moved up by depth) unsqueezed there.
    SmallVector<int64_t> positionsShape(type.getRank(), 1);
    positionsShape[axis] = depth;
    Value positions = intr::createReshape(
        e.rewriter, e.loc,
        intr::createCast(
            e.rewriter, e.loc,
            e.i64s({depth}, llvm::to_vector(llvm::seq<int64_t>(0, depth))),
            indicesType.getElementType()),
        positionsShape);
    Value indices = op.getIndices();
    Value zero = e.scalar(0), size = e.scalar(double(depth));
    indices = e.where(e.less(indices, zero), e.add(indices, size), indices);
    SmallVector<int64_t> unsqueezed(indicesType.getShape());
    unsqueezed.insert(unsqueezed.begin() + axis, 1);
    Value hot = e.equal(
        intr::createReshape(e.rewriter, e.loc, indices, unsqueezed), positions);
    auto pick = [&](int64_t k) -> Value {
      return e.rewriter.create<GatherOp>(e.loc, op.getValues(), e.i64(k),
                                         /*axis=*/0);
    };
    return e.where(hot, pick(1), pick(0));
  });
  addPattern<DepthToSpaceOp>(patterns, depthToSpace);
  addPattern<SpaceToDepthOp>(patterns, spaceToDepth);
  addPattern<TriluOp>(patterns, [](TriluOp op, Expander &e) -> Value {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type || type.getRank() < 2)
      return Value();
    const int64_t rows = type.getDimSize(type.getRank() - 2);
    const int64_t cols = type.getDimSize(type.getRank() - 1);
    if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
      return Value();
    Value offset = diagonalOffsets(e, rows, cols);
    Value k = isa<NoneType>(op.getK().getType()) ? e.i64(0) : op.getK();
    Value kept = op.getUpper() != 0 ? e.logicalNot(e.less(offset, k))
                                    : e.logicalNot(e.greater(offset, k));
    return e.where(kept, op.getInput(), e.scalar(0));
  });
  addPattern<EyeLikeOp>(patterns, [](EyeLikeOp op, Expander &e) -> Value {
    auto type = dyn_cast<RankedTensorType>(op.getOutput().getType());
    if (!type || !type.hasStaticShape())
      return Value();
    const int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    // The ones and zeros are of the dtype, not of the input's type.
    e.element = type.getElementType();
    // A larger matrix than folds make compares column - row with k where
    // it runs: a constant would take an Attribute per element to build (a
    // 10^5 x 10^5 one, 10^10 of them).
    if (cols > 0 && rows > kMaxFoldedElements / cols)
      return e.where(e.equal(diagonalOffsets(e, rows, cols), e.i64(op.getK())),
                     e.scalar(1), e.scalar(0));
    Attribute zero = e.rewriter.getZeroAttr(e.element);
    Attribute one = isa<FloatType>(e.element)
                        ? Attribute(e.rewriter.getFloatAttr(e.element, 1.0))
                        : Attribute(e.rewriter.getIntegerAttr(e.element, 1));
    SmallVector<Attribute> values;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        values.push_back(j - i == op.getK() ? one : zero);
    return e.rewriter.create<ConstantOp>(e.loc,
                                         DenseElementsAttr::get(type, values));
  });
  addPattern<AveragePoolOp>(patterns, averagePool);
  addPattern<LpPoolOp>(patterns, lpPool);
  addPattern<EinsumOp>(patterns, einsum);
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
/// Whether no kernel runs `op` as it is, so that it must be gone after the
/// pass: a composite op, a Clip of integers, a Celu of alpha <= 0, a Dropout, a
/// Pad in wrap mode, a Conv or MaxPool of more than 2 spatial dimensions (the
/// kernels are 2-D; 1-D ones are lifted and 3-D pools separated above, 3-D
/// convolutions are not).
bool mustExpand(Operation *op) {
  if (op->hasTrait<intr::onnx::OpTrait::Composite>() || isa<DropoutOp>(op))
    return true;
  if (auto clip = dyn_cast<ClipOp>(op))
    return !isa<FloatType>(getElementTypeOrSelf(clip.getType()));
  if (auto celu = dyn_cast<CeluOp>(op))
    return !(celu.getAlpha().convertToFloat() > 0);
  if (auto pad = dyn_cast<PadOp>(op))
    return pad.getMode() == "wrap";
  if (isa<ConvOp, MaxPoolOp>(op))
    if (auto type = dyn_cast<RankedTensorType>(op->getOperand(0).getType()))
      return type.getRank() > 4;
  return false;
}

std::string whyLeft(Operation *op) {
  if (isa<ConvOp>(op))
    return "cannot run: only 1-D and 2-D convolutions are supported";
  if (isa<MaxPoolOp>(op))
    return cast<RankedTensorType>(op->getOperand(0).getType()).getRank() == 5
               ? "cannot run: a 3-D MaxPool runs only where its Indices are "
                 "unused"
               : "cannot run: only 1-D, 2-D and 3-D max pooling is supported";
  if (isa<DropoutOp>(op))
    return "cannot be removed: its mask is used and has a dynamic shape";
  if (!hasInferredResultTypes(op))
    return "cannot be expanded: a result type differs from the one its "
           "operands give (--onnx-infer-shapes refines it)";
  if (auto pad = dyn_cast<PadOp>(op)) {
    std::optional<SmallVector<PaddedAxis>> axes = paddedAxes(pad);
    if (axes && wrapsEmptyAxis(*axes))
      return "cannot wrap around an empty axis";
    return "cannot be expanded in wrap mode: its pads and axes must be "
           "constant and the sizes of the axes it pads known at compile time";
  }
  if (isa<AveragePoolOp, LpPoolOp>(op))
    if (auto type = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
        type && type.getRank() > 5)
      return "cannot be expanded: only 1-D, 2-D and 3-D pooling is supported";
  if (auto columns = dyn_cast<Col2ImOp>(op))
    if (auto type = dyn_cast<RankedTensorType>(columns.getType());
        type && type.getRank() != 4)
      return "cannot be expanded: only 2-D Col2Im is supported";
  if (auto sample = dyn_cast<GridSampleOp>(op))
    if (auto type = dyn_cast<RankedTensorType>(sample.getX().getType())) {
      if (type.getRank() < 4 || type.getRank() > 5 ||
          (type.getRank() == 5 &&
           (sample.getMode() == "bicubic" || sample.getMode() == "cubic")))
        return "cannot be expanded: only 2-D and 3-D GridSample are "
               "supported, bicubic in 2-D";
      if (llvm::is_contained(type.getShape().drop_front(2), 0))
        return "cannot be expanded: X has an empty spatial axis, which has "
               "nothing to sample";
    }
  if (auto transposed = dyn_cast<ConvTransposeOp>(op)) {
    if (auto type = dyn_cast<RankedTensorType>(transposed.getX().getType());
        type && type.getRank() > 4)
      return "cannot be expanded: only 1-D and 2-D transposed convolutions "
             "are supported";
    return "cannot be expanded: the shapes of its input and filters are not "
           "known at compile time";
  }
  return "cannot be expanded: its input's shape, or its axes, are not known "
         "at compile time (a model input of dynamic size takes its sizes from "
         "--input-shape)";
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
      if (!mustExpand(op))
        return WalkResult::advance();
      op->emitOpError(whyLeft(op));
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
