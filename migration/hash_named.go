package migration

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"strconv"
	"strings"
)

// Formats whose stored value carries no marker: the record names them
// (password_hash_format).

// verifyASPNetIdentity checks AspNetUsers.PasswordHash: base64 of a format
// byte then, for v2 (0x00), a 16-byte salt and a 32-byte PBKDF2-HMAC-SHA1 of
// 1,000 iterations; for v3 (0x01), big-endian PRF (0 SHA-1, 1 SHA-256,
// 2 SHA-512), iteration count and salt length, the salt, the subkey
// (Microsoft.AspNetCore.Identity.PasswordHasher).
func verifyASPNetIdentity(v *Verifier, s Stored, password []byte) (bool, error) {
	const name = "aspnet-identity"
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Hash))
	if err != nil || len(raw) == 0 || len(raw) > maxDigest {
		return false, malformed(name, "password_hash is not base64")
	}
	switch raw[0] {
	case 0x00:
		if len(raw) != 1+16+32 {
			return false, malformed(name, fmt.Sprintf("v2 value of %d bytes, want 49", len(raw)))
		}
		return v.pbkdf2(name, sha1.New, password, raw[1:17], 1000, raw[17:])
	case 0x01:
		if len(raw) < 13 {
			return false, malformed(name, "v3 header truncated (13 bytes)")
		}
		prf, iter, saltLen := binary.BigEndian.Uint32(raw[1:]), binary.BigEndian.Uint32(raw[5:]), binary.BigEndian.Uint32(raw[9:])
		var h func() hash.Hash
		switch prf {
		case 0:
			h = sha1.New
		case 1:
			h = sha256.New
		case 2:
			h = sha512.New
		default:
			return false, malformed(name, "v3 PRF (bytes 2–5) is not 0, 1 or 2")
		}
		if saltLen < 16 || uint64(saltLen) > uint64(len(raw)-13) || len(raw)-13-int(saltLen) < 16 {
			return false, malformed(name, "v3 salt length (bytes 10–13) or subkey shorter than 16 bytes")
		}
		if iter < 1 || iter > math.MaxInt32 {
			return false, malformed(name, "v3 iteration count (bytes 6–9)")
		}
		return v.pbkdf2(name, h, password, raw[13:13+saltLen], int(iter), raw[13+saltLen:])
	}
	return false, malformed(name, "format marker (byte 1) is not 0x00 (v2) or 0x01 (v3)")
}

// FirebaseParams are a Firebase project's password hash parameters (console:
// Authentication → Users → Password hash parameters).
type FirebaseParams struct {
	SignerKey     []byte // base64_signer_key, decoded
	SaltSeparator []byte // base64_salt_separator, decoded
	Rounds        int    // rounds (scrypt r)
	MemCost       int    // mem_cost (scrypt N = 2^mem_cost)
}

// Set reports whether the project's parameters are configured.
func (p FirebaseParams) Set() bool { return len(p.SignerKey) > 0 && p.Rounds > 0 && p.MemCost > 0 }

// verifyFirebaseScrypt checks Firebase's modified scrypt: the key derived by
// scrypt(password, salt‖separator, N=2^mem_cost, r=rounds, p=1, 32 bytes)
// encrypts the signer key with AES-256-CTR (zero IV); the result is the
// stored hash (firebase/scrypt).
func verifyFirebaseScrypt(v *Verifier, s Stored, password []byte) (bool, error) {
	const name = "firebase-scrypt"
	fp := v.Firebase
	if !fp.Set() {
		return false, fmt.Errorf("%w: %s: the project's parameters are not configured (POOLSIDE_FIREBASE_*)", ErrParams, name)
	}
	want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Hash))
	if err != nil || len(want) == 0 || len(want) > len(fp.SignerKey) {
		return false, malformed(name, "password_hash is not base64 of at most the signer key's length")
	}
	salt, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Salt))
	if err != nil || len(salt) == 0 || len(salt) > maxDigest {
		return false, malformed(name, "password_salt is missing or not base64")
	}
	if fp.MemCost > 30 {
		return false, fmt.Errorf("%w: %s: mem_cost %d above 30", ErrParams, name, fp.MemCost)
	}
	key, err := v.scrypt(name, password, append(salt, fp.SaltSeparator...), 1<<fp.MemCost, fp.Rounds, 1, 32)
	if err != nil {
		return false, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return false, malformed(name, "derived key")
	}
	got := make([]byte, len(fp.SignerKey))
	cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(got, fp.SignerKey)
	return equal(got[:len(want)], want), nil
}

// verifyKeycloak checks a Keycloak password credential: password_hash is
// secretData.value, password_salt secretData.salt (both base64),
// password_hash_params credentialData: algorithm pbkdf2-sha256, pbkdf2-sha512
// or pbkdf2 (SHA-1), and hashIterations.
func verifyKeycloak(v *Verifier, s Stored, password []byte) (bool, error) {
	const name = "keycloak"
	var h func() hash.Hash
	switch alg, _ := s.Params["algorithm"].(string); alg {
	case "pbkdf2-sha256":
		h = sha256.New
	case "pbkdf2-sha512":
		h = sha512.New
	case "pbkdf2":
		h = sha1.New
	default:
		return false, fmt.Errorf("%w: %s: password_hash_params.algorithm (pbkdf2-sha256, pbkdf2-sha512 or pbkdf2)", ErrUnknownFormat, name)
	}
	iter, ok := intParam(s.Params["hashIterations"])
	if !ok || iter < 1 {
		return false, malformed(name, "password_hash_params.hashIterations is not a positive integer")
	}
	want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Hash))
	if err != nil || len(want) < 16 {
		return false, malformed(name, "password_hash is not base64 of at least 16 bytes")
	}
	salt, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Salt))
	if err != nil || len(salt) == 0 {
		return false, malformed(name, "password_salt is missing or not base64")
	}
	return v.pbkdf2(name, h, password, salt, iter, want)
}

// intParam reads an integer from a decoded JSON value (a number, or a
// number in a string).
func intParam(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		if n != math.Trunc(n) || n < 0 || n > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	case int64:
		return int(min(max(n, -1), math.MaxInt32)), true
	case int:
		return n, true
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(n))
		return i, err == nil
	}
	return 0, false
}
