package triggers

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"
)

// pagedUsers is a ListUsers fake: pages of users, chained by token.
type pagedUsers struct {
	pages [][]CognitoUser
	err   error
}

func (f pagedUsers) ListUsers(_ context.Context, q UserQuery) (UserPage, error) {
	i := 0
	if q.Token != "" {
		i = int(q.Token[0] - '0')
	}
	if i == len(f.pages)-1 && f.err != nil {
		return UserPage{}, f.err
	}
	out := UserPage{Users: f.pages[i]}
	if i+1 < len(f.pages) {
		out.Next = string(rune('0' + i + 1))
	}
	return out, nil
}

func listed(name string, status UserStatus, attrs ...string) CognitoUser {
	u := CognitoUser{Username: name, Status: status, Enabled: true}
	for i := 0; i+1 < len(attrs); i += 2 {
		u.Attributes = append(u.Attributes, UserAttribute{Name: attrs[i], Value: attrs[i+1]})
	}
	return u
}

// failingCreate fails CreateGuarded for one profile id.
type failingCreate struct {
	*profilestore.Memory
	id string
}

func (f failingCreate) CreateGuarded(ctx context.Context, p profilestore.Profile, g profilestore.EmailGuard) (profilestore.Profile, bool, error) {
	if p.ID == f.id {
		return profilestore.Profile{}, false, errors.New("store down")
	}
	return f.Memory.CreateGuarded(ctx, p, g)
}

func TestBackfill(t *testing.T) {
	ctx := context.Background()
	mem := profilestore.NewMemory(nil)
	users := pagedUsers{pages: [][]CognitoUser{
		{
			listed("ana", UserStatusConfirmed, "sub", "s-ana", "email", "ana@acme.example", "email_verified", "true"),
			listed("bob", UserStatusConfirmed, "sub", "s-bob", "email", "bob@acme.example", "email_verified", "1"),
		},
		{
			listed("cid", UserStatusUnconfirmed, "sub", "s-cid"),
			listed("dee", UserStatusExternalProvider, "sub", "s-dee", "email", "dee@acme.example", "email_verified", "true"),
		},
		{listed("eve", UserStatusConfirmed, "sub", "s-eve")},
	}}
	policy := ProfilePolicy{TenantByDomain: map[string]string{"acme.example": "acme"}, DefaultTenant: "default"}
	var outcomes []string
	var pages []BackfillCounts
	b := Backfill{Policy: policy, Store: failingCreate{mem, "s-eve"}, Users: users,
		User: func(u string, o BackfillOutcome, _ string) { outcomes = append(outcomes, u+" "+string(o)) },
		Page: func(n BackfillCounts) { pages = append(pages, n) }}
	n, err := b.Run(ctx, "pool")
	require.NoError(t, err)
	assert.Equal(t, BackfillCounts{Seen: 5, Created: 3, Skipped: 1, Failed: 1}, n)
	assert.Equal(t, []string{"ana created", "bob created", "cid skipped", "dee created", "eve failed"}, outcomes)
	assert.Len(t, pages, 3, "one report a page")

	for id, tenant := range map[string]string{"s-ana": "acme", "s-bob": "default", "s-dee": "acme"} {
		p, err := mem.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, tenant, p.TenantID, id)
	}

	b.Store, b.User, b.Page = mem, nil, nil
	n, err = b.Run(ctx, "pool")
	require.NoError(t, err)
	assert.Equal(t, BackfillCounts{Seen: 5, Created: 1, Existing: 3, Skipped: 1}, n, "the rerun creates only what failed")

	users.err = errors.New("throttled")
	b.Users = users
	n, err = b.Run(ctx, "pool")
	require.ErrorContains(t, err, "throttled")
	assert.Equal(t, 4, n.Seen, "counts so far come back with the error")
}

func TestBackfillSkip(t *testing.T) {
	cases := map[string]struct {
		u    CognitoUser
		skip bool
	}{
		"confirmed":       {listed("a", UserStatusConfirmed), false},
		"federated":       {listed("a", UserStatusExternalProvider), false},
		"reset required":  {listed("a", UserStatusResetRequired), false},
		"unconfirmed":     {listed("a", UserStatusUnconfirmed), true},
		"never signed in": {listed("a", UserStatusForceChangePassword), true},
		"archived":        {listed("a", UserStatus("ARCHIVED")), true},
		"disabled":        {CognitoUser{Status: UserStatusConfirmed}, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, c.skip, BackfillSkip(c.u) != "", BackfillSkip(c.u))
		})
	}
}
