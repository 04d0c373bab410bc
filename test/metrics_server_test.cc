// MetricsServer, the HTTP server of the Prometheus text: what it answers to
// GET, HEAD, other methods and paths, malformed and oversized requests, a
// silent client, and bad or taken addresses. Driven by a blocking client on
// the test's thread.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "report/metrics_server.h"
#include "support/http_client.h"
#include "util/host_port.h"

// A suite of the one test executable; meson runs it as "metrics_server".
BOOST_AUTO_TEST_SUITE(metrics_server_test)

using namespace tikvbench;
using namespace tikvbench::report;
using tikvbench::test::get;
using tikvbench::test::parse_response;
using tikvbench::test::round_trip;

BOOST_AUTO_TEST_CASE(get_metrics_answers_the_published_text) {
  MetricsServer server("127.0.0.1:0");
  BOOST_TEST_REQUIRE(server.port() != 0);
  const std::string text = "# TYPE tikv_bench_ops_total counter\ntikv_bench_ops_total{op=\"read\"} 1000\n";
  server.publish(text);
  const auto r = get(server.port(), "/metrics");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.headers.at("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  BOOST_TEST(r.headers.at("Content-Length") == std::to_string(text.size()));
  BOOST_TEST(r.headers.at("Connection") == "close");
  BOOST_TEST(r.body == text);
}

BOOST_AUTO_TEST_CASE(the_next_get_sees_newly_published_text) {
  MetricsServer server("127.0.0.1:0");
  BOOST_TEST(get(server.port(), "/metrics").body == "");  // nothing published yet
  server.publish("first 1\n");
  BOOST_TEST(get(server.port(), "/metrics").body == "first 1\n");
  server.publish("second 2\n");
  BOOST_TEST(get(server.port(), "/metrics").body == "second 2\n");
  BOOST_TEST(get(server.port(), "/metrics?name[]=x").body == "second 2\n");  // a query is ignored
}

BOOST_AUTO_TEST_CASE(other_paths_and_methods_get_404_405_and_a_pointer_page) {
  MetricsServer server("127.0.0.1:0");
  server.publish("x 1\n");
  const auto index = get(server.port(), "/");
  BOOST_TEST(index.status == 200);
  BOOST_TEST(index.body.find("href=\"/metrics\"") != std::string::npos);
  BOOST_TEST(get(server.port(), "/nope").status == 404);
  BOOST_TEST(get(server.port(), "/metrics/").status == 404);
  const auto post = get(server.port(), "/metrics", "POST");
  BOOST_TEST(post.status == 405);
  BOOST_TEST(post.headers.at("Allow") == "GET, HEAD");
  const auto head = get(server.port(), "/metrics", "HEAD");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.headers.at("Content-Length") == "4");
  BOOST_TEST(head.body == "");
}

BOOST_AUTO_TEST_CASE(malformed_and_oversized_requests_get_400_and_431) {
  MetricsServer server("127.0.0.1:0");
  BOOST_TEST(parse_response(round_trip(server.port(), "nonsense\r\n\r\n")).status == 400);
  BOOST_TEST(parse_response(round_trip(server.port(), "GET /metrics SPDY/3\r\n\r\n")).status == 400);
  const std::string huge = "GET /metrics HTTP/1.1\r\nX-Big: " + std::string(10'000, 'a') + "\r\n\r\n";
  BOOST_TEST(parse_response(round_trip(server.port(), huge)).status == 431);
  // The server still serves afterwards.
  BOOST_TEST(get(server.port(), "/metrics").status == 200);
}

BOOST_AUTO_TEST_CASE(a_silent_client_does_not_block_others_or_the_destructor) {
  asio::io_context io;
  asio::ip::tcp::socket silent(io);
  {
    // A request timeout past the suite's own: had the destructor waited it
    // out, the suite would time out.
    MetricsServer server("127.0.0.1:0", MetricsServerTimeouts{std::chrono::hours(1)});
    server.publish("x 1\n");
    silent.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    asio::write(silent, asio::buffer(std::string_view("GET /metr")));  // and then nothing
    BOOST_TEST(get(server.port(), "/metrics").body == "x 1\n");
  }
  // The destructor closed the silent connection rather than waiting out its
  // request timeout.
  std::string rest;
  std::error_code ec;
  asio::read(silent, asio::dynamic_buffer(rest), ec);
  BOOST_TEST((ec == asio::error::eof || ec == asio::error::connection_reset), ec.message());
  BOOST_TEST(rest == "");
}

BOOST_AUTO_TEST_CASE(a_second_server_on_the_same_port_fails_naming_the_address) {
  MetricsServer first("127.0.0.1:0");
  const std::string address = fmt::format("127.0.0.1:{}", first.port());
  try {
    MetricsServer second(address);
    BOOST_FAIL("a second server listened on " << address);
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find(address) != std::string::npos, what);
    BOOST_TEST(what.find("cannot listen") != std::string::npos, what);
    BOOST_TEST(what.find('\n') == std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(a_bare_port_listens_on_loopback) {
  BOOST_TEST(parse_host_port("9100").host == "127.0.0.1");
  MetricsServer server("0");
  server.publish("bare 1\n");
  BOOST_TEST(get(server.port(), "/metrics").body == "bare 1\n");  // get() connects to 127.0.0.1
}

BOOST_AUTO_TEST_CASE(an_unparsable_address_is_an_invalid_argument) {
  BOOST_CHECK_THROW(MetricsServer("localhost:http"), std::invalid_argument);
  BOOST_CHECK_THROW(MetricsServer("127.0.0.1:70000"), std::invalid_argument);
  BOOST_CHECK_THROW(MetricsServer(":9100"), std::invalid_argument);
  try {
    MetricsServer server("nope");
    BOOST_FAIL("'nope' parsed");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("nope") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()  // metrics_server_test
