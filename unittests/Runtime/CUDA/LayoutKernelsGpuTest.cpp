//===- LayoutKernelsGpuTest.cpp - CUDA layout kernels vs the CPU ----------===//
//
// Every CUDA layout kernel against its CPU twin: several shapes, sizes that
// are not multiples of the block (256) or tile (32) sizes, results large
// enough for the grid-stride loops to wrap, negative axes and every element
// type the CPU supports. Then the operand values the CPU refuses at run
// time, which the CUDA kernels read on the device and answer with zeros,
// and malformed steps that the CUDA kernels must refuse before launching.
//
//===----------------------------------------------------------------------===//

#include "GpuKernelCase.h"

#include "CUDA/CudaKernel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

const DType kAllTypes[] = {DType::F32,  DType::F64, DType::F16,
                           DType::BF16, DType::I64, DType::I32,
                           DType::I8,   DType::U8,  DType::Bool};

/// Random bits, for the element types randomTensor does not fill: layout
/// kernels only move them, and the comparison is bitwise.
Tensor randomBits(DType dtype, std::vector<int64_t> shape) {
  static std::mt19937 generator(1729);
  Tensor tensor(dtype, std::move(shape));
  auto *bytes = static_cast<uint8_t *>(tensor.rawData());
  for (size_t i = 0; i < tensor.sizeInBytes(); ++i)
    bytes[i] = static_cast<uint8_t>(generator());
  return tensor;
}

/// Random elements of any type.
/// Updates for the scatter reductions: reals in [0.5, 1.5) for f32 and f64
/// (the f64 ones widened from f32 draws, since randomTensor gives f64
/// integers), so that sums and products round; small integers otherwise.
Tensor reductionUpdates(DType dtype, std::vector<int64_t> shape) {
  if (dtype != DType::F32 && dtype != DType::F64)
    return randomTensor(std::move(shape), -3, 3, dtype);
  Tensor reals = randomTensor(std::move(shape), 0.5f, 1.5f);
  if (dtype == DType::F32)
    return reals;
  Tensor wide(DType::F64, reals.shape());
  for (int64_t i = 0; i < reals.numElements(); ++i)
    wide.data<double>()[i] = reals.data<float>()[i];
  return wide;
}

Tensor sample(DType dtype, std::vector<int64_t> shape) {
  switch (dtype) {
  case DType::F32:
    return randomTensor(std::move(shape));
  case DType::F64:
    return randomTensor(std::move(shape), -1000, 1000, dtype);
  case DType::I64:
  case DType::I32:
  case DType::I8:
    return randomTensor(std::move(shape), -100, 100, dtype);
  case DType::U8:
    return randomTensor(std::move(shape), 0, 255, dtype);
  case DType::Bool:
    return randomTensor(std::move(shape), 0, 1, dtype);
  case DType::F16:
  case DType::BF16:
    break;
  }
  return randomBits(dtype, std::move(shape));
}

Tensor doubleTensorOf(std::vector<int64_t> shape,
                      const std::vector<double> &values) {
  return typedTensorOf(DType::F64, std::move(shape), values);
}

/// A 1-D i64 tensor.
Tensor i64s(const std::vector<int64_t> &values) {
  return int64TensorOf({static_cast<int64_t>(values.size())}, values);
}

/// A 1-D i32 tensor.
Tensor i32s(const std::vector<int32_t> &values) {
  return int32TensorOf({static_cast<int64_t>(values.size())}, values);
}

/// Expects the CUDA kernel to refuse the step with a message naming `text`.
/// Expects the CUDA kernel to accept the step and write only zero bytes
/// (what it does with operand values the CPU refuses).
void expectZeros(const KernelCase &c) {
  Status status = c.runOnGpu();
  ASSERT_TRUE(status.isOk()) << status.error().message();
  for (const Tensor &result : c.gpuOutputs()) {
    const auto *bytes = static_cast<const uint8_t *>(result.rawData());
    int64_t nonZero = std::count_if(bytes, bytes + result.sizeInBytes(),
                                    [](uint8_t b) { return b != 0; });
    EXPECT_EQ(nonZero, 0) << "in a result of shape "
                          << formatShape(result.shape());
  }
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

// Tests that every layout kernel of the CPU backend has a CUDA twin.
TEST(LayoutKernelsGpu, RegistersEveryOp) {
  for (const char *op : {"Concat",    "ConstantOfShape",
                         "Expand",    "Flatten",
                         "Gather",    "GatherElements",
                         "GatherND",  "Pad",
                         "Range",     "Reshape",
                         "Resize",    "ScatterElements",
                         "ScatterND", "Shape",
                         "Slice",     "Split",
                         "Squeeze",   "Tile",
                         "Transpose", "Unsqueeze"})
    EXPECT_NE(cuda::KernelRegistry::cuda().find(std::string("onnx.") + op),
              nullptr)
        << op;
}

//===----------------------------------------------------------------------===//
// Transpose, Expand, Tile
//===----------------------------------------------------------------------===//

// Tests that Transpose matches the CPU for the default and explicit
// permutations (tiled last-two-axes swaps, runs that keep the last axis,
// axes of size 1, scalars) and every element type.
TEST(LayoutKernelsGpu, TransposeMatchesCpu) {
  struct Case {
    std::vector<int64_t> shape, perm;
  };
  const Case cases[] = {
      {{2, 3, 4}, {}},                    // Default: reversed.
      {{2, 5, 3, 4}, {0, 2, 1, 3}},       // Keeps the last axis.
      {{2, 5, 3, 4}, {3, 1, 0, 2}},       // Generic.
      {{3, 1, 4}, {1, 2, 0}},             // Size-1 axes drop out.
      {{4, 7}, {1, 0}},                   // One partial tile.
      {{67, 45}, {1, 0}},                 // Partial tiles both ways.
      {{3, 37, 45}, {0, 2, 1}},           // Batched tiles.
      {{2, 3, 33, 65}, {0, 1, 3, 2}},     // Batch axes merge.
      {{2, 3, 4, 5, 6}, {4, 0, 3, 1, 2}}, // Rank 5.
      {{5, 1, 1, 7}, {3, 2, 1, 0}},
      {{1, 1, 1}, {2, 0, 1}}, // Nothing but size-1 axes.
      {{}, {}},               // A scalar.
      {{3, 0, 4}, {2, 0, 1}}, // Empty.
  };
  for (DType dtype : kAllTypes) {
    for (const Case &c : cases) {
      std::vector<int64_t> perm = c.perm;
      if (perm.empty())
        for (size_t d = c.shape.size(); d-- > 0;)
          perm.push_back(static_cast<int64_t>(d));
      std::vector<int64_t> outShape;
      for (int64_t p : perm)
        outShape.push_back(c.shape[p]);
      KernelCase k("onnx.Transpose");
      k.input(sample(dtype, c.shape)).output(dtype, outShape);
      if (!c.perm.empty())
        k.attr("perm", ints(c.perm));
      SCOPED_TRACE(std::string(dtypeName(dtype)) + " " + formatShape(c.shape));
      k.check();
    }
  }
}

// Tests that large transposes, more elements than the grid has threads,
// match the CPU through both the tiled and the generic path.
TEST(LayoutKernelsGpu, TransposeLargeTensors) {
  KernelCase("onnx.Transpose")
      .input(randomTensor({2, 700, 1100}))
      .output(DType::F32, {2, 1100, 700})
      .attr("perm", ints({0, 2, 1}))
      .check();
  KernelCase("onnx.Transpose")
      .input(sample(DType::F16, {1100, 1301}))
      .output(DType::F16, {1301, 1100})
      .check();
  KernelCase("onnx.Transpose")
      .input(randomTensor({2, 197, 12, 64}))
      .output(DType::F32, {2, 12, 197, 64})
      .attr("perm", ints({0, 2, 1, 3}))
      .check();
  KernelCase("onnx.Transpose")
      .input(sample(DType::U8, {130, 7, 1201}))
      .output(DType::U8, {1201, 130, 7})
      .attr("perm", ints({2, 0, 1}))
      .check();
  // An image's colours moved last (channels last): a swap too narrow for
  // tiles.
  KernelCase("onnx.Transpose")
      .input(randomTensor({1, 3, 300, 401}))
      .output(DType::F32, {1, 300, 401, 3})
      .attr("perm", ints({0, 2, 3, 1}))
      .check();
  KernelCase("onnx.Transpose")
      .input(sample(DType::BF16, {2, 3, 120, 97}))
      .output(DType::BF16, {2, 120, 97, 3})
      .attr("perm", ints({0, 2, 3, 1}))
      .check();
}

// Tests that Transpose refuses bad permutations, results and operand
// counts.
TEST(LayoutKernelsGpu, TransposeRefusesMalformedSteps) {
  expectRefused(KernelCase("onnx.Transpose")
                    .input(randomTensor({2, 3}))
                    .output(DType::F32, {2, 3})
                    .attr("perm", ints({0, 0})),
                "not a permutation");
  expectRefused(KernelCase("onnx.Transpose")
                    .input(randomTensor({2, 3}))
                    .output(DType::F32, {3, 2})
                    .attr("perm", ints({0, 1, 2})),
                "does not match rank");
  expectRefused(KernelCase("onnx.Transpose")
                    .input(randomTensor({2, 3}))
                    .output(DType::F32, {2, 3}),
                "shape");
  expectRefused(KernelCase("onnx.Transpose")
                    .input(randomTensor({2, 3}))
                    .output(DType::I64, {3, 2}),
                "must be f32");
  expectRefused(KernelCase("onnx.Transpose")
                    .input(randomTensor({2, 3}))
                    .input(randomTensor({2, 3}))
                    .output(DType::F32, {3, 2}),
                "operands");
  expectRefused(KernelCase("onnx.Transpose").input(randomTensor({2, 3})),
                "results");
}

// Tests that Expand matches the CPU: leading axes added, size-1 axes
// broadcast, a 1 in the shape keeping the input's size, scalars, i32
// shapes, empty results and every element type.
TEST(LayoutKernelsGpu, ExpandMatchesCpu) {
  struct Case {
    std::vector<int64_t> in, shape, out;
  };
  const Case cases[] = {
      {{3, 1}, {2, 1, 4}, {2, 3, 4}}, {{1, 256}, {200, 1}, {200, 256}},
      {{}, {5, 7}, {5, 7}},           {{2, 1, 3}, {2, 4, 3}, {2, 4, 3}},
      {{4}, {3, 1, 1}, {3, 1, 4}},    {{1, 33, 1}, {7, 1, 65}, {7, 33, 65}},
      {{5, 3}, {1}, {5, 3}},          {{1, 4}, {0, 4}, {0, 4}},
  };
  for (DType dtype : kAllTypes)
    for (const Case &c : cases) {
      SCOPED_TRACE(std::string(dtypeName(dtype)) + " " + formatShape(c.in));
      KernelCase("onnx.Expand")
          .input(sample(dtype, c.in))
          .input(i64s(c.shape))
          .output(dtype, c.out)
          .check();
    }
  KernelCase("onnx.Expand")
      .input(randomTensor({1, 1000, 1}))
      .input(i32s({3, 1000, 513}))
      .output(DType::F32, {3, 1000, 513})
      .check();
}

// Tests that Expand refuses results that are not a broadcast of the
// input, bad shape operands and dtype mismatches.
TEST(LayoutKernelsGpu, ExpandRefusesMalformedSteps) {
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .input(i64s({2, 2, 4}))
                    .output(DType::F32, {2, 2, 4}),
                "cannot expand");
  // The shape has three entries, so the result has rank 3.
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .input(i64s({1, 3, 4}))
                    .output(DType::F32, {3, 4}),
                "cannot expand");
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .input(tensorOf({2}, {3, 4}))
                    .output(DType::F32, {3, 4}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .input(int64TensorOf({1, 2}, {3, 4}))
                    .output(DType::F32, {3, 4}),
                "1-D");
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .input(i64s({3, 4}))
                    .output(DType::F64, {3, 4}),
                "must be f32");
  expectRefused(KernelCase("onnx.Expand")
                    .input(randomTensor({3, 1}))
                    .output(DType::F32, {3, 4}),
                "operands");
}

