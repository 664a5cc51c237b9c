//===- GemmKernelsGpuTest.cpp - CUDA linear, MatMul and Gemm kernels ------===//
//
// Each CUDA kernel of GemmKernels.cu runs next to its CPU twin on the same
// inputs: M, N and K on both sides of the tile sizes (1, 7, 33, 257), both
// weight layouts and every transpose, the bias and ReLU epilogues, the
// linear's positional bias (the GEMM's addend), MatMul's batch
// broadcasting (one big GEMM, strided batches, a loop of them), and Gemm's
// C in each of its broadcast forms. Malformed steps must be refused
// on the host with an Error.
//
//===----------------------------------------------------------------------===//

#include "GpuKernelCase.h"

#include "CUDA/CudaKernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

/// The sizes around the GEMM tiles.
const int64_t kSizes[] = {1, 7, 33, 257};

/// Expects the CUDA kernel to refuse the step with a message naming `what`.
/// fp32 sums of K products in another order than the CPU's: looser for
/// long ones.
double tolerance(int64_t K) { return K > 64 ? 1e-3 : 1e-4; }

std::string sizes(int64_t M, int64_t N, int64_t K) {
  return "M=" + std::to_string(M) + " N=" + std::to_string(N) +
         " K=" + std::to_string(K);
}

// Tests that the backend registers every kernel of GemmKernels.cu.
TEST(CudaGemmKernels, AllRegistered) {
  for (const char *name : {"intr.linear", "onnx.MatMul", "onnx.Gemm"})
    EXPECT_NE(cuda::KernelRegistry::cuda().find(name), nullptr) << name;
}

//===----------------------------------------------------------------------===//
// intr.linear
//===----------------------------------------------------------------------===//

/// intr.linear of an input `inputShape` ([..., K]) to N features.
KernelCase linearCase(const std::vector<int64_t> &inputShape, int64_t N,
                      bool transposed, bool bias, bool relu) {
  int64_t K = inputShape.back();
  std::vector<int64_t> outShape = inputShape;
  outShape.back() = N;
  KernelCase c("intr.linear");
  c.input(randomTensor(inputShape))
      .input(randomTensor(transposed ? std::vector<int64_t>{N, K}
                                     : std::vector<int64_t>{K, N}));
  if (bias)
    c.input(randomTensor({N}));
  c.output(DType::F32, outShape)
      .attr("transpose_weight", ints({transposed}))
      .attr("activation", str(relu ? "relu" : "none"))
      .tolerance(tolerance(K), tolerance(K));
  return c;
}

// Tests that every M, N and K in {1, 7, 33, 257}, with the weight in either
// layout, matches the CPU (the epilogue varying with the sizes).
TEST(CudaLinear, MatchesCpuForAwkwardSizes) {
  int index = 0;
  for (int64_t M : kSizes)
    for (int64_t N : kSizes)
      for (int64_t K : kSizes)
        for (bool transposed : {true, false}) {
          SCOPED_TRACE(sizes(M, N, K) +
                       " transposed=" + std::to_string(transposed));
          ++index;
          linearCase({M, K}, N, transposed, index % 2 == 0, index % 3 == 0)
              .check();
        }
}

// Tests that no bias, a bias, a ReLU and both match the CPU, over leading
// dimensions that flatten into the rows.
TEST(CudaLinear, EpilogueCombinations) {
  for (bool transposed : {true, false})
    for (bool bias : {false, true})
      for (bool relu : {false, true}) {
        SCOPED_TRACE("transposed=" + std::to_string(transposed) + " bias=" +
                     std::to_string(bias) + " relu=" + std::to_string(relu));
        linearCase({2, 3, 37}, 65, transposed, bias, relu).check();
        linearCase({3, 1, 2, 8}, 5, transposed, bias, relu).check();
        linearCase({11}, 3, transposed, bias, relu).check();
      }
}

// Tests the transformer's shapes: an encoder FFN (950 tokens, 256 -> 2048
// -> 256) and a batch of 3 through the class-token head.
TEST(CudaLinear, TransformerShapes) {
  linearCase({1, 950, 256}, 2048, true, true, true).check();
  linearCase({1, 950, 2048}, 256, true, true, false).check();
  linearCase({3, 100, 256}, 256, false, true, false).check();
  linearCase({3, 256}, 201, true, true, false).check();
}

