package triggers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/poolside-io/poolside/internal/deepstack"
	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore/profile"
)

// passwordRecorder records a password reset.
type passwordRecorder interface {
	SetPasswordChanged(ctx context.Context, id string, at time.Time) error
}

// PostConfirmationHandler creates the user's profile when the sign-up is
// confirmed and adds the user to the default group. Cognito retries a
// trigger that fails or answers late, so every step is idempotent: a replay
// finds the profile and re-adds an existing member, changing nothing.
type PostConfirmationHandler struct {
	Policy ProfilePolicy
	Store  interface {
		profileMaker
		passwordRecorder
	}
	// Groups adds users to DefaultGroup; nil or an empty DefaultGroup skips it.
	Groups       groupAdder
	DefaultGroup string
	// Cognito, when set, lets a profile reclaim the email guard of a deleted
	// user and adds an adopted (migrated) user to its groups (ensureProfile).
	Cognito profileCognito
	Now     func() time.Time
}

// Handle implements the PostConfirmation trigger.
func (h *PostConfirmationHandler) Handle(ctx context.Context, ev *PostConfirmationEvent) error {
	p := h.Policy.NewProfile(ev.Header, ev.Request.UserAttributes, ev.Request.ClientMetadata)
	if p.ID == "" {
		return Refuse(messages.CodeSetupFailed, "event has no sub and no userName")
	}
	switch ev.TriggerSource {
	case PostConfirmationConfirmForgotPassword:
		// fires on every password reset: never a second profile, never a reset of fields
		prof, created, err := ensureProfile(ctx, h.Store, h.Cognito, h.Policy, ev.Header, ev.Request.UserAttributes, p)
		if err != nil {
			return profileError(err)
		}
		if err := h.Store.SetPasswordChanged(ctx, prof.ID, now(h.Now)); err != nil {
			return fmt.Errorf("record password change: %w", err)
		}
		LogAttrs(ctx, slog.String("profileId", prof.ID), slog.Bool("profileCreated", created))
		return nil
	default:
		if h.DefaultGroup != "" {
			p.Groups = []string{h.DefaultGroup}
		}
		// The default group does not depend on the profile, so Cognito's
		// AdminAddUserToGroup (idempotent: a member stays a member) runs
		// while the profile is written: Cognito waits for the longer of the
		// two, not their sum. Cognito confirmed the user before this trigger,
		// so the user is a member even when the profile is refused (the first
		// token then creates it, README "Trust rules").
		var groupErr error
		grouped := make(chan struct{})
		if h.Groups == nil || h.DefaultGroup == "" {
			close(grouped)
		} else {
			go func() {
				defer close(grouped)
				deepstack.Grow() // an SDK call on a fresh goroutine
				groupErr = h.Groups.AddUserToGroup(ctx, ev.UserPoolID, ev.UserName, h.DefaultGroup)
			}()
		}
		// A confirmed sign-up has no profile yet, so no read comes first: a
		// replay finds its own (createProfile; CreateGuarded is idempotent).
		prof, created, err := createProfile(ctx, h.Store, h.Cognito, h.Policy, ev.Header, ev.Request.UserAttributes, p)
		<-grouped
		if err != nil {
			return profileError(err)
		}
		LogAttrs(ctx, slog.String("profileId", prof.ID), slog.Bool("profileCreated", created), slog.String("tenantId", prof.TenantID))
		if h.Groups == nil || h.DefaultGroup == "" {
			return nil
		}
		if groupErr != nil {
			return fmt.Errorf("add %s to group %s: %w", ev.UserName, h.DefaultGroup, groupErr)
		}
		LogAttrs(ctx, slog.String("group", h.DefaultGroup))
		return nil
	}
}

// profileError turns a store error into what the user may read.
func profileError(err error) error {
	if errors.Is(err, profile.ErrExists) {
		return Refuse(messages.CodeEmailTaken,
			"profile email or handle held by another user: "+err.Error())
	}
	return fmt.Errorf("profile: %w", err)
}

func now(f func() time.Time) time.Time {
	if f == nil {
		return time.Now()
	}
	return f()
}
