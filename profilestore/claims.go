package profilestore

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Claims make a side effect happen at most once per key within a window:
// the custom senders claim "this code for this user and source" before they
// deliver it, so a Cognito retry of the same event sends nothing twice. A
// claim is an item of the profile table (pk "CLAIM#<key>", expiresAt in Unix
// seconds: the table's TTL attribute removes it later; an expired claim can be
// taken again before TTL has run; claimant, a random token of the call that
// took it). The key must hold no secret.

// prefixClaim is the key prefix of claim items.
const prefixClaim = "CLAIM#"

// Claim takes key until the given time. It reports false, with no error, when
// an unexpired claim on key exists.
//
// Each call writes a random claimant that its condition also accepts: when
// the write commits but its answer is lost (a busy or distant DynamoDB) and
// the request is sent again, the second attempt finds this call's own claim
// and succeeds, instead of reporting the code as sent by someone else.
func (s *Dynamo) Claim(ctx context.Context, key string, until time.Time) (bool, error) {
	now := s.now()
	me := rand.Text()
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.table),
		Item: map[string]types.AttributeValue{
			"pk":        &types.AttributeValueMemberS{Value: prefixClaim + key},
			"expiresAt": &types.AttributeValueMemberN{Value: strconv.FormatInt(until.Unix(), 10)},
			"claimant":  &types.AttributeValueMemberS{Value: me},
		},
		ConditionExpression: aws.String("attribute_not_exists(pk) OR expiresAt <= :now OR claimant = :me"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)},
			":me":  &types.AttributeValueMemberS{Value: me},
		},
	})
	if err = storeErr("claim", err); errors.Is(err, ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// Release gives a claim up (the side effect failed: a retry may try again).
func (s *Dynamo) Release(ctx context.Context, key string) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.table),
		Item: map[string]types.AttributeValue{
			"pk":        &types.AttributeValueMemberS{Value: prefixClaim + key},
			"expiresAt": &types.AttributeValueMemberN{Value: "0"},
		},
	})
	return storeErr("release claim", err)
}

// Claim takes key until the given time; false when an unexpired claim
// exists. The memory store's claims live as long as the process: they dedupe
// retries that reach the same process only (local runs, tests).
func (m *Memory) Claim(_ context.Context, key string, until time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.claims == nil {
		m.claims = map[string]time.Time{}
	}
	if exp, ok := m.claims[key]; ok && m.now().Before(exp) {
		return false, nil
	}
	m.claims[key] = until
	return true, nil
}

// Release gives a claim up.
func (m *Memory) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.claims, key)
	return nil
}
