package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// artifact is one line of deploy/functions.txt: a template function, the
// artifact make build writes for it, and the triggers it answers.
type artifact struct {
	Function, Name, Triggers string
}

func readFunctions(tb testing.TB) []artifact {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "deploy", "functions.txt"))
	require.NoError(tb, err)
	defer f.Close()
	var out []artifact
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		require.Len(tb, fields, 3, "deploy/functions.txt: %q", line)
		out = append(out, artifact{fields[0], fields[1], fields[2]})
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, out)
	return out
}

// TestTemplateCodeURIs: every function of deploy/template.yaml is in
// deploy/functions.txt with its own zip and the triggers it answers, and
// every artifact has a wire file (or is the User API's).
func TestTemplateCodeURIs(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "template.yaml"))
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	type fn struct{ CodeURI, Triggers string }
	got := map[string]fn{}
	resources := mapping(doc.Content[0], "Resources")
	for i := 0; i+1 < len(resources.Content); i += 2 {
		r := resources.Content[i+1]
		if typ := mapping(r, "Type"); typ == nil || typ.Value != "AWS::Serverless::Function" {
			continue
		}
		props := mapping(r, "Properties")
		var f fn
		if n := mapping(props, "CodeUri"); n != nil {
			f.CodeURI = n.Value
		}
		if n := mapping(mapping(mapping(props, "Environment"), "Variables"), "POOLSIDE_TRIGGERS"); n != nil {
			f.Triggers = n.Value
		}
		got[resources.Content[i].Value] = f
	}
	want := map[string]fn{}
	for _, a := range readFunctions(t) {
		want[a.Function] = fn{CodeURI: "../dist/" + a.Name + "-arm64.zip", Triggers: a.Triggers}
		if a.Triggers != "none" {
			_, err := os.Stat("wire_" + a.Name + ".go")
			assert.NoError(t, err, "artifact %s has no wire_%s.go", a.Name, a.Name)
		}
	}
	assert.Equal(t, want, got, "deploy/template.yaml functions vs deploy/functions.txt")
}

