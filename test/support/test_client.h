// A small, independent test client for the mock cluster: PD and TiKV stubs
// over gRPC's callback API, each call awaited on the test thread with a
// deadline, and a BatchCommands stream that collects what the server sends.
// It routes by asking PD, on purpose without the real client's cache, so
// tests see exactly what the servers answer.
//
// Thread safety: one test thread drives it; gRPC's threads complete calls.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "pdpb.grpc.pb.h"
#include "tikvpb.grpc.pb.h"

namespace tikvbench::test {

constexpr auto kCallDeadline = std::chrono::seconds(10);

// Runs one unary call through the callback API and waits for it.
// `start(ctx, response, done)` must start the call.
template <class Response, class Start>
std::pair<grpc::Status, Response> call(Start&& start) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  Response response;
  std::promise<grpc::Status> done;
  auto finished = done.get_future();
  start(&ctx, &response, [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = finished.get();
  return {std::move(status), std::move(response)};
}

class TestClient {
 public:
  TestClient(const std::string& pd_address, uint64_t cluster_id);

  pdpb::PD::Stub& pd() { return *pd_; }
  pdpb::RequestHeader header() const;
  uint64_t cluster_id() const { return cluster_id_; }

  pdpb::GetRegionResponse get_region(const std::string& key);
  // The store's TiKV stub, connecting on first use through PD's GetStore.
  tikvpb::Tikv::Stub& store(uint64_t store_id);
  // A Context addressed as a client would: region, epoch and leader peer
  // taken from PD for `key`.
  kvrpcpb::Context context_for(const std::string& key);
  // The leader's store id for the region holding `key`.
  uint64_t leader_store_for(const std::string& key);

  // Convenience wrappers that route through PD and fail the test on errors.
  kvrpcpb::RawPutResponse put(const std::string& key, const std::string& value);
  kvrpcpb::RawGetResponse get(const std::string& key);

 private:
  uint64_t cluster_id_;
  std::unique_ptr<pdpb::PD::Stub> pd_;
  std::map<uint64_t, std::unique_ptr<tikvpb::Tikv::Stub>> stores_;
};

// One BatchCommands stream. send() writes a message and waits until it is on
// the wire; next() waits for the next message from the server.
class BatchStream final : public grpc::ClientBidiReactor<tikvpb::BatchCommandsRequest, tikvpb::BatchCommandsResponse> {
 public:
  explicit BatchStream(tikvpb::Tikv::Stub& stub);
  ~BatchStream() override;

  // Returns false when the write failed (stream broken).
  bool send(const tikvpb::BatchCommandsRequest& request);
  // The next message, or nullopt when the stream ended or `timeout` passed.
  std::optional<tikvpb::BatchCommandsResponse> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Half-closes and waits for the final status.
  grpc::Status finish();
  // Waits for the final status without half-closing (the server ends it).
  grpc::Status wait_done();

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnWritesDoneDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  grpc::ClientContext ctx_;
  tikvpb::BatchCommandsRequest request_;
  tikvpb::BatchCommandsResponse response_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<tikvpb::BatchCommandsResponse> received_;  // Guarded by mu_.
  bool writing_ = false;                                // Guarded by mu_.
  bool write_ok_ = true;                                // Guarded by mu_.
  bool writes_closed_ = false;                          // Guarded by mu_.
  std::optional<grpc::Status> status_;                  // Guarded by mu_.
};

}  // namespace tikvbench::test
