package srpfallback_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/docs/examples/srpfallback"
)

// pool is a hand-written InitiateAuthAPI: it knows the user once the
// migration (USER_PASSWORD_AUTH) has run.
type pool struct {
	calls    []types.AuthFlowType
	migrated bool
}

func (p *pool) InitiateAuth(_ context.Context, in *cip.InitiateAuthInput, _ ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	p.calls = append(p.calls, in.AuthFlow)
	if in.AuthParameters["PASSWORD"] != "Correct-Horse-7" {
		return nil, &types.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}
	}
	p.migrated = true
	return &cip.InitiateAuthOutput{AuthenticationResult: &types.AuthenticationResultType{IdToken: aws.String("id-token")}}, nil
}

// srp stands in for the app's SRP code against p.
func (p *pool) srp(hidesUsers bool) srpfallback.SRP {
	return func(_ context.Context, _, password string) (*types.AuthenticationResultType, error) {
		p.calls = append(p.calls, types.AuthFlowTypeUserSrpAuth)
		switch {
		case !p.migrated && hidesUsers:
			return nil, &types.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}
		case !p.migrated:
			return nil, &types.UserNotFoundException{Message: aws.String("User does not exist.")}
		case password != "Correct-Horse-7":
			return nil, &types.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}
		}
		return &types.AuthenticationResultType{IdToken: aws.String("id-token")}, nil
	}
}

func Example() {
	p := &pool{}
	ctx := context.Background()
	for range 2 {
		out, err := srpfallback.SignIn(ctx, p, "app-client-id", "marta.silva@legacy.example.com", "Correct-Horse-7", p.srp(false))
		fmt.Println(aws.ToString(out.AuthenticationResult.IdToken), err, p.calls)
		p.calls = nil
	}
	// Output:
	// id-token <nil> [USER_SRP_AUTH USER_PASSWORD_AUTH]
	// id-token <nil> [USER_SRP_AUTH]
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	t.Run("pool hiding user existence", func(t *testing.T) {
		p := &pool{}
		_, err := srpfallback.SignIn(ctx, p, "c", "marta", "Correct-Horse-7", p.srp(true))
		require.NoError(t, err)
		require.Equal(t, []types.AuthFlowType{types.AuthFlowTypeUserSrpAuth, types.AuthFlowTypeUserPasswordAuth}, p.calls)
	})
	t.Run("wrong password: one retry, Cognito's error", func(t *testing.T) {
		p := &pool{migrated: true}
		_, err := srpfallback.SignIn(ctx, p, "c", "marta", "wrong", p.srp(true))
		var na *types.NotAuthorizedException
		require.ErrorAs(t, err, &na)
		require.Len(t, p.calls, 2)
	})
	t.Run("other errors are not retried", func(t *testing.T) {
		p := &pool{}
		_, err := srpfallback.SignIn(ctx, p, "c", "marta", "Correct-Horse-7", func(context.Context, string, string) (*types.AuthenticationResultType, error) {
			return nil, &types.TooManyRequestsException{}
		})
		require.Error(t, err)
		require.Empty(t, p.calls)
		require.False(t, errors.Is(err, context.Canceled))
	})
}
