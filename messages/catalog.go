package messages

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	texttemplate "github.com/DataDog/datadog-agent/pkg/template/text"
	"golang.org/x/text/language"
)

// The embedded catalog: layout.html (the HTML shell every locale shares) and
// one folder per locale, named by its BCP 47 tag, holding email.html,
// subjects.txt, sms.txt (one template per Kind, named after it) and
// refusals.txt (one template per Code, and the field labels). The folders are
// the locale list: a new folder is a new locale.
//
//go:embed layout.html */*.html */*.txt
var embedded embed.FS

// DefaultLocale is the locale of every user whose locale no folder matches.
const DefaultLocale = "en"

// The files of the catalog.
const (
	layoutFile   = "layout.html"
	emailFile    = "email.html"
	subjectsFile = "subjects.txt"
	smsFile      = "sms.txt"
	refusalsFile = "refusals.txt"
)

var localeFiles = []string{emailFile, subjectsFile, smsFile, refusalsFile}

// Catalog is the parsed set of every text a user reads, per locale: one
// email, subject and SMS template per Kind, one refusal per Code. Build it
// with Load (or Default); it is safe for concurrent use.
type Catalog struct {
	locales []string // DefaultLocale first
	// matcher is built on the first preference that is not exactly one of
	// locales: an event with no locale, or with one of the catalog's, does
	// not need it, and building it is ≈ 0.15 M instructions of a cold start
	// (#17).
	matcher func() language.Matcher
	sets    map[string]*localeSet
	lazy    map[string]func() *localeSet // Default's locales, each parsed on first use
}

// set returns loc's templates, parsing them first in a lazy catalog.
func (m *Catalog) set(loc string) (*localeSet, bool) {
	if parse, ok := m.lazy[loc]; ok {
		return parse(), true
	}
	set, ok := m.sets[loc]
	return set, ok
}

// localeSet is one locale's templates.
type localeSet struct {
	email    *emailTemplate // nil in artifacts without HTML emails (email_none.go)
	subject  *texttemplate.Template
	sms      *texttemplate.Template
	refusals *texttemplate.Template
	// lazyRefusals parses refusals on first use in the embedded catalog: a
	// CustomMessage's first answer needs the messages, not the refusals.
	lazyRefusals func() *texttemplate.Template
}

// refusalTemplates returns the locale's refusals, parsing them first when lazy.
func (s *localeSet) refusalTemplates() *texttemplate.Template {
	if s.refusals == nil && s.lazyRefusals != nil {
		return s.lazyRefusals()
	}
	return s.refusals
}

// Problems lists every problem found in a catalog, each naming its file and
// kind or code.
type Problems []string

func (p Problems) Error() string { return strings.Join(p, "; ") }

// Load parses the embedded catalog, each file replaced by the same path in
// override when override (a POOLSIDE_TEMPLATES_DIR) holds it. A folder of
// override named after another BCP 47 locale ("it", "pt-BR") adds that
// locale; its missing files come from the embedded default locale. Every kind
// and refusal of every locale is then rendered with a sample user and checked
// for Cognito's placeholders and limits. The error is a Problems listing every
// problem at once, sorted.
func Load(override fs.FS) (*Catalog, error) {
	m, ps, err := parse(override)
	if err != nil {
		return nil, err
	}
	for _, loc := range m.locales { // the locales that parsed
		for _, p := range m.check(loc) {
			ps = append(ps, fmt.Sprintf("%s: %s", loc, p))
		}
	}
	if len(ps) > 0 {
		slices.Sort(ps)
		return nil, slices.Compact(ps)
	}
	return m, nil
}

// Default is the embedded catalog without the render check Load runs (a test
// runs it at build time), each locale parsed on its first use: a function's
// first message parses one locale's templates, not every locale's (cold start).
var Default = sync.OnceValues(lazyEmbedded)

