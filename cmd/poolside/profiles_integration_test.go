package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"

	"github.com/poolside-io/poolside/internal/testenv"
)

// localEndpoint returns the DynamoDB/Cognito API server make test starts
// (moto_server); skipped without one, failed under CI=true.
func localEndpoint(t *testing.T) string {
	t.Helper()
	return testenv.Server(t, "POOLSIDE_DYNAMODB_ENDPOINT")
}

// adminCreateUser creates a user in a pool the test made and returns its sub.
// AdminCreateUser is not idempotent: on a loaded moto_server the SDK can retry
// a create whose first attempt was applied but whose answer was lost, and the
// retry reads UsernameExistsException. In a pool only this test writes to, that
// user is the one the first attempt made: read it back instead of failing.
func adminCreateUser(t *testing.T, idp *cip.Client, poolID, username string, attrs ...string) string {
	t.Helper()
	ctx := context.Background()
	in := &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: &username}
	for i := 0; i+1 < len(attrs); i += 2 {
		in.UserAttributes = append(in.UserAttributes, ciptypes.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
	}
	var got []ciptypes.AttributeType
	created, err := idp.AdminCreateUser(ctx, in)
	var exists *ciptypes.UsernameExistsException
	switch {
	case err == nil:
		got = created.User.Attributes
	case errors.As(err, &exists):
		user, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &username})
		require.NoError(t, err)
		got = user.UserAttributes
	default:
		require.NoError(t, err)
	}
	for _, a := range got {
		if aws.ToString(a.Name) == "sub" {
			return aws.ToString(a.Value)
		}
	}
	t.Fatalf("user %s has no sub", username)
	return ""
}

// serveApp wires the suite from env and serves it like `poolside serve`.
func serveApp(t *testing.T, env map[string]string, logs *bytes.Buffer) string {
	t.Helper()
	a := newTestApp(t, env, logs)
	srv := httptest.NewServer(a.serveHandler(nil, ""))
	t.Cleanup(srv.Close)
	return srv.URL + "/2015-03-31/functions/poolside/invocations"
}

// post sends an event and returns the body and X-Amz-Function-Error.
func post(t *testing.T, url string, event []byte) ([]byte, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(event))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	require.NoError(t, err)
	return b.Bytes(), resp.Header.Get("X-Amz-Function-Error")
}

// eventFor loads a fixture and points it at a pool and user.
func eventFor(t *testing.T, name, pool, user, sub string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, "events", name+".json"))
	require.NoError(t, err)
	var ev map[string]any
	require.NoError(t, json.Unmarshal(b, &ev))
	ev["userPoolId"], ev["userName"] = pool, user
	if req, ok := ev["request"].(map[string]any); ok {
		if attrs, ok := req["userAttributes"].(map[string]any); ok {
			attrs["sub"] = sub
		}
	}
	out, err := json.Marshal(ev)
	require.NoError(t, err)
	return out
}

// runCLI runs a poolside command in-process and decodes its JSON output.
func runCLI(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	require.Equal(t, 0, code, "poolside %v: %s", args, errOut.String())
	require.NoError(t, json.Unmarshal(out.Bytes(), v), out.String())
}

