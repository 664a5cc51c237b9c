//===- StdoutResults.h - Whether the results reached stdout -----*- C++ -*-===//

#ifndef INTR_TOOLS_COMMON_STDOUTRESULTS_H
#define INTR_TOOLS_COMMON_STDOUTRESULTS_H

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

namespace intr::tools {

/// Flushes stdout and says why the results printed there were lost (a full
/// disk), or nullopt: results that could not be written fail the command.
/// The reason is known where this last flush is the write that failed.
inline std::optional<std::string> stdoutWriteError() {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout))
    return std::nullopt;
  return std::string("cannot write the results to stdout") +
         (errno ? std::string(": ") + std::strerror(errno) : "");
}

} // namespace intr::tools

#endif // INTR_TOOLS_COMMON_STDOUTRESULTS_H
