package interop

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// pdLeader returns the number of the PD member that leads, or 0 during an
// election.
func (m *mockCluster) pdLeader(t *testing.T) int {
	t.Helper()
	for _, line := range m.command(t, "pd-members") {
		var member int
		if strings.HasSuffix(line, " leader") {
			if _, err := fmt.Sscanf(line, "pd %d", &member); err == nil {
				return member
			}
		}
	}
	return 0
}

// pdLeaderMoves is how many times chaos has moved PD's leader.
func (m *mockCluster) pdLeaderMoves(t *testing.T) int {
	t.Helper()
	var splits, transfers, restarts, moves int
	line := m.command(t, "chaos")[0]
	if _, err := fmt.Sscanf(line, "chaos splits %d leader-transfers %d store-restarts %d pd-leader-moves %d",
		&splits, &transfers, &restarts, &moves); err != nil {
		t.Fatalf("chaos: %q: %v", line, err)
	}
	return moves
}

// A PD of three members whose leader moves every second (each move an
// election of 300 ms with no leader), and then a leader stopped for good:
// client-go, given the three addresses, follows PD and every write it
// acknowledged reads back.
func TestPDFailover(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t, "--pd-members", "3", "--election", "300ms", "--chaos", "pd-leader=1s",
			"--split-keys", "300")
		if len(m.pds) != 3 {
			t.Fatalf("mock-cluster printed %d PD members, want 3", len(m.pds))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		written := 0
		put := func(n int) {
			t.Helper()
			for i := 0; i < n; i++ {
				key := fmt.Sprintf("pd-%06d", written)
				if err := c.Put(ctx, []byte(key), []byte(key)); err != nil {
					t.Fatalf("put %s: %v", key, err)
				}
				written++
			}
		}
		// Until PD's leader has moved three times.
		for m.pdLeaderMoves(t) < 3 {
			put(100)
		}
		leader := 0
		for leader == 0 {
			put(10)
			leader = m.pdLeader(t)
		}
		m.command(t, fmt.Sprintf("stop-pd %d", leader))
		for m.pdLeader(t) == 0 || m.pdLeaderMoves(t) < 5 {
			put(100)
		}
		for i := 0; i < written; i++ {
			key := fmt.Sprintf("pd-%06d", i)
			v, err := c.Get(ctx, []byte(key))
			if err != nil || string(v) != key {
				t.Fatalf("get %s = %q, %v", key, v, err)
			}
		}
		t.Logf("%d writes through %d PD leader moves and a stopped leader", written, m.pdLeaderMoves(t))
	})
}
