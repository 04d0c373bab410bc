#include "util/file_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench {

std::string read_file_text(const std::string& path) {
  const auto cannot_read = [&path](std::string_view reason) {
    return std::invalid_argument(fmt::format("{}: cannot read: {}", path, reason));
  };
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw cannot_read("is a directory");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw cannot_read(std::strerror(errno));
  std::string text;
  char buffer[8192];
  for (;;) {
    errno = 0;
    const size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, n);
    if (n < sizeof buffer) {
      if (std::ferror(file.get())) throw cannot_read(std::strerror(errno != 0 ? errno : EIO));
      return text;
    }
  }
}

}  // namespace tikvbench
