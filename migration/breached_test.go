package migration

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// hibpStandIn is a loopback stand-in for the Pwned Passwords range API: it
// records what reached it and answers with the given handler.
type hibpStandIn struct {
	mu       sync.Mutex
	paths    []string
	padding  []string
	answer   func(w http.ResponseWriter, prefix string)
	requests int
}

func (s *hibpStandIn) start(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.RawQuery+r.URL.Path)
		s.padding = append(s.padding, r.Header.Get("Add-Padding"))
		s.requests++
		s.mu.Unlock()
		s.answer(w, strings.TrimPrefix(r.URL.Path, "/range/"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func sha1Hex(p string) string {
	s := sha1.Sum([]byte(p))
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func TestHIBP(t *testing.T) {
	// "password" is in every breach list; its SHA-1 is 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
	breached := sha1Hex("password")
	require.Equal(t, "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8", breached)
	corpus := func(w http.ResponseWriter, prefix string) {
		if prefix != breached[:5] {
			fmt.Fprint(w, "0018A45C4D1DEF81644B54AB7F969B88D65:0\r\n")
			return
		}
		fmt.Fprintf(w, "003D68EB55068C33ACE09247EE4C639306B:3\r\n%s:10434004\r\n", strings.ToLower(breached[5:]))
	}
	cases := map[string]struct {
		password string
		answer   func(http.ResponseWriter, string)
		breached bool
		err      string
	}{
		"hit":  {"password", corpus, true, ""},
		"miss": {"a long passphrase nobody leaked", corpus, false, ""},
		"padding line with count 0 is a miss": {"password", func(w http.ResponseWriter, _ string) {
			fmt.Fprintf(w, "%s:0\r\n", breached[5:])
		}, false, ""},
		"5xx fails open": {"password", func(w http.ResponseWriter, _ string) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}, false, "hibp: status 503"},
		"throttled fails open": {"password", func(w http.ResponseWriter, _ string) {
			w.WriteHeader(http.StatusTooManyRequests)
		}, false, "hibp: status 429"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := &hibpStandIn{answer: c.answer}
			h := &HIBP{Endpoint: s.start(t), Timeout: time.Minute} // a budget these cases cannot hit
			got, err := h.Breached(context.Background(), []byte(c.password))
			require.Equal(t, c.breached, got)
			if c.err != "" {
				require.EqualError(t, err, c.err)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, 1, s.requests)
			// k-anonymity: only the first 5 hex characters of the SHA-1 leave
			require.Equal(t, []string{"/range/" + sha1Hex(c.password)[:5]}, s.paths)
			require.Equal(t, []string{"true"}, s.padding)
		})
	}
}

// A stand-in that never answers: the check gives up at its own budget and
// the caller fails open (the handler blocks until the test ends; nothing is
// timed by the test).
func TestHIBPHangFailsOpen(t *testing.T) {
	release := make(chan struct{})
	s := &hibpStandIn{answer: func(w http.ResponseWriter, _ string) { <-release }}
	url := s.start(t)
	t.Cleanup(func() { close(release) }) // runs before the server closes
	h := &HIBP{Endpoint: url, Timeout: 20 * time.Millisecond}
	got, err := h.Breached(context.Background(), []byte("password"))
	require.False(t, got)
	require.EqualError(t, err, "hibp: no answer within 20ms")
}

func TestHIBPUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	got, err := (&HIBP{Endpoint: url, Timeout: time.Minute}).Breached(context.Background(), []byte("password"))
	require.False(t, got)
	require.EqualError(t, err, "hibp: request failed (connection)")
	require.NotContains(t, err.Error(), sha1Hex("password")[:5])
}

// The authenticator asks only after a right password, and fails open.
func TestAuthenticatorBreached(t *testing.T) {
	hash, err := BcryptHash([]byte("password"), 4)
	require.NoError(t, err)
	src := sourceFunc(func(_ context.Context, login string) (User, error) {
		return User{Username: login, PasswordHash: hash}, nil
	})
	asked := 0
	a := &Authenticator{Source: src, DummyCost: 4, Breached: breachFunc(func([]byte) (bool, error) { asked++; return true, nil })}
	c, err := a.Authenticate(context.Background(), "u", []byte("wrong"))
	require.NoError(t, err)
	require.False(t, c.Verified)
	require.False(t, c.Breached)
	require.Zero(t, asked, "a wrong password is never sent to the breach check")
	c, err = a.Authenticate(context.Background(), "u", []byte("password"))
	require.NoError(t, err)
	require.True(t, c.Verified)
	require.True(t, c.Breached)
	a.Breached = breachFunc(func([]byte) (bool, error) { return false, fmt.Errorf("hibp: status 503") })
	c, err = a.Authenticate(context.Background(), "u", []byte("password"))
	require.NoError(t, err)
	require.True(t, c.Verified)
	require.False(t, c.Breached)
	require.EqualError(t, c.BreachProblem, "hibp: status 503")
}

type sourceFunc func(ctx context.Context, login string) (User, error)

func (f sourceFunc) Lookup(ctx context.Context, login string) (User, error) { return f(ctx, login) }

type breachFunc func([]byte) (bool, error)

func (f breachFunc) Breached(_ context.Context, p []byte) (bool, error) { return f(p) }
