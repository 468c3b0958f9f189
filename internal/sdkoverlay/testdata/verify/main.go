// Command verify checks ECDSA P-384 signatures through the Material Providers
// Library's Signature.ECDSA_Verify, the function the Encryption SDK calls for
// a message's signature, and compares every answer with crypto/ecdsa's own
// P-384 check. internal/sdkoverlay's tests run it against go.mod and against
// the Lambda artifacts' go.mod, where TableFree has rewritten that function.
//
// It prints the first check's allocations (made before anything else touches
// P-384, so a generator table built then shows), then the cases' counts and
// the Dafny runtime's SIZE__T__MAX (computed once by ComputeOnce), and exits 1 if
// ECDSA_Verify and crypto/ecdsa disagree on any case.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"math/big"
	"os"
	"runtime"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/primitives/AwsCryptographyPrimitivesTypes"
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/primitives/Signature"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
	dafny "github.com/dafny-lang/DafnyRuntimeGo/v4/dafny"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// A P-384 signature made by OpenSSL 3.0 over vectorMessage (openssl ecparam
// -name secp384r1 -genkey; openssl ec -pubout -outform DER; openssl dgst
// -sha384 -sign).
const (
	vectorKey       = "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEjGO2REA7ThxTfyvg/AewR6HuNkQV9em4o6/dPBUDWnzLk0F7rSFWcp7EryNxyRn68sgCdbUj6UwrwArDT7BcDXgVUhRuSul2v+IggWeMt3tN1b8PttbmcZPEf5U2/ivf"
	vectorSignature = "MGUCMQDPT+BpC9uSc8Hk77LJqdAEtWHpBPpJIos7S4fNmFeCzBOk0hX5ICfiz8z1Q9W6nGgCMCstQecIkkPhSs9jkSB8kwkIzXJQuTfAm+acytUjT8UoicfBZsYIB4r8QMZOEQF2fw=="
	vectorMessage   = "poolside prewarm test vector"
)

type check struct {
	name          string
	key, msg, sig []byte // key: a compressed point, as the Encryption SDK stores it
}

// verify is the Encryption SDK's path: false for a failure too (a key that
// does not decompress), as the SDK then rejects the message.
func verify(c check) bool {
	res := Signature.ECDSA_Verify(AwsCryptographyPrimitivesTypes.Companion_ECDSASignatureAlgorithm_.Create_ECDSA__P384_(),
		dafny.SeqOfBytes(c.key), dafny.SeqOfBytes(c.msg), dafny.SeqOfBytes(c.sig))
	return !res.IsFailure() && res.Dtor_value().(bool)
}

// reference is crypto/ecdsa's P-384 check of the same case.
func reference(c check) bool {
	x, y := elliptic.UnmarshalCompressed(elliptic.P384(), c.key)
	if x == nil {
		return false
	}
	digest := sha512.Sum384(c.msg)
	return ecdsa.VerifyASN1(&ecdsa.PublicKey{Curve: elliptic.P384(), X: x, Y: y}, digest[:], c.sig)
}

func main() {
	der, _ := base64.StdEncoding.DecodeString(vectorKey)
	sig, _ := base64.StdEncoding.DecodeString(vectorSignature)
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		fail(err)
	}
	k := pub.(*ecdsa.PublicKey)
	openssl := check{"openssl", elliptic.MarshalCompressed(elliptic.P384(), k.X, k.Y), []byte(vectorMessage), sig}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	first := verify(openssl)
	runtime.ReadMemStats(&after)
	fmt.Printf("first verified=%t allocs=%d bytes=%d\n", first, after.Mallocs-before.Mallocs, after.TotalAlloc-before.TotalAlloc)

	checks := variants(openssl)
	for i := range 40 { // signatures crypto/ecdsa makes, with their variants
		key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			fail(err)
		}
		msg := fmt.Appendf(nil, "generated message %d", i)
		digest := sha512.Sum384(msg)
		s, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
		if err != nil {
			fail(err)
		}
		checks = append(checks, variants(check{fmt.Sprint("generated ", i), elliptic.MarshalCompressed(elliptic.P384(), key.X, key.Y), msg, s})...)
	}
	accepted, rejected, disagree := 0, 0, 0
	for _, c := range checks {
		got, want := verify(c), reference(c)
		if got != want {
			disagree++
			fmt.Printf("disagree: %s: ECDSA_Verify %t, crypto/ecdsa %t\n", c.name, got, want)
		}
		if got {
			accepted++
		} else {
			rejected++
		}
	}
	fmt.Printf("checks=%d accepted=%d rejected=%d disagreements=%d\n", len(checks), accepted, rejected, disagree)
	// The Dafny runtime's SIZE__T__MAX, which ComputeOnce computes once.
	fmt.Printf("sizeTMax=%d\n", dafny.Companion_Default___.SIZE__T__MAX())
	// The Encryption SDK's whole path, as a custom sender's decryption takes
	// it (header, algorithm suite, data key, body, signature), with a raw AES
	// keyring in place of KMS.
	roundTrips, refused := messages()
	fmt.Printf("roundtrips=%d tampered-refused=%d\n", roundTrips, refused)
	if disagree > 0 {
		os.Exit(1)
	}
}

