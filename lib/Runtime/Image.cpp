//===- Image.cpp - Images in, attention heat maps out ---------------------===//

#include "intr/runtime/Image.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <new>
#include <optional>
#include <string>

#if INTR_HAVE_STB
#include <stb_image.h>
#include <stb_image_write.h>
#endif
#if INTR_HAVE_LIBJPEG
#include "JpegDecoder.h"
#endif

namespace intr {

namespace {

/// Larger images are refused rather than decoded (a corrupt or hostile
/// header may claim anything): PIL's limit, past which it raises
/// DecompressionBombError (twice its MAX_IMAGE_PIXELS, 1024^3 / 12).
constexpr int64_t kMaxPixels = 178956970;

/// From this many pixels on, a resize or a normalization runs its rows on
/// OpenMP's threads: a photo fills a full-size input in tens of
/// milliseconds on one, several GPU runs' worth.
constexpr int64_t kParallelPixels = 65536;

/// Whether `image` holds the pixels its size says, and any.
bool isWellFormed(const Image &image) {
  return image.width > 0 && image.height > 0 &&
         image.rgb.size() == size_t(image.width) * image.height * 3;
}

/// A non-negative value (a blend or an interpolation of pixels) rounded
/// half up, as std::lround rounds it, without a call per pixel; at most
/// 255.
uint8_t roundToByte(double value) {
  return static_cast<uint8_t>(std::min(value + 0.5, 255.0));
}

/// Where a bilinear sample along one axis reads: between pixels i0 and i1,
/// i1 weighing f.
struct Tap {
  int i0, i1;
  double f;
};

/// The taps of `count` samples along an axis of `size` map cells, sample i
/// at (i + 0.5) * scale, clamped to the edges: worked out once per row and
/// column of a heat map rather than for every pixel.
std::vector<Tap> tapsOf(int count, int size, double scale) {
  std::vector<Tap> taps(count);
  for (int i = 0; i < count; ++i) {
    double at = std::clamp((i + 0.5) * scale, 0.0, double(size - 1));
    int i0 = static_cast<int>(at);
    taps[i] = {i0, std::min(i0 + 1, size - 1), at - i0};
  }
  return taps;
}

/// Bilinear sample of a row-major map `width` cells wide.
float sample(const float *map, int width, const Tap &y, const Tap &x) {
  auto at = [&](int row, int column) { return map[row * width + column]; };
  double top = at(y.i0, x.i0) * (1 - x.f) + at(y.i0, x.i1) * x.f;
  double bottom = at(y.i1, x.i0) * (1 - x.f) + at(y.i1, x.i1) * x.f;
  return static_cast<float>(top * (1 - y.f) + bottom * y.f);
}

/// Fixed-point bits of a resampling weight: 8 bits of pixel times a weight
/// of up to 1 (plus rounding) in 22 bits leaves 2 bits of an int32 spare.
constexpr int kWeightBits = 22;

/// One output pixel's taps along an axis: `count` input pixels from
/// `first`, weighed by weights[offset, offset + count).
struct Span {
  int first, count;
  size_t offset;
};

/// The triangle (bilinear) filter of a resize along one axis, as PIL's
/// Image.resize(BILINEAR) and so torchvision's Resize of a PIL image build
/// it: output pixel i centred on input point (i + 0.5) * in / out, the
/// triangle widened by the scale when shrinking (antialiasing: every input
/// pixel counts), weights normalized to sum 1 and rounded to kWeightBits.
/// The same double arithmetic in the same order gives the same weights,
/// hence the same bytes as the reference pipeline.
struct AxisFilter {
  std::vector<Span> spans;
  std::vector<int32_t> weights;

