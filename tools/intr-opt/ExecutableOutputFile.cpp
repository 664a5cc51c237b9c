//===- ExecutableOutputFile.cpp - Where intr-opt compile writes -----------===//

#include "ExecutableOutputFile.h"
#include "Subcommands.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Error.h"

namespace intr {

namespace fs = llvm::sys::fs;

std::unique_ptr<ExecutableOutputFile>
ExecutableOutputFile::create(llvm::StringRef path, std::string &message) {
  std::unique_ptr<ExecutableOutputFile> output(new ExecutableOutputFile);
  output->path = path.str();
  fs::file_status status;
  if (path == "-" || (!fs::status(path, status) && fs::exists(status) &&
                      !fs::is_regular_file(status))) {
    output->direct = mlir::openOutputFile(path, &message);
    return output->direct ? std::move(output) : nullptr;
  }
  llvm::SmallString<256> target(path);
  if (fs::is_symlink_file(path))
    if (std::error_code error = fs::real_path(path, target)) {
      message = output->path + ": " + error.message();
      return nullptr;
    }
  output->target = target.str().str();
  llvm::Expected<fs::TempFile> file = fs::TempFile::create(
      target + ".tmp-%%%%%%", fs::all_read | fs::all_write);
  if (!file) {
    message = output->path + ": " + llvm::toString(file.takeError());
    return nullptr;
  }
  output->file.emplace(std::move(*file));
  output->stream.emplace(output->file->FD, /*shouldClose=*/false);
  return output;
}

ExecutableOutputFile::~ExecutableOutputFile() {
  if (!stream)
    return;
  // Emptied before the file closes, so that the stream's own destructor
  // neither writes to a closed file nor aborts on an error seen here.
  stream->flush();
  stream->clear_error();
  if (!kept)
    llvm::consumeError(file->discard());
}

llvm::raw_ostream &ExecutableOutputFile::os() {
  if (direct)
    return direct->os();
  return *stream;
}

std::optional<std::string> ExecutableOutputFile::keep() {
  if (direct)
    return keepOutput(*direct, path);
  stream->flush();
  if (std::error_code error = stream->error())
    return path + ": " + error.message();
  if (llvm::Error error = file->keep(target))
    return path + ": " + llvm::toString(std::move(error));
  kept = true;
  return std::nullopt;
}

} // namespace intr
