package triggers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers/signup"
)

// PreSignUpCognito is what PreSignUp calls on Cognito: ListUsers for the
// duplicate-email check and for linking, AdminLinkProviderForUser to link
// (cognitoadmin.Client).
type PreSignUpCognito interface {
	userLister
	providerLinker
}

// MaxLinkedIdentities is how many federated identities Cognito links to one user.
const MaxLinkedIdentities = 5

// PreSignUpHandler decides who may sign up.
//
//   - PreSignUp_SignUp: every rule of Policy, then (UniqueEmail) no other
//     user may hold the email; a trusted domain is auto-confirmed. Its email
//     is auto-verified only with AutoVerifyEmail (an explicit opt-in: nobody
//     proved the address), its phone only with AutoVerifyPhone.
//   - PreSignUp_AdminCreateUser: a trusted caller, structural checks only.
//   - PreSignUp_ExternalProvider: linked to the native user with the same
//     verified email when the provider is in LinkProviders and says the
//     email is verified with exactly "true"; otherwise allowed unlinked.
//
// Refusals are written in the user's language (the locale attribute, then
// clientMetadata.locale).
type PreSignUpHandler struct {
	Policy signup.Policy
	// Trusted e-mail domains (and their subdomains) are auto-confirmed.
	Trusted signup.DomainSet
	// AutoVerifyEmail and AutoVerifyPhone mark a trusted sign-up's email and
	// phone_number verified; an absent attribute is never marked. Both are
	// opt-ins (POOLSIDE_SIGNUP_AUTO_VERIFY): a trusted domain proves nothing
	// about who typed the address.
	AutoVerifyEmail, AutoVerifyPhone bool
	// UniqueEmail refuses a self sign-up whose email another user already
	// holds (pools where the email is not the username). Needs Cognito.
	UniqueEmail bool
	// LinkProviders are the identity providers (as named in the pool,
	// compared case-insensitively) whose users are linked. Needs Cognito.
	LinkProviders []string
	// Canonical folds addresses for the duplicate-email check (+tags, dots
	// at providers that ignore them); the stored address never changes.
	Canonical signup.Canonicalizer
	// Cognito is nil when neither UniqueEmail nor LinkProviders is set.
	Cognito PreSignUpCognito

	// Captcha verifies validationData.captchaToken of PreSignUp_SignUp
	// (admins and federated sign-ups are not bots); nil checks nothing.
	Captcha captchaVerifier
	// CaptchaFailOpen lets a sign-up through when the provider cannot
	// answer (logged); by default it is refused.
	CaptchaFailOpen bool
	// CaptchaBudget bounds the siteverify call (DefaultCaptchaBudget when zero).
	CaptchaBudget time.Duration
}

// captchaVerifier asks a CAPTCHA provider about a token (signup.Captcha).
type captchaVerifier interface {
	// Verify is (false, nil) for a rejected token, an error when the
	// provider cannot answer.
	Verify(ctx context.Context, token string) (bool, error)
}

// DefaultCaptchaBudget bounds the CAPTCHA check inside Cognito's 5 s.
const DefaultCaptchaBudget = 1500 * time.Millisecond

// CaptchaTokenKey is the validationData key the client puts the token in.
const CaptchaTokenKey = "captchaToken"

// checkCaptcha verifies the sign-up's CAPTCHA token within the budget.
func (h *PreSignUpHandler) checkCaptcha(ctx context.Context, ev *PreSignUpEvent) error {
	budget := h.CaptchaBudget
	if budget <= 0 {
		budget = DefaultCaptchaBudget
	}
	vctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	ok, err := h.Captcha.Verify(vctx, ev.Request.ValidationData.Get(CaptchaTokenKey))
	switch {
	case err != nil && h.CaptchaFailOpen:
		LogAttrs(ctx, slog.String("captcha", "not checked"), slog.String("captchaError", err.Error()))
		return nil
	case err != nil:
		return refuseSignUp(&signup.Violation{Code: messages.CodeCaptchaFailed, Reason: "captcha unverifiable: " + err.Error()})
	case !ok:
		return refuseSignUp(&signup.Violation{Code: messages.CodeCaptchaFailed, Reason: "captcha token missing or rejected"})
	}
	LogAttrs(ctx, slog.String("captcha", "passed"))
	return nil
}

// Handle implements the PreSignUp trigger.
func (h *PreSignUpHandler) Handle(ctx context.Context, ev *PreSignUpEvent) error {
	attrs := ev.Request.UserAttributes
	switch ev.TriggerSource {
	case PreSignUpAdminCreateUser:
		// Cognito ignores the auto flags here; an administrator is trusted.
		if v := signup.CheckStructure(attrs); v != nil {
			return refuseSignUp(v)
		}
		LogAttrs(ctx, slog.String("decision", "allow"))
		return nil
	case PreSignUpExternalProvider:
		return h.external(ctx, ev)
	}
	if h.Captcha != nil {
		if err := h.checkCaptcha(ctx, ev); err != nil {
			return err
		}
	}
	if v := h.Policy.Check(attrs); v != nil {
		return refuseSignUp(v)
	}
	if h.UniqueEmail && attrs.Get("email") != "" {
		holder, err := h.emailHolder(ctx, ev.UserPoolID, attrs.Get("email"), false)
		if err != nil {
			return fmt.Errorf("duplicate-email check: %w", err)
		}
		if holder != nil {
			return refuseSignUp(&signup.Violation{Code: messages.CodeEmailTaken, Field: "email",
				Reason: "email held by user " + holder.Username})
		}
	}
	if e, err := signup.ParseEmail(attrs.Get("email")); err == nil {
		if d := h.Trusted.Match(e.Domain); d != "" {
			ev.Response.AutoConfirmUser = true
			ev.Response.AutoVerifyEmail = h.AutoVerifyEmail // present: it matched
			ev.Response.AutoVerifyPhone = h.AutoVerifyPhone && attrs.Get("phone_number") != ""
			LogAttrs(ctx, slog.String("trustedDomain", d))
		}
	}
	LogAttrs(ctx, slog.String("decision", "allow"), slog.Bool("autoConfirm", ev.Response.AutoConfirmUser))
	return nil
}

