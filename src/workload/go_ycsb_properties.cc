#include "workload/go_ycsb_properties.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::workload {
namespace {

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// One property being applied: where it came from, its name and its value
// (trimmed), with the parsers that name all three in their errors.
class Value {
 public:
  Value(std::string_view where, std::string_view key, std::string_view raw)
      : where_(where), key_(key), raw_(raw), text_(trim(raw)) {}

  [[noreturn]] void fail(std::string_view problem) const {
    throw std::invalid_argument(fmt::format("{}: {}: {}", where_, key_, problem));
  }

  std::string_view text() const { return text_; }
  std::string_view raw() const { return raw_; }

  // A decimal integer (an optional sign, then digits) no smaller than `min`.
  int64_t integer(int64_t min) const {
    const std::string_view digits = unsigned_text();
    int64_t value = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || digits.starts_with('+') || result.ptr != digits.data() + digits.size()) {
      fail(fmt::format("'{}' is not an integer", text_));
    }
    if (result.ec == std::errc::result_out_of_range) fail(fmt::format("'{}' is out of range", text_));
    if (value < min) fail(fmt::format("must be at least {}, not {}", min, value));
    return value;
  }

  int int32(int64_t min) const {
    const int64_t value = integer(min);
    if (value > std::numeric_limits<int>::max()) fail(fmt::format("{} is too large", value));
    return static_cast<int>(value);
  }

  // A finite decimal number no smaller than `min`.
  double number(double min) const {
    const std::string_view digits = unsigned_text();
    double value = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || digits.starts_with('+') || result.ec != std::errc() ||
        result.ptr != digits.data() + digits.size() || !std::isfinite(value)) {
      fail(fmt::format("'{}' is not a number", text_));
    }
    if (value < min) fail(fmt::format("must be at least {}, not {}", min, text_));
    return value;
  }

  bool boolean() const {
    const std::string v = lower(text_);
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    fail(fmt::format("'{}' is not a boolean (true or false)", text_));
  }

  // The value, in any case, as one of `choices`.
  template <class T>
  T choice(std::string_view what, std::initializer_list<std::pair<std::string_view, T>> choices) const {
    const std::string v = lower(text_);
    for (const auto& [name, value] : choices) {
      if (v == name) return value;
    }
    std::vector<std::string_view> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    fail(fmt::format("unknown {} '{}' (known: {})", what, text_, fmt::join(names, ", ")));
  }

 private:
  // The text without one leading '+' (Go's ParseInt and ParseFloat take
  // one; std::from_chars does not).
  std::string_view unsigned_text() const {
    std::string_view t = text_;
    if (t.starts_with('+')) t.remove_prefix(1);
    return t;
  }

  std::string_view where_;
  std::string_view key_;
  std::string_view raw_;
  std::string_view text_;
};

// go-ycsb's threadcount and target decide the load together; keep the
// result the same whichever of the two comes first. The thread count lives
// in load_threads (go-ycsb's load uses it too). With a target, go-ycsb's
// threads are the most operations in flight.
void settle_load(WorkloadSpec& spec) {
  if (spec.load_kind == LoadKind::kConcurrency) {
    spec.load_level = spec.load_threads > 0 ? static_cast<double>(spec.load_threads) : 1.0;
  } else if (spec.load_threads > 0) {
    spec.max_inflight = static_cast<size_t>(spec.load_threads);
  }
}

void set_weight(WorkloadSpec& spec, OpType op, const Value& v) { spec.mix.of(op) = v.number(0); }

LengthDistribution length_distribution(const Value& v, std::string_view what) {
  return v.choice<LengthDistribution>(what, {{"uniform", LengthDistribution::kUniform},
                                             {"zipfian", LengthDistribution::kZipfian}});
}

using Apply = void (*)(WorkloadSpec&, const Value&);

struct Handler {
  std::string_view key;
  Apply apply;
};

