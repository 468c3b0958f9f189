package sdkoverlay

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
)

// defaultConfigPackages are the Material Providers Library's client externs,
// which make a KMS or DynamoDB client with the AWS SDK's
// config.LoadDefaultConfig when the caller gives none (its default client
// supplier; its key store). The custom senders give the KMS keyring their own
// client (delivery.NewKMS), so these functions never run in them;
// yet importing the config package links the SDK's whole default credential
// chain into both sender artifacts: SSO, SSO OIDC, STS with its SigV4a signer,
// sign-in, the shared config files, and their package inits (SigV4a's alone
// builds the four NIST curves' parameters, 0.19 M instructions).
var defaultConfigPackages = []string{
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/kms/Com_Amazonaws_Kms",
	"github.com/aws/aws-cryptographic-material-providers-library/releases/go/dynamodb/Com_Amazonaws_Dynamodb",
}

const configImport = "github.com/aws/aws-sdk-go-v2/config"

// noDefaultConfigFunc is what NoDefaultConfig appends and calls instead.
const noDefaultConfigFunc = `

// poolsideNoDefaultConfig stands in for config.LoadDefaultConfig (added by
// poolside's internal/sdkoverlay for its Lambda artifacts, which give the
// keyring its client and do not link the AWS SDK's default configuration).
func poolsideNoDefaultConfig() (poolsideaws.Config, error) {
	return poolsideaws.Config{}, poolsideerrors.New("the AWS SDK's default configuration is not linked into this artifact: give the keyring a client")
}
`

// NoDefaultConfig rewrites the source of one of defaultConfigPackages'
// externs.go so that it no longer imports the AWS SDK's config package: each
//
//	cfg, err := config.LoadDefaultConfig(context.TODO())
//
// becomes
//
//	cfg, err := poolsideNoDefaultConfig()
//
// which returns an error, so a caller of the default client supplier gets a
// failure result (the library's own error path) instead of a client. The
// import of config goes, and so does context's when nothing else uses it.
//
// It refuses a file of another shape: no such call, config used for anything
// else or imported under another name, or the names it adds taken.
func NoDefaultConfig(src []byte) ([]byte, error) {
	f, _, off, err := parseGo("externs.go", src)
	if err != nil {
		return nil, err
	}

	var configSpec, contextSpec *ast.ImportSpec
	for _, s := range f.Imports {
		path, _ := strconv.Unquote(s.Path.Value)
		switch path {
		case configImport:
			if s.Name != nil {
				return nil, fmt.Errorf("config is imported as %s", s.Name.Name)
			}
			configSpec = s
		case "context":
			if s.Name == nil {
				contextSpec = s
			}
		}
	}
	if configSpec == nil {
		return nil, fmt.Errorf("no import of %s", configImport)
	}
	// Each use of config must be config.LoadDefaultConfig(context.TODO()),
	// and no name the rewrite adds may be in use.
	var loads []*ast.CallExpr
	configUses, contextUses, taken := 0, 0, false
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			taken = taken || slices.Contains([]string{"poolsideNoDefaultConfig", "poolsideaws", "poolsideerrors"}, x.Name)
		case *ast.SelectorExpr:
			if isIdent(x.X, "config") {
				configUses++
			}
			if isIdent(x.X, "context") {
				contextUses++
			}
		case *ast.CallExpr:
			if isSelector(x.Fun, "config", "LoadDefaultConfig") && len(x.Args) == 1 && x.Ellipsis == token.NoPos {
				if arg, ok := x.Args[0].(*ast.CallExpr); ok && isSelector(arg.Fun, "context", "TODO") && len(arg.Args) == 0 {
					loads = append(loads, x)
				}
			}
		}
		return true
	})
	if taken {
		return nil, fmt.Errorf("the file already uses a name the rewrite adds")
	}
	if len(loads) == 0 {
		return nil, fmt.Errorf("no config.LoadDefaultConfig(context.TODO()) call")
	}
	if configUses != len(loads) {
		return nil, fmt.Errorf("config is used %d times, %d of them as config.LoadDefaultConfig(context.TODO())", configUses, len(loads))
	}

	edits := []edit{{off(configSpec.Pos()), off(configSpec.End()), `poolsideaws "github.com/aws/aws-sdk-go-v2/aws"` + "\n" + `poolsideerrors "errors"`}}
	if contextSpec != nil && contextUses == len(loads) {
		edits = append(edits, edit{off(contextSpec.Pos()), off(contextSpec.End()), ""})
	}
	for _, c := range loads {
		edits = append(edits, edit{off(c.Pos()), off(c.End()), "poolsideNoDefaultConfig()"})
	}
	out := append(bytes.TrimRight(applyEdits(src, edits), "\n"), noDefaultConfigFunc...)
	return reformat(out)
}
