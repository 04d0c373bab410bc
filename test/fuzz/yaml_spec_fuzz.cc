// libFuzzer target: a YAML workload, read as `tikv-bench validate FILE.yaml`
// reads it (spec_from_yaml, which validates). Checks that
//   - any input either reads or throws std::invalid_argument (another
//     exception escaping, a crash, a sanitizer report or a hang is a bug);
//   - looks_like_yaml(), which sniffs files without an extension, never
//     throws;
//   - a workload that reads survives spec_to_yaml() and spec_from_yaml()
//     unchanged (spec_round_trip.h).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "spec_round_trip.h"
#include "workload/yaml_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tikvbench;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)workload::looks_like_yaml(text);
  workload::WorkloadSpec spec;
  try {
    spec = workload::spec_from_yaml(text, "fuzz.yaml");
  } catch (const std::invalid_argument&) {
    return 0;  // refused, with a message: expected
  }
  fuzz::check_yaml_round_trip(spec);
  return 0;
}
