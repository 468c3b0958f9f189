package triggers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// fakeGetter is a hand-written profileGetter that counts its reads; get
// receives the read's context so a test can block until it is cancelled.
type fakeGetter struct {
	get   func(ctx context.Context, id string) (profilestore.Profile, error)
	reads int
}

func (f *fakeGetter) Get(ctx context.Context, id string) (profilestore.Profile, error) {
	f.reads++
	return f.get(ctx, id)
}

func preAuthEvent(sub, client string, notFound bool) string {
	return fmt.Sprintf(`{"version":"1","triggerSource":"PreAuthentication_Authentication","region":"us-east-1",
		"userPoolId":"us-east-1_X","userName":"ana","callerContext":{"clientId":%q},
		"request":{"userAttributes":{"sub":%q,"email":"ana@example.com","email_verified":"true"},
		"validationData":{},"userNotFound":%t},"response":{}}`, client, sub, notFound)
}

func TestPreAuthentication(t *testing.T) {
	outage := errors.New("dynamodb: connection refused")
	profile := func(status profilestore.Status, tenant string) func(context.Context, string) (profilestore.Profile, error) {
		return func(_ context.Context, id string) (profilestore.Profile, error) {
			return profilestore.Profile{ID: id, Status: status, TenantID: tenant}, nil
		}
	}
	cases := map[string]struct {
		get        func(context.Context, string) (profilestore.Profile, error)
		client     string
		notFound   bool
		failClosed bool
		wantType   string // "" = allowed
		wantMsg    string
		wantReads  int
		wantLog    string
	}{
		"active user":                   {get: profile(profilestore.StatusConfirmed, "acme"), wantReads: 1},
		"legacy profile with no status": {get: profile("", "acme"), wantReads: 1},
		"suspended user": {get: profile(profilestore.StatusSuspended, "acme"), wantReads: 1,
			wantType: "Refused", wantMsg: "This account is not active. Please contact support", wantLog: "is SUSPENDED"},
		"disabled user": {get: profile(profilestore.StatusDisabled, "acme"), wantReads: 1,
			wantType: "Refused", wantMsg: "This account is not active. Please contact support"},
		"tenant client, own tenant": {get: profile(profilestore.StatusConfirmed, "acme"), client: "acme-web", wantReads: 1},
		"tenant client, other tenant": {get: profile(profilestore.StatusConfirmed, "globex"), client: "acme-web", wantReads: 1,
			wantType: "Refused", wantMsg: "This account cannot sign in here", wantLog: `tenant \"globex\" at client acme-web`},
		"tenant client, no tenant yet": {get: profile(profilestore.StatusConfirmed, ""), client: "acme-web", wantReads: 1,
			wantType: "Refused", wantMsg: "This account cannot sign in here"},
		"unbound client, any tenant": {get: profile(profilestore.StatusConfirmed, "globex"), client: "other", wantReads: 1},
		"no profile yet is let through": {get: func(context.Context, string) (profilestore.Profile, error) {
			return profilestore.Profile{}, profilestore.ErrNotFound
		}, client: "acme-web", wantReads: 1, wantLog: `"profile":"none yet"`},
		"user not found: no read": {notFound: true, wantReads: 0},
		"store outage fails open": {get: func(context.Context, string) (profilestore.Profile, error) {
			return profilestore.Profile{}, outage
		}, wantReads: 1, wantLog: `"profile":"not checked"`},
		"store outage fails closed on request": {get: func(context.Context, string) (profilestore.Profile, error) {
			return profilestore.Profile{}, outage
		}, failClosed: true, wantReads: 1, wantType: "InternalError", wantMsg: "Something went wrong on our side",
			wantLog: "connection refused"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			store := &fakeGetter{get: c.get}
			h := &PreAuthenticationHandler{Store: store, ClientTenants: map[string]string{"acme-web": "acme"}, FailClosed: c.failClosed}
			var logs bytes.Buffer
			r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			r.HandlePreAuthentication(h.Handle)
			out, err := lambda.NewHandler(r).Invoke(context.Background(), []byte(preAuthEvent("sub-1", c.client, c.notFound)))
			assert.Equal(t, c.wantReads, store.reads, "store reads")
			if c.wantType == "" {
				require.NoError(t, err)
				assert.Contains(t, string(out), `"response":{}`)
			} else {
				var ie messages.InvokeResponse_Error
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, c.wantType, ie.Type)
				assert.Contains(t, ie.Message, c.wantMsg)
			}
			if c.wantLog != "" {
				assert.Contains(t, logs.String(), c.wantLog)
			}
		})
	}
}

// A store that does not answer is given up after the budget: the handler
// passes a deadline to the read and fails open when it expires.
func TestPreAuthenticationStoreReadIsBounded(t *testing.T) {
	store := &fakeGetter{get: func(ctx context.Context, _ string) (profilestore.Profile, error) {
		_, ok := ctx.Deadline()
		require.True(t, ok, "the read runs under a deadline")
		<-ctx.Done() // a store that never answers
		return profilestore.Profile{}, ctx.Err()
	}}
	h := &PreAuthenticationHandler{Store: store, Budget: 1} // 1 ns: expired at once
	r := NewRouter(WithLogger(slog.New(slog.DiscardHandler)))
	r.HandlePreAuthentication(h.Handle)
	_, err := lambda.NewHandler(r).Invoke(context.Background(), []byte(preAuthEvent("sub-1", "", false)))
	require.NoError(t, err)
	assert.Equal(t, 1, store.reads)
}
