//lint:file-ignore SA1019 the reference is crypto/elliptic's own P-384 point arithmetic, the low-level API CIRCL's must agree with

package sdkoverlay

import (
	"crypto/elliptic"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/cloudflare/circl/ecc/p384"
	"github.com/stretchr/testify/assert"
)

// TestCIRCLCombinedMultAgreesWithTheStandardLibrary checks the one operation
// tablefree.go.txt asks of CIRCL, u1·G + u2·Q, against crypto/elliptic's
// P-384 (ScalarBaseMult, ScalarMult, Add), on the scalars where such code
// breaks: zero (as crypto/ecdsa's arithmetic gives it: no bytes), small ones
// (CIRCL's k = 6 was wrong once, cloudflare/circl#62), n − 1, n/2, 2^383,
// and a seeded spread of random ones; and on the sums where it breaks: u1·G
// = u2·Q (a doubling) and u1·G = −u2·Q (the point at infinity, (0, 0)).
func TestCIRCLCombinedMultAgreesWithTheStandardLibrary(t *testing.T) {
	std, fast := elliptic.P384(), p384.P384()
	n := std.Params().N
	scalars := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(3), big.NewInt(6), big.NewInt(7),
		big.NewInt(31), big.NewInt(32), big.NewInt(33), new(big.Int).Sub(n, big.NewInt(1)), new(big.Int).Sub(n, big.NewInt(6)),
		new(big.Int).Rsh(n, 1), new(big.Int).Lsh(big.NewInt(1), 383)}
	rng := rand.New(rand.NewPCG(384, 17))
	for range 24 {
		k := make([]byte, 1+rng.IntN(48))
		for i := range k {
			k[i] = byte(rng.Uint32())
		}
		scalars = append(scalars, new(big.Int).Mod(new(big.Int).SetBytes(k), n))
	}
	check := func(what string, d, u1, u2 *big.Int) {
		t.Helper()
		qx, qy := std.ScalarBaseMult(d.Bytes()) // Q = d·G
		x1, y1 := std.ScalarBaseMult(u1.Bytes())
		x2, y2 := std.ScalarMult(qx, qy, u2.Bytes())
		wx, wy := std.Add(x1, y1, x2, y2)
		gx, gy := fast.CombinedMult(qx, qy, u1.Bytes(), u2.Bytes())
		assert.True(t, wx.Cmp(gx) == 0 && wy.Cmp(gy) == 0, "%s, d=%x u1=%x u2=%x: stdlib (%x, %x), CIRCL (%x, %x)",
			what, d, u1, u2, wx, wy, gx, gy)
	}
	d := new(big.Int).SetBytes([]byte("a private key, d")) // any 1 < d < n
	for i, u1 := range scalars {
		for _, u2 := range []*big.Int{scalars[(i+1)%len(scalars)], scalars[len(scalars)-1-i], big.NewInt(1)} {
			if u2.Sign() == 0 {
				continue // crypto/ecdsa's u2 = r/s is never 0
			}
			check("u1·G + u2·Q", d, u1, u2)
			// u1·G = u2·Q when u1 = u2·d: the sum is a doubling.
			check("a doubling", d, new(big.Int).Mod(new(big.Int).Mul(u2, d), n), u2)
			// u1·G = −u2·Q when u1 = −u2·d: the sum is the point at infinity.
			check("the point at infinity", d, new(big.Int).Mod(new(big.Int).Neg(new(big.Int).Mul(u2, d)), n), u2)
		}
	}
	// Q = G and Q = −G.
	check("Q = G", big.NewInt(1), big.NewInt(5), big.NewInt(5))
	check("Q = −G", new(big.Int).Sub(n, big.NewInt(1)), big.NewInt(5), big.NewInt(5))
}
