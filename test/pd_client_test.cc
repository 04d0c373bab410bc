// The PD client against a PD of the test's own that can fail GetRegion on
// demand and counts the GetMembers calls it answers: how the client finds
// the leader again when many requests lose it at once.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>
#include <fmt/format.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "mock/mock_cluster.h"
#include "pd/grpc_pd_client.h"
#include "pdpb.grpc.pb.h"
#include "rpc/channel_factory.h"
#include "rpc/event_loops.h"

// A suite of the one test executable; meson runs it as "pd_client".
BOOST_AUTO_TEST_SUITE(pd_client_test)

using namespace tikvbench;

namespace {

constexpr uint64_t kClusterId = 42;

// One member, itself the leader; one region holding every key. GetRegion
// fails UNAVAILABLE while `failures_left` is above zero (each failure takes
// one).
class FlakyPd final : public pdpb::PD::CallbackService {
 public:
  FlakyPd() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~FlakyPd() override { server_->Shutdown(); }

  std::string address() const { return fmt::format("127.0.0.1:{}", port_); }
  std::atomic<int> failures_left{0};
  std::atomic<int> get_members_calls{0};

  grpc::ServerUnaryReactor* GetMembers(grpc::CallbackServerContext* ctx, const pdpb::GetMembersRequest*,
                                       pdpb::GetMembersResponse* response) override {
    get_members_calls.fetch_add(1);
    response->mutable_header()->set_cluster_id(kClusterId);
    auto* member = response->add_members();
    member->set_name("pd");
    member->set_member_id(1);
    member->add_client_urls("http://" + address());
    *response->mutable_leader() = *member;
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* ctx, const pdpb::GetRegionRequest*,
                                      pdpb::GetRegionResponse* response) override {
    auto* reactor = ctx->DefaultReactor();
    if (failures_left.fetch_sub(1) > 0) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "injected"));
      return reactor;
    }
    response->mutable_header()->set_cluster_id(kClusterId);
    auto* region = response->mutable_region();
    region->set_id(2);
    region->mutable_region_epoch()->set_version(1);
    region->mutable_region_epoch()->set_conf_ver(1);
    auto* peer = region->add_peers();
    peer->set_id(3);
    peer->set_store_id(1);
    *response->mutable_leader() = *peer;
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

struct Round {
  int ok = 0;
  int failed = 0;
};

// Starts `n` GetRegion requests at once, spread over the loops, and waits
// for them all.
Round get_regions(pd::GrpcPdClient& client, rpc::EventLoops& loops, int n) {
  std::vector<std::future<bool>> replies;
  for (int i = 0; i < n; ++i) {
    replies.push_back(asio::co_spawn(
        loops.executor(static_cast<size_t>(i) % loops.size()),
        [](pd::GrpcPdClient& client, int i) -> asio::awaitable<bool> {
          auto region = co_await client.get_region(fmt::format("key{}", i));
          co_return region.ok();
        }(client, i),
        asio::use_future));
  }
  Round round;
  for (auto& reply : replies) (reply.get() ? round.ok : round.failed) += 1;
  return round;
}

}  // namespace

BOOST_AUTO_TEST_CASE(requests_that_lose_the_leader_together_look_for_it_once) {
  FlakyPd pd;
  rpc::ChannelFactory channels;
  rpc::EventLoops loops(2);
  pd::PdClientOptions options;
  options.endpoints = {pd.address()};
  pd::GrpcPdClient client(options, channels);
  BOOST_REQUIRE(asio::co_spawn(loops.executor(0), client.connect(), asio::use_future).get().ok());
  BOOST_TEST(pd.get_members_calls.load() == 1);

  // Every request of a round fails: the client forgets the leader.
  constexpr int kRequests = 200;
  pd.failures_left = 1'000'000;
  const Round lost = get_regions(client, loops, kRequests);
  BOOST_TEST(lost.failed == kRequests);
  BOOST_TEST(client.leader_address().empty());
  pd.failures_left = 0;
  const int members_before = pd.get_members_calls.load();

  // The next round finds it again with one GetMembers, not one per request:
  // the requests that come while it is being looked for fail at once (their
  // callers back off and retry).
  const Round found = get_regions(client, loops, kRequests);
  BOOST_TEST(pd.get_members_calls.load() == members_before + 1);
  BOOST_TEST(found.ok >= 1);
  BOOST_TEST(found.ok + found.failed == kRequests);
  BOOST_TEST(client.leader_address() == pd.address());

  // With the leader known, everything goes through and nobody looks again.
  const Round settled = get_regions(client, loops, kRequests);
  BOOST_TEST(settled.ok == kRequests);
  BOOST_TEST(pd.get_members_calls.load() == members_before + 1);
}

