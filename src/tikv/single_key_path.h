// SingleKeyPath carries get, put and delete: one key, one region. On the
// fast path (the region, its leader and the leader's address in the loop's
// RouteMemo, the leader's store reachable) a request costs one awaitable
// frame down to the stream: it is encoded by hand (RawKeyCommand), its
// answer decoded by hand on gRPC's thread (RawKeySlot), and the awaiting
// coroutine resumed directly when the answer is settled. Anything else (no
// route, a region error, a failure) goes on in a coroutine that judges it
// and retries as send_until_done() does.
//
// Cancellation: the awaiting coroutine's cancellation slot reaches the
// pending call on the fast path and the retrying coroutine after it; either
// ends the operation with kCancelled.
// Thread safety: run() on any loop of `loops`; an operation awaited off
// the loops takes the slow path.
// Lifetime: sender, loops and backoffs must outlive the path and every
// operation in flight.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>
#include <asio/use_awaitable.hpp>

#include "rpc/backoff.h"
#include "rpc/event_loops.h"
#include "tikv/command.h"
#include "tikv/op_trace.h"
#include "tikv/pending_call.h"
#include "tikv/region_request_sender.h"
#include "tikv/route_memo.h"

namespace tikvbench::tikv {

// One key's RawGet, RawPut (with value) or RawDelete.
struct RawKeyOp {
  Request::CmdCase cmd;
  std::string key;  // TiKV's key
  std::string value;
  OpTrace* trace = nullptr;  // learns the store of each try; may be null
};

// The request `op` stands for.
Request raw_key_request(const RawKeyOp& op);

// A PendingCall slot that decodes RawGet, RawPut and RawDelete answers by
// hand; anything else it keeps as a Response (or the failure).
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

class SingleKeyPath {
 public:
  SingleKeyPath(RegionRequestSender& sender, rpc::EventLoops& loops, rpc::BackofferFactory& backoffs);

  // Sends `op` until it is done, and completes with what `convert` (a
  // callable T(Result<RawKeyReply>), run on the awaiting loop) makes of the
  // answer.
  template <class T, class Convert>
  asio::awaitable<T> run(RawKeyOp op, Convert convert);

 private:
  template <class Handler>
  struct Continuation;
  // run()'s start, for a `handler` of Result<RawKeyReply>.
  template <class Handler>
  void start(Handler handler, RawKeyOp op);
  // Completes `handler` with what go_on() comes to, run as a coroutine on
  // the handler's executor that the handler waits for.
  template <class Handler>
  void go_on_then(Handler handler, RawKeyOp op, RegionPtr region, Result<Response> first);
  // Judges a fast try's unsettled answer `first` from `region` (none when
  // null), then retries as send_until_done() does.
  asio::awaitable<Result<RawKeyReply>> go_on(RawKeyOp op, RegionPtr region, Result<Response> first);
  // The memo of the loop that runs `executor`, when this thread runs it;
  // else null.
  RouteMemo* memo_for(const asio::any_io_executor& executor);

  RegionRequestSender& sender_;
  rpc::EventLoops& loops_;
  rpc::BackofferFactory& backoffs_;
  std::vector<std::unique_ptr<RouteMemo>> memos_;  // one per loop, by index; constant
};

// The fast path's completion; owns `op` while it is in flight.
template <class Handler>
struct SingleKeyPath::Continuation {
  SingleKeyPath* path;
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
    path->go_on_then(std::move(handler), std::move(op), std::move(region), std::move(result));
  }
};

template <class Handler>
void SingleKeyPath::go_on_then(Handler handler, RawKeyOp op, RegionPtr region, Result<Response> first) {
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

template <class T, class Convert>
asio::awaitable<T> SingleKeyPath::run(RawKeyOp op, Convert convert) {
  // Not a coroutine, so that the fast path costs one frame.
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(T)>(
      [this](auto handler, RawKeyOp op, Convert convert) {
        start(Converting<decltype(handler), Convert>{std::move(handler), std::move(convert)}, std::move(op));
      },
      asio::use_awaitable, std::move(op), std::move(convert));
}

template <class Handler>
void SingleKeyPath::start(Handler handler, RawKeyOp op) {
  using Continuation = SingleKeyPath::Continuation<Handler>;
  auto executor = asio::get_associated_executor(handler);
  RouteMemo* memo = memo_for(executor);
  const RouteMemo::Route* route = memo != nullptr ? memo->find(op.key) : nullptr;
  if (route == nullptr || !sender_.leader_reachable(*route->region)) {
    go_on_then(std::move(handler), std::move(op), nullptr, Status(StatusCode::kInternal, "not sent"));
    return;
  }
  const auto cmd = op.cmd;
  if (op.trace != nullptr) op.trace->last_store = route->region->leader_peer().store_id();
  // The continuation keeps the region (the memo's copy) alive.
  auto call = make_pending_call(
      asio::bind_executor(executor, Continuation{this, std::move(handler), std::move(op), route->region}),
      RawKeySlot(cmd));
  // The command reads the op where the call keeps it.
  const RawKeyOp& owned = call->handler().get().op;
  sender_.start(*route->region, route->address, owned.cmd, owned.key, owned.value, std::move(call));
}

}  // namespace tikvbench::tikv
