//===- NodeTest.cpp - One ONNX backend node test, end to end --------------===//
//
// Node tests feed shape-like operands (Reshape's shape, Slice's starts,
// Expand's shape, Resize's scales, ...) as graph inputs, while our compiler
// needs static shapes. When a model does not import with static shapes, its
// small inputs of the data set become initializers, integers first, which
// is what a static-shape compiler sees in a real model; the executable is
// then compiled for each data set. Input shapes always come from the data
// (a few tests declare shapes that their data does not have), and models of
// an opset older than the importer reads are read at its oldest when their
// ops did not change in between (Opsets.h).
//
//===----------------------------------------------------------------------===//

#include "NodeTest.h"
#include "Opsets.h"
#include "TestData.h"

#include "intr/Compiler/Compiler.h"
#include "intr/Dialect/ONNX/IR/ONNXDialect.h"
#include "intr/Import/ONNXImporter.h"
#include "intr/InitAllDialects.h"
#include "intr/runtime/Executable.h"
#include "intr/runtime/Npy.h"
#include "intr/runtime/Session.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>

using namespace mlir;
using llvm::StringRef;

namespace intr::conformance {
namespace {

/// Inputs of rank 0 or 1 up to this many elements may be folded into the
/// model as constants: shapes, axes, starts, repeats, pads, scales.
constexpr int64_t kMaxFoldedElements = 64;

/// The oldest opset the importer reads (kMinOpset in ONNXImporter.cpp).
constexpr int64_t kOldestImportedOpset = 11;

struct DataSet {
  std::string name;
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
};

/// A model compiled for some data set, ready to run.
struct Prepared {
  std::optional<Session> session;
  /// The compiled executable's bytes.
  std::string executable;
  /// Inputs that became constants.
  std::set<std::string> folded;
  /// What the executable was specialized for: the input shapes and the
  /// values of the folded inputs.
  std::string key;
};

Outcome passed(std::string note = "") {
  return {Verdict::Passed, std::move(note), ""};
}
Outcome failed(std::string reason) {
  return {Verdict::Failed, std::move(reason), ""};
}
Outcome unsupported(std::string cause, std::string reason) {
  return {Verdict::Unsupported, std::move(reason), std::move(cause)};
}

/// Keeps one line of a message, so that every test is one line of output.
std::string oneLine(std::string text) {
  for (char &c : text)
    if (c == '\n' || c == '\r')
      c = ' ';
  return text;
}

/// Which inputs of a data set become constants.
enum class Fold { None, Integers, All };

bool isFoldable(const Tensor &tensor, Fold fold) {
  if (fold == Fold::None || tensor.rank() > 1 ||
      tensor.numElements() > kMaxFoldedElements)
    return false;
  return fold == Fold::All || tensor.dtype() == DType::I64 ||
         tensor.dtype() == DType::I32;
}

int onnxDataType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return ::onnx::TensorProto::FLOAT;
  case DType::F16:
    return ::onnx::TensorProto::FLOAT16;
  case DType::BF16:
    return ::onnx::TensorProto::BFLOAT16;
  case DType::F64:
    return ::onnx::TensorProto::DOUBLE;
  case DType::I64:
    return ::onnx::TensorProto::INT64;
  case DType::I32:
    return ::onnx::TensorProto::INT32;
  case DType::I8:
    return ::onnx::TensorProto::INT8;
  case DType::U8:
    return ::onnx::TensorProto::UINT8;
  case DType::Bool:
    return ::onnx::TensorProto::BOOL;
  }
  return ::onnx::TensorProto::UNDEFINED;
}

