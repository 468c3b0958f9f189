package sdkoverlay

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkedPackageFiles is the non-test files of importPath, which the Lambda
// build must link.
func linkedPackageFiles(t *testing.T, importPath string) map[string][]byte {
	t.Helper()
	pkgs, err := lambdaPackages()
	require.NoError(t, err)
	i := slices.IndexFunc(pkgs, func(p Package) bool { return p.ImportPath == importPath })
	require.GreaterOrEqual(t, i, 0, "the Lambda build links %s", importPath)
	files, err := packageFiles(pkgs[i].Dir)
	require.NoError(t, err)
	return files
}

// initWorkOf is initWork's findings for the variable name.
func initWorkOf(f *ast.File, name string) []string {
	return slices.DeleteFunc(initWork(f), func(w string) bool { return !strings.HasPrefix(w, name+": ") })
}

func parseSrc(t *testing.T, name string, src []byte) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
	require.NoError(t, err, "%s", src)
	return f
}

func TestFirstUseRewritesEachLinkedVar(t *testing.T) {
	for _, v := range firstUseVars {
		t.Run(v.pkg+"."+v.name, func(t *testing.T) {
			files := linkedPackageFiles(t, v.pkg)
			require.NotEmpty(t, initWorkOf(parseSrc(t, v.file, files[v.file]), v.name),
				"the module computes %s at package init (else this rewrite is moot)", v.name)

			changed, err := FirstUse(files, v)
			require.NoError(t, err)
			require.Contains(t, changed, v.file)
			assert.Empty(t, initWorkOf(parseSrc(t, v.file, changed[v.file]), v.name), "nothing computed at package init")
			reads := 0
			for name, src := range changed {
				f := parseSrc(t, name, src)
				var decl *ast.Ident
				if o := f.Scope.Lookup(v.name); o != nil {
					decl = o.Decl.(*ast.ValueSpec).Names[0]
				}
				calls := 0
				ast.Inspect(f, func(n ast.Node) bool {
					if c, ok := n.(*ast.CallExpr); ok {
						if id, ok := c.Fun.(*ast.Ident); ok && id.Name == v.name && len(c.Args) == 0 {
							calls++
						}
					}
					return true
				})
				assert.Equal(t, len(refs(f, f, v.name, decl)), calls, "%s: every read of %s is a call", name, v.name)
				reads += calls
			}
			assert.Positive(t, reads)
		})
	}
}

// firstUsePackage is a two-file package of the shape FirstUse rewrites.
var firstUsePackage = map[string]string{
	"table.go": `package p

import (
	"strings"
)

var table = map[string]int{"a": 1, "b": 2}

func Upper(s string) string { return strings.ToUpper(s) }
`,
	"use.go": `package p

func Get(k string) (int, bool) {
	v, ok := table[k]
	return v, ok
}

func Len() int { return len(table) }

func Shadow() int {
	table := 3
	return table
}

type T struct{ table int }

func (t T) Field() int { return t.table }
`,
}

func withFiles(base map[string]string, file string, mutate func(string) string) map[string][]byte {
	out := map[string][]byte{}
	for n, s := range base {
		if n == file {
			s = mutate(s)
		}
		out[n] = []byte(s)
	}
	return out
}

