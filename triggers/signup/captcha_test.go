package signup

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// siteverify is a loopback stand-in for a provider's siteverify API: it
// accepts "good-token" with secret "s3cret", and answers what the case says.
func siteverify(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(answer))
	t.Cleanup(srv.Close)
	return srv.URL
}

func honest(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.PostFormValue("secret") != "s3cret" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	ok := r.PostFormValue("response") == "good-token"
	w.Header().Set("Content-Type", "application/json")
	if ok {
		_, _ = w.Write([]byte(`{"success":true,"challenge_ts":"2026-11-23T12:00:00Z","hostname":"app.example.com"}`))
		return
	}
	_, _ = w.Write([]byte(`{"success":false,"error-codes":["invalid-input-response"]}`))
}

func TestCaptchaVerify(t *testing.T) {
	cases := map[string]struct {
		answer  func(http.ResponseWriter, *http.Request)
		token   string
		want    bool
		wantErr bool
		short   bool // a context that ends at once
	}{
		"accepted":       {answer: honest, token: "good-token", want: true},
		"rejected":       {answer: honest, token: "bot-token"},
		"no token":       {answer: func(http.ResponseWriter, *http.Request) { t.Error("no call without a token") }},
		"malformed":      {answer: func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`<html>oops`)) }, token: "good-token", wantErr: true},
		"no success":     {answer: func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"ok":true}`)) }, token: "good-token", wantErr: true},
		"provider error": {answer: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }, token: "good-token", wantErr: true},
		// blocks until the client gives up (its deadline), so the server can close
		"never answers": {answer: func(_ http.ResponseWriter, r *http.Request) { _ = r.ParseForm(); <-r.Context().Done() }, token: "good-token", wantErr: true, short: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cp := &Captcha{Endpoint: siteverify(t, c.answer), Secret: "s3cret"}
			ctx := context.Background()
			if c.short {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, time.Millisecond)
				defer cancel()
			}
			got, err := cp.Verify(ctx, c.token)
			if c.wantErr {
				require.Error(t, err)
				assert.NotContains(t, err.Error(), "s3cret")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestCanonical(t *testing.T) {
	c := Canonicalizer{FoldTags: true, DotInsensitive: []string{"gmail.com", "googlemail.com"}}
	for in, want := range map[string]string{
		"ana+1@gmail.com":     "ana@gmail.com",
		"A.Na@Gmail.com":      "ana@gmail.com",
		"a.na+news@gmail.com": "ana@gmail.com",
		"a.na@googlemail.com": "ana@googlemail.com",
		"a.na+x@example.com":  "a.na@example.com", // dots count elsewhere
		"+tag@example.com":    "+tag@example.com", // nothing before the tag: kept
		"...@gmail.com":       "...@gmail.com",
		"not-an-address":      "not-an-address",
	} {
		assert.Equal(t, want, c.Canonical(in), in)
	}
	assert.Equal(t, "ana+1@gmail.com", Canonicalizer{}.Canonical("Ana+1@gmail.com"), "off by default")
	assert.False(t, Canonicalizer{}.Active())
}
