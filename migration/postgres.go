package migration

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is a Source over PostgreSQL, through pgx. It connects on first use.
type Postgres struct {
	opts PostgresOptions
	pool func() (*pgxpool.Pool, error)
}

var (
	_ Source = (*Postgres)(nil)
	_ Lister = (*Postgres)(nil)
)

func init() {
	openers["postgres"] = func(_ *url.URL, raw string, deps Deps) (Store, error) {
		return NewPostgres(raw, deps.Postgres)
	}
}

// NewPostgres parses the URL and options; nothing connects until the first lookup.
func NewPostgres(rawURL string, opts PostgresOptions) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		// pgx's error quotes the URL: keep its password out of logs
		return nil, fmt.Errorf("legacy source: postgres URL does not parse")
	}
	if opts.Password != "" {
		cfg.ConnConfig.Password = opts.Password
	}
	if opts.LookupQuery == "" {
		opts.LookupQuery = DefaultPostgresLookup
	}
	if opts.ListQuery == "" {
		opts.ListQuery = DefaultPostgresList
	}
	cfg.MaxConns = opts.MaxConns
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 2
	}
	cfg.MinConns = 0
	return &Postgres{opts: opts, pool: sync.OnceValues(func() (*pgxpool.Pool, error) {
		return pgxpool.NewWithConfig(context.Background(), cfg)
	})}, nil
}

// Close releases the connections.
func (p *Postgres) Close() {
	if pool, err := p.pool(); err == nil {
		pool.Close()
	}
}

// Lookup implements Source.
func (p *Postgres) Lookup(ctx context.Context, login string) (User, error) {
	if strings.TrimSpace(login) == "" {
		return User{}, ErrNotFound
	}
	var users []User
	err := p.query(ctx, p.opts.LookupQuery, []any{login}, func(u User) error {
		users = append(users, u)
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return match(login, users)
}

// Each implements Lister, streaming the rows of ListQuery.
func (p *Postgres) Each(ctx context.Context, fn func(User) error) error {
	return p.query(ctx, p.opts.ListQuery, nil, fn)
}

func (p *Postgres) query(ctx context.Context, sql string, args []any, fn func(User) error) error {
	pool, err := p.pool()
	if err != nil {
		return fmt.Errorf("legacy postgres: %w", err)
	}
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("legacy postgres: %w", err)
	}
	defer rows.Close()
	cols := rows.FieldDescriptions()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("legacy postgres: %w", err)
		}
		fields := make(map[string]any, len(cols))
		for i, c := range cols {
			fields[c.Name] = pgValue(vals[i])
		}
		u, err := record(fields)
		if err != nil {
			return fmt.Errorf("legacy postgres: %w", err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("legacy postgres: %w", err)
	}
	return nil
}

// pgValue narrows pgx's decoded values to the kinds record reads.
func pgValue(v any) any {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case [16]byte: // uuid
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case float32:
		return float64(x)
	}
	return v
}
