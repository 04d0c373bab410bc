#include "cli/raw_command.h"

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "util/key_escaping.h"

namespace tikvbench::cli {
namespace {

struct RawFlags {
  ClientFlags client;
  std::string key, value, start, end;
  uint32_t limit = 100;
  bool reverse = false;
  bool key_only = false;
};

// Connects, or prints the one-line error and returns the exit code.
std::unique_ptr<tikv::ClusterClient> connect(const RawFlags& flags, int& exit_code) {
  auto options = flags.client.options();
  options.warm_cache = false;  // one operation: load only what it needs
  auto client = tikv::ClusterClient::connect(std::move(options));
  if (!client.ok()) {
    fmt::print(stderr, "tikv-bench: {}\n", client.status().message());
    exit_code = connect_exit_code(client.status());
    return nullptr;
  }
  return std::move(client).value();
}

int report(const Status& status) {
  if (status.ok()) return kExitOk;
  fmt::print(stderr, "tikv-bench: {}\n", status.to_string());
  return kExitRuntime;
}

std::string printable(const std::string& bytes) { return escape_key(bytes); }

}  // namespace

void add_raw_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RawFlags>();
  auto* raw = app.add_subcommand("raw", "Run one raw key-value operation against a cluster");
  raw->require_subcommand(1);
  flags->client.add_to(*raw);
  raw->fallthrough();

  auto* get = raw->add_subcommand("get", "Print a key's value");
  get->add_option("KEY", flags->key)->required();
  get->callback([flags, &exit_code] {
    auto client = connect(*flags, exit_code);
    if (!client) return;
    auto value = client->run(client->raw().get(unescape_key(flags->key)));
    if (!value.ok()) exit_code = report(value.status());
    else if (!value->has_value()) {
      fmt::print(stderr, "(not found)\n");
      exit_code = kExitThresholdFailed;
    } else {
      fmt::print("{}\n", printable(**value));
    }
  });

  auto* put = raw->add_subcommand("put", "Set a key's value");
  put->add_option("KEY", flags->key)->required();
  put->add_option("VALUE", flags->value)->required();
  put->callback([flags, &exit_code] {
    auto client = connect(*flags, exit_code);
    if (!client) return;
    exit_code = report(client->run(client->raw().put(unescape_key(flags->key), unescape_key(flags->value))));
  });

  auto* del = raw->add_subcommand("delete", "Delete a key");
  del->add_option("KEY", flags->key)->required();
  del->callback([flags, &exit_code] {
    auto client = connect(*flags, exit_code);
    if (!client) return;
    exit_code = report(client->run(client->raw().del(unescape_key(flags->key))));
  });

  auto* scan = raw->add_subcommand("scan", "Print pairs in [START, END), or [END, START) descending with --reverse");
  scan->add_option("START", flags->start)->required();
  scan->add_option("END", flags->end, "Empty or absent: no bound");
  scan->add_option("--limit", flags->limit)->capture_default_str()->check(CLI::Range(1u, 10'000'000u));
  scan->add_flag("--reverse", flags->reverse);
  scan->add_flag("--key-only", flags->key_only);
  scan->callback([flags, &exit_code] {
    auto client = connect(*flags, exit_code);
    if (!client) return;
    auto pairs = client->run(client->raw().scan(unescape_key(flags->start), unescape_key(flags->end),
                                                flags->limit, flags->key_only, flags->reverse));
    if (!pairs.ok()) {
      exit_code = report(pairs.status());
      return;
    }
    for (const auto& pair : *pairs) {
      if (flags->key_only) fmt::print("{}\n", printable(pair.key));
      else fmt::print("{}\t{}\n", printable(pair.key), printable(pair.value));
    }
  });

  auto* range = raw->add_subcommand("delete-range", "Delete every key in [START, END)");
  range->add_option("START", flags->start)->required();
  range->add_option("END", flags->end, "Empty or absent: to the end");
  range->callback([flags, &exit_code] {
    auto client = connect(*flags, exit_code);
    if (!client) return;
    exit_code = report(client->run(client->raw().delete_range(unescape_key(flags->start),
                                                              unescape_key(flags->end))));
  });
}

}  // namespace tikvbench::cli
