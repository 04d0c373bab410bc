// The mock PD over real gRPC: members, cluster info, cluster-id checks,
// regions (unary, QueryRegion and BatchScanRegions), stores, timestamps and
// keyspaces.
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "keyspacepb.grpc.pb.h"
#include "mock/tso_allocator.h"
#include "util/memcomparable.h"
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

BOOST_AUTO_TEST_CASE(get_cluster_info_reports_pd_mode_without_a_cluster_id) {
  pdpb::GetClusterInfoRequest request;  // no header: clients ask before they know the id
  auto [status, response] = call<pdpb::GetClusterInfoResponse>(
      [&](auto* ctx, auto* resp, auto done) { client.pd().async()->GetClusterInfo(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(response.header().cluster_id() == cluster.cluster_id());
  BOOST_REQUIRE_EQUAL(response.servicemodes_size(), 1);
  BOOST_TEST(response.servicemodes(0) == pdpb::PD_SVC_MODE);
  BOOST_TEST(response.tso_urls_size() == 0);
}

BOOST_AUTO_TEST_CASE(batch_scan_regions_lists_each_region_once_within_the_limit) {
  for (const char* key : {"b", "d", "f", "h"}) BOOST_REQUIRE(cluster.split_at(key).empty());
  pdpb::BatchScanRegionsRequest request;
  *request.mutable_header() = client.header();
  const auto add_range = [&](std::string start, std::string end) {
    auto* range = request.add_ranges();
    range->set_start_key(std::move(start));
    range->set_end_key(std::move(end));
  };
  add_range("a", "c");   // [,b) [b,d)
  add_range("c", "c5");  // [b,d) again: listed once
  add_range("g", "");    // [f,h) [h,+inf)
  const auto scan = [&] {
    return call<pdpb::BatchScanRegionsResponse>([&](auto* ctx, auto* resp, auto done) {
      client.pd().async()->BatchScanRegions(ctx, &request, resp, done);
    });
  };
  auto [status, response] = scan();
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(!response.header().has_error());
  std::vector<std::string> starts;
  for (const auto& region : response.regions()) {
    starts.push_back(region.region().start_key());
    BOOST_TEST(region.leader().store_id() != 0u);
  }
  BOOST_TEST(starts == (std::vector<std::string>{"", "b", "f", "h"}), boost::test_tools::per_element());

  request.set_limit(3);
  auto [limited_status, limited] = scan();
  BOOST_REQUIRE(limited_status.ok());
  BOOST_TEST(limited.regions_size() == 3);

  request.clear_ranges();
  add_range("a", "c");
  add_range("b", "d");  // starts before the previous range ends
  auto [bad_status, bad] = scan();
  BOOST_REQUIRE(bad_status.ok());
  BOOST_TEST(bad.header().error().type() == pdpb::UNKNOWN);
  BOOST_TEST(bad.header().error().message() == "invalid key range, ranges overlapped");
}

BOOST_AUTO_TEST_CASE(query_region_answers_keys_prev_keys_and_ids_in_one_message_per_request) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const uint64_t left = client.get_region("a").region().id();
  const uint64_t right = client.get_region("z").region().id();
  grpc::ClientContext ctx;
  auto stream = client.pd().QueryRegion(&ctx);
  pdpb::QueryRegionRequest request;
  *request.mutable_header() = client.header();
  for (const char* key : {"a", "z", "m"}) request.add_keys(key);
  for (const char* key : {"m", "a"}) request.add_prev_keys(key);
  request.add_ids(left);
  request.add_ids(999999);  // unknown: an empty entry
  BOOST_REQUIRE(stream->Write(request));
  pdpb::QueryRegionResponse response;
  BOOST_REQUIRE(stream->Read(&response));
  BOOST_TEST(response.header().cluster_id() == cluster.cluster_id());
  BOOST_TEST(std::vector<uint64_t>(response.key_id_map().begin(), response.key_id_map().end()) ==
                 (std::vector<uint64_t>{left, right, right}),
             boost::test_tools::per_element());
  // Before "m" lies the left region; before "a", inside the first region,
  // there is none (id 0).
  BOOST_TEST(std::vector<uint64_t>(response.prev_key_id_map().begin(), response.prev_key_id_map().end()) ==
                 (std::vector<uint64_t>{left, 0}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(response.regions_by_id().count(left));
  BOOST_TEST(response.regions_by_id().at(left).region().end_key() == "m");
  BOOST_TEST(response.regions_by_id().at(right).leader().store_id() != 0u);
  BOOST_REQUIRE(response.regions_by_id().count(999999));
  BOOST_TEST(!response.regions_by_id().at(999999).has_region());

  // A second request on the same stream is answered too; another cluster's
  // id ends the stream with FAILED_PRECONDITION.
  BOOST_REQUIRE(stream->Write(request));
  BOOST_REQUIRE(stream->Read(&response));
  request.mutable_header()->set_cluster_id(cluster.cluster_id() + 1);
  BOOST_REQUIRE(stream->Write(request));
  BOOST_TEST(!stream->Read(&response));
  const grpc::Status status = stream->Finish();
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  BOOST_TEST(status.error_message().find("mismatch cluster id") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tso_hands_out_increasing_timestamps_and_refuses_a_zero_count) {
  grpc::ClientContext ctx;
  auto stream = client.pd().Tso(&ctx);
  pdpb::TsoRequest request;
  *request.mutable_header() = client.header();
  int64_t last = 0;
  for (uint32_t count : {1u, 10u, 1000u, 1u}) {
    request.set_count(count);
    BOOST_REQUIRE(stream->Write(request));
    pdpb::TsoResponse response;
    BOOST_REQUIRE(stream->Read(&response));
    BOOST_TEST(response.count() == count);
    const int64_t ts = (response.timestamp().physical() << 18) + response.timestamp().logical();
    const int64_t first = ts - count + 1;  // as the client derives it
    BOOST_TEST(first > last);
    BOOST_TEST(response.timestamp().physical() > 1'600'000'000'000);  // wall-clock milliseconds
    last = ts;
  }
  request.set_count(0);
  BOOST_REQUIRE(stream->Write(request));
  pdpb::TsoResponse response;
  BOOST_TEST(!stream->Read(&response));
  const grpc::Status status = stream->Finish();
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::UNKNOWN));
  BOOST_TEST(status.error_message().find("tso count should be positive") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(tso_allocator_moves_to_the_next_millisecond_when_the_logical_part_runs_out) {
  mock::TsoAllocator tso;
  const auto first = tso.allocate(mock::TsoAllocator::kMaxLogical - 1);
  const auto second = tso.allocate(mock::TsoAllocator::kMaxLogical - 1);
  BOOST_TEST(second.physical > first.physical);
  BOOST_TEST(second.logical == mock::TsoAllocator::kMaxLogical - 1);
  const auto third = tso.allocate(1);
  BOOST_TEST((third.physical << 18) + third.logical > (second.physical << 18) + second.logical);
}

BOOST_AUTO_TEST_CASE(load_keyspace_answers_names_ids_and_states_as_pd_does) {
  auto options = small_cluster_options();
  options.api_version = kvrpcpb::V2;
  options.keyspaces = {{"bench", 7}, {"picked", std::nullopt}};
  mock::MockCluster cluster(options);
  auto channel = grpc::CreateChannel(cluster.pd_address(), grpc::InsecureChannelCredentials());
  auto keyspaces = keyspacepb::Keyspace::NewStub(channel);
  const auto load = [&](const std::string& name, uint64_t cluster_id) {
    keyspacepb::LoadKeyspaceRequest request;
    request.mutable_header()->set_cluster_id(cluster_id);
    request.set_name(name);
    return call<keyspacepb::LoadKeyspaceResponse>(
        [&](auto* ctx, auto* resp, auto done) { keyspaces->async()->LoadKeyspace(ctx, &request, resp, done); });
  };
  for (const auto& [name, id] : std::vector<std::pair<std::string, uint32_t>>{{"DEFAULT", 0}, {"bench", 7}, {"picked", 1}}) {
    auto [status, response] = load(name, cluster.cluster_id());
    BOOST_REQUIRE(status.ok());
    BOOST_TEST(response.keyspace().id() == id);
    BOOST_TEST(response.keyspace().name() == name);
    BOOST_TEST(response.keyspace().state() == keyspacepb::ENABLED);
  }
  BOOST_REQUIRE(cluster.keyspaces().set_state("bench", keyspacepb::ARCHIVED).empty());
  BOOST_TEST(load("bench", cluster.cluster_id()).second.keyspace().state() == keyspacepb::ARCHIVED);

  auto [missing_status, missing] = load("nope", cluster.cluster_id());
  BOOST_REQUIRE(missing_status.ok());
  BOOST_TEST(!missing.has_keyspace());
  BOOST_TEST(missing.header().error().type() == pdpb::ENTRY_NOT_FOUND);
  BOOST_TEST(missing.header().error().message() == "[PD:keyspace:ErrKeyspaceNotFound]keyspace does not exist");

  auto [mismatch, unused] = load("bench", 0);
  BOOST_TEST(static_cast<int>(mismatch.error_code()) == static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));

  // Each named keyspace's raw range has regions of its own, as PD splits it.
  std::set<std::string> starts;
  for (const auto& info : cluster.regions().all()) starts.insert(info.meta.start_key());
  for (const char id : {'\x01', '\x02', '\x07', '\x08'}) {
    BOOST_TEST(starts.count(encode_memcomparable(std::string{'r', '\0', '\0', id})) == 1u,
               "a region starts at keyspace " << int(id) << "'s raw prefix");
  }
}

BOOST_AUTO_TEST_CASE(keyspace_specs_parse_and_duplicates_are_refused) {
  BOOST_TEST(mock::parse_keyspace_spec("bench").name == "bench");
  BOOST_TEST(!mock::parse_keyspace_spec("bench").id.has_value());
  BOOST_TEST(*mock::parse_keyspace_spec("bench=7").id == 7u);
  BOOST_CHECK_THROW(mock::parse_keyspace_spec("=7"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::parse_keyspace_spec("bench=x"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::KeyspaceDirectory({{"a", 3}, {"a", 4}}), std::invalid_argument);
  BOOST_CHECK_THROW(mock::KeyspaceDirectory({{"a", 3}, {"b", 3}}), std::invalid_argument);
  BOOST_CHECK_THROW(mock::KeyspaceDirectory({{"DEFAULT", 3}}), std::invalid_argument);
  BOOST_CHECK_THROW(mock::KeyspaceDirectory({{"a", 0x1000000}}), std::invalid_argument);
}

namespace {

// A test client's stub for each PD member of `cluster`.
std::vector<std::unique_ptr<pdpb::PD::Stub>> member_stubs(const mock::MockCluster& cluster) {
  std::vector<std::unique_ptr<pdpb::PD::Stub>> stubs;
  for (const auto& address : cluster.pd_addresses()) {
    stubs.push_back(pdpb::PD::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())));
  }
  return stubs;
}

pdpb::GetMembersResponse members_of(pdpb::PD::Stub& stub) {
  pdpb::GetMembersRequest request;
  auto [status, response] = call<pdpb::GetMembersResponse>(
      [&](auto* ctx, auto* resp, auto done) { stub.async()->GetMembers(ctx, &request, resp, done); });
  BOOST_REQUIRE(status.ok());
  return response;
}

}  // namespace

BOOST_AUTO_TEST_CASE(pd_followers_name_the_leader_and_refuse_what_needs_it_as_pd_followers_do) {
  auto options = small_cluster_options();
  options.pd_members = 3;
  options.pd_election = std::chrono::hours(1);  // an election that lasts the test
  mock::MockCluster cluster(options);
  BOOST_REQUIRE_EQUAL(cluster.pd_addresses().size(), 3u);
  BOOST_TEST(cluster.pd_leader().value_or(0) == 1u);
  auto stubs = member_stubs(cluster);

  for (auto& stub : stubs) {
    const auto members = members_of(*stub);
    BOOST_TEST(members.header().cluster_id() == cluster.cluster_id());
    BOOST_TEST(members.members_size() == 3);
    BOOST_TEST(members.leader().client_urls(0) == "http://" + cluster.pd_addresses()[0]);
  }
  pdpb::GetRegionRequest get_region;
  get_region.mutable_header()->set_cluster_id(cluster.cluster_id());
  const auto region_from = [&](pdpb::PD::Stub& stub) {
    return call<pdpb::GetRegionResponse>(
        [&](auto* ctx, auto* resp, auto done) { stub.async()->GetRegion(ctx, &get_region, resp, done); });
  };
  BOOST_TEST(region_from(*stubs[0]).first.ok());
  const auto [follower_status, unused] = region_from(*stubs[1]);
  BOOST_TEST(static_cast<int>(follower_status.error_code()) == static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  BOOST_TEST(follower_status.error_message() == "not leader");

  // Followers answer QueryRegion from their region syncer, as PD's do.
  grpc::ClientContext ctx;
  auto stream = stubs[2]->QueryRegion(&ctx);
  pdpb::QueryRegionRequest query;
  query.mutable_header()->set_cluster_id(cluster.cluster_id());
  query.add_keys("k");
  BOOST_REQUIRE(stream->Write(query));
  pdpb::QueryRegionResponse answer;
  BOOST_REQUIRE(stream->Read(&answer));
  BOOST_TEST(answer.key_id_map_size() == 1);
  stream->WritesDone();
  BOOST_TEST(stream->Finish().ok());

  // A leader move is an election: no member leads, every one refuses.
  BOOST_REQUIRE(cluster.move_pd_leader(2).empty());
  BOOST_TEST(!cluster.pd_leader().has_value());
  for (auto& stub : stubs) {
    BOOST_TEST(!members_of(*stub).has_leader());
    BOOST_TEST(region_from(*stub).first.error_code() == grpc::StatusCode::UNAVAILABLE);
  }
  BOOST_TEST(cluster.move_pd_leader(9) == "PD member 9 not found");
}

BOOST_AUTO_TEST_CASE(a_stopped_pd_leader_is_replaced_by_a_running_member) {
  auto options = small_cluster_options();
  options.pd_members = 3;
  options.pd_election = std::chrono::milliseconds(10);
  mock::MockCluster cluster(options);
  auto stubs = member_stubs(cluster);
  BOOST_REQUIRE(cluster.stop_pd(1).empty());
  BOOST_TEST(!cluster.pd_running(1));
  BOOST_TEST(cluster.stop_pd(1) == "PD member 1 is already stopped");
  // Wait for the election's outcome as a client would see it.
  pdpb::GetMembersResponse members;
  for (members = members_of(*stubs[1]); !members.has_leader(); members = members_of(*stubs[1])) {
    std::this_thread::yield();
  }
  const auto leader = cluster.pd_leader();
  BOOST_REQUIRE(leader.has_value());
  BOOST_TEST(*leader != 1u);
  BOOST_TEST(members.leader().client_urls(0) == "http://" + cluster.pd_addresses()[*leader - 1]);
  BOOST_TEST(members.members_size() == 3);  // a stopped member stays a member
  BOOST_REQUIRE(cluster.start_pd(1).empty());
  BOOST_TEST(cluster.pd_leader().value_or(0) == *leader);  // a member coming back does not take over
}

BOOST_AUTO_TEST_SUITE_END()
