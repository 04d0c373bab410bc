package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sideBySideSeconds is how long both clients run: SIDE_BY_SIDE_SECONDS, or
// 30 (bench/side-by-side-chaos.sh runs 300).
func sideBySideSeconds(t *testing.T) int {
	text := os.Getenv("SIDE_BY_SIDE_SECONDS")
	if text == "" {
		return 30
	}
	seconds, err := strconv.Atoi(text)
	if err != nil || seconds < 1 {
		t.Fatalf("SIDE_BY_SIDE_SECONDS=%q: a number of seconds", text)
	}
	return seconds
}

// One chaotic mock cluster, two clients at once: tikv-bench runs a verified
// read/update workload while client-go's writers put keys of their own.
// Regions split, leaders move, 0.05% of requests are answered ServerIsBusy,
// a store restarts every 7 s and PD (three members) changes leader every 5 s. Neither client may fail an operation or
// lose an acknowledged write: tikv-bench's --verify checks its reads, and
// every write client-go acknowledged is read back at the end.
func TestSideBySideUnderChaos(t *testing.T) {
	bin := tikvBench(t)
	seconds := sideBySideSeconds(t)
	m := startMock(t, "--split-keys", "2000", "--election-timeout", "300ms", "--seed", "7",
		"--pd-members", "3", "--election", "300ms",
		"--chaos", "split=1s,transfer-leader=300ms,busy=0.05%,restart-store=7s,downtime=1s,pd-leader=5s")
	pds := strings.Join(m.pds, ",")
	dir := t.TempDir()
	workload := filepath.Join(dir, "side-by-side.yaml")
	must(t, "write the workload", os.WriteFile(workload, []byte(`name: side-by-side
keyspace: {records: 5000}
values: {fields: 1, field_length: 100}
mix: {read: 0.5, update: 0.5}
distribution: uniform
load: {concurrency: 32}
verify: true
`), 0o644))
	load := exec.Command(bin, "load", "-P", workload, "--pd", pds)
	if out, err := load.CombinedOutput(); err != nil {
		t.Fatalf("tikv-bench load: %v\n%s", err, out)
	}

	report := filepath.Join(dir, "run.json")
	run := exec.Command(bin, "run", "-P", workload, "--pd", pds, "--duration", fmt.Sprintf("%ds", seconds),
		"--plain-status", "--json", report)
	runOutput, err := os.Create(filepath.Join(dir, "run.out"))
	must(t, "create run.out", err)
	run.Stdout, run.Stderr = runOutput, runOutput
	must(t, "start tikv-bench run", run.Start())

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second+5*time.Minute)
	defer cancel()
	c := connect(t, ctx, m)
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	const writers = 16
	var acknowledged [writers]int
	var failures atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("cg-%02d-%07d", w, i)
				if err := c.Put(ctx, []byte(key), []byte("v"+key)); err != nil {
					failures.Add(1)
					t.Errorf("client-go put %s: %v", key, err)
					return
				}
				acknowledged[w] = i + 1
			}
		}(w)
	}
	wg.Wait()
	runErr := run.Wait()
	runOutput.Close()

	// Read back in batches, one reader per writer.
	total := 0
	readErrs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		total += acknowledged[w]
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			const batch = 256
			for first := 0; first < acknowledged[w]; first += batch {
				var names []string
				for i := first; i < acknowledged[w] && i < first+batch; i++ {
					names = append(names, fmt.Sprintf("cg-%02d-%07d", w, i))
				}
				values, err := c.BatchGet(ctx, keys(names...))
				if err != nil {
					readErrs <- fmt.Errorf("client-go batch get from %s: %w", names[0], err)
					return
				}
				for i, name := range names {
					if string(values[i]) != "v"+name {
						readErrs <- fmt.Errorf("client-go get %s = %q: an acknowledged write is lost", name, values[i])
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(readErrs)
	for err := range readErrs {
		t.Fatal(err)
	}
	t.Logf("client-go: %d writes acknowledged and read back, %d failed", total, failures.Load())

	if runErr != nil {
		out, _ := os.ReadFile(filepath.Join(dir, "run.out"))
		t.Fatalf("tikv-bench run: %v\n%s", runErr, out)
	}
	var doc struct {
		Total struct {
			Count  int64 `json:"count"`
			Errors int64 `json:"errors"`
		} `json:"total"`
		Verify *struct {
			Checked int64 `json:"checked"`
			Lost    int64 `json:"lost"`
			Corrupt int64 `json:"corrupt"`
		} `json:"verify"`
	}
	raw, err := os.ReadFile(report)
	must(t, "read tikv-bench's report", err)
	must(t, "parse tikv-bench's report", json.Unmarshal(raw, &doc))
	if doc.Verify == nil {
		t.Fatal("tikv-bench's report has no verify result")
	}
	t.Logf("tikv-bench: %d operations, %d failed; verify: %d checked, %d lost, %d corrupt",
		doc.Total.Count, doc.Total.Errors, doc.Verify.Checked, doc.Verify.Lost, doc.Verify.Corrupt)
	if doc.Total.Errors != 0 || doc.Verify.Lost != 0 || doc.Verify.Corrupt != 0 || doc.Verify.Checked == 0 {
		t.Fatal("tikv-bench failed operations or lost writes under the chaos client-go passed through")
	}
	if total == 0 {
		t.Fatal("client-go acknowledged no write")
	}
	for _, line := range m.command(t, "chaos") {
		t.Log(line)
	}
	// Over a longer run, client-go's background loops (stores every 10 s,
	// cluster info every 3 s, health every second) have run too.
	checkUnserved(t, m)
}
