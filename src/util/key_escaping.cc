#include "util/key_escaping.h"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench {

std::string unescape_key(std::string_view text) {
  std::string key;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      key += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      key += '\\';
      ++i;
      continue;
    }
    unsigned byte = 0;
    if (i + 3 >= text.size() || text[i + 1] != 'x' ||
        std::from_chars(text.data() + i + 2, text.data() + i + 4, byte, 16).ptr != text.data() + i + 4) {
      throw std::invalid_argument(fmt::format("bad escape in key '{}' (use \\xNN or \\\\)", text));
    }
    key += static_cast<char>(byte);
    i += 3;
  }
  return key;
}

std::string escape_key(std::string_view key) {
  std::string text;
  for (unsigned char c : key) {
    if (c == '\\') text += "\\\\";
    else if (c >= 0x20 && c < 0x7f) text += static_cast<char>(c);
    else text += fmt::format("\\x{:02x}", c);
  }
  return text;
}

}  // namespace tikvbench
