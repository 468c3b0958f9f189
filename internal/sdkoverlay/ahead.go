package sdkoverlay

import (
	_ "embed"
	"fmt"
	"go/ast"
	"slices"
	"strconv"
	"strings"
)

// esdkClientPackage holds the Encryption SDK's Go client, whose Decrypt a
// custom sender calls for each code Cognito sends it.
const esdkClientPackage = "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"

// aheadFile is the file AheadCheck's rewrite calls into, added beside
// externs.go in the Signature package under the name aheadFileName, with
// PoolsideVerifyAhead, which AheadStart's rewrite calls.
//
//go:embed ahead.go.txt
var aheadFile []byte

const aheadFileName = "poolside_ahead.go"

// AheadCheck rewrites the source of the Signature package's externs.go so
// that ECDSA_Verify first asks for the answer checked ahead
// (ahead.go.txt) for exactly its inputs:
//
//	func ECDSA_Verify(algorithm …, key dafny.Sequence, msg dafny.Sequence, sig dafny.Sequence) Wrappers.Result {
//		if ok, known := poolsideAheadResult(algorithm, key, msg, sig); known {
//			return Wrappers.Companion_Result_.Create_Success_(ok)
//		}
//		… as before
//
// A known answer is the one ECDSA_Verify's own P-384 path gives for those
// bytes (the key decompressed; the signature checked over the SHA-384 digest
// by tableFreeVerifyASN1), so the result is the same Success(bool).
//
// It refuses a file of another shape: no ECDSA_Verify function, parameters
// other than an algorithm and three dafny.Sequence values, a result other
// than Wrappers.Result, or a name the rewrite adds already declared.
func AheadCheck(src []byte) ([]byte, error) {
	f, _, off, err := parseGo("externs.go", src)
	if err != nil {
		return nil, err
	}
	var verify *ast.FuncDecl
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		if strings.HasPrefix(fn.Name.Name, "poolsideAhead") {
			return nil, fmt.Errorf("the file already declares %s", fn.Name.Name)
		}
		if fn.Name.Name == "ECDSA_Verify" {
			verify = fn
		}
	}
	if verify == nil || verify.Body == nil {
		return nil, fmt.Errorf("no func ECDSA_Verify")
	}
	var names []string
	var types []ast.Expr
	for _, p := range verify.Type.Params.List {
		for _, n := range p.Names {
			names, types = append(names, n.Name), append(types, p.Type)
		}
	}
	if len(names) != 4 || !isSelector(types[0], "AwsCryptographyPrimitivesTypes", "ECDSASignatureAlgorithm") ||
		slices.ContainsFunc(types[1:], func(t ast.Expr) bool { return !isSelector(t, "dafny", "Sequence") }) {
		return nil, fmt.Errorf("ECDSA_Verify's parameters are not (algorithm, key, msg, sig dafny.Sequence)")
	}
	if r := verify.Type.Results; r == nil || len(r.List) != 1 || len(r.List[0].Names) != 0 || !isSelector(r.List[0].Type, "Wrappers", "Result") {
		return nil, fmt.Errorf("ECDSA_Verify does not return one Wrappers.Result")
	}
	check := fmt.Sprintf("\n\tif ok, known := poolsideAheadResult(%s); known {\n\t\treturn Wrappers.Companion_Result_.Create_Success_(ok)\n\t}\n",
		strings.Join(names, ", "))
	at := off(verify.Body.Lbrace) + 1
	return reformat(slices.Concat(src[:at], []byte(check), src[at:]))
}

// AheadStart rewrites the source of the Encryption SDK client's
// api_client.go so that (*Client).Decrypt, before anything else, hands the
// ciphertext to Signature.PoolsideVerifyAhead, which starts checking its
// signature on a goroutine of its own (ahead.go.txt):
//
//	func (client *Client) Decrypt(ctx context.Context, params ….DecryptInput) (…) {
//		Signature.PoolsideVerifyAhead(params.Ciphertext)
//		… as before
//
// It refuses a file of another shape: no such method, a parameter not named
// params, or the name Signature already in use.
func AheadStart(src []byte) ([]byte, error) {
	f, _, off, err := parseGo("api_client.go", src)
	if err != nil {
		return nil, err
	}
	var decrypt *ast.FuncDecl
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.Name == "Decrypt" {
			decrypt = fn
		}
	}
	if decrypt == nil || decrypt.Body == nil {
		return nil, fmt.Errorf("no method Decrypt")
	}
	if ps := decrypt.Type.Params.List; len(ps) != 2 || len(ps[1].Names) != 1 || ps[1].Names[0].Name != "params" ||
		!isSelector(ps[1].Type, "awscryptographyencryptionsdksmithygeneratedtypes", "DecryptInput") {
		return nil, fmt.Errorf("Decrypt does not take (ctx, params DecryptInput)")
	}
	taken := false
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == "Signature" {
			taken = true
		}
		return !taken
	})
	for _, s := range f.Imports {
		path, _ := strconv.Unquote(s.Path.Value)
		taken = taken || path == signaturePackage || strings.HasSuffix(path, "/Signature")
	}
	if taken {
		return nil, fmt.Errorf("the name Signature is in use")
	}
	imports, err := importBlock(f)
	if err != nil {
		return nil, err
	}
	at, importAt := off(decrypt.Body.Lbrace)+1, off(imports.Rparen)
	out := slices.Concat(src[:importAt], []byte("\t"+strconv.Quote(signaturePackage)+"\n"), src[importAt:at],
		[]byte("\n\tSignature.PoolsideVerifyAhead(params.Ciphertext)"), src[at:])
	return reformat(out)
}
