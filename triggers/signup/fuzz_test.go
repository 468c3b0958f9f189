package signup

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzParseEmail: never panics; an accepted address has a lower-case ASCII
// domain, no character a header or filter could be smuggled through, and
// parses again to itself.
func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"ana@example.com", "jose@bücher.de", `"a b"@x.com`, "a@[1.2.3.4]", "Ana <a@x.com>", "a@x.com\r\nBcc: y", "a\u202e@x.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := ParseEmail(raw)
		if err != nil {
			return
		}
		if strings.ContainsAny(e.String(), "\"\\<>()[] \r\n\t,;") || hasControl(e.String()) {
			t.Fatalf("accepted %q", raw)
		}
		for _, r := range e.Domain {
			if r > unicode.MaxASCII || unicode.IsUpper(r) {
				t.Fatalf("domain %q of %q is not lower-case ASCII", e.Domain, raw)
			}
		}
		again, err := ParseEmail(e.String())
		if err != nil || again != e {
			t.Fatalf("%q → %q does not parse to itself: %v", raw, e, err)
		}
	})
}

// FuzzNameRules: never panics; an accepted name holds only letters, marks
// and single separators, so no markup, URL, control or bidi character.
func FuzzNameRules(f *testing.F) {
	for _, s := range []string{"Ana", "O'Brien", "Nguyễn", "<b>x</b>", "Ana\u202e", "https://x.y", "A\u0336\u0336\u0336\u0336\u0336"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if DefaultNameRules.Check(name) != nil {
			return
		}
		for _, r := range name {
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && !isSeparator(r) {
				t.Fatalf("accepted %q with %U", name, r)
			}
		}
	})
}
