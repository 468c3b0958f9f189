package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

func TestTokensConfigDefaults(t *testing.T) {
	c, err := FromEnv(MapEnv(nil))
	require.NoError(t, err)
	assert.Equal(t, "tenantId", c.Tokens.TenantClaim)
	assert.Equal(t, "role", c.Tokens.RoleClaim)
	assert.Empty(t, c.Tokens.Scopes)
	assert.Empty(t, c.Tokens.ClaimsToSuppress)
	assert.False(t, c.Tokens.AllowUnknownClients, "unknown machine clients are refused")
}

func TestTokensConfigReads(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_TENANT_CLAIM":       "custom:tenant",
		"POOLSIDE_ROLE_CLAIM":         "-",
		"POOLSIDE_TOKEN_SCOPES":       "tenant/{tenantId}, {tenantId}/{role}",
		"POOLSIDE_CLAIMS_TO_SUPPRESS": "email,phone_number,cognito:groups,Cognito:Roles,cognito:preferred_role",
		"POOLSIDE_CLIENT_TENANTS":     "m2m=acme,batch=globex",
		"POOLSIDE_CLIENT_SCOPES":      "m2m=orders/read  orders/write",
		"POOLSIDE_UNKNOWN_CLIENTS":    "Allow",
	}))
	require.NoError(t, err)
	assert.Equal(t, triggers.TokenPolicy{
		TenantClaim:      "custom:tenant",
		Scopes:           []string{"tenant/{tenantId}", "{tenantId}/{role}"},
		ClaimsToSuppress: []string{"email", "phone_number", "cognito:groups", "Cognito:Roles", "cognito:preferred_role"},
		Clients: map[string]triggers.ClientGrant{
			"m2m":   {Tenant: "acme", Scopes: []string{"orders/read", "orders/write"}},
			"batch": {Tenant: "globex"},
		},
		AllowUnknownClients: true,
	}, c.Tokens.Policy())
}

// A configuration that touches a reserved claim, or holds a scope with a
// space, fails start-up with a message naming the claim or scope.
func TestTokensConfigRefused(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want []string
	}{
		"tenant claim sub": {map[string]string{"POOLSIDE_TENANT_CLAIM": "sub"},
			[]string{`POOLSIDE_TENANT_CLAIM: claim "sub" is reserved`}},
		"role claim cognito:groups": {map[string]string{"POOLSIDE_ROLE_CLAIM": "cognito:groups"},
			[]string{`POOLSIDE_ROLE_CLAIM: claim "cognito:groups" is reserved`}},
		"role claim any cognito: claim": {map[string]string{"POOLSIDE_ROLE_CLAIM": "cognito:anything"},
			[]string{`claim "cognito:anything" is reserved`}},
		"dev: tenant claim": {map[string]string{"POOLSIDE_TENANT_CLAIM": "dev:tenant"},
			[]string{`POOLSIDE_TENANT_CLAIM: claim "dev:tenant" has the "dev:" prefix`}},
		"dev: role claim, any case": {map[string]string{"POOLSIDE_ROLE_CLAIM": "DEV:role"},
			[]string{`POOLSIDE_ROLE_CLAIM: claim "DEV:role" has the "dev:" prefix`}},
		"identity claims as tenant and role, both reported": {map[string]string{"POOLSIDE_TENANT_CLAIM": "email", "POOLSIDE_ROLE_CLAIM": "email_verified"},
			[]string{`POOLSIDE_TENANT_CLAIM: claim "email" is an identity claim`, `POOLSIDE_ROLE_CLAIM: claim "email_verified" is an identity claim`}},
		"phone identity claims": {map[string]string{"POOLSIDE_TENANT_CLAIM": "phone_number", "POOLSIDE_ROLE_CLAIM": "Phone_Number_Verified"},
			[]string{`claim "phone_number" is an identity claim`, `claim "Phone_Number_Verified" is an identity claim`}},
		"cognito:username as tenant": {map[string]string{"POOLSIDE_TENANT_CLAIM": "cognito:username"},
			[]string{`POOLSIDE_TENANT_CLAIM: claim "cognito:username" is reserved`}},
		"suppress reserved, every one reported": {map[string]string{"POOLSIDE_CLAIMS_TO_SUPPRESS": "email,aud,auth_time,cognito:username"},
			[]string{`claim "aud" is reserved`, `claim "auth_time" is reserved`, `claim "cognito:username" is reserved`}},
		"suppress the claim poolside adds": {map[string]string{"POOLSIDE_CLAIMS_TO_SUPPRESS": "tenantId"},
			[]string{`POOLSIDE_CLAIMS_TO_SUPPRESS: claim "tenantId" is the one poolside adds`}},
		"scope with a space": {map[string]string{"POOLSIDE_TOKEN_SCOPES": "tenant/{tenantId},read all"},
			[]string{`POOLSIDE_TOKEN_SCOPES: scope "read all" holds a space`}},
		"unknown placeholder": {map[string]string{"POOLSIDE_TOKEN_SCOPES": "tenant/{tenant}"},
			[]string{`scope "tenant/{tenant}" has an unknown placeholder`}},
		"same claim twice": {map[string]string{"POOLSIDE_TENANT_CLAIM": "org", "POOLSIDE_ROLE_CLAIM": "org"},
			[]string{`POOLSIDE_ROLE_CLAIM: "org" is also POOLSIDE_TENANT_CLAIM`}},
		"client scopes without a tenant": {map[string]string{"POOLSIDE_CLIENT_SCOPES": "m2m=orders/read"},
			[]string{`POOLSIDE_CLIENT_SCOPES: client m2m has no tenant`}},
		"malformed client tenants": {map[string]string{"POOLSIDE_CLIENT_TENANTS": "m2m"},
			[]string{`POOLSIDE_CLIENT_TENANTS: "m2m" is not key=value`}},
		"unknown clients value": {map[string]string{"POOLSIDE_UNKNOWN_CLIENTS": "maybe"},
			[]string{`POOLSIDE_UNKNOWN_CLIENTS: "maybe" is not refuse or allow`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(MapEnv(tc.env))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
