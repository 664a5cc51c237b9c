//===- Adapters.cpp - Widening and narrowing for 16-bit steps -------------===//

#include "Adapters.h"
#include "ElementwiseSupport.h"

#include <algorithm>

namespace intr::cpu {
namespace {

/// Elements per piece of a conversion: one thread's share at a time.
constexpr int64_t kGrain = int64_t(1) << 15;

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

/// piece(begin, count) over [0, count) in pieces of kGrain, in parallel.
template <typename Piece>
void inPieces(int64_t count, int threads, Piece piece) {
  (void)threads; // Unused without OpenMP.
  int64_t pieces = (count + kGrain - 1) / kGrain;
#pragma omp parallel for num_threads(threads) if (pieces > 1)
  for (int64_t k = 0; k < pieces; ++k)
    piece(k * kGrain, std::min(kGrain, count - k * kGrain));
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
