//===- Gemm.cpp - Single-precision GEMM for the CPU kernels ---------------===//

#include "Gemm.h"

namespace intr::cpu {

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K,
           float alpha, const float *A, int64_t lda, const float *B,
           int64_t ldb, float beta, float *C, int64_t ldc, int threads) {
  (void)threads;
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      float acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += (transA ? A[k * lda + i] : A[i * lda + k]) *
               (transB ? B[j * ldb + k] : B[k * ldb + j]);
      C[i * ldc + j] = alpha * acc + (beta == 0 ? 0 : beta * C[i * ldc + j]);
    }
}

} // namespace intr::cpu
