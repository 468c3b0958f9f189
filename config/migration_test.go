package config

import (
	"testing"

	"github.com/poolside-io/poolside/migration"

	"github.com/stretchr/testify/require"
)

func TestMigrationConfig(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_MIGRATION_BCRYPT_COST":       "12",
		"POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES":  "username=login,password_hash=pwd",
		"POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX": "-",
		"POOLSIDE_LEGACY_POSTGRES_PASSWORD":    "pw",
	}))
	require.NoError(t, err)
	require.Equal(t, 12, c.Migration.BcryptCost)
	require.Equal(t, map[string]string{"username": "login", "password_hash": "pwd"}, c.Migration.Dynamo.Attributes)
	require.Empty(t, c.Migration.Dynamo.EmailIndex)
	require.Equal(t, "pw", c.Migration.Postgres.Password)

	_, err = FromEnv(MapEnv(map[string]string{
		"POOLSIDE_MIGRATION_BCRYPT_COST":       "15",
		"POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES":  "pasword=pwd",
		"POOLSIDE_LEGACY_POSTGRES_LOOKUP":      "SELECT * FROM users",
		"POOLSIDE_MIGRATION_EMAIL_IS_USERNAME": "maybe",
	}))
	require.Error(t, err)
	for _, want := range []string{"POOLSIDE_MIGRATION_BCRYPT_COST: 15", `"pasword" is not a legacy field`, "$1", "POOLSIDE_MIGRATION_EMAIL_IS_USERNAME"} {
		require.Contains(t, err.Error(), want, "every problem at once")
	}
}

func TestMigrationBreachedAndFirebase(t *testing.T) {
	// firebase/scrypt README.md's sample project parameters
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_MIGRATION_BREACHED":      "hibp",
		"POOLSIDE_HIBP_ENDPOINT":           "http://127.0.0.1:8089",
		"POOLSIDE_FIREBASE_SIGNER_KEY":     "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
		"POOLSIDE_FIREBASE_SALT_SEPARATOR": "Bw==",
		"POOLSIDE_FIREBASE_ROUNDS":         "8",
		"POOLSIDE_FIREBASE_MEM_COST":       "14",
	}))
	require.NoError(t, err)
	require.Equal(t, &migration.HIBP{Endpoint: "http://127.0.0.1:8089"}, c.Migration.BreachChecker())
	require.Equal(t, []byte{7}, c.Migration.Firebase.SaltSeparator)
	require.Len(t, c.Migration.Firebase.SignerKey, 64)
	require.Equal(t, 8, c.Migration.Firebase.Rounds)
	require.Equal(t, 14, c.Migration.Firebase.MemCost)

	c, err = FromEnv(MapEnv(nil))
	require.NoError(t, err)
	require.Nil(t, c.Migration.BreachChecker(), "off by default")
	require.False(t, c.Migration.Firebase.Set())

	_, err = FromEnv(MapEnv(map[string]string{
		"POOLSIDE_MIGRATION_BREACHED":      "pwned",
		"POOLSIDE_HIBP_ENDPOINT":           "http://hibp.internal.example",
		"POOLSIDE_FIREBASE_SIGNER_KEY":     "not-base64-SECRETKEY!",
		"POOLSIDE_FIREBASE_SALT_SEPARATOR": "Bw==",
		"POOLSIDE_FIREBASE_ROUNDS":         "8",
		"POOLSIDE_FIREBASE_MEM_COST":       "40",
	}))
	require.Error(t, err)
	for _, want := range []string{"POOLSIDE_MIGRATION_BREACHED", "POOLSIDE_HIBP_ENDPOINT: must be https", "POOLSIDE_FIREBASE_SIGNER_KEY: not base64",
		"POOLSIDE_FIREBASE_MEM_COST"} {
		require.Contains(t, err.Error(), want, "every problem at once")
	}
	require.NotContains(t, err.Error(), "SECRETKEY", "the signer key is a secret")

	_, err = FromEnv(MapEnv(map[string]string{"POOLSIDE_FIREBASE_ROUNDS": "8"}))
	require.ErrorContains(t, err, "set all of")
}

func TestMySQLConfig(t *testing.T) {
	c, err := FromEnv(MapEnv(map[string]string{
		"POOLSIDE_LEGACY_SOURCE":         "mysql://wp@db.internal/wordpress",
		"POOLSIDE_LEGACY_MYSQL_PRESET":   "wordpress",
		"POOLSIDE_LEGACY_MYSQL_PASSWORD": "pw",
	}))
	require.NoError(t, err)
	require.Equal(t, "wordpress", c.Migration.MySQL.Preset)
	require.Equal(t, "wp_", c.Migration.MySQL.TablePrefix, "WordPress's default prefix")
	require.Equal(t, "pw", c.Migration.MySQL.Password)

	for name, env := range map[string]map[string]string{
		"POOLSIDE_LEGACY_MYSQL_PRESET":       {"POOLSIDE_LEGACY_MYSQL_PRESET": "drupal"},
		"POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX": {"POOLSIDE_LEGACY_MYSQL_PRESET": "wordpress", "POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX": "wp_;drop"},
		"POOLSIDE_LEGACY_MYSQL_LOOKUP":       {"POOLSIDE_LEGACY_MYSQL_LOOKUP": "SELECT * FROM users"},
	} {
		_, err := FromEnv(MapEnv(env))
		require.ErrorContains(t, err, name)
	}
}
