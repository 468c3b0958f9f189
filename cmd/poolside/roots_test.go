package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLambdaRootsSetting(t *testing.T) {
	pem := &fstest.MapFile{Data: []byte("-----BEGIN CERTIFICATE-----\n")}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		files fstest.MapFS // paths without the leading slash
		want  string
	}{
		{"Debian's bundle", nil, fstest.MapFS{"etc/ssl/certs/ca-certificates.crt": pem}, bundleOnlyDir},
		{"Amazon Linux 2023's bundle", nil, fstest.MapFS{"etc/pki/tls/certs/ca-bundle.crt": pem,
			"etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem": pem}, bundleOnlyDir},
		{"Alpine's, the last Go looks for", nil, fstest.MapFS{"etc/ssl/cert.pem": pem}, bundleOnlyDir},
		{"no bundle: Go reads the folders, and still does", nil, fstest.MapFS{"etc/ssl/certs/1234abcd.0": pem}, ""},
		{"the bundle Go reads first is empty: the folders too", nil, fstest.MapFS{
			"etc/ssl/certs/ca-certificates.crt": &fstest.MapFile{}, "etc/pki/tls/certs/ca-bundle.crt": pem}, ""},
		{"the path Go reads first is a folder", nil, fstest.MapFS{
			"etc/ssl/certs/ca-certificates.crt/x": pem, "etc/pki/tls/certs/ca-bundle.crt": pem}, ""},
		{"SSL_CERT_FILE set: Go's reading stands", map[string]string{"SSL_CERT_FILE": "/opt/ca.pem"},
			fstest.MapFS{"etc/ssl/certs/ca-certificates.crt": pem}, ""},
		{"SSL_CERT_DIR set: Go's reading stands", map[string]string{"SSL_CERT_DIR": "/opt/certs"},
			fstest.MapFS{"etc/ssl/certs/ca-certificates.crt": pem}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stat := func(name string) (fs.FileInfo, error) { return fs.Stat(tc.files, strings.TrimPrefix(name, "/")) }
			got := lambdaRootsSetting(func(k string) string { return tc.env[k] }, stat)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLambdaRootsApplies(t *testing.T) {
	t.Setenv("SSL_CERT_DIR", "")
	t.Setenv("SSL_CERT_FILE", "")
	stat := func(name string) (fs.FileInfo, error) {
		return fs.Stat(fstest.MapFS{"etc/pki/tls/certs/ca-bundle.crt": {Data: []byte("x")}}, strings.TrimPrefix(name, "/"))
	}
	lambdaRoots(os.Getenv, stat)
	assert.Equal(t, bundleOnlyDir, os.Getenv("SSL_CERT_DIR"))

	t.Setenv("SSL_CERT_DIR", "/opt/certs") // a setting of the user's stands
	lambdaRoots(os.Getenv, stat)
	assert.Equal(t, "/opt/certs", os.Getenv("SSL_CERT_DIR"))
}

// TestBundleOnlyRootsLoseNoCA loads this machine's system roots in two fresh
// processes, as Go does by default and as a Lambda artifact has Go do it
// (lambdaRoots: the bundle alone), and checks that what the folders add is no
// CA: on Debian, ssl-cert's self-signed snakeoil certificate, which the
// default reading trusts as a root and the bundle alone does not. Each
// process also prints how long the load took (logged, not checked: the
// README's figure).
func TestBundleOnlyRootsLoseNoCA(t *testing.T) {
	if os.Getenv("POOLSIDE_ROOTS_HELPER") == "1" {
		lambdaRoots(os.Getenv, os.Stat)
		start := time.Now()
		pool, err := x509.SystemCertPool()
		took := time.Since(start)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		//lint:ignore SA1019 on Linux the system pool's subjects are the roots Go read from the files
		fmt.Println(len(pool.Subjects()), took.Microseconds(), os.Getenv("SSL_CERT_DIR"))
		os.Exit(0)
	}
	roots := func(env ...string) (n int, dir string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestBundleOnlyRootsLoseNoCA$", "-test.count=1")
		cmd.Env = append(os.Environ(), append([]string{"POOLSIDE_ROOTS_HELPER=1", "SSL_CERT_FILE=", "SSL_CERT_DIR="}, env...)...)
		out, err := cmd.Output()
		require.NoError(t, err, "%s", out)
		f := strings.Fields(string(out))
		require.GreaterOrEqual(t, len(f), 2, "%s", out)
		n, err = strconv.Atoi(f[0])
		require.NoError(t, err)
		t.Logf("%d roots in %s µs (SSL_CERT_DIR %q)", n, f[1], strings.Join(f[2:], ""))
		return n, strings.Join(f[2:], "")
	}
	require.Equal(t, bundleOnlyDir, lambdaRootsSetting(func(string) string { return "" }, os.Stat),
		"this machine has a bundle Go reads (Debian's ca-certificates)")
	bundleOnly, dir := roots()
	assert.Equal(t, bundleOnlyDir, dir, "the artifact's start set SSL_CERT_DIR")
	all, _ := roots("SSL_CERT_DIR=" + strings.Join(goCertDirs, ":")) // Go's default folders, which lambdaRoots leaves alone when named
	assert.Positive(t, bundleOnly)

	// What the folders hold that the bundle does not.
	var bundle []byte
	for _, f := range linuxBundles {
		if raw, err := os.ReadFile(f); err == nil {
			bundle = raw
			break
		}
	}
	inBundle := map[string]bool{}
	for _, c := range pemCerts(bundle) {
		inBundle[string(c.Raw)] = true
	}
	extra := map[string]*x509.Certificate{}
	for _, dir := range goCertDirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			for _, c := range pemCerts(raw) {
				if !inBundle[string(c.Raw)] {
					extra[string(c.Raw)] = c
				}
			}
		}
	}
	for _, c := range extra {
		t.Logf("only in the folders: %s (CA: %v)", c.Subject, c.IsCA)
		assert.False(t, c.IsCA, "the bundle lacks a CA the folders hold: %s", c.Subject)
	}
	assert.Equal(t, all-len(extra), bundleOnly, "the bundle-only pool is the default one less what only the folders hold")
}

