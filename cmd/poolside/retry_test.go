package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

func TestJitteredBackoff(t *testing.T) {
	for attempt := 1; attempt <= 40; attempt++ {
		ceiling := min(retryMaxBackoff, retryBase<<min(attempt-1, 20))
		for range 50 {
			d, err := jitteredBackoff(attempt, nil)
			require.NoError(t, err)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.Less(t, d, ceiling, "attempt %d", attempt)
		}
	}
}

// flakyDynamo answers the first failures requests with a DynamoDB 500 and the
// rest with an empty GetItem result.
func flakyDynamo(t *testing.T, failures int32) (url string, requests *atomic.Int32) {
	t.Helper()
	requests = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if requests.Add(1) <= failures {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected"}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

func testDynamo(url string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: newRetryer(),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

// Retries go on well past the SDK's default three attempts.
func TestRetryerRetriesPastTheDefault(t *testing.T) {
	url, requests := flakyDynamo(t, 6)
	_, err := testDynamo(url).GetItem(context.Background(), getItem())
	require.NoError(t, err)
	require.Equal(t, int32(7), requests.Load())
}

// Each retried DynamoDB call is counted on the invocation's log line
// (the StoreRetries metric).
func TestRetryerCountsStoreRetries(t *testing.T) {
	require.Equal(t, dynamodb.ServiceID, storeServiceID)
	url, _ := flakyDynamo(t, 2)
	var logs bytes.Buffer
	r := triggers.NewRouter(triggers.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	r.HandlePreAuthentication(func(ctx context.Context, _ *triggers.PreAuthenticationEvent) error {
		_, err := testDynamo(url).GetItem(ctx, getItem())
		return err
	})
	_, err := r.Invoke(context.Background(), []byte(`{"triggerSource":"PreAuthentication_Authentication","request":{}}`))
	require.NoError(t, err)
	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line), logs.String())
	require.Equal(t, 2.0, line[triggers.MetricStoreRetries])
}

// With less than retryWindow left before the deadline, the last error comes
// back at once, with the reason joined.
func TestRetryerStopsAtTheDeadline(t *testing.T) {
	url, requests := flakyDynamo(t, 1<<30)
	ctx, cancel := context.WithTimeout(context.Background(), retryWindow/2)
	defer cancel()
	_, err := testDynamo(url).GetItem(ctx, getItem())
	require.Error(t, err)
	require.Equal(t, int32(1), requests.Load(), "no retry without room for one")
	require.ErrorIs(t, err, errNoTimeToRetry)
	require.Contains(t, err.Error(), "injected", "the store's own error is kept")
}

// Without a deadline (the admin CLI) a call stops after retryMaxAttempts.
func TestRetryerBoundedWithoutDeadline(t *testing.T) {
	url, requests := flakyDynamo(t, 1<<30)
	_, err := testDynamo(url).GetItem(context.Background(), getItem())
	require.Error(t, err)
	require.Equal(t, int32(retryMaxAttempts), requests.Load())
}

func getItem() *dynamodb.GetItemInput {
	return &dynamodb.GetItemInput{TableName: aws.String("t"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "x"}}}
}
