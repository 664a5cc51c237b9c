//===- ONNXImporter.cpp - ONNX models into the onnx dialect ---------------===//
//
// The importer is generic: a node of type T becomes the registered op
// `onnx.T`, its inputs become operands in ONNX order (omitted optional inputs
// become onnx.NoValue), its attributes keep their ONNX names, and its result
// types come from the op's type inference. Each op is folded as soon as it is
// built, so the exporters' shape arithmetic collapses into constants and the
// ops after it infer static shapes.
//
//===----------------------------------------------------------------------===//

#include "intr/Import/ONNXImporter.h"
#include "intr/Support/FormatShape.h"
#include "intr/Target/FilePreamble.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

using namespace mlir;
/// ONNX's protobuf classes; `onnx` is our dialect's namespace.
namespace proto = ::onnx;
using llvm::StringRef;
using llvm::Twine;

namespace intr {

static constexpr int64_t kMinOpset = 11;
static constexpr int64_t kMaxOpset = 28;

/// An error to return as a value: the message is the whole user-facing text
/// after "error: ".
static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string onnxTypeName(int dataType) {
  if (proto::TensorProto::DataType_IsValid(dataType))
    return proto::TensorProto::DataType_Name(
        static_cast<proto::TensorProto::DataType>(dataType));
  // Added after ONNX 1.12, whose protobuf definitions Debian ships.
  static const char *const newer[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",
      "INT4",         "FLOAT4E2M1",     "FLOAT8E8M0", "UINT2",          "INT2"};
  if (dataType >= 17 && dataType < 17 + int(std::size(newer)))
    return newer[dataType - 17];
  return "type " + std::to_string(dataType);
}

llvm::Error parseInputShape(StringRef spec, ONNXImportOptions &options) {
  auto [name, dims] = spec.rsplit('=');
  if (dims.empty()) { // no '=': the shape of the only input
    dims = name;
    name = "";
  }
  std::vector<int64_t> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t size;
    if (part.getAsInteger(10, size) || size < 0)
      return makeError("--input-shape '" + spec +
                       "': expected NAME=D0xD1x..., with sizes >= 0");
    // Larger sizes could never run, and the shape arithmetic they feed
    // (a Reshape's target computed from them) would overflow.
    if (size > format::kMaxDim)
      return makeError("--input-shape '" + spec + "': size " + Twine(size) +
                       " is larger than any dimension an executable may "
                       "have (2^40)");
    shape.push_back(size);
  }
  options.inputShapes[name.str()] = std::move(shape);
  return llvm::Error::success();
}

namespace {

/// Builds @main from a GraphProto.
class Importer {
public:
  Importer(MLIRContext &context, StringRef fileName, StringRef modelDir,
           const ONNXImportOptions &options)
      : context(context), builder(&context), fileName(fileName.str()),
        modelDir(modelDir.str()), options(options) {}

  llvm::Expected<OwningOpRef<ModuleOp>> importModel(const proto::ModelProto &);

private:
  /// Where an error is: a node, or the model as a whole.
  struct NodeInfo {
    std::string name;
    std::string opType;
  };

  llvm::Error fail(const Twine &reason) const {
    return makeError(fileName + ": " + reason);
  }
  llvm::Error failAt(const NodeInfo &node, const Twine &reason) const {
    return makeError(fileName + ": node '" + node.name + "' (" + node.opType +
                     ", opset " + Twine(opset) + "): " + reason);
  }

  llvm::Expected<Type> importElementType(int32_t onnxType, StringRef what);
  llvm::Expected<TensorType> importType(const proto::TypeProto &type,
                                        StringRef what);
  llvm::Expected<ElementsAttr> importTensor(const proto::TensorProto &tensor);
  llvm::Expected<std::string> readTensorBytes(const proto::TensorProto &tensor,
                                              TensorType type);
  llvm::Error importInputs(const proto::GraphProto &graph, Block &body);
  llvm::Error importNode(const proto::NodeProto &node, const NodeInfo &info);
  /// Builds the registered op `name` with these operands and attributes and
  /// `numResults` results: result types inferred, verified and folded. The
  /// results, or the constants that stand for them.
  llvm::Expected<SmallVector<Value>>
  buildOp(const NodeInfo &info, Location loc, RegisteredOperationName name,
          ValueRange operands, const NamedAttrList &attributes,
          unsigned numResults);
  llvm::Error
  readInOpset13Form(const proto::NodeProto &node, const NodeInfo &info,
                    Location loc, SmallVectorImpl<Value> &operands,
                    SmallVectorImpl<const proto::AttributeProto *> &attributes,
                    NamedAttrList &added);
  llvm::Error importConstantNode(const proto::NodeProto &node,
                                 const NodeInfo &info, Location loc);
  llvm::Expected<Attribute> importAttribute(const proto::AttributeProto &attr,
                                            const NodeInfo &info);
  llvm::Error importSequenceNode(const proto::NodeProto &node,
                                 const NodeInfo &info, Location loc);
  llvm::Error importSplitToSequence(const proto::NodeProto &node,
                                    const NodeInfo &info, Location loc,
                                    int64_t axis, int64_t keepdims);
  /// `axis` in [-rank, rank) made non-negative, or the error naming it.
  llvm::Expected<int64_t> normalizedAxis(const NodeInfo &info, int64_t axis,
                                         int64_t rank) const {
    if (axis < -rank || axis >= rank)
      return failAt(info, "axis " + Twine(axis) + " is out of range for rank " +
                              Twine(rank));
    return axis < 0 ? axis + rank : axis;
  }
  /// Replaces each of `values` by `op` (Squeeze or Unsqueeze) of it at
  /// `axis`.
  llvm::Error applyAtAxis(const NodeInfo &info, Location loc, StringRef op,
                          SmallVector<Value> &values, int64_t axis);
  llvm::Expected<Value> lookup(const std::string &name, const NodeInfo &info);
  Value noValue();
  /// A signed 64-bit integer attribute, as ONNX's integer attributes are.
  IntegerAttr si64(int64_t value) {
    return builder.getIntegerAttr(builder.getIntegerType(64, /*isSigned=*/true),
                                  value);
  }
  /// One of our registered onnx ops.
  RegisteredOperationName opName(StringRef name) {
    return *RegisteredOperationName::lookup(name, &context);
  }
  llvm::Error define(const std::string &name, Value value,
                     const NodeInfo &info);
  llvm::Error defineSequence(const std::string &name,
                             SmallVector<Value> elements, const NodeInfo &info);

  /// The number of results an op always has, from its ODS traits; nullopt
  /// for variadic results.
  static std::optional<unsigned> fixedResultCount(OperationName name);
  /// The number of operands an op always has; nullopt for variadic operands.
  static std::optional<unsigned> fixedOperandCount(OperationName name);

