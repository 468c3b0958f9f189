package delivery

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingHTTP counts the requests a client sends, and answers none.
type countingHTTP struct{ requests int }

func (c *countingHTTP) Do(*http.Request) (*http.Response, error) {
	c.requests++
	return nil, errors.New("no network in this test")
}

// A message that is not the Encryption SDK's fails before any request to
// KMS. The full decryption is cmd/poolside's senders_integration_test.go,
// against moto.
func TestDecryptRefusesAForeignMessage(t *testing.T) {
	httpc := &countingHTTP{}
	client := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: aws.AnonymousCredentials{}, HTTPClient: httpc})
	d, err := NewKMS(client, "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")
	require.NoError(t, err)
	_, err = d.Decrypt(context.Background(), []byte("not an Encryption SDK message"))
	require.Error(t, err)
	assert.Zero(t, httpc.requests, "refused before calling KMS")
}
