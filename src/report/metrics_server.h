// MetricsServer serves the latest published metrics text over HTTP/1.1 for
// Prometheus to scrape:
//   GET /metrics  200, the text last given to publish() (empty before the
//                 first), Content-Type text/plain; version=0.0.4; charset=utf-8
//   GET /         200, a tiny HTML page pointing at /metrics
//   POST /events  with an event log: each non-empty line of the body (at
//                 most 64 KiB, Content-Length required: else 413, 411) is a
//                 user event ("user", the line as its detail); 200 with
//                 "N events\n". Without an event log: 404
//   GET other     404
//   HEAD          as GET, without the body
//   other methods 405 (with Allow: GET, HEAD, and POST with an event log)
// Every response carries "Connection: close" and the server closes the
// connection after it: no keep-alive (a scrape every few seconds gains
// nothing from it). A request head larger than 8 KiB gets 431; a malformed
// one 400. Each connection is served by its own coroutine, so a slow client
// delays only itself; a connection that has not sent its request head within
// 10 s, or not taken its response within 30 s, is closed, and connections
// beyond 64 at once are closed as soon as they are accepted.
//
// Threads: the server owns one io_context and one thread that runs it; it
// never touches the client's event loops, and nothing it does blocks the
// caller (publish() takes a mutex for a pointer swap).
//
// Thread safety: publish() and port() may be called from any thread.
// Events go to the log from the server's thread (EventLog is thread-safe).
// Lifetime: the destructor stops accepting, closes every connection, waits
// for every connection coroutine to finish and joins the thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "util/event_log.h"

namespace tikvbench::report {

// How long a connection may take to send its request head; tests make it
// long, to show that the destructor does not wait for it.
struct MetricsServerTimeouts {
  std::chrono::nanoseconds request = std::chrono::seconds(10);
};

class MetricsServer {
 public:
  // Listens on `address`: "HOST:PORT", "[V6]:PORT", or a bare "PORT" meaning
  // 127.0.0.1; port 0 picks a free port (see port()). HOST may be a name; it
  // is resolved here, blocking, and the first address is used.
  // Throws std::invalid_argument when `address` does not parse, and
  // std::runtime_error with one line naming it when it cannot be resolved
  // or listened on. Messages name the flag the address comes from:
  // "--metrics-addr 127.0.0.1:9100: cannot listen: Address already in use".
  // `events`, when not null, takes the events POSTed to /events; it must
  // outlive the server.
  explicit MetricsServer(std::string address, MetricsServerTimeouts timeouts = {}, EventLog* events = nullptr);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The port listened on (the chosen one when the address said 0).
  uint16_t port() const { return port_; }

  // Makes `text` what GET /metrics answers from now on. Requests already
  // being answered finish with the text they started with. Never blocks on
  // I/O.
  void publish(std::string text);

 private:
  // Accepts until the acceptor is closed, spawning serve() per connection
  // and counting it in connections_. Runs on the server's thread; ends when
  // the destructor closes the acceptor.
  asio::awaitable<void> accept_loop();
  // Answers one request on `socket` and closes it. Suspends on the socket;
  // ends early when the socket is closed (by a deadline or the destructor).
  asio::awaitable<void> serve(std::shared_ptr<asio::ip::tcp::socket> socket);
  // The current text, under mu_.
  std::shared_ptr<const std::string> text() const;

  // Constant after construction.
  std::string address_;  // as given, for messages
  const MetricsServerTimeouts timeouts_;
  EventLog* const events_;
  asio::io_context io_{1};
  asio::ip::tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;

  // Touched only on the server's thread.
  asio::steady_timer retry_timer_{io_};  // backs off after a failed accept
  bool stopping_ = false;
  uint64_t next_connection_id_ = 0;
  // Open connections, so the destructor can close them; each entry is removed
  // when its coroutine finishes.
  std::map<uint64_t, std::shared_ptr<asio::ip::tcp::socket>> connections_;

  mutable std::mutex mu_;
  std::shared_ptr<const std::string> text_;  // Guarded by mu_; never null.

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace tikvbench::report
