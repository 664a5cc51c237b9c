//===- CompileCommand.cpp - intr-opt compile ------------------------------===//
//
// model.onnx -> import -> raise + optimize (--raise=all) -> plan -> .intrx
//
//===----------------------------------------------------------------------===//

#include "ExecutableOutputFile.h"
#include "LabelsText.h"
#include "Subcommands.h"

#include "intr/Compiler/Compiler.h"
#include "intr/Import/ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
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
enum class AttentionDType { FP32, FP16 };
enum class AttentionLayers { All, Last };
enum class AttentionHeads { All, Mean };

/// Whether `a` and `b` name one file: the same file on disk, or the same
/// path once made absolute (for a file not written yet).
bool sameFile(StringRef a, StringRef b) {
  bool same = false;
  if (!llvm::sys::fs::equivalent(a, b, same) && same)
    return true;
  SmallString<256> x(a), y(b);
  if (llvm::sys::fs::make_absolute(x) || llvm::sys::fs::make_absolute(y))
    return a == b;
  llvm::sys::path::remove_dots(x, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(y, /*remove_dot_dot=*/true);
  return x == y;
}

llvm::Expected<std::vector<std::string>> readLabels(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(
        buffer.getError(), "%s: cannot read the label file: %s",
        path.str().c_str(), buffer.getError().message().c_str());
  return intr::tools::parseLabels((*buffer)->getBuffer());
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
  cl::list<std::string> variantSpecs(
      "variant",
      cl::desc("Also compile the model for other input shapes, "
               "NAME=DIMS[,NAME=DIMS...] over --input-shape's (repeatable): "
               "each is a variant of the executable, a plan of its own over "
               "the same weights, as a portrait canvas beside a landscape "
               "one"),
      cl::value_desc("NAME=DIMS,..."), cl::cat(category));
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
  cl::opt<intr::Precision> precision(
      "precision",
      cl::desc("What the GPU may use for f32 math, and the type of the "
               "convolutions"),
      cl::values(clEnumValN(intr::Precision::FP32, "fp32",
                            "exact fp32 (the default; the CPU computes f32 "
                            "ops exactly at every precision)"),
                 clEnumValN(intr::Precision::TF32, "tf32",
                            "TF32 tensor cores for GEMMs, convolutions and "
                            "attention: faster, about 1e-3 relative error"),
                 clEnumValN(intr::Precision::FP16, "fp16",
                            "convolution weights and activations in f16, "
                            "f32 sums; the rest as tf32"),
                 clEnumValN(intr::Precision::BF16, "bf16",
                            "convolution weights and activations in bf16, "
                            "f32 sums; the rest as tf32")),
      cl::init(intr::Precision::FP32), cl::cat(category));
  cl::opt<AttentionDType> attentionDType(
      "attention-dtype", cl::desc("How the attention maps are stored"),
      cl::values(clEnumValN(AttentionDType::FP32, "fp32",
                            "f32 (the default)"),
                 clEnumValN(AttentionDType::FP16, "fp16",
                            "f16: half the bytes to store and download, "
                            "rounded to 11 significant bits (softmax and "
                            "head mean still in f32)")),
      cl::init(AttentionDType::FP32), cl::cat(category));
  cl::opt<AttentionLayers> attentionLayers(
      "attention-layers", cl::desc("Which decoder layers' maps to return"),
      cl::values(clEnumValN(AttentionLayers::All, "all",
                            "every layer's (the default)"),
                 clEnumValN(AttentionLayers::Last, "last",
                            "the last layer's only, as [1, ...]: a sixth "
                            "of the bytes to store and download, and the "
                            "other layers' attention runs without maps")),
      cl::init(AttentionLayers::All), cl::cat(category));
  cl::opt<AttentionHeads> attentionHeads(
      "attention-heads", cl::desc("Which heads' maps to return"),
      cl::values(clEnumValN(AttentionHeads::All, "all",
                            "every head's ('attention') and their mean "
                            "('avg_attention'; the default)"),
                 clEnumValN(AttentionHeads::Mean, "mean",
                            "their mean only: no 'attention' output, and "
                            "the heads' maps are never stored")),
      cl::init(AttentionHeads::All), cl::cat(category));
  cl::opt<cl::boolOrDefault> channelsLast(
      "channels-last",
      cl::desc("Store the convolutions' images NHWC, the layout tensor "
               "cores read, and those of the activations, concatenations "
               "and pooling between them (default: on for raised tf32, "
               "fp16 and bf16 plans; for raised fp32 ones, on where that "
               "leaves fewer transposes, as in a model that permutes its "
               "own feature maps to NHWC; off unraised)"),
      cl::cat(category));
  cl::opt<unsigned> padChannels(
      "pad-channels",
      cl::desc("Pad the input channels of channels-last convolutions with "
               "zeros to a multiple of N (at most 128; asks for channels "
               "last), as 16-bit tensor cores want (the image's 3 colours; "
               "default 0: leave them)"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  cl::opt<bool> foldPositional(
      "fold-positional",
      cl::desc("Fold constant positional embeddings into the projections' "
               "biases: one GEMM for each self-attention's Q, K and V, "
               "and no positional add (default: on; =false keeps the "
               "weights smaller, by 20 MiB at full size)"),
      cl::init(true), cl::cat(category));
  cl::opt<bool> stripWeights(
      "strip-weights",
      cl::desc("Leave the float weights out (shapes kept): a small file "
               "that only intr-bench --random-weights runs"),
      cl::cat(category));
  cl::HideUnrelatedOptions(category);
  // A usage error exits 2, as intr-opt's own and intr-run's do (LLVM's
  // parser exits 1 unless it is given a stream for its errors).
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "intr-opt compile: ONNX model -> .intrx "
                                   "executable\n",
                                   &llvm::errs()))
    return 2;
  auto started = std::chrono::steady_clock::now();
  auto fail = [](const Twine &message) {
    llvm::errs() << "error: " << message << "\n";
    return 1;
  };
  // An option's value that cannot be taken is a usage error.
  auto usageError = [&](const Twine &message) {
    fail(message);
    return 2;
  };

  // An option given with an empty value (a script's unset variable) is
  // an error, not the default.
  for (const cl::opt<std::string> *option : {&output, &labelsFile, &planFile})
    if (option->getNumOccurrences() && option->empty())
      return usageError((option->ArgStr.size() == 1 ? "-" : "--") +
                        option->ArgStr + " needs a file, not an empty value");
  std::string outputPath = output;
  if (outputPath.empty()) {
    SmallString<256> path(input.getValue());
    llvm::sys::path::replace_extension(path, ".intrx");
    outputPath = path.str().str();
  }

  // Each file written must be neither the model read nor the other one.
  if (sameFile(outputPath, input))
    return fail(outputPath + ": the output is the model being compiled");
  if (!planFile.empty()) {
    const bool planIsInput = sameFile(planFile, input);
    if (planIsInput || sameFile(planFile, outputPath))
      return fail(
          planFile + ": --dump-plan names the " +
          (planIsInput ? "model being compiled" : "executable's output file"));
  }

  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope root = timingManager.getRootScope();

  // The shapes of each plan: --input-shape's, then each variant's over
  // them.
  std::vector<ONNXImportOptions> shapesOfPlans(1);
  for (const std::string &spec : inputShapes)
    if (llvm::Error error = parseInputShape(spec, shapesOfPlans[0]))
      return usageError(llvm::toString(std::move(error)));
  for (const std::string &variant : variantSpecs) {
    ONNXImportOptions given;
    SmallVector<StringRef> specs;
    StringRef(variant).split(specs, ',');
    for (StringRef spec : specs)
      if (llvm::Error error = parseInputShape(spec, given))
        return usageError("--variant '" + variant +
                          "': " + llvm::toString(std::move(error)));
    // Over --input-shape's, where an unnamed shape is that of the only
    // input, whatever name --input-shape gave it.
    ONNXImportOptions shapes = shapesOfPlans[0];
    for (const auto &[name, shape] : given.inputShapes) {
      if (name.empty())
        shapes.inputShapes.clear();
      else
        shapes.inputShapes.erase("");
    }
    for (const auto &[name, shape] : given.inputShapes)
      shapes.inputShapes[name] = shape;
    shapesOfPlans.push_back(std::move(shapes));
  }

  std::vector<std::string> labels;
  if (!labelsFile.empty()) {
    llvm::Expected<std::vector<std::string>> read = readLabels(labelsFile);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    labels = std::move(*read);
  }

  MLIRContext context;
  context.disableMultithreading(); // one function: nothing to parallelize

  CompileOptions compileOptions;
  compileOptions.raise = raise == Raise::All;
  compileOptions.labels = std::move(labels);
  compileOptions.labelsSource = labelsFile;
  compileOptions.stripWeights = stripWeights;
  compileOptions.precision = precision;
  // Channels last pays wherever cuDNN may use tensor cores: on an H200 the
  // full-size tf32 plan took 3.3 ms against 4.4 ms NCHW at batch 1. In
  // f32, where it saves transposes: ConvNeXt-T's 44 to 1 on the CPU.
  using ChannelsLast = intr::CompileOptions::ChannelsLast;
  bool tensorCores = precision != intr::Precision::FP32;
  if (channelsLast == cl::BOU_UNSET)
    compileOptions.channelsLast = tensorCores && compileOptions.raise
                                      ? ChannelsLast::On
                                      : ChannelsLast::WhereFewerTransposes;
  else
    compileOptions.channelsLast =
        channelsLast == cl::BOU_TRUE ? ChannelsLast::On : ChannelsLast::Off;
  compileOptions.padChannels = padChannels;
  compileOptions.halfAttentionMaps = attentionDType == AttentionDType::FP16;
  compileOptions.lastAttentionLayer = attentionLayers == AttentionLayers::Last;
  compileOptions.headMeanOnly = attentionHeads == AttentionHeads::Mean;
  compileOptions.foldPositional = foldPositional;
  // The passes' remarks and warnings (a double model computed in f32) are
  // for the user; errors go to the default handler, with their location.
  ScopedDiagnosticHandler notes(&context, [](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error)
      return failure();
    llvm::errs() << "intr-opt compile: "
                 << (diagnostic.getSeverity() == DiagnosticSeverity::Warning
                         ? "warning: "
                         : "note: ")
                 << diagnostic.str() << "\n";
    return success();
  });

  // Each plan from its own import, which specializes the model's shapes;
  // a variant's errors name it.
  std::vector<std::string> names;
  std::vector<OwningOpRef<ModuleOp>> modules;
  for (size_t i = 0; i < shapesOfPlans.size(); ++i) {
    const std::string variant =
        i == 0 ? std::string() : "--variant '" + variantSpecs[i - 1] + "': ";
    names.push_back(variant + input);
    TimingScope importTimer = root.nest("import");
    llvm::Expected<OwningOpRef<ModuleOp>> module =
        importONNXFile(context, input, shapesOfPlans[i]);
    importTimer.stop();
    if (!module)
      return fail(variant + llvm::toString(module.takeError()));
    // Plans tell apart by their inputs' shapes.
    auto inputTypes = [](ModuleOp module) {
      return (*module.getOps<func::FuncOp>().begin()).getArgumentTypes();
    };
    for (const OwningOpRef<ModuleOp> &other : modules)
      if (inputTypes(*other) == inputTypes(**module))
        return fail(variant + "gives the input shapes of another plan");
    modules.push_back(std::move(*module));
  }

  std::string message;
  std::unique_ptr<ExecutableOutputFile> file =
      ExecutableOutputFile::create(outputPath, message);
  if (!file)
    return fail(message);
  std::vector<PlannedModel> plans(modules.size());
  for (size_t i = 0; i < modules.size(); ++i) {
    llvm::Expected<func::FuncOp> plan = planModule(
        *modules[i], names[i], compileOptions, plans[i].metadata, root);
    if (!plan)
      return fail(llvm::toString(plan.takeError()));
    plans[i].plan = *plan;
  }
  ExecutableStats stats;
  TimingScope writeTimer = root.nest("write");
  if (failed(writeExecutable(plans, writeOptionsOf(compileOptions), file->os(),
                             &stats)))
    return fail(input + ": cannot write the executable");
  writeTimer.stop();
  // The plan first: where it cannot be written, the old executable stays.
  if (!planFile.empty()) {
    auto planOutput = openOutputFile(planFile, &message);
    if (!planOutput)
      return fail(message);
    for (size_t i = 0; i < modules.size(); ++i) {
      if (i > 0)
        planOutput->os() << "// -----\n// --variant '" << variantSpecs[i - 1]
                         << "'\n";
      modules[i]->print(planOutput->os());
    }
    if (std::optional<std::string> failure = keepOutput(*planOutput, planFile))
      return fail(*failure);
  }
  if (std::optional<std::string> failure = file->keep())
    return fail(*failure);

  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  llvm::errs() << "intr-opt compile: " << outputPath << ": ";
  for (size_t i = 0; i < plans.size(); ++i) {
    if (i > 0)
      llvm::errs() << "; variant " << variantSpecs[i - 1] << ": ";
    int64_t tensorBytes =
        plans[i].plan->getAttrOfType<IntegerAttr>("plan.tensor_bytes").getInt();
    llvm::errs() << stats.plans[i].steps << " steps, arena "
                 << mebibytes(stats.plans[i].arenaBytes) << " (tensors "
                 << mebibytes(tensorBytes) << ")";
  }
  llvm::errs() << (plans.size() > 1 ? "; weights " : ", weights ")
               << mebibytes(stats.weightBytes);
  if (stats.constantBytes > stats.weightBytes)
    llvm::errs() << " (" << mebibytes(stats.constantBytes)
                 << " before deduplication)";
  if (stats.strippedBytes)
    llvm::errs() << ", " << mebibytes(stats.strippedBytes)
                 << " of them stripped";
  llvm::errs() << llvm::format(", %.2f s\n", seconds);
  return 0;
}
