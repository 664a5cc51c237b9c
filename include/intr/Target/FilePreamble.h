//===- FilePreamble.h - The fixed start of every .intrx file ----*- C++ -*-===//
//
// Shared by the writer (lib/Target) and the loader (lib/Runtime); plain C++,
// so that the runtime stays free of MLIR and LLVM. See Executable.fbs for the
// file layout.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TARGET_FILEPREAMBLE_H
#define INTR_TARGET_FILEPREAMBLE_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace intr::format {

/// The version this build writes and the only one it reads.
constexpr uint32_t kFormatVersion = 1;
/// Every part of the file, and every weight and arena buffer, starts at a
/// multiple of this many bytes.
constexpr uint64_t kAlignment = 256;

constexpr char kMagic[8] = {'I', 'N', 'T', 'R', 'X', 0, 0, 0};

/// The largest tensors and arena a file may describe: the loader takes
/// anything beyond as corruption (and its arithmetic stays far from
/// overflow), and the compiler refuses to plan it.
constexpr uint64_t kMaxBytes = uint64_t(1) << 44; // 16 TiB
constexpr int64_t kMaxDim = int64_t(1) << 40;
constexpr size_t kMaxRank = 16;

/// The first 64 bytes of an .intrx file, stored little-endian.
struct FilePreamble {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t headerOffset;
  uint64_t headerSize;
  uint64_t weightsOffset;
  uint64_t weightsSize;
  /// checksum() of the header's bytes followed by the weights' bytes.
  uint64_t checksum;
  uint64_t reserved2;
};
static_assert(sizeof(FilePreamble) == 64, "the preamble is 64 bytes");
static_assert(std::is_trivially_copyable<FilePreamble>::value,
              "the preamble is read with memcpy");

/// A 64-bit hash that detects corruption (not tampering): FNV-1a over
/// 8-byte words, then over the tail bytes, so that hashing the weights of
/// a full-size model takes a few tens of milliseconds. `state` chains calls.
inline uint64_t checksum(const void *data, size_t size,
                         uint64_t state = 0xcbf29ce484222325ull) {
  constexpr uint64_t prime = 0x100000001b3ull;
  const auto *bytes = static_cast<const unsigned char *>(data);
  size_t words = size / 8;
  for (size_t i = 0; i < words; ++i) {
    uint64_t word;
    std::memcpy(&word, bytes + 8 * i, 8);
    state = (state ^ word) * prime;
    state ^= state >> 29; // spread high bits into the low ones
  }
  for (size_t i = 8 * words; i < size; ++i)
    state = (state ^ bytes[i]) * prime;
  return state;
}

/// Rounds up to the next multiple of kAlignment.
constexpr uint64_t alignUp(uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

} // namespace intr::format

#endif // INTR_TARGET_FILEPREAMBLE_H
