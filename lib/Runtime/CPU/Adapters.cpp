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

/// piece(begin, count) over [0, count) in pieces of kParallelGrain, one
/// thread's share at a time.
template <typename Piece>
void inPieces(int64_t count, int threads, Piece piece) {
  (void)threads; // Unused without OpenMP.
  const int64_t grain = kParallelGrain;
  int64_t pieces = (count + grain - 1) / grain;
#pragma omp parallel for num_threads(threads) if (pieces > 1)
  for (int64_t k = 0; k < pieces; ++k)
    piece(k * grain, std::min(grain, count - k * grain));
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
