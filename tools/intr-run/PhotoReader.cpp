//===- PhotoReader.cpp - Photos decoded ahead on threads ------------------===//

#include "PhotoReader.h"

#include <algorithm>
#include <new>
#include <system_error>

namespace {

/// A photo, or why it could not be read (a host allocation that fails
/// included: an exception would end a decoding thread's process).
intr::Expected<intr::Image> decode(const std::string &path) {
  try {
    return intr::loadImage(path);
  } catch (const std::bad_alloc &) {
    return intr::Error(path + ": out of host memory");
  }
}

} // namespace

PhotoReader::PhotoReader(const std::vector<std::string> &paths,
                         unsigned decoders, size_t ahead)
    : paths(paths), ahead(std::max<size_t>(ahead, 1)), photos(paths.size()) {
  const size_t count = std::min<size_t>(decoders, paths.size());
  threads.reserve(count);
  try {
    for (size_t t = 0; t < count; ++t)
      threads.emplace_back([this] { decodeUntilStopped(); });
  } catch (const std::system_error &) {
    // Fewer threads than asked for: those started decode.
  } catch (...) {
    // A thread's state not allocated: those started must be joined before
    // the exception leaves (a joinable thread destroyed ends the process).
    stop();
    throw;
  }
}

PhotoReader::~PhotoReader() { stop(); }

void PhotoReader::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wanted.notify_all();
  for (std::thread &thread : threads)
    if (thread.joinable())
      thread.join();
}

void PhotoReader::decodeUntilStopped() {
  std::unique_lock<std::mutex> lock(mutex);
  while (true) {
    wanted.wait(lock, [&] {
      return stopping || claimed == paths.size() || claimed < taken + ahead;
    });
    if (stopping || claimed == paths.size())
      return;
    const size_t i = claimed++;
    lock.unlock();
    intr::Expected<intr::Image> photo = decode(paths[i]);
    lock.lock();
    photos[i] = std::move(photo);
    decoded.notify_all();
  }
}

intr::Expected<intr::Image> PhotoReader::take() {
  std::unique_lock<std::mutex> lock(mutex);
  const size_t i = taken;
  if (i == paths.size())
    return intr::Error("no photo left to take (all " +
                       std::to_string(paths.size()) + " were)");
  if (threads.empty()) {
    ++claimed, ++taken;
    lock.unlock();
    return decode(paths[i]);
  }
  decoded.wait(lock, [&] { return photos[i].has_value(); });
  intr::Expected<intr::Image> photo = std::move(*photos[i]);
  photos[i].reset();
  ++taken;
  lock.unlock();
  wanted.notify_all();
  return photo;
}
