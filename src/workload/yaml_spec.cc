#include "workload/yaml_spec.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/duration.h"

namespace tikvbench::workload {
namespace {

constexpr std::string_view kTopLevelKeys[] = {"name",  "keyspace", "values",  "mix",        "distribution",
                                              "scan_length", "load", "warmup", "phases", "run",
                                              "thresholds",  "verify",   "cluster", "seed"};

// A node with the file it came from, for messages that point at it.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const YAML::Node& node, std::string_view message) const {
    const auto mark = node.Mark();
    if (mark.line < 0) throw std::invalid_argument(fmt::format("{}: {}", source_, message));
    throw std::invalid_argument(fmt::format("{}:{}:{}: {}", source_, mark.line + 1, mark.column + 1, message));
  }

  // Calls `on_key(key, value)` for every entry of the mapping `node`; keys
  // outside `known` are errors at the key.
  using OnKey = std::function<void(const std::string&, const YAML::Node&)>;
  void for_each(const YAML::Node& node, std::string_view what, std::initializer_list<std::string_view> known,
                const OnKey& on_key) const {
    for_each(node, what, std::span<const std::string_view>(known.begin(), known.size()), on_key);
  }
  void for_each(const YAML::Node& node, std::string_view what, std::span<const std::string_view> known,
                const OnKey& on_key) const {
    if (!node.IsMap()) fail(node, fmt::format("{} must be a mapping", what));
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const auto key = entry.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        fail(entry.first, fmt::format("unknown key '{}' in {} (known: {})", key, what, fmt::join(known, ", ")));
      }
      if (!seen.insert(key).second) fail(entry.first, fmt::format("'{}' given twice in {}", key, what));
      on_key(key, entry.second);
    }
  }

  std::string text(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) fail(node, fmt::format("{} must be a string", key));
    return node.Scalar();
  }

  double number(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) fail(node, fmt::format("{} must be a number", key));
    const auto& s = node.Scalar();
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || s.empty() || !std::isfinite(value)) {
      fail(node, fmt::format("{} must be a number, not '{}'", key, s));
    }
    return value;
  }

  int64_t integer(const YAML::Node& node, std::string_view key, int64_t min) const {
    if (!node.IsScalar()) fail(node, fmt::format("{} must be a number", key));
    // Digits are read as an integer: through a double, a seed or a count
    // above 2^53 would silently become another number.
    const auto& s = node.Scalar();
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      const double number = this->number(node, key);  // accepts 1e6
      if (number != std::floor(number) || std::fabs(number) > 9.0e18) {
        fail(node, fmt::format("{} must be a whole number, not '{}'", key, s));
      }
      value = static_cast<int64_t>(number);
    }
    if (value < min) fail(node, fmt::format("{} must be at least {}", key, min));
    return value;
  }

  // As integer(), for fields that are an int.
  int int32(const YAML::Node& node, std::string_view key, int min) const {
    const int64_t value = integer(node, key, min);
    if (value > std::numeric_limits<int>::max()) fail(node, fmt::format("{} is too large", key));
    return static_cast<int>(value);
  }

  bool boolean(const YAML::Node& node, std::string_view key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      fail(node, fmt::format("{} must be true or false", key));
    }
    return value;
  }

  std::chrono::nanoseconds duration(const YAML::Node& node, std::string_view key) const {
    const auto s = text(node, key);
    try {
      return parse_duration(s);
    } catch (const std::invalid_argument& e) {
      fail(node, fmt::format("{}: {}", key, e.what()));
    }
  }

  double fraction(const YAML::Node& node, std::string_view key) const {
    const double value = number(node, key);
    if (value < 0 || value > 1) fail(node, fmt::format("{} must be in [0, 1]", key));
    return value;
  }

  template <class Enum>
  Enum choice(const YAML::Node& node, std::string_view key, std::initializer_list<std::pair<std::string_view, Enum>> options) const {
    const auto s = text(node, key);
    std::vector<std::string_view> names;
    for (const auto& [name, value] : options) {
      if (name == s) return value;
      names.push_back(name);
    }
    fail(node, fmt::format("{} must be one of {}, not '{}'", key, fmt::join(names, ", "), s));
  }

 private:
  const std::string& source_;
};

