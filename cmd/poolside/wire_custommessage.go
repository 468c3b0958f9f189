package main

import "github.com/poolside-io/poolside/triggers"

// wireCustomMessage registers CustomMessage: the embedded templates with the
// deployment's overrides (no SDK client, no store).
func wireCustomMessage(a *app) error {
	h, err := customMessageHandler(a)
	if err != nil {
		return err
	}
	a.router.HandleCustomMessage(h.Handle)
	return nil
}

func customMessageHandler(a *app) (*triggers.CustomMessageHandler, error) {
	m := a.cfg.Messages
	tpl, err := m.Templates()
	if err != nil {
		return nil, err
	}
	return &triggers.CustomMessageHandler{Templates: tpl, Brand: m.Brand, AppURL: m.AppURL, Email: m.Email()}, nil
}
