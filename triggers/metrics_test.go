package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/migration"
)

// emfUnits are the units the Embedded Metric Format accepts (CloudWatch's StandardUnit).
var emfUnits = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
	"Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
	"Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
	"Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"}

// checkEMF lists how line breaks the Embedded Metric Format specification
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
func checkEMF(line []byte) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		return []string{"no _aws object"}
	}
	if ts, ok := aws["Timestamp"].(json.Number); !ok {
		bad("_aws.Timestamp is not a number")
	} else if n, err := ts.Int64(); err != nil || n <= 0 {
		bad("_aws.Timestamp %s is not a positive integer of milliseconds", ts)
	}
	directives, ok := aws["CloudWatchMetrics"].([]any)
	if !ok {
		return append(problems, "_aws.CloudWatchMetrics is not an array")
	}
	for i, d := range directives {
		dir, ok := d.(map[string]any)
		if !ok {
			bad("directive %d is not an object", i)
			continue
		}
		if ns, ok := dir["Namespace"].(string); !ok || ns == "" || len(ns) > 255 {
			bad("directive %d: Namespace %v is not a string of 1 to 255 characters", i, dir["Namespace"])
		}
		sets, ok := dir["Dimensions"].([]any)
		if !ok {
			bad("directive %d: Dimensions is not an array", i)
		}
		for j, s := range sets {
			set, ok := s.([]any)
			if !ok {
				bad("directive %d: dimension set %d is not an array", i, j)
				continue
			}
			if len(set) > 30 {
				bad("directive %d: dimension set %d has %d dimensions (at most 30)", i, j, len(set))
			}
			for _, n := range set {
				name, ok := n.(string)
				if !ok {
					bad("directive %d: dimension %v is not a string", i, n)
					continue
				}
				if v, ok := root[name].(string); !ok || v == "" {
					bad("directive %d: dimension %q is not a top-level non-empty string member", i, name)
				}
			}
		}
		metrics, ok := dir["Metrics"].([]any)
		if !ok {
			bad("directive %d: Metrics is not an array", i)
		}
		if len(metrics) > 100 {
			bad("directive %d: %d metrics (at most 100)", i, len(metrics))
		}
		for _, m := range metrics {
			def, ok := m.(map[string]any)
			if !ok {
				bad("directive %d: metric %v is not an object", i, m)
				continue
			}
			name, ok := def["Name"].(string)
			if !ok || name == "" || len(name) > 255 {
				bad("directive %d: metric Name %v is not a string of 1 to 255 characters", i, def["Name"])
				continue
			}
			if u, ok := def["Unit"]; ok {
				if s, _ := u.(string); !slices.Contains(emfUnits, s) {
					bad("metric %s: unit %v is not a CloudWatch unit", name, u)
				}
			}
			switch v := root[name].(type) {
			case json.Number:
			case []any:
				if len(v) > 100 {
					bad("metric %s: %d values (at most 100)", name, len(v))
				}
				for _, e := range v {
					if _, ok := e.(json.Number); !ok {
						bad("metric %s: value %v is not a number", name, e)
					}
				}
			default:
				bad("metric %s: the top-level member is %T, not a number or an array of numbers", name, root[name])
			}
		}
	}
	return problems
}

// invocationLine runs one event through the router's JSON path and returns its log line.
func invocationLine(t *testing.T, r *Router, logs *bytes.Buffer, ctx context.Context, payload []byte) map[string]any {
	t.Helper()
	logs.Reset()
	_, _ = lambda.NewHandler(r).Invoke(ctx, payload)
	require.Empty(t, checkEMF(logs.Bytes()), "line: %s", logs)
	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line))
	return line
}

// published maps each metric the line's directives name to its dimension sets.
func published(t *testing.T, line map[string]any) map[string][]any {
	t.Helper()
	got := map[string][]any{}
	for _, d := range line["_aws"].(map[string]any)["CloudWatchMetrics"].([]any) {
		dir := d.(map[string]any)
		assert.Equal(t, Namespace, dir["Namespace"])
		for _, m := range dir["Metrics"].([]any) {
			got[m.(map[string]any)["Name"].(string)] = dir["Dimensions"].([]any)
		}
	}
	return got
}

