package signup

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
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
		code   messages.Code
		field  string
	}{
		"accept":                      {full, base, none, ""},
		"accept subdomain allowed":    {full, with("email", "ana@eu.partner.org"), none, ""},
		"accept no allow-list":        {Policy{Required: DefaultRequired}, with("email", "ana@anything.test"), none, ""},
		"accept zero policy":          {Policy{}, map[string]string{}, none, ""},
		"accept absent optional name": {full, with("family_name", "\x00delete"), messages.CodeMissingAttribute, "family_name"},
		"missing email":               {full, with("email", "\x00delete"), messages.CodeMissingAttribute, "email"},
		"blank given_name":            {full, with("given_name", "   "), messages.CodeMissingAttribute, "given_name"},
		"bad email":                   {full, with("email", "Ana <ana@example.com>"), messages.CodeInvalidEmail, "email"},
		"denied subdomain":            {full, with("email", "x@blocked.example.com"), messages.CodeDomainNotAllowed, "email"},
		"denied deeper subdomain":     {full, with("email", "x@a.blocked.example.com"), messages.CodeDomainNotAllowed, "email"},
		"not in allow-list":           {full, with("email", "x@gmail.com"), messages.CodeDomainNotAllowed, "email"},
		"allow-list lookalike":        {full, with("email", "x@notexample.com"), messages.CodeDomainNotAllowed, "email"},
		"disposable even if allowed":  {full, with("email", "x@mailinator.com"), messages.CodeDisposableEmail, "email"},
		"disposable subdomain":        {Policy{Disposable: mustSet(t, "mailinator.com")}, with("email", "x@a.mailinator.com"), messages.CodeDisposableEmail, "email"},
		"name too short":              {full, with("given_name", "A"), messages.CodeInvalidName, "given_name"},
		"hostile family_name":         {full, with("family_name", "<b>Lima</b>"), messages.CodeInvalidName, "family_name"},
		"hostile optional nickname":   {full, with("nickname", "visit https://x.test"), messages.CodeInvalidName, "nickname"},
		"bidi in name attribute":      {full, with("name", "Ana\u202eLima"), messages.CodeInvalidName, "name"},
		"custom attributes unchecked": {full, with("custom:bio", "<b>hi</b> https://x.test"), none, ""},
	}
	cases["accept absent optional name"] = struct {
		policy Policy
		attrs  map[string]string
		code   messages.Code
		field  string
	}{Policy{Required: []string{"email"}}, with("family_name", "\x00delete"), none, ""}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			v := c.policy.Check(c.attrs)
			if c.code == none {
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
		code  messages.Code
	}{
		"admin may use any domain and name": {map[string]string{"email": "ops@mailinator.com", "given_name": "X1"}, none},
		"no email":                          {map[string]string{"phone_number": "+5511999999999"}, none},
		"bad email":                         {map[string]string{"email": "not-an-email"}, messages.CodeInvalidEmail},
		"control character":                 {map[string]string{"email": "a@example.com", "given_name": "A\u202eB"}, messages.CodeInvalidRequest},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			v := CheckStructure(c.attrs)
			if c.code == none {
				require.Nil(t, v)
				return
			}
			require.NotNil(t, v)
			require.Equal(t, c.code, v.Code)
		})
	}
}

// none is no violation.
var none messages.Code
