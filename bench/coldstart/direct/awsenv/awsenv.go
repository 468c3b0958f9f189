// Package awsenv builds what every direct handler (bench/coldstart/direct)
// shares: the AWS configuration a hand-written Lambda function takes from its
// environment, and the clients of the services it calls, each pointed at the
// endpoint bench/coldstart's stand-in listens on.
package awsenv

import (
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Config is Lambda's region and the execution role's credentials, from the
// environment Lambda sets.
func Config() aws.Config {
	return aws.Config{
		Region: os.Getenv("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))),
	}
}

// Endpoint is the endpoint POOLSIDE_<service>_ENDPOINT names (the
// stand-in's), or nil: the Region's.
func Endpoint(service string) *string {
	if v := os.Getenv("POOLSIDE_" + service + "_ENDPOINT"); v != "" {
		return aws.String(v)
	}
	return nil
}

// Dynamo is a DynamoDB client.
func Dynamo() *dynamodb.Client {
	return dynamodb.NewFromConfig(Config(), func(o *dynamodb.Options) { o.BaseEndpoint = Endpoint("DYNAMODB") })
}

// Table is the table of a dynamodb://TABLE variable (POOLSIDE_PROFILE_STORE,
// POOLSIDE_LEGACY_SOURCE).
func Table(name string) string {
	return strings.TrimPrefix(os.Getenv(name), "dynamodb://")
}
