package signup

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

// DomainSet matches a domain exactly and by subdomain: an entry
// "example.com" matches "example.com" and "mail.example.com", never
// "badexample.com". Entries are in the ASCII form NormalizeDomain returns.
// The zero value matches nothing.
type DomainSet struct {
	set map[string]struct{}
	// sorted is the embedded list's body: canonical entries one a line in
	// byte order (TestEmbeddedDisposableList holds it), searched by
	// bisection in place, so the first sign-up pays no parse (it was 7 M of
	// the PreSignUp function's 13 M instructions to its first answer).
	sorted string
}

// NewDomainSet normalizes domains; it reports the first one that is not a domain.
func NewDomainSet(domains ...string) (DomainSet, error) {
	s := make(map[string]struct{}, len(domains))
	for _, d := range domains {
		n, err := NormalizeDomain(d)
		if err != nil {
			return DomainSet{}, fmt.Errorf("%q: %w", d, err)
		}
		s[n] = struct{}{}
	}
	return DomainSet{set: s}, nil
}

// Match returns the entry that matches domain (itself or a parent), or "".
func (s DomainSet) Match(domain string) string {
	for d := domain; d != ""; {
		if s.contains(d) {
			return d
		}
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	return ""
}

func (s DomainSet) contains(d string) bool {
	if _, ok := s.set[d]; ok {
		return true
	}
	return sortedLinesContain(s.sorted, d)
}

// sortedLinesContain bisects text, lines in byte order, for the line d.
func sortedLinesContain(text, d string) bool {
	lo, hi := 0, len(text) // both at line starts (or the end)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(text[lo:mid], '\n') + 1
		end := strings.IndexByte(text[start:hi], '\n')
		if end < 0 {
			end = hi
		} else {
			end += start
		}
		switch line := text[start:end]; {
		case line == d:
			return true
		case line < d:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// Len is the number of entries.
func (s DomainSet) Len() int {
	n := len(s.set)
	if s.sorted != "" {
		n += strings.Count(s.sorted, "\n")
		if !strings.HasSuffix(s.sorted, "\n") {
			n++
		}
	}
	return n
}

// ReadDomainList reads one domain a line; blank lines and lines starting
// with "#" are skipped. It reports every malformed line with its number.
func ReadDomainList(r io.Reader) (DomainSet, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return DomainSet{}, err
	}
	return parseDomainList(string(b))
}

// parseDomainList is ReadDomainList over text. Entries already in canonical
// form are stored as slices of text, without a copy.
func parseDomainList(text string) (DomainSet, error) {
	s := make(map[string]struct{}, strings.Count(text, "\n")+1)
	var bad []string
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		d, err := NormalizeDomain(line)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d %q", n, line))
			continue
		}
		s[d] = struct{}{}
	}
	if len(bad) > 0 {
		return DomainSet{}, fmt.Errorf("not domains: %s", strings.Join(bad, ", "))
	}
	return DomainSet{set: s}, nil
}

//go:embed disposable_domains.txt
var disposableList string

// Disposable returns the embedded disposable-domain list (see the header of
// disposable_domains.txt for its source, version and licence). Its body is
// kept sorted and canonical (TestEmbeddedDisposableList), so it is searched
// where it lies: no parse, no map, nothing paid at cold start.
var Disposable = sync.OnceValue(func() DomainSet {
	body := disposableList
	for strings.HasPrefix(body, "#") {
		_, body, _ = strings.Cut(body, "\n")
	}
	return DomainSet{sorted: body}
})
