package userapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// Token uses, as the token_use claim spells them.
const (
	UseID     = "id"
	UseAccess = "access"
)

// DefaultLeeway is the clock skew allowed on exp and nbf.
const DefaultLeeway = 10 * time.Second

// refetchGap is the least time between two JWKS fetches caused by an unknown
// key id (a forged kid must not turn every request into a fetch).
const refetchGap = 30 * time.Second

// ErrToken is the root of every verification failure; callers answer 401.
// The wrapped text says which rule failed and is safe to show.
var ErrToken = errors.New("invalid token")

func tokenErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrToken, fmt.Sprintf(format, args...))
}

// Claims are the verified claims of a token.
type Claims map[string]any

// String returns a string claim ("" when absent or not a string).
func (c Claims) String(name string) string {
	s, _ := c[name].(string)
	return s
}

// Verifier checks Cognito user-pool tokens as awslabs/aws-jwt-verify does:
// an RS256 signature by a key of the pool's JWKS (fetched from
// <issuer>/.well-known/jwks.json and cached; an unknown kid refetches at most
// every 30 s), iss equal to the issuer, exp and nbf with a small leeway,
// token_use as expected, and client_id (access tokens) or aud (ID tokens)
// among the accepted app clients.
type Verifier struct {
	issuer  string
	clients []string
	leeway  time.Duration
	now     func() time.Time
	keys    keySource
}

// keySource gives the pool's current key set; refresh refetches it.
type keySource interface {
	set(ctx context.Context) (jwk.Set, error)
	refresh(ctx context.Context) (jwk.Set, error)
}

// VerifierOption configures a Verifier.
type VerifierOption func(*Verifier)

// WithClock sets the clock exp and nbf are checked against (tests).
func WithClock(now func() time.Time) VerifierOption { return func(v *Verifier) { v.now = now } }

// WithLeeway sets the allowed clock skew.
func WithLeeway(d time.Duration) VerifierOption { return func(v *Verifier) { v.leeway = d } }

// WithHTTPClient sets the client the JWKS is fetched with.
func WithHTTPClient(c *http.Client) VerifierOption {
	return func(v *Verifier) {
		if ks, ok := v.keys.(*jwksCache); ok {
			ks.client = c
		}
	}
}

