package migration

// AWSDeps are the AWS clients of the dynamodb:// and cognito-idp:// sources.
type AWSDeps struct {
	// DynamoDB returns the client for dynamodb:// sources, on first use.
	DynamoDB func() (DynamoAPI, error)
	// Cognito builds the old pool's client for cognito-idp:// sources.
	Cognito CognitoOptions
}
