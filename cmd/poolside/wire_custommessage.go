package main

import "github.com/poolside-io/poolside/triggers"

// wireCustomMessage registers CustomMessage: templates only, no SDK client,
// no store.
func wireCustomMessage(a *app) error {
	h, err := customMessageHandler(a)
	if err != nil {
		return err
	}
	a.router.HandleCustomMessage(h.Handle)
	return nil
}

// customMessageHandler uses the embedded templates, parsed on the first
// CustomMessage event (cold start), or the checked override set.
func customMessageHandler(a *app) (*triggers.CustomMessageHandler, error) {
	m := a.cfg.Messages
	h := &triggers.CustomMessageHandler{Brand: m.Brand, AppURL: m.AppURL, Email: m.Email()}
	if m.TemplatesDir != "" {
		tpl, err := m.Templates()
		if err != nil {
			return nil, err
		}
		h.Templates = tpl
	}
	return h, nil
}