func mapping(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// heavyPackages are the SDK clients, drivers and libraries an artifact may
// link only when its triggers call them (package init and binary size are
// paid at every cold start). A prefix matches the package and its children.
var heavyPackages = []struct {
	pkg     string
	allowed []string // artifacts that may link it
}{
	{"github.com/aws/aws-encryption-sdk", []string{"customemailsender", "customsmssender"}},
	{"github.com/aws/aws-cryptographic-material-providers-library", []string{"customemailsender", "customsmssender"}},
	{"github.com/aws/aws-sdk-go-v2/service/kms", []string{"customemailsender", "customsmssender"}},
	// The Encryption SDK's client supplier imports the shared config chain in
	// go.mod's graph; the artifacts, built against dist/sdk/go.mod, do not link
	// it (internal/sdkoverlay's NoDefaultConfig, TestSendersLinkNoDefaultConfig).
	{"github.com/aws/aws-sdk-go-v2/config", []string{"customemailsender", "customsmssender"}},
	// Each sender links its own channel's client (delivery/ses.go, delivery/sns.go build tags).
	{"github.com/aws/aws-sdk-go-v2/service/sesv2", []string{"customemailsender"}},
	{"github.com/aws/aws-sdk-go-v2/service/sns", []string{"customsmssender"}},
	{"github.com/aws/aws-sdk-go-v2/service/secretsmanager", []string{"api"}},
	{"github.com/lestrrat-go/jwx", []string{"api"}},
	{"github.com/poolside-io/poolside/userapi", []string{"api"}},
	// The triggers' Cognito adapter: only the triggers that may call Cognito
	// (package triggers itself imports no SDK service, #17).
	{"github.com/poolside-io/poolside/cognitoadmin", []string{"postauthentication", "postconfirmation", "presignup", "pretokengeneration"}},
	// Phone numbers of migrated users (migration/phone.go): ~2.5 MB of metadata and 20
	// regexps, loaded and compiled on the first number (third_party/phonenumbers).
	{"github.com/nyaruka/phonenumbers", []string{"usermigration"}},
	// The legacy store and its hash formats (config/migration.go's and
	// triggers/usermigration.go's build tags): their package init is paid only
	// where a legacy password is checked.
	{"github.com/poolside-io/poolside/migration", []string{"usermigration"}},
	{"golang.org/x/crypto/bcrypt", []string{"usermigration"}},
	{"golang.org/x/crypto/argon2", []string{"usermigration"}},
	{"golang.org/x/crypto/scrypt", []string{"usermigration"}},
	// The legacy sources' drivers (package migration's).
	{"github.com/jackc/pgx", []string{"usermigration"}},
	{"github.com/go-sql-driver/mysql", []string{"usermigration"}},
	// The AWS service clients, only where a trigger calls them: the profile
	// store (DynamoDB; the senders' delivery claims), Cognito (groups, the
	// duplicate-email check and linking, a deleted user's email, the old pool).
	{"github.com/aws/aws-sdk-go-v2/service/dynamodb", []string{"customemailsender", "customsmssender", "postconfirmation",
		"postauthentication", "preauthentication", "pretokengeneration", "usermigration", "api"}},
	{"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider", []string{"presignup", "postconfirmation",
		"postauthentication", "pretokengeneration", "usermigration", "api"}},
	// HTML emails (messages/email_html.go): the escaper's init takes 0.3–0.6 ms of a cold start.
	{"github.com/DataDog/datadog-agent/pkg/template/html", []string{"custommessage", "customemailsender"}},
	// The standard html/template: its init (0.3–0.6 ms) in every artifact that
	// linked it for DataDog's copy's type names (third_party/ddtemplate's patch).
	{"html/template", nil},
	// Its init cost usermigration ≈ 61 page faults; phonenumbers imported it only for
	// geocoding, which third_party/phonenumbers does not vendor.
	{"golang.org/x/text/language/display", nil},
	{"github.com/poolside-io/poolside/doctor", nil},
	{"github.com/aws/aws-sdk-go-v2/service/iam", nil},
	{"github.com/aws/aws-sdk-go-v2/service/lambda", nil},
}

// reported are logged per artifact (go test -v -run TestArtifactDeps): what
// each links of the packages that cost cold start.
var reported = []string{
	"github.com/aws/aws-sdk-go-v2/service/dynamodb", "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider",
	"github.com/aws/aws-sdk-go-v2/service/kms", "github.com/aws/aws-sdk-go-v2/service/sesv2", "github.com/aws/aws-sdk-go-v2/service/sns",
	"github.com/aws/aws-sdk-go-v2/config", "github.com/aws/aws-encryption-sdk", "github.com/jackc/pgx", "github.com/go-sql-driver/mysql",
	"github.com/nyaruka/phonenumbers", "golang.org/x/text/language/display", "github.com/lestrrat-go/jwx",
}

func under(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }

// TestArtifactDeps: each artifact's build (make build's tags) links none of
// the heavy packages its triggers do not call.
func TestArtifactDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("go list per artifact")
	}
	for _, a := range readFunctions(t) {
		t.Run(a.Name, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc,poolside.lambda,poolside.fn,poolside.fn."+a.Name, ".").CombinedOutput()
			require.NoError(t, err, "%s", out)
			deps := strings.Fields(string(out))
			var links []string
			for _, r := range reported {
				if slices.ContainsFunc(deps, func(p string) bool { return under(p, r) }) {
					links = append(links, r)
				}
			}
			t.Logf("%s (%s) links: %s", a.Name, a.Triggers, strings.Join(links, ", "))
			// The AWS SDK's schema-based serialization (DynamoDB v1.69.0,
			// KMS v1.61.0, SESv2 v1.75.0, Secrets Manager v1.50.0, SSO
			// v1.39.0 …, from 2026-09) builds every operation's schema at
			// package init: DynamoDB's alone is 1.5 M instructions and 587 KB,
			// ≈ 3 ms of each store function's cold start. go.mod holds those
			// clients at their last release with generated serializers; an
			// upgrade that links a schemas package again fails here.
			for _, p := range deps {
				if strings.HasPrefix(p, "github.com/aws/aws-sdk-go-v2/service/") && strings.HasSuffix(p, "/schemas") {
					t.Errorf("%s links %s (built at every cold start; see go.mod's note)", a.Name, p)
				}
			}
			for _, h := range heavyPackages {
				if slices.Contains(h.allowed, a.Name) {
					continue
				}
				i := slices.IndexFunc(deps, func(p string) bool { return under(p, h.pkg) })
				assert.Equal(t, -1, i, "%s links %s, which its triggers (%s) do not call", a.Name, h.pkg, a.Triggers)
			}
		})
	}
}

