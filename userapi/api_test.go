package userapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// route is one route of the API, with a body that would be accepted.
type route struct {
	method, path, body string
	admin              bool
}

var routes = []route{
	{"GET", "/me", "", false},
	{"PUT", "/me/data", `{"a":1}`, false},
	{"PATCH", "/me/data", `{"a":1}`, false},
	{"PATCH", "/me/preferences", `{"lang":"pt-BR"}`, false},
	{"POST", "/users", `{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek"}`, true},
	{"GET", "/users/" + userSub, "", true},
	{"GET", "/users?email=ana@acme.example", "", true},
	{"GET", "/users?handle=@AnaLima", "", true},
	{"PATCH", "/users/" + userSub, `{"role":"EDITOR"}`, true},
	{"PUT", "/users/" + userSub + "/data", `{"a":1}`, true},
	{"PATCH", "/users/" + userSub + "/data", `{"a":1}`, true},
	{"POST", "/users/" + userSub + "/badges/EARLY_BIRD", "", true},
	{"DELETE", "/users/" + userSub + "/badges/NEW_MEMBER", "", true},
	{"DELETE", "/users/" + userSub, "", true},
	{"POST", "/tokens/verify", `{"token":"x.y.z"}`, true},
}

// TestAuthPerRoute: every route refuses every broken credential with 401,
// the wrong kind of caller with 403, and lets the right one through.
func TestAuthPerRoute(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			e := newEnv(t)
			p := e.pool
			e.cognito.create = func(in *cip.AdminCreateUserInput) (*cip.AdminCreateUserOutput, error) {
				return createdUser("bo-sub", in), nil
			}
			type authCase struct {
				auth string
				want int
			}
			cases := map[string]authCase{
				"missing":                  {"", 401},
				"not bearer":               {"Basic dXNlcjpwYXNz", 401},
				"garbage":                  {bearer("not-a-jwt"), 401},
				"expired":                  {bearer(p.sign(t, with(p.idClaims(), "exp", now.Add(-time.Minute).Unix()))), 401},
				"not yet valid":            {bearer(p.sign(t, with(p.idClaims(), "nbf", now.Add(time.Minute).Unix()))), 401},
				"no exp":                   {bearer(p.sign(t, with(p.idClaims(), "exp", nil))), 401},
				"wrong issuer":             {bearer(p.sign(t, with(p.idClaims(), "iss", "https://cognito-idp.us-east-1.amazonaws.com/other"))), 401},
				"wrong audience":           {bearer(p.sign(t, with(p.idClaims(), "aud", otherClient))), 401},
				"access of another client": {bearer(p.sign(t, with(p.accessClaims(), "client_id", otherClient))), 401},
				"wrong token_use":          {bearer(p.sign(t, with(p.idClaims(), "token_use", "refresh"))), 401},
				"no token_use":             {bearer(p.sign(t, with(p.idClaims(), "token_use", nil))), 401},
				"bad signature":            {bearer(p.sign(t, p.idClaims(), p.other)), 401},
				"unknown api key":          {"key:pk_test_wrong", 401},
			}
			ok := 200
			switch {
			case rt.method == "POST" && rt.path == "/users":
				ok = 201
			case rt.method == "DELETE" && rt.path == "/users/"+userSub:
				ok = 204
			}
			if rt.admin {
				cases["ID token on a machine route"] = authCase{bearer(p.sign(t, p.idClaims())), 403}
				cases["user's access token: wrong scope"] = authCase{bearer(p.sign(t, p.accessClaims())), 403}
				cases["machine token without poolside/admin"] = authCase{bearer(p.sign(t, p.machineClaims("orders/read"))), 403}
				cases["machine token with poolside/admin"] = authCase{bearer(p.sign(t, p.machineClaims("orders/read "+AdminScope))), ok}
				cases["api key"] = authCase{"key:" + apiKey, ok}
			} else {
				cases["machine token on a user route"] = authCase{bearer(p.sign(t, p.machineClaims(AdminScope))), 403}
				cases["api key on a user route"] = authCase{"key:" + apiKey, 403}
				cases["ID token"] = authCase{bearer(p.sign(t, p.idClaims())), ok}
				cases["access token"] = authCase{bearer(p.sign(t, p.accessClaims())), ok}
			}
			for name, c := range cases {
				t.Run(name, func(t *testing.T) {

					e2 := newEnvWithPool(t, p)
					e2.cognito.create = e.cognito.create
					res, doc := e2.call(t, rt.method, rt.path, c.auth, rt.body)
					require.Equal(t, c.want, res.StatusCode, "%v", doc)
					if c.want >= 400 {
						assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
						assert.EqualValues(t, c.want, doc["status"])
						assert.NotEmpty(t, doc["type"])
						assert.NotEmpty(t, doc["detail"])
					}
					if c.want == 401 {
						assert.Contains(t, res.Header.Get("WWW-Authenticate"), "Bearer")
					}
				})
			}
		})
	}
}

