// TLS between the client and the mock cluster, mutual as TiKV's with a CA.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "support/client_fixture.h"

// A suite of the one test executable; meson runs it as "tls".
BOOST_AUTO_TEST_SUITE(tls_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

std::string data(const std::string& name) { return std::string(TEST_DATA_DIR) + "/tls/" + name; }

std::string read(const std::string& name) {
  std::ifstream in(data(name));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

mock::MockClusterOptions tls_cluster() {
  auto options = small_cluster_options();
  options.tls = mock::ServerTls{read("ca.pem"), read("server.pem"), read("server.key")};
  return options;
}

tikv::ClientOptions options_for(const mock::MockCluster& cluster, rpc::TlsFiles tls) {
  auto options = client_options_for(cluster);
  options.tls = std::move(tls);
  options.connect_timeout = std::chrono::milliseconds(1500);
  return options;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_client_with_the_ca_and_a_certificate_works_over_tls) {
  mock::MockCluster cluster(tls_cluster());
  auto client = tikv::ClusterClient::connect(
      options_for(cluster, {data("ca.pem"), data("client.pem"), data("client.key")}));
  BOOST_REQUIRE_MESSAGE(client.ok(), client.status().to_string());
  BOOST_TEST((*client)->run((*client)->raw().put("k", "v")).ok());
  BOOST_TEST(**(*client)->run((*client)->raw().get("k")) == "v");
}

BOOST_AUTO_TEST_CASE(a_plaintext_client_cannot_reach_a_tls_cluster) {
  mock::MockCluster cluster(tls_cluster());
  auto client = tikv::ClusterClient::connect(options_for(cluster, {}));
  BOOST_TEST(!client.ok());
  BOOST_TEST(static_cast<int>(client.status().code()) == static_cast<int>(StatusCode::kUnavailable));
}

BOOST_AUTO_TEST_CASE(a_client_without_a_certificate_is_refused_when_the_cluster_requires_one) {
  mock::MockCluster cluster(tls_cluster());
  auto client = tikv::ClusterClient::connect(options_for(cluster, {data("ca.pem"), "", ""}));
  BOOST_TEST(!client.ok());
}

BOOST_AUTO_TEST_CASE(unreadable_tls_files_name_the_flag_and_the_file) {
  BOOST_CHECK_EXCEPTION(rpc::ChannelFactory({"/nonexistent/ca.pem", "", ""}), std::invalid_argument,
                        [](const std::invalid_argument& e) {
                          return std::string(e.what()).find("--ca /nonexistent/ca.pem") != std::string::npos;
                        });
  BOOST_CHECK_THROW(rpc::ChannelFactory({data("ca.pem"), data("client.pem"), ""}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()  // tls_test
