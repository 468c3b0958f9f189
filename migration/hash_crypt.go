package migration

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// The crypt(3) family, phpass and the formats built on bcrypt. No well-kept
// Go library implements md5-crypt, sha-crypt or phpass, so they are written
// here from their specifications (md5-crypt: FreeBSD's crypt-md5.c; sha-crypt:
// Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"; phpass: Openwall's
// PasswordHash.php) and checked against vectors of other implementations
// (hash_crypt_test.go).

// itoa64 is crypt(3)'s base-64 alphabet.
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// cryptB64 encodes b in crypt(3)'s order: each triple of byte positions
// gives 4 characters, low 6 bits first; the last group gives n characters.
func cryptB64(b []byte, groups [][3]int, last [3]int, n int) []byte {
	out := make([]byte, 0, len(groups)*4+n)
	emit := func(g [3]int, k int) {
		var w uint
		for _, i := range g {
			w <<= 8
			if i >= 0 {
				w |= uint(b[i])
			}
		}
		for ; k > 0; k-- {
			out = append(out, itoa64[w&0x3f])
			w >>= 6
		}
	}
	for _, g := range groups {
		emit(g, 4)
	}
	emit(last, n)
	return out
}

var (
	md5CryptGroups = [][3]int{{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}}
	sha256Groups   = shaCryptGroups(10, 10)
	sha512Groups   = shaCryptGroups(21, 21)
)

// shaCryptGroups builds sha-crypt's byte order: group i holds i, i+step and
// i+2·step, rotated by i mod 3 (sha256-crypt and sha512-crypt rotate in
// opposite directions).
func shaCryptGroups(count, step int) [][3]int {
	gs := make([][3]int, count)
	for i := range gs {
		a, b, c := i, i+step, i+2*step
		switch {
		case i%3 == 0:
			gs[i] = [3]int{a, b, c}
		case step == 10 && i%3 == 1, step == 21 && i%3 == 2:
			gs[i] = [3]int{c, a, b}
		default:
			gs[i] = [3]int{b, c, a}
		}
	}
	return gs
}

func verifyCryptStored(v *Verifier, s Stored, password []byte) (bool, error) {
	return v.crypt(s.Hash, password)
}

// crypt verifies any crypt(3) string poolside knows: md5-crypt, apr1,
// sha256-crypt, sha512-crypt and bcrypt (the {CRYPT} of LDAP wraps them).
func (v *Verifier) crypt(encoded string, password []byte) (bool, error) {
	switch {
	case strings.HasPrefix(encoded, "$1$"):
		return v.md5Crypt("md5-crypt", "$1$", encoded, password)
	case strings.HasPrefix(encoded, "$apr1$"):
		return v.md5Crypt("md5-crypt", "$apr1$", encoded, password)
	case strings.HasPrefix(encoded, "$5$"):
		return v.shaCrypt("sha256-crypt", "$5$", sha256.New, sha256Groups, [3]int{-1, 31, 30}, 3, encoded, password)
	case strings.HasPrefix(encoded, "$6$"):
		return v.shaCrypt("sha512-crypt", "$6$", sha512.New, sha512Groups, [3]int{-1, -1, 63}, 2, encoded, password)
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return v.bcrypt("bcrypt", encoded, password)
	}
	return false, fmt.Errorf("%w: crypt: only $1$, $apr1$, $5$, $6$ and bcrypt (%d characters)", ErrUnknownFormat, len(encoded))
}

// cryptSalt cuts a crypt salt (up to max characters, ending at '$') and the
// checksum after it.
func cryptSalt(name, rest string, max, checksumLen int) (salt, checksum string, err error) {
	salt, checksum, ok := strings.Cut(rest, "$")
	if !ok {
		return "", "", malformed(name, "no '$' after the salt (truncated)")
	}
	if len(salt) > max {
		return "", "", malformed(name, fmt.Sprintf("salt longer than %d characters", max))
	}
	if len(checksum) != checksumLen {
		return "", "", malformed(name, fmt.Sprintf("checksum after the salt is %d characters, want %d", len(checksum), checksumLen))
	}
	return salt, checksum, nil
}

