//===- intr-run.cpp - Run a compiled INTR model ---------------------------===//
//
//   intr-run model.intrx photo.jpg ... [--labels FILE] [--top-k K]
//            [--heatmaps DIR] [--heads] [--layer N] [--json]
//            [--padding-mask NAME | --valid-mask NAME]
//   intr-run model.intrx --dataset DIR [--top-k K] [--json]
//   intr-run model.intrx --input [NAME=]x.npy ... [--output-dir DIR]
//            [--expect DIR [--atol A] [--rtol R]]
//   either with [--device cpu|cuda[:N]] [--threads N]
//
// Prints the top-k classes of the logits (a dataset's accuracy); draws where
// each of them looked;
// writes every output as DIR/<output name>.npy in the output's own dtype.
// Photos run in batches of the compiled size, as many as there are.
//
//===----------------------------------------------------------------------===//

#include "CommandLineArgument.h"
#include "ImageFolder.h"
#include "JsonString.h"
#include "LabelsText.h"
#include "PhotoReader.h"
#include "StdoutResults.h"
#include "intr/runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <new>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace {

using intr::tools::jsonString;

const char *kUsage =
    "usage: intr-run model.intrx photo.jpg ... [options]\n"
    "       intr-run model.intrx --dataset DIR [options]\n"
    "       intr-run model.intrx --input [NAME=]x.npy ... [options]\n"
    "\n"
    "Runs a compiled model on the CPU or a CUDA device (--device) and\n"
    "prints the top-k classes. Photos (JPEG, PNG, BMP, ...; any number,\n"
    "run in batches of the compiled size) get the preprocessing recorded\n"
    "in the executable; .npy inputs are used as they are. An executable\n"
    "compiled with variants (intr-opt compile --variant) runs photos in\n"
    "batches its plans take (the fewest copies filling up the last run,\n"
    "then the fewest runs), each on the plan whose canvas they fill best,\n"
    "and .npy inputs on the plan of their shapes.\n"
    "\n"
    "options:\n"
    "  --dataset DIR            the photos of DIR/<class>/..., as\n"
    "                           torchvision's ImageFolder reads them: prints\n"
    "                           the top-1 and top-k accuracy instead of each\n"
    "                           photo's classes (folders named after the\n"
    "                           model's labels are those classes, else the\n"
    "                           i-th in sorted order is class i)\n"
    "  --padding-mask NAME      fill the model's input NAME, a [B, H, W]\n"
    "                           pixel mask beside the image, from where each\n"
    "                           photo lands: 1 (true) on the padding, as\n"
    "                           DETR's NestedTensor mask (--valid-mask NAME:\n"
    "                           1 on the photo, as Hugging Face's pixel_mask)\n"
    "  --input [NAME=]FILE.npy  an input tensor (repeat for each; NAME may\n"
    "                           be left out when the model has one input)\n"
    "  --labels FILE            class names, one per line (default: those\n"
    "                           compiled in, else class numbers)\n"
    "  --top-k K                how many classes to print (default 5)\n"
    "  --heatmaps DIR           for each photo and top-k class, write the\n"
    "                           head-mean attention over the photo as PNG\n"
    "  --heads                  with --heatmaps: one PNG per head too, and a\n"
    "                           grid of classes x (mean, heads) per photo\n"
    "  --layer N                the decoder layer to draw (default: last;\n"
    "                           0, the only one, when compiled with\n"
    "                           --attention-layers last)\n"
    "  --json                   print the result as JSON\n"
    "  --output-dir DIR         write every output as DIR/<name>.npy\n"
    "  --expect DIR             compare every output with DIR/<name>.npy and\n"
    "                           fail when |got - want| > atol + rtol * |want|\n"
    "                           (NaN matches NaN, an infinity itself)\n"
    "  --atol A, --rtol R       tolerances of --expect (default: what the\n"
    "                           plan's precision meets on the device; CPU:\n"
    "                           1e-4 each, 5e-2 for fp16 plans, 0.25 for\n"
    "                           bf16 plans)\n"
    "  --device D               cpu, cuda or cuda:N (default cpu)\n"
    "  --threads N              CPU threads (default, or 0: all)\n"
    "  --help                   this text\n";

int usageError(const std::string &message) {
  std::cerr << "error: " << message << "\n\n" << kUsage;
  return 2;
}

bool parseDouble(const std::string &text, double &value) {
  char *end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && value >= 0;
}

/// The last of the layers stacked along `stacked`'s leading axis when it
/// has several and `kept` is the shape of one of them ([1, ...] against
/// [L, ...], the rest alike), else nullopt.
std::optional<intr::Tensor> lastLayer(const intr::Tensor &stacked,
                                      const std::vector<int64_t> &kept) {
  const std::vector<int64_t> &all = stacked.shape();
  if (all.empty() || all.size() != kept.size() || all[0] <= 1 || kept[0] != 1 ||
      !std::equal(all.begin() + 1, all.end(), kept.begin() + 1))
    return std::nullopt;
  intr::Tensor last(stacked.dtype(), kept);
  std::memcpy(last.rawData(),
              static_cast<const std::byte *>(stacked.rawData()) +
                  stacked.sizeInBytes() - last.sizeInBytes(),
              last.sizeInBytes());
  return last;
}

