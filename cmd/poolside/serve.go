//go:build !poolside.fn

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/portal"
	"github.com/poolside-io/poolside/triggers"
)

// pinFlag collects --pin name=Trigger.
type pinFlag map[string]triggers.Trigger

func (p pinFlag) String() string { return fmt.Sprint(map[string]triggers.Trigger(p)) }

func (p pinFlag) Set(v string) error {
	name, tn, ok := strings.Cut(v, "=")
	t, known := triggers.ParseTrigger(tn)
	if !ok || name == "" || !known {
		return fmt.Errorf("want name=Trigger (Trigger one of %s), got %q", triggerNames(), v)
	}
	p[name] = t
	return nil
}

// cmdServe serves the Lambda Invoke API until ctx ends (SIGINT/SIGTERM).
func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9001", "listen address")
	pins := pinFlag{}
	fs.Var(pins, "pin", "restrict a function name to one trigger: name=Trigger (repeatable)")
	portalConfig := fs.String("portal-config", "", "JSON file served as /portal/config.json (pool, app client, API URL)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	a, err := newApp(config.OSEnv, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is already in use (another poolside serve or make run?): pick another address with --addr 127.0.0.1:9100 (make run ADDR=127.0.0.1:9100)", *addr)
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := newServer(a.serveHandler(pins, *portalConfig), readTimeout)
	a.log.Info("listening", "addr", ln.Addr().String(), "profileStore", a.cfg.ProfileStore,
		"url", "http://"+ln.Addr().String()+"/2015-03-31/functions/poolside/invocations")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Timeouts of poolside serve. A client must send its headers within
// readHeaderTimeout and its whole request (6 MB at most) within readTimeout;
// a body trickled slower is cut off. Answers take at most the 4.5 s budget.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
)

// newServer is poolside serve's HTTP server: readTimeout bounds the reading
// of a whole request.
func newServer(h http.Handler, readTimeout time.Duration) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: min(readHeaderTimeout, readTimeout), ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
}

// serveHandler is everything serve answers on one port: the User API under
// /api, the embedded portal under /portal/ and the Lambda Invoke API.
func (a *app) serveHandler(pins map[string]triggers.Trigger, portalConfig string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", a.apiHandler())
	mux.Handle("GET /portal/", http.StripPrefix("/portal", portal.Handler(portalConfig)))
	mux.Handle("/", (&invokeAPI{Router: a.router, Pins: pins, Log: a.log}).Handler())
	return mux
}

// triggerNames lists triggers.AllTriggers for messages: "PreSignUp, CustomMessage, …".
func triggerNames() string {
	names := make([]string, len(triggers.AllTriggers))
	for i, t := range triggers.AllTriggers {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
