package messages

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Match picks the locale for a user from preferences, most preferred first
// (triggers passes the user's locale attribute, then clientMetadata.locale).
// A preference may be BCP 47 ("pt-BR"), POSIX-like ("pt_BR") or an
// Accept-Language list; unparsable or empty ones are skipped. The first
// preference that matches a locale of the catalog wins; DefaultLocale when
// none does, and for a nil catalog.
func (m *Catalog) Match(prefs ...string) string {
	if m == nil || m.matcher == nil {
		return DefaultLocale
	}
	for _, p := range prefs {
		p = strings.TrimSpace(strings.ReplaceAll(p, "_", "-"))
		if p == "" {
			continue
		}
		if slices.Contains(m.locales, p) { // the matcher's answer too (TestMatchExactLocaleIsTheMatchersAnswer)
			return p
		}
		if loc, ok := m.match(p); ok {
			return loc
		}
	}
	return DefaultLocale
}

// match is the matcher's choice for one preference.
func (m *Catalog) match(p string) (string, bool) {
	tags, _, err := language.ParseAcceptLanguage(p)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	if _, i, conf := m.matcher().Match(tags...); conf != language.No {
		return m.locales[i], true
	}
	return "", false
}