/// A linear with a positional bias ([..., N] of the result's rank, varying
/// along one axis).
struct PositionalCase {
  std::vector<int64_t> inputShape, biasShape;
  bool relu;
};

/// The encoder's Q, K and V projection sequence first at batch 1 (one
/// product) and 2 (a strided batch whose rows interleave), batch first (a
/// strided batch of blocks), along an inner axis (a loop of batches), with
/// a ReLU, with K = 0 (the bias copied, through the ReLU), and with no rows.
std::vector<PositionalCase> positionalCases() {
  return {{{950, 1, 256}, {950, 1, 768}, false},
          {{950, 2, 256}, {950, 1, 768}, false},
          {{3, 33, 40}, {1, 33, 65}, true},
          {{2, 3, 4, 7}, {1, 3, 1, 5}, false},
          {{4, 3, 0}, {4, 1, 5}, true},
          {{4, 0, 6}, {4, 1, 5}, false}};
}

KernelCase positionalLinear(const PositionalCase &c) {
  const int64_t K = c.inputShape.back(), N = c.biasShape.back();
  std::vector<int64_t> outShape = c.inputShape;
  outShape.back() = N;
  KernelCase step("intr.linear");
  step.input(randomTensor(c.inputShape))
      .input(randomTensor({N, K}))
      .input(randomTensor(c.biasShape))
      .output(DType::F32, outShape)
      .attr("activation", str(c.relu ? "relu" : "none"))
      .tolerance(tolerance(K), tolerance(K));
  return step;
}

// Tests a positional bias, read as the GEMM's addend (cuBLASLt's C input,
// apart from the output) in each of positionalCases()' forms.
TEST(CudaLinear, PositionalBiasMatchesCpu) {
  for (const PositionalCase &c : positionalCases()) {
    SCOPED_TRACE(formatShape(c.inputShape) + " bias " +
                 formatShape(c.biasShape));
    positionalLinear(c).check();
  }
}

// Tests the way a positional bias runs where cuBLASLt offers no algorithm
// that reads it apart from the output: copied into the output, then an
// in-place product accumulating onto it, for the same shapes.
TEST(CudaLinear, PositionalBiasCopiedMatchesCpu) {
  cuda::Context *context = sharedContext();
  ASSERT_TRUE(context);
  ScopedSetting copied(context->copyGemmAddends, true);
  for (const PositionalCase &c : positionalCases()) {
    SCOPED_TRACE(formatShape(c.inputShape) + " bias " +
                 formatShape(c.biasShape));
    positionalLinear(c).check();
  }
}

// Tests that K = 0 gives the bias (through the ReLU) and M = 0 nothing.
TEST(CudaLinear, EmptyDimensions) {
  KernelCase("intr.linear")
      .input(Tensor(DType::F32, {4, 0}))
      .input(Tensor(DType::F32, {3, 0}))
      .input(randomTensor({3}))
      .output(DType::F32, {4, 3})
      .check();
  KernelCase("intr.linear")
      .input(Tensor(DType::F32, {2, 0}))
      .input(Tensor(DType::F32, {0, 5}))
      .input(randomTensor({5}))
      .output(DType::F32, {2, 5})
      .attr("transpose_weight", ints({0}))
      .attr("activation", str("relu"))
      .check();
  KernelCase empty("intr.linear");
  empty.input(Tensor(DType::F32, {0, 6}))
      .input(randomTensor({4, 6}))
      .output(DType::F32, {0, 4});
  Status status = empty.runOnGpu();
  EXPECT_TRUE(status.isOk()) << status.error().message();
}

// Tests that malformed linear steps are refused before any launch.
TEST(CudaLinear, RejectsMalformedSteps) {
  auto base = [] { return KernelCase("intr.linear"); };
  expectRefused(base().input(randomTensor({3, 4})).output(DType::F32, {3, 5}),
                "operands");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {3, 5})
                    .output(DType::F32, {3, 5}),
                "results");
  expectRefused(base()
                    .input(randomTensor({3, 4}, 0, 5, DType::I32))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {3, 5}),
                "f32");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {3, 5})
                    .attr("transpose_weight", ints({0})),
                "[K, N]");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 3}))
                    .output(DType::F32, {3, 5}),
                "weight");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 4}))
                    .input(randomTensor({4}))
                    .output(DType::F32, {3, 5}),
                "bias");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {3, 4}),
                "output");
  expectRefused(base()
                    .input(randomTensor({3, 4}))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {3, 5})
                    .attr("activation", str("gelu")),
                "gelu");
  expectRefused(base()
                    .input(Tensor(DType::F32, {}))
                    .input(randomTensor({5, 4}))
                    .output(DType::F32, {5}),
                "scalar");
}

