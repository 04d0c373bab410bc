// EventFileReader follows `--events FILE` during a run: every line written
// to the file from then on becomes a user event (kind "user", the line as
// its detail) at the time it is read. FILE may be a FIFO, which a chaos
// script writes to (`echo "kill tikv-1" > events.fifo`), or a regular file
// it appends to; a regular file is read from its end as it was when the
// run started (older lines are not this run's), and created empty when it
// does not exist. A regular file truncated during the run is read from its
// new start, as tail -F does. Anything else (a directory, a device) is
// refused.
//
// Threads: one thread of its own, blocked in poll() on the file (a FIFO)
// or waking every 100 ms to look for new lines (a regular file, as tail -f
// does), and on an eventfd that the destructor signals. It never touches
// the client's event loops.
// Lifetime: the destructor stops and joins the thread; `events` must
// outlive the reader. A last line without its newline is recorded then.
#pragma once

#include <string>
#include <thread>

#include "util/event_log.h"

namespace tikvbench::cli {

class EventFileReader {
 public:
  // Opens `path` (a FIFO opened read-write, so that it neither blocks here
  // nor reads end-of-file between writers). Throws std::invalid_argument,
  // naming --events and the path, when it cannot be opened or created.
  EventFileReader(const std::string& path, EventLog& events);
  ~EventFileReader();
  EventFileReader(const EventFileReader&) = delete;
  EventFileReader& operator=(const EventFileReader&) = delete;

 private:
  void read_loop();
  // Records each whole line of pending_ and keeps the rest.
  void take_lines();

  EventLog& events_;
  int fd_ = -1;
  int stop_fd_ = -1;  // an eventfd: readable once the destructor asks the thread to stop
  bool fifo_ = false;
  std::string pending_;  // Touched only by the thread (and by the destructor after the join).
  std::thread thread_;
};

}  // namespace tikvbench::cli
