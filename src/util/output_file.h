// Writing report files whole or not at all: the text goes to a temporary
// file beside the target, which is renamed over it once complete, so a
// reader (or a run stopped half way) never sees a half-written report.
//
// Thread safety: the functions are pure (they touch the file system); an
// AppendingFile belongs to one thread at a time.
#pragma once

#include <fstream>
#include <string>
#include <string_view>

namespace tikvbench {

// Throws std::runtime_error "FLAG FILE: cannot write: REASON".
void write_file_atomically(const std::string& path, std::string_view text, std::string_view flag);

// Checks, before a run starts, that `path`'s directory exists and takes a
// new file: one is created beside `path` and removed again (access() passes
// root where creating fails, as in /proc). Throws std::invalid_argument
// "FLAG FILE: REASON".
void check_writable(const std::string& path, std::string_view flag);

// A report written as the run goes (the CSV and the HdrHistogram log, which
// would otherwise grow in memory with every interval of a long soak): appended to
// the temporary file, and renamed over the target by publish(). Until then
// the target is untouched; an unpublished file is removed when this goes.
class AppendingFile {
 public:
  // Opens the temporary file. Throws std::runtime_error "FLAG FILE: cannot
  // write: REASON".
  AppendingFile(std::string path, std::string_view flag);
  ~AppendingFile();
  AppendingFile(const AppendingFile&) = delete;
  AppendingFile& operator=(const AppendingFile&) = delete;

  // Where the text goes; flush it after each piece. A failed write shows in
  // the stream's state and is reported by publish().
  std::ostream& stream() { return out_; }
  // Closes the file and renames it over the target. Throws
  // std::runtime_error "FLAG FILE: cannot write: REASON".
  void publish();

 private:
  const std::string path_;
  const std::string flag_;
  const std::string temporary_;
  std::ofstream out_;
  bool published_ = false;
};

}  // namespace tikvbench
