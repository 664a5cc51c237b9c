//===- ImageTest.cpp - Images in, heat maps out ---------------------------===//

#include "intr/runtime/Image.h"
#include "intr/runtime/Npy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

using namespace intr;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "intr-image-" + name;
}

Image gradient(int width, int height) {
  Image image{width, height, std::vector<uint8_t>(size_t(width) * height * 3)};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t *p = &image.rgb[(size_t(y) * width + x) * 3];
      p[0] = uint8_t(x * 255 / std::max(1, width - 1));
      p[1] = uint8_t(y * 255 / std::max(1, height - 1));
      p[2] = 128;
    }
  return image;
}

TEST(Image, PngRoundTripsExactly) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  Image image = gradient(37, 21);
  std::string path = tempPath("roundtrip.png");
  ASSERT_TRUE(savePng(path, image).isOk());
  Expected<Image> loaded = loadImage(path);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->width, 37);
  EXPECT_EQ(loaded->height, 21);
  EXPECT_EQ(loaded->rgb, image.rgb);
  std::remove(path.c_str());
}

TEST(Image, BadFilesGiveClearErrors) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  Expected<Image> missing = loadImage(tempPath("does-not-exist.png"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("cannot open"), std::string::npos);

  std::string text = tempPath("text.png");
  std::ofstream(text) << "this is not an image\n";
  Expected<Image> notImage = loadImage(text);
  ASSERT_FALSE(notImage);
  EXPECT_NE(notImage.error().message().find("not a readable image"),
            std::string::npos);

  // Every truncation of a valid PNG fails cleanly (or, past the pixel
  // data, still decodes to the right size).
  std::string full = tempPath("full.png"), cut = tempPath("cut.png");
  ASSERT_TRUE(savePng(full, gradient(16, 8)).isOk());
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::ofstream(cut, std::ios::binary).write(bytes.data(), length);
    Expected<Image> loaded = loadImage(cut);
    if (loaded) {
      EXPECT_EQ(loaded->width, 16);
      EXPECT_EQ(loaded->height, 8);
    }
  }
  std::remove(text.c_str());
  std::remove(full.c_str());
  std::remove(cut.c_str());
}

std::string big32(uint32_t v) {
  return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

/// A PNG chunk: length, type, data and the checksum of type and data.
std::string pngChunk(const std::string &type, const std::string &data) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char byte : type + data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k)
      crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
  }
  return big32(uint32_t(data.size())) + type + data + big32(crc ^ 0xffffffffu);
}

/// A PNG of `width` x `height` in colour type `colour` (0 grey, 3
/// palette) and `depth` bits, its rows (each after a filter byte 0) in
/// one stored deflate block, with a palette when given; checksums right.
std::string pngOf(int width, int height, int colour, int depth,
                  const std::string &palette, const std::string &rows) {
  std::string header = big32(width) + big32(height) +
                       std::string{char(depth), char(colour), 0, 0, 0};
  // zlib: a header, one final stored block, the Adler-32 of the rows.
  uint32_t a = 1, b = 0;
  for (unsigned char byte : rows) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const uint16_t length = uint16_t(rows.size());
  std::string zlib = {0x78,
                      0x01,
                      0x01,
                      char(length & 0xff),
                      char(length >> 8),
                      char(~length & 0xff),
                      char((~length >> 8) & 0xff)};
  zlib += rows + big32(b << 16 | a);
  std::string png = "\x89PNG\r\n\x1a\n" + pngChunk("IHDR", header);
  if (!palette.empty())
    png += pngChunk("PLTE", palette);
  return png + pngChunk("IDAT", zlib) + pngChunk("IEND", "");
}

Expected<Image> loadBytes(const std::string &name, const std::string &bytes) {
  std::string path = tempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  Expected<Image> image = loadImage(path);
  std::remove(path.c_str());
  return image;
}

