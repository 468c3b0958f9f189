//go:build !poolside.fn

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/poolside-io/poolside/triggers"
)

// maxPayload is Lambda's synchronous invocation payload limit (6 MB).
const maxPayload = 6 << 20

// payloadTooLarge is what a caller reads for a payload over maxPayload, here
// and from poolside invoke.
const payloadTooLarge = "payload over 6 MB (6,291,456 bytes), Lambda's limit for a synchronous invocation"

// Limits of the local server (poolside serve): hostile or broken clients
// cannot hold it open or fill its memory.
const (
	// defaultMaxConcurrent invocations are read and run at once; more wait
	// (headers only, no body read) for up to concurrencyWait, then get 429
	// as Lambda answers when its concurrency is exhausted.
	defaultMaxConcurrent = 4
	concurrencyWait      = 5 * time.Second
)

// errTypeNotEnabled is the errorType the router answers for a trigger this
// deployment does not serve; a pinned name answers the same.
const errTypeNotEnabled = "TriggerNotEnabled"

// invokeAPI serves the Lambda Invoke API on a router, for local runs (poolside
// serve; never in Lambda):
// POST /2015-03-31/functions/{name}/invocations answers 200 with the response
// event, or 200 with X-Amz-Function-Error: Unhandled and Lambda's error body
// when the handler fails, as Lambda does. Any function name routes by
// triggerSource; Pins restricts a name to one trigger.
type invokeAPI struct {
	Router *triggers.Router
	// Pins maps a function name (or ARN) to the only trigger it serves.
	Pins map[string]triggers.Trigger
	Log  *slog.Logger
	// MaxConcurrent caps invocations in flight (defaultMaxConcurrent when 0);
	// a request over the cap waits up to Wait (concurrencyWait when 0).
	MaxConcurrent int
	Wait          time.Duration
}

// Handler returns the HTTP handler.
func (a *invokeAPI) Handler() http.Handler {
	mux := http.NewServeMux()
	n := a.MaxConcurrent
	if n <= 0 {
		n = defaultMaxConcurrent
	}
	slots := make(chan struct{}, n)
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", func(w http.ResponseWriter, r *http.Request) {
		d := a.Wait
		if d <= 0 {
			d = concurrencyWait
		}
		wait := time.NewTimer(d)
		defer wait.Stop()
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			a.invoke(w, r)
		case <-wait.C:
			a.logger().Warn("request", "function", functionName(r.PathValue("name")), "status", http.StatusTooManyRequests,
				"error", fmt.Sprintf("more than %d invocations at once", n))
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"Type": "User", "message": "Rate Exceeded."})
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.logger().Warn("request", "method", r.Method, "path", r.URL.Path, "status", http.StatusNotFound)
		writeJSON(w, http.StatusNotFound, map[string]string{
			"Type": "User", "message": "poolside serves POST /2015-03-31/functions/{name}/invocations",
		})
	})
	return mux
}

func (a *invokeAPI) logger() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

func (a *invokeAPI) invoke(w http.ResponseWriter, r *http.Request) {
	name := functionName(r.PathValue("name"))
	reqID := newRequestID()
	w.Header().Set("X-Amzn-Requestid", reqID)
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	if it := r.Header.Get("X-Amz-Invocation-Type"); it != "" && it != "RequestResponse" {
		// Cognito only invokes synchronously; Event and DryRun have no use here.
		a.logger().Warn("request", "function", name, "invocationType", it, "status", http.StatusBadRequest)
		writeJSON(w, http.StatusBadRequest, map[string]string{"Type": "User", "message": "only RequestResponse invocations are supported"})
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPayload))
	if err != nil {
		a.logger().Warn("request", "function", name, "status", http.StatusRequestEntityTooLarge, "error", err.Error(),
			"contentLength", r.ContentLength)
		status, msg := http.StatusRequestEntityTooLarge, payloadTooLarge
		var tooLarge *http.MaxBytesError
		if !errors.As(err, &tooLarge) {
			status, msg = http.StatusBadRequest, "could not read the request body"
		}
		writeJSON(w, status, map[string]string{"Type": "User", "message": msg})
		return
	}
	ctx := lambdacontext.NewContext(r.Context(), &lambdacontext.LambdaContext{
		AwsRequestID:       reqID,
		InvokedFunctionArn: name,
	})
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	var out []byte
	if t, pinned := a.Pins[name]; pinned && !servesSource(t, payload) {
		out, err = nil, a.pinError(ctx, name, t, payload)
	} else {
		out, err = a.Router.Invoke(ctx, payload)
	}
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		body := messages.InvokeResponse_Error{Message: err.Error(), Type: "Error"}
		if ie, ok := err.(messages.InvokeResponse_Error); ok {
			body = ie
		}
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		b, _ := json.Marshal(body)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// pinError answers an event sent to a function pinned to another trigger.
func (a *invokeAPI) pinError(ctx context.Context, name string, t triggers.Trigger, payload []byte) error {
	src := eventSource(payload)
	msg := fmt.Sprintf("function %s serves %s only, not triggerSource %q", name, t, src)
	a.logger().LogAttrs(ctx, slog.LevelWarn, "invocation", slog.String("requestId", reqID(ctx)),
		slog.String("function", name), slog.String("triggerSource", string(src)),
		slog.String("outcome", "rejected"), slog.String("error", msg))
	return messages.InvokeResponse_Error{Message: msg, Type: errTypeNotEnabled}
}

// servesSource reports whether trigger t may answer the payload. A broken
// event or an unknown source goes to the router, which reports it.
func servesSource(t triggers.Trigger, payload []byte) bool {
	got, ok := eventSource(payload).Trigger()
	return !ok || got == t
}

// eventSource reads only the payload's triggerSource ("" when unreadable),
// by its exact key, as the router does.
func eventSource(payload []byte) triggers.Source {
	var raw map[string]json.RawMessage
	var s triggers.Source
	if json.Unmarshal(payload, &raw) == nil {
		_ = json.Unmarshal(raw["triggerSource"], &s)
	}
	return s
}

// functionName reduces an ARN ("arn:aws:lambda:…:function:name:alias") to its name.
func functionName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		parts := strings.Split(s, ":")
		for i, p := range parts {
			if p == "function" && i+1 < len(parts) {
				return parts[i+1]
			}
		}
	}
	if i := strings.IndexByte(s, ':'); i > 0 {
		return s[:i] // name:qualifier
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newRequestID is a random request id shaped as Lambda's (a UUID).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	r := hex.EncodeToString(b[:])
	return r[0:8] + "-" + r[8:12] + "-" + r[12:16] + "-" + r[16:20] + "-" + r[20:32]
}

// reqID is the invocation's request id.
func reqID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}
