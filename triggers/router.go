package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"
	lambdamessages "github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/poolside-io/poolside/messages"
)

// DefaultBudget is the longest an invocation may run: Cognito waits 5 s, and a
// trigger that answers late fails the user's request just as an error would.
const DefaultBudget = 4500 * time.Millisecond

// AnswerMargin is the part of the budget kept for answering: handlers (and
// the retries of their store and Cognito calls) run under a deadline this much
// before the budget ends, so the answer itself is written inside the budget.
const AnswerMargin = 250 * time.Millisecond

// Router decodes Cognito trigger events, dispatches each to the handler
// registered for its triggerSource, and returns the whole event with the
// response filled in. It implements lambda.Handler.
type Router struct {
	log      *slog.Logger
	messages *messages.Catalog // nil: the embedded catalog
	budget   time.Duration
	now      func() time.Time
	enabled  map[Trigger]bool // nil: every registered trigger
	handlers map[Source]handlerFunc
	invoked  atomic.Bool // the first invocation was a cold start
}

var _ lambda.Handler = (*Router)(nil)

// handlerFunc handles one decoded event; it returns the response to encode.
type handlerFunc func(ctx context.Context, h Header, request json.RawMessage) (any, error)

// Option configures a Router.
type Option func(*Router)

// WithLogger sets the logger for the per-invocation line (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(r *Router) { r.log = l } }

// WithMessages sets the catalog refusals are read from (default: the
// embedded one, parsed on the first refusal).
func WithMessages(c *messages.Catalog) Option { return func(r *Router) { r.messages = c } }

// WithBudget caps each invocation's run time (default DefaultBudget). The
// Lambda deadline, when earlier, wins.
func WithBudget(d time.Duration) Option { return func(r *Router) { r.budget = d } }

// WithClock sets the clock the budget is measured with (default time.Now);
// tests of the budget inject one instead of depending on the machine's speed.
func WithClock(now func() time.Time) Option { return func(r *Router) { r.now = now } }

// WithEnabled restricts the router to the given triggers; events for the others
// are answered with a NotEnabledError. An empty list enables every registered trigger.
func WithEnabled(ts ...Trigger) Option {
	return func(r *Router) {
		if len(ts) == 0 {
			r.enabled = nil
			return
		}
		r.enabled = map[Trigger]bool{}
		for _, t := range ts {
			r.enabled[t] = true
		}
	}
}

// NewRouter returns a router with no handlers.
func NewRouter(opts ...Option) *Router {
	r := &Router{log: slog.Default(), budget: DefaultBudget, now: time.Now, handlers: map[Source]handlerFunc{}}
	for _, o := range opts {
		o(r)
	}
	return r
}

// register adds fn for sources: it decodes the request into Req and encodes
// the Resp the handler fills in.
func register[Req, Resp any](r *Router, fn func(context.Context, *Event[Req, Resp]) error, sources ...Source) {
	for _, s := range sources {
		if _, ok := s.Trigger(); !ok {
			panic(fmt.Sprintf("triggers: register of unknown source %q", s))
		}
		r.handlers[s] = func(ctx context.Context, h Header, request json.RawMessage) (any, error) {
			ev := &Event[Req, Resp]{Header: h}
			if err := decodeLenient(request, &ev.Request); err != nil {
				return nil, &InvalidEventError{Err: fmt.Errorf("request: %w", err)}
			}
			if err := fn(ctx, ev); err != nil {
				return nil, err
			}
			return &ev.Response, nil
		}
	}
}