/// Compares `got` with the expected tensor in `path`; prints one line. An
/// f16 or bf16 output (--attention-dtype fp16, a model exported in half
/// precision) is compared with an f32 golden in f32, with its type's
/// rounding added to the tolerance; an f64 one (a model exported in
/// double) with an f64 golden, within the tolerance; other types exactly.
/// Attention maps of the last decoder layer only (`layered`, --attention-layers
/// last) are compared with the last layer of a golden that stacks them all.
bool matches(const std::string &name, const intr::Tensor &stored,
             const std::string &path, intr::Tolerance tolerance, bool layered) {
  intr::Expected<intr::Tensor> want = intr::loadNpy(path);
  if (!want) {
    std::printf("%-16s FAIL  %s\n", name.c_str(),
                want.error().message().c_str());
    return false;
  }
  std::string against;
  if (layered)
    if (std::optional<intr::Tensor> last = lastLayer(*want, stored.shape())) {
      against = ", against the last of " + std::to_string(want->shape()[0]) +
                " layers";
      *want = std::move(*last);
    }
  const bool half = (stored.dtype() == intr::DType::F16 ||
                     stored.dtype() == intr::DType::BF16) &&
                    want->dtype() == intr::DType::F32;
  intr::Tensor widened;
  if (half)
    widened = intr::toFloat32(stored);
  const intr::Tensor &got = half ? widened : stored;
  if (half)
    tolerance = tolerance.plusRoundingOf(stored.dtype());
  if (want->dtype() != got.dtype() || want->shape() != got.shape()) {
    std::printf("%-16s FAIL  got %s %s, expected %s %s\n", name.c_str(),
                intr::dtypeName(got.dtype()),
                intr::formatShape(got.shape()).c_str(),
                intr::dtypeName(want->dtype()),
                intr::formatShape(want->shape()).c_str());
    return false;
  }
  const bool f64 = got.dtype() == intr::DType::F64;
  if (got.dtype() != intr::DType::F32 && !f64) {
    bool same = std::memcmp(got.rawData(), want->rawData(),
                            got.sizeInBytes()) == 0;
    std::printf("%-16s %s  (exact comparison)\n", name.c_str(),
                same ? "ok  " : "FAIL");
    return same;
  }
  // f32 outputs, and f64 ones (a model exported in double).
  auto a = [&](int64_t i) {
    return f64 ? got.data<double>()[i] : double(got.data<float>()[i]);
  };
  auto b = [&](int64_t i) {
    return f64 ? want->data<double>()[i] : double(want->data<float>()[i]);
  };
  double maxDiff = 0;
  int64_t worst = 0, bad = 0;
  for (int64_t i = 0; i < got.numElements(); ++i) {
    // NaN matches NaN and an infinity the same infinity; NaN against a
    // number, or an infinity against anything else, is off by infinity.
    const double x = a(i), y = b(i);
    double diff =
        x == y || (std::isnan(x) && std::isnan(y)) ? 0.0 : std::fabs(x - y);
    if (std::isnan(diff))
      diff = std::numeric_limits<double>::infinity();
    // An infinite want makes the tolerance infinite: only a finite
    // difference is within it.
    if (diff != 0 && !(std::isfinite(diff) &&
                       diff <= tolerance.atol + tolerance.rtol * std::fabs(y)))
      ++bad;
    if (diff > maxDiff) {
      maxDiff = diff;
      worst = i;
    }
  }
  std::printf(
      "%-16s %s  max |diff| %.3g at element %lld (got %.6g, want "
      "%.6g)%s%s\n",
      name.c_str(), bad ? "FAIL" : "ok  ", maxDiff, (long long)worst,
      got.numElements() ? a(worst) : 0.0, got.numElements() ? b(worst) : 0.0,
      bad ? (", " + std::to_string(bad) + " elements out of tolerance").c_str()
      : half ? ", stored in f16"
             : "",
      against.c_str());
  return bad == 0;
}

bool parseInt(const std::string &text, int &value) {
  char *end = nullptr;
  long parsed = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || parsed < 0 || parsed > 1 << 20)
    return false;
  value = static_cast<int>(parsed);
  return true;
}

