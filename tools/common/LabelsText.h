//===- LabelsText.h - Class names from a labels file's text -----*- C++ -*-===//
//
// intr-opt compile --labels and intr-run --labels read the same files: one
// reading, so that both find the same labels in them.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_COMMON_LABELSTEXT_H
#define INTR_TOOLS_COMMON_LABELSTEXT_H

#include <string>
#include <string_view>
#include <vector>

namespace intr::tools {

/// The labels in `text`, one per line, without the whitespace around them
/// (a CRLF's CR too); blank lines are skipped, and so is a leading
/// byte-order mark (as some editors save UTF-8).
inline std::vector<std::string> parseLabels(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark)
    text.remove_prefix(kByteOrderMark.size());
  std::vector<std::string> labels;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const size_t first = line.find_first_not_of(kSpace);
    if (first != std::string_view::npos)
      labels.emplace_back(
          line.substr(first, line.find_last_not_of(kSpace) - first + 1));
  }
  return labels;
}

} // namespace intr::tools

#endif // INTR_TOOLS_COMMON_LABELSTEXT_H
