#include "tikv/unary_transport.h"


#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "rpc/unary_call.h"

namespace tikvbench::tikv {
namespace {

constexpr auto kUseAwaitable = asio::experimental::as_tuple(asio::use_awaitable);

Status transport_error(const grpc::Status& status, uint64_t store_id) {
  const auto code = status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? StatusCode::kTimeout
                    : status.error_code() == grpc::StatusCode::CANCELLED       ? StatusCode::kCancelled
                                                                               : StatusCode::kUnavailable;
  return Status(code, fmt::format("store {}: {} ({})", store_id, status.error_message(),
                                  static_cast<int>(status.error_code())));
}

// One typed unary call; `set` moves the typed reply into the oneof.
template <class Reply, class Call, class Set>
asio::awaitable<Result<Response>> unary(Call call, Set set, std::chrono::nanoseconds timeout, uint64_t store_id) {
  auto [status, reply] = co_await rpc::async_unary<Reply>(std::move(call), timeout, kUseAwaitable);
  if (!status.ok()) co_return transport_error(status, store_id);
  Response response;
  set(response)->Swap(&reply);
  co_return response;
}

}  // namespace

UnaryTransport::UnaryTransport(const rpc::ChannelFactory& channels, TransportOptions options)
    : channels_(channels), options_(options) {}

std::shared_ptr<UnaryTransport::Store> UnaryTransport::store_for(uint64_t store_id, const std::string& address) {
  return stores_.find_or_make(
      store_id, address,
      [&] {
        auto fresh = std::make_shared<Store>();
        fresh->address = address;
        for (size_t i = 0; i < options_.conns; ++i) {
          fresh->stubs.push_back(tikvpb::Tikv::NewStub(channels_.make(address, static_cast<int>(i) + 1)));
        }
        return fresh;
      },
      [](const Store&) {});
}

asio::awaitable<Result<Response>> UnaryTransport::send(uint64_t store_id, std::string address, Request request) {
  auto store = store_for(store_id, address);
  auto& stub = *store->stubs[store->next.fetch_add(1, std::memory_order_relaxed) % store->stubs.size()];
  const auto timeout = options_.timeout;
  using Cmd = Request::CmdCase;
  switch (request.cmd_case()) {
    case Cmd::kRawGet:
      co_return co_await unary<kvrpcpb::RawGetResponse>(
          [&](auto* ctx, auto* out, auto done) { stub.async()->RawGet(ctx, &request.rawget(), out, std::move(done)); },
          [](Response& r) { return r.mutable_rawget(); }, timeout, store_id);
    case Cmd::kRawBatchGet:
      co_return co_await unary<kvrpcpb::RawBatchGetResponse>(
          [&](auto* ctx, auto* out, auto done) {
            stub.async()->RawBatchGet(ctx, &request.rawbatchget(), out, std::move(done));
          },
          [](Response& r) { return r.mutable_rawbatchget(); }, timeout, store_id);
    case Cmd::kRawPut:
      co_return co_await unary<kvrpcpb::RawPutResponse>(
          [&](auto* ctx, auto* out, auto done) { stub.async()->RawPut(ctx, &request.rawput(), out, std::move(done)); },
          [](Response& r) { return r.mutable_rawput(); }, timeout, store_id);
    case Cmd::kRawBatchPut:
      co_return co_await unary<kvrpcpb::RawBatchPutResponse>(
          [&](auto* ctx, auto* out, auto done) {
            stub.async()->RawBatchPut(ctx, &request.rawbatchput(), out, std::move(done));
          },
          [](Response& r) { return r.mutable_rawbatchput(); }, timeout, store_id);
    case Cmd::kRawDelete:
      co_return co_await unary<kvrpcpb::RawDeleteResponse>(
          [&](auto* ctx, auto* out, auto done) {
            stub.async()->RawDelete(ctx, &request.rawdelete(), out, std::move(done));
          },
          [](Response& r) { return r.mutable_rawdelete(); }, timeout, store_id);
    case Cmd::kRawBatchDelete:
      co_return co_await unary<kvrpcpb::RawBatchDeleteResponse>(
          [&](auto* ctx, auto* out, auto done) {
            stub.async()->RawBatchDelete(ctx, &request.rawbatchdelete(), out, std::move(done));
          },
          [](Response& r) { return r.mutable_rawbatchdelete(); }, timeout, store_id);
    case Cmd::kRawScan:
      co_return co_await unary<kvrpcpb::RawScanResponse>(
          [&](auto* ctx, auto* out, auto done) { stub.async()->RawScan(ctx, &request.rawscan(), out, std::move(done)); },
          [](Response& r) { return r.mutable_rawscan(); }, timeout, store_id);
    case Cmd::kRawDeleteRange:
      co_return co_await unary<kvrpcpb::RawDeleteRangeResponse>(
          [&](auto* ctx, auto* out, auto done) {
            stub.async()->RawDeleteRange(ctx, &request.rawdeleterange(), out, std::move(done));
          },
          [](Response& r) { return r.mutable_rawdeleterange(); }, timeout, store_id);
    default:
      co_return Status(StatusCode::kInvalidArgument, "the unary transport carries raw requests only");
  }
}

}  // namespace tikvbench::tikv
