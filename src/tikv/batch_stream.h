// BatchStream is one BatchCommands stream to a store, as client-go's batch
// client keeps one per connection. Its owner hands it batches of requests
// (send()); each goes out as one message as soon as no write is in flight,
// and batches handed over while a write is in flight are merged (up to
// max_batch requests) into the message that waits for it. Responses are
// matched to their calls by request id, which the stream assigns.
//
// The stream speaks the wire format itself (a generic gRPC call on
// /tikvpb.Tikv/BatchCommands with byte buffers): a batch carries its
// requests already encoded (see Command), a message is those bytes plus the
// packed ids, and a reply is split into its responses' bytes, which each
// call decodes on the read reaction's thread. The bytes are exactly
// kvproto's BatchCommandsRequest and BatchCommandsResponse.
//
// When the stream breaks, every call it still holds fails with kUnavailable
// (the caller retries), and the stream reports itself broken so its owner
// opens a new one. Calls past their deadline fail with kTimeout when the
// owner sweeps; a late response for them is dropped.
//
// What a misbehaving server does is counted in StreamFaults: replies under
// ids no call has, messages that do not parse as a BatchCommandsResponse
// (the stream is then cancelled, as its remaining replies cannot be
// matched, and its calls fail), streams the server ended with OK while
// replies were still owed (truncated), and streams that ended with an error
// (reset).
//
// Thread safety: send(), sweep() and close() may be called from any thread;
// gRPC runs the reactions on its own threads. A mutex guards the queue and
// the pending calls; no gRPC call is made under it.
// Lifetime: shared; the stream holds itself until OnDone.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "tikv/command.h"
#include "tikv/pending_call.h"
#include "tikv/pending_calls.h"

namespace tikvbench::tikv {

// Counts of server misbehaviour seen on BatchCommands streams.
// Thread safety: relaxed atomics.
struct StreamFaults {
  std::atomic<uint64_t> unmatched{0};    // replies whose id matched no call in flight
  std::atomic<uint64_t> undecodable{0};  // messages that were not a BatchCommandsResponse
  std::atomic<uint64_t> truncated{0};    // streams ended with OK while replies were owed
  std::atomic<uint64_t> reset{0};        // streams ended with an error status
};

class BatchStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
                          public std::enable_shared_from_this<BatchStream> {
 public:
  // Opens a stream on `stub`'s channel. REQUIRES: max_batch >= 1.
  // Replies whose request id matches no call in flight (a server's bug; or
  // a late reply to a call that timed out) are dropped. A reply that does
  // not parse ends the stream. These and the other faults are counted in
  // `*faults` when given, which must outlive the stream.
  static std::shared_ptr<BatchStream> open(grpc::GenericStub& stub, size_t max_batch,
                                           StreamFaults* faults = nullptr);
  ~BatchStream() override;

  // Requests bound for the store: the `requests` fields of a
  // BatchCommandsRequest, encoded, and the calls awaiting their responses,
  // in the same order.
  struct Batch {
    // Encodes `command` after the requests already here and adds its call.
    void add(const Command& command, std::unique_ptr<PendingCall> call);

    std::string requests;
    std::vector<std::unique_ptr<PendingCall>> calls;
  };

  // Takes `batch`'s calls, each under a new request id and with `deadline`,
  // and queues its requests for writing: at once when no write is in
  // flight, else merged into the message that waits for it while that
  // stays within max_batch. Returns false, leaving `batch` untouched, when
  // the stream is broken or closing. REQUIRES: batch.calls.size() <=
  // max_batch. Deadlines should come in about increasing order: sweep()
  // looks at the oldest first.
  bool send(Batch& batch, std::chrono::steady_clock::time_point deadline);
  // Fails the calls whose deadline is before `now` with kTimeout.
  void sweep(std::chrono::steady_clock::time_point now);
  // Fails every call and cancels the stream.
  void close();
  // Counted down once gRPC has let go of the stream for good: OnDone has
  // run and dropped gRPC's reference, so when that was the last the stream
  // is destroyed, its ClientContext's reference to the channel with it. The
  // owner waits for it (after close()) before it lets the channel go, and
  // waits off gRPC's threads: a channel whose last reference goes on one of
  // gRPC's callback threads makes gRPC (1.51) join that thread from itself
  // and free the callback queue it is still reading.
  std::shared_ptr<std::latch> released() const { return released_; }

  bool broken() const;
  // Messages written and requests carried, for the batch-size statistics.
  uint64_t messages_sent() const;
  uint64_t requests_sent() const;

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  // A BatchCommandsRequest waiting for its write: its `requests` fields'
  // bytes, and their ids (written as the packed `request_ids` field when it
  // goes out).
  struct Message {
    std::string requests;
    std::vector<uint64_t> ids;
  };

  BatchStream(size_t max_batch, StreamFaults* faults) : max_batch_(max_batch), faults_(faults) {}
  // Starts a write of what is queued, if none is in flight.
  void pump();
  // Matches a reply's responses to their calls and completes them.
  // Returns false when it does not parse.
  bool dispatch(std::string_view reply);
  // No more writes; lets OnDone come once no write is in flight.
  void stop_writing();
  void fail_all(const Status& status);

  const size_t max_batch_;
  StreamFaults* const faults_;
  grpc::ClientContext ctx_;
  grpc::ByteBuffer write_buffer_;  // Not touched while a write is in flight; owns the message's bytes.
  grpc::ByteBuffer read_buffer_;   // Touched only by the read reaction.
  // Touched only by the read reaction; kept to reuse their memory.
  std::vector<std::string_view> reply_bodies_;
  std::vector<uint64_t> reply_ids_;
  std::vector<std::pair<std::unique_ptr<PendingCall>, size_t>> matched_;
  std::shared_ptr<BatchStream> self_;  // Released in OnDone.

  mutable std::mutex mu_;
  std::deque<Message> queue_;  // Guarded by mu_: to write, in order.
  bool writing_ = false;       // Guarded by mu_.
  bool broken_ = false;                   // Guarded by mu_.
  bool hold_released_ = false;            // Guarded by mu_.
  bool ended_by_us_ = false;              // Guarded by mu_: close(), or given up on.
  const std::shared_ptr<std::latch> released_ = std::make_shared<std::latch>(1);
  PendingCalls pending_;                  // Guarded by mu_.
  uint64_t messages_sent_ = 0;  // Guarded by mu_.
  uint64_t requests_sent_ = 0;  // Guarded by mu_.
};

}  // namespace tikvbench::tikv
