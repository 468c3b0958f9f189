//go:build !poolside.fn

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/profilestore"
)

// cmdMigrate runs "poolside migrate export --source URL --out users.csv
// [--header header.csv] [--skip-migrated]": the legacy users who never signed
// in, as a Cognito user-import CSV. Skipped rows go to stderr with their
// reason; the counts go to stdout as JSON.
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: poolside migrate export --source URL --out users.csv [--header header.csv] [--skip-migrated]"
	if len(args) == 0 || args[0] != "export" {
		return usagef(use)
	}
	fs := flag.NewFlagSet("migrate export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	source := fs.String("source", "", "legacy source URL (default POOLSIDE_LEGACY_SOURCE)")
	out := fs.String("out", "", "CSV file to write")
	headerPath := fs.String("header", "", "CSV header: GetCSVHeader's JSON output or one CSV line (default: standard attributes)")
	skipMigrated := fs.Bool("skip-migrated", false, "leave out users whose profile exists in POOLSIDE_PROFILE_STORE")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v\n%s", err, use)
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef(use)
	}
	a, err := adminApp()
	if err != nil {
		return err
	}
	if *source != "" {
		a.cfg.LegacySource = *source
	}
	src, err := a.legacySource()
	if err != nil {
		return err
	}
	opts := migration.ExportOptions{
		Skipped: func(u migration.User, reason string) { fmt.Fprintf(stderr, "skipped %s: %s\n", u.Username, reason) },
	}
	if *headerPath != "" {
		f, err := os.Open(*headerPath)
		if err != nil {
			return err
		}
		opts.Header, err = migration.ReadHeader(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if *skipMigrated {
		store, err := a.profileStore()
		if err != nil {
			return err
		}
		opts.Migrated = func(ctx context.Context, u migration.User) (bool, error) {
			if u.Email == "" {
				return false, nil
			}
			_, err := store.GetByEmail(ctx, u.Email)
			switch {
			case err == nil:
				return true, nil
			case errors.Is(err, profilestore.ErrNotFound):
				return false, nil
			}
			return false, err
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	stats, err := migration.Export(ctx, src, f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return writeOut(stdout, map[string]any{"out": *out, "read": stats.Read, "exported": stats.Exported, "skipped": stats.Skipped})
}
