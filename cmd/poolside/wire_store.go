//go:build !poolside.fn || poolside.fn.api || poolside.fn.customemailsender || poolside.fn.customsmssender || poolside.fn.postauthentication || poolside.fn.postconfirmation || poolside.fn.preauthentication || poolside.fn.pretokengeneration || poolside.fn.usermigration

package main

// The profile store and its DynamoDB client, in the builds whose triggers
// read or write profiles (PreSignUp and CustomMessage never do: cold start, #17).

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore"
)

// dynamoClient builds a DynamoDB client, honouring POOLSIDE_DYNAMODB_ENDPOINT.
func (a *app) dynamoClient() (*dynamodb.Client, error) {
	awsCfg, err := a.awsOnce()
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	return dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if a.cfg.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(a.cfg.DynamoDBEndpoint)
		}
	}), nil
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
