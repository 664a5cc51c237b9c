//===- Gemm.cpp - Single-precision GEMM for the CPU kernels ---------------===//
//
// OpenBLAS's sgemm when the runtime is built with it. Otherwise a cache
// blocked loop whose innermost loop runs along a row of B and C, so that the
// compiler vectorizes it; a transposed B is packed first to make that so.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#if INTR_HAVE_OPENBLAS
#include <cblas.h>
#include <cstdlib>

// OpenBLAS's choice of kernels for the CPU it runs on: exported by its
// DYNAMIC_ARCH builds (Debian's), not declared in its headers; weak, so
// that a build without them links and leaves the choice alone.
extern "C" void gotoblas_dynamic_init(void) __attribute__((weak));
extern "C" void gotoblas_dynamic_quit(void) __attribute__((weak));
#endif

namespace intr::cpu {

namespace {

#if INTR_HAVE_OPENBLAS
/// The kernels OpenBLAS picks for this CPU's features, by the names its
/// OPENBLAS_CORETYPE takes; null where they add nothing to SSE3's.
const char *coreForFeatures() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return "Haswell";
#endif
  return nullptr;
}

/// Set once, before the first GEMM: OpenBLAS single-threaded inside our
/// OpenMP threads, on kernels that fit the CPU. OpenBLAS before 0.3.25
/// (Debian 12 has 0.3.21) falls back to its SSE3 "Prescott" kernels on an
/// x86 CPU whose model it does not know (Emerald Rapids, say), 4 to 5 times
/// slower than its AVX-512 ones there; it is then asked to choose again as
/// OPENBLAS_CORETYPE would have made it, by the CPU's features. A user's own
/// OPENBLAS_CORETYPE is left as it is.
std::string prepareOpenBlas() {
  // One thread pool: OpenBLAS runs single-threaded inside our OpenMP
  // threads. Its own pthreads and OpenMP's spinning workers would fight
  // over the cores (measured: 2 threads slower than 1).
  openblas_set_num_threads(1);
  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ...": its name and version.
  std::string config = openblas_get_config();
  std::string library =
      config.substr(0, config.find(' ', config.find(' ') + 1));
  std::string detected = openblas_get_corename();
  const char *better = coreForFeatures();
  if (detected != "Prescott" || !better || std::getenv("OPENBLAS_CORETYPE") ||
      !gotoblas_dynamic_init || !gotoblas_dynamic_quit)
    return library + ", " + detected + " kernels";
  setenv("OPENBLAS_CORETYPE", better, /*overwrite=*/0);
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
  unsetenv("OPENBLAS_CORETYPE");
  return library + ", " + openblas_get_corename() +
         " kernels, chosen by the CPU's features (OpenBLAS did not know this "
         "CPU's model and had chosen " +
         detected + ")";
}

const std::string &openBlas() {
  static const std::string description = prepareOpenBlas();
  return description;
}
#endif

/// C = beta * C, with beta = 0 clearing C (even of NaNs, as BLAS does).
void scaleRows(int64_t M, int64_t N, float beta, float *C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    float *row = C + i * ldc;
    if (beta == 0.0f)
      std::fill(row, row + N, 0.0f);
    else if (beta != 1.0f)
      for (int64_t j = 0; j < N; ++j)
        row[j] *= beta;
  }
}

void blockedSgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K,
                  float alpha, const float *A, int64_t lda, const float *B,
                  int64_t ldb, float beta, float *C, int64_t ldc, int threads) {
  (void)threads; // Unused without OpenMP.
  // Rows of B must be contiguous for the inner loop: pack Bᵀ into [K, N].
  std::vector<float> packed;
  if (transB) {
    packed.resize(static_cast<size_t>(K * N));
    for (int64_t j = 0; j < N; ++j)
      for (int64_t k = 0; k < K; ++k)
        packed[k * N + j] = B[j * ldb + k];
    B = packed.data();
    ldb = N;
  }

  // A block of B of kBlockK x kBlockN floats (128 KiB) stays in L2 while a
  // block of rows of C accumulates into it.
  constexpr int64_t kBlockRows = 16, kBlockK = 128, kBlockN = 256;
  int64_t rowBlocks = (M + kBlockRows - 1) / kBlockRows;
#pragma omp parallel for num_threads(threads) schedule(dynamic)
  for (int64_t block = 0; block < rowBlocks; ++block) {
    int64_t i0 = block * kBlockRows, i1 = std::min(M, i0 + kBlockRows);
    scaleRows(i1 - i0, N, beta, C + i0 * ldc, ldc);
    for (int64_t j0 = 0; j0 < N; j0 += kBlockN) {
      int64_t j1 = std::min(N, j0 + kBlockN);
      for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
        int64_t k1 = std::min(K, k0 + kBlockK);
        for (int64_t i = i0; i < i1; ++i) {
          float *c = C + i * ldc;
          for (int64_t k = k0; k < k1; ++k) {
            float a = alpha * (transA ? A[k * lda + i] : A[i * lda + k]);
            const float *b = B + k * ldb;
            for (int64_t j = j0; j < j1; ++j)
              c[j] += a * b[j];
          }
        }
      }
    }
  }
}

} // namespace

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K,
           float alpha, const float *A, int64_t lda, const float *B,
           int64_t ldb, float beta, float *C, int64_t ldc, int threads) {
  if (M <= 0 || N <= 0)
    return;
  threads = std::max(threads, 1);
  if (K <= 0 || alpha == 0.0f) {
    scaleRows(M, N, beta, C, ldc);
    return;
  }
#if INTR_HAVE_OPENBLAS
  // OpenBLAS takes int sizes; a larger problem takes the loop below.
  auto fitsInt = [](int64_t v) { return v <= INT_MAX; };
  if (fitsInt(M) && fitsInt(N) && fitsInt(K) && fitsInt(lda) && fitsInt(ldb) &&
      fitsInt(ldc)) {
    openBlas();
    auto call = [&](int64_t m, int64_t n, const float *a, const float *b,
                    float *c) {
      // BLAS rejects leading dimensions below 1 even for a single row.
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                  transB ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                  static_cast<int>(n), static_cast<int>(K), alpha, a,
                  static_cast<int>(std::max<int64_t>(lda, 1)), b,
                  static_cast<int>(std::max<int64_t>(ldb, 1)), beta, c,
                  static_cast<int>(std::max<int64_t>(ldc, 1)));
    };
    // A single row (a batch-1 classifier's layers): matrix-vector products
    // over bands of C's columns, which stream B at the memory's rate where
    // sgemm's packing of B halved it (AlexNet's 151 MB layer at batch 1:
    // 10.6 to 5.5 ms on 2 cores). sgemv scales y by beta, which would keep
    // a NaN that beta = 0 must clear.
    if (M == 1) {
      if (beta == 0.0f)
        std::fill(C, C + N, 0.0f);
      int64_t bands = N * K >= kSmallGemmWork ? threads : 1;
      bands = std::max<int64_t>(1, std::min(bands, N / 16));
      const int incA = static_cast<int>(transA ? std::max<int64_t>(lda, 1) : 1);
#pragma omp parallel for num_threads(threads) schedule(static) if (bands > 1)
      for (int64_t band = 0; band < bands; ++band) {
        int64_t begin = N * band / bands, end = N * (band + 1) / bands;
        int width = static_cast<int>(end - begin);
        if (transB)
          cblas_sgemv(CblasRowMajor, CblasNoTrans, width, static_cast<int>(K),
                      alpha, B + begin * ldb,
                      static_cast<int>(std::max<int64_t>(ldb, 1)), A, incA,
                      beta, C + begin, 1);
        else
          cblas_sgemv(CblasRowMajor, CblasTrans, static_cast<int>(K), width,
                      alpha, B + begin,
                      static_cast<int>(std::max<int64_t>(ldb, 1)), A, incA,
                      beta, C + begin, 1);
      }
      return;
    }
    // Split the larger side of C into one block per thread when there is
    // enough work for each (small GEMMs run on the calling thread).
    int64_t parts = M * N * K >= kSmallGemmWork ? threads : 1;
    bool byRows = M >= N;
    int64_t extent = byRows ? M : N;
    parts = std::max<int64_t>(1, std::min(parts, extent / 16));
    if (parts == 1) {
      call(M, N, A, B, C);
      return;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t part = 0; part < parts; ++part) {
      int64_t begin = extent * part / parts, end = extent * (part + 1) / parts;
      if (byRows)
        call(end - begin, N, transA ? A + begin : A + begin * lda, B,
             C + begin * ldc);
      else
        call(M, end - begin, A, transB ? B + begin * ldb : B + begin,
             C + begin);
    }
    return;
  }
#endif
  blockedSgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc,
               threads);
}

std::string gemmLibrary() {
#if INTR_HAVE_OPENBLAS
  return openBlas();
#else
  return "a cache-blocked loop of ours (built without OpenBLAS)";
#endif
}

} // namespace intr::cpu