func (v *Verifier) md5Crypt(name, magic, encoded string, password []byte) (bool, error) {
	salt, checksum, err := cryptSalt(name, encoded[len(magic):], 8, 22)
	if err != nil {
		return false, err
	}
	got := md5Crypt(password, []byte(magic), []byte(salt))
	return equal(got, []byte(checksum)), nil
}

// md5Crypt is the checksum part of Poul-Henning Kamp's md5-crypt.
func md5Crypt(password, magic, salt []byte) []byte {
	alt := md5.Sum(append(append(append([]byte{}, password...), salt...), password...))
	ctx := md5.New()
	ctx.Write(password)
	ctx.Write(magic)
	ctx.Write(salt)
	for n := len(password); n > 0; n -= 16 {
		ctx.Write(alt[:min(n, 16)])
	}
	for i := len(password); i > 0; i >>= 1 {
		if i&1 != 0 {
			ctx.Write([]byte{0})
		} else {
			ctx.Write(password[:1])
		}
	}
	final := ctx.Sum(nil)
	for i := range 1000 {
		c := md5.New()
		if i&1 != 0 {
			c.Write(password)
		} else {
			c.Write(final)
		}
		if i%3 != 0 {
			c.Write(salt)
		}
		if i%7 != 0 {
			c.Write(password)
		}
		if i&1 != 0 {
			c.Write(final)
		} else {
			c.Write(password)
		}
		final = c.Sum(final[:0])
	}
	return cryptB64(final, md5CryptGroups, [3]int{-1, -1, 11}, 2)
}

func (v *Verifier) shaCrypt(name, magic string, h func() hash.Hash, groups [][3]int, last [3]int, n int, encoded string, password []byte) (bool, error) {
	rest := encoded[len(magic):]
	rounds := 5000
	if r, ok := strings.CutPrefix(rest, "rounds="); ok {
		digits, after, found := strings.Cut(r, "$")
		num, err := strconv.ParseUint(digits, 10, 32)
		if !found || err != nil {
			return false, malformed(name, "rounds= field is not a number followed by '$'")
		}
		rounds, rest = int(min(max(num, 1000), 999_999_999)), after
	}
	if max := v.limits().CryptRounds; rounds > max {
		return false, fmt.Errorf("%w: %s: %d rounds above %d", ErrParams, name, rounds, max)
	}
	sumLen := (len(groups)*4 + n)
	salt, checksum, err := cryptSalt(name, rest, 16, sumLen)
	if err != nil {
		return false, err
	}
	got := cryptB64(shaCrypt(h, password, []byte(salt), rounds), groups, last, n)
	return equal(got, []byte(checksum)), nil
}

// shaCrypt is the digest of Drepper's SHA-crypt.
func shaCrypt(newHash func() hash.Hash, password, salt []byte, rounds int) []byte {
	sum := func(parts ...[]byte) []byte {
		h := newHash()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(nil)
	}
	// repeat returns n bytes of b repeated.
	repeat := func(b []byte, n int) []byte {
		out := make([]byte, 0, n)
		for len(out) < n {
			out = append(out, b[:min(len(b), n-len(out))]...)
		}
		return out
	}
	b := sum(password, salt, password)
	a := newHash()
	a.Write(password)
	a.Write(salt)
	a.Write(repeat(b, len(password)))
	for i := len(password); i > 0; i >>= 1 {
		if i&1 != 0 {
			a.Write(b)
		} else {
			a.Write(password)
		}
	}
	digest := a.Sum(nil)
	dp := newHash()
	for range password {
		dp.Write(password)
	}
	p := repeat(dp.Sum(nil), len(password))
	ds := newHash()
	for range 16 + int(digest[0]) {
		ds.Write(salt)
	}
	s := repeat(ds.Sum(nil), len(salt))
	c := newHash()
	for r := range rounds {
		c.Reset()
		if r&1 != 0 {
			c.Write(p)
		} else {
			c.Write(digest)
		}
		if r%3 != 0 {
			c.Write(s)
		}
		if r%7 != 0 {
			c.Write(p)
		}
		if r&1 != 0 {
			c.Write(digest)
		} else {
			c.Write(p)
		}
		digest = c.Sum(digest[:0])
	}
	return digest
}

