//===- Gemm.h - Single-precision GEMM for the CPU kernels -------*- C++ -*-===//

#ifndef INTR_LIB_RUNTIME_CPU_GEMM_H
#define INTR_LIB_RUNTIME_CPU_GEMM_H

#include <cstdint>
#include <string>

namespace intr::cpu {

/// Below this many multiply-adds (M * N * K) sgemm runs on the calling
/// thread alone.
constexpr int64_t kSmallGemmWork = int64_t(1) << 18;

/// C[M x N] = alpha * op(A) * op(B) + beta * C, all row-major, where op(X) is
/// X or its transpose. lda/ldb/ldc are row strides in elements. OpenBLAS's
/// sgemm when the runtime was built with it, a blocked loop otherwise; either
/// uses up to `threads` threads, so call it from serial code unless
/// `threads` is 1. beta = 0 sets C
/// without reading it.
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K,
           float alpha, const float *A, int64_t lda, const float *B,
           int64_t ldb, float beta, float *C, int64_t ldc, int threads);

/// What runs sgemm here, in words: the library and its kernels.
std::string gemmLibrary();

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_GEMM_H
