package migration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const fixtureFile = "../fixtures/legacy-users.jsonl"

func fixtureUsers(tb testing.TB) []User {
	tb.Helper()
	var us []User
	require.NoError(tb, NewFile(fixtureFile).Each(context.Background(), func(u User) error { us = append(us, u); return nil }))
	return us
}

func TestFileRecord(t *testing.T) {
	u, err := NewFile(fixtureFile).Lookup(context.Background(), "MARTA.SILVA@legacy.example.com")
	require.NoError(t, err)
	require.Equal(t, User{ID: "1001", Username: "marta.silva@legacy.example.com", Email: "Marta.Silva@legacy.example.com",
		EmailVerified: true, GivenName: "Marta", FamilyName: "Silva", Locale: "pt-BR",
		PasswordHash: "$2b$10$PfOc4T991iGVxu1aRLD7JeclBDOGQ8qnC57.gt6oGJxPRKIz44XmC", TenantID: "legacy-co", Role: "EDITOR",
		CreatedAt: time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)}, u)
}

// One bad line is a problem of that user only: the others still migrate,
// and a lookup of the bad record names its line, never its content.
func TestFileSourceBadLines(t *testing.T) {
	dir := t.TempDir()
	good := `{"username":"good","email":"good@example.com","password_hash":"$2b$SECRETHASH"}`
	cases := map[string]struct {
		body  string
		login string // the bad record's user ("" when nothing decodes)
		line  int
	}{
		"not JSON":            {"{\"username\":\"a\",\"password_hash\":\"$2b$SECRETHASH\"\n" + good + "\n", "", 1},
		"no username":         {`{"email":"a@b.c","password_hash":"$2b$SECRETHASH"}` + "\n" + good + "\n", "a@b.c", 1},
		"duplicate":           {good + "\n" + `{"username":"a"}` + "\n" + `{"username":"a","password_hash":"$2b$SECRETHASH"}` + "\n", "a", 3},
		"bad created_at":      {good + "\n\n" + `{"username":"a","created_at":"yesterday","password_hash":"$2b$SECRETHASH"}` + "\n", "a", 3},
		"bad boolean":         {`{"username":"a","email":"A@x.example","email_verified":"yes"}` + "\n" + good + "\n", "a@x.example", 1},
		"two values":          {good + "\n" + `{"username":"a"} {"username":"b"}` + "\n", "", 2},
		"object as attribute": {`{"username":"a","created_at":{"t":1}}` + "\n" + good + "\n", "a", 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name+".jsonl")
			require.NoError(t, os.WriteFile(p, []byte(c.body), 0o600))
			var logs bytes.Buffer
			f := NewFile(p)
			f.Log = slog.New(slog.NewJSONHandler(&logs, nil))
			u, err := f.Lookup(context.Background(), "good")
			require.NoError(t, err, "the other users still migrate")
			require.Equal(t, "good", u.Username)
			require.Contains(t, logs.String(), fmt.Sprintf(`"line":%d`, c.line))
			require.NotContains(t, logs.String(), "SECRETHASH")
			if c.login == "" {
				return
			}
			_, err = f.Lookup(context.Background(), c.login)
			require.ErrorIs(t, err, ErrBadRecord)
			require.Contains(t, err.Error(), fmt.Sprintf("%s:%d:", p, c.line))
			require.NotContains(t, err.Error(), "SECRETHASH")
			if name != "duplicate" { // each line on its own is fine
				err = f.Each(context.Background(), func(User) error { return nil })
				require.ErrorIs(t, err, ErrBadRecord, "the export names the bad line")
			}
		})
	}
	_, err := NewFile(filepath.Join(dir, "missing.jsonl")).Lookup(context.Background(), "a")
	require.ErrorIs(t, err, os.ErrNotExist)
}

// The README's promise for file records: booleans may be "true" strings and
// created_at Unix seconds, as in the other sources.
func TestFileSourceLooseTypes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "users.jsonl")
	body := `{"username":"s","email":"s@example.com","email_verified":"true","phone_number_verified":"TRUE","disabled":"false","created_at":1551675967}` + "\n" +
		`{"username":"q","email_verified":1,"created_at":"1551675967","disabled":true}` + "\n"
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	f := NewFile(p)
	want := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	s, err := f.Lookup(context.Background(), "s")
	require.NoError(t, err)
	require.True(t, s.EmailVerified)
	require.True(t, s.PhoneVerified)
	require.False(t, s.Disabled)
	require.Equal(t, want, s.CreatedAt)
	q, err := f.Lookup(context.Background(), "q")
	require.NoError(t, err)
	require.True(t, q.EmailVerified)
	require.True(t, q.Disabled)
	require.Equal(t, want, q.CreatedAt)
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
		"mysql":             {"mysql://u@h/db", true},
		"mysql no database": {"mysql://u@h", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Open(c.url, Deps{AWS: AWSDeps{DynamoDB: func() (DynamoAPI, error) { return nil, errors.New("unused") }}})
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

// The embedded fixture file has a user for every hash format, and each
// user's hash resolves to a known format.
func TestFixtureUsersCoverEveryFormat(t *testing.T) {
	seen := map[string]bool{}
	require.NoError(t, NewFile(fixtureFile).Each(context.Background(), func(u User) error {
		f, err := lookupFormat(u.Stored())
		require.NoError(t, err, u.Username)
		seen[f.Name] = true
		return nil
	}))
	for _, f := range Formats {
		require.True(t, seen[f.Name], "fixtures/legacy-users.jsonl has no %s user", f.Name)
	}
}
