//===- INTRToPlan.cpp - intr and onnx ops to plan steps -------------------===//
//
// One pass over the function: number the ops, give every tensor that is not
// a constant a lifetime (from the op that defines it to its last reader),
// place the buffers in one arena, then rebuild the body as plan ops.
//
//===----------------------------------------------------------------------===//

#include "intr/Conversion/Passes.h"
#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/Plan/IR/PlanOps.h"
#include "intr/Target/FilePreamble.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <numeric>

namespace intr {
#define GEN_PASS_DEF_CONVERTINTRTOPLANPASS
#include "intr/Conversion/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

constexpr int64_t kAlignment = plan::BufferOp::kAlignment;
/// Where an op with several optional operands says which are present.
constexpr StringLiteral kOperandSegmentSizes("operandSegmentSizes");

int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// Bytes of a tensor as the runtime stores it (an i1 takes one byte).
int64_t sizeInBytes(ShapedType type) {
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

/// Whether an executable can hold a tensor of `type`: the loader refuses
/// more dimensions, longer ones or more bytes as corruption. Checked
/// before any size is computed, which could overflow otherwise.
bool storable(ShapedType type) {
  if (static_cast<size_t>(type.getRank()) > format::kMaxRank)
    return false;
  // Elements of no bit width are classify()'s to refuse.
  if (!type.getElementType().isIntOrFloat())
    return true;
  int64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
  for (int64_t dim : type.getShape())
    if (dim < 0 || dim > format::kMaxDim ||
        llvm::MulOverflow(bytes, dim, bytes) ||
        static_cast<uint64_t>(bytes) > format::kMaxBytes)
      return false;
  return true;
}

/// What an executable holds at most, for the errors of storable().
constexpr StringLiteral kStorableLimits(
    "an executable holds tensors of at most 16 dimensions, each of at most "
    "2^40 elements, and of at most 16 TiB");

/// A buffer's lifetime, [start, end] in op numbers, and its placement. A
/// buffer with a parent (a concatenation's input, written in place) lies
/// at offsetInParent inside it and is not placed on its own.
struct Lifetime {
  int64_t start;
  int64_t end;
  int64_t size;
  int64_t offset = 0;
  int64_t parent = -1;
  int64_t offsetInParent = 0;
};

/// Places the buffers in one arena and returns its size: the largest
/// first, each at the lowest aligned offset that leaves it clear of every
/// placed buffer whose lifetime meets its own.
int64_t placeBuffers(MutableArrayRef<Lifetime> buffers) {
  SmallVector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return buffers[a].size > buffers[b].size;
  });
  // The placed buffers by the ops they live through, in buckets of
  // kBucketOps, so that a buffer's conflicts are looked for among those
  // of its own buckets, not among every buffer placed (a chain of 64k
  // steps took 3.4 s). A buffer that lives through more than
  // kMaxBuckets buckets (a graph's many outputs) is looked at by every
  // buffer instead, as before, rather than entered in each. Op numbers
  // start at -1 (the arguments).
  constexpr int64_t kBucketOps = 64, kMaxBuckets = 4;
  auto bucketOf = [](int64_t op) { return (op + 1) / kBucketOps; };
  SmallVector<size_t> longLived;
  int64_t lastOp = 0;
  for (const Lifetime &buffer : buffers)
    lastOp = std::max(lastOp, buffer.end);
  std::vector<SmallVector<size_t, 4>> buckets(bucketOf(lastOp) + 1);
  // The last buffer whose conflicts counted each (so that one in several
  // buckets counts once), plus one.
  std::vector<size_t> countedFor(buffers.size());
  int64_t arenaSize = 0;
  for (size_t index : order) {
    Lifetime &buffer = buffers[index];
    if (buffer.parent >= 0)
      continue;
    SmallVector<size_t> met;
    auto meet = [&](size_t other) {
      if (countedFor[other] != index + 1 &&
          buffers[other].start <= buffer.end &&
          buffer.start <= buffers[other].end) {
        countedFor[other] = index + 1;
        met.push_back(other);
      }
    };
    llvm::for_each(longLived, meet);
    for (int64_t b = bucketOf(buffer.start); b <= bucketOf(buffer.end); ++b)
      llvm::for_each(buckets[b], meet);
    // By offset. The offset found does not depend on the order of those
    // at one offset: either the first of them ends the search, or each
    // moves past itself.
    SmallVector<const Lifetime *> conflicts = llvm::map_to_vector(
        met, [&](size_t other) -> const Lifetime * { return &buffers[other]; });
    llvm::sort(conflicts, [](const Lifetime *a, const Lifetime *b) {
      return a->offset < b->offset;
    });
    int64_t offset = 0;
    for (const Lifetime *other : conflicts) {
      if (offset + buffer.size <= other->offset)
        break;
      offset = std::max(offset, alignUp(other->offset + other->size));
    }
    buffer.offset = offset;
    arenaSize = std::max(arenaSize, alignUp(offset + buffer.size));
    if (bucketOf(buffer.end) - bucketOf(buffer.start) >= kMaxBuckets)
      longLived.push_back(index);
    else
      for (int64_t b = bucketOf(buffer.start); b <= bucketOf(buffer.end); ++b)
        buckets[b].push_back(index);
  }
  for (Lifetime &buffer : buffers)
    if (buffer.parent >= 0)
      buffer.offset = buffers[buffer.parent].offset + buffer.offsetInParent;
  return arenaSize;
}

