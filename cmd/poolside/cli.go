//go:build !poolside.fn

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// runCommand runs a command-line command. The single-function Lambda artifacts
// (-tags poolside.fn) leave the commands out: see cli_fn.go.
func runCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, rest, stderr)
	case "invoke":
		return cmdInvoke(ctx, stdin, stdout, stderr)
	case "table":
		err = cmdTable(ctx, rest, stdout)
	case "profile":
		err = cmdProfile(ctx, rest, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "doctor":
		err = cmdDoctor(ctx, rest, stdout)
	case "preview":
		err = cmdPreview(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "poolside: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "poolside %s: %v\n", cmd, err)
			return 2
		}
		fmt.Fprintf(stderr, "poolside %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// usageError is a command-line mistake (exit 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }
