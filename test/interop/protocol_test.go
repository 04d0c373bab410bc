package interop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pingcap/kvproto/pkg/keyspacepb"
	"github.com/pingcap/kvproto/pkg/kvrpcpb"
	"github.com/pingcap/kvproto/pkg/pdpb"
	"github.com/pingcap/kvproto/pkg/tikvpb"
	pd "github.com/tikv/pd/client"
	"github.com/tikv/pd/client/clients/router"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func dial(t *testing.T, address string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func wantCode(t *testing.T, what string, err error, code codes.Code, message string) {
	t.Helper()
	if status.Code(err) != code || !strings.Contains(status.Convert(err).Message(), message) {
		t.Fatalf("%s: got %v, want %v %q", what, err, code, message)
	}
}

// Requests naming another cluster (or none: id 0) are refused as real PD
// refuses them (FAILED_PRECONDITION, on unary calls and streams) and as
// real TiKV does (INVALID_ARGUMENT, and the whole BatchCommands stream);
// GetMembers and GetClusterInfo answer any id, as PD's do.
func TestClusterIDMismatchesAreRefusedAsPDAndTiKVRefuseThem(t *testing.T) {
	m := startMock(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pdConn := dial(t, m.pd)
	pdClient := pdpb.NewPDClient(pdConn)
	for _, wrong := range []uint64{0, m.clusterID + 1} {
		header := &pdpb.RequestHeader{ClusterId: wrong}
		need := "mismatch cluster id, need "
		_, err := pdClient.GetRegion(ctx, &pdpb.GetRegionRequest{Header: header, RegionKey: []byte("k")})
		wantCode(t, "GetRegion", err, codes.FailedPrecondition, need)
		_, err = pdClient.GetAllStores(ctx, &pdpb.GetAllStoresRequest{Header: header})
		wantCode(t, "GetAllStores", err, codes.FailedPrecondition, need)
		_, err = keyspacepb.NewKeyspaceClient(pdConn).LoadKeyspace(ctx, &keyspacepb.LoadKeyspaceRequest{Header: header, Name: "DEFAULT"})
		wantCode(t, "LoadKeyspace", err, codes.FailedPrecondition, need)

		tso, err := pdClient.Tso(ctx)
		must(t, "open Tso", err)
		must(t, "send Tso", tso.Send(&pdpb.TsoRequest{Header: header, Count: 1}))
		_, err = tso.Recv()
		wantCode(t, "Tso stream", err, codes.FailedPrecondition, need)

		query, err := pdClient.QueryRegion(ctx)
		must(t, "open QueryRegion", err)
		must(t, "send QueryRegion", query.Send(&pdpb.QueryRegionRequest{Header: header, Keys: [][]byte{[]byte("k")}}))
		_, err = query.Recv()
		wantCode(t, "QueryRegion stream", err, codes.FailedPrecondition, need)

		members, err := pdClient.GetMembers(ctx, &pdpb.GetMembersRequest{Header: header})
		must(t, "GetMembers with another cluster's id", err)
		if members.GetHeader().GetClusterId() != m.clusterID || members.GetLeader() == nil {
			t.Fatalf("GetMembers = %v", members)
		}
		info, err := pdClient.GetClusterInfo(ctx, &pdpb.GetClusterInfoRequest{})
		must(t, "GetClusterInfo", err)
		if len(info.GetServiceModes()) != 1 || info.GetServiceModes()[0] != pdpb.ServiceMode_PD_SVC_MODE {
			t.Fatalf("GetClusterInfo = %v, want PD mode", info)
		}
	}

	tikv := tikvpb.NewTikvClient(dial(t, m.stores[1]))
	wrong := &kvrpcpb.Context{ClusterId: m.clusterID + 1, RegionId: 1}
	_, err := tikv.RawGet(ctx, &kvrpcpb.RawGetRequest{Context: wrong, Key: []byte("k")})
	wantCode(t, "RawGet", err, codes.InvalidArgument, "")
	stream, err := tikv.BatchCommands(ctx)
	must(t, "open BatchCommands", err)
	must(t, "send BatchCommands", stream.Send(&tikvpb.BatchCommandsRequest{
		Requests: []*tikvpb.BatchCommandsRequest_Request{{Cmd: &tikvpb.BatchCommandsRequest_Request_RawGet{
			RawGet: &kvrpcpb.RawGetRequest{Context: wrong, Key: []byte("k")}}}},
		RequestIds: []uint64{1},
	}))
	_, err = stream.Recv()
	wantCode(t, "BatchCommands stream", err, codes.InvalidArgument, "")
}

// PD and every store answer grpc.health.v1.Health/Check with SERVING, as
// client-go expects before it routes to a store again.
func TestHealthIsServedOnPDAndEveryStore(t *testing.T) {
	m := startMock(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	addresses := []string{m.pd}
	for _, address := range m.stores {
		addresses = append(addresses, address)
	}
	for _, address := range addresses {
		reply, err := healthpb.NewHealthClient(dial(t, address)).Check(ctx, &healthpb.HealthCheckRequest{})
		must(t, "Health/Check on "+address, err)
		if reply.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("Health/Check on %s = %v", address, reply.GetStatus())
		}
	}
}

// PD's own Go client: timestamps from the Tso stream strictly increase
// across goroutines, and BatchScanRegions returns each region of the given
// ranges once, in order.
func TestPDClientTimestampsAndBatchScanRegions(t *testing.T) {
	m := startMock(t)
	for _, key := range []string{"b", "d", "f"} {
		m.command(t, "split-key "+key)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := pd.NewClientWithContext(ctx, []string{m.pd}, pd.SecurityOption{})
	must(t, "PD client", err)
	defer client.Close()

	const goroutines, each = 8, 200
	results := make(chan []uint64, goroutines)
	for g := 0; g < goroutines; g++ {
		go func() {
			var seen []uint64
			for i := 0; i < each; i++ {
				physical, logical, err := client.GetTS(ctx)
				if err != nil {
					t.Errorf("GetTS: %v", err)
					break
				}
				seen = append(seen, uint64(physical)<<18|uint64(logical))
			}
			results <- seen
		}()
	}
	all := map[uint64]bool{}
	for g := 0; g < goroutines; g++ {
		seen := <-results
		for i, ts := range seen {
			if i > 0 && ts <= seen[i-1] {
				t.Fatalf("timestamp %d after %d: not increasing", ts, seen[i-1])
			}
			if all[ts] {
				t.Fatalf("timestamp %d handed out twice", ts)
			}
			all[ts] = true
		}
	}
	if len(all) != goroutines*each {
		t.Fatalf("%d timestamps, want %d", len(all), goroutines*each)
	}

	regions, err := client.BatchScanRegions(ctx, []router.KeyRange{
		{StartKey: []byte("a"), EndKey: []byte("c")},
		{StartKey: []byte("c"), EndKey: []byte("c1")},
		{StartKey: []byte("e"), EndKey: nil},
	}, 0)
	must(t, "BatchScanRegions", err)
	var starts []string
	for _, region := range regions {
		starts = append(starts, string(region.Meta.GetStartKey()))
		if region.Leader == nil || region.Leader.GetStoreId() == 0 {
			t.Fatalf("region %v without a leader", region.Meta)
		}
	}
	// [,b) [b,d) [d,f) [f,): the first two cover a..c1 (b..d once), the
	// last two e..
	if strings.Join(starts, "|") != "|b|d|f" {
		t.Fatalf("BatchScanRegions region starts = %q, want [\"\" b d f]", starts)
	}
	regions, err = client.BatchScanRegions(ctx, []router.KeyRange{{StartKey: []byte(""), EndKey: nil}}, 2)
	must(t, "BatchScanRegions with a limit", err)
	if len(regions) != 2 {
		t.Fatalf("BatchScanRegions with limit 2 gave %d regions", len(regions))
	}
}

// What client-go calls that the mock does not serve, after every raw
// operation in both modes: only RPCs whose Unimplemented answer client-go
// takes as "feature off" (docs/mock-cluster.md lists them).
func TestClientGoCallsNothingElseTheMockLacks(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		m := startMock(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := connect(t, ctx, m, mode.opts...)
		exerciseEveryRawOperation(t, ctx, c)
		c.Close()
		checkUnserved(t, m)
	})
}

// checkUnserved fails the test for each method the mock answered
// UNIMPLEMENTED that is not known to be harmless.
func checkUnserved(t *testing.T, m *mockCluster) {
	t.Helper()
	allowed := map[string]bool{}
	for _, method := range unservedButHarmless {
		allowed[method] = true
	}
	for _, line := range m.command(t, "unserved") {
		fields := strings.Fields(line) // unserved pd|store METHOD COUNT
		t.Logf("%s", line)
		if len(fields) != 4 || !allowed[fields[2]] {
			t.Errorf("a client called %q, which the mock does not serve", line)
		}
	}
}

// RPCs client-go may call that the mock does not serve, each with why that
// is harmless.
var unservedButHarmless = []string{
	// PD's client opens this stream at start; it writes to it only under
	// resource control, which rawkv never turns on. The mock holds the
	// stream open, as PD does, and would refuse a request in it.
	"/resource_manager.ResourceManager/AcquireTokenBuckets",
}