// Tests what stb left to chance or decoded otherwise than PIL: an index
// past a PNG's or a BMP's palette is black (stb read memory it never
// wrote; a PNG's as PIL gives it); a 16-bit grey PNG's samples are
// clamped to 255, as PIL converts them; an OS/2 BMP with a palette (whose
// colours stb reads wrong) and a BMP that ends inside its headers are
// refused; stb's messages quoting the file's bytes stay printable.
TEST(Image, PalettesSixteenBitGreyAndMalformedBmps) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  // Two colours; indices 0, 1, 2 and 255 in one row of 8-bit indices.
  std::string palette = {char(200), 10, 20, 30, char(250), 40};
  Expected<Image> indexed =
      loadBytes("palette.png",
                pngOf(4, 1, 3, 8, palette, std::string{0, 0, 1, 2, char(255)}));
  ASSERT_TRUE(indexed) << indexed.error().message();
  EXPECT_EQ(indexed->rgb,
            (std::vector<uint8_t>{200, 10, 20, 30, 250, 40, 0, 0, 0, 0, 0, 0}));

  // The same as a BMP: headers, two colours (blue, green, red, 0), one
  // row of 8-bit indices.
  std::string bmp = {'B', 'M', 66, 0, 0, 0, 0, 0, 0, 0, 62, 0, 0, 0, 40,
                     0,   0,   0,  4, 0, 0, 0, 1, 0, 0, 0,  1, 0, 8, 0};
  bmp.resize(54, '\0');
  bmp += std::string{20, 10, char(200), 0, 40, char(250), 30, 0};
  bmp += std::string{0, 1, 2, char(255)};
  Expected<Image> bmpIndexed = loadBytes("palette.bmp", bmp);
  ASSERT_TRUE(bmpIndexed) << bmpIndexed.error().message();
  EXPECT_EQ(bmpIndexed->rgb, indexed->rgb);

  // 16-bit grey samples 0, 200, 255, 256 and 65535, big-endian.
  std::string samples = {0,         0, 0, 0,         char(200), 0,
                         char(255), 1, 0, char(255), char(255)};
  Expected<Image> grey =
      loadBytes("grey16.png", pngOf(5, 1, 0, 16, "", samples));
  ASSERT_TRUE(grey) << grey.error().message();
  std::vector<uint8_t> want;
  for (uint8_t v : {0, 200, 255, 255, 255})
    want.insert(want.end(), 3, v);
  EXPECT_EQ(grey->rgb, want);

  // OS/2 (a 12-byte info header), 2 x 1 pixels of 8 bits with 2 colours.
  std::string os2 = {'B', 'M', 46,        0, 0, 0, 0,         0, 0, 0, 32, 0,
                     0,   0,   12,        0, 0, 0, 2,         0, 1, 0, 1,  0,
                     8,   0,   char(255), 0, 0, 0, char(255), 0, 1, 0, 0,  0};
  os2.resize(46, '\0');
  Expected<Image> os2Image = loadBytes("os2.bmp", os2);
  ASSERT_FALSE(os2Image);
  EXPECT_NE(os2Image.error().message().find("OS/2 BMP with a palette"),
            std::string::npos);
  std::string header = {'B', 'M', 30,        0, 0,  0, 0, 0, 0,         0,
                        54,  0,   0,         0, 40, 0, 0, 0, char(192), 0,
                        0,   0,   char(192), 0, 0,  0, 1, 0, 8,         0};
  Expected<Image> cut = loadBytes("header.bmp", header);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message().find("its BMP headers need 54 bytes"),
            std::string::npos);

  // A critical chunk of a type stb does not know, named by bytes that
  // are not text; and with a wrong checksum, which is refused first.
  std::string odd = pngOf(1, 1, 0, 8, "", std::string{0, 7});
  odd.insert(33, pngChunk(std::string{char(0xc5), ']', 'i', 1}, ""));
  Expected<Image> unknown = loadBytes("odd.png", odd);
  ASSERT_FALSE(unknown);
  odd[33 + 8] ^= 1;
  Expected<Image> oddChecksum = loadBytes("odd-checksum.png", odd);
  ASSERT_FALSE(oddChecksum);
  EXPECT_NE(oddChecksum.error().message().find(
                "the PNG's '?]i?' chunk fails its checksum"),
            std::string::npos)
      << oddChecksum.error().message();
  for (const Expected<Image> *refused : {&unknown, &oddChecksum})
    for (char c : refused->error().message())
      EXPECT_TRUE(static_cast<uint8_t>(c) >= 0x20 &&
                  static_cast<uint8_t>(c) < 0x7f)
          << refused->error().message();
}

