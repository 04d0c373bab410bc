// The round trip every valid workload must survive, for the workload fuzz
// targets: spec_to_yaml() writes it out, spec_from_yaml() reads that text
// back, and the result is the same spec, field for field (workload_file.h
// promises this; `tikv-bench validate` prints that text for people to edit
// and run). A difference is printed to stderr and aborts, which libFuzzer
// records as a crash with its input.
//
// A spec holding a string that is not UTF-8 is not checked: YAML is Unicode
// text, so yaml-cpp writes such bytes as U+FFFD and no YAML workload can
// name them. (A .properties file is read as bytes, so its table and
// keyprefix can hold them; go-ycsb would use them as they are, and so does
// a run, but `validate` cannot print them.)
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workload/spec.h"
#include "workload/workload_file.h"
#include "workload/yaml_spec.h"

namespace tikvbench::fuzz {

// The first field in which `a` and `b` differ, or "" when they are the same
// workload. `source` is where a spec came from, not what it is: ignored.
inline std::string spec_difference(const workload::WorkloadSpec& a, const workload::WorkloadSpec& b) {
  using workload::LengthSpec;
  using workload::Phase;
  const auto same_length = [](const LengthSpec& x, const LengthSpec& y) {
    return x.kind == y.kind && x.min == y.min && x.max == y.max;
  };
  const auto same_phases = [](const std::vector<Phase>& x, const std::vector<Phase>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i].name != y[i].name || x[i].duration != y[i].duration || x[i].kind != y[i].kind ||
          x[i].shape != y[i].shape || x[i].from != y[i].from || x[i].to != y[i].to || x[i].steps != y[i].steps ||
          x[i].warmup != y[i].warmup) {
        return false;
      }
    }
    return true;
  };
  const auto& ka = a.keyspace;
  const auto& kb = b.keyspace;
  const auto& da = a.request_distribution;
  const auto& db = b.request_distribution;
  const std::pair<const char*, bool> fields[] = {
      {"name", a.name == b.name},
      {"keyspace.records", ka.record_count == kb.record_count},
      {"keyspace.table", ka.table == kb.table},
      {"keyspace.prefix", ka.key_prefix == kb.key_prefix},
      {"keyspace.order", ka.hashed == kb.hashed},
      {"keyspace.zero_padding", ka.zero_padding == kb.zero_padding},
      {"keyspace.insert_start", ka.insert_start == kb.insert_start},
      {"keyspace.insert_count", ka.resolved_insert_count() == kb.resolved_insert_count()},
      {"keyspace.style", ka.style == kb.style},
      {"values.fields", a.values.field_count == b.values.field_count},
      {"values.field_length", same_length(a.values.field_length, b.values.field_length)},
      {"values.size", a.values.value_size.has_value() == b.values.value_size.has_value() &&
                          (!a.values.value_size || same_length(*a.values.value_size, *b.values.value_size))},
      {"values.encoding", a.values.encoding == b.values.encoding},
      {"values.read_all_fields", a.values.read_all_fields == b.values.read_all_fields},
      {"values.write_all_fields", a.values.write_all_fields == b.values.write_all_fields},
      {"mix", a.mix.weight == b.mix.weight},
      {"mix.batch_size", a.mix.batch_size == b.mix.batch_size},
      {"distribution", da.kind == db.kind && da.zipfian_theta == db.zipfian_theta &&
                           da.hotspot_data_fraction == db.hotspot_data_fraction &&
                           da.hotspot_opn_fraction == db.hotspot_opn_fraction &&
                           da.exponential_percentile == db.exponential_percentile &&
                           da.exponential_frac == db.exponential_frac},
      {"scan_length", same_length(a.scan_length, b.scan_length)},
      {"load", a.load_kind == b.load_kind && a.load_level == b.load_level},
      {"load.max_inflight", a.max_inflight == b.max_inflight},
      {"load.load_concurrency", a.load_threads == b.load_threads},
      {"phases", same_phases(a.phases, b.phases)},
      {"warmup", a.warmup == b.warmup},
      {"run.duration", a.bounds.duration == b.bounds.duration},
      {"run.operations", a.bounds.operations == b.bounds.operations},
      {"thresholds", a.thresholds == b.thresholds},
      {"verify", a.verify == b.verify},
      {"cluster", a.cluster.pd == b.cluster.pd && a.cluster.conns == b.cluster.conns &&
                      a.cluster.max_batch == b.cluster.max_batch && a.cluster.api_version == b.cluster.api_version},
      {"seed", a.seed == b.seed},
  };
  for (const auto& [field, same] : fields) {
    if (!same) return field;
  }
  return {};
}

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) that YAML can hold (no U+FFFE or
// U+FFFF).
inline bool is_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int more = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i <= static_cast<size_t>(more)) return false;
    for (int k = 1; k <= more; ++k) {
      const auto next = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((next & 0xC0) != 0x80) return false;
      cp = cp << 6 | (next & 0x3Fu);
    }
    if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    // U+FFFE and U+FFFF are not printable in YAML: yaml-cpp's emitter writes
    // them as U+FFFD (workload_file.h says so), so they cannot round-trip.
    if (cp == 0xFFFE || cp == 0xFFFF) return false;
    i += static_cast<size_t>(more) + 1;
  }
  return true;
}

// True when every string of `spec` is UTF-8.
inline bool all_utf8(const workload::WorkloadSpec& spec) {
  std::vector<std::string_view> strings = {spec.name, spec.keyspace.table, spec.keyspace.key_prefix};
  for (const auto& phase : spec.phases) strings.push_back(phase.name);
  for (const auto& threshold : spec.thresholds) strings.push_back(threshold);
  for (const auto& pd : spec.cluster.pd) strings.push_back(pd);
  if (spec.cluster.api_version) strings.push_back(*spec.cluster.api_version);
  for (const auto s : strings) {
    if (!is_utf8(s)) return false;
  }
  return true;
}

// Writes `spec` (which validated) as YAML, reads it back and aborts unless
// the two are the same workload. Does nothing unless all_utf8(spec).
inline void check_yaml_round_trip(const workload::WorkloadSpec& spec) {
  if (!all_utf8(spec)) return;
  const std::string text = workload::spec_to_yaml(spec);
  workload::WorkloadSpec again;
  try {
    again = workload::spec_from_yaml(text, spec.source);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "spec_to_yaml wrote a workload that does not read back: %s\n---\n%s---\n", e.what(),
                 text.c_str());
    std::abort();
  }
  if (const std::string field = spec_difference(spec, again); !field.empty()) {
    std::fprintf(stderr, "spec_to_yaml and spec_from_yaml disagree on %s:\n---\n%s---\nread back as:\n---\n%s---\n",
                 field.c_str(), text.c_str(), workload::spec_to_yaml(again).c_str());
    std::abort();
  }
}

}  // namespace tikvbench::fuzz
