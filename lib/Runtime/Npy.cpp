//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Format: magic "\x93NUMPY", version (major, minor), header length (2 bytes
// in 1.0, 4 bytes in 2.0 and 3.0), a Python dict literal with 'descr',
// 'fortran_order' and 'shape', padding, then the raw elements.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Npy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace intr {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

struct DescrName {
  const char *descr;
  DType dtype;
};

// Little-endian ('<') or byte-order-free ('|') element types we accept.
constexpr DescrName kDescrs[] = {
    {"<f4", DType::F32}, {"<f2", DType::F16},  {"<f8", DType::F64},
    {"<i8", DType::I64}, {"<i4", DType::I32},  {"|i1", DType::I8},
    {"|u1", DType::U8},  {"|b1", DType::Bool},
};

const char *descrOf(DType dtype) {
  for (const DescrName &entry : kDescrs)
    if (entry.dtype == dtype)
      return entry.descr;
  return nullptr;
}

/// A cursor over the header dict; every method fails softly.
class HeaderParser {
public:
  explicit HeaderParser(std::string text) : text(std::move(text)) {}

  /// Positions the cursor after "'key':" and returns false if absent.
  bool seekKey(const std::string &key) {
    size_t at = text.find("'" + key + "'");
    if (at == std::string::npos)
      return false;
    pos = at + key.size() + 2;
    skipSpaces();
    if (pos >= text.size() || text[pos] != ':')
      return false;
    ++pos;
    skipSpaces();
    return true;
  }

  bool readQuoted(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }

  bool readBool(bool &out) {
    if (text.compare(pos, 4, "True") == 0) {
      out = true;
      pos += 4;
      return true;
    }
    if (text.compare(pos, 5, "False") == 0) {
      out = false;
      pos += 5;
      return true;
    }
    return false;
  }

  /// "(2, 3)", "(5,)" or "()".
  bool readShape(std::vector<int64_t> &out) {
    if (pos >= text.size() || text[pos] != '(')
      return false;
    ++pos;
    for (;;) {
      skipSpaces();
      if (pos >= text.size())
        return false;
      if (text[pos] == ')')
        return true;
      if (!std::isdigit(static_cast<unsigned char>(text[pos])))
        return false;
      int64_t value = 0;
      while (pos < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (value > (INT64_C(1) << 48))
          return false; // no real tensor has a dimension this large
        value = value * 10 + (text[pos++] - '0');
      }
      out.push_back(value);
      skipSpaces();
      if (pos < text.size() && text[pos] == ',')
        ++pos;
    }
  }

private:
  void skipSpaces() {
    while (pos < text.size() &&
           std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
  }

  std::string text;
  size_t pos = 0;
};

Error npyError(const std::string &name, const std::string &reason) {
  return Error(name + ": not a valid .npy file: " + reason);
}

} // namespace

Expected<Tensor> parseNpy(const void *data, size_t size,
                          const std::string &name) {
  const auto *bytes = static_cast<const unsigned char *>(data);
  if (size < kMagicSize + 4 || std::memcmp(bytes, kMagic, kMagicSize) != 0)
    return npyError(name, "missing the \\x93NUMPY magic");
  unsigned major = bytes[6];
  size_t headerStart, headerSize;
  if (major == 1) {
    headerStart = 10;
    headerSize = bytes[8] | (bytes[9] << 8);
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return npyError(name, "truncated header");
    headerStart = 12;
    headerSize = static_cast<size_t>(bytes[8]) | (bytes[9] << 8) |
                 (bytes[10] << 16) | (static_cast<size_t>(bytes[11]) << 24);
  } else {
    return npyError(name,
                    "unsupported format version " + std::to_string(major));
  }
  if (headerSize > size - headerStart)
    return npyError(name, "truncated header");

  HeaderParser header(std::string(
      reinterpret_cast<const char *>(bytes) + headerStart, headerSize));
  std::string descr;
  if (!header.seekKey("descr") || !header.readQuoted(descr))
    return npyError(name, "header has no 'descr'");
  bool fortranOrder = false;
  if (!header.seekKey("fortran_order") || !header.readBool(fortranOrder))
    return npyError(name, "header has no 'fortran_order'");
  if (fortranOrder)
    return npyError(name, "Fortran order is not supported; save with "
                          "numpy.ascontiguousarray");
  std::vector<int64_t> shape;
  if (!header.seekKey("shape") || !header.readShape(shape))
    return npyError(name, "header has no valid 'shape'");

  const DescrName *match = nullptr;
  for (const DescrName &entry : kDescrs)
    if (descr == entry.descr)
      match = &entry;
  if (!match)
    return npyError(name, "unsupported element type '" + descr +
                              "' (little-endian f2/f4/f8, i1/i4/i8, u1, "
                              "b1 are supported)");

  size_t available = size - headerStart - headerSize;
  size_t needed = dtypeSize(match->dtype);
  for (int64_t dim : shape)
    if (__builtin_mul_overflow(needed, static_cast<size_t>(dim), &needed))
      return npyError(name, "shape " + formatShape(shape) + " is too large");
  if (needed != available)
    return npyError(name, "shape " + formatShape(shape) + " of " + descr +
                              " needs " + std::to_string(needed) +
                              " bytes of data, the file has " +
                              std::to_string(available));

  Tensor tensor(match->dtype, shape);
  if (needed)
    std::memcpy(tensor.rawData(), bytes + headerStart + headerSize, needed);
  return tensor;
}

Expected<Tensor> loadNpy(const std::string &path) {
  // A directory opens, but reading it throws from inside the stream; a
  // device (/dev/zero) never ends. Pipes are fine.
  std::error_code error;
  std::filesystem::file_type type = std::filesystem::status(path, error).type();
  if (type == std::filesystem::file_type::directory)
    return Error(path + ": is a directory, not a .npy file");
  if (type == std::filesystem::file_type::character ||
      type == std::filesystem::file_type::block ||
      type == std::filesystem::file_type::socket)
    return Error(path + ": is a device, not a .npy file");
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Error(path + ": cannot open file: " + std::strerror(errno));
  std::string contents((std::istreambuf_iterator<char>(file)),
                       std::istreambuf_iterator<char>());
  if (file.bad())
    return Error(path + ": read error");
  return parseNpy(contents.data(), contents.size(), path);
}

Status saveNpy(const std::string &path, const Tensor &tensor) {
  const char *descr = descrOf(tensor.dtype());
  if (!descr)
    return Error(path + ": cannot save " +
                 std::string(dtypeName(tensor.dtype())) +
                 " tensors as .npy (NumPy has no such type)");
  std::ostringstream dict;
  dict << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape().size(); ++i)
    dict << (i ? ", " : "") << tensor.shape()[i];
  dict << (tensor.rank() == 1 ? ",), }" : "), }");
  std::string header = dict.str();
  // Pad with spaces and a newline so that the data starts 64-byte aligned.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::ofstream file(path, std::ios::binary);
  if (!file)
    return Error(path + ": cannot create file: " + std::strerror(errno));
  file.write(kMagic, kMagicSize);
  unsigned char version[4] = {1, 0, static_cast<unsigned char>(header.size()),
                              static_cast<unsigned char>(header.size() >> 8)};
  file.write(reinterpret_cast<const char *>(version), 4);
  file << header;
  file.write(static_cast<const char *>(tensor.rawData()),
             static_cast<std::streamsize>(tensor.sizeInBytes()));
  if (!file)
    return Error(path + ": write error");
  return Status::ok();
}

} // namespace intr
