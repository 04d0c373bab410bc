// libFuzzer target: HdrHistogram interval logs, as `tikv-bench merge` reads
// them, and the histogram encodings they carry. An input that starts with
// an encoding cookie's first three bytes (1c 84 93) is taken as a binary
// encoding and given to decode() and decode_compressed(); anything else is
// log text, streamed through HdrLogReader line by line. Checks that
//   - every failure is a kInvalidArgument status: nothing throws, crashes,
//     hangs or allocates beyond histogram_codec.h's bound;
//   - the reader always moves on: a line that fails is consumed;
//   - every histogram that decodes answers the questions reports ask of it
//     (min, max, mean, percentiles, the spectrum) and re-encodes, in the
//     plain and the compressed form, to bytes that decode to the same
//     layout and counts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include "report/hdr_log.h"
#include "measure/histogram.h"
#include "report/histogram_codec.h"

namespace {

using namespace tikvbench;
using measure::Histogram;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::abort();
}

void check_refusal(const Status& status, std::string_view where) {
  if (status.code() != StatusCode::kInvalidArgument) {
    fail(std::string(where) + " failed with " + status.to_string() + ", not kInvalidArgument");
  }
}

void check_same(const Histogram& a, const Result<Histogram>& b, std::string_view how) {
  if (!b.ok()) fail(std::string(how) + " does not decode: " + b.status().to_string());
  if (!a.same_layout(*b)) fail(std::string(how) + " decodes to another layout");
  if (a.total_count() != b->total_count()) {
    fail(std::string(how) + ": total count " + std::to_string(a.total_count()) + " became " +
         std::to_string(b->total_count()));
  }
  for (int32_t i = 0; i < a.counts_length(); ++i) {
    if (a.count_at_index(i) != b->count_at_index(i)) {
      fail(std::string(how) + ": count at index " + std::to_string(i) + " was " + std::to_string(a.count_at_index(i)) +
           ", is " + std::to_string(b->count_at_index(i)));
    }
  }
  if (a.min() != b->min() || a.max() != b->max()) fail(std::string(how) + ": min or max changed");
}

void check_decoded(const Histogram& h) {
  (void)h.min();
  (void)h.max();
  (void)h.mean();
  (void)h.stddev();
  for (const double p : {0.0, 50.0, 99.99, 100.0}) (void)h.value_at_percentile(p);
  (void)h.percentile_spectrum();
  check_same(h, report::decode(report::encode(h)), "encode()");
  check_same(h, report::decode_compressed(report::encode_compressed(h, 1)), "encode_compressed()");
}

void binary_encoding(std::span<const uint8_t> bytes) {
  for (const bool compressed : {false, true}) {
    const Result<Histogram> h = compressed ? report::decode_compressed(bytes) : report::decode(bytes);
    if (h.ok()) {
      check_decoded(*h);
    } else {
      check_refusal(h.status(), compressed ? "decode_compressed()" : "decode()");
    }
  }
}

void log_text(std::string_view text) {
  std::istringstream in{std::string(text)};
  report::HdrLogReader reader(in);
  for (;;) {
    const int64_t line = reader.line_number();
    Result<std::optional<report::HdrLogEntry>> entry = reader.next();
    if (!entry.ok()) {
      check_refusal(entry.status(), "HdrLogReader::next()");
      if (reader.line_number() <= line) fail("HdrLogReader::next() failed without consuming a line");
      continue;
    }
    if (!entry->has_value()) return;
    check_decoded((*entry)->histogram);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  if (size >= 3 && data[0] == 0x1c && data[1] == 0x84 && data[2] == 0x93) {
    binary_encoding(bytes);
  } else {
    log_text(std::string_view(reinterpret_cast<const char*>(data), size));
  }
  return 0;
}
