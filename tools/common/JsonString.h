//===- JsonString.h - JSON string literals for the tools' output -*- C++ -*-=//
//
// intr-run and intr-bench print JSON without a JSON library (they build
// with the runtime alone, without LLVM).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_COMMON_JSONSTRING_H
#define INTR_TOOLS_COMMON_JSONSTRING_H

#include <cstdio>
#include <string>

namespace intr::tools {

/// The length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0
/// where none starts there (a stray continuation byte, an overlong form, a
/// surrogate, a value past U+10FFFF, a sequence cut short).
inline size_t utf8SequenceLength(const std::string &text, size_t i) {
  auto byte = [&](size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u;
  };
  auto continues = [&](size_t k, unsigned low = 0x80, unsigned high = 0xBF) {
    return byte(k) >= low && byte(k) <= high;
  };
  const unsigned lead = byte(i);
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return continues(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    // E0 needs A0 and up (not overlong), ED at most 9F (no surrogates).
    const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned high = lead == 0xED ? 0x9F : 0xBF;
    return continues(i + 1, low, high) && continues(i + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    // F0 needs 90 and up (not overlong), F4 at most 8F (U+10FFFF).
    const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
    return continues(i + 1, low, high) && continues(i + 2) && continues(i + 3)
               ? 4
               : 0;
  }
  return 0;
}

/// `text` as a JSON string literal. Text that is not UTF-8 (a file name on
/// Linux may be any bytes) stays valid JSON: each byte outside a well-formed
/// sequence becomes the escape of the lone surrogate U+DC00 + byte, as
/// Python's "surrogateescape" decodes file names, so that Python's
/// json.loads and os.fsencode give the name's bytes back.
inline std::string jsonString(const std::string &text) {
  std::string out = "\"";
  auto escape = [&](unsigned code) {
    char escaped[8];
    std::snprintf(escaped, sizeof(escaped), "\\u%04x", code);
    out += escaped;
  };
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = utf8SequenceLength(text, i);
    if (length == 0) {
      escape(0xDC00 + c);
      ++i;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
      ++i;
    } else if (c < 0x20) {
      escape(c);
      ++i;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out + "\"";
}

} // namespace intr::tools

#endif // INTR_TOOLS_COMMON_JSONSTRING_H
