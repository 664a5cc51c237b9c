//===- CompileCommand.cpp - intr-opt compile ------------------------------===//
//
// model.onnx -> import -> raise + optimize (--raise=all) -> plan -> .intrx
//
//===----------------------------------------------------------------------===//

#include "Subcommands.h"

#include "intr/Conversion/Passes.h"
#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/INTR/Transforms/Passes.h"
#include "intr/Dialect/Plan/IR/PlanOps.h"
#include "intr/Import/ONNXImporter.h"
#include "intr/Target/ExecutableWriter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Raise { All, None };

std::string mebibytes(int64_t bytes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.1f MiB", bytes / (1024.0 * 1024.0));
  return text;
}

/// The feature map's h x w: from a class attention, or else (an unraised
/// graph) from the image size and the backbone's stride of 32 when that
/// agrees with the attention output's token count.
std::vector<int64_t> findFeatureMap(func::FuncOp tensorFunc) {
  std::vector<int64_t> featureMap;
  tensorFunc.walk([&](intr::ClassAttentionOp op) {
    featureMap = op.getFeatureMap().vec();
    return WalkResult::interrupt();
  });
  if (!featureMap.empty())
    return featureMap;
  FunctionType type = tensorFunc.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() < 2)
    return {};
  auto image = dyn_cast<RankedTensorType>(type.getInput(0));
  auto attention = dyn_cast<RankedTensorType>(type.getResult(1));
  if (!image || image.getRank() != 4 || !attention || !image.hasStaticShape())
    return {};
  int64_t h = (image.getDimSize(2) + 31) / 32;
  int64_t w = (image.getDimSize(3) + 31) / 32;
  if (attention.hasStaticShape() && attention.getShape().back() == h * w)
    return {h, w};
  return {};
}

/// The class count: the last dimension of the output called "logits".
int64_t findNumClasses(func::FuncOp tensorFunc) {
  for (unsigned i = 0; i < tensorFunc.getNumResults(); ++i)
    if (auto name = tensorFunc.getResultAttrOfType<StringAttr>(i, "onnx.name");
        name && name.getValue() == "logits")
      if (auto type = dyn_cast<RankedTensorType>(
              tensorFunc.getFunctionType().getResult(i));
          type && type.hasStaticShape() && type.getRank() >= 1)
        return type.getShape().back();
  return 0;
}

llvm::Expected<std::vector<std::string>> readLabels(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  std::vector<std::string> labels;
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (StringRef line : lines)
    if (!line.trim().empty())
      labels.push_back(line.trim().str());
  return labels;
}

} // namespace

