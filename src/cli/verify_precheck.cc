#include "cli/verify_precheck.h"

#include <future>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>
#include <fmt/format.h>

#include "workload/operation_source.h"
#include "workload/verified_value.h"

namespace tikvbench::cli {
namespace {

constexpr int64_t kSamples = 16;

struct Sampled {
  int found = 0, sealed = 0, failed = 0;
  std::string plain_key;  // a key found without a checksum
};

asio::awaitable<Sampled> sample(tikv::RawClient& raw, std::vector<std::string> keys) {
  Sampled out;
  for (auto& key : keys) {
    auto value = co_await raw.get(key);
    if (!value.ok()) {
      ++out.failed;
      continue;
    }
    if (!value->has_value()) continue;
    ++out.found;
    if (workload::open_value(key, **value).intact) ++out.sealed;
    else if (out.plain_key.empty()) out.plain_key = key;
  }
  co_return out;
}

}  // namespace

std::optional<std::string> check_loaded_for_verify(const workload::WorkloadSpec& spec, const workload::Shard& shard,
                                                   tikv::RawClient& raw, rpc::EventLoops& loops) {
  const workload::OperationSource source(spec, shard);
  const int64_t begin = source.load_begin();
  const int64_t records = source.load_end() - begin;
  if (records <= 0) return std::nullopt;
  std::vector<std::string> keys;
  const int64_t samples = std::min(records, kSamples);
  for (int64_t i = 0; i < samples; ++i) keys.push_back(source.row_key(begin + i * records / samples));
  auto future = asio::co_spawn(loops.executor(0), sample(raw, std::move(keys)), asio::use_future);
  const auto sampled = future.get();
  if (sampled.failed > 0 || sampled.sealed > 0) return std::nullopt;
  if (sampled.found == 0) {
    return fmt::format("--verify: none of {} records sampled from the load range exists; load the data first with "
                       "`tikv-bench load --verify` and the same workload",
                       samples);
  }
  return fmt::format("--verify: the data was loaded without --verify ({} of {} sampled records carry no checksum, "
                     "e.g. '{}'); load it again with `tikv-bench load --verify`",
                     sampled.found, samples, sampled.plain_key);
}

}  // namespace tikvbench::cli
