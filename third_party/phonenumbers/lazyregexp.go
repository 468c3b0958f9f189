package phonenumbers

// POOLSIDE (lazy-init.patch): the package-level regexps are compiled on their
// first use, not at package init (≈ 0.29 MB and 125 page faults of a cold
// start that may never parse a number). Their exported variables are
// *lazyRegexp instead of *regexp.Regexp, with the methods this package calls
// on them; a bad pattern panics on first use, as regexp.MustCompile did at
// init (lazy_test.go compiles every one of them).

import (
	"regexp"
	"sync"
)

type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// lazyRegexps holds every lazyRegexp, for the test that compiles them all.
var lazyRegexps []*lazyRegexp

func newLazyRegexp(expr string) *lazyRegexp {
	l := &lazyRegexp{expr: expr}
	lazyRegexps = append(lazyRegexps, l)
	return l
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

func (l *lazyRegexp) FindAllString(s string, n int) []string { return l.get().FindAllString(s, n) }
func (l *lazyRegexp) FindIndex(b []byte) []int               { return l.get().FindIndex(b) }
func (l *lazyRegexp) FindStringIndex(s string) []int         { return l.get().FindStringIndex(s) }
func (l *lazyRegexp) FindStringSubmatch(s string) []string   { return l.get().FindStringSubmatch(s) }
func (l *lazyRegexp) MatchString(s string) bool              { return l.get().MatchString(s) }
func (l *lazyRegexp) ReplaceAllString(src, repl string) string {
	return l.get().ReplaceAllString(src, repl)
}
func (l *lazyRegexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.get().ReplaceAllStringFunc(src, repl)
}
func (l *lazyRegexp) Split(s string, n int) []string { return l.get().Split(s, n) }