// goCertDirs is crypto/x509's certDirectories for Linux (Go 1.26).
var goCertDirs = []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}

// pemCerts parses the CERTIFICATE blocks of raw, skipping any that do not
// parse, as x509.CertPool.AppendCertsFromPEM does.
func pemCerts(raw []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		if b, raw = pem.Decode(raw); b == nil {
			return out
		}
		if b.Type != "CERTIFICATE" || len(b.Headers) != 0 {
			continue
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			out = append(out, c)
		}
	}
}

// BenchmarkSystemRoots times Go's one-time load of the system roots in fresh
// processes (TestBundleOnlyRootsLoseNoCA's helper), with Go's default folders
// and with the bundle alone as a Lambda artifact has it (lambdaRoots). It
// reports the load's own time, µs/load, beside the process's.
func BenchmarkSystemRoots(b *testing.B) {
	for _, tc := range []struct{ name, dir string }{
		{"default-folders", strings.Join(goCertDirs, ":")},
		{"bundle-only", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestBundleOnlyRootsLoseNoCA$", "-test.count=1", "-test.bench=^$")
				cmd.Env = append(os.Environ(), "POOLSIDE_ROOTS_HELPER=1", "SSL_CERT_FILE=", "SSL_CERT_DIR="+tc.dir)
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				f := strings.Fields(string(out))
				if len(f) < 2 {
					b.Fatalf("helper said %q", out)
				}
				us, err := strconv.Atoi(f[1])
				if err != nil {
					b.Fatal(err)
				}
				total += time.Duration(us) * time.Microsecond
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/load")
		})
	}
}
