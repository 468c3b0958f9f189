package main

import (
	"os"
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
