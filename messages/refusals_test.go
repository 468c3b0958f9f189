package messages

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func testCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	m, err := Load(nil)
	require.NoError(tb, err)
	return m
}

func TestMatch(t *testing.T) {
	m := testCatalog(t)
	cases := map[string]struct {
		prefs []string
		want  string
	}{
		"none":                       {nil, "en"},
		"pt-BR attribute":            {[]string{"pt-BR"}, "pt"},
		"POSIX underscore":           {[]string{"es_MX"}, "es"},
		"region":                     {[]string{"de-AT"}, "de"},
		"Latin American Spanish":     {[]string{"es-419"}, "es"},
		"attribute before metadata":  {[]string{"de", "pt"}, "de"},
		"metadata when no attribute": {[]string{"", "fr-CA"}, "fr"},
		"garbage skipped":            {[]string{"<script>", "es"}, "es"},
		"unsupported falls back":     {[]string{"ja-JP"}, "en"},
		"unsupported, then metadata": {[]string{"ja-JP", "fr"}, "fr"},
		"accept-language list":       {[]string{"ja, pt;q=0.8"}, "pt"},
		"Galician close to Spanish":  {[]string{"gl"}, "es"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, c.want, m.Match(c.prefs...))
		})
	}
	var none *Catalog
	require.Equal(t, DefaultLocale, none.Match("de"))
}

// Match answers a preference that is exactly one of the catalog's locales
// without building the matcher; the matcher gives the same answer.
func TestMatchExactLocaleIsTheMatchersAnswer(t *testing.T) {
	def, err := Default()
	require.NoError(t, err)
	for _, m := range []*Catalog{testCatalog(t), def} {
		for _, loc := range m.Locales() {
			got, ok := m.match(loc)
			require.True(t, ok, loc)
			require.Equal(t, loc, got)
			require.Equal(t, loc, m.Match(loc))
			require.Equal(t, loc, m.Match(" "+loc+" "))
		}
	}
	require.Equal(t, "de", def.Match("de-CH"), "a preference that is not a locale goes to the matcher")
}

func TestRefusal(t *testing.T) {
	m := testCatalog(t)
	require.Equal(t, "Please fill in your last name", m.Refusal("en", CodeMissingAttribute, Args{Field: "family_name"}),
		"the field's label; no trailing period (Cognito adds one)")
	require.Equal(t, "Please fill in your details", m.Refusal("en", CodeMissingAttribute, Args{Field: "custom:x"}),
		"an attribute without a label reads the generic one")
	require.Equal(t, m.Refusal("en", CodeInvalidEmail, Args{}), m.Refusal("ja", CodeInvalidEmail, Args{}),
		"a locale the catalog lacks reads English")
	require.Contains(t, m.Refusal("de", CodeInternal, Args{Ref: "0a1b2c3d"}), "(ref 0a1b2c3d)")
	require.Equal(t, "Your request could not be completed. Please try again", m.Refusal("en", Code{"no_such_code"}, Args{}))
	var none *Catalog
	require.Equal(t, "Your request could not be completed. Please try again", none.Refusal("en", CodeEmailTaken, Args{}))

	for _, loc := range m.Locales() {
		seen := map[string]Code{}
		for _, c := range Codes {
			s := m.Refusal(loc, c, Args{Field: "given_name", Ref: "0a1b2c3d"})
			require.NotEmpty(t, s)
			require.NotContains(t, s, "{{", "%s %s", loc, c)
			require.False(t, strings.HasSuffix(s, "."), "%s %s ends without a period", loc, c)
			if other, dup := seen[s]; dup {
				t.Errorf("%s: %s and %s read the same", loc, c, other)
			}
			seen[s] = c
		}
	}
}

// An override's refusals.txt is checked like the message files.
func TestLoadOverrideRefusals(t *testing.T) {
	en := embeddedFile(t, "en/refusals.txt")
	cases := map[string]struct {
		refusals string
		want     string
	}{
		"missing code":   {strings.Replace(en, `{{define "bad_credentials"}}`, `{{define "x"}}`, 1), `no {{define "bad_credentials"}}`},
		"missing label":  {strings.Replace(en, `{{define "field email"}}`, `{{define "x"}}`, 1), `no {{define "field email"}}`},
		"no reference":   {strings.Replace(en, "(ref {{.Ref}})", "", 1), "refusal internal_error: no reference {{.Ref}}"},
		"line break":     {strings.Replace(en, "Incorrect username or password.", "Incorrect\nusername", 1), "refusal bad_credentials: contains a line break"},
		"unknown field":  {strings.Replace(en, "{{.Field}}", "{{.Label}}", 1), "can't evaluate field Label"},
		"empty":          {strings.Replace(en, "Incorrect username or password.", " ", 1), "refusal bad_credentials: refusal \"bad_credentials\" is empty"},
		"does not parse": {en + "{{define", "$POOLSIDE_TEMPLATES_DIR/de/refusals.txt"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Load(fstestFS("de/refusals.txt", tc.refusals))
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// Every locale writes every refusal in its own language: none reads as the
// English one does (a copy left untranslated would).
func TestRefusalsTranslated(t *testing.T) {
	m := testCatalog(t)
	for _, loc := range m.Locales()[1:] {
		for _, c := range Codes {
			a := Args{Field: "email", Ref: "0a1b2c3d"}
			require.NotEqual(t, m.Refusal(DefaultLocale, c, a), m.Refusal(loc, c, a), "%s %s", loc, c)
		}
	}
}
