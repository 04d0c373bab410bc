#!/usr/bin/env bash
# CPU per operation of a whole `tikv-bench run` (workload runner, recorder
# and client together), against a mock cluster in its own process: a
# closed loop of reads (go-ycsb workload C, one 100-byte field, 10,000
# records) with 1,000 workers, each run against a mock of its own. Prints
# one line per binary given, in turn (the order reversed every other round),
# ROUNDS times, so that two builds compare within one run:
#   run_cpu binary=BIN loops=N ops=N cpu_s=S cpu_us_per_op=U
#
# Usage: bench/run_cpu.sh [BUILD_DIR] [SECONDS] [THREADS] [ROUNDS] [BIN...]
#   bench/run_cpu.sh build 6 2 2                        # this build
#   bench/run_cpu.sh build 6 2 3 /tmp/old/tikv-bench build/src/tikv-bench
set -euo pipefail
build=${1:-build}
seconds=${2:-6}
threads=${3:-2}
rounds=${4:-2}
shift $(( $# < 4 ? $# : 4 ))
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$build/src/tikv-bench")
mock_bin="$build/src/tikv-bench"
out=$(mktemp -d)
mock=""
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$out"' EXIT

# One run of `bin` against a fresh mock cluster (loaded first), so that no
# run inherits another's connections or state.
measure() {
  local bin=$1
  "$mock_bin" mock-cluster --pd 127.0.0.1:0 --store-ports 0,0,0 > "$out/mock.out" 2>&1 &
  mock=$!
  for _ in $(seq 100); do grep -q '^ready' "$out/mock.out" && break; sleep 0.1; done
  local pd
  pd=$(awk '/^pd /{print $2}' "$out/mock.out")
  [ -n "$pd" ] || { echo "run_cpu: the mock cluster did not start" >&2; exit 2; }
  local workload=(-P workloads/workloadc.yaml --pd "$pd" -p recordcount=10000 -p fieldcount=1)
  "$bin" load "${workload[@]}" > "$out/load.out" 2>&1
  # The run's CPU (user and system, all threads) from the kernel's account
  # of the finished child.
  python3 - "$bin" "$threads" "$out/run.json" "${workload[@]}" -p threadcount=1000 \
    -p operationcount=1000000000 --duration "${seconds}s" --loops "$threads" --plain-status <<'PY'
import json, resource, subprocess, sys
binary, threads, report, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
subprocess.run([binary, "run", *args, "--json", report], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
               check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
ops = json.load(open(report))["total"]["count"]
print(f"run_cpu binary={binary} loops={threads} ops={ops} cpu_s={cpu:.2f} cpu_us_per_op={cpu * 1e6 / ops:.3f}")
PY
  kill "$mock" 2>/dev/null || true
  wait "$mock" 2>/dev/null || true
  mock=""
}

# Rounds alternate the order of the binaries (A B, then B A, ...), so that
# neither always runs on the later, perhaps slower, stretch of the machine.
for round in $(seq "$rounds"); do
  order=("${binaries[@]}")
  if [ $(( round % 2 )) -eq 0 ]; then
    order=()
    for (( i=${#binaries[@]}-1; i>=0; i-- )); do order+=("${binaries[$i]}"); done
  fi
  for bin in "${order[@]}"; do measure "$bin"; done
done
