package config

import (
	"testing"

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
