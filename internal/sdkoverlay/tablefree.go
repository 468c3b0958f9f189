package sdkoverlay

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// signaturePackage is the Material Providers Library's signature extern: its
// ECDSA_Verify checks the signature of every Encryption SDK message a custom
// sender decrypts (Cognito's messages are signed with ECDSA P-384).
const signaturePackage = "github.com/aws/aws-cryptographic-material-providers-library/releases/go/primitives/Signature"

// tableFreeFile is the file TableFree's rewrite calls into, added beside
// externs.go in the module copy under the name tableFreeFileName.
//
//go:embed tablefree.go.txt
var tableFreeFile []byte

const tableFreeFileName = "poolside_tablefree.go"

// TableFree rewrites the source of the Signature package's externs.go so
// that ECDSA_Verify checks a P-384 signature without Go's P-384 generator
// table and its portable field arithmetic: in
//
//	res := ecdsa.VerifyASN1(&ecdsa.PublicKey{Curve: curve, X: x, Y: y}, …)
//
// ecdsa.VerifyASN1 becomes tableFreeVerifyASN1 (tablefree.go.txt), which
// checks P-384 by SEC 1 §4.1.4, the standard library's generic equation,
// with u1·G + u2·Q from CIRCL's P-384 (assembly field arithmetic, a
// generator table compiled in), and hands any other curve to
// ecdsa.VerifyASN1. Go's own P-384 check builds a table of generator
// multiples on first use (≈ 22 M instructions, 200 KB) and does its field
// arithmetic in portable Go (≈ 12 M more): that pays off over many
// signatures, not over the one a function's first event checks (README
// "Performance"). The answer is the same (testdata/verify compares the two
// over OpenSSL's and generated signatures and their variants).
//
// It refuses a file of another shape: no ECDSA_Verify function, or not
// exactly one ecdsa.PublicKey literal, with a Curve field, passed to
// ecdsa.VerifyASN1.
func TableFree(src []byte) ([]byte, error) {
	f, _, off, err := parseGo("externs.go", src)
	if err != nil {
		return nil, err
	}
	var verify *ast.FuncDecl
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "ECDSA_Verify" {
			verify = fn
		}
	}
	if verify == nil || verify.Body == nil {
		return nil, fmt.Errorf("no func ECDSA_Verify")
	}
	var calls []*ast.CallExpr // each ecdsa.VerifyASN1(&ecdsa.PublicKey{Curve: …}, …)
	literals := 0
	ast.Inspect(verify.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && isSelector(lit.Type, "ecdsa", "PublicKey") {
			literals++
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || !isSelector(call.Fun, "ecdsa", "VerifyASN1") || len(call.Args) != 3 {
			return true
		}
		u, ok := call.Args[0].(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return true
		}
		if lit, ok := u.X.(*ast.CompositeLit); ok && isSelector(lit.Type, "ecdsa", "PublicKey") {
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Curve") {
					calls = append(calls, call)
				}
			}
		}
		return true
	})
	if len(calls) != 1 || literals != 1 {
		return nil, fmt.Errorf("ECDSA_Verify builds %d ecdsa.PublicKey literals, %d with a Curve passed to ecdsa.VerifyASN1; want one",
			literals, len(calls))
	}
	for _, d := range f.Decls { // the name the added file declares
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "tableFree") {
			return nil, fmt.Errorf("the file already declares %s", fn.Name.Name)
		}
	}
	fun := calls[0].Fun
	out := slices.Concat(src[:off(fun.Pos())], []byte("tableFreeVerifyASN1"), src[off(fun.End()):])
	return reformat(out)
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == name
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
