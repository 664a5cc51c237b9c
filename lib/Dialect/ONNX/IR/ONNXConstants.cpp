//===- ONNXConstants.cpp - Reading and making weight constants -----------===//

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

std::optional<SmallVector<float>> intr::readConstantFloats(Value value) {
  // Raising transposes [K, N] weights into [N, K]; read through it.
  if (auto transpose = value ? value.getDefiningOp<onnx::TransposeOp>()
                             : onnx::TransposeOp()) {
    auto type = dyn_cast<RankedTensorType>(transpose.getData().getType());
    std::optional<SmallVector<float>> data =
        readConstantFloats(transpose.getData());
    if (!type || type.getRank() != 2 || !data || !transpose.getPerm() ||
        *transpose.getPerm() != ArrayRef<int64_t>{1, 0})
      return std::nullopt;
    int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
    SmallVector<float> result(data->size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < columns; ++c)
        result[c * rows + r] = (*data)[r * columns + c];
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
