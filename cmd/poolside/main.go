// Command poolside is the Cognito user-pool trigger suite: the Lambda
// function itself (when AWS_LAMBDA_RUNTIME_API is set), a local Lambda
// Invoke API (serve), a one-shot invoker (invoke) and the admin commands.
// It only wires: configuration comes from package config, and the work
// happens in triggers, messages, profilestore, migration and userapi. The
// local Invoke API (invokeapi.go) lives here because Lambda never uses it.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/poolside-io/poolside/config"
	_ "github.com/poolside-io/poolside/internal/deepstack" // first, to grow the main goroutine before the package inits that recurse
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
		lambdaGC(os.Getenv)
		lambdaRoots(os.Getenv, os.Stat)
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
	return runCommand(args, stdin, stdout, stderr)
}

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
	switch a.Value.Kind() {
	case slog.KindString:
		s = a.Value.String()
	case slog.KindAny: // only here can an error be; numbers, times and groups are left alone unboxed
		err, ok := a.Value.Any().(error)
		if !ok {
			return a
		}
		s = err.Error()
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
