#include "mock/mock_cluster.h"

#include <future>
#include <stdexcept>

#include <asio/post.hpp>
#include <fmt/format.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "mock/ycsb_split_keys.h"
#include "util/host_port.h"

namespace tikvbench::mock {
namespace {

uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

const MockClusterOptions& validated(const MockClusterOptions& options) {
  if (options.stores < 1) throw std::invalid_argument("--stores must be at least 1");
  if (options.stores > 64) throw std::invalid_argument("--stores must be at most 64");
  if (options.replicas < 1) throw std::invalid_argument("--replicas must be at least 1");
  keyspace_metas(options.keyspaces);  // throws on a bad keyspace before any thread starts
  if (options.pd_members < 1 || options.pd_members > 7) throw std::invalid_argument("--pd-members must be 1 to 7");
  if (!options.pd_ports.empty() && options.pd_ports.size() != static_cast<size_t>(options.pd_members)) {
    throw std::invalid_argument(fmt::format("--pd lists {} addresses for {} PD members", options.pd_ports.size(),
                                            options.pd_members));
  }
  if (!options.store_ports.empty() && options.store_ports.size() != static_cast<size_t>(options.stores)) {
    throw std::invalid_argument(fmt::format("--store-ports lists {} ports for {} stores",
                                            options.store_ports.size(), options.stores));
  }
  if (options.regions < 1) throw std::invalid_argument("--regions must be at least 1");
  if (options.regions > 1 && options.api_version != kvrpcpb::V1) {
    throw std::invalid_argument("--regions needs --api-version v1 (API v2 splits by keyspace)");
  }
  if (options.region_records != 0 && options.region_records < options.regions) {
    throw std::invalid_argument(fmt::format("--region-records {} is fewer than --regions {}",
                                            options.region_records, options.regions));
  }
  return options;
}

std::vector<uint64_t> store_id_range(int stores) {
  std::vector<uint64_t> ids;
  for (int i = 1; i <= stores; ++i) ids.push_back(static_cast<uint64_t>(i));
  return ids;
}

std::shared_ptr<grpc::ServerCredentials> make_credentials(const ServerTls& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      tls.ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                         : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.ca_pem;
  options.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
  return grpc::SslServerCredentials(options);
}

uint64_t derive_cluster_id(const MockClusterOptions& options) {
  if (options.cluster_id != 0) return options.cluster_id;
  uint64_t state = options.seed;
  // PD's ids are large numbers; keep ours in the same range, never zero.
  return (next_random(state) >> 2) | (1ULL << 62);
}

}  // namespace

MockCluster::MockCluster(MockClusterOptions options)
    : options_(validated(options)),
      cluster_id_(derive_cluster_id(options_)),
      credentials_(make_credentials(options_.tls)),
      delay_work_(delay_io_.get_executor()),
      control_work_(control_io_.get_executor()),
      delay_thread_([this] { delay_io_.run(); }),
      control_thread_([this] { control_io_.run(); }),
      table_(store_id_range(options_.stores), options_.replicas,
             /*first_free_id=*/static_cast<uint64_t>(options_.stores) + 2),
      faults_(options_.seed),
      handler_(table_, RawHandlerOptions{
                           .cluster_id = cluster_id_,
                           .api_version = options_.api_version,
                           .split_keys = options_.split_keys,
                           .request_split =
                               [this](uint64_t region_id) {
                                 asio::post(control_io_, [this, region_id] { table_.split(region_id, {}); });
                               },
                       }),
      keyspace_directory_(options_.keyspaces),
      pd_membership_(static_cast<size_t>(options_.pd_members), cluster_id_),
      rng_state_(options_.seed),
      elections_(std::make_unique<DelayQueue>(control_io_)) {
  faults_.set_latency(options_.latency);
  faults_.rate_cap().set(options_.rate_cap);
  faults_.set_busy_fraction(options_.chaos.busy);
  if (options_.api_version == kvrpcpb::V2) split_keyspace_ranges();
  if (options_.regions > 1) {
    const size_t records = options_.region_records != 0 ? options_.region_records : 10 * options_.regions;
    table_.presplit(ycsb_split_keys(options_.regions, records, options_.region_key_prefix));
  }
  try {
    // PD first, so its addresses are known; then the stores.
    const PdService::Dependencies shared{cluster_id_, pd_membership_, table_, stores_, tso_};
    for (int i = 0; i < options_.pd_members; ++i) {
      const auto index = static_cast<size_t>(i);
      const uint16_t port = !options_.pd_ports.empty() ? options_.pd_ports[index]
                            : options_.pd_port == 0    ? 0
                                                       : static_cast<uint16_t>(options_.pd_port + i);
      auto& member = *pd_members_.emplace_back(
          std::make_unique<PdMember>(index, options_.pd_members == 1 ? "PD" : fmt::format("PD member {}", i + 1),
                                     options_.host, port, shared, keyspace_directory_, pd_unserved_, credentials_));
      member.start();
      pd_membership_.set_client_url(index, (options_.tls.enabled() ? "https://" : "http://") + advertised(member.port()));
    }

    for (int i = 0; i < options_.stores; ++i) {
      const uint64_t id = static_cast<uint64_t>(i + 1);
      const uint16_t port = options_.store_ports.empty() ? 0 : options_.store_ports[static_cast<size_t>(i)];
      auto& server = *store_servers_.emplace_back(
          std::make_unique<StoreServer>(id, options_.host, port, handler_, faults_, delay_io_, credentials_,
                                        store_unserved_));
      server.start();
      metapb::Store meta;
      meta.set_id(id);
      meta.set_address(advertised(server.port()));
      meta.set_peer_address(advertised(server.port()));
      meta.set_state(metapb::Up);
      meta.set_version("8.5.0");  // A TiKV version clients accept; the mock claims no more.
      meta.set_start_timestamp(static_cast<int64_t>(std::time(nullptr)));
      stores_.put(meta);
    }
    chaos_ = std::make_unique<ChaosRunner>(*this, options_.chaos, control_io_);
  } catch (...) {
    // Unwind what started; members then destroy in order.
    for (auto& server : store_servers_) server->stop();
    for (auto& member : pd_members_) member->stop();
    elections_.reset();
    delay_work_.reset();
    control_work_.reset();
    delay_thread_.join();
    control_thread_.join();
    throw;
  }
}

MockCluster::~MockCluster() {
  chaos_.reset();
  for (auto& server : store_servers_) server->stop();
  for (auto& member : pd_members_) member->stop();
  elections_.reset();  // Runs pending elections now, on the control thread.
  delay_work_.reset();
  control_work_.reset();
  // The threads end once pending work (splits, elections) has run.
  delay_thread_.join();
  control_thread_.join();
}

void MockCluster::split_keyspace_ranges() {
  // A keyspace's raw keys start with 'r' and its 3-byte id; PD splits at the
  // start and end of that range when the keyspace is created.
  const auto prefix = [](uint32_t id) {
    return std::string{'r', static_cast<char>(id >> 16), static_cast<char>((id >> 8) & 0xFF),
                       static_cast<char>(id & 0xFF)};
  };
  for (const auto& meta : keyspace_directory_.all()) {
    if (meta.id() == 0) continue;  // DEFAULT: the cluster's first range
    for (const uint32_t id : {meta.id(), meta.id() + 1}) {
      const std::string key = handler_.storage_key(prefix(id));
      const RegionInfo holder = table_.info_for_key(key);
      if (holder.meta.start_key() != key) table_.split(holder.meta.id(), key);
    }
  }
}

std::string MockCluster::pd_address() const { return HostPort{options_.host, pd_members_[0]->port()}.to_string(); }

std::vector<std::string> MockCluster::pd_addresses() const {
  std::vector<std::string> out;
  for (const auto& member : pd_members_) out.push_back(HostPort{options_.host, member->port()}.to_string());
  return out;
}

PdMember* MockCluster::pd_member(size_t member) const {
  if (member == 0 || member > pd_members_.size()) return nullptr;
  return pd_members_[member - 1].get();
}

std::optional<size_t> MockCluster::pd_leader() const {
  const auto leader = pd_membership_.leader();
  if (!leader) return std::nullopt;
  return *leader + 1;
}

bool MockCluster::pd_running(size_t member) const {
  const auto* pd = pd_member(member);
  return pd && pd->running();
}

void MockCluster::start_pd_election(std::optional<size_t> preferred) {
  pd_membership_.set_leader(std::nullopt);
  elections_->schedule(options_.pd_election, [this, preferred] {
    if (pd_membership_.leader()) return;  // an earlier election won
    const auto running = pd_membership_.running_members();
    if (running.empty()) return;  // the next member to start holds one
    if (preferred && pd_membership_.running(*preferred)) {
      pd_membership_.set_leader(*preferred);
    } else {
      pd_membership_.set_leader(running[random_index(running.size())]);
    }
  });
}

std::string MockCluster::move_pd_leader(std::optional<size_t> member) {
  const auto leader = pd_membership_.leader();
  if (member) {
    auto* pd = pd_member(*member);
    if (!pd) return fmt::format("PD member {} not found", *member);
    if (!pd->running()) return fmt::format("PD member {} is stopped", *member);
    if (leader && *leader == *member - 1) return fmt::format("PD member {} already leads", *member);
    start_pd_election(*member - 1);
    return {};
  }
  std::vector<size_t> candidates;
  for (size_t index : pd_membership_.running_members()) {
    if (!leader || index != *leader) candidates.push_back(index);
  }
  if (candidates.empty()) return "no other running PD member to lead";
  start_pd_election(candidates[random_index(candidates.size())]);
  return {};
}

std::string MockCluster::stop_pd(size_t member) {
  auto* pd = pd_member(member);
  if (!pd) return fmt::format("PD member {} not found", member);
  if (!pd->running()) return fmt::format("PD member {} is already stopped", member);
  pd_membership_.set_running(member - 1, false);
  pd->stop();
  if (pd_membership_.is_leader(member - 1)) start_pd_election(std::nullopt);
  return {};
}

std::string MockCluster::start_pd(size_t member) {
  auto* pd = pd_member(member);
  if (!pd) return fmt::format("PD member {} not found", member);
  if (pd->running()) return fmt::format("PD member {} is already running", member);
  try {
    pd->start();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  pd_membership_.set_running(member - 1, true);
  if (!pd_membership_.leader()) start_pd_election(std::nullopt);
  return {};
}

std::string MockCluster::advertised(uint16_t port) const {
  return HostPort{options_.advertise_host.empty() ? options_.host : options_.advertise_host, port}.to_string();
}

StoreServer* MockCluster::server(uint64_t store_id) const {
  if (store_id == 0 || store_id > store_servers_.size()) return nullptr;
  return store_servers_[store_id - 1].get();
}

std::string MockCluster::store_address(uint64_t store_id) const { return server(store_id)->address(); }

uint64_t MockCluster::requests_served() const {
  uint64_t total = 0;
  for (const auto& server : store_servers_) total += server->requests_served();
  return total;
}

std::optional<std::chrono::steady_clock::time_point> MockCluster::take_first_request() {
  std::optional<std::chrono::steady_clock::time_point> first;
  for (const auto& server : store_servers_) {
    const auto at = server->take_first_served();
    if (at.time_since_epoch().count() != 0 && (!first || at < *first)) first = at;
  }
  return first;
}

void MockCluster::wait_for_background_work() {
  std::promise<void> done;
  auto ran = done.get_future();
  asio::post(control_io_, [&done] { done.set_value(); });
  ran.wait();
}

size_t MockCluster::random_index(size_t n) {
  std::lock_guard lock(rng_mu_);
  return static_cast<size_t>(next_random(rng_state_) % n);
}

std::string MockCluster::split(uint64_t region_id, std::optional<std::string> key) {
  return table_.split(region_id, std::move(key)).error;
}

std::string MockCluster::split_at(const std::string& raw_key) {
  const std::string key = handler_.storage_key(raw_key);
  const auto region = table_.by_key(key);
  uint64_t id = 0;
  {
    std::lock_guard lock(region->mu);
    id = region->meta.id();
  }
  return split(id, key);
}

std::string MockCluster::transfer_leader(uint64_t region_id, std::optional<uint64_t> store_id) {
  if (!store_id) {
    const auto info = table_.info_by_id(region_id);
    if (!info) return fmt::format("region {} not found", region_id);
    std::vector<uint64_t> candidates;
    for (const auto& peer : info->meta.peers()) {
      if (peer.store_id() != info->leader.store_id() && stores_.running(peer.store_id())) {
        candidates.push_back(peer.store_id());
      }
    }
    if (candidates.empty()) return fmt::format("region {} has no running follower", region_id);
    store_id = candidates[random_index(candidates.size())];
  }
  return table_.transfer_leader(region_id, *store_id);
}

std::string MockCluster::stop_store(uint64_t store_id) {
  auto* store = server(store_id);
  if (!store) return fmt::format("store {} not found", store_id);
  if (!store->running()) return fmt::format("store {} is already stopped", store_id);
  stores_.set_running(store_id, false);
  store->stop();
  elections_->schedule(options_.election_timeout, [this, store_id] {
    if (!stores_.running(store_id)) table_.move_leaders_off(store_id, stores_.down_ids());
  });
  return {};
}

std::string MockCluster::start_store(uint64_t store_id) {
  auto* store = server(store_id);
  if (!store) return fmt::format("store {} not found", store_id);
  if (store->running()) return fmt::format("store {} is already running", store_id);
  try {
    store->start();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  stores_.set_running(store_id, true);
  return {};
}

}  // namespace tikvbench::mock
