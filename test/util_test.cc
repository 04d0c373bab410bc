// Parsing of durations, fractions, endpoints, chaos and latency specs.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "mock/chaos_spec.h"
#include "mock/fault_injector.h"
#include "util/duration.h"
#include "util/fnv_hash.h"
#include "util/host_port.h"
#include "util/key_escaping.h"

// A suite of the one test executable; meson runs it as "util".
BOOST_AUTO_TEST_SUITE(util_test)

using namespace std::chrono_literals;
using namespace tikvbench;

BOOST_AUTO_TEST_CASE(durations_parse_with_every_unit) {
  BOOST_TEST(parse_duration("250us") == std::chrono::nanoseconds(250us));
  BOOST_TEST(parse_duration("20ms") == std::chrono::nanoseconds(20ms));
  BOOST_TEST(parse_duration("1.5s") == std::chrono::nanoseconds(1500ms));
  BOOST_TEST(parse_duration("2m") == std::chrono::nanoseconds(120s));
  BOOST_TEST(parse_duration("1h") == std::chrono::nanoseconds(3600s));
  BOOST_TEST(parse_duration("0") == std::chrono::nanoseconds(0));
  BOOST_TEST(format_duration(parse_duration("1.5s")) == "1.5s");
  BOOST_TEST(format_duration(parse_duration("20ms")) == "20ms");
}

BOOST_AUTO_TEST_CASE(a_formatted_duration_reads_back_to_the_same_nanosecond) {
  BOOST_TEST(format_duration(3888888888s) == "3888888888s");  // not "3.88889e+09s"
  BOOST_TEST(format_duration(1234567ns) == "1.234567ms");
  BOOST_TEST(format_duration(90s) == "90s");
  BOOST_TEST(format_duration(999ns) == "999ns");
  // Durations as the specs make them: a number of a unit, read as a double.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const double number = std::ldexp(static_cast<double>(rng() >> 11), -static_cast<int>(rng() % 64));
    const char* units[] = {"ns", "us", "ms", "s", "m", "h"};
    const auto text = fmt::format("{}{}", number, units[rng() % 6]);
    std::chrono::nanoseconds d;
    try {
      d = parse_duration(text);
    } catch (const std::invalid_argument&) {
      continue;  // too long
    }
    const auto again = parse_duration(format_duration(d));
    BOOST_TEST(again.count() == d.count(), text << " -> " << format_duration(d));
  }
}

BOOST_AUTO_TEST_CASE(a_duration_for_people_is_rounded_in_the_largest_unit_it_reaches) {
  BOOST_TEST(human_duration(2989801087ns) == "3.0s");  // format_duration: "2.989801087s"
  BOOST_TEST(human_duration(3s) == "3.0s");
  BOOST_TEST(human_duration(125340ms) == "125.3s");
  BOOST_TEST(human_duration(12345678ns) == "12.3ms");
  BOOST_TEST(human_duration(250400ns) == "250us");
  BOOST_TEST(human_duration(999ns) == "999ns");
  BOOST_TEST(human_duration(0ns) == "0ns");
  // What would round to 1000 of a unit is shown in the next one.
  BOOST_TEST(human_duration(999960us) == "1.0s");
  BOOST_TEST(human_duration(999949999ns) == "999.9ms");
  BOOST_TEST(human_duration(999600ns) == "1.0ms");
  BOOST_TEST(human_duration(999499ns) == "999us");
  BOOST_TEST(human_duration(-1500ms) == "-1.5s");
  BOOST_TEST(human_duration(std::chrono::nanoseconds::min()).starts_with("-"));
}

BOOST_AUTO_TEST_CASE(bad_durations_are_refused_with_the_text_named) {
  for (const char* text : {"", "s", "5", "-1s", "1x", "1.5", "abc"}) {
    BOOST_CHECK_EXCEPTION(parse_duration(text), std::invalid_argument, [&](const std::invalid_argument& e) {
      return std::string(e.what()).find(std::string("'") + text + "'") != std::string::npos;
    });
  }
}