func createdUser(sub string, in *cip.AdminCreateUserInput) *cip.AdminCreateUserOutput {
	attrs := append([]types.AttributeType{{Name: aws.String("sub"), Value: aws.String(sub)}}, in.UserAttributes...)
	return &cip.AdminCreateUserOutput{User: &types.UserType{Username: aws.String(sub), Attributes: attrs}}
}

func TestMeShowsTheCallersProfileOnly(t *testing.T) {
	e := newEnv(t)
	tok := bearer(e.pool.sign(t, e.pool.idClaims()))
	res, doc := e.call(t, "GET", "/me", tok, "")
	require.Equal(t, 200, res.StatusCode)
	assert.Equal(t, userSub, doc["id"])
	assert.Equal(t, "acme", doc["tenantId"])
	assert.Equal(t, `"1"`, res.Header.Get("ETag"))

	stranger := bearer(e.pool.sign(t, with(e.pool.idClaims(), "sub", "no-profile", "cognito:username", "no-profile")))
	res, doc = e.call(t, "GET", "/me", stranger, "")
	assert.Equal(t, 404, res.StatusCode, "%v", doc)
}

func TestDataValidation(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDataDepth+1) + "1" + strings.Repeat("}", MaxDataDepth+1)
	justDeepEnough := strings.Repeat(`{"a":`, MaxDataDepth) + "1" + strings.Repeat("}", MaxDataDepth)
	big := `{"blob":"` + strings.Repeat("x", MaxDataBytes) + `"}`
	cases := map[string]struct {
		body  string
		want  int
		field string
	}{
		"object":             {`{"theme":"light","n":[1,2]}`, 200, ""},
		"array":              {`[1,2]`, 400, "data"},
		"string":             {`"hello"`, 400, "data"},
		"number":             {`42`, 400, "data"},
		"null":               {`null`, 400, "data"},
		"not json":           {`{theme:`, 400, ""},
		"two values":         {`{} {}`, 400, ""},
		"oversized":          {big, 400, "data"},
		"too deep":           {deep, 400, "data"},
		"at the depth limit": {justDeepEnough, 200, ""},
	}
	for _, path := range []string{"/me/data", "/users/" + userSub + "/data"} {
		for _, method := range []string{"PUT", "PATCH"} {
			for name, c := range cases {
				t.Run(method+" "+path+" "+name, func(t *testing.T) {
					e := newEnv(t)
					auth := bearer(e.pool.sign(t, e.pool.idClaims()))
					if strings.HasPrefix(path, "/users") {
						auth = "key:" + apiKey
					}
					res, doc := e.call(t, method, path, auth, c.body)
					require.Equal(t, c.want, res.StatusCode, "%v", doc)
					if c.want == 400 {
						assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
						assert.NotEmpty(t, doc["detail"])
						if c.field != "" {
							errs, _ := doc["errors"].([]any)
							require.Len(t, errs, 1)
							assert.Equal(t, c.field, errs[0].(map[string]any)["field"])
						}
						p, err := e.store.Get(t.Context(), userSub)
						require.NoError(t, err)
						assert.Equal(t, map[string]any{"theme": "dark"}, p.Data, "nothing written")
					}
				})
			}
		}
	}
}

