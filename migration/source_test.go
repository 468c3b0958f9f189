package migration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// conformance runs the same lookups on every Source implementation (file,
// DynamoDB, PostgreSQL) over the users of fixtures/legacy-users.jsonl.
func conformance(t *testing.T, src interface {
	Source
	Lister
}) {
	t.Helper()
	ctx := context.Background()
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
		"unknown":                    {"nobody@legacy.example.com", "", ErrNotFound},
		"username is case-sensitive": {"JDOE", "", ErrNotFound},
		"empty":                      {"", "", ErrNotFound},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
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
		u, err := src.Lookup(ctx, "marta.silva@legacy.example.com")
		require.NoError(t, err)
		require.Equal(t, User{ID: "1001", Username: "marta.silva@legacy.example.com", Email: "Marta.Silva@legacy.example.com",
			EmailVerified: true, GivenName: "Marta", FamilyName: "Silva", Locale: "pt-BR",
			PasswordHash: "$2b$10$PfOc4T991iGVxu1aRLD7JeclBDOGQ8qnC57.gt6oGJxPRKIz44XmC", TenantID: "legacy-co", Role: "EDITOR",
			CreatedAt: time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)}, u)
		d, err := src.Lookup(ctx, "dora.disabled@legacy.example.com")
		require.NoError(t, err)
		require.True(t, d.Disabled)
	})
	t.Run("each", func(t *testing.T) {
		seen := map[string]bool{}
		require.NoError(t, src.Each(ctx, func(u User) error { seen[u.Username] = true; return nil }))
		require.Len(t, seen, 8)
		stop := errors.New("stop")
		n := 0
		require.ErrorIs(t, src.Each(ctx, func(User) error { n++; return stop }), stop)
		require.Equal(t, 1, n)
	})
}

const fixtureFile = "../fixtures/legacy-users.jsonl"

func fixtureUsers(tb testing.TB) []User {
	tb.Helper()
	var us []User
	require.NoError(tb, NewFile(fixtureFile).Each(context.Background(), func(u User) error { us = append(us, u); return nil }))
	return us
}

func TestFileSource(t *testing.T) {
	conformance(t, NewFile(fixtureFile))
}

func TestFileSourceErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"not JSON":       "{\"username\":\"a\",\"password_hash\":\"$2b$SECRETHASH\"\nnot json\n",
		"no username":    `{"email":"a@b.c"}` + "\n",
		"duplicate":      `{"username":"a"}` + "\n" + `{"username":"a"}` + "\n",
		"bad created_at": `{"username":"a","created_at":"yesterday"}` + "\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name+".jsonl")
			require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
			_, err := NewFile(p).Lookup(context.Background(), "a")
			require.Error(t, err)
			require.NotContains(t, err.Error(), "SECRETHASH")
		})
	}
	_, err := NewFile(filepath.Join(dir, "missing.jsonl")).Lookup(context.Background(), "a")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestOpen(t *testing.T) {
	cases := map[string]struct {
		url string
		ok  bool
	}{
		"file":              {"file:///tmp/x.jsonl", true},
		"file without path": {"file://", false},
		"dynamodb":          {"dynamodb://legacy-users", true},
		"dynamodb no table": {"dynamodb://", false},
		"postgres":          {"postgres://u@127.0.0.1:5432/db", true},
		"postgresql":        {"postgresql://u@127.0.0.1/db?sslmode=disable", true},
		"mysql":             {"mysql://u@h/db", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Open(c.url, Deps{DynamoDB: func() (DynamoAPI, error) { return nil, errors.New("unused") }})
			if c.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
	_, err := Open("postgres://u:hunter2@host:notaport/db", Deps{})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2", "the URL's password never reaches an error")
}

func TestAuthenticator(t *testing.T) {
	ctx := context.Background()
	a := &Authenticator{Source: NewFile(fixtureFile), DummyCost: 4}
	cases := map[string]struct {
		login, password string
		found, verified bool
		problem         error
	}{
		"bcrypt 2b":    {"marta.silva@legacy.example.com", "Correct-Horse-7", true, true, nil},
		"bcrypt 2y":    {"john.doe@legacy.example.com", "Legacy-Pass-2y", true, true, nil},
		"argon2id":     {"ana.argon@legacy.example.com", "Argon-Pass-3", true, true, nil},
		"django":       {"dj.pbkdf2@legacy.example.com", "Django-Pass-1", true, true, nil},
		"scrypt":       {"sam.scrypt@legacy.example.com", "Scrypt-Pass-9", true, true, nil},
		"wrong":        {"jdoe", "Legacy-Pass-2Y", true, false, nil},
		"unknown":      {"nobody", "Legacy-Pass-2y", false, false, nil},
		"cost refused": {"bob.costly@legacy.example.com", "x", true, false, ErrParams},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := a.Authenticate(ctx, c.login, []byte(c.password))
			require.NoError(t, err)
			require.Equal(t, c.found, got.Found)
			require.Equal(t, c.verified, got.Verified)
			if c.problem != nil {
				require.ErrorIs(t, got.Problem, c.problem)
			} else {
				require.NoError(t, got.Problem)
			}
		})
	}
}

func TestAttributes(t *testing.T) {
	u := User{Username: "jdoe", Email: " j@x.com ", EmailVerified: true, Phone: "+1555", GivenName: "J", FamilyName: "Doe", Locale: "en"}
	require.Equal(t, map[string]string{"email": "j@x.com", "email_verified": "true", "phone_number": "+1555",
		"given_name": "J", "family_name": "Doe", "name": "J Doe", "locale": "en"}, Attributes(u))
	require.True(t, SignedInWithAlias("j@x.com", u))
	require.False(t, SignedInWithAlias("jdoe", u))
}

// The hash-format fields of the record shape, as every source reads them:
// a JSON line, and loosely typed fields (a DynamoDB map, a jsonb or JSON text
// column).
func TestRecordHashFields(t *testing.T) {
	line := `{"username":"kc","password_hash":"aGFzaA==","password_hash_format":"keycloak","password_salt":"c2FsdA==",` +
		`"password_hash_params":{"algorithm":"pbkdf2-sha256","hashIterations":27500}}`
	u, err := decodeLine([]byte(line))
	require.NoError(t, err)
	require.Equal(t, "keycloak", u.PasswordHashFormat)
	require.Equal(t, "c2FsdA==", u.PasswordSalt)
	require.Equal(t, map[string]any{"algorithm": "pbkdf2-sha256", "hashIterations": float64(27500)}, u.PasswordHashParams)

	for name, params := range map[string]any{
		"map":       map[string]any{"algorithm": "pbkdf2-sha256", "hashIterations": float64(27500)},
		"json text": `{"algorithm":"pbkdf2-sha256","hashIterations":27500}`,
		"json blob": []byte(`{"algorithm":"pbkdf2-sha256","hashIterations":27500}`),
	} {
		t.Run(name, func(t *testing.T) {
			r, err := record(map[string]any{"username": "kc", "password_hash_format": "keycloak",
				"password_salt": "c2FsdA==", "password_hash_params": params})
			require.NoError(t, err)
			require.Equal(t, u.PasswordHashParams, r.PasswordHashParams)
			require.Equal(t, "keycloak", r.PasswordHashFormat)
		})
	}
	_, err = record(map[string]any{"username": "kc", "password_hash_params": "SECRET-not-json"})
	require.ErrorContains(t, err, "password_hash_params")
	require.NotContains(t, err.Error(), "SECRET")
}
