// tikv-bench: wiring only. Each subcommand lives in src/cli/.
#include <cstdio>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/compare_command.h"
#include "cli/exit_codes.h"
#include "cli/find_max_command.h"
#include "cli/flag_suggestion.h"
#include "cli/mock_cluster_command.h"
#include "cli/raw_command.h"
#include "cli/report_command.h"
#include "cli/workload_command.h"
#include "rpc/grpc_runtime.h"
#include "version.h"

int main(int argc, char** argv) {
  tikvbench::rpc::configure_grpc_runtime();
  CLI::App app{"tikv-bench: load and measure a TiKV cluster through its raw key-value API", "tikv-bench"};
  app.set_version_flag("--version", std::string("tikv-bench ") + tikvbench::kVersion);
  app.require_subcommand(1);
  int exit_code = tikvbench::kExitOk;
  tikvbench::cli::add_mock_cluster_command(app, exit_code);
  tikvbench::cli::add_raw_command(app, exit_code);
  tikvbench::cli::add_workload_commands(app, exit_code);
  tikvbench::cli::add_report_commands(app, exit_code);
  tikvbench::cli::add_compare_command(app, exit_code);
  tikvbench::cli::add_find_max_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "tikv-bench: {}{}\n", e.what(), tikvbench::cli::typo_hint(app, argc, argv));
    return tikvbench::kExitUsage;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "tikv-bench: {}\n", e.what());
    return tikvbench::kExitUsage;
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "tikv-bench: {}\n", e.what());
    return tikvbench::kExitRuntime;
  }
  return exit_code;
}
