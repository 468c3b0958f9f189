package sdkoverlay

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "../.." // the main module

// lambdaPackages is go list's answer for the Lambda build, asked once.
var lambdaPackages = sync.OnceValues(func() ([]Package, error) { return List(root, "lambda.norpc,poolside.lambda") })

// lambdaTables lists the v1 endpoint tables the Lambda artifacts link.
func lambdaTables(t *testing.T) []Package {
	t.Helper()
	pkgs, err := lambdaPackages()
	require.NoError(t, err)
	tables := slices.DeleteFunc(slices.Clone(pkgs), func(p Package) bool { return !endpointsPackage.MatchString(p.ImportPath) })
	require.NotEmpty(t, tables, "the Lambda build links no AWS SDK service?")
	return tables
}

// linkedFile is the text of file in the package importPath, which the
// Lambda build must link.
func linkedFile(t *testing.T, importPath, file string) []byte {
	t.Helper()
	pkgs, err := lambdaPackages()
	require.NoError(t, err)
	i := slices.IndexFunc(pkgs, func(p Package) bool { return p.ImportPath == importPath })
	require.GreaterOrEqual(t, i, 0, "the Lambda build links %s (the senders' Encryption SDK)", importPath)
	src, err := os.ReadFile(filepath.Join(pkgs[i].Dir, file))
	require.NoError(t, err)
	return src
}

// initWork reports what a package-level var of f computes at init: calls,
// composite literals holding maps, anything that is not a constant.
func initWork(f *ast.File) []string {
	var work []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			for _, val := range v.Values {
				ast.Inspect(val, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.FuncLit:
						return false // runs when called, not at init
					case *ast.CallExpr:
						if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "OnceValue" {
							return true // sync.OnceValue(func…) only wraps
						}
						work = append(work, v.Names[0].Name+": call")
					case *ast.MapType:
						work = append(work, v.Names[0].Name+": map")
					}
					return true
				})
			}
		}
	}
	return work
}

func TestLazyLeavesNoInitWorkInEveryLinkedTable(t *testing.T) {
	for _, p := range lambdaTables(t) {
		t.Run(strings.TrimPrefix(p.ImportPath, "github.com/aws/aws-sdk-go-v2/service/"), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(p.Dir, "endpoints.go"))
			require.NoError(t, err)
			eager, err := parser.ParseFile(token.NewFileSet(), "endpoints.go", src, 0)
			require.NoError(t, err)
			require.NotEmpty(t, initWork(eager), "the SDK's own table is built at init (else this rewrite is moot)")

			lazy, err := Lazy(src)
			require.NoError(t, err)
			f, err := parser.ParseFile(token.NewFileSet(), "endpoints.go", lazy, 0)
			require.NoError(t, err)
			assert.Empty(t, initWork(f), "the rewritten table computes nothing at package init")
			assert.Contains(t, string(lazy), "partitions: defaultPartitions(),")
		})
	}
}

func TestLazyRefusesAnotherShape(t *testing.T) {
	const good = `package endpoints

import (
	endpoints "github.com/aws/aws-sdk-go-v2/internal/endpoints/v2"
	"regexp"
)

type Resolver struct{ partitions endpoints.Partitions }

func New() *Resolver {
	return &Resolver{
		partitions: defaultPartitions,
	}
}

var partitionRegexp = struct{ Aws *regexp.Regexp }{
	Aws: regexp.MustCompile("^us\\-\\w+\\-\\d+$"),
}

var defaultPartitions = endpoints.Partitions{
	{ID: "aws", RegionRegex: partitionRegexp.Aws},
}
`
	out, err := Lazy([]byte(good))
	require.NoError(t, err, "the shape the SDK generates")
	require.Contains(t, string(out), "var defaultPartitions = sync.OnceValue(func() endpoints.Partitions {")

	for name, mutate := range map[string]func(string) string{
		"no regexps": func(s string) string { return strings.Replace(s, "var partitionRegexp =", "var otherRegexp =", 1) },
		"no table": func(s string) string {
			return strings.Replace(s, "var defaultPartitions =", "var otherPartitions =", 1)
		},
		"table read elsewhere": func(s string) string { return s + "\nfunc All() endpoints.Partitions { return defaultPartitions }\n" },
		"regexps read elsewhere": func(s string) string {
			return s + "\nfunc AWS() *regexp.Regexp { return partitionRegexp.Aws }\n"
		},
		"declared with another": func(s string) string {
			return strings.Replace(s, "var defaultPartitions = endpoints.Partitions{", "var x, defaultPartitions = 1, endpoints.Partitions{", 1)
		},
		"sync imported": func(s string) string { return strings.Replace(s, "\"regexp\"\n", "\"regexp\"\n\t\"sync\"\n", 1) },
		"New reads it twice": func(s string) string {
			return strings.Replace(s, "partitions: defaultPartitions,", "partitions: append(defaultPartitions, defaultPartitions...),", 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Lazy([]byte(mutate(good)))
			assert.Error(t, err)
		})
	}
}

