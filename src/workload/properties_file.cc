#include "workload/properties_file.h"

#include "util/file_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::workload {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// One logical line: the characters after joining continuation lines, each
// with the physical line it came from (for messages).
struct LogicalLine {
  std::string text;
  std::vector<int> lines;
  int first_line() const { return lines.empty() ? 0 : lines.front(); }
};

// Splits text into logical lines as java.util.Properties.LineReader does:
// leading blanks and blank lines skipped, comments dropped, a line ending
// in an odd number of backslashes joined with the next (whose leading
// blanks go), the joining backslash removed, and a lone backslash at the end
// of the text dropped.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  // Fills `out` with the next logical line; false at the end of the text.
  bool next(LogicalLine& out) {
    out.text.clear();
    out.lines.clear();
    bool skip_blanks = true;         // at the start of a line or a continuation
    bool continuation_start = false;  // just after a joining backslash
    bool line_start = true;           // the next character may start a comment
    bool comment = false;
    bool preceding_backslash = false;
    bool skip_lf = false;  // a continuation ended at \r: a \n right after is part of it
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const int line = line_;
      ++pos_;
      const bool eol = c == '\n' || c == '\r';
      if (eol) end_physical_line(c);
      if (skip_lf) {
        skip_lf = false;
        if (c == '\n') continue;
      }
      if (skip_blanks) {
        if (is_blank(c)) continue;
        if (!continuation_start && eol) continue;  // a blank line
        skip_blanks = false;
        continuation_start = false;
      }
      if (line_start) {
        line_start = false;
        if (c == '#' || c == '!') {
          comment = true;
          continue;
        }
      }
      if (!eol) {
        if (!comment) {
          out.text.push_back(c);
          out.lines.push_back(line);
        }
        preceding_backslash = c == '\\' ? !preceding_backslash : false;
        continue;
      }
      if (comment || out.text.empty()) {
        comment = false;
        line_start = true;
        skip_blanks = true;
        preceding_backslash = false;
        out.text.clear();
        out.lines.clear();
        continue;
      }
      if (!preceding_backslash) return true;
      // A joining backslash: drop it and carry on with the next line.
      out.text.pop_back();
      out.lines.pop_back();
      preceding_backslash = false;
      skip_blanks = true;
      continuation_start = true;
      skip_lf = c == '\r';
    }
    if (comment || out.text.empty()) return false;
    if (preceding_backslash) {
      out.text.pop_back();
      out.lines.pop_back();
    }
    return true;
  }

 private:
  // Counts lines: \n, \r, and \r\n once.
  void end_physical_line(char c) {
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') return;  // counted at the \n
    ++line_;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Resolves the escapes of line.text[begin, end) as Properties.loadConvert.
class Unescaper {
 public:
  Unescaper(const LogicalLine& line, std::string_view source) : line_(line), source_(source) {}

  std::string convert(size_t begin, size_t end) const {
    std::string out;
    out.reserve(end - begin);
    const std::string& s = line_.text;
    size_t i = begin;
    while (i < end) {
      const char c = s[i++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i == end) break;  // cannot happen: a lone trailing backslash is dropped
      const char e = s[i++];
      switch (e) {
        case 't': out.push_back('\t'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 'f': out.push_back('\f'); break;
        case 'u': {
          const size_t at = i - 2;
          uint32_t unit = code_unit(i, end, at);
          if (unit >= 0xDC00 && unit <= 0xDFFF) fail(at, fmt::format("\\u{:04X} is half of a surrogate pair", unit));
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (!(i + 1 < end && s[i] == '\\' && s[i + 1] == 'u')) {
              fail(at, fmt::format("\\u{:04X} is half of a surrogate pair", unit));
            }
            const size_t low_at = i;
            i += 2;
            const uint32_t low = code_unit(i, end, low_at);
            if (low < 0xDC00 || low > 0xDFFF) fail(at, fmt::format("\\u{:04X} is half of a surrogate pair", unit));
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, unit);
          break;
        }
        default: out.push_back(e); break;
      }
    }
    return out;
  }

 private:
  // Reads the four hex digits after "\u" at `i`, advancing it.
  uint32_t code_unit(size_t& i, size_t end, size_t at) const {
    uint32_t unit = 0;
    for (int k = 0; k < 4; ++k) {
      const int d = i < end ? hex_digit(line_.text[i]) : -1;
      if (d < 0) fail(at, "malformed \\uXXXX escape (it needs four hex digits)");
      unit = unit * 16 + static_cast<uint32_t>(d);
      ++i;
    }
    return unit;
  }

  [[noreturn]] void fail(size_t at, std::string_view message) const {
    throw std::invalid_argument(fmt::format("{}:{}: {}", source_, line_.lines[at], message));
  }

  const LogicalLine& line_;
  std::string_view source_;
};

}  // namespace

std::vector<Property> parse_properties(std::string_view text, std::string_view source) {
  std::vector<Property> properties;
  LineReader reader(text);
  LogicalLine line;
  while (reader.next(line)) {
    // Split as Properties.load0: the key ends at the first unescaped
    // separator or blank; then blanks and at most one '=' or ':' go.
    const std::string& s = line.text;
    const size_t limit = s.size();
    size_t key_len = 0;
    size_t value_start = limit;
    bool has_separator = false;
    bool preceding_backslash = false;
    while (key_len < limit) {
      const char c = s[key_len];
      if ((c == '=' || c == ':') && !preceding_backslash) {
        value_start = key_len + 1;
        has_separator = true;
        break;
      }
      if (is_blank(c) && !preceding_backslash) {
        value_start = key_len + 1;
        break;
      }
      preceding_backslash = c == '\\' ? !preceding_backslash : false;
      ++key_len;
    }
    while (value_start < limit) {
      const char c = s[value_start];
      if (!is_blank(c)) {
        if (!has_separator && (c == '=' || c == ':')) {
          has_separator = true;
        } else {
          break;
        }
      }
      ++value_start;
    }
    const Unescaper unescaper(line, source);
    properties.push_back(Property{unescaper.convert(0, key_len), unescaper.convert(value_start, limit),
                                  line.first_line()});
  }
  return properties;
}

std::vector<Property> read_properties_file(const std::string& path) {
  return parse_properties(read_file_text(path), path);
}

}  // namespace tikvbench::workload
