//===- intr-bench.cpp - Time a compiled model -----------------------------===//
//
//   intr-bench model.intrx [--device cpu|cuda[:N]] [--batch N] [--threads N]
//              [--iterations N] [--warmup N] [--random-weights]
//              [--zero-copy] [--profile] [--profile-steps N] [--json]
//
// Runs the model on zero-filled inputs (the time of a forward does not
// depend on the pixel values) and prints the latency's min, median and
// 99th percentile, the throughput, the process's peak memory and the
// memory the session holds on its device. --profile then times every step
// and prints where the time goes, by kernel and by step, and on CUDA by
// device operation (the kernels of ours and of cuBLASLt and cuDNN that
// each step launches).
//
//===----------------------------------------------------------------------===//

#include "CommandLineArgument.h"
#include "JsonString.h"
#include "StdoutResults.h"
#include "intr/runtime/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <utility>
#include <vector>

namespace {

const char *kUsage =
    "usage: intr-bench model.intrx [options]\n"
    "\n"
    "Times the model on zero-filled inputs and prints latency (min, median,\n"
    "p99), throughput and peak memory.\n"
    "\n"
    "options:\n"
    "  --device D        cpu, cuda or cuda:N (default cpu)\n"
    "  --batch N         check that the model was compiled for batch N\n"
    "  --variant N       time variant N of an executable compiled with\n"
    "                    --variant (default 0, the first plan; intr-opt\n"
    "                    inspect lists them)\n"
    "  --threads N       CPU threads (default: all)\n"
    "  --iterations N    timed runs (default 10)\n"
    "  --warmup N        untimed runs first (default 1; on CUDA the first\n"
    "                    run also records the CUDA Graph)\n"
    "  --random-weights  fill the weights of a --strip-weights executable\n"
    "                    with random values (timing only)\n"
    "  --zero-copy       inputs written once into the session's buffers,\n"
    "                    outputs left there: no host copies are timed, as\n"
    "                    in a pipeline that keeps its tensors on the GPU\n"
    "  --profile         after the timed runs, time every step (median of\n"
    "                    5 profiled runs) and print the time by kernel and\n"
    "                    the slowest steps; on CUDA each step runs as its\n"
    "                    own graph, and the device operations (kernels,\n"
    "                    ours and the libraries') are timed too\n"
    "  --profile-steps N how many of the slowest steps --profile lists\n"
    "                    (default 15; 0 lists every step); implies\n"
    "                    --profile\n"
    "  --json            one JSON line instead of text (with --profile,\n"
    "                    the profile's text goes to stderr)\n";

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

/// What a group of steps or operations took: how many, and in all.
struct Share {
  int count = 0;
  double ms = 0;
};

/// The median of `samples` (not empty): the mean of the middle two of an
/// even count, as Python's statistics.median takes it for the peers.
double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  size_t half = samples.size() / 2;
  return samples.size() % 2 ? samples[half]
                            : (samples[half - 1] + samples[half]) / 2;
}

/// Prints the device operations of the steps, median over the runs that
/// timed them, summed by the step's kernel and the operation's name.
void printOperations(const std::vector<std::vector<intr::StepTime>> &runs,
                     FILE *out) {
  std::map<std::pair<std::string, std::string>, Share> byOperation;
  double total = 0;
  const std::vector<intr::StepTime> &last = runs.back();
  for (size_t step = 0; step < last.size(); ++step) {
    for (size_t i = 0; i < last[step].operations.size(); ++i) {
      std::vector<double> samples;
      for (const std::vector<intr::StepTime> &run : runs)
        if (run[step].operations.size() == last[step].operations.size())
          samples.push_back(run[step].operations[i].milliseconds);
      Share &share =
          byOperation[{last[step].kernel, last[step].operations[i].name}];
      share.count++;
      share.ms += median(samples);
      total += median(samples);
    }
  }
  if (byOperation.empty())
    return;
  std::vector<std::pair<std::pair<std::string, std::string>, Share>> sorted(
      byOperation.begin(), byOperation.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
    return a.second.ms > b.second.ms;
  });
  std::fprintf(out,
               "\ndevice operations: %.3f ms in all (by step kernel, "
               "slowest first)\n",
               total);
  for (size_t i = 0; i < std::min<size_t>(30, sorted.size()); ++i) {
    const auto &[names, share] = sorted[i];
    std::fprintf(out, "  %-24s %5d x %8.4f ms = %7.3f ms  %s\n",
                 names.first.c_str(), share.count, share.ms / share.count,
                 share.ms, names.second.c_str());
  }
}

