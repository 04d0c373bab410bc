#include "util/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace tikvbench {
namespace {

std::string directory_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string temporary_beside(const std::string& path) { return fmt::format("{}.tmp{}", path, getpid()); }

}  // namespace

void check_writable(const std::string& path, std::string_view flag) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw std::invalid_argument(fmt::format("{} {}: is a directory", flag, path));
  }
  const auto directory = directory_of(path);
  if (!std::filesystem::is_directory(directory, error)) {
    throw std::invalid_argument(fmt::format("{} {}: no directory {}", flag, path, directory));
  }
  // access() alone is not enough: root passes it for /proc and /sys, where
  // creating a file then fails. So create (and remove) a file where the
  // report's temporary file will go.
  const auto probe = fmt::format("{}.probe{}", path, getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int failure = errno;
    if (failure == EEXIST) return;  // the name was taken: the directory does take files
    // ENOENT for a directory that exists: a file system without new files (/proc).
    throw std::invalid_argument(fmt::format("{} {}: cannot write in {}: {}", flag, path, directory,
                                            failure == ENOENT ? "no file can be created there" : std::strerror(failure)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void write_file_atomically(const std::string& path, std::string_view text, std::string_view flag) {
  const auto temporary = temporary_beside(path);
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    throw std::runtime_error(fmt::format("{} {}: cannot write: {}", flag, path, std::strerror(errno)));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const bool closed = std::fclose(out) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    throw std::runtime_error(fmt::format("{} {}: cannot write: {}", flag, path, std::strerror(error)));
  }
}

AppendingFile::AppendingFile(std::string path, std::string_view flag)
    : path_(std::move(path)), flag_(flag), temporary_(temporary_beside(path_)) {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error(fmt::format("{} {}: cannot write: {}", flag_, path_, std::strerror(errno)));
}

AppendingFile::~AppendingFile() {
  if (published_) return;
  out_.close();
  std::remove(temporary_.c_str());
}

void AppendingFile::publish() {
  out_.close();
  const bool written = !out_.fail();
  if (!written || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const std::string reason = written ? std::strerror(errno) : "a write failed";
    std::remove(temporary_.c_str());
    published_ = true;  // nothing left to remove
    throw std::runtime_error(fmt::format("{} {}: cannot write: {}", flag_, path_, reason));
  }
  published_ = true;
}

}  // namespace tikvbench
