package migration_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/migration/sourcetest"
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
	layout := migration.DynamoLayout{Attributes: map[string]string{"username": "login", "email": "mail", "password_hash": "pwd"}, EmailIndex: "mail-index"}
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
	// The name is this test's own: a table in use means the SDK retried a
	// CreateTable whose first attempt made it and whose answer was lost (a
	// busy moto_server), as profilestore.CreateTable also allows.
	if inUse := (*types.ResourceInUseException)(nil); !errors.As(err, &inUse) {
		require.NoError(t, err)
	}
	t.Cleanup(func() { _, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table}) })
	fx := sourcetest.Load(t, "../fixtures")
	for _, u := range fx.Users {
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
	src := migration.NewDynamo(func() (migration.DynamoAPI, error) { return db, nil }, table, layout)
	// the table keeps emails lower-case for its index
	sourcetest.Run(t, src, fx, sourcetest.Options{LowerEmails: true})
}

func postgresURL() string {
	if u := os.Getenv("POOLSIDE_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

func TestPostgresSource(t *testing.T) {
	ctx := context.Background()
	dsn := postgresURL()
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(pctx, dsn)
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
	fx := sourcetest.Load(t, "../fixtures")
	for _, u := range fx.Users {
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
	src, err := migration.NewPostgres(dsn, migration.PostgresOptions{
		LookupQuery: `SELECT ` + cols + ` FROM ` + schema + `.accounts WHERE login = $1 OR lower(mail) = lower($1) LIMIT 2`,
		ListQuery:   `SELECT ` + cols + ` FROM ` + schema + `.accounts ORDER BY account_id`,
	})
	require.NoError(t, err)
	t.Cleanup(src.Close)
	sourcetest.Run(t, src, fx, sourcetest.Options{})

	t.Run("password from the option, not the URL", func(t *testing.T) {
		p, err := migration.NewPostgres(dsn, migration.PostgresOptions{Password: "not-needed-with-trust-auth"})
		require.NoError(t, err)
		defer p.Close()
		_, err = p.Lookup(ctx, "jdoe") // the default query names a table this database lacks
		require.Error(t, err)
		require.NotContains(t, err.Error(), "not-needed-with-trust-auth")
	})
}

func TestFileSource(t *testing.T) {
	sourcetest.Run(t, migration.NewFile("../fixtures/legacy-users.jsonl"), sourcetest.Load(t, "../fixtures"), sourcetest.Options{})
}

// mysqlTestDB returns a connection to POOLSIDE_TEST_MYSQL_URL (default the
// MariaDB on 127.0.0.1:3306, root, database test; .ci/ensure-mariadb.sh starts
// one) and the URL, or skips (fails under CI=true).
func mysqlTestDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	raw := os.Getenv("POOLSIDE_TEST_MYSQL_URL")
	if raw == "" {
		raw = "mysql://root@127.0.0.1:3306/test"
	}
	u, err := url.Parse(raw)
	require.NoError(t, err)
	pw, _ := u.User.Password()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = u.User.Username(), pw, "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	cfg.ParseTime, cfg.Timeout, cfg.MultiStatements = true, 3*time.Second, true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		requireServer(t, "no MySQL/MariaDB at POOLSIDE_TEST_MYSQL_URL ("+err.Error()+")")
	}
	return db, raw
}

func TestMySQLSource(t *testing.T) {
	ctx := context.Background()
	db, dsn := mysqlTestDB(t)
	table := fmt.Sprintf("poolside_accounts_%d", time.Now().UnixNano())
	// a legacy schema with its own column names, mapped by the configured queries
	_, err := db.ExecContext(ctx, `CREATE TABLE `+table+` (
		account_id BIGINT PRIMARY KEY, login VARCHAR(190) NOT NULL UNIQUE, mail VARCHAR(190), mail_ok TINYINT(1) NOT NULL DEFAULT 0,
		first_name VARCHAR(100), last_name VARCHAR(100), lang VARCHAR(20), pw VARBINARY(255), tenant VARCHAR(64), role VARCHAR(32),
		signed_up DATETIME(3), is_disabled BIT(1) NOT NULL DEFAULT 0, pw_format VARCHAR(32), pw_salt TEXT, pw_params JSON)
		DEFAULT CHARSET=utf8mb4`)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), `DROP TABLE `+table) })
	fx := sourcetest.Load(t, "../fixtures")
	for _, u := range fx.Users {
		var params any // JSON NULL when the user has none
		if u.PasswordHashParams != nil {
			b, err := json.Marshal(u.PasswordHashParams)
			require.NoError(t, err)
			params = string(b)
		}
		_, err := db.ExecContext(ctx, `INSERT INTO `+table+` VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			u.ID, u.Username, u.Email, u.EmailVerified, u.GivenName, u.FamilyName, u.Locale, u.PasswordHash,
			u.TenantID, u.Role, u.CreatedAt, u.Disabled, u.PasswordHashFormat, u.PasswordSalt, params)
		require.NoError(t, err)
	}
	cols := `account_id AS id, login AS username, mail AS email, mail_ok AS email_verified, first_name AS given_name,
		last_name AS family_name, lang AS locale, pw AS password_hash, tenant AS tenant_id, role, signed_up AS created_at,
		is_disabled AS disabled, pw_format AS password_hash_format, pw_salt AS password_salt, pw_params AS password_hash_params`
	src, err := migration.NewMySQL(dsn, migration.MySQLOptions{
		LookupQuery: `SELECT ` + cols + ` FROM ` + table + ` WHERE login = ? OR mail = ? LIMIT 2`,
		ListQuery:   `SELECT ` + cols + ` FROM ` + table + ` ORDER BY account_id`,
	})
	require.NoError(t, err)
	t.Cleanup(src.Close)
	sourcetest.Run(t, src, fx, sourcetest.Options{})

	t.Run("password from the option, not the URL", func(t *testing.T) {
		p, err := migration.NewMySQL(dsn, migration.MySQLOptions{Password: "wrong-secret-pw"})
		require.NoError(t, err)
		defer p.Close()
		_, err = p.Lookup(ctx, "jdoe") // root has no password: access denied
		require.Error(t, err)
		require.NotContains(t, err.Error(), "wrong-secret-pw")
	})
}

// TestMySQLWordPress runs the wordpress preset against WordPress's own
// wp_users table (schema of wp-admin/includes/schema.php), under a random
// table prefix.
func TestMySQLWordPress(t *testing.T) {
	ctx := context.Background()
	db, dsn := mysqlTestDB(t)
	prefix := fmt.Sprintf("wp%d_", time.Now().UnixNano())
	_, err := db.ExecContext(ctx, `CREATE TABLE `+prefix+`users (
		ID bigint(20) unsigned NOT NULL auto_increment,
		user_login varchar(60) NOT NULL default '',
		user_pass varchar(255) NOT NULL default '',
		user_nicename varchar(50) NOT NULL default '',
		user_email varchar(100) NOT NULL default '',
		user_url varchar(100) NOT NULL default '',
		user_registered datetime NOT NULL default '0000-00-00 00:00:00',
		user_activation_key varchar(255) NOT NULL default '',
		user_status int(11) NOT NULL default '0',
		display_name varchar(250) NOT NULL default '',
		PRIMARY KEY  (ID),
		KEY user_login_key (user_login),
		KEY user_nicename (user_nicename),
		KEY user_email (user_email)
	) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), `DROP TABLE `+prefix+`users`) })
	fx := sourcetest.Load(t, "../fixtures")
	for _, u := range fx.Users {
		_, err := db.ExecContext(ctx, `INSERT INTO `+prefix+`users (ID, user_login, user_pass, user_email, user_registered, display_name)
			VALUES (?,?,?,?,?,?)`, u.ID, u.Username, u.PasswordHash, u.Email, u.CreatedAt, u.FullName())
		require.NoError(t, err)
	}
	// an admin-created user WordPress never stamped
	_, err = db.ExecContext(ctx, `INSERT INTO `+prefix+`users (user_login, user_pass, user_email, display_name)
		VALUES ('admin', '$P$BzzzzzzzzzzzzzzzzzzzzzzzzzzzzzZ', 'admin@wp.example', 'Site Admin')`)
	require.NoError(t, err)

	src, err := migration.NewMySQL(dsn, migration.MySQLOptions{Preset: migration.PresetWordPress, TablePrefix: prefix})
	require.NoError(t, err)
	t.Cleanup(src.Close)

	marta := fx.User(t, "marta.silva@legacy.example.com")
	for _, login := range []string{"jdoe", "John.Doe@legacy.example.com", marta.Username, "MARTA.SILVA@LEGACY.EXAMPLE.COM"} {
		u, err := src.Lookup(ctx, login)
		require.NoError(t, err, login)
		require.NotEmpty(t, u.PasswordHash, login)
	}
	u, err := src.Lookup(ctx, "MARTA.SILVA@LEGACY.EXAMPLE.COM")
	require.NoError(t, err)
	require.Equal(t, migration.User{ID: marta.ID, Username: marta.Username, Email: marta.Email, Name: "Marta Silva",
		PasswordHash: marta.PasswordHash, CreatedAt: marta.CreatedAt}, u, "WordPress records no email verification")
	_, err = src.Lookup(ctx, "JDOE")
	require.ErrorIs(t, err, migration.ErrNotFound, "the login is matched exactly, whatever the collation")
	admin, err := src.Lookup(ctx, "admin")
	require.NoError(t, err)
	require.True(t, admin.CreatedAt.IsZero())

	a := &migration.Authenticator{Source: src, DummyCost: 4}
	// WordPress's own formats: phpass $P$ (before 6.8) and $wp$2y$ (6.8 on), and plain bcrypt
	for _, login := range []string{"pat.phpass@legacy.example.com", "wanda.wp68@legacy.example.com", "john.doe@legacy.example.com"} {
		u, err := src.Lookup(ctx, login)
		require.NoError(t, err, login)
		check, err := a.Authenticate(ctx, login, []byte(fx.Passwords[u.Username]))
		require.NoError(t, err)
		require.True(t, check.Verified, login)
		check, err = a.Authenticate(ctx, login, []byte(fx.Passwords[u.Username]+"!"))
		require.NoError(t, err)
		require.False(t, check.Verified, login)
	}

	n := 0
	require.NoError(t, src.Each(ctx, func(migration.User) error { n++; return nil }))
	require.Equal(t, len(fx.Users)+1, n)

	_, err = migration.NewMySQL(dsn, migration.MySQLOptions{Preset: migration.PresetWordPress, TablePrefix: "wp_; DROP TABLE x"})
	require.ErrorContains(t, err, "table prefix")
	_, err = migration.NewMySQL(dsn, migration.MySQLOptions{Preset: "drupal"})
	require.ErrorContains(t, err, "wordpress")
}

func TestMySQLURL(t *testing.T) {
	for _, bad := range []string{"mysql://127.0.0.1/db", "mysql://u@h", "mysql://u:s3cret-pw@h:3306/", "mysql://u:s3cret-pw@h/db?tls=nonsense%zz"} {
		_, err := migration.NewMySQL(bad, migration.MySQLOptions{})
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "s3cret-pw")
	}
	_, err := migration.NewMySQL("mysql://u:pw@legacy.internal/app?tls=true&charset=utf8mb4", migration.MySQLOptions{})
	require.NoError(t, err)
}
