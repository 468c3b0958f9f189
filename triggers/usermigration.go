//go:build !poolside.fn || poolside.fn.usermigration

package triggers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/profilestore/profile"
)

// legacyUsers is what the migration trigger needs of the legacy store.
type legacyUsers interface {
	// Authenticate verifies a password; an unknown user or a wrong password
	// is a Check with Verified false, the error is the store failing.
	Authenticate(ctx context.Context, login string, password []byte) (migration.Check, error)
	// Lookup finds a user without a password; migration.ErrNotFound when none.
	Lookup(ctx context.Context, login string) (migration.User, error)
}

// profileCreator imports the migrated user's profile.
type profileCreator interface {
	// Create is idempotent on the profile id; ErrExists when another profile
	// holds the email.
	Create(ctx context.Context, p profile.Profile) (profile.Profile, error)
}

// UserMigrationHandler moves a legacy user to Cognito on first sign-in
// (UserMigration_Authentication) or first password reset
// (UserMigration_ForgotPassword), and imports the user's profile as a pending
// profile that the first token or post-authentication event adopts.
type UserMigrationHandler struct {
	Legacy   legacyUsers
	Profiles profileCreator
	Policy   ProfilePolicy
	// Pool is the pool's sign-in shape (username or alias attributes) and the
	// phone region: what the answer's username and attributes must be.
	Pool migration.PoolShape
}

// Handle implements the UserMigration trigger.
func (h *UserMigrationHandler) Handle(ctx context.Context, ev *UserMigrationEvent) error {
	login := ev.UserName
	var user migration.User
	switch ev.TriggerSource {
	case UserMigrationForgotPassword:
		u, err := h.Legacy.Lookup(ctx, login)
		switch {
		case errors.Is(err, migration.ErrNotFound):
			return Refuse(messages.CodeCannotReset, "no legacy user with that username or email")
		case err != nil:
			return fmt.Errorf("legacy lookup: %w", err)
		case u.Disabled:
			return Refuse(messages.CodeCannotReset, "legacy user is disabled")
		}
		user = u
		ev.Response.FinalUserStatus = StatusResetRequired
	default:
		password := ev.Request.Password.Reveal()
		if password == "" {
			return Refuse(messages.CodeBadCredentials, "no password in the event: the app client must use USER_PASSWORD_AUTH (SRP hides the password)")
		}
		check, err := h.Legacy.Authenticate(ctx, login, []byte(password))
		if err != nil {
			return fmt.Errorf("legacy lookup: %w", err)
		}
		if check.Problem != nil {
			LogAttrs(ctx, slog.String("hashProblem", check.Problem.Error()))
		}
		countMigration(ctx, check)
		switch {
		case !check.Found:
			return Refuse(messages.CodeBadCredentials, "no legacy user with that username or email")
		case !check.Verified && check.Problem != nil:
			return Refuse(messages.CodeBadCredentials, "legacy password hash cannot be verified")
		case !check.Verified:
			return Refuse(messages.CodeBadCredentials, "wrong password")
		case check.User.Disabled:
			return Refuse(messages.CodeAccountDisabled, "legacy user is disabled")
		}
		user = check.User
		ev.Response.FinalUserStatus = StatusConfirmed
		if check.BreachProblem != nil {
			LogAttrs(ctx, slog.String("breachCheck", "failed open: "+check.BreachProblem.Error()))
		}
		if check.Breached {
			LogAttrs(ctx, slog.Bool("breached", true))
			count(ctx, MetricBreachedPasswords, 1)
			if a, _ := h.Pool.Answer(login, user); a.CanReceiveCode() { // the phone as Cognito would get it
				// the user sets a new password now, with a code Cognito sends
				ev.Response.FinalUserStatus = StatusResetRequired
			} else {
				// no verified email or phone to send the code to: a reset would
				// lock the user out
				LogAttrs(ctx, slog.String("breachReset", "skipped: no verified email or phone"))
			}
		}
	}
	answer, err := h.Pool.Answer(login, user)
	for _, n := range answer.Notes {
		LogAttrs(ctx, slog.String("attributeProblem", n))
	}
	if errors.Is(err, migration.ErrAliasUnverified) {
		return Refuse(messages.CodeUseUsername, err.Error()+": an alias must be verified to sign in with it")
	}
	if ev.TriggerSource == UserMigrationForgotPassword && !answer.CanReceiveCode() {
		return Refuse(messages.CodeCannotReset, "legacy user has no verified email or valid phone: Cognito could not deliver the reset code")
	}
	ev.Response.MessageAction = MessageSuppress
	ev.Response.UserAttributes = Attributes(answer.Attributes)
	if answer.Username != "" {
		ev.Response.UserAttributes["username"] = answer.Username
	}
	LogAttrs(ctx, slog.String("legacyId", user.LegacyID()), slog.String("finalUserStatus", ev.Response.FinalUserStatus))
	return h.importProfile(ctx, ev, user, h.cognitoUsername(ev, answer))
}

// countMigration counts a legacy password check by hash format and result.
func countMigration(ctx context.Context, check migration.Check) {
	format, result := check.Format, migrationVerified
	if format == "" {
		format = "none"
	}
	switch {
	case !check.Found:
		result = migrationNotFound
	case !check.Verified && check.Problem != nil:
		result = migrationHashProblem
	case !check.Verified:
		result = migrationWrongPassword
	case check.User.Disabled:
		result = migrationDisabled
	}
	dimension(ctx, DimHashFormat, format)
	dimension(ctx, DimMigrationResult, result)
	count(ctx, MetricMigrations, 1)
}

// cognitoUsername is the user name Cognito gives the migrated user, when
// poolside can know it: the answer's, else the request's, except in a pool
// whose usernames are email or phone (Cognito makes one up).
func (h *UserMigrationHandler) cognitoUsername(ev *UserMigrationEvent, a migration.Answer) string {
	switch {
	case a.Username != "":
		return a.Username
	case len(h.Pool.UsernameAttributes) > 0:
		return ""
	}
	return ev.UserName
}

// importProfile creates the pending profile; a replay finds it and changes nothing.
// cognitoName is the Cognito user name recorded for adoption ("" when unknown).
func (h *UserMigrationHandler) importProfile(ctx context.Context, ev *UserMigrationEvent, u migration.User, cognitoName string) error {
	if h.Profiles == nil {
		return nil
	}
	p := h.Policy.NewProfile(ev.Header, ev.Response.UserAttributes, ev.Request.ClientMetadata)
	p.ID = profile.PendingID(u.LegacyID())
	p.Username = cognitoName // adoption checks it against the signing-in user
	p.LegacyID = u.LegacyID()
	p.CreatedAt = u.CreatedAt
	p.SourceSystem = profile.SourceLegacy
	if u.TenantID != "" {
		p.TenantID = u.TenantID
	}
	p.Role = strings.TrimSpace(u.Role)
	prof, err := h.Profiles.Create(ctx, p)
	switch {
	case errors.Is(err, profile.ErrExists):
		// a native profile already owns the email: the user must still be
		// able to sign in; the profiles are reconciled by hand
		LogAttrs(ctx, slog.String("profileImport", "skipped: email held by another profile"))
		return nil
	case err != nil:
		return fmt.Errorf("import profile: %w", err)
	}
	LogAttrs(ctx, slog.String("profileId", prof.ID), slog.String("tenantId", prof.TenantID))
	return nil
}
