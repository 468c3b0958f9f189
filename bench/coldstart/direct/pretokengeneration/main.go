// Command pretokengeneration is PreTokenGeneration's direct handler
// (bench/coldstart/direct): it reads the user's profile and puts its tenant
// and role in both tokens.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

func main() {
	db, table := awsenv.Dynamo(), awsenv.Table("POOLSIDE_PROFILE_STORE")
	lambda.Start(func(ctx context.Context, ev events.CognitoEventUserPoolsPreTokenGenV2_0) (events.CognitoEventUserPoolsPreTokenGenV2_0, error) {
		p, err := awsenv.GetProfile(ctx, db, table, ev.Request.UserAttributes["sub"])
		if err != nil {
			return ev, err
		}
		claims := map[string]any{"tenantId": p.TenantID, "role": p.Role}
		ev.Response.ClaimsAndScopeOverrideDetails.IDTokenGeneration.ClaimsToAddOrOverride = claims
		ev.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration.ClaimsToAddOrOverride = claims
		return ev, nil
	})
}
