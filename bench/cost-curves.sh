#!/usr/bin/env bash
# The cost curves of docs/performance.md: client CPU per operation and
# resident memory of tikv-bench's client (client_bench) and client-go
# (bench/peer), closed loops of RawGet over go-ycsb's raw keys, against
#   - operations in flight, 1 to 100,000 (one mock process, one store,
#     10,000 records);
#   - regions, 10 to 1,000,000 (a mock process per point, 3 stores,
#     1,000,000 records spread over them, 1,000 in flight).
# At each point the two clients run one after the other against the same
# mock process, tikv-bench first at even points and client-go first at odd
# ones. Writes OUT_DIR/inflight.tsv and regions.tsv (client, x, CPU us/op,
# resident MiB, ops/s, mock CPU us/op), four SVG plots (bench/plot_svg.py)
# and tables.md, the markdown tables, which it also prints.
#
# Usage: bench/cost-curves.sh [BUILD_DIR] [OUT_DIR] [SECONDS]
# Environment: CURVES=inflight or CURVES=regions measures one curve only
# (the other's TSV in OUT_DIR is kept and drawn again).
# Needs Go (the peer is built into a temporary directory) and python3.
set -euo pipefail
build=${1:-build}
out=${2:-docs/perf}
seconds=${3:-4}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
tmp=$(mktemp -d)
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$tmp"' EXIT
(cd "$here/peer" && go build -o "$tmp/peer" .)
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

# start_mock ARGS...: a mock-cluster process on free ports; sets $mock, $pd.
start_mock() {
  [ -n "$mock" ] && { kill "$mock"; wait "$mock" 2>/dev/null || true; }
  "$build/src/tikv-bench" mock-cluster --pd 127.0.0.1:0 --split-keys 0 "$@" > "$tmp/mock.out" 2>&1 &
  mock=$!
  for _ in $(seq 600); do grep -q '^ready' "$tmp/mock.out" && break; sleep 0.1; done
  pd=$(sed -n 's/^pd //p' "$tmp/mock.out" | head -1)
  [ -n "$pd" ] || { cat "$tmp/mock.out" >&2; exit 3; }
}
# point TSV X INFLIGHT RECORDS FIRST: both clients at one point, FIRST
# (ours|peer) first; appends a row per client to TSV.
point() {
  local tsv=$1 x=$2 inflight=$3 records=$4 first=$5 ours peer
  run_ours() {
    ours=$("$build/bench/client_bench" --pd "$pd" --server-pid "$mock" --inflight "$inflight" --records "$records" \
      --seconds "$seconds" --no-load | tail -1)
  }
  run_peer() {
    peer=$("$tmp/peer" --pd "$pd" --server-pid "$mock" --inflight "$inflight" --records "$records" \
      --seconds "$seconds" -load=false 2>&1 | grep '^peer:')
    peer=${peer/ops_per_sec=/ops_per_s=}
  }
  if [ "$first" = ours ]; then run_ours; run_peer; else run_peer; run_ours; fi
  for client in tikv-bench client-go; do
    local line=$ours
    [ "$client" = client-go ] && line=$peer
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$client" "$x" "$(field client_cpu_us_per_op <<< "$line")" \
      "$(field rss_mib <<< "$line")" "$(field ops_per_s <<< "$line")" "$(field server_cpu_us_per_op <<< "$line")" >> "$tsv"
  done
  tail -2 "$tsv" | sed 's/^/  /'
}
load() { "$build/bench/client_bench" --pd "$pd" --records "$1" --inflight 1 --seconds 0.1 > /dev/null; }

curves=${CURVES:-both}
order=(ours peer)
if [ "$curves" != regions ]; then
  echo "# client  in-flight  CPU-us/op  RSS-MiB  ops/s  mock-CPU-us/op" | tee "$out/inflight.tsv"
  start_mock --stores 1
  load 10000
  i=0
  for inflight in 1 10 100 1000 10000 100000; do
    point "$out/inflight.tsv" "$inflight" "$inflight" 10000 "${order[$((i++ % 2))]}"
  done
fi
if [ "$curves" != inflight ]; then
  echo "# client  regions  CPU-us/op  RSS-MiB  ops/s  mock-CPU-us/op" | tee "$out/regions.tsv"
  i=0
  for regions in 10 100 1000 10000 100000 1000000; do
    start_mock --stores 3 --regions "$regions" --region-records 1000000
    load 1000000
    point "$out/regions.tsv" "$regions" 1000 1000000 "${order[$((i++ % 2))]}"
  done
fi
kill "$mock"; wait "$mock" 2>/dev/null || true; mock=

plot() {  # plot TSV COLUMN X_LABEL Y_LABEL TITLE OUT
  grep -v '^#' "$1" | awk -F'\t' -v c="$2" '{ print $1 "\t" $2 "\t" $c }' |
    python3 "$here/plot_svg.py" --log-x --log-y --title "$5" --x-label "$3" --y-label "$4" "$6"
}
plot "$out/inflight.tsv" 3 "operations in flight" "client CPU per operation (µs)" \
  "Client CPU per operation against operations in flight" "$out/cpu-vs-inflight.svg"
plot "$out/inflight.tsv" 4 "operations in flight" "resident memory (MiB)" \
  "Client resident memory against operations in flight" "$out/memory-vs-inflight.svg"
plot "$out/regions.tsv" 3 "regions" "client CPU per operation (µs)" \
  "Client CPU per operation against regions (1,000 in flight)" "$out/cpu-vs-regions.svg"
plot "$out/regions.tsv" 4 "regions" "resident memory (MiB)" \
  "Client resident memory against regions (1,000 in flight)" "$out/memory-vs-regions.svg"

table() {  # table TSV X_NAME
  printf '| %s | tikv-bench CPU/op | client-go CPU/op | ratio | tikv-bench memory | client-go memory | tikv-bench ops/s | client-go ops/s | mock CPU/request (tikv-bench, client-go) |\n' "$2"
  printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
  grep -v '^#' "$1" | paste - - | awk -F'\t' '
    function commas(n,  s, r) {
      s = sprintf("%d", n); r = ""
      while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
      return s r
    }
    { printf "| %s | %.3f µs | %.3f µs | %.3fx | %.1f MiB | %.1f MiB | %s | %s | %.2f, %.2f µs |\n",
        commas($2), $3, $9, $3 / $9, $4, $10, commas($5), commas($11), $6, $12 }'
}
{
  echo "Against operations in flight (1 store, 10,000 records):"
  echo
  table "$out/inflight.tsv" "in flight"
  echo
  echo "Against regions (3 stores, 1,000,000 records, 1,000 in flight):"
  echo
  table "$out/regions.tsv" "regions"
} | tee "$out/tables.md"