  AxisFilter(int in, int out) : spans(out) {
    const double scale = double(in) / out;
    const double widen = std::max(scale, 1.0), support = widen;
    const double inverse = 1.0 / widen;
    std::vector<double> w;
    for (int i = 0; i < out; ++i) {
      double centre = (i + 0.5) * scale;
      int first = std::max(0, static_cast<int>(centre - support + 0.5));
      int end = std::min(in, static_cast<int>(centre + support + 0.5));
      w.assign(std::max(end - first, 0), 0.0);
      double sum = 0;
      for (size_t k = 0; k < w.size(); ++k) {
        double x = std::abs((int(first + k) - centre + 0.5) * inverse);
        w[k] = x < 1.0 ? 1.0 - x : 0.0;
        sum += w[k];
      }
      spans[i] = {first, int(w.size()), weights.size()};
      for (double v : w)
        weights.push_back(static_cast<int32_t>(
            0.5 + (sum != 0.0 ? v / sum : v) * (1 << kWeightBits)));
    }
  }
};

/// A weighted sum in fixed point (with its rounding half) back to a byte.
uint8_t fixedToByte(int32_t sum) {
  if (sum <= 0)
    return 0;
  return sum >= (256 << kWeightBits) ? 255
                                     : static_cast<uint8_t>(sum >> kWeightBits);
}

/// Dark purple -> magenta -> orange -> pale yellow, lightness rising all the
/// way, so that the order of values reads the same in grey.
void colormap(float v, float rgb[3]) {
  static const float anchors[5][3] = {{0.05f, 0.02f, 0.15f},
                                      {0.35f, 0.05f, 0.45f},
                                      {0.75f, 0.15f, 0.40f},
                                      {0.98f, 0.50f, 0.15f},
                                      {0.99f, 0.95f, 0.55f}};
  v = std::clamp(v, 0.0f, 1.0f) * 4;
  int i = std::min(static_cast<int>(v), 3);
  float f = v - i;
  for (int c = 0; c < 3; ++c)
    rgb[c] = anchors[i][c] * (1 - f) + anchors[i + 1][c] * f;
}

} // namespace

#if INTR_HAVE_STB

namespace {

/// A file's first bytes (at most 512: every header looked at here fits)
/// and its size; empty, of size -1, when it cannot be read.
struct FileHead {
  std::string bytes;
  int64_t size = -1;
};

/// The first `limit` bytes of a file (the header's 512 by default) and
/// its size.
FileHead readHead(const std::string &path, int64_t limit = 512) {
  FileHead head;
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file)
    return head;
  head.size = static_cast<int64_t>(file.tellg());
  if (head.size < 0)
    return head;
  head.bytes.resize(static_cast<size_t>(std::min<int64_t>(head.size, limit)));
  file.seekg(0);
  file.read(head.bytes.data(), static_cast<std::streamsize>(head.bytes.size()));
  head.bytes.resize(static_cast<size_t>(file.gcount()));
  return head;
}

/// The unsigned `count`-byte integer at `at` of `bytes`, little-endian
/// (BMP's) or big-endian (PNG's).
uint32_t littleEndian(const std::string &bytes, size_t at, int count) {
  uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i)
    value = value << 8 | static_cast<uint8_t>(bytes[at + i]);
  return value;
}
uint32_t bigEndian(const std::string &bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value = value << 8 | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

/// What a BMP's headers say, as stb reads them: where the pixels start,
/// the info header's size (12 for OS/2's), the sizes (a negative height:
/// top-down rows), bits per pixel and compression.
struct BmpHeader {
  int64_t offset = 0, info = 0, width = 0, height = 0, bits = 0,
          compression = 0;
  /// The bytes from the file's start to the end of the info header (of
  /// its BITMAPINFOHEADER part for the later versions).
  int64_t headerEnd() const { return 14 + (info == 12 ? 12 : 40); }
};

/// A BMP's headers, when the file starts with them; `bytes` holds at least
/// headerEnd() of them or the headers are missing (nullopt too).
std::optional<BmpHeader> bmpHeader(const std::string &bytes) {
  if (bytes.size() < 18 || bytes.compare(0, 2, "BM") != 0)
    return std::nullopt;
  BmpHeader bmp;
  bmp.offset = littleEndian(bytes, 10, 4);
  bmp.info = littleEndian(bytes, 14, 4);
  if (int64_t(bytes.size()) < bmp.headerEnd())
    return std::nullopt;
  if (bmp.info == 12) { // OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
    bmp.width = littleEndian(bytes, 18, 2);
    bmp.height = littleEndian(bytes, 20, 2);
    bmp.bits = littleEndian(bytes, 24, 2);
  } else {
    bmp.width = int32_t(littleEndian(bytes, 18, 4));
    bmp.height = int32_t(littleEndian(bytes, 22, 4));
    bmp.bits = littleEndian(bytes, 28, 2);
    bmp.compression = littleEndian(bytes, 30, 4);
  }
  return bmp;
}

/// A palette of fewer than 256 colours extended with black ones, in
/// place, in a BMP of 8 bits or fewer per pixel (fillBmpPalette) or a PNG
/// (fillPngPalette): stb looks a pixel's index past the palette up in
/// memory it never wrote (other colours on each run), where PIL gives
/// black. stb reads neither a BMP's count of colours nor a PNG chunk's
/// checksum (left as it was).
void fillBmpPalette(std::string &file) {
  std::optional<BmpHeader> bmp = bmpHeader(file);
  if (!bmp)
    return;
  // The palette lies between the info header (of any version) and the
  // pixels, 4 bytes a colour (OS/2's, 3, are refused before).
  const int64_t start = 14 + bmp->info;
  const int64_t colours = (bmp->offset - start) / 4;
  if (bmp->info == 12 || bmp->bits > 8 || colours < 0 || colours >= 256 ||
      bmp->offset > int64_t(file.size()))
    return;
  const int64_t added = (256 - colours) * 4;
  file.insert(size_t(start + colours * 4), size_t(added), '\0');
  const uint32_t offset = uint32_t(bmp->offset + added);
  for (int i = 0; i < 4; ++i)
    file[10 + i] = char(offset >> (8 * i));
}
void fillPngPalette(std::string &file) {
  size_t at = 8; // after the signature
  while (at + 8 <= file.size()) {
    const uint32_t length = bigEndian(file, at);
    const std::string type = file.substr(at + 4, 4);
    if (type == "IDAT" || length > file.size() - at - 8)
      return; // the palette comes before the pixels
    if (type == "PLTE") {
      if (length % 3 == 0 && length < 768) {
        const std::string bytes = {0, 0, 3, 0}; // 768, big-endian
        file.replace(at, 4, bytes);
        file.insert(at + 8 + length, 768 - length, '\0');
      }
      return;
    }
    at += size_t(12) + length;
  }
}

/// `text` with the bytes that are not printable ASCII as '?', so that a
/// message quoting a file's bytes (a chunk's type) is text.
std::string printable(std::string text) {
  for (char &c : text)
    if (static_cast<uint8_t>(c) < 0x20 || static_cast<uint8_t>(c) > 0x7e)
      c = '?';
  return text;
}

/// PNG's CRC-32 of `bytes`, a byte at a time from a table of each byte's
/// (bit by bit it took 13 ms per MiB).
uint32_t crc32(const char *bytes, size_t size) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> entries{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t crc = n;
      for (int bit = 0; bit < 8; ++bit)
        crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
      entries[n] = crc;
    }
    return entries;
  }();
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < size; ++i)
    crc = table[(crc ^ static_cast<uint8_t>(bytes[i])) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

/// What is wrong with a PNG's chunks that stb would not say, or nothing: a
/// chunk before its pixels whose checksum does not match its type and data
/// (PIL refuses such a file; stb checks none, and PIL none of the pixels'
/// chunks or those after them), or a file that ends inside its chunks up to
/// and including its pixel data (IDAT), as PIL refuses it (stb gave odd
/// reasons, and for pixel data it claims, allocated up to 4 GiB before
/// failing to read it). A file cut after its pixels is left to stb, which
/// decodes it, as PIL does. `file` starts with PNG's signature.
std::optional<std::string> pngProblem(const std::string &file) {
  bool seenPixels = false;
  for (size_t at = 8;;) { // after the signature
    if (file.size() - at < 8)
      return seenPixels ? std::nullopt
                        : std::optional<std::string>(
                              "the file is truncated: it ends before its "
                              "pixel data");
    const uint32_t length = bigEndian(file, at);
    const std::string type = file.substr(at + 4, 4);
    seenPixels |= type == "IDAT";
    if (length > file.size() - at - 8 || file.size() - at - 8 - length < 4) {
      if (seenPixels && type != "IDAT")
        return std::nullopt;
      return "the file is truncated: its '" + printable(type) + "' chunk of " +
             std::to_string(length) +
             " bytes and its checksum run past its end";
    }
    if (!seenPixels && crc32(file.data() + at + 4, size_t(4) + length) !=
                           bigEndian(file, at + 8 + length))
      return "the PNG's '" + printable(type) +
             "' chunk fails its checksum: a corrupt file";
    if (type == "IEND")
      return std::nullopt;
    at += size_t(12) + length;
  }
}

/// Why the pixel data of an uncompressed BMP or a binary PGM/PPM ends
/// before its header says it should, or nothing: stb decodes such a file
/// with the missing pixels zero and no error. Other formats (and
/// compressed BMPs) carry their own checks, which stb runs.
std::optional<std::string> truncation(const FileHead &file) {
  const std::string &head = file.bytes;
  const int64_t size = file.size;
  int64_t expected = -1;
  if (head.size() >= 2 && head.compare(0, 2, "BM") == 0) {
    std::optional<BmpHeader> bmp = bmpHeader(head);
    if (!bmp) {
      const int64_t needed =
          head.size() >= 18 && littleEndian(head, 14, 4) == 12 ? 26 : 54;
      return "the file is truncated: its BMP headers need " +
             std::to_string(needed) + " bytes, it has " + std::to_string(size);
    }
    // Uncompressed rows (BI_RGB, BI_BITFIELDS) of 4-byte multiples.
    const int64_t width = std::abs(bmp->width), height = std::abs(bmp->height);
    if ((bmp->compression != 0 && bmp->compression != 3) || bmp->bits > 64 ||
        width * height > kMaxPixels)
      return std::nullopt;
    // Every row but the last padded to 4 bytes (stb needs no last pad).
    const int64_t rowBytes = (bmp->bits * width + 31) / 32 * 4;
    expected =
        bmp->offset + rowBytes * (height - 1) + (bmp->bits * width + 7) / 8;
  } else if (head.size() >= 2 && head[0] == 'P' &&
             (head[1] == '5' || head[1] == '6')) {
    // Magic, width, height and maxval, with # comments between them, then
    // one whitespace byte and the samples.
    size_t at = 2;
    int64_t fields[3] = {0, 0, 0};
    for (int64_t &field : fields) {
      while (
          at < head.size() &&
          (std::isspace(static_cast<uint8_t>(head[at])) || head[at] == '#')) {
        if (head[at] == '#')
          while (at < head.size() && head[at] != '\n' && head[at] != '\r')
            ++at;
        else
          ++at;
      }
      if (at >= head.size() || !std::isdigit(static_cast<uint8_t>(head[at])))
        return std::nullopt;
      while (at < head.size() && std::isdigit(static_cast<uint8_t>(head[at])))
        if ((field = field * 10 + (head[at++] - '0')) > kMaxPixels)
          return std::nullopt;
    }
    if (fields[0] * fields[1] > kMaxPixels)
      return std::nullopt;
    const int64_t channels = head[1] == '6' ? 3 : 1;
    const int64_t sampleBytes = fields[2] > 255 ? 2 : 1;
    expected = int64_t(at) + 1 + fields[0] * fields[1] * channels * sampleBytes;
  }
  if (expected < 0 || size >= expected)
    return std::nullopt;
  return "the file is truncated: its header needs " + std::to_string(expected) +
         " bytes, it has " + std::to_string(size);
}

/// The format a file's first bytes announce, or null when none that stb
/// reads does.
const char *announcedFormat(const FileHead &file) {
  const std::string &head = file.bytes;
  auto startsWith = [&](const char *prefix, size_t length) {
    return head.size() >= length &&
           head.compare(0, length, prefix, length) == 0;
  };
  if (startsWith("\x89PNG\r\n\x1a\n", 8))
    return "PNG";
  if (startsWith("\xff\xd8\xff", 3))
    return "JPEG";
  if (startsWith("GIF8", 4))
    return "GIF";
  if (startsWith("BM", 2))
    return "BMP";
  if (startsWith("P5", 2) || startsWith("P6", 2))
    return "PGM/PPM";
  return nullptr;
}

/// stb's reason for its last failure, or a plain one where it gives none;
/// bytes of the file it quotes (a chunk's type) that are not printable
/// ASCII become '?', so that the message is text.
std::string failureReason() {
  const char *reason = stbi_failure_reason();
  return printable(reason && *reason ? reason : "corrupt or truncated data");
}

/// A BMP that stb would decode to wrong colours: an OS/2 one (its 12-byte
/// header) with a palette, whose entries stb reads from the wrong place.
bool os2Palette(const FileHead &file) {
  std::optional<BmpHeader> bmp = bmpHeader(file.bytes);
  return bmp && bmp->info == 12 && bmp->bits <= 8;
}

} // namespace

