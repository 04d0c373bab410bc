#include "cli/client_flags.h"

#include <stdexcept>

#include <fmt/format.h>

#include "pd/grpc_pd_client.h"
#include "util/duration.h"

namespace tikvbench::cli {
namespace {

std::chrono::nanoseconds positive_duration(const std::string& flag, const std::string& text) {
  std::chrono::nanoseconds value;
  try {
    value = parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", flag, e.what()));
  }
  if (value.count() <= 0) throw std::invalid_argument(fmt::format("{}: must be more than 0", flag));
  return value;
}

}  // namespace

void ClientFlags::add_to(CLI::App& command, bool pd_default) {
  auto* pd_option = command.add_option(
      "--pd", pd,
      pd_default ? "PD endpoints, comma-separated HOST:PORT"
                 : "PD endpoints, comma-separated HOST:PORT (also tikv.pd; without either: the embedded mock cluster)");
  if (pd_default) pd_option->capture_default_str();
  command.add_option("--loops", loops, "Event-loop threads (default: one per core)");
  command.add_option("--transport", transport, "batch (BatchCommands streams) or unary")
      ->capture_default_str()
      ->check(CLI::IsMember({"batch", "unary"}));
  command.add_option("--conns", conns, "gRPC connections per store")->capture_default_str()->check(CLI::Range(1, 64));
  command.add_option("--max-batch", max_batch, "Requests per BatchCommands message")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  command.add_option("--timeout", timeout, "Per-request timeout")->capture_default_str();
  command.add_option("--connect-timeout", connect_timeout, "How long to wait for PD at start")->capture_default_str();
  command.add_option("--cluster-id", cluster_id,
                     "Refuse to run unless PD belongs to this cluster (its id, as pd-ctl shows it)");
  command.add_option("--backoff-budget", backoff_budget, "Total backoff per operation before it fails")
      ->capture_default_str();
  command.add_option("--api-version", api_version, "TiKV API version: v1 or v2")
      ->capture_default_str()
      ->check(CLI::IsMember({"v1", "v2"}));
  command.add_option("--keyspace-id", keyspace_id, "Keyspace for API v2 by id (0: the default keyspace)")
      ->capture_default_str()
      ->check(CLI::Range(0u, (1u << 24) - 1))
      ->each([this](const std::string&) { keyspace_id_given = true; });
  command.add_option("--keyspace", keyspace,
                     "Keyspace for API v2 by name, looked up in PD (refused unless it is ENABLED)");
  command.add_option("--ca", ca, "CA certificate (PEM) for TLS to PD and TiKV");
  command.add_option("--cert", cert, "Client certificate (PEM) for TLS");
  command.add_option("--key", key, "Client private key (PEM) for TLS");
}

tikv::ClientOptions ClientFlags::options() const {
  tikv::ClientOptions options;
  try {
    options.pd = pd::parse_pd_endpoints(pd);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("--pd: {}", e.what()));
  }
  options.threads = loops;
  options.transport = transport == "unary" ? tikv::TransportKind::kUnary : tikv::TransportKind::kBatch;
  options.transport_options.conns = conns;
  options.transport_options.max_batch = max_batch;
  options.transport_options.timeout = positive_duration("--timeout", timeout);
  options.connect_timeout = positive_duration("--connect-timeout", connect_timeout);
  options.cluster_id = cluster_id;
  options.raw.backoff_budget =
      std::chrono::duration_cast<std::chrono::milliseconds>(positive_duration("--backoff-budget", backoff_budget));
  options.api_version = api_version == "v2" ? kvrpcpb::V2 : kvrpcpb::V1;
  options.keyspace_id = keyspace_id;
  if (!keyspace.empty()) {
    if (keyspace_id_given) throw std::invalid_argument("--keyspace and --keyspace-id: give one of them");
    if (options.api_version != kvrpcpb::V2) throw std::invalid_argument("--keyspace needs --api-version v2");
    options.keyspace_name = keyspace;
  }
  options.tls = rpc::TlsFiles{ca, cert, key};
  return options;
}

}  // namespace tikvbench::cli
