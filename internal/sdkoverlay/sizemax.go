package sdkoverlay

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"slices"
)

// dafnyRuntimePackage is the Dafny runtime the Encryption SDK and the
// Material Providers Library are compiled against.
const dafnyRuntimePackage = "github.com/dafny-lang/DafnyRuntimeGo/v4/dafny"

// sizeMaxBody is SIZE__T__MAX's body, as go/printer prints it.
const sizeMaxBody = "((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()"

// SizeMax rewrites the Dafny runtime's dafnyFromDafny.go so that
//
//	func (_static *CompanionStruct_Default___) SIZE__T__MAX() uint32 {
//		return ((Companion_Default___.SIZE__T__LIMIT()).Minus(One)).Uint32()
//	}
//
// computes that value once, at package init, instead of on every call:
// SIZE__T__LIMIT() is a constant (2^31) held in a big integer, and the
// subtraction allocates two more. GoNativeArray.Length calls it each time, so
// a custom sender's first event called it 2,398 times: 0.8 M instructions and
// ≈ 5,000 allocations spent on one constant (README "Performance"). The value
// and the expression that computes it are the runtime's own; only when it is
// computed changes.
//
// It refuses a file of another shape: no such method, another body, or a
// package-level sizeTMax already there.
func SizeMax(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "dafnyFromDafny.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var method *ast.FuncDecl
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == "SIZE__T__MAX" && d.Recv != nil && len(d.Recv.List) == 1 && isStar(d.Recv.List[0].Type, "CompanionStruct_Default___") {
				if method != nil {
					return nil, fmt.Errorf("two SIZE__T__MAX methods")
				}
				method = d
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok && slices.ContainsFunc(v.Names, func(n *ast.Ident) bool { return n.Name == "sizeTMax" }) {
					return nil, fmt.Errorf("the file already declares sizeTMax")
				}
			}
		}
	}
	if method == nil || method.Body == nil {
		return nil, fmt.Errorf("no method (*CompanionStruct_Default___).SIZE__T__MAX")
	}
	if len(method.Body.List) != 1 {
		return nil, fmt.Errorf("SIZE__T__MAX has %d statements, want one return", len(method.Body.List))
	}
	ret, ok := method.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil, fmt.Errorf("SIZE__T__MAX does not return one value")
	}
	var expr bytes.Buffer
	if err := printer.Fprint(&expr, fset, ret.Results[0]); err != nil {
		return nil, err
	}
	if expr.String() != sizeMaxBody {
		return nil, fmt.Errorf("SIZE__T__MAX returns %s, want %s", expr.String(), sizeMaxBody)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	r := ret.Results[0]
	out := slices.Concat(src[:off(r.Pos())], []byte("sizeTMax"), src[off(r.End()):off(method.End())],
		[]byte("\n\n// sizeTMax is SIZE__T__MAX's value, computed once (added by poolside's\n"+
			"// internal/sdkoverlay for its Lambda artifacts).\nvar sizeTMax = "+sizeMaxBody+"\n"),
		src[off(method.End()):])
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("the rewritten file does not parse: %w", err)
	}
	return formatted, nil
}

func isStar(e ast.Expr, name string) bool {
	s, ok := e.(*ast.StarExpr)
	return ok && isIdent(s.X, name)
}
