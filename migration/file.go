package migration

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
)

// File is a Source over a JSON Lines file, one User per line (blank lines
// skipped). Lookups read the whole file once, on first use, into memory;
// Each streams it.
type File struct {
	path string
	load func() (*fileIndex, error)
}

var (
	_ Source = (*File)(nil)
	_ Lister = (*File)(nil)
)

type fileIndex struct {
	byUsername map[string]User
	byEmail    map[string][]User // lower-case email → users
}

// NewFile returns the source for the JSON Lines file at path.
func NewFile(path string) *File {
	f := &File{path: path}
	f.load = sync.OnceValues(f.index)
	return f
}

func (f *File) index() (*fileIndex, error) {
	ix := &fileIndex{byUsername: map[string]User{}, byEmail: map[string][]User{}}
	err := f.Each(context.Background(), func(u User) error {
		if _, dup := ix.byUsername[u.Username]; dup {
			return fmt.Errorf("%s: username %q appears twice", f.path, u.Username)
		}
		ix.byUsername[u.Username] = u
		if u.Email != "" {
			e := strings.ToLower(strings.TrimSpace(u.Email))
			ix.byEmail[e] = append(ix.byEmail[e], u)
		}
		return nil
	})
	return ix, err
}

// Lookup implements Source.
func (f *File) Lookup(ctx context.Context, login string) (User, error) {
	ix, err := f.load()
	if err != nil {
		return User{}, err
	}
	if u, ok := ix.byUsername[login]; ok {
		return u, nil
	}
	return match(login, ix.byEmail[strings.ToLower(strings.TrimSpace(login))])
}

// Each implements Lister, reading the file line by line.
func (f *File) Each(ctx context.Context, fn func(User) error) error {
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
		if err != nil {
			// never quote the line: it holds a password hash
			return fmt.Errorf("%s:%d: %w", f.path, n, err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", f.path, err)
	}
	return nil
}
