package migration_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	cipt "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
)

// fakePool is a hand-written migration.CognitoAPI. The source runs against
// cognito-local in make e2e (deploy/e2e: TestMigrateFromAnotherPool); this
// covers what the emulator cannot show: Cognito's error types and challenges.
type fakePool struct {
	auth    func(*cip.AdminInitiateAuthInput) (*cip.AdminInitiateAuthOutput, error)
	getUser func(*cip.AdminGetUserInput) (*cip.AdminGetUserOutput, error)
	list    func(*cip.ListUsersInput) (*cip.ListUsersOutput, error)
}

func (f *fakePool) AdminInitiateAuth(_ context.Context, in *cip.AdminInitiateAuthInput, _ ...func(*cip.Options)) (*cip.AdminInitiateAuthOutput, error) {
	return f.auth(in)
}
func (f *fakePool) AdminGetUser(_ context.Context, in *cip.AdminGetUserInput, _ ...func(*cip.Options)) (*cip.AdminGetUserOutput, error) {
	return f.getUser(in)
}
func (f *fakePool) ListUsers(_ context.Context, in *cip.ListUsersInput, _ ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	return f.list(in)
}

func attrs(kv ...string) []cipt.AttributeType {
	var out []cipt.AttributeType
	for i := 0; i < len(kv); i += 2 {
		out = append(out, cipt.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func TestCognitoPoolSource(t *testing.T) {
	ana := &cip.AdminGetUserOutput{Username: aws.String("ana"), Enabled: true,
		UserAttributes: attrs("sub", "5f1c-…", "email", "Ana@Old.example", "email_verified", "true", "phone_number", "+15550100",
			"phone_number_verified", "false", "given_name", "Ana", "locale", "pt-BR")}
	newSource := func(t *testing.T, authErr error, challenge cipt.ChallengeNameType) (*migration.CognitoPool, *[]*cip.AdminInitiateAuthInput) {
		var calls []*cip.AdminInitiateAuthInput
		f := &fakePool{
			auth: func(in *cip.AdminInitiateAuthInput) (*cip.AdminInitiateAuthOutput, error) {
				calls = append(calls, in)
				if authErr != nil {
					return nil, authErr
				}
				if challenge != "" {
					return &cip.AdminInitiateAuthOutput{ChallengeName: challenge}, nil
				}
				return &cip.AdminInitiateAuthOutput{AuthenticationResult: &cipt.AuthenticationResultType{IdToken: aws.String("t")}}, nil
			},
			getUser: func(in *cip.AdminGetUserInput) (*cip.AdminGetUserOutput, error) {
				if aws.ToString(in.Username) == "ana" {
					return ana, nil
				}
				return nil, &cipt.UserNotFoundException{Message: aws.String("User does not exist.")}
			},
			list: func(in *cip.ListUsersInput) (*cip.ListUsersOutput, error) {
				if aws.ToString(in.Filter) == `email = "ana@old.example"` {
					return &cip.ListUsersOutput{Users: []cipt.UserType{{Username: ana.Username, Attributes: ana.UserAttributes, Enabled: true}}}, nil
				}
				return &cip.ListUsersOutput{}, nil
			},
		}
		u, err := url.Parse("cognito-idp://eu-west-1/eu-west-1_Old123?client_id=oldclient")
		require.NoError(t, err)
		src, err := migration.NewCognitoPool(u, migration.CognitoOptions{ClientSecret: "s3cret",
			Client: func(region string) (migration.CognitoAPI, error) {
				require.Equal(t, "eu-west-1", region)
				return f, nil
			}})
		require.NoError(t, err)
		return src, &calls
	}
	ctx := context.Background()
	cases := map[string]struct {
		login     string
		authErr   error
		challenge cipt.ChallengeNameType
		found     bool
		verified  bool
		fails     bool
	}{
		"right password":           {login: "ana", found: true, verified: true},
		"by email, any case":       {login: "ANA@old.example", found: true, verified: true},
		"MFA challenge":            {login: "ana", challenge: cipt.ChallengeNameTypeSmsMfa, found: true, verified: true},
		"wrong password":           {login: "ana", authErr: &cipt.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}, found: true},
		"must reset in old pool":   {login: "ana", authErr: &cipt.PasswordResetRequiredException{}, found: true},
		"unknown":                  {login: "bob"},
		"username is exact":        {login: "ANA"},
		"old pool throttles":       {login: "ana", authErr: &cipt.TooManyRequestsException{}, fails: true},
		"old pool fails otherwise": {login: "ana", authErr: errors.New("connection reset"), fails: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src, calls := newSource(t, c.authErr, c.challenge)
			got, err := (&migration.Authenticator{Source: src}).Authenticate(ctx, c.login, []byte("Old-Pass-1"))
			if c.fails {
				require.Error(t, err, "an outage is never a wrong password")
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.found, got.Found)
			require.Equal(t, c.verified, got.Verified)
			if !c.found {
				require.Empty(t, *calls, "an unknown user costs the old pool no sign-in attempt")
				return
			}
			in := (*calls)[0]
			require.Equal(t, cipt.AuthFlowTypeAdminUserPasswordAuth, in.AuthFlow)
			require.Equal(t, "eu-west-1_Old123", aws.ToString(in.UserPoolId))
			require.Equal(t, "ana", in.AuthParameters["USERNAME"], "the old pool's username, whatever the login")
			mac := hmac.New(sha256.New, []byte("s3cret"))
			mac.Write([]byte("ana" + "oldclient"))
			require.Equal(t, base64.StdEncoding.EncodeToString(mac.Sum(nil)), in.AuthParameters["SECRET_HASH"])
			if c.verified {
				require.Equal(t, migration.User{ID: "5f1c-…", Username: "ana", Email: "Ana@Old.example", EmailVerified: true,
					Phone: "+15550100", GivenName: "Ana", Locale: "pt-BR"}, got.User, "verified flags only when the old pool says \"true\"")
			}
		})
	}
	for _, bad := range []string{"cognito-idp://eu-west-1/eu-west-1_Old123", "cognito-idp:///eu-west-1_Old123?client_id=c",
		"cognito-idp://eu-west-1/?client_id=c", "cognito-idp://eu-west-1/not a pool?client_id=c"} {
		_, err := migration.Open(bad, migration.Deps{AWS: migration.AWSDeps{Cognito: migration.CognitoOptions{Client: func(string) (migration.CognitoAPI, error) { return nil, nil }}}})
		require.Error(t, err, bad)
	}
}
