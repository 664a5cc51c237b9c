//===- ConvKernels.h - What the convolution kernels share -------*- C++ -*-===//
//
// ConvKernels.cu runs intr.conv2d and onnx.Conv on cuDNN's legacy API or
// im2col and cuBLASLt, and hands some to the other two: SmallChannelConv.cu
// runs the 16-bit channels-last convolutions over a few input channels
// (ResNet's stem), where cuDNN's kernels are slow, on its own tensor-core
// kernel; CudnnGraphConv.cu runs 16-bit channels-last ones as operation
// graphs of cuDNN's graph API.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_CONVKERNELS_H
#define INTR_LIB_RUNTIME_CUDA_CONVKERNELS_H

#include "../CPU/NNSupport.h"
#include "CudaKernel.h"

namespace intr::cuda {

/// The most workspace a cuDNN algorithm or engine may use, legacy or graph
/// (FFT algorithms can ask for gigabytes).
constexpr size_t kConvWorkspaceLimit = size_t(256) << 20;

/// Device memory for timing candidates, freed with its owner once the
/// stream's work on it is done, so that the scratch grows only to the
/// chosen candidate's workspace.
struct TrialWorkspace {
  cudaStream_t stream = nullptr;
  void *data = nullptr;
  ~TrialWorkspace() {
    if (data) {
      cudaStreamSynchronize(stream);
      cudaFree(data);
    }
  }
};

/// What follows a convolution's sums: y = act(sum + bias + residual),
/// bias [O] and residual (the output's shape) each optional, of the
/// convolution's dtype.
struct ConvEpilogue {
  const void *bias = nullptr;
  const void *residual = nullptr;
  bool relu = false;
  bool empty() const { return !bias && !residual && !relu; }
};

/// Whether runSmallChannelConv takes `conv` (checked by the CPU's checks):
/// f16 or bf16, channels last, one group, at most 8 input channels and 256
/// products per output (C·kh·kw), an even O, y 4-byte aligned, and a
/// device and build with sm_80's tensor cores.
bool smallChannelConvFits(Context &context, const cpu::nn::Conv &conv,
                          const void *y);

/// Runs a convolution that smallChannelConvFits on mma.sync (m16n8k16, f32
/// sums), with its epilogue, rounding each result once.
Status runSmallChannelConv(Context &context, const cpu::nn::Conv &conv,
                           const void *x, const void *w,
                           const ConvEpilogue &epilogue, void *y,
                           const char *kernel);

#if INTR_HAVE_CUDNN
/// Runs a 16-bit channels-last convolution that cuDNN's descriptors can
/// say as one operation graph of cuDNN's graph API, with its epilogue
/// (CudnnGraphConv.cu), as Context::convGraphs asks; false, having run
/// nothing, when the legacy call is to run it instead. `legacy` runs the
/// step that way, for the comparison that ConvGraphs::Faster asks for.
Expected<bool> runCudnnGraphConv(Context &context, const cpu::nn::Conv &conv,
                                 const void *x, const void *w,
                                 const ConvEpilogue &epilogue, void *y,
                                 const std::function<Status()> &legacy,
                                 const char *kernel);
#endif

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_CONVKERNELS_H
