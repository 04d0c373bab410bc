#!/usr/bin/env bash
# Both clients, one chaos: tikv-bench (a verified read/update workload) and
# TiKV's own Go client, client-go (16 writers), against one chaotic mock
# cluster at once: regions split every second, leaders move every 300 ms,
# 0.05 % of requests are answered ServerIsBusy, a store restarts (1 s down)
# every 7 s and PD (three members) changes leader every 5 s, each change a
# 300 ms election. It passes when neither client failed an operation nor
# lost an acknowledged write (tikv-bench's --verify; client-go's writes are
# all read back). CI runs the same test for 30 seconds.
#
# Usage: bench/side-by-side-chaos.sh [BUILD_DIR] [SECONDS]
#   bench/side-by-side-chaos.sh build 300    # the 5-minute run
# Needs go (test/interop/go.mod pins client-go; the module proxy must be
# reachable the first time).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
seconds=${2:-300}
command -v go > /dev/null || { echo "side-by-side-chaos: no go on this machine" >&2; exit 2; }
cd "$(dirname "$0")/../test/interop"
TIKV_BENCH="$build/src/tikv-bench" SIDE_BY_SIDE_SECONDS="$seconds" \
  go test -count=1 -v -timeout "$(( seconds + 900 ))s" -run '^TestSideBySideUnderChaos$' ./... 2>&1 |
  grep -E '^(--- |ok|FAIL|PASS)|side_by_side_test\.go:[0-9]+:'
