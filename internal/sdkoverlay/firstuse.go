package sdkoverlay

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// firstUseVar names a package-level variable whose value is computed on its
// first use instead of at package init: var name = value, declared alone in
// file, of type typ (the type the value has; for a composite literal, its
// written type).
type firstUseVar struct {
	pkg, file, name, typ string
	why                  string // what the value is and when it is read
}

// firstUseVars are the values every artifact built at init for reads that a
// function's first event never makes (README "Performance"; instructions by
// callgrind on PreTokenGeneration).
var firstUseVars = []firstUseVar{
	{
		pkg: "github.com/aws/smithy-go/eventstream", file: "message.go", name: "crc32IEEETable", typ: "*crc32.Table",
		why: "the event-stream CRC table (crc32.MakeTable builds an 8 KB slicing table, ≈ 39 K instructions); read only to frame an event stream, which no poolside call uses",
	},
	{
		pkg: "github.com/aws/aws-sdk-go-v2/internal/timeouts", file: "timeouts_services.go", name: "serviceInactivityTimeoutMillis", typ: "map[string]int64",
		why: "per-service read timeouts (≈ 18 K instructions), read only when AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026 is set",
	},
	{
		pkg: "golang.org/x/text/internal/language", file: "tables.go", name: "variantIndex", typ: "map[string]uint8",
		why: "the BCP 47 variant subtags (≈ 22 K instructions), read only for a tag with a variant (en-US-posix), not for a locale like pt-BR",
	},
}

// FirstUse rewrites the package whose non-test files are files (name →
// source) so that v's value is computed on its first read:
//
//	var name = value
//
// becomes
//
//	var name = sync.OnceValue(func() typ { return value })
//
// and every read of name in the package becomes name(). It returns the files
// it changed. It refuses, rather than guess, a shape it does not know: the
// variable missing or declared with others or with a type, a composite
// literal of another type, an exported variable, a value that reads the
// variable, or a use that is not a read inside a function (an assignment, an
// address taken, a literal's key, a read at package init).
func FirstUse(files map[string][]byte, v firstUseVar) (map[string][]byte, error) {
	if _, ok := files[v.file]; !ok {
		return nil, fmt.Errorf("no file %s", v.file)
	}
	if ast.IsExported(v.name) {
		return nil, fmt.Errorf("%s is exported: other packages read it as a variable", v.name)
	}
	return editFiles(files, func(name string, src []byte, f *ast.File, fset *token.FileSet, off func(token.Pos) int) ([]edit, error) {
		var edits []edit
		var decl *ast.Ident
		if name == v.file {
			spec, _, err := topVar(f, v.name)
			if err != nil {
				return nil, err
			}
			decl = spec.Names[0]
			val := spec.Values[0]
			text := string(src[off(val.Pos()):off(val.End())])
			if lit, ok := val.(*ast.CompositeLit); ok {
				if lit.Type == nil || string(src[off(lit.Type.Pos()):off(lit.Type.End())]) != v.typ {
					return nil, fmt.Errorf("%s is not a %s literal", v.name, v.typ)
				}
			}
			if reads := refs(f, val, v.name, decl); len(reads) > 0 {
				return nil, fmt.Errorf("%s's value reads %s", v.name, v.name)
			}
			imp, err := syncImport(f, off)
			if err != nil {
				return nil, err
			}
			edits = append(edits,
				edit{off(val.Pos()), off(val.End()), fmt.Sprintf("sync.OnceValue(func() %s {\n\treturn %s\n}) // computed on first use, not at package init (poolside's Lambda build, internal/sdkoverlay)", v.typ, text)},
				imp)
		} else if f.Scope.Lookup(v.name) != nil {
			return nil, fmt.Errorf("%s also declares %s", name, v.name)
		}
		for _, id := range refs(f, f, v.name, decl) {
			if err := readInFunc(f, id); err != nil {
				return nil, fmt.Errorf("%s: %s at %s", v.name, err, fset.Position(id.Pos()))
			}
			edits = append(edits, edit{off(id.End()), off(id.End()), "()"})
		}
		return edits, nil
	})
}

