// The mock stores over real gRPC: raw RPCs, routing, every region error,
// scans, splits, leader moves, store restarts and injected faults.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include "support/cluster_fixture.h"

// A suite of the one test executable; meson runs it as "mock_store".
BOOST_AUTO_TEST_SUITE(mock_store_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

// Sends one unary request and requires the RPC itself to succeed.
template <class Response, class Request, class Start>
Response unary(const Request& request, Start&& start) {
  auto [status, response] = call<Response>([&](auto* ctx, auto* resp, auto done) { start(ctx, &request, resp, done); });
  BOOST_REQUIRE_MESSAGE(status.ok(), "RPC failed: " << status.error_message());
  return response;
}

kvrpcpb::RawGetResponse raw_get(tikvpb::Tikv::Stub& stub, const kvrpcpb::Context& ctx, const std::string& key) {
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = ctx;
  request.set_key(key);
  return unary<kvrpcpb::RawGetResponse>(request, [&](auto... args) { stub.async()->RawGet(args...); });
}

kvrpcpb::RawPutResponse raw_put(tikvpb::Tikv::Stub& stub, const kvrpcpb::Context& ctx, const std::string& key,
                                const std::string& value) {
  kvrpcpb::RawPutRequest request;
  *request.mutable_context() = ctx;
  request.set_key(key);
  request.set_value(value);
  return unary<kvrpcpb::RawPutResponse>(request, [&](auto... args) { stub.async()->RawPut(args...); });
}

kvrpcpb::RawScanResponse raw_scan(tikvpb::Tikv::Stub& stub, const kvrpcpb::Context& ctx, const std::string& start,
                                  const std::string& end, uint32_t limit, bool reverse = false,
                                  bool key_only = false) {
  kvrpcpb::RawScanRequest request;
  *request.mutable_context() = ctx;
  request.set_start_key(start);
  request.set_end_key(end);
  request.set_limit(limit);
  request.set_reverse(reverse);
  request.set_key_only(key_only);
  return unary<kvrpcpb::RawScanResponse>(request, [&](auto... args) { stub.async()->RawScan(args...); });
}

std::vector<std::string> keys_of(const kvrpcpb::RawScanResponse& response) {
  std::vector<std::string> keys;
  for (const auto& pair : response.kvs()) keys.push_back(pair.key());
  return keys;
}

uint64_t follower_of(const pdpb::GetRegionResponse& region) {
  for (const auto& peer : region.region().peers()) {
    if (peer.store_id() != region.leader().store_id()) return peer.store_id();
  }
  return 0;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mock_store, ClusterFixture)

BOOST_AUTO_TEST_CASE(put_then_get_reads_back_and_a_missing_key_is_not_found) {
  BOOST_TEST(!client.put("k1", "v1").has_region_error());
  const auto found = client.get("k1");
  BOOST_TEST(!found.has_region_error());
  BOOST_TEST(found.value() == "v1");
  BOOST_TEST(!found.not_found());
  const auto missing = client.get("k2");
  BOOST_TEST(missing.not_found());
  BOOST_TEST(missing.value().empty());
}

BOOST_AUTO_TEST_CASE(requests_route_by_key_to_the_region_that_owns_it) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  BOOST_REQUIRE(cluster.transfer_leader(client.get_region("z").region().id(), 2).empty());
  BOOST_TEST(client.leader_store_for("a") == 1u);
  BOOST_TEST(client.leader_store_for("z") == 2u);
  BOOST_TEST(!client.put("a", "left").has_region_error());
  BOOST_TEST(!client.put("z", "right").has_region_error());
  BOOST_TEST(client.get("a").value() == "left");
  BOOST_TEST(client.get("z").value() == "right");
}

