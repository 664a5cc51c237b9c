//===- NpyTest.cpp - Reading and writing .npy files -----------------------===//

#include "intr/runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

using namespace intr;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "intr-npy-" + name;
}

/// A .npy file image with the given header dict and `dataBytes` zero bytes.
std::string npyBytes(const std::string &dict, size_t dataBytes,
                     unsigned char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += static_cast<char>(major);
  bytes += '\0';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  if (major != 1)
    bytes += std::string(2, '\0');
  bytes += header;
  bytes += std::string(dataBytes, '\0');
  return bytes;
}

Expected<Tensor> parse(const std::string &bytes) {
  return parseNpy(bytes.data(), bytes.size(), "test.npy");
}

// Tests that every supported dtype and rank survives a save and a load.
TEST(Npy, RoundTripsEveryDtypeAndRank) {
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {5}, {2, 3}, {1, 2, 3, 4}, {0, 4}};
  const DType dtypes[] = {DType::F32, DType::F16, DType::F64, DType::I64,
                          DType::I32, DType::I8,  DType::U8,  DType::Bool};
  for (DType dtype : dtypes) {
    for (const std::vector<int64_t> &shape : shapes) {
      Tensor original(dtype, shape);
      auto *bytes = static_cast<unsigned char *>(original.rawData());
      for (size_t i = 0; i < original.sizeInBytes(); ++i)
        bytes[i] = static_cast<unsigned char>(dtype == DType::Bool ? i % 2
                                                                   : i * 7 + 1);
      std::string path = tempPath("roundtrip.npy");
      ASSERT_TRUE(saveNpy(path, original).isOk());
      Expected<Tensor> loaded = loadNpy(path);
      ASSERT_TRUE(loaded) << loaded.error().message();
      EXPECT_EQ(loaded->dtype(), dtype) << dtypeName(dtype);
      EXPECT_EQ(loaded->shape(), shape) << formatShape(shape);
      ASSERT_EQ(loaded->sizeInBytes(), original.sizeInBytes());
      // An empty tensor has no storage: memcmp of null pointers is undefined.
      if (original.sizeInBytes() != 0) {
        EXPECT_EQ(std::memcmp(loaded->rawData(), original.rawData(),
                              original.sizeInBytes()),
                  0);
      }
      std::remove(path.c_str());
    }
  }
}

// Tests that the data of a saved file starts 64-byte aligned, as NumPy's do.
TEST(Npy, SavedDataIsAligned) {
  Tensor tensor(DType::F32, {3, 7});
  std::string path = tempPath("aligned.npy");
  ASSERT_TRUE(saveNpy(path, tensor).isOk());
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  EXPECT_EQ((static_cast<size_t>(file.tellg()) - tensor.sizeInBytes()) % 64,
            0u);
  std::remove(path.c_str());
}

// Tests that format versions 2.0 and 3.0 (4-byte header length) load.
TEST(Npy, ReadsVersionTwoAndThree) {
  for (unsigned char major : {2, 3}) {
    Expected<Tensor> tensor = parse(
        npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                 16, major));
    ASSERT_TRUE(tensor) << tensor.error().message();
    EXPECT_EQ(tensor->shape(), (std::vector<int64_t>{2, 2}));
  }
}

// Tests that a dict with other spacing and key order parses.
TEST(Npy, ToleratesKeyOrderAndSpacing) {
  Expected<Tensor> tensor =
      parse(npyBytes("{'shape':(3,),'fortran_order':False,'descr':'<i8'}", 24));
  ASSERT_TRUE(tensor) << tensor.error().message();
  EXPECT_EQ(tensor->dtype(), DType::I64);
  EXPECT_EQ(tensor->shape(), (std::vector<int64_t>{3}));
}

struct BadFile {
  const char *what;
  std::string bytes;
  const char *message;
};

// Tests that every kind of malformed file gives an error naming the problem.
TEST(Npy, RejectsMalformedFiles) {
  const std::string good =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const BadFile cases[] = {
      {"empty", "", "magic"},
      {"not npy", "PK\x03\x04 this is a zip file", "magic"},
      {"truncated header", npyBytes(good, 24).substr(0, 30),
       "truncated header"},
      {"version 9", npyBytes(good, 24, 9), "version 9"},
      {"big-endian",
       npyBytes("{'descr': '>f4', 'fortran_order': False, "
                "'shape': (2, 3), }",
                24),
       "unsupported element type '>f4'"},
      {"object array",
       npyBytes("{'descr': '|O', 'fortran_order': False, "
                "'shape': (2,), }",
                16),
       "unsupported element type '|O'"},
      {"fortran order",
       npyBytes("{'descr': '<f4', 'fortran_order': True, "
                "'shape': (2, 3), }",
                24),
       "Fortran order"},
      {"no shape", npyBytes("{'descr': '<f4', 'fortran_order': False, }", 4),
       "'shape'"},
      {"bad shape",
       npyBytes("{'descr': '<f4', 'fortran_order': False, "
                "'shape': (2, -3), }",
                24),
       "'shape'"},
      {"data truncated", npyBytes(good, 23), "needs 24 bytes"},
      {"data too long", npyBytes(good, 25), "needs 24 bytes"},
      {"overflowing shape",
       npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': "
                "(281474976710655, 281474976710655, 281474976710655), }",
                8),
       "too large"},
  };
  for (const BadFile &bad : cases) {
    Expected<Tensor> tensor = parse(bad.bytes);
    ASSERT_FALSE(tensor) << bad.what;
    EXPECT_NE(tensor.error().message().find("test.npy"), std::string::npos)
        << bad.what << ": " << tensor.error().message();
    EXPECT_NE(tensor.error().message().find(bad.message), std::string::npos)
        << bad.what << ": " << tensor.error().message();
  }
}

// Tests that a missing file is an error that names it.
TEST(Npy, MissingFileIsAnError) {
  Expected<Tensor> tensor = loadNpy("/nonexistent/dir/x.npy");
  ASSERT_FALSE(tensor);
  EXPECT_NE(tensor.error().message().find("/nonexistent/dir/x.npy"),
            std::string::npos);
}

// Tests that a directory or a device where a .npy file belongs is an
// error that says so (reading a directory threw from inside the stream and
// aborted; /dev/zero was read forever).
TEST(Npy, DirectoryOrDeviceIsAnError) {
  Expected<Tensor> directory = loadNpy(::testing::TempDir());
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message().find("is a directory"),
            std::string::npos)
      << directory.error().message();
  Expected<Tensor> device = loadNpy("/dev/zero");
  ASSERT_FALSE(device);
  EXPECT_NE(device.error().message().find("/dev/zero: is a device"),
            std::string::npos)
      << device.error().message();
}

// Tests that saving into a missing directory is an error, not a crash.
TEST(Npy, UnwritablePathIsAnError) {
  Status status = saveNpy("/nonexistent/dir/x.npy", Tensor(DType::F32, {1}));
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.error().message().find("cannot create"), std::string::npos);
}

// Tests that bf16, which NumPy lacks, is refused with a reason.
TEST(Npy, RefusesToSaveBf16) {
  Status status = saveNpy(tempPath("bf16.npy"), Tensor(DType::BF16, {2}));
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.error().message().find("bf16"), std::string::npos);
}

} // namespace
