// StoreTransport carries one request to one TiKV store and brings back its
// response. Two implementations: BatchTransport (the default; requests
// coalesced per store over BatchCommands streams, as client-go does) and
// UnaryTransport (one RPC per request, for comparison).
//
// send() suspends until the response arrives; it never throws. It fails with
// kUnavailable when the store cannot be reached or the stream broke, and with
// kTimeout when the per-request timeout passed; region errors are not its
// business (they come inside the response). start() is the same operation
// for a Command (a request in wire format) with a PendingCall as its
// completion, for callers that compose it without a coroutine frame
// (RawClient's fast path).
//
// Cancellation: send()'s awaiting coroutine, and start()'s call, may be
// cancelled through the handler's cancellation slot; the caller then gets
// kCancelled at once and the transport drops the answer when it comes (see
// pending_call.h). The unary transport cancels the gRPC call itself.
//
// Thread safety: send() and start() may be called from any event-loop
// thread; completions come on the caller's executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <asio/awaitable.hpp>

#include "tikv/request.h"
#include "util/status.h"

namespace tikvbench::tikv {

struct TransportOptions {
  size_t conns = 4;        // channels per store (client-go's default)
  size_t max_batch = 128;  // requests per BatchCommands message (batch transport)
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);  // per request
};

class Command;
class PendingCall;

class StoreTransport {
 public:
  virtual ~StoreTransport() = default;
  virtual asio::awaitable<Result<Response>> send(uint64_t store_id, std::string address, Request request) = 0;
  // Sends `command` and completes `call` exactly once with what send() would
  // return (set_reply or set_result, then complete), on the call's executor.
  // Never blocks; `command` is not used after start() returns. The default
  // runs send() of command.message() in a coroutine on the call's executor.
  virtual void start(uint64_t store_id, const std::string& address, const Command& command,
                     std::unique_ptr<PendingCall> call);
};

}  // namespace tikvbench::tikv
