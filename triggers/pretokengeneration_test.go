package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore"
)

// fakeLoader is a hand-written profileLoader that counts its calls. create
// answers CreateGuarded; GetByEmail answers byEmail (ErrNotFound when nil);
// Update applies the change to what get returns.
type fakeLoader struct {
	get                    func(id string) (profilestore.Profile, error)
	ensure                 func(p profilestore.Profile) (profilestore.Profile, bool, error)
	byEmail                func(email string) (profilestore.Profile, error)
	guards                 []profilestore.EmailGuard
	gets, ensures, updates int
}

func (f *fakeLoader) Get(_ context.Context, id string) (profilestore.Profile, error) {
	f.gets++
	return f.get(id)
}

func (f *fakeLoader) GetByEmail(_ context.Context, email string) (profilestore.Profile, error) {
	if f.byEmail == nil {
		return profilestore.Profile{}, profilestore.ErrNotFound
	}
	return f.byEmail(email)
}

func (f *fakeLoader) CreateGuarded(_ context.Context, p profilestore.Profile, g profilestore.EmailGuard) (profilestore.Profile, bool, error) {
	f.ensures++
	f.guards = append(f.guards, g)
	return f.ensure(p)
}

// heldGuard is a store's CreateGuarded when the email guard is held by
// another profile: the first attempt (which takes the guard) is refused, the
// next (without it) stores the profile.
func heldGuard() func(profilestore.Profile) (profilestore.Profile, bool, error) {
	calls := 0
	return func(p profilestore.Profile) (profilestore.Profile, bool, error) {
		calls++
		if calls == 1 {
			return profilestore.Profile{}, false, fmt.Errorf("email: %w", profilestore.ErrExists)
		}
		return p, true, nil
	}
}

func (f *fakeLoader) Adopt(context.Context, string, profilestore.Profile) (profilestore.Profile, error) {
	return profilestore.Profile{}, errors.New("adopt must not be called")
}

func (f *fakeLoader) Update(_ context.Context, id string, change func(*profilestore.Profile) error) (profilestore.Profile, error) {
	f.updates++
	p, err := f.get(id)
	if err != nil {
		return p, err
	}
	err = change(&p)
	return p, err
}

var tokenPolicy = TokenPolicy{
	TenantClaim: "tenantId", RoleClaim: "role",
	Scopes:           []string{"tenant/{tenantId}", "{tenantId}/{role}"},
	ClaimsToSuppress: []string{"email"},
	Clients:          map[string]ClientGrant{"m2m": {Tenant: "globex", Scopes: []string{"reports/read"}}},
}

func tokenEvent(version string, source Source) *PreTokenGenerationEvent {
	return &PreTokenGenerationEvent{
		Header: Header{Version: Version(version), TriggerSource: source, UserName: "ana", CallerContext: CallerContext{ClientID: "web"}},
		Request: PreTokenGenerationRequest{
			UserAttributes: Attributes{"sub": "sub-1", "email": "ana@example.com", "email_verified": "true", "given_name": "Ana",
				"custom:tenantId": "evil", "custom:role": "ADMIN"},
			GroupConfiguration: GroupConfiguration{GroupsToOverride: StringList{"USER"}, IAMRolesToOverride: StringList{"arn:role/r"}, PreferredRole: "arn:role/r"},
			Scopes:             StringList{"openid", "tenant/acme"},
		},
	}
}

var anaProfile = profilestore.Profile{ID: "sub-1", TenantID: "acme", Role: "MANAGER", Groups: []string{"USER", "billing"}, Status: profilestore.StatusConfirmed}

// found returns a store holding p.
func found(p profilestore.Profile) *fakeLoader {
	return &fakeLoader{
		get: func(string) (profilestore.Profile, error) { return p, nil },
		ensure: func(profilestore.Profile) (profilestore.Profile, bool, error) {
			return profilestore.Profile{}, false, errors.New("ensure must not be called")
		},
	}
}

