//===- Tensor.cpp - Element types and host tensors ------------------------===//

#include "intr/runtime/Tensor.h"
#include "CPU/ElementwiseSupport.h"

#include <cassert>
#include <limits>
#include <new>
#include <sstream>

namespace intr {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I8:
  case DType::U8:
  case DType::Bool:
    return 1;
  }
  return 0;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F64:
    return "f64";
  case DType::I64:
    return "i64";
  case DType::I32:
    return "i32";
  case DType::I8:
    return "i8";
  case DType::U8:
    return "u8";
  case DType::Bool:
    return "bool";
  }
  return "?";
}

int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t size : shape)
    if (__builtin_mul_overflow(count, size, &count))
      return std::numeric_limits<int64_t>::max();
  return count;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : type(dtype), dims(std::move(shape)) {
  for (int64_t size : dims)
    assert(size >= 0 && "negative tensor size");
  // A count past what memory could hold is an allocation that fails, not
  // a product that wraps around to a small buffer.
  size_t size = 0;
  const int64_t count = elementCount(dims);
  if (count < 0 || count == std::numeric_limits<int64_t>::max() ||
      __builtin_mul_overflow(static_cast<size_t>(count), dtypeSize(dtype),
                             &size) ||
      size > bytes.max_size())
    throw std::bad_alloc();
  bytes.resize(size);
}

Tensor toFloat32(const Tensor &tensor) {
  if (tensor.dtype() == DType::F32)
    return tensor;
  if (tensor.dtype() == DType::F64) {
    Tensor result(DType::F32, tensor.shape());
    const double *in = tensor.data<double>();
    float *out = result.data<float>();
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      out[i] = static_cast<float>(in[i]);
    return result;
  }
  if (tensor.dtype() != DType::F16 && tensor.dtype() != DType::BF16)
    return Tensor();
  Tensor result(DType::F32, tensor.shape());
  const auto *bits = tensor.data<uint16_t>();
  float *out = result.data<float>();
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    out[i] = tensor.dtype() == DType::F16 ? cpu::halfToFloat({bits[i]})
                                          : cpu::bfloat16ToFloat({bits[i]});
  return result;
}

Tensor fromFloat32(const Tensor &tensor, DType dtype) {
  if (tensor.dtype() != DType::F32)
    return Tensor();
  if (dtype == DType::F32)
    return tensor;
  if (dtype == DType::F64) {
    Tensor result(DType::F64, tensor.shape());
    const float *in = tensor.data<float>();
    double *out = result.data<double>();
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      out[i] = in[i];
    return result;
  }
  if (dtype != DType::F16 && dtype != DType::BF16)
    return Tensor();
  Tensor result(dtype, tensor.shape());
  const float *in = tensor.data<float>();
  auto *bits = result.data<uint16_t>();
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    bits[i] = dtype == DType::F16 ? cpu::halfFromFloat(in[i]).bits
                                  : cpu::bfloat16FromFloat(in[i]).bits;
  return result;
}

} // namespace intr
