package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers/signup"
)

func TestSignUpConfigDefaults(t *testing.T) {
	c, err := FromEnv(MapEnv(nil))
	require.NoError(t, err)
	s := c.SignUp
	require.Equal(t, []string{"email", "given_name", "family_name"}, s.Required)
	require.True(t, s.BlockDisposable)
	require.Empty(t, s.AutoVerify, "auto-verification is an explicit opt-in")
	require.False(t, s.AutoVerifies("email"))
	require.False(t, s.NeedsCognito(), "no SDK client on the default")
	p, err := s.Policy()
	require.NoError(t, err)
	require.NotEmpty(t, p.Disposable.Match("mailinator.com"), "embedded list")
	require.Equal(t, signup.DefaultNameRules, p.Names)
}

func TestSignUpConfigReadsEverything(t *testing.T) {
	list := filepath.Join(t.TempDir(), "disposable.txt")
	require.NoError(t, os.WriteFile(list, []byte("# ours\ntrash.example\n"), 0o644))
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_SIGNUP_REQUIRED":        "email",
		"POOLSIDE_SIGNUP_ALLOWED_DOMAINS": "example.com, bücher.example",
		"POOLSIDE_SIGNUP_DENIED_DOMAINS":  "bad.example.com",
		"POOLSIDE_SIGNUP_DISPOSABLE_FILE": list,
		"POOLSIDE_SIGNUP_NAME_MIN":        "2",
		"POOLSIDE_SIGNUP_NAME_MAX":        "40",
		"POOLSIDE_SIGNUP_UNIQUE_EMAIL":    "true",
		"POOLSIDE_SIGNUP_TRUSTED_DOMAINS": "corp.example.com",
		"POOLSIDE_SIGNUP_AUTO_VERIFY":     "email,phone",
		"POOLSIDE_SIGNUP_LINK_PROVIDERS":  "Google,SignInWithApple",
	}))
	require.NoError(t, err)
	s := c.SignUp
	require.True(t, s.NeedsCognito())
	require.True(t, s.AutoVerifies("phone"))
	require.Equal(t, []string{"Google", "SignInWithApple"}, s.LinkProviders)
	p, err := s.Policy()
	require.NoError(t, err)
	require.Equal(t, []string{"email"}, p.Required)
	require.Equal(t, signup.NameRules{MinLen: 2, MaxLen: 40}, p.Names)
	require.Equal(t, "xn--bcher-kva.example", p.Allowed.Match("shop.xn--bcher-kva.example"))
	require.NotEmpty(t, p.Denied.Match("x.bad.example.com"))
	require.NotEmpty(t, p.Disposable.Match("trash.example"), "the file replaces the embedded list")
	require.Empty(t, p.Disposable.Match("mailinator.com"), "replaced, not merged")
	trusted, err := s.Trusted()
	require.NoError(t, err)
	require.NotEmpty(t, trusted.Match("eu.corp.example.com"))

	c, err = FromEnv(MapEnv(map[string]string{"POOLSIDE_SIGNUP_REQUIRED": "-", "POOLSIDE_SIGNUP_AUTO_VERIFY": "-", "POOLSIDE_SIGNUP_BLOCK_DISPOSABLE": "false"}))
	require.NoError(t, err)
	require.Empty(t, c.SignUp.Required)
	require.False(t, c.SignUp.AutoVerifies("email"))
	p, err = c.SignUp.Policy()
	require.NoError(t, err)
	require.Empty(t, p.Disposable.Match("mailinator.com"))
}

func TestSignUpConfigReportsEveryProblem(t *testing.T) {
	_, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_SIGNUP_ALLOWED_DOMAINS": "not a domain",
		"POOLSIDE_SIGNUP_DENIED_DOMAINS":  "localhost",
		"POOLSIDE_SIGNUP_TRUSTED_DOMAINS": "ex_ample.com",
		"POOLSIDE_SIGNUP_NAME_MIN":        "five",
		"POOLSIDE_SIGNUP_NAME_MAX":        "0",
		"POOLSIDE_SIGNUP_UNIQUE_EMAIL":    "sometimes",
		"POOLSIDE_SIGNUP_AUTO_VERIFY":     "email,address",
		"POOLSIDE_SIGNUP_DISPOSABLE_FILE": "/nonexistent/list.txt",
		"POOLSIDE_SIGNUP_LINK_PROVIDERS":  "Cognito,My_IdP",
		"POOLSIDE_SIGNUP_REQUIRED":        "email,given name",
	}))
	require.Error(t, err)
	for _, want := range []string{
		`POOLSIDE_SIGNUP_ALLOWED_DOMAINS: "not a domain"`,
		`POOLSIDE_SIGNUP_DENIED_DOMAINS: "localhost"`,
		`POOLSIDE_SIGNUP_TRUSTED_DOMAINS: "ex_ample.com"`,
		`POOLSIDE_SIGNUP_NAME_MIN: "five" is not an integer`,
		`POOLSIDE_SIGNUP_NAME_MIN/MAX: 1..0`,
		`POOLSIDE_SIGNUP_UNIQUE_EMAIL: "sometimes"`,
		`POOLSIDE_SIGNUP_AUTO_VERIFY: "address"`,
		`POOLSIDE_SIGNUP_DISPOSABLE_FILE: "/nonexistent/list.txt"`,
		`POOLSIDE_SIGNUP_LINK_PROVIDERS: "Cognito"`,
		`POOLSIDE_SIGNUP_LINK_PROVIDERS: "My_IdP"`,
		`POOLSIDE_SIGNUP_REQUIRED: "given name"`,
	} {
		require.ErrorContains(t, err, want)
	}
}

func TestSignUpConfigBadDisposableFileFailsPolicy(t *testing.T) {
	list := filepath.Join(t.TempDir(), "disposable.txt")
	require.NoError(t, os.WriteFile(list, []byte("ok.example\nnot a domain\n"), 0o644))
	c := SignUpConfig{BlockDisposable: true, DisposableFile: list, NameMin: 1, NameMax: 10}
	_, err := c.Policy()
	require.ErrorContains(t, err, `POOLSIDE_SIGNUP_DISPOSABLE_FILE `+list+`: not domains: line 2 "not a domain"`)
}