func TestInvocationLineIsEMF(t *testing.T) {
	users := legacyFixture(t)
	cases := map[string]struct {
		payload []byte
		breach  bool
		handler func(context.Context, *UserMigrationEvent) error // nil: the real handler
		want    map[string]any                                   // top-level members
		metrics []string
	}{
		"migrated": {payload: migrationEvent(UserMigrationAuthentication, "marta", migPassword),
			want: map[string]any{"trigger": "UserMigration", "outcome": "ok", "hashFormat": "bcrypt",
				"migrationResult": "verified", "Invocations": 1.0, "Migrations": 1.0, "StoreRetries": 0.0},
			metrics: []string{MetricInvocations, MetricLatency, MetricMigrations, MetricStoreRetries}},
		"migrated, breached": {payload: migrationEvent(UserMigrationAuthentication, "marta", migPassword), breach: true,
			want:    map[string]any{"BreachedPasswords": 1.0, "migrationResult": "verified"},
			metrics: []string{MetricInvocations, MetricLatency, MetricMigrations, MetricBreachedPasswords, MetricStoreRetries}},
		"wrong password": {payload: migrationEvent(UserMigrationAuthentication, "marta", "not-it"),
			want: map[string]any{"outcome": "refused", "refusalCode": "bad_credentials", "Refusals": 1.0,
				"hashFormat": "bcrypt", "migrationResult": "wrong_password"},
			metrics: []string{MetricInvocations, MetricLatency, MetricRefusals, MetricMigrations, MetricStoreRetries}},
		"unknown user": {payload: migrationEvent(UserMigrationAuthentication, "nobody", migPassword),
			want: map[string]any{"hashFormat": "none", "migrationResult": "not_found"}},
		"store retried twice": {payload: migrationEvent(UserMigrationAuthentication, "marta", migPassword),
			handler: func(ctx context.Context, _ *UserMigrationEvent) error {
				CountStoreRetry(ctx)
				CountStoreRetry(ctx)
				return nil
			},
			want:    map[string]any{"StoreRetries": 2.0, "outcome": "ok"},
			metrics: []string{MetricInvocations, MetricLatency, MetricStoreRetries}},
		"internal error": {payload: migrationEvent(UserMigrationAuthentication, "marta", migPassword),
			handler: func(context.Context, *UserMigrationEvent) error { return errors.New("table gone") },
			want:    map[string]any{"outcome": "error", "Invocations": 1.0}},
		"unknown source": {payload: []byte(`{"triggerSource":"DefineAuthChallenge_Authentication","request":{}}`),
			want:    map[string]any{"trigger": "unknown", "outcome": "rejected"},
			metrics: []string{MetricInvocations, MetricLatency, MetricStoreRetries}},
		"not an event": {payload: []byte(`[1]`), want: map[string]any{"trigger": "unknown", "outcome": "rejected"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			h := &UserMigrationHandler{Legacy: &migration.Authenticator{Source: fakeSource(users), DummyCost: bcrypt.MinCost,
				Breached: &fakeBreach{breached: func([]byte) (bool, error) { return c.breach, nil }}}}
			fn := c.handler
			if fn == nil {
				fn = h.Handle
			}
			r.HandleUserMigration(fn)
			line := invocationLine(t, r, &logs, context.Background(), c.payload)
			for k, v := range c.want {
				assert.Equal(t, v, line[k], k)
			}
			got := published(t, line)
			if c.metrics != nil {
				assert.ElementsMatch(t, c.metrics, slices.Collect(maps.Keys(got)))
			}
			assert.Equal(t, []any{[]any{"trigger"}, []any{"trigger", "outcome"}}, got[MetricInvocations])
			assert.GreaterOrEqual(t, line[MetricLatency], 0.0)
			for _, m := range Metrics { // every metric the line names is declared with its unit
				if _, ok := got[m.Name]; ok {
					assert.Equal(t, m.Dimensions, toStrings(got[m.Name]), m.Name)
				}
			}
		})
	}
}

