//===- Gemm.cu - Row-major f32 GEMM through cuBLASLt ----------------------===//
//
// cuBLASLt is column-major. A row-major [M, N] matrix with row stride ldc,
// read column-major, is its transpose [N, M] with leading dimension ldc, and
// Cᵀ = op(B)ᵀ · op(A)ᵀ. So every product is handed to cuBLASLt with the
// operands swapped (B first, A second), M and N swapped and the transpose
// flags kept: no data moves, and the leading dimensions are the row strides
// unchanged. A bias per column of C is then a bias per row of Cᵀ, which is
// what CUBLASLT_EPILOGUE_BIAS adds.
//
// The heuristic's algorithm for a problem (its sizes, strides, epilogue and
// the alignment of its pointers, which the heuristic relies on) is kept in
// Context::tuned as the algorithm's 8 words, its workspace size, whether
// the epilogue had to run as a kernel of its own, and how many candidates
// were timed for it (0: none, the heuristic's first). With
// Context::measureGemmAlgorithms the first run times the heuristic's first
// eight on the device alone and keeps the fastest instead: at batch 1 the
// transformer's products are small, and the heuristic's first may split K
// over a separate reduction kernel where a smaller tile would not.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"
#include "Launch.cuh"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace intr::cuda {

namespace {

/// Exact fp32 products, so that results stay within 1e-4 of the CPU
/// backend, unless the plan asked for TF32 tensor cores (about 1e-3
/// relative error).
cublasComputeType_t computeType(const Context &context) {
  return context.allowTF32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
}

/// Algorithms of the heuristic timed per problem with
/// Context::measureGemmAlgorithms, and the timed calls of each.
constexpr int kCandidates = 8;
constexpr int kTimedCalls = 5;

/// Products per cublasLtMatmul call: the batch count is an int32, and
/// kernels may put the batch on the grid's z dimension (at most 65535).
constexpr int64_t kMaxBatchPerCall = 65535;

/// The layout of a tuned entry: the algorithm's words, then these.
constexpr size_t kAlgoWords = sizeof(cublasLtMatmulAlgo_t) / sizeof(uint64_t);
constexpr size_t kWorkspaceSlot = kAlgoWords;
constexpr size_t kSeparateEpilogueSlot = kAlgoWords + 1;
constexpr size_t kTimedSlot = kAlgoWords + 2; // candidates timed, or 0
constexpr size_t kEntrySize = kAlgoWords + 3;
static_assert(sizeof(cublasLtMatmulAlgo_t) == kAlgoWords * sizeof(uint64_t),
              "cublasLtMatmulAlgo_t is a whole number of 64-bit words");

//===----------------------------------------------------------------------===//
// Epilogue kernel
//===----------------------------------------------------------------------===//

/// C[b] = act((readC ? scale * C[b] : 0) + bias + addend[b]) over `batch`
/// row-major [M, N] matrices (bias and addend optional): the epilogue when
/// cuBLASLt cannot fuse it, the whole result when there is no product to
/// take (K = 0 or alpha = 0), and the addend written into C where cuBLASLt
/// cannot read it apart. One launch covers every product, interleaved or
/// not.
__global__ void epilogueKernel(float *C, int64_t M, int64_t N, int64_t ldc,
                               int64_t batch, int64_t strideC, bool readC,
                               float scale, const float *bias,
                               const float *addend, int64_t ldAddend,
                               int64_t strideAddend, bool relu) {
  awaitPredecessors();
  int64_t total = batch * M * N;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t col = i % N, row = (i / N) % M, b = i / (M * N);
    float *element = C + b * strideC + row * ldc + col;
    float value = readC ? scale * *element : 0.0f;
    if (bias)
      value += bias[col];
    if (addend)
      value += addend[b * strideAddend + row * ldAddend + col];
    // max(v, 0) as the CPU's std::max writes it: NaN stays NaN.
    if (relu && value < 0.0f)
      value = 0.0f;
    *element = value;
  }
}

