//===- JpegDecoder.h - JPEG photos through libjpeg ---------------*- C++
//-*-===//
//
// JPEG decoding with libjpeg(-turbo)'s default settings (the accurate
// integer IDCT, fancy chroma upsampling), which is what PIL runs: the same
// pixels as the reference pipeline's, where stb_image's own decoder differs
// by a few steps.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_JPEGDECODER_H
#define INTR_LIB_RUNTIME_JPEGDECODER_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Image.h"

#include <cstdint>
#include <string>

namespace intr {

/// Decodes the JPEG file at `path` to RGB as PIL's Image.open(path)
/// .convert("RGB") does: grey replicated, CMYK (inverted, as Adobe writes
/// it) converted by PIL's formula. Refuses more than `maxPixels` pixels and
/// a file that ends before its image does.
Expected<Image> decodeJpeg(const std::string &path, int64_t maxPixels);

} // namespace intr

#endif // INTR_LIB_RUNTIME_JPEGDECODER_H
