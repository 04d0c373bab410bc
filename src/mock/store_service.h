// StoreService is one mock TiKV store's gRPC service (tikvpb.Tikv): the eight
// raw RPCs as unary calls and the BatchCommands stream, over the callback
// API. Every request first meets the FaultInjector (ServerIsBusy, delayed
// replies), then the RawHandler. A non-zero Context.cluster_id naming another
// cluster fails the call (or the whole stream) with INVALID_ARGUMENT, as TiKV
// does. RPCs outside the subset answer UNIMPLEMENTED.
//
// Thread safety: gRPC calls the service from its own threads; the service
// keeps no state of its own besides counters.
// Lifetime: handler, faults and delays must outlive the grpc::Server that
// serves this service.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "mock/delay_queue.h"
#include "mock/fault_injector.h"
#include "mock/raw_handler.h"
#include "tikvpb.grpc.pb.h"

namespace tikvbench::mock {

namespace detail {
using Tikv = tikvpb::Tikv;
// tikvpb.Tikv's callback service with BatchCommands on raw bytes.
using StoreServiceBase = Tikv::WithCallbackMethod_RawGet<Tikv::WithCallbackMethod_RawBatchGet<
    Tikv::WithCallbackMethod_RawPut<Tikv::WithCallbackMethod_RawBatchPut<Tikv::WithCallbackMethod_RawDelete<
        Tikv::WithCallbackMethod_RawBatchDelete<Tikv::WithCallbackMethod_RawScan<Tikv::WithCallbackMethod_RawDeleteRange<
            Tikv::WithRawCallbackMethod_BatchCommands<Tikv::Service>>>>>>>>>;
}  // namespace detail

class StoreService final : public detail::StoreServiceBase {
 public:
  StoreService(uint64_t store_id, RawHandler& handler, FaultInjector& faults, DelayQueue& delays);

  uint64_t store_id() const { return store_id_; }
  // Requests served, unary and batched, since start.
  uint64_t requests_served() const { return served_.load(std::memory_order_relaxed); }
  // When the first request since the last call was served (steady clock,
  // which is CLOCK_MONOTONIC and so comparable across processes), or the
  // clock's epoch when none was; starts the watch again.
  std::chrono::steady_clock::time_point take_first_served() {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(first_served_ns_.exchange(0)));
  }

  // Serves one request of a BatchCommands message into `response`. Returns
  // how long its reply is to be held back. Used by the stream.
  std::chrono::nanoseconds serve(const tikvpb::BatchCommandsRequest::Request& request,
                                 tikvpb::BatchCommandsResponse::Response* response);
  // Whether any request of `batch` names another cluster.
  bool cluster_id_mismatch(const tikvpb::BatchCommandsRequest& batch) const;
  DelayQueue& delays() { return delays_; }
  FaultInjector& faults() { return faults_; }

  grpc::ServerUnaryReactor* RawGet(grpc::CallbackServerContext* ctx, const kvrpcpb::RawGetRequest* request,
                                   kvrpcpb::RawGetResponse* response) override;
  grpc::ServerUnaryReactor* RawBatchGet(grpc::CallbackServerContext* ctx,
                                        const kvrpcpb::RawBatchGetRequest* request,
                                        kvrpcpb::RawBatchGetResponse* response) override;
  grpc::ServerUnaryReactor* RawPut(grpc::CallbackServerContext* ctx, const kvrpcpb::RawPutRequest* request,
                                   kvrpcpb::RawPutResponse* response) override;
  grpc::ServerUnaryReactor* RawBatchPut(grpc::CallbackServerContext* ctx,
                                        const kvrpcpb::RawBatchPutRequest* request,
                                        kvrpcpb::RawBatchPutResponse* response) override;
  grpc::ServerUnaryReactor* RawDelete(grpc::CallbackServerContext* ctx, const kvrpcpb::RawDeleteRequest* request,
                                      kvrpcpb::RawDeleteResponse* response) override;
  grpc::ServerUnaryReactor* RawBatchDelete(grpc::CallbackServerContext* ctx,
                                           const kvrpcpb::RawBatchDeleteRequest* request,
                                           kvrpcpb::RawBatchDeleteResponse* response) override;
  grpc::ServerUnaryReactor* RawScan(grpc::CallbackServerContext* ctx, const kvrpcpb::RawScanRequest* request,
                                    kvrpcpb::RawScanResponse* response) override;
  grpc::ServerUnaryReactor* RawDeleteRange(grpc::CallbackServerContext* ctx,
                                           const kvrpcpb::RawDeleteRangeRequest* request,
                                           kvrpcpb::RawDeleteRangeResponse* response) override;
  // Raw (wire bytes), so the stream can send undecodable messages on request.
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* BatchCommands(
      grpc::CallbackServerContext* ctx) override;

 private:
  // Runs one raw request through faults and handler; returns the delay.
  template <class Request, class Response>
  std::chrono::nanoseconds serve_raw(const Request& request, Response* response,
                                     void (RawHandler::*method)(uint64_t, const Request&, Response*));
  template <class Request, class Response>
  grpc::ServerUnaryReactor* serve_unary(grpc::CallbackServerContext* ctx, const Request& request,
                                        Response* response,
                                        void (RawHandler::*method)(uint64_t, const Request&, Response*));

  const uint64_t store_id_;
  RawHandler& handler_;
  FaultInjector& faults_;
  DelayQueue& delays_;
  std::atomic<uint64_t> served_{0};
  std::atomic<int64_t> first_served_ns_{0};  // 0: none since take_first_served()
};

}  // namespace tikvbench::mock