BOOST_AUTO_TEST_CASE(a_follower_answers_not_leader_with_the_leader) {
  const auto region = client.get_region("k");
  auto ctx = client.context_for("k");
  const uint64_t follower = follower_of(region);
  for (const auto& peer : region.region().peers()) {
    if (peer.store_id() == follower) *ctx.mutable_peer() = peer;
  }
  const auto response = raw_get(client.store(follower), ctx, "k");
  BOOST_REQUIRE(response.region_error().has_not_leader());
  BOOST_TEST(response.region_error().not_leader().region_id() == region.region().id());
  BOOST_TEST(response.region_error().not_leader().leader().store_id() == region.leader().store_id());
  BOOST_TEST(response.region_error().not_leader().leader().id() == region.leader().id());
}

BOOST_AUTO_TEST_CASE(a_stale_epoch_gets_epoch_not_match_with_the_current_regions) {
  const auto ctx = client.context_for("a");  // taken before the split
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto response = raw_put(client.store(ctx.peer().store_id()), ctx, "z", "v");
  BOOST_REQUIRE(response.region_error().has_epoch_not_match());
  const auto& current = response.region_error().epoch_not_match().current_regions();
  BOOST_REQUIRE_GE(current.size(), 2);
  // Together they cover the stale range, each at the new version.
  bool saw_left = false, saw_right = false;
  for (const auto& region : current) {
    BOOST_TEST(region.region_epoch().version() > ctx.region_epoch().version());
    saw_left |= region.start_key().empty() && region.end_key() == "m";
    saw_right |= region.start_key() == "m" && region.end_key().empty();
  }
  BOOST_TEST(saw_left);
  BOOST_TEST(saw_right);
  // Nothing was written.
  BOOST_TEST(client.get("z").not_found());
}

BOOST_AUTO_TEST_CASE(an_unknown_region_id_is_region_not_found) {
  auto ctx = client.context_for("k");
  ctx.set_region_id(987654);
  const auto response = raw_get(client.store(ctx.peer().store_id()), ctx, "k");
  BOOST_REQUIRE(response.region_error().has_region_not_found());
  BOOST_TEST(response.region_error().region_not_found().region_id() == 987654u);
}

BOOST_AUTO_TEST_CASE(a_store_without_a_peer_of_the_region_answers_region_not_found) {
  // Four stores, three replicas: store 4 holds no peer of the first region.
  ClusterFixture wide([] {
    auto options = small_cluster_options();
    options.stores = 4;
    return options;
  }());
  auto ctx = wide.client.context_for("k");
  ctx.clear_peer();
  const auto response = raw_get(wide.client.store(4), ctx, "k");
  BOOST_TEST(response.region_error().has_region_not_found());
}

BOOST_AUTO_TEST_CASE(a_key_outside_the_region_is_key_not_in_region) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto ctx = client.context_for("a");
  const auto response = raw_put(client.store(ctx.peer().store_id()), ctx, "z", "v");
  BOOST_REQUIRE(response.region_error().has_key_not_in_region());
  const auto& error = response.region_error().key_not_in_region();
  BOOST_TEST(error.key() == "z");
  BOOST_TEST(error.region_id() == ctx.region_id());
  BOOST_TEST(error.start_key().empty());
  BOOST_TEST(error.end_key() == "m");
}

BOOST_AUTO_TEST_CASE(a_peer_naming_another_store_is_store_not_match) {
  const auto ctx = client.context_for("k");
  const uint64_t other = ctx.peer().store_id() == 1 ? 2 : 1;
  const auto response = raw_get(client.store(other), ctx, "k");
  BOOST_REQUIRE(response.region_error().has_store_not_match());
  BOOST_TEST(response.region_error().store_not_match().request_store_id() == ctx.peer().store_id());
  BOOST_TEST(response.region_error().store_not_match().actual_store_id() == other);
}

BOOST_AUTO_TEST_CASE(a_context_with_another_cluster_id_fails_the_rpc) {
  auto ctx = client.context_for("k");
  ctx.set_cluster_id(cluster.cluster_id() + 7);
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = ctx;
  request.set_key("k");
  auto& stub = client.store(ctx.peer().store_id());
  auto [status, response] = call<kvrpcpb::RawGetResponse>(
      [&](auto* c, auto* r, auto d) { stub.async()->RawGet(c, &request, r, d); });
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  // Zero means "not set" and is accepted.
  ctx.set_cluster_id(0);
  BOOST_TEST(!raw_get(stub, ctx, "k").has_region_error());
}

