// The interop suite: TiKV's own Go client, client-go, unmodified and with
// its default options, against `tikv-bench mock-cluster` processes. A
// behaviour that only tikv-bench's own client accepts is a bug in the mock.
//
// TIKV_BENCH names the tikv-bench binary; without it every test skips.
// Run: cd test/interop && TIKV_BENCH=$PWD/../../build/src/tikv-bench go test -v ./...
package interop

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/tikv/client-go/v2/rawkv"
	"github.com/tikv/pd/client/opt"
)

// mockCluster is a `tikv-bench mock-cluster` child process; closing its
// standard input stops it.
type mockCluster struct {
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	lines     *bufio.Scanner
	pd        string   // the first PD member
	pds       []string // every PD member
	clusterID uint64
	stores    map[uint64]string // store id -> address
}

func tikvBench(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("TIKV_BENCH")
	if bin == "" {
		t.Skip("TIKV_BENCH (the tikv-bench binary) is not set")
	}
	return bin
}

func startMock(t *testing.T, extra ...string) *mockCluster {
	t.Helper()
	bin := tikvBench(t)
	args := append([]string{"mock-cluster", "--pd", "127.0.0.1:0", "--store-ports", "0,0,0", "--exit-on-eof"}, extra...)
	cmd := exec.Command(bin, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	lines := bufio.NewScanner(stdout)
	m := &mockCluster{cmd: cmd, stdin: stdin, lines: lines, stores: map[uint64]string{}}
	t.Cleanup(m.stop)
	for lines.Scan() {
		line := lines.Text()
		fields := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "tikv-bench mock-cluster: cluster id "):
			m.clusterID, _ = strconv.ParseUint(strings.TrimSuffix(fields[4], ","), 10, 64)
		case len(fields) == 2 && fields[0] == "pd":
			if m.pd == "" {
				m.pd = fields[1]
			}
			m.pds = append(m.pds, fields[1])
		case len(fields) == 3 && fields[0] == "store":
			id, _ := strconv.ParseUint(fields[1], 10, 64)
			m.stores[id] = fields[2]
		}
		if line == "ready" {
			break
		}
	}
	if m.pd == "" || m.clusterID == 0 {
		t.Fatal("mock-cluster did not start")
	}
	return m
}

// command runs one of the mock's admin commands (docs/mock-cluster.md),
// waits for its "ok" and returns the lines before it.
func (m *mockCluster) command(t *testing.T, line string) []string {
	t.Helper()
	if _, err := fmt.Fprintln(m.stdin, line); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	var replies []string
	for m.lines.Scan() {
		reply := m.lines.Text()
		if reply == "ok" {
			return replies
		}
		if strings.HasPrefix(reply, "error") {
			t.Fatalf("%s: %s", line, reply)
		}
		replies = append(replies, reply)
	}
	t.Fatalf("%s: mock-cluster exited", line)
	return nil
}

func (m *mockCluster) stop() {
	m.stdin.Close()
	m.cmd.Wait()
}

// A way to run client-go: its default options, or with the router client
// (PD's QueryRegion stream) on, as PD's newer clients run by default.
type clientMode struct {
	name string
	opts []rawkv.ClientOpt
}

var clientModes = []clientMode{
	{"default", nil},
	{"router-client", []rawkv.ClientOpt{rawkv.WithPDOptions(opt.WithEnableRouterClient(true))}},
}

// forEachMode runs `test` once per client mode, as subtests.
func forEachMode(t *testing.T, test func(t *testing.T, mode clientMode)) {
	tikvBench(t) // skips the whole test, not only its subtests
	for _, mode := range clientModes {
		t.Run(mode.name, func(t *testing.T) { test(t, mode) })
	}
}

func connect(t *testing.T, ctx context.Context, m *mockCluster, opts ...rawkv.ClientOpt) *rawkv.Client {
	t.Helper()
	c, err := rawkv.NewClientWithOpts(ctx, m.pds, opts...)
	if err != nil {
		t.Fatalf("client-go cannot connect to the mock's PD at %s: %v", m.pd, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func keys(names ...string) [][]byte {
	out := make([][]byte, len(names))
	for i, name := range names {
		out[i] = []byte(name)
	}
	return out
}
