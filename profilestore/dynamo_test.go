package profilestore_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/profilestore/conformance"

	"github.com/poolside-io/poolside/internal/testenv"
)

// dynamoClient connects to the DynamoDB-API server in
// POOLSIDE_DYNAMODB_ENDPOINT (make test starts moto_server). Without one the
// test skips, except under CI=true where it fails.
func dynamoClient(t *testing.T) *dynamodb.Client {
	t.Helper()
	endpoint := testenv.Server(t, "POOLSIDE_DYNAMODB_ENDPOINT")
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}

var tableSeq atomic.Int64

// newTable creates a fresh profile table for one test.
func newTable(t *testing.T, db *dynamodb.Client) string {
	t.Helper()
	name := fmt.Sprintf("profiles-%d-%d", time.Now().UnixNano(), tableSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// created may be false when the SDK retried a CreateTable whose first
	// answer was lost; the table is there either way.
	_, err := profilestore.CreateTable(ctx, db, name)
	require.NoError(t, err)
	again, err := profilestore.CreateTable(ctx, db, name)
	require.NoError(t, err, "creating an existing table is not an error")
	require.False(t, again)
	return name
}

func TestDynamoConformance(t *testing.T) {
	db := dynamoClient(t)
	conformance.Run(t, func(t *testing.T) profilestore.Store {
		return profilestore.NewDynamo(db, newTable(t, db), nil)
	})
}

// requestCounter counts the DynamoDB requests a client sends (every attempt),
// by operation.
type requestCounter struct {
	mu  sync.Mutex
	ops map[string]int
}

func (c *requestCounter) option(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("countRequests",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				c.mu.Lock()
				c.ops[awsmiddleware.GetOperationName(ctx)]++
				c.mu.Unlock()
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

func (c *requestCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.ops {
		n += v
	}
	return n
}

// 100 racing sign-ups with one name cost O(100) DynamoDB requests, not
// O(100²): after a first lost race a creator takes a number from the
// HANDLESEQ counter instead of retrying the smallest free suffix with
// everyone else. The figure goes in the README ("Reliability").
func TestDynamoSameNameRequests(t *testing.T) {
	db := dynamoClient(t)
	table := newTable(t, db)
	counter := &requestCounter{ops: map[string]int{}}
	counted := dynamodb.New(db.Options(), counter.option)
	s := profilestore.NewDynamo(counted, table, nil)
	const n = 100
	var wg sync.WaitGroup
	handles := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := s.Create(context.Background(), profilestore.Profile{ID: fmt.Sprintf("sub-%03d", i),
				Email: fmt.Sprintf("ana%03d@example.com", i), GivenName: "Ana", FamilyName: "Lima"})
			handles[i], errs[i] = profilestore.NormalizeHandle(p.Handle), err
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		require.NoError(t, errs[i])
		require.False(t, seen[handles[i]], "handle %s given twice", handles[i])
		seen[handles[i]] = true
	}
	total := counter.total()
	t.Logf("%d racing same-name sign-ups: %d DynamoDB requests (%.1f each): %v", n, total, float64(total)/n, counter.ops)
	// Linear: a creator costs a transaction, at most one 25-handle read and
	// a few counter numbers. A stampede (everyone retrying the same smallest
	// free suffix) costs thousands.
	require.LessOrEqual(t, total, 10*n)
}

// loseFirstAnswer delivers every request to DynamoDB, but loses the answer to
// the first request of operation op, as a busy network does: the SDK sends
// that request again, after it has taken effect.
type loseFirstAnswer struct {
	op   string
	lost atomic.Bool
}

func (l *loseFirstAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Header.Get("X-Amz-Target") == "DynamoDB_20120810."+l.op && !l.lost.Swap(true) {
		_ = res.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return res, err
}

// losingStore is a store on a new table whose client loses the answer to
// the first request of op, counting the requests it sends.
func losingStore(t *testing.T, op string) (*profilestore.Dynamo, *loseFirstAnswer, *requestCounter) {
	db := dynamoClient(t)
	table := newTable(t, db)
	lose := &loseFirstAnswer{op: op}
	attempts := &requestCounter{ops: map[string]int{}}
	flaky := dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.HTTPClient = &http.Client{Transport: lose}
	}, attempts.option)
	return profilestore.NewDynamo(flaky, table, nil), lose, attempts
}

// A claim whose write committed but whose answer was lost is still this
// call's claim when the SDK resends it: the code is sent once, not never. A
// second, separate claim of the key is still refused.
func TestDynamoClaimSurvivesALostAnswer(t *testing.T) {
	s, lose, attempts := losingStore(t, "PutItem")
	ctx := context.Background()
	until := time.Now().Add(time.Hour)

	got, err := s.Claim(ctx, "code-once", until)
	require.NoError(t, err)
	require.True(t, lose.lost.Load(), "the first answer was lost")
	require.GreaterOrEqual(t, attempts.ops["PutItem"], 2, "the SDK sent the claim again") // more if moto itself drops one
	assert.True(t, got, "the resent claim finds its own write")

	got, err = s.Claim(ctx, "code-once", until)
	require.NoError(t, err)
	assert.False(t, got, "another claim within the window")
}

// An update, a sign-in's timestamp and a delete whose write committed but
// whose answer was lost each take effect once when the SDK resends them:
// PutItem and UpdateItem carry no idempotency token at all (in DynamoDB
// too), and moto ignores TransactWriteItems' one. Before, the update's
// resend was refused and its change applied again (version 3, seen in CI),
// the timestamp's resend bumped the version again, and the delete's resend
// answered ErrNotFound.
func TestDynamoWritesSurviveALostAnswer(t *testing.T) {
	ctx := context.Background()
	ana := profilestore.Profile{ID: "sub-lost", Email: "lost@example.com", GivenName: "Ana", FamilyName: "Lima"}

	t.Run("Update", func(t *testing.T) {
		s, lose, attempts := losingStore(t, "PutItem")
		created, err := s.Create(ctx, ana)
		require.NoError(t, err)
		got, err := s.Update(ctx, ana.ID, func(p *profilestore.Profile) error { p.Badges = append(p.Badges, "EARLY_BIRD"); return nil })
		require.NoError(t, err)
		require.True(t, lose.lost.Load(), "the first answer was lost")
		require.GreaterOrEqual(t, attempts.ops["PutItem"], 2, "the SDK sent the write again") // more if moto itself drops one
		assert.Equal(t, int64(2), got.Version)
		stored, err := s.Get(ctx, ana.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), stored.Version, "one change, one version")
		assert.Equal(t, append(created.Badges, "EARLY_BIRD"), stored.Badges, "the change applied once")
		assert.Equal(t, got, stored)
	})
	t.Run("TouchLogin", func(t *testing.T) {
		s, lose, attempts := losingStore(t, "UpdateItem")
		_, err := s.Create(ctx, ana)
		require.NoError(t, err)
		at := time.Date(2026, 11, 24, 3, 4, 5, 0, time.UTC)
		require.NoError(t, s.TouchLogin(ctx, ana.ID, at))
		require.True(t, lose.lost.Load(), "the first answer was lost")
		require.GreaterOrEqual(t, attempts.ops["UpdateItem"], 2, "the SDK sent the update again") // more if moto itself drops one
		stored, err := s.Get(ctx, ana.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), stored.Version, "one sign-in, one version")
		require.NotNil(t, stored.LastLoginAt)
		assert.Equal(t, at, *stored.LastLoginAt)
		require.NoError(t, s.TouchLogin(ctx, ana.ID, at.Add(time.Hour)), "a later sign-in (a new token) is not refused")
		assert.ErrorIs(t, s.TouchLogin(ctx, "sub-none", at), profilestore.ErrNotFound)
	})
	t.Run("Delete", func(t *testing.T) {
		s, lose, attempts := losingStore(t, "")
		_, err := s.Create(ctx, ana)
		require.NoError(t, err)
		lose.op = "TransactWriteItems" // the delete's, not the create's
		require.NoError(t, s.Delete(ctx, ana.ID))
		require.True(t, lose.lost.Load(), "the first answer was lost")
		require.GreaterOrEqual(t, attempts.ops["TransactWriteItems"], 3, "the create, the delete and its resend")
		_, err = s.Get(ctx, ana.ID)
		assert.ErrorIs(t, err, profilestore.ErrNotFound)
		_, err = s.GetByEmail(ctx, ana.Email)
		assert.ErrorIs(t, err, profilestore.ErrNotFound, "the guard went with it")
		assert.ErrorIs(t, s.Delete(ctx, ana.ID), profilestore.ErrNotFound, "a later delete finds nothing")
	})
}

