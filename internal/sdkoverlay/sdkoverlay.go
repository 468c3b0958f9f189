// Package sdkoverlay lays, over the AWS SDK and the Encryption SDK's
// primitives, what the Lambda artifacts are built with: a copy of each module
// to change, rewritten, and a go.mod that replaces the modules by those
// copies (go build -modfile; go build -overlay refuses files in the module
// cache). Six kinds of rewrite, each refusing a file of a shape it does not
// know:
//
// Lazy, for each linked service module: its generated v1 endpoint table,
// service/<name>/internal/endpoints/endpoints.go, is built on first use
// instead of at package init. The SDK resolves endpoints with its rules
// engine (EndpointResolverV2); the v1 table is left only for callers of
// NewDefaultEndpointResolver, which neither the SDK nor poolside calls. Its
// package init still compiles eight regexps and fills a map per partition:
// 0.4–0.7 ms and 80–95 KB for every service a function links, on every cold
// start (README "Performance"). Lazy keeps the table and its meaning; it only
// moves the work to the first call of New, under a sync.OnceValue.
//
// TableFree, for the Material Providers Library's signature extern: the
// custom senders' P-384 signature check no longer builds Go's table of
// generator multiples first (tablefree.go).
//
// ComputeOnce, for the Dafny code the Encryption SDK runs on: constants the
// Dafny compiler turned into functions that rebuild the value on every call
// (2^31 − 1 as big integers on every array length; the table of algorithm
// suites on every message header) are computed once (once.go).
//
// NoDefaultConfig, for the Material Providers Library's default client
// supplier: it no longer imports the AWS SDK's config package, so the senders
// do not link the SDK's default credential chain, which they never use
// (noconfig.go).
//
// FirstUse and InitOnFirstUse, for values every artifact computed at package
// init for reads its first event never makes (firstuse.go): a package-level
// variable becomes a sync.OnceValue its readers call (the event-stream CRC
// table, the SDK's per-service read timeouts, x/text's variant subtags), and a
// func init becomes a sync.OnceFunc its readers run first (x/text's language
// matcher tables). A module is copied once, however many of its packages and
// files are rewritten.
package sdkoverlay

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Lazy rewrites the source of one generated internal/endpoints/endpoints.go:
//
//	var partitionRegexp = struct{…}{…}
//	var defaultPartitions = endpoints.Partitions{…}
//	func New() *Resolver { return &Resolver{partitions: defaultPartitions} }
//
// becomes
//
//	var defaultPartitions = sync.OnceValue(func() endpoints.Partitions {
//		partitionRegexp := struct{…}{…}
//		return endpoints.Partitions{…}
//	})
//	func New() *Resolver { return &Resolver{partitions: defaultPartitions()} }
//
// It refuses (rather than guess) a file whose shape differs: either variable
// missing or declared with others, used anywhere else, or no "sync" free to
// import.
func Lazy(src []byte) ([]byte, error) {
	f, fset, off, err := parseGo("endpoints.go", src)
	if err != nil {
		return nil, err
	}
	text := func(n ast.Node) string { return string(src[off(n.Pos()):off(n.End())]) }

	regexps, regexpsDecl, err := topVar(f, "partitionRegexp")
	if err != nil {
		return nil, err
	}
	table, tableDecl, err := topVar(f, "defaultPartitions")
	if err != nil {
		return nil, err
	}
	lit, ok := table.Values[0].(*ast.CompositeLit)
	if !ok || lit.Type == nil {
		return nil, fmt.Errorf("defaultPartitions is not a typed composite literal")
	}
	// partitionRegexp may only be read inside the table, and the table only
	// in New: those are the uses that move or change.
	if uses := outside(f, "partitionRegexp", regexps.Names[0], lit); len(uses) > 0 {
		return nil, fmt.Errorf("partitionRegexp is used outside defaultPartitions at %s", fset.Position(uses[0].Pos()))
	}
	var inNew []*ast.Ident
	for _, id := range outside(f, "defaultPartitions", table.Names[0], nil) {
		if fn := enclosingFunc(f, id); fn == nil || fn.Name.Name != "New" || fn.Recv != nil {
			return nil, fmt.Errorf("defaultPartitions is used outside New at %s", fset.Position(id.Pos()))
		}
		inNew = append(inNew, id)
	}
	if len(inNew) != 1 {
		return nil, fmt.Errorf("func New reads defaultPartitions %d times, want 1", len(inNew))
	}
	imp, err := syncImport(f, off)
	if err != nil {
		return nil, err
	}

	lazy := fmt.Sprintf("// defaultPartitions is built on its first use, not at package init (poolside's\n"+
		"// Lambda build, internal/sdkoverlay).\n"+
		"var defaultPartitions = sync.OnceValue(func() %s {\n\tpartitionRegexp := %s\n\treturn %s\n})",
		text(lit.Type), text(regexps.Values[0]), text(lit))
	edits := []edit{
		{off(inNew[0].Pos()), off(inNew[0].End()), "defaultPartitions()"},
		{off(regexpsDecl.Pos()), off(regexpsDecl.End()), ""},
		{off(tableDecl.Pos()), off(tableDecl.End()), lazy},
		imp,
	}
	return reformat(applyEdits(src, edits))
}