// Tests that a PNG whose chunks before its pixels fail their checksums is
// refused, as PIL refuses it (stb checks none); a wrong checksum of the
// pixels' chunk is not looked at, as PIL does not; a file that ends inside
// its chunks up to its pixel data (one that claims 2 GiB, say) is refused
// as truncated.
TEST(Image, PngChecksumsBeforeThePixels) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  const std::string palette = {char(200), 10, 20};
  const std::string good = pngOf(2, 1, 3, 8, palette, std::string{0, 0, 0});
  ASSERT_TRUE(loadBytes("good.png", good));
  // IHDR's checksum ends at byte 33; PLTE's data starts at 41.
  std::string header = good;
  header[32] ^= 0x10;
  Expected<Image> badHeader = loadBytes("bad-header.png", header);
  ASSERT_FALSE(badHeader);
  EXPECT_NE(badHeader.error().message().find(
                "the PNG's 'IHDR' chunk fails its checksum"),
            std::string::npos)
      << badHeader.error().message();
  std::string colours = good;
  colours[41] ^= 0x01; // a palette entry changed, its checksum not
  Expected<Image> badPalette = loadBytes("bad-palette.png", colours);
  ASSERT_FALSE(badPalette);
  EXPECT_NE(badPalette.error().message().find("'PLTE' chunk fails"),
            std::string::npos);
  std::string pixels = good;
  const size_t idatEnd = pixels.size() - 12; // IEND is the last 12 bytes
  pixels[idatEnd - 1] ^= 0x01;               // IDAT's checksum
  Expected<Image> badPixelsChecksum = loadBytes("bad-idat.png", pixels);
  ASSERT_TRUE(badPixelsChecksum) << badPixelsChecksum.error().message();
  EXPECT_EQ(badPixelsChecksum->rgb,
            (std::vector<uint8_t>{200, 10, 20, 200, 10, 20}));

  // A pixel data chunk that claims 2 GiB in a file of 100 bytes: refused
  // before stb allocates what it claims (the image fuzzer's find).
  std::string claims = good;
  const size_t idat = claims.find("IDAT") - 4;
  claims.replace(idat, 4, std::string{char(0x80), 0, 0, 0});
  Expected<Image> huge = loadBytes("huge-idat.png", claims);
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message().find(
                "the file is truncated: its 'IDAT' chunk of 2147483648 "
                "bytes and its checksum run past its end"),
            std::string::npos)
      << huge.error().message();
  // Cut inside its header chunk, or before its pixel data: truncated (stb
  // said "1/2/4/8/16-bit only" for the first).
  Expected<Image> header16 = loadBytes("cut16.png", good.substr(0, 16));
  ASSERT_FALSE(header16);
  EXPECT_NE(header16.error().message().find(
                "its 'IHDR' chunk of 13 bytes and its checksum run past"),
            std::string::npos)
      << header16.error().message();
  Expected<Image> beforePixels = loadBytes("cut35.png", good.substr(0, 35));
  ASSERT_FALSE(beforePixels);
  EXPECT_NE(beforePixels.error().message().find(
                "the file is truncated: it ends before its pixel data"),
            std::string::npos)
      << beforePixels.error().message();
}

TEST(Image, PreprocessKeepsAspectRatioNormalizesAndPads) {
  TensorInfo input{"image", DType::F32, {1, 3, 64, 64}, "image"};
  Image wide = gradient(200, 100); // scale 0.32: 64 x 32 at the top
  std::vector<float> mean = {0.5f, 0.5f, 0.5f}, std = {0.25f, 0.25f, 0.25f};
  std::vector<Placement> placements;
  Expected<Tensor> tensor =
      preprocessImages({wide}, input, mean, std, &placements);
  ASSERT_TRUE(tensor) << tensor.error().message();
  ASSERT_EQ(placements.size(), 1u);
  EXPECT_EQ(placements[0].width, 64);
  EXPECT_EQ(placements[0].height, 32);
  EXPECT_DOUBLE_EQ(placements[0].scale, 0.32);
  const float *data = tensor->data<float>();
  // Blue is 128 everywhere in the photo: (128/255 - 0.5) / 0.25.
  EXPECT_NEAR(data[2 * 64 * 64 + 10 * 64 + 10], (128 / 255.0 - 0.5) / 0.25,
              1e-5);
  // Below the photo: zero padding.
  EXPECT_EQ(data[0 * 64 * 64 + 40 * 64 + 10], 0.0f);
  EXPECT_EQ(data[2 * 64 * 64 + 63 * 64 + 63], 0.0f);

  Expected<Tensor> twoPhotos =
      preprocessImages({wide, wide}, input, mean, std, nullptr);
  ASSERT_FALSE(twoPhotos);
  EXPECT_NE(twoPhotos.error().message().find("batch of 1 images, 2 given"),
            std::string::npos);
  TensorInfo notImage{"x", DType::F32, {1, 4}, ""};
  EXPECT_FALSE(preprocessImages({wide}, notImage, mean, std, nullptr));
  // An empty or malformed photo is an error, not a read past its pixels.
  for (const Image &bad : {Image{}, Image{10, 10, {}}}) {
    Expected<Tensor> refused =
        preprocessImages({bad}, input, mean, std, nullptr);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message().find("is empty or malformed"),
              std::string::npos);
  }
}

