package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Namespace is the CloudWatch namespace of poolside's metrics.
const Namespace = "poolside"

// Metric is one CloudWatch metric the invocation log line carries in the
// Embedded Metric Format: CloudWatch Logs extracts it from the line itself,
// without a call from the function.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
type Metric struct {
	Name string
	Unit string
	// Dimensions are the dimension sets the metric is published under; each
	// dimension is a top-level string member of the log line.
	Dimensions [][]string
	// Always: the line carries the metric on every invocation (0 when
	// nothing happened), not only when the handler counted it.
	Always bool
	Doc    string
}

// Dimension names: top-level members of the log line, each with a short,
// fixed list of values (a dimension value makes a metric of its own).
const (
	DimTrigger         = "trigger"         // a Trigger, "unknown" for an event that names none
	DimOutcome         = "outcome"         // ok, refused, rejected, error
	DimRefusalCode     = "refusalCode"     // a messages.Code
	DimHashFormat      = "hashFormat"      // a migration.Formats name, "external", "none"
	DimMigrationResult = "migrationResult" // migrationResults
)

// Metric names.
const (
	MetricInvocations       = "Invocations"
	MetricLatency           = "Latency"
	MetricRefusals          = "Refusals"
	MetricMigrations        = "Migrations"
	MetricBreachedPasswords = "BreachedPasswords"
	MetricLinks             = "Links"
	MetricMessageFallbacks  = "MessageFallbacks"
	MetricStoreRetries      = "StoreRetries"
)

// Metrics lists every metric of the invocation line (the README's list).
var Metrics = []Metric{
	{MetricInvocations, "Count", [][]string{{DimTrigger}, {DimTrigger, DimOutcome}}, true, "every invocation"},
	{MetricLatency, "Milliseconds", [][]string{{DimTrigger}, {DimTrigger, DimOutcome}}, true, "the router's time from event to answer"},
	{MetricRefusals, "Count", [][]string{{DimRefusalCode}}, false, "a refusal the user reads, by its code"},
	{MetricMigrations, "Count", [][]string{{DimHashFormat, DimMigrationResult}}, false, "a legacy password check (UserMigration_Authentication)"},
	{MetricBreachedPasswords, "Count", [][]string{{DimTrigger}}, false, "a verified legacy password known from breaches"},
	{MetricLinks, "Count", [][]string{{DimTrigger}}, false, "a federated identity linked to a native user"},
	{MetricMessageFallbacks, "Count", [][]string{{DimTrigger}}, false, "a message rendered with a fallback, or left to Cognito's default"},
	{MetricStoreRetries, "Count", [][]string{{DimTrigger}}, true, "DynamoDB calls retried by the SDK"},
}

// Migration results (DimMigrationResult).
const (
	migrationVerified      = "verified"
	migrationWrongPassword = "wrong_password"
	migrationNotFound      = "not_found"
	migrationHashProblem   = "hash_problem"
	migrationDisabled      = "disabled"
)

// count adds n to the invocation's metric name.
func count(ctx context.Context, name string, n float64) {
	if r, ok := ctx.Value(recordKey{}).(*record); ok {
		r.mu.Lock()
		if i := fieldIndex(r.counts, name); i >= 0 {
			r.counts[i].value += n
		} else {
			r.counts = append(r.counts, metricField[float64]{name, n})
		}
		r.mu.Unlock()
	}
}

// dimension sets a dimension of the invocation's line.
func dimension(ctx context.Context, name, value string) {
	if r, ok := ctx.Value(recordKey{}).(*record); ok {
		r.mu.Lock()
		if i := fieldIndex(r.dims, name); i >= 0 {
			r.dims[i].value = value
		} else {
			r.dims = append(r.dims, metricField[string]{name, value})
		}
		r.mu.Unlock()
	}
}

// metricField is one of a line's metric values (float64) or dimensions
// (string), kept in small slices that start in the record itself (a line has
// two to five of each): two maps per invocation were a sixth of what
// PreSignUp allocated.
type metricField[V any] struct {
	name  string
	value V
}

// fieldIndex is the index of name in fields, or -1.
func fieldIndex[V any](fields []metricField[V], name string) int {
	return slices.IndexFunc(fields, func(f metricField[V]) bool { return f.name == name })
}

// CountStoreRetry counts one retried profile store call (DynamoDB) on the
// invocation's line; the AWS SDK's retryer calls it.
func CountStoreRetry(ctx context.Context) { count(ctx, MetricStoreRetries, 1) }

// emfDirective is one CloudWatchMetrics entry of the _aws block.
type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit,omitempty"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
	// directives, when set, is CloudWatchMetrics already written (emfShapes).
	directives []byte
}

// MarshalJSON writes the block as encoding/json would from the field tags
// (TestEMFMarshalsAsTheTags compares), without its reflection: the block is
// on every invocation's line, and the first line of a cold start paid for
// encoding/json's look at the three types (≈ 0.05 ms).
func (m emfMetadata) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64+max(len(m.directives), 512)) // a usual block is ≈ 300 bytes: no growing
	b = append(b, `{"Timestamp":`...)
	b = strconv.AppendInt(b, m.Timestamp, 10)
	b = append(b, `,"CloudWatchMetrics":`...)
	if m.directives != nil {
		b = append(b, m.directives...)
	} else {
		b = appendDirectives(b, m.CloudWatchMetrics)
	}
	return append(b, '}'), nil
}

