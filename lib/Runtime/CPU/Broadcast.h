//===- Broadcast.h - Numpy broadcasting for the kernels ---------*- C++ -*-===//
//
// One iterator for every kernel that broadcasts (Add, Where, Expand, ...):
// it walks the output in runs of contiguous elements and hands the kernel
// each operand's offset and step (0 where the operand is broadcast) so that
// the innermost loop is a plain, vectorizable one. Also the operand checks
// of the elementwise ops that broadcast, which the CUDA kernels share.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_BROADCAST_H
#define INTR_LIB_RUNTIME_CPU_BROADCAST_H

#include "ElementwiseSupport.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace intr::cpu {

/// The numpy broadcast of two shapes; false when they are incompatible.
inline bool broadcastShapes(const std::vector<int64_t> &a,
                            const std::vector<int64_t> &b,
                            std::vector<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return false;
    result[rank - 1 - i] = da == 1 ? db : da;
  }
  return true;
}

/// Whether `shape` broadcasts to exactly `target` (unidirectionally).
inline bool broadcastsTo(const std::vector<int64_t> &shape,
                         const std::vector<int64_t> &target) {
  if (shape.size() > target.size())
    return false;
  size_t offset = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && shape[i] != target[offset + i])
      return false;
  return true;
}

/// Checks that the broadcast of all `shapes` is exactly `outShape`.
inline Status checkBroadcast(const char *name,
                             const std::vector<const TensorArg *> &operands,
                             const TensorArg &out) {
  std::vector<int64_t> shape;
  for (const TensorArg *operand : operands) {
    std::vector<int64_t> next;
    if (!broadcastShapes(shape, operand->shape, next))
      return kernelError(name, "shapes " + formatShape(shape) + " and " +
                                   formatShape(operand->shape) +
                                   " do not broadcast");
    shape = std::move(next);
  }
  return expectShape(name, "the result", out, shape);
}

/// Checks what every binary op needs: two operands, one result, shapes
/// that broadcast to the result's.
inline Status checkBinary(const char *name, const KernelArgs &args) {
  if (Status s = checkOperands(name, args, 2, 2, 1, 1); !s)
    return s;
  return checkBroadcast(name, {&args.inputs[0], &args.inputs[1]},
                        args.outputs[0]);
}

/// Checks a binary op whose operands A and B have one element type, and so
/// does the result, or it is bool where `boolResult` (Add, Sub, Mul, Div;
/// Equal, Less, Greater, And, Or).
inline Status checkBinaryOfOneType(const char *name, const KernelArgs &args,
                                   bool boolResult) {
  if (Status s = checkBinary(name, args); !s)
    return s;
  DType dtype = args.inputs[0].dtype;
  if (Status s = expectDType(name, "B", args.inputs[1], dtype); !s)
    return s;
  return expectDType(name, "the result", args.outputs[0],
                     boolResult ? DType::Bool : dtype);
}

/// Checks Pow: the result has the base's element type; the exponent may
/// have another.
inline Status checkPow(const KernelArgs &args) {
  const char *name = "onnx.Pow";
  if (Status s = checkBinary(name, args); !s)
    return s;
  return expectDType(name, "the result", args.outputs[0], args.inputs[0].dtype);
}

/// Checks Where: a bool condition, X and Y of one type, the result of
/// theirs, and shapes that broadcast to the result's.
inline Status checkWhere(const KernelArgs &args) {
  const char *name = "onnx.Where";
  if (Status s = checkOperands(name, args, 3, 3, 1, 1); !s)
    return s;
  const TensorArg &cond = args.inputs[0], &x = args.inputs[1],
                  &y = args.inputs[2], &out = args.outputs[0];
  if (Status s = expectDType(name, "condition", cond, DType::Bool); !s)
    return s;
  if (Status s = expectDType(name, "Y", y, x.dtype); !s)
    return s;
  if (Status s = expectDType(name, "the result", out, x.dtype); !s)
    return s;
  return checkBroadcast(name, {&cond, &x, &y}, out);
}

/// A broadcast as loops walk it: the result's sizes with size-1 dimensions
/// dropped and neighbours that every operand walks alike merged (so that
/// the inner runs get as long as possible), and each of the N operands'
/// strides per dimension, 0 where it is broadcast.
template <size_t N> struct BroadcastLoops {
  std::vector<int64_t> sizes;
  std::vector<std::array<int64_t, N>> strides;
};

