package triggers

import (
	"context"
	"errors"
)

// The Cognito calls of the triggers, in triggers' own types: package triggers
// links no AWS SDK service client (cold start, #17). Package cognitoadmin
// implements them with the SDK's cognitoidentityprovider client.

// UserStatus is a Cognito user's status (UserStatusType's values).
type UserStatus string

// The Cognito user statuses the triggers tell apart.
const (
	UserStatusUnconfirmed         UserStatus = "UNCONFIRMED"
	UserStatusConfirmed           UserStatus = "CONFIRMED"
	UserStatusExternalProvider    UserStatus = "EXTERNAL_PROVIDER"
	UserStatusResetRequired       UserStatus = "RESET_REQUIRED"
	UserStatusForceChangePassword UserStatus = "FORCE_CHANGE_PASSWORD"
)

// UserAttribute is one attribute of a Cognito user, as Cognito lists it.
type UserAttribute struct {
	Name, Value string
}

// CognitoUser is a user as ListUsers and AdminGetUser return it.
type CognitoUser struct {
	Username   string
	Status     UserStatus
	Enabled    bool
	Attributes []UserAttribute // in Cognito's order
}

// UserQuery asks ListUsers for one page.
type UserQuery struct {
	Pool   string
	Filter string // "" lists every user
	Limit  int32
	Token  string // "" for the first page
}

// UserPage is one page of ListUsers; Next is "" after the last page.
type UserPage struct {
	Users []CognitoUser
	Next  string
}

// ProviderIdentity names a user to AdminLinkProviderForUser
// (ProviderUserIdentifierType); an empty Attribute is left unset.
type ProviderIdentity struct {
	Provider, Attribute, Value string
}

// ErrUserNotFound is what GetUser returns (wrapping Cognito's
// UserNotFoundException) when the pool has no user by that name.
var ErrUserNotFound = errors.New("cognito user not found")

// userLister lists a pool's users, one page per call (ListUsers).
type userLister interface {
	// ListUsers returns one page of the users matching q.Filter; errors are
	// Cognito's (ResourceNotFoundException for an unknown pool…).
	ListUsers(ctx context.Context, q UserQuery) (UserPage, error)
}

// providerLinker links a federated identity to an existing user.
type providerLinker interface {
	// LinkProvider links source to destination (AdminLinkProviderForUser);
	// errors are Cognito's (LimitExceededException past 5 links…).
	LinkProvider(ctx context.Context, pool string, destination, source ProviderIdentity) error
}

// groupAdder adds a user to a group (AdminAddUserToGroup).
type groupAdder interface {
	AddUserToGroup(ctx context.Context, pool, username, group string) error
}

// userGetter reads one user (AdminGetUser).
type userGetter interface {
	// GetUser returns the user; an error wrapping ErrUserNotFound when none.
	GetUser(ctx context.Context, pool, username string) (CognitoUser, error)
}

// eachUser calls fn with every page of q's users, following the pagination
// token to the last page (as the SDK's ListUsers paginator), or at most
// maxPages pages when maxPages > 0. fn returning false stops.
func eachUser(ctx context.Context, l userLister, q UserQuery, maxPages int, fn func(UserPage) bool) error {
	for page := 0; maxPages <= 0 || page < maxPages; page++ {
		out, err := l.ListUsers(ctx, q)
		if err != nil {
			return err
		}
		if !fn(out) || out.Next == "" {
			return nil
		}
		q.Token = out.Next
	}
	return nil
}
