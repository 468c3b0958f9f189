package triggers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore/profile"
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
	// DefaultGroup is the Cognito group every user joins (PostConfirmation
	// for sign-ups; a migrated user's first sign-in); "" for none.
	DefaultGroup string
	// RoleGroups maps a legacy role to the Cognito group a migrated user with
	// that role joins on first sign-in (POOLSIDE_LEGACY_ROLE_GROUPS).
	RoleGroups map[string]string
}

// Tenant resolves the tenant of an email address, which must be verified:
// an unverified address gets the default tenant (anyone can type
// ceo@acme.example).
func (p ProfilePolicy) Tenant(email string, verified bool) string {
	if t := p.domainTenant(email); t != "" && verified {
		return t
	}
	return p.DefaultTenant
}

// domainTenant is the tenant mapped to the email's domain (or a parent), or "".
func (p ProfilePolicy) domainTenant(email string) string {
	_, domain, ok := strings.Cut(profile.NormalizeEmail(email), "@")
	for ok && domain != "" {
		if t, hit := p.TenantByDomain[domain]; hit {
			return t
		}
		_, domain, ok = strings.Cut(domain, ".")
	}
	return ""
}

// TenantUpgrade returns the tenant a profile moves to now that Cognito says
// its email is verified, or "" when it stays: only a profile in the default
// tenant (or none) moves; any other tenant changes only by an administrator.
func (p ProfilePolicy) TenantUpgrade(prof profile.Profile, attrs Attributes) string {
	if !attrs.Verified("email_verified") || (prof.TenantID != "" && prof.TenantID != p.DefaultTenant) {
		return ""
	}
	if t := p.domainTenant(attrs.Get("email")); t != "" && t != prof.TenantID {
		return t
	}
	return ""
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
func (p ProfilePolicy) NewProfile(h Header, attrs, clientMetadata Attributes) profile.Profile {
	name := attrs.Get("name")
	if name == "" {
		name = strings.TrimSpace(attrs.Get("given_name") + " " + attrs.Get("family_name"))
	}
	return profile.Profile{
		ID:           ProfileID(h, attrs),
		Username:     h.UserName,
		Email:        attrs.Get("email"),
		GivenName:    attrs.Get("given_name"),
		FamilyName:   attrs.Get("family_name"),
		Name:         name,
		TenantID:     p.Tenant(attrs.Get("email"), attrs.Verified("email_verified")),
		SourceSystem: p.SourceSystem(h.CallerContext.ClientID, clientMetadata),
		Preferences: profile.Preferences{
			Lang:     attrs.Get("locale"),
			Currency: p.DefaultCurrency,
		},
	}
}

// profileCognito is what creating a profile may ask of Cognito: whether the
// holder of an email guard still exists (AdminGetUser), and adding a
// migrated user to its groups (AdminAddUserToGroup).
type profileCognito interface {
	userGetter
	groupAdder
}

// profileMaker is what the profile-creating triggers need of the store.
type profileMaker interface {
	// Get returns the profile with that id, or profile.ErrNotFound.
	Get(ctx context.Context, id string) (profile.Profile, error)
	// GetByEmail returns the holder of the email guard, or profile.ErrNotFound.
	GetByEmail(ctx context.Context, email string) (profile.Profile, error)
	// CreateGuarded creates p; profile.ErrExists when the guard is held.
	CreateGuarded(ctx context.Context, p profile.Profile, g profile.EmailGuard) (profile.Profile, bool, error)
	// Adopt re-keys a pending profile to p.ID.
	Adopt(ctx context.Context, pendingID string, p profile.Profile) (profile.Profile, error)
	// Update changes a stored profile.
	Update(ctx context.Context, id string, change func(*profile.Profile) error) (profile.Profile, error)
}

// ensureProfile returns the profile of the event's user, creating it by the
// trust rules (README "Trust rules") when absent:
//
//   - a pending (migrated) profile is adopted only when Cognito says the
//     email is verified and the user name matches the legacy record's (when
//     known); its user then joins the default and legacy-role groups in
//     Cognito, and the first token carries them (NewGroups);
//   - p (NewProfile's) is created otherwise, and the email guard never refuses a user Cognito allowed: an unverified
//     email does not take it; a guard held by a profile whose Cognito user is
//     gone (AdminGetUser) is reclaimed; otherwise the profile is stored
//     without it, and the log says so.
//
// cognito may be nil (the embedded default): nothing is reclaimed, no group added.
func ensureProfile(ctx context.Context, store profileMaker, cognito profileCognito, policy ProfilePolicy,
	h Header, attrs Attributes, p profile.Profile) (profile.Profile, bool, error) {
	if p.ID == "" {
		return p, false, Refuse(messages.CodeSignInFailed, "event has no sub and no userName")
	}
	if prof, err := store.Get(ctx, p.ID); err == nil || !errors.Is(err, profile.ErrNotFound) {
		return prof, false, err
	}
	return createProfile(ctx, store, cognito, policy, h, attrs, p)
}

// createProfile is ensureProfile after its read found no profile with p.ID:
// the triggers that have just read that themselves (PreTokenGeneration's Get,
// PostAuthentication's TouchLogin) call it directly instead of reading again.
// A profile created in between is still found: CreateGuarded returns it
// (created false), and a guard it took is seen as the user's own.
func createProfile(ctx context.Context, store profileMaker, cognito profileCognito, policy ProfilePolicy,
	h Header, attrs Attributes, p profile.Profile) (profile.Profile, bool, error) {
	if p.ID == "" {
		return p, false, Refuse(messages.CodeSignInFailed, "event has no sub and no userName")
	}
	verified := attrs.Verified("email_verified")
	if p.Email == "" || !verified {
		prof, created, err := store.CreateGuarded(ctx, p, profile.EmailGuard{Skip: true})
		if p.Email != "" {
			LogAttrs(ctx, slog.String("emailGuard", "not taken: email unverified"))
		}
		return prof, created, err
	}
	// The guard is usually free: the transaction takes it, with no read
	// before it (a sign-up is one request). Only when it is held (ErrExists;
	// or the handle the profile names) does its holder decide what follows.
	prof, created, err := store.CreateGuarded(ctx, p, profile.EmailGuard{})
	if !errors.Is(err, profile.ErrExists) {
		return prof, created, err
	}
	holder, err := store.GetByEmail(ctx, p.Email)
	if err != nil {
		return profile.Profile{}, false, fmt.Errorf("profile email holder: %w", err)
	}
	if holder.ID == p.ID {
		return holder, false, nil
	}
	if holder.Pending() {
		if holder.Username == "" || holder.Username == h.UserName {
			return adoptProfile(ctx, store, cognito, policy, h, holder, p)
		}
		LogAttrs(ctx, slog.String("adoption", "refused: user name differs from the legacy record's"),
			slog.String("pendingProfile", holder.ID))
		return createUnguarded(ctx, store, p, "held by pending profile "+holder.ID)
	}
	gone, why := holderGone(ctx, cognito, h.UserPoolID, holder)
	if !gone {
		return createUnguarded(ctx, store, p, "held by "+holder.ID+" ("+why+")")
	}
	prof, created, err = store.CreateGuarded(ctx, p, profile.EmailGuard{From: holder.ID})
	if errors.Is(err, profile.ErrConflict) {
		return createUnguarded(ctx, store, p, "held by "+holder.ID+" (it moved while being reclaimed)")
	}
	if err == nil {
		LogAttrs(ctx, slog.String("emailGuard", "reclaimed from "+holder.ID+": "+why))
	}
	return prof, created, err
}

// createUnguarded stores p without the email guard and logs why.
func createUnguarded(ctx context.Context, store profileMaker, p profile.Profile, why string) (profile.Profile, bool, error) {
	prof, created, err := store.CreateGuarded(ctx, p, profile.EmailGuard{Skip: true})
	if err == nil {
		LogAttrs(ctx, slog.String("emailGuard", "not taken: "+why))
	}
	return prof, created, err
}

// holderGone asks Cognito whether the user of an email guard's profile
// still exists: no user by that name, or one with another sub (deleted and
// re-created). why is for the log.
func holderGone(ctx context.Context, cognito profileCognito, pool string, holder profile.Profile) (bool, string) {
	if cognito == nil || holder.Username == "" {
		return false, "its user cannot be checked"
	}
	out, err := cognito.GetUser(ctx, pool, holder.Username)
	switch {
	case errors.Is(err, ErrUserNotFound):
		return true, "its Cognito user no longer exists"
	case err != nil:
		return false, "its user could not be checked: " + err.Error()
	}
	if sub := userAttr(out.Attributes, "sub"); sub != "" && sub != holder.ID {
		return true, "its user name now belongs to another sub"
	}
	return false, "its Cognito user exists"
}

// adoptProfile gives the pending profile the user's sub and, with Cognito,
// adds the user to the default group and the legacy role's group: Cognito
// is the truth for groups, so they are added there first, and the first
// token carries them (NewGroups).
func adoptProfile(ctx context.Context, store profileMaker, cognito profileCognito, policy ProfilePolicy, h Header,
	pending, p profile.Profile) (profile.Profile, bool, error) {
	prof, err := store.Adopt(ctx, pending.ID, p)
	if err != nil {
		return prof, false, fmt.Errorf("adopt %s: %w", pending.ID, err)
	}
	LogAttrs(ctx, slog.String("adopted", pending.ID))
	if cognito == nil {
		return prof, true, nil
	}
	var added []string
	for _, g := range []string{policy.DefaultGroup, policy.RoleGroups[prof.Role]} {
		if g == "" || slices.Contains(added, g) {
			continue
		}
		err := cognito.AddUserToGroup(ctx, h.UserPoolID, h.UserName, g)
		if err != nil {
			// the sign-in goes on: a missing group is an administrator's fix,
			// not a reason to refuse a user Cognito allowed
			LogAttrs(ctx, slog.String("groupNotAdded", g+": "+err.Error()))
			continue
		}
		added = append(added, g)
	}
	if len(added) == 0 {
		return prof, true, nil
	}
	LogAttrs(ctx, slog.Any("groupsAdded", added))
	withGroups := func(q *profile.Profile) error {
		for _, g := range added {
			if !slices.Contains(q.Groups, g) {
				q.Groups = append(q.Groups, g)
			}
			if !slices.Contains(q.NewGroups, g) {
				q.NewGroups = append(q.NewGroups, g)
			}
		}
		return nil
	}
	updated, err := store.Update(ctx, prof.ID, withGroups)
	if err != nil {
		// the user is in the groups (Cognito lists them from the next token on)
		LogAttrs(ctx, slog.String("newGroups", "not recorded: "+err.Error()))
		_ = withGroups(&prof)
		return prof, true, nil
	}
	return updated, true, nil
}
