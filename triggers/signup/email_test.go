package signup

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseEmail(t *testing.T) {
	accept := map[string]struct {
		in   string
		want string
	}{
		"plain":              {"ana@example.com", "ana@example.com"},
		"domain lower-cased": {"Ana.Lima@Example.COM", "Ana.Lima@example.com"},
		"plus and dots":      {"ana.lima+news@mail.example.co.uk", "ana.lima+news@mail.example.co.uk"},
		"IDN domain":         {"jose@bücher.de", "jose@xn--bcher-kva.de"},
		"IDN uppercase maps": {"jose@BÜCHER.de", "jose@xn--bcher-kva.de"},
		"punycode domain":    {"jose@xn--bcher-kva.de", "jose@xn--bcher-kva.de"},
		"UTF-8 local part":   {"joão@example.com", "joão@example.com"},
		"max local part":     {strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
		"hyphenated domain":  {"x@my-company.example", "x@my-company.example"},
	}
	for name, c := range accept {
		t.Run("accept/"+name, func(t *testing.T) {
			e, err := ParseEmail(c.in)
			require.NoError(t, err)
			require.Equal(t, c.want, e.String())
		})
	}
	refuse := map[string]struct {
		in   string
		want error
	}{
		"empty":                {"", ErrEmailSyntax},
		"no at":                {"ana.example.com", ErrEmailSyntax},
		"two ats":              {"ana@lima@example.com", ErrEmailSyntax},
		"leading space":        {" ana@example.com", ErrEmailSyntax},
		"trailing newline":     {"ana@example.com\n", ErrEmailSyntax},
		"CRLF header smuggle":  {"ana@example.com\r\nBcc: x@y.com", ErrEmailSyntax},
		"bidi override":        {"ana\u202e@example.com", ErrEmailSyntax},
		"zero width":           {"ana\u200b@example.com", ErrEmailSyntax},
		"NUL":                  {"ana\x00@example.com", ErrEmailSyntax},
		"invalid UTF-8":        {"ana\xff@example.com", ErrEmailSyntax},
		"display name":         {"Ana <ana@example.com>", ErrEmailDisplayName},
		"angle brackets":       {"<ana@example.com>", ErrEmailDisplayName},
		"comment":              {"ana@example.com (Ana)", ErrEmailDisplayName},
		"comment in local":     {"ana(x)@example.com", ErrEmailDisplayName},
		"quoted local":         {`"ana lima"@example.com`, ErrEmailQuoted},
		"quoted simple":        {`"ana"@example.com`, ErrEmailQuoted},
		"backslash":            {`ana\@x@example.com`, ErrEmailQuoted},
		"IPv4 literal":         {"ana@[192.168.0.1]", ErrEmailIPLiteral},
		"IPv6 literal":         {"ana@[IPv6:::1]", ErrEmailIPLiteral},
		"IP address domain":    {"ana@192.168.0.1", ErrEmailIPLiteral},
		"single label":         {"ana@localhost", ErrEmailDomain},
		"numeric TLD":          {"ana@example.123", ErrEmailDomain},
		"underscore domain":    {"ana@ex_ample.com", ErrEmailDomain},
		"leading hyphen label": {"ana@-example.com", ErrEmailDomain},
		"empty label":          {"ana@example..com", ErrEmailSyntax},
		"local too long":       {strings.Repeat("a", 65) + "@example.com", ErrEmailTooLong},
		"address too long":     {strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 3) + "com", ErrEmailTooLong},
		"space in local":       {"ana lima@example.com", ErrEmailSyntax},
		"comma list":           {"ana@example.com,bob@example.com", ErrEmailSyntax},
	}
	for name, c := range refuse {
		t.Run("refuse/"+name, func(t *testing.T) {
			_, err := ParseEmail(c.in)
			require.ErrorIs(t, err, c.want)
		})
	}
}

func TestDomainSet(t *testing.T) {
	s, err := NewDomainSet("example.com", "@Partner.ORG", "*.bücher.de")
	require.NoError(t, err)
	cases := map[string]string{
		"example.com":           "example.com",
		"mail.example.com":      "example.com",
		"a.b.example.com":       "example.com",
		"badexample.com":        "",
		"example.com.evil.test": "",
		"partner.org":           "partner.org",
		"xn--bcher-kva.de":      "xn--bcher-kva.de",
		"shop.xn--bcher-kva.de": "xn--bcher-kva.de",
		"com":                   "",
	}
	for domain, want := range cases {
		require.Equal(t, want, s.Match(domain), domain)
	}
	_, err = NewDomainSet("not a domain")
	require.Error(t, err)
	var empty DomainSet
	require.Empty(t, empty.Match("example.com"), "the zero set matches nothing")
}

