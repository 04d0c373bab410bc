#include "workload/workload_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/duration.h"
#include "util/file_text.h"
#include "workload/go_ycsb_properties.h"
#include "workload/properties_file.h"
#include "workload/yaml_spec.h"

namespace tikvbench::workload {
namespace {


bool is_yaml(const std::string& path, const std::string& text) {
  const auto extension = std::filesystem::path(path).extension().string();
  if (extension == ".yaml" || extension == ".yml") return true;
  if (extension == ".properties" || extension == ".prop") return false;
  return looks_like_yaml(text);
}

// The shortest text that reads back as the same double.
std::string number(double value) { return fmt::format("{}", value); }

// Writes `text` as a YAML string that reads back the same: yaml-cpp leaves
// control characters (a \r, say, from a .properties escape) unquoted, and
// a reader folds them into line breaks; double quotes escape them.
void put_text(YAML::Emitter& out, const std::string& text) {
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (control) out << YAML::DoubleQuoted;
  out << text;
}

template <class Enum>
std::string name_of(Enum value, std::initializer_list<std::pair<Enum, const char*>> names) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "?";
}

std::string length_kind(LengthDistribution kind) {
  return name_of(kind, {{LengthDistribution::kConstant, "constant"},
                        {LengthDistribution::kUniform, "uniform"},
                        {LengthDistribution::kZipfian, "zipfian"}});
}

void emit_length(YAML::Emitter& out, const LengthSpec& length) {
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "distribution" << YAML::Value << length_kind(length.kind)
      << YAML::Key << "min" << YAML::Value << length.min << YAML::Key << "max" << YAML::Value << length.max
      << YAML::EndMap;
}

void emit_level(YAML::Emitter& out, const Phase& phase) {
  out << YAML::Key << (phase.kind == LoadKind::kRate ? "rate" : "concurrency") << YAML::Value;
  switch (phase.shape) {
    case PhaseShape::kConstant: out << number(phase.from); break;
    case PhaseShape::kRamp:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value << number(phase.from) << YAML::Key << "to"
          << YAML::Value << number(phase.to) << YAML::EndMap;
      break;
    case PhaseShape::kSteps: {
      std::vector<std::string> steps;
      for (double step : phase.steps) steps.push_back(number(step));
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "steps" << YAML::Value << YAML::Flow << steps
          << YAML::EndMap;
      break;
    }
  }
}

}  // namespace

bool is_yaml_file(const std::string& path) { return is_yaml(path, read_file_text(path)); }

LoadedWorkload read_workload(const std::string& path, const std::vector<std::string>& overrides) {
  return read_workload(std::vector<std::string>{path}, overrides);
}

LoadedWorkload read_workload(const std::vector<std::string>& paths, const std::vector<std::string>& overrides) {
  if (paths.empty()) throw std::invalid_argument("-P: no workload file given");
  const auto& path = paths.front();
  const auto text = read_file_text(path);
  LoadedWorkload loaded;
  if (is_yaml(path, text)) {
    if (paths.size() > 1) {
      throw std::invalid_argument(fmt::format(
          "-P {}: a YAML workload is one file; several -P are for go-ycsb properties files only", paths[1]));
    }
    loaded.spec = spec_from_yaml(text, path);
    loaded.yaml = true;
  } else {
    std::vector<Property> ignored;
    const auto note_ignored = [&](const std::string& file) {
      for (const auto& property : ignored) {
        loaded.warnings.push_back(fmt::format("{}:{}: property '{}' is not used", file, property.line, property.key));
      }
      ignored.clear();
    };
    loaded.spec = spec_from_properties(parse_properties(text, path), path, &ignored);
    note_ignored(path);
    // Later files override earlier ones, property by property, as go-ycsb
    // merges its -P files.
    for (size_t i = 1; i < paths.size(); ++i) {
      const auto more = read_file_text(paths[i]);
      if (is_yaml(paths[i], more)) {
        throw std::invalid_argument(fmt::format(
            "-P {}: a YAML workload is one file; several -P are for go-ycsb properties files only", paths[i]));
      }
      auto spec = loaded.spec;
      apply_properties(spec, parse_properties(more, paths[i]), paths[i], &ignored);
      loaded.spec = std::move(spec);
      note_ignored(paths[i]);
    }
  }
  if (loaded.spec.name == "workload" || loaded.spec.name.empty()) {
    loaded.spec.name = std::filesystem::path(path).stem().string();
  }
  for (const auto& text_override : overrides) {
    const auto key = split_override(text_override).first;
    if (key == "operationcount" || key == "maxexecutiontime") {
      loaded.spec.bounds = RunBounds{};
      loaded.bounds_overridden = true;
      break;
    }
  }
  for (const auto& text_override : overrides) {
    const auto [key, value] = split_override(text_override);
    if (!apply_property(loaded.spec, key, value, "-p")) {
      loaded.warnings.push_back(fmt::format("-p {}: property '{}' is not used", text_override, key));
    }
  }
  validate(loaded.spec);
  return loaded;
}

void apply_threads(WorkloadSpec& spec, int64_t threads) {
  const auto n = static_cast<double>(threads);
  spec.load_threads = threads;
  if (spec.load_kind == LoadKind::kConcurrency) spec.load_level = n;
  for (auto& phase : spec.phases) {
    if (phase.kind == LoadKind::kConcurrency && phase.shape == PhaseShape::kConstant) phase.from = phase.to = n;
  }
  if (!spec.max_inflight_given) spec.max_inflight = static_cast<size_t>(threads);
}

