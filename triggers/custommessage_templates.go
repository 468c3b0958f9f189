package triggers

import (
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"

	"golang.org/x/text/language"
)

// The embedded templates: templates/layout.html (the HTML shell every locale
// shares) and, per locale, templates/<locale>/email.html, subjects.txt and
// sms.txt. Each file defines one template per CustomMessage source, named
// after the source without its prefix ("SignUp", "AdminCreateUser", …).
//
//go:embed templates
var embeddedTemplates embed.FS

// DefaultLocale is the locale of every user whose locale no template set matches.
const DefaultLocale = "en"

// The files of a template set.
const (
	layoutFile   = "layout.html"
	emailFile    = "email.html"
	subjectsFile = "subjects.txt"
	smsFile      = "sms.txt"
)

var localeFiles = []string{emailFile, subjectsFile, smsFile}

// MessageTemplates is the parsed, validated set of custom-message templates:
// one email, subject and SMS template per source and locale. Build it with
// LoadMessageTemplates; it is safe for concurrent use.
type MessageTemplates struct {
	locales []string // DefaultLocale first
	matcher language.Matcher
	sets    map[string]*localeSet
}

// localeSet is one locale's templates.
type localeSet struct {
	email   *htmltemplate.Template
	subject *texttemplate.Template
	sms     *texttemplate.Template
}

// TemplateProblems lists every problem found in a template override, each
// naming its file and source.
type TemplateProblems []string

func (p TemplateProblems) Error() string { return strings.Join(p, "; ") }

// LoadMessageTemplates parses the embedded templates, each file replaced by
// the same path in override when override (a POOLSIDE_TEMPLATES_DIR) holds
// it. A folder of override named after another BCP 47 locale ("it", "pt-BR")
// adds that locale; its missing files come from the embedded default locale.
// Every source of every locale is then rendered with a sample event and
// checked for Cognito's placeholders and limits. The error is a
// TemplateProblems listing every problem at once.
func LoadMessageTemplates(override fs.FS) (*MessageTemplates, error) {
	m, ps, err := parseMessageTemplates(override)
	if err != nil {
		return nil, err
	}
	for _, loc := range m.locales { // the locales that parsed
		for _, src := range Sources[CustomMessage] {
			for _, p := range m.check(src, loc) {
				ps = append(ps, fmt.Sprintf("%s: %s", loc, p))
			}
		}
	}
	if len(ps) > 0 {
		var uniq TemplateProblems
		for _, p := range ps {
			if !contains(uniq, p) {
				uniq = append(uniq, p)
			}
		}
		return nil, uniq
	}
	return m, nil
}

// parseMessageTemplates parses the templates without rendering them; ps
// lists the problems of the files that did not parse.
func parseMessageTemplates(override fs.FS) (*MessageTemplates, TemplateProblems, error) {
	var ps TemplateProblems
	locales, err := localesOf(override, &ps)
	if err != nil {
		return nil, nil, err
	}
	m := &MessageTemplates{sets: map[string]*localeSet{}}
	layout, layoutName, err := readTemplate(override, layoutFile, "")
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
		m.matcher = language.NewMatcher(tags)
	}
	return m, ps, nil
}

// Locales lists the locales the set answers in, DefaultLocale first.
func (m *MessageTemplates) Locales() []string { return append([]string(nil), m.locales...) }

// localesOf lists the embedded locales plus any locale folder of override.
func localesOf(override fs.FS, ps *TemplateProblems) ([]string, error) {
	seen := map[string]bool{}
	entries, err := fs.ReadDir(embeddedTemplates, "templates")
	if err != nil {
		return nil, fmt.Errorf("embedded templates: %w", err)
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
					if f.IsDir() || !contains(localeFiles, f.Name()) {
						*ps = append(*ps, fmt.Sprintf("%s/%s: unknown file (want %s)", e.Name(), f.Name(), strings.Join(localeFiles, ", ")))
					}
				}
			}
		}
	}
	out := []string{DefaultLocale}
	for _, l := range sortedSet(seen) {
		if l != DefaultLocale {
			out = append(out, l)
		}
	}
	return out, nil
}

func isLocale(name string) bool {
	t, err := language.Parse(name)
	return err == nil && t.String() == name
}

// parseLocale parses one locale's three files.
func parseLocale(override fs.FS, loc, layout, layoutName string, ps *TemplateProblems) (*localeSet, bool) {
	set := &localeSet{}
	ok := true
	for _, file := range localeFiles {
		text, name, err := readTemplate(override, path.Join(loc, file), path.Join(DefaultLocale, file))
		if err != nil {
			*ps = append(*ps, err.Error())
			ok = false
			continue
		}
		switch file {
		case emailFile:
			t := htmltemplate.New(name).Option("missingkey=error")
			if _, err := t.New(layoutName).Parse(layout); err != nil {
				*ps, ok = append(*ps, err.Error()), false
				continue
			}
			if _, err := t.Parse(text); err != nil {
				*ps, ok = append(*ps, err.Error()), false
				continue
			}
			set.email = t
		default:
			t, err := texttemplate.New(name).Option("missingkey=error").Parse(text)
			if err != nil {
				*ps, ok = append(*ps, err.Error()), false
				continue
			}
			if file == subjectsFile {
				set.subject = t
			} else {
				set.sms = t
			}
		}
	}
	// A file that did not parse is reported already; check the others.
	for _, src := range Sources[CustomMessage] {
		name := templateName(src)
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
			*ps, ok = append(*ps, fmt.Sprintf("%s: no {{define %q}} for %s", file, name, src)), false
		}
	}
	return set, ok
}

// readTemplate returns the override's file at p, else the embedded one at p,
// else the embedded one at fallback; name says where it came from.
func readTemplate(override fs.FS, p, fallback string) (text, name string, err error) {
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
		if b, err := fs.ReadFile(embeddedTemplates, "templates/"+q); err == nil {
			return string(b), "templates/" + q, nil
		}
	}
	return "", "", fmt.Errorf("%s: no such template", p)
}

// templateName is a source's template name: "SignUp" for CustomMessage_SignUp.
func templateName(src Source) string {
	return strings.TrimPrefix(string(src), "CustomMessage_")
}

// check renders src in loc with a sample event and reports what Cognito
// would reject.
func (m *MessageTemplates) check(src Source, loc string) []string {
	ph := Placeholders{Code: "{####}", Username: "{username}", Link: "{##Click Here##}"}
	var problems []string
	for _, appURL := range []string{"https://app.example.com/confirm", ""} {
		data := MessageData{
			Brand: "Example Brand", UserName: "d3b07384-d113-4ec6-a6f2-c8b1e4a0a1b1",
			GivenName: "Ana", FamilyName: "Lima", Name: "Ana Lima", Email: "ana@example.com", ConfirmURL: appURL,
		}
		_, ps := m.render(src, loc, data, ph)
		for _, p := range ps {
			if !contains(problems, p) {
				problems = append(problems, p)
			}
		}
	}
	return problems
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
