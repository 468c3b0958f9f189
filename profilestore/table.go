package profilestore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableAPI is what CreateTable needs of the DynamoDB client.
type tableAPI interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

var _ tableAPI = (*dynamodb.Client)(nil)

// TableInput is the profile table's schema (doc.go): one string partition key
// "pk", on-demand capacity. deploy/template.yaml declares the same table.
func TableInput(table string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
}

// CreateTable creates the profile table and waits until it is active. An
// existing table is not an error (created is false). created is also false
// when the SDK retried a CreateTable whose lost first attempt made the table.
func CreateTable(ctx context.Context, db tableAPI, table string) (created bool, err error) {
	_, err = db.CreateTable(ctx, TableInput(table))
	var inUse *types.ResourceInUseException
	switch {
	case errors.As(err, &inUse):
	case err != nil:
		return false, fmt.Errorf("create table %s: %w", table, err)
	default:
		created = true
	}
	for {
		out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err != nil {
			return created, fmt.Errorf("describe table %s: %w", table, err)
		}
		if out.Table != nil && out.Table.TableStatus == types.TableStatusActive {
			return created, nil
		}
		select {
		case <-ctx.Done():
			return created, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