LengthSpec read_length(const Reader& r, const YAML::Node& node, std::string_view what, LengthSpec length) {
  if (node.IsScalar()) {
    length.kind = LengthDistribution::kConstant;
    length.max = r.integer(node, what, 0);
    length.min = length.max;
    return length;
  }
  r.for_each(node, what, {"distribution", "min", "max"}, [&](const std::string& key, const YAML::Node& value) {
    if (key == "distribution") {
      length.kind = r.choice<LengthDistribution>(value, "distribution",
                                                 {{"constant", LengthDistribution::kConstant},
                                                  {"uniform", LengthDistribution::kUniform},
                                                  {"zipfian", LengthDistribution::kZipfian}});
    } else if (key == "min") {
      length.min = r.integer(value, "min", 0);
    } else {
      length.max = r.integer(value, "max", 0);
    }
  });
  if (length.kind != LengthDistribution::kConstant && length.min > length.max) {
    r.fail(node, fmt::format("{}: min ({}) is above max ({})", what, length.min, length.max));
  }
  return length;
}

void read_keyspace(const Reader& r, const YAML::Node& node, KeyspaceSpec& keys) {
  r.for_each(node, "keyspace",
             {"records", "table", "prefix", "order", "zero_padding", "insert_start", "insert_count", "style"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "records") keys.record_count = r.integer(value, key, 0);
               else if (key == "table") keys.table = r.text(value, key);
               else if (key == "prefix") keys.key_prefix = r.text(value, key);
               else if (key == "order") keys.hashed = r.choice<bool>(value, key, {{"hashed", true}, {"ordered", false}});
               else if (key == "zero_padding") {
                 keys.zero_padding = r.int32(value, key, 1);
                 if (keys.zero_padding > 64) r.fail(value, "zero_padding must be at most 64");
               } else if (key == "insert_start") keys.insert_start = r.integer(value, key, 0);
               else if (key == "insert_count") keys.insert_count = r.integer(value, key, 0);
               else keys.style = r.choice<KeyStyle>(value, key, {{"go-ycsb", KeyStyle::kGoYcsb}, {"ycsb", KeyStyle::kJavaYcsb}});
             });
}

void read_values(const Reader& r, const YAML::Node& node, ValueSpec& values) {
  r.for_each(node, "values",
             {"fields", "field_length", "size", "encoding", "read_all_fields", "write_all_fields"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "fields") values.field_count = r.int32(value, key, 1);
               else if (key == "field_length") values.field_length = read_length(r, value, key, values.field_length);
               else if (key == "size") values.value_size = read_length(r, value, key, LengthSpec{});
               else if (key == "encoding") {
                 values.encoding = r.choice<ValueEncoding>(value, key, {{"raw", ValueEncoding::kRaw},
                                                                        {"rowcodec", ValueEncoding::kRowCodec}});
               } else if (key == "read_all_fields") values.read_all_fields = r.boolean(value, key);
               else values.write_all_fields = r.boolean(value, key);
             });
}

void read_mix(const Reader& r, const YAML::Node& node, OperationMix& mix) {
  // Given proportions replace the defaults as a whole: an unnamed type is 0.
  mix.weight.fill(0);
  std::initializer_list<std::string_view> known = {"read",   "update",    "insert",    "scan",      "read_modify_write",
                                                   "delete", "batch_get", "batch_put", "batch_size"};
  r.for_each(node, "mix", known, [&](const std::string& key, const YAML::Node& value) {
    if (key == "batch_size") {
      mix.batch_size = r.int32(value, key, 1);
      return;
    }
    for (size_t i = 0; i < kOpTypeCount; ++i) {
      if (kOpTypeNames[i] == key) {
        mix.weight[i] = r.number(value, key);
        if (mix.weight[i] < 0) r.fail(value, fmt::format("{} must not be negative", key));
      }
    }
  });
  double sum = 0;
  for (double w : mix.weight) sum += w;
  if (!(sum > 0)) r.fail(node, "the mix's proportions sum to 0: nothing to run");
}

