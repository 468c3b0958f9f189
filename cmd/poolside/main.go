// Command poolside is the Cognito user-pool trigger suite: the Lambda
// function itself (when AWS_LAMBDA_RUNTIME_API is set), a local Lambda
// Invoke API (serve), a one-shot invoker (invoke) and the admin commands.
// It only wires: configuration comes from package config, and the work
// happens in triggers, messages, profilestore, migration and userapi. The
// local Invoke API (invokeapi.go) lives here because Lambda never uses it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/poolside-io/poolside/config"
)

const usage = `poolside — Amazon Cognito user-pool triggers

Usage:
  poolside                         run as the Lambda function (AWS_LAMBDA_RUNTIME_API set)
  poolside serve [--addr A] [--pin name=Trigger]... [--portal-config FILE]
                                   serve the Lambda Invoke API locally (default 127.0.0.1:9001),
                                   the User API under /api and the portal under /portal/
  poolside invoke                  event JSON on stdin → response event on stdout
  poolside table create            create the profile table (POOLSIDE_PROFILE_STORE=dynamodb://TABLE),
                                   waiting until it is active
  poolside profile get <id|email|@handle>
  poolside profile set-status <id> CONFIRMED|SUSPENDED|DISABLED
  poolside profile set-role <id> ROLE
  poolside profile set-tenant <id> TENANT
  poolside profile backfill --user-pool-id ID [--endpoint-url URL]
                                   a profile for every confirmed user who has none (attach time)
  poolside profile badge add|remove <id> NAME
  poolside doctor --pool-id ID [--json] [--endpoint-url URL]
                                   check a pool against its functions' configuration (read-only; exit 1 on errors)
  poolside preview [--out preview] write every CustomMessage source × locale as .html/.txt
  poolside migrate export --source URL --out users.csv [--header header.csv] [--skip-migrated]

Configuration is read from POOLSIDE_* environment variables (see README.md).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if os.Getenv("AWS_LAMBDA_RUNTIME_API") == "" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		a, err := newApp(config.OSEnv, os.Stdout)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		// No lambda.WithEnableSIGTERM: with no handler to run it only cost a
		// synchronous Extensions API registration at every cold start.
		lambda.Start(lambdaHandler{a})
		return 0
	}
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

// newLogger is the JSON logger every mode uses. Long values are cut (see
// cutLongValue): a hostile event cannot make a log line of megabytes.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: cutLongValue}))
}

// Longest value a log line keeps, in bytes: a panic's stack gets more room.
const (
	maxLogValue = 512
	maxLogStack = 8 << 10
)

// cutLongValue keeps the start of a long string (or error) value and says how
// long it was: "Nope_Nope_Nope… (cut, 1048576 bytes)".
func cutLongValue(_ []string, a slog.Attr) slog.Attr {
	limit := maxLogValue
	if a.Key == "stack" {
		limit = maxLogStack
	}
	var s string
	switch v := a.Value.Any().(type) {
	case string:
		s = v
	case error:
		s = v.Error()
	default:
		return a
	}
	if len(s) <= limit {
		return a
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return slog.String(a.Key, fmt.Sprintf("%s… (cut, %d bytes)", s[:cut], len(s)))
}
