//go:build poolside.fn && !poolside.fn.usermigration

package migration

// The single-function Lambda artifacts of the triggers other than
// UserMigration (-tags poolside.fn,poolside.fn.<artifact>, see
// deploy/functions.txt) never shape a migrated user, so they do not link
// github.com/nyaruka/phonenumbers and pay nothing for its metadata at cold start.

import "errors"

// NormalizePhone: only UserMigration normalizes phone numbers; this artifact
// answers other triggers and never calls it.
func NormalizePhone(string, string) (string, error) {
	return "", errors.New("phone numbers are normalized by the UserMigration artifact only")
}
