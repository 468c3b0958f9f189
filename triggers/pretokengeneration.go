package triggers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode"

	"github.com/poolside-io/poolside/internal/replace"
	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore/profile"
)

// PreTokenGeneration puts the profile's tenant and role into the user's
// tokens, adds the tenant's scopes, and refuses tokens to suspended users.
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html.

// profileLoader is what PreTokenGeneration needs of the store: one read on the
// hot path, and Ensure for users who have no profile yet.
type profileLoader interface {
	// Get, GetByEmail, CreateGuarded, Adopt, Update (ensureProfile); Update
	// also upgrades the tenant and clears NewGroups.
	profileMaker
}

// reservedClaims are the claims Cognito forbids a trigger to add, override or
// suppress (CONTRACT.md), plus "scope", which only scopesToAdd/scopesToSuppress
// may change. Every "cognito:" claim is reserved too: groups and roles change
// only through groupOverrideDetails.
var reservedClaims = map[string]bool{
	"username": true, "sub": true, "identities": true, "aud": true, "client_id": true, "event_id": true,
	"device_key": true, "version": true, "acr": true, "amr": true, "at_hash": true, "auth_time": true,
	"azp": true, "exp": true, "iat": true, "iss": true, "jti": true, "nbf": true, "nonce": true,
	"origin_jti": true, "token_use": true, "scope": true,
}

// ReservedClaim reports whether a trigger may not add, override or suppress
// the claim. Names compare case-insensitively, so "Sub" is refused too.
func ReservedClaim(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return reservedClaims[n] || strings.HasPrefix(n, "cognito:")
}

// identityClaims are the OIDC standard claims and Cognito's identity
// attributes: they say who the user is, as Cognito knows it. A tenant or role
// written under one of these names would override that (an email claim
// holding "acme"), so they are never poolside's claim names.
var identityClaims = map[string]bool{
	"email": true, "email_verified": true, "phone_number": true, "phone_number_verified": true,
	"name": true, "given_name": true, "family_name": true, "middle_name": true, "nickname": true,
	"preferred_username": true, "profile": true, "picture": true, "website": true, "gender": true,
	"birthdate": true, "zoneinfo": true, "locale": true, "updated_at": true, "address": true,
}

// ClaimNameProblem says why a claim cannot hold poolside's tenant or role:
// reserved by Cognito (ReservedClaim), "dev:"-prefixed (Cognito: cannot be
// added or modified), or an identity claim (email, email_verified,
// phone_number… — they describe the user as Cognito verified them). "" when
// the name is usable.
func ClaimNameProblem(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case ReservedClaim(n):
		return "is reserved by Cognito and cannot be added or overridden"
	case strings.HasPrefix(n, "dev:"):
		return `has the "dev:" prefix, which Cognito does not let a trigger add or modify`
	case identityClaims[n]:
		return "is an identity claim (it says who the user is, as Cognito verified it)"
	}
	return ""
}

