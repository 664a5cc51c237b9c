//===- LowerPrecision.cpp - Convolutions in f16 or bf16 -------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "FormConversion.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "intr/Support/RoundFloat.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

namespace intr {
#define GEN_PASS_DEF_INTRLOWERPRECISIONPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// The f32 elements of a constant (dense or resource-backed), else null.
DenseElementsAttr constantElements(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return nullptr;
  DenseElementsAttr elements = onnx::asDenseElements(attr);
  return elements && elements.getElementType().isF32() ? elements : nullptr;
}

/// `elements` rounded to nearest even in `to` (f16 or bf16), as the
/// runtime rounds.
DenseElementsAttr roundElements(DenseElementsAttr elements, FloatType to) {
  std::vector<uint16_t> bits;
  bits.reserve(elements.getNumElements());
  for (float value : elements.getValues<float>())
    bits.push_back(to.isF16() ? roundToHalfBits(value)
                              : roundToBFloat16Bits(value));
  ArrayRef<char> raw(reinterpret_cast<const char *>(bits.data()),
                     bits.size() * sizeof(uint16_t));
  return DenseElementsAttr::getFromRawBuffer(elements.getType().clone(to), raw);
}

/// Whether `value` holds integers by construction: a constant of integer
/// values, a Cast from an integer type, a Sub of such, or such moved
/// (Slice, Reshape, Unsqueeze, Squeeze, Transpose): a ConvInteger's weights
/// less their zero points, expanded, when given at run time, and a 1-D
/// one's lifted to 2-D.
bool holdsIntegers(Value value) {
  if (DenseElementsAttr elements = constantElements(value))
    return llvm::all_of(elements.getValues<float>(),
                        [](float v) { return v == std::nearbyint(v); });
  Operation *op = value.getDefiningOp();
  if (auto castOp = dyn_cast_or_null<onnx::CastOp>(op))
    return isa<IntegerType>(getElementTypeOrSelf(castOp.getInput()));
  if (isa_and_nonnull<onnx::SubOp>(op))
    return holdsIntegers(op->getOperand(0)) && holdsIntegers(op->getOperand(1));
  if (isa_and_nonnull<onnx::SliceOp, onnx::ReshapeOp, onnx::UnsqueezeOp,
                      onnx::SqueezeOp, onnx::TransposeOp>(op))
    return holdsIntegers(op->getOperand(0));
  return false;
}

/// Whether a convolution's weights are integers (a ConvInteger's,
/// expanded): its sums of 8-bit integers pass f16's range and need f32's
/// exactness, so it stays f32.
bool hasIntegerWeights(Conv2DOp conv) {
  return holdsIntegers(conv.getWeight());
}

/// An activation whose kernels compute a 16-bit one in f32 and round once,
/// so that in 16 bits it gives its f32 result rounded.
bool isRoundedActivation(Operation *op) {
  return isa<onnx::SwishOp, onnx::HardSwishOp, onnx::HardSigmoidOp,
             onnx::LeakyReluOp, onnx::EluOp, onnx::SeluOp, onnx::CeluOp,
             onnx::SoftplusOp, onnx::MishOp, ChannelAffineOp>(op);
}

/// An op this pass lowers with the convolutions whose results it reads: a
/// max pool, a Clip (ReLU6), a rounded activation or a Concat.
bool lowersWithConvolutions(Operation *op) {
  return isa<MaxPool2DOp, onnx::ClipOp, onnx::ConcatOp>(op) ||
         isRoundedActivation(op);
}

/// The convolutions whose results reach a quantization's round trip
/// (intr.fake_quantize) directly or through ops this pass would lower with
/// them (lowersWithConvolutions: a Concat's every image, the others' first
/// operand). Rounded to 16 bits first,
/// a value lands on the other side of a quantization step often enough to
/// move a quantized model's outputs by whole steps (0.25 to 0.7 in its
/// logits), so these stay f32: a quantized model's precision is its
/// quantization's.
DenseSet<Operation *> convolutionsBeforeRoundTrips(func::FuncOp func) {
  SmallVector<Value> worklist;
  func.walk([&](FakeQuantizeOp roundTrip) {
    worklist.push_back(roundTrip->getOperand(0));
  });
  DenseSet<Operation *> seen, convolutions;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val().getDefiningOp();
    if (!op || !seen.insert(op).second)
      continue;
    if (isa<Conv2DOp>(op))
      convolutions.insert(op);
    else if (lowersWithConvolutions(op))
      llvm::append_range(worklist, isa<onnx::ConcatOp>(op)
                                       ? op->getOperands()
                                       : op->getOperands().take_front());
  }
  return convolutions;
}

