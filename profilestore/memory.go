package profilestore

import (
	"context"
	"fmt"
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
	claims   map[string]time.Time
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
