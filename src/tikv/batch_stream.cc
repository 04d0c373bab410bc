#include "tikv/batch_stream.h"

#include "tikv/wire_format.h"

#include <vector>

#include <fmt/format.h>

namespace tikvbench::tikv {

namespace {

constexpr char kBatchCommandsMethod[] = "/tikvpb.Tikv/BatchCommands";
// BatchCommandsRequest and BatchCommandsResponse (tikvpb.proto).
constexpr uint32_t kRequestsField = 1;    // and `responses`
constexpr uint32_t kRequestIdsField = 2;  // in both

// Splits a BatchCommandsResponse into its responses' bytes and their ids.
bool split_batch_response(std::string_view reply, std::vector<std::string_view>& bodies,
                          std::vector<uint64_t>& ids) {
  wire::Reader reader(reply);
  while (reader.next()) {
    if (reader.field() == kRequestsField && reader.type() == wire::WireType::kLen) {
      bodies.push_back(reader.bytes());
    } else if (reader.field() == kRequestIdsField && reader.type() == wire::WireType::kLen) {
      if (!wire::for_each_packed_varint(reader.bytes(), [&](uint64_t id) { ids.push_back(id); })) return false;
    } else if (reader.field() == kRequestIdsField && reader.type() == wire::WireType::kVarint) {
      ids.push_back(reader.number());  // unpacked, which parsers must accept too
    }
  }
  return !reader.failed();
}

void count(StreamFaults* faults, std::atomic<uint64_t> StreamFaults::*counter) {
  if (faults != nullptr) (faults->*counter).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

std::shared_ptr<BatchStream> BatchStream::open(grpc::GenericStub& stub, size_t max_batch, StreamFaults* faults) {
  auto stream = std::shared_ptr<BatchStream>(new BatchStream(max_batch, faults));
  stream->self_ = stream;
  // Publishes the new stream to gRPC's threads as the reactions see it: they
  // take mu_, and gRPC's own hand-off is invisible to ThreadSanitizer.
  { std::lock_guard lock(stream->mu_); }
  stub.PrepareBidiStreamingCall(&stream->ctx_, kBatchCommandsMethod, grpc::StubOptions(), stream.get());
  stream->AddHold();  // writes start outside reactions; released in OnDone's path
  stream->StartRead(&stream->read_buffer_);
  stream->StartCall();
  return stream;
}

BatchStream::~BatchStream() = default;

void BatchStream::Batch::add(const Command& command, std::unique_ptr<PendingCall> call) {
  const size_t size = command.size();
  const size_t at = requests.size();
  requests.resize(at + wire::len_field_size(kRequestsField, size));
  command.write(wire::put_len_header(requests.data() + at, kRequestsField, size));
  calls.push_back(std::move(call));
}

bool BatchStream::send(Batch& batch, std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    if (broken_) return false;
    if (queue_.empty() || queue_.back().ids.size() + batch.calls.size() > max_batch_) queue_.emplace_back();
    auto& message = queue_.back();
    if (message.requests.empty()) {
      message.requests = std::move(batch.requests);
    } else {
      message.requests += batch.requests;
    }
    for (auto& call : batch.calls) message.ids.push_back(pending_.add(std::move(call), deadline));
  }
  batch.requests.clear();
  batch.calls.clear();
  pump();
  return true;
}

void BatchStream::pump() {
  Message message;
  {
    std::lock_guard lock(mu_);
    if (writing_ || broken_ || queue_.empty()) return;
    message = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    ++messages_sent_;
    requests_sent_ += message.ids.size();
  }
  // The message is ours now: add the ids and hand its bytes to gRPC, which
  // frees them when it is done with them.
  size_t ids_size = 0;
  for (uint64_t id : message.ids) ids_size += wire::varint_size(id);
  auto bytes = std::make_unique<std::string>(std::move(message.requests));
  const size_t at = bytes->size();
  bytes->resize(at + wire::len_field_size(kRequestIdsField, ids_size));
  char* out = wire::put_len_header(bytes->data() + at, kRequestIdsField, ids_size);
  for (uint64_t id : message.ids) out = wire::put_varint(out, id);
  std::string* owned = bytes.release();
  grpc::Slice slice(owned->data(), owned->size(), [](void* p) { delete static_cast<std::string*>(p); }, owned);
  write_buffer_ = grpc::ByteBuffer(&slice, 1);
  // write_buffer_ is not touched again until OnWriteDone.
  StartWrite(&write_buffer_);
}

void BatchStream::OnWriteDone(bool ok) {
  bool release = false;
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) broken_ = true;  // the stream is ending; OnDone fails the calls
    release = broken_ && !hold_released_;
    hold_released_ |= release;
  }
  if (release) RemoveHold();
  else pump();
}

