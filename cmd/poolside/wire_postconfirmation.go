//go:build !poolside.fn || poolside.fn.postconfirmation

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.PostConfirmation] = wirePostConfirmation }

// wirePostConfirmation registers PostConfirmation: profile store, and the
// Cognito client only when a default group is configured.
func wirePostConfirmation(a *app) error {
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	h := &triggers.PostConfirmationHandler{
		Policy:       a.cfg.Profiles.Policy(),
		Store:        store,
		DefaultGroup: a.cfg.Profiles.DefaultGroup,
	}
	if a.cfg.Profiles.AddToGroup {
		c, err := a.cognitoAdmin()
		if err != nil {
			return err
		}
		h.Cognito = c
		if h.DefaultGroup != "" {
			h.Groups = c
		}
	}
	a.router.HandlePostConfirmation(h.Handle)
	return nil
}
