package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	lambdamessages "github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers"
)

// flow is what one user reads in one sign-up: the refusal of a sign-up with
// a disposable address, the confirmation email of the next try, and the
// refusal of a legacy sign-in with a wrong password.
type flow struct {
	signUpRefusal, subject, email, sms, migrationRefusal string
}

// walkFlow runs the three fixtures through the wired app as a user of locale
// (the locale attribute, or clientMetadata.locale where the event has no
// attributes) and collects what the user reads.
func walkFlow(t *testing.T, a *app, locale string) flow {
	t.Helper()
	var f flow
	f.signUpRefusal = refusalOf(t, a, withLocale(t, "PreSignUp_SignUp.disposable-domain", "userAttributes", locale))
	out, err := lambda.NewHandler(a.router).Invoke(context.Background(), withLocale(t, "CustomMessage_SignUp", "userAttributes", locale))
	require.NoError(t, err)
	var ev struct {
		Response triggers.CustomMessageResponse
	}
	require.NoError(t, json.Unmarshal(out, &ev))
	f.subject, f.email, f.sms = ev.Response.EmailSubject, ev.Response.EmailMessage, ev.Response.SMSMessage
	f.migrationRefusal = refusalOf(t, a, withLocale(t, "UserMigration_Authentication.wrong-password", "clientMetadata", locale))
	return f
}

// withLocale is fixture name with request.<field>.locale set.
func withLocale(t *testing.T, name, field, locale string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, "events", name+".json"))
	require.NoError(t, err)
	var ev map[string]any
	require.NoError(t, json.Unmarshal(b, &ev))
	req := ev["request"].(map[string]any)
	m, _ := req[field].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m["locale"] = locale
	req[field] = m
	b, err = json.Marshal(ev)
	require.NoError(t, err)
	return b
}

func refusalOf(t *testing.T, a *app, payload []byte) string {
	t.Helper()
	_, err := lambda.NewHandler(a.router).Invoke(context.Background(), payload)
	var ie lambdamessages.InvokeResponse_Error
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "Refused", ie.Type)
	return ie.Message
}

// informal and formal markers: the words that would betray the other
// register in a language whose texts settled on one (German and French
// formal, Spanish tú, Portuguese você).
var otherRegister = map[string]*regexp.Regexp{
	"de": regexp.MustCompile(`\b(du|dein|deine|deinen|deinem|deiner|dich|dir)\b`),
	"fr": regexp.MustCompile(`\b(tu|ton|ta|tes|toi)\b`),
	"es": regexp.MustCompile(`\b(usted|ustedes)\b`),
	"pt": regexp.MustCompile(`\b(tu|teu|tua|teus|tuas|vós)\b`),
}

var tags = regexp.MustCompile(`<[^>]*>`)

// No user reads two languages or two registers in one flow: for each locale
// the sign-up refusal, the confirmation email and the migration refusal all
// come from that locale's folder, and none uses the other register.
func TestOneLanguagePerFlow(t *testing.T) {
	var logs bytes.Buffer
	a := newTestApp(t, goldenEnv, &logs)
	cat, err := messages.Load(nil)
	require.NoError(t, err)
	english := walkFlow(t, a, messages.DefaultLocale)
	for _, loc := range cat.Locales() {
		t.Run(loc, func(t *testing.T) {
			f := walkFlow(t, a, loc)
			assert.Equal(t, cat.Refusal(loc, messages.CodeDisposableEmail, messages.Args{}), f.signUpRefusal)
			assert.Equal(t, cat.Refusal(loc, messages.CodeBadCredentials, messages.Args{}), f.migrationRefusal)
			assert.Contains(t, f.email, `<html lang="`+loc+`">`)
			if loc != messages.DefaultLocale {
				assert.NotEqual(t, english.signUpRefusal, f.signUpRefusal)
				assert.NotEqual(t, english.subject, f.subject)
				assert.NotEqual(t, english.sms, f.sms)
				assert.NotEqual(t, english.migrationRefusal, f.migrationRefusal)
			}
			if re := otherRegister[loc]; re != nil {
				for part, s := range map[string]string{"sign-up refusal": f.signUpRefusal, "subject": f.subject,
					"email": tags.ReplaceAllString(f.email, " "), "sms": f.sms, "migration refusal": f.migrationRefusal} {
					assert.Empty(t, re.FindAllString(s, -1), "%s %s: %q", loc, part, s)
				}
			}
		})
	}
}

// Adding a locale is one folder: a copy of an existing locale's folder under
// a new tag, given as POOLSIDE_TEMPLATES_DIR, makes both the emails and the
// refusals of that tag's users come from it, with no Go change.
func TestNewLocaleIsOneFolder(t *testing.T) {
	const from, tag = "de", "nl"
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(dir, tag), os.DirFS(filepath.Join("..", "..", "messages", from))))
	env := map[string]string{"POOLSIDE_TEMPLATES_DIR": dir}
	for k, v := range goldenEnv {
		env[k] = v
	}
	var logs bytes.Buffer
	a := newTestApp(t, env, &logs)
	require.Contains(t, a.cfg.Messages.Catalog.Locales(), tag)

	base := walkFlow(t, newTestApp(t, goldenEnv, &logs), tag) // without the folder: English
	got := walkFlow(t, a, "nl-BE")
	want := walkFlow(t, a, from)
	assert.Contains(t, got.email, `<html lang="nl">`)
	assert.Equal(t, strings.Replace(want.email, `lang="de"`, `lang="nl"`, 1), got.email, "the email comes from the copied folder")
	assert.Equal(t, want.subject, got.subject)
	assert.Equal(t, want.signUpRefusal, got.signUpRefusal, "the sign-up refusal comes from the copied folder")
	assert.Equal(t, want.migrationRefusal, got.migrationRefusal, "the migration refusal comes from the copied folder")
	assert.NotEqual(t, base.signUpRefusal, got.signUpRefusal)
	assert.NotEqual(t, base.subject, got.subject)
}
