// alloc_probe: an LD_PRELOAD library that watches jemalloc inside a running
// `tikv-bench run` (other programs it is preloaded into are left alone), for
// finding where a soak's resident memory goes. Not part of the build: the
// scripts that use it compile it (cc -shared -fPIC alloc_probe.c -ljemalloc).
//
// Every second it appends one line to $PROBE_DIR/totals.tsv:
//   seconds, allocated, active, resident, metadata, thread-cache bytes
//   (jemalloc's stats.*, bytes), threads of the process
// active - allocated is what slabs hold beyond the live objects.
//
// With PROBE_RECENT="ON,OFF,DUMP" (seconds from the start; the program must
// run with MALLOC_CONF=prof:true,prof_active:false,lg_prof_sample:0,
// prof_recent_alloc_max:-1) it records every allocation made from ON to OFF
// and at DUMP writes jemalloc's record of them (size, times, stack, and
// whether freed by then) to $PROBE_DIR/recent.json, with the process's
// memory map in $PROBE_DIR/maps. bench/burst_survivors.py reads them.
#include <dirent.h>
#include <jemalloc/jemalloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[512];

static size_t stat_of(const char* name) {
  size_t value = 0, size = sizeof value;
  return mallctl(name, &value, &size, NULL, 0) == 0 ? value : 0;
}

static int thread_count(void) {
  DIR* tasks = opendir("/proc/self/task");
  if (!tasks) return 0;
  int n = 0;
  for (struct dirent* e; (e = readdir(tasks));) n += e->d_name[0] != '.';
  closedir(tasks);
  return n;
}

static void set_profiling(bool active) { mallctl("prof.active", NULL, NULL, &active, sizeof active); }

static FILE* dump_out;
static void write_dump(void* opaque, const char* text) {
  (void)opaque;
  fputs(text, dump_out);
}

static void dump_recent(void) {
  char path[600];
  snprintf(path, sizeof path, "%s/recent.json", dir);
  dump_out = fopen(path, "w");
  if (!dump_out) return;
  struct {
    void (*write)(void*, const char*);
    void* opaque;
  } writer = {write_dump, NULL};
  mallctl("experimental.prof_recent.alloc_dump", NULL, NULL, &writer, sizeof writer);
  fclose(dump_out);
  // The memory map, to tell which library each stack address is in.
  snprintf(path, sizeof path, "%s/maps", dir);
  FILE* maps = fopen("/proc/self/maps", "r");
  FILE* copy = fopen(path, "w");
  char line[1024];
  while (maps && copy && fgets(line, sizeof line, maps)) fputs(line, copy);
  if (maps) fclose(maps);
  if (copy) fclose(copy);
}

static void* watch(void* arg) {
  (void)arg;
  int on = -1, off = -1, dump = -1;
  const char* recent = getenv("PROBE_RECENT");
  if (recent) sscanf(recent, "%d,%d,%d", &on, &off, &dump);
  char path[600];
  snprintf(path, sizeof path, "%s/totals.tsv", dir);
  FILE* totals = fopen(path, "w");
  if (!totals) return NULL;
  char tcache[64];
  snprintf(tcache, sizeof tcache, "stats.arenas.%u.tcache_bytes", 4096u);  // MALLCTL_ARENAS_ALL
  for (int second = 0;; ++second) {
    if (second == on) set_profiling(true);
    if (second == off) set_profiling(false);
    if (second == dump) dump_recent();
    uint64_t epoch = 1;
    size_t size = sizeof epoch;
    mallctl("epoch", &epoch, &size, &epoch, sizeof epoch);  // refresh the statistics
    fprintf(totals, "%d\t%zu\t%zu\t%zu\t%zu\t%zu\t%d\n", second, stat_of("stats.allocated"),
            stat_of("stats.active"), stat_of("stats.resident"), stat_of("stats.metadata"), stat_of(tcache),
            thread_count());
    fflush(totals);
    sleep(1);
  }
  return NULL;
}

__attribute__((constructor)) static void start(void) {
  // Only `tikv-bench run`: its second argument is "run".
  FILE* cmdline = fopen("/proc/self/cmdline", "r");
  if (!cmdline) return;
  char args[256] = {0};
  const size_t n = fread(args, 1, sizeof args - 1, cmdline);
  fclose(cmdline);
  const size_t first = strnlen(args, n);
  if (first + 1 >= n || strcmp(args + first + 1, "run") != 0) return;
  const char* out = getenv("PROBE_DIR");
  snprintf(dir, sizeof dir, "%s", out ? out : ".");
  pthread_t thread;
  pthread_create(&thread, NULL, watch, NULL);
  pthread_detach(thread);
}
