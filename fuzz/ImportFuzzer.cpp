//===- ImportFuzzer.cpp - libFuzzer target for the ONNX importer ----------===//
//
// Feeds arbitrary bytes to the importer as a binary ModelProto. Any result is
// fine except a crash, a hang, a sanitizer report or an out-of-memory: bad
// models must come back as errors.
//
//   build-fuzz/bin/intr-fuzz-import -max_total_time=600 fuzz/corpus/import
//
//===----------------------------------------------------------------------===//

#include "intr/Import/ONNXImporter.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: nothing one input leaves behind can hide or
  // cause a failure in the next.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  intr::ONNXImportOptions options;
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> module =
      intr::importONNXBytes(
          context, llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz-input.onnx", options);
  if (!module)
    llvm::consumeError(module.takeError());
  return 0;
}