/// A JSON number, or null for NaN and infinities, which JSON cannot say.
std::string jsonNumber(float value) {
  if (!std::isfinite(value))
    return "null";
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

/// A file-name-safe version of a label.
std::string slug(const std::string &text) {
  std::string out;
  for (char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return out.empty() ? "class" : out;
}

/// The file name without directories and extension.
std::string stem(const std::string &path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

bool isDirectory(const std::string &path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

/// A file or a pipe: what reading to the end finishes on. A directory
/// opens for reading on Linux and reads as empty; /dev/zero never ends.
bool isReadable(const std::string &path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 &&
         (S_ISREG(info.st_mode) || S_ISFIFO(info.st_mode));
}

intr::Expected<std::vector<std::string>> readLabels(const std::string &path) {
  FILE *file = isReadable(path) ? std::fopen(path.c_str(), "r") : nullptr;
  if (!file)
    return intr::Error(path + ": cannot open the label file");
  std::string text;
  char chunk[4096];
  for (size_t n; (n = std::fread(chunk, 1, sizeof(chunk), file)) > 0;)
    text.append(chunk, n);
  const bool failed = std::ferror(file);
  std::fclose(file);
  if (failed)
    return intr::Error(path + ": cannot read the label file");
  return intr::tools::parseLabels(text);
}

struct Ranked {
  int64_t index;
  float score;
};

/// The k best classes of image b of logits [B, C].
std::vector<Ranked> topClasses(const intr::Tensor &logits, int64_t b, int k) {
  int64_t classes = logits.shape()[1];
  const float *row = logits.data<float>() + b * classes;
  std::vector<int64_t> order(classes);
  std::iota(order.begin(), order.end(), 0);
  int64_t shown = std::min<int64_t>(k, classes);
  // Higher first, NaN last: `>` alone is no ordering once a NaN is in.
  std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                    [&](int64_t x, int64_t y) {
                      return !std::isnan(row[x]) &&
                             (std::isnan(row[y]) || row[x] > row[y]);
                    });
  std::vector<Ranked> ranked;
  for (int64_t i = 0; i < shown; ++i)
    ranked.push_back({order[i], row[order[i]]});
  return ranked;
}

struct Options {
  std::string model;
  std::vector<std::string> photos, inputSpecs;
  std::string labelsFile, heatmapDir, outputDir, expectDir, dataset,
      device = "cpu";
  /// The name of a model's pixel-mask input that intr-run fills from where
  /// each photo lands: true where the input is padding (DETR's
  /// NestedTensor mask), or true where it is the photo (`validMask`, as
  /// Hugging Face's pixel_mask).
  std::string maskInput;
  bool validMask = false;
  int topK = 5, threads = 0, layer = -1;
  bool heads = false, json = false;
  /// --atol, --rtol; unset: the plan's precision and the device decide
  /// (intr::referenceTolerance).
  std::optional<double> atol, rtol;
};

/// Parses the command line; returns an exit code when it should stop.
std::optional<int> parseOptions(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    intr::tools::CommandLineArgument argument(argc, argv, i);
    const std::string arg = argument.name();
    std::string text;
    auto needs = [&](const char *what) {
      return usageError(argument.needs(what));
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--input") {
      if (!argument.takeValue(text))
        return needs("a value");
      o.inputSpecs.push_back(text);
    } else if (arg == "--labels") {
      if (!argument.takeValue(o.labelsFile))
        return needs("a file");
    } else if (arg == "--dataset") {
      if (!argument.takeValue(o.dataset))
        return needs("a directory");
    } else if (arg == "--padding-mask" || arg == "--valid-mask") {
      if (!o.maskInput.empty())
        return usageError("give one of --padding-mask and --valid-mask");
      if (!argument.takeValue(o.maskInput))
        return needs("an input name");
      o.validMask = arg == "--valid-mask";
    } else if (arg == "--heatmaps") {
      if (!argument.takeValue(o.heatmapDir))
        return needs("a directory");
    } else if (arg == "--output-dir") {
      if (!argument.takeValue(o.outputDir))
        return needs("a directory");
    } else if (arg == "--expect") {
      if (!argument.takeValue(o.expectDir))
        return needs("a directory");
    } else if (arg == "--top-k") {
      if (!argument.takeValue(text) || !parseInt(text, o.topK))
        return needs("a non-negative integer");
    } else if (arg == "--device") {
      if (!argument.takeValue(o.device))
        return needs("a device");
    } else if (arg == "--threads") {
      if (!argument.takeValue(text) || !parseInt(text, o.threads))
        return needs("a non-negative integer");
    } else if (arg == "--layer") {
      if (!argument.takeValue(text) || !parseInt(text, o.layer))
        return needs("a non-negative integer");
    } else if (arg == "--atol") {
      if (!argument.takeValue(text) || !parseDouble(text, o.atol.emplace()))
        return needs("a non-negative number");
    } else if (arg == "--rtol") {
      if (!argument.takeValue(text) || !parseDouble(text, o.rtol.emplace()))
        return needs("a non-negative number");
    } else if (arg == "--heads") {
      o.heads = true;
    } else if (arg == "--json") {
      o.json = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError("unknown option '" + arg + "'");
    } else if (o.model.empty()) {
      o.model = arg;
    } else {
      o.photos.push_back(arg);
    }
    if (argument.hasUntakenValue())
      return usageError(arg + " takes no value");
  }
  if (o.model.empty())
    return usageError("no model given");
  if (!o.photos.empty() && !o.inputSpecs.empty())
    return usageError("give photos or --input tensors, not both");
  if (!o.dataset.empty() && (!o.photos.empty() || !o.inputSpecs.empty()))
    return usageError("--dataset takes its photos from DIR: give no photos "
                      "or --input tensors beside it");
  if (!o.dataset.empty() && (!o.expectDir.empty() || !o.outputDir.empty()))
    return usageError("--expect and --output-dir take the outputs of one "
                      "run, not a dataset's");
  if (o.heads && o.heatmapDir.empty())
    return usageError("--heads needs --heatmaps DIR");
  if ((o.atol || o.rtol) && o.expectDir.empty())
    return usageError("--atol and --rtol are --expect's tolerances: they "
                      "need --expect DIR");
  if (o.layer >= 0 && o.heatmapDir.empty())
    return usageError("--layer picks the heat maps' layer: it needs "
                      "--heatmaps DIR");
  if (!o.heatmapDir.empty() && o.photos.empty() && o.dataset.empty())
    return usageError("--heatmaps draws over photos: give the model a photo");
  if (!o.maskInput.empty() && o.photos.empty() && o.dataset.empty())
    return usageError((o.validMask ? "--valid-mask" : "--padding-mask") +
                      std::string(" fills a mask from photos: give the model "
                                  "a photo"));
  return std::nullopt;
}

int fail(const std::string &message) {
  std::fflush(stdout);
  std::cerr << "error: " << message << "\n";
  return 1;
}

/// Creates the directory `path` where it does not exist yet, or says why
/// it cannot be had.
intr::Status makeDirectory(const std::string &path) {
  if (::mkdir(path.c_str(), 0777) == 0)
    return intr::Status::ok();
  const int error = errno;
  if (error == EEXIST && isDirectory(path))
    return intr::Status::ok();
  return intr::Error(path + ": cannot create the directory (" +
                     (error == EEXIST ? std::string("a file of that name "
                                                    "exists")
                                      : std::string(std::strerror(error))) +
                     ")");
}

/// Each photo's file-name stem for its heat maps: its own, and for photos
/// of the same name (from different folders) their place in the list.
std::vector<std::string> heatmapNames(const std::vector<std::string> &photos) {
  std::vector<std::string> stems, names;
  for (const std::string &photo : photos)
    stems.push_back(stem(photo));
  for (size_t b = 0; b < stems.size(); ++b) {
    std::string name = stems[b];
    // photo_2 may itself be a photo's name: take the next number free.
    for (size_t n = b + 1; std::count(stems.begin(), stems.end(), name) +
                               std::count(names.begin(), names.end(), name) >
                           (name == stems[b] ? 1 : 0);
         ++n)
      name = stems[b] + "_" + std::to_string(n);
    names.push_back(name);
  }
  return names;
}

/// What one run gives each of its images: the top classes, and the heat
/// maps written for it.
struct ImageResult {
  std::vector<Ranked> top;
  std::vector<std::string> written;
};

/// The top classes of the first `images` images of a run's outputs (from
/// f32 copies of half or double logits), with a warning on stderr for those
/// of their logits that are not finite.
std::vector<ImageResult> rankImages(const intr::Outputs &outputs, int topK,
                                    int64_t images) {
  const intr::Tensor *logits = outputs.byRole("logits");
  intr::Tensor logitsF32;
  if (logits && logits->dtype() != intr::DType::F32)
    logits = &(logitsF32 = intr::toFloat32(*logits));
  std::vector<ImageResult> ranked;
  if (!logits || logits->dtype() != intr::DType::F32 || logits->rank() != 2)
    return ranked;
  const int64_t rows = std::min(images, logits->shape()[0]);
  for (int64_t b = 0; b < rows; ++b)
    ranked.push_back({topClasses(*logits, b, topK), {}});
  const float *values = logits->data<float>();
  const int64_t count = rows * logits->shape()[1];
  int64_t nonFinite = 0;
  for (int64_t i = 0; i < count; ++i)
    nonFinite += !std::isfinite(values[i]);
  if (nonFinite > 0)
    std::fprintf(stderr,
                 "intr-run: warning: %lld of the %lld logits are NaN or "
                 "infinite (does the input hold such values?)\n",
                 (long long)nonFinite, (long long)count);
  return ranked;
}

/// Runs work(i) for every i below `count` on up to `threads` threads (this
/// one among them; fewer where the system gives fewer). `work` must not
/// throw: an exception on another thread would end the process.
void forEachOnThreads(size_t count, unsigned threads,
                      const std::function<void(size_t)> &work) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < count;)
      work(i);
  };
  std::vector<std::thread> pool;
  try {
    for (unsigned w = 1; w < std::min<size_t>(threads, count); ++w)
      pool.emplace_back(worker);
  } catch (const std::system_error &) {
    // Fewer threads than asked for: those started and this one work.
  }
  worker();
  for (std::thread &thread : pool)
    thread.join();
}

