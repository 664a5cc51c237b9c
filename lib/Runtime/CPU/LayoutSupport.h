//===- LayoutSupport.h - Checks shared by the layout kernels ----*- C++ -*-===//
//
// The host-side half of the ONNX layout kernels, shared by the CPU kernels
// (LayoutKernels.cpp) and their CUDA twins: operand counts, element types,
// attributes, and the result's shape and memory walk computed from them.
// The CUDA kernels never read integer operands on the host, so a check that
// needs their values takes a reader, or only checks their type and rank.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_LAYOUTSUPPORT_H
#define INTR_LIB_RUNTIME_CPU_LAYOUTSUPPORT_H

#include "Kernel.h"
#include "ResizeSampling.h"

#include <cstdint>
#include <vector>

namespace intr::cpu::layout {

//===----------------------------------------------------------------------===//
// Common checks
//===----------------------------------------------------------------------===//

/// Checks a view: one element type and one element count.
Status checkView(const char *name, const TensorArg &in, const TensorArg &out);

/// Checks that the result is `dtype` with exactly `shape`.
Status checkResult(const char *name, const TensorArg &out, DType dtype,
                   const std::vector<int64_t> &shape);

/// A copy along `axis` as rows: `outer` rows (the sizes before the axis),
/// `inner` bytes per index of the axis (the sizes after it).
struct AxisRows {
  int64_t axis;
  int64_t outer;
  int64_t inner;
};

//===----------------------------------------------------------------------===//
// Per-op checks
//===----------------------------------------------------------------------===//

/// Flatten: the result is the input as rows x cols around "axis".
Status checkFlatten(const KernelArgs &args);

/// Shape: the entries [start, end) of the input's shape that it returns.
struct ShapeRange {
  int64_t start;
  int64_t end;
};
Expected<ShapeRange> checkShapeOp(const KernelArgs &args);

/// ConstantOfShape's "value" attribute as one element of `dtype`, in the
/// low bytes.
Expected<uint64_t> constantOfShapeValue(const char *name, const AttrMap &attrs,
                                        DType dtype);

/// Range: three scalars of the result's type and a 1-D result.
Status checkRange(const KernelArgs &args);

/// An output of `sizes` that reads the input at sum(i_d * strides[d]) (in
/// elements).
struct StridedView {
  std::vector<int64_t> sizes;
  std::vector<int64_t> strides;
};
Expected<StridedView> checkTranspose(const KernelArgs &args);

/// The same walk with the axes of size 1 dropped and the axes that walk
/// memory as one merged, so that inner runs are long (a transpose that
/// keeps the last axis copies whole rows).
StridedView mergeAxes(const std::vector<int64_t> &sizes,
                      const std::vector<int64_t> &strides);

/// The input's strides aligned to the last axes of a result of `outRank`
/// axes, 0 where the input broadcasts (Expand).
std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &inShape,
                                      int64_t outRank);

/// Pad's modes, in the order of their spellings in LayoutSupport.cpp.
enum class PadMode : int { Constant, Reflect, Edge, Wrap };

/// Pad's "mode" attribute.
Expected<PadMode> padModeOf(const char *name, const AttrMap &attrs);

/// Pad's optional constant_value: one element of the input's type.
Status checkPadValue(const char *name, const TensorArg *value, DType dtype);

/// Only the constant mode pads an axis of size 0 (the others read it).
Status checkPadEmptyAxes(const char *name, const TensorArg &in, PadMode mode);

/// Concat: the operands alike but along the axis, the result their sum.
/// Each of the result's `outer` rows, `rowBytes` long, is the operands'
/// rows side by side: piece p, a row of `width` bytes of `src` per result
/// row, at `offset` bytes into it (an operand empty along the axis has
/// none). Both backends copy these pieces, so the CPU's tests check the
/// byte arithmetic the GPU runs too.
struct ConcatLayout {
  struct Piece {
    const void *src;
    int64_t offset, width;
  };
  int64_t outer, rowBytes;
  std::vector<Piece> pieces;
};
Expected<ConcatLayout> checkConcat(const KernelArgs &args);