  MLIRContext &context;
  OpBuilder builder;
  std::string fileName;
  std::string modelDir;
  const ONNXImportOptions &options;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
  /// The sequences, resolved at import into the tensors they hold.
  llvm::StringMap<SmallVector<Value>> sequences;
  Value none;
  Block *entry = nullptr;
  /// The first error diagnostic emitted while an op is built or verified.
  std::string diagnostic;
  unsigned resourceCounter = 0;
  /// Weights imported so far, by a hash of their type and bytes.
  llvm::DenseMap<size_t, SmallVector<DenseResourceElementsAttr, 1>>
      weightsByHash;
};

} // namespace

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

llvm::Expected<Type> Importer::importElementType(int32_t onnxType,
                                                 StringRef what) {
  Builder b(&context);
  switch (onnxType) {
  case proto::TensorProto::FLOAT:
    return b.getF32Type();
  case proto::TensorProto::FLOAT16:
    return b.getF16Type();
  case proto::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case proto::TensorProto::DOUBLE:
    return b.getF64Type();
  case proto::TensorProto::INT64:
    return b.getI64Type();
  case proto::TensorProto::INT32:
    return b.getI32Type();
  case proto::TensorProto::INT8:
    return b.getI8Type();
  case proto::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case proto::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return fail(what + " has element type " + onnxTypeName(onnxType) + " (" +
                Twine(onnxType) +
                "), which is not supported (float, float16, bfloat16, "
                "double, int64, int32, int8, uint8, bool)");
  }
}

llvm::Expected<TensorType> Importer::importType(const proto::TypeProto &type,
                                                StringRef what) {
  if (!type.has_tensor_type())
    return fail(what + " is not a tensor (sequences, maps and optionals are "
                       "not supported)");
  const proto::TypeProto::Tensor &tensor = type.tensor_type();
  llvm::Expected<Type> elementType =
      importElementType(tensor.elem_type(), what);
  if (!elementType)
    return elementType.takeError();
  if (!tensor.has_shape())
    return UnrankedTensorType::get(*elementType);
  SmallVector<int64_t> shape;
  for (const proto::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() < 0)
      return fail(what + " has a negative dimension " + Twine(dim.dim_value()));
    shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                        : ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, *elementType);
}

/// Appends `count` elements of the repeated field to `bytes`, converted to
/// `Element` (ONNX stores narrow types widened into int32_data).
template <typename Element, typename Field>
static void appendConverted(const Field &field, std::string &bytes) {
  for (auto value : field) {
    Element element = static_cast<Element>(value);
    bytes.append(reinterpret_cast<const char *>(&element), sizeof(Element));
  }
}

llvm::Expected<std::string>
Importer::readTensorBytes(const proto::TensorProto &tensor, TensorType type) {
  auto ranked = cast<RankedTensorType>(type);
  Type elementType = ranked.getElementType();
  // Bools are one byte each in ONNX (and in our buffers).
  size_t elementSize =
      elementType.isInteger(1) ? 1 : elementType.getIntOrFloatBitWidth() / 8;
  uint64_t count = 1;
  for (int64_t dim : ranked.getShape()) {
    if (dim != 0 &&
        count > std::numeric_limits<uint64_t>::max() / elementSize / dim)
      return fail("tensor '" + tensor.name() + "' is too large");
    count *= dim;
  }
  uint64_t expected = count * elementSize;

  // The values are in one place: which of two would count is not said.
  const int typedFields =
      (tensor.float_data_size() > 0) + (tensor.int32_data_size() > 0) +
      (tensor.int64_data_size() > 0) + (tensor.double_data_size() > 0) +
      (tensor.uint64_data_size() > 0) + (tensor.string_data_size() > 0);
  const int places = typedFields + tensor.has_raw_data() +
                     (tensor.data_location() == proto::TensorProto::EXTERNAL);
  if (places > 1)
    return fail("tensor '" + tensor.name() +
                "' holds its values in more than one of raw_data, external "
                "data and the typed fields");

  std::string bytes;
  if (tensor.data_location() == proto::TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0, length = 0;
    bool hasLength = false;
    for (const proto::StringStringEntryProto &entry : tensor.external_data()) {
      if (entry.key() == "location") {
        location = entry.value();
      } else if (entry.key() == "offset" || entry.key() == "length") {
        uint64_t number;
        if (StringRef(entry.value()).getAsInteger(10, number))
          return fail("tensor '" + tensor.name() + "': external data " +
                      entry.key() + " '" + entry.value() + "' is not a number");
        (entry.key() == "offset" ? offset : length) = number;
        hasLength |= entry.key() == "length";
      }
    }
    if (location.empty())
      return fail("tensor '" + tensor.name() +
                  "': external data without a location");
    if (location.find('\0') != std::string::npos)
      return fail("tensor '" + tensor.name() +
                  "': external data location holds a NUL byte");
    if (llvm::sys::path::is_absolute(location) ||
        StringRef(location).contains(".."))
      return fail("tensor '" + tensor.name() + "': external data location '" +
                  location + "' must be a path inside the model's folder");
    SmallString<256> path(modelDir);
    llvm::sys::path::append(path, location);
    // Symbolic links could still lead out of the folder, or to a device.
    SmallString<256> realDir, realPath;
    if (std::error_code error = llvm::sys::fs::real_path(path, realPath))
      return fail("tensor '" + tensor.name() +
                  "': cannot read external data '" + path +
                  "': " + error.message());
    if (std::error_code error = llvm::sys::fs::real_path(
            modelDir.empty() ? StringRef(".") : StringRef(modelDir), realDir))
      return fail("cannot resolve the model's folder '" + modelDir +
                  "': " + error.message());
    if (!realDir.ends_with(llvm::sys::path::get_separator()))
      realDir += llvm::sys::path::get_separator();
    if (!StringRef(realPath).starts_with(realDir) ||
        !llvm::sys::fs::is_regular_file(realPath))
      return fail("tensor '" + tensor.name() + "': external data location '" +
                  location + "' resolves to '" + realPath +
                  "', not a file inside the model's folder (copy the data "
                  "beside the model, following links: cp -L)");
    // What was checked is what is read, even if the link changes.
    auto file = llvm::MemoryBuffer::getFile(realPath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
    if (!file)
      return fail("tensor '" + tensor.name() +
                  "': cannot read external data '" + path +
                  "': " + file.getError().message());
    uint64_t size = (*file)->getBufferSize();
    if (!hasLength)
      length = offset <= size ? size - offset : 0;
    if (offset > size || length > size - offset)
      return fail("tensor '" + tensor.name() + "': external data '" + path +
                  "' holds " + Twine(size) + " bytes, fewer than offset " +
                  Twine(offset) + " + length " + Twine(length));
    bytes.assign((*file)->getBufferStart() + offset, length);
  } else if (tensor.has_raw_data()) {
    bytes = tensor.raw_data();
  } else {
    switch (tensor.data_type()) {
    case proto::TensorProto::FLOAT:
      appendConverted<float>(tensor.float_data(), bytes);
      break;
    case proto::TensorProto::DOUBLE:
      appendConverted<double>(tensor.double_data(), bytes);
      break;
    case proto::TensorProto::INT64:
      appendConverted<int64_t>(tensor.int64_data(), bytes);
      break;
    case proto::TensorProto::INT32:
      appendConverted<int32_t>(tensor.int32_data(), bytes);
      break;
    case proto::TensorProto::FLOAT16:
    case proto::TensorProto::BFLOAT16:
      appendConverted<uint16_t>(tensor.int32_data(), bytes);
      break;
    case proto::TensorProto::INT8:
      appendConverted<int8_t>(tensor.int32_data(), bytes);
      break;
    case proto::TensorProto::UINT8:
    case proto::TensorProto::BOOL:
      appendConverted<uint8_t>(tensor.int32_data(), bytes);
      break;
    default:
      break; // importElementType has rejected every other type
    }
  }
  if (bytes.size() != expected)
    return fail("tensor '" + tensor.name() + "' of shape " +
                formatShape(ranked.getShape()) + " needs " + Twine(expected) +
                " bytes of data, it has " + Twine(bytes.size()));
  return bytes;
}

/// A name usable as a resource key: letters, digits and '_' only.
static std::string resourceKey(StringRef name, unsigned counter) {
  std::string key = "w" + std::to_string(counter) + "_";
  for (char c : name)
    key += llvm::isAlnum(c) ? c : '_';
  return key;
}

llvm::Expected<ElementsAttr>
Importer::importTensor(const proto::TensorProto &tensor) {
  proto::TypeProto typeProto;
  typeProto.mutable_tensor_type()->set_elem_type(tensor.data_type());
  proto::TensorShapeProto *shape =
      typeProto.mutable_tensor_type()->mutable_shape();
  for (int64_t dim : tensor.dims())
    shape->add_dim()->set_dim_value(dim);
  llvm::Expected<TensorType> type =
      importType(typeProto, "tensor '" + tensor.name() + "'");
  if (!type)
    return type.takeError();
  auto ranked = cast<RankedTensorType>(*type);
  llvm::Expected<std::string> bytes = readTensorBytes(tensor, ranked);
  if (!bytes)
    return bytes.takeError();

  if (ranked.getElementType().isInteger(1)) {
    SmallVector<bool> bools(bytes->begin(), bytes->end());
    return DenseElementsAttr::get(ranked, ArrayRef<bool>(bools));
  }
  if (ranked.getNumElements() <= options.inlineElementLimit)
    return DenseElementsAttr::getFromRawBuffer(
        ranked, ArrayRef<char>(bytes->data(), bytes->size()));
  // Exporters copy a weight for each use (torch 1.13 folds a transposed
  // weight into a new initializer per call): one attribute per content lets
  // CSE merge the computations that read the copies.
  size_t hash = llvm::hash_combine(ranked, llvm::hash_value(StringRef(*bytes)));
  for (DenseResourceElementsAttr seen : weightsByHash[hash]) {
    ArrayRef<char> data = seen.getRawHandle().getBlob()->getData();
    if (seen.getType() == ranked && data.size() == bytes->size() &&
        std::equal(data.begin(), data.end(), bytes->begin()))
      return seen;
  }
  // Weights: a blob that the printer writes as one hex string and bytecode
  // as raw bytes, aligned for any element type.
  auto weight = DenseResourceElementsAttr::get(
      ranked, resourceKey(tensor.name(), resourceCounter++),
      HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(bytes->data(), bytes->size()), alignof(double)));
  weightsByHash[hash].push_back(weight);
  return weight;
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

Value Importer::noValue() {
  if (!none) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(entry);
    none = builder.create<onnx::NoValueOp>(builder.getUnknownLoc());
  }
  return none;
}

