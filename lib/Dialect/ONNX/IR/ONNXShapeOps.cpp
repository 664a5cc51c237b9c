//===- ONNXShapeOps.cpp - Shape and data movement ops ---------------------===//
//
// Type inference, verifiers and folders of the shape family (Shape, Reshape,
// Gather, Slice, Concat, Transpose, Pad, Resize, ...).
//
// Inference reads constant shape operands (Reshape's shape, Slice's starts,
// ...) through getConstantInts so that results are static whenever those are
// constant. Folders that move data describe, per output dimension, which
// source positions it reads (AxisMap); one routine turns that into elements,
// whatever the element type.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "intr/Support/FormatShape.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace intr::onnx;
using intr::formatShape;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

/// How one dimension of a folded result reads its source: output index `i`
/// along it reads source position `positions[i]` of a source axis whose
/// row-major stride is `stride`. A negative position reads the fill value.
struct AxisMap {
  SmallVector<int64_t> positions;
  int64_t stride;
};

/// One element of a folded result: element `index` of source `source`.
struct ElementRef {
  unsigned source;
  int64_t index;
};

} // namespace

/// An omitted optional input (onnx.NoValue).
static bool isNone(Value value) {
  return !value || isa<NoneType>(value.getType());
}

/// The product of `sizes`; nullopt when one is dynamic or it overflows.
static std::optional<int64_t> staticProduct(ArrayRef<int64_t> sizes) {
  if (llvm::any_of(sizes, ShapedType::isDynamic))
    return std::nullopt;
  // A zero anywhere makes it 0, however large the sizes before it.
  if (llvm::is_contained(sizes, 0))
    return 0;
  int64_t product = 1;
  for (int64_t size : sizes) {
    std::optional<int64_t> next = llvm::checkedMul(product, size);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return product;
}

/// `a / b` rounded up, for a >= 0 and b > 0 (b may be |INT64_MIN|).
static int64_t ceilDiv(uint64_t a, uint64_t b) {
  return static_cast<int64_t>(a / b + (a % b != 0));
}

/// The element type of a tensor operand; fails when the operand is not a
/// tensor (an omitted input where ONNX requires one).
static FailureOr<Type> getTensorElementType(std::optional<Location> loc,
                                            Value value, StringRef name) {
  if (auto type = dyn_cast<TensorType>(value.getType()))
    return type.getElementType();
  return emitOptionalError(loc, name, " must be a tensor, got ",
                           value.getType());
}

/// The shape of a ranked tensor operand; nullopt when unranked.
static std::optional<SmallVector<int64_t>> getRankedShape(Value value) {
  if (auto type = dyn_cast<RankedTensorType>(value.getType()))
    return llvm::to_vector(type.getShape());
  return std::nullopt;
}

/// Checks an operand that lists sizes or axes (Reshape's shape, Slice's
/// starts, ...): a 1-D integer tensor, or none when `optional`.
static LogicalResult verifyIndexList(std::optional<Location> loc, Value value,
                                     StringRef name, bool optional = false) {
  if (optional && isNone(value))
    return success();
  auto type = dyn_cast<TensorType>(value.getType());
  if (!type || !isa<IntegerType>(type.getElementType()) ||
      (type.hasRank() && type.getRank() != 1))
    return emitOptionalError(loc, name, " must be a 1-D integer tensor, got ",
                             value.getType());
  // Such a list's length is a rank, or a number of pieces: a longer one is
  // no model's, and inference would build a shape of that many sizes.
  constexpr int64_t kMaxEntries = 1024;
  if (type.hasRank() && type.getDimSize(0) > kMaxEntries)
    return emitOptionalError(loc, name, " has ", type.getDimSize(0),
                             " entries, more than the ", kMaxEntries,
                             " supported");
  return success();
}

/// The number of entries of a 1-D list operand when known: from its
/// constant value or its static type.
static std::optional<int64_t>
getListLength(Value value, const std::optional<SmallVector<int64_t>> &ints) {
  if (ints)
    return static_cast<int64_t>(ints->size());
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != 1 || type.isDynamicDim(0))
    return std::nullopt;
  return type.getDimSize(0);
}

/// A tensor of `rank` dynamic sizes, or unranked when the rank is unknown:
/// what inference knows of a result whose sizes are not constant.
static Type getDynamicTensorType(std::optional<int64_t> rank,
                                 Type elementType) {
  if (!rank)
    return UnrankedTensorType::get(elementType);
  return RankedTensorType::get(
      SmallVector<int64_t>(*rank, ShapedType::kDynamic), elementType);
}

/// Fails on the first negative entry of a list of sizes.
static LogicalResult verifyNonNegative(std::optional<Location> loc,
                                       ArrayRef<int64_t> values,
                                       StringRef name) {
  for (auto [index, value] : llvm::enumerate(values))
    if (value < 0)
      return emitOptionalError(loc, name, " entry ", value, " at index ", index,
                               " is negative");
  return success();
}

/// Makes every entry of `axes` non-negative for `rank`; fails on an axis out
/// of range or named twice.
static LogicalResult normalizeAxisList(std::optional<Location> loc,
                                       MutableArrayRef<int64_t> axes,
                                       int64_t rank,
                                       StringRef rankName = "rank") {
  SmallVector<int64_t> original(axes.begin(), axes.end());
  SmallVector<bool> seen(rank, false);
  for (int64_t &axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitOptionalError(loc, "axis ", axis, " is out of range for ",
                               rankName, " ", rank);
    if (seen[*normalized])
      return emitOptionalError(loc, "axes ", formatShape(original),
                               " name axis ", *normalized, " twice");
    seen[*normalized] = true;
    axis = *normalized;
  }
  return success();
}

/// Normalizes a single `axis` attribute for `rank`.
static FailureOr<int64_t> normalizeAxisAttr(std::optional<Location> loc,
                                            int64_t axis, int64_t rank) {
  if (std::optional<int64_t> normalized = normalizeAxis(axis, rank))
    return *normalized;
  return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                           rank);
}

/// Whether folders may walk every dimension of `shape`: static, and no size
/// beyond `cap` (which an empty tensor could otherwise have).
static bool hasFoldableSizes(ArrayRef<int64_t> shape, int64_t cap) {
  return llvm::all_of(shape, [&](int64_t size) {
    return !ShapedType::isDynamic(size) && size <= cap;
  });
}

/// The static type of a result that folding may produce, or null when it is
/// not static or too large to fold. A fold that only moves the elements of
/// constants (`movedElements` of them: a transpose, a reshape, a
/// concatenation) may go beyond the cap, since its result holds no more
/// than they do: the batch-8 positional embedding is such a fold.
static RankedTensorType getFoldableType(Type type, int64_t movedElements = 0) {
  const int64_t cap = std::max(kMaxFoldedElements, movedElements);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !hasFoldableSizes(tensorType.getShape(), cap))
    return nullptr;
  std::optional<int64_t> count = staticProduct(tensorType.getShape());
  if (!count || *count > cap)
    return nullptr;
  return tensorType;
}

static SmallVector<int64_t> iota(int64_t count, int64_t first = 0) {
  SmallVector<int64_t> values(count);
  std::iota(values.begin(), values.end(), first);
  return values;
}

static SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// The maps that read a source of `shape` unchanged, which folders edit for
/// the dimensions they move; nullopt when the shape is not foldable.
/// A constant source may hold more elements than the cap (it exists, so
/// none of its sizes exceeds its element count); any other source (a Shape
/// op's result, or a value no fold will read) may claim any sizes, so they
/// must stay within the cap.
static std::optional<SmallVector<AxisMap>>
getIdentityMaps(ArrayRef<int64_t> shape, bool constantSource) {
  int64_t elements = constantSource ? staticProduct(shape).value_or(0) : 0;
  if (!hasFoldableSizes(shape, std::max(kMaxFoldedElements, elements)))
    return std::nullopt;
  SmallVector<AxisMap> maps;
  for (auto [size, stride] : llvm::zip(shape, rowMajorStrides(shape)))
    maps.push_back({iota(size), stride});
  return maps;
}

/// The source elements that a strided view reads, in row-major order of the
/// maps: source 0 at the sum of position * stride, or source 1 (a fill
/// value) where a position is negative.
static SmallVector<ElementRef> getViewRefs(ArrayRef<AxisMap> maps) {
  // An empty dimension means no elements; checking first keeps the partial
  // products below the (capped) result size.
  if (llvm::any_of(maps,
                   [](const AxisMap &map) { return map.positions.empty(); }))
    return {};
  SmallVector<int64_t> offsets = {0};
  for (const AxisMap &map : maps) {
    SmallVector<int64_t> next;
    next.reserve(offsets.size() * map.positions.size());
    for (int64_t offset : offsets)
      for (int64_t position : map.positions)
        next.push_back(
            offset < 0 || position < 0 ? -1 : offset + position * map.stride);
    offsets = std::move(next);
  }
  return llvm::map_to_vector(offsets, [](int64_t offset) {
    return offset < 0 ? ElementRef{1, 0} : ElementRef{0, offset};
  });
}

template <typename T>
static DenseElementsAttr buildElementsAs(ShapedType type,
                                         ArrayRef<DenseElementsAttr> sources,
                                         ArrayRef<ElementRef> refs) {
  using Iterator = decltype(sources.front().value_begin<T>());
  SmallVector<Iterator> begins;
  for (DenseElementsAttr source : sources)
    begins.push_back(source.value_begin<T>());
  SmallVector<T> values;
  values.reserve(refs.size());
  for (ElementRef ref : refs)
    values.push_back(begins[ref.source][ref.index]);
  return DenseElementsAttr::get(type, values);
}