// Tests that Tile matches the CPU, with repeats of one, zero and more than
// the block size, scalars and every element type.
TEST(LayoutKernelsGpu, TileMatchesCpu) {
  struct Case {
    std::vector<int64_t> in, repeats;
  };
  const Case cases[] = {
      {{2, 3}, {2, 3}},
      {{3, 1, 5}, {1, 4, 3}},
      {{37}, {3}},
      {{2, 3}, {0, 2}},
      {{}, {}},
      {{5, 7, 3}, {2, 1, 33}},
      {{1, 1, 2}, {3, 2, 1}},
  };
  for (DType dtype : kAllTypes)
    for (const Case &c : cases) {
      std::vector<int64_t> out;
      for (size_t d = 0; d < c.in.size(); ++d)
        out.push_back(c.in[d] * c.repeats[d]);
      SCOPED_TRACE(std::string(dtypeName(dtype)) + " " + formatShape(c.in));
      KernelCase("onnx.Tile")
          .input(sample(dtype, c.in))
          .input(i64s(c.repeats))
          .output(dtype, out)
          .check();
    }
  KernelCase("onnx.Tile")
      .input(randomTensor({3, 257}))
      .input(i32s({400, 3}))
      .output(DType::F32, {1200, 771})
      .check();
}

// Tests that Tile refuses repeats of the wrong length or type and results
// that are not a tiling of the input.
TEST(LayoutKernelsGpu, TileRefusesMalformedSteps) {
  expectRefused(KernelCase("onnx.Tile")
                    .input(randomTensor({2, 3}))
                    .input(i64s({2}))
                    .output(DType::F32, {4, 3}),
                "rank");
  expectRefused(KernelCase("onnx.Tile")
                    .input(randomTensor({2, 3}))
                    .input(i64s({2, 2}))
                    .output(DType::F32, {4, 7}),
                "not a tiling");
  expectRefused(KernelCase("onnx.Tile")
                    .input(randomTensor({2, 3}))
                    .input(i64s({2, 2}))
                    .output(DType::F32, {4}),
                "not a tiling");
  expectRefused(KernelCase("onnx.Tile")
                    .input(randomTensor({2, 3}))
                    .input(tensorOf({2}, {2, 2}))
                    .output(DType::F32, {4, 6}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Tile")
                    .input(randomTensor({2, 3}))
                    .input(i64s({2, 2}))
                    .output(DType::I32, {4, 6}),
                "must be f32");
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// The number of indices ONNX's Slice takes on an axis of `size`: negative
/// starts and ends count from the end, then clamp to [0, size] (positive
/// steps) or to [0, size - 1] and [-1, size - 1] (negative steps).
int64_t specSliceLength(int64_t start, int64_t end, int64_t step,
                        int64_t size) {
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  int64_t count = 0;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, 0, size);
    for (int64_t i = start; i < end; ++count) {
      if (end - i <= step)
        return count + 1;
      i += step;
    }
  } else {
    start = std::clamp<int64_t>(start, 0, size - 1);
    end = std::clamp<int64_t>(end, -1, size - 1);
    for (int64_t i = start; i > end; ++count) {
      if (end - i >= step) // i - end <= -step, without negating int64 min
        return count + 1;
      i += step;
    }
  }
  return count;
}

// Tests that Slice matches the CPU on the ONNX spec's cases and extremes
// (steps and bounds at the int64 limits, negative steps and axes), with
// axes and steps given, omitted as NoValue and left off, and i32 operands.
TEST(LayoutKernelsGpu, SliceMatchesCpu) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  struct Case {
    std::vector<int64_t> starts, ends, axes, steps;
  };
  const Case cases[] = {
      {{0, 0}, {3, 10}, {0, 1}, {1, 1}},
      {{0}, {-1}, {1}, {1}},
      {{20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2}},
      {{1}, {1000}, {1}, {1}},
      {{1000}, {1000}, {1}, {1}},
      {{0, 0, 3}, {20, 10, 4}, {}, {}},
      {{-1}, {min}, {-1}, {-1}},
      {{-1}, {min}, {2}, {-2}},
      {{min}, {max}, {0}, {7}},
      {{5}, {max}, {-2}, {max}},
      {{-100}, {100}, {0}, {min}},
      {{-100}, {min}, {0}, {-1}},
      {{2, 1}, {8, 9}, {-1, -2}, {2, 3}},
      {{3, -2, 17}, {-4, 9, 2}, {2, 1, 0}, {-1, 1, -5}},
  };
  const std::vector<int64_t> shape = {20, 10, 5};
  Tensor in = randomTensor(shape);
  for (const Case &c : cases) {
    std::vector<int64_t> axes = c.axes, steps = c.steps;
    if (axes.empty()) {
      axes.resize(c.starts.size());
      std::iota(axes.begin(), axes.end(), 0);
    }
    if (steps.empty())
      steps.assign(c.starts.size(), 1);
    std::vector<int64_t> outShape = shape;
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t axis = axes[i] < 0 ? axes[i] + 3 : axes[i];
      outShape[axis] =
          specSliceLength(c.starts[i], c.ends[i], steps[i], shape[axis]);
    }
    SCOPED_TRACE("starts " + formatShape(c.starts) + " ends " +
                 formatShape(c.ends));
    KernelCase given("onnx.Slice");
    given.input(in).input(i64s(c.starts)).input(i64s(c.ends));
    if (c.axes.empty())
      given.noInput();
    else
      given.input(i64s(c.axes));
    if (c.steps.empty())
      given.noInput();
    else
      given.input(i64s(c.steps));
    given.output(DType::F32, outShape).check();
    if (c.axes.empty() && c.steps.empty())
      KernelCase("onnx.Slice")
          .input(in)
          .input(i64s(c.starts))
          .input(i64s(c.ends))
          .output(DType::F32, outShape)
          .check();
  }
  // i32 operands, a negative axis, and each element type.
  for (DType dtype : kAllTypes)
    KernelCase("onnx.Slice")
        .input(sample(dtype, {4, 37, 9}))
        .input(i32s({-30, 8}))
        .input(i32s({300, -10}))
        .input(i32s({-2, 2}))
        .input(i32s({3, -3}))
        .output(dtype, {4, 10, 3})
        .check();
}