/// The loops of `inShapes` broadcast to `outShape`; every shape in
/// `inShapes` must broadcast to `outShape`.
template <size_t N>
BroadcastLoops<N>
broadcastLoops(const std::vector<int64_t> &outShape,
               const std::array<const std::vector<int64_t> *, N> &inShapes) {
  using Offsets = std::array<int64_t, N>;
  // Per-output-dimension strides of each operand, 0 where it broadcasts.
  size_t rank = outShape.size();
  std::vector<Offsets> strides(rank);
  for (size_t k = 0; k < N; ++k) {
    const std::vector<int64_t> &shape = *inShapes[k];
    int64_t stride = 1;
    for (size_t i = 0; i < rank; ++i) {
      size_t d = rank - 1 - i;
      bool has = i < shape.size();
      int64_t size = has ? shape[shape.size() - 1 - i] : 1;
      strides[d][k] = size == 1 ? 0 : stride;
      stride *= size;
    }
  }
  // Drop size-1 dimensions and merge neighbours that every operand walks
  // the same way.
  BroadcastLoops<N> loops;
  std::vector<int64_t> &sizes = loops.sizes;
  std::vector<Offsets> &dimStrides = loops.strides;
  for (size_t d = 0; d < rank; ++d) {
    if (outShape[d] == 1)
      continue;
    if (!sizes.empty()) {
      bool mergeable = true;
      for (size_t k = 0; k < N; ++k)
        mergeable &= dimStrides.back()[k] == strides[d][k] * outShape[d];
      if (mergeable) {
        sizes.back() *= outShape[d];
        dimStrides.back() = strides[d];
        continue;
      }
    }
    sizes.push_back(outShape[d]);
    dimStrides.push_back(strides[d]);
  }
  return loops;
}

/// Calls fn(outOffset, inOffsets, count, inSteps) for runs of `count`
/// contiguous output elements; operand k's element j of the run is at
/// inOffsets[k] + j * inSteps[k] (steps are 0 or 1). Every shape in
/// `inShapes` must broadcast to `outShape`. Runs go to up to `threads`
/// threads, so fn must only write its own run; a long row is split into
/// several runs where there are too few rows to share.
template <size_t N, typename Fn>
void forEachBroadcastRun(
    const std::vector<int64_t> &outShape,
    const std::array<const std::vector<int64_t> *, N> &inShapes,
    [[maybe_unused]] int threads, Fn fn) {
  using Offsets = std::array<int64_t, N>;
  int64_t total = elementCount(outShape);
  if (total == 0)
    return;
  BroadcastLoops<N> loops = broadcastLoops<N>(outShape, inShapes);
  const std::vector<int64_t> &sizes = loops.sizes;
  const std::vector<Offsets> &dimStrides = loops.strides;
  if (sizes.empty()) {
    fn(int64_t(0), Offsets{}, int64_t(1), Offsets{});
    return;
  }
  int64_t inner = sizes.back();
  Offsets innerSteps = dimStrides.back();
  int64_t rows = total / inner;
  int64_t outer = static_cast<int64_t>(sizes.size()) - 1;
  // Operands of one shape, or a scalar and a tensor, merge into one row:
  // cut rows into pieces of at least kParallelGrain / 4 elements where
  // that gives each thread a few.
  int64_t piece = inner;
  if (total >= kParallelGrain && rows < 4 * int64_t(threads))
    piece =
        std::min(inner, std::max(kParallelGrain / 4,
                                 (total + 4 * threads - 1) / (4 * threads)));
  int64_t pieces = (inner + piece - 1) / piece;
#pragma omp parallel for num_threads(threads) if (total >= kParallelGrain)
  for (int64_t item = 0; item < rows * pieces; ++item) {
    int64_t row = item / pieces, start = item % pieces * piece;
    Offsets offsets{};
    int64_t rest = row;
    for (int64_t d = outer - 1; d >= 0; --d) {
      int64_t index = rest % sizes[d];
      rest /= sizes[d];
      for (size_t k = 0; k < N; ++k)
        offsets[k] += index * dimStrides[d][k];
    }
    for (size_t k = 0; k < N; ++k)
      offsets[k] += start * innerSteps[k];
    fn(row * inner + start, offsets, std::min(piece, inner - start),
       innerSteps);
  }
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_BROADCAST_H
