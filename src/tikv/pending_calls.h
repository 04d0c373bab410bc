// PendingCalls holds the calls a BatchCommands stream has sent and not yet
// matched to a reply, under the request ids it gives them. A stream gives
// out ids one after another, so the calls sit in a ring indexed by id:
// adding, finding and removing a call take no hashing and, once the ring
// has grown to what is in flight, no allocation. (A hash map of calls
// costs a node per request, allocated on the sending loop and freed on the
// gRPC thread that reads the reply.)
//
// The ring spans from the oldest call still waiting to the newest id, so a
// call that is never answered holds the ring open behind it until it
// expires; every call carries the deadline take_expired() enforces.
//
// Thread safety: none; the stream guards it with its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "tikv/pending_call.h"

namespace tikvbench::tikv {

class PendingCalls {
 public:
  using Clock = std::chrono::steady_clock;

  // Keeps `call` until `deadline` under the next id, which it returns.
  // Ids start at 1.
  uint64_t add(std::unique_ptr<PendingCall> call, Clock::time_point deadline);
  // Takes out the call under `id`; null when there is none (answered,
  // expired, or an id never given out).
  std::unique_ptr<PendingCall> take(uint64_t id);
  // Takes out, oldest first, the calls whose deadline is at or before
  // `now`, up to the first call still within its deadline. Deadlines are
  // expected in about increasing order of id.
  void take_expired(Clock::time_point now, std::vector<std::unique_ptr<PendingCall>>& out);
  // Takes out every call, oldest first.
  std::vector<std::unique_ptr<PendingCall>> take_all();

  // Calls waiting.
  size_t size() const { return waiting_; }
  bool empty() const { return waiting_ == 0; }

 private:
  struct Slot {
    std::unique_ptr<PendingCall> call;  // null once taken
    Clock::time_point deadline;
  };
  Slot& slot(uint64_t id) { return ring_[(head_ + (id - first_id_)) & (ring_.size() - 1)]; }
  // Drops taken slots from the front.
  void trim();
  void grow();

  std::vector<Slot> ring_;  // size 0 or a power of two
  size_t head_ = 0;         // ring_ index of first_id_
  uint64_t first_id_ = 1;   // the oldest id the ring spans
  uint64_t next_id_ = 1;    // the ring spans [first_id_, next_id_)
  size_t waiting_ = 0;      // slots in the span that hold a call
};

}  // namespace tikvbench::tikv
