package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore"
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
func cmdProfile(ctx context.Context, args []string, stdout io.Writer) error {
	const use = "usage: poolside profile get <id|email|@handle> | set-status <id> CONFIRMED|SUSPENDED|DISABLED | set-role <id> ROLE | badge add|remove <id> NAME"
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