llvm::Expected<Value> Importer::lookup(const std::string &name,
                                       const NodeInfo &info) {
  if (name.empty())
    return noValue();
  if (sequences.contains(name))
    return failAt(info, "input '" + name +
                            "' is a sequence, which only the sequence ops "
                            "take (SequenceAt, ConcatFromSequence, ...)");
  auto it = values.find(name);
  if (it == values.end())
    return failAt(info, "input '" + name +
                            "' is not a graph input, an initializer or the "
                            "output of an earlier node");
  return it->second;
}

llvm::Error Importer::define(const std::string &name, Value value,
                             const NodeInfo &info) {
  if (name.empty()) // an optional output the model does not use
    return llvm::Error::success();
  if (sequences.contains(name) || !values.try_emplace(name, value).second)
    return failAt(info, "output '" + name +
                            "' is already defined (ONNX values are assigned "
                            "once)");
  return llvm::Error::success();
}

llvm::Error Importer::defineSequence(const std::string &name,
                                     SmallVector<Value> elements,
                                     const NodeInfo &info) {
  if (name.empty())
    return llvm::Error::success();
  if (values.contains(name) ||
      !sequences.try_emplace(name, std::move(elements)).second)
    return failAt(info, "output '" + name +
                            "' is already defined (ONNX values are assigned "
                            "once)");
  return llvm::Error::success();
}