/// The folded result of `type` whose elements are `refs` into `sources`, for
/// any integer or float element type. Null when the refs do not fit.
static DenseElementsAttr buildElements(ShapedType type,
                                       ArrayRef<DenseElementsAttr> sources,
                                       ArrayRef<ElementRef> refs) {
  if (static_cast<int64_t>(refs.size()) != type.getNumElements())
    return nullptr;
  for (DenseElementsAttr source : sources)
    if (!source || source.getElementType() != type.getElementType())
      return nullptr;
  for (ElementRef ref : refs)
    if (ref.source >= sources.size() || ref.index < 0 ||
        ref.index >= sources[ref.source].getNumElements())
      return nullptr;
  // Broadcasts of splats (ConstantOfShape, then Expand) stay splats.
  SmallVector<Attribute> splats =
      llvm::map_to_vector(sources, [](DenseElementsAttr source) -> Attribute {
        return source.isSplat() ? source.getSplatValue<Attribute>()
                                : Attribute();
      });
  if (!refs.empty() && llvm::all_of(refs, [&](ElementRef ref) {
        return splats[ref.source] &&
               splats[ref.source] == splats[refs.front().source];
      }))
    return DenseElementsAttr(sources[refs.front().source]).resizeSplat(type);
  // Elements of whole bytes are copied as bytes, without an APFloat or APInt
  // each (ViT-B/16's weight transposes and slices took 2.8 of its 5.7 s of
  // compilation); getRaw finds a splat in them as the typed path's does, so
  // the attribute is the same.
  Type element = type.getElementType();
  if (isa<FloatType, IntegerType>(element) &&
      element.getIntOrFloatBitWidth() % 8 == 0) {
    const size_t width = element.getIntOrFloatBitWidth() / 8;
    SmallVector<ArrayRef<char>> data = llvm::map_to_vector(
        sources, [](DenseElementsAttr source) { return source.getRawData(); });
    std::vector<char> raw(refs.size() * width);
    for (auto [i, ref] : llvm::enumerate(refs)) {
      // A splat holds its element once.
      int64_t index = sources[ref.source].isSplat() ? 0 : ref.index;
      std::memcpy(raw.data() + i * width,
                  data[ref.source].data() + index * width, width);
    }
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  }
  if (isa<FloatType>(element))
    return buildElementsAs<APFloat>(type, sources, refs);
  if (isa<IntegerType>(element))
    return buildElementsAs<APInt>(type, sources, refs);
  return nullptr;
}

/// Folds a strided view of `source` (with `fill` for negative positions).
static DenseElementsAttr copyElements(DenseElementsAttr source, ShapedType type,
                                      ArrayRef<AxisMap> maps,
                                      DenseElementsAttr fill = nullptr) {
  SmallVector<DenseElementsAttr, 2> sources = {source};
  if (fill)
    sources.push_back(fill);
  return buildElements(type, sources, getViewRefs(maps));
}

/// The dimensions [start, end) that Shape returns, clamped as ONNX says.
static std::pair<int64_t, int64_t> getShapeRange(int64_t rank, int64_t start,
                                                 std::optional<int64_t> end) {
  auto clampIndex = [&](int64_t index) {
    if (index < 0)
      index += rank;
    return std::clamp<int64_t>(index, 0, rank);
  };
  int64_t first = clampIndex(start);
  int64_t last = end ? clampIndex(*end) : rank;
  return {first, std::max(first, last)};
}

/// The sizes that a Shape op returns, dynamic ones included, when `value` is
/// its result: picking static entries out of them folds (Gather of a batch
/// shape's static dimension) even though the Shape op does not.
static std::optional<SmallVector<int64_t>> getShapeOpSizes(Value value) {
  auto shapeOp = value.getDefiningOp<ShapeOp>();
  if (!shapeOp)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(shapeOp.getData().getType());
  if (!type)
    return std::nullopt;
  auto [first, last] =
      getShapeRange(type.getRank(), shapeOp.getStart(), shapeOp.getEnd());
  return llvm::to_vector(type.getShape().slice(first, last - first));
}

/// Folds a view (Gather, Slice) of `input`: of its constant value, or of
/// the sizes of a Shape op when every size read is static.
static OpFoldResult foldView(Value input, Attribute inputValue, ShapedType type,
                             ArrayRef<AxisMap> maps) {
  if (DenseElementsAttr data = asDenseElements(inputValue))
    return copyElements(data, type, maps);
  std::optional<SmallVector<int64_t>> sizes = getShapeOpSizes(input);
  if (!sizes || !type.getElementType().isInteger(64))
    return {};
  SmallVector<int64_t> values;
  for (ElementRef ref : getViewRefs(maps)) {
    if (ref.source != 0 || ref.index >= static_cast<int64_t>(sizes->size()) ||
        ShapedType::isDynamic((*sizes)[ref.index]))
      return {};
    values.push_back((*sizes)[ref.index]);
  }
  if (static_cast<int64_t>(values.size()) != type.getNumElements())
    return {};
  return DenseElementsAttr::get(type, ArrayRef(values));
}

/// Folds an op that keeps the elements in order and only changes the shape:
/// to its input when the type is unchanged and static, else to the
/// constant input with the result's shape.
static OpFoldResult foldReshapeLike(Value input, Attribute inputValue,
                                    Type resultType) {
  if (input.getType() == resultType &&
      cast<ShapedType>(resultType).hasStaticShape())
    return input;
  DenseElementsAttr data = asDenseElements(inputValue);
  if (!data)
    return {};
  RankedTensorType type = getFoldableType(resultType, data.getNumElements());
  if (!type || data.getType().getNumElements() != type.getNumElements() ||
      data.getElementType() != type.getElementType())
    return {};
  return data.reshape(type);
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "needs at least one input");
  Type elementType;
  std::optional<SmallVector<int64_t>> shape;
  unsigned shapeSource = 0;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    FailureOr<Type> inputElementType =
        getTensorElementType(loc, input, "input " + std::to_string(index));
    if (failed(inputElementType))
      return failure();
    if (!elementType)
      elementType = *inputElementType;
    else if (*inputElementType != elementType)
      return emitOptionalError(loc, "input ", index, " has element type ",
                               *inputElementType, " but input 0 has ",
                               elementType);
    std::optional<SmallVector<int64_t>> inputShape = getRankedShape(input);
    if (!inputShape)
      continue;
    if (!shape) {
      shape = inputShape;
      shapeSource = index;
      continue;
    }
    if (inputShape->size() != shape->size())
      return emitOptionalError(loc, "input ", index, " has rank ",
                               inputShape->size(), " but input ", shapeSource,
                               " has rank ", shape->size());
  }
  if (!shape) {
    types.push_back(UnrankedTensorType::get(elementType));
    return success();
  }

  // `axis` has no default: a model may leave it out (found by the fuzzer).
  if (!adaptor.getAxisAttr())
    return emitOptionalError(loc, "attribute 'axis' is missing");
  int64_t rank = shape->size();
  FailureOr<int64_t> axis = normalizeAxisAttr(loc, adaptor.getAxis(), rank);
  if (failed(axis))
    return failure();
  // Sizes outside the axis must agree; the axis size is the sum.
  SmallVector<int64_t> result(rank, ShapedType::kDynamic);
  SmallVector<int64_t> resultSource(rank, 0);
  int64_t axisSize = 0;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    std::optional<SmallVector<int64_t>> inputShape = getRankedShape(input);
    if (!inputShape) {
      axisSize = ShapedType::kDynamic;
      continue;
    }
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = (*inputShape)[d];
      if (d == *axis) {
        std::optional<int64_t> sum =
            ShapedType::isDynamic(size) || ShapedType::isDynamic(axisSize)
                ? std::nullopt
                : llvm::checkedAdd(axisSize, size);
        axisSize = sum.value_or(ShapedType::kDynamic);
        continue;
      }
      if (ShapedType::isDynamic(size))
        continue;
      if (ShapedType::isDynamic(result[d])) {
        result[d] = size;
        resultSource[d] = index;
      } else if (result[d] != size) {
        return emitOptionalError(loc, "input ", index, " has size ", size,
                                 " in dimension ", d, " but input ",
                                 resultSource[d], " has ", result[d]);
      }
    }
  }
  result[*axis] = axisSize;
  types.push_back(RankedTensorType::get(result, elementType));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  SmallVector<DenseElementsAttr> sources;
  int64_t movedElements = 0;
  for (Attribute value : adaptor.getInputs()) {
    DenseElementsAttr source = asDenseElements(value);
    if (!source)
      return {};
    sources.push_back(source);
    movedElements += source.getNumElements();
  }
  RankedTensorType type = getFoldableType(getType(), movedElements);
  if (!type)
    return {};
  std::optional<int64_t> axis = normalizeAxis(getAxis(), type.getRank());
  if (!axis)
    return {};
  if (type.getNumElements() == 0)
    return buildElements(type, sources, {});
  // Each outer index takes a contiguous chunk from every input in turn.
  ArrayRef<int64_t> shape = type.getShape();
  int64_t outer = *staticProduct(shape.take_front(*axis));
  int64_t inner = *staticProduct(shape.drop_front(*axis + 1));
  SmallVector<ElementRef> refs;
  refs.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o) {
    for (auto [index, source] : llvm::enumerate(sources)) {
      auto sourceType = cast<ShapedType>(source.getType());
      if (sourceType.getRank() != type.getRank())
        return {};
      int64_t chunk = sourceType.getDimSize(*axis) * inner;
      for (int64_t i = 0; i < chunk; ++i)
        refs.push_back({static_cast<unsigned>(index), o * chunk + i});
    }
  }
  return buildElements(type, sources, refs);
}

//===----------------------------------------------------------------------===//
// ConstantOfShape
//===----------------------------------------------------------------------===//

LogicalResult ConstantOfShapeOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(verifyIndexList(loc, adaptor.getInput(), "input")))
    return failure();
  ElementsAttr value = adaptor.getValueAttr();
  Type elementType = value ? value.getElementType() : Float32Type::get(context);
  if (std::optional<SmallVector<int64_t>> shape =
          getConstantInts(adaptor.getInput())) {
    if (failed(verifyNonNegative(loc, *shape, "input")))
      return failure();
    types.push_back(RankedTensorType::get(*shape, elementType));
    return success();
  }
  types.push_back(
      getDynamicTensorType(getListLength(adaptor.getInput(), {}), elementType));
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  if (ElementsAttr value = getValueAttr(); value && value.size() != 1)
    return emitOpError("value must have exactly one element, got ")
           << value.size();
  return success();
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getFoldableType(getType());
  if (!type || !adaptor.getInput())
    return {};
  if (ElementsAttr value = getValueAttr()) {
    auto dense = dyn_cast<DenseElementsAttr>(value);
    if (!dense || !dense.isSplat() ||
        dense.getElementType() != type.getElementType())
      return {};
    return dense.resizeSplat(type);
  }
  if (!type.getElementType().isF32())
    return {};
  return DenseElementsAttr::get(type, APFloat(0.0f));
}