func TestDataMergeAndReplace(t *testing.T) {
	e := newEnv(t)
	tok := bearer(e.pool.sign(t, e.pool.idClaims()))
	res, doc := e.call(t, "PATCH", "/me/data", tok, `{"lang":"pt","theme":null}`)
	require.Equal(t, 200, res.StatusCode)
	assert.Equal(t, map[string]any{"lang": "pt"}, doc["data"], "null deletes, others merge")
	res, doc = e.call(t, "PUT", "/me/data", tok, `{"only":true}`)
	require.Equal(t, 200, res.StatusCode)
	assert.Equal(t, map[string]any{"only": true}, doc["data"])

	// A merge whose result would pass the cap is refused even though the patch is small.
	half := strings.Repeat("y", MaxDataBytes/2+10)
	res, _ = e.call(t, "PATCH", "/me/data", tok, fmt.Sprintf(`{"a":%q}`, half))
	require.Equal(t, 200, res.StatusCode)
	res, doc = e.call(t, "PATCH", "/me/data", tok, fmt.Sprintf(`{"b":%q}`, half))
	require.Equal(t, 400, res.StatusCode, "%v", doc)
	p, err := e.store.Get(t.Context(), userSub)
	require.NoError(t, err)
	assert.NotContains(t, p.Data, "b")
}

func TestIfMatch(t *testing.T) {
	type step struct {
		method, path, body string
	}
	steps := map[string]step{
		"PATCH /users/{id}":      {"PATCH", "/users/" + userSub, `{"role":"EDITOR"}`},
		"PUT /users/{id}/data":   {"PUT", "/users/" + userSub + "/data", `{"x":1}`},
		"PATCH /users/{id}/data": {"PATCH", "/users/" + userSub + "/data", `{"x":1}`},
		"POST badge":             {"POST", "/users/" + userSub + "/badges/VIP", ""},
		"DELETE /users/{id}":     {"DELETE", "/users/" + userSub, ""},
	}
	for name, s := range steps {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			res, _ := e.call(t, "GET", "/users/"+userSub, "key:"+apiKey, "")
			tag := res.Header.Get("ETag")
			require.Equal(t, `"1"`, tag)
			// Someone else edits first: the ETag read above is stale.
			res, _ = e.call(t, "PATCH", "/users/"+userSub+"/data", "key:"+apiKey, `{"other":"edit"}`, "If-Match", tag)
			require.Equal(t, 200, res.StatusCode)
			assert.Equal(t, `"2"`, res.Header.Get("ETag"))

			res, doc := e.call(t, s.method, s.path, "key:"+apiKey, s.body, "If-Match", tag)
			require.Equal(t, 412, res.StatusCode, "%v", doc)
			assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
			p, err := e.store.Get(t.Context(), userSub)
			require.NoError(t, err)
			assert.EqualValues(t, 2, p.Version, "the stale write changed nothing")
			assert.Empty(t, e.cognito.deleted)

			res, doc = e.call(t, s.method, s.path, "key:"+apiKey, s.body, "If-Match", `"2"`)
			assert.Less(t, res.StatusCode, 300, "%v", doc)
		})
	}
	t.Run("malformed", func(t *testing.T) {
		e := newEnv(t)
		res, _ := e.call(t, "PUT", "/users/"+userSub+"/data", "key:"+apiKey, `{}`, "If-Match", "2")
		assert.Equal(t, 400, res.StatusCode)
	})
}

