//===- Winograd.h - 3x3 convolutions by Winograd's F(2x2, 3x3) --*- C++ -*-===//
//
// A 3x3 convolution of stride 1 computes each 2x2 block of its output from
// the 4x4 input tile under it. Winograd's minimal filtering F(2x2, 3x3)
// moves tile and filter to a domain where that takes 16 products per pair
// of channels instead of 36: V = Bᵀ d B for each input tile, U = G g Gᵀ for
// each filter, then for each of the 16 positions ξ one GEMM over the
// channels, M[ξ] = U[ξ] V[ξ], and Y = Aᵀ M A back. Its matrices hold only
// 0, ±1 and ±1/2, so it rounds about as the direct sum does; but the sums
// and differences of inputs that V holds make an infinite input, or one
// beyond about 1.7e38, NaN in outputs where the direct sum gives ±inf (a
// NaN input reaches the same outputs either way).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_WINOGRAD_H
#define INTR_LIB_RUNTIME_CPU_WINOGRAD_H

#include "NNSupport.h"

#include <cstdint>

namespace intr::cpu::nn {

/// Whether runWinograd computes `conv`: 3x3, stride 1, no dilation, one
/// group, and channels enough on both sides for the transforms to cost
/// less than the products they save. Either layout.
bool winogradFits(const Conv &conv);

/// The floats of the transformed filters: 16 * O * C.
int64_t winogradFilterFloats(const Conv &conv);

/// U[ξ][o][c] = (G g Gᵀ)[ξ] of each filter g of `weight` [O, C, 3, 3]
/// ([O, 3, 3, C] channels last).
void winogradFilters(const Conv &conv, const float *weight, float *filters,
                     int threads);

/// op.out = act(conv(op.in) + bias + residual) from the transformed
/// filters, in blocks of tile rows, one thread each.
void runWinograd(const Conv &conv, const ConvOperands &op, const float *filters,
                 int threads);

} // namespace intr::cpu::nn

#endif // INTR_LIB_RUNTIME_CPU_WINOGRAD_H
