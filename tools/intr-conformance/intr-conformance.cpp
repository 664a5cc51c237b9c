//===- intr-conformance.cpp - ONNX backend node tests on the CPU ----------===//
//
// Runs the ONNX backend node tests (Debian's libonnx-testdata) through the
// compiler and the CPU runtime and classifies each as passed, failed or
// unsupported. Each test runs in a child process, so that a crash or a hang
// in one becomes that test's failure instead of ending the run; an
// expected-pass list turns the run into a regression test.
//
//===----------------------------------------------------------------------===//

#include "NodeTest.h"

#include "intr/runtime/Device.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace intr::conformance;
using llvm::StringRef;
namespace cl = llvm::cl;

namespace {

/// The exit code that ctest's SKIP_RETURN_CODE turns into "skipped".
constexpr int kSkipped = 77;

cl::OptionCategory category("intr-conformance options");

cl::list<std::string> paths(cl::Positional, cl::OneOrMore,
                            cl::desc("<node test folder | folder of tests>..."),
                            cl::cat(category));
cl::opt<std::string> filter("filter",
                            cl::desc("Run only tests whose name matches"),
                            cl::value_desc("regex"), cl::cat(category));
cl::opt<bool> verbose("verbose", cl::desc("Print one line per test"),
                      cl::cat(category));
cl::alias verboseShort("v", cl::aliasopt(verbose), cl::cat(category));
cl::opt<bool> groups("groups",
                     cl::desc("Print failed tests grouped by op type and "
                              "unsupported ones grouped by cause"),
                     cl::cat(category));
cl::opt<std::string>
    expectedFile("expected",
                 cl::desc("Fail if a test listed in this file does not pass"),
                 cl::value_desc("file"), cl::cat(category));
cl::opt<std::string>
    writeExpectedFile("write-expected",
                      cl::desc("Write the sorted names of the passing tests"),
                      cl::value_desc("file"), cl::cat(category));
cl::opt<unsigned> jobs("j", cl::Prefix,
                       cl::desc("Tests run at once (0: one per CPU this "
                                "process may run on)"),
                       cl::init(0), cl::cat(category));
cl::opt<unsigned> timeout("timeout",
                          cl::desc("Seconds a test may take before it fails"),
                          cl::init(60), cl::cat(category));
cl::opt<bool> raise(
    "raise",
    cl::desc("Compile with the raising patterns, as intr-opt compile does, "
             "so that a Conv, MaxPool, Gemm, MatMul + Add or "
             "LayerNormalization runs "
             "on its intr op's kernel (default: off)"),
    cl::init(false), cl::cat(category));
cl::opt<std::string> exportPassing(
    "export-passing",
    cl::desc("Write each passing test's executable, inputs (.npy) and "
             "expected outputs (.npy) to <dir>/<test>/, for intr-run "
             "--expect on a machine without the compiler (the GPU's)"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<bool> noFork("no-fork",
                     cl::desc("Run tests in this process (for a debugger; a "
                              "crash ends the run)"),
                     cl::cat(category));

struct Test {
  std::string name;
  std::string dir;
  Outcome outcome;
  /// The model's op types, "Add" or "Cast+Div".
  std::string ops;
};

const char *verdictName(Verdict verdict) {
  switch (verdict) {
  case Verdict::Passed:
    return "PASS";
  case Verdict::Failed:
    return "FAIL";
  case Verdict::Unsupported:
    return "UNSUPPORTED";
  }
  return "?";
}

bool isTestFolder(const std::string &dir) {
  return llvm::sys::fs::exists(dir + "/model.onnx");
}

/// The tests under `path`: the folder itself, or its subfolders that hold a
/// model.onnx. Returns false when the path does not exist.
bool collectTests(const std::string &path, std::vector<Test> &tests) {
  if (!llvm::sys::fs::is_directory(path))
    return false;
  if (isTestFolder(path)) {
    tests.push_back(
        {llvm::sys::path::filename(StringRef(path).rtrim('/')).str(),
         path,
         {},
         ""});
    return true;
  }
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(path, error), end;
       it != end && !error; it.increment(error))
    if (isTestFolder(it->path()))
      tests.push_back(
          {llvm::sys::path::filename(it->path()).str(), it->path(), {}, ""});
  return true;
}

//===----------------------------------------------------------------------===//
// Running a test in a child process
//===----------------------------------------------------------------------===//

/// A record the child writes to a file, line by line, as it goes:
///   ops <op types>        (as soon as the model is read)
///   verdict <name>
///   cause <cause>
///   reason <one line>
/// so that a crash after the first line still says what was being tested.
void writeLine(int fd, StringRef key, StringRef value) {
  std::string line = (key + " " + value).str();
  std::replace(line.begin(), line.end(), '\n', ' ');
  line += '\n';
  const char *data = line.data();
  size_t left = line.size();
  while (left) {
    ssize_t written = ::write(fd, data, left);
    if (written <= 0)
      return;
    data += written;
    left -= written;
  }
}

std::string readAll(int fd) {
  std::string text;
  ::lseek(fd, 0, SEEK_SET);
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(fd, buffer, sizeof(buffer))) > 0)
    text.append(buffer, got);
  return text;
}

