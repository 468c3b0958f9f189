//go:build poolside.lambda

package main

import (
	"context"
	"errors"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// loadAWS builds the AWS configuration of a Lambda artifact from what Lambda
// puts in the environment: AWS_REGION and the execution role's
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The shared
// configuration chain (config.LoadDefaultConfig: profiles, SSO, STS, IMDS) is
// not linked in: its packages cost every cold start ~1.5 ms of package
// initialisation and a larger binary, for credentials Lambda never uses.
func loadAWS(_ context.Context, local bool) (aws.Config, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		if !local {
			return aws.Config{}, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the function's role)")
		}
		id, secret = "local", "local"
	}
	return aws.Config{
		Region:      awsRegion(),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN"))),
		Retryer:     newRetryer,
	}, nil
}
