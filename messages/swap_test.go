package messages

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSwapIsAReplacer holds tokens.swap to strings.NewReplacer over the three
// pairs, on text that holds the tokens, their common stem alone or cut short,
// and the placeholders' own characters. It replaced three strings.ReplaceAll
// calls, which differ from both only where a placeholder replaced by nothing
// joins a bare stem to a token's last byte: a render never holds the stem
// (random, 64 bits) outside its tokens.
func TestSwapIsAReplacer(t *testing.T) {
	tok := newTokens()
	stem := tok.code[:len(tok.code)-1]
	pieces := []string{tok.code, tok.username, tok.link, stem, stem[:5], stem + "x", "pz", "c", "u", "l",
		"<p>", "é", " ", "{####}", "{username}", "\n", ""}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ph := range []Placeholders{
		{Code: "{####}", Username: "{username}", Link: "{##Click here##}"},
		{Code: "{####}"},
	} {
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			in := b.String()
			want := strings.NewReplacer(tok.code, ph.Code, tok.username, ph.Username, tok.link, ph.Link).Replace(in)
			if !assert.Equal(t, want, tok.swap([]byte(in), ph), "swap(%q)", in) {
				return
			}
		}
	}
}

func TestSwapEdges(t *testing.T) {
	tok := newTokens()
	stem := tok.code[:len(tok.code)-1]
	ph := Placeholders{Code: "{####}", Username: "{username}", Link: "{##L##}"}
	for in, want := range map[string]string{
		"":                               "",
		"no token here":                  "no token here",
		tok.code:                         "{####}",
		"Code: " + tok.code + ".":        "Code: {####}.",
		stem:                             stem, // the stem at the very end
		stem + tok.username:              stem + "{username}",
		tok.link + tok.link:              "{##L##}{##L##}",
		tok.code + stem + "Z" + tok.code: "{####}" + stem + "Z{####}",
	} {
		assert.Equal(t, want, tok.swap([]byte(in), ph), "swap(%q)", in)
	}
}