bool builtWithImages() { return true; }

Expected<Image> loadImage(const std::string &path) {
  // The first bytes: what the file announces and how long its pixels
  // must be; then, for stb, the whole file (a JPEG goes to libjpeg).
  const FileHead head = readHead(path);
  if (head.size < 0)
    return Error(path + ": cannot open the image file");
  const char *format = announcedFormat(head);
#if INTR_HAVE_LIBJPEG
  if (format && std::string(format) == "JPEG")
    return decodeJpeg(path, kMaxPixels);
#endif
  if (head.size > INT_MAX)
    return Error(path + ": the file is too large for stb (" +
                 std::to_string(head.size) + " bytes)");
  std::string contents = readHead(path, head.size).bytes;
  if (int64_t(contents.size()) != head.size)
    return Error(path + ": cannot read the image file");
  const bool png = format && std::string(format) == "PNG";
  if (png) {
    if (std::optional<std::string> problem = pngProblem(contents))
      return Error(path + ": cannot decode the image (" + *problem + ")");
    fillPngPalette(contents);
  } else {
    fillBmpPalette(contents);
  }
  const auto *data = reinterpret_cast<const stbi_uc *>(contents.data());
  const int length = static_cast<int>(contents.size());
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, length, &width, &height, &channels)) {
    // stb tries every format in turn, so that its reason is the last
    // one's; a file that announces its format gets that format's reason
    // from a load, which tries that format alone.
    if (!format)
      return Error(path + ": not a readable image (not a PNG, JPEG, BMP, "
                          "GIF, PGM/PPM, TGA, PSD, PIC or HDR file)");
    int w = 0, h = 0, c = 0;
    if (unsigned char *pixels =
            stbi_load_from_memory(data, length, &w, &h, &c, 3))
      stbi_image_free(pixels);
    return Error(path + ": a " + format + " whose header cannot be read (" +
                 failureReason() + ")");
  }
  // stbi_info gives a top-down BMP a negative height; stbi_load flips it.
  const int64_t columns = std::abs(int64_t(width));
  const int64_t rows = std::abs(int64_t(height));
  if (columns == 0 || rows == 0)
    return Error(path + ": the image has no pixels (" +
                 std::to_string(columns) + " x " + std::to_string(rows) + ")");
  if (columns * rows > kMaxPixels)
    return Error(path + ": image of " + std::to_string(columns) + " x " +
                 std::to_string(rows) + " pixels is too large (at most " +
                 std::to_string(kMaxPixels) + " pixels)");
  if (std::optional<std::string> truncated = truncation(head))
    return Error(path + ": cannot decode the image (" + *truncated + ")");
  if (os2Palette(head))
    return Error(path + ": an OS/2 BMP with a palette is not supported (its "
                        "colours would be read wrong)");
  Image image;
  // A 16-bit grey PNG as PIL converts it: each sample clamped to 255 (its
  // other 16-bit images keep their high byte, as stb's do).
  if (png && channels == 1 && stbi_is_16_bit_from_memory(data, length)) {
    stbi_us *samples =
        stbi_load_16_from_memory(data, length, &width, &height, &channels, 1);
    if (!samples)
      return Error(path + ": cannot decode the image (" + failureReason() +
                   ")");
    image.width = width;
    image.height = height;
    image.rgb.resize(size_t(width) * height * 3);
    for (size_t i = 0; i < size_t(width) * height; ++i)
      std::fill_n(image.rgb.begin() + i * 3, 3,
                  static_cast<uint8_t>(std::min<stbi_us>(samples[i], 255)));
    stbi_image_free(samples);
    return image;
  }
  unsigned char *pixels =
      stbi_load_from_memory(data, length, &width, &height, &channels, 3);
  if (!pixels)
    return Error(path + ": cannot decode the image (" + failureReason() + ")");
  image.width = width;
  image.height = height;
  image.rgb.assign(pixels, pixels + int64_t(width) * height * 3);
  stbi_image_free(pixels);
  return image;
}

