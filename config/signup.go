package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/poolside-io/poolside/triggers/signup"
)

// SignUpConfig is who may sign up (the PreSignUp trigger).
type SignUpConfig struct {
	// Required attributes of a self sign-up (POOLSIDE_SIGNUP_REQUIRED,
	// default email,given_name,family_name; "-" requires none).
	Required []string
	// AllowedDomains, when set, are the only e-mail domains that may sign up,
	// subdomains included (POOLSIDE_SIGNUP_ALLOWED_DOMAINS).
	AllowedDomains []string
	// DeniedDomains may not sign up, subdomains included (POOLSIDE_SIGNUP_DENIED_DOMAINS).
	DeniedDomains []string
	// BlockDisposable refuses disposable addresses (POOLSIDE_SIGNUP_BLOCK_DISPOSABLE, default true).
	BlockDisposable bool
	// DisposableFile replaces the embedded disposable list: one domain a line
	// (POOLSIDE_SIGNUP_DISPOSABLE_FILE).
	DisposableFile string
	// NameMin and NameMax bound name attributes in characters
	// (POOLSIDE_SIGNUP_NAME_MIN default 1, POOLSIDE_SIGNUP_NAME_MAX default 64).
	NameMin, NameMax int
	// UniqueEmail refuses an email another user holds, through Cognito
	// ListUsers (POOLSIDE_SIGNUP_UNIQUE_EMAIL, default false).
	UniqueEmail bool
	// TrustedDomains are auto-confirmed (POOLSIDE_SIGNUP_TRUSTED_DOMAINS).
	TrustedDomains []string
	// AutoVerify lists what a trusted sign-up gets verified: email, phone
	// (POOLSIDE_SIGNUP_AUTO_VERIFY, default none; "-" for none too). An
	// opt-in: a trusted domain does not prove who typed the address.
	AutoVerify []string
	// LinkProviders are the identity providers whose first sign-in is linked
	// to the native user with the same verified email
	// (POOLSIDE_SIGNUP_LINK_PROVIDERS, e.g. Google,SignInWithApple).
	LinkProviders []string
	// Captcha is the CAPTCHA provider checked on PreSignUp_SignUp
	// (POOLSIDE_SIGNUP_CAPTCHA: turnstile, hcaptcha, recaptcha; empty: none).
	Captcha string
	// CaptchaSecret is the provider's secret key (POOLSIDE_SIGNUP_CAPTCHA_SECRET).
	CaptchaSecret string
	// CaptchaEndpoint overrides the provider's siteverify URL (POOLSIDE_SIGNUP_CAPTCHA_ENDPOINT).
	CaptchaEndpoint string
	// CaptchaFailOpen lets sign-ups through when the provider cannot answer
	// (POOLSIDE_SIGNUP_CAPTCHA_FAIL_OPEN, default false: refused).
	CaptchaFailOpen bool
	// FoldTags makes the duplicate-email check fold "+tag" suffixes
	// (POOLSIDE_SIGNUP_FOLD_TAGS, default false).
	FoldTags bool
	// DotInsensitiveDomains are domains whose dots in the local part the
	// duplicate-email check ignores (POOLSIDE_SIGNUP_DOT_INSENSITIVE_DOMAINS,
	// e.g. gmail.com,googlemail.com).
	DotInsensitiveDomains []string
}

