//===- ONNXShapeUtils.cpp - Shapes and constants of onnx ops --------------===//

#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace intr::onnx {

bool areCompatibleResultTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [expected, given] : llvm::zip(inferred, actual)) {
    if (getElementTypeOrSelf(expected) != getElementTypeOrSelf(given))
      return false;
    if (isa<ShapedType>(expected) != isa<ShapedType>(given))
      return false;
    if (isa<ShapedType>(expected) &&
        failed(verifyCompatibleShape(expected, given)) &&
        cast<ShapedType>(expected).hasRank() &&
        cast<ShapedType>(given).hasRank())
      return false;
  }
  return true;
}

LogicalResult inferResultTypes(InferTypeOpInterface op,
                               SmallVectorImpl<Type> &types) {
  Operation *operation = op.getOperation();
  if (failed(op.inferReturnTypes(
          operation->getContext(), operation->getLoc(),
          operation->getOperands(), operation->getRawDictionaryAttrs(),
          operation->getPropertiesStorage(), operation->getRegions(), types)))
    return failure();
  return success(types.size() == operation->getNumResults());
}

FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the trailing dimension; missing leading sizes are 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (ShapedType::isDynamic(a))
      result[i] = b;
    else if (ShapedType::isDynamic(b) || a == b)
      result[i] = a;
    else
      return failure();
  }
  return result;
}

ArrayRef<int64_t> shapeOf(Value value) {
  if (auto type = dyn_cast<RankedTensorType>(value.getType()))
    return type.getShape();
  return {};
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

DenseElementsAttr getConstantElements(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return nullptr;
  return dyn_cast<DenseElementsAttr>(attr);
}

DenseElementsAttr asDenseElements(Attribute attr) {
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr);
  if (!resource || resource.getType().getElementType().isInteger(1))
    return nullptr;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return nullptr;
  ArrayRef<char> bytes = blob->getData();
  ShapedType type = resource.getType();
  int64_t bits = type.getElementTypeBitWidth();
  if (static_cast<int64_t>(bytes.size()) * 8 != type.getNumElements() * bits)
    return nullptr;
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

std::optional<SmallVector<int64_t>> getConstantInts(Value value) {
  return integerElements(getConstantElements(value));
}

std::optional<SmallVector<int64_t>>
integerElements(DenseElementsAttr elements) {
  if (!elements || !isa<IntegerType>(elements.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> result;
  result.reserve(elements.getNumElements());
  bool isUnsigned = elements.getElementType().isUnsignedInteger();
  for (const APInt &element : elements.getValues<APInt>())
    result.push_back(isUnsigned ? static_cast<int64_t>(element.getZExtValue())
                                : element.getSExtValue());
  return result;
}

std::optional<double> getConstantScalar(Value value) {
  DenseElementsAttr elements = getConstantElements(value);
  if (!elements || elements.getNumElements() != 1)
    return std::nullopt;
  if (isa<IntegerType>(elements.getElementType()))
    return static_cast<double>(integerElements(elements)->front());
  if (!isa<FloatType>(elements.getElementType()))
    return std::nullopt;
  return (*elements.value_begin<APFloat>()).convertToDouble();
}

std::optional<SmallVector<int64_t>>
getReduceAxes(std::optional<ArrayRef<int64_t>> attr, Value input) {
  if (attr)
    return SmallVector<int64_t>(*attr);
  if (!input || !isa<TensorType>(input.getType()))
    return SmallVector<int64_t>();
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(input))
    return values;
  if (ArrayRef<int64_t> shape = shapeOf(input);
      shape.size() == 1 && shape[0] == 0)
    return SmallVector<int64_t>();
  return std::nullopt;
}

TensorType makeTensorType(std::optional<ArrayRef<int64_t>> shape,
                          Type elementType) {
  if (!shape)
    return UnrankedTensorType::get(elementType);
  return RankedTensorType::get(*shape, elementType);
}

} // namespace intr::onnx
