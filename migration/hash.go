package migration

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// Data problems with a stored hash. Verify returns them wrapped; the caller
// logs them and treats the password as not verified. Their text names the
// format and the position of the problem, never a part of the stored value
// (a hash column sometimes holds a plaintext password).
var (
	// ErrUnknownFormat: the hash is in no format poolside verifies.
	ErrUnknownFormat = errors.New("unknown password hash format")
	// ErrMalformed: the hash names a known format but does not parse.
	ErrMalformed = errors.New("malformed password hash")
	// ErrParams: the hash's cost parameters exceed what fits Cognito's 5 s
	// budget (or the Lambda's memory); verifying it is refused.
	ErrParams = errors.New("password hash parameters refused")
)

// Limits on hash parameters. Each bound keeps one verification well inside
// Cognito's 5 s on a Lambda sized for the legacy hashes (README "Migration").
const (
	MaxBcryptCost       = 14
	MaxArgon2MemoryKiB  = 256 * 1024 // 256 MiB
	MaxArgon2Time       = 10
	MaxArgon2Threads    = 16
	MaxPBKDF2Iterations = 1_200_000 // Django 5.1 uses 870,000; 5.2 uses 1,000,000
	MaxScryptMemory     = 256 << 20 // 128·N·r bytes
	MaxCryptRounds      = 1_000_000 // sha256-crypt/sha512-crypt rounds= (default 5,000)
	MaxPhpassLog2       = 20        // phpass: 2^n MD5 rounds (WordPress 8, phpBB3 11)
	maxScryptP          = 16
	bcryptMaxPassword   = 72
	maxDigest           = 1024 // bytes of any decoded hash or salt
)

// Limits bound the parameters a stored hash may ask for. The zero value
// means DefaultLimits; the fuzzer uses small ones so that every format is
// fuzzed quickly.
type Limits struct {
	BcryptCost       int
	Argon2MemoryKiB  uint64
	Argon2Time       uint64
	Argon2Threads    uint64
	PBKDF2Iterations int
	ScryptMemory     int // 128·N·r bytes
	ScryptP          int
	CryptRounds      int // sha-crypt rounds (at least 1,000: crypt(3) raises lower values)
	PhpassLog2       int
}

// DefaultLimits are the limits a Verifier applies unless told otherwise.
var DefaultLimits = Limits{
	BcryptCost: MaxBcryptCost, Argon2MemoryKiB: MaxArgon2MemoryKiB, Argon2Time: MaxArgon2Time,
	Argon2Threads: MaxArgon2Threads, PBKDF2Iterations: MaxPBKDF2Iterations, ScryptMemory: MaxScryptMemory,
	ScryptP: maxScryptP, CryptRounds: MaxCryptRounds, PhpassLog2: MaxPhpassLog2,
}

// Stored is a user's stored password: the hash and, for formats that keep
// them apart, the record's format name, salt and parameters.
type Stored struct {
	Hash   string
	Format string // record-named format ("aspnet-identity", "firebase-scrypt", "keycloak"); "" = read from Hash
	Salt   string
	Params map[string]any
}

// Stored returns the user's stored password.
func (u User) Stored() Stored {
	return Stored{Hash: u.PasswordHash, Format: u.PasswordHashFormat, Salt: u.PasswordSalt, Params: u.PasswordHashParams}
}

// Verifier verifies passwords against stored hashes. The zero value verifies
// every self-describing format with DefaultLimits; Firebase needs the
// project's parameters.
type Verifier struct {
	Limits   Limits
	Firebase FirebaseParams
}

// Format is one hash family poolside verifies: the registry that feeds
// dispatch, tests, fuzzing, benchmarks and the README's table.
type Format struct {
	// Name is the family's name; a record names a marker-less format by it
	// (password_hash_format).
	Name string
	// Prefixes mark a self-describing hash; none for a record-named format.
	Prefixes []string
	// Origin says which systems write it.
	Origin string
	verify func(v *Verifier, s Stored, password []byte) (bool, error)
}