func (c *SignUpConfig) load(env Env, ps *problems) {
	c.Required = signupList(or(env("POOLSIDE_SIGNUP_REQUIRED"), strings.Join(signup.DefaultRequired, ",")))
	c.AllowedDomains = list(env("POOLSIDE_SIGNUP_ALLOWED_DOMAINS"))
	c.DeniedDomains = list(env("POOLSIDE_SIGNUP_DENIED_DOMAINS"))
	c.BlockDisposable = boolVar(env, "POOLSIDE_SIGNUP_BLOCK_DISPOSABLE", true, ps)
	c.DisposableFile = env("POOLSIDE_SIGNUP_DISPOSABLE_FILE")
	c.NameMin = intVar(env, "POOLSIDE_SIGNUP_NAME_MIN", signup.DefaultNameRules.MinLen, ps)
	c.NameMax = intVar(env, "POOLSIDE_SIGNUP_NAME_MAX", signup.DefaultNameRules.MaxLen, ps)
	c.UniqueEmail = boolVar(env, "POOLSIDE_SIGNUP_UNIQUE_EMAIL", false, ps)
	c.TrustedDomains = list(env("POOLSIDE_SIGNUP_TRUSTED_DOMAINS"))
	c.AutoVerify = signupList(env("POOLSIDE_SIGNUP_AUTO_VERIFY"))
	c.LinkProviders = list(env("POOLSIDE_SIGNUP_LINK_PROVIDERS"))
	c.Captcha = strings.ToLower(strings.TrimSpace(env("POOLSIDE_SIGNUP_CAPTCHA")))
	c.CaptchaSecret = env("POOLSIDE_SIGNUP_CAPTCHA_SECRET")
	c.CaptchaEndpoint = strings.TrimSpace(env("POOLSIDE_SIGNUP_CAPTCHA_ENDPOINT"))
	c.CaptchaFailOpen = boolVar(env, "POOLSIDE_SIGNUP_CAPTCHA_FAIL_OPEN", false, ps)
	c.FoldTags = boolVar(env, "POOLSIDE_SIGNUP_FOLD_TAGS", false, ps)
	for _, d := range list(env("POOLSIDE_SIGNUP_DOT_INSENSITIVE_DOMAINS")) {
		c.DotInsensitiveDomains = append(c.DotInsensitiveDomains, strings.ToLower(d))
	}
}

// validateCaptcha checks the CAPTCHA settings; the secret is never quoted.
func (c SignUpConfig) validateCaptcha(ps *problems) {
	if c.Captcha == "" {
		return
	}
	if _, ok := signup.CaptchaEndpoints[c.Captcha]; !ok {
		ps.addf("POOLSIDE_SIGNUP_CAPTCHA: %q is not turnstile, hcaptcha or recaptcha", c.Captcha)
	}
	if c.CaptchaSecret == "" {
		ps.addf("POOLSIDE_SIGNUP_CAPTCHA_SECRET: required with POOLSIDE_SIGNUP_CAPTCHA")
	}
	if c.CaptchaEndpoint != "" && !httpURL(c.CaptchaEndpoint) {
		ps.addf("POOLSIDE_SIGNUP_CAPTCHA_ENDPOINT: %q is not an http(s) URL", c.CaptchaEndpoint)
	}
}

// CaptchaVerifier is the configured CAPTCHA check, nil when none is configured.
func (c SignUpConfig) CaptchaVerifier() *signup.Captcha {
	if c.Captcha == "" {
		return nil
	}
	ep := c.CaptchaEndpoint
	if ep == "" {
		ep = signup.CaptchaEndpoints[c.Captcha]
	}
	return &signup.Captcha{Endpoint: ep, Secret: c.CaptchaSecret}
}

// Canonicalizer is the duplicate-email check's address folding.
func (c SignUpConfig) Canonicalizer() signup.Canonicalizer {
	return signup.Canonicalizer{FoldTags: c.FoldTags, DotInsensitive: c.DotInsensitiveDomains}
}

