package userapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
)

// AdminScope is the OAuth scope machine callers need (resource server
// "poolside", scope "admin", granted to client-credentials app clients).
const AdminScope = "poolside/admin"

// Principal is who is calling: a user (ID or access token), a machine
// (client-credentials access token) or an API key holder.
type Principal struct {
	// Subject is the sub claim: the user's id, or the app client's for client credentials.
	Subject string
	// Username is the Cognito user name ("" for machines).
	Username string
	// TokenUse is UseID or UseAccess ("" for an API key).
	TokenUse string
	// ClientID is the app client the token was issued to.
	ClientID string
	// Scopes of an access token.
	Scopes []string
	// APIKey is set when the caller sent a configured x-api-key.
	APIKey bool
}

// User reports whether the principal is a signed-in user (not a machine).
func (p Principal) User() bool { return !p.APIKey && p.Username != "" && p.Subject != "" }

// Admin reports whether the principal may call the machine routes.
func (p Principal) Admin() bool {
	return p.APIKey || (p.TokenUse == UseAccess && slices.Contains(p.Scopes, AdminScope))
}

// principalFrom reads a principal from verified claims.
func principalFrom(c Claims) Principal {
	p := Principal{Subject: c.String("sub"), TokenUse: c.String("token_use"), ClientID: c.String("client_id")}
	if p.TokenUse == UseID {
		p.Username = c.String("cognito:username")
		switch aud := c["aud"].(type) {
		case string:
			p.ClientID = aud
		case []any:
			if len(aud) > 0 {
				p.ClientID, _ = aud[0].(string)
			}
		}
	} else {
		p.Username = c.String("username")
		p.Scopes = strings.Fields(c.String("scope"))
	}
	if p.Subject == "" {
		// Cognito always sends sub; an emulator's migrated user has none, and
		// the triggers then key its profile by user name (triggers.ProfileID).
		p.Subject = p.Username
	}
	return p
}

// authorizerKey carries the claims an API Gateway authorizer validated.
type authorizerKey struct{}

// withAuthorizerClaims marks a request as already authenticated by API
// Gateway. Only the Lambda adapter sets it: an HTTP header never does.
func withAuthorizerClaims(ctx context.Context, c Claims) context.Context {
	return context.WithValue(ctx, authorizerKey{}, c)
}

// authenticate finds the caller: claims API Gateway validated, else an
// x-api-key, else a Bearer token poolside verifies itself.
func (a *API) authenticate(r *http.Request) (Principal, error) {
	if c, ok := r.Context().Value(authorizerKey{}).(Claims); ok && len(c) > 0 {
		p := principalFrom(c)
		if p.TokenUse != UseID && p.TokenUse != UseAccess {
			return Principal{}, unauthorized("the token's token_use is neither id nor access")
		}
		return p, nil
	}
	if key := r.Header.Get("X-Api-Key"); key != "" {
		if !a.Keys.Match(key) {
			return Principal{}, unauthorized("unknown API key")
		}
		return Principal{APIKey: true, Subject: "api-key"}, nil
	}
	scheme, raw, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		return Principal{}, unauthorized("send Authorization: Bearer <Cognito ID or access token>")
	}
	if a.Verifier == nil {
		return Principal{}, unauthorized("token verification is not configured (POOLSIDE_JWT_ISSUER)")
	}
	c, err := a.Verifier.Verify(r.Context(), strings.TrimSpace(raw), "")
	if err != nil {
		return Principal{}, err
	}
	return principalFrom(c), nil
}

// userOnly and adminOnly wrap handlers with the authentication each route needs.
func (a *API) userOnly(h func(http.ResponseWriter, *http.Request, Principal) error) http.HandlerFunc {
	return a.guard(func(p Principal) *Problem {
		if !p.User() {
			return forbidden("this route needs a signed-in user's token")
		}
		return nil
	}, h)
}

func (a *API) adminOnly(h func(http.ResponseWriter, *http.Request, Principal) error) http.HandlerFunc {
	return a.guard(func(p Principal) *Problem {
		if !p.Admin() {
			return forbidden("this route needs an access token with scope " + AdminScope + " or an API key")
		}
		return nil
	}, h)
}

func (a *API) guard(allow func(Principal) *Problem, h func(http.ResponseWriter, *http.Request, Principal) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := a.authenticate(r)
		if err == nil {
			if prob := allow(p); prob != nil {
				err = prob
			}
		}
		if err == nil {
			err = h(w, r, p)
		}
		if err != nil {
			a.fail(w, r, err)
		}
	}
}
