//go:build !poolside.fn || poolside.fn.usermigration

package config

import (
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/triggers"
)

// MigrationConfig configures the UserMigration trigger and its legacy source
// (the source's URL is Config.LegacySource).
type MigrationConfig struct {
	// BcryptCost is the cost of the dummy hash an unknown user is checked
	// against, so that it takes as long as a wrong password
	// (POOLSIDE_MIGRATION_BCRYPT_COST, default 10: the cost of most legacy hashes).
	BcryptCost int
	// Pool mirrors the user pool's sign-in shape, which the answers must fit:
	// POOLSIDE_USERNAME_ATTRIBUTES (the pool's UsernameAttributes: email,
	// phone_number), POOLSIDE_ALIAS_ATTRIBUTES (its AliasAttributes: email,
	// phone_number, preferred_username), POOLSIDE_DEFAULT_PHONE_REGION (CLDR
	// region of phone numbers without a country code). The deprecated
	// POOLSIDE_MIGRATION_EMAIL_IS_USERNAME=true means POOLSIDE_USERNAME_ATTRIBUTES=email.
	Pool migration.PoolShape
	// Dynamo describes a dynamodb:// legacy table: POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES
	// ("password_hash=pwd,username=login") and POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX
	// (default email-index; "-" for none).
	Dynamo migration.DynamoLayout
	// Postgres configures a postgres:// source: POOLSIDE_LEGACY_POSTGRES_LOOKUP,
	// POOLSIDE_LEGACY_POSTGRES_LIST, POOLSIDE_LEGACY_POSTGRES_PASSWORD.
	Postgres migration.PostgresOptions
	// Breached names the breached-password check run on a verified password:
	// "" (none) or "hibp" (POOLSIDE_MIGRATION_BREACHED); a hit migrates the
	// user with RESET_REQUIRED.
	Breached string
	// HIBPEndpoint is the Pwned Passwords API's base URL
	// (POOLSIDE_HIBP_ENDPOINT, default migration.DefaultHIBPEndpoint).
	HIBPEndpoint string
	// Firebase are the Firebase project's password hash parameters, for
	// "firebase-scrypt" records: POOLSIDE_FIREBASE_SIGNER_KEY (a secret),
	// POOLSIDE_FIREBASE_SALT_SEPARATOR (both base64), POOLSIDE_FIREBASE_ROUNDS,
	// POOLSIDE_FIREBASE_MEM_COST.
	Firebase migration.FirebaseParams
	// MySQL configures a mysql:// source: POOLSIDE_LEGACY_MYSQL_PRESET
	// (wordpress), POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX (default wp_),
	// POOLSIDE_LEGACY_MYSQL_LOOKUP, POOLSIDE_LEGACY_MYSQL_LIST,
	// POOLSIDE_LEGACY_MYSQL_PASSWORD.
	MySQL migration.MySQLOptions
	// HTTP configures an https:// legacy API: POOLSIDE_LEGACY_HTTP_AUTHORIZATION
	// (a secret) and POOLSIDE_LEGACY_HTTP_TIMEOUT (default 3s).
	HTTP migration.HTTPOptions
	// CognitoClientSecret is the old pool's app client secret, for a
	// cognito-idp:// source (POOLSIDE_LEGACY_COGNITO_CLIENT_SECRET).
	CognitoClientSecret string
	// CognitoEndpoint overrides the old pool's endpoint
	// (POOLSIDE_LEGACY_COGNITO_ENDPOINT; local servers, tests).
	CognitoEndpoint string
}

// Breached-password checks POOLSIDE_MIGRATION_BREACHED names.
const BreachedHIBP = "hibp"

// BreachChecker returns the configured breached-password check, or nil.
func (c MigrationConfig) BreachChecker() migration.BreachChecker {
	if c.Breached != BreachedHIBP {
		return nil
	}
	return &migration.HIBP{Endpoint: c.HIBPEndpoint}
}

