package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore"
)

// fakeGroups is a hand-written groupAdder.
type fakeGroups struct {
	add func(pool, username, group string) error
}

func (f *fakeGroups) AddUserToGroup(_ context.Context, pool, username, group string) error {
	return f.add(pool, username, group)
}

var fixedNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func confirmEvent(source Source) *PostConfirmationEvent {
	return &PostConfirmationEvent{
		Header: Header{TriggerSource: source, UserPoolID: "pool", UserName: "ana", CallerContext: CallerContext{ClientID: "web-client"}},
		Request: PostConfirmationRequest{UserAttributes: Attributes{
			"sub": "sub-1", "email": "Ana@Sub.Example.com", "email_verified": "true", "given_name": "Ana", "family_name": "Lima", "locale": "pt-BR",
			"custom:tenantId": "evil", "custom:role": "ADMIN",
		}},
	}
}

// readCounter counts a store's profile reads.
type readCounter struct {
	*profilestore.Memory
	gets, byEmail int
}

func (r *readCounter) Get(ctx context.Context, id string) (profilestore.Profile, error) {
	r.gets++
	return r.Memory.Get(ctx, id)
}

func (r *readCounter) GetByEmail(ctx context.Context, email string) (profilestore.Profile, error) {
	r.byEmail++
	return r.Memory.GetByEmail(ctx, email)
}

func TestPostConfirmation(t *testing.T) {
	store := &readCounter{Memory: profilestore.NewMemory(func() time.Time { return fixedNow })}
	var calls []string
	h := &PostConfirmationHandler{
		Policy: ProfilePolicy{TenantByDomain: map[string]string{"example.com": "acme"}, DefaultTenant: "default", SourceByClient: map[string]string{"web-client": "web"}, DefaultCurrency: "BRL"},
		Store:  store,
		Groups: &fakeGroups{add: func(_, username, group string) error {
			calls = append(calls, group+"/"+username)
			return nil
		}},
		DefaultGroup: "USER",
		Now:          func() time.Time { return fixedNow },
	}
	for i := range 3 { // Cognito retries: a replay changes nothing
		require.NoError(t, h.Handle(context.Background(), confirmEvent(PostConfirmationConfirmSignUp)))
		if i == 0 {
			// a new sign-up is one write, no read: the transaction takes the
			// free email guard, and only a held one is read (#17)
			assert.Equal(t, [2]int{0, 0}, [2]int{store.gets, store.byEmail}, "reads of a new sign-up (Get, GetByEmail)")
		}
	}
	p, err := store.Get(context.Background(), "sub-1")
	require.NoError(t, err)
	assert.Equal(t, "acme", p.TenantID, "tenant from the email's parent domain, never custom:tenantId")
	assert.Equal(t, profilestore.DefaultRole, p.Role, "role never from custom:role")
	assert.Equal(t, "web", p.SourceSystem)
	assert.Equal(t, "@AnaLima", p.Handle)
	assert.Equal(t, []string{"USER"}, p.Groups)
	assert.Equal(t, profilestore.Preferences{Lang: "pt-BR", Currency: "BRL"}, p.Preferences)
	assert.Equal(t, int64(1), p.Version)
	assert.Equal(t, []string{"USER/ana", "USER/ana", "USER/ana"}, calls, "the idempotent group add is attempted every time")

	later := fixedNow.Add(time.Hour)
	h.Now = func() time.Time { return later }
	require.NoError(t, h.Handle(context.Background(), confirmEvent(PostConfirmationConfirmForgotPassword)))
	after, err := store.Get(context.Background(), "sub-1")
	require.NoError(t, err)
	assert.Equal(t, p.CreatedAt, after.CreatedAt)
	assert.Equal(t, p.Handle, after.Handle)
	assert.Equal(t, p.Badges, after.Badges)
	require.NotNil(t, after.PasswordChangedAt)
	assert.Equal(t, later, *after.PasswordChangedAt)
	assert.Len(t, calls, 3, "a password reset adds no group")
}

