package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore/profile"
	"github.com/poolside-io/poolside/triggers"
)

// app holds the configuration and the dependencies built from it. SDK clients
// are built on first use, so a function that answers only CustomMessage never
// builds one (cold start).
type app struct {
	cfg    config.Config
	log    *slog.Logger
	router *triggers.Router

	awsOnce func() (aws.Config, error)
	store   profile.Store
	sender  *triggers.CustomSenderHandler // both custom senders share it
	apiState
	storeState
}

// newApp reads the configuration and wires every enabled trigger this build has.
func newApp(env config.Env, logw io.Writer) (*app, error) {
	cfg, err := config.FromEnv(env)
	if err != nil {
		return nil, err
	}
	return wire(cfg, newLogger(logw, cfg.LogLevel))
}

// wire builds the router for cfg.
func wire(cfg config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log}
	a.awsOnce = awsLoader(cfg)
	a.router = triggers.NewRouter(triggers.WithLogger(log), triggers.WithBudget(cfg.Budget),
		triggers.WithEnabled(cfg.Triggers...), triggers.WithMessages(cfg.Messages.Catalog))
	for _, t := range triggers.AllTriggers {
		if !cfg.Enabled(t) {
			continue
		}
		w, ok := wirers[t]
		if !ok {
			if len(cfg.Triggers) > 0 {
				return nil, fmt.Errorf("%s: not part of this artifact (its build answers %s)", t, builtTriggers())
			}
			continue // POOLSIDE_TRIGGERS empty: every trigger this artifact has
		}
		if err := w(a); err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
	}
	return a, nil
}

// wirers are the triggers this build can answer. Each wire_<trigger>.go
// registers its own from init; the command-line build has them all, and a
// single-function Lambda artifact (-tags poolside.fn,poolside.fn.<name>, see
// deploy/functions.txt) compiles only its own file, so it links only the SDK
// clients and drivers that trigger calls.
var wirers = map[triggers.Trigger]func(*app) error{}

// builtTriggers names the triggers of this build, in triggers.AllTriggers order.
func builtTriggers() string {
	var names []string
	for _, t := range triggers.AllTriggers {
		if _, ok := wirers[t]; ok {
			names = append(names, string(t))
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

// awsLoader loads the AWS configuration once, on first use.
func awsLoader(cfg config.Config) func() (aws.Config, error) {
	local := cfg.DynamoDBEndpoint != "" || cfg.CognitoEndpoint != "" || cfg.Senders.Local()
	return sync.OnceValues(func() (aws.Config, error) { return loadAWS(context.Background(), local) })
}

// awsRegion is AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.
func awsRegion() string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "us-east-1"
}
