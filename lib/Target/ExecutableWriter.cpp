//===- ExecutableWriter.cpp - Serialize a plan as an .intrx file ----------===//

#include "intr/Target/ExecutableWriter.h"
#include "intr/Dialect/Plan/IR/PlanOps.h"
#include "intr/Target/Executable_generated.h"
#include "intr/Target/FilePreamble.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

using namespace mlir;
using namespace intr;
namespace fb = intr::format;

namespace {

fb::Precision fbPrecision(Precision precision) {
  switch (precision) {
  case Precision::FP32:
    return fb::Precision::FP32;
  case Precision::TF32:
    return fb::Precision::TF32;
  case Precision::FP16:
    return fb::Precision::FP16;
  case Precision::BF16:
    return fb::Precision::BF16;
  }
  llvm_unreachable("unknown precision");
}

FailureOr<fb::DType> dtypeOf(Operation *op, Type type) {
  Type element = cast<ShapedType>(type).getElementType();
  if (element.isF32())
    return fb::DType::F32;
  if (element.isF16())
    return fb::DType::F16;
  if (element.isBF16())
    return fb::DType::BF16;
  if (element.isF64())
    return fb::DType::F64;
  if (element.isInteger(1))
    return fb::DType::Bool;
  if (element.isInteger(64))
    return fb::DType::I64;
  if (element.isInteger(32))
    return fb::DType::I32;
  if (element.isUnsignedInteger(8))
    return fb::DType::U8;
  if (element.isInteger(8))
    return fb::DType::I8;
  return op->emitOpError("has elements of type ")
         << element << ", which executables do not support";
}

/// The bytes of a constant as the runtime reads them: row-major, little
/// endian, one byte per boolean, splats expanded.
FailureOr<std::vector<char>> bytesOf(plan::ConstantOp op) {
  ElementsAttr value = op.getValue();
  auto type = cast<ShapedType>(value.getType());
  int64_t count = type.getNumElements();
  if (type.getElementType().isInteger(1)) {
    std::vector<char> bytes;
    for (bool bit : value.getValues<bool>())
      bytes.push_back(bit ? 1 : 0);
    return bytes;
  }
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    ArrayRef<char> raw = dense.getRawData();
    if (dense.isSplat()) {
      std::vector<char> bytes(count * elementBytes);
      for (int64_t i = 0; i < count; ++i)
        std::memcpy(bytes.data() + i * elementBytes, raw.data(), elementBytes);
      return bytes;
    }
    return std::vector<char>(raw.begin(), raw.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return op.emitOpError("refers to a resource whose data is missing");
    ArrayRef<char> raw = blob->getData();
    if (static_cast<int64_t>(raw.size()) != count * elementBytes)
      return op.emitOpError("resource holds ")
             << raw.size() << " bytes, its type needs " << count * elementBytes;
    return std::vector<char>(raw.begin(), raw.end());
  }
  return op.emitOpError("has a constant of an unsupported kind");
}

/// The weight blob: each distinct constant once, 256-byte aligned.
class WeightBlob {
public:
  /// Returns the offset of `bytes` in the blob, adding them if new. Two
  /// constants added as one (first's bytes then second's) lie side by side.
  uint64_t add(std::vector<char> bytes) {
    total += bytes.size();
    // xxh3 reads several bytes a cycle, where hash_combine_range took a
    // tenth of a 327 MiB model's compilation.
    uint64_t hash =
        llvm::xxh3_64bits(llvm::StringRef(bytes.data(), bytes.size()));
    for (uint64_t offset : byHash[hash])
      if (sizes[offset] == bytes.size() &&
          std::memcmp(data.data() + offset, bytes.data(), bytes.size()) == 0)
        return offset;
    uint64_t offset = data.size();
    data.insert(data.end(), bytes.begin(), bytes.end());
    data.resize(fb::alignUp(data.size()), 0);
    byHash[hash].push_back(offset);
    sizes[offset] = bytes.size();
    return offset;
  }
  /// Room for `bytes` in all, so that adding does not copy the blob as it
  /// grows (491 MiB of VGG-11's weights).
  void reserve(uint64_t bytes) { data.reserve(bytes); }
  const std::vector<char> &bytes() const { return data; }
  uint64_t bytesBeforeDedup() const { return total; }

private:
  std::vector<char> data;
  llvm::DenseMap<uint64_t, SmallVector<uint64_t, 1>> byHash;
  llvm::DenseMap<uint64_t, uint64_t> sizes;
  uint64_t total = 0;
};

/// An op attribute as the runtime's AttrMap holds it.
LogicalResult convertAttribute(Operation *op, StringRef name, Attribute attr,
                               std::vector<int64_t> &ints,
                               std::vector<double> &floats, std::string &str) {
  auto addInteger = [&](const APInt &value, bool isSigned) {
    ints.push_back(value.getBitWidth() == 1 ? value.getZExtValue()
                   : isSigned               ? value.getSExtValue()
                                            : value.getZExtValue());
  };
  if (auto b = dyn_cast<BoolAttr>(attr)) {
    ints.push_back(b.getValue());
    return success();
  }
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    addInteger(i.getValue(), !i.getType().isUnsignedInteger());
    return success();
  }
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    floats.push_back(f.getValueAsDouble());
    return success();
  }
  if (auto s = dyn_cast<StringAttr>(attr)) {
    str = s.str();
    return success();
  }
  if (isa<UnitAttr>(attr)) {
    ints.push_back(1);
    return success();
  }
  if (auto array = dyn_cast<DenseI64ArrayAttr>(attr)) {
    ints.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return success();
  }
  if (auto array = dyn_cast<DenseI32ArrayAttr>(attr)) {
    ints.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return success();
  }
  if (auto array = dyn_cast<DenseF32ArrayAttr>(attr)) {
    floats.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return success();
  }
  if (auto array = dyn_cast<DenseF64ArrayAttr>(attr)) {
    floats.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return success();
  }
  if (auto array = dyn_cast<DenseBoolArrayAttr>(attr)) {
    ints.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return success();
  }
  if (auto elements = dyn_cast<DenseElementsAttr>(attr)) {
    Type element = elements.getElementType();
    if (isa<FloatType>(element)) {
      for (const APFloat &value : elements.getValues<APFloat>())
        floats.push_back(value.convertToDouble());
      return success();
    }
    if (auto integer = dyn_cast<IntegerType>(element)) {
      for (const APInt &value : elements.getValues<APInt>())
        addInteger(value, !integer.isUnsigned());
      return success();
    }
  }
  if (auto array = dyn_cast<ArrayAttr>(attr)) {
    for (Attribute element : array)
      if (failed(convertAttribute(op, name, element, ints, floats, str)))
        return failure();
    return success();
  }
  return op->emitOpError("attribute '")
         << name << "' (" << attr << ") cannot be stored in an executable";
}

} // namespace