func responseJSON(t *testing.T, r PreTokenGenerationResponse) string {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

// Each version gets its own shape; claims from the profile, never the
// attributes; Cognito's groups as Cognito lists them; scopes not yet granted added.
func TestPreTokenGenerationShapes(t *testing.T) {
	const groups = `"groupOverrideDetails":{"groupsToOverride":["USER"],"iamRolesToOverride":["arn:role/r"],"preferredRole":"arn:role/r"}`
	const claims = `"claimsToAddOrOverride":{"role":"MANAGER","tenantId":"acme"},"claimsToSuppress":["email"]`
	v2 := `{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{` + claims + `},"accessTokenGeneration":{` + claims +
		`,"scopesToAdd":["acme/MANAGER"]},` + groups + `}}`
	cases := map[string]struct {
		version string
		want    string
	}{
		"V1_0":           {"1", `{"claimsOverrideDetails":{` + claims + `,` + groups + `}}`},
		"V2_0":           {"2", v2},
		"V3_0":           {"3", v2},
		"emulator 0":     {"0", `{"claimsOverrideDetails":{` + claims + `,` + groups + `}}`},
		"V3_0 as string": {"V3_0", v2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			store := found(anaProfile)
			h := &PreTokenGenerationHandler{Store: store, Tokens: tokenPolicy}
			ev := tokenEvent(tc.version, TokenGenerationAuthentication)
			require.NoError(t, h.Handle(context.Background(), ev))
			got := responseJSON(t, ev.Response)
			assert.JSONEq(t, tc.want, got)
			assert.NotContains(t, got, "evil")
			assert.NotContains(t, got, "ADMIN")
			assert.Equal(t, 1, store.gets, "one store read on the hot path")
			assert.Zero(t, store.ensures)
		})
	}
}

// Every user source answers the same way.
func TestPreTokenGenerationEverySource(t *testing.T) {
	for _, source := range Sources[PreTokenGeneration] {
		if source == TokenGenerationClientCredentials {
			continue
		}
		t.Run(string(source), func(t *testing.T) {
			h := &PreTokenGenerationHandler{Store: found(anaProfile), Tokens: tokenPolicy}
			ev := tokenEvent("2", source)
			require.NoError(t, h.Handle(context.Background(), ev))
			d := ev.Response.ClaimsAndScopeOverrideDetails
			require.NotNil(t, d)
			assert.Equal(t, "acme", d.AccessTokenGeneration.ClaimsToAddOrOverride["tenantId"])
			assert.Equal(t, "acme", d.IDTokenGeneration.ClaimsToAddOrOverride["tenantId"])
		})
	}
}

