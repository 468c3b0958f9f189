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
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// Data problems with a stored hash. Verify returns them wrapped; the caller
// logs them and treats the password as not verified.
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
	maxScryptP          = 16
	bcryptMaxPassword   = 72
)

// Verify reports whether password matches the encoded hash. The format is
// read from the hash itself:
//
//   - bcrypt: $2a$, $2b$, $2y$ (a password longer than 72 bytes is checked on
//     its first 72 bytes, as every legacy bcrypt did);
//   - argon2id and argon2i PHC strings: $argon2id$v=19$m=…,t=…,p=…$salt$hash
//     (unpadded standard base64), also with Django's "argon2" prefix;
//   - Django PBKDF2: pbkdf2_sha256$iterations$salt$base64 and pbkdf2_sha1$…;
//   - scrypt in Django's format: scrypt$salt$N$r$p$base64 (64-byte key).
//
// A wrong password is (false, nil). err is a data problem (ErrUnknownFormat,
// ErrMalformed, ErrParams): the stored hash cannot be checked. Comparisons
// are constant-time; Verify never panics and never puts the password in err.
func Verify(encoded string, password []byte) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("%w: verifier panicked", ErrMalformed)
		}
	}()
	switch {
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return verifyBcrypt(encoded, password)
	case strings.HasPrefix(encoded, "$argon2"):
		return verifyArgon2(encoded, password)
	case strings.HasPrefix(encoded, "argon2$argon2"): // Django's Argon2PasswordHasher
		return verifyArgon2(strings.TrimPrefix(encoded, "argon2"), password)
	case strings.HasPrefix(encoded, "pbkdf2_sha256$"):
		return verifyPBKDF2(encoded, password, sha256.New, sha256.Size)
	case strings.HasPrefix(encoded, "pbkdf2_sha1$"):
		return verifyPBKDF2(encoded, password, sha1.New, sha1.Size)
	case strings.HasPrefix(encoded, "scrypt$"):
		return verifyScrypt(encoded, password)
	case encoded == "":
		return false, fmt.Errorf("%w: empty", ErrUnknownFormat)
	}
	// never quote it: a legacy store may hold plaintext passwords
	return false, fmt.Errorf("%w (%d characters)", ErrUnknownFormat, len(encoded))
}

func verifyBcrypt(encoded string, password []byte) (bool, error) {
	cost, err := bcrypt.Cost([]byte(encoded))
	if err != nil {
		return false, fmt.Errorf("%w: bcrypt: %v", ErrMalformed, err)
	}
	if cost > MaxBcryptCost {
		return false, fmt.Errorf("%w: bcrypt cost %d above %d", ErrParams, cost, MaxBcryptCost)
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
		return false, fmt.Errorf("%w: bcrypt: %v", ErrMalformed, err)
	}
}

// BcryptHash hashes password at cost (the dummy hash, tests).
func BcryptHash(password []byte, cost int) (string, error) {
	if len(password) > bcryptMaxPassword {
		password = password[:bcryptMaxPassword]
	}
	h, err := bcrypt.GenerateFromPassword(password, cost)
	return string(h), err
}

func verifyArgon2(encoded string, password []byte) (bool, error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return false, fmt.Errorf("%w: argon2: want $variant$v=19$m=,t=,p=$salt$hash", ErrMalformed)
	}
	variant := parts[1]
	if variant != "argon2id" && variant != "argon2i" {
		return false, fmt.Errorf("%w: %q (argon2id and argon2i only)", ErrUnknownFormat, variant)
	}
	if parts[2] != "v=19" {
		return false, fmt.Errorf("%w: argon2 version %q (v=19 only)", ErrUnknownFormat, parts[2])
	}
	var m, t, p uint64
	seen := 0
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return false, fmt.Errorf("%w: argon2 parameter %q", ErrMalformed, kv)
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		default:
			return false, fmt.Errorf("%w: argon2 parameter %q", ErrMalformed, k)
		}
		seen++
	}
	if seen != 3 || m == 0 || t == 0 || p == 0 || p > 255 || m < 8*p {
		return false, fmt.Errorf("%w: argon2 parameters m=%d,t=%d,p=%d", ErrMalformed, m, t, p)
	}
	if m > MaxArgon2MemoryKiB || t > MaxArgon2Time || p > MaxArgon2Threads {
		return false, fmt.Errorf("%w: argon2 m=%d KiB,t=%d,p=%d above m=%d,t=%d,p=%d",
			ErrParams, m, t, p, MaxArgon2MemoryKiB, MaxArgon2Time, MaxArgon2Threads)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(want) < 4 || len(want) > 1024 {
		return false, fmt.Errorf("%w: argon2 salt or hash encoding", ErrMalformed)
	}
	var got []byte
	if variant == "argon2id" {
		got = argon2.IDKey(password, salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	} else {
		got = argon2.Key(password, salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func verifyPBKDF2(encoded string, password []byte, h func() hash.Hash, size int) (bool, error) {
	parts := strings.Split(encoded, "$") // algorithm, iterations, salt, hash
	if len(parts) != 4 {
		return false, fmt.Errorf("%w: %s: want algorithm$iterations$salt$hash", ErrMalformed, parts[0])
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || parts[2] == "" {
		return false, fmt.Errorf("%w: %s iterations or salt", ErrMalformed, parts[0])
	}
	if iter > MaxPBKDF2Iterations {
		return false, fmt.Errorf("%w: %s %d iterations above %d", ErrParams, parts[0], iter, MaxPBKDF2Iterations)
	}
	want, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(want) != size {
		return false, fmt.Errorf("%w: %s hash encoding", ErrMalformed, parts[0])
	}
	got, err := pbkdf2.Key(h, string(password), []byte(parts[2]), iter, size)
	if err != nil {
		return false, fmt.Errorf("%w: %s: %v", ErrMalformed, parts[0], err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func verifyScrypt(encoded string, password []byte) (bool, error) {
	parts := strings.Split(encoded, "$") // scrypt, salt, N, r, p, hash
	if len(parts) != 6 || parts[1] == "" {
		return false, fmt.Errorf("%w: scrypt: want scrypt$salt$N$r$p$hash", ErrMalformed)
	}
	n, err1 := strconv.Atoi(parts[2])
	r, err2 := strconv.Atoi(parts[3])
	p, err3 := strconv.Atoi(parts[4])
	if err1 != nil || err2 != nil || err3 != nil || n < 2 || n&(n-1) != 0 || r < 1 || p < 1 {
		return false, fmt.Errorf("%w: scrypt parameters", ErrMalformed)
	}
	if r > MaxScryptMemory/128 || n > MaxScryptMemory/(128*r) || p > maxScryptP {
		return false, fmt.Errorf("%w: scrypt N=%d,r=%d,p=%d needs more than %d MiB or p above %d",
			ErrParams, n, r, p, MaxScryptMemory>>20, maxScryptP)
	}
	want, err := base64.StdEncoding.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 1024 {
		return false, fmt.Errorf("%w: scrypt hash encoding", ErrMalformed)
	}
	got, err := scrypt.Key(password, []byte(parts[1]), n, r, p, len(want))
	if err != nil {
		return false, fmt.Errorf("%w: scrypt: %v", ErrMalformed, err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