// TestArtifactsLinkOnlyCalledMethods: the linker drops every method a
// program cannot call, unless a reachable function looks methods up by a
// name it cannot know (reflect's Method, or MethodByName with a variable):
// then it keeps every exported method of every type stored in an interface.
// The standard text/template does (a template may call any method), and so
// did protobuf's descriptor formatter before v1.36.12; with either, each
// artifact linked all 127 Cognito and 59 DynamoDB operations and the
// Encryption SDK's whole API: the senders were 28 MB instead of 14, the
// store functions 18 instead of 10, with the page faults of a bigger binary
// at every cold start (#17). The linker's -dumpdep marks such a function
// <ReflectMethod> when it is reachable; this links each artifact with make
// build's tags and flags and fails naming the function and who reaches it.
func TestArtifactsLinkOnlyCalledMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("links every artifact")
	}
	for _, a := range readFunctions(t) {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command("go", "build", "-tags", "lambda.norpc,poolside.lambda,poolside.fn,poolside.fn."+a.Name,
				"-trimpath", "-ldflags", "-s -w -dumpdep", "-o", os.DevNull, ".")
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			var deps, stdout bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &deps
			require.NoError(t, cmd.Run(), "%s", tail(deps.String(), 2000))
			// Each line is an edge, "from -> to", a symbol followed by
			// <ReflectMethod> when the compiler marked it: report each marked
			// symbol once, with the edge that reached it.
			seen := map[string]bool{}
			var marked []string
			for line := range strings.Lines(deps.String()) {
				from, to, ok := strings.Cut(strings.TrimSpace(line), " -> ")
				if sym, isMarked := strings.CutSuffix(to, " <ReflectMethod>"); ok && isMarked && !seen[sym] {
					seen[sym] = true
					marked = append(marked, sym+" (reached from "+from+")")
				}
			}
			require.NotZero(t, deps.Len(), "the linker printed no dependencies")
			assert.Empty(t, marked, "%s: a reachable function looks methods up by name, so the linker keeps every exported method", a.Name)
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// TestUserMigrationInitLoadsNoPhoneMetadata: the UserMigration artifact links
// github.com/nyaruka/phonenumbers, whose v1.8.1 package init decodes all its
// metadata (2.4 MB, 35,000 allocations, ≈ 13 ms of the cold start); go.mod's
// replace (third_party/phonenumbers, lazy-init.patch) loads it on the first
// number normalized instead. The artifact is built as make build does and run
// with GODEBUG=inittrace=1 outside Lambda: it prints each package's init, then
// its usage. The patch also compiles the package-level regexps on first use
// (they were ≈ 280 KB of the init) and registers its protobuf descriptors on
// first use: what is left (≈ 8 KB, 61 allocations) is upstream's package-level
// maps and the lazy regexps' registry.
func TestUserMigrationInitLoadsNoPhoneMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the usermigration artifact")
	}
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc,poolside.lambda,poolside.fn,poolside.fn.usermigration",
		"-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	run := exec.Command(bin)
	run.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_LAMBDA_RUNTIME_API=") || strings.HasPrefix(kv, "GODEBUG=")
	}), "GODEBUG=inittrace=1")
	out, _ = run.CombinedOutput() // the usage, exit status 2
	// init github.com/nyaruka/phonenumbers @16 ms, 0.94 ms clock, 12792 bytes, 86 allocs
	m := regexp.MustCompile(`(?m)^init github\.com/nyaruka/phonenumbers @.* clock, (\d+) bytes, (\d+) allocs$`).FindSubmatch(out)
	require.NotNil(t, m, "no init line for github.com/nyaruka/phonenumbers (does the artifact still link it?):\n%s", out)
	allocated, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	t.Logf("github.com/nyaruka/phonenumbers init: %s bytes, %s allocs", m[1], m[2])
	assert.Less(t, allocated, 64<<10, "the phonenumbers package init allocates %d bytes: are its metadata or regexps loaded at init again (go.mod's replace, third_party/phonenumbers/POOLSIDE.md)?", allocated)
}