/// The node name an op was imported from, for the runtime's messages.
std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = locationName(inner); !name.empty())
        return name;
  return "";
}

struct ConvertINTRToPlanPass
    : public intr::impl::ConvertINTRToPlanPassBase<ConvertINTRToPlanPass> {
  void runOnOperation() override;
};

/// What becomes of each op of the function. A view is an op whose result
/// has its operand's bytes in the same order (a reshape, or a transpose
/// that moves only dimensions of size 1): it gets no step, and its result
/// is a buffer at its operand's offset. An in-place concatenation gets no
/// step either: its inputs' producers write straight into its buffer.
enum class Lowering { Constant, None, Step, View, Concat };

/// Whether `result` is an optional result that nobody reads, which the
/// step then gets as none: a class attention's maps. Its kernels store no
/// map they are not given (and compute the head mean all the same).
bool isOmitted(OpResult result) {
  return result.use_empty() && result.getResultNumber() > 0 &&
         isa<ClassAttentionOp, ClassAttentionKVOp>(result.getOwner());
}

/// Whether the inputs of a Concat are contiguous blocks of its result, one
/// after another: every dimension before the axis has size 1.
bool concatenatesBlocks(onnx::ConcatOp concat) {
  auto type = cast<RankedTensorType>(concat.getType());
  int64_t axis = concat.getAxis();
  if (axis < 0)
    axis += type.getRank();
  if (axis < 0 || axis >= type.getRank())
    return false;
  return llvm::all_of(type.getShape().take_front(axis),
                      [](int64_t size) { return size == 1; });
}

/// Whether `op` only relabels the dimensions of its data operand.
bool keepsBytesInOrder(Operation *op) {
  if (isa<onnx::ReshapeOp, onnx::SqueezeOp, onnx::UnsqueezeOp, onnx::FlattenOp,
          onnx::IdentityOp>(op))
    return true;
  auto transpose = dyn_cast<onnx::TransposeOp>(op);
  if (!transpose)
    return false;
  auto type = cast<RankedTensorType>(transpose.getData().getType());
  SmallVector<int64_t> perm;
  if (transpose.getPerm())
    perm.assign(transpose.getPerm()->begin(), transpose.getPerm()->end());
  else
    for (int64_t axis = type.getRank() - 1; axis >= 0; --axis)
      perm.push_back(axis);
  // The dimensions longer than 1 must keep their order.
  int64_t previous = -1;
  for (int64_t axis : perm) {
    if (type.getDimSize(axis) == 1)
      continue;
    if (axis < previous)
      return false;
    previous = axis;
  }
  return true;
}

FailureOr<Lowering> classify(Operation *op) {
  if (op->hasTrait<OpTrait::ConstantLike>()) {
    ElementsAttr value;
    if (op->getNumResults() == 1 &&
        matchPattern(op->getResult(0), m_Constant(&value)))
      return Lowering::Constant;
    return op->emitOpError("is a constant whose value is not a tensor");
  }
  if (op->getName().getStringRef() == "onnx.NoValue")
    return Lowering::None;
  if (!isa<onnx::ONNXDialect, INTRDialect>(op->getDialect()))
    return op->emitOpError("has no plan lowering: only intr and onnx ops "
                           "become steps");
  for (Type type : op->getResultTypes()) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (shaped && shaped.hasStaticShape() &&
        shaped.getElementType().isIntOrFloat())
      continue;
    InFlightDiagnostic error = op->emitOpError("has a result of type ")
                               << type << ": ";
    if (shaped && !shaped.getElementType().isIntOrFloat())
      return error << "a plan holds integer and float elements only";
    // The inputs are static by now (checked first), so what is left
    // dynamic depends on values that are not constants.
    return error << "a plan needs static shapes, and this one depends on "
                    "values not known at compile time (an operand that is "
                    "not a constant sets it)";
  }
  return Lowering::Step;
}

