// OperationExecutor carries out one operation of a workload through the raw
// client: the records it names become row keys and writes get fresh values
// from the OperationSource. With a VerifyTracker every write is sealed and
// tracked, every read is checked against the writes acknowledged before it,
// and scans and batch gets check the integrity of what they find.
//
// Thread safety: execute() may run on several event loops at once, as the
// raw client, OperationSource and VerifyTracker allow.
// Lifetime: raw, source and verify must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "tikv/raw_client.h"
#include "util/status.h"
#include "workload/operation_source.h"
#include "workload/rng.h"
#include "workload/verify_tracker.h"

namespace tikvbench::workload {

class OperationExecutor {
 public:
  // `verify` may be null: no checking.
  OperationExecutor(tikv::RawClient& raw, OperationSource& source, VerifyTracker* verify);

  // Runs `op`; returns its status. Suspends. Reads nothing of `op` or
  // `rng` after it returns the awaitable.
  asio::awaitable<Status> execute(const Operation& op, Rng& rng);

 private:
  // One coroutine per kind of operation.
  asio::awaitable<Status> read(int64_t record);
  asio::awaitable<Status> write(int64_t record, std::string payload);
  asio::awaitable<Status> insert(int64_t record, std::string payload);
  asio::awaitable<Status> scan(int64_t record, uint32_t length);
  asio::awaitable<Status> read_modify_write(int64_t record, std::string payload);
  asio::awaitable<Status> del(int64_t record);
  asio::awaitable<Status> batch_get(std::vector<int64_t> records);
  asio::awaitable<Status> batch_put(std::vector<int64_t> records, std::vector<std::string> payloads);
  static asio::awaitable<Status> failed(Status status);

  tikv::RawClient& raw_;
  OperationSource& source_;
  VerifyTracker* const verify_;
};

}  // namespace tikvbench::workload
