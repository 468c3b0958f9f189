// Package cognitoadmin implements the Cognito calls of package triggers
// (ListUsers, AdminLinkProviderForUser, AdminGetUser, AdminAddUserToGroup)
// with the AWS SDK's cognitoidentityprovider client. It is apart from
// triggers so that an artifact whose triggers never call Cognito links no
// Cognito client (cold start, #17).
package cognitoadmin

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/poolside-io/poolside/triggers"
)

// API is the part of the SDK client the triggers call.
type API interface {
	ListUsers(ctx context.Context, in *cip.ListUsersInput, opts ...func(*cip.Options)) (*cip.ListUsersOutput, error)
	AdminLinkProviderForUser(ctx context.Context, in *cip.AdminLinkProviderForUserInput,
		opts ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error)
	AdminGetUser(ctx context.Context, in *cip.AdminGetUserInput, opts ...func(*cip.Options)) (*cip.AdminGetUserOutput, error)
	AdminAddUserToGroup(ctx context.Context, in *cip.AdminAddUserToGroupInput,
		opts ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error)
}

var _ API = (*cip.Client)(nil)

// Client gives the triggers' Cognito calls to an SDK client. Its errors are
// the SDK's as returned (errors.As finds the Cognito exception), with
// GetUser's UserNotFoundException also matching triggers.ErrUserNotFound.
type Client struct {
	API API
}

// New wraps an SDK client (or anything with its methods).
func New(api API) *Client { return &Client{API: api} }

var (
	_ triggers.PreSignUpCognito = (*Client)(nil)
)

// ListUsers returns one page of ListUsers.
func (c *Client) ListUsers(ctx context.Context, q triggers.UserQuery) (triggers.UserPage, error) {
	in := &cip.ListUsersInput{UserPoolId: aws.String(q.Pool)}
	if q.Filter != "" {
		in.Filter = aws.String(q.Filter)
	}
	if q.Limit > 0 {
		in.Limit = aws.Int32(q.Limit)
	}
	if q.Token != "" {
		in.PaginationToken = aws.String(q.Token)
	}
	out, err := c.API.ListUsers(ctx, in)
	if err != nil {
		return triggers.UserPage{}, err
	}
	page := triggers.UserPage{Users: make([]triggers.CognitoUser, 0, len(out.Users)), Next: aws.ToString(out.PaginationToken)}
	for _, u := range out.Users {
		page.Users = append(page.Users, triggers.CognitoUser{
			Username: aws.ToString(u.Username), Status: triggers.UserStatus(u.UserStatus),
			Enabled: u.Enabled, Attributes: attributes(u.Attributes),
		})
	}
	return page, nil
}

// LinkProvider calls AdminLinkProviderForUser.
func (c *Client) LinkProvider(ctx context.Context, pool string, destination, source triggers.ProviderIdentity) error {
	_, err := c.API.AdminLinkProviderForUser(ctx, &cip.AdminLinkProviderForUserInput{
		UserPoolId:      aws.String(pool),
		DestinationUser: identity(destination),
		SourceUser:      identity(source),
	})
	return err
}

// GetUser calls AdminGetUser; UserNotFoundException also matches
// triggers.ErrUserNotFound.
func (c *Client) GetUser(ctx context.Context, pool, username string) (triggers.CognitoUser, error) {
	out, err := c.API.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
	var nf *types.UserNotFoundException
	switch {
	case errors.As(err, &nf):
		return triggers.CognitoUser{}, notFound{err}
	case err != nil:
		return triggers.CognitoUser{}, err
	}
	return triggers.CognitoUser{
		Username: aws.ToString(out.Username), Status: triggers.UserStatus(out.UserStatus),
		Enabled: out.Enabled, Attributes: attributes(out.UserAttributes),
	}, nil
}

// AddUserToGroup calls AdminAddUserToGroup (idempotent: a member stays one).
func (c *Client) AddUserToGroup(ctx context.Context, pool, username, group string) error {
	_, err := c.API.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(pool), Username: aws.String(username), GroupName: aws.String(group),
	})
	return err
}

// notFound is the SDK's UserNotFoundException, also triggers.ErrUserNotFound;
// its text is the SDK error's.
type notFound struct{ err error }

func (e notFound) Error() string { return e.err.Error() }

func (e notFound) Unwrap() []error { return []error{e.err, triggers.ErrUserNotFound} }

func identity(p triggers.ProviderIdentity) *types.ProviderUserIdentifierType {
	id := &types.ProviderUserIdentifierType{ProviderName: aws.String(p.Provider), ProviderAttributeValue: aws.String(p.Value)}
	if p.Attribute != "" {
		id.ProviderAttributeName = aws.String(p.Attribute)
	}
	return id
}

func attributes(as []types.AttributeType) []triggers.UserAttribute {
	out := make([]triggers.UserAttribute, 0, len(as))
	for _, a := range as {
		out = append(out, triggers.UserAttribute{Name: aws.ToString(a.Name), Value: aws.ToString(a.Value)})
	}
	return out
}
