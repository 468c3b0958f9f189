package triggers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
)

// The tenant claim comes from the profile, not from the custom:tenantId the
// user wrote; the token lists the groups Cognito lists (the profile's record
// of "billing" adds nothing: an administrator's removal sticks). A suspended
// profile gets no tokens.
func ExamplePreTokenGenerationHandler() {
	ctx := context.Background()
	store := profilestore.NewMemory(nil)
	_, _ = store.Create(ctx, profilestore.Profile{ID: "sub-1", Email: "ana@example.com", TenantID: "acme", Groups: []string{"billing"}})
	h := &triggers.PreTokenGenerationHandler{
		Store:  store,
		Tokens: triggers.TokenPolicy{TenantClaim: "tenantId", RoleClaim: "role", Scopes: []string{"tenant/{tenantId}"}},
	}
	r := triggers.NewRouter(triggers.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
	r.HandlePreTokenGeneration(h.Handle)
	event := []byte(`{"version":"2","triggerSource":"TokenGeneration_RefreshTokens","userName":"ana",
		"request":{"userAttributes":{"sub":"sub-1","custom:tenantId":"evil"},
		"groupConfiguration":{"groupsToOverride":["USER"],"iamRolesToOverride":[],"preferredRole":null},"scopes":["openid"]},
		"response":{"claimsAndScopeOverrideDetails":null}}`)
	out, err := r.Invoke(ctx, event)
	fmt.Println(string(out[bytes.Index(out, []byte(`"response"`)):]), err)

	_, _ = profilestore.SetStatus(ctx, store, "sub-1", profilestore.StatusSuspended)
	_, err = r.Invoke(ctx, event)
	var lambdaErr messages.InvokeResponse_Error
	if errors.As(err, &lambdaErr) {
		fmt.Println(lambdaErr.Type + ": " + lambdaErr.Message)
	}
	// Output:
	// "response":{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"role":"USER","tenantId":"acme"}},"accessTokenGeneration":{"claimsToAddOrOverride":{"role":"USER","tenantId":"acme"},"scopesToAdd":["tenant/acme"]},"groupOverrideDetails":{"groupsToOverride":["USER"],"iamRolesToOverride":[],"preferredRole":null}}}} <nil>
	// Refused: This account is not active. Please contact support
}
