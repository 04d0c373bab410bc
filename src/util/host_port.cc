#include "util/host_port.h"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench {

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

HostPort parse_host_port(std::string_view text) {
  auto fail = [&] {
    return std::invalid_argument(fmt::format("'{}' is not HOST:PORT", text));
  };
  // Accept and drop an http:// scheme, as PD's own URLs carry one.
  if (text.starts_with("http://")) text.remove_prefix(7);
  HostPort result;
  std::string_view port_text = text;
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    if (host.empty()) throw fail();
    result.host = std::string(host);
    port_text = text.substr(colon + 1);
  } else {
    result.host = "127.0.0.1";
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) {
    throw fail();
  }
  result.port = static_cast<uint16_t>(port);
  return result;
}

}  // namespace tikvbench
