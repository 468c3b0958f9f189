package prewarm

import (
	"crypto/ecdsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A P-384 signature made by OpenSSL 3.0 (openssl ecparam -name secp384r1
// -genkey; openssl ec -pubout -outform DER; openssl dgst -sha384 -sign) over
// vectorMessage: making one here would build the tables under test.
const (
	vectorKey       = "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEjGO2REA7ThxTfyvg/AewR6HuNkQV9em4o6/dPBUDWnzLk0F7rSFWcp7EryNxyRn68sgCdbUj6UwrwArDT7BcDXgVUhRuSul2v+IggWeMt3tN1b8PttbmcZPEf5U2/ivf"
	vectorSignature = "MGUCMQDPT+BpC9uSc8Hk77LJqdAEtWHpBPpJIos7S4fNmFeCzBOk0hX5ICfiz8z1Q9W6nGgCMCstQecIkkPhSs9jkSB8kwkIzXJQuTfAm+acytUjT8UoicfBZsYIB4r8QMZOEQF2fw=="
	vectorMessage   = "poolside prewarm test vector"
)

// childEnv makes the test binary a child that checks one signature and
// reports how many heap objects the check allocated: "cold" checks it first
// thing, "warm" after P384.
const childEnv = "POOLSIDE_PREWARM_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		if err := child(mode == "warm"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func child(warm bool) error {
	der, _ := base64.StdEncoding.DecodeString(vectorKey)
	sig, _ := base64.StdEncoding.DecodeString(vectorSignature)
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return err
	}
	digest := sha512.Sum384([]byte(vectorMessage))
	if warm {
		P384()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ok := ecdsa.VerifyASN1(key.(*ecdsa.PublicKey), digest[:], sig)
	runtime.ReadMemStats(&after)
	fmt.Printf("verified=%v allocs=%d\n", ok, after.Mallocs-before.Mallocs)
	return nil
}

// The tables are counted by their allocations, not timed: Go allocates each
// of the table's points, thousands of them, while a check with the tables
// built allocates a handful. The cold child shows the test can tell.
func TestP384(t *testing.T) {
	allocs := map[string]int{}
	for _, mode := range []string{"cold", "warm"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+mode)
		out, err := cmd.Output()
		require.NoError(t, err, mode)
		var verified bool
		var n int
		_, err = fmt.Sscanf(strings.TrimSpace(string(out)), "verified=%t allocs=%d", &verified, &n)
		require.NoError(t, err, "%s child said %q", mode, out)
		require.True(t, verified, "%s: OpenSSL's signature checks", mode)
		allocs[mode] = n
	}
	t.Logf("allocations of one P-384 signature check: cold %d, after P384 %d", allocs["cold"], allocs["warm"])
	require.Greater(t, allocs["cold"], 1000, "a first check builds the tables")
	require.Less(t, allocs["warm"], 100, "after P384 the check finds the tables built: "+strconv.Itoa(allocs["warm"]))
}