// A profile whose transaction committed but whose answer was lost is still
// this call's creation when the SDK resends it and the resend is refused
// (moto, like DynamoDB Local, ignores the SDK's idempotency token): created
// is true, the email guard is the profile's, and a later create finds it.
func TestDynamoCreateSurvivesALostAnswer(t *testing.T) {
	s, lose, attempts := losingStore(t, "TransactWriteItems")
	ctx := context.Background()
	p := profilestore.Profile{ID: "sub-lost", Email: "lost@example.com", GivenName: "Ana", FamilyName: "Lima"}

	got, created, err := s.CreateGuarded(ctx, p, profilestore.EmailGuard{})
	require.NoError(t, err)
	require.True(t, lose.lost.Load(), "the first answer was lost")
	require.GreaterOrEqual(t, attempts.ops["TransactWriteItems"], 2, "the SDK sent the transaction again")
	assert.True(t, created, "the resent transaction finds this call's own profile")
	holder, err := s.GetByEmail(ctx, "lost@example.com")
	require.NoError(t, err)
	assert.Equal(t, got, holder)

	_, created, err = s.Ensure(ctx, p)
	require.NoError(t, err)
	assert.False(t, created, "a later call finds the profile")
	_, created, err = s.CreateGuarded(ctx, p, profilestore.EmailGuard{})
	require.NoError(t, err)
	assert.False(t, created, "a later create of the same id is not its creation")
}
