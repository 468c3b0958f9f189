package sdkoverlay

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSizeMaxRewritesTheLinkedRuntime(t *testing.T) {
	src := linkedFile(t, dafnyRuntimePackage, "dafnyFromDafny.go")
	out, err := SizeMax(src)
	require.NoError(t, err)
	assert.Contains(t, string(out), "SIZE__T__MAX() uint32 {\n\treturn sizeTMax\n}")
	assert.Contains(t, string(out), "\nvar sizeTMax = ((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()\n")
	assert.Equal(t, strings.Count(string(src), "SIZE__T__MAX()"), strings.Count(string(out), "SIZE__T__MAX()"), "its callers stay as they are")
}

func TestSizeMaxRefusesAnotherShape(t *testing.T) {
	const good = `package dafny

func (_static *CompanionStruct_Default___) SIZE__T__LIMIT() Int {
	return IntOfInt64(2147483648)
}
func (_static *CompanionStruct_Default___) SIZE__T__MAX() uint32 {
	return ((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()
}
func (_static *CompanionStruct_Default___) ZERO__SIZE() uint32 {
	return uint32(0)
}
`
	out, err := SizeMax([]byte(good))
	require.NoError(t, err, "the shape the runtime has")
	require.Contains(t, string(out), "return sizeTMax\n}\n\n// sizeTMax is SIZE__T__MAX's value")
	require.Contains(t, string(out), "func (_static *CompanionStruct_Default___) ZERO__SIZE() uint32 {", "the rest stays")

	for name, mutate := range map[string]func(string) string{
		"no SIZE__T__MAX": func(s string) string { return strings.Replace(s, ") SIZE__T__MAX()", ") SIZE_MAX()", 1) },
		"another receiver": func(s string) string {
			return strings.Replace(s, "(_static *CompanionStruct_Default___) SIZE__T__MAX", "(_static *CompanionStruct_Other___) SIZE__T__MAX", 1)
		},
		"another value": func(s string) string { return strings.Replace(s, ".Minus(One)", ".Minus(Two)", 1) },
		"more than a return": func(s string) string {
			return strings.Replace(s, "\treturn ((Companion_Default___", "\tcount++\n\treturn ((Companion_Default___", 1)
		},
		"already rewritten": func(s string) string { return s + "\nvar sizeTMax uint32\n" },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := SizeMax([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}
