// Package testenv finds the servers the integration tests talk to.
package testenv

import (
	"os"
	"testing"
)

// Server returns the value of the environment variable that names a test
// server (.ci/with-servers.sh sets POOLSIDE_DYNAMODB_ENDPOINT and
// POOLSIDE_COGNITO_ENDPOINT for moto_server, POOLSIDE_TEST_POSTGRES_URL and
// POOLSIDE_TEST_MYSQL_URL). Unset, the test skips — except under CI=true,
// where it fails: CI never skips a suite for want of a server.
func Server(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s unset: CI needs that server (run through make test, which starts it)", name)
		}
		t.Skipf("%s unset: run through make test, which starts its server", name)
	}
	return v
}
