//go:build poolside.fn

package main

import (
	"fmt"
	"io"
)

// runCommand: a single-function Lambda artifact (-tags poolside.fn) has no
// commands; they are in the poolside binary (go build ./cmd/poolside).
func runCommand(args []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintf(stderr, "poolside: %q: this is a single-function Lambda artifact (%s); the commands are in the poolside binary (go build ./cmd/poolside)\n", args[0], builtTriggers())
	return 2
}
