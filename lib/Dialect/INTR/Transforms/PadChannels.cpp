//===- PadChannels.cpp - Zero channels for NHWC convolutions --------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

namespace intr {
#define GEN_PASS_DEF_INTRPADCHANNELSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// `type` with its last axis of size `channels`.
RankedTensorType withChannels(RankedTensorType type, int64_t channels) {
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = channels;
  return type.clone(shape);
}

/// A constant weight [O, kh, kw, C] with zeros appended to every [C] run
/// up to `channels`; null for what it cannot read.
DenseElementsAttr padWeight(Value weight, int64_t channels) {
  Attribute attr;
  if (!matchPattern(weight, m_Constant(&attr)))
    return nullptr;
  DenseElementsAttr elements = onnx::asDenseElements(attr);
  if (!elements || elements.getElementType().isInteger(1))
    return nullptr;
  auto type =
      withChannels(cast<RankedTensorType>(elements.getType()), channels);
  int64_t runs = elements.getType().getNumElements() /
                 elements.getType().getShape().back();
  size_t bytes = elements.getElementType().getIntOrFloatBitWidth() / 8;
  size_t inRun = elements.getType().getShape().back() * bytes,
         outRun = channels * bytes;
  // A splat's raw data is its one element.
  std::vector<char> splat;
  ArrayRef<char> in = elements.getRawData();
  if (elements.isSplat()) {
    for (size_t i = 0; i < inRun / bytes; ++i)
      splat.insert(splat.end(), in.begin(), in.begin() + bytes);
    in = splat;
  }
  // Zero bits are +0 in every float type.
  std::vector<char> out(runs * outRun, 0);
  for (int64_t r = 0; r < runs; ++r)
    std::memcpy(&out[r * outRun], &in[elements.isSplat() ? 0 : r * inRun],
                inRun);
  return DenseElementsAttr::getFromRawBuffer(type, out);
}

struct INTRPadChannelsPass
    : public intr::impl::INTRPadChannelsPassBase<INTRPadChannelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (multiple < 1) {
      getOperation().emitError("intr-pad-channels: multiple must be at "
                               "least 1, got ")
          << static_cast<int64_t>(multiple);
      return signalPassFailure();
    }
    SmallVector<Conv2DOp> convs;
    getOperation().walk([&](Conv2DOp conv) { convs.push_back(conv); });
    OpBuilder builder(&getContext());
    for (Conv2DOp conv : convs) {
      auto input = cast<RankedTensorType>(conv.getInput().getType());
      int64_t channels = input.getShape().back();
      if (!conv.getChannelsLast() || conv.getGroups() != 1 ||
          ShapedType::isDynamic(channels) || channels % multiple == 0)
        continue;
      int64_t padded = (channels + multiple - 1) / multiple * multiple;
      DenseElementsAttr weight = padWeight(conv.getWeight(), padded);
      if (!weight)
        continue;
      builder.setInsertionPoint(conv);
      Location loc = conv.getLoc();
      // Nothing before any axis; padded - channels after the last.
      SmallVector<int64_t> pads(2 * input.getRank(), 0);
      pads.back() = padded - channels;
      Value padsValue = createI64Constant(builder, loc, pads);
      Value none = builder.create<onnx::NoValueOp>(loc);
      Value paddedInput = builder.create<onnx::PadOp>(
          loc, withChannels(input, padded), conv.getInput(), padsValue, none,
          none, builder.getStringAttr("constant"));
      Value oldWeight = conv.getWeight();
      conv.getInputMutable().assign(paddedInput);
      conv.getWeightMutable().assign(
          builder.create<onnx::ConstantOp>(loc, weight));
      if (oldWeight.use_empty())
        oldWeight.getDefiningOp()->erase();
    }
  }
};

} // namespace
