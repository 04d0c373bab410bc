// BatchCommandsStream serves one tikvpb.Tikv/BatchCommands stream for a mock
// store, as TiKV does: every request of every incoming message is answered
// under its request id; answers that are ready go out together, delayed ones
// (injected latency) follow in later messages, so a response message may mix
// answers to several incoming messages and come in any order.
//
// Reactions never block: a read is processed (brief region locks only) and
// the next read started; writes are serialized, and whatever piles up while
// one is in flight goes out as the next single message.
//
// The stream handles the wire bytes itself (gRPC's raw method), decoding
// requests and encoding responses with protobuf, so that injected faults can
// send what a protobuf encoder never would: undecodable messages. A request
// that does not decode ends the stream with INTERNAL, as gRPC would.
//
// Lifetime: owns itself. gRPC holds it until OnDone; delayed answers hold it
// too, and find it finished if the stream ended before they fired.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "mock/store_service.h"

namespace tikvbench::mock {

class BatchCommandsStream final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
      public std::enable_shared_from_this<BatchCommandsStream> {
 public:
  // Creates a stream reactor for `store` and starts reading.
  static BatchCommandsStream* start(StoreService& store);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;
  void OnCancel() override;

 private:
  explicit BatchCommandsStream(StoreService& store);

  // Adds one answer to the outgoing message. REQUIRES: mu_ held.
  void append_locked(uint64_t request_id, tikvpb::BatchCommandsResponse::Response&& response);
  // Starts a write, or finishes the stream, when it is time.
  // REQUIRES: mu_ not held.
  void pump();
  // Ends the stream with `status` once the write in flight is done.
  void fail(grpc::Status status);
  // Encodes in_flight_ into out_, or garbles it when a fault says so.
  void encode_in_flight();

  StoreService& store_;
  const uint64_t reset_epoch_;     // the injector's at the start: a later one resets the stream
  const uint64_t truncate_epoch_;  // likewise, a later one ends it with OK
  std::shared_ptr<BatchCommandsStream> self_;  // Released in OnDone.

  grpc::ByteBuffer in_;                   // Touched only by the read reaction.
  tikvpb::BatchCommandsRequest request_;  // Touched only by the read reaction.

  std::mutex mu_;
  tikvpb::BatchCommandsResponse pending_;   // Guarded by mu_: answers not yet sent.
  tikvpb::BatchCommandsResponse in_flight_;  // Owned by the writer while writing_.
  grpc::ByteBuffer out_;                     // Owned by the writer while writing_.
  bool writing_ = false;                     // Guarded by mu_.
  bool reads_done_ = false;                  // Guarded by mu_.
  bool finished_ = false;                    // Guarded by mu_.
  size_t delayed_ = 0;                       // Guarded by mu_: answers held back.
  std::optional<grpc::Status> failure_;      // Guarded by mu_: end the stream with this.
};

}  // namespace tikvbench::mock