//===----------------------------------------------------------------------===//
// Expand
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getInput(), "input");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getShape(), "shape")))
    return failure();
  std::optional<SmallVector<int64_t>> inputShape =
      getRankedShape(adaptor.getInput());
  std::optional<SmallVector<int64_t>> shape =
      getConstantInts(adaptor.getShape());
  if (shape && failed(verifyNonNegative(loc, *shape, "shape")))
    return failure();
  if (!inputShape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  if (shape) {
    FailureOr<SmallVector<int64_t>> result =
        broadcastShapes(*inputShape, *shape);
    if (failed(result))
      return emitOptionalError(loc, "cannot broadcast input of shape ",
                               formatShape(*inputShape), " to ",
                               formatShape(*shape));
    types.push_back(RankedTensorType::get(*result, *elementType));
    return success();
  }
  std::optional<int64_t> length = getListLength(adaptor.getShape(), {});
  if (!length) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  // Unknown target sizes: only input sizes other than 1 are certain.
  int64_t rank = std::max<int64_t>(*length, inputShape->size());
  SmallVector<int64_t> result(rank, ShapedType::kDynamic);
  for (auto [i, size] : llvm::enumerate(*inputShape))
    if (size != 1)
      result[rank - inputShape->size() + i] = size;
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  auto data = asDenseElements(adaptor.getInput());
  RankedTensorType type = getFoldableType(getType());
  if (!data || !type)
    return {};
  // Align the input to the trailing dimensions; broadcast ones read
  // position 0 with stride 0.
  ArrayRef<int64_t> inputShape = data.getType().getShape();
  int64_t offset = type.getRank() - inputShape.size();
  if (offset < 0)
    return {};
  SmallVector<int64_t> strides = rowMajorStrides(inputShape);
  SmallVector<AxisMap> maps;
  for (auto [d, size] : llvm::enumerate(type.getShape())) {
    int64_t inputDim = static_cast<int64_t>(d) - offset;
    if (inputDim >= 0 && inputShape[inputDim] == size)
      maps.push_back({iota(size), strides[inputDim]});
    else if (inputDim < 0 || inputShape[inputDim] == 1)
      maps.push_back({SmallVector<int64_t>(size, 0), 0});
    else
      return {};
  }
  return copyElements(data, type, maps);
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getInput(), "input");
  if (failed(elementType))
    return failure();
  std::optional<SmallVector<int64_t>> shape =
      getRankedShape(adaptor.getInput());
  if (!shape) {
    types.push_back(RankedTensorType::get(
        {ShapedType::kDynamic, ShapedType::kDynamic}, *elementType));
    return success();
  }
  // The axis may equal the rank (everything goes to the first size).
  int64_t rank = shape->size();
  int64_t axis = adaptor.getAxis();
  if (axis < -rank || axis > rank)
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             rank);
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> sizes = *shape;
  int64_t outer =
      staticProduct(sizes.take_front(axis)).value_or(ShapedType::kDynamic);
  int64_t inner =
      staticProduct(sizes.drop_front(axis)).value_or(ShapedType::kDynamic);
  types.push_back(RankedTensorType::get({outer, inner}, *elementType));
  return success();
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

