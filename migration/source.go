package migration

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Source looks legacy users up. Implementations: File (JSON Lines), Dynamo,
// Postgres, one per registered Scheme; Open picks one from a URL.
type Source interface {
	// Lookup returns the user whose username is login or, failing that, whose
	// email is login in any case. ErrNotFound when none; any other error is
	// the store failing.
	Lookup(ctx context.Context, login string) (User, error)
}

// Lister walks every legacy user (the bulk export).
type Lister interface {
	// Each calls fn for every user, in the source's order, streaming. It stops
	// at fn's first error and returns it; other errors are the store failing.
	Each(ctx context.Context, fn func(User) error) error
}

// PasswordChecker is a Source that checks passwords itself — a legacy HTTP
// API, another Cognito user pool — so its records carry no hash.
// Authenticator asks it instead of verifying a hash.
type PasswordChecker interface {
	// CheckPassword asks the legacy system whether password is the password
	// of the user login names: Check.Found false for an unknown user,
	// Found true and Verified false for a wrong password. The error is the
	// legacy system failing (an outage, a timeout, an unexpected answer),
	// never a wrong password.
	CheckPassword(ctx context.Context, login string, password []byte) (Check, error)
}

// ErrCannotList: the source answers for one user at a time and cannot walk
// them all (a legacy HTTP API, another user pool): the bulk export needs
// another source.
var ErrCannotList = errors.New("this legacy source cannot list its users; export from a file, DynamoDB, PostgreSQL or MySQL")

// Store is a legacy source that both finds one user (the trigger) and walks
// them all (the export): what Open returns.
type Store interface {
	Source
	Lister
}

// Scheme is one kind of legacy source, named by its URL scheme. Each source
// registers its scheme (RegisterScheme, from its file's init); configuration
// checks, Open, the deploy template's text and the README all read the
// registry, so a new source is one file.
type Scheme struct {
	// Name is the URL scheme ("postgres"); Aliases are accepted too ("postgresql").
	Name    string
	Aliases []string
	// Example is the URL shape shown in errors and docs ("dynamodb://TABLE").
	Example string
	// DevOnly marks a source for development and tests, not deployments
	// (the deploy template does not offer it).
	DevOnly bool
	// Open builds the source for u; raw is the URL as configured (u.Redacted()
	// is what errors may show). Nothing may connect before the first lookup.
	Open func(u *url.URL, raw string, deps Deps) (Store, error)
}

// Deps are what the sources need besides their URL; each source reads its own fields.
type Deps struct {
	DynamoLayout DynamoLayout
	Postgres     PostgresOptions
	MySQL        MySQLOptions
	HTTP         HTTPOptions
	// AWS holds the clients of the dynamodb:// and cognito-idp:// sources
	// (sources_aws.go).
	AWS AWSDeps
}

// schemes maps every registered name and alias to its Scheme.
var schemes = map[string]Scheme{}

// RegisterScheme adds a legacy source kind. It panics on a name already
// registered: two sources may not claim one scheme.
func RegisterScheme(s Scheme) {
	if s.Name == "" || s.Open == nil || s.Example == "" {
		panic("migration: RegisterScheme needs a Name, an Example and an Open")
	}
	names := append([]string{s.Name}, s.Aliases...)
	for _, n := range names {
		if _, dup := schemes[n]; dup {
			panic(fmt.Sprintf("migration: scheme %q registered twice", n))
		}
	}
	for _, n := range names {
		schemes[n] = s
	}
}

// Schemes lists the registered source kinds, sorted by name, aliases folded in.
func Schemes() []Scheme {
	var out []Scheme
	for _, n := range slices.Sorted(maps.Keys(schemes)) {
		if s := schemes[n]; s.Name == n {
			out = append(out, s)
		}
	}
	return out
}

// LookupScheme returns the source kind a URL scheme (or alias) names.
func LookupScheme(name string) (Scheme, bool) {
	s, ok := schemes[name]
	return s, ok
}

// SchemeExamples lists the example URLs of the registered sources, for
// messages and docs: "dynamodb://TABLE, file:///abs/path.jsonl or postgres://…".
// withDev false leaves out the development-only sources.
func SchemeExamples(withDev bool) string {
	var ex []string
	for _, s := range Schemes() {
		if withDev || !s.DevOnly {
			ex = append(ex, s.Example)
		}
	}
	switch len(ex) {
	case 0:
		return ""
	case 1:
		return ex[0]
	}
	return strings.Join(ex[:len(ex)-1], ", ") + " or " + ex[len(ex)-1]
}

// ParseSourceURL checks that raw is a URL of a registered scheme without
// opening anything; the error is safe to show (the URL redacted).
func ParseSourceURL(raw string) (*url.URL, Scheme, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the URL, and with it any password
		return nil, Scheme{}, fmt.Errorf("not a URL; it must be %s", SchemeExamples(true))
	}
	s, ok := schemes[u.Scheme]
	if !ok {
		return nil, Scheme{}, fmt.Errorf("%q: scheme %q is not a legacy source; use %s", u.Redacted(), u.Scheme, SchemeExamples(true))
	}
	return u, s, nil
}

// Open returns the source a POOLSIDE_LEGACY_SOURCE URL names, through the
// registered Scheme. Clients are built by the caller-supplied constructors
// so that nothing connects before the first lookup.
func Open(rawURL string, deps Deps) (Store, error) {
	u, s, err := ParseSourceURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("legacy source: %w", err)
	}
	return s.Open(u, rawURL, deps)
}