/// The last non-empty line of what the child printed (an assertion, an
/// LLVM fatal error), shortened.
std::string lastLine(StringRef text) {
  llvm::SmallVector<StringRef> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  while (!lines.empty() && lines.back().trim().empty())
    lines.pop_back();
  if (lines.empty())
    return "";
  std::string line = lines.back().trim().str();
  if (line.size() > 200)
    line = line.substr(0, 200) + "...";
  return line;
}

/// A running test. Its files are unlinked temporary files: nothing to
/// clean up, whatever happens.
struct Child {
  pid_t pid;
  size_t index;
  FILE *record;
  FILE *log;
};

void runInChild(Test &test, int record, int log) {
  ::dup2(log, STDOUT_FILENO);
  ::dup2(log, STDERR_FILENO);
  ::alarm(timeout);
  Outcome outcome = runNodeTest(
      test.dir, raise, [&](StringRef ops) { writeLine(record, "ops", ops); },
      exportPassing);
  writeLine(record, "verdict", verdictName(outcome.verdict));
  writeLine(record, "cause", outcome.cause);
  writeLine(record, "reason", outcome.reason);
  // Skip static destructors: the parent has everything it needs.
  ::_exit(0);
}

void collectChild(Test &test, int status, int record, int log) {
  std::string text = readAll(record);
  std::string verdict;
  llvm::SmallVector<StringRef> lines;
  StringRef(text).split(lines, '\n');
  for (StringRef line : lines) {
    auto [key, value] = line.split(' ');
    if (key == "ops")
      test.ops = value.str();
    else if (key == "verdict")
      verdict = value.str();
    else if (key == "cause")
      test.outcome.cause = value.str();
    else if (key == "reason")
      test.outcome.reason = value.str();
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !verdict.empty()) {
    test.outcome.verdict = verdict == "PASS"   ? Verdict::Passed
                           : verdict == "FAIL" ? Verdict::Failed
                                               : Verdict::Unsupported;
    return;
  }
  test.outcome.verdict = Verdict::Failed;
  test.outcome.cause.clear();
  std::string said = lastLine(readAll(log));
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    test.outcome.reason = "timed out after " + std::to_string(timeout) + " s";
  else if (WIFSIGNALED(status))
    test.outcome.reason =
        std::string("crashed: ") + strsignal(WTERMSIG(status));
  else
    test.outcome.reason =
        "exited with status " + std::to_string(WEXITSTATUS(status));
  if (!said.empty())
    test.outcome.reason += ": " + said;
}

