//go:build !poolside.fn || poolside.fn.preauthentication

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.PreAuthentication] = wirePreAuthentication }

// wirePreAuthentication registers PreAuthentication: the profile store only.
func wirePreAuthentication(a *app) error {
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	h := &triggers.PreAuthenticationHandler{
		Store:         store,
		ClientTenants: a.cfg.Tokens.ClientTenants,
		FailClosed:    a.cfg.PreAuth.FailClosed,
	}
	a.router.HandlePreAuthentication(h.Handle)
	return nil
}
