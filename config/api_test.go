package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

func TestAPIConfig(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_JWT_ISSUER":     "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/",
		"POOLSIDE_JWT_CLIENT_IDS": "web, machine",
		"POOLSIDE_API_KEYS":       "file:///etc/poolside/api-keys",
	}))
	require.NoError(t, err)
	assert.Equal(t, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", c.API.Issuer)
	assert.Equal(t, "eu-west-1_AbC", c.API.UserPoolID())
	assert.Equal(t, []string{"web", "machine"}, c.API.ClientIDs)
	assert.Equal(t, "file", c.API.APIKeysSource())

	cases := map[string]struct {
		env  map[string]string
		want []string
	}{
		"issuer without clients": {map[string]string{"POOLSIDE_JWT_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/p"},
			[]string{"POOLSIDE_JWT_CLIENT_IDS: required"}},
		"clients without issuer": {map[string]string{"POOLSIDE_JWT_CLIENT_IDS": "web"}, []string{"set without POOLSIDE_JWT_ISSUER"}},
		"issuer not a URL":       {map[string]string{"POOLSIDE_JWT_ISSUER": "cognito", "POOLSIDE_JWT_CLIENT_IDS": "web"}, []string{"POOLSIDE_JWT_ISSUER"}},
		"relative key file":      {map[string]string{"POOLSIDE_API_KEYS": "file://keys.txt"}, []string{"file:///absolute/path"}},
		"plaintext key":          {map[string]string{"POOLSIDE_API_KEYS": "my-secret-key"}, []string{"POOLSIDE_API_KEYS: must be"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(MapEnv(c.env))
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "my-secret-key", "a key is never echoed")
		})
	}
	for _, v := range []string{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:poolside-api-keys-AbCdEf", "ab12,CD34"} {
		c, err := FromEnv(MapEnv(map[string]string{"POOLSIDE_API_KEYS": v}))
		require.NoError(t, err, v)
		assert.NotEqual(t, "unknown", c.API.APIKeysSource())
	}
}

func TestTriggersNone(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{"POOLSIDE_TRIGGERS": "none"}))
	require.NoError(t, err)
	for _, tr := range triggers.AllTriggers {
		assert.False(t, c.Enabled(tr), "%s", tr)
	}
}
