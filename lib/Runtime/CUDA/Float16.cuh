//===- Float16.cuh - f32 math on f32, f16 or bf16 storage ------*- CUDA -*-===//
//
// Kernels of fp16 and bf16 plans store elements in 16 bits and compute in
// f32: load() widens an element exactly, store() rounds to nearest even
// once. visitFloatStorage() picks the device type of a checked dtype.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_FLOAT16_CUH
#define INTR_LIB_RUNTIME_CUDA_FLOAT16_CUH

#include "intr/runtime/Tensor.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace intr::cuda {

__device__ inline float load(float v) { return v; }
__device__ inline float load(__half v) { return __half2float(v); }
__device__ inline float load(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T> __device__ T store(float v);
template <> __device__ inline float store<float>(float v) { return v; }
template <> __device__ inline __half store<__half>(float v) {
  return __float2half_rn(v);
}
template <> __device__ inline __nv_bfloat16 store<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

/// A type as a value, for visitFloatStorage's callback.
template <typename T> struct StorageTag {
  using type = T;
};

/// fn(StorageTag<T>{}) with T = __half for F16, __nv_bfloat16 for BF16 and
/// float for F32 (and for any other dtype: callers check theirs first).
template <typename Fn> auto visitFloatStorage(DType dtype, Fn &&fn) {
  if (dtype == DType::F16)
    return fn(StorageTag<__half>{});
  if (dtype == DType::BF16)
    return fn(StorageTag<__nv_bfloat16>{});
  return fn(StorageTag<float>{});
}

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_FLOAT16_CUH
