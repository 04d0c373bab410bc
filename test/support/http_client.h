// A blocking HTTP/1.1 client for the tests of the metrics server: one
// request per connection, read until the server closes it. For the test's
// own thread (the server runs on its own).
#pragma once

#include <map>
#include <string>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <boost/test/unit_test.hpp>

namespace tikvbench::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

// Sends `request` verbatim to 127.0.0.1:`port` and reads until the server
// closes the connection.
inline std::string round_trip(uint16_t port, const std::string& request) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(request));
  std::string reply;
  std::error_code ec;
  asio::read(socket, asio::dynamic_buffer(reply), ec);
  BOOST_TEST_REQUIRE((ec == asio::error::eof || !ec), ec.message());
  return reply;
}

inline HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  const size_t head_end = raw.find("\r\n\r\n");
  BOOST_TEST_REQUIRE(head_end != std::string::npos, raw);
  const std::string head = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  BOOST_TEST_REQUIRE(head.starts_with("HTTP/1.1 "), head);
  r.status = std::stoi(head.substr(9, 3));
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    const size_t next = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const size_t colon = line.find(": ");
    BOOST_TEST_REQUIRE(colon != std::string::npos, line);
    r.headers[line.substr(0, colon)] = line.substr(colon + 2);
    pos = next;
  }
  return r;
}

inline HttpResponse get(uint16_t port, const std::string& path, const std::string& method = "GET") {
  return parse_response(
      round_trip(port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n"));
}

}  // namespace tikvbench::test