func TestPatchUserStatus(t *testing.T) {
	cases := map[string]struct {
		body     string
		signOut  error
		want     int
		signOuts int
		status   profilestore.Status
	}{
		"suspend signs out everywhere": {`{"status":"SUSPENDED"}`, nil, 200, 1, profilestore.StatusSuspended},
		"disable signs out everywhere": {`{"status":"DISABLED"}`, nil, 200, 1, profilestore.StatusDisabled},
		"confirm does not sign out":    {`{"status":"CONFIRMED"}`, nil, 200, 0, profilestore.StatusConfirmed},
		"user gone from Cognito":       {`{"status":"SUSPENDED"}`, &types.UserNotFoundException{}, 200, 1, profilestore.StatusSuspended},
		"sign-out fails":               {`{"status":"SUSPENDED"}`, errors.New("throttled"), 502, 1, profilestore.StatusSuspended},
		"unknown status":               {`{"status":"BANNED"}`, nil, 400, 0, profilestore.StatusConfirmed},
		"bad role":                     {`{"role":"a b"}`, nil, 400, 0, profilestore.StatusConfirmed},
		"unknown field":                {`{"tenantId":"evil"}`, nil, 400, 0, profilestore.StatusConfirmed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			if c.signOut != nil {
				e.cognito.signOut = func(*cip.AdminUserGlobalSignOutInput) error { return c.signOut }
			}
			res, doc := e.call(t, "PATCH", "/users/"+userSub, "key:"+apiKey, c.body)
			require.Equal(t, c.want, res.StatusCode, "%v", doc)
			assert.Len(t, e.cognito.signOuts, c.signOuts)
			if c.signOuts > 0 {
				assert.Equal(t, userSub, e.cognito.signOuts[0])
			}
			p, err := e.store.Get(t.Context(), userSub)
			require.NoError(t, err)
			assert.Equal(t, c.status, p.Status)
			assert.Equal(t, "acme", p.TenantID)
		})
	}
}

func TestCreateUser(t *testing.T) {
	cases := map[string]struct {
		body       string
		createErr  error
		want       int
		tenant     string
		field      string
		suppressed bool
	}{
		"verified email chooses the tenant": {`{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek","emailVerified":true}`, nil, 201, "acme", "", false},
		"unverified email chooses nothing":  {`{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek"}`, nil, 201, "default", "", false},
		"suppressed invitation":             {`{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek","suppressInvitation":true}`, nil, 201, "default", "", true},
		"missing given name":                {`{"email":"bo@acme.example","familyName":"Ek"}`, nil, 400, "", "givenName", false},
		"bad email":                         {`{"email":"not-an-email","givenName":"Bo","familyName":"Ek"}`, nil, 400, "", "email", false},
		"exists in Cognito":                 {`{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek"}`, &types.UsernameExistsException{}, 409, "", "", false},
		"trigger refuses":                   {`{"email":"bo@acme.example","givenName":"Bo","familyName":"Ek"}`, &types.UserLambdaValidationException{Message: aws.String("PreSignUp failed with error Nope.")}, 400, "", "", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.cognito.create = func(in *cip.AdminCreateUserInput) (*cip.AdminCreateUserOutput, error) {
				if c.createErr != nil {
					return nil, c.createErr
				}
				return createdUser("bo-sub", in), nil
			}
			res, doc := e.call(t, "POST", "/users", "key:"+apiKey, c.body)
			require.Equal(t, c.want, res.StatusCode, "%v", doc)
			if c.field != "" {
				errs, _ := doc["errors"].([]any)
				require.Len(t, errs, 1)
				assert.Equal(t, c.field, errs[0].(map[string]any)["field"])
				assert.Empty(t, e.cognito.created, "the policy refuses before Cognito is called")
			}
			if c.want != 201 {
				_, err := e.store.Get(t.Context(), "bo-sub")
				assert.ErrorIs(t, err, profilestore.ErrNotFound)
				return
			}
			assert.Equal(t, "users/bo-sub", res.Header.Get("Location"))
			assert.Equal(t, c.tenant, doc["tenantId"])
			assert.Equal(t, "@BoEk", doc["handle"])
			require.Len(t, e.cognito.created, 1)
			in := e.cognito.created[0]
			assert.Equal(t, poolID, *in.UserPoolId)
			assert.Equal(t, c.suppressed, in.MessageAction == types.MessageActionTypeSuppress)
			p, err := e.store.Get(t.Context(), "bo-sub")
			require.NoError(t, err)
			assert.Equal(t, "bo@acme.example", p.Email)
		})
	}
}

