//go:build e2e

package e2e_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	cipt "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
	"github.com/poolside-io/poolside/triggers/signup"
	"github.com/poolside-io/poolside/userapi"
)

// apiCall is one request to the User API; auth is a Bearer token or "key:…".
func apiCall(t *testing.T, base, method, path, auth, body string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	require.NoError(t, err)
	if k, ok := strings.CutPrefix(auth, "key:"); ok {
		req.Header.Set("x-api-key", k)
	} else if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	var doc map[string]any
	if b.Len() > 0 {
		require.NoError(t, json.Unmarshal(b.Bytes(), &doc), b.String())
	}
	return resp, doc
}

// The User API verifies cognito-local's real tokens against its JWKS, and
// reads and writes profiles in DynamoDB (moto) that poolside's triggers made.
func TestUserAPIWithCognitoLocalTokens(t *testing.T) {
	s := newSuite(t)
	ctx := context.Background()
	const key = "e2e-api-key-7f3a"
	sum := sha256.Sum256([]byte(key))
	keys, err := userapi.ParseAPIKeys(strings.NewReader(hex.EncodeToString(sum[:])))
	require.NoError(t, err)
	issuer := env(t, "E2E_COGNITO_ENDPOINT") + "/" + s.poolID
	api := &userapi.API{
		Profiles: s.store, Cognito: s.idp, UserPoolID: s.poolID,
		Verifier: userapi.NewVerifier(issuer, []string{s.clientID}),
		Keys:     keys,
		SignUp:   signup.Policy{Required: signup.DefaultRequired},
		Policy:   triggers.ProfilePolicy{TenantByDomain: map[string]string{tenantDomain: tenant}, DefaultTenant: "default"},
	}
	srv := httptest.NewServer(http.StripPrefix("/api", api.Handler()))
	t.Cleanup(srv.Close)
	base := srv.URL + "/api"

	email := "Rui.Costa@" + tenantDomain
	out, err := s.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(s.clientID), Username: aws.String(email), Password: aws.String(firstPassword),
		UserAttributes: []cipt.AttributeType{
			{Name: aws.String("given_name"), Value: aws.String("Rui")},
			{Name: aws.String("family_name"), Value: aws.String("Costa")},
		},
	})
	require.NoError(t, err)
	sub := aws.ToString(out.UserSub)
	s.confirmSignUp(t, email) // verifies the email too, as Amazon Cognito does
	tokens, err := s.signIn(ctx, email, firstPassword)
	require.NoError(t, err)
	idToken, accessToken := aws.ToString(tokens.IdToken), aws.ToString(tokens.AccessToken)

	step(t, "GET /me with the ID and the access token", func(t *testing.T) {
		for _, tok := range []string{idToken, accessToken} {
			resp, doc := apiCall(t, base, "GET", "/me", tok, "")
			require.Equal(t, 200, resp.StatusCode, "%v", doc)
			require.Equal(t, sub, doc["id"])
			require.Equal(t, tenant, doc["tenantId"])
			require.Equal(t, "@RuiCosta", doc["handle"])
			require.NotEmpty(t, resp.Header.Get("ETag"))
		}
	})

	step(t, "tokens poolside must refuse", func(t *testing.T) {
		other, err := s.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(s.poolID), ClientName: aws.String("other"),
			ExplicitAuthFlows: []cipt.ExplicitAuthFlowsType{cipt.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		})
		require.NoError(t, err)
		res, err := s.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: other.UserPoolClient.ClientId, AuthFlow: cipt.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": firstPassword},
		})
		require.NoError(t, err)
		parts := strings.Split(idToken, ".")
		sig := []byte(parts[2])
		sig[len(sig)/2] ^= 1
		for name, tok := range map[string]string{
			"another app client's ID token":     aws.ToString(res.AuthenticationResult.IdToken),
			"another app client's access token": aws.ToString(res.AuthenticationResult.AccessToken),
			"a flipped signature byte":          parts[0] + "." + parts[1] + "." + string(sig),
			"the refresh token":                 aws.ToString(tokens.RefreshToken),
		} {
			resp, doc := apiCall(t, base, "GET", "/me", tok, "")
			require.Equal(t, 401, resp.StatusCode, "%s: %v", name, doc)
		}
	})

	step(t, "PATCH /me/data with If-Match, then a stale If-Match is 412", func(t *testing.T) {
		// The other client's sign-in above touched lastLoginAt: read the ETag again.
		resp, _ := apiCall(t, base, "GET", "/me", idToken, "")
		etag := resp.Header.Get("ETag")
		resp, doc := apiCall(t, base, "PATCH", "/me/data", idToken, `{"newsletter":true}`, "If-Match", etag)
		require.Equal(t, 200, resp.StatusCode, "%v", doc)
		resp, doc = apiCall(t, base, "PATCH", "/me/data", idToken, `{"newsletter":false}`, "If-Match", etag)
		require.Equal(t, 412, resp.StatusCode, "%v", doc)
		resp, doc = apiCall(t, base, "PUT", "/me/data", idToken, `[1,2,3]`)
		require.Equal(t, 400, resp.StatusCode, "%v", doc)
		p, err := s.store.Get(ctx, sub)
		require.NoError(t, err)
		require.Equal(t, map[string]any{"newsletter": true}, p.Data, "stored in DynamoDB")
	})

	step(t, "machine routes: a user's token is 403, the API key passes", func(t *testing.T) {
		resp, _ := apiCall(t, base, "GET", "/users/"+sub, accessToken, "")
		require.Equal(t, 403, resp.StatusCode)
		// By handle: the email was unverified when PostConfirmation made the
		// profile, so no email guard points at it (the trust rule).
		resp, doc := apiCall(t, base, "GET", "/users?handle=ruicosta", "key:"+key, "")
		require.Equal(t, 200, resp.StatusCode, "%v", doc)
		require.Len(t, doc["items"], 1)
	})

	step(t, "POST /tokens/verify", func(t *testing.T) {
		resp, doc := apiCall(t, base, "POST", "/tokens/verify", "key:"+key, `{"token":"`+idToken+`","tokenUse":"id"}`)
		require.Equal(t, 200, resp.StatusCode)
		require.Equal(t, true, doc["valid"], "%v", doc)
		resp, doc = apiCall(t, base, "POST", "/tokens/verify", "key:"+key, `{"token":"`+idToken+`","tokenUse":"access"}`)
		require.Equal(t, 200, resp.StatusCode)
		require.Equal(t, false, doc["valid"])
	})

	var newID string
	newEmail := "Eva.Nunes@" + tenantDomain
	step(t, "POST /users: AdminCreateUser (PreSignUp_AdminCreateUser through poolside) and the profile", func(t *testing.T) {
		resp, doc := apiCall(t, base, "POST", "/users", "key:"+key,
			`{"email":"`+newEmail+`","givenName":"Eva","familyName":"Nunes","emailVerified":true,"role":"EDITOR","suppressInvitation":true}`)
		require.Equal(t, 201, resp.StatusCode, "%v", doc)
		newID, _ = doc["id"].(string)
		require.NotEmpty(t, newID)
		require.Equal(t, tenant, doc["tenantId"])
		require.Equal(t, "EDITOR", doc["role"])
		require.Len(t, s.profiles(t, newEmail), 1)
		resp, doc = apiCall(t, base, "GET", "/users?email="+strings.ToUpper(newEmail), "key:"+key, "")
		require.Equal(t, 200, resp.StatusCode, "%v", doc)
		require.Len(t, doc["items"], 1, "a verified email is looked up in any case")
		_, err := s.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(newEmail)})
		require.NoError(t, err)
		resp, doc = apiCall(t, base, "POST", "/users", "key:"+key, `{"email":"`+newEmail+`","givenName":"Eva","familyName":"Nunes"}`)
		require.Equal(t, 409, resp.StatusCode, "%v", doc)
	})

	step(t, "DELETE /users/{id}: Cognito user, profile and guards", func(t *testing.T) {
		resp, doc := apiCall(t, base, "DELETE", "/users/"+newID, "key:"+key, "")
		require.Equal(t, 204, resp.StatusCode, "%v", doc)
		_, err := s.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(newEmail)})
		var nf *cipt.UserNotFoundException
		require.True(t, errors.As(err, &nf), "%v", err)
		_, err = s.store.GetByEmail(ctx, newEmail)
		require.ErrorIs(t, err, profilestore.ErrNotFound, "the email guard is gone too")
		require.Empty(t, s.profiles(t, newEmail))
	})
}
