// Package migration moves users of a legacy password store to Amazon Cognito:
// it looks legacy users up (a Source per registered Scheme: a JSON Lines
// file, DynamoDB, PostgreSQL… — Schemes lists them; Open picks one from a URL), verifies their passwords in the legacy hash formats (the
// Formats registry: bcrypt, argon2, Django, passlib, phpass, WordPress,
// crypt(3), LDAP, ASP.NET Identity, Firebase scrypt, Keycloak), optionally
// checks a verified password against Have I Been Pwned (HIBP), maps users to
// Cognito attributes, and exports the users who never signed in as a Cognito
// user-import CSV.
//
// It implements the domain side of the migrate user Lambda trigger
// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html)
// and of user import
// (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html).
// It has no Lambda types: triggers/usermigration.go adapts it to the event.
package migration