/// The epilogue kernel over `batch` products of `desc` from C, with
/// desc's bias and ReLU and `addend` (desc's strides; null for none).
Status launchEpilogue(Context &context, const GemmDesc &desc, int64_t batch,
                      float *C, const float *addend, bool readC, float scale,
                      const char *kernel) {
  int64_t total = batch * desc.M * desc.N;
  launch(context, epilogueKernel, gridFor(total, context), 256, 0, C, desc.M,
         desc.N, desc.ldc, batch, desc.strideC, readC, scale, desc.bias, addend,
         desc.ldAddend, desc.strideAddend, desc.relu);
  return checkLaunch(kernel);
}

//===----------------------------------------------------------------------===//
// cuBLASLt descriptors
//===----------------------------------------------------------------------===//

/// Owners of cuBLASLt's descriptors (host objects only, so creating them
/// during a capture is fine).
struct MatmulDesc {
  cublasLtMatmulDesc_t handle = nullptr;
  ~MatmulDesc() {
    if (handle)
      cublasLtMatmulDescDestroy(handle);
  }
};
struct Layout {
  cublasLtMatrixLayout_t handle = nullptr;
  ~Layout() {
    if (handle)
      cublasLtMatrixLayoutDestroy(handle);
  }
};
struct Preference {
  cublasLtMatmulPreference_t handle = nullptr;
  ~Preference() {
    if (handle)
      cublasLtMatmulPreferenceDestroy(handle);
  }
};

/// One cublasLtMatmul call: `batch` products starting at A, B and C (and
/// the addend, when there is one).
struct Call {
  const float *A, *B;
  float *C;
  int64_t batch;
  const float *addend = nullptr;
};

/// The cuBLASLt view of one call: the operation and the layouts of its
/// first operand (our B), its second (our A), of D (our C) and of its C:
/// our addend where there is one, else D itself (in place).
struct Problem {
  MatmulDesc operation;
  Layout first, second, result, addend;
  cublasLtMatrixLayout_t input() const {
    return addend.handle ? addend.handle : result.handle;
  }
};

/// A tuned entry's workspace slot when cuBLASLt has no algorithm that
/// reads the addend apart from C: the addend is copied into C instead.
constexpr int64_t kCopyAddend = -1;

/// Enqueues `call` as `problem` describes it, with `algo`. cuBLASLt's C is
/// the addend with beta = 1 where there is one, else our C in place.
cublasStatus_t matmul(Context &context, const GemmDesc &desc, const Call &call,
                      const Problem &problem, const cublasLtMatmulAlgo_t &algo,
                      void *workspace, size_t workspaceBytes) {
  const float beta = desc.addend ? 1.0f : desc.beta;
  return cublasLtMatmul(
      context.blasLt, problem.operation.handle, &desc.alpha, call.B,
      problem.first.handle, call.A, problem.second.handle, &beta,
      call.addend ? call.addend : call.C, problem.input(), call.C,
      problem.result.handle, &algo, workspace, workspaceBytes, context.stream);
}

Status layout(Layout &out, uint64_t rows, uint64_t cols, int64_t ld,
              int64_t batch, int64_t stride, const std::string &what) {
  if (Status s = check(
          cublasLtMatrixLayoutCreate(&out.handle, CUDA_R_32F, rows, cols, ld),
          what);
      !s)
    return s;
  if (batch == 1)
    return Status::ok();
  auto count = static_cast<int32_t>(batch);
  if (Status s = check(cublasLtMatrixLayoutSetAttribute(
                           out.handle, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT,
                           &count, sizeof(count)),
                       what);
      !s)
    return s;
  return check(cublasLtMatrixLayoutSetAttribute(
                   out.handle, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                   &stride, sizeof(stride)),
               what);
}

