package profilestore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Memory is a Store held in process memory: the embedded default for local
// runs and the fake for unit tests. It has the same semantics as DynamoDB.
type Memory struct {
	mu       sync.Mutex
	now      func() time.Time
	byID     map[string]Profile
	byEmail  map[string]string // normalised email → id
	byHandle map[string]string // normalised handle → id
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store. now may be nil (time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, byID: map[string]Profile{}, byEmail: map[string]string{}, byHandle: map[string]string{}}
}

func (m *Memory) clock() time.Time { return m.now().UTC().Truncate(time.Millisecond) }

// Get implements Reader.
func (m *Memory) Get(ctx context.Context, id string) (Profile, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.byID[id]
	if !ok {
		return Profile{}, ErrNotFound
	}
	return clone(p), nil
}

// GetByEmail implements Reader.
func (m *Memory) GetByEmail(ctx context.Context, email string) (Profile, error) {
	m.mu.Lock()
	id, ok := m.byEmail[NormalizeEmail(email)]
	m.mu.Unlock()
	if !ok {
		return Profile{}, ErrNotFound
	}
	return m.Get(ctx, id)
}

// GetByHandle implements Reader.
func (m *Memory) GetByHandle(ctx context.Context, handle string) (Profile, error) {
	m.mu.Lock()
	id, ok := m.byHandle[NormalizeHandle(handle)]
	m.mu.Unlock()
	if !ok {
		return Profile{}, ErrNotFound
	}
	return m.Get(ctx, id)
}

// Create implements Store.
func (m *Memory) Create(ctx context.Context, p Profile) (Profile, error) {
	out, _, err := m.create(ctx, p, EmailGuard{})
	return out, err
}

// CreateGuarded implements Store.
func (m *Memory) CreateGuarded(ctx context.Context, p Profile, g EmailGuard) (Profile, bool, error) {
	return m.create(ctx, p, g)
}

// Ensure implements Store.
func (m *Memory) Ensure(ctx context.Context, p Profile) (Profile, bool, error) {
	if got, err := m.Get(ctx, p.ID); err == nil {
		return got, false, nil
	}
	return m.create(ctx, p, EmailGuard{})
}

