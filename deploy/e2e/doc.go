// Package e2e is poolside's end-to-end suite: the built binary, served as a
// Lambda Invoke API (poolside serve), attached to a user pool in the
// cognito-local emulator, with its profiles in DynamoDB (moto_server). The Go
// test plays the life of users through the Cognito API with the
// aws-sdk-go-v2 cognitoidentityprovider client, as an app would.
//
// Run it with `make e2e` (run.sh starts and stops the servers); the test
// carries the build tag e2e so `go test ./...` leaves it out. README.md beside
// this file lists where cognito-local differs from Amazon Cognito and how the
// test deals with each gap.
//
// The triggers it exercises are those of
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
package e2e