/// Splits the importer's "<file>: node '<name>' (<op>, opset N): <reason>"
/// into a cause to group by and a reason without the file.
Outcome classifyImportError(std::string message, StringRef modelPath) {
  StringRef text(message);
  text.consume_front(modelPath);
  text.consume_front(": ");
  std::string op;
  StringRef reason = text;
  if (text.starts_with("node '")) {
    size_t open = text.find("' (");
    size_t comma = open == StringRef::npos ? open : text.find(", opset", open);
    size_t close = comma == StringRef::npos ? comma : text.find("): ", comma);
    if (close != StringRef::npos) {
      op = text.slice(open + 3, comma).str();
      reason = text.substr(close + 3);
    }
  }
  std::string cause;
  if (reason.contains("attribute '") && reason.contains("not supported")) {
    StringRef attr = reason.drop_until([](char c) { return c == '\''; })
                         .drop_front()
                         .take_until([](char c) { return c == '\''; });
    cause = "attribute " + op + "." + attr.str();
  } else if (reason.contains("has element type ")) {
    cause = "dtype " + reason.split("has element type ")
                           .second.take_until([](char c) { return c == ' '; })
                           .str();
  } else if (reason.contains("is not a tensor")) {
    cause = "non-tensor value (sequence, map or optional)";
  } else if (reason.starts_with("opset ") && reason.contains("outside")) {
    cause =
        "opset " +
        reason.drop_front(6).take_until([](char c) { return c == ' '; }).str();
  } else if (!op.empty() && reason.contains("not supported")) {
    cause = "attribute value of " + op;
  } else if (!op.empty()) {
    cause = "importer rejects " + op;
  } else {
    cause = "importer rejects the model";
  }
  return unsupported(cause, "import: " + oneLine(text.str()));
}