namespace {

/// A plan's tables in the FlatBuffer being built, to be listed in the
/// vectors of its Executable or Variant.
struct PlanTables {
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  std::vector<flatbuffers::Offset<fb::Step>> steps;
  std::vector<flatbuffers::Offset<fb::Binding>> inputs, outputs;
};

/// Builds an executable's header and weight blob from its plans.
class ExecutableBuilder {
public:
  explicit ExecutableBuilder(const WriteOptions &options) : options(options) {}

  /// Lays out the weights of every plan: each distinct constant once, and
  /// when they are stripped the f32, f16 and bf16 constants after all
  /// others, so that the file can end where they begin.
  LogicalResult layOutWeights(ArrayRef<func::FuncOp> plans);
  /// Serializes one plan's tensors, steps and bindings.
  FailureOr<PlanTables> serialize(func::FuncOp plan);

  flatbuffers::FlatBufferBuilder fbb{1 << 16};
  WeightBlob weights;
  /// Bytes of the blob stored in the file (all unless stripped).
  uint64_t storedBytes = 0;

private:
  bool strippable(plan::ConstantOp constant) const {
    Type element = cast<MemRefType>(constant.getType()).getElementType();
    return options.stripWeights &&
           (element.isF32() || element.isF16() || element.isBF16());
  }
  void pairSelfAttentionWeights(func::FuncOp plan);