// messages encrypts a code under each committing algorithm suite (Cognito
// uses the signed one) and under the signed suite of message format version
// 1 (which custom senders still decrypt), decrypts it back, and decrypts
// copies with one byte changed in the header, the body and the signature. It
// returns the round trips that gave the code back and the tampered copies
// refused.
func messages() (roundTrips, refused int) {
	ctx := context.Background()
	mp, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		fail(err)
	}
	keyring, err := mp.CreateRawAesKeyring(ctx, mpltypes.CreateRawAesKeyringInput{KeyNamespace: "poolside", KeyName: "verify",
		WrappingKey: make([]byte, 32), WrappingAlg: mpltypes.AesWrappingAlgAlgAes256GcmIv12Tag16})
	if err != nil {
		fail(err)
	}
	code := []byte("482913")
	for _, m := range []struct {
		suite  mpltypes.ESDKAlgorithmSuiteId
		policy mpltypes.ESDKCommitmentPolicy
	}{
		{mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmHkdfSha512CommitKeyEcdsaP384, mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt},
		{mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmHkdfSha512CommitKey, mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt},
		{mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmIv12Tag16HkdfSha384EcdsaP384, mpltypes.ESDKCommitmentPolicyForbidEncryptAllowDecrypt},
	} {
		client, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &m.policy})
		if err != nil {
			fail(err)
		}
		out, err := client.Encrypt(ctx, esdktypes.EncryptInput{Plaintext: code, Keyring: keyring, AlgorithmSuiteId: &m.suite})
		if err != nil {
			fail(fmt.Errorf("encrypt (%s): %w", m.suite, err))
		}
		back, err := client.Decrypt(ctx, esdktypes.DecryptInput{Ciphertext: out.Ciphertext, Keyring: keyring})
		if err != nil {
			fail(fmt.Errorf("decrypt (%s): %w", m.suite, err))
		}
		if string(back.Plaintext) == string(code) {
			roundTrips++
		}
		for _, at := range []int{10, len(out.Ciphertext) - 120, len(out.Ciphertext) - 1} {
			tampered := append([]byte(nil), out.Ciphertext...)
			tampered[at] ^= 0x01
			if _, err := client.Decrypt(ctx, esdktypes.DecryptInput{Ciphertext: tampered, Keyring: keyring}); err != nil {
				refused++
			}
		}
	}
	return roundTrips, refused
}

var n384 = elliptic.P384().Params().N

// variants returns c and what is made of it: a signature with either half
// changed or out of range, the other half of (r, s)'s pair (n − s: also
// valid), another message, the key's negation, a cut signature.
func variants(c check) []check {
	r, s := parse(c.sig)
	add := func(v *big.Int, d int64) *big.Int { return new(big.Int).Add(v, big.NewInt(d)) }
	negKey := append([]byte{c.key[0] ^ 1}, c.key[1:]...) // 02 ↔ 03: the point −Q
	msg := append([]byte{c.msg[0] ^ 1}, c.msg[1:]...)
	with := func(name string, key, msg, sig []byte) check { return check{c.name + ": " + name, key, msg, sig} }
	return []check{
		c,
		with("r+1", c.key, c.msg, encode(add(r, 1), s)),
		with("s+1", c.key, c.msg, encode(r, add(s, 1))),
		with("n−s", c.key, c.msg, encode(r, new(big.Int).Sub(n384, s))),
		with("r=0", c.key, c.msg, encode(big.NewInt(0), s)),
		with("s=0", c.key, c.msg, encode(r, big.NewInt(0))),
		with("r=n", c.key, c.msg, encode(n384, s)),
		with("s=n", c.key, c.msg, encode(r, n384)),
		with("r+n", c.key, c.msg, encode(new(big.Int).Add(r, n384), s)),
		with("(s, r)", c.key, c.msg, encode(s, r)),
		with("another message", c.key, msg, c.sig),
		with("−Q", negKey, c.msg, c.sig),
		with("cut", c.key, c.msg, c.sig[:len(c.sig)-1]),
	}
}

func parse(sig []byte) (r, s *big.Int) {
	r, s = new(big.Int), new(big.Int)
	in, inner := cryptobyte.String(sig), cryptobyte.String(nil)
	if !in.ReadASN1(&inner, asn1.SEQUENCE) || !inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) {
		fail(fmt.Errorf("not an ASN.1 signature"))
	}
	return r, s
}

func encode(r, s *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(r)
		b.AddASN1BigInt(s)
	})
	return b.BytesOrPanic()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "verify:", err)
	os.Exit(2)
}