template <typename T>
Status setAttribute(cublasLtMatmulDesc_t operation,
                    cublasLtMatmulDescAttributes_t attribute, const T &value,
                    const std::string &what) {
  return check(cublasLtMatmulDescSetAttribute(operation, attribute, &value,
                                              sizeof(value)),
               what);
}

/// Describes `call` for cuBLASLt (see the file comment for the swap), with
/// the bias and ReLU fused when `fuseEpilogue`.
Status describe(const GemmDesc &desc, const Call &call, bool fuseEpilogue,
                cublasComputeType_t compute, Problem &problem,
                const std::string &what) {
  if (Status s = check(cublasLtMatmulDescCreate(&problem.operation.handle,
                                                compute, CUDA_R_32F),
                       what);
      !s)
    return s;
  cublasLtMatmulDesc_t operation = problem.operation.handle;
  int32_t transFirst = desc.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  int32_t transSecond = desc.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  if (Status s = setAttribute(operation, CUBLASLT_MATMUL_DESC_TRANSA,
                              transFirst, what);
      !s)
    return s;
  if (Status s = setAttribute(operation, CUBLASLT_MATMUL_DESC_TRANSB,
                              transSecond, what);
      !s)
    return s;
  if (fuseEpilogue && (desc.bias || desc.relu)) {
    uint32_t epilogue = desc.bias ? (desc.relu ? CUBLASLT_EPILOGUE_RELU_BIAS
                                               : CUBLASLT_EPILOGUE_BIAS)
                                  : CUBLASLT_EPILOGUE_RELU;
    if (Status s = setAttribute(operation, CUBLASLT_MATMUL_DESC_EPILOGUE,
                                epilogue, what);
        !s)
      return s;
    // The heuristic reads the bias pointer's alignment, so it is set
    // before tuning too.
    if (desc.bias) {
      const void *bias = desc.bias;
      if (Status s = setAttribute(operation, CUBLASLT_MATMUL_DESC_BIAS_POINTER,
                                  bias, what);
          !s)
        return s;
    }
  }
  // Stored shapes, column-major: our B is [N, K] (transB: [K, N]) with
  // leading dimension ldb, our A [K, M] (transA: [M, K]) with lda, and C
  // [N, M] with ldc.
  int64_t M = desc.M, N = desc.N, K = desc.K;
  if (Status s = layout(problem.first, desc.transB ? K : N, desc.transB ? N : K,
                        desc.ldb, call.batch, desc.strideB, what);
      !s)
    return s;
  if (Status s =
          layout(problem.second, desc.transA ? M : K, desc.transA ? K : M,
                 desc.lda, call.batch, desc.strideA, what);
      !s)
    return s;
  if (Status s = layout(problem.result, N, M, desc.ldc, call.batch,
                        desc.strideC, what);
      !s)
    return s;
  if (!desc.addend)
    return Status::ok();
  return layout(problem.addend, N, M, desc.ldAddend, call.batch,
                desc.strideAddend, what);
}

//===----------------------------------------------------------------------===//
// Tuning
//===----------------------------------------------------------------------===//

/// The largest power of two, at most 256 (cuBLASLt's default assumption),
/// that divides the address of every matrix of the batch.
uint32_t alignmentOf(const void *pointer, int64_t stride, int64_t batch) {
  uint64_t bits = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(pointer));
  if (batch > 1)
    bits |= static_cast<uint64_t>(stride) * sizeof(float);
  bits |= 256;
  return static_cast<uint32_t>(bits & (~bits + 1));
}

