package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/config"
)

// The profile store, the senders' claims and UserMigration's DynamoDB legacy
// source get one DynamoDB client (wire_store.go), so a migration's legacy read
// and profile write share a connection pool; it is built once, on first use.
func TestOneDynamoDBClientPerProcess(t *testing.T) {
	a := &app{cfg: config.Config{DynamoDBEndpoint: "http://127.0.0.1:1", ProfileStore: "dynamodb://profiles"}}
	loads := 0
	load := awsLoader(a.cfg)
	a.awsOnce = func() (aws.Config, error) { loads++; return load() }
	assert.Zero(t, loads, "nothing is built before first use")
	first, err := a.dynamoClient()
	require.NoError(t, err)
	again, err := a.dynamoClient()
	require.NoError(t, err)
	assert.Same(t, first, again)
	_, err = a.profileStore()
	require.NoError(t, err)
	legacy, err := a.legacyDynamo()
	require.NoError(t, err)
	assert.Same(t, first, legacy, "the legacy source's client is the store's")
	assert.Equal(t, 1, loads)
}
