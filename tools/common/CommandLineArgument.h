//===- CommandLineArgument.h - One command-line argument --------*- C++ -*-===//
//
// intr-run and intr-bench parse their command lines by hand (they build with
// the runtime alone, without LLVM's option library); this is what they share.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_COMMON_COMMANDLINEARGUMENT_H
#define INTR_TOOLS_COMMON_COMMANDLINEARGUMENT_H

#include <optional>
#include <string>
#include <utility>

namespace intr::tools {

/// argv[i]: an option, whose value is attached ("--top-k=2", as LLVM's
/// tools take it) or the next argument ("--top-k 2"), or a positional
/// argument.
class CommandLineArgument {
public:
  /// Reads argv[i]; taking a value from the next argument advances `i`.
  CommandLineArgument(int argc, char **argv, int &i)
      : argc(argc), argv(argv), i(i), text(argv[i]) {
    if (size_t eq = text.find('=');
        text.rfind("--", 0) == 0 && eq != std::string::npos) {
      attached = text.substr(eq + 1);
      text.resize(eq);
    }
  }

  /// The option's name, or the positional argument.
  const std::string &name() const { return text; }

  /// Takes the option's value into `out`: false where there is none or it
  /// is empty (a script's unset variable, refused rather than taken for
  /// the option left out).
  bool takeValue(std::string &out) {
    if (attached)
      given = *std::exchange(attached, std::nullopt);
    else if (i + 1 < argc)
      given = argv[++i];
    else
      return false;
    state = given.empty() ? State::Empty : State::Given;
    if (given.empty())
      return false;
    out = given;
    return true;
  }

  /// "--top-k needs <what>", and what was given instead, if anything.
  std::string needs(const std::string &what) const {
    return text + " needs " + what +
           (state == State::Empty   ? ", not an empty value"
            : state == State::Given ? ", not '" + given + "'"
                                    : "");
  }

  /// A value attached to an option that takes none ("--json=1").
  bool hasUntakenValue() const { return attached.has_value(); }

private:
  enum class State { None, Empty, Given };

  int argc;
  char **argv;
  int &i;
  std::string text, given;
  std::optional<std::string> attached;
  State state = State::None;
};

} // namespace intr::tools

#endif // INTR_TOOLS_COMMON_COMMANDLINEARGUMENT_H