BOOST_AUTO_TEST_CASE(api_version_v2_is_refused_by_a_v1_store) {
  auto ctx = client.context_for("k");
  ctx.set_api_version(kvrpcpb::V2);
  const auto response = raw_get(client.store(ctx.peer().store_id()), ctx, "k");
  BOOST_TEST(response.error().find("ApiVersionNotMatched") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(batch_put_batch_get_and_batch_delete_work_within_a_region) {
  const auto ctx = client.context_for("a");
  auto& stub = client.store(ctx.peer().store_id());
  kvrpcpb::RawBatchPutRequest put;
  *put.mutable_context() = ctx;
  for (const char* key : {"a", "b", "c"}) {
    auto* pair = put.add_pairs();
    pair->set_key(key);
    pair->set_value(std::string("v") + key);
  }
  BOOST_TEST(!unary<kvrpcpb::RawBatchPutResponse>(put, [&](auto... a) { stub.async()->RawBatchPut(a...); })
                  .has_region_error());

  kvrpcpb::RawBatchGetRequest get;
  *get.mutable_context() = ctx;
  for (const char* key : {"c", "x", "a"}) get.add_keys(key);
  auto got = unary<kvrpcpb::RawBatchGetResponse>(get, [&](auto... a) { stub.async()->RawBatchGet(a...); });
  // Missing keys are left out; the rest keep the request's order.
  BOOST_REQUIRE_EQUAL(got.pairs_size(), 2);
  BOOST_TEST(got.pairs(0).key() == "c");
  BOOST_TEST(got.pairs(0).value() == "vc");
  BOOST_TEST(got.pairs(1).key() == "a");

  kvrpcpb::RawBatchDeleteRequest del;
  *del.mutable_context() = ctx;
  del.add_keys("a");
  del.add_keys("c");
  BOOST_TEST(!unary<kvrpcpb::RawBatchDeleteResponse>(del, [&](auto... a) { stub.async()->RawBatchDelete(a...); })
                  .has_region_error());
  got = unary<kvrpcpb::RawBatchGetResponse>(get, [&](auto... a) { stub.async()->RawBatchGet(a...); });
  BOOST_TEST(got.pairs_size() == 0);
  BOOST_TEST(client.get("b").value() == "vb");

  kvrpcpb::RawDeleteRequest single;
  *single.mutable_context() = ctx;
  single.set_key("b");
  BOOST_TEST(!unary<kvrpcpb::RawDeleteResponse>(single, [&](auto... a) { stub.async()->RawDelete(a...); })
                  .has_region_error());
  BOOST_TEST(client.get("b").not_found());
}

BOOST_AUTO_TEST_CASE(a_batch_with_one_key_outside_the_region_writes_nothing) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto ctx = client.context_for("a");
  auto& stub = client.store(ctx.peer().store_id());
  kvrpcpb::RawBatchPutRequest put;
  *put.mutable_context() = ctx;
  for (const char* key : {"a", "z"}) {
    auto* pair = put.add_pairs();
    pair->set_key(key);
    pair->set_value("v");
  }
  const auto response = unary<kvrpcpb::RawBatchPutResponse>(put, [&](auto... a) { stub.async()->RawBatchPut(a...); });
  BOOST_REQUIRE(response.region_error().has_key_not_in_region());
  BOOST_TEST(response.region_error().key_not_in_region().key() == "z");
  BOOST_TEST(client.get("a").not_found());
}

BOOST_AUTO_TEST_CASE(scan_honours_limit_end_key_key_only_and_reverse_and_stays_in_its_region) {
  for (char c = 'a'; c <= 'z'; ++c) BOOST_REQUIRE(!client.put(std::string(1, c), fmt::format("v{}", c)).has_region_error());
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto left = client.context_for("a");
  auto& stub = client.store(left.peer().store_id());

  auto forward = raw_scan(stub, left, "c", "", 100);
  BOOST_REQUIRE(!forward.has_region_error());
  // Stops at the region's end, "m", without an error.
  BOOST_TEST(keys_of(forward) == std::vector<std::string>({"c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}),
             boost::test_tools::per_element());
  BOOST_TEST(forward.kvs(0).value() == "vc");

  auto limited = raw_scan(stub, left, "c", "f", 2);
  BOOST_TEST(keys_of(limited) == std::vector<std::string>({"c", "d"}), boost::test_tools::per_element());
  auto bounded = raw_scan(stub, left, "c", "f", 10, false, /*key_only=*/true);
  BOOST_TEST(keys_of(bounded) == std::vector<std::string>({"c", "d", "e"}), boost::test_tools::per_element());
  BOOST_TEST(bounded.kvs(0).value().empty());

  // Reverse: start is the exclusive upper bound, end the inclusive lower one.
  auto reverse = raw_scan(stub, left, "f", "c", 10, /*reverse=*/true);
  BOOST_TEST(keys_of(reverse) == std::vector<std::string>({"e", "d", "c"}), boost::test_tools::per_element());
  // A reverse scan may start at the region's end key.
  auto from_end = raw_scan(stub, left, "m", "", 2, true);
  BOOST_REQUIRE(!from_end.has_region_error());
  BOOST_TEST(keys_of(from_end) == std::vector<std::string>({"l", "k"}), boost::test_tools::per_element());

  BOOST_TEST(raw_scan(stub, left, "c", "", 0).kvs_size() == 0);
  // A start key past the region is refused.
  BOOST_TEST(raw_scan(stub, left, "p", "", 10).region_error().has_key_not_in_region());
}

BOOST_AUTO_TEST_CASE(delete_range_clears_a_range_inside_the_region_only) {
  for (char c = 'a'; c <= 'h'; ++c) BOOST_REQUIRE(!client.put(std::string(1, c), "v").has_region_error());
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto ctx = client.context_for("a");
  auto& stub = client.store(ctx.peer().store_id());
  kvrpcpb::RawDeleteRangeRequest request;
  *request.mutable_context() = ctx;
  request.set_start_key("b");
  request.set_end_key("e");
  BOOST_TEST(!unary<kvrpcpb::RawDeleteRangeResponse>(request, [&](auto... a) { stub.async()->RawDeleteRange(a...); })
                  .has_region_error());
  BOOST_TEST(client.get("a").value() == "v");
  BOOST_TEST(client.get("b").not_found());
  BOOST_TEST(client.get("d").not_found());
  BOOST_TEST(client.get("e").value() == "v");

  request.set_end_key("z");  // past the region's end
  BOOST_TEST(unary<kvrpcpb::RawDeleteRangeResponse>(request, [&](auto... a) { stub.async()->RawDeleteRange(a...); })
                 .region_error()
                 .has_key_not_in_region());
  request.set_start_key("f");
  request.set_end_key("c");
  BOOST_TEST(!unary<kvrpcpb::RawDeleteRangeResponse>(request, [&](auto... a) { stub.async()->RawDeleteRange(a...); })
                  .error()
                  .empty());
}

BOOST_AUTO_TEST_CASE(a_split_keeps_data_on_both_sides) {
  for (int i = 0; i < 100; ++i) BOOST_REQUIRE(!client.put(fmt::format("key{:03}", i), fmt::format("{}", i)).has_region_error());
  const uint64_t region = client.get_region("key000").region().id();
  BOOST_REQUIRE(cluster.split(region).empty());  // at the median
  BOOST_TEST(client.get_region("key000").region().id() != client.get_region("key099").region().id());
  for (int i = 0; i < 100; ++i) BOOST_TEST(client.get(fmt::format("key{:03}", i)).value() == fmt::format("{}", i));
}

BOOST_AUTO_TEST_CASE(regions_split_on_their_own_past_the_key_threshold) {
  auto options = small_cluster_options();
  options.split_keys = 50;
  ClusterFixture splitting(options);
  for (int i = 0; i < 400; ++i) {
    // The stale context is refreshed from PD each time, as a client would after an error.
    const auto response = splitting.client.put(fmt::format("key{:04}", i), "v");
    BOOST_REQUIRE(!response.has_region_error() || response.region_error().has_epoch_not_match());
    if (response.has_region_error()) --i;
  }
  // Splits run in the background, queued before each reply: let them finish.
  splitting.cluster.wait_for_background_work();
  BOOST_TEST(splitting.cluster.regions().size() >= 4u);
  for (const auto& info : splitting.cluster.regions().all()) {
    std::lock_guard lock(splitting.cluster.regions().by_id(info.meta.id())->mu);
    BOOST_TEST(splitting.cluster.regions().by_id(info.meta.id())->data.size() <= 50u + 1u);
  }
}

BOOST_AUTO_TEST_CASE(a_leader_transfer_redirects_the_old_leader_with_not_leader) {
  BOOST_TEST(!client.put("k", "v").has_region_error());
  const auto ctx = client.context_for("k");
  const uint64_t region = ctx.region_id();
  const uint64_t new_leader = ctx.peer().store_id() == 3 ? 1 : 3;
  BOOST_REQUIRE(cluster.transfer_leader(region, new_leader).empty());
  const auto redirected = raw_get(client.store(ctx.peer().store_id()), ctx, "k");
  BOOST_REQUIRE(redirected.region_error().has_not_leader());
  BOOST_TEST(redirected.region_error().not_leader().leader().store_id() == new_leader);
  BOOST_TEST(client.leader_store_for("k") == new_leader);
  BOOST_TEST(client.get("k").value() == "v");
}

BOOST_AUTO_TEST_CASE(a_stopped_store_refuses_connections_and_keeps_its_data_after_restart) {
  BOOST_TEST(!client.put("k", "v").has_region_error());
  const auto ctx = client.context_for("k");
  const uint64_t store = ctx.peer().store_id();
  BOOST_REQUIRE(cluster.stop_store(store).empty());

  // A fresh connection to the stopped store fails at the transport.
  auto channel = grpc::CreateChannel(cluster.store_address(store), grpc::InsecureChannelCredentials());
  auto stub = tikvpb::Tikv::NewStub(channel);
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = ctx;
  request.set_key("k");
  auto [status, ignored] = call<kvrpcpb::RawGetResponse>(
      [&](auto* c, auto* r, auto d) { stub->async()->RawGet(c, &request, r, d); });
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::UNAVAILABLE));

  // With an election timeout of zero, the region is led elsewhere as soon as
  // the control thread runs the election (a zero-delay timer, which may come
  // after work posted later).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (client.leader_store_for("k") == store && std::chrono::steady_clock::now() < deadline) {
    cluster.wait_for_background_work();
  }
  BOOST_TEST(client.leader_store_for("k") != store);
  BOOST_TEST(client.get("k").value() == "v");

  BOOST_REQUIRE(cluster.start_store(store).empty());
  BOOST_REQUIRE(cluster.transfer_leader(ctx.region_id(), store).empty());
  BOOST_TEST(client.leader_store_for("k") == store);
  BOOST_TEST(client.get("k").value() == "v");
}

BOOST_AUTO_TEST_CASE(injected_busy_replies_come_as_server_is_busy) {
  cluster.faults().set_busy_fraction(1.0);
  const auto busy = client.get("k");
  BOOST_REQUIRE(busy.region_error().has_server_is_busy());
  BOOST_TEST(!busy.region_error().server_is_busy().reason().empty());
  cluster.faults().set_busy_fraction(0.0);
  BOOST_TEST(!client.get("k").has_region_error());
}

BOOST_AUTO_TEST_CASE(injected_latency_holds_replies_back) {
  cluster.faults().set_latency(mock::parse_latency("150ms"));
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(!client.put("k", "v").has_region_error());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(elapsed >= std::chrono::milliseconds(150));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // mock_store_test