/// The threads for intr-run's own work on the host (decoding photos,
/// drawing heat maps): --threads, else one per CPU it may use.
unsigned hostThreads(const Options &o) {
  return o.threads > 0 ? unsigned(o.threads)
                       : unsigned(intr::defaultCpuThreads());
}

/// Draws the heat maps of the first `count` images of one run (photos and
/// placements as preprocessed, `names` their file-name stems) into
/// o.heatmapDir, noting each file in its image's result.
intr::Status drawHeatmaps(const Options &o, const intr::Executable &exe,
                          const intr::Outputs &outputs,
                          const std::vector<intr::Image> &photos,
                          const std::vector<intr::Placement> &placements,
                          const std::string *names, size_t count,
                          const std::function<std::string(int64_t)> &labelOf,
                          std::vector<ImageResult> &images) {
  // Maps stored in f16, bf16 or f64 (--attention-dtype fp16, a model
  // exported in half or double precision) are drawn from f32 copies.
  intr::Tensor meanF32, perHeadF32;
  const intr::Tensor *mean = outputs.byRole("avg_attention");
  const intr::Tensor *perHead = outputs.byRole("attention");
  if (mean && mean->dtype() != intr::DType::F32)
    mean = &(meanF32 = intr::toFloat32(*mean));
  if (perHead && perHead->dtype() != intr::DType::F32)
    perHead = &(perHeadF32 = intr::toFloat32(*perHead));
  const std::vector<int64_t> &fm = exe.featureMap();
  if (!mean || mean->rank() != 4 || mean->dtype() != intr::DType::F32)
    return intr::Error(o.model + ": no head-mean attention output "
                                 "(avg_attention, [L, B, C, T]) to draw");
  if (fm.size() != 2 || fm[0] * fm[1] != mean->shape()[3])
    return intr::Error(o.model + ": the executable does not record a feature "
                                 "map that matches the attention's tokens");
  if (o.heads && (!perHead || perHead->rank() != 5 ||
                  perHead->dtype() != intr::DType::F32))
    return intr::Error(o.model +
                       ": --heads needs the per-head attention output "
                       "(attention, [L, B, H, C, T])" +
                       (perHead ? std::string()
                                : ", which this executable does not return "
                                  "(compiled with --attention-heads mean?)"));
  int64_t layers = mean->shape()[0], batch = mean->shape()[1];
  int64_t classes = mean->shape()[2], tokens = mean->shape()[3];
  int64_t layer = o.layer < 0 ? layers - 1 : o.layer;
  if (layer >= layers)
    return intr::Error("--layer " + std::to_string(o.layer) + ": " +
                       (layers == 1
                            ? std::string("the executable returns one "
                                          "decoder layer's maps, layer 0 "
                                          "(the model has one, or was "
                                          "compiled with --attention-layers "
                                          "last)")
                            : "the model has " + std::to_string(layers) +
                                  " decoder layers (0 to " +
                                  std::to_string(layers - 1) + ")"));
  if (intr::Status made = makeDirectory(o.heatmapDir); !made)
    return made;
  int64_t heads = o.heads ? perHead->shape()[2] : 0;
  // One drawing per map: the head mean of each top class and, with
  // --heads, each head's, in the order they are listed. A photo of many
  // megapixels takes about a second per PNG, so they are drawn on as many
  // threads as the run had.
  struct Drawing {
    size_t image;
    const float *map;
    std::string path;
    size_t thumbnail; // its place in the image's grid (with --heads)
  };
  std::vector<Drawing> drawings;
  std::vector<std::vector<intr::Image>> grids(count);
  for (size_t b = 0; b < count && int64_t(b) < batch && b < images.size();
       ++b) {
    for (size_t rank = 0; rank < images[b].top.size(); ++rank) {
      int64_t c = images[b].top[rank].index;
      std::string base = o.heatmapDir + "/" + names[b] + "_top" +
                         std::to_string(rank + 1) + "_" + slug(labelOf(c));
      const int64_t row = layer * batch + int64_t(b);
      drawings.push_back({b, mean->data<float>() + (row * classes + c) * tokens,
                          base + ".png", grids[b].size()});
      grids[b].emplace_back();
      for (int64_t h = 0; h < heads; ++h) {
        drawings.push_back({b,
                            perHead->data<float>() +
                                ((row * heads + h) * classes + c) * tokens,
                            base + "_head" + std::to_string(h) + ".png",
                            grids[b].size()});
        grids[b].emplace_back();
      }
    }
  }
  std::vector<intr::Status> drawn(drawings.size());
  // Each drawing holds a copy of its photo and its PNG's bytes: at most
  // kMaxDrawers at once (about 100 MB each at 12 megapixels).
  constexpr unsigned kMaxDrawers = 8;
  forEachOnThreads(
      drawings.size(), std::min(hostThreads(o), kMaxDrawers), [&](size_t i) {
        const Drawing &d = drawings[i];
        const intr::Image &photo = photos[d.image];
        try {
          intr::Image image = intr::renderHeatmap(
              photo, d.map, int(fm[0]), int(fm[1]), placements[d.image]);
          drawn[i] = intr::savePng(d.path, image);
          if (!o.heads)
            return;
          // Thumbnails for the grid, at most 256 pixels wide.
          double shrink = std::min(1.0, 256.0 / photo.width);
          grids[d.image][d.thumbnail] =
              intr::resizeImage(image, std::max(1, int(photo.width * shrink)),
                                std::max(1, int(photo.height * shrink)));
        } catch (const std::bad_alloc &) {
          drawn[i] = intr::Error(d.path + ": out of host memory");
        }
      });
  for (size_t i = 0; i < drawings.size(); ++i) {
    if (!drawn[i])
      return drawn[i];
    images[drawings[i].image].written.push_back(drawings[i].path);
  }
  for (size_t b = 0; b < grids.size() && o.heads; ++b) {
    if (grids[b].empty())
      continue;
    std::string path = o.heatmapDir + "/" + names[b] + "_grid.png";
    if (intr::Status status =
            intr::savePng(path, intr::tileImages(grids[b], int(heads) + 1));
        !status)
      return status;
    images[b].written.push_back(path);
  }
  return intr::Status::ok();
}

