#include "mock/store_service.h"

#include <type_traits>

#include "mock/batch_commands_stream.h"

namespace tikvbench::mock {
namespace {

const grpc::Status kClusterIdMismatch(grpc::StatusCode::INVALID_ARGUMENT,
                                      "the cluster id of the request does not match the TiKV cluster");

// Empty requests with delay_time of 10 ms or more are held that long, as TiKV does.
constexpr uint64_t kMinEmptyDelayMs = 10;

}  // namespace

StoreService::StoreService(uint64_t store_id, RawHandler& handler, FaultInjector& faults, DelayQueue& delays)
    : store_id_(store_id), handler_(handler), faults_(faults), delays_(delays) {}

template <class Request, class Response>
std::chrono::nanoseconds StoreService::serve_raw(const Request& request, Response* response,
                                                 void (RawHandler::*method)(uint64_t, const Request&, Response*)) {
  served_.fetch_add(1, std::memory_order_relaxed);
  if (first_served_ns_.load(std::memory_order_relaxed) == 0) {
    int64_t none = 0;
    first_served_ns_.compare_exchange_strong(
        none, std::chrono::steady_clock::now().time_since_epoch() / std::chrono::nanoseconds(1));
  }
  if (faults_.draw_busy()) {
    auto* error = response->mutable_region_error();
    error->set_message("server is busy");
    error->mutable_server_is_busy()->set_reason("mock cluster: injected busy");
  } else if (std::is_same_v<Request, kvrpcpb::RawPutRequest> && faults_.take_dropped_write()) {
    // Acknowledged but never stored: a lost write, for --verify to catch.
  } else {
    (handler_.*method)(store_id_, request, response);
  }
  // A capped cluster queues the reply behind the requests before it, and
  // then the store's own latency applies.
  return faults_.rate_cap().admit(std::chrono::steady_clock::now()) + faults_.draw_latency(store_id_);
}

template <class Request, class Response>
grpc::ServerUnaryReactor* StoreService::serve_unary(grpc::CallbackServerContext* ctx, const Request& request,
                                                    Response* response,
                                                    void (RawHandler::*method)(uint64_t, const Request&, Response*)) {
  auto* reactor = ctx->DefaultReactor();
  if (handler_.cluster_id_mismatch(request.context())) {
    reactor->Finish(kClusterIdMismatch);
    return reactor;
  }
  const auto delay = serve_raw(request, response, method);
  if (delay.count() == 0) {
    reactor->Finish(grpc::Status::OK);
  } else {
    delays_.schedule(delay, [reactor] { reactor->Finish(grpc::Status::OK); });
  }
  return reactor;
}

std::chrono::nanoseconds StoreService::serve(const tikvpb::BatchCommandsRequest::Request& request,
                                             tikvpb::BatchCommandsResponse::Response* response) {
  using Cmd = tikvpb::BatchCommandsRequest::Request;
  switch (request.cmd_case()) {
    case Cmd::kRawGet: return serve_raw(request.rawget(), response->mutable_rawget(), &RawHandler::get);
    case Cmd::kRawBatchGet:
      return serve_raw(request.rawbatchget(), response->mutable_rawbatchget(), &RawHandler::batch_get);
    case Cmd::kRawPut: return serve_raw(request.rawput(), response->mutable_rawput(), &RawHandler::put);
    case Cmd::kRawBatchPut:
      return serve_raw(request.rawbatchput(), response->mutable_rawbatchput(), &RawHandler::batch_put);
    case Cmd::kRawDelete: return serve_raw(request.rawdelete(), response->mutable_rawdelete(), &RawHandler::del);
    case Cmd::kRawBatchDelete:
      return serve_raw(request.rawbatchdelete(), response->mutable_rawbatchdelete(), &RawHandler::batch_delete);
    case Cmd::kRawScan: return serve_raw(request.rawscan(), response->mutable_rawscan(), &RawHandler::scan);
    case Cmd::kRawDeleteRange:
      return serve_raw(request.rawdeleterange(), response->mutable_rawdeleterange(), &RawHandler::delete_range);
    case Cmd::kEmpty: {
      response->mutable_empty()->set_test_id(request.empty().test_id());
      const uint64_t delay_ms = request.empty().delay_time();
      return std::chrono::milliseconds(delay_ms >= kMinEmptyDelayMs ? delay_ms : 0);
    }
    case Cmd::CMD_NOT_SET:
      // TiKV answers a command it does not know with an empty response.
      return std::chrono::nanoseconds(0);
  }
  return std::chrono::nanoseconds(0);
}

bool StoreService::cluster_id_mismatch(const tikvpb::BatchCommandsRequest& batch) const {
  using Cmd = tikvpb::BatchCommandsRequest::Request;
  for (const auto& request : batch.requests()) {
    const kvrpcpb::Context* context = nullptr;
    switch (request.cmd_case()) {
      case Cmd::kRawGet: context = &request.rawget().context(); break;
      case Cmd::kRawBatchGet: context = &request.rawbatchget().context(); break;
      case Cmd::kRawPut: context = &request.rawput().context(); break;
      case Cmd::kRawBatchPut: context = &request.rawbatchput().context(); break;
      case Cmd::kRawDelete: context = &request.rawdelete().context(); break;
      case Cmd::kRawBatchDelete: context = &request.rawbatchdelete().context(); break;
      case Cmd::kRawScan: context = &request.rawscan().context(); break;
      case Cmd::kRawDeleteRange: context = &request.rawdeleterange().context(); break;
      default: break;
    }
    if (context && handler_.cluster_id_mismatch(*context)) return true;
  }
  return false;
}

grpc::ServerUnaryReactor* StoreService::RawGet(grpc::CallbackServerContext* ctx,
                                               const kvrpcpb::RawGetRequest* request,
                                               kvrpcpb::RawGetResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::get);
}

