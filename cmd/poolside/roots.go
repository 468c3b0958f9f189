package main

import (
	"io/fs"
	"os"
)

// Go loads the system's root certificates once, at a process's first TLS
// handshake: on Linux, the first of its bundle files that exists, and then
// every file of /etc/ssl/certs and /etc/pki/tls/certs, parsing each
// certificate it meets before it drops the duplicates (crypto/x509,
// root_unix.go). On Amazon Linux 2023, provided.al2023's base, the bundle
// holds the 143 roots and /etc/ssl/certs holds them again one file each, and
// /etc/pki/tls/certs links the bundle once more (golang/go#79018): every root
// is parsed three times, at every cold start of a function that calls AWS.
// On this repository's Debian machines, whose layout is the same kind, the
// folders cost 8.5–24.9 ms and the bundle alone 2.0–8.0 ms
// (BenchmarkSystemRoots; README "Performance": "What the bench leaves out").

// linuxBundles is crypto/x509's certFiles for Linux (root_linux.go, Go 1.26),
// in its order: Go reads the first that exists.
var linuxBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
	"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6 (and Amazon Linux 2023)
	"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
	"/etc/pki/tls/cacert.pem",                           // OpenELEC
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
	"/etc/ssl/cert.pem",                                 // Alpine Linux
}

// bundleOnlyDir is the SSL_CERT_DIR a Lambda artifact sets so that Go reads
// the bundle alone: a folder that does not exist (the home of Debian's
// nobody, by policy), whose absence Go ignores.
const bundleOnlyDir = "/nonexistent"

// lambdaRootsSetting returns the SSL_CERT_DIR a Lambda artifact sets at start
// ("" for none): bundleOnlyDir, when neither SSL_CERT_FILE nor SSL_CERT_DIR is
// set (set either and Go's reading stands) and a bundle Go reads is there and
// not empty. With no bundle Go reads only the folders, and still does.
func lambdaRootsSetting(getenv func(string) string, stat func(string) (fs.FileInfo, error)) string {
	if getenv("SSL_CERT_FILE") != "" || getenv("SSL_CERT_DIR") != "" {
		return ""
	}
	for _, f := range linuxBundles {
		fi, err := stat(f)
		if err != nil {
			continue
		}
		if fi.Mode().IsRegular() && fi.Size() > 0 {
			return bundleOnlyDir
		}
		return "" // the one Go would read is no bundle: leave it the folders
	}
	return ""
}

// lambdaRoots applies lambdaRootsSetting. It runs at start, before any TLS
// handshake (the first loads the roots).
func lambdaRoots(getenv func(string) string, stat func(string) (fs.FileInfo, error)) {
	if dir := lambdaRootsSetting(getenv, stat); dir != "" {
		_ = os.Setenv("SSL_CERT_DIR", dir)
	}
}
