//===- intr-bench.cpp - Time a compiled model -----------------------------===//
//
//   intr-bench model.intrx [--device cpu] [--threads N] [--iterations N]
//              [--warmup N] [--json]
//
// Runs the model on zero-filled inputs (the time of a forward does not
// depend on the pixel values) and prints the latency's min, median and
// 99th percentile, the throughput and the process's peak memory.
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

const char *kUsage =
    "usage: intr-bench model.intrx [options]\n"
    "\n"
    "Times the model on zero-filled inputs and prints latency (min, median,\n"
    "p99), throughput and peak memory.\n"
    "\n"
    "options:\n"
    "  --device cpu      where to run (default cpu)\n"
    "  --threads N       CPU threads (default: all)\n"
    "  --iterations N    timed runs (default 10)\n"
    "  --warmup N        untimed runs first (default 1)\n"
    "  --json            one JSON line instead of text\n";

int usageError(const std::string &message) {
  std::cerr << "error: " << message << "\n\n" << kUsage;
  return 2;
}

bool parseCount(const char *text, int &value) {
  char *end = nullptr;
  long parsed = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || parsed < 0 || parsed > 1000000)
    return false;
  value = static_cast<int>(parsed);
  return true;
}

/// Peak resident set size of this process, in MiB: Linux's VmHWM, which,
/// unlike getrusage's ru_maxrss, does not inherit the high-water mark of a
/// parent that forked us.
double peakMemoryMiB() {
  if (FILE *status = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof(line), status))
      if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1)
        break;
    std::fclose(status);
    if (kib >= 0)
      return kib / 1024.0;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0; // Linux reports KiB
}

} // namespace

int main(int argc, char **argv) {
  std::string model, device = "cpu";
  int threads = 0, iterations = 10, warmup = 1;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto count = [&](int &out) {
      return i + 1 < argc && parseCount(argv[++i], out);
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--device") {
      if (i + 1 >= argc)
        return usageError("--device needs a value");
      device = argv[++i];
    } else if (arg == "--threads") {
      if (!count(threads))
        return usageError("--threads needs a count");
    } else if (arg == "--iterations") {
      if (!count(iterations) || iterations == 0)
        return usageError("--iterations needs a positive count");
    } else if (arg == "--warmup") {
      if (!count(warmup))
        return usageError("--warmup needs a count");
    } else if (arg == "--json") {
      json = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError("unknown option '" + arg + "'");
    } else if (model.empty()) {
      model = arg;
    } else {
      return usageError("unexpected argument '" + arg + "'");
    }
  }
  if (model.empty())
    return usageError("no model given");
  if (device != "cpu")
    return usageError("--device " + device +
                      ": this build runs on the cpu only");

  intr::Expected<intr::Executable> exe = intr::Executable::load(model);
  if (!exe) {
    std::cerr << "error: " << exe.error().message() << "\n";
    return 1;
  }
  std::vector<intr::Tensor> tensors;
  std::map<std::string, intr::TensorView> inputs;
  for (const intr::TensorInfo &info : exe->inputs())
    tensors.emplace_back(info.dtype, info.shape);
  for (size_t i = 0; i < tensors.size(); ++i)
    inputs.emplace(exe->inputs()[i].name, intr::TensorView(tensors[i]));

  intr::Expected<intr::Session> session =
      intr::Session::create(*exe, intr::Device::cpu(threads));
  if (!session) {
    std::cerr << "error: " << session.error().message() << "\n";
    return 1;
  }
  std::vector<double> times;
  for (int i = 0; i < warmup + iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    intr::Expected<intr::Outputs> outputs = session->run(inputs);
    auto stop = std::chrono::steady_clock::now();
    if (!outputs) {
      std::cerr << "error: " << outputs.error().message() << "\n";
      return 1;
    }
    if (i >= warmup)
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  double min = times.front(), median = times[times.size() / 2];
  double p99 = times[std::min(times.size() - 1,
                              static_cast<size_t>(times.size() * 0.99))];
  int64_t batch = exe->inputs().empty() || exe->inputs()[0].shape.empty()
                      ? 1
                      : exe->inputs()[0].shape[0];
  double throughput = batch * 1000.0 / median;
  if (json)
    std::printf("{\"model\": \"%s\", \"device\": \"%s\", \"iterations\": %d, "
                "\"min_ms\": %.3f, \"median_ms\": %.3f, \"p99_ms\": %.3f, "
                "\"images_per_s\": %.3f, \"peak_memory_mib\": %.1f}\n",
                model.c_str(), session->device().name().c_str(), iterations,
                min, median, p99, throughput, peakMemoryMiB());
  else
    std::printf("%s on %s, %d runs: min %.2f ms, median %.2f ms, p99 %.2f "
                "ms, %.2f images/s, peak memory %.0f MiB\n",
                model.c_str(), session->device().name().c_str(), iterations,
                min, median, p99, throughput, peakMemoryMiB());
  return 0;
}
