//go:build poolside.fn && !poolside.fn.usermigration

package config

// The single-function Lambda artifacts of the triggers other than
// UserMigration (-tags poolside.fn,poolside.fn.<artifact>, see
// deploy/functions.txt) never talk to a legacy store, so they read none of
// its variables and do not link package migration (its hash formats and
// golang.org/x/crypto), whose package init every store function paid at
// cold start (#17). The UserMigration artifact and the command line read
// and check them (migration.go).

// MigrationConfig is empty in this artifact: only UserMigration reads it.
type MigrationConfig struct{}

func (c *MigrationConfig) load(Env, *problems) {}

func (c MigrationConfig) validate(*problems) {}

// validateLegacySource: only the UserMigration artifact reads POOLSIDE_LEGACY_SOURCE.
func validateLegacySource(string, *problems) {}
