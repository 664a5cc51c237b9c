//===- ImageFuzzer.cpp - libFuzzer target for photo decoding --------------===//
//
// Feeds arbitrary bytes to loadImage (JPEGs through libjpeg where the
// runtime has it, every other format through stb_image) and prepares what
// decodes for a small input, both resize orders included. Photos are the
// runtime's untrusted input: any result is fine except a crash, a hang, a
// sanitizer report or a leak.
//
//   build-fuzz-runtime/bin/intr-fuzz-image -max_total_time=600 \
//       -timeout=10 -rss_limit_mb=4096 /tmp/icorpus fuzz/corpus/image
//
// (A header may claim up to the loader's 178,956,970 pixels, whose decoding
// takes over a gigabyte and seconds: a resource question, not a safety one.)
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Runtime.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // loadImage reads a file: one per fuzzing process, removed at its exit.
  static const struct TempFile {
    std::string path = "/tmp/intr-fuzz-image-" + std::to_string(::getpid());
    ~TempFile() { std::remove(path.c_str()); }
  } temp;
  const std::string &path = temp.path;
  if (std::FILE *file = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, file);
    std::fclose(file);
  } else {
    return 0;
  }
  intr::Expected<intr::Image> image = intr::loadImage(path);
  if (!image)
    return 0;
  // Shrunk more in height than width (PIL's columns-first order), grown,
  // and fitted into a small input with its normalization.
  (void)intr::resizeImage(*image, 7, 3);
  (void)intr::resizeImage(*image, 3 * image->width % 97 + 1,
                          2 * image->height % 89 + 1);
  intr::TensorInfo input{"image", intr::DType::F32, {1, 3, 16, 24}, "image"};
  std::vector<intr::Placement> placements;
  (void)intr::preprocessImages({*image}, input, {0.485f, 0.456f, 0.406f},
                               {0.229f, 0.224f, 0.225f}, &placements);
  return 0;
}