func TestInvocationLineColdStartAndTrace(t *testing.T) {
	var logs bytes.Buffer
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	r.HandlePreAuthentication(func(context.Context, *PreAuthenticationEvent) error { return nil })
	ev := []byte(`{"triggerSource":"PreAuthentication_Authentication","userPoolId":"p","request":{}}`)

	t.Setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	first := invocationLine(t, r, &logs, context.Background(), ev)
	assert.Equal(t, true, first["cold_start"])
	assert.Equal(t, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", first["xray_trace_id"])

	// aws-lambda-go puts each invocation's trace header in the context too
	//lint:ignore SA1029 the key aws-lambda-go uses
	ctx := context.WithValue(context.Background(), "x-amzn-trace-id", "Root=1-aaaa;Sampled=0")
	second := invocationLine(t, r, &logs, ctx, ev)
	assert.Equal(t, false, second["cold_start"])
	assert.Equal(t, "Root=1-aaaa;Sampled=0", second["xray_trace_id"])
}

// The checker can fail: each broken copy of a real line is refused.
func TestCheckEMFRefusesBrokenLines(t *testing.T) {
	var logs bytes.Buffer
	r := NewRouter(WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	r.HandlePreAuthentication(func(context.Context, *PreAuthenticationEvent) error {
		return Refuse(messages.CodeAccountDisabled, "test")
	})
	good := invocationLine(t, r, &logs, context.Background(),
		[]byte(`{"triggerSource":"PreAuthentication_Authentication","userPoolId":"p","request":{}}`))
	directive := func(l map[string]any) map[string]any {
		return l["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	}
	manyDims := make([]any, 31)
	for i := range manyDims {
		manyDims[i] = "trigger"
	}
	manyMetrics := make([]any, 101)
	for i := range manyMetrics {
		manyMetrics[i] = map[string]any{"Name": "Invocations"}
	}
	cases := map[string]func(l map[string]any){
		"no _aws":                    func(l map[string]any) { delete(l, "_aws") },
		"timestamp a string":         func(l map[string]any) { l["_aws"].(map[string]any)["Timestamp"] = "2026-11-23T16:00:00Z" },
		"timestamp fractional":       func(l map[string]any) { l["_aws"].(map[string]any)["Timestamp"] = 1.5 },
		"no directives array":        func(l map[string]any) { l["_aws"].(map[string]any)["CloudWatchMetrics"] = map[string]any{} },
		"no namespace":               func(l map[string]any) { delete(directive(l), "Namespace") },
		"dimension set not an array": func(l map[string]any) { directive(l)["Dimensions"] = []any{"trigger"} },
		"dimension member missing":   func(l map[string]any) { delete(l, "trigger") },
		"dimension member a number":  func(l map[string]any) { l["outcome"] = 3 },
		"31 dimensions":              func(l map[string]any) { directive(l)["Dimensions"] = []any{manyDims} },
		"metric member missing":      func(l map[string]any) { delete(l, "Invocations") },
		"metric member a string":     func(l map[string]any) { l["Latency"] = "12ms" },
		"metric unit unknown":        func(l map[string]any) { directive(l)["Metrics"].([]any)[0].(map[string]any)["Unit"] = "Millis" },
		"metric without a name":      func(l map[string]any) { delete(directive(l)["Metrics"].([]any)[0].(map[string]any), "Name") },
		"101 metrics":                func(l map[string]any) { directive(l)["Metrics"] = manyMetrics },
		"101 values":                 func(l map[string]any) { l["Invocations"] = make([]any, 101) },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			var l map[string]any
			b, _ := json.Marshal(good)
			require.NoError(t, json.Unmarshal(b, &l)) // a deep copy
			breakIt(l)
			b, err := json.Marshal(l)
			require.NoError(t, err)
			assert.NotEmpty(t, checkEMF(b), "%s", b)
		})
	}
	b, _ := json.Marshal(good)
	assert.Empty(t, checkEMF(b), "the unbroken copy passes")
	assert.NotEmpty(t, checkEMF([]byte(`{"_aws":`)), "a cut line")
}

func toStrings(sets []any) [][]string {
	var out [][]string
	for _, s := range sets {
		var set []string
		for _, d := range s.([]any) {
			set = append(set, d.(string))
		}
		out = append(out, set)
	}
	return out
}

// TestEMFMarshalsAsTheTags: emfMetadata's own MarshalJSON writes what
// encoding/json writes from the field tags, byte for byte, both through
// json.Marshal and as slog's JSON handler encodes (no HTML escaping).
func TestEMFMarshalsAsTheTags(t *testing.T) {
	type tagged emfMetadata // the same fields and tags, without the method
	for name, m := range map[string]emfMetadata{
		"no directives":    {Timestamp: 1},
		"empty directives": {Timestamp: 2, CloudWatchMetrics: []emfDirective{}},
		"the usual": {Timestamp: 1764000000000, CloudWatchMetrics: []emfDirective{
			{Namespace: Namespace, Dimensions: [][]string{{DimTrigger}}, Metrics: []emfMetric{{Name: MetricInvocations, Unit: "Count"}, {Name: MetricLatency, Unit: "Milliseconds"}}},
			{Namespace: Namespace, Dimensions: [][]string{{DimTrigger, DimOutcome}, {}}, Metrics: []emfMetric{{Name: "NoUnit"}}},
		}},
		"nils inside": {Timestamp: 3, CloudWatchMetrics: []emfDirective{{Dimensions: [][]string{nil, {"a"}}}}},
		"words to escape": {Timestamp: -4, CloudWatchMetrics: []emfDirective{{
			Namespace: "a\"b\\c", Dimensions: [][]string{{"tab\there", "é", "<&>", "\u2028", "\x7f", "bad \xff utf-8"}},
			Metrics: []emfMetric{{Name: "<b>", Unit: "\n"}},
		}}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(m)
			require.NoError(t, err)
			want, err := json.Marshal(tagged(m))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))

			var gotBuf, wantBuf bytes.Buffer
			for buf, v := range map[*bytes.Buffer]any{&gotBuf: m, &wantBuf: tagged(m)} {
				enc := json.NewEncoder(buf)
				enc.SetEscapeHTML(false)
				require.NoError(t, enc.Encode(v))
			}
			assert.Equal(t, wantBuf.String(), gotBuf.String())
		})
	}
}

