//===- Image.h - Images in, attention heat maps out -------------*- C++ -*-===//
//
// What an application needs around a session to go from a photo to the
// pictures of where each class looked: decoding (JPEG through libjpeg, as
// PIL decodes it, where the runtime was built with it; PNG, BMP, GIF, ...
// and otherwise JPEG through stb_image), the preprocessing an executable
// records, and heat maps blended over the photo. Without stb at build time
// loadImage and savePng return an error that says so; the others work on
// decoded images as ever.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_RUNTIME_IMAGE_H
#define INTR_RUNTIME_IMAGE_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Executable.h"
#include "intr/runtime/Export.h"
#include "intr/runtime/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intr {

/// An 8-bit RGB image, row-major, 3 bytes per pixel.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;
};

/// True when the runtime was built with image support (stb).
INTR_API bool builtWithImages();

/// Decodes an image file (JPEG, PNG, BMP, TGA, GIF's first frame, ...) to
/// 8-bit RGB, as PIL's Image.open(path).convert("RGB") does for 8-bit
/// images (alpha dropped, grey replicated, palettes looked up, an index
/// past a PNG's palette black); a 16-bit grey PNG's samples clamped to
/// 255, as PIL's conversion does, other 16-bit samples keep their high
/// byte. An OS/2 BMP with a palette is refused.
INTR_API Expected<Image> loadImage(const std::string &path);
/// Writes a PNG.
INTR_API Status savePng(const std::string &path, const Image &image);
/// Bilinear resize, byte for byte as PIL's Image.resize(BILINEAR) (Pillow
/// 13) and so torchvision's Resize of a PIL image: a triangle filter
/// between pixel centres, widened by the scale when shrinking so that every
/// pixel counts (antialiasing), in fixed point, one pass across and one down
/// into bytes. A large one on OpenMP's threads (OMP_NUM_THREADS, or one per
/// CPU). An empty size, one of more than 178,956,970 pixels (loadImage's
/// limit), a malformed image or a failed allocation gives an empty image.
INTR_API Image resizeImage(const Image &image, int width, int height);

/// Where a photo lands in the model's input: resized to width x height at
/// the top left of the canvasWidth x canvasHeight input, the rest zero
/// padding (as DETR-style evaluation pads to the bottom and right). `scale`
/// is the factor of the side that fills the canvas; the other side's size
/// is the filled size times the photo's ratio of the two sides, truncated.
struct Placement {
  double scale = 1;
  int width = 0, height = 0;
  int canvasWidth = 0, canvasHeight = 0;
};

/// The input tensor for one or more photos ([B, 3, H, W] as `input` says;
/// B photos): each resized keeping its aspect ratio to fit H x W (the side
/// that limits the scale fills the canvas, the other is truncated, as
/// DETR's resize sizes it), converted to [0, 1], normalized with the
/// executable's pixel mean and std, padded with zeros, in the input's
/// element type (f32, or f16 or bf16 for a model exported in half
/// precision). For a decoded photo the f32 tensor has the bits of INTR's
/// evaluation transform in torchvision (Resize, ToTensor, Normalize).
/// `placements` (emptied first) receives where each photo went. Large photos
/// are resized and normalized on OpenMP's threads.
INTR_API Expected<Tensor> preprocessImages(const std::vector<Image> &images,
                                           const TensorInfo &input,
                                           const std::vector<float> &mean,
                                           const std::vector<float> &std,
                                           std::vector<Placement> *placements);

/// How well `photos` fill an image input of `shape` ([B, C, H, W]) when
/// each is resized to fit it keeping its aspect ratio: the sum of the
/// fractions of the canvas they cover, min(r, 1 / r) each for a canvas
/// whose aspect ratio is r times the photo's (empty photos count 0). Of an
/// executable's variants (Executable::variants()) of one batch size, the
/// one of the highest fit wastes the least canvas, as intr-run chooses.
INTR_API double canvasFit(const std::vector<Image> &photos,
                          const std::vector<int64_t> &shape);

/// The attention map of one class (`map`, mapHeight x mapWidth over the
/// input canvas) drawn over `photo`: the part of the map that covers the
/// photo, upsampled to the photo's size with each token centred on the
/// centre of its receptive field (pixel stride * k, as in a ResNet with
/// symmetric padding), scaled to its maximum, coloured
/// from dark purple (no attention) to bright yellow (the most) and blended
/// over the photo. A malformed photo, no map or an empty map or placement
/// gives an empty image.
INTR_API Image renderHeatmap(const Image &photo, const float *map,
                             int mapHeight, int mapWidth,
                             const Placement &placement);

/// Images of equal size in a grid of `columns`, with a `gap` of white; an
/// empty image where they are not all of one size and well formed, the
/// gap is negative, or the grid would be too large.
INTR_API Image tileImages(const std::vector<Image> &tiles, int columns,
                          int gap = 4);

} // namespace intr

#endif // INTR_RUNTIME_IMAGE_H
