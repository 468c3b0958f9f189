//go:build !poolside.fn || poolside.fn.custommessage

package main

import "github.com/poolside-io/poolside/triggers"

func init() { wirers[triggers.CustomMessage] = wireCustomMessage }

// wireCustomMessage registers CustomMessage: the catalog only, no SDK
// client, no store.
func wireCustomMessage(a *app) error {
	a.router.HandleCustomMessage(customMessageHandler(a).Handle)
	return nil
}

// customMessageHandler renders from the catalog config parsed and checked
// (POOLSIDE_TEMPLATES_DIR), else from the embedded one, parsed on the first
// CustomMessage event (cold start).
func customMessageHandler(a *app) *triggers.CustomMessageHandler {
	m := a.cfg.Messages
	return &triggers.CustomMessageHandler{Messages: m.Catalog, Brand: m.Brand, AppURL: m.AppURL, Email: m.Email()}
}