// external links a federated sign-up to the native user with the same
// verified email. Cognito then fails this first sign-in with "Already found
// an entry for username …"; the client retries and signs in as the native user.
func (h *PreSignUpHandler) external(ctx context.Context, ev *PreSignUpEvent) error {
	provider, subject, ok := strings.Cut(ev.UserName, "_")
	name := h.linkProvider(provider)
	email := ev.Request.UserAttributes.Get("email")
	switch {
	case !ok || subject == "" || name == "" || h.Cognito == nil:
		LogAttrs(ctx, slog.String("decision", "allow"), slog.String("link", "provider not linked"))
		return nil
	case email == "" || !ev.Request.UserAttributes.Verified("email_verified"):
		// only exactly "true" proves the address: absent, "False", "0"… never link
		LogAttrs(ctx, slog.String("decision", "allow"), slog.String("link", "no verified email from the provider"))
		return nil
	}
	native, err := h.emailHolder(ctx, ev.UserPoolID, email, true)
	if err != nil {
		return fmt.Errorf("find native user: %w", err)
	}
	if native == nil {
		LogAttrs(ctx, slog.String("decision", "allow"), slog.String("link", "no native user with this verified email"))
		return nil
	}
	if n := countIdentities(native.Attributes); n >= MaxLinkedIdentities {
		LogAttrs(ctx, slog.String("decision", "allow"), slog.String("link", "native user has the maximum of linked identities"),
			slog.Int("identities", n))
		return nil
	}
	err = h.Cognito.LinkProvider(ctx, ev.UserPoolID,
		ProviderIdentity{Provider: "Cognito", Value: native.Username},
		ProviderIdentity{Provider: name, Attribute: "Cognito_Subject", Value: subject})
	if err != nil {
		return fmt.Errorf("link %s identity to %s: %w", name, native.Username, err)
	}
	count(ctx, MetricLinks, 1)
	LogAttrs(ctx, slog.String("decision", "allow"), slog.String("link", "linked"),
		slog.String("provider", name), slog.String("linkedTo", native.Username))
	return nil
}

// linkProvider returns the allow-listed spelling of provider, or "".
func (h *PreSignUpHandler) linkProvider(provider string) string {
	for _, p := range h.LinkProviders {
		if strings.EqualFold(p, provider) {
			return p
		}
	}
	return ""
}

// emailHolder returns a user holding email: any user but an unconfirmed one
// (so nobody can squat an address by never confirming it), or with native, a
// confirmed non-federated user whose email is verified. The address is
// searched as written and, if different, in lower case; for the duplicate
// check (not native) also in its canonical form (Canonical): a user who holds
// ana@gmail.com holds a.na+1@gmail.com too.
func (h *PreSignUpHandler) emailHolder(ctx context.Context, pool, email string, native bool) (*CognitoUser, error) {
	candidates := []string{email}
	if lower := strings.ToLower(email); lower != email {
		candidates = append(candidates, lower)
	}
	if c := h.Canonical.Canonical(email); !native && !slices.Contains(candidates, c) {
		candidates = append(candidates, c)
	}
	for _, addr := range candidates {
		var holder *CognitoUser
		// at most 3 pages: an exact email filter matches a handful of users
		err := eachUser(ctx, h.Cognito, UserQuery{Pool: pool, Filter: EmailFilter(addr), Limit: 20}, 3, func(out UserPage) bool {
			for i := range out.Users {
				u := &out.Users[i]
				if u.Status == UserStatusUnconfirmed {
					continue
				}
				if native && (u.Status == UserStatusExternalProvider || !u.Enabled ||
					userAttr(u.Attributes, "email_verified") != VerifiedTrue) {
					continue
				}
				holder = u
				return false
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		if holder != nil {
			return holder, nil
		}
	}
	return nil, nil
}

// EmailFilter is the ListUsers filter for an exact email match, with
// backslashes and quotation marks escaped.
func EmailFilter(email string) string {
	return `email = "` + filterEscaper.Replace(email) + `"`
}

var filterEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func userAttr(as []UserAttribute, name string) string {
	for _, a := range as {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// countIdentities counts the linked identities in the "identities" attribute
// (a JSON array); an unreadable one counts as full, so linking is skipped.
func countIdentities(as []UserAttribute) int {
	v := userAttr(as, "identities")
	if v == "" {
		return 0
	}
	var ids []json.RawMessage
	if err := json.Unmarshal([]byte(v), &ids); err != nil {
		return MaxLinkedIdentities
	}
	return len(ids)
}

// refuseSignUp turns a policy violation into the refusal the user reads (in
// their language, at the router) and the reason the log keeps.
func refuseSignUp(v *signup.Violation) error {
	return &Refusal{Code: v.Code, Field: v.Field, Reason: v.Error()}
}