func TestReadDomainList(t *testing.T) {
	s, err := ReadDomainList(strings.NewReader("# comment\n\nMailinator.com\n  trash.example \n"))
	require.NoError(t, err)
	require.Equal(t, 2, s.Len())
	require.Equal(t, "mailinator.com", s.Match("x.mailinator.com"))

	_, err = ReadDomainList(strings.NewReader("ok.example\nnot a domain\nlocalhost\n"))
	require.ErrorContains(t, err, `line 2 "not a domain", line 3 "localhost"`)
}

func TestEmbeddedDisposableList(t *testing.T) {
	s := Disposable()
	require.Greater(t, s.Len(), 5000)
	for _, d := range []string{"mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com"} {
		require.NotEmpty(t, s.Match(d), d)
	}
	for _, d := range []string{"gmail.com", "example.com", "outlook.com", "notmailinator.example"} {
		require.Empty(t, s.Match(d), d)
	}
	require.True(t, strings.Contains(disposableList[:600], "CC0-1.0"), "the header names the licence")

	// Disposable bisects the file's body in place: every line must be
	// canonical, and the lines strictly in byte order (no duplicates).
	body := s.sorted
	require.NotEmpty(t, body)
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	require.Equal(t, len(lines), s.Len())
	for i, line := range lines {
		n, err := NormalizeDomain(line)
		require.NoError(t, err, "line %q", line)
		require.Equal(t, n, line, "not canonical: refresh the file as its header says")
		if i > 0 {
			require.Less(t, lines[i-1], line, "out of byte order or duplicated")
		}
	}
	// and the bisection finds exactly what the parsed list holds
	parsed, err := ReadDomainList(strings.NewReader(disposableList))
	require.NoError(t, err)
	require.Equal(t, parsed.Len(), s.Len())
	for _, line := range lines {
		require.True(t, s.contains(line), line)
		require.False(t, s.contains(line+"x"), line+"x")
		require.False(t, s.contains("0"+line), "0"+line)
	}
}

// sortedLinesContain finds every line of a sorted text and nothing else,
// including at the ends and in texts of one or two lines.
func TestSortedLinesContain(t *testing.T) {
	for _, text := range []string{"", "b", "b\n", "a\nc", "a\nc\n", "a\nb\nc\nd\ne\nf\ng", "aa\nab\nb\nba\nbb\n"} {
		lines := strings.Fields(text)
		for _, probe := range []string{"", "a", "aa", "ab", "b", "ba", "bb", "c", "d", "g", "h", "0", "zz"} {
			require.Equal(t, slices.Contains(lines, probe), sortedLinesContain(text, probe), "%q in %q", probe, text)
		}
	}
}

func BenchmarkPolicyCheck(b *testing.B) {
	p := Policy{Required: DefaultRequired, Disposable: Disposable()}
	attrs := map[string]string{"email": "ana.lima@mail.example.com", "given_name": "Ana", "family_name": "Lima de Souza"}
	b.ReportAllocs()
	for b.Loop() {
		if v := p.Check(attrs); v != nil {
			b.Fatal(v)
		}
	}
}

func BenchmarkDisposableParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDomainList(strings.NewReader(disposableList)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCanonicalASCIIAgreesWithIDNA: the fast path returns exactly what the
// IDNA profile returns, for every line of the embedded list and for the
// shapes it must leave to IDNA.
func TestCanonicalASCIIAgreesWithIDNA(t *testing.T) {
	slow := func(d string) (string, error) {
		ascii, err := idnaProfile.ToASCII(d)
		if err != nil || !strings.Contains(ascii, ".") {
			return "", ErrEmailDomain
		}
		return strings.ToLower(strings.TrimSuffix(ascii, ".")), nil
	}
	lines := []string{"a.b", "xn--bcher-kva.de", "xn--zz.com", "ab--c.com", "-a.com", "a-.com", "a..com", ".a.com", "a.com.",
		"A.com", "bücher.de", "com", strings.Repeat("a", 63) + ".com", strings.Repeat("a", 64) + ".com",
		strings.Repeat("abcdefghi.", 25) + "com", "under_score.com", "1.2.3.4"}
	for line := range strings.SplitSeq(disposableList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	fast := 0
	for _, d := range lines {
		want, wantErr := slow(d)
		got, gotErr := NormalizeDomain(d)
		require.Equal(t, wantErr, gotErr, d)
		require.Equal(t, want, got, d)
		if canonicalASCII(d) {
			fast++
			require.Equal(t, d, want, "fast path must be the identity of IDNA: %s", d)
		}
	}
	require.Greater(t, fast, len(lines)/2, "the embedded list takes the fast path")
}
