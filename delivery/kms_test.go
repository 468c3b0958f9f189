package delivery

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Decrypt starts building P-384's tables as it begins, before its KMS call
// (internal/prewarm): a message that is not the Encryption SDK's fails
// before any request, and the start has still been asked for, once per call
// (prewarm.Start itself starts once per process). The full decryption is
// cmd/poolside's senders_integration_test.go, against moto.
func TestDecryptStartsP384Tables(t *testing.T) {
	starts := 0
	saved := startP384
	startP384 = func() { starts++ }
	t.Cleanup(func() { startP384 = saved })

	client := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: aws.AnonymousCredentials{}})
	d, err := NewKMS(client, "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")
	require.NoError(t, err)
	_, err = d.Decrypt(context.Background(), []byte("not an Encryption SDK message"))
	require.Error(t, err)
	assert.Equal(t, 1, starts)
}