int intr::runCompileCommand(int argc, char **argv) {
  cl::OptionCategory category("intr-opt compile options");
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model.onnx | model.onnxtxt>"),
                             cl::cat(category));
  cl::opt<std::string> output(
      "o", cl::desc("Output file (default: the input's name with .intrx)"),
      cl::value_desc("file"), cl::cat(category));
  cl::list<std::string> inputShapes(
      "input-shape",
      cl::desc("Static shape of an input, NAME=1x3x800x1216 (repeatable; the "
               "name may be left out for a single-input model)"),
      cl::value_desc("NAME=DIMS"), cl::cat(category));
  cl::opt<Raise> raise(
      "raise", cl::desc("Which onnx subgraphs become intr ops"),
      cl::values(clEnumValN(Raise::All, "all",
                            "raise and optimize (the default)"),
                 clEnumValN(Raise::None, "none",
                            "run the onnx ops as they are")),
      cl::init(Raise::All), cl::cat(category));
  cl::opt<std::string> labelsFile(
      "labels",
      cl::desc("Class names, one per line, to embed in the executable"),
      cl::value_desc("file"), cl::cat(category));
  cl::opt<std::string> planFile(
      "dump-plan", cl::desc("Also write the plan (MLIR) to this file"),
      cl::value_desc("file"), cl::cat(category));
  cl::opt<bool> timing("timing", cl::desc("Print the time of each phase"),
                       cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "intr-opt compile: ONNX model -> .intrx "
                              "executable\n");
  auto started = std::chrono::steady_clock::now();
  auto fail = [](const Twine &message) {
    llvm::errs() << "error: " << message << "\n";
    return 1;
  };

  std::string outputPath = output;
  if (outputPath.empty()) {
    SmallString<256> path(input.getValue());
    llvm::sys::path::replace_extension(path, ".intrx");
    outputPath = path.str().str();
  }

  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope root = timingManager.getRootScope();

  ONNXImportOptions options;
  for (const std::string &spec : inputShapes)
    if (llvm::Error error = parseInputShape(spec, options))
      return fail(llvm::toString(std::move(error)));

  std::vector<std::string> labels;
  if (!labelsFile.empty()) {
    llvm::Expected<std::vector<std::string>> read = readLabels(labelsFile);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    labels = std::move(*read);
  }

  MLIRContext context;
  context.disableMultithreading(); // our passes are sequential, and so is
                                   // a single function
  TimingScope importTimer = root.nest("import");
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      importONNXFile(context, input, options);
  importTimer.stop();
  if (!module)
    return fail(llvm::toString(module.takeError()));

  // Import cleanup, raising and optimization: on tensors.
  PassManager pm(&context);
  pm.enableTiming(root);
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  if (raise == Raise::All) {
    funcPm.addPass(createConvertONNXToINTRPass());
    buildINTROptimizePipeline(pm);
  }
  if (failed(pm.run(**module)))
    return fail(input + ": the " +
                (raise == Raise::All ? "raising and optimization"
                                     : "cleanup") +
                " pipeline failed");

  auto funcs = (*module)->getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return fail(input + ": expected one function after import");
  func::FuncOp main = *funcs.begin();

  ModelMetadata metadata;
  metadata.featureMap = findFeatureMap(main);
  metadata.numClasses = findNumClasses(main);
  metadata.producer = "intr-opt " INTR_VERSION;
  if (!labels.empty()) {
    if (static_cast<int64_t>(labels.size()) != metadata.numClasses)
      return fail(labelsFile + ": " + Twine(labels.size()) +
                  " labels, but the model has " + Twine(metadata.numClasses) +
                  " classes");
    metadata.labels = std::move(labels);
  }

  PassManager planPm(&context);
  planPm.enableTiming(root);
  planPm.addNestedPass<func::FuncOp>(createConvertINTRToPlanPass());
  if (failed(planPm.run(**module)))
    return fail(input + ": planning failed");

  if (!planFile.empty()) {
    std::string message;
    auto file = openOutputFile(planFile, &message);
    if (!file)
      return fail(message);
    (*module)->print(file->os());
    file->keep();
  }

  TimingScope writeTimer = root.nest("write");
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(outputPath, &message);
  if (!file)
    return fail(message);
  ExecutableStats stats;
  if (failed(writeExecutable(main, metadata, file->os(), &stats)))
    return fail(input + ": cannot write the executable");
  file->os().flush();
  if (file->os().has_error())
    return fail(outputPath + ": " + file->os().error().message());
  file->keep();
  writeTimer.stop();

  int64_t tensorBytes =
      main->getAttrOfType<IntegerAttr>("plan.tensor_bytes").getInt();
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  llvm::errs() << "intr-opt compile: " << outputPath << ": " << stats.steps
               << " steps, arena " << mebibytes(stats.arenaBytes)
               << " (tensors " << mebibytes(tensorBytes) << "), weights "
               << mebibytes(stats.weightBytes);
  if (stats.constantBytes > stats.weightBytes)
    llvm::errs() << " (" << mebibytes(stats.constantBytes)
                 << " before deduplication)";
  llvm::errs() << llvm::format(", %.2f s\n", seconds);
  return 0;
}
