package migration

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// BreachChecker tells whether a password is known from data breaches.
type BreachChecker interface {
	// Breached reports whether password appears in the breach corpus. An
	// error means the answer is unknown (outage, timeout): the caller fails
	// open.
	Breached(ctx context.Context, password []byte) (bool, error)
}

// Defaults of the Have I Been Pwned checker.
const (
	DefaultHIBPEndpoint = "https://api.pwnedpasswords.com"
	DefaultHIBPTimeout  = time.Second
	hibpMaxBody         = 1 << 20
)

// HIBP checks passwords against Have I Been Pwned's Pwned Passwords range
// API with k-anonymity: only the first 5 hex characters of the password's
// SHA-1 leave, and the answer is padded (Add-Padding) so that its size tells
// nothing either (https://haveibeenpwned.com/API/v3#PwnedPasswords).
type HIBP struct {
	// Endpoint is the API's base URL (DefaultHIBPEndpoint when empty).
	Endpoint string
	// Timeout bounds one check (DefaultHIBPTimeout when zero), within the
	// caller's deadline.
	Timeout time.Duration
	// Client sends the request (http.DefaultClient when nil).
	Client *http.Client
}

var _ BreachChecker = (*HIBP)(nil)

// Breached implements BreachChecker. Its errors never carry the password,
// its hash or the request's URL.
func (h *HIBP) Breached(ctx context.Context, password []byte) (bool, error) {
	sum := sha1.Sum(password)
	digest := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := digest[:5], digest[5:]
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultHIBPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	endpoint := h.Endpoint
	if endpoint == "" {
		endpoint = DefaultHIBPEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/range/"+prefix, nil)
	if err != nil {
		return false, errors.New("hibp: the endpoint is not a URL")
	}
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", "poolside-migration")
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("hibp: no answer within %s", timeout)
		}
		return false, errors.New("hibp: request failed (connection)")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("hibp: status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(io.LimitReader(resp.Body, hibpMaxBody))
	found := false
	for sc.Scan() {
		s, count, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		// padding lines have a count of 0
		if ok && strings.EqualFold(s, suffix) && strings.TrimLeft(count, "0") != "" {
			found = true
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("hibp: no answer within %s", timeout)
		}
		return false, errors.New("hibp: reading the answer failed")
	}
	return found, nil
}