BOOST_AUTO_TEST_CASE(a_pd_in_an_election_is_never_taken_for_the_leader) {
  mock::MockClusterOptions cluster_options;
  cluster_options.pd_members = 3;
  cluster_options.stores = 1;
  cluster_options.replicas = 1;
  cluster_options.pd_election = std::chrono::hours(1);  // lasts the test
  mock::MockCluster cluster(cluster_options);
  BOOST_REQUIRE(cluster.move_pd_leader(2).empty());

  rpc::ChannelFactory channels;
  rpc::EventLoops loops(1);
  pd::PdClientOptions options;
  options.endpoints = cluster.pd_addresses();
  options.connect_timeout = std::chrono::milliseconds(300);
  pd::GrpcPdClient client(options, channels);
  const Status connected = asio::co_spawn(loops.executor(0), client.connect(), asio::use_future).get();
  BOOST_TEST((connected.code() == StatusCode::kUnavailable));
  BOOST_TEST(connected.message().find("PD has no leader") != std::string::npos, connected.message());
  BOOST_TEST(client.leader_address().empty());
}

BOOST_AUTO_TEST_CASE(the_leader_is_found_through_a_follower_given_alone) {
  mock::MockClusterOptions cluster_options;
  cluster_options.pd_members = 3;
  cluster_options.stores = 1;
  cluster_options.replicas = 1;
  mock::MockCluster cluster(cluster_options);
  rpc::ChannelFactory channels;
  rpc::EventLoops loops(1);
  pd::PdClientOptions options;
  options.endpoints = {cluster.pd_addresses()[2]};  // a follower
  pd::GrpcPdClient client(options, channels);
  BOOST_REQUIRE(asio::co_spawn(loops.executor(0), client.connect(), asio::use_future).get().ok());
  BOOST_TEST(client.leader_address() == cluster.pd_addresses()[0]);
  const auto region = asio::co_spawn(loops.executor(0), client.get_region("k"), asio::use_future).get();
  BOOST_TEST(region.ok());
}

BOOST_AUTO_TEST_CASE(a_new_leader_found_is_an_event) {
  mock::MockClusterOptions cluster_options;
  cluster_options.pd_members = 3;
  cluster_options.stores = 1;
  cluster_options.replicas = 1;
  cluster_options.pd_election = std::chrono::milliseconds(50);
  mock::MockCluster cluster(cluster_options);
  rpc::ChannelFactory channels;
  rpc::EventLoops loops(1);
  EventLog events;
  pd::PdClientOptions options;
  options.endpoints = cluster.pd_addresses();
  options.events = &events;
  pd::GrpcPdClient client(options, channels);
  BOOST_REQUIRE(asio::co_spawn(loops.executor(0), client.connect(), asio::use_future).get().ok());
  BOOST_TEST(events.events().empty());  // the first leader found is no change
  BOOST_REQUIRE(cluster.move_pd_leader(2).empty());
  // The client learns of it when a request meets the old leader.
  while (!asio::co_spawn(loops.executor(0), client.get_region("k"), asio::use_future).get().ok()) {
    std::this_thread::yield();
  }
  const auto seen = events.events();
  BOOST_TEST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].kind == "pd_leader_change");
  BOOST_TEST(seen[0].detail == fmt::format("from {} to {}", cluster.pd_addresses()[0], cluster.pd_addresses()[1]));
}

BOOST_AUTO_TEST_SUITE_END()  // pd_client_test