func lazyEmbedded() (*Catalog, error) {
	locales, err := localesOf(nil, nil)
	if err != nil {
		return nil, err
	}
	layout, layoutName, err := readFile(nil, layoutFile, "")
	if err != nil {
		return nil, err
	}
	m := &Catalog{locales: locales, lazy: map[string]func() *localeSet{}}
	tags := make([]language.Tag, 0, len(locales))
	for _, loc := range locales {
		parse := func(files ...string) *localeSet {
			var ps Problems
			set, ok := parseLocale(nil, loc, layout, layoutName, &ps, files...)
			if !ok { // the embedded files are checked at build time (TestDefaultIsTheEmbeddedCatalog)
				panic("messages: embedded locale " + loc + ": " + ps.Error())
			}
			return set
		}
		m.lazy[loc] = sync.OnceValue(func() *localeSet {
			set := parse(emailFile, subjectsFile, smsFile)
			set.lazyRefusals = sync.OnceValue(func() *texttemplate.Template { return parse(refusalsFile).refusals })
			return set
		})
		tags = append(tags, language.MustParse(loc))
	}
	m.matcher = newMatcher(tags)
	return m, nil
}

// newMatcher returns language.NewMatcher(tags), built on first use.
func newMatcher(tags []language.Tag) func() language.Matcher {
	return sync.OnceValue(func() language.Matcher { return language.NewMatcher(tags) })
}

// Parse is Load without the render check: the files must parse and define
// every kind and code. The error is a Problems.
func Parse(override fs.FS) (*Catalog, error) {
	m, ps, err := parse(override)
	if err == nil && len(ps) > 0 {
		err = ps
	}
	return m, err
}

// parse parses the catalog without rendering it; ps lists the problems of
// the files that did not parse.
func parse(override fs.FS) (*Catalog, Problems, error) {
	var ps Problems
	locales, err := localesOf(override, &ps)
	if err != nil {
		return nil, nil, err
	}
	m := &Catalog{sets: map[string]*localeSet{}}
	layout, layoutName, err := readFile(override, layoutFile, "")
	if err != nil {
		ps = append(ps, err.Error())
	}
	var tags []language.Tag
	for _, loc := range locales {
		set, ok := parseLocale(override, loc, layout, layoutName, &ps)
		if !ok {
			continue
		}
		m.sets[loc] = set
		m.locales = append(m.locales, loc)
		tags = append(tags, language.MustParse(loc))
	}
	if len(tags) > 0 {
		m.matcher = newMatcher(tags)
	}
	return m, ps, nil
}

// Locales lists the locales the catalog answers in, DefaultLocale first.
func (m *Catalog) Locales() []string { return slices.Clone(m.locales) }

// EmbeddedLocales lists the locale folders built into the binary,
// DefaultLocale first.
func EmbeddedLocales() []string {
	locales, _ := localesOf(nil, nil)
	return locales
}

// localesOf lists the embedded locales plus any locale folder of override.
func localesOf(override fs.FS, ps *Problems) ([]string, error) {
	seen := map[string]bool{}
	entries, err := fs.ReadDir(embedded, ".")
	if err != nil {
		return nil, fmt.Errorf("embedded messages: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			seen[e.Name()] = true
		}
	}
	if override != nil {
		entries, err := fs.ReadDir(override, ".")
		if err != nil {
			return nil, fmt.Errorf("templates directory: %w", err)
		}
		for _, e := range entries {
			switch {
			case !e.IsDir() && e.Name() == layoutFile:
			case !e.IsDir():
				*ps = append(*ps, fmt.Sprintf("%s: unknown file (want %s or one folder per locale holding %s)",
					e.Name(), layoutFile, strings.Join(localeFiles, ", ")))
			case !isLocale(e.Name()):
				*ps = append(*ps, fmt.Sprintf("%s/: not a BCP 47 locale (en, de, pt-BR…)", e.Name()))
			default:
				seen[e.Name()] = true
				files, err := fs.ReadDir(override, e.Name())
				if err != nil {
					return nil, fmt.Errorf("templates directory: %w", err)
				}
				for _, f := range files {
					if f.IsDir() || !slices.Contains(localeFiles, f.Name()) {
						*ps = append(*ps, fmt.Sprintf("%s/%s: unknown file (want %s)", e.Name(), f.Name(), strings.Join(localeFiles, ", ")))
					}
				}
			}
		}
	}
	delete(seen, DefaultLocale)
	keys := make([]string, 0, len(seen))
	for l := range seen {
		keys = append(keys, l)
	}
	slices.Sort(keys)
	return append([]string{DefaultLocale}, keys...), nil
}

