package interop

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tikv/client-go/v2/config"
	"github.com/tikv/client-go/v2/rawkv"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// writeCertificates writes a CA and, signed by it, a certificate for
// 127.0.0.1 (server and client use), as PEM files in dir.
func writeCertificates(t *testing.T, dir string) (ca, cert, key string) {
	t.Helper()
	write := func(name, kind string, der []byte) string {
		path := filepath.Join(dir, name)
		must(t, "write "+name, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
		return path
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, "CA key", err)
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tikv-bench interop CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	must(t, "CA certificate", err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, "key", err)
	leafTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, caTemplate, &leafKey.PublicKey, caKey)
	must(t, "certificate", err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	must(t, "marshal key", err)
	return write("ca.pem", "CERTIFICATE", caDER), write("cert.pem", "CERTIFICATE", leafDER),
		write("key.pem", "PRIVATE KEY", keyDER)
}

// Mutual TLS on PD and every store: client-go with a certificate works;
// a plaintext client is turned away.
func TestTLS(t *testing.T) {
	forEachMode(t, func(t *testing.T, mode clientMode) {
		ca, cert, key := writeCertificates(t, t.TempDir())
		m := startMock(t, "--ca", ca, "--cert", cert, "--key", key)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		opts := append([]rawkv.ClientOpt{rawkv.WithSecurity(config.NewSecurity(ca, cert, key, nil))}, mode.opts...)
		c := connect(t, ctx, m, opts...)
		exerciseEveryRawOperation(t, ctx, c)

		if _, err := healthpb.NewHealthClient(dial(t, m.pd)).Check(ctx, &healthpb.HealthCheckRequest{}); err == nil {
			t.Fatal("a plaintext client reached the TLS PD")
		}
	})
}
