package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
)

// MySQL is a Source over MySQL or MariaDB, through go-sql-driver/mysql. It
// connects on first use.
type MySQL struct {
	lookup, list string
	db           func() (*sql.DB, error)
}

var (
	_ Source = (*MySQL)(nil)
	_ Lister = (*MySQL)(nil)
)

func init() {
	openers["mysql"] = func(_ *url.URL, raw string, deps Deps) (Store, error) {
		return NewMySQL(raw, deps.MySQL)
	}
}

// NewMySQL parses a mysql://user[:pass]@host[:port]/db[?param=value] URL
// (parameters are the driver's DSN parameters, e.g. tls=true); nothing
// connects until the first lookup.
func NewMySQL(rawURL string, opts MySQLOptions) (*MySQL, error) {
	cfg, err := mysqlConfig(rawURL)
	if err != nil {
		return nil, err
	}
	if opts.Password != "" {
		cfg.Passwd = opts.Password
	}
	lookup, list, err := opts.queries()
	if err != nil {
		return nil, fmt.Errorf("legacy source: mysql: %w", err)
	}
	conns := opts.MaxConns
	if conns <= 0 {
		conns = 2
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("legacy source: mysql: %w", err)
	}
	return &MySQL{lookup: lookup, list: list, db: sync.OnceValues(func() (*sql.DB, error) {
		db := sql.OpenDB(connector)
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	})}, nil
}

// mysqlConfig turns the URL into the driver's configuration. Errors never
// quote the URL (it may hold a password).
func mysqlConfig(rawURL string) (*mysql.Config, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "mysql" || u.Host == "" || u.User == nil || u.User.Username() == "" {
		return nil, errors.New("legacy source: want mysql://user[:password]@host[:port]/database")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return nil, errors.New("legacy source: mysql URL names no database (mysql://user@host:3306/database)")
	}
	cfg := mysql.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	cfg.DBName = db
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Timeout = 2 * time.Second
	if u.RawQuery != "" {
		if _, err := url.ParseQuery(u.RawQuery); err != nil {
			return nil, errors.New("legacy source: mysql URL parameters do not parse")
		}
		// the driver parses its own parameters (tls, charset, collation, …)
		withParams, err := mysql.ParseDSN("/?" + u.RawQuery)
		if err != nil {
			return nil, errors.New("legacy source: mysql URL parameters do not parse")
		}
		cfg.TLSConfig, cfg.Params, cfg.Collation = withParams.TLSConfig, withParams.Params, withParams.Collation
		if withParams.Timeout != 0 {
			cfg.Timeout = withParams.Timeout
		}
		if withParams.ReadTimeout != 0 {
			cfg.ReadTimeout = withParams.ReadTimeout
		}
		cfg.AllowCleartextPasswords = withParams.AllowCleartextPasswords
	}
	return cfg, nil
}

// Close releases the connections.
func (m *MySQL) Close() {
	if db, err := m.db(); err == nil {
		_ = db.Close()
	}
}

// Lookup implements Source.
func (m *MySQL) Lookup(ctx context.Context, login string) (User, error) {
	if strings.TrimSpace(login) == "" {
		return User{}, ErrNotFound
	}
	args := make([]any, strings.Count(m.lookup, "?"))
	for i := range args {
		args[i] = login
	}
	var users []User
	err := m.query(ctx, m.lookup, args, func(u User) error {
		users = append(users, u)
		return nil
	})
	if err != nil {
		return User{}, err
	}
	// SQL's = is case-insensitive in most MySQL collations: match decides
	return match(login, users)
}

// Each implements Lister, streaming the rows of the list query.
func (m *MySQL) Each(ctx context.Context, fn func(User) error) error {
	return m.query(ctx, m.list, nil, fn)
}

func (m *MySQL) query(ctx context.Context, q string, args []any, fn func(User) error) error {
	db, err := m.db()
	if err != nil {
		return fmt.Errorf("legacy mysql: %w", err)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("legacy mysql: %w", err)
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("legacy mysql: %w", err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("legacy mysql: %w", err)
		}
		fields := make(map[string]any, len(cols))
		for i, t := range cols {
			fields[strings.ToLower(t.Name())] = mysqlValue(t.DatabaseTypeName(), vals[i])
		}
		u, err := record(fields)
		if err != nil {
			return fmt.Errorf("legacy mysql: %w", err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("legacy mysql: %w", err)
	}
	return nil
}

// mysqlValue narrows the driver's values to the kinds record reads: text and
// binary columns arrive as bytes, BIT(1) as one byte.
func mysqlValue(dbType string, v any) any {
	b, ok := v.([]byte)
	if !ok {
		return v
	}
	if dbType == "BIT" {
		var n int64
		for _, c := range b {
			n = n<<8 | int64(c)
		}
		return n
	}
	return string(b)
}
