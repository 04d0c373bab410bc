// RunReporting reports on one runner's run (a `load` or a `run`): after
// every interval the status line, the streamed report files (CSV,
// HdrHistogram log), the Prometheus metrics and the aborting thresholds;
// at the end the summary, the thresholds' verdict, the report files and the
// exit code.
//
// Every figure it prints or writes is computed one way: completed
// operations (successes and failures) over the time they took, warm-up
// apart (its own phase, never in the headline), the drain in the phase
// that started its operations.
//
// Thread safety: none; the thread that runs the runner (on_interval comes
// on it) owns it.
// Lifetime: the options, stop signal, client and metrics server must
// outlive it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/output_file.h"
#include "cli/run_session.h"
#include "cli/status_printer.h"
#include "cli/stop_signal.h"
#include "report/metrics_server.h"
#include "report/run_json.h"
#include "report/run_log.h"
#include "report/threshold.h"
#include "tikv/cluster_client.h"
#include "workload/runner.h"

namespace tikvbench::cli {

class RunReporting {
 public:
  // `metrics` may be null. Opens the streamed report files; throws
  // std::runtime_error when one cannot be opened.
  RunReporting(const SessionOptions& options, std::vector<report::Threshold> thresholds,
               report::MetricsServer* metrics, StopSignal& stop, tikv::ClusterClient& client);
  RunReporting(const RunReporting&) = delete;
  RunReporting& operator=(const RunReporting&) = delete;

  // After every interval of the run.
  void on_interval(const workload::IntervalStatus& status);

  // Prints the summary and the thresholds, writes the files; returns the
  // exit code (exit_codes.h's run_exit_code). `earlier_failures`: operations
  // that failed before this run in the same session (the embedded
  // cluster's load), which count as failed operations too.
  int finish(const workload::RunResult& result, const std::string& title, const report::RunInfo& info,
             uint64_t earlier_failures = 0);

  // With a run id: the HdrHistogram log and the JSON document finish()
  // made, for the cluster to keep (RunStore). Empty before finish().
  struct SharedFiles {
    std::string hdr_log, json;
  };
  const SharedFiles& shared_files() const { return shared_; }
  size_t shard_index() const { return options_.shard.index; }

 private:
  // The client's retries by kind since the start (stream faults included).
  std::map<std::string, uint64_t> retries_so_far() const;
  // What the operations in flight wait on, for an interval that completed
  // nothing.
  std::string waiting_on(uint64_t inflight) const;
  // The text that says what ended the run.
  std::string ended_by_text(const workload::RunResult& result) const;
  bool write_reports(const report::RunInfo& info, const report::RunFigures& figures);

  const SessionOptions& options_;
  const std::vector<report::Threshold> thresholds_;
  report::AbortWatch watch_;
  report::MetricsServer* metrics_;
  StopSignal& stop_;
  tikv::ClusterClient& client_;
  StatusPrinter printer_;
  // Written as the run goes; before log_, which writes to them.
  std::unique_ptr<AppendingFile> hdr_file_;
  std::unique_ptr<AppendingFile> csv_file_;
  std::ostringstream hdr_memory_;  // the HdrHistogram log of a run id without --hdr-log
  SharedFiles shared_;
  report::RunLog log_;
  measure::Figures cumulative_;         // recorded phases
  measure::Figures cumulative_warmup_;  // warm-up phases
  std::chrono::nanoseconds warmup_elapsed_{0};  // the end of the last warm-up interval
  std::map<std::string, uint64_t> retries_seen_;  // at the end of the last interval
  std::optional<std::string> abort_reason_;
};

// The thresholds' view of the open-loop phases that ran: their completed
// operations as the figures of one operation type, the time they took and
// their target. nullopt when no open-loop phase ran.
struct OpenLoopTotals {
  measure::Figures figures;
  std::chrono::nanoseconds took{0};
  double target_ops_per_sec = 0;
};
std::optional<OpenLoopTotals> open_loop_totals(const workload::RunResult& result);

}  // namespace tikvbench::cli
