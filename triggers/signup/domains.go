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
type DomainSet map[string]struct{}

// NewDomainSet normalizes domains; it reports the first one that is not a domain.
func NewDomainSet(domains ...string) (DomainSet, error) {
	s := make(DomainSet, len(domains))
	for _, d := range domains {
		n, err := NormalizeDomain(d)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", d, err)
		}
		s[n] = struct{}{}
	}
	return s, nil
}

// Match returns the entry that matches domain (itself or a parent), or "".
func (s DomainSet) Match(domain string) string {
	for d := domain; d != ""; {
		if _, ok := s[d]; ok {
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

// Len is the number of entries.
func (s DomainSet) Len() int { return len(s) }

// ReadDomainList reads one domain a line; blank lines and lines starting
// with "#" are skipped. It reports every malformed line with its number.
func ReadDomainList(r io.Reader) (DomainSet, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parseDomainList(string(b))
}

// parseDomainList is ReadDomainList over text. Entries already in canonical
// form are stored as slices of text, without a copy.
func parseDomainList(text string) (DomainSet, error) {
	s := make(DomainSet, strings.Count(text, "\n")+1)
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
		return nil, fmt.Errorf("not domains: %s", strings.Join(bad, ", "))
	}
	return s, nil
}

//go:embed disposable_domains.txt
var disposableList string

// Disposable returns the embedded disposable-domain list (see the header of
// disposable_domains.txt for its source, version and licence), parsed once on
// first use so triggers that never check sign-ups pay nothing at cold start.
var Disposable = sync.OnceValue(func() DomainSet {
	s, err := parseDomainList(disposableList)
	if err != nil {
		panic("signup: embedded disposable list: " + err.Error()) // caught by TestEmbeddedDisposableList
	}
	return s
})