// Tests that Slice matches the CPU on a result larger than the grid, with
// a step and a reversed axis.
TEST(LayoutKernelsGpu, SliceLargeTensor) {
  KernelCase("onnx.Slice")
      .input(randomTensor({3, 1300, 1031}))
      .input(i64s({7, -1}))
      .input(i64s({1290, -1032}))
      .input(i64s({1, 2}))
      .input(i64s({3, -2}))
      .output(DType::F32, {3, 428, 516})
      .check();
}

// Tests that Slice operand values the CPU refuses (a zero step, bounds
// that do not give the result's shape, a repeated or out-of-range axis)
// give a zero result instead of reads out of bounds.
TEST(LayoutKernelsGpu, SliceWritesZerosForRefusedValues) {
  expectZeros(KernelCase("onnx.Slice")
                  .input(randomTensor({4, 6}))
                  .input(i64s({0}))
                  .input(i64s({2}))
                  .input(i64s({1}))
                  .input(i64s({0}))
                  .output(DType::F32, {4, 2}));
  expectZeros(KernelCase("onnx.Slice")
                  .input(randomTensor({4, 6}))
                  .input(i64s({0}))
                  .input(i64s({2}))
                  .input(i64s({1}))
                  .output(DType::F32, {4, 3}));
  expectZeros(KernelCase("onnx.Slice")
                  .input(randomTensor({4, 6}))
                  .input(i64s({0, 0}))
                  .input(i64s({2, 2}))
                  .input(i64s({1, -1}))
                  .output(DType::F32, {4, 2}));
  expectZeros(KernelCase("onnx.Slice")
                  .input(randomTensor({4, 6}))
                  .input(i64s({0}))
                  .input(i64s({2}))
                  .input(i64s({2}))
                  .output(DType::F32, {4, 2}));
}

// Tests that Slice refuses operands of different lengths or types, more
// entries than axes, and results that cannot be a slice of the input.
TEST(LayoutKernelsGpu, SliceRefusesMalformedSteps) {
  Tensor in = randomTensor({4, 6});
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0}))
                    .input(i64s({2}))
                    .input(i64s({0, 1}))
                    .output(DType::F32, {4, 2}),
                "length");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0, 0, 0}))
                    .input(i64s({2, 2, 2}))
                    .output(DType::F32, {2, 2}),
                "axes");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0}))
                    .input(i64s({2}))
                    .input(i64s({1}))
                    .output(DType::F32, {4, 7}),
                "not a slice");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0}))
                    .input(i64s({2}))
                    .output(DType::F32, {2}),
                "not a slice");
  // An empty axis gives nothing, whatever the step.
  expectRefused(KernelCase("onnx.Slice")
                    .input(randomTensor({2, 0}))
                    .input(i64s({-1}))
                    .input(i64s({-10}))
                    .input(i64s({1}))
                    .input(i64s({-1}))
                    .output(DType::F32, {2, 1}),
                "not a slice");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(tensorOf({1}, {0}))
                    .input(i64s({2}))
                    .output(DType::F32, {2, 6}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0}))
                    .input(i64s({2}))
                    .output(DType::I64, {2, 6}),
                "must be f32");
  expectRefused(KernelCase("onnx.Slice")
                    .input(in)
                    .input(i64s({0}))
                    .output(DType::F32, {2, 6}),
                "operands");
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

// Tests that Pad matches the CPU in every mode: the ONNX spec's examples,
// pads wider than the axis, negative pads that crop, axes (negative, i32),
// constant values, and every element type.
TEST(LayoutKernelsGpu, PadMatchesCpu) {
  const char *modes[] = {"constant", "reflect", "edge", "wrap"};
  Tensor spec = tensorOf({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
  Tensor row = int64TensorOf({3}, {1, 2, 3});
  for (const char *mode : modes) {
    SCOPED_TRACE(mode);
    KernelCase("onnx.Pad")
        .input(spec)
        .input(i64s({0, 2, 0, 0}))
        .output(DType::F32, {3, 4})
        .attr("mode", str(mode))
        .check();
    KernelCase("onnx.Pad")
        .input(row)
        .input(i64s({2, 2}))
        .output(DType::I64, {7})
        .attr("mode", str(mode))
        .check();
    // Wider than the axis: reflect and wrap go round more than once.
    KernelCase("onnx.Pad")
        .input(row)
        .input(i64s({5, 6}))
        .output(DType::I64, {14})
        .attr("mode", str(mode))
        .check();
    KernelCase("onnx.Pad")
        .input(randomTensor({1, 5}))
        .input(i64s({2, 3, 1, 4}))
        .output(DType::F32, {4, 12})
        .attr("mode", str(mode))
        .check();
    for (DType dtype : kAllTypes) {
      SCOPED_TRACE(dtypeName(dtype));
      KernelCase("onnx.Pad")
          .input(sample(dtype, {2, 3, 37}))
          .input(i64s({1, 0, 2, 0, 3, 5}))
          .output(dtype, {3, 6, 44})
          .attr("mode", str(mode))
          .check();
    }
    // Crops on one axis, pads on another.
    KernelCase("onnx.Pad")
        .input(randomTensor({5, 300}))
        .input(i32s({-1, 7, 2, -30}))
        .noInput()
        .input(int32TensorOf({2}, {0, 1}))
        .output(DType::F32, {6, 277})
        .attr("mode", str(mode))
        .check();
  }
  KernelCase("onnx.Pad")
      .input(row)
      .input(i64s({2, 2}))
      .input(int64TensorOf({}, {9}))
      .output(DType::I64, {7})
      .attr("mode", str("constant"))
      .check();
  KernelCase("onnx.Pad")
      .input(randomTensor({2, 3, 37}))
      .input(i64s({3, 0, 5, 2}))
      .input(tensorOf({}, {2.5f}))
      .input(i64s({-1, 0}))
      .output(DType::F32, {4, 3, 45})
      .attr("mode", str("constant"))
      .check();
  // Negative pads crop; axes pick the padded axes.
  KernelCase("onnx.Pad")
      .input(randomTensor({2, 4}))
      .input(i64s({-1, 1}))
      .noInput()
      .input(i64s({-1}))
      .output(DType::F32, {2, 4})
      .attr("mode", str("constant"))
      .check();
  // The default mode is constant; a large result.
  KernelCase("onnx.Pad")
      .input(randomTensor({3, 700, 600}))
      .input(i64s({0, 1, 2, 0, 3, 4}))
      .output(DType::F32, {3, 704, 606})
      .check();
}

// Tests that pads and axes whose values the CPU refuses (a result of
// another shape, a repeated axis, an axis out of range) give a zero result.
TEST(LayoutKernelsGpu, PadWritesZerosForRefusedValues) {
  expectZeros(KernelCase("onnx.Pad")
                  .input(randomTensor({3}))
                  .input(i64s({1, 1}))
                  .output(DType::F32, {6})
                  .attr("mode", str("reflect")));
  expectZeros(KernelCase("onnx.Pad")
                  .input(randomTensor({3, 3}))
                  .input(i64s({1, 1, 0, 0}))
                  .noInput()
                  .input(i64s({0, -2}))
                  .output(DType::F32, {5, 3})
                  .attr("mode", str("constant")));
  expectZeros(KernelCase("onnx.Pad")
                  .input(randomTensor({3, 3}))
                  .input(i64s({1, 1}))
                  .noInput()
                  .input(i64s({2}))
                  .output(DType::F32, {5, 3})
                  .attr("mode", str("edge")));
}

// Tests that Pad refuses unknown modes, pads of the wrong length, bad
// constant values, results of another rank and empty axes outside the
// constant mode.
TEST(LayoutKernelsGpu, PadRefusesMalformedSteps) {
  Tensor m = randomTensor({2, 4});
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(i64s({1, 1}))
                    .output(DType::F32, {4, 6}),
                "entries");
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(i64s({1, 1, 1, 1}))
                    .output(DType::F32, {4, 6})
                    .attr("mode", str("mirror")),
                "mode");
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(i64s({1, 1, 1, 1}))
                    .input(doubleTensorOf({}, {1.0}))
                    .output(DType::F32, {4, 6}),
                "constant_value");
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(i64s({1, 1, 1, 1}))
                    .input(tensorOf({2}, {1, 2}))
                    .output(DType::F32, {4, 6}),
                "constant_value");
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(i64s({1, 1, 1, 1}))
                    .output(DType::F32, {24}),
                "rank");
  expectRefused(KernelCase("onnx.Pad")
                    .input(m)
                    .input(tensorOf({4}, {1, 1, 1, 1}))
                    .output(DType::F32, {4, 6}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Pad")
                    .input(randomTensor({0, 3}))
                    .input(i64s({1, 0, 1, 0}))
                    .output(DType::F32, {2, 3})
                    .attr("mode", str("reflect")),
                "empty axis");
  expectRefused(KernelCase("onnx.Pad").input(m).output(DType::F32, {2, 4}),
                "operands");
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

// Tests that Gather matches the CPU: the ONNX spec's example, negative
// indices and axes, i32 and scalar indices, rows of one element and every
// element type.
TEST(LayoutKernelsGpu, GatherMatchesCpu) {
  KernelCase("onnx.Gather")
      .input(tensorOf({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}))
      .input(int64TensorOf({2, 2}, {0, 1, -2, 2}))
      .output(DType::F32, {2, 2, 2})
      .check();
  KernelCase("onnx.Gather")
      .input(randomTensor({2, 3, 4}, -100, 100, DType::I64))
      .input(i32s({-1, 0}))
      .output(DType::I64, {2, 2, 4})
      .attr("axis", ints({1}))
      .check();
  KernelCase("onnx.Gather")
      .input(randomTensor({2, 3, 4}, -100, 100, DType::I64))
      .input(int64TensorOf({}, {-1}))
      .output(DType::I64, {2, 3})
      .attr("axis", ints({-1}))
      .check();
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.Gather")
        .input(sample(dtype, {4, 37, 65}))
        .input(randomTensor({3, 5}, -37, 36, DType::I64))
        .output(dtype, {4, 3, 5, 65})
        .attr("axis", ints({1}))
        .check();
    KernelCase("onnx.Gather")
        .input(sample(dtype, {3, 4, 5}))
        .input(randomTensor({2, 2}, -5, 4, DType::I32))
        .output(dtype, {3, 4, 2, 2})
        .attr("axis", ints({-1}))
        .check();
  }
  // Many rows, and an empty index list.
  KernelCase("onnx.Gather")
      .input(randomTensor({1000, 768}))
      .input(randomTensor({2, 900}, -1000, 999, DType::I64))
      .output(DType::F32, {2, 900, 768})
      .check();
  KernelCase("onnx.Gather")
      .input(randomTensor({5, 3}))
      .input(int64TensorOf({0}, {}))
      .output(DType::F32, {0, 3})
      .check();
}

