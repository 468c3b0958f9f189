package messages

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// A template override is checked at load time; every problem is reported
// with its file.
func TestLoadOverride(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		want  []string // substrings of problems; none: loads
	}{
		"parse error": {
			files: map[string]string{"en/subjects.txt": `{{define "SignUp"}}Hi {{.Brand}{{end}}`},
			want:  []string{"$POOLSIDE_TEMPLATES_DIR/en/subjects.txt"},
		},
		"missing source": {
			files: map[string]string{"de/sms.txt": `{{define "SignUp"}}{{.Code}} code{{end}}`},
			want:  []string{`de/sms.txt: no {{define "ResendCode"}}`},
		},
		"missing code placeholder": {
			files: map[string]string{"fr/sms.txt": strings.Replace(embeddedFile(t, "fr/sms.txt"), "{{.Code}}", "", 1)},
			want:  []string{"fr: SignUp sms: no code placeholder"},
		},
		"missing user-name placeholder": {
			files: map[string]string{"es/email.html": strings.Replace(embeddedFile(t, "es/email.html"), "{{.Username}}", "", 1)},
			want:  []string{"es: AdminCreateUser email: no user-name placeholder"},
		},
		"subject over 140": {
			files: map[string]string{"en/subjects.txt": strings.Replace(embeddedFile(t, "en/subjects.txt"),
				"Your {{.Brand}} sign-in code", strings.Repeat("x", 141), 1)},
			want: []string{"en: Authentication subject: 141 characters, want 1 to 140"},
		},
		"subject with a line break": {
			files: map[string]string{"en/subjects.txt": strings.Replace(embeddedFile(t, "en/subjects.txt"),
				"Your {{.Brand}} sign-in code", "Your\ncode", 1)},
			want: []string{"en: Authentication subject: contains a line break"},
		},
		"unknown field": {
			files: map[string]string{"en/sms.txt": strings.Replace(embeddedFile(t, "en/sms.txt"), "{{.Brand}}:", "{{.Product}}:", 1)},
			want:  []string{"en: SignUp sms:", "can't evaluate field Product"},
		},
		"stray files": {
			files: map[string]string{"en/email.htm": "x", "english/sms.txt": "x", "notes.txt": "x"},
			want:  []string{"en/email.htm: unknown file", "english/: not a BCP 47 locale", "notes.txt: unknown file"},
		},
		"every problem at once": {
			files: map[string]string{
				"en/subjects.txt": `{{define "SignUp"}}{{end`,
				"de/sms.txt":      `{{define "SignUp"}}x{{end}}`,
			},
			want: []string{"en/subjects.txt", "de/sms.txt"},
		},
		"a new locale and a new layout": {
			files: map[string]string{
				"it/sms.txt":  strings.ReplaceAll(embeddedFile(t, "en/sms.txt"), "your", "il tuo"),
				"layout.html": strings.Replace(embeddedFile(t, "layout.html"), "#0b6bcb", "#ff0000", 1),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			override := fstest.MapFS{}
			for p, s := range tc.files {
				override[p] = &fstest.MapFile{Data: []byte(s)}
			}
			m, err := Load(override)
			if len(tc.want) == 0 {
				require.NoError(t, err)
				require.ElementsMatch(t, append(EmbeddedLocales(), "it"), m.Locales())
				require.Equal(t, "it", m.Match("it-CH"))
				return
			}
			require.Error(t, err)
			require.IsType(t, Problems{}, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func embeddedFile(tb testing.TB, p string) string {
	tb.Helper()
	b, err := embedded.ReadFile(p)
	require.NoError(tb, err)
	return string(b)
}

// The fallback messages satisfy every rule.
func TestCustomMessageFallbacksAreValid(t *testing.T) {
	ph := Placeholders{Code: strings.Repeat("#", maxPlaceholder), Username: strings.Repeat("u", maxPlaceholder)}
	for _, kind := range Kinds {
		require.Empty(t, checkMessage("email", nil, fallbackEmail(kind, ph), MinEmailLength, MaxEmailLength, kind, ph), kind)
		require.Empty(t, checkMessage("sms", nil, fallbackSMS(kind, ph), MinSMSLength, MaxSMSLength, kind, ph), kind)
		require.Empty(t, checkSubject(nil, fallbackSubject(kind)), kind)
	}
}

func TestCleanText(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"plain":          {"Ana Lima", "Ana Lima"},
		"line breaks":    {"Ana\r\nLima\n", "Ana Lima"},
		"bidi":           {"a\u202eb\u2066c\u2069\u200e", "abc"},
		"zero width":     {"a\u200bb\ufeff", "ab"},
		"controls":       {"a\x00\x07\x1b[1mb", "a[1mb"},
		"spaces":         {"  a \t  b  ", "a b"},
		"invalid utf-8":  {"a\xffb", "ab"},
		"cut at max":     {strings.Repeat("é", 70), strings.Repeat("é", 64)},
		"separator":      {"a\u2028b", "a b"},
		"private use":    {"a\ue000b", "ab"},
		"markup is kept": {"<b>", "<b>"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, cleanText(tc.in, 64))
		})
	}
}

// The embedded catalog passes the check Load runs on overrides (Default
// skips it at run time), and every locale has every text in its own folder:
// nothing falls back to English.
func TestEveryLocaleHasEveryText(t *testing.T) {
	m, err := Load(nil)
	require.NoError(t, err)
	require.Equal(t, EmbeddedLocales(), m.Locales())
	require.Equal(t, DefaultLocale, m.Locales()[0])
	d, err := Default()
	require.NoError(t, err)
	require.Equal(t, m.Locales(), d.Locales())
	for _, loc := range m.Locales() {
		for _, f := range localeFiles {
			_, err := fs.Stat(embedded, path.Join(loc, f))
			require.NoError(t, err, "%s has its own %s", loc, f)
		}
	}
}

// TestDefaultIsTheEmbeddedCatalog: Default parses each locale on first use
// and then answers exactly as the catalog parsed at once: every kind and
// refusal of every locale (and an unknown locale, which falls back).
func TestDefaultIsTheEmbeddedCatalog(t *testing.T) {
	eager, err := Parse(nil)
	require.NoError(t, err)
	lazy, err := lazyEmbedded()
	require.NoError(t, err)
	d := Data{Brand: "Acme", UserName: "ana", GivenName: "Ana", FamilyName: "Lima", Email: "ana@example.com", ConfirmURL: "https://app.example/c"}
	ph := Placeholders{Code: "{####}", Username: "{username}"}
	for _, loc := range append(eager.Locales(), "xx") {
		for _, kind := range Kinds {
			want, wantProblems := eager.Render(kind, loc, d, ph)
			got, gotProblems := lazy.Render(kind, loc, d, ph)
			require.Equal(t, wantProblems, gotProblems, "%s %s", loc, kind)
			require.Equal(t, want, got, "%s %s", loc, kind)
		}
		for _, code := range Codes {
			require.Equal(t, eager.Refusal(loc, code, Args{Field: "email", Ref: "0a1b2c3d"}),
				lazy.Refusal(loc, code, Args{Field: "email", Ref: "0a1b2c3d"}), "%s %s", loc, code)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// fstestFS is an override holding one file.
func fstestFS(name, text string) fstest.MapFS {
	return fstest.MapFS{name: {Data: []byte(text)}}
}
