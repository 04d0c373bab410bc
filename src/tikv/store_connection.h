// StoreConnection is one of a store's connections (client-go keeps 4): its
// gRPC channel (a TCP connection of its own), its BatchCommands stream, and
// the backoff before a broken stream is replaced: tikvRPC's base and cap
// (rpc/backoff.h), doubling per failure in a row, without jitter, counted
// from when the break was noticed.
//
// Thread safety: every method may be called from any thread (a mutex).
// Lifetime: the channel factory and the registry must outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/generic/generic_stub.h>

#include "rpc/channel_factory.h"
#include "tikv/batch_stream.h"
#include "tikv/stream_registry.h"

namespace tikvbench::tikv {

class StoreConnection {
 public:
  // The connection `index` (0-based) of the store at `address`.
  StoreConnection(const rpc::ChannelFactory& channels, StreamRegistry& registry, std::string address, int index,
                  size_t max_batch)
      : channels_(channels), registry_(registry), address_(std::move(address)), index_(index), max_batch_(max_batch) {}

  // The live stream, opening one (and the channel, the first time) when
  // there is none or it broke and the reconnect backoff has passed; null
  // while backing off.
  std::shared_ptr<BatchStream> stream();
  // The stream as it is, broken or not; null before the first.
  std::shared_ptr<BatchStream> current() const;
  // The store moved away: the stream's figures go to the registry; it ends
  // as its calls finish.
  void retire();

  // The wait before reopening after `failures` breaks in a row.
  static std::chrono::milliseconds reconnect_delay(int failures);

 private:
  const rpc::ChannelFactory& channels_;
  StreamRegistry& registry_;
  const std::string address_;
  const int index_;
  const size_t max_batch_;

  mutable std::mutex mu_;
  std::shared_ptr<grpc::Channel> channel_;           // Guarded by mu_.
  std::unique_ptr<grpc::GenericStub> stub_;          // Guarded by mu_.
  std::shared_ptr<BatchStream> stream_;              // Guarded by mu_.
  std::chrono::steady_clock::time_point retry_after_;  // Guarded by mu_; zero: not backing off.
  int failures_ = 0;                                 // Guarded by mu_.
};

}  // namespace tikvbench::tikv