/// One image's result as text: its name (a photo's path, or "image b" in
/// a batch of tensors), its top classes and the files written for it.
void printImage(const std::string &name, const ImageResult &image,
                const std::function<std::string(int64_t)> &labelOf) {
  if (!name.empty())
    std::printf("%s:\n", name.c_str());
  for (size_t i = 0; i < image.top.size(); ++i)
    std::printf("  %2zu. %-24s %10.4f\n", i + 1,
                labelOf(image.top[i].index).c_str(), image.top[i].score);
  for (const std::string &path : image.written)
    std::printf("  wrote %s\n", path.c_str());
}

/// The pixel mask of a batch of photos placed as `placements` say (the
/// batch's last ones repeat the last photo, as its images do): 1 where the
/// input is padding, or where it is a photo when `valid`, in the input's
/// element type.
intr::Tensor pixelMask(const intr::TensorInfo &input,
                       const std::vector<intr::Placement> &placements,
                       bool valid) {
  intr::Tensor mask(input.dtype, input.shape);
  const int64_t batch = input.shape[0], height = input.shape[1],
                width = input.shape[2];
  const size_t bytes = intr::dtypeSize(input.dtype);
  // One in the mask's element type: 1.0 converted from f32 for a
  // floating-point mask, else the integer 1 (bool too), whose low bytes
  // come first.
  intr::Tensor unit(intr::DType::F32, {});
  *unit.data<float>() = 1;
  unit = intr::fromFloat32(unit, input.dtype);
  const uint64_t integerOne = 1;
  const void *one = unit.sizeInBytes() == bytes ? unit.rawData() : &integerOne;
  auto *data = static_cast<std::byte *>(mask.rawData());
  for (int64_t b = 0; b < batch; ++b) {
    const intr::Placement &at =
        placements[std::min<size_t>(size_t(b), placements.size() - 1)];
    for (int64_t y = 0; y < height; ++y)
      for (int64_t x = 0; x < width; ++x)
        if ((y < at.height && x < at.width) == valid)
          std::memcpy(data + ((b * height + y) * width + x) * bytes, one,
                      bytes);
  }
  return mask;
}

/// Whether a pixel mask input is [B, H, W] of the image input [B, C, H, W].
bool maskFits(const intr::TensorInfo &image, const intr::TensorInfo &mask) {
  const std::vector<int64_t> &shape = image.shape;
  return mask.shape == std::vector<int64_t>{shape[0], shape[2], shape[3]};
}

/// One image's result as a JSON object (`file` for a photo's path;
/// `truth`, a dataset photo's class, where there is one).
std::string imageJson(const std::string *file, const ImageResult &image,
                      const std::function<std::string(int64_t)> &labelOf,
                      std::optional<int64_t> truth = std::nullopt) {
  std::string json = "{";
  if (file)
    json += "\"file\": " + jsonString(*file) + ", ";
  if (truth)
    json += "\"truth\": " + std::to_string(*truth) + ", ";
  json += "\"top_k\": [";
  for (size_t i = 0; i < image.top.size(); ++i)
    json += std::string(i ? ", " : "") +
            "{\"class\": " + std::to_string(image.top[i].index) +
            ", \"label\": " + jsonString(labelOf(image.top[i].index)) +
            ", \"score\": " + jsonNumber(image.top[i].score) + "}";
  json += "], \"heatmaps\": [";
  for (size_t i = 0; i < image.written.size(); ++i)
    json += std::string(i ? ", " : "") + jsonString(image.written[i]);
  return json + "]}";
}

