package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/triggers"
)

var update = flag.Bool("update", false, "rewrite fixtures/golden from the current output (make golden)")

const fixturesDir = "../../fixtures"

// goldenEnv is the deployment configuration the golden responses were made with.
var goldenEnv = map[string]string{
	"POOLSIDE_LEGACY_SOURCE": "file://" + mustAbs(fixturesDir+"/legacy-users.jsonl"),
	// PreSignUp: the denied-domain and trusted-domain fixtures; linking and the
	// duplicate-email check need Cognito and are tested in package triggers.
	"POOLSIDE_SIGNUP_DENIED_DOMAINS":  "denied.example.net",
	"POOLSIDE_SIGNUP_TRUSTED_DOMAINS": "trusted.example.org",
	"POOLSIDE_APP_URL":                "https://app.example.com/confirm",
	"POOLSIDE_EMAIL_SENDING":          "DEVELOPER",
	"POOLSIDE_BRAND_NAME":             "Example",
	// Profiles: a verified email of this domain gets its tenant; an
	// unverified one the default (the *-tenant-domain fixtures).
	"POOLSIDE_TENANT_DOMAINS": "acme-corp.example=acme",
	// PreTokenGeneration: a tenant scope for every token, one machine client.
	"POOLSIDE_TOKEN_SCOPES":   "tenant/{tenantId}",
	"POOLSIDE_CLIENT_TENANTS": "7m2sv0c9rq1l6f4k8j3h5g2d1a=acme",
	"POOLSIDE_CLIENT_SCOPES":  "7m2sv0c9rq1l6f4k8j3h5g2d1a=reports/read",
	// UserMigration: the firebase/scrypt README's sample project, for the
	// firebase-scrypt fixture user.
	"POOLSIDE_FIREBASE_SIGNER_KEY":     "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
	"POOLSIDE_FIREBASE_SALT_SEPARATOR": "Bw==",
	"POOLSIDE_FIREBASE_ROUNDS":         "8",
	"POOLSIDE_FIREBASE_MEM_COST":       "14",
}

// testBudget replaces the 4.5 s invocation budget in tests that are not about it.
const testBudget = time.Hour

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return filepath.ToSlash(a)
}

// newTestApp wires the whole suite as main does, on the embedded default
// (memory store), logging to logw.
func newTestApp(tb testing.TB, env map[string]string, logw *bytes.Buffer) *app {
	tb.Helper()
	cfg, err := config.FromEnv(config.MapEnv(env))
	require.NoError(tb, err)
	// A budget these tests cannot hit however busy the machine: the budget's
	// own behaviour is tested in package triggers with a blocking fake.
	cfg.Budget = testBudget
	a, err := wire(cfg, newLogger(logw, slog.LevelInfo))
	require.NoError(tb, err)
	if a.sender != nil {
		// The custom senders decrypt with a stand-in (the fixtures' codes
		// are not real ciphertexts; senders_integration_test.go decrypts real
		// ones with KMS) and deliver into an outbox the golden test reads.
		ob := &testOutbox{}
		a.sender.Decrypter = fixtureDecrypter{}
		a.sender.Email, a.sender.SMS = ob, ob
	}
	return a
}

// fixtureCodes are what fixtureDecrypter "decrypts": a verification code, and
// a temporary password with characters HTML and URLs must escape.
var fixtureCodes = []string{"482913", `Tmp<&"9xQ+ 1`}

// fixtureDecrypter stands in for the Encryption SDK: a fixture's code is
// base64 of "fixture ciphertext: <source>".
type fixtureDecrypter struct{}

func (fixtureDecrypter) Decrypt(_ context.Context, ciphertext []byte) ([]byte, error) {
	s := string(ciphertext)
	if !strings.HasPrefix(s, "fixture ciphertext: ") {
		return nil, errors.New("not a fixture ciphertext")
	}
	if strings.Contains(s, "AdminCreateUser") {
		return []byte(fixtureCodes[1]), nil
	}
	return []byte(fixtureCodes[0]), nil
}

// testOutbox records what the senders deliver.
type testOutbox struct {
	Email []triggers.OutgoingEmail `json:"email,omitempty"`
	SMS   []triggers.OutgoingSMS   `json:"sms,omitempty"`
}

func (o *testOutbox) SendEmail(_ context.Context, m triggers.OutgoingEmail) error {
	o.Email = append(o.Email, m)
	return nil
}

func (o *testOutbox) SendSMS(_ context.Context, m triggers.OutgoingSMS) error {
	o.SMS = append(o.SMS, m)
	return nil
}

func fixtureNames(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(fixturesDir, "events", "*.json"))
	require.NoError(tb, err)
	require.NotEmpty(tb, paths)
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".json"))
	}
	return names
}

