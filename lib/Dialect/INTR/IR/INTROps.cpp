//===- INTROps.cpp - Operations of the intr dialect -----------------------===//
//
// Shape checking and result type inference of the attention operations.
// Inference is lenient: a size it cannot know from consistent operands is
// dynamic, so that an inconsistency reaches verify(), whose messages name
// the operand and the dimensions at fault, instead of a generic "failed to
// infer" error.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Support/FormatShape.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace intr;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Two sizes agree unless both are known and differ.
static bool sizesAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// The first known size of the list, or dynamic.
static int64_t firstKnown(std::initializer_list<int64_t> sizes) {
  for (int64_t size : sizes)
    if (!ShapedType::isDynamic(size))
      return size;
  return kDynamic;
}

namespace {
/// The checks both attention operations share; each reports at the
/// operation and returns failure.
class AttentionChecker {
public:
  explicit AttentionChecker(Operation *op) : op(op) {}

  LogicalResult error(const Twine &message) const {
    return op->emitOpError(message);
  }

  /// Returns the type of `value`, requiring one of the given ranks (ODS
  /// has already checked that it is a ranked tensor).
  FailureOr<RankedTensorType> ranked(Value value, StringRef name,
                                     ArrayRef<int64_t> ranks,
                                     StringRef layout) const {
    auto type = cast<RankedTensorType>(value.getType());
    if (!llvm::is_contained(ranks, type.getRank()))
      return error(Twine(name) + " must be " + layout + ", got rank " +
                   Twine(type.getRank()) + " " + formatShape(type.getShape()));
    return type;
  }

  /// Every float operand has the element type of the first one.
  LogicalResult
  sameElementType(ArrayRef<std::pair<Value, StringRef>> operands) const {
    Type expected = getElementTypeOrSelf(operands.front().first.getType());
    for (auto [value, name] : operands.drop_front()) {
      Type actual = getElementTypeOrSelf(value.getType());
      if (actual != expected) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << "element type of " << name << " (" << actual << ") differs from "
           << operands.front().second << " (" << expected << ")";
        return error(os.str());
      }
    }
    return success();
  }

  /// `value` has exactly the shape `expected` (dynamic sizes match anything).
  LogicalResult hasShape(Value value, StringRef name, StringRef layout,
                         ArrayRef<int64_t> expected) const {
    auto type = cast<RankedTensorType>(value.getType());
    bool agrees =
        type.getRank() == static_cast<int64_t>(expected.size()) &&
        llvm::all_of(llvm::zip(type.getShape(), expected), [](auto pair) {
          return sizesAgree(std::get<0>(pair), std::get<1>(pair));
        });
    if (agrees)
      return success();
    return error(Twine(name) + " must be " + layout + " = " +
                 formatShape(expected) + ", got " +
                 formatShape(type.getShape()));
  }

  /// The four projections: weights [D, D], biases [D].
  LogicalResult projections(ArrayRef<std::pair<Value, StringRef>> weights,
                            ArrayRef<std::pair<Value, StringRef>> biases,
                            int64_t featureSize) const {
    for (auto [value, name] : weights)
      if (failed(hasShape(value, name, "[D, D]", {featureSize, featureSize})))
        return failure();
    for (auto [value, name] : biases)
      if (failed(hasShape(value, name, "[D]", {featureSize})))
        return failure();
    return success();
  }

  LogicalResult heads(int64_t numHeads, int64_t featureSize) const {
    if (numHeads <= 0)
      return error("num_heads must be positive, got " + Twine(numHeads));
    if (!ShapedType::isDynamic(featureSize) && featureSize % numHeads != 0)
      return error("feature size D = " + Twine(featureSize) +
                   " is not divisible by num_heads = " + Twine(numHeads));
    return success();
  }

  LogicalResult scale(std::optional<double> scale) const {
    if (scale && !(std::isfinite(*scale) && *scale > 0.0))
      return error("scale must be positive and finite, got " +
                   std::to_string(*scale));
    return success();
  }