func TestPostConfirmationErrors(t *testing.T) {
	cases := map[string]struct {
		prepare  func(*profilestore.Memory)
		groupErr error
		event    *PostConfirmationEvent
		wantSafe messages.Code // a Refusal with this code; "" means an internal error
	}{
		"group missing": {groupErr: errors.New("ResourceNotFoundException: group USER")},
		"no identity":   {event: &PostConfirmationEvent{Header: Header{TriggerSource: PostConfirmationConfirmSignUp}}, wantSafe: messages.CodeSetupFailed},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			store := profilestore.NewMemory(nil)
			if tc.prepare != nil {
				tc.prepare(store)
			}
			h := &PostConfirmationHandler{Store: store, DefaultGroup: "USER",
				Groups: &fakeGroups{add: func(_, _, _ string) error { return tc.groupErr }}}
			ev := tc.event
			if ev == nil {
				ev = confirmEvent(PostConfirmationConfirmSignUp)
			}
			err := h.Handle(context.Background(), ev)
			require.Error(t, err)
			var r *Refusal
			if tc.wantSafe == (messages.Code{}) {
				assert.False(t, errors.As(err, &r), "internal errors are not shown to users")
				return
			}
			require.ErrorAs(t, err, &r)
			assert.Equal(t, tc.wantSafe, r.Code)
		})
	}
}

// fakeTouchStore answers TouchLogin; any profile-creating call panics (the
// embedded profileMaker is nil).
type fakeTouchStore struct {
	profileMaker
	touch func(ctx context.Context, id string) error
}

func (f *fakeTouchStore) TouchLogin(ctx context.Context, id string, _ time.Time) error {
	return f.touch(ctx, id)
}

func TestPostAuthentication(t *testing.T) {
	ev := &PostAuthenticationEvent{Header: Header{TriggerSource: PostAuthenticationAuthentication, UserName: "ana"},
		Request: PostAuthenticationRequest{UserAttributes: Attributes{"sub": "sub-1", "email": "ana@example.com", "name": "Ana Lima"}}}

	t.Run("admin-created user gets a profile and a lastLoginAt", func(t *testing.T) {
		store := profilestore.NewMemory(nil)
		h := &PostAuthenticationHandler{Store: store, Now: func() time.Time { return fixedNow }}
		require.NoError(t, h.Handle(context.Background(), ev))
		p, err := store.Get(context.Background(), "sub-1")
		require.NoError(t, err)
		require.NotNil(t, p.LastLoginAt)
		assert.Equal(t, fixedNow, *p.LastLoginAt)
	})
	t.Run("an unverified email takes neither its domain's tenant nor its address", func(t *testing.T) {
		// someone signs up with the victim's address, never verifies it, and is
		// created by an admin: their first sign-in creates the profile without
		// a read first (createProfile), and must rest on nothing unverified
		store := profilestore.NewMemory(nil)
		ctx := context.Background()
		_, _, err := store.CreateGuarded(ctx, profilestore.Profile{ID: "sub-victim", Email: "ana@example.com", Handle: "@Victim",
			TenantID: "acme"}, profilestore.EmailGuard{})
		require.NoError(t, err)
		h := &PostAuthenticationHandler{Store: store, Now: func() time.Time { return fixedNow },
			Policy: ProfilePolicy{TenantByDomain: map[string]string{"example.com": "acme"}, DefaultTenant: "default"}}
		for _, verified := range []string{"", "false", "True"} {
			attacker := &PostAuthenticationEvent{Header: Header{TriggerSource: PostAuthenticationAuthentication, UserName: "mallory" + verified},
				Request: PostAuthenticationRequest{UserAttributes: Attributes{"sub": "sub-mallory" + verified, "email": "ana@example.com",
					"email_verified": verified}}}
			require.NoError(t, h.Handle(ctx, attacker))
			p, err := store.Get(ctx, "sub-mallory"+verified)
			require.NoError(t, err, "email_verified %q", verified)
			assert.Equal(t, "default", p.TenantID, "email_verified %q: the default tenant", verified)
			holder, err := store.GetByEmail(ctx, "ana@example.com")
			require.NoError(t, err)
			assert.Equal(t, "sub-victim", holder.ID, "email_verified %q: the address stays the victim's", verified)
		}
		// an address nobody holds yet is not taken either
		free := &PostAuthenticationEvent{Header: Header{TriggerSource: PostAuthenticationAuthentication, UserName: "eve"},
			Request: PostAuthenticationRequest{UserAttributes: Attributes{"sub": "sub-eve", "email": "new@example.com", "email_verified": "false"}}}
		require.NoError(t, h.Handle(ctx, free))
		_, err = store.GetByEmail(ctx, "new@example.com")
		assert.ErrorIs(t, err, profilestore.ErrNotFound, "an unverified address takes no email guard")
	})
	t.Run("store outage never fails the sign-in", func(t *testing.T) {
		h := &PostAuthenticationHandler{Store: &fakeTouchStore{
			touch: func(context.Context, string) error { return errors.New("connection refused") },
		}}
		require.NoError(t, h.Handle(context.Background(), ev))
	})
	t.Run("bounded by its budget", func(t *testing.T) {
		var left time.Duration
		h := &PostAuthenticationHandler{Budget: 50 * time.Millisecond, Store: &fakeTouchStore{
			touch: func(ctx context.Context, _ string) error {
				d, ok := ctx.Deadline()
				require.True(t, ok)
				left = time.Until(d)
				return ctx.Err()
			},
		}}
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		require.NoError(t, h.Handle(ctx, ev))
		assert.LessOrEqual(t, left, 50*time.Millisecond)
	})
}

