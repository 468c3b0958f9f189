package userapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/text/language"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
	"github.com/poolside-io/poolside/triggers/signup"
)

// Cognito is the part of the Cognito API the machine routes call, with the
// SDK's own signatures.
type Cognito interface {
	AdminCreateUser(ctx context.Context, in *cip.AdminCreateUserInput, opts ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error)
	AdminUserGlobalSignOut(ctx context.Context, in *cip.AdminUserGlobalSignOutInput, opts ...func(*cip.Options)) (*cip.AdminUserGlobalSignOutOutput, error)
	AdminDeleteUser(ctx context.Context, in *cip.AdminDeleteUserInput, opts ...func(*cip.Options)) (*cip.AdminDeleteUserOutput, error)
}

var _ Cognito = (*cip.Client)(nil)

func (a *API) cognito() (Cognito, error) {
	if a.Cognito == nil || a.UserPoolID == "" {
		return nil, problem(http.StatusServiceUnavailable, "cognito-unavailable",
			"this route needs the user pool (POOLSIDE_JWT_ISSUER names it)")
	}
	return a.Cognito, nil
}

// cognitoProblem maps the Cognito errors a caller can act on; others stay internal.
func cognitoProblem(err error) error {
	var (
		exists  *types.UsernameExistsException
		invalid *types.InvalidParameterException
		lambda  *types.UserLambdaValidationException
	)
	switch {
	case errors.As(err, &exists):
		return conflict("a user with that email already exists")
	case errors.As(err, &invalid):
		return badRequest("Cognito refused the user's attributes")
	case errors.As(err, &lambda):
		return badRequest(strings.TrimSpace(aws.ToString(lambda.Message)))
	}
	return err
}