// Tests GatherElements against the CPU: indices smaller than data off the
// axis, negative ones, i32 and i64, every element type, and the first and
// last axis of a 3-D tensor.
TEST(LayoutKernelsGpu, GatherElementsMatchesCpu) {
  KernelCase("onnx.GatherElements")
      .input(tensorOf({2, 3}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}))
      .input(int64TensorOf({2, 2}, {2, -1, 0, 1}))
      .output(DType::F32, {2, 2})
      .attr("axis", ints({1}))
      .check();
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.GatherElements")
        .input(sample(dtype, {5, 7, 9}))
        .input(randomTensor({4, 6, 9}, -5, 4, DType::I64))
        .output(dtype, {4, 6, 9})
        .check();
    KernelCase("onnx.GatherElements")
        .input(sample(dtype, {5, 7, 9}))
        .input(randomTensor({5, 3, 20}, -9, 8, DType::I32))
        .output(dtype, {5, 3, 20})
        .attr("axis", ints({-1}))
        .check();
  }
}

// Tests GatherND against the CPU: rows and single elements named by
// tuples (some counted from the end), every element type, batch_dims 1
// with i32 indices, and a tuple as long as data's rank.
TEST(LayoutKernelsGpu, GatherNDMatchesCpu) {
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.GatherND")
        .input(sample(dtype, {6, 33}))
        .input(int64TensorOf({2, 2, 1}, {5, -6, 2, -3}))
        .output(dtype, {2, 2, 33})
        .check();
  }
  KernelCase("onnx.GatherND")
      .input(randomTensor({3, 4, 5, 6}))
      .input(randomTensor({3, 7, 2}, -4, 3, DType::I32))
      .output(DType::F32, {3, 7, 6})
      .attr("batch_dims", ints({1}))
      .check();
  KernelCase("onnx.GatherND")
      .input(randomTensor({4, 5}))
      .input(int64TensorOf({3, 2}, {0, 0, 3, 4, -1, -5}))
      .output(DType::F32, {3})
      .check();
}

// Tests ScatterElements against the CPU. Without a reduction the indices
// never repeat (the order of writes to one element is the device's):
// every element type, both ends of a 3-D tensor, negative i64 and i32
// indices. With one they repeat, combined atomically: add, mul, max and
// min on f32, f64, i32 and i64 (f32 and f64 sums within rounding).
TEST(LayoutKernelsGpu, ScatterElementsMatchesCpu) {
  // Index (r + c + d) % 5 - 2 along an axis of 5, at most 5 per line:
  // distinct along it.
  auto distinct = [](std::vector<int64_t> shape, DType type) {
    Tensor t(type, shape);
    for (int64_t r = 0, e = 0; r < shape[0]; ++r)
      for (int64_t c = 0; c < shape[1]; ++c)
        for (int64_t d = 0; d < shape[2]; ++d, ++e) {
          int64_t index = (r + c + d) % 5 - 2;
          if (type == DType::I64)
            t.data<int64_t>()[e] = index;
          else
            t.data<int32_t>()[e] = static_cast<int32_t>(index);
        }
    return t;
  };
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.ScatterElements")
        .input(sample(dtype, {5, 7, 9}))
        .input(distinct({4, 6, 9}, DType::I64))
        .input(sample(dtype, {4, 6, 9}))
        .output(dtype, {5, 7, 9})
        .check();
    KernelCase("onnx.ScatterElements")
        .input(sample(dtype, {3, 4, 5}))
        .input(distinct({3, 4, 5}, DType::I32))
        .input(sample(dtype, {3, 4, 5}))
        .output(dtype, {3, 4, 5})
        .attr("axis", ints({-1}))
        .check();
  }
  for (const char *reduction : {"add", "mul", "max", "min"})
    for (DType dtype : {DType::F32, DType::F64, DType::I32, DType::I64}) {
      SCOPED_TRACE(std::string(reduction) + " " + dtypeName(dtype));
      KernelCase("onnx.ScatterElements")
          .input(sample(dtype, {4, 50}))
          .input(randomTensor({4, 300}, -50, 49, DType::I64))
          .input(reductionUpdates(dtype, {4, 300}))
          .output(dtype, {4, 50})
          .attr("axis", ints({1}))
          .attr("reduction", str(reduction))
          .tolerance(1e-4, 1e-4)
          .check();
    }
  // i32 indices under a reduction.
  KernelCase("onnx.ScatterElements")
      .input(sample(DType::F32, {4, 50}))
      .input(randomTensor({4, 300}, -50, 49, DType::I32))
      .input(randomTensor({4, 300}, 0.5f, 1.5f, DType::F32))
      .output(DType::F32, {4, 50})
      .attr("axis", ints({1}))
      .attr("reduction", str("max"))
      .check();
  // A NaN update wins in max and min, as on the CPU.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const char *reduction : {"max", "min"})
    KernelCase("onnx.ScatterElements")
        .input(tensorOf({2, 3}, {1, 2, 3, 4, 5, 6}))
        .input(int64TensorOf({2, 2}, {0, 0, 2, 2}))
        .input(tensorOf({2, 2}, {nan, 7, -1, 9}))
        .output(DType::F32, {2, 3})
        .attr("axis", ints({1}))
        .attr("reduction", str(reduction))
        .check();
}

// Tests ScatterND against the CPU: whole rows named by distinct 1-tuples
// (some counted from the end) for every element type, single elements
// named by repeating 2-tuples with every reduction and type that takes
// one, and slices of a 3-D tensor.
TEST(LayoutKernelsGpu, ScatterNDMatchesCpu) {
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.ScatterND")
        .input(sample(dtype, {6, 33}))
        .input(int64TensorOf({4, 1}, {5, -6, 2, -3}))
        .input(sample(dtype, {4, 33}))
        .output(dtype, {6, 33})
        .check();
  }
  std::vector<int64_t> cells;
  for (int i = 0; i < 200; ++i)
    cells.insert(cells.end(), {i % 7, (i * 5) % 11 - 5});
  for (const char *reduction : {"add", "mul", "max", "min"})
    for (DType dtype : {DType::F32, DType::F64, DType::I32, DType::I64}) {
      SCOPED_TRACE(std::string(reduction) + " " + dtypeName(dtype));
      KernelCase("onnx.ScatterND")
          .input(sample(dtype, {7, 11}))
          .input(int64TensorOf({200, 2}, cells))
          .input(reductionUpdates(dtype, {200}))
          .output(dtype, {7, 11})
          .attr("reduction", str(reduction))
          .tolerance(1e-4, 1e-4)
          .check();
    }
  KernelCase("onnx.ScatterND")
      .input(randomTensor({3, 4, 5, 6}))
      .input(int64TensorOf({2, 2, 2}, {0, 1, 2, 3, -1, 0, 1, -1}))
      .input(randomTensor({2, 2, 5, 6}))
      .output(DType::F32, {3, 4, 5, 6})
      .check();
}

