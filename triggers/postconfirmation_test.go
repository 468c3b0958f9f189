package triggers

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// fakeGroups is a hand-written groupAdder.
type fakeGroups struct {
	add func(*cognitoidentityprovider.AdminAddUserToGroupInput) error
}

func (f *fakeGroups) AdminAddUserToGroup(_ context.Context, in *cognitoidentityprovider.AdminAddUserToGroupInput,
	_ ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.AdminAddUserToGroupOutput, error) {
	return &cognitoidentityprovider.AdminAddUserToGroupOutput{}, f.add(in)
}

var fixedNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func confirmEvent(source Source) *PostConfirmationEvent {
	return &PostConfirmationEvent{
		Header: Header{TriggerSource: source, UserPoolID: "pool", UserName: "ana", CallerContext: CallerContext{ClientID: "web-client"}},
		Request: PostConfirmationRequest{UserAttributes: Attributes{
			"sub": "sub-1", "email": "Ana@Sub.Example.com", "given_name": "Ana", "family_name": "Lima", "locale": "pt-BR",
			"custom:tenantId": "evil", "custom:role": "ADMIN",
		}},
	}
}

func TestPostConfirmation(t *testing.T) {
	store := profilestore.NewMemory(func() time.Time { return fixedNow })
	var calls []string
	h := &PostConfirmationHandler{
		Policy: ProfilePolicy{TenantByDomain: map[string]string{"example.com": "acme"}, DefaultTenant: "default", SourceByClient: map[string]string{"web-client": "web"}, DefaultCurrency: "BRL"},
		Store:  store,
		Groups: &fakeGroups{add: func(in *cognitoidentityprovider.AdminAddUserToGroupInput) error {
			calls = append(calls, aws.ToString(in.GroupName)+"/"+aws.ToString(in.Username))
			return nil
		}},
		DefaultGroup: "USER",
		Now:          func() time.Time { return fixedNow },
	}
	for range 3 { // Cognito retries: a replay changes nothing
		require.NoError(t, h.Handle(context.Background(), confirmEvent(PostConfirmationConfirmSignUp)))
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
		wantSafe string // a Refusal with this message; "" means an internal error
	}{
		"email held by another user": {
			prepare: func(m *profilestore.Memory) {
				_, _ = m.Create(context.Background(), profilestore.Profile{ID: "other", Email: "ana@sub.example.com"})
			},
			wantSafe: "An account with this email address already exists",
		},
		"group missing": {groupErr: errors.New("ResourceNotFoundException: group USER")},
		"no identity":   {event: &PostConfirmationEvent{Header: Header{TriggerSource: PostConfirmationConfirmSignUp}}, wantSafe: "could not finish"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			store := profilestore.NewMemory(nil)
			if tc.prepare != nil {
				tc.prepare(store)
			}
			h := &PostConfirmationHandler{Store: store, DefaultGroup: "USER",
				Groups: &fakeGroups{add: func(*cognitoidentityprovider.AdminAddUserToGroupInput) error { return tc.groupErr }}}
			ev := tc.event
			if ev == nil {
				ev = confirmEvent(PostConfirmationConfirmSignUp)
			}
			err := h.Handle(context.Background(), ev)
			require.Error(t, err)
			var r *Refusal
			if tc.wantSafe == "" {
				assert.False(t, errors.As(err, &r), "internal errors are not shown to users")
				return
			}
			require.ErrorAs(t, err, &r)
			assert.Contains(t, r.Message, tc.wantSafe)
		})
	}
}

// fakeTouchStore fails every call.
type fakeTouchStore struct {
	touch  func(ctx context.Context, id string) error
	ensure func(p profilestore.Profile) (profilestore.Profile, bool, error)
}

func (f *fakeTouchStore) TouchLogin(ctx context.Context, id string, _ time.Time) error {
	return f.touch(ctx, id)
}
func (f *fakeTouchStore) Ensure(_ context.Context, p profilestore.Profile) (profilestore.Profile, bool, error) {
	return f.ensure(p)
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
	t.Run("store outage never fails the sign-in", func(t *testing.T) {
		h := &PostAuthenticationHandler{Store: &fakeTouchStore{
			touch: func(context.Context, string) error { return errors.New("connection refused") },
			ensure: func(profilestore.Profile) (profilestore.Profile, bool, error) {
				t.Fatal("not called")
				return profilestore.Profile{}, false, nil
			},
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
			ensure: func(profilestore.Profile) (profilestore.Profile, bool, error) {
				t.Fatal("not called")
				return profilestore.Profile{}, false, nil
			},
		}}
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		require.NoError(t, h.Handle(ctx, ev))
		assert.LessOrEqual(t, left, 50*time.Millisecond)
	})
}
