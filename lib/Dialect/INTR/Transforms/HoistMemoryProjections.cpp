//===- HoistMemoryProjections.cpp - One GEMM for every layer's K and V ----===//
//
// Every decoder layer projects the same memory into its keys and values.
// Stacking the layers' key and value weights gives one linear of N = 2 L D
// outputs that computes them all at once; each layer's attention then reads
// its slices of the result in place. A layer raised as an mha (its maps not
// returned) joins its class-attention neighbours.
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

/// One decoder layer's cross-attention over the memory: a class attention,
/// or an mha whose keys and values are both the memory (a layer whose maps
/// nobody reads, raised without them).
struct Layer {
  Value queries, qWeight, qBias, kWeight, kBias, vWeight, vBias;
  Value outWeight, outBias, mask;
  IntegerAttr numHeads;
  FloatAttr scale;

  /// Read when needed: rewriting a layer changes the next one's queries.
  static Layer of(Operation *op) {
    if (auto attention = dyn_cast<ClassAttentionOp>(op))
      return of(attention);
    return of(cast<MHAOp>(op));
  }
  static Layer of(ClassAttentionOp op) {
    return {op.getQueries(),        op.getQWeight(),      op.getQBias(),
            op.getKWeight(),        op.getKBias(),        op.getVWeight(),
            op.getVBias(),          op.getOutWeight(),    op.getOutBias(),
            op.getKeyPaddingMask(), op.getNumHeadsAttr(), op.getScaleAttr()};
  }
  static Layer of(MHAOp op) {
    return {op.getQuery(),          op.getQWeight(),      op.getQBias(),
            op.getKWeight(),        op.getKBias(),        op.getVWeight(),
            op.getVBias(),          op.getOutWeight(),    op.getOutBias(),
            op.getKeyPaddingMask(), op.getNumHeadsAttr(), op.getScaleAttr()};
  }
};

/// The stacked key and value weights and biases of a group of layers, or
/// nothing when one of them is not an f32 constant.
struct StackedProjections {
  SmallVector<float> weight; // [2 L D, D]: K of layer 0, V of layer 0, ...
  SmallVector<float> bias;   // [2 L D]
};

std::optional<StackedProjections>
stackProjections(ArrayRef<Operation *> layers) {
  StackedProjections stacked;
  for (Operation *op : layers) {
    Layer layer = Layer::of(op);
    for (auto [weight, bias] : {std::pair(layer.kWeight, layer.kBias),
                                std::pair(layer.vWeight, layer.vBias)}) {
      std::optional<SmallVector<float>> w = readConstantFloats(weight);
      std::optional<SmallVector<float>> b = readConstantFloats(bias);
      if (!w || !b)
        return std::nullopt;
      stacked.weight.append(w->begin(), w->end());
      stacked.bias.append(b->begin(), b->end());
    }
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
  llvm::MapVector<std::pair<Value, const void *>, SmallVector<Operation *>>
      groups;
  auto add = [&](Value memory, Operation *op) {
    Value maskValue = Layer::of(op).mask;
    const void *mask = maskValue.getAsOpaquePointer();
    Attribute constantMask;
    if (maskValue && matchPattern(maskValue, m_Constant(&constantMask)))
      mask = constantMask.getAsOpaquePointer();
    groups[{memory, mask}].push_back(op);
  };
  getOperation().walk([&](Operation *op) {
    if (auto attention = dyn_cast<ClassAttentionOp>(op))
      add(attention.getMemory(), op);
    // class_attention_kv takes batch-first operands.
    if (auto mha = dyn_cast<MHAOp>(op);
        mha && mha.getKey() == mha.getValue() && !mha.getSequenceFirst())
      add(mha.getKey(), op);
  });

  OpBuilder builder(&getContext());
  for (auto &[key, layers] : groups) {
    Value memory = key.first;
    auto memoryType = cast<RankedTensorType>(memory.getType());
    if (!memoryType.hasStaticShape() || !memoryType.getElementType().isF32())
      continue;
    // The feature map's size comes from a class attention: an mha does not
    // know it, and a group of mhas alone is left as it is.
    DenseI64ArrayAttr featureMap;
    for (Operation *op : layers)
      if (auto attention = dyn_cast<ClassAttentionOp>(op))
        featureMap = attention.getFeatureMapAttr();
    if (!featureMap)
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
    Location loc = layers.front()->getLoc();
    Value weight = createFloatConstant(builder, loc, {outputs, featureSize},
                                       stacked->weight);
    Value bias = createFloatConstant(builder, loc, {outputs}, stacked->bias);
    Value kv = builder.create<LinearOp>(
        loc, memory, weight, bias, builder.getBoolAttr(true),
        builder.getStringAttr("none"));

    for (auto [index, op] : llvm::enumerate(layers)) {
      Layer layer = Layer::of(op);
      builder.setInsertionPoint(op);
      Value queries = builder.create<LinearOp>(
          op->getLoc(), layer.queries, layer.qWeight, layer.qBias,
          builder.getBoolAttr(true), builder.getStringAttr("none"));
      int64_t keyOffset = 2 * featureSize * static_cast<int64_t>(index);
      // A class attention keeps its own feature map; an mha takes its
      // neighbours' (the same memory, so the same T).
      auto attention = dyn_cast<ClassAttentionOp>(op);
      DenseI64ArrayAttr map =
          attention ? attention.getFeatureMapAttr() : featureMap;
      auto create = [&](auto... types) {
        return builder.create<ClassAttentionKVOp>(
            op->getLoc(), types..., queries, kv, layer.outWeight, layer.outBias,
            layer.mask, layer.numHeads, layer.scale, map,
            builder.getI64IntegerAttr(keyOffset),
            builder.getI64IntegerAttr(keyOffset + featureSize));
      };
      // A class attention keeps its results' types (its maps may be stored
      // in another float type); an mha's maps are inferred, and nobody
      // reads them: the plan stores none.
      ClassAttentionKVOp rewritten =
          attention ? create(op->getResultTypes()) : create();
      op->replaceAllUsesWith(
          rewritten->getResults().take_front(op->getNumResults()));
      op->erase();
    }
  }
}

} // namespace