  /// The mask, when present, is [B, L] over the keys.
  LogicalResult mask(Value mask, int64_t batch, int64_t keys) const {
    if (!mask)
      return success();
    if (failed(ranked(mask, "key_padding_mask", {2}, "[B, L]")))
      return failure();
    return hasShape(mask, "key_padding_mask", "[B, L]", {batch, keys});
  }

  /// feature_map is [h, w] with h * w = T.
  LogicalResult featureMap(ArrayRef<int64_t> featureMap, int64_t tokens,
                           StringRef tokensFrom) const {
    if (featureMap.size() != 2)
      return error("feature_map must be [h, w], got " +
                   Twine(featureMap.size()) + " sizes");
    if (featureMap[0] <= 0 || featureMap[1] <= 0)
      return error("feature_map sizes must be positive, got " +
                   formatShape(featureMap));
    if (!ShapedType::isDynamic(tokens) &&
        featureMap[0] * featureMap[1] != tokens)
      return error("feature_map " + Twine(featureMap[0]) + "x" +
                   Twine(featureMap[1]) + " has " +
                   Twine(featureMap[0] * featureMap[1]) + " tokens but " +
                   tokensFrom + " has T = " + Twine(tokens));
    return success();
  }

private:
  Operation *op;
};
} // namespace

static std::optional<double> toDouble(std::optional<APFloat> value) {
  if (!value)
    return std::nullopt;
  return value->convertToDouble();
}

static double effectiveScale(std::optional<double> scale, Value queries,
                             int64_t numHeads) {
  if (scale)
    return *scale;
  int64_t featureSize = cast<ShapedType>(queries.getType()).getShape().back();
  return 1.0 / std::sqrt(static_cast<double>(featureSize / numHeads));
}

/// The shape of `value` if it is ranked with one of `ranks`, else nothing:
/// inference then leaves the sizes it would have read dynamic.
static ArrayRef<int64_t> shapeIfRank(Value value, ArrayRef<int64_t> ranks) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !llvm::is_contained(ranks, type.getRank()))
    return {};
  return type.getShape();
}

/// Size `index` counted from the end of `shape`, or dynamic.
static int64_t sizeFromEnd(ArrayRef<int64_t> shape, size_t index) {
  return shape.size() > index ? shape[shape.size() - 1 - index] : kDynamic;
}

/// The size two shapes agree on, or dynamic when they are unknown or differ.
static int64_t agreedSize(int64_t a, int64_t b) {
  if (ShapedType::isDynamic(a))
    return b;
  if (ShapedType::isDynamic(b) || a == b)
    return a;
  return kDynamic;
}

/// out [B, C, D], probs [B, H, C, T] and mean_probs [B, C, T], the results
/// both class attention ops share.
static void inferClassAttentionTypes(int64_t batch, int64_t classes,
                                     int64_t tokens, int64_t featureSize,
                                     int64_t numHeads, Type elementType,
                                     SmallVectorImpl<Type> &types) {
  int64_t heads = numHeads > 0 ? numHeads : kDynamic;
  types.push_back(
      RankedTensorType::get({batch, classes, featureSize}, elementType));
  types.push_back(
      RankedTensorType::get({batch, heads, classes, tokens}, elementType));
  types.push_back(RankedTensorType::get({batch, classes, tokens}, elementType));
}

