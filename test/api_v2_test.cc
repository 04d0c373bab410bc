// API v2: keyspace prefixes, memcomparable region keys, and the client and
// the mock cluster agreeing on both.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include "support/client_fixture.h"
#include "tikv/key_codec.h"
#include "util/memcomparable.h"

// A suite of the one test executable; meson runs it as "api_v2".
BOOST_AUTO_TEST_SUITE(api_v2_test)

using namespace tikvbench;
using namespace tikvbench::test;

BOOST_AUTO_TEST_CASE(memcomparable_encoding_matches_tidb_codec) {
  BOOST_TEST(encode_memcomparable("") == std::string("\0\0\0\0\0\0\0\0\xf7", 9));
  BOOST_TEST(encode_memcomparable("abc") == std::string("abc\0\0\0\0\0\xfa", 9));
  BOOST_TEST(encode_memcomparable("12345678") == std::string("12345678\xff\0\0\0\0\0\0\0\0\xf7", 18));
  for (const std::string& key : std::vector<std::string>{"", "a", "12345678", "123456789", std::string("\0\xff\0", 3)}) {
    BOOST_TEST(decode_memcomparable(encode_memcomparable(key)).value() == key);
  }
  BOOST_TEST(!decode_memcomparable("abc").has_value());
  BOOST_TEST(!decode_memcomparable(std::string("abc\0\0\0\0\x01\xfa", 9)).has_value());
}

BOOST_AUTO_TEST_CASE(memcomparable_encoding_keeps_the_order) {
  const std::vector<std::string> sorted = {"", std::string("\0", 1), "a", "a\x01", "ab", "abcdefgh",
                                           std::string("abcdefgh\0", 9), "abcdefghi", "b"};
  for (size_t i = 1; i < sorted.size(); ++i) {
    BOOST_TEST((encode_memcomparable(sorted[i - 1]) < encode_memcomparable(sorted[i])), i);
  }
}

BOOST_AUTO_TEST_CASE(the_codec_prefixes_keys_with_the_keyspace) {
  tikv::KeyCodec v2(kvrpcpb::V2, 0x010203);
  BOOST_TEST(v2.encode_key("k") == std::string("r\x01\x02\x03k", 5));
  BOOST_TEST(v2.decode_key(v2.encode_key("k")) == "k");
  BOOST_TEST(v2.encode_start("") == std::string("r\x01\x02\x03", 4));
  BOOST_TEST(v2.encode_end("") == std::string("r\x01\x02\x04", 4));
  BOOST_TEST(v2.decode_region_key(v2.encode_region_key("r\x01\x02\x03k")) == "r\x01\x02\x03k");
  BOOST_TEST(v2.encode_region_key("").empty());
  tikv::KeyCodec v1;
  BOOST_TEST(v1.encode_key("k") == "k");
  // A key handed over is encoded in its own buffer: the same answers.
  const std::string long_key(40, 'x');
  BOOST_TEST(v2.encode_owned_key(std::string(long_key)) == v2.encode_key(std::string_view(long_key)));
  BOOST_TEST(v1.encode_owned_key(std::string(long_key)) == long_key);
  BOOST_TEST(v1.encode_end("").empty());
  BOOST_TEST(v1.encode_region_key("k") == "k");
}

namespace {

mock::MockClusterOptions v2_cluster() {
  auto options = small_cluster_options();
  options.api_version = kvrpcpb::V2;
  return options;
}

std::unique_ptr<tikv::ClusterClient> v2_client(const mock::MockCluster& cluster, uint32_t keyspace) {
  auto options = client_options_for(cluster);
  options.api_version = kvrpcpb::V2;
  options.keyspace_id = keyspace;
  auto client = tikv::ClusterClient::connect(options);
  if (!client.ok()) throw std::runtime_error(client.status().to_string());
  return std::move(client).value();
}

std::string key(int i) { return fmt::format("key{:03}", i); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_v2_client_works_on_a_v2_cluster_across_regions) {
  mock::MockCluster cluster(v2_cluster());
  auto client = v2_client(cluster, 7);
  tikv::KeyCodec codec(kvrpcpb::V2, 7);
  for (int at : {10, 20}) BOOST_REQUIRE(cluster.split_at(codec.encode_key(key(at))).empty());

  std::vector<tikv::KvPair> pairs;
  for (int i = 0; i < 30; ++i) pairs.push_back({key(i), fmt::format("v{}", i)});
  BOOST_REQUIRE(client->run(client->raw().batch_put(pairs)).ok());
  BOOST_TEST(**client->run(client->raw().get(key(15))) == "v15");

  // Stored under the keyspace prefix, as memcomparable keys in the regions.
  auto stored = cluster.regions().by_key(encode_memcomparable(codec.encode_key(key(15))));
  {
    std::lock_guard lock(stored->mu);
    BOOST_TEST(stored->data.count(encode_memcomparable(codec.encode_key(key(15)))) == 1u);
  }

  auto all = client->run(client->raw().scan("", "", 100));
  BOOST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == 30u);
  BOOST_TEST(all->front().key == key(0));  // the prefix is stripped
  auto reverse = client->run(client->raw().scan("", "", 5, false, true));
  BOOST_TEST(reverse->front().key == key(29));
  BOOST_REQUIRE(client->run(client->raw().delete_range(key(5), key(25))).ok());
  BOOST_TEST(client->run(client->raw().scan("", "", 100))->size() == 10u);
  BOOST_TEST(client->stats().errors_by_code().empty());
}

BOOST_AUTO_TEST_CASE(keyspaces_do_not_see_each_other) {
  mock::MockCluster cluster(v2_cluster());
  auto one = v2_client(cluster, 1);
  auto two = v2_client(cluster, 2);
  BOOST_REQUIRE(one->run(one->raw().put("k", "one")).ok());
  BOOST_REQUIRE(two->run(two->raw().put("k", "two")).ok());
  BOOST_TEST(**one->run(one->raw().get("k")) == "one");
  BOOST_TEST(**two->run(two->raw().get("k")) == "two");
  BOOST_TEST(one->run(one->raw().scan("", "", 10))->size() == 1u);
  BOOST_REQUIRE(one->run(one->raw().delete_range("", "")).ok());
  BOOST_TEST(**two->run(two->raw().get("k")) == "two");
}

BOOST_AUTO_TEST_CASE(a_split_behind_a_v2_client_is_followed) {
  mock::MockCluster cluster(v2_cluster());
  auto client = v2_client(cluster, 0);
  tikv::KeyCodec codec(kvrpcpb::V2, 0);
  BOOST_REQUIRE(client->run(client->raw().put(key(1), "a")).ok());
  BOOST_REQUIRE(cluster.split_at(codec.encode_key(key(50))).empty());
  BOOST_REQUIRE(client->run(client->raw().put(key(70), "b")).ok());
  BOOST_TEST(client->stats().retries(tikv::RetryReason::kEpochNotMatch) >= 1u);
  BOOST_TEST(**client->run(client->raw().get(key(70))) == "b");
}

BOOST_AUTO_TEST_CASE(a_v1_client_is_refused_by_a_v2_cluster) {
  mock::MockCluster cluster(v2_cluster());
  auto client = tikv::ClusterClient::connect(client_options_for(cluster));
  BOOST_REQUIRE(client.ok());
  auto status = (*client)->run((*client)->raw().put("rk", "v"));
  BOOST_TEST(static_cast<int>(status.code()) == static_cast<int>(StatusCode::kServerError));
  BOOST_TEST(status.message().find("ApiVersionNotMatched") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()  // api_v2_test
