package triggers

import (
	"context"
	"fmt"
)

// Backfill creates the missing profiles of a pool's existing users: when
// poolside is attached to a pool that already has users, they have no
// profile until their next sign-in (PostConfirmation does not fire again).
// Each user goes through ensureProfile, the path the sign-in triggers take,
// so tenant (from a verified email only), role, handle, the email guard and
// the adoption of a pending migrated profile follow the same rules. Running
// it again creates nothing new.
type Backfill struct {
	Policy ProfilePolicy
	Store  profileMaker
	// Users lists the pool (ListUsers, every page; cognitoadmin.Client).
	Users userLister
	// Cognito, when set, is used as the triggers use it (reclaiming a
	// deleted user's email guard, an adopted user's groups); nil skips that.
	Cognito profileCognito
	// PageSize is ListUsers' Limit (1–60); 0 means 60.
	PageSize int32
	// User, when set, is called once per user with its outcome.
	User func(username string, o BackfillOutcome, detail string)
	// Page, when set, is called after each page with the counts so far.
	Page func(BackfillCounts)
}

// BackfillOutcome is what Backfill did for one user.
type BackfillOutcome string

// The outcomes of Backfill, one per user.
const (
	BackfillCreated  BackfillOutcome = "created"
	BackfillExisting BackfillOutcome = "existing"
	BackfillSkipped  BackfillOutcome = "skipped"
	BackfillFailed   BackfillOutcome = "failed"
)

// BackfillCounts counts Backfill's users by outcome.
type BackfillCounts struct {
	Seen     int `json:"seen"`
	Created  int `json:"created"`
	Existing int `json:"existing"`
	Skipped  int `json:"skipped"`
	Failed   int `json:"failed"`
}

// BackfillSkip says why a user gets no profile now, or "" when it does. A
// trigger creates a profile only for a user who can sign in: an unconfirmed
// user gets one from PostConfirmation when confirming, an admin-created user
// who never signed in (FORCE_CHANGE_PASSWORD) from the first sign-in, a
// disabled user cannot sign in.
func BackfillSkip(u CognitoUser) string {
	if !u.Enabled {
		return "disabled: a sign-in after it is enabled creates the profile"
	}
	switch u.Status {
	case UserStatusConfirmed, UserStatusExternalProvider, UserStatusResetRequired:
		return ""
	case UserStatusUnconfirmed:
		return "UNCONFIRMED: PostConfirmation creates the profile when the user confirms"
	case UserStatusForceChangePassword:
		return "FORCE_CHANGE_PASSWORD: the first sign-in creates the profile"
	}
	return fmt.Sprintf("%s: not a confirmed user", u.Status)
}

// Run pages through the pool's users and ensures each one's profile. A
// failing user is counted and reported, and the run goes on; the error is
// for ListUsers failing (the counts so far are returned with it).
func (b Backfill) Run(ctx context.Context, poolID string) (BackfillCounts, error) {
	var n BackfillCounts
	size := b.PageSize
	if size <= 0 || size > 60 {
		size = 60
	}
	err := eachUser(ctx, b.Users, UserQuery{Pool: poolID, Limit: size}, 0, func(out UserPage) bool {
		for _, u := range out.Users {
			n.Seen++
			o, detail := b.one(ctx, poolID, u)
			switch o {
			case BackfillCreated:
				n.Created++
			case BackfillExisting:
				n.Existing++
			case BackfillSkipped:
				n.Skipped++
			default:
				n.Failed++
			}
			if b.User != nil {
				b.User(u.Username, o, detail)
			}
		}
		if b.Page != nil {
			b.Page(n)
		}
		return true
	})
	if err != nil {
		return n, fmt.Errorf("list users of %s: %w", poolID, err)
	}
	return n, nil
}

// one ensures the profile of one listed user.
func (b Backfill) one(ctx context.Context, poolID string, u CognitoUser) (BackfillOutcome, string) {
	if why := BackfillSkip(u); why != "" {
		return BackfillSkipped, why
	}
	attrs := Attributes{}
	for _, a := range u.Attributes {
		attrs[a.Name] = a.Value
	}
	h := Header{UserPoolID: poolID, UserName: u.Username}
	p := b.Policy.NewProfile(h, attrs, nil)
	prof, created, err := ensureProfile(ctx, b.Store, b.Cognito, b.Policy, h, attrs, p)
	switch {
	case err != nil:
		return BackfillFailed, err.Error()
	case created:
		return BackfillCreated, prof.ID
	}
	return BackfillExisting, prof.ID
}
