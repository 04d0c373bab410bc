#include "report/metrics_server.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include "util/host_port.h"

namespace tikvbench::report {
namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);

// The flag the address comes from, for start-up messages.
constexpr std::string_view kFlag = "--metrics-addr";

constexpr size_t kMaxRequestHead = 8 * 1024;
constexpr size_t kMaxConnections = 64;
constexpr auto kWriteTimeout = 30s;    // to take the response
constexpr auto kLingerTimeout = 1s;    // to drain what the client still sends
constexpr auto kAcceptRetryDelay = 100ms;

constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kPlainContentType = "text/plain; charset=utf-8";
constexpr std::string_view kIndexPage =
    "<html><head><title>tikv-bench</title></head>\n"
    "<body><h1>tikv-bench</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

struct Response {
  int status = 200;
  std::string_view reason = "OK";
  std::string_view content_type = kPlainContentType;
  std::string_view extra_headers;  // each line ending in \r\n
  std::shared_ptr<const std::string> body;
};

Response plain(int status, std::string_view reason, std::string_view extra_headers = {}) {
  return {status, reason, kPlainContentType, extra_headers,
          std::make_shared<const std::string>(fmt::format("{}\n", reason))};
}

// The path of a request target: origin form ("/metrics?x") or absolute form
// ("http://host/metrics"), without the query.
std::string_view target_path(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return target.substr(0, target.find_first_of("?#"));
}

constexpr size_t kMaxEventsBody = 64 * 1024;

// The value of header `name` (case-insensitive) in a request head, or
// nullopt.
std::optional<std::string_view> header_value(std::string_view head, std::string_view name) {
  for (size_t at = head.find("\r\n"); at != std::string_view::npos && at + 2 < head.size();) {
    const size_t end = head.find("\r\n", at + 2);
    const std::string_view line = head.substr(at + 2, end == std::string_view::npos ? end : end - at - 2);
    at = end;
    const size_t colon = line.find(':');
    if (colon != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (!same) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
  }
  return std::nullopt;
}

// Reads the body of a POST /events whose head is request[0, head_size)
// (part of the body may already follow it there) and records each
// non-empty line as a user event.
asio::awaitable<Response> post_events(tcp::socket& socket, std::string& request, size_t head_size, EventLog& events) {
  const auto length_text = header_value(std::string_view(request).substr(0, head_size), "Content-Length");
  if (!length_text) co_return plain(411, "Length Required");
  size_t length = 0;
  const auto* end = length_text->data() + length_text->size();
  if (auto [ptr, ec] = std::from_chars(length_text->data(), end, length); ec != std::errc() || ptr != end) {
    co_return plain(400, "Bad Request");
  }
  if (length > kMaxEventsBody) co_return plain(413, "Content Too Large");
  std::string body = request.substr(head_size);
  if (body.size() < length) {
    const size_t have = body.size();
    body.resize(length);
    auto [ec, n] = co_await asio::async_read(socket, asio::buffer(body.data() + have, length - have), kUseTuple);
    if (ec) co_return plain(400, "Bad Request");
  }
  body.resize(length);
  body += '\n';  // the last line need not end in one
  size_t added = 0;
  events.add_lines("user", body, &added);
  Response response;
  response.body = std::make_shared<const std::string>(fmt::format("{} event{}\n", added, added == 1 ? "" : "s"));
  co_return response;
}

}  // namespace

