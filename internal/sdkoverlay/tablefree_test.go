package sdkoverlay

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTableFreeRewritesTheLinkedExtern(t *testing.T) {
	src := linkedFile(t, signaturePackage, "externs.go")
	out, err := TableFree(src)
	require.NoError(t, err)
	assert.Contains(t, string(out), "res := tableFreeVerifyASN1(&ecdsa.PublicKey{Curve: curve, X: x, Y: y}")
	assert.Equal(t, 1, strings.Count(string(out), "tableFree"), "only the check changes: Sign and ExternKeyGen stay")
	assert.NotContains(t, string(out), "ecdsa.VerifyASN1")
}

func TestTableFreeRefusesAnotherShape(t *testing.T) {
	const good = `package Signature

import (
	"crypto/ecdsa"
	"crypto/elliptic"
)

func ECDSA_Verify(curve elliptic.Curve, digest, sig []byte) bool {
	x, y := elliptic.UnmarshalCompressed(curve, nil)
	res := ecdsa.VerifyASN1(&ecdsa.PublicKey{Curve: curve, X: x, Y: y}, digest,
		sig)
	return res
}
`
	out, err := TableFree([]byte(good))
	require.NoError(t, err, "the shape the library has")
	require.Contains(t, string(out), "res := tableFreeVerifyASN1(&ecdsa.PublicKey{Curve: curve, X: x, Y: y}, digest,")

	for name, mutate := range map[string]func(string) string{
		"no ECDSA_Verify": func(s string) string { return strings.Replace(s, "func ECDSA_Verify(", "func Verify(", 1) },
		"a method, not the function": func(s string) string {
			return strings.Replace(s, "func ECDSA_Verify(", "type T struct{}\n\nfunc (T) ECDSA_Verify(", 1)
		},
		"another check": func(s string) string { return strings.Replace(s, "ecdsa.VerifyASN1(", "ecdsa.Verify(", 1) },
		"the key built apart": func(s string) string {
			s = strings.Replace(s, "res := ecdsa.VerifyASN1(&ecdsa.PublicKey{Curve: curve, X: x, Y: y}, digest,",
				"key := &ecdsa.PublicKey{Curve: curve, X: x, Y: y}\n\tres := ecdsa.VerifyASN1(key, digest,", 1)
			return s
		},
		"two keys": func(s string) string {
			return strings.Replace(s, "return res", "_ = ecdsa.PublicKey{Curve: curve}\n\treturn res", 1)
		},
		"no Curve field": func(s string) string { return strings.Replace(s, "{Curve: curve, X: x, Y: y}", "{X: x, Y: y}", 1) },
		"already rewritten": func(s string) string {
			return s + "\nfunc tableFreeVerifyASN1(*ecdsa.PublicKey, []byte, []byte) bool { return false }\n"
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := TableFree([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}

// TestTableFreeChecksAsCryptoECDSA runs testdata/verify against go.mod and
// against Write's go.mod: both must agree with crypto/ecdsa on every case
// (OpenSSL's signature, generated ones, and their variants), and only the
// rewritten check may skip the generator table, seen in the first check's
// allocations (the table is thousands of points, 200 KB).
func TestTableFreeChecksAsCryptoECDSA(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a program against two module graphs")
	}
	checkVerify(t, func(modfile ...string) *exec.Cmd {
		return exec.Command("go", append(append([]string{"run"}, modfile...), "./internal/sdkoverlay/testdata/verify")...)
	})
}

// TestTableFreeChecksAsCryptoECDSAOnArm64 does the same with arm64 builds run
// by qemu-aarch64 (.ci/ensure-qemu.sh installs it): the Lambda artifacts are
// arm64, where CIRCL's field arithmetic is other assembly. It also runs
// TestCIRCLCombinedMultAgreesWithTheStandardLibrary there.
func TestTableFreeChecksAsCryptoECDSAOnArm64(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and emulates arm64 programs")
	}
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("qemu-aarch64: CI needs it (make test runs .ci/ensure-qemu.sh)")
		}
		t.Skip("no qemu-aarch64: run through make test")
	}
	tmp := t.TempDir()
	build := func(out string, args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", b)
		require.FileExists(t, out)
	}
	checkVerify(t, func(modfile ...string) *exec.Cmd {
		bin := filepath.Join(tmp, fmt.Sprintf("verify%d", len(modfile)))
		build(bin, append(append([]string{"build", "-o", bin}, modfile...), "./internal/sdkoverlay/testdata/verify")...)
		return exec.Command(qemu, bin)
	})
	unit := filepath.Join(tmp, "sdkoverlay.test")
	build(unit, "test", "-c", "-o", unit, "./internal/sdkoverlay")
	out, err := exec.Command(qemu, unit, "-test.run", "^TestCIRCLCombinedMultAgreesWithTheStandardLibrary$", "-test.v").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestCIRCLCombinedMultAgreesWithTheStandardLibrary")
}

// checkVerify runs testdata/verify by command (with no argument, against
// go.mod; with "-modfile", path, against Write's) and checks the answers.
func checkVerify(t *testing.T, command func(modfile ...string) *exec.Cmd) {
	t.Helper()
	modfile := overlay(t)

	type result struct {
		verified                 bool
		allocs, bytes            int
		checks, accepted, reject int
		sizeTMax                 uint32
		roundTrips, refused      int
	}
	run := func(modfile ...string) result {
		cmd := command(modfile...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out) // exit 1: a disagreement, listed
		var r result
		var disagree int
		_, err = fmt.Sscanf(string(out), "first verified=%t allocs=%d bytes=%d\nchecks=%d accepted=%d rejected=%d disagreements=%d\nsizeTMax=%d\nroundtrips=%d tampered-refused=%d",
			&r.verified, &r.allocs, &r.bytes, &r.checks, &r.accepted, &r.reject, &disagree, &r.sizeTMax, &r.roundTrips, &r.refused)
		require.NoError(t, err, "%s", out)
		require.Zero(t, disagree)
		return r
	}
	eager, rewritten := run(), run("-modfile", modfile)
	t.Logf("first P-384 check: %d allocations, %d bytes; without the table: %d, %d", eager.allocs, eager.bytes, rewritten.allocs, rewritten.bytes)
	for _, r := range []result{eager, rewritten} {
		assert.True(t, r.verified, "OpenSSL's signature checks")
		assert.Positive(t, r.accepted)
		assert.Positive(t, r.reject)
		assert.Equal(t, r.checks, r.accepted+r.reject)
		assert.Equal(t, 3, r.roundTrips, "the Encryption SDK gives the code back under both committing suites and the signed version 1 one")
		assert.Equal(t, 9, r.refused, "and refuses each message with a byte changed")
	}
	assert.Equal(t, eager.checks, rewritten.checks)
	assert.Equal(t, uint32(1<<31-1), eager.sizeTMax)
	assert.Equal(t, eager.sizeTMax, rewritten.sizeTMax, "ComputeOnce: the Dafny runtime's constant, computed once, is the same")
	assert.Equal(t, eager.accepted, rewritten.accepted, "the same signatures pass (each generated one and its n − s twin)")
	assert.Greater(t, eager.allocs, 1000, "Go's own check builds the generator table (else this rewrite is moot)")
	assert.Greater(t, eager.bytes, 150<<10)
	assert.Less(t, rewritten.allocs, 1000, "the rewritten check builds no table")
	assert.Less(t, rewritten.bytes, 64<<10)
}