Status savePng(const std::string &path, const Image &image) {
  if (!isWellFormed(image))
    return Error(path + ": cannot write an empty or malformed image");
  errno = 0;
  if (!stbi_write_png(path.c_str(), image.width, image.height, 3,
                      image.rgb.data(), image.width * 3))
    return Error(path + ": cannot write the PNG" +
                 (errno ? " (" + std::string(std::strerror(errno)) + ")"
                        : std::string()));
  return Status::ok();
}

#else

bool builtWithImages() { return false; }

static Error noImages() {
  return Error("the runtime was built without image support (install "
               "libstb-dev and rebuild)");
}
Expected<Image> loadImage(const std::string &) { return noImages(); }
Status savePng(const std::string &, const Image &) { return noImages(); }

#endif

namespace {

/// Resamples the rows [firstRow, firstRow + count) of `image` across, to
/// `columns`' width.
Image resampleAcross(const Image &image, const AxisFilter &columns,
                     int firstRow, int count, bool parallel) {
  const int width = int(columns.spans.size());
  Image out{width, count, std::vector<uint8_t>(size_t(width) * count * 3)};
#pragma omp parallel for schedule(static) if (parallel)
  for (int y = 0; y < count; ++y) {
    const uint8_t *in =
        image.rgb.data() + size_t(firstRow + y) * image.width * 3;
    uint8_t *row = out.rgb.data() + size_t(y) * width * 3;
    for (int x = 0; x < width; ++x) {
      const Span &span = columns.spans[x];
      const int32_t *w = columns.weights.data() + span.offset;
      const uint8_t *pixel = in + size_t(span.first) * 3;
      int32_t sum[3] = {1 << (kWeightBits - 1), 1 << (kWeightBits - 1),
                        1 << (kWeightBits - 1)};
      for (int k = 0; k < span.count; ++k)
        for (int c = 0; c < 3; ++c)
          sum[c] += pixel[k * 3 + c] * w[k];
      for (int c = 0; c < 3; ++c)
        row[x * 3 + c] = fixedToByte(sum[c]);
    }
  }
  return out;
}

/// Resamples `image` down its columns to `rows`' height; its row 0 is the
/// source's row `firstRow`.
Image resampleDown(const Image &image, const AxisFilter &rows, int firstRow,
                   bool parallel) {
  const int height = int(rows.spans.size());
  const size_t rowBytes = size_t(image.width) * 3;
  Image out{image.width, height, std::vector<uint8_t>(rowBytes * height)};
#pragma omp parallel for schedule(static) if (parallel)
  for (int y = 0; y < height; ++y) {
    const Span &span = rows.spans[y];
    const int32_t *w = rows.weights.data() + span.offset;
    std::vector<int32_t> sum(rowBytes, 1 << (kWeightBits - 1));
    for (int k = 0; k < span.count; ++k) {
      const uint8_t *in =
          image.rgb.data() + (size_t(span.first - firstRow) + k) * rowBytes;
      for (size_t i = 0; i < rowBytes; ++i)
        sum[i] += in[i] * w[k];
    }
    for (size_t i = 0; i < rowBytes; ++i)
      out.rgb[y * rowBytes + i] = fixedToByte(sum[i]);
  }
  return out;
}

/// resizeImage of a well-formed image to another size.
Image resizeWellFormed(const Image &image, int width, int height) {
  const AxisFilter columns(image.width, width), rows(image.height, height);
  const bool parallel = int64_t(width) * height >= kParallelPixels;
  const bool across = width != image.width, down = height != image.height;
  // Two passes into bytes, in PIL's order: down the columns first where the
  // height shrinks by more than twice what the width does (Pillow 13's
  // rule: older ones always go across first, which rounds some pixels of
  // such photos one step apart), else across the rows that the second pass
  // reads.
  const int64_t shrinksBy = int64_t(image.height) - height;
  if (shrinksBy > 0 && shrinksBy > 2 * (int64_t(image.width) - width)) {
    Image tall = resampleDown(image, rows, 0, parallel);
    return across ? resampleAcross(tall, columns, 0, height, parallel) : tall;
  }
  if (!across)
    return resampleDown(image, rows, 0, parallel);
  const int firstRow = rows.spans.front().first;
  const int endRow = rows.spans.back().first + rows.spans.back().count;
  Image wide =
      resampleAcross(image, columns, firstRow, endRow - firstRow, parallel);
  return down ? resampleDown(wide, rows, firstRow, parallel) : wide;
}

} // namespace

