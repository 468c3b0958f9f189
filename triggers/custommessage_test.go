package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
)

const testAppURL = "https://app.example.com/confirm"

// cmEvent is a CustomMessage event as Cognito sends it.
type cmEvent struct {
	source   Source
	userName string
	attrs    map[string]string
	code     any // string or nil (JSON null)
	username any
	link     any
	metadata map[string]string
}

func (e cmEvent) payload(tb testing.TB) []byte {
	tb.Helper()
	if e.userName == "" {
		e.userName = "d3b07384-d113-4ec6-a6f2-c8b1e4a0a1b1"
	}
	ev := map[string]any{
		"version": "1", "triggerSource": e.source, "region": "us-east-1", "userPoolId": "us-east-1_Ex4mPle01",
		"userName": e.userName, "callerContext": map[string]string{"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "c1"},
		"request": map[string]any{
			"userAttributes": e.attrs, "codeParameter": e.code, "usernameParameter": e.username,
			"linkParameter": e.link, "clientMetadata": e.metadata,
		},
		"response": map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil},
	}
	b, err := json.Marshal(ev)
	require.NoError(tb, err)
	return b
}

// cognitoEvent fills in Cognito's usual placeholders: {username} only for AdminCreateUser.
func cognitoEvent(src Source, attrs map[string]string) cmEvent {
	e := cmEvent{source: src, attrs: attrs, code: "{####}", link: "{##Click Here##}"}
	if src == CustomMessageAdminCreateUser {
		e.username = "{username}"
	}
	return e
}

// invokeCM runs one event through the router as Lambda does and returns the
// raw response object and the log.
func invokeCM(tb testing.TB, h *CustomMessageHandler, e cmEvent) (json.RawMessage, string) {
	tb.Helper()
	var logs bytes.Buffer
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	r.HandleCustomMessage(h.Handle)
	out, err := lambda.NewHandler(r).Invoke(context.Background(), e.payload(tb))
	require.NoError(tb, err)
	var ev struct{ Response json.RawMessage }
	require.NoError(tb, json.Unmarshal(out, &ev))
	return ev.Response, logs.String()
}

func decodeCM(tb testing.TB, raw json.RawMessage) CustomMessageResponse {
	tb.Helper()
	var r CustomMessageResponse
	require.NoError(tb, json.Unmarshal(raw, &r))
	return r
}

func testTemplates(tb testing.TB) *messages.Catalog {
	tb.Helper()
	m, err := messages.Load(nil)
	require.NoError(tb, err)
	return m
}

// testLocales maps every locale the catalog holds (the real list, not a
// copy) to a locale attribute a user could carry for it: "pt" → "pt-PT".
func testLocales(tb testing.TB) map[string]string {
	tb.Helper()
	locales := messages.EmbeddedLocales()
	require.Greater(tb, len(locales), 1)
	out := map[string]string{}
	for _, loc := range locales {
		out[loc] = loc + "-" + strings.ToUpper(loc)
	}
	return out
}

// The placeholders reach Cognito byte for byte in every source and locale:
// {####} inside the link's href, not %7B####%7D.
func TestCustomMessagePlaceholdersSurvive(t *testing.T) {
	h := &CustomMessageHandler{Messages: testTemplates(t), Brand: "Acme", AppURL: testAppURL, Email: true}
	for _, src := range Sources[CustomMessage] {
		for loc, attr := range testLocales(t) {
			t.Run(fmt.Sprintf("%s/%s", src, loc), func(t *testing.T) {
				raw, _ := invokeCM(t, h, cognitoEvent(src, map[string]string{"given_name": "Ana", "locale": attr}))
				r := decodeCM(t, raw)
				for part, s := range map[string]string{"email": r.EmailMessage, "sms": r.SMSMessage} {
					require.Contains(t, s, "{####}", part)
					require.NotContains(t, strings.ToLower(s), "%7b", part)
					if src == CustomMessageAdminCreateUser {
						require.Contains(t, s, "{username}", part)
					}
				}
				require.NotEmpty(t, r.EmailSubject)
				require.Contains(t, r.EmailMessage, `<html lang="`+loc+`">`)
				if src == CustomMessageSignUp || src == CustomMessageResendCode {
					require.Contains(t, r.EmailMessage,
						`href="https://app.example.com/confirm?code={####}&amp;username=d3b07384-d113-4ec6-a6f2-c8b1e4a0a1b1"`)
					require.NotContains(t, r.EmailMessage, "{##Click Here##}", "the app link replaces Cognito's")
				}
			})
		}
	}
}

