// SilentServer accepts TCP connections on a loopback port and never says a
// word: a PD that does not answer (no HTTP/2, no reply), for timeout tests.
#pragma once

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <fmt/format.h>

namespace tikvbench::test {

class SilentServer {
 public:
  SilentServer() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~SilentServer() {
    asio::post(io_, [this] {
      acceptor_.close();
      held_.clear();
    });
    thread_.join();
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  std::string address() const { return fmt::format("127.0.0.1:{}", acceptor_.local_endpoint().port()); }

 private:
  void accept() {
    acceptor_.async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      held_.push_back(std::move(socket));
      accept();
    });
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::vector<asio::ip::tcp::socket> held_;  // Touched on the io thread only.
  std::thread thread_;
};

}  // namespace tikvbench::test