// Tests that out-of-range indices, which the CPU refuses, give zero rows
// while the indices in range are gathered.
TEST(LayoutKernelsGpu, GatherZeroesOutOfRangeIndices) {
  KernelCase c("onnx.Gather");
  c.input(tensorOf({3, 2}, {1, 2, 3, 4, 5, 6}))
      .input(int64TensorOf({5},
                           {0, 3, -4, -1, std::numeric_limits<int64_t>::min()}))
      .output(DType::F32, {5, 2});
  Status status = c.runOnGpu();
  ASSERT_TRUE(status.isOk()) << status.error().message();
  ASSERT_EQ(c.gpuOutputs().size(), 1u);
  const float *got = c.gpuOutputs()[0].data<float>();
  EXPECT_EQ(std::vector<float>(got, got + 10),
            (std::vector<float>{1, 2, 0, 0, 0, 0, 5, 6, 0, 0}));
}

// Tests that Gather refuses bad index types, results and axes, and any
// index into an empty axis.
TEST(LayoutKernelsGpu, GatherRefusesMalformedSteps) {
  Tensor data = randomTensor({3, 2});
  expectRefused(KernelCase("onnx.Gather")
                    .input(data)
                    .input(tensorOf({2}, {0, 1}))
                    .output(DType::F32, {2, 2}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Gather")
                    .input(data)
                    .input(i64s({0, 1}))
                    .output(DType::F32, {2, 3}),
                "shape");
  expectRefused(KernelCase("onnx.Gather")
                    .input(data)
                    .input(i64s({0, 1}))
                    .output(DType::F32, {2, 2})
                    .attr("axis", ints({2})),
                "axis");
  expectRefused(KernelCase("onnx.Gather")
                    .input(data)
                    .input(i64s({0, 1}))
                    .output(DType::I64, {2, 2}),
                "must be f32");
  expectRefused(KernelCase("onnx.Gather")
                    .input(randomTensor({0, 2}))
                    .input(i64s({0}))
                    .output(DType::F32, {1, 2}),
                "out of range");
  expectRefused(KernelCase("onnx.Gather").input(data).output(DType::F32, {2}),
                "operands");
}

//===----------------------------------------------------------------------===//
// Concat, Split
//===----------------------------------------------------------------------===//

// Tests that Concat matches the CPU along every axis (negative ones too),
// with empty operands, a single operand, and every element type.
TEST(LayoutKernelsGpu, ConcatMatchesCpu) {
  KernelCase("onnx.Concat")
      .input(randomTensor({2, 1}))
      .input(randomTensor({2, 0}))
      .input(randomTensor({2, 3}))
      .output(DType::F32, {2, 4})
      .attr("axis", ints({-1}))
      .check();
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.Concat")
        .input(sample(dtype, {3, 5, 7}))
        .input(sample(dtype, {3, 2, 7}))
        .input(sample(dtype, {3, 0, 7}))
        .input(sample(dtype, {3, 1, 7}))
        .output(dtype, {3, 8, 7})
        .attr("axis", ints({-2}))
        .check();
    KernelCase("onnx.Concat")
        .input(sample(dtype, {2, 3}))
        .input(sample(dtype, {1, 3}))
        .output(dtype, {3, 3})
        .attr("axis", ints({0}))
        .check();
    KernelCase("onnx.Concat")
        .input(sample(dtype, {2, 3, 1}))
        .input(sample(dtype, {2, 3, 4}))
        .output(dtype, {2, 3, 5})
        .attr("axis", ints({2}))
        .check();
    // Operand rows that could move in wider units than the result's.
    KernelCase("onnx.Concat")
        .input(sample(dtype, {2, 3, 4}))
        .input(sample(dtype, {2, 3, 1}))
        .output(dtype, {2, 3, 5})
        .attr("axis", ints({2}))
        .check();
  }
  KernelCase("onnx.Concat")
      .input(randomTensor({4, 5}))
      .output(DType::F32, {4, 5})
      .attr("axis", ints({1}))
      .check();
  // The class token before the patches: rows of 16-byte units.
  KernelCase("onnx.Concat")
      .input(randomTensor({2, 1, 768}))
      .input(randomTensor({2, 1200, 768}))
      .output(DType::F32, {2, 1201, 768})
      .attr("axis", ints({1}))
      .check();
  // More operands than one launch takes (32), empty ones among them: a
  // dense block's channels-last concatenation, in 16-byte units, and odd
  // widths, in 4-byte ones.
  for (int64_t growth : {32, 3}) {
    SCOPED_TRACE(growth);
    KernelCase dense("onnx.Concat");
    int64_t channels = 0;
    for (int64_t i = 0; i < 70; ++i) {
      int64_t width = i % 9 == 4 ? 0 : growth * (1 + i % 2);
      dense.input(randomTensor({2, 5, 3, width}));
      channels += width;
    }
    dense.output(DType::F32, {2, 5, 3, channels})
        .attr("axis", ints({3}))
        .check();
  }
}

// Tests that Split matches the CPU with split lengths (i64 and i32, a
// zero-length part), num_outputs with a short last part, and equal parts
// by default, along negative axes and for every element type.
TEST(LayoutKernelsGpu, SplitMatchesCpu) {
  KernelCase("onnx.Split")
      .input(randomTensor({2, 4}))
      .input(i64s({1, 3}))
      .output(DType::F32, {2, 1})
      .output(DType::F32, {2, 3})
      .attr("axis", ints({1}))
      .check();
  KernelCase("onnx.Split")
      .input(randomTensor({7}, -100, 100, DType::I64))
      .noInput()
      .output(DType::I64, {3})
      .output(DType::I64, {3})
      .output(DType::I64, {1})
      .attr("axis", ints({0}))
      .attr("num_outputs", ints({3}))
      .check();
  KernelCase("onnx.Split")
      .input(randomTensor({6}, -100, 100, DType::I64))
      .output(DType::I64, {3})
      .output(DType::I64, {3})
      .check();
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.Split")
        .input(sample(dtype, {3, 5, 7}))
        .input(i32s({2, 0, 3}))
        .output(dtype, {3, 2, 7})
        .output(dtype, {3, 0, 7})
        .output(dtype, {3, 3, 7})
        .attr("axis", ints({-2}))
        .check();
    KernelCase("onnx.Split")
        .input(sample(dtype, {3, 10}))
        .noInput()
        .output(dtype, {3, 4})
        .output(dtype, {3, 4})
        .output(dtype, {3, 2})
        .attr("axis", ints({-1}))
        .attr("num_outputs", ints({3}))
        .check();
    KernelCase("onnx.Split")
        .input(sample(dtype, {2, 3, 5}))
        .input(i64s({4, 1}))
        .output(dtype, {2, 3, 4})
        .output(dtype, {2, 3, 1})
        .attr("axis", ints({2}))
        .check();
  }
  // q, k and v out of one projection.
  KernelCase("onnx.Split")
      .input(randomTensor({2, 577, 2304}))
      .input(i64s({768, 768, 768}))
      .output(DType::F32, {2, 577, 768})
      .output(DType::F32, {2, 577, 768})
      .output(DType::F32, {2, 577, 768})
      .attr("axis", ints({2}))
      .check();
}

// Tests that Concat and Split refuse mismatched shapes and types, bad
// results and split lengths that do not fit.
TEST(LayoutKernelsGpu, ConcatAndSplitRefuseMalformedSteps) {
  Tensor a = randomTensor({2, 1}), b = randomTensor({2, 3});
  expectRefused(KernelCase("onnx.Concat")
                    .input(a)
                    .input(randomTensor({3, 1}))
                    .output(DType::F32, {2, 4})
                    .attr("axis", ints({1})),
                "cannot concatenate");
  expectRefused(KernelCase("onnx.Concat")
                    .input(a)
                    .input(randomTensor({2, 3}, -5, 5, DType::I64))
                    .output(DType::F32, {2, 4})
                    .attr("axis", ints({1})),
                "must be f32");
  expectRefused(KernelCase("onnx.Concat")
                    .input(a)
                    .input(b)
                    .output(DType::F32, {2, 5})
                    .attr("axis", ints({1})),
                "shape");
  expectRefused(KernelCase("onnx.Concat")
                    .input(a)
                    .input(b)
                    .output(DType::F32, {2, 4})
                    .attr("axis", ints({2})),
                "out of range");
  expectRefused(KernelCase("onnx.Concat").output(DType::F32, {2, 4}),
                "operands");

  Tensor out = randomTensor({2, 4});
  expectRefused(KernelCase("onnx.Split")
                    .input(out)
                    .input(i64s({1, 3, 0}))
                    .output(DType::F32, {2, 1})
                    .output(DType::F32, {2, 3})
                    .attr("axis", ints({1})),
                "parts");
  expectRefused(KernelCase("onnx.Split")
                    .input(out)
                    .input(i64s({2, 3}))
                    .output(DType::F32, {2, 2})
                    .output(DType::F32, {2, 1})
                    .attr("axis", ints({1})),
                "sum");
  expectRefused(KernelCase("onnx.Split")
                    .input(out)
                    .input(i64s({2, 3}))
                    .output(DType::F32, {2, 2})
                    .output(DType::F32, {2, 3})
                    .attr("axis", ints({1})),
                "add up");
  expectRefused(KernelCase("onnx.Split")
                    .input(randomTensor({7}))
                    .noInput()
                    .output(DType::F32, {4})
                    .output(DType::F32, {3})
                    .attr("num_outputs", ints({3})),
                "num_outputs");
  expectRefused(KernelCase("onnx.Split")
                    .input(randomTensor({6}))
                    .output(DType::F32, {3})
                    .output(DType::F32, {1}),
                "shape");
  expectRefused(KernelCase("onnx.Split")
                    .input(out)
                    .input(i64s({1, 3}))
                    .output(DType::F32, {2, 1})
                    .output(DType::I64, {2, 3})
                    .attr("axis", ints({1})),
                "must be f32");
}