MetricsServer::MetricsServer(std::string address, MetricsServerTimeouts timeouts, EventLog* events)
    : address_(std::move(address)),
      timeouts_(timeouts),
      events_(events),
      text_(std::make_shared<const std::string>()) {
  HostPort host_port;
  try {
    host_port = parse_host_port(address_);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", kFlag, e.what()));
  }

  std::error_code ec;
  tcp::endpoint endpoint;
  if (const auto ip = asio::ip::make_address(host_port.host, ec); !ec) {
    endpoint = tcp::endpoint(ip, host_port.port);
  } else {
    tcp::resolver resolver(io_);
    const auto results =
        resolver.resolve(host_port.host, std::to_string(host_port.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      throw std::runtime_error(fmt::format("{} {}: cannot resolve {}: {}", kFlag, address_, host_port.host,
                                           ec ? ec.message() : "no addresses"));
    }
    endpoint = results.begin()->endpoint();
  }

  auto cannot_listen = [&] {
    return std::runtime_error(fmt::format("{} {}: cannot listen: {}", kFlag, address_, ec.message()));
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) throw cannot_listen();
  // Lets a restarted run listen again while old connections sit in TIME_WAIT;
  // on Linux it does not let two listeners share a port.
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw cannot_listen();
  port_ = acceptor_.local_endpoint().port();

  // The accept loop is owned by the server: it ends once the destructor has
  // closed the acceptor, and io_.run() (joined there) returns only after it
  // and every connection coroutine have finished. Their exceptions are bugs;
  // they end the process from the server's thread.
  asio::co_spawn(io_, accept_loop(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  thread_ = std::thread([this] { io_.run(); });
}

MetricsServer::~MetricsServer() {
  asio::post(io_, [this] {
    stopping_ = true;
    std::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    // Pending reads and writes complete with operation_aborted and each
    // coroutine returns; its completion removes it from connections_.
    for (auto& [id, socket] : connections_) socket->close(ignored);
  });
  thread_.join();
}

void MetricsServer::publish(std::string text) {
  auto fresh = std::make_shared<const std::string>(std::move(text));
  {
    std::lock_guard lock(mu_);
    text_.swap(fresh);
  }
  // The old text is released here, outside the lock (or by the last request
  // still writing it).
}

std::shared_ptr<const std::string> MetricsServer::text() const {
  std::lock_guard lock(mu_);
  return text_;
}

asio::awaitable<void> MetricsServer::accept_loop() {
  const auto executor = co_await asio::this_coro::executor;
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
    if (stopping_) break;
    if (ec) {
      // Out of descriptors or the like: wait a little rather than spin.
      retry_timer_.expires_after(kAcceptRetryDelay);
      co_await retry_timer_.async_wait(kUseTuple);
      continue;
    }
    if (connections_.size() >= kMaxConnections) continue;  // `socket` closes as it goes
    auto shared = std::make_shared<tcp::socket>(std::move(socket));
    const uint64_t id = next_connection_id_++;
    connections_.emplace(id, shared);
    asio::co_spawn(executor, serve(std::move(shared)), [this, id](std::exception_ptr e) {
      connections_.erase(id);
      if (e) std::rethrow_exception(e);
    });
  }
}

asio::awaitable<void> MetricsServer::serve(std::shared_ptr<tcp::socket> socket) {
  // One deadline at a time: when it passes the socket is closed, which ends
  // whatever this coroutine awaits with an error. Re-arming cancels the last.
  asio::steady_timer watchdog(co_await asio::this_coro::executor);
  auto arm = [&](auto timeout) {
    watchdog.expires_after(timeout);
    watchdog.async_wait([socket](std::error_code ec) {
      std::error_code ignored;
      if (!ec) socket->close(ignored);
    });
  };

  arm(timeouts_.request);
  std::string request;
  auto [read_ec, head_size] =
      co_await asio::async_read_until(*socket, asio::dynamic_buffer(request, kMaxRequestHead), "\r\n\r\n", kUseTuple);

  Response response;
  bool head_only = false;
  if (read_ec == asio::error::not_found) {
    response = plain(431, "Request Header Fields Too Large");
  } else if (read_ec) {
    co_return;  // closed, reset or timed out before a whole request
  } else {
    // "METHOD SP request-target SP HTTP-version" up to the first CRLF.
    const std::string_view line = std::string_view(request).substr(0, request.find("\r\n"));
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp1 == 0 || sp2 == std::string_view::npos || sp2 == sp1 + 1 ||
        !line.substr(sp2 + 1).starts_with("HTTP/1.")) {
      response = plain(400, "Bad Request");
    } else {
      const std::string_view method = line.substr(0, sp1);
      const std::string_view path = target_path(line.substr(sp1 + 1, sp2 - sp1 - 1));
      head_only = method == "HEAD";
      if (method == "POST" && path == "/events" && events_ != nullptr) {
        response = co_await post_events(*socket, request, head_size, *events_);
      } else if (method == "POST" && path == "/events") {
        response = plain(404, "Not Found");
      } else if (method != "GET" && !head_only) {
        response = plain(405, "Method Not Allowed",
                         events_ != nullptr ? "Allow: GET, HEAD, POST\r\n" : "Allow: GET, HEAD\r\n");
      } else if (path == "/metrics") {
        response.content_type = kMetricsContentType;
        response.body = text();
      } else if (path == "/") {
        response.content_type = "text/html; charset=utf-8";
        response.body = std::make_shared<const std::string>(kIndexPage);
      } else {
        response = plain(404, "Not Found");
      }
    }
  }

  const std::string head = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n", response.status,
      response.reason, response.content_type, response.body->size(), response.extra_headers);
  std::array<asio::const_buffer, 2> buffers = {asio::buffer(head),
                                               asio::buffer(*response.body, head_only ? 0 : response.body->size())};
  arm(kWriteTimeout);
  auto [write_ec, written] = co_await asio::async_write(*socket, buffers, kUseTuple);
  if (write_ec) co_return;

  // Close gracefully: send FIN, then drain what the client still sends, so
  // unread bytes (a request body, say) do not turn the close into a reset
  // that could destroy the response in flight.
  std::error_code ignored;
  socket->shutdown(tcp::socket::shutdown_send, ignored);
  arm(kLingerTimeout);
  std::array<char, 1024> sink;
  for (;;) {
    auto [ec, n] = co_await socket->async_read_some(asio::buffer(sink), kUseTuple);
    if (ec) break;
  }
  socket->close(ignored);
}

}  // namespace tikvbench::report
