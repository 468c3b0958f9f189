package main

import (
	"context"
	"io"
)

func cmdTable(ctx context.Context, args []string, stdout io.Writer) error   { return usagef("not written yet") }
func cmdProfile(ctx context.Context, args []string, stdout io.Writer) error { return usagef("not written yet") }
