//===- JpegDecoder.cpp - JPEG photos through libjpeg ----------------------===//

#include "JpegDecoder.h"

#include <csetjmp>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

namespace intr {

namespace {

/// libjpeg's error manager, extended with where to jump on an error (its
/// default calls exit()) and the message.
struct Errors {
  jpeg_error_mgr manager; // first: libjpeg hands &manager back as info->err
  std::jmp_buf escape;
  char message[JMSG_LENGTH_MAX] = {};
  bool tooLarge = false;
};

[[noreturn]] void fail(j_common_ptr info) {
  Errors *errors = reinterpret_cast<Errors *>(info->err);
  info->err->format_message(info, errors->message);
  std::longjmp(errors->escape, 1);
}

/// A file that ends before its last row is an error, as PIL raises one
/// ("image file is truncated"); libjpeg only warns and fills the rest with
/// grey. So is one that ends right after its rows, without its end marker
/// (libjpeg's "premature end"; PIL refuses it too); one with other bytes
/// after its rows, and other warnings about corrupt data (extraneous
/// bytes before a marker), pass, as in PIL.
void message(j_common_ptr info, int level) {
  auto *decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (level == -1 && info->err->msg_code == JWRN_JPEG_EOF &&
      decompress->output_scanline < decompress->output_height)
    fail(info);
}

/// PIL's CMYK to RGB: each colour is (255 - K) less its share of C, M or
/// Y, the product divided by 255 with rounding as PIL's MULDIV255 does.
uint8_t cmykToRgb(int colour, int black) {
  int white = 255 - black;
  int product = colour * white + 128;
  return static_cast<uint8_t>(white - (((product >> 8) + product) >> 8));
}

/// The decode between setjmp and any longjmp: no C++ object of this frame
/// may need destroying when libjpeg jumps out (`image` and `row` live in the
/// caller's). False on an error, with `errors` telling which.
bool decode(std::FILE *file, jpeg_decompress_struct &info, Errors &errors,
            int64_t maxPixels, Image &image, std::vector<uint8_t> &row) {
  if (setjmp(errors.escape))
    return false;
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, file);
  jpeg_read_header(&info, TRUE);
  if (int64_t(info.image_width) * info.image_height > maxPixels) {
    errors.tooLarge = true;
    return false;
  }
  // Four channels are CMYK (YCCK converted to it); PIL reads them as
  // Adobe's inverted CMYK whatever the file's markers say.
  const bool cmyk = info.num_components == 4;
  info.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  // The pixels' memory before libjpeg's own (a progressive file's whole
  // coefficients), so that running out of it leaves nothing to undo.
  image.width = static_cast<int>(info.image_width);
  image.height = static_cast<int>(info.image_height);
  image.rgb.resize(size_t(image.width) * image.height * 3);
  row.resize(size_t(image.width) * (cmyk ? 4 : 3));
  jpeg_start_decompress(&info);
  while (info.output_scanline < info.output_height) {
    uint8_t *out =
        image.rgb.data() + size_t(info.output_scanline) * image.width * 3;
    JSAMPROW rows[1] = {cmyk ? row.data() : out};
    jpeg_read_scanlines(&info, rows, 1);
    if (cmyk)
      for (int x = 0; x < image.width; ++x)
        for (int c = 0; c < 3; ++c)
          out[x * 3 + c] =
              cmykToRgb(255 - row[x * 4 + c], 255 - row[x * 4 + 3]);
  }
  jpeg_finish_decompress(&info);
  return true;
}

} // namespace

Expected<Image> decodeJpeg(const std::string &path, int64_t maxPixels) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return Error(path + ": cannot open the image file");
  // Zeroed, so that destroying it is safe however early the decode fails.
  jpeg_decompress_struct info = {};
  Errors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = fail;
  errors.manager.emit_message = message;
  Image image;
  std::vector<uint8_t> row;
  bool decoded = false, outOfMemory = false;
  try {
    decoded = decode(file, info, errors, maxPixels, image, row);
  } catch (const std::bad_alloc &) {
    outOfMemory = true;
  }
  const int64_t width = info.image_width, height = info.image_height;
  jpeg_destroy_decompress(&info);
  std::fclose(file);
  if (outOfMemory)
    return Error(path + ": out of host memory for the image's " +
                 std::to_string(width) + " x " + std::to_string(height) +
                 " pixels");
  if (errors.tooLarge)
    return Error(path + ": image of " + std::to_string(width) + " x " +
                 std::to_string(height) + " pixels is too large (at most " +
                 std::to_string(maxPixels) + " pixels)");
  if (!decoded)
    return Error(path + ": cannot decode the image (" +
                 std::string(errors.message) + ")");
  if (image.width == 0 || image.height == 0)
    return Error(path + ": the image has no pixels");
  return image;
}

} // namespace intr
