//===- PhotoReader.h - Photos decoded ahead on threads ----------*- C++ -*-===//
//
// Decoding a photo (a 500x375 JPEG: about 2 ms on one thread) takes longer
// than a GPU takes to run a batch-1 plan, so a dataset's throughput is
// bound by its decoding unless photos are decoded ahead, several at once.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_INTR_RUN_PHOTOREADER_H
#define INTR_TOOLS_INTR_RUN_PHOTOREADER_H

#include "intr/runtime/Image.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

/// Decodes `paths` in order on background threads, at most `ahead` photos
/// beyond those taken (each held photo costs its pixels: 36 MB at 12
/// megapixels), and hands them out in order with take().
class PhotoReader {
public:
  /// Starts `decoders` threads (fewer where the system gives fewer). With
  /// none, take() decodes each photo on the caller's thread.
  PhotoReader(const std::vector<std::string> &paths, unsigned decoders,
              size_t ahead);
  /// Stops decoding and waits for the photos being decoded.
  ~PhotoReader();
  PhotoReader(const PhotoReader &) = delete;
  PhotoReader &operator=(const PhotoReader &) = delete;

  /// The next photo in order, waiting for it, or why it could not be read
  /// (an error too once every photo was taken).
  intr::Expected<intr::Image> take();

private:
  void decodeUntilStopped();
  /// Stops the threads after the photos they are decoding, and joins them.
  void stop();

  const std::vector<std::string> &paths;
  const size_t ahead;
  std::mutex mutex;
  std::condition_variable decoded, wanted;
  /// Photos decoded and not yet taken, by index (a taken one is reset).
  std::vector<std::optional<intr::Expected<intr::Image>>> photos;
  size_t claimed = 0, taken = 0;
  bool stopping = false;
  std::vector<std::thread> threads;
};

#endif // INTR_TOOLS_INTR_RUN_PHOTOREADER_H