/// GatherElements' and ScatterElements' indices: data's rank (1 or more), an
/// axis in it, and no larger than data along the other axes.
static LogicalResult verifyElementIndices(std::optional<Location> loc,
                                          ArrayRef<int64_t> dataShape,
                                          ArrayRef<int64_t> indicesShape,
                                          int64_t axisAttr) {
  if (dataShape.empty() || dataShape.size() != indicesShape.size())
    return emitOptionalError(loc,
                             "data and indices must have one rank of 1 "
                             "or more, got ",
                             formatShape(dataShape), " and ",
                             formatShape(indicesShape));
  FailureOr<int64_t> axis = normalizeAxisAttr(loc, axisAttr, dataShape.size());
  if (failed(axis))
    return failure();
  for (size_t d = 0; d < dataShape.size(); ++d) {
    int64_t have = dataShape[d], want = indicesShape[d];
    if (int64_t(d) != *axis && !ShapedType::isDynamic(have) &&
        !ShapedType::isDynamic(want) && want > have)
      return emitOptionalError(loc, "indices ", formatShape(indicesShape),
                               " exceed data ", formatShape(dataShape),
                               " along axis ", d);
  }
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  FailureOr<Type> indexType =
      getTensorElementType(loc, adaptor.getIndices(), "indices");
  if (failed(elementType) || failed(indexType))
    return failure();
  if (!indexType->isInteger(32) && !indexType->isInteger(64))
    return emitOptionalError(loc, "indices must be i32 or i64, got ",
                             adaptor.getIndices().getType());
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> indicesShape =
      getRankedShape(adaptor.getIndices());
  if (!dataShape || !indicesShape) {
    types.push_back(
        indicesShape ? Type(RankedTensorType::get(*indicesShape, *elementType))
                     : Type(UnrankedTensorType::get(*elementType)));
    return success();
  }
  if (failed(verifyElementIndices(loc, *dataShape, *indicesShape,
                                  adaptor.getAxis())))
    return failure();
  types.push_back(RankedTensorType::get(*indicesShape, *elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// GatherND
//===----------------------------------------------------------------------===//

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  FailureOr<Type> indexType =
      getTensorElementType(loc, adaptor.getIndices(), "indices");
  if (failed(elementType) || failed(indexType))
    return failure();
  if (!indexType->isInteger(64))
    return emitOptionalError(loc, "indices must be i64, got ",
                             adaptor.getIndices().getType());
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> indicesShape =
      getRankedShape(adaptor.getIndices());
  if (!dataShape || !indicesShape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  const int64_t r = dataShape->size(), q = indicesShape->size();
  const int64_t b = adaptor.getBatchDims();
  if (r == 0 || q == 0 || b < 0 || b >= std::min(r, q))
    return emitOptionalError(
        loc, "batch_dims ", b, " must be below the ranks of data ",
        formatShape(*dataShape), " and indices ", formatShape(*indicesShape));
  const int64_t k = indicesShape->back();
  if (ShapedType::isDynamic(k) || b + k > r)
    return emitOptionalError(
        loc, "indices ", formatShape(*indicesShape),
        " must end in a known size of at most data's rank after batch_dims "
        "(data ",
        formatShape(*dataShape), ")");
  for (int64_t d = 0; d < b; ++d)
    if (int64_t have = (*dataShape)[d], want = (*indicesShape)[d];
        !ShapedType::isDynamic(have) && !ShapedType::isDynamic(want) &&
        have != want)
      return emitOptionalError(loc, "data ", formatShape(*dataShape),
                               " and indices ", formatShape(*indicesShape),
                               " differ in batch dimension ", d);
  SmallVector<int64_t> shape(indicesShape->begin(), indicesShape->end() - 1);
  shape.append(dataShape->begin() + b + k, dataShape->end());
  types.push_back(RankedTensorType::get(shape, *elementType));
  return success();
}

OpFoldResult GatherNDOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = asDenseElements(adaptor.getData());
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  auto indicesType = dyn_cast<RankedTensorType>(getIndices().getType());
  std::optional<SmallVector<int64_t>> indices = getConstantInts(getIndices());
  RankedTensorType type = getFoldableType(getType());
  if (!data || !dataType || !dataType.hasStaticShape() || !indicesType ||
      !indicesType.hasStaticShape() || !indices || !type)
    return {};
  ArrayRef<int64_t> dataShape = dataType.getShape();
  const int64_t b = getBatchDims(), k = indicesType.getShape().back();
  if (k == 0)
    return {};
  SmallVector<int64_t> strides = rowMajorStrides(dataShape);
  const int64_t slice = *staticProduct(dataShape.drop_front(b + k));
  const int64_t tuples = int64_t(indices->size()) / k;
  const int64_t batches = *staticProduct(dataShape.take_front(b));
  if (batches == 0 || tuples % batches != 0)
    return {};
  const int64_t perBatch = tuples / batches;
  const int64_t batchStride = *staticProduct(dataShape.drop_front(b));
  SmallVector<ElementRef> refs;
  refs.reserve(tuples * slice);
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = (t / perBatch) * batchStride;
    for (int64_t j = 0; j < k; ++j) {
      int64_t index = (*indices)[t * k + j], size = dataShape[b + j];
      if (index < -size || index >= size)
        return {};
      offset += (index < 0 ? index + size : index) * strides[b + j];
    }
    for (int64_t s = 0; s < slice; ++s)
      refs.push_back({0, offset + s});
  }
  return buildElements(type, {data}, refs);
}

//===----------------------------------------------------------------------===//
// ScatterElements and ScatterND
//===----------------------------------------------------------------------===//

/// The reductions a Scatter may combine updates with.
static LogicalResult verifyScatterReduction(std::optional<Location> loc,
                                            StringRef reduction) {
  if (llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return success();
  return emitOptionalError(loc,
                           "reduction must be none, add, mul, max or "
                           "min, got \"",
                           reduction, "\"");
}

/// Checks that updates have data's element type and `expected` as shape
/// (where both are known).
static LogicalResult verifyScatterUpdates(std::optional<Location> loc,
                                          Type elementType, Value updates,
                                          ArrayRef<int64_t> expected) {
  FailureOr<Type> updateType = getTensorElementType(loc, updates, "updates");
  if (failed(updateType))
    return failure();
  if (*updateType != elementType)
    return emitOptionalError(loc, "updates must have data's element type ",
                             elementType, ", got ", *updateType);
  std::optional<SmallVector<int64_t>> shape = getRankedShape(updates);
  if (shape && failed(verifyCompatibleShape(*shape, expected)))
    return emitOptionalError(loc, "updates have shape ", formatShape(*shape),
                             ", expected ", formatShape(expected));
  return success();
}

LogicalResult
ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  FailureOr<Type> indexType =
      getTensorElementType(loc, adaptor.getIndices(), "indices");
  if (failed(elementType) || failed(indexType) ||
      failed(verifyScatterReduction(loc, adaptor.getReduction())))
    return failure();
  if (!indexType->isInteger(32) && !indexType->isInteger(64))
    return emitOptionalError(loc, "indices must be i32 or i64, got ",
                             adaptor.getIndices().getType());
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> indicesShape =
      getRankedShape(adaptor.getIndices());
  if (indicesShape &&
      failed(verifyScatterUpdates(loc, *elementType, adaptor.getUpdates(),
                                  *indicesShape)))
    return failure();
  if (!dataShape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  if (indicesShape && failed(verifyElementIndices(
                          loc, *dataShape, *indicesShape, adaptor.getAxis())))
    return failure();
  types.push_back(RankedTensorType::get(*dataShape, *elementType));
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  FailureOr<Type> indexType =
      getTensorElementType(loc, adaptor.getIndices(), "indices");
  if (failed(elementType) || failed(indexType) ||
      failed(verifyScatterReduction(loc, adaptor.getReduction())))
    return failure();
  if (!indexType->isInteger(64))
    return emitOptionalError(loc, "indices must be i64, got ",
                             adaptor.getIndices().getType());
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> indicesShape =
      getRankedShape(adaptor.getIndices());
  if (!dataShape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  if (indicesShape) {
    int64_t rank = dataShape->size();
    if (rank == 0 || indicesShape->empty() ||
        ShapedType::isDynamic(indicesShape->back()) ||
        indicesShape->back() > rank)
      return emitOptionalError(
          loc, "indices ", formatShape(*indicesShape),
          " must end in a known size of at most data's rank (data ",
          formatShape(*dataShape), ")");
    // updates: indices.shape[:-1] + data.shape[k:].
    SmallVector<int64_t> expected(indicesShape->begin(),
                                  indicesShape->end() - 1);
    expected.append(dataShape->begin() + indicesShape->back(),
                    dataShape->end());
    if (failed(verifyScatterUpdates(loc, *elementType, adaptor.getUpdates(),
                                    expected)))
      return failure();
  }
  types.push_back(RankedTensorType::get(*dataShape, *elementType));
  return success();
}

/// A Scatter with reduction none of constants: each element of the result
/// refers to data's (source 0) or to the last update written there (source
/// 1). `target(u)` is where update u goes, or -1 when it is out of range
/// (then nothing folds).
template <typename Target>
static OpFoldResult foldScatter(Type resultType, Attribute dataAttr,
                                Attribute updatesAttr, StringRef reduction,
                                int64_t updateCount, Target target) {
  DenseElementsAttr data = asDenseElements(dataAttr);
  DenseElementsAttr updates = asDenseElements(updatesAttr);
  RankedTensorType type = getFoldableType(resultType);
  if (!data || !updates || !type || reduction != "none" ||
      updates.getNumElements() != updateCount)
    return {};
  SmallVector<ElementRef> refs;
  refs.reserve(type.getNumElements());
  for (int64_t e = 0; e < type.getNumElements(); ++e)
    refs.push_back({0, e});
  for (int64_t u = 0; u < updateCount; ++u) {
    int64_t at = target(u);
    if (at < 0 || at >= type.getNumElements())
      return {};
    refs[at] = {1, u};
  }
  return buildElements(type, {data, updates}, refs);
}

OpFoldResult ScatterElementsOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  auto indicesType = dyn_cast<RankedTensorType>(getIndices().getType());
  std::optional<SmallVector<int64_t>> indices = getConstantInts(getIndices());
  if (!dataType || !dataType.hasStaticShape() || !indicesType ||
      !indicesType.hasStaticShape() || !indices ||
      indicesType.getRank() != dataType.getRank())
    return {};
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dataType.getRank());
  if (!axis)
    return {};
  ArrayRef<int64_t> dataShape = dataType.getShape();
  ArrayRef<int64_t> indicesShape = indicesType.getShape();
  SmallVector<int64_t> strides = rowMajorStrides(dataShape);
  return foldScatter(getType(), adaptor.getData(), adaptor.getUpdates(),
                     getReduction(), indices->size(),
                     [&](int64_t u) -> int64_t {
                       int64_t index = (*indices)[u], size = dataShape[*axis];
                       if (index < -size || index >= size)
                         return -1;
                       index = index < 0 ? index + size : index;
                       // u's position in the indices' shape, with the axis
                       // replaced.
                       int64_t offset = 0, rest = u;
                       for (int64_t d = indicesShape.size() - 1; d >= 0; --d) {
                         int64_t p = rest % indicesShape[d];
                         rest /= indicesShape[d];
                         offset += (d == *axis ? index : p) * strides[d];
                       }
                       return offset;
                     });
}

OpFoldResult ScatterNDOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  auto indicesType = dyn_cast<RankedTensorType>(getIndices().getType());
  std::optional<SmallVector<int64_t>> indices = getConstantInts(getIndices());
  if (!dataType || !dataType.hasStaticShape() || !indicesType ||
      !indicesType.hasStaticShape() || indicesType.getRank() == 0 || !indices)
    return {};
  ArrayRef<int64_t> dataShape = dataType.getShape();
  const int64_t k = indicesType.getShape().back();
  if (k == 0 || k > dataType.getRank())
    return {};
  SmallVector<int64_t> strides = rowMajorStrides(dataShape);
  // Each tuple names a slice of `slice` contiguous elements.
  const int64_t slice = *staticProduct(dataShape.drop_front(k));
  const int64_t tuples = int64_t(indices->size()) / k;
  return foldScatter(getType(), adaptor.getData(), adaptor.getUpdates(),
                     getReduction(), tuples * slice, [&](int64_t u) -> int64_t {
                       int64_t t = u / slice, offset = u % slice;
                       for (int64_t j = 0; j < k; ++j) {
                         int64_t index = (*indices)[t * k + j];
                         int64_t size = dataShape[j];
                         if (index < -size || index >= size)
                           return -1;
                         offset +=
                             (index < 0 ? index + size : index) * strides[j];
                       }
                       return offset;
                     });
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  if (failed(elementType))
    return failure();
  FailureOr<Type> indexType =
      getTensorElementType(loc, adaptor.getIndices(), "indices");
  if (failed(indexType))
    return failure();
  if (!isa<IntegerType>(*indexType))
    return emitOptionalError(loc, "indices must be an integer tensor, got ",
                             adaptor.getIndices().getType());
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> indicesShape =
      getRankedShape(adaptor.getIndices());
  if (dataShape && dataShape->empty())
    return emitOptionalError(loc, "data must have rank 1 or more");
  if (!dataShape || !indicesShape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxisAttr(loc, adaptor.getAxis(), dataShape->size());
  if (failed(axis))
    return failure();
  int64_t axisSize = (*dataShape)[*axis];
  if (!ShapedType::isDynamic(axisSize))
    if (std::optional<SmallVector<int64_t>> indices =
            getConstantInts(adaptor.getIndices()))
      for (int64_t index : *indices)
        if (index < -axisSize || index >= axisSize)
          return emitOptionalError(loc, "index ", index,
                                   " is out of range for axis ", *axis,
                                   " of size ", axisSize);
  // data.shape[:axis] + indices.shape + data.shape[axis+1:]
  SmallVector<int64_t> result(dataShape->begin(), dataShape->begin() + *axis);
  llvm::append_range(result, *indicesShape);
  result.append(dataShape->begin() + *axis + 1, dataShape->end());
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = getFoldableType(getType());
  std::optional<SmallVector<int64_t>> indices = getConstantInts(getIndices());
  if (!dataType || !dataType.hasStaticShape() || dataType.getRank() == 0 ||
      !type || !indices)
    return {};
  ArrayRef<int64_t> dataShape = dataType.getShape();
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dataShape.size());
  if (!axis)
    return {};
  int64_t axisSize = dataShape[*axis];
  // The indices, flattened, read along the axis; their shape is the
  // result's business.
  std::optional<SmallVector<AxisMap>> maps = getIdentityMaps(
      dataShape, /*constantSource=*/bool(asDenseElements(adaptor.getData())));
  if (!maps)
    return {};
  for (int64_t &index : *indices) {
    if (index < -axisSize || index >= axisSize)
      return {};
    if (index < 0)
      index += axisSize;
  }
  (*maps)[*axis].positions = std::move(*indices);
  return foldView(getData(), adaptor.getData(), type, *maps);
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

namespace {
/// Pad's known amounts: `axes` (normalized) and, per axis, begin and end.
struct PadAmounts {
  SmallVector<int64_t> axes;
  SmallVector<int64_t> begins, ends;
};
} // namespace

/// Reads Pad's `pads` and `axes` when constant; nullopt when they are not,
/// failure on inconsistent values.
static FailureOr<std::optional<PadAmounts>>
getPadAmounts(std::optional<Location> loc, int64_t rank, Value padsValue,
              Value axesValue) {
  std::optional<SmallVector<int64_t>> axes;
  if (isNone(axesValue))
    axes = iota(rank);
  else
    axes = getConstantInts(axesValue);
  std::optional<SmallVector<int64_t>> pads = getConstantInts(padsValue);
  std::optional<int64_t> padsLength = getListLength(padsValue, pads);
  std::optional<int64_t> axesLength =
      axes ? std::optional<int64_t>(axes->size())
           : getListLength(axesValue, std::nullopt);
  if (padsLength && axesLength && *padsLength != 2 * *axesLength)
    return emitOptionalError(loc, "pads has ", *padsLength,
                             " entries, expected ", 2 * *axesLength, " (",
                             *axesLength, " padded axes)");
  if (!axes || !pads)
    return std::optional<PadAmounts>();
  if (failed(normalizeAxisList(loc, *axes, rank)))
    return failure();
  PadAmounts amounts;
  amounts.axes = std::move(*axes);
  ArrayRef<int64_t> padsRef = *pads;
  amounts.begins = llvm::to_vector(padsRef.take_front(amounts.axes.size()));
  amounts.ends = llvm::to_vector(padsRef.drop_front(amounts.axes.size()));
  return std::optional<PadAmounts>(std::move(amounts));
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getPads(), "pads")) ||
      failed(verifyIndexList(loc, adaptor.getAxes(), "axes",
                             /*optional=*/true)))
    return failure();
  Value constantValue = adaptor.getConstantValue();
  if (!isNone(constantValue)) {
    FailureOr<Type> valueElementType =
        getTensorElementType(loc, constantValue, "constant_value");
    if (failed(valueElementType))
      return failure();
    if (*valueElementType != *elementType)
      return emitOptionalError(loc, "constant_value has element type ",
                               *valueElementType, " but data has ",
                               *elementType);
    auto valueType = cast<TensorType>(constantValue.getType());
    if (valueType.hasStaticShape() && valueType.getNumElements() != 1)
      return emitOptionalError(loc, "constant_value must be a scalar, got ",
                               valueType);
  }

  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getData());
  if (!shape) {
    // Without axes, pads gives the rank.
    std::optional<int64_t> padsLength =
        getListLength(adaptor.getPads(), std::nullopt);
    std::optional<int64_t> rank;
    if (isNone(adaptor.getAxes()) && padsLength && *padsLength % 2 == 0)
      rank = *padsLength / 2;
    types.push_back(getDynamicTensorType(rank, *elementType));
    return success();
  }
  FailureOr<std::optional<PadAmounts>> amounts =
      getPadAmounts(loc, shape->size(), adaptor.getPads(), adaptor.getAxes());
  if (failed(amounts))
    return failure();
  if (!*amounts) {
    // Any axis may be padded.
    types.push_back(getDynamicTensorType(shape->size(), *elementType));
    return success();
  }
  for (auto [axis, begin, end] :
       llvm::zip((*amounts)->axes, (*amounts)->begins, (*amounts)->ends)) {
    int64_t &size = (*shape)[axis];
    if (ShapedType::isDynamic(size))
      continue;
    std::optional<int64_t> padded = llvm::checkedAdd(size, begin);
    padded = padded ? llvm::checkedAdd(*padded, end) : std::nullopt;
    if (!padded)
      return emitOptionalError(loc, "padding axis ", axis, " by ", begin,
                               " and ", end, " overflows");
    if (*padded < 0 ||
        size + std::min<int64_t>(begin, 0) + std::min<int64_t>(end, 0) < 0)
      return emitOptionalError(loc, "padding axis ", axis, " of size ", size,
                               " by ", begin, " and ", end,
                               " gives a negative size");
    size = *padded;
  }
  types.push_back(RankedTensorType::get(*shape, *elementType));
  return success();
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return emitOpError("mode '")
           << mode << "' is not supported (constant, reflect, edge, wrap)";
  return success();
}