// lazyInit names a package's func init whose work is done on first use:
// it may only assign the package-level variables vars, each then read only
// in the package's functions. once names the function the rewrite adds.
type lazyInit struct {
	pkg, file, once string
	vars            []string
	why             string
}

var lazyInits = []lazyInit{
	{
		pkg: "golang.org/x/text/language", file: "match.go", once: "poolsideMatchInit",
		vars: []string{"notEquivalent", "paradigmLocales"},
		why:  "the language matcher's tables (≈ 81 K instructions: every alias canonicalised, every paradigm locale maximised), read only by a matcher, which the message catalog builds only for a preference that is not exactly one of its locales",
	},
}

// InitOnFirstUse rewrites the package whose non-test files are files so that
// l.file's func init runs on the first call of a function that reads one of
// the variables it assigns, not at package init:
//
//	func init() { body }
//
// becomes
//
//	var once = sync.OnceFunc(func() { body })
//
// and each function of the package that reads one of l.vars calls once()
// first. It returns the files it changed. It refuses a file with no or
// several func init, an init that assigns anything but l.vars (or not all of
// them), an exported variable (another package could read it unset), a read
// of them outside a function or inside another func init, and an init that
// reaches, through the package's functions it names, one that reads them (the
// once would wait on itself; calls through methods are not followed).
func InitOnFirstUse(files map[string][]byte, l lazyInit) (map[string][]byte, error) {
	for _, v := range l.vars {
		if ast.IsExported(v) {
			return nil, fmt.Errorf("%s is exported: another package may read it before the first call", v)
		}
	}
	if _, ok := files[l.file]; !ok {
		return nil, fmt.Errorf("no file %s", l.file)
	}
	type parsed struct {
		f    *ast.File
		fset *token.FileSet
		off  func(token.Pos) int
	}
	pkg := map[string]parsed{}
	funcs := map[string]*ast.FuncDecl{} // the package's functions (not methods) by name
	for name, src := range files {
		f, fset, off, err := parseGo(name, src)
		if err != nil {
			return nil, err
		}
		if f.Scope.Lookup(l.once) != nil {
			return nil, fmt.Errorf("%s already declares %s", name, l.once)
		}
		pkg[name] = parsed{f, fset, off}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name != "init" {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	init, err := onlyInit(pkg[l.file].f, l.file)
	if err != nil {
		return nil, err
	}
	assigned, err := packageAssignments(pkg[l.file].f, init.Body)
	if err != nil {
		return nil, err
	}
	if want := slices.Sorted(slices.Values(l.vars)); !slices.Equal(assigned, want) {
		return nil, fmt.Errorf("func init of %s assigns %v, want %v", l.file, assigned, want)
	}

	readers := map[string][]int{} // file → the offsets of its readers' opening braces
	readerFuncs := map[*ast.FuncDecl]string{}
	for _, name := range slices.Sorted(maps.Keys(pkg)) {
		p := pkg[name]
		for _, v := range l.vars {
			var decl *ast.Ident
			if o := p.f.Scope.Lookup(v); o != nil {
				spec, ok := o.Decl.(*ast.ValueSpec)
				if !ok {
					return nil, fmt.Errorf("%s in %s is not a variable", v, name)
				}
				decl = spec.Names[slices.IndexFunc(spec.Names, func(id *ast.Ident) bool { return id.Name == v })]
			}
			for _, id := range refs(p.f, p.f, v, decl) {
				fn := enclosingFunc(p.f, id)
				if fn == init {
					continue
				}
				if fn == nil || (fn.Recv == nil && fn.Name.Name == "init") {
					return nil, fmt.Errorf("%s is read outside a function at %s", v, p.fset.Position(id.Pos()))
				}
				if _, seen := readerFuncs[fn]; !seen {
					readerFuncs[fn] = v
					readers[name] = append(readers[name], p.off(fn.Body.Lbrace)+1)
				}
			}
		}
	}
	if via, v := reaches(init.Body, funcs, readerFuncs); via != "" {
		return nil, fmt.Errorf("func init of %s reaches %s, which reads %s: the once would wait on itself", l.file, via, v)
	}

	return editFiles(files, func(name string, src []byte, f *ast.File, _ *token.FileSet, off func(token.Pos) int) ([]edit, error) {
		var edits []edit
		if name == l.file {
			init, err := onlyInit(f, name)
			if err != nil {
				return nil, err
			}
			imp, err := syncImport(f, off)
			if err != nil {
				return nil, err
			}
			body := string(src[off(init.Body.Lbrace)+1 : off(init.Body.Rbrace)])
			edits = append(edits, imp, edit{off(init.Pos()), off(init.End()), fmt.Sprintf(
				"// %s runs what was this file's func init on the first call of a function\n"+
					"// that reads what it computes (poolside's Lambda build, internal/sdkoverlay).\n"+
					"var %s = sync.OnceFunc(func() {%s})", l.once, l.once, body)})
		}
		for _, at := range readers[name] {
			edits = append(edits, edit{at, at, "\n\t" + l.once + "();"})
		}
		return edits, nil
	})
}

// reaches follows, from body, every name of one of the package's functions
// (called or passed as a value) to the functions it names in turn, and
// returns the first reader it meets with the variable that reader reads.
func reaches(body ast.Node, funcs map[string]*ast.FuncDecl, readers map[*ast.FuncDecl]string) (string, string) {
	seen := map[*ast.FuncDecl]bool{}
	queue := []ast.Node{body}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		var via, v string
		ast.Inspect(n, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || via != "" {
				return via == ""
			}
			fn := funcs[id.Name]
			if fn == nil || (id.Obj != nil && id.Obj.Kind != ast.Fun) || seen[fn] {
				return true
			}
			seen[fn] = true
			if r, ok := readers[fn]; ok {
				via, v = id.Name, r
				return false
			}
			if fn.Body != nil { // not one declared in assembly
				queue = append(queue, fn.Body)
			}
			return true
		})
		if via != "" {
			return via, v
		}
	}
	return "", ""
}

