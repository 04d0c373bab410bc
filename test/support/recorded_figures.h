// Figures made by recording operations into a Recorder, for the tests of
// what reads them (thresholds, the abort watch).
#pragma once

#include <cstdint>

#include "measure/recorder.h"

namespace tikvbench::test {

using measure::Figures;
using measure::OpRecord;
using measure::OpType;
using measure::Recorder;

// Records `n` operations of `op`, each with the given latencies.
inline void record(Recorder& recorder, OpType op, int n, int64_t intended_us, int64_t service_us, bool ok = true) {
  OpRecord r;
  r.op = op;
  r.ok = ok;
  r.service_us = service_us;
  r.intended_us = intended_us;
  if (!ok) r.error_kind = "timeout";
  for (int i = 0; i < n; ++i) recorder.record(0, r);
}

// What `recorder` took in its interval, as figures of their own.
inline Figures taken(Recorder& recorder) {
  Figures figures;
  figures.merge(*recorder.take_interval().recorded);
  return figures;
}

// 990 reads of 1ms and 10 of 100ms from the intended start, all of them
// 500us from the send: a queue in front of a fast server.
inline Figures queued_reads() {
  Recorder recorder(1, 1);
  record(recorder, OpType::kRead, 990, 1'000, 500);
  record(recorder, OpType::kRead, 10, 100'000, 500);
  return taken(recorder);
}

// `ok` successful reads of 1ms and `failed` failed ones.
inline Figures reads_with_errors(int ok, int failed) {
  Recorder recorder(1, 1);
  record(recorder, OpType::kRead, ok, 1'000, 1'000);
  record(recorder, OpType::kRead, failed, 5'000, 5'000, false);
  return taken(recorder);
}

}  // namespace tikvbench::test