/// The first value whose type is not a static tensor, as "onnx.Foo:
/// tensor<?x3xf32>", or "" when every shape is static.
std::string findDynamicValue(ModuleOp module) {
  std::string found;
  module.walk([&](Operation *op) {
    auto check = [&](Type type) {
      auto shaped = dyn_cast<ShapedType>(type);
      if (!shaped || shaped.hasStaticShape())
        return false;
      llvm::raw_string_ostream os(found);
      os << op->getName() << ": " << type;
      return true;
    };
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      for (Type type : func.getFunctionType().getInputs())
        if (check(type))
          return WalkResult::interrupt();
      return WalkResult::advance();
    }
    for (Type type : op->getResultTypes())
      if (check(type))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return found;
}

class NodeTest {
public:
  NodeTest(std::string dir, bool raise, std::string exportDir)
      : dir(std::move(dir)), exportDir(std::move(exportDir)), raise(raise),
        // Single ops: nothing to parallelize.
        context(MLIRContext::Threading::DISABLED) {
    name = llvm::sys::path::filename(this->dir).str();
    modelPath = (std::filesystem::path(this->dir) / "model.onnx").string();
    context.loadDialect<onnx::ONNXDialect, func::FuncDialect>();
  }

  Outcome run(llvm::function_ref<void(StringRef)> onOps);

private:
  std::optional<Outcome> readModel(llvm::function_ref<void(StringRef)> onOps);
  std::optional<Outcome> readDataSets();
  std::string specializationKey(const DataSet &data, Fold fold) const;
  std::optional<Outcome> prepare(const DataSet &data, Fold fold,
                                 Prepared &prepared);
  std::optional<Outcome> compile(const ::onnx::ModelProto &variant,
                                 Prepared &prepared);
  std::optional<Outcome> execute(const DataSet &data, Prepared &prepared);
  std::optional<std::string> exportFirst(const Prepared &prepared);

  std::string dir, exportDir, name, modelPath;
  /// Whether to compile with the raising patterns.
  bool raise;
  MLIRContext context;
  ::onnx::ModelProto model;
  /// The graph inputs that are not initializers: what input_K.pb feeds.
  std::vector<const ::onnx::ValueInfoProto *> inputs;
  std::vector<DataSet> dataSets;
  /// How the test was adapted, for --verbose.
  std::vector<std::string> notes;
};

std::optional<Outcome>
NodeTest::readModel(llvm::function_ref<void(StringRef)> onOps) {
  auto file = llvm::MemoryBuffer::getFile(modelPath, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return failed("cannot read model.onnx: " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return failed("model.onnx is not a valid ONNX model");

  std::set<std::string> opTypes, unknown;
  for (const ::onnx::NodeProto &node : model.graph().node()) {
    opTypes.insert(node.op_type());
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      unknown.insert(node.domain() + "." + node.op_type());
    else if (node.op_type() != "Constant" &&
             (node.op_type() == "NoValue" ||
              !RegisteredOperationName::lookup("onnx." + node.op_type(),
                                               &context)))
      unknown.insert(node.op_type());
  }
  onOps(llvm::join(opTypes, "+"));
  // Name every op we lack, not only the first the importer would meet.
  if (!unknown.empty())
    return unsupported("op " + llvm::join(unknown, ", "),
                       "op type not supported: " + llvm::join(unknown, ", "));

  for (::onnx::OperatorSetIdProto &entry : *model.mutable_opset_import()) {
    int64_t version = entry.version();
    if ((entry.domain().empty() || entry.domain() == "ai.onnx") &&
        version < kOldestImportedOpset &&
        opsUnchangedBetween(model.graph(), version, kOldestImportedOpset)) {
      entry.set_version(kOldestImportedOpset);
      notes.push_back("read at opset " + std::to_string(kOldestImportedOpset) +
                      " (its ops are unchanged since opset " +
                      std::to_string(version) + ")");
    }
  }

  std::set<std::string> initializers;
  for (const ::onnx::TensorProto &tensor : model.graph().initializer())
    initializers.insert(tensor.name());
  for (const ::onnx::ValueInfoProto &input : model.graph().input())
    if (!initializers.count(input.name()))
      inputs.push_back(&input);
  // Sequences and optionals have test files that are not TensorProtos.
  for (const auto *values : {&model.graph().input(), &model.graph().output()})
    for (const ::onnx::ValueInfoProto &value : *values)
      if (!value.type().has_tensor_type())
        return unsupported("non-tensor value (sequence, map or optional)",
                           "'" + value.name() + "' is not a tensor");
  return std::nullopt;
}

std::optional<Outcome> NodeTest::readDataSets() {
  std::vector<std::string> folders;
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator(dir, error))
    if (entry.is_directory(error) && StringRef(entry.path().filename().string())
                                         .starts_with("test_data_set_"))
      folders.push_back(entry.path().string());
  if (error)
    return failed("cannot list " + dir + ": " + error.message());
  if (folders.empty())
    return failed("no test_data_set_* folder");
  std::sort(folders.begin(), folders.end());

  for (const std::string &folder : folders) {
    DataSet data;
    data.name = llvm::sys::path::filename(folder).str();
    for (const char *kind : {"input", "output"}) {
      for (int k = 0;; ++k) {
        std::string path =
            (std::filesystem::path(folder) /
             (std::string(kind) + "_" + std::to_string(k) + ".pb"))
                .string();
        if (!std::filesystem::exists(path, error))
          break;
        const ::onnx::ValueInfoProto *value =
            StringRef(kind) == "input"
                ? (k < static_cast<int>(inputs.size()) ? inputs[k] : nullptr)
                : (k < model.graph().output_size() ? &model.graph().output(k)
                                                   : nullptr);
        TensorFile file = readTensorFile(
            path, value ? value->type().tensor_type().elem_type() : 0);
        if (!file.error.empty()) {
          std::string what =
              data.name + "/" + kind + "_" + std::to_string(k) +
              ".pb: " + oneLine(file.error.substr(path.size() + 2));
          if (file.unsupported)
            return unsupported(
                "dtype " +
                    StringRef(file.error)
                        .split("element type ")
                        .second.take_until([](char c) { return c == ' '; })
                        .str(),
                what);
          return failed("test data " + what);
        }
        (StringRef(kind) == "input" ? data.inputs : data.outputs)
            .push_back(std::move(file.tensor));
      }
    }
    if (data.inputs.size() != inputs.size())
      return failed(data.name + " has " + std::to_string(data.inputs.size()) +
                    " inputs, the graph " + std::to_string(inputs.size()));
    if (data.outputs.size() != static_cast<size_t>(model.graph().output_size()))
      return failed(data.name + " has " + std::to_string(data.outputs.size()) +
                    " outputs, the graph " +
                    std::to_string(model.graph().output_size()));
    dataSets.push_back(std::move(data));
  }
  return std::nullopt;
}

std::optional<Outcome> NodeTest::compile(const ::onnx::ModelProto &variant,
                                         Prepared &prepared) {
  // Whatever the importer or the passes say goes into the reason, not onto
  // stderr.
  std::vector<std::string> diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      diagnostics.push_back(oneLine(diag.str()));
    return success();
  });

  std::string bytes;
  if (!variant.SerializeToString(&bytes))
    return failed("cannot serialize the model");
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      importONNXBytes(context, bytes, modelPath, ONNXImportOptions());
  if (!module)
    return classifyImportError(llvm::toString(module.takeError()), modelPath);
  if (std::string value = findDynamicValue(**module); !value.empty())
    return unsupported("dynamic shape", "dynamic shape after import: " + value);
  diagnostics.clear();
  DefaultTimingManager timingManager;
  timingManager.setEnabled(false);
  TimingScope timing = timingManager.getRootScope();
  CompileOptions compileOptions;
  // Single ops mostly have nothing to raise; with `raise`, a Conv, Gemm or
  // LayerNormalization runs on the kernel of its intr op instead.
  compileOptions.raise = raise;
  ExecutableStats stats;
  std::string executable;
  llvm::raw_string_ostream os(executable);
  if (llvm::Error error =
          compileModule(**module, name, compileOptions, os, stats, timing)) {
    std::string reason =
        "compile: " + oneLine(llvm::toString(std::move(error)));
    if (!diagnostics.empty())
      reason += ": " + diagnostics.front();
    if (diagnostics.size() > 1)
      reason += " (+" + std::to_string(diagnostics.size() - 1) + " more)";
    // An op of a rank that its expansion or the kernels do not take
    // ("cannot be expanded: only 1-D and 2-D ... are supported", "cannot
    // run: only ...") is a known limit.
    StringRef first =
        diagnostics.empty() ? StringRef() : StringRef(diagnostics.front());
    if ((first.contains("cannot be expanded: only ") ||
         first.contains("cannot run: only ")) &&
        first.contains(" supported")) {
      StringRef op = first.drop_until([](char c) { return c == '.'; })
                         .drop_front()
                         .take_until([](char c) { return c == '\''; });
      return unsupported("rank of " + op.str(), reason);
    }
    return failed(reason);
  }
  os.flush();

  Expected<Executable> loaded =
      Executable::fromBytes(executable.data(), executable.size(), name);
  if (!loaded)
    return failed("load: " + oneLine(loaded.error().message()));
  Expected<Session> session = Session::create(*loaded, Device::cpu(1));
  if (!session)
    return failed("session: " + oneLine(session.error().message()));
  prepared.session.emplace(std::move(*session));
  prepared.executable = std::move(executable);
  return std::nullopt;
}

