//===- SelectAttentionMaps.cpp - Return only the maps asked for -----------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "AttentionMapResults.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/BitVector.h"

#include <optional>
#include <tuple>

namespace intr {
#define GEN_PASS_DEF_INTRSELECTATTENTIONMAPSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// `maps` with its leading (layer) axis cut to the last layer, [1, ...];
/// `maps` itself when it holds one layer.
Value lastLayerOf(OpBuilder &builder, Location loc, Value maps) {
  auto type = cast<RankedTensorType>(maps.getType());
  int64_t layers = type.getDimSize(0);
  if (layers == 1)
    return maps;
  Value start = createI64Constant(builder, loc, {layers - 1});
  Value end = createI64Constant(builder, loc, {layers});
  Value axis = createI64Constant(builder, loc, {0});
  Value none = builder.create<onnx::NoValueOp>(loc);
  return builder.create<onnx::SliceOp>(loc, maps, start, end, axis, none);
}

/// Whether `type` is maps stacked by decoder layer, of `rank`: [L, B, H,
/// C, T] (attention) or [L, B, C, T] (avg_attention), L static.
bool isStackedMaps(Type type, int64_t rank) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.getRank() == rank && !ranked.isDynamicDim(0);
}

struct INTRSelectAttentionMapsPass
    : public intr::impl::INTRSelectAttentionMapsPassBase<
          INTRSelectAttentionMapsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder builder(returnOp);
    auto [perHead, mean] = findAttentionMapResults(func);
    // The maps the function returns must be what the options speak of.
    const std::tuple<std::optional<unsigned>, const char *, int64_t> maps[] = {
        {perHead, "attention", 5}, {mean, "avg_attention", 4}};
    for (auto [index, name, rank] : maps)
      if (index && !isStackedMaps(func.getResultTypes()[*index], rank)) {
        func.emitError() << "the result '" << name << "' is "
                         << func.getResultTypes()[*index]
                         << ", not maps stacked by decoder layer (rank " << rank
                         << ", the layer count static)";
        return signalPassFailure();
      }
    if (headMean && !mean) {
      func.emitError() << "the function returns no head mean "
                          "('avg_attention') to keep in place of every "
                          "head's maps";
      return signalPassFailure();
    }

    if (lastLayer)
      for (std::optional<unsigned> index : {perHead, mean})
        if (index)
          // The layer axis stays, of size 1: readers index the maps as
          // before.
          returnOp.setOperand(*index, lastLayerOf(builder, returnOp.getLoc(),
                                                  returnOp.getOperand(*index)));
    llvm::BitVector dropped(func.getNumResults());
    if (headMean && perHead)
      dropped.set(*perHead);
    returnOp->eraseOperands(dropped);
    func.eraseResults(dropped);
    func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                         returnOp.getOperandTypes()));
  }
};

} // namespace
