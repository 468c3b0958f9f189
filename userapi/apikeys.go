package userapi

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// APIKeys holds the SHA-256 digests of the API keys machine callers may send
// as x-api-key. Only digests are configured, so a leaked configuration does
// not leak a key.
type APIKeys struct{ digests [][sha256.Size]byte }

// ParseAPIKeys reads hex SHA-256 digests, one per line or separated by
// commas; blank lines and lines starting with # are skipped. A line that is
// not 64 hex digits is an error naming its line number (never its content).
func ParseAPIKeys(r io.Reader) (APIKeys, error) {
	var ks APIKeys
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		for _, f := range strings.Split(sc.Text(), ",") {
			f = strings.TrimSpace(f)
			if f == "" || strings.HasPrefix(f, "#") {
				continue
			}
			b, err := hex.DecodeString(f)
			if err != nil || len(b) != sha256.Size {
				return APIKeys{}, fmt.Errorf("line %d: not a hex SHA-256 digest (64 hex digits)", n)
			}
			ks.digests = append(ks.digests, [sha256.Size]byte(b))
		}
	}
	return ks, sc.Err()
}

// Len is the number of configured keys.
func (k APIKeys) Len() int { return len(k.digests) }

// Match reports whether key's SHA-256 is configured, comparing every digest
// in constant time.
func (k APIKeys) Match(key string) bool {
	if key == "" {
		return false
	}
	sum := sha256.Sum256([]byte(key))
	found := 0
	for _, d := range k.digests {
		found |= subtle.ConstantTimeCompare(sum[:], d[:])
	}
	return found == 1
}
