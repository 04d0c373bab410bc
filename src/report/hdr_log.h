// HdrHistogram interval logs, format 1.3 (HistogramLogWriter/Reader in
// HdrHistogram Java): one compressed histogram per interval and tag, in text
// that HistogramLogProcessor, HdrHistogram_c's hdr_log_read and the JS and Go
// ports read. What HdrLogWriter::write_header() and write_interval() produce:
//
//   #[tikv-bench 0.1.0]
//   #[Histogram log format version 1.3]
//   #[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]
//   #[BaseTime: 1700000000.000 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=raw_get,0.000,1.000,12.543,HISTFAAAA...
//   1.000,1.000,3.071,HISTFAAAA...
//
// StartTimestamp is seconds since BaseTime (absolute seconds since the epoch
// when no BaseTime is written), Interval_Length is seconds, both "%.3f" as
// Java writes them. Interval_Max is the histogram's max() divided by the
// writer's max_value_unit_ratio, "%.3f". Java's default ratio is 1e6, for
// nanosecond histograms shown in milliseconds; ours record microseconds, so
// we default to 1000.0 and Interval_Max is in milliseconds too. Readers take
// the max from the histogram itself; the column is for people.
//
// Thread safety: a writer or reader belongs to one thread.
// Lifetime: the stream must outlive the writer or reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "measure/histogram.h"
#include "util/status.h"

namespace tikvbench::report {

class HdrLogWriter {
 public:
  static constexpr double kMicrosToMillis = 1000.0;

  // REQUIRES: max_value_unit_ratio > 0.
  explicit HdrLogWriter(std::ostream& out, double max_value_unit_ratio = kMicrosToMillis);
  HdrLogWriter(const HdrLogWriter&) = delete;
  HdrLogWriter& operator=(const HdrLogWriter&) = delete;

  // The usual preamble, in Java's order: "#[<comment>]" (if any), the format
  // version, StartTime and BaseTime (both `start`), the legend. Interval
  // starts are then seconds since `start`.
  Status write_header(std::chrono::system_clock::time_point start, std::string_view comment = {});

  // The pieces of the preamble, for other arrangements.
  Status write_comment(std::string_view text);  // "#<text>"
  Status write_format_version();
  Status write_start_time(std::chrono::system_clock::time_point start);
  Status write_base_time(std::chrono::system_clock::time_point base);
  Status write_legend();

  // One interval line for `histogram`; untagged when `tag` is empty.
  // `start`: since the base time (or the epoch when none was written).
  // Fails with kInvalidArgument, writing nothing, if the tag holds a comma,
  // space or line break, or start or length is negative or not finite.
  // Encodes and allocates; not for the hot path.
  Status write_interval(std::string_view tag, std::chrono::duration<double> start,
                        std::chrono::duration<double> length, const measure::Histogram& histogram);

  // Every write_* fails with kInternal once the stream has failed.

 private:
  Status put(const std::string& line);

  std::ostream& out_;
  const double max_value_unit_ratio_;
};

// One interval line, read back.
struct HdrLogEntry {
  std::string tag;                // empty when the line has none
  double start_seconds;           // StartTimestamp as written
  double absolute_start_seconds;  // seconds since the epoch, as Java's reader derives it
  double length_seconds;          // Interval_Length
  double interval_max;            // Interval_Max as written (scaled by the writer)
  measure::Histogram histogram;
};

class HdrLogReader {
 public:
  explicit HdrLogReader(std::istream& in);
  HdrLogReader(const HdrLogReader&) = delete;
  HdrLogReader& operator=(const HdrLogReader&) = delete;

  // The next interval, taking in comments, the version, StartTime, BaseTime
  // and the legend on the way; nullopt at the end of the log. A line that
  // does not parse (or whose histogram does not decode) fails with
  // kInvalidArgument naming the line; the line is consumed, so calling
  // again goes on with the next one.
  //
  // Absolute times follow HistogramLogReader: with a BaseTime, start + base;
  // without one, the first interval decides: if it starts before StartTime
  // the timestamps are relative to StartTime, else absolute (as they are
  // when there is no StartTime either; the first start then stands for it).
  Result<std::optional<HdrLogEntry>> next();

  // Seconds since the epoch, as given in the log or deduced from it so far.
  std::optional<double> start_time() const { return start_time_; }
  std::optional<double> base_time() const { return base_time_; }
  const std::string& format_version() const { return format_version_; }  // "" until seen
  int64_t line_number() const { return line_number_; }

 private:
  Result<std::optional<HdrLogEntry>> parse_interval(std::string_view line);
  void parse_comment(std::string_view line);

  std::istream& in_;
  std::string line_;
  int64_t line_number_ = 0;
  std::optional<double> start_time_;  // given, or the first interval's start
  std::optional<double> base_time_;   // given, or deduced from the first interval
  std::string format_version_;
};

// Every interval of the log in `text`, or the first error. Each entry holds
// a whole histogram (184 KiB with our defaults): for tests and short logs;
// stream long ones through HdrLogReader.
Result<std::vector<HdrLogEntry>> read_hdr_log(std::string_view text);

}  // namespace tikvbench::report