//===----------------------------------------------------------------------===//
// onnx.MatMul
//===----------------------------------------------------------------------===//

KernelCase matMulCase(const std::vector<int64_t> &a,
                      const std::vector<int64_t> &b,
                      const std::vector<int64_t> &y) {
  int64_t K = a.back();
  KernelCase c("onnx.MatMul");
  c.input(randomTensor(a))
      .input(randomTensor(b))
      .output(DType::F32, y)
      .tolerance(tolerance(K), tolerance(K));
  return c;
}

// Tests that 2-D products of every M, N and K in {1, 7, 33, 257} match the
// CPU, and batched ones for a few.
TEST(CudaMatMul, MatchesCpuForAwkwardSizes) {
  for (int64_t M : kSizes)
    for (int64_t N : kSizes)
      for (int64_t K : kSizes) {
        SCOPED_TRACE(sizes(M, N, K));
        matMulCase({M, K}, {K, N}, {M, N}).check();
        if (M * N * K <= 33 * 33 * 257)
          matMulCase({3, M, K}, {3, K, N}, {3, M, N}).check();
      }
}

// Tests numpy's batch broadcasting: a shared B (one GEMM over all rows), a
// shared A (a strided batch repeating it), batch dimensions broadcast on
// both sides (a loop of strided batches), and 1-D operands.
TEST(CudaMatMul, BatchBroadcasting) {
  struct Case {
    std::vector<int64_t> a, b, y;
  } cases[] = {
      {{2, 3, 4}, {4, 5}, {2, 3, 5}},
      {{2, 3, 33, 257}, {257, 7}, {2, 3, 33, 7}},
      {{3, 4}, {2, 4, 5}, {2, 3, 5}},
      {{7, 33}, {3, 2, 33, 7}, {3, 2, 7, 7}},
      {{2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5}},
      {{2, 3, 5, 4}, {3, 4, 6}, {2, 3, 5, 6}},
      {{1, 3, 1, 5, 4}, {2, 1, 4, 4, 7}, {2, 3, 4, 5, 7}},
      {{4, 1, 7, 9}, {1, 3, 9, 33}, {4, 3, 7, 33}},
      {{8, 19, 16}, {8, 16, 19}, {8, 19, 19}},
      {{1, 7, 6}, {6, 9}, {1, 7, 9}},
      {{4}, {4, 5}, {5}},
      {{3, 4}, {4}, {3}},
      {{2, 3, 4}, {4}, {2, 3}},
      {{4}, {2, 4, 3}, {2, 3}},
      {{6}, {6}, {}},
      {{257}, {3, 257, 33}, {3, 33}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(formatShape(c.a) + " x " + formatShape(c.b));
    matMulCase(c.a, c.b, c.y).check();
  }
}

// Tests the attention products' shapes: scores QKᵀ and the weighted sum
// over 8 heads of 950 tokens.
TEST(CudaMatMul, AttentionShapes) {
  matMulCase({1, 8, 950, 32}, {1, 8, 32, 950}, {1, 8, 950, 950}).check();
  matMulCase({1, 8, 950, 950}, {1, 8, 950, 32}, {1, 8, 950, 32}).check();
}

// Tests that an empty Y runs as a no-op and that K = 0 gives zeros.
TEST(CudaMatMul, EmptyDimensions) {
  KernelCase empty("onnx.MatMul");
  empty.input(Tensor(DType::F32, {2, 0, 3}))
      .input(randomTensor({3, 4}))
      .output(DType::F32, {2, 0, 4});
  Status status = empty.runOnGpu();
  EXPECT_TRUE(status.isOk()) << status.error().message();
  KernelCase("onnx.MatMul")
      .input(Tensor(DType::F32, {2, 3, 0}))
      .input(Tensor(DType::F32, {2, 0, 4}))
      .output(DType::F32, {2, 3, 4})
      .check();
}

// Tests that malformed MatMul steps are refused before any launch.
TEST(CudaMatMul, RejectsMalformedSteps) {
  auto base = [] { return KernelCase("onnx.MatMul"); };
  expectRefused(base()
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({6, 5}))
                    .output(DType::F32, {2, 3, 5}),
                "contracted");
  expectRefused(base()
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({3, 4, 5}))
                    .output(DType::F32, {2, 3, 5}),
                "broadcast");
  expectRefused(base()
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({4, 5}))
                    .output(DType::F32, {3, 5}),
                "Y");
  expectRefused(base()
                    .input(Tensor(DType::F32, {}))
                    .input(randomTensor({4, 5}))
                    .output(DType::F32, {5}),
                "rank");
  expectRefused(
      base().input(randomTensor({2, 3, 4})).output(DType::F32, {2, 3, 5}),
      "operands");
  expectRefused(base()
                    .input(randomTensor({2, 3, 4}))
                    .input(randomTensor({4, 5}, 0, 3, DType::I64))
                    .output(DType::F32, {2, 3, 5}),
                "f32");
}