BOOST_AUTO_TEST_CASE(fractions_parse_as_percent_or_plain) {
  BOOST_TEST(parse_fraction("0.5%") == 0.005);
  BOOST_TEST(parse_fraction("0.25") == 0.25);
  BOOST_TEST(parse_fraction("100%") == 1.0);
  BOOST_CHECK_THROW(parse_fraction("101%"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_fraction("2"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_fraction("1%%"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(endpoints_parse_with_and_without_host) {
  auto hp = parse_host_port("pd0:2379");
  BOOST_TEST(hp.host == "pd0");
  BOOST_TEST(hp.port == 2379);
  hp = parse_host_port("2379");
  BOOST_TEST(hp.host == "127.0.0.1");
  hp = parse_host_port("[::1]:20160");
  BOOST_TEST(hp.host == "::1");
  BOOST_TEST(hp.to_string() == "[::1]:20160");
  hp = parse_host_port("http://127.0.0.1:2379");
  BOOST_TEST(hp.port == 2379);
  for (const char* bad : {"", "host:", ":80", "host:99999", "host:port"}) {
    BOOST_CHECK_THROW(parse_host_port(bad), std::invalid_argument);
  }
}

BOOST_AUTO_TEST_CASE(chaos_specs_parse_and_print_back) {
  const auto spec = mock::parse_chaos("split=2s,transfer-leader=1s,restart-store=30s,busy=0.5%");
  BOOST_TEST(spec.split == std::chrono::nanoseconds(2s));
  BOOST_TEST(spec.transfer_leader == std::chrono::nanoseconds(1s));
  BOOST_TEST(spec.restart_store == std::chrono::nanoseconds(30s));
  BOOST_TEST(spec.downtime == std::chrono::nanoseconds(3s));
  BOOST_TEST(spec.busy == 0.005);
  BOOST_TEST(mock::parse_chaos(spec.to_string()).to_string() == spec.to_string());
  BOOST_TEST(!mock::parse_chaos("").any());
  BOOST_CHECK_THROW(mock::parse_chaos("split"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::parse_chaos("merge=1s"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::parse_chaos("split=fast"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(latency_specs_parse_each_distribution) {
  BOOST_TEST(static_cast<int>(mock::parse_latency("0").kind) == static_cast<int>(mock::LatencySpec::Kind::kNone));
  BOOST_TEST(static_cast<int>(mock::parse_latency("2ms").kind) == static_cast<int>(mock::LatencySpec::Kind::kFixed));
  const auto uniform = mock::parse_latency("uniform:1ms-5ms");
  BOOST_TEST(uniform.a == std::chrono::nanoseconds(1ms));
  BOOST_TEST(uniform.b == std::chrono::nanoseconds(5ms));
  BOOST_TEST(mock::parse_latency("normal:5ms,1ms").b == std::chrono::nanoseconds(1ms));
  BOOST_TEST(mock::parse_latency("exp:2ms").a == std::chrono::nanoseconds(2ms));
  BOOST_CHECK_THROW(mock::parse_latency("uniform:5ms-1ms"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::parse_latency("pareto:1ms"), std::invalid_argument);
  BOOST_CHECK_THROW(mock::parse_latency("uniform:1ms"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(fault_draws_follow_their_settings) {
  mock::FaultInjector faults(7);
  int busy = 0;
  for (int i = 0; i < 100'000; ++i) busy += faults.draw_busy();
  BOOST_TEST(busy == 0);
  faults.set_busy_fraction(0.1);
  for (int i = 0; i < 100'000; ++i) busy += faults.draw_busy();
  BOOST_TEST(busy > 9'000);
  BOOST_TEST(busy < 11'000);

  faults.set_latency(mock::parse_latency("uniform:1ms-3ms"));
  double sum = 0;
  for (int i = 0; i < 10'000; ++i) {
    const auto d = faults.draw_latency(1);
    BOOST_REQUIRE(d >= std::chrono::nanoseconds(1ms));
    BOOST_REQUIRE(d <= std::chrono::nanoseconds(3ms));
    sum += static_cast<double>(d.count());
  }
  BOOST_TEST(sum / 10'000 > 1.9e6);
  BOOST_TEST(sum / 10'000 < 2.1e6);

  faults.set_latency(mock::parse_latency("exp:2ms"));
  sum = 0;
  for (int i = 0; i < 100'000; ++i) sum += static_cast<double>(faults.draw_latency(1).count());
  BOOST_TEST(sum / 100'000 > 1.9e6);
  BOOST_TEST(sum / 100'000 < 2.1e6);
}

BOOST_AUTO_TEST_CASE(keys_take_hex_escapes) {
  BOOST_TEST(unescape_key("a\\x00b\\\\") == std::string("a\0b\\", 4));
  BOOST_TEST(escape_key(std::string("a\0b\\", 4)) == "a\\x00b\\\\");
  BOOST_CHECK_THROW(unescape_key("\\x4"), std::invalid_argument);
  BOOST_CHECK_THROW(unescape_key("\\q00"), std::invalid_argument);
}

// ---- FNV: the key hashes of go-ycsb and Java YCSB ----

BOOST_AUTO_TEST_CASE(fnv_hash64_matches_go_ycsb_big_endian_hash) {
  // go-ycsb util.Hash64: FNV-1a over the big-endian bytes, negated if
  // negative (go-ycsb PR #19). Computed independently in Python.
  static_assert(fnv_hash64(0) == 6284781860667377211);
  BOOST_TEST(fnv_hash64(0) == 6284781860667377211);
  BOOST_TEST(fnv_hash64(1) == 6284782960179005422);
  BOOST_TEST(fnv_hash64(2) == 6284784059690633633);
  BOOST_TEST(fnv_hash64(42) == 6284810447969710697);
  BOOST_TEST(fnv_hash64(1000) == 6283728528527740298);
  BOOST_TEST(fnv_hash64(-1) == 8289690350564177859);
  BOOST_TEST(fnv_hash64(std::numeric_limits<int64_t>::max()) == 2537960875119846589);
  BOOST_TEST(fnv_hash64(std::numeric_limits<int64_t>::min()) == 2750429125540792901);
  // Consecutive numbers differ in the last byte hashed, so their hashes
  // share a prefix: go-ycsb's keys for 1839, 1840, 1841 (go-ycsb PR #113).
  BOOST_TEST(fnv_hash64(1839) == 6287630695295504237);
  BOOST_TEST(fnv_hash64(1840) == 6287598809458286118);
}

BOOST_AUTO_TEST_CASE(java_fnv_hash64_matches_ycsb_utils_fnvhash64) {
  // YCSB Utils.fnvhash64: FNV-1a over the little-endian bytes, Math.abs.
  // Values printed by the Java source itself (OpenJDK 17).
  static_assert(java_fnv_hash64(0) == 6284781860667377211);
  BOOST_TEST(java_fnv_hash64(0) == 6284781860667377211);
  BOOST_TEST(java_fnv_hash64(1) == 8517097267634966620);
  BOOST_TEST(java_fnv_hash64(2) == 1820151046732198393);
  BOOST_TEST(java_fnv_hash64(42) == 55488592825689361);
  BOOST_TEST(java_fnv_hash64(1000) == 5952875239596136740);
  BOOST_TEST(java_fnv_hash64(-1) == 8289690350564177859);
  BOOST_TEST(java_fnv_hash64(std::numeric_limits<int64_t>::max()) == 8289549613075766851);
  BOOST_TEST(java_fnv_hash64(std::numeric_limits<int64_t>::min()) == 6284922598155788219);
}

BOOST_AUTO_TEST_CASE(fnv_abs_leaves_int64_min_negative_like_math_abs) {
  BOOST_TEST(tikvbench::detail::java_abs(0x8000000000000000u) == std::numeric_limits<int64_t>::min());
  BOOST_TEST(tikvbench::detail::java_abs(0xffffffffffffffffu) == 1);
  BOOST_TEST(tikvbench::detail::java_abs(5) == 5);
}

BOOST_AUTO_TEST_SUITE_END()  // util_test
