// PendingCall is one request waiting for its response on a transport: the
// completion handler of the coroutine awaiting it, type-erased, plus what the
// transport needs to track it. complete() hands the result to the handler on
// the handler's own executor and frees the call.
//
// Thread safety: owned by one transport at a time; complete() may run on any
// thread (a gRPC callback thread).
#pragma once

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include <asio/any_io_executor.hpp>

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/execution/context.hpp>
#include <asio/query.hpp>
#include <asio/post.hpp>

#include "tikv/store_transport.h"

namespace tikvbench::tikv {

class PendingCall {
 public:
  virtual ~PendingCall() = default;

  // Delivers `result` to the waiting coroutine; consumes the call.
  static void complete(std::unique_ptr<PendingCall> call, Result<Response> result) {
    PendingCall* raw = call.release();
    raw->deliver(std::move(result));  // deletes itself
  }

  // Hands `result` to the waiting coroutine now, without a post.
  // REQUIRES: running on the call's executor().
  static void complete_here(std::unique_ptr<PendingCall> call, Result<Response> result) {
    call.release()->invoke(std::move(result));  // deletes itself
  }

  // Completes many calls with one post per executor instead of one per
  // call: a BatchCommands message answers dozens of requests at once, and
  // every post to an idle loop is a thread wake-up.
  static void complete_all(std::vector<std::pair<std::unique_ptr<PendingCall>, Result<Response>>> calls);

  // The executor the waiting coroutine runs on.
  virtual asio::any_io_executor executor() const = 0;

  std::chrono::steady_clock::time_point deadline;
  // Identifies executor()'s execution context (its event loop), so calls
  // can be grouped per loop without copying type-erased executors.
  const void* loop = nullptr;

 protected:
  // Posts the result to executor(); deletes the call.
  virtual void deliver(Result<Response> result) = 0;
  // Hands the result to the waiting coroutine now; deletes the call.
  // REQUIRES: running on executor().
  virtual void invoke(Result<Response> result) = 0;
};

namespace detail {

template <class Handler>
class PendingCallFor final : public PendingCall {
 public:
  explicit PendingCallFor(Handler&& handler) : handler_(std::move(handler)) {
    loop = &asio::query(asio::get_associated_executor(handler_), asio::execution::context);
  }

 private:
  asio::any_io_executor executor() const override { return asio::get_associated_executor(handler_); }
  void deliver(Result<Response> result) override {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor, [handler = std::move(handler_), result = std::move(result)]() mutable {
      std::move(handler)(std::move(result));
    });
    delete this;
  }
  void invoke(Result<Response> result) override {
    Handler handler = std::move(handler_);
    delete this;
    std::move(handler)(std::move(result));
  }
  Handler handler_;
};

}  // namespace detail

inline void PendingCall::complete_all(std::vector<std::pair<std::unique_ptr<PendingCall>, Result<Response>>> calls) {
  using Batch = std::vector<std::pair<std::unique_ptr<PendingCall>, Result<Response>>>;
  while (!calls.empty()) {
    // Take every call on the first call's loop (there are a few loops).
    const void* loop = calls.front().first->loop;
    Batch same;
    Batch rest;
    same.reserve(calls.size());
    for (auto& entry : calls) {
      (entry.first->loop == loop ? same : rest).push_back(std::move(entry));
    }
    const auto executor = same.front().first->executor();
    asio::post(executor, [same = std::move(same)]() mutable {
      for (auto& [call, result] : same) call.release()->invoke(std::move(result));
    });
    calls = std::move(rest);
  }
}

// A PendingCall completing `handler` (its associated executor is the loop).
template <class Handler>
std::unique_ptr<PendingCall> make_pending_call(Handler handler) {
  return std::unique_ptr<PendingCall>(new detail::PendingCallFor<Handler>(std::move(handler)));
}

// Initiates an operation whose completion is a PendingCall: `start(call)`
// receives the call and must eventually complete it exactly once.
template <class Start, class CompletionToken>
auto async_pending_call(Start start, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(Result<Response>)>(
      [](auto handler, Start start) {
        start(make_pending_call(std::move(handler)));
      },
      token, std::move(start));
}

}  // namespace tikvbench::tikv
