package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/poolside-io/poolside/config"
)

// BenchmarkColdStart is the work a new Lambda instance does before its first
// event: read the configuration and wire every trigger (no network calls, no
// SDK clients on the embedded default).
func BenchmarkColdStart(b *testing.B) {
	env := config.MapEnv(goldenEnv)
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.FromEnv(env)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := wire(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWarm is P2 of the README's performance table: one warm invocation
// through lambda.NewHandler(...).Invoke — the JSON path Lambda uses — on the
// golden configuration with the memory store, reported as p50 and p99 (the
// tail is what a user waits for). "json-roundtrip" is the floor: decoding
// the same PreTokenGeneration event into a map and encoding it again.
//
// It runs as the artifacts do: with one P (GOMAXPROCS=1, which every recipe
// sets), the collector's lambdaGCPercent (gc.go) and the trigger artifacts'
// handler, the router (triggerHandler).
func BenchmarkWarm(b *testing.B) {
	h := lambda.NewHandler(triggerHandler{benchApp(b, goldenEnv)})
	for _, name := range []string{"PreSignUp_SignUp", "TokenGeneration_Authentication.v2", "CustomMessage_SignUp", "json-roundtrip"} {
		file := name
		if name == "json-roundtrip" {
			file = "TokenGeneration_Authentication.v2"
		}
		payload, err := os.ReadFile(filepath.Join(fixturesDir, "events", file+".json"))
		if err != nil {
			b.Fatal(err)
		}
		invoke := func() error { _, err := h.Invoke(context.Background(), payload); return err }
		if name == "json-roundtrip" {
			invoke = func() error {
				var ev map[string]any
				if err := json.Unmarshal(payload, &ev); err != nil {
					return err
				}
				_, err := json.Marshal(ev)
				return err
			}
		}
		b.Run(name, func(b *testing.B) {
			// Here, not above: testing sets GOMAXPROCS to -test.cpu's value
			// before each benchmark function, this one's included.
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			defer debug.SetGCPercent(debug.SetGCPercent(lambdaGCPercent))
			if err := invoke(); err != nil { // the first call creates the profile PreTokenGeneration reads
				b.Fatal(err)
			}
			b.ReportAllocs()
			samples := make([]time.Duration, 0, 1<<16)
			for b.Loop() {
				start := time.Now()
				if err := invoke(); err != nil {
					b.Fatal(err)
				}
				samples = append(samples, time.Since(start))
			}
			slices.Sort(samples)
			b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(samples[len(samples)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
}
