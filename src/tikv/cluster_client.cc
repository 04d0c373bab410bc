#include "tikv/cluster_client.h"

#include <thread>

#include <asio/use_future.hpp>
#include <fmt/format.h>

#include "tikv/batch_transport.h"
#include "tikv/unary_transport.h"

namespace tikvbench::tikv {
namespace {

size_t thread_count(size_t requested) {
  if (requested > 0) return requested;
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace

ClusterClient::ClusterClient(ClientOptions options)
    : options_(std::move(options)),
      loops_(thread_count(options_.threads)),
      channels_(options_.tls),
      pd_(pd::PdClientOptions{options_.pd, options_.connect_timeout, options_.pd_timeout, options_.cluster_id,
                              options_.events},
          channels_),
      codec_pd_(pd_, KeyCodec(options_.api_version, options_.keyspace_id)),
      cache_(codec_pd_),
      liveness_(channels_, loops_.executor(0), stats_) {
  stats_.set_event_log(options_.events);
  if (options_.transport == TransportKind::kBatch) {
    transport_ = std::make_unique<BatchTransport>(channels_, options_.transport_options, loops_);
  } else {
    transport_ = std::make_unique<UnaryTransport>(channels_, options_.transport_options);
  }
}

ClusterClient::~ClusterClient() {
  raw_.reset();
  sender_.reset();
  transport_.reset();
}

Result<std::unique_ptr<ClusterClient>> ClusterClient::connect(ClientOptions options) {
  std::unique_ptr<ClusterClient> client(new ClusterClient(std::move(options)));
  Status connected = client->run(client->pd_.connect());
  if (!connected.ok()) return connected;
  if (const auto& name = client->options_.keyspace_name; !name.empty()) {
    auto meta = client->run(client->pd_.load_keyspace(name));
    if (!meta.ok()) {
      if (meta.status().code() != StatusCode::kInvalidArgument) return meta.status();
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("--keyspace {}: PD has no such keyspace ({})", name, meta.status().message()));
    }
    if (meta->state() != keyspacepb::ENABLED) {
      return Status(StatusCode::kInvalidArgument, fmt::format("--keyspace {}: the keyspace is {} in PD", name,
                                                              keyspacepb::KeyspaceState_Name(meta->state())));
    }
    client->codec_pd_.set_codec(KeyCodec(client->options_.api_version, meta->id()));
  }
  SenderOptions sender_options;
  sender_options.cluster_id = client->pd_.cluster_id();
  sender_options.codec = client->codec_pd_.codec();
  client->sender_ =
      std::make_unique<RegionRequestSender>(client->cache_, *client->transport_, client->stats_, sender_options,
                                            &client->liveness_);
  client->raw_ = std::make_unique<RawClient>(*client->sender_, client->loops_, client->options_.raw);
  if (client->options_.warm_cache) {
    Status warmed = client->run(client->cache_.warm());
    if (!warmed.ok()) return warmed;
  }
  return client;
}

std::map<std::string, uint64_t> ClusterClient::stream_faults() const {
  std::map<std::string, uint64_t> counts;
  auto* batch = dynamic_cast<BatchTransport*>(transport_.get());
  if (batch == nullptr) return counts;
  const auto& faults = batch->faults();
  for (const auto& [name, counter] : {std::pair{"unmatched_reply", &faults.unmatched},
                                      std::pair{"undecodable_reply", &faults.undecodable},
                                      std::pair{"stream_truncated", &faults.truncated},
                                      std::pair{"stream_reset", &faults.reset}}) {
    if (const auto n = counter->load(std::memory_order_relaxed); n > 0) counts[name] = n;
  }
  return counts;
}

ClusterClient::BatchTotals ClusterClient::batch_totals() const {
  auto* batch = dynamic_cast<BatchTransport*>(transport_.get());
  if (batch == nullptr) return {};
  const auto sent = batch->totals();
  return {batch->streams_opened(), sent.messages, sent.requests};
}

double ClusterClient::mean_batch_size() const {
  if (auto* batch = dynamic_cast<BatchTransport*>(transport_.get())) return batch->mean_batch_size();
  return 0;
}

}  // namespace tikvbench::tikv
