// Package conformance is the one test suite every profilestore.Store
// implementation runs: memory in its unit tests, DynamoDB against a real
// DynamoDB-API server.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// NewStore returns an empty store for one subtest.
type NewStore func(t *testing.T) profilestore.Store

// Run runs the whole suite.
func Run(t *testing.T, newStore NewStore) {
	tests := map[string]func(*testing.T, profilestore.Store){
		"CreateFillsDefaults":                  testCreateFillsDefaults,
		"CreateIsIdempotent":                   testCreateIdempotent,
		"ConcurrentCreateSameID":               testConcurrentCreateSameID,
		"EmailUniqueCaseInsensitive":           testEmailUnique,
		"HandleCollisionsGetSuffixes":          testHandleSuffixes,
		"HundredConcurrentSameName":            testHundredSameName,
		"ExplicitHandleTaken":                  testExplicitHandleTaken,
		"FailedCreateLeavesNothing":            testFailedCreateLeavesNothing,
		"Ensure":                               testEnsure,
		"PendingProfileIsAdopted":              testAdoption,
		"PendingProfileNotAdoptedByEmailAlone": testNoImplicitAdoption,
		"EmailGuardSkipped":                    testGuardSkip,
		"EmailGuardReclaimed":                  testGuardReclaim,
		"UpdateKeepsIdentity":                  testUpdateKeepsIdentity,
		"Lookups":                              testLookups,
		"Updates":                              testUpdates,
		"UpdatesOnMissingProfile":              testUpdatesMissing,
		"ConcurrentUpdatesAllLand":             testConcurrentUpdates,
		"DeleteFreesEmailAndHandle":            testDelete,
		"InvalidInput":                         testInvalid,
		"ClaimsAtMostOnce":                     testClaims,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, newStore(t)) })
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

func ana(id string) profilestore.Profile {
	return profilestore.Profile{
		ID: id, Username: id, Email: "Ana.Lima@Example.com", GivenName: "Ana", FamilyName: "Lima",
		Name: "Ana Lima", TenantID: "acme", SourceSystem: "web", Preferences: profilestore.Preferences{Lang: "pt-BR", Currency: "BRL"},
	}
}

func testCreateFillsDefaults(t *testing.T, s profilestore.Store) {
	p, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	assert.Equal(t, "sub-1", p.ID)
	assert.Equal(t, "ana.lima@example.com", p.Email, "email is normalised")
	assert.Equal(t, "Ana.Lima@Example.com", p.DisplayEmail, "original kept for display")
	assert.Equal(t, "@AnaLima", p.Handle)
	assert.Equal(t, profilestore.DefaultRole, p.Role)
	assert.Equal(t, profilestore.StatusConfirmed, p.Status)
	assert.Equal(t, []string{profilestore.BadgeNewMember}, p.Badges)
	assert.Equal(t, int64(1), p.Version)
	assert.False(t, p.CreatedAt.IsZero())
	assert.Equal(t, p.CreatedAt, p.UpdatedAt)

	got, err := s.Get(ctx(t), "sub-1")
	require.NoError(t, err)
	assert.Equal(t, p, got, "stored as returned")
}

func testCreateIdempotent(t *testing.T, s profilestore.Store) {
	first, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	again := ana("sub-1")
	again.GivenName, again.TenantID = "Changed", "other"
	second, err := s.Create(ctx(t), again)
	require.NoError(t, err)
	assert.Equal(t, first, second, "the same id returns the existing profile unchanged")
}