std::string NodeTest::specializationKey(const DataSet &data, Fold fold) const {
  std::string key;
  for (const Tensor &tensor : data.inputs) {
    key += formatShape(tensor.shape());
    if (isFoldable(tensor, fold))
      key.append(static_cast<const char *>(tensor.rawData()),
                 tensor.sizeInBytes());
    key += ';';
  }
  return key;
}

std::optional<Outcome> NodeTest::prepare(const DataSet &data, Fold fold,
                                         Prepared &prepared) {
  ::onnx::ModelProto variant = model;
  prepared.folded.clear();
  prepared.key = specializationKey(data, fold);
  for (auto [k, input] : llvm::enumerate(inputs)) {
    const Tensor &tensor = data.inputs[k];
    if (isFoldable(tensor, fold)) {
      // An initializer of the input's name: the importer then no longer
      // treats it as an argument.
      ::onnx::TensorProto *constant =
          variant.mutable_graph()->add_initializer();
      constant->set_name(input->name());
      constant->set_data_type(onnxDataType(tensor.dtype()));
      for (int64_t size : tensor.shape())
        constant->add_dims(size);
      constant->set_raw_data(static_cast<const char *>(tensor.rawData()),
                             tensor.sizeInBytes());
      prepared.folded.insert(input->name());
      continue;
    }
    // The data's shape, which also fills in dynamic dimensions.
    ::onnx::ValueInfoProto *value = nullptr;
    for (::onnx::ValueInfoProto &candidate :
         *variant.mutable_graph()->mutable_input())
      if (candidate.name() == input->name())
        value = &candidate;
    ::onnx::TensorShapeProto *shape =
        value->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (int64_t size : tensor.shape())
      shape->add_dim()->set_dim_value(size);
  }
  return compile(variant, prepared);
}

std::optional<Outcome> NodeTest::execute(const DataSet &data,
                                         Prepared &prepared) {
  Session &session = *prepared.session;
  std::map<std::string, TensorView> feeds;
  for (const TensorInfo &info : session.executable().inputs()) {
    auto it = llvm::find_if(inputs, [&](const ::onnx::ValueInfoProto *input) {
      return input->name() == info.name;
    });
    if (it == inputs.end())
      return failed("the executable has an input '" + info.name +
                    "' that the graph does not");
    feeds[info.name] = TensorView(data.inputs[it - inputs.begin()]);
  }
  Expected<Outputs> outputs = session.run(feeds);
  if (!outputs)
    return failed("run: " + oneLine(outputs.error().message()));

  std::string where = dataSets.size() > 1 ? " (" + data.name + ")" : "";
  for (auto [k, output] : llvm::enumerate(model.graph().output())) {
    const Tensor *actual = outputs->get(output.name());
    if (!actual)
      return failed("output '" + output.name() + "' is missing" + where);
    std::string difference = compareTensors(*actual, data.outputs[k]);
    if (!difference.empty())
      return failed("output '" + output.name() + "'" + where + ": " +
                    difference);
  }
  return std::nullopt;
}

