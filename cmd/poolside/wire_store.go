//go:build !poolside.fn || poolside.fn.api || poolside.fn.customemailsender || poolside.fn.customsmssender || poolside.fn.postauthentication || poolside.fn.postconfirmation || poolside.fn.preauthentication || poolside.fn.pretokengeneration || poolside.fn.usermigration

package main

// The profile store and its DynamoDB client, in the builds whose triggers
// read or write profiles (PreSignUp and CustomMessage never do: cold start, #17).

import (
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore"
)

// storeState is the app's DynamoDB client, in the builds that have one
// (wire_nostore.go: the others).
type storeState struct {
	dynamoOnce sync.Once
	dynamo     *dynamodb.Client
	dynamoErr  error
}

// dynamoClient returns the process's DynamoDB client, built on first use,
// honouring POOLSIDE_DYNAMODB_ENDPOINT. The profile store, the senders'
// claims and UserMigration's DynamoDB legacy source share it: one client,
// one connection pool, so a first event that reads the legacy table and then
// writes the profile opens one connection (a TLS handshake in AWS), not two.
func (a *app) dynamoClient() (*dynamodb.Client, error) {
	a.dynamoOnce.Do(func() {
		awsCfg, err := a.awsOnce()
		if err != nil {
			a.dynamoErr = fmt.Errorf("AWS configuration: %w", err)
			return
		}
		a.dynamo = dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
			if a.cfg.DynamoDBEndpoint != "" {
				o.BaseEndpoint = aws.String(a.cfg.DynamoDBEndpoint)
			}
		})
	})
	return a.dynamo, a.dynamoErr
}

// profileStore returns the configured store, built once.
func (a *app) profileStore() (profilestore.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	table, err := config.TableName(a.cfg.ProfileStore)
	if err != nil {
		return nil, err
	}
	if table == "" {
		a.store = profilestore.NewMemory(nil)
		return a.store, nil
	}
	client, err := a.dynamoClient()
	if err != nil {
		return nil, err
	}
	a.store = profilestore.NewDynamo(client, table, nil)
	return a.store, nil
}
