//===- ONNXConstants.cpp - Reading and making weight constants -----------===//

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

std::optional<SmallVector<float>> intr::readConstantFloats(Value value) {
  // Raising transposes [K, N] weights into [N, K] and [L, B, D] constants
  // into [B, L, D]; read through it.
  if (auto transpose = value ? value.getDefiningOp<onnx::TransposeOp>()
                             : onnx::TransposeOp()) {
    auto type = dyn_cast<RankedTensorType>(transpose.getData().getType());
    std::optional<SmallVector<float>> data =
        readConstantFloats(transpose.getData());
    if (!type || !type.hasStaticShape() || !data || !transpose.getPerm() ||
        static_cast<int64_t>(transpose.getPerm()->size()) != type.getRank())
      return std::nullopt;
    ArrayRef<int64_t> perm = *transpose.getPerm();
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    // Row-major strides of the input, taken in the output's dimension order.
    SmallVector<int64_t> inputStrides(rank, 1), outputShape, strides;
    for (int64_t d = rank - 2; d >= 0; --d)
      inputStrides[d] = inputStrides[d + 1] * shape[d + 1];
    for (int64_t axis : perm) {
      if (axis < 0 || axis >= rank)
        return std::nullopt;
      outputShape.push_back(shape[axis]);
      strides.push_back(inputStrides[axis]);
    }
    SmallVector<float> result;
    result.reserve(data->size());
    SmallVector<int64_t> index(rank, 0);
    for (size_t n = 0; n < data->size(); ++n) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += index[d] * strides[d];
      result.push_back((*data)[offset]);
      for (int64_t d = rank - 1; d >= 0 && ++index[d] == outputShape[d]; --d)
        index[d] = 0;
    }
    return result;
  }
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return llvm::to_vector(dense.getValues<float>());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
      ArrayRef<float> data = blob->getDataAs<float>();
      if (static_cast<int64_t>(data.size()) == type.getNumElements())
        return SmallVector<float>(data.begin(), data.end());
    }
  return std::nullopt;
}

Value intr::createFloatConstant(PatternRewriter &rewriter, Location loc,
                                ArrayRef<int64_t> shape,
                                ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  ElementsAttr attr;
  if (values.size() <= 1024)
    attr = DenseElementsAttr::get(type, values);
  else
    attr = DenseResourceElementsAttr::get(
        type, "folded", HeapAsmResourceBlob::allocateAndCopyInferAlign(values));
  return rewriter.create<onnx::ConstantOp>(loc, attr);
}
