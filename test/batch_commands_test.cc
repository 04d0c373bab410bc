// BatchCommands on the mock stores: request ids, many requests per message,
// replies split over several messages, Empty, and stream-level failures.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include <fmt/format.h>

#include "support/cluster_fixture.h"

// A suite of the one test executable; meson runs it as "batch_commands".
BOOST_AUTO_TEST_SUITE(batch_commands_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

tikvpb::BatchCommandsRequest::Request put_request(const kvrpcpb::Context& ctx, const std::string& key,
                                                  const std::string& value) {
  tikvpb::BatchCommandsRequest::Request request;
  auto* put = request.mutable_rawput();
  *put->mutable_context() = ctx;
  put->set_key(key);
  put->set_value(value);
  return request;
}

tikvpb::BatchCommandsRequest::Request get_request(const kvrpcpb::Context& ctx, const std::string& key) {
  tikvpb::BatchCommandsRequest::Request request;
  auto* get = request.mutable_rawget();
  *get->mutable_context() = ctx;
  get->set_key(key);
  return request;
}

// Collects responses by request id until `count` have arrived; returns how
// many messages carried them.
size_t collect(BatchStream& stream, size_t count,
               std::map<uint64_t, tikvpb::BatchCommandsResponse::Response>& by_id) {
  size_t messages = 0;
  while (by_id.size() < count) {
    auto message = stream.next();
    BOOST_REQUIRE_MESSAGE(message, "stream ended or stalled with " << by_id.size() << " of " << count);
    BOOST_REQUIRE_EQUAL(message->responses_size(), message->request_ids_size());
    for (int i = 0; i < message->responses_size(); ++i) {
      BOOST_REQUIRE_MESSAGE(by_id.emplace(message->request_ids(i), message->responses(i)).second,
                            "request id " << message->request_ids(i) << " answered twice");
    }
    ++messages;
  }
  return messages;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(batch_commands, ClusterFixture)

BOOST_AUTO_TEST_CASE(every_request_id_is_answered_once_with_its_own_response) {
  const auto ctx = client.context_for("k");
  BatchStream stream(client.store(ctx.peer().store_id()));
  tikvpb::BatchCommandsRequest batch;
  for (int i = 0; i < 64; ++i) {
    *batch.add_requests() = put_request(ctx, fmt::format("key{:02}", i), fmt::format("value{}", i));
    batch.add_request_ids(1000 + static_cast<uint64_t>(i) * 3);  // ids need not be dense
  }
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> puts;
  collect(stream, 64, puts);
  for (const auto& [id, response] : puts) {
    BOOST_TEST((id >= 1000 && (id - 1000) % 3 == 0));
    BOOST_REQUIRE(response.has_rawput());
    BOOST_TEST(!response.rawput().has_region_error());
  }

  tikvpb::BatchCommandsRequest reads;
  for (int i = 0; i < 64; ++i) {
    *reads.add_requests() = get_request(ctx, fmt::format("key{:02}", i));
    reads.add_request_ids(static_cast<uint64_t>(i));
  }
  BOOST_REQUIRE(stream.send(reads));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> gets;
  collect(stream, 64, gets);
  for (const auto& [id, response] : gets) {
    BOOST_REQUIRE(response.has_rawget());
    BOOST_TEST(response.rawget().value() == fmt::format("value{}", id));
  }
  BOOST_TEST(stream.finish().ok());
}

BOOST_AUTO_TEST_CASE(many_messages_in_flight_are_all_answered) {
  const auto ctx = client.context_for("k");
  BatchStream stream(client.store(ctx.peer().store_id()));
  uint64_t next_id = 1;
  for (int message = 0; message < 50; ++message) {
    tikvpb::BatchCommandsRequest batch;
    for (int i = 0; i < 20; ++i) {
      *batch.add_requests() = put_request(ctx, fmt::format("m{}-{}", message, i), "v");
      batch.add_request_ids(next_id++);
    }
    BOOST_REQUIRE(stream.send(batch));
  }
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> by_id;
  collect(stream, 1000, by_id);
  BOOST_TEST(by_id.begin()->first == 1u);
  BOOST_TEST(by_id.rbegin()->first == 1000u);
  BOOST_TEST(stream.finish().ok());
}

BOOST_AUTO_TEST_CASE(delayed_replies_come_back_in_later_messages_under_their_ids) {
  const auto ctx = client.context_for("k");
  cluster.faults().set_latency(mock::parse_latency("uniform:1ms-40ms"));
  BatchStream stream(client.store(ctx.peer().store_id()));
  tikvpb::BatchCommandsRequest batch;
  for (int i = 0; i < 40; ++i) {
    *batch.add_requests() = put_request(ctx, fmt::format("d{}", i), "v");
    batch.add_request_ids(static_cast<uint64_t>(i));
  }
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> by_id;
  const size_t messages = collect(stream, 40, by_id);
  // Spread over 1-40 ms, forty replies cannot all share one message.
  BOOST_TEST(messages > 1u);
  BOOST_TEST(stream.finish().ok());
}

BOOST_AUTO_TEST_CASE(region_errors_come_back_per_request_inside_the_batch) {
  BOOST_REQUIRE(cluster.split_at("m").empty());
  const auto left = client.context_for("a");
  BatchStream stream(client.store(left.peer().store_id()));
  tikvpb::BatchCommandsRequest batch;
  *batch.add_requests() = put_request(left, "a", "ok");
  batch.add_request_ids(1);
  *batch.add_requests() = put_request(left, "z", "outside");
  batch.add_request_ids(2);
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> by_id;
  collect(stream, 2, by_id);
  BOOST_TEST(!by_id[1].rawput().has_region_error());
  BOOST_TEST(by_id[2].rawput().region_error().has_key_not_in_region());
  BOOST_TEST(stream.finish().ok());
}

BOOST_AUTO_TEST_CASE(every_raw_command_is_served_inside_a_batch) {
  const auto ctx = client.context_for("k");
  BatchStream stream(client.store(ctx.peer().store_id()));
  tikvpb::BatchCommandsRequest batch;
  auto add = [&](tikvpb::BatchCommandsRequest::Request request) {
    batch.add_request_ids(static_cast<uint64_t>(batch.requests_size()));
    *batch.add_requests() = std::move(request);
  };
  tikvpb::BatchCommandsRequest::Request r;
  auto* bput = r.mutable_rawbatchput();
  *bput->mutable_context() = ctx;
  for (const char* key : {"a", "b", "c", "d"}) {
    auto* pair = bput->add_pairs();
    pair->set_key(key);
    pair->set_value(key);
  }
  add(r);
  r.Clear();
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> first;
  collect(stream, 1, first);
  BOOST_REQUIRE(first[0].has_rawbatchput());

  batch.Clear();
  auto* bget = r.mutable_rawbatchget();
  *bget->mutable_context() = ctx;
  bget->add_keys("a");
  bget->add_keys("b");
  add(r);
  r.Clear();
  auto* scan = r.mutable_rawscan();
  *scan->mutable_context() = ctx;
  scan->set_start_key("a");
  scan->set_limit(10);
  add(r);
  r.Clear();
  auto* del = r.mutable_rawdelete();
  *del->mutable_context() = ctx;
  del->set_key("a");
  add(r);
  r.Clear();
  auto* bdel = r.mutable_rawbatchdelete();
  *bdel->mutable_context() = ctx;
  bdel->add_keys("b");
  add(r);
  r.Clear();
  auto* range = r.mutable_rawdeleterange();
  *range->mutable_context() = ctx;
  range->set_start_key("c");
  range->set_end_key("d");
  add(r);
  r.Clear();
  r.mutable_empty()->set_test_id(77);
  add(r);
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> by_id;
  collect(stream, 6, by_id);
  BOOST_TEST(by_id[0].rawbatchget().pairs_size() == 2);
  // The batch runs in order within one message: the scan sees all four keys.
  BOOST_TEST(by_id[1].rawscan().kvs_size() == 4);
  BOOST_TEST(by_id[2].has_rawdelete());
  BOOST_TEST(by_id[3].has_rawbatchdelete());
  BOOST_TEST(by_id[4].has_rawdeleterange());
  BOOST_TEST(by_id[5].empty().test_id() == 77u);
  BOOST_TEST(client.get("a").not_found());
  BOOST_TEST(client.get("b").not_found());
  BOOST_TEST(client.get("c").not_found());
  BOOST_TEST(client.get("d").value() == "d");
  BOOST_TEST(stream.finish().ok());
}

BOOST_AUTO_TEST_CASE(another_cluster_id_fails_the_whole_stream) {
  auto ctx = client.context_for("k");
  ctx.set_cluster_id(cluster.cluster_id() ^ 1);
  BatchStream stream(client.store(ctx.peer().store_id()));
  tikvpb::BatchCommandsRequest batch;
  *batch.add_requests() = get_request(ctx, "k");
  batch.add_request_ids(1);
  stream.send(batch);
  const auto status = stream.wait_done();
  BOOST_TEST(static_cast<int>(status.error_code()) == static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
}

BOOST_AUTO_TEST_CASE(stopping_the_store_ends_its_streams) {
  const auto ctx = client.context_for("k");
  const uint64_t store = ctx.peer().store_id();
  BatchStream stream(client.store(store));
  tikvpb::BatchCommandsRequest batch;
  *batch.add_requests() = get_request(ctx, "k");
  batch.add_request_ids(1);
  BOOST_REQUIRE(stream.send(batch));
  std::map<uint64_t, tikvpb::BatchCommandsResponse::Response> by_id;
  collect(stream, 1, by_id);
  BOOST_REQUIRE(cluster.stop_store(store).empty());
  BOOST_TEST(!stream.wait_done().ok());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // batch_commands_test