//===----------------------------------------------------------------------===//
// onnx.Gemm
//===----------------------------------------------------------------------===//

/// onnx.Gemm of op(A) [M, K] and op(B) [K, N], with C of shape `shapeC`
/// when `hasC`.
KernelCase gemmCase(int64_t M, int64_t N, int64_t K, bool transA, bool transB,
                    float alpha, float beta, bool hasC,
                    const std::vector<int64_t> &shapeC) {
  KernelCase c("onnx.Gemm");
  c.input(randomTensor(transA ? std::vector<int64_t>{K, M}
                              : std::vector<int64_t>{M, K}))
      .input(randomTensor(transB ? std::vector<int64_t>{N, K}
                                 : std::vector<int64_t>{K, N}));
  if (hasC)
    c.input(randomTensor(shapeC));
  c.output(DType::F32, {M, N})
      .attr("transA", ints({transA}))
      .attr("transB", ints({transB}))
      .attr("alpha", real(alpha))
      .attr("beta", real(beta))
      .tolerance(tolerance(K), tolerance(K));
  return c;
}

// Tests that every M, N and K in {1, 7, 33, 257} with every transpose of A
// and B matches the CPU, with a bias-like C.
TEST(CudaGemm, MatchesCpuForAwkwardSizes) {
  for (int64_t M : kSizes)
    for (int64_t N : kSizes)
      for (int64_t K : kSizes)
        for (bool transA : {false, true})
          for (bool transB : {false, true}) {
            SCOPED_TRACE(sizes(M, N, K) + " transA=" + std::to_string(transA) +
                         " transB=" + std::to_string(transB));
            gemmCase(M, N, K, transA, transB, 1.0f, 1.0f, true, {N}).check();
          }
}