// The request's placeholder values are used, never built-in ones; absent
// ones are handled.
func TestCustomMessageUsesRequestPlaceholders(t *testing.T) {
	cases := map[string]struct {
		handler      CustomMessageHandler
		event        cmEvent
		want, reject []string
	}{
		"own code and link placeholders": {
			handler: CustomMessageHandler{Email: true},
			event:   cmEvent{source: CustomMessageSignUp, code: "{CODE}", link: "{##Verify##}"},
			want:    []string{"{CODE}", "{##Verify##}"},
			reject:  []string{"{####}", "{##Click Here##}", "app.example.com"},
		},
		"app URL replaces the link placeholder": {
			handler: CustomMessageHandler{Email: true, AppURL: testAppURL + "?src=mail"},
			event:   cmEvent{source: CustomMessageResendCode, code: "{C}", link: "{##Verify##}", userName: "ana lima&co"},
			want:    []string{`href="https://app.example.com/confirm?code={C}&amp;src=mail&amp;username=ana&#43;lima%26co"`},
			reject:  []string{"{##Verify##}"},
		},
		"no link placeholder, no app URL: code only": {
			handler: CustomMessageHandler{Email: true},
			event:   cmEvent{source: CustomMessageSignUp, code: "{####}"},
			want:    []string{"{####}"},
			reject:  []string{"<a ", "{##Click"},
		},
		"admin-created user with its user-name placeholder": {
			handler: CustomMessageHandler{Email: true},
			event:   cmEvent{source: CustomMessageAdminCreateUser, code: "{P}", username: "{U}", userName: "ana"},
			want:    []string{"{P}", "{U}"},
			reject:  []string{">ana<"},
		},
		"admin-created user without a user-name placeholder: the user name": {
			handler: CustomMessageHandler{Email: true},
			event:   cmEvent{source: CustomMessageAdminCreateUser, code: "{P}", userName: "ana"},
			want:    []string{"{P}", "<strong>ana</strong>"},
			reject:  []string{"{username}"},
		},
		"placeholder with markup is not trusted": {
			handler: CustomMessageHandler{Email: true},
			event:   cmEvent{source: CustomMessageSignUp, code: "{####}", link: `<a href="x">`},
			want:    []string{"{####}"},
			reject:  []string{`<a href="x">`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			raw, _ := invokeCM(t, &tc.handler, tc.event)
			r := decodeCM(t, raw)
			all := r.EmailMessage + "\n" + r.SMSMessage + "\n" + r.EmailSubject
			for _, w := range tc.want {
				require.Contains(t, r.EmailMessage, w)
			}
			require.Contains(t, r.SMSMessage, fmt.Sprint(tc.event.code))
			for _, x := range tc.reject {
				require.NotContains(t, all, x)
			}
		})
	}
}

// Without a usable code placeholder the trigger answers {} and Cognito sends
// its default message, rather than one it would reject.
func TestCustomMessageWithoutCodeParameter(t *testing.T) {
	for name, code := range map[string]any{"null": nil, "empty": "", "markup": "<b>{####}</b>", "too long": strings.Repeat("#", 41)} {
		t.Run(name, func(t *testing.T) {
			raw, logs := invokeCM(t, &CustomMessageHandler{Email: true}, cmEvent{source: CustomMessageSignUp, code: code})
			require.JSONEq(t, `{}`, string(raw))
			require.Contains(t, logs, `"message":"cognito-default"`)
		})
	}
}

