// One `load` or `run` from the command line, start to finish: connect (or
// start the embedded mock cluster), run with live status, Prometheus
// metrics and aborting thresholds, then the summary, the thresholds' verdict
// and every report file (JSON, CSV, HdrHistogram log, HTML), each written
// whole or not at all, also when a signal stopped the run.
//
// Exit code: 3 when no PD answered; 4 when the metrics port could not be
// bound; otherwise the run's, in exit_codes.h's order (run_exit_code):
// 130/143 after SIGINT/SIGTERM, 1 when a threshold failed or aborted the
// run or --verify found loss, 4 when a report could not be written or
// operations failed, else 0. Bad input throws std::invalid_argument (the
// caller prints it and exits 2) before the run starts: flags and files
// before anything connects; a `run --verify` over data loaded without
// --verify once connected.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/client_flags.h"
#include "report/run_reporting.h"
#include "workload/runner.h"
#include "workload/spec.h"

namespace tikvbench::cli {

struct SessionOptions {
  workload::WorkloadSpec spec;  // resolved and validated
  workload::RunMode mode = workload::RunMode::kRun;
  workload::Shard shard;
  tikv::ClientOptions client;
  bool pd_given = false;  // --pd on the command line
  int mock_stores = 3;
  std::chrono::nanoseconds status_interval = std::chrono::seconds(1);
  bool plain_status = false;
  // Also go-ycsb's status lines (cumulative, per operation type) on stdout
  // after every interval (--status-format go-ycsb).
  bool go_ycsb_status = false;
  std::chrono::nanoseconds grace = std::chrono::seconds(10);
  std::vector<std::string> thresholds;  // from --threshold, besides the spec's
  std::string metrics_addr;
  std::string events_path;  // --events: a file or FIFO of user events; empty: none
  std::chrono::nanoseconds window = std::chrono::seconds(1);  // availability windows
  std::vector<report::Threshold> slo;                         // each window's SLO (--slo)
  report::ReportPaths reports;
  // A distributed run's id (--run-id): a load marks its shard loaded, a run
  // waits for every shard's load (at most barrier_timeout) and keeps its
  // HdrHistogram log and JSON in the cluster (RunStore).
  std::string run_id;
  std::chrono::nanoseconds barrier_timeout = std::chrono::minutes(10);
};

// Runs the session; returns the exit code. Blocks until the run and every
// operation of it have ended (after a stop, operations still in flight when
// the grace time runs out are cancelled).
int run_session(SessionOptions options);

}  // namespace tikvbench::cli
