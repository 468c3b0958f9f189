package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLambdaGCSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want gcSettings
	}{
		{"Lambda's variables only", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"},
			gcSettings{gcPercent: 200, limit: 241591910}}, // 0.9 × 256 MiB, rounded
		{"GOGC set: the runtime's", map[string]string{"GOGC": "100", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"},
			gcSettings{gcPercent: -1, limit: 483183821}},
		{"GOGC=off is set too", map[string]string{"GOGC": "off", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"},
			gcSettings{gcPercent: -1, limit: 120795955}},
		{"GOMEMLIMIT set: the runtime's", map[string]string{"GOMEMLIMIT": "100MiB", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"},
			gcSettings{gcPercent: 200, limit: -1}},
		{"no memory size", map[string]string{}, gcSettings{gcPercent: 200, limit: -1}},
		{"a size that is no number", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256MB"}, gcSettings{gcPercent: 200, limit: -1}},
		{"a size of nothing", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "0"}, gcSettings{gcPercent: 200, limit: -1}},
		{"a size no function has", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "9223372036854775807"}, gcSettings{gcPercent: 200, limit: -1}},
		{"the largest size", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "10240"}, gcSettings{gcPercent: 200, limit: 9663676416}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lambdaGCSettings(func(k string) string { return tc.env[k] })
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLambdaGCApplies(t *testing.T) {
	before, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(before); debug.SetMemoryLimit(limit) })

	lambdaGC(func(k string) string { return map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}[k] })
	assert.Equal(t, lambdaGCPercent, debug.SetGCPercent(100))
	assert.Equal(t, int64(241591910), debug.SetMemoryLimit(-1))

	debug.SetMemoryLimit(1 << 40)
	lambdaGC(func(k string) string { return map[string]string{"GOGC": "100", "GOMEMLIMIT": "1TiB"}[k] })
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC set: left alone")
	assert.Equal(t, int64(1<<40), debug.SetMemoryLimit(-1), "GOMEMLIMIT set: left alone")
}
