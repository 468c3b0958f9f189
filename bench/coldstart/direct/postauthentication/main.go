// Command postauthentication is PostAuthentication's direct handler
// (bench/coldstart/direct): it records the sign-in on the user's profile.
package main

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

func main() {
	db, table := awsenv.Dynamo(), awsenv.Table("POOLSIDE_PROFILE_STORE")
	lambda.Start(func(ctx context.Context, ev events.CognitoEventUserPoolsPostAuthentication) (events.CognitoEventUserPoolsPostAuthentication, error) {
		_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:           &table,
			Key:                 awsenv.Key("PROFILE#" + ev.Request.UserAttributes["sub"]),
			UpdateExpression:    aws.String("SET lastLoginAt = :now"),
			ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":now": &types.AttributeValueMemberS{Value: time.Now().UTC().Format(time.RFC3339Nano)},
			},
		})
		var missing *types.ConditionalCheckFailedException
		if errors.As(err, &missing) {
			err = nil // no profile yet: nothing to record
		}
		return ev, err
	})
}
