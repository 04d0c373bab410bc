// AnsweringStream serves a bidirectional gRPC stream on which every request
// gets one response, in order, as PD's Tso and QueryRegion streams do: read a
// request, answer it, read the next. `answer` returns the response, or a
// status that ends the stream (PD ends these streams with an error status,
// e.g. FAILED_PRECONDITION on a cluster-id mismatch). The client closing its
// side ends the stream with OK.
//
// `answer` runs on a gRPC thread, one request at a time per stream, and must
// not block.
//
// Lifetime: owns itself; gRPC holds it until OnDone, which deletes it.
#pragma once

#include <functional>
#include <utility>
#include <variant>

#include <grpcpp/support/server_callback.h>

namespace tikvbench::mock {

template <typename Request, typename Response>
class AnsweringStream final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  using Answer = std::function<std::variant<Response, grpc::Status>(const Request&)>;

  // Creates the reactor for one stream and starts reading.
  static AnsweringStream* start(Answer answer) { return new AnsweringStream(std::move(answer)); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client closed its side, or the call was cancelled.
      this->Finish(grpc::Status::OK);
      return;
    }
    auto outcome = answer_(request_);
    if (auto* status = std::get_if<grpc::Status>(&outcome)) {
      this->Finish(std::move(*status));
      return;
    }
    response_ = std::move(std::get<Response>(outcome));
    this->StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status::OK);  // The call is gone; nothing more to say.
      return;
    }
    this->StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  explicit AnsweringStream(Answer answer) : answer_(std::move(answer)) { this->StartRead(&request_); }

  const Answer answer_;
  Request request_;    // Touched by one reaction at a time.
  Response response_;  // Owned by gRPC while a write is in flight.
};

}  // namespace tikvbench::mock