MemRefType memrefFor(Type tensorType) {
  auto tensor = cast<RankedTensorType>(tensorType);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

void ConvertINTRToPlanPass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (!func.getBody().hasOneBlock()) {
    func.emitOpError("must have a single block to become a plan");
    return signalPassFailure();
  }
  Block &body = func.getBody().front();
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  for (BlockArgument arg : body.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    auto name =
        func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "onnx.name");
    if (type && !type.hasStaticShape()) {
      // The flag to give, with ? where the export left a size open.
      std::string sizes;
      for (int64_t size : type.getShape())
        sizes += (sizes.empty() ? "" : "x") +
                 (ShapedType::isDynamic(size) ? "?" : std::to_string(size));
      InFlightDiagnostic error = func.emitError();
      if (name)
        error << "input '" << name.getValue() << "'";
      else
        error << "argument " << arg.getArgNumber();
      error << " has the dynamic type " << arg.getType()
            << ", and an executable has one shape: give its sizes with "
               "--input-shape "
            << (name ? name.getValue().str() + "=" : "") << sizes
            << ", each ? replaced by the size to compile for";
      return signalPassFailure();
    }
    if (!type) {
      func.emitOpError("argument ")
          << arg.getArgNumber() << " has type " << arg.getType()
          << ": a plan needs ranked tensors of static shapes";
      return signalPassFailure();
    }
    if (!storable(type)) {
      InFlightDiagnostic error = func.emitError();
      if (name)
        error << "input '" << name.getValue() << "'";
      else
        error << "argument " << arg.getArgNumber();
      error << " has type " << arg.getType() << ": " << kStorableLimits;
      return signalPassFailure();
    }
  }
  for (Operation &op : body.without_terminator())
    for (OpResult result : op.getResults())
      if (auto type = dyn_cast<ShapedType>(result.getType());
          type && type.hasStaticShape() && !storable(type)) {
        op.emitOpError("result ") << result.getResultNumber() << " has type "
                                  << type << ": " << kStorableLimits;
        return signalPassFailure();
      }

  // Number the ops and classify them. A view needs its data in the arena:
  // one of a constant stays a step.
  SmallVector<Operation *> ops;
  SmallVector<Lowering> lowerings;
  DenseMap<Operation *, int64_t> number;
  for (Operation &op : body.without_terminator()) {
    FailureOr<Lowering> lowering = classify(&op);
    if (failed(lowering))
      return signalPassFailure();
    if (*lowering == Lowering::Step && keepsBytesInOrder(&op)) {
      Operation *data = op.getOperand(0).getDefiningOp();
      if (!data || lowerings[number[data]] == Lowering::Step ||
          lowerings[number[data]] == Lowering::View)
        lowering = Lowering::View;
    }
    number[&op] = ops.size();
    ops.push_back(&op);
    lowerings.push_back(*lowering);
  }
  const int64_t end = ops.size() + 1; // the outputs live to the very end

  // The value whose buffer `value` is: itself, or a view's data, followed.
  auto rootOf = [&](Value value) {
    while (Operation *def = value.getDefiningOp()) {
      if (lowerings[number[def]] != Lowering::View)
        break;
      value = def->getOperand(0);
    }
    return value;
  };

  // A concatenation of contiguous blocks is done in place when each input
  // is (a view of) a step's result of its own, read by no output and by no
  // other in-place concatenation, and starts at an aligned offset: the
  // stacked attention maps of the decoder layers are written where the
  // model returns them.
  DenseSet<Value> returnedRoots;
  for (Value value : returnOp.getOperands())
    returnedRoots.insert(rootOf(value));
  DenseMap<Value, Operation *> concatOfRoot;
  for (auto [index, op] : llvm::enumerate(ops)) {
    auto concat = dyn_cast<onnx::ConcatOp>(op);
    if (lowerings[index] != Lowering::Step || !concat ||
        !concatenatesBlocks(concat))
      continue;
    SmallVector<Value> roots;
    bool inPlace = true;
    int64_t offset = 0;
    for (Value input : concat.getInputs()) {
      Value root = rootOf(input);
      Operation *def = root.getDefiningOp();
      // Every buffer starts at an aligned offset, the parts too.
      inPlace &= def && lowerings[number[def]] == Lowering::Step &&
                 !returnedRoots.contains(root) &&
                 !concatOfRoot.contains(root) &&
                 !llvm::is_contained(roots, root) && offset % kAlignment == 0;
      offset += sizeInBytes(cast<ShapedType>(root.getType()));
      roots.push_back(root);
    }
    if (!inPlace)
      continue;
    for (Value root : roots)
      concatOfRoot[root] = op;
    lowerings[index] = Lowering::Concat;
  }

  // Each output owns its buffer. A step's result, or a view of it (one
  // layer's attention maps, unsqueezed), is returned where the step wrote
  // it; a constant, an input, or a buffer that an earlier output returns
  // already (itself or through a view) gets a copy of its own.
  SmallVector<bool> needsCopy;
  DenseSet<Value> returnedInPlace;
  for (Value value : returnOp.getOperands()) {
    Value root = rootOf(value);
    Operation *def = root.getDefiningOp();
    Lowering lowering = def ? lowerings[number[def]] : Lowering::None;
    bool copy = (lowering != Lowering::Step && lowering != Lowering::Concat) ||
                !returnedInPlace.insert(root).second;
    needsCopy.push_back(copy);
  }

  // Lifetimes: an input from before the first op, a result from its op, to
  // its last reader (or the end for an output). A view shares its data's
  // lifetime, which its readers extend.
  SmallVector<Value> tensors;
  SmallVector<Lifetime> lifetimes;
  DenseMap<Value, size_t> lifetimeOf;
  auto addTensor = [&](Value value, int64_t start) {
    lifetimeOf[value] = lifetimes.size();
    tensors.push_back(value);
    lifetimes.push_back(
        {start, start, sizeInBytes(cast<ShapedType>(value.getType()))});
  };
  for (BlockArgument arg : body.getArguments())
    addTensor(arg, -1);
  for (auto [index, op] : llvm::enumerate(ops)) {
    if (lowerings[index] == Lowering::Step ||
        lowerings[index] == Lowering::Concat)
      for (OpResult result : op->getResults())
        if (!isOmitted(result))
          addTensor(result, index);
    if (lowerings[index] == Lowering::View)
      lifetimeOf[op->getResult(0)] = lifetimeOf.lookup(op->getOperand(0));
  }
  // An in-place concatenation's inputs lie in its buffer, one after another.
  for (auto [index, op] : llvm::enumerate(ops)) {
    if (lowerings[index] != Lowering::Concat)
      continue;
    int64_t parent = lifetimeOf[op->getResult(0)], offset = 0;
    for (Value input : op->getOperands()) {
      Lifetime &child = lifetimes[lifetimeOf[rootOf(input)]];
      child.parent = parent;
      child.offsetInParent = offset;
      offset += child.size;
    }
  }
  for (auto [index, op] : llvm::enumerate(ops))
    for (Value operand : op->getOperands())
      if (auto it = lifetimeOf.find(operand); it != lifetimeOf.end())
        lifetimes[it->second].end =
            std::max<int64_t>(lifetimes[it->second].end, index);
  for (auto [value, copy] : llvm::zip(returnOp.getOperands(), needsCopy))
    if (auto it = lifetimeOf.find(value); it != lifetimeOf.end())
      lifetimes[it->second].end = copy ? std::max<int64_t>(
                                             lifetimes[it->second].end, end - 1)
                                       : end;
  // A parent buffer lives while any of its parts does.
  for (Lifetime &child : lifetimes)
    if (child.parent >= 0) {
      Lifetime &parent = lifetimes[child.parent];
      parent.start = std::min(parent.start, child.start);
      parent.end = std::max(parent.end, child.end);
    }
  SmallVector<size_t> copyLifetime;
  for (auto [value, copy] : llvm::zip(returnOp.getOperands(), needsCopy)) {
    copyLifetime.push_back(lifetimes.size());
    if (copy)
      lifetimes.push_back(
          {end - 1, end, sizeInBytes(cast<ShapedType>(value.getType()))});
  }

  int64_t arenaSize = placeBuffers(lifetimes);
  if (static_cast<uint64_t>(arenaSize) > format::kMaxBytes) {
    func.emitOpError("needs an arena of ")
        << arenaSize << " bytes: an executable holds at most 16 TiB";
    return signalPassFailure();
  }
  int64_t tensorBytes = 0;
  for (const Lifetime &lifetime : lifetimes)
    if (lifetime.parent < 0)
      tensorBytes += lifetime.size;

  // Rebuild the body as plan ops, in the original order.
  OpBuilder builder(&getContext());
  IRMapping mapping;
  auto bufferFor = [&](Location loc, Type type, size_t lifetime) {
    return builder.create<plan::BufferOp>(loc, memrefFor(type),
                                          lifetimes[lifetime].offset);
  };
  auto nameAttr = [&](ArrayAttr attrs, unsigned index, StringRef fallback) {
    if (attrs && index < attrs.size())
      if (auto dict = dyn_cast_or_null<DictionaryAttr>(attrs[index]))
        if (auto name = dict.getAs<StringAttr>("onnx.name"))
          return name.getValue().str();
    return (fallback + Twine(index)).str();
  };

  builder.setInsertionPointToStart(&body);
  for (BlockArgument arg : body.getArguments()) {
    Value buffer = bufferFor(arg.getLoc(), arg.getType(), lifetimeOf[arg]);
    builder.create<plan::InputOp>(
        arg.getLoc(),
        nameAttr(func.getArgAttrsAttr(), arg.getArgNumber(), "input"),
        buffer);
    mapping.map(arg, buffer);
  }

  for (auto [index, op] : llvm::enumerate(ops)) {
    builder.setInsertionPoint(op);
    Location loc = op->getLoc();
    switch (lowerings[index]) {
    case Lowering::Constant: {
      ElementsAttr value;
      (void)matchPattern(op->getResult(0), m_Constant(&value));
      mapping.map(op->getResult(0),
                  builder.create<plan::ConstantOp>(
                      loc, memrefFor(op->getResult(0).getType()), value));
      break;
    }
    case Lowering::None:
      mapping.map(op->getResult(0), builder.create<plan::NoneOp>(loc, builder.getNoneType()));
      break;
    case Lowering::View:
    case Lowering::Concat: {
      Value result = op->getResult(0);
      mapping.map(result,
                  bufferFor(loc, result.getType(), lifetimeOf[result]));
      break;
    }
    case Lowering::Step: {
      SmallVector<Value> inputs, outputs;
      auto segments = dyn_cast_or_null<DenseI32ArrayAttr>(
          op->getInherentAttr(kOperandSegmentSizes).value_or(Attribute()));
      if (segments) {
        // Kernels find operands by position: an omitted optional operand
        // (an empty segment) is a none.
        unsigned next = 0;
        for (int32_t size : segments.asArrayRef()) {
          if (size == 0)
            inputs.push_back(
                builder.create<plan::NoneOp>(loc, builder.getNoneType()));
          for (int32_t i = 0; i < size; ++i)
            inputs.push_back(mapping.lookup(op->getOperand(next++)));
        }
      } else {
        for (Value operand : op->getOperands())
          inputs.push_back(mapping.lookup(operand));
      }
      for (OpResult result : op->getResults()) {
        if (isOmitted(result)) {
          outputs.push_back(
              builder.create<plan::NoneOp>(loc, builder.getNoneType()));
          continue;
        }
        Value buffer = bufferFor(loc, result.getType(), lifetimeOf[result]);
        outputs.push_back(buffer);
        mapping.map(result, buffer);
      }
      // Every attribute the kernel may read, defaults included.
      NamedAttrList params(op->getAttrDictionary());
      op->getName().populateDefaultAttrs(params);
      params.erase(kOperandSegmentSizes);
      auto step = builder.create<plan::StepOp>(
          loc, op->getName().getStringRef(), inputs, outputs,
          params.getDictionary(&getContext()));
      if (std::string node = locationName(loc); !node.empty())
        step->setAttr("plan.node", builder.getStringAttr(node));
      break;
    }
    }
  }

  builder.setInsertionPoint(returnOp);
  for (auto [index, value] : llvm::enumerate(returnOp.getOperands())) {
    Value buffer = mapping.lookup(value);
    if (needsCopy[index]) {
      Value copy = bufferFor(returnOp.getLoc(), value.getType(),
                             copyLifetime[index]);
      builder.create<plan::StepOp>(returnOp.getLoc(), "onnx.Identity",
                                   ValueRange{buffer}, ValueRange{copy},
                                   builder.getDictionaryAttr({}));
      buffer = copy;
    }
    builder.create<plan::OutputOp>(
        returnOp.getLoc(), nameAttr(func.getResAttrsAttr(), index, "output"),
        buffer);
  }
  builder.create<func::ReturnOp>(returnOp.getLoc());

  // Drop the tensor program and the function's arguments and results.
  returnOp.erase();
  for (Operation *op : llvm::reverse(ops)) {
    op->dropAllUses();
    op->erase();
  }
  unsigned numArgs = body.getNumArguments();
  func.setType(builder.getFunctionType({}, {}));
  func.removeArgAttrsAttr();
  func.removeResAttrsAttr();
  body.eraseArguments(0, numArgs);
  func->setAttr("plan.arena_size", builder.getI64IntegerAttr(arenaSize));
  func->setAttr("plan.tensor_bytes", builder.getI64IntegerAttr(tensorBytes));
}

} // namespace