Image resizeImage(const Image &image, int width, int height) {
  if (width <= 0 || height <= 0 || int64_t(width) * height > kMaxPixels ||
      !isWellFormed(image))
    return Image{};
  if (width == image.width && height == image.height)
    return image;
  try {
    return resizeWellFormed(image, width, height);
  } catch (const std::bad_alloc &) {
    return Image{};
  }
}

double canvasFit(const std::vector<Image> &photos,
                 const std::vector<int64_t> &shape) {
  if (shape.size() != 4 || shape[2] <= 0 || shape[3] <= 0)
    return 0;
  double fit = 0;
  for (const Image &photo : photos) {
    if (photo.width <= 0 || photo.height <= 0)
      continue;
    double r =
        double(shape[3]) * photo.height / (double(shape[2]) * photo.width);
    fit += std::min(r, 1 / r);
  }
  return fit;
}

Expected<Tensor> preprocessImages(const std::vector<Image> &images,
                                  const TensorInfo &input,
                                  const std::vector<float> &mean,
                                  const std::vector<float> &std,
                                  std::vector<Placement> *placements) {
  const std::vector<int64_t> &shape = input.shape;
  const bool floating = input.dtype == DType::F32 ||
                        input.dtype == DType::F16 ||
                        input.dtype == DType::BF16 || input.dtype == DType::F64;
  if (!floating || shape.size() != 4 || shape[1] != 3)
    return Error(
        "input '" + input.name + "' is " + dtypeName(input.dtype) + " " +
        formatShape(shape) +
        ", not an RGB image batch (f32, f16, bf16 or f64 [B, 3, H, W])");
  if (static_cast<int64_t>(images.size()) != shape[0])
    return Error("the model takes a batch of " + std::to_string(shape[0]) +
                 " images, " + std::to_string(images.size()) + " given");
  if (shape[2] < 1 || shape[3] < 1 || shape[2] > INT_MAX || shape[3] > INT_MAX)
    return Error("input '" + input.name + "' is " + formatShape(shape) +
                 ": an image needs a height and width of 1 to " +
                 std::to_string(INT_MAX));
  if (mean.size() != 3 || std.size() != 3)
    return Error("the executable records no per-channel mean and std");
  for (size_t b = 0; b < images.size(); ++b) {
    const Image &image = images[b];
    if (!isWellFormed(image))
      return Error("photo " + std::to_string(b) + " is empty or malformed (" +
                   std::to_string(image.width) + " x " +
                   std::to_string(image.height) + " pixels in " +
                   std::to_string(image.rgb.size()) + " bytes)");
  }
  int canvasHeight = static_cast<int>(shape[2]);
  int canvasWidth = static_cast<int>(shape[3]);
  // The canvas is as large as the compiled input, which may not fit.
  Tensor tensor;
  try {
    tensor = Tensor(DType::F32, shape);
  } catch (const std::bad_alloc &) {
    return Error("input '" + input.name + "' " + formatShape(shape) +
                 ": out of host memory for the image batch");
  }
  float *data = tensor.data<float>();
  if (placements)
    placements->clear();
  for (size_t b = 0; b < images.size(); ++b) {
    const Image &image = images[b];
    // The largest size that fits, aspect ratio kept: the side that limits
    // the scale fills the canvas, the other is scaled and truncated, as
    // DETR's resize (INTR's evaluation) sizes the longer side of a photo
    // whose shorter one it sets: int(800 * w / h).
    Placement placement;
    placement.scale = std::min(double(canvasHeight) / image.height,
                               double(canvasWidth) / image.width);
    auto partner = [](int64_t fill, int64_t side, int64_t limiting) {
      return static_cast<int>(double(fill * side) / double(limiting));
    };
    if (int64_t(canvasHeight) * image.width <=
        int64_t(canvasWidth) * image.height) {
      placement.height = canvasHeight;
      placement.width = std::clamp(
          partner(canvasHeight, image.width, image.height), 1, canvasWidth);
    } else {
      placement.width = canvasWidth;
      placement.height = std::clamp(
          partner(canvasWidth, image.height, image.width), 1, canvasHeight);
    }
    placement.canvasWidth = canvasWidth;
    placement.canvasHeight = canvasHeight;
    Image resized = resizeImage(image, placement.width, placement.height);
    float *plane = data + b * 3 * int64_t(canvasHeight) * canvasWidth;
    const int width = placement.width, height = placement.height;
#pragma omp parallel for schedule(static) if (int64_t(width) * height >=       \
                                              kParallelPixels)
    for (int y = 0; y < height; ++y)
      for (int c = 0; c < 3; ++c)
        for (int x = 0; x < width; ++x)
          plane[(int64_t(c) * canvasHeight + y) * canvasWidth + x] =
              (resized.rgb[(size_t(y) * width + x) * 3 + c] / 255.0f -
               mean[c]) /
              std[c];
    if (placements)
      placements->push_back(placement);
  }
  // A model exported in half or double precision takes its images so.
  if (input.dtype != DType::F32) {
    try {
      return fromFloat32(tensor, input.dtype);
    } catch (const std::bad_alloc &) {
      return Error("input '" + input.name + "' " + formatShape(shape) +
                   ": out of host memory for the image batch");
    }
  }
  return tensor;
}

