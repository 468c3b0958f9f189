package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	lambdamessages "github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
)

func newTestRouter(t *testing.T, opts ...Option) (*Router, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts = append([]Option{WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))}, opts...)
	return NewRouter(opts...), &logs
}

func invokeErr(t *testing.T, r *Router, payload string) lambdamessages.InvokeResponse_Error {
	t.Helper()
	out, err := lambda.NewHandler(r).Invoke(context.Background(), []byte(payload))
	require.Error(t, err, "output: %s", out)
	var ie lambdamessages.InvokeResponse_Error
	require.True(t, errors.As(err, &ie), "got %T", err)
	return ie
}

func TestRouterErrors(t *testing.T) {
	cases := map[string]struct {
		payload  string
		enabled  []Trigger
		wantType string
		wantMsg  string
	}{
		"truncated JSON":        {payload: `{`, wantType: "InvalidEvent", wantMsg: "invalid trigger event"},
		"empty payload":         {payload: ``, wantType: "InvalidEvent", wantMsg: "invalid trigger event"},
		"not an object":         {payload: `[1,2]`, wantType: "InvalidEvent", wantMsg: "invalid trigger event"},
		"null":                  {payload: `null`, wantType: "InvalidEvent", wantMsg: "must be a JSON object"},
		"no triggerSource":      {payload: `{"version":"1"}`, wantType: "UnknownTriggerSource", wantMsg: "triggerSource is missing"},
		"unknown triggerSource": {payload: `{"triggerSource":"DefineAuthChallenge_Authentication"}`, wantType: "UnknownTriggerSource", wantMsg: `"DefineAuthChallenge_Authentication"`},
		"known, no handler":     {payload: `{"triggerSource":"CustomMessage_SignUp"}`, wantType: "TriggerNotEnabled", wantMsg: "trigger CustomMessage is not enabled"},
		"known, disabled":       {payload: `{"triggerSource":"PostAuthentication_Authentication"}`, enabled: []Trigger{PreSignUp}, wantType: "TriggerNotEnabled", wantMsg: "PostAuthentication"},
		"bad request shape":     {payload: `{"triggerSource":"PostAuthentication_Authentication","request":{"userAttributes":{"a":{"b":1}}}}`, wantType: "InvalidEvent", wantMsg: `attribute "a"`},
		"header of wrong type":  {payload: `{"triggerSource":"PostAuthentication_Authentication","userName":42}`, wantType: "InvalidEvent", wantMsg: "invalid trigger event"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, logs := newTestRouter(t, WithEnabled(tc.enabled...))
			r.HandlePostAuthentication(func(context.Context, *PostAuthenticationEvent) error { return nil })
			ie := invokeErr(t, r, tc.payload)
			assert.Equal(t, tc.wantType, ie.Type)
			assert.Contains(t, ie.Message, tc.wantMsg)
			assert.Empty(t, ie.StackTrace)
			assert.Equal(t, 1, strings.Count(logs.String(), "\n"), "one log line per invocation")
		})
	}
}

func TestRouterPanicIsAnInternalError(t *testing.T) {
	r, logs := newTestRouter(t)
	r.HandlePostAuthentication(func(context.Context, *PostAuthenticationEvent) error { panic("boom") })
	ie := invokeErr(t, r, `{"triggerSource":"PostAuthentication_Authentication"}`)
	assert.Equal(t, "InternalError", ie.Type)
	assert.NotContains(t, ie.Message, "boom", "details stay in the log")
	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line))
	assert.Equal(t, "error", line["outcome"])
	assert.Equal(t, "boom", line["panic"])
	assert.Contains(t, ie.Message, line["ref"].(string), "the user's reference finds the log line")
}