// newUser is the body of POST /users.
type newUser struct {
	Email      string `json:"email"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
	// EmailVerified marks the address verified: the caller vouches for it.
	// Only then does the email's domain choose the tenant.
	EmailVerified bool   `json:"emailVerified"`
	Role          string `json:"role"`
	Locale        string `json:"locale"`
	// SuppressInvitation: Cognito sends no invitation message.
	SuppressInvitation bool `json:"suppressInvitation"`
}

// createUser answers POST /users: the PreSignUp policy, AdminCreateUser, then the profile.
func (a *API) createUser(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var in newUser
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	idp, err := a.cognito()
	if err != nil {
		return err
	}
	attrs := map[string]string{"email": strings.TrimSpace(in.Email), "given_name": in.GivenName, "family_name": in.FamilyName}
	if in.Locale != "" {
		attrs["locale"] = in.Locale
	}
	if v := a.SignUp.Check(attrs); v != nil {
		text := violationText(v)
		return badRequest(text, FieldError{Field: jsonField(v.Field), Detail: text})
	}
	if in.Role != "" && !validName(in.Role) {
		return badRequest("role must be 1–64 letters, digits, _ or -", FieldError{Field: "role", Detail: "letters, digits, _ or -"})
	}
	ua := []types.AttributeType{}
	for _, k := range []string{"email", "given_name", "family_name", "locale"} {
		if attrs[k] != "" {
			ua = append(ua, types.AttributeType{Name: aws.String(k), Value: aws.String(attrs[k])})
		}
	}
	verified := "false"
	if in.EmailVerified {
		verified = "true"
	}
	ua = append(ua, types.AttributeType{Name: aws.String("email_verified"), Value: aws.String(verified)})
	input := &cip.AdminCreateUserInput{
		UserPoolId:             aws.String(a.UserPoolID),
		Username:               aws.String(attrs["email"]),
		UserAttributes:         ua,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	}
	if in.SuppressInvitation {
		input.MessageAction = types.MessageActionTypeSuppress
	}
	out, err := idp.AdminCreateUser(r.Context(), input)
	if err != nil {
		return cognitoProblem(err)
	}
	created := triggers.Attributes{}
	for _, at := range out.User.Attributes {
		created[aws.ToString(at.Name)] = aws.ToString(at.Value)
	}
	// NewProfile takes the tenant from the email's domain only when Cognito
	// says the address is verified, as every trigger does.
	prof := a.Policy.NewProfile(triggers.Header{UserName: aws.ToString(out.User.Username)}, created, nil)
	prof.Role = in.Role
	prof, _, err = a.Profiles.Ensure(r.Context(), prof)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "users/"+url.PathEscape(prof.ID))
	writeProfile(w, http.StatusCreated, prof)
	return nil
}

// jsonField names an attribute as this API's JSON spells it.
func jsonField(attr string) string {
	switch attr {
	case "given_name":
		return "givenName"
	case "family_name":
		return "familyName"
	}
	return attr
}

// page is a list answer. NextToken is empty on the last page.
type page struct {
	Items     []profilestore.Profile `json:"items"`
	NextToken string                 `json:"nextToken,omitempty"`
}

// findUsers answers GET /users?email=… or ?handle=…: a page of at most one
// profile (email and handle are unique), in the list shape every list route uses.
func (a *API) findUsers(w http.ResponseWriter, r *http.Request, _ Principal) error {
	q := r.URL.Query()
	email, handle := q.Get("email"), q.Get("handle")
	var (
		p   profilestore.Profile
		err error
	)
	switch {
	case (email == "") == (handle == ""):
		return badRequest("give exactly one of email or handle")
	case email != "":
		p, err = a.Profiles.GetByEmail(r.Context(), email)
	default:
		p, err = a.Profiles.GetByHandle(r.Context(), handle)
	}
	out := page{Items: []profilestore.Profile{}}
	switch {
	case errors.Is(err, profilestore.ErrNotFound):
	case err != nil:
		return err
	default:
		out.Items = append(out.Items, p)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getUser answers GET /users/{id}.
func (a *API) getUser(w http.ResponseWriter, r *http.Request, _ Principal) error {
	p, err := a.Profiles.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeProfile(w, http.StatusOK, p)
	return nil
}

// userPatch is the body of PATCH /users/{id}; absent fields stay.
type userPatch struct {
	Status *profilestore.Status `json:"status"`
	Role   *string              `json:"role"`
}

// patchUser answers PATCH /users/{id}: status and role. Leaving the active
// status also signs the user out everywhere (AdminUserGlobalSignOut): their
// refresh tokens stop working and PreTokenGeneration refuses new tokens.
func (a *API) patchUser(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var in userPatch
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Status != nil && !in.Status.Valid() {
		return badRequest("status must be CONFIRMED, SUSPENDED or DISABLED", FieldError{Field: "status", Detail: "CONFIRMED, SUSPENDED or DISABLED"})
	}
	if in.Role != nil && !validName(*in.Role) {
		return badRequest("role must be 1–64 letters, digits, _ or -", FieldError{Field: "role", Detail: "letters, digits, _ or -"})
	}
	var idp Cognito
	if in.Status != nil && !in.Status.Active() {
		var err error
		if idp, err = a.cognito(); err != nil {
			return err
		}
	}
	id := r.PathValue("id")
	var rec responseBuffer
	p, err := a.update(&rec, r, id, func(p *profilestore.Profile) error {
		if in.Status != nil {
			p.Status = *in.Status
		}
		if in.Role != nil {
			p.Role = *in.Role
		}
		return nil
	})
	if err != nil {
		return err
	}
	if idp != nil {
		_, err := idp.AdminUserGlobalSignOut(r.Context(), &cip.AdminUserGlobalSignOutInput{
			UserPoolId: aws.String(a.UserPoolID), Username: aws.String(cognitoUsername(p)),
		})
		var nf *types.UserNotFoundException
		if err != nil && !errors.As(err, &nf) {
			return problem(http.StatusBadGateway, "sign-out-failed",
				"the status is saved but signing the user out failed; send the request again")
		}
	}
	rec.flush(w)
	return nil
}

// cognitoUsername is the name Cognito knows the profile's user by.
func cognitoUsername(p profilestore.Profile) string {
	if p.Username != "" {
		return p.Username
	}
	return p.ID
}

// deleteUser answers DELETE /users/{id}: the Cognito user, then the profile
// and its email and handle guards, so the address and handle are free again.
// A user already gone from Cognito still has its profile removed; If-Match
// protects against deleting a profile that changed.
func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, _ Principal) error {
	idp, err := a.cognito()
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	p, err := a.Profiles.Get(r.Context(), id)
	switch {
	case errors.Is(err, profilestore.ErrNotFound):
		p = profilestore.Profile{ID: id}
	case err != nil:
		return err
	case want >= 0 && p.Version != want:
		return errVersion
	}
	_, cerr := idp.AdminDeleteUser(r.Context(), &cip.AdminDeleteUserInput{
		UserPoolId: aws.String(a.UserPoolID), Username: aws.String(cognitoUsername(p)),
	})
	var nf *types.UserNotFoundException
	cognitoGone := errors.As(cerr, &nf)
	if cerr != nil && !cognitoGone {
		return cerr
	}
	if p.Version == 0 && p.Email == "" && p.Handle == "" { // no profile was found
		if cognitoGone {
			return notFound("no such user")
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err := a.Profiles.Delete(r.Context(), id); err != nil && !errors.Is(err, profilestore.ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// putUserData and patchUserData answer PUT/PATCH /users/{id}/data.
func (a *API) putUserData(w http.ResponseWriter, r *http.Request, _ Principal) error {
	return a.replaceData(w, r, r.PathValue("id"))
}

func (a *API) patchUserData(w http.ResponseWriter, r *http.Request, _ Principal) error {
	return a.mergeData(w, r, r.PathValue("id"))
}

// addBadge and removeBadge answer POST/DELETE /users/{id}/badges/{name}; both are idempotent.
func (a *API) addBadge(w http.ResponseWriter, r *http.Request, _ Principal) error {
	name := r.PathValue("name")
	if !validName(name) {
		return badRequest("a badge name is 1–64 letters, digits, _ or -")
	}
	_, err := a.update(w, r, r.PathValue("id"), func(p *profilestore.Profile) error {
		for _, b := range p.Badges {
			if b == name {
				return nil
			}
		}
		p.Badges = append(p.Badges, name)
		return nil
	})
	return err
}

func (a *API) removeBadge(w http.ResponseWriter, r *http.Request, _ Principal) error {
	name := r.PathValue("name")
	_, err := a.update(w, r, r.PathValue("id"), func(p *profilestore.Profile) error {
		kept := p.Badges[:0:0]
		for _, b := range p.Badges {
			if b != name {
				kept = append(kept, b)
			}
		}
		p.Badges = kept
		return nil
	})
	return err
}

// verifyRequest is the body of POST /tokens/verify (tokens never travel in a URL).
type verifyRequest struct {
	Token    string `json:"token"`
	TokenUse string `json:"tokenUse"`
}

// verifyResult answers POST /tokens/verify: an invalid token is a result, not an error.
type verifyResult struct {
	Valid  bool   `json:"valid"`
	Reason string `json:"reason,omitempty"`
	Claims Claims `json:"claims,omitempty"`
}

func (a *API) verifyToken(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var in verifyRequest
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Token == "" {
		return badRequest("token is required", FieldError{Field: "token", Detail: "required"})
	}
	if in.TokenUse != "" && in.TokenUse != UseID && in.TokenUse != UseAccess {
		return badRequest("tokenUse is id or access", FieldError{Field: "tokenUse", Detail: "id or access"})
	}
	if a.Verifier == nil {
		return problem(http.StatusServiceUnavailable, "verifier-unavailable", "token verification is not configured (POOLSIDE_JWT_ISSUER)")
	}
	c, err := a.Verifier.Verify(r.Context(), in.Token, in.TokenUse)
	if errors.Is(err, ErrToken) {
		writeJSON(w, http.StatusOK, verifyResult{Reason: strings.TrimPrefix(err.Error(), ErrToken.Error()+": ")})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, verifyResult{Valid: true, Claims: c})
	return nil
}

// validName reports whether s is 1–64 of [A-Za-z0-9_-]. A loop, not a
// regexp: `{1,64}` compiles to 64 copies of the class (60 KB and 1 ms at
// every cold start of the api function, #17).
func validName(s string) bool {
	return len(s) >= 1 && len(s) <= 64 && allBytes(s, func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	})
}

// validCurrency reports whether s has the shape of an ISO 4217 code: three
// upper-case ASCII letters.
func validCurrency(s string) bool {
	return len(s) == 3 && allBytes(s, func(c byte) bool { return 'A' <= c && c <= 'Z' })
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// validate checks a preferences patch.
func (in preferencesPatch) validate() error {
	var fields []FieldError
	if in.Lang != nil && *in.Lang != "" {
		if _, err := language.Parse(*in.Lang); err != nil || len(*in.Lang) > 35 {
			fields = append(fields, FieldError{Field: "lang", Detail: "a language tag such as en or pt-BR"})
		}
	}
	if in.Currency != nil && *in.Currency != "" && !validCurrency(*in.Currency) {
		fields = append(fields, FieldError{Field: "currency", Detail: "an ISO 4217 code such as EUR"})
	}
	if in.AvatarURL != nil && *in.AvatarURL != "" {
		u, err := url.Parse(*in.AvatarURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || len(*in.AvatarURL) > 2048 {
			fields = append(fields, FieldError{Field: "avatarUrl", Detail: "an https URL"})
		}
	}
	if len(fields) > 0 {
		return badRequest("some preferences are not valid", fields...)
	}
	return nil
}

// violationText is the sign-up refusal's text, in English (an administrator reads it).
func violationText(v *signup.Violation) string {
	cat, _ := messages.Default() // the embedded catalog; nil reads a generic text
	return cat.Refusal(messages.DefaultLocale, v.Code, messages.Args{Field: v.Field})
}