constexpr std::array kHandlers = {
    Handler{"workload",
            [](WorkloadSpec&, const Value& v) {
              const auto name = v.text();
              if (name != "core" && name != "site.ycsb.workloads.CoreWorkload" &&
                  name != "com.yahoo.ycsb.workloads.CoreWorkload") {
                v.fail(fmt::format("unknown workload class '{}' (tikv-bench runs the core workload: 'core' or "
                                   "'site.ycsb.workloads.CoreWorkload')",
                                   name));
              }
            }},
    Handler{"recordcount", [](WorkloadSpec& s, const Value& v) { s.keyspace.record_count = v.integer(0); }},
    Handler{"insertstart", [](WorkloadSpec& s, const Value& v) { s.keyspace.insert_start = v.integer(0); }},
    Handler{"insertcount", [](WorkloadSpec& s, const Value& v) { s.keyspace.insert_count = v.integer(0); }},
    Handler{"keyprefix", [](WorkloadSpec& s, const Value& v) { s.keyspace.key_prefix = std::string(v.raw()); }},
    Handler{"table", [](WorkloadSpec& s, const Value& v) { s.keyspace.table = std::string(v.raw()); }},
    Handler{"insertorder",
            [](WorkloadSpec& s, const Value& v) {
              s.keyspace.hashed = v.choice<bool>("insert order", {{"hashed", true}, {"ordered", false}});
            }},
    Handler{"zeropadding", [](WorkloadSpec& s, const Value& v) { s.keyspace.zero_padding = v.int32(0); }},
    Handler{"fieldcount", [](WorkloadSpec& s, const Value& v) { s.values.field_count = v.int32(1); }},
    Handler{"fieldlength", [](WorkloadSpec& s, const Value& v) { s.values.field_length.max = v.integer(0); }},
    Handler{"minfieldlength", [](WorkloadSpec& s, const Value& v) { s.values.field_length.min = v.integer(0); }},
    Handler{"fieldlengthdistribution",
            [](WorkloadSpec& s, const Value& v) {
              if (lower(v.text()) == "histogram") {
                v.fail("'histogram' is not supported (fieldlengthhistogram files are not read): use constant, "
                       "uniform or zipfian");
              }
              s.values.field_length.kind = v.choice<LengthDistribution>(
                  "field length distribution", {{"constant", LengthDistribution::kConstant},
                                                {"uniform", LengthDistribution::kUniform},
                                                {"zipfian", LengthDistribution::kZipfian}});
            }},
    Handler{"readallfields", [](WorkloadSpec& s, const Value& v) { s.values.read_all_fields = v.boolean(); }},
    Handler{"writeallfields", [](WorkloadSpec& s, const Value& v) { s.values.write_all_fields = v.boolean(); }},
    Handler{"readproportion", [](WorkloadSpec& s, const Value& v) { set_weight(s, OpType::kRead, v); }},
    Handler{"updateproportion", [](WorkloadSpec& s, const Value& v) { set_weight(s, OpType::kUpdate, v); }},
    Handler{"insertproportion", [](WorkloadSpec& s, const Value& v) { set_weight(s, OpType::kInsert, v); }},
    Handler{"scanproportion", [](WorkloadSpec& s, const Value& v) { set_weight(s, OpType::kScan, v); }},
    Handler{"readmodifywriteproportion",
            [](WorkloadSpec& s, const Value& v) { set_weight(s, OpType::kReadModifyWrite, v); }},
    Handler{"requestdistribution",
            [](WorkloadSpec& s, const Value& v) {
              s.request_distribution.kind = v.choice<KeyDistribution>(
                  "request distribution",
                  {{"uniform", KeyDistribution::kUniform},
                   {"zipfian", KeyDistribution::kZipfian},
                   {"latest", KeyDistribution::kLatest},
                   {"hotspot", KeyDistribution::kHotspot},
                   {"sequential", KeyDistribution::kSequential},
                   {"exponential", KeyDistribution::kExponential}});
            }},
    Handler{"hotspotdatafraction",
            [](WorkloadSpec& s, const Value& v) { s.request_distribution.hotspot_data_fraction = v.number(0); }},
    Handler{"hotspotopnfraction",
            [](WorkloadSpec& s, const Value& v) { s.request_distribution.hotspot_opn_fraction = v.number(0); }},
    Handler{"exponential.percentile",
            [](WorkloadSpec& s, const Value& v) { s.request_distribution.exponential_percentile = v.number(0); }},
    Handler{"exponential.frac",
            [](WorkloadSpec& s, const Value& v) { s.request_distribution.exponential_frac = v.number(0); }},
    Handler{"minscanlength", [](WorkloadSpec& s, const Value& v) { s.scan_length.min = v.integer(0); }},
    Handler{"maxscanlength", [](WorkloadSpec& s, const Value& v) { s.scan_length.max = v.integer(0); }},
    Handler{"scanlengthdistribution",
            [](WorkloadSpec& s, const Value& v) {
              s.scan_length.kind = length_distribution(v, "scan length distribution");
            }},
    Handler{"operationcount",
            [](WorkloadSpec& s, const Value& v) {
              const int64_t n = v.integer(0);
              s.bounds.operations = n > 0 ? std::optional<int64_t>(n) : std::nullopt;
            }},
    Handler{"maxexecutiontime",
            [](WorkloadSpec& s, const Value& v) {
              const int64_t seconds = v.integer(0);
              if (seconds > int64_t{1} << 32) v.fail(fmt::format("{} seconds is too long", seconds));
              s.bounds.duration = seconds > 0 ? std::optional<std::chrono::nanoseconds>(std::chrono::seconds(seconds))
                                              : std::nullopt;
            }},
    Handler{"warmuptime",
            [](WorkloadSpec& s, const Value& v) {
              const int64_t seconds = v.integer(0);
              if (seconds > int64_t{1} << 32) v.fail(fmt::format("{} seconds is too long", seconds));
              s.warmup = std::chrono::seconds(seconds);
            }},
    Handler{"threadcount",
            [](WorkloadSpec& s, const Value& v) {
              s.load_threads = v.integer(1);
              settle_load(s);
            }},
    Handler{"target",
            [](WorkloadSpec& s, const Value& v) {
              // An int in go-ycsb (GetInt64) and Java (Integer.parseInt); <= 0
              // means no target.
              const int64_t target = v.integer(std::numeric_limits<int64_t>::min());
              if (target > 0) {
                s.load_kind = LoadKind::kRate;
                s.load_level = static_cast<double>(target);
                settle_load(s);
              } else {
                s.load_kind = LoadKind::kConcurrency;
                settle_load(s);
              }
            }},
    Handler{"tikv.pd",
            [](WorkloadSpec& s, const Value& v) {
              std::vector<std::string> endpoints;
              std::string_view rest = v.text();
              while (true) {
                const size_t comma = rest.find(',');
                const auto endpoint = trim(rest.substr(0, comma));
                if (!endpoint.empty()) endpoints.emplace_back(endpoint);
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
              }
              if (endpoints.empty()) v.fail("no PD address given");
              s.cluster.pd = std::move(endpoints);
            }},
    Handler{"tikv.type",
            [](WorkloadSpec&, const Value& v) {
              const std::string type = lower(v.text());
              if (type == "raw") return;
              if (type == "txn") {
                v.fail("'txn' is not supported: tikv-bench drives TiKV's raw KV API only (tikv.type=raw)");
              }
              v.fail(fmt::format("unknown type '{}': only 'raw' is supported", v.text()));
            }},
    Handler{"tikv.conncount",
            [](WorkloadSpec& s, const Value& v) { s.cluster.conns = static_cast<size_t>(v.integer(1)); }},
    Handler{"tikv.batchsize",
            [](WorkloadSpec& s, const Value& v) { s.cluster.max_batch = static_cast<size_t>(v.integer(1)); }},
    Handler{"tikv.apiversion",
            [](WorkloadSpec& s, const Value& v) {
              const std::string version = lower(v.text());
              if (version == "v1ttl") v.fail("'V1TTL' is not supported: use V1 or V2");
              s.cluster.api_version = v.choice<std::string>("API version", {{"v1", "v1"}, {"v2", "v2"}});
            }},
};

}  // namespace

