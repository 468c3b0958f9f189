package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/profilestore"
)

// fakeLegacy is a hand-written migration.Source.
type fakeLegacy struct {
	lookup func(login string) (migration.User, error)
}

func (f *fakeLegacy) Lookup(_ context.Context, login string) (migration.User, error) {
	return f.lookup(login)
}

// fakeCreator is a hand-written profileCreator.
type fakeCreator struct {
	create func(profilestore.Profile) (profilestore.Profile, error)
}

func (f *fakeCreator) Create(_ context.Context, p profilestore.Profile) (profilestore.Profile, error) {
	return f.create(p)
}

const migPassword = "S3cret-Legacy-Pw!"

func legacyFixture(tb testing.TB) map[string]migration.User {
	tb.Helper()
	hash, err := migration.BcryptHash([]byte(migPassword), bcrypt.MinCost)
	require.NoError(tb, err)
	created := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	return map[string]migration.User{
		"marta": {ID: "1001", Username: "marta", Email: "Marta@Legacy.example.com", EmailVerified: true, GivenName: "Marta",
			FamilyName: "Silva", Locale: "pt-BR", PasswordHash: hash, TenantID: "legacy-co", Role: "EDITOR", CreatedAt: created},
		"dora":   {Username: "dora", Email: "dora@legacy.example.com", EmailVerified: true, PasswordHash: hash, Disabled: true},
		"uma":    {Username: "uma", Email: "uma@legacy.example.com", PasswordHash: hash},
		"phil":   {Username: "phil", Phone: "+12025550143", PhoneVerified: true, PasswordHash: hash},
		"paula":  {Username: "paula", Phone: "(202) 555-0143", PhoneVerified: true, PasswordHash: hash},
		"pedro":  {Username: "pedro", Phone: "(555) 123-4567", PhoneVerified: true, PasswordHash: hash},
		"broken": {Username: "broken", Email: "broken@legacy.example.com", EmailVerified: true, PasswordHash: "md5:abc"},
	}
}

func fakeSource(users map[string]migration.User) *fakeLegacy {
	return &fakeLegacy{lookup: func(login string) (migration.User, error) {
		for _, u := range users {
			if u.Username == login || strings.EqualFold(u.Email, login) {
				return u, nil
			}
		}
		return migration.User{}, migration.ErrNotFound
	}}
}

// migrationRouter wires a handler into a router logging to logs.
func migrationRouter(tb testing.TB, h *UserMigrationHandler, logs *bytes.Buffer) lambda.Handler {
	tb.Helper()
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(logs, nil))))
	r.HandleUserMigration(h.Handle)
	return lambda.NewHandler(r)
}

func migrationEvent(source Source, userName, password string) []byte {
	req := map[string]any{"validationData": nil, "clientMetadata": nil}
	if password != "" {
		req["password"] = password
	}
	b, _ := json.Marshal(map[string]any{"version": "1", "triggerSource": source, "region": "us-east-1",
		"userPoolId": "pool", "userName": userName, "callerContext": map[string]string{"clientId": "c"},
		"request": req, "response": map[string]any{"userAttributes": nil, "finalUserStatus": nil}})
	return b
}

type migrationOut struct {
	Response struct {
		UserAttributes  map[string]string `json:"userAttributes"`
		FinalUserStatus string            `json:"finalUserStatus"`
		MessageAction   string            `json:"messageAction"`
	} `json:"response"`
}