func TestRouterErrorMapping(t *testing.T) {
	r, logs := newTestRouter(t)
	var fail error
	r.HandlePostAuthentication(func(context.Context, *PostAuthenticationEvent) error { return fail })
	fail = Refuse(messages.CodeDomainNotAllowed, "domain evil.test denied")
	ie := invokeErr(t, r, `{"triggerSource":"PostAuthentication_Authentication"}`)
	assert.Equal(t, "Refused", ie.Type)
	assert.Equal(t, "Sign-up with this email domain is not available. Please use your work email address", ie.Message,
		"the code's English text; Cognito adds the period")
	assert.Contains(t, logs.String(), `"reason":"domain evil.test denied"`)

	fail = errors.New("dial tcp 10.0.0.1:443: i/o timeout (table profiles)")
	ie = invokeErr(t, r, `{"triggerSource":"PostAuthentication_Authentication"}`)
	assert.Equal(t, "InternalError", ie.Type)
	assert.NotContains(t, ie.Message, "10.0.0.1")
	assert.Regexp(t, `\(ref [0-9a-f]{8}\)$`, ie.Message)
	assert.Contains(t, logs.String(), "i/o timeout")
}

// The whole event comes back: every field Cognito sent, and the response.
func TestRouterReturnsWholeEvent(t *testing.T) {
	r, _ := newTestRouter(t)
	r.HandlePreSignUp(func(_ context.Context, ev *PreSignUpEvent) error {
		ev.Response.AutoConfirmUser = true
		return nil
	})
	in := `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"p","userName":"u",` +
		`"callerContext":{"awsSdkVersion":"x","clientId":"c"},"request":{"userAttributes":{"email":"<a@b.c>"}},` +
		`"response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false},"zExtra":{"kept":true}}`
	out, err := lambda.NewHandler(r).Invoke(context.Background(), []byte(in))
	require.NoError(t, err)
	assert.Equal(t, `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"p","userName":"u",`+
		`"callerContext":{"awsSdkVersion":"x","clientId":"c"},"request":{"userAttributes":{"email":"<a@b.c>"}},`+
		`"response":{"autoConfirmUser":true,"autoVerifyEmail":false,"autoVerifyPhone":false},"zExtra":{"kept":true}}`, string(out))
}

// The fields the router does not know come after the response, sorted by
// name, their names escaped as encoding/json escapes them; absent header
// fields stay absent.
func TestEncodeEventOrderAndEscaping(t *testing.T) {
	raw := map[string]json.RawMessage{
		"response":      json.RawMessage(`{}`),
		"zeta":          json.RawMessage(`1`),
		`a"b`:           json.RawMessage(`true`),
		"<x>":           json.RawMessage(`null`),
		"request":       json.RawMessage(`{"a":[1,2]}`),
		"triggerSource": json.RawMessage(`"PreSignUp_SignUp"`),
		"Version":       json.RawMessage(`"2"`),
	}
	got := encodeEvent(raw)
	assert.Equal(t, `{"triggerSource":"PreSignUp_SignUp","request":{"a":[1,2]},"response":{},`+
		`"\u003cx\u003e":null,"Version":"2","a\"b":true,"zeta":1}`, string(got))
	assert.True(t, json.Valid(got))
	assert.Equal(t, `{}`, string(encodeEvent(map[string]json.RawMessage{})))
}