//===----------------------------------------------------------------------===//
// Views: Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

// Tests that the views copy every element type unchanged: Reshape with 0
// and -1 entries, Flatten at every axis, Squeeze with and without axes
// (negative, empty) and Unsqueeze with negative axes.
TEST(LayoutKernelsGpu, ViewsMatchCpu) {
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    Tensor in = sample(dtype, {2, 3, 37});
    KernelCase("onnx.Reshape")
        .input(in)
        .input(i64s({0, -1}))
        .output(dtype, {2, 111})
        .attr("allowzero", ints({0}))
        .check();
    KernelCase("onnx.Reshape")
        .input(in)
        .input(i32s({222}))
        .output(dtype, {222})
        .check();
    for (int64_t axis : {0, 1, 2, 3, -1, -3}) {
      int64_t normal = axis < 0 ? axis + 3 : axis;
      int64_t rows = 1;
      for (int64_t d = 0; d < normal; ++d)
        rows *= in.shape()[d];
      KernelCase("onnx.Flatten")
          .input(in)
          .output(dtype, {rows, 222 / rows})
          .attr("axis", ints({axis}))
          .check();
    }
    KernelCase("onnx.Flatten").input(in).output(dtype, {2, 111}).check();

    Tensor ones = sample(dtype, {1, 37, 1});
    KernelCase("onnx.Squeeze")
        .input(ones)
        .input(i64s({-1}))
        .output(dtype, {1, 37})
        .check();
    KernelCase("onnx.Squeeze")
        .input(ones)
        .input(i32s({0, 2}))
        .output(dtype, {37})
        .check();
    KernelCase("onnx.Squeeze")
        .input(ones)
        .noInput()
        .output(dtype, {37})
        .check();
    KernelCase("onnx.Squeeze").input(ones).output(dtype, {37}).check();
    KernelCase("onnx.Squeeze")
        .input(ones)
        .input(int64TensorOf({0}, {}))
        .output(dtype, {37})
        .check();

    KernelCase("onnx.Unsqueeze")
        .input(sample(dtype, {37}))
        .input(i64s({0, -1}))
        .output(dtype, {1, 37, 1})
        .check();
    KernelCase("onnx.Unsqueeze")
        .input(sample(dtype, {2, 3}))
        .input(i32s({1}))
        .output(dtype, {2, 1, 3})
        .check();
  }
  KernelCase("onnx.Reshape")
      .input(randomTensor({257, 1031}))
      .input(i64s({-1}))
      .output(DType::F32, {257 * 1031})
      .check();
  KernelCase("onnx.Reshape")
      .input(randomTensor({0, 3}))
      .input(i64s({3, 0}))
      .output(DType::F32, {3, 0})
      .attr("allowzero", ints({1}))
      .check();
}

// Tests that the views refuse element count, type, shape and axis
// mismatches.
TEST(LayoutKernelsGpu, ViewsRefuseMalformedSteps) {
  Tensor in = randomTensor({2, 3, 4});
  expectRefused(KernelCase("onnx.Reshape")
                    .input(in)
                    .input(i64s({2, -1}))
                    .output(DType::F32, {2, 11}),
                "element count");
  expectRefused(KernelCase("onnx.Reshape")
                    .input(in)
                    .input(i64s({2, 3, 4}))
                    .output(DType::F32, {2, 12}),
                "shape");
  expectRefused(KernelCase("onnx.Reshape")
                    .input(in)
                    .input(i64s({2, 12}))
                    .output(DType::I64, {2, 12}),
                "must be f32");
  expectRefused(KernelCase("onnx.Reshape")
                    .input(in)
                    .input(tensorOf({2}, {2, 12}))
                    .output(DType::F32, {2, 12}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.Reshape").input(in).output(DType::F32, {24}),
                "operands");
  expectRefused(
      KernelCase("onnx.Flatten").input(in).output(DType::F32, {1, 24}),
      "shape");
  expectRefused(KernelCase("onnx.Flatten")
                    .input(in)
                    .output(DType::F32, {24, 1})
                    .attr("axis", ints({4})),
                "out of range");

  Tensor ones = randomTensor({1, 3, 1});
  expectRefused(KernelCase("onnx.Squeeze")
                    .input(ones)
                    .input(i64s({1}))
                    .output(DType::F32, {1, 1}),
                "size 1");
  expectRefused(KernelCase("onnx.Squeeze")
                    .input(ones)
                    .input(i64s({0}))
                    .output(DType::F32, {3}),
                "size 1");
  expectRefused(
      KernelCase("onnx.Squeeze").input(ones).output(DType::F32, {1, 3}),
      "shape");
  expectRefused(KernelCase("onnx.Unsqueeze")
                    .input(randomTensor({3}))
                    .input(i64s({0, 1}))
                    .output(DType::F32, {1, 3}),
                "inserted");
  expectRefused(KernelCase("onnx.Unsqueeze")
                    .input(randomTensor({3}))
                    .input(i64s({0}))
                    .output(DType::F32, {3, 2}),
                "inserted");
  expectRefused(KernelCase("onnx.Unsqueeze")
                    .input(randomTensor({3}))
                    .output(DType::F32, {1, 3}),
                "operands");
}

//===----------------------------------------------------------------------===//
// Shape, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

// Tests that Shape matches the CPU for clamped and negative start and end,
// empty slices, and ranks above what one launch writes.
TEST(LayoutKernelsGpu, ShapeMatchesCpu) {
  Tensor in(DType::F32, {1, 256, 25, 38});
  KernelCase("onnx.Shape").input(in).output(DType::I64, {4}).check();
  KernelCase("onnx.Shape")
      .input(in)
      .output(DType::I64, {2})
      .attr("start", ints({-2}))
      .check();
  KernelCase("onnx.Shape")
      .input(in)
      .output(DType::I64, {1})
      .attr("start", ints({1}))
      .attr("end", ints({-2}))
      .check();
  KernelCase("onnx.Shape")
      .input(in)
      .output(DType::I64, {1})
      .attr("start", ints({-100}))
      .attr("end", ints({1}))
      .check();
  KernelCase("onnx.Shape")
      .input(in)
      .output(DType::I64, {0})
      .attr("start", ints({3}))
      .attr("end", ints({2}))
      .check();
  Tensor deep =
      randomTensor({1, 2, 1, 3, 1, 1, 2, 1, 1, 4, 1, 2}, 0, 1, DType::U8);
  KernelCase("onnx.Shape").input(deep).output(DType::I64, {12}).check();
  KernelCase("onnx.Shape")
      .input(deep)
      .output(DType::I64, {9})
      .attr("start", ints({1}))
      .attr("end", ints({-2}))
      .check();
  KernelCase("onnx.Shape")
      .input(Tensor(DType::F32, {}))
      .output(DType::I64, {0})
      .check();
}

// Tests that Shape refuses results of another type or length.
TEST(LayoutKernelsGpu, ShapeRefusesMalformedSteps) {
  Tensor in(DType::F32, {1, 256, 25, 38});
  expectRefused(KernelCase("onnx.Shape").input(in).output(DType::F32, {4}),
                "must be i64");
  expectRefused(KernelCase("onnx.Shape").input(in).output(DType::I64, {3}),
                "shape");
  expectRefused(KernelCase("onnx.Shape").output(DType::I64, {3}), "operands");
}

// Tests that ConstantOfShape fills every element type with the value given
// as an integer or a float, and with zeros by default.
TEST(LayoutKernelsGpu, ConstantOfShapeMatchesCpu) {
  Tensor dims = i64s({2, 3});
  KernelCase("onnx.ConstantOfShape")
      .input(dims)
      .output(DType::I64, {2, 3})
      .attr("value", ints({1}))
      .check();
  KernelCase("onnx.ConstantOfShape")
      .input(dims)
      .output(DType::F32, {2, 3})
      .check();
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    KernelCase("onnx.ConstantOfShape")
        .input(i32s({37, 1001}))
        .output(dtype, {37, 1001})
        .attr("value", real(-3.25))
        .check();
    KernelCase("onnx.ConstantOfShape")
        .input(i64s({5, 1, 7}))
        .output(dtype, {5, 1, 7})
        .attr("value", ints({-7}))
        .check();
  }
  KernelCase("onnx.ConstantOfShape")
      .input(int64TensorOf({0}, {}))
      .output(DType::F32, {})
      .attr("value", real(0.5))
      .check();
  KernelCase("onnx.ConstantOfShape")
      .input(i64s({3, 0}))
      .output(DType::F32, {3, 0})
      .check();
}