// A user with no profile yet gets one from the policy (tenant from the email
// domain), then claims; an inactive profile is refused; store trouble fails.
func TestPreTokenGenerationProfile(t *testing.T) {
	policy := ProfilePolicy{TenantByDomain: map[string]string{"example.com": "acme"}, DefaultTenant: "default"}
	storeDown := errors.New("connection refused")
	cases := map[string]struct {
		get      func(string) (profilestore.Profile, error)
		ensure   func(profilestore.Profile) (profilestore.Profile, bool, error)
		byEmail  func(string) (profilestore.Profile, error)
		ensures  int
		updates  int
		guards   []profilestore.EmailGuard
		tenant   string
		refusal  messages.Code // when refused
		internal bool          // a non-refusal error
		// unverified: the event's email_verified is verifiedAs (absent when "")
		unverified bool
		verifiedAs string
	}{
		"existing": {get: func(string) (profilestore.Profile, error) { return anaProfile, nil }, tenant: "acme"},
		"never seen: ensured from the policy": {
			get: func(string) (profilestore.Profile, error) { return profilestore.Profile{}, profilestore.ErrNotFound },
			ensure: func(p profilestore.Profile) (profilestore.Profile, bool, error) {
				if p.ID != "sub-1" || p.TenantID != "acme" {
					return p, false, errors.New("wrong new profile")
				}
				p.Role, p.Status = profilestore.DefaultRole, profilestore.StatusConfirmed
				return p, true, nil
			},
			ensures: 1, tenant: "acme",
		},
		"suspended": {
			get: func(string) (profilestore.Profile, error) {
				p := anaProfile
				p.Status = profilestore.StatusSuspended
				return p, nil
			},
			refusal: messages.CodeAccountInactive,
		},
		"disabled": {
			get: func(string) (profilestore.Profile, error) {
				p := anaProfile
				p.Status = profilestore.StatusDisabled
				return p, nil
			},
			refusal: messages.CodeAccountInactive,
		},
		"store down": {
			get:      func(string) (profilestore.Profile, error) { return profilestore.Profile{}, storeDown },
			internal: true,
		},
		"email held by another profile: stored without the guard, never refused": {
			get: func(string) (profilestore.Profile, error) { return profilestore.Profile{}, profilestore.ErrNotFound },
			byEmail: func(string) (profilestore.Profile, error) {
				return profilestore.Profile{ID: "sub-older", Username: "ana-old"}, nil
			},
			ensure: heldGuard(),
			// the transaction finds the guard taken, the holder is read, then
			// the profile is stored without the guard
			guards: []profilestore.EmailGuard{{}, {Skip: true}}, ensures: 2, tenant: "acme",
		},
		"unverified email: default tenant, no guard": {
			unverified: true,
			get:        func(string) (profilestore.Profile, error) { return profilestore.Profile{}, profilestore.ErrNotFound },
			ensure:     func(p profilestore.Profile) (profilestore.Profile, bool, error) { return p, true, nil },
			guards:     []profilestore.EmailGuard{{Skip: true}}, ensures: 1, tenant: "default",
		},
		"email_verified True is not true": {
			unverified: true, verifiedAs: "True",
			get:    func(string) (profilestore.Profile, error) { return profilestore.Profile{}, profilestore.ErrNotFound },
			ensure: func(p profilestore.Profile) (profilestore.Profile, bool, error) { return p, true, nil },
			guards: []profilestore.EmailGuard{{Skip: true}}, ensures: 1, tenant: "default",
		},
		"existing default-tenant profile, email now verified: upgraded": {
			get: func(string) (profilestore.Profile, error) {
				p := anaProfile
				p.TenantID = "default"
				return p, nil
			},
			updates: 1, tenant: "acme",
		},
		"existing default-tenant profile, email still unverified: stays": {
			unverified: true,
			get: func(string) (profilestore.Profile, error) {
				p := anaProfile
				p.TenantID = "default"
				return p, nil
			},
			tenant: "default",
		},
		"existing non-default tenant never downgraded or moved": {
			get: func(string) (profilestore.Profile, error) {
				p := anaProfile
				p.TenantID = "globex"
				return p, nil
			},
			tenant: "globex",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			store := &fakeLoader{get: tc.get, ensure: tc.ensure, byEmail: tc.byEmail}
			h := &PreTokenGenerationHandler{Policy: policy, Store: store, Tokens: tokenPolicy}
			ev := tokenEvent("1", TokenGenerationRefreshTokens)
			if tc.unverified {
				delete(ev.Request.UserAttributes, "email_verified")
				if tc.verifiedAs != "" {
					ev.Request.UserAttributes["email_verified"] = tc.verifiedAs
				}
			}
			err := h.Handle(context.Background(), ev)
			assert.Equal(t, 1, store.gets, "the profile is read once, also when it is then created (#17)")
			assert.Equal(t, tc.ensures, store.ensures)
			assert.Equal(t, tc.updates, store.updates)
			if tc.guards != nil {
				assert.Equal(t, tc.guards, store.guards)
			}
			var refusal *Refusal
			switch {
			case tc.refusal != (messages.Code{}):
				require.ErrorAs(t, err, &refusal)
				assert.Equal(t, tc.refusal, refusal.Code)
				assert.Nil(t, ev.Response.ClaimsOverrideDetails, "no tokens")
			case tc.internal:
				require.ErrorIs(t, err, storeDown)
				assert.False(t, errors.As(err, &refusal), "infrastructure errors are not shown to the user")
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.tenant, ev.Response.ClaimsOverrideDetails.ClaimsToAddOrOverride["tenantId"])
			}
		})
	}
}