/// The position in [0, size) that position `position` (of the axis, begin
/// padding not counted) of an axis of `size` padded by `mode` reads
/// (negative: the constant), or nullopt when the mode has no source.
static std::optional<int64_t> paddedSource(StringRef mode, int64_t position,
                                           int64_t size) {
  if (position >= 0 && position < size)
    return position;
  if (mode == "constant")
    return -1;
  if (size == 0)
    return std::nullopt;
  if (mode == "wrap") {
    position %= size;
    return position < 0 ? position + size : position;
  }
  if (mode == "edge" || size == 1)
    return std::clamp<int64_t>(position, 0, size - 1);
  // reflect, as numpy.pad: mirror without repeating the edge, with period
  // 2 * (size - 1).
  int64_t period = 2 * (size - 1);
  position %= period;
  if (position < 0)
    position += period;
  return position < size ? position : period - position;
}

/// The source position that output position `i` of a padded axis reads
/// (negative: the constant), or nullopt when the mode has no source. A
/// negative amount crops first, and the other side pads what is left, as
/// onnxruntime does: wrap and reflect repeat the cropped data.
static std::optional<int64_t> padSourcePosition(StringRef mode, int64_t i,
                                                int64_t begin, int64_t end,
                                                int64_t size) {
  const int64_t first = std::max<int64_t>(-begin, 0);
  const int64_t kept = size - first - std::max<int64_t>(-end, 0);
  std::optional<int64_t> position =
      paddedSource(mode, i - std::max<int64_t>(begin, 0), kept);
  if (!position || *position < 0)
    return position;
  return *position + first;
}

OpFoldResult PadOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  if (!dataType)
    return {};
  FailureOr<std::optional<PadAmounts>> amounts =
      getPadAmounts(std::nullopt, dataType.getRank(), getPads(), getAxes());
  if (failed(amounts) || !*amounts)
    return {};
  if (llvm::all_of((*amounts)->begins, [](int64_t v) { return v == 0; }) &&
      llvm::all_of((*amounts)->ends, [](int64_t v) { return v == 0; }) &&
      getData().getType() == getType())
    return getData();

  auto data = asDenseElements(adaptor.getData());
  RankedTensorType type = getFoldableType(getType());
  if (!data || !type)
    return {};
  ArrayRef<int64_t> shape = dataType.getShape();

  DenseElementsAttr fill;
  if (isNone(getConstantValue())) {
    Builder builder(getContext());
    fill =
        DenseElementsAttr::get(RankedTensorType::get({}, type.getElementType()),
                               builder.getZeroAttr(type.getElementType()));
  } else {
    fill = asDenseElements(adaptor.getConstantValue());
    if (!fill)
      return {};
  }
  std::optional<SmallVector<AxisMap>> maps =
      getIdentityMaps(shape, /*constantSource=*/true);
  if (!maps)
    return {};
  for (auto [axis, begin, end] :
       llvm::zip((*amounts)->axes, (*amounts)->begins, (*amounts)->ends)) {
    int64_t size = type.getDimSize(axis);
    (*maps)[axis].positions.clear();
    for (int64_t i = 0; i < size; ++i) {
      std::optional<int64_t> position =
          padSourcePosition(getMode(), i, begin, end, shape[axis]);
      if (!position)
        return {};
      (*maps)[axis].positions.push_back(*position);
    }
  }
  return copyElements(data, type, *maps, fill);
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

/// Range's length, max(ceil((limit - start) / delta), 0), when its operands
/// are constant; fails when delta is 0.
static FailureOr<std::optional<int64_t>>
getRangeLength(std::optional<Location> loc, Value start, Value limit,
               Value delta, Type elementType) {
  if (isa<IntegerType>(elementType)) {
    std::optional<SmallVector<int64_t>> starts = getConstantInts(start),
                                        limits = getConstantInts(limit),
                                        deltas = getConstantInts(delta);
    if (deltas && deltas->size() == 1 && deltas->front() == 0)
      return emitOptionalError(loc, "delta must not be 0");
    if (!starts || !limits || !deltas || starts->size() != 1 ||
        limits->size() != 1 || deltas->size() != 1)
      return std::optional<int64_t>();
    // 128 bits: limit - start may overflow int64.
    __int128 distance =
        static_cast<__int128>(limits->front()) - starts->front();
    __int128 step = deltas->front();
    __int128 length = distance / step;
    if (distance % step != 0 && (distance > 0) == (step > 0))
      ++length;
    if (length > kInt64Max / 2)
      return std::optional<int64_t>();
    return std::optional<int64_t>(length > 0 ? static_cast<int64_t>(length)
                                             : 0);
  }
  std::optional<double> first = getConstantScalar(start),
                        last = getConstantScalar(limit),
                        step = getConstantScalar(delta);
  if (step && *step == 0)
    return emitOptionalError(loc, "delta must not be 0");
  if (!first || !last || !step)
    return std::optional<int64_t>();
  double length = std::ceil((*last - *first) / *step);
  if (!(length < static_cast<double>(kInt64Max / 2)))
    return std::optional<int64_t>();
  return std::optional<int64_t>(length > 0 ? static_cast<int64_t>(length) : 0);
}

LogicalResult RangeOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  std::pair<StringRef, Value> operands[] = {{"start", adaptor.getStart()},
                                            {"limit", adaptor.getLimit()},
                                            {"delta", adaptor.getDelta()}};
  SmallVector<Type, 3> elementTypes;
  for (auto [name, value] : operands) {
    FailureOr<Type> elementType = getTensorElementType(loc, value, name);
    if (failed(elementType))
      return failure();
    elementTypes.push_back(*elementType);
    // A scalar; a one-element tensor is accepted as ONNX Runtime does.
    auto type = cast<TensorType>(value.getType());
    if (type.hasStaticShape() && type.getNumElements() != 1)
      return emitOptionalError(loc, name, " must be a scalar, got ", type);
  }
  if (elementTypes[1] != elementTypes[0] || elementTypes[2] != elementTypes[0])
    return emitOptionalError(
        loc, "start, limit and delta must have one element type, got ",
        elementTypes[0], ", ", elementTypes[1], " and ", elementTypes[2]);
  FailureOr<std::optional<int64_t>> length =
      getRangeLength(loc, adaptor.getStart(), adaptor.getLimit(),
                     adaptor.getDelta(), elementTypes[0]);
  if (failed(length))
    return failure();
  types.push_back(RankedTensorType::get(
      {length->value_or(ShapedType::kDynamic)}, elementTypes[0]));
  return success();
}

OpFoldResult RangeOp::fold(FoldAdaptor) {
  RankedTensorType type = getFoldableType(getType());
  if (!type || type.getRank() != 1)
    return {};
  Type elementType = type.getElementType();
  int64_t length = type.getDimSize(0);
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    std::optional<SmallVector<int64_t>> start = getConstantInts(getStart()),
                                        delta = getConstantInts(getDelta());
    if (!start || !delta || start->size() != 1 || delta->size() != 1)
      return {};
    // In unsigned arithmetic: i * delta may overflow int64 although every
    // value lies between start and limit.
    SmallVector<APInt> values;
    for (int64_t i = 0; i < length; ++i)
      values.emplace_back(intType.getWidth(),
                          static_cast<uint64_t>(start->front()) +
                              static_cast<uint64_t>(i) *
                                  static_cast<uint64_t>(delta->front()),
                          /*isSigned=*/true);
    return DenseElementsAttr::get(type, values);
  }
  auto floatType = dyn_cast<FloatType>(elementType);
  std::optional<double> start = getConstantScalar(getStart()),
                        delta = getConstantScalar(getDelta());
  if (!floatType || !start || !delta)
    return {};
  // start + i * delta, computed in double and rounded once to the type.
  SmallVector<APFloat> values;
  for (int64_t i = 0; i < length; ++i) {
    APFloat value(*start + static_cast<double>(i) * *delta);
    bool losesInfo;
    value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    values.push_back(value);
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getShape(), "shape")))
    return failure();
  std::optional<SmallVector<int64_t>> dataShape =
      getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> shape =
      getConstantInts(adaptor.getShape());
  if (!shape) {
    types.push_back(getDynamicTensorType(
        getListLength(adaptor.getShape(), std::nullopt), *elementType));
    return success();
  }

  bool allowZero = adaptor.getAllowzero() != 0;
  std::optional<size_t> inferred;
  bool hasZero = false;
  for (auto [index, size] : llvm::enumerate(*shape)) {
    if (size < -1)
      return emitOptionalError(loc, "shape entry ", size, " at index ", index,
                               " is invalid (sizes are >= -1)");
    if (size == -1 && inferred)
      return emitOptionalError(loc, "shape ", formatShape(*shape),
                               " has more than one -1");
    if (size == -1)
      inferred = index;
    hasZero |= size == 0;
  }
  if (allowZero && hasZero && inferred)
    return emitOptionalError(loc, "shape ", formatShape(*shape),
                             " has both 0 and -1, which allowzero = 1 forbids");

  // Resolve copies (0 without allowzero). A copied dynamic size cancels out
  // of the element count, so -1 stays computable next to it.
  SmallVector<int64_t> result(*shape);
  SmallVector<bool> cancelled(dataShape ? dataShape->size() : 0, false);
  SmallVector<bool> resultCancelled(result.size(), false);
  for (auto [index, size] : llvm::enumerate(result)) {
    if (size != 0 || allowZero)
      continue;
    if (!dataShape) {
      size = ShapedType::kDynamic;
      continue;
    }
    if (index >= dataShape->size())
      return emitOptionalError(loc, "shape entry 0 at index ", index,
                               " copies a dimension that data of rank ",
                               dataShape->size(), " does not have");
    size = (*dataShape)[index];
    if (ShapedType::isDynamic(size))
      cancelled[index] = resultCancelled[index] = true;
  }
  if (inferred)
    result[*inferred] = ShapedType::kDynamic;
  if (!dataShape) {
    types.push_back(RankedTensorType::get(result, *elementType));
    return success();
  }

  SmallVector<int64_t> dataSizes, resultSizes;
  for (auto [size, skip] : llvm::zip(*dataShape, cancelled))
    if (!skip)
      dataSizes.push_back(size);
  for (auto [index, size] : llvm::enumerate(result))
    if (!resultCancelled[index] && (!inferred || index != *inferred))
      resultSizes.push_back(size);
  std::optional<int64_t> count = staticProduct(dataSizes);
  std::optional<int64_t> known = staticProduct(resultSizes);
  // Static sizes whose product passes 2^63 hold more than any data.
  if (count && !known && llvm::none_of(resultSizes, ShapedType::isDynamic))
    return emitOptionalError(
        loc, "cannot reshape data of shape ", formatShape(*dataShape), " into ",
        formatShape(*shape), " (its element count passes 2^63)");
  if (count && known) {
    bool fits = inferred ? (*known != 0 ? *count % *known == 0 : *count == 0)
                         : *count == *known;
    if (!fits)
      return emitOptionalError(loc, "cannot reshape data of shape ",
                               formatShape(*dataShape), " into ",
                               formatShape(*shape));
    // With no other elements, -1 is ambiguous; it stays dynamic.
    if (inferred && *known != 0)
      result[*inferred] = *count / *known;
  }
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// The float elements of a constant (Resize's scales), as doubles.
static std::optional<SmallVector<double>> getConstantFloats(Value value) {
  DenseElementsAttr elements = getConstantElements(value);
  if (!elements || !isa<FloatType>(elements.getElementType()))
    return std::nullopt;
  SmallVector<double> result;
  for (APFloat element : elements.getValues<APFloat>()) {
    bool losesInfo;
    element.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
    result.push_back(element.convertToDouble());
  }
  return result;
}