/// What the heuristic's choice depends on, the compute type included (the
/// tests change it on a context they share).
std::string tuneKey(const Context &context, const GemmDesc &desc,
                    const Call &call) {
  std::string key = "gemm:" + std::to_string(int(computeType(context))) +
                    (desc.addend && context.copyGemmAddends ? ":copy" : "");
  auto add = [&key](int64_t value) {
    key += ':';
    key += std::to_string(value);
  };
  for (int64_t value :
       {int64_t(desc.transA),
        int64_t(desc.transB),
        desc.M,
        desc.N,
        desc.K,
        desc.lda,
        desc.ldb,
        desc.ldc,
        call.batch,
        call.batch > 1 ? desc.strideA : 0,
        call.batch > 1 ? desc.strideB : 0,
        call.batch > 1 ? desc.strideC : 0,
        int64_t(desc.bias != nullptr),
        int64_t(desc.relu),
        int64_t(desc.workspaceLimit),
        int64_t(alignmentOf(call.A, desc.strideA, call.batch)),
        int64_t(alignmentOf(call.B, desc.strideB, call.batch)),
        int64_t(alignmentOf(call.C, desc.strideC, call.batch)),
        int64_t(desc.bias ? alignmentOf(desc.bias, 0, 1) : 0),
        int64_t(desc.addend != nullptr),
        desc.ldAddend,
        call.batch > 1 ? desc.strideAddend : 0,
        int64_t(call.addend
                    ? alignmentOf(call.addend, desc.strideAddend, call.batch)
                    : 0)})
    add(value);
  return key;
}

/// Asks the heuristic for its best `count` algorithms of `call`, with the
/// epilogue fused or not, best first; none when it has none.
Expected<std::vector<cublasLtMatmulHeuristicResult_t>>
heuristic(Context &context, const GemmDesc &desc, const Call &call,
          bool fuseEpilogue, int count, const std::string &what) {
  Problem problem;
  if (Status s = describe(desc, call, fuseEpilogue, computeType(context), problem,
                          what); !s)
    return s.error();
  Preference preference;
  if (Status s =
          check(cublasLtMatmulPreferenceCreate(&preference.handle), what);
      !s)
    return s.error();
  auto setPreference = [&](cublasLtMatmulPreferenceAttributes_t attribute,
                           const auto &value) {
    return check(cublasLtMatmulPreferenceSetAttribute(
                     preference.handle, attribute, &value, sizeof(value)),
                 what);
  };
  uint64_t workspace = desc.workspaceLimit;
  // cuBLASLt's A is our B and its B our A; its D is our C, and so is its C
  // unless there is an addend.
  uint32_t first = alignmentOf(call.B, desc.strideB, call.batch);
  uint32_t second = alignmentOf(call.A, desc.strideA, call.batch);
  uint32_t resultAlignment = alignmentOf(call.C, desc.strideC, call.batch);
  uint32_t inputAlignment =
      call.addend ? alignmentOf(call.addend, desc.strideAddend, call.batch)
                  : resultAlignment;
  for (Status s :
       {setPreference(CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, workspace),
        setPreference(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, first),
        setPreference(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, second),
        setPreference(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES,
                      inputAlignment),
        setPreference(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES,
                      resultAlignment)})
    if (!s)
      return s.error();
  std::vector<cublasLtMatmulHeuristicResult_t> results(
      static_cast<size_t>(count));
  int returned = 0;
  cublasStatus_t status = cublasLtMatmulAlgoGetHeuristic(
      context.blasLt, problem.operation.handle, problem.first.handle,
      problem.second.handle, problem.input(), problem.result.handle,
      preference.handle, count, results.data(), &returned);
  std::vector<cublasLtMatmulHeuristicResult_t> usable;
  // NOT_SUPPORTED: no algorithm for this configuration (say, the epilogue).
  // An addend whose layout differs from D's may be refused as invalid
  // instead; the caller then copies it into D.
  if (status == CUBLAS_STATUS_NOT_SUPPORTED ||
      (desc.addend && status == CUBLAS_STATUS_INVALID_VALUE))
    return usable;
  if (Status s = check(status, what); !s)
    return s.error();
  for (int i = 0; i < std::min(returned, count); ++i)
    if (results[size_t(i)].state == CUBLAS_STATUS_SUCCESS &&
        results[size_t(i)].workspaceSize <= desc.workspaceLimit)
      usable.push_back(results[size_t(i)]);
  return usable;
}

