package interop

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tikv/client-go/v2/rawkv"
)

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// exerciseEveryRawOperation runs get, batch get, put, batch put, delete,
// batch delete, scan, reverse scan and delete range, checking each answer.
func exerciseEveryRawOperation(t *testing.T, ctx context.Context, c *rawkv.Client) {
	t.Helper()
	must(t, "put", c.Put(ctx, []byte("a1"), []byte("v1")))
	v, err := c.Get(ctx, []byte("a1"))
	must(t, "get", err)
	if string(v) != "v1" {
		t.Fatalf("get a1 = %q, want v1", v)
	}
	missing, err := c.Get(ctx, []byte("nothing"))
	must(t, "get of a missing key", err)
	if missing != nil {
		t.Fatalf("a missing key read %q", missing)
	}
	must(t, "batch put", c.BatchPut(ctx, keys("a2", "a3", "a4"), keys("x", "y", "z")))
	values, err := c.BatchGet(ctx, keys("a2", "a3", "zz"))
	must(t, "batch get", err)
	if len(values) != 3 || string(values[0]) != "x" || string(values[1]) != "y" || values[2] != nil {
		t.Fatalf("batch get = %q, want [x y <nil>]", values)
	}
	found, _, err := c.Scan(ctx, []byte("a"), []byte("b"), 10)
	must(t, "scan", err)
	if fmt.Sprintf("%s", found) != "[a1 a2 a3 a4]" {
		t.Fatalf("scan = %s", found)
	}
	found, _, err = c.ReverseScan(ctx, []byte("b"), []byte("a"), 10)
	must(t, "reverse scan", err)
	if fmt.Sprintf("%s", found) != "[a4 a3 a2 a1]" {
		t.Fatalf("reverse scan = %s", found)
	}
	must(t, "delete", c.Delete(ctx, []byte("a1")))
	must(t, "batch delete", c.BatchDelete(ctx, keys("a2")))
	found, _, err = c.Scan(ctx, []byte("a"), []byte("b"), 10)
	must(t, "scan after deletes", err)
	if fmt.Sprintf("%s", found) != "[a3 a4]" {
		t.Fatalf("scan after deletes = %s", found)
	}
	must(t, "delete range", c.DeleteRange(ctx, []byte("a"), []byte("b")))
	found, _, err = c.Scan(ctx, []byte("a"), []byte("b"), 10)
	must(t, "scan after delete range", err)
	if len(found) != 0 {
		t.Fatalf("scan after delete range = %s", found)
	}
}

func TestEveryRawOperation(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		exerciseEveryRawOperation(t, ctx, c)
	})
}

// The same over regions split between the keys, so that batch operations,
// scans and delete range cross region boundaries.
func TestEveryRawOperationAcrossRegions(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t)
		for _, key := range []string{"a2", "a3", "a4"} {
			m.command(t, "split-key "+key)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		exerciseEveryRawOperation(t, ctx, c)
	})
}

// writeAndReadBack has `writers` goroutines put `each` keys under `prefix`,
// then reads every acknowledged write back.
func writeAndReadBack(t *testing.T, ctx context.Context, c *rawkv.Client, prefix string, writers, each int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				key := fmt.Sprintf("%s%02d-%04d", prefix, w, i)
				if err := c.Put(ctx, []byte(key), []byte("v"+key)); err != nil {
					errs <- fmt.Errorf("put %s: %w", key, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := 0; w < writers; w++ {
		for i := 0; i < each; i++ {
			key := fmt.Sprintf("%s%02d-%04d", prefix, w, i)
			v, err := c.Get(ctx, []byte(key))
			if err != nil {
				t.Fatalf("get %s: %v", key, err)
			}
			if string(v) != "v"+key {
				t.Fatalf("get %s = %q: an acknowledged write is lost", key, v)
			}
		}
	}
}

// Splits, leader transfers, busy replies and store restarts while 16
// writers put: every write client-go acknowledged reads back. (client-go
// backs a write off for 1 to 2 s, and longer if it repeats, on each
// ServerIsBusy: 0.1% of 8,000 writes costs seconds.)
func TestAcknowledgedWritesReadBackUnderChaos(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t, "--split-keys", "200", "--election-timeout", "200ms",
			"--chaos", "split=50ms,transfer-leader=30ms,busy=0.1%,restart-store=1s,downtime=300ms")
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		writeAndReadBack(t, ctx, c, "k", 16, 500)
	})
}

// A store stopped and started again: client-go routes around it while it is
// down, and back to it once it is up and leads regions again.
func TestAStoreRestartIsRoutedAroundAndBackTo(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t, "--stores", "3", "--election-timeout", "500ms")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		put := func(phase string, n int) {
			t.Helper()
			for i := 0; i < n; i++ {
				key := fmt.Sprintf("%s-%04d", phase, i)
				if err := c.Put(ctx, []byte(key), []byte(key)); err != nil {
					t.Fatalf("put %s: %v", key, err)
				}
			}
		}
		put("before", 100)
		m.command(t, "stop-store 1")
		put("down", 100)
		m.command(t, "start-store 1")
		// Every region's leader back on the restarted store.
		for _, region := range m.command(t, "regions") {
			var id int
			if _, err := fmt.Sscanf(region, "region %d", &id); err == nil {
				m.command(t, fmt.Sprintf("transfer-leader %d 1", id))
			}
		}
		put("after", 100)
		for _, phase := range []string{"before", "down", "after"} {
			for i := 0; i < 100; i++ {
				key := fmt.Sprintf("%s-%04d", phase, i)
				v, err := c.Get(ctx, []byte(key))
				if err != nil || string(v) != key {
					t.Fatalf("get %s = %q, %v", key, v, err)
				}
			}
		}
	})
}
