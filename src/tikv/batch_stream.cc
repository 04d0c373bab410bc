#include "tikv/batch_stream.h"

#include <vector>

#include <asio/post.hpp>

#include <fmt/format.h>

namespace tikvbench::tikv {

namespace {

void count(StreamFaults* faults, std::atomic<uint64_t> StreamFaults::*counter) {
  if (faults != nullptr) (faults->*counter).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

std::shared_ptr<BatchStream> BatchStream::open(BatchCommandsStub& stub, size_t max_batch, StreamFaults* faults) {
  // The method's name must outlive the call's creation only; a literal does.
  static const std::string kMethod = "/tikvpb.Tikv/BatchCommands";
  auto stream = std::shared_ptr<BatchStream>(new BatchStream(max_batch, faults));
  stream->self_ = stream;
  stub.PrepareBidiStreamingCall(&stream->ctx_, kMethod, grpc::StubOptions(), stream.get());
  stream->AddHold();  // writes start outside reactions; released in OnDone's path
  stream->StartRead(&stream->reply_);
  stream->StartCall();
  return stream;
}

BatchStream::~BatchStream() = default;

std::unique_ptr<PendingCall> BatchStream::enqueue(Request&& request, std::unique_ptr<PendingCall> call,
                                                  const asio::any_io_executor& executor) {
  {
    std::lock_guard lock(mu_);
    if (broken_) return call;
    const uint64_t id = next_id_++;
    deadlines_.emplace_back(call->deadline, id);
    pending_.emplace(id, std::move(call));
    queue_.emplace_back(id, std::move(request));
  }
  if (!flush_posted_.exchange(true, std::memory_order_acq_rel)) {
    asio::post(executor, [self = shared_from_this()] {
      self->flush_posted_.store(false, std::memory_order_release);
      self->pump();
    });
  }
  return nullptr;
}

void BatchStream::pump() {
  {
    std::lock_guard lock(mu_);
    if (writing_ || broken_ || queue_.empty()) return;
    message_.Clear();
    const size_t n = std::min(max_batch_, queue_.size());
    for (size_t i = 0; i < n; ++i) {
      auto& [id, request] = queue_.front();
      message_.add_requests()->Swap(&request);
      message_.add_request_ids(id);
      queue_.pop_front();
    }
    writing_ = true;
    ++messages_sent_;
    requests_sent_ += n;
  }
  // message_ is not touched again until OnWriteDone.
  StartWrite(&message_);
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

void BatchStream::OnReadDone(bool ok) {
  if (ok && reply_.undecodable) {
    // The replies in it cannot be matched: give up on the stream, so its
    // calls fail now and are retried on a new one.
    count(faults_, &StreamFaults::undecodable);
    {
      std::lock_guard lock(mu_);
      ended_by_us_ = true;
    }
    ctx_.TryCancel();
    ok = false;
  }
  if (!ok) {
    // The server ended the stream or the connection broke. No more writes;
    // once none is in flight, release the hold so OnDone can come.
    bool release = false;
    {
      std::lock_guard lock(mu_);
      broken_ = true;
      release = !writing_ && !hold_released_;
      hold_released_ |= release;
    }
    if (release) RemoveHold();
    return;
  }
  std::vector<std::pair<std::unique_ptr<PendingCall>, int>> done;
  auto& message = reply_.message;
  done.reserve(static_cast<size_t>(message.responses_size()));
  {
    std::lock_guard lock(mu_);
    const int n = std::min(message.responses_size(), message.request_ids_size());
    for (int i = 0; i < n; ++i) {
      auto it = pending_.find(message.request_ids(i));
      if (it == pending_.end()) {
        // Timed out already, or an id we never sent: dropped, counted.
        count(faults_, &StreamFaults::unmatched);
        continue;
      }
      done.emplace_back(std::move(it->second), i);
      pending_.erase(it);
    }
  }
  std::vector<std::pair<std::unique_ptr<PendingCall>, Result<Response>>> results;
  results.reserve(done.size());
  for (auto& [call, index] : done) {
    Response response;
    response.Swap(message.mutable_responses(index));
    results.emplace_back(std::move(call), std::move(response));
  }
  StartRead(&reply_);
  PendingCall::complete_all(std::move(results));
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
  std::shared_ptr<BatchStream> last;
  {
    std::lock_guard lock(mu_);
    last = std::move(self_);
    done_ = true;
  }
  done_cv_.notify_all();
}

void BatchStream::wait_done() {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return done_; });
}

void BatchStream::fail_all(const Status& status) {
  std::unordered_map<uint64_t, std::unique_ptr<PendingCall>> failed;
  {
    std::lock_guard lock(mu_);
    broken_ = true;
    failed.swap(pending_);
    queue_.clear();
    deadlines_.clear();
  }
  for (auto& [id, call] : failed) PendingCall::complete(std::move(call), status);
}

void BatchStream::sweep(std::chrono::steady_clock::time_point now) {
  std::vector<std::unique_ptr<PendingCall>> expired;
  {
    std::lock_guard lock(mu_);
    // Deadlines are pushed in order (one timeout for all), so expired calls
    // sit at the front; entries for answered calls are skipped.
    while (!deadlines_.empty() && deadlines_.front().first <= now) {
      auto it = pending_.find(deadlines_.front().second);
      if (it != pending_.end()) {
        expired.push_back(std::move(it->second));
        pending_.erase(it);
      }
      deadlines_.pop_front();
    }
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
  bool release = false;
  {
    std::lock_guard lock(mu_);
    release = !writing_ && !hold_released_;
    hold_released_ |= release;
  }
  if (release) RemoveHold();
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
