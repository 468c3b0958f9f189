package migration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultHTTPTimeout bounds one request to a legacy HTTP API: well inside
// Cognito's 5 s, leaving time for the profile import.
const DefaultHTTPTimeout = 3 * time.Second

// maxHTTPRecord caps the answer poolside reads: a user record, not a dump.
const maxHTTPRecord = 64 << 10

// HTTPOptions configure the legacy HTTP API source.
type HTTPOptions struct {
	// Authorization is sent as the Authorization header of every request
	// (POOLSIDE_LEGACY_HTTP_AUTHORIZATION, e.g. "Bearer …"): a secret, never
	// logged or put in an error.
	Authorization string
	// Timeout bounds one request (POOLSIDE_LEGACY_HTTP_TIMEOUT, default
	// DefaultHTTPTimeout); the invocation's own deadline wins when earlier.
	Timeout time.Duration
	// Transport replaces the HTTP transport (tests); nil is a copy of
	// http.DefaultTransport.
	Transport http.RoundTripper
}

// HTTPAPI is a Source over a legacy system that can answer one request: it
// checks the password itself (Auth0's custom database, Keycloak's REST user
// storage). poolside POSTs {"username","password"} to the URL and reads:
//
//   - 200 and a user record (the legacy line format, without a hash): the
//     password is right;
//   - 401: a wrong password; 404: no such user;
//   - anything else, a timeout or a connection failure: the legacy system
//     failing — an error, never a wrong password.
//
// A password reset (UserMigration_ForgotPassword) sends {"username"} alone:
// answer 200 and the record to let Cognito send a reset code, 404 (or 401)
// to refuse.
type HTTPAPI struct {
	endpoint string // the URL as configured
	host     string // what errors show
	opts     HTTPOptions
	client   *http.Client
}

var (
	_ Store           = (*HTTPAPI)(nil)
	_ PasswordChecker = (*HTTPAPI)(nil)
)

func init() {
	RegisterScheme(Scheme{Name: "https", Aliases: []string{"http"}, Example: "https://…",
		Open: func(_ *url.URL, raw string, deps Deps) (Store, error) {
			return NewHTTPAPI(raw, deps.HTTP)
		}})
}

// NewHTTPAPI checks the URL: https, or http to a loopback address only (a
// password never crosses a network in clear text); credentials belong in
// the Authorization header, not the URL.
func NewHTTPAPI(rawURL string, opts HTTPOptions) (*HTTPAPI, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("legacy source: want https://host/path for a legacy HTTP API")
	}
	if u.User != nil {
		return nil, fmt.Errorf("legacy source %s: put credentials in POOLSIDE_LEGACY_HTTP_AUTHORIZATION, not in the URL", u.Redacted())
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("legacy source %s: http:// only for a loopback address; use https://", u.Redacted())
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("legacy source %s: a URL fragment is never sent", u.Redacted())
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultHTTPTimeout
	}
	rt := opts.Transport
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &HTTPAPI{endpoint: rawURL, host: u.Host, opts: opts, client: &http.Client{
		Transport: rt,
		// a redirect would carry the password (and the Authorization
		// header) somewhere else: it is an unexpected answer
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckPassword implements PasswordChecker.
func (h *HTTPAPI) CheckPassword(ctx context.Context, login string, password []byte) (Check, error) {
	if strings.TrimSpace(login) == "" {
		return Check{}, nil
	}
	status, u, err := h.post(ctx, login, password)
	switch {
	case err != nil:
		return Check{}, err
	case status == http.StatusNotFound:
		return Check{}, nil
	case status == http.StatusUnauthorized:
		return Check{Found: true}, nil
	}
	return Check{User: u, Found: true, Verified: true}, nil
}

// Lookup implements Source: the request of a password reset, without a password.
func (h *HTTPAPI) Lookup(ctx context.Context, login string) (User, error) {
	if strings.TrimSpace(login) == "" {
		return User{}, ErrNotFound
	}
	status, u, err := h.post(ctx, login, nil)
	switch {
	case err != nil:
		return User{}, err
	case status == http.StatusNotFound || status == http.StatusUnauthorized:
		return User{}, ErrNotFound
	}
	return u, nil
}

// Each implements Lister: an API answers for one user at a time.
func (h *HTTPAPI) Each(context.Context, func(User) error) error { return ErrCannotList }

// post sends one request and returns 200 with its record, 401 or 404; any
// other outcome is an error naming only the host and the status.
func (h *HTTPAPI) post(ctx context.Context, login string, password []byte) (int, User, error) {
	body := map[string]string{"username": login}
	if password != nil {
		body["password"] = string(password)
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return 0, User{}, fmt.Errorf("legacy API %s: %w", h.host, err)
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.endpoint, bytes.NewReader(payload))
	if err != nil {
		return 0, User{}, fmt.Errorf("legacy API %s: the request cannot be built", h.host)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "poolside-migration")
	if h.opts.Authorization != "" {
		req.Header.Set("Authorization", h.opts.Authorization)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		// url.Error quotes the URL; the cause alone says what happened
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, User{}, fmt.Errorf("legacy API %s: %w", h.host, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusNotFound:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxHTTPRecord))
		return resp.StatusCode, User{}, nil
	default:
		return 0, User{}, fmt.Errorf("legacy API %s answered %s", h.host, resp.Status)
	}
	u, err := h.decode(io.LimitReader(resp.Body, maxHTTPRecord+1), login)
	if err != nil {
		return 0, User{}, err
	}
	return http.StatusOK, u, nil
}

// decode reads the 200 answer's user record; a hash in it is dropped (the
// API has already checked the password). A missing username is the login.
func (h *HTTPAPI) decode(r io.Reader, login string) (User, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return User{}, fmt.Errorf("legacy API %s: %w", h.host, err)
	}
	if len(b) > maxHTTPRecord {
		return User{}, fmt.Errorf("legacy API %s: the answer is larger than %d KiB", h.host, maxHTTPRecord>>10)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil || fields == nil {
		// never quote the body: it is a user record
		return User{}, fmt.Errorf("legacy API %s: 200 without a JSON user record", h.host)
	}
	for _, k := range []string{"password_hash", "password_hash_format", "password_salt", "password_hash_params", "password"} {
		delete(fields, k)
	}
	if s, _ := fields["username"].(string); s == "" {
		fields["username"] = login
	}
	u, err := record(fields)
	if err != nil {
		return User{}, fmt.Errorf("legacy API %s: %w", h.host, err)
	}
	return u, nil
}
