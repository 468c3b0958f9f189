package config

import (
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/poolside-io/poolside/triggers"
)

// TokensConfig configures what PreTokenGeneration writes into tokens.
type TokensConfig struct {
	// TenantClaim names the claim holding the profile's tenant
	// (POOLSIDE_TENANT_CLAIM, default tenantId; "-" leaves it out).
	TenantClaim string
	// RoleClaim names the claim holding the profile's role
	// (POOLSIDE_ROLE_CLAIM, default role; "-" leaves it out).
	RoleClaim string
	// Scopes are scope templates added to V2_0/V3_0 access tokens
	// (POOLSIDE_TOKEN_SCOPES, "tenant/{tenantId},{tenantId}/{role}").
	Scopes []string
	// ClaimsToSuppress are removed from the tokens (POOLSIDE_CLAIMS_TO_SUPPRESS).
	ClaimsToSuppress []string
	// ClientTenants maps client-credentials app client ids to tenants
	// (POOLSIDE_CLIENT_TENANTS, "clientid=acme").
	ClientTenants map[string]string
	// ClientScopes adds scopes to a client's tokens
	// (POOLSIDE_CLIENT_SCOPES, "clientid=orders/read orders/write").
	ClientScopes map[string][]string
	// AllowUnknownClients lets a client-credentials client with no tenant get
	// its token unchanged (POOLSIDE_UNKNOWN_CLIENTS=allow); the default,
	// refuse, denies it a token.
	AllowUnknownClients bool
}

func (c *TokensConfig) load(env Env, ps *problems) {
	c.TenantClaim = claimName(or(env("POOLSIDE_TENANT_CLAIM"), "tenantId"))
	c.RoleClaim = claimName(or(env("POOLSIDE_ROLE_CLAIM"), "role"))
	c.Scopes = list(env("POOLSIDE_TOKEN_SCOPES"))
	c.ClaimsToSuppress = list(env("POOLSIDE_CLAIMS_TO_SUPPRESS"))
	c.ClientTenants = pairs("POOLSIDE_CLIENT_TENANTS", env("POOLSIDE_CLIENT_TENANTS"), ps)
	c.ClientScopes = map[string][]string{}
	for client, scopes := range pairs("POOLSIDE_CLIENT_SCOPES", env("POOLSIDE_CLIENT_SCOPES"), ps) {
		c.ClientScopes[client] = strings.Fields(scopes)
	}
	switch v := strings.ToLower(or(env("POOLSIDE_UNKNOWN_CLIENTS"), "refuse")); v {
	case "refuse":
	case "allow":
		c.AllowUnknownClients = true
	default:
		ps.addf("POOLSIDE_UNKNOWN_CLIENTS: %q is not refuse or allow", v)
	}
}

// claimName reads a claim-name variable: "-" means no claim.
func claimName(v string) string {
	if v == "-" {
		return ""
	}
	return strings.TrimSpace(v)
}

func (c TokensConfig) validate(ps *problems) {
	// Cognito fails every sign-in when a trigger touches a reserved claim:
	// refuse such a configuration at start-up, naming the claim.
	for _, v := range []struct{ name, claim string }{{"POOLSIDE_TENANT_CLAIM", c.TenantClaim}, {"POOLSIDE_ROLE_CLAIM", c.RoleClaim}} {
		if v.claim == "" {
			continue
		}
		if why := triggers.ClaimNameProblem(v.claim); why != "" {
			ps.addf("%s: claim %q %s", v.name, v.claim, why)
		}
	}
	if c.TenantClaim != "" && c.TenantClaim == c.RoleClaim {
		ps.addf("POOLSIDE_ROLE_CLAIM: %q is also POOLSIDE_TENANT_CLAIM", c.RoleClaim)
	}
	for _, claim := range c.ClaimsToSuppress {
		switch {
		case !triggers.SuppressibleClaim(claim):
			ps.addf("POOLSIDE_CLAIMS_TO_SUPPRESS: claim %q is reserved by Cognito and cannot be suppressed", claim)
		case claim == c.TenantClaim || claim == c.RoleClaim:
			ps.addf("POOLSIDE_CLAIMS_TO_SUPPRESS: claim %q is the one poolside adds (suppress wins over add)", claim)
		}
	}
	for _, s := range c.Scopes {
		if strings.ContainsFunc(s, unicode.IsSpace) {
			ps.addf("POOLSIDE_TOKEN_SCOPES: scope %q holds a space; Cognito rejects it", s)
		}
		if rest := strings.NewReplacer(triggers.ScopeTenant, "", triggers.ScopeRole, "").Replace(s); strings.ContainsAny(rest, "{}") {
			ps.addf("POOLSIDE_TOKEN_SCOPES: scope %q has an unknown placeholder (known: %s, %s)", s, triggers.ScopeTenant, triggers.ScopeRole)
		}
	}
	for _, client := range slices.Sorted(maps.Keys(c.ClientTenants)) {
		if strings.ContainsFunc(c.ClientTenants[client], unicode.IsSpace) {
			ps.addf("POOLSIDE_CLIENT_TENANTS: tenant %q of client %s holds a space", c.ClientTenants[client], client)
		}
	}
	for _, client := range slices.Sorted(maps.Keys(c.ClientScopes)) {
		if _, ok := c.ClientTenants[client]; !ok {
			ps.addf("POOLSIDE_CLIENT_SCOPES: client %s has no tenant in POOLSIDE_CLIENT_TENANTS", client)
		}
	}
}

// Policy is the token policy PreTokenGeneration applies.
func (c TokensConfig) Policy() triggers.TokenPolicy {
	clients := make(map[string]triggers.ClientGrant, len(c.ClientTenants))
	for client, tenant := range c.ClientTenants {
		clients[client] = triggers.ClientGrant{Tenant: tenant, Scopes: c.ClientScopes[client]}
	}
	return triggers.TokenPolicy{
		TenantClaim:         c.TenantClaim,
		RoleClaim:           c.RoleClaim,
		Scopes:              c.Scopes,
		ClaimsToSuppress:    c.ClaimsToSuppress,
		Clients:             clients,
		AllowUnknownClients: c.AllowUnknownClients,
	}
}
