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
#include "SizeAgreement.h"
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

using namespace intr::detail;

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

  /// Every input and projection has the element type of the first input.
  LogicalResult
  sameElementType(ArrayRef<std::pair<Value, StringRef>> inputs,
                  ArrayRef<std::pair<Value, StringRef>> projections) const {
    auto [first, firstName] = inputs.front();
    Type expected = getElementTypeOrSelf(first.getType());
    for (auto [value, name] : llvm::concat<const std::pair<Value, StringRef>>(
             inputs.drop_front(), projections)) {
      Type actual = getElementTypeOrSelf(value.getType());
      if (actual != expected) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << "element type of " << name << " (" << actual << ") differs from "
           << firstName << " (" << expected << ")";
        return error(os.str());
      }
    }
    return success();
  }

  /// Size `what` of `name` agrees with that of `otherName`.
  LogicalResult sameSize(StringRef what, StringRef name, int64_t size,
                         StringRef otherName, int64_t otherSize) const {
    if (sizesAgree(size, otherSize))
      return success();
    return error(Twine(what) + " of " + name + " (" + Twine(size) +
                 ") differs from " + otherName + " (" + Twine(otherSize) + ")");
  }

  /// The batch B of class attention's queries, [C, D] or [B, C, D], and of
  /// its keys source [B, T, N].
  FailureOr<int64_t> classBatch(ArrayRef<int64_t> queries,
                                ArrayRef<int64_t> source,
                                StringRef sourceName) const {
    bool batched = queries.size() == 3;
    if (batched &&
        failed(sameSize("batch", sourceName, source[0], "queries", queries[0])))
      return failure();
    return firstKnown({source[0], batched ? queries[0] : kDynamic});
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

  /// Projections given as weight, bias, weight, bias, ...: weights [D, D],
  /// biases [D]. Every weight is checked before any bias.
  LogicalResult projections(ArrayRef<std::pair<Value, StringRef>> projections,
                            int64_t featureSize) const {
    for (size_t i = 0; i < projections.size(); i += 2) {
      auto [value, name] = projections[i];
      if (failed(hasShape(value, name, "[D, D]", {featureSize, featureSize})))
        return failure();
    }
    for (size_t i = 1; i < projections.size(); i += 2) {
      auto [value, name] = projections[i];
      if (failed(hasShape(value, name, "[D]", {featureSize})))
        return failure();
    }
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

/// out [B, C, D], probs [B, H, C, T] and mean_probs [B, C, T], the results
/// both class attention ops share, from queries [C, D] or [B, C, D] and the
/// keys source [B, T, N]; N is D too when `sourceHasFeatures`.
static void inferClassAttentionTypes(Value queries, Value source,
                                     bool sourceHasFeatures, int64_t numHeads,
                                     SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> qShape = shapeIfRank(queries, {2, 3});
  ArrayRef<int64_t> sourceShape = shapeIfRank(source, {3});
  int64_t batch = agreedSize(sizeFromEnd(sourceShape, 2),
                             qShape.size() == 3 ? qShape[0] : kDynamic);
  int64_t classes = sizeFromEnd(qShape, 1);
  int64_t tokens = sizeFromEnd(sourceShape, 1);
  int64_t featureSize = sizeFromEnd(qShape, 0);
  if (sourceHasFeatures)
    featureSize = agreedSize(featureSize, sizeFromEnd(sourceShape, 0));
  Type elementType = getElementTypeOrSelf(queries.getType());
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

/// The weights and biases of the q, k, v and out projections, in operand
/// order, of the ops that have all four.
template <typename OpT>
static SmallVector<std::pair<Value, StringRef>, 8> qkvoProjections(OpT op) {
  return {{op.getQWeight(), "q_weight"},     {op.getQBias(), "q_bias"},
          {op.getKWeight(), "k_weight"},     {op.getKBias(), "k_bias"},
          {op.getVWeight(), "v_weight"},     {op.getVBias(), "v_bias"},
          {op.getOutWeight(), "out_weight"}, {op.getOutBias(), "out_bias"}};
}

/// num_heads, scale and the projections, which every attention op checks
/// alike once its feature size D is known.
template <typename OpT>
static LogicalResult
verifyHeadsAndProjections(const AttentionChecker &check, OpT op,
                          ArrayRef<std::pair<Value, StringRef>> projections,
                          int64_t featureSize) {
  if (failed(check.heads(op.getNumHeads(), featureSize)) ||
      failed(check.scale(toDouble(op.getScale()))))
    return failure();
  return check.projections(projections, featureSize);
}

//===----------------------------------------------------------------------===//
// ClassAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult ClassAttentionOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  inferClassAttentionTypes(adaptor.getQueries(), adaptor.getMemory(),
                           /*sourceHasFeatures=*/true, adaptor.getNumHeads(),
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
  SmallVector<std::pair<Value, StringRef>, 8> projections =
      qkvoProjections(*this);
  if (failed(check.sameElementType(
          {{getQueries(), "queries"}, {getMemory(), "memory"}}, projections)))
    return failure();

  ArrayRef<int64_t> qShape = queries->getShape();
  ArrayRef<int64_t> mShape = memory->getShape();
  int64_t tokens = mShape[1];

  if (failed(check.sameSize("feature size", "memory", mShape[2], "queries",
                            qShape.back())))
    return failure();
  int64_t featureSize = firstKnown({qShape.back(), mShape[2]});
  FailureOr<int64_t> batch = check.classBatch(qShape, mShape, "memory");
  if (failed(batch) ||
      failed(
          verifyHeadsAndProjections(check, *this, projections, featureSize)) ||
      failed(check.mask(getKeyPaddingMask(), *batch, tokens)))
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
  inferClassAttentionTypes(adaptor.getQueries(), adaptor.getKv(),
                           /*sourceHasFeatures=*/false, adaptor.getNumHeads(),
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
  std::pair<Value, StringRef> projections[] = {{getOutWeight(), "out_weight"},
                                               {getOutBias(), "out_bias"}};
  if (failed(check.sameElementType({{getQueries(), "queries"}, {getKv(), "kv"}},
                                   projections)))
    return failure();

  ArrayRef<int64_t> qShape = queries->getShape();
  ArrayRef<int64_t> kvShape = kv->getShape();
  int64_t featureSize = qShape.back();
  FailureOr<int64_t> batch = check.classBatch(qShape, kvShape, "kv");
  if (failed(batch))
    return failure();

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

  if (failed(
          verifyHeadsAndProjections(check, *this, projections, featureSize)) ||
      failed(check.mask(getKeyPaddingMask(), *batch, kvShape[1])))
    return failure();
  return check.featureMap(getFeatureMap(), kvShape[1], "kv");
}

double ClassAttentionKVOp::getEffectiveScale() {
  return effectiveScale(toDouble(getScale()), getQueries(), getNumHeads());
}

//===----------------------------------------------------------------------===//
// MHAOp
//===----------------------------------------------------------------------===//

/// Where B and the sequence are in mha's rank-3 operands and result.
struct MHALayout {
  explicit MHALayout(bool sequenceFirst)
      : batch(sequenceFirst ? 1 : 0), sequence(sequenceFirst ? 0 : 1) {}
  size_t batch, sequence;
  /// "[B, L, D]" or "[L, B, D]", with `length` naming the sequence.
  std::string spell(StringRef length) const {
    return batch == 0 ? ("[B, " + length + ", D]").str()
                      : ("[" + length + ", B, D]").str();
  }
};

LogicalResult
MHAOp::inferReturnTypes(MLIRContext *context, std::optional<Location> location,
                        Adaptor adaptor,
                        SmallVectorImpl<Type> &inferredReturnTypes) {
  // Builders that leave sequence_first out give a null attribute here:
  // the default, false.
  BoolAttr sequenceFirst = adaptor.getSequenceFirstAttr();
  MHALayout layout(sequenceFirst && sequenceFirst.getValue());
  ArrayRef<int64_t> query = shapeIfRank(adaptor.getQuery(), {2, 3});
  ArrayRef<int64_t> key = shapeIfRank(adaptor.getKey(), {3});
  ArrayRef<int64_t> value = shapeIfRank(adaptor.getValue(), {3});
  // A shared [S, D] query has no batch axis.
  bool batchedQuery = query.size() == 3;
  int64_t batch = agreedSize(
      agreedSize(sizeAt(key, layout.batch), sizeAt(value, layout.batch)),
      batchedQuery ? query[layout.batch] : kDynamic);
  int64_t queries =
      batchedQuery ? query[layout.sequence] : sizeFromEnd(query, 1);
  int64_t featureSize =
      agreedSize(sizeFromEnd(query, 0),
                 agreedSize(sizeFromEnd(key, 0), sizeFromEnd(value, 0)));
  SmallVector<int64_t, 3> shape(3);
  shape[layout.batch] = batch;
  shape[layout.sequence] = queries;
  shape[2] = featureSize;
  inferredReturnTypes.push_back(RankedTensorType::get(
      shape, getElementTypeOrSelf(adaptor.getQuery().getType())));
  return success();
}

LogicalResult MHAOp::verify() {
  AttentionChecker check(getOperation());
  MHALayout layout(getSequenceFirst());
  const size_t batchAxis = layout.batch, lengthAxis = layout.sequence;

  FailureOr<RankedTensorType> query = check.ranked(
      getQuery(), "query", {2, 3}, "[S, D] or " + layout.spell("S"));
  if (failed(query))
    return failure();
  FailureOr<RankedTensorType> key =
      check.ranked(getKey(), "key", {3}, layout.spell("L"));
  if (failed(key))
    return failure();
  FailureOr<RankedTensorType> value =
      check.ranked(getValue(), "value", {3}, layout.spell("L"));
  if (failed(value))
    return failure();
  SmallVector<std::pair<Value, StringRef>, 8> projections =
      qkvoProjections(*this);
  if (failed(check.sameElementType(
          {{getQuery(), "query"}, {getKey(), "key"}, {getValue(), "value"}},
          projections)))
    return failure();

  ArrayRef<int64_t> qShape = query->getShape();
  ArrayRef<int64_t> kShape = key->getShape();
  ArrayRef<int64_t> vShape = value->getShape();
  bool batchedQuery = query->getRank() == 3;

  if (failed(check.sameSize("feature size", "key", kShape[2], "query",
                            qShape.back())) ||
      failed(check.sameSize("feature size", "value", vShape[2], "query",
                            qShape.back())))
    return failure();
  int64_t featureSize = firstKnown({qShape.back(), kShape[2], vShape[2]});

  if (failed(check.sameSize("length", "value", vShape[lengthAxis], "key",
                            kShape[lengthAxis])))
    return failure();
  int64_t keys = firstKnown({kShape[lengthAxis], vShape[lengthAxis]});

  if (failed(check.sameSize("batch", "value", vShape[batchAxis], "key",
                            kShape[batchAxis])) ||
      (batchedQuery && failed(check.sameSize("batch", "key", kShape[batchAxis],
                                             "query", qShape[batchAxis]))))
    return failure();
  int64_t batch = firstKnown({kShape[batchAxis], vShape[batchAxis],
                              batchedQuery ? qShape[batchAxis] : kDynamic});

  if (failed(verifyHeadsAndProjections(check, *this, projections, featureSize)))
    return failure();
  return check.mask(getKeyPaddingMask(), batch, keys);
}

double MHAOp::getEffectiveScale() {
  return effectiveScale(toDouble(getScale()), getQuery(), getNumHeads());
}

//===----------------------------------------------------------------------===//
// MHAQKVOp
//===----------------------------------------------------------------------===//

LogicalResult
MHAQKVOp::inferReturnTypes(MLIRContext *context,
                           std::optional<Location> location, Adaptor adaptor,
                           SmallVectorImpl<Type> &inferredReturnTypes) {
  ArrayRef<int64_t> qkv = shapeIfRank(adaptor.getQkv(), {3});
  int64_t packed = sizeAt(qkv, 2);
  int64_t featureSize =
      agreedSize(isKnown(packed) && packed % 3 == 0 ? packed / 3 : kDynamic,
                 sizeFromEnd(shapeIfRank(adaptor.getOutBias(), {1}), 0));
  SmallVector<int64_t, 3> shape = {sizeAt(qkv, 0), sizeAt(qkv, 1), featureSize};
  inferredReturnTypes.push_back(RankedTensorType::get(
      shape, getElementTypeOrSelf(adaptor.getQkv().getType())));
  return success();
}

LogicalResult MHAQKVOp::verify() {
  AttentionChecker check(getOperation());
  MHALayout layout(getSequenceFirst());
  FailureOr<RankedTensorType> qkv = check.ranked(
      getQkv(), "qkv", {3}, getSequenceFirst() ? "[S, B, 3D]" : "[B, S, 3D]");
  if (failed(qkv))
    return failure();
  std::pair<Value, StringRef> projections[] = {{getOutWeight(), "out_weight"},
                                               {getOutBias(), "out_bias"}};
  if (failed(check.sameElementType({{getQkv(), "qkv"}}, projections)))
    return failure();
  ArrayRef<int64_t> shape = qkv->getShape();
  // D as out_bias gives it (checked with the projections below), else as
  // qkv does.
  int64_t featureSize = sizeFromEnd(shapeIfRank(getOutBias(), {1}), 0);
  if (isKnown(shape[2]) && isKnown(featureSize) && shape[2] != 3 * featureSize)
    return check.error("qkv's last dimension (" + Twine(shape[2]) +
                       ") must be 3D, with D = " + Twine(featureSize) +
                       " from out_bias");
  if (isKnown(shape[2]) && shape[2] % 3 != 0)
    return check.error("qkv's last dimension (" + Twine(shape[2]) +
                       ") must be 3D");
  if (!isKnown(featureSize) && isKnown(shape[2]))
    featureSize = shape[2] / 3;
  if (failed(verifyHeadsAndProjections(check, *this, projections, featureSize)))
    return failure();
  return check.mask(getKeyPaddingMask(), shape[layout.batch],
                    shape[layout.sequence]);
}

double MHAQKVOp::getEffectiveScale() {
  if (std::optional<double> scale = toDouble(getScale()))
    return *scale;
  int64_t featureSize = cast<ShapedType>(getQkv().getType()).getShape()[2] / 3;
  return 1.0 / std::sqrt(static_cast<double>(featureSize / getNumHeads()));
}

#define GET_OP_CLASSES
#include "intr/Dialect/INTR/IR/INTROps.cpp.inc"
