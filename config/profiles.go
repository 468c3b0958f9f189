package config

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/poolside-io/poolside/triggers"
)

// ProfilesConfig configures the profile the creating triggers write.
type ProfilesConfig struct {
	// DefaultGroup is the Cognito group PostConfirmation adds users to
	// (POOLSIDE_DEFAULT_GROUP, default USER; "-" adds none).
	DefaultGroup string
	// TenantByDomain maps email domains to tenants (POOLSIDE_TENANT_DOMAINS,
	// "example.com=acme,example.org=globex").
	TenantByDomain map[string]string
	// DefaultTenant is every other user's tenant (POOLSIDE_DEFAULT_TENANT, default "default").
	DefaultTenant string
	// SourceByClient maps app client ids to source systems (POOLSIDE_CLIENT_SOURCES, "clientid=web").
	SourceByClient map[string]string
	// DefaultCurrency is preferences.currency of new profiles (POOLSIDE_DEFAULT_CURRENCY, default USD).
	DefaultCurrency string
	// AddToGroup makes the profile triggers call Cognito: PostConfirmation's
	// AdminAddUserToGroup, and AdminGetUser/AdminAddUserToGroup when a profile
	// is created (reclaiming a deleted user's email, a migrated user's groups)
	// (POOLSIDE_ADD_TO_GROUP: auto = on in Lambda or with POOLSIDE_COGNITO_ENDPOINT,
	// off on the embedded default, which has no Cognito to call).
	AddToGroup bool
	// RoleGroups maps a legacy role to the Cognito group a migrated user with
	// that role joins on first sign-in (POOLSIDE_LEGACY_ROLE_GROUPS, "ADMIN=ADMIN,EDITOR=EDITORS").
	RoleGroups map[string]string
	// TouchBudget bounds PostAuthentication's store work (POOLSIDE_POST_AUTH_BUDGET, default 800ms).
	TouchBudget time.Duration
}

func (c *ProfilesConfig) load(env Env, ps *problems) {
	c.DefaultGroup = or(env("POOLSIDE_DEFAULT_GROUP"), "USER")
	if c.DefaultGroup == "-" {
		c.DefaultGroup = ""
	}
	c.TenantByDomain = map[string]string{}
	for d, t := range pairs("POOLSIDE_TENANT_DOMAINS", env("POOLSIDE_TENANT_DOMAINS"), ps) {
		c.TenantByDomain[strings.ToLower(strings.TrimPrefix(d, "@"))] = t
	}
	c.DefaultTenant = or(env("POOLSIDE_DEFAULT_TENANT"), "default")
	c.SourceByClient = pairs("POOLSIDE_CLIENT_SOURCES", env("POOLSIDE_CLIENT_SOURCES"), ps)
	c.DefaultCurrency = strings.ToUpper(or(env("POOLSIDE_DEFAULT_CURRENCY"), "USD"))
	switch v := strings.ToLower(or(env("POOLSIDE_ADD_TO_GROUP"), "auto")); v {
	case "auto":
		c.AddToGroup = env("AWS_LAMBDA_RUNTIME_API") != "" || env("POOLSIDE_COGNITO_ENDPOINT") != ""
	default:
		c.AddToGroup = boolVar(env, "POOLSIDE_ADD_TO_GROUP", false, ps)
	}
	c.RoleGroups = pairs("POOLSIDE_LEGACY_ROLE_GROUPS", env("POOLSIDE_LEGACY_ROLE_GROUPS"), ps)
	c.TouchBudget = durationVar(env, "POOLSIDE_POST_AUTH_BUDGET", triggers.DefaultTouchBudget, ps)
}

func (c ProfilesConfig) validate(ps *problems) {
	for _, role := range slices.Sorted(maps.Keys(c.RoleGroups)) {
		if g := c.RoleGroups[role]; len(g) > 128 || strings.ContainsFunc(g, unicode.IsSpace) {
			ps.addf("POOLSIDE_LEGACY_ROLE_GROUPS: %q (role %s) is not a Cognito group name", g, role)
		}
	}
	if len(c.DefaultGroup) > 128 {
		ps.addf("POOLSIDE_DEFAULT_GROUP: %d characters; Cognito group names have at most 128", len(c.DefaultGroup))
	}
	for _, d := range slices.Sorted(maps.Keys(c.TenantByDomain)) {
		if !strings.Contains(d, ".") || strings.ContainsAny(d, " @/") {
			ps.addf("POOLSIDE_TENANT_DOMAINS: %q is not a domain", d)
		}
	}
	if c.DefaultTenant == "" {
		ps.addf("POOLSIDE_DEFAULT_TENANT: must not be empty")
	}
	if c.TouchBudget <= 0 || c.TouchBudget > triggers.DefaultBudget {
		ps.addf("POOLSIDE_POST_AUTH_BUDGET: %s must be above 0 and at most %s", c.TouchBudget, triggers.DefaultBudget)
	}
	if len(c.DefaultCurrency) != 3 {
		ps.addf("POOLSIDE_DEFAULT_CURRENCY: %q is not an ISO 4217 code", c.DefaultCurrency)
	}
}

// Policy is the profile policy the triggers apply.
func (c ProfilesConfig) Policy() triggers.ProfilePolicy {
	return triggers.ProfilePolicy{
		TenantByDomain:  c.TenantByDomain,
		DefaultTenant:   c.DefaultTenant,
		SourceByClient:  c.SourceByClient,
		DefaultCurrency: c.DefaultCurrency,
		DefaultGroup:    c.DefaultGroup,
		RoleGroups:      c.RoleGroups,
	}
}
