// Why a server cannot listen on an address. gRPC's ServerBuilder says only
// that the port could not be bound (selected port 0) and logs the reason,
// if at all, where the user does not look; this binds a socket there itself
// to find the reason for the one-line message.
//
// Thread safety: a pure function (it opens and closes a socket).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tikvbench {

// Binds a TCP socket to each address `host` resolves to, at `port`, as a
// listening server would (SO_REUSEADDR, as gRPC and Asio set it; no
// SO_REUSEPORT), and closes it again without listening. Returns the first
// failure for people: "already in use" for EADDRINUSE, else the system's
// text ("Cannot assign requested address"), or "cannot resolve HOST: ..."
// when `host` does not resolve. Returns an empty string when every bind
// works: the address is free now (it may have been freed since the failure
// being explained). Never throws.
std::string listen_failure(std::string_view host, uint16_t port);

}  // namespace tikvbench