// A migrated user's first token adopts the profile the import left under a
// pending id: the legacy tenant and role win over the email-domain policy,
// and a suspended import stays suspended.
func TestPreTokenGenerationAdoptsMigratedProfile(t *testing.T) {
	ctx := context.Background()
	for name, status := range map[string]profilestore.Status{"confirmed": profilestore.StatusConfirmed, "suspended": profilestore.StatusSuspended} {
		t.Run(name, func(t *testing.T) {
			store := profilestore.NewMemory(func() time.Time { return fixedNow })
			_, err := store.Create(ctx, profilestore.Profile{ID: profilestore.PendingID("legacy-7"), Email: "Ana@Example.com",
				TenantID: "legacy-co", Role: "EDITOR", Status: status, SourceSystem: profilestore.SourceLegacy})
			require.NoError(t, err)
			h := &PreTokenGenerationHandler{Policy: ProfilePolicy{DefaultTenant: "default"}, Store: store, Tokens: tokenPolicy}
			ev := tokenEvent("1", TokenGenerationAuthentication)
			err = h.Handle(ctx, ev)
			if status != profilestore.StatusConfirmed {
				var refusal *Refusal
				require.ErrorAs(t, err, &refusal)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"tenantId": "legacy-co", "role": "EDITOR"}, ev.Response.ClaimsOverrideDetails.ClaimsToAddOrOverride)
			p, err := store.Get(ctx, "sub-1")
			require.NoError(t, err)
			assert.Equal(t, "legacy-co", p.TenantID, "adopted under the sub")
			_, err = store.Get(ctx, profilestore.PendingID("legacy-7"))
			assert.ErrorIs(t, err, profilestore.ErrNotFound, "the pending id is gone")
		})
	}
}

// The token lists Cognito's groups: an administrator's removal sticks, the
// profile's record adds nothing; no groups anywhere still answers [] (never
// a null override, which would strip them). The one addition: the groups
// poolside just added a migrated user to (NewGroups), cleared once used.
func TestPreTokenGenerationGroupsAreCognitos(t *testing.T) {
	cases := map[string]struct {
		request, profile, newGroups []string
		want                        string
	}{
		"request only":                       {[]string{"USER", "beta"}, nil, nil, `["USER","beta"]`},
		"admin removed USER: stays removed":  {[]string{"beta"}, []string{"USER", "beta"}, nil, `["beta"]`},
		"none anywhere":                      {nil, nil, nil, `[]`},
		"profile only: not added":            {nil, []string{"billing"}, nil, `[]`},
		"migrated first sign-in: new groups": {nil, []string{"USER"}, []string{"USER", "EDITORS"}, `["USER","EDITORS"]`},
		"new groups Cognito already lists":   {[]string{"USER"}, nil, []string{"USER"}, `["USER"]`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := anaProfile
			p.Groups, p.NewGroups = tc.profile, tc.newGroups
			for _, version := range []string{"1", "2", "3"} {
				ev := tokenEvent(version, TokenGenerationHostedAuth)
				ev.Request.GroupConfiguration.GroupsToOverride = tc.request
				store := found(p)
				require.NoError(t, (&PreTokenGenerationHandler{Store: store, Tokens: tokenPolicy}).Handle(context.Background(), ev))
				assert.Contains(t, responseJSON(t, ev.Response), `"groupsToOverride":`+tc.want, "version %s", version)
				if tc.newGroups != nil {
					assert.Equal(t, 1, store.updates, "NewGroups cleared")
				}
			}
		})
	}
	t.Run("cleared once used", func(t *testing.T) {
		ctx := context.Background()
		store := profilestore.NewMemory(nil)
		p := anaProfile
		p.Email, p.NewGroups = "ana@example.com", []string{"USER"}
		_, err := store.Create(ctx, p)
		require.NoError(t, err)
		h := &PreTokenGenerationHandler{Store: store, Tokens: tokenPolicy}
		ev := tokenEvent("1", TokenGenerationAuthentication)
		ev.Request.GroupConfiguration.GroupsToOverride = nil
		require.NoError(t, h.Handle(ctx, ev))
		assert.Equal(t, StringList{"USER"}, ev.Response.ClaimsOverrideDetails.GroupOverrideDetails.GroupsToOverride)
		ev = tokenEvent("1", TokenGenerationRefreshTokens)
		ev.Request.GroupConfiguration.GroupsToOverride = nil
		require.NoError(t, h.Handle(ctx, ev))
		assert.Empty(t, ev.Response.ClaimsOverrideDetails.GroupOverrideDetails.GroupsToOverride, "the next token lists Cognito's groups only")
	})
}