llvm::Error Importer::importInputs(const proto::GraphProto &graph,
                                   Block &body) {
  std::set<std::string> initializers;
  for (const proto::TensorProto &tensor : graph.initializer())
    if (!initializers.insert(tensor.name()).second)
      return fail("the graph has two initializers named '" + tensor.name() +
                  "'");

  // Old exporters list the initializers among the inputs too: such an
  // input is the initializer, and must say its type if it says one.
  std::vector<const proto::ValueInfoProto *> inputs;
  std::map<std::string, const proto::ValueInfoProto *> listedInitializers;
  for (const proto::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      listedInitializers[input.name()] = &input;
    else
      inputs.push_back(&input);
  }

  std::set<std::string> used, names;
  for (const proto::ValueInfoProto *input : inputs) {
    std::string what = "input '" + input->name() + "'";
    // The names are the executable's API: each must say one input.
    if (input->name().empty())
      return fail("an input of the graph has no name");
    if (!names.insert(input->name()).second)
      return fail("the graph declares " + what + " twice");
    llvm::Expected<TensorType> type = importType(input->type(), what);
    if (!type)
      return type.takeError();
    auto shapeIt = options.inputShapes.find(input->name());
    if (shapeIt == options.inputShapes.end() && inputs.size() == 1)
      shapeIt = options.inputShapes.find("");
    if (shapeIt != options.inputShapes.end()) {
      used.insert(shapeIt->first);
      ArrayRef<int64_t> given = shapeIt->second;
      if (auto ranked = dyn_cast<RankedTensorType>(*type)) {
        if (ranked.getRank() != static_cast<int64_t>(given.size()))
          return fail("--input-shape gives " + what + " rank " +
                      Twine(given.size()) + ", the model has rank " +
                      Twine(ranked.getRank()));
        for (auto [index, dims] :
             llvm::enumerate(llvm::zip(ranked.getShape(), given))) {
          auto [modelDim, givenDim] = dims;
          if (!ShapedType::isDynamic(modelDim) && modelDim != givenDim)
            return fail("--input-shape gives " + what + " size " +
                        Twine(givenDim) + " in dimension " + Twine(index) +
                        ", the model fixes it to " + Twine(modelDim));
        }
      }
      type = RankedTensorType::get(given, type->getElementType());
    }
    values[input->name()] = body.addArgument(
        *type, NameLoc::get(builder.getStringAttr(input->name())));
  }
  for (const auto &[name, shape] : options.inputShapes)
    if (!used.count(name))
      return fail(name.empty()
                      ? Twine("--input-shape without a name needs a model "
                              "with exactly one input")
                      : "--input-shape names '" + name +
                            "', which is not an input of the model");

  for (const proto::TensorProto &tensor : graph.initializer()) {
    llvm::Expected<ElementsAttr> value = importTensor(tensor);
    if (!value)
      return value.takeError();
    if (auto listed = listedInitializers.find(tensor.name());
        listed != listedInitializers.end() && listed->second->has_type()) {
      std::string what = "input '" + tensor.name() + "'";
      llvm::Expected<TensorType> declared =
          importType(listed->second->type(), what);
      if (!declared)
        return declared.takeError();
      auto type = cast<ShapedType>(value->getType());
      if (declared->getElementType() != type.getElementType() ||
          (declared->hasRank() &&
           failed(
               verifyCompatibleShape(declared->getShape(), type.getShape())))) {
        std::string types;
        llvm::raw_string_ostream os(types);
        os << *declared << " but its initializer is " << type;
        return fail(what + " is declared " + types);
      }
    }
    Location loc = NameLoc::get(builder.getStringAttr(tensor.name()));
    values[tensor.name()] = builder.create<onnx::ConstantOp>(loc, *value);
  }
  if (graph.sparse_initializer_size())
    return fail("sparse initializers are not supported");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

llvm::Expected<Attribute>
Importer::importAttribute(const proto::AttributeProto &attr,
                          const NodeInfo &info) {
  Builder b(&context);
  switch (attr.type()) {
  case proto::AttributeProto::INT:
    return b.getIntegerAttr(b.getIntegerType(64, /*isSigned=*/true), attr.i());
  case proto::AttributeProto::FLOAT:
    return b.getF32FloatAttr(attr.f());
  case proto::AttributeProto::STRING:
    return b.getStringAttr(attr.s());
  case proto::AttributeProto::INTS:
    return b.getDenseI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end()));
  case proto::AttributeProto::FLOATS:
    return b.getDenseF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end()));
  case proto::AttributeProto::STRINGS:
    return b.getStrArrayAttr(
        SmallVector<StringRef>(attr.strings().begin(), attr.strings().end()));
  case proto::AttributeProto::TENSOR: {
    llvm::Expected<ElementsAttr> tensor = importTensor(attr.t());
    if (!tensor)
      return tensor.takeError();
    return *tensor;
  }
  default:
    return failAt(info,
                  "attribute '" + attr.name() + "' has type " +
                      proto::AttributeProto::AttributeType_Name(attr.type()) +
                      ", which is not supported");
  }
}

std::optional<unsigned> Importer::fixedResultCount(OperationName name) {
  if (name.hasTrait<OpTrait::ZeroResults>())
    return 0;
  if (name.hasTrait<OpTrait::OneResult>())
    return 1;
  if (name.hasTrait<OpTrait::NResults<2>::Impl>())
    return 2;
  if (name.hasTrait<OpTrait::NResults<3>::Impl>())
    return 3;
  if (name.hasTrait<OpTrait::NResults<4>::Impl>())
    return 4;
  return std::nullopt;
}

std::optional<unsigned> Importer::fixedOperandCount(OperationName name) {
  if (name.hasTrait<OpTrait::ZeroOperands>())
    return 0;
  if (name.hasTrait<OpTrait::OneOperand>())
    return 1;
  if (name.hasTrait<OpTrait::NOperands<2>::Impl>())
    return 2;
  if (name.hasTrait<OpTrait::NOperands<3>::Impl>())
    return 3;
  if (name.hasTrait<OpTrait::NOperands<4>::Impl>())
    return 4;
  if (name.hasTrait<OpTrait::NOperands<5>::Impl>())
    return 5;
  if (name.hasTrait<OpTrait::NOperands<6>::Impl>())
    return 6;
  if (name.hasTrait<OpTrait::NOperands<7>::Impl>())
    return 7;
  return std::nullopt;
}

llvm::Error Importer::importConstantNode(const proto::NodeProto &node,
                                         const NodeInfo &info, Location loc) {
  if (node.attribute_size() != 1)
    return failAt(info, "expected exactly one attribute, got " +
                            Twine(node.attribute_size()));
  const proto::AttributeProto &attr = node.attribute(0);
  // Each attribute of a Constant holds one kind of value.
  using Kind = proto::AttributeProto;
  const std::map<std::string, Kind::AttributeType> kinds = {
      {"value", Kind::TENSOR},
      {"value_float", Kind::FLOAT},
      {"value_floats", Kind::FLOATS},
      {"value_int", Kind::INT},
      {"value_ints", Kind::INTS}};
  auto kind = kinds.find(attr.name());
  if (kind != kinds.end() && attr.type() != kind->second)
    return failAt(info, "attribute '" + attr.name() + "' is of type " +
                            Kind::AttributeType_Name(attr.type()) + ", not " +
                            Kind::AttributeType_Name(kind->second));
  Builder b(&context);
  ElementsAttr value;
  if (attr.name() == "value") {
    llvm::Expected<Attribute> tensor = importAttribute(attr, info);
    if (!tensor)
      return tensor.takeError();
    value = cast<ElementsAttr>(*tensor);
  } else if (attr.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   attr.f());
  } else if (attr.name() == "value_floats") {
    SmallVector<float> floats(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(floats.size())},
                              b.getF32Type()),
        ArrayRef<float>(floats));
  } else if (attr.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   static_cast<int64_t>(attr.i()));
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> ints(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(ints.size())},
                              b.getI64Type()),
        ArrayRef<int64_t>(ints));
  } else {
    return failAt(info, "attribute '" + attr.name() + "' is not supported");
  }
  if (node.output_size() != 1)
    return failAt(info, "expected 1 output, got " + Twine(node.output_size()));
  return define(node.output(0),
                builder.create<onnx::ConstantOp>(loc, value).getResult(), info);
}

