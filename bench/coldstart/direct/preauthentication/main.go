// Command preauthentication is PreAuthentication's direct handler
// (bench/coldstart/direct): it reads the user's profile and refuses a
// disabled one.
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

func main() {
	db, table := awsenv.Dynamo(), awsenv.Table("POOLSIDE_PROFILE_STORE")
	lambda.Start(func(ctx context.Context, ev events.CognitoEventUserPoolsPreAuthentication) (events.CognitoEventUserPoolsPreAuthentication, error) {
		p, err := awsenv.GetProfile(ctx, db, table, ev.Request.UserAttributes["sub"])
		if err != nil {
			return ev, err
		}
		if p.Status == "DISABLED" {
			return ev, errors.New("this account is disabled")
		}
		return ev, nil
	})
}
