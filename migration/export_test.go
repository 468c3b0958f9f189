package migration

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExport(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	skipped := map[string]string{}
	stats, err := Export(ctx, NewFile(fixtureFile), &out, ExportOptions{
		Migrated: func(_ context.Context, u User) (bool, error) { return u.Username == "jdoe", nil },
		Skipped:  func(u User, reason string) { skipped[u.Username] = reason },
	})
	require.NoError(t, err)
	n := len(fixtureUsers(t))
	require.Equal(t, n, stats.Read)
	require.Equal(t, n-3, stats.Exported, "every user but the three skipped")
	require.Equal(t, map[string]string{
		"jdoe":                              SkipMigrated,
		"dora.disabled@legacy.example.com":  SkipDisabled,
		"uma.unverified@legacy.example.com": SkipNoDelivery,
	}, skipped)
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Equal(t, StandardHeader, rows[0])
	require.Len(t, rows, stats.Exported+1)
	row := map[string]string{}
	for i, col := range rows[0] {
		row[col] = rows[1][i]
	}
	require.Equal(t, map[string]string{"name": "Marta Silva", "given_name": "Marta", "family_name": "Silva",
		"email": "Marta.Silva@legacy.example.com", "email_verified": "true", "locale": "pt-BR",
		"phone_number_verified": "false", "cognito:mfa_enabled": "false", "cognito:username": "marta.silva@legacy.example.com",
		"middle_name": "", "nickname": "", "preferred_username": "", "profile": "", "picture": "", "website": "",
		"gender": "", "birthdate": "", "zoneinfo": "", "phone_number": "", "address": "", "updated_at": ""}, row)
	require.NotContains(t, out.String(), "$2b$", "no password hash in the import file")
}

func TestExportHeader(t *testing.T) {
	cases := map[string]struct {
		in   string
		want []string
		err  bool
	}{
		"GetCSVHeader JSON": {in: `{"UserPoolId":"us-east-1_x","CSVHeader":["cognito:username","email","email_verified","custom:tenant"]}`,
			want: []string{"cognito:username", "email", "email_verified", "custom:tenant"}},
		"CSV line":    {in: "cognito:username,email,email_verified\n", want: []string{"cognito:username", "email", "email_verified"}},
		"empty JSON":  {in: `{"CSVHeader":[]}`, err: true},
		"broken JSON": {in: `{"CSVHeader":`, err: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h, err := ReadHeader(strings.NewReader(c.in))
			if c.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, h)
		})
	}
	var out bytes.Buffer
	_, err := Export(context.Background(), NewFile(fixtureFile), &out, ExportOptions{Header: []string{"email"}})
	require.Error(t, err, "a header without cognito:username cannot import")
	out.Reset()
	_, err = Export(context.Background(), NewFile(fixtureFile), &out, ExportOptions{Header: []string{"email", "custom:tenant", "cognito:username"}})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(out.String(), "email,custom:tenant,cognito:username\nMarta.Silva@legacy.example.com,,marta.silva@legacy.example.com\n"))
}

// synthetic is a Lister of n generated users, one in memory at a time.
type synthetic struct{ n int }

func (s synthetic) Each(ctx context.Context, fn func(User) error) error {
	created := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range s.n {
		u := User{ID: fmt.Sprint(i), Username: fmt.Sprintf("user%07d", i), Email: fmt.Sprintf("user%07d@legacy.example.com", i),
			EmailVerified: i%50 != 0, GivenName: "Given", FamilyName: fmt.Sprintf("Family%d", i), Locale: "en-US",
			PasswordHash: "$2b$10$PfOc4T991iGVxu1aRLD7JeclBDOGQ8qnC57.gt6oGJxPRKIz44XmC", TenantID: "t", Role: "USER",
			CreatedAt: created, Disabled: i%100 == 1}
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkExport1M exports 1,000,000 synthetic users (target ≤ 30 s) and
// reports the peak heap, which must stay flat (streaming).
func BenchmarkExport1M(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapInuse, ms.HeapInuse
		seen := 0
		stats, err := Export(context.Background(), synthetic{n}, io.Discard, ExportOptions{
			Migrated: func(context.Context, User) (bool, error) {
				if seen++; seen%100_000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				return false, nil
			},
		})
		require.NoError(b, err)
		require.Equal(b, n, stats.Read)
		b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-growth-MiB")
		if peak-min(peak, base) > 64<<20 {
			b.Errorf("heap grew by %d MiB: the export must stream", (peak-base)>>20)
		}
	}
}