// overlayDir is Write's output for every package the Lambda build links, as
// make build writes dist/sdk: made once for the tests that build against it
// (so they share the compiled module copies), removed by TestMain.
var overlayDir = sync.OnceValues(func() (string, error) {
	overlayMade.Store(true)
	pkgs, err := lambdaPackages()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "sdkoverlay-test-")
	if err != nil {
		return "", err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return dir, err
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return dir, err
	}
	n, err := Write(dir, gomod, gosum, pkgs)
	if err == nil && n == 0 {
		err = errors.New("Write rewrote no module")
	}
	return dir, err
})

var overlayMade atomic.Bool

// overlay is overlayDir's go.mod, for go -modfile.
func overlay(t *testing.T) string {
	t.Helper()
	dir, err := overlayDir()
	require.NoError(t, err)
	return filepath.Join(dir, "go.mod")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if overlayMade.Load() {
		if dir, _ := overlayDir(); dir != "" {
			_ = os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// TestLazyTablesResolveAsTheEagerOnes builds testdata/resolve against go.mod
// and against Write's go.mod, and compares what each resolves for every
// partition and variant; then builds a Lambda artifact with Write's go.mod
// and checks its package inits.
func TestLazyTablesResolveAsTheEagerOnes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program twice and an artifact")
	}
	modfile := overlay(t)

	resolve := func(args ...string) []byte {
		cmd := exec.Command("go", append(append([]string{"run"}, args...), "./internal/sdkoverlay/testdata/resolve")...)
		cmd.Dir = root
		out, err := cmd.Output()
		require.NoError(t, err)
		return out
	}
	eager := resolve()
	require.Contains(t, string(eager), `"URL": "https://dynamodb.eu-west-1.amazonaws.com"`)
	require.Contains(t, string(eager), `"URL": "https://cognito-idp-fips.us-gov-west-1.amazonaws.com"`)
	require.Equal(t, string(eager), string(resolve("-modfile", modfile)))

	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-modfile", modfile,
		"-tags", "lambda.norpc,poolside.lambda,poolside.fn,poolside.fn.pretokengeneration", "-trimpath", "-o", bin, "./cmd/poolside")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	run := exec.Command(bin)
	run.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_LAMBDA_RUNTIME_API=") || strings.HasPrefix(kv, "GODEBUG=")
	}), "GODEBUG=inittrace=1")
	out, _ = run.CombinedOutput() // the usage, exit status 2
	// init github.com/aws/aws-sdk-go-v2/service/dynamodb/internal/endpoints @15 ms, 0.58 ms clock, 82752 bytes, 687 allocs
	inits := regexp.MustCompile(`(?m)^init (github\.com/aws/aws-sdk-go-v2/service/[a-z0-9]+/internal/endpoints) @.* clock, (\d+) bytes`).FindAllSubmatch(out, -1)
	require.Len(t, inits, 2, "PreTokenGeneration links DynamoDB's and Cognito's tables:\n%s", out)
	for _, m := range inits {
		allocated, err := strconv.Atoi(string(m[2]))
		require.NoError(t, err)
		assert.Less(t, allocated, 1<<10, "%s allocates %d bytes at init: is its table eager again?", m[1], allocated)
	}
}