// fakeUsers is the Cognito a profile-creating trigger talks to: GetUser
// answers from users (user name → sub; absent: ErrUserNotFound), and
// AddUserToGroup records the groups.
type fakeUsers struct {
	users  map[string]string
	added  []string
	getErr error
}

func (f *fakeUsers) GetUser(_ context.Context, _, username string) (CognitoUser, error) {
	if f.getErr != nil {
		return CognitoUser{}, f.getErr
	}
	sub, ok := f.users[username]
	if !ok {
		return CognitoUser{}, fmt.Errorf("UserNotFoundException: User does not exist.: %w", ErrUserNotFound)
	}
	return CognitoUser{Username: username, Attributes: []UserAttribute{{Name: "sub", Value: sub}}}, nil
}

func (f *fakeUsers) AddUserToGroup(_ context.Context, _, username, group string) error {
	f.added = append(f.added, group+"/"+username)
	return nil
}

// The email guard never refuses a user Cognito allowed: a guard held by a
// deleted user (or a user name now another sub's) is reclaimed; one held by
// a live user is left alone and the new profile stored without it, as is an
// unverified email's.
func TestPostConfirmationEmailGuard(t *testing.T) {
	cases := map[string]struct {
		cognito    *fakeUsers // nil: no Cognito (embedded default)
		unverified bool
		holder     string // who holds the guard afterwards
		log        string
	}{
		"holder deleted in Cognito: reclaimed": {cognito: &fakeUsers{users: map[string]string{}}, holder: "sub-1",
			log: "reclaimed from sub-old: its Cognito user no longer exists"},
		"holder's user name re-created with another sub: reclaimed": {cognito: &fakeUsers{users: map[string]string{"ana-old": "sub-9"}},
			holder: "sub-1", log: "now belongs to another sub"},
		"holder alive (shared address): stored without the guard": {cognito: &fakeUsers{users: map[string]string{"ana-old": "sub-old"}},
			holder: "sub-old", log: "not taken: held by sub-old (its Cognito user exists)"},
		"Cognito unreachable: stored without the guard": {cognito: &fakeUsers{getErr: errors.New("throttled")},
			holder: "sub-old", log: "could not be checked"},
		"no Cognito: stored without the guard": {holder: "sub-old", log: "cannot be checked"},
		"unverified email never takes the guard": {cognito: &fakeUsers{users: map[string]string{}}, unverified: true,
			holder: "sub-old", log: "not taken: email unverified"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			store := profilestore.NewMemory(nil)
			_, err := store.Create(ctx, profilestore.Profile{ID: "sub-old", Username: "ana-old", Email: "ana@sub.example.com"})
			require.NoError(t, err)
			h := &PostConfirmationHandler{Store: store, Policy: ProfilePolicy{DefaultTenant: "default"}}
			if tc.cognito != nil {
				h.Cognito = tc.cognito
			}
			ev := confirmEvent(PostConfirmationConfirmSignUp)
			if tc.unverified {
				ev.Request.UserAttributes["email_verified"] = "false"
			}
			var logs bytes.Buffer
			r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			r.HandlePostConfirmation(h.Handle)
			_, err = r.Invoke(ctx, mustJSON(t, map[string]any{"version": "1", "triggerSource": ev.TriggerSource,
				"userPoolId": ev.UserPoolID, "userName": ev.UserName,
				"request": map[string]any{"userAttributes": ev.Request.UserAttributes}, "response": map[string]any{}}))
			require.NoError(t, err, "never refused")
			p, err := store.Get(ctx, "sub-1")
			require.NoError(t, err)
			assert.Equal(t, "ana@sub.example.com", p.Email)
			holder, err := store.GetByEmail(ctx, "ana@sub.example.com")
			require.NoError(t, err)
			assert.Equal(t, tc.holder, holder.ID)
			assert.Contains(t, logs.String(), tc.log)
		})
	}
}