// What really arrives: versions as strings or numbers, absent or null maps,
// boolean attribute values, [] responses, array preferredRole.
func TestTolerantDecoding(t *testing.T) {
	cases := map[string]struct {
		payload string
		check   func(t *testing.T, ev *PreTokenGenerationEvent)
	}{
		"docs sample booleans and numeric version": {
			payload: `{"version":1,"triggerSource":"TokenGeneration_Authentication","request":{"userAttributes":{"email_verified":true,"n":3}},"response":[]}`,
			check: func(t *testing.T, ev *PreTokenGenerationEvent) {
				assert.Equal(t, Version("1"), ev.Version)
				assert.True(t, ev.Request.UserAttributes.Verified("email_verified"))
				assert.Equal(t, "3", ev.Request.UserAttributes.Get("n"))
			},
		},
		"emulator: version 0, region local, no maps": {
			payload: `{"version":"0","region":"local","triggerSource":"TokenGeneration_Authentication"}`,
			check: func(t *testing.T, ev *PreTokenGenerationEvent) {
				assert.Equal(t, 1, ev.Version.TokenVersion())
				assert.Equal(t, "local", ev.Region)
				assert.Empty(t, ev.Request.UserAttributes.Get("email"))
			},
		},
		"nulls everywhere": {
			payload: `{"version":null,"triggerSource":"TokenGeneration_Authentication","callerContext":null,"request":{"userAttributes":null,"groupConfiguration":{"groupsToOverride":null,"iamRolesToOverride":null,"preferredRole":null},"clientMetadata":null,"scopes":null},"response":{"claimsOverrideDetails":null}}`,
			check: func(t *testing.T, ev *PreTokenGenerationEvent) {
				assert.Nil(t, ev.Request.GroupConfiguration.GroupsToOverride)
				assert.Equal(t, OptionalString(""), ev.Request.GroupConfiguration.PreferredRole)
			},
		},
		"array preferredRole, V2 version": {
			payload: `{"version":"2","triggerSource":"TokenGeneration_Authentication","request":{"groupConfiguration":{"groupsToOverride":["a"],"preferredRole":["arn:r"]},"scopes":"openid"}}`,
			check: func(t *testing.T, ev *PreTokenGenerationEvent) {
				assert.Equal(t, 2, ev.Version.TokenVersion())
				assert.Equal(t, OptionalString("arn:r"), ev.Request.GroupConfiguration.PreferredRole)
				assert.Equal(t, StringList{"openid"}, ev.Request.Scopes)
			},
		},
		"V3 spelled V3_0": {
			payload: `{"version":"V3_0","triggerSource":"TokenGeneration_ClientCredentials"}`,
			check:   func(t *testing.T, ev *PreTokenGenerationEvent) { assert.Equal(t, 3, ev.Version.TokenVersion()) },
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, _ := newTestRouter(t)
			called := false
			r.HandlePreTokenGeneration(func(_ context.Context, ev *PreTokenGenerationEvent) error {
				called = true
				tc.check(t, ev)
				return nil
			})
			_, err := lambda.NewHandler(r).Invoke(context.Background(), []byte(tc.payload))
			require.NoError(t, err)
			require.True(t, called)
		})
	}
}

