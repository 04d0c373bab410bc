#include "tikv/raw_client.h"

#include <algorithm>
#include <cassert>
#include <exception>
#include <span>
#include <variant>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <fmt/format.h>

#include "tikv/pending_call.h"
#include "util/join.h"

namespace tikvbench::tikv {
namespace {

// Relocations without a backoff sleep before one regionMiss sleep: a guard
// against spinning when TiKV and PD disagree for a while.
constexpr int kFreeRelocations = 8;

const std::string& key_of(const std::string& key) { return key; }
const std::string& key_of(const KvPair& pair) { return pair.key; }
size_t size_of(const std::string& key) { return key.size(); }
size_t size_of(const KvPair& pair) { return pair.key.size() + pair.value.size(); }

}  // namespace

RawClient::RawClient(RegionRequestSender& sender, rpc::EventLoops& loops, RawClientOptions options)
    : sender_(sender), cache_(sender.cache()), loops_(loops), options_(options), seed_(options.seed) {
  for (size_t i = 0; i < loops.size(); ++i) memos_.push_back(std::make_unique<RouteMemo>(cache_));
}

RouteMemo* RawClient::memo_for(const asio::any_io_executor& executor) {
  const size_t loop = loops_.index_of(&asio::query(executor, asio::execution::context));
  return loop < memos_.size() && loops_.runs_here(loop) ? memos_[loop].get() : nullptr;
}

rpc::Backoffer RawClient::new_backoffer() {
  return rpc::Backoffer(options_.backoff_budget, seed_.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed));
}

Status RawClient::finish(Status status) {
  if (!status.ok()) sender_.stats().error(status.code());
  return status;
}

template <class Build>
asio::awaitable<Result<Response>> RawClient::execute(std::string key, bool locate_end, Build build,
                                                     rpc::Backoffer& backoff, std::optional<SendOutcome> first) {
  int free_relocations = kFreeRelocations;
  std::optional<SendOutcome> outcome = std::move(first);
  for (;;) {
    if (!outcome) {
      const auto cancellation = co_await asio::this_coro::cancellation_state;
      if (cancellation.cancelled() != asio::cancellation_type::none) co_return Status(StatusCode::kCancelled, "cancelled");
      // (No co_await inside ?: — g++ 12 miscompiles it.)
      Result<RegionPtr> region;
      if (auto cached = locate_end ? nullptr : cache_.lookup(key)) region = std::move(cached);  // no coroutine
      else if (locate_end) region = co_await cache_.locate_end(key);
      else region = co_await cache_.locate(key);
      if (!region.ok()) {
        if (region.status().code() == StatusCode::kCancelled) co_return region.status();
        sender_.stats().retry(RetryReason::kPdError);
        const auto slept = co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kPdRpc, sender_.stats());
        if (slept == RegionRequestSender::Sleep::kCancelled) co_return Status(StatusCode::kCancelled, "cancelled");
        if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
          co_return Status(StatusCode::kBackoffExhausted, "cannot locate the region: " + region.status().message());
        }
        continue;
      }
      outcome = co_await sender_.send(*region, build(**region), backoff);
    }
    if (outcome->verdict == Verdict::kDone) co_return std::move(outcome->response);
    if (outcome->verdict == Verdict::kRelocate && --free_relocations <= 0) {
      free_relocations = kFreeRelocations;
      const auto slept = co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kRegionMiss, sender_.stats());
      if (slept == RegionRequestSender::Sleep::kCancelled) co_return Status(StatusCode::kCancelled, "cancelled");
      if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
        co_return Status(StatusCode::kBackoffExhausted,
                         fmt::format("retried for {} ms without success; last: {}", backoff.total_sleep().count(),
                                     outcome->response.status().to_string()));
      }
    }
    outcome.reset();
  }
}

