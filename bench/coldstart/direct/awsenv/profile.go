package awsenv

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Profile is the profile item the handlers read and write (the shape of
// poolside's, as a team would declare it).
type Profile struct {
	PK          string            `dynamodbav:"pk"`
	ID          string            `dynamodbav:"id"`
	Username    string            `dynamodbav:"username"`
	Email       string            `dynamodbav:"email,omitempty"`
	GivenName   string            `dynamodbav:"givenName,omitempty"`
	FamilyName  string            `dynamodbav:"familyName,omitempty"`
	Handle      string            `dynamodbav:"handle,omitempty"`
	CreatedAt   string            `dynamodbav:"createdAt"`
	UpdatedAt   string            `dynamodbav:"updatedAt"`
	Role        string            `dynamodbav:"role"`
	Groups      []string          `dynamodbav:"groups"`
	Status      string            `dynamodbav:"status"`
	TenantID    string            `dynamodbav:"tenantId,omitempty"`
	Badges      []string          `dynamodbav:"badges,omitempty"`
	Preferences map[string]string `dynamodbav:"preferences,omitempty"`
	Version     int               `dynamodbav:"version"`
}

// Key is the key of item pk.
func Key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
}

// NewProfileWrite is the transaction that creates a profile with its two
// uniqueness guards (email and handle), each put only if absent.
func NewProfileWrite(table string, p Profile) ([]types.TransactWriteItem, error) {
	item, err := attributevalue.MarshalMap(p)
	if err != nil {
		return nil, err
	}
	guard := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "profileId": &types.AttributeValueMemberS{Value: p.ID}}
	}
	absent := aws.String("attribute_not_exists(pk)")
	return []types.TransactWriteItem{
		{Put: &types.Put{TableName: &table, Item: item, ConditionExpression: absent}},
		{Put: &types.Put{TableName: &table, Item: guard("EMAIL#" + strings.ToLower(p.Email)), ConditionExpression: absent}},
		{Put: &types.Put{TableName: &table, Item: guard("HANDLE#" + strings.ToLower(p.Handle)), ConditionExpression: absent}},
	}, nil
}

// GetProfile reads the profile of the user sub (the zero Profile when there
// is none).
func GetProfile(ctx context.Context, db *dynamodb.Client, table, sub string) (Profile, error) {
	var p Profile
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: Key("PROFILE#" + sub)})
	if err != nil {
		return p, err
	}
	return p, attributevalue.UnmarshalMap(out.Item, &p)
}
