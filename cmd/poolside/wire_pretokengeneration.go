//go:build !poolside.fn || poolside.fn.pretokengeneration

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.PreTokenGeneration] = wirePreTokenGeneration }

// wirePreTokenGeneration registers PreTokenGeneration: the profile store
// only, no SDK client beyond it.
func wirePreTokenGeneration(a *app) error {
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	h := &triggers.PreTokenGenerationHandler{Policy: a.cfg.Profiles.Policy(), Store: store, Tokens: a.cfg.Tokens.Policy()}
	if a.cfg.Profiles.AddToGroup {
		if h.Cognito, err = a.cognitoAdmin(); err != nil {
			return err
		}
	}
	a.router.HandlePreTokenGeneration(h.Handle)
	return nil
}
