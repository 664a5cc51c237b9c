//===- HalfAttentionMaps.cpp - Return the attention maps in f16 -----------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace intr {
#define GEN_PASS_DEF_INTRHALFATTENTIONMAPSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// ONNX's TensorProto.DataType number of f16.
constexpr int64_t kOnnxFloat16 = 10;

struct INTRHalfAttentionMapsPass
    : public intr::impl::INTRHalfAttentionMapsPassBase<
          INTRHalfAttentionMapsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder builder(returnOp);
    SmallVector<Type> resultTypes(func.getFunctionType().getResults());
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
      auto type = dyn_cast<RankedTensorType>(resultTypes[i]);
      if (!name || (name.getValue() != "attention" &&
                    name.getValue() != "avg_attention") ||
          !type || !type.getElementType().isF32())
        continue;
      auto halfType = type.clone(builder.getF16Type());
      Value map = returnOp.getOperand(i);
      Value half = builder.create<onnx::CastOp>(
          map.getLoc(), halfType, map,
          builder.getIntegerAttr(builder.getIntegerType(64, /*isSigned=*/true),
                                 kOnnxFloat16),
          builder.getIntegerAttr(builder.getIntegerType(64, /*isSigned=*/true),
                                 1));
      returnOp.setOperand(i, half);
      resultTypes[i] = halfType;
    }
    func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
  }
};

} // namespace