// suppressibleCognitoClaims are the cognito: claims a trigger may suppress
// (CONTRACT.md): a token without groups or roles, for a client that must not
// see them.
var suppressibleCognitoClaims = map[string]bool{"cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true}

// SuppressibleClaim reports whether a trigger may suppress the claim: any
// claim that is not reserved, plus cognito:groups, cognito:roles and
// cognito:preferred_role.
func SuppressibleClaim(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return suppressibleCognitoClaims[n] || !ReservedClaim(n)
}

// Scope template placeholders, replaced with the profile's (or machine
// client's) values.
const (
	ScopeTenant = "{tenantId}"
	ScopeRole   = "{role}"
)

// ClientGrant is what a machine-to-machine client's access tokens say
// (TokenGeneration_ClientCredentials).
type ClientGrant struct {
	Tenant string
	// Scopes are added to the client's access token besides TokenPolicy.Scopes.
	Scopes []string
}

// TokenPolicy decides what poolside writes into tokens. Config validates it at
// start-up (no reserved claim, no scope with a space); the handler trusts it.
type TokenPolicy struct {
	// TenantClaim and RoleClaim name the claims holding the profile's tenant
	// and role; empty leaves the claim out.
	TenantClaim string
	RoleClaim   string
	// Scopes are templates added to V2_0/V3_0 access tokens, with
	// ScopeTenant and ScopeRole replaced ("tenant/{tenantId}"). A template
	// whose value is empty or holds a space is skipped.
	Scopes []string
	// ClaimsToSuppress are removed from the ID token and, for V2_0/V3_0,
	// from the access token.
	ClaimsToSuppress []string
	// Clients maps a client-credentials app client id to its grant.
	Clients map[string]ClientGrant
	// AllowUnknownClients answers a client-credentials event from a client
	// not in Clients with no change (Cognito issues its token as is); by
	// default such a client is refused a token.
	AllowUnknownClients bool
}

// PreTokenGenerationHandler answers TokenGeneration_* events of every
// version. Claims come from the profile, the server-side truth, never from
// userAttributes (a user may be able to write custom:tenantId).
//
// Groups: the token lists the groups Cognito lists (the request's
// groupConfiguration, with IAM roles and preferred role): an administrator's
// removal sticks. The one addition is a migrated user's first token, which
// carries the groups poolside just added the user to in Cognito
// (Profile.NewGroups). The role is a claim of its own, never a group. A profile that is not active
// (SUSPENDED, DISABLED) gets no tokens: sign-in and refresh both fail.
type PreTokenGenerationHandler struct {
	Policy ProfilePolicy
	Store  profileLoader
	Tokens TokenPolicy
	// Cognito: see PostConfirmationHandler.Cognito; may be nil.
	Cognito profileCognito
}

// Handle implements the PreTokenGeneration trigger.
func (h *PreTokenGenerationHandler) Handle(ctx context.Context, ev *PreTokenGenerationEvent) error {
	version := ev.Version.TokenVersion()
	LogAttrs(ctx, slog.Int("tokenVersion", version))
	if ev.TriggerSource == TokenGenerationClientCredentials {
		return h.clientCredentials(ctx, ev, version)
	}
	prof, err := h.profile(ctx, ev)
	if err != nil {
		return err
	}
	if !prof.Status.Active() {
		return Refuse(messages.CodeAccountInactive, fmt.Sprintf("profile %s is %s", prof.ID, prof.Status))
	}
	LogAttrs(ctx, slog.String("profileId", prof.ID), slog.String("tenantId", prof.TenantID))

	ev.Response = NewPreTokenGenerationResponse(ev)
	claims := h.Tokens.claims(prof.TenantID, prof.Role)
	if version == 1 {
		d := ev.Response.ClaimsOverrideDetails
		d.ClaimsToAddOrOverride = claims
		d.ClaimsToSuppress = h.Tokens.ClaimsToSuppress
		d.GroupOverrideDetails.GroupsToOverride = mergeGroups(d.GroupOverrideDetails.GroupsToOverride, prof.NewGroups)
		return nil
	}
	d := ev.Response.ClaimsAndScopeOverrideDetails
	d.IDTokenGeneration = h.Tokens.generation(claims, nil)
	d.AccessTokenGeneration = h.Tokens.generation(claims,
		newScopes(h.Tokens.expand(h.Tokens.Scopes, prof.TenantID, prof.Role), ev.Request.Scopes))
	d.GroupOverrideDetails.GroupsToOverride = mergeGroups(d.GroupOverrideDetails.GroupsToOverride, prof.NewGroups)
	return nil
}

// profile reads the user's profile, creating it when the user has none yet
// (admin-created, federated, a PostConfirmation that failed, a migrated user
// whose pending profile waits for adoption).
func (h *PreTokenGenerationHandler) profile(ctx context.Context, ev *PreTokenGenerationEvent) (profile.Profile, error) {
	id := ProfileID(ev.Header, ev.Request.UserAttributes)
	if id == "" {
		return profile.Profile{}, Refuse(messages.CodeSignInFailed, "event has no sub and no userName")
	}
	prof, err := h.Store.Get(ctx, id)
	if errors.Is(err, profile.ErrNotFound) {
		var created bool
		p := h.Policy.NewProfile(ev.Header, ev.Request.UserAttributes, ev.Request.ClientMetadata)
		prof, created, err = createProfile(ctx, h.Store, h.Cognito, h.Policy, ev.Header, ev.Request.UserAttributes, p)
		if err != nil {
			return prof, profileError(err)
		}
		LogAttrs(ctx, slog.Bool("profileCreated", created))
	} else if err != nil {
		return prof, fmt.Errorf("profile %s: %w", id, err)
	}
	return h.settle(ctx, prof, ev.Request.UserAttributes), nil
}

// settle makes the changes this token reveals, best effort (a failed write
// is logged; the token still says what is true now): the tenant of a
// now-verified email replaces the default tenant, and NewGroups, about to
// reach the token, are cleared.
func (h *PreTokenGenerationHandler) settle(ctx context.Context, prof profile.Profile, attrs Attributes) profile.Profile {
	tenant := h.Policy.TenantUpgrade(prof, attrs)
	if tenant == "" && len(prof.NewGroups) == 0 {
		return prof
	}
	newGroups := prof.NewGroups
	updated, err := h.Store.Update(ctx, prof.ID, func(p *profile.Profile) error {
		if tenant != "" {
			p.TenantID = tenant
		}
		p.NewGroups = nil
		return nil
	})
	if err != nil {
		LogAttrs(ctx, slog.String("profileUpdate", "not recorded: "+err.Error()))
		if tenant != "" {
			prof.TenantID = tenant
		}
		return prof
	}
	if tenant != "" {
		LogAttrs(ctx, slog.String("tenantUpgraded", tenant))
	}
	updated.NewGroups = newGroups // for this token only
	return updated
}

// clientCredentials answers a machine-to-machine token request from the
// client map alone: there is no user and no store read.
func (h *PreTokenGenerationHandler) clientCredentials(ctx context.Context, ev *PreTokenGenerationEvent, version int) error {
	client := ev.CallerContext.ClientID
	if version != 3 {
		// Cognito sends client-credentials events only in V3_0; a V1_0 answer
		// could not reach the access token at all.
		return Refuse(messages.CodeNeedsV3, fmt.Sprintf("client-credentials event in version %q", ev.Version))
	}
	grant, ok := h.Tokens.Clients[client]
	if !ok {
		if h.Tokens.AllowUnknownClients {
			LogAttrs(ctx, slog.String("client", "unknown, token unchanged"))
			return nil
		}
		return Refuse(messages.CodeUnknownClient, "client "+client+" has no tenant (POOLSIDE_CLIENT_TENANTS)")
	}
	LogAttrs(ctx, slog.String("tenantId", grant.Tenant))
	scopes := append(h.Tokens.expand(h.Tokens.Scopes, grant.Tenant, ""), grant.Scopes...)
	ev.Response = PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
		// no user, so no ID token and no groups to keep
		AccessTokenGeneration: h.Tokens.generation(h.Tokens.claims(grant.Tenant, ""), newScopes(scopes, ev.Request.Scopes)),
	}}
	return nil
}