// Formats lists every hash family, in the README's order.
var Formats = []Format{
	{"bcrypt", []string{"$2a$", "$2b$", "$2y$"}, "OpenBSD, PHP password_hash, Rails, Laravel, Spring, htpasswd -B", verifyBcryptStored},
	{"argon2", []string{"$argon2id$", "$argon2i$", "argon2$argon2"}, "PHC strings: PHP PASSWORD_ARGON2ID, Django Argon2PasswordHasher, libsodium", verifyArgon2Stored},
	{"django-pbkdf2", []string{"pbkdf2_sha256$", "pbkdf2_sha1$"}, "Django's default hasher", verifyDjangoPBKDF2},
	{"django-scrypt", []string{"scrypt$"}, "Django ScryptPasswordHasher", verifyDjangoScrypt},
	{"django-bcrypt-sha256", []string{"bcrypt_sha256$"}, "Django BCryptSHA256PasswordHasher", verifyDjangoBcryptSHA256},
	{"passlib-pbkdf2", []string{"$pbkdf2-sha256$", "$pbkdf2-sha512$", "$pbkdf2$"}, "Python passlib (Flask, FastAPI, Airflow apps)", verifyPasslibPBKDF2},
	{"phpass", []string{"$P$", "$H$"}, "WordPress < 6.8 ($P$), phpBB3 ($H$), Drupal 7 imports", verifyPhpass},
	{"wordpress-bcrypt", []string{"$wp$2y$", "$wp$2b$"}, "WordPress ≥ 6.8 wp_hash_password", verifyWordPressBcrypt},
	{"md5-crypt", []string{"$1$", "$apr1$"}, "crypt(3) MD5: /etc/shadow, openssl passwd -1, htpasswd -m ($apr1$)", verifyCryptStored},
	{"sha256-crypt", []string{"$5$"}, "crypt(3) SHA-256: /etc/shadow, openssl passwd -5", verifyCryptStored},
	{"sha512-crypt", []string{"$6$"}, "crypt(3) SHA-512: /etc/shadow (pre-yescrypt Debian/RHEL), openssl passwd -6", verifyCryptStored},
	{"ldap", []string{"{SSHA}", "{SSHA256}", "{SSHA512}", "{SHA}", "{SMD5}", "{MD5}", "{CRYPT}"}, "LDAP userPassword: OpenLDAP, 389-ds, Active Directory exports", verifyLDAP},
	{"aspnet-identity", nil, "ASP.NET Core Identity / ASP.NET Identity 2 (AspNetUsers.PasswordHash)", verifyASPNetIdentity},
	{"firebase-scrypt", nil, "Firebase Auth (firebase auth:export), the project's hash parameters from the console", verifyFirebaseScrypt},
	{"keycloak", nil, "Keycloak credential export (secretData + credentialData)", verifyKeycloak},
}

// Verify reports whether password matches the encoded hash, in a format
// read from the hash itself (Formats), with DefaultLimits.
func Verify(encoded string, password []byte) (ok bool, err error) {
	var v Verifier
	return v.Verify(Stored{Hash: encoded}, password)
}

// Verify reports whether password matches the stored password. A wrong
// password is (false, nil). err is a data problem (ErrUnknownFormat,
// ErrMalformed, ErrParams): the stored hash cannot be checked. Comparisons
// are constant-time; Verify never panics and never puts the password or a
// part of the stored value in err.
func (v *Verifier) Verify(s Stored, password []byte) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("%w: verifier panicked", ErrMalformed)
		}
	}()
	f, err := lookupFormat(s)
	if err != nil {
		return false, err
	}
	return f.verify(v, s, password)
}

// lookupFormat finds the format a record names, or the one whose prefix the
// hash carries (the longest prefix wins).
func lookupFormat(s Stored) (*Format, error) {
	if s.Format != "" {
		for i, f := range Formats {
			if strings.EqualFold(f.Name, strings.TrimSpace(s.Format)) {
				if len(f.Prefixes) > 0 && hasPrefix(s.Hash, f.Prefixes) == "" {
					return nil, fmt.Errorf("%w: %s: the hash lacks the format's prefix", ErrMalformed, f.Name)
				}
				return &Formats[i], nil
			}
		}
		// the format name is a label, not the secret; still only its length
		return nil, fmt.Errorf("%w: password_hash_format names no known format (%d characters)", ErrUnknownFormat, len(s.Format))
	}
	if s.Hash == "" {
		return nil, fmt.Errorf("%w: empty", ErrUnknownFormat)
	}
	// An LDAP "{SCHEME}" prefix is compared only with the prefixes of its
	// length; the others by their bytes, longest first.
	braced := -1
	if s.Hash[0] == '{' {
		braced = strings.IndexByte(s.Hash, '}') + 1
	}
	for _, e := range prefixIndex()[s.Hash[0]] {
		p := e.prefix
		switch {
		case braced >= 0:
			if len(p) == braced && asciiEqualFold(s.Hash[:braced], p) {
				return e.format, nil
			}
		case strings.HasPrefix(s.Hash, p):
			return e.format, nil
		}
	}
	// never quote it: a legacy store may hold plaintext passwords
	return nil, fmt.Errorf("%w (%d characters)", ErrUnknownFormat, len(s.Hash))
}

