package migration

// The options and record fields of the legacy sources, which configuration
// reads and checks; the sources themselves are dynamo.go, postgres.go,
// mysql.go and cognito.go. The whole package is linked only into the
// UserMigration artifact and the command-line binary (config/migration.go's
// and triggers/usermigration.go's build tags; TestArtifactDeps holds it).

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Fields are the names of a legacy user's fields, as in the JSON Lines format.
var Fields = []string{"id", "username", "email", "email_verified", "phone_number", "phone_number_verified",
	"given_name", "family_name", "name", "locale", "password_hash", "tenant_id", "role", "created_at", "disabled",
	"password_hash_format", "password_salt", "password_hash_params"}

// DynamoLayout describes a legacy users table.
type DynamoLayout struct {
	// Attributes renames fields: field → table attribute ("password_hash" →
	// "pwd"). A field not listed is stored under its own name.
	Attributes map[string]string
	// EmailIndex is a global secondary index whose partition key is the email
	// attribute ("" = look users up by username only). Emails are matched as
	// stored lower-case, then as typed.
	EmailIndex string
}

// attr is the table attribute of field.
func (l DynamoLayout) attr(field string) string {
	if a := l.Attributes[field]; a != "" {
		return a
	}
	return field
}

// Default queries of the PostgreSQL source. Columns are matched by name to
// the fields of the legacy line format (Fields); absent columns are empty.
const (
	DefaultPostgresLookup = `SELECT * FROM legacy_users WHERE username = $1 OR lower(email) = lower($1) LIMIT 2`
	DefaultPostgresList   = `SELECT * FROM legacy_users ORDER BY username`
)

// PostgresOptions configure the PostgreSQL source.
type PostgresOptions struct {
	// LookupQuery takes the login as $1 and returns at most a few rows.
	LookupQuery string
	// ListQuery returns every user (the bulk export).
	ListQuery string
	// Password, when set, overrides the URL's password (kept out of the URL
	// so that it can come from Secrets Manager or SSM).
	Password string
	// MaxConns bounds the pool (default 2: one Lambda serves one event at a time).
	MaxConns int32
}

// Default queries of the MySQL/MariaDB source. Every ? is the login. Columns
// are matched by name to the fields of the legacy line format (Fields).
const (
	DefaultMySQLLookup = "SELECT * FROM legacy_users WHERE username = ? OR lower(email) = lower(?) LIMIT 2"
	DefaultMySQLList   = "SELECT * FROM legacy_users ORDER BY username"
)

// MySQL presets: queries for a known application's schema.
const (
	// PresetWordPress reads PREFIXusers: user_login or user_email → the
	// user's login, email, user_pass (phpass $P$, $wp$ or bcrypt), display
	// name and registration date. WordPress records no email verification,
	// so emails come over unverified; write your own lookup to decide otherwise.
	PresetWordPress = "wordpress"
	// DefaultTablePrefix is WordPress's $table_prefix.
	DefaultTablePrefix = "wp_"
)

// MySQLPresets are the presets POOLSIDE_LEGACY_MYSQL_PRESET accepts.
var MySQLPresets = []string{PresetWordPress}

// validTablePrefix: at most 32 ASCII letters, digits and _ (a regexp here
// would be compiled at every function's cold start).
func validTablePrefix(p string) bool {
	if len(p) > 32 {
		return false
	}
	for _, c := range []byte(p) {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// MySQLOptions configure the MySQL/MariaDB source.
type MySQLOptions struct {
	// Preset names an application schema (PresetWordPress); its queries
	// replace LookupQuery and ListQuery.
	Preset string
	// TablePrefix is the preset's table prefix (default DefaultTablePrefix).
	TablePrefix string
	// LookupQuery takes the login for every ? and returns at most a few rows.
	LookupQuery string
	// ListQuery returns every user (the bulk export).
	ListQuery string
	// Password, when set, overrides the URL's password.
	Password string
	// MaxConns bounds the pool (default 2).
	MaxConns int
}

// Check reports the first problem with the options, naming the variable
// that sets it.
func (o MySQLOptions) Check() error {
	if _, _, err := o.queries(); err != nil {
		if o.Preset != "" && slices.Contains(MySQLPresets, o.Preset) {
			return fmt.Errorf("POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX: %w", err)
		}
		return fmt.Errorf("POOLSIDE_LEGACY_MYSQL_PRESET: %w", err)
	}
	if o.Preset == "" && o.LookupQuery != "" && !strings.Contains(o.LookupQuery, "?") {
		return errors.New("POOLSIDE_LEGACY_MYSQL_LOOKUP: the query must take the login as ? (every ? is the login)")
	}
	return nil
}

// queries returns the lookup and list queries the options select.
func (o MySQLOptions) queries() (lookup, list string, err error) {
	switch o.Preset {
	case "":
		return or(o.LookupQuery, DefaultMySQLLookup), or(o.ListQuery, DefaultMySQLList), nil
	case PresetWordPress:
		p := o.TablePrefix
		if p == "" {
			p = DefaultTablePrefix
		}
		if !validTablePrefix(p) {
			return "", "", fmt.Errorf("table prefix %q: want letters, digits and _", p)
		}
		cols := "ID AS id, user_login AS username, user_email AS email, user_pass AS password_hash, " +
			"display_name AS name, user_registered AS created_at FROM " + p + "users"
		return "SELECT " + cols + " WHERE user_login = ? OR user_email = ? LIMIT 2",
			"SELECT " + cols + " ORDER BY ID", nil
	}
	return "", "", fmt.Errorf("preset %q: want one of %s", o.Preset, strings.Join(MySQLPresets, ", "))
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