func (c *MigrationConfig) load(env Env, ps *problems) {
	c.BcryptCost = intVar(env, "POOLSIDE_MIGRATION_BCRYPT_COST", migration.DefaultDummyCost, ps)
	c.Pool.UsernameAttributes = list(env("POOLSIDE_USERNAME_ATTRIBUTES"))
	c.Pool.AliasAttributes = list(env("POOLSIDE_ALIAS_ATTRIBUTES"))
	if boolVar(env, "POOLSIDE_MIGRATION_EMAIL_IS_USERNAME", false, ps) && !slices.Contains(c.Pool.UsernameAttributes, migration.AttrEmail) {
		c.Pool.UsernameAttributes = append(c.Pool.UsernameAttributes, migration.AttrEmail)
	}
	c.Pool.PhoneRegion = strings.ToUpper(strings.TrimSpace(env("POOLSIDE_DEFAULT_PHONE_REGION")))
	c.Dynamo.Attributes = pairs("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES", env("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES"), ps)
	c.Dynamo.EmailIndex = or(env("POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX"), "email-index")
	if c.Dynamo.EmailIndex == "-" {
		c.Dynamo.EmailIndex = ""
	}
	c.Postgres.LookupQuery = or(env("POOLSIDE_LEGACY_POSTGRES_LOOKUP"), migration.DefaultPostgresLookup)
	c.Postgres.ListQuery = or(env("POOLSIDE_LEGACY_POSTGRES_LIST"), migration.DefaultPostgresList)
	c.Postgres.Password = env("POOLSIDE_LEGACY_POSTGRES_PASSWORD")
	c.Breached = strings.ToLower(strings.TrimSpace(env("POOLSIDE_MIGRATION_BREACHED")))
	c.HIBPEndpoint = or(env("POOLSIDE_HIBP_ENDPOINT"), migration.DefaultHIBPEndpoint)
	c.Firebase = firebaseParams(env, ps)
	c.MySQL.Preset = env("POOLSIDE_LEGACY_MYSQL_PRESET")
	c.MySQL.TablePrefix = or(env("POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX"), migration.DefaultTablePrefix)
	c.MySQL.LookupQuery = env("POOLSIDE_LEGACY_MYSQL_LOOKUP")
	c.MySQL.ListQuery = env("POOLSIDE_LEGACY_MYSQL_LIST")
	c.MySQL.Password = env("POOLSIDE_LEGACY_MYSQL_PASSWORD")
	c.HTTP.Authorization = env("POOLSIDE_LEGACY_HTTP_AUTHORIZATION")
	c.HTTP.Timeout = migration.DefaultHTTPTimeout
	if v := env("POOLSIDE_LEGACY_HTTP_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			ps.addf("POOLSIDE_LEGACY_HTTP_TIMEOUT: %q is not a duration (3s, 1500ms)", v)
		}
		c.HTTP.Timeout = d
	}
	c.CognitoClientSecret = env("POOLSIDE_LEGACY_COGNITO_CLIENT_SECRET")
	c.CognitoEndpoint = env("POOLSIDE_LEGACY_COGNITO_ENDPOINT")
}

// firebaseParams reads the Firebase project's hash parameters; all or none.
// The signer key is a secret: a problem names the variable only.
func firebaseParams(env Env, ps *problems) migration.FirebaseParams {
	var p migration.FirebaseParams
	names := []string{"POOLSIDE_FIREBASE_SIGNER_KEY", "POOLSIDE_FIREBASE_SALT_SEPARATOR", "POOLSIDE_FIREBASE_ROUNDS", "POOLSIDE_FIREBASE_MEM_COST"}
	set := 0
	for _, n := range names {
		if env(n) != "" {
			set++
		}
	}
	if set == 0 {
		return p
	}
	if set != len(names) {
		ps.addf("POOLSIDE_FIREBASE_*: set all of %s, or none", strings.Join(names, ", "))
		return p
	}
	var err error
	if p.SignerKey, err = base64.StdEncoding.DecodeString(strings.TrimSpace(env(names[0]))); err != nil || len(p.SignerKey) == 0 {
		ps.addf("POOLSIDE_FIREBASE_SIGNER_KEY: not base64 (the console's base64_signer_key)")
	}
	if p.SaltSeparator, err = base64.StdEncoding.DecodeString(strings.TrimSpace(env(names[1]))); err != nil {
		ps.addf("POOLSIDE_FIREBASE_SALT_SEPARATOR: not base64 (the console's base64_salt_separator)")
	}
	p.Rounds, err = strconv.Atoi(env(names[2]))
	if err != nil || p.Rounds < 1 || p.Rounds > 32 {
		ps.addf("POOLSIDE_FIREBASE_ROUNDS: %q must be a number from 1 to 32", env(names[2]))
	}
	p.MemCost, err = strconv.Atoi(env(names[3]))
	if err != nil || p.MemCost < 1 || p.MemCost > 20 {
		ps.addf("POOLSIDE_FIREBASE_MEM_COST: %q must be a number from 1 to 20", env(names[3]))
	} else if p.Rounds >= 1 && p.Rounds <= 32 && 128*p.Rounds<<p.MemCost > migration.MaxScryptMemory {
		ps.addf("POOLSIDE_FIREBASE_MEM_COST/ROUNDS: scrypt would need more than %d MiB", migration.MaxScryptMemory>>20)
	}
	return p
}

