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
// The reports read the client through ClientFigures only, and ask for the
// run to stop (a threshold's abort) through `request_stop`; the caller
// turns the verdict into an exit code.
//
// Thread safety: none; the thread that runs the runner (on_interval comes
// on it) owns it.
// Lifetime: the client figures, metrics server and event log must outlive
// it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "report/availability.h"
#include "report/client_figures.h"
#include "report/metrics_server.h"
#include "report/run_json.h"
#include "report/run_log.h"
#include "report/run_verdict.h"
#include "report/status_printer.h"
#include "report/threshold.h"
#include "util/event_log.h"
#include "util/output_file.h"
#include "workload/run_result.h"
#include "workload/spec.h"

namespace tikvbench::report {

// The report files a run writes; an empty path: none of that kind.
struct ReportPaths {
  std::string json, csv, hdr_log, html;
};

struct RunReportingOptions {
  ReportPaths reports;
  // A distributed run's id: the JSON document and the HdrHistogram log are
  // also kept in memory for the cluster (shared_files()).
  std::string run_id;
  size_t shard_index = 0;
  bool plain_status = false;    // never redraw the status block
  bool go_ycsb_status = false;  // also go-ycsb's status lines on stdout
  workload::RunBounds bounds;   // the run's bounds, for what ended it
  // The run's event timeline (what the client observed, what the user
  // reported): shown as it happens, kept in the reports. May be null.
  EventLog* events = nullptr;
  // Availability: the windows' length and the SLO each must hold
  // (availability.h).
  std::chrono::nanoseconds window = std::chrono::seconds(1);
  std::vector<Threshold> slo;
};

class RunReporting {
 public:
  // `metrics` may be null; `request_stop` is called when a threshold aborts
  // the run. Opens the streamed report files; throws std::runtime_error when
  // one cannot be opened.
  RunReporting(RunReportingOptions options, std::vector<Threshold> thresholds, MetricsServer* metrics,
               const ClientFigures& client, std::function<void()> request_stop);
  RunReporting(const RunReporting&) = delete;
  RunReporting& operator=(const RunReporting&) = delete;

  // After every interval of the run.
  void on_interval(const workload::IntervalStatus& status);

  // Prints the summary and the thresholds, writes the files; returns what
  // the run came to. `earlier_failures`: operations that failed before this
  // run in the same session (the embedded cluster's load), which count as
  // failed operations too. `signal`: the signal that stopped the run
  // ("SIGINT", "SIGTERM"; empty: none) and its exit code.
  struct StoppedBy {
    std::string signal;
    int exit_code = 0;
  };
  RunVerdict finish(const workload::RunResult& result, const std::string& title, const RunInfo& info,
                    uint64_t earlier_failures, const StoppedBy& stopped_by);

  // With a run id: the HdrHistogram log and the JSON document finish()
  // made, for the cluster to keep (RunStore). Empty before finish().
  struct SharedFiles {
    std::string hdr_log, json;
  };
  const SharedFiles& shared_files() const { return shared_; }
  size_t shard_index() const { return options_.shard_index; }

 private:
  // The client's retries by kind since the start (stream faults included).
  std::map<std::string, uint64_t> retries_so_far() const;
  // What the operations in flight wait on, for an interval that completed
  // nothing.
  std::string waiting_on(uint64_t inflight) const;
  // The text that says what ended the run.
  std::string ended_by_text(const workload::RunResult& result, const StoppedBy& stopped_by) const;
  bool write_reports(const RunInfo& info, const RunFigures& figures);

  const RunReportingOptions options_;
  const std::vector<Threshold> thresholds_;
  AbortWatch watch_;
  MetricsServer* metrics_;
  const ClientFigures& client_;
  const std::function<void()> request_stop_;
  StatusPrinter printer_;
  // Written as the run goes; before log_, which writes to them.
  std::unique_ptr<AppendingFile> hdr_file_;
  std::unique_ptr<AppendingFile> csv_file_;
  std::ostringstream hdr_memory_;  // the HdrHistogram log of a run id without --hdr-log
  SharedFiles shared_;
  RunLog log_;
  measure::Figures cumulative_;         // recorded phases
  measure::Figures cumulative_warmup_;  // warm-up phases
  std::chrono::nanoseconds warmup_elapsed_{0};  // the end of the last warm-up interval
  std::map<std::string, uint64_t> retries_seen_;  // at the end of the last interval
  std::optional<std::string> abort_reason_;
  AvailabilityWindows availability_;
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

}  // namespace tikvbench::report
