package signup

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func mustSet(tb testing.TB, ds ...string) DomainSet {
	tb.Helper()
	s, err := NewDomainSet(ds...)
	require.NoError(tb, err)
	return s
}

func TestPolicyCheck(t *testing.T) {
	base := map[string]string{"email": "ana@example.com", "given_name": "Ana", "family_name": "Lima"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == "\x00delete" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	full := Policy{
		Required:   DefaultRequired,
		Allowed:    mustSet(t, "example.com", "partner.org", "mailinator.com"),
		Denied:     mustSet(t, "blocked.example.com"),
		Disposable: mustSet(t, "mailinator.com"),
		Names:      NameRules{MinLen: 2, MaxLen: 30},
	}
	cases := map[string]struct {
		policy Policy
		attrs  map[string]string
		code   Code
		field  string
	}{
		"accept":                      {full, base, "", ""},
		"accept subdomain allowed":    {full, with("email", "ana@eu.partner.org"), "", ""},
		"accept no allow-list":        {Policy{Required: DefaultRequired}, with("email", "ana@anything.test"), "", ""},
		"accept zero policy":          {Policy{}, map[string]string{}, "", ""},
		"accept absent optional name": {full, with("family_name", "\x00delete"), CodeMissingAttribute, "family_name"},
		"missing email":               {full, with("email", "\x00delete"), CodeMissingAttribute, "email"},
		"blank given_name":            {full, with("given_name", "   "), CodeMissingAttribute, "given_name"},
		"bad email":                   {full, with("email", "Ana <ana@example.com>"), CodeInvalidEmail, "email"},
		"denied subdomain":            {full, with("email", "x@blocked.example.com"), CodeDomainNotAllowed, "email"},
		"denied deeper subdomain":     {full, with("email", "x@a.blocked.example.com"), CodeDomainNotAllowed, "email"},
		"not in allow-list":           {full, with("email", "x@gmail.com"), CodeDomainNotAllowed, "email"},
		"allow-list lookalike":        {full, with("email", "x@notexample.com"), CodeDomainNotAllowed, "email"},
		"disposable even if allowed":  {full, with("email", "x@mailinator.com"), CodeDisposableEmail, "email"},
		"disposable subdomain":        {Policy{Disposable: mustSet(t, "mailinator.com")}, with("email", "x@a.mailinator.com"), CodeDisposableEmail, "email"},
		"name too short":              {full, with("given_name", "A"), CodeInvalidName, "given_name"},
		"hostile family_name":         {full, with("family_name", "<b>Lima</b>"), CodeInvalidName, "family_name"},
		"hostile optional nickname":   {full, with("nickname", "visit https://x.test"), CodeInvalidName, "nickname"},
		"bidi in name attribute":      {full, with("name", "Ana\u202eLima"), CodeInvalidName, "name"},
		"custom attributes unchecked": {full, with("custom:bio", "<b>hi</b> https://x.test"), "", ""},
	}
	cases["accept absent optional name"] = struct {
		policy Policy
		attrs  map[string]string
		code   Code
		field  string
	}{Policy{Required: []string{"email"}}, with("family_name", "\x00delete"), "", ""}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			v := c.policy.Check(c.attrs)
			if c.code == "" {
				require.Nil(t, v)
				return
			}
			require.NotNil(t, v)
			require.Equal(t, c.code, v.Code, v.Reason)
			require.Equal(t, c.field, v.Field)
			require.NotEmpty(t, v.Reason)
		})
	}
}

func TestCheckStructure(t *testing.T) {
	cases := map[string]struct {
		attrs map[string]string
		code  Code
	}{
		"admin may use any domain and name": {map[string]string{"email": "ops@mailinator.com", "given_name": "X1"}, ""},
		"no email":                          {map[string]string{"phone_number": "+5511999999999"}, ""},
		"bad email":                         {map[string]string{"email": "not-an-email"}, CodeInvalidEmail},
		"control character":                 {map[string]string{"email": "a@example.com", "given_name": "A\u202eB"}, CodeInvalidRequest},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			v := CheckStructure(c.attrs)
			if c.code == "" {
				require.Nil(t, v)
				return
			}
			require.NotNil(t, v)
			require.Equal(t, c.code, v.Code)
		})
	}
}

func TestLanguage(t *testing.T) {
	cases := map[string]struct {
		prefs []string
		want  language.Tag
	}{
		"none":                       {nil, language.English},
		"pt-BR attribute":            {[]string{"pt-BR"}, language.Portuguese},
		"POSIX underscore":           {[]string{"es_MX"}, language.Spanish},
		"attribute before metadata":  {[]string{"de", "pt"}, language.German},
		"metadata when no attribute": {[]string{"", "fr-CA"}, language.French},
		"garbage skipped":            {[]string{"<script>", "es"}, language.Spanish},
		"unsupported falls back":     {[]string{"ja-JP"}, language.English},
		"accept-language list":       {[]string{"ja, pt;q=0.8"}, language.Portuguese},
		"Galician close to Spanish":  {[]string{"gl"}, language.Spanish},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, c.want, Language(c.prefs...))
		})
	}
}

func TestMessages(t *testing.T) {
	codes := []Code{CodeMissingAttribute, CodeInvalidEmail, CodeDomainNotAllowed, CodeDisposableEmail, CodeInvalidName, CodeEmailTaken, CodeInvalidRequest}
	for _, code := range codes {
		seen := map[string]bool{}
		for _, lang := range Languages {
			m := Message(code, "given_name", lang)
			require.NotEmpty(t, m)
			require.NotContains(t, m, "%", "no unfilled verb")
			require.False(t, seen[m], "%s: %s has its own text", code, lang)
			seen[m] = true
		}
	}
	require.Equal(t, "Preencha o campo sobrenome.", Message(CodeMissingAttribute, "family_name", language.Portuguese))
	require.Contains(t, Message(CodeMissingAttribute, "custom:x", language.English), "details")
	require.Equal(t, Message(CodeInvalidEmail, "", language.English), Message(CodeInvalidEmail, "", language.Japanese))
}