bool apply_property(WorkloadSpec& spec, std::string_view key, std::string_view value, std::string_view where) {
  const auto it = std::find_if(kHandlers.begin(), kHandlers.end(), [&](const Handler& h) { return h.key == key; });
  if (it == kHandlers.end()) return false;
  // Apply to a copy so that a throw leaves `spec` as it was.
  WorkloadSpec updated = spec;
  it->apply(updated, Value(where, key, value));
  spec = std::move(updated);
  return true;
}

void apply_properties(WorkloadSpec& spec, const std::vector<Property>& properties, std::string_view source,
                      std::vector<Property>* ignored) {
  for (const auto& property : properties) {
    const std::string where =
        property.line > 0 ? fmt::format("{}:{}", source, property.line) : std::string(source);
    if (!apply_property(spec, property.key, property.value, where) && ignored != nullptr) {
      ignored->push_back(property);
    }
  }
}

WorkloadSpec spec_from_properties(const std::vector<Property>& properties, std::string source,
                                  std::vector<Property>* ignored) {
  WorkloadSpec spec;
  // What go-ycsb's TiKV raw driver stores: row-encoded values under
  // "<table>:<go-ycsb key>".
  spec.values.encoding = ValueEncoding::kRowCodec;
  spec.keyspace.style = KeyStyle::kGoYcsb;
  const auto stem = std::filesystem::path(source).stem().string();
  if (!stem.empty()) spec.name = stem;
  spec.source = source;
  // `source` itself, not spec.source: applying a property replaces the spec.
  apply_properties(spec, properties, source, ignored);
  return spec;
}

std::pair<std::string, std::string> split_override(std::string_view text) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw std::invalid_argument(fmt::format("-p: bad property '{}': expected name=value", text));
  }
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

}  // namespace tikvbench::workload
