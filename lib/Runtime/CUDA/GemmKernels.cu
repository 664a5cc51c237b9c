//===- GemmKernels.cu - Linear, MatMul and Gemm through cuBLASLt ----------===//
//
// The CUDA kernels of intr.linear, onnx.MatMul and onnx.Gemm: the checks
// and semantics of the CPU kernels (CPU/NNKernels.cpp), each product one
// call of the Gemm.h helper. Bias and ReLU ride in cuBLASLt's epilogue, a
// MatMul's broadcast batch becomes strided batches where the operands'
// strides allow, and a Gemm's C is either that bias (a row vector with
// beta = 1) or copied into Y first and accumulated with beta.
//
//===----------------------------------------------------------------------===//

#include "CudaKernel.h"
#include "Gemm.h"

#include <algorithm>
#include <string>
#include <vector>

namespace intr::cuda {

namespace {

//===----------------------------------------------------------------------===//
// Operand checks (in the CPU kernels' words)
//===----------------------------------------------------------------------===//

/// Between minIn and maxIn operands and exactly one result.
Status checkArity(const char *kernel, const KernelCall &call, size_t minIn,
                  size_t maxIn) {
  if (call.inputs.size() < minIn || call.inputs.size() > maxIn)
    return kernelError(
        kernel, "expects " +
                    (minIn == maxIn ? std::to_string(minIn)
                                    : std::to_string(minIn) + " to " +
                                          std::to_string(maxIn)) +
                    " operands, got " + std::to_string(call.inputs.size()));
  if (call.outputs.size() != 1)
    return kernelError(kernel, "expects 1 results, got " +
                                   std::to_string(call.outputs.size()));
  return Status::ok();
}

/// Input `index` if it was given, else null (an omitted optional operand).
const TensorArg *optionalArg(const std::vector<TensorArg> &list, size_t index) {
  return index < list.size() && list[index].present() ? &list[index] : nullptr;
}

/// The tensor is there (or empty), has non-negative sizes and is f32.
Status checkTensor(const char *kernel, const TensorArg &tensor,
                   const char *name) {
  for (int64_t size : tensor.shape)
    if (size < 0)
      return kernelError(kernel, std::string(name) + " has a negative size " +
                                     formatShape(tensor.shape));
  if (!tensor.present() && tensor.numElements() != 0)
    return kernelError(kernel, std::string(name) + " is missing");
  if (tensor.dtype != DType::F32)
    return kernelError(kernel, std::string(name) + " must be f32, got " +
                                   dtypeName(tensor.dtype));
  return Status::ok();
}

/// The tensor is f32 with exactly the shape `expected`.
Status checkShape(const char *kernel, const TensorArg &tensor, const char *name,
                  const std::vector<int64_t> &expected) {
  if (Status s = checkTensor(kernel, tensor, name); !s)
    return s;
  if (tensor.shape != expected)
    return kernelError(kernel, std::string(name) + " must be " +
                                   formatShape(expected) + ", got " +
                                   formatShape(tensor.shape));
  return Status::ok();
}

/// The "activation" attribute: whether it is "relu".
Status parseActivation(const char *kernel, const AttrMap &attrs, bool &relu) {
  std::string name = attrs.getString("activation", "none");
  if (name != "none" && name != "relu")
    return kernelError(kernel, "activation must be \"none\" or \"relu\", got "
                               "\"" +
                                   name + "\"");
  relu = name == "relu";
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// intr.linear
//===----------------------------------------------------------------------===//

/// intr.linear: input [..., K], weight [N, K] (transpose_weight) or [K, N],
/// optional bias [N]; activation.
Status linear(const KernelCall &call) {
  const char *kernel = "intr.linear";
  if (Status s = checkArity(kernel, call, 2, 3); !s)
    return s;
  const TensorArg &input = call.inputs[0], &weight = call.inputs[1];
  const TensorArg *bias = optionalArg(call.inputs, 2);
  bool transposed = call.attrs.getInt("transpose_weight", 1) != 0;
  bool relu = false;
  if (Status s = parseActivation(kernel, call.attrs, relu); !s)
    return s;
  if (Status s = checkTensor(kernel, input, "input"); !s)
    return s;
  if (Status s = checkTensor(kernel, weight, "weight"); !s)
    return s;
  if (input.rank() < 1)
    return kernelError(kernel, "input must be [..., K], got a scalar");
  int64_t K = input.shape.back();
  int64_t N = weight.rank() == 2 ? weight.shape[transposed ? 0 : 1] : -1;
  std::vector<int64_t> expected =
      transposed ? std::vector<int64_t>{N, K} : std::vector<int64_t>{K, N};
  if (weight.rank() != 2 || weight.shape != expected)
    return kernelError(kernel, std::string("weight must be ") +
                                   (transposed ? "[N, K]" : "[K, N]") +
                                   " with K = " + std::to_string(K) + ", got " +
                                   formatShape(weight.shape));
  if (bias) {
    if (Status s = checkShape(kernel, *bias, "bias", {N}); !s)
      return s;
  }
  std::vector<int64_t> outShape = input.shape;
  outShape.back() = N;
  const TensorArg &output = call.outputs[0];
  if (Status s = checkShape(kernel, output, "output", outShape); !s)
    return s;

  // Every leading dimension of the input is a row of one product.
  GemmDesc desc;
  desc.transB = transposed;
  desc.M = elementCount({input.shape.begin(), input.shape.end() - 1});
  desc.N = N;
  desc.K = K;
  desc.A = input.as<const float>();
  desc.lda = K;
  desc.B = weight.as<const float>();
  desc.ldb = transposed ? K : N;
  desc.C = output.as<float>();
  desc.ldc = N;
  desc.bias = bias ? bias->as<const float>() : nullptr;
  desc.relu = relu;
  return gemm(call.context, desc, kernel);
}

//===----------------------------------------------------------------------===//
// onnx.MatMul
//===----------------------------------------------------------------------===//

/// The numpy broadcast of two batch shapes, or false when they do not
/// broadcast.
bool broadcastShapes(const std::vector<int64_t> &a,
                     const std::vector<int64_t> &b,
                     std::vector<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x != y && x != 1 && y != 1)
      return false;
    result[i] = x == 1 ? y : x;
  }
  return true;
}

/// For each dimension of `batch`, how many matrices an operand with batch
/// shape `own` (right-aligned, broadcast) advances by along it: 0 where it
/// broadcasts.
std::vector<int64_t> matrixStrides(const std::vector<int64_t> &own,
                                   const std::vector<int64_t> &batch) {
  size_t rank = batch.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < own.size(); ++i) {
    int64_t size = own[own.size() - 1 - i];
    strides[rank - 1 - i] = size == 1 ? 0 : stride;
    stride *= size;
  }
  return strides;
}

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
  if (Status s = checkArity(kernel, call, 2, 2); !s)
    return s;
  const TensorArg &A = call.inputs[0], &B = call.inputs[1];
  if (Status s = checkTensor(kernel, A, "A"); !s)
    return s;
  if (Status s = checkTensor(kernel, B, "B"); !s)
    return s;
  if (A.rank() < 1 || B.rank() < 1)
    return kernelError(kernel, "operands must have rank 1 or more, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  std::vector<int64_t> a = A.shape, b = B.shape;
  if (A.rank() == 1)
    a.insert(a.begin(), 1);
  if (B.rank() == 1)
    b.push_back(1);
  int64_t M = a[a.size() - 2], K = a.back(), N = b.back();
  if (b[b.size() - 2] != K)
    return kernelError(kernel, "contracted sizes differ: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  std::vector<int64_t> batchA(a.begin(), a.end() - 2);
  std::vector<int64_t> batchB(b.begin(), b.end() - 2), batch;
  if (!broadcastShapes(batchA, batchB, batch))
    return kernelError(kernel, "batch dimensions do not broadcast: A " +
                                   formatShape(A.shape) + ", B " +
                                   formatShape(B.shape));
  std::vector<int64_t> outShape = batch;
  if (A.rank() > 1)
    outShape.push_back(M);
  if (B.rank() > 1)
    outShape.push_back(N);
  const TensorArg &Y = call.outputs[0];
  if (Status s = checkShape(kernel, Y, "Y", outShape); !s)
    return s;
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
  std::vector<int64_t> stridesA = matrixStrides(batchA, batch);
  std::vector<int64_t> stridesB = matrixStrides(batchB, batch);
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

/// Whether `shape` broadcasts to `target` one way (numpy rules, `shape`
/// right-aligned, extra leading sizes of `shape` all 1).
bool broadcastsTo(const std::vector<int64_t> &shape,
                  const std::vector<int64_t> &target) {
  size_t extra =
      shape.size() > target.size() ? shape.size() - target.size() : 0;
  for (size_t i = 0; i < extra; ++i)
    if (shape[i] != 1)
      return false;
  for (size_t i = extra; i < shape.size(); ++i) {
    int64_t t = target[target.size() - (shape.size() - i)];
    if (shape[i] != 1 && shape[i] != t)
      return false;
  }
  return true;
}

/// Y[M, N] = C broadcast, C being [rowsC, colsC] with rowsC and colsC each
/// 1 or the full size.
__global__ void broadcastKernel(const float *C, int64_t rowsC, int64_t colsC,
                                float *Y, int64_t M, int64_t N) {
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
  if (Status s = checkArity(kernel, call, 2, 3); !s)
    return s;
  const TensorArg &A = call.inputs[0], &B = call.inputs[1];
  const TensorArg *C = optionalArg(call.inputs, 2);
  if (Status s = checkTensor(kernel, A, "A"); !s)
    return s;
  if (Status s = checkTensor(kernel, B, "B"); !s)
    return s;
  if (A.rank() != 2 || B.rank() != 2)
    return kernelError(kernel, "A and B must be 2-D, got " +
                                   formatShape(A.shape) + " and " +
                                   formatShape(B.shape));
  bool transA = call.attrs.getInt("transA", 0) != 0;
  bool transB = call.attrs.getInt("transB", 0) != 0;
  auto alpha = static_cast<float>(call.attrs.getFloat("alpha", 1.0));
  auto beta = static_cast<float>(call.attrs.getFloat("beta", 1.0));
  int64_t M = A.shape[transA ? 1 : 0], K = A.shape[transA ? 0 : 1];
  int64_t N = B.shape[transB ? 0 : 1];
  if (B.shape[transB ? 1 : 0] != K)
    return kernelError(kernel,
                       "contracted sizes differ: A " + formatShape(A.shape) +
                           ", B " + formatShape(B.shape) +
                           " (transA = " + std::to_string(transA) +
                           ", transB = " + std::to_string(transB) + ")");
  std::vector<int64_t> outShape = {M, N};
  if (C) {
    if (Status s = checkTensor(kernel, *C, "C"); !s)
      return s;
    if (!broadcastsTo(C->shape, outShape))
      return kernelError(kernel, "C " + formatShape(C->shape) +
                                     " does not broadcast to " +
                                     formatShape(outShape));
  }
  const TensorArg &Y = call.outputs[0];
  if (Status s = checkShape(kernel, Y, "Y", outShape); !s)
    return s;
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
      broadcastKernel<<<gridFor(M * N, call.context), 256, 0,
                        call.context.stream>>>(C->as<const float>(), rowsC,
                                               colsC, desc.C, M, N);
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