void read_distribution(const Reader& r, const YAML::Node& node, RequestDistribution& dist) {
  const std::initializer_list<std::pair<std::string_view, KeyDistribution>> kinds = {
      {"uniform", KeyDistribution::kUniform},       {"zipfian", KeyDistribution::kZipfian},
      {"latest", KeyDistribution::kLatest},         {"hotspot", KeyDistribution::kHotspot},
      {"sequential", KeyDistribution::kSequential}, {"exponential", KeyDistribution::kExponential}};
  if (node.IsScalar()) {
    dist.kind = r.choice<KeyDistribution>(node, "distribution", kinds);
    return;
  }
  r.for_each(node, "distribution", {"type", "theta", "data_fraction", "op_fraction", "percentile", "fraction"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "type") dist.kind = r.choice<KeyDistribution>(value, key, kinds);
               else if (key == "theta") {
                 dist.zipfian_theta = r.number(value, key);
                 if (!(dist.zipfian_theta > 0) || dist.zipfian_theta == 1.0) r.fail(value, "theta must be above 0 and not 1");
               } else if (key == "data_fraction") dist.hotspot_data_fraction = r.fraction(value, key);
               else if (key == "op_fraction") dist.hotspot_opn_fraction = r.fraction(value, key);
               else if (key == "percentile") {
                 dist.exponential_percentile = r.number(value, key);
                 if (!(dist.exponential_percentile > 0 && dist.exponential_percentile < 100)) {
                   r.fail(value, "percentile must be in (0, 100)");
                 }
               } else {
                 dist.exponential_frac = r.number(value, key);
                 if (!(dist.exponential_frac > 0)) r.fail(value, "fraction must be above 0");
               }
             });
}

// `rate: 1000`, `rate: {from: 1000, to: 5000}` or `rate: {steps: [...]}`;
// the same for concurrency.
void read_level(const Reader& r, const YAML::Node& node, std::string_view key, Phase& phase) {
  const auto check = [&](const YAML::Node& at, double level) {
    if (phase.kind == LoadKind::kRate && !(level > 0)) r.fail(at, fmt::format("{} must be above 0", key));
    if (phase.kind == LoadKind::kConcurrency && (level < 1 || level != std::floor(level))) {
      r.fail(at, fmt::format("{} must be a whole number of at least 1", key));
    }
    return level;
  };
  if (node.IsScalar()) {
    phase.shape = PhaseShape::kConstant;
    phase.from = phase.to = check(node, r.number(node, key));
    return;
  }
  bool has_from = false, has_to = false, has_steps = false;
  r.for_each(node, key, {"from", "to", "steps"}, [&](const std::string& name, const YAML::Node& value) {
    if (name == "from") {
      phase.from = check(value, r.number(value, name));
      has_from = true;
    } else if (name == "to") {
      phase.to = check(value, r.number(value, name));
      has_to = true;
    } else {
      if (!value.IsSequence() || value.size() == 0) r.fail(value, "steps must be a non-empty list of levels");
      for (const auto& step : value) phase.steps.push_back(check(step, r.number(step, "a step")));
      has_steps = true;
    }
  });
  if (has_steps) {
    if (has_from || has_to) r.fail(node, fmt::format("{}: give either steps or from/to", key));
    phase.shape = PhaseShape::kSteps;
  } else if (has_from && has_to) {
    phase.shape = PhaseShape::kRamp;
  } else {
    r.fail(node, fmt::format("{}: a ramp needs both from and to", key));
  }
}

Phase read_phase(const Reader& r, const YAML::Node& node, size_t index) {
  Phase phase;
  phase.name = fmt::format("phase{}", index + 1);
  bool has_duration = false, has_level = false;
  r.for_each(node, "a phase", {"name", "duration", "rate", "concurrency", "warmup"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "name") phase.name = r.text(value, key);
               else if (key == "duration") {
                 phase.duration = r.duration(value, key);
                 if (phase.duration.count() <= 0) r.fail(value, "a phase's duration must be above 0");
                 has_duration = true;
               } else if (key == "warmup") phase.warmup = r.boolean(value, key);
               else {
                 if (has_level) r.fail(value, "a phase has either a rate or a concurrency, not both");
                 phase.kind = key == "rate" ? LoadKind::kRate : LoadKind::kConcurrency;
                 read_level(r, value, key, phase);
                 has_level = true;
               }
             });
  if (!has_duration) r.fail(node, fmt::format("phase '{}' has no duration", phase.name));
  if (!has_level) r.fail(node, fmt::format("phase '{}' has neither a rate nor a concurrency", phase.name));
  return phase;
}

void read_load(const Reader& r, const YAML::Node& node, WorkloadSpec& spec) {
  bool has_level = false;
  r.for_each(node, "load", {"concurrency", "rate", "max_inflight", "load_concurrency"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "max_inflight") {
                 spec.max_inflight = static_cast<size_t>(r.integer(value, key, 1));
                 spec.max_inflight_given = true;
               } else if (key == "load_concurrency") {
                 spec.load_threads = r.integer(value, key, 1);
               } else {
                 if (has_level) r.fail(value, "load has either a rate or a concurrency, not both");
                 has_level = true;
                 if (key == "rate") {
                   spec.load_kind = LoadKind::kRate;
                   spec.load_level = r.number(value, key);
                   if (!(spec.load_level > 0)) r.fail(value, "rate must be above 0");
                 } else {
                   spec.load_kind = LoadKind::kConcurrency;
                   spec.load_level = static_cast<double>(r.integer(value, key, 1));
                 }
               }
             });
}

