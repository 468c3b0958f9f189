//go:build poolside.fn && !poolside.fn.api

package main

import "context"

// lambdaHandler of a single-trigger Lambda artifact: every event goes to the
// router; the User API (userapi, its JWT verifier, Secrets Manager) is not
// linked in (see wire_api.go for the artifact that answers it).
type lambdaHandler struct{ a *app }

func (h lambdaHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.a.router.Invoke(ctx, payload)
}

// apiState: this artifact builds no User API.
type apiState struct{}
