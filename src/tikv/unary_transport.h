// UnaryTransport sends each request as its own unary RPC (RawGet, RawPut,
// ...), over `conns` channels per store. For comparison with the batch
// transport (--transport unary). Timeouts are gRPC deadlines.
//
// Cancellation: cancelling send()'s awaiting coroutine cancels the RPC
// (TryCancel); the completion carries kCancelled.
//
// Thread safety: send() may be called from any event-loop thread.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rpc/channel_factory.h"
#include "tikv/batch_transport.h"
#include "tikv/store_table.h"
#include "tikv/store_transport.h"
#include "tikvpb.grpc.pb.h"

namespace tikvbench::tikv {

class UnaryTransport final : public StoreTransport {
 public:
  UnaryTransport(const rpc::ChannelFactory& channels, TransportOptions options);

  asio::awaitable<Result<Response>> send(uint64_t store_id, std::string address, Request request) override;

 private:
  struct Store {
    std::string address;
    std::vector<std::unique_ptr<tikvpb::Tikv::Stub>> stubs;
    std::atomic<size_t> next{0};
  };
  std::shared_ptr<Store> store_for(uint64_t store_id, const std::string& address);

  const rpc::ChannelFactory& channels_;
  const TransportOptions options_;
  StoreTable<Store> stores_;
};

}  // namespace tikvbench::tikv