// Tests that ConstantOfShape refuses shapes of the wrong length or type
// and values with more than one element.
TEST(LayoutKernelsGpu, ConstantOfShapeRefusesMalformedSteps) {
  expectRefused(KernelCase("onnx.ConstantOfShape")
                    .input(i64s({2, 3}))
                    .output(DType::F32, {6}),
                "entries");
  expectRefused(KernelCase("onnx.ConstantOfShape")
                    .input(i64s({2, 3}))
                    .output(DType::F32, {2, 3})
                    .attr("value", ints({1, 2})),
                "one element");
  expectRefused(KernelCase("onnx.ConstantOfShape")
                    .input(tensorOf({2}, {2, 3}))
                    .output(DType::F32, {2, 3}),
                "i64 or i32");
  expectRefused(KernelCase("onnx.ConstantOfShape").output(DType::F32, {2, 3}),
                "operands");
}

// Tests that Range matches the CPU for every element type, rising and
// falling ranges, empty ones and ranges longer than the grid.
TEST(LayoutKernelsGpu, RangeMatchesCpu) {
  KernelCase("onnx.Range")
      .input(int64TensorOf({}, {1}))
      .input(int64TensorOf({}, {10}))
      .input(int64TensorOf({}, {3}))
      .output(DType::I64, {3})
      .check();
  KernelCase("onnx.Range")
      .input(tensorOf({}, {10}))
      .input(tensorOf({}, {4}))
      .input(tensorOf({}, {-2}))
      .output(DType::F32, {3})
      .check();
  KernelCase("onnx.Range")
      .input(int32TensorOf({1}, {5}))
      .input(int32TensorOf({1}, {-100}))
      .input(int32TensorOf({1}, {-3}))
      .output(DType::I32, {35})
      .check();
  KernelCase("onnx.Range")
      .input(doubleTensorOf({}, {0.5}))
      .input(doubleTensorOf({}, {7.25}))
      .input(doubleTensorOf({}, {0.125}))
      .output(DType::F64, {54})
      .check();
  KernelCase("onnx.Range")
      .input(tensorOf({}, {-3}))
      .input(tensorOf({}, {997}))
      .input(tensorOf({}, {0.25f}))
      .output(DType::F32, {4000})
      .check();
  KernelCase("onnx.Range")
      .input(int64TensorOf({}, {0}))
      .input(int64TensorOf({}, {3000000}))
      .input(int64TensorOf({}, {1}))
      .output(DType::I64, {3000000})
      .check();
  KernelCase("onnx.Range")
      .input(int64TensorOf({}, {5}))
      .input(int64TensorOf({}, {5}))
      .input(int64TensorOf({}, {1}))
      .output(DType::I64, {0})
      .check();
}

// Tests that a zero delta, or a range whose length is not the result's,
// gives zeros, as the CPU refuses both.
TEST(LayoutKernelsGpu, RangeWritesZerosForRefusedValues) {
  expectZeros(KernelCase("onnx.Range")
                  .input(int64TensorOf({}, {1}))
                  .input(int64TensorOf({}, {10}))
                  .input(int64TensorOf({}, {0}))
                  .output(DType::I64, {3}));
  expectZeros(KernelCase("onnx.Range")
                  .input(tensorOf({}, {1}))
                  .input(tensorOf({}, {10}))
                  .input(tensorOf({}, {3}))
                  .output(DType::F32, {4}));
}