namespace {

Request raw_key_request(const RawKeyOp& op) {
  Request request;
  switch (op.cmd) {
    case Request::kRawGet:
      request.mutable_rawget()->set_key(op.key);
      break;
    case Request::kRawPut:
      request.mutable_rawput()->set_key(op.key);
      request.mutable_rawput()->set_value(op.value);
      break;
    default:
      assert(op.cmd == Request::kRawDelete);
      request.mutable_rawdelete()->set_key(op.key);
      break;
  }
  return request;
}

// The fast path's slot: a settled answer decoded by hand, anything else as
// a Response (or the failure) for judging.
class RawKeySlot {
 public:
  using Answer = std::variant<RawKeyReply, Result<Response>>;
  explicit RawKeySlot(Request::CmdCase cmd) : cmd_(cmd) {}

  void set_reply(std::string_view response) {
    if (auto reply = decode_raw_key_reply(cmd_, response)) {
      answer_ = std::move(*reply);
      return;
    }
    Response message;
    if (message.ParseFromArray(response.data(), static_cast<int>(response.size()))) answer_ = std::move(message);
    else answer_ = Status(StatusCode::kUnavailable, "a reply that does not parse as a Response");
  }
  void set_result(Result<Response> result) { answer_ = std::move(result); }
  template <class Handler>
  void hand_to(Handler&& handler) {
    std::move(handler)(std::move(answer_));
  }

 private:
  Request::CmdCase cmd_;
  Answer answer_;
};

}  // namespace

template <class Handler>
struct RawClient::SingleContinuation {
  RawClient* client;
  Handler handler;
  RawKeyOp op;
  RegionPtr region;

  // A cancellation of the awaiting coroutine reaches the pending call.
  using cancellation_slot_type = asio::associated_cancellation_slot_t<Handler>;
  cancellation_slot_type get_cancellation_slot() const noexcept {
    return asio::get_associated_cancellation_slot(handler);
  }

  void operator()(RawKeySlot::Answer answer) {
    if (auto* reply = std::get_if<RawKeyReply>(&answer)) {
      std::move(handler)(Result<RawKeyReply>(std::move(*reply)));
      return;
    }
    auto& result = std::get<Result<Response>>(answer);
    if (!result.ok() && result.status().code() == StatusCode::kCancelled) {
      std::move(handler)(Result<RawKeyReply>(result.status()));
      return;
    }
    if (RegionRequestSender::settled(result)) {
      std::move(handler)(Result<RawKeyReply>(raw_key_reply_of(*result)));
      return;
    }
    client->go_on_then(std::move(handler), std::move(op), std::move(region), std::move(result));
  }
};

template <class Handler>
void RawClient::go_on_then(Handler handler, RawKeyOp op, RegionPtr region, Result<Response> first) {
  // The awaiting coroutine owns the retrying one: it waits for it, and its
  // cancellation is the retrying one's.
  auto executor = asio::get_associated_executor(handler);
  auto cancellation = asio::get_associated_cancellation_slot(handler);
  asio::co_spawn(std::move(executor), go_on(std::move(op), std::move(region), std::move(first)),
                 asio::bind_cancellation_slot(
                     cancellation, [handler = std::move(handler)](std::exception_ptr error,
                                                                  Result<RawKeyReply> reply) mutable {
                       if (error) std::rethrow_exception(error);
                       std::move(handler)(std::move(reply));
                     }));
}

asio::awaitable<Result<RawKeyReply>> RawClient::go_on(RawKeyOp op, RegionPtr region, Result<Response> first) {
  co_await asio::this_coro::throw_if_cancelled(false);  // a cancellation ends it with kCancelled instead
  auto backoff = new_backoffer();
  std::optional<SendOutcome> outcome;
  if (region) outcome = co_await sender_.judge(*region, std::move(first), backoff);
  auto response = co_await execute(op.key, false, [&op](const CachedRegion&) { return raw_key_request(op); }, backoff,
                                   std::move(outcome));
  if (!response.ok()) co_return response.status();
  co_return raw_key_reply_of(*response);
}

namespace {

// A completion handler for Result<RawKeyReply> that hands `Handler` what
// `convert` makes of it, on the handler's executor.
template <class Handler, class Convert>
struct Converting {
  Handler handler;
  Convert convert;