/// Whether Resize's optional `scales` or `sizes` is given: present and not
/// an empty tensor (exporters pass empty constants for unused inputs).
static bool isGiven(Value value) {
  if (isNone(value))
    return false;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return !type || !type.hasStaticShape() || type.getNumElements() != 0;
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType = getTensorElementType(loc, adaptor.getX(), "X");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getSizes(), "sizes",
                             /*optional=*/true)))
    return failure();
  Value scalesValue = adaptor.getScales(), sizesValue = adaptor.getSizes();
  if (!isNone(scalesValue)) {
    auto type = dyn_cast<TensorType>(scalesValue.getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        (type.hasRank() && type.getRank() != 1))
      return emitOptionalError(loc, "scales must be a 1-D float tensor, got ",
                               scalesValue.getType());
  }
  bool hasScales = isGiven(scalesValue), hasSizes = isGiven(sizesValue);
  if (hasScales && hasSizes)
    return emitOptionalError(
        loc, "scales and sizes are both given; only one may be");
  if (!hasScales && !hasSizes)
    return emitOptionalError(loc, "one of scales and sizes must be given");

  std::optional<SmallVector<int64_t>> sizes =
      hasSizes ? getConstantInts(sizesValue) : std::nullopt;
  std::optional<SmallVector<double>> scales =
      hasScales ? getConstantFloats(scalesValue) : std::nullopt;
  if (sizes && failed(verifyNonNegative(loc, *sizes, "sizes")))
    return failure();
  std::optional<ArrayRef<int64_t>> axesAttr = adaptor.getAxes();
  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getX());
  if (!shape) {
    // Sizes for every axis give the whole shape (stretched to them).
    if (sizes && !axesAttr && adaptor.getKeepAspectRatioPolicy() == "stretch")
      types.push_back(RankedTensorType::get(*sizes, *elementType));
    else
      types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }

  int64_t rank = shape->size();
  SmallVector<int64_t> axes =
      axesAttr ? llvm::to_vector(*axesAttr) : iota(rank);
  if (failed(normalizeAxisList(loc, axes, rank)))
    return failure();
  Value given = hasSizes ? sizesValue : scalesValue;
  StringRef givenName = hasSizes ? "sizes" : "scales";
  std::optional<int64_t> length =
      hasSizes ? getListLength(sizesValue, sizes)
               : (scales ? std::optional<int64_t>(scales->size())
                         : getListLength(given, std::nullopt));
  if (length && *length != static_cast<int64_t>(axes.size()))
    return emitOptionalError(loc, givenName, " has ", *length,
                             " entries, expected ", axes.size(),
                             " (one per resized axis)");
  // keep_aspect_ratio_policy: one scale for every resized axis, the least
  // (not_larger) or greatest (not_smaller) of sizes / input sizes, and the
  // sizes rounded half up from it, as ONNX's reference computes them.
  StringRef policy = adaptor.getKeepAspectRatioPolicy();
  std::optional<double> kept;
  if (sizes && policy != "stretch" &&
      static_cast<int64_t>(sizes->size()) ==
          static_cast<int64_t>(axes.size())) {
    for (auto [index, axis] : llvm::enumerate(axes)) {
      int64_t in = (*shape)[axis];
      if (ShapedType::isDynamic(in) || in == 0) {
        kept.reset();
        break;
      }
      double ratio = double((*sizes)[index]) / double(in);
      if (index == 0 ||
          (policy == "not_larger" ? ratio < *kept : ratio > *kept))
        kept = ratio;
    }
  }
  for (auto [index, axis] : llvm::enumerate(axes)) {
    int64_t &size = (*shape)[axis];
    if (sizes && policy != "stretch") {
      double rounded = kept ? *kept * double(size) + 0.5 : 0.0;
      size = kept && rounded < double(kInt64Max / 2)
                 ? static_cast<int64_t>(rounded)
                 : ShapedType::kDynamic;
    } else if (sizes) {
      size = (*sizes)[index];
    } else if (scales) {
      double scale = (*scales)[index];
      if (!(scale > 0))
        return emitOptionalError(loc, "scales entry ", scale, " for axis ",
                                 axis, " is not positive");
      if (ShapedType::isDynamic(size))
        continue;
      // In f32, as ONNX shape inference and ONNX Runtime compute it.
      float scaled = static_cast<float>(size) * static_cast<float>(scale);
      size = scaled < static_cast<float>(kInt64Max / 2)
                 ? static_cast<int64_t>(std::floor(scaled))
                 : ShapedType::kDynamic;
    } else {
      size = ShapedType::kDynamic;
    }
  }
  types.push_back(RankedTensorType::get(*shape, *elementType));
  return success();
}

LogicalResult ResizeOp::verify() {
  auto unsupported = [&](StringRef name, StringRef value, StringRef supported) {
    return emitOpError(name)
           << " '" << value << "' is not supported (" << supported << ")";
  };
  StringRef mode = getMode();
  if (!llvm::is_contained({"nearest", "linear", "cubic"}, mode))
    return unsupported("mode", mode, "nearest, linear, cubic");
  StringRef coordinates = getCoordinateTransformationMode();
  if (!llvm::is_contained({"half_pixel", "asymmetric", "align_corners",
                           "pytorch_half_pixel", "half_pixel_symmetric",
                           "tf_crop_and_resize"},
                          coordinates))
    return unsupported("coordinate_transformation_mode", coordinates,
                       "half_pixel, asymmetric, align_corners, "
                       "pytorch_half_pixel, half_pixel_symmetric, "
                       "tf_crop_and_resize");
  StringRef nearest = getNearestMode();
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          nearest))
    return unsupported("nearest_mode", nearest,
                       "round_prefer_floor, round_prefer_ceil, floor, ceil");
  StringRef policy = getKeepAspectRatioPolicy();
  if (!llvm::is_contained({"stretch", "not_larger", "not_smaller"}, policy))
    return unsupported("keep_aspect_ratio_policy", policy,
                       "stretch, not_larger, not_smaller");
  if (getAntialias() != 0 && mode == "nearest")
    return emitOpError("antialias needs mode linear or cubic");
  if (coordinates == "tf_crop_and_resize" && !isGiven(getRoi()))
    return emitOpError("tf_crop_and_resize needs roi");
  return success();
}

OpFoldResult ResizeOp::fold(FoldAdaptor) {
  // Same sizes mean scale 1, which every mode maps to the input but for
  // tf_crop_and_resize's crop; explicit scales must be exactly 1 (a scale
  // of 1.01 keeps small sizes but moves the sampling points).
  if (getX().getType() != getType() || !getType().hasStaticShape() ||
      getCoordinateTransformationMode() == "tf_crop_and_resize")
    return {};
  if (isGiven(getSizes()))
    return getX();
  std::optional<SmallVector<double>> scales = getConstantFloats(getScales());
  if (scales && llvm::all_of(*scales, [](double s) { return s == 1.0; }))
    return getX();
  return {};
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(getTensorElementType(loc, adaptor.getData(), "data")))
    return failure();
  int64_t length = ShapedType::kDynamic;
  if (auto type = dyn_cast<RankedTensorType>(adaptor.getData().getType())) {
    auto [first, last] =
        getShapeRange(type.getRank(), adaptor.getStart(), adaptor.getEnd());
    length = last - first;
  }
  types.push_back(
      RankedTensorType::get({length}, IntegerType::get(context, 64)));
  return success();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = getFoldableType(getType());
  if (!dataType || !type)
    return {};
  auto [first, last] = getShapeRange(dataType.getRank(), getStart(), getEnd());
  ArrayRef<int64_t> sizes = dataType.getShape().slice(first, last - first);
  if (llvm::any_of(sizes, ShapedType::isDynamic) ||
      type.getNumElements() != static_cast<int64_t>(sizes.size()) ||
      !type.getElementType().isInteger(64))
    return {};
  return DenseElementsAttr::get(type, sizes);
}

//===----------------------------------------------------------------------===//
// Size
//===----------------------------------------------------------------------===//

LogicalResult SizeOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(getTensorElementType(loc, adaptor.getData(), "data")))
    return failure();
  types.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
  return success();
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = getFoldableType(getType());
  if (!dataType || !type || !type.getElementType().isInteger(64))
    return {};
  std::optional<int64_t> count = staticProduct(dataType.getShape());
  if (!count)
    return {};
  return DenseElementsAttr::get(type, *count);
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

namespace {
/// What Slice takes along one data axis, as raw ONNX parameters (nullopt:
/// not constant). The default, 0 to INT64_MAX by 1, is the whole axis.
struct SliceWindow {
  std::optional<int64_t> start = 0, end = kInt64Max, step = 1;

  bool isWhole() const { return start == 0 && end == kInt64Max && step == 1; }
};
} // namespace

