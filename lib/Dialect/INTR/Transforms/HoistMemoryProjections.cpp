//===- HoistMemoryProjections.cpp - One GEMM for every layer's K and V ----===//
//
// Every decoder layer projects the same memory into its keys and values.
// Stacking the layers' key and value weights gives one linear of N = 2 L D
// outputs that computes them all at once; each layer's attention then reads
// its slices of the result in place.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/MapVector.h"

namespace intr {
#define GEN_PASS_DEF_INTRHOISTMEMORYPROJECTIONSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// The stacked key and value weights and biases of a group of layers, or
/// nothing when one of them is not an f32 constant.
struct StackedProjections {
  SmallVector<float> weight; // [2 L D, D]: K of layer 0, V of layer 0, ...
  SmallVector<float> bias;   // [2 L D]
};

std::optional<StackedProjections>
stackProjections(ArrayRef<ClassAttentionOp> layers) {
  StackedProjections stacked;
  for (ClassAttentionOp op : layers)
    for (auto [weight, bias] : {std::pair(op.getKWeight(), op.getKBias()),
                                std::pair(op.getVWeight(), op.getVBias())}) {
      std::optional<SmallVector<float>> w = readConstantFloats(weight);
      std::optional<SmallVector<float>> b = readConstantFloats(bias);
      if (!w || !b)
        return std::nullopt;
      stacked.weight.append(w->begin(), w->end());
      stacked.bias.append(b->begin(), b->end());
    }
  return stacked;
}

struct INTRHoistMemoryProjectionsPass
    : public intr::impl::INTRHoistMemoryProjectionsPassBase<
          INTRHoistMemoryProjectionsPass> {
  void runOnOperation() override;
};

void INTRHoistMemoryProjectionsPass::runOnOperation() {
  // Layers that attend to the same memory with the same mask, in order.
  // Masks compare by value when they are constants (each layer may have
  // its own copy of the folded mask).
  llvm::MapVector<std::pair<Value, const void *>,
                  SmallVector<ClassAttentionOp>>
      groups;
  getOperation().walk([&](ClassAttentionOp op) {
    const void *mask = op.getKeyPaddingMask().getAsOpaquePointer();
    Attribute constantMask;
    if (op.getKeyPaddingMask() &&
        matchPattern(op.getKeyPaddingMask(), m_Constant(&constantMask)))
      mask = constantMask.getAsOpaquePointer();
    groups[{op.getMemory(), mask}].push_back(op);
  });

  OpBuilder builder(&getContext());
  for (auto &[key, layers] : groups) {
    Value memory = key.first;
    auto memoryType = cast<RankedTensorType>(memory.getType());
    if (!memoryType.hasStaticShape() || !memoryType.getElementType().isF32())
      continue;
    std::optional<StackedProjections> stacked = stackProjections(layers);
    if (!stacked)
      continue;
    int64_t featureSize = memoryType.getShape().back();
    int64_t outputs = 2 * featureSize * static_cast<int64_t>(layers.size());

    // The one linear sits where the memory is ready.
    if (Operation *def = memory.getDefiningOp())
      builder.setInsertionPointAfter(def);
    else
      builder.setInsertionPointToStart(memory.getParentBlock());
    Location loc = layers.front().getLoc();
    Value weight = createFloatConstant(builder, loc, {outputs, featureSize},
                                       stacked->weight);
    Value bias = createFloatConstant(builder, loc, {outputs}, stacked->bias);
    Value kv = builder.create<LinearOp>(
        loc, memory, weight, bias, builder.getBoolAttr(true),
        builder.getStringAttr("none"));

    for (auto [index, op] : llvm::enumerate(layers)) {
      builder.setInsertionPoint(op);
      Value queries = builder.create<LinearOp>(
          op.getLoc(), op.getQueries(), op.getQWeight(), op.getQBias(),
          builder.getBoolAttr(true), builder.getStringAttr("none"));
      int64_t keyOffset = 2 * featureSize * static_cast<int64_t>(index);
      auto attention = builder.create<ClassAttentionKVOp>(
          op.getLoc(), op->getResultTypes(), queries, kv, op.getOutWeight(),
          op.getOutBias(), op.getKeyPaddingMask(), op.getNumHeadsAttr(),
          op.getScaleAttr(), op.getFeatureMapAttr(),
          builder.getI64IntegerAttr(keyOffset),
          builder.getI64IntegerAttr(keyOffset + featureSize));
      op->replaceAllUsesWith(attention->getResults());
      op->erase();
    }
  }
}

} // namespace
