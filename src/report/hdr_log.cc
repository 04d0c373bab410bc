#include "report/hdr_log.h"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <istream>
#include <ostream>
#include <sstream>

#include "report/histogram_codec.h"

namespace tikvbench::report {
namespace {

constexpr std::string_view kFormatVersion = "1.3";
constexpr std::string_view kVersionPrefix = "#[Histogram log format version ";
constexpr std::string_view kStartTimePrefix = "#[StartTime:";
constexpr std::string_view kBaseTimePrefix = "#[BaseTime:";
constexpr std::string_view kTagPrefix = "Tag=";

Status log_error(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

// "%.3f" whatever the C locale says, as Java's Locale.US formatting.
std::string fixed3(double value) {
  std::array<char, 512> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, 3);
  return std::string(buffer.data(), result.ptr);
}

// Milliseconds since the epoch as seconds, as Java's outputStartTime(msec).
double epoch_seconds(std::chrono::system_clock::time_point time) {
  const auto msec = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  return static_cast<double>(msec) / 1000.0;
}

// java.util.Date.toString()'s shape, in UTC: "Tue Nov 14 22:13:20 UTC 2023".
std::string date_text(std::chrono::system_clock::time_point time) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return "unknown";
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%s %s %02d %02d:%02d:%02d UTC %d", kDays[static_cast<size_t>(tm.tm_wday % 7)],
                kMonths[static_cast<size_t>(tm.tm_mon % 12)], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                tm.tm_year + 1900);
  return buffer.data();
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Seconds a log's times may reach, either way: about 3,000 years. Beyond
// that (or nan, inf) a time is not one, and would overflow what readers
// compute from it.
constexpr double kMaxSeconds = 1e11;

// The whole of `text` as a finite double, or nullopt.
std::optional<double> parse_double(std::string_view text) {
  text = trim_blanks(text);
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// The whole of `text` as a time in seconds, or nullopt.
std::optional<double> parse_seconds(std::string_view text) {
  const auto value = parse_double(text);
  if (!value || std::fabs(*value) > kMaxSeconds) return std::nullopt;
  return value;
}

// The time in seconds that starts `text` (after blanks), ignoring what
// follows it.
std::optional<double> parse_leading_seconds(std::string_view text) {
  text = trim_blanks(text);
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || !std::isfinite(value) || std::fabs(value) > kMaxSeconds) return std::nullopt;
  return value;
}

}  // namespace

HdrLogWriter::HdrLogWriter(std::ostream& out, double max_value_unit_ratio)
    : out_(out), max_value_unit_ratio_(max_value_unit_ratio) {
  assert(max_value_unit_ratio > 0);
}

Status HdrLogWriter::put(const std::string& line) {
  out_ << line << '\n';
  if (!out_) return Status(StatusCode::kInternal, "writing the histogram log failed");
  return {};
}

Status HdrLogWriter::write_header(std::chrono::system_clock::time_point start, std::string_view comment) {
  if (!comment.empty()) {
    if (Status status = write_comment("[" + std::string(comment) + "]"); !status.ok()) return status;
  }
  if (Status status = write_format_version(); !status.ok()) return status;
  if (Status status = write_start_time(start); !status.ok()) return status;
  if (Status status = write_base_time(start); !status.ok()) return status;
  return write_legend();
}

Status HdrLogWriter::write_comment(std::string_view text) {
  if (text.find_first_of("\r\n") != std::string_view::npos) return log_error("a log comment cannot hold a line break");
  return put("#" + std::string(text));
}

Status HdrLogWriter::write_format_version() {
  return put(std::string(kVersionPrefix) + std::string(kFormatVersion) + "]");
}

Status HdrLogWriter::write_start_time(std::chrono::system_clock::time_point start) {
  return put(std::string(kStartTimePrefix) + " " + fixed3(epoch_seconds(start)) + " (seconds since epoch), " +
             date_text(start) + "]");
}

Status HdrLogWriter::write_base_time(std::chrono::system_clock::time_point base) {
  return put(std::string(kBaseTimePrefix) + " " + fixed3(epoch_seconds(base)) + " (seconds since epoch)]");
}

Status HdrLogWriter::write_legend() {
  return put(R"("StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram")");
}