/// Opsets 11 and 12 say some things differently from 13; reads such a node
/// as opset 13 says it. Squeeze, Unsqueeze and ReduceSum (`axes`) and Split
/// (`split`) took as an attribute what became their second input. Softmax,
/// LogSoftmax and Hardmax (axis 1 by default) worked over the dimensions
/// from `axis` on, flattened together: opset 13's op when the sizes after
/// `axis` are all 1, as when it is the last, as exporters make it. Dropout-10's
/// `ratio` does not matter in inference.
llvm::Error Importer::readInOpset13Form(
    const proto::NodeProto &node, const NodeInfo &info, Location loc,
    SmallVectorImpl<Value> &operands,
    SmallVectorImpl<const proto::AttributeProto *> &attributes,
    NamedAttrList &added) {
  StringRef opType = node.op_type();
  // Removes the attribute `name` from `attributes` and returns it.
  auto take = [&](StringRef name) -> const proto::AttributeProto * {
    auto it = llvm::find_if(attributes, [&](const proto::AttributeProto *a) {
      return a->name() == name;
    });
    if (it == attributes.end())
      return nullptr;
    const proto::AttributeProto *attr = *it;
    attributes.erase(it);
    return attr;
  };

  if (llvm::is_contained({"Squeeze", "Unsqueeze", "ReduceSum", "Split"},
                         opType)) {
    const proto::AttributeProto *attr =
        take(opType == "Split" ? "split" : "axes");
    if (!attr)
      return llvm::Error::success();
    if (attr->type() != proto::AttributeProto::INTS)
      return failAt(info, "attribute '" + attr->name() +
                              "' must be a list of integers");
    // An empty list means what leaving it out means (ONNX Runtime agrees).
    if (attr->ints().empty())
      return llvm::Error::success();
    if (operands.size() < 2 || !isa<NoneType>(operands[1].getType()))
      return failAt(info, "attribute '" + attr->name() +
                              "' and an input in its place are both given");
    operands[1] = createI64Constant(
        builder, loc,
        SmallVector<int64_t>(attr->ints().begin(), attr->ints().end()));
    return llvm::Error::success();
  }

  if (llvm::is_contained({"Softmax", "LogSoftmax", "Hardmax"}, opType)) {
    int64_t axis = 1;
    if (const proto::AttributeProto *attr = take("axis")) {
      if (attr->type() != proto::AttributeProto::INT)
        return failAt(info, "attribute 'axis' must be an integer");
      axis = attr->i();
    }
    auto type = operands.empty()
                    ? RankedTensorType()
                    : dyn_cast<RankedTensorType>(operands[0].getType());
    if (!type)
      return failAt(info, "the input's rank must be known");
    int64_t rank = type.getRank();
    llvm::Expected<int64_t> first = normalizedAxis(info, axis, rank);
    if (!first)
      return first.takeError();
    // Normalizing over the dimensions from `axis` on is normalizing over
    // `axis` alone when those after it are all 1.
    if (llvm::any_of(type.getShape().drop_front(*first + 1),
                     [](int64_t size) { return size != 1; }))
      return failAt(info, "before opset 13, " + opType +
                              " works over the dimensions from axis on, "
                              "flattened together; only an axis after which "
                              "every size is 1 (such as the last, " +
                              Twine(rank - 1) + ") is supported, got " +
                              Twine(axis));
    added.set("axis", si64(*first));
    return llvm::Error::success();
  }

  if (opType == "Dropout" && opset < 12)
    take("ratio");
  return llvm::Error::success();
}

/// The ops of sequences, which importSequenceNode resolves.
static bool isSequenceOp(StringRef opType) {
  return llvm::is_contained({"SequenceConstruct", "SequenceEmpty", "SequenceAt",
                             "SequenceInsert", "SequenceErase",
                             "SequenceLength", "SplitToSequence",
                             "ConcatFromSequence"},
                            opType);
}

llvm::Error Importer::importNode(const proto::NodeProto &node,
                                 const NodeInfo &info) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return failAt(info, "domain '" + node.domain() + "' is not supported");
  Location loc = NameLoc::get(builder.getStringAttr(info.name),
                              FileLineColLoc::get(&context, fileName, 0, 0));
  // One value per attribute: which of two would count is not said.
  std::set<std::string> attributeNames;
  for (const proto::AttributeProto &attr : node.attribute())
    if (!attributeNames.insert(attr.name()).second)
      return failAt(info, "attribute '" + attr.name() + "' is given twice");
  if (node.op_type() == "Constant")
    return importConstantNode(node, info, loc);
  if (isSequenceOp(node.op_type()))
    return importSequenceNode(node, info, loc);

  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup("onnx." + node.op_type(), &context);
  if (!name || node.op_type() == "NoValue")
    return failAt(info, "op type '" + node.op_type() + "' is not supported");

  // Operands: ONNX order, optional inputs left out become onnx.NoValue.
  SmallVector<Value> operands;
  for (const std::string &input : node.input()) {
    llvm::Expected<Value> value = lookup(input, info);
    if (!value)
      return value.takeError();
    operands.push_back(*value);
  }
  if (std::optional<unsigned> count = fixedOperandCount(*name)) {
    if (operands.size() > *count)
      return failAt(info, "expected at most " + Twine(*count) + " input" +
                              (*count == 1 ? "" : "s") + ", got " +
                              Twine(operands.size()));
    while (operands.size() < *count)
      operands.push_back(noValue());
  }

  // Attributes: ONNX names; names the op does not know are errors rather
  // than silently dropped semantics.
  SmallVector<const proto::AttributeProto *> nodeAttributes;
  for (const proto::AttributeProto &attr : node.attribute())
    nodeAttributes.push_back(&attr);
  NamedAttrList attributes;
  if (opset < 13)
    if (llvm::Error error = readInOpset13Form(node, info, loc, operands,
                                              nodeAttributes, attributes))
      return error;
  for (const proto::AttributeProto *attr : nodeAttributes) {
    if (!llvm::is_contained(name->getAttributeNames(),
                            builder.getStringAttr(attr->name())))
      return failAt(info, "attribute '" + attr->name() + "' is not supported");
    llvm::Expected<Attribute> value = importAttribute(*attr, info);
    if (!value)
      return value.takeError();
    attributes.set(attr->name(), *value);
  }
  // An attribute of the wrong kind (a float `axis`) would leave the op's
  // property unset; check kinds before the op exists.
  diagnostic.clear();
  if (failed(name->verifyInherentAttrs(attributes,
                                       [&] { return emitError(loc); })))
    return failAt(info, diagnostic.empty() ? "invalid attribute" : diagnostic);
  // Split without a `split` input divides into as many outputs as the node
  // has; say so the way opset 18 does, so that inference knows the count.
  if (node.op_type() == "Split" && isa<NoneType>(operands[1].getType()) &&
      !attributes.get("num_outputs"))
    attributes.set("num_outputs", si64(node.output_size()));

  unsigned numResults = fixedResultCount(*name).value_or(
      static_cast<unsigned>(node.output_size()));
  if (static_cast<unsigned>(node.output_size()) > numResults)
    return failAt(info, "expected at most " + Twine(numResults) + " output" +
                            (numResults == 1 ? "" : "s") + ", got " +
                            Twine(node.output_size()));

  llvm::Expected<SmallVector<Value>> results =
      buildOp(info, loc, *name, operands, attributes, numResults);
  if (!results)
    return results.takeError();
  for (auto [index, output] : llvm::enumerate(node.output()))
    if (llvm::Error error = define(output, (*results)[index], info))
      return error;
  return llvm::Error::success();
}

