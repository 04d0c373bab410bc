#include "tikv/pending_call.h"

namespace tikvbench::tikv {

void ResponseSlot::set_reply(std::string_view response) {
  Response message;
  if (message.ParseFromArray(response.data(), static_cast<int>(response.size()))) {
    result_ = std::move(message);
  } else {
    result_ = Status(StatusCode::kUnavailable, "a reply that does not parse as a Response");
  }
}

}  // namespace tikvbench::tikv