Image renderHeatmap(const Image &photo, const float *map, int mapHeight,
                    int mapWidth, const Placement &placement) {
  if (!map || mapHeight <= 0 || mapWidth <= 0 || !isWellFormed(photo) ||
      placement.width <= 0 || placement.height <= 0 ||
      placement.canvasWidth <= 0 || placement.canvasHeight <= 0 ||
      int64_t(mapHeight) * mapWidth > INT_MAX)
    return Image{};
  float peak = 0;
  for (int i = 0; i < mapHeight * mapWidth; ++i)
    peak = std::max(peak, map[i]);
  Image out = photo;
  // A photo pixel's centre, through the placement, in map cells. Token k of
  // a stride-s backbone with symmetric padding sees a field centred on
  // pixel s * k, not s * (k + 0.5): sampling at (pixel / s) puts each
  // token's value where the model looked, half a cell up and left of where
  // a plain resize would draw it. Each axis by its own scale: the side
  // that did not limit `scale` was truncated to whole pixels.
  double toMapX =
      double(placement.width) / photo.width * mapWidth / placement.canvasWidth;
  double toMapY = double(placement.height) / photo.height * mapHeight /
                  placement.canvasHeight;
  std::vector<Tap> rows = tapsOf(photo.height, mapHeight, toMapY);
  std::vector<Tap> columns = tapsOf(photo.width, mapWidth, toMapX);
  for (int y = 0; y < photo.height; ++y)
    for (int x = 0; x < photo.width; ++x) {
      float v = sample(map, mapWidth, rows[y], columns[x]);
      v = peak > 0 ? v / peak : 0;
      float color[3];
      colormap(v, color);
      float alpha = 0.35f + 0.45f * v;
      for (int c = 0; c < 3; ++c) {
        uint8_t &pixel = out.rgb[(size_t(y) * photo.width + x) * 3 + c];
        pixel = roundToByte((1 - alpha) * pixel + alpha * 255.0f * color[c]);
      }
    }
  return out;
}