type edit struct {
	from, to int
	with     string
}

// topVar finds the package-level var declaring only name, with one value.
func topVar(f *ast.File, name string) (*ast.ValueSpec, *ast.GenDecl, error) {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if !slices.ContainsFunc(v.Names, func(id *ast.Ident) bool { return id.Name == name }) {
				continue
			}
			if len(g.Specs) != 1 || len(v.Names) != 1 || len(v.Values) != 1 || v.Type != nil {
				return nil, nil, fmt.Errorf("var %s is not declared alone as name = value", name)
			}
			return v, g, nil
		}
	}
	return nil, nil, fmt.Errorf("no package-level var %s", name)
}

// outside returns the identifiers named name other than decl that are not
// inside within (nil: anywhere).
func outside(f *ast.File, name string, decl *ast.Ident, within ast.Node) []*ast.Ident {
	var found []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		if within != nil && n == within {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Name == name && id != decl {
			found = append(found, id)
		}
		return true
	})
	return found
}

func enclosingFunc(f *ast.File, n ast.Node) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Pos() <= n.Pos() && n.End() <= fn.End() {
			return fn
		}
	}
	return nil
}

// importDecl is the file's parenthesised import block, which must not
// already import sync (or anything named sync).
func importDecl(f *ast.File) (*ast.GenDecl, error) {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"sync"` || (imp.Name != nil && imp.Name.Name == "sync") {
			return nil, fmt.Errorf("the file already imports sync")
		}
	}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT && g.Rparen.IsValid() {
			return g, nil
		}
	}
	return nil, errNoImportBlock
}

var errNoImportBlock = errors.New("no parenthesised import block")

// reformat gofmts a rewritten file, which also checks that it parses.
func reformat(out []byte) ([]byte, error) {
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("the rewritten file does not parse: %w", err)
	}
	return formatted, nil
}

// parseGo parses a Go file of a module copy, with its comments, and returns
// with it the function that turns a position into an offset in src.
func parseGo(name string, src []byte) (*ast.File, *token.FileSet, func(token.Pos) int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, nil, nil, err
	}
	return f, fset, func(p token.Pos) int { return fset.Position(p).Offset }, nil
}

// endpointsPackage matches the import path of a service's v1 endpoint table.
var endpointsPackage = regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/service/[a-z0-9]+/internal/endpoints$`)

// Package is what go list says of one dependency.
type Package struct {
	ImportPath, Dir                      string
	ModulePath, ModuleVersion, ModuleDir string
}

// Write makes, under outDir, a copy of each module to rewrite, and
// outDir/go.mod: the main module's go.mod (its text in gomod) with a replace
// to each copy, for go build -modfile. go.sum goes beside it. The rewrites,
// of the packages among pkgs they name: every service's v1 endpoint table
// (Lazy), the Material Providers Library's signature extern (TableFree), each
// of constants (ComputeOnce, a package's constants all in one file), the
// library's default client supplier (NoDefaultConfig), each of firstUseVars
// (FirstUse) and of lazyInits (InitOnFirstUse). A module is copied once,
// whatever the number of its packages and files rewritten. A file any
// rewrite refuses is an error, so an update that changes its shape stops the
// build instead of shipping the eager code unnoticed. It returns how many
// modules it copied.
func Write(outDir string, gomod, gosum []byte, pkgs []Package) (int, error) {
	type moduleCopy struct {
		dir, version string
		files        map[string][]byte // path in the module → rewritten text
	}
	modules := map[string]*moduleCopy{}
	var notes []string
	tables := 0
	for _, p := range pkgs {
		rewrites, extra, why := packageRewrites(p)
		if len(rewrites) == 0 {
			continue
		}
		if endpointsPackage.MatchString(p.ImportPath) {
			tables++
		}
		notes = append(notes, why...)
		if p.ModuleDir == "" || p.ModuleVersion == "" {
			return 0, fmt.Errorf("%s: no module version or folder (replaced already?)", p.ImportPath)
		}
		files, err := packageFiles(p.Dir)
		if err != nil {
			return 0, err
		}
		rel, err := filepath.Rel(p.ModuleDir, p.Dir)
		if err != nil {
			return 0, err
		}
		m := modules[p.ModulePath]
		if m == nil {
			m = &moduleCopy{dir: p.ModuleDir, version: p.ModuleVersion, files: map[string][]byte{}}
			modules[p.ModulePath] = m
		}
		for _, rewrite := range rewrites {
			changed, err := rewrite(files)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", p.ImportPath, err)
			}
			for name, text := range changed {
				files[name] = text // a later rewrite of the package sees it
				m.files[filepath.Join(rel, name)] = text
			}
		}
		for name, text := range extra {
			m.files[filepath.Join(rel, name)] = text
		}
	}
	if tables == 0 {
		return 0, fmt.Errorf("no AWS SDK service endpoint table among %d packages", len(pkgs))
	}
	var replaces []string
	for _, path := range slices.Sorted(maps.Keys(modules)) {
		m := modules[path]
		copyDir, err := filepath.Abs(filepath.Join(outDir, "mod", filepath.FromSlash(path)+"@"+m.version))
		if err != nil {
			return 0, err
		}
		if err := os.CopyFS(copyDir, os.DirFS(m.dir)); err != nil {
			return 0, fmt.Errorf("copy %s: %w", path, err)
		}
		for name, text := range m.files {
			target := filepath.Join(copyDir, name)
			if err := os.Chmod(target, 0o644); err != nil && !errors.Is(err, fs.ErrNotExist) { // the module cache's files are read-only
				return 0, err
			}
			if err := os.WriteFile(target, text, 0o644); err != nil {
				return 0, err
			}
		}
		replaces = append(replaces, fmt.Sprintf("\t%s %s => %s\n", path, m.version, copyDir))
	}
	slices.Sort(notes)
	mod := slices.Concat(gomod, []byte("\n// Added by internal/sdkoverlay for the Lambda artifacts: lazy v1 endpoint tables (every\n"+
		"// service), a P-384 signature check without the generator table, Dafny constants computed once,\n"+
		"// no default AWS configuration in the Encryption SDK's client supplier, and on first use:\n"),
		[]byte("//   - "+strings.Join(notes, "\n//   - ")+"\nreplace (\n"),
		[]byte(strings.Join(replaces, "")), []byte(")\n"))
	if err := os.WriteFile(filepath.Join(outDir, "go.mod"), mod, 0o644); err != nil {
		return 0, err
	}
	return len(replaces), os.WriteFile(filepath.Join(outDir, "go.sum"), gosum, 0o644)
}

