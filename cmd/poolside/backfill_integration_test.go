package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
)

// poolside profile backfill against moto (Cognito and DynamoDB): a pool's
// existing users get the profile their next sign-in would have created —
// tenant only from a verified email — in pages of ListUsers; users who cannot
// sign in yet are skipped; a second run creates nothing.
func TestProfileBackfillOnMoto(t *testing.T) {
	ep := localEndpoint(t)
	ctx := context.Background()
	table := fmt.Sprintf("profiles-backfill-%d", time.Now().UnixNano())
	t.Setenv("POOLSIDE_PROFILE_STORE", "dynamodb://"+table)
	t.Setenv("POOLSIDE_DYNAMODB_ENDPOINT", ep)
	t.Setenv("POOLSIDE_COGNITO_ENDPOINT", "")
	t.Setenv("POOLSIDE_TENANT_DOMAINS", "example.com=acme")
	var created map[string]any
	runCLI(t, &created, "table", "create")

	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(ep),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("backfill-test")})
	require.NoError(t, err)
	poolID := aws.ToString(pool.UserPool.Id)
	confirmed := func(username string, attrs ...string) string {
		sub := adminCreateUser(t, idp, poolID, username, attrs...)
		_, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID,
			Username: aws.String(username), Password: aws.String("Correct-horse-9"), Permanent: true})
		require.NoError(t, err)
		return sub
	}
	ana := confirmed("ana", "email", "Ana.Lima@Example.com", "email_verified", "true", "given_name", "Ana", "family_name", "Lima")
	bob := confirmed("bob", "email", "bob@example.com", "email_verified", "True", "name", "Bob Stone")
	cid := confirmed("cid", "email", "cid@example.com")
	newcomer := adminCreateUser(t, idp, poolID, "dee", "email", "dee@example.com", "email_verified", "true") // FORCE_CHANGE_PASSWORD
	gone := confirmed("eve", "email", "eve@example.com", "email_verified", "true")
	_, err = idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("eve")})
	require.NoError(t, err)

	args := []string{"profile", "backfill", "--user-pool-id", poolID, "--endpoint-url", ep, "--page-size", "2"}
	first, progress := runBackfill(t, 0, args...)
	assert.Equal(t, triggers.BackfillCounts{Seen: 5, Created: 3, Skipped: 2}, first, progress)
	assert.Contains(t, progress, "skipped dee: FORCE_CHANGE_PASSWORD")
	assert.Contains(t, progress, "skipped eve: disabled")
	assert.Equal(t, 4, strings.Count(progress, "backfill: seen"), "a line per page of 2 (3 pages) and the total:\n%s", progress)
	assert.Contains(t, progress, "backfill: seen 5, created 3, existing 0, skipped 2, failed 0")

	var p profilestore.Profile
	runCLI(t, &p, "profile", "get", ana)
	assert.Equal(t, "acme", p.TenantID, "verified email: its domain's tenant")
	assert.Equal(t, "@AnaLima", p.Handle)
	assert.Equal(t, "ana", p.Username)
	assert.Equal(t, "USER", p.Role)
	for _, sub := range []string{bob, cid} {
		runCLI(t, &p, "profile", "get", sub)
		assert.Equal(t, "default", p.TenantID, "%s: an email not verified exactly \"true\" gives the default tenant", p.Username)
	}
	for _, sub := range []string{newcomer, gone} {
		code, _, _ := runCapture("profile", "get", sub)
		assert.Equal(t, 1, code, "skipped users have no profile")
	}

	again, progress := runBackfill(t, 0, args...)
	assert.Equal(t, triggers.BackfillCounts{Seen: 5, Existing: 3, Skipped: 2}, again, "a rerun creates nothing: %s", progress)
	runCLI(t, &p, "profile", "get", ana)
	assert.Equal(t, int64(1), p.Version, "a rerun changes nothing")

	var moved profilestore.Profile
	runCLI(t, &moved, "profile", "set-tenant", bob, "globex")
	assert.Equal(t, "globex", moved.TenantID)
	assert.Equal(t, int64(2), moved.Version)

	code, _, stderr := runCapture("profile", "backfill", "--endpoint-url", ep)
	assert.Equal(t, 2, code, "no pool id is a usage error")
	assert.Contains(t, stderr, "--user-pool-id")
	_, progress = runBackfill(t, 1, "profile", "backfill", "--user-pool-id", "us-east-1_nope", "--endpoint-url", ep)
	assert.Contains(t, progress, "us-east-1_nope")
}

// runBackfill runs a backfill, wants exit code want, and returns its counts and stderr.
func runBackfill(t *testing.T, want int, args ...string) (triggers.BackfillCounts, string) {
	t.Helper()
	code, stdout, stderr := runCapture(args...)
	require.Equal(t, want, code, "poolside %v: %s", args, stderr)
	var n triggers.BackfillCounts
	if want == 0 {
		require.NoError(t, json.Unmarshal([]byte(stdout), &n), stdout)
	}
	return n, stderr
}

// runCapture runs a poolside command in-process: exit code, stdout, stderr.
func runCapture(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}
