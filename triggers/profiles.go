package triggers

import (
	"strings"

	"github.com/poolside-io/poolside/profilestore"
)

// ProfilePolicy decides, server-side, what a new profile holds: its tenant
// (from the email's domain, never from an attribute the user can write), its
// source system and its defaults. Every trigger that may create a profile
// (PostConfirmation, PreTokenGeneration, UserMigration…) uses it, so each
// creation path produces the same profile.
type ProfilePolicy struct {
	// TenantByDomain maps an email domain (lower-case) to a tenant. A
	// subdomain matches its parent's entry unless it has its own.
	TenantByDomain map[string]string
	// DefaultTenant is the tenant of every other email.
	DefaultTenant string
	// SourceByClient maps an app client id to a source-system name.
	SourceByClient map[string]string
	// DefaultCurrency is preferences.currency of new profiles.
	DefaultCurrency string
}

// Tenant resolves the tenant of an email address.
func (p ProfilePolicy) Tenant(email string) string {
	_, domain, ok := strings.Cut(profilestore.NormalizeEmail(email), "@")
	for ok && domain != "" {
		if t, hit := p.TenantByDomain[domain]; hit {
			return t
		}
		_, domain, ok = strings.Cut(domain, ".")
	}
	return p.DefaultTenant
}

// SourceSystem names where a sign-up came from: the app client map first,
// then clientMetadata.sourceSystem.
func (p ProfilePolicy) SourceSystem(clientID string, clientMetadata Attributes) string {
	if s := p.SourceByClient[clientID]; s != "" {
		return s
	}
	return clientMetadata.Get("sourceSystem")
}

// ProfileID is the profile id of the event's user: the sub, or the user name
// when the event carries no sub (emulators that omit it).
func ProfileID(h Header, attrs Attributes) string {
	if sub := attrs.Get("sub"); sub != "" {
		return sub
	}
	return h.UserName
}

// NewProfile builds the profile of the event's user from Cognito's
// attributes. Only standard attributes are read; custom ones (which a user
// may be able to write) never set tenant or role.
func (p ProfilePolicy) NewProfile(h Header, attrs, clientMetadata Attributes) profilestore.Profile {
	name := attrs.Get("name")
	if name == "" {
		name = strings.TrimSpace(attrs.Get("given_name") + " " + attrs.Get("family_name"))
	}
	return profilestore.Profile{
		ID:           ProfileID(h, attrs),
		Username:     h.UserName,
		Email:        attrs.Get("email"),
		GivenName:    attrs.Get("given_name"),
		FamilyName:   attrs.Get("family_name"),
		Name:         name,
		TenantID:     p.Tenant(attrs.Get("email")),
		SourceSystem: p.SourceSystem(h.CallerContext.ClientID, clientMetadata),
		Preferences: profilestore.Preferences{
			Lang:     attrs.Get("locale"),
			Currency: p.DefaultCurrency,
		},
	}
}
