//===- Error.h - Errors as values -------------------------------*- C++ -*-===//
//
// The runtime never throws across its API and never aborts on bad input:
// every operation that can fail returns a Status or an Expected<T>.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_RUNTIME_ERROR_H
#define INTR_RUNTIME_ERROR_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace intr {

/// What went wrong, in words a user can act on (what, where, why).
class Error {
public:
  explicit Error(std::string message) : text(std::move(message)) {}
  const std::string &message() const { return text; }

private:
  std::string text;
};

/// Success, or an Error.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : failure(std::move(error)) {}
  static Status ok() { return Status(); }

  bool isOk() const { return !failure.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Error &error() const {
    assert(failure && "error() of a successful Status");
    return *failure;
  }

private:
  std::optional<Error> failure;
};

/// A value of type T, or an Error.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : storage(std::move(value)) {}
  Expected(Error error) : storage(std::move(error)) {}

  bool hasValue() const { return std::holds_alternative<T>(storage); }
  explicit operator bool() const { return hasValue(); }

  T &operator*() {
    assert(hasValue() && "dereferencing an Expected that holds an error");
    return std::get<T>(storage);
  }
  const T &operator*() const {
    assert(hasValue() && "dereferencing an Expected that holds an error");
    return std::get<T>(storage);
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }

  const Error &error() const {
    assert(!hasValue() && "error() of an Expected that holds a value");
    return std::get<Error>(storage);
  }

private:
  std::variant<T, Error> storage;
};

} // namespace intr

#endif // INTR_RUNTIME_ERROR_H
