#include "util/status.h"

namespace tikvbench {

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kBackoffExhausted: return "backoff_exhausted";
    case StatusCode::kRegionError: return "region_error";
    case StatusCode::kServerError: return "server_error";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string text(status_code_name(code_));
  if (!message_.empty()) text += ": " + message_;
  return text;
}

}  // namespace tikvbench
