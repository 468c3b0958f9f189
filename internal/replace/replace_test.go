package replace

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// strings.Replacer is the oracle: InOrder must agree with it on every input,
// overlapping and prefix-sharing old strings, multi-byte and invalid UTF-8,
// new strings that hold an old one, and empty old strings.
func TestInOrderMatchesReplacer(t *testing.T) {
	inputs := []string{"", "x", "{####}", "{username}", "code {####} for {username}.", "{####}{####}",
		"{{####}}", "{#{####}", "aaaa", "abab", "ab", "é{####}ü", "\xff{####}\xfe", "\xe2\x82", "日本{u}語"}
	pairSets := [][]string{
		{},
		{"{####}", "123456"},
		{"{####}", "000000", "{username}", "marta"},
		{"{username}", "{####}", "{####}", "{username}"}, // a new string is not scanned again
		{"a", "1", "ab", "2"},                            // the first in argument order wins
		{"ab", "2", "a", "1"},
		{"aa", "b"},
		{"\x82", "!"}, // an old string inside a multi-byte rune
		{"{u}", "日"},
		{"", "-"}, // an empty old string: NewReplacer's own behaviour
		{"x", "", "{####}", ""},
	}
	for _, s := range inputs {
		for _, pairs := range pairSets {
			want := strings.NewReplacer(pairs...).Replace(s)
			assert.Equal(t, want, InOrder(s, pairs...), "%q with %q", s, pairs)
		}
	}
}

// Nothing to replace: s itself, no copy.
func TestInOrderNoMatchAllocatesNothing(t *testing.T) {
	s := "plain text with no placeholder"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = InOrder(s, "{####}", "123456") }))
}
