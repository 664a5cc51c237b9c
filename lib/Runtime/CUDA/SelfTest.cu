//===- SelfTest.cu - Proves the runtime's kernels run on a device ---------===//

#include "CudaCheck.h"

#include <cmath>
#include <vector>

namespace intr::cuda {
namespace {

__global__ void scaleAndShift(const float *input, float *output, int count,
                              float scale, float shift) {
  int index = blockIdx.x * blockDim.x + threadIdx.x;
  if (index < count)
    output[index] = input[index] * scale + shift;
}

/// Frees device buffers on every path out of selfTest.
struct DeviceBuffer {
  float *pointer = nullptr;
  ~DeviceBuffer() { cudaFree(pointer); }
};

} // namespace

Status selfTest(int device) {
  // Not a multiple of the block size, so the bounds check is exercised.
  constexpr int kCount = 1000 + 37;
  constexpr float kScale = 0.5f, kShift = 3.0f;

  cudaError_t code = cudaSetDevice(device);
  if (code != cudaSuccess)
    return cudaError("selecting CUDA device " + std::to_string(device), code);

  std::vector<float> input(kCount), output(kCount);
  for (int i = 0; i < kCount; ++i)
    input[i] = static_cast<float>(i) - 500.0f;

  DeviceBuffer deviceInput, deviceOutput;
  size_t bytes = kCount * sizeof(float);
  if ((code = cudaMalloc(&deviceInput.pointer, bytes)) != cudaSuccess ||
      (code = cudaMalloc(&deviceOutput.pointer, bytes)) != cudaSuccess)
    return cudaError("allocating the self-test buffers", code);
  if ((code = cudaMemcpy(deviceInput.pointer, input.data(), bytes,
                         cudaMemcpyHostToDevice)) != cudaSuccess)
    return cudaError("uploading the self-test input", code);

  constexpr int kBlock = 256;
  scaleAndShift<<<(kCount + kBlock - 1) / kBlock, kBlock>>>(
      deviceInput.pointer, deviceOutput.pointer, kCount, kScale, kShift);
  if ((code = cudaGetLastError()) != cudaSuccess)
    return cudaError("launching the self-test kernel (is the device's "
                     "architecture among CMAKE_CUDA_ARCHITECTURES?)",
                     code);
  if ((code = cudaMemcpy(output.data(), deviceOutput.pointer, bytes,
                         cudaMemcpyDeviceToHost)) != cudaSuccess)
    return cudaError("downloading the self-test output", code);

  for (int i = 0; i < kCount; ++i) {
    float expected = input[i] * kScale + kShift;
    if (output[i] != expected)
      return Error("CUDA self-test: element " + std::to_string(i) + " is " +
                   std::to_string(output[i]) + ", expected " +
                   std::to_string(expected));
  }
  return Status::ok();
}

} // namespace intr::cuda
