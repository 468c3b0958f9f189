// Package config holds the deployment configuration: the POOLSIDE_*
// environment variables (Vars lists each with the triggers that read it),
// read once by cmd/poolside. FromEnv reads and validates them, one file per
// area (signup.go, tokens.go, messages.go…); a bad value keeps its default and
// is reported once, and the error lists every problem, sorted. Tests build a
// Config by hand and call Validate. It is configuration, not domain: the
// domain lives in triggers, messages, migration and profilestore.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/poolside-io/poolside/triggers"
)

// Config is the whole deployment configuration. FromEnv reads it; tests build
// it directly. Each trigger's section lives in its own file (signup.go, tokens.go…).
type Config struct {
	// Triggers this deployment answers (POOLSIDE_TRIGGERS; empty = all).
	Triggers []triggers.Trigger
	// NoTriggers: the deployment answers no trigger (POOLSIDE_TRIGGERS=none),
	// e.g. the User API's function.
	NoTriggers bool
	// LogLevel of the JSON log (POOLSIDE_LOG_LEVEL).
	LogLevel slog.Level
	// Budget caps each invocation (POOLSIDE_BUDGET, at most 4.5 s).
	Budget time.Duration
	// ProfileStore is "memory" or "dynamodb://TABLE" (POOLSIDE_PROFILE_STORE).
	ProfileStore string
	// DynamoDBEndpoint overrides the DynamoDB endpoint (POOLSIDE_DYNAMODB_ENDPOINT).
	DynamoDBEndpoint string
	// CognitoEndpoint overrides the Cognito endpoint (POOLSIDE_COGNITO_ENDPOINT).
	CognitoEndpoint string
	// LegacySource is the URL of the legacy user store (POOLSIDE_LEGACY_SOURCE).
	LegacySource string

	Profiles  ProfilesConfig
	Migration MigrationConfig
	SignUp    SignUpConfig
	Tokens    TokensConfig
	Messages  MessagesConfig
	PreAuth   PreAuthConfig
	Senders   SendersConfig
	API       APIConfig
}

// DefaultLegacySource is the embedded default: the fixture file in the repository.
const DefaultLegacySource = "fixtures/legacy-users.jsonl"

// Env looks a variable up; os.Getenv in main, a map in tests.
type Env func(string) string

// MapEnv adapts a map to Env.
func MapEnv(m map[string]string) Env { return func(k string) string { return m[k] } }

// problems collects every configuration problem so Validate reports them all at once.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// err lists the problems sorted (the same configuration always reads the
// same), each once.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	sorted := slices.Compact(slices.Sorted(slices.Values(p)))
	return errors.New("invalid configuration:\n  - " + strings.Join(sorted, "\n  - "))
}

// FromEnv reads the configuration and validates it. The error lists every problem.
func FromEnv(env Env) (Config, error) {
	var ps problems
	c := Config{
		ProfileStore:     or(env("POOLSIDE_PROFILE_STORE"), "memory"),
		DynamoDBEndpoint: env("POOLSIDE_DYNAMODB_ENDPOINT"),
		CognitoEndpoint:  env("POOLSIDE_COGNITO_ENDPOINT"),
		LegacySource:     env("POOLSIDE_LEGACY_SOURCE"),
	}
	for _, name := range list(env("POOLSIDE_TRIGGERS")) {
		if strings.EqualFold(name, "all") {
			c.Triggers = nil
			break
		}
		if strings.EqualFold(name, "none") {
			c.Triggers, c.NoTriggers = nil, true
			break
		}
		t, ok := triggers.ParseTrigger(name)
		if !ok {
			ps.addf("POOLSIDE_TRIGGERS: unknown trigger %q (known: %s)", name, triggerNames())
			continue
		}
		c.Triggers = append(c.Triggers, t)
	}
	if v := env("POOLSIDE_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			ps.addf("POOLSIDE_LOG_LEVEL: %q is not debug, info, warn or error", v)
		}
	}
	c.Budget = durationVar(env, "POOLSIDE_BUDGET", triggers.DefaultBudget, &ps)
	c.Profiles.load(env, &ps)
	c.Migration.load(env, &ps)
	c.SignUp.load(env, &ps)
	c.Tokens.load(env, &ps)
	c.Messages.load(env, &ps)
	c.PreAuth.load(env, &ps)
	c.Senders.load(env, &ps)
	c.API.load(env, &ps)
	c.validate(&ps)
	return c, ps.err()
}

// Validate lists every problem in the configuration at once.
func (c Config) Validate() error {
	var ps problems
	c.validate(&ps)
	return ps.err()
}

func (c Config) validate(ps *problems) {
	if _, err := TableName(c.ProfileStore); err != nil {
		ps.addf("POOLSIDE_PROFILE_STORE: %v", err)
	}
	for name, v := range map[string]string{"POOLSIDE_DYNAMODB_ENDPOINT": c.DynamoDBEndpoint, "POOLSIDE_COGNITO_ENDPOINT": c.CognitoEndpoint} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.addf("%s: %q is not an http(s) URL", name, v)
		}
	}
	if c.Budget <= 0 || c.Budget > triggers.DefaultBudget {
		ps.addf("POOLSIDE_BUDGET: %s must be above 0 and at most %s (Cognito waits 5 s)", c.Budget, triggers.DefaultBudget)
	}
	validateLegacySource(c.LegacySource, ps)
	c.Profiles.validate(ps)
	c.Migration.validate(ps)
	c.SignUp.validate(ps)
	c.Tokens.validate(ps)
	c.Messages.validate(ps)
	c.Senders.validate(c, ps)
	c.API.validate(ps)
}

// Enabled reports whether the deployment answers trigger t.
func (c Config) Enabled(t triggers.Trigger) bool {
	if c.NoTriggers {
		return false
	}
	if len(c.Triggers) == 0 {
		return true
	}
	for _, e := range c.Triggers {
		if e == t {
			return true
		}
	}
	return false
}

// LegacySourceURL returns the legacy source as a URL, with the embedded default
// (the fixture file, relative to the working directory) when unset.
func (c Config) LegacySourceURL() string {
	if c.LegacySource != "" {
		return c.LegacySource
	}
	abs, err := filepath.Abs(DefaultLegacySource)
	if err != nil {
		abs = DefaultLegacySource
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// TableName returns the table of a "dynamodb://TABLE" store, "" for "memory".
func TableName(store string) (string, error) {
	if store == "" || store == "memory" {
		return "", nil
	}
	u, err := url.Parse(store)
	if err != nil || u.Scheme != "dynamodb" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("%q must be memory or dynamodb://TABLE", store)
	}
	return u.Host, nil
}

func triggerNames() string {
	var ns []string
	for _, t := range triggers.AllTriggers {
		ns = append(ns, string(t))
	}
	return strings.Join(ns, ", ")
}

// OSEnv is the process environment.
var OSEnv Env = os.Getenv
