// async_unary runs one gRPC unary call through the callback API and completes
// on the caller's executor, so a coroutine can `co_await` it:
//
//   auto [status, reply] = co_await rpc::async_unary<pdpb::GetRegionResponse>(
//       [&](grpc::ClientContext* ctx, pdpb::GetRegionResponse* reply, auto done) {
//         stub->async()->GetRegion(ctx, &request, reply, std::move(done));
//       },
//       timeout, asio::experimental::as_tuple(asio::use_awaitable));
//
// The ClientContext and the reply live in a heap state owned by the call
// until its completion; the request must outlive the call (a coroutine's
// local, awaited in place, does). The deadline is the call's timeout. If the
// completion handler has a cancellation slot, cancelling it cancels the call
// (the completion then carries CANCELLED). No thread blocks: gRPC's callback
// posts the completion to the handler's executor.
#pragma once

#include <chrono>
#include <memory>
#include <utility>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/dispatch.hpp>
#include <asio/post.hpp>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

namespace tikvbench::rpc {
namespace detail {

template <class Reply, class Handler>
struct UnaryState {
  explicit UnaryState(Handler&& h) : handler(std::move(h)) {}
  grpc::ClientContext ctx;
  Reply reply;
  Handler handler;
};

}  // namespace detail

template <class Reply, class Start, class CompletionToken>
auto async_unary(Start start, std::chrono::nanoseconds timeout, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(grpc::Status, Reply)>(
      [timeout](auto handler, Start start) {
        using Handler = decltype(handler);
        auto state = std::make_shared<detail::UnaryState<Reply, Handler>>(std::move(handler));
        state->ctx.set_deadline(std::chrono::system_clock::now() +
                                std::chrono::duration_cast<std::chrono::system_clock::duration>(timeout));
        auto slot = asio::get_associated_cancellation_slot(state->handler);
        if (slot.is_connected()) {
          // The slot lives with the awaiting operation; it only pokes the context.
          slot.assign([ctx = &state->ctx](asio::cancellation_type) { ctx->TryCancel(); });
        }
        auto* ctx = &state->ctx;
        auto* reply = &state->reply;
        start(ctx, reply, [state = std::move(state)](grpc::Status status) mutable {
          auto executor = asio::get_associated_executor(state->handler);
          asio::post(executor, [state = std::move(state), status = std::move(status)]() mutable {
            auto slot = asio::get_associated_cancellation_slot(state->handler);
            if (slot.is_connected()) slot.clear();
            Reply reply = std::move(state->reply);
            Handler handler = std::move(state->handler);
            state.reset();
            std::move(handler)(std::move(status), std::move(reply));
          });
        });
      },
      token, std::move(start));
}

}  // namespace tikvbench::rpc