// packageRewrite rewrites a package given its non-test files by name, and
// returns the files it changed.
type packageRewrite func(files map[string][]byte) (map[string][]byte, error)

// oneFile makes a rewrite of one file of a package a packageRewrite.
func oneFile(file string, rewrite func([]byte) ([]byte, error)) packageRewrite {
	return func(files map[string][]byte) (map[string][]byte, error) {
		src, ok := files[file]
		if !ok {
			return nil, fmt.Errorf("no file %s", file)
		}
		out, err := rewrite(src)
		if err != nil {
			return nil, err
		}
		return map[string][]byte{file: out}, nil
	}
}

// packageRewrites is what Write does to p: its rewrites, the files it adds,
// and a line on each first-use rewrite for go.mod's comment.
func packageRewrites(p Package) ([]packageRewrite, map[string][]byte, []string) {
	var rewrites []packageRewrite
	var extra map[string][]byte
	var why []string
	switch {
	case endpointsPackage.MatchString(p.ImportPath):
		rewrites = append(rewrites, oneFile("endpoints.go", Lazy))
	case slices.Contains(defaultConfigPackages, p.ImportPath):
		rewrites = append(rewrites, oneFile("externs.go", NoDefaultConfig))
	case p.ImportPath == signaturePackage:
		rewrites, extra = append(rewrites, oneFile("externs.go", TableFree)), map[string][]byte{tableFreeFileName: tableFreeFile}
	}
	for _, c := range constants {
		if c.pkg == p.ImportPath {
			rewrites = append(rewrites, oneFile(c.file, func(src []byte) ([]byte, error) { return ComputeOnce(src, c) }))
		}
	}
	for _, v := range firstUseVars {
		if v.pkg == p.ImportPath {
			rewrites = append(rewrites, func(files map[string][]byte) (map[string][]byte, error) { return FirstUse(files, v) })
			why = append(why, fmt.Sprintf("%s.%s: %s", p.ImportPath, v.name, v.why))
		}
	}
	for _, l := range lazyInits {
		if l.pkg == p.ImportPath {
			rewrites = append(rewrites, func(files map[string][]byte) (map[string][]byte, error) { return InitOnFirstUse(files, l) })
			why = append(why, fmt.Sprintf("%s, func init of %s: %s", p.ImportPath, l.file, l.why))
		}
	}
	return rewrites, extra, why
}

// List runs go list in dir for the dependencies of ./cmd/poolside built with
// tags (the default Lambda tags link every function's packages).
func List(dir, tags string) ([]Package, error) {
	cmd := exec.Command("go", "list", "-deps", "-tags", tags, "-f",
		"{{.ImportPath}}\t{{.Dir}}\t{{with .Module}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{end}}", "./cmd/poolside")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w: %s", err, stderr.Bytes())
	}
	var pkgs []Package
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Split(sc.Text(), "\t"); len(f) == 5 {
			pkgs = append(pkgs, Package{ImportPath: f[0], Dir: f[1], ModulePath: f[2], ModuleVersion: f[3], ModuleDir: f[4]})
		}
	}
	return pkgs, nil
}