// 8 concurrent and 3 sequential creates of one id → one profile, one createdAt.
func testConcurrentCreateSameID(t *testing.T, s profilestore.Store) {
	var wg sync.WaitGroup
	results := make([]profilestore.Profile, 11)
	errs := make([]error, 11)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.Create(ctx(t), ana("sub-1"))
		}()
	}
	wg.Wait()
	for i := 8; i < 11; i++ {
		results[i], errs[i] = s.Create(ctx(t), ana("sub-1"))
	}
	for i := range results {
		require.NoError(t, errs[i], "create %d", i)
		assert.Equal(t, results[0].CreatedAt, results[i].CreatedAt, "create %d", i)
		assert.Equal(t, "@AnaLima", results[i].Handle)
		assert.Equal(t, int64(1), results[i].Version)
	}
	_, err := s.GetByHandle(ctx(t), "@AnaLima1")
	assert.ErrorIs(t, err, profilestore.ErrNotFound, "no second handle was taken")
}

func testEmailUnique(t *testing.T, s profilestore.Store) {
	_, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	other := ana("sub-2")
	other.Email = "  ANA.LIMA@example.COM "
	_, err = s.Create(ctx(t), other)
	require.ErrorIs(t, err, profilestore.ErrExists)
	_, err = s.Get(ctx(t), "sub-2")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
}

func testHandleSuffixes(t *testing.T, s profilestore.Store) {
	var handles []string
	for i := range 4 {
		p := ana(fmt.Sprintf("sub-%d", i))
		p.Email = fmt.Sprintf("ana%d@example.com", i)
		got, err := s.Create(ctx(t), p)
		require.NoError(t, err)
		handles = append(handles, got.Handle)
	}
	assert.Equal(t, []string{"@AnaLima", "@AnaLima1", "@AnaLima2", "@AnaLima3"}, handles)
	require.NoError(t, s.Delete(ctx(t), "sub-1"))
	p := ana("sub-9")
	p.Email = "ana9@example.com"
	got, err := s.Create(ctx(t), p)
	require.NoError(t, err)
	assert.Equal(t, "@AnaLima1", got.Handle, "the smallest free suffix")
}

// 100 goroutines creating profiles with the same name → 100 distinct handles.
func testHundredSameName(t *testing.T, s profilestore.Store) {
	const n = 100
	var wg sync.WaitGroup
	got := make([]profilestore.Profile, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ana(fmt.Sprintf("sub-%03d", i))
			p.Email = fmt.Sprintf("ana%03d@example.com", i)
			got[i], errs[i] = s.Create(ctx(t), p)
		}()
	}
	wg.Wait()
	seen := map[string]string{}
	for i := range n {
		require.NoError(t, errs[i], "create %d", i)
		h := profilestore.NormalizeHandle(got[i].Handle)
		require.NotContains(t, seen, h, "handle %s given twice", got[i].Handle)
		seen[h] = got[i].ID
		byHandle, err := s.GetByHandle(ctx(t), got[i].Handle)
		require.NoError(t, err)
		assert.Equal(t, got[i].ID, byHandle.ID)
	}
	assert.Len(t, seen, n)
	assert.Contains(t, seen, "@analima")
	for h := range seen {
		assert.Regexp(t, `^@analima[0-9]*$`, h)
	}
}

func testExplicitHandleTaken(t *testing.T, s profilestore.Store) {
	_, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	p := ana("sub-2")
	p.Email, p.Handle = "other@example.com", "@analima"
	_, err = s.Create(ctx(t), p)
	require.ErrorIs(t, err, profilestore.ErrExists)
}

// A failed transaction leaves nothing behind: neither the profile nor a guard.
func testFailedCreateLeavesNothing(t *testing.T, s profilestore.Store) {
	_, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	p := ana("sub-2")
	p.Name, p.GivenName, p.FamilyName = "Bruno Costa", "Bruno", "Costa" // free handle, taken email
	_, err = s.Create(ctx(t), p)
	require.ErrorIs(t, err, profilestore.ErrExists)
	_, err = s.GetByHandle(ctx(t), "@BrunoCosta")
	assert.ErrorIs(t, err, profilestore.ErrNotFound, "the handle guard was not written")
	_, err = s.Get(ctx(t), "sub-2")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	p.Email = "bruno@example.com"
	got, err := s.Create(ctx(t), p)
	require.NoError(t, err)
	assert.Equal(t, "@BrunoCosta", got.Handle, "the handle is still free")
}

