#include "workload/operation_executor.h"

#include <optional>
#include <string_view>
#include <vector>

#include "workload/verified_value.h"

namespace tikvbench::workload {

OperationExecutor::OperationExecutor(tikv::RawClient& raw, OperationSource& source, VerifyTracker* verify)
    : raw_(raw), source_(source), verify_(verify) {}

asio::awaitable<Status> OperationExecutor::read(int64_t record) {
  const auto key = source_.row_key(record);
  VerifyTracker::ReadToken token;
  if (verify_) token = verify_->begin_read(record);
  auto value = co_await raw_.get(key);
  if (!value.ok()) co_return value.status();
  if (verify_) {
    std::optional<std::string_view> found;
    if (value->has_value()) found = **value;
    verify_->end_read(record, token, key, found);
  }
  co_return Status();
}

asio::awaitable<Status> OperationExecutor::write(int64_t record, std::string payload) {
  auto key = source_.row_key(record);
  if (!verify_) co_return co_await raw_.put(std::move(key), std::move(payload));
  const uint64_t version = verify_->begin_write(record);
  auto sealed = seal_value(key, version, payload);
  auto status = co_await raw_.put(std::move(key), std::move(sealed));
  verify_->end_write(record, version, status.ok());
  co_return status;
}

asio::awaitable<Status> OperationExecutor::execute(const Operation& op, Rng& rng) {
  switch (op.type) {
    case OpType::kRead: co_return co_await read(op.keys.front());
    case OpType::kUpdate: co_return co_await write(op.keys.front(), source_.make_value(rng));
    case OpType::kInsert: {
      auto status = co_await write(op.keys.front(), source_.make_value(rng));
      source_.acknowledge_insert(op.keys.front());
      co_return status;
    }
    case OpType::kScan: {
      auto found = co_await raw_.scan(source_.row_key(op.keys.front()), "", static_cast<uint32_t>(op.scan_length));
      if (!found.ok()) co_return found.status();
      if (verify_) {
        // Scans judge integrity only: their keys are not pinned by a token.
        for (const auto& pair : *found) {
          if (!open_value(pair.key, pair.value).intact) {
            verify_->end_read(-1, {}, pair.key, pair.value);
          }
        }
      }
      co_return Status();
    }
    case OpType::kReadModifyWrite: {
      auto status = co_await read(op.keys.front());
      if (!status.ok()) co_return status;
      co_return co_await write(op.keys.front(), source_.make_value(rng));
    }
    case OpType::kDelete: {
      const int64_t record = op.keys.front();
      if (!verify_) co_return co_await raw_.del(source_.row_key(record));
      const uint64_t version = verify_->begin_write(record);
      auto status = co_await raw_.del(source_.row_key(record));
      verify_->end_write(record, version, status.ok(), /*is_delete=*/true);
      co_return status;
    }
    case OpType::kBatchGet: {
      std::vector<std::string> keys;
      for (int64_t record : op.keys) keys.push_back(source_.row_key(record));
      auto found = co_await raw_.batch_get(std::move(keys));
      if (!found.ok()) co_return found.status();
      if (verify_) {
        for (const auto& pair : *found) {
          if (!open_value(pair.key, pair.value).intact) verify_->end_read(-1, {}, pair.key, pair.value);
        }
      }
      co_return Status();
    }
    case OpType::kBatchPut: {
      std::vector<tikv::KvPair> pairs;
      std::vector<uint64_t> versions;
      for (int64_t record : op.keys) {
        auto key = source_.row_key(record);
        auto payload = source_.make_value(rng);
        if (verify_) {
          versions.push_back(verify_->begin_write(record));
          payload = seal_value(key, versions.back(), payload);
        }
        pairs.push_back({std::move(key), std::move(payload)});
      }
      auto status = co_await raw_.batch_put(std::move(pairs));
      if (verify_) {
        for (size_t i = 0; i < op.keys.size(); ++i) verify_->end_write(op.keys[i], versions[i], status.ok());
      }
      co_return status;
    }
  }
  co_return Status(StatusCode::kInternal, "unknown operation");
}

}  // namespace tikvbench::workload