func (m *Memory) create(ctx context.Context, p Profile, g EmailGuard) (Profile, bool, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, false, err
	}
	if err := validateNew(p); err != nil {
		return Profile{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if got, ok := m.byID[p.ID]; ok {
		return clone(got), false, nil
	}
	p = withDefaults(p, m.clock())
	guarded := p.Email != "" && !g.Skip
	if guarded {
		owner, taken := m.byEmail[p.Email]
		switch {
		case taken && g.From != "" && owner != g.From:
			return Profile{}, false, fmt.Errorf("email guard moved from %s: %w", g.From, ErrConflict)
		case taken && g.From == "":
			return Profile{}, false, fmt.Errorf("email: %w", ErrExists)
		}
	}
	if p.Handle != "" {
		if _, taken := m.byHandle[NormalizeHandle(p.Handle)]; taken {
			return Profile{}, false, fmt.Errorf("handle: %w", ErrExists)
		}
	} else {
		base := HandleBase(p)
		for n := 0; ; n++ {
			h := SuffixHandle(base, n)
			if _, taken := m.byHandle[NormalizeHandle(h)]; !taken {
				p.Handle = h
				break
			}
		}
	}
	m.put(p, guarded)
	return clone(p), true, nil
}

// Adopt implements Store.
func (m *Memory) Adopt(ctx context.Context, pendingID string, p Profile) (Profile, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if got, ok := m.byID[p.ID]; ok {
		return clone(got), nil
	}
	pending, ok := m.byID[pendingID]
	if !ok {
		return Profile{}, ErrNotFound
	}
	if !pending.Pending() || p.ID == "" || p.Pending() {
		return Profile{}, fmt.Errorf("adopt %s as %q: %w", pendingID, p.ID, ErrInvalid)
	}
	guarded := pending.Email != "" && m.byEmail[pending.Email] == pending.ID
	adopted := adopt(pending, p, m.clock())
	m.remove(pending)
	m.put(adopted, guarded)
	return clone(adopted), nil
}

func (m *Memory) put(p Profile, emailGuard bool) {
	m.byID[p.ID] = clone(p)
	if emailGuard {
		m.byEmail[p.Email] = p.ID
	}
	m.byHandle[NormalizeHandle(p.Handle)] = p.ID
}

func (m *Memory) remove(p Profile) {
	delete(m.byID, p.ID)
	if p.Email != "" && m.byEmail[p.Email] == p.ID {
		delete(m.byEmail, p.Email)
	}
	if h := NormalizeHandle(p.Handle); m.byHandle[h] == p.ID {
		delete(m.byHandle, h)
	}
}

// update applies change to the profile with id under the lock.
func (m *Memory) update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	if err := ctx.Err(); err != nil {
		return Profile{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.byID[id]
	if !ok {
		return Profile{}, ErrNotFound
	}
	before := p
	p = clone(p)
	if err := change(&p); err != nil {
		return Profile{}, err
	}
	if err := sameIdentity(before, p); err != nil {
		return Profile{}, err
	}
	p.UpdatedAt = m.clock()
	p.Version++
	m.byID[id] = p
	return clone(p), nil
}

// TouchLogin implements Store.
func (m *Memory) TouchLogin(ctx context.Context, id string, at time.Time) error {
	_, err := m.update(ctx, id, func(p *Profile) error { t := at.UTC().Truncate(time.Millisecond); p.LastLoginAt = &t; return nil })
	return err
}

// SetPasswordChanged implements Store.
func (m *Memory) SetPasswordChanged(ctx context.Context, id string, at time.Time) error {
	_, err := m.update(ctx, id, func(p *Profile) error {
		t := at.UTC().Truncate(time.Millisecond)
		p.PasswordChangedAt = &t
		return nil
	})
	return err
}

// SetStatus implements Store.
func (m *Memory) SetStatus(ctx context.Context, id string, s Status) (Profile, error) {
	if !s.Valid() {
		return Profile{}, fmt.Errorf("status %q: %w", s, ErrInvalid)
	}
	return m.update(ctx, id, func(p *Profile) error { p.Status = s; return nil })
}

// SetRole implements Store.
func (m *Memory) SetRole(ctx context.Context, id, role string) (Profile, error) {
	if role == "" {
		return Profile{}, fmt.Errorf("empty role: %w", ErrInvalid)
	}
	return m.update(ctx, id, func(p *Profile) error { p.Role = role; return nil })
}

// AddBadge implements Store.
func (m *Memory) AddBadge(ctx context.Context, id, badge string) (Profile, error) {
	if badge == "" {
		return Profile{}, fmt.Errorf("empty badge: %w", ErrInvalid)
	}
	return m.update(ctx, id, func(p *Profile) error { *p = withBadge(*p, badge); return nil })
}

// RemoveBadge implements Store.
func (m *Memory) RemoveBadge(ctx context.Context, id, badge string) (Profile, error) {
	return m.update(ctx, id, func(p *Profile) error { *p = withoutBadge(*p, badge); return nil })
}

// ReplaceData implements Store.
func (m *Memory) ReplaceData(ctx context.Context, id string, data map[string]any) (Profile, error) {
	return m.update(ctx, id, func(p *Profile) error { p.Data = cloneData(data); return nil })
}

// MergeData implements Store.
func (m *Memory) MergeData(ctx context.Context, id string, data map[string]any) (Profile, error) {
	return m.update(ctx, id, func(p *Profile) error {
		p.Data = mergeData(p.Data, data)
		return nil
	})
}

// Delete implements Store.
func (m *Memory) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.byID[id]
	if !ok {
		return ErrNotFound
	}
	m.remove(p)
	return nil
}

// ---- shared by the implementations ----

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