/// The index of the fastest of `candidates` for `call` on the device alone
/// (timeCalls), on the call's own operands: C is written, not read (beta =
/// 0, or an addend apart from it), and is never A or B, so the trials leave
/// the same result.
/// A candidate that fails to run drops out; the first wins if all do.
Expected<size_t>
fastestAlgorithm(Context &context, const GemmDesc &desc, const Call &call,
                 bool fuseEpilogue,
                 const std::vector<cublasLtMatmulHeuristicResult_t> &candidates,
                 void *workspace, const std::string &what) {
  Problem problem;
  if (Status s = describe(desc, call, fuseEpilogue, computeType(context),
                          problem, what);
      !s)
    return s.error();
  size_t largest = 0;
  for (const cublasLtMatmulHeuristicResult_t &c : candidates)
    largest = std::max(largest, c.workspaceSize);
  // A caller's workspace holds desc.workspaceLimit bytes, which bounds
  // every candidate's.
  if (!workspace && largest > 0) {
    Expected<void *> scratch = context.scratch(largest);
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  size_t best = 0;
  float fastest = -1.0f;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Expected<float> milliseconds = timeCalls(
        context,
        [&] {
          return check(matmul(context, desc, call, problem, candidates[i].algo,
                              workspace, candidates[i].workspaceSize),
                       what);
        },
        kTimedCalls, /*deviceAlone=*/true, what);
    if (!milliseconds) {
      cudaGetLastError(); // What a refused candidate left, if anything.
      continue;
    }
    if (fastest < 0 || *milliseconds < fastest) {
      fastest = *milliseconds;
      best = i;
    }
  }
  return best;
}

/// The tuned entry of `call`, choosing it first if need be: the
/// heuristic's first algorithm, or with Context::measureGemmAlgorithms the
/// fastest of its first kCandidates (where C is not read). `workspace` is
/// the caller's, or null. An addend that no algorithm reads apart from C
/// gets an entry whose workspace slot is kCopyAddend.
Expected<const std::vector<int64_t> *> tuned(Context &context,
                                             const GemmDesc &desc,
                                             const Call &call, void *workspace,
                                             const std::string &what) {
  std::string key = tuneKey(context, desc, call);
  auto found = context.tuned.find(key);
  if (found != context.tuned.end()) {
    if (found->second.size() != kEntrySize)
      return Error(what + ": the tuned entry " + key + " is malformed");
    return &found->second;
  }
  std::string shape = "M = " + std::to_string(desc.M) +
                      ", N = " + std::to_string(desc.N) +
                      ", K = " + std::to_string(desc.K) +
                      ", batch = " + std::to_string(call.batch);
  if (context.capturing)
    return Error(what + ": no algorithm was chosen for the GEMM (" + shape +
                 ") before the CUDA Graph capture (the eager run must "
                 "come first)");
  // The addend copied into C: where no algorithm reads it apart, or where
  // the tests ask for that way.
  auto copiedAddend = [&] {
    std::vector<int64_t> entry(kEntrySize, 0);
    entry[kWorkspaceSlot] = kCopyAddend;
    return &(context.tuned[key] = std::move(entry));
  };
  if (desc.addend && context.copyGemmAddends)
    return copiedAddend();
  bool hasEpilogue = desc.bias || desc.relu;
  const int count =
      context.measureGemmAlgorithms && desc.beta == 0.0f ? kCandidates : 1;
  // The fused epilogue first; cuBLASLt may offer no algorithm with it for
  // some shapes or alignments, and then the epilogue runs on its own.
  for (bool fuse : {true, false}) {
    if (!fuse && !hasEpilogue)
      break;
    Expected<std::vector<cublasLtMatmulHeuristicResult_t>> candidates =
        heuristic(context, desc, call, fuse, count, what);
    if (!candidates)
      return candidates.error();
    if (candidates->empty())
      continue;
    size_t best = 0;
    if (candidates->size() > 1) {
      Expected<size_t> fastest = fastestAlgorithm(context, desc, call, fuse,
                                                  *candidates, workspace, what);
      if (!fastest)
        return fastest.error();
      best = *fastest;
    }
    const cublasLtMatmulHeuristicResult_t &result = (*candidates)[best];
    std::vector<int64_t> entry(kEntrySize);
    std::memcpy(entry.data(), &result.algo, sizeof(result.algo));
    entry[kWorkspaceSlot] = static_cast<int64_t>(result.workspaceSize);
    entry[kSeparateEpilogueSlot] = hasEpilogue && !fuse;
    entry[kTimedSlot] =
        candidates->size() > 1 ? int64_t(candidates->size()) : 0;
    return &(context.tuned[key] = std::move(entry));
  }
  if (desc.addend)
    return copiedAddend();
  return Error(what + ": cuBLASLt has no algorithm for the GEMM (" + shape +
               ")");
}

