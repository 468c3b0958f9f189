package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

// TestMain removes the binary poolsideBinary built, once for the whole run.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binDir    string
	buildOnce = sync.OnceValues(func() (string, error) {
		dir, err := os.MkdirTemp("", "poolside-test-bin-")
		if err != nil {
			return "", err
		}
		binDir = dir
		bin := filepath.Join(dir, "poolside")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build: %w\n%s", err, out)
		}
		return bin, nil
	})
)

// poolsideBinary builds cmd/poolside on first use and returns its path: one
// build per test run, however many tests start the process.
func poolsideBinary(tb testing.TB) string {
	tb.Helper()
	bin, err := buildOnce()
	require.NoError(tb, err)
	return bin
}

// invokeCLI runs `poolside invoke` in-process with stdin.
func invokeCLI(t *testing.T, stdin string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("POOLSIDE_LEGACY_SOURCE", goldenEnv["POOLSIDE_LEGACY_SOURCE"])
	var out, errOut bytes.Buffer
	code = run([]string{"invoke"}, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestInvokeCommand(t *testing.T) {
	cases := map[string]struct {
		stdin    string
		wantCode int
		wantType string
		wantMsg  string
	}{
		"truncated JSON":        {stdin: "{", wantCode: 1, wantType: "InvalidEvent", wantMsg: "invalid trigger event"},
		"unknown triggerSource": {stdin: `{"triggerSource":"Nope_Nope"}`, wantCode: 1, wantType: "UnknownTriggerSource", wantMsg: `"Nope_Nope"`},
		"a fixture":             {stdin: fixture(t, "PostAuthentication_Authentication"), wantCode: 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := invokeCLI(t, tc.stdin)
			require.Equal(t, tc.wantCode, code, "stderr: %s", stderr)
			assert.NotContains(t, stdout+stderr, "goroutine ", "no panic trace")
			var body map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &body), stdout)
			if tc.wantCode == 0 {
				assert.Equal(t, "PostAuthentication_Authentication", body["triggerSource"])
				assert.Equal(t, map[string]any{}, body["response"])
				return
			}
			assert.Equal(t, tc.wantType, body["errorType"])
			assert.Contains(t, body["errorMessage"], tc.wantMsg)
		})
	}
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, "events", name+".json"))
	require.NoError(t, err)
	return string(b)
}

// Through serve, errors come back as Lambda sends them: 200,
// X-Amz-Function-Error: Unhandled, {"errorMessage","errorType"}.
func TestServeInvokeAPI(t *testing.T) {
	var logs bytes.Buffer
	url := serveApp(t, goldenEnv, &logs)
	cases := map[string]struct {
		body      string
		wantError string
		wantType  string
	}{
		"truncated JSON":        {body: "{", wantError: "Unhandled", wantType: "InvalidEvent"},
		"unknown triggerSource": {body: `{"triggerSource":"Nope_Nope"}`, wantError: "Unhandled", wantType: "UnknownTriggerSource"},
		"fixture":               {body: fixture(t, "PostConfirmation_ConfirmSignUp")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, fnErr := post(t, url, []byte(tc.body))
			assert.Equal(t, tc.wantError, fnErr)
			var body map[string]any
			require.NoError(t, json.Unmarshal(out, &body), string(out))
			if tc.wantType != "" {
				assert.Equal(t, tc.wantType, body["errorType"])
				assert.NotEmpty(t, body["errorMessage"])
				return
			}
			assert.Equal(t, "PostConfirmation_ConfirmSignUp", body["triggerSource"])
		})
	}
	// ARNs and qualifiers route the same way; other paths are 404.
	resp, err := http.Post(strings.Replace(url, "/poolside/", "/arn:aws:lambda:us-east-1:123456789012:function:poolside:live/", 1),
		"application/json", strings.NewReader(fixture(t, "PostAuthentication_Authentication")))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("X-Amz-Function-Error"))
	resp, err = http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, 5, strings.Count(logs.String(), "\n"), "one log line per request")
}

// A function name pinned to one trigger refuses the others' events.
func TestServePins(t *testing.T) {
	a := newTestApp(t, goldenEnv, &bytes.Buffer{})
	api := &invokeAPI{Router: a.router, Pins: map[string]triggers.Trigger{"postAuth": triggers.PostAuthentication}}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	url := srv.URL + "/2015-03-31/functions/postAuth/invocations"
	out, fnErr := post(t, url, []byte(fixture(t, "PostAuthentication_Authentication")))
	assert.Empty(t, fnErr, string(out))
	out, fnErr = post(t, url, []byte(fixture(t, "PostConfirmation_ConfirmSignUp")))
	assert.Equal(t, "Unhandled", fnErr)
	assert.Contains(t, string(out), "serves PostAuthentication only")
	assert.Contains(t, string(out), `"errorType":"TriggerNotEnabled"`)
}

// `poolside serve` as a process: listens, answers a fixture, and stops
// cleanly on SIGTERM.
func TestServeProcess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	bin := poolsideBinary(t)
	port := freePort(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:"+port)
	cmd.Env = append(os.Environ(), "POOLSIDE_LEGACY_SOURCE="+goldenEnv["POOLSIDE_LEGACY_SOURCE"], "POOLSIDE_PROFILE_STORE=memory")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	url := "http://127.0.0.1:" + port + "/2015-03-31/functions/poolside/invocations"
	var resp *http.Response
	var err error
	// Generous bounds: they catch a hang, not a slow machine.
	require.Eventually(t, func() bool {
		resp, err = http.Post(url, "application/json", strings.NewReader(fixture(t, "PostAuthentication_Authentication")))
		return err == nil
	}, time.Minute, 50*time.Millisecond)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("serve did not stop on SIGTERM")
	}
	assert.Contains(t, stderr.String(), `"msg":"shutting down"`)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	_, port, _ := strings.Cut(l.Addr().String(), ":")
	return port
}