void runAll(std::vector<Test> &tests) {
  if (noFork) {
    for (Test &test : tests) {
      test.outcome = runNodeTest(
          test.dir, raise, [&](StringRef ops) { test.ops = ops.str(); },
          exportPassing);
      if (verbose)
        llvm::errs() << "done " << test.name << "\n";
    }
    return;
  }
  warmUp();
  // One test at a time per CPU this process may run on.
  unsigned parallel = jobs ? jobs : unsigned(intr::defaultCpuThreads());
  std::vector<Child> running;
  size_t next = 0;
  while (next < tests.size() || !running.empty()) {
    while (running.size() < parallel && next < tests.size()) {
      Test &test = tests[next];
      FILE *record = std::tmpfile(), *log = std::tmpfile();
      // Buffered output would be written again by the child.
      llvm::outs().flush();
      llvm::errs().flush();
      std::fflush(nullptr);
      pid_t pid = record && log ? ::fork() : -1;
      if (pid == 0)
        runInChild(test, fileno(record), fileno(log));
      if (pid < 0) {
        test.outcome = {Verdict::Failed,
                        std::string("cannot start: ") + std::strerror(errno),
                        ""};
        if (record)
          std::fclose(record);
        if (log)
          std::fclose(log);
      } else {
        running.push_back({pid, next, record, log});
      }
      ++next;
    }
    if (running.empty())
      continue;
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0 && errno == EINTR)
      continue;
    if (pid < 0) { // no children left to wait for: should not happen
      for (const Child &child : running)
        tests[child.index].outcome = {
            Verdict::Failed, std::string("lost: ") + std::strerror(errno), ""};
      return;
    }
    auto it =
        llvm::find_if(running, [&](const Child &c) { return c.pid == pid; });
    if (it == running.end())
      continue;
    collectChild(tests[it->index], status, fileno(it->record), fileno(it->log));
    std::fclose(it->record);
    std::fclose(it->log);
    running.erase(it);
  }
}

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

std::vector<std::string> readList(const std::string &path, bool &ok) {
  std::vector<std::string> names;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  ok = static_cast<bool>(buffer);
  if (!ok)
    return names;
  llvm::SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (StringRef line : lines) {
    line = line.split('#').first.trim();
    if (!line.empty())
      names.push_back(line.str());
  }
  return names;
}

void printGroups(const std::vector<Test> &tests) {
  std::map<std::string, std::vector<const Test *>> failedByOp, unsupportedBy;
  for (const Test &test : tests) {
    if (test.outcome.verdict == Verdict::Failed)
      failedByOp[test.ops.empty() ? "?" : test.ops].push_back(&test);
    else if (test.outcome.verdict == Verdict::Unsupported)
      unsupportedBy[test.outcome.cause].push_back(&test);
  }
  llvm::outs() << "failed, by op type:\n";
  for (const auto &[op, list] : failedByOp) {
    llvm::outs() << "  " << op << " (" << list.size() << ")\n";
    for (const Test *test : list)
      llvm::outs() << "    " << test->name << ": " << test->outcome.reason
                   << "\n";
  }
  llvm::outs() << "unsupported, by cause:\n";
  for (const auto &[cause, list] : unsupportedBy) {
    llvm::outs() << "  " << cause << " (" << list.size() << "):";
    for (const Test *test : list)
      llvm::outs() << " " << test->name;
    llvm::outs() << "\n";
  }
}

} // namespace

