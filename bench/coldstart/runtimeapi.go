package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runtimeAPI is a loopback Lambda Runtime API serving one execution
// environment: it hands out events, records when each response arrives, and
// answers the Extensions API register call aws-lambda-go makes under
// lambda.WithEnableSIGTERM (that POST is not a response).
type runtimeAPI struct {
	ln  net.Listener
	srv *http.Server

	mu      sync.Mutex
	events  [][]byte  // events still to hand out
	next    int       // request id counter
	polled  time.Time // when the first poll for an event came: the end of init
	results chan result
	done    chan struct{} // closed when the environment is torn down
	timeout time.Duration // each invocation's deadline
}

// result is one invocation's outcome as the runtime reported it.
type result struct {
	at      time.Time
	errored bool
	body    []byte
}

func newRuntimeAPI() (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &runtimeAPI{ln: ln, results: make(chan result, 1), done: make(chan struct{}), timeout: 5 * time.Second}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", r.nextEvent)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", r.respond(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", r.respond(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.report(result{at: time.Now(), errored: true, body: append([]byte("init error: "), body...)})
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("POST /2020-01-01/extension/register", func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		w.Header().Set("Lambda-Extension-Identifier", "bench-extension")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"functionName":"bench","functionVersion":"$LATEST","handler":"bootstrap"}`)
	})
	mux.HandleFunc("GET /2020-01-01/extension/event/next", func(w http.ResponseWriter, req *http.Request) {
		select { // an extension registered for no events waits until shutdown
		case <-r.done:
		case <-req.Context().Done():
		}
	})
	r.srv = &http.Server{Handler: mux}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

func (r *runtimeAPI) addr() string { return r.ln.Addr().String() }

// firstPoll is when the runtime first asked for an event (zero before).
func (r *runtimeAPI) firstPoll() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.polled
}

// queue sets the events the next invocations get, in order.
func (r *runtimeAPI) queue(events ...[]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, events...)
}

func (r *runtimeAPI) nextEvent(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	if len(r.events) == 0 {
		r.mu.Unlock()
		select { // no more work: hold the poll as Lambda does while frozen
		case <-r.done:
		case <-req.Context().Done():
		}
		return
	}
	ev := r.events[0]
	r.events = r.events[1:]
	r.next++
	if r.next == 1 {
		r.polled = time.Now()
	}
	id := strconv.Itoa(r.next)
	r.mu.Unlock()
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", "bench-"+id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(r.timeout).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:bench:live")
	h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0")
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(ev)
}

func (r *runtimeAPI) respond(errored bool) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		at := time.Now()
		w.WriteHeader(http.StatusAccepted)
		r.report(result{at: at, errored: errored, body: body})
	}
}

// report hands a result to the waiting measurement (dropped when nobody waits).
func (r *runtimeAPI) report(res result) {
	select {
	case r.results <- res:
	case <-r.done:
	}
}

// wait returns the next result, or an error after timeout.
func (r *runtimeAPI) wait(timeout time.Duration) (result, error) {
	select {
	case res := <-r.results:
		return res, nil
	case <-time.After(timeout):
		return result{}, fmt.Errorf("no response within %s", timeout)
	}
}

func (r *runtimeAPI) close() {
	close(r.done)
	_ = r.srv.Close()
}

// short is a response body cut for an error message.
func short(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