int run(int argc, char **argv) {
  Options o;
  if (std::optional<int> exitCode = parseOptions(argc, argv, o))
    return *exitCode;
  // Before the run, not as a mismatch after it.
  if (!o.expectDir.empty() && !isDirectory(o.expectDir))
    return fail(o.expectDir + ": not a directory (--expect takes the "
                              "directory of the expected .npy outputs)");

  auto started = std::chrono::steady_clock::now();
  intr::Expected<intr::Executable> exe = intr::Executable::load(o.model);
  if (!exe)
    return fail(exe.error().message());

  std::vector<std::string> labels = exe->labels();
  if (!o.labelsFile.empty()) {
    intr::Expected<std::vector<std::string>> read = readLabels(o.labelsFile);
    if (!read)
      return fail(read.error().message());
    if (static_cast<int64_t>(read->size()) != exe->numClasses())
      return fail(o.labelsFile + ": " + std::to_string(read->size()) +
                  " labels, but the model has " +
                  std::to_string(exe->numClasses()) + " classes");
    labels = std::move(*read);
  }
  std::function<std::string(int64_t)> labelOf = [&](int64_t c) {
    return c < static_cast<int64_t>(labels.size())
               ? labels[c]
               : "class " + std::to_string(c);
  };
  const bool hasLogits =
      std::any_of(exe->outputs().begin(), exe->outputs().end(),
                  [](const intr::TensorInfo &info) {
                    return info.role == "logits" && info.shape.size() == 2;
                  });
  if (!o.dataset.empty() && !hasLogits)
    return fail(o.model + ": --dataset scores the logits, and the model has "
                          "no logits output ([B, C])");
  if (!hasLogits && !o.json && o.outputDir.empty() && o.expectDir.empty())
    std::fprintf(stderr,
                 "intr-run: warning: %s has no logits output ([B, C]) "
                 "to rank classes by: --output-dir writes what it "
                 "returns\n",
                 o.model.c_str());
  std::optional<ImageFolder> dataset;
  if (!o.dataset.empty()) {
    intr::Expected<ImageFolder> listed =
        listImageFolder(o.dataset, labels, exe->numClasses());
    if (!listed)
      return fail(listed.error().message());
    dataset = std::move(*listed);
    o.photos = std::move(dataset->photos);
    if (dataset->repeated > 0)
      std::fprintf(stderr,
                   "intr-run: warning: %s: %lld of its %zu photos are files "
                   "listed before under another path (through links); each "
                   "is scored again, as ImageFolder lists it\n",
                   o.dataset.c_str(), (long long)dataset->repeated,
                   o.photos.size());
  }

  // Photos go in batches of the compiled size; .npy tensors in one run.
  const intr::TensorInfo *imageInput = nullptr, *maskInput = nullptr;
  int64_t batch = 1;
  if (!o.photos.empty()) {
    for (const intr::TensorInfo &info : exe->inputs()) {
      if (info.name == o.maskInput && info.role == "image")
        return fail(o.model + ": '" + info.name +
                    "' is the model's image input, not a pixel mask");
      if (info.name == o.maskInput)
        maskInput = &info;
      else if (info.role == "image" || exe->inputs().size() == 1)
        imageInput = &info;
    }
    if (!o.maskInput.empty() && !maskInput)
      return fail(o.model + ": no input named '" + o.maskInput + "'");
    if (!imageInput || exe->inputs().size() != (maskInput ? 2u : 1u) ||
        imageInput->shape.size() != 4)
      return fail(o.model + ": photos need a model with one image input" +
                  (maskInput || exe->inputs().size() != 2
                       ? std::string()
                       : std::string(" (name a second input, a pixel mask, "
                                     "with --padding-mask or --valid-mask)")));
    if (maskInput && !maskFits(*imageInput, *maskInput))
      return fail(o.model + ": the mask input '" + maskInput->name + "' is " +
                  intr::formatShape(maskInput->shape) + ", not [B, H, W] of " +
                  "the image's " + intr::formatShape(imageInput->shape));
    batch = imageInput->shape[0];
    if (batch < 1)
      return fail(o.model + ": the image input's batch is " +
                  std::to_string(batch) +
                  ": photos need a batch of one or "
                  "more");
  }
  std::map<std::string, intr::Tensor> tensors;
  for (const std::string &spec : o.inputSpecs) {
    std::string name, path = spec;
    // NAME=FILE, unless the whole of it names a file and NAME no input. A
    // path that exists but cannot be looked at (a symlink loop, a directory
    // without search permission) is such a file too, so that its own error
    // is the one reported.
    size_t eq = spec.find('=');
    auto isInput = [&](const std::string &text) {
      for (const intr::TensorInfo &info : exe->inputs())
        if (info.name == text)
          return true;
      return false;
    };
    struct stat info;
    auto noSuchFile = [&] {
      return ::stat(spec.c_str(), &info) != 0 &&
             (errno == ENOENT || errno == ENOTDIR);
    };
    if (eq != std::string::npos &&
        (noSuchFile() || isInput(spec.substr(0, eq)))) {
      name = spec.substr(0, eq);
      path = spec.substr(eq + 1);
      if (path.empty())
        return fail("--input " + spec + ": no file after '='");
    } else if (exe->inputs().size() == 1) {
      name = exe->inputs()[0].name;
    } else {
      return fail("--input " + spec +
                  ": the model has several inputs, write NAME=FILE");
    }
    intr::Expected<intr::Tensor> tensor = intr::loadNpy(path);
    if (!tensor)
      return fail(tensor.error().message());
    if (!tensors.emplace(name, std::move(*tensor)).second)
      return fail("input '" + name + "' is given twice");
  }

  // The plans to run: an executable compiled with variants (the model at
  // other input shapes) runs .npy tensors on the first whose inputs have
  // their shapes, and photos in runs of the batches the plans take, as few
  // copies filling up the last run as can be, then as few runs, larger
  // runs first (plans of 3 and 2 take 4 photos as 2 + 2, not 3 + 1 and a
  // copy), each run on the plan of its batch whose canvas they fill best
  // (the nearest aspect). The plans share their inputs' names, order and
  // types.
  const std::vector<intr::Executable> variants = exe->variants();
  std::vector<size_t> photoVariants;
  size_t tensorVariant = 0;
  const size_t imageIndex = imageInput ? imageInput - exe->inputs().data() : 0;
  const size_t maskIndex = maskInput ? maskInput - exe->inputs().data() : 0;
  if (imageInput) {
    for (size_t v = 0; v < variants.size(); ++v) {
      const std::vector<intr::TensorInfo> &inputs = variants[v].inputs();
      const intr::TensorInfo &image = inputs[imageIndex];
      if (image.shape.size() == 4 && image.shape[0] >= 1 &&
          (!maskInput || maskFits(image, inputs[maskIndex])))
        photoVariants.push_back(v);
    }
  } else {
    auto fits = [&](const intr::Executable &plan) {
      for (const intr::TensorInfo &info : plan.inputs()) {
        auto given = tensors.find(info.name);
        if (given != tensors.end() && given->second.shape() != info.shape)
          return false;
      }
      return true;
    };
    auto fitting = std::find_if(variants.begin(), variants.end(), fits);
    if (fitting != variants.end())
      tensorVariant = size_t(fitting - variants.begin());
    // With one plan, its session names the mismatch.
    else if (variants.size() > 1) {
      std::string given, plans;
      for (const auto &[name, tensor] : tensors)
        given += (given.empty() ? "" : ", ") + name + " " +
                 intr::formatShape(tensor.shape());
      for (const intr::Executable &plan : variants)
        for (const intr::TensorInfo &info : plan.inputs())
          if (tensors.count(info.name))
            plans += (plans.empty() ? "" : ", ") + info.name + " " +
                     intr::formatShape(info.shape);
      return fail("no plan of " + o.model + " takes " + given +
                  " (its plans take " + plans + ")");
    }
  }

  // The batch sizes the photo plans take, largest first.
  std::vector<int64_t> batchSizes;
  for (size_t v : photoVariants)
    batchSizes.push_back(variants[v].inputs()[imageIndex].shape[0]);
  std::sort(batchSizes.rbegin(), batchSizes.rend());
  batchSizes.erase(std::unique(batchSizes.begin(), batchSizes.end()),
                   batchSizes.end());
  // The batch of the first run of the best split of r photos into runs of
  // the plans' batches (fewest slots, then fewest runs; a run holding
  // fewer photos than its batch, filled up with copies, is the last), for
  // every r up to the photos' count, by dynamic programming. A run of
  // `remaining` photos takes as many as that batch holds, and the batch
  // of a run of `count` photos is that of the best split of `count` (one
  // run: its own batch, or the smallest that holds them).
  const size_t photoCount = imageInput ? o.photos.size() : 0;
  std::vector<std::pair<size_t, size_t>> bestSplit(photoCount + 1, {0, 0});
  std::vector<size_t> firstBatch(photoCount + 1, 0);
  for (size_t r = 1; r <= photoCount; ++r) {
    bestSplit[r] = {SIZE_MAX, SIZE_MAX}; // (slots, runs)
    for (int64_t size : batchSizes) {
      const size_t s = size_t(size);
      const std::pair<size_t, size_t> cost =
          s <= r ? std::pair(bestSplit[r - s].first + s,
                             bestSplit[r - s].second + 1)
                 : std::pair(s, size_t(1));
      if (cost < bestSplit[r]) {
        bestSplit[r] = cost;
        firstBatch[r] = s;
      }
    }
  }
  auto runSize = [&](size_t remaining) {
    return batchSizes.empty() ? remaining
                              : std::min(firstBatch[remaining], remaining);
  };
  auto runBatch = [&](size_t count) { return int64_t(firstBatch[count]); };
  // Those compare and write the outputs of one run, of no copies.
  if (imageInput && (!o.expectDir.empty() || !o.outputDir.empty()) &&
      std::find(batchSizes.begin(), batchSizes.end(),
                int64_t(o.photos.size())) == batchSizes.end()) {
    std::string sizes;
    for (int64_t size : batchSizes)
      sizes += (sizes.empty() ? "" : " or ") + std::to_string(size);
    return fail("--expect and --output-dir take the outputs of one run: "
                "give as many photos as the compiled batch (" +
                sizes + "), not " + std::to_string(o.photos.size()));
  }

  // One run per batch of photos (the last filled up with copies of its
  // last photo, whose results are left out), or one run of the tensors.
  // Photos are decoded ahead on threads of their own (a GPU runs a batch
  // in less time than one thread decodes its photos), up to a photo per
  // thread beyond the next batch: at most two batches and a photo per
  // thread held at once; with one thread (--threads 1), on this one. Each
  // batch is prepared while the GPU runs the one before; the first before
  // the session, whose creation may take seconds on a GPU.
  struct PhotoBatch {
    std::vector<intr::Image> photos;
    std::vector<intr::Placement> placements;
    intr::Tensor image, mask;
    /// The plan that runs them: an index into `variants`.
    size_t variant = 0;
  };
  constexpr unsigned kMaxDecoders = 8;
  const unsigned decoders =
      hostThreads(o) > 1 ? std::min(hostThreads(o), kMaxDecoders) : 0;
  PhotoReader reader(o.photos, decoders, decoders);
  auto readBatch = [&](size_t count, PhotoBatch &read) -> intr::Status {
    for (size_t i = 0; i < count; ++i) {
      intr::Expected<intr::Image> photo = reader.take();
      if (!photo)
        return photo.error();
      read.photos.push_back(std::move(*photo));
    }
    const int64_t runBatchSize = runBatch(count);
    double bestFit = -1;
    for (size_t v : photoVariants) {
      const std::vector<int64_t> &canvas =
          variants[v].inputs()[imageIndex].shape;
      if (canvas[0] != runBatchSize)
        continue;
      if (double fit = intr::canvasFit(read.photos, canvas); fit > bestFit) {
        bestFit = fit;
        read.variant = v;
      }
    }
    const intr::Executable &plan = variants[read.variant];
    const intr::TensorInfo &imageInfo = plan.inputs()[imageIndex];
    // The photos as a batch of their own, then copied into the compiled
    // one, whose other images repeat the last photo's.
    intr::TensorInfo some = imageInfo;
    some.shape[0] = int64_t(count);
    intr::Expected<intr::Tensor> part = intr::preprocessImages(
        read.photos, some, exe->pixelMean(), exe->pixelStd(), &read.placements);
    if (!part)
      return part.error();
    if (maskInput)
      read.mask =
          pixelMask(plan.inputs()[maskIndex], read.placements, o.validMask);
    if (int64_t(count) == runBatchSize) {
      read.image = std::move(*part);
      return intr::Status::ok();
    }
    intr::Tensor whole(part->dtype(), imageInfo.shape);
    const size_t image = part->sizeInBytes() / count;
    auto *to = static_cast<std::byte *>(whole.rawData());
    std::memcpy(to, part->rawData(), part->sizeInBytes());
    for (int64_t b = int64_t(count); b < runBatchSize; ++b)
      std::memcpy(to + b * image, to + (count - 1) * image, image);
    read.image = std::move(whole);
    return intr::Status::ok();
  };
  const size_t total = o.photos.size();
  PhotoBatch current;
  current.variant = tensorVariant;
  if (imageInput)
    if (intr::Status status = readBatch(runSize(total), current); !status)
      return fail(status.error().message());

  intr::Expected<intr::Device> device = intr::Device::parse(o.device, o.threads);
  if (!device)
    return fail(device.error().message());
  // A session per plan run, each created when first needed; the first
  // before the timing starts.
  std::vector<std::optional<intr::Session>> sessions(variants.size());
  auto sessionOf = [&](size_t v) -> intr::Expected<intr::Session *> {
    if (!sessions[v]) {
      intr::Expected<intr::Session> created =
          intr::Session::create(variants[v], *device);
      if (!created)
        return created.error();
      sessions[v] = std::move(*created);
    }
    return &*sessions[v];
  };
  intr::Expected<intr::Session *> session = sessionOf(current.variant);
  if (!session)
    return fail(session.error().message());
  auto loaded = std::chrono::steady_clock::now();

  // Each run's results are printed as it ends; JSON is printed at the end.
  std::vector<std::string> names;
  if (!o.heatmapDir.empty())
    names = heatmapNames(o.photos);
  std::vector<std::string> jsonImages;
  intr::Outputs outputs;
  double runMs = 0;
  int64_t runs = 0;
  std::set<int64_t> runBatches; // the photo runs' batch sizes
  // A dataset's score: photos whose class is first, and among the top k
  // (k as ranked: at least 1, at most the classes).
  int64_t scored = 0, firstRight = 0, topRight = 0;
  const int k = int(std::clamp<int64_t>(o.topK, 1, exe->numClasses()));
  auto lastProgress = std::chrono::steady_clock::now();
  for (size_t first = 0; runs == 0 || first < total;) {
    const size_t count = current.photos.size();
    if (imageInput)
      runBatches.insert(
          variants[current.variant].inputs()[imageIndex].shape[0]);
    std::map<std::string, intr::TensorView> views;
    for (const auto &[name, tensor] : tensors)
      views.emplace(name, intr::TensorView(tensor));
    if (imageInput)
      views.emplace(imageInput->name, intr::TensorView(current.image));
    if (maskInput)
      views.emplace(maskInput->name, intr::TensorView(current.mask));

    auto millisecondsSince = [](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double, std::milli>(
                 std::chrono::steady_clock::now() - t)
          .count();
    };
    session = sessionOf(current.variant);
    if (!session)
      return fail(session.error().message());
    auto before = std::chrono::steady_clock::now();
    intr::Status status = (*session)->start(views);
    runMs += millisecondsSince(before);
    // The next photos, while a GPU runs these (start has copied them; a
    // CPU session ran them inside start). A photo that cannot be read
    // fails the command after this batch's results, as it did before.
    PhotoBatch next;
    intr::Status nextRead = intr::Status::ok();
    if (status && imageInput && first + count < total)
      nextRead = readBatch(runSize(total - first - count), next);
    before = std::chrono::steady_clock::now();
    if (status)
      status = (*session)->finish(outputs);
    runMs += millisecondsSince(before);
    if (!status)
      return fail(status.error().message());
    ++runs;
    const std::vector<intr::Image> &photos = current.photos;
    const std::vector<intr::Placement> &placements = current.placements;

    // A batch of tensors shows every image; photos their own. A dataset
    // ranks at least the first class, to score it.
    std::vector<ImageResult> images = rankImages(
        outputs, dataset ? k : o.topK, imageInput ? int64_t(count) : INT64_MAX);
    const size_t shown = images.size();
    if (!o.heatmapDir.empty())
      if (intr::Status drawn = drawHeatmaps(
              o, variants[current.variant], outputs, photos, placements,
              names.data() + first, shown, labelOf, images);
          !drawn)
        return fail(drawn.error().message());
    for (size_t b = 0; b < shown; ++b) {
      const std::string *file = imageInput ? &o.photos[first + b] : nullptr;
      std::optional<int64_t> truth;
      if (dataset) {
        truth = dataset->classes[first + b];
        const std::vector<Ranked> &top = images[b].top;
        ++scored;
        firstRight += !top.empty() && top[0].index == *truth;
        topRight += std::any_of(top.begin(), top.end(), [&](const Ranked &r) {
          return r.index == *truth;
        });
      }
      if (o.json)
        jsonImages.push_back(imageJson(file, images[b], labelOf, truth));
      else if (!dataset)
        printImage(file                ? *file
                   : images.size() > 1 ? "image " + std::to_string(b)
                                       : std::string(),
                   images[b], labelOf);
    }
    // A dataset's progress, every few seconds and at its end.
    if (dataset && (std::chrono::steady_clock::now() - lastProgress >
                        std::chrono::seconds(5) ||
                    first + count == total)) {
      lastProgress = std::chrono::steady_clock::now();
      // The rate since the session was ready, and what it leaves to do.
      const double seconds = millisecondsSince(loaded) / 1000.0;
      const double rate = seconds > 0 ? scored / seconds : 0;
      std::string left;
      if (rate > 0 && size_t(scored) < total)
        left = ", about " +
               std::to_string(std::llround((total - scored) / rate)) +
               " s left";
      std::fprintf(stderr,
                   "intr-run: %lld of %zu photos, top-1 %.2f%%, %.1f "
                   "photos/s%s\n",
                   (long long)scored, total, 100.0 * firstRight / scored, rate,
                   left.c_str());
    }
    std::fflush(stdout);
    if (!nextRead)
      return fail(nextRead.error().message());
    first += count;
    current = std::move(next);
  }
  if (o.json) {
    std::printf("{\"model\": %s, ", jsonString(o.model).c_str());
    if (dataset) {
      std::printf("\"dataset\": %s, \"photos\": %lld, \"top1\": %lld, ",
                  jsonString(o.dataset).c_str(), (long long)scored,
                  (long long)firstRight);
      if (k > 1)
        std::printf("\"top%d\": %lld, ", k, (long long)topRight);
    }
    std::printf("\"images\": [");
    for (size_t i = 0; i < jsonImages.size(); ++i)
      std::printf("%s%s", i ? ", " : "", jsonImages[i].c_str());
    std::printf("]}\n");
  } else if (dataset) {
    std::printf("%s: %lld photos (%s): top-1 %.2f%% (%lld)", o.dataset.c_str(),
                (long long)scored, dataset->numbering.c_str(),
                100.0 * firstRight / scored, (long long)firstRight);
    if (k > 1)
      std::printf(", top-%d %.2f%% (%lld)", k, 100.0 * topRight / scored,
                  (long long)topRight);
    std::printf("\n");
  }

  if (!o.outputDir.empty()) {
    if (intr::Status made = makeDirectory(o.outputDir); !made)
      return fail(made.error().message());
    for (const std::string &name : outputs.names()) {
      std::string path = o.outputDir + "/" + name + ".npy";
      if (intr::Status status = intr::saveNpy(path, *outputs.get(name));
          !status)
        return fail(status.error().message());
    }
  }

  bool allMatch = true;
  if (!o.expectDir.empty()) {
    intr::Tolerance tolerance =
        intr::referenceTolerance(exe->precision(), (*session)->device().kind);
    tolerance.atol = o.atol.value_or(tolerance.atol);
    tolerance.rtol = o.rtol.value_or(tolerance.rtol);
    std::printf("expect: |got - want| <= %g + %g * |want|%s\n", tolerance.atol,
                tolerance.rtol,
                o.atol || o.rtol
                    ? ""
                    : (" (the default for " + exe->precision() + " plans on " +
                       (*session)->device().name() + ")")
                          .c_str());
    for (const std::string &name : outputs.names()) {
      const intr::Tensor *output = outputs.get(name);
      const bool layered = output == outputs.byRole("attention") ||
                           output == outputs.byRole("avg_attention");
      allMatch &= matches(name, *output, o.expectDir + "/" + name + ".npy",
                          tolerance, layered);
    }
  }

  std::fflush(stdout); // results first, then the timing on stderr
  double loadMs =
      std::chrono::duration<double, std::milli>(loaded - started).count();
  if (runs == 1)
    std::fprintf(stderr, "intr-run: %s on %s: load %.1f ms, run %.1f ms\n",
                 o.model.c_str(), (*session)->device().name().c_str(), loadMs,
                 runMs);
  else
    std::fprintf(stderr,
                 "intr-run: %s on %s: load %.1f ms, %lld runs of %s%lld "
                 "images: %.1f ms\n",
                 o.model.c_str(), (*session)->device().name().c_str(), loadMs,
                 (long long)runs, runBatches.size() > 1 ? "up to " : "",
                 (long long)(runBatches.empty() ? batch : *runBatches.rbegin()),
                 runMs);
  if (!allMatch)
    return fail("outputs differ from " + o.expectDir);
  if (std::optional<std::string> lost = intr::tools::stdoutWriteError())
    return fail(*lost);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  // Sizes come from the user's files; a host allocation they make fail
  // ends in an error, not an abort.
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc &) {
    return fail("out of host memory");
  }
}