// The bytes of the responses whose aws-lambda-go zero values are wrong.
func TestOwnedResponseEncoding(t *testing.T) {
	cases := map[string]struct {
		v    any
		want string
	}{
		"migration: unset fields omitted": {UserMigrationResponse{}, `{"userAttributes":{}}`},
		"migration: set fields": {UserMigrationResponse{UserAttributes: Attributes{"email": "a@b.c"}, FinalUserStatus: StatusConfirmed, MessageAction: MessageSuppress},
			`{"userAttributes":{"email":"a@b.c"},"finalUserStatus":"CONFIRMED","messageAction":"SUPPRESS"}`},
		"custom message: no empty email fields": {CustomMessageResponse{SMSMessage: "Code {####}"}, `{"smsMessage":"Code {####}"}`},
		"custom message: html kept":             {CustomMessageResponse{EmailMessage: "<p>{####}</p>", EmailSubject: "Hi & welcome"}, `{"emailMessage":"<p>{####}</p>","emailSubject":"Hi & welcome"}`},
		"group override: never null lists":      {GroupConfiguration{}, `{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null}`},
		"pre token: nothing set":                {PreTokenGenerationResponse{}, `{}`},
		"presignup: flags always present":       {PreSignUpResponse{AutoVerifyEmail: true}, `{"autoConfirmUser":false,"autoVerifyEmail":true,"autoVerifyPhone":false}`},
		"empty":                                 {EmptyResponse{}, `{}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := marshal(new(bytes.Buffer), tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
		})
	}
}

func TestNewPreTokenGenerationResponseKeepsGroups(t *testing.T) {
	groups := GroupConfiguration{GroupsToOverride: StringList{"USER", "beta"}, PreferredRole: "arn:r"}
	for version, want := range map[Version]string{
		"1": `{"claimsOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["USER","beta"],"iamRolesToOverride":[],"preferredRole":"arn:r"}}}`,
		"2": `{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["USER","beta"],"iamRolesToOverride":[],"preferredRole":"arn:r"}}}`,
	} {
		ev := &PreTokenGenerationEvent{Header: Header{Version: version}, Request: PreTokenGenerationRequest{GroupConfiguration: groups}}
		b, err := marshal(new(bytes.Buffer), NewPreTokenGenerationResponse(ev))
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
}

// The handler's deadline is the budget or the Lambda deadline, whichever
// comes first, less AnswerMargin; measured on an injected clock.
func TestBudget(t *testing.T) {
	start := time.Now().Add(time.Hour) // the clock the router reads; deadlines lie ahead of the real one
	cases := map[string]struct {
		lambdaDeadline time.Duration // after start; 0: none
		budget         time.Duration
		want           time.Duration // the handler's deadline, after start
	}{
		"default budget":          {budget: DefaultBudget, want: DefaultBudget - AnswerMargin},
		"Lambda deadline earlier": {lambdaDeadline: 2 * time.Second, budget: DefaultBudget, want: 2*time.Second - AnswerMargin},
		"Lambda deadline later":   {lambdaDeadline: 30 * time.Second, budget: DefaultBudget, want: DefaultBudget - AnswerMargin},
		"short budget":            {budget: 100 * time.Millisecond, want: 50 * time.Millisecond},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, _ := newTestRouter(t, WithBudget(tc.budget), WithClock(func() time.Time { return start }))
			var deadline time.Time
			r.HandlePostAuthentication(func(ctx context.Context, _ *PostAuthenticationEvent) error {
				d, ok := ctx.Deadline()
				require.True(t, ok)
				deadline = d
				return nil
			})
			ctx := context.Background()
			if tc.lambdaDeadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, start.Add(tc.lambdaDeadline))
				defer cancel()
			}
			_, err := r.Invoke(ctx, []byte(`{"triggerSource":"PostAuthentication_Authentication"}`))
			require.NoError(t, err)
			assert.Equal(t, tc.want, deadline.Sub(start))
		})
	}
}

// A handler blocked on a store that never answers is released by the
// deadline and the user reads the generic message (a fake that blocks, not a
// slow machine).
func TestBudgetReleasesABlockedHandler(t *testing.T) {
	r, logs := newTestRouter(t, WithBudget(20*time.Millisecond))
	r.HandlePostAuthentication(func(ctx context.Context, _ *PostAuthenticationEvent) error {
		<-ctx.Done()
		return fmt.Errorf("store: %w", ctx.Err())
	})
	_, err := r.Invoke(context.Background(), []byte(`{"triggerSource":"PostAuthentication_Authentication"}`))
	var ie lambdamessages.InvokeResponse_Error
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, errTypeInternal, ie.Type)
	assert.Contains(t, ie.Message, "Something went wrong")
	assert.Contains(t, logs.String(), "context deadline exceeded")
}

func TestLogLine(t *testing.T) {
	r, logs := newTestRouter(t)
	r.HandleUserMigration(func(ctx context.Context, ev *UserMigrationEvent) error {
		LogAttrs(ctx, slog.Any("password", ev.Request.Password)) // a careless handler
		return nil
	})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
	_, err := r.Invoke(ctx, []byte(`{"triggerSource":"UserMigration_Authentication","userPoolId":"pool-1","request":{"password":"hunter2-secret"}}`))
	require.NoError(t, err)
	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line))
	for k, want := range map[string]any{"level": "INFO", "msg": "invocation", "requestId": "req-1",
		"triggerSource": "UserMigration_Authentication", "userPoolId": "pool-1", "outcome": "ok", "password": "[redacted]"} {
		assert.Equal(t, want, line[k], k)
	}
	assert.Contains(t, line, "time")
	assert.Contains(t, line, "duration")
	assert.NotContains(t, logs.String(), "hunter2-secret")
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	for _, got := range []string{s.String(), s.GoString(), slogText(s)} {
		assert.NotContains(t, got, "hunter2")
	}
	assert.Equal(t, "hunter2", s.Reveal())
}