/// Slice's window on every data axis; nullopt when the sliced axes are not
/// known, failure on inconsistent parameters.
static FailureOr<std::optional<SmallVector<SliceWindow>>>
getSliceWindows(std::optional<Location> loc, int64_t rank, Value startsValue,
                Value endsValue, Value axesValue, Value stepsValue) {
  struct List {
    StringRef name;
    Value value;
    std::optional<SmallVector<int64_t>> ints;
  };
  List lists[] = {{"starts", startsValue, getConstantInts(startsValue)},
                  {"ends", endsValue, getConstantInts(endsValue)},
                  {"axes", axesValue, getConstantInts(axesValue)},
                  {"steps", stepsValue, getConstantInts(stepsValue)}};
  // Every list given has one entry per sliced axis.
  std::optional<int64_t> count;
  StringRef countName;
  for (const List &list : lists) {
    if (isNone(list.value))
      continue;
    std::optional<int64_t> length = getListLength(list.value, list.ints);
    if (!length)
      continue;
    if (count && *count != *length)
      return emitOptionalError(loc, list.name, " has ", *length,
                               " entries but ", countName, " has ", *count);
    count = length;
    countName = list.name;
  }
  auto &[starts, ends, axes, steps] = lists;
  if (!isNone(steps.value) && steps.ints)
    for (auto [index, step] : llvm::enumerate(*steps.ints))
      if (step == 0)
        return emitOptionalError(loc, "steps entry at index ", index, " is 0");

  SmallVector<int64_t> axisList;
  if (!isNone(axes.value)) {
    if (!axes.ints)
      return std::optional<SmallVector<SliceWindow>>();
    axisList = *axes.ints;
  } else {
    if (!count)
      return std::optional<SmallVector<SliceWindow>>();
    axisList = iota(*count);
  }
  if (failed(normalizeAxisList(loc, axisList, rank)))
    return failure();
  SmallVector<SliceWindow> windows(rank);
  auto entry = [](const List &list, size_t i,
                  std::optional<int64_t> absent) -> std::optional<int64_t> {
    if (isNone(list.value))
      return absent;
    return list.ints ? std::optional<int64_t>((*list.ints)[i]) : std::nullopt;
  };
  for (auto [i, axis] : llvm::enumerate(axisList)) {
    windows[axis].start = entry(starts, i, std::nullopt);
    windows[axis].end = entry(ends, i, std::nullopt);
    windows[axis].step = entry(steps, i, 1);
  }
  return std::optional<SmallVector<SliceWindow>>(std::move(windows));
}

/// The first position Slice reads along an axis of static `size` and the
/// number of positions, after ONNX's counting from the end and clamping.
static std::pair<int64_t, int64_t>
resolveSliceWindow(int64_t size, int64_t start, int64_t end, int64_t step) {
  if (size == 0)
    return {0, 0};
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, 0, size);
    return {start, end > start ? ceilDiv(end - start, step) : 0};
  }
  // Negative steps walk down from at most size - 1 to at least -1
  // (exclusive), i.e. down to position 0.
  start = std::clamp<int64_t>(start, 0, size - 1);
  end = std::clamp<int64_t>(end, -1, size - 1);
  uint64_t magnitude = static_cast<uint64_t>(-(step + 1)) + 1;
  return {start, start > end ? ceilDiv(start - end, magnitude) : 0};
}

/// Whether `window` takes the whole of an axis of `size` (a dynamic size
/// only when the window is the default one).
static bool takesWholeAxis(const SliceWindow &window, int64_t size) {
  if (window.isWhole())
    return true;
  return !ShapedType::isDynamic(size) && window.start && window.end &&
         window.step == 1 &&
         resolveSliceWindow(size, *window.start, *window.end, 1) ==
             std::make_pair<int64_t, int64_t>(0, int64_t(size));
}

/// The input of `concat` that `windows` take exactly, by 1 along the
/// concatenation axis and whole along the others; null for none. A model
/// that stacks per-layer results and returns a slice of them reads one
/// layer's result directly then, and the others may go.
static Value takenConcatInput(ConcatOp concat, ArrayRef<SliceWindow> windows) {
  auto type = dyn_cast<RankedTensorType>(concat.getType());
  if (!type || type.getRank() != int64_t(windows.size()))
    return {};
  int64_t axis = concat.getAxis() < 0 ? concat.getAxis() + type.getRank()
                                      : concat.getAxis();
  if (axis < 0 || axis >= type.getRank() || type.isDynamicDim(axis))
    return {};
  for (auto [d, window] : llvm::enumerate(windows))
    if (int64_t(d) != axis && !takesWholeAxis(window, type.getDimSize(d)))
      return {};
  const SliceWindow &along = windows[axis];
  if (!along.start || !along.end || along.step != 1)
    return {};
  auto [start, count] =
      resolveSliceWindow(type.getDimSize(axis), *along.start, *along.end, 1);
  int64_t offset = 0;
  for (Value input : concat.getInputs()) {
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!inputType || inputType.isDynamicDim(axis))
      return {};
    int64_t size = inputType.getDimSize(axis);
    if (offset == start && size == count)
      return input;
    offset += size;
  }
  return {};
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getStarts(), "starts")) ||
      failed(verifyIndexList(loc, adaptor.getEnds(), "ends")) ||
      failed(verifyIndexList(loc, adaptor.getAxes(), "axes",
                             /*optional=*/true)) ||
      failed(verifyIndexList(loc, adaptor.getSteps(), "steps",
                             /*optional=*/true)))
    return failure();
  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getData());
  if (!shape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  FailureOr<std::optional<SmallVector<SliceWindow>>> windows =
      getSliceWindows(loc, shape->size(), adaptor.getStarts(),
                      adaptor.getEnds(), adaptor.getAxes(), adaptor.getSteps());
  if (failed(windows))
    return failure();
  for (auto [d, size] : llvm::enumerate(*shape)) {
    if (!*windows) {
      size = ShapedType::kDynamic;
      continue;
    }
    const SliceWindow &window = (**windows)[d];
    if (window.isWhole())
      continue;
    if (ShapedType::isDynamic(size) || !window.start || !window.end ||
        !window.step) {
      size = ShapedType::kDynamic;
      continue;
    }
    size = resolveSliceWindow(size, *window.start, *window.end, *window.step)
               .second;
  }
  types.push_back(RankedTensorType::get(*shape, *elementType));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  if (!dataType)
    return {};
  FailureOr<std::optional<SmallVector<SliceWindow>>> windows =
      getSliceWindows(std::nullopt, dataType.getRank(), getStarts(), getEnds(),
                      getAxes(), getSteps());
  if (failed(windows) || !*windows ||
      llvm::any_of(**windows, [](const SliceWindow &w) {
        return !w.start || !w.end || !w.step;
      }))
    return {};

  // Taking everything: every window whole, or covering a static axis by 1.
  bool whole = llvm::all_of(llvm::zip(**windows, dataType.getShape()),
                            [](auto windowAndSize) {
                              auto [window, size] = windowAndSize;
                              return takesWholeAxis(window, size);
                            });
  if (whole && getData().getType() == getType())
    return getData();
  if (auto concat = getData().getDefiningOp<ConcatOp>())
    if (Value input = takenConcatInput(concat, **windows);
        input && input.getType() == getType())
      return input;

  RankedTensorType type = getFoldableType(getType());
  if (!type || !dataType.hasStaticShape())
    return {};
  std::optional<SmallVector<AxisMap>> maps = getIdentityMaps(
      dataType.getShape(),
      /*constantSource=*/bool(asDenseElements(adaptor.getData())));
  if (!maps)
    return {};
  for (auto [d, window] : llvm::enumerate(**windows)) {
    auto [start, count] = resolveSliceWindow(
        dataType.getDimSize(d), *window.start, *window.end, *window.step);
    (*maps)[d].positions.clear();
    for (int64_t i = 0; i < count; ++i)
      (*maps)[d].positions.push_back(start + i * *window.step);
  }
  return foldView(getData(), adaptor.getData(), type, *maps);
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getInput(), "input");
  Value splitValue = adaptor.getSplitInput();
  if (failed(elementType) ||
      failed(verifyIndexList(loc, splitValue, "split", /*optional=*/true)))
    return failure();
  std::optional<int64_t> numOutputs = adaptor.getNumOutputs();
  if (numOutputs && *numOutputs < 1)
    return emitOptionalError(loc, "num_outputs must be positive, got ",
                             *numOutputs);

  // The number of results: split's length, else num_outputs.
  std::optional<SmallVector<int64_t>> split;
  int64_t count;
  constexpr int64_t kMaxOutputs = 1 << 16;
  if (isNone(splitValue)) {
    if (!numOutputs)
      return emitOptionalError(loc,
                               "num_outputs must be set when split is absent");
    count = *numOutputs;
  } else {
    split = getConstantInts(splitValue);
    std::optional<int64_t> length = getListLength(splitValue, split);
    if (length && numOutputs && *length != *numOutputs)
      return emitOptionalError(loc, "split has ", *length,
                               " entries but num_outputs is ", *numOutputs);
    if (!length && !numOutputs)
      return emitOptionalError(loc, "the number of outputs is unknown: split "
                                    "has no static length and num_outputs is "
                                    "not set");
    count = length ? *length : *numOutputs;
    if (split && failed(verifyNonNegative(loc, *split, "split")))
      return failure();
  }
  if (count > kMaxOutputs)
    return emitOptionalError(loc, "cannot split into ", count,
                             " outputs (at most ", kMaxOutputs, ")");

  std::optional<SmallVector<int64_t>> shape =
      getRankedShape(adaptor.getInput());
  if (!shape) {
    types.append(count, UnrankedTensorType::get(*elementType));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxisAttr(loc, adaptor.getAxis(), shape->size());
  if (failed(axis))
    return failure();
  int64_t size = (*shape)[*axis];
  SmallVector<int64_t> sizes(count, ShapedType::kDynamic);
  if (split) {
    std::optional<int64_t> total = 0;
    for (int64_t part : *split)
      total = total ? llvm::checkedAdd(*total, part) : std::nullopt;
    if (!ShapedType::isDynamic(size) && total != size)
      return emitOptionalError(loc, "split ", formatShape(*split), " sums to ",
                               total ? std::to_string(*total)
                                     : "more than "
                                       "INT64_MAX",
                               " but axis ", *axis, " has size ", size);
    sizes.assign(*split);
  } else if (isNone(splitValue) && !ShapedType::isDynamic(size)) {
    // Opset 18: parts of ceil(size / n), the last one smaller.
    int64_t part = ceilDiv(size, count);
    std::optional<int64_t> others = llvm::checkedMul(part, count - 1);
    int64_t last = others ? size - *others : -1;
    if (last < 0)
      return emitOptionalError(loc, "axis ", *axis, " of size ", size,
                               " cannot be split into ", count,
                               " parts of at most ", part);
    sizes.assign(count, part);
    sizes.back() = last;
  }
  for (int64_t partSize : sizes) {
    (*shape)[*axis] = partSize;
    types.push_back(RankedTensorType::get(*shape, *elementType));
  }
  return success();
}