struct INTRLowerPrecisionPass
    : public intr::impl::INTRLowerPrecisionPassBase<INTRLowerPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    Builder types(&getContext());
    FloatType low;
    if (elementType == "f16")
      low = types.getF16Type();
    else if (elementType == "bf16")
      low = types.getBF16Type();
    else {
      func.emitError("intr-lower-precision: element-type must be f16 or "
                     "bf16, got '")
          << elementType << "'";
      return signalPassFailure();
    }

    DenseSet<Operation *> beforeRoundTrips = convolutionsBeforeRoundTrips(func);
    SmallVector<Operation *> candidates, keptForRoundTrips;
    func.walk([&](Operation *op) {
      if (!isa<Conv2DOp>(op) && !lowersWithConvolutions(op))
        return;
      auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (!type || !type.getElementType().isF32())
        return;
      // A GPU runs 16-bit convolutions on cuDNN only.
      if (auto conv = dyn_cast<Conv2DOp>(op);
          conv && (!conv.fitsCudnn() || hasIntegerWeights(conv)))
        return;
      if (beforeRoundTrips.contains(op))
        keptForRoundTrips.push_back(op);
      else
        candidates.push_back(op);
    });
    if (!keptForRoundTrips.empty())
      keptForRoundTrips.front()->emitRemark()
          << keptForRoundTrips.size()
          << " convolution(s) stay f32, as quantization round trips read "
             "their results";

    DenseSet<Operation *> candidateSet(candidates.begin(), candidates.end());
    FormConversion conversion(
        &getContext(),
        [&](OpBuilder &builder, Value value) -> Value {
          if (DenseElementsAttr elements = constantElements(value))
            return builder.create<onnx::ConstantOp>(
                value.getLoc(), roundElements(elements, low));
          return createCast(builder, value.getLoc(), value, low);
        },
        [&](OpBuilder &builder, Value result, Type) -> Value {
          return createCast(builder, result.getLoc(), result,
                            builder.getF32Type());
        },
        [&](Type type) -> Type {
          return cast<RankedTensorType>(type).clone(low);
        });
    for (Operation *op : candidates) {
      // A max pool, a Clip (ReLU6) or an activation of an f32 value gains
      // nothing from two conversions. In 16 bits each gives its f32 result
      // rounded: the first two only select among their operands' elements,
      // and the kernels compute a 16-bit activation (isRoundedActivation:
      // Swish, HardSwish, ..., channel_affine, DenseNet's batch norm and
      // ReLU with its scale and shift kept f32) in f32, rounding once. An
      // activation that an f32 op reads too (a squeeze-and-excitation's
      // mean) stays f32, as that op would read it rounded otherwise.
      bool activation = isRoundedActivation(op);
      if ((activation || isa<MaxPool2DOp, onnx::ClipOp>(op)) &&
          !conversion.hasNewForm(op->getOperand(0)))
        continue;
      // A Concat moves elements only: in 16 bits where all its images are
      // (an Inception block's branches) and only 16-bit ops read it, so
      // that no conversion moves the whole result (DenseNet's concatenations
      // feed f32 batch norms: they stay f32).
      bool concat = isa<onnx::ConcatOp>(op);
      if (concat && !llvm::all_of(op->getOperands(), [&](Value operand) {
            return conversion.hasNewForm(operand);
          }))
        continue;
      if ((activation || concat) &&
          !llvm::all_of(op->getUsers(), [&](Operation *user) {
            return candidateSet.contains(user);
          }))
        continue;
      // Every tensor operand: a Clip's bounds too; its absent ones stay none.
      // A channel_affine's image only.
      bool imageOnly = isa<ChannelAffineOp>(op);
      conversion.convert(op, [&](OpOperand &operand) {
        return isa<TensorType>(operand.get().getType()) &&
               (!imageOnly || operand.getOperandNumber() == 0);
      });
    }
    conversion.eraseDead();
  }
};

} // namespace