// claims are the claims to add: the tenant and the role, when named and known.
func (t TokenPolicy) claims(tenant, role string) map[string]string {
	c := map[string]string{}
	if t.TenantClaim != "" && tenant != "" {
		c[t.TenantClaim] = tenant
	}
	if t.RoleClaim != "" && role != "" {
		c[t.RoleClaim] = role
	}
	if len(c) == 0 {
		return nil
	}
	return c
}

// generation is one V2_0/V3_0 token's override.
func (t TokenPolicy) generation(claims map[string]string, scopes []string) *TokenGeneration {
	g := &TokenGeneration{ClaimsToSuppress: t.ClaimsToSuppress, ScopesToAdd: scopes}
	if len(claims) > 0 {
		g.ClaimsToAddOrOverride = make(map[string]any, len(claims))
		for k, v := range claims {
			g.ClaimsToAddOrOverride[k] = v
		}
	}
	return g
}

// expand fills the scope templates; a template left with an empty value or a
// space (Cognito rejects scopes with spaces) is skipped.
func (t TokenPolicy) expand(templates []string, tenant, role string) []string {
	var out []string
	for _, tpl := range templates {
		if (strings.Contains(tpl, ScopeTenant) && tenant == "") || (strings.Contains(tpl, ScopeRole) && role == "") {
			continue
		}
		s := replace.InOrder(tpl, ScopeTenant, tenant, ScopeRole, role)
		if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// newScopes returns the scopes not already granted, without duplicates.
func newScopes(add, have []string) []string {
	var out []string
	for _, s := range add {
		if !slices.Contains(have, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// mergeGroups keeps Cognito's groups in their order and appends the
// profile's groups Cognito does not list.
func mergeGroups(request, profile []string) StringList {
	out := slices.Clone(request)
	for _, g := range profile {
		if g != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}