func TestUserMigration(t *testing.T) {
	cases := map[string]struct {
		source    Source
		userName  string
		password  string
		wantErr   string // user-visible message (English: the event has no locale)
		wantLog   string // reason in the log line
		wantAttrs map[string]string
		status    string
		pool      migration.PoolShape
	}{
		"sign in by username": {source: UserMigrationAuthentication, userName: "marta", password: migPassword, status: StatusConfirmed,
			wantAttrs: map[string]string{"email": "Marta@Legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR"}},
		"username pool, signed in by email: username left out": {source: UserMigrationAuthentication, userName: "MARTA@legacy.example.com", password: migPassword, status: StatusConfirmed,
			wantAttrs: map[string]string{"email": "Marta@Legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR"}},
		"alias pool, signed in by email: legacy username, typed alias verified": {source: UserMigrationAuthentication, userName: "MARTA@legacy.example.com",
			password: migPassword, status: StatusConfirmed, pool: migration.PoolShape{AliasAttributes: []string{"email"}},
			wantAttrs: map[string]string{"email": "MARTA@legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR", "username": "marta"}},
		"alias pool, signed in by username: username left out": {source: UserMigrationAuthentication, userName: "marta",
			password: migPassword, status: StatusConfirmed, pool: migration.PoolShape{AliasAttributes: []string{"email"}},
			wantAttrs: map[string]string{"email": "Marta@Legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR"}},
		"email-username pool: never a username": {source: UserMigrationAuthentication, userName: "MARTA@legacy.example.com",
			password: migPassword, status: StatusConfirmed, pool: migration.PoolShape{UsernameAttributes: []string{"email"}},
			wantAttrs: map[string]string{"email": "Marta@Legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR"}},
		"alias pool, unverified email alias: refused, the username works": {source: UserMigrationAuthentication, userName: "uma@legacy.example.com",
			password: migPassword, pool: migration.PoolShape{AliasAttributes: []string{"email"}}, wantErr: "Please sign in with your user name", wantLog: "not verified"},
		"phone normalized with the default region": {source: UserMigrationAuthentication, userName: "paula", password: migPassword,
			status: StatusConfirmed, pool: migration.PoolShape{PhoneRegion: "US"},
			wantAttrs: map[string]string{"phone_number": "+12025550143", "phone_number_verified": "true"}},
		"phone without a region: dropped, never raw": {source: UserMigrationAuthentication, userName: "paula", password: migPassword,
			status: StatusConfirmed, wantAttrs: map[string]string{}},
		"forgot password, only an invalid phone: no channel": {source: UserMigrationForgotPassword, userName: "pedro",
			pool: migration.PoolShape{PhoneRegion: "US"}, wantErr: "We cannot reset the password of this account here. Please contact support", wantLog: "no verified email or valid phone"},
		"wrong password": {source: UserMigrationAuthentication, userName: "marta", password: migPassword + "x",
			wantErr: "Incorrect username or password", wantLog: "wrong password"},
		"unknown user": {source: UserMigrationAuthentication, userName: "nobody", password: migPassword,
			wantErr: "Incorrect username or password", wantLog: "no legacy user"},
		"unverifiable hash": {source: UserMigrationAuthentication, userName: "broken", password: migPassword,
			wantErr: "Incorrect username or password", wantLog: "unknown password hash format"},
		"disabled with the right password": {source: UserMigrationAuthentication, userName: "dora", password: migPassword,
			wantErr: "This account is disabled. Please contact support", wantLog: "disabled"},
		"disabled with a wrong password looks like any wrong password": {source: UserMigrationAuthentication, userName: "dora",
			password: "nope", wantErr: "Incorrect username or password", wantLog: "wrong password"},
		"no password (SRP)": {source: UserMigrationAuthentication, userName: "marta",
			wantErr: "Incorrect username or password", wantLog: "USER_PASSWORD_AUTH"},
		"forgot password": {source: UserMigrationForgotPassword, userName: "marta", status: StatusResetRequired,
			wantAttrs: map[string]string{"email": "Marta@Legacy.example.com", "email_verified": "true", "given_name": "Marta",
				"family_name": "Silva", "name": "Marta Silva", "locale": "pt-BR"}},
		"forgot password, verified phone only": {source: UserMigrationForgotPassword, userName: "phil", status: StatusResetRequired,
			wantAttrs: map[string]string{"phone_number": "+12025550143", "phone_number_verified": "true"}},
		"forgot password, nothing verified": {source: UserMigrationForgotPassword, userName: "uma",
			wantErr: "We cannot reset the password of this account here. Please contact support", wantLog: "no verified email or valid phone"},
		"forgot password, unknown": {source: UserMigrationForgotPassword, userName: "nobody",
			wantErr: "We cannot reset the password of this account here. Please contact support", wantLog: "no legacy user"},
		"forgot password, disabled": {source: UserMigrationForgotPassword, userName: "dora",
			wantErr: "We cannot reset the password of this account here. Please contact support", wantLog: "disabled"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			h := &UserMigrationHandler{
				Legacy:   &migration.Authenticator{Source: fakeSource(legacyFixture(t)), DummyCost: bcrypt.MinCost},
				Profiles: profilestore.NewMemory(nil),
				Policy:   ProfilePolicy{DefaultTenant: "default"},
				Pool:     c.pool,
			}
			out, err := migrationRouter(t, h, &logs).Invoke(context.Background(), migrationEvent(c.source, c.userName, c.password))
			require.NotContains(t, logs.String(), migPassword)
			if c.wantErr != "" {
				var ie messages.InvokeResponse_Error
				require.True(t, errors.As(err, &ie), "want a Lambda error, got %v", err)
				require.Equal(t, c.wantErr, ie.Message, "Cognito adds the period")
				require.Equal(t, "Refused", ie.Type)
				require.Contains(t, logs.String(), c.wantLog)
				return
			}
			require.NoError(t, err)
			var got migrationOut
			require.NoError(t, json.Unmarshal(out, &got))
			require.Equal(t, c.wantAttrs, got.Response.UserAttributes)
			require.NotContains(t, got.Response.UserAttributes, "sub")
			require.Equal(t, c.status, got.Response.FinalUserStatus)
			require.Equal(t, MessageSuppress, got.Response.MessageAction)
		})
	}
}

