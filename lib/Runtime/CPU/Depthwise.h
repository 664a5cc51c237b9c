//===- Depthwise.h - Convolutions of one input channel per group -*- C++
//-*-===//
//
// A depthwise convolution (groups = C: MobileNet's 3x3s, ConvNeXt's 7x7s)
// gives each output channel the taps of one input channel only. As im2col
// and a GEMM per group it is a GEMM of one row and kh * kw columns per
// channel, which runs at a small fraction of the GEMM's rate; summed tap by
// tap over rows of the output it is a loop of multiply-adds over
// contiguous floats, which vectorizes. Channel multipliers (O a multiple of
// C) take the same path.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_DEPTHWISE_H
#define INTR_LIB_RUNTIME_CPU_DEPTHWISE_H

#include "NNSupport.h"

namespace intr::cpu::nn {

/// Whether runDepthwise computes `conv`: f32, several groups of one input
/// channel each. Either layout, any window.
bool depthwiseFits(const Conv &conv);

/// op.out = act(conv(op.in) + bias + residual), each output element summed
/// from its bias and residual, then tap by tap in row-major order.
void runDepthwise(const Conv &conv, const ConvOperands &op, int threads);

} // namespace intr::cpu::nn

#endif // INTR_LIB_RUNTIME_CPU_DEPTHWISE_H