// Names with markup, line breaks or bidi controls render inert in every part.
func TestCustomMessageHostileNames(t *testing.T) {
	names := map[string]string{
		"script":    "<script>alert(1)</script>",
		"attribute": `"><img src=x onerror=alert(1)>`,
		"crlf":      "Ana\r\nBcc: evil@example.com\r\n",
		"bidi":      "Ana\u202egnp.exe\u2066x\u2069\u200f",
		"nul":       "Ana\x00\x1b[31m",
		"long":      strings.Repeat("A", 5000),
	}
	h := &CustomMessageHandler{Messages: testTemplates(t), Brand: "Acme", AppURL: testAppURL, Email: true}
	for nameCase, name := range names {
		for _, src := range Sources[CustomMessage] {
			t.Run(nameCase+"/"+string(src), func(t *testing.T) {
				attrs := map[string]string{"given_name": name, "family_name": name, "name": name, "email": name + "@example.com"}
				e := cognitoEvent(src, attrs)
				e.userName = name
				raw, logs := invokeCM(t, h, e)
				r := decodeCM(t, raw)
				for part, s := range map[string]string{"email": r.EmailMessage, "subject": r.EmailSubject, "sms": r.SMSMessage} {
					require.NotContains(t, s, "<script", part)
					require.NotContains(t, s, "<img", part)
					require.NotContains(t, s, "\x00", part)
					require.NotContains(t, s, "\x1b", part)
					require.NotRegexp(t, "[\u202a-\u202e\u2066-\u2069\u200e\u200f]", s, part)
				}
				require.Contains(t, r.EmailMessage, "{####}")
				require.Contains(t, r.SMSMessage, "{####}")
				require.NotContains(t, r.EmailSubject, "\n")
				require.NotContains(t, r.EmailSubject, "\r")
				require.NotContains(t, r.EmailMessage, "Bcc: evil@example.com\r")
				require.LessOrEqual(t, utf8.RuneCountInString(r.SMSMessage), messages.MaxSMSLength)
				require.LessOrEqual(t, utf8.RuneCountInString(r.EmailMessage), messages.MaxEmailLength)
				if nameCase == "script" && src == CustomMessageSignUp {
					require.Contains(t, r.EmailMessage, "&lt;script&gt;alert(1)&lt;/script&gt;")
				}
				require.NotContains(t, logs, "\\u003cscript", "user data stays out of the log")
			})
		}
	}
}

// With Cognito's default email account only smsMessage is returned: Cognito
// rejects email fields then.
func TestCustomMessageEmailSending(t *testing.T) {
	cases := map[string]struct {
		email bool
		keys  []string
	}{
		"COGNITO_DEFAULT": {email: false, keys: []string{"smsMessage"}},
		"DEVELOPER":       {email: true, keys: []string{"emailMessage", "emailSubject", "smsMessage"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			raw, _ := invokeCM(t, &CustomMessageHandler{Email: tc.email, Brand: "Acme"}, cognitoEvent(CustomMessageForgotPassword, nil))
			var got map[string]string
			require.NoError(t, json.Unmarshal(raw, &got))
			require.ElementsMatch(t, tc.keys, keys(got))
			require.Equal(t, "Acme: your password reset code is {####}. Didn't ask? Ignore this.", got["smsMessage"])
		})
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// The locale attribute wins, then clientMetadata.locale, then English.
func TestCustomMessageLocale(t *testing.T) {
	m := testTemplates(t)
	cases := map[string]struct {
		attr, metadata, want string
	}{
		"attribute":                   {attr: "de", want: "de"},
		"attribute with region":       {attr: "de-AT", want: "de"},
		"underscore form":             {attr: "es_MX", want: "es"},
		"Latin American Spanish":      {attr: "es-419", want: "es"},
		"Brazilian Portuguese":        {attr: "pt-BR", want: "pt"},
		"unsupported language":        {attr: "ja-JP", want: "en"},
		"metadata when no attribute":  {metadata: "fr-CA", want: "fr"},
		"attribute before metadata":   {attr: "fr", metadata: "de", want: "fr"},
		"garbage attribute, metadata": {attr: "!!not a locale", metadata: "de", want: "de"},
		"nothing":                     {want: "en"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, m.Match(tc.attr, tc.metadata))
			e := cognitoEvent(CustomMessageSignUp, map[string]string{"locale": tc.attr})
			if tc.metadata != "" {
				e.metadata = map[string]string{"locale": tc.metadata}
			}
			_, logs := invokeCM(t, &CustomMessageHandler{Messages: m}, e)
			require.Contains(t, logs, `"locale":"`+tc.want+`"`)
		})
	}
}