func slogText(v any) string {
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "v", v)
	return b.String()
}

func FuzzRouter(f *testing.F) {
	for _, seed := range []string{`{`, `{}`, `null`, `{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"a":true}}}`,
		`{"version":2,"triggerSource":"TokenGeneration_Authentication","request":{"groupConfiguration":{"preferredRole":[]}}}`,
		`{"triggerSource":"UserMigration_Authentication","request":{"password":null},"response":[]}`} {
		f.Add([]byte(seed))
	}
	r, _ := newTestRouter(&testing.T{})
	r.HandlePreSignUp(func(context.Context, *PreSignUpEvent) error { return nil })
	r.HandlePreTokenGeneration(func(_ context.Context, ev *PreTokenGenerationEvent) error {
		ev.Response = NewPreTokenGenerationResponse(ev)
		return nil
	})
	r.HandleUserMigration(func(context.Context, *UserMigrationEvent) error { return nil })
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := r.Invoke(context.Background(), payload)
		if err != nil {
			var ie lambdamessages.InvokeResponse_Error
			if !errors.As(err, &ie) || ie.Type == "InternalError" {
				t.Fatalf("unexpected error %T %v", err, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON out: %s", out)
		}
	})
}

func BenchmarkRouterInvoke(b *testing.B) {
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(bytesDiscard{}, nil))))
	r.HandlePreTokenGeneration(func(_ context.Context, ev *PreTokenGenerationEvent) error {
		ev.Response = NewPreTokenGenerationResponse(ev)
		ev.Response.ClaimsOverrideDetails.ClaimsToAddOrOverride = map[string]string{"tenantId": "acme"}
		return nil
	})
	payload := []byte(`{"version":"1","triggerSource":"TokenGeneration_Authentication","region":"us-east-1","userPoolId":"p","userName":"u","callerContext":{"awsSdkVersion":"x","clientId":"c"},"request":{"userAttributes":{"sub":"s","email":"a@b.c","email_verified":"true"},"groupConfiguration":{"groupsToOverride":["USER"],"iamRolesToOverride":[],"preferredRole":null}},"response":{"claimsOverrideDetails":null}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Invoke(context.Background(), payload); err != nil {
			b.Fatal(err)
		}
	}
}

type bytesDiscard struct{}

func (bytesDiscard) Write(p []byte) (int, error) { return len(p), nil }

// Decode errors read in plain words: which field, what was expected, what
// came. The log keeps the decoder's own text.
func TestDecodeErrorsInPlainWords(t *testing.T) {
	cases := map[string]struct{ payload, want string }{
		"number for triggerSource": {`{"triggerSource":7}`, "triggerSource must be a string, not a number"},
		"truncated":                {`{`, "not valid JSON: unexpected end of JSON input (at byte 1)"},
		"an array":                 {`[1]`, "the event must be an object, not an array"},
		"null":                     {`null`, "the event must be a JSON object"},
		"request not an object":    {`{"triggerSource":"PostAuthentication_Authentication","request":7}`, "request must be an object, not a number"},
		"attributes an array":      {`{"triggerSource":"PostAuthentication_Authentication","request":{"userAttributes":[1]}}`, "attributes must be an object, not an array"},
		"groups a number": {`{"triggerSource":"TokenGeneration_Authentication","request":{"groupConfiguration":{"groupsToOverride":7}}}`,
			"want a list of strings, not a number"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r, logs := newTestRouter(t)
			r.HandlePostAuthentication(func(context.Context, *PostAuthenticationEvent) error { return nil })
			r.HandlePreTokenGeneration(func(context.Context, *PreTokenGenerationEvent) error { return nil })
			ie := invokeErr(t, r, c.payload)
			assert.Equal(t, errTypeInvalidEvent, ie.Type)
			assert.Contains(t, ie.Message, c.want)
			for _, internal := range []string{"Go ", "json:", "triggers.", "struct", "unmarshal", "map["} {
				assert.NotContains(t, ie.Message, internal)
			}
			if c.payload != "null" {
				assert.Contains(t, logs.String(), `"decoder":"`, "the log keeps the decoder's text")
			}
		})
	}
}

