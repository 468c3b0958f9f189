//go:build !poolside.fn || poolside.fn.presignup

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.PreSignUp] = wirePreSignUp }

// wirePreSignUp registers PreSignUp: the sign-up policy, and the Cognito
// client only when the duplicate-email check or federated linking is on.
func wirePreSignUp(a *app) error {
	c := a.cfg.SignUp
	policy, err := c.Policy()
	if err != nil {
		return err
	}
	trusted, err := c.Trusted()
	if err != nil {
		return err
	}
	h := &triggers.PreSignUpHandler{
		Policy:          policy,
		Trusted:         trusted,
		AutoVerifyEmail: c.AutoVerifies("email"),
		AutoVerifyPhone: c.AutoVerifies("phone"),
		UniqueEmail:     c.UniqueEmail,
		LinkProviders:   c.LinkProviders,
		Canonical:       c.Canonicalizer(),
		CaptchaFailOpen: c.CaptchaFailOpen,
	}
	if v := c.CaptchaVerifier(); v != nil {
		h.Captcha = v // no network call until the first sign-up
	}
	if c.NeedsCognito() {
		if h.Cognito, err = a.cognitoAdmin(); err != nil {
			return err
		}
	}
	a.router.HandlePreSignUp(h.Handle)
	return nil
}