// Invoke handles one raw event. Errors are returned as
// lambdamessages.InvokeResponse_Error so Lambda reports a deliberate errorType and a
// message that is safe to show the end user.
func (r *Router) Invoke(ctx context.Context, payload []byte) (out []byte, err error) {
	start := r.now()
	var (
		h       Header
		request json.RawMessage // for the locale of a refusal
	)
	rec := newRecord()
	ctx = context.WithValue(ctx, recordKey{}, rec)
	defer func() {
		if p := recover(); p != nil {
			rec.add(slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			out, err = nil, fmt.Errorf("panic: %v", p)
		}
		err = r.finish(ctx, h, request, start, rec, err)
	}()

	ctx, cancel := r.withBudget(ctx, start)
	defer cancel()

	var raw map[string]json.RawMessage
	if err := json.Unmarshal(payload, &raw); err != nil || raw == nil {
		if err == nil {
			err = errNotAnObject
		}
		return nil, &InvalidEventError{Err: err}
	}
	if h, err = decodeHeader(raw); err != nil {
		return nil, &InvalidEventError{Err: err}
	}
	trigger, known := h.TriggerSource.Trigger()
	if !known {
		return nil, &UnknownSourceError{Source: h.TriggerSource}
	}
	fn, ok := r.handlers[h.TriggerSource]
	if !ok || (r.enabled != nil && !r.enabled[trigger]) {
		return nil, &NotEnabledError{Source: h.TriggerSource, Trigger: trigger}
	}
	request = raw["request"]
	resp, err := fn(ctx, h, request)
	if err != nil {
		return nil, err
	}
	buf := responseBuffers.Get().(*bytes.Buffer)
	defer putResponseBuffer(buf)
	enc, err := marshal(buf, resp)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	raw["response"] = enc // copied out by encodeEvent: buf goes back to the pool
	return encodeEvent(raw), nil
}

// decodeHeader reads the header from the event's top-level fields, which
// json.Unmarshal has already checked: the event is scanned once, not a
// second time for six short fields. Keys match exactly, as "request" does.
func decodeHeader(raw map[string]json.RawMessage) (Header, error) {
	var h Header
	if v, ok := raw["version"]; ok {
		if err := h.Version.UnmarshalJSON(v); err != nil {
			return h, fmt.Errorf("version: %w", err)
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"triggerSource", (*string)(&h.TriggerSource)},
		{"region", &h.Region},
		{"userPoolId", &h.UserPoolID},
		{"userName", &h.UserName},
	} {
		if err := decodeString(raw[f.key], f.dst); err != nil {
			return h, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	if v, ok := raw["callerContext"]; ok {
		if err := json.Unmarshal(v, &h.CallerContext); err != nil {
			return h, fmt.Errorf("callerContext: %w", err)
		}
	}
	return h, nil
}

// decodeString decodes a JSON string (null and absent leave dst as it is),
// without encoding/json's machinery when it holds no escape.
func decodeString(v json.RawMessage, dst *string) error {
	if len(v) >= 2 && v[0] == '"' && bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
		// A checked JSON string with no escape: its bytes are the value (it
		// holds no control character and no other quotation mark).
		*dst = string(v[1 : len(v)-1])
		return nil
	}
	if len(v) == 0 {
		return nil
	}
	return json.Unmarshal(v, dst)
}

// withBudget bounds ctx by the router's budget or the Lambda deadline,
// whichever comes first, less AnswerMargin for answering. A budget shorter
// than twice the margin keeps half of itself for the handler.
func (r *Router) withBudget(ctx context.Context, start time.Time) (context.Context, context.CancelFunc) {
	end := start.Add(r.budget)
	if d, ok := ctx.Deadline(); ok && d.Before(end) {
		end = d
	}
	margin := min(AnswerMargin, end.Sub(start)/2)
	return context.WithDeadline(ctx, end.Add(-margin))
}

// finish writes the invocation's log line and turns err into Lambda's error shape.
func (r *Router) finish(ctx context.Context, h Header, request json.RawMessage, start time.Time, rec *record, err error) error {
	attrs := make([]slog.Attr, 0, 32) // a line's usual count, with room: never grown
	attrs = append(attrs,
		slog.String("requestId", requestID(ctx)),
		slog.String("triggerSource", string(h.TriggerSource)),
		slog.String("userPoolId", h.UserPoolID),
		slog.Bool("cold_start", !r.invoked.Swap(true)),
		slog.String("xray_trace_id", traceID(ctx)),
	)
	trigger, known := h.TriggerSource.Trigger()
	if !known {
		trigger = "unknown"
	}
	dimension(ctx, DimTrigger, string(trigger))
	level := slog.LevelInfo
	outcome := "ok"
	var result error
	if err != nil {
		msg, typ, ref := publicError(err, r.texts(request))
		result = lambdamessages.InvokeResponse_Error{Message: msg, Type: typ}
		switch typ {
		case errTypeRefused:
			outcome = "refused"
			var refusal *Refusal
			if errors.As(err, &refusal) {
				dimension(ctx, DimRefusalCode, refusal.Code.String())
				count(ctx, MetricRefusals, 1)
				if refusal.Reason != "" {
					attrs = append(attrs, slog.String("reason", refusal.Reason))
				}
			}
		case errTypeInternal:
			outcome, level = "error", slog.LevelError
			attrs = append(attrs, slog.String("ref", ref), slog.String("error", err.Error()))
		default:
			outcome, level = "rejected", slog.LevelWarn
			attrs = append(attrs, slog.String("error", msg))
			var invalid *InvalidEventError
			if errors.As(err, &invalid) {
				attrs = append(attrs, slog.String("decoder", invalid.Err.Error())) // the decoder's own words
			}
		}
	}
	end := r.now()
	took := end.Sub(start)
	dimension(ctx, DimOutcome, outcome)
	count(ctx, MetricInvocations, 1)
	count(ctx, MetricLatency, float64(took)/float64(time.Millisecond))
	attrs = append(attrs, slog.Duration("duration", took))
	attrs = rec.appendAttrs(attrs)
	attrs = rec.appendMetrics(attrs, end)
	r.log.LogAttrs(context.WithoutCancel(ctx), level, "invocation", attrs...)
	return result
}

// texts looks refusal codes up in the locale of the user request is about
// (userLocale); a request that does not decode reads the default locale.
func (r *Router) texts(request json.RawMessage) func(messages.Code, messages.Args) string {
	return func(code messages.Code, a messages.Args) string {
		cat, _ := catalog(r.messages) // nil (never, for the tested embedded catalog) reads a generic text
		var req struct {
			UserAttributes Attributes `json:"userAttributes"`
			ClientMetadata Attributes `json:"clientMetadata"`
		}
		_ = json.Unmarshal(request, &req)
		return cat.Refusal(userLocale(cat, req.UserAttributes, req.ClientMetadata), code, a)
	}
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// marshal encodes v without HTML escaping: email bodies stay readable.
func marshal(b *bytes.Buffer, v any) (json.RawMessage, error) {
	b.Reset()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// responseBuffers hold the response while encodeEvent copies it into the
// event: a warm invocation's buffer no longer grows from nothing (up to 4 KB
// for a CustomMessage, in five allocations) on every call.
var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putResponseBuffer returns b to the pool unless an outsized response grew
// it: the pool keeps no megabytes alive for the next small one.
func putResponseBuffer(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		responseBuffers.Put(b)
	}
}

// eventOrder is the order encodeEvent writes the event's known fields in.
var eventOrder = []string{"version", "triggerSource", "region", "userPoolId", "userName", "callerContext", "request", "response"}

// encodeEvent writes the event's top-level fields in a stable order: the
// header first, then request, then response, then anything else. The buffer
// is sized up front: growing it was a fifth of what a warm invocation
// allocated.
func encodeEvent(raw map[string]json.RawMessage) []byte {
	var rest []string
	size := 2
	for k, v := range raw {
		size += len(k) + len(v) + 4 // the key's quotes, the colon, the comma
		if !slices.Contains(eventOrder, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	b := make([]byte, 0, size)
	b = append(b, '{')
	write := func(k string, quoted bool) {
		v, ok := raw[k]
		if !ok {
			return
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		if quoted { // the known names need no escaping
			b = append(append(append(b, '"'), k...), '"')
		} else {
			key, _ := json.Marshal(k)
			b = append(b, key...)
		}
		b = append(b, ':')
		// Every value is valid JSON already: the event's parts were checked
		// when it was decoded, the response was marshalled here. Written as
		// they are (re-compacting was 15 % of a warm CustomMessage).
		b = append(b, v...)
	}
	for _, k := range eventOrder {
		write(k, true)
	}
	for _, k := range rest {
		write(k, false)
	}
	return append(b, '}')
}

// record collects attributes a handler adds to its invocation's log line.
type record struct {
	mu     sync.Mutex
	as     []slog.Attr
	dims   []metricField[string]  // metric dimensions (dimension), starting in dimsAt
	counts []metricField[float64] // metric values (count), starting in countsAt

	dimsAt   [5]metricField[string]
	countsAt [4]metricField[float64]
}

func newRecord() *record {
	r := &record{}
	r.dims, r.counts = r.dimsAt[:0], r.countsAt[:0]
	return r
}

type recordKey struct{}

// appendMetrics appends the line's Embedded Metric Format part, stamped at.
func (r *record) appendMetrics(dst []slog.Attr, at time.Time) []slog.Attr {
	r.mu.Lock()
	defer r.mu.Unlock()
	return emf(dst, at, r.dims, r.counts)
}

func (r *record) add(as ...slog.Attr) {
	r.mu.Lock()
	r.as = append(r.as, as...)
	r.mu.Unlock()
}

func (r *record) appendAttrs(dst []slog.Attr) []slog.Attr {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append(dst, r.as...)
}

// LogAttrs adds attributes to the invocation's single log line. Never pass a
// password, a verification code or a token.
func LogAttrs(ctx context.Context, as ...slog.Attr) {
	if r, ok := ctx.Value(recordKey{}).(*record); ok {
		r.add(as...)
	}
}