func testEnsure(t *testing.T, s profilestore.Store) {
	p, created, err := s.Ensure(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	assert.True(t, created)
	again, created, err := s.Ensure(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, p, again)
}

// A profile imported by migration waits under a pending id; Adopt gives it
// the user's sub, keeping what it recorded.
func testAdoption(t *testing.T, s profilestore.Store) {
	created := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	pending := profilestore.Profile{
		ID: profilestore.PendingID("L-42"), Username: "marta", Email: "Marta@Legacy.example.com",
		GivenName: "Marta", FamilyName: "Silva", TenantID: "legacy-co", Role: "EDITOR",
		SourceSystem: profilestore.SourceLegacy, LegacyID: "L-42", CreatedAt: created,
	}
	imported, err := s.Create(ctx(t), pending)
	require.NoError(t, err)
	assert.True(t, imported.Pending())
	again, err := s.Create(ctx(t), pending)
	require.NoError(t, err)
	assert.Equal(t, imported, again, "import is idempotent")

	sub := ana("sub-marta")
	sub.Email, sub.Name, sub.TenantID = "marta@legacy.example.com", "Marta Silva", "from-domain"
	got, err := s.Adopt(ctx(t), pending.ID, sub)
	require.NoError(t, err)
	again2, err := s.Adopt(ctx(t), pending.ID, sub)
	require.NoError(t, err)
	assert.Equal(t, got, again2, "adoption is idempotent")
	_, err = s.Adopt(ctx(t), pending.ID, ana("sub-other"))
	assert.ErrorIs(t, err, profilestore.ErrNotFound, "adopted once")
	assert.Equal(t, "sub-marta", got.ID)
	assert.Equal(t, "legacy-co", got.TenantID, "legacy record wins")
	assert.Equal(t, "EDITOR", got.Role)
	assert.Equal(t, "L-42", got.LegacyID)
	assert.Equal(t, created, got.CreatedAt)
	assert.Equal(t, imported.Handle, got.Handle)

	_, err = s.Get(ctx(t), pending.ID)
	assert.ErrorIs(t, err, profilestore.ErrNotFound, "one profile only")
	byEmail, err := s.GetByEmail(ctx(t), "MARTA@legacy.example.com")
	require.NoError(t, err)
	assert.Equal(t, "sub-marta", byEmail.ID)
	byHandle, err := s.GetByHandle(ctx(t), got.Handle)
	require.NoError(t, err)
	assert.Equal(t, "sub-marta", byHandle.ID)

	_, err = s.Create(ctx(t), pending)
	assert.ErrorIs(t, err, profilestore.ErrExists, "a re-import cannot take the adopted email back")

	native := ana("sub-x")
	native.Email = "marta@legacy.example.com"
	_, _, err = s.Ensure(ctx(t), native)
	assert.ErrorIs(t, err, profilestore.ErrExists, "an adopted profile is not pending any more")
}

func testLookups(t *testing.T, s profilestore.Store) {
	p, err := s.Create(ctx(t), ana("sub-1"))
	require.NoError(t, err)
	for _, email := range []string{"ana.lima@example.com", "ANA.LIMA@EXAMPLE.COM"} {
		got, err := s.GetByEmail(ctx(t), email)
		require.NoError(t, err)
		assert.Equal(t, p.ID, got.ID)
	}
	for _, h := range []string{"@AnaLima", "analima", "@ANALIMA"} {
		got, err := s.GetByHandle(ctx(t), h)
		require.NoError(t, err)
		assert.Equal(t, p.ID, got.ID)
	}
	_, err = s.GetByEmail(ctx(t), "nobody@example.com")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = s.GetByHandle(ctx(t), "@Nobody")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = s.Get(ctx(t), "nope")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
}

func testUpdates(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	orig, err := s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	at := time.Date(2026, 11, 21, 10, 0, 0, 123456789, time.UTC)
	require.NoError(t, s.TouchLogin(c, "sub-1", at))
	require.NoError(t, s.SetPasswordChanged(c, "sub-1", at.Add(time.Hour)))
	p, err := profilestore.SetStatus(c, s, "sub-1", profilestore.StatusSuspended)
	require.NoError(t, err)
	assert.Equal(t, profilestore.StatusSuspended, p.Status)
	p, err = profilestore.SetRole(c, s, "sub-1", "ADMIN")
	require.NoError(t, err)
	assert.Equal(t, "ADMIN", p.Role)
	p, err = profilestore.SetTenant(c, s, "sub-1", "globex")
	require.NoError(t, err)
	assert.Equal(t, "globex", p.TenantID)
	_, err = profilestore.SetTenant(c, s, "sub-1", "")
	assert.ErrorIs(t, err, profilestore.ErrInvalid, "an empty tenant is refused, nothing written")
	_, err = profilestore.AddBadge(c, s, "sub-1", "EARLY_BIRD")
	require.NoError(t, err)
	p, err = profilestore.AddBadge(c, s, "sub-1", "EARLY_BIRD")
	require.NoError(t, err)
	assert.Equal(t, []string{"EARLY_BIRD", "NEW_MEMBER"}, p.Badges, "a badge is held once")
	p, err = profilestore.RemoveBadge(c, s, "sub-1", "NEW_MEMBER")
	require.NoError(t, err)
	assert.Equal(t, []string{"EARLY_BIRD"}, p.Badges)
	p, err = profilestore.ReplaceData(c, s, "sub-1", map[string]any{"plan": "pro", "seats": float64(3)})
	require.NoError(t, err)
	p, err = profilestore.MergeData(c, s, "sub-1", map[string]any{"seats": nil, "theme": "dark"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"plan": "pro", "theme": "dark"}, p.Data)

	got, err := s.Get(c, "sub-1")
	require.NoError(t, err)
	require.NotNil(t, got.LastLoginAt)
	assert.Equal(t, at.Truncate(time.Millisecond), *got.LastLoginAt)
	require.NotNil(t, got.PasswordChangedAt)
	assert.Equal(t, at.Add(time.Hour).Truncate(time.Millisecond), *got.PasswordChangedAt)
	assert.Equal(t, orig.CreatedAt, got.CreatedAt)
	assert.Equal(t, orig.Handle, got.Handle)
	assert.Equal(t, int64(11), got.Version, "every change bumps the version")
	assert.Equal(t, "globex", got.TenantID)
	assert.Equal(t, p.Data, got.Data)
}

func testUpdatesMissing(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	assert.ErrorIs(t, s.TouchLogin(c, "nope", time.Now()), profilestore.ErrNotFound)
	assert.ErrorIs(t, s.SetPasswordChanged(c, "nope", time.Now()), profilestore.ErrNotFound)
	_, err := profilestore.SetStatus(c, s, "nope", profilestore.StatusDisabled)
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = profilestore.SetRole(c, s, "nope", "ADMIN")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = profilestore.SetTenant(c, s, "nope", "acme")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = profilestore.AddBadge(c, s, "nope", "X")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = profilestore.MergeData(c, s, "nope", map[string]any{"a": "b"})
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	assert.ErrorIs(t, s.Delete(c, "nope"), profilestore.ErrNotFound)
}

// Optimistic concurrency: concurrent read-modify-writes all land.
func testConcurrentUpdates(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = profilestore.AddBadge(c, s, "sub-1", fmt.Sprintf("B%d", i))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, profilestore.ErrConflict) {
			require.NoError(t, err)
		}
	}
	got, err := s.Get(c, "sub-1")
	require.NoError(t, err)
	landed := 0
	for i, err := range errs {
		if err == nil {
			landed++
			assert.Contains(t, got.Badges, fmt.Sprintf("B%d", i), "a successful update is never lost")
		}
	}
	assert.Equal(t, int64(1+landed), got.Version)
}

