//go:build e2e

package e2e_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	cipt "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/migration/sourcetest"
)

// TestMigrateFromAnotherPool: the fixture users live in an old pool
// (E2E_OLD_POOL, in the second cognito-local, E2E_POOLS_ENDPOINT); the
// cognito-idp:// source runs the source conformance suite against it, and a
// sign-in to a new pool in that cognito-local (whose UserMigration is a
// poolside with that source) moves a user over.
func TestMigrateFromAnotherPool(t *testing.T) {
	ctx := context.Background()
	creds := credentials.NewStaticCredentialsProvider("local", "local", "")
	oldIdp := cip.New(cip.Options{Region: "us-east-1", Credentials: creds, RetryMaxAttempts: 1,
		BaseEndpoint: aws.String(env(t, "E2E_POOLS_ENDPOINT"))})
	oldPool, oldClient := env(t, "E2E_OLD_POOL"), env(t, "E2E_OLD_CLIENT")

	// the old pool holds every fixture user it can: one whose hash poolside
	// could not check has no password to set, and a disabled one is left out
	fx := sourcetest.Load(t, "../../fixtures")
	var skip []string
	for _, u := range fx.Users {
		pw, ok := fx.Passwords[u.Username]
		if _, problem := (&migration.Verifier{}).Verify(u.Stored(), []byte(pw)); !ok || problem != nil || u.Disabled {
			skip = append(skip, u.Username)
			continue
		}
		a := []cipt.AttributeType{
			{Name: aws.String("email"), Value: aws.String(strings.ToLower(u.Email))},
			{Name: aws.String("email_verified"), Value: aws.String(map[bool]string{true: "true", false: "false"}[u.EmailVerified])},
		}
		for name, v := range map[string]string{"given_name": u.GivenName, "family_name": u.FamilyName, "locale": u.Locale, "phone_number": u.Phone} {
			if v != "" {
				a = append(a, cipt.AttributeType{Name: aws.String(name), Value: aws.String(v)})
			}
		}
		_, err := oldIdp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &oldPool, Username: aws.String(u.Username),
			UserAttributes: a, MessageAction: cipt.MessageActionTypeSuppress})
		require.NoError(t, err, u.Username)
		_, err = oldIdp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &oldPool, Username: aws.String(u.Username),
			Password: aws.String(pw), Permanent: true})
		require.NoError(t, err, u.Username)
	}

	t.Run("conformance", func(t *testing.T) {
		u, err := url.Parse("cognito-idp://us-east-1/" + oldPool + "?client_id=" + oldClient)
		require.NoError(t, err)
		src, err := migration.NewCognitoPool(u, migration.CognitoOptions{Client: func(string) (migration.CognitoAPI, error) { return oldIdp, nil }})
		require.NoError(t, err)
		// a pool makes its own ids and dates and has no tenant or role
		// attributes; the fixture's display names are not seeded
		own := func(u migration.User) migration.User {
			u.ID, u.CreatedAt, u.TenantID, u.Role, u.Name = "", time.Time{}, "", "", ""
			return u
		}
		sourcetest.Run(t, src, fx, sourcetest.Options{ChecksPasswords: true, LowerEmails: true, Skip: skip, Expect: own})
	})

	t.Run("sign-in to the new pool migrates the user", func(t *testing.T) {
		newIdp := oldIdp // the same cognito-local holds both pools
		pool, err := newIdp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("poolside-e2e-new"),
			UsernameAttributes: []cipt.UsernameAttributeType{cipt.UsernameAttributeTypeEmail}})
		require.NoError(t, err)
		client, err := newIdp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("web"),
			ExplicitAuthFlows: []cipt.ExplicitAuthFlowsType{cipt.ExplicitAuthFlowsTypeAllowUserSrpAuth,
				cipt.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, cipt.ExplicitAuthFlowsTypeAllowUserPasswordAuth}})
		require.NoError(t, err)
		signIn := func(user, pw string) (*cip.InitiateAuthOutput, error) {
			return newIdp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client.UserPoolClient.ClientId,
				AuthFlow: cipt.AuthFlowTypeUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
		}
		_, err = signIn("john.doe@legacy.example.com", "Not-The-Password-1")
		require.Error(t, err, "the old pool refuses a wrong password")
		out, err := signIn("john.doe@legacy.example.com", fx.Passwords["jdoe"])
		require.NoError(t, err)
		require.NotEmpty(t, aws.ToString(out.AuthenticationResult.IdToken))
		list, err := newIdp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool.UserPool.Id})
		require.NoError(t, err)
		require.Len(t, list.Users, 1, "the user now lives in the new pool")
		attrs := map[string]string{}
		for _, a := range list.Users[0].Attributes {
			attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		require.Equal(t, "john.doe@legacy.example.com", attrs["email"])
		require.Equal(t, "true", attrs["email_verified"], "verified in the old pool")
		require.Equal(t, "John", attrs["given_name"])
	})
}