/// Writes the first data set and its executable for intr-run (see
/// runNodeTest); on a problem (a bf16 tensor, which .npy cannot hold) it
/// leaves nothing and says why.
std::optional<std::string> NodeTest::exportFirst(const Prepared &prepared) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(exportDir) / name;
  auto write = [&]() -> std::optional<std::string> {
    std::error_code error;
    fs::create_directories(root / "inputs", error);
    fs::create_directories(root / "expected", error);
    if (error)
      return root.string() + ": " + error.message();
    std::ofstream file(root / "model.intrx", std::ios::binary);
    file.write(prepared.executable.data(),
               static_cast<std::streamsize>(prepared.executable.size()));
    if (!file)
      return "cannot write " + (root / "model.intrx").string();
    const DataSet &data = dataSets.front();
    for (auto [k, input] : llvm::enumerate(inputs))
      if (!prepared.folded.count(input->name()))
        if (Status s =
                saveNpy((root / "inputs" / (input->name() + ".npy")).string(),
                        data.inputs[k]);
            !s)
          return s.error().message();
    for (auto [k, output] : llvm::enumerate(model.graph().output()))
      if (Status s =
              saveNpy((root / "expected" / (output.name() + ".npy")).string(),
                      data.outputs[k]);
          !s)
        return s.error().message();
    return std::nullopt;
  };
  std::optional<std::string> problem = write();
  if (problem) {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  return problem;
}

Outcome NodeTest::run(llvm::function_ref<void(StringRef)> onOps) {
  if (std::optional<Outcome> problem = readModel(onOps))
    return *problem;
  if (std::optional<Outcome> problem = readDataSets())
    return *problem;

  Fold fold = Fold::None;
  Prepared prepared;
  Prepared first; // the first data set's executable, for exportFirst
  for (auto [index, data] : llvm::enumerate(dataSets)) {
    if (index > 0 && specializationKey(data, fold) == prepared.key) {
      if (std::optional<Outcome> problem = execute(data, prepared))
        return *problem;
      continue;
    }
    std::optional<Outcome> problem = prepare(data, fold, prepared);
    // Import-time problems (not static, not importable) may go away once
    // the shape-like inputs are constants: integers, then any small input.
    if (index == 0 && problem && problem->verdict == Verdict::Unsupported) {
      for (Fold more : {Fold::Integers, Fold::All}) {
        if (specializationKey(data, more) == specializationKey(data, fold))
          continue;
        Prepared retry;
        std::optional<Outcome> retried = prepare(data, more, retry);
        fold = more;
        if (retried && retried->verdict == Verdict::Unsupported)
          continue;
        prepared = std::move(retry);
        problem = retried;
        if (problem)
          problem->reason +=
              " (inputs as constants: " + llvm::join(prepared.folded, ", ") +
              ")";
        break;
      }
    }
    if (problem)
      return *problem;
    if (std::optional<Outcome> problem = execute(data, prepared))
      return *problem;
    if (index == 0) {
      first.executable = prepared.executable;
      first.folded = prepared.folded;
    }
  }
  if (!exportDir.empty())
    if (std::optional<std::string> problem = exportFirst(first))
      notes.push_back("not exported: " + oneLine(*problem));
  if (!prepared.folded.empty())
    notes.push_back("inputs as constants: " +
                    llvm::join(prepared.folded, ", "));
  return passed(llvm::join(notes, "; "));
}

} // namespace

void warmUp() {
  loadOpSchemas();
  ::onnx::ModelProto model;
  (void)model.ParseFromString("");
  DialectRegistry registry;
  registerAllDialects(registry);
  // No thread pool: the process forks after this.
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
}

Outcome runNodeTest(const std::string &dir, bool raise,
                    llvm::function_ref<void(StringRef)> onOps,
                    const std::string &exportDir) {
  NodeTest test(dir, raise, exportDir);
  return test.run(onOps);
}

} // namespace intr::conformance
