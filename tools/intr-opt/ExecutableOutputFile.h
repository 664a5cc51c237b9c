//===- ExecutableOutputFile.h - Where intr-opt compile writes -*- C++ -*-===//

#ifndef INTR_TOOLS_INTR_OPT_EXECUTABLEOUTPUTFILE_H
#define INTR_TOOLS_INTR_OPT_EXECUTABLEOUTPUTFILE_H

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>

namespace intr {

/// An executable's output file. A regular file (or a new one) is written
/// as a new file beside it and renamed over it once complete: the runtime
/// maps a loaded executable's file, so writing into the old file in place
/// would change the weights under the sessions that use it (or end them,
/// if it shrinks), and a compile that fails or is interrupted leaves the
/// old file and no partial one. A link is followed (the file it names is
/// replaced, not the link); stdout ("-"), a device or a pipe is written in
/// place.
class ExecutableOutputFile {
public:
  /// Opens the output, or says why it cannot be (its folder missing or
  /// read-only).
  static std::unique_ptr<ExecutableOutputFile> create(llvm::StringRef path,
                                                      std::string &message);
  /// Removes the new file unless it was kept.
  ~ExecutableOutputFile();

  llvm::raw_ostream &os();

  /// Flushes the output and keeps it (the new file renamed over the old),
  /// or says why writing failed (a full disk) and removes the new file.
  std::optional<std::string> keep();

private:
  ExecutableOutputFile() = default;

  std::string path, target;
  std::unique_ptr<llvm::ToolOutputFile> direct;
  std::optional<llvm::sys::fs::TempFile> file;
  std::optional<llvm::raw_fd_ostream> stream;
  bool kept = false;
};

} // namespace intr

#endif // INTR_TOOLS_INTR_OPT_EXECUTABLEOUTPUTFILE_H
