package migration

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
)

// ErrBadRecord: the legacy record of the user asked for cannot be read (a
// data problem in that one record; the error names its line). Other users
// are unaffected.
var ErrBadRecord = errors.New("legacy record cannot be read")

// File is a Source over a JSON Lines file, one User per line (blank lines
// skipped). Lookups read the whole file once, on first use, into memory;
// Each streams it. A line that does not decode is a problem of that user
// only: it is logged with its line number at load, and a lookup of its
// username or email answers ErrBadRecord; every other user still migrates.
type File struct {
	path string
	load func() (*fileIndex, error)
	// Log receives one warning per bad line (nil: slog.Default()).
	Log *slog.Logger
}

var (
	_ Source = (*File)(nil)
	_ Lister = (*File)(nil)
)

type fileIndex struct {
	byUsername map[string]User
	byEmail    map[string][]User // lower-case email → users
	// bad maps the username and lower-case email of unreadable records to
	// why (with the line number).
	bad map[string]error
}

func init() {
	RegisterScheme(Scheme{Name: "file", Example: "file:///abs/path.jsonl", DevOnly: true,
		Open: func(u *url.URL, raw string, _ Deps) (Store, error) {
			if u.Path == "" {
				return nil, fmt.Errorf("legacy source %q: want file:///abs/path.jsonl", u.Redacted())
			}
			return NewFile(u.Path), nil
		}})
}

// NewFile returns the source for the JSON Lines file at path.
func NewFile(path string) *File {
	f := &File{path: path}
	f.load = sync.OnceValues(f.index)
	return f
}

func (f *File) index() (*fileIndex, error) {
	ix := &fileIndex{byUsername: map[string]User{}, byEmail: map[string][]User{}, bad: map[string]error{}}
	log := f.Log
	if log == nil {
		log = slog.Default()
	}
	lines := map[string]int{} // username → line
	err := f.scan(context.Background(), func(n int, u User, err error) error {
		if err == nil {
			if first, dup := lines[u.Username]; dup {
				err = fmt.Errorf("username %q also on line %d", u.Username, first)
				// ambiguous: neither record is used
				if prev, ok := ix.byUsername[u.Username]; ok {
					e := normEmail(prev.Email)
					ix.byEmail[e] = slices.DeleteFunc(ix.byEmail[e], func(o User) bool { return o.Username == prev.Username })
					delete(ix.byUsername, u.Username)
				}
			}
		}
		if err != nil {
			// never quote the line: it holds a password hash
			err = fmt.Errorf("%s:%d: %w: %w", f.path, n, ErrBadRecord, err)
			log.Warn("legacy users file: bad line", slog.String("file", f.path), slog.Int("line", n), slog.String("problem", err.Error()))
			if u.Username != "" {
				ix.bad[u.Username] = err
			}
			if e := normEmail(u.Email); e != "" {
				ix.bad[e] = err
			}
			return nil
		}
		lines[u.Username] = n
		ix.byUsername[u.Username] = u
		if e := normEmail(u.Email); e != "" {
			ix.byEmail[e] = append(ix.byEmail[e], u)
		}
		return nil
	})
	return ix, err
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Lookup implements Source.
func (f *File) Lookup(ctx context.Context, login string) (User, error) {
	ix, err := f.load()
	if err != nil {
		return User{}, err
	}
	if u, ok := ix.byUsername[login]; ok {
		return u, nil
	}
	if err := ix.bad[login]; err != nil {
		return User{}, err
	}
	u, err := match(login, ix.byEmail[normEmail(login)])
	if errors.Is(err, ErrNotFound) {
		if bad := ix.bad[normEmail(login)]; bad != nil {
			return User{}, bad
		}
	}
	return u, err
}

// Each implements Lister, reading the file line by line. A line that does
// not decode stops it with an error naming the line.
func (f *File) Each(ctx context.Context, fn func(User) error) error {
	return f.scan(ctx, func(n int, u User, err error) error {
		if err != nil {
			// never quote the line: it holds a password hash
			return fmt.Errorf("%s:%d: %w: %w", f.path, n, ErrBadRecord, err)
		}
		return fn(u)
	})
}

// scan calls fn for every non-blank line with its number and what decoded.
func (f *File) scan(ctx context.Context, fn func(n int, u User, err error) error) error {
	fh, err := os.Open(f.path)
	if err != nil {
		return fmt.Errorf("legacy users file: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		u, err := decodeLine(line)
		if err := fn(n, u, err); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", f.path, err)
	}
	return nil
}
