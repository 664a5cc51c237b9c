//===- ONNXOps.cpp - Operations of the onnx dialect -----------------------===//

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"

using namespace mlir;
using namespace intr::onnx;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }

LogicalResult IdentityOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

namespace {

/// The one element of a constant, nullopt when `value` is not a
/// one-element constant of an element type `T` reads.
template <typename T> std::optional<T> constantScalar(Value value) {
  DenseElementsAttr elements = getConstantElements(value);
  if (!elements || elements.getNumElements() != 1)
    return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) {
    if (!elements.getElementType().isInteger(1))
      return std::nullopt;
  } else if (!isa<FloatType>(elements.getElementType())) {
    return std::nullopt;
  }
  return *elements.value_begin<T>();
}

} // namespace

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<TensorType>(adaptor.getData().getType());
  if (!type)
    return emitOptionalError(loc, "input data must be a tensor, got ",
                             adaptor.getData().getType());
  types.push_back(type);
  types.push_back(type.clone(IntegerType::get(context, 1)));
  return success();
}

LogicalResult DropoutOp::verify() {
  if (isa<NoneType>(getTrainingMode().getType()))
    return success();
  std::optional<bool> training = constantScalar<bool>(getTrainingMode());
  if (!training)
    return emitOpError("training_mode must be a constant bool: a compiled "
                       "model runs in inference mode");
  // Training mode drops a random `ratio` of the elements (0.5 when left out).
  std::optional<APFloat> ratio = constantScalar<APFloat>(getRatio());
  if (*training && !(ratio && ratio->isZero()))
    return emitOpError("training mode drops elements at random, which a "
                       "compiled model cannot do; export the model in eval "
                       "mode");
  return success();
}

LogicalResult DropoutOp::fold(FoldAdaptor,
                              SmallVectorImpl<OpFoldResult> &results) {
  // The verifier leaves only the identity: inference mode, or a ratio of 0.
  auto maskType = dyn_cast<RankedTensorType>(getMask().getType());
  if (getData().getType() != getOutput().getType() || !maskType ||
      !maskType.hasStaticShape() || !maskType.getElementType().isInteger(1))
    return failure();
  results.push_back(getData());
  results.push_back(DenseElementsAttr::get(maskType, true));
  return success();
}

#define GET_OP_CLASSES
#include "intr/Dialect/ONNX/IR/ONNXOps.cpp.inc"