void BatchStream::stop_writing() {
  bool release = false;
  {
    std::lock_guard lock(mu_);
    broken_ = true;
    release = !writing_ && !hold_released_;
    hold_released_ |= release;
  }
  if (release) RemoveHold();
}

void BatchStream::OnReadDone(bool ok) {
  if (!ok) {
    // The server ended the stream or the connection broke. No more writes;
    // once none is in flight, release the hold so OnDone can come.
    stop_writing();
    return;
  }
  grpc::Slice slice;
  const bool whole = read_buffer_.DumpToSingleSlice(&slice).ok();
  read_buffer_.Clear();
  if (!whole || !dispatch(std::string_view(reinterpret_cast<const char*>(slice.begin()), slice.size()))) {
    // Not a BatchCommandsResponse: this stream cannot be trusted any more.
    count(faults_, &StreamFaults::undecodable);
    {
      std::lock_guard lock(mu_);
      ended_by_us_ = true;
    }
    stop_writing();
    ctx_.TryCancel();
    return;
  }
  StartRead(&read_buffer_);
}

bool BatchStream::dispatch(std::string_view reply) {
  reply_bodies_.clear();
  reply_ids_.clear();
  if (!split_batch_response(reply, reply_bodies_, reply_ids_)) return false;
  const size_t n = std::min(reply_bodies_.size(), reply_ids_.size());
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < n; ++i) {
      auto call = pending_.take(reply_ids_[i]);
      if (!call) {
        // Timed out already, or an id we never sent: dropped, counted.
        count(faults_, &StreamFaults::unmatched);
        continue;
      }
      matched_.emplace_back(std::move(call), i);
    }
  }
  // Each call decodes its answer here, on gRPC's thread, off the loops.
  std::vector<std::unique_ptr<PendingCall>> done;
  done.reserve(matched_.size());
  for (auto& [call, index] : matched_) {
    call->set_reply(reply_bodies_[index]);
    done.push_back(std::move(call));
  }
  matched_.clear();
  PendingCall::complete_all(std::move(done));
  return true;
}

void BatchStream::OnDone(const grpc::Status& status) {
  bool owed = false;
  bool ended_by_us = false;
  {
    std::lock_guard lock(mu_);
    owed = !pending_.empty();
    ended_by_us = ended_by_us_;
  }
  if (!ended_by_us && status.ok() && owed) count(faults_, &StreamFaults::truncated);
  if (!ended_by_us && !status.ok()) count(faults_, &StreamFaults::reset);
  fail_all(Status(StatusCode::kUnavailable,
                  fmt::format("BatchCommands stream ended: {} ({})", status.error_message(),
                              static_cast<int>(status.error_code()))));
  // The latch outlives the stream, which may end with gRPC's reference.
  const auto released = released_;
  std::shared_ptr<BatchStream> grpc_reference;
  {
    std::lock_guard lock(mu_);
    grpc_reference = std::move(self_);
  }
  grpc_reference.reset();
  released->count_down();
}

void BatchStream::fail_all(const Status& status) {
  std::vector<std::unique_ptr<PendingCall>> failed;
  {
    std::lock_guard lock(mu_);
    broken_ = true;
    failed = pending_.take_all();
    queue_.clear();
  }
  for (auto& call : failed) PendingCall::complete(std::move(call), status);
}

void BatchStream::sweep(std::chrono::steady_clock::time_point now) {
  std::vector<std::unique_ptr<PendingCall>> expired;
  {
    std::lock_guard lock(mu_);
    // Deadlines come in order (one timeout for all), so expired calls are
    // the oldest.
    pending_.take_expired(now, expired);
  }
  for (auto& call : expired) {
    PendingCall::complete(std::move(call), Status(StatusCode::kTimeout, "request timed out"));
  }
}

void BatchStream::close() {
  {
    std::lock_guard lock(mu_);
    ended_by_us_ = true;
  }
  fail_all(Status(StatusCode::kCancelled, "client closing"));
  ctx_.TryCancel();
  stop_writing();
}

bool BatchStream::broken() const {
  std::lock_guard lock(mu_);
  return broken_;
}

uint64_t BatchStream::messages_sent() const {
  std::lock_guard lock(mu_);
  return messages_sent_;
}

uint64_t BatchStream::requests_sent() const {
  std::lock_guard lock(mu_);
  return requests_sent_;
}

}  // namespace tikvbench::tikv
