package triggers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
)

// A confirmed sign-up becomes a profile; the tenant comes from the domain of
// the email Cognito verified, not from anything the user wrote.
func ExamplePostConfirmationHandler() {
	store := profilestore.NewMemory(nil)
	h := &triggers.PostConfirmationHandler{
		Policy: triggers.ProfilePolicy{TenantByDomain: map[string]string{"example.com": "acme"}, DefaultTenant: "default"},
		Store:  store,
	}
	r := triggers.NewRouter(triggers.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
	r.HandlePostConfirmation(h.Handle)
	out, err := r.Invoke(context.Background(), []byte(`{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp",
		"userName":"ana","request":{"userAttributes":{"sub":"sub-1","email":"ana@example.com","email_verified":"true","name":"Ana Lima","custom:tenantId":"evil"}},"response":{}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := store.Get(context.Background(), "sub-1")
	fmt.Println(string(out[len(out)-14:]))
	fmt.Println(p.Handle, p.TenantID, p.Role, p.Badges)
	// Output:
	// "response":{}}
	// @AnaLima acme USER [NEW_MEMBER]
}

// PostAuthentication records the sign-in; with no profile yet (an
// admin-created user) it creates one first.
func ExamplePostAuthenticationHandler() {
	store := profilestore.NewMemory(nil)
	h := &triggers.PostAuthenticationHandler{Store: store}
	ev := &triggers.PostAuthenticationEvent{Request: triggers.PostAuthenticationRequest{
		UserAttributes: triggers.Attributes{"sub": "sub-2", "email": "oscar@example.com", "given_name": "Oscar"},
	}}
	_ = h.Handle(context.Background(), ev)
	p, _ := store.Get(context.Background(), "sub-2")
	fmt.Println(p.Handle, p.LastLoginAt != nil)
	// Output: @Oscar true
}
