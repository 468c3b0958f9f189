package migration

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// benchCase is one format's benchmark: a stored password (a vector of
// another implementation, from formatVectors) and a direct call of the same
// primitive with the parameters already parsed, which is what poolside's
// Verify is measured against.
type benchCase struct {
	vector string // the formatVectors tool of the vector
	direct func(tb testing.TB, password []byte)
}

func mustB64(tb testing.TB, enc *base64.Encoding, s string) []byte {
	tb.Helper()
	b, err := enc.DecodeString(s)
	require.NoError(tb, err)
	return b
}

func mustPBKDF2(tb testing.TB, h func() hash.Hash, pw, salt []byte, iter, n int) []byte {
	tb.Helper()
	k, err := pbkdf2.Key(h, string(pw), salt, iter, n)
	require.NoError(tb, err)
	return k
}

var benchCases = map[string]benchCase{
	"bcrypt": {"Apache htpasswd 2.4.57: htpasswd -nbB -C 5", func(tb testing.TB, pw []byte) {
		_ = bcrypt.CompareHashAndPassword([]byte(vecBcrypt2y), pw)
	}},
	"argon2": {"argon2 reference CLI 20190702 -id -t 1 -m 12 -p 2", func(tb testing.TB, pw []byte) {
		argon2.IDKey(pw, []byte("saltsaltsalt"), 1, 4096, 2, 32)
	}},
	"django-pbkdf2": {"Python hashlib.pbkdf2_hmac('sha256', …, 1000)", func(tb testing.TB, pw []byte) {
		mustPBKDF2(tb, sha256.New, pw, []byte("seasalt"), 1000, 32)
	}},
	"django-scrypt": {"Python hashlib.scrypt(n=1024, r=8, p=1, dklen=64)", func(tb testing.TB, pw []byte) {
		_, _ = scrypt.Key(pw, []byte("tiny"), 1024, 8, 1, 64)
	}},
	"django-bcrypt-sha256": {"passlib 1.7.4 django_bcrypt_sha256.using(rounds=5)", func(tb testing.TB, pw []byte) {
		sum := sha256.Sum256(pw)
		_ = bcrypt.CompareHashAndPassword([]byte("$2b$05$abcdefghijklmnopqrstuufu6bwyuwA5r.POgneFCQyt1pp.Qybze"), []byte(hex.EncodeToString(sum[:])))
	}},
	"passlib-pbkdf2": {"passlib 1.7.4 pbkdf2_sha256.using(salt=b'passlibsalt', rounds=1000)", func(tb testing.TB, pw []byte) {
		mustPBKDF2(tb, sha256.New, pw, []byte("passlibsalt"), 1000, 32)
	}},
	"phpass": {"passlib 1.7.4 phpass.using(salt='Ab3dEf6h', rounds=8, ident='P') (WordPress's setting)", func(tb testing.TB, pw []byte) {
		h := md5.Sum(append([]byte("Ab3dEf6h"), pw...))
		buf := make([]byte, 0, md5.Size+len(pw))
		for range 1 << 8 {
			buf = append(append(buf[:0], h[:]...), pw...)
			h = md5.Sum(buf)
		}
	}},
	"wordpress-bcrypt": {`PHP 8.2: "$wp".password_hash(base64_encode(hash_hmac("sha384", trim(" hunter2 "), "wp-sha384", true)), PASSWORD_BCRYPT, cost 5)`, func(tb testing.TB, pw []byte) {
		mac := hmac.New(sha512.New384, []byte("wp-sha384"))
		mac.Write(pw)
		_ = bcrypt.CompareHashAndPassword([]byte("$2y$05$4MbAbApnaufxsWTwWYTarebecwlkn.Iz2dJTd0THP.4Zr7aprFeke"), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))))
	}},
	"md5-crypt": {"OpenSSL 3.0.19: openssl passwd -1 -salt saltsalt", func(tb testing.TB, pw []byte) {
		md5Crypt(pw, []byte("$1$"), []byte("saltsalt"))
	}},
	"sha256-crypt": {"OpenSSL 3.0.19: openssl passwd -5 -salt saltsalt", func(tb testing.TB, pw []byte) {
		shaCrypt(sha256.New, pw, []byte("saltsalt"), 5000)
	}},
	"sha512-crypt": {"OpenSSL 3.0.19: openssl passwd -6 -salt saltsalt", func(tb testing.TB, pw []byte) {
		shaCrypt(sha512.New, pw, []byte("saltsalt"), 5000)
	}},
	// For a digest this cheap (~0.2 µs) the direct side is the check a team
	// would write by hand with the standard library — base64-decode the
	// stored value, split digest and salt, hash, compare — because decoding
	// costs as much as the hash itself; what the ratio then shows is the
	// cost of poolside's format lookup and dispatch.
	"ldap": {"passlib 1.7.4 ldap_salted_sha1.using(salt=b'saltsalt')", func(tb testing.TB, pw []byte) {
		raw, _ := base64.StdEncoding.DecodeString("EwvBq0sMQSLLD3eOSZNmhQqOOkRzYWx0c2FsdA==")
		h := sha1.New()
		h.Write(pw)
		h.Write(raw[sha1.Size:])
		subtle.ConstantTimeCompare(h.Sum(nil), raw[:sha1.Size])
	}},
	"aspnet-identity": {"Python hashlib.pbkdf2_hmac('sha256', …, 10000, 32), v3 layout 0x01|prf 1|iter|saltlen 16|salt|subkey", func(tb testing.TB, pw []byte) {
		mustPBKDF2(tb, sha256.New, pw, []byte("aspnet-v3-salt16"), 10000, 32)
	}},
	"firebase-scrypt": {"firebase/scrypt README.md sample (user1@test.com)", func(tb testing.TB, pw []byte) {
		key, _ := scrypt.Key(pw, append(mustB64(tb, base64.StdEncoding, firebaseSampleSalt), 7), 1<<14, 8, 1, 32)
		block, _ := aes.NewCipher(key)
		signer := mustB64(tb, base64.StdEncoding, firebaseSignerKey)
		cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(signer, signer)
	}},
	"keycloak": {"Python hashlib.pbkdf2_hmac('sha256', …, b'keycloak-salt-16', 27500, 32) (Keycloak ≤ 23's default)", func(tb testing.TB, pw []byte) {
		mustPBKDF2(tb, sha256.New, pw, []byte("keycloak-salt-16"), 27500, 32)
	}},
}

