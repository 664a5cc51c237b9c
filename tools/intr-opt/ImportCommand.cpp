//===- ImportCommand.cpp - intr-opt import --------------------------------===//

#include "Subcommands.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Import/ONNXImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

int intr::runImportCommand(int argc, char **argv) {
  cl::OptionCategory category("intr-opt import options");
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model.onnx | model.onnxtxt>"),
                             cl::cat(category));
  cl::opt<std::string> output("o", cl::desc("Output file (default: stdout)"),
                              cl::value_desc("file"), cl::init("-"),
                              cl::cat(category));
  cl::list<std::string> inputShapes(
      "input-shape",
      cl::desc("Static shape of an input, NAME=1x3x800x1216 (repeatable; the "
               "name may be left out for a single-input model)"),
      cl::value_desc("NAME=DIMS"), cl::cat(category));
  cl::opt<bool> emitBytecode("emit-bytecode",
                             cl::desc("Write MLIR bytecode instead of text"),
                             cl::cat(category));
  cl::opt<bool> timing("timing", cl::desc("Print the time of each phase"),
                       cl::cat(category));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "intr-opt import: ONNX model -> onnx dialect, shapes static and "
          "shape arithmetic folded\n",
          &llvm::errs()))
    return 2; // a usage error, as in compile

  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope root = timingManager.getRootScope();

  ONNXImportOptions options;
  for (const std::string &spec : inputShapes)
    if (llvm::Error error = parseInputShape(spec, options)) {
      llvm::errs() << "error: " << llvm::toString(std::move(error)) << "\n";
      return 1;
    }

  MLIRContext context;
  context.disableMultithreading(); // the importer is sequential anyway
  TimingScope importTimer = root.nest("import (parse + build + fold)");
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      importONNXFile(context, input, options);
  importTimer.stop();
  if (!module) {
    llvm::errs() << "error: " << llvm::toString(module.takeError()) << "\n";
    return 1;
  }

  // What folding left unused (the shape subgraphs) goes, duplicates merge.
  PassManager pm(&context);
  TimingScope cleanupTimer = root.nest("cleanup (canonicalize, cse)");
  pm.enableTiming(cleanupTimer);
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  LogicalResult cleaned = pm.run(**module);
  cleanupTimer.stop();
  if (failed(cleaned)) {
    llvm::errs() << "error: " << input << ": cleanup after import failed\n";
    return 1;
  }

  TimingScope writeTimer = root.nest("write");
  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(output, &errorMessage);
  if (!file) {
    llvm::errs() << "error: " << errorMessage << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(**module, file->os()))) {
      llvm::errs() << "error: " << output << ": cannot write bytecode\n";
      return 1;
    }
  } else {
    (*module)->print(file->os());
  }
  // The module, then the summary on stderr.
  if (std::optional<std::string> failure = keepOutput(*file, output)) {
    llvm::errs() << "error: " << *failure << "\n";
    return 1;
  }
  writeTimer.stop();

  // A one-line summary: what came out, and whether shapes are all static.
  unsigned ops = 0, dynamicValues = 0;
  (*module)->walk([&](Operation *op) {
    if (!isa<onnx::ONNXDialect>(op->getDialect()))
      return;
    ++ops;
    for (Type type : op->getResultTypes())
      if (auto shaped = dyn_cast<ShapedType>(type);
          shaped && !shaped.hasStaticShape())
        ++dynamicValues;
  });
  llvm::errs() << "intr-opt import: " << input << ": " << ops
               << " onnx ops, opset "
               << (*module)
                      ->getOperation()
                      ->getAttrOfType<IntegerAttr>("onnx.opset")
                      .getInt()
               << ", "
               << (dynamicValues ? std::to_string(dynamicValues) +
                                       " values with dynamic shapes"
                                 : std::string("all shapes static"))
               << "\n";
  return 0;
}
