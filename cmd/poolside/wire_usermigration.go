//go:build !poolside.fn || poolside.fn.usermigration

package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/triggers"
)

func init() { wirers[triggers.UserMigration] = wireUserMigration }

// wireUserMigration registers UserMigration: the legacy source named by
// POOLSIDE_LEGACY_SOURCE (nothing connects before the first event) and the
// profile store.
func wireUserMigration(a *app) error {
	src, err := a.legacySource()
	if err != nil {
		return err
	}
	if f, ok := src.(*migration.File); ok {
		f.Log = a.log // a bad line is logged where the invocations are
	}
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	h := &triggers.UserMigrationHandler{
		Legacy: &migration.Authenticator{Source: src, DummyCost: a.cfg.Migration.BcryptCost,
			Verifier: &migration.Verifier{Firebase: a.cfg.Migration.Firebase}, Breached: a.cfg.Migration.BreachChecker()},
		Profiles: store,
		Policy:   a.cfg.Profiles.Policy(),
		Pool:     a.cfg.Migration.Pool,
	}
	a.router.HandleUserMigration(h.Handle)
	return nil
}

// legacySource opens the configured legacy source; a DynamoDB client is built
// on the first lookup.
func (a *app) legacySource() (migration.Store, error) {
	return migration.Open(a.cfg.LegacySourceURL(), migration.Deps{
		DynamoLayout: a.cfg.Migration.Dynamo,
		Postgres:     a.cfg.Migration.Postgres,
		MySQL:        a.cfg.Migration.MySQL,
		HTTP:         a.cfg.Migration.HTTP,
		AWS: migration.AWSDeps{
			DynamoDB: a.legacyDynamo,
			Cognito: migration.CognitoOptions{
				ClientSecret: a.cfg.Migration.CognitoClientSecret,
				Client: func(region string) (migration.CognitoAPI, error) {
					awsCfg, err := a.awsOnce()
					if err != nil {
						return nil, fmt.Errorf("AWS configuration: %w", err)
					}
					return cognitoidentityprovider.NewFromConfig(awsCfg, func(o *cognitoidentityprovider.Options) {
						o.Region = region
						if a.cfg.Migration.CognitoEndpoint != "" {
							o.BaseEndpoint = aws.String(a.cfg.Migration.CognitoEndpoint)
						}
					}), nil
				},
			},
		},
	})
}

// legacyDynamo is the DynamoDB legacy source's client: the profile store's
// (wire_store.go), so the first event's legacy read and profile write share
// one connection pool.
func (a *app) legacyDynamo() (migration.DynamoAPI, error) {
	c, err := a.dynamoClient()
	if err != nil {
		return nil, err
	}
	return c, nil
}