Image tileImages(const std::vector<Image> &tiles, int columns, int gap) {
  Image out;
  if (tiles.empty() || columns <= 0 || gap < 0)
    return out;
  const int w = tiles[0].width, h = tiles[0].height;
  for (const Image &tile : tiles)
    if (!isWellFormed(tile) || tile.width != w || tile.height != h)
      return out;
  const int64_t rows = (int64_t(tiles.size()) + columns - 1) / columns;
  const int64_t width = int64_t(columns) * w + int64_t(columns - 1) * gap;
  const int64_t height = rows * h + (rows - 1) * gap;
  if (width > INT_MAX || height > INT_MAX || width * height > kMaxPixels)
    return out;
  out.width = int(width);
  out.height = int(height);
  try {
    out.rgb.assign(size_t(out.width) * out.height * 3, 255);
  } catch (const std::bad_alloc &) {
    return Image{};
  }
  for (size_t i = 0; i < tiles.size(); ++i) {
    int ox = static_cast<int>(i % columns) * (w + gap);
    int oy = static_cast<int>(i / columns) * (h + gap);
    const Image &tile = tiles[i];
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 3; ++c)
          out.rgb[((size_t(oy) + y) * out.width + ox + x) * 3 + c] =
              tile.rgb[(size_t(y) * tile.width + x) * 3 + c];
  }
  return out;
}

} // namespace intr
