package sdkoverlay

import (
	"fmt"
	"go/ast"
	"slices"
	"strings"
)

// A constant is a Dafny "const" the Dafny compiler turned into a method of
// the package's CompanionStruct_Default___ that builds the value again on
// every call. ComputeOnce makes it a package variable computed once.
type constant struct {
	pkg, file, method string
	// readOnly: the value is shared, so the file may only read it (Get,
	// Contains); any other use is refused.
	readOnly bool
}

// constants are the ones a custom sender's first event (README
// "Performance") paid for again and again, each rebuilt from the same
// literals on every call:
//   - the Dafny runtime's SIZE__T__MAX, 2^31 − 1 as big integers: 2,398 calls
//     from every array length, 0.8 M instructions and ≈ 5,000 allocations;
//   - the Material Providers Library's table of the 17 algorithm suites by
//     their binary id, built twice for each message header (a contains, then
//     a get): 2.4 M instructions.
var constants = []constant{
	{pkg: "github.com/dafny-lang/DafnyRuntimeGo/v4/dafny", file: "dafnyFromDafny.go", method: "SIZE__T__MAX"},
	{pkg: "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/AlgorithmSuites",
		file: "AlgorithmSuites.go", method: "AlgorithmSuiteInfoByBinaryId", readOnly: true},
}

// ComputeOnce rewrites src so that the method c.method of
// *CompanionStruct_Default___, which takes nothing and returns one
// expression, returns a package variable holding that expression, computed
// once at package init:
//
//	func (_static *CompanionStruct_Default___) M() T {
//		return <expression>
//	}
//
// becomes
//
//	func (_static *CompanionStruct_Default___) M() T {
//		return poolsideOnce_M
//	}
//
//	var poolsideOnce_M T = <expression>
//
// The expression and its value are the library's own; only when it is
// computed changes. It refuses a file of another shape: no such method, one
// with parameters or more than a return, the variable already declared, or,
// for a read-only constant, a use of its value other than Get and Contains.
func ComputeOnce(src []byte, c constant) ([]byte, error) {
	f, _, off, err := parseGo(c.file, src)
	if err != nil {
		return nil, err
	}
	name := "poolsideOnce_" + c.method
	var method *ast.FuncDecl
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == c.method && d.Recv != nil && len(d.Recv.List) == 1 && isStar(d.Recv.List[0].Type, "CompanionStruct_Default___") {
				if method != nil {
					return nil, fmt.Errorf("two %s methods", c.method)
				}
				method = d
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok && slices.ContainsFunc(v.Names, func(n *ast.Ident) bool { return n.Name == name }) {
					return nil, fmt.Errorf("the file already declares %s", name)
				}
			}
		}
	}
	if method == nil || method.Body == nil {
		return nil, fmt.Errorf("no method (*CompanionStruct_Default___).%s", c.method)
	}
	if ft := method.Type; ft.Params.NumFields() != 0 || ft.Results.NumFields() != 1 {
		return nil, fmt.Errorf("%s takes %d parameters and returns %d values, want none and one", c.method, ft.Params.NumFields(), ft.Results.NumFields())
	}
	if len(method.Body.List) != 1 {
		return nil, fmt.Errorf("%s has %d statements, want one return", c.method, len(method.Body.List))
	}
	ret, ok := method.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil, fmt.Errorf("%s does not return one value", c.method)
	}
	if c.readOnly {
		if err := onlyRead(f, c.method); err != nil {
			return nil, err
		}
	}
	text := func(n ast.Node) []byte { return src[off(n.Pos()):off(n.End())] }
	r := ret.Results[0]
	decl := slices.Concat([]byte("\n\n// "+name+" is "+c.method+"'s value, computed once (added by poolside's\n"+
		"// internal/sdkoverlay for its Lambda artifacts).\nvar "+name+" "), text(method.Type.Results.List[0].Type), []byte(" = "), text(r), []byte("\n"))
	out := slices.Concat(src[:off(r.Pos())], []byte(name), src[off(r.End()):off(method.End())], decl, src[off(method.End()):])
	return reformat(out)
}

// onlyRead checks that each call of the method in f, other than its
// declaration, only reads the value: Companion_Default___.M().Get(…) or
// .Contains(…).
func onlyRead(f *ast.File, method string) error {
	var bad []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Get" || sel.Sel.Name == "Contains") {
			if inner, ok := stripParens(sel.X).(*ast.CallExpr); ok && calls(inner, method) {
				for _, a := range call.Args {
					ast.Inspect(a, func(n ast.Node) bool {
						if c, ok := n.(*ast.CallExpr); ok && calls(c, method) {
							bad = append(bad, "in an argument")
						}
						return true
					})
				}
				return false
			}
		}
		if calls(call, method) {
			bad = append(bad, "as a value")
		}
		return true
	})
	if len(bad) > 0 {
		return fmt.Errorf("%s's value is used other than by Get and Contains (%s): it cannot be shared", method, strings.Join(bad, ", "))
	}
	return nil
}

func calls(c *ast.CallExpr, method string) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == method && len(c.Args) == 0
}

func stripParens(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

func isStar(e ast.Expr, name string) bool {
	s, ok := e.(*ast.StarExpr)
	return ok && isIdent(s.X, name)
}
