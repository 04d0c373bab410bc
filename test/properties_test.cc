// go-ycsb compatibility: Java .properties syntax, go-ycsb's workload files
// and properties, key names and the row codec of its TiKV raw driver.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "workload/go_ycsb_properties.h"
#include "workload/key_namer.h"
#include "workload/properties_file.h"
#include "workload/row_codec.h"
#include "workload/spec.h"

using namespace std::chrono_literals;
using namespace tikvbench::workload;

namespace tikvbench::workload {

// Printers for Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, const Property& p) {
  return os << "{" << p.key << "=" << p.value << " @" << p.line << "}";
}

std::ostream& operator<<(std::ostream& os, const RowColumn& c) {
  return os << "{" << c.id << ": " << c.value.size() << " bytes}";
}

}  // namespace tikvbench::workload

// A suite of the one test executable; meson runs it as "properties".
BOOST_AUTO_TEST_SUITE(properties_test)

namespace {

std::vector<Property> props(std::string_view text) { return parse_properties(text, "t.properties"); }

// A predicate for BOOST_CHECK_EXCEPTION: the message contains `part`.
auto says(std::string part) {
  return [part = std::move(part)](const std::invalid_argument& e) {
    const bool found = std::string(e.what()).find(part) != std::string::npos;
    if (!found) BOOST_TEST_MESSAGE("message was: " << e.what());
    return found;
  };
}

std::string data_file(const std::string& name) { return std::string(TEST_DATA_DIR) + "/go-ycsb/" + name; }

WorkloadSpec from_text(std::string_view text, std::vector<Property>* ignored = nullptr) {
  return spec_from_properties(parse_properties(text, "w.properties"), "w.properties", ignored);
}

}  // namespace

// ---- Java .properties syntax ----

BOOST_AUTO_TEST_CASE(properties_accept_every_separator_form) {
  const auto p = props("a=1\nb:2\nc 3\nd = 4\ne\t:\t5\n  f=6\ng  =  7  \nh=\ni\nj==8\nk:=9\n");
  const std::vector<Property> expected = {
      {"a", "1", 1}, {"b", "2", 2},   {"c", "3", 3},  {"d", "4", 4},  {"e", "5", 5},  {"f", "6", 6},
      {"g", "7  ", 7}, {"h", "", 8}, {"i", "", 9}, {"j", "=8", 10}, {"k", "=9", 11},
  };
  BOOST_TEST(p == expected);
}

BOOST_AUTO_TEST_CASE(properties_skip_comments_and_blank_lines) {
  const auto p = props("# a comment\n! another\n   # indented comment\n\n   \t\nkey=value # not a comment\n#last");
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(p[0].key == "key");
  BOOST_TEST(p[0].value == "value # not a comment");
  BOOST_TEST(p[0].line == 6);
}

BOOST_AUTO_TEST_CASE(properties_join_lines_ending_in_an_odd_backslash) {
  const auto p = props(
      "list=a,\\\n"
      "      b,\\\n"
      "   # not a comment here\n"
      "two=x\\\\\n"        // an even count: a literal backslash, no join
      "# comment \\\n"     // a comment never continues
      "three=y\n"
      "empty=z\\\n"
      "\n"                  // a blank continuation ends the value
      "four=w\\");          // a lone backslash at the end of the text goes
  const std::vector<Property> expected = {
      {"list", "a,b,# not a comment here", 1},
      {"two", "x\\", 4},
      {"three", "y", 6},
      {"empty", "z", 7},
      {"four", "w", 9},
  };
  BOOST_TEST(p == expected);
}

BOOST_AUTO_TEST_CASE(properties_resolve_escapes) {
  const auto p = props(
      "tabs=a\\tb\\nc\\rd\\fe\n"
      "a\\=b\\:c\\ d=value\n"
      "\\#hash=1\n"
      "unicode=\\u0041\\u00e9\\u20AC\n"
      "pair=\\uD83D\\uDE00\n"
      "other=\\q\\\\\n"
      "raw=caf\xc3\xa9\n");
  BOOST_TEST_REQUIRE(p.size() == 7u);
  BOOST_TEST(p[0].value == "a\tb\nc\rd\fe");
  BOOST_TEST(p[1].key == "a=b:c d");
  BOOST_TEST(p[1].value == "value");
  BOOST_TEST(p[2].key == "#hash");
  BOOST_TEST(p[3].value == "A\xc3\xa9\xe2\x82\xac");
  BOOST_TEST(p[4].value == "\xf0\x9f\x98\x80");
  BOOST_TEST(p[5].value == "q\\");
  BOOST_TEST(p[6].value == "caf\xc3\xa9");  // UTF-8 passes through
}