// test/photos/ holds photos and what INTR's evaluation transform makes of
// them in PyTorch (torchvision's Resize of a PIL image, ToTensor,
// Normalize; python/reference/make_photo_goldens.py): the runtime's
// preparation must give the same bits.
// Tests the fit of photos to a canvas, by which intr-run picks a variant:
// each photo's covered fraction, min(r, 1 / r) for a canvas of r times its
// aspect ratio, summed; empty photos and malformed shapes count nothing.
TEST(Image, CanvasFitIsTheCoveredFraction) {
  Image tall, wide, empty;
  tall.width = 60, tall.height = 200;
  wide.width = 96, wide.height = 64;
  tall.rgb.assign(60 * 200 * 3, 0);
  wide.rgb.assign(96 * 64 * 3, 0);
  const std::vector<int64_t> portrait = {1, 3, 128, 64},
                             landscape = {1, 3, 64, 96};
  // 64 x 128 against 60 x 200: r = (64 / 128) / (60 / 200) = 5 / 3.
  EXPECT_DOUBLE_EQ(canvasFit({tall}, portrait), 0.6);
  EXPECT_DOUBLE_EQ(canvasFit({tall}, landscape), 0.2);
  EXPECT_DOUBLE_EQ(canvasFit({wide}, landscape), 1.0);
  EXPECT_DOUBLE_EQ(canvasFit({tall, wide, empty}, portrait), 0.6 + 1.0 / 3);
  EXPECT_EQ(canvasFit({tall}, {3, 128, 64}), 0.0);
  EXPECT_EQ(canvasFit({tall}, {1, 3, 0, 64}), 0.0);
}

TEST(Image, PreprocessMatchesTheReferencePipeline) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  const std::string dir = std::string(INTR_PHOTOS_DIR) + "/";
  std::vector<Image> photos;
  for (const char *name : {"a-wide.png", "b-small.png", "c-tall.png",
                           "d-bird.png", "e-exact.png"}) {
    Expected<Image> photo = loadImage(dir + name);
    ASSERT_TRUE(photo) << photo.error().message();
    photos.push_back(*photo);
  }
  Expected<Tensor> want = loadNpy(dir + "batch.npy");
  ASSERT_TRUE(want) << want.error().message();
  ASSERT_EQ(want->shape(), (std::vector<int64_t>{5, 3, 48, 64}));
  TensorInfo input{"image", DType::F32, want->shape(), "image"};
  std::vector<Placement> placements;
  Expected<Tensor> got =
      preprocessImages(photos, input, {0.485f, 0.456f, 0.406f},
                       {0.229f, 0.224f, 0.225f}, &placements);
  ASSERT_TRUE(got) << got.error().message();
  // Width fills (64 x int(64 * 122 / 181)), width fills growing, height
  // fills (down the columns first), height fills, no resize.
  const std::pair<int, int> sizes[] = {
      {64, 43}, {64, 39}, {14, 48}, {48, 48}, {64, 48}};
  for (size_t i = 0; i < placements.size(); ++i)
    EXPECT_EQ(std::make_pair(placements[i].width, placements[i].height),
              sizes[i])
        << "photo " << i;
  const float *g = got->data<float>(), *w = want->data<float>();
  int64_t mismatches = 0, first = -1;
  for (int64_t i = 0; i < want->numElements(); ++i)
    if (std::memcmp(&g[i], &w[i], sizeof(float)) != 0 && mismatches++ == 0)
      first = i;
  EXPECT_EQ(mismatches, 0) << "first at element " << first << ": " << g[first]
                           << " against " << w[first];
}

