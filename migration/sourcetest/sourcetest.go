// Package sourcetest is the conformance suite every legacy source passes
// (file, DynamoDB, PostgreSQL, MySQL, the HTTP API, another Cognito pool), in
// the manner of dex's storage/conformance: the same lookups and sign-ins over
// the users of fixtures/legacy-users.jsonl, whatever holds them.
package sourcetest

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
)

// Fixture is the legacy users a source under test holds, and their passwords.
type Fixture struct {
	Users []migration.User
	// Passwords maps a username to its test password (fixtures/README.md).
	Passwords map[string]string
}

// User returns the fixture user with that username.
func (f Fixture) User(tb testing.TB, username string) migration.User {
	tb.Helper()
	for _, u := range f.Users {
		if u.Username == username {
			return u
		}
	}
	tb.Fatalf("fixture has no user %q", username)
	return migration.User{}
}

// passwordRow is a row of the table in fixtures/README.md: | `username` … | `password` | …
var passwordRow = regexp.MustCompile("^\\| `([^`]+)`[^|]*\\| `([^`]*)` \\|")

// Load reads fixtures/legacy-users.jsonl and the passwords of
// fixtures/README.md from dir (the fixtures folder).
func Load(tb testing.TB, dir string) Fixture {
	tb.Helper()
	f := Fixture{Passwords: map[string]string{}}
	require.NoError(tb, migration.NewFile(filepath.Join(dir, "legacy-users.jsonl")).Each(context.Background(),
		func(u migration.User) error { f.Users = append(f.Users, u); return nil }))
	fh, err := os.Open(filepath.Join(dir, "README.md"))
	require.NoError(tb, err)
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if m := passwordRow.FindStringSubmatch(sc.Text()); m != nil {
			f.Passwords[m[1]] = m[2]
		}
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, f.Users)
	require.NotEmpty(tb, f.Passwords, "fixtures/README.md lists the test passwords")
	return f
}

// Options describe what the store under test can do.
type Options struct {
	// ChecksPasswords: the legacy system checks passwords itself
	// (migration.PasswordChecker) and its records carry no hash.
	ChecksPasswords bool
	// LowerEmails: the store keeps emails lower-case, so a record's email is
	// compared in lower case.
	LowerEmails bool
	// Skip names fixture users the store does not hold (their lookups and
	// sign-ins are left out), e.g. a user another system cannot represent.
	Skip []string
	// Expect adapts a record, the fixture's and the store's, to what the
	// store can hold (another user pool has no tenant or role and makes its
	// own ids and dates); nil: as is.
	Expect func(migration.User) migration.User
}

// Run runs the suite against src, which holds the users of fx.
func Run(t *testing.T, src migration.Source, fx Fixture, opts Options) {
	t.Helper()
	ctx := context.Background()
	held := func(username string) bool { return !slices.Contains(opts.Skip, username) }
	// the lookups: a username, an email in any case, an unknown login
	cases := map[string]struct {
		login    string
		username string
		err      error
	}{
		"username":                   {"jdoe", "jdoe", nil},
		"email":                      {"john.doe@legacy.example.com", "jdoe", nil},
		"email in another case":      {"John.Doe@LEGACY.example.com", "jdoe", nil},
		"username that is an email":  {"marta.silva@legacy.example.com", "marta.silva@legacy.example.com", nil},
		"stored mixed-case email":    {"MARTA.SILVA@LEGACY.EXAMPLE.COM", "marta.silva@legacy.example.com", nil},
		"unknown":                    {"nobody@legacy.example.com", "", migration.ErrNotFound},
		"username is case-sensitive": {"JDOE", "", migration.ErrNotFound},
		"empty":                      {"", "", migration.ErrNotFound},
	}
	for name, c := range cases {
		t.Run("lookup "+name, func(t *testing.T) {
			u, err := src.Lookup(ctx, c.login)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.username, u.Username)
		})
	}
	t.Run("record fields", func(t *testing.T) {
		for _, want := range fx.Users {
			if !held(want.Username) {
				continue
			}
			got, err := src.Lookup(ctx, want.Username)
			require.NoError(t, err, want.Username)
			if opts.Expect != nil {
				got = opts.Expect(got)
			}
			require.Equal(t, expected(want, opts), got, want.Username)
		}
	})
	t.Run("sign-in", func(t *testing.T) {
		a := &migration.Authenticator{Source: src, DummyCost: 4}
		for _, u := range fx.Users {
			pw, ok := fx.Passwords[u.Username]
			if !ok || !held(u.Username) || u.Disabled {
				continue
			}
			// a hash poolside's default verifier cannot check (a cost above the
			// limits, Firebase without the project's parameters) is a data
			// problem: a hash source reports it; a system that checks passwords
			// itself has its own limits, so such users are left out
			if _, problem := (&migration.Verifier{}).Verify(u.Stored(), []byte(pw)); problem != nil && opts.ChecksPasswords {
				continue
			}
			logins := []string{u.Username}
			if u.Email != "" && !strings.EqualFold(u.Email, u.Username) {
				logins = append(logins, strings.ToUpper(u.Email))
			}
			for _, login := range logins {
				got, err := a.Authenticate(ctx, login, []byte(pw))
				require.NoError(t, err, login)
				require.True(t, got.Found, login)
				if got.Problem != nil {
					require.False(t, got.Verified, login)
					continue
				}
				require.True(t, got.Verified, "%s signs in with the password of fixtures/README.md", login)
				require.Equal(t, u.Username, got.User.Username)
				wrong, err := a.Authenticate(ctx, login, []byte(pw+"x"))
				require.NoError(t, err, "a wrong password is a result, not an error")
				require.False(t, wrong.Verified, login)
			}
		}
		unknown, err := a.Authenticate(ctx, "nobody@legacy.example.com", []byte("whatever-1"))
		require.NoError(t, err)
		require.False(t, unknown.Found)
		require.False(t, unknown.Verified)
	})
	lister, ok := src.(migration.Lister)
	if !ok || errors.Is(lister.Each(ctx, func(migration.User) error { return nil }), migration.ErrCannotList) {
		return // answers for one user at a time (the export needs another source)
	}
	t.Run("each", func(t *testing.T) {
		seen := map[string]bool{}
		require.NoError(t, lister.Each(ctx, func(u migration.User) error {
			require.False(t, seen[u.Username], "%s listed twice", u.Username)
			seen[u.Username] = true
			return nil
		}))
		for _, u := range fx.Users {
			require.Equal(t, held(u.Username), seen[u.Username], u.Username)
		}
		stop := errors.New("stop")
		n := 0
		require.ErrorIs(t, lister.Each(ctx, func(migration.User) error { n++; return stop }), stop)
		require.Equal(t, 1, n)
	})
}

// expected is the record the source should return for fixture user u.
func expected(u migration.User, opts Options) migration.User {
	if opts.ChecksPasswords {
		u.PasswordHash, u.PasswordHashFormat, u.PasswordSalt, u.PasswordHashParams = "", "", "", nil
	}
	if opts.LowerEmails {
		u.Email = strings.ToLower(u.Email)
	}
	if opts.Expect != nil {
		u = opts.Expect(u)
	}
	return u
}