  const WriteOptions &options;
  llvm::DenseMap<Operation *, uint64_t> weightOffsets;
  /// The query's constant of each pair, and the key's; a constant pairs
  /// once.
  llvm::DenseMap<Operation *, Operation *> laidAfter;
  llvm::DenseSet<Operation *> seconds;
};

/// A self-attention (an mha whose query is its key) finds its key's weight
/// right after its query's, and the biases alike, so that the runtime
/// projects both with one GEMM of twice the width; where the query's take a
/// whole number of 256-byte blocks (a feature size that is a multiple of
/// 64), so that the key's start on a boundary as every tensor must.
void ExecutableBuilder::pairSelfAttentionWeights(func::FuncOp plan) {
  auto wholeBlocks = [](Operation *constant) {
    auto type = cast<MemRefType>(cast<plan::ConstantOp>(constant).getType());
    return type.hasStaticShape() && type.getElementTypeBitWidth() % 8 == 0 &&
           type.getNumElements() * type.getElementTypeBitWidth() / 8 %
                   fb::kAlignment ==
               0;
  };
  auto paired = [&](Operation *constant) {
    return laidAfter.count(constant) || seconds.count(constant);
  };
  plan.walk([&](plan::StepOp step) {
    // mha's operands: query, key, value, then q_weight, q_bias, k_weight,
    // k_bias, ...
    if (step.getKernel() != "intr.mha" || step.getInputs().size() < 7 ||
        step.getInputs()[0] != step.getInputs()[1])
      return;
    for (auto [query, key] : {std::pair{3, 5}, std::pair{4, 6}}) {
      Operation *first = step.getInputs()[query].getDefiningOp();
      Operation *second = step.getInputs()[key].getDefiningOp();
      if (isa_and_nonnull<plan::ConstantOp>(first) &&
          isa_and_nonnull<plan::ConstantOp>(second) && first != second &&
          strippable(cast<plan::ConstantOp>(first)) ==
              strippable(cast<plan::ConstantOp>(second)) &&
          wholeBlocks(first) && !paired(first) && !paired(second)) {
        laidAfter[first] = second;
        seconds.insert(second);
      }
    }
  });
}

LogicalResult ExecutableBuilder::layOutWeights(ArrayRef<func::FuncOp> plans) {
  uint64_t capacity = 0;
  for (func::FuncOp plan : plans) {
    pairSelfAttentionWeights(plan);
    plan.walk([&](plan::ConstantOp constant) {
      auto type = cast<MemRefType>(constant.getType());
      if (type.hasStaticShape())
        capacity += fb::alignUp(type.getNumElements() *
                                ((type.getElementTypeBitWidth() + 7) / 8));
    });
  }
  // Pages of the reservation that deduplication leaves unused are never
  // touched.
  weights.reserve(capacity);
  for (bool stripped : {false, true}) {
    for (func::FuncOp plan : plans) {
      WalkResult laid = plan.walk([&](plan::ConstantOp constant) -> WalkResult {
        if (strippable(constant) != stripped || seconds.count(constant))
          return success();
        FailureOr<std::vector<char>> bytes = bytesOf(constant);
        if (failed(bytes))
          return failure();
        auto second = laidAfter.find(constant);
        if (second == laidAfter.end()) {
          weightOffsets[constant] = weights.add(std::move(*bytes));
          return success();
        }
        FailureOr<std::vector<char>> secondBytes =
            bytesOf(cast<plan::ConstantOp>(second->second));
        if (failed(secondBytes))
          return failure();
        size_t firstSize = bytes->size();
        bytes->insert(bytes->end(), secondBytes->begin(), secondBytes->end());
        weightOffsets[constant] = weights.add(std::move(*bytes));
        weightOffsets[second->second] = weightOffsets[constant] + firstSize;
        return success();
      });
      if (laid.wasInterrupted())
        return failure();
    }
    if (!stripped)
      storedBytes = weights.bytes().size();
  }
  return success();
}

FailureOr<PlanTables> ExecutableBuilder::serialize(func::FuncOp plan) {
  PlanTables tables;
  auto &[tensors, steps, inputs, outputs] = tables;
  llvm::DenseMap<Value, int32_t> tensorIndex;

  auto addTensor = [&](Operation *op, Value value, fb::Storage storage,
                       uint64_t offset) -> LogicalResult {
    FailureOr<fb::DType> dtype = dtypeOf(op, value.getType());
    if (failed(dtype))
      return failure();
    auto type = cast<MemRefType>(value.getType());
    int64_t elementBytes = (type.getElementTypeBitWidth() + 7) / 8;
    tensorIndex[value] = tensors.size();
    tensors.push_back(fb::CreateTensor(
        fbb, *dtype, fbb.CreateVector(type.getShape().vec()), storage, offset,
        type.getNumElements() * elementBytes));
    return success();
  };
  auto indexOf = [&](Value value) -> int32_t {
    if (isa<NoneType>(value.getType()))
      return -1;
    return tensorIndex.lookup(value);
  };
  auto roleOf = [](StringRef name, bool isInput) -> std::string {
    if (isInput)
      return name == "image" ? "image" : "";
    if (name == "logits" || name == "attention" || name == "avg_attention")
      return name.str();
    return "";
  };

  WalkResult walk = plan.walk([&](Operation *op) -> WalkResult {
    if (auto buffer = dyn_cast<plan::BufferOp>(op))
      return addTensor(op, buffer, fb::Storage::Arena, buffer.getOffset());
    if (auto constant = dyn_cast<plan::ConstantOp>(op))
      return addTensor(op, constant, fb::Storage::Weight,
                       weightOffsets.lookup(op));
    if (auto input = dyn_cast<plan::InputOp>(op)) {
      inputs.push_back(fb::CreateBindingDirect(
          fbb, input.getName().str().c_str(), indexOf(input.getBuffer()),
          roleOf(input.getName(), true).c_str()));
      return success();
    }
    if (auto output = dyn_cast<plan::OutputOp>(op)) {
      outputs.push_back(fb::CreateBindingDirect(
          fbb, output.getName().str().c_str(), indexOf(output.getBuffer()),
          roleOf(output.getName(), false).c_str()));
      return success();
    }
    if (auto step = dyn_cast<plan::StepOp>(op)) {
      std::vector<int32_t> ins, outs;
      for (Value value : step.getInputs())
        ins.push_back(indexOf(value));
      for (Value value : step.getOutputs())
        outs.push_back(indexOf(value));
      std::vector<flatbuffers::Offset<fb::Attribute>> attributes;
      for (NamedAttribute param : step.getParams()) {
        std::vector<int64_t> ints;
        std::vector<double> floats;
        std::string str;
        if (failed(convertAttribute(op, param.getName(), param.getValue(),
                                    ints, floats, str)))
          return failure();
        attributes.push_back(fb::CreateAttributeDirect(
            fbb, param.getName().str().c_str(), &ints, &floats,
            str.c_str()));
      }
      std::string node;
      if (auto name = op->getAttrOfType<StringAttr>("plan.node"))
        node = name.str();
      steps.push_back(fb::CreateStepDirect(fbb, step.getKernel().str().c_str(),
                                           &ins, &outs, &attributes,
                                           node.c_str()));
      return success();
    }
    return success();
  });
  if (walk.wasInterrupted())
    return failure();
  return tables;
}

} // namespace