// JPEGs decode to PIL's pixels (libjpeg's default decode, which PIL runs):
// 4:2:0, Adobe CMYK, grey, progressive 4:4:4 and 4:2:2 photos, against what
// PIL made of them.
TEST(Image, JpegsDecodeAsPilDecodesThem) {
  if (!builtWithImages() || !INTR_HAVE_LIBJPEG)
    GTEST_SKIP() << "JPEGs go through stb: built without libjpeg";
  const std::string dir = std::string(INTR_PHOTOS_DIR) + "/";
  for (const char *name :
       {"f-photo", "g-cmyk", "h-grey", "i-progressive", "j-422"}) {
    Expected<Image> got = loadImage(dir + name + ".jpg");
    Expected<Image> want = loadImage(dir + name + "-decoded.png");
    ASSERT_TRUE(got) << got.error().message();
    ASSERT_TRUE(want) << want.error().message();
    EXPECT_EQ(got->width, want->width) << name;
    EXPECT_EQ(got->height, want->height) << name;
    EXPECT_TRUE(got->rgb == want->rgb) << name;
  }
  // Every truncation fails with a reason (libjpeg itself only warns and
  // fills the rest with grey; PIL refuses a truncated file too).
  std::ifstream in(dir + "f-photo.jpg", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::string cut = tempPath("cut.jpg");
  for (size_t length = 3; length < bytes.size(); length += 97) {
    std::ofstream(cut, std::ios::binary).write(bytes.data(), length);
    Expected<Image> loaded = loadImage(cut);
    ASSERT_FALSE(loaded) << length << " bytes";
    EXPECT_NE(loaded.error().message().find("cannot decode the image ("),
              std::string::npos)
        << loaded.error().message();
  }
  // Without its end marker but padded, as PIL reads it: every row is there.
  std::string padded = bytes.substr(0, bytes.size() - 2) + std::string(16, 0);
  std::ofstream(cut, std::ios::binary).write(padded.data(), padded.size());
  Expected<Image> unended = loadImage(cut);
  ASSERT_TRUE(unended) << unended.error().message();
  Expected<Image> whole = loadImage(dir + "f-photo.jpg");
  EXPECT_TRUE(whole && unended->rgb == whole->rgb);
  // A header that claims more pixels than PIL would decode (65500 x 65500
  // in the baseline frame's height and width) is refused before decoding.
  std::string huge = bytes;
  size_t frame = huge.find("\xff\xc0");
  ASSERT_NE(frame, std::string::npos);
  for (size_t at : {frame + 5, frame + 7})
    huge[at] = char(0xff), huge[at + 1] = char(0xdc);
  std::ofstream(cut, std::ios::binary).write(huge.data(), huge.size());
  Expected<Image> tooLarge = loadImage(cut);
  ASSERT_FALSE(tooLarge);
  EXPECT_NE(
      tooLarge.error().message().find("65500 x 65500 pixels is too large"),
      std::string::npos)
      << tooLarge.error().message();
  std::remove(cut.c_str());
}

TEST(Image, ResizeMatchesPilOnSeveralThreads) {
  if (!builtWithImages())
    GTEST_SKIP() << "built without stb";
  const std::string dir = std::string(INTR_PHOTOS_DIR) + "/";
  Expected<Image> bird = loadImage(dir + "d-bird.png");
  Expected<Image> want = loadImage(dir + "resized-320x240.png");
  ASSERT_TRUE(bird && want);
  // 76800 pixels: past the size whose rows run on OpenMP's threads.
  Image got = resizeImage(*bird, 320, 240);
  ASSERT_EQ(got.width, 320);
  ASSERT_EQ(got.height, 240);
  EXPECT_TRUE(got.rgb == want->rgb);
}

TEST(Image, ResizeKeepsFlatColoursAndRefusesEmptySizes) {
  // Every weight set sums to one: a flat photo stays flat however it is
  // shrunk or grown, on either order of the passes.
  Image flat{53, 31, std::vector<uint8_t>(53 * 31 * 3)};
  for (size_t i = 0; i < flat.rgb.size(); ++i)
    flat.rgb[i] = uint8_t(i % 3 == 0 ? 0 : i % 3 == 1 ? 255 : 77);
  for (auto [width, height] : {std::pair{300, 250}, std::pair{11, 7},
                               std::pair{53, 2}, std::pair{1, 1}}) {
    Image out = resizeImage(flat, width, height);
    ASSERT_EQ(out.rgb.size(), size_t(width) * height * 3);
    for (size_t i = 0; i < out.rgb.size(); ++i)
      ASSERT_EQ(out.rgb[i], flat.rgb[i % 3]) << width << " x " << height;
  }
  EXPECT_TRUE(resizeImage(flat, 0, 5).rgb.empty());
  EXPECT_TRUE(resizeImage(Image{2, 2, {}}, 4, 4).rgb.empty());
}

TEST(Image, HeatmapHasThePhotosSizeAndPeaksWhereTheMapDoes) {
  Image photo = gradient(90, 60);
  Placement placement{0.5, 45, 30, 64, 64}; // photo at the top left
  // A 4 x 4 map over the 64 x 64 canvas; its peak, cell (0, 1), is drawn at
  // canvas x 16 (photo x 32), the centre of its receptive field.
  std::vector<float> map(16, 0.0f);
  map[1] = 1.0f;
  Image out = renderHeatmap(photo, map.data(), 4, 4, placement);
  ASSERT_EQ(out.width, 90);
  ASSERT_EQ(out.height, 60);
  auto lightness = [&](int x, int y) {
    const uint8_t *p = &out.rgb[(size_t(y) * out.width + x) * 3];
    return p[0] + p[1] + p[2];
  };
  EXPECT_GT(lightness(32, 2), lightness(85, 55));

  // Each axis by its own scale: here the height was squeezed to 15 rows, so
  // map row 1 (canvas y 16) lies below the photo's last row, which is the
  // lightest of its column; one scale for both would put it at photo y 32.
  std::vector<float> row1(16, 0.0f);
  row1[4] = 1.0f;
  Image squeezed =
      renderHeatmap(photo, row1.data(), 4, 4, Placement{0.5, 45, 15, 64, 64});
  auto lightnessOf = [&](const Image &image, int x, int y) {
    const uint8_t *p = &image.rgb[(size_t(y) * image.width + x) * 3];
    return p[0] + p[1] + p[2];
  };
  EXPECT_GT(lightnessOf(squeezed, 2, 59), lightnessOf(squeezed, 2, 32));

  Image grid = tileImages({out, out, out}, 2, 4);
  EXPECT_EQ(grid.width, 2 * 90 + 4);
  EXPECT_EQ(grid.height, 2 * 60 + 4);
}

// Tests that the drawing helpers give an empty image for what they cannot
// draw, where they read out of bounds, divided by zero or threw.
TEST(Image, HelpersRefuseMalformedInputWithAnEmptyImage) {
  Image photo = gradient(8, 6);
  std::vector<float> map(12, 0.5f);
  const Placement placed{1.0, 8, 6, 8, 8};
  EXPECT_FALSE(renderHeatmap(photo, map.data(), 3, 4, placed).rgb.empty());
  EXPECT_TRUE(renderHeatmap(photo, map.data(), 3, 4, Placement{}).rgb.empty());
  EXPECT_TRUE(renderHeatmap(photo, nullptr, 3, 4, placed).rgb.empty());
  EXPECT_TRUE(renderHeatmap(photo, map.data(), 0, 0, placed).rgb.empty());
  Image short_ = photo;
  short_.rgb.resize(10);
  EXPECT_TRUE(renderHeatmap(short_, map.data(), 3, 4, placed).rgb.empty());

  EXPECT_FALSE(tileImages({photo, photo}, 2, 1).rgb.empty());
  EXPECT_TRUE(tileImages({photo, photo}, 2, -100).rgb.empty());
  EXPECT_TRUE(tileImages({photo, short_}, 2, 1).rgb.empty());
  EXPECT_TRUE(tileImages({photo, gradient(9, 6)}, 2, 1).rgb.empty());
  EXPECT_TRUE(tileImages({photo, photo}, 2, 1 << 30).rgb.empty());

  // Past loadImage's limit of pixels: refused, not an allocation that
  // throws.
  EXPECT_TRUE(resizeImage(photo, 100000, 100000).rgb.empty());
}

// Tests that preprocessImages fills `placements` anew, and refuses an
// input whose height or width is not a size.
TEST(Image, PreprocessFillsPlacementsAnewAndChecksTheCanvas) {
  TensorInfo input{"image", DType::F32, {1, 3, 8, 8}, "image"};
  const std::vector<float> mean{0.5f, 0.5f, 0.5f}, std{0.25f, 0.25f, 0.25f};
  std::vector<Placement> placements(5);
  Expected<Tensor> batch =
      preprocessImages({gradient(16, 8)}, input, mean, std, &placements);
  ASSERT_TRUE(batch) << batch.error().message();
  ASSERT_EQ(placements.size(), 1u);
  EXPECT_EQ(placements[0].width, 8);
  EXPECT_EQ(placements[0].height, 4);
  input.shape = {1, 3, -5, 10};
  Expected<Tensor> negative =
      preprocessImages({gradient(16, 8)}, input, mean, std, nullptr);
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message().find("height and width of 1 to"),
            std::string::npos)
      << negative.error().message();
}

} // namespace
