package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoadAWSFromEnvironment holds for both loaders: the command line's
// (shared configuration chain) and the Lambda artifacts' (make test also runs
// it with -tags poolside.lambda).
func TestLoadAWSFromEnvironment(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-3")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "session-token")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	cfg, err := loadAWS(context.Background(), false)
	require.NoError(t, err)
	require.Equal(t, "eu-west-3", cfg.Region)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "AKIDEXAMPLE", creds.AccessKeyID)
	require.Equal(t, "session-token", creds.SessionToken)
	require.Equal(t, retryMaxAttempts, cfg.Retryer().MaxAttempts(), "every client retries as newRetryer says")

	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	cfg, err = loadAWS(context.Background(), true)
	require.NoError(t, err, "a local endpoint works without credentials")
	require.Equal(t, "us-east-1", cfg.Region)
	creds, err = cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "local", creds.AccessKeyID)
}
