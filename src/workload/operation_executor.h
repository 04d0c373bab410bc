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

// What one operation came to: its status, when it succeeded how many of the
// keys it looked for it did not find (a read or a scan that found nothing:
// 1; a batch get: each missing key), and where its requests went.
struct OpOutcome {
  Status status;
  uint32_t not_found = 0;
  tikv::OpTrace trace;
};

class OperationExecutor {
 public:
  // `verify` may be null: no checking.
  OperationExecutor(tikv::RawClient& raw, OperationSource& source, VerifyTracker* verify);

  // Runs `op`; returns its outcome. Suspends. Reads nothing of `op` or
  // `rng` after it returns the awaitable.
  asio::awaitable<OpOutcome> execute(const Operation& op, Rng& rng);

 private:
  // One coroutine per kind of operation.
  asio::awaitable<OpOutcome> read(int64_t record);
  asio::awaitable<OpOutcome> write(int64_t record, std::string payload);
  asio::awaitable<OpOutcome> insert(int64_t record, std::string payload);
  asio::awaitable<OpOutcome> scan(int64_t record, uint32_t length);
  asio::awaitable<OpOutcome> read_modify_write(int64_t record, std::string payload);
  asio::awaitable<OpOutcome> del(int64_t record);
  asio::awaitable<OpOutcome> batch_get(std::vector<int64_t> records);
  asio::awaitable<OpOutcome> batch_put(std::vector<int64_t> records, std::vector<std::string> payloads);
  static asio::awaitable<OpOutcome> failed(Status status);

  tikv::RawClient& raw_;
  OperationSource& source_;
  VerifyTracker* const verify_;
};

}  // namespace tikvbench::workload