func appendDirectives(b []byte, directives []emfDirective) []byte {
	return appendJSONArray(b, directives, func(b []byte, d emfDirective) []byte {
		b = append(b, `{"Namespace":`...)
		b = appendJSONString(b, d.Namespace)
		b = append(b, `,"Dimensions":`...)
		b = appendJSONArray(b, d.Dimensions, func(b []byte, set []string) []byte {
			return appendJSONArray(b, set, appendJSONString)
		})
		b = append(b, `,"Metrics":`...)
		b = appendJSONArray(b, d.Metrics, func(b []byte, metric emfMetric) []byte {
			b = append(b, `{"Name":`...)
			b = appendJSONString(b, metric.Name)
			if metric.Unit != "" {
				b = append(b, `,"Unit":`...)
				b = appendJSONString(b, metric.Unit)
			}
			return append(b, '}')
		})
		return append(b, '}')
	})
}

// appendJSONArray appends items as a JSON array, each written by item; a nil
// slice is null, as encoding/json writes it.
func appendJSONArray[T any](b []byte, items []T, item func([]byte, T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = item(b, v)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string. Names, units and the
// namespace are poolside's own printable ASCII words, written as they are;
// anything else is escaped by encoding/json, without HTML escaping, as slog's
// JSON handler writes (a string needs no reflection of a struct type).
func appendJSONString(b []byte, s string) []byte {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			var q bytes.Buffer
			enc := json.NewEncoder(&q)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // a string always encodes
			return append(b, bytes.TrimSuffix(q.Bytes(), []byte("\n"))...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

// emf appends to dst the attributes that make the line an Embedded Metric
// Format record: the dimension values, the metric values and the _aws block
// naming them. Every dimension value is written; a metric is published only
// when each dimension it needs has one.
func emf(dst []slog.Attr, at time.Time, dims []metricField[string], values []metricField[float64]) []slog.Attr {
	var shape uint64 // bit i: Metrics[i] is published
	for i, m := range Metrics {
		var v float64
		if j := fieldIndex(values, m.Name); j >= 0 {
			v = values[j].value
		} else if !m.Always {
			continue
		}
		if !hasDims(dims, m.Dimensions) {
			continue
		}
		dst = append(dst, metricValue(m.Name, v))
		shape |= 1 << i
	}
	slices.SortFunc(dims, func(a, b metricField[string]) int { return strings.Compare(a.name, b.name) })
	for _, d := range dims {
		dst = append(dst, slog.String(d.name, d.value))
	}
	if shape == 0 {
		return dst
	}
	return append(dst, slog.Any("_aws", emfMetadata{Timestamp: at.UnixMilli(), directives: emfShapes.directives(shape)}))
}

// emfShapes holds the CloudWatchMetrics array of each set of published
// metrics, written once: a line's array depends only on which metrics it
// publishes, and building it was most of the line's cost.
var emfShapes = shapeCache{written: map[uint64][]byte{}}

type shapeCache struct {
	mu      sync.Mutex
	written map[uint64][]byte
}

func (c *shapeCache) directives(shape uint64) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.written[shape]; ok {
		return b
	}
	b := appendDirectives(nil, directivesOf(shape))
	c.written[shape] = b
	return b
}

// directivesOf groups the metrics of shape by their dimension sets, in
// Metrics' order.
func directivesOf(shape uint64) []emfDirective {
	var directives []emfDirective
	for i, m := range Metrics {
		if shape&(1<<i) == 0 {
			continue
		}
		j := slices.IndexFunc(directives, func(d emfDirective) bool {
			return slices.EqualFunc(d.Dimensions, m.Dimensions, slices.Equal)
		})
		if j < 0 {
			directives = append(directives, emfDirective{Namespace: Namespace, Dimensions: m.Dimensions})
			j = len(directives) - 1
		}
		directives[j].Metrics = append(directives[j].Metrics, emfMetric{Name: m.Name, Unit: m.Unit})
	}
	return directives
}

// metricValue is slog.Float64(name, v), written the same: slog's JSON handler
// formats a float through encoding/json (its first call on a cold start is
// ≈ 9 K instructions, and each later one allocates), an integer with strconv,
// and encoding/json writes an integral float below 1e21 as the integer. So
// an integral value (a count) goes as an Int64; -0 and anything not exactly
// an integer of at most 2^53 stays a float.
func metricValue(name string, v float64) slog.Attr {
	if i := int64(v); float64(i) == v && i > -1<<53 && i < 1<<53 && (v != 0 || !math.Signbit(v)) {
		return slog.Int64(name, i)
	}
	return slog.Float64(name, v)
}

func hasDims(dims []metricField[string], sets [][]string) bool {
	for _, set := range sets {
		for _, d := range set {
			if i := fieldIndex(dims, d); i < 0 || dims[i].value == "" {
				return false
			}
		}
	}
	return true
}

// traceID is the invocation's X-Ray trace header: aws-lambda-go puts it in
// the context and in _X_AMZN_TRACE_ID, as Lambda's own runtimes do.
func traceID(ctx context.Context) string {
	if s, ok := ctx.Value("x-amzn-trace-id").(string); ok && s != "" {
		return s
	}
	return os.Getenv("_X_AMZN_TRACE_ID")
}
