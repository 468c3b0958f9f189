package sdkoverlay

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestComputeOnceRewritesEachLinkedConstant(t *testing.T) {
	for _, c := range constants {
		t.Run(c.method, func(t *testing.T) {
			src := linkedFile(t, c.pkg, c.file)
			out, err := ComputeOnce(src, c)
			require.NoError(t, err)
			s := string(out)
			assert.Contains(t, s, c.method+"() ")
			assert.Regexp(t, `\) `+c.method+`\(\) [^{]+\{\n\treturn poolsideOnce_`+c.method+`\n\}`, s)
			assert.Regexp(t, `\nvar poolsideOnce_`+c.method+` [^=\n]+ = `, s)
			assert.Equal(t, strings.Count(string(src), c.method+"()"), strings.Count(s, c.method+"()"), "its callers stay as they are")
			_, err = parser.ParseFile(token.NewFileSet(), c.file, out, 0)
			assert.NoError(t, err)
		})
	}
}

func TestComputeOnceRefusesAnotherShape(t *testing.T) {
	const good = `package dafny

func (_static *CompanionStruct_Default___) SIZE__T__LIMIT() Int {
	return IntOfInt64(2147483648)
}
func (_static *CompanionStruct_Default___) SIZE__T__MAX() uint32 {
	return ((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()
}
func (_static *CompanionStruct_Default___) Table() _dafny.Map {
	return _dafny.NewMapBuilder().ToMap().UpdateUnsafe(1, 2)
}
func (_static *CompanionStruct_Default___) Lookup(k int) int {
	if !(Companion_Default___.Table()).Contains(k) {
		return 0
	}
	return (Companion_Default___.Table()).Get(k).(int)
}
`
	sizeMax := constant{file: "dafnyFromDafny.go", method: "SIZE__T__MAX"}
	table := constant{file: "AlgorithmSuites.go", method: "Table", readOnly: true}
	out, err := ComputeOnce([]byte(good), sizeMax)
	require.NoError(t, err, "the shape the runtime has")
	require.Contains(t, string(out), "SIZE__T__MAX() uint32 {\n\treturn poolsideOnce_SIZE__T__MAX\n}\n\n// poolsideOnce_SIZE__T__MAX is SIZE__T__MAX's value")
	require.Contains(t, string(out), "\nvar poolsideOnce_SIZE__T__MAX uint32 = ((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()\n")
	require.Contains(t, string(out), "func (_static *CompanionStruct_Default___) Table() _dafny.Map {\n\treturn _dafny.NewMapBuilder()", "the rest stays")
	out, err = ComputeOnce([]byte(good), table)
	require.NoError(t, err, "a table only read")
	require.Contains(t, string(out), "\nvar poolsideOnce_Table _dafny.Map = _dafny.NewMapBuilder().ToMap().UpdateUnsafe(1, 2)\n")

	for name, tc := range map[string]struct {
		c      constant
		mutate func(string) string
	}{
		"no such method": {sizeMax, func(s string) string { return strings.Replace(s, ") SIZE__T__MAX()", ") SIZE_MAX()", 1) }},
		"another receiver": {sizeMax, func(s string) string {
			return strings.Replace(s, "(_static *CompanionStruct_Default___) SIZE__T__MAX", "(_static *CompanionStruct_Other___) SIZE__T__MAX", 1)
		}},
		"a parameter": {sizeMax, func(s string) string {
			return strings.Replace(s, "SIZE__T__MAX() uint32", "SIZE__T__MAX(n int) uint32", 1)
		}},
		"more than a return": {sizeMax, func(s string) string {
			return strings.Replace(s, "\treturn ((Companion_Default___", "\tcount++\n\treturn ((Companion_Default___", 1)
		}},
		"already rewritten": {sizeMax, func(s string) string { return s + "\nvar poolsideOnce_SIZE__T__MAX uint32\n" }},
		"a shared table updated": {table, func(s string) string {
			return strings.Replace(s, "return 0\n", "_ = Companion_Default___.Table().UpdateUnsafe(3, 4)\n\t\treturn 0\n", 1)
		}},
		"a shared table passed on": {table, func(s string) string {
			return strings.Replace(s, "return 0\n", "keep(Companion_Default___.Table())\n\t\treturn 0\n", 1)
		}},
		"a shared table in a Get's argument": {table, func(s string) string {
			return strings.Replace(s, ".Get(k)", ".Get(Companion_Default___.Table())", 1)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ComputeOnce([]byte(tc.mutate(good)), tc.c)
			assert.Error(t, err)
		})
	}
}