// invokeFixture runs one fixture through the JSON path Lambda uses and
// returns the bytes Lambda would send back: the response event, or the error body.
func invokeFixture(tb testing.TB, a *app, name string) []byte {
	tb.Helper()
	payload, err := os.ReadFile(filepath.Join(fixturesDir, "events", name+".json"))
	require.NoError(tb, err)
	out, err := lambda.NewHandler(a.router).Invoke(context.Background(), payload)
	if err != nil {
		ie, ok := err.(messages.InvokeResponse_Error)
		require.True(tb, ok, "router errors are Lambda error bodies, got %T", err)
		out, err = json.Marshal(ie)
		require.NoError(tb, err)
	}
	return out
}

// TestGolden runs every fixture, each on a fresh app, and compares the exact
// bytes with fixtures/golden (stored pretty-printed, compared compacted).
// Regenerate with `make golden`.
func TestGolden(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			a := newTestApp(t, goldenEnv, &logs)
			got := invokeFixture(t, a, name)
			compareGolden(t, name+".json", got, &logs)
			if ob, ok := a.senderOutbox(); ok {
				// A custom sender's answer is {}: what it delivered is pinned
				// beside it, in <name>.sent.json.
				var sent bytes.Buffer
				enc := json.NewEncoder(&sent)
				enc.SetEscapeHTML(false) // the HTML reads as HTML
				require.NoError(t, enc.Encode(ob))
				compareGolden(t, name+".sent.json", bytes.TrimSpace(sent.Bytes()), &logs)
				require.NotContains(t, logs.String(), `"fallback"`, "every source renders from its templates")
			}
		})
	}
}

// compareGolden compares got with fixtures/golden/<file> (rewriting it with -update).
func compareGolden(t *testing.T, file string, got []byte, logs *bytes.Buffer) {
	t.Helper()
	path := filepath.Join(fixturesDir, "golden", file)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, prettyJSON(t, got), 0o644))
	}
	stored, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: run make golden")
	// Stored indented for review; compacting gives back the exact bytes
	// (indentation never touches string contents or key order).
	var want, answer bytes.Buffer
	require.NoError(t, json.Compact(&want, stored), "golden file %s is not JSON", path)
	// The answer keeps the event's own spacing (the router writes the
	// event's parts as they came): compared compacted too.
	require.NoError(t, json.Compact(&answer, got), "the answer is not JSON:\n%s", got)
	require.Equal(t, want.String(), answer.String(), "log:\n%s", logs.String())
}

// senderOutbox returns the test outbox of a wired custom sender.
func (a *app) senderOutbox() (*testOutbox, bool) {
	if a.sender == nil {
		return nil, false
	}
	ob, ok := a.sender.Email.(*testOutbox)
	return ob, ok && (len(ob.Email) > 0 || len(ob.SMS) > 0)
}

// prettyJSON is how a golden file is stored: indented two spaces, one final newline.
func prettyJSON(tb testing.TB, compact []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	require.NoError(tb, json.Indent(&b, compact, "", "  "))
	b.WriteByte('\n')
	return b.Bytes()
}

// TestFixturesCoverEverySource: at least one fixture per known triggerSource.
func TestFixturesCoverEverySource(t *testing.T) {
	have := map[triggers.Source]bool{}
	for _, name := range fixtureNames(t) {
		have[triggers.Source(strings.SplitN(name, ".", 2)[0])] = true
	}
	for _, tr := range triggers.AllTriggers {
		require.NotEmpty(t, triggers.Sources[tr], "trigger %s has no sources", tr)
		for _, s := range triggers.Sources[tr] {
			require.True(t, have[s], "no fixture for %s", s)
		}
	}
	require.Len(t, triggers.AllTriggers, len(triggers.Sources), "AllTriggers and Sources list the same triggers")
}

// TestLogsHoldNoSecrets runs every fixture and scans the log for the
// passwords, codes and tokens the fixtures carry.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	secrets := map[string]bool{}
	for _, name := range fixtureNames(t) {
		payload, err := os.ReadFile(filepath.Join(fixturesDir, "events", name+".json"))
		require.NoError(t, err)
		collectSecrets(t, payload, secrets)
		invokeFixture(t, newTestApp(t, goldenEnv, &logs), name)
	}
	require.NotEmpty(t, secrets, "the fixtures carry at least one password")
	for _, c := range fixtureCodes { // what the senders decrypt
		secrets[c] = true
	}
	require.NotZero(t, logs.Len())
	for s := range secrets {
		require.NotContains(t, logs.String(), s)
	}
}

// collectSecrets finds the values of secret-bearing keys in an event.
func collectSecrets(tb testing.TB, payload []byte, into map[string]bool) {
	tb.Helper()
	var v any
	require.NoError(tb, json.Unmarshal(payload, &v))
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				lk := strings.ToLower(k)
				if s, ok := val.(string); ok && s != "" && (strings.Contains(lk, "password") || strings.Contains(lk, "token") ||
					lk == "code" || strings.Contains(lk, "secret")) {
					into[s] = true
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}
