//===- KernelTestSupport.h - Shared CPU kernel test helpers -----*- C++ -*-===//
//
// Helpers that the CPU kernel tests need alike: building and reading
// tensors, calling a kernel of KernelRegistry::cpu() on them, building
// attribute values, checking a Status (EXPECT_OK, EXPECT_ERROR), and the
// random corrupted-step fuzzer that every kernel family must survive.
//
//   Tensor a = ..., b = ..., c = ...;
//   AttrMap attrs;
//   attrs.set("axes", ints({0, 2}));
//   EXPECT_TRUE(run("onnx.Add", {&a, &b}, {&c}, attrs).isOk());
//
//===----------------------------------------------------------------------===//

#ifndef INTR_UNITTESTS_RUNTIME_CPU_KERNELTESTSUPPORT_H
#define INTR_UNITTESTS_RUNTIME_CPU_KERNELTESTSUPPORT_H

#include "CPU/Kernel.h"
#include "intr/runtime/Error.h"
#include "intr/runtime/Tensor.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace intr::cpu::kerneltest {

/// A tensor of `dtype` and `shape` holding `values` (which must fill it
/// exactly; a mismatch is a test failure).
template <typename T>
Tensor make(DType dtype, std::vector<int64_t> shape, std::vector<T> values) {
  Tensor t(dtype, std::move(shape));
  EXPECT_EQ(values.size() * sizeof(T), t.sizeInBytes());
  if (values.size() * sizeof(T) == t.sizeInBytes() && !values.empty())
    std::memcpy(t.rawData(), values.data(), t.sizeInBytes());
  return t;
}

/// The elements of `t` as T.
template <typename T> std::vector<T> read(const Tensor &t) {
  std::vector<T> values(t.sizeInBytes() / sizeof(T));
  if (!values.empty())
    std::memcpy(values.data(), t.rawData(), t.sizeInBytes());
  return values;
}

/// A non-owning view of `t` as a kernel sees it; a null `t` gives an empty
/// TensorArg, which is how a step passes an omitted optional operand.
TensorArg view(Tensor *t);

/// Looks `op` up in KernelRegistry::cpu() and calls its kernel on views of
/// `ins` and `outs`, so a test can drive one kernel without an executable.
/// A null operand is an omitted optional one. Returns an Error when no
/// kernel is registered under `op`.
Status run(const std::string &op, std::vector<Tensor *> ins,
           std::vector<Tensor *> outs, const AttrMap &attrs = AttrMap(),
           int threads = 1);

/// The same with the operands and results given as views, which a test of
/// malformed steps can edit; null views are omitted optional ones.
Status runViews(const std::string &op, const std::vector<TensorArg> &inputs,
                const std::vector<TensorArg> &outputs, const AttrMap &attrs,
                int threads = 2);

/// An f32 tensor of uniform random values in [lo, hi), from one generator
/// with a fixed seed (so a test binary sees the same values every run).
Tensor randomTensor(std::vector<int64_t> shape, float lo = -1.0f,
                    float hi = 1.0f);
/// A view of `t` (view(&t)).
TensorArg arg(Tensor &t);
/// An omitted optional operand or result.
TensorArg none();

/// Runs `op`, which must refuse the step with an Error naming the kernel
/// and mentioning `what`.
void expectError(const std::string &op, const std::vector<TensorArg> &inputs,
                 const std::vector<TensorArg> &outputs, const AttrMap &attrs,
                 const std::string &what);
/// f32 `actual` matches `expected` within `tolerance` relative to
/// max(1, |expected|) (the first 5 differences are reported).
void expectClose(const Tensor &actual, const std::vector<double> &expected,
                 double tolerance = 1e-4);

/// An integer-list attribute (also a scalar int or bool: a list of one).
AttrValue ints(std::vector<int64_t> values);
/// A float-list attribute (a scalar float is a list of one).
AttrValue floats(std::vector<double> values);
/// A float attribute.
AttrValue real(double value);
/// A string attribute.
AttrValue str(std::string value);

/// Calls `op` (with `numIn` operands and `numOut` results) 400 times with
/// random small shapes, element types, integer contents and attributes, as
/// a corrupted executable could, from a generator seeded with `seed`. Every
/// buffer is as large as its shape says, and the kernel must either succeed
/// or return an Error without touching anything else: the test passes when
/// nothing crashes, and the sanitizer builds check the memory accesses.
/// The attributes cover those of the elementwise, reduction and layout
/// kernels and of the convolution and pooling adapters (Adapters.h), which
/// is why their tests share it.
void fuzzCorruptSteps(const std::string &op, size_t numIn, size_t numOut,
                      unsigned seed);

} // namespace intr::cpu::kerneltest

/// A Status expression succeeds, or fails with a message containing `text`.
#define EXPECT_OK(expr)                                                        \
  do {                                                                         \
    Status s_ = (expr);                                                        \
    EXPECT_TRUE(s_.isOk()) << s_.error().message();                            \
  } while (0)
#define EXPECT_ERROR(expr, text)                                               \
  do {                                                                         \
    Status s_ = (expr);                                                        \
    ASSERT_FALSE(s_.isOk());                                                   \
    EXPECT_NE(s_.error().message().find(text), std::string::npos)              \
        << s_.error().message();                                               \
  } while (0)

#endif // INTR_UNITTESTS_RUNTIME_CPU_KERNELTESTSUPPORT_H