func TestFindUsers(t *testing.T) {
	e := newEnv(t)
	cases := map[string]struct {
		query string
		want  int
		items int
	}{
		"by email, any case":  {"email=ANA@acme.example", 200, 1},
		"by handle without @": {"handle=analima", 200, 1},
		"by handle, %40":      {"handle=%40AnaLima", 200, 1},
		"unknown email":       {"email=nobody@acme.example", 200, 0},
		"neither":             {"", 400, 0},
		"both":                {"email=a@b.c&handle=x", 400, 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res, doc := e.call(t, "GET", "/users?"+c.query, "key:"+apiKey, "")
			require.Equal(t, c.want, res.StatusCode, "%v", doc)
			if c.want == 200 {
				items, ok := doc["items"].([]any)
				require.True(t, ok, "items is always a list: %v", doc)
				assert.Len(t, items, c.items)
				assert.NotContains(t, doc, "nextToken", "one page holds every match")
			}
		})
	}
}

func TestBadges(t *testing.T) {
	e := newEnv(t)
	for range 2 { // idempotent
		res, doc := e.call(t, "POST", "/users/"+userSub+"/badges/VIP", "key:"+apiKey, "")
		require.Equal(t, 200, res.StatusCode)
		assert.Equal(t, []any{"NEW_MEMBER", "VIP"}, doc["badges"])
	}
	for range 2 {
		res, doc := e.call(t, "DELETE", "/users/"+userSub+"/badges/NEW_MEMBER", "key:"+apiKey, "")
		require.Equal(t, 200, res.StatusCode)
		assert.Equal(t, []any{"VIP"}, doc["badges"])
	}
	res, _ := e.call(t, "POST", "/users/"+userSub+"/badges/has%20space", "key:"+apiKey, "")
	assert.Equal(t, 400, res.StatusCode)
	res, _ = e.call(t, "POST", "/users/nobody/badges/VIP", "key:"+apiKey, "")
	assert.Equal(t, 404, res.StatusCode)
}

