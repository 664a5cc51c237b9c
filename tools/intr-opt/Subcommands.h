//===- Subcommands.h - intr-opt's subcommands -------------------*- C++ -*-===//

#ifndef INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H
#define INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace intr {

/// "178.1 MiB", for the subcommands' summaries.
inline std::string mebibytes(uint64_t bytes) {
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format("%.1f MiB", bytes / (1024.0 * 1024.0));
  return text;
}

/// `intr-opt import model.onnx [-o out.mlir] [--input-shape ...]`; argv[0]
/// is "import". Returns the process exit code.
int runImportCommand(int argc, char **argv);

/// `intr-opt compile model.onnx [-o model.intrx] [--raise=all|none] ...`.
int runCompileCommand(int argc, char **argv);

/// `intr-opt inspect model.intrx [--json]`.
int runInspectCommand(int argc, char **argv);

} // namespace intr

#endif // INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H