BOOST_AUTO_TEST_CASE(properties_count_lines_for_every_line_ending) {
  const auto p = props("a=1\r\nb=2\rc=3\n\r\nd=4\\\r\n  more\r\ne=5");
  const std::vector<Property> expected = {
      {"a", "1", 1}, {"b", "2", 2}, {"c", "3", 3}, {"d", "4more", 5}, {"e", "5", 7},
  };
  BOOST_TEST(p == expected);
}

BOOST_AUTO_TEST_CASE(properties_keep_duplicate_keys_in_order) {
  const auto p = props("k=1\nk=2\n");
  BOOST_TEST_REQUIRE(p.size() == 2u);
  BOOST_TEST(p[1].value == "2");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_name_the_file_and_line) {
  BOOST_CHECK_EXCEPTION(props("ok=1\n\nbad=\\u12G4\n"), std::invalid_argument,
                        says("t.properties:3: malformed \\uXXXX escape"));
  BOOST_CHECK_EXCEPTION(props("short=\\u12"), std::invalid_argument, says("t.properties:1: malformed"));
  BOOST_CHECK_EXCEPTION(props("a=b\\\n  c\\uD800x"), std::invalid_argument,
                        says("t.properties:2: \\uD800 is half of a surrogate pair"));
  BOOST_CHECK_EXCEPTION(props("a=\\uDC00"), std::invalid_argument, says("t.properties:1: \\uDC00 is half"));
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_is_named_with_the_reason) {
  BOOST_CHECK_EXCEPTION(read_properties_file("/nonexistent/workloadz"), std::invalid_argument,
                        says("/nonexistent/workloadz: cannot read: No such file or directory"));
  BOOST_CHECK_EXCEPTION(read_properties_file(TEST_DATA_DIR), std::invalid_argument, says(": cannot read: "));
}

// ---- go-ycsb's workload files ----

namespace {

struct Expected {
  const char* file;
  std::array<double, kOpTypeCount> weight;
  KeyDistribution distribution;
  int64_t max_scan_length;
};

}  // namespace

