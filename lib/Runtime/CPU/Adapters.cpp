//===- Adapters.cpp - Widening and narrowing for 16-bit steps -------------===//

#include "Adapters.h"
#include "ElementwiseSupport.h"

#include <algorithm>

namespace intr::cpu {
namespace {

// One loop per direction and type, each vectorized.
INTR_VECTOR_CLONES
void widenPiece(DType narrow, const uint16_t *__restrict from,
                float *__restrict to, int64_t count) {
  if (narrow == DType::BF16)
    for (int64_t i = 0; i < count; ++i)
      to[i] = widenBFloat16Bits(from[i]);
  else
    for (int64_t i = 0; i < count; ++i)
      to[i] = widenHalfBits(from[i]);
}

INTR_VECTOR_CLONES
void narrowPiece(DType narrow, const float *__restrict from,
                 uint16_t *__restrict to, int64_t count) {
  if (narrow == DType::BF16)
    for (int64_t i = 0; i < count; ++i)
      to[i] = roundToBFloat16Bits(from[i]);
  else
    for (int64_t i = 0; i < count; ++i)
      to[i] = roundToHalfBits(from[i]);
}

} // namespace

void widenElements(DType narrow, const void *from, float *to, int64_t count,
                   int threads) {
  const auto *bits = static_cast<const uint16_t *>(from);
  inPieces(count, threads, [&](int64_t begin, int64_t n) {
    widenPiece(narrow, bits + begin, to + begin, n);
  });
}

void narrowElements(DType narrow, const float *from, void *to, int64_t count,
                    int threads) {
  auto *bits = static_cast<uint16_t *>(to);
  inPieces(count, threads, [&](int64_t begin, int64_t n) {
    narrowPiece(narrow, from + begin, bits + begin, n);
  });
}

float *widenedStorage(size_t index, int64_t count) {
  thread_local std::vector<std::vector<float>> storage;
  if (storage.size() <= index)
    storage.resize(index + 1);
  std::vector<float> &buffer = storage[index];
  if (buffer.size() < static_cast<size_t>(count))
    buffer.resize(static_cast<size_t>(count));
  return buffer.data();
}

} // namespace intr::cpu