/// Prints to `out` the median time of each step over `runs`, summed by
/// kernel, and the slowest steps.
void printProfile(const std::vector<std::vector<intr::StepTime>> &runs,
                  double medianRunMs, size_t listedSteps, FILE *out) {
  std::vector<intr::StepTime> steps = runs.front();
  double total = 0;
  for (size_t step = 0; step < steps.size(); ++step) {
    std::vector<double> samples;
    for (const std::vector<intr::StepTime> &run : runs)
      samples.push_back(run[step].milliseconds);
    steps[step].milliseconds = median(samples);
    total += steps[step].milliseconds;
  }
  std::map<std::string, Share> byKernel;
  for (const intr::StepTime &step : steps) {
    byKernel[step.kernel].count++;
    byKernel[step.kernel].ms += step.milliseconds;
  }
  std::vector<std::pair<std::string, Share>> kernels(byKernel.begin(),
                                                     byKernel.end());
  std::sort(kernels.begin(), kernels.end(), [](const auto &a, const auto &b) {
    return a.second.ms > b.second.ms;
  });
  std::fprintf(out,
               "\nprofile: %zu steps, %.3f ms step by step (a plain run: "
               "%.3f ms)\n",
               steps.size(), total, medianRunMs);
  std::fprintf(out, "%-28s %6s %10s %7s\n", "kernel", "steps", "ms", "share");
  for (const auto &[kernel, share] : kernels)
    std::fprintf(out, "%-28s %6d %10.3f %6.1f%%\n", kernel.c_str(), share.count,
                 share.ms, 100.0 * share.ms / total);
  std::sort(steps.begin(), steps.end(),
            [](const intr::StepTime &a, const intr::StepTime &b) {
              return a.milliseconds > b.milliseconds;
            });
  if (listedSteps == 0 || listedSteps > steps.size())
    listedSteps = steps.size();
  std::fprintf(out, "\nslowest steps:\n");
  for (size_t i = 0; i < listedSteps; ++i)
    std::fprintf(out, "  step %4zu  %-24s %-28s %8.3f ms\n", steps[i].step,
                 steps[i].kernel.c_str(), steps[i].node.c_str(),
                 steps[i].milliseconds);
  printOperations(runs, out);
}

