package migration

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// StandardHeader is the user-import CSV header of a pool with only standard
// attributes, in the order GetCSVHeader returns it.
var StandardHeader = []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
	"phone_number", "phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username"}

// Reasons a user is left out of the export.
const (
	SkipDisabled   = "disabled in the legacy system"
	SkipNoDelivery = "no verified email or phone: Cognito could not send a reset code"
	SkipMigrated   = "already migrated (profile exists)"
	SkipNoUsername = "no username"
)

// ExportOptions configure Export.
type ExportOptions struct {
	// Header is the CSV header (GetCSVHeader's list); nil for StandardHeader.
	Header []string
	// Migrated reports whether a user already has a Cognito account (signed
	// in through the migration trigger); nil exports everyone.
	Migrated func(ctx context.Context, u User) (bool, error)
	// Skipped is told about every user left out, with the reason.
	Skipped func(u User, reason string)
}

// ExportStats counts an export.
type ExportStats struct {
	Read     int            `json:"read"`
	Exported int            `json:"exported"`
	Skipped  map[string]int `json:"skipped"`
}

// Export writes the users of src as a Cognito user-import CSV, streaming: one
// user in memory at a time. Users who are disabled, cannot receive a reset
// code or (with opts.Migrated) already migrated are skipped.
func Export(ctx context.Context, src Lister, w io.Writer, opts ExportOptions) (ExportStats, error) {
	header := opts.Header
	if header == nil {
		header = StandardHeader
	}
	stats := ExportStats{Skipped: map[string]int{}}
	if !slices.Contains(header, "cognito:username") {
		return stats, errors.New("CSV header has no cognito:username column")
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return stats, err
	}
	row := make([]string, len(header))
	skip := func(u User, reason string) {
		stats.Skipped[reason]++
		if opts.Skipped != nil {
			opts.Skipped(u, reason)
		}
	}
	err := src.Each(ctx, func(u User) error {
		stats.Read++
		switch {
		case u.Username == "":
			skip(u, SkipNoUsername)
			return nil
		case u.Disabled:
			skip(u, SkipDisabled)
			return nil
		case !u.CanReceiveCode():
			skip(u, SkipNoDelivery)
			return nil
		}
		if opts.Migrated != nil {
			done, err := opts.Migrated(ctx, u)
			if err != nil {
				return fmt.Errorf("check %s: %w", u.Username, err)
			}
			if done {
				skip(u, SkipMigrated)
				return nil
			}
		}
		fillRow(row, header, u)
		if err := cw.Write(row); err != nil {
			return err
		}
		stats.Exported++
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return stats, err
}

func fillRow(row, header []string, u User) {
	attrs := Attributes(u)
	for i, col := range header {
		switch col {
		case "cognito:username":
			row[i] = u.Username
		case "cognito:mfa_enabled":
			row[i] = "false"
		case "email_verified", "phone_number_verified":
			row[i] = "false"
			if attrs[col] == "true" {
				row[i] = "true"
			}
		default:
			row[i] = attrs[col] // custom and unknown columns stay empty
		}
	}
}

// ReadHeader reads a CSV header: GetCSVHeader's JSON output
// ({"CSVHeader":[…]}) or one CSV line.
func ReadHeader(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "{") {
		var out struct{ CSVHeader []string }
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		if len(out.CSVHeader) == 0 {
			return nil, errors.New("header: CSVHeader is empty")
		}
		return out.CSVHeader, nil
	}
	rec, err := csv.NewReader(strings.NewReader(s)).Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return rec, nil
}