  using executor_type = asio::associated_executor_t<Handler>;
  executor_type get_executor() const noexcept { return asio::get_associated_executor(handler); }
  using cancellation_slot_type = asio::associated_cancellation_slot_t<Handler>;
  cancellation_slot_type get_cancellation_slot() const noexcept {
    return asio::get_associated_cancellation_slot(handler);
  }
  void operator()(Result<RawKeyReply> reply) { std::move(handler)(convert(std::move(reply))); }
};

}  // namespace

template <class T, class Convert>
asio::awaitable<T> RawClient::single(RawKeyOp op, Convert convert) {
  // Not a coroutine, so that the fast path costs one frame.
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(T)>(
      [this](auto handler, RawKeyOp op, Convert convert) {
        start_single(Converting<decltype(handler), Convert>{std::move(handler), std::move(convert)}, std::move(op));
      },
      asio::use_awaitable, std::move(op), std::move(convert));
}

template <class Handler>
void RawClient::start_single(Handler handler, RawKeyOp op) {
  using Continuation = SingleContinuation<Handler>;
  auto executor = asio::get_associated_executor(handler);
  RouteMemo* memo = memo_for(executor);
  const RouteMemo::Route* route = memo != nullptr ? memo->find(op.key) : nullptr;
  if (route == nullptr || !sender_.leader_reachable(*route->region)) {
    go_on_then(std::move(handler), std::move(op), nullptr, Status(StatusCode::kInternal, "not sent"));
    return;
  }
  const auto cmd = op.cmd;
  // The continuation keeps the region (the memo's copy) alive.
  auto call = make_pending_call(
      asio::bind_executor(executor, Continuation{this, std::move(handler), std::move(op), route->region}),
      RawKeySlot(cmd));
  // The command reads the op where the call keeps it.
  const RawKeyOp& owned = call->handler().get().op;
  sender_.start(*route->region, route->address, owned.cmd, owned.key, owned.value, std::move(call));
}

// Groups `items` (sorted by key) by region, and by `max_bytes` of payload
// within a region, then sends every group in parallel.
template <class Item, class Build, class Accept>
static asio::awaitable<Status> send_grouped(RegionRequestSender& sender, std::vector<Item> items, size_t max_bytes,
                                            Build& build, Accept& accept, rpc::Backoffer backoff, int depth) {
  auto& cache = sender.cache();
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return key_of(a) < key_of(b); });
  struct Group {
    RegionPtr region;
    std::vector<Item> items;
  };
  std::vector<Group> groups;
  for (size_t i = 0; i < items.size();) {
    auto region = co_await cache.locate(key_of(items[i]));
    if (!region.ok()) {
      if (region.status().code() == StatusCode::kCancelled) co_return region.status();
      sender.stats().retry(RetryReason::kPdError);
      const auto slept = co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kPdRpc, sender.stats());
      if (slept == RegionRequestSender::Sleep::kCancelled) co_return Status(StatusCode::kCancelled, "cancelled");
      if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
        co_return Status(StatusCode::kBackoffExhausted, "cannot locate the region: " + region.status().message());
      }
      continue;
    }
    Group group{*region, {}};
    size_t bytes = 0;
    while (i < items.size() && (*region)->contains(key_of(items[i]))) {
      if (!group.items.empty() && max_bytes > 0 && bytes + size_of(items[i]) > max_bytes) {
        groups.push_back(Group{group.region, std::move(group.items)});
        group.items.clear();
        bytes = 0;
      }
      bytes += size_of(items[i]);
      group.items.push_back(std::move(items[i]));
      ++i;
    }
    groups.push_back(std::move(group));
  }

  std::vector<Status> statuses(groups.size());
  std::vector<asio::awaitable<void>> tasks;
  for (size_t g = 0; g < groups.size(); ++g) {
    tasks.push_back([](RegionRequestSender& sender, Group& group, size_t max_bytes, Build& build, Accept& accept,
                       rpc::Backoffer backoff, int depth, Status& status) -> asio::awaitable<void> {
      co_await asio::this_coro::throw_if_cancelled(false);
      for (;;) {
        auto outcome = co_await sender.send(group.region, build(*group.region, std::span<const Item>(group.items)),
                                            backoff);
        if (outcome.verdict == Verdict::kDone) {
          if (outcome.response.ok()) accept(*outcome.response);
          else status = outcome.response.status();
          co_return;
        }
        if (outcome.verdict == Verdict::kRelocate) {
          if (depth > kFreeRelocations) {
            const auto slept =
                co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kRegionMiss, sender.stats());
            if (slept == RegionRequestSender::Sleep::kCancelled) {
              status = Status(StatusCode::kCancelled, "cancelled");
              co_return;
            }
            if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
              status = Status(StatusCode::kBackoffExhausted,
                              fmt::format("retried for {} ms without success; last: {}",
                                          backoff.total_sleep().count(), outcome.response.status().to_string()));
              co_return;
            }
          }
          status = co_await send_grouped(sender, std::move(group.items), max_bytes, build, accept, backoff, depth + 1);
          co_return;
        }
        // kRetry: the same region again (backoff already slept).
        if (auto fresh = sender.cache().lookup(key_of(group.items.front())); fresh && fresh->id == group.region->id) {
          group.region = fresh;
        }
      }
    }(sender, groups[g], max_bytes, build, accept, backoff, depth, statuses[g]));
  }
  co_await join_all(std::move(tasks));
  for (auto& status : statuses) {
    if (!status.ok()) co_return status;
  }
  co_return Status();
}