grpc::ServerUnaryReactor* StoreService::RawBatchGet(grpc::CallbackServerContext* ctx,
                                                    const kvrpcpb::RawBatchGetRequest* request,
                                                    kvrpcpb::RawBatchGetResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::batch_get);
}

grpc::ServerUnaryReactor* StoreService::RawPut(grpc::CallbackServerContext* ctx,
                                               const kvrpcpb::RawPutRequest* request,
                                               kvrpcpb::RawPutResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::put);
}

grpc::ServerUnaryReactor* StoreService::RawBatchPut(grpc::CallbackServerContext* ctx,
                                                    const kvrpcpb::RawBatchPutRequest* request,
                                                    kvrpcpb::RawBatchPutResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::batch_put);
}

grpc::ServerUnaryReactor* StoreService::RawDelete(grpc::CallbackServerContext* ctx,
                                                  const kvrpcpb::RawDeleteRequest* request,
                                                  kvrpcpb::RawDeleteResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::del);
}

grpc::ServerUnaryReactor* StoreService::RawBatchDelete(grpc::CallbackServerContext* ctx,
                                                       const kvrpcpb::RawBatchDeleteRequest* request,
                                                       kvrpcpb::RawBatchDeleteResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::batch_delete);
}

grpc::ServerUnaryReactor* StoreService::RawScan(grpc::CallbackServerContext* ctx,
                                                const kvrpcpb::RawScanRequest* request,
                                                kvrpcpb::RawScanResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::scan);
}

grpc::ServerUnaryReactor* StoreService::RawDeleteRange(grpc::CallbackServerContext* ctx,
                                                       const kvrpcpb::RawDeleteRangeRequest* request,
                                                       kvrpcpb::RawDeleteRangeResponse* response) {
  return serve_unary(ctx, *request, response, &RawHandler::delete_range);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StoreService::BatchCommands(
    grpc::CallbackServerContext* ctx) {
  return BatchCommandsStream::start(*this);
}

}  // namespace tikvbench::mock
