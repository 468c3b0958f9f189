package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/profilestore"
)

func TestMigrateExport(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "header.json")
	require.NoError(t, os.WriteFile(header, []byte(`{"UserPoolId":"us-east-1_x","CSVHeader":["email","email_verified","cognito:mfa_enabled","cognito:username"]}`), 0o600))
	read, exportable := fixtureExportCounts(t)
	exported, readAll := fmt.Sprintf(`"exported": %d`, exportable), fmt.Sprintf(`"read": %d`, read)
	cases := map[string]struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		"standard header": {args: []string{"--out", "users.csv"}, wantOut: exported,
			wantErr: "skipped dora.disabled@legacy.example.com: disabled in the legacy system"},
		"pool header":                            {args: []string{"--out", "users.csv", "--header", header}, wantOut: exported},
		"skip migrated on an empty memory store": {args: []string{"--out", "users.csv", "--skip-migrated"}, wantOut: readAll},
		"no --out":                               {args: []string{}, wantCode: 2, wantErr: "usage"},
		"unknown flag":                           {args: []string{"--out", "x.csv", "--bogus"}, wantCode: 2, wantErr: "bogus"},
		"bad source":                             {args: []string{"--out", "x.csv", "--source", "ftp://x"}, wantCode: 1, wantErr: "scheme"},
		"missing header":                         {args: []string{"--out", "x.csv", "--header", "/nonexistent"}, wantCode: 1, wantErr: "nonexistent"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Chdir(dir)
			t.Setenv("POOLSIDE_LEGACY_SOURCE", goldenEnv["POOLSIDE_LEGACY_SOURCE"])
			var out, errOut bytes.Buffer
			code := run(append([]string{"migrate", "export"}, c.args...), strings.NewReader(""), &out, &errOut)
			require.Equal(t, c.wantCode, code, errOut.String())
			require.Contains(t, out.String(), c.wantOut)
			require.Contains(t, errOut.String(), c.wantErr)
			if code != 0 {
				return
			}
			var stats struct{ Exported int }
			require.NoError(t, json.Unmarshal(out.Bytes(), &stats))
			csv, err := os.ReadFile(filepath.Join(dir, "users.csv"))
			require.NoError(t, err)
			require.Equal(t, stats.Exported+1, strings.Count(string(csv), "\n"))
			require.Contains(t, string(csv), "jdoe")
		})
	}
}

// --skip-migrated against DynamoDB (moto): a legacy user whose profile exists
// (imported at first sign-in, then adopted) is left out of the export.
func TestMigrateExportSkipsMigratedOnDynamoDB(t *testing.T) {
	ep := localEndpoint(t)
	dir := t.TempDir()
	table := fmt.Sprintf("profiles-export-%d", time.Now().UnixNano())
	for k, v := range map[string]string{
		"POOLSIDE_PROFILE_STORE":     "dynamodb://" + table,
		"POOLSIDE_DYNAMODB_ENDPOINT": ep,
		"POOLSIDE_LEGACY_SOURCE":     goldenEnv["POOLSIDE_LEGACY_SOURCE"],
	} {
		t.Setenv(k, v)
	}
	var created map[string]any
	runCLI(t, &created, "table", "create")
	a, err := adminApp()
	require.NoError(t, err)
	store, err := a.profileStore()
	require.NoError(t, err)
	// Marta signed in once: UserMigration imported her, her first token adopted the profile.
	_, err = store.Create(context.Background(), profilestore.Profile{ID: profilestore.PendingID("1001"),
		Email: "marta.silva@LEGACY.example.com", LegacyID: "1001", SourceSystem: profilestore.SourceLegacy})
	require.NoError(t, err)
	_, err = store.Adopt(context.Background(), profilestore.PendingID("1001"), profilestore.Profile{ID: "sub-marta", Email: "Marta.Silva@legacy.example.com"})
	require.NoError(t, err)

	out := filepath.Join(dir, "users.csv")
	var stdout, stderr bytes.Buffer
	code := run([]string{"migrate", "export", "--out", out, "--skip-migrated"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	var stats struct {
		Read, Exported int
		Skipped        map[string]int
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &stats))
	read, exportable := fixtureExportCounts(t)
	require.Equal(t, read, stats.Read)
	require.Equal(t, exportable-1, stats.Exported, "one fewer than without --skip-migrated")
	require.Equal(t, 1, stats.Skipped[migration.SkipMigrated])
	require.Contains(t, stderr.String(), "skipped marta.silva@legacy.example.com")
	csv, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NotContains(t, strings.ToLower(string(csv)), "marta.silva@legacy.example.com")
	require.Contains(t, string(csv), "jdoe")
}

// fixtureExportCounts counts the fixture file's users and those an export
// keeps: every user is read; the disabled ones and those Cognito could not
// send a reset code to are skipped.
func fixtureExportCounts(tb testing.TB) (read, exportable int) {
	tb.Helper()
	require.NoError(tb, migration.NewFile(fixturesDir+"/legacy-users.jsonl").Each(context.Background(), func(u migration.User) error {
		read++
		if !u.Disabled && u.CanReceiveCode() {
			exportable++
		}
		return nil
	}))
	return read, exportable
}