// editFiles parses each of files in turn (by name) and applies the edits fn
// returns for it; it returns the files it changed.
func editFiles(files map[string][]byte, fn func(name string, src []byte, f *ast.File, fset *token.FileSet, off func(token.Pos) int) ([]edit, error)) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		src := files[name]
		f, fset, off, err := parseGo(name, src)
		if err != nil {
			return nil, err
		}
		edits, err := fn(name, src, f, fset, off)
		if err != nil {
			return nil, err
		}
		if len(edits) == 0 {
			continue
		}
		if out[name], err = reformat(applyEdits(src, edits)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out, nil
}

// onlyInit is f's one func init.
func onlyInit(f *ast.File, name string) (*ast.FuncDecl, error) {
	var init *ast.FuncDecl
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
			if init != nil {
				return nil, fmt.Errorf("%s has more than one func init", name)
			}
			init = fn
		}
	}
	if init == nil {
		return nil, fmt.Errorf("%s has no func init", name)
	}
	return init, nil
}

// packageAssignments lists, sorted and once each, the package-level
// variables that body assigns (x = …, x[i] = …, x[i][j] = …, x++); anything
// else it writes to (a field of a package-level value, through a pointer) is
// an error, as is taking a package-level variable's address.
func packageAssignments(f *ast.File, body *ast.BlockStmt) ([]string, error) {
	var names []string
	var bad error
	target := func(e ast.Expr) {
		for {
			switch x := e.(type) {
			case *ast.IndexExpr:
				e = x.X
				continue
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.Ident:
				if x.Name != "_" && isPackageLevel(f, x) {
					names = append(names, x.Name)
				}
				return
			}
			if bad == nil {
				bad = fmt.Errorf("func init writes through %T", e)
			}
			return
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for _, l := range x.Lhs {
					target(l)
				}
			}
		case *ast.IncDecStmt:
			target(x.X)
		case *ast.UnaryExpr:
			if id, ok := x.X.(*ast.Ident); ok && x.Op == token.AND && isPackageLevel(f, id) && bad == nil {
				bad = fmt.Errorf("func init takes the address of %s", id.Name)
			}
		}
		return true
	})
	slices.Sort(names)
	return slices.Compact(names), bad
}

