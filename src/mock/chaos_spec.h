// ChaosSpec is what `--chaos` asks the mock cluster to do on its own, at set
// intervals: "split=2s,transfer-leader=1s,restart-store=30s,busy=0.5%".
// Keys: split, transfer-leader, restart-store, pd-leader (periods; 0 or
// absent: never; pd-leader moves PD's leadership to another member),
// downtime (how long a restarted store stays down, default 3s), busy (the
// fraction of requests answered ServerIsBusy).
//
// Thread safety: a value type.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace tikvbench::mock {

struct ChaosSpec {
  std::chrono::nanoseconds split{0};
  std::chrono::nanoseconds transfer_leader{0};
  std::chrono::nanoseconds restart_store{0};
  std::chrono::nanoseconds pd_leader{0};
  std::chrono::nanoseconds downtime{std::chrono::seconds(3)};
  double busy = 0;

  bool any() const {
    return split.count() || transfer_leader.count() || restart_store.count() || pd_leader.count() || busy > 0;
  }
  std::string to_string() const;
};

// Throws std::invalid_argument naming the bad item when `text` does not parse.
ChaosSpec parse_chaos(std::string_view text);

}  // namespace tikvbench::mock
