package profilestore

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// What both stores share: the rules of a new profile, of an update and of an
// adoption, and the value operations the setters (update.go) build on.

// SuffixHandle returns the n-th candidate for a handle: base, base1, base2…
func SuffixHandle(base string, n int) string {
	if n == 0 {
		return base
	}
	return base + strconv.Itoa(n)
}

func validateNew(p Profile) error {
	if p.ID == "" {
		return fmt.Errorf("missing id: %w", ErrInvalid)
	}
	if p.Status != "" && !p.Status.Valid() {
		return fmt.Errorf("status %q: %w", p.Status, ErrInvalid)
	}
	return nil
}

// sameIdentity refuses an update that changes what the guards and the key
// are made of.
func sameIdentity(before, after Profile) error {
	if before.ID != after.ID || before.Email != after.Email || before.Handle != after.Handle {
		return fmt.Errorf("an update may not change id, email or handle: %w", ErrInvalid)
	}
	return nil
}

// withDefaults fills what Create promises to fill.
func withDefaults(p Profile, now time.Time) Profile {
	p = clone(p)
	if p.DisplayEmail == "" {
		p.DisplayEmail = p.Email
	}
	p.Email = NormalizeEmail(p.Email)
	if p.DisplayEmail == p.Email {
		p.DisplayEmail = ""
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	p.CreatedAt = p.CreatedAt.UTC().Truncate(time.Millisecond)
	p.UpdatedAt = now
	if p.Role == "" {
		p.Role = DefaultRole
	}
	if p.Status == "" {
		p.Status = StatusConfirmed
	}
	if p.Badges == nil {
		p.Badges = []string{BadgeNewMember}
	}
	if p.Version == 0 {
		p.Version = 1
	}
	return p
}

// adopt gives a pending (migrated) profile the sub it was waiting for; what
// the legacy import recorded wins over what the new event says.
func adopt(pending, p Profile, now time.Time) Profile {
	out := clone(pending)
	out.ID = p.ID
	if p.Username != "" {
		out.Username = p.Username
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&out.GivenName, p.GivenName}, {&out.FamilyName, p.FamilyName}, {&out.Name, p.Name},
		{&out.Preferences.Lang, p.Preferences.Lang}, {&out.Preferences.Currency, p.Preferences.Currency},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	out.UpdatedAt = now
	out.Version++
	return out
}

func withBadge(p Profile, badge string) Profile {
	if !slices.Contains(p.Badges, badge) {
		p.Badges = append(p.Badges, badge)
		slices.Sort(p.Badges)
	}
	return p
}

func withoutBadge(p Profile, badge string) Profile {
	p.Badges = slices.DeleteFunc(p.Badges, func(b string) bool { return b == badge })
	if len(p.Badges) == 0 {
		p.Badges = nil
	}
	return p
}

func mergeData(dst, src map[string]any) map[string]any {
	out := cloneData(dst)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func cloneData(d map[string]any) map[string]any {
	if d == nil {
		return nil
	}
	return maps.Clone(d)
}

func clone(p Profile) Profile {
	p.Groups = slices.Clone(p.Groups)
	p.NewGroups = slices.Clone(p.NewGroups)
	p.Badges = slices.Clone(p.Badges)
	p.Data = cloneData(p.Data)
	if p.LastLoginAt != nil {
		t := *p.LastLoginAt
		p.LastLoginAt = &t
	}
	if p.PasswordChangedAt != nil {
		t := *p.PasswordChangedAt
		p.PasswordChangedAt = &t
	}
	return p
}
