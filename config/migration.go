package config

import (
	"strconv"
	"strings"

	"github.com/poolside-io/poolside/migration"
)

// MigrationConfig configures the UserMigration trigger and its legacy source
// (the source's URL is Config.LegacySource).
type MigrationConfig struct {
	// BcryptCost is the cost of the dummy hash an unknown user is checked
	// against, so that it takes as long as a wrong password
	// (POOLSIDE_MIGRATION_BCRYPT_COST, default 10: the cost of most legacy hashes).
	BcryptCost int
	// EmailIsUsername: the pool's username attribute is email, so responses
	// never carry "username" (POOLSIDE_MIGRATION_EMAIL_IS_USERNAME, default false).
	EmailIsUsername bool
	// Dynamo describes a dynamodb:// legacy table: POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES
	// ("password_hash=pwd,username=login") and POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX
	// (default email-index; "-" for none).
	Dynamo migration.DynamoLayout
	// Postgres configures a postgres:// source: POOLSIDE_LEGACY_POSTGRES_LOOKUP,
	// POOLSIDE_LEGACY_POSTGRES_LIST, POOLSIDE_LEGACY_POSTGRES_PASSWORD.
	Postgres migration.PostgresOptions
}

func (c *MigrationConfig) load(env Env, ps *problems) {
	c.BcryptCost = migration.DefaultDummyCost
	if v := env("POOLSIDE_MIGRATION_BCRYPT_COST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.addf("POOLSIDE_MIGRATION_BCRYPT_COST: %q is not a number", v)
		}
		c.BcryptCost = n
	}
	c.EmailIsUsername = boolVar(env, "POOLSIDE_MIGRATION_EMAIL_IS_USERNAME", false, ps)
	c.Dynamo.Attributes = pairs("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES", env("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES"), ps)
	c.Dynamo.EmailIndex = or(env("POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX"), "email-index")
	if c.Dynamo.EmailIndex == "-" {
		c.Dynamo.EmailIndex = ""
	}
	c.Postgres.LookupQuery = or(env("POOLSIDE_LEGACY_POSTGRES_LOOKUP"), migration.DefaultPostgresLookup)
	c.Postgres.ListQuery = or(env("POOLSIDE_LEGACY_POSTGRES_LIST"), migration.DefaultPostgresList)
	c.Postgres.Password = env("POOLSIDE_LEGACY_POSTGRES_PASSWORD")
}

func (c MigrationConfig) validate(ps *problems) {
	if c.BcryptCost < 4 || c.BcryptCost > migration.MaxBcryptCost {
		ps.addf("POOLSIDE_MIGRATION_BCRYPT_COST: %d must be between 4 and %d", c.BcryptCost, migration.MaxBcryptCost)
	}
	known := map[string]bool{}
	for _, f := range migration.Fields {
		known[f] = true
	}
	for _, f := range sortedKeys(c.Dynamo.Attributes) {
		if !known[f] {
			ps.addf("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES: %q is not a legacy field (%s)", f, strings.Join(migration.Fields, ", "))
		}
	}
	if !strings.Contains(c.Postgres.LookupQuery, "$1") {
		ps.addf("POOLSIDE_LEGACY_POSTGRES_LOOKUP: the query must take the login as $1")
	}
}