// Tests alpha, beta and each form of C: a row (cuBLASLt's bias epilogue
// when beta = 1, a broadcast copy otherwise), a column, a full matrix, a
// scalar, leading ones, none, one ignored for beta = 0, and alpha = 0.
TEST(CudaGemm, AlphaBetaAndC) {
  struct Case {
    int64_t M, N, K;
    bool transA, transB;
    float alpha, beta;
    bool hasC;
    std::vector<int64_t> c;
  } cases[] = {
      {5, 7, 3, false, false, 1.0f, 1.0f, true, {7}},
      {5, 7, 3, false, false, 1.0f, 1.0f, true, {1, 7}},
      {6, 4, 9, true, false, 0.5f, 2.0f, true, {6, 1}},
      {3, 8, 5, false, true, 1.0f, 1.0f, true, {3, 8}},
      {7, 5, 6, true, true, -1.5f, 0.25f, true, {}},
      {7, 5, 6, false, true, 1.0f, 0.5f, true, {5}},
      {4, 6, 5, false, false, 2.0f, 1.0f, true, {1, 1, 6}},
      {4, 4, 4, false, true, 1.0f, 1.0f, false, {}},
      {33, 65, 130, true, true, 1.0f, 0.0f, true, {65}},
      {9, 10, 11, false, false, 0.0f, 3.0f, true, {9, 10}},
      {9, 10, 11, false, false, 0.0f, 1.0f, true, {10}},
      {1, 1, 257, true, false, 1.0f, 1.0f, true, {1}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(sizes(c.M, c.N, c.K) + " alpha=" + std::to_string(c.alpha) +
                 " beta=" + std::to_string(c.beta) +
                 " C=" + (c.hasC ? formatShape(c.c) : std::string("none")));
    gemmCase(c.M, c.N, c.K, c.transA, c.transB, c.alpha, c.beta, c.hasC, c.c)
        .check();
  }
}

// Tests that an omitted C given as a null operand and an empty K match.
TEST(CudaGemm, OmittedCAndEmptyK) {
  KernelCase("onnx.Gemm")
      .input(randomTensor({3, 4}))
      .input(randomTensor({4, 5}))
      .noInput()
      .output(DType::F32, {3, 5})
      .check();
  KernelCase("onnx.Gemm")
      .input(Tensor(DType::F32, {3, 0}))
      .input(Tensor(DType::F32, {0, 5}))
      .input(randomTensor({3, 5}))
      .output(DType::F32, {3, 5})
      .attr("beta", real(0.5))
      .check();
}

// Tests that malformed Gemm steps are refused before any launch.
TEST(CudaGemm, RejectsMalformedSteps) {
  auto base = [] {
    KernelCase c("onnx.Gemm");
    c.input(randomTensor({3, 4}));
    return c;
  };
  expectRefused(base()
                    .input(randomTensor({4, 5}))
                    .input(randomTensor({3}))
                    .output(DType::F32, {3, 5}),
                "broadcast");
  expectRefused(base()
                    .input(randomTensor({4, 5}))
                    .output(DType::F32, {3, 5})
                    .attr("transB", ints({1})),
                "contracted");
  expectRefused(KernelCase("onnx.Gemm")
                    .input(randomTensor({1, 3, 4}))
                    .input(randomTensor({4, 5}))
                    .output(DType::F32, {3, 5}),
                "2-D");
  expectRefused(base().input(randomTensor({4, 5})).output(DType::F32, {5, 3}),
                "Y");
  expectRefused(base()
                    .input(randomTensor({4, 5}, 0, 3, DType::I32))
                    .output(DType::F32, {3, 5}),
                "f32");
  expectRefused(base().output(DType::F32, {3, 5}), "operands");
  expectRefused(base()
                    .input(randomTensor({4, 5}))
                    .input(randomTensor({5}))
                    .input(randomTensor({5}))
                    .output(DType::F32, {3, 5}),
                "operands");
}

//===----------------------------------------------------------------------===//
// Timed algorithms
//===----------------------------------------------------------------------===//

// Tests GEMMs whose algorithm the first run picks by timing the
// heuristic's first eight on the device (Context::measureGemmAlgorithms):
// the encoder's feed-forward layers at batch 1 (one token more, so that no
// earlier test has tuned these problems already) and 8, strided batches,
// and Gemm's C read with beta, which must not be timed (each trial would
// add C again): every result as the CPU's. The tuned entries (whose last
// word counts the candidates timed) show that some were timed.
TEST(CudaGemmTuning, TimedAlgorithmsMatchCpu) {
  cuda::Context *context = sharedContext();
  ASSERT_NE(context, nullptr);
  ScopedSetting tuning(context->measureGemmAlgorithms, true);
  auto timedProblems = [&] {
    size_t count = 0;
    for (const auto &[key, entry] : context->tuned)
      count += key.rfind("gemm:", 0) == 0 && !entry.empty() && entry.back() > 1;
    return count;
  };
  const size_t before = timedProblems();
  linearCase({1, 951, 256}, 2048, true, true, true).check();
  linearCase({1, 951, 2048}, 256, true, true, false).check();
  linearCase({8, 950, 256}, 257, true, false, true).check();
  matMulCase({3, 8, 201, 32}, {3, 8, 32, 951}, {3, 8, 201, 951}).check();
  gemmCase(34, 66, 131, false, true, 1.0f, 2.0f, true, {34, 66}).check();
  gemmCase(34, 66, 131, true, false, 0.5f, 1.0f, true, {66}).check();
  // The heuristic offers more than one algorithm for these shapes.
  EXPECT_GT(timedProblems(), before);
}

} // namespace
