package triggers

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// The PreTokenGeneration response types as encoding/json wrote them from
// their tags before they wrote themselves (and GroupConfiguration's earlier
// MarshalJSON, through json.Marshal): the reference for the bytes.
type (
	reflGroups GroupConfiguration
	reflV1     struct {
		ClaimsToAddOrOverride map[string]string `json:"claimsToAddOrOverride,omitempty"`
		ClaimsToSuppress      []string          `json:"claimsToSuppress,omitempty"`
		GroupOverrideDetails  *reflGroups       `json:"groupOverrideDetails,omitempty"`
	}
	reflToken struct {
		ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride,omitempty"`
		ClaimsToSuppress      []string       `json:"claimsToSuppress,omitempty"`
		ScopesToAdd           []string       `json:"scopesToAdd,omitempty"`
		ScopesToSuppress      []string       `json:"scopesToSuppress,omitempty"`
	}
	reflV2 struct {
		IDTokenGeneration     *reflToken  `json:"idTokenGeneration,omitempty"`
		AccessTokenGeneration *reflToken  `json:"accessTokenGeneration,omitempty"`
		GroupOverrideDetails  *reflGroups `json:"groupOverrideDetails,omitempty"`
	}
	reflResponse struct {
		ClaimsOverrideDetails         *reflV1 `json:"claimsOverrideDetails,omitempty"`
		ClaimsAndScopeOverrideDetails *reflV2 `json:"claimsAndScopeOverrideDetails,omitempty"`
	}
)

func (g reflGroups) MarshalJSON() ([]byte, error) {
	nonNil := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	out := struct {
		Groups []string `json:"groupsToOverride"`
		Roles  []string `json:"iamRolesToOverride"`
		Role   *string  `json:"preferredRole"`
	}{Groups: nonNil(g.GroupsToOverride), Roles: nonNil(g.IAMRolesToOverride)}
	if g.PreferredRole != "" {
		s := string(g.PreferredRole)
		out.Role = &s
	}
	return json.Marshal(out)
}

func reflOf(r PreTokenGenerationResponse) reflResponse {
	var out reflResponse
	if d := r.ClaimsOverrideDetails; d != nil {
		out.ClaimsOverrideDetails = &reflV1{ClaimsToAddOrOverride: d.ClaimsToAddOrOverride, ClaimsToSuppress: d.ClaimsToSuppress,
			GroupOverrideDetails: (*reflGroups)(d.GroupOverrideDetails)}
	}
	if d := r.ClaimsAndScopeOverrideDetails; d != nil {
		token := func(t *TokenGeneration) *reflToken {
			if t == nil {
				return nil
			}
			c := reflToken(*t)
			return &c
		}
		out.ClaimsAndScopeOverrideDetails = &reflV2{IDTokenGeneration: token(d.IDTokenGeneration),
			AccessTokenGeneration: token(d.AccessTokenGeneration), GroupOverrideDetails: (*reflGroups)(d.GroupOverrideDetails)}
	}
	return out
}

// requireReflectionBytes checks r's bytes against the reference, both as the
// router encodes a response (HTML escaping off) and through json.Marshal.
func requireReflectionBytes(t *testing.T, r PreTokenGenerationResponse) {
	t.Helper()
	got, err := marshal(r)
	require.NoError(t, err)
	want, err := marshal(reflOf(r))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "as the router encodes it")
	got, err = json.Marshal(r)
	require.NoError(t, err)
	want, err = json.Marshal(reflOf(r))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "through json.Marshal")
}

// tricky strings: HTML characters, quotes and backslashes, control
// characters, non-ASCII, the two line separators JSON escapes always, and
// invalid UTF-8.
var tricky = []string{"", "plain", `<script>&"'\`, "tab\there\nnew", "é ü 東京 🙂", "\u2028\u2029", "\xff\xfe bad", "\x00\x1f\x7f"}

func TestTokenResponseMarshalsAsReflection(t *testing.T) {
	groups := func(s string) *GroupConfiguration {
		return &GroupConfiguration{GroupsToOverride: StringList{"admins", s}, IAMRolesToOverride: StringList{s}, PreferredRole: OptionalString(s)}
	}
	cases := map[string]PreTokenGenerationResponse{
		"empty":              {},
		"v1 groups only":     {ClaimsOverrideDetails: &ClaimsOverrideDetails{GroupOverrideDetails: &GroupConfiguration{}}},
		"v2 groups only":     {ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{GroupOverrideDetails: &GroupConfiguration{GroupsToOverride: StringList{}}}},
		"v1 empty map/lists": {ClaimsOverrideDetails: &ClaimsOverrideDetails{ClaimsToAddOrOverride: map[string]string{}, ClaimsToSuppress: []string{}}},
		"v2 empty token":     {ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{}}}},
		"v2 non-string claims": {ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{AccessTokenGeneration: &TokenGeneration{
			ClaimsToAddOrOverride: map[string]any{"n": 3, "f": 1.5, "b": true, "nil": nil, "list": []string{"a", "<b>"}, "obj": map[string]any{"z": "&", "a": 1}},
			ScopesToAdd:           []string{"read"}, ScopesToSuppress: []string{"admin"},
		}}},
	}
	for _, s := range tricky {
		cases["v1 "+s] = PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: map[string]string{"tenantId": s, s: "role", "zeta": "z"},
			ClaimsToSuppress:      []string{s, "email"},
			GroupOverrideDetails:  groups(s),
		}}
		cases["v2 "+s] = PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration:     &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"tenantId": s, s: "x"}, ClaimsToSuppress: []string{s}},
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"role": s}, ScopesToAdd: []string{s}},
			GroupOverrideDetails:  groups(s),
		}}
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) { requireReflectionBytes(t, r) })
	}
}

func FuzzTokenResponseMarshalsAsReflection(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, key, value, group string) {
		requireReflectionBytes(t, PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: map[string]string{key: value, "tenantId": group},
			ClaimsToSuppress:      []string{value},
			GroupOverrideDetails:  &GroupConfiguration{GroupsToOverride: StringList{group}, PreferredRole: OptionalString(value)},
		}})
		requireReflectionBytes(t, PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration:    &TokenGeneration{ClaimsToAddOrOverride: map[string]any{key: value, "n": len(group)}, ScopesToAdd: []string{group}},
			GroupOverrideDetails: &GroupConfiguration{IAMRolesToOverride: StringList{value, group}},
		}})
	})
}