// decodeHeader reads what json.Unmarshal of the whole event read into a
// Header, for every fixture event and for the shapes real and hostile events
// take (null, numbers, escapes, invalid UTF-8, extra fields); only a key
// spelled in another case is no longer read, as "request" never was.
func TestDecodeHeaderMatchesWholeEventDecode(t *testing.T) {
	payloads := []string{
		`{}`,
		`{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"us-east-1_x","userName":"u","callerContext":{"awsSdkVersion":"aws-sdk-js-3","clientId":"c"}}`,
		`{"version":1,"triggerSource":null,"region":null,"userPoolId":"p","userName":null,"callerContext":null}`,
		`{"version":null,"userName":"m\u00e4rta \"q\" \\ \/ \n","region":"\ud83d\ude00"}`,
		"{\"userName\":\"\xff\xfe bad utf-8\",\"userPoolId\":\"é日本\"}",
		`{"callerContext":{"clientId":"c","extra":[1,{"x":2}],"awsSdkVersion":"v"},"zzz":{"userName":"not this one"}}`,
		`{"userName":"first","userName":"second"}`,
	}
	entries, err := os.ReadDir("../fixtures/events")
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			b, err := os.ReadFile(filepath.Join("../fixtures/events", e.Name()))
			require.NoError(t, err)
			payloads = append(payloads, string(b))
		}
	}
	require.Greater(t, len(payloads), 40)
	for _, p := range payloads {
		var raw map[string]json.RawMessage
		if json.Unmarshal([]byte(p), &raw) != nil || raw == nil {
			continue // the router refuses it before the header
		}
		var want Header
		wantErr := json.Unmarshal([]byte(p), &want)
		got, gotErr := decodeHeader(raw)
		if wantErr != nil {
			assert.Error(t, gotErr, p)
			continue
		}
		require.NoError(t, gotErr, p)
		assert.Equal(t, want, got, p)
	}
	for _, bad := range []string{`{"region":3}`, `{"userName":true}`, `{"version":{}}`, `{"callerContext":"x"}`, `{"triggerSource":[]}`} {
		var raw map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(bad), &raw))
		_, err := decodeHeader(raw)
		assert.Error(t, err, bad)
	}
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(`{"TriggerSource":"PreSignUp_SignUp","triggerSource":"PostConfirmation_ConfirmSignUp"}`), &raw))
	got, err := decodeHeader(raw)
	require.NoError(t, err)
	assert.Equal(t, Source("PostConfirmation_ConfirmSignUp"), got.TriggerSource)
}

// FuzzScalarString holds scalarString, whose strings take decodeString's
// short cut when they have no escape, to what encoding/json makes of the
// same value. The event's values reach it already checked by json.Unmarshal,
// so only valid JSON is compared.
func FuzzScalarString(f *testing.F) {
	for _, seed := range []string{`"alice@example.com"`, `"caf\u00e9"`, `"a\"b"`, `"tab\there"`, "\"\xff\xfe\"", `"é"`, `""`, `12.50`, `-0`, `1e3`, `true`, `false`, `null`, ` "padded" `} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			t.Skip()
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Skip()
		}
		got, err := scalarString([]byte(in))
		switch v := v.(type) {
		case string:
			require.NoError(t, err)
			assert.Equal(t, v, got)
		case json.Number:
			require.NoError(t, err)
			assert.Equal(t, v.String(), got)
		case bool:
			require.NoError(t, err)
			assert.Equal(t, strconv.FormatBool(v), got)
		case nil:
			require.NoError(t, err)
			assert.Empty(t, got)
		default:
			assert.Error(t, err, "%s is no scalar", in)
		}
	})
}