// verifyPhpass checks a phpass portable hash: $P$ or $H$, one character of
// log2(rounds), 8 of salt, 22 of checksum.
func verifyPhpass(v *Verifier, s Stored, password []byte) (bool, error) {
	if len(s.Hash) != 34 {
		return false, malformed("phpass", fmt.Sprintf("%d characters, want 34", len(s.Hash)))
	}
	log2 := strings.IndexByte(itoa64, s.Hash[3])
	if log2 < 7 || log2 > 30 {
		return false, malformed("phpass", "rounds character (position 4) outside 7–30")
	}
	if max := v.limits().PhpassLog2; log2 > max {
		return false, fmt.Errorf("%w: phpass: 2^%d rounds above 2^%d", ErrParams, log2, max)
	}
	salt := []byte(s.Hash[4:12])
	h := md5.Sum(append(salt, password...))
	buf := make([]byte, 0, md5.Size+len(password))
	for range 1 << log2 {
		buf = append(append(buf[:0], h[:]...), password...)
		h = md5.Sum(buf)
	}
	return equal(phpassB64(h[:]), []byte(s.Hash[12:])), nil
}

// phpassB64 is phpass's encode64: little-endian groups of 3 bytes.
func phpassB64(in []byte) []byte {
	var out []byte
	for i := 0; i < len(in); i += 3 {
		var w uint
		n := min(3, len(in)-i)
		for j := n - 1; j >= 0; j-- {
			w = w<<8 | uint(in[i+j])
		}
		for k := 0; k <= n; k++ {
			out = append(out, itoa64[w&0x3f])
			w >>= 6
		}
	}
	return out
}

// verifyWordPressBcrypt checks WordPress 6.8's "$wp" + bcrypt over
// base64(HMAC-SHA384(key "wp-sha384", trim(password))).
func verifyWordPressBcrypt(v *Verifier, s Stored, password []byte) (bool, error) {
	mac := hmac.New(sha512.New384, []byte("wp-sha384"))
	mac.Write([]byte(strings.Trim(string(password), " \t\n\r\x00\x0B"))) // PHP's trim()
	pre := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return v.bcrypt("wordpress-bcrypt", s.Hash[len("$wp"):], []byte(pre))
}

// verifyDjangoBcryptSHA256 checks Django's bcrypt_sha256$ + bcrypt over the
// hex SHA-256 of the password.
func verifyDjangoBcryptSHA256(v *Verifier, s Stored, password []byte) (bool, error) {
	sum := sha256.Sum256(password)
	return v.bcrypt("django-bcrypt-sha256", s.Hash[len("bcrypt_sha256$"):], []byte(hex.EncodeToString(sum[:])))
}