int main(int argc, char **argv) {
  // libLLVM brings every target's options (AMDGPU, ARM, ...): none applies.
  cl::HideUnrelatedOptions(category);
  // A usage error exits 2, as the other tools' do.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "intr-conformance: ONNX backend node tests, compiled and run on "
          "the CPU\n\n"
          "Give node test folders, or folders of them such as\n"
          "/usr/share/libonnx-testdata/data/node. Exits 77 (skipped) when a "
          "path does not exist.\n",
          &llvm::errs()))
    return 2;
  auto started = std::chrono::steady_clock::now();

  std::vector<Test> tests;
  bool wholeSuites = true;
  for (const std::string &path : paths) {
    if (!collectTests(path, tests)) {
      llvm::errs() << "intr-conformance: " << path
                   << " does not exist (install libonnx-testdata); "
                      "skipping\n";
      return kSkipped;
    }
    wholeSuites &= !isTestFolder(path);
  }
  if (!filter.empty()) {
    llvm::Regex regex(filter);
    std::string message;
    if (!regex.isValid(message)) {
      llvm::errs() << "intr-conformance: --filter: " << message << "\n";
      return 1;
    }
    llvm::erase_if(tests,
                   [&](const Test &test) { return !regex.match(test.name); });
  }
  llvm::sort(tests,
             [](const Test &a, const Test &b) { return a.name < b.name; });
  tests.erase(std::unique(tests.begin(), tests.end(),
                          [](const Test &a, const Test &b) {
                            return a.name == b.name;
                          }),
              tests.end());

  runAll(tests);

  unsigned counts[3] = {0, 0, 0};
  for (const Test &test : tests) {
    ++counts[static_cast<int>(test.outcome.verdict)];
    if (verbose) {
      llvm::outs() << verdictName(test.outcome.verdict) << " " << test.name;
      if (!test.outcome.reason.empty())
        llvm::outs() << ": " << test.outcome.reason;
      llvm::outs() << "\n";
    }
  }
  if (groups)
    printGroups(tests);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  llvm::outs() << llvm::format("intr-conformance: %zu tests in %.1f s\n",
                               tests.size(), seconds);
  llvm::outs() << counts[0] << " passed, " << counts[1] << " failed, "
               << counts[2] << " unsupported\n";

  std::vector<std::string> passing;
  for (const Test &test : tests)
    if (test.outcome.verdict == Verdict::Passed)
      passing.push_back(test.name);

  if (!writeExpectedFile.empty()) {
    std::error_code error;
    llvm::raw_fd_ostream os(writeExpectedFile, error, llvm::sys::fs::OF_Text);
    if (error) {
      llvm::errs() << "intr-conformance: " << writeExpectedFile << ": "
                   << error.message() << "\n";
      return 1;
    }
    for (const std::string &name : passing)
      os << name << "\n";
    llvm::outs() << "wrote " << passing.size() << " passing tests to "
                 << writeExpectedFile << "\n";
  }

  if (expectedFile.empty())
    return 0;
  bool ok;
  std::vector<std::string> expected = readList(expectedFile, ok);
  if (!ok) {
    llvm::errs() << "intr-conformance: cannot read " << expectedFile << "\n";
    return 1;
  }
  std::map<std::string, const Test *> byName;
  for (const Test &test : tests)
    byName[test.name] = &test;
  std::set<std::string> listed(expected.begin(), expected.end());
  std::vector<std::string> regressions;
  for (const std::string &name : listed) {
    auto it = byName.find(name);
    if (it == byName.end()) {
      // Only a run over whole suites, unfiltered, must find every test.
      if (wholeSuites && filter.empty())
        regressions.push_back(name + ": not found in the test data");
      continue;
    }
    const Outcome &outcome = it->second->outcome;
    if (outcome.verdict != Verdict::Passed)
      regressions.push_back(
          name + ": " +
          (outcome.verdict == Verdict::Failed ? "failed" : "unsupported") +
          (outcome.reason.empty() ? "" : ": ") + outcome.reason);
  }
  std::vector<std::string> newlyPassing;
  for (const std::string &name : passing)
    if (!listed.count(name))
      newlyPassing.push_back(name);

  if (!newlyPassing.empty()) {
    llvm::outs() << "newly passing: add them to the list (--write-expected "
                 << expectedFile << "):\n";
    for (const std::string &name : newlyPassing)
      llvm::outs() << "  " << name << "\n";
  }
  if (regressions.empty())
    return 0;
  llvm::outs() << regressions.size() << " regression"
               << (regressions.size() == 1 ? "" : "s") << " against "
               << expectedFile << ":\n";
  for (const std::string &line : regressions)
    llvm::outs() << "  " << line << "\n";
  return 1;
}