// Tests that Range refuses mismatched types, operands that are not
// scalars, results that are not 1-D and unsupported element types.
TEST(LayoutKernelsGpu, RangeRefusesMalformedSteps) {
  Tensor one = int64TensorOf({}, {1});
  expectRefused(KernelCase("onnx.Range")
                    .input(one)
                    .input(tensorOf({}, {4}))
                    .input(one)
                    .output(DType::I64, {3}),
                "must be");
  expectRefused(KernelCase("onnx.Range")
                    .input(int64TensorOf({2}, {1, 2}))
                    .input(one)
                    .input(one)
                    .output(DType::I64, {3}),
                "scalar");
  expectRefused(KernelCase("onnx.Range")
                    .input(one)
                    .input(one)
                    .input(one)
                    .output(DType::I64, {1, 3}),
                "1-D");
  Tensor byte = randomTensor({}, 1, 1, DType::U8);
  expectRefused(KernelCase("onnx.Range")
                    .input(byte)
                    .input(byte)
                    .input(byte)
                    .output(DType::U8, {3}),
                "unsupported");
  expectRefused(
      KernelCase("onnx.Range").input(one).input(one).output(DType::I64, {3}),
      "operands");
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// A Resize step with scales (f32) or sizes (i64); the roi is omitted.
KernelCase resize(Tensor in, std::vector<float> scales,
                  std::vector<int64_t> sizes, DType dtype,
                  std::vector<int64_t> outShape) {
  KernelCase c("onnx.Resize");
  c.input(std::move(in)).noInput();
  if (scales.empty())
    c.noInput();
  else
    c.input(tensorOf({static_cast<int64_t>(scales.size())}, scales));
  if (!sizes.empty())
    c.input(i64s(sizes));
  c.output(dtype, std::move(outShape));
  return c;
}

std::vector<float> oneTo(int n) {
  std::vector<float> values(n);
  std::iota(values.begin(), values.end(), 1.0f);
  return values;
}

// Tests that Resize matches the CPU on the ONNX spec's nearest and linear
// examples (scales and sizes, every coordinate transformation and nearest
// mode the CPU supports, opset-18 axes).
TEST(LayoutKernelsGpu, ResizeSpecExamples) {
  Tensor two = tensorOf({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor wide = tensorOf({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor square = tensorOf({1, 1, 4, 4}, oneTo(16));
  resize(two, {1, 1, 2, 3}, {}, DType::F32, {1, 1, 4, 6})
      .attr("mode", str("nearest"))
      .check();
  resize(wide, {1, 1, 0.6f, 0.6f}, {}, DType::F32, {1, 1, 1, 2})
      .attr("mode", str("nearest"))
      .check();
  resize(two, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
      .attr("mode", str("linear"))
      .check();
  resize(two, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
      .attr("mode", str("linear"))
      .attr("coordinate_transformation_mode", str("align_corners"))
      .check();
  resize(wide, {1, 1, 0.6f, 0.6f}, {}, DType::F32, {1, 1, 1, 2})
      .attr("mode", str("linear"))
      .check();
  resize(square, {}, {1, 1, 3, 1}, DType::F32, {1, 1, 3, 1})
      .attr("mode", str("linear"))
      .attr("coordinate_transformation_mode", str("pytorch_half_pixel"))
      .check();
  resize(square, {}, {1, 1, 8, 8}, DType::F32, {1, 1, 8, 8})
      .attr("mode", str("nearest"))
      .attr("coordinate_transformation_mode", str("half_pixel"))
      .attr("nearest_mode", str("ceil"))
      .check();
  resize(square, {}, {1, 1, 8, 8}, DType::F32, {1, 1, 8, 8})
      .attr("mode", str("nearest"))
      .attr("coordinate_transformation_mode", str("align_corners"))
      .attr("nearest_mode", str("floor"))
      .check();
  resize(square, {}, {1, 1, 8, 8}, DType::F32, {1, 1, 8, 8})
      .attr("mode", str("nearest"))
      .attr("coordinate_transformation_mode", str("asymmetric"))
      .attr("nearest_mode", str("round_prefer_ceil"))
      .check();
  resize(two, {}, {4, 6}, DType::F32, {1, 1, 4, 6})
      .attr("mode", str("nearest"))
      .attr("axes", ints({2, 3}))
      .check();
  resize(two, {2, 3}, {}, DType::F32, {1, 1, 4, 6})
      .attr("mode", str("linear"))
      .attr("axes", ints({-2, -1}))
      .check();
}

// Tests every coordinate transformation with every nearest mode and with
// linear mode, on axes that grow and shrink by ratios that are not whole.
TEST(LayoutKernelsGpu, ResizeEveryModeMatchesCpu) {
  const char *transforms[] = {"half_pixel", "pytorch_half_pixel",
                              "align_corners", "asymmetric"};
  const char *nearestModes[] = {"round_prefer_floor", "round_prefer_ceil",
                                "floor", "ceil"};
  Tensor in = randomTensor({1, 2, 7, 9});
  for (const char *transform : transforms) {
    SCOPED_TRACE(transform);
    for (const char *nearest : nearestModes) {
      SCOPED_TRACE(nearest);
      resize(in, {}, {1, 2, 16, 5}, DType::F32, {1, 2, 16, 5})
          .attr("mode", str("nearest"))
          .attr("coordinate_transformation_mode", str(transform))
          .attr("nearest_mode", str(nearest))
          .check();
      resize(in, {1, 1, 2.5f, 0.7f}, {}, DType::F32, {1, 2, 17, 6})
          .attr("mode", str("nearest"))
          .attr("coordinate_transformation_mode", str(transform))
          .attr("nearest_mode", str(nearest))
          .check();
    }
    resize(in, {}, {1, 2, 16, 5}, DType::F32, {1, 2, 16, 5})
        .attr("mode", str("linear"))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
    resize(in, {1, 1, 2.5f, 0.7f}, {}, DType::F32, {1, 2, 17, 6})
        .attr("mode", str("linear"))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
    // Three axes blend at once: eight corners.
    resize(randomTensor({3, 4, 5}), {}, {5, 7, 2}, DType::F32, {5, 7, 2})
        .attr("mode", str("linear"))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
    // Scales to one row: the resized length is in * scale (1.5), not 1.
    resize(randomTensor({1, 2, 3, 4}), {1, 1, 0.5f, 1.25f}, {}, DType::F32,
           {1, 2, 1, 5})
        .attr("mode", str("linear"))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
  }
}

// Tests cubic mode (its coefficient, exclude_outside), antialias,
// half_pixel_symmetric, tf_crop_and_resize (roi, extrapolation, also of
// integers) and keep_aspect_ratio_policy against the CPU, on axes that
// grow and shrink by ratios that are not whole.
TEST(LayoutKernelsGpu, ResizeCubicAntialiasAndCropMatchCpu) {
  Tensor in = randomTensor({1, 2, 7, 9});
  for (const char *transform :
       {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
        "half_pixel_symmetric"}) {
    SCOPED_TRACE(transform);
    resize(in, {}, {1, 2, 16, 5}, DType::F32, {1, 2, 16, 5})
        .attr("mode", str("cubic"))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
    resize(in, {1, 1, 2.5f, 0.7f}, {}, DType::F32, {1, 2, 17, 6})
        .attr("mode", str("cubic"))
        .attr("cubic_coeff_a", real(-0.5))
        .attr("exclude_outside", ints({1}))
        .attr("coordinate_transformation_mode", str(transform))
        .check();
    for (const char *mode : {"linear", "cubic"})
      resize(in, {1, 1, 0.3f, 0.45f}, {}, DType::F32, {1, 2, 2, 4})
          .attr("mode", str(mode))
          .attr("antialias", ints({1}))
          .attr("coordinate_transformation_mode", str(transform))
          .check();
  }
  resize(randomTensor({2, 3, 11, 17}, -1000, 1000, DType::F64), {}, {4, 6},
         DType::F64, {2, 3, 4, 6})
      .attr("mode", str("cubic"))
      .attr("antialias", ints({1}))
      .attr("axes", ints({2, 3}))
      .check();
  // One scale for both axes: the least (4 / 7) or the greatest (20 / 9)
  // ratio, the sizes rounded half up from it.
  resize(in, {}, {4, 20}, DType::F32, {1, 2, 4, 5})
      .attr("mode", str("linear"))
      .attr("axes", ints({2, 3}))
      .attr("keep_aspect_ratio_policy", str("not_larger"))
      .check();
  resize(in, {}, {4, 20}, DType::F32, {1, 2, 16, 20})
      .attr("mode", str("cubic"))
      .attr("axes", ints({2, 3}))
      .attr("keep_aspect_ratio_policy", str("not_smaller"))
      .check();
  // A crop that reaches outside the input on both sides.
  Tensor roi = tensorOf({8}, {0, 0, 0.2f, -0.1f, 1, 1, 0.9f, 1.3f});
  for (const char *mode : {"nearest", "linear", "cubic"})
    KernelCase("onnx.Resize")
        .input(in)
        .input(roi)
        .noInput()
        .input(i64s({1, 2, 5, 6}))
        .output(DType::F32, {1, 2, 5, 6})
        .attr("mode", str(mode))
        .attr("coordinate_transformation_mode", str("tf_crop_and_resize"))
        .attr("extrapolation_value", real(-3))
        .check();
  KernelCase("onnx.Resize")
      .input(sample(DType::I32, {1, 2, 7, 9}))
      .input(roi)
      .noInput()
      .input(i64s({1, 2, 5, 6}))
      .output(DType::I32, {1, 2, 5, 6})
      .attr("mode", str("nearest"))
      .attr("coordinate_transformation_mode", str("tf_crop_and_resize"))
      .attr("extrapolation_value", real(-3))
      .check();
}

// Tests that nearest Resize moves every element type (the padding mask is
// a bool image) and that linear Resize works in f64, at sizes larger than
// the grid.
TEST(LayoutKernelsGpu, ResizeElementTypesAndLargeTensors) {
  for (DType dtype : kAllTypes) {
    SCOPED_TRACE(dtypeName(dtype));
    resize(sample(dtype, {1, 3, 50, 61}), {1, 1, 0.5f, 0.75f}, {}, dtype,
           {1, 3, 25, 45})
        .attr("mode", str("nearest"))
        .check();
    resize(sample(dtype, {1, 1, 4, 6}), {}, {1, 1, 2, 3}, dtype, {1, 1, 2, 3})
        .attr("mode", str("nearest"))
        .attr("coordinate_transformation_mode", str("asymmetric"))
        .attr("nearest_mode", str("floor"))
        .check();
  }
  resize(randomTensor({1, 2, 19, 23}, -1, 1, DType::F64), {1, 1, 1.5f, 0.5f},
         {}, DType::F64, {1, 2, 28, 11})
      .attr("mode", str("linear"))
      .attr("coordinate_transformation_mode", str("align_corners"))
      .check();
  resize(randomTensor({2, 3, 37, 45}), {}, {2, 3, 74, 90}, DType::F32,
         {2, 3, 74, 90})
      .attr("mode", str("linear"))
      .check();
  resize(randomTensor({1, 4, 200, 300}), {}, {1, 4, 800, 1216}, DType::F32,
         {1, 4, 800, 1216})
      .attr("mode", str("linear"))
      .check();
  resize(randomTensor({1, 1, 800, 1216}, 0, 1, DType::Bool), {}, {1, 1, 25, 38},
         DType::Bool, {1, 1, 25, 38})
      .attr("mode", str("nearest"))
      .check();
}

// Tests that scales the CPU refuses (not positive, NaN, or not giving the
// result's shape) give a zero result.
TEST(LayoutKernelsGpu, ResizeWritesZerosForRefusedScales) {
  Tensor in = randomTensor({1, 1, 2, 2});
  expectZeros(resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 3}));
  expectZeros(resize(in, {1, 1, -2, 2}, {}, DType::F32, {1, 1, 4, 4})
                  .attr("mode", str("linear")));
  expectZeros(resize(in, {1, 1, std::numeric_limits<float>::quiet_NaN(), 2}, {},
                     DType::F32, {1, 1, 4, 4}));
}

// Tests that Resize refuses unsupported modes, both or neither of scales
// and sizes, operands of the wrong length, linear integer resizes and
// results that do not fit.
TEST(LayoutKernelsGpu, ResizeRefusesMalformedSteps) {
  Tensor in = randomTensor({1, 1, 2, 2});
  expectRefused(resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
                    .attr("mode", str("bicubic")),
                "mode");
  expectRefused(
      resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
          .attr("coordinate_transformation_mode", str("tf_half_pixel_for_nn")),
      "coordinate_transformation_mode");
  // tf_crop_and_resize without its roi (resize() omits it).
  expectRefused(
      resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
          .attr("coordinate_transformation_mode", str("tf_crop_and_resize")),
      "needs roi");
  expectRefused(resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
                    .attr("nearest_mode", str("round")),
                "nearest_mode");
  expectRefused(resize(in, {1, 1, 2, 2}, {}, DType::F32, {1, 1, 4, 4})
                    .attr("antialias", ints({1})),
                "antialias");
  expectRefused(
      resize(in, {1, 1, 2, 2}, {1, 1, 4, 4}, DType::F32, {1, 1, 4, 4}),
      "exactly one");
  expectRefused(resize(in, {}, {}, DType::F32, {1, 1, 4, 4}), "exactly one");
  expectRefused(resize(randomTensor({1, 1, 2, 2}, -5, 5, DType::I64),
                       {1, 1, 2, 2}, {}, DType::I64, {1, 1, 4, 4})
                    .attr("mode", str("linear")),
                "unsupported");
  expectRefused(resize(in, {1, 2, 2}, {}, DType::F32, {1, 1, 4, 4}),
                "one entry per axis");
  expectRefused(resize(in, {}, {4, 4}, DType::F32, {1, 1, 4, 4}),
                "one entry per axis");
  expectRefused(resize(in, {}, {1, 1, 4, 4}, DType::F32, {1, 4, 4}), "rank");
  expectRefused(resize(in, {}, {4, 4}, DType::F32, {1, 2, 4, 4})
                    .attr("axes", ints({2, 3})),
                "expected");
  expectRefused(resize(in, {}, {1, 1, 4, 4}, DType::F64, {1, 1, 4, 4}),
                "must be f32");
  expectRefused(resize(randomTensor({1, 0, 2, 2}), {}, {1, 2, 4, 4}, DType::F32,
                       {1, 2, 4, 4}),
                "empty axis");
}

} // namespace
