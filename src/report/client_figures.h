// ClientFigures is what the reports read from the client while a run goes:
// its retries and what the operations in flight are backing off on. The
// reports see the client only through it (the client's layer is not
// theirs to include); the CLI adapts the cluster client to it.
//
// Thread safety: the methods are called from the runner's thread, while the
// client works on its event loops; implementations read counters only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tikvbench::report {

class ClientFigures {
 public:
  virtual ~ClientFigures() = default;
  // The client's retries by kind since it started (stream faults included).
  virtual std::map<std::string, uint64_t> retries_by_kind() const = 0;
  // Operations backing off now, each with what it waits for in words
  // ("backing off on ServerIsBusy"); kinds with none are left out.
  virtual std::vector<std::pair<int64_t, std::string>> backing_off() const = 0;
  // Per TiKV store id, its retries by kind since the client started.
  virtual std::map<uint64_t, std::map<std::string, uint64_t>> retries_by_store() const = 0;
  // The addresses of the stores the client knows, by id.
  virtual std::map<uint64_t, std::string> store_addresses() const = 0;
};

}  // namespace tikvbench::report