llvm::Expected<SmallVector<Value>>
Importer::buildOp(const NodeInfo &info, Location loc,
                  RegisteredOperationName name, ValueRange operands,
                  const NamedAttrList &attributes, unsigned numResults) {
  // Build with placeholder result types, then ask the op for the real ones:
  // inference reads the op's own attributes and properties.
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attributes);
  state.addTypes(SmallVector<Type>(numResults, NoneType::get(&context)));
  Operation *op = builder.create(state);

  auto inferable = dyn_cast<InferTypeOpInterface>(op);
  if (!inferable) {
    op->erase();
    return failAt(info, "internal: " + name.getStringRef() +
                            " does not infer its result types");
  }
  SmallVector<Type> types;
  diagnostic.clear();
  if (failed(onnx::inferResultTypes(inferable, types))) {
    op->erase();
    return failAt(info, diagnostic.empty() ? "cannot infer the result types"
                                           : diagnostic);
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failAt(info, diagnostic.empty() ? "invalid op" : diagnostic);
  }

  // Fold now, so that later ops see constants and infer static shapes.
  SmallVector<Value> results(op->getResults());
  SmallVector<OpFoldResult> folded;
  if (options.fold && succeeded(op->fold(folded)) && !folded.empty()) {
    for (auto [index, result] : llvm::enumerate(folded)) {
      if (auto value = dyn_cast<Value>(result)) {
        results[index] = value;
        continue;
      }
      Type type = op->getResult(index).getType();
      Operation *constant = op->getDialect()->materializeConstant(
          builder, cast<Attribute>(result), type, loc);
      if (!constant) { // keep the op when a constant cannot stand for it
        results.assign(op->result_begin(), op->result_end());
        break;
      }
      results[index] = constant->getResult(0);
    }
    if (llvm::none_of(op->getResults(),
                      [&](Value v) { return llvm::is_contained(results, v); }))
      op->erase();
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Sequences
//===----------------------------------------------------------------------===//

// An ONNX sequence is resolved at import into the list of tensors it holds,
// so that no sequence reaches the IR: SplitToSequence becomes a Split,
// ConcatFromSequence a Concat (of Unsqueezes with new_axis), SequenceAt the
// element at its position, SequenceLength a constant. Positions must be
// constants. torch's dynamo exporter writes SplitToSequence and SequenceAt
// for torch.split and chunk when its optimizer does not run.

llvm::Error Importer::importSequenceNode(const proto::NodeProto &node,
                                         const NodeInfo &info, Location loc) {
  StringRef opType = node.op_type();
  if (node.output_size() != 1)
    return failAt(info, "expected 1 output, got " + Twine(node.output_size()));
  const std::string &output = node.output(0);

  // Attributes, by the names each op takes.
  std::map<std::string, int64_t> ints;
  for (const proto::AttributeProto &attr : node.attribute()) {
    bool known = (opType == "SequenceEmpty" && attr.name() == "dtype") ||
                 (opType == "SplitToSequence" &&
                  (attr.name() == "axis" || attr.name() == "keepdims")) ||
                 (opType == "ConcatFromSequence" &&
                  (attr.name() == "axis" || attr.name() == "new_axis"));
    if (!known)
      return failAt(info, "attribute '" + attr.name() + "' is not supported");
    if (attr.type() != proto::AttributeProto::INT)
      return failAt(info, "attribute '" + attr.name() + "' must be an integer");
    ints[attr.name()] = attr.i();
  }
  auto intAttr = [&](const std::string &name, int64_t fallback) {
    auto it = ints.find(name);
    return it == ints.end() ? fallback : it->second;
  };
  // Input i, present or not.
  auto given = [&](int i) {
    return i < node.input_size() && !node.input(i).empty();
  };
  // Input i, a tensor that must be given.
  auto tensor = [&](int i) -> llvm::Expected<Value> {
    if (!given(i))
      return failAt(info, "input " + Twine(i) + " is required");
    return lookup(node.input(i), info);
  };
  auto sequence = [&](int i) -> llvm::Expected<SmallVector<Value>> {
    auto it = given(i) ? sequences.find(node.input(i)) : sequences.end();
    if (it == sequences.end())
      return failAt(info, "input " + Twine(i) + " must be a sequence");
    return it->second;
  };
  // A constant scalar position in [-size, size) (or up to size itself where
  // `end` may be named), made non-negative.
  auto position = [&](int i, int64_t size,
                      bool endAllowed) -> llvm::Expected<int64_t> {
    llvm::Expected<Value> value = tensor(i);
    if (!value)
      return value.takeError();
    std::optional<SmallVector<int64_t>> index = onnx::getConstantInts(*value);
    if (!index || index->size() != 1)
      return failAt(info, "the position must be a constant integer (a "
                          "sequence is resolved at import)");
    int64_t p = (*index)[0], limit = endAllowed ? size + 1 : size;
    if (p < -size || p >= limit)
      return failAt(info, "position " + Twine(p) +
                              " is out of range for a sequence of " +
                              Twine(size));
    return p < 0 ? p + size : p;
  };

  if (opType == "SequenceEmpty")
    return defineSequence(output, {}, info);
  if (opType == "SequenceConstruct") {
    SmallVector<Value> elements;
    for (int i = 0; i < node.input_size(); ++i) {
      llvm::Expected<Value> element = tensor(i);
      if (!element)
        return element.takeError();
      elements.push_back(*element);
    }
    return defineSequence(output, std::move(elements), info);
  }

  if (opType == "SplitToSequence")
    return importSplitToSequence(node, info, loc, intAttr("axis", 0),
                                 intAttr("keepdims", 1));

  llvm::Expected<SmallVector<Value>> elements = sequence(0);
  if (!elements)
    return elements.takeError();
  const int64_t size = elements->size();
  if (opType == "SequenceLength") {
    auto type = RankedTensorType::get({}, builder.getI64Type());
    Value length = builder.create<onnx::ConstantOp>(
        loc, DenseElementsAttr::get(type, size));
    return define(output, length, info);
  }
  if (opType == "SequenceAt") {
    llvm::Expected<int64_t> at = position(1, size, /*endAllowed=*/false);
    if (!at)
      return at.takeError();
    return define(output, (*elements)[*at], info);
  }
  if (opType == "SequenceInsert") {
    llvm::Expected<Value> element = tensor(1);
    if (!element)
      return element.takeError();
    int64_t at = size;
    if (given(2)) {
      llvm::Expected<int64_t> p = position(2, size, /*endAllowed=*/true);
      if (!p)
        return p.takeError();
      at = *p;
    }
    elements->insert(elements->begin() + at, *element);
    return defineSequence(output, std::move(*elements), info);
  }
  if (opType == "SequenceErase") {
    if (size == 0)
      return failAt(info, "the sequence is empty: nothing to erase");
    int64_t at = size - 1;
    if (given(1)) {
      llvm::Expected<int64_t> p = position(1, size, /*endAllowed=*/false);
      if (!p)
        return p.takeError();
      at = *p;
    }
    elements->erase(elements->begin() + at);
    return defineSequence(output, std::move(*elements), info);
  }

  // ConcatFromSequence: a Concat, of the elements unsqueezed at the axis
  // with new_axis.
  if (!ints.count("axis"))
    return failAt(info, "attribute 'axis' is required");
  if (size == 0)
    return failAt(info, "the sequence is empty: nothing to concatenate");
  int64_t axis = intAttr("axis", 0);
  if (int64_t newAxis = intAttr("new_axis", 0); newAxis != 0) {
    if (newAxis != 1)
      return failAt(info, "new_axis must be 0 or 1, got " + Twine(newAxis));
    auto type = dyn_cast<RankedTensorType>((*elements)[0].getType());
    if (!type)
      return failAt(info, "the elements' rank must be known");
    llvm::Expected<int64_t> at = normalizedAxis(info, axis, type.getRank() + 1);
    if (!at)
      return at.takeError();
    axis = *at;
    if (llvm::Error error =
            applyAtAxis(info, loc, "onnx.Unsqueeze", *elements, axis))
      return error;
  }
  NamedAttrList attributes;
  attributes.set("axis", si64(axis));
  llvm::Expected<SmallVector<Value>> concat =
      buildOp(info, loc, opName("onnx.Concat"), *elements, attributes, 1);
  if (!concat)
    return concat.takeError();
  return define(output, (*concat)[0], info);
}

llvm::Error Importer::applyAtAxis(const NodeInfo &info, Location loc,
                                  StringRef op, SmallVector<Value> &values,
                                  int64_t axis) {
  for (Value &value : values) {
    llvm::Expected<SmallVector<Value>> result =
        buildOp(info, loc, opName(op),
                {value, createI64Constant(builder, loc, {axis})}, {}, 1);
    if (!result)
      return result.takeError();
    value = (*result)[0];
  }
  return llvm::Error::success();
}

llvm::Error Importer::importSplitToSequence(const proto::NodeProto &node,
                                            const NodeInfo &info, Location loc,
                                            int64_t axis, int64_t keepdims) {
  if (node.input_size() < 1 || node.input(0).empty())
    return failAt(info, "input 0 is required");
  llvm::Expected<Value> input = lookup(node.input(0), info);
  if (!input)
    return input.takeError();
  auto type = dyn_cast<RankedTensorType>(input->getType());
  if (!type)
    return failAt(info, "the input's rank must be known");
  llvm::Expected<int64_t> at = normalizedAxis(info, axis, type.getRank());
  if (!at)
    return at.takeError();
  axis = *at;
  int64_t length = type.getDimSize(axis);
  if (ShapedType::isDynamic(length))
    return failAt(info, "the size of the split axis must be known");

  // The pieces' sizes: ones without `split` (the axis squeezed away unless
  // keepdims), equal pieces of a scalar `split` (the last one shorter), or
  // the sizes a 1-D `split` lists.
  // Each piece becomes a value of its own: more than this is no model's.
  constexpr int64_t kMaxPieces = int64_t(1) << 16;
  auto tooMany = [&](int64_t pieces) {
    return failAt(info, "splits into " + Twine(pieces) +
                            " pieces, more than the " + Twine(kMaxPieces) +
                            " supported");
  };
  SmallVector<int64_t> sizes;
  bool squeeze = false;
  if (node.input_size() < 2 || node.input(1).empty()) {
    if (length > kMaxPieces)
      return tooMany(length);
    sizes.assign(length, 1);
    squeeze = keepdims == 0;
  } else {
    llvm::Expected<Value> split = lookup(node.input(1), info);
    if (!split)
      return split.takeError();
    std::optional<SmallVector<int64_t>> given = onnx::getConstantInts(*split);
    auto splitType = dyn_cast<RankedTensorType>(split->getType());
    if (!given || !splitType || splitType.getRank() > 1)
      return failAt(info, "'split' must be a constant scalar or 1-D tensor of "
                          "integers");
    if (splitType.getRank() == 0) {
      int64_t piece = (*given)[0];
      if (piece <= 0)
        return failAt(info, "'split' must be positive, got " + Twine(piece));
      if (length / piece > kMaxPieces)
        return tooMany(length / piece + (length % piece != 0));
      for (int64_t begin = 0; begin < length; begin += piece)
        sizes.push_back(std::min(piece, length - begin));
    } else {
      sizes = *given;
      int64_t total = 0;
      for (int64_t piece : sizes) {
        if (piece < 0)
          return failAt(info, "'split' sizes must not be negative");
        total += piece;
      }
      if (total != length)
        return failAt(info, "'split' sizes add up to " + Twine(total) +
                                ", not the axis' " + Twine(length));
    }
  }

  SmallVector<Value> pieces;
  if (!sizes.empty()) {
    NamedAttrList attributes;
    attributes.set("axis", si64(axis));
    llvm::Expected<SmallVector<Value>> split =
        buildOp(info, loc, opName("onnx.Split"),
                {*input, createI64Constant(builder, loc, sizes)}, attributes,
                sizes.size());
    if (!split)
      return split.takeError();
    pieces = std::move(*split);
  }
  if (squeeze)
    if (llvm::Error error =
            applyAtAxis(info, loc, "onnx.Squeeze", pieces, axis))
      return error;
  return defineSequence(node.output(0), std::move(pieces), info);
}

//===----------------------------------------------------------------------===//
// Model
//===----------------------------------------------------------------------===//

llvm::Expected<OwningOpRef<ModuleOp>>
Importer::importModel(const proto::ModelProto &model) {
  if (!model.has_graph() && model.opset_import_size() == 0)
    return fail("not an ONNX model (it has neither a graph nor an opset)");
  for (const proto::OperatorSetIdProto &entry : model.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      opset = entry.version();
  if (opset == 0)
    return fail("the model imports no version of the default ONNX domain "
                "(is this an ONNX model?)");
  if (opset < kMinOpset || opset > kMaxOpset)
    return fail("opset " + Twine(opset) + " is outside the supported range " +
                Twine(kMinOpset) + "-" + Twine(kMaxOpset) +
                "; export with opset_version between them");
  if (!model.has_graph())
    return fail("the model has no graph");
  const proto::GraphProto &graph = model.graph();

  // Errors that ops emit while they are inferred or verified become the
  // reason of the importer's message.
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error || !diagnostic.empty())
      return success();
    // The node prefix already says which op: drop a verifier's "'onnx.X' op".
    diagnostic = diag.str();
    if (StringRef(diagnostic).starts_with("'onnx."))
      if (size_t end = diagnostic.find("' op "); end != std::string::npos)
        diagnostic.erase(0, end + 5);
    return success();
  });

  Location moduleLoc = FileLineColLoc::get(&context, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  module->getOperation()->setAttr("onnx.opset",
                                  builder.getI64IntegerAttr(opset));
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(moduleLoc, "main",
                                           builder.getFunctionType({}, {}));
  entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);

  if (llvm::Error error = importInputs(graph, *entry))
    return std::move(error);

  for (auto [index, node] : llvm::enumerate(graph.node())) {
    NodeInfo info{node.name().empty() ? "#" + std::to_string(index)
                                      : node.name(),
                  node.op_type()};
    if (llvm::Error error = importNode(node, info))
      return std::move(error);
  }

  if (graph.output().empty())
    return fail("the graph has no outputs: there is nothing to compute");
  SmallVector<Value> outputs;
  std::set<std::string> outputNames;
  for (const proto::ValueInfoProto &output : graph.output()) {
    if (!outputNames.insert(output.name()).second)
      return fail("the graph declares output '" + output.name() + "' twice");
    if (sequences.contains(output.name()))
      return fail("graph output '" + output.name() +
                  "' is a sequence; an executable returns tensors");
    auto it = values.find(output.name());
    if (it == values.end())
      return fail("graph output '" + output.name() + "' is never produced");
    // A declared static shape must agree with what the graph computes.
    if (output.has_type()) {
      llvm::Expected<TensorType> declared =
          importType(output.type(), "output '" + output.name() + "'");
      if (!declared)
        return declared.takeError();
      auto computed = dyn_cast<TensorType>(it->second.getType());
      if (computed && declared->hasRank() && computed.hasRank() &&
          failed(verifyCompatibleShape(*declared, computed)))
        return fail("output '" + output.name() + "' is declared " +
                    formatShape(cast<RankedTensorType>(*declared).getShape()) +
                    " but the graph computes " +
                    formatShape(cast<RankedTensorType>(computed).getShape()));
      if (computed && declared->getElementType() != computed.getElementType()) {
        std::string types;
        llvm::raw_string_ostream os(types);
        os << declared->getElementType() << " but the graph computes "
           << computed.getElementType();
        return fail("output '" + output.name() + "' is declared " + types);
      }
    }
    outputs.push_back(it->second);
  }
  builder.create<func::ReturnOp>(moduleLoc, outputs);
  func.setType(builder.getFunctionType(entry->getArgumentTypes(),
                                       ValueRange(outputs).getTypes()));
  // The graph's input and output names are the executable's API. Set all
  // at once: one at a time rebuilds the whole list each time (12.6 GB for
  // 40,000 outputs).
  auto named = [&](StringAttr name) {
    return builder.getDictionaryAttr(builder.getNamedAttr("onnx.name", name));
  };
  SmallVector<DictionaryAttr> argAttrs, resultAttrs;
  for (BlockArgument arg : entry->getArguments()) {
    auto name = dyn_cast<NameLoc>(arg.getLoc());
    argAttrs.push_back(name ? named(name.getName())
                            : builder.getDictionaryAttr({}));
  }
  for (const proto::ValueInfoProto &output : graph.output())
    resultAttrs.push_back(named(builder.getStringAttr(output.name())));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(resultAttrs);
  if (none && none.use_empty())
    none.getDefiningOp()->erase();

  diagnostic.clear();
  if (failed(verify(*module)))
    return fail(diagnostic.empty() ? "the imported module does not verify"
                                   : diagnostic);
  return std::move(module);
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

