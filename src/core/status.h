#pragma once
// Expected failures are values: a Status says whether an operation worked and, if not, why.
// Result<T> carries either a value or the Status that explains its absence.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace opennos {

class Status {
 public:
  enum class Code { kOk, kInvalid, kNotFound, kConflict, kForbidden, kIo, kInternal };

  Status() = default;
  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {Code::kInvalid, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  // Known, but not allowed to do this (another organisation's framework, say).
  static Status Forbidden(std::string m) { return {Code::kForbidden, std::move(m)}; }
  static Status Io(std::string m) { return {Code::kIo, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "prefix: message".
  Status WithContext(const std::string& prefix) const {
    return {code_, prefix + ": " + message_};
  }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Returns the Status of `expr` from the enclosing function if it is not ok.
#define RETURN_IF_ERROR(expr)            \
  do {                                   \
    if (Status _s = (expr); !_s.ok()) {  \
      return _s;                         \
    }                                    \
  } while (0)

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status s) : v_(std::move(s)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace opennos