func (c SignUpConfig) validate(ps *problems) {
	c.validateCaptcha(ps)
	for _, l := range []struct {
		name    string
		domains []string
	}{
		{"POOLSIDE_SIGNUP_ALLOWED_DOMAINS", c.AllowedDomains},
		{"POOLSIDE_SIGNUP_DENIED_DOMAINS", c.DeniedDomains},
		{"POOLSIDE_SIGNUP_TRUSTED_DOMAINS", c.TrustedDomains},
	} {
		for _, d := range l.domains {
			if _, err := signup.NormalizeDomain(d); err != nil {
				ps.addf("%s: %q is not a domain", l.name, d)
			}
		}
	}
	for _, a := range c.Required {
		if strings.ContainsAny(a, " =") || a == "" {
			ps.addf("POOLSIDE_SIGNUP_REQUIRED: %q is not an attribute name", a)
		}
	}
	if c.NameMin < 1 || c.NameMax < c.NameMin || c.NameMax > 2048 {
		ps.addf("POOLSIDE_SIGNUP_NAME_MIN/MAX: %d..%d must satisfy 1 <= min <= max <= 2048 (Cognito's attribute limit)", c.NameMin, c.NameMax)
	}
	for _, v := range c.AutoVerify {
		if v != "email" && v != "phone" {
			ps.addf("POOLSIDE_SIGNUP_AUTO_VERIFY: %q is not email or phone", v)
		}
	}
	if c.DisposableFile != "" {
		if !c.BlockDisposable {
			ps.addf("POOLSIDE_SIGNUP_DISPOSABLE_FILE is set but POOLSIDE_SIGNUP_BLOCK_DISPOSABLE is false")
		}
		if st, err := os.Stat(c.DisposableFile); err != nil || st.IsDir() {
			ps.addf("POOLSIDE_SIGNUP_DISPOSABLE_FILE: %q is not a readable file", c.DisposableFile)
		}
	}
	for _, p := range c.LinkProviders {
		if strings.ContainsAny(p, "_ ") || strings.EqualFold(p, "Cognito") {
			ps.addf("POOLSIDE_SIGNUP_LINK_PROVIDERS: %q is not an identity provider name (no underscore or space, not Cognito)", p)
		}
	}
}

// NeedsCognito reports whether PreSignUp calls Cognito.
func (c SignUpConfig) NeedsCognito() bool { return c.UniqueEmail || len(c.LinkProviders) > 0 }

// Policy builds the sign-up policy; the disposable list is the embedded one
// unless DisposableFile replaces it. Its errors name the variable at fault.
func (c SignUpConfig) Policy() (signup.Policy, error) {
	p := signup.Policy{Required: c.Required, Names: signup.NameRules{MinLen: c.NameMin, MaxLen: c.NameMax}}
	var err error
	if p.Allowed, err = signup.NewDomainSet(c.AllowedDomains...); err != nil {
		return p, fmt.Errorf("POOLSIDE_SIGNUP_ALLOWED_DOMAINS: %w", err)
	}
	if p.Denied, err = signup.NewDomainSet(c.DeniedDomains...); err != nil {
		return p, fmt.Errorf("POOLSIDE_SIGNUP_DENIED_DOMAINS: %w", err)
	}
	switch {
	case !c.BlockDisposable:
	case c.DisposableFile != "":
		f, err := os.Open(c.DisposableFile)
		if err != nil {
			return p, fmt.Errorf("POOLSIDE_SIGNUP_DISPOSABLE_FILE: %w", err)
		}
		defer f.Close()
		if p.Disposable, err = signup.ReadDomainList(f); err != nil {
			return p, fmt.Errorf("POOLSIDE_SIGNUP_DISPOSABLE_FILE %s: %w", c.DisposableFile, err)
		}
	default:
		p.Disposable = signup.Disposable()
	}
	return p, nil
}

// Trusted is the set of auto-confirmed domains.
func (c SignUpConfig) Trusted() (signup.DomainSet, error) {
	s, err := signup.NewDomainSet(c.TrustedDomains...)
	if err != nil {
		return signup.DomainSet{}, fmt.Errorf("POOLSIDE_SIGNUP_TRUSTED_DOMAINS: %w", err)
	}
	return s, nil
}

// AutoVerifies reports whether a trusted sign-up's attribute ("email" or "phone") is auto-verified.
func (c SignUpConfig) AutoVerifies(what string) bool { return slices.Contains(c.AutoVerify, what) }

// signupList is list, with "-" meaning an empty list.
func signupList(v string) []string {
	if strings.TrimSpace(v) == "-" {
		return nil
	}
	return list(v)
}
