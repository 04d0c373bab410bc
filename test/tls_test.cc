// The client's channels: TLS between the client and the mock cluster, mutual
// as TiKV's with a CA, and what the channel factory sets.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include <grpc/grpc.h>
#include <grpc/support/alloc.h>
#include <grpcpp/create_channel.h>

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

// A client that should be refused keeps trying until `connect_timeout`, so
// the refusals wait 1.5 s; one that should get in has the default (10 s),
// as a TLS handshake under the sanitizers on a busy machine can take over a
// second.
tikv::ClientOptions options_for(const mock::MockCluster& cluster, rpc::TlsFiles tls,
                                std::chrono::nanoseconds connect_timeout = std::chrono::milliseconds(1500)) {
  auto options = client_options_for(cluster);
  options.tls = std::move(tls);
  options.connect_timeout = connect_timeout;
  return options;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_client_with_the_ca_and_a_certificate_works_over_tls) {
  mock::MockCluster cluster(tls_cluster());
  const auto default_timeout = tikv::ClientOptions{}.connect_timeout;
  auto client = tikv::ClusterClient::connect(
      options_for(cluster, {data("ca.pem"), data("client.pem"), data("client.key")}, default_timeout));
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

// Channelz would keep trace events per channel, replaced at every reconnect
// and kept among a store restart's short-lived objects; the factory turns
// it off.
BOOST_AUTO_TEST_CASE(the_factory_s_channels_stay_out_of_channelz) {
  const std::string ours = "127.0.0.1:9";
  const std::string with_grpc_defaults = "127.0.0.2:9";
  auto channel = rpc::ChannelFactory().make(ours, 1);
  auto control = grpc::CreateChannel(with_grpc_defaults, grpc::InsecureChannelCredentials());
  char* json = grpc_channelz_get_top_channels(0);
  const std::string top_channels(json);
  gpr_free(json);
  BOOST_TEST(top_channels.find(with_grpc_defaults) != std::string::npos, top_channels);
  BOOST_TEST(top_channels.find(ours) == std::string::npos, top_channels);
}

BOOST_AUTO_TEST_SUITE_END()  // tls_test
