//===- CompileFuzzer.cpp - libFuzzer target for the whole compiler --------===//
//
// Feeds arbitrary bytes to the importer and compiles what it accepts, raised
// and optimized, to an executable in memory: every pass (decomposition,
// raising, the optimizations, planning, the writer) meets models that no
// exporter would make. Any result is fine except a crash, a hang, a sanitizer
// report or an out-of-memory: bad models must come back as errors.
//
//   build-fuzz/bin/intr-fuzz-compile -max_total_time=600 /tmp/ccorpus
//   fuzz/corpus/import
//
//===----------------------------------------------------------------------===//

#include "intr/Compiler/Compiler.h"
#include "intr/Import/ONNXImporter.h"
#include "intr/InitAllDialects.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input, as in the importer's fuzzer.
  mlir::DialectRegistry registry;
  intr::registerAllDialects(registry);
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  // The passes' diagnostics are expected; keep them off stderr.
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  intr::ONNXImportOptions options;
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> module =
      intr::importONNXBytes(
          context, llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz-input.onnx", options);
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  mlir::DefaultTimingManager timingManager;
  mlir::TimingScope timing = timingManager.getRootScope();
  intr::CompileOptions compileOptions;
  intr::ExecutableStats stats;
  std::string executable;
  llvm::raw_string_ostream os(executable);
  if (llvm::Error error = intr::compileModule(
          **module, "fuzz-input.onnx", compileOptions, os, stats, timing))
    llvm::consumeError(std::move(error));
  return 0;
}
