package profilestore

import (
	"context"
	"fmt"
)

// Update applies change to the profile with id and stores it with UpdatedAt
// set and Version incremented, unless change returns an error (returned
// as is, nothing written). The change runs on the profile as read: checking
// p.Version inside it is a compare-and-set. ErrNotFound, ErrConflict.
func (m *Memory) Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	return m.update(ctx, id, change)
}

// Update implements the same contract as Memory.Update with a conditional Put.
func (d *Dynamo) Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	return d.update(ctx, id, change)
}

// Updater is what the setters below need of a store: Store.Update.
type Updater interface {
	Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error)
}

var (
	_ Updater = (*Memory)(nil)
	_ Updater = (*Dynamo)(nil)
)

// The per-field setters, on top of Update: each is one change function, so
// every store gets the same rules (identity kept, version incremented,
// ErrNotFound, ErrConflict) from its one Update.

// SetStatus changes the status. ErrInvalid for an unknown status, ErrNotFound.
func SetStatus(ctx context.Context, s Updater, id string, st Status) (Profile, error) {
	if !st.Valid() {
		return Profile{}, fmt.Errorf("status %q: %w", st, ErrInvalid)
	}
	return s.Update(ctx, id, func(p *Profile) error { p.Status = st; return nil })
}

// SetRole changes the role. ErrInvalid for an empty role, ErrNotFound.
func SetRole(ctx context.Context, s Updater, id, role string) (Profile, error) {
	if role == "" {
		return Profile{}, fmt.Errorf("empty role: %w", ErrInvalid)
	}
	return s.Update(ctx, id, func(p *Profile) error { p.Role = role; return nil })
}

// AddBadge adds a badge once. ErrInvalid for an empty badge, ErrNotFound.
func AddBadge(ctx context.Context, s Updater, id, badge string) (Profile, error) {
	if badge == "" {
		return Profile{}, fmt.Errorf("empty badge: %w", ErrInvalid)
	}
	return s.Update(ctx, id, func(p *Profile) error { *p = withBadge(*p, badge); return nil })
}

// RemoveBadge removes a badge if held. ErrNotFound.
func RemoveBadge(ctx context.Context, s Updater, id, badge string) (Profile, error) {
	return s.Update(ctx, id, func(p *Profile) error { *p = withoutBadge(*p, badge); return nil })
}

// ReplaceData replaces Data. ErrNotFound.
func ReplaceData(ctx context.Context, s Updater, id string, data map[string]any) (Profile, error) {
	return s.Update(ctx, id, func(p *Profile) error { p.Data = cloneData(data); return nil })
}

// MergeData sets the given top-level keys of Data (nil deletes a key). ErrNotFound.
func MergeData(ctx context.Context, s Updater, id string, data map[string]any) (Profile, error) {
	return s.Update(ctx, id, func(p *Profile) error { p.Data = mergeData(p.Data, data); return nil })
}

// SetTenant moves the profile to another tenant: an administrator's decision
// (poolside itself only ever upgrades from the default tenant once Cognito
// says the email is verified). ErrInvalid for an empty tenant, ErrNotFound.
func SetTenant(ctx context.Context, s Updater, id, tenant string) (Profile, error) {
	if tenant == "" {
		return Profile{}, fmt.Errorf("empty tenant: %w", ErrInvalid)
	}
	return s.Update(ctx, id, func(p *Profile) error { p.TenantID = tenant; return nil })
}
