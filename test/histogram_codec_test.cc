// The HdrHistogram V2 codec (encoding, decoding, hostile input) and the
// interval log, held against bytes and logs that HdrHistogram wrote.
// Expected values marked "HdrHistogram:" were computed by HdrHistogram
// itself (the Java test suite's values, checked with hdr-histogram-js 3.0.1).
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "measure/histogram.h"
#include "report/hdr_log.h"
#include "report/histogram_codec.h"
#include "support/histogram_samples.h"

// A suite of the one test executable; meson runs it as "histogram_codec".
BOOST_AUTO_TEST_SUITE(histogram_codec_test)

using namespace tikvbench;
using namespace tikvbench::report;
using namespace tikvbench::measure;
using tikvbench::test::check_same_counts;
using tikvbench::test::skewed_histogram;

namespace {

std::vector<uint8_t> bytes_of(std::string_view hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return bytes;
}

// A compressed wrapper (cookie, length, zlib) around arbitrary bytes.
std::vector<uint8_t> wrap_compressed(const std::vector<uint8_t>& plain) {
  uLongf size = compressBound(static_cast<uLong>(plain.size()));
  std::vector<uint8_t> out(8 + size);
  BOOST_TEST_REQUIRE(compress2(out.data() + 8, &size, plain.data(), static_cast<uLong>(plain.size()), 6) == Z_OK);
  out.resize(8 + size);
  const uint32_t words[2] = {kV2CompressedEncodingCookie, static_cast<uint32_t>(size)};
  for (int w = 0; w < 2; ++w) {
    for (int b = 0; b < 4; ++b) out[static_cast<size_t>(4 * w + b)] = static_cast<uint8_t>(words[w] >> (24 - 8 * b));
  }
  return out;
}

// A V2 header (40 bytes) followed by `payload`.
std::vector<uint8_t> v2_encoding(int32_t payload_length, int32_t digits, int64_t lowest, int64_t highest,
                                 const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out;
  auto put = [&](uint64_t value, int bytes) {
    for (int b = bytes - 1; b >= 0; --b) out.push_back(static_cast<uint8_t>(value >> (8 * b)));
  };
  put(kV2EncodingCookie, 4);
  put(static_cast<uint32_t>(payload_length), 4);
  put(0, 4);
  put(static_cast<uint32_t>(digits), 4);
  put(static_cast<uint64_t>(lowest), 8);
  put(static_cast<uint64_t>(highest), 8);
  put(0x3ff0000000000000, 8);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::string fixed3(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(encoding_round_trips_every_count) {
  const Histogram original = skewed_histogram(4, 200'000);
  const Result<Histogram> plain = decode(encode(original));
  BOOST_TEST_REQUIRE(plain.ok(), plain.status().to_string());
  check_same_counts(original, *plain);
  const std::vector<uint8_t> compressed = encode_compressed(original);
  BOOST_TEST(compressed.size() < encode(original).size());
  const Result<Histogram> unzipped = decode_compressed(compressed);
  BOOST_TEST_REQUIRE(unzipped.ok(), unzipped.status().to_string());
  check_same_counts(original, *unzipped);
  const Result<Histogram> text = decode_base64(encode_base64(original));
  BOOST_TEST_REQUIRE(text.ok(), text.status().to_string());
  check_same_counts(original, *text);
  BOOST_TEST(text->value_at_percentile(99.99) == original.value_at_percentile(99.99));
  BOOST_TEST(text->saturated_count() == 0);  // not part of the format

  for (const Histogram& edge : {Histogram(), Histogram(1000, 60'000'000, 2), Histogram(1, 2, 0)}) {
    Histogram recorded = edge;
    recorded.record(recorded.highest_trackable_value());
    for (const Histogram* h : std::initializer_list<const Histogram*>{&edge, &recorded}) {
      const Result<Histogram> back = decode_base64(encode_base64(*h));
      BOOST_TEST_REQUIRE(back.ok(), back.status().to_string());
      check_same_counts(*h, *back);
    }
  }
  // The empty histogram is one zero count, as Java writes it.
  BOOST_TEST(encode(Histogram()).size() == 41u);
  BOOST_TEST(encode(Histogram()).back() == 0);
}

BOOST_AUTO_TEST_CASE(decodes_bytes_built_by_hand_from_the_specification) {
  // lowest 1, highest 3.6e9, 3 digits; value 1 once, 3 twice, 10 once and
  // 2000 300 times. Up to 2047 the counts index is the value, so counts[0..2000]
  // read 0,1,0,2,0,0,0,0,0,0,1,0 x 1989,300 and the payload, ZigZag LEB128:
  //   0 -> 00 (a lone zero)     1 -> zz 2 -> 02
  //   0 -> 00                   2 -> zz 4 -> 04
  //   six zeros -> -6 -> zz 11 -> 0b
  //   1 -> 02
  //   1989 zeros -> -1989 -> zz 3977 = 0xf89 -> 89 1f (low 7 bits first, 0x80 = more)
  //   300 -> zz 600 = 0x258 -> d8 04
  // Header: cookie 1c849313, payload length 0000000a, offset 00000000,
  // digits 00000003, lowest 0000000000000001, highest 00000000d693a400,
  // ratio 1.0 = 3ff0000000000000.
  const std::string encoding =
      "1c849313" "0000000a" "00000000" "00000003" "0000000000000001" "00000000d693a400" "3ff0000000000000"
      "00" "02" "00" "04" "0b" "02" "891f" "d804";
  // Compressed: cookie 1c849314, length 0x3d (61), then a zlib stream holding
  // one stored deflate block: header 78 01 (deflate, 32 KiB window, no
  // dictionary; 0x7801 % 31 == 0), block 01 (final, stored), LEN 0x0032 and
  // NLEN 0xffcd little-endian, the 50 bytes, and their Adler-32 big-endian:
  // a = 1 + sum of the bytes = 0x0628, b = sum of the running a's = 0x847d.
  const std::string compressed = "1c849314" "0000003d" "7801" "01" "3200" "cdff" + encoding + "847d0628";

  for (const Result<Histogram>& decoded : {decode(bytes_of(encoding)), decode_compressed(bytes_of(compressed))}) {
    BOOST_TEST_REQUIRE(decoded.ok(), decoded.status().to_string());
    BOOST_TEST(decoded->highest_trackable_value() == 3'600'000'000);
    BOOST_TEST(decoded->total_count() == 304);
    BOOST_TEST(decoded->count_at_value(1) == 1);
    BOOST_TEST(decoded->count_at_value(3) == 2);
    BOOST_TEST(decoded->count_at_value(10) == 1);
    BOOST_TEST(decoded->count_at_value(2000) == 300);
    BOOST_TEST(decoded->min() == 1);
    BOOST_TEST(decoded->max() == 2000);
    BOOST_TEST(decoded->value_at_percentile(50) == 2000);
  }
  // And the encoder writes exactly those bytes.
  Histogram histogram;
  histogram.record(1);
  histogram.record(3, 2);
  histogram.record(10);
  histogram.record(2000, 300);
  BOOST_TEST(encode(histogram) == bytes_of(encoding));
}

BOOST_AUTO_TEST_CASE(decodes_and_reencodes_histograms_written_by_hdr_histogram_java) {
  // Lines of HdrHistogram Java's src/test/resources/org/HdrHistogram/
  // tagged-non-monotonic.hlog (public domain): nanosecond histograms, 20 us
  // .. 1 h at 2 digits; Interval_Max is the max in ms (ratio 1e6).
  struct Line {
    const char* max_ms;
    int64_t total;
    const char* base64;
  };
  const Line lines[] = {
      {"0.426", 745, "HISTFAAAAD942pNpmSzMwMAgwwABTBDKT4GBgdnNYMcCBvsPEBE+Ph4OLgk5OSkeIS4+LgEeswIDo1+MbmdYNASYAA51CSo="},
      {"2.769", 741, "HISTFAAAAEV42pNpmSzMwMCgyAABTBDKT4GBgdnNYMcCBvsPEBEJISEuATEZMQ4uASkhIR4nrxg9v2lMaxhvMekILGZkKmcCAEf2CsI="},
      {"0.459", 754, "HISTFAAAAEJ42pNpmSzMwMCgwAABTBDKD8hndjPYsYDB/gNEhEtMQEBBTk5MQERCRkBEQEWlh9FJbg9jE+MS5ig1LhYmADkkCcE="},
  };
  for (const Line& line : lines) {
    const Result<Histogram> histogram = decode_base64(line.base64);
    BOOST_TEST_REQUIRE(histogram.ok(), histogram.status().to_string());
    BOOST_TEST(histogram->lowest_discernible_value() == 20'000);
    BOOST_TEST(histogram->highest_trackable_value() == 3'600'000'000'000);
    BOOST_TEST(histogram->significant_figures() == 2);
    BOOST_TEST(histogram->total_count() == line.total);
    BOOST_TEST(fixed3(static_cast<double>(histogram->max()) / 1e6) == line.max_ms);
    // Java's Deflater at BEST_COMPRESSION is zlib level 9: the same bytes.
    BOOST_TEST(encode_base64(*histogram) == line.base64);
  }
}

BOOST_AUTO_TEST_CASE(counts_above_highest_trackable_value_survive_reencoding) {
  // HdrHistogram records values up to the end of its last bucket, past
  // highest_trackable_value (Java records 4e9 in a 1 us .. 1 h histogram):
  // one count at the last of the 23552 counters, which covers values up to
  // 2^32 - 1. Payload: a run of 23551 zeros (ZigZag 47101 -> fd ef 02), then 1.
  const Result<Histogram> decoded = decode(v2_encoding(4, 3, 1, 3'600'000'000, {0xfd, 0xef, 0x02, 0x02}));
  BOOST_TEST_REQUIRE(decoded.ok(), decoded.status().to_string());
  BOOST_TEST(decoded->count_at_index(23551) == 1);
  BOOST_TEST(decoded->max() == 4'294'967'295);
  // Found by test/fuzz/hdr_log_fuzz: re-encoding stopped at highest's index
  // and dropped the count.
  const Result<Histogram> again = decode_compressed(encode_compressed(*decoded));
  BOOST_TEST_REQUIRE(again.ok(), again.status().to_string());
  check_same_counts(*decoded, *again);
}

BOOST_AUTO_TEST_CASE(hostile_input_is_refused_without_crashing) {
  const std::vector<uint8_t> good = encode_compressed(skewed_histogram(5, 10'000));
  BOOST_TEST_REQUIRE(decode_compressed(good).ok());
  for (size_t size = 0; size < good.size(); ++size) {
    BOOST_TEST_REQUIRE(!decode_compressed(std::span(good).first(size)).ok());
  }
  const std::vector<uint8_t> plain = encode(skewed_histogram(5, 10'000));
  for (size_t size = 0; size < plain.size(); ++size) BOOST_TEST_REQUIRE(!decode(std::span(plain).first(size)).ok());

  auto message = [](const Result<Histogram>& result) { return result.ok() ? std::string("ok") : result.status().message(); };
  // Wrong cookies.
  std::vector<uint8_t> wrong = good;
  wrong[3] ^= 0x01;
  BOOST_TEST(message(decode_compressed(wrong)).find("not a compressed HdrHistogram") != std::string::npos);
  wrong = good;
  wrong[3] = 0x19;  // V0's compressed cookie
  BOOST_TEST(message(decode_compressed(wrong)).find("V0") != std::string::npos);
  BOOST_TEST(message(decode(bytes_of("0badc0de" + std::string(72, '0')))).find("not an HdrHistogram") != std::string::npos);
  // A compressed length past the end, and a negative one.
  wrong = good;
  wrong[4] = 0x7f;
  BOOST_TEST(message(decode_compressed(wrong)).find("compressed length") != std::string::npos);
  wrong[4] = 0xff;
  BOOST_TEST(!decode_compressed(wrong).ok());
  // Huge or impossible headers.
  BOOST_TEST(message(decode(v2_encoding(INT32_MAX, 3, 1, 3'600'000'000, {}))).find("payload length") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(-5, 3, 1, 3'600'000'000, {}))).find("negative payload") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(1, 5, 1, INT64_MAX, {0}))).find("exceeds the limit") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(1, 9, 1, 1000, {0}))).find("significant_figures") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(1, 3, 0, 1000, {0}))).find("lowest") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(1, 3, 500, 999, {0}))).find("highest") != std::string::npos);
  // Counts past the layout: a run of 2^20 zeros (ZigZag 2^21 - 1), and plain
  // counts (layout 1..2 at 0 digits has 3 counters).
  BOOST_TEST(message(decode(v2_encoding(3, 3, 1, 3'600'000'000, {0xff, 0xff, 0x7f}))).find("zero counts") != std::string::npos);
  BOOST_TEST(message(decode(v2_encoding(4, 0, 1, 2, {2, 2, 2, 2}))).find("more counts") != std::string::npos);
  // A zero run of 2^63 (ZigZag all ones), a varint cut short, a total that overflows.
  const std::vector<uint8_t> all_ones(9, 0xff);
  BOOST_TEST(!decode(v2_encoding(9, 3, 1, 3'600'000'000, all_ones)).ok());
  BOOST_TEST(message(decode(v2_encoding(1, 3, 1, 3'600'000'000, {0x80}))).find("inside a count") != std::string::npos);
  std::vector<uint8_t> max_count = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};  // zz of INT64_MAX
  std::vector<uint8_t> two_max = max_count;
  two_max.insert(two_max.end(), max_count.begin(), max_count.end());
  BOOST_TEST(decode(v2_encoding(9, 3, 1, 3'600'000'000, max_count)).ok());
  BOOST_TEST(message(decode(v2_encoding(18, 3, 1, 3'600'000'000, two_max))).find("overflows") != std::string::npos);
  // A zlib bomb: the header promises 10 payload bytes, the stream holds 4 MiB.
  std::vector<uint8_t> bomb = v2_encoding(10, 3, 1, 3'600'000'000, std::vector<uint8_t>(4 << 20, 0));
  BOOST_TEST(message(decode_compressed(wrap_compressed(bomb))).find("more than the stated payload") != std::string::npos);
  // Not zlib at all.
  std::vector<uint8_t> not_zlib = {0x1c, 0x84, 0x93, 0x14, 0, 0, 0, 4, 1, 2, 3, 4};
  BOOST_TEST(!decode_compressed(not_zlib).ok());
  // Bad base64.
  BOOST_TEST(!decode_base64("HISTFAAA$AAA").ok());
  BOOST_TEST(!decode_base64("HISTF").ok());
  BOOST_TEST(!decode_base64("").ok());

  // Random bytes, random bytes behind a valid cookie, and mutations of a
  // valid encoding: any answer but a crash.
  std::mt19937_64 rng(6);
  std::uniform_int_distribution<int> byte(0, 255);
  int decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> noise(static_cast<size_t>(byte(rng)) + 1);
    for (uint8_t& b : noise) b = static_cast<uint8_t>(byte(rng));
    decoded += decode_compressed(noise).ok() + decode(noise).ok();
    std::vector<uint8_t> behind_cookie = wrap_compressed(noise);
    decoded += decode_compressed(behind_cookie).ok();
    std::vector<uint8_t> framed = v2_encoding(static_cast<int32_t>(noise.size()), 3, 1, 3'600'000'000, noise);
    decoded += decode(framed).ok() + decode_compressed(wrap_compressed(framed)).ok();
    std::vector<uint8_t> mutated = good;
    for (int flips = 1 + round % 4; flips > 0; --flips) {
      mutated[static_cast<size_t>(byte(rng)) % mutated.size()] ^= static_cast<uint8_t>(1 << (byte(rng) % 8));
    }
    decoded += decode_compressed(mutated).ok();
  }
  BOOST_TEST_MESSAGE("hostile inputs that happened to decode: " << decoded);
}

BOOST_AUTO_TEST_CASE(log_round_trips_two_tags) {
  const auto start = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  std::vector<Histogram> intervals;
  for (uint64_t seed = 10; seed < 14; ++seed) intervals.push_back(skewed_histogram(seed, 5'000));
  std::ostringstream out;
  HdrLogWriter writer(out);
  BOOST_TEST(writer.write_header(start, "tikv-bench test").ok());
  BOOST_TEST(writer.write_interval("raw_get", std::chrono::seconds(0), std::chrono::seconds(1), intervals[0]).ok());
  BOOST_TEST(writer.write_interval("raw_put", std::chrono::seconds(0), std::chrono::seconds(1), intervals[1]).ok());
  BOOST_TEST(writer.write_interval("raw_get", std::chrono::milliseconds(1000), std::chrono::milliseconds(1500), intervals[2]).ok());
  BOOST_TEST(writer.write_interval("", std::chrono::milliseconds(2500), std::chrono::seconds(1), intervals[3]).ok());
  BOOST_TEST((writer.write_interval("bad tag", std::chrono::seconds(0), std::chrono::seconds(1), intervals[0]).code() ==
             StatusCode::kInvalidArgument));
  BOOST_TEST((writer.write_interval("a,b", std::chrono::seconds(0), std::chrono::seconds(1), intervals[0]).code() ==
             StatusCode::kInvalidArgument));
  BOOST_TEST((writer.write_interval("x", std::chrono::seconds(-1), std::chrono::seconds(1), intervals[0]).code() ==
             StatusCode::kInvalidArgument));

  const std::string text = out.str();
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> all;
  while (std::getline(lines, line)) all.push_back(line);
  BOOST_TEST_REQUIRE(all.size() == 9u);
  BOOST_TEST(all[0] == "#[tikv-bench test]");
  BOOST_TEST(all[1] == "#[Histogram log format version 1.3]");
  BOOST_TEST(all[2] == "#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]");
  BOOST_TEST(all[3] == "#[BaseTime: 1700000000.000 (seconds since epoch)]");
  BOOST_TEST(all[4] == R"("StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram")");
  const std::string max_ms = fixed3(static_cast<double>(intervals[0].max()) / 1000.0);
  BOOST_TEST(all[5] == "Tag=raw_get,0.000,1.000," + max_ms + "," + encode_base64(intervals[0]));
  BOOST_TEST(all[7].starts_with("Tag=raw_get,1.000,1.500,"));
  BOOST_TEST(all[8].starts_with("2.500,1.000,"));
  BOOST_TEST(all[5].find("HISTFAAA") != std::string::npos);

  const Result<std::vector<HdrLogEntry>> entries = read_hdr_log(text);
  BOOST_TEST_REQUIRE(entries.ok(), entries.status().to_string());
  BOOST_TEST_REQUIRE(entries->size() == 4u);
  const char* tags[] = {"raw_get", "raw_put", "raw_get", ""};
  const double starts[] = {0.0, 0.0, 1.0, 2.5};
  const double lengths[] = {1.0, 1.0, 1.5, 1.0};
  for (size_t i = 0; i < 4; ++i) {
    const HdrLogEntry& entry = (*entries)[i];
    BOOST_TEST(entry.tag == tags[i]);
    BOOST_TEST(entry.start_seconds == starts[i]);
    BOOST_TEST(entry.absolute_start_seconds == 1'700'000'000.0 + starts[i]);
    BOOST_TEST(entry.length_seconds == lengths[i]);
    BOOST_TEST(fixed3(entry.interval_max) == fixed3(static_cast<double>(intervals[i].max()) / 1000.0));
    check_same_counts(entry.histogram, intervals[i]);
  }
}

BOOST_AUTO_TEST_CASE(reads_logs_written_by_hdr_histogram_java) {
  // The head of HdrHistogram Java's jHiccup-2.0.7S.logV2.hlog: StartTime, no
  // BaseTime, timestamps relative to the start; then untagged lines as
  // HdrHistogram_c writes them, with a CR LF ending and a blank line.
  const std::string jhiccup =
      "#[Logged with jHiccup version 2.0.7-SNAPSHOT]\n"
      "#[Histogram log format version 1.2]\n"
      "#[StartTime: 1441753532.570 (seconds since epoch), Tue Sep 08 16:05:32 PDT 2015]\n"
      "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
      "0.126,1.007,1.933,HISTFAAAAEB42pNpmSzMwMAgywABTBDKT4GBgdnNYMcCBvsPEBEjDT0FMTUxMT05LgEhPqmIeWxtTAKMTNxM6xmZmAAjcgjc\n"
      "1.133,1.000,0.377,HISTFAAAADx42pNpmSzMwMAgyQABTBDKT4GBgdnNYMcCBvsPEBEBDQUxCSkJMTEFOSExPhmbR6xfmPQ4GJmYAP4DCJg=\r\n"
      "\n"
      "7.134,1.515,960.496,HISTFAAAAJV42pNpmSzMwMDUwAABTBDKT4GBgdnNYMcCBvsPEBEWLi4eNkY2PiYOPhYOLgGOLuZjTGLrGZnKgTCYyZrJEo"
      "h1mWSZpMFQFkpyM/GCMTKJzOdkYoVCZjgLmc1MhDwzEyMQggl0SH1BbEJIgIUJC2AhUoxchSwsLGwsMIBgYRUkQyFBaQ4g4EIl0PlcpKtB4wMAh5wT+Q==\n";
  std::istringstream in(jhiccup);
  HdrLogReader reader(in);
  const double maxes[] = {1.933, 0.377, 960.496};
  const double starts[] = {0.126, 1.133, 7.134};
  for (int i = 0; i < 3; ++i) {
    Result<std::optional<HdrLogEntry>> entry = reader.next();
    BOOST_TEST_REQUIRE(entry.ok(), entry.status().to_string());
    BOOST_TEST_REQUIRE(entry->has_value());
    const HdrLogEntry& e = **entry;
    BOOST_TEST(e.tag.empty());
    BOOST_TEST(e.start_seconds == starts[i]);
    BOOST_TEST(e.absolute_start_seconds == 1'441'753'532.570 + starts[i]);
    BOOST_TEST(e.interval_max == maxes[i]);
    BOOST_TEST(fixed3(static_cast<double>(e.histogram.max()) / 1e6) == fixed3(maxes[i]));
  }
  BOOST_TEST(reader.format_version() == "1.2");
  BOOST_TEST(*reader.start_time() == 1'441'753'532.570);
  BOOST_TEST(*reader.base_time() == 1'441'753'532.570);  // deduced: the first start precedes StartTime
  const Result<std::optional<HdrLogEntry>> end = reader.next();
  BOOST_TEST(end.ok());
  BOOST_TEST(!end->has_value());

  // Tagged, absolute timestamps, no StartTime (tagged-non-monotonic.hlog).
  const std::string tagged =
      "#[Histogram log format version 1.2]\n"
      "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
      "Tag=A,2.133,1.001,0.426,HISTFAAAAD942pNpmSzMwMAgwwABTBDKT4GBgdnNYMcCBvsPEBE+Ph4OLgk5OSkeIS4+LgEeswIDo1+MbmdYNASYAA51CSo=\n"
      "Tag=B,0.127,1.007,2.769,HISTFAAAAEV42pNpmSzMwMCgyAABTBDKT4GBgdnNYMcCBvsPEBEJISEuATEZMQ4uASkhIR4nrxg9v2lMaxhvMekILGZkKmcCAEf2CsI=\n";
  const Result<std::vector<HdrLogEntry>> entries = read_hdr_log(tagged);
  BOOST_TEST_REQUIRE(entries.ok(), entries.status().to_string());
  BOOST_TEST_REQUIRE(entries->size() == 2u);
  BOOST_TEST((*entries)[0].tag == "A");
  BOOST_TEST((*entries)[1].tag == "B");
  BOOST_TEST((*entries)[0].absolute_start_seconds == 2.133);
  BOOST_TEST((*entries)[1].absolute_start_seconds == 0.127);  // absolute: base 0
  BOOST_TEST((*entries)[1].histogram.total_count() == 741);
}

BOOST_AUTO_TEST_CASE(malformed_log_lines_are_reported_and_skipped) {
  Histogram histogram;
  histogram.record(1234);
  const std::string good = "1.000,1.000,1.234," + encode_base64(histogram) + "\n";
  const std::string text = "#[Histogram log format version 1.3]\n"
                           "1.000,1.000\n"
                           "Tag=x\n"
                           "a,1.000,1.000,HISTFAAAAA==\n"
                           "1.000,1.000,1.000,HISTFAAAAA==\n"
                           "1.000,1.000,1.000,not base64!\n"
                           "nan,1.000,1.000," + encode_base64(histogram) + "\n"
                           "1e300,1.000,1.000," + encode_base64(histogram) + "\n"
                           "1.000,inf,1.000," + encode_base64(histogram) + "\n" +
                           good;
  std::istringstream in(text);
  HdrLogReader reader(in);
  for (int line = 2; line <= 9; ++line) {
    const Result<std::optional<HdrLogEntry>> entry = reader.next();
    BOOST_TEST_REQUIRE(!entry.ok());
    BOOST_TEST(entry.status().message().find("line " + std::to_string(line) + ":") != std::string::npos,
               entry.status().message());
  }
  const Result<std::optional<HdrLogEntry>> entry = reader.next();
  BOOST_TEST_REQUIRE(entry.ok());
  BOOST_TEST((*entry)->histogram.count_at_value(1234) == 1);
  BOOST_TEST(!read_hdr_log(text).ok());
}

BOOST_AUTO_TEST_SUITE_END()  // histogram_codec_test
