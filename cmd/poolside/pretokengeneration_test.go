package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// tokenResponse is the part of a PreTokenGeneration answer the acceptance
// tests read.
type tokenResponse struct {
	V1 *struct {
		Claims map[string]any `json:"claimsToAddOrOverride"`
		Groups struct {
			Groups []string `json:"groupsToOverride"`
		} `json:"groupOverrideDetails"`
	} `json:"claimsOverrideDetails"`
	V2 *struct {
		ID *struct {
			Claims map[string]any `json:"claimsToAddOrOverride"`
		} `json:"idTokenGeneration"`
		Access *struct {
			Claims map[string]any `json:"claimsToAddOrOverride"`
			Scopes []string       `json:"scopesToAdd"`
		} `json:"accessTokenGeneration"`
		Groups struct {
			Groups []string `json:"groupsToOverride"`
		} `json:"groupOverrideDetails"`
	} `json:"claimsAndScopeOverrideDetails"`
}

// tokenAnswer posts a TokenGeneration event and decodes its response; it
// fails on a function error.
func tokenAnswer(t *testing.T, url string, event []byte) (tokenResponse, string) {
	t.Helper()
	body, fnErr := post(t, url, event)
	require.Empty(t, fnErr, string(body))
	var out struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	var r tokenResponse
	require.NoError(t, json.Unmarshal(out.Response, &r))
	return r, string(out.Response)
}

// requireTenant checks the tenant claim is in the tokens the event's
// version may change: the ID token for V1_0, both tokens for V2_0/V3_0.
func requireTenant(t *testing.T, r tokenResponse, tenant, name string) {
	t.Helper()
	switch {
	case r.V1 != nil:
		require.Nil(t, r.V2, name)
		require.Equal(t, tenant, r.V1.Claims["tenantId"], name)
		require.Contains(t, r.V1.Groups.Groups, "USER", "%s: the user's groups are kept", name)
	case r.V2 != nil:
		require.NotNil(t, r.V2.ID, name)
		require.NotNil(t, r.V2.Access, name)
		require.Equal(t, tenant, r.V2.ID.Claims["tenantId"], "%s: ID token", name)
		require.Equal(t, tenant, r.V2.Access.Claims["tenantId"], "%s: access token", name)
		require.Contains(t, r.V2.Access.Scopes, "tenant/"+tenant, name)
		require.Contains(t, r.V2.Groups.Groups, "USER", "%s: the user's groups are kept", name)
	default:
		t.Fatalf("%s: no override in the response", name)
	}
}

// withEmail sets the event's email attribute.
func withEmail(t *testing.T, event []byte, email string) []byte {
	t.Helper()
	var ev map[string]any
	require.NoError(t, json.Unmarshal(event, &ev))
	ev["request"].(map[string]any)["userAttributes"].(map[string]any)["email"] = email
	out, err := json.Marshal(ev)
	require.NoError(t, err)
	return out
}

var userTokenFixtures = []string{
	"TokenGeneration_HostedAuth", "TokenGeneration_Authentication", "TokenGeneration_NewPasswordChallenge",
	"TokenGeneration_AuthenticateDevice", "TokenGeneration_RefreshTokens",
}

