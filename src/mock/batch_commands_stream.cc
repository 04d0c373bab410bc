#include "mock/batch_commands_stream.h"

#include <string>

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

namespace tikvbench::mock {

BatchCommandsStream::BatchCommandsStream(StoreService& store)
    : store_(store),
      reset_epoch_(store.faults().reset_epoch()),
      truncate_epoch_(store.faults().truncate_epoch()) {}

BatchCommandsStream* BatchCommandsStream::start(StoreService& store) {
  auto stream = std::shared_ptr<BatchCommandsStream>(new BatchCommandsStream(store));
  stream->self_ = stream;
  // Publishes the new stream to gRPC's threads as the reactions see it: they
  // take mu_, and gRPC's own hand-off is invisible to ThreadSanitizer.
  { std::lock_guard lock(stream->mu_); }
  stream->StartRead(&stream->in_);
  return stream.get();
}

void BatchCommandsStream::fail(grpc::Status status) {
  {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = std::move(status);
    reads_done_ = true;
  }
  pump();
}

void BatchCommandsStream::encode_in_flight() {
  bool own = false;
  out_.Clear();
  grpc::SerializationTraits<tikvpb::BatchCommandsResponse>::Serialize(in_flight_, &out_, &own);
  const uint64_t garble = store_.faults().take_garbled_reply();
  if (garble == 0) return;
  // Undecodable: by turns, bytes that are no protobuf message at all (field
  // 1 with the invalid wire type 7), and the real message without its last
  // byte, so its last field runs past the end.
  std::string bytes;
  if (garble % 2 == 1) {
    bytes = "\x0f\xff\xff\xff";
  } else {
    in_flight_.SerializeToString(&bytes);
    if (bytes.size() > 1) bytes.pop_back();
    else bytes = "\x0a\x05";  // a length of 5 with nothing after it
  }
  grpc::Slice slice(bytes);
  out_ = grpc::ByteBuffer(&slice, 1);
}

void BatchCommandsStream::OnReadDone(bool ok) {
  if (!ok) {
    // The client half-closed or the call broke: answer what is owed, then end.
    {
      std::lock_guard lock(mu_);
      reads_done_ = true;
    }
    pump();
    return;
  }
  if (store_.faults().reset_epoch() != reset_epoch_) {
    fail(grpc::Status(grpc::StatusCode::UNAVAILABLE, "mock cluster: injected stream reset"));
    return;
  }
  if (store_.faults().truncate_epoch() != truncate_epoch_) {
    fail(grpc::Status::OK);  // an orderly end, with replies still owed
    return;
  }
  if (!grpc::SerializationTraits<tikvpb::BatchCommandsRequest>::Deserialize(&in_, &request_).ok()) {
    fail(grpc::Status(grpc::StatusCode::INTERNAL, "mock cluster: undecodable BatchCommandsRequest"));
    return;
  }
  if (store_.cluster_id_mismatch(request_)) {
    fail(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "the cluster id of the request does not match the TiKV cluster"));
    return;
  }

  tikvpb::BatchCommandsResponse ready;
  const int count = std::min(request_.requests_size(), request_.request_ids_size());
  for (int i = 0; i < count; ++i) {
    uint64_t id = request_.request_ids(i);
    tikvpb::BatchCommandsResponse::Response response;
    const auto delay = store_.serve(request_.requests(i), &response);
    // Injected faults: a reply that never comes, or one for an unknown id.
    if (store_.faults().take_lost_reply()) continue;
    if (store_.faults().take_misaddressed_reply()) id |= uint64_t{1} << 62;
    if (delay.count() == 0) {
      ready.add_request_ids(id);
      ready.add_responses()->Swap(&response);
      continue;
    }
    {
      std::lock_guard lock(mu_);
      ++delayed_;
    }
    store_.delays().schedule(delay, [self = shared_from_this(), id, response = std::move(response)]() mutable {
      {
        std::lock_guard lock(self->mu_);
        --self->delayed_;
        self->append_locked(id, std::move(response));
      }
      self->pump();
    });
  }

  bool read_more = false;
  {
    std::lock_guard lock(mu_);
    if (pending_.responses_size() == 0) {
      pending_.Swap(&ready);
    } else {
      for (int i = 0; i < ready.responses_size(); ++i) {
        append_locked(ready.request_ids(i), std::move(*ready.mutable_responses(i)));
      }
    }
    read_more = !reads_done_;
  }
  pump();
  if (read_more) StartRead(&in_);
}

void BatchCommandsStream::append_locked(uint64_t request_id, tikvpb::BatchCommandsResponse::Response&& response) {
  pending_.add_request_ids(request_id);
  pending_.add_responses()->Swap(&response);
}

void BatchCommandsStream::pump() {
  // Decide under the lock, act outside it: gRPC may run a reaction inline
  // from StartWrite or Finish.
  enum class Action { kNone, kWrite, kFinish } action = Action::kNone;
  grpc::Status status;
  {
    std::lock_guard lock(mu_);
    if (finished_ || writing_) return;
    if (failure_) {
      finished_ = true;
      status = *failure_;
      action = Action::kFinish;
    } else if (pending_.responses_size() > 0) {
      in_flight_.Clear();
      in_flight_.Swap(&pending_);
      writing_ = true;
      action = Action::kWrite;
    } else if (reads_done_ && delayed_ == 0) {
      finished_ = true;
      status = grpc::Status::OK;
      action = Action::kFinish;
    }
  }
  if (action == Action::kWrite) {
    encode_in_flight();
    StartWrite(&out_);
  }
  if (action == Action::kFinish) Finish(status);
}

void BatchCommandsStream::OnWriteDone(bool ok) {
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok && !failure_) {
      // The client is gone: drop what is left.
      failure_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, "stream broken");
    }
  }
  pump();
}

void BatchCommandsStream::OnCancel() {
  {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = grpc::Status::CANCELLED;
  }
  pump();
}

void BatchCommandsStream::OnDone() {
  std::shared_ptr<BatchCommandsStream> last;
  {
    std::lock_guard lock(mu_);
    finished_ = true;  // Late delayed answers are dropped.
    last = std::move(self_);
  }
  // `last` may destroy this stream on return.
}

}  // namespace tikvbench::mock
