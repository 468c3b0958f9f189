package migration

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DynamoAPI is the part of the DynamoDB client the legacy table source calls,
// with the SDK's signatures.
type DynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

var _ DynamoAPI = (*dynamodb.Client)(nil)

// Dynamo is a Source over a DynamoDB table whose partition key is the
// username attribute.
type Dynamo struct {
	client func() (DynamoAPI, error)
	table  string
	layout DynamoLayout
}

var (
	_ Source = (*Dynamo)(nil)
	_ Lister = (*Dynamo)(nil)
)

func init() {
	openers["dynamodb"] = func(u *url.URL, raw string, deps Deps) (Store, error) {
		if u.Host == "" {
			return nil, fmt.Errorf("legacy source %q: want dynamodb://TABLE", u.Redacted())
		}
		if deps.AWS.DynamoDB == nil {
			return nil, fmt.Errorf("legacy source %q: no DynamoDB client", u.Redacted())
		}
		return NewDynamo(deps.AWS.DynamoDB, u.Host, deps.DynamoLayout), nil
	}
}

// NewDynamo returns the source for table; client is called once, on first use.
func NewDynamo(client func() (DynamoAPI, error), table string, layout DynamoLayout) *Dynamo {
	return &Dynamo{client: sync.OnceValues(client), table: table, layout: layout}
}

// Lookup implements Source.
func (d *Dynamo) Lookup(ctx context.Context, login string) (User, error) {
	if strings.TrimSpace(login) == "" {
		return User{}, ErrNotFound
	}
	db, err := d.client()
	if err != nil {
		return User{}, err
	}
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &d.table,
		Key:            map[string]types.AttributeValue{d.layout.attr("username"): &types.AttributeValueMemberS{Value: login}},
		ConsistentRead: aws.Bool(false),
	})
	if err != nil {
		return User{}, fmt.Errorf("legacy table %s: %w", d.table, err)
	}
	if out.Item != nil {
		return d.user(out.Item)
	}
	if d.layout.EmailIndex == "" || !strings.Contains(login, "@") {
		return User{}, ErrNotFound
	}
	tries := []string{strings.ToLower(strings.TrimSpace(login))}
	if login != tries[0] {
		tries = append(tries, login)
	}
	for _, e := range tries {
		q, err := db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 &d.table,
			IndexName:                 &d.layout.EmailIndex,
			KeyConditionExpression:    aws.String("#e = :e"),
			ExpressionAttributeNames:  map[string]string{"#e": d.layout.attr("email")},
			ExpressionAttributeValues: map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: e}},
			Limit:                     aws.Int32(2),
		})
		if err != nil {
			return User{}, fmt.Errorf("legacy table %s index %s: %w", d.table, d.layout.EmailIndex, err)
		}
		if len(q.Items) > 1 {
			return User{}, fmt.Errorf("legacy table %s: %d users share one email", d.table, len(q.Items))
		}
		if len(q.Items) == 1 {
			return d.user(q.Items[0])
		}
	}
	return User{}, ErrNotFound
}

// Each implements Lister with a paginated Scan.
func (d *Dynamo) Each(ctx context.Context, fn func(User) error) error {
	db, err := d.client()
	if err != nil {
		return err
	}
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: &d.table})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("legacy table %s: %w", d.table, err)
		}
		for _, item := range page.Items {
			u, err := d.user(item)
			if err != nil {
				return err
			}
			if err := fn(u); err != nil {
				return err
			}
		}
	}
	return nil
}

// user decodes an item through the layout.
func (d *Dynamo) user(item map[string]types.AttributeValue) (User, error) {
	fields := make(map[string]any, len(Fields))
	for _, f := range Fields {
		switch v := item[d.layout.attr(f)].(type) {
		case *types.AttributeValueMemberS:
			fields[f] = v.Value
		case *types.AttributeValueMemberBOOL:
			fields[f] = v.Value
		case *types.AttributeValueMemberN:
			n, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				return User{}, fmt.Errorf("legacy table %s: %s: %w", d.table, f, err)
			}
			if f == "id" {
				fields[f] = v.Value
			} else {
				fields[f] = n
			}
		case *types.AttributeValueMemberM:
			var m map[string]any
			if err := attributevalue.UnmarshalMap(v.Value, &m); err != nil {
				return User{}, fmt.Errorf("legacy table %s: %s: %w", d.table, f, err)
			}
			fields[f] = m
		case nil, *types.AttributeValueMemberNULL:
		default:
			return User{}, fmt.Errorf("legacy table %s: attribute %s has type %T", d.table, d.layout.attr(f), v)
		}
	}
	u, err := record(fields)
	if err != nil {
		return User{}, fmt.Errorf("legacy table %s: %w", d.table, err)
	}
	return u, nil
}