int run(int argc, char **argv) {
  std::string model, device = "cpu";
  int threads = 0, iterations = 10, warmup = 1, batch = 0, profileSteps = 15,
      variant = 0;
  bool json = false, randomWeights = false, zeroCopy = false, profile = false;
  for (int i = 1; i < argc; ++i) {
    intr::tools::CommandLineArgument argument(argc, argv, i);
    const std::string arg = argument.name();
    std::string given;
    auto count = [&](int &out) {
      return argument.takeValue(given) && parseCount(given.c_str(), out);
    };
    auto needs = [&](const std::string &what) {
      return usageError(argument.needs(what));
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--device") {
      if (!argument.takeValue(device))
        return needs("a device");
    } else if (arg == "--batch") {
      if (!count(batch) || batch == 0)
        return needs("a count from 1 to 1000000");
    } else if (arg == "--variant") {
      if (!count(variant))
        return needs("a count from 0 to 1000000");
    } else if (arg == "--random-weights") {
      randomWeights = true;
    } else if (arg == "--zero-copy") {
      zeroCopy = true;
    } else if (arg == "--threads") {
      if (!count(threads))
        return needs("a count from 0 to 1000000");
    } else if (arg == "--iterations") {
      if (!count(iterations) || iterations == 0)
        return needs("a count from 1 to 1000000");
    } else if (arg == "--warmup") {
      if (!count(warmup))
        return needs("a count from 0 to 1000000");
    } else if (arg == "--profile") {
      profile = true;
    } else if (arg == "--profile-steps") {
      if (!count(profileSteps))
        return needs("a count from 0 to 1000000");
      profile = true;
    } else if (arg == "--json") {
      json = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError("unknown option '" + arg + "'");
    } else if (model.empty()) {
      model = arg;
    } else {
      return usageError("unexpected argument '" + arg + "'");
    }
    if (argument.hasUntakenValue())
      return usageError(arg + " takes no value");
  }
  if (model.empty())
    return usageError("no model given");
  intr::Expected<intr::Device> where = intr::Device::parse(device, threads);
  if (!where)
    return usageError(where.error().message());

  intr::LoadOptions loadOptions;
  loadOptions.randomWeights = randomWeights;
  intr::Expected<intr::Executable> loaded =
      intr::Executable::load(model, loadOptions);
  if (!loaded) {
    std::cerr << "error: " << loaded.error().message() << "\n";
    return 1;
  }
  std::vector<intr::Executable> variants = loaded->variants();
  if (size_t(variant) >= variants.size()) {
    std::cerr << "error: " << model << " has " << variants.size()
              << (variants.size() == 1 ? " plan" : " plans") << ", --variant "
              << variant << " is not one of them\n";
    return 1;
  }
  const intr::Executable *exe = &variants[variant];
  int64_t compiledBatch =
      exe->inputs().empty() || exe->inputs()[0].shape.empty()
          ? 1
          : exe->inputs()[0].shape[0];
  if (batch && batch != compiledBatch) {
    std::cerr << "error: " << model << " was compiled for batch "
              << compiledBatch << ", not " << batch
              << " (an export whose batch is dynamic compiles for another "
                 "with intr-opt compile --input-shape)\n";
    return 1;
  }
  std::vector<intr::Tensor> tensors;
  std::map<std::string, intr::TensorView> inputs;
  for (const intr::TensorInfo &info : exe->inputs())
    tensors.emplace_back(info.dtype, info.shape);
  for (size_t i = 0; i < tensors.size(); ++i)
    inputs.emplace(exe->inputs()[i].name, intr::TensorView(tensors[i]));

  intr::Expected<intr::Session> session = intr::Session::create(*exe, *where);
  // Named as given, with the variant timed where there are several.
  const std::string name =
      variants.size() == 1
          ? model
          : model + " (variant " + std::to_string(variant) + ")";
  if (!session) {
    std::cerr << "error: " << session.error().message() << "\n";
    return 1;
  }
  if (zeroCopy) {
    // The inputs go in once; every timed run reads them where they are.
    if (intr::Status status = session->start(inputs); !status) {
      std::cerr << "error: " << status.error().message() << "\n";
      return 1;
    }
    if (intr::Expected<intr::Outputs> done = session->finish(); !done) {
      std::cerr << "error: " << done.error().message() << "\n";
      return 1;
    }
  }
  intr::RunOptions runOptions;
  runOptions.copyOutputs = !zeroCopy;
  // One Outputs for every run, as a serving loop would keep: the copies are
  // timed, not the allocation of fresh tensors.
  intr::Outputs outputs;
  auto runOnce = [&](const intr::RunOptions &options) {
    intr::Status status = zeroCopy ? session->startInPlace(options)
                                   : session->start(inputs, options);
    if (status)
      status = session->finish(outputs);
    if (!status)
      std::cerr << "error: " << status.error().message() << "\n";
    return status.isOk();
  };
  std::vector<double> times;
  for (int i = 0; i < warmup + iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!runOnce(runOptions))
      return 1;
    auto stop = std::chrono::steady_clock::now();
    if (i >= warmup)
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  double min = times.front(), middle = median(times);
  double p99 = times[std::min(times.size() - 1,
                              static_cast<size_t>(times.size() * 0.99))];
  double throughput = compiledBatch * 1000.0 / middle;
  double sessionMiB = session->memoryBytes() / (1024.0 * 1024.0);
  // On the CPU most of the time is matrix products: say what ran them.
  std::string gemm = where->kind == intr::Device::Kind::CPU
                         ? intr::cpuGemmLibrary()
                         : std::string("cuBLASLt");
  if (json)
    std::printf("{\"model\": %s, \"variant\": %d, \"device\": %s, "
                "\"gemm\": %s, \"batch\": %lld, "
                "\"iterations\": %d, \"zero_copy\": %s, "
                "\"min_ms\": %.3f, \"median_ms\": %.3f, \"p99_ms\": %.3f, "
                "\"images_per_s\": %.3f, \"peak_memory_mib\": %.1f, "
                "\"session_memory_mib\": %.1f}\n",
                intr::tools::jsonString(model).c_str(), variant,
                intr::tools::jsonString(session->device().name()).c_str(),
                intr::tools::jsonString(gemm).c_str(),
                static_cast<long long>(compiledBatch), iterations,
                zeroCopy ? "true" : "false", min, middle, p99, throughput,
                peakMemoryMiB(), sessionMiB);
  else
    std::printf("%s on %s, batch %lld, %d run%s%s: min %.2f ms, median %.2f "
                "ms, p99 %.2f ms, %.2f images/s, peak memory %.0f MiB, "
                "session memory %.0f MiB\n",
                name.c_str(), session->device().name().c_str(),
                static_cast<long long>(compiledBatch), iterations,
                iterations == 1 ? "" : "s", zeroCopy ? " (zero-copy)" : "", min,
                middle, p99, throughput, peakMemoryMiB(), sessionMiB);
  if (!json && where->kind == intr::Device::Kind::CPU)
    std::printf("matrix products: %s\n", gemm.c_str());
  if (profile) {
    intr::RunOptions profiled = runOptions;
    profiled.profile = true;
    std::vector<std::vector<intr::StepTime>> runs;
    for (int i = 0; i < 5; ++i) {
      if (!runOnce(profiled))
        return 1;
      runs.push_back(session->profile());
    }
    // Beside --json's one line, on stderr: stdout stays one JSON value.
    printProfile(runs, middle, static_cast<size_t>(profileSteps),
                 json ? stderr : stdout);
  }
  if (std::optional<std::string> lost = intr::tools::stdoutWriteError()) {
    std::cerr << "error: " << *lost << "\n";
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  // Sizes come from the plan; a host allocation that fails ends in an
  // error, not an abort.
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc &) {
    std::cerr << "error: out of host memory\n";
    return 1;
  }
}