func TestFirstUseRefusesAnotherShape(t *testing.T) {
	v := firstUseVar{pkg: "p", file: "table.go", name: "table", typ: "map[string]int"}
	same := func(s string) string { return s }
	out, err := FirstUse(withFiles(firstUsePackage, "table.go", same), v)
	require.NoError(t, err, "the shape FirstUse knows")
	assert.Contains(t, string(out["table.go"]), "var table = sync.OnceValue(func() map[string]int {")
	assert.Contains(t, string(out["table.go"]), "\t\"sync\"\n)")
	use := string(out["use.go"])
	assert.Contains(t, use, "v, ok := table()[k]")
	assert.Contains(t, use, "return len(table())")
	assert.Contains(t, use, "table := 3\n\treturn table\n", "a local of the same name is left alone")
	assert.Contains(t, use, "return t.table", "a field of the same name is left alone")

	for name, c := range map[string]struct {
		file   string
		mutate func(string) string
	}{
		"no such var":        {"table.go", func(s string) string { return strings.Replace(s, "var table =", "var other =", 1) }},
		"declared typed":     {"table.go", func(s string) string { return strings.Replace(s, "var table =", "var table map[string]int =", 1) }},
		"declared with more": {"table.go", func(s string) string { return strings.Replace(s, "var table =", "var x, table = 1,", 1) }},
		"another type":       {"table.go", func(s string) string { return strings.Replace(s, "map[string]int{", "map[string]int64{", 1) }},
		"sync imported":      {"table.go", func(s string) string { return strings.Replace(s, "\"strings\"\n", "\"strings\"\n\t\"sync\"\n", 1) }},
		"written":            {"use.go", func(s string) string { return s + "\nfunc Set() { table[\"c\"] = 3 }\n" }},
		"replaced":           {"use.go", func(s string) string { return s + "\nfunc Reset() { table = nil }\n" }},
		"deleted from":       {"use.go", func(s string) string { return s + "\nfunc Del() { delete(table, \"a\") }\n" }},
		"address taken":      {"use.go", func(s string) string { return s + "\nfunc Addr() *map[string]int { return &table }\n" }},
		"read at init":       {"use.go", func(s string) string { return s + "\nvar size = len(table)\n" }},
		"read in func init":  {"use.go", func(s string) string { return s + "\nfunc init() { _ = table[\"a\"] }\n" }},
		"a literal's key":    {"use.go", func(s string) string { return s + "\nfunc Lit() T { return T{table: 1} }\n" }},
		"declared twice":     {"use.go", func(s string) string { return s + "\nvar table = 1\n" }},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FirstUse(withFiles(firstUsePackage, c.file, c.mutate), v)
			assert.Error(t, err)
		})
	}
	_, err = FirstUse(withFiles(firstUsePackage, "table.go", same), firstUseVar{pkg: "p", file: "other.go", name: "table", typ: "map[string]int"})
	assert.Error(t, err, "no such file")
}

func TestFirstUseImportsSyncIntoAFileWithNoImports(t *testing.T) {
	out, err := FirstUse(map[string][]byte{"t.go": []byte("package p\n\nvar t = map[string]int{\"a\": 1}\n\nfunc A() int { return t[\"a\"] }\n")},
		firstUseVar{file: "t.go", name: "t", typ: "map[string]int"})
	require.NoError(t, err)
	f := parseSrc(t, "t.go", out["t.go"])
	require.Len(t, f.Imports, 1)
	assert.Equal(t, `"sync"`, f.Imports[0].Path.Value)
	assert.Contains(t, string(out["t.go"]), `return t()["a"]`)
}

func TestInitOnFirstUseRewritesTheLinkedInit(t *testing.T) {
	for _, l := range lazyInits {
		t.Run(l.pkg, func(t *testing.T) {
			files := linkedPackageFiles(t, l.pkg)
			changed, err := InitOnFirstUse(files, l)
			require.NoError(t, err)
			f := parseSrc(t, l.file, changed[l.file])
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok {
					assert.NotEqual(t, "init", fn.Name.Name, "no func init left in %s", l.file)
				}
			}
			calls := 0
			for _, src := range changed {
				calls += strings.Count(string(src), "\t"+l.once+"()\n")
			}
			assert.Positive(t, calls, "the readers run it first")
		})
	}
}

// initPackage is a two-file package of the shape InitOnFirstUse rewrites.
var initPackage = map[string]string{
	"match.go": `package p

import (
	"strings"
)

var upper []string

func init() {
	for _, s := range names {
		upper = append(upper, strings.ToUpper(s))
	}
	for i := range names {
		names[i] += "!"
	}
}

func Upper(i int) string { return upper[i] }
`,
	"names.go": `package p

var names = []string{"a", "b"}

func Names() []string {
	return names
}

func Count() int { return 2 }
`,
}