func testDelete(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	require.NoError(t, s.Delete(c, "sub-1"))
	_, err = s.Get(c, "sub-1")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	_, err = s.GetByEmail(c, "ana.lima@example.com")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	again, err := s.Create(c, ana("sub-2"))
	require.NoError(t, err)
	assert.Equal(t, "@AnaLima", again.Handle)
}

func testInvalid(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, profilestore.Profile{Email: "x@example.com"})
	assert.ErrorIs(t, err, profilestore.ErrInvalid)
	p := ana("sub-1")
	p.Status = "WEIRD"
	_, err = s.Create(c, p)
	assert.ErrorIs(t, err, profilestore.ErrInvalid)
	_, err = s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	_, err = profilestore.SetStatus(c, s, "sub-1", "WEIRD")
	assert.ErrorIs(t, err, profilestore.ErrInvalid)
	_, err = profilestore.SetRole(c, s, "sub-1", "")
	assert.ErrorIs(t, err, profilestore.ErrInvalid)
}

// The store never adopts on its own: a create with a pending profile's email
// is ErrExists, and the caller (who knows whether the email is verified)
// decides between Adopt and an unguarded profile.
func testNoImplicitAdoption(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	pending := ana(profilestore.PendingID("L-7"))
	pending.Role, pending.TenantID = "ADMIN", "globex"
	_, err := s.Create(c, pending)
	require.NoError(t, err)
	_, _, err = s.Ensure(c, ana("sub-mallory"))
	require.ErrorIs(t, err, profilestore.ErrExists)
	mallory, created, err := s.CreateGuarded(c, ana("sub-mallory"), profilestore.EmailGuard{Skip: true})
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, profilestore.DefaultRole, mallory.Role, "nothing of the pending profile")
	assert.Equal(t, "acme", mallory.TenantID)
	still, err := s.Get(c, pending.ID)
	require.NoError(t, err)
	assert.Equal(t, "ADMIN", still.Role)
	byEmail, err := s.GetByEmail(c, "ana.lima@example.com")
	require.NoError(t, err)
	assert.Equal(t, pending.ID, byEmail.ID, "the pending profile keeps the guard")
	_, err = s.Adopt(c, "sub-mallory", ana("sub-x"))
	assert.ErrorIs(t, err, profilestore.ErrInvalid, "only a pending profile is adopted")
	_, err = s.Adopt(c, profilestore.PendingID("nope"), ana("sub-x"))
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
}

