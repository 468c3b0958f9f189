package migration

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	cipt "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// CognitoAPI is the part of the Cognito client the old-pool source calls,
// with the SDK's signatures.
type CognitoAPI interface {
	AdminInitiateAuth(ctx context.Context, in *cip.AdminInitiateAuthInput, opts ...func(*cip.Options)) (*cip.AdminInitiateAuthOutput, error)
	AdminGetUser(ctx context.Context, in *cip.AdminGetUserInput, opts ...func(*cip.Options)) (*cip.AdminGetUserOutput, error)
	ListUsers(ctx context.Context, in *cip.ListUsersInput, opts ...func(*cip.Options)) (*cip.ListUsersOutput, error)
}

var _ CognitoAPI = (*cip.Client)(nil)

// CognitoOptions configure the old-pool source.
type CognitoOptions struct {
	// Client returns a Cognito client for the old pool's region, on first use.
	Client func(region string) (CognitoAPI, error)
	// ClientSecret is the old app client's secret, when it has one
	// (POOLSIDE_LEGACY_COGNITO_CLIENT_SECRET): AdminInitiateAuth then needs
	// a SECRET_HASH.
	ClientSecret string
}

// CognitoPool is a Source over another Cognito user pool: the old pool
// checks the password (AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH, which
// its app client must allow), and the attributes come from AdminGetUser.
// URL: cognito-idp://REGION/POOL_ID?client_id=CLIENT_ID.
type CognitoPool struct {
	region, poolID, clientID string
	secret                   string
	client                   func() (CognitoAPI, error)
}

var (
	_ Store           = (*CognitoPool)(nil)
	_ PasswordChecker = (*CognitoPool)(nil)
)

// The shapes of a cognito-idp:// source's region and pool id, compiled on
// first use: only a function that migrates from another pool needs them, and
// a cold start does not pay for them otherwise.
var (
	awsRegion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$|^local$`) })
	poolID    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`) })
)

func init() {
	openers["cognito-idp"] = func(u *url.URL, _ string, deps Deps) (Store, error) {
		return NewCognitoPool(u, deps.AWS.Cognito)
	}
}

// NewCognitoPool reads the old pool's region, id and app client from u;
// nothing is called before the first lookup.
func NewCognitoPool(u *url.URL, opts CognitoOptions) (*CognitoPool, error) {
	shown := u.Redacted()
	region, pool, client := u.Host, strings.Trim(u.Path, "/"), u.Query().Get("client_id")
	if !awsRegion().MatchString(region) || !poolID().MatchString(pool) || client == "" {
		return nil, fmt.Errorf("legacy source %q: want cognito-idp://REGION/POOL_ID?client_id=APP_CLIENT_ID", shown)
	}
	if opts.Client == nil {
		return nil, fmt.Errorf("legacy source %q: no Cognito client", shown)
	}
	return &CognitoPool{region: region, poolID: pool, clientID: client, secret: opts.ClientSecret,
		client: sync.OnceValues(func() (CognitoAPI, error) { return opts.Client(region) })}, nil
}

// CheckPassword implements PasswordChecker: the user is found first (by
// username, alias or email), then the old pool checks the password.
func (c *CognitoPool) CheckPassword(ctx context.Context, login string, password []byte) (Check, error) {
	u, err := c.Lookup(ctx, login)
	switch {
	case errors.Is(err, ErrNotFound):
		return Check{}, nil
	case err != nil:
		return Check{}, err
	}
	api, err := c.client()
	if err != nil {
		return Check{}, err
	}
	params := map[string]string{"USERNAME": u.Username, "PASSWORD": string(password)}
	if c.secret != "" {
		mac := hmac.New(sha256.New, []byte(c.secret))
		mac.Write([]byte(u.Username + c.clientID))
		params["SECRET_HASH"] = base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	_, err = api.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
		UserPoolId:     &c.poolID,
		ClientId:       &c.clientID,
		AuthFlow:       cipt.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: params,
	})
	// matched on the error code: emulators send codes the SDK does not type
	var ae smithy.APIError
	code := ""
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	switch {
	case err == nil:
		// tokens, or a challenge (MFA, a new password) that only a right
		// password gets: either way the old pool accepted the password
		return Check{User: u, Found: true, Verified: true}, nil
	case code == "UserNotFoundException":
		return Check{}, nil
	case code == "NotAuthorizedException", code == "InvalidPasswordException",
		code == "PasswordResetRequiredException", code == "UserNotConfirmedException":
		// a wrong password, a disabled user, a user who must reset first or
		// never confirmed: the old pool would not let them in either
		return Check{Found: true}, nil
	}
	return Check{}, c.fail("AdminInitiateAuth", err)
}

// Lookup implements Source: AdminGetUser on the login (a username or an
// alias of the old pool), then, for an email, ListUsers on the email
// attribute (lower-case first, then as typed).
func (c *CognitoPool) Lookup(ctx context.Context, login string) (User, error) {
	if strings.TrimSpace(login) == "" {
		return User{}, ErrNotFound
	}
	api, err := c.client()
	if err != nil {
		return User{}, err
	}
	out, err := api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &c.poolID, Username: aws.String(login)})
	var notFound *cipt.UserNotFoundException
	switch {
	case err == nil:
		u := cognitoUser(aws.ToString(out.Username), out.UserAttributes, out.Enabled, out.UserCreateDate)
		// the old pool may ignore case; a login names its user exactly, as in every source
		return match(login, []User{u})
	case !errors.As(err, &notFound):
		return User{}, c.fail("AdminGetUser", err)
	}
	if !strings.Contains(login, "@") || strings.ContainsAny(login, `"\`) {
		return User{}, ErrNotFound
	}
	tries := []string{strings.ToLower(strings.TrimSpace(login))}
	if login != tries[0] {
		tries = append(tries, login)
	}
	for _, e := range tries {
		list, err := api.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &c.poolID, Filter: aws.String(`email = "` + e + `"`), Limit: aws.Int32(2)})
		if err != nil {
			return User{}, c.fail("ListUsers", err)
		}
		if len(list.Users) > 1 {
			return User{}, fmt.Errorf("legacy pool %s: %d users share one email", c.poolID, len(list.Users))
		}
		if len(list.Users) == 1 {
			lu := list.Users[0]
			return match(login, []User{cognitoUser(aws.ToString(lu.Username), lu.Attributes, lu.Enabled, lu.UserCreateDate)})
		}
	}
	return User{}, ErrNotFound
}

// Each implements Lister: the old pool's own export (or a user-import job)
// moves users who never sign in.
func (c *CognitoPool) Each(context.Context, func(User) error) error { return ErrCannotList }

func (c *CognitoPool) fail(op string, err error) error {
	return fmt.Errorf("legacy pool %s (%s) %s: %w", c.poolID, c.region, op, err)
}

// cognitoUser maps the old pool's user: its sub as the legacy id, standard
// attributes by name, verified flags only when the old pool says "true".
func cognitoUser(username string, attrs []cipt.AttributeType, enabled bool, created *time.Time) User {
	a := make(map[string]string, len(attrs))
	for _, at := range attrs {
		a[aws.ToString(at.Name)] = aws.ToString(at.Value)
	}
	u := User{ID: a["sub"], Username: username, Email: a["email"], EmailVerified: a["email_verified"] == "true",
		Phone: a["phone_number"], PhoneVerified: a["phone_number_verified"] == "true",
		GivenName: a["given_name"], FamilyName: a["family_name"], Name: a["name"], Locale: a["locale"],
		Disabled: !enabled}
	if created != nil {
		u.CreatedAt = created.UTC()
	}
	return u
}
