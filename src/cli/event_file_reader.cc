#include "cli/event_file_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::cli {
namespace {

constexpr int kFilePollMillis = 100;

}  // namespace

EventFileReader::EventFileReader(const std::string& path, EventLog& events) : events_(events) {
  struct stat info {};
  fifo_ = ::stat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
  // Non-blocking either way: a read never waits outside poll().
  fd_ = fifo_ ? ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC)
              : ::open(path.c_str(), O_RDONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::invalid_argument(fmt::format("--events {}: cannot open: {}", path, std::strerror(errno)));
  if (!fifo_ && (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode))) {
    ::close(fd_);
    throw std::invalid_argument(fmt::format("--events {}: neither a regular file nor a FIFO", path));
  }
  if (!fifo_) ::lseek(fd_, 0, SEEK_END);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    ::close(fd_);
    throw std::runtime_error(fmt::format("--events {}: eventfd: {}", path, std::strerror(errno)));
  }
  try {
    thread_ = std::thread([this] { read_loop(); });
  } catch (...) {
    ::close(stop_fd_);
    ::close(fd_);
    throw;
  }
}

EventFileReader::~EventFileReader() {
  const uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
  thread_.join();
  if (!pending_.empty()) {  // a last line without its newline
    pending_ += '\n';
    take_lines();
  }
  ::close(stop_fd_);
  ::close(fd_);
}

void EventFileReader::take_lines() { pending_.erase(0, events_.add_lines("user", pending_)); }

void EventFileReader::read_loop() {
  std::array<char, 4096> buffer;
  for (;;) {
    // Whatever can be read now.
    for (;;) {
      const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
      if (n <= 0) break;  // the end for now, EAGAIN (a FIFO) or an error
      pending_.append(buffer.data(), static_cast<size_t>(n));
      take_lines();
    }
    if (!fifo_) {
      // Truncated (`echo x > FILE`): read on from its new start, as tail -F does.
      struct stat info {};
      if (::fstat(fd_, &info) == 0 && info.st_size < ::lseek(fd_, 0, SEEK_CUR)) ::lseek(fd_, 0, SEEK_SET);
    }
    std::array<pollfd, 2> fds = {{{stop_fd_, POLLIN, 0}, {fd_, POLLIN, 0}}};
    // A regular file is always "readable": wait on the stop alone, briefly.
    const int ready = fifo_ ? ::poll(fds.data(), 2, -1) : ::poll(fds.data(), 1, kFilePollMillis);
    if (ready < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) {
      // Stopping: what was written before the stop still counts.
      for (;;) {
        const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
        if (n <= 0) break;
        pending_.append(buffer.data(), static_cast<size_t>(n));
      }
      take_lines();
      return;
    }
  }
}

}  // namespace tikvbench::cli
