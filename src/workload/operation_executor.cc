#include "workload/operation_executor.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "workload/verified_value.h"

namespace tikvbench::workload {

OperationExecutor::OperationExecutor(tikv::RawClient& raw, OperationSource& source, VerifyTracker* verify)
    : raw_(raw), source_(source), verify_(verify) {}

asio::awaitable<OpOutcome> OperationExecutor::read(int64_t record) {
  const auto key = source_.row_key(record);
  VerifyTracker::ReadToken token;
  if (verify_) token = verify_->begin_read(record);
  tikv::OpTrace trace;
  auto value = co_await raw_.get(key, &trace);
  if (!value.ok()) co_return OpOutcome{value.status(), 0, std::move(trace)};
  if (verify_) {
    std::optional<std::string_view> found;
    if (value->has_value()) found = **value;
    verify_->end_read(record, token, key, found);
  }
  co_return OpOutcome{Status(), value->has_value() ? 0u : 1u, std::move(trace)};
}

asio::awaitable<OpOutcome> OperationExecutor::write(int64_t record, std::string payload) {
  auto key = source_.row_key(record);
  tikv::OpTrace trace;
  if (!verify_) {
    // (Awaited into a local: g++ 12 miscompiles co_await inside an initializer.)
    auto status = co_await raw_.put(std::move(key), std::move(payload), &trace);
    co_return OpOutcome{std::move(status), 0, std::move(trace)};
  }
  const uint64_t version = verify_->begin_write(record);
  auto sealed = seal_value(key, version, payload);
  auto status = co_await raw_.put(std::move(key), std::move(sealed), &trace);
  verify_->end_write(record, version, status.ok());
  co_return OpOutcome{std::move(status), 0, std::move(trace)};
}

// Not a coroutine itself: it hands over the coroutine of the operation's
// kind, so an operation in flight holds only that one's frame. (As one
// coroutine with a case for each kind, its frame had room for every case's
// locals at once: 1.5 KiB per operation in flight.)
asio::awaitable<OpOutcome> OperationExecutor::execute(const Operation& op, Rng& rng) {
  const int64_t record = op.keys.front();
  switch (op.type) {
    case OpType::kRead: return read(record);
    case OpType::kUpdate: return write(record, source_.make_value(rng));
    case OpType::kInsert: return insert(record, source_.make_value(rng));
    case OpType::kScan: return scan(record, static_cast<uint32_t>(op.scan_length));
    case OpType::kReadModifyWrite: return read_modify_write(record, source_.make_value(rng));
    case OpType::kDelete: return del(record);
    case OpType::kBatchGet: return batch_get(op.keys);
    case OpType::kBatchPut: {
      std::vector<std::string> payloads;
      payloads.reserve(op.keys.size());
      for (size_t i = 0; i < op.keys.size(); ++i) payloads.push_back(source_.make_value(rng));
      return batch_put(op.keys, std::move(payloads));
    }
  }
  return failed(Status(StatusCode::kInternal, "unknown operation"));
}

asio::awaitable<OpOutcome> OperationExecutor::insert(int64_t record, std::string payload) {
  auto outcome = co_await write(record, std::move(payload));
  source_.acknowledge_insert(record);
  co_return outcome;
}

asio::awaitable<OpOutcome> OperationExecutor::scan(int64_t record, uint32_t length) {
  tikv::OpTrace trace;
  auto found = co_await raw_.scan(source_.row_key(record), "", length, false, false, &trace);
  if (!found.ok()) co_return OpOutcome{found.status(), 0, std::move(trace)};
  if (verify_) {
    // Scans judge integrity only: their keys are not pinned by a token.
    for (const auto& pair : *found) {
      if (!open_value(pair.key, pair.value).intact) verify_->end_read(-1, {}, pair.key, pair.value);
    }
  }
  co_return OpOutcome{Status(), found->empty() ? 1u : 0u, std::move(trace)};
}

asio::awaitable<OpOutcome> OperationExecutor::read_modify_write(int64_t record, std::string payload) {
  auto outcome = co_await read(record);
  if (!outcome.status.ok()) co_return outcome;
  auto written = co_await write(record, std::move(payload));
  written.not_found = outcome.not_found;
  co_return written;
}

asio::awaitable<OpOutcome> OperationExecutor::del(int64_t record) {
  tikv::OpTrace trace;
  if (!verify_) {
    auto status = co_await raw_.del(source_.row_key(record), &trace);
    co_return OpOutcome{std::move(status), 0, std::move(trace)};
  }
  const uint64_t version = verify_->begin_write(record);
  auto status = co_await raw_.del(source_.row_key(record), &trace);
  verify_->end_write(record, version, status.ok(), /*is_delete=*/true);
  co_return OpOutcome{std::move(status), 0, std::move(trace)};
}

asio::awaitable<OpOutcome> OperationExecutor::batch_get(std::vector<int64_t> records) {
  std::vector<std::string> keys;
  keys.reserve(records.size());
  for (int64_t record : records) keys.push_back(source_.row_key(record));
  // A batch may name a record twice; each distinct key is looked for once.
  std::sort(records.begin(), records.end());
  const auto asked = static_cast<size_t>(std::unique(records.begin(), records.end()) - records.begin());
  tikv::OpTrace trace;
  auto found = co_await raw_.batch_get(std::move(keys), &trace);
  if (!found.ok()) co_return OpOutcome{found.status(), 0, std::move(trace)};
  if (verify_) {
    for (const auto& pair : *found) {
      if (!open_value(pair.key, pair.value).intact) verify_->end_read(-1, {}, pair.key, pair.value);
    }
  }
  // As client-go, a pair with an empty value is a key not found.
  const auto present = static_cast<size_t>(
      std::count_if(found->begin(), found->end(), [](const tikv::KvPair& pair) { return !pair.value.empty(); }));
  co_return OpOutcome{Status(), static_cast<uint32_t>(asked > present ? asked - present : 0), std::move(trace)};
}

asio::awaitable<OpOutcome> OperationExecutor::batch_put(std::vector<int64_t> records, std::vector<std::string> payloads) {
  std::vector<tikv::KvPair> pairs;
  std::vector<uint64_t> versions;
  pairs.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    auto key = source_.row_key(records[i]);
    auto payload = std::move(payloads[i]);
    if (verify_) {
      versions.push_back(verify_->begin_write(records[i]));
      payload = seal_value(key, versions.back(), payload);
    }
    pairs.push_back({std::move(key), std::move(payload)});
  }
  tikv::OpTrace trace;
  auto status = co_await raw_.batch_put(std::move(pairs), &trace);
  if (verify_) {
    for (size_t i = 0; i < records.size(); ++i) verify_->end_write(records[i], versions[i], status.ok());
  }
  co_return OpOutcome{std::move(status), 0, std::move(trace)};
}

asio::awaitable<OpOutcome> OperationExecutor::failed(Status status) { co_return OpOutcome{std::move(status), 0, {}}; }

}  // namespace tikvbench::workload