/// `out` has the inferred type; the probability maps have the inferred
/// shapes in any float type, so that maps can be kept in f32 for an f16
/// model.
static bool mapsAreCompatible(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [index, pair] : llvm::enumerate(llvm::zip(inferred, actual))) {
    auto [expected, given] = pair;
    auto expectedType = cast<ShapedType>(expected);
    auto givenType = dyn_cast<ShapedType>(given);
    if (!givenType || failed(verifyCompatibleShape(expectedType, givenType)))
      return false;
    bool sameElement =
        expectedType.getElementType() == givenType.getElementType();
    if (index == 0 ? !sameElement : !isa<FloatType>(givenType.getElementType()))
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// ClassAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult ClassAttentionOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  ArrayRef<int64_t> queries = shapeIfRank(adaptor.getQueries(), {2, 3});
  ArrayRef<int64_t> memory = shapeIfRank(adaptor.getMemory(), {3});
  int64_t batch = agreedSize(sizeFromEnd(memory, 2),
                             queries.size() == 3 ? queries[0] : kDynamic);
  int64_t classes = sizeFromEnd(queries, 1);
  int64_t tokens = sizeFromEnd(memory, 1);
  int64_t featureSize =
      agreedSize(sizeFromEnd(queries, 0), sizeFromEnd(memory, 0));
  inferClassAttentionTypes(batch, classes, tokens, featureSize,
                           adaptor.getNumHeads(),
                           getElementTypeOrSelf(adaptor.getQueries().getType()),
                           inferredReturnTypes);
  return success();
}

bool ClassAttentionOp::isCompatibleReturnTypes(TypeRange inferred,
                                               TypeRange actual) {
  return mapsAreCompatible(inferred, actual);
}

LogicalResult ClassAttentionOp::verify() {
  AttentionChecker check(getOperation());

  FailureOr<RankedTensorType> queries =
      check.ranked(getQueries(), "queries", {2, 3}, "[C, D] or [B, C, D]");
  if (failed(queries))
    return failure();
  FailureOr<RankedTensorType> memory =
      check.ranked(getMemory(), "memory", {3}, "[B, T, D]");
  if (failed(memory))
    return failure();
  if (failed(check.sameElementType({{getQueries(), "queries"},
                                    {getMemory(), "memory"},
                                    {getQWeight(), "q_weight"},
                                    {getQBias(), "q_bias"},
                                    {getKWeight(), "k_weight"},
                                    {getKBias(), "k_bias"},
                                    {getVWeight(), "v_weight"},
                                    {getVBias(), "v_bias"},
                                    {getOutWeight(), "out_weight"},
                                    {getOutBias(), "out_bias"}})))
    return failure();

  ArrayRef<int64_t> qShape = queries->getShape();
  ArrayRef<int64_t> mShape = memory->getShape();
  bool batchedQueries = queries->getRank() == 3;
  int64_t tokens = mShape[1];

  if (!sizesAgree(qShape.back(), mShape[2]))
    return check.error("feature size of memory (" + Twine(mShape[2]) +
                       ") differs from queries (" + Twine(qShape.back()) + ")");
  int64_t featureSize = firstKnown({qShape.back(), mShape[2]});

  if (batchedQueries && !sizesAgree(qShape[0], mShape[0]))
    return check.error("batch of memory (" + Twine(mShape[0]) +
                       ") differs from queries (" + Twine(qShape[0]) + ")");
  int64_t batch =
      firstKnown({mShape[0], batchedQueries ? qShape[0] : kDynamic});

  if (failed(check.heads(getNumHeads(), featureSize)) ||
      failed(check.scale(toDouble(getScale()))))
    return failure();
  if (failed(check.projections({{getQWeight(), "q_weight"},
                                {getKWeight(), "k_weight"},
                                {getVWeight(), "v_weight"},
                                {getOutWeight(), "out_weight"}},
                               {{getQBias(), "q_bias"},
                                {getKBias(), "k_bias"},
                                {getVBias(), "v_bias"},
                                {getOutBias(), "out_bias"}},
                               featureSize)))
    return failure();
  if (failed(check.mask(getKeyPaddingMask(), batch, tokens)))
    return failure();

  return check.featureMap(getFeatureMap(), tokens, "memory");
}

double ClassAttentionOp::getEffectiveScale() {
  return effectiveScale(toDouble(getScale()), getQueries(), getNumHeads());
}

//===----------------------------------------------------------------------===//
// ClassAttentionKVOp
//===----------------------------------------------------------------------===//

