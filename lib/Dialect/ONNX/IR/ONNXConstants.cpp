//===- ONNXConstants.cpp - Reading and making constants ------------------===//

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

std::optional<SmallVector<float>> intr::readConstantFloats(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isF32())
    return std::nullopt;
  if (DenseElementsAttr elements = onnx::asDenseElements(attr))
    return llvm::to_vector(elements.getValues<float>());
  return std::nullopt;
}

std::optional<SmallVector<int64_t>> intr::readConstantInts(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return onnx::integerElements(onnx::asDenseElements(attr));
}

std::optional<float> intr::readConstantFloat(Value value) {
  std::optional<SmallVector<float>> values = readConstantFloats(value);
  if (!values || values->size() != 1)
    return std::nullopt;
  return values->front();
}

Value intr::createFloatConstant(OpBuilder &rewriter, Location loc,
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

SmallVector<float> intr::denseRow(ArrayRef<float> row, ArrayRef<float> weight,
                                  ArrayRef<float> bias, int64_t outFeatures,
                                  bool transposed, bool relu) {
  int64_t inFeatures = row.size();
  SmallVector<float> result(outFeatures);
  for (int64_t o = 0; o < outFeatures; ++o) {
    double acc = bias.empty() ? 0.0 : bias[o];
    for (int64_t i = 0; i < inFeatures; ++i)
      acc += double(row[i]) * (transposed ? weight[o * inFeatures + i]
                                          : weight[i * outFeatures + o]);
    result[o] = static_cast<float>(relu && acc < 0 ? 0.0 : acc);
  }
  return result;
}

Type intr::onnxDataType(MLIRContext *context, int64_t code) {
  Builder b(context);
  switch (code) {
  case 1:
    return b.getF32Type();
  case 2:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case 3:
    return b.getIntegerType(8);
  case 4:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case 5:
    return b.getIntegerType(16);
  case 6:
    return b.getIntegerType(32);
  case 7:
    return b.getIntegerType(64);
  case 9:
    return b.getI1Type();
  case 10:
    return b.getF16Type();
  case 11:
    return b.getF64Type();
  case 12:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case 13:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  case 16:
    return b.getBF16Type();
  default:
    return {};
  }
}

std::optional<int64_t> intr::onnxDataTypeNumber(Type type) {
  for (int64_t code = 1; code <= 16; ++code)
    if (Type numbered = onnxDataType(type.getContext(), code);
        numbered && numbered == type)
      return code;
  return std::nullopt;
}

Value intr::createCast(OpBuilder &builder, Location loc, Value value, Type to) {
  std::optional<int64_t> number = onnxDataTypeNumber(to);
  assert(number && "a cast to a type the dialect lacks");
  auto type = cast<ShapedType>(value.getType()).clone(to);
  auto si64 = builder.getIntegerType(64, /*isSigned=*/true);
  return builder.create<onnx::CastOp>(loc, type, value,
                                      builder.getIntegerAttr(si64, *number),
                                      builder.getIntegerAttr(si64, 1));
}

Value intr::createI64Constant(OpBuilder &builder, Location loc,
                              ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    builder.getI64Type());
  return builder.create<onnx::ConstantOp>(loc,
                                          DenseElementsAttr::get(type, values));
}

Value intr::createReshape(OpBuilder &builder, Location loc, Value value,
                          ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(
      shape, cast<ShapedType>(value.getType()).getElementType());
  if (type == value.getType())
    return value;
  return builder.create<onnx::ReshapeOp>(
      loc, type, value, createI64Constant(builder, loc, shape),
      builder.getIntegerAttr(builder.getIntegerType(64, /*isSigned=*/true), 1));
}
