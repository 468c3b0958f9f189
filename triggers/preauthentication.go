package triggers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore/profile"
)

// PreAuthentication is the gate before Cognito checks the password: the kill
// switch (a SUSPENDED or DISABLED profile cannot sign in) and tenant-bound app
// clients (a client mapped to a tenant admits only that tenant's users).
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-authentication.html.

// profileGetter reads one profile.
type profileGetter interface {
	// Get returns the profile with that id, or profile.ErrNotFound.
	Get(ctx context.Context, id string) (profile.Profile, error)
}

// DefaultPreAuthBudget bounds PreAuthentication's one store read: it runs on
// every sign-in, before the password check.
const DefaultPreAuthBudget = time.Second

// PreAuthenticationHandler answers PreAuthentication_Authentication with one
// store read. A user with no profile yet (admin-created, federated, migrated:
// the profile is created later in the flow) is let through. A store outage
// lets the sign-in through and is logged, unless FailClosed: then the sign-in
// fails with the generic message, and a suspended user cannot slip through
// while the store is down — at the price of nobody signing in meanwhile.
type PreAuthenticationHandler struct {
	Store profileGetter
	// ClientTenants maps an app client id to the only tenant whose users may
	// sign in through it (POOLSIDE_CLIENT_TENANTS).
	ClientTenants map[string]string
	// FailClosed refuses sign-ins while the store cannot answer.
	FailClosed bool
	// Budget bounds the store read (DefaultPreAuthBudget when zero).
	Budget time.Duration
}

// Handle implements the PreAuthentication trigger.
func (h *PreAuthenticationHandler) Handle(ctx context.Context, ev *PreAuthenticationEvent) error {
	if ev.Request.UserNotFound {
		// Cognito fails this sign-in itself; nothing to read.
		LogAttrs(ctx, slog.Bool("userNotFound", true))
		return nil
	}
	id := ProfileID(ev.Header, ev.Request.UserAttributes)
	if id == "" {
		LogAttrs(ctx, slog.String("profile", "no id"))
		return nil
	}
	budget := h.Budget
	if budget <= 0 {
		budget = DefaultPreAuthBudget
	}
	readCtx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	prof, err := h.Store.Get(readCtx, id)
	switch {
	case errors.Is(err, profile.ErrNotFound):
		LogAttrs(ctx, slog.String("profile", "none yet"))
		return nil
	case err != nil && h.FailClosed:
		return fmt.Errorf("profile %s (POOLSIDE_PREAUTH_FAIL_CLOSED): %w", id, err)
	case err != nil:
		LogAttrs(ctx, slog.String("profile", "not checked"), slog.String("storeError", err.Error()))
		return nil
	}
	LogAttrs(ctx, slog.String("profileId", prof.ID))
	if !prof.Status.Active() {
		return Refuse(messages.CodeAccountInactive, fmt.Sprintf("profile %s is %s", prof.ID, prof.Status))
	}
	client := ev.CallerContext.ClientID
	if tenant, bound := h.ClientTenants[client]; bound && prof.TenantID != tenant {
		return Refuse(messages.CodeWrongClient, fmt.Sprintf("profile %s of tenant %q at client %s of tenant %q", prof.ID, prof.TenantID, client, tenant))
	}
	return nil
}