LogicalResult ClassAttentionKVOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  ArrayRef<int64_t> queries = shapeIfRank(adaptor.getQueries(), {2, 3});
  ArrayRef<int64_t> kv = shapeIfRank(adaptor.getKv(), {3});
  int64_t batch = agreedSize(sizeFromEnd(kv, 2),
                             queries.size() == 3 ? queries[0] : kDynamic);
  int64_t classes = sizeFromEnd(queries, 1);
  int64_t tokens = sizeFromEnd(kv, 1);
  int64_t featureSize = sizeFromEnd(queries, 0);
  inferClassAttentionTypes(batch, classes, tokens, featureSize,
                           adaptor.getNumHeads(),
                           getElementTypeOrSelf(adaptor.getQueries().getType()),
                           inferredReturnTypes);
  return success();
}

bool ClassAttentionKVOp::isCompatibleReturnTypes(TypeRange inferred,
                                                 TypeRange actual) {
  return mapsAreCompatible(inferred, actual);
}

LogicalResult ClassAttentionKVOp::verify() {
  AttentionChecker check(getOperation());
  FailureOr<RankedTensorType> queries =
      check.ranked(getQueries(), "queries", {2, 3}, "[C, D] or [B, C, D]");
  if (failed(queries))
    return failure();
  FailureOr<RankedTensorType> kv =
      check.ranked(getKv(), "kv", {3}, "[B, T, N]");
  if (failed(kv))
    return failure();
  if (failed(check.sameElementType({{getQueries(), "queries"},
                                    {getKv(), "kv"},
                                    {getOutWeight(), "out_weight"},
                                    {getOutBias(), "out_bias"}})))
    return failure();

  ArrayRef<int64_t> qShape = queries->getShape();
  ArrayRef<int64_t> kvShape = kv->getShape();
  bool batchedQueries = queries->getRank() == 3;
  int64_t featureSize = qShape.back();
  if (batchedQueries && !sizesAgree(qShape[0], kvShape[0]))
    return check.error("batch of kv (" + Twine(kvShape[0]) +
                       ") differs from queries (" + Twine(qShape[0]) + ")");
  int64_t batch =
      firstKnown({kvShape[0], batchedQueries ? qShape[0] : kDynamic});

  // Both slices of D features must lie inside kv's last dimension.
  if (!ShapedType::isDynamic(featureSize) &&
      !ShapedType::isDynamic(kvShape[2]))
    // I64Attr reads back unsigned: compare as signed so that a negative
    // offset is caught rather than wrapped around.
    for (auto [offset, name] :
         {std::pair(static_cast<int64_t>(getKeyOffset()), "key_offset"),
          std::pair(static_cast<int64_t>(getValueOffset()), "value_offset")})
      if (offset < 0 || offset + featureSize > kvShape[2])
        return check.error(Twine(name) + " " + Twine(offset) + " puts " +
                           Twine(featureSize) +
                           " features outside kv's last dimension of " +
                           Twine(kvShape[2]));

  if (failed(check.heads(getNumHeads(), featureSize)) ||
      failed(check.scale(toDouble(getScale()))))
    return failure();
  if (failed(check.projections({{getOutWeight(), "out_weight"}},
                               {{getOutBias(), "out_bias"}}, featureSize)))
    return failure();
  if (failed(check.mask(getKeyPaddingMask(), batch, kvShape[1])))
    return failure();
  return check.featureMap(getFeatureMap(), kvShape[1], "kv");
}

double ClassAttentionKVOp::getEffectiveScale() {
  return effectiveScale(toDouble(getScale()), getQueries(), getNumHeads());
}

//===----------------------------------------------------------------------===//
// MHAOp
//===----------------------------------------------------------------------===//

LogicalResult
MHAOp::inferReturnTypes(MLIRContext *context, std::optional<Location> location,
                        Adaptor adaptor,
                        SmallVectorImpl<Type> &inferredReturnTypes) {
  ArrayRef<int64_t> query = shapeIfRank(adaptor.getQuery(), {2, 3});
  ArrayRef<int64_t> key = shapeIfRank(adaptor.getKey(), {3});
  ArrayRef<int64_t> value = shapeIfRank(adaptor.getValue(), {3});
  int64_t batch =
      agreedSize(agreedSize(sizeFromEnd(key, 2), sizeFromEnd(value, 2)),
                 query.size() == 3 ? query[0] : kDynamic);
  int64_t featureSize =
      agreedSize(sizeFromEnd(query, 0),
                 agreedSize(sizeFromEnd(key, 0), sizeFromEnd(value, 0)));
  inferredReturnTypes.push_back(RankedTensorType::get(
      {batch, sizeFromEnd(query, 1), featureSize},
      getElementTypeOrSelf(adaptor.getQuery().getType())));
  return success();
}