LogicalResult intr::writeExecutable(ArrayRef<PlannedModel> plans,
                                    const WriteOptions &options,
                                    llvm::raw_ostream &os,
                                    ExecutableStats *stats) {
  assert(!plans.empty() && "an executable needs a plan");
  std::vector<func::FuncOp> funcs;
  for (const PlannedModel &planned : plans) {
    func::FuncOp plan = planned.plan;
    if (!plan->getAttrOfType<IntegerAttr>("plan.arena_size"))
      return plan.emitOpError(
          "is not a plan (run --convert-intr-to-plan first)");
    funcs.push_back(plan);
  }
  auto arenaOf = [](func::FuncOp plan) {
    return plan->getAttrOfType<IntegerAttr>("plan.arena_size").getInt();
  };

  ExecutableBuilder builder(options);
  flatbuffers::FlatBufferBuilder &fbb = builder.fbb;
  if (failed(builder.layOutWeights(funcs)))
    return failure();
  std::vector<PlanTables> tables;
  for (func::FuncOp plan : funcs) {
    FailureOr<PlanTables> serialized = builder.serialize(plan);
    if (failed(serialized))
      return failure();
    tables.push_back(*serialized);
  }
  std::vector<flatbuffers::Offset<fb::Variant>> variants;
  for (size_t i = 1; i < plans.size(); ++i)
    variants.push_back(fb::CreateVariant(
        fbb, fbb.CreateVector(tables[i].tensors),
        fbb.CreateVector(tables[i].steps), fbb.CreateVector(tables[i].inputs),
        fbb.CreateVector(tables[i].outputs), arenaOf(funcs[i]),
        fbb.CreateVector(plans[i].metadata.featureMap)));

  const ModelMetadata &metadata = plans.front().metadata;
  std::vector<flatbuffers::Offset<flatbuffers::String>> labels;
  for (const std::string &label : metadata.labels)
    labels.push_back(fbb.CreateString(label));
  auto model = fb::CreateModelInfo(
      fbb, fbb.CreateVector(metadata.featureMap), metadata.numClasses,
      fbb.CreateVector(labels), fbb.CreateVector(metadata.pixelMean),
      fbb.CreateVector(metadata.pixelStd));
  const WeightBlob &weights = builder.weights;
  const uint64_t storedBytes = builder.storedBytes;
  uint64_t weightBytes = weights.bytes().size();
  auto root = fb::CreateExecutable(
      fbb, fbb.CreateString(metadata.producer),
      fbb.CreateVector(tables[0].tensors), fbb.CreateVector(tables[0].steps),
      fbb.CreateVector(tables[0].inputs), fbb.CreateVector(tables[0].outputs),
      arenaOf(funcs[0]), weightBytes, model, options.stripWeights,
      fbPrecision(options.precision),
      variants.empty() ? 0 : fbb.CreateVector(variants));
  fb::FinishExecutableBuffer(fbb, root);

  fb::FilePreamble preamble{};
  std::memcpy(preamble.magic, fb::kMagic, sizeof(preamble.magic));
  preamble.version = fb::kFormatVersion;
  preamble.headerOffset = fb::kAlignment;
  preamble.headerSize = fbb.GetSize();
  preamble.weightsOffset =
      fb::alignUp(preamble.headerOffset + preamble.headerSize);
  preamble.weightsSize = storedBytes;
  preamble.checksum = fb::checksum(
      weights.bytes().data(), storedBytes,
      fb::checksum(fbb.GetBufferPointer(), preamble.headerSize));

  auto pad = [&](uint64_t from, uint64_t to) {
    for (; from < to; ++from)
      os << '\0';
  };
  os.write(reinterpret_cast<const char *>(&preamble), sizeof(preamble));
  pad(sizeof(preamble), preamble.headerOffset);
  os.write(reinterpret_cast<const char *>(fbb.GetBufferPointer()),
           preamble.headerSize);
  pad(preamble.headerOffset + preamble.headerSize, preamble.weightsOffset);
  os.write(weights.bytes().data(), storedBytes);

  if (stats) {
    stats->plans.clear();
    for (size_t i = 0; i < plans.size(); ++i)
      stats->plans.push_back(
          {int64_t(tables[i].steps.size()), arenaOf(funcs[i])});
    stats->weightBytes = weightBytes;
    stats->constantBytes = weights.bytesBeforeDedup();
    stats->fileBytes = preamble.weightsOffset + storedBytes;
    stats->strippedBytes = weightBytes - storedBytes;
  }
  return success();
}

LogicalResult intr::writeExecutable(func::FuncOp plan,
                                    const ModelMetadata &metadata,
                                    const WriteOptions &options,
                                    llvm::raw_ostream &os,
                                    ExecutableStats *stats) {
  return writeExecutable({PlannedModel{plan, metadata}}, options, os, stats);
}
