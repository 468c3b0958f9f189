package sdkoverlay

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNoDefaultConfigRewritesTheLinkedExterns(t *testing.T) {
	for _, pkg := range defaultConfigPackages {
		t.Run(pkg[strings.LastIndex(pkg, "/")+1:], func(t *testing.T) {
			src := linkedFile(t, pkg, "externs.go")
			out, err := NoDefaultConfig(src)
			require.NoError(t, err)
			s := string(out)
			loads := strings.Count(string(src), "config.LoadDefaultConfig(context.TODO())")
			require.Positive(t, loads)
			assert.NotContains(t, s, `"`+configImport+`"`)
			f, err := parser.ParseFile(token.NewFileSet(), "externs.go", out, 0)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					assert.False(t, isIdent(sel.X, "config"), "config.%s is left", sel.Sel.Name)
				}
				return true
			})
			assert.Equal(t, loads+1, strings.Count(s, "poolsideNoDefaultConfig()"), "each call, and the function")
			assert.NotContains(t, s, `"context"`, "context was only used for the calls")
		})
	}
}

func TestNoDefaultConfigRefusesAnotherShape(t *testing.T) {
	const good = `package x

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func Client() (*kms.Client, error) {
	cfg, err := config.LoadDefaultConfig(context.TODO())
	if err != nil {
		return nil, err
	}
	return kms.NewFromConfig(cfg), nil
}
`
	out, err := NoDefaultConfig([]byte(good))
	require.NoError(t, err)
	assert.Contains(t, string(out), "cfg, err := poolsideNoDefaultConfig()\n")
	assert.NotContains(t, string(out), `"context"`)

	kept, err := NoDefaultConfig([]byte(strings.Replace(good, "return kms.NewFromConfig(cfg), nil", "_ = context.Background()\n\treturn kms.NewFromConfig(cfg), nil", 1)))
	require.NoError(t, err)
	assert.Contains(t, string(kept), `"context"`, "context stays while something else uses it")

	for name, mutate := range map[string]func(string) string{
		"options passed": func(s string) string {
			return strings.Replace(s, "LoadDefaultConfig(context.TODO())", `LoadDefaultConfig(context.TODO(), config.WithRegion("eu-west-1"))`, 1)
		},
		"another context": func(s string) string { return strings.Replace(s, "context.TODO()", "context.Background()", 1) },
		"config used otherwise": func(s string) string {
			return strings.Replace(s, "return kms.NewFromConfig(cfg), nil", "_ = config.WithRegion\n\treturn kms.NewFromConfig(cfg), nil", 1)
		},
		"config renamed": func(s string) string {
			return strings.ReplaceAll(strings.Replace(s, `"github.com/aws/aws-sdk-go-v2/config"`, `awsconfig "github.com/aws/aws-sdk-go-v2/config"`, 1), "config.Load", "awsconfig.Load")
		},
		"no call": func(s string) string {
			return strings.Replace(s, "cfg, err := config.LoadDefaultConfig(context.TODO())", "var cfg config.LoadOptions; var err error; _ = context.TODO()", 1)
		},
		"no config import": func(s string) string {
			return strings.Replace(s, `"github.com/aws/aws-sdk-go-v2/config"`, `"example.com/config"`, 1)
		},
		"name taken": func(s string) string { return s + "\nfunc poolsideNoDefaultConfig() {}\n" },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NoDefaultConfig([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}

// The custom sender artifacts, built against Write's go.mod as make build
// builds them, link none of the AWS SDK's default credential chain (they do
// against go.mod, through the Encryption SDK's client supplier); and the
// senders' own tests against moto (an Encryption SDK message from Cognito's
// KMS keyring, decrypted and sent) pass against that go.mod.
func TestSendersLinkNoDefaultConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("lists two artifacts' packages twice and builds cmd/poolside's tests")
	}
	modfile := overlay(t)
	chain := []string{configImport, "github.com/aws/aws-sdk-go-v2/credentials/ssocreds", "github.com/aws/aws-sdk-go-v2/credentials/stscreds",
		"github.com/aws/aws-sdk-go-v2/service/sso", "github.com/aws/aws-sdk-go-v2/service/ssooidc",
		"github.com/aws/aws-sdk-go-v2/service/sts", "github.com/aws/aws-sdk-go-v2/service/signin"}
	deps := func(artifact string, args ...string) []string {
		cmd := exec.Command("go", append(append([]string{"list"}, args...), "-deps", "-tags", "lambda.norpc,poolside.lambda,poolside.fn,poolside.fn."+artifact, "./cmd/poolside")...)
		cmd.Dir = root
		out, err := cmd.Output()
		require.NoError(t, err)
		return strings.Fields(string(out))
	}
	for _, artifact := range []string{"customemailsender", "customsmssender"} {
		stock, rewritten := deps(artifact), deps(artifact, "-modfile", modfile)
		require.Contains(t, stock, configImport, "%s links the default config through the Encryption SDK (else this rewrite is moot)", artifact)
		require.Contains(t, rewritten, "github.com/aws/aws-sdk-go-v2/service/kms")
		for _, p := range chain {
			assert.False(t, slices.Contains(rewritten, p), "%s links %s", artifact, p)
		}
	}

	if os.Getenv("POOLSIDE_DYNAMODB_ENDPOINT") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no moto server (make test starts one)")
		}
		t.Skip("no moto server: run through make test")
	}
	senders := []string{"TestCustomEmailSenderAgainstMoto", "TestCustomSMSSenderAgainstMoto", "TestCustomSenderWrongKey"}
	cmd := exec.Command("go", "test", "-modfile", modfile, "-count=1", "-v", "-run", "^("+strings.Join(senders, "|")+")$", "./cmd/poolside")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, name := range senders {
		assert.Contains(t, string(out), "--- PASS: "+name+" ", "%s", out)
	}
	assert.NotContains(t, string(out), "--- SKIP")
}
