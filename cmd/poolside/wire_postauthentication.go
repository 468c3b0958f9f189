//go:build !poolside.fn || poolside.fn.postauthentication

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.PostAuthentication] = wirePostAuthentication }

// wirePostAuthentication registers PostAuthentication (lastLoginAt).
func wirePostAuthentication(a *app) error {
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	h := &triggers.PostAuthenticationHandler{Policy: a.cfg.Profiles.Policy(), Store: store, Budget: a.cfg.Profiles.TouchBudget}
	if a.cfg.Profiles.AddToGroup {
		if h.Cognito, err = a.cognitoAdmin(); err != nil {
			return err
		}
	}
	a.router.HandlePostAuthentication(h.Handle)
	return nil
}
