package userapi

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifierKeyRotation(t *testing.T) {
	p := newPool(t)
	v := NewVerifier(p.issuer, []string{webClient}, WithClock(func() time.Time { return now }))
	ctx := context.Background()

	_, err := v.Verify(ctx, p.sign(t, p.idClaims()), UseID)
	require.NoError(t, err)
	_, err = v.Verify(ctx, p.sign(t, p.idClaims()), UseID)
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.fetches.Load(), "the JWKS is cached")

	// The pool rotates: a new key with a new kid is published.
	rotated := p.other
	require.NoError(t, rotated.Set("kid", "k2"))
	p.publish(t, p.key, rotated)
	// Tokens signed with an unknown kid refetch once; the refetch is rate-limited.
	v.keys.(*jwksCache).lastFetch = time.Time{}
	_, err = v.Verify(ctx, p.sign(t, p.idClaims(), rotated), UseID)
	require.NoError(t, err)
	assert.EqualValues(t, 2, p.fetches.Load())
	forged := p.sign(t, p.idClaims(), rotated)
	forged = strings.Replace(forged, forged[:strings.IndexByte(forged, '.')], encodeHeader(t, `{"alg":"RS256","kid":"k9","typ":"JWT"}`), 1)
	_, err = v.Verify(ctx, forged, UseID)
	require.ErrorIs(t, err, ErrToken)
	assert.Contains(t, err.Error(), "unknown key id")
	assert.EqualValues(t, 2, p.fetches.Load(), "a second unknown kid within the gap does not fetch")
}

func TestVerifierRules(t *testing.T) {
	p := newPool(t)
	v := NewVerifier(p.issuer, []string{webClient}, WithClock(func() time.Time { return now }))
	ctx := context.Background()
	cases := map[string]struct {
		claims map[string]any
		use    string
		reason string
	}{
		"id ok":                 {p.idClaims(), UseID, ""},
		"access ok":             {p.accessClaims(), UseAccess, ""},
		"either":                {p.accessClaims(), "", ""},
		"id wanted":             {p.accessClaims(), UseID, "token_use is access, want id"},
		"expired beyond leeway": {with(p.idClaims(), "exp", now.Add(-2*DefaultLeeway).Unix()), UseID, "expired"},
		"expired within leeway": {with(p.idClaims(), "exp", now.Add(-DefaultLeeway/2).Unix()), UseID, ""},
		"nbf within leeway":     {with(p.idClaims(), "nbf", now.Add(DefaultLeeway/2).Unix()), UseID, ""},
		"nbf beyond leeway":     {with(p.idClaims(), "nbf", now.Add(2*DefaultLeeway).Unix()), UseID, "not valid yet"},
		"two audiences":         {with(p.idClaims(), "aud", []string{webClient, otherClient}), UseID, "issued to an app client that is not accepted"},
		"access with aud only":  {with(p.accessClaims(), "client_id", nil, "aud", webClient), UseAccess, "issued to an app client that is not accepted"},
		"issuer with slash":     {with(p.idClaims(), "iss", p.issuer+"/"), UseID, "wrong issuer"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			claims, err := v.Verify(ctx, p.sign(t, c.claims), c.use)
			if c.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, userSub, claims.String("sub"))
				return
			}
			require.ErrorIs(t, err, ErrToken)
			assert.Equal(t, "invalid token: "+c.reason, err.Error())
		})
	}
}

func TestVerifierAlgNone(t *testing.T) {
	p := newPool(t)
	v := NewVerifier(p.issuer, []string{webClient}, WithClock(func() time.Time { return now }))
	tok := p.sign(t, p.idClaims())
	parts := strings.Split(tok, ".")
	none := encodeHeader(t, `{"alg":"none","kid":"k1"}`) + "." + parts[1] + "."
	_, err := v.Verify(context.Background(), none, "")
	require.ErrorIs(t, err, ErrToken)
	hs := encodeHeader(t, `{"alg":"HS256","kid":"k1"}`) + "." + parts[1] + "." + parts[2]
	_, err = v.Verify(context.Background(), hs, "")
	require.ErrorIs(t, err, ErrToken)
}

func TestParseAPIKeys(t *testing.T) {
	// sha256 of apiKey, computed with: printf %s pk_test_0123456789abcdef | sha256sum
	const digest = "9fcac0776d8254fba2b4b084cf24eb305304b040e32673e26f441c966e666d04"
	one, err := ParseAPIKeys(strings.NewReader(strings.ToUpper(digest)))
	require.NoError(t, err)
	assert.True(t, one.Match(apiKey))
	assert.False(t, one.Match(apiKey+"x"))
	assert.False(t, one.Match(digest), "the digest itself is not a key")
	ks, err := ParseAPIKeys(strings.NewReader("# comment\n\n" + strings.Repeat("ab", 32) + "," + strings.Repeat("cd", 32) + "\n"))
	require.NoError(t, err)
	assert.Equal(t, 2, ks.Len())
	_, err = ParseAPIKeys(strings.NewReader(strings.Repeat("ab", 32) + "\nsecret-plaintext\n"))
	require.Error(t, err)
	assert.Equal(t, "line 2: not a hex SHA-256 digest (64 hex digits)", err.Error(), "the line's content is never echoed")
	assert.False(t, ks.Match(""))
}

func encodeHeader(t *testing.T, h string) string {
	t.Helper()
	return base64.RawURLEncoding.EncodeToString([]byte(h))
}

// BenchmarkVerify: one ID token verified (JWKS cached), the cost a user route adds locally.
func BenchmarkVerify(b *testing.B) {
	p := newPool(b)
	v := NewVerifier(p.issuer, []string{webClient}, WithClock(func() time.Time { return now }))
	tok := p.sign(b, p.idClaims())
	if _, err := v.Verify(context.Background(), tok, UseID); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(context.Background(), tok, UseID); err != nil {
			b.Fatal(err)
		}
	}
}
