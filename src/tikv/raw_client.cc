#include "tikv/raw_client.h"

#include <span>

#include "tikv/region_groups.h"
#include "tikv/send_until_done.h"
#include "tikv/single_key_path.h"

namespace tikvbench::tikv {

RawClient::RawClient(RegionRequestSender& sender, rpc::EventLoops& loops, RawClientOptions options)
    : sender_(sender),
      options_(options),
      backoffs_(options.backoff_budget, options.seed),
      single_(std::make_unique<SingleKeyPath>(sender, loops, backoffs_)) {}

RawClient::~RawClient() = default;

Status RawClient::finish(Status status) {
  if (!status.ok()) sender_.stats().error(status.code());
  return status;
}

asio::awaitable<Result<std::optional<std::string>>> RawClient::get(std::string key, OpTrace* trace) {
  // Not a coroutine: the answer is converted in the completion.
  return single_->run<Result<std::optional<std::string>>>(
      RawKeyOp{Request::kRawGet, codec().encode_owned_key(std::move(key)), {}, trace},
      [this](Result<RawKeyReply> reply) -> Result<std::optional<std::string>> {
        if (!reply.ok()) return finish(reply.status());
        if (reply->not_found) return std::optional<std::string>();
        return std::optional<std::string>(std::move(reply->value));
      });
}

asio::awaitable<Status> RawClient::put(std::string key, std::string value, OpTrace* trace) {
  return single_->run<Status>(
      RawKeyOp{Request::kRawPut, codec().encode_owned_key(std::move(key)), std::move(value), trace},
                        [this](Result<RawKeyReply> reply) { return finish(reply.ok() ? Status() : reply.status()); });
}

asio::awaitable<Status> RawClient::del(std::string key, OpTrace* trace) {
  return single_->run<Status>(RawKeyOp{Request::kRawDelete, codec().encode_owned_key(std::move(key)), {}, trace},
                        [this](Result<RawKeyReply> reply) { return finish(reply.ok() ? Status() : reply.status()); });
}

asio::awaitable<Result<std::vector<KvPair>>> RawClient::batch_get(std::vector<std::string> keys, OpTrace* trace) {
  for (auto& key : keys) key = codec().encode_owned_key(std::move(key));
  std::vector<KvPair> found;
  auto build = [](const CachedRegion&, std::span<const std::string> group) {
    Request request;
    auto* get = request.mutable_rawbatchget();
    for (const auto& key : group) get->add_keys(key);
    return request;
  };
  auto accept = [&found, this](Response& response) {
    for (auto& pair : *response.mutable_rawbatchget()->mutable_pairs()) {
      found.push_back({codec().decode_key(pair.key()), std::move(*pair.mutable_value())});
    }
  };
  auto status = co_await send_grouped(sender_, std::move(keys), 0, build, accept, backoffs_.make(), 0, trace);
  if (!status.ok()) co_return finish(std::move(status));
  co_return found;
}

asio::awaitable<Status> RawClient::batch_put(std::vector<KvPair> pairs, OpTrace* trace) {
  for (auto& pair : pairs) pair.key = codec().encode_owned_key(std::move(pair.key));
  auto build = [](const CachedRegion&, std::span<const KvPair> group) {
    Request request;
    auto* put = request.mutable_rawbatchput();
    for (const auto& pair : group) {
      auto* out = put->add_pairs();
      out->set_key(pair.key);
      out->set_value(pair.value);
    }
    return request;
  };
  auto accept = [](Response&) {};
  co_return finish(co_await send_grouped(sender_, std::move(pairs), options_.batch_put_bytes, build, accept,
                                         backoffs_.make(), 0, trace));
}

asio::awaitable<Status> RawClient::batch_delete(std::vector<std::string> keys, OpTrace* trace) {
  for (auto& key : keys) key = codec().encode_owned_key(std::move(key));
  auto build = [](const CachedRegion&, std::span<const std::string> group) {
    Request request;
    auto* del = request.mutable_rawbatchdelete();
    for (const auto& key : group) del->add_keys(key);
    return request;
  };
  auto accept = [](Response&) {};
  co_return finish(co_await send_grouped(sender_, std::move(keys), 0, build, accept, backoffs_.make(), 0, trace));
}

asio::awaitable<Result<std::vector<KvPair>>> RawClient::scan(std::string start, std::string end, uint32_t limit,
                                                             bool key_only, bool reverse, OpTrace* trace) {
  if (reverse && start.empty() && !codec().v2()) {
    // TiKV reads an empty start key as the smallest key, even in reverse;
    // API v1 has no key above every other (client-go refuses it too).
    co_return finish(Status(StatusCode::kInvalidArgument,
                            "a reverse scan needs a start key (its exclusive upper bound) in API v1"));
  }
  // TiKV keys; empty bounds become the keyspace's in API v2. A reverse scan
  // runs from `start` (upper) down to `end` (lower).
  start = reverse ? codec().encode_end(start) : codec().encode_start(start);
  end = reverse ? codec().encode_start(end) : codec().encode_end(end);
  std::vector<KvPair> out;
  auto backoff = backoffs_.make();
  std::string cursor = std::move(start);
  while (out.size() < limit) {
    // The region the last attempt was built for: the one that answered.
    std::string region_start, region_end;
    auto response = co_await send_until_done(sender_, cursor, reverse, [&](const CachedRegion& region) {
      region_start = region.start_key;
      region_end = region.end_key;
      Request request;
      auto* scan = request.mutable_rawscan();
      scan->set_start_key(cursor);
      if (!reverse) {
        // Stop at the region's end or the caller's, whichever comes first.
        const bool region_first = !region.end_key.empty() && (end.empty() || region.end_key < end);
        scan->set_end_key(region_first ? region.end_key : end);
      } else {
        scan->set_end_key(!end.empty() && end > region.start_key ? end : region.start_key);
        scan->set_reverse(true);
      }
      scan->set_limit(limit - static_cast<uint32_t>(out.size()));
      scan->set_key_only(key_only);
      return request;
    }, backoff, std::nullopt, trace);
    if (!response.ok()) co_return finish(response.status());
    for (auto& pair : *response->mutable_rawscan()->mutable_kvs()) {
      out.push_back({codec().decode_key(pair.key()), std::move(*pair.mutable_value())});
    }
    if (!reverse) {
      if (region_end.empty() || (!end.empty() && region_end >= end)) break;
      cursor = std::move(region_end);
    } else {
      if (region_start.empty() || (!end.empty() && region_start <= end)) break;
      cursor = std::move(region_start);
    }
  }
  if (out.size() > limit) out.resize(limit);
  co_return out;
}

asio::awaitable<Status> RawClient::delete_range(std::string start, std::string end) {
  start = codec().encode_start(start);
  end = codec().encode_end(end);
  if (!end.empty() && start >= end) co_return Status();
  auto backoff = backoffs_.make();
  std::string cursor = std::move(start);
  for (;;) {
    std::string region_end;
    auto response = co_await send_until_done(sender_, cursor, false, [&](const CachedRegion& region) {
      region_end = region.end_key;
      Request request;
      auto* range = request.mutable_rawdeleterange();
      range->set_start_key(cursor);
      const bool region_first = !region.end_key.empty() && (end.empty() || region.end_key < end);
      range->set_end_key(region_first ? region.end_key : end);
      return request;
    }, backoff);
    if (!response.ok()) co_return finish(response.status());
    if (region_end.empty() || (!end.empty() && region_end >= end)) co_return Status();
    cursor = std::move(region_end);
  }
}

}  // namespace tikvbench::tikv
