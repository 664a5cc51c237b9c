//===- ExecutableFuzzer.cpp - libFuzzer target for .intrx loading ---------===//
//
// Feeds arbitrary bytes to Executable::fromBytes and runs whatever loads on
// the CPU backend with zero-filled inputs of the compiled shapes. Any
// result is fine except a crash, a hang, a sanitizer report or an
// out-of-memory: corrupted executables must come back as errors.
//
//   build-fuzz-runtime/bin/intr-fuzz-executable -max_total_time=600 \
//       -timeout=10 fuzz/corpus/executable
//
// Random mutations almost never keep the checksum right, and a checksum
// mismatch stops the loader before anything interesting, so the checksum is
// recomputed over the ranges the preamble names before loading (the
// checksum itself is covered by unittests/Runtime/ExecutableTest.cpp).
//
//===----------------------------------------------------------------------===//

#include "intr/Target/FilePreamble.h"
#include "intr/runtime/Runtime.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

/// A valid file may ask for any arena up to the loader's 16 TiB limit;
/// allocating that is a resource question, not a memory-safety one, and
/// would trip libFuzzer's malloc limit. Inputs of larger arenas stop after
/// loading.
constexpr uint64_t kMaxArenaBytes = uint64_t(64) << 20;

/// Rewrites the preamble's checksum when the parts it names are in range.
void reseal(std::vector<uint8_t> &bytes) {
  namespace fb = intr::format;
  fb::FilePreamble preamble;
  if (bytes.size() < sizeof(preamble))
    return;
  std::memcpy(&preamble, bytes.data(), sizeof(preamble));
  uint64_t size = bytes.size();
  auto inFile = [&](uint64_t offset, uint64_t length) {
    return offset <= size && length <= size - offset;
  };
  if (!inFile(preamble.headerOffset, preamble.headerSize) ||
      !inFile(preamble.weightsOffset, preamble.weightsSize))
    return;
  preamble.checksum = fb::checksum(
      bytes.data() + preamble.weightsOffset, preamble.weightsSize,
      fb::checksum(bytes.data() + preamble.headerOffset, preamble.headerSize));
  std::memcpy(bytes.data(), &preamble, sizeof(preamble));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  reseal(bytes);
  intr::Expected<intr::Executable> exe =
      intr::Executable::fromBytes(bytes.data(), bytes.size(), "fuzz.intrx");
  if (!exe)
    return 0;
  // Everything the loader exposes must be readable.
  (void)exe->stepKernels();
  (void)exe->featureMap();
  if (exe->arenaSize() > kMaxArenaBytes)
    return 0;

  intr::Expected<intr::Session> session =
      intr::Session::create(*exe, intr::Device::cpu(1));
  if (!session)
    return 0;
  // Inputs live in the arena, so each is at most kMaxArenaBytes.
  std::vector<std::vector<std::byte>> buffers;
  std::map<std::string, intr::TensorView> inputs;
  for (const intr::TensorInfo &info : exe->inputs()) {
    buffers.emplace_back(static_cast<size_t>(intr::elementCount(info.shape)) *
                         intr::dtypeSize(info.dtype));
    inputs[info.name] =
        intr::TensorView(buffers.back().data(), info.dtype, info.shape);
  }
  (void)session->run(inputs);
  return 0;
}
