package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/poolside-io/poolside/triggers"
)

// Retries of store and Cognito calls. A trigger has one budget (the router's
// deadline, 4.25 s of Cognito's 5 s): a call that fails with a retryable error
// (5xx, throttling, a reset connection) is tried again after a jittered,
// exponentially growing pause for as long as that deadline leaves room for
// another attempt. The SDK's defaults (3 attempts, no deadline awareness) gave
// up after well under a second of a 4.5 s budget.
const (
	// retryBase and retryMaxBackoff shape the pause before attempt n+1: a
	// uniform draw in [0, min(retryMaxBackoff, retryBase·2ⁿ)) ("full jitter"),
	// so racing callers spread out instead of retrying in step.
	retryBase       = 25 * time.Millisecond
	retryMaxBackoff = 500 * time.Millisecond
	// retryWindow is the least time an attempt needs: with less left before the
	// deadline, the last error is returned at once.
	retryWindow = 100 * time.Millisecond
	// retryMaxAttempts bounds a call that runs without a deadline (the admin
	// CLI); under a trigger's deadline the deadline is reached first.
	retryMaxAttempts = 20
)

// errNoTimeToRetry joins the last error when the deadline leaves no room for
// another attempt.
var errNoTimeToRetry = errors.New("no time left in the invocation's budget to retry")

// newRetryer returns the retryer every AWS client poolside builds uses.
func newRetryer() aws.Retryer {
	return budgetRetryer{retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = retryMaxAttempts
		o.MaxBackoff = retryMaxBackoff
		o.Backoff = retry.BackoffDelayerFunc(jitteredBackoff)
		// The retry quota (a token bucket shared by every call of the process)
		// would stop retries after a burst of faults however much budget is left.
		o.RateLimiter = ratelimit.None
	})}
}

// jitteredBackoff is the pause before the next attempt after attempt has failed.
func jitteredBackoff(attempt int, _ error) (time.Duration, error) {
	ceiling := retryMaxBackoff
	if attempt < 16 {
		ceiling = min(retryMaxBackoff, retryBase<<max(attempt-1, 0))
	}
	return rand.N(ceiling), nil
}

// storeServiceID is dynamodb.ServiceID, spelled out so that a function
// without the profile store does not link the DynamoDB client for it.
const storeServiceID = "DynamoDB"

// budgetRetryer is the SDK's standard retryer that also stops when the
// call's deadline leaves no room for another attempt.
type budgetRetryer struct{ *retry.Standard }

var _ aws.RetryerV2 = budgetRetryer{}

// GetRetryToken refuses a retry when ctx's deadline is less than
// retryWindow away.
func (r budgetRetryer) GetRetryToken(ctx context.Context, err error) (func(error) error, error) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < retryWindow {
		return nil, errNoTimeToRetry
	}
	release, err := r.Standard.GetRetryToken(ctx, err)
	if err == nil && awsmiddleware.GetServiceID(ctx) == storeServiceID {
		triggers.CountStoreRetry(ctx) // the call is tried again
	}
	return release, err
}
