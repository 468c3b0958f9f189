package userapi

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
	"github.com/poolside-io/poolside/triggers/signup"
)

const (
	poolID      = "us-east-1_Test"
	webClient   = "web-client"
	adminClient = "machine-client"
	otherClient = "someone-elses-client"
	userSub     = "11111111-2222-3333-4444-555555555555"
	apiKey      = "pk_test_0123456789abcdef"
)

// now is the fixed time tokens are checked at.
var now = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// rsaKeys are generated once per test binary (2048-bit generation is slow).
var rsaKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

// pool is a fake user pool: a JWKS endpoint and a token signer.
type pool struct {
	srv     *httptest.Server
	issuer  string
	key     jwk.Key // private, kid "k1"
	other   jwk.Key // private, a key the pool never published, also kid "k1"
	fetches atomic.Int32
	jwks    atomic.Value // []byte
}

func newPool(t testing.TB) *pool {
	t.Helper()
	ks := rsaKeys()
	p := &pool{}
	var err error
	p.key, err = jwk.Import(ks[0])
	require.NoError(t, err)
	require.NoError(t, p.key.Set(jwk.KeyIDKey, "k1"))
	p.other, err = jwk.Import(ks[1])
	require.NoError(t, err)
	require.NoError(t, p.other.Set(jwk.KeyIDKey, "k1"))
	p.publish(t, p.key)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+poolID+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		p.fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(p.jwks.Load().([]byte))
	}))
	t.Cleanup(p.srv.Close)
	p.issuer = p.srv.URL + "/" + poolID
	return p
}

// publish makes the pool's JWKS hold the public halves of keys.
func (p *pool) publish(t testing.TB, keys ...jwk.Key) {
	t.Helper()
	set := jwk.NewSet()
	for _, k := range keys {
		pub, err := k.PublicKey()
		require.NoError(t, err)
		require.NoError(t, pub.Set(jwk.AlgorithmKey, jwa.RS256()))
		require.NoError(t, set.AddKey(pub))
	}
	b, err := json.Marshal(set)
	require.NoError(t, err)
	p.jwks.Store(b)
}

// claims of a valid ID token of the test user, issued to the web client.
func (p *pool) idClaims() map[string]any {
	return map[string]any{
		"iss": p.issuer, "sub": userSub, "aud": webClient, "token_use": "id",
		"cognito:username": userSub, "email": "ana@acme.example", "email_verified": true,
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// accessClaims of a valid access token of the test user.
func (p *pool) accessClaims() map[string]any {
	return map[string]any{
		"iss": p.issuer, "sub": userSub, "client_id": webClient, "token_use": "access",
		"username": userSub, "scope": "aws.cognito.signin.user.admin",
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// machineClaims of a client-credentials access token with scope.
func (p *pool) machineClaims(scope string) map[string]any {
	return map[string]any{
		"iss": p.issuer, "sub": adminClient, "client_id": adminClient, "token_use": "access",
		"scope": scope, "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// sign signs claims with key (the pool's key by default).
func (p *pool) sign(t testing.TB, claims map[string]any, key ...jwk.Key) string {
	t.Helper()
	k := p.key
	if len(key) > 0 {
		k = key[0]
	}
	b := jwt.NewBuilder()
	for name, v := range claims {
		switch name {
		case "exp", "iat", "nbf":
			v = time.Unix(v.(int64), 0)
		}
		b = b.Claim(name, v)
	}
	tok, err := b.Build()
	require.NoError(t, err)
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.RS256(), k))
	require.NoError(t, err)
	return string(signed)
}

func with(c map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// fakeCognito records the admin calls; func fields override answers.
type fakeCognito struct {
	mu       sync.Mutex
	created  []*cip.AdminCreateUserInput
	signOuts []string
	deleted  []string
	create   func(*cip.AdminCreateUserInput) (*cip.AdminCreateUserOutput, error)
	del      func(*cip.AdminDeleteUserInput) error
	signOut  func(*cip.AdminUserGlobalSignOutInput) error
}

func (f *fakeCognito) AdminCreateUser(_ context.Context, in *cip.AdminCreateUserInput, _ ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error) {
	f.mu.Lock()
	f.created = append(f.created, in)
	f.mu.Unlock()
	return f.create(in)
}

func (f *fakeCognito) AdminUserGlobalSignOut(_ context.Context, in *cip.AdminUserGlobalSignOutInput, _ ...func(*cip.Options)) (*cip.AdminUserGlobalSignOutOutput, error) {
	f.mu.Lock()
	f.signOuts = append(f.signOuts, *in.Username)
	f.mu.Unlock()
	if f.signOut != nil {
		return nil, f.signOut(in)
	}
	return &cip.AdminUserGlobalSignOutOutput{}, nil
}

func (f *fakeCognito) AdminDeleteUser(_ context.Context, in *cip.AdminDeleteUserInput, _ ...func(*cip.Options)) (*cip.AdminDeleteUserOutput, error) {
	f.mu.Lock()
	f.deleted = append(f.deleted, *in.Username)
	f.mu.Unlock()
	if f.del != nil {
		return nil, f.del(in)
	}
	return &cip.AdminDeleteUserOutput{}, nil
}

// env is an API over a memory store holding the test user's profile.
type env struct {
	pool    *pool
	store   *profilestore.Memory
	cognito *fakeCognito
	api     *API
	h       http.Handler
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWithPool(t, newPool(t))
}

func newEnvWithPool(t *testing.T, p *pool) *env {
	t.Helper()
	store := profilestore.NewMemory(func() time.Time { return now })
	_, err := store.Create(context.Background(), profilestore.Profile{
		ID: userSub, Username: userSub, Email: "ana@acme.example", GivenName: "Ana", FamilyName: "Lima",
		TenantID: "acme", Data: map[string]any{"theme": "dark"},
	})
	require.NoError(t, err)
	digest := sha256.Sum256([]byte(apiKey))
	keys, err := ParseAPIKeys(strings.NewReader("# test key\n" + hex.EncodeToString(digest[:]) + "\n"))
	require.NoError(t, err)
	fc := &fakeCognito{}
	api := &API{
		Profiles: store, Cognito: fc, UserPoolID: poolID,
		Verifier: NewVerifier(p.issuer, []string{webClient, adminClient}, WithClock(func() time.Time { return now })),
		Keys:     keys,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		SignUp:   signup.Policy{Required: signup.DefaultRequired, Names: signup.DefaultNameRules},
		Policy:   triggers.ProfilePolicy{TenantByDomain: map[string]string{"acme.example": "acme"}, DefaultTenant: "default", DefaultCurrency: "EUR"},
	}
	return &env{pool: p, store: store, cognito: fc, api: api, h: api.Handler()}
}

// call sends one request; auth is "Bearer …", "key:…" or "".
func (e *env) call(t *testing.T, method, path, auth, body string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	switch {
	case strings.HasPrefix(auth, "key:"):
		req.Header.Set("x-api-key", strings.TrimPrefix(auth, "key:"))
	case auth != "":
		req.Header.Set("Authorization", auth)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	res := w.Result()
	var doc map[string]any
	if b := w.Body.Bytes(); len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &doc), "body %s", b)
	}
	return res, doc
}

func bearer(tok string) string { return "Bearer " + tok }
