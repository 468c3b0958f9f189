package config

import (
	"net/url"
	"path"
	"strings"
)

// APIConfig configures the User API (package userapi): who may call it.
type APIConfig struct {
	// Issuer is the user pool's issuer URL (POOLSIDE_JWT_ISSUER), e.g.
	// https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC; the JWKS is
	// <Issuer>/.well-known/jwks.json. Its last path segment is the pool id the
	// machine routes manage. Empty: the API accepts only API keys (and, in
	// AWS, the claims of the gateway's authorizer).
	Issuer string
	// ClientIDs are the app clients whose tokens are accepted
	// (POOLSIDE_JWT_CLIENT_IDS): an ID token's aud or an access token's client_id.
	ClientIDs []string
	// APIKeys names where the SHA-256 digests of accepted x-api-key values
	// live (POOLSIDE_API_KEYS): file:///abs/path (one hex digest a line), a
	// Secrets Manager secret ARN (the same text as its SecretString), or the
	// digests themselves, comma-separated.
	APIKeys string
}

func (c *APIConfig) load(env Env, _ *problems) {
	c.Issuer = strings.TrimRight(strings.TrimSpace(env("POOLSIDE_JWT_ISSUER")), "/")
	c.ClientIDs = list(env("POOLSIDE_JWT_CLIENT_IDS"))
	c.APIKeys = strings.TrimSpace(env("POOLSIDE_API_KEYS"))
}

func (c APIConfig) validate(ps *problems) {
	if c.Issuer != "" {
		u, err := url.Parse(c.Issuer)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || c.UserPoolID() == "" {
			ps.addf("POOLSIDE_JWT_ISSUER: %q is not a pool issuer URL (https://cognito-idp.REGION.amazonaws.com/POOL_ID)", c.Issuer)
		}
		if len(c.ClientIDs) == 0 {
			ps.addf("POOLSIDE_JWT_CLIENT_IDS: required with POOLSIDE_JWT_ISSUER (the app clients whose tokens are accepted)")
		}
	}
	if len(c.ClientIDs) > 0 && c.Issuer == "" {
		ps.addf("POOLSIDE_JWT_CLIENT_IDS: set without POOLSIDE_JWT_ISSUER")
	}
	switch k := c.APIKeysSource(); {
	case k == "", k == "inline", k == "secretsmanager":
	case k == "file":
		if u, err := url.Parse(c.APIKeys); err != nil || u.Path == "" || !path.IsAbs(u.Path) {
			ps.addf("POOLSIDE_API_KEYS: %q must be file:///absolute/path", c.APIKeys)
		}
	default:
		ps.addf("POOLSIDE_API_KEYS: must be file:///path, a Secrets Manager ARN or comma-separated hex SHA-256 digests")
	}
}

// UserPoolID is the pool id in the issuer URL ("" when unset).
func (c APIConfig) UserPoolID() string {
	u, err := url.Parse(c.Issuer)
	if err != nil {
		return ""
	}
	id := path.Base(strings.TrimRight(u.Path, "/"))
	if id == "." || id == "/" {
		return ""
	}
	return id
}

// APIKeysSource says where the API key digests come from: "", "file",
// "secretsmanager", "inline", or "unknown".
func (c APIConfig) APIKeysSource() string {
	switch v := c.APIKeys; {
	case v == "":
		return ""
	case strings.HasPrefix(v, "file://"):
		return "file"
	case strings.HasPrefix(v, "arn:aws:secretsmanager:"):
		return "secretsmanager"
	case strings.Trim(v, "0123456789abcdefABCDEF, ") == "":
		return "inline"
	}
	return "unknown"
}
