// peer drives TiKV's own Go client (client-go's rawkv, the engine of
// go-ycsb's tikv raw driver) the way tikv-bench's client_bench and a
// go-ycsb raw run do, so the two clients can be compared in one run
// against the same cluster: a closed loop of one goroutine per request in
// flight, each issuing exactly the RPCs tikv-bench issues for the workload
// (one RawGet per read, one RawPut per update), keys made as go-ycsb's raw
// driver makes them ("usertable:user" + util.Hash64 of the record number),
// values of --value-size random bytes.
//
// It loads --records records first (RawBatchPut, as a load; -load=false
// when another client did), warms up for a fifth of --seconds (at most 2 s,
// as client_bench does), then runs for --seconds and prints one line:
//
//	peer: inflight=N ops=N failed=N ops_per_sec=F client_cpu_us_per_op=F server_cpu_us_per_op=F p50_us=N p99_us=N rss_mib=F
//
// client CPU is this process's user and system time over the timed window
// (getrusage); server CPU that of --server-pid over the same window (0
// without it); resident memory is VmRSS at its end. Latencies go to one
// shared table of log-linear buckets (32 to a power of two: each at most 3 % wide), so that
// the bench's own memory does not grow with the goroutines.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/bits"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tikv/client-go/v2/rawkv"
	"github.com/tikv/pd/client/opt"
)

// hash64 is go-ycsb's util.Hash64: FNV-1a over the 8 bytes of n, most
// significant first, made non-negative.
func hash64(n int64) int64 {
	const offset, prime = 0xCBF29CE484222325, 1099511628211
	h := uint64(offset)
	for shift := 56; shift >= 0; shift -= 8 {
		h ^= uint64(n>>shift) & 0xff
		h *= prime
	}
	if r := int64(h); r < 0 {
		return -r
	}
	return int64(h)
}

func key(n int64) []byte { return []byte("usertable:user" + strconv.FormatInt(hash64(n), 10)) }

// latencies counts microseconds in log-linear buckets, 32 to a power of two.
type latencies struct{ counts [64 * 64]atomic.Uint64 }

func bucketOf(us uint64) int {
	if us < 64 {
		return int(us)
	}
	exp := bits.Len64(us) - 6 // us >> exp is in [32, 64)
	return exp*32 + int(us>>uint(exp))
}

func (l *latencies) record(us uint64) { l.counts[bucketOf(us)].Add(1) }

// at returns the upper end of the bucket holding the p-th fraction.
func (l *latencies) at(p float64) uint64 {
	var total uint64
	for i := range l.counts {
		total += l.counts[i].Load()
	}
	want := uint64(p * float64(total))
	if want == 0 {
		want = 1
	}
	var seen uint64
	for i := range l.counts {
		if seen += l.counts[i].Load(); seen >= want {
			if i < 64 {
				return uint64(i)
			}
			exp := (i - 32) / 32
			return (uint64((i-32)%32+32) + 1) << uint(exp)
		}
	}
	return 0
}

func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

// processCPU is a process's user and system time from /proc/PID/stat (0
// when pid is 0 or the process is gone).
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	text := string(stat)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func rssMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if fields := strings.Fields(scanner.Text()); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(fields[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func main() {
	pd := flag.String("pd", "127.0.0.1:2379", "PD endpoints, comma-separated")
	inflight := flag.Int("inflight", 1000, "requests in flight (goroutines)")
	seconds := flag.Float64("seconds", 5, "length of the timed run")
	records := flag.Int64("records", 10000, "records to load and address")
	load := flag.Bool("load", true, "load the records first")
	serverPid := flag.Int("server-pid", 0, "the cluster's process, whose CPU time per operation to report")
	readShare := flag.Float64("read-proportion", 1.0, "share of reads (RawGet); the rest are updates (RawPut)")
	valueSize := flag.Int("value-size", 100, "bytes per value")
	flag.Parse()

	ctx := context.Background()
	client, err := rawkv.NewClientWithOpts(ctx, strings.Split(*pd, ","), rawkv.WithPDOptions(opt.WithMaxErrorRetry(3)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "peer: cannot connect to PD %s: %v\n", *pd, err)
		os.Exit(3)
	}
	defer client.Close()

	value := make([]byte, *valueSize)
	rand.New(rand.NewSource(1)).Read(value)
	for start := int64(0); *load && start < *records; start += 1000 {
		var keys, values [][]byte
		for n := start; n < start+1000 && n < *records; n++ {
			keys = append(keys, key(n))
			values = append(values, value)
		}
		if err := client.BatchPut(ctx, keys, values); err != nil {
			fmt.Fprintf(os.Stderr, "peer: load failed: %v\n", err)
			os.Exit(4)
		}
	}

	// One read first, so that the goroutines start with the region and its
	// store in client-go's cache: started cold, each would send PD a
	// GetRegion of its own (at 100,000 in flight, none completed an
	// operation within 24 s).
	if _, err := client.Get(ctx, key(0)); err != nil {
		fmt.Fprintf(os.Stderr, "peer: first read failed: %v\n", err)
		os.Exit(4)
	}

	var stop, timing atomic.Bool
	var failed, ops atomic.Uint64
	var latency latencies
	var started, done sync.WaitGroup
	begin := make(chan struct{})
	for g := 0; g < *inflight; g++ {
		started.Add(1)
		done.Add(1)
		go func(g int) {
			defer done.Done()
			rng := rand.New(rand.NewSource(int64(g) + 1))
			started.Done()
			<-begin
			for !stop.Load() {
				k := key(rng.Int63n(*records))
				t := time.Now()
				var err error
				if *readShare >= 1 || rng.Float64() < *readShare {
					_, err = client.Get(ctx, k)
				} else {
					err = client.Put(ctx, k, value)
				}
				if !timing.Load() {
					continue // warm-up, or after the timed window
				}
				if err != nil {
					failed.Add(1)
				} else {
					latency.record(uint64(time.Since(t).Microseconds()))
				}
				ops.Add(1)
			}
		}(g)
	}
	started.Wait()
	close(begin)
	time.Sleep(time.Duration(min(2, *seconds/5) * float64(time.Second))) // warm-up
	cpuBefore, serverBefore, t0 := cpuTime(), processCPU(*serverPid), time.Now()
	timing.Store(true)
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	timing.Store(false)
	cpu, elapsed, rss, n := cpuTime()-cpuBefore, time.Since(t0), rssMiB(), float64(ops.Load())
	server := processCPU(*serverPid) - serverBefore
	stop.Store(true)
	done.Wait()

	fmt.Printf("peer: inflight=%d ops=%d failed=%d ops_per_sec=%.1f client_cpu_us_per_op=%.3f server_cpu_us_per_op=%.3f p50_us=%d p99_us=%d rss_mib=%.1f\n",
		*inflight, ops.Load(), failed.Load(), n/elapsed.Seconds(), float64(cpu.Microseconds())/max(n, 1),
		float64(server.Microseconds())/max(n, 1), latency.at(0.50), latency.at(0.99), rss)
}