/// Writes call.addend into call.C, every product's [M, N] block in one
/// launch: what cuBLASLt would have read, for an in-place product with
/// beta = 1.
Status copyAddend(Context &context, const GemmDesc &desc, const Call &call,
                  const char *kernel) {
  GemmDesc copy = desc;
  copy.bias = nullptr;
  copy.relu = false;
  return launchEpilogue(context, copy, call.batch, call.C, call.addend,
                        /*readC=*/false, 1.0f, kernel);
}

/// Makes `call` one product where its products share B and their rows of
/// A and of C interleave alike (row m of product b at m * batch + b, as
/// sequence-first images are): then they are the rows of a single product
/// of batch * M rows, which every GEMM library takes.
void flattenInterleaved(GemmDesc &desc, Call &call) {
  if (call.batch < 2 || desc.transA || desc.addend || desc.strideB != 0 ||
      desc.strideA < desc.K || desc.strideC < desc.N ||
      desc.lda != call.batch * desc.strideA ||
      desc.ldc != call.batch * desc.strideC)
    return;
  desc.M *= call.batch;
  desc.lda = desc.strideA;
  desc.ldc = desc.strideC;
  desc.batch = 1;
  call.batch = 1;
}

/// Enqueues one call of at most kMaxBatchPerCall products.
Status runCall(Context &context, const GemmDesc &desc, const Call &call,
               void *workspace, const char *kernel) {
  std::string what = std::string(kernel) + ": cuBLASLt GEMM";
  Expected<const std::vector<int64_t> *> entry =
      tuned(context, desc, call, workspace, what);
  if (!entry)
    return entry.error();
  const std::vector<int64_t> &words = **entry;
  if (words[kWorkspaceSlot] == kCopyAddend) {
    if (Status s = copyAddend(context, desc, call, kernel); !s)
      return s;
    GemmDesc inPlace = desc;
    inPlace.addend = nullptr;
    inPlace.beta = 1.0f;
    Call plain = call;
    plain.addend = nullptr;
    flattenInterleaved(inPlace, plain);
    return runCall(context, inPlace, plain, workspace, kernel);
  }
  bool separateEpilogue = words[kSeparateEpilogueSlot] != 0;
  auto workspaceBytes = static_cast<size_t>(words[kWorkspaceSlot]);
  if (workspaceBytes > 0 && !workspace) {
    Expected<void *> scratch = context.scratch(workspaceBytes);
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  if (!workspace)
    workspaceBytes = 0;

  Problem problem;
  if (Status s = describe(desc, call, !separateEpilogue, computeType(context),
                          problem, what); !s)
    return s;
  cublasLtMatmulAlgo_t algo;
  std::memcpy(&algo, words.data(), sizeof(algo));
  if (Status s = check(
          matmul(context, desc, call, problem, algo, workspace, workspaceBytes),
          what);
      !s)
    return s;
  if (separateEpilogue)
    return launchEpilogue(context, desc, call.batch, call.C,
                          /*addend=*/nullptr, /*readC=*/true, /*scale=*/1.0f,
                          kernel);
  return Status::ok();
}

/// Checks what cuBLASLt and the epilogue kernel would read and write.
Status checkDesc(const GemmDesc &desc, const char *kernel) {
  auto fail = [&](const std::string &what) {
    return kernelError(kernel, "GEMM " + what +
                                   " (M = " + std::to_string(desc.M) +
                                   ", N = " + std::to_string(desc.N) +
                                   ", K = " + std::to_string(desc.K) + ")");
  };
  if (desc.M < 0 || desc.N < 0 || desc.K < 0 || desc.batch < 0)
    return fail("sizes must not be negative");
  if (desc.strideA < 0 || desc.strideB < 0 || desc.strideC < 0 ||
      desc.strideAddend < 0)
    return fail("batch strides must not be negative");
  if (desc.addend && (desc.beta != 0.0f || desc.bias))
    return fail("with an addend takes neither beta nor a bias");
  if (desc.M == 0 || desc.N == 0 || desc.batch == 0)
    return Status::ok();
  int64_t rowA = desc.transA ? desc.M : desc.K;
  int64_t rowB = desc.transB ? desc.K : desc.N;
  if (desc.ldc < desc.N ||
      (desc.K > 0 && (desc.lda < std::max<int64_t>(rowA, 1) ||
                      desc.ldb < std::max<int64_t>(rowB, 1))))
    return fail("row strides are shorter than the rows");
  if (!desc.C)
    return fail("has no C");
  if (desc.addend && desc.ldAddend < desc.N)
    return fail("row stride of the addend is shorter than its rows");
  // The products' blocks of C follow one another, or their rows
  // interleave (product b's rows at b * strideC + m * ldc).
  const bool blocked = desc.strideC >= (desc.M - 1) * desc.ldc + desc.N;
  const bool interleaved = desc.strideC >= desc.N &&
                           desc.ldc >= (desc.batch - 1) * desc.strideC + desc.N;
  if (desc.batch > 1 && !blocked && !interleaved)
    return fail("batch stride of C makes the products overlap");
  return Status::ok();
}

} // namespace