std::string spec_to_yaml(const WorkloadSpec& spec) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value;
  put_text(out, spec.name);
  const auto& keys = spec.keyspace;
  out << YAML::Key << "keyspace" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "records" << YAML::Value << keys.record_count;
  out << YAML::Key << "table" << YAML::Value;
  put_text(out, keys.table);
  out << YAML::Key << "prefix" << YAML::Value;
  put_text(out, keys.key_prefix);
  out << YAML::Key << "order" << YAML::Value << (keys.hashed ? "hashed" : "ordered");
  out << YAML::Key << "zero_padding" << YAML::Value << keys.zero_padding;
  out << YAML::Key << "insert_start" << YAML::Value << keys.insert_start;
  out << YAML::Key << "insert_count" << YAML::Value << keys.resolved_insert_count();
  out << YAML::Key << "style" << YAML::Value << (keys.style == KeyStyle::kGoYcsb ? "go-ycsb" : "ycsb");
  out << YAML::EndMap;
  const auto& values = spec.values;
  out << YAML::Key << "values" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "fields" << YAML::Value << values.field_count;
  out << YAML::Key << "field_length" << YAML::Value;
  emit_length(out, values.field_length);
  if (values.value_size) {
    out << YAML::Key << "size" << YAML::Value;
    emit_length(out, *values.value_size);
  }
  out << YAML::Key << "encoding" << YAML::Value << (values.encoding == ValueEncoding::kRaw ? "raw" : "rowcodec");
  out << YAML::Key << "read_all_fields" << YAML::Value << values.read_all_fields;
  out << YAML::Key << "write_all_fields" << YAML::Value << values.write_all_fields;
  out << YAML::EndMap;
  out << YAML::Key << "mix" << YAML::Value << YAML::BeginMap;
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    out << YAML::Key << std::string(kOpTypeNames[i]) << YAML::Value << number(spec.mix.weight[i]);
  }
  out << YAML::Key << "batch_size" << YAML::Value << spec.mix.batch_size;
  out << YAML::EndMap;
  const auto& dist = spec.request_distribution;
  out << YAML::Key << "distribution" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "type" << YAML::Value
      << name_of(dist.kind, {{KeyDistribution::kUniform, "uniform"},
                             {KeyDistribution::kZipfian, "zipfian"},
                             {KeyDistribution::kLatest, "latest"},
                             {KeyDistribution::kHotspot, "hotspot"},
                             {KeyDistribution::kSequential, "sequential"},
                             {KeyDistribution::kExponential, "exponential"}});
  out << YAML::Key << "theta" << YAML::Value << number(dist.zipfian_theta);
  out << YAML::Key << "data_fraction" << YAML::Value << number(dist.hotspot_data_fraction);
  out << YAML::Key << "op_fraction" << YAML::Value << number(dist.hotspot_opn_fraction);
  out << YAML::Key << "percentile" << YAML::Value << number(dist.exponential_percentile);
  out << YAML::Key << "fraction" << YAML::Value << number(dist.exponential_frac);
  out << YAML::EndMap;
  out << YAML::Key << "scan_length" << YAML::Value;
  emit_length(out, spec.scan_length);
  out << YAML::Key << "load" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << (spec.load_kind == LoadKind::kRate ? "rate" : "concurrency") << YAML::Value << number(spec.load_level);
  out << YAML::Key << "max_inflight" << YAML::Value << spec.max_inflight;
  if (spec.load_threads > 0) out << YAML::Key << "load_concurrency" << YAML::Value << spec.load_threads;
  out << YAML::EndMap;
  out << YAML::Key << "warmup" << YAML::Value << format_duration(spec.warmup);
  if (!spec.phases.empty()) {
    out << YAML::Key << "phases" << YAML::Value << YAML::BeginSeq;
    for (const auto& phase : spec.phases) {
      out << YAML::BeginMap;
      out << YAML::Key << "name" << YAML::Value;
      put_text(out, phase.name);
      out << YAML::Key << "duration" << YAML::Value << format_duration(phase.duration);
      emit_level(out, phase);
      if (phase.warmup) out << YAML::Key << "warmup" << YAML::Value << true;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (spec.bounds.duration || spec.bounds.operations) {
    out << YAML::Key << "run" << YAML::Value << YAML::BeginMap;
    if (spec.bounds.duration) out << YAML::Key << "duration" << YAML::Value << format_duration(*spec.bounds.duration);
    if (spec.bounds.operations) out << YAML::Key << "operations" << YAML::Value << *spec.bounds.operations;
    out << YAML::EndMap;
  }
  out << YAML::Key << "thresholds" << YAML::Value << YAML::Flow << spec.thresholds;
  out << YAML::Key << "verify" << YAML::Value << spec.verify;
  if (!spec.cluster.pd.empty() || spec.cluster.conns || spec.cluster.max_batch || spec.cluster.api_version) {
    out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
    if (!spec.cluster.pd.empty()) out << YAML::Key << "pd" << YAML::Value << YAML::Flow << spec.cluster.pd;
    if (spec.cluster.conns) out << YAML::Key << "conns" << YAML::Value << *spec.cluster.conns;
    if (spec.cluster.max_batch) out << YAML::Key << "max_batch" << YAML::Value << *spec.cluster.max_batch;
    if (spec.cluster.api_version) out << YAML::Key << "api_version" << YAML::Value << *spec.cluster.api_version;
    out << YAML::EndMap;
  }
  if (spec.seed != 0) out << YAML::Key << "seed" << YAML::Value << spec.seed;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace tikvbench::workload