func TestUserMigrationImportsPendingProfile(t *testing.T) {
	ctx := context.Background()
	store := profilestore.NewMemory(nil)
	h := &UserMigrationHandler{
		Legacy:   &migration.Authenticator{Source: fakeSource(legacyFixture(t)), DummyCost: bcrypt.MinCost},
		Profiles: store,
		Policy:   ProfilePolicy{DefaultTenant: "default", DefaultCurrency: "EUR"},
	}
	var logs bytes.Buffer
	inv := migrationRouter(t, h, &logs)
	for range 3 { // Cognito retries: one profile
		_, err := inv.Invoke(ctx, migrationEvent(UserMigrationAuthentication, "marta", migPassword))
		require.NoError(t, err)
	}
	p, err := store.Get(ctx, profilestore.PendingID("1001"))
	require.NoError(t, err)
	require.Equal(t, "marta", p.Username)
	require.Equal(t, "1001", p.LegacyID)
	require.Equal(t, "legacy-co", p.TenantID, "tenant from the legacy record")
	require.Equal(t, "EDITOR", p.Role, "role from the legacy record")
	require.Equal(t, profilestore.SourceLegacy, p.SourceSystem)
	require.Equal(t, time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC), p.CreatedAt.UTC())
	require.Equal(t, "Marta Silva", p.Name)
	require.Equal(t, "pt-BR", p.Preferences.Lang)
	require.Equal(t, int64(1), p.Version)
	blob, _ := json.Marshal(p)
	require.NotContains(t, string(blob), migPassword)
	require.NotContains(t, string(blob), "$2a$", "the hash never reaches the profile")

	// adopted under the Cognito sub (ensureProfile decides when)
	adopted, err := store.Adopt(ctx, p.ID, profilestore.Profile{ID: "sub-marta", Email: "marta@legacy.example.com"})
	require.NoError(t, err)
	require.Equal(t, "sub-marta", adopted.ID)
	require.Equal(t, "legacy-co", adopted.TenantID)
	require.Equal(t, "EDITOR", adopted.Role)
}

func TestUserMigrationProfileErrors(t *testing.T) {
	cases := map[string]struct {
		err     error
		wantErr bool
		wantLog string
	}{
		"email held by a native profile: still signs in": {err: fmt.Errorf("wrapped: %w", profilestore.ErrExists), wantLog: "email held by another profile"},
		"store down: generic error, Cognito retries":     {err: errors.New("connection refused"), wantErr: true, wantLog: "connection refused"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			h := &UserMigrationHandler{
				Legacy: &migration.Authenticator{Source: fakeSource(legacyFixture(t)), DummyCost: bcrypt.MinCost},
				Profiles: &fakeCreator{create: func(profilestore.Profile) (profilestore.Profile, error) {
					return profilestore.Profile{}, c.err
				}},
			}
			_, err := migrationRouter(t, h, &logs).Invoke(context.Background(), migrationEvent(UserMigrationAuthentication, "marta", migPassword))
			require.Contains(t, logs.String(), c.wantLog)
			if !c.wantErr {
				require.NoError(t, err)
				return
			}
			var ie messages.InvokeResponse_Error
			require.True(t, errors.As(err, &ie))
			require.Equal(t, errTypeInternal, ie.Type)
			require.NotContains(t, ie.Message, "connection refused")
		})
	}
}

func TestUserMigrationSourceDown(t *testing.T) {
	var logs bytes.Buffer
	h := &UserMigrationHandler{Legacy: &migration.Authenticator{Source: &fakeLegacy{lookup: func(string) (migration.User, error) {
		return migration.User{}, errors.New("legacy db timeout")
	}}}}
	_, err := migrationRouter(t, h, &logs).Invoke(context.Background(), migrationEvent(UserMigrationAuthentication, "marta", migPassword))
	var ie messages.InvokeResponse_Error
	require.True(t, errors.As(err, &ie))
	require.Equal(t, errTypeInternal, ie.Type, "a failing store is not a wrong password")
	require.Contains(t, logs.String(), "legacy db timeout")
	require.NotContains(t, logs.String(), migPassword)
}

