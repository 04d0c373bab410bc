package interop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pingcap/kvproto/pkg/keyspacepb"
	"github.com/pingcap/kvproto/pkg/kvrpcpb"
	"github.com/pingcap/kvproto/pkg/pdpb"
	"github.com/tikv/client-go/v2/rawkv"
)

// API v2 with named keyspaces: client-go resolves the name through
// keyspacepb.Keyspace/LoadKeyspace, every raw operation works inside the
// keyspace, and keyspaces do not see each other's keys.
func TestAPIV2WithANamedKeyspace(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t, "--api-version", "v2", "--keyspace", "bench=7", "--keyspace", "other")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		v2 := func(keyspace string) []rawkv.ClientOpt {
			opts := append([]rawkv.ClientOpt{rawkv.WithAPIVersion(kvrpcpb.APIVersion_V2)}, mode.opts...)
			if keyspace != "" {
				opts = append(opts, rawkv.WithKeyspace(keyspace))
			}
			return opts
		}
		bench := connect(t, ctx, m, v2("bench")...)
		exerciseEveryRawOperation(t, ctx, bench)

		other := connect(t, ctx, m, v2("other")...)
		byDefault := connect(t, ctx, m, v2("")...) // client-go asks for "DEFAULT"
		must(t, "put in bench", bench.Put(ctx, []byte("shared"), []byte("bench")))
		must(t, "put in other", other.Put(ctx, []byte("shared"), []byte("other")))
		for _, c := range []struct {
			name   string
			client *rawkv.Client
			want   string
		}{{"bench", bench, "bench"}, {"other", other, "other"}, {"DEFAULT", byDefault, ""}} {
			v, err := c.client.Get(ctx, []byte("shared"))
			must(t, "get in "+c.name, err)
			if string(v) != c.want {
				t.Fatalf("keyspace %s reads %q, want %q", c.name, v, c.want)
			}
		}

		_, err := rawkv.NewClientWithOpts(ctx, []string{m.pd}, v2("nope")...)
		if err == nil || !strings.Contains(err.Error(), "keyspace does not exist") {
			t.Fatalf("an unknown keyspace: err = %v, want PD's \"keyspace does not exist\"", err)
		}
	})
}

// LoadKeyspace answers names, ids and states as PD does, and follows a
// state change.
func TestLoadKeyspaceReportsStates(t *testing.T) {
	m := startMock(t, "--api-version", "v2", "--keyspace", "bench=7", "--keyspace", "picked")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := keyspacepb.NewKeyspaceClient(dial(t, m.pd))
	load := func(name string) *keyspacepb.LoadKeyspaceResponse {
		t.Helper()
		reply, err := client.LoadKeyspace(ctx, &keyspacepb.LoadKeyspaceRequest{
			Header: &pdpb.RequestHeader{ClusterId: m.clusterID}, Name: name})
		must(t, "LoadKeyspace "+name, err)
		return reply
	}
	for name, id := range map[string]uint32{"DEFAULT": 0, "bench": 7, "picked": 1} {
		meta := load(name).GetKeyspace()
		if meta.GetId() != id || meta.GetName() != name || meta.GetState() != keyspacepb.KeyspaceState_ENABLED {
			t.Fatalf("LoadKeyspace %s = %v, want id %d ENABLED", name, meta, id)
		}
	}
	m.command(t, "keyspace-state bench disabled")
	if state := load("bench").GetKeyspace().GetState(); state != keyspacepb.KeyspaceState_DISABLED {
		t.Fatalf("bench is %v after keyspace-state bench disabled", state)
	}
	missing := load("nope")
	if missing.GetKeyspace() != nil || missing.GetHeader().GetError().GetType() != pdpb.ErrorType_ENTRY_NOT_FOUND {
		t.Fatalf("LoadKeyspace nope = %v, want ENTRY_NOT_FOUND", missing)
	}
}
