// Command usermigration is UserMigration's direct handler
// (bench/coldstart/direct) for a password reset: it reads the user from the
// legacy table, writes the profile (with the user's legacy tenant and role)
// and its guards in one transaction, and answers with the user's attributes.
package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

// legacyUser is a user item of the legacy table.
type legacyUser struct {
	ID            string `dynamodbav:"id"`
	Username      string `dynamodbav:"username"`
	Email         string `dynamodbav:"email"`
	EmailVerified bool   `dynamodbav:"email_verified"`
	GivenName     string `dynamodbav:"given_name"`
	FamilyName    string `dynamodbav:"family_name"`
	Locale        string `dynamodbav:"locale"`
	PasswordHash  string `dynamodbav:"password_hash"`
	TenantID      string `dynamodbav:"tenant_id"`
	Role          string `dynamodbav:"role"`
	CreatedAt     string `dynamodbav:"created_at"`
	Disabled      bool   `dynamodbav:"disabled"`
}

func main() {
	db := awsenv.Dynamo()
	legacy, table := awsenv.Table("POOLSIDE_LEGACY_SOURCE"), awsenv.Table("POOLSIDE_PROFILE_STORE")
	lambda.Start(func(ctx context.Context, ev events.CognitoEventUserPoolsMigrateUser) (events.CognitoEventUserPoolsMigrateUser, error) {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &legacy,
			Key: map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: strings.ToLower(ev.UserName)}}})
		if err != nil {
			return ev, err
		}
		var u legacyUser
		if err := attributevalue.UnmarshalMap(out.Item, &u); err != nil {
			return ev, err
		}
		if out.Item == nil || u.Disabled {
			return ev, errors.New("no such legacy user")
		}
		now := time.Now().UTC().Format(time.RFC3339Nano)
		p := awsenv.Profile{PK: "PROFILE#" + ev.UserName, ID: ev.UserName, Username: ev.UserName, Email: u.Email,
			GivenName: u.GivenName, FamilyName: u.FamilyName, Handle: "@" + u.GivenName + u.FamilyName,
			CreatedAt: u.CreatedAt, UpdatedAt: now, Role: u.Role, Groups: []string{u.Role}, Status: "MIGRATED",
			TenantID: u.TenantID, Version: 1}
		items, err := awsenv.NewProfileWrite(table, p)
		if err != nil {
			return ev, err
		}
		if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			return ev, err
		}
		attrs := map[string]string{"email": u.Email, "given_name": u.GivenName, "family_name": u.FamilyName, "locale": u.Locale}
		if u.EmailVerified {
			attrs["email_verified"] = "true"
		}
		ev.CognitoEventUserPoolsMigrateUserResponse.UserAttributes = attrs
		ev.CognitoEventUserPoolsMigrateUserResponse.FinalUserStatus = "RESET_REQUIRED"
		ev.CognitoEventUserPoolsMigrateUserResponse.MessageAction = "SUPPRESS"
		return ev, nil
	})
}