BOOST_AUTO_TEST_CASE(go_ycsb_workloads_a_to_f_resolve_to_their_mix_and_distribution) {
  const Expected cases[] = {
      {"workloada", {0.5, 0.5, 0, 0, 0, 0, 0, 0}, KeyDistribution::kZipfian, 1000},
      {"workloadb", {0.95, 0.05, 0, 0, 0, 0, 0, 0}, KeyDistribution::kZipfian, 1000},
      {"workloadc", {1, 0, 0, 0, 0, 0, 0, 0}, KeyDistribution::kUniform, 1000},
      {"workloadd", {0.95, 0, 0.05, 0, 0, 0, 0, 0}, KeyDistribution::kLatest, 1000},
      {"workloade", {0, 0, 0.05, 0.95, 0, 0, 0, 0}, KeyDistribution::kZipfian, 100},
      {"workloadf", {0.5, 0, 0, 0, 0.5, 0, 0, 0}, KeyDistribution::kZipfian, 1000},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.file) {
      const auto path = data_file(c.file);
      std::vector<Property> ignored;
      const auto spec = spec_from_properties(read_properties_file(path), path, &ignored);
      BOOST_TEST(ignored.empty());
      BOOST_TEST(spec.name == c.file);
      BOOST_TEST(spec.source == path);
      BOOST_TEST(spec.mix.weight == c.weight);
      BOOST_TEST(static_cast<int>(spec.request_distribution.kind) == static_cast<int>(c.distribution));
      BOOST_TEST(spec.scan_length.max == c.max_scan_length);
      // What every file sets, and go-ycsb's defaults for what none sets.
      BOOST_TEST(spec.keyspace.record_count == 1000);
      BOOST_TEST(spec.keyspace.resolved_insert_count() == 1000);
      BOOST_TEST((spec.bounds.operations == std::optional<int64_t>(1000)));
      BOOST_TEST(!spec.bounds.duration);
      BOOST_TEST(spec.values.read_all_fields);
      BOOST_TEST(!spec.values.write_all_fields);
      BOOST_TEST(spec.values.field_count == 10);
      BOOST_TEST(static_cast<int>(spec.values.field_length.kind) == static_cast<int>(LengthDistribution::kConstant));
      BOOST_TEST(spec.values.field_length.max == 100);
      BOOST_TEST(static_cast<int>(spec.values.encoding) == static_cast<int>(ValueEncoding::kRowCodec));
      BOOST_TEST(spec.scan_length.min == 1);
      BOOST_TEST(static_cast<int>(spec.scan_length.kind) == static_cast<int>(LengthDistribution::kUniform));
      BOOST_TEST(spec.keyspace.table == "usertable");
      BOOST_TEST(spec.keyspace.key_prefix == "user");
      BOOST_TEST(spec.keyspace.hashed);
      BOOST_TEST(spec.keyspace.zero_padding == 1);
      BOOST_TEST(static_cast<int>(spec.keyspace.style) == static_cast<int>(KeyStyle::kGoYcsb));
      BOOST_TEST(spec.request_distribution.hotspot_data_fraction == 0.2);
      BOOST_TEST(spec.request_distribution.hotspot_opn_fraction == 0.8);
      BOOST_TEST(spec.request_distribution.exponential_percentile == 95.0);
      BOOST_TEST(spec.request_distribution.exponential_frac == 0.8571428571);
      BOOST_TEST(static_cast<int>(spec.load_kind) == static_cast<int>(LoadKind::kConcurrency));
      BOOST_TEST(spec.load_level == 1.0);
      BOOST_TEST(spec.cluster.pd.empty());
      BOOST_CHECK_NO_THROW(validate(spec));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_empty_file_gives_go_ycsb_defaults) {
  const auto spec = from_text("");
  BOOST_TEST(spec.name == "w");
  BOOST_TEST(spec.mix.weight == (std::array<double, kOpTypeCount>{0.95, 0.05, 0, 0, 0, 0, 0, 0}));
  BOOST_TEST(static_cast<int>(spec.request_distribution.kind) == static_cast<int>(KeyDistribution::kUniform));
  BOOST_TEST(spec.keyspace.record_count == 0);
  BOOST_TEST(!spec.bounds.operations);
  BOOST_TEST(spec.scan_length.max == 1000);
}

BOOST_AUTO_TEST_CASE(every_core_property_maps_onto_the_spec) {
  std::vector<Property> ignored;
  const auto spec = from_text(
      "workload=site.ycsb.workloads.CoreWorkload\n"
      "recordcount=5000\ninsertstart=100\ninsertcount=2000\n"
      "keyprefix=k\ntable=t\ninsertorder=ordered\nzeropadding=12\n"
      "fieldcount=4\nfieldlength=64\nminfieldlength=8\nfieldlengthdistribution=Uniform\n"
      "readallfields=false\nwriteallfields=true\n"
      "readproportion=0.1\nupdateproportion=0.2\ninsertproportion=0.3\nscanproportion=0.15\n"
      "readmodifywriteproportion=0.25\n"
      "requestdistribution=hotspot\nhotspotdatafraction=0.1\nhotspotopnfraction=0.9\n"
      "exponential.percentile=90\nexponential.frac=0.5\n"
      "minscanlength=5\nmaxscanlength=50\nscanlengthdistribution=zipfian\n"
      "operationcount=100000\nmaxexecutiontime=60\nwarmuptime=10\n"
      "threadcount=32\n"
      "tikv.pd=pd0:2379, pd1:2379\ntikv.type=raw\ntikv.conncount=4\ntikv.batchsize=64\ntikv.apiversion=V2\n"
      "measurementtype=histogram\nsomething.else=1\n",
      &ignored);
  BOOST_TEST(spec.keyspace.record_count == 5000);
  BOOST_TEST(spec.keyspace.insert_start == 100);
  BOOST_TEST((spec.keyspace.insert_count == std::optional<int64_t>(2000)));
  BOOST_TEST(spec.keyspace.key_prefix == "k");
  BOOST_TEST(spec.keyspace.table == "t");
  BOOST_TEST(!spec.keyspace.hashed);
  BOOST_TEST(spec.keyspace.zero_padding == 12);
  BOOST_TEST(spec.values.field_count == 4);
  BOOST_TEST(static_cast<int>(spec.values.field_length.kind) == static_cast<int>(LengthDistribution::kUniform));
  BOOST_TEST(spec.values.field_length.min == 8);
  BOOST_TEST(spec.values.field_length.max == 64);
  BOOST_TEST(!spec.values.read_all_fields);
  BOOST_TEST(spec.values.write_all_fields);
  BOOST_TEST(spec.mix.weight == (std::array<double, kOpTypeCount>{0.1, 0.2, 0.3, 0.15, 0.25, 0, 0, 0}));
  BOOST_TEST(static_cast<int>(spec.request_distribution.kind) == static_cast<int>(KeyDistribution::kHotspot));
  BOOST_TEST(spec.request_distribution.hotspot_data_fraction == 0.1);
  BOOST_TEST(spec.request_distribution.hotspot_opn_fraction == 0.9);
  BOOST_TEST(spec.request_distribution.exponential_percentile == 90.0);
  BOOST_TEST(spec.request_distribution.exponential_frac == 0.5);
  BOOST_TEST(spec.scan_length.min == 5);
  BOOST_TEST(spec.scan_length.max == 50);
  BOOST_TEST(static_cast<int>(spec.scan_length.kind) == static_cast<int>(LengthDistribution::kZipfian));
  BOOST_TEST((spec.bounds.operations == std::optional<int64_t>(100000)));
  BOOST_TEST((spec.bounds.duration == std::optional<std::chrono::nanoseconds>(60s)));
  BOOST_TEST((spec.warmup == std::chrono::nanoseconds(10s)));
  BOOST_TEST(static_cast<int>(spec.load_kind) == static_cast<int>(LoadKind::kConcurrency));
  BOOST_TEST(spec.load_level == 32.0);
  BOOST_TEST(spec.load_threads == 32);
  BOOST_TEST(spec.cluster.pd == (std::vector<std::string>{"pd0:2379", "pd1:2379"}));
  BOOST_TEST((spec.cluster.conns == std::optional<size_t>(4)));
  BOOST_TEST((spec.cluster.max_batch == std::optional<size_t>(64)));
  BOOST_TEST((spec.cluster.api_version == std::optional<std::string>("v2")));
  BOOST_TEST_REQUIRE(ignored.size() == 2u);
  BOOST_TEST(ignored[0].key == "measurementtype");
  BOOST_TEST(ignored[1].key == "something.else");
  BOOST_TEST(ignored[1].line == 38);
  BOOST_CHECK_NO_THROW(validate(spec));
}

BOOST_AUTO_TEST_CASE(target_is_an_open_loop_at_that_total_rate_whatever_the_order) {
  auto spec = from_text("threadcount=16\ntarget=2000\n");
  BOOST_TEST(static_cast<int>(spec.load_kind) == static_cast<int>(LoadKind::kRate));
  BOOST_TEST(spec.load_level == 2000.0);
  BOOST_TEST(spec.load_threads == 16);
  spec = from_text("target=2000\nthreadcount=16\n");
  BOOST_TEST(static_cast<int>(spec.load_kind) == static_cast<int>(LoadKind::kRate));
  BOOST_TEST(spec.load_level == 2000.0);
  // No target (0, or -1 as go-ycsb scripts pass): closed loop at threadcount.
  for (const char* none : {"0", "-1"}) {
    BOOST_TEST(apply_property(spec, "target", none, "-p"));
    BOOST_TEST(static_cast<int>(spec.load_kind) == static_cast<int>(LoadKind::kConcurrency));
    BOOST_TEST(spec.load_level == 16.0);
  }
}

BOOST_AUTO_TEST_CASE(overrides_with_p_win_over_the_file) {
  const auto path = data_file("workloada");
  auto spec = spec_from_properties(read_properties_file(path), path);
  for (const char* text : {"recordcount=5000", "requestdistribution=uniform", "readproportion=0.9",
                           "updateproportion=0.1", "operationcount=0", "fieldlength=10", "table=bench"}) {
    const auto [name, value] = split_override(text);
    BOOST_TEST(apply_property(spec, name, value, "-p"));
  }
  BOOST_TEST(!apply_property(spec, "exporter", "json", "-p"));
  BOOST_TEST(spec.keyspace.record_count == 5000);
  BOOST_TEST(static_cast<int>(spec.request_distribution.kind) == static_cast<int>(KeyDistribution::kUniform));
  BOOST_TEST(spec.mix.of(OpType::kRead) == 0.9);
  BOOST_TEST(spec.mix.of(OpType::kUpdate) == 0.1);
  BOOST_TEST(!spec.bounds.operations);
  BOOST_TEST(spec.values.field_length.max == 10);
  BOOST_TEST(spec.keyspace.table == "bench");
  BOOST_CHECK_NO_THROW(validate(spec));

  const auto [name, value] = split_override("tikv.pd=a:1=b");
  BOOST_TEST(name == "tikv.pd");
  BOOST_TEST(value == "a:1=b");
  BOOST_CHECK_EXCEPTION(split_override("recordcount"), std::invalid_argument,
                        says("-p: bad property 'recordcount': expected name=value"));
  BOOST_CHECK_THROW(split_override("=1"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(bad_properties_name_the_file_line_and_property) {
  BOOST_CHECK_EXCEPTION(from_text("recordcount=10\n\nworkload=site.ycsb.workloads.TimeSeriesWorkload\n"),
                        std::invalid_argument,
                        says("w.properties:3: workload: unknown workload class "
                             "'site.ycsb.workloads.TimeSeriesWorkload'"));
  BOOST_CHECK_EXCEPTION(from_text("# c\nrecordcount=lots\n"), std::invalid_argument,
                        says("w.properties:2: recordcount: 'lots' is not an integer"));
  BOOST_CHECK_EXCEPTION(from_text("recordcount=1e6\n"), std::invalid_argument, says("'1e6' is not an integer"));
  BOOST_CHECK_EXCEPTION(from_text("operationcount=-5\n"), std::invalid_argument,
                        says("w.properties:1: operationcount: must be at least 0, not -5"));
  BOOST_CHECK_EXCEPTION(from_text("readproportion=half\n"), std::invalid_argument,
                        says("w.properties:1: readproportion: 'half' is not a number"));
  BOOST_CHECK_EXCEPTION(from_text("updateproportion=-0.1\n"), std::invalid_argument,
                        says("updateproportion: must be at least 0"));
  BOOST_CHECK_EXCEPTION(from_text("a=1\ntikv.type=txn\n"), std::invalid_argument,
                        says("w.properties:2: tikv.type: 'txn' is not supported"));
  BOOST_CHECK_EXCEPTION(from_text("tikv.type=coprocessor\n"), std::invalid_argument,
                        says("tikv.type: unknown type 'coprocessor'"));
  BOOST_CHECK_EXCEPTION(from_text("fieldlengthdistribution=histogram\n"), std::invalid_argument,
                        says("w.properties:1: fieldlengthdistribution: 'histogram' is not supported"));
  BOOST_CHECK_EXCEPTION(from_text("requestdistribution=pareto\n"), std::invalid_argument,
                        says("w.properties:1: requestdistribution: unknown request distribution 'pareto'"));
  BOOST_CHECK_EXCEPTION(from_text("scanlengthdistribution=constant\n"), std::invalid_argument,
                        says("scanlengthdistribution: unknown scan length distribution 'constant'"));
  BOOST_CHECK_EXCEPTION(from_text("insertorder=random\n"), std::invalid_argument,
                        says("insertorder: unknown insert order 'random'"));
  BOOST_CHECK_EXCEPTION(from_text("readallfields=maybe\n"), std::invalid_argument,
                        says("readallfields: 'maybe' is not a boolean"));
  BOOST_CHECK_EXCEPTION(from_text("threadcount=0\n"), std::invalid_argument, says("threadcount: must be at least 1"));
  BOOST_CHECK_EXCEPTION(from_text("tikv.apiversion=V1TTL\n"), std::invalid_argument,
                        says("tikv.apiversion: 'V1TTL' is not supported"));
  BOOST_CHECK_EXCEPTION(from_text("tikv.pd= , \n"), std::invalid_argument, says("tikv.pd: no PD address given"));

  // A failed override names "-p" and leaves the spec as it was.
  auto spec = from_text("fieldcount=3\n");
  BOOST_CHECK_EXCEPTION(apply_property(spec, "fieldcount", "x", "-p"), std::invalid_argument,
                        says("-p: fieldcount: 'x' is not an integer"));
  BOOST_TEST(spec.values.field_count == 3);
}

BOOST_AUTO_TEST_CASE(values_are_trimmed_and_names_matched_in_any_case) {
  const auto spec =
      from_text("recordcount = 42   \nrequestdistribution=Zipfian \t\nreadallfields=FALSE\ntarget=+100\n");
  BOOST_TEST(spec.keyspace.record_count == 42);
  BOOST_TEST(static_cast<int>(spec.request_distribution.kind) == static_cast<int>(KeyDistribution::kZipfian));
  BOOST_TEST(!spec.values.read_all_fields);
  BOOST_TEST(spec.load_level == 100.0);
}

// ---- Keys ----
//
// The expected keys were computed once, independently of this code, by a
// small Python re-implementation: go-ycsb's util.Hash64 as FNV-1a 64 over
// struct.pack('>Q', n) read back as signed, then abs; Java's Utils.hash the
// same over struct.pack('<Q', n); go-ycsb's "%s%0*d" as Python's
// format(n, '0<w>d') (which, like Go, puts the zeros after a sign); Java's
// padding as (w - len(str(n))) zeros in front.

BOOST_AUTO_TEST_CASE(go_ycsb_keys_match_byte_for_byte) {
  KeyspaceSpec keys;  // hashed, prefix "user", zeropadding 1
  KeyNamer hashed(keys);
  BOOST_TEST(hashed.name(0) == "user6284781860667377211");  // the raw FNV is negative here
  BOOST_TEST(hashed.name(1) == "user6284782960179005422");
  BOOST_TEST(hashed.name(42) == "user6284810447969710697");
  BOOST_TEST(hashed.name(999) == "user6283716433899829977");
  BOOST_TEST(hashed.name(12345) == "user6330672177484936918");
  BOOST_TEST(hashed.name(1000000) == "user2740105236383194386");  // and positive here
  BOOST_TEST(hashed.row_key(0) == "usertable:user6284781860667377211");

  keys.zero_padding = 20;
  BOOST_TEST(KeyNamer(keys).name(1000000) == "user02740105236383194386");
  BOOST_TEST(KeyNamer(keys).name(0) == "user06284781860667377211");
  keys.zero_padding = 25;
  BOOST_TEST(KeyNamer(keys).name(0) == "user0000006284781860667377211");

  keys.hashed = false;
  keys.zero_padding = 12;
  BOOST_TEST(KeyNamer(keys).name(42) == "user000000000042");
  keys.zero_padding = 1;
  BOOST_TEST(KeyNamer(keys).name(999) == "user999");
  keys.zero_padding = 5;
  BOOST_TEST(KeyNamer(keys).name(-42) == "user-0042");  // Go pads after the sign
  keys.key_prefix = "";
  keys.zero_padding = 0;
  keys.table = "t";
  BOOST_TEST(KeyNamer(keys).row_key(7) == "t:7");
}

BOOST_AUTO_TEST_CASE(java_ycsb_keys_match_byte_for_byte) {
  KeyspaceSpec keys;
  keys.style = KeyStyle::kJavaYcsb;
  KeyNamer hashed(keys);
  BOOST_TEST(hashed.name(0) == "user6284781860667377211");
  BOOST_TEST(hashed.name(1) == "user8517097267634966620");
  BOOST_TEST(hashed.name(42) == "user55488592825689361");
  BOOST_TEST(hashed.name(1000000) == "user1011632231655643464");
  BOOST_TEST(hashed.row_key(1) == "usertable:user8517097267634966620");
  keys.zero_padding = 22;
  BOOST_TEST(KeyNamer(keys).name(42) == "user0000055488592825689361");
  keys.hashed = false;
  keys.zero_padding = 8;
  BOOST_TEST(KeyNamer(keys).name(42) == "user00000042");
  keys.zero_padding = 5;
  BOOST_TEST(KeyNamer(keys).name(-42) == "user00-42");  // Java pads before the sign
}

// ---- Row codec ----

BOOST_AUTO_TEST_CASE(rows_encode_byte_for_byte_as_go_ycsb) {
  // Expected bytes computed once by a Python re-implementation of go-ycsb's
  // EncodeRow: per column 0x08, zigzag varint(id), 0x02, zigzag
  // varint(len), the bytes.
  const std::vector<RowColumn> columns = {{0, "ab"}, {1, ""}, {9, "xyz"}};
  const std::string expected("\x08\x00\x02\x04" "ab" "\x08\x02\x02\x00" "\x08\x12\x02\x06" "xyz", 17);
  BOOST_TEST(encode_row(columns) == expected);

  const std::string long_value(200, 'q');
  const std::vector<RowColumn> wide = {{70, long_value}};
  BOOST_TEST(encode_row(wide) == std::string("\x08\x8c\x01\x02\x90\x03", 6) + long_value);
  const std::vector<RowColumn> negative = {{-1, "z"}};
  BOOST_TEST(encode_row(negative) == std::string("\x08\x01\x02\x02z", 5));
  BOOST_TEST(encode_row({}) == std::string(1, '\0'));

  FieldMap fields = {{"field9", "xyz"}, {"field0", "ab"}, {"field1", ""}};
  const auto by_name = encode_fields(fields);
  BOOST_TEST_REQUIRE(by_name.ok());
  BOOST_TEST(*by_name == expected);  // columns in id order
  BOOST_TEST(!encode_fields(FieldMap{{"name", "x"}}).ok());
}

BOOST_AUTO_TEST_CASE(rows_round_trip_and_decode_by_field) {
  std::vector<std::string> values;
  std::vector<RowColumn> columns;
  for (int i = 0; i < 10; ++i) values.push_back(std::string(100, static_cast<char>('a' + i)) + '\0' + "\xff");
  for (int i = 0; i < 10; ++i) columns.push_back({i, values[static_cast<size_t>(i)]});
  const std::string row = encode_row(columns);
  const auto decoded = decode_row(row);
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST(*decoded == columns);

  const std::vector<std::string> wanted = {"field3", "field7", "field99"};
  const auto some = decode_fields(row, wanted);
  BOOST_TEST_REQUIRE(some.ok());
  BOOST_TEST(some->size() == 2u);
  BOOST_TEST(some->at("field3") == values[3]);
  const auto all = decode_fields(row);
  BOOST_TEST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == 10u);

  BOOST_TEST(decode_row("")->empty());
  BOOST_TEST(decode_row(std::string(1, '\0'))->empty());
  BOOST_TEST(field_name(7) == "field7");
  BOOST_TEST((field_id("field12") == std::optional<int64_t>(12)));
  BOOST_TEST(!field_id("field"));
  BOOST_TEST(!field_id("field01"));
  BOOST_TEST(!field_id("field-1"));
  BOOST_TEST(!field_id("user1"));
}

BOOST_AUTO_TEST_CASE(broken_rows_are_errors_not_crashes) {
  const std::string broken[] = {
      std::string("\x09\x00\x02\x00", 4),          // wrong id flag
      std::string("\x08\x00\x03\x00", 4),          // wrong bytes flag
      std::string("\x08", 1),                      // truncated id
      std::string("\x08\x00", 2),                  // no value
      std::string("\x08\x00\x02\x10" "ab", 6),     // length past the end
      std::string("\x08\x00\x02\x01", 4),          // negative length
      std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x02\x00", 13),  // id over 64 bits
      std::string("\x08\x00\x02\x00\x00", 5),      // trailing byte
  };
  for (const auto& row : broken) {
    const auto result = decode_row(row);
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.status().message().starts_with("row: "));
  }
}

BOOST_AUTO_TEST_SUITE_END()  // properties_test
