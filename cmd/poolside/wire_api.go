//go:build !poolside.fn || poolside.fn.api

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/userapi"
)

// userAPI builds the User API on its first request, so a trigger function
// never reads API keys or builds a verifier it does not use.
func (a *app) userAPI() (http.Handler, error) {
	a.apiOnce.Do(func() { a.api, a.apiErr = buildAPI(context.Background(), a) })
	return a.api, a.apiErr
}

// buildAPI wires userapi.API from the configuration.
func buildAPI(ctx context.Context, a *app) (http.Handler, error) {
	c := a.cfg.API
	store, err := a.profileStore()
	if err != nil {
		return nil, err
	}
	policy, err := a.cfg.SignUp.Policy()
	if err != nil {
		return nil, err
	}
	keys, err := loadAPIKeys(ctx, a, c)
	if err != nil {
		return nil, fmt.Errorf("POOLSIDE_API_KEYS: %w", err)
	}
	profiles, ok := store.(userapi.Profiles)
	if !ok {
		return nil, fmt.Errorf("profile store %T cannot serve the User API", store)
	}
	api := &userapi.API{
		Profiles: profiles,
		Keys:     keys,
		SignUp:   policy,
		Policy:   a.cfg.Profiles.Policy(),
		Log:      a.log,
	}
	if c.Issuer != "" {
		api.Verifier = userapi.NewVerifier(c.Issuer, c.ClientIDs)
		api.UserPoolID = c.UserPoolID()
		if api.Cognito, err = a.cognitoClient(); err != nil {
			return nil, err
		}
	}
	return api.Handler(), nil
}

// loadAPIKeys reads the key digests from a file, a Secrets Manager secret or the variable itself.
func loadAPIKeys(ctx context.Context, a *app, c config.APIConfig) (userapi.APIKeys, error) {
	switch c.APIKeysSource() {
	case "":
		return userapi.APIKeys{}, nil
	case "file":
		u, err := url.Parse(c.APIKeys)
		if err != nil {
			return userapi.APIKeys{}, err
		}
		f, err := os.Open(u.Path)
		if err != nil {
			return userapi.APIKeys{}, err
		}
		defer f.Close()
		return userapi.ParseAPIKeys(f)
	case "secretsmanager":
		awsCfg, err := a.awsOnce()
		if err != nil {
			return userapi.APIKeys{}, err
		}
		out, err := secretsmanager.NewFromConfig(awsCfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.APIKeys)})
		if err != nil {
			return userapi.APIKeys{}, fmt.Errorf("read the secret: %w", err)
		}
		return userapi.ParseAPIKeys(strings.NewReader(aws.ToString(out.SecretString)))
	default:
		return userapi.ParseAPIKeys(strings.NewReader(c.APIKeys))
	}
}

// lambdaHandler answers both kinds of event the function receives: API
// Gateway proxy events go to the User API, everything else to the triggers.
type lambdaHandler struct{ a *app }

func (h lambdaHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if !userapi.IsAPIGatewayEvent(payload) {
		return h.a.router.Invoke(ctx, payload)
	}
	api, err := h.a.userAPI()
	if err != nil {
		h.a.log.Error("user API", "error", err.Error())
		return nil, fmt.Errorf("user API is not configured")
	}
	return userapi.Lambda{Handler: api}.Invoke(ctx, payload)
}

// apiState is the lazily built User API.
type apiState struct {
	apiOnce sync.Once
	api     http.Handler
	apiErr  error
}

// apiHandler serves the User API under /api, building it on first use.
func (a *app) apiHandler() http.Handler {
	return http.StripPrefix("/api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api, err := a.userAPI()
		if err != nil {
			a.log.Error("user API", "error", err.Error())
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"the User API is not configured; see the log"}` + "\n"))
			return
		}
		api.ServeHTTP(w, r)
	}))
}
