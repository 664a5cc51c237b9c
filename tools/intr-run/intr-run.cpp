//===- intr-run.cpp - Run a compiled INTR model ---------------------------===//
//
//   intr-run model.intrx --input [NAME=]x.npy ... [--output-dir DIR]
//            [--top-k K] [--threads N]
//
// Prints the top-k classes of the logits and writes every output as
// DIR/<output name>.npy in the output's own dtype.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Runtime.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

const char *kUsage =
    "usage: intr-run model.intrx --input [NAME=]x.npy ... [options]\n"
    "\n"
    "Runs a compiled model on the CPU, prints the top-k classes and writes\n"
    "every output as DIR/<output name>.npy.\n"
    "\n"
    "options:\n"
    "  --input [NAME=]FILE.npy  an input (repeat for each; NAME may be left\n"
    "                           out when the model has one input)\n"
    "  --output-dir DIR         where to write the outputs (created if need "
    "be)\n"
    "  --top-k K                how many classes to print (default 5)\n"
    "  --threads N              CPU threads (default: all)\n"
    "  --expect DIR             compare every output with DIR/<name>.npy and\n"
    "                           fail when |got - want| > atol + rtol * |want|\n"
    "  --atol A, --rtol R       tolerances of --expect (default 1e-4 each)\n"
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