// validateLegacySource checks POOLSIDE_LEGACY_SOURCE's shape (no connection).
func validateLegacySource(source string, ps *problems) {
	if source == "" {
		return
	}
	if _, _, err := migration.ParseSourceURL(source); err != nil {
		ps.addf("POOLSIDE_LEGACY_SOURCE: %v", err)
	}
}

func (c MigrationConfig) validate(ps *problems) {
	for _, a := range c.Pool.UsernameAttributes {
		if a != migration.AttrEmail && a != migration.AttrPhone {
			ps.addf("POOLSIDE_USERNAME_ATTRIBUTES: %q is not email or phone_number", a)
		}
	}
	for _, a := range c.Pool.AliasAttributes {
		if a != migration.AttrEmail && a != migration.AttrPhone && a != migration.AttrPreferredUsername {
			ps.addf("POOLSIDE_ALIAS_ATTRIBUTES: %q is not email, phone_number or preferred_username", a)
		}
	}
	if len(c.Pool.UsernameAttributes) > 0 && len(c.Pool.AliasAttributes) > 0 {
		ps.addf("POOLSIDE_USERNAME_ATTRIBUTES and POOLSIDE_ALIAS_ATTRIBUTES are both set; a user pool has one or the other")
	}
	if r := c.Pool.PhoneRegion; r != "" && !migration.KnownPhoneRegion(r) {
		ps.addf("POOLSIDE_DEFAULT_PHONE_REGION: %q is not a region code (US, BR, DE…)", r)
	}
	if c.BcryptCost < 4 || c.BcryptCost > migration.MaxBcryptCost {
		ps.addf("POOLSIDE_MIGRATION_BCRYPT_COST: %d must be between 4 and %d", c.BcryptCost, migration.MaxBcryptCost)
	}
	known := map[string]bool{}
	for _, f := range migration.Fields {
		known[f] = true
	}
	for _, f := range slices.Sorted(maps.Keys(c.Dynamo.Attributes)) {
		if !known[f] {
			ps.addf("POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES: %q is not a legacy field (%s)", f, strings.Join(migration.Fields, ", "))
		}
	}
	if !strings.Contains(c.Postgres.LookupQuery, "$1") {
		ps.addf("POOLSIDE_LEGACY_POSTGRES_LOOKUP: the query must take the login as $1")
	}
	if c.Breached != "" && c.Breached != BreachedHIBP {
		ps.addf("POOLSIDE_MIGRATION_BREACHED: %q must be empty or %q", c.Breached, BreachedHIBP)
	}
	if err := checkAppURL(c.HIBPEndpoint); err != nil {
		ps.addf("POOLSIDE_HIBP_ENDPOINT: %v", err)
	}
	if err := c.MySQL.Check(); err != nil {
		ps.addf("%v", err)
	}
	if c.HTTP.Timeout <= 0 || c.HTTP.Timeout > triggers.DefaultBudget {
		ps.addf("POOLSIDE_LEGACY_HTTP_TIMEOUT: %s must be above 0 and at most %s (Cognito waits 5 s)", c.HTTP.Timeout, triggers.DefaultBudget)
	}
	if v := c.CognitoEndpoint; v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.addf("POOLSIDE_LEGACY_COGNITO_ENDPOINT: %q is not an http(s) URL", v)
		}
	}
}