func TestInitOnFirstUseRefusesAnotherShape(t *testing.T) {
	l := lazyInit{pkg: "p", file: "match.go", once: "lazy", vars: []string{"names", "upper"}}
	same := func(s string) string { return s }
	out, err := InitOnFirstUse(withFiles(initPackage, "match.go", same), l)
	require.NoError(t, err, "the shape InitOnFirstUse knows")
	assert.Contains(t, string(out["match.go"]), "var lazy = sync.OnceFunc(func() {")
	assert.Contains(t, string(out["match.go"]), "func Upper(i int) string {\n\tlazy()\n\treturn upper[i]\n}")
	assert.Contains(t, string(out["names.go"]), "func Names() []string {\n\tlazy()\n\treturn names\n}")
	assert.Contains(t, string(out["names.go"]), "func Count() int { return 2 }", "a function that reads neither is left alone")

	for name, c := range map[string]struct {
		file   string
		mutate func(string) string
	}{
		"no init":   {"match.go", func(s string) string { return strings.Replace(s, "func init()", "func setup()", 1) }},
		"two inits": {"match.go", func(s string) string { return s + "\nfunc init() {}\n" }},
		"assigns another": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "names[i] += \"!\"\n\t\tother = i", 1) + "\nvar other int\n"
		}},
		"assigns fewer": {"match.go", func(s string) string { return strings.Replace(s, "names[i] += \"!\"", "_ = i", 1) }},
		"writes a field": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "box.n = i", 1) + "\nvar box struct{ n int }\n"
		}},
		"takes an address": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "names[i] += \"!\"\n\t\t_ = &upper", 1)
		}},
		"read at init":       {"names.go", func(s string) string { return s + "\nvar first = names[0]\n" }},
		"read in other init": {"names.go", func(s string) string { return s + "\nfunc init() { _ = upper }\n" }},
		"once name taken":    {"names.go", func(s string) string { return s + "\nfunc lazy() {}\n" }},
		"init calls a reader": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "names[i] += Upper(0)", 1)
		}},
		"init reaches a reader": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "names[i] += helper()", 1) + "\nfunc helper() string { return Names()[0] }\n"
		}},
		"init passes a reader": {"match.go", func(s string) string {
			return strings.Replace(s, "names[i] += \"!\"", "names[i] += apply(Upper)", 1) + "\nfunc apply(f func(int) string) string { return \"\" }\n"
		}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := InitOnFirstUse(withFiles(initPackage, c.file, c.mutate), l)
			assert.Error(t, err)
		})
	}
}

func TestInitOnFirstUseRefusesAnExportedVar(t *testing.T) {
	exported := withFiles(initPackage, "match.go", func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, "upper", "Uppers"), "func Uppers(", "func Upper(")
	})
	_, err := InitOnFirstUse(exported, lazyInit{pkg: "p", file: "match.go", once: "lazy", vars: []string{"names", "Uppers"}})
	assert.ErrorContains(t, err, "Uppers is exported")
}

// TestFirstUseCopiesAnswerAsTheModules builds testdata/firstuse against
// go.mod and against Write's go.mod and compares what each prints: tags
// parsed and matched, an event-stream message's bytes and checksums.
func TestFirstUseCopiesAnswerAsTheModules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program twice")
	}
	modfile := overlay(t)
	run := func(args ...string) string {
		cmd := exec.Command("go", append(append([]string{"run"}, args...), "./internal/sdkoverlay/testdata/firstuse")...)
		cmd.Dir = root
		out, err := cmd.Output()
		require.NoError(t, err)
		return string(out)
	}
	eager := run()
	require.Contains(t, eager, `match "en-AU": en-GB-u-rg-auzzzz 1 High`, "a paradigm locale")
	require.Contains(t, eager, `parse "sl-rozaj-biske-1994": sl-rozaj-biske-1994 <nil>`, "variants")
	require.Contains(t, eager, "corrupt: message checksum mismatch")
	assert.Equal(t, eager, run("-modfile", modfile))
}

// TestFirstUsePackagesPassTheirOwnTests runs the tests of every package
// FirstUse and InitOnFirstUse rewrite against the rewritten copies.
func TestFirstUsePackagesPassTheirOwnTests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs other modules' tests")
	}
	modfile := overlay(t)
	var pkgs []string
	for _, v := range firstUseVars {
		pkgs = append(pkgs, v.pkg)
	}
	for _, l := range lazyInits {
		pkgs = append(pkgs, l.pkg)
	}
	cmd := exec.Command("go", append([]string{"test", "-count=1", "-modfile", modfile}, slices.Compact(slices.Sorted(slices.Values(pkgs)))...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, p := range pkgs {
		assert.Regexp(t, `(?m)^ok\s+`+regexp.QuoteMeta(p)+`\s`, string(out), "%s has tests, and they pass", p)
	}
}
