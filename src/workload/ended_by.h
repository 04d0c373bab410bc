// What ended a run, as the summary and the JSON's `ended_by` name it.
//
// Thread safety: value types and pure functions.
#pragma once

#include <string_view>

namespace tikvbench::workload {

// What ended a run: its last phase (the schedule ran out), the duration
// bound, the operation bound, the records (a load), or a stop from outside
// (a signal, or a threshold that aborted: the caller knows which).
enum class EndedBy { kPhases, kDuration, kOperations, kRecords, kStop };

// "phases", "duration", "operations", "records" or "signal".
constexpr std::string_view ended_by_name(EndedBy ended_by) {
  switch (ended_by) {
    case EndedBy::kPhases: return "phases";
    case EndedBy::kDuration: return "duration";
    case EndedBy::kOperations: return "operations";
    case EndedBy::kRecords: return "records";
    case EndedBy::kStop: return "signal";
  }
  return "phases";
}

}  // namespace tikvbench::workload
