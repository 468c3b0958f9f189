//go:build !poolside.fn

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
)

// adminApp builds the app for an admin command, logging to nowhere.
func adminApp() (*app, error) {
	cfg, err := config.FromEnv(config.OSEnv)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, log: newLogger(io.Discard, cfg.LogLevel), awsOnce: awsLoader(cfg)}, nil
}

// cmdTable runs "poolside table create".
func cmdTable(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "create" {
		return usagef("usage: poolside table create   (creates the table of POOLSIDE_PROFILE_STORE=dynamodb://TABLE)")
	}
	a, err := adminApp()
	if err != nil {
		return err
	}
	table, err := config.TableName(a.cfg.ProfileStore)
	if err != nil {
		return err
	}
	if table == "" {
		return usagef("POOLSIDE_PROFILE_STORE is memory: set it to dynamodb://TABLE")
	}
	db, err := a.dynamoClient()
	if err != nil {
		return err
	}
	created, err := profilestore.CreateTable(ctx, db, table)
	if err != nil {
		return err
	}
	return writeOut(stdout, map[string]any{"table": table, "created": created, "status": "ACTIVE"})
}

// cmdProfile runs the profile admin commands against the configured store.
func cmdProfile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: poolside profile get <id|email|@handle> | set-status <id> CONFIRMED|SUSPENDED|DISABLED | set-role <id> ROLE | set-tenant <id> TENANT | badge add|remove <id> NAME | backfill --user-pool-id ID [--endpoint-url URL]"
	if len(args) == 0 {
		return usagef(use)
	}
	a, err := adminApp()
	if err != nil {
		return err
	}
	if t, _ := config.TableName(a.cfg.ProfileStore); t == "" {
		return usagef("POOLSIDE_PROFILE_STORE is memory, which lives inside one process: set it to dynamodb://TABLE")
	}
	if args[0] == "backfill" {
		return cmdBackfill(ctx, a, args[1:], stdout, stderr)
	}
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	var p profilestore.Profile
	switch {
	case args[0] == "get" && len(args) == 2:
		p, err = lookup(ctx, store, args[1])
	case args[0] == "set-status" && len(args) == 3:
		p, err = profilestore.SetStatus(ctx, store, args[1], profilestore.Status(strings.ToUpper(args[2])))
	case args[0] == "set-role" && len(args) == 3:
		p, err = profilestore.SetRole(ctx, store, args[1], args[2])
	case args[0] == "set-tenant" && len(args) == 3:
		p, err = profilestore.SetTenant(ctx, store, args[1], args[2])
	case args[0] == "badge" && len(args) == 4 && args[1] == "add":
		p, err = profilestore.AddBadge(ctx, store, args[2], args[3])
	case args[0] == "badge" && len(args) == 4 && args[1] == "remove":
		p, err = profilestore.RemoveBadge(ctx, store, args[2], args[3])
	default:
		return usagef(use)
	}
	if err != nil {
		return err
	}
	return writeOut(stdout, p)
}

// errBackfillFailed makes `poolside profile backfill` exit 1 after its report.
var errBackfillFailed = errors.New("some users have no profile (see the failed lines above); run it again once the cause is fixed")

// cmdBackfill runs "poolside profile backfill --user-pool-id ID": a profile
// for every existing user of the pool who has none yet (attach time), by the
// rules the sign-in triggers follow (triggers.Backfill). Progress goes to
// stderr, the counts to stdout as JSON; exit 1 when a user failed.
func cmdBackfill(ctx context.Context, a *app, args []string, stdout, stderr io.Writer) error {
	const use = "usage: poolside profile backfill --user-pool-id POOL_ID [--endpoint-url URL] [--page-size 1-60]"
	fs := flag.NewFlagSet("profile backfill", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	poolID := fs.String("user-pool-id", "", "the user pool whose users get a profile (required)")
	endpoint := fs.String("endpoint-url", "", "Cognito endpoint (local servers such as moto_server; default POOLSIDE_COGNITO_ENDPOINT)")
	pageSize := fs.Int("page-size", 60, "users per ListUsers page (1-60)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v\n%s", err, use)
	}
	if *poolID == "" || fs.NArg() > 0 || *pageSize < 1 || *pageSize > 60 {
		return usagef(use)
	}
	if *endpoint != "" {
		a.cfg.CognitoEndpoint = *endpoint
		a.awsOnce = awsLoader(a.cfg) // dummy credentials for a local endpoint
	}
	store, err := a.profileStore()
	if err != nil {
		return err
	}
	idp, err := a.cognitoAdmin()
	if err != nil {
		return err
	}
	b := triggers.Backfill{
		Policy:   a.cfg.Profiles.Policy(),
		Store:    store,
		Users:    idp,
		PageSize: int32(*pageSize),
		User: func(user string, o triggers.BackfillOutcome, detail string) {
			if o == triggers.BackfillSkipped || o == triggers.BackfillFailed {
				fmt.Fprintf(stderr, "%s %s: %s\n", o, user, detail)
			}
		},
		Page: func(n triggers.BackfillCounts) { fmt.Fprintln(stderr, backfillProgress(n)) },
	}
	// as in the triggers: Cognito reclaims a deleted user's email guard and
	// adds an adopted migrated user to its groups, unless POOLSIDE_ADD_TO_GROUP=false
	if a.cfg.Profiles.AddToGroup || os.Getenv("POOLSIDE_ADD_TO_GROUP") == "" {
		b.Cognito = idp
	}
	n, err := b.Run(ctx, *poolID)
	fmt.Fprintln(stderr, backfillProgress(n))
	if err != nil {
		return err
	}
	if werr := writeOut(stdout, n); werr != nil {
		return werr
	}
	if n.Failed > 0 {
		return errBackfillFailed
	}
	return nil
}

func backfillProgress(n triggers.BackfillCounts) string {
	return fmt.Sprintf("backfill: seen %d, created %d, existing %d, skipped %d, failed %d",
		n.Seen, n.Created, n.Existing, n.Skipped, n.Failed)
}

// lookup finds a profile by id, email (contains @ after the first
// character) or handle (starts with @).
func lookup(ctx context.Context, s profilestore.Reader, q string) (profilestore.Profile, error) {
	switch {
	case strings.HasPrefix(q, "@"):
		return s.GetByHandle(ctx, q)
	case strings.Contains(q, "@"):
		return s.GetByEmail(ctx, q)
	default:
		return s.Get(ctx, q)
	}
}

func writeOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