// NewVerifier verifies tokens of the pool whose issuer URL is issuer (for
// example https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC) issued to
// one of clientIDs.
func NewVerifier(issuer string, clientIDs []string, opts ...VerifierOption) *Verifier {
	issuer = strings.TrimRight(issuer, "/")
	v := &Verifier{
		issuer:  issuer,
		clients: slices.Clone(clientIDs),
		leeway:  DefaultLeeway,
		now:     time.Now,
		keys:    &jwksCache{url: issuer + "/.well-known/jwks.json", client: &http.Client{Timeout: 3 * time.Second}},
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

// Issuer is the pool's issuer URL.
func (v *Verifier) Issuer() string { return v.issuer }

// Verify checks raw and returns its claims. use is UseID, UseAccess, or ""
// for either. Every failure wraps ErrToken with the rule that failed.
func (v *Verifier) Verify(ctx context.Context, raw, use string) (Claims, error) {
	msg, err := jws.Parse([]byte(raw), jws.WithCompact())
	if err != nil || len(msg.Signatures()) != 1 {
		return nil, tokenErr("not a signed JWT")
	}
	kid, ok := msg.Signatures()[0].ProtectedHeaders().KeyID()
	if !ok || kid == "" {
		return nil, tokenErr("no key id")
	}
	key, err := v.key(ctx, kid)
	if err != nil {
		return nil, err
	}
	tok, err := jwt.Parse([]byte(raw),
		jwt.WithKey(jwa.RS256(), key),
		jwt.WithValidate(true),
		jwt.WithIssuer(v.issuer),
		jwt.WithRequiredClaim("exp"),
		jwt.WithAcceptableSkew(v.leeway),
		jwt.WithClock(jwt.ClockFunc(v.now)),
	)
	if err != nil {
		return nil, tokenErr("%s", describe(err))
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return nil, tokenErr("claims not readable")
	}
	var claims Claims
	if err := json.Unmarshal(b, &claims); err != nil {
		return nil, tokenErr("claims not readable")
	}
	if err := v.checkUse(claims, use); err != nil {
		return nil, err
	}
	return claims, nil
}

// checkUse applies the token_use and client rules.
func (v *Verifier) checkUse(c Claims, use string) error {
	got := c.String("token_use")
	if got != UseID && got != UseAccess {
		return tokenErr("token_use %q is neither id nor access", got)
	}
	if use != "" && got != use {
		return tokenErr("token_use is %s, want %s", got, use)
	}
	client := c.String("client_id")
	if got == UseID {
		client = ""
		switch aud := c["aud"].(type) {
		case string:
			client = aud
		case []any:
			if len(aud) == 1 {
				client, _ = aud[0].(string)
			}
		}
	}
	if client == "" || !slices.Contains(v.clients, client) {
		return tokenErr("issued to an app client that is not accepted")
	}
	return nil
}

// describe turns jwx's validation errors into a short, safe reason.
func describe(err error) string {
	switch {
	case errors.Is(err, jwt.TokenExpiredError()):
		return "expired"
	case errors.Is(err, jwt.TokenNotYetValidError()):
		return "not valid yet"
	case errors.Is(err, jwt.InvalidIssuerError()):
		return "wrong issuer"
	case errors.Is(err, jwt.MissingRequiredClaimError()):
		return "missing exp"
	case errors.Is(err, jwt.ValidateError()):
		return "claims not valid"
	default:
		return "bad signature"
	}
}

// key returns the pool's key with that id, refetching the JWKS once when it
// is unknown (the pool rotated its keys) but at most every refetchGap.
func (v *Verifier) key(ctx context.Context, kid string) (jwk.Key, error) {
	set, err := v.keys.set(ctx)
	if err != nil {
		return nil, fmt.Errorf("pool keys: %w", err)
	}
	if k, ok := set.LookupKeyID(kid); ok {
		return k, nil
	}
	set, err = v.keys.refresh(ctx)
	if err != nil {
		return nil, tokenErr("unknown key id")
	}
	if k, ok := set.LookupKeyID(kid); ok {
		return k, nil
	}
	return nil, tokenErr("unknown key id")
}

// jwksCache keeps the pool's JWKS in a jwk.Cache (which refreshes it in the
// background), registered on first use so start-up makes no request.
type jwksCache struct {
	url    string
	client *http.Client

	mu        sync.Mutex
	cache     *jwk.Cache
	lastFetch time.Time
}

func (c *jwksCache) ensure(ctx context.Context) (*jwk.Cache, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache != nil {
		return c.cache, nil
	}
	// The cache lives as long as the process: its goroutines serve every request.
	cache, err := jwk.NewCache(context.Background(), httprc.NewClient())
	if err != nil {
		return nil, err
	}
	if err := cache.Register(ctx, c.url, jwk.WithHTTPClient(c.client),
		jwk.WithMinInterval(15*time.Minute)); err != nil {
		_ = cache.Shutdown(context.Background())
		return nil, fmt.Errorf("fetch %s: %w", c.url, err)
	}
	c.cache, c.lastFetch = cache, time.Now()
	return cache, nil
}

func (c *jwksCache) set(ctx context.Context) (jwk.Set, error) {
	cache, err := c.ensure(ctx)
	if err != nil {
		return nil, err
	}
	return cache.Lookup(ctx, c.url)
}

func (c *jwksCache) refresh(ctx context.Context) (jwk.Set, error) {
	cache, err := c.ensure(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	due := time.Since(c.lastFetch) >= refetchGap
	if due {
		c.lastFetch = time.Now()
	}
	c.mu.Unlock()
	if !due {
		return cache.Lookup(ctx, c.url)
	}
	return cache.Refresh(ctx, c.url)
}
