package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers"
)

// Through poolside serve: a SignUp for a user named <script>alert(1)</script>
// gets an email with no <script>, a link to the app URL, and Cognito's code
// placeholder intact, in each language; the subjects are translated.
func TestCustomMessageThroughServe(t *testing.T) {
	var logs bytes.Buffer
	env := map[string]string{
		"POOLSIDE_TRIGGERS":      "CustomMessage",
		"POOLSIDE_APP_URL":       "https://app.example.com/confirm",
		"POOLSIDE_EMAIL_SENDING": "developer",
		"POOLSIDE_BRAND_NAME":    "Acme",
	}
	url := serveApp(t, env, &logs)
	base := fixture(t, "CustomMessage_SignUp")
	subjects := map[string]string{}
	tpl, err := messages.Load(nil)
	require.NoError(t, err)
	for _, loc := range tpl.Locales() {
		t.Run(loc, func(t *testing.T) {
			var ev map[string]any
			require.NoError(t, json.Unmarshal([]byte(base), &ev))
			attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
			attrs["given_name"] = "<script>alert(1)</script>"
			attrs["locale"] = loc
			payload, err := json.Marshal(ev)
			require.NoError(t, err)

			out, fnErr := post(t, url, payload)
			require.Empty(t, fnErr, string(out))
			var got struct {
				Response triggers.CustomMessageResponse
			}
			require.NoError(t, json.Unmarshal(out, &got))
			r := got.Response
			for part, s := range map[string]string{"email": r.EmailMessage, "subject": r.EmailSubject, "sms": r.SMSMessage} {
				require.NotContains(t, strings.ToLower(s), "<script", part)
			}
			require.Contains(t, r.EmailMessage, "&lt;script&gt;alert(1)&lt;/script&gt;")
			require.Contains(t, r.EmailMessage,
				`<a href="https://app.example.com/confirm?code={####}&amp;username=d3b07384-d113-4ec6-a6f2-c8b1e4a0a1b1"`)
			require.Equal(t, 2, strings.Count(r.EmailMessage, "{####}"), "in the link and as text")
			require.Contains(t, r.SMSMessage, "{####}")
			require.Contains(t, r.EmailSubject, "Acme")
			subjects[loc] = r.EmailSubject
		})
	}
	for _, loc := range tpl.Locales()[1:] {
		require.NotEmpty(t, subjects[loc])
		require.NotEqual(t, subjects["en"], subjects[loc], loc)
	}
	require.NotContains(t, logs.String(), "<script")
	require.NotContains(t, logs.String(), `\u003cscript`)
}

// With the pool on Cognito's default email account (the default setting),
// the response holds smsMessage only.
func TestCustomMessageDefaultEmailAccount(t *testing.T) {
	var logs bytes.Buffer
	a := newTestApp(t, map[string]string{"POOLSIDE_TRIGGERS": "CustomMessage"}, &logs)
	out := invokeFixture(t, a, "CustomMessage_ForgotPassword.de")
	var got struct{ Response map[string]string }
	require.NoError(t, json.Unmarshal(out, &got))
	require.Equal(t, map[string]string{"smsMessage": "poolside: Ihr Code zum Zurücksetzen des Passworts lautet {####}. Nicht angefordert? Ignorieren."}, got.Response)
}

// A broken template override stops start-up with every problem listed.
func TestCustomMessageTemplatesDirChecked(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "de"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "de", "sms.txt"), []byte(`{{define "SignUp"}}{{.Brand}}{{end}}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "de", "subjects.txt"), []byte(`{{define "SignUp"}}{{.Brand`), 0o644))
	_, err := config.FromEnv(config.MapEnv(map[string]string{"POOLSIDE_TEMPLATES_DIR": dir}))
	require.Error(t, err)
	for _, want := range []string{
		"POOLSIDE_TEMPLATES_DIR: template: $POOLSIDE_TEMPLATES_DIR/de/subjects.txt:1: unclosed action",
		`POOLSIDE_TEMPLATES_DIR: $POOLSIDE_TEMPLATES_DIR/de/sms.txt: no {{define "ResendCode"}}`,
	} {
		require.Contains(t, err.Error(), want)
	}
}

// make preview: every source in every locale, as .html and .txt.
func TestPreview(t *testing.T) {
	out := t.TempDir()
	n, err := writePreview(config.MessagesConfig{Brand: "Acme", AppURL: "https://app.example.com/confirm"}, out)
	require.NoError(t, err)
	tpl, err := messages.Load(nil)
	require.NoError(t, err)
	sources := triggers.Sources[triggers.CustomMessage]
	require.Equal(t, len(sources)*len(tpl.Locales())*2+1, n, "an email and a text per source and locale, and the index")
	for _, loc := range tpl.Locales() {
		for _, src := range triggers.Sources[triggers.CustomMessage] {
			body, err := os.ReadFile(filepath.Join(out, loc, string(src)+".html"))
			require.NoError(t, err)
			require.Contains(t, string(body), `<html lang="`+loc+`">`)
			require.Contains(t, string(body), "{####}")
			text, err := os.ReadFile(filepath.Join(out, loc, string(src)+".txt"))
			require.NoError(t, err)
			require.Contains(t, string(text), "Subject: ")
			require.Contains(t, string(text), "{####}")
		}
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	require.NoError(t, err)
	require.Equal(t, len(sources)*len(tpl.Locales()), strings.Count(string(index), "<li>"))
}
