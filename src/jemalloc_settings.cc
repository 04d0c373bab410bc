// jemalloc's settings for the programs that link it (meson's allocator
// option); MALLOC_CONF in the environment still overrides them.
//
// A load generator's memory comes in bursts: a store restart leaves
// operations waiting in backoff, then they drain. With jemalloc's defaults
// (an arena per 4 threads' worth of CPUs, dirty pages kept 10 s) the
// resident size after each burst settled higher and took seconds to fall,
// which is what a soak's memory criterion sees. Here freed pages go back to
// the system after 1 s, from jemalloc's own background thread rather than
// from whichever thread happens to free, and arenas are per CPU, so fewer
// half-used slabs are spread over more arenas.
extern "C" {
// Read by jemalloc at start: the name and linkage are jemalloc's.
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,percpu_arena:percpu";
}