// The embedded subjects are translated: no locale shares a subject with English.
func TestCustomMessageSubjectsTranslated(t *testing.T) {
	m := testTemplates(t)
	h := &CustomMessageHandler{Messages: m, Brand: "Acme", Email: true}
	for _, src := range Sources[CustomMessage] {
		en := decodeCM(t, first(invokeCM(t, h, cognitoEvent(src, map[string]string{"locale": "en"})))).EmailSubject
		for _, loc := range m.Locales()[1:] {
			got := decodeCM(t, first(invokeCM(t, h, cognitoEvent(src, map[string]string{"locale": loc})))).EmailSubject
			require.NotEqual(t, en, got, "%s %s", src, loc)
		}
	}
}

func first(raw json.RawMessage, _ string) json.RawMessage { return raw }

// A template that passes the load-time check but breaks a limit with a real
// user's data falls back to the minimal message and logs why.
func TestCustomMessageFallbackAtRenderTime(t *testing.T) {
	override := fstest.MapFS{
		"en/subjects.txt": {Data: []byte(strings.Replace(embedded(t, "en/subjects.txt"),
			"Confirm your email address for {{.Brand}}", "{{.Name}}, confirm {{.Email}} for {{.Brand}}", 1))},
		"en/email.html": {Data: []byte(strings.Replace(embedded(t, "en/email.html"),
			"<p>Thanks for signing up", "{{range $i := .Repeat}}<p>{{$.Name}}</p>{{end}}<p>Thanks for signing up", 1))},
		"en/sms.txt": {Data: []byte(strings.Replace(embedded(t, "en/sms.txt"),
			"your confirmation code is {{.Code}}", "{{.Name}}, your confirmation code is {{.Code}}", 1))},
	}
	// .Repeat does not exist: the email template must fail to load.
	_, err := messages.Load(override)
	require.ErrorContains(t, err, "can't evaluate field Repeat")

	override["en/email.html"] = &fstest.MapFile{Data: []byte(strings.Replace(embedded(t, "en/email.html"),
		"<p>Thanks for signing up", strings.Repeat("<p>{{.Name}} {{.Name}} {{.Name}} {{.Name}}</p>", 50)+"<p>Thanks for signing up", 1))}
	m, err := messages.Load(override)
	require.NoError(t, err, "fine with the sample user")

	long := strings.Repeat("W", 200)
	h := &CustomMessageHandler{Messages: m, Brand: "Acme", Email: true}
	raw, logs := invokeCM(t, h, cognitoEvent(CustomMessageSignUp, map[string]string{"name": long, "email": long + "@example.com"}))
	r := decodeCM(t, raw)
	require.Equal(t, "Your verification code", r.EmailSubject)
	require.Equal(t, "Your code: {####}", r.SMSMessage)
	require.Equal(t, "<p>Your code: {####}</p>", r.EmailMessage)
	require.Contains(t, logs, `"fallback":[`)
	require.Contains(t, logs, "SignUp email: 2")
	require.Contains(t, logs, "characters, want 6 to 20000")
	require.Contains(t, logs, "SignUp subject:")
	require.Contains(t, logs, "SignUp sms:")
	require.NotContains(t, logs, long)

	// an ordinary user still gets the full message
	raw, logs = invokeCM(t, h, cognitoEvent(CustomMessageSignUp, map[string]string{"name": "Ana"}))
	require.Contains(t, decodeCM(t, raw).EmailSubject, "Ana, confirm")
	require.NotContains(t, logs, "fallback")
}

func BenchmarkCustomMessage(b *testing.B) {
	h := &CustomMessageHandler{Messages: testTemplates(b), Brand: "Acme", AppURL: testAppURL, Email: true}
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(bytesDiscard{}, nil))))
	r.HandleCustomMessage(h.Handle)
	payload := cognitoEvent(CustomMessageSignUp, map[string]string{"given_name": "Ana", "locale": "de"}).payload(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Invoke(context.Background(), payload); err != nil {
			b.Fatal(err)
		}
	}
}

