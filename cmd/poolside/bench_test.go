package main

import (
	"io"
	"log/slog"
	"testing"

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
