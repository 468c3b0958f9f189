package sdkoverlay

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answer checked ahead is taken only inside the rewritten functions;
// testdata/verify (TestTableFreeChecksAsCryptoECDSA) checks that it is
// taken, and only for the same bytes.

func TestAheadCheckRewritesTheLinkedExtern(t *testing.T) {
	src := linkedFile(t, signaturePackage, "externs.go")
	tableFree, err := TableFree(src)
	require.NoError(t, err)
	out, err := AheadCheck(tableFree)
	require.NoError(t, err)
	s := string(out)
	at := strings.Index(s, "func ECDSA_Verify(")
	require.GreaterOrEqual(t, at, 0)
	body := s[at:]
	body = body[strings.Index(body, "{")+1:]
	assert.True(t, strings.HasPrefix(strings.TrimSpace(body),
		"if ok, known := poolsideAheadResult(algorithm, key, msg, sig); known {\n\t\treturn Wrappers.Companion_Result_.Create_Success_(ok)\n\t}"),
		"the answer checked ahead is asked for first:\n%s", body[:min(len(body), 300)])
	assert.Equal(t, 1, strings.Count(s, "poolsideAhead"), "only ECDSA_Verify changes")
	assert.Contains(t, s, "res := tableFreeVerifyASN1(", "TableFree's rewrite stays")
}

func TestAheadCheckRefusesAnotherShape(t *testing.T) {
	const good = `package Signature

import (
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/primitives/AwsCryptographyPrimitivesTypes"
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/smithy-dafny-standard-library/Wrappers"
	dafny "github.com/dafny-lang/DafnyRuntimeGo/v4/dafny"
)

func ECDSA_Verify(algorithm AwsCryptographyPrimitivesTypes.ECDSASignatureAlgorithm, key dafny.Sequence,
	msg dafny.Sequence, sig dafny.Sequence) Wrappers.Result {
	return Wrappers.Companion_Result_.Create_Success_(false)
}
`
	out, err := AheadCheck([]byte(good))
	require.NoError(t, err, "the shape the library has")
	require.Contains(t, string(out), "\tif ok, known := poolsideAheadResult(algorithm, key, msg, sig); known {")

	for name, mutate := range map[string]func(string) string{
		"no ECDSA_Verify":   func(s string) string { return strings.Replace(s, "func ECDSA_Verify(", "func Verify(", 1) },
		"three parameters":  func(s string) string { return strings.Replace(s, ", sig dafny.Sequence)", ")", 1) },
		"another algorithm": func(s string) string { return strings.Replace(s, ".ECDSASignatureAlgorithm", ".DigestAlgorithm", 1) },
		"bytes, not sequences": func(s string) string {
			return strings.Replace(s, "msg dafny.Sequence, sig dafny.Sequence", "msg []byte, sig []byte", 1)
		},
		"another result": func(s string) string {
			s = strings.Replace(s, ") Wrappers.Result {", ") bool {", 1)
			return strings.Replace(s, "return Wrappers.Companion_Result_.Create_Success_(false)", "return false", 1)
		},
		"already rewritten": func(s string) string {
			return s + "\nfunc poolsideAheadResult() {}\n"
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := AheadCheck([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}

func TestAheadStartRewritesTheLinkedClient(t *testing.T) {
	src := linkedFile(t, esdkClientPackage, "api_client.go")
	out, err := AheadStart(src)
	require.NoError(t, err)
	s := string(out)
	assert.Contains(t, s, "\t\""+signaturePackage+"\"\n")
	at := strings.Index(s, "func (client *Client) Decrypt(")
	require.GreaterOrEqual(t, at, 0)
	body := s[at:]
	body = body[strings.Index(body, "{")+1:]
	assert.True(t, strings.HasPrefix(strings.TrimSpace(body), "Signature.PoolsideVerifyAhead(params.Ciphertext)\n"),
		"the check starts before anything else:\n%s", body[:min(len(body), 300)])
	assert.Equal(t, 1, strings.Count(s, "PoolsideVerifyAhead"), "Encrypt does not change")
}

func TestAheadStartRefusesAnotherShape(t *testing.T) {
	const good = `package awscryptographyencryptionsdksmithygenerated

import (
	"context"

	"github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
)

type Client struct{}

func (client *Client) Decrypt(ctx context.Context, params awscryptographyencryptionsdksmithygeneratedtypes.DecryptInput) (*awscryptographyencryptionsdksmithygeneratedtypes.DecryptOutput, error) {
	return nil, params.Validate()
}
`
	out, err := AheadStart([]byte(good))
	require.NoError(t, err, "the shape the library has")
	require.Contains(t, string(out), "{\n\tSignature.PoolsideVerifyAhead(params.Ciphertext)\n\treturn nil, params.Validate()")

	for name, mutate := range map[string]func(string) string{
		"no Decrypt":       func(s string) string { return strings.Replace(s, ") Decrypt(", ") Decrypt2(", 1) },
		"not a method":     func(s string) string { return strings.Replace(s, "func (client *Client) Decrypt(", "func Decrypt(", 1) },
		"params renamed":   func(s string) string { return strings.ReplaceAll(s, "params", "in") },
		"another input":    func(s string) string { return strings.Replace(s, "types.DecryptInput)", "types.EncryptInput)", 1) },
		"Signature in use": func(s string) string { return s + "\nvar Signature int\n" },
		"Signature imported": func(s string) string {
			return strings.Replace(s, "\t\"context\"\n", "\t\"context\"\n\t\""+signaturePackage+"\"\n", 1)
		},
		"no import block": func(s string) string {
			s = strings.Replace(s, "import (\n\t\"context\"\n\n", "import \"context\"\n\nimport (\n", 1)
			return strings.Replace(s, "import (\n\t\"github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes\"\n)",
				"import \"github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes\"", 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := AheadStart([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}