LogicalResult MHAOp::verify() {
  AttentionChecker check(getOperation());

  FailureOr<RankedTensorType> query =
      check.ranked(getQuery(), "query", {2, 3}, "[S, D] or [B, S, D]");
  if (failed(query))
    return failure();
  FailureOr<RankedTensorType> key =
      check.ranked(getKey(), "key", {3}, "[B, L, D]");
  if (failed(key))
    return failure();
  FailureOr<RankedTensorType> value =
      check.ranked(getValue(), "value", {3}, "[B, L, D]");
  if (failed(value))
    return failure();
  if (failed(check.sameElementType({{getQuery(), "query"},
                                    {getKey(), "key"},
                                    {getValue(), "value"},
                                    {getQWeight(), "q_weight"},
                                    {getQBias(), "q_bias"},
                                    {getKWeight(), "k_weight"},
                                    {getKBias(), "k_bias"},
                                    {getVWeight(), "v_weight"},
                                    {getVBias(), "v_bias"},
                                    {getOutWeight(), "out_weight"},
                                    {getOutBias(), "out_bias"}})))
    return failure();

  ArrayRef<int64_t> qShape = query->getShape();
  ArrayRef<int64_t> kShape = key->getShape();
  ArrayRef<int64_t> vShape = value->getShape();
  bool batchedQuery = query->getRank() == 3;

  if (!sizesAgree(qShape.back(), kShape[2]))
    return check.error("feature size of key (" + Twine(kShape[2]) +
                       ") differs from query (" + Twine(qShape.back()) + ")");
  if (!sizesAgree(qShape.back(), vShape[2]))
    return check.error("feature size of value (" + Twine(vShape[2]) +
                       ") differs from query (" + Twine(qShape.back()) + ")");
  int64_t featureSize = firstKnown({qShape.back(), kShape[2], vShape[2]});

  if (!sizesAgree(kShape[1], vShape[1]))
    return check.error("length of value (" + Twine(vShape[1]) +
                       ") differs from key (" + Twine(kShape[1]) + ")");
  int64_t keys = firstKnown({kShape[1], vShape[1]});

  if (!sizesAgree(kShape[0], vShape[0]))
    return check.error("batch of value (" + Twine(vShape[0]) +
                       ") differs from key (" + Twine(kShape[0]) + ")");
  if (batchedQuery && !sizesAgree(qShape[0], kShape[0]))
    return check.error("batch of key (" + Twine(kShape[0]) +
                       ") differs from query (" + Twine(qShape[0]) + ")");
  int64_t batch =
      firstKnown({kShape[0], vShape[0], batchedQuery ? qShape[0] : kDynamic});

  if (failed(check.heads(getNumHeads(), featureSize)) ||
      failed(check.scale(toDouble(getScale()))))
    return failure();
  if (failed(check.projections({{getQWeight(), "q_weight"},
                                {getKWeight(), "k_weight"},
                                {getVWeight(), "v_weight"},
                                {getOutWeight(), "out_weight"}},
                               {{getQBias(), "q_bias"},
                                {getKBias(), "k_bias"},
                                {getVBias(), "v_bias"},
                                {getOutBias(), "out_bias"}},
                               featureSize)))
    return failure();
  return check.mask(getKeyPaddingMask(), batch, keys);
}

double MHAOp::getEffectiveScale() {
  return effectiveScale(toDouble(getScale()), getQuery(), getNumHeads());
}

#define GET_OP_CLASSES
#include "intr/Dialect/INTR/IR/INTROps.cpp.inc"
