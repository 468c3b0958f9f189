//go:build poolside.fn && !poolside.fn.usermigration

package migration

// AWSDeps: the single-function artifacts of the triggers other than
// UserMigration (-tags poolside.fn,poolside.fn.<artifact>, see
// deploy/functions.txt) open no legacy source, so they link neither the
// DynamoDB and Cognito clients nor pgx and the MySQL driver through this
// package.
type AWSDeps struct{}
