#include "mock/admin_commands.h"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "mock/mock_cluster.h"
#include "util/duration.h"
#include "util/key_escaping.h"

namespace tikvbench::mock {
namespace {

constexpr std::string_view kHelp =
    "commands: regions | stores | split REGION_ID [KEY] | split-key KEY |\n"
    "          transfer-leader REGION_ID [STORE_ID] | stop-store ID | start-store ID |\n"
    "          busy FRACTION | latency SPEC [STORE_ID] | rate-cap OPS|off | drop-writes N |\n"
    "          lose-replies N | misaddress-replies N | garble-replies N | reset-streams |\n"
    "          truncate-streams | keyspaces | keyspace-state NAME STATE | unserved | chaos |\n"
    "          pd-members | pd-leader [MEMBER] | stop-pd MEMBER | start-pd MEMBER |\n"
    "          first-request | help\n";

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> result;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) result.push_back(line.substr(start, i - start));
  }
  return result;
}

uint64_t parse_id(std::string_view text, std::string_view what) {
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw std::invalid_argument(fmt::format("{} '{}' is not a number", what, text));
  }
  return value;
}

std::string reply(const std::string& error) { return error.empty() ? "ok\n" : "error: " + error + "\n"; }

}  // namespace

std::string AdminCommands::execute(std::string_view line) {
  const auto args = words(line);
  if (args.empty() || args[0].starts_with('#')) return {};
  const std::string_view verb = args[0];
  auto need = [&](size_t min, size_t max) {
    if (args.size() - 1 < min || args.size() - 1 > max) {
      throw std::invalid_argument(fmt::format("'{}' takes {} to {} arguments; try 'help'", verb, min, max));
    }
  };
  try {
    if (verb == "help") return std::string(kHelp) + "ok\n";
    if (verb == "regions") {
      need(0, 0);
      std::string out;
      for (const auto& info : cluster_.regions().all()) {
        std::string peers;
        for (const auto& peer : info.meta.peers()) peers += fmt::format("{}{}", peers.empty() ? "" : ",", peer.store_id());
        out += fmt::format("region {} [{}, {}) version {} conf_ver {} leader store {} peers on stores {}\n",
                           info.meta.id(), escape_key(info.meta.start_key()),
                           info.meta.end_key().empty() ? "+inf" : escape_key(info.meta.end_key()),
                           info.meta.region_epoch().version(), info.meta.region_epoch().conf_ver(),
                           info.leader.store_id(), peers);
      }
      return out + "ok\n";
    }
    if (verb == "first-request") {
      // For benchmarks: when a store first served a request since the last
      // ask, in steady-clock (CLOCK_MONOTONIC) nanoseconds.
      need(0, 0);
      const auto first = cluster_.take_first_request();
      if (!first) return "first-request none\n";
      return fmt::format("first-request {}\n", first->time_since_epoch() / std::chrono::nanoseconds(1));
    }
    if (verb == "stores") {
      need(0, 0);
      std::string out;
      for (uint64_t id : cluster_.store_ids()) {
        out += fmt::format("store {} {} {}\n", id, cluster_.store_address(id),
                           cluster_.store_running(id) ? "up" : "down");
      }
      return out + "ok\n";
    }
    if (verb == "pd-members") {
      need(0, 0);
      std::string out;
      const auto addresses = cluster_.pd_addresses();
      const auto leader = cluster_.pd_leader();
      for (size_t i = 1; i <= addresses.size(); ++i) {
        out += fmt::format("pd {} {} {}{}\n", i, addresses[i - 1], cluster_.pd_running(i) ? "up" : "down",
                           leader == i ? " leader" : "");
      }
      if (!leader) out += "pd election under way: no leader\n";
      return out + "ok\n";
    }
    if (verb == "pd-leader") {
      need(0, 1);
      std::optional<size_t> member;
      if (args.size() == 2) member = static_cast<size_t>(parse_id(args[1], "PD member"));
      return reply(cluster_.move_pd_leader(member));
    }
    if (verb == "stop-pd") {
      need(1, 1);
      return reply(cluster_.stop_pd(static_cast<size_t>(parse_id(args[1], "PD member"))));
    }
    if (verb == "start-pd") {
      need(1, 1);
      return reply(cluster_.start_pd(static_cast<size_t>(parse_id(args[1], "PD member"))));
    }
    if (verb == "chaos") {
      // What chaos has done so far.
      need(0, 0);
      const auto stats = cluster_.chaos_stats();
      return fmt::format("chaos splits {} leader-transfers {} store-restarts {} pd-leader-moves {}\nok\n",
                         stats.splits, stats.leader_transfers, stats.store_restarts, stats.pd_leader_moves);
    }
    if (verb == "unserved") {
      // Calls answered UNIMPLEMENTED so far: what clients asked for that
      // the mock does not serve.
      need(0, 0);
      std::string out;
      for (const auto& [method, count] : cluster_.pd_unserved().counts()) {
        out += fmt::format("unserved pd {} {}\n", method, count);
      }
      for (const auto& [method, count] : cluster_.store_unserved().counts()) {
        out += fmt::format("unserved store {} {}\n", method, count);
      }
      return out + "ok\n";
    }
    if (verb == "keyspaces") {
      need(0, 0);
      std::string out;
      for (const auto& meta : cluster_.keyspaces().all()) {
        out += fmt::format("keyspace {} id {} {}\n", meta.name(), meta.id(),
                           keyspacepb::KeyspaceState_Name(meta.state()));
      }
      return out + "ok\n";
    }
    if (verb == "keyspace-state") {
      need(2, 2);
      const auto state = parse_keyspace_state(std::string(args[2]));
      if (!state) {
        throw std::invalid_argument(
            fmt::format("keyspace state '{}': enabled, disabled, archived or tombstone", args[2]));
      }
      return reply(cluster_.keyspaces().set_state(std::string(args[1]), *state));
    }
    if (verb == "split") {
      need(1, 2);
      std::optional<std::string> key;
      if (args.size() == 3) key = unescape_key(args[2]);
      return reply(cluster_.split(parse_id(args[1], "region id"), key));
    }
    if (verb == "split-key") {
      need(1, 1);
      return reply(cluster_.split_at(unescape_key(args[1])));
    }
    if (verb == "transfer-leader") {
      need(1, 2);
      std::optional<uint64_t> store;
      if (args.size() == 3) store = parse_id(args[2], "store id");
      return reply(cluster_.transfer_leader(parse_id(args[1], "region id"), store));
    }
    if (verb == "stop-store") {
      need(1, 1);
      return reply(cluster_.stop_store(parse_id(args[1], "store id")));
    }
    if (verb == "start-store") {
      need(1, 1);
      return reply(cluster_.start_store(parse_id(args[1], "store id")));
    }
    if (verb == "busy") {
      need(1, 1);
      cluster_.faults().set_busy_fraction(parse_fraction(args[1]));
      return "ok\n";
    }
    if (verb == "rate-cap") {
      // The cluster's rate cap: a number of requests per second, or off.
      need(1, 1);
      double ops = 0;
      if (args[1] != "off") {
        auto [ptr, ec] = std::from_chars(args[1].data(), args[1].data() + args[1].size(), ops);
        if (ec != std::errc() || ptr != args[1].data() + args[1].size() || !(ops > 0)) {
          throw std::invalid_argument(fmt::format("rate cap '{}': a number of requests per second above 0, or off",
                                                  args[1]));
        }
      }
      cluster_.faults().rate_cap().set(ops);
      return "ok\n";
    }
    if (verb == "lose-replies") {
      need(1, 1);
      cluster_.faults().lose_replies(parse_id(args[1], "count"));
      return "ok\n";
    }
    if (verb == "misaddress-replies") {
      need(1, 1);
      cluster_.faults().misaddress_replies(parse_id(args[1], "count"));
      return "ok\n";
    }
    if (verb == "garble-replies") {
      need(1, 1);
      cluster_.faults().garble_replies(parse_id(args[1], "count"));
      return "ok\n";
    }
    if (verb == "reset-streams") {
      need(0, 0);
      cluster_.faults().reset_streams();
      return "ok\n";
    }
    if (verb == "truncate-streams") {
      need(0, 0);
      cluster_.faults().truncate_streams();
      return "ok\n";
    }
    if (verb == "drop-writes") {
      need(1, 1);
      cluster_.faults().drop_writes(parse_id(args[1], "count"));
      return "ok\n";
    }
    if (verb == "latency") {
      need(1, 2);
      const LatencySpec spec = parse_latency(args[1]);
      if (args.size() == 2) {
        cluster_.faults().set_latency(spec);
        return "ok\n";
      }
      const uint64_t store_id = parse_id(args[2], "store id");
      const auto stores = cluster_.store_ids();
      if (std::find(stores.begin(), stores.end(), store_id) == stores.end()) {
        return fmt::format("error: no store {}\n", store_id);
      }
      cluster_.faults().set_store_latency(store_id, spec);
      return "ok\n";
    }
    return fmt::format("error: unknown command '{}'; try 'help'\n", verb);
  } catch (const std::invalid_argument& e) {
    return fmt::format("error: {}\n", e.what());
  }
}

}  // namespace tikvbench::mock
