// HostPort is an endpoint as flags spell it: "host:port", "[::1]:port", or a
// bare port meaning 127.0.0.1.
//
// Thread safety: a value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tikvbench {

struct HostPort {
  std::string host;
  uint16_t port = 0;

  // "host:port", with brackets around an IPv6 host.
  std::string to_string() const;
};

// Parses `text`. A missing host means 127.0.0.1; port 0 is allowed (pick
// one). Throws std::invalid_argument naming `text` when it does not parse.
HostPort parse_host_port(std::string_view text);

}  // namespace tikvbench
