// Accessors over the BatchCommands request and response oneofs, so the
// sender can treat every raw command alike: its Context, its region error and
// its other error (the `error` string, or a KvPair's KeyError).
#pragma once

#include <string>

#include "tikv/request.h"

namespace tikvbench::tikv {

// The request's Context, or null for a command that has none.
kvrpcpb::Context* context_of(Request& request);
// The response's region error, or null when it has none.
const errorpb::Error* region_error_of(const Response& response);
// The response's error other than a region error, or empty.
std::string other_error_of(const Response& response);

}  // namespace tikvbench::tikv
