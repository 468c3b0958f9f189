package config

import (
	"strconv"
	"strings"
	"time"
)

// The parse helpers: each reads one variable and, when it is unset or bad,
// keeps the default, so that a bad value is reported once (here) and never
// again by the validation of the default it left in place.

// or is v, or def when v is empty.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// list splits a comma-separated value, dropping blanks.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pairs parses "k1=v1,k2=v2" into a map, reporting malformed entries.
func pairs(name, v string, ps *problems) map[string]string {
	out := map[string]string{}
	for _, kv := range list(v) {
		k, val, ok := strings.Cut(kv, "=")
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if !ok || k == "" || val == "" {
			ps.addf("%s: %q is not key=value", name, kv)
			continue
		}
		out[k] = val
	}
	return out
}

// boolVar parses a boolean variable.
func boolVar(env Env, name string, def bool, ps *problems) bool {
	return parseVar(env, name, def, ps, strconv.ParseBool, "is not true or false")
}

// intVar parses an integer variable.
func intVar(env Env, name string, def int, ps *problems) int {
	return parseVar(env, name, def, ps, strconv.Atoi, "is not an integer")
}

// durationVar parses a duration variable ("800ms", "4s").
func durationVar(env Env, name string, def time.Duration, ps *problems) time.Duration {
	return parseVar(env, name, def, ps, time.ParseDuration, "is not a duration (e.g. 800ms, 4s)")
}

// parseVar is the family's one body: def when name is unset, parse's value
// when it parses, else def and one problem saying what the value is not.
func parseVar[T any](env Env, name string, def T, ps *problems, parse func(string) (T, error), isNot string) T {
	v := strings.TrimSpace(env(name))
	if v == "" {
		return def
	}
	x, err := parse(v)
	if err != nil {
		ps.addf("%s: %q %s", name, v, isNot)
		return def
	}
	return x
}
