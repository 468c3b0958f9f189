package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve answers the User API under /api beside the Invoke API, and the
// Lambda entry point sends API Gateway events to it and trigger events to the router.
func TestServeUserAPI(t *testing.T) {
	const key = "local-demo-key"
	sum := sha256.Sum256([]byte(key))
	keyFile := filepath.Join(t.TempDir(), "api-keys")
	require.NoError(t, os.WriteFile(keyFile, []byte(hex.EncodeToString(sum[:])+"\n"), 0o600))
	env := maps.Clone(goldenEnv)
	env["POOLSIDE_API_KEYS"] = "file://" + keyFile
	a := newTestApp(t, env, &bytes.Buffer{})
	srv := httptest.NewServer(a.serveHandler(nil, ""))
	t.Cleanup(srv.Close)

	get := func(path, apiKey string) (*http.Response, map[string]any) {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		require.NoError(t, err)
		switch {
		case strings.HasPrefix(apiKey, "Bearer "):
			req.Header.Set("Authorization", apiKey)
		case apiKey != "":
			req.Header.Set("x-api-key", apiKey)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var doc map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
		return resp, doc
	}
	resp, doc := get("/api/me", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Contains(t, doc["detail"], "Authorization: Bearer", "says what to send")
	resp, doc = get("/api/me", "Bearer a.b.c")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, doc["detail"], "POOLSIDE_JWT_ISSUER", "no issuer configured: says what to set")
	resp, _ = get("/api/users/nobody", key)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = get("/api/users/nobody", "wrong")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	h := lambdaHandler{a}
	ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "GET /users", RawPath: "/users",
		RawQueryString: "email=nobody%40example.com", Headers: map[string]string{"x-api-key": key}}
	ev.RequestContext.HTTP.Method = "GET"
	payload, err := json.Marshal(ev)
	require.NoError(t, err)
	out, err := h.Invoke(context.Background(), payload)
	require.NoError(t, err)
	var res events.APIGatewayV2HTTPResponse
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	assert.JSONEq(t, `{"items":[]}`, res.Body)

	out, err = h.Invoke(context.Background(), []byte(fixture(t, "PostAuthentication_Authentication")))
	require.NoError(t, err)
	assert.Contains(t, string(out), `"triggerSource":"PostAuthentication_Authentication"`)
}