func TestEveryFormatIsBenchmarked(t *testing.T) {
	for _, f := range Formats {
		c, ok := benchCases[f.Name]
		require.True(t, ok, "no benchmark for %s", f.Name)
		v := vectorByTool(t, c.vector)
		require.Equal(t, f.Name, v.format)
	}
}

func vectorByTool(tb testing.TB, tool string) formatVector {
	tb.Helper()
	for _, v := range formatVectors {
		if v.tool == tool {
			return v
		}
	}
	tb.Fatalf("no vector made by %q", tool)
	return formatVector{}
}

// BenchmarkVerify measures, per format, poolside's Verify against a direct
// call of the same primitive with parsed parameters, interleaved (in
// alternating order) so that a busy machine slows both alike. Reported: ns per verify, ns per direct
// call and their ratio (goal ≤ 1.05: parsing, decoding and dispatch cost
// nothing next to the hash). It reports; it does not assert.
func BenchmarkVerify(b *testing.B) {
	for _, f := range Formats {
		c := benchCases[f.Name]
		vec := vectorByTool(b, c.vector)
		b.Run(f.Name, func(b *testing.B) {
			v := &Verifier{Firebase: firebaseSample(b)}
			pw := []byte(vec.password)
			var tv, td time.Duration
			// Each side runs k calls between two clock reads: for a digest of
			// ~0.2 µs (LDAP) one time.Now pair per call would weigh as much as
			// the call itself; k makes a batch last ≥ 20 µs (k = 1 for the
			// costly formats).
			k := 1
			start := time.Now()
			c.direct(b, pw)
			if once := time.Since(start); once < 20*time.Microsecond {
				k = int(20*time.Microsecond/max(once, time.Nanosecond)) + 1
			}
			// the fastest batch of each side as well: what a batch costs
			// when the machine adds nothing (a page fault, a collection, a
			// preemption only ever add time)
			minV, minD := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			verify := func() {
				start := time.Now()
				for range k {
					ok, err := v.Verify(vec.stored, pw)
					if !ok || err != nil {
						b.Fatal(ok, err)
					}
				}
				d := time.Since(start)
				tv, minV = tv+d, min(minV, d)
			}
			direct := func() {
				start := time.Now()
				for range k {
					c.direct(b, pw)
				}
				d := time.Since(start)
				td, minD = td+d, min(minD, d)
			}
			first := true
			for b.Loop() {
				// the order flips every round: neither side always runs first
				if first {
					verify()
					direct()
				} else {
					direct()
					verify()
				}
				first = !first
			}
			n := float64(b.N * k)
			b.ReportMetric(float64(tv.Nanoseconds())/n, "ns/verify")
			b.ReportMetric(float64(td.Nanoseconds())/n, "ns/direct")
			b.ReportMetric(float64(tv)/float64(td), "verify/direct")
			b.ReportMetric(float64(minV)/float64(minD), "fastest-verify/direct")
		})
	}
}

// BenchmarkUnknownVsKnownUser measures the Authenticator's unknown-user path
// (a dummy bcrypt at DefaultDummyCost) against a known user whose hash is in
// the default format at the same cost, with a wrong password, interleaved
// in alternating order. Reported: the ratio (goal within ±10 %). It does not assert.
func BenchmarkUnknownVsKnownUser(b *testing.B) {
	hash, err := BcryptHash([]byte("the right one"), DefaultDummyCost)
	require.NoError(b, err)
	a := &Authenticator{DummyCost: DefaultDummyCost, Source: sourceFunc(func(_ context.Context, login string) (User, error) {
		if login == "known" {
			return User{Username: login, PasswordHash: hash}, nil
		}
		return User{}, ErrNotFound
	})}
	ctx := context.Background()
	pw := []byte("a wrong password")
	_, _ = a.Authenticate(ctx, "nobody", pw) // the dummy hash is made on the first unknown user
	var tk, tu time.Duration
	timed := func(login string, total *time.Duration) {
		start := time.Now()
		_, _ = a.Authenticate(ctx, login, pw)
		*total += time.Since(start)
	}
	first := true
	for b.Loop() {
		if first { // the order flips every round
			timed("known", &tk)
			timed("nobody", &tu)
		} else {
			timed("nobody", &tu)
			timed("known", &tk)
		}
		first = !first
	}
	b.ReportMetric(float64(tu)/float64(tk), "unknown/known")
	b.ReportMetric(float64(tk.Milliseconds())/float64(b.N), "ms/known")
}