asio::awaitable<Result<std::optional<std::string>>> RawClient::get(std::string key) {
  // Not a coroutine: the answer is converted in the completion.
  return single<Result<std::optional<std::string>>>(
      RawKeyOp{Request::kRawGet, codec().encode_owned_key(std::move(key)), {}},
      [this](Result<RawKeyReply> reply) -> Result<std::optional<std::string>> {
        if (!reply.ok()) return finish(reply.status());
        if (reply->not_found) return std::optional<std::string>();
        return std::optional<std::string>(std::move(reply->value));
      });
}

asio::awaitable<Status> RawClient::put(std::string key, std::string value) {
  return single<Status>(RawKeyOp{Request::kRawPut, codec().encode_owned_key(std::move(key)), std::move(value)},
                        [this](Result<RawKeyReply> reply) { return finish(reply.ok() ? Status() : reply.status()); });
}

asio::awaitable<Status> RawClient::del(std::string key) {
  return single<Status>(RawKeyOp{Request::kRawDelete, codec().encode_owned_key(std::move(key)), {}},
                        [this](Result<RawKeyReply> reply) { return finish(reply.ok() ? Status() : reply.status()); });
}

asio::awaitable<Result<std::vector<KvPair>>> RawClient::batch_get(std::vector<std::string> keys) {
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
  auto status = co_await send_grouped(sender_, std::move(keys), 0, build, accept, new_backoffer(), 0);
  if (!status.ok()) co_return finish(std::move(status));
  co_return found;
}

asio::awaitable<Status> RawClient::batch_put(std::vector<KvPair> pairs) {
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
                                         new_backoffer(), 0));
}

asio::awaitable<Status> RawClient::batch_delete(std::vector<std::string> keys) {
  for (auto& key : keys) key = codec().encode_owned_key(std::move(key));
  auto build = [](const CachedRegion&, std::span<const std::string> group) {
    Request request;
    auto* del = request.mutable_rawbatchdelete();
    for (const auto& key : group) del->add_keys(key);
    return request;
  };
  auto accept = [](Response&) {};
  co_return finish(co_await send_grouped(sender_, std::move(keys), 0, build, accept, new_backoffer(), 0));
}

asio::awaitable<Result<std::vector<KvPair>>> RawClient::scan(std::string start, std::string end, uint32_t limit,
                                                             bool key_only, bool reverse) {
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
  auto backoff = new_backoffer();
  std::string cursor = std::move(start);
  while (out.size() < limit) {
    // The region the last attempt was built for: the one that answered.
    std::string region_start, region_end;
    auto response = co_await execute(cursor, reverse, [&](const CachedRegion& region) {
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
    }, backoff);
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
  auto backoff = new_backoffer();
  std::string cursor = std::move(start);
  for (;;) {
    std::string region_end;
    auto response = co_await execute(cursor, false, [&](const CachedRegion& region) {
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
