#!/usr/bin/env bash
# tikv-bench's client at the scale of a real cluster, against mock clusters
# started large (mock-cluster --regions), each client_bench run with a mock
# process of its own:
#   1. start-up: connect (PD, the region cache's warm-up through paged
#      ScanRegions, the stores resolved) with 1,000, 100,000 and 1,000,000
#      regions over 32 stores, and the region cache's memory per region
#      (resident memory after connect, against the 1,000-region run);
#   2. client CPU per operation with uniform keys of 1,000,000 records over
#      100,000 regions against 3 regions (3 stores, 1,000 in flight), in
#      ROUNDS alternating rounds, and the median ratio;
#   3. 10,000 in flight spread over 32 stores (3,200 regions) against one
#      store: requests per BatchCommands message, CPU per operation.
#
# Usage: bench/scale.sh [BUILD_DIR] [ROUNDS] [SECONDS]
set -euo pipefail
build=${1:-build}
rounds=${2:-5}
seconds=${3:-4}
bench="$build/bench/client_bench"
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "1. start-up over 32 stores (connect: PD, the region warm-up, the stores):"
base_rss=
for regions in 1000 100000 1000000; do
  line=$("$bench" --stores 32 --regions "$regions" --records 1000 --no-load --inflight 1 --seconds 0.1 | tail -1)
  rss=$(field rss_connected_mib <<< "$line"); start_rss=$(field rss_start_mib <<< "$line")
  if [ -z "$base_rss" ]; then base_rss=$rss; base_regions=$regions; fi
  awk -v r="$regions" -v c="$(field regions <<< "$line")" -v ms="$(field connect_ms <<< "$line")" \
      -v rss="$rss" -v s="$start_rss" -v b="$base_rss" -v br="$base_regions" 'BEGIN {
    printf "  %8d regions: connect %8.1f ms, %d regions cached, resident %.1f MiB after connect (%.1f before)", r, ms, c, rss, s
    if (r != br) printf ", region cache %.0f bytes per region", (rss - b) * 1048576 / (r - br)
    printf "\n" }'
done

echo "2. client CPU per operation, 1,000,000 records' keys over 100,000 regions against 3 (3 stores, 1,000 in flight):"
ratios=()
run_regions() {
  "$bench" --stores 3 --regions "$1" --records 1000000 --inflight 1000 --seconds "$seconds" | tail -1
}
for round in $(seq "$rounds"); do
  if (( round % 2 )); then few=$(run_regions 3); many=$(run_regions 100000); else many=$(run_regions 100000); few=$(run_regions 3); fi
  ratio=$(awk -v a="$(field client_cpu_us_per_op <<< "$many")" -v b="$(field client_cpu_us_per_op <<< "$few")" \
    'BEGIN { printf "%.3f", a / b }')
  printf '  round %d: 3 regions %s us/op (%s ops/s, %s MiB), 100,000 regions %s us/op (%s ops/s, %s MiB): %sx\n' "$round" \
    "$(field client_cpu_us_per_op <<< "$few")" "$(field ops_per_s <<< "$few")" "$(field rss_mib <<< "$few")" \
    "$(field client_cpu_us_per_op <<< "$many")" "$(field ops_per_s <<< "$many")" "$(field rss_mib <<< "$many")" "$ratio"
  ratios+=("$ratio")
done
echo "  median: 100,000 regions cost $(printf '%s\n' "${ratios[@]}" | median)x the client CPU per operation of 3 (goal: within 1.3x)"

echo "3. 10,000 in flight, 100,000 records, over 32 stores (3,200 regions) and over one:"
for stores in 32 1; do
  regions=$((stores == 1 ? 1 : 3200))
  line=$("$bench" --stores "$stores" --regions "$regions" --records 100000 --inflight 10000 --seconds "$seconds" | tail -1)
  printf '  %2d stores: %s requests per message, %s us client CPU/op, %s ops/s, p99 %s us, %s MiB\n' "$stores" \
    "$(field requests_per_message <<< "$line")" "$(field client_cpu_us_per_op <<< "$line")" \
    "$(field ops_per_s <<< "$line")" "$(field p99_us <<< "$line")" "$(field rss_mib <<< "$line")"
done