type prefixEntry struct {
	prefix string
	format *Format
}

// prefixIndex lists every format's prefixes by their first byte, longest
// first, so that the first match is the most specific and a lookup reads
// only the prefixes that can match (the dispatch must cost nothing next to a
// 0.2 µs LDAP digest).
var prefixIndex = sync.OnceValue(func() *[256][]prefixEntry {
	var idx [256][]prefixEntry
	for i, f := range Formats {
		for _, p := range f.Prefixes {
			idx[p[0]] = append(idx[p[0]], prefixEntry{p, &Formats[i]})
		}
	}
	for _, es := range idx {
		slices.SortStableFunc(es, func(a, b prefixEntry) int { return len(b.prefix) - len(a.prefix) })
	}
	return &idx
})

// hasPrefix returns the prefix of prefixes that s starts with; LDAP's
// {SCHEME} is matched in any ASCII case.
func hasPrefix(s string, prefixes []string) string {
	for _, p := range prefixes {
		if len(s) < len(p) || s[0] != p[0] {
			continue
		}
		if s[:len(p)] == p || (p[0] == '{' && asciiEqualFold(s[:len(p)], p)) {
			return p
		}
	}
	return ""
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// malformed is the data problem at a position of a format's value: it names
// the format and the position only.
func malformed(format, position string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, format, position)
}

// equal compares two byte strings in constant time (for equal lengths).
func equal(got, want []byte) bool { return subtle.ConstantTimeCompare(got, want) == 1 }

func verifyBcryptStored(v *Verifier, s Stored, password []byte) (bool, error) {
	return v.bcrypt("bcrypt", s.Hash, password)
}

// bcrypt checks a $2a$/$2b$/$2y$ hash; name is the format reported in errors.
func (v *Verifier) bcrypt(name, encoded string, password []byte) (bool, error) {
	cost, err := bcrypt.Cost([]byte(encoded))
	if err != nil {
		// bcrypt's own errors quote parts of the hash
		return false, malformed(name, "bcrypt cost field (characters 5–6) or length")
	}
	if max := v.limits().BcryptCost; cost > max {
		return false, fmt.Errorf("%w: %s: bcrypt cost %d above %d", ErrParams, name, cost, max)
	}
	if len(password) > bcryptMaxPassword {
		password = password[:bcryptMaxPassword]
	}
	switch err := bcrypt.CompareHashAndPassword([]byte(encoded), password); {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, malformed(name, "bcrypt salt or hash (after the cost)")
	}
}

func (v *Verifier) limits() Limits {
	if v.Limits == (Limits{}) {
		return DefaultLimits
	}
	return v.Limits
}

// BcryptHash hashes password at cost (the dummy hash, tests).
func BcryptHash(password []byte, cost int) (string, error) {
	if len(password) > bcryptMaxPassword {
		password = password[:bcryptMaxPassword]
	}
	h, err := bcrypt.GenerateFromPassword(password, cost)
	return string(h), err
}

func verifyArgon2Stored(v *Verifier, s Stored, password []byte) (bool, error) {
	encoded := strings.TrimPrefix(s.Hash, "argon2") // Django's Argon2PasswordHasher
	if !strings.HasPrefix(encoded, "$") {
		encoded = s.Hash
	}
	return v.argon2(encoded, password)
}