// The first invocation of a fresh function: parse the embedded templates, then render.
func BenchmarkCustomMessageFirstInvocation(b *testing.B) {
	payload := cognitoEvent(CustomMessageSignUp, map[string]string{"given_name": "Ana", "locale": "de"}).payload(b)
	for b.Loop() {
		m, err := messages.Parse(nil)
		if err != nil {
			b.Fatal(err)
		}
		r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(bytesDiscard{}, nil))))
		r.HandleCustomMessage((&CustomMessageHandler{Messages: m, Email: true}).Handle)
		if _, err := r.Invoke(context.Background(), payload); err != nil {
			b.Fatal(err)
		}
	}
}

// Whatever the user's attributes, every part keeps the placeholders, stays
// within Cognito's limits and carries no markup from the user.
func FuzzCustomMessage(f *testing.F) {
	f.Add("<script>alert(1)</script>", "Ana\r\nBcc: x", "de", "ana")
	f.Add("\u202egnp.exe", "", "fr-CA", "{####}")
	f.Add(strings.Repeat("é", 300), "\x00", "es_MX", "a&b=c")
	h := &CustomMessageHandler{Messages: testTemplates(f), Brand: "Acme", AppURL: testAppURL, Email: true}
	f.Fuzz(func(t *testing.T, given, family, locale, userName string) {
		for _, src := range Sources[CustomMessage] {
			e := cognitoEvent(src, map[string]string{"given_name": given, "family_name": family, "name": given + " " + family, "locale": locale})
			e.userName = userName
			if !utf8.ValidString(userName) || userName == "" {
				e.userName = "u"
			}
			raw, _ := invokeCM(t, h, e)
			r := decodeCM(t, raw)
			require.Contains(t, r.EmailMessage, "{####}")
			require.Contains(t, r.SMSMessage, "{####}")
			require.NotContains(t, r.EmailMessage, "<script")
			require.NotContains(t, r.EmailSubject+r.SMSMessage, "<")
			require.NotContains(t, r.EmailSubject, "\n")
			n := utf8.RuneCountInString
			require.True(t, n(r.EmailSubject) >= messages.MinSubjectLength && n(r.EmailSubject) <= messages.MaxSubjectLength)
			require.True(t, n(r.SMSMessage) >= messages.MinSMSLength && n(r.SMSMessage) <= messages.MaxSMSLength)
			require.True(t, n(r.EmailMessage) >= messages.MinEmailLength && n(r.EmailMessage) <= messages.MaxEmailLength)
		}
	})
}

// The SMS limit is checked on what Cognito sends: the user-name placeholder
// replaced by the event's user name and the code at its longest. A message
// that fits with the placeholders but not once they are filled falls back.
func TestCustomMessageSMSLengthAfterPlaceholders(t *testing.T) {
	h := &CustomMessageHandler{Messages: testTemplates(t), Brand: "Acme"}
	cases := map[string]struct {
		userName string
		fallback bool
	}{
		"short user name":                  {userName: "ana"},
		"fits once filled in (140)":        {userName: strings.Repeat("a", 140-len("Acme: user name , temporary password ")-messages.LongestTemporaryPassword)},
		"one character too long once sent": {userName: strings.Repeat("a", 141-len("Acme: user name , temporary password ")-messages.LongestTemporaryPassword), fallback: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := cognitoEvent(CustomMessageAdminCreateUser, map[string]string{"email": "ana@example.com"})
			e.userName = c.userName
			raw, logs := invokeCM(t, h, e)
			r := decodeCM(t, raw)
			if c.fallback {
				require.Equal(t, "User name: {username} Temporary password: {####}", r.SMSMessage)
				require.Contains(t, logs, "once Cognito fills in the code and user name")
				return
			}
			require.Equal(t, "Acme: user name {username}, temporary password {####}", r.SMSMessage)
			require.NotContains(t, logs, "fallback")
		})
	}
}

// embedded reads a file of the embedded catalog.
func embedded(tb testing.TB, p string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "messages", p))
	require.NoError(tb, err)
	return string(b)
}
