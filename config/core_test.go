package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv(MapEnv(nil))
	require.NoError(t, err)
	assert.Equal(t, "memory", c.ProfileStore)
	assert.Nil(t, c.Triggers, "every trigger")
	assert.Equal(t, triggers.DefaultBudget, c.Budget)
	assert.Equal(t, "USER", c.Profiles.DefaultGroup)
	assert.Equal(t, "default", c.Profiles.DefaultTenant)
	assert.False(t, c.Profiles.AddToGroup, "the embedded default has no Cognito to call")
	assert.True(t, strings.HasSuffix(c.LegacySourceURL(), "/fixtures/legacy-users.jsonl"))
	assert.True(t, strings.HasPrefix(c.LegacySourceURL(), "file:///"))
}

func TestFromEnvReadsEverything(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_TRIGGERS":          "presignup, PostConfirmation",
		"POOLSIDE_LOG_LEVEL":         "debug",
		"POOLSIDE_BUDGET":            "3s",
		"POOLSIDE_PROFILE_STORE":     "dynamodb://profiles",
		"POOLSIDE_DYNAMODB_ENDPOINT": "http://127.0.0.1:8000",
		"POOLSIDE_TENANT_DOMAINS":    "Example.com=acme,@corp.example.org=globex",
		"POOLSIDE_CLIENT_SOURCES":    "abc=web",
		"AWS_LAMBDA_RUNTIME_API":     "127.0.0.1:9001",
	}))
	require.NoError(t, err)
	assert.Equal(t, []triggers.Trigger{triggers.PreSignUp, triggers.PostConfirmation}, c.Triggers)
	assert.True(t, c.Enabled(triggers.PreSignUp))
	assert.False(t, c.Enabled(triggers.CustomMessage))
	assert.Equal(t, 3*time.Second, c.Budget)
	assert.Equal(t, map[string]string{"example.com": "acme", "corp.example.org": "globex"}, c.Profiles.TenantByDomain)
	assert.Equal(t, "globex", c.Profiles.Policy().Tenant("a@x.corp.example.org", true))
	assert.Equal(t, "acme", c.Profiles.Policy().Tenant("a@EXAMPLE.com", true))
	assert.Equal(t, "default", c.Profiles.Policy().Tenant("a@EXAMPLE.com", false), "an unverified email proves nothing")
	assert.Equal(t, "default", c.Profiles.Policy().Tenant("a@other.org", true))
	assert.True(t, c.Profiles.AddToGroup, "in Lambda")
	table, err := TableName(c.ProfileStore)
	require.NoError(t, err)
	assert.Equal(t, "profiles", table)
}

// Every problem is reported at once.
func TestFromEnvListsEveryProblem(t *testing.T) {
	_, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_TRIGGERS":          "PreSignUp,Nope",
		"POOLSIDE_LOG_LEVEL":         "loud",
		"POOLSIDE_BUDGET":            "9s",
		"POOLSIDE_PROFILE_STORE":     "mysql://x",
		"POOLSIDE_DYNAMODB_ENDPOINT": "localhost:8000",
		"POOLSIDE_TENANT_DOMAINS":    "example.com",
		"POOLSIDE_LEGACY_SOURCE":     "ftp://x",
	}))
	require.Error(t, err)
	for _, want := range []string{`unknown trigger "Nope"`, "POOLSIDE_LOG_LEVEL", "POOLSIDE_BUDGET", "POOLSIDE_PROFILE_STORE",
		"POOLSIDE_DYNAMODB_ENDPOINT", "POOLSIDE_TENANT_DOMAINS", "POOLSIDE_LEGACY_SOURCE"} {
		assert.Contains(t, err.Error(), want)
	}
}

// A credential in a URL never reaches the configuration error.
func TestConfigErrorsRedactCredentials(t *testing.T) {
	for _, v := range []string{"ftp://app:s3cret-pw@db.internal/legacy", "postgres://app:s3cret-pw@db:5432/x\x7f"} {
		_, err := FromEnv(MapEnv(map[string]string{"POOLSIDE_LEGACY_SOURCE": v}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "POOLSIDE_LEGACY_SOURCE")
		assert.NotContains(t, err.Error(), "s3cret-pw")
	}
}

// A bad value is one problem: the parse helpers keep the default, which the
// validation then accepts.
func TestBadValueIsOneProblem(t *testing.T) {
	for name, want := range map[string]string{
		"POOLSIDE_BUDGET":                "is not a duration",
		"POOLSIDE_POST_AUTH_BUDGET":      "is not a duration",
		"POOLSIDE_MIGRATION_BCRYPT_COST": "is not an integer",
		"POOLSIDE_SIGNUP_NAME_MAX":       "is not an integer",
		"POOLSIDE_SIGNUP_UNIQUE_EMAIL":   "is not true or false",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(MapEnv(map[string]string{name: "soon"}))
			require.Error(t, err)
			assert.Equal(t, 1, strings.Count(err.Error(), "\n  - "), err.Error())
			assert.Contains(t, err.Error(), name+`: "soon" `+want)
		})
	}
}

// Problems read in order, the same for every run, whatever map iteration
// order the checks met them in.
func TestProblemsSorted(t *testing.T) {
	env := MapEnv(map[string]string{
		"POOLSIDE_DYNAMODB_ENDPOINT": "localhost:8000",
		"POOLSIDE_COGNITO_ENDPOINT":  "localhost:9229",
		"POOLSIDE_TRIGGERS":          "Nope",
		"POOLSIDE_LOG_LEVEL":         "loud",
	})
	_, first := FromEnv(env)
	require.Error(t, first)
	lines := strings.Split(first.Error(), "\n  - ")[1:]
	assert.Len(t, lines, 4)
	assert.True(t, slices.IsSorted(lines), "%q", lines)
	for range 20 {
		_, err := FromEnv(env)
		require.Equal(t, first.Error(), err.Error())
	}
}

// Tests build the struct and validate it: Validate lists every problem of a
// Config made by hand, sorted, as FromEnv does.
func TestValidateBuiltConfig(t *testing.T) {
	c, err := FromEnv(MapEnv(nil))
	require.NoError(t, err)
	require.NoError(t, c.Validate(), "the defaults are valid")
	c.Budget = 0
	c.ProfileStore = "ftp://x"
	c.LegacySource = "gopher://x"
	err = c.Validate()
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n  - ")[1:]
	require.Len(t, lines, 3, err.Error())
	assert.True(t, slices.IsSorted(lines))
	assert.Contains(t, lines[0], "POOLSIDE_BUDGET: 0s must be above 0")
	assert.Contains(t, lines[1], "POOLSIDE_LEGACY_SOURCE")
	assert.Contains(t, lines[2], "POOLSIDE_PROFILE_STORE")
}
