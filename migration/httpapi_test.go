package migration_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/migration/sourcetest"
)

const standInAuth = "Bearer legacy-api-SECRET-token"

// legacyAPI is a loopback stand-in for a legacy system's HTTP API: it holds
// the fixture users and checks passwords against their hashes, as the legacy
// application would; it answers 403 without the expected Authorization.
func legacyAPI(t *testing.T, fx sourcetest.Fixture) *httptest.Server {
	t.Helper()
	users := migration.NewFile("../fixtures/legacy-users.jsonl")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "want a JSON POST", http.StatusBadRequest)
			return
		}
		if r.Header.Get("Authorization") != standInAuth {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var in struct {
			Username string  `json:"username"`
			Password *string `json:"password"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		u, err := users.Lookup(r.Context(), in.Username)
		if errors.Is(err, migration.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		require.NoError(t, err)
		if in.Password != nil {
			ok, problem := (&migration.Verifier{}).Verify(u.Stored(), []byte(*in.Password))
			if !ok || problem != nil {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
		}
		u.PasswordHash, u.PasswordHashFormat, u.PasswordSalt, u.PasswordHashParams = "", "", "", nil
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(u))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPSource(t *testing.T) {
	fx := sourcetest.Load(t, "../fixtures")
	srv := legacyAPI(t, fx)
	// A timeout no request reaches: the stand-in checks cost-10 bcrypt hashes,
	// which under -race on a busy machine can take longer than the default 3 s.
	src, err := migration.NewHTTPAPI(srv.URL+"/migrate", migration.HTTPOptions{Authorization: standInAuth, Timeout: unreachable})
	require.NoError(t, err)
	sourcetest.Run(t, src, fx, sourcetest.Options{ChecksPasswords: true})
}

// unreachable is a request timeout no test's stand-in takes, however busy the
// machine: only the test whose stand-in never answers lets a timeout fire.
const unreachable = 5 * time.Minute

// The legacy system failing is an error, never a wrong password: 5xx, a
// redirect, a refusal of poolside's credentials, a body that is no record, a
// request that never gets an answer.
func TestHTTPSourceFailures(t *testing.T) {
	// released when each test ends (before its server closes)
	var release chan struct{}
	cases := map[string]http.HandlerFunc{
		"503": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) },
		"500": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/steal", http.StatusFound)
		},
		"403 to poolside": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusForbidden) },
		"200 not JSON":    func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>ok</html>")) },
		"200 too large": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"username":"u","name":"` + strings.Repeat("x", 70<<10) + `"}`))
		},
		"200 bad record": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"username":"u","email_verified":"maybe"}`))
		},
		// blocks until the test ends: the request can only time out
		"no answer": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // the server notices a client that gives up only once the body is read
			select {
			case <-release:
			case <-r.Context().Done():
			}
		},
	}
	for name, handler := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(handler)
			t.Cleanup(srv.Close)
			release = make(chan struct{})
			t.Cleanup(func() { close(release) })
			// Only the stand-in that never answers can time out: the other
			// failures must be seen as what they are however slow the machine.
			timeout := unreachable
			if name == "no answer" {
				timeout = 50 * time.Millisecond
			}
			src, err := migration.NewHTTPAPI(srv.URL, migration.HTTPOptions{Authorization: standInAuth, Timeout: timeout})
			require.NoError(t, err)
			a := &migration.Authenticator{Source: src}
			c, err := a.Authenticate(context.Background(), "jdoe", []byte("Password-SECRET-1"))
			require.Error(t, err)
			require.False(t, c.Verified)
			for _, secret := range []string{"SECRET", srv.URL} {
				require.NotContains(t, err.Error(), secret, "errors name the host, never the password, the token or the path")
			}
			_, err = src.Lookup(context.Background(), "jdoe")
			require.Error(t, err)
			require.NotErrorIs(t, err, migration.ErrNotFound)
		})
	}
	t.Run("invocation deadline", func(t *testing.T) {
		srv := httptest.NewServer(cases["no answer"])
		t.Cleanup(srv.Close)
		release = make(chan struct{})
		t.Cleanup(func() { close(release) })
		src, err := migration.NewHTTPAPI(srv.URL, migration.HTTPOptions{}) // default timeout: the invocation's ends first
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = src.CheckPassword(ctx, "jdoe", []byte("x"))
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestHTTPSourceURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://legacy.example.com/api/migrate": true,
		"http://127.0.0.1:8080/migrate":          true,
		"http://[::1]:8080/migrate":              true,
		"http://localhost/migrate":               true,
		"http://legacy.example.com/migrate":      false, // a password in clear text over a network
		"http://10.0.0.5/migrate":                false,
		"https://user:pw-SECRET@legacy.example":  false,
		"https://legacy.example/#x":              false,
		"https://":                               false,
	} {
		_, err := migration.Open(url, migration.Deps{})
		if ok {
			require.NoError(t, err, url)
		} else {
			require.Error(t, err, url)
			require.NotContains(t, err.Error(), "pw-SECRET")
		}
	}
	src, err := migration.NewHTTPAPI("https://legacy.example.com/migrate", migration.HTTPOptions{})
	require.NoError(t, err)
	require.ErrorIs(t, src.Each(context.Background(), func(migration.User) error { return nil }), migration.ErrCannotList)
}