/// Compares `got` with the expected tensor in `path`; prints one line.
bool matches(const std::string &name, const intr::Tensor &got,
             const std::string &path, double atol, double rtol) {
  intr::Expected<intr::Tensor> want = intr::loadNpy(path);
  if (!want) {
    std::printf("%-16s FAIL  %s\n", name.c_str(),
                want.error().message().c_str());
    return false;
  }
  if (want->dtype() != got.dtype() || want->shape() != got.shape()) {
    std::printf("%-16s FAIL  got %s %s, expected %s %s\n", name.c_str(),
                intr::dtypeName(got.dtype()),
                intr::formatShape(got.shape()).c_str(),
                intr::dtypeName(want->dtype()),
                intr::formatShape(want->shape()).c_str());
    return false;
  }
  if (got.dtype() != intr::DType::F32) {
    bool same = std::memcmp(got.rawData(), want->rawData(),
                            got.sizeInBytes()) == 0;
    std::printf("%-16s %s  (exact comparison)\n", name.c_str(),
                same ? "ok  " : "FAIL");
    return same;
  }
  const float *a = got.data<float>(), *b = want->data<float>();
  double maxDiff = 0;
  int64_t worst = 0, bad = 0;
  for (int64_t i = 0; i < got.numElements(); ++i) {
    double diff = std::fabs(double(a[i]) - double(b[i]));
    if (!(diff <= atol + rtol * std::fabs(double(b[i]))))
      ++bad;
    if (!(diff <= maxDiff)) {
      maxDiff = diff;
      worst = i;
    }
  }
  std::printf("%-16s %s  max |diff| %.3g at element %lld (got %.6g, want "
              "%.6g)%s\n",
              name.c_str(), bad ? "FAIL" : "ok  ", maxDiff, (long long)worst,
              got.numElements() ? a[worst] : 0.0,
              got.numElements() ? b[worst] : 0.0,
              bad ? (", " + std::to_string(bad) + " elements out of tolerance")
                        .c_str()
                  : "");
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

/// Prints the k best classes of each image's logits ([B, C]).
void printTopK(const intr::Tensor &logits,
               const std::vector<std::string> &labels, int k) {
  if (logits.dtype() != intr::DType::F32 || logits.rank() != 2)
    return;
  int64_t batch = logits.shape()[0], classes = logits.shape()[1];
  const float *data = logits.data<float>();
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<int64_t> order(classes);
    std::iota(order.begin(), order.end(), 0);
    int64_t shown = std::min<int64_t>(k, classes);
    std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                      [&](int64_t x, int64_t y) {
                        return data[b * classes + x] > data[b * classes + y];
                      });
    if (batch > 1)
      std::cout << "image " << b << ":\n";
    for (int64_t i = 0; i < shown; ++i) {
      int64_t c = order[i];
      std::printf("  %2lld. class %-4lld %10.4f", (long long)i + 1,
                  (long long)c, data[b * classes + c]);
      if (c < static_cast<int64_t>(labels.size()))
        std::printf("  %s", labels[c].c_str());
      std::printf("\n");
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  std::string modelPath, outputDir, expectDir;
  double atol = 1e-4, rtol = 1e-4;
  std::vector<std::string> inputSpecs;
  int topK = 5, threads = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string &out) {
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    std::string text;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--input") {
      if (!value(text))
        return usageError("--input needs a value");
      inputSpecs.push_back(text);
    } else if (arg == "--output-dir") {
      if (!value(outputDir))
        return usageError("--output-dir needs a value");
    } else if (arg == "--top-k") {
      if (!value(text) || !parseInt(text, topK))
        return usageError("--top-k needs a non-negative integer");
    } else if (arg == "--expect") {
      if (!value(expectDir))
        return usageError("--expect needs a directory");
    } else if (arg == "--atol") {
      if (!value(text) || !parseDouble(text, atol))
        return usageError("--atol needs a non-negative number");
    } else if (arg == "--rtol") {
      if (!value(text) || !parseDouble(text, rtol))
        return usageError("--rtol needs a non-negative number");
    } else if (arg == "--threads") {
      if (!value(text) || !parseInt(text, threads))
        return usageError("--threads needs a non-negative integer");
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError("unknown option '" + arg + "'");
    } else if (modelPath.empty()) {
      modelPath = arg;
    } else {
      return usageError("unexpected argument '" + arg + "'");
    }
  }
  if (modelPath.empty())
    return usageError("no model given");

  auto fail = [](const std::string &message) {
    std::cerr << "error: " << message << "\n";
    return 1;
  };
  auto started = std::chrono::steady_clock::now();
  intr::Expected<intr::Executable> exe = intr::Executable::load(modelPath);
  if (!exe)
    return fail(exe.error().message());

  // Inputs, by name; a bare path names the only input.
  std::map<std::string, intr::Tensor> tensors;
  for (const std::string &spec : inputSpecs) {
    std::string name, path = spec;
    if (size_t eq = spec.find('='); eq != std::string::npos) {
      name = spec.substr(0, eq);
      path = spec.substr(eq + 1);
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
  std::map<std::string, intr::TensorView> views;
  for (const auto &[name, tensor] : tensors)
    views.emplace(name, intr::TensorView(tensor));

  intr::Expected<intr::Session> session =
      intr::Session::create(*exe, intr::Device::cpu(threads));
  if (!session)
    return fail(session.error().message());
  auto loaded = std::chrono::steady_clock::now();
  intr::Expected<intr::Outputs> outputs = session->run(views);
  if (!outputs)
    return fail(outputs.error().message());
  auto ran = std::chrono::steady_clock::now();

  if (const intr::Tensor *logits = outputs->byRole("logits"))
    printTopK(*logits, exe->labels(), topK);

  if (!outputDir.empty()) {
    if (::mkdir(outputDir.c_str(), 0777) != 0 && errno != EEXIST)
      return fail(outputDir + ": cannot create the directory");
    for (const std::string &name : outputs->names()) {
      std::string path = outputDir + "/" + name + ".npy";
      if (intr::Status status = intr::saveNpy(path, *outputs->get(name));
          !status)
        return fail(status.error().message());
    }
  }
  bool allMatch = true;
  if (!expectDir.empty())
    for (const std::string &name : outputs->names())
      allMatch &= matches(name, *outputs->get(name),
                          expectDir + "/" + name + ".npy", atol, rtol);

  std::fflush(stdout); // results first, then the timing on stderr
  auto ms = [](auto a, auto b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::fprintf(stderr, "intr-run: %s on %s: load %.1f ms, run %.1f ms\n",
               modelPath.c_str(), session->device().name().c_str(),
               ms(started, loaded), ms(loaded, ran));
  if (!allMatch) {
    std::cerr << "error: outputs differ from " << expectDir << "\n";
    return 1;
  }
  return 0;
}