// verifyPasslibPBKDF2 checks passlib's $pbkdf2-sha256$rounds$salt$checksum
// (and -sha512, and $pbkdf2$ for SHA-1), salt and checksum in passlib's
// "adapted base64" (./ alphabet order of standard base64 with '.' for '+',
// no padding).
func verifyPasslibPBKDF2(v *Verifier, s Stored, password []byte) (bool, error) {
	parts := strings.Split(s.Hash, "$") // "", ident, rounds, salt, checksum
	if len(parts) != 5 {
		return false, malformed("passlib-pbkdf2", fmt.Sprintf("%d $-separated fields, want 5 ($ident$rounds$salt$checksum)", len(parts)))
	}
	var h func() hash.Hash
	var size int
	switch parts[1] {
	case "pbkdf2-sha256":
		h, size = sha256.New, sha256.Size
	case "pbkdf2-sha512":
		h, size = sha512.New, sha512.Size
	default:
		h, size = sha1.New, sha1.Size
	}
	iter, err := strconv.Atoi(parts[2])
	if err != nil || iter < 1 {
		return false, malformed("passlib-pbkdf2", "rounds in field 2")
	}
	ab64 := base64.RawStdEncoding
	salt, err := ab64.DecodeString(strings.ReplaceAll(parts[3], ".", "+"))
	if err != nil {
		return false, malformed("passlib-pbkdf2", "salt in field 3 (adapted base64)")
	}
	want, err := ab64.DecodeString(strings.ReplaceAll(parts[4], ".", "+"))
	if err != nil || len(want) != size {
		return false, malformed("passlib-pbkdf2", "checksum in field 4 (adapted base64 of the digest size)")
	}
	return v.pbkdf2("passlib-pbkdf2", h, password, salt, iter, want)
}

// verifyLDAP checks an LDAP userPassword value: {SHA}/{MD5} (unsalted
// digest), {SSHA}/{SSHA256}/{SSHA512}/{SMD5} (digest of password+salt, then
// the salt, base64) and {CRYPT} wrapping a crypt(3) string.
func verifyLDAP(v *Verifier, s Stored, password []byte) (bool, error) {
	scheme, value, _ := strings.Cut(s.Hash[1:], "}")
	var size int
	switch {
	case asciiEqualFold(scheme, "CRYPT"):
		return v.crypt(value, password)
	case asciiEqualFold(scheme, "SHA"), asciiEqualFold(scheme, "SSHA"):
		size = sha1.Size
	case asciiEqualFold(scheme, "SSHA256"):
		size = sha256.Size
	case asciiEqualFold(scheme, "SSHA512"):
		size = sha512.Size
	case asciiEqualFold(scheme, "MD5"), asciiEqualFold(scheme, "SMD5"):
		size = md5.Size
	default:
		return false, fmt.Errorf("%w: ldap: scheme", ErrUnknownFormat)
	}
	// decoded on the stack when it fits (a SHA-512 digest and a 64-byte
	// salt): a heap allocation, or zeroing a maxDigest buffer, would weigh
	// next to the digest
	var buf [128]byte
	dst := buf[:]
	switch n := base64.StdEncoding.DecodedLen(len(value)); {
	case n > maxDigest:
		return false, malformed("ldap", "value after the {SCHEME} is not base64")
	case n > len(buf):
		dst = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(dst, []byte(value))
	if err != nil {
		return false, malformed("ldap", "value after the {SCHEME} is not base64")
	}
	raw := dst[:n]
	salted := (scheme[0] == 'S' || scheme[0] == 's') && !asciiEqualFold(scheme, "SHA")
	switch {
	case !salted && len(raw) != size:
		return false, malformed("ldap", fmt.Sprintf("digest of %d bytes, want %d", len(raw), size))
	case salted && len(raw) <= size:
		return false, malformed("ldap", "salted digest without a salt (truncated)")
	}
	want, salt := raw[:size], raw[size:]
	// one-shot sums over password+salt in a stack buffer: no hash.Hash
	// interface (which would put the state on the heap) for a 0.2 µs digest
	var in [256]byte
	msg := append(append(in[:0], password...), salt...)
	var got []byte
	switch size {
	case sha1.Size:
		d := sha1.Sum(msg)
		got = d[:]
	case sha256.Size:
		d := sha256.Sum256(msg)
		got = d[:]
	case sha512.Size:
		d := sha512.Sum512(msg)
		got = d[:]
	default:
		d := md5.Sum(msg)
		got = d[:]
	}
	return equal(got, want), nil
}
