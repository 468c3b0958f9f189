// Package srpfallback is the client side of a just-in-time migration with
// the AWS SDK for Go v2: sign in with SRP and, when Cognito does not know the
// user yet, retry once with USER_PASSWORD_AUTH so that the UserMigration
// trigger sees the password (docs/srp-clients.md).
package srpfallback

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// InitiateAuthAPI is the Cognito call the fallback makes, with the SDK's signature.
type InitiateAuthAPI interface {
	InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, opts ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
}

var _ InitiateAuthAPI = (*cip.Client)(nil)

// SRP is the app's existing SRP sign-in (USER_SRP_AUTH and its
// PASSWORD_VERIFIER challenge, e.g. with an SRP library): it returns the
// tokens, or Cognito's error as the SDK returned it.
type SRP func(ctx context.Context, username, password string) (*types.AuthenticationResultType, error)

// SignIn signs in with srp. While the migration is on, a user Cognito does
// not have yet fails SRP with UserNotFoundException — or, in a pool that
// hides user existence (PreventUserExistenceErrors), NotAuthorizedException —
// and SignIn then tries once more with USER_PASSWORD_AUTH: Cognito calls the
// UserMigration trigger with the password, creates the user and answers with
// tokens (or a challenge, returned as is). Any other error, and any error of
// the second try, is the caller's.
func SignIn(ctx context.Context, api InitiateAuthAPI, clientID, username, password string, srp SRP) (*cip.InitiateAuthOutput, error) {
	tokens, err := srp(ctx, username, password)
	if err == nil {
		return &cip.InitiateAuthOutput{AuthenticationResult: tokens}, nil
	}
	var notFound *types.UserNotFoundException
	var notAuthorized *types.NotAuthorizedException
	if !errors.As(err, &notFound) && !errors.As(err, &notAuthorized) {
		return nil, err
	}
	return api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId:       aws.String(clientID),
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
}
