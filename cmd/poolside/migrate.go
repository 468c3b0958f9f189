package main

import (
	"context"
	"io"
)

// cmdMigrate runs "poolside migrate export …" (not written yet).
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("not written yet")
}
