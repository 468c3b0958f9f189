//go:build !poolside.lambda

package main

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// loadAWS reads the shared AWS configuration — environment, ~/.aws files,
// profiles, SSO, web identity, IMDS — for the command line (no network calls
// here). Against a local endpoint with no credentials configured it uses dummy
// ones. The Lambda artifacts (built with -tags poolside.lambda) use
// aws_lambda.go instead.
func loadAWS(ctx context.Context, local bool) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRetryer(newRetryer), awsconfig.WithRegion(awsRegion())}
	if local && os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	return awsconfig.LoadDefaultConfig(ctx, opts...)
}