LogicalResult SplitOp::fold(FoldAdaptor adaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() == 1 && getInput().getType() == getType(0)) {
    results.push_back(getInput());
    return success();
  }
  DenseElementsAttr data = asDenseElements(adaptor.getInput());
  if (!data)
    return failure();
  ArrayRef<int64_t> shape = data.getType().getShape();
  std::optional<int64_t> axis = normalizeAxis(getAxis(), shape.size());
  if (!axis)
    return failure();
  // Each part reads the positions after the previous parts.
  SmallVector<OpFoldResult> folded;
  int64_t offset = 0;
  for (Type resultType : getResultTypes()) {
    RankedTensorType type = getFoldableType(resultType);
    if (!type || type.getRank() != static_cast<int64_t>(shape.size()))
      return failure();
    std::optional<SmallVector<AxisMap>> maps =
        getIdentityMaps(shape, /*constantSource=*/true);
    if (!maps)
      return failure();
    int64_t partSize = type.getDimSize(*axis);
    (*maps)[*axis].positions = iota(partSize, offset);
    offset += partSize;
    if (offset > shape[*axis])
      return failure();
    DenseElementsAttr part = copyElements(data, type, *maps);
    if (!part)
      return failure();
    folded.push_back(part);
  }
  results.append(folded.begin(), folded.end());
  return success();
}

//===----------------------------------------------------------------------===//
// Squeeze
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  Value axesValue = adaptor.getAxesInput();
  if (failed(elementType) ||
      failed(verifyIndexList(loc, axesValue, "axes", /*optional=*/true)))
    return failure();
  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getData());
  if (!shape) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  int64_t rank = shape->size();
  SmallVector<int64_t> result;
  if (isNone(axesValue)) {
    // Every size-1 dimension goes; a dynamic one might.
    if (llvm::any_of(*shape, ShapedType::isDynamic)) {
      types.push_back(UnrankedTensorType::get(*elementType));
      return success();
    }
    llvm::copy_if(*shape, std::back_inserter(result),
                  [](int64_t size) { return size != 1; });
    types.push_back(RankedTensorType::get(result, *elementType));
    return success();
  }
  std::optional<SmallVector<int64_t>> axes = getConstantInts(axesValue);
  if (!axes) {
    std::optional<int64_t> length = getListLength(axesValue, std::nullopt);
    if (length && *length > rank)
      return emitOptionalError(loc, "axes has ", *length,
                               " entries but data has rank ", rank);
    types.push_back(getDynamicTensorType(
        length ? std::optional<int64_t>(rank - *length) : std::nullopt,
        *elementType));
    return success();
  }
  if (failed(normalizeAxisList(loc, *axes, rank)))
    return failure();
  for (int64_t axis : *axes)
    if ((*shape)[axis] != 1 && !ShapedType::isDynamic((*shape)[axis]))
      return emitOptionalError(loc, "cannot squeeze axis ", axis, " of size ",
                               (*shape)[axis]);
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(*axes, d))
      result.push_back((*shape)[d]);
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  // Same type: the same rank, so nothing was removed.
  if (getData().getType() == getType())
    return getData();
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}

//===----------------------------------------------------------------------===//
// Tile
//===----------------------------------------------------------------------===//

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getInput(), "input");
  if (failed(elementType) ||
      failed(verifyIndexList(loc, adaptor.getRepeats(), "repeats")))
    return failure();
  std::optional<SmallVector<int64_t>> repeats =
      getConstantInts(adaptor.getRepeats());
  std::optional<int64_t> length = getListLength(adaptor.getRepeats(), repeats);
  std::optional<SmallVector<int64_t>> shape =
      getRankedShape(adaptor.getInput());
  if (repeats && failed(verifyNonNegative(loc, *repeats, "repeats")))
    return failure();
  if (shape && length && *length != static_cast<int64_t>(shape->size()))
    return emitOptionalError(loc, "repeats has ", *length,
                             " entries but input has rank ", shape->size());
  if (!shape) {
    if (!length) {
      types.push_back(UnrankedTensorType::get(*elementType));
      return success();
    }
    shape = SmallVector<int64_t>(*length, ShapedType::kDynamic);
  }
  for (auto [d, size] : llvm::enumerate(*shape)) {
    if (!repeats) {
      if (size != 0)
        size = ShapedType::kDynamic;
      continue;
    }
    int64_t repeat = (*repeats)[d];
    if (repeat == 0 || size == 0) {
      size = 0;
      continue;
    }
    std::optional<int64_t> tiled = ShapedType::isDynamic(size)
                                       ? std::nullopt
                                       : llvm::checkedMul(size, repeat);
    size = tiled.value_or(ShapedType::kDynamic);
  }
  types.push_back(RankedTensorType::get(*shape, *elementType));
  return success();
}

OpFoldResult TileOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = asDenseElements(adaptor.getInput());
  RankedTensorType type = getFoldableType(getType());
  if (!data || !type || type.getRank() != data.getType().getRank())
    return {};
  // Output position i along an axis reads input position i % size; the
  // result type already holds size * repeats.
  ArrayRef<int64_t> shape = data.getType().getShape();
  std::optional<SmallVector<AxisMap>> maps =
      getIdentityMaps(shape, /*constantSource=*/true);
  if (!maps)
    return {};
  for (auto [d, map] : llvm::enumerate(*maps)) {
    int64_t size = type.getDimSize(d);
    if (size != 0 && (shape[d] == 0 || size % shape[d] != 0))
      return {};
    map.positions.clear();
    for (int64_t i = 0; i < size; ++i)
      map.positions.push_back(i % shape[d]);
  }
  return copyElements(data, type, *maps);
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  if (failed(elementType))
    return failure();
  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getData());
  std::optional<ArrayRef<int64_t>> perm = adaptor.getPerm();
  if (perm) {
    SmallVector<bool> seen(perm->size(), false);
    for (int64_t axis : *perm) {
      if (axis < 0 || axis >= static_cast<int64_t>(perm->size()) || seen[axis])
        return emitOptionalError(loc, "perm ", formatShape(*perm),
                                 " is not a permutation of [0, ", perm->size(),
                                 ")");
      seen[axis] = true;
    }
    if (shape && shape->size() != perm->size())
      return emitOptionalError(loc, "perm has ", perm->size(),
                               " entries but data has rank ", shape->size());
  }
  if (!shape) {
    types.push_back(getDynamicTensorType(
        perm ? std::optional<int64_t>(perm->size()) : std::nullopt,
        *elementType));
    return success();
  }
  SmallVector<int64_t> result;
  for (size_t i = 0; i < shape->size(); ++i)
    result.push_back(perm ? (*shape)[(*perm)[i]]
                          : (*shape)[shape->size() - 1 - i]);
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  if (!dataType)
    return {};
  int64_t rank = dataType.getRank();
  SmallVector<int64_t> perm =
      getPerm() ? llvm::to_vector(*getPerm()) : iota(rank);
  if (!getPerm())
    std::reverse(perm.begin(), perm.end());
  if (static_cast<int64_t>(perm.size()) != rank)
    return {};
  if (perm == iota(rank) && getData().getType() == getType())
    return getData();
  // Two transposes that undo each other (raising transposes a weight that
  // the exporter had transposed) leave the original value.
  if (auto inner = getData().getDefiningOp<TransposeOp>();
      inner && inner.getPerm() && inner.getData().getType() == getType()) {
    ArrayRef<int64_t> innerPerm = *inner.getPerm();
    if (static_cast<int64_t>(innerPerm.size()) == rank &&
        llvm::all_of(llvm::seq<int64_t>(0, rank), [&](int64_t i) {
          return perm[i] >= 0 && perm[i] < rank && innerPerm[perm[i]] == i;
        }))
      return inner.getData();
  }
  DenseElementsAttr data = asDenseElements(adaptor.getData());
  if (!data)
    return {};
  RankedTensorType type = getFoldableType(getType(), data.getNumElements());
  if (!type)
    return {};
  // Output dimension i walks input dimension perm[i].
  std::optional<SmallVector<AxisMap>> inputMaps =
      getIdentityMaps(dataType.getShape(), /*constantSource=*/true);
  if (!inputMaps)
    return {};
  SmallVector<AxisMap> maps;
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= rank)
      return {};
    maps.push_back((*inputMaps)[axis]);
  }
  return copyElements(data, type, maps);
}

//===----------------------------------------------------------------------===//
// Unsqueeze
//===----------------------------------------------------------------------===//

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  FailureOr<Type> elementType =
      getTensorElementType(loc, adaptor.getData(), "data");
  Value axesValue = adaptor.getAxesInput();
  // torch's dynamo exporter may give one axis as a scalar, which
  // onnxruntime takes too: the list of that axis.
  auto axesType = dyn_cast<RankedTensorType>(axesValue.getType());
  bool scalarAxis = axesType && axesType.getRank() == 0 &&
                    isa<IntegerType>(axesType.getElementType());
  if (failed(elementType) ||
      (!scalarAxis && failed(verifyIndexList(loc, axesValue, "axes"))))
    return failure();
  std::optional<SmallVector<int64_t>> shape = getRankedShape(adaptor.getData());
  std::optional<SmallVector<int64_t>> axes = getConstantInts(axesValue);
  std::optional<int64_t> length =
      scalarAxis ? std::optional<int64_t>(1) : getListLength(axesValue, axes);
  if (!shape || !length) {
    types.push_back(UnrankedTensorType::get(*elementType));
    return success();
  }
  // Axes index the output.
  int64_t rank = shape->size() + *length;
  if (!axes) {
    types.push_back(getDynamicTensorType(rank, *elementType));
    return success();
  }
  if (failed(normalizeAxisList(loc, *axes, rank, "output rank")))
    return failure();
  SmallVector<int64_t> result;
  const int64_t *next = shape->begin();
  for (int64_t d = 0; d < rank; ++d)
    result.push_back(llvm::is_contained(*axes, d) ? 1 : *next++);
  types.push_back(RankedTensorType::get(result, *elementType));
  return success();
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  // Same type: the same rank, so nothing was inserted.
  if (getData().getType() == getType())
    return getData();
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}