func isLocale(name string) bool {
	t, err := language.Parse(name)
	return err == nil && t.String() == name
}

// parseLocale parses one locale's files: only the named ones, when named.
func parseLocale(override fs.FS, loc, layout, layoutName string, ps *Problems, only ...string) (*localeSet, bool) {
	set := &localeSet{}
	ok := true
	for _, file := range localeFiles {
		if len(only) > 0 && !slices.Contains(only, file) {
			continue
		}
		text, name, err := readFile(override, path.Join(loc, file), path.Join(DefaultLocale, file))
		if err != nil {
			*ps = append(*ps, err.Error())
			ok = false
			continue
		}
		if file == emailFile {
			t, err := parseEmail(name, layoutName, layout, text)
			if err != nil {
				*ps, ok = append(*ps, err.Error()), false
				continue
			}
			set.email = t
			continue
		}
		t, err := texttemplate.New(name).Option("missingkey=error").Parse(text)
		if err != nil {
			*ps, ok = append(*ps, err.Error()), false
			continue
		}
		switch file {
		case subjectsFile:
			set.subject = t
		case smsFile:
			set.sms = t
		case refusalsFile:
			set.refusals = t
		}
	}
	// A file that did not parse is reported already; check the others.
	for _, kind := range Kinds {
		name := string(kind)
		var missing []string
		if set.email != nil && set.email.Lookup(name) == nil {
			missing = append(missing, set.email.Name())
		}
		if set.subject != nil && set.subject.Lookup(name) == nil {
			missing = append(missing, set.subject.Name())
		}
		if set.sms != nil && set.sms.Lookup(name) == nil {
			missing = append(missing, set.sms.Name())
		}
		for _, file := range missing {
			*ps, ok = append(*ps, fmt.Sprintf("%s: no {{define %q}}", file, name)), false
		}
	}
	if set.refusals != nil {
		for _, name := range refusalNames() {
			if set.refusals.Lookup(name) == nil {
				*ps, ok = append(*ps, fmt.Sprintf("%s: no {{define %q}}", set.refusals.Name(), name)), false
			}
		}
	}
	return set, ok
}

// readFile returns the override's file at p, else the embedded one at p,
// else the embedded one at fallback; name says where it came from.
func readFile(override fs.FS, p, fallback string) (text, name string, err error) {
	if override != nil {
		b, err := fs.ReadFile(override, p)
		switch {
		case err == nil:
			return string(b), "$POOLSIDE_TEMPLATES_DIR/" + p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", "", fmt.Errorf("%s: %w", p, err)
		}
	}
	for _, q := range []string{p, fallback} {
		if q == "" {
			continue
		}
		if b, err := fs.ReadFile(embedded, q); err == nil {
			return string(b), "messages/" + q, nil
		}
	}
	return "", "", fmt.Errorf("%s: no such template", p)
}

// check renders every kind and refusal of loc with a sample user and reports
// what Cognito would reject.
func (m *Catalog) check(loc string) []string {
	ph := Placeholders{Code: "{####}", Username: "{username}", Link: "{##Click Here##}"}
	var problems []string
	for _, kind := range Kinds {
		for _, appURL := range []string{"https://app.example.com/confirm", ""} {
			data := Data{
				Brand: "Example Brand", UserName: "d3b07384-d113-4ec6-a6f2-c8b1e4a0a1b1",
				GivenName: "Ana", FamilyName: "Lima", Name: "Ana Lima", Email: "ana@example.com", ConfirmURL: appURL,
			}
			_, ps := m.Render(kind, loc, data, ph)
			problems = append(problems, ps...)
		}
	}
	problems = append(problems, m.checkRefusals(loc)...)
	slices.Sort(problems)
	return slices.Compact(problems)
}