// Claims are left out when not named or not known; scope templates with an
// empty value are skipped.
func TestPreTokenGenerationPartialClaims(t *testing.T) {
	p := anaProfile
	p.Role = ""
	h := &PreTokenGenerationHandler{Store: found(p), Tokens: TokenPolicy{TenantClaim: "custom:tenant", Scopes: tokenPolicy.Scopes}}
	ev := tokenEvent("3", TokenGenerationAuthentication)
	ev.Request.Scopes = nil
	require.NoError(t, h.Handle(context.Background(), ev))
	at := ev.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration
	assert.Equal(t, map[string]any{"custom:tenant": "acme"}, at.ClaimsToAddOrOverride)
	assert.Equal(t, []string{"tenant/acme"}, at.ScopesToAdd)
	assert.Nil(t, at.ClaimsToSuppress)
}

// Machine-to-machine tokens: claims and scopes from the client map, no store.
func TestPreTokenGenerationClientCredentials(t *testing.T) {
	cases := map[string]struct {
		version, client string
		allowUnknown    bool
		want            string // response JSON
		refusal         messages.Code
	}{
		"known client": {version: "3", client: "m2m",
			want: `{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"tenantId":"globex"},"claimsToSuppress":["email"],"scopesToAdd":["tenant/globex","reports/read"]}}}`},
		"unknown client refused": {version: "3", client: "stranger", refusal: messages.CodeUnknownClient},
		"unknown client allowed": {version: "3", client: "stranger", allowUnknown: true, want: `{}`},
		"V1_0 event refused":     {version: "1", client: "m2m", refusal: messages.CodeNeedsV3},
		"V2_0 event refused":     {version: "2", client: "m2m", refusal: messages.CodeNeedsV3},
		"V1_0 even when unknown": {version: "1", client: "stranger", allowUnknown: true, refusal: messages.CodeNeedsV3},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			store := &fakeLoader{} // any call panics: no user lookup
			tokens := tokenPolicy
			tokens.AllowUnknownClients = tc.allowUnknown
			h := &PreTokenGenerationHandler{Store: store, Tokens: tokens}
			ev := &PreTokenGenerationEvent{Header: Header{Version: Version(tc.version), TriggerSource: TokenGenerationClientCredentials,
				CallerContext: CallerContext{ClientID: tc.client}}, Request: PreTokenGenerationRequest{Scopes: StringList{"orders/read"}}}
			err := h.Handle(context.Background(), ev)
			if tc.refusal != (messages.Code{}) {
				var refusal *Refusal
				require.ErrorAs(t, err, &refusal)
				assert.Equal(t, tc.refusal, refusal.Code)
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, responseJSON(t, ev.Response))
		})
	}
}

func TestReservedClaim(t *testing.T) {
	for _, c := range []string{"sub", "Sub", " exp ", "cognito:groups", "cognito:preferred_role", "COGNITO:username", "token_use", "origin_jti", "scope"} {
		assert.True(t, ReservedClaim(c), c)
	}
	for _, c := range []string{"tenantId", "role", "custom:tenant", "email", "groups"} {
		assert.False(t, ReservedClaim(c), c)
	}
}

// The hot path against the in-memory store: one Get per token.
func BenchmarkPreTokenGeneration(b *testing.B) {
	store := profilestore.NewMemory(func() time.Time { return time.Unix(0, 0) })
	_, err := store.Create(context.Background(), profilestore.Profile{ID: "sub-1", Email: "ana@example.com", TenantID: "acme"})
	require.NoError(b, err)
	h := &PreTokenGenerationHandler{Store: store, Tokens: tokenPolicy}
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Handle(context.Background(), tokenEvent("3", TokenGenerationRefreshTokens)); err != nil {
			b.Fatal(err)
		}
	}
}
