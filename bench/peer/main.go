// peer drives TiKV's own Go client (client-go's rawkv, the engine of
// go-ycsb's tikv raw driver) the way tikv-bench's client_bench and a
// go-ycsb raw run do, so the two clients can be compared in one run
// against the same cluster: a closed loop of one goroutine per request in
// flight, each issuing exactly the RPCs tikv-bench issues for the workload
// (one RawGet per read, one RawPut per update), keys and values made as
// go-ycsb makes them ("user" + FNV-1a 64 of the record number; values of
// --value-size random bytes).
//
// It loads --records records first (RawBatchPut, as a load), then runs for
// --seconds and prints one line:
//
//	peer: inflight=N ops=N ops_per_sec=F client_cpu_us_per_op=F p50_us=N p99_us=N rss_mb=F
//
// client CPU is this process's user and system time over the timed window
// (getrusage); resident memory is VmRSS at its end.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tikv/client-go/v2/rawkv"
	"github.com/tikv/pd/client/opt"
)

func fnv64(n uint64) uint64 {
	const offset, prime = 0xCBF29CE484222325, 1099511628211
	h := uint64(offset)
	for i := 0; i < 8; i++ {
		h ^= n & 0xff
		h *= prime
		n >>= 8
	}
	return h
}

func key(n uint64) []byte { return []byte("user" + strconv.FormatUint(fnv64(n), 10)) }

func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func rssMB() float64 {
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
	records := flag.Uint64("records", 10000, "records to load and address")
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
	for start := uint64(0); start < *records; start += 1000 {
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

	var stop atomic.Bool
	var failed atomic.Uint64
	latencies := make([][]int64, *inflight)
	var started, done sync.WaitGroup
	begin := make(chan struct{})
	for g := 0; g < *inflight; g++ {
		started.Add(1)
		done.Add(1)
		go func(g int) {
			defer done.Done()
			rng := rand.New(rand.NewSource(int64(g) + 1))
			own := make([]int64, 0, 4096)
			started.Done()
			<-begin
			for !stop.Load() {
				k := key(uint64(rng.Int63n(int64(*records))))
				t := time.Now()
				var err error
				if rng.Float64() < *readShare {
					_, err = client.Get(ctx, k)
				} else {
					err = client.Put(ctx, k, value)
				}
				if stop.Load() {
					break // ended after the timed window: not counted
				}
				if err != nil {
					failed.Add(1)
					continue
				}
				own = append(own, time.Since(t).Microseconds())
			}
			latencies[g] = own
		}(g)
	}
	started.Wait()
	cpuBefore, t0 := cpuTime(), time.Now()
	close(begin)
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	stop.Store(true)
	cpu, elapsed, rss := cpuTime()-cpuBefore, time.Since(t0), rssMB()
	done.Wait()

	var all []int64
	for _, own := range latencies {
		all = append(all, own...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	at := func(p float64) int64 {
		if len(all) == 0 {
			return 0
		}
		return all[int(p*float64(len(all)-1))]
	}
	ops := float64(len(all))
	fmt.Printf("peer: inflight=%d ops=%d failed=%d ops_per_sec=%.1f client_cpu_us_per_op=%.3f p50_us=%d p99_us=%d rss_mb=%.1f\n",
		*inflight, len(all), failed.Load(), ops/elapsed.Seconds(), float64(cpu.Microseconds())/ops, at(0.50), at(0.99), rss)
}
