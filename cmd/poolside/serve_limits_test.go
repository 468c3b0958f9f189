package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

// A body trickled one byte at a time is cut off by the read timeout: the
// server closes the connection while the client still has bytes to send.
func TestServeCutsATrickledBody(t *testing.T) {
	a := newTestApp(t, goldenEnv, &bytes.Buffer{})
	srv := httptest.NewUnstartedServer(a.serveHandler(nil, ""))
	srv.Config = newServer(srv.Config.Handler, 300*time.Millisecond)
	srv.Start()
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /2015-03-31/functions/poolside/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	require.NoError(t, err)
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, conn); close(closed) }() // returns when the server closes
	for i := 0; i < 100000; i++ {
		select {
		case <-closed:
			return // cut off long before the body could be complete
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{'x'}); err != nil {
			return // the server hung up
		}
	}
	t.Fatal("the server read a trickled body to the end")
}

// Over the concurrency cap a request waits, then gets 429 as Lambda answers
// when its concurrency is exhausted; it never reads the body meanwhile.
func TestServeCapsConcurrentInvocations(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	r := triggers.NewRouter(triggers.WithLogger(newLogger(io.Discard, 0)))
	r.HandlePostAuthentication(func(context.Context, *triggers.PostAuthenticationEvent) error {
		started <- struct{}{}
		<-release // a handler that blocks until the test lets it go
		return nil
	})
	api := &invokeAPI{Router: r, Log: newLogger(io.Discard, 0), MaxConcurrent: 1, Wait: 20 * time.Millisecond}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	url := srv.URL + "/2015-03-31/functions/poolside/invocations"
	event := `{"triggerSource":"PostAuthentication_Authentication"}`
	first := make(chan int, 1)
	go func() {
		resp, err := http.Post(url, "application/json", strings.NewReader(event))
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-started
	resp, err := http.Post(url, "application/json", strings.NewReader(event))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, string(body))
	close(release)
	assert.Equal(t, http.StatusOK, <-first)
	resp, err = http.Post(url, "application/json", strings.NewReader(event))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the slot is free again")
}

// Lambda's 6 MB payload limit: the caller reads why, in words; poolside
// invoke says the same instead of a JSON decoder error.
func TestPayloadLimit(t *testing.T) {
	var logs bytes.Buffer
	url := serveApp(t, goldenEnv, &logs)
	over := bytes.Repeat([]byte(" "), maxPayload+1)
	resp, err := http.Post(url, "application/json", bytes.NewReader(over))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Contains(t, string(body), "payload over 6 MB")

	at := append(bytes.Repeat([]byte(" "), maxPayload-len(fixture(t, "PostAuthentication_Authentication"))), fixture(t, "PostAuthentication_Authentication")...)
	out, fnErr := post(t, url, at)
	assert.Empty(t, fnErr, "exactly 6 MB is allowed: %.200s", out)

	code, stdout, stderr := invokeCLI(t, string(over))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "payload over 6 MB")
	assert.NotContains(t, stdout+stderr, "unexpected end of JSON input")
}

// A hostile 1 MB triggerSource makes neither a long answer nor a long log
// line: values are cut, with their length.
func TestLongValuesAreCut(t *testing.T) {
	var logs bytes.Buffer
	url := serveApp(t, goldenEnv, &logs)
	source := strings.Repeat("Nope", 1<<18) // 1 MiB
	out, fnErr := post(t, url, []byte(`{"triggerSource":"`+source+`","userPoolId":"`+source+`"}`))
	assert.Equal(t, "Unhandled", fnErr)
	assert.Less(t, len(out), 1024, "the answer quotes a short part")
	assert.Contains(t, string(out), fmt.Sprintf("(%d bytes)", len(source)))
	logged := logs.String()
	sc := bufio.NewScanner(strings.NewReader(logged))
	sc.Buffer(nil, 4<<20)
	lines := 0
	for sc.Scan() {
		lines++
		assert.Less(t, len(sc.Bytes()), 4<<10, "log line of %d bytes", len(sc.Bytes()))
		var line map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
	}
	require.Equal(t, 1, lines)
	assert.Contains(t, logged, fmt.Sprintf("(cut, %d bytes)", len(source)))
}

func TestCutLongValue(t *testing.T) {
	long := strings.Repeat("é", maxLogValue) // 2 bytes a rune: the cut falls inside one
	cases := map[string]struct {
		attr string
		in   string
		want string
	}{
		"short":            {attr: "error", in: "short", want: "short"},
		"at the limit":     {attr: "error", in: strings.Repeat("a", maxLogValue), want: strings.Repeat("a", maxLogValue)},
		"long, on a rune":  {attr: "error", in: long, want: long[:maxLogValue] + fmt.Sprintf("… (cut, %d bytes)", len(long))},
		"a stack has room": {attr: "stack", in: long, want: long},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			newLogger(&b, 0).Info("x", c.attr, c.in)
			var line map[string]any
			require.NoError(t, json.Unmarshal(b.Bytes(), &line))
			assert.Equal(t, c.want, line[c.attr])
		})
	}
	t.Run("an error value is cut as its message", func(t *testing.T) {
		var b bytes.Buffer
		newLogger(&b, 0).Info("x", "err", errors.New(long), "count", 7, "ok", true)
		var line map[string]any
		require.NoError(t, json.Unmarshal(b.Bytes(), &line))
		assert.Equal(t, long[:maxLogValue]+fmt.Sprintf("… (cut, %d bytes)", len(long)), line["err"])
		assert.Equal(t, 7.0, line["count"])
		assert.Equal(t, true, line["ok"])
	})
}
