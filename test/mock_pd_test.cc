// The mock PD over real gRPC: members, cluster-id checks, regions, stores.
#include <boost/test/unit_test.hpp>

#include "support/cluster_fixture.h"

// A suite of the one test executable; meson runs it as "mock_pd".
BOOST_AUTO_TEST_SUITE(mock_pd_test)

using namespace tikvbench;
using namespace tikvbench::test;

BOOST_FIXTURE_TEST_SUITE(mock_pd, ClusterFixture)

BOOST_AUTO_TEST_CASE(get_members_names_itself_leader_without_a_cluster_id) {
  pdpb::GetMembersRequest request;  // no header at all: GetMembers is how clients learn the id
  auto [status, response] = call<pdpb::GetMembersResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetMembers(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(response.header().cluster_id() == cluster.cluster_id());
  BOOST_REQUIRE_EQUAL(response.members_size(), 1);
  BOOST_TEST(response.leader().member_id() == response.members(0).member_id());
  BOOST_REQUIRE_EQUAL(response.leader().client_urls_size(), 1);
  BOOST_TEST(response.leader().client_urls(0) == "http://" + cluster.pd_address());
}

BOOST_AUTO_TEST_CASE(a_request_with_another_cluster_id_fails_as_pd_fails_it) {
  pdpb::GetRegionRequest request;
  request.mutable_header()->set_cluster_id(cluster.cluster_id() + 1);
  auto [status, response] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetRegion(ctx, &request, resp, done); });
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  BOOST_TEST(status.error_message().find("mismatch cluster id") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_region_returns_the_region_and_its_leader) {
  const auto response = client.get_region("any key");
  BOOST_TEST(response.header().cluster_id() == cluster.cluster_id());
  BOOST_TEST(!response.header().has_error());
  BOOST_TEST(response.region().start_key().empty());
  BOOST_TEST(response.region().end_key().empty());
  BOOST_TEST(response.region().peers_size() == 3);
  BOOST_TEST(response.leader().store_id() != 0u);
  BOOST_TEST(response.region().region_epoch().version() >= 1u);
}

BOOST_AUTO_TEST_CASE(regions_after_a_split_are_found_by_key_by_id_and_by_prev) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto left = client.get_region("a");
  const auto right = client.get_region("z");
  BOOST_TEST(left.region().end_key() == "m");
  BOOST_TEST(right.region().start_key() == "m");
  BOOST_TEST(left.region().id() != right.region().id());
  BOOST_TEST(left.region().region_epoch().version() == right.region().region_epoch().version());

  pdpb::GetRegionByIDRequest by_id;
  *by_id.mutable_header() = client.header();
  by_id.set_region_id(left.region().id());
  auto [status, found] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetRegionByID(ctx, &by_id, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(found.region().end_key() == "m");

  pdpb::GetRegionRequest prev;
  *prev.mutable_header() = client.header();
  prev.set_region_key("q");
  auto [prev_status, before] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetPrevRegion(ctx, &prev, resp, done); });
  BOOST_REQUIRE(prev_status.ok());
  BOOST_TEST(before.region().id() == left.region().id());

  prev.set_region_key("b");  // in the first region: nothing before it
  auto [none_status, none] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetPrevRegion(ctx, &prev, resp, done); });
  BOOST_REQUIRE(none_status.ok());
  BOOST_TEST(!none.has_region());
  BOOST_TEST(!none.header().has_error());
}

BOOST_AUTO_TEST_CASE(get_region_by_an_unknown_id_is_empty_without_error) {
  pdpb::GetRegionByIDRequest request;
  *request.mutable_header() = client.header();
  request.set_region_id(999999);
  auto [status, response] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetRegionByID(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(!response.has_region());
  BOOST_TEST(!response.header().has_error());
}

BOOST_AUTO_TEST_CASE(scan_regions_honours_limit_and_end_key_and_fills_both_forms) {
  for (const char* key : {"b", "d", "f", "h"}) BOOST_REQUIRE(cluster.split_at(key).empty());
  pdpb::ScanRegionsRequest request;
  *request.mutable_header() = client.header();
  request.set_start_key("c");
  request.set_end_key("g");
  auto [status, response] = call<pdpb::ScanRegionsResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->ScanRegions(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  // [b,d) [d,f) [f,h) overlap [c,g).
  BOOST_REQUIRE_EQUAL(response.regions_size(), 3);
  BOOST_TEST(response.regions(0).region().start_key() == "b");
  BOOST_TEST(response.regions(2).region().start_key() == "f");
  BOOST_REQUIRE_EQUAL(response.region_metas_size(), 3);
  BOOST_REQUIRE_EQUAL(response.leaders_size(), 3);
  BOOST_TEST(response.region_metas(1).id() == response.regions(1).region().id());
  BOOST_TEST(response.leaders(1).store_id() == response.regions(1).leader().store_id());

  request.set_end_key("");
  request.set_limit(2);
  auto [limited_status, limited] = call<pdpb::ScanRegionsResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->ScanRegions(ctx, &request, resp, done); });
  BOOST_REQUIRE(limited_status.ok());
  BOOST_TEST(limited.regions_size() == 2);

  request.set_limit(0);  // no limit
  auto [all_status, all] = call<pdpb::ScanRegionsResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->ScanRegions(ctx, &request, resp, done); });
  BOOST_REQUIRE(all_status.ok());
  BOOST_TEST(all.regions_size() == 4);  // [b,d) [d,f) [f,h) [h,+inf)
}

BOOST_AUTO_TEST_CASE(stores_are_listed_with_their_addresses) {
  pdpb::GetAllStoresRequest request;
  *request.mutable_header() = client.header();
  auto [status, response] = call<pdpb::GetAllStoresResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetAllStores(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_REQUIRE_EQUAL(response.stores_size(), 3);
  for (const auto& store : response.stores()) {
    BOOST_TEST(store.address() == cluster.store_address(store.id()));
    BOOST_TEST(store.state() == metapb::Up);
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_store_is_an_unknown_error_in_the_header) {
  pdpb::GetStoreRequest request;
  *request.mutable_header() = client.header();
  request.set_store_id(42);
  auto [status, response] = call<pdpb::GetStoreResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetStore(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(response.header().error().type() == pdpb::UNKNOWN);
  BOOST_TEST(!response.has_store());
}

BOOST_AUTO_TEST_CASE(peers_on_a_stopped_store_are_reported_down) {
  const auto before = client.get_region("k");
  BOOST_TEST(before.down_peers_size() == 0);
  BOOST_REQUIRE(cluster.stop_store(3).empty());
  const auto after = client.get_region("k");
  BOOST_REQUIRE_EQUAL(after.down_peers_size(), 1);
  BOOST_TEST(after.down_peers(0).peer().store_id() == 3u);
  BOOST_REQUIRE(cluster.start_store(3).empty());
  BOOST_TEST(client.get_region("k").down_peers_size() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // mock_pd_test