func TestDeleteUser(t *testing.T) {
	cases := map[string]struct {
		id        string
		cognito   error
		want      int
		emailFree bool
	}{
		"both":                      {userSub, nil, 204, true},
		"already gone from Cognito": {userSub, &types.UserNotFoundException{}, 204, true},
		"Cognito fails":             {userSub, errors.New("throttled"), 500, false},
		"only in Cognito":           {"orphan", nil, 204, false},
		"nowhere":                   {"nobody", &types.UserNotFoundException{}, 404, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			if c.cognito != nil {
				e.cognito.del = func(*cip.AdminDeleteUserInput) error { return c.cognito }
			}
			res, doc := e.call(t, "DELETE", "/users/"+c.id, "key:"+apiKey, "")
			require.Equal(t, c.want, res.StatusCode, "%v", doc)
			require.Len(t, e.cognito.deleted, 1)
			_, err := e.store.GetByEmail(t.Context(), "ana@acme.example")
			if c.emailFree {
				assert.ErrorIs(t, err, profilestore.ErrNotFound, "the email guard is gone")
				_, err = e.store.GetByHandle(t.Context(), "@AnaLima")
				assert.ErrorIs(t, err, profilestore.ErrNotFound, "the handle guard is gone")
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestVerifyTokenRoute(t *testing.T) {
	e := newEnv(t)
	p := e.pool
	cases := map[string]struct {
		body   string
		want   int
		valid  bool
		reason string
	}{
		"valid id":      {fmt.Sprintf(`{"token":%q,"tokenUse":"id"}`, p.sign(t, p.idClaims())), 200, true, ""},
		"valid any":     {fmt.Sprintf(`{"token":%q}`, p.sign(t, p.accessClaims())), 200, true, ""},
		"wrong use":     {fmt.Sprintf(`{"token":%q,"tokenUse":"access"}`, p.sign(t, p.idClaims())), 200, false, "token_use is id, want access"},
		"expired":       {fmt.Sprintf(`{"token":%q}`, p.sign(t, with(p.idClaims(), "exp", now.Add(-time.Hour).Unix()))), 200, false, "expired"},
		"within leeway": {fmt.Sprintf(`{"token":%q}`, p.sign(t, with(p.idClaims(), "exp", now.Add(-DefaultLeeway/2).Unix()))), 200, true, ""},
		"bad signature": {fmt.Sprintf(`{"token":%q}`, p.sign(t, p.idClaims(), p.other)), 200, false, "bad signature"},
		"no token":      {`{}`, 400, false, ""},
		"bad tokenUse":  {`{"token":"a.b.c","tokenUse":"refresh"}`, 400, false, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res, doc := e.call(t, "POST", "/tokens/verify", "key:"+apiKey, c.body)
			require.Equal(t, c.want, res.StatusCode, "%v", doc)
			if c.want != 200 {
				return
			}
			assert.Equal(t, c.valid, doc["valid"])
			if c.valid {
				assert.Equal(t, userSub, doc["claims"].(map[string]any)["sub"])
			} else {
				assert.Equal(t, c.reason, doc["reason"])
				assert.NotContains(t, doc, "claims")
			}
		})
	}
}

func TestPreferences(t *testing.T) {
	e := newEnv(t)
	tok := bearer(e.pool.sign(t, e.pool.idClaims()))
	res, doc := e.call(t, "PATCH", "/me/preferences", tok, `{"lang":"pt-BR","currency":"BRL"}`)
	require.Equal(t, 200, res.StatusCode, "%v", doc)
	assert.Equal(t, map[string]any{"lang": "pt-BR", "currency": "BRL"}, doc["preferences"])
	res, doc = e.call(t, "PATCH", "/me/preferences", tok, `{"currency":"brl","avatarUrl":"javascript:alert(1)"}`)
	require.Equal(t, 400, res.StatusCode)
	assert.Len(t, doc["errors"], 2)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t)
	res, doc := e.call(t, "GET", "/nope", "", "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	assert.EqualValues(t, 404, doc["status"])
	res, doc = e.call(t, "POST", "/me", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.EqualValues(t, 405, doc["status"])
}

// An emulator's migrated user has no sub: the profile is keyed by user name, as the triggers key it.
func TestMeWithoutSub(t *testing.T) {
	e := newEnv(t)
	tok := bearer(e.pool.sign(t, with(e.pool.idClaims(), "sub", nil, "cognito:username", userSub)))
	res, doc := e.call(t, "GET", "/me", tok, "")
	require.Equal(t, 200, res.StatusCode, "%v", doc)
	assert.Equal(t, userSub, doc["id"])
}

func TestValidNameAndCurrency(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "Team_1-x": true, strings.Repeat("z", 64): true,
		"": false, strings.Repeat("z", 65): false, "a b": false, "é": false, "a.b": false, "a/b": false,
	} {
		assert.Equal(t, want, validName(s), "%q", s)
	}
	for s, want := range map[string]bool{"EUR": true, "BRL": true, "eur": false, "EU": false, "EURO": false, "E1R": false, "": false} {
		assert.Equal(t, want, validCurrency(s), "%q", s)
	}
}
