//===- ONNXMathOps.cpp - Arithmetic and neural network ops ----------------===//

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace intr::onnx;

LogicalResult MatMulOp::verify() {
  auto lhs = dyn_cast<RankedTensorType>(getA().getType());
  auto rhs = dyn_cast<RankedTensorType>(getB().getType());
  if (!lhs || !rhs)
    return success();
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitOpError("operands must have rank 1 or more, got ranks ")
           << lhs.getRank() << " and " << rhs.getRank();
  // A 1-D operand is a vector: A contracts its last size, B its first (1-D)
  // or second-to-last size.
  int64_t lhsSize = lhs.getShape().back();
  int64_t rhsSize = rhs.getRank() == 1 ? rhs.getShape()[0]
                                       : rhs.getShape()[rhs.getRank() - 2];
  if (!ShapedType::isDynamic(lhsSize) && !ShapedType::isDynamic(rhsSize) &&
      lhsSize != rhsSize)
    return emitOpError("contracted sizes differ: A has ")
           << lhsSize << " columns, B has " << rhsSize << " rows";
  return success();
}

LogicalResult SoftmaxOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type)
    return success();
  int64_t rank = type.getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  return success();
}

