// libFuzzer target: a go-ycsb .properties workload, read as `tikv-bench
// validate FILE.properties` reads it: parse_properties, spec_from_properties,
// validate. Checks that
//   - each step either succeeds or throws std::invalid_argument (another
//     exception escaping, a crash, a sanitizer report or a hang is a bug);
//   - the properties read back the same (keys, values, order) when written
//     out one per line with their special characters escaped, as
//     java.util.Properties.store writes them;
//   - a workload that validates survives spec_to_yaml() and
//     spec_from_yaml() unchanged (spec_round_trip.h): `validate` prints
//     that YAML.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "spec_round_trip.h"
#include "workload/go_ycsb_properties.h"
#include "workload/properties_file.h"

namespace {

// `s` as a key or value in a .properties line that reads back as `s`.
std::string escaped(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\f': out += "\\f"; break;
      case '\\': case '=': case ':': case ' ': case '#': case '!':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

void check_rewrite(const std::vector<tikvbench::workload::Property>& properties) {
  std::string text;
  for (const auto& p : properties) text += escaped(p.key) + "=" + escaped(p.value) + "\n";
  std::vector<tikvbench::workload::Property> again;
  try {
    again = tikvbench::workload::parse_properties(text, "rewritten.properties");
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "escaped properties do not read back: %s\n---\n%s---\n", e.what(), text.c_str());
    std::abort();
  }
  bool same = again.size() == properties.size();
  for (size_t i = 0; same && i < again.size(); ++i) {
    same = again[i].key == properties[i].key && again[i].value == properties[i].value;
  }
  if (!same) {
    std::fprintf(stderr, "escaped properties read back differently (%zu properties, %zu back):\n---\n%s---\n",
                 properties.size(), again.size(), text.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tikvbench;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<workload::Property> properties;
  try {
    properties = workload::parse_properties(text, "fuzz.properties");
  } catch (const std::invalid_argument&) {
    return 0;  // a malformed \uXXXX escape: expected
  }
  check_rewrite(properties);
  workload::WorkloadSpec spec;
  try {
    std::vector<workload::Property> ignored;
    spec = workload::spec_from_properties(properties, "fuzz.properties", &ignored);
    workload::validate(spec);
  } catch (const std::invalid_argument&) {
    return 0;  // refused, with a message: expected
  }
  fuzz::check_yaml_round_trip(spec);
  return 0;
}
