package triggers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/poolside-io/poolside/profilestore/profile"
)

// loginToucher records a sign-in.
type loginToucher interface {
	TouchLogin(ctx context.Context, id string, at time.Time) error
}

// DefaultTouchBudget bounds PostAuthentication's store work: it runs before
// Cognito issues tokens, so it must never hold a sign-in up for long.
const DefaultTouchBudget = 800 * time.Millisecond

// PostAuthenticationHandler sets lastLoginAt. It is best effort: a store
// outage is logged, never turned into a failed sign-in. A user without a
// profile (admin-created, federated, migrated) gets one here.
type PostAuthenticationHandler struct {
	Policy ProfilePolicy
	Store  interface {
		loginToucher
		profileMaker
	}
	// Cognito: see PostConfirmationHandler.Cognito; may be nil.
	Cognito profileCognito
	Budget  time.Duration // DefaultTouchBudget when zero
	Now     func() time.Time
}

// Handle implements the PostAuthentication trigger.
func (h *PostAuthenticationHandler) Handle(ctx context.Context, ev *PostAuthenticationEvent) error {
	budget := h.Budget
	if budget <= 0 {
		budget = DefaultTouchBudget
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	at := now(h.Now)
	id := ProfileID(ev.Header, ev.Request.UserAttributes)
	err := h.Store.TouchLogin(ctx, id, at)
	if errors.Is(err, profile.ErrNotFound) {
		var prof profile.Profile
		p := h.Policy.NewProfile(ev.Header, ev.Request.UserAttributes, ev.Request.ClientMetadata)
		if prof, _, err = createProfile(ctx, h.Store, h.Cognito, h.Policy, ev.Header, ev.Request.UserAttributes, p); err == nil {
			LogAttrs(ctx, slog.Bool("profileCreated", true))
			err = h.Store.TouchLogin(ctx, prof.ID, at)
		}
	}
	if err != nil {
		LogAttrs(ctx, slog.String("lastLoginAt", "not recorded"), slog.String("storeError", err.Error()))
		return nil
	}
	LogAttrs(ctx, slog.String("profileId", id))
	return nil
}