// isPackageLevel reports whether id, in f, names something of the package
// scope: declared at f's top level, or resolved in no scope of f (another
// file's, or a predeclared name, which callers rule out by name).
func isPackageLevel(f *ast.File, id *ast.Ident) bool {
	if id.Obj == nil {
		return true
	}
	return f.Scope.Lookup(id.Name) == id.Obj
}

// refs returns the identifiers in root, a node of f, that refer to the
// package-level name (declared by decl, or in another file when decl is
// nil): not a selector's field or method, not shadowed by a local
// declaration, not decl itself.
func refs(f *ast.File, root ast.Node, name string, decl *ast.Ident) []*ast.Ident {
	var found []*ast.Ident
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case nil:
			return false
		case *ast.SelectorExpr:
			ast.Inspect(x.X, visit)
			return false // x.Sel is a field or method name
		case *ast.Ident:
			if x.Name == name && x != decl && isPackageLevel(f, x) {
				found = append(found, x)
			}
		}
		return true
	}
	ast.Inspect(root, visit)
	return found
}

// readInFunc checks that id is read, not written or addressed, inside one of
// f's functions, and is no composite literal's key (which may name a field).
func readInFunc(f *ast.File, id *ast.Ident) error {
	fn := enclosingFunc(f, id)
	if fn == nil || (fn.Recv == nil && fn.Name.Name == "init") {
		return fmt.Errorf("read at package init")
	}
	var err error
	var path []ast.Node
	ast.Inspect(fn, func(n ast.Node) bool {
		if err != nil {
			return false
		}
		if n == nil {
			path = path[:len(path)-1]
			return true
		}
		if n.Pos() > id.Pos() || n.End() < id.End() {
			return false
		}
		if n == id {
			err = checkRead(path, id)
			return false
		}
		path = append(path, n)
		return true
	})
	return err
}

// checkRead looks at the nodes enclosing id, innermost last.
func checkRead(path []ast.Node, id *ast.Ident) error {
	var inner ast.Node = id
	for i := len(path) - 1; i >= 0; i-- {
		switch p := path[i].(type) {
		case *ast.ParenExpr:
			inner = p
			continue
		case *ast.IndexExpr:
			if p.X == inner {
				inner = p
				continue // x[k]: whatever the index expression is used for
			}
		case *ast.AssignStmt:
			if slices.Contains(p.Lhs, ast.Expr(inner.(ast.Expr))) {
				return fmt.Errorf("assigned")
			}
		case *ast.IncDecStmt:
			return fmt.Errorf("assigned")
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				return fmt.Errorf("its address taken")
			}
		case *ast.KeyValueExpr:
			if p.Key == inner {
				return fmt.Errorf("a composite literal's key")
			}
		case *ast.CallExpr:
			if fun, ok := p.Fun.(*ast.Ident); ok && (fun.Name == "delete" || fun.Name == "clear") && len(p.Args) > 0 && p.Args[0] == inner {
				return fmt.Errorf("passed to %s", fun.Name)
			}
		}
		return nil
	}
	return nil
}

// syncImport returns the edit that imports sync into f, which must not
// already import it (or anything under that name): into its parenthesised
// import block, or in one of its own after the package clause.
func syncImport(f *ast.File, off func(token.Pos) int) (edit, error) {
	imports, err := importDecl(f)
	if err == nil {
		return edit{off(imports.Rparen), off(imports.Rparen), "\t\"sync\"\n"}, nil
	}
	if !errors.Is(err, errNoImportBlock) {
		return edit{}, err
	}
	return edit{off(f.Name.End()), off(f.Name.End()), "\n\nimport \"sync\""}, nil
}

// applyEdits makes the edits, none overlapping, in a copy of src.
func applyEdits(src []byte, edits []edit) []byte {
	slices.SortStableFunc(edits, func(a, b edit) int { return b.from - a.from })
	out := slices.Clone(src)
	for _, e := range edits {
		out = slices.Concat(out[:e.from], []byte(e.with), out[e.to:])
	}
	return out
}

// packageFiles reads the non-test Go files in dir, by name.
func packageFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if files[n], err = os.ReadFile(filepath.Join(dir, n)); err != nil {
			return nil, err
		}
	}
	return files, nil
}
