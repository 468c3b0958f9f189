package profilestore_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/profilestore/conformance"
)

// dynamoClient connects to the DynamoDB-API server in
// POOLSIDE_DYNAMODB_ENDPOINT (make test starts moto_server). Without one the
// test skips, except under CI=true where it fails.
func dynamoClient(t *testing.T) *dynamodb.Client {
	t.Helper()
	endpoint := os.Getenv("POOLSIDE_DYNAMODB_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("POOLSIDE_DYNAMODB_ENDPOINT is unset: CI needs a DynamoDB-API server (run through make test)")
		}
		t.Skip("POOLSIDE_DYNAMODB_ENDPOINT unset: run through make test to start moto_server")
	}
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}

var tableSeq atomic.Int64

// newTable creates a fresh profile table for one test.
func newTable(t *testing.T, db *dynamodb.Client) string {
	t.Helper()
	name := fmt.Sprintf("profiles-%d-%d", time.Now().UnixNano(), tableSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// created may be false when the SDK retried a CreateTable whose first
	// answer was lost; the table is there either way.
	_, err := profilestore.CreateTable(ctx, db, name)
	require.NoError(t, err)
	again, err := profilestore.CreateTable(ctx, db, name)
	require.NoError(t, err, "creating an existing table is not an error")
	require.False(t, again)
	return name
}

func TestDynamoConformance(t *testing.T) {
	db := dynamoClient(t)
	conformance.Run(t, func(t *testing.T) profilestore.Store {
		return profilestore.NewDynamo(db, newTable(t, db), nil)
	})
}
