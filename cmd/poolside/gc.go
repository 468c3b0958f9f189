package main

import (
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// lambdaGCPercent is the heap growth a Lambda artifact lets the garbage
// collector allow between cycles when GOGC is not set: 200, where Go's default
// is 100. A warm invocation allocates 7–16 KB; at 100 a cycle ran every few
// hundred invocations and overlapped enough of them to set the p99 (README
// "Performance", P2: at 100, PreSignUp 98–108 µs, PreTokenGeneration 135–142
// µs; at 200, 69–74 µs and 89–96 µs). The cost is heap: peak RSS after 1,000
// mixed invocations goes from 15–23 MB to 19–27 MB (P5), in functions of 256
// MB and more.
const lambdaGCPercent = 200

// lambdaMemoryShare is the share of the function's memory (MemorySize, which
// Lambda passes as AWS_LAMBDA_FUNCTION_MEMORY_SIZE) that the Go runtime takes
// as its soft memory limit when GOMEMLIMIT is not set. Near it the collector
// runs as often as it must: a live heap that grows (a large legacy file
// loaded by UserMigration's file source) meets a collector working harder
// instead of an out-of-memory kill, whatever lambdaGCPercent allows.
const lambdaMemoryShare = 0.9

// gcSettings is what lambdaGC sets: gcPercent < 0 and limit < 0 leave the
// runtime's value alone (the environment set it, or nothing says the size).
type gcSettings struct {
	gcPercent int
	limit     int64 // bytes
}

// lambdaGCSettings decides the collector's settings for a Lambda execution
// environment from its variables. GOGC and GOMEMLIMIT, when set, are the
// runtime's to read, and win.
func lambdaGCSettings(getenv func(string) string) gcSettings {
	s := gcSettings{gcPercent: -1, limit: -1}
	if getenv("GOGC") == "" {
		s.gcPercent = lambdaGCPercent
	}
	if getenv("GOMEMLIMIT") == "" {
		mb, err := strconv.ParseInt(strings.TrimSpace(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")), 10, 64)
		if err == nil && mb > 0 && mb <= 1<<20 { // Lambda's sizes are 128 MB to 10,240 MB
			s.limit = int64(math.Round(float64(mb<<20) * lambdaMemoryShare))
		}
	}
	return s
}

// lambdaGC applies lambdaGCSettings. It runs before anything else in the
// Lambda path: neither call allocates or stops the world.
func lambdaGC(getenv func(string) string) {
	s := lambdaGCSettings(getenv)
	if s.gcPercent >= 0 {
		debug.SetGCPercent(s.gcPercent)
	}
	if s.limit >= 0 {
		debug.SetMemoryLimit(s.limit)
	}
}
