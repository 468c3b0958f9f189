//go:build poolside.lambda && !poolside.fn

package main

import (
	"context"
	"errors"
	"io"
)

// cmdDoctor is a command-line tool; the Lambda artifacts leave it out.
func cmdDoctor(context.Context, []string, io.Writer) error {
	return errors.New("doctor is not part of the Lambda build: run a local poolside binary (go build ./cmd/poolside)")
}