func (v *Verifier) argon2(encoded string, password []byte) (bool, error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return false, malformed("argon2", fmt.Sprintf("%d $-separated fields, want 6 ($variant$v=19$m=,t=,p=$salt$hash)", len(parts)))
	}
	variant := parts[1]
	if variant != "argon2id" && variant != "argon2i" {
		return false, fmt.Errorf("%w: argon2: variant in field 2 (argon2id and argon2i only)", ErrUnknownFormat)
	}
	if parts[2] != "v=19" {
		return false, fmt.Errorf("%w: argon2: version in field 3 (v=19 only)", ErrUnknownFormat)
	}
	var m, t, p uint64
	seen := 0
	for i, kv := range strings.Split(parts[3], ",") {
		k, val, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil {
			return false, malformed("argon2", fmt.Sprintf("parameter %d of field 4", i+1))
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		default:
			return false, malformed("argon2", fmt.Sprintf("parameter %d of field 4 is not m, t or p", i+1))
		}
		seen++
	}
	if seen != 3 || m == 0 || t == 0 || p == 0 || p > 255 || m < 8*p {
		return false, malformed("argon2", "parameters in field 4 (want m=,t=,p= with m ≥ 8·p, t ≥ 1, 1 ≤ p ≤ 255)")
	}
	lim := v.limits()
	if m > lim.Argon2MemoryKiB || t > lim.Argon2Time || p > lim.Argon2Threads {
		return false, fmt.Errorf("%w: argon2 m=%d KiB,t=%d,p=%d above m=%d,t=%d,p=%d",
			ErrParams, m, t, p, lim.Argon2MemoryKiB, lim.Argon2Time, lim.Argon2Threads)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || len(salt) < 8 || len(salt) > maxDigest {
		return false, malformed("argon2", "salt in field 5 (unpadded base64, at least 8 bytes)")
	}
	if err2 != nil || len(want) < 4 || len(want) > maxDigest {
		return false, malformed("argon2", "hash in field 6 (unpadded base64, at least 4 bytes)")
	}
	var got []byte
	if variant == "argon2id" {
		got = argon2.IDKey(password, salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	} else {
		got = argon2.Key(password, salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	}
	return equal(got, want), nil
}

func verifyDjangoPBKDF2(v *Verifier, s Stored, password []byte) (bool, error) {
	parts := strings.Split(s.Hash, "$") // algorithm, iterations, salt, hash
	if len(parts) != 4 {
		return false, malformed("django-pbkdf2", fmt.Sprintf("%d $-separated fields, want 4 (algorithm$iterations$salt$hash)", len(parts)))
	}
	h, size := sha256.New, sha256.Size
	if parts[0] == "pbkdf2_sha1" {
		h, size = sha1.New, sha1.Size
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false, malformed("django-pbkdf2", "iterations in field 2")
	}
	if parts[2] == "" {
		return false, malformed("django-pbkdf2", "empty salt in field 3")
	}
	want, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(want) != size {
		return false, malformed("django-pbkdf2", "hash in field 4 (padded base64 of the digest size)")
	}
	return v.pbkdf2("django-pbkdf2", h, password, []byte(parts[2]), iter, want)
}

// pbkdf2 derives len(want) bytes and compares them, within the iteration limit.
func (v *Verifier) pbkdf2(name string, h func() hash.Hash, password, salt []byte, iter int, want []byte) (bool, error) {
	if max := v.limits().PBKDF2Iterations; iter > max {
		return false, fmt.Errorf("%w: %s: %d PBKDF2 iterations above %d", ErrParams, name, iter, max)
	}
	if len(want) == 0 || len(want) > maxDigest || len(salt) > maxDigest {
		return false, malformed(name, "derived key or salt length")
	}
	got, err := pbkdf2.Key(h, string(password), salt, iter, len(want))
	if err != nil {
		return false, malformed(name, "PBKDF2 parameters")
	}
	return equal(got, want), nil
}

func verifyDjangoScrypt(v *Verifier, s Stored, password []byte) (bool, error) {
	parts := strings.Split(s.Hash, "$") // scrypt, salt, N, r, p, hash
	if len(parts) != 6 || parts[1] == "" {
		return false, malformed("django-scrypt", fmt.Sprintf("%d $-separated fields or empty salt, want scrypt$salt$N$r$p$hash", len(parts)))
	}
	n, err1 := strconv.Atoi(parts[2])
	r, err2 := strconv.Atoi(parts[3])
	p, err3 := strconv.Atoi(parts[4])
	if err1 != nil || err2 != nil || err3 != nil {
		return false, malformed("django-scrypt", "N, r or p in fields 3–5 not a number")
	}
	want, err := base64.StdEncoding.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > maxDigest {
		return false, malformed("django-scrypt", "hash in field 6 (padded base64, at least 16 bytes)")
	}
	got, err := v.scrypt("django-scrypt", password, []byte(parts[1]), n, r, p, len(want))
	if err != nil {
		return false, err
	}
	return equal(got, want), nil
}

// scrypt derives a key within the memory limit.
func (v *Verifier) scrypt(name string, password, salt []byte, n, r, p, keyLen int) ([]byte, error) {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 {
		return nil, malformed(name, "scrypt parameters (N a power of 2 above 1, r ≥ 1, p ≥ 1)")
	}
	lim := v.limits()
	if r > lim.ScryptMemory/128 || n > lim.ScryptMemory/(128*r) || p > lim.ScryptP {
		return nil, fmt.Errorf("%w: %s: scrypt N=%d,r=%d,p=%d needs more than %d KiB or p above %d",
			ErrParams, name, n, r, p, lim.ScryptMemory>>10, lim.ScryptP)
	}
	key, err := scrypt.Key(password, salt, n, r, p, keyLen)
	if err != nil {
		return nil, malformed(name, "scrypt parameters")
	}
	return key, nil
}