// Two users sharing an address: the second is stored without the guard, and
// deleting it leaves the first's guard in place.
func testGuardSkip(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	second, created, err := s.CreateGuarded(c, ana("sub-2"), profilestore.EmailGuard{Skip: true})
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, "ana.lima@example.com", second.Email, "the email is kept, only the guard is not taken")
	assert.Equal(t, "@AnaLima1", second.Handle)
	again, created, err := s.CreateGuarded(c, ana("sub-2"), profilestore.EmailGuard{Skip: true})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, second, again)
	require.NoError(t, s.Delete(c, "sub-2"))
	byEmail, err := s.GetByEmail(c, "ana.lima@example.com")
	require.NoError(t, err)
	assert.Equal(t, "sub-1", byEmail.ID)
	// a free guard is not taken by a Skip create either
	p := ana("sub-3")
	p.Email = "solo@example.com"
	_, _, err = s.CreateGuarded(c, p, profilestore.EmailGuard{Skip: true})
	require.NoError(t, err)
	_, err = s.GetByEmail(c, "solo@example.com")
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
}

// A guard held by a profile whose Cognito user is gone is taken over; the old
// profile stays, unguarded. Taking it from a profile that no longer holds it
// is ErrConflict and writes nothing.
func testGuardReclaim(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, ana("sub-old"))
	require.NoError(t, err)
	_, _, err = s.CreateGuarded(c, ana("sub-late"), profilestore.EmailGuard{From: "sub-gone"})
	require.ErrorIs(t, err, profilestore.ErrConflict)
	_, err = s.Get(c, "sub-late")
	require.ErrorIs(t, err, profilestore.ErrNotFound, "nothing written")

	got, created, err := s.CreateGuarded(c, ana("sub-new"), profilestore.EmailGuard{From: "sub-old"})
	require.NoError(t, err)
	assert.True(t, created)
	byEmail, err := s.GetByEmail(c, "ANA.LIMA@example.com")
	require.NoError(t, err)
	assert.Equal(t, got.ID, byEmail.ID)
	old, err := s.Get(c, "sub-old")
	require.NoError(t, err, "the old profile stays")
	require.NoError(t, s.Delete(c, old.ID))
	byEmail, err = s.GetByEmail(c, "ana.lima@example.com")
	require.NoError(t, err)
	assert.Equal(t, "sub-new", byEmail.ID, "deleting the old profile leaves the new guard")
}