Status HdrLogWriter::write_interval(std::string_view tag, std::chrono::duration<double> start,
                                    std::chrono::duration<double> length, const measure::Histogram& histogram) {
  if (tag.find_first_of(", \r\n") != std::string_view::npos) {
    return log_error("histogram log tag '" + std::string(tag) + "' holds a comma, space or line break");
  }
  if (!std::isfinite(start.count()) || start.count() < 0 || !std::isfinite(length.count()) || length.count() < 0) {
    return log_error("interval start and length must be finite and non-negative");
  }
  std::string line;
  if (!tag.empty()) line = std::string(kTagPrefix) + std::string(tag) + ",";
  line += fixed3(start.count()) + "," + fixed3(length.count()) + "," +
          fixed3(static_cast<double>(histogram.max()) / max_value_unit_ratio_) + "," + encode_base64(histogram);
  return put(line);
}

HdrLogReader::HdrLogReader(std::istream& in) : in_(in) {}

Result<std::optional<HdrLogEntry>> HdrLogReader::next() {
  while (std::getline(in_, line_)) {
    ++line_number_;
    const std::string_view line = trim_blanks(line_);
    if (line.empty()) continue;
    if (line.front() == '#') {
      parse_comment(line);
      continue;
    }
    if (line.front() == '"') continue;  // the legend
    return parse_interval(line);
  }
  return std::optional<HdrLogEntry>();
}

void HdrLogReader::parse_comment(std::string_view line) {
  if (line.starts_with(kStartTimePrefix)) {
    if (auto value = parse_leading_seconds(line.substr(kStartTimePrefix.size()))) start_time_ = *value;
  } else if (line.starts_with(kBaseTimePrefix)) {
    if (auto value = parse_leading_seconds(line.substr(kBaseTimePrefix.size()))) base_time_ = *value;
  } else if (line.starts_with(kVersionPrefix)) {
    const std::string_view rest = line.substr(kVersionPrefix.size());
    format_version_ = std::string(rest.substr(0, rest.find(']')));
  }
}

Result<std::optional<HdrLogEntry>> HdrLogReader::parse_interval(std::string_view line) {
  const std::string where = "histogram log line " + std::to_string(line_number_) + ": ";
  std::string tag;
  if (line.starts_with(kTagPrefix)) {
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos) return log_error(where + "a tag and no interval");
    tag = std::string(line.substr(kTagPrefix.size(), comma - kTagPrefix.size()));
    line.remove_prefix(comma + 1);
  }
  std::array<std::string_view, 4> fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const size_t comma = line.find(',');
    if (i + 1 < fields.size() && comma == std::string_view::npos) {
      return log_error(where + "expected StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram");
    }
    fields[i] = trim_blanks(line.substr(0, comma));
    line.remove_prefix(comma == std::string_view::npos ? line.size() : comma + 1);
  }
  // Java's reader stops the histogram at a space or comma and ignores the rest.
  fields[3] = fields[3].substr(0, fields[3].find(' '));
  const std::optional<double> start = parse_seconds(fields[0]);
  const std::optional<double> length = parse_seconds(fields[1]);
  const std::optional<double> max = parse_double(fields[2]);
  if (!start || !length || !max) return log_error(where + "a timestamp, length or max is not a number");
  Result<measure::Histogram> histogram = decode_base64(fields[3]);
  if (!histogram.ok()) return log_error(where + histogram.status().message());

  if (!start_time_) start_time_ = *start;
  if (!base_time_) base_time_ = *start < *start_time_ ? *start_time_ : 0.0;
  return std::optional<HdrLogEntry>(HdrLogEntry{std::move(tag), *start, *start + *base_time_, *length, *max,
                                                std::move(*histogram)});
}

Result<std::vector<HdrLogEntry>> read_hdr_log(std::string_view text) {
  std::istringstream in{std::string(text)};
  HdrLogReader reader(in);
  std::vector<HdrLogEntry> entries;
  while (true) {
    Result<std::optional<HdrLogEntry>> entry = reader.next();
    if (!entry.ok()) return entry.status();
    if (!entry->has_value()) return entries;
    entries.push_back(std::move(**entry));
  }
}

}  // namespace tikvbench::report
