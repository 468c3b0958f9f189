package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMigrateExport(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "header.json")
	require.NoError(t, os.WriteFile(header, []byte(`{"UserPoolId":"us-east-1_x","CSVHeader":["email","email_verified","cognito:mfa_enabled","cognito:username"]}`), 0o600))
	cases := map[string]struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		"standard header": {args: []string{"--out", "users.csv"}, wantOut: `"exported": 6`,
			wantErr: "skipped dora.disabled@legacy.example.com: disabled in the legacy system"},
		"pool header": {args: []string{"--out", "users.csv", "--header", header}, wantOut: `"exported": 6`},
		"skip migrated on an empty memory store": {args: []string{"--out", "users.csv", "--skip-migrated"}, wantOut: `"read": 8`},
		"no --out":        {args: []string{}, wantCode: 2, wantErr: "usage"},
		"unknown flag":    {args: []string{"--out", "x.csv", "--bogus"}, wantCode: 2, wantErr: "bogus"},
		"bad source":      {args: []string{"--out", "x.csv", "--source", "mysql://x"}, wantCode: 1, wantErr: "scheme"},
		"missing header":  {args: []string{"--out", "x.csv", "--header", "/nonexistent"}, wantCode: 1, wantErr: "nonexistent"},
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
