//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Model inputs and outputs travel as .npy files between the runtime, the
// command-line tools and the PyTorch reference (versions 1.0, 2.0 and 3.0 of
// the format, little-endian, C order).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_RUNTIME_NPY_H
#define INTR_RUNTIME_NPY_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Export.h"
#include "intr/runtime/Tensor.h"

#include <cstddef>
#include <string>

namespace intr {

/// Reads a .npy file. Errors name the file and what is wrong with it.
INTR_API Expected<Tensor> loadNpy(const std::string &path);

/// Parses the bytes of a .npy file; `name` is used in error messages.
INTR_API Expected<Tensor> parseNpy(const void *data, size_t size,
                                   const std::string &name);

/// Writes `tensor` as a version 1.0 .npy file.
INTR_API Status saveNpy(const std::string &path, const Tensor &tensor);

} // namespace intr

#endif // INTR_RUNTIME_NPY_H
