//===- Subcommands.h - intr-opt's subcommands -------------------*- C++ -*-===//

#ifndef INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H
#define INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H

#include "llvm/Support/Format.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

namespace intr {

/// "178.1 MiB", for the subcommands' summaries.
inline std::string mebibytes(uint64_t bytes) {
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format("%.1f MiB", bytes / (1024.0 * 1024.0));
  return text;
}

/// Flushes `file` and keeps it, or says why writing `path` failed (a full
/// disk): the stream's error is taken, so that closing it does not abort
/// with LLVM's own report too.
inline std::optional<std::string> keepOutput(llvm::ToolOutputFile &file,
                                             llvm::StringRef path) {
  file.os().flush();
  if (std::error_code error = file.os().error()) {
    file.os().clear_error();
    return path.str() + ": " + error.message();
  }
  file.keep();
  return std::nullopt;
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
