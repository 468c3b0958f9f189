package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/triggers"
)

// readDoc reads a file of the repository with its whitespace runs folded to
// one space (YAML folds its >- blocks the same way).
func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Join(strings.Fields(string(b)), " ")
}

// The legacy-source schemes are listed once, in migration's registry; the
// deploy template and the README name every one of them.
func TestDocsNameEveryLegacySource(t *testing.T) {
	template := readDoc(t, "../../deploy/template.yaml")
	deployable := migration.SchemeExamples(false)
	mentions(t, template, "POOLSIDE_LEGACY_SOURCE of the UserMigration function: "+deployable+" ", "deploy/template.yaml LegacySource description")
	mentions(t, template, "AssertDescription: LegacySource ("+deployable+") is required", "deploy/template.yaml rule MigrationNeedsASource")

	readme := readDoc(t, "../../README.md")
	mentions(t, readme, "legacy user store URL: "+migration.SchemeExamples(true)+" ", "README configuration table")
	for _, s := range migration.Schemes() {
		mentions(t, readme, "| `"+s.Name+"://", "README: a row of the legacy-source table")
	}
}

// The README's Observability table names every metric of the invocation line.
func TestReadmeNamesEveryMetric(t *testing.T) {
	readme := readDoc(t, "../../README.md")
	for _, m := range triggers.Metrics {
		mentions(t, readme, "| `"+m.Name+"` | "+m.Unit+" |", "README: a row of the Observability table")
	}
}

// mentions fails unless doc holds want, without printing the whole doc.
func mentions(t *testing.T, doc, want, where string) {
	t.Helper()
	assert.Truef(t, strings.Contains(doc, want), "%s: want %q", where, want)
}

// serve --pin's error names every trigger, from triggers.AllTriggers.
func TestPinFlagNamesEveryTrigger(t *testing.T) {
	err := pinFlag{}.Set("fn=Nope")
	require.Error(t, err)
	for _, tr := range triggers.AllTriggers {
		assert.Contains(t, err.Error(), string(tr))
	}
	p := pinFlag{}
	require.NoError(t, p.Set("fn=PreSignUp"))
	assert.Equal(t, triggers.PreSignUp, p["fn"])
}

// README's "Where things live" names every Go package of the tree, and only those.
func TestReadmeMapsEveryPackage(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, "## Where things live")
	require.GreaterOrEqual(t, start, 0, "README has a Where things live section")
	section := readme[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if dir, ok := strings.CutPrefix(line, "- `"); ok {
			dir, _, _ = strings.Cut(dir, "`")
			listed[strings.TrimSuffix(dir, "/")] = true
		}
	}
	packages := map[string]bool{}
	root := filepath.Join("..", "..")
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			require.NoError(t, err)
			packages[filepath.ToSlash(rel)] = true
		}
		return nil
	}))
	require.NotEmpty(t, packages)
	for p := range packages {
		assert.True(t, listed[p], "README's Where things live lacks a line for %s/", p)
	}
	for p := range listed {
		assert.True(t, packages[p], "README's Where things live lists %s/, which holds no Go package", p)
	}
}