// Acceptance, through `poolside serve` on the embedded default (memory store):
// after PostConfirmation, every source in every version carries the tenant
// from the profile; custom:tenantId "evil" never gets in; a user never seen
// before still gets claims; a SUSPENDED profile gets no tokens, refresh included.
func TestPreTokenGenerationThroughServe(t *testing.T) {
	env := map[string]string{
		"POOLSIDE_TENANT_DOMAINS": "example.com=acme",
		"POOLSIDE_TOKEN_SCOPES":   "tenant/{tenantId}",
	}
	var logs bytes.Buffer
	a := newTestApp(t, env, &logs)
	srv := httptest.NewServer((&invokeAPI{Router: a.router, Log: a.log}).Handler())
	t.Cleanup(srv.Close)
	url := srv.URL + "/2015-03-31/functions/poolside/invocations"

	const pool, user, sub = "us-east-1_Acc3pt", "ana", "0b9c4f3e-5d6a-4e1b-9c2d-acce97a0c0de"
	body, fnErr := post(t, url, eventFor(t, "PostConfirmation_ConfirmSignUp", pool, user, sub))
	require.Empty(t, fnErr, string(body))

	for _, base := range userTokenFixtures {
		for _, variant := range []string{"", ".v2", ".v3"} {
			name := base + variant
			r, _ := tokenAnswer(t, url, eventFor(t, name, pool, user, sub))
			requireTenant(t, r, "acme", name)
		}
	}

	for _, name := range []string{"TokenGeneration_Authentication.evil-tenant", "TokenGeneration_Authentication.v2-evil-tenant",
		"TokenGeneration_Authentication.v3-evil-tenant"} {
		r, raw := tokenAnswer(t, url, eventFor(t, name, pool, user, sub))
		requireTenant(t, r, "acme", name)
		require.NotContains(t, raw, "evil", name)
		require.NotContains(t, raw, "ADMIN", "%s: nor custom:role", name)
	}

	// A user no PostConfirmation ever saw (admin-created): the profile is
	// made on the spot, from the email's domain.
	const newSub = "5e1f0a2b-7c3d-4e5f-8a9b-00000000feed"
	for _, variant := range []string{"", ".v2", ".v3"} {
		name := "TokenGeneration_NewPasswordChallenge" + variant
		r, _ := tokenAnswer(t, url, withEmail(t, eventFor(t, name, pool, "bo", newSub), "Bo.Berg@example.com"))
		requireTenant(t, r, "acme", name)
	}
	p, err := a.store.Get(context.Background(), newSub)
	require.NoError(t, err)
	require.Equal(t, "acme", p.TenantID)

	// The kill switch: suspend Ana (poolside profile set-status does this
	// against DynamoDB; the embedded default's store lives in this process).
	_, err = profilestore.SetStatus(context.Background(), a.store, sub, profilestore.StatusSuspended)
	require.NoError(t, err)
	for _, name := range []string{"TokenGeneration_RefreshTokens", "TokenGeneration_RefreshTokens.v2",
		"TokenGeneration_RefreshTokens.v3", "TokenGeneration_Authentication", "TokenGeneration_HostedAuth.v2"} {
		body, fnErr := post(t, url, eventFor(t, name, pool, user, sub))
		require.Equal(t, "Unhandled", fnErr, name)
		// in Ana's language: the fixtures' user has locale pt-BR
		require.JSONEq(t, `{"errorMessage":"Esta conta não está ativa. Entre em contato com o suporte","errorType":"Refused"}`, string(body), name)
	}
	// …and only Ana.
	r, _ := tokenAnswer(t, url, withEmail(t, eventFor(t, "TokenGeneration_RefreshTokens", pool, "bo", newSub), "Bo.Berg@example.com"))
	requireTenant(t, r, "acme", "the other user")

	_, err = profilestore.SetStatus(context.Background(), a.store, sub, profilestore.StatusConfirmed)
	require.NoError(t, err)
	r, _ = tokenAnswer(t, url, eventFor(t, "TokenGeneration_RefreshTokens.v2", pool, user, sub))
	requireTenant(t, r, "acme", "reinstated")
	assert.Contains(t, logs.String(), `"tokenVersion":3`)
}

// The same on DynamoDB (moto), with the real admin command:
// `poolside profile set-status <sub> SUSPENDED` stops the next refresh.
func TestPreTokenGenerationKillSwitchOnDynamoDB(t *testing.T) {
	ep := localEndpoint(t)
	table := fmt.Sprintf("profiles-ptg-%d", time.Now().UnixNano())
	env := map[string]string{
		"POOLSIDE_PROFILE_STORE":     "dynamodb://" + table,
		"POOLSIDE_DYNAMODB_ENDPOINT": ep,
		"POOLSIDE_ADD_TO_GROUP":      "false",
		"POOLSIDE_TENANT_DOMAINS":    "example.com=acme",
		"POOLSIDE_TOKEN_SCOPES":      "tenant/{tenantId}",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var created map[string]any
	runCLI(t, &created, "table", "create")

	var logs bytes.Buffer
	url := serveApp(t, env, &logs)
	const pool, user, sub = "us-east-1_Dyn4mo", "ana", "7d1e2f3a-4b5c-4d6e-8f9a-0b1c2d3e4f50"
	body, fnErr := post(t, url, eventFor(t, "PostConfirmation_ConfirmSignUp", pool, user, sub))
	require.Empty(t, fnErr, string(body))
	r, _ := tokenAnswer(t, url, eventFor(t, "TokenGeneration_RefreshTokens.v3", pool, user, sub))
	requireTenant(t, r, "acme", "before")

	var p profilestore.Profile
	runCLI(t, &p, "profile", "set-status", sub, "SUSPENDED")
	require.Equal(t, profilestore.StatusSuspended, p.Status)
	body, fnErr = post(t, url, eventFor(t, "TokenGeneration_RefreshTokens.v3", pool, user, sub))
	require.Equal(t, "Unhandled", fnErr)
	// The fixture's user reads Portuguese (locale pt-BR).
	require.Contains(t, string(body), "Esta conta não está ativa")
}
