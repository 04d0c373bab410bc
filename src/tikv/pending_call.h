// PendingCall is one request waiting for its response on a transport: the
// completion handler of the coroutine awaiting it, type-erased, with a slot
// that holds the answer until the handler gets it, plus what the transport
// needs to track it.
//
// The transport first sets the answer: set_reply() with the Response's wire
// bytes (decoded right there, on gRPC's thread, by the slot) or set_result()
// with a message or a failure. complete() then hands it to the handler on
// the handler's own executor and frees the call.
//
// A slot is a small type with
//   void set_reply(std::string_view response);  // decode the wire bytes
//   void set_result(Result<Response> result);
//   template <class H> void hand_to(H&& handler);  // call the handler once
// ResponseSlot hands over Result<Response>; RawClient's fast path has one
// that decodes RawGet/RawPut/RawDelete answers by hand.
//
// Cancellation: when the waiting handler has a cancellation slot (a
// coroutine co_spawn-ed with one), emitting it on the handler's executor
// hands the handler Result<Response>(kCancelled) at once (a post). The call
// itself stays with its transport, which completes it as usual later (its
// answer, a failure or its deadline); that completion then only frees it.
// So every Handler must also accept a Result<Response>.
//
// Thread safety: owned by one transport at a time; set_*() and complete()
// may run on any thread (a gRPC callback thread). The cancellation, like the
// handing over, runs on the handler's executor.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/async_result.hpp>
#include <asio/execution/context.hpp>
#include <asio/post.hpp>
#include <asio/query.hpp>

#include "tikv/request.h"
#include "util/status.h"

namespace tikvbench::tikv {

class PendingCall {
 public:
  virtual ~PendingCall() = default;

  // Takes the store's answer, a BatchCommandsResponse.Response's wire bytes;
  // decodes it now.
  virtual void set_reply(std::string_view response) = 0;
  // Takes the answer as a message, or the failure that stands for it.
  virtual void set_result(Result<Response> result) = 0;

  // Delivers what was set to the waiting coroutine (a post to its
  // executor); consumes the call.
  static void complete(std::unique_ptr<PendingCall> call) { call.release()->deliver(); }  // deletes itself
  static void complete(std::unique_ptr<PendingCall> call, Result<Response> result) {
    call->set_result(std::move(result));
    complete(std::move(call));
  }
  // The same without a post. REQUIRES: running on the call's executor().
  static void complete_here(std::unique_ptr<PendingCall> call, Result<Response> result) {
    call->set_result(std::move(result));
    call.release()->invoke();  // deletes itself
  }

  // Completes many calls (each set already) with one post per executor
  // instead of one per call: a BatchCommands message answers dozens of
  // requests at once, and every post to an idle loop is a thread wake-up.
  static void complete_all(std::vector<std::unique_ptr<PendingCall>> calls);

  // The executor the waiting coroutine runs on.
  virtual asio::any_io_executor executor() const = 0;

  // Identifies executor()'s execution context (its event loop), so calls
  // can be grouped per loop without copying type-erased executors.
  const void* loop = nullptr;

 protected:
  // Posts the handing over to executor(); deletes the call.
  virtual void deliver() = 0;
  // Hands what was set to the waiting coroutine now; deletes the call.
  // REQUIRES: running on executor().
  virtual void invoke() = 0;
};

// The slot of a call that hands over Result<Response>: the wire bytes are
// parsed as a Response.
class ResponseSlot {
 public:
  void set_reply(std::string_view response);
  void set_result(Result<Response> result) { result_ = std::move(result); }
  template <class Handler>
  void hand_to(Handler&& handler) {
    std::move(handler)(std::move(result_));
  }

 private:
  Result<Response> result_;
};

// The PendingCall completing `Handler` through `Slot`. handler() lets its
// creator keep a view into the handler's state (what a Command it sends
// reads), valid until the call completes.
template <class Slot, class Handler>
class PendingCallFor final : public PendingCall {
 public:
  PendingCallFor(Slot slot, Handler&& handler)
      : slot_(std::move(slot)), handler_(std::move(handler)), executor_(asio::get_associated_executor(handler_)) {
    loop = &asio::query(executor_, asio::execution::context);
    if (auto cancel = asio::get_associated_cancellation_slot(handler_); cancel.is_connected()) {
      cancel.assign([this](asio::cancellation_type) { cancel_now(); });
    }
  }

  void set_reply(std::string_view response) override { slot_.set_reply(response); }
  void set_result(Result<Response> result) override { slot_.set_result(std::move(result)); }
  // The handler, for its creator to read state in it; not after a cancel.
  Handler& handler() { return handler_; }

 private:
  asio::any_io_executor executor() const override { return executor_; }
  void deliver() override {
    asio::post(executor_, [call = std::unique_ptr<PendingCallFor>(this)]() mutable { call.release()->invoke(); });
  }
  void invoke() override {
    if (cancelled_) {  // the handler has its answer already
      delete this;
      return;
    }
    if (auto cancel = asio::get_associated_cancellation_slot(handler_); cancel.is_connected()) cancel.clear();
    Slot slot = std::move(slot_);
    Handler handler = std::move(handler_);
    delete this;
    slot.hand_to(std::move(handler));
  }
  // On the handler's executor, from the cancellation slot: the handler gets
  // kCancelled now; the transport still owns the call.
  void cancel_now() {
    if (cancelled_) return;
    cancelled_ = true;
    asio::post(executor_, [handler = std::move(handler_)]() mutable {
      std::move(handler)(Result<Response>(Status(StatusCode::kCancelled, "cancelled")));
    });
  }

  Slot slot_;
  Handler handler_;
  const asio::any_io_executor executor_;  // the handler's, kept: the handler moves on a cancel
  bool cancelled_ = false;                // touched on executor_ only
};

inline void PendingCall::complete_all(std::vector<std::unique_ptr<PendingCall>> calls) {
  using Batch = std::vector<std::unique_ptr<PendingCall>>;
  while (!calls.empty()) {
    // Take every call on the first call's loop (there are a few loops).
    const void* loop = calls.front()->loop;
    Batch same;
    Batch rest;
    same.reserve(calls.size());
    for (auto& call : calls) (call->loop == loop ? same : rest).push_back(std::move(call));
    const auto executor = same.front()->executor();
    asio::post(executor, [same = std::move(same)]() mutable {
      for (auto& call : same) call.release()->invoke();
    });
    calls = std::move(rest);
  }
}

// A PendingCall whose `slot` hands the answer to `handler` (its associated
// executor is the waiting coroutine's).
template <class Slot = ResponseSlot, class Handler>
std::unique_ptr<PendingCallFor<Slot, Handler>> make_pending_call(Handler handler, Slot slot = {}) {
  return std::make_unique<PendingCallFor<Slot, Handler>>(std::move(slot), std::move(handler));
}

// Initiates an operation completing with Result<Response> whose completion
// is a PendingCall: `start(call)` receives the call and must eventually
// complete it exactly once.
template <class Start, class CompletionToken>
auto async_pending_call(Start start, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(Result<Response>)>(
      [](auto handler, Start start) { start(make_pending_call(std::move(handler))); }, token, std::move(start));
}

}  // namespace tikvbench::tikv