/// Split's lengths along `axis` when the split operand is given. The CPU
/// reads them; the CUDA backend takes them from the results' shapes.
using SplitLengths = Status (*)(const char *name, const KernelArgs &args,
                                int64_t axis, const TensorArg &split,
                                std::vector<int64_t> &lengths);

struct SplitLayout {
  AxisRows rows;
  /// Each result's size along the axis.
  std::vector<int64_t> lengths;
};
Expected<SplitLayout> checkSplit(const KernelArgs &args,
                                 SplitLengths splitLengths);

/// Gather: reads the indices into `*indices`, or only checks them when it
/// is null (a kernel that reads them on the device).
Expected<AxisRows> checkGather(const KernelArgs &args,
                               std::vector<int64_t> *indices);

/// GatherElements: the normalized axis, after checking that indices (i32
/// or i64) have data's rank, fit data off the axis and shape the result.
Expected<int64_t> checkGatherElements(const KernelArgs &args);

/// GatherND's walk: `tuples` index tuples of `tupleLength` indices, in
/// `batches` groups that each read their own block of data (`batchStride`
/// elements, after the first batch_dims axes); each tuple names a slice of
/// `sliceElements`.
struct GatherNDLayout {
  int64_t batchDims = 0, batches = 1, batchStride = 0;
  int64_t tuples = 0, tupleLength = 0, sliceElements = 1;
};
/// GatherND: i64 or i32 indices [..., k] sharing data's first batch_dims
/// sizes, k at most data's rank after them; the result is
/// indices.shape[:-1] + data.shape[batch_dims + k:].
Expected<GatherNDLayout> checkGatherND(const KernelArgs &args);

/// How ScatterElements and ScatterND combine an update with the element it
/// lands on, in the order of their spellings in LayoutSupport.cpp.
enum class ScatterReduction : int { None, Add, Mul, Max, Min };

/// A Scatter's checked operands: data, indices (i32 or i64, only their type
/// and shape checked), updates of data's type; the result is data's type
/// and shape.
struct ScatterLayout {
  ScatterReduction reduction;
  /// ScatterElements: the normalized axis.
  int64_t axis = 0;
  /// ScatterND: how many index tuples there are, each one's length k, and
  /// the elements of the slice it names (data's sizes after the first k).
  int64_t tuples = 0, tupleLength = 0, sliceElements = 1;
};
/// ScatterElements: indices of data's rank, no larger than data off the
/// axis, updates of the indices' shape.
Expected<ScatterLayout> checkScatterElements(const KernelArgs &args);
/// ScatterND: indices [..., k] with k at most data's rank, updates of shape
/// indices.shape[:-1] + data.shape[k:].
Expected<ScatterLayout> checkScatterND(const KernelArgs &args);

/// Resize's attributes, and which of scales and sizes is given (exactly
/// one; an empty one counts as absent).
struct ResizeAttrs {
  ResizeSampling sampling;
  /// keep_aspect_ratio_policy not_larger or not_smaller: with sizes, one
  /// scale for every resized axis, the least or the greatest of sizes / in.
  bool keepAspect = false, notLarger = false;
  /// Normalized, distinct.
  std::vector<int64_t> axes;
  const TensorArg *scales;
  const TensorArg *sizes;
  /// tf_crop_and_resize's region of interest, f32 [2 * axes]: the starts,
  /// then the ends.
  const TensorArg *roi;
};
/// Checks Resize's attributes, and the types and lengths of scales and roi;
/// the caller checks sizes (the CPU reads them, the CUDA backend cannot)
/// and the values.
Expected<ResizeAttrs> checkResize(const KernelArgs &args);

} // namespace intr::cpu::layout

#endif // INTR_LIB_RUNTIME_CPU_LAYOUTSUPPORT_H
