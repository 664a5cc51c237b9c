//===- CompileFuzzer.cpp - libFuzzer target for the whole compiler --------===//
//
// Feeds arbitrary bytes to the importer and compiles what it accepts to an
// executable in memory: every pass (decomposition, raising, the
// optimizations, the precision and layout passes, planning, the writer) meets
// models that no exporter would make. The compile options come from a hash
// of the input, so that each input always compiles the same way. Any result
// is fine except a crash, a hang, a sanitizer report or an out-of-memory:
// bad models must come back as errors.
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
#include "llvm/ADT/Hashing.h"
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
  // Mostly the default (raised, fp32); else one of the choices of
  // `intr-opt compile`, each bit of the hash one choice.
  uint64_t bits = llvm::hash_value(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  intr::CompileOptions compileOptions;
  if (bits & 1) {
    bits >>= 1;
    compileOptions.raise = bits & 7; // unraised one time in 8
    const intr::Precision precisions[] = {
        intr::Precision::FP32, intr::Precision::TF32, intr::Precision::FP16,
        intr::Precision::BF16};
    compileOptions.precision = precisions[(bits >> 3) & 3];
    compileOptions.channelsLast = (bits >> 5) & 1
                                      ? intr::CompileOptions::ChannelsLast::On
                                      : intr::CompileOptions::ChannelsLast::Off;
    compileOptions.padChannels = (bits >> 6) & 1 ? 8 : 0;
    compileOptions.halfAttentionMaps = (bits >> 7) & 1;
    compileOptions.lastAttentionLayer = (bits >> 8) & 1;
    compileOptions.headMeanOnly = (bits >> 9) & 1;
    compileOptions.foldPositional = (bits >> 10) & 1;
  }
  intr::ExecutableStats stats;
  std::string executable;
  llvm::raw_string_ostream os(executable);
  if (llvm::Error error = intr::compileModule(
          **module, "fuzz-input.onnx", compileOptions, os, stats, timing))
    llvm::consumeError(std::move(error));
  return 0;
}
