package triggers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers/signup"
)

// fakeCaptcha is a hand-written captchaVerifier.
type fakeCaptcha struct {
	verify func(token string) (bool, error)
	tokens []string
}

func (f *fakeCaptcha) Verify(_ context.Context, token string) (bool, error) {
	f.tokens = append(f.tokens, token)
	return f.verify(token)
}

func TestPreSignUpCaptcha(t *testing.T) {
	down := errors.New("siteverify: context deadline exceeded")
	answer := func(token string) (bool, error) {
		switch token {
		case "good":
			return true, nil
		case "slow":
			return false, down
		}
		return false, nil
	}
	attrs := Attributes{"email": "ana@example.com", "given_name": "Ana", "family_name": "Lima"}
	cases := map[string]struct {
		source    Source
		token     string
		failOpen  bool
		wantCode  messages.Code // zero: allowed
		wantCalls int
	}{
		"accepted":                   {source: PreSignUpSignUp, token: "good", wantCalls: 1},
		"rejected":                   {source: PreSignUpSignUp, token: "bot", wantCode: messages.CodeCaptchaFailed, wantCalls: 1},
		"no token":                   {source: PreSignUpSignUp, wantCode: messages.CodeCaptchaFailed, wantCalls: 1},
		"provider down: closed":      {source: PreSignUpSignUp, token: "slow", wantCode: messages.CodeCaptchaFailed, wantCalls: 1},
		"provider down: open":        {source: PreSignUpSignUp, token: "slow", failOpen: true, wantCalls: 1},
		"rejected even when open":    {source: PreSignUpSignUp, token: "bot", failOpen: true, wantCode: messages.CodeCaptchaFailed, wantCalls: 1},
		"admin-created: not checked": {source: PreSignUpAdminCreateUser},
		"federated: not checked":     {source: PreSignUpExternalProvider},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeCaptcha{verify: answer}
			h := &PreSignUpHandler{Policy: signup.Policy{}, Captcha: f, CaptchaFailOpen: c.failOpen}
			ev := signUpEvent(c.source, "Google_1", attrs, nil)
			ev.Request.ValidationData = Attributes{}
			if c.token != "" {
				ev.Request.ValidationData[CaptchaTokenKey] = c.token
			}
			err := h.Handle(context.Background(), ev)
			assert.Len(t, f.tokens, c.wantCalls)
			if c.wantCode == (messages.Code{}) {
				require.NoError(t, err)
				return
			}
			var refusal *Refusal
			require.ErrorAs(t, err, &refusal)
			assert.Equal(t, c.wantCode, refusal.Code)
			cat, cerr := messages.Default()
			require.NoError(t, cerr)
			// Cognito adds the final period ("… failed with error <text>.").
			assert.Equal(t, "Please complete the check and try again", cat.Refusal("en", refusal.Code, messages.Args{}))
		})
	}
}

// The duplicate-email check also asks for the canonical address.
func TestPreSignUpDuplicateEmailCanonical(t *testing.T) {
	f := &fakeCognito{}
	h := &PreSignUpHandler{Policy: signup.Policy{}, UniqueEmail: true, Cognito: f,
		Canonical: signup.Canonicalizer{FoldTags: true, DotInsensitive: []string{"gmail.com"}}}
	ev := signUpEvent(PreSignUpSignUp, "u1", Attributes{"email": "A.Na+promo@gmail.com"}, nil)
	require.NoError(t, h.Handle(context.Background(), ev))
	assert.Equal(t, []string{`email = "A.Na+promo@gmail.com"`, `email = "a.na+promo@gmail.com"`, `email = "ana@gmail.com"`}, f.filters)
	assert.Equal(t, "A.Na+promo@gmail.com", ev.Request.UserAttributes.Get("email"), "the address itself is never changed")

	f.filters = nil
	f.list = func(q UserQuery) (UserPage, error) {
		if strings.Contains(q.Filter, `"ana@gmail.com"`) {
			return users(user("ana", UserStatusConfirmed))(q)
		}
		return UserPage{}, nil
	}
	err := h.Handle(context.Background(), signUpEvent(PreSignUpSignUp, "u2", Attributes{"email": "a.na+2@gmail.com"}, nil))
	var refusal *Refusal
	require.ErrorAs(t, err, &refusal)
	assert.Equal(t, messages.CodeEmailTaken, refusal.Code)
}
