//===- Tensor.h - Element types and host tensors ----------------*- C++ -*-===//

#ifndef INTR_RUNTIME_TENSOR_H
#define INTR_RUNTIME_TENSOR_H

#include "intr/runtime/Export.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace intr {

/// Element types of model inputs, outputs and weights.
enum class DType : uint8_t { F32, F16, BF16, F64, I64, I32, I8, U8, Bool };

/// Size of one element in bytes.
INTR_API size_t dtypeSize(DType dtype);
/// Lower-case name, as in "f32" or "bool".
INTR_API const char *dtypeName(DType dtype);

/// Product of the sizes; 1 for a scalar (empty shape). INT64_MAX where the
/// product does not fit in it (a shape from a file is checked first).
INTR_API int64_t elementCount(const std::vector<int64_t> &shape);
/// "[1, 3, 800, 1216]".
INTR_API std::string formatShape(const std::vector<int64_t> &shape);

/// A dense, row-major tensor in host memory that owns its elements.
class INTR_API Tensor {
public:
  Tensor() = default;
  /// Zero-filled; sizes must be non-negative. Throws std::bad_alloc where
  /// its bytes cannot be had, as when their count does not fit a size_t.
  Tensor(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return type; }
  const std::vector<int64_t> &shape() const { return dims; }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  int64_t numElements() const { return elementCount(dims); }
  size_t sizeInBytes() const { return bytes.size(); }

  void *rawData() { return bytes.data(); }
  const void *rawData() const { return bytes.data(); }

  /// Typed access; the caller picks T matching dtype() (float for F32, ...).
  template <typename T> T *data() {
    return reinterpret_cast<T *>(bytes.data());
  }
  template <typename T> const T *data() const {
    return reinterpret_cast<const T *>(bytes.data());
  }

private:
  DType type = DType::F32;
  std::vector<int64_t> dims;
  // operator new aligns to 16 bytes: typed access is aligned for every dtype.
  std::vector<std::byte> bytes;
};

/// A copy of an f32, f16, bf16 or f64 tensor with f32 elements, for code
/// that reads outputs the executable stores in f16 or bf16 (intr-opt
/// compile --attention-dtype fp16) or in f64 (a model exported in double);
/// an empty tensor for any other dtype.
INTR_API Tensor toFloat32(const Tensor &tensor);

/// A copy of an f32 tensor with `dtype` elements (f32, f16 or bf16, rounded
/// to nearest even, or f64), for an input an executable takes in half or
/// double precision (a model exported in f16 or f64); an empty tensor for
/// any other pair of dtypes.
INTR_API Tensor fromFloat32(const Tensor &tensor, DType dtype);

} // namespace intr

#endif // INTR_RUNTIME_TENSOR_H
