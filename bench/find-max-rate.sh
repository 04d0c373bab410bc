#!/usr/bin/env bash
# Finds the highest open-loop rate a cluster holds: runs the workload at a
# rising rate, one short run per step, each with the given thresholds, and
# stops at the first step whose thresholds fail (tikv-bench exits 1). Prints
# one line per step and, last, "highest rate held: N ops/s" (0 when even
# the first step failed).
#
# Usage: bench/find-max-rate.sh -P WORKLOAD --pd PD [--start R] [--step S]
#          [--max R] [--duration D] [--threshold EXPR]... [--bin PATH]
#          [-- EXTRA TIKV-BENCH FLAGS]
# Defaults: --start 1000 --step 1000 --max 1000000 --duration 30s, and the
# thresholds 'p99<100ms' and 'rate>=99%' when none are given.
#
# Exit codes: 0 a rate was found (or --max was reached without failing),
# 1 even the first step failed, 2 bad usage, and tikv-bench's own code
# (3, 4, 130, 143) when a run ends for another reason.
set -euo pipefail

bin=${TIKV_BENCH:-tikv-bench}
workload= pd= start=1000 step=1000 max=1000000 duration=30s
thresholds=() extra=()
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -P) workload=$2; shift 2 ;;
    --pd) pd=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --step) step=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threshold) thresholds+=("$2"); shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "find-max-rate: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$workload" ] || { echo "find-max-rate: -P WORKLOAD is required" >&2; exit 2; }
for n in "$start" "$step" "$max"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || { echo "find-max-rate: '$n' is not a positive whole number" >&2; exit 2; }
done
[ ${#thresholds[@]} -gt 0 ] || thresholds=('p99<100ms' 'rate>=99%')

threshold_flags=()
for t in "${thresholds[@]}"; do threshold_flags+=(--threshold "$t"); done
pd_flags=()
[ -z "$pd" ] || pd_flags=(--pd "$pd")

held=0
rate=$start
while [ "$rate" -le "$max" ]; do
  set +e
  "$bin" run -P "$workload" "${pd_flags[@]}" -p target="$rate" -p operationcount=0 --duration "$duration" \
      --plain-status "${threshold_flags[@]}" "${extra[@]}" > "${TMPDIR:-/tmp}/find-max-rate.$$.out" 2>&1
  code=$?
  set -e
  case $code in
    0) echo "rate $rate ops/s: held"; held=$rate ;;
    1) echo "rate $rate ops/s: failed:"; grep -E '^(threshold .*FAILED|aborted)' "${TMPDIR:-/tmp}/find-max-rate.$$.out" | sed 's/^/  /'
       break ;;
    *) echo "rate $rate ops/s: tikv-bench exited $code:" >&2; tail -5 "${TMPDIR:-/tmp}/find-max-rate.$$.out" >&2
       rm -f "${TMPDIR:-/tmp}/find-max-rate.$$.out"; exit $code ;;
  esac
  rate=$((rate + step))
done
rm -f "${TMPDIR:-/tmp}/find-max-rate.$$.out"
echo "highest rate held: $held ops/s"
[ "$held" -gt 0 ] || exit 1
