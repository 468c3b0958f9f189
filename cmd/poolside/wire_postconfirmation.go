package main

import "github.com/poolside-io/poolside/triggers"

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
	if h.DefaultGroup != "" && a.cfg.Profiles.AddToGroup {
		if h.Groups, err = a.cognitoClient(); err != nil {
			return err
		}
	}
	a.router.HandlePostConfirmation(h.Handle)
	return nil
}