Status gemm(Context &context, const GemmDesc &desc, const char *kernel,
            void *workspace) {
  if (Status s = checkDesc(desc, kernel); !s)
    return s;
  if (desc.M == 0 || desc.N == 0 || desc.batch == 0)
    return Status::ok();
  // No product to take: C = beta * C + bias (or the addend), never reading
  // A or B (and not C when beta = 0), as cpu::sgemm.
  if (desc.K == 0 || desc.alpha == 0.0f)
    return launchEpilogue(context, desc, desc.batch, desc.C, desc.addend,
                          /*readC=*/desc.beta != 0.0f, desc.beta, kernel);
  if (!desc.A || !desc.B)
    return kernelError(kernel, "GEMM operand A or B is missing");
  // Several calls share one workspace: asking the scratch for each could
  // move it under the calls already enqueued.
  if (desc.batch > kMaxBatchPerCall && !workspace) {
    Expected<void *> scratch = context.scratch(desc.workspaceLimit);
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  for (int64_t first = 0; first < desc.batch; first += kMaxBatchPerCall) {
    Call call;
    call.batch = std::min(kMaxBatchPerCall, desc.batch - first);
    call.A = desc.A + first * desc.strideA;
    call.B = desc.B + first * desc.strideB;
    call.C = desc.C + first * desc.strideC;
    call.addend =
        desc.addend ? desc.addend + first * desc.strideAddend : nullptr;
    if (Status s = runCall(context, desc, call, workspace, kernel); !s)
      return s;
  }
  return Status::ok();
}

} // namespace intr::cuda