// BenchmarkUserMigrationTiming: an unknown user and a wrong password must
// cost the same (ratio unknown/wrong within [0.9, 1.1]) at the default
// dummy cost. `make bench` reports the ratio; `make timing-check` gates on its median.
func BenchmarkUserMigrationTiming(b *testing.B) {
	hash, err := migration.BcryptHash([]byte(migPassword), migration.DefaultDummyCost)
	require.NoError(b, err)
	users := map[string]migration.User{"marta": {Username: "marta", Email: "m@example.com", EmailVerified: true, PasswordHash: hash}}
	h := &UserMigrationHandler{Legacy: &migration.Authenticator{Source: fakeSource(users), DummyCost: migration.DefaultDummyCost}}
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))))
	r.HandleUserMigration(h.Handle)
	inv := lambda.NewHandler(r)
	wrong := migrationEvent(UserMigrationAuthentication, "marta", "wrong-password")
	unknown := migrationEvent(UserMigrationAuthentication, "nobody", "wrong-password")
	_, _ = inv.Invoke(context.Background(), unknown) // computes the dummy hash once
	var tw, tu time.Duration
	for b.Loop() {
		start := time.Now()
		_, _ = inv.Invoke(context.Background(), wrong)
		tw += time.Since(start)
		start = time.Now()
		_, _ = inv.Invoke(context.Background(), unknown)
		tu += time.Since(start)
	}
	// Reported, never asserted: the ratio is only meaningful on a quiet machine
	// with one package at a time. `make timing-check` runs this benchmark
	// repeatedly with -p 1 and gates on the median ratio.
	b.ReportMetric(float64(tu)/float64(tw), "unknown/wrong")
	b.ReportMetric(float64(tw.Milliseconds())/float64(b.N), "ms/wrong")
}

// fakeBreach is a hand-written migration.BreachChecker.
type fakeBreach struct {
	breached func([]byte) (bool, error)
}

func (f *fakeBreach) Breached(_ context.Context, p []byte) (bool, error) { return f.breached(p) }

// A breached password migrates the user with RESET_REQUIRED (when Cognito can
// send the reset code) and logs breached: true; an outage fails open, logged.
func TestUserMigrationBreachedPassword(t *testing.T) {
	cases := map[string]struct {
		user     string
		breached func([]byte) (bool, error)
		status   string
		logs     []string
	}{
		"breached": {user: "marta", breached: func([]byte) (bool, error) { return true, nil },
			status: StatusResetRequired, logs: []string{`"breached":true`}},
		"breached, no verified email or phone to reset with": {user: "uma", breached: func([]byte) (bool, error) { return true, nil },
			status: StatusConfirmed, logs: []string{`"breached":true`, "breachReset"}},
		"not breached": {user: "marta", breached: func([]byte) (bool, error) { return false, nil }, status: StatusConfirmed},
		"check down fails open": {user: "marta", breached: func([]byte) (bool, error) { return false, errors.New("hibp: status 503") },
			status: StatusConfirmed, logs: []string{"failed open: hibp: status 503"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			h := &UserMigrationHandler{Legacy: &migration.Authenticator{Source: fakeSource(legacyFixture(t)), DummyCost: bcrypt.MinCost,
				Breached: &fakeBreach{breached: c.breached}}}
			out, err := migrationRouter(t, h, &logs).Invoke(context.Background(), migrationEvent(UserMigrationAuthentication, c.user, migPassword))
			require.NoError(t, err)
			var got migrationOut
			require.NoError(t, json.Unmarshal(out, &got))
			require.Equal(t, c.status, got.Response.FinalUserStatus)
			require.Equal(t, MessageSuppress, got.Response.MessageAction)
			for _, l := range c.logs {
				require.Contains(t, logs.String(), l)
			}
			if len(c.logs) == 0 {
				require.NotContains(t, logs.String(), "breach")
			}
			require.NotContains(t, logs.String(), migPassword)
		})
	}
}

// Issue 11 item 10: a malformed stored hash that holds a secret is logged
// by format and position, never quoted.
func TestUserMigrationNeverLogsTheStoredHash(t *testing.T) {
	const secret = "Hunter2-Plaintext-Secret"
	for _, hash := range []string{"$argon2id$v=19$" + secret + "$$", secret, "{SSHA}" + secret, "$6$rounds=" + secret + "$x$y"} {
		var logs bytes.Buffer
		users := map[string]migration.User{"ray": {Username: "ray", Email: "ray@legacy.example.com", EmailVerified: true, PasswordHash: hash}}
		h := &UserMigrationHandler{Legacy: &migration.Authenticator{Source: fakeSource(users), DummyCost: bcrypt.MinCost}}
		_, err := migrationRouter(t, h, &logs).Invoke(context.Background(), migrationEvent(UserMigrationAuthentication, "ray", "hunter2"))
		require.Error(t, err)
		require.Contains(t, logs.String(), "hashProblem")
		require.NotContains(t, logs.String(), "Hunter2")
		require.NotContains(t, logs.String(), "Secret")
		require.NotContains(t, err.Error(), "Hunter2")
	}
}