// TestMetricValueWritesAsAFloat: a metric value goes on the line with the
// same bytes as slog.Float64 would write, integral or not.
func TestMetricValueWritesAsAFloat(t *testing.T) {
	line := func(a slog.Attr) string {
		var b bytes.Buffer
		slog.New(slog.NewJSONHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.MessageKey {
				return slog.Attr{}
			}
			return a
		}})).LogAttrs(context.Background(), slog.LevelInfo, "", a)
		return b.String()
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1, 3, 42, 1 << 52, 1<<53 - 1, 1 << 53, 1<<53 + 2, 1e15, 1e20, 1e21, 1e22,
		-1, -7, 2.5, 0.1, 1.0000001, 1e-7, 123.456, math.MaxInt64, math.MinInt64} {
		assert.Equal(t, line(slog.Float64("m", v)), line(metricValue("m", v)), "%v", v)
	}
	assert.Equal(t, slog.KindInt64, metricValue("m", 1).Value.Kind(), "a count goes as an integer")
	assert.Equal(t, slog.KindFloat64, metricValue("m", 2.5).Value.Kind())
}

// TestEMFShapesWriteTheirDirectives: the line's _aws block, whose
// CloudWatchMetrics array is written once per set of published metrics
// (emfShapes), holds the bytes encoding/json writes from the tags for every
// such set.
func TestEMFShapesWriteTheirDirectives(t *testing.T) {
	require.LessOrEqual(t, len(Metrics), 64, "a shape is a uint64 with one bit per metric")
	type tagged emfMetadata
	for shape := uint64(0); shape < 1<<len(Metrics); shape++ {
		got, err := json.Marshal(emfMetadata{Timestamp: 1764000000000, directives: emfShapes.directives(shape)})
		require.NoError(t, err)
		want, err := json.Marshal(tagged{Timestamp: 1764000000000, CloudWatchMetrics: directivesOf(shape)})
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "shape %b", shape)
	}
	// Metrics sharing dimension sets share a directive, in Metrics' order.
	all := directivesOf(1<<len(Metrics) - 1)
	require.NotEmpty(t, all)
	assert.Equal(t, [][]string{{DimTrigger}, {DimTrigger, DimOutcome}}, all[0].Dimensions)
	assert.Equal(t, []emfMetric{{MetricInvocations, "Count"}, {MetricLatency, "Milliseconds"}}, all[0].Metrics)
}
