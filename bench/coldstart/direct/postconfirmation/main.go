// Command postconfirmation is PostConfirmation's direct handler
// (bench/coldstart/direct): it creates the user's profile, with its email and
// handle guards, in one transaction and adds the user to the default group.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

func main() {
	db, table := awsenv.Dynamo(), awsenv.Table("POOLSIDE_PROFILE_STORE")
	idp := cip.NewFromConfig(awsenv.Config(), func(o *cip.Options) { o.BaseEndpoint = awsenv.Endpoint("COGNITO") })
	group := os.Getenv("POOLSIDE_DEFAULT_GROUP")
	lambda.Start(func(ctx context.Context, ev events.CognitoEventUserPoolsPostConfirmation) (events.CognitoEventUserPoolsPostConfirmation, error) {
		a := ev.Request.UserAttributes
		now := time.Now().UTC().Format(time.RFC3339Nano)
		p := awsenv.Profile{PK: "PROFILE#" + a["sub"], ID: a["sub"], Username: ev.UserName, Email: a["email"],
			GivenName: a["given_name"], FamilyName: a["family_name"], Handle: "@" + a["given_name"] + a["family_name"],
			CreatedAt: now, UpdatedAt: now, Role: group, Groups: []string{group}, Status: "CONFIRMED", Version: 1}
		items, err := awsenv.NewProfileWrite(table, p)
		if err != nil {
			return ev, err
		}
		if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			return ev, err
		}
		_, err = idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(ev.UserPoolID), Username: aws.String(ev.UserName), GroupName: aws.String(group)})
		return ev, err
	})
}