void read_cluster(const Reader& r, const YAML::Node& node, ClusterSpec& cluster) {
  r.for_each(node, "cluster", {"pd", "conns", "max_batch", "api_version"},
             [&](const std::string& key, const YAML::Node& value) {
               if (key == "pd") {
                 cluster.pd.clear();
                 if (value.IsSequence()) {
                   for (const auto& pd : value) cluster.pd.push_back(r.text(pd, "pd"));
                 } else {
                   cluster.pd.push_back(r.text(value, key));
                 }
               } else if (key == "conns") cluster.conns = static_cast<size_t>(r.integer(value, key, 1));
               else if (key == "max_batch") cluster.max_batch = static_cast<size_t>(r.integer(value, key, 1));
               else {
                 cluster.api_version = r.text(value, key);
                 if (*cluster.api_version != "v1" && *cluster.api_version != "v2") r.fail(value, "api_version must be v1 or v2");
               }
             });
}

}  // namespace

WorkloadSpec spec_from_yaml(std::string_view text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument(fmt::format("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  WorkloadSpec spec;
  spec.source = source;
  const Reader r(source);
  if (!root.IsMap()) r.fail(root, "a workload must be a YAML mapping");
  try {
    r.for_each(root, "the workload", std::span<const std::string_view>(kTopLevelKeys), [&](const std::string& key, const YAML::Node& value) {
      if (key == "name") spec.name = r.text(value, key);
      else if (key == "keyspace") read_keyspace(r, value, spec.keyspace);
      else if (key == "values") read_values(r, value, spec.values);
      else if (key == "mix") read_mix(r, value, spec.mix);
      else if (key == "distribution") read_distribution(r, value, spec.request_distribution);
      else if (key == "scan_length") {
        spec.scan_length = read_length(r, value, key, spec.scan_length);
        if (spec.scan_length.max < 1 || (spec.scan_length.kind != LengthDistribution::kConstant && spec.scan_length.min < 1)) {
          r.fail(value, "a scan length must be at least 1");
        }
      } else if (key == "load") read_load(r, value, spec);
      else if (key == "warmup") spec.warmup = r.duration(value, key);
      else if (key == "phases") {
        if (!value.IsSequence()) r.fail(value, "phases must be a list");
        for (size_t i = 0; i < value.size(); ++i) spec.phases.push_back(read_phase(r, value[i], i));
      } else if (key == "run") {
        r.for_each(value, "run", {"duration", "operations"}, [&](const std::string& name, const YAML::Node& bound) {
          if (name == "duration") {
            spec.bounds.duration = r.duration(bound, name);
            if (spec.bounds.duration->count() <= 0) r.fail(bound, "duration must be above 0");
          } else {
            spec.bounds.operations = r.integer(bound, name, 0);
          }
        });
      } else if (key == "thresholds") {
        if (!value.IsSequence()) r.fail(value, "thresholds must be a list of expressions");
        for (const auto& expr : value) spec.thresholds.push_back(r.text(expr, "a threshold"));
      } else if (key == "verify") spec.verify = r.boolean(value, key);
      else if (key == "cluster") read_cluster(r, value, spec.cluster);
      else spec.seed = static_cast<uint64_t>(r.integer(value, key, 0));
    });
  } catch (const YAML::Exception& e) {
    // yaml-cpp's own conversions (a key that is not a scalar, say).
    throw std::invalid_argument(fmt::format("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  validate(spec);
  return spec;
}

bool looks_like_yaml(std::string_view text) {
  try {
    const auto root = YAML::Load(std::string(text));
    if (!root.IsMap()) return false;
    for (const auto& entry : root) {
      if (!entry.first.IsScalar()) return false;
      const auto& key = entry.first.Scalar();
      if (std::find(std::begin(kTopLevelKeys), std::end(kTopLevelKeys), key) != std::end(kTopLevelKeys)) return true;
    }
    return false;
  } catch (const YAML::Exception&) {
    return false;
  }
}

}  // namespace tikvbench::workload
