//===- Gemm.h - Row-major f32 GEMM through cuBLASLt -------------*- C++ -*-===//
//
// The matrix product that the CUDA kernels share (linear layers, MatMul,
// Gemm, the im2col convolutions): the CPU backend's sgemm with an epilogue,
// on the context's stream. The algorithm is chosen by cuBLASLt's heuristic
// the first time a problem is seen and kept in Context::tuned, so that a
// CUDA Graph capture runs exactly what the eager run chose and never
// searches.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_GEMM_H
#define INTR_LIB_RUNTIME_CUDA_GEMM_H

#include "CudaKernel.h"

#include <cstddef>
#include <cstdint>

namespace intr::cuda {

/// The most workspace a GEMM's algorithm may use unless the caller says
/// otherwise (cuBLAS's recommendation for Hopper).
constexpr size_t kGemmWorkspaceLimit = size_t(32) << 20;

/// One row-major f32 matrix product, or a strided batch of them:
///
///   C[b] = act(alpha * op(A[b]) * op(B[b]) + beta * C[b] + bias)
///
/// for b < batch, where op(X) is X or its transpose, op(A) is [M, K],
/// op(B) is [K, N] and C is [M, N]. A is stored [M, K] ([K, M] with transA)
/// with row stride lda, B [K, N] ([N, K] with transB) with row stride ldb,
/// C with row stride ldc; all strides are in elements, as for cpu::sgemm.
/// `bias` ([N], one value per column of C) and the ReLU (act) are optional.
/// A[b] = A + b * strideA and alike for B and C; a stride of 0 repeats the
/// same A or B for every product. beta = 0 writes C without reading it.
/// With an `addend` (its own row stride ldAddend and batch stride, 0 to
/// repeat it), the product writes C = act(alpha * op(A) * op(B) + addend[b])
/// without reading C: a constant [M, N] matrix added on the way out, as
/// cuBLASLt's separate C input (its D is our C); where cuBLASLt has no
/// algorithm for that, one kernel writes the addend into C and the product
/// accumulates onto it (interleaved products that share B as one product).
/// beta and bias must then be 0 and null. Batches may interleave their rows
/// (strideC < ldc, say C's rows b, b + batch, ...), as long as no two products
/// share an element. (cuBLASLt computes the column-major Cᵀ = op(B)ᵀ op(A)ᵀ,
/// the same memory: see Gemm.cu.)
struct GemmDesc {
  bool transA = false, transB = false;
  int64_t M = 0, N = 0, K = 0;
  const float *A = nullptr;
  int64_t lda = 0;
  const float *B = nullptr;
  int64_t ldb = 0;
  float *C = nullptr;
  int64_t ldc = 0;
  float alpha = 1.0f, beta = 0.0f;
  const float *bias = nullptr;
  bool relu = false;
  const float *addend = nullptr;
  int64_t ldAddend = 0, strideAddend = 0;
  int64_t batch = 1;
  int64_t strideA = 0, strideB = 0, strideC = 0;
  /// The most workspace the chosen algorithm may use, in bytes.
  size_t workspaceLimit = kGemmWorkspaceLimit;
};

/// Enqueues `desc` on context.stream, choosing its algorithm first when the
/// problem is new (outside a capture only; a capture meeting an untuned
/// problem is an error). The workspace is `workspace` (at least
/// desc.workspaceLimit bytes, 256-byte aligned: for callers that share the
/// scratch between several buffers or calls) or, when null, as much of
/// context.scratch as the algorithm needs. Sizes, strides and pointers are
/// checked first; errors name `kernel`. K = 0 or alpha = 0 gives
/// beta * C + bias without reading A or B, as cpu::sgemm does.
Status gemm(Context &context, const GemmDesc &desc, const char *kernel,
            void *workspace = nullptr);

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_GEMM_H
