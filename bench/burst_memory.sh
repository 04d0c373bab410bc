#!/usr/bin/env bash
# Where a soak's resident memory goes, with bench/alloc_probe.c preloaded
# into the run (compiled here; needs jemalloc's headers, libjemalloc-dev).
#
#   totals:    the soak for 220 s at 5,000 ops/s with a store restart every
#              40 s; prints jemalloc's totals every 20 s: live bytes, active
#              bytes (pages of live objects' slabs), what slabs hold beyond
#              the live objects, resident, metadata, thread caches, threads.
#   survivors: the soak for 100 s, one restart at 10 s; every allocation
#              from 9 s to 20 s is recorded, and at 55 s those still live
#              are listed by stack (bench/burst_survivors.py). With
#              SOAK_RESTARTS=0, the same without the restart, for contrast.
# MALLOC_CONF may add allocator settings to compare (totals only).
#
# Usage: bench/burst_memory.sh [BUILD_DIR] [OUT_DIR] [totals|survivors]
set -euo pipefail
build=${1:-build}
out=${2:-$(mktemp -d)}
mode=${3:-totals}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cc -O2 -shared -fPIC -o "$out/alloc_probe.so" "$here/alloc_probe.c" -ljemalloc
export PROBE_DIR="$out"
case "$mode" in
  totals)
    LD_PRELOAD="$out/alloc_probe.so" SOAK_MEMORY=0 SOAK_RESTART_EVERY=40 \
      "$here/soak.sh" "$build" 220 5000 "$out/soak" | tail -4
    awk '$1 % 20 == 0 { printf "%3d s: live %5.1f MiB, active %5.1f, beyond live %4.2f, resident %5.1f, metadata %4.2f, thread caches %4.2f, %d threads\n",
      $1, $2 / 1048576, $3 / 1048576, ($3 - $2) / 1048576, $4 / 1048576, $5 / 1048576, $6 / 1048576, $7 }' "$out/totals.tsv"
    ;;
  survivors)
    PROBE_RECENT=9,20,55 MALLOC_CONF=prof:true,prof_active:false,lg_prof_sample:0,prof_recent_alloc_max:-1 \
      LD_PRELOAD="$out/alloc_probe.so" SOAK_MEMORY=0 "$here/soak.sh" "$build" 100 5000 "$out/soak" | tail -4
    python3 "$here/burst_survivors.py" "$out"
    ;;
  *) echo "burst_memory: mode is totals or survivors, not $mode" >&2; exit 2 ;;
esac