static void loadDialects(MLIRContext &context) {
  context.loadDialect<onnx::ONNXDialect, func::FuncDialect>();
}

llvm::Expected<OwningOpRef<ModuleOp>>
importONNXBytes(MLIRContext &context, StringRef bytes, StringRef name,
                const ONNXImportOptions &options) {
  loadDialects(context);
  proto::ModelProto model;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return makeError(name + ": the model is larger than 2 GiB; store its "
                            "weights as external data");
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return makeError(name + ": not a valid ONNX model (the protobuf is "
                            "truncated or malformed)");
  Importer importer(context, name, llvm::sys::path::parent_path(name), options);
  return importer.importModel(model);
}

/// What the text parser's exception `what` means: std::stof and alike
/// name only themselves, so those get `meaning` in front.
static std::string numberError(StringRef what, StringRef meaning) {
  if (!what.starts_with("sto"))
    return what.str();
  return (meaning + " (" + what + ")").str();
}

llvm::Expected<OwningOpRef<ModuleOp>>
importONNXFile(MLIRContext &context, StringRef path,
               const ONNXImportOptions &options) {
  // A device (/dev/zero) would be read forever; files and pipes end.
  llvm::sys::fs::file_status fileStatus;
  if (!llvm::sys::fs::status(path, fileStatus) &&
      (fileStatus.type() == llvm::sys::fs::file_type::character_file ||
       fileStatus.type() == llvm::sys::fs::file_type::block_file))
    return makeError(path + ": is a device, not a model file");
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/true);
  if (!file)
    return makeError(path + ": cannot open: " + file.getError().message());
  if (!path.ends_with(".onnxtxt"))
    return importONNXBytes(context, (*file)->getBuffer(), path, options);

  // ONNX's parser recurses once per nested brace: a deep enough nesting
  // (of graph attributes, 8,000 deep) overflows the stack. The binary
  // format's reader stops at 100 levels; so does this.
  constexpr int kMaxNesting = 100;
  int depth = 0;
  bool quoted = false;
  StringRef text = (*file)->getBuffer();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      i += c == '\\'; // an escaped character, a quote maybe
      quoted = c != '"';
      continue;
    }
    quoted = c == '"';
    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (depth > kMaxNesting)
      return makeError(path + ": braces nested more than " +
                       Twine(kMaxNesting) + " deep");
  }

  loadDialects(context);
  proto::ModelProto model;
  proto::Common::Status status;
  // The parser converts number literals with std::stof and alike, which
  // throw with only the function's name to say why.
  try {
    status = proto::OnnxParser::Parse(model, (*file)->getBufferStart());
  } catch (const std::out_of_range &e) {
    return makeError(path + ": not valid ONNX text syntax: " +
                     numberError(e.what(), "a number is out of its type's "
                                           "range"));
  } catch (const std::invalid_argument &e) {
    return makeError(path + ": not valid ONNX text syntax: " +
                     numberError(e.what(), "a malformed number"));
  } catch (const std::exception &e) {
    return makeError(path + ": not valid ONNX text syntax: " + e.what());
  }
  if (!status.IsOK()) {
    // The parser quotes the rest of the input, which may be the whole
    // model.
    std::string message = status.ErrorMessage();
    constexpr size_t kShown = 300;
    if (message.size() > kShown)
      message = message.substr(0, kShown) + "...";
    return makeError(path + ": not valid ONNX text syntax: " + message);
  }
  Importer importer(context, path, llvm::sys::path::parent_path(path), options);
  return importer.importModel(model);
}

} // namespace intr