// Through poolside serve with the DynamoDB store on moto: PostConfirmation
// replayed 3× → one profile, one createdAt, the user in USER once;
// ConfirmForgotPassword keeps createdAt, handle and badges.
func TestPostConfirmationReplayOnDynamoDB(t *testing.T) {
	ep := localEndpoint(t)
	ctx := context.Background()
	table := fmt.Sprintf("profiles-pc-%d", time.Now().UnixNano())
	env := map[string]string{
		"POOLSIDE_PROFILE_STORE":     "dynamodb://" + table,
		"POOLSIDE_DYNAMODB_ENDPOINT": ep,
		"POOLSIDE_COGNITO_ENDPOINT":  ep,
		"POOLSIDE_ADD_TO_GROUP":      "true",
		"POOLSIDE_TENANT_DOMAINS":    "example.com=acme",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var created map[string]any
	runCLI(t, &created, "table", "create")
	// Not created["created"]: when the SDK retries a CreateTable whose first
	// attempt did create the table (a reset connection on a busy moto), the
	// retry meets ResourceInUseException and the table reads as existing.
	require.Equal(t, table, created["table"])
	require.Equal(t, "ACTIVE", created["status"])

	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(ep),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("pc-test")})
	require.NoError(t, err)
	poolID := aws.ToString(pool.UserPool.Id)
	_, err = idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("USER")})
	require.NoError(t, err)
	sub := adminCreateUser(t, idp, poolID, "ana", "email", "Ana.Lima@Example.com")

	var logs bytes.Buffer
	url := serveApp(t, env, &logs)
	event := eventFor(t, "PostConfirmation_ConfirmSignUp", poolID, "ana", sub)
	for i := range 3 {
		body, fnErr := post(t, url, event)
		require.Empty(t, fnErr, "replay %d: %s", i, body)
		require.Contains(t, string(body), `"response":{}`)
	}

	var p profilestore.Profile
	runCLI(t, &p, "profile", "get", sub)
	require.Equal(t, sub, p.ID)
	require.Equal(t, "acme", p.TenantID, "tenant from the email domain")
	require.Equal(t, "@AnaLima", p.Handle)
	require.Equal(t, int64(1), p.Version, "the replays changed nothing")
	var byEmail, byHandle profilestore.Profile
	runCLI(t, &byEmail, "profile", "get", "ana.lima@EXAMPLE.com")
	runCLI(t, &byHandle, "profile", "get", "@analima")
	require.Equal(t, p, byEmail)
	require.Equal(t, p, byHandle)
	require.Equal(t, 3, strings.Count(logs.String(), `"triggerSource":"PostConfirmation_ConfirmSignUp"`))
	require.Equal(t, 3, strings.Count(logs.String(), `"group":"USER"`), "the group add was attempted on every replay")

	groups, err := idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("ana")})
	require.NoError(t, err)
	require.Len(t, groups.Groups, 1)
	require.Equal(t, "USER", aws.ToString(groups.Groups[0].GroupName))

	body, fnErr := post(t, url, eventFor(t, "PostConfirmation_ConfirmForgotPassword", poolID, "ana", sub))
	require.Empty(t, fnErr, string(body))
	var after profilestore.Profile
	runCLI(t, &after, "profile", "get", sub)
	require.Equal(t, p.CreatedAt, after.CreatedAt)
	require.Equal(t, p.Handle, after.Handle)
	require.Equal(t, p.Badges, after.Badges)
	require.NotNil(t, after.PasswordChangedAt)

	var suspended profilestore.Profile
	runCLI(t, &suspended, "profile", "set-status", sub, "SUSPENDED")
	require.Equal(t, profilestore.StatusSuspended, suspended.Status)
	var badged profilestore.Profile
	runCLI(t, &badged, "profile", "badge", "add", sub, "EARLY_BIRD")
	require.Contains(t, badged.Badges, "EARLY_BIRD")
	var admin profilestore.Profile
	runCLI(t, &admin, "profile", "set-role", sub, "ADMIN")
	require.Equal(t, "ADMIN", admin.Role)
}

// PostAuthentication with the store unreachable (a server that accepts and
// never answers) still answers success, inside its budget, and logs why.
func TestPostAuthenticationSurvivesStoreOutage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // hold the connection open, never answer
		}
	}()
	env := map[string]string{
		"POOLSIDE_PROFILE_STORE":     "dynamodb://profiles",
		"POOLSIDE_DYNAMODB_ENDPOINT": "http://" + ln.Addr().String(),
		"POOLSIDE_POST_AUTH_BUDGET":  "300ms",
		"POOLSIDE_TRIGGERS":          "PostAuthentication",
	}
	var logs bytes.Buffer
	url := serveApp(t, env, &logs)
	event, err := os.ReadFile(filepath.Join(fixturesDir, "events", "PostAuthentication_Authentication.json"))
	require.NoError(t, err)
	start := time.Now()
	body, fnErr := post(t, url, event)
	elapsed := time.Since(start)
	require.Empty(t, fnErr, string(body))
	require.Contains(t, string(body), `"response":{}`)
	require.Less(t, elapsed, time.Second, "a store outage must not hold the sign-in up")
	require.Contains(t, logs.String(), `"lastLoginAt":"not recorded"`)
	require.Contains(t, logs.String(), `"outcome":"ok"`)
}
