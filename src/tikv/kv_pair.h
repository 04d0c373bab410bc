// KvPair: a key and its value, as the raw API takes and returns them.
#pragma once

#include <string>

namespace tikvbench::tikv {

struct KvPair {
  std::string key;
  std::string value;
  bool operator==(const KvPair&) const = default;
};

}  // namespace tikvbench::tikv