func testUpdateKeepsIdentity(t *testing.T, s profilestore.Store) {
	c := ctx(t)
	_, err := s.Create(c, ana("sub-1"))
	require.NoError(t, err)
	p, err := s.Update(c, "sub-1", func(p *profilestore.Profile) error { p.TenantID = "globex"; return nil })
	require.NoError(t, err)
	assert.Equal(t, "globex", p.TenantID)
	assert.Equal(t, int64(2), p.Version)
	for name, change := range map[string]func(*profilestore.Profile){
		"id":     func(p *profilestore.Profile) { p.ID = "sub-2" },
		"email":  func(p *profilestore.Profile) { p.Email = "x@example.com" },
		"handle": func(p *profilestore.Profile) { p.Handle = "@Other" },
	} {
		_, err := s.Update(c, "sub-1", func(p *profilestore.Profile) error { change(p); return nil })
		assert.ErrorIs(t, err, profilestore.ErrInvalid, name)
	}
	stop := errors.New("stop")
	_, err = s.Update(c, "sub-1", func(*profilestore.Profile) error { return stop })
	assert.ErrorIs(t, err, stop)
	_, err = s.Update(c, "nope", func(*profilestore.Profile) error { return nil })
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
	got, err := s.Get(c, "sub-1")
	require.NoError(t, err)
	assert.Equal(t, "globex", got.TenantID)
	assert.Equal(t, int64(2), got.Version)
}

// claimer is what the custom senders use to send a code at most once.
type claimer interface {
	Claim(ctx context.Context, key string, until time.Time) (bool, error)
	Release(ctx context.Context, key string) error
}

func testClaims(t *testing.T, s profilestore.Store) {
	c, ok := s.(claimer)
	require.True(t, ok, "%T has no Claim/Release", s)
	ctx := context.Background()
	key := fmt.Sprintf("conformance-%d", time.Now().UnixNano())
	later := time.Now().Add(time.Hour)

	got, err := c.Claim(ctx, key, later)
	require.NoError(t, err)
	assert.True(t, got, "first claim")
	got, err = c.Claim(ctx, key, later)
	require.NoError(t, err)
	assert.False(t, got, "second claim within the window")
	got, err = c.Claim(ctx, key+"-other", later)
	require.NoError(t, err)
	assert.True(t, got, "another key")

	require.NoError(t, c.Release(ctx, key))
	got, err = c.Claim(ctx, key, later)
	require.NoError(t, err)
	assert.True(t, got, "claim after release")

	expired := key + "-expired"
	got, err = c.Claim(ctx, expired, time.Now().Add(-time.Second))
	require.NoError(t, err)
	require.True(t, got)
	got, err = c.Claim(ctx, expired, later)
	require.NoError(t, err)
	assert.True(t, got, "an expired claim can be taken again")

	// Claims live beside profiles without being one.
	_, err = s.Get(ctx, key)
	assert.ErrorIs(t, err, profilestore.ErrNotFound)
}
