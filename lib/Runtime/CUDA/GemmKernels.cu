//===- GemmKernels.cu - Linear, MatMul and Gemm through cuBLASLt ----------===//
//
// The CUDA kernels of intr.linear, onnx.MatMul and onnx.Gemm: the checks
// and semantics of the CPU kernels (CPU/NNKernels.cpp), each product one
// call of the Gemm.h helper (or a few). Bias and ReLU ride in cuBLASLt's
// epilogue, a linear's positional bias is the GEMM's addend (read with a
// batch stride of 0), a MatMul's broadcast batch becomes strided batches
// where the operands' strides allow, and a Gemm's C is either a bias (a
// row vector with beta = 1) or copied into Y first and accumulated with
// beta.
//
//===----------------------------------------------------------------------===//

#include "../CPU/NNSupport.h"
#include "CudaKernel.h"
#include "Gemm.h"
#include "Launch.cuh"

#include <vector>

namespace intr::cuda {

namespace {

namespace nn = cpu::nn;

//===----------------------------------------------------------------------===//
// intr.linear
//===----------------------------------------------------------------------===//

/// intr.linear: input [..., K], weight [N, K] (transpose_weight) or [K, N],
/// optional bias [N] or positional; activation.
Status linear(const KernelCall &call) {
  const char *kernel = "intr.linear";
  Expected<nn::LinearShape> l = nn::checkLinear(kernel, call.cpuArgs());
  if (!l)
    return l.error();
  const TensorArg &input = call.inputs[0], &weight = call.inputs[1];
  const TensorArg &output = call.outputs[0];
  const TensorArg *bias = l->bias;
  bool transposed = l->transposed;
  int64_t N = l->N, K = l->K;

  // Every leading dimension of the input is a row of one product.
  GemmDesc desc;
  desc.transB = transposed;
  desc.M = l->M;
  desc.N = N;
  desc.K = K;
  desc.A = input.as<const float>();
  desc.lda = K;
  desc.B = weight.as<const float>();
  desc.ldb = transposed ? K : N;
  desc.C = output.as<float>();
  desc.ldc = N;
  desc.relu = l->relu;
  if (!bias || l->biasRows == 1) {
    desc.bias = bias ? bias->as<const float>() : nullptr;
    return gemm(call.context, desc, kernel);
  }
  // A positional bias [length, N]: the rows are [outer, length, inner], and
  // row (o, s, i) adds bias row s. Each product takes the `length` rows of
  // one (o, i), with the bias as its addend: one strided batch over o when
  // inner = 1 (batch first), else one over i for each o (sequence first:
  // the images' rows interleave).
  const int64_t length = l->biasRows, inner = l->rowsPerBiasRow;
  if (l->M == 0 || N == 0)
    return Status::ok();
  const int64_t outer = l->M / (length * inner);
  desc.M = length;
  desc.addend = bias->as<const float>();
  desc.ldAddend = N;
  desc.strideAddend = 0;
  if (inner == 1) {
    desc.batch = outer;
    desc.strideA = length * K;
    desc.strideC = length * N;
    return gemm(call.context, desc, kernel);
  }
  desc.lda = inner * K;
  desc.ldc = inner * N;
  desc.batch = inner;
  desc.strideA = K;
  desc.strideC = N;
  const float *A = desc.A;
  float *C = desc.C;
  for (int64_t o = 0; o < outer; ++o) {
    desc.A = A + o * length * inner * K;
    desc.C = C + o * length * inner * N;
    if (Status s = gemm(call.context, desc, kernel); !s)
      return s;
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// onnx.MatMul
//===----------------------------------------------------------------------===//

/// Whether batch dimensions [first, rank) index an operand with `strides`
/// as one flat index times a constant stride (dimensions of size 1 aside),
/// and that stride.
bool collapses(const std::vector<int64_t> &batch,
               const std::vector<int64_t> &strides, size_t first,
               int64_t &flatStride) {
  flatStride = 0;
  int64_t expected = -1; // The stride the next outer dimension must have.
  for (size_t d = batch.size(); d-- > first;) {
    if (batch[d] == 1)
      continue;
    if (expected < 0)
      flatStride = strides[d];
    else if (strides[d] != expected)
      return false;
    expected = strides[d] * batch[d];
  }
  return true;
}

/// onnx.MatMul: numpy.matmul of A and B, batch dimensions broadcast, a 1-D
/// A a row vector and a 1-D B a column vector whose dimension is dropped.
Status onnxMatMul(const KernelCall &call) {
  const char *kernel = "onnx.MatMul";
  Expected<nn::MatMulShape> m = nn::checkMatMul(kernel, call.cpuArgs());
  if (!m)
    return m.error();
  const TensorArg &A = call.inputs[0], &B = call.inputs[1];
  const TensorArg &Y = call.outputs[0];
  int64_t M = m->M, N = m->N, K = m->K;
  const std::vector<int64_t> &batchA = m->batchA, &batchB = m->batchB;
  const std::vector<int64_t> &batch = m->batch;
  // An empty Y's batch count need not be bounded by any buffer.
  if (Y.numElements() == 0)
    return Status::ok();

  const float *pa = A.as<const float>(), *pb = B.as<const float>();
  float *py = Y.as<float>();
  int64_t batches = elementCount(batch);
  GemmDesc desc;
  desc.M = M;
  desc.N = N;
  desc.K = K;
  desc.lda = K;
  desc.ldb = N;
  desc.ldc = N;
  // A single B for every batch: one GEMM over all the rows of A.
  if (elementCount(batchB) == 1 && elementCount(batchA) == batches) {
    desc.M = batches * M;
    desc.A = pa;
    desc.B = pb;
    desc.C = py;
    return gemm(call.context, desc, kernel);
  }

  // Otherwise the batch splits into an outer loop over its leading
  // dimensions and a strided batch over the trailing ones: the most
  // trailing dimensions along which both operands advance by one stride.
  std::vector<int64_t> stridesA = nn::matrixStrides(batchA, batch);
  std::vector<int64_t> stridesB = nn::matrixStrides(batchB, batch);
  size_t split = 0;
  int64_t flatA = 0, flatB = 0;
  while (!collapses(batch, stridesA, split, flatA) ||
         !collapses(batch, stridesB, split, flatB))
    ++split; // Ends at batch.size() at the latest: nothing to collapse.
  int64_t inner = elementCount({batch.begin() + split, batch.end()});
  int64_t outer = batches / inner;
  desc.batch = inner;
  desc.strideA = flatA * M * K;
  desc.strideB = flatB * K * N;
  desc.strideC = M * N;

  // The calls of the loop share one workspace.
  void *workspace = nullptr;
  if (outer > 1) {
    Expected<void *> scratch = call.context.scratch(desc.workspaceLimit);
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  std::vector<int64_t> index(split, 0);
  for (int64_t o = 0; o < outer; ++o) {
    int64_t offsetA = 0, offsetB = 0;
    for (size_t d = 0; d < split; ++d) {
      offsetA += index[d] * stridesA[d];
      offsetB += index[d] * stridesB[d];
    }
    desc.A = pa + offsetA * M * K;
    desc.B = pb + offsetB * K * N;
    desc.C = py + o * inner * M * N;
    if (Status s = gemm(call.context, desc, kernel, workspace); !s)
      return s;
    // The next outer index, row-major.
    for (size_t d = split; d-- > 0;) {
      if (++index[d] < batch[d])
        break;
      index[d] = 0;
    }
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// onnx.Gemm
//===----------------------------------------------------------------------===//

/// Y[M, N] = C broadcast, C being [rowsC, colsC] with rowsC and colsC each
/// 1 or the full size.
__global__ void broadcastKernel(const float *C, int64_t rowsC, int64_t colsC,
                                float *Y, int64_t M, int64_t N) {
  awaitPredecessors();
  int64_t total = M * N;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t row = i / N, col = i % N;
    Y[i] = C[(rowsC == 1 ? 0 : row) * colsC + (colsC == 1 ? 0 : col)];
  }
}

/// onnx.Gemm: Y = alpha * op(A) * op(B) + beta * C; A and B 2-D, C optional
/// and broadcast to [M, N]; alpha, beta, transA, transB.
Status onnxGemm(const KernelCall &call) {
  const char *kernel = "onnx.Gemm";
  Expected<nn::GemmShape> g = nn::checkGemm(kernel, call.cpuArgs());
  if (!g)
    return g.error();
  const TensorArg &A = call.inputs[0], &B = call.inputs[1];
  const TensorArg *C = g->C;
  const TensorArg &Y = call.outputs[0];
  bool transA = g->transA, transB = g->transB;
  float alpha = g->alpha, beta = g->beta;
  int64_t M = g->M, N = g->N, K = g->K;
  if (Y.numElements() == 0)
    return Status::ok();

  GemmDesc desc;
  desc.transA = transA;
  desc.transB = transB;
  desc.M = M;
  desc.N = N;
  desc.K = K;
  desc.A = A.as<const float>();
  desc.lda = A.shape[1];
  desc.B = B.as<const float>();
  desc.ldb = B.shape[1];
  desc.C = Y.as<float>();
  desc.ldc = N;
  desc.alpha = alpha;
  desc.beta = 0.0f;
  if (C && beta != 0.0f) {
    // C's last two dimensions (its leading ones are all 1).
    int64_t colsC = C->rank() >= 1 ? C->shape[C->rank() - 1] : 1;
    int64_t rowsC = C->rank() >= 2 ? C->shape[C->rank() - 2] : 1;
    if (rowsC == 1 && colsC == N && beta == 1.0f) {
      // One value per column: cuBLASLt's bias epilogue, no copy.
      desc.bias = C->as<const float>();
    } else {
      launch(call.context, broadcastKernel, gridFor(M * N, call.context), 256,
             0, C->as<const float>(), rowsC, colsC, desc.C, M, N);
      if (Status s = checkLaunch(kernel); !s)
        return s;
      desc.beta = beta;
    }
  }
  return gemm(call.context, desc, kernel);
}

} // namespace

void registerGemmKernels(KernelRegistry &registry) {
  registry.add("intr.linear", linear);
  registry.add("onnx.MatMul", onnxMatMul);
  registry.add("onnx.Gemm", onnxGemm);
}

} // namespace intr::cuda
