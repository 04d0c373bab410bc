#include "util/listen_probe.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace tikvbench {

std::string listen_failure(std::string_view host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string name(host);
  const std::string service = std::to_string(port);
  if (const int error = getaddrinfo(name.empty() ? nullptr : name.c_str(), service.c_str(), &hints, &found);
      error != 0) {
    return fmt::format("cannot resolve {}: {}", name, gai_strerror(error));
  }
  std::string reason;
  for (const addrinfo* at = found; at != nullptr && reason.empty(); at = at->ai_next) {
    const int fd = ::socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC, at->ai_protocol);
    if (fd < 0) continue;  // a family this host lacks: gRPC skips it too
    const int on = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, at->ai_addr, at->ai_addrlen) != 0) {
      const int error = errno;
      reason = error == EADDRINUSE ? std::string("already in use") : std::string(std::strerror(error));
    }
    ::close(fd);
  }
  freeaddrinfo(found);
  return reason;
}

}  // namespace tikvbench