// A pending (migrated) profile is adopted only by the account whose email
// Cognito verified and whose user name is the legacy record's; that user
// joins the default group and the legacy role's group in Cognito.
func TestAdoptionNeedsVerifiedEmailAndUsername(t *testing.T) {
	cases := map[string]struct {
		userName, verified string
		adopted            bool
	}{
		"verified, same user name":    {userName: "ana", verified: "true", adopted: true},
		"unverified email":            {userName: "ana", verified: "false"},
		"no email_verified":           {userName: "ana"},
		"verified, another user name": {userName: "mallory", verified: "true"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			store := profilestore.NewMemory(nil)
			_, err := store.Create(ctx, profilestore.Profile{ID: profilestore.PendingID("L-1"), Username: "ana",
				Email: "ana@sub.example.com", Role: "ADMIN", TenantID: "globex", SourceSystem: profilestore.SourceLegacy})
			require.NoError(t, err)
			users := &fakeUsers{users: map[string]string{"ana": "sub-1"}}
			h := &PostConfirmationHandler{Store: store, Cognito: users,
				Policy: ProfilePolicy{DefaultTenant: "default", DefaultGroup: "USER", RoleGroups: map[string]string{"ADMIN": "ADMINS"}}}
			ev := confirmEvent(PostConfirmationConfirmForgotPassword)
			ev.UserName = tc.userName
			delete(ev.Request.UserAttributes, "email_verified")
			if tc.verified != "" {
				ev.Request.UserAttributes["email_verified"] = tc.verified
			}
			require.NoError(t, h.Handle(ctx, ev))
			p, err := store.Get(ctx, "sub-1")
			require.NoError(t, err)
			_, pendingErr := store.Get(ctx, profilestore.PendingID("L-1"))
			if !tc.adopted {
				assert.Equal(t, profilestore.DefaultRole, p.Role, "nothing of the legacy account")
				assert.Equal(t, "default", p.TenantID)
				assert.NoError(t, pendingErr, "the pending profile waits for its owner")
				assert.Empty(t, users.added)
				return
			}
			assert.Equal(t, "ADMIN", p.Role)
			assert.Equal(t, "globex", p.TenantID)
			assert.ErrorIs(t, pendingErr, profilestore.ErrNotFound)
			assert.Equal(t, []string{"USER/ana", "ADMINS/ana"}, users.added)
			assert.Equal(t, []string{"USER", "ADMINS"}, p.NewGroups, "the first token carries them")
		})
	}
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return b
}

// gatedStore holds CreateGuarded until the group add has begun.
type gatedStore struct {
	*profilestore.Memory
	groupStarted <-chan struct{}
}

func (g gatedStore) CreateGuarded(ctx context.Context, p profilestore.Profile, e profilestore.EmailGuard) (profilestore.Profile, bool, error) {
	select {
	case <-g.groupStarted:
		return g.Memory.CreateGuarded(ctx, p, e)
	case <-ctx.Done(): // only a deadlock guard: the group add never began
		return profilestore.Profile{}, false, errors.New("the profile write waited for a group add that never began")
	}
}

// The default group is added while the profile is written (Cognito waits for
// the longer of the two, not their sum); a failure of either still fails the
// trigger, the profile's first.
func TestPostConfirmationAddsTheGroupWhileWriting(t *testing.T) {
	started := make(chan struct{})
	store := gatedStore{Memory: profilestore.NewMemory(nil), groupStarted: started}
	h := &PostConfirmationHandler{Store: store, DefaultGroup: "USER",
		Groups: &fakeGroups{add: func(_, _, _ string) error { close(started); return nil }}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, h.Handle(ctx, confirmEvent(PostConfirmationConfirmSignUp)))
	_, err := store.Get(context.Background(), "sub-1")
	require.NoError(t, err, "the profile was written")

	t.Run("both fail: the profile's error is the one returned", func(t *testing.T) {
		h := &PostConfirmationHandler{Store: failingCreate{Memory: profilestore.NewMemory(nil), id: "sub-1"}, DefaultGroup: "USER",
			Groups: &fakeGroups{add: func(_, _, _ string) error { return errors.New("throttled") }}}
		err := h.Handle(context.Background(), confirmEvent(PostConfirmationConfirmSignUp))
		require.ErrorContains(t, err, "store down")
	})
}
