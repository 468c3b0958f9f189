package userapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// eventProbe tells API Gateway events apart from each other and from
// Cognito's trigger events.
type eventProbe struct {
	Version       string          `json:"version"`
	RouteKey      string          `json:"routeKey"`
	HTTPMethod    string          `json:"httpMethod"`
	TriggerSource string          `json:"triggerSource"`
	RequestCtx    json.RawMessage `json:"requestContext"`
}

func probe(payload []byte) eventProbe {
	var p eventProbe
	_ = json.Unmarshal(payload, &p)
	return p
}

// IsAPIGatewayEvent reports whether payload is an API Gateway proxy event
// (HTTP API payload 2.0 or REST API v1) rather than a Cognito trigger event.
func IsAPIGatewayEvent(payload []byte) bool {
	p := probe(payload)
	return p.TriggerSource == "" && len(p.RequestCtx) > 0 && (p.RouteKey != "" || p.HTTPMethod != "")
}

// Lambda answers API Gateway proxy events with an http.Handler (API.Handler):
// the event becomes an http.Request, the claims an API Gateway authorizer
// validated ride in its context, and the response becomes the event's answer.
type Lambda struct{ Handler http.Handler }

// Invoke implements lambda.Handler.
func (l Lambda) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	p := probe(payload)
	if p.Version == "2.0" {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("API Gateway v2 event: %w", err)
		}
		return json.Marshal(l.v2(ctx, ev))
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("API Gateway v1 event: %w", err)
	}
	return json.Marshal(l.v1(ctx, ev))
}

func (l Lambda) v2(ctx context.Context, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	path := ev.RawPath
	if st := ev.RequestContext.Stage; st != "" && st != "$default" {
		path = strings.TrimPrefix(path, "/"+st)
	}
	h := http.Header{}
	for k, v := range ev.Headers {
		h.Set(k, v)
	}
	for _, c := range ev.Cookies {
		h.Add("Cookie", c)
	}
	if a := ev.RequestContext.Authorizer; a != nil && a.JWT != nil && len(a.JWT.Claims) > 0 {
		c := Claims{}
		for k, v := range a.JWT.Claims {
			c[k] = v
		}
		ctx = withAuthorizerClaims(ctx, c)
	}
	rec := l.serve(ctx, ev.RequestContext.HTTP.Method, path, ev.RawQueryString, h, ev.Body, ev.IsBase64Encoded)
	return events.APIGatewayV2HTTPResponse{StatusCode: rec.status, Headers: rec.single(), Body: rec.body.String()}
}

func (l Lambda) v1(ctx context.Context, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	h := http.Header{}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range ev.Headers {
		if h.Get(k) == "" {
			h.Set(k, v)
		}
	}
	q := url.Values{}
	for k, vs := range ev.MultiValueQueryStringParameters {
		q[k] = append(q[k], vs...)
	}
	for k, v := range ev.QueryStringParameters {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	// A Cognito user-pool authorizer puts the token's claims under "claims".
	if raw, ok := ev.RequestContext.Authorizer["claims"].(map[string]any); ok && len(raw) > 0 {
		ctx = withAuthorizerClaims(ctx, Claims(raw))
	}
	rec := l.serve(ctx, ev.HTTPMethod, ev.Path, q.Encode(), h, ev.Body, ev.IsBase64Encoded)
	return events.APIGatewayProxyResponse{StatusCode: rec.status, Headers: rec.single(), MultiValueHeaders: rec.hdr, Body: rec.body.String()}
}

func (l Lambda) serve(ctx context.Context, method, path, query string, h http.Header, body string, b64 bool) *responseBuffer {
	raw := []byte(body)
	rec := &responseBuffer{}
	if b64 {
		var err error
		if raw, err = base64.StdEncoding.DecodeString(body); err != nil {
			writeProblem(rec, badRequest("the body is not valid base64"))
			return rec
		}
	}
	u := &url.URL{Path: path, RawQuery: query}
	r, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(raw))
	if err != nil {
		writeProblem(rec, badRequest("the request line is not valid"))
		return rec
	}
	r.Header = h
	r.RequestURI = u.RequestURI()
	l.Handler.ServeHTTP(rec, r)
	return rec
}

// responseBuffer is an http.ResponseWriter that keeps the response, for the
// Lambda adapter and for handlers that answer only after a later step.
type responseBuffer struct {
	hdr    http.Header
	status int
	body   bytes.Buffer
}

func (b *responseBuffer) Header() http.Header {
	if b.hdr == nil {
		b.hdr = http.Header{}
	}
	return b.hdr
}

func (b *responseBuffer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *responseBuffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// single joins repeated headers as API Gateway's headers map wants them.
func (b *responseBuffer) single() map[string]string {
	out := make(map[string]string, len(b.hdr))
	for k, vs := range b.hdr {
		out[k] = strings.Join(vs, ", ")
	}
	return out
}

// flush copies the kept response to w.
func (b *responseBuffer) flush(w http.ResponseWriter) {
	for k, vs := range b.hdr {
		w.Header()[k] = vs
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
