// Status and Result<T>: errors as values on the hot path. A Status is a code
// and, only when not ok, a message; an ok Status allocates nothing.
//
// Thread safety: value types.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tikvbench {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the request cannot succeed as asked
  kUnavailable,       // a server could not be reached; retried with backoff
  kTimeout,           // a per-request deadline passed
  kBackoffExhausted,  // retries ran past the request's backoff budget
  kRegionError,       // a region error that is not retried
  kServerError,       // the server answered with an error of its own
  kCancelled,         // the caller cancelled, or the client is stopping
  kInternal,          // a bug or a broken invariant
};

std::string_view status_code_name(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code: message", for logs and one-line errors.
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <class T>
class Result {
 public:
  // An empty result (kInternal); exists because Asio's co_spawn needs one.
  Result() : status_(StatusCode::kInternal, "empty result") {}
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok().
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tikvbench
